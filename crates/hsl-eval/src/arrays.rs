//! Array algorithms of the core library that must stay fast on long
//! arrays: `array_unique` (hashing instead of comparing every pair) and
//! `array_sort` with a script callback (a merge sort: n·log n calls).

use crate::builtins::R;
use crate::interp::Interpreter;
use crate::value::{strict_eq, Array, Function, Key, Value};
use hsl_syntax::Span;
use std::collections::HashSet;

/// Appends bytes that are equal for two values exactly when they are `===`;
/// false for values compared by identity (functions, objects, regexes) and
/// NaN, which is not `===` to itself.
fn encode(v: &Value, out: &mut Vec<u8>) -> bool {
    let bytes = |out: &mut Vec<u8>, b: &[u8]| {
        out.extend_from_slice(&(b.len() as u64).to_le_bytes());
        out.extend_from_slice(b);
    };
    match v {
        Value::None => out.push(0),
        Value::Bool(b) => out.extend_from_slice(&[1, u8::from(*b)]),
        Value::Number(n) if n.is_nan() => return false,
        Value::Number(n) => {
            out.push(2);
            // 0 and -0 are `===`.
            let n = if *n == 0.0 { 0.0 } else { *n };
            out.extend_from_slice(&n.to_bits().to_le_bytes());
        }
        Value::Str(s) => {
            out.push(3);
            bytes(out, s);
        }
        Value::Array(a) => {
            out.push(4);
            out.extend_from_slice(&(a.map.len() as u64).to_le_bytes());
            for (k, v) in a.map.iter() {
                match k {
                    Key::Int(i) => {
                        out.push(5);
                        out.extend_from_slice(&i.to_le_bytes());
                    }
                    Key::Str(s) => {
                        out.push(6);
                        bytes(out, s);
                    }
                }
                if !encode(v, out) {
                    return false;
                }
            }
        }
        Value::Function(_) | Value::Object(_) | Value::Regex(_) => return false,
    }
    true
}

/// `array_unique`: the first of each group of `===` values, keys kept.
pub(crate) fn unique(items: &Array) -> Array {
    let mut seen = HashSet::new();
    let mut by_identity: Vec<&Value> = Vec::new();
    let mut out = Array::default();
    for (k, v) in items.map.iter() {
        let mut key = Vec::new();
        let first = if encode(v, &mut key) {
            seen.insert(key)
        } else if by_identity.iter().any(|x| strict_eq(x, v)) {
            false
        } else {
            by_identity.push(v);
            true
        };
        if first {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

/// `array_sort` with a callback that answers whether its first argument
/// comes before its second: a stable merge sort.
pub(crate) fn sort_with(
    it: &mut Interpreter,
    before: &Function,
    items: Vec<Value>,
    span: Span,
) -> R<Vec<Value>> {
    if items.len() < 2 {
        return Ok(items);
    }
    let mut right = items;
    let left: Vec<Value> = right.drain(..right.len() / 2).collect();
    let left = sort_with(it, before, left, span)?;
    let right = sort_with(it, before, right, span)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        // Take from the right run only when it strictly comes first, so
        // equal items keep their order.
        let args = vec![right[j].clone(), left[i].clone()];
        if it.invoke(before, args, false, span)?.truthy() {
            out.push(right[j].clone());
            j += 1;
        } else {
            out.push(left[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}
