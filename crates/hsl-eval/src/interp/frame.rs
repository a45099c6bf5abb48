//! The frame a user function, method, constructor or closure runs in: what
//! is called and the variables bound before its parameters.

use super::scopes::Vars;
use crate::value::{Object, Value};
use hsl_syntax::ast::{Block, FunctionDecl, FunctionExpr, Param};
use std::cell::RefCell;
use std::rc::Rc;

/// A call about to enter user code.
pub(super) struct Frame<'n, 'p> {
    /// The name arity errors give.
    pub name: &'n str,
    /// The declared parameters.
    pub params: &'p [Param],
    /// The body.
    pub body: &'p Block,
    /// Variables bound before the parameters: a closure's captures, `$this`.
    pub vars: Vars,
    /// The class whose code runs (for `private` and `static::`), if any.
    pub class: Option<&'p str>,
}

impl<'n, 'p> Frame<'n, 'p> {
    /// A call of the user function `decl`.
    pub fn function(decl: &'p FunctionDecl) -> Self
    where
        'p: 'n,
    {
        Frame {
            name: &decl.name.text,
            params: &decl.params,
            body: &decl.body,
            vars: Vars::default(),
            class: None,
        }
    }

    /// A call of the closure `f` with the variables it captured.
    pub fn closure(f: &'p FunctionExpr, captured: Vars) -> Self {
        Frame {
            name: "closure",
            params: &f.params,
            body: &f.body,
            vars: captured,
            class: None,
        }
    }

    /// A call of the method or constructor `name` of `class` (static until
    /// [`Frame::on`] gives it an object).
    pub fn method(
        name: &'n str,
        params: &'p [Param],
        body: &'p Block,
        class: Option<&'p str>,
    ) -> Self {
        Frame {
            name,
            params,
            body,
            vars: Vars::default(),
            class,
        }
    }

    /// The frame with `$this` bound to `object`.
    pub fn on(mut self, object: Rc<Object>) -> Self {
        self.vars
            .insert("this".into(), Rc::new(RefCell::new(Value::Object(object))));
        self
    }
}
