//! The one resolver of `include`/`import` ids, following Halon's
//! conventions:
//!
//! - `file://X` and plain ids point into the files root: `rootpath` of
//!   `hsl.toml`, else `scripting.rootpath` of the workspace's
//!   `src/config/smtpd.yaml` (a dev-container path `/workspaces/<name>/…`
//!   that does not exist here maps to the folder holding `.devcontainer/`),
//!   else the workspace's `src/files`, else the project root; plain ids are
//!   also tried next to the including file;
//! - `./x` and `../x` are relative to the including file;
//! - loader prefixes such as `txt!` are not part of the path;
//! - `extras://name` is a module of Halon's module folder
//!   (`/opt/halon/plugins/hsl`) or of an `extras` folder of `hsl.toml`;
//! - an id naming a directory means its `main.hsl`, an id without
//!   extension may leave out `.hsl`;
//! - nothing outside the project root is read.

use crate::config::{holds_config, Config};
use crate::layout::{normalize, workspace_root};
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Halon's folder of installed `extras://` modules.
pub const HALON_EXTRAS: &str = "/opt/halon/plugins/hsl";

/// Where an `include`/`import` id points, or why it cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the project.
    File(PathBuf),
    /// An `extras://` module that is not installed here (its names are
    /// not known, so it is not checked).
    Extras(String),
    /// Not found; the candidates that were tried.
    Missing(Vec<PathBuf>),
    /// The path leaves the project root (absolute, or too many `..`).
    Outside(PathBuf),
}

/// Where the ids of one file resolve: its workspace, project root and
/// files root, and the folders that hold extras modules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Project {
    /// The Halon workspace (the folder holding `src/hooks`, `src/files` or
    /// `src/config`), if the file is in one.
    pub workspace: Option<PathBuf>,
    /// The project root: the nearest folder holding `hsl.toml`,
    /// `.devcontainer/` or `.git` (else the workspace). Nothing outside it
    /// is read.
    pub root: Option<PathBuf>,
    /// Where `file://` and plain ids point.
    pub files: Option<PathBuf>,
    /// Folders holding `extras://` modules.
    pub extras: Vec<PathBuf>,
    /// Folders holding plugin declarations (`*.functions.json`,
    /// `*.classes.json`): Halon's, the `plugins` of `hsl.toml`, the project
    /// root.
    pub plugins: Vec<PathBuf>,
    /// What ids resolved to, when kept ([`Project::remembering`]).
    resolved: Resolved,
}

/// The targets of the ids resolved so far, by the including file's folder
/// and the id; none are kept unless asked. A copy of a project starts
/// empty, and two projects are equal whatever they have resolved.
#[derive(Debug, Default)]
struct Resolved(Option<Mutex<FxHashMap<(PathBuf, String), Target>>>);

impl Clone for Resolved {
    fn clone(&self) -> Self {
        Resolved(self.0.as_ref().map(|_| Mutex::default()))
    }
}

impl PartialEq for Resolved {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Resolved {}

/// The nearest folder at or above `dir` holding `hsl.toml`, `.devcontainer/`
/// or `.git`.
pub fn project_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| is_project_root(d))
        .map(Path::to_path_buf)
}

/// Whether `dir` holds `hsl.toml`, `.devcontainer/` or `.git`.
pub(crate) fn is_project_root(dir: &Path) -> bool {
    holds_config(dir) || holds_devcontainer(dir) || holds_git(dir)
}

/// Whether `dir` holds `.git` (a folder, or a file in a linked worktree).
pub(crate) fn holds_git(dir: &Path) -> bool {
    dir.join(".git").exists()
}

/// Whether `dir` holds a `.devcontainer/` folder.
pub(crate) fn holds_devcontainer(dir: &Path) -> bool {
    dir.join(".devcontainer").is_dir()
}

/// Where a folder sits: what the upward look-ups of [`Project::discover`]
/// find from it ([`crate::Ancestry::place`] answers them for many folders).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Place {
    /// The Halon workspace around the folder.
    pub workspace: Option<PathBuf>,
    /// The project root (else the workspace).
    pub root: Option<PathBuf>,
    /// The nearest folder holding `.devcontainer/`.
    pub devcontainer_home: Option<PathBuf>,
}

impl Place {
    /// The place of the absolute, normalized folder `dir`.
    pub fn of(dir: &Path) -> Place {
        let workspace = workspace_root(dir);
        Place {
            root: project_root(dir).or_else(|| workspace.clone()),
            devcontainer_home: dir
                .ancestors()
                .find(|d| holds_devcontainer(d))
                .map(Path::to_path_buf),
            workspace,
        }
    }
}

impl Project {
    /// The project of the file (or folder) `path`, with the `hsl.toml`
    /// settings `config` in effect there.
    pub fn discover(path: &Path, config: &Config) -> Project {
        Project::at(&Place::of(&Project::folder(path)), config)
    }

    /// The absolute, normalized folder of the file (or folder) `path`.
    pub fn folder(path: &Path) -> PathBuf {
        let absolute = crate::absolute_normalized(path);
        if absolute.is_dir() {
            absolute
        } else {
            absolute.parent().unwrap_or(Path::new("/")).to_path_buf()
        }
    }

    /// The project of a folder at `place`, with the `hsl.toml` settings
    /// `config` in effect there.
    pub fn at(place: &Place, config: &Config) -> Project {
        let Place {
            workspace,
            root,
            devcontainer_home,
        } = place.clone();
        let files = config
            .rootpath
            .clone()
            .or_else(|| {
                let written = crate::smtpd::scripting_rootpath(workspace.as_deref()?)?;
                let written = Path::new(&written);
                if written.is_dir() {
                    return Some(normalize(written));
                }
                // `/workspaces/<name>/rest` inside a dev container.
                let rest = written.strip_prefix("/workspaces").ok()?;
                let rest: PathBuf = rest.components().skip(1).collect();
                Some(normalize(&devcontainer_home?.join(rest)))
            })
            .or_else(|| workspace.as_ref().map(|w| w.join("src/files")))
            .or_else(|| root.clone());
        let mut extras = config.extras.clone();
        if Path::new(HALON_EXTRAS).is_dir() {
            extras.push(PathBuf::from(HALON_EXTRAS));
        }
        let mut plugins: Vec<PathBuf> = Path::new(crate::plugins::HALON_PLUGINS)
            .is_dir()
            .then(|| PathBuf::from(crate::plugins::HALON_PLUGINS))
            .into_iter()
            .chain(config.plugins.iter().cloned())
            .chain(root.clone())
            .collect();
        plugins.dedup();
        Project {
            workspace,
            root,
            files,
            extras,
            plugins,
            resolved: Resolved::default(),
        }
    }

    /// This project, keeping what each id resolves to for later look-ups
    /// (one file system look per id and folder): for a run that reads the
    /// files as they are when it starts, not for an editor's session, in
    /// which files come and go.
    pub fn remembering(mut self) -> Project {
        self.resolved = Resolved(Some(Mutex::default()));
        self
    }

    /// Whether `path` (normalized) may be read: it is in the project root or
    /// the files root (anything, when there is no project).
    pub fn contains(&self, path: &Path) -> bool {
        match (&self.root, &self.files) {
            (None, None) => true,
            (root, files) => [root, files]
                .into_iter()
                .flatten()
                .any(|r| path.starts_with(r)),
        }
    }

    /// Resolves the id `spec` written in the file `from`.
    pub fn resolve(&self, spec: &str, from: &Path) -> Target {
        let Some(resolved) = &self.resolved.0 else {
            return self.look_up(spec, from);
        };
        let here = from.parent().unwrap_or(Path::new("."));
        let key = (here.to_path_buf(), spec.to_string());
        if let Some(target) = resolved.lock().expect("resolved lock").get(&key) {
            return target.clone();
        }
        let target = self.look_up(spec, from);
        (resolved.lock().expect("resolved lock")).insert(key, target.clone());
        target
    }

    /// [`Project::resolve`] by looking at the files.
    fn look_up(&self, spec: &str, from: &Path) -> Target {
        let spec = strip_loader(spec);
        if let Some(name) = spec.strip_prefix("extras://") {
            let found = self.extras.iter().find_map(|dir| {
                let module = dir.join(name);
                [
                    module.join("main.hsl"),
                    module.with_extension("hsl"),
                    module,
                ]
                .into_iter()
                .find(|p| p.is_file())
            });
            return match found {
                Some(file) => Target::File(normalize(&file)),
                None => Target::Extras(name.to_string()),
            };
        }
        let here = from.parent().unwrap_or(Path::new("."));
        let files = self.files.as_deref().unwrap_or(here);
        let mut candidates: Vec<PathBuf> = Vec::new();
        if let Some(rel) = spec.strip_prefix("file://") {
            candidates.push(files.join(rel));
        } else if spec.starts_with("./") || spec.starts_with("../") || Path::new(spec).is_absolute()
        {
            candidates.push(here.join(spec));
        } else {
            let id = spec.strip_prefix("file:").unwrap_or(spec);
            candidates.push(files.join(id));
            candidates.push(here.join(id));
        }
        let mut tried = Vec::new();
        let mut outside = None;
        for c in candidates {
            let c = normalize(&c);
            // The project's folders are absolute; `from` may be relative.
            let absolute = crate::absolute_normalized(&c);
            if !self.contains(&absolute) {
                outside.get_or_insert(c);
                continue;
            }
            for option in [c.clone(), c.with_extension("hsl"), c.join("main.hsl")] {
                if option.is_file() {
                    return Target::File(option);
                }
            }
            if !tried.contains(&c) {
                tried.push(c);
            }
        }
        match outside {
            Some(path) => Target::Outside(path),
            None => Target::Missing(tried),
        }
    }
}

/// `spec` without a loader prefix such as `txt!`.
pub fn strip_loader(spec: &str) -> &str {
    match spec.split_once('!') {
        Some((loader, rest))
            if !loader.is_empty() && loader.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            rest
        }
        _ => spec,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder with the given files (empty), removed when dropped.
    struct Tree(PathBuf);

    impl Tree {
        fn new(name: &str, files: &[&str]) -> Tree {
            let dir =
                std::env::temp_dir().join(format!("hsl-resolve-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            for f in files {
                let path = dir.join(f);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                if !f.ends_with('/') {
                    std::fs::write(&path, "").unwrap();
                }
            }
            Tree(dir)
        }
    }

    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn a_remembering_project_looks_once_per_id_and_folder() {
        let t = Tree::new(
            "remember",
            &[".git/", "src/hooks/rcptto/in.hsl", "src/files/data.txt"],
        );
        let hook = t.0.join("src/hooks/rcptto/in.hsl");
        let plain = Project::discover(&hook, &Config::default());
        let run = plain.clone().remembering();
        assert_eq!(
            plain, run,
            "what is remembered does not tell projects apart"
        );
        let missing = run.resolve("lib", &hook);
        assert!(matches!(missing, Target::Missing(_)), "{missing:?}");
        // The file appears after the first look: the run's project answers
        // as it did, a plain project (an editor's) sees it.
        let lib = t.0.join("src/files/lib.hsl");
        std::fs::write(&lib, "").unwrap();
        assert_eq!(run.resolve("lib", &hook), missing);
        assert_eq!(plain.resolve("lib", &hook), Target::File(lib.clone()));
        // Another folder's look-up of the id is its own.
        let other = t.0.join("src/hooks/helo/in.hsl");
        assert_eq!(run.resolve("lib", &other), Target::File(lib));
    }

    #[test]
    fn loader_prefixes() {
        assert_eq!(strip_loader("txt!keys/a.key"), "keys/a.key");
        assert_eq!(strip_loader("file://x.hsl"), "file://x.hsl");
        assert_eq!(strip_loader("odd!name"), "name");
        assert_eq!(strip_loader("a/b!c"), "a/b!c");
    }

    #[test]
    fn workspace_ids() {
        let t = Tree::new(
            "ws",
            &[
                ".git/",
                "src/hooks/rcptto/in.hsl",
                "src/files/lib.hsl",
                "src/files/mod/main.hsl",
                "src/files/data.txt",
                "outside.hsl",
            ],
        );
        let hook = t.0.join("src/hooks/rcptto/in.hsl");
        let p = Project::discover(&hook, &Config::default());
        assert_eq!(p.workspace.as_deref(), Some(t.0.as_path()));
        assert_eq!(p.root.as_deref(), Some(t.0.as_path()));
        let files = t.0.join("src/files");
        assert_eq!(p.resolve("lib", &hook), Target::File(files.join("lib.hsl")));
        assert_eq!(
            p.resolve("file://lib.hsl", &hook),
            Target::File(files.join("lib.hsl"))
        );
        assert_eq!(
            p.resolve("mod", &hook),
            Target::File(files.join("mod/main.hsl"))
        );
        assert_eq!(
            p.resolve("txt!data.txt", &hook),
            Target::File(files.join("data.txt"))
        );
        assert_eq!(
            p.resolve("../../../outside.hsl", &hook),
            Target::File(t.0.join("outside.hsl"))
        );
        assert_eq!(
            p.resolve("../../../../etc/passwd", &hook),
            Target::Outside(t.0.parent().unwrap().join("etc/passwd"))
        );
        assert_eq!(
            p.resolve("/etc/passwd", &hook),
            Target::Outside(PathBuf::from("/etc/passwd"))
        );
        assert!(matches!(p.resolve("nope.hsl", &hook), Target::Missing(t) if t.len() == 2));
        assert_eq!(
            p.resolve("extras://ldap", &hook),
            Target::Extras("ldap".into())
        );
    }

    #[test]
    fn dev_container_rootpath() {
        let t = Tree::new(
            "devcontainer",
            &[
                ".devcontainer/smtpd/src/hooks/connect/in.hsl",
                ".devcontainer/smtpd/src/config/smtpd.yaml",
                "plugin.hsl",
                "extras/ldap/main.hsl",
            ],
        );
        std::fs::write(
            t.0.join(".devcontainer/smtpd/src/config/smtpd.yaml"),
            "scripting:\n  rootpath: /workspaces/halon-extras-thing\n",
        )
        .unwrap();
        let hook = t.0.join(".devcontainer/smtpd/src/hooks/connect/in.hsl");
        let config = Config {
            extras: vec![t.0.join("extras")],
            ..Config::default()
        };
        let p = Project::discover(&hook, &config);
        assert_eq!(p.files.as_deref(), Some(t.0.as_path()));
        assert_eq!(p.root.as_deref(), Some(t.0.as_path()));
        assert_eq!(
            p.resolve("file://plugin.hsl", &hook),
            Target::File(t.0.join("plugin.hsl"))
        );
        assert_eq!(
            p.resolve("extras://ldap", &hook),
            Target::File(t.0.join("extras/ldap/main.hsl"))
        );
        let overridden = Project::discover(
            &hook,
            &Config {
                rootpath: Some(t.0.join("extras")),
                ..Config::default()
            },
        );
        assert_eq!(
            overridden.resolve("file://ldap", &hook),
            Target::File(t.0.join("extras/ldap/main.hsl"))
        );
    }
}
