//! "Did you mean …?" suggestions: by meaning first (names users bring from
//! other tools), then by edit distance.

/// Names users bring from other tools or languages, with the name Halon
/// uses; a suggestion by meaning wins over one by spelling.
const SYNONYMS: &[(&str, &str)] = &[
    ("remoteaddr", "remoteip"),
    ("remoteaddress", "remoteip"),
    ("clientip", "remoteip"),
    ("clientaddr", "remoteip"),
    ("peerip", "remoteip"),
    ("clientport", "remoteport"),
    ("localaddr", "localip"),
    ("localaddress", "localip"),
    ("serverip", "localip"),
    ("serverport", "localport"),
    ("count", "length"),
    ("sizeof", "length"),
    ("strtolower", "str_lower"),
    ("strtoupper", "str_upper"),
    ("strpos", "str_find"),
    ("json_parse", "json_decode"),
];

/// Edit distance counting insertions, deletions, substitutions and swaps of
/// two adjacent characters (optimal string alignment).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the table: two rows back (for swaps), the last, this one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before, &mut last);
        std::mem::swap(&mut last, &mut row);
    }
    last[b.len()]
}

/// The candidate a word means: its Halon name when the word is a known
/// synonym, else the closest candidate within a third of the word's length
/// (at least 1), where a difference in case only counts as the closest.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    suggest(word, candidates).map(|s| s.name)
}

/// A "did you mean" candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suggestion<'a> {
    /// The candidate.
    pub name: &'a str,
    /// No other candidate is as plausible: the word is a known synonym of
    /// it, differs from it in case only, or it is the only candidate within
    /// reach. Only a certain suggestion is applied without review.
    pub certain: bool,
}

/// The candidate a word means (as [`closest`]) and whether it is certain.
pub fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<Suggestion<'a>> {
    let length = word.chars().count();
    let limit = (length / 3).max(1);
    let lower = word.to_ascii_lowercase();
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    if let Some((_, meant)) = SYNONYMS.iter().find(|(w, _)| *w == lower) {
        if let Some(c) = candidates.iter().find(|c| *c == meant) {
            return Some(Suggestion {
                name: c,
                certain: true,
            });
        }
    }
    let mut best: Option<(usize, &str)> = None;
    // Distinct candidates within reach, and those differing in case only.
    let (mut near, mut same_letters) = (Vec::new(), 0);
    for c in candidates {
        if c == word || near.contains(&c) {
            continue;
        }
        let d = if c.eq_ignore_ascii_case(word) {
            same_letters += 1;
            0
        } else if c.chars().count().abs_diff(length) > limit {
            // The distance is at least the difference in length.
            continue;
        } else {
            distance(word, c)
        };
        if d <= limit {
            near.push(c);
            if best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
                best = Some((d, c));
            }
        }
    }
    best.map(|(d, name)| Suggestion {
        name,
        certain: near.len() == 1 || (d == 0 && same_letters == 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(distance("hots", "host"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("str_lenght", "str_length"), 1);
        // Optimal string alignment: a swapped pair is not edited again.
        assert_eq!(distance("ca", "abc"), 3);
        assert_eq!(
            closest("hots", ["verb", "host", "extensions"]),
            Some("host")
        );
        assert_eq!(closest("accept", ["Accept", "Reject"]), Some("Accept"));
        assert_eq!(closest("lenght", ["length", "log"]), Some("length"));
        assert_eq!(closest("zzz", ["length"]), None);
        assert_eq!(
            closest("remoteaddr", ["remoteport", "remoteip", "localip"]),
            Some("remoteip")
        );
        assert_eq!(
            closest("strtolower", ["str_lower", "str_upper"]),
            Some("str_lower")
        );
    }

    #[test]
    fn certainty() {
        let certain = |word, candidates: &[&'static str]| {
            suggest(word, candidates.iter().copied()).map(|s| (s.name, s.certain))
        };
        assert_eq!(
            certain("lenght", &["length", "log"]),
            Some(("length", true))
        );
        // Two candidates within reach: the closest is only a guess.
        assert_eq!(
            certain("hots", &["host", "hots1", "ports"]),
            Some(("host", false))
        );
        assert_eq!(
            certain("accept", &["Accept", "accent"]),
            Some(("Accept", true))
        );
        assert_eq!(
            certain("remoteaddr", &["remoteip", "remoteport"]),
            Some(("remoteip", true))
        );
        // The same candidate twice (a name in two scopes) is one candidate.
        assert_eq!(
            certain("lenght", &["length", "length"]),
            Some(("length", true))
        );
    }
}
