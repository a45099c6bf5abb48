//! Building blocks of the fixes rules attach to their diagnostics: a
//! "did you mean" replacement, a string key, the removal of a statement.

use hsl_syntax::ast::{Block, Param, Program, Stmt, StmtKind};
use hsl_syntax::suggest::Suggestion;
use hsl_syntax::visit::{self, Visitor};
use hsl_syntax::{Applicability, Edit, Fix, Span};

/// Replaces `span` with `text`, the suggestion `s` spelled as it is
/// written: safe when the suggestion is certain, else unsafe.
pub fn did_you_mean(s: Suggestion, span: Span, text: String) -> Fix {
    let applicability = if s.certain {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    Fix::replace(format!("Replace with `{text}`"), applicability, span, text)
}

/// `key` as a double-quoted string literal, when it needs no escape.
pub fn string_literal(key: &str) -> Option<String> {
    (!key.contains(['"', '\\', '$', '\n', '\r'])).then(|| format!("\"{key}\""))
}

/// Most spaces looked at on each side of a removed statement.
const LINE_WINDOW: usize = 256;

/// An edit removing the text at `span`; when nothing else stands on its
/// lines, the whole lines (indentation and line break included), else the
/// spaces on one side. Only the spaces beside it are looked at (at most
/// [`LINE_WINDOW`]), so many removals on one long line stay linear.
pub fn remove(source: &str, span: Span) -> Edit {
    let bytes = source.as_bytes();
    let (start, end) = (span.start as usize, span.end as usize);
    let blank = |b: &u8| *b == b' ' || *b == b'\t' || *b == b'\r';
    // Spaces before and after, within the window.
    let lead = bytes[start.saturating_sub(LINE_WINDOW)..start]
        .iter()
        .rev()
        .take_while(|b| blank(b))
        .count();
    let trail = bytes[end..(end + LINE_WINDOW).min(bytes.len())]
        .iter()
        .take_while(|b| blank(b))
        .count();
    let line_start = start - lead;
    let at_line_start = line_start == 0 || bytes[line_start - 1] == b'\n';
    let line_end = end + trail;
    let at_line_end = line_end == bytes.len() || bytes[line_end] == b'\n';
    let span = match (at_line_start, at_line_end) {
        (true, true) => Span::new(line_start, (line_end + 1).min(bytes.len())),
        // Last on its line: `a(); b;` loses ` b;`.
        (false, true) => Span::new(line_start, end),
        // `a; b;` loses `a; `.
        _ => Span::new(start, line_end),
    };
    Edit {
        span,
        text: String::new(),
    }
}

/// Calls `f` with every statement of `program` that stands in a statement
/// list (a block, a function body, a case, the file) within the top-level
/// statements that overlap `around`: those can be removed. The bare body of
/// `if`, `while` or `for` cannot: removing it would hand the next statement
/// to that construct.
pub fn listed_statements<'a>(program: &'a Program, around: Span, f: impl FnMut(&'a Stmt)) {
    struct Lists<F>(F);
    impl<'a, F: FnMut(&'a Stmt)> Lists<F> {
        fn list(&mut self, stmts: &'a [Stmt]) {
            stmts.iter().for_each(&mut self.0);
        }
    }
    impl<'a, F: FnMut(&'a Stmt)> Visitor<'a> for Lists<F> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match &stmt.kind {
                StmtKind::Block(b) => self.list(&b.stmts),
                StmtKind::Switch { cases, .. } => cases.iter().for_each(|c| self.list(&c.body)),
                StmtKind::Try { body, handler, .. } => {
                    self.list(&body.stmts);
                    self.list(&handler.stmts);
                }
                _ => {}
            }
            visit::walk_stmt(self, stmt);
        }
        fn visit_function(&mut self, params: &'a [Param], body: &'a Block) {
            self.list(&body.stmts);
            visit::walk_function(self, params, body);
        }
    }
    // The top-level statements overlapping `around`, found by bisection.
    let stmts = &program.stmts;
    let first = stmts.partition_point(|s| s.span.end < around.start);
    let last = stmts.partition_point(|s| s.span.start <= around.end);
    let stmts = &stmts[first..last.max(first)];
    let mut lists = Lists(f);
    lists.list(stmts);
    stmts.iter().for_each(|s| lists.visit_stmt(s));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removal_takes_whole_lines_only_when_alone() {
        let source = "a();\n  $x = 1;\nb(); $y = 2; c();\nd(); $z = 3;\n";
        let x = source.find("$x").unwrap();
        let e = remove(source, Span::new(x, x + 7));
        assert_eq!(&source[e.span.range()], "  $x = 1;\n");
        let y = source.find("$y").unwrap();
        let e = remove(source, Span::new(y, y + 7));
        assert_eq!(&source[e.span.range()], "$y = 2; ");
        let z = source.find("$z").unwrap();
        let e = remove(source, Span::new(z, z + 7));
        assert_eq!(&source[e.span.range()], " $z = 3;");
    }

    #[test]
    fn bare_bodies_are_not_listed() {
        let source = "if ($a) $x = 1;\nfunction f() { $x = 2; }";
        let program = hsl_syntax::parse(source).program;
        let mut found = Vec::new();
        listed_statements(&program, Span::new(0, source.len()), |s| {
            if matches!(s.kind, StmtKind::Expr(_)) {
                found.push(&source[s.span.range()]);
            }
        });
        assert_eq!(found, ["$x = 2;"]);
        // Only within the top-level statements around a span.
        let mut found = Vec::new();
        listed_statements(&program, Span::new(0, 3), |s| found.push(s.span.start));
        assert_eq!(found, [0]);
    }
}
