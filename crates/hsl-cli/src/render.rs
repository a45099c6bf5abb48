//! Output of diagnostics: rich text through codespan-reporting, or JSON.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use hsl_syntax::{Diagnostic, LineIndex, Severity};
use serde::Serialize;
use std::io::Write;

/// The diagnostics of one file with its text.
pub struct FileReport {
    /// The path as given on the command line.
    pub path: String,
    /// The (decoded) source text.
    pub source: String,
    /// Diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Output formats of `hsl check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable, with source excerpts.
    Text,
    /// One JSON array of diagnostics.
    Json,
}

fn severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Hint => CsSeverity::Help,
    }
}

/// Converts a diagnostic for codespan-reporting.
fn to_codespan(file: usize, d: &Diagnostic) -> CsDiagnostic<usize> {
    let mut labels = vec![Label::primary(file, d.span.range()).with_message(&d.label)];
    labels.extend(
        d.labels
            .iter()
            .map(|l| Label::secondary(file, l.span.range()).with_message(&l.message)),
    );
    CsDiagnostic::new(severity(d.severity))
        .with_code(d.code)
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(d.help.iter().map(|h| format!("help: {h}")).collect())
}

/// Renders all reports as text into `out` (colored when `color`).
pub fn text(reports: &[FileReport], color: termcolor::ColorChoice) {
    let mut files = SimpleFiles::new();
    let ids: Vec<usize> = reports
        .iter()
        .map(|r| files.add(r.path.clone(), r.source.clone()))
        .collect();
    let stream = termcolor::StandardStream::stdout(color);
    let mut out = stream.lock();
    let config = term::Config::default();
    for (report, id) in reports.iter().zip(ids) {
        for d in &report.diagnostics {
            // A diagnostic whose span lies outside the file (never expected)
            // is still shown, without an excerpt.
            if term::emit_to_write_style(&mut out, &config, &files, &to_codespan(id, d)).is_err() {
                let _ = writeln!(
                    out,
                    "{}: {} [{}] {}",
                    report.path,
                    d.severity.as_str(),
                    d.code,
                    d.message
                );
            }
        }
    }
}

/// One diagnostic in JSON output; positions are 1-based, columns in characters.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    file: &'a str,
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

/// The JSON array of every diagnostic of every report.
pub fn json(reports: &[FileReport]) -> String {
    let mut all = Vec::new();
    for r in reports {
        let index = LineIndex::new(&r.source);
        for d in &r.diagnostics {
            let start = index.line_col(&r.source, d.span.start as usize);
            let end = index.line_col(&r.source, d.span.end as usize);
            all.push(JsonDiagnostic {
                file: &r.path,
                code: d.code,
                severity: d.severity.as_str(),
                message: &d.message,
                line: start.line + 1,
                column: start.column + 1,
                end_line: end.line + 1,
                end_column: end.column + 1,
                help: d.help.as_deref(),
            });
        }
    }
    serde_json::to_string_pretty(&all).expect("diagnostics serialize")
}
