//! HSL values built from a serde reader (`json_decode`, `yaml_decode`)
//! within the memory budget: each string and array element is charged as
//! the reader produces it, before the value holding it grows.

use crate::limits::Limits;
use crate::value::{Array, Value};
use crate::{Signal, R};
use hsl_syntax::Span;
use serde::de::{DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use std::cell::Cell;
use std::rc::Rc;

/// The value of the document `reader` reads (its error when the text is
/// not one), or the limit error that stopped it. `sorted`: mapping keys
/// are put in byte order, as a JSON object is read.
pub(crate) fn decode<'de, D: serde::Deserializer<'de>>(
    reader: D,
    sorted: bool,
    limits: &Limits,
    span: Span,
) -> R<Result<Value, D::Error>> {
    let stopped = Cell::new(None);
    let build = Build {
        limits,
        span,
        sorted,
        stopped: &stopped,
    };
    let value = build.deserialize(reader);
    match stopped.take() {
        Some(signal) => Err(signal),
        None => Ok(value),
    }
}

/// Builds HSL values from the reader's events, charging every string and
/// array element to the memory budget as it comes: an alias replays its
/// anchored node, so a few bytes of YAML can stand for millions of values.
#[derive(Clone, Copy)]
struct Build<'a> {
    limits: &'a Limits,
    span: Span,
    /// Whether the keys of a mapping are strings put in byte order (as
    /// JSON objects are read), else kept in the order written.
    sorted: bool,
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
        let mut read = Vec::new();
        while let Some(k) = entries.next_key_seed(self)? {
            let v = entries.next_value_seed(self)?;
            let room = self.limits.room(
                &mut read,
                1,
                |n| format!("an array of {n} elements"),
                self.span,
            );
            self.charge(room)?;
            read.push((k, v));
        }
        if self.sorted {
            // Stable: of equal keys, the last one written is inserted last.
            read.sort_by(|(a, _), (b, _)| a.as_bytes().cmp(&b.as_bytes()));
        }
        let mut out = Array::default();
        for (k, v) in read {
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
