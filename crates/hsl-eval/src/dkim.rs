//! `header_dkim_decode`: the tag list of a `DKIM-Signature` header value
//! (RFC 6376 §3.2) as an array of tag => value.

use crate::builtins::{options_arg, string_arg, R};
use crate::value::{Array, Value};
use hsl_syntax::Span;
use std::rc::Rc;

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &["header_dkim_decode"],
    call: family,
};

/// The `header_dkim_decode` family. Blanks and line breaks are removed from
/// values (they are folding whitespace there, insignificant in `b=`, `bh=`
/// and `h=`). None for a tag without `=`, a tag name that is not a letter
/// followed by letters, digits or `_`, or a tag given twice. The options
/// array is checked to be an array; no option changes the result yet.
pub(crate) fn family(
    _: &mut crate::Interpreter,
    name: &str,
    a: &[Value],
    span: Span,
) -> Option<R<Value>> {
    if name != "header_dkim_decode" {
        return None;
    }
    let run = || {
        options_arg(name, a.get(1), span)?;
        let value = string_arg(name, &a[0], span)?;
        Ok(decode(&value).map_or(Value::None, |tags| Value::Array(Rc::new(tags))))
    };
    Some(run())
}

fn decode(value: &[u8]) -> Option<Array> {
    let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let mut tags = Array::default();
    for spec in value.split(|&b| b == b';') {
        if spec.iter().all(blank) {
            continue;
        }
        let eq = spec.iter().position(|&b| b == b'=')?;
        let mut words = spec[..eq].split(blank).filter(|w| !w.is_empty());
        let tag = words.next()?;
        let valid = words.next().is_none()
            && tag[0].is_ascii_alphabetic()
            && tag.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_');
        let key = Value::str(tag).to_key();
        if !valid || tags.map.contains_key(&key) {
            return None;
        }
        let text: Vec<u8> = spec[eq + 1..]
            .iter()
            .copied()
            .filter(|b| !blank(b))
            .collect();
        tags.insert(key, Value::str(text));
    }
    Some(tags)
}
