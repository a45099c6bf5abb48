//! The checker: decides each file's hook and Halon version, follows its
//! includes and imports (parsing each dependency once per run), runs the
//! rules and applies configuration and suppressions.

use crate::config::Config;
use crate::declared::Declared;
use crate::env::{self, Sources};
use crate::model;
use crate::reuse::{PartChecks, Subject};
use crate::rules::{self, codes};
use crate::suppress::Suppressions;
use hsl_catalog::{Catalog, HalonVersion, Hook};
use hsl_syntax::ast::Program;
use hsl_syntax::{Diagnostic, LineIndex, Severity};
use hsl_workspace::{
    self as workspace, Ancestry, Graph, Malformed, PathMap, Place, Plugins, Project,
};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// Command-line choices that override configuration.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--halon-version`
    pub halon: Option<HalonVersion>,
    /// `--hook`: check every file in this hook's context.
    pub hook: Option<Hook>,
    /// `--select`: report only these codes (empty: all).
    pub select: Vec<String>,
    /// `--ignore`: never report these codes.
    pub ignore: Vec<String>,
}

/// What a file is to its workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A hook script (by its place in `src/hooks/`, or by `--hook` or a
    /// directive outside a workspace).
    Hook,
    /// A file that hook scripts include or import (or one given a hook by
    /// `--hook` or a directive).
    Shared,
    /// A file of a workspace that no hook script includes or imports: it is
    /// checked against the core library, and the functions of any hook are
    /// accepted.
    Unhooked,
    /// A file outside any workspace with no hook.
    Plain,
}

/// How a file is checked.
#[derive(Clone, Debug)]
pub struct FileContext {
    /// What the file is to its workspace.
    pub role: Role,
    /// The contexts it is checked in (`None`: core only). A shared file
    /// included by several hooks is checked in each of them.
    pub hooks: Vec<Option<Hook>>,
    /// The Halon version.
    pub version: HalonVersion,
    /// The catalog of that version with the project's plugin functions and
    /// classes.
    pub catalog: &'static Catalog,
    /// Where its includes and imports resolve.
    pub project: Arc<Project>,
}

/// One version of a file in an editor, as [`Checker::check_keeping`] checks
/// it.
#[derive(Clone, Copy)]
pub struct Buffer<'a> {
    /// Its text, shared with the editor.
    pub text: &'a Arc<String>,
    /// Its tree.
    pub program: &'a Program,
    /// What it declares ([`Declared::of`], or carried over an edit).
    pub declared: &'a Declared,
}

/// A file as read and parsed for the run.
struct Loaded {
    /// Its text (an editor's buffer is shared with the editor).
    text: Arc<String>,
    /// Its size on disk and the diagnostic of its invalid UTF-8 (`None`:
    /// an editor's buffer, not read).
    read: Option<(u64, Option<Diagnostic>)>,
    program: Tree,
    /// Its syntax diagnostics (`None`: parsed elsewhere, not known).
    syntax: Option<Vec<Diagnostic>>,
    /// The ids it includes and imports, once looked up.
    uses: OnceLock<workspace::Uses>,
}

/// The syntax tree of a loaded file.
enum Tree {
    /// Parsed by the checker.
    Owned(Arc<Program>),
    /// An editor's tree of its buffer: the editor moves it into the tree of
    /// its next version when nothing else holds it, so the checker holds it
    /// weakly and parses the text itself once it is gone.
    Lent(Weak<Program>),
}

/// Asked as an editor's check goes: whether to stop (a newer version of
/// the file is waiting).
pub type Stop<'a> = &'a dyn Fn() -> bool;

/// What an editor's check keeps of itself, and when it stops.
#[derive(Clone, Copy)]
struct Keep<'a> {
    /// In an editor: the version being checked (its text to share and what
    /// it declares), and where the model of the file's first context goes.
    editor: Option<(Buffer<'a>, &'a OnceLock<model::Model>)>,
    stop: Stop<'a>,
}

impl Keep<'static> {
    /// A check that keeps no model and runs to its end.
    const NOTHING: Keep<'static> = Keep {
        editor: None,
        stop: &|| false,
    };
}

/// The ids a file includes or imports, and how.
impl Loaded {
    /// The ids it includes or imports (looked up in the tree the first
    /// time; known from the start when the tree is lent).
    fn uses(&self) -> Option<&workspace::Uses> {
        if let Some(uses) = self.uses.get() {
            return Some(uses);
        }
        let program = self.program()?;
        Some(
            self.uses
                .get_or_init(|| workspace::uses_in(&program, &self.text)),
        )
    }

    /// The tree, unless it was lent and is gone.
    fn program(&self) -> Option<Arc<Program>> {
        match &self.program {
            Tree::Owned(p) => Some(p.clone()),
            Tree::Lent(p) => p.upgrade(),
        }
    }
}

type Parsed = Option<Arc<Loaded>>;

/// A configuration as read, or why it cannot be.
type Found = Result<Arc<Config>, String>;

/// What decides a project: the place of its folder and its `hsl.toml`.
type Origin = (Place, Option<PathBuf>);

/// A project's workspace and root: a run checks the files of one together.
type Home = (Option<PathBuf>, Option<PathBuf>);

/// The [`Home`] of `project`.
fn home(project: &Project) -> Home {
    (project.workspace.clone(), project.root.clone())
}

/// Checks files; caches parsed files, configurations, projects, catalogs
/// and which hooks include each shared file, so checking a whole workspace
/// parses every file once and looks at each folder once.
#[derive(Default)]
pub struct Checker {
    options: Options,
    parsed: Mutex<PathMap<Parsed>>,
    /// The loads in progress, with the generation they began in.
    loading: Mutex<PathMap<(u64, Arc<OnceLock<Parsed>>)>>,
    /// Bumped whenever cached programs are dropped, so a parse that read
    /// its text before the drop is not cached after it.
    generation: AtomicU64,
    includers: Mutex<PathMap<Arc<Graph>>>,
    /// The upward look-ups of the run (workspace, project root, `hsl.toml`).
    ancestry: Ancestry,
    /// The configuration by folder of the checked file …
    configs: Mutex<PathMap<Found>>,
    /// … and by `hsl.toml` (`None`: the defaults).
    config_files: Mutex<HashMap<Option<PathBuf>, Found>>,
    /// The project by folder of the checked file …
    projects: Mutex<PathMap<Arc<Project>>>,
    /// … and by place and `hsl.toml`.
    places: Mutex<HashMap<Origin, Arc<Project>>>,
    /// The plugin declaration files by folders searched.
    plugin_files: Mutex<HashMap<Vec<PathBuf>, Vec<PathBuf>>>,
    catalogs: Mutex<HashMap<(HalonVersion, Vec<PathBuf>), &'static Catalog>>,
    overlay: Mutex<PathMap<Arc<String>>>,
    hook_ids: Mutex<PathMap<Option<Arc<workspace::smtpd::HookIds>>>>,
    /// Malformed configuration and declaration files met so far, and the
    /// workspaces whose configuration was looked at.
    malformed: Mutex<(HashSet<PathBuf>, Vec<Malformed>)>,
    /// The checks of top-level functions kept for the next check of their
    /// file (editors).
    parts: PartChecks,
}

/// A file as read from disk.
#[derive(Clone, Debug)]
pub struct FileText {
    /// Its text, invalid UTF-8 replaced.
    pub text: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The error where its bytes are not valid UTF-8.
    pub invalid: Option<Diagnostic>,
}

/// A configuration or declaration file with its problems (HSL122).
#[derive(Clone, Debug)]
pub struct ConfigReport {
    /// The file.
    pub path: PathBuf,
    /// Its text.
    pub source: String,
    /// Its problems.
    pub diagnostics: Vec<Diagnostic>,
}

impl Sources for Checker {
    fn program(&self, path: &Path) -> Option<Arc<Program>> {
        self.with_tree(path, |loaded| loaded.program())
    }
}

/// The absolute, normalized name of `path`: the key of the caches.
fn key(path: &Path) -> PathBuf {
    workspace::absolute_normalized(path)
}

impl Checker {
    /// A checker with command-line options.
    pub fn new(options: Options) -> Self {
        Checker {
            options,
            ..Default::default()
        }
    }

    /// A checker that keeps the checks of each file's top-level functions
    /// and reuses them when the file is checked again in the same
    /// environment: after an edit, only the functions whose text changed
    /// are walked and judged again (an editor's checker).
    pub fn reusing_parts(options: Options) -> Self {
        Checker {
            options,
            parts: PartChecks::kept(),
            ..Default::default()
        }
    }

    /// What `take` gets from the loaded file at `path`, which needs its
    /// tree: a lent tree may be gone between loading and taking, and the
    /// text is then parsed (and the tree owned) on the second turn.
    fn with_tree<T>(&self, path: &Path, take: impl Fn(&Loaded) -> Option<T>) -> Option<T> {
        (0..2).find_map(|_| take(&*self.loaded(path)?))
    }

    /// The file at `path` (a cache key), read (or taken from the unsaved
    /// buffers) and parsed once: a thread asking while another loads it
    /// waits for that load.
    fn loaded(&self, path: &Path) -> Parsed {
        if let Some(found) = self.cached(path) {
            return found;
        }
        // A load begun before cached programs were dropped (an edited
        // buffer) may have read the text as it was: not waited for.
        let generation = self.generation.load(Ordering::Acquire);
        let slot = {
            let mut loading = self.loading.lock().expect("cache lock");
            let slot = loading.entry(path.to_path_buf()).or_default();
            if slot.0 != generation {
                *slot = (generation, Arc::default());
            }
            slot.1.clone()
        };
        let parsed = slot
            .get_or_init(|| self.cached(path).unwrap_or_else(|| self.load(path)))
            .clone();
        let mut loading = self.loading.lock().expect("cache lock");
        if loading.get(path).is_some_and(|s| Arc::ptr_eq(&s.1, &slot)) {
            loading.remove(path);
        }
        parsed
    }

    /// The cached load of `path`, unless there is none or its lent tree
    /// is gone.
    fn cached(&self, path: &Path) -> Option<Parsed> {
        match self.parsed.lock().expect("cache lock").get(path) {
            Some(Some(l)) if l.program().is_none() => None,
            found => found.cloned(),
        }
    }

    /// Reads and parses the file at `path`, caching it unless cached
    /// programs were dropped meanwhile.
    fn load(&self, path: &Path) -> Parsed {
        let generation = self.generation.load(Ordering::Acquire);
        let unsaved = self.overlay.lock().expect("cache lock").get(path).cloned();
        let text = match unsaved {
            Some(text) => Some((text, None)),
            // Only regular files: a FIFO named `*.hsl` must not hang the run.
            None => hsl_syntax::read_file(path, u64::MAX).ok().map(|bytes| {
                let (text, invalid) = hsl_syntax::decode(&bytes);
                let text = Arc::new(text.into_owned());
                (text, Some((bytes.len() as u64, invalid)))
            }),
        };
        let parsed = text.map(|(text, read)| {
            let parse = hsl_syntax::parse(&text);
            Arc::new(Loaded {
                text,
                read,
                program: Tree::Owned(Arc::new(parse.program)),
                syntax: Some(parse.diagnostics),
                uses: OnceLock::new(),
            })
        });
        let mut cache = self.parsed.lock().expect("cache lock");
        if self.generation.load(Ordering::Acquire) == generation {
            cache.insert(path.to_path_buf(), parsed.clone());
        }
        parsed
    }

    /// The file at `path` as the run read it already, if it did (building
    /// the includers graph of its workspace reads its scripts): checking it
    /// next need not read it again.
    pub fn read_before(&self, path: &Path) -> Option<FileText> {
        let cached = self
            .parsed
            .lock()
            .expect("cache lock")
            .get(&key(path))
            .cloned();
        let loaded = cached.flatten()?;
        let (bytes, invalid) = loaded.read.clone()?;
        Some(FileText {
            text: loaded.text.to_string(),
            bytes,
            invalid,
        })
    }

    /// Forgets cached dependencies and folder look-ups (after files changed
    /// on disk).
    pub fn invalidate(&self, path: &Path) {
        let path = key(path);
        let mut cache = self.parsed.lock().expect("cache lock");
        self.generation.fetch_add(1, Ordering::AcqRel);
        cache.remove(&path);
        drop(cache);
        self.includers.lock().expect("cache lock").clear();
        self.ancestry.forget();
    }

    /// Uses `text` instead of the file on disk for `path` (an editor's
    /// unsaved buffer); `None` returns to the file on disk.
    pub fn set_unsaved(&self, path: &Path, text: Option<String>) {
        let key = key(path);
        {
            let mut overlay = self.overlay.lock().expect("cache lock");
            match text {
                Some(t) => overlay.insert(key.clone(), Arc::new(t)),
                None => {
                    self.parts.forget(&key);
                    overlay.remove(&key)
                }
            };
        }
        self.invalidate(&key);
    }

    /// Uses an editor's unsaved buffer `text`, already parsed into
    /// `program`, for `path`. The checker holds the tree weakly (the editor
    /// may reuse it for its next version) and parses `text` once it is gone.
    /// The includers graph is rebuilt only when the buffer's includes and
    /// imports changed.
    pub fn set_unsaved_parsed(&self, path: &Path, text: Arc<String>, program: &Arc<Program>) {
        let key = key(path);
        self.overlay
            .lock()
            .expect("cache lock")
            .insert(key.clone(), text.clone());
        let mut cache = self.parsed.lock().expect("cache lock");
        self.generation.fetch_add(1, Ordering::AcqRel);
        let uses = OnceLock::from(workspace::uses_in(program, &text));
        let loaded = Loaded {
            text,
            read: None,
            program: Tree::Lent(Arc::downgrade(program)),
            syntax: None,
            uses,
        };
        let same_uses = match cache.get(&key) {
            Some(Some(old)) => old.uses().is_some_and(|u| Some(u) == loaded.uses()),
            _ => false,
        };
        cache.insert(key, Some(Arc::new(loaded)));
        drop(cache);
        if !same_uses {
            self.includers.lock().expect("cache lock").clear();
        }
    }

    /// The configuration in effect for `path`: the nearest `hsl.toml` at or
    /// above it (none: the defaults), looked up once per folder and read
    /// once per file.
    pub fn config(&self, path: &Path) -> Result<Arc<Config>, String> {
        let dir = path.parent().unwrap_or(Path::new("."));
        if let Some(found) = self.configs.lock().expect("cache lock").get(dir) {
            return found.clone();
        }
        let file = self.ancestry.config_file(path);
        let found = self
            .config_files
            .lock()
            .expect("cache lock")
            .entry(file)
            .or_insert_with_key(|file| match file {
                Some(file) => Config::load(file).map(Arc::new),
                None => Ok(Arc::default()),
            })
            .clone();
        self.configs
            .lock()
            .expect("cache lock")
            .insert(dir.to_path_buf(), found.clone());
        found
    }

    /// Whether `path` is excluded by its configuration.
    pub fn excluded(&self, path: &Path) -> bool {
        self.config(path).is_ok_and(|c| c.excluded(path))
    }

    /// How `path` (with contents `source`) is checked.
    pub fn context(&self, path: &Path, source: &str) -> Result<FileContext, String> {
        let config = self.config(path)?;
        let directive = workspace::directive(source).unwrap_or_default();
        let version = self
            .options
            .halon
            .or(directive.halon)
            .or(config.project.halon)
            .unwrap_or_default();
        let project = self.project(path, &config);
        let own = workspace::hook_from_path(path);
        let (role, hooks) = if let Some(h) = self.options.hook.or(directive.hook).or(own) {
            let role = if own.is_some() || project.workspace.is_none() {
                Role::Hook
            } else {
                Role::Shared
            };
            (role, vec![Some(h)])
        } else {
            let key = key(path);
            let graphs = self.graphs(&project, &config);
            let mut hooks: Vec<Option<Hook>> = graphs
                .iter()
                .filter_map(|g| g.hooks_of(&key))
                .flatten()
                .map(|&h| Some(h))
                .collect();
            hooks.sort();
            hooks.dedup();
            if !hooks.is_empty() {
                (Role::Shared, hooks)
            } else if graphs.is_empty() {
                (Role::Plain, vec![None])
            } else {
                (Role::Unhooked, vec![None])
            }
        };
        let catalog = self.catalog(version, &project);
        Ok(FileContext {
            role,
            hooks,
            version,
            catalog,
            project,
        })
    }

    /// The indices of `paths` by the workspace (or, outside one, the
    /// project) each file is in, in the order of their first files: a run
    /// checks a workspace's files together, after [`Checker::prepare`],
    /// so that its scripts are parsed once and freed as they are checked.
    pub fn by_workspace<P: AsRef<Path> + Sync>(&self, paths: &[P]) -> Vec<Vec<usize>> {
        // The first look-ups of each folder are most of the time: on all
        // threads.
        let homes: Vec<Home> = paths
            .par_iter()
            .map(|path| home(&self.project_of(path.as_ref())))
            .collect();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut index = HashMap::default();
        for (i, home) in homes.into_iter().enumerate() {
            let g = *index.entry(home).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
        groups
    }

    /// Builds the includers graphs that checking `paths` (the files of one
    /// workspace) needs, before a run checks them on all threads: each
    /// graph loads (parses) the scripts of its workspace on all threads,
    /// which the checks then reuse. Built by the first check that needs it
    /// instead, a graph is built by one thread while the others wait for
    /// it or build it too.
    pub fn prepare<P: AsRef<Path>>(&self, paths: &[P]) {
        if self.options.hook.is_some() {
            return;
        }
        let mut seen = HashSet::default();
        for path in paths {
            let path = path.as_ref();
            // A hook's script is checked in its own hook, without a graph.
            if workspace::hook_from_path(path).is_some() {
                continue;
            }
            let Ok(config) = self.config(path) else {
                continue;
            };
            let project = self.project(path, &config);
            if seen.insert(home(&project)) {
                self.graphs(&project, &config);
            }
        }
    }

    /// Every diagnostic of one file: syntax, then (if the syntax is sound)
    /// the semantic rules in each of the file's contexts, after
    /// configuration, `--select`/`--ignore` and suppression comments.
    pub fn check(&self, path: &Path, source: &str) -> Result<Vec<Diagnostic>, String> {
        // The context first: building the includers graph of the workspace
        // parses its files, this one too when `source` is what it holds.
        let ctx = self.context(path, source)?;
        let key = key(path);
        let cached = (self.parsed.lock().expect("cache lock"))
            .get(&key)
            .cloned()
            .flatten();
        let project = ctx.project.clone();
        let found = match cached.as_deref().filter(|l| *l.text == source) {
            Some(Loaded {
                program: Tree::Owned(program),
                syntax: Some(syntax),
                ..
            }) => {
                let syntax = syntax.clone();
                self.check_in(path, source, program, syntax, ctx, Keep::NOTHING)
            }
            _ => {
                let parse = hsl_syntax::parse(source);
                self.check_in(
                    path,
                    source,
                    &parse.program,
                    parse.diagnostics,
                    ctx,
                    Keep::NOTHING,
                )
            }
        };
        // No script of the workspace needs this file's tree again: dropping
        // it keeps the memory of a run over many files small.
        if self.needed_by_none(&project, &key) {
            self.parsed.lock().expect("cache lock").remove(&key);
        }
        found
    }

    /// Whether the includers graph of `project`'s workspace is built and
    /// no script of it includes or imports `file`.
    fn needed_by_none(&self, project: &Project, file: &Path) -> bool {
        let Some(ws) = &project.workspace else {
            return false;
        };
        (self.includers.lock().expect("cache lock"))
            .get(ws)
            .is_some_and(|graph| !graph.is_dependency(file))
    }

    /// [`Checker::check`] of a file already parsed into `program` with the
    /// syntax diagnostics `syntax` (the language server parses each version
    /// once for every request).
    pub fn check_parsed(
        &self,
        path: &Path,
        source: &str,
        program: &Program,
        syntax: Vec<Diagnostic>,
    ) -> Result<Vec<Diagnostic>, String> {
        let ctx = self.context(path, source)?;
        self.check_in(path, source, program, syntax, ctx, Keep::NOTHING)
    }

    /// [`Checker::check_parsed`] that keeps the model of the file's first
    /// context in `kept` for editor requests, unless one is there already
    /// (the check builds its own: what the file includes may have changed).
    /// It is the model [`Checker::model`] makes. `stop` is asked as the
    /// check goes: once it answers true (the editor has a newer version),
    /// the check ends early with an incomplete result and keeps no model;
    /// what it kept for the next version's check stays valid.
    pub fn check_keeping(
        &self,
        path: &Path,
        buffer: Buffer,
        syntax: Vec<Diagnostic>,
        kept: &OnceLock<model::Model>,
        stop: Stop,
    ) -> Result<Vec<Diagnostic>, String> {
        let ctx = self.context(path, buffer.text)?;
        let keep = Keep {
            editor: Some((buffer, kept)),
            stop,
        };
        self.check_in(path, buffer.text, buffer.program, syntax, ctx, keep)
    }

    /// [`Checker::check_keeping`] in the context `ctx` of the file.
    fn check_in(
        &self,
        path: &Path,
        source: &str,
        program: &Program,
        syntax: Vec<Diagnostic>,
        ctx: FileContext,
        keep: Keep,
    ) -> Result<Vec<Diagnostic>, String> {
        let stop = keep.stop;
        let mut out = syntax;
        if let Err(message) = workspace::directive(source) {
            let end = source.find('\n').unwrap_or(source.len());
            out.push(
                Diagnostic::error(codes::BAD_DIRECTIVE, hsl_syntax::Span::new(0, end), message)
                    .with_label("in this directive")
                    .with_help("write `// hsl: hook=rcptto halon=6` (both parts optional)")
                    .with_fix(rules::bad_directive::hook_fix(source)),
            );
        }
        out.extend(rules::bad_directive::misplaced(source));
        if let Some(d) = self.unused_hook(path, source, &ctx) {
            out.push(d);
        }
        if !out.iter().any(|d| d.severity == Severity::Error) {
            let mut seen: HashMap<(&'static str, hsl_syntax::Span, String), usize> =
                HashMap::default();
            let absolute = workspace::absolute(path);
            let file = key(path);
            let own;
            let declared = match keep.editor {
                Some((buffer, _)) => buffer.declared,
                None => {
                    own = Declared::of(program, source);
                    &own
                }
            };
            if stop() {
                return Ok(out);
            }
            for (i, &hook) in ctx.hooks.iter().enumerate() {
                let mut found = Vec::new();
                let env = env::build(program, declared, &absolute, &ctx, hook, self, &mut found);
                if stop() {
                    return Ok(out);
                }
                let subject = Subject {
                    path: &file,
                    hook,
                    source,
                    shared: keep.editor.map(|(buffer, _)| buffer.text),
                    program,
                    declared,
                    env: &env,
                };
                let model = self.parts.check(subject, &mut found, stop);
                if stop() {
                    return Ok(out);
                }
                rules::check_file(&subject.input(&model), &mut found);
                if let (0, Some((_, kept))) = (i, keep.editor) {
                    let _ = kept.set(model);
                }
                // A shared file checked in several hooks reports each finding
                // once, with a fix only when every hook agrees on it.
                for d in found {
                    match seen.entry((d.code, d.span, d.message.clone())) {
                        Entry::Vacant(e) => {
                            e.insert(out.len());
                            out.push(d);
                        }
                        Entry::Occupied(e) if out[*e.get()].fix != d.fix => {
                            out[*e.get()].fix = None
                        }
                        Entry::Occupied(_) => {}
                    }
                }
            }
        }
        let config = self.config(path)?;
        let known = |code: &str| {
            hsl_syntax::codes::ALL.contains(&code) || rules::ALL.iter().any(|r| r.code == code)
        };
        let suppressions = Suppressions::scan(source, known);
        let index = std::cell::OnceCell::new();
        for (span, code) in &suppressions.unknown {
            out.push(
                Diagnostic::warning(
                    codes::UNKNOWN_SUPPRESSION,
                    *span,
                    format!("no diagnostic has the code `{code}`"),
                )
                .with_label("unknown code")
                .with_help("codes look like HSL107; `hsl explain CODE` describes one"),
            );
        }
        let mut kept: Vec<Diagnostic> = out
            .into_iter()
            .filter_map(|d| self.configured(&config, d))
            .filter(|d| {
                // Lines are counted only for a file with something to report.
                !suppressions.silences(d, index.get_or_init(|| LineIndex::new(source)))
            })
            .collect();
        kept.sort_by_key(|d| (d.span.start, d.span.end, d.code));
        Ok(kept)
    }

    /// The semantic model of `program` (the parse of `source`, the file at
    /// `path`) in the first of its contexts, for editors: its scopes,
    /// declarations and the classes of its variables. Follows the file's
    /// includes and imports but checks nothing; a file whose configuration
    /// cannot be read is modelled as a plain file.
    pub fn model(&self, path: &Path, source: &str, program: &Program) -> model::Model {
        let ctx = self.context(path, source).unwrap_or_else(|_| FileContext {
            role: Role::Plain,
            hooks: vec![None],
            version: HalonVersion::default(),
            catalog: Catalog::get(HalonVersion::default()),
            project: self.project_of(path),
        });
        let absolute = workspace::absolute(path);
        let hook = ctx.hooks.first().copied().flatten();
        let declared = Declared::of(program, source);
        let env = env::build(
            program,
            &declared,
            &absolute,
            &ctx,
            hook,
            self,
            &mut Vec::new(),
        );
        self.parts.model(Subject {
            path: &key(path),
            hook,
            source,
            shared: None,
            program,
            declared: &declared,
            env: &env,
        })
    }

    /// HSL121 for a `src/hooks/<hook>/<id>.hsl` whose id no server of the
    /// workspace's `smtpd-app.yaml` refers to in that phase (queue hooks are
    /// global); a note for a file of the workspace that no hook reaches.
    fn unused_hook(&self, path: &Path, source: &str, ctx: &FileContext) -> Option<Diagnostic> {
        let end = source.find('\n').unwrap_or(source.len());
        if ctx.role == Role::Unhooked {
            return Some(
                Diagnostic::new(
                    codes::UNUSED_HOOK,
                    Severity::Hint,
                    hsl_syntax::Span::new(0, end),
                    "no hook script includes or imports this file",
                )
                .with_label("checked against the core library; the functions of every hook are accepted")
                .with_help("include it from a hook script, or name its hook on line 1: `// hsl: hook=rcptto`"),
            );
        }
        let hook = workspace::hook_from_path(path)?;
        if matches!(hook, Hook::PreDelivery | Hook::PostDelivery) {
            return None;
        }
        let root = ctx.project.workspace.as_ref()?;
        // Surveyed with the workspace's project, unless another thread is
        // surveying it still.
        let cached = self.hook_ids.lock().expect("cache lock").get(root).cloned();
        let ids = match cached {
            Some(ids) => ids,
            None => workspace::smtpd::survey(root).hook_ids.map(Arc::new),
        }?;
        let id = path.file_stem()?.to_str()?.to_string();
        if ids.contains(&(Some(hook), id.clone())) || ids.contains(&(None, id.clone())) {
            return None;
        }
        Some(
            Diagnostic::warning(
                codes::UNUSED_HOOK,
                hsl_syntax::Span::new(0, end),
                format!("no server in smtpd-app.yaml uses the {hook} hook `{id}`"),
            )
            .with_label("this script never runs")
            .with_help(format!(
                "refer to it as `hook: {id}` in a server's {hook} phase, or delete it"
            )),
        )
    }

    /// Where the ids of `path` resolve (`config` is in effect there).
    fn project(&self, path: &Path, config: &Config) -> Arc<Project> {
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        // As `Project::folder`, without looking whether `path` is a folder:
        // the checked paths are files.
        let folder = workspace::absolute_normalized(&dir);
        self.project_at(dir, &folder, config)
    }

    /// The project of the absolute, normalized `folder` (as
    /// [`Project::discover`]), cached under `key`; each place is looked at
    /// once per run, and so is the configuration of its workspace.
    fn project_at(&self, key: PathBuf, folder: &Path, config: &Config) -> Arc<Project> {
        if let Some(found) = self.projects.lock().expect("cache lock").get(&key) {
            return found.clone();
        }
        let origin = (self.ancestry.place(folder), config.project.file.clone());
        let cached = self
            .places
            .lock()
            .expect("cache lock")
            .get(&origin)
            .cloned();
        // Read outside the locks: the other threads keep checking meanwhile.
        let project = match cached {
            Some(project) => project,
            None => {
                let project = Project::at(&origin.0, &config.project);
                // A run reads the files as they are when it starts; an
                // editor's checker (its checks kept) sees them come and go.
                let project = if self.parts.keeps() {
                    project
                } else {
                    project.remembering()
                };
                let project = Arc::new(project);
                self.places
                    .lock()
                    .expect("cache lock")
                    .entry(origin)
                    .or_insert(project)
                    .clone()
            }
        };
        if let Some(ws) = &project.workspace {
            let first = self
                .malformed
                .lock()
                .expect("cache lock")
                .0
                .insert(ws.clone());
            if first {
                let survey = workspace::smtpd::survey(ws);
                (self.hook_ids.lock().expect("cache lock"))
                    .insert(ws.clone(), survey.hook_ids.map(Arc::new));
                (self.malformed.lock().expect("cache lock"))
                    .1
                    .extend(survey.malformed);
            }
        }
        self.projects
            .lock()
            .expect("cache lock")
            .insert(key, project.clone());
        project
    }

    /// HSL122 for every malformed configuration file (`smtpd.yaml`,
    /// `smtpd-app.yaml`) and plugin declaration file met while checking,
    /// after `--select`/`--ignore` and the rule levels of `hsl.toml`.
    pub fn config_reports(&self) -> Vec<ConfigReport> {
        let found = self.malformed.lock().expect("cache lock").1.clone();
        let mut reports: Vec<ConfigReport> = Vec::new();
        for m in found {
            let source = std::fs::read(&m.file)
                .map(|b| hsl_syntax::decode(&b).0.into_owned())
                .unwrap_or_default();
            let at = m.offset(&source);
            let d = Diagnostic::error(
                codes::MALFORMED_CONFIG,
                hsl_syntax::Span::new(at, at),
                m.message.clone(),
            )
            .with_label("cannot be read from here")
            .with_help(if m.file.extension().is_some_and(|e| e == "json") {
                "fix the JSON: its declarations are not known until then"
            } else {
                "fix the YAML: until then hook ids and `scripting.rootpath` are not known"
            });
            let config = self.config(&m.file).unwrap_or_default();
            let Some(d) = self.configured(&config, d) else {
                continue;
            };
            match reports.iter_mut().find(|r| r.path == m.file) {
                Some(r) => r.diagnostics.push(d),
                None => reports.push(ConfigReport {
                    path: m.file,
                    source,
                    diagnostics: vec![d],
                }),
            }
        }
        reports.sort_by(|a, b| a.path.cmp(&b.path));
        reports
    }

    /// `d` after the rule levels of `config` and `--select`/`--ignore`
    /// (`None`: not reported).
    fn configured(&self, config: &Config, mut d: Diagnostic) -> Option<Diagnostic> {
        d.severity = config.severity(d.code, d.severity)?;
        let listed = |codes: &[String]| codes.iter().any(|c| c.eq_ignore_ascii_case(d.code));
        let selected = self.options.select.is_empty() || listed(&self.options.select);
        (selected && !listed(&self.options.ignore)).then_some(d)
    }

    /// The catalog of `version` with the plugin declarations `project`
    /// sees (one per distinct set of declaration files, kept for the run).
    fn catalog(&self, version: HalonVersion, project: &Project) -> &'static Catalog {
        let cached = (self.plugin_files.lock().expect("cache lock"))
            .get(&project.plugins)
            .cloned();
        let files = cached.unwrap_or_else(|| {
            // Listed outside the lock: the other threads keep checking.
            let files = Plugins::files(&project.plugins);
            self.plugin_files
                .lock()
                .expect("cache lock")
                .insert(project.plugins.clone(), files.clone());
            files
        });
        if files.is_empty() {
            return Catalog::get(version);
        }
        self.catalogs
            .lock()
            .expect("cache lock")
            .entry((version, files))
            .or_insert_with_key(|(_, files)| {
                let plugins = Plugins::load(files);
                let mut malformed = self.malformed.lock().expect("cache lock");
                for e in &plugins.errors {
                    if !malformed.1.contains(e) {
                        malformed.1.push(e.clone());
                    }
                }
                let extended =
                    Catalog::get(version).with_plugins(&plugins.functions, &plugins.classes);
                Box::leak(Box::new(extended))
            })
    }

    /// Who includes or imports whom in the workspace of `path` (`None`
    /// outside a workspace): the language server rechecks the dependents of
    /// an edited file.
    pub fn includers(&self, path: &Path) -> Option<Arc<Graph>> {
        self.graph(&self.project_of(path))
    }

    /// Where the `include` and `import` ids of `path` resolve.
    pub fn project_of(&self, path: &Path) -> Arc<Project> {
        let config = self.config(path).unwrap_or_default();
        self.project(path, &config)
    }

    /// The includers graphs that may reach a file of `project` (whose
    /// configuration is `config`): its workspace's, or outside a workspace
    /// those of the dev-container workspaces of its project (a plugin
    /// repository keeps its scripts at the root and its workspace in
    /// `.devcontainer/`).
    fn graphs(&self, project: &Project, config: &Config) -> Vec<Arc<Graph>> {
        if project.workspace.is_some() {
            return self.graph(project).into_iter().collect();
        }
        let Some(root) = &project.root else {
            return Vec::new();
        };
        workspace::devcontainer_workspaces(root)
            .into_iter()
            .filter_map(|ws| {
                let project = self.project_at(ws.clone(), &ws, config);
                self.graph(&project)
            })
            .collect()
    }

    /// The includers graph of `project`'s workspace, built once per change.
    fn graph(&self, project: &Project) -> Option<Arc<Graph>> {
        let root = project.workspace.clone()?;
        if let Some(found) = self.includers.lock().expect("cache lock").get(&root) {
            return Some(found.clone());
        }
        let generation = self.generation.load(Ordering::Acquire);
        let uses = |p: &Path| self.with_tree(p, |loaded| loaded.uses().cloned());
        let graph = Arc::new(Graph::build(project, &uses));
        let mut cache = self.includers.lock().expect("cache lock");
        if self.generation.load(Ordering::Acquire) == generation {
            cache.insert(root, graph.clone());
        }
        Some(graph)
    }
}
