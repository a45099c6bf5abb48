//! The analysis of one version of a document: its syntax tree, its syntax
//! diagnostics, the files its `include` and `import` statements resolve to
//! and the checker's semantic model of it. Computed once per version and
//! shared by every request about that version and by the checker.

use hsl_check::declared::Declared;
use hsl_check::model::{Decl, Model};
use hsl_check::{Buffer, Checker, Stop};
use hsl_syntax::ast::{Program, StmtKind};
use hsl_syntax::{codes, Diagnostic, Span};
use hsl_workspace::{Project, Target};
use std::borrow::Cow;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// The parsed program and its resolved dependencies.
#[derive(Debug)]
pub struct Analysis {
    /// The syntax tree (with error recovery).
    pub program: Arc<Program>,
    /// Lexical and syntax diagnostics.
    pub syntax: Vec<Diagnostic>,
    /// Each top-level `include`/`import` id: its span and where it resolves.
    pub includes: Vec<(Span, Target)>,
    /// What the file declares, found on first use or carried over from the
    /// earlier version's.
    declared: OnceLock<Declared>,
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
            declared: OnceLock::new(),
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
        // A check of the earlier version still running stops at once (the
        // editor has this newer one) and lets go of its tree: waiting a
        // moment for it costs less than copying the tree.
        let deadline = Instant::now() + Duration::from_millis(2);
        while Arc::strong_count(&base) > 1 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_micros(20));
        }
        // The declarations found in the earlier version are carried over.
        let (reparsed, earlier) = match Arc::try_unwrap(base) {
            Ok(mut owned) => {
                let program = std::mem::take(&mut owned.program);
                let earlier = owned.declared.take();
                // The rest of the old analysis (its model) is freed in the
                // background.
                crate::reclaim::later(owned);
                let reparsed = match Arc::try_unwrap(program) {
                    Ok(program) => crate::reparse::reparse(Cow::Owned(program), range, text),
                    Err(shared) => crate::reparse::reparse(Cow::Borrowed(&shared), range, text),
                };
                (reparsed, earlier)
            }
            Err(shared) => (
                crate::reparse::reparse(Cow::Borrowed(&shared.program), range, text),
                shared.declared.get().cloned(),
            ),
        };
        let Some(reparsed) = reparsed else {
            return Analysis::new(text, path, project);
        };
        let analysis = Analysis::of(Arc::new(reparsed.program), Vec::new(), path, project);
        if let Some(earlier) = earlier {
            let found = Declared::edited(earlier, &analysis.program, reparsed.parsed, range);
            let _ = analysis.declared.set(found);
        }
        analysis
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
            declared: OnceLock::new(),
            model: OnceLock::new(),
            oversized: false,
        }
    }

    /// What this version (`text`) declares: carried over from the earlier
    /// version, or found on first use.
    pub fn declared(&self, text: &str) -> &Declared {
        self.declared
            .get_or_init(|| Declared::of(&self.program, text))
    }

    /// The functions and classes declared anywhere in this version
    /// (`text`), as the checker finds them.
    pub fn declarations(&self, text: &str) -> &[Decl] {
        &self.declared(text).decls
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
        text: &Arc<String>,
        stop: Stop,
    ) -> Result<Vec<Diagnostic>, String> {
        let syntax = self.syntax.clone();
        if self.oversized {
            return Ok(syntax);
        }
        let buffer = Buffer {
            text,
            program: &self.program,
            declared: self.declared(text),
        };
        checker.check_keeping(path, buffer, syntax, &self.model, stop)
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

    /// The declarations an edited analysis carries over are those of the
    /// edited text.
    #[test]
    fn edits_keep_the_declarations_they_do_not_touch() {
        let shown = |decls: &[Decl]| -> Vec<(String, Span, bool, bool)> {
            decls
                .iter()
                .map(|d| (d.name.text.clone(), d.name.span, d.is_class, d.top_level))
                .collect()
        };
        let old = "function a() { function inner() {} global $g; }\necho 1;\nclass B {}\nfunction c($x) { return $x; }\n";
        let project = Project::default();
        let path = Path::new("/tmp/edited.hsl");
        let edits = [
            ("echo 1;", "echo 22; function d() {}"),
            ("{ return $x; }", "{ return 2; }"),
            ("inner", "renamed"),
            ("global $g;", "global $h;"),
            ("class B {}\n", ""),
            ("function a", "$f = function () { class E {} };\nfunction a"),
        ];
        for (from, to) in edits {
            let base = Arc::new(Analysis::new(old, path, &project));
            base.declared(old);
            let at = old.find(from).unwrap();
            let text = old.replacen(from, to, 1);
            let edit = Edit::default().then(at, at + from.len(), to.len());
            let edited = Analysis::edited(base, edit, &text, path, &project);
            let carried = edited.declared.get().expect("carried over");
            let fresh = Declared::of(&hsl_syntax::parse(&text).program, &text);
            assert_eq!(shown(&carried.decls), shown(&fresh.decls), "{text}");
        }
    }

    /// Statements inserted after a `;`, `{` or `}` of every `.hsl` file of
    /// `testdata/` (outside hidden folders), and removed again, one edit at a time: whenever an edit
    /// carries the declarations over, they are those of the edited text.
    #[test]
    fn carried_declarations_match_the_edited_text_over_many_edits() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
        let files = crate::files::hsl_files(&root);
        let snippets = [
            "\nfunction g1($a, $b = 1) { return $a; }\n",
            " global $z; ",
            "\nclass K1 { constructor($p) {} }\n",
            " echo 1; ",
            "\n",
        ];
        let project = Project::default();
        let path = Path::new("/tmp/carried.hsl");
        let (mut state, mut carried_edits) = (1u64, 0);
        for file in &files {
            let Ok(mut text) = std::fs::read_to_string(file) else {
                continue;
            };
            let mut analysis = Arc::new(Analysis::new(&text, path, &project));
            analysis.declared(&text);
            let mut inserted: Vec<(usize, usize)> = Vec::new();
            for _ in 0..12 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let pick = (state >> 33) as usize;
                let (at, removed, with) = match inserted.pop() {
                    Some((at, len)) if pick.is_multiple_of(3) => {
                        for (i, _) in inserted.iter_mut().filter(|(i, _)| *i > at) {
                            *i -= len;
                        }
                        (at, len, "")
                    }
                    other => {
                        inserted.extend(other);
                        // Not inside an inserted statement: each is removed whole.
                        let stops: Vec<usize> = text
                            .match_indices([';', '{', '}'])
                            .map(|(i, _)| i + 1)
                            .filter(|&i| !inserted.iter().any(|&(s, len)| s < i && i < s + len))
                            .collect();
                        let Some(&at) = stops.get(pick % stops.len().max(1)) else {
                            break;
                        };
                        let with = snippets[pick % snippets.len()];
                        // Earlier insertions after this one move.
                        for (i, _) in inserted.iter_mut().filter(|(i, _)| *i >= at) {
                            *i += with.len();
                        }
                        inserted.push((at, with.len()));
                        (at, 0, with)
                    }
                };
                text.replace_range(at..at + removed, with);
                let edit = Edit::default().then(at, at + removed, with.len());
                analysis = Arc::new(Analysis::edited(analysis, edit, &text, path, &project));
                if let Some(carried) = analysis.declared.get() {
                    carried_edits += 1;
                    let fresh = Declared::of(&hsl_syntax::parse(&text).program, &text);
                    assert_eq!(
                        carried,
                        &fresh,
                        "{}: after {with:?} at {at}",
                        file.display()
                    );
                }
                analysis.declared(&text);
            }
        }
        assert!(
            carried_edits > 500,
            "only {carried_edits} edits carried declarations over"
        );
    }
}
