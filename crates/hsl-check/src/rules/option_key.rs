//! HSL130: a key of a literal options array that the function does not
//! document (`Reject("…", ["disconect" => true])`), with "did you mean";
//! and HSL104 for a literal option value of the wrong type. Nested arrays
//! with documented keys (`reply_codes`) are checked the same way.

use super::codes;
use crate::env::Env;
use crate::model::{LiteralArray, Model};
use crate::suggest;
use hsl_catalog::{Function, Key, Type};
use hsl_syntax::Diagnostic;

/// Reports unknown option keys and option values of the wrong kind.
pub fn check(model: &Model, env: &Env, out: &mut Vec<Diagnostic>) {
    for call in model.calls.iter().filter(|c| !c.spread) {
        if env.user_functions.contains_key(&call.name) && !call.builtin {
            continue;
        }
        let Some(f) = env.catalog.function(&call.name, env.hook) else {
            continue;
        };
        if f.name != call.name || f.options.is_empty() {
            continue;
        }
        let Some(i) = f.params.iter().position(|p| p.name == "options") else {
            continue;
        };
        if let Some(Some(array)) = call.arrays.get(i) {
            check_array(f, array, &f.options, !f.options_open, "", out);
        }
    }
}

/// Checks one array literal against the documented `keys`; `path` names the
/// enclosing option (`reply_codes` → `reply_codes.code`) in messages.
fn check_array(
    f: &Function,
    array: &LiteralArray,
    keys: &[Key],
    closed: bool,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    for entry in &array.entries {
        let name = format!("{path}{}", entry.key);
        let Some(key) = keys.iter().find(|k| k.name == entry.key) else {
            if closed {
                out.push(unknown(f, &name, entry.key_span, &entry.key, keys));
            }
            continue;
        };
        if let Some(kind) = entry.kind {
            if !Type::parse(&key.ty).accepts(kind) {
                out.push(
                    Diagnostic::error(
                        codes::ARGUMENT_TYPE,
                        entry.value_span,
                        format!(
                            "option `{name}` of `{}` expects {}, not {}",
                            f.name,
                            key.ty,
                            kind.as_str()
                        ),
                    )
                    .with_label(format!("this is {}", kind.as_str()))
                    .with_help(format!("pass {} for `{name}`", key.ty)),
                );
            }
        }
        if let (Some(nested), false) = (&entry.nested, key.keys.is_empty()) {
            check_array(f, nested, &key.keys, true, &format!("{name}."), out);
        }
    }
}

fn unknown(
    f: &Function,
    name: &str,
    span: hsl_syntax::Span,
    key: &str,
    keys: &[Key],
) -> Diagnostic {
    let names = keys.iter().map(|k| k.name.as_str());
    let help = match suggest::closest(key, names.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "documented options: {}",
            names
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::error(
        codes::UNKNOWN_OPTION,
        span,
        format!("`{}` has no option `{name}`", f.name),
    )
    .with_label("unknown option")
    .with_help(help)
}
