//! A tree-walking interpreter for HSL: values with Halon's conversion and
//! comparison rules, copy-on-write arrays, user functions with defaults and
//! variadics, closures with captured variables, `global`, exceptions,
//! includes and modules (each with its own top-level scope), sandbox limits
//! (steps, call depth, time, and memory: each value and, with the
//! [`alloc::Counting`] allocator installed, all values together) and a
//! first part of the core library.
//!
//! ```
//! let mut out = Vec::new();
//! hsl_eval::run_source("echo 1 + 2;", "t.hsl", &Default::default(), &mut |b| out.extend_from_slice(b)).unwrap();
//! assert_eq!(out, b"3\n");
//! ```

mod address;
pub mod alloc;
mod args;
mod arrays;
mod builtins;
mod cache;
pub mod calendar;
mod collections;
mod compress;
pub mod coverage;
mod crypto;
mod csv;
mod data;
mod decode;
mod dkim;
mod domain;
mod encoding;
mod format;
mod interp;
mod json;
pub mod limits;
pub mod mail;
mod memory;
mod mimeword;
pub mod modules;
mod net;
mod ops;
mod pack;
mod regex;
mod registry;
mod strings;
pub mod stubs;
mod time;
mod url;
pub mod value;
mod walk;
mod yaml;

pub use interp::{HostFn, Interpreter, Signal, Verdict};

/// Results inside the crate: the rare [`Signal`] is boxed, so a result is
/// as small as a value and travels in registers. The public API returns
/// the signal itself.
pub(crate) type R<T> = Result<T, Box<Signal>>;
pub use limits::Limits;

use std::fmt;

/// An uncaught exception, limit or syntax error, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeError {
    /// What happened.
    pub message: String,
    /// File name as given.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// How a script runs.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Step, call-depth, time and memory limits.
    pub limits: Limits,
    /// Results of functions that need the world.
    pub stubs: stubs::Stubs,
}

/// Parses and runs `source`, sending `echo` output to `echo`. Errors name
/// the file they happened in (an included file or module when it was
/// there) with the line and column.
pub fn run_source(
    source: &str,
    file: &str,
    options: &Options,
    echo: &mut dyn FnMut(&[u8]),
) -> Result<(), RuntimeError> {
    let path = std::path::Path::new(file);
    let parse = hsl_syntax::parse(source);
    if let Some(d) = parse
        .diagnostics
        .iter()
        .find(|d| d.severity == hsl_syntax::Severity::Error)
    {
        let message = format!("{} [{}]", d.message, d.code);
        let mut only = modules::Modules::default();
        only.add_text(path, source);
        return Err(only.error(path, d.span.start as usize, message));
    }
    let modules = modules::Modules::load(&parse.program, source, path)?;
    let mut interpreter = Interpreter::new(options.limits, echo);
    interpreter.set_modules(&modules, path.to_path_buf());
    interpreter.set_stubs(options.stubs.clone());
    let (message, span) = match interpreter.run(&parse.program) {
        Ok(()) | Err(Signal::Terminate(_)) => return Ok(()),
        Err(Signal::Throw(v, span)) => (format!("uncaught exception: {}", v.thrown_text()), span),
        Err(Signal::Limit(message, span)) => (message, span),
    };
    let at = interpreter.error_file().unwrap_or(path);
    Err(modules.error(at, span.start as usize, message))
}
