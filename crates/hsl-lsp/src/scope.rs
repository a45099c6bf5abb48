//! Names visible at a cursor position: the variables of the innermost
//! function (or the top level) around it, and the file's functions and
//! classes.

use hsl_syntax::ast::*;
use hsl_syntax::visit::{self, Visitor};
use hsl_syntax::Span;
use std::collections::{BTreeSet, HashMap};

/// The variables visible at one offset.
#[derive(Debug, Default, PartialEq)]
pub struct Visible {
    /// Variable names (without `$`) used in the enclosing scope.
    pub variables: BTreeSet<String>,
    /// Where each variable of the scope is first assigned or declared.
    pub definitions: HashMap<String, Span>,
}

/// The innermost function, method or closure body around an offset, with
/// its parameters and (for closures) the variables it captures.
#[derive(Clone, Copy)]
struct Scope<'a> {
    params: &'a [Param],
    captures: &'a [Name],
    body: &'a Block,
}

fn scope_at(program: &Program, offset: usize) -> Option<Scope<'_>> {
    let mut finder = InnermostFunction { offset, best: None };
    // Only the top-level statement around the offset can hold it.
    let after = program
        .stmts
        .partition_point(|s| (s.span.start as usize) <= offset);
    if let Some(stmt) = after.checked_sub(1).map(|i| &program.stmts[i]) {
        finder.visit_stmt(stmt);
    }
    finder.best
}

/// Collects the variables visible at `offset` in `program`.
pub fn visible_at(program: &Program, offset: usize) -> Visible {
    let mut vars = ScopeVars::default();
    match scope_at(program, offset) {
        Some(scope) => {
            for p in scope.params {
                vars.define(&p.name);
            }
            for c in scope.captures {
                vars.define(c);
            }
            visit::walk_block(&mut vars, scope.body);
        }
        None => visit::walk_program(&mut vars, program),
    }
    Visible {
        variables: vars.names,
        definitions: vars.first,
    }
}

/// Every span naming the variable `name` (without `$`) in the scope around
/// `offset`: uses, assignments, parameters, loop and catch variables, and
/// the closures that capture it (with their uses inside).
pub fn occurrences(program: &Program, offset: usize, name: &str) -> Vec<Span> {
    let mut found = Occurrences {
        name,
        spans: Vec::new(),
    };
    match scope_at(program, offset) {
        Some(scope) => {
            found.names(scope.params.iter().map(|p| &p.name));
            found.names(scope.captures.iter());
            visit::walk_block(&mut found, scope.body);
        }
        None => visit::walk_program(&mut found, program),
    }
    found.spans.sort_by_key(|s| (s.start, s.end));
    found.spans.dedup();
    found.spans
}

struct Occurrences<'n> {
    name: &'n str,
    spans: Vec<Span>,
}

impl<'n> Occurrences<'n> {
    fn names<'x>(&mut self, names: impl Iterator<Item = &'x Name>) {
        self.spans
            .extend(names.filter(|n| n.text == self.name).map(|n| n.span));
    }
}

impl Visitor<'_> for Occurrences<'_> {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        match &stmt.kind {
            StmtKind::Foreach { key, value, .. } => self.names(key.iter().chain([value])),
            StmtKind::Try { var, .. } => self.names([var].into_iter()),
            StmtKind::Global(names) => self.names(names.iter()),
            StmtKind::Barrier { var: Some(v), .. } => self.names([v].into_iter()),
            StmtKind::Import(Import {
                kind: ImportKind::Data { var, .. },
                ..
            }) => self.names([var].into_iter()),
            StmtKind::Import(Import {
                kind: ImportKind::Names(specs),
                ..
            }) => self.names(specs.iter().filter(|s| s.is_var).map(|s| s.local())),
            _ => {}
        }
        visit::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Var(n) if n == self.name => self.spans.push(expr.span),
            ExprKind::Function(f) => {
                // A closure shares the variables it captures; its own
                // variables are another scope.
                if f.captures.iter().any(|c| c.text == self.name) {
                    self.names(f.captures.iter());
                    visit::walk_block(self, &f.body);
                }
                return;
            }
            _ => {}
        }
        visit::walk_expr(self, expr);
    }

    fn visit_function(&mut self, _: &[Param], _: &Block) {}
}

/// Finds the innermost function, method or closure body around the offset.
struct InnermostFunction<'a> {
    offset: usize,
    best: Option<Scope<'a>>,
}

impl<'a> Visitor<'a> for InnermostFunction<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let ExprKind::Function(f) = &expr.kind {
            if f.body.span.contains(self.offset) {
                self.best = Some(Scope {
                    params: &f.params,
                    captures: &f.captures,
                    body: &f.body,
                });
                visit::walk_block(self, &f.body);
            }
            return;
        }
        visit::walk_expr(self, expr);
    }

    fn visit_function(&mut self, params: &'a [Param], body: &'a Block) {
        if body.span.contains(self.offset) {
            self.best = Some(Scope {
                params,
                captures: &[],
                body,
            });
            visit::walk_function(self, params, body);
        }
    }
}

/// Variables named in one scope, not descending into nested functions.
#[derive(Default)]
struct ScopeVars {
    names: BTreeSet<String>,
    first: HashMap<String, Span>,
}

impl ScopeVars {
    /// A name that is declared or assigned here.
    fn define(&mut self, name: &Name) {
        self.names.insert(name.text.clone());
        self.first.entry(name.text.clone()).or_insert(name.span);
    }

    fn define_target(&mut self, target: &Expr) {
        if let ExprKind::Var(n) = &target.kind {
            self.define(&Name {
                text: n.clone(),
                span: target.span,
            });
        }
    }
}

impl Visitor<'_> for ScopeVars {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        match &stmt.kind {
            StmtKind::Foreach { key, value, .. } => {
                key.iter().chain([value]).for_each(|n| self.define(n))
            }
            StmtKind::Try { var, .. } => self.define(var),
            StmtKind::Global(names) => names.iter().for_each(|n| self.define(n)),
            StmtKind::Barrier { var: Some(v), .. } => self.define(v),
            StmtKind::Import(Import { kind, .. }) => match kind {
                ImportKind::Data { var, .. } => self.define(var),
                ImportKind::Names(specs) => specs
                    .iter()
                    .filter(|s| s.is_var)
                    .for_each(|s| self.define(s.local())),
                ImportKind::Namespace(_) => {}
            },
            _ => {}
        }
        visit::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Var(name) => {
                self.names.insert(name.clone());
            }
            ExprKind::Assign { target, .. } => self.define_target(target),
            ExprKind::Destructure { pattern, .. } => {
                for item in &pattern.items {
                    match item {
                        PatternItem::Positional { target, .. }
                        | PatternItem::Keyed { target, .. } => self.define_target(target),
                        PatternItem::Rest(target) => self.define_target(target),
                    }
                }
            }
            _ => {}
        }
        visit::walk_expr(self, expr);
    }

    fn visit_function(&mut self, _: &[Param], _: &Block) {}
}

/// Named functions and classes anywhere in the file.
#[derive(Debug, Default)]
pub struct Declarations {
    /// Function names.
    pub functions: BTreeSet<String>,
    /// Class names.
    pub classes: BTreeSet<String>,
}

/// The functions and classes declared anywhere in `program`.
pub fn declarations(program: &Program) -> Declarations {
    let mut decls = Declarations::default();
    visit::walk_program(&mut decls, program);
    decls
}

impl Visitor<'_> for Declarations {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        match &stmt.kind {
            StmtKind::Function(f) => {
                self.functions.insert(f.name.text.clone());
            }
            StmtKind::Class(c) => {
                self.classes.insert(c.name.text.clone());
            }
            _ => {}
        }
        visit::walk_stmt(self, stmt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_stay_in_their_scope_and_follow_captures() {
        let src = "$n = 1;\nfunction f($n) { return $n; }\n$g = function () closure ($n) { $n++; };\necho $n;\n";
        let program = hsl_syntax::parse(src).program;
        let top = occurrences(&program, 0, "n");
        let starts: Vec<usize> = top.iter().map(|s| s.start as usize).collect();
        let expected: Vec<usize> = src
            .match_indices("$n")
            .map(|(i, _)| i)
            .filter(|&i| !(src.find("f(").unwrap()..src.find('}').unwrap()).contains(&i))
            .collect();
        assert_eq!(starts, expected);
        let in_f = occurrences(&program, src.find("return").unwrap(), "n");
        assert_eq!(in_f.len(), 2);
    }

    fn names(set: &BTreeSet<String>) -> Vec<&str> {
        set.iter().map(String::as_str).collect()
    }

    #[test]
    fn variables_of_the_enclosing_function_only() {
        let src = "$top = 1;\nfunction f($p) {\n  $local = $p;\n  \n}\nclass C { function m() { $inner = 2; } }\n";
        let program = hsl_syntax::parse(src).program;
        let inside_f = src.find("  \n}").unwrap() + 1;
        let v = visible_at(&program, inside_f);
        assert_eq!(names(&v.variables), ["local", "p"]);
        let decls = declarations(&program);
        assert_eq!(names(&decls.functions), ["f"]);
        assert_eq!(names(&decls.classes), ["C"]);
        let top = visible_at(&program, 0);
        assert_eq!(names(&top.variables), ["top"]);
        assert_eq!(
            v.definitions["local"].start as usize,
            src.find("$local").unwrap()
        );
        assert_eq!(v.definitions["p"].start as usize, src.find("$p").unwrap());
        let in_method = visible_at(&program, src.find("$inner").unwrap());
        assert_eq!(names(&in_method.variables), ["inner"]);
    }

    #[test]
    fn loop_catch_and_closure_names() {
        let src = "foreach ($list as $k => $v) {}\ntry {} catch ($e) {}\n$cb = function ($x) closure ($k) { return $x; };\n";
        let program = hsl_syntax::parse(src).program;
        assert_eq!(
            names(&visible_at(&program, 0).variables),
            ["cb", "e", "k", "list", "v"]
        );
        let in_closure = visible_at(&program, src.find("return").unwrap());
        assert_eq!(
            names(&in_closure.variables),
            ["k", "x"],
            "parameters and captured variables"
        );
    }
}
