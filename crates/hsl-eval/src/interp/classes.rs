//! Classes: construction, properties and methods, `private` and
//! `readonly`, static members, and the built-in `Exception`, `Map` and
//! `Set` objects.

use super::frame::Frame;
use super::scopes::Cell;
use super::Interpreter;
use crate::interp::error;
use crate::value::{Array, Function, Key, Object, Value};
use crate::R;
use hsl_syntax::ast::*;
use hsl_syntax::Span;
use std::cell::RefCell;
use std::rc::Rc;

impl<'p> Interpreter<'p> {
    /// `Cls::m(args)` or `static::m(args)` with evaluated arguments.
    pub(super) fn call_static(
        &mut self,
        scope: &'p Scope,
        m: &'p Name,
        values: Vec<Value>,
        span: Span,
    ) -> R<Value> {
        if let Scope::Named(ns) = scope {
            if let Some(&home) = self.files.namespaces.get(&ns.text) {
                return self.call_in_namespace(&ns.text, home, m, values, span);
            }
        }
        let class = self.scope_class(scope, span)?;
        if !self.defs.classes.contains_key(class.as_str()) {
            if let Some(r) = crate::mail::static_call(self, &class, &m.text, &values, span) {
                return r;
            }
        }
        let Some(method) = self.method_decl(&class, &m.text) else {
            return error(
                m.span,
                format!("`{class}` has no static method `{}`", m.text),
            );
        };
        let MemberKind::Method { params, body, .. } = &method.kind else {
            unreachable!("method_decl returns methods")
        };
        let frame = Frame::method(&m.text, params, body, Some(class_name(self, &class)));
        self.enter(frame, values, span)
    }

    pub(super) fn current_class(&self) -> Option<&'p str> {
        self.defs.class_stack.last().copied().flatten()
    }

    pub(super) fn scope_class(&self, scope: &Scope, span: Span) -> R<String> {
        match scope {
            Scope::Named(n) => Ok(n.text.clone()),
            Scope::Static(_) => match self.current_class() {
                Some(c) => Ok(c.to_string()),
                None => error(span, "`static::` outside a class"),
            },
        }
    }

    pub(super) fn static_cell(&self, class: &str, name: &str, span: Span) -> R<Cell> {
        if let Some(&home) = self.files.namespaces.get(class) {
            return match self.module_var(home, name) {
                Some(cell) => Ok(cell),
                None => error(span, format!("`{class}` does not define `${name}`")),
            };
        }
        match self
            .defs
            .statics
            .get(&(class.to_string(), name.to_string()))
        {
            Some(c) => Ok(c.clone()),
            None => error(span, format!("`{class}` has no static variable `${name}`")),
        }
    }

    pub(super) fn member_decl(&self, class: &str, name: &str) -> Option<&'p ClassMember> {
        self.defs
            .classes
            .get(class)?
            .members
            .iter()
            .find(|m| match &m.kind {
                MemberKind::Method { name: n, .. } | MemberKind::Property { name: n, .. } => {
                    n.text == name
                }
                MemberKind::Constructor { .. } => false,
            })
    }

    pub(super) fn method_decl(&self, class: &str, name: &str) -> Option<&'p ClassMember> {
        self.member_decl(class, name)
            .filter(|m| matches!(m.kind, MemberKind::Method { .. }))
    }

    /// Enforces `private` (from outside the class) and `readonly` (writes
    /// from outside the class).
    pub(super) fn check_access(&self, class: &str, name: &str, write: bool, span: Span) -> R<()> {
        let inside = self.current_class() == Some(class);
        let Some(m) = self.member_decl(class, name) else {
            return Ok(());
        };
        let mods = match &m.kind {
            MemberKind::Method { mods, .. } | MemberKind::Property { mods, .. } => *mods,
            MemberKind::Constructor { .. } => return Ok(()),
        };
        if mods.private && !inside {
            return error(span, format!("`{name}` is private to `{class}`"));
        }
        if write && mods.readonly && !inside {
            return error(
                span,
                format!("`{name}` of `{class}` is read-only outside the class"),
            );
        }
        Ok(())
    }

    pub(super) fn member(&mut self, base: &Value, name: &str, span: Span) -> R<Value> {
        let Value::Object(o) = base else {
            return error(span, format!("{} has no properties", base.type_name()));
        };
        self.check_access(&o.class, name, false, span)?;
        if let Some(v) = o.fields.borrow().get(name) {
            return Ok(v.clone());
        }
        if self.method_decl(&o.class, name).is_some()
            || o.class == "Exception"
            || o.native.is_some()
        {
            return Ok(Value::Function(Rc::new(Function::Method(
                o.clone(),
                name.to_string(),
            ))));
        }
        Ok(Value::None)
    }

    pub(super) fn construct(
        &mut self,
        class: &'p ClassDecl,
        args: Vec<Value>,
        span: Span,
    ) -> R<Value> {
        let object = Rc::new(Object {
            class: class.name.text.clone(),
            fields: RefCell::new(indexmap::IndexMap::new()),
            ..Default::default()
        });
        for m in &class.members {
            if let MemberKind::Property { mods, name, init } = &m.kind {
                if !mods.is_static {
                    let v = match init {
                        Some(e) => self.eval(e)?,
                        None => Value::None,
                    };
                    object.fields.borrow_mut().insert(name.text.clone(), v);
                }
            }
        }
        let ctor = class.members.iter().find_map(|m| match &m.kind {
            MemberKind::Constructor { params, body } => Some((params, body)),
            _ => None,
        });
        match ctor {
            Some((params, body)) => {
                let name = &class.name.text;
                let frame = Frame::method(name, params, body, Some(name)).on(object.clone());
                self.enter(frame, args, span)?;
            }
            None if !args.is_empty() => {
                return error(
                    span,
                    format!(
                        "`{}` has no constructor and takes no arguments",
                        class.name.text
                    ),
                )
            }
            None => {}
        }
        Ok(Value::Object(object))
    }

    pub(super) fn call_method(
        &mut self,
        object: Rc<Object>,
        name: &str,
        args: Vec<Value>,
        span: Span,
    ) -> R<Value> {
        let field = object.fields.borrow().get(name).cloned();
        if let Some(Value::Function(f)) = field {
            return self.call_value(&f, args, false, span);
        }
        if object.native.is_some() {
            return crate::mail::method(self, &object, name, &args, span);
        }
        if matches!(object.class.as_str(), "Map" | "Set")
            && !self.defs.classes.contains_key(object.class.as_str())
        {
            return crate::collections::method(&object, name, args, span);
        }
        if object.class == "Exception" {
            let field = |f: &str| object.fields.borrow().get(f).cloned().unwrap_or_default();
            return match name {
                "message" | "file" | "line" | "column" => Ok(field(name)),
                // `file:line:column: message` once the position is known.
                "toString" => Ok(match field("file") {
                    Value::None => field("message"),
                    file => {
                        let parts = [file, field("line"), field("column")];
                        let mut text: Vec<u8> = parts
                            .iter()
                            .flat_map(|p| [p.to_bytes(), b":".to_vec()])
                            .flatten()
                            .collect();
                        text.push(b' ');
                        text.extend(field("message").to_bytes());
                        Value::str(text)
                    }
                }),
                _ => error(span, format!("`Exception` has no method `{name}`")),
            };
        }
        self.check_access(&object.class, name, false, span)?;
        let Some(method) = self.method_decl(&object.class, name) else {
            return error(span, format!("`{}` has no method `{name}`", object.class));
        };
        let MemberKind::Method {
            params, body, mods, ..
        } = &method.kind
        else {
            unreachable!("a method")
        };
        let class = self
            .defs
            .classes
            .get(object.class.as_str())
            .map(|c| c.name.text.as_str());
        let mut frame = Frame::method(name, params, body, class);
        if !mods.is_static {
            frame = frame.on(object.clone());
        }
        self.enter(frame, args, span)
    }

    /// The properties, then the methods, of an instance of a user class
    /// (what `foreach` over an object iterates).
    pub(super) fn members(&self, o: &Rc<Object>) -> Array {
        let mut out = Array::default();
        for (name, v) in o.fields.borrow().iter() {
            out.insert(Value::str(name.as_str()).to_key(), v.clone());
        }
        let methods = self
            .defs
            .classes
            .get(o.class.as_str())
            .map_or(&[][..], |c| &c.members[..]);
        for m in methods {
            if let MemberKind::Method { name, mods, .. } = &m.kind {
                if !mods.is_static {
                    let f = Function::Method(o.clone(), name.text.clone());
                    out.insert(
                        Key::Str(Rc::from(name.text.as_bytes())),
                        Value::Function(Rc::new(f)),
                    );
                }
            }
        }
        out
    }
}

fn class_name<'p>(it: &Interpreter<'p>, class: &str) -> &'p str {
    it.defs
        .classes
        .get(class)
        .map_or("", |c| c.name.text.as_str())
}
