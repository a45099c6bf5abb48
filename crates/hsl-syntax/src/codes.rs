//! Stable codes of the lexical and syntax diagnostics (`HSL001`–`HSL099`).
//! Each is explained in `CODES.md` beside this crate, which `hsl explain`
//! prints.

/// A token that does not fit the grammar here.
pub const SYNTAX_ERROR: &str = "HSL001";
/// The file ends in the middle of a construct.
pub const UNEXPECTED_EOF: &str = "HSL002";
/// A `"` string is never closed.
pub const UNTERMINATED_STRING: &str = "HSL003";
/// A raw string `'DELIM'…'DELIM'` is never closed.
pub const UNTERMINATED_RAW_STRING: &str = "HSL004";
/// A `/* */` comment is never closed.
pub const UNTERMINATED_COMMENT: &str = "HSL005";
/// An unknown backslash escape in a string.
pub const BAD_ESCAPE: &str = "HSL006";
/// A malformed `${…}` interpolation.
pub const BAD_INTERPOLATION: &str = "HSL007";
/// A malformed number literal.
pub const INVALID_NUMBER: &str = "HSL008";
/// A regex literal without its closing `/`.
pub const UNTERMINATED_REGEX: &str = "HSL009";
/// An unknown regex flag letter.
pub const BAD_REGEX_FLAG: &str = "HSL010";
/// A character that starts no token.
pub const STRAY_CHARACTER: &str = "HSL011";
/// The file is not valid UTF-8.
pub const INVALID_UTF8: &str = "HSL012";
/// Brackets nested deeper than the parser allows.
pub const TOO_DEEP: &str = "HSL013";
/// Assignment to something that cannot be assigned.
pub const INVALID_ASSIGNMENT: &str = "HSL014";
/// A malformed destructuring pattern.
pub const INVALID_PATTERN: &str = "HSL015";
/// An operator from other languages that HSL does not have.
pub const UNSUPPORTED_OPERATOR: &str = "HSL016";
/// A variable inside an `include`/`import` file name.
pub const NON_CONSTANT_PATH: &str = "HSL017";
/// A malformed parameter list.
pub const INVALID_PARAMETERS: &str = "HSL018";
/// A repeated class member modifier.
pub const INVALID_MODIFIERS: &str = "HSL019";
/// A malformed switch body.
pub const INVALID_SWITCH: &str = "HSL020";
/// A closure's last statement without its `;` (a warning).
pub const MISSING_SEMICOLON: &str = "HSL021";
/// A document larger than the size limit, left unanalysed (editors).
pub const TOO_LARGE: &str = "HSL022";

/// Every syntax code, in order.
pub const ALL: &[&str] = &[
    SYNTAX_ERROR,
    UNEXPECTED_EOF,
    UNTERMINATED_STRING,
    UNTERMINATED_RAW_STRING,
    UNTERMINATED_COMMENT,
    BAD_ESCAPE,
    BAD_INTERPOLATION,
    INVALID_NUMBER,
    UNTERMINATED_REGEX,
    BAD_REGEX_FLAG,
    STRAY_CHARACTER,
    INVALID_UTF8,
    TOO_DEEP,
    INVALID_ASSIGNMENT,
    INVALID_PATTERN,
    UNSUPPORTED_OPERATOR,
    NON_CONSTANT_PATH,
    INVALID_PARAMETERS,
    INVALID_MODIFIERS,
    INVALID_SWITCH,
    MISSING_SEMICOLON,
    TOO_LARGE,
];

/// The documentation of the syntax codes (Markdown, one `## HSLnnn` section each).
pub const DOCS: &str = include_str!("../CODES.md");

/// The Markdown section documenting `code` in `docs`, if there is one.
pub fn section<'a>(docs: &'a str, code: &str) -> Option<&'a str> {
    let start = docs.find(&format!("\n## {code}"))? + 1;
    let rest = &docs[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 4);
    Some(rest[..end].trim_end())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_code_is_documented() {
        for code in super::ALL {
            let doc =
                super::section(super::DOCS, code).unwrap_or_else(|| panic!("{code} undocumented"));
            assert!(doc.lines().count() > 3, "{code} doc too short");
        }
    }
}
