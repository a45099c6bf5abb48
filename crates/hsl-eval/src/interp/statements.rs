//! Statements: blocks, conditions, loops, `switch`, `try`, `global`,
//! `include`, `import`, `barrier` and `echo`.

use super::{Flow, Interpreter, Signal};
use crate::interp::error;
use crate::value::{Key, Value};
use crate::R;
use hsl_syntax::ast::*;
use std::rc::Rc;

impl<'p> Interpreter<'p> {
    pub(super) fn stmts(&mut self, stmts: &'p [Stmt]) -> R<Flow> {
        for s in stmts {
            match self.stmt(s)? {
                Flow::Next => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Next)
    }

    pub(super) fn stmt(&mut self, s: &'p Stmt) -> R<Flow> {
        self.step(s.span)?;
        if let Some(coverage) = &mut self.coverage {
            coverage.statement(self.files.origin.file, s.span.start);
        }
        match &s.kind {
            StmtKind::Expr(e) => {
                self.eval(e)?;
            }
            StmtKind::Echo(e) => {
                let mut text = self.eval(e)?.to_bytes();
                text.push(b'\n');
                self.meter.output(text.len(), s.span)?;
                (self.world.echo)(&text);
            }
            StmtKind::Block(b) => return self.stmts(&b.stmts),
            StmtKind::Empty | StmtKind::Function(_) => {}
            StmtKind::Error => return error(s.span, "this statement has a syntax error"),
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                let taken = self.eval(cond)?.truthy();
                if let Some(coverage) = &mut self.coverage {
                    let branch = usize::from(!taken);
                    coverage.branch(self.files.origin.file, s.span.start, branch);
                }
                if taken {
                    return self.stmt(then);
                } else if let Some(o) = otherwise {
                    return self.stmt(o);
                }
            }
            StmtKind::While { cond, body } => {
                while self.eval(cond)?.truthy() {
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
            }
            StmtKind::Forever { body } => loop {
                match self.stmt(body)? {
                    Flow::Break => break,
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    _ => self.step(s.span)?,
                }
            },
            StmtKind::For {
                init,
                cond,
                update,
                body,
            } => {
                for e in init {
                    self.eval(e)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !self.eval(c)?.truthy() {
                            break;
                        }
                    }
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                    for e in update {
                        self.eval(e)?;
                    }
                }
            }
            StmtKind::Foreach {
                subject,
                key,
                value,
                body,
            } => {
                let items = match self.eval(subject)? {
                    Value::Array(items) => items,
                    Value::Object(o) if self.defs.classes.contains_key(o.class.as_str()) => {
                        Rc::new(self.members(&o))
                    }
                    other => {
                        return error(
                            subject.span,
                            format!("foreach needs an array, not {}", other.type_name()),
                        )
                    }
                };
                for (k, v) in items.map.iter() {
                    if let Some(kn) = key {
                        let kv = match k {
                            Key::Int(i) => Value::Number(*i as f64),
                            Key::Str(s) => Value::str(s.to_vec()),
                        };
                        self.scopes.set(&kn.text, kv);
                    }
                    self.scopes.set(&value.text, v.clone());
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
            }
            StmtKind::Switch { subject, cases } => {
                let v = self.eval(subject)?;
                let mut start = None;
                for (i, c) in cases.iter().enumerate() {
                    if let Some(l) = &c.label {
                        if crate::value::loose_eq(&v, &self.eval(l)?) {
                            start = Some(i);
                            break;
                        }
                    }
                }
                let start = start.or_else(|| cases.iter().position(|c| c.label.is_none()));
                if let Some(start) = start {
                    for c in &cases[start..] {
                        match self.stmts(&c.body)? {
                            Flow::Next => {}
                            Flow::Break => break,
                            other => return Ok(other),
                        }
                    }
                }
            }
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::None,
                };
                return Ok(Flow::Return(v));
            }
            StmtKind::Throw(e) => {
                let v = self.eval(e)?;
                return Err(Box::new(Signal::Throw(v, s.span)));
            }
            StmtKind::Try { body, var, handler } => match self.stmts(&body.stmts) {
                Ok(flow) => return Ok(flow),
                Err(signal) => {
                    let Signal::Throw(v, span) = *signal else {
                        return Err(signal);
                    };
                    self.locate(&v, span);
                    self.files.raised_in = None;
                    self.scopes.set(&var.text, v);
                    return self.stmts(&handler.stmts);
                }
            },
            StmtKind::Global(names) => {
                for n in names {
                    self.scopes.cells.invalidate();
                    let cell = self
                        .scopes
                        .globals
                        .entry(n.text.clone())
                        .or_default()
                        .clone();
                    self.scopes.scope().insert(n.text.clone(), cell);
                }
            }
            StmtKind::Include { once, path } => {
                let (file, program) = self.module(&path.value, path.span)?;
                if !(*once && self.files.included.contains(&file)) {
                    self.files.included.insert(file.clone());
                    if let Flow::Return(v) = self.include(file, program, path.span)? {
                        return Ok(Flow::Return(v));
                    }
                }
            }
            StmtKind::Import(import) => self.import(import)?,
            StmtKind::Class(_) => {}
            StmtKind::Barrier { name, var, body } => {
                // One script runs at a time here, so the lock is always free;
                // the shared variable persists between executions.
                let key = self.eval(name)?.to_bytes();
                if let Some(v) = var {
                    let shared = self
                        .world
                        .barriers
                        .get(&key)
                        .cloned()
                        .unwrap_or(Value::None);
                    self.scopes.set(&v.text, shared);
                }
                let flow = self.stmts(&body.stmts);
                if let Some(v) = var {
                    let value = self
                        .scopes
                        .lookup(&v.text)
                        .map(|c| c.borrow().clone())
                        .unwrap_or_default();
                    self.world.barriers.insert(key, value);
                }
                return flow;
            }
        }
        Ok(Flow::Next)
    }
}
