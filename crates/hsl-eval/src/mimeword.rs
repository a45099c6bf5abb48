//! `mimeword_encode` and `mimeword_decode`: RFC 2047 encoded words, by the
//! header codec of the mail classes.

use crate::builtins::{string_arg, R};
use crate::mail::header::{decode_words, encode_words, encoded_words_len};
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
    it: &mut crate::Interpreter,
    name: &str,
    a: &[Value],
    span: Span,
) -> Option<R<Value>> {
    let encode = match name {
        "mimeword_encode" => true,
        "mimeword_decode" => false,
        _ => return None,
    };
    Some((|| {
        let s = string_arg(name, &a[0], span)?;
        if !encode {
            return Ok(Value::str(decode_words(&s)));
        }
        // Words are longer than the text they hold: the result is
        // measured before it is built.
        let len = encoded_words_len(&s, b"");
        it.meter().limits.string(len as f64, span)?;
        Ok(Value::str(encode_words(&s, b"")))
    })())
}
