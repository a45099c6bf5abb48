//! Data imports (`import $v from "file.json" [with options];`): the file's
//! contents decoded by its extension — JSON (comments allowed), YAML, CSV
//! (with a header line unless `["header" => false]`), or text (a string, or
//! its lines with `["array" => true]`); a `txt!` prefix reads any file as
//! text.

use crate::interp::{error, Interpreter};
use crate::json::from_json;
use crate::value::{Array, Function, Value};
use hsl_syntax::Span;
use std::path::Path;
use std::rc::Rc;

/// Decodes the bytes of the data file `file`, imported as `spec` at `span`.
pub(crate) fn decode(
    it: &mut Interpreter,
    spec: &str,
    file: &Path,
    bytes: &[u8],
    options: &Value,
    span: Span,
) -> crate::R<Value> {
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let kind = if spec.starts_with("txt!") { "txt" } else { ext };
    let decoded = match kind {
        "txt" => return Ok(text(bytes, options)),
        "json" => {
            return match serde_json::from_slice(&without_comments(bytes)) {
                Ok(json) => Ok(from_json(&json)),
                Err(e) => error(span, format!("`{spec}` is not valid JSON: {e}")),
            }
        }
        "yaml" | "yml" => core(it, "yaml_decode", vec![Value::str(bytes)], span)?,
        "csv" => {
            let mut with = match options {
                Value::Array(a) => a.as_ref().clone(),
                _ => Array::default(),
            };
            let header = Value::str("header").to_key();
            if !with.map.contains_key(&header) {
                with.insert(header, Value::Bool(true));
            }
            let args = vec![Value::str(bytes), Value::Array(Rc::new(with))];
            core(it, "csv_decode", args, span)?
        }
        _ => {
            return error(
                span,
                format!(
                "data imports of `.{ext}` files are not supported (json, yaml, csv and txt are)"
            ),
            )
        }
    };
    if matches!(decoded, Value::None) && !bytes.trim_ascii().is_empty() {
        return error(span, format!("`{spec}` is not a valid .{kind} file"));
    }
    Ok(decoded)
}

fn core(it: &mut Interpreter, name: &str, args: Vec<Value>, span: Span) -> crate::R<Value> {
    it.call_value(&Function::Named(name.to_string()), args, true, span)
}

/// A text import: the string, or with `["array" => true]` (also written
/// `["type" => "array"]`) its lines without line terminators.
fn text(bytes: &[u8], options: &Value) -> Value {
    let option = |name: &str| match options {
        Value::Array(a) => a.map.get(&Value::str(name).to_key()).cloned(),
        _ => None,
    };
    let lines = option("array").is_some_and(|v| v.truthy())
        || option("type").is_some_and(|v| v.to_bytes() == b"array");
    if !lines {
        return Value::str(bytes);
    }
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let list = body
        .split(|&b| b == b'\n')
        .map(|line| Value::str(line.strip_suffix(b"\r").unwrap_or(line)));
    Value::Array(Rc::new(Array::list(list)))
}

/// JSON text with `//` and `/* */` comments (outside strings) blanked out,
/// so positions in parse errors stay right.
fn without_comments(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let (mut i, mut in_string) = (0, false);
    while i < out.len() {
        match (in_string, out[i], out.get(i + 1)) {
            (true, b'\\', _) => i += 1,
            (_, b'"', _) => in_string = !in_string,
            (false, b'/', Some(b'/')) => {
                while i < out.len() && out[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
            }
            (false, b'/', Some(b'*')) => {
                let end = out[i + 2..]
                    .windows(2)
                    .position(|w| w == b"*/")
                    .map_or(out.len(), |p| i + 2 + p + 2);
                for b in &mut out[i..end] {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_outside_strings_are_blanked() {
        let got = without_comments(b"{\"a\": \"x//y\", // note\n/* b */ \"b\": 1}");
        let json: serde_json::Value = serde_json::from_slice(&got).unwrap();
        assert_eq!(json, serde_json::json!({"a": "x//y", "b": 1}));
    }
}
