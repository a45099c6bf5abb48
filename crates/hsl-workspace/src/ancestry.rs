//! The upward look-ups of a run (a folder's workspace, project root and
//! nearest `hsl.toml`) answered from what each folder holds, looked at once:
//! checking many files of one tree costs a few `stat` calls per folder
//! instead of several per file and ancestor.

use crate::config::holds_config;
use crate::layout::is_workspace;
use crate::paths::PathMap;
use crate::resolve::{holds_devcontainer, holds_git, Place};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What a folder holds that the look-ups ask about.
#[derive(Clone, Copy, Debug)]
struct Marks {
    workspace: bool,
    config: bool,
    devcontainer: bool,
    project_root: bool,
}

impl Marks {
    /// What `dir` holds (each thing looked at once).
    fn of(dir: &Path) -> Marks {
        let config = holds_config(dir);
        let devcontainer = holds_devcontainer(dir);
        Marks {
            workspace: is_workspace(dir),
            config,
            devcontainer,
            // As `is_project_root`, without looking twice.
            project_root: config || devcontainer || holds_git(dir),
        }
    }
}

/// The nearest folders at or above one folder that hold each mark.
#[derive(Clone, Debug, Default)]
struct Nearest {
    workspace: Option<PathBuf>,
    config: Option<PathBuf>,
    devcontainer: Option<PathBuf>,
    project_root: Option<PathBuf>,
}

/// The folders looked at so far, with the answers for each. Share one for a
/// run: a folder is looked at once, so files created in it afterwards are
/// not seen.
#[derive(Debug, Default)]
pub struct Ancestry {
    found: Mutex<PathMap<Nearest>>,
}

impl Ancestry {
    /// The nearest marked folders at or above `dir`, from what its parent's
    /// answers and what `dir` holds (looked at the first time only, outside
    /// the lock: other threads keep going meanwhile).
    fn nearest(&self, dir: &Path) -> Nearest {
        if let Some(n) = self.found.lock().expect("ancestry lock").get(dir) {
            return n.clone();
        }
        let above = dir.parent().map(|p| self.nearest(p)).unwrap_or_default();
        let marks = Marks::of(dir);
        let here = |held: bool, above: Option<PathBuf>| {
            if held {
                Some(dir.to_path_buf())
            } else {
                above
            }
        };
        let n = Nearest {
            workspace: here(marks.workspace, above.workspace),
            config: here(marks.config, above.config),
            devcontainer: here(marks.devcontainer, above.devcontainer),
            project_root: here(marks.project_root, above.project_root),
        };
        self.found
            .lock()
            .expect("ancestry lock")
            .insert(dir.to_path_buf(), n.clone());
        n
    }

    /// Forgets the folders looked at (after files changed on disk).
    pub fn forget(&self) {
        self.found.lock().expect("ancestry lock").clear();
    }

    /// [`crate::config::nearest`] of the file `file`: the nearest `hsl.toml`
    /// at or above its folder (whether `file` is a folder is not looked at).
    pub fn config_file(&self, file: &Path) -> Option<PathBuf> {
        let dir = file.parent().unwrap_or(Path::new("."));
        (self.nearest(&crate::absolute(dir)).config).map(|d| d.join("hsl.toml"))
    }

    /// [`Place::of`] the absolute, normalized folder `dir`.
    pub fn place(&self, dir: &Path) -> Place {
        let n = self.nearest(dir);
        Place {
            root: n.project_root.or_else(|| n.workspace.clone()),
            devcontainer_home: n.devcontainer,
            workspace: n.workspace,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_as_the_direct_look_ups() {
        let root = std::env::temp_dir().join(format!("hsl-ancestry-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for dir in [
            "repo/.git",
            "repo/ws/src/hooks/rcptto",
            "repo/ws/src/files/lib",
        ] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        std::fs::write(root.join("repo/hsl.toml"), "").unwrap();
        let ancestry = Ancestry::default();
        for dir in [
            "repo/ws/src/hooks/rcptto",
            "repo/ws/src/files/lib",
            "repo/ws",
            "repo",
        ] {
            let dir = root.join(dir);
            assert_eq!(ancestry.place(&dir), Place::of(&dir), "{}", dir.display());
            let file = dir.join("a.hsl");
            assert_eq!(
                ancestry.config_file(&file),
                crate::config::nearest(&file),
                "{}",
                file.display()
            );
        }
        assert_eq!(
            ancestry
                .place(&root.join("repo/ws/src/files/lib"))
                .workspace,
            Some(root.join("repo/ws"))
        );
        assert_eq!(
            ancestry.config_file(&root.join("repo/ws/x.hsl")),
            Some(root.join("repo/hsl.toml"))
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
