//! `hsl check`: syntax and semantic diagnostics for files and workspaces.

use crate::files;
use crate::render::{self, FileReport, Format};
use codespan_reporting::term::termcolor::ColorChoice;
use hsl_catalog::{HalonVersion, Hook};
use hsl_check::{Checker, Options};
use hsl_syntax::Severity;
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
    /// Check every file as this hook (connect, proxy, helo, auth, mailfrom,
    /// rcptto, eod, disconnect, predelivery, postdelivery).
    #[arg(long, value_parser = parse_hook)]
    hook: Option<Hook>,
    /// Halon version whose names apply: 4, 5 or 6 (default: hsl.toml, else 6).
    #[arg(long, value_parser = parse_version)]
    halon_version: Option<HalonVersion>,
    /// Report only these codes or rule names (comma-separated).
    #[arg(long, value_delimiter = ',', value_parser = parse_rule)]
    select: Vec<String>,
    /// Never report these codes or rule names (comma-separated).
    #[arg(long, value_delimiter = ',', value_parser = parse_rule)]
    ignore: Vec<String>,
}

fn parse_hook(s: &str) -> Result<Hook, String> {
    s.parse()
}

fn parse_rule(s: &str) -> Result<String, String> {
    hsl_check::rules::code_for(s).map(str::to_string)
}

fn parse_version(s: &str) -> Result<HalonVersion, String> {
    s.parse()
}

/// Runs the command; exit code 0 clean (warnings allowed), 1 errors found,
/// 2 usage or I/O error.
pub fn run(args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    let paths = match files::collect(&args.paths) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let checker = Checker::new(Options {
        halon: args.halon_version,
        hook: args.hook,
        select: args.select,
        ignore: args.ignore,
    });
    let mut reports = Vec::with_capacity(paths.len());
    let mut bytes_read = 0;
    for path in &paths {
        if checker.excluded(path) && !args.paths.contains(path) {
            continue;
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {}: {}", path.display(), files::io_reason(&e));
                return ExitCode::from(2);
            }
        };
        bytes_read += bytes.len();
        let (text, invalid) = hsl_syntax::decode(&bytes);
        let mut diagnostics: Vec<_> = invalid.into_iter().collect();
        match checker.check(path, &text) {
            Ok(found) => diagnostics.extend(found),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
        reports.push(FileReport {
            path: path.display().to_string(),
            source: text.into_owned(),
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
                "checked {} file{} ({} KB) in {:.0?}: {errors} error{}, {warnings} warning{}",
                reports.len(),
                plural(reports.len()),
                bytes_read.div_ceil(1024),
                started.elapsed(),
                plural(errors),
                plural(warnings)
            );
        }
        Format::Json => println!("{}", render::json(&reports)),
        Format::Github => print!("{}", render::github(&reports)),
        Format::Sarif => println!("{}", render::sarif(&reports)),
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
