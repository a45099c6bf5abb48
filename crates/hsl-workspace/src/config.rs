//! `hsl.toml`: found by walking up from a checked path.
//!
//! ```toml
//! halon = 6                      # 4, 5 or 6
//! exclude = ["vendor/**"]        # paths relative to this file
//! rootpath = "."                 # where `file://` ids point
//! extras = ["../halon-extras"]   # folders holding `extras://` modules
//! plugins = ["plugins"]          # folders holding `*.functions.json`
//! max-file-size = "50M"          # larger files are refused (default 10M)
//! [rules]
//! HSL115 = "off"                 # by code …
//! unused-function = "error"      # … or by name: "off", "warning" or "error"
//! ```
//!
//! Rule names are kept as written: the checker knows its rules and
//! validates them.

use hsl_catalog::HalonVersion;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A rule's configured level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported.
    Off,
    /// Reported as a warning.
    Warning,
    /// Reported as an error.
    Error,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    halon: Option<toml::Spanned<toml::Value>>,
    #[serde(default)]
    exclude: Vec<String>,
    rootpath: Option<String>,
    #[serde(default)]
    extras: Vec<String>,
    #[serde(default)]
    plugins: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, Level>,
    #[serde(rename = "max-file-size")]
    max_file_size: Option<toml::Spanned<toml::Value>>,
    /// Read by `hsl fmt` (hsl-fmt validates it).
    #[serde(default, rename = "format")]
    _format: Option<toml::Table>,
}

/// Settings in effect for a path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Where the settings came from.
    pub file: Option<PathBuf>,
    /// The Halon version, when set.
    pub halon: Option<HalonVersion>,
    /// `rootpath`: where `file://` ids point (relative paths are relative
    /// to `hsl.toml`).
    pub rootpath: Option<PathBuf>,
    /// `extras`: folders holding `extras://` modules.
    pub extras: Vec<PathBuf>,
    /// `plugins`: folders holding plugin declaration files.
    pub plugins: Vec<PathBuf>,
    /// `[rules]`: levels by rule code or name, as written.
    pub rules: BTreeMap<String, Level>,
    /// `exclude`: glob patterns relative to `hsl.toml`.
    pub exclude: Vec<String>,
    /// `max-file-size`: larger files are refused, in bytes.
    pub max_file_size: Option<u64>,
}

/// Files larger than this are refused unless configured otherwise (10 MiB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 << 20;

/// Parses a byte count such as `500000`, `64K`, `10M` or `1G` (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let (digits, unit) = match s.trim().to_ascii_uppercase() {
        t if t.ends_with('K') => (t[..t.len() - 1].to_string(), 1 << 10),
        t if t.ends_with('M') => (t[..t.len() - 1].to_string(), 1 << 20),
        t if t.ends_with('G') => (t[..t.len() - 1].to_string(), 1 << 30),
        t => (t, 1),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(|| format!("`{s}` is not a size: write bytes, optionally with K, M or G"))
}

/// The nearest `hsl.toml` at or above `path` (a file or a folder).
pub fn nearest(path: &Path) -> Option<PathBuf> {
    config_search_start(path)
        .ancestors()
        .find(|d| holds_config(d))
        .map(|d| d.join("hsl.toml"))
}

/// The folder where the search for the `hsl.toml` of `path` starts.
fn config_search_start(path: &Path) -> PathBuf {
    let start = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(Path::new("."))
    };
    crate::absolute(start)
}

/// Whether `dir` holds an `hsl.toml`.
pub(crate) fn holds_config(dir: &Path) -> bool {
    dir.join("hsl.toml").is_file()
}

impl Config {
    /// The nearest `hsl.toml` at or above `path` (none: defaults).
    pub fn find(path: &Path) -> Result<Config, String> {
        match nearest(path) {
            Some(file) => Config::load(&file),
            None => Ok(Config::default()),
        }
    }

    /// Reads one `hsl.toml`; a problem is reported at its line and column.
    pub fn load(file: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let at = |offset: Option<usize>, message: &str| {
            let place = offset.map_or(String::new(), |o| {
                let lc = hsl_syntax::LineIndex::new(&text).line_col(&text, o.min(text.len()));
                format!(":{}:{}", lc.line + 1, lc.column + 1)
            });
            format!("{}{place}: {message}", file.display())
        };
        let parsed: File =
            toml::from_str(&text).map_err(|e| at(e.span().map(|s| s.start), e.message()))?;
        let halon = match parsed.halon {
            None => None,
            Some(v) => {
                let text = match v.get_ref() {
                    toml::Value::String(s) => s.clone(),
                    toml::Value::Integer(i) => i.to_string(),
                    toml::Value::Float(f) => f.to_string(),
                    _ => String::new(),
                };
                Some(
                    text.parse::<HalonVersion>()
                        .map_err(|e| at(Some(v.span().start), &e))?,
                )
            }
        };
        let max_file_size = match parsed.max_file_size {
            None => None,
            Some(v) => match v.get_ref() {
                toml::Value::Integer(n) if *n >= 0 => Some(*n as u64),
                toml::Value::String(s) => Some(
                    parse_size(s)
                        .map_err(|e| at(Some(v.span().start), &format!("max-file-size: {e}")))?,
                ),
                _ => {
                    return Err(at(
                        Some(v.span().start),
                        "max-file-size: not a size: write bytes, optionally with K, M or G",
                    ))
                }
            },
        };
        let dir = file.parent().unwrap_or(Path::new("."));
        let place = |p: &String| crate::layout::normalize(&dir.join(p));
        Ok(Config {
            file: Some(file.to_path_buf()),
            halon,
            rootpath: parsed.rootpath.as_ref().map(place),
            extras: parsed.extras.iter().map(place).collect(),
            plugins: parsed.plugins.iter().map(place).collect(),
            rules: parsed.rules,
            exclude: parsed.exclude,
            max_file_size,
        })
    }

    /// The folder holding this `hsl.toml`.
    pub fn dir(&self) -> Option<&Path> {
        self.file.as_ref().and_then(|f| f.parent())
    }

    /// Whether `path` matches an `exclude` pattern.
    pub fn excluded(&self, path: &Path) -> bool {
        let Some(dir) = self.dir() else {
            return false;
        };
        let absolute = crate::absolute(path);
        let Ok(rel) = absolute.strip_prefix(dir) else {
            return false;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        self.exclude
            .iter()
            .any(|p| glob(p.trim_start_matches("./"), &rel))
    }
}

/// Matches `*` (within a path segment), `**` (any number of segments) and `?`.
fn glob(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match p {
            [] => t.is_empty(),
            [b'*', b'*'] => true,
            [b'*', b'*', rest @ ..] => {
                let rest = rest.strip_prefix(b"/").unwrap_or(rest);
                (0..=t.len()).any(|i| (i == 0 || t[i - 1] == b'/') && go(rest, &t[i..]))
            }
            [b'*', rest @ ..] => (0..=t.len())
                .take_while(|&i| i == 0 || t[i - 1] != b'/')
                .any(|i| go(rest, &t[i..])),
            [b'?', rest @ ..] => !t.is_empty() && t[0] != b'/' && go(rest, &t[1..]),
            [c, rest @ ..] => t.first() == Some(c) && go(rest, &t[1..]),
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("500000"), Ok(500_000));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        assert_eq!(parse_size(" 10M "), Ok(10 << 20));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert!(parse_size("M").is_err());
        assert!(parse_size("99999999999G").is_err());
    }

    #[test]
    fn globs() {
        assert!(glob("vendor/**", "vendor/a/b.hsl"));
        assert!(glob("**/*.hsl", "a/b/c.hsl"));
        assert!(glob("*.hsl", "c.hsl"));
        assert!(!glob("*.hsl", "a/c.hsl"));
        assert!(glob("src/files/?.hsl", "src/files/a.hsl"));
        assert!(!glob("vendor/**", "src/vendor.hsl"));
    }

    #[test]
    fn paths_are_relative_to_the_file() {
        let dir = std::env::temp_dir().join(format!("hsl-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("hsl.toml");
        std::fs::write(
            &file,
            "rootpath = \"src/../lib\"\nextras = [\"x\"]\nplugins = [\"p\"]\n[rules]\nnot-a-rule = \"off\"\n",
        )
        .unwrap();
        let config = Config::load(&file).unwrap();
        assert_eq!(config.rootpath, Some(dir.join("lib")));
        assert_eq!(config.extras, vec![dir.join("x")]);
        assert_eq!(config.plugins, vec![dir.join("p")]);
        assert_eq!(config.rules.get("not-a-rule"), Some(&Level::Off));
        std::fs::write(&file, "max-file-size = \"64K\"\n").unwrap();
        assert_eq!(Config::load(&file).unwrap().max_file_size, Some(64 << 10));
        std::fs::write(&file, "max-file-size = 1000\n").unwrap();
        assert_eq!(Config::load(&file).unwrap().max_file_size, Some(1000));
        std::fs::write(&file, "max-file-size = \"ten\"\n").unwrap();
        assert!(Config::load(&file)
            .unwrap_err()
            .contains("`ten` is not a size"));
        std::fs::write(&file, "rootpaht = \".\"\n").unwrap();
        assert!(Config::load(&file).unwrap_err().contains("rootpaht"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
