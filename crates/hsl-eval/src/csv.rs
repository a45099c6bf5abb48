//! `csv_encode` and `csv_decode` (RFC 4180). Option `delimiter` (one
//! character, default `,`) for both; `header` (default false) makes
//! `csv_decode` key each record by the first record's fields.

use crate::args;
use crate::builtins::{array, option_flag, options_arg, string_arg, R};
use crate::interp::error;
use crate::limits::Meter;
use crate::value::{Array, Value};
use hsl_syntax::Span;
use std::rc::Rc;

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &["csv_encode", "csv_decode"],
    call: family,
};

/// The `csv_*` family.
pub(crate) fn family(
    it: &mut crate::Interpreter,
    name: &str,
    a: &[Value],
    span: Span,
) -> Option<R<Value>> {
    Some(match name {
        "csv_encode" => encode_call(name, a, &it.meter().limits, span),
        "csv_decode" => decode_call(it.meter(), name, a, span),
        _ => return None,
    })
}

fn delimiter(name: &str, options: &Option<Rc<Array>>, span: Span) -> R<u8> {
    match args::option(options, "delimiter").map(Value::to_bytes) {
        None => Ok(b','),
        Some(d) if d.len() == 1 && !matches!(d[0], b'"' | b'\r' | b'\n') => Ok(d[0]),
        Some(d) => error(
            span,
            format!(
                "{name}() delimiter must be one character other than a quote or line break, not \"{}\"",
                String::from_utf8_lossy(&d)
            ),
        ),
    }
}

/// One record, without a line terminator. A field is quoted when it holds
/// the delimiter, a quote or a line break (quotes doubled); a record of a
/// single empty field is written `""` so that it is not an empty line.
fn encode_call(name: &str, a: &[Value], limits: &crate::Limits, span: Span) -> R<Value> {
    let values = array(name, &a[0], span)?;
    let delim = delimiter(name, &options_arg(name, a.get(1), span)?, span)?;
    let mut out = Vec::new();
    for (i, v) in values.map.values().enumerate() {
        if matches!(v, Value::Array(_) | Value::Object(_) | Value::Function(_)) {
            return error(
                span,
                format!("{name}() cannot write a field of type {}", v.type_name()),
            );
        }
        let field = v.as_bytes();
        let quoted = field
            .iter()
            .any(|&b| b == delim || matches!(b, b'"' | b'\r' | b'\n'))
            || (values.map.len() == 1 && field.is_empty());
        // A quoted field doubles its quotes: up to twice its length.
        let quotes = if quoted {
            2 + field.iter().filter(|&&b| b == b'"').count()
        } else {
            0
        };
        limits.string_room(&mut out, usize::from(i > 0) + field.len() + quotes, span)?;
        if i > 0 {
            out.push(delim);
        }
        if quoted {
            out.push(b'"');
            for &b in field.iter() {
                if b == b'"' {
                    out.push(b'"');
                }
                out.push(b);
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(&field);
        }
    }
    Ok(Value::str(out))
}

fn decode_call(meter: &Meter, name: &str, a: &[Value], span: Span) -> R<Value> {
    let text = string_arg(name, &a[0], span)?;
    let options = options_arg(name, a.get(1), span)?;
    let delim = delimiter(name, &options, span)?;
    let mut fields = 0usize;
    let mut budget = || {
        fields += 1;
        if !fields.is_multiple_of(CHECK_EVERY) {
            return Ok(());
        }
        meter.deadline(span)?;
        meter.limits.array(fields as f64, span)
    };
    let Some(mut records) = parse(&text, delim, &mut budget)? else {
        return Ok(Value::None);
    };
    let row = |fields: Vec<Vec<u8>>| {
        Value::Array(Rc::new(Array::list(fields.into_iter().map(Value::str))))
    };
    if !option_flag(&options, "header") || records.is_empty() {
        return Ok(Value::Array(Rc::new(Array::list(
            records.into_iter().map(row),
        ))));
    }
    let header: Vec<Value> = records.remove(0).into_iter().map(Value::str).collect();
    let keyed = records.into_iter().map(|fields| {
        let mut record = Array::default();
        for (k, v) in header.iter().zip(fields) {
            record.insert(k.to_key(), Value::str(v));
        }
        Value::Array(Rc::new(record))
    });
    Ok(Value::Array(Rc::new(Array::list(keyed))))
}

/// Fields between two looks at the clock and the memory limit.
const CHECK_EVERY: usize = 4096;

/// Records of fields. Lines end with CRLF or LF (a final line break is
/// optional); `None` for an unterminated quoted field or text after a
/// closing quote. `budget` is called once per field, before it is kept.
fn parse(
    text: &[u8],
    delim: u8,
    budget: &mut dyn FnMut() -> R<()>,
) -> R<Option<Vec<Vec<Vec<u8>>>>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut i = 0;
    while i < text.len() {
        budget()?;
        let Some((field, end)) = field(text, i, delim) else {
            return Ok(None);
        };
        record.push(field);
        i = end;
        let line_break = match &text[i.min(text.len())..] {
            [] => 0,
            [b'\r', b'\n', ..] => 2,
            [b'\n', ..] => 1,
            [b, ..] if *b == delim => {
                i += 1;
                if i == text.len() {
                    record.push(Vec::new());
                }
                continue;
            }
            _ => return Ok(None),
        };
        i += line_break;
        records.push(std::mem::take(&mut record));
    }
    if !record.is_empty() {
        records.push(record);
    }
    Ok(Some(records))
}

/// The field starting at `start` and the offset just after it.
fn field(text: &[u8], start: usize, delim: u8) -> Option<(Vec<u8>, usize)> {
    let mut field = Vec::new();
    let mut i = start;
    if text[start] != b'"' {
        while let Some(&b) = text.get(i) {
            if b == delim || b == b'\n' || text[i..].starts_with(b"\r\n") {
                break;
            }
            field.push(b);
            i += 1;
        }
        return Some((field, i));
    }
    i += 1;
    loop {
        match (*text.get(i)?, text.get(i + 1)) {
            (b'"', Some(b'"')) => {
                field.push(b'"');
                i += 2;
            }
            (b'"', _) => return Some((field, i + 1)),
            (b, _) => {
                field.push(b);
                i += 1;
            }
        }
    }
}
