//! The scope table of one file, recorded by the semantic model's walk: the
//! top level and each function, method and closure body, the variables
//! named in each (with their first definition and every occurrence) and the
//! variables each closure captures from its enclosing scope. Editors ask it
//! which variables are visible at a cursor and where a variable is named.

use hsl_syntax::ast::Name;
use hsl_syntax::Span;
use std::sync::Arc;

/// Every scope of a file: the top level first, then each function, method
/// and closure body in the order it starts (an enclosing scope comes before
/// the scopes nested in it).
#[derive(Clone, Debug)]
pub struct Scopes {
    list: Vec<Scope>,
}

/// The top level of a file or one function, method or closure body.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// The body, braces included; `None` for the top level.
    pub span: Option<Span>,
    /// The index of the enclosing scope in [`Scopes`] (`None` for the top level).
    pub parent: Option<usize>,
    /// The variables a closure captures from the enclosing scope.
    pub captures: Vec<String>,
    /// The variables named in the scope (not in the functions nested in
    /// it), by name without `$`, in the order first named: parameters,
    /// captures, assigned and read variables, loop, catch, `global` and
    /// imported names.
    pub variables: Vec<(Arc<str>, Variable)>,
}

/// One variable of a scope.
#[derive(Clone, Debug, Default)]
pub struct Variable {
    /// Where it is first assigned or declared, if it is in this scope.
    pub definition: Option<Span>,
    /// Every span naming it in the scope, in the order of the walk.
    pub occurrences: Vec<Span>,
}

impl Scope {
    /// The names of the variables of the scope, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.variables.iter().map(|(n, _)| &**n).collect();
        names.sort_unstable();
        names
    }

    /// The variable `name` of the scope.
    pub fn variable(&self, name: &str) -> Option<&Variable> {
        let (_, v) = self.variables.iter().find(|(n, _)| **n == *name)?;
        Some(v)
    }

    /// Where the variable `name` is first assigned or declared in the scope.
    pub fn definition(&self, name: &str) -> Option<Span> {
        self.variable(name)?.definition
    }

    fn captures_var(&self, name: &str) -> bool {
        self.captures.iter().any(|c| c == name)
    }
}

/// A scope as seen from its file: positions as in the file.
#[derive(Clone, Copy, Debug)]
pub struct Visible<'a> {
    scope: &'a Scope,
    /// Added to the scope's positions (those of a [`crate::model::Part`]
    /// are relative to its start).
    base: u32,
}

impl<'a> Visible<'a> {
    /// The names of the variables of the scope, sorted.
    pub fn names(&self) -> Vec<&'a str> {
        self.scope.names()
    }

    /// Where the variable `name` is first assigned or declared in the scope.
    pub fn definition(&self, name: &str) -> Option<Span> {
        self.scope.definition(name).map(|s| Span {
            start: s.start + self.base,
            end: s.end + self.base,
        })
    }
}

impl Scopes {
    /// The innermost scope around `offset`: the function, method or closure
    /// body holding it, else the top level.
    pub fn visible_at(&self, offset: usize) -> Visible<'_> {
        self.seen_from(self.innermost(offset), 0)
    }

    /// The innermost function, method or closure body around `offset` (not
    /// the top level), seen with its positions moved by `base`.
    pub(crate) fn nested_at(&self, offset: usize, base: u32) -> Option<Visible<'_>> {
        let i = self.innermost(offset);
        (i > 0).then(|| self.seen_from(i, base))
    }

    fn seen_from(&self, i: usize, base: u32) -> Visible<'_> {
        Visible {
            scope: &self.list[i],
            base,
        }
    }

    /// Moves every position of the table with `f`.
    pub(crate) fn move_by(&mut self, f: &dyn Fn(Span) -> Span) {
        for scope in &mut self.list {
            scope.span = scope.span.map(f);
            for (_, v) in &mut scope.variables {
                v.definition = v.definition.map(f);
                v.occurrences.iter_mut().for_each(|s| *s = f(*s));
            }
        }
    }

    /// Every span naming the variable `name` (without `$`) in the scope
    /// around `offset`, sorted: its uses and definitions there, and in the
    /// closures that capture it (the variable is shared with them). From
    /// inside a closure that captures it, the same spans as from the scope
    /// it is captured from.
    pub fn occurrences(&self, offset: usize, name: &str) -> Vec<Span> {
        let mut home = self.innermost(offset);
        let at = |i: usize| &self.list[i];
        while let Some(parent) = at(home).parent.filter(|_| at(home).captures_var(name)) {
            home = parent;
        }
        // Scopes nested in `home` follow it; one shares the variable when
        // its parent does and it captures it.
        let mut shares = vec![false; self.list.len()];
        let mut spans = Vec::new();
        for (i, scope) in self.list.iter().enumerate().skip(home) {
            let shared = i == home
                || scope
                    .parent
                    .is_some_and(|p| shares[p] && scope.captures_var(name));
            if shared {
                shares[i] = true;
                if let Some(v) = scope.variable(name) {
                    spans.extend_from_slice(&v.occurrences);
                }
            }
        }
        spans.sort_by_key(|s| (s.start, s.end));
        spans.dedup();
        spans
    }

    fn innermost(&self, offset: usize) -> usize {
        // Nested scopes follow the scopes around them, so the last one
        // holding the offset is the innermost.
        self.list
            .iter()
            .rposition(|s| s.span.is_none_or(|span| span.contains(offset)))
            .unwrap_or(0)
    }
}

/// Builds the scope table during the model's walk.
pub(crate) struct Recorder {
    list: Vec<Scope>,
    /// The scopes open at the current point, innermost last.
    open: Vec<usize>,
}

impl Recorder {
    /// A table with the top level open.
    pub fn new() -> Self {
        Recorder {
            list: vec![Scope::default()],
            open: vec![0],
        }
    }

    /// Opens the scope of a function, method or closure body capturing
    /// `captures`.
    pub fn enter(&mut self, body: Span, captures: &[Name]) {
        let scope = Scope {
            span: Some(body),
            parent: self.open.last().copied(),
            captures: captures.iter().map(|c| c.text.to_string()).collect(),
            variables: Vec::new(),
        };
        self.open.push(self.list.len());
        self.list.push(scope);
    }

    /// Closes the innermost open scope, which names `variables`.
    pub fn leave(&mut self, variables: Vec<(Arc<str>, Variable)>) {
        let i = self.open.pop().expect("a scope is open");
        self.list[i].variables = variables;
    }

    /// The finished table.
    pub fn finish(self) -> Scopes {
        Scopes { list: self.list }
    }
}

impl Default for Scopes {
    fn default() -> Self {
        Recorder::new().finish()
    }
}
