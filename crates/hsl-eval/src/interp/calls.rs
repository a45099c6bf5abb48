//! Calls: of user functions, closures, host functions, stubs and
//! built-ins; argument binding with defaults and variadics; `cache`.

use super::frame::Frame;
use super::{Flow, Interpreter, Signal};
use crate::builtins;
use crate::interp::error;
use crate::value::{Array, Function, Value};
use crate::R;
use hsl_syntax::ast::*;
use hsl_syntax::Span;
use std::cell::RefCell;
use std::rc::Rc;

impl<'p> Interpreter<'p> {
    pub(super) fn call(&mut self, callee: &'p Expr, args: &'p [Arg], span: Span) -> R<Value> {
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            let v = self.eval(&a.expr)?;
            if a.spread {
                match v {
                    Value::Array(items) => {
                        let count = values.len() + items.map.len();
                        self.meter.limits.array(count as f64, a.expr.span)?;
                        values.extend(items.map.values().cloned())
                    }
                    other => {
                        return error(a.expr.span, format!("cannot spread {}", other.type_name()))
                    }
                }
            } else {
                values.push(v);
            }
        }
        let (target, builtin) = match &callee.kind {
            ExprKind::Member { base, name } => match self.eval(base)? {
                Value::Object(o) => (Function::Method(o, name.text.clone()), false),
                other => return error(name.span, format!("{} has no methods", other.type_name())),
            },
            ExprKind::ScopeRes {
                scope,
                member: ScopeMember::Ident(m),
            } => return self.call_static(scope, m, values, span),
            ExprKind::Ident(name) => (Function::Named(name.clone()), false),
            ExprKind::Builtin(n) => (Function::Named(n.text.clone()), true),
            _ => match self.eval(callee)? {
                Value::Function(f) => match f.as_ref() {
                    Function::Named(n) => (Function::Named(n.clone()), false),
                    Function::Closure(i) => (Function::Closure(*i), false),
                    Function::Method(o, m) => (Function::Method(o.clone(), m.clone()), false),
                },
                other => {
                    return error(
                        callee.span,
                        format!("{} is not callable", other.type_name()),
                    )
                }
            },
        };
        self.call_value(&target, values, builtin, span)
    }

    /// Calls a function value with evaluated arguments.
    pub fn invoke(
        &mut self,
        f: &Function,
        args: Vec<Value>,
        builtin: bool,
        span: Span,
    ) -> Result<Value, Signal> {
        self.call_value(f, args, builtin, span).map_err(|s| *s)
    }

    /// Calls a function value with evaluated arguments (inside the crate:
    /// the signal stays boxed).
    pub(crate) fn call_value(
        &mut self,
        f: &Function,
        args: Vec<Value>,
        builtin: bool,
        span: Span,
    ) -> R<Value> {
        self.meter.walked(span)?;
        match f {
            Function::Named(name) => {
                if !builtin {
                    let decl = self.defs.functions[self.files.origin.home]
                        .get(name.as_str())
                        .copied();
                    if let Some(decl) = decl {
                        return self.call_decl(decl, args, span);
                    }
                }
                if let Some(host) = self.world.host.get_mut(name.as_str()) {
                    let answer = host(args, span);
                    // An answer (or a verdict) from a walk cut short never counts.
                    self.meter.walked(span)?;
                    return Ok(answer?);
                }
                if let Some(v) = self.world.stubs.lookup(name, &args) {
                    return Ok(v);
                }
                if !builtin {
                    if let Some(c) = self.defs.classes.get(name.as_str()).copied() {
                        return self.construct(c, args, span);
                    }
                }
                self.meter.limits.call(name, &args, span)?;
                let result = builtins::call(self, name, args, span);
                // A result (or a verdict) built from a walk cut short never counts.
                self.meter.walked(span)?;
                let result = result?;
                self.meter.limits.value(&result, span)?;
                Ok(result)
            }
            Function::Closure(i) => {
                let (f, captured) = (self.defs.closures[*i].0, self.defs.closures[*i].1.clone());
                self.enter(Frame::closure(f, captured), args, span)
            }
            Function::Method(o, m) => self.call_method(o.clone(), m, args, span),
        }
    }

    /// Calls the user function `decl` in a fresh scope.
    pub(super) fn call_decl(
        &mut self,
        decl: &'p FunctionDecl,
        args: Vec<Value>,
        span: Span,
    ) -> R<Value> {
        self.enter(Frame::function(decl), args, span)
    }

    /// Runs `frame` with the arguments `args` of the call at `span`: binds
    /// the parameters (checking their count), then runs the body in a new
    /// scope and returns what it returns.
    pub(super) fn enter(&mut self, frame: Frame<'_, 'p>, args: Vec<Value>, span: Span) -> R<Value> {
        let Frame {
            name,
            params,
            body,
            vars: mut scope,
            class,
        } = frame;
        if self.scopes.frames.len() >= self.meter.limits.depth {
            return Err(Box::new(Signal::Limit(
                format!("call depth limit of {} exceeded", self.meter.limits.depth),
                span,
            )));
        }
        let required = params
            .iter()
            .filter(|p| p.default.is_none() && !p.variadic)
            .count();
        let variadic = params.iter().any(|p| p.variadic);
        if args.len() < required || (!variadic && args.len() > params.len()) {
            let expected = if variadic {
                format!("at least {required}")
            } else if required == params.len() {
                format!("{required}")
            } else {
                format!("{required} to {}", params.len())
            };
            return error(
                span,
                format!("{name}() takes {expected} arguments, {} given", args.len()),
            );
        }
        let mut args = args.into_iter();
        let mut defaults = Vec::new();
        for p in params {
            let v = if p.variadic {
                Value::Array(Rc::new(Array::list(args.by_ref())))
            } else if let Some(v) = args.next() {
                v
            } else {
                defaults.push(p);
                continue;
            };
            scope.insert(p.name.text.clone(), Rc::new(RefCell::new(v)));
        }
        self.scopes.cells.invalidate();
        self.scopes.frames.push(scope);
        self.defs.class_stack.push(class);
        let from = self.switch(self.origin_of(body));
        let result = self
            .defaults(&defaults)
            .and_then(|()| self.stmts(&body.stmts));
        self.leave(from, &result);
        self.scopes.cells.invalidate();
        self.scopes.frames.pop();
        self.defs.class_stack.pop();
        Ok(match result? {
            Flow::Return(v) => v,
            _ => Value::None,
        })
    }

    /// Binds the parameters that were not passed to their default values.
    pub(super) fn defaults(&mut self, params: &[&'p Param]) -> R<()> {
        for p in params {
            let v = match &p.default {
                Some(d) => self.eval(d)?,
                None => Value::None,
            };
            self.scopes.set(&p.name.text, v);
        }
        Ok(())
    }

    /// `cache [options] f(args)`: the stored result while fresh, else the
    /// call's result, stored.
    pub(super) fn cached(&mut self, options: &Array, call: &'p Expr) -> R<Value> {
        let ExprKind::Call { callee, args } = &call.kind else {
            return error(call.span, "cache needs a function call");
        };
        let name = match &callee.kind {
            ExprKind::Ident(n) => n.clone(),
            ExprKind::Builtin(n) => n.text.clone(),
            ExprKind::ScopeRes {
                scope: Scope::Named(c),
                member: ScopeMember::Ident(m),
            } => format!("{}::{}", c.text, m.text),
            _ => return error(callee.span, "cache needs a named function"),
        };
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(self.eval(&a.expr)?);
        }
        let opts = crate::cache::CacheOptions::from_array(options);
        let key = self.world.cache.key(&opts, &name, &values);
        if !opts.force {
            if let Some(v) = self.world.cache.get(&key) {
                return Ok(v);
            }
        }
        let result = match &callee.kind {
            ExprKind::Ident(n) => {
                self.call_value(&Function::Named(n.clone()), values, false, call.span)?
            }
            ExprKind::Builtin(n) => {
                self.call_value(&Function::Named(n.text.clone()), values, true, call.span)?
            }
            ExprKind::ScopeRes {
                scope,
                member: ScopeMember::Ident(m),
            } => self.call_static(scope, m, values, call.span)?,
            _ => return error(callee.span, "cache needs a named function"),
        };
        self.world.cache.put(key, &opts, result.clone());
        Ok(result)
    }
}
