//! HSL109: `break` outside a loop or switch, `continue` outside a loop.

use super::codes;
use crate::model::Model;
use hsl_syntax::Diagnostic;

/// Reports jumps with nothing to jump out of.
pub fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for (span, word) in &model.misplaced_jumps {
        let inside = if *word == "break" {
            "a loop or switch"
        } else {
            "a loop"
        };
        out.push(
            Diagnostic::error(
                codes::MISPLACED_JUMP,
                *span,
                format!("`{word}` outside {inside}"),
            )
            .with_label(format!("nothing to {word}"))
            .with_help("to leave a function or the script, use `return`"),
        );
    }
}
