//! Rule levels of `hsl.toml` (the file itself is read by `hsl-workspace`;
//! the checker validates the rule names it knows).

use crate::rules;
use hsl_syntax::Severity;
pub use hsl_workspace::config::{parse_size, Level, DEFAULT_MAX_FILE_SIZE};
use std::collections::BTreeMap;
use std::path::Path;

/// Settings in effect for a path, with rule levels by code.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The `hsl.toml` settings.
    pub project: hsl_workspace::Config,
    /// Levels by rule code.
    pub levels: BTreeMap<String, Level>,
}

impl Config {
    /// Reads one `hsl.toml`.
    pub fn load(file: &Path) -> Result<Config, String> {
        Config::validate(hsl_workspace::Config::load(file)?)
    }

    /// Maps rule names to codes; an unknown rule is an error.
    fn validate(project: hsl_workspace::Config) -> Result<Config, String> {
        let mut levels = BTreeMap::new();
        for (key, level) in &project.rules {
            let rule = rules::find(key).ok_or_else(|| {
                let file = project.file.as_deref().unwrap_or(Path::new("hsl.toml"));
                format!("{}: unknown rule `{key}`", file.display())
            })?;
            levels.insert(rule.code.to_string(), *level);
        }
        Ok(Config { project, levels })
    }

    /// The severity of `code` after configuration (`None`: turned off). A
    /// note stays a note unless turned off.
    pub fn severity(&self, code: &str, default: Severity) -> Option<Severity> {
        match self.levels.get(code) {
            Some(Level::Off) => None,
            Some(_) if default == Severity::Hint => Some(default),
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Error) => Some(Severity::Error),
            None => Some(default),
        }
    }

    /// Whether `path` matches an `exclude` pattern.
    pub fn excluded(&self, path: &Path) -> bool {
        self.project.excluded(path)
    }
}
