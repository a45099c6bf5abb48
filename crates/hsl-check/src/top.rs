//! The check of a file's top level kept between checks. The top level's
//! facts depend on the environment and on the text of its pieces alone:
//! each top-level statement that is not a part, and each part's header (its
//! name and parameters; the bodies are walked on their own). When an edit
//! leaves every piece's text as it was (it changed a function body, or the
//! space between statements), the kept facts and what the rules found in
//! them move with their pieces instead of being walked and judged again.

use crate::model::{self, Decl, Model};
use crate::parts::map_diagnostic;
use crate::reuse::Subject;
use crate::rules;
use hsl_syntax::ast::Program;
use hsl_syntax::{Diagnostic, Span};
use std::cell::Cell;
use std::sync::Arc;

/// The top level's facts and what the fact rules found in them, with the
/// text they were made from.
#[derive(Clone)]
pub(crate) struct TopCheck {
    /// The file's text at the check.
    source: Arc<String>,
    /// Where its pieces were, in source order.
    pieces: Vec<Span>,
    /// The facts, declarations left out (see [`model::top_level`]).
    model: Model,
    diagnostics: Vec<Diagnostic>,
}

/// Where each piece of `program` is: the top-level statements, a part's
/// header instead of the whole part.
pub(crate) fn pieces(program: &Program) -> Vec<Span> {
    let piece = |s: &hsl_syntax::ast::Stmt| match model::is_part(s) {
        Some(f) => Span {
            start: f.span.start,
            end: f.body.span.start,
        },
        None => s.span,
    };
    program.stmts.iter().map(piece).collect()
}

impl TopCheck {
    /// Walks the subject's top level, whose pieces are at `pieces`, and
    /// judges its facts.
    pub fn new(subject: &Subject, pieces: Vec<Span>) -> TopCheck {
        let model = model::top_level(subject.program, subject.env);
        let mut diagnostics = Vec::new();
        rules::check_facts(&subject.input(&model), &mut diagnostics);
        TopCheck {
            source: subject.kept_text(),
            pieces,
            model,
            diagnostics,
        }
    }

    /// The check moved to the subject's text, whose pieces are at
    /// `pieces`; `None` when a piece's text changed or a position lies
    /// outside the pieces.
    pub fn moved(self: Arc<Self>, subject: &Subject, pieces: Vec<Span>) -> Option<TopCheck> {
        if !self.same_pieces(subject.source, &pieces) {
            return None;
        }
        let TopCheck {
            pieces: old,
            mut model,
            mut diagnostics,
            ..
        } = Arc::unwrap_or_clone(self);
        let moves = Moves {
            old: &old,
            new: &pieces,
            last: Cell::new(0),
        };
        let failed = Cell::new(false);
        let map = |s: Span| {
            moves.span(s).unwrap_or_else(|| {
                failed.set(true);
                s
            })
        };
        diagnostics.iter_mut().for_each(|d| map_diagnostic(d, &map));
        model.map_spans(&map);
        (!failed.get()).then(|| TopCheck {
            source: subject.kept_text(),
            pieces,
            model,
            diagnostics,
        })
    }

    /// Whether the pieces of `source` at `pieces` have the texts of the
    /// kept ones.
    fn same_pieces(&self, source: &str, pieces: &[Span]) -> bool {
        fn text(source: &str, s: Span) -> Option<&str> {
            source.get(s.start as usize..s.end as usize)
        }
        self.pieces.len() == pieces.len()
            && (self.pieces.iter().zip(pieces)).all(|(&o, &n)| {
                let old = text(&self.source, o);
                old.is_some() && old == text(source, n)
            })
    }

    /// The facts of the top level, with the file's declarations `decls`.
    pub fn facts(&self, decls: &[Decl]) -> Model {
        let mut model = self.model.clone();
        model.decls = decls.to_vec();
        model
    }

    /// What the fact rules found in the top level.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

/// Where the positions of the pieces of a kept check are in a new text
/// whose pieces have the same texts.
struct Moves<'a> {
    old: &'a [Span],
    new: &'a [Span],
    /// The piece of the last position moved.
    last: Cell<usize>,
}

/// How many pieces from the last position's on are tried before searching
/// them all: a file's facts are listed in source order, and the next fact
/// is often a piece or two further (past a function's header, say).
const NEAR: usize = 4;

impl Moves<'_> {
    /// Where the position `at` is now: the piece it starts (or, for an
    /// `end`, ends) a span in decides. Positions come mostly in order: the
    /// piece of the last one and the few after it are tried first.
    fn position(&self, at: u32, end: bool) -> Option<u32> {
        let holds = |p: &Span| {
            if end {
                p.start < at && at <= p.end
            } else {
                p.start <= at && at < p.end
            }
        };
        let last = self.last.get();
        let near = last..self.old.len().min(last + NEAR);
        let i = match near.into_iter().find(|&i| holds(&self.old[i])) {
            Some(i) => i,
            None if end => self.old.partition_point(|p| p.end < at),
            None => self.old.partition_point(|p| p.end <= at),
        };
        let p = self.old.get(i).filter(|p| holds(p))?;
        self.last.set(i);
        Some(at - p.start + self.new[i].start)
    }

    /// Where the span `s` is now, if both its ends lie in pieces.
    fn span(&self, s: Span) -> Option<Span> {
        if s.start == s.end {
            let at = self
                .position(s.start, false)
                .or_else(|| self.position(s.start, true))?;
            return Some(Span { start: at, end: at });
        }
        Some(Span {
            start: self.position(s.start, false)?,
            end: self.position(s.end, true)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_move_with_their_piece_and_nowhere_else() {
        let old = [Span::new(0, 10), Span::new(10, 20), Span::new(40, 50)];
        let new = [Span::new(0, 10), Span::new(11, 21), Span::new(45, 55)];
        let moves = Moves {
            old: &old,
            new: &new,
            last: Cell::new(0),
        };
        // The end of one piece stays with it, the start of the next moves with that one.
        assert_eq!(moves.span(Span::new(2, 10)), Some(Span::new(2, 10)));
        assert_eq!(moves.span(Span::new(10, 12)), Some(Span::new(11, 13)));
        assert_eq!(moves.span(Span::new(12, 48)), Some(Span::new(13, 53)));
        assert_eq!(moves.span(Span::new(20, 20)), Some(Span::new(21, 21)));
        // Between pieces (a part's body, comments): nowhere.
        assert_eq!(moves.span(Span::new(25, 30)), None);
        assert_eq!(moves.span(Span::new(45, 60)), None);
    }

    #[test]
    fn positions_far_from_the_last_one_are_found_too() {
        // Ten pieces of 10 bytes, 5 bytes apart; the new text has 3 more
        // bytes before each piece than the one before it.
        let old: Vec<Span> = (0..10).map(|i| Span::new(i * 15, i * 15 + 10)).collect();
        let new: Vec<Span> = (0..10).map(|i| Span::new(i * 18, i * 18 + 10)).collect();
        let moves = Moves {
            old: &old,
            new: &new,
            last: Cell::new(0),
        };
        for i in [0, 9, 1, 8, 7, 2, 5] {
            let at = i * 15 + 2;
            assert_eq!(
                moves.span(Span::new(at, at + 8)),
                Some(Span::new(i * 18 + 2, i * 18 + 10)),
                "piece {i}"
            );
        }
        assert_eq!(moves.span(Span::new(9 * 15 + 12, 9 * 15 + 13)), None);
    }
}
