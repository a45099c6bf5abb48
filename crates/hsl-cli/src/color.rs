//! `--color auto|always|never`, with the `NO_COLOR` and `CLICOLOR_FORCE`
//! conventions.

use codespan_reporting::term::termcolor::ColorChoice;
use std::io::IsTerminal;

/// When to colour the output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// On a terminal, unless `NO_COLOR` is set (or always with
    /// `CLICOLOR_FORCE`).
    #[default]
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

impl Color {
    /// The choice for standard output: an explicit `always`/`never` wins;
    /// in `auto`, a non-empty `NO_COLOR` turns colour off, then a
    /// `CLICOLOR_FORCE` other than `0` turns it on, else a terminal decides.
    pub fn for_stdout(self) -> ColorChoice {
        let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        match self {
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
            Color::Auto if set("NO_COLOR").is_some() => ColorChoice::Never,
            Color::Auto if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") => ColorChoice::Always,
            Color::Auto if std::io::stdout().is_terminal() => ColorChoice::Auto,
            Color::Auto => ColorChoice::Never,
        }
    }
}
