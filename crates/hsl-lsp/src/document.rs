//! Open documents: text, version and line index, with incremental edits.
//! A document is cheap to clone: clones share the text and the analysis of
//! the version, so every request about one version reuses one parse.

use crate::analysis::{Analysis, Edit};
use hsl_syntax::{LineCol, LineIndex};
use hsl_workspace::Project;
use std::path::Path;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

/// One open document.
#[derive(Clone, Debug)]
pub struct Document {
    /// Current text.
    pub text: Arc<String>,
    /// Version given by the editor.
    pub version: i32,
    /// The newest version of the document, shared by the clones of every
    /// version: a check of an older one stops early.
    latest: Arc<AtomicI32>,
    /// Line index of `text`.
    pub index: Arc<LineIndex>,
    /// The analysis of this version, made on first use.
    analysis: Arc<OnceLock<Arc<Analysis>>>,
    /// The last analysis made for an earlier version and the edit since it,
    /// from which the analysis of this version is derived: taken by the
    /// clone that makes the analysis, so that the earlier tree can be edited
    /// in place when nothing else holds it.
    base: Arc<Mutex<Option<Base>>>,
}

/// An earlier version's analysis and the edit since.
type Base = (Arc<Analysis>, Edit);

impl Document {
    /// A document as opened by the editor.
    pub fn new(text: String, version: i32) -> Self {
        let index = Arc::new(LineIndex::new(&text));
        Document {
            text: Arc::new(text),
            version,
            latest: Arc::new(AtomicI32::new(version)),
            index,
            analysis: Arc::default(),
            base: Arc::default(),
        }
    }

    /// The analysis of the current version (`path` is the document's file,
    /// its `include` and `import` ids resolve in `project`; a text larger
    /// than `limit` bytes is not analysed).
    pub fn analysis(&self, path: &Path, project: &Project, limit: u64) -> Arc<Analysis> {
        self.analysis
            .get_or_init(|| {
                if self.text.len() as u64 > limit {
                    return Arc::new(Analysis::too_large(limit));
                }
                let base = self.base.lock().expect("base lock").take();
                let analysis = match base {
                    Some((base, edit)) => Analysis::edited(base, edit, &self.text, path, project),
                    None => Analysis::new(&self.text, path, project),
                };
                Arc::new(analysis)
            })
            .clone()
    }

    /// The analysis of the current version if it has been made.
    pub fn analysed(&self) -> Option<Arc<Analysis>> {
        self.analysis.get().cloned()
    }

    /// Applies the editor's changes (ranges in UTF-16 positions) in order.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32) {
        // This version's base, in a cell of its own: clones of the earlier
        // version keep theirs.
        let mut base = self.base.lock().expect("base lock").take();
        if let Some(current) = self.analysis.get() {
            crate::reclaim::later(base.replace((current.clone(), Edit::default())));
        }
        let text = Arc::make_mut(&mut self.text);
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = self.index.offset_utf16(text, lsp_line_col(range.start));
                    let end = self
                        .index
                        .offset_utf16(text, lsp_line_col(range.end))
                        .max(start);
                    text.replace_range(start..end, &change.text);
                    if let Some((_, edit)) = &mut base {
                        *edit = edit.then(start, end, change.text.len());
                    }
                    let index = self.index.edited(text, start, end, change.text.len());
                    self.index = Arc::new(index);
                }
                None => {
                    *text = change.text;
                    crate::reclaim::later(base.take());
                    self.index = Arc::new(LineIndex::new(text));
                }
            }
        }
        self.version = version;
        self.latest.store(version, Ordering::Release);
        self.base = Arc::new(Mutex::new(base));
        self.analysis = Arc::default();
    }

    /// Whether the editor has a newer version than this one.
    pub fn superseded(&self) -> bool {
        self.latest.load(Ordering::Acquire) != self.version
    }

    /// Byte offset of an LSP position (clamped to the text).
    pub fn offset(&self, pos: Position) -> usize {
        self.index.offset_utf16(&self.text, lsp_line_col(pos))
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

fn lsp_line_col(pos: Position) -> LineCol {
    LineCol {
        line: pos.line,
        column: pos.character,
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
        assert_eq!(*doc.text, "$s = \"𝄞x\";\necho $s;\n");
        doc.apply(vec![change(Some(((1, 5), (1, 7))), "$t")], 3);
        assert_eq!(*doc.text, "$s = \"𝄞x\";\necho $t;\n");
        assert_eq!(doc.version, 3);
        doc.apply(vec![change(None, "echo 1;")], 4);
        assert_eq!(*doc.text, "echo 1;");
        assert_eq!(doc.position(5), Position::new(0, 5));
    }

    #[test]
    fn out_of_range_edits_are_clamped() {
        let mut doc = Document::new("a\n".into(), 1);
        doc.apply(vec![change(Some(((9, 9), (12, 0))), "b")], 2);
        assert_eq!(*doc.text, "a\nb");
    }
}
