//! HSL115–HSL117: variables assigned but never read, functions of a hook
//! never called, imported names never used (warnings).

use super::codes;
use crate::env::Env;
use crate::model::Model;
use hsl_syntax::ast::{ImportKind, Program, StmtKind};
use hsl_syntax::Diagnostic;

/// Reports unused variables and, in hook files, unused functions.
pub fn check(model: &Model, env: &Env, out: &mut Vec<Diagnostic>) {
    for (name, span) in &model.unused_variables {
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
    if !env.is_hook_file {
        return; // functions of shared files are there for their includers
    }
    for d in model.decls.iter().filter(|d| !d.is_class && d.top_level) {
        if !model.used_names.contains(&d.name.text) {
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

/// Reports imported names the file never uses.
pub fn imports(program: &Program, model: &Model, env: &Env, out: &mut Vec<Diagnostic>) {
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
