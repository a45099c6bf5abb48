//! Incremental re-parsing. After an edit only the top-level statements it
//! touches are parsed again; the statements before it are reused as they
//! are, those after it with their positions moved by the edit's length.
//! Whenever reuse could differ from parsing the whole text (syntax errors,
//! a token or comment running across the re-parsed range) the caller parses
//! everything instead.

use hsl_syntax::ast::*;
use hsl_syntax::lexer::Tokens;
use hsl_syntax::Span;
use std::borrow::Cow;
use std::ops::Range;

/// A program re-parsed after an edit.
#[derive(Debug, PartialEq)]
pub struct Reparsed {
    /// The program of the edited text.
    pub program: Program,
    /// Its statements parsed anew; those before are the earlier program's,
    /// those after too, moved by the edit's length.
    pub parsed: Range<usize>,
}

/// The program of `text`, made from `program` (the error-free parse of the
/// text before an edit that turned bytes `start..old_end` into
/// `start..new_end`), or `None` when the edit needs a whole parse. An owned
/// program is edited in place; a borrowed one is copied first.
pub fn reparse(
    program: Cow<'_, Program>,
    edit: (usize, usize, usize),
    text: &str,
) -> Option<Reparsed> {
    let (start, old_end, new_end) = edit;
    let stmts = &program.stmts;
    // The statements the edit touches (an edit at a statement's edge
    // touches it: it may extend it).
    let first = stmts.partition_point(|s| (s.span.end as usize) < start);
    let after = stmts.partition_point(|s| (s.span.start as usize) <= old_end);
    let shift = |offset: u32| (offset as usize + new_end).checked_sub(old_end);
    let from = match first.checked_sub(1) {
        Some(i) => ends_statement(text, stmts[i].span)?,
        None => 0,
    };
    let to = match stmts.get(after) {
        Some(next) => shift(next.span.start)?,
        None => text.len(),
    };
    let source = text.get(from..to)?;
    let parse = hsl_syntax::parse(source);
    if !parse.diagnostics.is_empty() {
        return None;
    }
    let mut middle = parse.program.stmts;
    if after < stmts.len() {
        // The re-parsed range must end where the next statement's first
        // token starts: no token or comment may run on into it.
        let next = Tokens::new(&text[from..])
            .map(|(_, s)| s)
            .find(|s| s.end as usize > source.len())?;
        if next.start as usize != source.len() {
            return None;
        }
        if let Some(last) = middle.last() {
            ends_statement(source, last.span)?;
        }
    }
    for s in &mut middle {
        stmt(s, from as u32);
    }
    let reparsed = middle.len();
    let mut stmts = program.into_owned().stmts;
    // The replaced statements are freed in the background.
    crate::reclaim::later(stmts.splice(first..after, middle).collect::<Vec<_>>());
    // Every position after the edit is past `old_end`: moved by the same
    // length, back when the edit removed text.
    let delta = (new_end as u32).wrapping_sub(old_end as u32);
    for s in &mut stmts[first + reparsed..] {
        stmt(s, delta);
    }
    Some(Reparsed {
        program: Program { stmts },
        parsed: first..first + reparsed,
    })
}

/// The end of a statement whose last character is `;` or `}` (after which
/// the lexer starts afresh whatever follows).
fn ends_statement(text: &str, span: Span) -> Option<usize> {
    let end = span.end as usize;
    matches!(text.as_bytes().get(end.checked_sub(1)?), Some(b';' | b'}')).then_some(end)
}

/// How far every position in a node moves: added, wrapping (a move back is
/// the two's complement of its length).
type Move = u32;

fn span(s: &mut Span, by: Move) {
    s.start = s.start.wrapping_add(by);
    s.end = s.end.wrapping_add(by);
}

fn name(n: &mut Name, by: Move) {
    span(&mut n.span, by);
}

fn stmts(list: &mut [Stmt], by: Move) {
    for s in list {
        stmt(s, by);
    }
}

fn block(b: &mut Block, by: Move) {
    stmts(&mut b.stmts, by);
    span(&mut b.span, by);
}

fn exprs(list: &mut [Expr], by: Move) {
    for e in list {
        expr(e, by);
    }
}

fn params(list: &mut [Param], by: Move) {
    for p in list {
        name(&mut p.name, by);
        if let Some(d) = &mut p.default {
            expr(d, by);
        }
        span(&mut p.span, by);
    }
}

fn stmt(s: &mut Stmt, by: Move) {
    span(&mut s.span, by);
    match &mut s.kind {
        StmtKind::Expr(e) | StmtKind::Echo(e) | StmtKind::Throw(e) => expr(e, by),
        StmtKind::Return(e) => {
            if let Some(e) = e {
                expr(e, by);
            }
        }
        StmtKind::Block(b) => block(b, by),
        StmtKind::Empty | StmtKind::Break | StmtKind::Continue | StmtKind::Error => {}
        StmtKind::If {
            cond,
            then,
            otherwise,
        } => {
            expr(cond, by);
            stmt(then, by);
            if let Some(o) = otherwise {
                stmt(o, by);
            }
        }
        StmtKind::While { cond, body } => {
            expr(cond, by);
            stmt(body, by);
        }
        StmtKind::Forever { body } => stmt(body, by),
        StmtKind::For {
            init,
            cond,
            update,
            body,
        } => {
            exprs(init, by);
            if let Some(c) = cond {
                expr(c, by);
            }
            exprs(update, by);
            stmt(body, by);
        }
        StmtKind::Foreach {
            subject,
            key,
            value,
            body,
        } => {
            expr(subject, by);
            if let Some(k) = key {
                name(k, by);
            }
            name(value, by);
            stmt(body, by);
        }
        StmtKind::Switch { subject, cases } => {
            expr(subject, by);
            for c in cases {
                if let Some(l) = &mut c.label {
                    expr(l, by);
                }
                stmts(&mut c.body, by);
                span(&mut c.span, by);
            }
        }
        StmtKind::Try { body, var, handler } => {
            block(body, by);
            name(var, by);
            block(handler, by);
        }
        StmtKind::Global(names) => names.iter_mut().for_each(|n| name(n, by)),
        StmtKind::Include { once: _, path } => span(&mut path.span, by),
        StmtKind::Import(Import { kind, from }) => {
            match kind {
                ImportKind::Names(specs) => {
                    for spec in specs {
                        name(&mut spec.name, by);
                        if let Some(a) = &mut spec.alias {
                            name(a, by);
                        }
                    }
                }
                ImportKind::Namespace(n) => name(n, by),
                ImportKind::Data { var, with } => {
                    name(var, by);
                    if let Some(w) = with {
                        expr(w, by);
                    }
                }
            }
            span(&mut from.span, by);
        }
        StmtKind::Function(FunctionDecl {
            name: n,
            params: p,
            body,
            span: s,
        }) => {
            name(n, by);
            params(p, by);
            block(body, by);
            span(s, by);
        }
        StmtKind::Class(ClassDecl {
            name: n,
            members,
            span: s,
        }) => {
            name(n, by);
            for m in members {
                match &mut m.kind {
                    MemberKind::Constructor { params: p, body } => {
                        params(p, by);
                        block(body, by);
                    }
                    MemberKind::Method {
                        mods: _,
                        name: n,
                        params: p,
                        body,
                    } => {
                        name(n, by);
                        params(p, by);
                        block(body, by);
                    }
                    MemberKind::Property {
                        mods: _,
                        name: n,
                        init,
                    } => {
                        name(n, by);
                        if let Some(i) = init {
                            expr(i, by);
                        }
                    }
                }
                span(&mut m.span, by);
            }
            span(s, by);
        }
        StmtKind::Barrier { name: n, var, body } => {
            expr(n, by);
            if let Some(v) = var {
                name(v, by);
            }
            block(body, by);
        }
    }
}

fn items(list: &mut [ArrayItem], by: Move) {
    for item in list {
        match item {
            ArrayItem::Value(e) | ArrayItem::Spread(e) => expr(e, by),
            ArrayItem::Keyed(k, v) => {
                expr(k, by);
                expr(v, by);
            }
        }
    }
}

fn expr(e: &mut Expr, by: Move) {
    span(&mut e.span, by);
    match &mut e.kind {
        ExprKind::Number(_)
        | ExprKind::Regex { .. }
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Var(_)
        | ExprKind::Ident(_)
        | ExprKind::Error => {}
        ExprKind::Str(lit) => lit.parts.iter_mut().for_each(|p| span(&mut p.span, by)),
        ExprKind::Builtin(n) => name(n, by),
        ExprKind::ScopeRes { scope, member } => {
            match scope {
                Scope::Named(n) => name(n, by),
                Scope::Static(s) => span(s, by),
            }
            match member {
                ScopeMember::Ident(n) | ScopeMember::Var(n) => name(n, by),
            }
        }
        ExprKind::Paren(inner)
        | ExprKind::Isset(inner)
        | ExprKind::Unset(inner)
        | ExprKind::Append { base: inner }
        | ExprKind::Unary {
            op: _,
            operand: inner,
        }
        | ExprKind::IncDec {
            target: inner,
            increment: _,
            prefix: _,
        } => expr(inner, by),
        ExprKind::Array(list) => items(list, by),
        ExprKind::Function(func) => {
            params(&mut func.params, by);
            func.captures.iter_mut().for_each(|n| name(n, by));
            block(&mut func.body, by);
        }
        ExprKind::Match { subject, arms } => {
            expr(subject, by);
            for arm in arms {
                exprs(&mut arm.patterns, by);
                expr(&mut arm.result, by);
                span(&mut arm.span, by);
            }
        }
        ExprKind::Cache { options, call } => {
            items(options, by);
            expr(call, by);
        }
        ExprKind::Call { callee, args } => {
            expr(callee, by);
            args.iter_mut().for_each(|a| expr(&mut a.expr, by));
        }
        ExprKind::Index { base, index: other }
        | ExprKind::PathIndex { base, path: other }
        | ExprKind::Binary {
            op: _,
            lhs: base,
            rhs: other,
        }
        | ExprKind::Assign {
            op: _,
            target: base,
            value: other,
        } => {
            expr(base, by);
            expr(other, by);
        }
        ExprKind::Slice {
            base,
            start,
            stop,
            step,
        } => {
            expr(base, by);
            for e in [start, stop, step].into_iter().flatten() {
                expr(e, by);
            }
        }
        ExprKind::Member { base, name: n } => {
            expr(base, by);
            name(n, by);
        }
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            expr(cond, by);
            if let Some(t) = then {
                expr(t, by);
            }
            expr(otherwise, by);
        }
        ExprKind::Destructure { pattern, value } => {
            for item in &mut pattern.items {
                match item {
                    PatternItem::Positional { target, default } => {
                        expr(target, by);
                        if let Some(d) = default {
                            expr(d, by);
                        }
                    }
                    PatternItem::Keyed {
                        key,
                        target,
                        default,
                    } => {
                        expr(key, by);
                        expr(target, by);
                        if let Some(d) = default {
                            expr(d, by);
                        }
                    }
                    PatternItem::Rest(target) => expr(target, by),
                }
            }
            span(&mut pattern.span, by);
            expr(value, by);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies `edit` (replace `from..to` with `with`) to `old`, re-parses
    /// incrementally (from a borrowed and from an owned tree) and compares
    /// with a whole parse.
    fn check(old: &str, from: usize, to: usize, with: &str) -> bool {
        let program = hsl_syntax::parse(old).program;
        let mut text = old.to_string();
        text.replace_range(from..to, with);
        let whole = hsl_syntax::parse(&text);
        let edit = (from, to, from + with.len());
        let borrowed = reparse(Cow::Borrowed(&program), edit, &text);
        let owned = reparse(Cow::Owned(program), edit, &text);
        assert_eq!(borrowed, owned, "{text}");
        match owned {
            Some(r) => {
                assert!(whole.diagnostics.is_empty(), "{text}");
                assert_eq!(r.program, whole.program, "{text}");
                true
            }
            None => false,
        }
    }

    const SRC: &str = "$a = [1, \"x$y\"];\nfunction f($p = 2) { return $p + 1; }\n\
                       class C { $v = 1; function m() { return match ($this->v) { 1 => \"one\", default => f() }; } }\n\
                       foreach ($a as $k => $v) { echo $a[$k][1:2]; }\n\
                       try { throw 1; } catch ($e) { [$x, $z = 2] = $e; [\"k\" => $w] = $e; }\n";

    #[test]
    fn edits_inside_a_statement_reuse_the_others() {
        let at = SRC.find("return $p").unwrap();
        assert!(check(SRC, at, at, "$q = 1; "));
        let at = SRC.find("\"one\"").unwrap();
        assert!(check(SRC, at + 1, at + 4, "uno dos"));
        assert!(check(SRC, 0, 2, "$abc"), "the first statement");
        let last = SRC.rfind('}').unwrap();
        assert!(check(SRC, last, last, " echo 2;"), "the last one");
        let between = SRC.find("\nclass").unwrap();
        assert!(
            check(SRC, between, between, "\necho 3;"),
            "between statements"
        );
        assert!(check(SRC, between, between + 1, ""), "joining two lines");
    }

    #[test]
    fn edits_that_may_reach_other_statements_parse_everything() {
        let at = SRC.find("return $p").unwrap();
        assert!(!check(SRC, at, at, "\""), "an unclosed string");
        assert!(!check(SRC, at, at, "/*"), "an unclosed comment");
        assert!(!check(SRC, at, at, "{"), "an unclosed brace");
        let two = "echo 1; echo 2;\necho 3;\n";
        assert!(!check(two, 7, 7, "//"), "a comment over the next statement");
        let if_src = "if ($a) echo 1;\necho 2;\n";
        let at = if_src.find("echo 2").unwrap();
        assert!(!check(if_src, at, at + 4, "else"), "an else after an if");
    }
}
