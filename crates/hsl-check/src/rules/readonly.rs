//! HSL106: assigning to (or unsetting, incrementing) a read-only predefined
//! variable such as `$arguments`. Only `$context` is writable, and not in
//! the postdelivery hook.

use super::{codes, Input, Rule};
use hsl_syntax::{Diagnostic, Severity};

/// Reports writes to read-only predefined variables.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    let (model, env) = (input.model, input.env);
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

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::READONLY,
    name: "readonly-assignment",
    severity: Severity::Error,
    summary: "assignment to a read-only variable",
    doc: r#"The predefined variables are read-only; only `$context` may be written (and
not in the postdelivery hook). Assigning to a key, `unset()`, `++` and `--`
count as writes.

```hsl
$arguments["host"] = "example.org";
```

Fix: copy the value first (`$host = $arguments["host"];`) or keep state in
`$context`.
"#,
    check: Some(check),
};
