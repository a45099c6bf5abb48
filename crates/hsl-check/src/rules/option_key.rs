//! HSL130: a key of a literal options array that the function does not
//! document (`Reject("…", ["disconect" => true])`), with "did you mean";
//! and HSL104 for a literal option value of the wrong type. Nested arrays
//! with documented keys (`reply_codes`) are checked the same way.

use super::{codes, fixes, Input, Rule};
use crate::model::LiteralArray;
use hsl_catalog::{Function, Key, Type};
use hsl_syntax::suggest;
use hsl_syntax::{Diagnostic, Severity};

/// Reports unknown option keys and option values of the wrong kind.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    for (call, f) in super::catalog_calls(input) {
        if f.options.is_empty() {
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
            if !Type::parse(&key.ty).admits(kind) {
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
    let suggestion = suggest::suggest(key, names.clone());
    let fix =
        suggestion.and_then(|s| Some(fixes::did_you_mean(s, span, fixes::string_literal(s.name)?)));
    let help = match suggestion {
        Some(s) => format!("did you mean `{}`?", s.name),
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
    .with_fix(fix)
}

/// The rule.
pub const RULE: Rule = Rule {
    code: codes::UNKNOWN_OPTION,
    name: "unknown-option",
    severity: Severity::Error,
    summary: "key of an options array the function does not document",
    doc: r#"A key of a literal options array that the called function does not document
for this hook and Halon version (the catalog lists each function's option
keys with their types; nested arrays with documented keys, such as
`reply_codes`, are checked too). Keys that are not constant strings are not
judged, nor are functions whose documentation for this version does not list
every key (the 6.x queue hooks). A literal value of the wrong type for a
documented key is HSL104.

```hsl
// src/hooks/helo/inbound.hsl
Reject("Go away", ["disconect" => true]);
Defer("Later", ["reply_codes" => ["cod" => 451]]);
```

Fix: `["disconnect" => true]`, `["reply_codes" => ["code" => 451]]` (the help
line suggests the closest documented key, or lists them)."#,
    check: Some(check),
};
