//! Expressions: operators, strings, arrays, `match`, `isset`/`unset`,
//! assignment to every assignable form, slices and destructuring.

use super::scopes::Vars;
use super::{Interpreter, Signal};
use crate::interp::error;
use crate::ops;
use crate::value::{Array, Function, Key, Value};
use crate::R;
use hsl_syntax::ast::*;
use hsl_syntax::Span;
use std::rc::Rc;

impl<'p> Interpreter<'p> {
    /// Evaluates an expression.
    pub fn expr(&mut self, e: &'p Expr) -> Result<Value, Signal> {
        self.eval(e).map_err(|s| *s)
    }

    /// [`Self::eval`] with the leaves of an expression (numbers and
    /// variables, the usual operands) handled without a call.
    #[inline(always)]
    pub(super) fn operand(&mut self, e: &'p Expr) -> R<Value> {
        match &e.kind {
            ExprKind::Number(n) => {
                self.step(e.span)?;
                Ok(Value::Number(*n))
            }
            ExprKind::Var(name) => {
                self.step(e.span)?;
                self.scopes.variable(name, e.span)
            }
            _ => self.eval(e),
        }
    }

    pub(super) fn eval(&mut self, e: &'p Expr) -> R<Value> {
        self.step(e.span)?;
        Ok(match &e.kind {
            ExprKind::Number(n) => Value::Number(*n),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::None => Value::None,
            ExprKind::Str(s) => {
                // The text grows within the memory budget: one variable
                // can be interpolated any number of times.
                let mut out = Vec::new();
                for p in &s.parts {
                    let value;
                    let text = match &p.kind {
                        StrPartKind::Text(t) => std::borrow::Cow::Borrowed(t.as_slice()),
                        StrPartKind::Var(v) => match self.scopes.read(v) {
                            Some(read) => {
                                value = read;
                                value.as_bytes()
                            }
                            None => {
                                return error(p.span, format!("variable `${v}` is not defined"))
                            }
                        },
                    };
                    self.meter
                        .limits
                        .string_room(&mut out, text.len(), p.span)?;
                    out.extend_from_slice(&text);
                }
                Value::str(out)
            }
            ExprKind::Var(name) => self.scopes.variable(name, e.span)?,
            ExprKind::Ident(name) => Value::Function(Rc::new(Function::Named(name.clone()))),
            ExprKind::Builtin(n) => Value::Function(Rc::new(Function::Named(n.text.clone()))),
            ExprKind::Paren(inner) => self.eval(inner)?,
            ExprKind::Array(items) => Value::Array(Rc::new(self.items(items)?)),
            ExprKind::Function(f) => {
                let captured: Vars = f
                    .captures
                    .iter()
                    .map(|c| (c.text.clone(), self.scopes.cell(&c.text)))
                    .collect();
                self.defs.closures.push((f, captured));
                Value::Function(Rc::new(Function::Closure(self.defs.closures.len() - 1)))
            }
            ExprKind::Match { subject, arms } => {
                let v = self.eval(subject)?;
                for arm in arms {
                    if arm.patterns.is_empty() {
                        continue;
                    }
                    for p in &arm.patterns {
                        if crate::value::strict_eq(&v, &self.eval(p)?) {
                            return self.eval(&arm.result);
                        }
                    }
                }
                match arms.iter().find(|a| a.patterns.is_empty()) {
                    Some(d) => self.eval(&d.result)?,
                    None => return error(e.span, "no match arm for the value"),
                }
            }
            ExprKind::Isset(inner) => Value::Bool(self.isset(inner)?),
            ExprKind::Unset(inner) => Value::Bool(self.unset(inner)?),
            ExprKind::Call { callee, args } => self.call(callee, args, e.span)?,
            ExprKind::Index { base, index } => {
                let b = self.eval(base)?;
                let k = self.eval(index)?;
                match b {
                    // `$o["m"]` is `$o->m`, methods included.
                    Value::Object(_) => {
                        self.member(&b, &String::from_utf8_lossy(&k.to_bytes()), e.span)?
                    }
                    _ => ops::index(&b, &k, e.span)?,
                }
            }
            ExprKind::Slice {
                base,
                start,
                stop,
                step,
            } => {
                let b = self.eval(base)?;
                let (a, z, st) = self.slice_args(start, stop, step)?;
                ops::slice(&b, a, z, st, e.span)?
            }
            ExprKind::Unary { op, operand } => {
                let v = self.eval(operand)?;
                ops::unary(*op, &v)
            }
            ExprKind::IncDec {
                increment,
                prefix,
                target,
            } => {
                let old = self.operand(target)?.to_number();
                let new = if *increment { old + 1.0 } else { old - 1.0 };
                self.assign(target, Value::Number(new))?;
                Value::Number(if *prefix { new } else { old })
            }
            ExprKind::Binary { op, lhs, rhs } => match op {
                BinaryOp::And => Value::Bool(self.eval(lhs)?.truthy() && self.eval(rhs)?.truthy()),
                BinaryOp::Or => Value::Bool(self.eval(lhs)?.truthy() || self.eval(rhs)?.truthy()),
                BinaryOp::Coalesce => {
                    let l = if self.isset(lhs)? {
                        self.eval(lhs)?
                    } else {
                        Value::None
                    };
                    if matches!(l, Value::None) {
                        self.eval(rhs)?
                    } else {
                        l
                    }
                }
                _ => {
                    let l = self.operand(lhs)?;
                    let r = self.operand(rhs)?;
                    ops::binary(*op, &l, &r, &self.meter, e.span)?
                }
            },
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => {
                let c = self.eval(cond)?;
                if c.truthy() {
                    match then {
                        Some(t) => self.eval(t)?,
                        None => c,
                    }
                } else {
                    self.eval(otherwise)?
                }
            }
            ExprKind::Assign { op, target, value } => {
                let v = match op {
                    AssignOp::Assign => self.eval(value)?,
                    AssignOp::Compound(BinaryOp::Coalesce) => {
                        if self.isset(target)? && !matches!(self.eval(target)?, Value::None) {
                            return self.eval(target);
                        }
                        self.eval(value)?
                    }
                    AssignOp::Compound(bin) => {
                        let old = self.operand(target)?;
                        let r = self.eval(value)?;
                        ops::binary(*bin, &old, &r, &self.meter, e.span)?
                    }
                };
                self.assign(target, v.clone())?;
                v
            }
            ExprKind::Destructure { pattern, value } => {
                let v = self.eval(value)?;
                self.destructure(pattern, &v)?;
                v
            }
            ExprKind::Regex { pattern, flags } => {
                Value::Regex(Rc::new((pattern.clone(), flags.clone())))
            }
            ExprKind::ScopeRes { scope, member } => match member {
                ScopeMember::Var(v) => {
                    let class = self.scope_class(scope, e.span)?;
                    self.static_cell(&class, &v.text, e.span)?.borrow().clone()
                }
                ScopeMember::Ident(_) => {
                    return self.unsupported(e.span, "a static method reference")
                }
            },
            ExprKind::Member { base, name } => {
                let b = self.eval(base)?;
                self.member(&b, &name.text, e.span)?
            }
            ExprKind::Cache { options, call } => {
                let options = self.items(options)?;
                self.cached(&options, call)?
            }
            ExprKind::PathIndex { base, path } => {
                let mut v = self.eval(base)?;
                for key in self.path(path)? {
                    v = ops::index(&v, &key, e.span)?;
                }
                v
            }
            ExprKind::Append { .. } => return error(e.span, "this form can only be assigned to"),
            ExprKind::Error => return error(e.span, "this expression has a syntax error"),
        })
    }

    pub(super) fn items(&mut self, items: &'p [ArrayItem]) -> R<Array> {
        let mut a = Array::default();
        for item in items {
            match item {
                ArrayItem::Value(v) => {
                    let v = self.eval(v)?;
                    a.push(v);
                }
                ArrayItem::Keyed(k, v) => {
                    let k = self.eval(k)?.to_key();
                    let v = self.eval(v)?;
                    a.insert(k, v);
                }
                ArrayItem::Spread(s) => match self.eval(s)? {
                    Value::Array(src) => {
                        for (k, v) in src.map.iter() {
                            match k {
                                Key::Int(_) => a.push(v.clone()),
                                Key::Str(_) => a.insert(k.clone(), v.clone()),
                            }
                        }
                    }
                    other => return error(s.span, format!("cannot spread {}", other.type_name())),
                },
            }
        }
        if let Some(last) = items.last() {
            let span = match last {
                ArrayItem::Value(v) | ArrayItem::Keyed(_, v) | ArrayItem::Spread(v) => v.span,
            };
            self.grown(&a, span)?;
        }
        Ok(a)
    }

    pub(super) fn isset(&mut self, e: &'p Expr) -> R<bool> {
        match &e.kind {
            ExprKind::Var(n) => Ok(self
                .scopes
                .lookup(n)
                .is_some_and(|c| !matches!(*c.borrow(), Value::None))),
            ExprKind::Index { base, index } => {
                if !self.isset(base)? {
                    return Ok(false);
                }
                let b = self.eval(base)?;
                let k = self.eval(index)?;
                Ok(!matches!(ops::index(&b, &k, e.span)?, Value::None))
            }
            ExprKind::Paren(inner) => self.isset(inner),
            _ => Ok(!matches!(self.eval(e)?, Value::None)),
        }
    }

    pub(super) fn unset(&mut self, e: &'p Expr) -> R<bool> {
        match &e.kind {
            ExprKind::Var(n) => Ok(self.scopes.scope().remove(n.as_str()).is_some()),
            ExprKind::Index { base, index } => {
                let k = self.eval(index)?.to_key();
                let Value::Array(mut a) = self.eval(base)? else {
                    return Ok(false);
                };
                let removed = Rc::make_mut(&mut a).map.shift_remove(&k).is_some();
                self.assign(base, Value::Array(a))?;
                Ok(removed)
            }
            ExprKind::Slice {
                base,
                start,
                stop,
                step,
            } => {
                let (from, to) = self.splice_bounds(start, stop, step, e.span)?;
                let Value::Array(mut a) = self.eval(base)? else {
                    return Ok(false);
                };
                let removed = ops::splice(Rc::make_mut(&mut a), from, to, Vec::new());
                self.assign(base, Value::Array(a))?;
                Ok(removed)
            }
            _ => error(e.span, "unset needs a variable, a subscript or a slice"),
        }
    }

    /// Stores `v` into an assignable expression.
    pub(super) fn assign(&mut self, target: &'p Expr, v: Value) -> R<()> {
        if let ExprKind::Var(n) = &target.kind {
            self.scopes.writable(n, target.span)?;
            self.scopes.set(n, v);
            return Ok(());
        }
        if let Some((root, span)) = target.root_var() {
            self.scopes.writable(root, span)?;
        }
        match &target.kind {
            ExprKind::Index { base, index } => {
                let k = self.eval(index)?.to_key();
                let mut a = self.container(base)?;
                let items = Rc::make_mut(&mut a);
                self.meter
                    .limits
                    .element_room(items, Some(&k), target.span)?;
                items.insert(k, v);
                self.grown(&a, target.span)?;
                self.assign(base, Value::Array(a))
            }
            ExprKind::Append { base } => {
                let mut a = self.container(base)?;
                let items = Rc::make_mut(&mut a);
                self.meter.limits.element_room(items, None, target.span)?;
                items.push(v);
                self.grown(&a, target.span)?;
                self.assign(base, Value::Array(a))
            }
            ExprKind::Slice {
                base,
                start,
                stop,
                step,
            } => {
                let (from, to) = self.splice_bounds(start, stop, step, target.span)?;
                let items = match v {
                    Value::Array(items) => items.map.values().cloned().collect(),
                    other => vec![other],
                };
                let mut a = self.container(base)?;
                ops::splice(Rc::make_mut(&mut a), from, to, items);
                self.grown(&a, target.span)?;
                self.assign(base, Value::Array(a))
            }
            ExprKind::PathIndex { base, path } => {
                let path = self.path(path)?;
                if path.is_empty() {
                    return error(target.span, "a path subscript needs at least one key");
                }
                let mut a = self.container(base)?;
                ops::set_path(Rc::make_mut(&mut a), &path, v);
                self.grown(&a, target.span)?;
                self.assign(base, Value::Array(a))
            }
            ExprKind::Member { base, name } => {
                let Value::Object(o) = self.eval(base)? else {
                    return error(target.span, "only objects have properties");
                };
                self.check_access(&o.class, &name.text, true, target.span)?;
                o.fields.borrow_mut().insert(name.text.clone(), v);
                Ok(())
            }
            ExprKind::ScopeRes {
                scope,
                member: ScopeMember::Var(var),
            } => {
                let class = self.scope_class(scope, target.span)?;
                *self
                    .static_cell(&class, &var.text, target.span)?
                    .borrow_mut() = v;
                Ok(())
            }
            _ => error(target.span, "cannot assign to this expression"),
        }
    }

    /// The start, stop and step of a slice, as numbers where given.
    pub(super) fn slice_args(
        &mut self,
        start: &'p Option<Box<Expr>>,
        stop: &'p Option<Box<Expr>>,
        step: &'p Option<Box<Expr>>,
    ) -> R<(Option<f64>, Option<f64>, Option<f64>)> {
        let mut bound = |x: &'p Option<Box<Expr>>| -> R<Option<f64>> {
            x.as_deref()
                .map(|x| self.eval(x).map(|v| v.to_number()))
                .transpose()
        };
        Ok((bound(start)?, bound(stop)?, bound(step)?))
    }

    /// The bounds of a slice that is assigned to or unset (no step but 1).
    pub(super) fn splice_bounds(
        &mut self,
        start: &'p Option<Box<Expr>>,
        stop: &'p Option<Box<Expr>>,
        step: &'p Option<Box<Expr>>,
        span: Span,
    ) -> R<(Option<f64>, Option<f64>)> {
        let (a, z, st) = self.slice_args(start, stop, step)?;
        if st.is_some_and(|s| s != 1.0) {
            return error(span, "a slice with a step cannot be assigned to or unset");
        }
        Ok((a, z))
    }

    /// The keys of a path subscript `[...path]`.
    pub(super) fn path(&mut self, path: &'p Expr) -> R<Vec<Value>> {
        match self.eval(path)? {
            Value::Array(keys) => Ok(keys.map.values().cloned().collect()),
            other => error(
                path.span,
                format!(
                    "a path subscript needs an array of keys, not {}",
                    other.type_name()
                ),
            ),
        }
    }

    /// Ends the script when an array written to outgrows the memory limit.
    pub(super) fn grown(&self, a: &Array, span: Span) -> R<()> {
        self.meter.limits.grown(a.map.len(), span)
    }

    /// The array at `base` for writing into (none or missing becomes `[]`).
    /// A variable's array is taken out of it while it is changed, so the
    /// change does not copy it (the caller stores it back).
    pub(super) fn container(&mut self, base: &'p Expr) -> R<Rc<Array>> {
        if let ExprKind::Var(n) = &base.kind {
            if let Some(cell) = self.scopes.lookup(n) {
                let taken = std::mem::take(&mut *cell.borrow_mut());
                return Ok(match taken {
                    Value::Array(a) => a,
                    _ => Rc::new(Array::default()),
                });
            }
        }
        let current = if self.isset(base)? {
            self.eval(base)?
        } else {
            Value::None
        };
        Ok(match current {
            Value::Array(a) => a,
            _ => Rc::new(Array::default()),
        })
    }

    pub(super) fn destructure(&mut self, pattern: &'p Pattern, v: &Value) -> R<()> {
        let Value::Array(a) = v else {
            return error(
                pattern.span,
                format!("cannot destructure {}", v.type_name()),
            );
        };
        let values: Vec<&Value> = a.map.values().collect();
        for (i, item) in pattern.items.iter().enumerate() {
            match item {
                PatternItem::Positional { target, default } => {
                    let got = values.get(i).map(|v| (*v).clone()).unwrap_or(Value::None);
                    let got = match (got, default) {
                        (Value::None, Some(d)) => self.eval(d)?,
                        (g, _) => g,
                    };
                    self.assign(target, got)?;
                }
                PatternItem::Keyed {
                    key,
                    target,
                    default,
                } => {
                    let k = self.eval(key)?.to_key();
                    let got = a.map.get(&k).cloned().unwrap_or(Value::None);
                    let got = match (got, default) {
                        (Value::None, Some(d)) => self.eval(d)?,
                        (g, _) => g,
                    };
                    self.assign(target, got)?;
                }
                PatternItem::Rest(target) => {
                    let rest = Array::list(values.iter().skip(i).map(|v| (*v).clone()));
                    self.assign(target, Value::Array(Rc::new(rest)))?;
                }
            }
        }
        Ok(())
    }

    pub(super) fn unsupported<T>(&self, span: Span, what: &str) -> R<T> {
        error(span, format!("{what} is not supported by `hsl run` yet"))
    }
}
