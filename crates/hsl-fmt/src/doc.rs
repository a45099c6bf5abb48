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
    let mut out = String::new();
    let mut suffix = String::new();
    let mut column = 0usize;
    let mut stack: Vec<(usize, Mode, &Doc)> = vec![(0, Mode::Break, doc)];
    let width = options.line_width;
    while let Some((indent, mode, doc)) = stack.pop() {
        match doc {
            Doc::Text(s) => {
                out.push_str(s);
                column += s.chars().count();
            }
            Doc::Concat(docs) => stack.extend(docs.iter().rev().map(|d| (indent, mode, d))),
            Doc::Indent(d) => stack.push((indent + 1, mode, d)),
            Doc::Group(d, hard) => {
                let flat = mode == Mode::Flat
                    || (!hard && fits(d, &stack, width.saturating_sub(column)));
                stack.push((indent, if flat { Mode::Flat } else { Mode::Break }, d));
            }
            Doc::IfBreak(broken, flat) => {
                stack.push((indent, mode, if mode == Mode::Break { broken } else { flat }))
            }
            Doc::LineSuffix(s) => {
                if suffix.contains("//") {
                    // A line comment ends the line: the next one needs its own.
                    column = newline(&mut out, &mut suffix, indent, options);
                }
                suffix.push_str(s);
            }
            Doc::BreakParent => {}
            Doc::FreshLine => {
                let line = &out[out.rfind('\n').map_or(0, |n| n + 1)..];
                if !line.trim().is_empty() || !suffix.is_empty() {
                    column = newline(&mut out, &mut suffix, indent, options);
                }
            }
            Doc::Line if mode == Mode::Flat => {
                out.push(' ');
                column += 1;
            }
            Doc::SoftLine if mode == Mode::Flat => {}
            Doc::Line | Doc::SoftLine | Doc::HardLine => {
                column = newline(&mut out, &mut suffix, indent, options);
            }
        }
    }
    out.push_str(&suffix);
    out
}

/// Ends the line (pending trailing text first, trailing blanks dropped) and
/// indents the next one; returns the new column.
fn newline(out: &mut String, suffix: &mut String, level: usize, options: &Options) -> usize {
    out.push_str(suffix);
    suffix.clear();
    let trimmed = out.trim_end_matches([' ', '\t']).len();
    out.truncate(trimmed);
    out.push('\n');
    push_indent(out, level, options)
}

fn push_indent(out: &mut String, level: usize, options: &Options) -> usize {
    if options.use_tabs {
        out.extend(std::iter::repeat_n('\t', level));
        level * options.indent_width
    } else {
        let n = level * options.indent_width;
        out.extend(std::iter::repeat_n(' ', n));
        n
    }
}

/// Whether `doc` laid out flat, followed by the rest of the line (`rest`,
/// in its own modes), fits in `width` columns.
fn fits(doc: &Doc, rest: &[(usize, Mode, &Doc)], width: usize) -> bool {
    let mut remaining = width as isize;
    let mut todo: Vec<(Mode, &Doc)> = vec![(Mode::Flat, doc)];
    let mut rest = rest.iter().rev();
    loop {
        let Some((mode, doc)) = todo.pop().or_else(|| rest.next().map(|&(_, m, d)| (m, d)))
        else {
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
