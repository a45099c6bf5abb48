//! HSL106: assigning to (or unsetting, incrementing) a read-only predefined
//! variable such as `$arguments`. Only `$context` is writable, and not in
//! the postdelivery hook.

use super::codes;
use crate::env::Env;
use crate::model::Model;
use hsl_syntax::Diagnostic;

/// Reports writes to read-only predefined variables.
pub fn check(model: &Model, env: &Env, out: &mut Vec<Diagnostic>) {
    for (name, span) in &model.readonly_writes {
        let writable = env
            .catalog
            .variable("$context", env.hook)
            .is_some_and(|v| !v.readonly);
        let help = if writable {
            format!("copy it first (`$copy = ${name};`) or keep your state in `$context`")
        } else {
            format!("copy it first: `$copy = ${name};`")
        };
        out.push(
            Diagnostic::error(codes::READONLY, *span, format!("`${name}` is read-only"))
                .with_label("cannot be changed")
                .with_help(help),
        );
    }
}
