//! `hsl fmt`: rewrites files in the canonical layout, or reports
//! (`--check`, `--diff`) the files that are not in it. Files are formatted
//! on all threads; what each one prints is printed in the order of the
//! files.

use crate::files;
use hsl_fmt::Options;
use hsl_syntax::{Diagnostic, LineIndex};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

/// Arguments of `hsl fmt`.
#[derive(clap::Args)]
pub struct FmtArgs {
    /// Files or directories (searched recursively for `*.hsl`); `-` formats
    /// standard input to standard output.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Change nothing: list the files that are not formatted and exit 1.
    #[arg(long)]
    check: bool,
    /// Change nothing: print a unified diff of the changes and exit 1 if any.
    #[arg(long)]
    diff: bool,
    /// With `-`: the path whose `hsl.toml` applies to standard input.
    #[arg(long)]
    stdin_filename: Option<PathBuf>,
}

/// What happened to one file.
enum Outcome {
    Unchanged,
    Changed,
    Failed,
}

/// Runs the command; exit code 0 done (or nothing to change), 1 files not
/// formatted (`--check`, `--diff`) or left untouched because of syntax
/// errors, 2 usage, configuration or I/O error.
pub fn run(args: FmtArgs) -> ExitCode {
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        if args.paths.len() > 1 {
            eprintln!("error: `-` (standard input) cannot be combined with other paths");
            return ExitCode::from(2);
        }
        return stdin(args.stdin_filename.as_deref());
    }
    crate::large_stack_pool();
    let collected = files::collect(&args.paths, &["hsl"]);
    for skipped in &collected.skipped {
        eprintln!("warning: {skipped}");
    }
    for e in &collected.errors {
        eprintln!("error: {e}");
    }
    let paths = collected.files;
    let options = OptionsCache::default();
    let (mut changed, mut failed, mut io_errors) = (0usize, 0usize, collected.errors.len());
    let done: Vec<(Result<Outcome, String>, Printed)> = paths
        .par_iter()
        .map(|path| {
            let mut printed = Printed::default();
            (file(path, &args, &options, &mut printed), printed)
        })
        .collect();
    let mut out = std::io::stdout().lock();
    for (outcome, printed) in done {
        eprint!("{}", printed.err);
        if let Err(e) = out.write_all(&printed.out) {
            eprintln!("error: standard output: {e}");
            io_errors += 1;
        }
        match outcome {
            Ok(Outcome::Unchanged) => {}
            Ok(Outcome::Changed) => changed += 1,
            Ok(Outcome::Failed) => failed += 1,
            Err(e) => {
                eprintln!("error: {e}");
                io_errors += 1;
            }
        }
    }
    let verb = if args.check || args.diff {
        "would be reformatted"
    } else {
        "reformatted"
    };
    eprintln!(
        "{changed} of {} file{} {verb}{}",
        paths.len(),
        if paths.len() == 1 { "" } else { "s" },
        if failed > 0 {
            format!(", {failed} left unchanged (syntax errors)")
        } else {
            String::new()
        }
    );
    if io_errors > 0 {
        ExitCode::from(2)
    } else if failed > 0 || (changed > 0 && (args.check || args.diff)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Options by directory, so each `hsl.toml` lookup happens once.
#[derive(Default)]
struct OptionsCache(Mutex<HashMap<PathBuf, Options>>);

impl OptionsCache {
    fn get(&self, path: &Path) -> Result<Options, String> {
        let dir = path.parent().unwrap_or(Path::new(""));
        if let Some(found) = self.0.lock().expect("options lock").get(dir) {
            return Ok(found.clone());
        }
        let found = Options::find(path)?;
        (self.0.lock().expect("options lock")).insert(dir.to_path_buf(), found.clone());
        Ok(found)
    }
}

/// What formatting one file prints, on standard output and standard error.
#[derive(Default)]
struct Printed {
    out: Vec<u8>,
    err: String,
}

fn file(
    path: &Path,
    args: &FmtArgs,
    options: &OptionsCache,
    printed: &mut Printed,
) -> Result<Outcome, String> {
    let bytes = hsl_syntax::read_file(path, hsl_syntax::DEFAULT_MAX_FILE_SIZE)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let options = options.get(path)?;
    let (source, bad_encoding) = hsl_syntax::decode(&bytes);
    let formatted = match bad_encoding {
        Some(d) => Err(vec![d]),
        None => hsl_fmt::format(&source, &options),
    };
    let formatted = match formatted {
        Ok(f) => f,
        Err(errors) => {
            printed.err = report(&path.display().to_string(), &source, &errors);
            return Ok(Outcome::Failed);
        }
    };
    let out = &mut printed.out;
    if formatted == source {
        return Ok(Outcome::Unchanged);
    }
    let name = path.display().to_string();
    if args.diff {
        let diff = similar::TextDiff::from_lines(source.as_ref(), formatted.as_str());
        let text = diff.unified_diff().header(&name, &name).to_string();
        out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    } else if args.check {
        writeln!(out, "{name}").map_err(|e| e.to_string())?;
    } else {
        std::fs::write(path, &formatted)
            .map_err(|e| format!("{name}: {}", files::io_reason(&e)))?;
    }
    Ok(Outcome::Changed)
}

fn stdin(config_path: Option<&Path>) -> ExitCode {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("error: standard input: {e}");
        return ExitCode::from(2);
    }
    let options = match Options::find(config_path.unwrap_or(Path::new("./-"))) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (source, bad_encoding) = hsl_syntax::decode(&bytes);
    let formatted = match bad_encoding {
        Some(d) => Err(vec![d]),
        None => hsl_fmt::format(&source, &options),
    };
    match formatted {
        Ok(f) => {
            print!("{f}");
            ExitCode::SUCCESS
        }
        Err(errors) => {
            let name = config_path.map_or("<stdin>".into(), |p| p.display().to_string());
            eprint!("{}", report(&name, &source, &errors));
            ExitCode::from(1)
        }
    }
}

/// Why a file was left untouched: its first syntax error (a line).
fn report(name: &str, source: &str, errors: &[Diagnostic]) -> String {
    let Some(first) = errors.first() else {
        return String::new();
    };
    let at = LineIndex::new(source).line_col(source, first.span.start as usize);
    format!(
        "error: {name}:{}:{}: {} [{}]; not formatted (fix the syntax error first, see `hsl check`)\n",
        at.line + 1,
        at.column + 1,
        first.message,
        first.code,
    )
}
