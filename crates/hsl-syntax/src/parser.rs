//! The parse driver: lexes, prepares the token stream for the LALRPOP
//! grammar, runs it with error recovery and turns every problem into a
//! [`Diagnostic`] with a precise span.

use crate::ast::Program;
use crate::build::Ctx;
use crate::stream::Prepared;
use crate::token::Token;
use crate::{codes, Applicability, Diagnostic, Fix, Span};
use lalrpop_util::ParseError;

lalrpop_util::lalrpop_mod!(
    #[allow(clippy::all, unused_parens, dead_code, missing_docs)]
    grammar,
    "/hsl.rs"
);

/// Brackets may nest this deep.
pub const MAX_NESTING: usize = 1000;
/// Operators allowed in one expression between separators (`;`, `,`, braces).
pub const MAX_OPERATORS: usize = 20_000;

/// The result of parsing one file: always a tree (possibly partial) and the
/// lexical and syntax diagnostics, sorted by position.
#[derive(Debug)]
pub struct Parse {
    /// The syntax tree; statements that failed to parse are `StmtKind::Error`.
    pub program: Program,
    /// Problems found, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses HSL source text.
pub fn parse(source: &str) -> Parse {
    let mut stream = Prepared::new(source);
    let mut ctx = Ctx::default();
    let result = grammar::ProgramParser::new().parse(&mut ctx, stream.by_ref().map(Ok::<_, ()>));
    let Prepared {
        tokens,
        spans,
        limit,
        ..
    } = stream;
    let mut diagnostics = tokens.finish();
    let mut errors: Vec<ParseError<usize, Token, ()>> =
        ctx.recoveries.into_iter().map(|r| r.error).collect();
    let program = match result {
        Ok(p) => p,
        Err(e) => {
            errors.push(e);
            Program::default()
        }
    };
    let cutoff = diagnostics
        .iter()
        .filter(|d| RUNS_TO_EOF.contains(&d.code))
        .map(|d| d.span.start as usize)
        .chain(limit.as_ref().map(|d| d.span.start as usize))
        .min();
    // A limit ends the token stream early: the end of file it causes is
    // not a finding of its own.
    let cut_short = limit.is_some();
    diagnostics.extend(limit);
    let syntax = errors
        .into_iter()
        .map(|e| syntax_diagnostic(e, &spans, source))
        .filter(|d| cutoff.is_none_or(|c| (d.span.start as usize) < c))
        .filter(|d| !(cut_short && d.code == codes::UNEXPECTED_EOF));
    let lexical: Vec<u32> = diagnostics.iter().map(|d| d.span.start).collect();
    let syntax: Vec<Diagnostic> = syntax.collect();
    let unclosed = unclosed_string(&syntax, &spans, source);
    diagnostics.extend(without_cascades(syntax, &lexical, &spans, source));
    diagnostics.extend(ctx.diagnostics);
    if let Some(quote) = unclosed {
        // Every later token was read with strings and code swapped: only
        // the quote itself is worth reporting.
        diagnostics.retain(|d| d.span.start < quote.start);
        diagnostics.push(
            Diagnostic::error(
                codes::UNTERMINATED_STRING,
                quote,
                "string not closed on its line",
            )
            .with_label("this string runs on to the next `\"`, past the end of the line")
            .with_help("close the string with `\"` (write a line break in a string as `\\n`)"),
        );
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    Parse {
        program,
        diagnostics,
    }
}

/// The opening quote of a string that spans a line break and is directly
/// followed by the first syntax error: most likely a `"` left unclosed, which
/// swaps strings and code for the rest of the file.
fn unclosed_string(syntax: &[Diagnostic], spans: &[Span], source: &str) -> Option<Span> {
    let first = syntax.iter().map(|d| d.span.start).min()?;
    let at = spans.partition_point(|s| s.start < first);
    (at.saturating_sub(2)..at)
        .rev()
        .find(|&i| {
            let text = &source[spans[i].range()];
            // The next token sits on the line where the string ends, as it
            // does when the string's closing quote opened the next string.
            let next_on_same_line = spans.get(i + 1).is_some_and(|next| {
                !source[spans[i].end as usize..next.start as usize].contains('\n')
            });
            text.starts_with('"') && text.contains('\n') && next_on_same_line
        })
        .map(|i| Span::new(spans[i].start as usize, spans[i].start as usize + 1))
}

/// Lexical errors after which the rest of the file was swallowed.
const RUNS_TO_EOF: &[&str] = &[
    codes::UNTERMINATED_STRING,
    codes::UNTERMINATED_RAW_STRING,
    codes::UNTERMINATED_COMMENT,
];

/// Keeps one error per statement: a syntax error is dropped when no `;`,
/// `{` or `}` separates it from the previous syntax error or from a lexical
/// error (at the sorted offsets `lexical`) before it. Linear in the tokens.
fn without_cascades(
    mut diags: Vec<Diagnostic>,
    lexical: &[u32],
    spans: &[Span],
    source: &str,
) -> Vec<Diagnostic> {
    if diags.is_empty() {
        return diags;
    }
    diags.sort_by_key(|d| d.span.start);
    // separators[i]: how many separator tokens come before token i.
    let mut separators = Vec::with_capacity(spans.len() + 1);
    let mut count = 0u32;
    separators.push(count);
    for s in spans {
        if matches!(&source[s.range()], ";" | "{" | "}") {
            count += 1;
        }
        separators.push(count);
    }
    let token_at = |offset: u32| spans.partition_point(|s| s.start < offset);
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    let mut previous: Option<usize> = None;
    for d in diags {
        let at = token_at(d.span.start);
        let lexical_before = lexical[..lexical.partition_point(|&o| o < d.span.start)]
            .last()
            .map(|&o| token_at(o));
        let separated = match previous.max(lexical_before) {
            None => true,
            Some(prev) => separators[at] > separators[prev.min(at)],
        };
        if separated {
            previous = Some(at);
            kept.push(d);
        }
    }
    kept
}

fn syntax_diagnostic(
    error: ParseError<usize, Token, ()>,
    spans: &[Span],
    source: &str,
) -> Diagnostic {
    match error {
        ParseError::UnrecognizedToken {
            token: (l, tok, r),
            expected,
        } => unexpected_token(tok, Span::new(l, r), &expected, spans, source),
        ParseError::UnrecognizedEof { location, expected } => {
            unexpected_eof(location, &expected, spans, source)
        }
        ParseError::ExtraToken { token: (l, tok, r) } => Diagnostic::error(
            codes::SYNTAX_ERROR,
            Span::new(l, r),
            format!("unexpected {tok}"),
        )
        .with_label("unexpected here"),
        ParseError::InvalidToken { location } => Diagnostic::error(
            codes::SYNTAX_ERROR,
            Span::new(location, location + 1),
            "invalid token",
        ),
        ParseError::User { error: () } => {
            Diagnostic::error(codes::SYNTAX_ERROR, Span::default(), "syntax error")
        }
    }
}

fn unexpected_token(
    tok: Token,
    span: Span,
    expected: &[String],
    spans: &[Span],
    source: &str,
) -> Diagnostic {
    let wants_semi = expected.iter().any(|e| e == "\";\"");
    let before = &spans[..spans.partition_point(|s| s.start < span.start)];
    let prev = before.last().copied();
    // `} elseif (…) {` reads as a call of `elseif` until the `{`: the error
    // belongs to the word that starts the statement (looked for a bounded
    // number of tokens back, so that many errors stay linear).
    let start = before
        .iter()
        .rev()
        .take(64)
        .take_while(|s| !matches!(&source[s.range()], ";" | "{" | "}"))
        .last();
    if let Some(&word) = start.filter(|s| matches!(&source[s.range()], "elseif" | "elif")) {
        return elseif_diagnostic(word, source);
    }
    let d = if let Token::Ident(name) = &tok {
        let help = match name.as_str() {
            "elseif" | "elif" => return elseif_diagnostic(span, source),
            "null" | "nil" | "NULL" => Some("the empty value is spelled `none`".to_string()),
            "new" => Some("objects are created by calling the class: `Cls(args)`".to_string()),
            _ => None,
        };
        let d = Diagnostic::error(codes::SYNTAX_ERROR, span, format!("unexpected {tok}"))
            .with_label("unexpected here");
        match help {
            Some(h) => return d.with_help(h),
            None => d,
        }
    } else if tok == Token::Object || tok == Token::Yield {
        return Diagnostic::error(codes::SYNTAX_ERROR, span, format!("{tok} is reserved"))
            .with_label("reserved word")
            .with_help("choose another name");
    } else {
        Diagnostic::error(codes::SYNTAX_ERROR, span, format!("unexpected {tok}"))
            .with_label("unexpected here")
    };
    match prev {
        Some(prev) if wants_semi && on_later_line(source, prev, span) => Diagnostic::error(
            codes::SYNTAX_ERROR,
            Span::new(prev.end as usize, prev.end as usize),
            "missing `;`",
        )
        .with_label("expected `;` here")
        .with_secondary(span, format!("{tok} starts the next line"))
        .with_help("end the statement with `;`")
        .with_fix(add_semicolon(prev.end as usize)),
        _ if wants_semi => Diagnostic {
            message: format!("expected `;`, found {tok}"),
            ..d
        }
        .with_help(expected_help(expected)),
        _ => d.with_help(expected_help(expected)),
    }
}

/// `elseif` or `elif` at `word`, which HSL spells `else if`.
fn elseif_diagnostic(word: Span, source: &str) -> Diagnostic {
    Diagnostic::error(
        codes::SYNTAX_ERROR,
        word,
        format!("`{}` is not an HSL keyword", &source[word.range()]),
    )
    .with_label("not a keyword")
    .with_help("did you mean `else if`?")
}

fn on_later_line(source: &str, prev: Span, next: Span) -> bool {
    source
        .get(prev.end as usize..next.start as usize)
        .is_some_and(|gap| gap.contains('\n'))
}

fn unexpected_eof(
    location: usize,
    expected: &[String],
    spans: &[Span],
    source: &str,
) -> Diagnostic {
    let at = Span::new(location, location);
    let mut d = Diagnostic::error(codes::UNEXPECTED_EOF, at, "unexpected end of file")
        .with_label("file ends here");
    if let Some((open, close)) = unclosed_bracket(spans, source) {
        d = d
            .with_secondary(
                open,
                format!("this `{}` is never closed", &source[open.range()]),
            )
            .with_help(format!("add the missing `{close}`"));
    } else {
        d = d.with_help(expected_help(expected));
        if let Some(last) = spans
            .last()
            .filter(|_| expected.iter().any(|e| e == "\";\""))
        {
            d = d.with_fix(add_semicolon(last.end as usize));
        }
    }
    d
}

/// The fix of a statement left without its `;`.
pub(crate) fn add_semicolon(at: usize) -> Fix {
    Fix::replace(
        "Add the missing `;`",
        Applicability::Safe,
        Span::new(at, at),
        ";",
    )
}

/// The innermost bracket left open at the end of the token stream.
fn unclosed_bracket(spans: &[Span], source: &str) -> Option<(Span, char)> {
    let mut stack: Vec<Span> = Vec::new();
    for s in spans {
        match &source[s.range()] {
            "(" | "[" | "{" => stack.push(*s),
            ")" | "]" | "}" => {
                stack.pop();
            }
            _ => {}
        }
    }
    let open = stack.pop()?;
    let close = match &source[open.range()] {
        "(" => ')',
        "[" => ']',
        _ => '}',
    };
    Some((open, close))
}

/// A readable "expected …" help line from LALRPOP's terminal names: the
/// many tokens that can start an expression collapse into "an expression".
fn expected_help(expected: &[String]) -> String {
    let terminals: Vec<&str> = expected.iter().map(|e| e.trim_matches('"')).collect();
    let closers = [";", ")", "]", "}", ",", ":", "=>", "(", "{"];
    let mut names: Vec<String> = Vec::new();
    if terminals.contains(&"ident") && terminals.contains(&"and") {
        // Any reserved word is accepted here too: a member or method name.
        names.push("a name".into());
    } else if terminals.contains(&"var") {
        names.push("an expression".into());
        names.extend(
            closers
                .iter()
                .filter(|c| !matches!(**c, "(" | "{") && terminals.contains(c))
                .map(|c| format!("`{c}`")),
        );
    } else {
        let mut operators = false;
        for t in terminals {
            let name = match t {
                "ident" => "a name".to_string(),
                "number" | "string" | "raw" | "regex" => "a value".to_string(),
                t if !closers.contains(&t) && t.chars().all(|c| !c.is_alphanumeric()) => {
                    operators = true;
                    continue;
                }
                t => format!("`{t}`"),
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
        if operators {
            names.push("an operator".into());
        }
    }
    if names.len() > 8 {
        names.truncate(8);
        names.push("…".into());
    }
    format!("expected {}", names.join(", "))
}
