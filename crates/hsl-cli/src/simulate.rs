//! `hsl simulate FILE.yaml…|DIR`: replays SMTP sessions against hook scripts
//! and prints the transcripts (text, coloured on a terminal, or JSON); with
//! `expect` assertions, failures are shown as expected/actual and the exit
//! code is 1; unusable session files exit with 2.

use crate::files;
use crate::shard::Shard;
use hsl_smtp::reply::Reply;
use hsl_smtp::session::SessionError;
use hsl_smtp::transcript::{Cause, Client, HookRun, Step};
use hsl_smtp::Report;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Output formats of `hsl simulate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable transcripts.
    Text,
    /// One JSON document with every session.
    Json,
    /// JUnit XML: one test case per session, failures with expected and actual.
    Junit,
}

/// Arguments of `hsl simulate`.
#[derive(clap::Args)]
pub struct SimulateArgs {
    /// Session files, or directories whose `*.yaml` files run as a suite.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    output_format: Format,
    /// Replay only part K of N of the sessions (a stable split by path),
    /// e.g. `--shard 2/4` on the second of four CI machines.
    #[arg(long)]
    shard: Option<Shard>,
    #[command(flatten)]
    coverage: crate::coverage::CoverageArgs,
}

/// The session files named: files as given, directories' `*.yaml`/`*.yml`
/// (a directory with such a name among them is reported as invalid).
fn sessions(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, bool), String> {
    let mut out = Vec::new();
    let mut suite = paths.len() > 1;
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| format!("{}: {}", path.display(), files::io_reason(&e)))?;
        if !meta.is_dir() {
            out.push(path.clone());
            continue;
        }
        suite = true;
        let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            .collect();
        if found.is_empty() {
            return Err(format!(
                "{}: no session files (*.yaml, *.yml) in this directory",
                path.display()
            ));
        }
        found.sort();
        out.extend(found);
    }
    Ok((out, suite))
}

#[derive(Serialize)]
struct JsonError {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    message: String,
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    sessions: &'a [Report],
    errors: Vec<JsonError>,
    passed: usize,
    failed: usize,
}

/// Runs the sessions and prints the results.
pub fn run(args: SimulateArgs) -> ExitCode {
    let (paths, suite) = match sessions(&args.paths) {
        Ok((mut paths, suite)) => {
            if let Some(shard) = args.shard {
                paths.retain(|p| shard.contains(p));
            }
            (paths, suite)
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut reports = Vec::new();
    let mut errors: Vec<SessionError> = Vec::new();
    let mut workspaces = Vec::new();
    args.coverage.start();
    for path in &paths {
        match hsl_smtp::prepare(path) {
            Ok(prepared) => {
                workspaces.extend(prepared.session.workspace.as_ref().map(|w| w.path.clone()));
                reports.push(hsl_smtp::run(&prepared));
            }
            Err(e) => errors.push(e),
        }
    }
    if let Err(e) = args.coverage.finish(&workspaces) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let failed = reports.iter().filter(|r| !r.failures.is_empty()).count();
    let passed = reports.len() - failed;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.output_format {
        Format::Json => {
            let doc = JsonOutput {
                sessions: &reports,
                errors: errors
                    .iter()
                    .map(|e| JsonError {
                        file: e.file.display().to_string(),
                        line: e.location.map(|l| l.0),
                        column: e.location.map(|l| l.1),
                        message: e.message.clone(),
                    })
                    .collect(),
                passed,
                failed,
            };
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            );
        }
        Format::Junit => {
            let _ = out.write_all(crate::junit::render_suite(&reports, &errors).as_bytes());
        }
        Format::Text => {
            let paint = Paint::for_stdout();
            for (i, report) in reports.iter().enumerate() {
                if i > 0 {
                    let _ = writeln!(out);
                }
                let _ = out.write_all(render(report, paint).as_bytes());
            }
            for e in &errors {
                eprintln!("error: {e}");
            }
            if suite {
                let mut summary = format!("{passed} passed, {failed} failed");
                if !errors.is_empty() {
                    let _ = write!(summary, ", {} invalid", errors.len());
                }
                let _ = writeln!(out, "\n{summary}");
            }
        }
    }
    if !errors.is_empty() {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// ANSI colours, or none.
#[derive(Clone, Copy)]
pub(crate) struct Paint(bool);

impl Paint {
    /// No colours.
    pub(crate) fn none() -> Paint {
        Paint(false)
    }

    /// Colours when standard output is a terminal and `NO_COLOR` is unset.
    pub(crate) fn for_stdout() -> Paint {
        Paint(
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        )
    }
    fn code(self, code: &str, text: &str) -> String {
        if self.0 && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    pub(crate) fn dim(self, t: &str) -> String {
        self.code("2", t)
    }
    fn red(self, t: &str) -> String {
        self.code("31", t)
    }
    fn green(self, t: &str) -> String {
        self.code("32", t)
    }
    fn yellow(self, t: &str) -> String {
        self.code("33", t)
    }
    fn cyan(self, t: &str) -> String {
        self.code("36", t)
    }
    fn bold(self, t: &str) -> String {
        self.code("1", t)
    }
}

/// One session as text.
pub(crate) fn render(report: &Report, p: Paint) -> String {
    let t = &report.transcript;
    let mut s = format!(
        "{} {}\n",
        p.bold(&format!("== {}", t.name)),
        p.dim(&format!("({})", display(&t.file)))
    );
    for step in &t.steps {
        step_lines(&mut s, step, p);
    }
    if report.is_test {
        if report.failures.is_empty() {
            let _ = writeln!(s, "{}", p.green("PASS all expectations hold"));
        } else {
            for f in &report.failures {
                let _ = writeln!(
                    s,
                    "{} expectation {} ({})",
                    p.red("FAIL"),
                    f.index,
                    f.subject
                );
                let _ = writeln!(s, "{}", p.red(&format!("  - expected: {}", f.expected)));
                let _ = writeln!(s, "{}", p.green(&format!("  + actual:   {}", f.actual)));
            }
        }
    }
    s
}

/// Text with control characters (line breaks inside a client line, escape
/// sequences a script echoed…) shown as escapes, so that the transcript
/// reads as it happened and cannot drive the terminal.
fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.into()
}

/// A path with `\` shown as `/`, so transcripts read the same everywhere.
fn display(path: &str) -> String {
    Path::new(path).display().to_string().replace('\\', "/")
}

fn step_lines(s: &mut String, step: &Step, p: Paint) {
    match &step.client {
        Client::Connect => {}
        Client::Line { text } => {
            for command in hsl_smtp::transcript::commands(text) {
                let _ = writeln!(s, "{} {}", p.cyan("C:"), visible(command));
            }
        }
        Client::Message { source, bytes } => {
            let _ = writeln!(
                s,
                "{} {}",
                p.cyan("C:"),
                p.dim(&format!("<message {source}, {bytes} bytes>"))
            );
        }
        Client::NotSent { text, reason } => {
            let _ = writeln!(
                s,
                "{} {}",
                p.dim("C:"),
                p.dim(&format!("{}  (not sent: {reason})", visible(text)))
            );
        }
        Client::Disconnect => {
            let _ = writeln!(s, "{}", p.dim("-- disconnected"));
        }
    }
    for run in &step.hooks {
        hook_lines(s, run, p);
    }
    for reply in &step.replies {
        reply_lines(s, reply, p);
    }
}

fn hook_lines(s: &mut String, run: &HookRun, p: Paint) {
    let args: Vec<String> = run.arguments.iter().map(|a| a.to_string()).collect();
    let mut verdict = run.verdict.clone();
    if !args.is_empty() {
        verdict.push(' ');
        verdict.push_str(&args.join(", "));
    }
    let cause = match run.cause {
        Cause::Called => "",
        Cause::Implicit => "  (implicit)",
        Cause::Error => "  (on error)",
    };
    let _ = writeln!(
        s,
        "   {} → {}{}",
        p.dim(&format!("{} ({})", run.hook, run.file)),
        p.bold(&verdict),
        p.dim(cause)
    );
    if let Some(e) = &run.error {
        let _ = writeln!(s, "     {}", p.red(&format!("error: {}", visible(e))));
    }
    for note in &run.notes {
        let _ = writeln!(s, "     {}", p.yellow(&format!("note: {}", visible(note))));
    }
    for line in &run.echo {
        let _ = writeln!(s, "     {} {}", p.dim("|"), visible(line));
    }
    for q in &run.queued {
        let _ = writeln!(
            s,
            "     {} <{}> → <{}> via {}",
            p.dim("queued"),
            q.sender,
            q.recipient,
            q.transportid
        );
    }
}

fn reply_lines(s: &mut String, reply: &Reply, p: Paint) {
    for line in reply.wire_lines() {
        let line = visible(&line);
        let line = match reply.code {
            400..=499 => p.yellow(&line),
            500.. => p.red(&line),
            _ => p.green(&line),
        };
        let _ = writeln!(s, "{} {line}", p.cyan("S:"));
    }
}
