//! HSL109: `break` outside a loop or switch, `continue` outside a loop.

use super::{codes, Input, Rule};
use hsl_syntax::{Diagnostic, Severity};

/// Reports jumps with nothing to jump out of.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    let model = input.model;
    for (span, word) in &model.misplaced_jumps {
        let inside = if *word == "break" {
            "a loop or switch"
        } else {
            "a loop"
        };
        out.push(
            Diagnostic::error(
                codes::MISPLACED_JUMP,
                *span,
                format!("`{word}` outside {inside}"),
            )
            .with_label(format!("nothing to {word}"))
            .with_help("to leave a function or the script, use `return`"),
        );
    }
}

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::MISPLACED_JUMP,
    name: "misplaced-jump",
    severity: Severity::Error,
    summary: "break or continue outside a loop",
    doc: r#"`break` leaves the innermost loop or `switch`; `continue` the innermost loop.
Outside of them there is nothing to leave.

```hsl
function f() { break; }
```

Fix: use `return` to leave a function or the script.
"#,
    check: Some(check),
};
