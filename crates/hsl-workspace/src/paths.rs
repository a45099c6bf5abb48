//! Paths as cache keys: maps keyed by a path's spelling, and absolute paths
//! without asking the kernel for the working directory each time.

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// `std::path::absolute`, with the working directory read once per process
/// (no part of `hsl` changes it): checking many files costs no `getcwd`
/// call per file.
pub fn absolute(path: &Path) -> PathBuf {
    absolute_and_normal(path).0
}

/// [`crate::normalize`] of [`absolute`]: the name by which runs key a
/// file.
pub fn absolute_normalized(path: &Path) -> PathBuf {
    match absolute_and_normal(path) {
        (absolute, true) => absolute,
        (absolute, false) => crate::normalize(&absolute),
    }
}

/// [`absolute`] of `path`, and whether it is in normal form.
fn absolute_and_normal(path: &Path) -> (PathBuf, bool) {
    static CWD: OnceLock<Option<PathBuf>> = OnceLock::new();
    let path = match CWD.get_or_init(|| std::env::current_dir().ok()) {
        Some(cwd) if path.is_relative() && !path.as_os_str().is_empty() => {
            // `cwd.join(path)` with room for both: no copy as it grows.
            let mut joined =
                PathBuf::with_capacity(cwd.as_os_str().len() + 1 + path.as_os_str().len());
            joined.push(cwd);
            joined.push(path);
            Cow::Owned(joined)
        }
        _ => Cow::Borrowed(path),
    };
    if path.is_absolute() && is_normal(&path) {
        return (path.into_owned(), true);
    }
    let absolute = std::path::absolute(&path).unwrap_or_else(|_| path.into_owned());
    let normal = is_normal(&absolute);
    (absolute, normal)
}

/// Whether `path` is spelled as its components would spell it again: no
/// `.` or `..`, no doubled or trailing separator. Such a path is its own
/// [`crate::normalize`]d and (when absolute) [`absolute`] form, known from
/// one pass over its bytes.
#[cfg(unix)]
pub(crate) fn is_normal(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    let rest = bytes.strip_prefix(b"/").unwrap_or(bytes);
    bytes.is_empty()
        || rest
            .split(|&b| b == b'/')
            .all(|part| !matches!(part, b"" | b"." | b".."))
}

#[cfg(not(unix))]
pub(crate) fn is_normal(_: &Path) -> bool {
    false
}

/// A hash map keyed by paths compared byte for byte, as spelled. Hashing a
/// `PathBuf` walks its components; this hashes its bytes, which makes the
/// look-ups of a run's caches several times cheaper. Two spellings of one
/// path are two keys, so callers key by one spelling (absolute and
/// normalized, or as found).
#[derive(Clone, Debug)]
pub struct PathMap<V>(FxHashMap<OsString, V>);

impl<V> Default for PathMap<V> {
    fn default() -> Self {
        PathMap(FxHashMap::default())
    }
}

impl<V> FromIterator<(PathBuf, V)> for PathMap<V> {
    fn from_iter<I: IntoIterator<Item = (PathBuf, V)>>(pairs: I) -> Self {
        PathMap(
            pairs
                .into_iter()
                .map(|(p, v)| (p.into_os_string(), v))
                .collect(),
        )
    }
}

impl<V> PathMap<V> {
    /// The value of `path`.
    pub fn get(&self, path: &Path) -> Option<&V> {
        self.0.get(path.as_os_str())
    }

    /// Whether `path` has a value.
    pub fn contains_key(&self, path: &Path) -> bool {
        self.0.contains_key(path.as_os_str())
    }

    /// Sets the value of `path`, returning the one it replaces.
    pub fn insert(&mut self, path: PathBuf, value: V) -> Option<V> {
        self.0.insert(path.into_os_string(), value)
    }

    /// Removes the value of `path`.
    pub fn remove(&mut self, path: &Path) -> Option<V> {
        self.0.remove(path.as_os_str())
    }

    /// The entry of `path`, to read or fill in place.
    pub fn entry(&mut self, path: PathBuf) -> Entry<'_, OsString, V> {
        self.0.entry(path.into_os_string())
    }

    /// Removes every value.
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths_as_the_standard_library_makes_them() {
        for p in ["a/b.hsl", "./a/../b", "/x/./y", "", "."] {
            let p = Path::new(p);
            match std::path::absolute(p) {
                Ok(expected) => assert_eq!(absolute(p), expected, "{}", p.display()),
                Err(_) => assert_eq!(absolute(p), p, "{}", p.display()),
            }
        }
    }

    #[test]
    fn normal_paths_are_known_without_their_components() {
        for p in ["", "a", "a/b", "a/.b", "/a/b.hsl", "/a/..b/c.", "/.../x"] {
            let p = Path::new(p);
            assert!(is_normal(p), "{}", p.display());
            assert_eq!(crate::normalize(p), p, "{}", p.display());
            if p.is_absolute() {
                assert_eq!(std::path::absolute(p).unwrap(), p, "{}", p.display());
            }
        }
        for p in [
            "/", ".", "..", "./a", "a/./b", "a/../b", "a//b", "a/", "//a", "/a/b/..",
        ] {
            assert!(!is_normal(Path::new(p)), "{p}");
        }
        assert_eq!(
            crate::normalize(Path::new("/a//b/./c/../d/")),
            Path::new("/a/b/d")
        );
    }

    #[test]
    fn absolute_normalized_paths_are_both() {
        for p in ["a/b.hsl", "./a/../b", "/x/./y/", "/x//y/../z", "/", "."] {
            let p = Path::new(p);
            assert_eq!(
                absolute_normalized(p),
                crate::normalize(&absolute(p)),
                "{}",
                p.display()
            );
        }
    }

    #[test]
    fn keys_are_paths_as_spelled() {
        let mut map = PathMap::default();
        assert_eq!(map.insert(PathBuf::from("/w/a.hsl"), 1), None);
        assert_eq!(map.insert(PathBuf::from("/w/a.hsl"), 2), Some(1));
        assert_eq!(map.get(Path::new("/w/a.hsl")), Some(&2));
        assert!(!map.contains_key(Path::new("/w/./a.hsl")));
        *map.entry(PathBuf::from("/w/b.hsl")).or_insert(0) += 5;
        assert_eq!(map.get(Path::new("/w/b.hsl")), Some(&5));
        assert_eq!(map.remove(Path::new("/w/a.hsl")), Some(2));
        map.clear();
        assert!(!map.contains_key(Path::new("/w/b.hsl")));
    }
}
