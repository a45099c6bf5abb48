//! HSL105: a literal key of a predefined variable that the hook does not
//! provide, such as `$arguments["hots"]`.

use super::codes;
use crate::env::Env;
use crate::model::Model;
use hsl_catalog::Key;
use hsl_syntax::suggest;
use hsl_syntax::Diagnostic;
use std::collections::HashSet;

/// Reports the first unknown key of each access path.
pub fn check(model: &Model, env: &Env, out: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    for access in &model.key_accesses {
        let Some(var) = env.catalog.variable(&access.variable, env.hook) else {
            continue;
        };
        let mut keys: &[Key] = &var.keys;
        let mut written = access.variable.clone();
        for (key, span) in &access.path {
            if keys.is_empty() {
                break; // the value has no documented keys (any, or a free-form array)
            }
            match keys.iter().find(|k| k.name == *key) {
                Some(k) => {
                    written.push_str(&format!("[\"{key}\"]"));
                    keys = &k.keys;
                }
                None => {
                    if seen.insert((span.start, span.end)) {
                        let names = keys.iter().map(|k| k.name.as_str());
                        let help = match suggest::closest(key, names.clone()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("known keys: {}", names.collect::<Vec<_>>().join(", ")),
                        };
                        let hook = env
                            .hook
                            .map(|h| format!(" in the {h} hook"))
                            .unwrap_or_default();
                        out.push(
                            Diagnostic::error(
                                codes::UNKNOWN_KEY,
                                *span,
                                format!("`{written}` has no key `{key}`{hook}"),
                            )
                            .with_label("unknown key")
                            .with_help(help),
                        );
                    }
                    break;
                }
            }
        }
    }
}
