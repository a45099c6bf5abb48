//! The built-in `Map` and `Set` classes. Their iterators (`entries()`,
//! `values()`) are arrays keyed like the collection, so `foreach ($m->entries()
//! as $k => $v)` works.

use crate::interp::error;
use crate::value::{Array, Key, Object, Value};
use hsl_syntax::Span;
use std::rc::Rc;

fn key_value(k: &Key) -> Value {
    match k {
        Key::Int(i) => Value::Number(*i as f64),
        Key::Str(s) => Value::str(s.to_vec()),
    }
}

/// Calls method `name` of a `Map` or `Set`.
pub fn method(object: &Object, name: &str, args: Vec<Value>, span: Span) -> crate::R<Value> {
    let is_map = object.class == "Map";
    let need = |n: usize| -> crate::R<()> {
        if args.len() != n {
            return error(
                span,
                format!(
                    "{}->{name}() takes {n} arguments, {} given",
                    object.class,
                    args.len()
                ),
            );
        }
        Ok(())
    };
    let mut entries = object.entries.borrow_mut();
    Ok(match (name, is_map) {
        ("set", true) | ("add", false) => {
            need(if is_map { 2 } else { 1 })?;
            let value = if is_map {
                args[1].clone()
            } else {
                args[0].clone()
            };
            entries.insert(args[0].to_key(), value);
            Value::Bool(true)
        }
        ("has", _) => {
            need(1)?;
            Value::Bool(entries.map.contains_key(&args[0].to_key()))
        }
        ("get", true) => {
            need(1)?;
            entries
                .map
                .get(&args[0].to_key())
                .cloned()
                .unwrap_or(Value::None)
        }
        ("delete", _) => {
            need(1)?;
            Value::Bool(entries.map.shift_remove(&args[0].to_key()).is_some())
        }
        ("size", _) => {
            need(0)?;
            Value::Number(entries.map.len() as f64)
        }
        ("clear", _) => {
            need(0)?;
            *entries = Array::default();
            Value::None
        }
        ("entries", true) => {
            need(0)?;
            Value::Array(Rc::new(entries.clone()))
        }
        ("values", false) => {
            need(0)?;
            Value::Array(Rc::new(Array::list(entries.map.keys().map(key_value))))
        }
        _ => return error(span, format!("`{}` has no method `{name}`", object.class)),
    })
}
