//! Finding the files named on the command line: directories are searched
//! as ripgrep and ruff search them (the `ignore` crate).

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Folders never searched: version control, build output, dependencies.
const SKIPPED_FOLDERS: &[&str] = &[".git", ".hg", ".svn", "target", "node_modules"];

/// The files found, and what could not be searched or was left out.
#[derive(Default)]
pub struct Collected {
    /// Files to check, sorted, each file once.
    pub files: Vec<PathBuf>,
    /// Paths that could not be searched (`error: …`, exit code 2).
    pub errors: Vec<String>,
    /// Paths deliberately not followed, with the reason (`warning: …`).
    pub skipped: Vec<String>,
}

/// Expands files and directories into a sorted list of files. A directory
/// contributes every file below it with one of `extensions`: hidden folders
/// such as `.devcontainer/` are searched, what `.gitignore` and `.ignore`
/// files exclude is not, nor `.git/`, `target/` and `node_modules/`;
/// symlinks are followed, except one that leads back to a folder being
/// searched. A file is taken as named, whatever its extension. A file named
/// twice (or reached by two paths) is listed once. A path that cannot be
/// searched is reported and the others are still searched. Folders are
/// searched on all of rayon's threads; what is reported does not depend on
/// their order.
pub fn collect(paths: &[PathBuf], extensions: &[&str]) -> Collected {
    let mut out = Collected::default();
    let mut found = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, extensions, &mut found, &mut out),
            Ok(meta) => found.push(Found {
                path: path.clone(),
                inode: inode(&meta),
            }),
            Err(e) => out
                .errors
                .push(format!("{}: {}", path.display(), io_reason(&e))),
        }
    }
    out.files = distinct(found);
    out
}

/// A file found, with its inode number when the listing or a look at it
/// gave one.
struct Found {
    path: PathBuf,
    inode: Option<u64>,
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    Some(meta.ino())
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> Option<u64> {
    None
}

/// The inode number the folder listing gave (what a followed symlink leads
/// to: the walk looked at it).
#[cfg(unix)]
fn listed_inode(entry: &ignore::DirEntry) -> Option<u64> {
    entry.ino()
}

#[cfg(not(unix))]
fn listed_inode(_: &ignore::DirEntry) -> Option<u64> {
    None
}

/// The paths of `found`, sorted, each file once. Only paths that may be one
/// file (the same inode number, or none known) are looked at: a tree
/// without links costs no `stat` per file.
fn distinct(found: Vec<Found>) -> Vec<PathBuf> {
    let mut found = sorted(found);
    found.dedup_by(|a, b| a.path == b.path);
    let mut inodes: HashMap<u64, usize> = HashMap::new();
    for f in &found {
        if let Some(ino) = f.inode {
            *inodes.entry(ino).or_default() += 1;
        }
    }
    let mut seen = HashSet::new();
    found
        .into_iter()
        .filter(|f| {
            let shared = f.inode.is_none_or(|ino| inodes[&ino] > 1);
            !shared || seen.insert(identity(&f.path))
        })
        .map(|f| f.path)
        .collect()
}

/// `found` in the order of `Path::cmp` (component by component), each path
/// turned once into a byte string that compares the same way.
fn sorted(found: Vec<Found>) -> Vec<Found> {
    let mut keyed: Vec<(Vec<u8>, Found)> =
        found.into_iter().map(|f| (order_key(&f.path), f)).collect();
    // Stable: of two spellings of one path, the first is kept.
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, f)| f).collect()
}

/// A byte string whose order is `Path::cmp`'s order of the paths: each
/// component is its kind (in the order of [`Component`]'s variants), its
/// bytes, then a zero byte, which sorts before every byte a name can hold.
fn order_key(path: &Path) -> Vec<u8> {
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for component in path.components() {
        let (kind, bytes): (u8, &[u8]) = match component {
            Component::Prefix(p) => (1, p.as_os_str().as_encoded_bytes()),
            Component::RootDir => (2, b""),
            Component::CurDir => (3, b""),
            Component::ParentDir => (4, b""),
            Component::Normal(name) => (5, name.as_encoded_bytes()),
        };
        key.push(kind);
        key.extend_from_slice(bytes);
        key.push(0);
    }
    key
}

/// What tells two paths of one file apart from two files: device and inode
/// (one `stat`), elsewhere the canonical path.
#[cfg(unix)]
fn identity(path: &Path) -> Result<(u64, u64), PathBuf> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path)
        .map(|m| (m.dev(), m.ino()))
        .map_err(|_| path.to_path_buf())
}

#[cfg(not(unix))]
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Adds the files below `dir` with one of `extensions` to `found`, and what
/// could not be searched to `out` (sorted: the threads meet them in any
/// order).
fn walk(dir: &Path, extensions: &[&str], found: &mut Vec<Found>, out: &mut Collected) {
    let shared = Mutex::new((Vec::new(), Collected::default()));
    ignore::WalkBuilder::new(dir)
        .hidden(false)
        .follow_links(true)
        .require_git(false)
        .git_global(false)
        .threads(rayon::current_num_threads())
        .filter_entry(|entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_dir
                && entry.depth() > 0
                && SKIPPED_FOLDERS.iter().any(|s| entry.file_name() == *s))
        })
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                let mut shared = shared.lock().expect("walk lock");
                match entry {
                    Ok(entry) => {
                        let wanted = entry.file_type().is_some_and(|t| !t.is_dir())
                            && entry
                                .path()
                                .extension()
                                .and_then(OsStr::to_str)
                                .is_some_and(|e| extensions.contains(&e));
                        if wanted {
                            // `hsl check .` shows `a.hsl`, not `./a.hsl`.
                            let path = entry.path();
                            shared.0.push(Found {
                                path: path.strip_prefix(".").unwrap_or(path).to_path_buf(),
                                inode: listed_inode(&entry),
                            });
                        }
                    }
                    Err(e) => report(&e, None, extensions, &mut shared.1),
                }
                ignore::WalkState::Continue
            })
        });
    let (files, mut problems) = shared.into_inner().expect("walk lock");
    found.extend(files);
    problems.errors.sort();
    problems.skipped.sort();
    out.errors.extend(problems.errors);
    out.skipped.extend(problems.skipped);
}

/// Files a walk error as an error (a folder or file that cannot be read) or
/// a skipped path (a symlink loop, a broken symlink).
fn report(e: &ignore::Error, path: Option<&Path>, extensions: &[&str], out: &mut Collected) {
    match e {
        ignore::Error::WithPath { path, err } => report(err, Some(path), extensions, out),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            report(err, path, extensions, out)
        }
        ignore::Error::Partial(errors) => {
            for err in errors {
                report(err, path, extensions, out);
            }
        }
        ignore::Error::Loop { ancestor, child } => out.skipped.push(format!(
            "{}: symlink loop (leads back to {}); not followed",
            child.display(),
            ancestor.display()
        )),
        ignore::Error::Io(io) => {
            let Some(path) = path else {
                out.errors.push(io_reason(io));
                return;
            };
            let is_link = path.symlink_metadata().is_ok_and(|m| m.is_symlink());
            if is_link && io.kind() == std::io::ErrorKind::NotFound {
                let named = path
                    .extension()
                    .and_then(OsStr::to_str)
                    .is_some_and(|e| extensions.contains(&e));
                if named {
                    out.skipped.push(format!(
                        "{}: broken symlink ({}); skipped",
                        path.display(),
                        io_reason(io)
                    ));
                }
            } else {
                out.errors
                    .push(format!("{}: {}", path.display(), io_reason(io)));
            }
        }
        ignore::Error::Glob { .. } | ignore::Error::UnrecognizedFileType(_) => {
            let place = path
                .map(|p| format!("{}: ", p.display()))
                .unwrap_or_default();
            out.skipped.push(format!("{place}{e}; pattern not used"))
        }
        other => match path {
            Some(path) => out.errors.push(format!("{}: {other}", path.display())),
            None => out.errors.push(other.to_string()),
        },
    }
}

/// A short reason for an I/O error, without the "(os error N)" suffix.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_sorted_as_paths_compare() {
        let names = [
            "a-b/x.hsl",
            "a/b.hsl",
            "a.b",
            "a/b/c.hsl",
            "a//b.hsl",
            "./a",
            "a b",
            "A",
            "a/b.hsl",
            "/z",
            "a/b-c.hsl",
            "a/b/",
            "é/x",
            "a",
        ];
        let found = names
            .iter()
            .map(|n| Found {
                path: PathBuf::from(n),
                inode: None,
            })
            .collect();
        let got: Vec<PathBuf> = sorted(found).into_iter().map(|f| f.path).collect();
        let mut expected: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        expected.sort();
        assert_eq!(got, expected);
        // Equal paths keep their order: the first spelling is the one kept.
        let spelled: Vec<String> = got.iter().map(|p| p.display().to_string()).collect();
        let at = |s: &str| spelled.iter().position(|p| p == s).unwrap();
        assert!(at("a/b.hsl") < at("a//b.hsl"));
    }
}
