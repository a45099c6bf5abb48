//! The `memory_*` functions: a key/value store shared by every script run
//! in the process, like Halon's shared memory. Values are not thread-safe,
//! so each thread has its own store; the interpreter runs a script on one
//! thread, so all runs on that thread (the hooks of a simulated server)
//! share it. It does not share storage with `barrier` variables.
//!
//! The reference gives only signatures; the callbacks work as follows (the
//! callback sees the value as it is when called, so it acts as a
//! compare-and-set or atomic update would in Halon):
//! - `memory_store(key, value [, callback])`: stores `value`; with a
//!   callback, only when `callback(current)` is true (current is none for a
//!   missing key). Returns whether it stored.
//! - `memory_add(key, value)`: stores only when the key is missing.
//! - `memory_fetch(key [, callback])`: the value (none when missing); with a
//!   callback, `callback(value)` for an existing key.
//! - `memory_exists(key [, callback])`: whether the key exists (and, with a
//!   callback, `callback(value)` is true).
//! - `memory_delete(key [, callback])`: removes the key (with a callback,
//!   only when `callback(value)` is true); whether it removed one.
//! - `memory_update(key, value, callback [, initial])`: stores
//!   `callback(current, value)`, where a missing key's current value is
//!   `initial`; without `initial` a missing key is left alone (false).
//! - `memory_inc(key [, offset = 1])`, `memory_dec(key [, offset = 1,
//!   remove_if_zero = false])`: add or subtract and return the new number.
//!   `memory_inc` starts a missing key at 0; `memory_dec` of a missing key,
//!   or either of a value that is not a number, gives none. With
//!   `remove_if_zero`, a count reaching 0 or less is removed.
//!
//! Functions and objects belong to one run and cannot be stored.

use crate::builtins::{callback, number_arg, string_arg, R};
use crate::interp::{error, Interpreter};
use crate::value::{Function, Value};
use hsl_syntax::Span;
use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    static STORE: RefCell<HashMap<Vec<u8>, Value>> = RefCell::new(HashMap::new());
}

fn get(key: &[u8]) -> Option<Value> {
    STORE.with(|s| s.borrow().get(key).cloned())
}

fn put(key: Vec<u8>, value: Value) {
    STORE.with(|s| s.borrow_mut().insert(key, value));
}

fn remove(key: &[u8]) -> bool {
    STORE.with(|s| s.borrow_mut().remove(key).is_some())
}

/// Refuses values that cannot outlive a run (functions, objects, regexes),
/// also inside arrays.
fn storable(name: &str, v: &Value, span: Span) -> R<()> {
    match v {
        Value::Function(_) | Value::Object(_) | Value::Regex(_) => error(
            span,
            format!("{name}() cannot store a value of type {}", v.type_name()),
        ),
        // A walk cut short by a limit ends the run before anything is stored.
        Value::Array(a) => a
            .map
            .values()
            .take_while(|_| crate::walk::visit())
            .try_for_each(|x| storable(name, x, span)),
        _ => Ok(()),
    }
}

/// The optional callback at `i`.
fn optional_callback(name: &str, a: &[Value], i: usize, span: Span) -> R<Option<Function>> {
    a.get(i).map(|f| callback(f, name, span)).transpose()
}

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &[
        "memory_add",
        "memory_store",
        "memory_dec",
        "memory_update",
        "memory_delete",
        "memory_exists",
        "memory_fetch",
        "memory_inc",
    ],
    call,
};

/// The memory family: answers `None` for names it does not own.
pub(crate) fn call(it: &mut Interpreter, name: &str, a: &[Value], span: Span) -> Option<R<Value>> {
    Some(run(it, name, a, span))
}

fn run(it: &mut Interpreter, name: &str, a: &[Value], span: Span) -> R<Value> {
    let key = string_arg(name, &a[0], span)?;
    let current = get(&key);
    let ask = |it: &mut Interpreter, f: Option<Function>, arg: Value| -> R<bool> {
        match f {
            Some(f) => Ok(it.call_value(&f, vec![arg], false, span)?.truthy()),
            None => Ok(true),
        }
    };
    Ok(match name {
        "memory_add" | "memory_store" => {
            storable(name, &a[1], span)?;
            let f = optional_callback(name, a, 2, span)?;
            let store = if name == "memory_add" {
                current.is_none()
            } else {
                ask(it, f, current.unwrap_or_default())?
            };
            if store {
                put(key, a[1].clone());
            }
            Value::Bool(store)
        }
        "memory_fetch" => match (current, optional_callback(name, a, 1, span)?) {
            (Some(v), Some(f)) => it.call_value(&f, vec![v], false, span)?,
            (v, _) => v.unwrap_or_default(),
        },
        "memory_exists" | "memory_delete" => {
            let f = optional_callback(name, a, 1, span)?;
            let hit = match current {
                Some(v) => ask(it, f, v)?,
                None => false,
            };
            if hit && name == "memory_delete" {
                remove(&key);
            }
            Value::Bool(hit)
        }
        "memory_update" => {
            let f = callback(&a[2], name, span)?;
            let Some(old) = current.or_else(|| a.get(3).cloned()) else {
                return Ok(Value::Bool(false));
            };
            let new = it.call_value(&f, vec![old, a[1].clone()], false, span)?;
            storable(name, &new, span)?;
            put(key, new);
            Value::Bool(true)
        }
        _ => {
            let offset = match a.get(1) {
                Some(v) => number_arg(name, v, span)?,
                None => 1.0,
            };
            let remove_if_zero = a.get(2).is_some_and(Value::truthy);
            let old = match (current, name) {
                (Some(Value::Number(n)), _) => n,
                (None, "memory_inc") => 0.0,
                _ => return Ok(Value::None),
            };
            let new = if name == "memory_inc" {
                old + offset
            } else {
                old - offset
            };
            if remove_if_zero && new <= 0.0 {
                remove(&key);
            } else {
                put(key, Value::Number(new));
            }
            Value::Number(new)
        }
    })
}

#[cfg(test)]
mod tests {
    fn run(source: &str) -> String {
        let mut out = Vec::new();
        crate::run_source(source, "m.hsl", &Default::default(), &mut |b| {
            out.extend_from_slice(b)
        })
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn later_runs_on_the_thread_see_the_store_and_other_threads_do_not() {
        run("memory_store(\"t:shared\", [1, 2]);");
        assert_eq!(run("echo memory_fetch(\"t:shared\");"), "[0=>1,1=>2]\n");
        let elsewhere = std::thread::spawn(|| run("echo memory_exists(\"t:shared\");"));
        assert_eq!(elsewhere.join().unwrap(), "false\n");
        run("memory_delete(\"t:shared\");");
    }
}
