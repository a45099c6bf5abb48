//! Quick fixes: silence a rule's diagnostic on its line with a
//! `// hsl-ignore CODE` comment (appended to one already there).

use crate::document::Document;
use std::collections::HashMap;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, Diagnostic, NumberOrString, Position, Range, TextEdit, Uri,
    WorkspaceEdit,
};

/// The quick fixes for `diagnostics` (as the editor sent them) in `doc`.
pub fn quick_fixes(uri: &Uri, doc: &Document, diagnostics: &[Diagnostic]) -> Vec<CodeAction> {
    let mut out = Vec::new();
    for d in diagnostics {
        let Some(NumberOrString::String(code)) = &d.code else {
            continue;
        };
        // Syntax errors (HSL0nn) are fixed, not silenced.
        if !code.starts_with("HSL1") || d.source.as_deref() != Some("hsl") {
            continue;
        }
        let line = d.range.start.line;
        let start = doc.offset(Position::new(line, 0));
        let text = &doc.text[start..];
        let end = start + text.find('\n').unwrap_or(text.len());
        let end = if doc.text[..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        let existing = doc.text[start..end].contains("hsl-ignore ");
        let insert = if existing {
            format!(", {code}")
        } else {
            format!(" // hsl-ignore {code}")
        };
        let at = doc.position(end);
        let edit = TextEdit {
            range: Range::new(at, at),
            new_text: insert,
        };
        out.push(CodeAction {
            title: format!("Ignore {code} on this line"),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![d.clone()]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                ..Default::default()
            }),
            ..Default::default()
        });
    }
    out
}
