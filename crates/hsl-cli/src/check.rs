//! `hsl check`: syntax and semantic diagnostics for files and workspaces.

use crate::color::Color;
use crate::files;
use crate::progress::Progress;
use crate::render::{self, FileReport, Format};
use crate::shard::Shard;
use crate::statistics;
use crate::watch;
use hsl_catalog::{HalonVersion, Hook};
use hsl_check::{Checker, Options};
use hsl_syntax::{Diagnostic, ReadError, Severity};
use rayon::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `hsl check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or directories (searched recursively for `*.hsl`); `-` reads
    /// standard input.
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
    /// When to colour text output (`NO_COLOR` and `CLICOLOR_FORCE` apply to
    /// `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Print diagnostics only: no summary line, no progress bar.
    #[arg(short, long)]
    quiet: bool,
    /// Exit with 1 when there are warnings, as with errors.
    #[arg(long, conflicts_with = "exit_zero")]
    deny_warnings: bool,
    /// Exit with 0 even when errors are found (unreadable files and usage
    /// errors still exit with 2).
    #[arg(long)]
    exit_zero: bool,
    /// Print the number of diagnostics per code instead of the diagnostics.
    #[arg(long)]
    statistics: bool,
    /// The path of the text read from standard input (`-`): where its
    /// workspace, hook and `hsl.toml` are looked up, and the name shown.
    #[arg(long)]
    stdin_filename: Option<PathBuf>,
    /// Check only part K of N of the files (a stable split by path), e.g.
    /// `--shard 2/4` on the second of four CI machines.
    #[arg(long)]
    shard: Option<Shard>,
    /// Check again whenever a file below the paths changes (until
    /// interrupted).
    #[arg(long, conflicts_with = "stdin_filename")]
    watch: bool,
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

/// What checking one file gave.
enum Outcome {
    Checked(FileReport, usize),
    Failed(String),
}

/// Runs the command; exit code 0 clean (warnings allowed), 1 errors found,
/// 2 usage or I/O error (after checking every file that could be read).
/// With `--watch`, checks again on each change and returns only on error.
pub fn run(args: CheckArgs) -> ExitCode {
    if args.watch {
        if args.paths.iter().any(|p| p.as_os_str() == "-") {
            eprintln!("error: `--watch` cannot read standard input");
            return ExitCode::from(2);
        }
        return watch::run(&args.paths, || {
            check_once(&args, &checker(&args));
        });
    }
    let checker = checker(&args);
    let code = check_once(&args, &checker);
    // The process ends next: freeing every cached syntax tree one by one
    // would be wasted work.
    std::mem::forget(checker);
    code
}

/// A checker with the command-line options of `args`.
fn checker(args: &CheckArgs) -> Checker {
    Checker::new(Options {
        halon: args.halon_version,
        hook: args.hook,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    })
}

/// One check of every file named.
fn check_once(args: &CheckArgs, checker: &Checker) -> ExitCode {
    let started = Instant::now();
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    let named: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let collected = files::collect(&named, &["hsl"]);
    for skipped in &collected.skipped {
        eprintln!("warning: {skipped}");
    }
    let mut io_errors = collected.errors.len();
    for e in &collected.errors {
        eprintln!("error: {e}");
    }
    // Each file's configuration is looked up on all threads (the first
    // look-ups of each folder are most of the time); `collect` keeps the
    // sorted order.
    let files: Vec<&PathBuf> = collected
        .files
        .par_iter()
        .filter(|path| !checker.excluded(path) || named.contains(path))
        .filter(|path| args.shard.is_none_or(|s| s.contains(path)))
        .collect();
    let progress = Progress::new(files.len(), "files", !args.quiet);
    let mut fixer = crate::fix::Fixer::new(args.fix);
    let mut outcomes: Vec<Outcome> = if fixer.writes() {
        // A fixed file must be seen by the files checked after it.
        files
            .iter()
            .map(|path| check_file(checker, path, args, Some(&mut fixer)))
            .collect()
    } else {
        // Workspace by workspace, the workspaces on all threads: each one's
        // scripts are parsed on all threads, then its files are checked on
        // all threads and its trees freed. The checker caches parsed files
        // behind locks and is shared by the threads.
        let mut checked: Vec<(usize, Outcome)> = checker
            .by_workspace(&files)
            .into_par_iter()
            .flat_map(|group| {
                let paths: Vec<&PathBuf> = group.iter().map(|&i| files[i]).collect();
                checker.prepare(&paths);
                group
                    .into_par_iter()
                    .map(|i| {
                        let outcome = check_file(checker, files[i], args, None);
                        progress.tick();
                        (i, outcome)
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        // The sorted order of `files`.
        checked.sort_unstable_by_key(|&(i, _)| i);
        checked.into_iter().map(|(_, outcome)| outcome).collect()
    };
    progress.finish();
    if stdin {
        outcomes.push(check_stdin(checker, args));
    }
    let mut reports = Vec::with_capacity(outcomes.len());
    let mut bytes_read = 0;
    let mut failures = std::collections::HashSet::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Checked(report, bytes) => {
                bytes_read += bytes;
                reports.push(report);
            }
            // A broken hsl.toml fails every file below it: said once.
            Outcome::Failed(message) => {
                if failures.insert(message.clone()) {
                    eprintln!("error: {message}");
                }
                io_errors += 1;
            }
        }
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
    if args.statistics {
        statistics::print(&reports, args.output_format);
    } else {
        match args.output_format {
            Format::Text => render::text(&reports, args.color.for_stdout(), args.max_diagnostics),
            Format::Json => println!("{}", render::json(&reports)),
            Format::Github => print!("{}", render::github(&reports)),
            Format::Sarif => println!("{}", render::sarif(&reports)),
        }
    }
    if args.output_format == Format::Text && !args.quiet && !(reports.is_empty() && io_errors > 0) {
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
    if io_errors > 0 {
        ExitCode::from(2)
    } else if args.exit_zero {
        ExitCode::SUCCESS
    } else if errors > 0 || (args.deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// How to check a file refused for its size.
const TOO_LARGE_HELP: &str = " (raise it with `--max-file-size` or `max-file-size` in hsl.toml)";

/// Reads and checks one file (fixing it first with `--fix`).
fn check_file(
    checker: &Checker,
    path: &Path,
    args: &CheckArgs,
    fixer: Option<&mut crate::fix::Fixer>,
) -> Outcome {
    let max_file_size = args.max_file_size.unwrap_or_else(|| {
        let config = checker.config(path).ok();
        config
            .and_then(|c| c.project.max_file_size)
            .unwrap_or(hsl_check::config::DEFAULT_MAX_FILE_SIZE)
    });
    if let Some(read) = checker.read_before(path) {
        if read.bytes > max_file_size {
            let e = ReadError::TooLarge {
                limit: max_file_size,
            };
            return Outcome::Failed(format!("{}: {e}{TOO_LARGE_HELP}", path.display()));
        }
        return check_text(checker, path, read.text, read.invalid, read.bytes, fixer);
    }
    let bytes = match hsl_syntax::read_file(path, max_file_size) {
        Ok(b) => b,
        Err(e) => {
            let help = match e {
                ReadError::TooLarge { .. } => TOO_LARGE_HELP,
                ReadError::NotRegular { .. } => "; skipped",
                _ => "",
            };
            return Outcome::Failed(format!("{}: {e}{help}", path.display()));
        }
    };
    check_bytes(checker, path, &bytes, fixer)
}

/// Checks the text of standard input as the file `--stdin-filename` (never
/// rewritten: `--fix` applies to files).
fn check_stdin(checker: &Checker, args: &CheckArgs) -> Outcome {
    let mut bytes = Vec::new();
    let limit = args
        .max_file_size
        .unwrap_or(hsl_check::config::DEFAULT_MAX_FILE_SIZE);
    let read = std::io::stdin()
        .lock()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes);
    if let Err(e) = read {
        return Outcome::Failed(format!("standard input: {}", files::io_reason(&e)));
    }
    if bytes.len() as u64 > limit {
        return Outcome::Failed(format!(
            "standard input: larger than {limit} bytes (raise it with `--max-file-size`)"
        ));
    }
    let path = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    check_bytes(checker, &path, &bytes, None)
}

/// Checks the bytes read from `path`.
fn check_bytes(
    checker: &Checker,
    path: &Path,
    bytes: &[u8],
    fixer: Option<&mut crate::fix::Fixer>,
) -> Outcome {
    let (text, invalid) = hsl_syntax::decode(bytes);
    check_text(
        checker,
        path,
        text.into_owned(),
        invalid,
        bytes.len() as u64,
        fixer,
    )
}

/// Checks the text of `path` (`bytes` long on disk, `invalid`: where it is
/// not UTF-8).
fn check_text(
    checker: &Checker,
    path: &Path,
    text: String,
    invalid: Option<Diagnostic>,
    bytes: u64,
    fixer: Option<&mut crate::fix::Fixer>,
) -> Outcome {
    let valid = invalid.is_none();
    let mut diagnostics: Vec<_> = invalid.into_iter().collect();
    let found = match fixer {
        Some(fixer) => fixer.check(checker, path, &text, valid),
        None => checker.check(path, &text).map(|found| (text, found)),
    };
    let text = match found {
        Ok((text, found)) => {
            diagnostics.extend(found);
            text
        }
        Err(e) => return Outcome::Failed(e),
    };
    let report = FileReport {
        path: path.display().to_string(),
        source: text,
        diagnostics,
    };
    Outcome::Checked(report, bytes as usize)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
