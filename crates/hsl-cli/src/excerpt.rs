//! Source excerpts of bounded size for text diagnostics: a long line is
//! shown as a window around the labels, so a diagnostic costs the same on a
//! 16 KB line as on an ordinary one.

use codespan_reporting::files::{Error, Files};
use hsl_syntax::LineIndex;
use std::ops::Range;

/// Lines longer than this many bytes are shown as a window.
pub const LONG_LINE: usize = 160;
/// Bytes of context kept on each side of the labels in a window.
const CONTEXT: usize = 40;

/// One file as codespan-reporting sees it while rendering one diagnostic:
/// the real text and line numbers, but long lines narrowed to a window.
pub struct Excerpt<'a> {
    name: &'a str,
    source: &'a str,
    index: &'a LineIndex,
    /// Windows for the lines that hold label ends, by line.
    windows: Vec<(usize, Range<usize>)>,
}

impl<'a> Excerpt<'a> {
    /// Prepares the windows for labels at `spans`, and returns the spans
    /// clipped to them plus a note for each line that was shortened.
    pub fn new(
        name: &'a str,
        source: &'a str,
        index: &'a LineIndex,
        spans: &[Range<usize>],
    ) -> (Self, Vec<Range<usize>>, Vec<String>) {
        let clamp = |o: usize| floor_boundary(source, o.min(source.len()));
        let spans: Vec<Range<usize>> = spans
            .iter()
            .map(|r| clamp(r.start)..clamp(r.end.max(r.start)))
            .collect();
        let mut points: Vec<(usize, usize)> = spans
            .iter()
            .flat_map(|r| [r.start, r.end])
            .map(|o| (index.line_of(o), o))
            .collect();
        points.sort_unstable();
        let mut excerpt = Excerpt {
            name,
            source,
            index,
            windows: Vec::new(),
        };
        let mut notes = Vec::new();
        for group in points.chunk_by(|a, b| a.0 == b.0) {
            let line = group[0].0;
            let full = excerpt.full_line(line);
            let text_end = line_end(source, &full);
            if text_end - full.start <= LONG_LINE {
                continue;
            }
            let first = group[0].1;
            let last = group[group.len() - 1].1.min(first + LONG_LINE);
            let start = floor_boundary(source, first.saturating_sub(CONTEXT).max(full.start));
            let end = ceil_boundary(source, (last + CONTEXT).min(text_end));
            let column = |o: usize| source[full.start..o].chars().count() + 1;
            notes.push(format!(
                "note: line {} is {} characters long; columns {}–{} shown",
                line + 1,
                source[full.start..text_end].chars().count(),
                column(start),
                column(end) - 1
            ));
            excerpt.windows.push((line, start..end));
        }
        let spans = spans
            .into_iter()
            .map(|r| {
                let start = excerpt.clip(r.start);
                start..excerpt.clip(r.end).max(start)
            })
            .collect();
        (excerpt, spans, notes)
    }

    fn full_line(&self, line: usize) -> Range<usize> {
        self.index.line_start(line)..self.index.line_start(line + 1)
    }

    /// Moves `offset` into the window of its line, if that line has one.
    fn clip(&self, offset: usize) -> usize {
        let line = self.index.line_of(offset);
        match self.windows.iter().find(|(l, _)| *l == line) {
            Some((_, w)) => offset.clamp(w.start, w.end),
            None => offset,
        }
    }
}

/// End of the line's text, before its line break.
fn line_end(source: &str, line: &Range<usize>) -> usize {
    let text = &source[line.clone()];
    line.start + text.trim_end_matches(['\n', '\r']).len()
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl<'a> Files<'a> for Excerpt<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, _: ()) -> Result<&'a str, Error> {
        Ok(self.name)
    }

    fn source(&'a self, _: ()) -> Result<&'a str, Error> {
        Ok(self.source)
    }

    fn line_index(&'a self, _: (), byte_index: usize) -> Result<usize, Error> {
        Ok(self.index.line_of(byte_index))
    }

    fn column_number(&'a self, _: (), line: usize, byte_index: usize) -> Result<usize, Error> {
        let start = self.index.line_start(line);
        let end = floor_boundary(self.source, byte_index.clamp(start, self.source.len()));
        Ok(self.source[start..end].chars().count() + 1)
    }

    fn line_range(&'a self, _: (), line: usize) -> Result<Range<usize>, Error> {
        if line >= self.index.line_count() {
            return Err(Error::LineTooLarge {
                given: line,
                max: self.index.line_count() - 1,
            });
        }
        if let Some((_, w)) = self.windows.iter().find(|(l, _)| *l == line) {
            return Ok(w.clone());
        }
        // Context lines without labels are cut after LONG_LINE bytes.
        let full = self.full_line(line);
        let end = line_end(self.source, &full);
        if end - full.start > LONG_LINE {
            Ok(full.start..floor_boundary(self.source, full.start + LONG_LINE))
        } else {
            Ok(full)
        }
    }
}
