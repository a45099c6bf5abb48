//! Regular expressions with PCRE-style syntax (backreferences, lookaround,
//! named groups) through `fancy-regex`. A pattern is a regex literal
//! (`#/…/flags`) or a string, optionally written `/…/flags`.
//!
//! Matching is held to the run's limits: the backtracking one match may do
//! is bounded by the time the run has left, loops over matches look at the
//! clock after every match, and the strings and lists a match yields are
//! charged to the memory budget before they are built.

use crate::interp::error;
use crate::limits::{Limits, Meter};
use crate::value::{Array, Value};
use crate::R;
use fancy_regex::{Captures, Regex, RegexBuilder};
use hsl_syntax::Span;
use std::borrow::Cow;
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
    static CACHE: RefCell<HashMap<(String, String, usize), Rc<Regex>>> =
        RefCell::new(HashMap::new());
}

/// The backtracking steps one match may take when time is plentiful
/// (fancy-regex's own default).
const BACKTRACK_LIMIT: usize = 1_000_000;

/// The longest one backtracking step may take on a subject of `len` bytes,
/// in nanoseconds: a step may run a lookaround or compare a backreference
/// across the whole subject.
fn step_nanos(len: usize) -> u128 {
    64 + 2 * len as u128
}

/// The backtracking steps one match on a subject of `len` bytes may take
/// within the time the run has left: [`BACKTRACK_LIMIT`] when time is
/// plentiful, else the largest power of two that fits (so a pattern
/// compiles to few variants, which stay cached).
fn backtrack_limit(meter: &Meter, len: usize) -> usize {
    let Some(left) = meter.time_left() else {
        return BACKTRACK_LIMIT;
    };
    let steps = left.as_nanos() / step_nanos(len);
    if steps >= BACKTRACK_LIMIT as u128 {
        BACKTRACK_LIMIT
    } else {
        1 << steps.max(1).ilog2()
    }
}

/// Compiles `body` with HSL's flag letters (or takes it from the cache).
pub fn compile(body: &str, flags: &str) -> Result<Rc<Regex>, String> {
    compile_bounded(body, flags, BACKTRACK_LIMIT)
}

/// [`compile`] with a limit on the backtracking steps of one match.
fn compile_bounded(body: &str, flags: &str, backtrack: usize) -> Result<Rc<Regex>, String> {
    let key = (body.to_string(), flags.to_string(), backtrack);
    if let Some(re) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(re);
    }
    let inline: String = flags.chars().filter(|c| "imsxU".contains(*c)).collect();
    let source = if inline.is_empty() {
        body.to_string()
    } else {
        format!("(?{inline}){body}")
    };
    let re = RegexBuilder::new(&source)
        .backtrack_limit(backtrack)
        .build()
        .map_err(|e| format!("invalid regular expression: {e}"))?;
    let re = Rc::new(re);
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_SIZE {
            cache.clear();
        }
        cache.insert(key, re.clone());
    });
    Ok(re)
}

/// A pattern compiled for one call, its backtracking bounded by the time
/// the run has left.
struct Bounded {
    re: Rc<Regex>,
    /// Whether the bound is below [`BACKTRACK_LIMIT`], so that running into
    /// it means running out of time.
    for_time: bool,
}

impl Bounded {
    /// The pattern of `pat` (a regex literal or a string) for a subject of
    /// `len` bytes; fails at once when no time is left.
    fn new(pat: &Value, len: usize, meter: &Meter, span: Span) -> R<Bounded> {
        meter.deadline(span)?;
        let backtrack = backtrack_limit(meter, len);
        let compiled = match pat {
            Value::Regex(r) => compile_bounded(&r.0, &r.1, backtrack),
            other => {
                let text = String::from_utf8_lossy(&other.as_bytes()).into_owned();
                let (body, flags) = split(&text);
                compile_bounded(body, flags, backtrack)
            }
        };
        Ok(Bounded {
            re: compiled.or_else(|m| error(span, m))?,
            for_time: backtrack < BACKTRACK_LIMIT,
        })
    }

    /// The error of a failed match: the time limit when the bound set from
    /// it ran out, else an exception worded as fancy-regex words it.
    fn failed(&self, e: fancy_regex::Error, meter: &Meter, span: Span) -> Box<crate::Signal> {
        use fancy_regex::{Error, RuntimeError};
        let backtracked = matches!(e, Error::RuntimeError(RuntimeError::BacktrackLimitExceeded));
        let result: R<()> = if self.for_time && backtracked {
            meter.out_of_time("a regular expression's backtracking", span)
        } else {
            error(span, e.to_string())
        };
        result.expect_err("an error")
    }
}

/// A value as text for matching: borrowed when it is UTF-8, else a lossy
/// copy charged to the memory budget first (an invalid byte becomes a
/// three-byte U+FFFD).
fn text<'v>(v: &'v Value, limits: &Limits, span: Span) -> R<Cow<'v, str>> {
    match v.as_bytes() {
        Cow::Borrowed(bytes) => match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Cow::Borrowed(s)),
            Err(_) => {
                limits.string(3.0 * bytes.len() as f64, span)?;
                Ok(String::from_utf8_lossy(bytes).into_owned().into())
            }
        },
        Cow::Owned(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned().into()),
    }
}

/// `subject =~ pattern`
pub(crate) fn is_match(subject: &Value, pat: &Value, meter: &Meter, span: Span) -> R<bool> {
    let s = text(subject, &meter.limits, span)?;
    let bounded = Bounded::new(pat, s.len(), meter, span)?;
    let found = bounded
        .re
        .is_match(s.as_ref())
        .map_err(|e| bounded.failed(e, meter, span))?;
    meter.deadline(span)?;
    Ok(found)
}

/// Charges the strings of a match's groups to the memory budget before
/// they are copied out (many groups can each hold the whole subject), at
/// their length and the shared box of each string value (two counts and
/// the vector).
fn charge(caps: &Captures<'_, str>, limits: &Limits, span: Span) -> R<()> {
    let value = std::mem::size_of::<(usize, usize, Vec<u8>)>();
    let bytes: usize = caps
        .iter()
        .map(|m| value + m.map_or(0, |m| m.as_str().len()))
        .sum();
    limits.reserve(
        bytes as f64,
        || format!("the groups of a match ({bytes} bytes)"),
        span,
    )
}

fn groups(re: &Regex, caps: &Captures<'_, str>) -> Array {
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
pub(crate) fn first_match(pat: &Value, subject: &Value, meter: &Meter, span: Span) -> R<Value> {
    let s = text(subject, &meter.limits, span)?;
    let bounded = Bounded::new(pat, s.len(), meter, span)?;
    let found = bounded
        .re
        .captures(s.as_ref())
        .map_err(|e| bounded.failed(e, meter, span))?;
    meter.deadline(span)?;
    Ok(Value::Array(Rc::new(match found {
        Some(caps) => {
            charge(&caps, &meter.limits, span)?;
            groups(&bounded.re, &caps)
        }
        None => Array::default(),
    })))
}

/// `pcre_match_all`: for each group number, the list of its matches.
pub(crate) fn all_matches(pat: &Value, subject: &Value, meter: &Meter, span: Span) -> R<Value> {
    let limits = &meter.limits;
    let s = text(subject, limits, span)?;
    let bounded = Bounded::new(pat, s.len(), meter, span)?;
    let mut by_group: Vec<Vec<Value>> = vec![Vec::new(); bounded.re.captures_len()];
    for caps in bounded.re.captures_iter(s.as_ref()) {
        meter.deadline(span)?;
        let caps = caps.map_err(|e| bounded.failed(e, meter, span))?;
        charge(&caps, limits, span)?;
        for (i, list) in by_group.iter_mut().enumerate() {
            limits.room(list, 1, |n| format!("an array of {n} elements"), span)?;
            list.push(caps.get(i).map_or(Value::None, |m| Value::str(m.as_str())));
        }
    }
    meter.deadline(span)?;
    let elements: usize = by_group.iter().map(Vec::len).sum();
    limits.array((elements + by_group.len()) as f64, span)?;
    Ok(Value::Array(Rc::new(Array::list(
        by_group
            .into_iter()
            .map(|l| Value::Array(Rc::new(Array::list(l)))),
    ))))
}

/// A piece of a replacement: text, or a reference to a group.
enum Piece<'r> {
    Text(&'r str),
    Group(&'r str),
}

/// The length of the group name or number `s` starts with.
fn id_len(s: &str) -> usize {
    s.find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len())
}

/// Splits a replacement into pieces, read as fancy-regex's
/// `Captures::expand` reads it: `$$` is a `$`; `$name`, `$1` and `${name}`
/// refer to a group by name, else by number (an unknown group is empty);
/// any other `$` is itself.
fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(at) = rest.find('$') {
        if at > 0 {
            out.push(Piece::Text(&rest[..at]));
        }
        let dollar = &rest[at..at + 1];
        let tail = &rest[at + 1..];
        if let Some(after) = tail.strip_prefix('$') {
            out.push(Piece::Text(dollar));
            rest = after;
            continue;
        }
        if let Some(inner) = tail.strip_prefix('{') {
            let n = id_len(inner);
            if n > 0 && inner[n..].starts_with('}') {
                out.push(Piece::Group(&inner[..n]));
                rest = &inner[n + 1..];
                continue;
            }
        }
        let n = id_len(tail);
        if n > 0 {
            out.push(Piece::Group(&tail[..n]));
        } else {
            out.push(Piece::Text(dollar));
        }
        rest = &tail[n..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// The text a piece stands for in a match.
fn expand<'t>(piece: &Piece<'t>, caps: &Captures<'t, str>) -> &'t str {
    match piece {
        Piece::Text(t) => t,
        Piece::Group(id) => caps
            .name(id)
            .or_else(|| id.parse().ok().and_then(|n| caps.get(n)))
            .map_or("", |m| m.as_str()),
    }
}

/// `pcre_replace`: replaces up to `limit` matches (0: all); `$1`/`${name}`
/// refer to groups. Each replacement is measured and charged to the memory
/// budget before it is written.
pub(crate) fn replace(
    pat: &Value,
    replacement: &Value,
    subject: &Value,
    limit: usize,
    meter: &Meter,
    span: Span,
) -> R<Value> {
    let limits = &meter.limits;
    let s = text(subject, limits, span)?;
    let r = text(replacement, limits, span)?;
    let template = pieces(&r);
    let bounded = Bounded::new(pat, s.len(), meter, span)?;
    let mut out = Vec::new();
    limits.string_room(&mut out, s.len(), span)?;
    let mut from = 0;
    for (n, caps) in bounded.re.captures_iter(s.as_ref()).enumerate() {
        if limit > 0 && n >= limit {
            break;
        }
        meter.deadline(span)?;
        let caps = caps.map_err(|e| bounded.failed(e, meter, span))?;
        let whole = caps.get(0).expect("group 0 is the match");
        let gap = &s[from..whole.start()];
        let len = template.iter().fold(gap.len(), |len, p| {
            len.saturating_add(expand(p, &caps).len())
        });
        limits.string_room(&mut out, len, span)?;
        out.extend_from_slice(gap.as_bytes());
        for piece in &template {
            out.extend_from_slice(expand(piece, &caps).as_bytes());
        }
        from = whole.end();
    }
    meter.deadline(span)?;
    limits.string_room(&mut out, s.len() - from, span)?;
    out.extend_from_slice(s[from..].as_bytes());
    Ok(Value::str(out))
}

/// `pcre_quote`: escapes the metacharacters.
pub fn quote(s: &Value, limits: &Limits, span: Span) -> R<Value> {
    let special = |c: char| "\\^$.|?*+()[]{}/-#".contains(c);
    let s = text(s, limits, span)?;
    // Every special character takes a backslash: up to twice the input.
    let len = s.len() + s.chars().filter(|&c| special(c)).count();
    limits.string(len as f64, span)?;
    let mut out = String::with_capacity(len);
    for c in s.chars() {
        if special(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::str(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn meter(time: Option<Duration>) -> Meter {
        Meter::new(Limits {
            time,
            ..Default::default()
        })
    }

    #[test]
    fn backtracking_is_bounded_by_the_time_left_on_long_subjects_only() {
        assert_eq!(backtrack_limit(&meter(None), 1 << 30), BACKTRACK_LIMIT);
        let second = meter(Some(Duration::from_secs(1)));
        assert_eq!(backtrack_limit(&second, 100), BACKTRACK_LIMIT);
        // About 500 steps of up to 2 ms each fit a second.
        let steps = backtrack_limit(&second, 1_000_000);
        assert!(steps.is_power_of_two() && steps <= 256, "{steps}");
    }
}
