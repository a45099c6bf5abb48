//! Output of diagnostics: rich text through codespan-reporting, or JSON.

use crate::excerpt::Excerpt;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::term::{self, termcolor};
use hsl_syntax::{Applicability, Diagnostic, LineCol, LineIndex, Severity};
use serde::Serialize;
use std::io::Write;
use std::ops::Range;

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

/// Converts a diagnostic for codespan-reporting, with its label spans
/// replaced by `spans` (primary first) and `notes` added.
fn to_codespan(d: &Diagnostic, spans: Vec<Range<usize>>, notes: Vec<String>) -> CsDiagnostic<()> {
    let messages = std::iter::once(&d.label).chain(d.labels.iter().map(|l| &l.message));
    let labels = spans
        .into_iter()
        .zip(messages)
        .enumerate()
        .map(|(i, (span, message))| {
            let label = if i == 0 {
                Label::primary((), span)
            } else {
                Label::secondary((), span)
            };
            label.with_message(message)
        })
        .collect();
    CsDiagnostic::new(severity(d.severity))
        .with_code(d.code)
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(
            d.help
                .iter()
                .map(|h| format!("help: {h}"))
                .chain(d.fix.iter().map(|f| match f.applicability {
                    Applicability::Safe => format!("fix: {} (`--fix`)", f.title),
                    Applicability::Unsafe => {
                        format!("fix: {} (`--fix --unsafe-fixes`)", f.title)
                    }
                }))
                .chain(notes)
                .collect(),
        )
}

/// Renders all reports as text on standard output (colored when `color`),
/// at most `limit` diagnostics per file (0: all) followed by a count of the
/// rest. Long lines are shown as a window around the span.
pub fn text(reports: &[FileReport], color: termcolor::ColorChoice, limit: usize) {
    let stream = termcolor::StandardStream::stdout(color);
    let mut out = stream.lock();
    let config = term::Config::default();
    for report in reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let index = LineIndex::new(&report.source);
        let shown = if limit == 0 {
            report.diagnostics.len()
        } else {
            limit.min(report.diagnostics.len())
        };
        for d in &report.diagnostics[..shown] {
            let spans: Vec<Range<usize>> = std::iter::once(d.span)
                .chain(d.labels.iter().map(|l| l.span))
                .map(|s| s.range())
                .collect();
            let (excerpt, spans, notes) =
                Excerpt::new(&report.path, &report.source, &index, &spans);
            // A diagnostic that cannot be rendered with an excerpt (never
            // expected) is still shown, without one.
            if term::emit_to_write_style(&mut out, &config, &excerpt, &to_codespan(d, spans, notes))
                .is_err()
            {
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
        let rest = report.diagnostics.len() - shown;
        if rest > 0 {
            let _ = writeln!(
                out,
                "{}: {rest} more diagnostic{} not shown (`--max-diagnostics 0` shows all)\n",
                report.path,
                if rest == 1 { "" } else { "s" }
            );
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
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

/// The fix of a diagnostic in JSON output.
#[derive(Serialize)]
pub struct JsonFix<'a> {
    title: &'a str,
    applicability: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

/// One edit of a fix: byte offsets (end exclusive), 1-based positions as
/// for diagnostics, and the replacement text.
#[derive(Serialize)]
pub struct JsonEdit<'a> {
    start: u32,
    end: u32,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    content: &'a str,
}

impl<'a> JsonFix<'a> {
    fn new(fix: &'a hsl_syntax::Fix, source: &str, index: &LineIndex) -> Self {
        let at = |offset: u32| index.line_col(source, offset as usize);
        JsonFix {
            title: &fix.title,
            applicability: fix.applicability.as_str(),
            edits: fix
                .edits
                .iter()
                .map(|e| {
                    let (start, end) = (at(e.span.start), at(e.span.end));
                    JsonEdit {
                        start: e.span.start,
                        end: e.span.end,
                        line: start.line + 1,
                        column: start.column + 1,
                        end_line: end.line + 1,
                        end_column: end.column + 1,
                        content: &e.text,
                    }
                })
                .collect(),
        }
    }
}

/// Every diagnostic with 1-based positions (columns in characters).
fn located(reports: &[FileReport]) -> Vec<JsonDiagnostic<'_>> {
    let mut all = Vec::new();
    for r in reports {
        let index = LineIndex::new(&r.source);
        let (mut starts, mut ends) = (
            Columns::new(&r.source, &index),
            Columns::new(&r.source, &index),
        );
        for d in &r.diagnostics {
            let start = starts.at(d.span.start as usize);
            let end = ends.at(d.span.end as usize);
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
                fix: d.fix.as_ref().map(|f| JsonFix::new(f, &r.source, &index)),
            });
        }
    }
    all
}

/// Line and character column of offsets, counting on from the previous
/// offset when it lies earlier on the same line: many diagnostics on one
/// long line cost one pass over it, not one per diagnostic.
struct Columns<'a> {
    source: &'a str,
    index: &'a LineIndex,
    last: Option<(usize, LineCol)>,
}

impl<'a> Columns<'a> {
    fn new(source: &'a str, index: &'a LineIndex) -> Self {
        Columns {
            source,
            index,
            last: None,
        }
    }

    fn at(&mut self, offset: usize) -> LineCol {
        let offset = offset.min(self.source.len());
        let pos = match self.last {
            Some((prev, pos))
                if prev <= offset
                    && self.index.line_of(offset) == pos.line as usize
                    && self.source.is_char_boundary(prev)
                    && self.source.is_char_boundary(offset) =>
            {
                let more = self.source[prev..offset].chars().count() as u32;
                LineCol {
                    line: pos.line,
                    column: pos.column + more,
                }
            }
            _ => self.index.line_col(self.source, offset),
        };
        self.last = Some((offset, pos));
        pos
    }
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
            let mut result = serde_json::json!({
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
            });
            if let Some(fix) = &d.fix {
                result["fixes"] = sarif_fixes(d.file, fix);
            }
            result
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

/// The SARIF `fixes` of a result: one fix whose replacements are given by
/// byte offsets in the file.
fn sarif_fixes(file: &str, fix: &JsonFix) -> serde_json::Value {
    let replacements: Vec<serde_json::Value> = fix
        .edits
        .iter()
        .map(|e| {
            serde_json::json!({
                "deletedRegion": { "byteOffset": e.start, "byteLength": e.end - e.start },
                "insertedContent": { "text": e.content },
            })
        })
        .collect();
    serde_json::json!([{
        "description": { "text": fix.title },
        "artifactChanges": [{
            "artifactLocation": { "uri": file.replace('\\', "/") },
            "replacements": replacements,
        }]
    }])
}
