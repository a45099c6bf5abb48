//! HSL110: a function or class declared twice in the same file scope
//! (functions and classes share one namespace).

use super::{codes, Input, Rule};
use hsl_syntax::{Diagnostic, Severity};
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;

/// Reports every declaration after the first of a name.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    let model = input.model;
    let mut first: FxHashMap<&str, &crate::model::Decl> =
        FxHashMap::with_capacity_and_hasher(model.decls.len(), Default::default());
    for d in model.decls.iter().filter(|d| d.top_level) {
        match first.entry(&d.name.text) {
            Entry::Vacant(e) => {
                e.insert(d);
            }
            Entry::Occupied(e) => {
                let earlier = e.get();
                let kind = |c: bool| if c { "class" } else { "function" };
                out.push(
                    Diagnostic::error(
                        codes::DUPLICATE,
                        d.name.span,
                        format!(
                            "`{}` is already declared as a {}",
                            d.name.text,
                            kind(earlier.is_class)
                        ),
                    )
                    .with_label(format!("second {}", kind(d.is_class)))
                    .with_secondary(earlier.name.span, "first declared here")
                    .with_help("rename one of them or remove the duplicate"),
                );
            }
        }
    }
}

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::DUPLICATE,
    name: "duplicate-definition",
    severity: Severity::Error,
    summary: "duplicate function or class",
    doc: r#"Functions and classes share one namespace and are declared before the script
runs, so a second declaration of the same name is an error.

```hsl
function check() { return 1; }
function check() { return 2; }
```

Fix: rename or remove one of them.
"#,
    check: Some(check),
};
