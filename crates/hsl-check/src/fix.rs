//! Applying the fixes diagnostics carry to one file (`hsl check --fix`):
//! round after round until no fix applies, never keeping a text that does
//! not parse.

use crate::Checker;
use hsl_syntax::{Applicability, Diagnostic, Fix, LineIndex, Severity, Span};
use std::collections::HashMap;
use std::path::Path;

/// Most rounds of fixes for one file: each round re-checks the text, so a
/// fix that makes another possible (two unused names of one import) is
/// applied in the next.
pub const MAX_ROUNDS: usize = 10;

/// One fix applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The code of the diagnostic it fixed.
    pub code: &'static str,
    /// What it did.
    pub title: String,
    /// 1-based line of the diagnostic in the text of its round.
    pub line: usize,
}

/// The result of fixing one file.
#[derive(Debug)]
pub struct Fixed {
    /// The fixed text (the original when no fix applied).
    pub text: String,
    /// The fixes applied, round by round.
    pub applied: Vec<Applied>,
    /// The diagnostics of the fixed text.
    pub remaining: Vec<Diagnostic>,
    /// Fixes left out because the text they gave did not parse.
    pub rejected: usize,
}

/// Applies the safe fixes of the diagnostics of `source` (and the unsafe
/// ones when `unsafe_fixes`), re-checking after each round, at most
/// [`MAX_ROUNDS`] rounds. A round whose result does not parse is dropped:
/// the text stays as the last round that parsed left it.
pub fn fix(
    checker: &Checker,
    path: &Path,
    source: &str,
    unsafe_fixes: bool,
) -> Result<Fixed, String> {
    let allowed = |a: Applicability| a == Applicability::Safe || unsafe_fixes;
    let mut text = source.to_string();
    let mut applied = Vec::new();
    let mut rejected = 0;
    let mut diagnostics = checker.check(path, &text)?;
    for _ in 0..MAX_ROUNDS {
        let fixable: Vec<&Diagnostic> = agreed(&diagnostics)
            .into_iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| allowed(f.applicability)))
            .collect();
        if fixable.is_empty() {
            break;
        }
        let fixes: Vec<&Fix> = fixable.iter().filter_map(|d| d.fix.as_ref()).collect();
        let (next, taken) = hsl_syntax::fix::apply(&text, &fixes);
        if taken.is_empty() {
            break;
        }
        if !parses(&next) {
            rejected += taken.len();
            break;
        }
        let index = LineIndex::new(&text);
        applied.extend(taken.iter().map(|&i| Applied {
            code: fixable[i].code,
            title: fixes[i].title.clone(),
            line: index.line_col(&text, fixable[i].span.start as usize).line as usize + 1,
        }));
        text = next;
        diagnostics = checker.check(path, &text)?;
    }
    Ok(Fixed {
        text,
        applied,
        remaining: diagnostics,
        rejected,
    })
}

/// The diagnostics whose fix no other diagnostic of the same code and span
/// contradicts (a shared file checked in two hooks may get two different
/// suggestions for one name: neither is applied).
fn agreed(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut fixes: HashMap<(&str, Span), Option<&Fix>> = HashMap::new();
    for d in diagnostics.iter().filter(|d| d.fix.is_some()) {
        fixes
            .entry((d.code, d.span))
            .and_modify(|f| {
                if *f != d.fix.as_ref() {
                    *f = None;
                }
            })
            .or_insert(d.fix.as_ref());
    }
    diagnostics
        .iter()
        .filter(|d| d.fix.is_some() && fixes.get(&(d.code, d.span)).is_some_and(Option::is_some))
        .collect()
}

/// Whether `text` parses without a syntax error.
fn parses(text: &str) -> bool {
    !hsl_syntax::parse(text)
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contradicting_fixes_of_one_span_are_both_left_out() {
        let at = Span::new(0, 4);
        let with = |text: &str| {
            Diagnostic::error("HSL105", at, "no key").with_fix(Fix::replace(
                "r",
                Applicability::Safe,
                at,
                text,
            ))
        };
        let other = Span::new(9, 10);
        let elsewhere = Diagnostic::error("HSL105", other, "no key").with_fix(Fix::replace(
            "r",
            Applicability::Safe,
            other,
            "x",
        ));
        let all = [with("\"host\""), with("\"helo\""), elsewhere.clone()];
        assert_eq!(agreed(&all), [&elsewhere]);
        let same = [with("\"host\""), with("\"host\"")];
        assert_eq!(agreed(&same).len(), 2);
    }
}
