//! The HSL formatter: prints a parsed file in one canonical layout
//! (4-space indentation, `} else {`, one statement per line, spaces around
//! binary operators, groups broken over lines only when they do not fit in
//! the line width) while keeping every comment, at most one blank line
//! between statements, and the exact text of every literal.
//!
//! ```
//! let out = hsl_fmt::format("if($a){echo 1;}else{echo 2;}", &hsl_fmt::Options::default());
//! assert_eq!(out.unwrap(), "if ($a) {\n    echo 1;\n} else {\n    echo 2;\n}\n");
//! ```

mod comments;
mod config;
mod doc;
mod print;

pub use config::Options;
use hsl_syntax::{Diagnostic, Severity};

/// Formats a whole file. A file with syntax errors is not formatted: its
/// error diagnostics are returned instead.
pub fn format(source: &str, options: &Options) -> Result<String, Vec<Diagnostic>> {
    let parse = hsl_syntax::parse(source);
    let errors: Vec<Diagnostic> = parse
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let (tokens, _) = hsl_syntax::lexer::lex(source);
    let comments = comments::collect(source, &tokens);
    let doc = print::program(&parse.program, source, comments);
    Ok(doc::print(&doc, options))
}
