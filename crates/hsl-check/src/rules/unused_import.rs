//! HSL117: an imported name never used by a hook script. Shared files and
//! modules forward what they import to the files that import or include them
//! (a module's `main.hsl` re-exporting its parts, a shared file importing
//! data for its includers), so their imports are not reported.

use super::{codes, fixes, Input, Rule};
use hsl_syntax::ast::{ImportKind, ImportSpec, Name, StmtKind};
use hsl_syntax::{Applicability, Diagnostic, Edit, Fix, Severity, Span};

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
        let whole = || fixes::remove(input.source, s.span);
        // Each unused name with the edit that removes it.
        let unused: Vec<(&Name, Edit)> = match &i.kind {
            ImportKind::Names(specs) => specs
                .iter()
                .enumerate()
                .filter(|(_, s)| !env.unresolved_imports.contains(&s.local().text))
                .filter(|(_, s)| {
                    if s.is_var {
                        !model.read_variables.contains(&*s.local().text)
                    } else {
                        !model.used_names.contains(&*s.local().text)
                    }
                })
                .map(|(k, _)| {
                    (
                        specs[k].local(),
                        remove_spec(specs, k).unwrap_or_else(whole),
                    )
                })
                .collect(),
            ImportKind::Namespace(n) => (!model.used_names.contains(&*n.text))
                .then(|| (n, whole()))
                .into_iter()
                .collect(),
            ImportKind::Data { var, .. } => (!model.read_variables.contains(&*var.text))
                .then(|| (var, whole()))
                .into_iter()
                .collect(),
        };
        for (n, edit) in unused {
            out.push(
                Diagnostic::warning(
                    codes::UNUSED_IMPORT,
                    n.span,
                    format!("`{}` is imported but never used", n.text),
                )
                .with_label("unused import")
                .with_help("remove it from the import")
                .with_fix(Fix::new(
                    format!("Remove the import of `{}`", n.text),
                    // The imported file may be needed for its effects.
                    Applicability::Unsafe,
                    vec![edit],
                )),
            );
        }
    }
}

/// The edit removing the `k`-th name of an import list with the comma
/// beside it, or `None` when it is the only one (the statement goes).
fn remove_spec(specs: &[ImportSpec], k: usize) -> Option<Edit> {
    let span = |s: &ImportSpec| Span::new(s.name.span.start as usize, s.local().span.end as usize);
    let this = span(&specs[k]);
    let removed = match (k.checked_sub(1), specs.get(k + 1)) {
        (_, Some(next)) => Span::new(this.start as usize, span(next).start as usize),
        (Some(prev), None) => Span::new(span(&specs[prev]).end as usize, this.end as usize),
        (None, None) => return None,
    };
    Some(Edit {
        span: removed,
        text: String::new(),
    })
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
