//! Finding the HSL files named on the command line.

use std::path::{Path, PathBuf};

/// The files found, and what could not be searched or was left out.
#[derive(Default)]
pub struct Collected {
    /// Files to check, sorted, without duplicates.
    pub files: Vec<PathBuf>,
    /// Paths that could not be searched (`error: …`, exit code 2).
    pub errors: Vec<String>,
    /// Paths deliberately not followed, with the reason (`warning: …`).
    pub skipped: Vec<String>,
}

/// Expands files and directories into a sorted list of files: a directory
/// contributes every `*.hsl` below it (hidden entries skipped; symlinks
/// followed, except one that leads back to a folder being searched); a file
/// is taken as named, whatever its extension. A path that cannot be searched
/// is reported and the others are still searched.
pub fn collect(paths: &[PathBuf]) -> Collected {
    let mut out = Collected::default();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let mut ancestors = Vec::new();
                walk(path, &mut ancestors, &mut out);
            }
            Ok(_) => out.files.push(path.clone()),
            Err(e) => out
                .errors
                .push(format!("{}: {}", path.display(), io_reason(&e))),
        }
    }
    out.files.sort();
    out.files.dedup();
    out
}

/// Adds the `*.hsl` files below `dir`; `ancestors` holds the canonical paths
/// of the folders being searched, to recognise a symlink loop.
fn walk(dir: &Path, ancestors: &mut Vec<PathBuf>, out: &mut Collected) {
    let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if ancestors.contains(&canonical) {
        out.skipped.push(format!(
            "{}: symlink loop (leads back to {}); not followed",
            dir.display(),
            canonical.display()
        ));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.errors
                .push(format!("{}: {}", dir.display(), io_reason(&e)));
            return;
        }
    };
    ancestors.push(canonical);
    let mut children: Vec<_> = entries.filter_map(Result::ok).collect();
    children.sort_by_key(|e| e.file_name());
    for entry in children {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let is_hsl = path.extension().is_some_and(|e| e == "hsl");
        if kind.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(target) if target.is_dir() => walk(&path, ancestors, out),
                Ok(_) if is_hsl => out.files.push(path),
                Ok(_) => {}
                Err(e) if is_hsl || e.kind() != std::io::ErrorKind::NotFound => {
                    out.skipped.push(format!(
                        "{}: broken symlink ({}); skipped",
                        path.display(),
                        io_reason(&e)
                    ))
                }
                Err(_) => {}
            }
        } else if kind.is_dir() {
            walk(&path, ancestors, out);
        } else if is_hsl {
            out.files.push(path);
        }
    }
    ancestors.pop();
}

/// A short reason for an I/O error, without the "(os error N)" suffix.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
