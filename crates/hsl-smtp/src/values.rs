//! Building and reading HSL values for hook variables.

use hsl_eval::value::{Array, Key, Value};
use std::rc::Rc;

/// A keyed array from `(key, value)` pairs, in order.
pub fn map<'a>(pairs: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
    let mut a = Array::default();
    for (k, v) in pairs {
        // Names are string keys; only digit strings normalise to integers.
        let key = if k.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
            Value::str(k).to_key()
        } else {
            Key::Str(Rc::from(k.as_bytes()))
        };
        a.insert(key, v);
    }
    Value::Array(Rc::new(a))
}

/// A list (keys 0…n-1).
pub fn list(values: impl IntoIterator<Item = Value>) -> Value {
    Value::Array(Rc::new(Array::list(values)))
}

/// A string value.
pub fn text(s: &str) -> Value {
    Value::str(s)
}

/// A number value.
pub fn number(n: impl Into<f64>) -> Value {
    Value::Number(n.into())
}

/// `v[key]` when `v` is an array that has it.
pub fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v {
        Value::Array(a) => a.map.get(&Value::str(key).to_key()),
        _ => None,
    }
}

/// The most of an array's text form kept where a hook's value becomes
/// text (a reply, a header): an array is never what a hook means there.
const ARRAY_TEXT: usize = 64 << 10;

/// The value as a Rust string (bytes read as UTF-8, lossily).
pub fn string(v: &Value) -> String {
    String::from_utf8_lossy(&v.to_bytes_within(ARRAY_TEXT)).into_owned()
}

/// A string, or the elements of an array, as lines.
pub fn lines(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.map.values().map(string).collect(),
        other => string(other).lines().map(str::to_string).collect(),
    }
}

/// `map` with a `localpart`/`domain` address.
pub fn address(localpart: &str, domain: &str) -> Value {
    map([("localpart", text(localpart)), ("domain", text(domain))])
}
