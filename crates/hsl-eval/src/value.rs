//! Values: none, booleans, numbers (doubles), byte strings, ordered arrays
//! with Halon's key rules and copy-on-write value semantics, and functions.

use indexmap::IndexMap;
use std::fmt::Write;
use std::rc::Rc;

/// An array key after normalisation: an integer or a string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// Integer key.
    Int(i64),
    /// String key (bytes).
    Str(Rc<[u8]>),
}

/// An ordered map from keys to values (Halon's array).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Array {
    /// Entries in insertion order.
    pub map: IndexMap<Key, Value, rustc_hash::FxBuildHasher>,
    /// The next automatic index.
    pub next: i64,
}

impl Array {
    /// Appends with the next automatic index.
    pub fn push(&mut self, v: Value) {
        let k = self.next;
        self.insert(Key::Int(k), v);
    }

    /// Inserts or replaces.
    pub fn insert(&mut self, k: Key, v: Value) {
        if let Key::Int(i) = k {
            self.next = self.next.max(i + 1);
        }
        self.map.insert(k, v);
    }

    /// A list of values with keys 0…n-1.
    pub fn list(values: impl IntoIterator<Item = Value>) -> Array {
        let values = values.into_iter();
        let mut a = Array::default();
        a.map.reserve(values.size_hint().0);
        for v in values {
            a.push(v);
        }
        a
    }
}

/// A callable value.
#[derive(Debug)]
pub enum Function {
    /// A named user or builtin function, or a class (calling constructs it).
    Named(String),
    /// An anonymous function or closure (index into the interpreter's table).
    Closure(usize),
    /// A method bound to its object (`$o->m` read as a value).
    Method(Rc<Object>, String),
}

/// An instance of a user class or of a built-in class such as `Exception`.
/// Objects are shared by reference. Build with `..Default::default()` so
/// new fields need no edits elsewhere.
#[derive(Debug, Default)]
pub struct Object {
    /// The class name.
    pub class: String,
    /// Properties in declaration order.
    pub fields: std::cell::RefCell<IndexMap<String, Value>>,
    /// The entries of a built-in collection (`Map`, `Set`).
    pub entries: std::cell::RefCell<Array>,
    /// The state of a built-in class implemented in Rust (mail classes,
    /// `File`, `Iconv`); `None` for user classes and the classes above.
    pub native: Option<crate::mail::Native>,
}

/// An HSL value.
///
/// The tag takes a whole word so that a value is two plain words: copies
/// are then two moves, where a one-byte tag with a `bool` beside it made
/// the compiler copy odd-sized pieces that stall the processor.
#[derive(Clone, Debug, Default)]
#[repr(u64)]
pub enum Value {
    /// `none`
    #[default]
    None,
    /// `true`/`false`
    Bool(bool),
    /// A number.
    Number(f64),
    /// A byte string.
    Str(Rc<Vec<u8>>),
    /// An array (copied on write).
    Array(Rc<Array>),
    /// A function value.
    Function(Rc<Function>),
    /// An object (shared by reference).
    Object(Rc<Object>),
    /// A regex literal: pattern and flags.
    Regex(Rc<(String, String)>),
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        strict_eq(self, other)
    }
}

impl Value {
    /// A string value.
    pub fn str(s: impl Into<Vec<u8>>) -> Value {
        Value::Str(Rc::new(s.into()))
    }

    /// The type name used in messages and `is_*` functions.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "none",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::Str(_) => "string",
            Value::Array(_) => "array",
            Value::Function(_) => "function",
            Value::Object(_) => "object",
            Value::Regex(_) => "regex",
        }
    }

    /// Truthiness: none, false, 0, "" and [] are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Number(n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Array(a) => !a.map.is_empty(),
            Value::Function(_) | Value::Object(_) | Value::Regex(_) => true,
        }
    }

    /// Conversion to number: booleans 1/0, decimal or `0x` text, else 0.
    pub fn to_number(&self) -> f64 {
        match self {
            Value::Number(n) => *n,
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Str(s) => parse_number(&String::from_utf8_lossy(s)),
            _ => 0.0,
        }
    }

    /// The string form, borrowed when the value is a string.
    pub fn as_bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        match self {
            Value::Str(s) => std::borrow::Cow::Borrowed(s.as_slice()),
            other => std::borrow::Cow::Owned(other.to_bytes()),
        }
    }

    /// The text form (`string()`, interpolation, `echo`).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_bytes_within(usize::MAX)
    }

    /// The text form, where the form of an array stops soon after `most`
    /// bytes (for embedders that turn values into bounded text, such as
    /// reply lines, after a run).
    pub fn to_bytes_within(&self, most: usize) -> Vec<u8> {
        match self {
            Value::Str(s) => s.as_ref().clone(),
            other => {
                let mut out = String::new();
                display(other, &mut out, false, most);
                out.into_bytes()
            }
        }
    }

    /// What an uncaught `throw` of this value says: an exception's
    /// message, or the value's text form (an array's cut after 64 KiB).
    pub fn thrown_text(&self) -> String {
        let text = match self {
            Value::Object(o) => o.exception_message(),
            _ => None,
        };
        let text = text.unwrap_or_else(|| self.to_bytes_within(64 << 10));
        String::from_utf8_lossy(&text).into_owned()
    }

    /// The array key this value stands for.
    pub fn to_key(&self) -> Key {
        match self {
            Value::Bool(b) => Key::Int(i64::from(*b)),
            Value::Number(n) => Key::Int(n.trunc() as i32 as i64),
            Value::Str(s) => match std::str::from_utf8(s)
                .ok()
                .and_then(|t| t.parse::<i64>().ok())
            {
                Some(i) if i.to_string().as_bytes() == s.as_slice() => Key::Int(i),
                _ => Key::Str(Rc::from(s.as_slice())),
            },
            other => Key::Str(Rc::from(other.to_bytes().as_slice())),
        }
    }
}

impl Object {
    /// An instance of the built-in `Exception` class.
    pub fn exception(message: impl Into<Vec<u8>>) -> Value {
        let mut fields = IndexMap::new();
        fields.insert("message".to_string(), Value::str(message));
        Value::Object(Rc::new(Object {
            class: "Exception".into(),
            fields: std::cell::RefCell::new(fields),
            ..Default::default()
        }))
    }

    /// An empty `Map` or `Set`.
    pub fn collection(class: &str) -> Value {
        Value::Object(Rc::new(Object {
            class: class.into(),
            ..Default::default()
        }))
    }

    /// The message of an `Exception`, if this is one.
    pub fn exception_message(&self) -> Option<Vec<u8>> {
        (self.class == "Exception").then(|| {
            self.fields
                .borrow()
                .get("message")
                .map(Value::to_bytes)
                .unwrap_or_default()
        })
    }
}

/// Parses decimal or hexadecimal text as a number; anything else is 0.
pub fn parse_number(text: &str) -> f64 {
    let t = text.trim();
    if let Some(hex) = t.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).map_or(0.0, |v| v as f64);
    }
    t.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .unwrap_or(0.0)
}

/// The text form of a number: integers without a fraction, others in the
/// shortest form that reads back the same.
pub fn number_text(n: f64) -> String {
    if n.is_nan() {
        "nan".into()
    } else if n.is_infinite() {
        if n > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else if n == n.trunc() && n.abs() < 1e21 {
        format!("{}", n as i128)
    } else {
        format!("{n}")
    }
}

fn display(v: &Value, out: &mut String, quoted: bool, most: usize) {
    match v {
        Value::None => out.push_str("none"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_text(*n)),
        Value::Str(s) if quoted => {
            out.push('"');
            out.push_str(&String::from_utf8_lossy(s));
            out.push('"');
        }
        Value::Str(s) => out.push_str(&String::from_utf8_lossy(s)),
        Value::Array(a) => {
            out.push('[');
            for (i, (k, v)) in a.map.iter().enumerate() {
                // A walk cut short by a limit ends the run before this is seen.
                if out.len() > most || !crate::walk::visit() {
                    break;
                }
                if i > 0 {
                    out.push(',');
                }
                match k {
                    Key::Int(n) => {
                        let _ = write!(out, "{n}");
                    }
                    Key::Str(s) => {
                        let _ = write!(out, "\"{}\"", String::from_utf8_lossy(s));
                    }
                }
                out.push_str("=>");
                display(v, out, true, most);
            }
            out.push(']');
        }
        Value::Function(_) => out.push_str("function"),
        Value::Object(o) => {
            let _ = write!(out, "{}()", o.class);
        }
        Value::Regex(r) => {
            let _ = write!(out, "/{}/{}", r.0, r.1);
        }
    }
}

/// `===`: same type and value; arrays by contents, functions by identity.
pub fn strict_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            Rc::ptr_eq(x, y)
                || x.map.len() == y.map.len()
                    && x.map.iter().zip(y.map.iter()).all(|((k1, v1), (k2, v2))| {
                        // A walk cut short by a limit ends the run before
                        // its answer is seen.
                        crate::walk::visit() && k1 == k2 && strict_eq(v1, v2)
                    })
        }
        (Value::Function(x), Value::Function(y)) => Rc::ptr_eq(x, y),
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
        (Value::Regex(x), Value::Regex(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// `==` following the reference's table of loose comparisons.
pub fn loose_eq(a: &Value, b: &Value) -> bool {
    use Value::*;
    let num = |v: bool| f64::from(u8::from(v));
    match (a, b) {
        (None, None) => true,
        (None, _) | (_, None) => false,
        (Bool(x), Number(y)) => num(*x) == *y,
        (Number(x), Bool(y)) => *x == num(*y),
        (Bool(x), _) => *x == b.truthy(),
        (_, Bool(y)) => a.truthy() == *y,
        (Number(x), Number(y)) => x == y,
        (Number(x), Str(_)) => *x == b.to_number(),
        (Str(_), Number(y)) => a.to_number() == *y,
        (Number(x), _) => *x == num(b.truthy()),
        (_, Number(y)) => num(a.truthy()) == *y,
        _ => strict_eq(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_equality_table() {
        let s = |t: &str| Value::str(t);
        assert!(
            !loose_eq(&Value::Number(5.0), &Value::Bool(true)),
            "5 == true is false (5 is not 1)"
        );
        assert!(loose_eq(&Value::Number(1.0), &Value::Bool(true)));
        assert!(loose_eq(&s("1"), &Value::Number(1.0)));
        assert!(loose_eq(&s("abc"), &Value::Number(0.0)));
        assert!(!loose_eq(&Value::None, &Value::Bool(false)));
        assert!(loose_eq(
            &Value::Array(Rc::new(Array::default())),
            &Value::Bool(false)
        ));
        assert!(loose_eq(
            &Value::Array(Rc::new(Array::list([Value::Number(1.0)]))),
            &Value::Number(1.0)
        ));
    }

    #[test]
    fn keys_and_text() {
        assert_eq!(Value::str("1").to_key(), Key::Int(1));
        assert_eq!(Value::str("1.9").to_key(), Key::Str(Rc::from(&b"1.9"[..])));
        assert_eq!(Value::Number(1.9).to_key(), Key::Int(1));
        assert_eq!(number_text(1.0), "1");
        assert_eq!(number_text(0.1 + 0.2), "0.30000000000000004");
        let a = Array::list([Value::str("a"), Value::Number(2.0)]);
        assert_eq!(Value::Array(Rc::new(a)).to_bytes(), b"[0=>\"a\",1=>2]");
    }
}
