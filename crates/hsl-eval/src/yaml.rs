//! `yaml_decode`: one YAML document as an HSL value. Mappings become keyed
//! arrays, sequences lists, null none; a tagged value (`!tag x`) decodes as
//! its content. Text that is not exactly one YAML document gives none; of
//! keys that stand for the same array key, the last one's value is kept.

use crate::builtins::{options_arg, string_arg, R};
use crate::value::Value;
use hsl_syntax::Span;

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &["yaml_decode"],
    call: family,
};

/// The `yaml_decode` family. The options array is checked to be an array;
/// no option changes the result yet.
pub(crate) fn family(
    it: &mut crate::Interpreter,
    name: &str,
    a: &[Value],
    span: Span,
) -> Option<R<Value>> {
    if name != "yaml_decode" {
        return None;
    }
    let run = || {
        options_arg(name, a.get(1), span)?;
        let text = string_arg(name, &a[0], span)?;
        if too_deep(&text) {
            return Ok(Value::None);
        }
        let reader = serde_norway::Deserializer::from_slice(&text);
        let value = crate::decode::decode(reader, false, &it.meter().limits, span)?;
        Ok(value.unwrap_or(Value::None))
    };
    Some(run())
}

/// The deepest nesting the YAML reader accepts: a deeper document is not
/// decoded.
const MAX_DEPTH: usize = 128;

/// Whether a line opens more than [`MAX_DEPTH`] block collections at once
/// (`- - - … x`, `? ? … x`). The reader would refuse such a document, but
/// only after a parse whose time grows with the square of the depth, so
/// it is refused before (one pass over the text).
fn too_deep(text: &[u8]) -> bool {
    text.split(|&b| b == b'\n').any(|line| {
        let mut depth = 0;
        let mut rest = line.trim_ascii_start();
        while let [b'-' | b'?', b' ' | b'\t', tail @ ..] = rest {
            depth += 1;
            rest = tail.trim_ascii_start();
        }
        depth > MAX_DEPTH
    })
}
