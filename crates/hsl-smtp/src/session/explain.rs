//! Turns the YAML reader's errors into messages a session author can act
//! on: a suggestion for a misspelt key, the position of a duplicated key or
//! of a missing file's name (the reader points at the enclosing mapping),
//! and plain words for its nesting and alias-expansion limits.

/// The improved message and location of a reader error.
pub(super) fn explain(
    text: &str,
    message: &str,
    location: Option<(usize, usize)>,
) -> (String, Option<(usize, usize)>) {
    if let Some(m) = suggest_field(message) {
        return (m, location);
    }
    if message.ends_with("repetition limit exceeded") {
        return (
            "YAML aliases expand to too many values (repetition limit exceeded)".into(),
            location.or_else(|| first_alias(text).map(|at| position(text, at))),
        );
    }
    if message.ends_with("recursion limit exceeded") {
        return (
            "values are nested too deeply (recursion limit exceeded)".into(),
            location,
        );
    }
    let located = location.and_then(|at| {
        let start = offset(text, at)?;
        let found = if let Some(key) = quoted_after(message, "duplicate field `") {
            duplicate_key(text, start, at.1, key)
        } else {
            // A file name (`path: `name` not found`): reported at the mapping.
            let named = message.starts_with('`') || message.contains(": `");
            let value = quoted_after(message, "`").filter(|_| named)?;
            scalar(text, start, value)
        }?;
        Some(position(text, found))
    });
    (message.to_string(), located.or(location))
}

/// "unknown field `verdit`, expected one of …" with a close known field:
/// "unknown field `verdit`; did you mean `verdict`?"
fn suggest_field(message: &str) -> Option<String> {
    let start = message.find("unknown field `")?;
    let (head, expected) = message[start..].split_once(", expected")?;
    let word = quoted_after(head, "`")?;
    let known = expected.split('`').skip(1).step_by(2);
    let suggestion = hsl_syntax::suggest::closest(word, known)?;
    Some(format!(
        "{}{head}; did you mean `{suggestion}`?",
        &message[..start]
    ))
}

/// The text between `prefix` and the next backtick.
fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    Some(&rest[..rest.find('`')?])
}

/// The byte offset of the second `key:` of the mapping that starts at
/// `start` (block mappings: keys at the column of the first key; flow
/// mappings: keys after `{` or `,`).
fn duplicate_key(text: &str, start: usize, column: usize, key: &str) -> Option<usize> {
    let flow = text[start..].starts_with('{');
    text[start..]
        .match_indices(key)
        .map(|(i, _)| start + i)
        .filter(|&at| {
            let after = text[at + key.len()..].trim_start_matches([' ', '\t']);
            let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
            let before = &text[line_start..at];
            after.starts_with(':')
                && if flow {
                    before.trim_end().ends_with(['{', ','])
                } else {
                    before.chars().all(|c| c == ' ') && before.len() + 1 == column
                }
        })
        .nth(1)
}

/// The byte offset of the first scalar `value` at or after `start` (a
/// whole value, not part of a longer word or a key).
fn scalar(text: &str, start: usize, value: &str) -> Option<usize> {
    let bounded =
        |c: Option<char>, ends: &[char]| c.is_none_or(|c| c.is_whitespace() || ends.contains(&c));
    text[start..]
        .match_indices(value)
        .map(|(i, _)| start + i)
        .find(|&at| {
            bounded(
                text[..at].chars().next_back(),
                &['"', '\'', ':', '[', '{', ','],
            ) && bounded(
                text[at + value.len()..].chars().next(),
                &['"', '\'', ',', '}', ']', '#'],
            )
        })
}

/// The byte offset of the first alias (`*name`) of an anchor (`&name`).
fn first_alias(text: &str) -> Option<usize> {
    let name_at = |i: usize| {
        let rest = &text[i + 1..];
        let end = rest
            .find(|c: char| c.is_whitespace() || "[]{},".contains(c))
            .unwrap_or(rest.len());
        &rest[..end]
    };
    let starts_token = |i: usize| {
        text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || "[{,:-".contains(c))
    };
    let anchors: std::collections::HashSet<&str> = text
        .match_indices('&')
        .filter(|&(i, _)| starts_token(i))
        .map(|(i, _)| name_at(i))
        .collect();
    text.match_indices('*')
        .map(|(i, _)| i)
        .find(|&i| starts_token(i) && anchors.contains(name_at(i)))
}

/// The byte offset of a 1-based line and column (columns in characters).
fn offset(text: &str, (line, column): (usize, usize)) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = &text[line_start..];
    let within = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    Some(line_start + within)
}

/// The 1-based line and column (in characters) of a byte offset.
pub(super) fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_keys_get_a_suggestion() {
        let m = "expect[0]: unknown field `verdit`, expected one of `command`, `verdict`, `reply`";
        assert_eq!(
            explain("", m, Some((4, 22))),
            (
                "expect[0]: unknown field `verdit`; did you mean `verdict`?".into(),
                Some((4, 22))
            )
        );
        let far = "unknown field `zzz`, expected one of `name`, `halon`";
        assert_eq!(explain("", far, None).0, far);
    }

    #[test]
    fn duplicate_keys_point_at_the_second_one() {
        let block = "server:\n  id: a\n  ids: x\n  id: b\n";
        let m = "server: duplicate field `id`";
        assert_eq!(explain(block, m, Some((2, 3))).1, Some((4, 3)));
        let flow = "expect:\n  - { reply: a, reply: b }\n";
        let m = "expect[0]: duplicate field `reply`";
        assert_eq!(explain(flow, m, Some((2, 5))).1, Some((2, 17)));
    }

    #[test]
    fn missing_files_point_at_their_name() {
        let text = "workspace: nope\nconversation: []\n";
        assert_eq!(
            explain(text, "`nope` not found", Some((1, 1))).1,
            Some((1, 12))
        );
    }

    #[test]
    fn alias_bombs_point_at_the_first_alias() {
        let text = "a: \"*x\"\nb: &x [1, 2]\nc: [*y, *x, *x]\n";
        let m = "repetition limit exceeded";
        assert_eq!(explain(text, m, None).1, Some((3, 9)));
    }

    #[test]
    fn positions_count_characters() {
        assert_eq!(position("ä\nüx", 5), (2, 2));
        assert_eq!(offset("ä\nüx", (2, 2)), Some(5));
    }
}
