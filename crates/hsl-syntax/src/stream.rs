//! The token stream the grammar reads: `::` inside slices is split into two
//! `:` (so `$s[::-1]` and `$a[1::2]` parse), and the nesting and
//! expression-size limits end the stream early with a diagnostic. The spans
//! of all tokens are kept for error messages.

use crate::lexer::Tokens;
use crate::parser::{MAX_NESTING, MAX_OPERATORS};
use crate::token::Token;
use crate::{codes, Diagnostic, Span};

/// The prepared tokens of one source text, read by the grammar.
pub(crate) struct Prepared<'a> {
    /// The lexer.
    pub(crate) tokens: Tokens<'a>,
    /// The spans of the tokens handed out so far.
    pub(crate) spans: Vec<Span>,
    /// The limit the stream went over, which ended it.
    pub(crate) limit: Option<Diagnostic>,
    /// The span of the second `:` of a split `::`.
    pending: Option<Span>,
    previous_allows_scope: bool,
    depth: usize,
    /// Statement nesting at the current bracket depth.
    statements: Statements,
    /// Statement nesting at each enclosing bracket depth, the outermost
    /// first.
    outer: Vec<Statements>,
    operators: usize,
}

/// How deeply the statements at one bracket depth nest without brackets:
/// `if (…) if (…) …` or an `else if` chain builds a tree as deep as the
/// chain is long, so it counts against the nesting limit.
#[derive(Default)]
struct Statements {
    /// `if`, `else`, `while`, `for` and `foreach` since the last `;`.
    run: usize,
    /// `else if` links in the current chain.
    chain: usize,
    /// The previous token ended a statement (`;` or `}`).
    ended: bool,
    /// The previous token was `else`.
    after_else: bool,
}

impl Statements {
    /// Counts a token that neither nests nor ends statements (a name, a
    /// literal, most punctuation): the statement run goes on, any `else`
    /// chain ends.
    #[inline]
    fn plain(&mut self) {
        if self.ended {
            self.chain = 0;
        }
        self.ended = false;
        self.after_else = false;
    }

    /// Counts `tok`; returns how deep the statements now nest.
    fn step(&mut self, tok: &Token) -> usize {
        if self.ended && !matches!(tok, Token::Else) {
            self.chain = 0;
        }
        if matches!(tok, Token::If) && self.after_else {
            self.chain += 1;
        }
        match tok {
            Token::If | Token::Else | Token::While | Token::For | Token::Foreach => self.run += 1,
            Token::Semi | Token::LBrace | Token::RBrace => self.run = 0,
            _ => {}
        }
        self.ended = matches!(tok, Token::Semi | Token::RBrace);
        self.after_else = matches!(tok, Token::Else);
        self.run + self.chain
    }
}

/// A limit that a token went over.
#[derive(Clone, Copy)]
enum Limit {
    Brackets,
    Statements,
    Operators,
}

impl Limit {
    /// The diagnostic that ends the stream at the token at `span`.
    #[cold]
    #[inline(never)]
    fn diagnostic(self, span: Span) -> Diagnostic {
        let (message, help) = match self {
            Limit::Brackets => (
                format!("brackets nested more than {MAX_NESTING} levels deep"),
                "split the expression into several statements",
            ),
            Limit::Statements => (
                format!("statements nested more than {MAX_NESTING} levels deep"),
                "use a `switch` or a lookup array instead of a long `else if` chain",
            ),
            Limit::Operators => (
                format!("more than {MAX_OPERATORS} operators in one expression"),
                "split the expression into several statements",
            ),
        };
        Diagnostic::error(codes::TOO_DEEP, span, message)
            .with_label("the rest of the file is not checked")
            .with_help(help)
    }
}

impl<'a> Prepared<'a> {
    /// Starts reading `source`.
    pub(crate) fn new(source: &'a str) -> Self {
        Prepared {
            tokens: Tokens::new(source),
            spans: Vec::with_capacity(source.len() / 6),
            limit: None,
            pending: None,
            previous_allows_scope: false,
            depth: 0,
            statements: Statements::default(),
            outer: Vec::new(),
            operators: 0,
        }
    }

    /// Counts `tok`, a [`Role::Counted`] token; the limit it goes over, if
    /// any.
    #[inline]
    fn over_limit(&mut self, tok: &Token) -> Option<Limit> {
        let operator = is_operator(tok);
        match tok {
            Token::LParen | Token::LBracket | Token::LBrace => {
                self.depth += 1;
                self.outer.push(std::mem::take(&mut self.statements));
            }
            Token::RParen | Token::RBracket | Token::RBrace => {
                self.depth = self.depth.saturating_sub(1);
                self.statements = self.outer.pop().unwrap_or_default();
            }
            _ => {}
        }
        let nested = self.statements.step(tok);
        if matches!(
            tok,
            Token::Semi | Token::Comma | Token::LBrace | Token::RBrace
        ) {
            self.operators = 0;
        } else if operator {
            self.operators += 1;
        }
        if self.depth > MAX_NESTING {
            Some(Limit::Brackets)
        } else if nested > MAX_NESTING {
            Some(Limit::Statements)
        } else if self.operators > MAX_OPERATORS {
            Some(Limit::Operators)
        } else {
            None
        }
    }
}

impl Iterator for Prepared<'_> {
    type Item = (usize, Token, usize);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if let Some(span) = self.pending.take() {
            self.previous_allows_scope = false;
            self.spans.push(span);
            return Some((span.start as usize, Token::Colon, span.end as usize));
        }
        if self.limit.is_some() {
            return None;
        }
        let (tok, mut span) = self.tokens.next()?;
        let role = role(&tok);
        let tok = match role {
            Role::Counted => {
                if let Some(limit) = self.over_limit(&tok) {
                    self.limit = Some(limit.diagnostic(span));
                    return None;
                }
                tok
            }
            Role::ColonColon if !self.previous_allows_scope => {
                self.statements.plain();
                let mid = span.start + 1;
                self.pending = Some(Span {
                    start: mid,
                    end: span.end,
                });
                span.end = mid;
                Token::Colon
            }
            _ => {
                // Nothing grows: no limit can be reached.
                self.statements.plain();
                tok
            }
        };
        self.previous_allows_scope = role == Role::Scope;
        self.spans.push(span);
        Some((span.start as usize, tok, span.end as usize))
    }
}

/// What the stream does with a token.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Counted by the limits: an operator, a bracket, a separator or a
    /// word that nests statements.
    Counted,
    /// A name or `static`, which a `::` may follow.
    Scope,
    /// `::`
    ColonColon,
    /// Anything else: it cannot take the stream over a limit.
    Plain,
}

/// The role of `tok`.
#[inline]
fn role(tok: &Token) -> Role {
    if is_operator(tok) || counts_nesting(tok) {
        Role::Counted
    } else {
        match tok {
            Token::Ident(_) | Token::Static => Role::Scope,
            Token::ColonColon => Role::ColonColon,
            _ => Role::Plain,
        }
    }
}

/// Whether `tok` opens or closes brackets or statements, or separates
/// expressions: the tokens besides operators that the limits count.
fn counts_nesting(tok: &Token) -> bool {
    use Token::*;
    matches!(
        tok,
        LParen
            | LBracket
            | LBrace
            | RParen
            | RBracket
            | RBrace
            | Semi
            | Comma
            | If
            | Else
            | While
            | For
            | Foreach
    )
}

fn is_operator(tok: &Token) -> bool {
    use Token::*;
    matches!(
        tok,
        Plus | Minus
            | Star
            | Slash
            | Percent
            | Dot
            | Pow
            | Shl
            | Shr
            | UShr
            | Amp
            | Pipe
            | Caret
            | EqEq
            | NotEq
            | StrictEq
            | StrictNe
            | Lt
            | LtEq
            | Gt
            | GtEq
            | MatchOp
            | NotMatchOp
            | And
            | Or
            | Coalesce
            | Question
            | Bang
            | Not
            | Tilde
            | Assign
            | Arrow
    )
}
