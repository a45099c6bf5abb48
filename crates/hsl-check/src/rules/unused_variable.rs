//! HSL115: a variable assigned but never read (inside a function, or at
//! the top level of a hook script).

use super::{codes, fixes, Input, Rule};
use hsl_syntax::ast::{ExprKind, StmtKind};
use hsl_syntax::{Applicability, Diagnostic, Fix, Severity, Span};
use std::collections::HashMap;

/// Reports unused variables.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    if input.model.unused_variables.is_empty() {
        return;
    }
    // Assignment statements that can be removed, by the span of their target.
    let mut assignments: HashMap<Span, Span> = HashMap::new();
    let around = (input.model.unused_variables.iter())
        .map(|(_, s)| *s)
        .reduce(Span::to)
        .unwrap_or_default();
    fixes::listed_statements(input.program, around, |s| {
        if let StmtKind::Expr(e) = &s.kind {
            if let ExprKind::Assign { target, .. } = &e.kind {
                assignments.insert(target.span, s.span);
            }
        }
    });
    for (name, span) in &input.model.unused_variables {
        // The value may have effects (a call): removing it needs review.
        let fix = assignments.get(span).map(|&statement| {
            Fix::new(
                format!("Remove the assignment of `${name}`"),
                Applicability::Unsafe,
                vec![fixes::remove(input.source, statement)],
            )
        });
        out.push(
            Diagnostic::warning(
                codes::UNUSED_VARIABLE,
                *span,
                format!("`${name}` is assigned but never read"),
            )
            .with_label("never read")
            .with_help(format!(
                "remove it, or name it `$_{name}` if it is intentional"
            ))
            .with_fix(fix),
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
