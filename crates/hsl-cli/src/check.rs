//! `hsl check`: syntax and semantic diagnostics for files and workspaces.

use crate::files;
use crate::render::{self, FileReport, Format};
use codespan_reporting::term::termcolor::ColorChoice;
use hsl_catalog::{HalonVersion, Hook};
use hsl_check::{Checker, Options};
use hsl_syntax::{ReadError, Severity};
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
    /// Refuse files larger than this many bytes (suffixes K, M, G allowed;
    /// default: `max-file-size` of hsl.toml, else 10M).
    #[arg(long, value_parser = hsl_check::config::parse_size)]
    max_file_size: Option<u64>,
    /// Show at most this many diagnostics per file in text output, then a
    /// count of the rest (0: show all).
    #[arg(long, default_value_t = 100)]
    max_diagnostics: usize,
    #[command(flatten)]
    fix: crate::fix::FixArgs,
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
/// 2 usage or I/O error (after checking every file that could be read).
pub fn run(args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    let collected = files::collect(&args.paths);
    for skipped in &collected.skipped {
        eprintln!("warning: {skipped}");
    }
    let mut io_errors = collected.errors.len();
    for e in &collected.errors {
        eprintln!("error: {e}");
    }
    let checker = Checker::new(Options {
        halon: args.halon_version,
        hook: args.hook,
        select: args.select,
        ignore: args.ignore,
    });
    let mut fixer = crate::fix::Fixer::new(args.fix);
    let mut reports = Vec::with_capacity(collected.files.len());
    let mut bytes_read = 0;
    for path in &collected.files {
        if checker.excluded(path) && !args.paths.contains(path) {
            continue;
        }
        let max_file_size = args.max_file_size.unwrap_or_else(|| {
            let config = checker.config(path).ok();
            config
                .and_then(|c| c.project.max_file_size)
                .unwrap_or(hsl_check::config::DEFAULT_MAX_FILE_SIZE)
        });
        let bytes = match hsl_syntax::read_file(path, max_file_size) {
            Ok(b) => b,
            Err(e) => {
                let help = match e {
                    ReadError::TooLarge { .. } => {
                        " (raise it with `--max-file-size` or `max-file-size` in hsl.toml)"
                    }
                    ReadError::NotRegular { .. } => "; skipped",
                    _ => "",
                };
                eprintln!("error: {}: {e}{help}", path.display());
                io_errors += 1;
                continue;
            }
        };
        bytes_read += bytes.len();
        let (text, invalid) = hsl_syntax::decode(&bytes);
        let valid = invalid.is_none();
        let mut diagnostics: Vec<_> = invalid.into_iter().collect();
        let text = match fixer.check(&checker, path, &text, valid) {
            Ok((text, found)) => {
                diagnostics.extend(found);
                text
            }
            Err(e) => {
                eprintln!("error: {e}");
                io_errors += 1;
                continue;
            }
        };
        reports.push(FileReport {
            path: path.display().to_string(),
            source: text,
            diagnostics,
        });
    }
    let files_checked = reports.len();
    // Malformed smtpd.yaml, smtpd-app.yaml and plugin declarations (HSL122).
    let cwd = std::env::current_dir().unwrap_or_default();
    reports.extend(checker.config_reports().into_iter().map(|r| {
        FileReport {
            path: r
                .path
                .strip_prefix(&cwd)
                .unwrap_or(&r.path)
                .display()
                .to_string(),
            source: r.source,
            diagnostics: r.diagnostics,
        }
    }));
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
            render::text(&reports, color, args.max_diagnostics);
            if reports.is_empty() && io_errors > 0 {
                return ExitCode::from(2);
            }
            eprintln!(
                "checked {} file{} ({} KB) in {:.0?}: {errors} error{}, {warnings} warning{}",
                files_checked,
                plural(files_checked),
                bytes_read.div_ceil(1024),
                started.elapsed(),
                plural(errors),
                plural(warnings)
            );
            fixer.summary(&reports);
        }
        Format::Json => println!("{}", render::json(&reports)),
        Format::Github => print!("{}", render::github(&reports)),
        Format::Sarif => println!("{}", render::sarif(&reports)),
    }
    if io_errors > 0 {
        ExitCode::from(2)
    } else if errors > 0 {
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
