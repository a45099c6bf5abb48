//! `yaml_decode`: one YAML document as an HSL value. Mappings become keyed
//! arrays, sequences lists, null none; a tagged value (`!tag x`) decodes as
//! its content. Text that is not exactly one YAML document gives none.

use crate::builtins::{options_arg, string_arg, R};
use crate::value::{Array, Value};
use hsl_syntax::Span;
use serde_norway::Value as Yaml;
use std::rc::Rc;

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &["yaml_decode"],
    call: family,
};

/// The `yaml_decode` family. The options array is checked to be an array;
/// no option changes the result yet.
pub(crate) fn family(
    _: &mut crate::Interpreter,
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
        Ok(serde_norway::from_slice::<Yaml>(&text).map_or(Value::None, |y| from_yaml(&y)))
    };
    Some(run())
}

fn from_yaml(y: &Yaml) -> Value {
    match y {
        Yaml::Null => Value::None,
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
        Yaml::String(s) => Value::str(s.as_str()),
        Yaml::Sequence(items) => Value::Array(Rc::new(Array::list(items.iter().map(from_yaml)))),
        Yaml::Mapping(map) => {
            let mut out = Array::default();
            for (k, v) in map {
                out.insert(from_yaml(k).to_key(), from_yaml(v));
            }
            Value::Array(Rc::new(out))
        }
        Yaml::Tagged(t) => from_yaml(&t.value),
    }
}
