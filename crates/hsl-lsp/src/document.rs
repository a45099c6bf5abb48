//! Open documents: text, version and line index, with incremental edits.

use crate::analysis::Analysis;
use hsl_syntax::{LineCol, LineIndex};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

/// One open document.
#[derive(Clone, Debug)]
pub struct Document {
    /// Current text.
    pub text: String,
    /// Version given by the editor.
    pub version: i32,
    /// Line index of `text`.
    pub index: LineIndex,
    /// The analysis of this version, made on first use.
    analysis: OnceLock<Arc<Analysis>>,
}

impl Document {
    /// A document as opened by the editor.
    pub fn new(text: String, version: i32) -> Self {
        let index = LineIndex::new(&text);
        Document {
            text,
            version,
            index,
            analysis: OnceLock::new(),
        }
    }

    /// The analysis of the current version (`path` is the document's file).
    pub fn analysis(&self, path: &Path) -> Arc<Analysis> {
        self.analysis
            .get_or_init(|| Arc::new(Analysis::new(&self.text, path)))
            .clone()
    }

    /// Applies the editor's changes (ranges in UTF-16 positions) in order.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = self.offset(range.start);
                    let end = self.offset(range.end).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
            self.index = LineIndex::new(&self.text);
        }
        self.version = version;
        self.analysis = OnceLock::new();
    }

    /// Byte offset of an LSP position (clamped to the text).
    pub fn offset(&self, pos: Position) -> usize {
        self.index.offset_utf16(
            &self.text,
            LineCol {
                line: pos.line,
                column: pos.character,
            },
        )
    }

    /// LSP position of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        let lc = self.index.line_col_utf16(&self.text, offset);
        Position::new(lc.line, lc.column)
    }

    /// LSP range of a byte span.
    pub fn range(&self, span: hsl_syntax::Span) -> Range {
        Range::new(
            self.position(span.start as usize),
            self.position(span.end as usize),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range
                .map(|((a, b), (c, d))| Range::new(Position::new(a, b), Position::new(c, d))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn incremental_edits_use_utf16_columns() {
        let mut doc = Document::new("$s = \"𝄞\";\necho $s;\n".into(), 1);
        // After the 𝄞 (2 UTF-16 units) at column 6..8, insert "x".
        doc.apply(vec![change(Some(((0, 8), (0, 8))), "x")], 2);
        assert_eq!(doc.text, "$s = \"𝄞x\";\necho $s;\n");
        doc.apply(vec![change(Some(((1, 5), (1, 7))), "$t")], 3);
        assert_eq!(doc.text, "$s = \"𝄞x\";\necho $t;\n");
        assert_eq!(doc.version, 3);
        doc.apply(vec![change(None, "echo 1;")], 4);
        assert_eq!(doc.text, "echo 1;");
        assert_eq!(doc.position(5), Position::new(0, 5));
    }

    #[test]
    fn out_of_range_edits_are_clamped() {
        let mut doc = Document::new("a\n".into(), 1);
        doc.apply(vec![change(Some(((9, 9), (12, 0))), "b")], 2);
        assert_eq!(doc.text, "a\nb");
    }
}
