//! Operators, subscripts and slices with HSL's conversion rules.

use crate::interp::{error, Signal};
use crate::value::{loose_eq, strict_eq, Array, Value};
use hsl_syntax::ast::{BinaryOp, UnaryOp};
use hsl_syntax::Span;
use std::rc::Rc;

type R<T> = Result<T, Signal>;

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
        other => error(span, format!("cannot index {}", other.type_name())),
    }
}

/// Python-style slice positions for a sequence of `len` items.
fn positions(
    len: usize,
    start: Option<f64>,
    stop: Option<f64>,
    step: Option<f64>,
) -> Option<Vec<usize>> {
    let len = len as i64;
    let step = step.map_or(1, |s| s as i64);
    if step == 0 {
        return None;
    }
    let clamp = |v: f64, lo: i64, hi: i64| {
        let v = v as i64;
        let v = if v < 0 { v + len } else { v };
        v.clamp(lo, hi)
    };
    let mut out = Vec::new();
    if step > 0 {
        let (a, z) = (
            start.map_or(0, |v| clamp(v, 0, len)),
            stop.map_or(len, |v| clamp(v, 0, len)),
        );
        let mut i = a;
        while i < z {
            out.push(i as usize);
            i += step;
        }
    } else {
        let (a, z) = (
            start.map_or(len - 1, |v| clamp(v, -1, len - 1)),
            stop.map_or(-1, |v| clamp(v, -1, len - 1)),
        );
        let mut i = a;
        while i > z {
            out.push(i as usize);
            i += step;
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
        other => return error(span, format!("cannot slice {}", other.type_name())),
    };
    let Some(pos) = positions(len, start, stop, step) else {
        return error(span, "slice step cannot be 0");
    };
    Ok(match base {
        Value::Str(s) => Value::str(pos.iter().map(|&i| s[i]).collect::<Vec<u8>>()),
        Value::Array(a) => {
            Value::Array(Rc::new(Array::list(pos.iter().map(|&i| a.map[i].clone()))))
        }
        _ => unreachable!("checked above"),
    })
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
        _ => l
            .to_number()
            .partial_cmp(&r.to_number())
            .unwrap_or(std::cmp::Ordering::Equal),
    }
}

fn repeat(v: &Value, n: f64, span: Span) -> R<Value> {
    let n = n.max(0.0) as usize;
    match v {
        Value::Str(s) => Ok(Value::str(s.repeat(n))),
        Value::Array(a) => Ok(Value::Array(Rc::new(Array::list(
            std::iter::repeat_n(a.map.values(), n).flatten().cloned(),
        )))),
        other => error(span, format!("cannot repeat {}", other.type_name())),
    }
}

/// Binary operators other than the short-circuit ones.
pub fn binary(op: BinaryOp, l: &Value, r: &Value, span: Span) -> R<Value> {
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
            (S(_) | A(_), n) => repeat(l, n.to_number(), span)?,
            (n, S(_) | A(_)) => repeat(r, n.to_number(), span)?,
            _ => N(l.to_number() * r.to_number()),
        },
        Div => N(l.to_number() / r.to_number()),
        Mod => match l {
            S(template) => {
                let args: Vec<Value> = match r {
                    A(a) => a.map.values().cloned().collect(),
                    other => {
                        return error(
                            span,
                            format!(
                                "the format operator needs an array of arguments, not {}",
                                other.type_name()
                            ),
                        )
                    }
                };
                match crate::format::format(template, &args) {
                    Ok(text) => Value::str(text),
                    Err(message) => return error(span, message),
                }
            }
            _ => {
                let d = r.to_number();
                if d == 0.0 {
                    return error(span, "modulo by zero");
                }
                N(l.to_number() % d)
            }
        },
        Pow => N(l.to_number().powf(r.to_number())),
        Concat => {
            if matches!(l, Value::None) || matches!(r, Value::None) {
                return error(span, "cannot concatenate none");
            }
            let mut out = l.to_bytes();
            out.extend(r.to_bytes());
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
        Match | NotMatch => match crate::regex::is_match(l, r) {
            Ok(found) => Value::Bool(found == (op == Match)),
            Err(message) => return error(span, message),
        },
        And | Or | Coalesce => {
            unreachable!("short-circuit operators are evaluated by the interpreter")
        }
    })
}
