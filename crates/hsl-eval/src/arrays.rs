//! The `array_*` functions. Those that must stay fast on long arrays:
//! `array_unique` hashes values instead of comparing every pair, and
//! `array_sort` with a script callback is a merge sort (n·log n calls).

use crate::builtins::{array, callback, key_value, number_arg, R};
use crate::interp::{error, Interpreter};
use crate::value::{strict_eq, Array, Function, Key, Value};
use hsl_syntax::Span;
use std::collections::HashSet;
use std::rc::Rc;

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &[
        "array_keys",
        "array_join",
        "array_reverse",
        "array_includes",
        "array_map",
        "array_filter",
        "array_reduce",
        "array_unique",
        "array_find",
        "array_every",
        "array_sort",
        "array_shuffle",
        "array_combine",
        "array_range",
        "array_random",
    ],
    call,
};

/// The array family: answers `None` for names it does not own.
pub(crate) fn call(it: &mut Interpreter, name: &str, a: &[Value], span: Span) -> Option<R<Value>> {
    run(it, name, a, span).transpose()
}

fn run(it: &mut Interpreter, name: &str, a: &[Value], span: Span) -> R<Option<Value>> {
    Ok(Some(match name {
        "array_keys" => Value::Array(Rc::new(Array::list(
            array(name, &a[0], span)?.map.keys().map(key_value),
        ))),
        "array_join" => {
            let sep = match a.get(1) {
                Some(sep) => sep.as_bytes(),
                None => Default::default(),
            };
            let parts: Vec<_> = array(name, &a[0], span)?
                .map
                .values()
                .map(Value::as_bytes)
                .collect();
            // The separator is copied once between every two elements:
            // the result is measured before it is built.
            let between = sep.len() as f64 * parts.len().saturating_sub(1) as f64;
            let len = parts.iter().map(|p| p.len() as f64).sum::<f64>() + between;
            it.meter().limits.string(len, span)?;
            Value::str(parts.join(sep.as_ref()))
        }
        "array_reverse" => Value::Array(Rc::new(Array::list(
            array(name, &a[0], span)?.map.values().rev().cloned(),
        ))),
        "array_includes" => Value::Bool(
            array(name, &a[1], span)?
                .map
                .values()
                .any(|v| crate::value::strict_eq(v, &a[0])),
        ),
        "array_map" | "array_filter" => {
            let f = callback(&a[0], name, span)?;
            let items = array(name, &a[1], span)?.clone();
            let mut out = Array::default();
            for (k, v) in items.map.iter() {
                let r = it.call_value(&f, vec![v.clone()], false, span)?;
                if name == "array_map" {
                    out.insert(k.clone(), r);
                } else if r.truthy() {
                    out.insert(k.clone(), v.clone());
                }
            }
            Value::Array(Rc::new(out))
        }
        "array_reduce" => {
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
                acc = it.call_value(&f, vec![acc, v], false, span)?;
            }
            acc
        }
        "array_unique" => Value::Array(Rc::new(unique(array(name, &a[0], span)?))),
        "array_find" | "array_every" => {
            let f = callback(&a[0], name, span)?;
            let items = array(name, &a[1], span)?.clone();
            let mut result = if name == "array_every" {
                Value::Bool(true)
            } else {
                Value::None
            };
            for v in items.map.values() {
                let hit = it.call_value(&f, vec![v.clone()], false, span)?.truthy();
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
            let items: Vec<Value> = array(name, &a[1], span)?.map.values().cloned().collect();
            let sorted = match &a[0] {
                Value::None => {
                    let mut sorted = items;
                    sorted.sort_by(crate::ops::order);
                    sorted
                }
                f => {
                    let f = callback(f, name, span)?;
                    sort_with(it, &f, items, span)?
                }
            };
            Value::Array(Rc::new(Array::list(sorted)))
        }
        "array_shuffle" => {
            let mut items: Vec<Value> = array(name, &a[0], span)?.map.values().cloned().collect();
            for i in (1..items.len()).rev() {
                let j = (it.random() % (i as u64 + 1)) as usize;
                items.swap(i, j);
            }
            Value::Array(Rc::new(Array::list(items)))
        }
        "array_combine" => {
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
        "array_range" => {
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
        _ => return Ok(None),
    }))
}

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
                if !crate::walk::visit() {
                    // Cut short by a limit: the run ends before this is seen.
                    return false;
                }
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
fn unique(items: &Array) -> Array {
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
fn sort_with(
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
        if it.call_value(before, args, false, span)?.truthy() {
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
