//! The semantic model of one file: a walk over its syntax tree that tracks
//! scopes, definite assignment, reachability and value kinds, and records
//! the facts the rules judge (calls, reads, writes, key accesses, …).

use crate::env::Env;
use hsl_catalog::{Kind, Type};
use hsl_syntax::ast::*;
use hsl_syntax::Span;
use std::collections::{HashMap, HashSet};

/// What a value is known to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValType {
    /// A plain kind (number, string, …).
    Kind(Kind),
    /// An instance of the named class.
    Class(String),
}

/// A call of a plain name: `f(…)` or `builtin f(…)`.
#[derive(Debug)]
pub struct Call {
    /// Called name.
    pub name: String,
    /// Span of the name.
    pub span: Span,
    /// Kind of each argument when it is a literal or known.
    pub args: Vec<(Option<Kind>, Span)>,
    /// An argument uses `...` spreading (arity unknown).
    pub spread: bool,
    /// Written as `builtin f(…)`.
    pub builtin: bool,
    /// Each argument that is an array literal, with its constant keys.
    pub arrays: Vec<Option<LiteralArray>>,
}

/// An array literal's `"key" => value` entries whose key is a constant string.
#[derive(Debug)]
pub struct LiteralArray {
    /// The entries in source order.
    pub entries: Vec<LiteralEntry>,
}

/// One `"key" => value` entry of an array literal.
#[derive(Debug)]
pub struct LiteralEntry {
    /// The key's text.
    pub key: String,
    /// Span of the key.
    pub key_span: Span,
    /// The value's kind when it is a literal.
    pub kind: Option<Kind>,
    /// Span of the value.
    pub value_span: Span,
    /// The value when it is itself an array literal.
    pub nested: Option<LiteralArray>,
}

impl LiteralArray {
    /// The array literal `e` is (through parentheses), if it is one.
    pub fn of(e: &Expr) -> Option<LiteralArray> {
        let items = match &e.kind {
            ExprKind::Array(items) => items,
            ExprKind::Paren(inner) => return LiteralArray::of(inner),
            _ => return None,
        };
        let entries = items
            .iter()
            .filter_map(|item| match item {
                ArrayItem::Keyed(k, v) => {
                    let ExprKind::Str(s) = &k.kind else {
                        return None;
                    };
                    Some(LiteralEntry {
                        key: String::from_utf8_lossy(&s.constant()?).into_owned(),
                        key_span: k.span,
                        kind: literal_kind(v),
                        value_span: v.span,
                        nested: LiteralArray::of(v),
                    })
                }
                _ => None,
            })
            .collect();
        Some(LiteralArray { entries })
    }
}

/// A read of a variable that is not definitely assigned at that point.
#[derive(Debug)]
pub struct UnassignedRead {
    /// Variable name without `$`.
    pub name: String,
    /// Where it is read.
    pub span: Span,
    /// Whether the scope assigns it somewhere else (later or on other paths).
    pub assigned_elsewhere: bool,
    /// Names assigned in the scope, for suggestions.
    pub candidates: Vec<String>,
    /// Read at the file's top level (where an includer may provide it).
    pub top_level: bool,
}

/// `$predefined["a"]["b"]` with literal keys.
#[derive(Debug)]
pub struct KeyAccess {
    /// The predefined variable, with `$`.
    pub variable: String,
    /// Literal keys and their spans, outermost last.
    pub path: Vec<(String, Span)>,
}

/// `$x->name(…)` where the receiver's type is known.
#[derive(Debug)]
pub struct MethodCall {
    /// Receiver description for messages (`$n`).
    pub receiver: String,
    /// Its known type.
    pub ty: ValType,
    /// Method name and span.
    pub name: Name,
}

/// A declared function or class.
#[derive(Debug, Clone)]
pub struct Decl {
    /// The name.
    pub name: Name,
    /// `true` for a class.
    pub is_class: bool,
    /// Declared at the file's top level.
    pub top_level: bool,
}

/// Everything the rules need to know about one file.
#[derive(Debug, Default)]
pub struct Model {
    /// Calls of plain names.
    pub calls: Vec<Call>,
    /// Bare names used as values (function or class references).
    pub name_refs: Vec<Name>,
    /// Reads of variables that may not be assigned.
    pub unassigned_reads: Vec<UnassignedRead>,
    /// Assignments (or unset, ++/--) of read-only predefined variables.
    pub readonly_writes: Vec<(String, Span)>,
    /// Literal-key accesses of predefined variables.
    pub key_accesses: Vec<KeyAccess>,
    /// Method calls on values of known type.
    pub method_calls: Vec<MethodCall>,
    /// First statements that can never run, with the span of what ends the flow.
    pub unreachable: Vec<(Span, Span)>,
    /// `break`/`continue` outside a loop: span and keyword.
    pub misplaced_jumps: Vec<(Span, &'static str)>,
    /// Function and class declarations.
    pub decls: Vec<Decl>,
    /// Variables assigned but never read (name, first assignment).
    pub unused_variables: Vec<(String, Span)>,
    /// Every name referenced (called or used as a value), for unused checks.
    pub used_names: HashSet<String>,
    /// Every variable name read anywhere.
    pub read_variables: HashSet<String>,
    /// Classes of variables whose every assignment (in every scope) creates
    /// an instance of the same class, for completion after `->`.
    pub variable_classes: HashMap<String, Option<String>>,
}

#[derive(Default)]
struct VarScope {
    /// Definitely assigned at the current point.
    assigned: HashSet<String>,
    /// Assigned anywhere in the scope (for messages).
    ever: HashSet<String>,
    /// First assignment of each variable.
    first_write: HashMap<String, Span>,
    /// Variables read in this scope.
    read: HashSet<String>,
    /// Not reported as unused (parameters, loop and catch variables, globals, captures).
    exempt: HashSet<String>,
    /// Known value types.
    types: HashMap<String, Option<ValType>>,
    /// Whether the current point can be reached.
    reachable: bool,
    /// What made it unreachable.
    ended_by: Span,
    loops: usize,
    switches: usize,
    /// Whether unused variables are reported for this scope.
    report_unused: bool,
    pending_reads: Vec<(String, Span)>,
}

/// Builds the model of `program` in the environment `env`.
pub fn build(program: &Program, env: &Env) -> Model {
    let mut w = Walker {
        env,
        model: Model::default(),
        scopes: Vec::new(),
    };
    let mut top = VarScope {
        reachable: true,
        report_unused: env.is_hook_file,
        ..Default::default()
    };
    top.assigned.extend(env.assigned_at_start.iter().cloned());
    top.exempt.extend(env.assigned_at_start.iter().cloned());
    w.scopes.push(top);
    w.decls(&program.stmts, true);
    w.stmts(&program.stmts);
    w.close_scope();
    w.model
}

struct Walker<'e> {
    env: &'e Env,
    model: Model,
    scopes: Vec<VarScope>,
}

fn literal_kind(e: &Expr) -> Option<Kind> {
    match &e.kind {
        ExprKind::Number(_) => Some(Kind::Number),
        ExprKind::Str(_) => Some(Kind::String),
        ExprKind::Array(_) => Some(Kind::Array),
        ExprKind::Bool(_) => Some(Kind::Boolean),
        ExprKind::None => Some(Kind::None),
        ExprKind::Function(_) => Some(Kind::Function),
        ExprKind::Paren(inner) => literal_kind(inner),
        _ => None,
    }
}

impl Walker<'_> {
    fn scope(&mut self) -> &mut VarScope {
        self.scopes.last_mut().expect("a scope is open")
    }

    fn is_predefined(&self, name: &str) -> bool {
        self.env.predefined(name).is_some()
    }

    /// Records declarations of a statement list (hoisted).
    fn decls(&mut self, stmts: &[Stmt], top_level: bool) {
        for s in stmts {
            match &s.kind {
                StmtKind::Function(f) => self.model.decls.push(Decl {
                    name: f.name.clone(),
                    is_class: false,
                    top_level,
                }),
                StmtKind::Class(c) => self.model.decls.push(Decl {
                    name: c.name.clone(),
                    is_class: true,
                    top_level,
                }),
                _ => {}
            }
        }
    }

    fn close_scope(&mut self) {
        let scope = self.scopes.pop().expect("a scope is open");
        let top_level = self.scopes.is_empty();
        for (name, ty) in &scope.types {
            let class = match ty {
                Some(ValType::Class(c)) => Some(c.clone()),
                _ => None,
            };
            let entry = self
                .model
                .variable_classes
                .entry(name.clone())
                .or_insert(class.clone());
            if *entry != class {
                *entry = None;
            }
        }
        for (name, span) in scope.pending_reads {
            let mut candidates: Vec<String> = scope.ever.iter().cloned().collect();
            candidates.sort();
            self.model.unassigned_reads.push(UnassignedRead {
                assigned_elsewhere: scope.ever.contains(&name),
                name,
                span,
                candidates,
                top_level,
            });
        }
        if scope.report_unused {
            let mut unused: Vec<(String, Span)> = scope
                .first_write
                .iter()
                .filter(|(n, _)| {
                    !scope.read.contains(*n)
                        && !scope.exempt.contains(*n)
                        && !n.starts_with('_')
                        && !self.env.globals_used.contains(*n)
                })
                .map(|(n, s)| (n.clone(), *s))
                .collect();
            unused.sort_by_key(|(_, s)| s.start);
            self.model.unused_variables.extend(unused);
        }
    }

    fn assign_var(&mut self, name: &str, span: Span, ty: Option<ValType>) {
        let s = self.scope();
        s.assigned.insert(name.to_string());
        s.ever.insert(name.to_string());
        s.first_write.entry(name.to_string()).or_insert(span);
        match s.types.get_mut(name) {
            None => {
                s.types.insert(name.to_string(), ty);
            }
            Some(known) if *known != ty => *known = None,
            Some(_) => {}
        }
    }

    fn read_var(&mut self, name: &str, span: Span) {
        self.model.read_variables.insert(name.to_string());
        let predefined = self.is_predefined(name) || name == "this";
        let s = self.scope();
        s.read.insert(name.to_string());
        if !predefined && !s.assigned.contains(name) && s.reachable {
            s.pending_reads.push((name.to_string(), span));
        }
    }

    fn var_type(&self, name: &str) -> Option<ValType> {
        if let Some(v) = self.env.predefined(name) {
            return Type::parse(&v.ty).single().map(ValType::Kind);
        }
        self.scopes.last()?.types.get(name).cloned().flatten()
    }

    fn type_of(&self, e: &Expr) -> Option<ValType> {
        if let Some(k) = literal_kind(e) {
            return Some(ValType::Kind(k));
        }
        match &e.kind {
            ExprKind::Var(n) => self.var_type(n),
            ExprKind::Call { callee, .. } => match &callee.kind {
                ExprKind::Ident(name) if !self.env.user_functions.contains_key(name) => {
                    if self.env.class_exists(name) {
                        return Some(ValType::Class(name.clone()));
                    }
                    let f = self.env.catalog.function(name, self.env.hook)?;
                    Type::parse(&f.returns).single().map(ValType::Kind)
                }
                _ => None,
            },
            ExprKind::Regex { .. } => Some(ValType::Class("Regex".into())),
            ExprKind::Index { .. } => {
                let mut path = Vec::new();
                let mut cur = e;
                while let ExprKind::Index { base, index } = &cur.kind {
                    let ExprKind::Str(s) = &index.kind else {
                        return None;
                    };
                    path.push(s.constant_str()?);
                    cur = base;
                }
                let ExprKind::Var(name) = &cur.kind else {
                    return None;
                };
                self.env.predefined(name)?;
                path.reverse();
                let keys: Vec<&str> = path.iter().map(String::as_str).collect();
                let key =
                    self.env
                        .catalog
                        .variable_key(self.env.hook, &format!("${name}"), &keys)?;
                if self.env.catalog.any_class(&key.ty).is_some() {
                    Some(ValType::Class(key.ty.clone()))
                } else {
                    Type::parse(&key.ty).single().map(ValType::Kind)
                }
            }
            _ => None,
        }
    }

    fn terminate(&mut self, by: Span) {
        let s = self.scope();
        if s.reachable {
            s.reachable = false;
            s.ended_by = by;
        }
    }

    fn stmts(&mut self, stmts: &[Stmt]) {
        let mut reported = false;
        for s in stmts {
            let hoisted = matches!(
                s.kind,
                StmtKind::Function(_) | StmtKind::Class(_) | StmtKind::Empty
            );
            if !self.scope().reachable && !hoisted && !reported {
                let by = self.scope().ended_by;
                self.model.unreachable.push((s.span, by));
                reported = true;
            }
            self.stmt(s);
        }
    }

    fn block(&mut self, b: &Block) {
        self.decls(&b.stmts, false);
        self.stmts(&b.stmts);
    }

    /// Runs `f` on a copy of the flow state and returns the state after it.
    fn branch(&mut self, f: impl FnOnce(&mut Self)) -> (HashSet<String>, bool) {
        let saved = (self.scope().assigned.clone(), self.scope().reachable);
        f(self);
        let s = self.scope();
        let result = (std::mem::replace(&mut s.assigned, saved.0), s.reachable);
        s.reachable = saved.1;
        result
    }

    fn merge(&mut self, a: (HashSet<String>, bool), b: (HashSet<String>, bool)) {
        let s = self.scope();
        match (a.1, b.1) {
            (true, true) => s.assigned = a.0.intersection(&b.0).cloned().collect(),
            (true, false) => s.assigned = a.0,
            (false, true) => s.assigned = b.0,
            (false, false) => s.reachable = false,
        }
    }

    fn in_loop(&mut self, body: &Stmt, may_skip: bool) {
        let (after, _) = self.branch(|w| {
            w.scope().loops += 1;
            w.stmt(body);
            w.scope().loops -= 1;
        });
        if !may_skip {
            self.scope().assigned = after;
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Echo(e) => self.expr(e),
            StmtKind::Block(b) => self.block(b),
            StmtKind::Empty | StmtKind::Error => {}
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                self.expr(cond);
                let a = self.branch(|w| w.stmt(then));
                let b = self.branch(|w| {
                    if let Some(o) = otherwise {
                        w.stmt(o);
                    }
                });
                self.merge(a, b);
            }
            StmtKind::While { cond, body } => {
                self.expr(cond);
                self.in_loop(body, true);
            }
            StmtKind::For {
                init,
                cond,
                update,
                body,
            } => {
                init.iter().for_each(|e| self.expr(e));
                if let Some(c) = cond {
                    self.expr(c);
                }
                self.in_loop(body, true);
                let (_, _) = self.branch(|w| update.iter().for_each(|e| w.expr(e)));
            }
            StmtKind::Foreach {
                subject,
                key,
                value,
                body,
            } => {
                self.expr(subject);
                for n in key.iter().chain([value]) {
                    self.check_readonly_name(n);
                    self.assign_var(&n.text, n.span, None);
                    self.scope().exempt.insert(n.text.clone());
                }
                self.in_loop(body, true);
            }
            StmtKind::Forever { body } => {
                let exits = contains_break(body);
                self.in_loop(body, !exits);
                if !exits {
                    self.terminate(s.span);
                }
            }
            StmtKind::Switch { subject, cases } => {
                self.expr(subject);
                for case in cases {
                    if let Some(l) = &case.label {
                        self.expr(l);
                    }
                }
                for case in cases {
                    self.branch(|w| {
                        w.scope().switches += 1;
                        w.stmts(&case.body);
                        w.scope().switches -= 1;
                    });
                }
            }
            StmtKind::Break | StmtKind::Continue => {
                let word = if matches!(s.kind, StmtKind::Break) {
                    "break"
                } else {
                    "continue"
                };
                let sc = self.scope();
                let inside = sc.loops > 0 || (word == "break" && sc.switches > 0);
                if !inside {
                    self.model.misplaced_jumps.push((s.span, word));
                }
                self.terminate(s.span);
            }
            StmtKind::Return(e) => {
                if let Some(e) = e {
                    self.expr(e);
                }
                self.terminate(s.span);
            }
            StmtKind::Throw(e) => {
                self.expr(e);
                self.terminate(s.span);
            }
            StmtKind::Try { body, var, handler } => {
                let a = self.branch(|w| w.block(body));
                let b = self.branch(|w| {
                    w.assign_var(&var.text, var.span, None);
                    w.scope().exempt.insert(var.text.clone());
                    w.block(handler);
                });
                self.merge(a, b);
            }
            StmtKind::Global(names) => {
                for n in names {
                    self.assign_var(&n.text, n.span, None);
                    self.scope().exempt.insert(n.text.clone());
                }
            }
            StmtKind::Include { .. } => {}
            StmtKind::Import(i) => match &i.kind {
                ImportKind::Names(specs) => {
                    for spec in specs.iter().filter(|s| s.is_var) {
                        let local = spec.local();
                        self.assign_var(&local.text, local.span, None);
                        self.scope().exempt.insert(local.text.clone());
                    }
                }
                ImportKind::Data { var, with } => {
                    if let Some(w) = with {
                        self.expr(w);
                    }
                    self.assign_var(&var.text, var.span, None);
                }
                ImportKind::Namespace(_) => {}
            },
            StmtKind::Function(f) => self.function(&f.params, &f.body, &[], None),
            StmtKind::Class(c) => {
                for m in &c.members {
                    match &m.kind {
                        MemberKind::Constructor { params, body } => {
                            self.function(params, body, &[], Some(true))
                        }
                        MemberKind::Method {
                            mods, params, body, ..
                        } => self.function(params, body, &[], Some(!mods.is_static)),
                        MemberKind::Property { init, .. } => {
                            if let Some(i) = init {
                                self.expr(i);
                            }
                        }
                    }
                }
            }
            StmtKind::Barrier { name, var, body } => {
                self.expr(name);
                if let Some(v) = var {
                    self.assign_var(&v.text, v.span, None);
                    self.scope().exempt.insert(v.text.clone());
                }
                self.block(body);
            }
        }
    }

    /// A function, method or closure body in its own scope. `this` is
    /// `Some(true)` for instance methods.
    fn function(&mut self, params: &[Param], body: &Block, captures: &[Name], this: Option<bool>) {
        for p in params {
            if let Some(d) = &p.default {
                self.expr(d);
            }
        }
        let mut scope = VarScope {
            reachable: true,
            report_unused: true,
            ..Default::default()
        };
        for n in params.iter().map(|p| &p.name).chain(captures) {
            scope.assigned.insert(n.text.clone());
            scope.ever.insert(n.text.clone());
            scope.exempt.insert(n.text.clone());
        }
        if this == Some(true) {
            scope.assigned.insert("this".into());
        }
        self.scopes.push(scope);
        self.block(body);
        self.close_scope();
    }

    fn check_readonly_name(&mut self, n: &Name) {
        if self.env.predefined(&n.text).is_some_and(|v| v.readonly) {
            self.model.readonly_writes.push((n.text.clone(), n.span));
        }
    }

    /// Walks an assignment target: records the write.
    fn target(&mut self, t: &Expr, value_type: Option<ValType>, compound: bool) {
        if let Some((root, span)) = t.root_var() {
            if self.env.predefined(root).is_some_and(|v| v.readonly) {
                self.model.readonly_writes.push((root.to_string(), span));
            }
        }
        match &t.kind {
            ExprKind::Var(name) => {
                if compound {
                    self.read_var(name, t.span);
                }
                self.assign_var(name, t.span, value_type);
            }
            ExprKind::Index { base, index } => {
                self.expr(index);
                self.base_target(base);
            }
            ExprKind::PathIndex { base, path } => {
                self.expr(path);
                self.base_target(base);
            }
            ExprKind::Slice {
                base,
                start,
                stop,
                step,
            } => {
                for e in [start, stop, step].into_iter().flatten() {
                    self.expr(e);
                }
                self.base_target(base);
            }
            ExprKind::Append { base } | ExprKind::Member { base, .. } => self.base_target(base),
            _ => self.expr(t),
        }
    }

    /// The base of a subscript assignment: `$a` in `$a["k"] = 1` is created
    /// if needed, so it is written rather than read.
    fn base_target(&mut self, base: &Expr) {
        match &base.kind {
            ExprKind::Var(name) if name != "this" => {
                if !self.scope().assigned.contains(name.as_str()) && !self.is_predefined(name) {
                    self.assign_var(name, base.span, Some(ValType::Kind(Kind::Array)));
                } else {
                    self.model.read_variables.insert(name.clone());
                    self.scope().read.insert(name.clone());
                }
            }
            _ => self.target(base, None, true),
        }
    }

    fn key_access(&mut self, e: &Expr) {
        let mut path = Vec::new();
        let mut cur = e;
        while let ExprKind::Index { base, index } = &cur.kind {
            let ExprKind::Str(s) = &index.kind else {
                return;
            };
            let Some(key) = s.constant_str() else { return };
            path.push((key, index.span));
            cur = base;
        }
        if let ExprKind::Var(name) = &cur.kind {
            if self.is_predefined(name) {
                path.reverse();
                self.model.key_accesses.push(KeyAccess {
                    variable: format!("${name}"),
                    path,
                });
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Var(name) => self.read_var(name, e.span),
            ExprKind::Ident(name) => {
                self.model.used_names.insert(name.clone());
                self.model.name_refs.push(Name {
                    text: name.clone(),
                    span: e.span,
                });
            }
            ExprKind::Str(s) => {
                for p in &s.parts {
                    if let StrPartKind::Var(v) = &p.kind {
                        self.read_var(v, p.span);
                    }
                }
            }
            ExprKind::Assign { op, target, value } => {
                self.expr(value);
                let ty = if *op == AssignOp::Assign {
                    self.type_of(value)
                } else {
                    None
                };
                let lenient = *op == AssignOp::Compound(BinaryOp::Coalesce);
                self.target(target, ty, *op != AssignOp::Assign && !lenient);
            }
            ExprKind::Destructure { pattern, value } => {
                self.expr(value);
                for item in &pattern.items {
                    match item {
                        PatternItem::Positional { target, default } => {
                            if let Some(d) = default {
                                self.expr(d);
                            }
                            self.target(target, None, false);
                        }
                        PatternItem::Keyed {
                            key,
                            target,
                            default,
                        } => {
                            self.expr(key);
                            if let Some(d) = default {
                                self.expr(d);
                            }
                            self.target(target, None, false);
                        }
                        PatternItem::Rest(t) => self.target(t, None, false),
                    }
                }
            }
            ExprKind::IncDec { target, .. } => self.target(target, None, true),
            ExprKind::Isset(inner) => self.lenient(inner),
            ExprKind::Unset(inner) => {
                if let Some((root, span)) = inner.root_var() {
                    if self.env.predefined(root).is_some_and(|v| v.readonly) {
                        self.model.readonly_writes.push((root.to_string(), span));
                    }
                }
                self.lenient(inner);
            }
            ExprKind::Binary {
                op: BinaryOp::Coalesce,
                lhs,
                rhs,
            } => {
                self.lenient(lhs);
                self.expr(rhs);
            }
            ExprKind::Binary {
                op: op @ (BinaryOp::And | BinaryOp::Or),
                lhs,
                rhs,
            } => {
                self.expr(lhs);
                // The right side may not run: what it assigns is not definite.
                let _ = op;
                self.branch(|w| w.expr(rhs));
            }
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => {
                self.expr(cond);
                let a = self.branch(|w| {
                    if let Some(t) = then {
                        w.expr(t);
                    }
                });
                let b = self.branch(|w| w.expr(otherwise));
                self.merge(a, b);
            }
            ExprKind::Function(f) => {
                for c in &f.captures {
                    self.model.read_variables.insert(c.text.clone());
                    self.scope().read.insert(c.text.clone());
                }
                self.function(&f.params, &f.body, &f.captures, None);
            }
            ExprKind::Call { callee, args } => self.call(e, callee, args),
            ExprKind::Cache { options, call } => {
                hsl_syntax::visit::walk_items(&mut ItemWalker(self), options);
                self.expr(call);
            }
            ExprKind::Index { base, index } => {
                self.key_access(e);
                self.expr(base);
                self.expr(index);
            }
            ExprKind::Member { base, .. } => self.expr(base),
            _ => hsl_syntax::visit::walk_expr(&mut ItemWalker(self), e),
        }
    }

    /// Walks `e` where its root variable may be unset (`isset`, `??`).
    fn lenient(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Var(name) => {
                self.model.read_variables.insert(name.clone());
                self.scope().read.insert(name.clone());
            }
            ExprKind::Index { base, index } => {
                self.key_access(e);
                self.lenient(base);
                self.expr(index);
            }
            ExprKind::Member { base, .. } | ExprKind::Append { base } => self.lenient(base),
            ExprKind::Slice {
                base,
                start,
                stop,
                step,
            } => {
                self.lenient(base);
                for x in [start, stop, step].into_iter().flatten() {
                    self.expr(x);
                }
            }
            ExprKind::PathIndex { base, path } => {
                self.lenient(base);
                self.expr(path);
            }
            ExprKind::Paren(inner) => self.lenient(inner),
            _ => self.expr(e),
        }
    }

    fn call(&mut self, call: &Expr, callee: &Expr, args: &[Arg]) {
        for a in args {
            self.expr(&a.expr);
        }
        let spread = args.iter().any(|a| a.spread);
        let arg_kinds: Vec<(Option<Kind>, Span)> = args
            .iter()
            .map(|a| {
                (
                    self.type_of(&a.expr).map(|t| match t {
                        ValType::Kind(k) => k,
                        ValType::Class(_) => Kind::Object,
                    }),
                    a.expr.span,
                )
            })
            .collect();
        let arrays = args.iter().map(|a| LiteralArray::of(&a.expr)).collect();
        match &callee.kind {
            ExprKind::Ident(name) => {
                self.model.used_names.insert(name.clone());
                self.model.calls.push(Call {
                    name: name.clone(),
                    span: callee.span,
                    args: arg_kinds,
                    spread,
                    builtin: false,
                    arrays,
                });
                if self
                    .env
                    .catalog
                    .function(name, self.env.hook)
                    .is_some_and(|f| f.terminates)
                    && !self.env.user_functions.contains_key(name)
                {
                    self.terminate(call.span);
                }
            }
            ExprKind::Builtin(name) => self.model.calls.push(Call {
                name: name.text.clone(),
                span: name.span,
                args: arg_kinds,
                spread,
                builtin: true,
                arrays,
            }),
            ExprKind::Member { base, name } => {
                self.expr(base);
                if let ExprKind::Var(v) = &base.kind {
                    if let Some(ty) = self.var_type(v) {
                        self.model.method_calls.push(MethodCall {
                            receiver: format!("`${v}`"),
                            ty,
                            name: name.clone(),
                        });
                    }
                } else if let Some(ty @ ValType::Kind(_)) = self.type_of(base) {
                    self.model.method_calls.push(MethodCall {
                        receiver: "this value".into(),
                        ty,
                        name: name.clone(),
                    });
                }
            }
            ExprKind::ScopeRes {
                scope: Scope::Named(n),
                ..
            } => {
                self.model.used_names.insert(n.text.clone());
            }
            _ => self.expr(callee),
        }
    }
}

/// Adapts the walker to the syntax visitor for the expression forms it does
/// not treat specially.
struct ItemWalker<'w, 'e>(&'w mut Walker<'e>);

impl hsl_syntax::visit::Visitor<'_> for ItemWalker<'_, '_> {
    fn visit_expr(&mut self, e: &Expr) {
        self.0.expr(e);
    }
    fn visit_stmt(&mut self, s: &Stmt) {
        self.0.stmt(s);
    }
    fn visit_function(&mut self, params: &[Param], body: &Block) {
        self.0.function(params, body, &[], None);
    }
}

/// Whether a loop body contains a `break` for this loop (not a nested one).
fn contains_break(body: &Stmt) -> bool {
    fn stmt(s: &Stmt) -> bool {
        match &s.kind {
            StmtKind::Break => true,
            StmtKind::Block(b) => b.stmts.iter().any(stmt),
            StmtKind::If {
                then, otherwise, ..
            } => stmt(then) || otherwise.as_deref().is_some_and(stmt),
            StmtKind::Try { body, handler, .. } => {
                body.stmts.iter().chain(&handler.stmts).any(stmt)
            }
            StmtKind::Barrier { body, .. } => body.stmts.iter().any(stmt),
            StmtKind::Return(_) | StmtKind::Throw(_) => true,
            _ => false,
        }
    }
    stmt(body)
}
