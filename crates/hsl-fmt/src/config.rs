//! Formatting options, read from the `[format]` table of the nearest
//! `hsl.toml`:
//!
//! ```toml
//! [format]
//! indent-width = 4   # spaces per level (the width of a tab with use-tabs)
//! use-tabs = false   # indent with tabs
//! line-width = 100   # the width groups must fit in
//! ```

use serde::Deserialize;
use std::path::Path;

/// How the output is laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Spaces per indentation level (columns per tab with `use_tabs`).
    pub indent_width: usize,
    /// Indent with tabs instead of spaces.
    pub use_tabs: bool,
    /// The width a group must fit in to stay on one line.
    pub line_width: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            indent_width: 4,
            use_tabs: false,
            line_width: 100,
        }
    }
}

#[derive(Deserialize)]
struct File {
    format: Option<Format>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Format {
    indent_width: Option<usize>,
    use_tabs: Option<bool>,
    line_width: Option<usize>,
}

impl Options {
    /// The options of the nearest `hsl.toml` at or above `path` (defaults
    /// when there is none or it has no `[format]` table).
    pub fn find(path: &Path) -> Result<Options, String> {
        match hsl_workspace::config::nearest(path) {
            Some(file) => {
                let text = std::fs::read_to_string(&file)
                    .map_err(|e| format!("{}: {e}", file.display()))?;
                Options::from_toml(&text).map_err(|e| format!("{}: {e}", file.display()))
            }
            None => Ok(Options::default()),
        }
    }

    /// The options of the `[format]` table of an `hsl.toml` text.
    pub fn from_toml(text: &str) -> Result<Options, String> {
        let file: File = toml::from_str(text).map_err(|e| e.message().to_string())?;
        let mut options = Options::default();
        if let Some(f) = file.format {
            if f.indent_width == Some(0) || f.line_width == Some(0) {
                return Err("`indent-width` and `line-width` must be at least 1".into());
            }
            options.indent_width = f.indent_width.unwrap_or(options.indent_width);
            options.use_tabs = f.use_tabs.unwrap_or(options.use_tabs);
            options.line_width = f.line_width.unwrap_or(options.line_width);
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::Options;

    #[test]
    fn reads_the_format_table_and_ignores_other_keys() {
        let o = Options::from_toml(
            "halon = 6\n[rules]\nHSL115 = \"off\"\n[format]\nindent-width = 2\nuse-tabs = true\nline-width = 80\n",
        )
        .unwrap();
        assert_eq!(
            o,
            Options {
                indent_width: 2,
                use_tabs: true,
                line_width: 80
            }
        );
        assert_eq!(Options::from_toml("halon = 6").unwrap(), Options::default());
    }

    #[test]
    fn rejects_unknown_and_zero_settings() {
        assert!(Options::from_toml("[format]\nindent = 2\n").is_err());
        assert!(Options::from_toml("[format]\nline-width = 0\n").is_err());
    }
}
