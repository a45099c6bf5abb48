//! HSL105: a literal key of a predefined variable that the hook does not
//! provide, such as `$arguments["hots"]`.

use super::{codes, fixes, Input, Rule};
use hsl_catalog::Key;
use hsl_syntax::suggest;
use hsl_syntax::{Diagnostic, Severity};
use std::collections::HashSet;

/// Reports the first unknown key of each access path.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    let (model, env) = (input.model, input.env);
    let mut seen = HashSet::new();
    for access in &model.key_accesses {
        let mut keys: &[Key] = &access.variable.keys;
        for (depth, (key, span)) in access.path.iter().enumerate() {
            if keys.is_empty() {
                break; // the value has no documented keys (any, or a free-form array)
            }
            match keys.iter().find(|k| k.name == *key) {
                Some(k) => keys = &k.keys,
                None => {
                    let mut written = access.variable.name.clone();
                    for (key, _) in &access.path[..depth] {
                        written.push_str(&format!("[\"{key}\"]"));
                    }
                    if seen.insert((span.start, span.end)) {
                        let names = keys.iter().map(|k| k.name.as_str());
                        let suggestion = suggest::suggest(key, names.clone());
                        let help = match suggestion {
                            Some(s) => format!("did you mean `{}`?", s.name),
                            None => format!("known keys: {}", names.collect::<Vec<_>>().join(", ")),
                        };
                        let fix = suggestion.and_then(|s| {
                            Some(fixes::did_you_mean(
                                s,
                                *span,
                                fixes::string_literal(s.name)?,
                            ))
                        });
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
                            .with_help(help)
                            .with_fix(fix),
                        );
                    }
                    break;
                }
            }
        }
    }
}

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::UNKNOWN_KEY,
    name: "unknown-key",
    severity: Severity::Error,
    summary: "unknown key of a predefined variable",
    doc: r#"A literal key that the hook's `$arguments`, `$connection`, `$transaction` or
`$message` does not have (nested keys are checked too).

```hsl
// src/hooks/helo/inbound.hsl
$h = $arguments["hots"];
```

Fix: `$arguments["host"]` (the help line suggests the closest key).
"#,
    check: Some(check),
};
