//! What the cursor is in, from the lexer's tokens: the completion site and
//! the call whose arguments are being typed. Comments, strings, raw strings
//! and regular expression literals are tokens (or skipped by the lexer), so
//! brackets and commas inside them never count.

use hsl_syntax::ast::{Program, StrPartKind};
use hsl_syntax::lexer::{Spanned, Tokens};
use hsl_syntax::token::Token;

/// What the cursor is completing.
#[derive(Debug, PartialEq, Eq)]
pub enum Site {
    /// A variable name after `$`.
    Variable,
    /// A key of a predefined variable: `$arguments["` (with the keys already
    /// written, e.g. `$connection["tls"]["`).
    Key {
        /// The variable, with `$`.
        variable: String,
        /// Keys between the variable and the cursor.
        path: Vec<String>,
        /// Whether a `"` is already open.
        quoted: bool,
    },
    /// A method after `$variable->`.
    Method {
        /// The variable, without `$`.
        variable: String,
    },
    /// A name at statement or expression position.
    Name,
    /// Inside a comment or a string: nothing to complete.
    Nothing,
}

/// Text between the last token and the cursor.
#[derive(PartialEq)]
enum Gap {
    /// Nothing but whitespace and whole comments.
    Code,
    /// A `$` not yet followed by a name.
    Dollar,
    /// Inside a comment (or after a character that starts no token).
    Comment,
}

/// The tokens before the cursor, lexed from the start of the top-level
/// statement around it (the program's statements are in source order).
pub struct Before<'a> {
    text: &'a str,
    tokens: Vec<Spanned>,
    /// Where the lexed text starts.
    start: usize,
    offset: usize,
}

impl<'a> Before<'a> {
    /// The tokens of `text` before `offset` in the statement around it.
    pub fn new(text: &'a str, program: &Program, offset: usize) -> Self {
        let offset = floor_char_boundary(text, offset);
        let index = program
            .stmts
            .partition_point(|s| (s.span.start as usize) <= offset);
        let start = index
            .checked_sub(1)
            .map_or(0, |i| program.stmts[i].span.start as usize)
            .min(offset);
        let mut start = start;
        let mut tokens = lex(text, start, offset);
        // A `"` never closed in the whole file (being typed) ends at its
        // line; the next lines are read afresh.
        while let Some((Token::Str(_), s)) = tokens.last() {
            let from = s.start as usize;
            let Some(newline) = text[from..offset].find('\n') else {
                break;
            };
            let closed = Tokens::new(&text[from..])
                .next()
                .is_some_and(|(_, whole)| text[from..from + whole.end as usize].ends_with('"'));
            if closed {
                break;
            }
            start = from + newline + 1;
            tokens = lex(text, start, offset);
        }
        Before {
            text,
            tokens,
            start,
            offset,
        }
    }

    /// What lies between the last token and the cursor: whitespace and
    /// whole comments, then maybe a lone `$` or an unfinished comment.
    fn gap(&self) -> Gap {
        let last_end = self
            .tokens
            .last()
            .map_or(self.start, |(_, s)| s.end as usize);
        let mut gap = &self.text[last_end.min(self.offset)..self.offset];
        loop {
            gap = gap.trim_start();
            if let Some(rest) = gap.strip_prefix("//") {
                match rest.find('\n') {
                    Some(end) => gap = &rest[end..],
                    None => return Gap::Comment,
                }
            } else if let Some(rest) = gap.strip_prefix("/*") {
                match rest.find("*/") {
                    Some(end) => gap = &rest[end + 2..],
                    None => return Gap::Comment,
                }
            } else {
                return match gap {
                    "" => Gap::Code,
                    "$" => Gap::Dollar,
                    _ => Gap::Comment,
                };
            }
        }
    }

    /// The last token, if it ends at the cursor.
    fn touching(&self) -> Option<&Token> {
        self.tokens
            .last()
            .filter(|(_, s)| s.end as usize == self.offset)
            .map(|(t, _)| t)
    }

    /// Whether the last token is a `"` string left open at the cursor.
    fn open_string(&self) -> bool {
        match self.tokens.last() {
            Some((Token::Str(_), s)) if s.end as usize == self.offset => {
                let lexeme = &self.text[s.range()];
                lexeme.len() < 2 || !lexeme.ends_with('"') || lexeme.ends_with("\\\"")
            }
            _ => false,
        }
    }

    /// Classifies the cursor position.
    pub fn site(&self) -> Site {
        match self.gap() {
            Gap::Dollar => return Site::Variable,
            // A comment or a character that starts no token.
            Gap::Comment => return Site::Nothing,
            Gap::Code => {}
        }
        let mut tokens: &[Spanned] = &self.tokens;
        let quoted = self.open_string();
        if quoted {
            tokens = &tokens[..tokens.len() - 1];
            return key_site(tokens, true).unwrap_or(Site::Nothing);
        }
        match self.touching() {
            Some(Token::Var(_)) => return Site::Variable,
            Some(Token::Ident(_)) => tokens = &tokens[..tokens.len() - 1],
            Some(t) if t.is_keyword() => tokens = &tokens[..tokens.len() - 1],
            Some(Token::Str(_) | Token::Raw(_) | Token::Regex(_) | Token::Number(_)) => {
                return Site::Nothing
            }
            _ => {}
        }
        if let Some(key) = key_site(tokens, false) {
            return key;
        }
        if let [.., (Token::Var(v), _), (Token::Arrow, _)] = tokens {
            return Site::Method {
                variable: v.clone(),
            };
        }
        Site::Name
    }

    /// The word being typed: the identifier characters right before the
    /// cursor (the name after `$` or `->`, or a key's text after `"`).
    pub fn word(&self) -> &'a str {
        let before = &self.text[..self.offset];
        let start = before
            .bytes()
            .rposition(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
            .map_or(0, |i| i + 1);
        &before[start..]
    }

    /// The call around the cursor: function name and index of the argument
    /// being typed, found by walking back over balanced brackets.
    pub fn call(&self) -> Option<(String, usize)> {
        // Inside a string argument still counts; inside a comment not.
        if !self.open_string() && self.gap() == Gap::Comment {
            return None;
        }
        let mut depth = 0usize;
        let mut commas = 0;
        for (i, (token, _)) in self.tokens.iter().enumerate().rev() {
            match token {
                Token::RParen | Token::RBracket | Token::RBrace => depth += 1,
                Token::LBracket | Token::LBrace if depth == 0 => return None,
                Token::LParen if depth == 0 => {
                    return match i.checked_sub(1).map(|j| &self.tokens[j].0) {
                        Some(Token::Ident(name)) => Some((name.clone(), commas)),
                        _ => None,
                    };
                }
                Token::LParen | Token::LBracket | Token::LBrace => depth -= 1,
                Token::Comma if depth == 0 => commas += 1,
                Token::Semi if depth == 0 => return None,
                _ => {}
            }
        }
        None
    }
}

/// The tokens of `text[start..end]`, with spans in `text`.
fn lex(text: &str, start: usize, end: usize) -> Vec<Spanned> {
    Tokens::new(&text[start..end])
        .map(|(t, s)| {
            let span = hsl_syntax::Span::new(s.start as usize + start, s.end as usize + start);
            (t, span)
        })
        .collect()
}

/// `$name[`, `$name["a"][` and (when `quoted`) `$name["a"]["` at the end.
fn key_site(mut tokens: &[Spanned], quoted: bool) -> Option<Site> {
    let [rest @ .., (Token::LBracket, _)] = tokens else {
        return None;
    };
    tokens = rest;
    let mut path = Vec::new();
    loop {
        match tokens {
            [rest @ .., (Token::LBracket, _), (Token::Str(parts), _), (Token::RBracket, _)] => {
                path.push(literal(parts)?);
                tokens = rest;
            }
            [.., (Token::Var(name), _)] => {
                path.reverse();
                return Some(Site::Key {
                    variable: format!("${name}"),
                    path,
                    quoted,
                });
            }
            _ => return None,
        }
    }
}

/// The text of a string without interpolation.
fn literal(parts: &[hsl_syntax::ast::StrPart]) -> Option<String> {
    let mut out = Vec::new();
    for p in parts {
        match &p.kind {
            StrPartKind::Text(bytes) => out.extend_from_slice(bytes),
            StrPartKind::Var(_) => return None,
        }
    }
    String::from_utf8(out).ok()
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(src: &str) -> (String, usize) {
        let offset = src.find('|').unwrap();
        (src.replacen('|', "", 1), offset)
    }

    fn site(src: &str) -> Site {
        let (text, offset) = at(src);
        let program = hsl_syntax::parse(&text).program;
        Before::new(&text, &program, offset).site()
    }

    fn call(src: &str) -> Option<(String, usize)> {
        let (text, offset) = at(src);
        let program = hsl_syntax::parse(&text).program;
        Before::new(&text, &program, offset).call()
    }

    #[test]
    fn sites() {
        assert_eq!(site("echo $na|"), Site::Variable);
        assert_eq!(site("echo $|"), Site::Variable);
        assert_eq!(site("  Acc|"), Site::Name);
        assert_eq!(site("|"), Site::Name);
        assert_eq!(
            site("echo $arguments[\"ho|"),
            Site::Key {
                variable: "$arguments".into(),
                path: vec![],
                quoted: true
            }
        );
        assert_eq!(
            site("$c = $connection[\"tls\"][|"),
            Site::Key {
                variable: "$connection".into(),
                path: vec!["tls".into()],
                quoted: false
            }
        );
        assert_eq!(
            site("$list[0] + $x[|"),
            Site::Key {
                variable: "$x".into(),
                path: vec![],
                quoted: false
            }
        );
        assert_eq!(
            site("$mail->ge|"),
            Site::Method {
                variable: "mail".into()
            }
        );
    }

    #[test]
    fn words() {
        let word = |src: &str| {
            let (text, offset) = at(src);
            let program = hsl_syntax::parse(&text).program;
            Before::new(&text, &program, offset).word().to_string()
        };
        assert_eq!(word("echo $na|"), "na");
        assert_eq!(word("  Acc|"), "Acc");
        assert_eq!(word("$mail->get_h|"), "get_h");
        assert_eq!(word("$arguments[\"|"), "");
        assert_eq!(word("|"), "");
    }

    #[test]
    fn comments_and_strings_are_not_code() {
        assert_eq!(site("echo 1; // $arguments[|"), Site::Nothing);
        assert_eq!(site("/* $x-> */ Acc|"), Site::Name);
        assert_eq!(site("echo \"a $x[|"), Site::Nothing);
        assert_eq!(site("echo ''$x->''; Acc|"), Site::Name);
        assert_eq!(
            site("echo \"a\nb $|\";"),
            Site::Nothing,
            "a string on two lines"
        );
        assert_eq!(site("$h = $x[\"\n|"), Site::Name, "a quote never closed");
    }

    #[test]
    fn calls() {
        assert_eq!(call("Reject(\"no, really\", |"), Some(("Reject".into(), 1)));
        assert_eq!(
            call("str_find($a[f(1, 2)], |"),
            Some(("str_find".into(), 1))
        );
        assert_eq!(call("echo 1; f|"), None);
        // Brackets and commas in comments, raw strings and regex literals.
        assert_eq!(call("f(1, /* ( , */ |"), Some(("f".into(), 1)));
        assert_eq!(call("f(''(,'', #/[(,]/, |"), Some(("f".into(), 2)));
        assert_eq!(call("f(1, // (,\n 2, |"), Some(("f".into(), 2)));
        assert_eq!(call("g(1); f(\"x, |"), Some(("f".into(), 0)));
    }
}
