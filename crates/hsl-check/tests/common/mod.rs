//! One line per diagnostic for the rule tests: `line:column [Severity] CODE
//! message | help`.

use hsl_syntax::{Diagnostic, LineIndex};

/// The diagnostic as one line, 1-based position first; the severity is
/// shown when `severity` is set.
pub fn line(source: &str, index: &LineIndex, d: &Diagnostic, severity: bool) -> String {
    let at = index.line_col(source, d.span.start as usize);
    let severity = if severity {
        format!("{:?} ", d.severity)
    } else {
        String::new()
    };
    let help = d
        .help
        .as_deref()
        .map(|h| format!(" | {h}"))
        .unwrap_or_default();
    format!(
        "{}:{} {severity}{} {}{help}",
        at.line + 1,
        at.column + 1,
        d.code,
        d.message
    )
}
