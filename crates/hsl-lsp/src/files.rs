//! The HSL files of a workspace directory.

use std::path::{Path, PathBuf};

/// Every `.hsl` file under `dir` (hidden directories skipped), sorted.
pub fn hsl_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => pending.push(path),
                Ok(t) if t.is_file() && path.extension().is_some_and(|e| e == "hsl") => {
                    out.push(path)
                }
                _ => {}
            }
        }
    }
    out.sort();
    out
}
