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
    /// GitHub Actions workflow annotations.
    Github,
    /// SARIF 2.1.0, for code-scanning upload.
    Sarif,
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

/// Every diagnostic with 1-based positions (columns in characters).
fn located(reports: &[FileReport]) -> Vec<JsonDiagnostic<'_>> {
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
    all
}

/// The JSON array of every diagnostic of every report.
pub fn json(reports: &[FileReport]) -> String {
    serde_json::to_string_pretty(&located(reports)).expect("diagnostics serialize")
}

/// Escapes workflow-command data (`%`, CR, LF; also `:` and `,` in properties).
fn escape(text: &str, property: bool) -> String {
    let mut out = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

/// One `::error file=…,line=…::message` line per diagnostic.
pub fn github(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for d in located(reports) {
        let level = match d.severity {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        let message = match d.help {
            Some(h) => format!("{} (help: {h})", d.message),
            None => d.message.to_string(),
        };
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape(d.file, true),
            d.line,
            d.column,
            d.end_line,
            d.end_column,
            d.code,
            escape(&message, false)
        ));
    }
    out
}

/// A SARIF 2.1.0 log with one run of `hsl`.
pub fn sarif(reports: &[FileReport]) -> String {
    let rules: Vec<serde_json::Value> = hsl_syntax::codes::ALL
        .iter()
        .map(|c| (*c, "syntax error"))
        .chain(hsl_check::rules::ALL.iter().map(|r| (r.code, r.summary)))
        .map(|(code, summary)| {
            serde_json::json!({
                "id": code,
                "shortDescription": { "text": summary },
                "help": { "text": format!("Run `hsl explain {code}` for details.") },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = located(reports)
        .into_iter()
        .map(|d| {
            let text = match d.help {
                Some(h) => format!("{}\nhelp: {h}", d.message),
                None => d.message.to_string(),
            };
            serde_json::json!({
                "ruleId": d.code,
                "level": if d.severity == "error" { "error" } else if d.severity == "warning" { "warning" } else { "note" },
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": d.file.replace('\\', "/") },
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line,
                            "endColumn": d.end_column,
                        }
                    }
                }]
            })
        })
        .collect();
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "hsl",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://docs.halon.io/hsl/",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&log).expect("SARIF serializes")
}
