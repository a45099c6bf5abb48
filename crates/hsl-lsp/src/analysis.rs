//! The analysis of one version of a document: its syntax tree, its syntax
//! diagnostics, the files its `include` and `import` statements resolve to
//! and the checker's semantic model of it. Computed once per version and
//! shared by every request about that version and by the checker.

use hsl_check::model::{self, Decl, Model};
use hsl_check::Checker;
use hsl_syntax::ast::{Program, StmtKind};
use hsl_syntax::{codes, Diagnostic, Span};
use hsl_workspace::{Project, Target};
use std::borrow::Cow;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// The parsed program and its resolved dependencies.
#[derive(Debug)]
pub struct Analysis {
    /// The syntax tree (with error recovery).
    pub program: Arc<Program>,
    /// Lexical and syntax diagnostics.
    pub syntax: Vec<Diagnostic>,
    /// Each top-level `include`/`import` id: its span and where it resolves.
    pub includes: Vec<(Span, Target)>,
    /// The functions and classes declared in the file, found on first use.
    declarations: OnceLock<Vec<Decl>>,
    /// The checker's model of the file (scopes, variable classes), built on
    /// first use or kept from the version's check.
    model: OnceLock<Model>,
    /// Larger than the size limit: not parsed, and not checked.
    oversized: bool,
}

/// The text changed since an analysed version, as one range: bytes
/// `start..old_end` of the analysed text are `start..new_end` now, the rest
/// is unchanged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Edit {
    /// `(start, old_end, new_end)`; `None` when nothing changed.
    pub range: Option<(usize, usize, usize)>,
}

impl Edit {
    /// This edit followed by the replacement of bytes `start..end` of the
    /// edited text with `inserted` bytes.
    pub fn then(self, start: usize, end: usize, inserted: usize) -> Edit {
        let range = match self.range {
            None => (start, end, start + inserted),
            Some((s, old_end, new_end)) => (
                s.min(start),
                old_end + end.saturating_sub(new_end),
                new_end.max(end) + inserted - (end - start),
            ),
        };
        Edit { range: Some(range) }
    }
}

impl Analysis {
    /// The analysis of a document larger than `limit` bytes: not parsed,
    /// one HSL022 at its start, nothing for the checker or requests.
    pub fn too_large(limit: u64) -> Self {
        let message = format!("file is larger than the limit of {limit} bytes: not analysed");
        let diagnostic = Diagnostic::error(codes::TOO_LARGE, Span::new(0, 0), message)
            .with_help("raise `max-file-size` in hsl.toml, or split the file");
        Analysis {
            program: Arc::default(),
            syntax: vec![diagnostic],
            includes: Vec::new(),
            declarations: OnceLock::new(),
            model: OnceLock::new(),
            oversized: true,
        }
    }

    /// Analyses `text`, the contents of the file at `path` whose ids resolve
    /// in `project`.
    pub fn new(text: &str, path: &Path, project: &Project) -> Self {
        let parse = hsl_syntax::parse(text);
        Analysis::of(Arc::new(parse.program), parse.diagnostics, path, project)
    }

    /// The analysis of `text`, made from `base` (the analysis of the text
    /// before `edit`). When nothing else holds `base` and its tree, the tree
    /// is edited in place; else the statements it keeps are copied.
    pub fn edited(
        base: Arc<Analysis>,
        edit: Edit,
        text: &str,
        path: &Path,
        project: &Project,
    ) -> Self {
        let Some(range) = edit.range else {
            return Analysis::of(base.program.clone(), base.syntax.clone(), path, project);
        };
        if !base.syntax.is_empty() {
            crate::reclaim::later(base);
            return Analysis::new(text, path, project);
        }
        let reparsed = match Arc::try_unwrap(base) {
            Ok(mut owned) => {
                let program = std::mem::take(&mut owned.program);
                // The rest of the old analysis (its model) is freed in the
                // background.
                crate::reclaim::later(owned);
                match Arc::try_unwrap(program) {
                    Ok(program) => crate::reparse::reparse(Cow::Owned(program), range, text),
                    Err(shared) => crate::reparse::reparse(Cow::Borrowed(&shared), range, text),
                }
            }
            Err(shared) => crate::reparse::reparse(Cow::Borrowed(&shared.program), range, text),
        };
        match reparsed {
            Some(program) => Analysis::of(Arc::new(program), Vec::new(), path, project),
            None => Analysis::new(text, path, project),
        }
    }

    fn of(program: Arc<Program>, syntax: Vec<Diagnostic>, path: &Path, project: &Project) -> Self {
        let includes = program
            .stmts
            .iter()
            .filter_map(|s| match &s.kind {
                StmtKind::Include { path: p, .. } => Some(p),
                StmtKind::Import(i) => Some(&i.from),
                _ => None,
            })
            .map(|p| (p.span, project.resolve(&p.value, path)))
            .collect();
        Analysis {
            program,
            syntax,
            includes,
            declarations: OnceLock::new(),
            model: OnceLock::new(),
            oversized: false,
        }
    }

    /// The functions and classes declared anywhere in the file, as the
    /// checker finds them: the model's when it has been built, else found
    /// without building it.
    pub fn declarations(&self) -> &[Decl] {
        match self.model.get() {
            Some(model) => &model.decls,
            None => self
                .declarations
                .get_or_init(|| model::declarations(&self.program)),
        }
    }

    /// The checker's semantic model of this version (`text` at `path`):
    /// its scopes and the classes of its variables.
    pub fn model(&self, checker: &Checker, path: &Path, text: &str) -> &Model {
        self.model
            .get_or_init(|| checker.model(path, text, &self.program))
    }

    /// Checks this version (`text` at `path`) with `checker`, keeping its
    /// model for the requests about it.
    pub fn check(
        &self,
        checker: &Checker,
        path: &Path,
        text: &str,
    ) -> Result<Vec<Diagnostic>, String> {
        let syntax = self.syntax.clone();
        if self.oversized {
            return Ok(syntax);
        }
        checker.check_keeping(path, text, &self.program, syntax, &self.model)
    }

    /// The files this one includes or imports.
    pub fn dependencies(&self) -> impl Iterator<Item = &Path> {
        self.includes.iter().filter_map(|(_, t)| match t {
            Target::File(f) => Some(f.as_path()),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_combine_into_one_range() {
        // "abcdef" → insert "XY" at 1 → "aXYbcdef" → delete 5..7 ("de") → "aXYbcf".
        let edit = Edit::default().then(1, 1, 2).then(5, 7, 0);
        assert_eq!(edit.range, Some((1, 5, 5)));
        let (old, new) = ("abcdef", "aXYbcf");
        let (s, old_end, new_end) = edit.range.unwrap();
        assert_eq!(old[..s], new[..s]);
        assert_eq!(old[old_end..], new[new_end..]);
        // An edit inside the changed range keeps its end.
        let inside = Edit::default().then(2, 4, 5).then(3, 4, 0);
        assert_eq!(inside.range, Some((2, 4, 6)));
    }
}
