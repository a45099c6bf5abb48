//! Finding the files named on the command line: directories are searched
//! as ripgrep and ruff search them (the `ignore` crate).

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

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
/// searched is reported and the others are still searched.
pub fn collect(paths: &[PathBuf], extensions: &[&str]) -> Collected {
    let mut out = Collected::default();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, extensions, &mut out),
            Ok(_) => out.files.push(path.clone()),
            Err(e) => out
                .errors
                .push(format!("{}: {}", path.display(), io_reason(&e))),
        }
    }
    out.files.sort();
    out.files.dedup();
    let mut seen = HashSet::new();
    out.files.retain(|f| seen.insert(identity(f)));
    out
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

/// Adds the files below `dir` with one of `extensions`.
fn walk(dir: &Path, extensions: &[&str], out: &mut Collected) {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .follow_links(true)
        .require_git(false)
        .git_global(false)
        .filter_entry(|entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_dir
                && entry.depth() > 0
                && SKIPPED_FOLDERS.iter().any(|s| entry.file_name() == *s))
        })
        .build();
    for entry in walker {
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
                    out.files
                        .push(path.strip_prefix(".").unwrap_or(path).to_path_buf());
                }
            }
            Err(e) => report(&e, None, extensions, out),
        }
    }
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
