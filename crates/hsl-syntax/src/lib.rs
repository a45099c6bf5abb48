//! Lexer, parser, syntax tree and syntax diagnostics for HSL, the Halon
//! Scripting Language.
//!
//! ```
//! let parse = hsl_syntax::parse("echo \"hello\";");
//! assert!(parse.diagnostics.is_empty());
//! assert_eq!(parse.program.stmts.len(), 1);
//! ```

pub mod ast;
mod build;
pub mod codes;
mod diagnostic;
pub mod dump;
pub mod fix;
pub mod lexer;
mod line_index;
mod mentions;
mod parser;
mod read;
mod source;
mod span;
mod stream;
pub mod suggest;
pub mod token;
pub mod visit;

pub use diagnostic::{Diagnostic, Label, Severity};
pub use fix::{Applicability, Edit, Fix};
pub use line_index::{LineCol, LineIndex};
pub use mentions::{Mentions, Words};
pub use parser::{parse, Parse, MAX_NESTING, MAX_OPERATORS};
pub use read::{read_file, ReadError, DEFAULT_MAX_FILE_SIZE};
pub use source::{decode, run_with_large_stack, LARGE_STACK};
pub use span::Span;
