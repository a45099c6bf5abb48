//! `hsl.toml`: found by walking up from a checked path.
//!
//! ```toml
//! halon = 6                      # 4, 5 or 6
//! exclude = ["vendor/**"]        # paths relative to this file
//! [rules]
//! HSL115 = "off"                 # by code …
//! unused-function = "error"      # … or by name: "off", "warning" or "error"
//! ```

use crate::rules;
use hsl_catalog::HalonVersion;
use hsl_syntax::Severity;
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
    halon: Option<toml::Value>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, Level>,
    /// Read by `hsl fmt` (hsl-fmt validates it).
    #[serde(default, rename = "format")]
    _format: Option<toml::Table>,
}

/// Settings in effect for a path.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Where the settings came from.
    pub file: Option<PathBuf>,
    /// The Halon version, when set.
    pub halon: Option<HalonVersion>,
    /// Levels by rule code.
    pub levels: BTreeMap<String, Level>,
    exclude: Vec<String>,
}

impl Config {
    /// The nearest `hsl.toml` at or above `path` (none: defaults).
    pub fn find(path: &Path) -> Result<Config, String> {
        let start = if path.is_dir() {
            path
        } else {
            path.parent().unwrap_or(Path::new("."))
        };
        let absolute = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        match absolute
            .ancestors()
            .map(|d| d.join("hsl.toml"))
            .find(|f| f.is_file())
        {
            Some(file) => Config::load(&file),
            None => Ok(Config::default()),
        }
    }

    /// Reads one `hsl.toml`.
    pub fn load(file: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let parsed: File =
            toml::from_str(&text).map_err(|e| format!("{}: {}", file.display(), e.message()))?;
        let halon = match parsed.halon {
            None => None,
            Some(v) => {
                let text = match &v {
                    toml::Value::String(s) => s.clone(),
                    toml::Value::Integer(i) => i.to_string(),
                    toml::Value::Float(f) => f.to_string(),
                    _ => String::new(),
                };
                Some(
                    text.parse::<HalonVersion>()
                        .map_err(|e| format!("{}: {e}", file.display()))?,
                )
            }
        };
        let mut levels = BTreeMap::new();
        for (key, level) in parsed.rules {
            let rule = rules::find(&key)
                .ok_or_else(|| format!("{}: unknown rule `{key}`", file.display()))?;
            levels.insert(rule.code.to_string(), level);
        }
        Ok(Config {
            file: Some(file.to_path_buf()),
            halon,
            levels,
            exclude: parsed.exclude,
        })
    }

    /// The severity of `code` after configuration (`None`: turned off).
    pub fn severity(&self, code: &str, default: Severity) -> Option<Severity> {
        match self.levels.get(code) {
            Some(Level::Off) => None,
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Error) => Some(Severity::Error),
            None => Some(default),
        }
    }

    /// Whether `path` matches an `exclude` pattern.
    pub fn excluded(&self, path: &Path) -> bool {
        let Some(dir) = self.file.as_ref().and_then(|f| f.parent()) else {
            return false;
        };
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
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
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("vendor/**", "vendor/a/b.hsl"));
        assert!(glob("**/*.hsl", "a/b/c.hsl"));
        assert!(glob("*.hsl", "c.hsl"));
        assert!(!glob("*.hsl", "a/c.hsl"));
        assert!(glob("src/files/?.hsl", "src/files/a.hsl"));
        assert!(!glob("vendor/**", "src/vendor.hsl"));
    }
}
