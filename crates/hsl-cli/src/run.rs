//! `hsl run FILE`: executes a script and prints its `echo` output.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Arguments of `hsl run`.
#[derive(clap::Args)]
pub struct RunArgs {
    /// The script to run.
    file: PathBuf,
    /// Stop after this many evaluation steps.
    #[arg(long, default_value_t = 50_000_000)]
    max_steps: u64,
    /// Stop after this many seconds of wall-clock time (0: no limit).
    #[arg(long, default_value = "30", value_parser = seconds)]
    max_time: Duration,
    /// Bytes the script may hold: all its values together, and each string
    /// or array (at an estimated size per element) on its own.
    #[arg(long, default_value_t = 256 << 20)]
    max_memory: usize,
    /// YAML or JSON list of stubbed results: `- { function, args, returns }`.
    #[arg(long)]
    stub: Option<PathBuf>,
    #[command(flatten)]
    coverage: crate::coverage::CoverageArgs,
}

/// Runs the script; exit 1 with `file:line:column: message` on an uncaught
/// exception or limit, 2 when the file cannot be read. It runs on a thread
/// with a large stack, so scripts reach the call-depth limit, not the end
/// of the stack.
pub fn run(args: RunArgs) -> ExitCode {
    hsl_syntax::run_with_large_stack(|| execute(args))
}

fn execute(args: RunArgs) -> ExitCode {
    let bytes = match hsl_syntax::read_file(&args.file, hsl_syntax::DEFAULT_MAX_FILE_SIZE) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {}: {e}", args.file.display());
            return ExitCode::from(2);
        }
    };
    let (text, _) = hsl_syntax::decode(&bytes);
    let stubs = match &args.stub {
        None => Default::default(),
        Some(path) => match hsl_syntax::read_file(path, hsl_syntax::DEFAULT_MAX_FILE_SIZE)
            .map_err(|e| e.to_string())
            .and_then(|b| String::from_utf8(b).map_err(|_| "not UTF-8 text".to_string()))
            .and_then(|t| hsl_eval::stubs::Stubs::parse(&t))
        {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
    };
    let options = hsl_eval::Options {
        limits: hsl_eval::Limits {
            steps: args.max_steps,
            time: (!args.max_time.is_zero()).then_some(args.max_time),
            memory: args.max_memory,
            ..Default::default()
        },
        stubs,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    args.coverage.start();
    let result = hsl_eval::run_source(
        &text,
        &args.file.display().to_string(),
        &options,
        &mut |b| {
            let _ = out.write_all(b);
        },
    );
    if let Err(e) = args.coverage.finish(&[]) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// A `--max-time` value: non-negative seconds, fractions allowed.
fn seconds(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("`{text}` is not a number of seconds"))
}
