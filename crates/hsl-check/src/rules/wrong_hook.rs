//! HSL102: a context function (such as `Accept`) used in a hook, or a plain
//! file, that does not provide it.

use super::{codes, Input, Resolution, Rule};
use hsl_syntax::{Diagnostic, Severity};

/// Reports context functions used outside their hooks, naming where they exist.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    let env = input.env;
    for ((name, span, _), resolution) in input.resolved_names() {
        let Resolution::OtherHooks(hooks) = resolution else {
            continue;
        };
        let list: Vec<&str> = hooks.iter().map(|h| h.as_str()).collect();
        let here = match env.hook {
            Some(h) => format!("the {h} hook"),
            None => "a file that belongs to no hook".to_string(),
        };
        out.push(
            Diagnostic::error(
                codes::WRONG_HOOK,
                span,
                format!("`{name}` is not available in {here}"),
            )
            .with_label("not in this context")
            .with_help(format!("`{name}` exists in: {}", list.join(", "))),
        );
    }
}

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::WRONG_HOOK,
    name: "wrong-hook",
    severity: Severity::Error,
    summary: "function not available in this hook",
    doc: r#"The function exists, but only in other hooks. Verdict functions differ per
hook: `Accept()` does not exist in the queue hooks, `Try()` only in
predelivery. A shared file is checked in the context of every hook that
includes it.

```hsl
// src/hooks/queue/predelivery.hsl
Accept();
```

Fix: use the hook's own verdicts (`Try()`, `Queue()`, `Bounce()`…), or move
the code to a hook that has the function.
"#,
    check: Some(check),
};
