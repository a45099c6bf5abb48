//! Lexer callbacks for the literal tokens and the driver that turns source
//! text into a token vector plus lexical diagnostics.

use crate::ast::{StrPart, StrPartKind};
use crate::codes;
use crate::token::Token;
use crate::{Diagnostic, Span};
use logos::{Lexer, Logos, Skip};

/// State carried by the lexer: diagnostics found inside tokens.
#[derive(Default)]
pub struct LexExtras {
    /// Problems found while decoding tokens.
    pub diagnostics: Vec<Diagnostic>,
}

/// A token with its byte span.
pub type Spanned = (Token, Span);

/// The tokens of a source text in order; lexical problems are collected
/// (see [`Tokens::finish`]) and characters that start no token are dropped.
pub struct Tokens<'a> {
    lexer: logos::Lexer<'a, Token>,
    stray: Vec<Diagnostic>,
}

impl<'a> Tokens<'a> {
    /// Starts lexing `source`.
    pub fn new(source: &'a str) -> Self {
        Tokens {
            lexer: Token::lexer(source),
            stray: Vec::new(),
        }
    }

    /// The lexical diagnostics found so far, in source order.
    pub fn finish(self) -> Vec<Diagnostic> {
        let mut diagnostics = self.lexer.extras.diagnostics;
        diagnostics.extend(self.stray);
        diagnostics.sort_by_key(|d| d.span.start);
        diagnostics
    }
}

impl Iterator for Tokens<'_> {
    type Item = Spanned;

    #[inline]
    fn next(&mut self) -> Option<Spanned> {
        loop {
            let result = self.lexer.next()?;
            let span = Span::from(self.lexer.span());
            match result {
                Ok(tok) => return Some((tok, span)),
                Err(()) => {
                    // A run of the same stray character is one diagnostic.
                    let text = self.lexer.slice();
                    let source = self.lexer.source();
                    match self.stray.last_mut() {
                        Some(last)
                            if last.span.end == span.start
                                && source[last.span.range()].starts_with(text) =>
                        {
                            last.span.end = span.end;
                        }
                        _ => self.stray.push(stray_char(text, span)),
                    }
                }
            }
        }
    }
}

/// Lexes `source` completely into tokens and lexical diagnostics.
pub fn lex(source: &str) -> (Vec<Spanned>, Vec<Diagnostic>) {
    let mut tokens = Tokens::new(source);
    let list: Vec<Spanned> = tokens.by_ref().collect();
    (list, tokens.finish())
}

fn stray_char(text: &str, span: Span) -> Diagnostic {
    let c = text.chars().next().unwrap_or('?');
    let (message, help) = match c {
        '\u{a0}' => (
            "non-breaking space in code".to_string(),
            "replace it with an ordinary space".to_string(),
        ),
        '“' | '”' | '„' => (
            format!("typographic quote `{c}` in code"),
            "use a straight double quote `\"`".to_string(),
        ),
        '\'' => (
            "`'` does not start a string".to_string(),
            "HSL has no single-quoted strings: write \"text\" or a raw string ''text''".to_string(),
        ),
        '#' => (
            "`#` does not start a comment".to_string(),
            "write `// comment` or `/* comment */`; `#/…/` starts a regex literal".to_string(),
        ),
        '$' => (
            "`$` must be followed by a variable name".to_string(),
            "variable names match [A-Za-z_][A-Za-z0-9_]*".to_string(),
        ),
        _ => (
            format!("unexpected character `{}`", c.escape_debug()),
            "remove it".to_string(),
        ),
    };
    Diagnostic::error(codes::STRAY_CHARACTER, span, message)
        .with_label("not valid here")
        .with_help(help)
}

/// Skips a `/* … */` comment, reporting one that is never closed.
pub(crate) fn block_comment(lex: &mut Lexer<Token>) -> Skip {
    let rest = lex.remainder();
    match rest.find("*/") {
        Some(end) => lex.bump(end + 2),
        None => {
            let start = lex.span().start;
            lex.bump(rest.len());
            lex.extras.diagnostics.push(
                Diagnostic::error(
                    codes::UNTERMINATED_COMMENT,
                    Span::new(start, start + 2),
                    "unterminated block comment",
                )
                .with_label("comment starts here and never ends")
                .with_help("close it with `*/`"),
            );
        }
    }
    Skip
}

/// Decodes a number literal matched broadly as digits followed by any
/// identifier characters and dot groups, so malformed forms are one token.
pub(crate) fn number(lex: &mut Lexer<Token>) -> f64 {
    let text = lex.slice();
    let span = Span::from(lex.span());
    match parse_number(text) {
        Ok(v) => v,
        Err((message, help)) => {
            lex.extras.diagnostics.push(
                Diagnostic::error(codes::INVALID_NUMBER, span, message)
                    .with_label("invalid number literal")
                    .with_help(help),
            );
            0.0
        }
    }
}

type NumError = (String, String);

fn parse_number(text: &str) -> Result<f64, NumError> {
    let radix_digits = |body: &str, radix: u32, name: &str| -> Result<f64, NumError> {
        let digits = check_separators(body, |c| c.is_digit(radix), name)?;
        if digits.is_empty() {
            return Err((
                format!("{name} literal has no digits"),
                format!("write at least one {name} digit after the prefix"),
            ));
        }
        Ok(digits.chars().fold(0f64, |acc, c| {
            acc * radix as f64 + c.to_digit(radix).unwrap() as f64
        }))
    };
    // Up to 15 digits (most literals): exact in an f64.
    if text.len() <= 15 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(text.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0')) as f64);
    }
    // Digits with at most one decimal point (most literals): nothing to
    // check or take out.
    let plain = text.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if plain && text.bytes().filter(|&b| b == b'.').count() <= 1 {
        if let Ok(n) = text.parse::<f64>() {
            return Ok(n);
        }
    }
    if let Some(body) = text.strip_prefix("0x") {
        return radix_digits(body, 16, "hexadecimal");
    }
    if let Some(body) = text.strip_prefix("0o") {
        return radix_digits(body, 8, "octal");
    }
    if let Some(body) = text.strip_prefix("0b") {
        return radix_digits(body, 2, "binary");
    }
    if text.matches('.').count() > 1 {
        return Err((
            format!("`{text}` is not a number"),
            "a number has at most one decimal point".into(),
        ));
    }
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let mut clean = check_separators(int, |c| c.is_ascii_digit(), "decimal")?;
    if let Some(frac) = frac {
        clean.push('.');
        clean.push_str(&check_separators(frac, |c| c.is_ascii_digit(), "decimal")?);
    }
    clean.parse::<f64>().map_err(|_| {
        (
            format!("`{text}` is not a number"),
            "write digits only, e.g. `1_000` or `2.5`".into(),
        )
    })
}

/// Checks digits and `_` separators (only between digits); returns the
/// digits without separators.
fn check_separators(
    body: &str,
    is_digit: impl Fn(char) -> bool,
    name: &str,
) -> Result<String, NumError> {
    let mut out = String::with_capacity(body.len());
    let mut prev_digit = false;
    let chars: Vec<char> = body.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            let next_digit = chars.get(i + 1).is_some_and(|&n| is_digit(n));
            if !prev_digit || !next_digit {
                return Err((
                    "misplaced `_` in number".into(),
                    "`_` may only stand between two digits, e.g. `1_000`".into(),
                ));
            }
            prev_digit = false;
        } else if is_digit(c) {
            out.push(c);
            prev_digit = true;
        } else if (c == 'e' || c == 'E') && name == "decimal" && i > 0 {
            return Err((
                "exponent notation is not supported".into(),
                "write the number out in full, e.g. `1000` instead of `1e3`".into(),
            ));
        } else {
            return Err((
                format!("invalid {name} digit `{c}` in number"),
                "separate the number from the name that follows with a space or operator".into(),
            ));
        }
    }
    Ok(out)
}

/// Decodes a double-quoted string: escapes and `$var` / `${var}` parts.
pub(crate) fn dq_string(lex: &mut Lexer<Token>) -> Vec<StrPart> {
    let start = lex.span().start;
    let bytes = lex.remainder().as_bytes();
    let base = start + 1;
    // Most strings are plain text up to the closing quote: one piece.
    if let Some(end) = memchr::memchr3(b'"', b'\\', b'$', bytes).filter(|&n| bytes[n] == b'"') {
        lex.bump(end + 1);
        if end == 0 {
            return Vec::new();
        }
        return vec![StrPart {
            kind: StrPartKind::Text(bytes[..end].to_vec()),
            span: Span::new(base, base + end),
        }];
    }
    let mut parts: Vec<StrPart> = Vec::new();
    let mut text: Vec<u8> = Vec::new();
    let mut text_start = base;
    let mut i = 0;
    let mut diags = Vec::new();
    let flush = |parts: &mut Vec<StrPart>, text: &mut Vec<u8>, from: usize, to: usize| {
        if !text.is_empty() {
            parts.push(StrPart {
                kind: StrPartKind::Text(std::mem::take(text)),
                span: Span::new(from, to),
            });
        }
    };
    let closed = loop {
        let Some(&b) = bytes.get(i) else {
            break false;
        };
        match b {
            b'"' => break true,
            b'\\' => {
                let esc_start = base + i;
                match bytes.get(i + 1) {
                    Some(b'\\') => text.push(b'\\'),
                    Some(b'"') => text.push(b'"'),
                    Some(b'$') => text.push(b'$'),
                    Some(b'n') => text.push(b'\n'),
                    Some(b'r') => text.push(b'\r'),
                    Some(b't') => text.push(b'\t'),
                    Some(b'x') => {
                        let hex = bytes.get(i + 2..i + 4).and_then(|h| {
                            std::str::from_utf8(h)
                                .ok()
                                .and_then(|h| u8::from_str_radix(h, 16).ok())
                        });
                        match hex {
                            Some(v) => {
                                text.push(v);
                                i += 2;
                            }
                            None => diags.push(
                                Diagnostic::error(
                                    codes::BAD_ESCAPE,
                                    Span::new(esc_start, esc_start + 2),
                                    "`\\x` must be followed by two hex digits",
                                )
                                .with_label("incomplete escape")
                                .with_help("write a byte as `\\x41`"),
                            ),
                        }
                    }
                    Some(&other) => {
                        let shown = char_at(bytes, i + 1);
                        diags.push(
                            Diagnostic::error(
                                codes::BAD_ESCAPE,
                                Span::new(esc_start, esc_start + 1 + shown.len_utf8()),
                                format!("unknown escape sequence `\\{}`", shown.escape_debug()),
                            )
                            .with_label("not an escape HSL knows")
                            .with_help(
                                "escapes are \\\\ \\\" \\$ \\n \\r \\t \\xHH; for regex patterns use a raw string ''…'' or #/…/",
                            ),
                        );
                        if other.is_ascii() {
                            text.push(other);
                        } else {
                            i += shown.len_utf8() - 1;
                        }
                    }
                    None => {
                        i += 1;
                        continue;
                    }
                }
                i += 2;
            }
            b'$' => {
                let name_at = |j: usize| -> usize {
                    let mut k = j;
                    while k < bytes.len() && (bytes[k].is_ascii_alphanumeric() || bytes[k] == b'_')
                    {
                        k += 1;
                    }
                    k
                };
                let starts_name = |j: usize| {
                    bytes
                        .get(j)
                        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
                };
                if starts_name(i + 1) {
                    flush(&mut parts, &mut text, text_start, base + i);
                    let end = name_at(i + 1);
                    parts.push(StrPart {
                        kind: StrPartKind::Var(ascii(&bytes[i + 1..end])),
                        span: Span::new(base + i, base + end),
                    });
                    i = end;
                    text_start = base + i;
                } else if bytes.get(i + 1) == Some(&b'{') {
                    let end = if starts_name(i + 2) {
                        name_at(i + 2)
                    } else {
                        i + 2
                    };
                    if end > i + 2 && bytes.get(end) == Some(&b'}') {
                        flush(&mut parts, &mut text, text_start, base + i);
                        parts.push(StrPart {
                            kind: StrPartKind::Var(ascii(&bytes[i + 2..end])),
                            span: Span::new(base + i, base + end + 1),
                        });
                        i = end + 1;
                        text_start = base + i;
                    } else {
                        diags.push(
                            Diagnostic::error(
                                codes::BAD_INTERPOLATION,
                                Span::new(base + i, base + end.min(bytes.len())),
                                "`${` must be followed by a variable name and `}`",
                            )
                            .with_label("invalid interpolation")
                            .with_help("write `${name}`, or `\\$` for a literal dollar sign"),
                        );
                        text.push(b'$');
                        i += 1;
                    }
                } else {
                    text.push(b'$');
                    i += 1;
                }
            }
            _ => {
                // Plain text up to the next quote, escape or interpolation,
                // copied at once.
                let run =
                    memchr::memchr3(b'"', b'\\', b'$', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                text.extend_from_slice(&bytes[i..run]);
                i = run;
            }
        }
    };
    if closed {
        flush(&mut parts, &mut text, text_start, base + i);
        lex.bump(i + 1);
    } else {
        flush(&mut parts, &mut text, text_start, base + i);
        lex.bump(bytes.len());
        diags.push(
            Diagnostic::error(
                codes::UNTERMINATED_STRING,
                Span::new(start, start + 1),
                "unterminated string",
            )
            .with_label("string starts here and is never closed")
            .with_help("add the closing `\"`"),
        );
    }
    lex.extras.diagnostics.extend(diags);
    parts
}

fn char_at(bytes: &[u8], i: usize) -> char {
    let end = (i + 4).min(bytes.len());
    (i + 1..=end)
        .find_map(|e| std::str::from_utf8(&bytes[i..e]).ok())
        .and_then(|s| s.chars().next())
        .unwrap_or('?')
}

fn ascii(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

/// Scans a raw string body up to the closing `'DELIM'`.
pub(crate) fn raw_string(lex: &mut Lexer<Token>) -> Vec<u8> {
    let open = lex.slice().to_string();
    let rest = lex.remainder();
    match rest.find(open.as_str()) {
        Some(end) => {
            let body = rest.as_bytes()[..end].to_vec();
            lex.bump(end + open.len());
            body
        }
        None => {
            let span = Span::from(lex.span());
            let delim = &open[1..open.len() - 1];
            let help = if delim.is_empty() {
                "close it with `''`".to_string()
            } else {
                format!(
                    "a raw string opened with `{open}` ends at the next `{open}`; for text write \"{delim}\" or ''{delim}''"
                )
            };
            lex.bump(rest.len());
            lex.extras.diagnostics.push(
                Diagnostic::error(
                    codes::UNTERMINATED_RAW_STRING,
                    span,
                    "unterminated raw string",
                )
                .with_label("raw string starts here and is never closed")
                .with_help(help),
            );
            Vec::new()
        }
    }
}

/// Scans `#/pattern/flags`.
pub(crate) fn regex_literal(lex: &mut Lexer<Token>) -> Box<(String, String)> {
    let start = lex.span().start;
    let rest = lex.remainder();
    let bytes = rest.as_bytes();
    let mut pattern = String::new();
    let mut i = 0;
    let mut last = 0;
    let end = loop {
        match bytes.get(i) {
            None | Some(b'\n') => break None,
            Some(b'/') => break Some(i),
            Some(b'\\') if bytes.get(i + 1) == Some(&b'/') => {
                pattern.push_str(&rest[last..i]);
                pattern.push('/');
                i += 2;
                last = i;
            }
            Some(b'\\') => i += 2,
            Some(_) => i += 1,
        }
    };
    let Some(end) = end else {
        let stop = i.min(rest.len());
        lex.bump(stop);
        lex.extras.diagnostics.push(
            Diagnostic::error(
                codes::UNTERMINATED_REGEX,
                Span::new(start, start + 2),
                "unterminated regex literal",
            )
            .with_label("regex starts here and has no closing `/` on this line")
            .with_help("end the pattern with `/` (write `\\/` for a slash inside it)"),
        );
        return Box::new((pattern, String::new()));
    };
    pattern.push_str(&rest[last..end]);
    let flags_len = flag_chars(&rest[end + 1..]);
    let flags = rest[end + 1..end + 1 + flags_len].to_string();
    let bad = flags.chars().find(|c| !"imsuxUX".contains(*c));
    let close = match bad {
        Some(_) => closing_slash_later(rest, end + 1),
        None => None,
    };
    if let Some((close, close_flags)) = close {
        // `#/^a/b$/`: the first `/` was meant inside the pattern; the
        // literal ends at the last `/` of the line, so one error is enough.
        pattern.push_str(&rest[end..close]);
        lex.bump(close + 1 + close_flags);
    } else {
        lex.bump(end + 1 + flags_len);
    }
    if let Some(bad) = bad {
        let at = start + 2 + end + 1;
        lex.extras.diagnostics.push(
            Diagnostic::error(
                codes::BAD_REGEX_FLAG,
                Span::new(at, at + flags_len),
                format!("unknown regex flag `{bad}`"),
            )
            .with_label("after the regex literal")
            .with_help(
                "regex flags are i, m, s, u, x, U and X; a `/` inside the pattern is written `\\/`",
            ),
        );
    }
    let flags = match close {
        Some((close, n)) => rest[close + 1..close + 1 + n].to_string(),
        None => flags,
    };
    Box::new((pattern, flags))
}

/// Length of the run of flag-like characters at the start of `text`.
fn flag_chars(text: &str) -> usize {
    text.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count()
}

/// The first later unescaped `/` of the line after `from` that is followed only by
/// valid flags and then by something that can follow an expression (`;`,
/// `)`, `,`, `]`, `}`, space or the end of the line), with its flag count.
fn closing_slash_later(rest: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = rest.as_bytes();
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => break,
            b'\\' => i += 2,
            b'/' => {
                let n = flag_chars(&rest[i + 1..]);
                let valid = rest[i + 1..i + 1 + n]
                    .chars()
                    .all(|c| "imsuxUX".contains(c));
                let next = bytes.get(i + 1 + n).copied();
                if valid
                    && matches!(
                        next,
                        None | Some(
                            b';' | b')' | b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n'
                        )
                    )
                {
                    return Some((i, n));
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Token> {
        let (t, d) = lex(src);
        assert!(d.is_empty(), "unexpected diagnostics: {d:?}");
        t.into_iter().map(|(t, _)| t).collect()
    }

    fn codes_of(src: &str) -> Vec<&'static str> {
        lex(src).1.into_iter().map(|d| d.code).collect()
    }

    #[test]
    fn numbers_in_every_base_with_separators() {
        assert_eq!(
            toks("1_000 0x1F 0o17 0b1010 2.5 0xff_ff 0 007 12.50"),
            vec![
                Token::Number(1000.0),
                Token::Number(31.0),
                Token::Number(15.0),
                Token::Number(10.0),
                Token::Number(2.5),
                Token::Number(65535.0),
                Token::Number(0.0),
                Token::Number(7.0),
                Token::Number(12.5)
            ]
        );
    }

    #[test]
    fn malformed_numbers_are_diagnostics() {
        for bad in [
            "1__0", "1_", "12abc", "1e3", "1.2.3", "1.2.3.4", "0x", "0b12",
        ] {
            assert_eq!(codes_of(bad), vec![codes::INVALID_NUMBER], "{bad}");
        }
    }

    #[test]
    fn string_escapes_and_interpolation_parts() {
        let t = toks(r#""a\t\x41\$ $user/${dir}x $ 5""#);
        let Token::Str(parts) = &t[0] else { panic!() };
        let kinds: Vec<_> = parts.iter().map(|p| p.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                StrPartKind::Text(b"a\tA$ ".to_vec()),
                StrPartKind::Var("user".into()),
                StrPartKind::Text(b"/".to_vec()),
                StrPartKind::Var("dir".into()),
                StrPartKind::Text(b"x $ 5".to_vec()),
            ]
        );
        assert_eq!(parts[1].span, Span::new(11, 16));
    }

    #[test]
    fn raw_strings_with_delimiters() {
        assert_eq!(toks("''a\\b''"), vec![Token::Raw(b"a\\b".to_vec())]);
        assert_eq!(toks("''''"), vec![Token::Raw(vec![])]);
        assert_eq!(
            toks("'END'it's ''x'''END'"),
            vec![Token::Raw(b"it's ''x''".to_vec())]
        );
    }

    #[test]
    fn regex_literals_and_flags() {
        assert_eq!(
            toks(r"#/^a\/b$/iU"),
            vec![Token::Regex(Box::new(("^a/b$".into(), "iU".into())))]
        );
        assert_eq!(codes_of("#/abc/q"), vec![codes::BAD_REGEX_FLAG]);
        assert_eq!(codes_of("#/abc\n/"), vec![codes::UNTERMINATED_REGEX]);
    }

    #[test]
    fn lexical_errors_are_reported_not_panics() {
        assert_eq!(codes_of("\"abc"), vec![codes::UNTERMINATED_STRING]);
        assert_eq!(codes_of("\"\\q\""), vec![codes::BAD_ESCAPE]);
        assert_eq!(codes_of("'hello' x"), vec![codes::UNTERMINATED_RAW_STRING]);
        assert_eq!(codes_of("/* open"), vec![codes::UNTERMINATED_COMMENT]);
        assert_eq!(codes_of("$a\u{a0}= 1;"), vec![codes::STRAY_CHARACTER]);
        assert_eq!(codes_of("'hello world'"), vec![codes::STRAY_CHARACTER; 2]);
        assert_eq!(codes_of("\"${ x}\""), vec![codes::BAD_INTERPOLATION]);
    }

    #[test]
    fn comments_and_keywords() {
        assert_eq!(
            toks("// c\n/* b */ and android $x"),
            vec![
                Token::And,
                Token::Ident("android".into()),
                Token::Var("x".into())
            ]
        );
    }
}
