//! Checks of top-level functions kept between checks of one file. A
//! function body sees only its parameters, so what the rules find in it
//! depends on its text and the file's environment alone: when an editor
//! checks a file again and its environment is unchanged, every function
//! whose text is unchanged (wherever it moved) keeps its facts and
//! diagnostics, and only the edited one is walked and judged again. The
//! top level's check is kept beside them (`top.rs`).

use crate::declared::Declared;
use crate::env::Env;
use crate::model::{self, Model};
use crate::parts::{diagnostic_within, move_diagnostic};
use crate::rules::{self, Input};
use crate::top::{pieces, TopCheck};
use crate::workspace::Stop;
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
#[derive(Clone, Copy)]
pub(crate) struct Subject<'a> {
    /// The file (its cache key).
    pub path: &'a Path,
    /// The hook it is checked in.
    pub hook: Option<Hook>,
    /// Its text …
    pub source: &'a str,
    /// … shared with the caller, when it holds the text in an `Arc` (what
    /// is kept shares it instead of copying it).
    pub shared: Option<&'a Arc<String>>,
    /// … parsed.
    pub program: &'a Program,
    /// What it declares.
    pub declared: &'a Declared,
    /// What it can see in that hook.
    pub env: &'a Env,
}

impl<'a> Subject<'a> {
    /// Its text, to keep.
    pub fn kept_text(&self) -> Arc<String> {
        match self.shared {
            Some(text) => text.clone(),
            None => Arc::new(self.source.to_string()),
        }
    }

    /// What the rules judge: the subject with `model`, the facts of (part
    /// of) it.
    pub fn input(&self, model: &'a Model) -> Input<'a> {
        Input::new(self.source, self.program, model, self.env)
    }
}

/// The check of each top-level function, by its text.
type ByText = FxHashMap<Box<str>, Arc<PartCheck>>;

/// What the last check of one file in one hook kept.
struct Kept {
    env: Env,
    /// Shared, so a request can model the file without holding the lock.
    by_text: Arc<ByText>,
    /// The check of the top level.
    top: Arc<TopCheck>,
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

    /// Whether checks are kept (an editor's checker).
    pub fn keeps(&self) -> bool {
        self.files.is_some()
    }

    /// The model of the subject's program, adding what the fact rules find
    /// in it to `out`; reuses and keeps the checks of its top level and of
    /// its functions when checks are kept.
    /// Once `stop` answers true, the remaining functions are left out
    /// of the model, and what was kept stays.
    pub fn check(&self, subject: Subject, out: &mut Vec<Diagnostic>, stop: Stop) -> Model {
        let Subject {
            path,
            hook,
            source,
            program,
            env,
            ..
        } = subject;
        let Some(files) = &self.files else {
            let model = model::build(program, subject.declared.decls.clone(), env);
            rules::check_facts(&subject.input(&model), out);
            return model;
        };
        if stop() {
            return Model::default();
        }
        let old = PartChecks::take(files, path, hook, env);
        let (by_text, top) = old.map_or((Arc::default(), None), |k| (k.by_text, Some(k.top)));
        let pieces = pieces(program);
        let top = top
            .and_then(|t| t.moved(&subject, pieces.clone()))
            .unwrap_or_else(|| TopCheck::new(&subject, pieces));
        // Stopped between steps, the check keeps what it has as it is: the
        // next version's check starts from it.
        let keep = |by_text, top| {
            let entry = Kept {
                env: env.clone(),
                by_text,
                top: Arc::new(top),
            };
            let key = (path.to_path_buf(), hook);
            files.lock().expect("parts lock").insert(key, entry);
        };
        if stop() {
            keep(by_text, top);
            return Model::default();
        }
        let mut model = top.facts(&subject.declared.decls);
        out.extend_from_slice(top.diagnostics());
        // The kept checks move to the new table, keys and all (a request
        // modelling the file may still share the old one: then copied).
        let mut earlier = Arc::unwrap_or_clone(by_text);
        let mut kept = FxHashMap::with_capacity_and_hasher(earlier.len(), Default::default());
        let mut stopped = false;
        model.add_parts(program, &mut |f| {
            stopped = stopped || stop();
            if stopped {
                return Arc::default();
            }
            let text = text_of(source, f);
            let (key, check) = match text.and_then(|t| earlier.remove_entry(t)) {
                Some((key, check)) => (Some(key), check),
                None => (text.map(Box::from), Arc::new(judge(f, &subject))),
            };
            out.extend(check.diagnostics.iter().map(|d| {
                let mut d = d.clone();
                move_diagnostic(&mut d, 0, f.span.start);
                d
            }));
            let facts = check.model.clone();
            if let (Some(key), true) = (key, check.reusable) {
                kept.insert(key, check);
            }
            facts
        });
        if stopped {
            // The checks not reached are still good for the next version:
            // the smaller table joins the larger.
            if kept.len() < earlier.len() {
                std::mem::swap(&mut kept, &mut earlier);
            }
            kept.extend(earlier);
        }
        keep(Arc::new(kept), top);
        model
    }

    /// The model as [`PartChecks::check`] builds it, reusing kept facts but
    /// judging and keeping nothing (for editor requests).
    pub fn model(&self, subject: Subject) -> Model {
        let (program, env) = (subject.program, subject.env);
        let decls = || subject.declared.decls.clone();
        let Some(files) = &self.files else {
            return model::build(program, decls(), env);
        };
        let (by_text, top) = (files.lock().expect("parts lock"))
            .get(&(subject.path.to_path_buf(), subject.hook))
            .filter(|k| k.env == *env)
            .map_or((Arc::default(), None), |k| {
                (k.by_text.clone(), Some(k.top.clone()))
            });
        let mut model = match top.and_then(|t| t.moved(&subject, pieces(program))) {
            Some(top) => top.facts(&subject.declared.decls),
            None => {
                let mut model = model::top_level(program, env);
                model.decls = decls();
                model
            }
        };
        model.add_parts(program, &mut |f| match text_of(subject.source, f)
            .and_then(|t| by_text.get(t))
        {
            Some(check) => check.model.clone(),
            None => {
                let mut facts = model::function_facts(f, env);
                facts.move_to(f.span.start, 0);
                Arc::new(facts)
            }
        });
        model
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
    fn take(files: &Mutex<ByFile>, path: &Path, hook: Option<Hook>, env: &Env) -> Option<Kept> {
        let kept = files
            .lock()
            .expect("parts lock")
            .remove(&(path.to_path_buf(), hook));
        kept.filter(|k| k.env == *env)
    }
}

/// The text of the declaration of `f`.
fn text_of<'s>(source: &'s str, f: &FunctionDecl) -> Option<&'s str> {
    source.get(f.span.start as usize..f.span.end as usize)
}

/// Walks the top-level function `f` and runs the fact rules on it.
fn judge(f: &FunctionDecl, subject: &Subject) -> PartCheck {
    let mut facts = model::function_facts(f, subject.env);
    let mut diagnostics = Vec::new();
    rules::check_facts(&subject.input(&facts), &mut diagnostics);
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
