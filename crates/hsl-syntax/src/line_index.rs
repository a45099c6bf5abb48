//! Conversion between byte offsets and line/column positions.

/// A line/column position. Both are 0-based; `column` counts in the unit
/// requested (bytes, chars or UTF-16 code units).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    /// 0-based line number.
    pub line: u32,
    /// 0-based column.
    pub column: u32,
}

/// Precomputed line starts of one source text; lookups are `O(log lines)`.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    /// Indexes `text` (one vectorised pass).
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        LineIndex {
            line_starts,
            len: text.len() as u32,
        }
    }

    /// The index of `text`, made from this one by replacing the bytes
    /// `start..end` of the indexed text with the `inserted` bytes of `text`
    /// at `start`: the lines before the edit are kept, those after it moved,
    /// and only the inserted text is searched.
    pub fn edited(&self, text: &str, start: usize, end: usize, inserted: usize) -> Self {
        let before = self.line_starts.partition_point(|&s| s as usize <= start);
        let after = self.line_starts.partition_point(|&s| s as usize <= end);
        let added = &text.as_bytes()[start..start + inserted];
        let mut line_starts = Vec::with_capacity(self.line_starts.len() + inserted / 16);
        line_starts.extend_from_slice(&self.line_starts[..before]);
        line_starts.extend(memchr::memchr_iter(b'\n', added).map(|i| (start + i + 1) as u32));
        let moved = |s: &u32| (*s as usize + start + inserted - end) as u32;
        line_starts.extend(self.line_starts[after..].iter().map(moved));
        LineIndex {
            line_starts,
            len: text.len() as u32,
        }
    }

    /// Number of lines (a trailing newline starts one more, empty line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where 0-based `line` starts, clamped to the text.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len) as usize
    }

    /// 0-based line containing byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len as usize) as u32;
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// Line and column of `offset`, the column counted in characters.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        self.position(text, offset, |s| s.chars().count())
    }

    /// Line and column of `offset`, the column counted in UTF-16 code units
    /// (what the language server protocol uses).
    pub fn line_col_utf16(&self, text: &str, offset: usize) -> LineCol {
        self.position(text, offset, |s| s.encode_utf16().count())
    }

    /// Byte offset of a 0-based line and UTF-16 column, clamped to the line.
    pub fn offset_utf16(&self, text: &str, pos: LineCol) -> usize {
        let start = self.line_start(pos.line as usize);
        let end = self.line_start(pos.line as usize + 1).min(text.len());
        let line = &text[start..end];
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            if units >= pos.column || c == '\n' {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        end
    }

    fn position(&self, text: &str, offset: usize, width: impl Fn(&str) -> usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        LineCol {
            line: line as u32,
            column: width(&text[start..offset]) as u32,
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_index_is_the_index_of_the_edited_text() {
        let texts = ["", "a\nb\n", "\n\n\n", "one\ntwo\r\nthree", "é\n€\n𝄞"];
        let inserts = ["", "x", "\n", "a\nb\n", "\r\n\r\n"];
        for text in texts {
            let index = LineIndex::new(text);
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for &start in &bounds {
                for &end in bounds.iter().filter(|&&e| e >= start) {
                    for insert in inserts {
                        let mut edited = text.to_string();
                        edited.replace_range(start..end, insert);
                        let got = index.edited(&edited, start, end, insert.len());
                        let want = LineIndex::new(&edited);
                        assert_eq!(
                            (got.line_starts, got.len),
                            (want.line_starts, want.len),
                            "{text:?} with {start}..{end} replaced by {insert:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn positions_count_chars_and_utf16_units() {
        let text = "a\né𝄞x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), LineCol { line: 1, column: 2 });
        assert_eq!(idx.line_col_utf16(text, x), LineCol { line: 1, column: 3 });
        assert_eq!(idx.offset_utf16(text, LineCol { line: 1, column: 3 }), x);
        assert_eq!(idx.line_col(text, 999), LineCol { line: 2, column: 0 });
    }
}
