//! HSL117: an imported name never used.

use super::{codes, Input, Rule};
use hsl_syntax::ast::{ImportKind, StmtKind};
use hsl_syntax::{Diagnostic, Severity};

/// Reports imported names the file never uses.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    let (program, model, env) = (input.program, input.model, input.env);
    for s in &program.stmts {
        let StmtKind::Import(i) = &s.kind else {
            continue;
        };
        let unused: Vec<&hsl_syntax::ast::Name> = match &i.kind {
            ImportKind::Names(specs) => specs
                .iter()
                .map(|s| (s.is_var, s.local()))
                .filter(|(_, n)| !env.unresolved_imports.contains(&n.text))
                .filter(|(is_var, n)| {
                    if *is_var {
                        !model.read_variables.contains(&n.text)
                    } else {
                        !model.used_names.contains(&n.text)
                    }
                })
                .map(|(_, n)| n)
                .collect(),
            ImportKind::Namespace(n) => (!model.used_names.contains(&n.text))
                .then_some(n)
                .into_iter()
                .collect(),
            ImportKind::Data { var, .. } => (!model.read_variables.contains(&var.text))
                .then_some(var)
                .into_iter()
                .collect(),
        };
        for n in unused {
            out.push(
                Diagnostic::warning(
                    codes::UNUSED_IMPORT,
                    n.span,
                    format!("`{}` is imported but never used", n.text),
                )
                .with_label("unused import")
                .with_help("remove it from the import"),
            );
        }
    }
}

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::UNUSED_IMPORT,
    name: "unused-import",
    severity: Severity::Warning,
    summary: "unused import",
    doc: r#"An imported function, class, variable or namespace is never used. Warning.

```hsl
import { is_blocked, is_local } from "policy.hsl";
if (is_local($domain)) Accept();
```

Fix: remove `is_blocked` from the import.
"#,
    check: Some(check),
};
