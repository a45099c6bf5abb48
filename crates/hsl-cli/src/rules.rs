//! `hsl rules`: every diagnostic code with its name and default severity.

use hsl_syntax::Severity;
use serde::Serialize;
use std::process::ExitCode;

/// Output formats of `hsl rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line per code.
    Text,
    /// One JSON array.
    Json,
}

/// Arguments of `hsl rules`.
#[derive(clap::Args)]
pub struct RulesArgs {
    /// How to print the list.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    output_format: Format,
}

/// One diagnostic code as listed.
#[derive(Serialize)]
pub struct Code {
    /// Stable code, e.g. `HSL105`.
    pub code: &'static str,
    /// Rule name accepted by `--select`, `--ignore` and `hsl.toml`
    /// (`None` for syntax errors, which are always reported).
    pub name: Option<&'static str>,
    /// Severity unless configured otherwise.
    pub severity: &'static str,
    /// One line saying what it finds.
    pub summary: &'static str,
}

/// Every code: the syntax codes, then the checker's rules, in code order.
pub fn all() -> Vec<Code> {
    let syntax = hsl_syntax::codes::ALL.iter().map(|&code| Code {
        code,
        name: None,
        severity: Severity::Error.as_str(),
        summary: hsl_syntax::codes::section(hsl_syntax::codes::DOCS, code)
            .and_then(|doc| doc.lines().next())
            .and_then(|title| title.split_once(" — "))
            .map_or("syntax error", |(_, summary)| summary),
    });
    let rules = hsl_check::rules::ALL.iter().map(|rule| Code {
        code: rule.code,
        name: Some(rule.name),
        severity: rule.severity.as_str(),
        summary: rule.summary,
    });
    let mut all: Vec<Code> = syntax.chain(rules).collect();
    all.sort_by_key(|c| c.code);
    all
}

/// Prints the list.
pub fn run(args: RulesArgs) -> ExitCode {
    let all = all();
    match args.output_format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&all).expect("codes serialize")
        ),
        Format::Text => {
            let width = all
                .iter()
                .filter_map(|c| c.name)
                .map(str::len)
                .max()
                .unwrap_or(0);
            for c in &all {
                println!(
                    "{}  {:width$}  {:7}  {}",
                    c.code,
                    c.name.unwrap_or("(syntax)"),
                    c.severity,
                    c.summary
                );
            }
        }
    }
    ExitCode::SUCCESS
}
