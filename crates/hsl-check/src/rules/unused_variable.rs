//! HSL115: a variable assigned but never read (inside a function, or at
//! the top level of a hook script).

use super::{codes, Input, Rule};
use hsl_syntax::{Diagnostic, Severity};

/// Reports unused variables.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    for (name, span) in &input.model.unused_variables {
        out.push(
            Diagnostic::warning(
                codes::UNUSED_VARIABLE,
                *span,
                format!("`${name}` is assigned but never read"),
            )
            .with_label("never read")
            .with_help(format!(
                "remove it, or name it `$_{name}` if it is intentional"
            )),
        );
    }
}

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::UNUSED_VARIABLE,
    name: "unused-variable",
    severity: Severity::Warning,
    summary: "unused variable",
    doc: r#"A variable is assigned but never read (inside a function, or at the top level
of a hook script). Names starting with `_`, parameters, loop and catch
variables are not reported. Warning.

```hsl
function f($x) { $tmp = $x * 2; return $x; }
```

Fix: remove it, or use it.
"#,
    check: Some(check),
};
