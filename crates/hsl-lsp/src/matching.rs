//! Narrowing a completion answer to the word being typed, as editors
//! filter it: a label matches when the typed characters appear in it in
//! order, ignoring case (a leading `$` aside). The best matches come first
//! and at most [`LIMIT`] are answered; an answer that left any out says so,
//! and the editor asks again as the word grows.

use std::collections::HashSet;

/// The most items one answer carries: more than the built-in names and
/// keywords of any hook (about 215), so that only a file's own many
/// declarations can make a list capped.
pub const LIMIT: usize = 300;

/// How well `label` matches `typed`, best first: the same word, a label
/// starting with it, its characters in order from the start of one of the
/// label's words (after `_` or at a capital), in order anywhere. `None`
/// when they are not all in the label in order.
pub fn rank(label: &str, typed: &str) -> Option<u8> {
    let label = label.strip_prefix('$').unwrap_or(label).as_bytes();
    let typed = typed.as_bytes();
    let Some((&first, rest)) = typed.split_first() else {
        return Some(1);
    };
    if label.len() >= typed.len() && label[..typed.len()].eq_ignore_ascii_case(typed) {
        return Some(if label.len() == typed.len() { 0 } else { 1 });
    }
    let starts = |i: usize| {
        i == 0
            || !label[i - 1].is_ascii_alphanumeric()
            || (label[i - 1].is_ascii_lowercase() && label[i].is_ascii_uppercase())
    };
    let from = |word_start: bool| {
        (0..label.len())
            .find(|&i| label[i].eq_ignore_ascii_case(&first) && (!word_start || starts(i)))
            .filter(|&i| in_order(&label[i + 1..], rest))
    };
    if from(true).is_some() {
        Some(2)
    } else {
        from(false).map(|_| 3)
    }
}

/// Whether the bytes of `typed` appear in `label` in order, ignoring case.
fn in_order(label: &[u8], typed: &[u8]) -> bool {
    let mut label = label.iter();
    typed
        .iter()
        .all(|t| label.any(|l| l.eq_ignore_ascii_case(t)))
}

/// The best of `candidates` for `typed`, in rank order (ties in the given
/// order), one per label, at most [`LIMIT`]; and whether any was left out.
pub fn best<'c, T>(
    candidates: &'c [T],
    typed: &str,
    label: impl Fn(&'c T) -> &'c str,
) -> (Vec<&'c T>, bool) {
    let mut ranked: Vec<(u8, &T)> = candidates
        .iter()
        .filter_map(|c| Some((rank(label(c), typed)?, c)))
        .collect();
    let filtered = ranked.len() < candidates.len();
    ranked.sort_by_key(|&(rank, _)| rank);
    let mut seen = HashSet::new();
    let mut rest = ranked.into_iter().map(|(_, c)| c);
    let chosen: Vec<&T> = rest
        .by_ref()
        .filter(|&c| seen.insert(label(c)))
        .take(LIMIT)
        .collect();
    let capped = rest.any(|c| !seen.contains(label(c)));
    (chosen, filtered || capped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_as_editors_filter() {
        assert_eq!(rank("echo", "echo"), Some(0));
        assert_eq!(rank("echo", "ec"), Some(1));
        assert_eq!(rank("$arguments", "Arg"), Some(1), "case and `$` aside");
        assert_eq!(rank("str_find", "fi"), Some(2), "a word's start");
        assert_eq!(
            rank("getHeader", "head"),
            Some(2),
            "a capital starts a word"
        );
        assert_eq!(rank("str_find", "sf"), Some(2));
        assert_eq!(rank("str_find", "ind"), Some(3));
        assert_eq!(rank("str_find", "fs"), None, "out of order");
        assert_eq!(rank("echo", ""), Some(1), "nothing typed: everything");
    }

    #[test]
    fn keeps_the_best_once_each_and_says_what_it_left_out() {
        let labels = ["str_find", "each", "echo", "echo", "else"];
        let (chosen, incomplete) = best(&labels, "ec", |l| *l);
        assert_eq!(chosen, [&"echo", &"each"], "a prefix first");
        assert!(incomplete, "filtered");
        let (chosen, incomplete) = best(&labels, "e", |l| *l);
        assert_eq!(chosen, [&"each", &"echo", &"else"]);
        assert!(incomplete, "`str_find` has no `e`");
        let (chosen, incomplete) = best(&labels, "", |l| *l);
        assert_eq!(chosen.len(), 4);
        assert!(!incomplete, "all of them, duplicates aside");
        let many: Vec<String> = (0..LIMIT + 1).map(|i| format!("f{i}")).collect();
        let (chosen, incomplete) = best(&many, "f1", String::as_str);
        assert_eq!(chosen[0], "f1", "the same word first");
        assert!(chosen.len() < LIMIT && incomplete);
        let (chosen, incomplete) = best(&many, "", String::as_str);
        assert_eq!(chosen.len(), LIMIT);
        assert!(incomplete, "capped");
    }
}
