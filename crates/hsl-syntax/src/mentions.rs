//! Where some keywords occur in a text, so that a walk looking for the
//! statements they start (declarations, includes, imports) can skip the
//! top-level statements whose text holds none of them: a keyword cannot be
//! written any other way. Comments and strings may hold the words too; such
//! a statement is walked for nothing.

use crate::Span;
use memchr::memmem::Finder;

/// Words to look for, each one's searcher built once (building one costs
/// more than searching a small file).
#[derive(Debug)]
pub struct Words(Vec<Finder<'static>>);

impl Words {
    /// Searchers of `words`.
    pub fn new(words: &[&str]) -> Words {
        Words(words.iter().map(|w| Finder::new(w).into_owned()).collect())
    }
}

/// The sorted positions of some words in a text.
#[derive(Debug)]
pub struct Mentions(Vec<u32>);

impl Mentions {
    /// Where `words` occur in `source`.
    pub fn of(source: &str, words: &Words) -> Mentions {
        let mut at: Vec<u32> = words
            .0
            .iter()
            .flat_map(|w| w.find_iter(source.as_bytes()))
            .map(|i| i as u32)
            .collect();
        at.sort_unstable();
        Mentions(at)
    }

    /// Whether one of the words starts inside `span` after its first byte
    /// (where the statement's own keyword is).
    pub fn inside(&self, span: Span) -> bool {
        let i = self.0.partition_point(|&p| p <= span.start);
        self.0.get(i).is_some_and(|&p| p < span.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_after_a_statements_first_byte_count() {
        let text = "function f() { global $x; }\necho 1;\nclass C {}";
        let m = Mentions::of(text, &Words::new(&["function", "global", "class"]));
        assert!(m.inside(Span::new(0, 27)), "the nested `global`");
        assert!(!m.inside(Span::new(0, 14)), "the statement's own keyword");
        assert!(!m.inside(Span::new(28, 35)));
        assert!(!m.inside(Span::new(36, 46)));
    }
}
