//! Comments, recovered from the gaps between tokens: the lexer skips them,
//! so whatever lies between two tokens (or before the first, after the
//! last) is whitespace and comments only.

use hsl_syntax::lexer::Spanned;

/// One comment of the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Byte offset where it starts.
    pub start: usize,
    /// Its exact text, `//` or `/*` included (a line comment without the newline).
    pub text: String,
    /// Whether it is a `//` comment (it must end its line).
    pub is_line: bool,
    /// Whether only whitespace precedes it on its line.
    pub own_line: bool,
    /// Whether a newline (or the end of the file) follows it.
    pub ends_line: bool,
}

/// The comments of `source`, in order, given its tokens.
pub fn collect(source: &str, tokens: &[Spanned]) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut gap_start = 0usize;
    let bounds = tokens
        .iter()
        .map(|(_, span)| (span.start as usize, span.end as usize))
        .chain(std::iter::once((source.len(), source.len())));
    for (start, end) in bounds {
        scan_gap(source, gap_start, start, &mut comments);
        gap_start = end;
    }
    comments
}

fn scan_gap(source: &str, from: usize, to: usize, out: &mut Vec<Comment>) {
    let bytes = source.as_bytes();
    let mut i = from;
    let mut own_line = from == 0;
    while i < to {
        match bytes[i] {
            b'\n' => {
                own_line = true;
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = source[i..to].find('\n').map_or(to, |n| i + n);
                let text = source[i..end].trim_end_matches('\r');
                out.push(Comment {
                    start: i,
                    text: text.to_string(),
                    is_line: true,
                    own_line,
                    ends_line: true,
                });
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = source[i + 2..to].find("*/").map_or(to, |n| i + 2 + n + 2);
                let rest = &source[end..to];
                let next = rest.trim_start_matches([' ', '\t', '\r']);
                out.push(Comment {
                    start: i,
                    text: source[i..end].to_string(),
                    is_line: false,
                    own_line,
                    ends_line: next.is_empty() && to == source.len() || next.starts_with('\n'),
                });
                own_line = false;
                i = end;
            }
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<(String, bool, bool)> {
        let (tokens, _) = hsl_syntax::lexer::lex(src);
        collect(src, &tokens)
            .into_iter()
            .map(|c| (c.text, c.own_line, c.ends_line))
            .collect()
    }

    #[test]
    fn finds_line_and_block_comments_between_tokens() {
        assert_eq!(
            texts("// a\n$x = 1; // b\nf(/* c */ $y);\n/* d */"),
            vec![
                ("// a".into(), true, true),
                ("// b".into(), false, true),
                ("/* c */".into(), false, false),
                ("/* d */".into(), true, true),
            ]
        );
    }

    #[test]
    fn comment_markers_inside_strings_are_not_comments() {
        assert!(texts(r#"echo "// no /* no */"; $r = #/a\/\/b/;"#).is_empty());
    }
}
