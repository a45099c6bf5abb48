//! HSL101: a call or reference of a name that is neither a user function
//! or class, nor in the catalog of any hook; a name of a newer Halon
//! version than the one checked says which version has it.

use super::{codes, fixes, Input, Resolution, Rule};
use hsl_syntax::suggest;
use hsl_syntax::{Applicability, Diagnostic, Fix, Severity};

/// Reports unknown names with the closest known one.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    let env = input.env;
    for ((name, span, builtin), resolution) in input.resolved_names() {
        if env.namespaces.contains(name) || !matches!(resolution, Resolution::Unknown) {
            continue;
        }
        let known = env
            .user_functions
            .keys()
            .chain(env.user_classes.keys())
            .map(String::as_str)
            .chain(env.catalog.functions(env.hook).map(|f| f.name.as_str()))
            .chain(env.catalog.classes(env.hook).map(|c| c.name.as_str()));
        let (help, fix) = match (name, suggest::suggest(name, known)) {
            ("null" | "NULL" | "nil", _) => (
                "the empty value is spelled `none`".to_string(),
                // A value, not a call `null(…)`.
                (!input.source[span.end as usize..]
                    .trim_start()
                    .starts_with('('))
                .then(|| Fix::replace("Replace with `none`", Applicability::Safe, span, "none")),
            ),
            (_, Some(s)) => (
                format!("did you mean `{}`?", s.name),
                Some(fixes::did_you_mean(s, span, s.name.to_string())),
            ),
            _ => (
                "declare it with `function` or `class`, or include the file that does".to_string(),
                None,
            ),
        };
        if let Some(newer) = env.catalog.newer_version_with(name) {
            let current = env.catalog.version;
            out.push(
                Diagnostic::error(
                    codes::UNKNOWN_FUNCTION,
                    span,
                    format!("`{name}` is not in Halon {current}, it came with Halon {newer}"),
                )
                .with_label(format!("not in Halon {current}"))
                .with_help(format!(
                    "check the script as Halon {newer} (`halon = {newer}`), or do without it"
                )),
            );
            continue;
        }
        let what = if builtin {
            "builtin function"
        } else {
            "function or class"
        };
        out.push(
            Diagnostic::error(
                codes::UNKNOWN_FUNCTION,
                span,
                format!("unknown {what} `{name}`"),
            )
            .with_label("not defined")
            .with_help(help)
            .with_fix(fix),
        );
    }
}

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::UNKNOWN_FUNCTION,
    name: "unknown-function",
    severity: Severity::Error,
    summary: "unknown function or class",
    doc: r#"A call or reference of a name that is not a user function or class (of this
file, its includes or imports) and not in the Halon catalog of any hook.

```hsl
$n = lenght($list);
```

Fix: correct the name (`length`), or declare or include the function.
"#,
    check: Some(check),
};
