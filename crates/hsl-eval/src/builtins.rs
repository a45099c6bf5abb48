//! Core function dispatch, the argument helpers shared by the families, and
//! the functions too small for a family of their own (conversions, type
//! tests, math, digests, regular expressions, random values). Every call
//! checks its argument count; an unknown name is a catchable error naming
//! the function.

use crate::interp::{error, Interpreter};
use crate::value::{Array, Function, Key, Value};
use hsl_syntax::Span;
use std::rc::Rc;

pub(crate) use crate::R;

/// A family of core functions kept in its own module: it answers `None`
/// for names it does not own.
pub(crate) type Family = fn(&mut Interpreter, &str, &[Value], Span) -> Option<R<Value>>;

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

/// The functions implemented here.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &[
        "length",
        "string",
        "number",
        "boolean",
        "is_array",
        "is_string",
        "is_number",
        "is_boolean",
        "is_function",
        "is_object",
        "pcre_match",
        "pcre_match_all",
        "pcre_replace",
        "pcre_quote",
        "md5",
        "sha1",
        "sha2",
        "hmac_md5",
        "hmac_sha1",
        "hmac_sha2",
        "base64_encode",
        "base64url_encode",
        "base64_decode",
        "base64url_decode",
        "url_encode",
        "url_decode",
        "inet_includes",
        "time",
        "random_number",
        "random_bytes",
        "uuid",
        "json_encode",
        "json_decode",
        "Map",
        "Set",
        "Exception",
        "abs",
        "ceil",
        "floor",
        "sqrt",
        "round",
        "pow",
        "chr",
        "ord",
        "log",
        "hash",
        "pcre_compile",
        "gethostname",
        "syslog",
    ],
    call: own,
};

/// A number in [0, 1) from 64 random bits.
fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// An integer from `lo` to `hi` (whole numbers, `lo <= hi`): exact while
/// the range has at most 2^53 values, beyond that as near as a number can
/// be, never outside the range.
fn random_between(bits: u64, lo: f64, hi: f64) -> f64 {
    const EXACT: f64 = (1u64 << 53) as f64;
    if hi - lo < EXACT {
        return lo + (bits % ((hi - lo) as u64 + 1)) as f64;
    }
    let u = unit(bits);
    (lo * (1.0 - u) + hi * u).floor().clamp(lo, hi)
}

/// Calls the core function `name`. `gethostname()` answers "localhost" and
/// `syslog()` writes nothing (a script run has no host and no system log);
/// an embedder gives them real behaviour with `Interpreter::define_function`,
/// which takes precedence.
pub fn call(it: &mut Interpreter, name: &str, args: Vec<Value>, span: Span) -> R<Value> {
    if let Some(result) = crate::registry::call(it, name, &args, span) {
        return result;
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
    if crate::registry::NOT_IMPLEMENTED.contains(&name) {
        return error(
            span,
            format!("`{name}` is not implemented by `hsl run`; give its result in a stub file: - {{ function: {name}, returns: ... }}"),
        );
    }
    error(
        span,
        format!(
            "`{name}` is not implemented by `hsl run`; if it needs the world (DNS, HTTP, files…) give its result in a stub file: \
             - {{ function: {name}, args: [...], returns: ... }}"
        ),
    )
}

fn own(it: &mut Interpreter, name: &str, a: &[Value], span: Span) -> Option<R<Value>> {
    Some(own_call(it, name, a, span))
}

fn own_call(it: &mut Interpreter, name: &str, a: &[Value], span: Span) -> R<Value> {
    let num = |i: usize| a[i].to_number();
    Ok(match name {
        "length" => match &a[0] {
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
        },
        "string" => match &a[0] {
            Value::Str(_) => a[0].clone(),
            other => Value::str(other.to_bytes()),
        },
        "number" => Value::Number(a[0].to_number()),
        "boolean" => Value::Bool(a[0].truthy()),
        "is_array" | "is_string" | "is_number" | "is_boolean" | "is_function" | "is_object" => {
            Value::Bool(name[3..] == *a[0].type_name())
        }
        "pcre_match" | "pcre_match_all" => {
            if name == "pcre_match" {
                crate::regex::first_match(&a[0], &a[1], it.meter(), span)?
            } else {
                crate::regex::all_matches(&a[0], &a[1], it.meter(), span)?
            }
        }
        "pcre_replace" => {
            let limit = if a.len() > 3 {
                num(3).max(0.0) as usize
            } else {
                0
            };
            crate::regex::replace(&a[0], &a[1], &a[2], limit, it.meter(), span)?
        }
        "pcre_quote" => crate::regex::quote(&a[0], &it.meter().limits, span)?,
        "md5" | "sha1" => crate::encoding::digest(name, &a[0].as_bytes(), a.get(1)),
        "sha2" => {
            let size = num(1) as u32;
            crate::encoding::sha2(&a[0].as_bytes(), size, a.get(2)).or_else(|m| error(span, m))?
        }
        "hmac_md5" | "hmac_sha1" | "hmac_sha2" => {
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
            crate::encoding::hmac(name, &a[0].as_bytes(), &a[1].as_bytes(), size, options)
                .or_else(|m| error(span, m))?
        }
        "base64_encode" | "base64url_encode" => {
            let data = a[0].as_bytes();
            it.meter()
                .limits
                .string((data.len() as f64 / 3.0).ceil() * 4.0, span)?;
            crate::encoding::base64_encode(name.starts_with("base64url"), &data)
        }
        "base64_decode" | "base64url_decode" => {
            crate::encoding::base64_decode(name.starts_with("base64url"), &a[0].as_bytes())
        }
        "url_encode" => {
            let data = a[0].as_bytes();
            let len = crate::encoding::url_encoded_len(&data);
            it.meter().limits.string(len as f64, span)?;
            crate::encoding::url_encode(&data)
        }
        "url_decode" => crate::encoding::url_decode(&a[0].as_bytes()),
        "inet_includes" => {
            crate::net::includes(&text(&a[0]), &text(&a[1])).map_or(Value::None, Value::Bool)
        }
        "time" => Value::Number(it.now()),
        "random_number" => {
            if a.len() == 2 {
                let (lo, hi) = (num(0).ceil(), num(1).floor());
                if !lo.is_finite() || !hi.is_finite() {
                    return error(span, "random_number() needs finite numbers");
                }
                if hi < lo {
                    return error(span, "random_number() needs first <= last");
                }
                Value::Number(random_between(it.random(), lo, hi))
            } else {
                Value::Number(unit(it.random()))
            }
        }
        "random_bytes" => Value::str(
            (0..num(0).max(0.0) as usize)
                .map(|_| it.random() as u8)
                .collect::<Vec<u8>>(),
        ),
        "uuid" => {
            let mut b = [0u8; 16];
            b.fill_with(|| it.random() as u8);
            Value::str(crate::crypto::uuid_text(b, 4))
        }
        "json_encode" => crate::json::encode(&a[0], &it.meter().limits, span)?,
        "json_decode" => crate::json::decode(&a[0].as_bytes(), &it.meter().limits, span)?,
        "Map" | "Set" => crate::value::Object::collection(name),
        "Exception" => crate::value::Object::exception(a[0].to_bytes()),
        "abs" | "ceil" | "floor" | "sqrt" => {
            let x = num(0);
            Value::Number(match name {
                "abs" => x.abs(),
                "ceil" => x.ceil(),
                "floor" => x.floor(),
                _ => x.sqrt(),
            })
        }
        "round" => {
            let digits = if a.len() > 1 { num(1) } else { 0.0 };
            let scale = 10f64.powf(digits);
            Value::Number((num(0) * scale).round() / scale)
        }
        "pow" => Value::Number(num(0).powf(num(1))),
        "chr" => Value::str(vec![num(0) as u8]),
        "ord" => Value::Number(a[0].as_bytes().first().map_or(0.0, |b| f64::from(*b))),
        "log" => {
            let x = number_arg(name, &a[0], span)?;
            match a.get(1) {
                Some(base) => Value::Number(x.ln() / number_arg(name, base, span)?.ln()),
                None => Value::Number(x.ln()),
            }
        }
        "hash" => Value::Number(f64::from(crc32(&string_arg(name, &a[0], span)?))),
        "pcre_compile" => {
            let source = String::from_utf8_lossy(&string_arg(name, &a[0], span)?).into_owned();
            let (body, flags) = crate::regex::split(&source);
            crate::regex::compile(body, flags).or_else(|m| error(span, m))?;
            Value::Regex(Rc::new((body.to_string(), flags.to_string())))
        }
        "gethostname" => Value::str("localhost"),
        "syslog" => {
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
        _ => return error(span, format!("{name}() is not in this family")),
    })
}
