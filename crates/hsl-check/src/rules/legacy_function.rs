//! HSL114: a function renamed or deprecated in Halon 5.x. Renamed ones
//! (aliases such as `strlen`) still work and get a warning naming the current
//! function; deprecated ones are gone in 6.x (error) and still work with
//! `halon = 5` or `4` (warning).

use super::{codes, Input, Resolution, Rule};
use crate::model::Call;
use hsl_catalog::{HalonVersion, Legacy};
use hsl_syntax::{Applicability, Diagnostic, Edit, Fix, Severity, Span};

/// Reports old names with their replacement.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    let (model, env) = (input.model, input.env);
    let removed = env.catalog.version == HalonVersion::V6;
    // `names` yields the calls first, in order: the i-th name of a call is
    // `model.calls[i]`.
    for (i, ((name, span, _), resolution)) in input.resolved_names().enumerate() {
        let Resolution::Legacy(legacy) = resolution else {
            continue;
        };
        let severity = if removed && *legacy == Legacy::Deprecated {
            Severity::Error
        } else {
            Severity::Warning
        };
        let (message, help) = match (legacy.clone(), removed) {
            (Legacy::Alias { replacement, note }, _) => (
                format!("`{name}` is an old name of `{replacement}`"),
                match note {
                    Some(n) => format!("call `{replacement}` instead; {n}"),
                    None => format!("call `{replacement}` instead"),
                },
            ),
            (Legacy::Deprecated, true) => (
                format!("`{name}` was removed in Halon 6"),
                "see the Halon 6 upgrade notes for its replacement".to_string(),
            ),
            (Legacy::Deprecated, false) => (
                format!("`{name}` is deprecated"),
                "it was removed in Halon 6; plan its replacement".to_string(),
            ),
        };
        let fix = match legacy {
            Legacy::Alias { replacement, .. } => {
                let call = model.calls.get(i).filter(|c| c.span == span);
                rename(input, name, span, call, replacement)
            }
            Legacy::Deprecated => None,
        };
        out.push(
            Diagnostic::new(codes::LEGACY_FUNCTION, severity, span, message)
                .with_label("old name")
                .with_help(help)
                .with_fix(fix),
        );
    }
}

/// The old name `name` at `span` replaced by `replacement`; for an alias
/// whose first two arguments come in the other order, those arguments
/// swapped too (only in a `call` with both, not spread).
fn rename(
    input: &Input,
    name: &str,
    span: Span,
    call: Option<&Call>,
    replacement: &str,
) -> Option<Fix> {
    let title = format!("Replace with `{replacement}`");
    let mut edits = vec![Edit {
        span,
        text: replacement.to_string(),
    }];
    if input.env.catalog.alias(name).is_some_and(|a| a.swapped) {
        let call = call?;
        let [(_, first), (_, second), ..] = call.args[..] else {
            return None;
        };
        if call.spread {
            return None;
        }
        let text = |s: Span| input.source.get(s.range()).map(str::to_string);
        edits.push(Edit {
            span: first,
            text: text(second)?,
        });
        edits.push(Edit {
            span: second,
            text: text(first)?,
        });
        return Some(Fix::new(
            format!("{title} and swap its first two arguments"),
            Applicability::Safe,
            edits,
        ));
    }
    Some(Fix::new(title, Applicability::Safe, edits))
}

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::LEGACY_FUNCTION,
    name: "legacy-function",
    severity: Severity::Warning,
    summary: "deprecated or renamed function",
    doc: r#"A name from Halon 5.x. Aliases of current functions (`strlen` is `length`,
`in_network` is `inet_includes`) are still accepted and get a warning naming
the current function. Functions deprecated in 5.x (`file_get_contents`,
`ldap_search`…) were removed in Halon 6: an error with the default version,
a warning with `halon = 5` or `4`.

```hsl
if (in_network($ip, "10.0.0.0/8")) Accept();
```

Fix: `inet_includes($ip, "10.0.0.0/8")`.
"#,
    check: Some(check),
};
