//! `textDocument/formatting` and `rangeFormatting`: the document formatted
//! with `hsl fmt`'s layout (options from the nearest `hsl.toml`), sent as
//! the changed line blocks only, so the editor keeps cursor and folds.

use crate::document::Document;
use similar::{DiffOp, TextDiff};
use std::path::Path;
use tower_lsp_server::ls_types::{Range, TextEdit};

/// The edits that format `doc` (a file at `path`), limited to the blocks
/// of changed lines that touch `range` when one is given. `None` when the
/// document has syntax errors (nothing is changed then).
pub fn edits(doc: &Document, path: &Path, range: Option<Range>) -> Option<Vec<TextEdit>> {
    let options = hsl_fmt::Options::find(path).unwrap_or_default();
    let formatted = hsl_fmt::format(&doc.text, &options).ok()?;
    let diff = TextDiff::from_lines(doc.text.as_str(), formatted.as_str());
    let (old, new) = (diff.old_slices(), diff.new_slices());
    let mut starts = Vec::with_capacity(old.len() + 1);
    let mut offset = 0;
    for line in old {
        starts.push(offset);
        offset += line.len();
    }
    starts.push(offset);
    let mut edits = Vec::new();
    for op in diff.ops() {
        if matches!(op, DiffOp::Equal { .. }) {
            continue;
        }
        let (lines, replacement) = (op.old_range(), op.new_range());
        let touches = range.is_none_or(|r| {
            let first = lines.start as u32;
            let last = lines.end.max(lines.start + 1) as u32 - 1;
            first <= r.end.line && last >= r.start.line
        });
        if touches {
            edits.push(TextEdit::new(
                Range::new(
                    doc.position(starts[lines.start]),
                    doc.position(starts[lines.end]),
                ),
                new[replacement].concat(),
            ));
        }
    }
    Some(edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::Position;

    const TEXT: &str = "if($a){echo 1;}\n$ok = 1;\nforeach($l as $v){echo $v;}\n";

    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let doc = Document::new(text.to_string(), 1);
        let mut out = text.to_string();
        for e in edits.iter().rev() {
            out.replace_range(
                doc.offset(e.range.start)..doc.offset(e.range.end),
                &e.new_text,
            );
        }
        out
    }

    #[test]
    fn whole_document_edits_give_the_formatted_text() {
        let doc = Document::new(TEXT.into(), 1);
        let edits = edits(&doc, Path::new("/nonexistent/a.hsl"), None).unwrap();
        assert_eq!(edits.len(), 2, "the formatted middle line is left alone");
        assert_eq!(
            apply(TEXT, &edits),
            "if ($a) {\n    echo 1;\n}\n$ok = 1;\nforeach ($l as $v) {\n    echo $v;\n}\n"
        );
    }

    #[test]
    fn range_formatting_changes_only_the_lines_in_range() {
        let doc = Document::new(TEXT.into(), 1);
        let range = Range::new(Position::new(2, 0), Position::new(2, 5));
        let edits = edits(&doc, Path::new("/nonexistent/a.hsl"), Some(range)).unwrap();
        assert_eq!(
            apply(TEXT, &edits),
            "if($a){echo 1;}\n$ok = 1;\nforeach ($l as $v) {\n    echo $v;\n}\n"
        );
    }

    #[test]
    fn syntax_errors_give_no_edits() {
        let doc = Document::new("if ($a { echo 1; }".into(), 1);
        assert!(edits(&doc, Path::new("/nonexistent/a.hsl"), None).is_none());
    }
}
