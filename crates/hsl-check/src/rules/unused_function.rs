//! HSL116: a function of a hook script never called (functions of shared
//! files are there for their includers).

use super::{codes, Input, Rule};
use hsl_syntax::{Diagnostic, Severity};

/// Reports, in hook files, top-level functions never called or referenced.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    let (model, env) = (input.model, input.env);
    if !env.is_hook_file {
        return;
    }
    for d in model.decls.iter().filter(|d| !d.is_class && d.top_level) {
        if !model.used_names.contains(&*d.name.text) {
            out.push(
                Diagnostic::warning(
                    codes::UNUSED_FUNCTION,
                    d.name.span,
                    format!("function `{}` is never called", d.name.text),
                )
                .with_label("unused")
                .with_help("remove it, or call it"),
            );
        }
    }
}

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::UNUSED_FUNCTION,
    name: "unused-function",
    severity: Severity::Warning,
    summary: "unused function",
    doc: r#"A function declared in a hook script is never called or referenced. Functions
of shared files are not reported (their includers may call them). Warning.

```hsl
function old_check() { return true; }
Accept();
```

Fix: remove it, or call it.
"#,
    check: Some(check),
};
