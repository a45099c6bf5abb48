//! Quick fixes: the fixes the diagnostics carry (the same as
//! `hsl check --fix` applies: a corrected name, key or option, the new name
//! of an old function, a missing `;`, removing an unused assignment or
//! import), and silencing a rule's diagnostic on its line with a
//! `// hsl-ignore CODE` comment (appended to one already there).

use crate::document::Document;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, Diagnostic, NumberOrString, Position, Range, TextEdit, Uri,
    WorkspaceEdit,
};

/// The fix of a published diagnostic, kept in its `data` for the code
/// action request that follows.
#[derive(Serialize, Deserialize)]
struct FixData {
    /// What the fix does.
    title: String,
    /// A safe fix is the preferred action.
    safe: bool,
    /// The document version the edits apply to.
    version: i32,
    /// The edits, in the protocol's positions.
    edits: Vec<TextEdit>,
}

/// The `data` of the published form of `d`: its fix, if it has one.
pub fn data(doc: &Document, d: &hsl_syntax::Diagnostic) -> Option<serde_json::Value> {
    let fix = d.fix.as_ref()?;
    let data = FixData {
        title: fix.title.clone(),
        safe: fix.applicability == hsl_syntax::Applicability::Safe,
        version: doc.version,
        edits: fix
            .edits
            .iter()
            .map(|e| TextEdit {
                range: doc.range(e.span),
                new_text: e.text.clone(),
            })
            .collect(),
    };
    serde_json::to_value(data).ok()
}

/// The quick fixes for `diagnostics` (as the editor sent them) in `doc`:
/// for each, its own fix first (when it was published for this version of
/// the document), then the `hsl-ignore` comment for a rule's diagnostic.
pub fn quick_fixes(uri: &Uri, doc: &Document, diagnostics: &[Diagnostic]) -> Vec<CodeAction> {
    let mut out = Vec::new();
    for d in diagnostics {
        let Some(NumberOrString::String(code)) = &d.code else {
            continue;
        };
        if d.source.as_deref() != Some("hsl") {
            continue;
        }
        let fix = d
            .data
            .clone()
            .and_then(|v| serde_json::from_value::<FixData>(v).ok())
            .filter(|f| f.version == doc.version);
        if let Some(fix) = fix {
            out.push(action(uri, d, fix.title, fix.edits, fix.safe));
        }
        // Syntax errors (HSL0nn) are fixed, not silenced.
        if code.starts_with("HSL1") {
            out.push(ignore(uri, doc, d, code));
        }
    }
    out
}

/// A quick fix of `d` made of `edits`.
fn action(
    uri: &Uri,
    d: &Diagnostic,
    title: String,
    edits: Vec<TextEdit>,
    preferred: bool,
) -> CodeAction {
    CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![d.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }),
        is_preferred: preferred.then_some(true),
        ..Default::default()
    }
}

/// `// hsl-ignore CODE` at the end of the diagnostic's first line.
fn ignore(uri: &Uri, doc: &Document, d: &Diagnostic, code: &str) -> CodeAction {
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
    action(
        uri,
        d,
        format!("Ignore {code} on this line"),
        vec![edit],
        false,
    )
}
