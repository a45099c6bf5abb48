//! Regular expressions with PCRE-style syntax (backreferences, lookaround,
//! named groups) through `fancy-regex`. A pattern is a regex literal
//! (`#/…/flags`) or a string, optionally written `/…/flags`.

use crate::value::{Array, Value};
use fancy_regex::Regex;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Splits `/body/flags` into body and flags; other text is a body.
pub(crate) fn split(pattern: &str) -> (&str, &str) {
    if let Some(rest) = pattern.strip_prefix('/') {
        if let Some(end) = rest.rfind('/') {
            let flags = &rest[end + 1..];
            if flags.chars().all(|c| "imsuxUX".contains(c)) {
                return (&rest[..end], flags);
            }
        }
    }
    (pattern, "")
}

/// Compiled patterns kept per thread: scripts and hooks that run again use
/// the same patterns, and compiling is far costlier than matching.
const CACHE_SIZE: usize = 256;

thread_local! {
    static CACHE: RefCell<HashMap<(String, String), Rc<Regex>>> = RefCell::new(HashMap::new());
}

/// Compiles `body` with HSL's flag letters (or takes it from the cache).
pub fn compile(body: &str, flags: &str) -> Result<Rc<Regex>, String> {
    let key = (body.to_string(), flags.to_string());
    if let Some(re) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(re);
    }
    let inline: String = flags.chars().filter(|c| "imsxU".contains(*c)).collect();
    let source = if inline.is_empty() {
        body.to_string()
    } else {
        format!("(?{inline}){body}")
    };
    let re = Rc::new(Regex::new(&source).map_err(|e| format!("invalid regular expression: {e}"))?);
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_SIZE {
            cache.clear();
        }
        cache.insert(key, re.clone());
    });
    Ok(re)
}

/// The compiled pattern of a value (a regex literal or a string).
pub fn pattern(v: &Value) -> Result<Rc<Regex>, String> {
    match v {
        Value::Regex(r) => compile(&r.0, &r.1),
        other => {
            let text = String::from_utf8_lossy(&other.to_bytes()).into_owned();
            let (body, flags) = split(&text);
            compile(body, flags)
        }
    }
}

fn text(v: &Value) -> String {
    String::from_utf8_lossy(&v.to_bytes()).into_owned()
}

/// `subject =~ pattern`
pub fn is_match(subject: &Value, pat: &Value) -> Result<bool, String> {
    pattern(pat)?
        .is_match(text(subject).as_str())
        .map_err(|e| e.to_string())
}

fn groups(re: &Regex, caps: &fancy_regex::Captures<'_, str>) -> Array {
    let mut out = Array::default();
    for (i, name) in re.capture_names().enumerate() {
        let v = caps.get(i).map_or(Value::None, |m| Value::str(m.as_str()));
        if let Some(n) = name {
            out.insert(Value::str(n).to_key(), v.clone());
        }
        out.insert(Value::Number(i as f64).to_key(), v);
    }
    out
}

/// `pcre_match`: the groups of the first match (numbered and named), or `[]`.
pub fn first_match(pat: &Value, subject: &Value) -> Result<Value, String> {
    let re = pattern(pat)?;
    let s = text(subject);
    Ok(Value::Array(Rc::new(
        match re.captures(s.as_str()).map_err(|e| e.to_string())? {
            Some(caps) => groups(&re, &caps),
            None => Array::default(),
        },
    )))
}

/// Matches between two looks at the clock and the memory limit.
const CHECK_EVERY: usize = 4096;

/// `pcre_match_all`: for each group number, the list of its matches.
/// The clock and the memory limit are looked at every [`CHECK_EVERY`] matches.
pub(crate) fn all_matches(
    pat: &Value,
    subject: &Value,
    meter: &crate::limits::Meter,
    span: hsl_syntax::Span,
) -> crate::R<Value> {
    let fail = |m: String| crate::interp::error::<()>(span, m).unwrap_err();
    let re = pattern(pat).map_err(fail)?;
    let s = text(subject);
    let mut by_group: Vec<Vec<Value>> = vec![Vec::new(); re.captures_len()];
    for (n, caps) in re.captures_iter(s.as_str()).enumerate() {
        if n.is_multiple_of(CHECK_EVERY) {
            meter.deadline(span)?;
            meter.limits.array((n * by_group.len()) as f64, span)?;
        }
        let caps = caps.map_err(|e| e.to_string()).map_err(fail)?;
        for (i, list) in by_group.iter_mut().enumerate() {
            list.push(caps.get(i).map_or(Value::None, |m| Value::str(m.as_str())));
        }
    }
    Ok(Value::Array(Rc::new(Array::list(
        by_group
            .into_iter()
            .map(|l| Value::Array(Rc::new(Array::list(l)))),
    ))))
}

/// `pcre_replace`: replaces up to `limit` matches (0: all); `$1`/`${name}`
/// refer to groups. The result is held to the memory limit as it grows,
/// and the clock is looked at every [`CHECK_EVERY`] matches.
pub(crate) fn replace(
    pat: &Value,
    replacement: &Value,
    subject: &Value,
    limit: usize,
    meter: &crate::limits::Meter,
    span: hsl_syntax::Span,
) -> crate::R<Value> {
    let fail = |m: String| crate::interp::error::<()>(span, m).unwrap_err();
    let re = pattern(pat).map_err(fail)?;
    let s = text(subject);
    let r = text(replacement);
    let mut out = String::with_capacity(s.len());
    let mut from = 0;
    for (n, caps) in re.captures_iter(s.as_str()).enumerate() {
        if limit > 0 && n >= limit {
            break;
        }
        if n.is_multiple_of(CHECK_EVERY) {
            meter.deadline(span)?;
        }
        let caps = caps.map_err(|e| e.to_string()).map_err(fail)?;
        let whole = caps.get(0).expect("group 0 is the match");
        out.push_str(&s[from..whole.start()]);
        caps.expand(&r, &mut out);
        from = whole.end();
        meter
            .limits
            .string((out.len() + s.len() - from) as f64, span)?;
    }
    out.push_str(&s[from..]);
    Ok(Value::str(out))
}

/// `pcre_quote`: escapes the metacharacters.
pub fn quote(s: &Value) -> Value {
    let mut out = String::new();
    for c in text(s).chars() {
        if "\\^$.|?*+()[]{}/-#".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Value::str(out)
}
