//! HSL108: statements after `return`, `throw`, `break`, `continue`, an
//! endless loop, or a call that ends the script (`Reject()`, `Accept()`…).

use super::codes;
use crate::model::Model;
use hsl_syntax::Diagnostic;

/// Reports the first unreachable statement of each block.
pub fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for (span, by) in &model.unreachable {
        out.push(
            Diagnostic::warning(codes::UNREACHABLE, *span, "this code never runs")
                .with_label("unreachable")
                .with_secondary(*by, "the script or function ends here")
                .with_help("remove it, or move it before the statement that ends the flow"),
        );
    }
}
