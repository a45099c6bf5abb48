//! Conversion between HSL values and JSON (for `json_encode`,
//! `json_decode` and stub fixtures).

use crate::value::{Array, Key, Value};
use serde_json::Value as Json;
use std::rc::Rc;

/// A JSON document as an HSL value (objects become keyed arrays).
pub fn from_json(j: &Json) -> Value {
    match j {
        Json::Null => Value::None,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
        Json::String(s) => Value::str(s.as_str()),
        Json::Array(items) => Value::Array(Rc::new(Array::list(items.iter().map(from_json)))),
        Json::Object(map) => {
            let mut a = Array::default();
            for (k, v) in map {
                a.insert(Value::str(k.as_str()).to_key(), from_json(v));
            }
            Value::Array(Rc::new(a))
        }
    }
}

/// `json_decode`: the value of the JSON document `text`, built within the
/// memory budget (three bytes, `[],`, make an array of their own); none
/// when `text` is not one JSON document.
pub(crate) fn decode(
    text: &[u8],
    limits: &crate::Limits,
    span: hsl_syntax::Span,
) -> crate::R<Value> {
    let mut reader = serde_json::Deserializer::from_slice(text);
    let value = crate::decode::decode(&mut reader, true, limits, span)?;
    Ok(value
        .and_then(|v| reader.end().map(|()| v))
        .unwrap_or(Value::None))
}

/// `json_encode`: the JSON text of `v`. Its size is estimated (and held to
/// the memory limit) before the document is built, and the text is held
/// to what is left as it is written.
pub(crate) fn encode(v: &Value, limits: &crate::Limits, span: hsl_syntax::Span) -> crate::R<Value> {
    // The document copies the value's text, and the output holds it again.
    let mut size = 0;
    estimate(v, &mut size, limits.memory / 2);
    limits.string(2.0 * size as f64, span)?;
    let doc = to_json(v);
    let mut out = Bounded {
        text: Vec::new(),
        most: limits.memory.saturating_sub(crate::alloc::used()),
    };
    if serde_json::to_writer(&mut out, &doc).is_err() {
        return limits.exceeded("the result of json_encode()".into(), span);
    }
    Ok(Value::str(out.text))
}

/// Adds about the size of the JSON text of `v` to `size`, found without
/// building anything; stops once `size` passes `most`.
fn estimate(v: &Value, size: &mut usize, most: usize) {
    *size = size.saturating_add(match v {
        Value::Str(s) => s.len() + 2,
        Value::Array(_) => 2,
        _ => 4,
    });
    if let Value::Array(a) = v {
        for (k, v) in a.map.iter() {
            if *size > most || !crate::walk::visit() {
                return;
            }
            *size = size.saturating_add(match k {
                Key::Str(s) => s.len() + 4,
                Key::Int(_) => 2,
            });
            estimate(v, size, most);
        }
    }
}

/// A writer that refuses to grow past `most` bytes.
struct Bounded {
    text: Vec<u8>,
    most: usize,
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.text.len() + buf.len() > self.most {
            return Err(std::io::ErrorKind::OutOfMemory.into());
        }
        self.text.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// An HSL value as JSON: arrays with keys 0…n-1 become lists, other arrays objects.
pub fn to_json(v: &Value) -> Json {
    match v {
        Value::None => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => Json::from(*n as i64),
        Value::Number(n) => serde_json::Number::from_f64(*n).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(String::from_utf8_lossy(s).into_owned()),
        Value::Array(a) => {
            let is_list = a
                .map
                .keys()
                .enumerate()
                .all(|(i, k)| *k == Key::Int(i as i64));
            // A walk cut short by a limit ends the run before this is seen.
            let elements = || a.map.iter().take_while(|_| crate::walk::visit());
            if is_list {
                Json::Array(elements().map(|(_, v)| to_json(v)).collect())
            } else {
                Json::Object(
                    elements()
                        .map(|(k, v)| {
                            let key = match k {
                                Key::Int(i) => i.to_string(),
                                Key::Str(s) => String::from_utf8_lossy(s).into_owned(),
                            };
                            (key, to_json(v))
                        })
                        .collect(),
                )
            }
        }
        Value::Function(_) | Value::Object(_) | Value::Regex(_) => Json::Null,
    }
}
