//! The Halon workspace layout: where a workspace starts and which hook a
//! file belongs to.
//!
//! Standard Halon workspace layout: `src/hooks/<hook>/<id>.hsl` is that
//! hook (`src/hooks/queue/predelivery.hsl` and `…/postdelivery.hsl` the queue
//! hooks), `src/files/**` holds include and import targets. A first-line
//! directive `// hsl: hook=rcptto` (optionally `halon=5`) names the hook of
//! any other file.

use hsl_catalog::{HalonVersion, Hook};
use std::path::{Component, Path, PathBuf};

/// What a first-line `// hsl:` directive says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directive {
    /// `hook=NAME`
    pub hook: Option<Hook>,
    /// `halon=N`
    pub halon: Option<HalonVersion>,
}

/// Reads the `// hsl: hook=… halon=…` directive on the first line.
pub fn directive(source: &str) -> Result<Directive, String> {
    let first = source.lines().next().unwrap_or_default().trim();
    let Some(rest) = first
        .strip_prefix("//")
        .map(str::trim)
        .and_then(|r| r.strip_prefix("hsl:"))
    else {
        return Ok(Directive::default());
    };
    let mut d = Directive::default();
    for item in rest.split_whitespace() {
        match item.split_once('=') {
            Some(("hook", v)) => d.hook = Some(v.parse()?),
            Some(("halon", v)) => d.halon = Some(v.parse()?),
            _ => {
                return Err(format!(
                    "unknown directive `{item}` (expected hook=NAME or halon=N)"
                ))
            }
        }
    }
    Ok(d)
}

/// The workspace root above `path`: the directory holding `src/hooks`,
/// `src/files` or `src/config/smtpd-app.yaml`.
pub fn workspace_root(path: &Path) -> Option<PathBuf> {
    let start = if path.is_dir() { path } else { path.parent()? };
    start
        .ancestors()
        .find(|dir| is_workspace(dir))
        .map(Path::to_path_buf)
}

/// The Halon workspaces of a plugin repository at `root`: `.devcontainer/`
/// and its sub-folders (`.devcontainer/smtpd/`) that hold a workspace
/// layout.
pub fn devcontainer_workspaces(root: &Path) -> Vec<PathBuf> {
    let dev = root.join(".devcontainer");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dev)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .chain([dev.clone()])
        .filter(|d| is_workspace(d))
        .collect();
    dirs.sort();
    dirs
}

/// Whether `dir` holds `src/hooks`, `src/files` or
/// `src/config/smtpd-app.yaml`.
pub(crate) fn is_workspace(dir: &Path) -> bool {
    let src = dir.join("src");
    // Most folders have no `src`: one look instead of three.
    src.is_dir()
        && (src.join("hooks").is_dir()
            || src.join("files").is_dir()
            || src.join("config/smtpd-app.yaml").is_file())
}

/// The hook of a file from its place in the workspace layout.
pub fn hook_from_path(path: &Path) -> Option<Hook> {
    match path.to_str() {
        // On Unix the named components are what the separators leave, but
        // `.` and `..`: no need to parse the path.
        Some(text) if cfg!(unix) => hook_from_parts(named_back(text)),
        _ => hook_from_parts(path.components().rev().filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })),
    }
}

/// The components of the `/`-separated `text` but `.`, `..` and empty ones,
/// last first (a byte loop: a path's components are short).
fn named_back(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        while !rest.is_empty() {
            let (head, part) = match rest.bytes().rposition(|b| b == b'/') {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => ("", rest),
            };
            rest = head;
            if !matches!(part, "" | "." | "..") {
                return Some(part);
            }
        }
        None
    })
}

/// [`hook_from_path`] of the named components of a path, last first: the
/// two after the last `src/hooks` name the hook.
fn hook_from_parts<'a>(parts: impl Iterator<Item = &'a str>) -> Option<Hook> {
    let (mut next, mut dir, mut file) = (None, None, None);
    for part in parts {
        if part == "src" && next == Some("hooks") {
            return hook_named(dir?, file?);
        }
        (next, dir, file) = (Some(part), next, dir);
    }
    None
}

/// The hook of the script `file` in the folder `dir` of `src/hooks`.
fn hook_named(dir: &str, file: &str) -> Option<Hook> {
    if dir == "queue" {
        let file = Path::new(file).file_stem()?.to_str()?;
        return Hook::named(file).filter(|h| matches!(h, Hook::PreDelivery | Hook::PostDelivery));
    }
    Hook::named(dir)
}

/// Removes `.` and `..` components so the same file has one name.
pub fn normalize(path: &Path) -> PathBuf {
    if crate::paths::is_normal(path) {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hooks_from_the_workspace_layout() {
        assert_eq!(
            hook_from_path(Path::new("ws/src/hooks/rcptto/inbound.hsl")),
            Some(Hook::RcptTo)
        );
        assert_eq!(
            hook_from_path(Path::new("src/hooks/queue/predelivery.hsl")),
            Some(Hook::PreDelivery)
        );
        assert_eq!(hook_from_path(Path::new("src/hooks/queue/other.hsl")), None);
        assert_eq!(hook_from_path(Path::new("src/files/lib.hsl")), None);
        assert_eq!(hook_from_path(Path::new("hooks/helo.hsl")), None);
        // Components, not a resolved path: `..` is passed over.
        assert_eq!(
            hook_from_path(Path::new("/w//src/./hooks/connect/../eod/in.hsl")),
            Some(Hook::Connect)
        );
        assert_eq!(
            hook_from_path(Path::new("./src/hooks/src/hooks/helo/in.hsl")),
            Some(Hook::Helo)
        );
        // The last `src/hooks` counts, even without a script below it.
        assert_eq!(
            hook_from_path(Path::new("src/hooks/eod/src/hooks/helo")),
            None
        );
        assert_eq!(
            hook_from_path(Path::new("src/hooks/rcptto/sub/in.hsl")),
            Some(Hook::RcptTo)
        );
        assert_eq!(hook_from_path(Path::new("src/hooks/rcptto")), None);
    }

    #[test]
    fn named_components_last_first_as_the_path_parser_finds_them() {
        for text in [
            "",
            "/",
            "a",
            "/a/b.hsl",
            "a//b/",
            "./a/../b/.",
            "//x///y",
            "..",
            "a/.b/c.",
        ] {
            let parsed: Vec<&str> = Path::new(text)
                .components()
                .rev()
                .filter_map(|c| match c {
                    Component::Normal(s) => s.to_str(),
                    _ => None,
                })
                .collect();
            assert_eq!(named_back(text).collect::<Vec<_>>(), parsed, "{text:?}");
        }
    }

    #[test]
    fn first_line_directive() {
        let d = directive("// hsl: hook=helo halon=5\necho 1;").unwrap();
        assert_eq!(
            (d.hook, d.halon),
            (Some(Hook::Helo), Some(HalonVersion::V5))
        );
        assert_eq!(directive("echo 1;").unwrap(), Directive::default());
        assert!(directive("// hsl: hook=nope")
            .unwrap_err()
            .contains("unknown hook"));
    }

    #[test]
    fn dev_container_workspaces_of_a_plugin_repository() {
        let root = std::env::temp_dir().join(format!("hsl-devcontainer-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for dir in [
            ".devcontainer/smtpd/src/hooks",
            ".devcontainer/other",
            ".devcontainer/src/files",
        ] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        assert_eq!(
            devcontainer_workspaces(&root),
            [root.join(".devcontainer"), root.join(".devcontainer/smtpd")]
        );
        assert!(devcontainer_workspaces(&root.join(".devcontainer/other")).is_empty());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
