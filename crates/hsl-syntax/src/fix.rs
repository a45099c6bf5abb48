//! Fixes carried by diagnostics: text edits that resolve a finding, shared
//! by `hsl check --fix` and the language server's quick fixes.

use crate::Span;

/// Whether a fix may be applied without review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Applicability {
    /// Keeps the script's meaning as intended (`hsl check --fix`).
    Safe,
    /// Probably right, but may change behaviour or pick a wrong candidate
    /// (`hsl check --fix --unsafe-fixes`).
    Unsafe,
}

impl Applicability {
    /// Lower-case name as used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replacement of the text at `span` (empty for an insertion).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Byte range replaced.
    pub span: Span,
    /// New text.
    pub text: String,
}

/// A set of edits that together resolve one diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, as a command (`Replace with `length``).
    pub title: String,
    /// Non-overlapping edits, in source order.
    pub edits: Vec<Edit>,
    /// Whether it may be applied without review.
    pub applicability: Applicability,
}

impl Fix {
    /// A fix of several edits (sorted here).
    pub fn new(
        title: impl Into<String>,
        applicability: Applicability,
        mut edits: Vec<Edit>,
    ) -> Self {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        Fix {
            title: title.into(),
            edits,
            applicability,
        }
    }

    /// A fix replacing the text at `span` with `text`.
    pub fn replace(
        title: impl Into<String>,
        applicability: Applicability,
        span: Span,
        text: impl Into<String>,
    ) -> Self {
        Fix::new(
            title,
            applicability,
            vec![Edit {
                span,
                text: text.into(),
            }],
        )
    }

    /// The span from the first edit's start to the last edit's end.
    pub fn extent(&self) -> Option<Span> {
        let first = self.edits.first()?;
        let last = self.edits.iter().map(|e| e.span.end).max()?;
        Some(Span::new(first.span.start as usize, last as usize))
    }
}

/// Applies as many of `fixes` as do not overlap or touch each other
/// (earlier ones in source order win) and returns the new text with the
/// positions in `fixes` of those applied. A fix with an edit outside the
/// text or off a character boundary is skipped.
pub fn apply(source: &str, fixes: &[&Fix]) -> (String, Vec<usize>) {
    let mut order: Vec<(usize, Span)> = fixes
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            f.edits.iter().all(|e| {
                let (s, t) = (e.span.start as usize, e.span.end as usize);
                s <= t
                    && t <= source.len()
                    && source.is_char_boundary(s)
                    && source.is_char_boundary(t)
            })
        })
        .filter_map(|(i, f)| Some((i, f.extent()?)))
        .collect();
    order.sort_by_key(|(i, s)| (s.start, s.end, *i));
    let mut applied = Vec::new();
    let mut edits: Vec<&Edit> = Vec::new();
    let mut end: Option<u32> = None;
    for (i, extent) in order {
        if end.is_some_and(|e| extent.start <= e) {
            continue;
        }
        end = Some(extent.end);
        edits.extend(&fixes[i].edits);
        applied.push(i);
    }
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for e in edits {
        let (s, t) = (e.span.start as usize, e.span.end as usize);
        if s < at {
            // Edits of one fix that overlap each other: never produced.
            continue;
        }
        out.push_str(&source[at..s]);
        out.push_str(&e.text);
        at = t;
    }
    out.push_str(&source[at..]);
    applied.sort_unstable();
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace(start: usize, end: usize, text: &str) -> Fix {
        Fix::replace("r", Applicability::Safe, Span::new(start, end), text)
    }

    #[test]
    fn applies_edits_in_order() {
        let (b, x) = (replace(4, 5, "b"), replace(0, 1, "X"));
        assert_eq!(
            apply("a = a;", &[&b, &x]),
            ("X = b;".to_string(), vec![0, 1])
        );
    }

    #[test]
    fn skips_overlapping_and_invalid_fixes() {
        let fixes = [
            replace(1, 99, "out"),
            replace(2, 4, "two"),
            replace(0, 3, "one"),
            replace(3, 3, ";"),
        ];
        let fixes: Vec<&Fix> = fixes.iter().collect();
        // The first ends outside the text, the second overlaps the third,
        // the insertion touches its end.
        assert_eq!(apply("abcdef", &fixes), ("onedef".to_string(), vec![2]));
    }

    #[test]
    fn multi_edit_fix_swaps_arguments() {
        let edit = |start, end, text: &str| Edit {
            span: Span::new(start, end),
            text: text.into(),
        };
        let swap = Fix::new(
            "swap",
            Applicability::Safe,
            vec![
                edit(12, 15, "$s"),
                edit(0, 7, "str_split"),
                edit(8, 10, "\",\""),
            ],
        );
        assert_eq!(
            apply("explode($s, \",\")", &[&swap]),
            ("str_split(\",\", $s)".to_string(), vec![0])
        );
    }
}
