//! A tree-walking interpreter for HSL: values with Halon's conversion and
//! comparison rules, copy-on-write arrays, user functions with defaults and
//! variadics, closures with captured variables, `global`, exceptions, step
//! and call-depth limits, and a first part of the core library.
//!
//! ```
//! let mut out = Vec::new();
//! hsl_eval::run_source("echo 1 + 2;", "t.hsl", &Default::default(), &mut |b| out.extend_from_slice(b)).unwrap();
//! assert_eq!(out, b"3\n");
//! ```

mod builtins;
mod cache;
mod collections;
mod encoding;
mod format;
mod interp;
mod json;
pub mod mail;
mod memory;
pub mod modules;
mod net;
mod ops;
mod pack;
mod regex;
pub mod stubs;
mod time;
pub mod value;

pub use interp::{HostFn, Interpreter, Limits, Signal, Verdict};

use hsl_syntax::LineIndex;
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
    /// Step and call-depth limits.
    pub limits: Limits,
    /// Results of functions that need the world.
    pub stubs: stubs::Stubs,
}

/// Parses and runs `source`, sending `echo` output to `echo`.
pub fn run_source(
    source: &str,
    file: &str,
    options: &Options,
    echo: &mut dyn FnMut(&[u8]),
) -> Result<(), RuntimeError> {
    let parse = hsl_syntax::parse(source);
    let index = LineIndex::new(source);
    let at = |offset: usize, message: String| {
        let lc = index.line_col(source, offset);
        RuntimeError {
            message,
            file: file.to_string(),
            line: lc.line + 1,
            column: lc.column + 1,
        }
    };
    if let Some(d) = parse
        .diagnostics
        .iter()
        .find(|d| d.severity == hsl_syntax::Severity::Error)
    {
        return Err(at(
            d.span.start as usize,
            format!("{} [{}]", d.message, d.code),
        ));
    }
    let modules = modules::Modules::load(&parse.program, std::path::Path::new(file))
        .map_err(|e| at(0, format!("cannot load an included file: {e}")))?;
    let mut interpreter = Interpreter::new(options.limits, echo);
    interpreter.set_modules(&modules, std::path::PathBuf::from(file));
    interpreter.set_stubs(options.stubs.clone());
    match interpreter.run(&parse.program) {
        Ok(()) => Ok(()),
        Err(Signal::Throw(v, span)) => Err(at(
            span.start as usize,
            format!(
                "uncaught exception: {}",
                String::from_utf8_lossy(&match &v {
                    value::Value::Object(o) =>
                        o.exception_message().unwrap_or_else(|| v.to_bytes()),
                    other => other.to_bytes(),
                })
            ),
        )),
        Err(Signal::Limit(message, span)) => Err(at(span.start as usize, message)),
        Err(Signal::Terminate(_)) => Ok(()),
    }
}
