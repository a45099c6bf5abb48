//! Go to definition: user functions and classes (in the file, its includes
//! and imports), variables (their first assignment in the enclosing scope)
//! and include/import targets.

use crate::analysis::Analysis;
use hsl_check::model::Model;
use hsl_syntax::ast::{Import, ImportKind, Program, Stmt, StmtKind};
use hsl_syntax::visit::{self, Visitor};
use hsl_syntax::Span;
use hsl_workspace::Target;
use std::path::PathBuf;

/// Where something is defined: a file and a byte span in it.
#[derive(Debug, PartialEq, Eq)]
pub struct Location {
    /// The file (the current one when it is `None`).
    pub file: Option<PathBuf>,
    /// The span of the name (empty at the start for whole files).
    pub span: Span,
}

/// The declaration of a function or class named `name` anywhere in `program`.
fn declared(program: &Program, name: &str) -> Option<Span> {
    struct Find<'n> {
        name: &'n str,
        found: Option<Span>,
    }
    impl Visitor<'_> for Find<'_> {
        fn visit_stmt(&mut self, s: &Stmt) {
            match &s.kind {
                StmtKind::Function(f) if f.name.text == self.name && self.found.is_none() => {
                    self.found = Some(f.name.span)
                }
                StmtKind::Class(c) if c.name.text == self.name && self.found.is_none() => {
                    self.found = Some(c.name.span)
                }
                _ => {}
            }
            visit::walk_stmt(self, s);
        }
    }
    let mut f = Find { name, found: None };
    visit::walk_program(&mut f, program);
    f.found
}

/// The definition of what is at `offset` (`word` is the name there) in the
/// file of `analysis`, whose model is `model`.
pub fn find(
    analysis: &Analysis,
    model: &Model,
    offset: usize,
    word: Option<&str>,
) -> Option<Location> {
    let program = &analysis.program;
    for (span, target) in &analysis.includes {
        if span.contains(offset) {
            if let Target::File(f) = target {
                return Some(Location {
                    file: Some(f.clone()),
                    span: Span::default(),
                });
            }
        }
    }
    let word = word?;
    if let Some(var) = word.strip_prefix('$') {
        let span = model.visible_at(offset).definition(var)?;
        return Some(Location { file: None, span });
    }
    if let Some(span) = declared(program, word) {
        return Some(Location { file: None, span });
    }
    for file in analysis.dependencies() {
        let Ok(bytes) = std::fs::read(file) else {
            continue;
        };
        let (text, _) = hsl_syntax::decode(&bytes);
        let dep = hsl_syntax::parse(&text).program;
        if let Some(span) = declared(&dep, word) {
            return Some(Location {
                file: Some(file.to_path_buf()),
                span,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use hsl_workspace::Project;
    use std::path::Path;

    #[test]
    fn functions_in_the_same_file() {
        let src = "echo helper(1);\nfunction helper($x) { return $x; }\n";
        let path = Path::new("a.hsl");
        let analysis = Analysis::new(src, path, &Project::discover(path, &Default::default()));
        let model = hsl_check::Checker::new(Default::default()).model(path, src, &analysis.program);
        let at = src.find("helper").unwrap();
        let loc = find(&analysis, &model, at, Some("helper")).unwrap();
        assert_eq!(&src[loc.span.range()], "helper");
        assert_eq!(loc.span.start as usize, src.rfind("helper").unwrap());
        assert!(find(&analysis, &model, 0, Some("echo")).is_none());
        let x = find(&analysis, &model, src.rfind("$x").unwrap(), Some("$x")).unwrap();
        assert_eq!(
            x.span.start as usize,
            src.find("$x").unwrap(),
            "the parameter"
        );
    }
}

/// Every place in `program` that names the function or class `name`: its
/// declaration (when `include_declaration`), each call or reference and
/// each `import { name }`.
pub fn references(program: &Program, name: &str, include_declaration: bool) -> Vec<Span> {
    struct Refs<'n> {
        name: &'n str,
        found: Vec<Span>,
        declarations: bool,
    }
    impl Visitor<'_> for Refs<'_> {
        fn visit_stmt(&mut self, s: &Stmt) {
            if self.declarations {
                match &s.kind {
                    StmtKind::Function(f) if f.name.text == self.name => {
                        self.found.push(f.name.span)
                    }
                    StmtKind::Class(c) if c.name.text == self.name => self.found.push(c.name.span),
                    _ => {}
                }
            }
            if let StmtKind::Import(Import {
                kind: ImportKind::Names(specs),
                ..
            }) = &s.kind
            {
                self.found.extend(
                    specs
                        .iter()
                        .filter(|i| !i.is_var && i.name.text == self.name)
                        .map(|i| i.name.span),
                );
            }
            visit::walk_stmt(self, s);
        }
        fn visit_expr(&mut self, e: &hsl_syntax::ast::Expr) {
            if let hsl_syntax::ast::ExprKind::Ident(n) = &e.kind {
                if n == self.name {
                    self.found.push(e.span);
                }
            }
            visit::walk_expr(self, e);
        }
    }
    let mut r = Refs {
        name,
        found: Vec::new(),
        declarations: include_declaration,
    };
    visit::walk_program(&mut r, program);
    r.found.sort_by_key(|s| s.start);
    r.found
}

#[cfg(test)]
mod reference_tests {
    use super::*;

    #[test]
    fn calls_and_declaration() {
        let src = "import { f } from \"lib\";\nfunction f() { return f; }\necho f();\n$g = function () { return f(); };\n";
        let program = hsl_syntax::parse(src).program;
        let spans = references(&program, "f", true);
        assert_eq!(spans.len(), 5);
        assert!(spans.iter().all(|s| &src[s.range()] == "f"));
        assert_eq!(references(&program, "f", false).len(), 4);
    }
}
