//! HSL117: an imported name never used by a hook script. Shared files and
//! modules forward what they import to the files that import or include them
//! (a module's `main.hsl` re-exporting its parts, a shared file importing
//! data for its includers), so their imports are not reported.

use super::{codes, Input, Rule};
use hsl_syntax::ast::{ImportKind, StmtKind};
use hsl_syntax::{Diagnostic, Severity};

/// Reports imported names the file never uses.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    let (program, model, env) = (input.program, input.model, input.env);
    // A shared file or module (`main.hsl`) forwards the names it imports to
    // the files that import or include it: they are its exports.
    if !env.is_hook_file {
        return;
    }
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
    doc: r#"An imported function, class, variable or namespace that a hook script
never uses. Warning. Names imported by a shared file or a module (such as a
module's `main.hsl` importing its parts, or a shared file importing data)
are forwarded to the files that import or include it, where they are used, so
they are not reported there.

```hsl
import { is_blocked, is_local } from "policy.hsl";
if (is_local($domain)) Accept();
```

Fix: remove `is_blocked` from the import.
"#,
    check: Some(check),
};
