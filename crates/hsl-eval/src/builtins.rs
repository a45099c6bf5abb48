//! Core function dispatch, the argument helpers shared by the families, and
//! the functions too small for a family of their own (conversions, type
//! tests, math, digests, regular expressions, random values). Every call
//! checks its argument count; an unknown name is a catchable error naming
//! the function.

use crate::interp::{error, Interpreter, Signal};
use crate::value::{Array, Function, Key, Value};
use hsl_syntax::Span;
use std::rc::Rc;

pub(crate) type R<T> = Result<T, Signal>;

/// A family of core functions kept in its own module: it answers `None`
/// for names it does not own.
pub(crate) type Family = fn(&mut Interpreter, &str, &[Value], Span) -> Option<R<Value>>;

/// The families tried, in order, for names this module does not implement.
const FAMILIES: &[Family] = &[
    crate::strings::call,
    crate::arrays::call,
    crate::time::call,
    crate::pack::call,
    crate::memory::call,
    crate::mail::construct,
    crate::encoding::family,
    crate::compress::family,
    crate::csv::family,
    crate::yaml::family,
    crate::mimeword::family,
    crate::address::family,
    crate::dkim::family,
    crate::url::family,
    crate::domain::family,
    crate::net::family,
    crate::crypto::family,
];

pub(crate) fn arity(name: &str, args: &[Value], min: usize, max: usize, span: Span) -> R<()> {
    if args.len() < min || args.len() > max {
        let expected = match (min, max) {
            (1, 1) => "1 argument".to_string(),
            (a, b) if a == b => format!("{a} arguments"),
            (a, b) => format!("{a} to {b} arguments"),
        };
        return error(
            span,
            format!("{name}() takes {expected}, {} given", args.len()),
        );
    }
    Ok(())
}

pub(crate) fn text(v: &Value) -> String {
    String::from_utf8_lossy(&v.to_bytes()).into_owned()
}

pub(crate) fn array<'a>(name: &str, v: &'a Value, span: Span) -> R<&'a Rc<Array>> {
    match v {
        Value::Array(a) => Ok(a),
        other => error(
            span,
            format!("{name}() expects an array, not {}", other.type_name()),
        ),
    }
}

/// A string argument; numbers are accepted as their text form.
pub(crate) fn string_arg(name: &str, v: &Value, span: Span) -> R<Vec<u8>> {
    match v {
        Value::Str(s) => Ok(s.to_vec()),
        Value::Number(_) => Ok(v.to_bytes()),
        other => error(
            span,
            format!("{name}() expects a string, not {}", other.type_name()),
        ),
    }
}

/// A number argument; booleans count as 1 and 0, as in arithmetic.
pub(crate) fn number_arg(name: &str, v: &Value, span: Span) -> R<f64> {
    match v {
        Value::Number(_) | Value::Bool(_) => Ok(v.to_number()),
        other => error(
            span,
            format!("{name}() expects a number, not {}", other.type_name()),
        ),
    }
}

/// An optional options array (absent or none: no options).
pub(crate) fn options_arg(name: &str, v: Option<&Value>, span: Span) -> R<Option<Rc<Array>>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Array(a)) => Ok(Some(a.clone())),
        Some(other) => error(
            span,
            format!(
                "{name}() expects an options array, not {}",
                other.type_name()
            ),
        ),
    }
}

/// Whether option `key` is set to a truthy value.
pub(crate) fn option_flag(options: &Option<Rc<Array>>, key: &str) -> bool {
    crate::args::option(options, key).is_some_and(Value::truthy)
}

pub(crate) fn key_value(k: &Key) -> Value {
    match k {
        Key::Int(i) => Value::Number(*i as f64),
        Key::Str(s) => Value::str(s.to_vec()),
    }
}

pub(crate) fn callback(v: &Value, name: &str, span: Span) -> R<Function> {
    match v {
        Value::Function(f) => Ok(match f.as_ref() {
            Function::Named(n) => Function::Named(n.clone()),
            Function::Closure(i) => Function::Closure(*i),
            Function::Method(o, m) => Function::Method(o.clone(), m.clone()),
        }),
        other => error(
            span,
            format!("{name}() expects a function, not {}", other.type_name()),
        ),
    }
}

/// CRC-32 (IEEE 802.3, the checksum of zlib, gzip and PNG): the number
/// `hash()` returns, 0 to 4294967295, the same on every run and machine.
fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    !data.iter().fold(!0u32, |c, &b| {
        TABLE[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8)
    })
}

/// Calls the core function `name`. `gethostname()` answers "localhost" and
/// `syslog()` writes nothing (a script run has no host and no system log);
/// an embedder gives them real behaviour with `Interpreter::define_function`,
/// which takes precedence.
pub fn call(it: &mut Interpreter, name: &str, args: Vec<Value>, span: Span) -> R<Value> {
    let a = &args;
    let num = |i: usize| a[i].to_number();
    Ok(match name {
        "length" => {
            arity(name, a, 1, 1, span)?;
            match &a[0] {
                Value::Str(s) => Value::Number(s.len() as f64),
                Value::Array(x) => Value::Number(x.map.len() as f64),
                other => {
                    return error(
                        span,
                        format!(
                            "length() expects a string or array, not {}",
                            other.type_name()
                        ),
                    )
                }
            }
        }
        "string" => {
            arity(name, a, 1, 1, span)?;
            Value::str(a[0].to_bytes())
        }
        "number" => {
            arity(name, a, 1, 1, span)?;
            Value::Number(a[0].to_number())
        }
        "boolean" => {
            arity(name, a, 1, 1, span)?;
            Value::Bool(a[0].truthy())
        }
        "is_array" | "is_string" | "is_number" | "is_boolean" | "is_function" | "is_object" => {
            arity(name, a, 1, 1, span)?;
            Value::Bool(name[3..] == *a[0].type_name())
        }
        "pcre_match" | "pcre_match_all" => {
            arity(name, a, 2, 2, span)?;
            let r = if name == "pcre_match" {
                crate::regex::first_match(&a[0], &a[1])
            } else {
                crate::regex::all_matches(&a[0], &a[1])
            };
            r.or_else(|m| error(span, m))?
        }
        "pcre_replace" => {
            arity(name, a, 3, 4, span)?;
            let limit = if a.len() > 3 {
                num(3).max(0.0) as usize
            } else {
                0
            };
            crate::regex::replace(&a[0], &a[1], &a[2], limit).or_else(|m| error(span, m))?
        }
        "pcre_quote" => {
            arity(name, a, 1, 1, span)?;
            crate::regex::quote(&a[0])
        }
        "md5" | "sha1" => {
            arity(name, a, 1, 2, span)?;
            crate::encoding::digest(name, &a[0].to_bytes(), a.get(1))
        }
        "sha2" => {
            arity(name, a, 1, 3, span)?;
            let size = if a.len() > 1 { num(1) as u32 } else { 256 };
            crate::encoding::sha2(&a[0].to_bytes(), size, a.get(2)).or_else(|m| error(span, m))?
        }
        "hmac_md5" | "hmac_sha1" | "hmac_sha2" => {
            arity(name, a, 2, 4, span)?;
            let size = if name == "hmac_sha2" && a.len() > 2 {
                num(2) as u32
            } else {
                256
            };
            let options = if name == "hmac_sha2" {
                a.get(3)
            } else {
                a.get(2)
            };
            crate::encoding::hmac(name, &a[0].to_bytes(), &a[1].to_bytes(), size, options)
                .or_else(|m| error(span, m))?
        }
        "base64_encode" | "base64url_encode" => {
            arity(name, a, 1, 1, span)?;
            crate::encoding::base64_encode(name.starts_with("base64url"), &a[0].to_bytes())
        }
        "base64_decode" | "base64url_decode" => {
            arity(name, a, 1, 1, span)?;
            crate::encoding::base64_decode(name.starts_with("base64url"), &a[0].to_bytes())
        }
        "url_encode" => {
            arity(name, a, 1, 1, span)?;
            crate::encoding::url_encode(&a[0].to_bytes())
        }
        "url_decode" => {
            arity(name, a, 1, 1, span)?;
            crate::encoding::url_decode(&a[0].to_bytes())
        }
        "inet_includes" => {
            arity(name, a, 2, 2, span)?;
            crate::net::includes(&text(&a[0]), &text(&a[1])).map_or(Value::None, Value::Bool)
        }
        "time" => {
            arity(name, a, 0, 0, span)?;
            Value::Number(it.now())
        }
        "random_number" => {
            arity(name, a, 0, 2, span)?;
            if a.len() == 2 {
                let (lo, hi) = (num(0).ceil() as i64, num(1).floor() as i64);
                if hi < lo {
                    return error(span, "random_number() needs first <= last");
                }
                let span_len = (hi - lo) as u64 + 1;
                Value::Number((lo + (it.random() % span_len) as i64) as f64)
            } else {
                Value::Number((it.random() >> 11) as f64 / (1u64 << 53) as f64)
            }
        }
        "random_bytes" => {
            arity(name, a, 1, 1, span)?;
            Value::str(
                (0..num(0).max(0.0) as usize)
                    .map(|_| it.random() as u8)
                    .collect::<Vec<u8>>(),
            )
        }
        "uuid" => {
            arity(name, a, 0, 0, span)?;
            let mut b = [0u8; 16];
            b.fill_with(|| it.random() as u8);
            Value::str(crate::crypto::uuid_text(b, 4))
        }
        "json_encode" => {
            arity(name, a, 1, 2, span)?;
            Value::str(crate::json::to_json(&a[0]).to_string())
        }
        "json_decode" => {
            arity(name, a, 1, 1, span)?;
            serde_json::from_slice::<serde_json::Value>(&a[0].to_bytes())
                .map_or(Value::None, |j| crate::json::from_json(&j))
        }
        "Map" | "Set" => {
            arity(name, a, if name == "Map" { 2 } else { 1 }, 2, span)?;
            crate::value::Object::collection(name)
        }
        "Exception" => {
            arity(name, a, 1, 1, span)?;
            crate::value::Object::exception(a[0].to_bytes())
        }
        "abs" | "ceil" | "floor" | "sqrt" => {
            arity(name, a, 1, 1, span)?;
            let x = num(0);
            Value::Number(match name {
                "abs" => x.abs(),
                "ceil" => x.ceil(),
                "floor" => x.floor(),
                _ => x.sqrt(),
            })
        }
        "round" => {
            arity(name, a, 1, 2, span)?;
            let digits = if a.len() > 1 { num(1) } else { 0.0 };
            let scale = 10f64.powf(digits);
            Value::Number((num(0) * scale).round() / scale)
        }
        "pow" => {
            arity(name, a, 2, 2, span)?;
            Value::Number(num(0).powf(num(1)))
        }
        "chr" => {
            arity(name, a, 1, 1, span)?;
            Value::str(vec![num(0) as u8])
        }
        "ord" => {
            arity(name, a, 1, 1, span)?;
            Value::Number(a[0].to_bytes().first().map_or(0.0, |b| f64::from(*b)))
        }
        "log" => {
            arity(name, a, 1, 2, span)?;
            let x = number_arg(name, &a[0], span)?;
            match a.get(1) {
                Some(base) => Value::Number(x.ln() / number_arg(name, base, span)?.ln()),
                None => Value::Number(x.ln()),
            }
        }
        "hash" => {
            arity(name, a, 1, 1, span)?;
            Value::Number(f64::from(crc32(&string_arg(name, &a[0], span)?)))
        }
        "pcre_compile" => {
            arity(name, a, 1, 1, span)?;
            let source = String::from_utf8_lossy(&string_arg(name, &a[0], span)?).into_owned();
            let (body, flags) = crate::regex::split(&source);
            crate::regex::compile(body, flags).or_else(|m| error(span, m))?;
            Value::Regex(Rc::new((body.to_string(), flags.to_string())))
        }
        "gethostname" => {
            arity(name, a, 0, 0, span)?;
            Value::str("localhost")
        }
        "syslog" => {
            arity(name, a, 2, 2, span)?;
            if !matches!(a[0], Value::Str(_) | Value::Number(_)) {
                return error(
                    span,
                    format!(
                        "syslog() expects a string or number priority, not {}",
                        a[0].type_name()
                    ),
                );
            }
            string_arg(name, &a[1], span)?;
            Value::None
        }
        _ => {
            for family in FAMILIES {
                if let Some(result) = family(it, name, a, span) {
                    return result;
                }
            }
            // Old names Halon still accepts (`strlen`, `explode`…) run the
            // function they stand for.
            if let Some(alias) = hsl_catalog::Catalog::get(Default::default()).alias(name) {
                let mut args = args;
                if alias.swapped && args.len() >= 2 {
                    args.swap(0, 1);
                }
                return call(it, &alias.replacement, args, span);
            }
            return error(
                span,
                format!(
                    "`{name}` is not implemented by `hsl run`; if it needs the world (DNS, HTTP, files…) give its result in a stub file: \
                     - {{ function: {name}, args: [...], returns: ... }}"
                ),
            );
        }
    })
}
