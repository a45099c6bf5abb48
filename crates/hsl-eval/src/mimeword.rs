//! `mimeword_encode` and `mimeword_decode`: RFC 2047 encoded words, by the
//! header codec of the mail classes.

use crate::builtins::{string_arg, R};
use crate::mail::header::{decode_words, encode_words};
use crate::value::Value;
use hsl_syntax::Span;

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &["mimeword_encode", "mimeword_decode"],
    call: family,
};

/// The `mimeword_*` family. Encoding leaves printable ASCII as it is and
/// otherwise writes UTF-8 `B` words of at most 75 characters separated by a
/// space; decoding turns every `B` or `Q` word of a known charset into
/// UTF-8, drops blanks between adjacent words and keeps other text (and
/// broken words) as written.
pub(crate) fn family(
    _: &mut crate::Interpreter,
    name: &str,
    a: &[Value],
    span: Span,
) -> Option<R<Value>> {
    let f: fn(&[u8]) -> Vec<u8> = match name {
        "mimeword_encode" => |v| encode_words(v, b""),
        "mimeword_decode" => decode_words,
        _ => return None,
    };
    Some(string_arg(name, &a[0], span).map(|s| Value::str(f(&s))))
}
