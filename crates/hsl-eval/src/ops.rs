//! Operators, subscripts and slices with HSL's conversion rules.

use crate::interp::error as fail;
use crate::limits::{Limits, Meter};
use crate::value::{loose_eq, strict_eq, Array, Value};
use hsl_syntax::ast::{BinaryOp, UnaryOp};
use hsl_syntax::Span;
use std::rc::Rc;

/// Boxed like the evaluator's results, so a result is two words.
use crate::R;

/// `base[key]`: array lookup (missing → none) or the byte of a string.
pub fn index(base: &Value, key: &Value, span: Span) -> R<Value> {
    match base {
        Value::Array(a) => Ok(a.map.get(&key.to_key()).cloned().unwrap_or(Value::None)),
        Value::Str(s) => {
            let i = key.to_number() as i64;
            let i = if i < 0 { s.len() as i64 + i } else { i };
            Ok(s.get(i as usize)
                .map_or(Value::None, |b| Value::str(vec![*b])))
        }
        Value::None => Ok(Value::None),
        Value::Object(o) => Ok(o
            .fields
            .borrow()
            .get(&String::from_utf8_lossy(&key.to_bytes()).into_owned())
            .cloned()
            .unwrap_or(Value::None)),
        other => fail(span, format!("cannot index {}", other.type_name())),
    }
}

/// Clamps `v` (negative: from the end of `len` items) into `lo..=hi`.
fn clamp(len: i64, v: f64, lo: i64, hi: i64) -> i64 {
    let v = v as i64;
    let v = if v < 0 { v + len } else { v };
    v.clamp(lo, hi)
}

/// The positions `start..stop` of a forward slice of `len` items, Python
/// style (negative counts from the end, out of range is clamped).
fn bounds(len: usize, start: Option<f64>, stop: Option<f64>) -> (usize, usize) {
    let len = len as i64;
    let a = start.map_or(0, |v| clamp(len, v, 0, len));
    let z = stop.map_or(len, |v| clamp(len, v, 0, len)).max(a);
    (a as usize, z as usize)
}

/// Python-style slice positions for a sequence of `len` items.
fn positions(
    len: usize,
    start: Option<f64>,
    stop: Option<f64>,
    step: Option<f64>,
) -> Option<Vec<usize>> {
    let step = step.map_or(1, |s| s as i64);
    if step == 0 {
        return None;
    }
    let mut out = Vec::new();
    if step > 0 {
        let (a, z) = bounds(len, start, stop);
        let (mut i, z) = (a as i64, z as i64);
        while i < z {
            out.push(i as usize);
            i = i.saturating_add(step);
        }
    } else {
        let len = len as i64;
        let (a, z) = (
            start.map_or(len - 1, |v| clamp(len, v, -1, len - 1)),
            stop.map_or(-1, |v| clamp(len, v, -1, len - 1)),
        );
        let mut i = a;
        while i > z {
            out.push(i as usize);
            i = i.saturating_add(step);
        }
    }
    Some(out)
}

/// `base[start:stop:step]` on strings and arrays (arrays re-indexed).
pub fn slice(
    base: &Value,
    start: Option<f64>,
    stop: Option<f64>,
    step: Option<f64>,
    span: Span,
) -> R<Value> {
    let len = match base {
        Value::Str(s) => s.len(),
        Value::Array(a) => a.map.len(),
        other => return fail(span, format!("cannot slice {}", other.type_name())),
    };
    let Some(pos) = positions(len, start, stop, step) else {
        return fail(span, "slice step cannot be 0");
    };
    Ok(match base {
        Value::Str(s) => Value::str(pos.iter().map(|&i| s[i]).collect::<Vec<u8>>()),
        Value::Array(a) => {
            Value::Array(Rc::new(Array::list(pos.iter().map(|&i| a.map[i].clone()))))
        }
        _ => unreachable!("checked above"),
    })
}

/// `$a[start:stop] = items` (and `unset($a[start:stop])` with no items):
/// the selected positions replaced by `items`; integer keys are
/// renumbered, string keys kept. Returns whether anything was removed.
pub fn splice(a: &mut Array, start: Option<f64>, stop: Option<f64>, items: Vec<Value>) -> bool {
    let (from, to) = bounds(a.map.len(), start, stop);
    let old = std::mem::take(a);
    let mut entries = old.map.into_iter();
    fn keep(a: &mut Array, (k, v): (crate::value::Key, Value)) {
        match k {
            crate::value::Key::Int(_) => a.push(v),
            k => a.insert(k, v),
        }
    }
    for entry in entries.by_ref().take(from) {
        keep(a, entry);
    }
    for v in items {
        a.push(v);
    }
    for entry in entries.skip(to - from) {
        keep(a, entry);
    }
    to > from
}

/// `$a[...path] = v`: stores `v` under the nested keys `path` (not empty),
/// making arrays of the levels that are missing or not arrays.
pub fn set_path(a: &mut Array, path: &[Value], v: Value) {
    let Some((last, levels)) = path.split_last() else {
        return;
    };
    let mut cur = a;
    for k in levels {
        let key = k.to_key();
        if !matches!(cur.map.get(&key), Some(Value::Array(_))) {
            cur.insert(key.clone(), Value::Array(Rc::new(Array::default())));
        }
        let Some(Value::Array(child)) = cur.map.get_mut(&key) else {
            unreachable!("made an array above")
        };
        cur = Rc::make_mut(child);
    }
    cur.insert(last.to_key(), v);
}

/// Prefix operators.
pub fn unary(op: UnaryOp, v: &Value) -> Value {
    match op {
        UnaryOp::Not => Value::Bool(!v.truthy()),
        UnaryOp::Neg => Value::Number(-v.to_number()),
        UnaryOp::Plus => Value::Number(v.to_number()),
        UnaryOp::BitNot => Value::Number(f64::from(!(v.to_number() as i64 as i32))),
    }
}

fn int32(v: &Value) -> i32 {
    v.to_number() as i64 as i32
}

/// The order of `<`: bytewise for two strings, numeric otherwise.
pub fn order(l: &Value, r: &Value) -> std::cmp::Ordering {
    match (l, r) {
        (Value::Str(a), Value::Str(b)) => a.cmp(b),
        _ => number_order(l.to_number(), r.to_number()),
    }
}

/// The order of two numbers; `nan` is neither below nor above anything.
#[inline]
fn number_order(a: f64, b: f64) -> std::cmp::Ordering {
    a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal)
}

/// `v * n`: a string or array repeated (checked against the memory limit
/// before it is built).
fn repeat(v: &Value, n: f64, limits: &Limits, span: Span) -> R<Value> {
    let n = n.max(0.0);
    match v {
        Value::Str(s) => {
            limits.string(s.len() as f64 * n, span)?;
            Ok(Value::str(s.repeat(n as usize)))
        }
        Value::Array(a) => {
            limits.array(a.map.len() as f64 * n, span)?;
            Ok(Value::Array(Rc::new(Array::list(
                std::iter::repeat_n(a.map.values(), n as usize)
                    .flatten()
                    .cloned(),
            ))))
        }
        other => fail(span, format!("cannot repeat {}", other.type_name())),
    }
}

/// The largest width or precision a directive of the format `template`
/// asks for (`%[n]'c<WIDTH.PRECISIONs`): padding that long is refused
/// before it is made.
fn widest_directive(template: &[u8]) -> f64 {
    let mut widest = 0.0f64;
    let mut i = 0;
    let mut number = |i: &mut usize| {
        let digits = template.get(*i..).unwrap_or_default();
        let digits = &digits[..digits.iter().take_while(|d| d.is_ascii_digit()).count()];
        *i += digits.len();
        let n = digits
            .iter()
            .fold(0.0, |n, d| n * 10.0 + f64::from(d - b'0'));
        widest = widest.max(n);
    };
    while i < template.len() {
        i += 1;
        if template[i - 1] != b'%' {
            continue;
        }
        if template.get(i) == Some(&b'[') {
            while i < template.len() && template[i] != b']' {
                i += 1;
            }
            i += 1;
        }
        if template.get(i) == Some(&b'\'') {
            i += 2;
        }
        if template.get(i).is_some_and(|c| b"<>^=".contains(c)) {
            i += 1;
        }
        number(&mut i);
        if template.get(i) == Some(&b'.') {
            i += 1;
            number(&mut i);
        }
    }
    widest
}

/// `n % d` as C's `fmod` computes it, with whole numbers (the usual case)
/// taken on integers, which is exact for them and much quicker.
fn remainder(n: f64, d: f64) -> f64 {
    const EXACT: f64 = (1u64 << 53) as f64;
    let whole = |x: f64| x.abs() < EXACT && x == x as i64 as f64;
    if whole(n) && whole(d) {
        // The sign of the result is the dividend's, also for a zero result.
        ((n as i64 % d as i64) as f64).copysign(n)
    } else {
        n % d
    }
}

/// Binary operators other than the short-circuit ones; strings and arrays
/// they build, and the regular expressions they match, stay within the
/// limits `meter` keeps.
#[inline(always)]
pub(crate) fn binary(op: BinaryOp, l: &Value, r: &Value, meter: &Meter, span: Span) -> R<Value> {
    if let (Value::Number(a), Value::Number(b)) = (l, r) {
        if let Some(v) = numeric(op, *a, *b) {
            return Ok(v);
        }
    }
    general(op, l, r, meter, span)
}

/// The arithmetic and comparisons of two numbers (the common case, kept
/// small enough to inline); `None` for the other operators and for `% 0`.
#[inline(always)]
fn numeric(op: BinaryOp, a: f64, b: f64) -> Option<Value> {
    use BinaryOp::*;
    let n = Value::Number;
    let cmp = || number_order(a, b);
    Some(match op {
        Add => n(a + b),
        Sub => n(a - b),
        Mul => n(a * b),
        Div => n(a / b),
        Mod if b != 0.0 => n(remainder(a, b)),
        Eq | StrictEq => Value::Bool(a == b),
        Ne | StrictNe => Value::Bool(a != b),
        Lt => Value::Bool(cmp().is_lt()),
        Le => Value::Bool(cmp().is_le()),
        Gt => Value::Bool(cmp().is_gt()),
        Ge => Value::Bool(cmp().is_ge()),
        _ => return None,
    })
}

/// [`binary`] for every operand type.
fn general(op: BinaryOp, l: &Value, r: &Value, meter: &Meter, span: Span) -> R<Value> {
    let limits = &meter.limits;
    use BinaryOp::*;
    use Value::{Array as A, Number as N, Str as S};
    Ok(match op {
        Add => {
            match (l, r) {
                (A(a), A(b)) => {
                    let mut out = a.as_ref().clone();
                    for (k, v) in b.map.iter() {
                        match k {
                            crate::value::Key::Int(_) => out.push(v.clone()),
                            crate::value::Key::Str(_) => out.insert(k.clone(), v.clone()),
                        }
                    }
                    limits.array(out.map.len() as f64, span)?;
                    A(Rc::new(out))
                }
                (A(a), v) => {
                    let mut out = a.as_ref().clone();
                    out.push(v.clone());
                    A(Rc::new(out))
                }
                (v, A(b)) => {
                    let mut out = Array::list([v.clone()]);
                    out.map
                        .extend(Array::list(b.map.values().cloned()).map.into_iter().map(
                            |(k, v)| match k {
                                crate::value::Key::Int(i) => (crate::value::Key::Int(i + 1), v),
                                other => (other, v),
                            },
                        ));
                    out.next = out.map.len() as i64;
                    A(Rc::new(out))
                }
                _ => N(l.to_number() + r.to_number()),
            }
        }
        Sub => match l {
            A(a) => {
                let remove: Vec<Value> = match r {
                    A(b) => b.map.values().cloned().collect(),
                    v => vec![v.clone()],
                };
                let mut out = a.as_ref().clone();
                out.map
                    .retain(|_, v| !remove.iter().any(|x| strict_eq(x, v)));
                A(Rc::new(out))
            }
            _ => N(l.to_number() - r.to_number()),
        },
        Mul => match (l, r) {
            (S(_) | A(_), n) => repeat(l, n.to_number(), limits, span)?,
            (n, S(_) | A(_)) => repeat(r, n.to_number(), limits, span)?,
            _ => N(l.to_number() * r.to_number()),
        },
        Div => N(l.to_number() / r.to_number()),
        Mod => match l {
            S(template) => {
                let args: Vec<Value> = match r {
                    A(a) => a.map.values().cloned().collect(),
                    other => {
                        return fail(
                            span,
                            format!(
                                "the format operator needs an array of arguments, not {}",
                                other.type_name()
                            ),
                        )
                    }
                };
                limits.string(widest_directive(template), span)?;
                Value::str(crate::format::format(template, &args, limits, span)?)
            }
            _ => {
                let d = r.to_number();
                if d == 0.0 {
                    return fail(span, "modulo by zero");
                }
                N(remainder(l.to_number(), d))
            }
        },
        Pow => N(l.to_number().powf(r.to_number())),
        Concat => {
            if matches!(l, Value::None) || matches!(r, Value::None) {
                return fail(span, "cannot concatenate none");
            }
            // Strings are measured before anything is copied, so a string
            // that keeps doubling stops at the limit, not at three times it.
            let (head, tail) = (l.as_bytes(), r.as_bytes());
            limits.string((head.len() + tail.len()) as f64, span)?;
            let mut out = Vec::with_capacity(head.len() + tail.len());
            out.extend_from_slice(&head);
            out.extend_from_slice(&tail);
            Value::str(out)
        }
        Shl => N(f64::from(int32(l).wrapping_shl(int32(r) as u32 & 31))),
        Shr => N(f64::from(int32(l).wrapping_shr(int32(r) as u32 & 31))),
        UShr => N(f64::from(
            (int32(l) as u32).wrapping_shr(int32(r) as u32 & 31),
        )),
        BitAnd => N(f64::from(int32(l) & int32(r))),
        BitOr => N(f64::from(int32(l) | int32(r))),
        BitXor => N(f64::from(int32(l) ^ int32(r))),
        Eq => Value::Bool(loose_eq(l, r)),
        Ne => Value::Bool(!loose_eq(l, r)),
        StrictEq => Value::Bool(strict_eq(l, r)),
        StrictNe => Value::Bool(!strict_eq(l, r)),
        Lt => Value::Bool(order(l, r).is_lt()),
        Le => Value::Bool(order(l, r).is_le()),
        Gt => Value::Bool(order(l, r).is_gt()),
        Ge => Value::Bool(order(l, r).is_ge()),
        Match | NotMatch => {
            Value::Bool(crate::regex::is_match(l, r, meter, span)? == (op == Match))
        }
        And | Or | Coalesce => {
            unreachable!("short-circuit operators are evaluated by the interpreter")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::remainder;

    #[test]
    fn remainder_matches_fmod() {
        let cases = [
            (7.0, 3.0),
            (-7.0, 3.0),
            (7.0, -3.0),
            (-6.0, 3.0),
            (0.0, 5.0),
            (-0.0, 5.0),
            (5.5, 2.0),
            (1e300, 7.0),
            (f64::INFINITY, 2.0),
            (9007199254740993.0, 2.0),
        ];
        for (n, d) in cases {
            let (got, want) = (remainder(n, d), n % d);
            assert!(
                got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                "{n} % {d}: {got} != {want}"
            );
        }
    }
}
