//! Semantic checks of HSL scripts: which hook a file belongs to, what its
//! includes and imports bring in, and the rules that judge it against the
//! Halon catalog (unknown functions, functions of other hooks, arity, types,
//! unknown keys, read-only variables, definite assignment, unreachable code,
//! unused names…).
//!
//! ```no_run
//! use hsl_check::{Checker, Options};
//! let checker = Checker::new(Options::default());
//! let path = std::path::Path::new("src/hooks/helo/inbound.hsl");
//! let diagnostics = checker.check(path, "Accept();").unwrap();
//! ```

pub mod config;
pub mod declared;
pub mod env;
pub mod fix;
pub mod flow;
mod follow;
pub mod model;
mod parts;
mod reuse;
pub mod rules;
pub mod scopes;
mod suppress;
mod symbols;
mod top;
mod workspace;

pub use config::Config;
pub use workspace::{Buffer, Checker, ConfigReport, FileContext, FileText, Options, Role, Stop};

/// The documentation of the semantic codes (Markdown, one `## HSLnnn` section each).
pub const DOCS: &str = include_str!("../CODES.md");
