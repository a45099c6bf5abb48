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
        stmt(s, &|o| o + from as u32);
    }
    let reparsed = middle.len();
    let mut stmts = program.into_owned().stmts;
    // The replaced statements are freed in the background.
    crate::reclaim::later(stmts.splice(first..after, middle).collect::<Vec<_>>());
    let delta = |o: u32| shift(o).map_or(o, |o| o as u32);
    for s in &mut stmts[first + reparsed..] {
        stmt(s, &delta);
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

/// Moves every position in a node with `f`.
type Move<'a> = &'a dyn Fn(u32) -> u32;

fn span(s: &mut Span, f: Move) {
    s.start = f(s.start);
    s.end = f(s.end);
}

fn name(n: &mut Name, f: Move) {
    span(&mut n.span, f);
}

fn stmts(list: &mut [Stmt], f: Move) {
    for s in list {
        stmt(s, f);
    }
}

fn block(b: &mut Block, f: Move) {
    stmts(&mut b.stmts, f);
    span(&mut b.span, f);
}

fn exprs(list: &mut [Expr], f: Move) {
    for e in list {
        expr(e, f);
    }
}

fn params(list: &mut [Param], f: Move) {
    for p in list {
        name(&mut p.name, f);
        if let Some(d) = &mut p.default {
            expr(d, f);
        }
        span(&mut p.span, f);
    }
}

fn stmt(s: &mut Stmt, f: Move) {
    span(&mut s.span, f);
    match &mut s.kind {
        StmtKind::Expr(e) | StmtKind::Echo(e) | StmtKind::Throw(e) => expr(e, f),
        StmtKind::Return(e) => {
            if let Some(e) = e {
                expr(e, f);
            }
        }
        StmtKind::Block(b) => block(b, f),
        StmtKind::Empty | StmtKind::Break | StmtKind::Continue | StmtKind::Error => {}
        StmtKind::If {
            cond,
            then,
            otherwise,
        } => {
            expr(cond, f);
            stmt(then, f);
            if let Some(o) = otherwise {
                stmt(o, f);
            }
        }
        StmtKind::While { cond, body } => {
            expr(cond, f);
            stmt(body, f);
        }
        StmtKind::Forever { body } => stmt(body, f),
        StmtKind::For {
            init,
            cond,
            update,
            body,
        } => {
            exprs(init, f);
            if let Some(c) = cond {
                expr(c, f);
            }
            exprs(update, f);
            stmt(body, f);
        }
        StmtKind::Foreach {
            subject,
            key,
            value,
            body,
        } => {
            expr(subject, f);
            if let Some(k) = key {
                name(k, f);
            }
            name(value, f);
            stmt(body, f);
        }
        StmtKind::Switch { subject, cases } => {
            expr(subject, f);
            for c in cases {
                if let Some(l) = &mut c.label {
                    expr(l, f);
                }
                stmts(&mut c.body, f);
                span(&mut c.span, f);
            }
        }
        StmtKind::Try { body, var, handler } => {
            block(body, f);
            name(var, f);
            block(handler, f);
        }
        StmtKind::Global(names) => names.iter_mut().for_each(|n| name(n, f)),
        StmtKind::Include { once: _, path } => span(&mut path.span, f),
        StmtKind::Import(Import { kind, from }) => {
            match kind {
                ImportKind::Names(specs) => {
                    for spec in specs {
                        name(&mut spec.name, f);
                        if let Some(a) = &mut spec.alias {
                            name(a, f);
                        }
                    }
                }
                ImportKind::Namespace(n) => name(n, f),
                ImportKind::Data { var, with } => {
                    name(var, f);
                    if let Some(w) = with {
                        expr(w, f);
                    }
                }
            }
            span(&mut from.span, f);
        }
        StmtKind::Function(FunctionDecl {
            name: n,
            params: p,
            body,
            span: s,
        }) => {
            name(n, f);
            params(p, f);
            block(body, f);
            span(s, f);
        }
        StmtKind::Class(ClassDecl {
            name: n,
            members,
            span: s,
        }) => {
            name(n, f);
            for m in members {
                match &mut m.kind {
                    MemberKind::Constructor { params: p, body } => {
                        params(p, f);
                        block(body, f);
                    }
                    MemberKind::Method {
                        mods: _,
                        name: n,
                        params: p,
                        body,
                    } => {
                        name(n, f);
                        params(p, f);
                        block(body, f);
                    }
                    MemberKind::Property {
                        mods: _,
                        name: n,
                        init,
                    } => {
                        name(n, f);
                        if let Some(i) = init {
                            expr(i, f);
                        }
                    }
                }
                span(&mut m.span, f);
            }
            span(s, f);
        }
        StmtKind::Barrier { name: n, var, body } => {
            expr(n, f);
            if let Some(v) = var {
                name(v, f);
            }
            block(body, f);
        }
    }
}

fn items(list: &mut [ArrayItem], f: Move) {
    for item in list {
        match item {
            ArrayItem::Value(e) | ArrayItem::Spread(e) => expr(e, f),
            ArrayItem::Keyed(k, v) => {
                expr(k, f);
                expr(v, f);
            }
        }
    }
}

fn expr(e: &mut Expr, f: Move) {
    span(&mut e.span, f);
    match &mut e.kind {
        ExprKind::Number(_)
        | ExprKind::Regex { .. }
        | ExprKind::Bool(_)
        | ExprKind::None
        | ExprKind::Var(_)
        | ExprKind::Ident(_)
        | ExprKind::Error => {}
        ExprKind::Str(lit) => lit.parts.iter_mut().for_each(|p| span(&mut p.span, f)),
        ExprKind::Builtin(n) => name(n, f),
        ExprKind::ScopeRes { scope, member } => {
            match scope {
                Scope::Named(n) => name(n, f),
                Scope::Static(s) => span(s, f),
            }
            match member {
                ScopeMember::Ident(n) | ScopeMember::Var(n) => name(n, f),
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
        } => expr(inner, f),
        ExprKind::Array(list) => items(list, f),
        ExprKind::Function(func) => {
            params(&mut func.params, f);
            func.captures.iter_mut().for_each(|n| name(n, f));
            block(&mut func.body, f);
        }
        ExprKind::Match { subject, arms } => {
            expr(subject, f);
            for arm in arms {
                exprs(&mut arm.patterns, f);
                expr(&mut arm.result, f);
                span(&mut arm.span, f);
            }
        }
        ExprKind::Cache { options, call } => {
            items(options, f);
            expr(call, f);
        }
        ExprKind::Call { callee, args } => {
            expr(callee, f);
            args.iter_mut().for_each(|a| expr(&mut a.expr, f));
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
            expr(base, f);
            expr(other, f);
        }
        ExprKind::Slice {
            base,
            start,
            stop,
            step,
        } => {
            expr(base, f);
            for e in [start, stop, step].into_iter().flatten() {
                expr(e, f);
            }
        }
        ExprKind::Member { base, name: n } => {
            expr(base, f);
            name(n, f);
        }
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            expr(cond, f);
            if let Some(t) = then {
                expr(t, f);
            }
            expr(otherwise, f);
        }
        ExprKind::Destructure { pattern, value } => {
            for item in &mut pattern.items {
                match item {
                    PatternItem::Positional { target, default } => {
                        expr(target, f);
                        if let Some(d) = default {
                            expr(d, f);
                        }
                    }
                    PatternItem::Keyed {
                        key,
                        target,
                        default,
                    } => {
                        expr(key, f);
                        expr(target, f);
                        if let Some(d) = default {
                            expr(d, f);
                        }
                    }
                    PatternItem::Rest(target) => expr(target, f),
                }
            }
            span(&mut pattern.span, f);
            expr(value, f);
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
