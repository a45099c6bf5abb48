//! HSL104: an argument whose type is known (a literal, or a variable with a
//! known type) and that the catalog function does not accept.

use super::codes;
use crate::env::Env;
use crate::model::Model;
use hsl_catalog::Type;
use hsl_syntax::Diagnostic;

/// Reports arguments of a kind the parameter does not accept.
pub fn check(model: &Model, env: &Env, out: &mut Vec<Diagnostic>) {
    for call in model.calls.iter().filter(|c| !c.spread) {
        if env.user_functions.contains_key(&call.name) && !call.builtin {
            continue;
        }
        let Some(f) = env.catalog.function(&call.name, env.hook) else {
            continue;
        };
        if f.name != call.name {
            continue; // an old name whose arguments may come in another order
        }
        for ((kind, span), param) in call.args.iter().zip(&f.params) {
            let Some(kind) = kind else { continue };
            let ty = Type::parse(&param.ty);
            if !ty.accepts(*kind) {
                out.push(
                    Diagnostic::error(
                        codes::ARGUMENT_TYPE,
                        *span,
                        format!(
                            "`{}` expects {} for `${}`, not {}",
                            call.name,
                            param.ty,
                            param.name,
                            kind.as_str()
                        ),
                    )
                    .with_label(format!("this is {}", kind.as_str()))
                    .with_help(format!("signature: {}", f.signature())),
                );
            }
        }
    }
}
