//! The parts of a model (its top-level function declarations, walked on
//! their own): moving their facts between file and part positions, folding
//! their names into the file's, and the scope queries across parts.

use crate::model::{Call, LiteralArray, Model};
use crate::scopes::Visible;
use hsl_syntax::ast::Name;
use hsl_syntax::{Diagnostic, Span};
use std::sync::Arc;

/// Moves a position from a place starting at `from` to one starting at `to`.
fn moved(s: Span, from: u32, to: u32) -> Span {
    Span {
        start: s.start.wrapping_sub(from).wrapping_add(to),
        end: s.end.wrapping_sub(from).wrapping_add(to),
    }
}

impl Model {
    /// Moves every position from a text starting at byte `from` to one
    /// starting at `to`: `move_to(start, 0)` makes a part's facts relative
    /// to its start.
    pub fn move_to(&mut self, from: u32, to: u32) {
        self.map_spans(&|s| moved(s, from, to));
    }

    /// Replaces every position `s` of the facts by `m(s)`.
    pub(crate) fn map_spans(&mut self, m: &dyn Fn(Span) -> Span) {
        let name = |n: &mut Name| n.span = m(n.span);
        self.calls.iter_mut().for_each(|c| move_call(c, m));
        self.name_refs.iter_mut().for_each(name);
        for r in &mut self.unassigned_reads {
            r.span = m(r.span);
            r.assigned_at = r.assigned_at.map(m);
            if let Some(gap) = &mut r.maybe {
                gap.span = m(gap.span);
            }
        }
        self.readonly_writes
            .iter_mut()
            .for_each(|(_, s)| *s = m(*s));
        for k in &mut self.key_accesses {
            k.path.iter_mut().for_each(|(_, s)| *s = m(*s));
        }
        self.method_calls.iter_mut().for_each(|c| name(&mut c.name));
        for (a, b) in &mut self.unreachable {
            (*a, *b) = (m(*a), m(*b));
        }
        self.misplaced_jumps
            .iter_mut()
            .for_each(|(s, _)| *s = m(*s));
        self.decls.iter_mut().for_each(|d| name(&mut d.name));
        self.unused_variables
            .iter_mut()
            .for_each(|(_, s)| *s = m(*s));
        self.scopes.move_by(m);
    }

    /// Adds the names a part uses, reads and gives classes to, to the
    /// file's.
    pub(crate) fn absorb(&mut self, part: &Model) {
        for (names, more) in [
            (&mut self.used_names, &part.used_names),
            (&mut self.read_variables, &part.read_variables),
        ] {
            names.extend(more.iter().cloned());
        }
        for (variable, class) in &part.variable_classes {
            self.merge_class(variable, class.as_deref());
        }
    }

    /// Records that `variable` holds an instance of `class` somewhere: it
    /// keeps a class only while every assignment agrees.
    fn merge_class(&mut self, variable: &Arc<str>, class: Option<&str>) {
        match self.variable_classes.get_mut(variable) {
            None => {
                self.variable_classes
                    .insert(variable.clone(), class.map(str::to_string));
            }
            Some(known) if known.as_deref() != class => *known = None,
            Some(_) => {}
        }
    }

    /// The part whose declaration holds `offset`, if any.
    fn part_at(&self, offset: usize) -> Option<&crate::model::Part> {
        let i = self
            .parts
            .partition_point(|p| (p.span.end as usize) < offset);
        self.parts.get(i).filter(|p| p.span.contains(offset))
    }

    /// The innermost scope around `offset`: the function, method or closure
    /// body holding it, else the top level.
    pub fn visible_at(&self, offset: usize) -> Visible<'_> {
        self.part_at(offset)
            .and_then(|p| {
                let start = p.span.start;
                (p.model.scopes).nested_at(offset - start as usize, start)
            })
            .unwrap_or_else(|| self.scopes.visible_at(offset))
    }

    /// Every span naming the variable `name` (without `$`) in the scope
    /// around `offset`, sorted (see [`crate::scopes::Scopes::occurrences`]).
    pub fn occurrences(&self, offset: usize, name: &str) -> Vec<Span> {
        if let Some(p) = self.part_at(offset) {
            let start = p.span.start;
            let inner = offset - start as usize;
            if p.model.scopes.nested_at(inner, start).is_some() {
                let spans = p.model.scopes.occurrences(inner, name);
                return spans.into_iter().map(|s| moved(s, 0, start)).collect();
            }
        }
        self.scopes.occurrences(offset, name)
    }
}

fn move_call(c: &mut Call, m: &dyn Fn(Span) -> Span) {
    c.span = m(c.span);
    c.args.iter_mut().for_each(|(_, s)| *s = m(*s));
    c.arrays.iter_mut().flatten().for_each(|a| move_array(a, m));
}

fn move_array(a: &mut LiteralArray, m: &dyn Fn(Span) -> Span) {
    for e in &mut a.entries {
        e.key_span = m(e.key_span);
        e.value_span = m(e.value_span);
        if let Some(n) = &mut e.nested {
            move_array(n, m);
        }
    }
}

/// Whether every position of `d` (its span, labels and fix) lies in `part`.
pub(crate) fn diagnostic_within(d: &Diagnostic, part: Span) -> bool {
    let inside = |s: Span| part.start <= s.start && s.end <= part.end;
    inside(d.span)
        && d.labels.iter().all(|l| inside(l.span))
        && d.fix
            .as_ref()
            .is_none_or(|f| f.edits.iter().all(|e| inside(e.span)))
}

/// Moves a diagnostic's positions (its span, labels and fix) from a text
/// starting at `from` to one starting at `to`.
pub(crate) fn move_diagnostic(d: &mut Diagnostic, from: u32, to: u32) {
    map_diagnostic(d, &|s| moved(s, from, to));
}

/// Replaces every position `s` of a diagnostic (its span, labels and fix)
/// by `m(s)`.
pub(crate) fn map_diagnostic(d: &mut Diagnostic, m: &dyn Fn(Span) -> Span) {
    d.span = m(d.span);
    for l in &mut d.labels {
        l.span = m(l.span);
    }
    if let Some(fix) = &mut d.fix {
        for e in &mut fix.edits {
            e.span = m(e.span);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hsl_syntax::{Applicability, Fix};

    #[test]
    fn diagnostics_move_there_and_back_and_know_where_they_point() {
        let part = Span::new(100, 200);
        let d = Diagnostic::error("HSL101", Span::new(120, 126), "unknown")
            .with_secondary(Span::new(150, 152), "here")
            .with_fix(Some(Fix::replace(
                "Replace",
                Applicability::Safe,
                Span::new(120, 126),
                "x",
            )));
        assert!(diagnostic_within(&d, part));
        let mut relative = d.clone();
        move_diagnostic(&mut relative, 100, 0);
        assert_eq!(relative.span, Span::new(20, 26));
        assert_eq!(relative.labels[0].span, Span::new(50, 52));
        assert_eq!(
            relative.fix.as_ref().unwrap().edits[0].span,
            Span::new(20, 26)
        );
        let mut back = relative;
        move_diagnostic(&mut back, 0, 100);
        assert_eq!(back, d);
        // A label before the part: not within it, and still moved back exactly.
        let outside = d.with_secondary(Span::new(10, 12), "declared here");
        assert!(!diagnostic_within(&outside, part));
        let mut moved = outside.clone();
        move_diagnostic(&mut moved, 100, 0);
        move_diagnostic(&mut moved, 0, 100);
        assert_eq!(moved, outside);
    }
}
