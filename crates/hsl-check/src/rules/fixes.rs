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

/// An edit removing the text at `span`; when nothing else stands on its
/// lines, the whole lines (indentation and line break included).
pub fn remove(source: &str, span: Span) -> Edit {
    let (start, end) = (span.start as usize, span.end as usize);
    let before = &source[..start];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let after = &source[end..];
    let line_end = after.find('\n').map_or(source.len(), |i| end + i + 1);
    let alone = before[line_start..].trim().is_empty() && source[end..line_end].trim().is_empty();
    let span = if alone {
        Span::new(line_start, line_end)
    } else {
        // Keep one side's spacing: `a; b;` loses `a; `.
        let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
        Span::new(start, end + spaces)
    };
    Edit {
        span,
        text: String::new(),
    }
}

/// Calls `f` with every statement of `program` that stands in a statement
/// list (a block, a function body, a case, the file): those can be removed.
/// The bare body of `if`, `while` or `for` cannot: removing it would hand
/// the next statement to that construct.
pub fn listed_statements<'a>(program: &'a Program, f: impl FnMut(&'a Stmt)) {
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
    let mut lists = Lists(f);
    lists.list(&program.stmts);
    visit::walk_program(&mut lists, program);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removal_takes_whole_lines_only_when_alone() {
        let source = "a();\n  $x = 1;\nb(); $y = 2; c();\n";
        let x = source.find("$x").unwrap();
        let e = remove(source, Span::new(x, x + 7));
        assert_eq!(&source[e.span.range()], "  $x = 1;\n");
        let y = source.find("$y").unwrap();
        let e = remove(source, Span::new(y, y + 7));
        assert_eq!(&source[e.span.range()], "$y = 2; ");
    }

    #[test]
    fn bare_bodies_are_not_listed() {
        let source = "if ($a) $x = 1;\nfunction f() { $x = 2; }";
        let program = hsl_syntax::parse(source).program;
        let mut found = Vec::new();
        listed_statements(&program, |s| {
            if matches!(s.kind, StmtKind::Expr(_)) {
                found.push(&source[s.span.range()]);
            }
        });
        assert_eq!(found, ["$x = 2;"]);
    }
}
