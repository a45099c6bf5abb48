//! The `str_*` functions: byte strings throughout (Halon strings are bytes;
//! only PCRE with the `u` flag knows UTF-8).

use crate::builtins::{number_arg, string_arg, R};
use crate::interp::{error, Interpreter};
use crate::value::{Array, Value};
use hsl_syntax::Span;
use std::rc::Rc;

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &[
        "str_upper",
        "str_lower",
        "str_find",
        "str_rfind",
        "str_replace",
        "str_repeat",
        "str_split",
        "str_slice",
        "str_strip",
        "str_lstrip",
        "str_rstrip",
        "str_chunk",
    ],
    call,
};

/// The string family: answers `None` for names it does not own.
pub(crate) fn call(it: &mut Interpreter, name: &str, a: &[Value], span: Span) -> Option<R<Value>> {
    run(&it.meter().limits, name, a, span).transpose()
}

fn run(limits: &crate::Limits, name: &str, a: &[Value], span: Span) -> R<Option<Value>> {
    let num = |i: usize| a[i].to_number();
    Ok(Some(match name {
        "str_upper" | "str_lower" => {
            let b = a[0].to_bytes();
            Value::str(if name == "str_upper" {
                b.to_ascii_uppercase()
            } else {
                b.to_ascii_lowercase()
            })
        }
        "str_find" | "str_rfind" => {
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
            let (search, with) = (a[0].as_bytes(), a[1].as_bytes());
            let subject = a[2].as_bytes();
            if search.is_empty() {
                return Ok(Some(Value::str(subject.into_owned())));
            }
            let mut out = Vec::new();
            limits.string_room(&mut out, subject.len(), span)?;
            let mut from = 0;
            for p in occurrences(&subject, &search) {
                limits.string_room(&mut out, p - from + with.len(), span)?;
                out.extend_from_slice(&subject[from..p]);
                out.extend_from_slice(&with);
                from = p + search.len();
            }
            out.extend_from_slice(&subject[from..]);
            Value::str(out)
        }
        "str_repeat" => Value::str(a[0].to_bytes().repeat(num(1).max(0.0) as usize)),
        "str_split" => {
            let (s, sep) = (a[0].to_bytes(), a[1].to_bytes());
            if sep.is_empty() {
                return error(span, "str_split() needs a non-empty separator");
            }
            let limit = if a.len() > 2 {
                num(2).max(0.0) as usize
            } else {
                0
            };
            // A part for every separator: the list is measured first.
            let found = occurrences(&s, &sep).count();
            let count = match limit {
                0 => found,
                _ => found.min(limit - 1),
            };
            limits.array(count as f64 + 1.0, span)?;
            let mut parts = Vec::with_capacity(count + 1);
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
        "str_slice" => {
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
        "str_chunk" => {
            let s = a[0].as_bytes();
            let size = num(1) as usize;
            if size == 0 {
                return error(span, "str_chunk() needs a length above 0");
            }
            limits.array((s.len() / size) as f64 + 1.0, span)?;
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
        _ => return Ok(None),
    }))
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
