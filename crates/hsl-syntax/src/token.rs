//! The tokens of HSL, recognised by a logos-generated lexer.
//!
//! Literal tokens carry their decoded value; lexical problems that still let
//! a token be formed (a bad escape, a malformed number) are pushed as
//! diagnostics into the lexer's extras and the token is produced anyway.

use crate::ast::StrPart;
use crate::lexer::{self, LexExtras};
use logos::Logos;
use std::fmt;

/// One token.
#[derive(Logos, Clone, Debug, PartialEq)]
#[logos(extras = LexExtras)]
#[logos(skip r"[ \t\r\n\x0C\x0B]+")]
#[logos(skip(r"//[^\n]*", allow_greedy = true))]
pub enum Token {
    /// `/* … */` (skipped; the callback reports an unterminated comment).
    #[token("/*", lexer::block_comment)]
    BlockComment,

    /// `$name` (the name without `$`).
    #[regex(r"\$[A-Za-z_][A-Za-z0-9_]*", |lex| lex.slice()[1..].to_string())]
    Var(String),
    /// An identifier.
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*", |lex| lex.slice().to_string())]
    Ident(String),
    /// A number literal (decoded).
    #[regex(r"[0-9][0-9A-Za-z_]*(\.[0-9][0-9A-Za-z_]*)*", lexer::number)]
    Number(f64),
    /// A double-quoted string with its pieces.
    #[token("\"", lexer::dq_string)]
    Str(Vec<StrPart>),
    /// A raw string `'DELIM'…'DELIM'` (body bytes).
    #[regex(r"'[\x21-\x26\x28-\x7e]*'", lexer::raw_string)]
    Raw(Vec<u8>),
    /// `#/pattern/flags`
    #[token("#/", lexer::regex_literal)]
    Regex(Box<(String, String)>),

    // ---- keywords
    /// `and`
    #[token("and")]
    And,
    /// `array`
    #[token("array")]
    Array,
    /// `as`
    #[token("as")]
    As,
    /// `barrier`
    #[token("barrier")]
    Barrier,
    /// `break`
    #[token("break")]
    Break,
    /// `builtin`
    #[token("builtin")]
    Builtin,
    /// `cache`
    #[token("cache")]
    Cache,
    /// `case`
    #[token("case")]
    Case,
    /// `catch`
    #[token("catch")]
    Catch,
    /// `class`
    #[token("class")]
    Class,
    /// `closure`
    #[token("closure")]
    Closure,
    /// `constructor`
    #[token("constructor")]
    Constructor,
    /// `continue`
    #[token("continue")]
    Continue,
    /// `default`
    #[token("default")]
    Default,
    /// `echo`
    #[token("echo")]
    Echo,
    /// `else`
    #[token("else")]
    Else,
    /// `false`
    #[token("false")]
    False,
    /// `for`
    #[token("for")]
    For,
    /// `foreach`
    #[token("foreach")]
    Foreach,
    /// `forever`
    #[token("forever")]
    Forever,
    /// `from`
    #[token("from")]
    From,
    /// `function`
    #[token("function")]
    Function,
    /// `global`
    #[token("global")]
    Global,
    /// `if`
    #[token("if")]
    If,
    /// `import`
    #[token("import")]
    Import,
    /// `include`
    #[token("include")]
    Include,
    /// `include_once`
    #[token("include_once")]
    IncludeOnce,
    /// `isset`
    #[token("isset")]
    Isset,
    /// `match`
    #[token("match")]
    Match,
    /// `none`
    #[token("none")]
    None,
    /// `not`
    #[token("not")]
    Not,
    /// `object` (reserved, no syntax)
    #[token("object")]
    Object,
    /// `or`
    #[token("or")]
    Or,
    /// `private`
    #[token("private")]
    Private,
    /// `readonly`
    #[token("readonly")]
    Readonly,
    /// `return`
    #[token("return")]
    Return,
    /// `static`
    #[token("static")]
    Static,
    /// `switch`
    #[token("switch")]
    Switch,
    /// `throw`
    #[token("throw")]
    Throw,
    /// `true`
    #[token("true")]
    True,
    /// `try`
    #[token("try")]
    Try,
    /// `unset`
    #[token("unset")]
    Unset,
    /// `while`
    #[token("while")]
    While,
    /// `with`
    #[token("with")]
    With,
    /// `yield` (reserved, no syntax)
    #[token("yield")]
    Yield,

    // ---- operators and punctuation
    /// `...`
    #[token("...")]
    Ellipsis,
    /// `===`
    #[token("===")]
    StrictEq,
    /// `!==`
    #[token("!==")]
    StrictNe,
    /// `**=`
    #[token("**=")]
    PowAssign,
    /// `??=`
    #[token("??=")]
    CoalesceAssign,
    /// `>>>=` (not part of HSL; lexed for a clear error)
    #[token(">>>=")]
    UShrAssign,
    /// `<<=` (not part of HSL; lexed for a clear error)
    #[token("<<=")]
    ShlAssign,
    /// `>>=` (not part of HSL; lexed for a clear error)
    #[token(">>=")]
    ShrAssign,
    /// `&=` (not part of HSL; lexed for a clear error)
    #[token("&=")]
    AndAssign,
    /// `|=` (not part of HSL; lexed for a clear error)
    #[token("|=")]
    OrAssign,
    /// `^=` (not part of HSL; lexed for a clear error)
    #[token("^=")]
    XorAssign,
    /// `>>>`
    #[token(">>>")]
    UShr,
    /// `**`
    #[token("**")]
    Pow,
    /// `->`
    #[token("->")]
    Arrow,
    /// `::`
    #[token("::")]
    ColonColon,
    /// `=>`
    #[token("=>")]
    FatArrow,
    /// `==`
    #[token("==")]
    EqEq,
    /// `!=`
    #[token("!=")]
    NotEq,
    /// `<=`
    #[token("<=")]
    LtEq,
    /// `>=`
    #[token(">=")]
    GtEq,
    /// `=~`
    #[token("=~")]
    MatchOp,
    /// `!~`
    #[token("!~")]
    NotMatchOp,
    /// `??`
    #[token("??")]
    Coalesce,
    /// `++`
    #[token("++")]
    PlusPlus,
    /// `--`
    #[token("--")]
    MinusMinus,
    /// `+=`
    #[token("+=")]
    PlusAssign,
    /// `-=`
    #[token("-=")]
    MinusAssign,
    /// `*=`
    #[token("*=")]
    StarAssign,
    /// `/=`
    #[token("/=")]
    SlashAssign,
    /// `%=`
    #[token("%=")]
    PercentAssign,
    /// `.=`
    #[token(".=")]
    DotAssign,
    /// `<<`
    #[token("<<")]
    Shl,
    /// `>>`
    #[token(">>")]
    Shr,
    /// `&&` (not part of HSL; lexed for a clear error)
    #[token("&&")]
    AndAnd,
    /// `||` (not part of HSL; lexed for a clear error)
    #[token("||")]
    OrOr,
    /// `+`
    #[token("+")]
    Plus,
    /// `-`
    #[token("-")]
    Minus,
    /// `*`
    #[token("*")]
    Star,
    /// `/`
    #[token("/")]
    Slash,
    /// `%`
    #[token("%")]
    Percent,
    /// `.`
    #[token(".")]
    Dot,
    /// `=`
    #[token("=")]
    Assign,
    /// `<`
    #[token("<")]
    Lt,
    /// `>`
    #[token(">")]
    Gt,
    /// `!`
    #[token("!")]
    Bang,
    /// `~`
    #[token("~")]
    Tilde,
    /// `&`
    #[token("&")]
    Amp,
    /// `|`
    #[token("|")]
    Pipe,
    /// `^`
    #[token("^")]
    Caret,
    /// `?`
    #[token("?")]
    Question,
    /// `:`
    #[token(":")]
    Colon,
    /// `(`
    #[token("(")]
    LParen,
    /// `)`
    #[token(")")]
    RParen,
    /// `[`
    #[token("[")]
    LBracket,
    /// `]`
    #[token("]")]
    RBracket,
    /// `{`
    #[token("{")]
    LBrace,
    /// `}`
    #[token("}")]
    RBrace,
    /// `,`
    #[token(",")]
    Comma,
    /// `;`
    #[token(";")]
    Semi,
}

impl Token {
    /// Every reserved word, in alphabetical order.
    pub const KEYWORDS: &'static [&'static str] = &[
        "and",
        "array",
        "as",
        "barrier",
        "break",
        "builtin",
        "cache",
        "case",
        "catch",
        "class",
        "closure",
        "constructor",
        "continue",
        "default",
        "echo",
        "else",
        "false",
        "for",
        "foreach",
        "forever",
        "from",
        "function",
        "global",
        "if",
        "import",
        "include",
        "include_once",
        "isset",
        "match",
        "none",
        "not",
        "object",
        "or",
        "private",
        "readonly",
        "return",
        "static",
        "switch",
        "throw",
        "true",
        "try",
        "unset",
        "while",
        "with",
        "yield",
    ];

    /// Whether this token is a reserved word.
    pub fn is_keyword(&self) -> bool {
        self.keyword_text().is_some()
    }

    /// The text of a keyword token.
    pub fn keyword_text(&self) -> Option<&'static str> {
        use Token::*;
        Some(match self {
            And => "and",
            Array => "array",
            As => "as",
            Barrier => "barrier",
            Break => "break",
            Builtin => "builtin",
            Cache => "cache",
            Case => "case",
            Catch => "catch",
            Class => "class",
            Closure => "closure",
            Constructor => "constructor",
            Continue => "continue",
            Default => "default",
            Echo => "echo",
            Else => "else",
            False => "false",
            For => "for",
            Foreach => "foreach",
            Forever => "forever",
            From => "from",
            Function => "function",
            Global => "global",
            If => "if",
            Import => "import",
            Include => "include",
            IncludeOnce => "include_once",
            Isset => "isset",
            Match => "match",
            None => "none",
            Not => "not",
            Object => "object",
            Or => "or",
            Private => "private",
            Readonly => "readonly",
            Return => "return",
            Static => "static",
            Switch => "switch",
            Throw => "throw",
            True => "true",
            Try => "try",
            Unset => "unset",
            While => "while",
            With => "with",
            Yield => "yield",
            _ => return Option::None,
        })
    }

    /// How the token is shown in messages, e.g. `` `;` `` or `a string`.
    pub fn describe(&self) -> String {
        use Token::*;
        match self {
            Var(n) => format!("variable `${n}`"),
            Ident(n) => format!("identifier `{n}`"),
            Number(_) => "a number".into(),
            Str(_) => "a string".into(),
            Raw(_) => "a raw string".into(),
            Regex(_) => "a regex literal".into(),
            BlockComment => "a comment".into(),
            t => match t.keyword_text() {
                Some(k) => format!("keyword `{k}`"),
                Option::None => format!("`{}`", t.punct_text()),
            },
        }
    }

    fn punct_text(&self) -> &'static str {
        use Token::*;
        match self {
            Ellipsis => "...",
            StrictEq => "===",
            StrictNe => "!==",
            PowAssign => "**=",
            CoalesceAssign => "??=",
            UShrAssign => ">>>=",
            ShlAssign => "<<=",
            ShrAssign => ">>=",
            AndAssign => "&=",
            OrAssign => "|=",
            XorAssign => "^=",
            UShr => ">>>",
            Pow => "**",
            Arrow => "->",
            ColonColon => "::",
            FatArrow => "=>",
            EqEq => "==",
            NotEq => "!=",
            LtEq => "<=",
            GtEq => ">=",
            MatchOp => "=~",
            NotMatchOp => "!~",
            Coalesce => "??",
            PlusPlus => "++",
            MinusMinus => "--",
            PlusAssign => "+=",
            MinusAssign => "-=",
            StarAssign => "*=",
            SlashAssign => "/=",
            PercentAssign => "%=",
            DotAssign => ".=",
            Shl => "<<",
            Shr => ">>",
            AndAnd => "&&",
            OrOr => "||",
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            Percent => "%",
            Dot => ".",
            Assign => "=",
            Lt => "<",
            Gt => ">",
            Bang => "!",
            Tilde => "~",
            Amp => "&",
            Pipe => "|",
            Caret => "^",
            Question => "?",
            Colon => ":",
            LParen => "(",
            RParen => ")",
            LBracket => "[",
            RBracket => "]",
            LBrace => "{",
            RBrace => "}",
            Comma => ",",
            Semi => ";",
            _ => "?",
        }
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_stay_small() {
        // Tokens are moved through the parser's stack: keep them compact.
        assert!(std::mem::size_of::<super::Token>() <= 32);
    }

    #[test]
    fn keyword_list_matches_the_lexer() {
        use logos::Logos;
        let lexed: Vec<&str> = super::Token::KEYWORDS
            .iter()
            .filter_map(|k| super::Token::lexer(k).next()?.ok()?.keyword_text())
            .collect();
        assert_eq!(lexed, super::Token::KEYWORDS);
        assert!(super::Token::KEYWORDS.windows(2).all(|w| w[0] < w[1]));
    }
}
