//! Private-key objects (`RSAPrivateKey`, `ED25519PrivateKey`). The object's
//! native state is the key text it was made from, already checked to parse;
//! scripts cannot make or change that state, so only the key constructors
//! can make an object that passes.

use crate::builtins::R;
use crate::interp::error;
use crate::mail::Native;
use crate::value::{Object, Value};
use hsl_syntax::Span;
use std::rc::Rc;

/// The class of RSA private-key objects.
pub(super) const RSA: &str = "RSAPrivateKey";
/// The class of Ed25519 private-key objects.
pub(super) const ED25519: &str = "ED25519PrivateKey";

/// A key object of `class` holding `key`, a text that parses as such a key.
pub(super) fn new(class: &str, key: &[u8]) -> Value {
    Value::Object(Rc::new(Object {
        class: class.into(),
        native: Some(Native::Key(key.into())),
        ..Default::default()
    }))
}

/// The key text of `v` if it is a key object of `class`.
pub(super) fn text(v: &Value, class: &str) -> Option<Vec<u8>> {
    let Value::Object(o) = v else { return None };
    if o.class != class {
        return None;
    }
    match &o.native {
        Some(Native::Key(key)) => Some(key.to_vec()),
        _ => None,
    }
}

/// The key argument of a signing function: the text of a key object of
/// `class`, or a string as given; any other value is a catchable error.
pub(super) fn arg(name: &str, v: &Value, class: &str, span: Span) -> R<Vec<u8>> {
    if let Some(key) = text(v, class) {
        return Ok(key);
    }
    let what = match v {
        Value::Str(s) => return Ok(s.to_vec()),
        Value::Object(o) => o.class.as_str(),
        other => other.type_name(),
    };
    error(
        span,
        format!("{name}() expects an {class} or a string, not {what}"),
    )
}

/// PEM text without surrounding whitespace; `None` if it is not UTF-8.
pub(super) fn pem(text: &[u8]) -> Option<&str> {
    std::str::from_utf8(text).ok().map(str::trim)
}
