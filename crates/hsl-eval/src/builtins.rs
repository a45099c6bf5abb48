//! The core functions implemented so far (conversions, type tests, strings,
//! arrays, math). Every call checks its argument count; an unknown name is a
//! catchable error naming the function.

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

/// Position of `needle` in `hay` (`str_find`: first at or after `offset`;
/// `str_rfind`: last). As PHP's `strpos`/`strrpos` do, a negative offset
/// counts from the end: `str_find` starts there, `str_rfind` looks only at
/// matches starting at or before it.
fn find(hay: &[u8], needle: &[u8], offset: f64, last: bool) -> Option<usize> {
    let len = hay.len() as f64;
    let from = if offset < 0.0 {
        (len + offset.trunc()).max(0.0)
    } else {
        offset.trunc().min(len)
    } as usize;
    let fits = |p: &usize| hay[*p..].starts_with(needle);
    if !last {
        return (from..=hay.len()).find(fits);
    }
    if offset < 0.0 {
        (0..=from.min(hay.len().saturating_sub(needle.len())))
            .rev()
            .find(fits)
    } else {
        (from..=hay.len()).rev().find(fits)
    }
}

/// Start positions of the non-overlapping occurrences of `needle` (not
/// empty) in `hay`, left to right.
fn occurrences<'a>(hay: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    let mut at = 0;
    std::iter::from_fn(move || {
        let last = hay.len().checked_sub(needle.len())?;
        let p = (at..=last).find(|&p| hay[p..].starts_with(needle))?;
        at = p + needle.len().max(1);
        Some(p)
    })
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
        "str_upper" | "str_lower" => {
            arity(name, a, 1, 1, span)?;
            let b = a[0].to_bytes();
            Value::str(if name == "str_upper" {
                b.to_ascii_uppercase()
            } else {
                b.to_ascii_lowercase()
            })
        }
        "str_find" | "str_rfind" => {
            arity(name, a, 2, 3, span)?;
            let (hay, needle) = (a[0].to_bytes(), a[1].to_bytes());
            let offset = if a.len() > 2 {
                number_arg(name, &a[2], span)?
            } else {
                0.0
            };
            Value::Number(
                find(&hay, &needle, offset, name == "str_rfind").map_or(-1.0, |p| p as f64),
            )
        }
        "str_replace" => {
            arity(name, a, 3, 3, span)?;
            let (search, with) = (a[0].to_bytes(), a[1].to_bytes());
            let subject = a[2].to_bytes();
            if search.is_empty() {
                return Ok(Value::str(subject));
            }
            let mut out = Vec::with_capacity(subject.len());
            let mut from = 0;
            for p in occurrences(&subject, &search) {
                out.extend_from_slice(&subject[from..p]);
                out.extend_from_slice(&with);
                from = p + search.len();
            }
            out.extend_from_slice(&subject[from..]);
            Value::str(out)
        }
        "str_repeat" => {
            arity(name, a, 2, 2, span)?;
            Value::str(a[0].to_bytes().repeat(num(1).max(0.0) as usize))
        }
        "str_split" => {
            arity(name, a, 2, 3, span)?;
            let (s, sep) = (a[0].to_bytes(), a[1].to_bytes());
            if sep.is_empty() {
                return error(span, "str_split() needs a non-empty separator");
            }
            let limit = if a.len() > 2 {
                num(2).max(0.0) as usize
            } else {
                0
            };
            let mut parts = Vec::new();
            let mut from = 0;
            for p in occurrences(&s, &sep) {
                if limit > 0 && parts.len() + 1 >= limit {
                    break;
                }
                parts.push(Value::str(s[from..p].to_vec()));
                from = p + sep.len();
            }
            parts.push(Value::str(s[from..].to_vec()));
            Value::Array(Rc::new(Array::list(parts)))
        }
        "array_keys" => {
            arity(name, a, 1, 1, span)?;
            Value::Array(Rc::new(Array::list(
                array(name, &a[0], span)?.map.keys().map(key_value),
            )))
        }
        "array_join" => {
            arity(name, a, 1, 2, span)?;
            let sep = if a.len() > 1 {
                a[1].to_bytes()
            } else {
                Vec::new()
            };
            let parts: Vec<Vec<u8>> = array(name, &a[0], span)?
                .map
                .values()
                .map(Value::to_bytes)
                .collect();
            Value::str(parts.join(sep.as_slice()))
        }
        "array_reverse" => {
            arity(name, a, 1, 1, span)?;
            Value::Array(Rc::new(Array::list(
                array(name, &a[0], span)?.map.values().rev().cloned(),
            )))
        }
        "array_includes" => {
            arity(name, a, 2, 2, span)?;
            Value::Bool(
                array(name, &a[1], span)?
                    .map
                    .values()
                    .any(|v| crate::value::strict_eq(v, &a[0])),
            )
        }
        "array_map" | "array_filter" => {
            arity(name, a, 2, 2, span)?;
            let f = callback(&a[0], name, span)?;
            let items = array(name, &a[1], span)?.clone();
            let mut out = Array::default();
            for (k, v) in items.map.iter() {
                let r = it.invoke(&f, vec![v.clone()], false, span)?;
                if name == "array_map" {
                    out.insert(k.clone(), r);
                } else if r.truthy() {
                    out.insert(k.clone(), v.clone());
                }
            }
            Value::Array(Rc::new(out))
        }
        "array_reduce" => {
            arity(name, a, 2, 3, span)?;
            let f = callback(&a[0], name, span)?;
            let items = array(name, &a[1], span)?.clone();
            let mut values = items.map.values().cloned();
            let mut acc = match a.get(2) {
                Some(init) => init.clone(),
                None => match values.next() {
                    Some(first) => first,
                    None => {
                        return error(
                            span,
                            "array_reduce() of an empty array needs an initial value",
                        )
                    }
                },
            };
            for v in values {
                acc = it.invoke(&f, vec![acc, v], false, span)?;
            }
            acc
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
        "str_slice" => {
            arity(name, a, 2, 3, span)?;
            let s = a[0].to_bytes();
            let len = s.len() as i64;
            let from = num(1) as i64;
            let from = if from < 0 {
                (len + from).max(0)
            } else {
                from.min(len)
            } as usize;
            let to = match a.get(2) {
                Some(l) => {
                    let l = l.to_number() as i64;
                    if l < 0 {
                        (len + l).max(from as i64) as usize
                    } else {
                        (from + l as usize).min(s.len())
                    }
                }
                None => s.len(),
            };
            Value::str(s[from..to.max(from)].to_vec())
        }
        "str_strip" | "str_lstrip" | "str_rstrip" => {
            arity(name, a, 1, 2, span)?;
            let s = string_arg(name, &a[0], span)?;
            let set = match a.get(1) {
                Some(chars) => string_arg(name, chars, span)?,
                None => b" \t\n\x0b\x0c\r".to_vec(),
            };
            let keep = |b: &u8| !set.contains(b);
            let start = if name == "str_rstrip" {
                0
            } else {
                s.iter().position(keep).unwrap_or(s.len())
            };
            let end = if name == "str_lstrip" {
                s.len()
            } else {
                s.iter().rposition(keep).map_or(start, |p| p + 1)
            };
            Value::str(s[start..end.max(start)].to_vec())
        }
        "array_unique" => {
            arity(name, a, 1, 1, span)?;
            Value::Array(Rc::new(crate::arrays::unique(array(name, &a[0], span)?)))
        }
        "array_find" | "array_every" => {
            arity(name, a, 2, 2, span)?;
            let f = callback(&a[0], name, span)?;
            let items = array(name, &a[1], span)?.clone();
            let mut result = if name == "array_every" {
                Value::Bool(true)
            } else {
                Value::None
            };
            for v in items.map.values() {
                let hit = it.invoke(&f, vec![v.clone()], false, span)?.truthy();
                if name == "array_find" && hit {
                    result = v.clone();
                    break;
                }
                if name == "array_every" && !hit {
                    result = Value::Bool(false);
                    break;
                }
            }
            result
        }
        "array_sort" => {
            arity(name, a, 2, 3, span)?;
            let items: Vec<Value> = array(name, &a[1], span)?.map.values().cloned().collect();
            let sorted = match &a[0] {
                Value::None => {
                    let mut sorted = items;
                    sorted.sort_by(crate::ops::order);
                    sorted
                }
                f => {
                    let f = callback(f, name, span)?;
                    crate::arrays::sort_with(it, &f, items, span)?
                }
            };
            Value::Array(Rc::new(Array::list(sorted)))
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
        "array_shuffle" => {
            arity(name, a, 1, 1, span)?;
            let mut items: Vec<Value> = array(name, &a[0], span)?.map.values().cloned().collect();
            for i in (1..items.len()).rev() {
                let j = (it.random() % (i as u64 + 1)) as usize;
                items.swap(i, j);
            }
            Value::Array(Rc::new(Array::list(items)))
        }
        "uuid" => {
            arity(name, a, 0, 0, span)?;
            let mut b: Vec<u8> = (0..16).map(|_| it.random() as u8).collect();
            b[6] = (b[6] & 0x0f) | 0x40;
            b[8] = (b[8] & 0x3f) | 0x80;
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            Value::str(format!(
                "{}-{}-{}-{}-{}",
                &hex[0..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..32]
            ))
        }
        "array_combine" => {
            arity(name, a, 2, 3, span)?;
            let keys: Vec<Value> = array(name, &a[0], span)?.map.values().cloned().collect();
            let values: Vec<Value> = array(name, &a[1], span)?.map.values().cloned().collect();
            let mut out = Array::default();
            for (i, k) in keys.iter().enumerate() {
                let v = match values.get(i) {
                    Some(v) => v.clone(),
                    None if a.len() > 2 => a[2].clone(),
                    None => {
                        return error(
                            span,
                            "array_combine() has fewer values than keys and no default",
                        )
                    }
                };
                out.insert(k.to_key(), v);
            }
            Value::Array(Rc::new(out))
        }
        "str_chunk" => {
            arity(name, a, 2, 3, span)?;
            let s = a[0].to_bytes();
            let size = num(1) as usize;
            if size == 0 {
                return error(span, "str_chunk() needs a length above 0");
            }
            let first = if a.len() > 2 {
                (num(2) as usize).min(s.len())
            } else {
                0
            };
            let mut parts: Vec<Value> = Vec::new();
            if first > 0 {
                parts.push(Value::str(s[..first].to_vec()));
            }
            parts.extend(s[first..].chunks(size).map(|c| Value::str(c.to_vec())));
            Value::Array(Rc::new(Array::list(parts)))
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
        "array_range" => {
            arity(name, a, 2, 3, span)?;
            let (start, stop) = (
                number_arg(name, &a[0], span)?,
                number_arg(name, &a[1], span)?,
            );
            let step = if a.len() > 2 {
                number_arg(name, &a[2], span)?.abs()
            } else {
                1.0
            };
            if step == 0.0 || !step.is_finite() || !start.is_finite() || !stop.is_finite() {
                return error(
                    span,
                    "array_range() needs finite bounds and a step that is not 0",
                );
            }
            // Like PHP's range(): both ends included, counting down when
            // stop < start (the step's sign is ignored). The sandbox's memory
            // limit has already refused lists too long to make.
            let count = ((stop - start).abs() / step + 1e-9).floor() + 1.0;
            let step = if stop < start { -step } else { step };
            Value::Array(Rc::new(Array::list(
                (0..count as usize).map(|i| Value::Number(start + i as f64 * step)),
            )))
        }
        "array_random" => {
            arity(name, a, 1, 1, span)?;
            let items = array(name, &a[0], span)?.clone();
            if items.map.is_empty() {
                Value::None
            } else {
                let i = (it.random() % items.map.len() as u64) as usize;
                items
                    .map
                    .get_index(i)
                    .map_or(Value::None, |(_, v)| v.clone())
            }
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
