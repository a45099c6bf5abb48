//! A Wadler-style document and its printer: text, line breaks and groups
//! that are laid out flat when they fit in the remaining width and broken
//! (every line of the group on its own line) when they do not.

use crate::Options;

/// A layout document.
#[derive(Clone, Debug)]
pub enum Doc {
    /// Literal text without newlines.
    Text(String),
    /// Documents one after another.
    Concat(Vec<Doc>),
    /// Lays out its content flat if it fits, broken otherwise; `true` when
    /// the content holds a hard line and therefore always breaks.
    Group(Box<Doc>, bool),
    /// Indents the lines started inside one level.
    Indent(Box<Doc>),
    /// A space when flat, a newline when broken.
    Line,
    /// Nothing when flat, a newline when broken.
    SoftLine,
    /// Always a newline (and breaks every enclosing group).
    HardLine,
    /// The first document when the enclosing group is broken, else the second.
    IfBreak(Box<Doc>, Box<Doc>),
    /// Text printed at the end of the current line, before its newline (a
    /// trailing comment).
    LineSuffix(String),
    /// Prints nothing but breaks every enclosing group.
    BreakParent,
    /// A newline unless the current line is still empty (breaks every
    /// enclosing group).
    FreshLine,
}

impl Doc {
    /// A text document.
    pub fn text(s: impl Into<String>) -> Doc {
        Doc::Text(s.into())
    }

    /// A group; it always breaks when `doc` holds a hard line.
    pub fn group(doc: Doc) -> Doc {
        let hard = doc.has_hard_line();
        Doc::Group(Box::new(doc), hard)
    }

    /// `doc` indented one level.
    pub fn indent(doc: Doc) -> Doc {
        Doc::Indent(Box::new(doc))
    }

    /// `broken` when the enclosing group breaks, else `flat`.
    pub fn if_break(broken: Doc, flat: Doc) -> Doc {
        Doc::IfBreak(Box::new(broken), Box::new(flat))
    }

    fn has_hard_line(&self) -> bool {
        match self {
            Doc::HardLine | Doc::BreakParent | Doc::FreshLine => true,
            Doc::Group(_, hard) => *hard,
            Doc::Concat(docs) => docs.iter().any(Doc::has_hard_line),
            Doc::Indent(d) => d.has_hard_line(),
            Doc::IfBreak(b, f) => b.has_hard_line() || f.has_hard_line(),
            Doc::Text(_) | Doc::Line | Doc::SoftLine | Doc::LineSuffix(_) => false,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Flat,
    Break,
}

/// Renders `doc` with the width and indentation of `options`.
pub fn print(doc: &Doc, options: &Options) -> String {
    let mut out = Output {
        text: String::new(),
        suffix: String::new(),
        pending: None,
        column: 0,
        line_comment: false,
        options,
    };
    let mut stack: Vec<(usize, Mode, &Doc)> = vec![(0, Mode::Break, doc)];
    let width = options.line_width;
    while let Some((indent, mode, doc)) = stack.pop() {
        match doc {
            Doc::Text(s) => out.text(s),
            Doc::Concat(docs) => stack.extend(docs.iter().rev().map(|d| (indent, mode, d))),
            Doc::Indent(d) => stack.push((indent + 1, mode, d)),
            Doc::Group(d, hard) => {
                let flat = mode == Mode::Flat
                    || (!hard && fits(d, &stack, width.saturating_sub(out.column)));
                stack.push((indent, if flat { Mode::Flat } else { Mode::Break }, d));
            }
            Doc::IfBreak(broken, flat) => stack.push((
                indent,
                mode,
                if mode == Mode::Break { broken } else { flat },
            )),
            Doc::LineSuffix(s) => out.line_suffix(s, indent),
            Doc::BreakParent => {}
            Doc::FreshLine => out.fresh_line(indent),
            Doc::Line if mode == Mode::Flat => out.text(" "),
            Doc::SoftLine if mode == Mode::Flat => {}
            Doc::Line | Doc::SoftLine | Doc::HardLine => out.newline(indent),
        }
    }
    out.finish()
}

/// The text printed so far. Newlines are held back until the next text so
/// a trailing comment met right after a line break still ends the line
/// before it.
struct Output<'o> {
    text: String,
    /// Trailing comments waiting for the end of the line.
    suffix: String,
    /// Newlines owed before the next text, the indentation after them, and
    /// whether one more newline merges into them.
    pending: Option<(usize, usize, bool)>,
    column: usize,
    /// Whether the last line printed ends in a `//` comment.
    line_comment: bool,
    options: &'o Options,
}

impl Output<'_> {
    fn text(&mut self, s: &str) {
        self.flush_newlines();
        // Only a comment prints as text starting with `//`.
        self.line_comment |= s.starts_with("//");
        self.text.push_str(s);
        self.column += s.chars().count();
    }

    fn newline(&mut self, indent: usize) {
        let count = match self.pending {
            Some((n, _, true)) => n,
            Some((n, _, false)) => n + 1,
            None => 1,
        };
        self.pending = Some((count, indent, false));
        self.column = self.indent_width(indent);
    }

    /// A newline unless the current line is still empty; a newline right
    /// after it adds no blank line.
    fn fresh_line(&mut self, indent: usize) {
        if let Some((n, _, merge)) = self.pending {
            self.pending = Some((n, indent, merge));
            return;
        }
        let line = &self.text[self.text.rfind('\n').map_or(0, |n| n + 1)..];
        if !line.trim().is_empty() || !self.suffix.is_empty() {
            self.pending = Some((1, indent, true));
            self.column = self.indent_width(indent);
        }
    }

    fn line_suffix(&mut self, s: &str, indent: usize) {
        if self.suffix.contains("//") || self.line_comment {
            // A line comment already ends this line: this comment gets a
            // line of its own.
            self.fresh_line(indent);
            self.text(s.trim_start());
            self.fresh_line(indent);
        } else {
            self.suffix.push_str(s);
        }
    }

    fn end_line(&mut self) {
        let trimmed = self.text.trim_end_matches([' ', '\t']).len();
        self.text.truncate(trimmed);
        self.text.push_str(&self.suffix);
        self.suffix.clear();
    }

    fn flush_newlines(&mut self) {
        if let Some((count, indent, _)) = self.pending.take() {
            self.end_line();
            self.line_comment = false;
            self.text.extend(std::iter::repeat_n('\n', count));
            let (ch, n) = if self.options.use_tabs {
                ('\t', indent)
            } else {
                (' ', indent * self.options.indent_width)
            };
            self.text.extend(std::iter::repeat_n(ch, n));
        }
    }

    fn indent_width(&self, indent: usize) -> usize {
        indent * self.options.indent_width
    }

    fn finish(mut self) -> String {
        let newlines = self.pending.take().map_or(0, |(n, _, _)| n);
        self.end_line();
        self.text.extend(std::iter::repeat_n('\n', newlines));
        self.text
    }
}

/// Whether `doc` laid out flat, followed by the rest of the line (`rest`,
/// in its own modes), fits in `width` columns.
fn fits(doc: &Doc, rest: &[(usize, Mode, &Doc)], width: usize) -> bool {
    let mut remaining = width as isize;
    let mut todo: Vec<(Mode, &Doc)> = vec![(Mode::Flat, doc)];
    let mut rest = rest.iter().rev();
    loop {
        let Some((mode, doc)) = todo.pop().or_else(|| rest.next().map(|&(_, m, d)| (m, d))) else {
            return true;
        };
        match doc {
            Doc::Text(s) => {
                remaining -= s.chars().count() as isize;
                if remaining < 0 {
                    return false;
                }
            }
            Doc::Concat(docs) => todo.extend(docs.iter().rev().map(|d| (mode, d))),
            Doc::Indent(d) => todo.push((mode, d)),
            Doc::Group(d, hard) => todo.push((if *hard { Mode::Break } else { mode }, d)),
            Doc::IfBreak(broken, flat) => {
                todo.push((mode, if mode == Mode::Break { broken } else { flat }))
            }
            Doc::LineSuffix(_) | Doc::BreakParent => {}
            Doc::Line | Doc::SoftLine if mode == Mode::Flat => {
                remaining -= matches!(doc, Doc::Line) as isize;
                if remaining < 0 {
                    return false;
                }
            }
            Doc::Line | Doc::SoftLine | Doc::HardLine | Doc::FreshLine => return true,
        }
    }
}
