//! HSL107: a variable read where it is not assigned on every path before.
//! Optional variables are tested with `isset($x)` or `$x ?? default`.

use super::codes;
use crate::env::Env;
use crate::model::Model;
use hsl_catalog::{Catalog, HalonVersion};
use hsl_syntax::suggest;
use hsl_syntax::Diagnostic;

/// Reports reads of possibly unassigned variables (one per name and scope position).
pub fn check(model: &Model, env: &Env, out: &mut Vec<Diagnostic>) {
    for read in &model.unassigned_reads {
        // Top-level code of a file without a hook may run inside an includer
        // that assigns the variable.
        // An include that could not be read may assign it.
        if read.top_level && env.hook.is_none() || env.incomplete && !read.assigned_elsewhere {
            continue;
        }
        let (message, help) = if read.assigned_elsewhere {
            (
                format!("`${}` may be used before it is assigned", read.name),
                format!(
                    "assign it on every path before this point, or test it with `isset(${})`",
                    read.name
                ),
            )
        } else {
            let predefined = env.catalog.variables(env.hook).map(|v| &v.name[1..]);
            let candidates = read.candidates.iter().map(String::as_str).chain(predefined);
            let help = match suggest::closest(&read.name, candidates) {
                Some(s) => format!("did you mean `${s}`?"),
                None => match env
                    .catalog
                    .hooks_with_variable(&format!("${}", read.name))
                    .as_slice()
                {
                    [] if env.catalog.version == HalonVersion::V6
                        && Catalog::get(HalonVersion::V4)
                            .variable(&format!("${}", read.name), env.hook)
                            .is_some() =>
                    {
                        format!("`${}` is a Halon 4/5 variable; use the hook's `$arguments`, or check with `--halon-version 5`", read.name)
                    }
                    [] => "assign it before use".to_string(),
                    hooks => format!(
                        "`${}` is predefined only in: {}",
                        read.name,
                        hooks
                            .iter()
                            .map(|h| h.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
            };
            (format!("`${}` is never assigned", read.name), help)
        };
        out.push(
            Diagnostic::error(codes::UNDEFINED_VARIABLE, read.span, message)
                .with_label("read here")
                .with_help(help),
        );
    }
}
