//! `yaml_decode`: one YAML document as an HSL value. Mappings become keyed
//! arrays, sequences lists, null none; a tagged value (`!tag x`) decodes as
//! its content. Text that is not exactly one YAML document gives none; of
//! keys that stand for the same array key, the last one's value is kept.

use crate::builtins::{options_arg, string_arg, R};
use crate::limits::Limits;
use crate::value::{Array, Value};
use crate::Signal;
use hsl_syntax::Span;
use serde::de::{DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use std::cell::Cell;
use std::rc::Rc;

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
        let stopped = Cell::new(None);
        let build = Build {
            limits: &it.meter().limits,
            span,
            stopped: &stopped,
        };
        let value = build.deserialize(serde_norway::Deserializer::from_slice(&text));
        match stopped.take() {
            Some(signal) => Err(signal),
            None => Ok(value.unwrap_or(Value::None)),
        }
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

/// Builds HSL values from the reader's events, charging every string and
/// array element to the memory budget as it comes: an alias replays its
/// anchored node, so a few bytes of YAML can stand for millions of values.
#[derive(Clone, Copy)]
struct Build<'a> {
    limits: &'a Limits,
    span: Span,
    /// The limit error that stopped the build.
    stopped: &'a Cell<Option<Box<Signal>>>,
}

impl Build<'_> {
    /// Stops the build when `charged` failed, keeping its error.
    fn charge<E: serde::de::Error>(&self, charged: R<()>) -> Result<(), E> {
        charged.map_err(|signal| {
            self.stopped.set(Some(signal));
            E::custom("memory limit")
        })
    }
}

impl<'de> DeserializeSeed<'de> for Build<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Build<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::None)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::None)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Number(n))
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Value, E> {
        self.charge(self.limits.string(s.len() as f64, self.span))?;
        Ok(Value::str(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut out = Array::default();
        while let Some(v) = items.next_element_seed(self)? {
            self.charge(self.limits.element_room(&mut out, None, self.span))?;
            out.push(v);
        }
        Ok(Value::Array(Rc::new(out)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut out = Array::default();
        while let Some(k) = entries.next_key_seed(self)? {
            let v = entries.next_value_seed(self)?;
            let key = k.to_key();
            self.charge(self.limits.element_room(&mut out, Some(&key), self.span))?;
            out.insert(key, v);
        }
        Ok(Value::Array(Rc::new(out)))
    }

    /// A tagged value (`!tag x`): its content.
    fn visit_enum<A: EnumAccess<'de>>(self, tagged: A) -> Result<Value, A::Error> {
        let (_, content) = tagged.variant::<serde::de::IgnoredAny>()?;
        content.newtype_variant_seed(self)
    }
}
