//! HSL102: a context function (such as `Accept`) used in a hook, or a plain
//! file, that does not provide it.

use super::{codes, names, resolve, Resolution};
use crate::env::Env;
use crate::model::Model;
use hsl_syntax::Diagnostic;

/// Reports context functions used outside their hooks, naming where they exist.
pub fn check(model: &Model, env: &Env, out: &mut Vec<Diagnostic>) {
    for (name, span, builtin) in names(model) {
        let Resolution::OtherHooks(hooks) = resolve(env, name, builtin) else {
            continue;
        };
        let list: Vec<&str> = hooks.iter().map(|h| h.as_str()).collect();
        let here = match env.hook {
            Some(h) => format!("the {h} hook"),
            None => "a file that belongs to no hook".to_string(),
        };
        out.push(
            Diagnostic::error(
                codes::WRONG_HOOK,
                span,
                format!("`{name}` is not available in {here}"),
            )
            .with_label("not in this context")
            .with_help(format!("`{name}` exists in: {}", list.join(", "))),
        );
    }
}
