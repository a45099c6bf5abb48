//! A read-only traversal of the syntax tree. Implement [`Visitor`] and
//! override the methods for the nodes of interest; call the matching `walk_*`
//! function to continue into children. The `'ast` lifetime lets a visitor
//! keep references to the nodes it sees.

use crate::ast::*;

/// Visits statements and expressions; every default descends into children.
pub trait Visitor<'ast> {
    /// Called for every statement.
    fn visit_stmt(&mut self, stmt: &'ast Stmt) {
        walk_stmt(self, stmt);
    }
    /// Called for every expression.
    fn visit_expr(&mut self, expr: &'ast Expr) {
        walk_expr(self, expr);
    }
    /// Called for every function, method, constructor or closure body with
    /// its parameters.
    fn visit_function(&mut self, params: &'ast [Param], body: &'ast Block) {
        walk_function(self, params, body);
    }
}

/// Visits every statement of a program.
pub fn walk_program<'ast, V: Visitor<'ast> + ?Sized>(v: &mut V, program: &'ast Program) {
    for s in &program.stmts {
        v.visit_stmt(s);
    }
}

/// Visits every statement of a block.
pub fn walk_block<'ast, V: Visitor<'ast> + ?Sized>(v: &mut V, block: &'ast Block) {
    for s in &block.stmts {
        v.visit_stmt(s);
    }
}

/// Visits parameter defaults and the body.
pub fn walk_function<'ast, V: Visitor<'ast> + ?Sized>(
    v: &mut V,
    params: &'ast [Param],
    body: &'ast Block,
) {
    for p in params {
        if let Some(d) = &p.default {
            v.visit_expr(d);
        }
    }
    walk_block(v, body);
}

/// Visits the children of a statement.
pub fn walk_stmt<'ast, V: Visitor<'ast> + ?Sized>(v: &mut V, stmt: &'ast Stmt) {
    match &stmt.kind {
        StmtKind::Expr(e) | StmtKind::Echo(e) | StmtKind::Throw(e) => v.visit_expr(e),
        StmtKind::Return(e) => {
            if let Some(e) = e {
                v.visit_expr(e);
            }
        }
        StmtKind::Block(b) => walk_block(v, b),
        StmtKind::If {
            cond,
            then,
            otherwise,
        } => {
            v.visit_expr(cond);
            v.visit_stmt(then);
            if let Some(o) = otherwise {
                v.visit_stmt(o);
            }
        }
        StmtKind::While { cond, body } => {
            v.visit_expr(cond);
            v.visit_stmt(body);
        }
        StmtKind::Forever { body } => v.visit_stmt(body),
        StmtKind::For {
            init,
            cond,
            update,
            body,
        } => {
            init.iter().for_each(|e| v.visit_expr(e));
            if let Some(c) = cond {
                v.visit_expr(c);
            }
            update.iter().for_each(|e| v.visit_expr(e));
            v.visit_stmt(body);
        }
        StmtKind::Foreach { subject, body, .. } => {
            v.visit_expr(subject);
            v.visit_stmt(body);
        }
        StmtKind::Switch { subject, cases } => {
            v.visit_expr(subject);
            for c in cases {
                if let Some(l) = &c.label {
                    v.visit_expr(l);
                }
                c.body.iter().for_each(|s| v.visit_stmt(s));
            }
        }
        StmtKind::Try { body, handler, .. } => {
            walk_block(v, body);
            walk_block(v, handler);
        }
        StmtKind::Import(Import {
            kind: ImportKind::Data { with: Some(w), .. },
            ..
        }) => v.visit_expr(w),
        StmtKind::Function(f) => v.visit_function(&f.params, &f.body),
        StmtKind::Class(c) => {
            for m in &c.members {
                match &m.kind {
                    MemberKind::Constructor { params, body }
                    | MemberKind::Method { params, body, .. } => v.visit_function(params, body),
                    MemberKind::Property { init, .. } => {
                        if let Some(i) = init {
                            v.visit_expr(i);
                        }
                    }
                }
            }
        }
        StmtKind::Barrier { name, body, .. } => {
            v.visit_expr(name);
            walk_block(v, body);
        }
        StmtKind::Empty
        | StmtKind::Break
        | StmtKind::Continue
        | StmtKind::Global(_)
        | StmtKind::Include { .. }
        | StmtKind::Import(_)
        | StmtKind::Error => {}
    }
}

/// Visits the items of an array literal (or cache options).
pub fn walk_items<'ast, V: Visitor<'ast> + ?Sized>(v: &mut V, items: &'ast [ArrayItem]) {
    for item in items {
        match item {
            ArrayItem::Value(e) | ArrayItem::Spread(e) => v.visit_expr(e),
            ArrayItem::Keyed(k, e) => {
                v.visit_expr(k);
                v.visit_expr(e);
            }
        }
    }
}

/// Visits the children of an expression.
pub fn walk_expr<'ast, V: Visitor<'ast> + ?Sized>(v: &mut V, expr: &'ast Expr) {
    match &expr.kind {
        ExprKind::Paren(e) | ExprKind::Isset(e) | ExprKind::Unset(e) => v.visit_expr(e),
        ExprKind::Array(items) => walk_items(v, items),
        ExprKind::Function(f) => v.visit_function(&f.params, &f.body),
        ExprKind::Match { subject, arms } => {
            v.visit_expr(subject);
            for arm in arms {
                arm.patterns.iter().for_each(|p| v.visit_expr(p));
                v.visit_expr(&arm.result);
            }
        }
        ExprKind::Cache { options, call } => {
            walk_items(v, options);
            v.visit_expr(call);
        }
        ExprKind::Call { callee, args } => {
            v.visit_expr(callee);
            args.iter().for_each(|a| v.visit_expr(&a.expr));
        }
        ExprKind::Index { base, index } => {
            v.visit_expr(base);
            v.visit_expr(index);
        }
        ExprKind::PathIndex { base, path } => {
            v.visit_expr(base);
            v.visit_expr(path);
        }
        ExprKind::Append { base } | ExprKind::Member { base, .. } => v.visit_expr(base),
        ExprKind::Slice {
            base,
            start,
            stop,
            step,
        } => {
            v.visit_expr(base);
            for e in [start, stop, step].into_iter().flatten() {
                v.visit_expr(e);
            }
        }
        ExprKind::Unary { operand, .. } => v.visit_expr(operand),
        ExprKind::IncDec { target, .. } => v.visit_expr(target),
        ExprKind::Binary { lhs, rhs, .. } => {
            v.visit_expr(lhs);
            v.visit_expr(rhs);
        }
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            v.visit_expr(cond);
            if let Some(t) = then {
                v.visit_expr(t);
            }
            v.visit_expr(otherwise);
        }
        ExprKind::Assign { target, value, .. } => {
            v.visit_expr(target);
            v.visit_expr(value);
        }
        ExprKind::Destructure { pattern, value } => {
            for item in &pattern.items {
                match item {
                    PatternItem::Positional { target, default } => {
                        v.visit_expr(target);
                        if let Some(d) = default {
                            v.visit_expr(d);
                        }
                    }
                    PatternItem::Keyed {
                        key,
                        target,
                        default,
                    } => {
                        v.visit_expr(key);
                        v.visit_expr(target);
                        if let Some(d) = default {
                            v.visit_expr(d);
                        }
                    }
                    PatternItem::Rest(t) => v.visit_expr(t),
                }
            }
            v.visit_expr(value);
        }
        ExprKind::Number(_)
        | ExprKind::Str(_)
        | ExprKind::Regex { .. }
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Var(_)
        | ExprKind::Ident(_)
        | ExprKind::Builtin(_)
        | ExprKind::ScopeRes { .. }
        | ExprKind::Error => {}
    }
}
