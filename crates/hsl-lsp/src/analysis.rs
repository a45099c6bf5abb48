//! The analysis of one version of a document: its syntax tree and the files
//! its `include` and `import` statements resolve to. Computed once per
//! version and shared by every request about that version.

use hsl_check::context::{self, Target};
use hsl_syntax::ast::{Program, StmtKind};
use hsl_syntax::Span;
use std::path::Path;

/// The parsed program and its resolved dependencies.
#[derive(Debug)]
pub struct Analysis {
    /// The syntax tree (with error recovery).
    pub program: Program,
    /// Each top-level `include`/`import` id: its span and where it resolves.
    pub includes: Vec<(Span, Target)>,
}

impl Analysis {
    /// Analyses `text`, the contents of the file at `path`.
    pub fn new(text: &str, path: &Path) -> Self {
        let program = hsl_syntax::parse(text).program;
        let root = context::workspace_root(path);
        let includes = program
            .stmts
            .iter()
            .filter_map(|s| match &s.kind {
                StmtKind::Include { path: p, .. } => Some(p),
                StmtKind::Import(i) => Some(&i.from),
                _ => None,
            })
            .map(|p| (p.span, context::resolve(&p.value, path, root.as_deref())))
            .collect();
        Analysis { program, includes }
    }

    /// The files this one includes or imports.
    pub fn dependencies(&self) -> impl Iterator<Item = &Path> {
        self.includes.iter().filter_map(|(_, t)| match t {
            Target::File(f) => Some(f.as_path()),
            _ => None,
        })
    }
}
