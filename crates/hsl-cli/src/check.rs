//! `hsl check`: parse every file and report its diagnostics.

use crate::files;
use crate::render::{self, FileReport, Format};
use codespan_reporting::term::termcolor::ColorChoice;
use hsl_syntax::{Diagnostic, Severity};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `hsl check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or directories (searched recursively for `*.hsl`).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// How to print the diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    output_format: Format,
}

/// All diagnostics of one file's bytes: decoding and syntax.
pub fn diagnose(bytes: &[u8]) -> (String, Vec<Diagnostic>) {
    let (text, invalid) = hsl_syntax::decode(bytes);
    let parse = hsl_syntax::parse(&text);
    let mut diagnostics: Vec<Diagnostic> = invalid.into_iter().collect();
    diagnostics.extend(parse.diagnostics);
    (text.into_owned(), diagnostics)
}

/// Runs the command; exit code 0 clean, 1 errors found, 2 usage or I/O error.
pub fn run(args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    let paths = match files::collect(&args.paths) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut reports = Vec::with_capacity(paths.len());
    for path in &paths {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {}: {}", path.display(), files::io_reason(&e));
                return ExitCode::from(2);
            }
        };
        let (source, diagnostics) = diagnose(&bytes);
        reports.push(FileReport {
            path: path.display().to_string(),
            source,
            diagnostics,
        });
    }
    let count = |s: Severity| {
        reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(|d| d.severity == s)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    match args.output_format {
        Format::Text => {
            let color = if std::io::stdout().is_terminal() {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            };
            render::text(&reports, color);
            eprintln!(
                "checked {} file{} in {:.0?}: {errors} error{}, {warnings} warning{}",
                reports.len(),
                plural(reports.len()),
                started.elapsed(),
                plural(errors),
                plural(warnings)
            );
        }
        Format::Json => println!("{}", render::json(&reports)),
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
