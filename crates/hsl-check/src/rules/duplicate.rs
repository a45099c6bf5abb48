//! HSL110: a function or class declared twice in the same file scope
//! (functions and classes share one namespace).

use super::codes;
use crate::model::Model;
use hsl_syntax::Diagnostic;
use std::collections::HashMap;

/// Reports every declaration after the first of a name.
pub fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<&str, &crate::model::Decl> = HashMap::new();
    for d in model.decls.iter().filter(|d| d.top_level) {
        match first.get(d.name.text.as_str()) {
            None => {
                first.insert(&d.name.text, d);
            }
            Some(earlier) => {
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
