//! HSL108: statements after `return`, `throw`, `break`, `continue`, an
//! endless loop, or a call that ends the script (`Reject()`, `Accept()`…).

use super::{codes, Input, Rule};
use hsl_syntax::{Diagnostic, Severity};

/// Reports the first unreachable statement of each block.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    let model = input.model;
    for (span, by) in &model.unreachable {
        out.push(
            Diagnostic::warning(codes::UNREACHABLE, *span, "this code never runs")
                .with_label("unreachable")
                .with_secondary(*by, "the script or function ends here")
                .with_help("remove it, or move it before the statement that ends the flow"),
        );
    }
}

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::UNREACHABLE,
    name: "unreachable-code",
    severity: Severity::Warning,
    summary: "unreachable code",
    doc: r#"Statements after `return`, `throw`, `break`, `continue`, an endless loop, or a
call that ends the script (`Accept()`, `Reject()`, `Defer()`…) never run.

```hsl
Reject("go away");
echo "rejected";
```

Fix: remove the code or move it before the statement that ends the flow.
"#,
    check: Some(check),
};
