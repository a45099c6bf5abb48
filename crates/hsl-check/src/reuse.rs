//! Checks of top-level functions kept between checks of one file. A
//! function body sees only its parameters, so what the rules find in it
//! depends on its text and the file's environment alone: when an editor
//! checks a file again and its environment is unchanged, every function
//! whose text is unchanged (wherever it moved) keeps its facts and
//! diagnostics, and only the edited one is walked and judged again.

use crate::env::Env;
use crate::model::{self, Model};
use crate::parts::{diagnostic_within, move_diagnostic};
use crate::rules::{self, Input};
use hsl_catalog::Hook;
use hsl_syntax::ast::{FunctionDecl, Program};
use hsl_syntax::Diagnostic;
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The check of one top-level function: positions relative to the
/// declaration's start.
struct PartCheck {
    model: Arc<Model>,
    /// What the rules judging each fact found in it.
    diagnostics: Vec<Diagnostic>,
    /// Every diagnostic lies inside the function (none points elsewhere in
    /// the file, where an edit could move or change what it points at).
    reusable: bool,
}

/// One file in one hook: what is checked or modelled.
pub(crate) struct Subject<'a> {
    /// The file (its cache key).
    pub path: &'a Path,
    /// The hook it is checked in.
    pub hook: Option<Hook>,
    /// Its text …
    pub source: &'a str,
    /// … parsed.
    pub program: &'a Program,
    /// What it can see in that hook.
    pub env: &'a Env,
}

/// The check of each top-level function, by its text.
type ByText = FxHashMap<Box<str>, Arc<PartCheck>>;

/// What the last check of one file in one hook kept.
struct Kept {
    env: Env,
    /// Shared, so a request can model the file without holding the lock.
    by_text: Arc<ByText>,
}

/// What was kept, by file and hook.
type ByFile = FxHashMap<(PathBuf, Option<Hook>), Kept>;

/// The kept checks of each file and hook; none for a checker that does not
/// keep them (a run over many files checks each once).
#[derive(Default)]
pub(crate) struct PartChecks {
    files: Option<Mutex<ByFile>>,
}

impl PartChecks {
    /// Checks that are kept and reused.
    pub fn kept() -> Self {
        PartChecks {
            files: Some(Mutex::default()),
        }
    }

    /// The model of the subject's program, adding what the fact rules find
    /// in its top-level functions to `out`; reuses and keeps the checks of
    /// functions when checks are kept.
    pub fn check(&self, subject: Subject, out: &mut Vec<Diagnostic>) -> Model {
        let Subject {
            path,
            hook,
            source,
            program,
            env,
        } = subject;
        let Some(files) = &self.files else {
            return model::build(program, env);
        };
        let old = PartChecks::take(files, path, hook, env);
        let mut kept = FxHashMap::default();
        let model = model::build_with(program, env, &mut |f| {
            let text = text_of(source, f);
            let check = match text.and_then(|t| old.get(t)) {
                Some(check) => check.clone(),
                None => Arc::new(judge(f, source, program, env)),
            };
            out.extend(check.diagnostics.iter().map(|d| {
                let mut d = d.clone();
                move_diagnostic(&mut d, 0, f.span.start);
                d
            }));
            if let (Some(text), true) = (text, check.reusable) {
                kept.insert(text.into(), check.clone());
            }
            check.model.clone()
        });
        // Nothing to keep (no part, or none reusable): no copy of the
        // environment either.
        if !kept.is_empty() {
            let entry = Kept {
                env: env.clone(),
                by_text: Arc::new(kept),
            };
            files
                .lock()
                .expect("parts lock")
                .insert((path.to_path_buf(), hook), entry);
        }
        model
    }

    /// The model as [`PartChecks::check`] builds it, reusing kept facts but
    /// judging and keeping nothing (for editor requests).
    pub fn model(&self, subject: Subject) -> Model {
        let env = subject.env;
        let Some(files) = &self.files else {
            return model::build(subject.program, env);
        };
        let old = (files.lock().expect("parts lock"))
            .get(&(subject.path.to_path_buf(), subject.hook))
            .filter(|k| k.env == *env)
            .map(|k| k.by_text.clone());
        model::build_with(subject.program, env, &mut |f| {
            let found = text_of(subject.source, f).and_then(|t| old.as_ref()?.get(t));
            match found {
                Some(check) => check.model.clone(),
                None => {
                    let mut facts = model::function_facts(f, env);
                    facts.move_to(f.span.start, 0);
                    Arc::new(facts)
                }
            }
        })
    }

    /// Forgets what was kept for `path`.
    pub fn forget(&self, path: &Path) {
        if let Some(files) = &self.files {
            files
                .lock()
                .expect("parts lock")
                .retain(|(p, _), _| p != path);
        }
    }

    /// The checks kept for `path` in `hook`, if they were made in `env`.
    fn take(files: &Mutex<ByFile>, path: &Path, hook: Option<Hook>, env: &Env) -> Arc<ByText> {
        let kept = files
            .lock()
            .expect("parts lock")
            .remove(&(path.to_path_buf(), hook));
        kept.filter(|k| k.env == *env)
            .map(|k| k.by_text)
            .unwrap_or_default()
    }
}

/// The text of the declaration of `f`.
fn text_of<'s>(source: &'s str, f: &FunctionDecl) -> Option<&'s str> {
    source.get(f.span.start as usize..f.span.end as usize)
}

/// Walks the top-level function `f` and runs the fact rules on it.
fn judge(f: &FunctionDecl, source: &str, program: &Program, env: &Env) -> PartCheck {
    let mut facts = model::function_facts(f, env);
    let mut diagnostics = Vec::new();
    let input = Input {
        source,
        program,
        model: &facts,
        env,
    };
    rules::check_facts(&input, &mut diagnostics);
    let reusable = diagnostics.iter().all(|d| diagnostic_within(d, f.span));
    let start = f.span.start;
    facts.move_to(start, 0);
    diagnostics
        .iter_mut()
        .for_each(|d| move_diagnostic(d, start, 0));
    PartCheck {
        model: Arc::new(facts),
        diagnostics,
        reusable,
    }
}
