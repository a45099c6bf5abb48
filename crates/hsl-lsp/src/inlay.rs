//! Inlay hints: the parameter name before each literal argument (number,
//! string without interpolation, boolean, `none`, regular expression) of a
//! call of a built-in function; a variable argument already says what it is.

use hsl_catalog::{Catalog, Hook};
use hsl_check::model::{self, Decl};
use hsl_syntax::ast::{Expr, ExprKind, Program};
use hsl_syntax::visit::{self, Visitor};
use std::collections::HashSet;

/// A hint: the byte offset it is shown at and its label.
pub type Hint = (usize, String);

/// The hints of calls in `program` (which declares `declared`) that start
/// within `range` (bytes).
pub fn parameter_hints(
    program: &Program,
    declared: &[Decl],
    catalog: &Catalog,
    hooks: &[Option<Hook>],
    range: std::ops::Range<usize>,
) -> Vec<Hint> {
    let mut found = Hints {
        catalog,
        hooks,
        range,
        user: model::functions(declared).collect(),
        out: Vec::new(),
    };
    visit::walk_program(&mut found, program);
    found.out.sort();
    found.out
}

fn is_literal(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::None | ExprKind::Regex { .. } => true,
        ExprKind::Str(s) => s.constant().is_some(),
        ExprKind::Unary { operand, .. } => is_literal(operand),
        _ => false,
    }
}

struct Hints<'a> {
    catalog: &'a Catalog,
    hooks: &'a [Option<Hook>],
    range: std::ops::Range<usize>,
    /// Functions declared in the file, which shadow built-ins of that name.
    user: HashSet<&'a str>,
    out: Vec<Hint>,
}

impl Visitor<'_> for Hints<'_> {
    fn visit_expr(&mut self, expr: &Expr) {
        if let ExprKind::Call { callee, args } = &expr.kind {
            let in_range = self.range.contains(&(expr.span.start as usize));
            let builtin = match &callee.kind {
                ExprKind::Ident(name) if in_range && !self.user.contains(name.as_str()) => self
                    .hooks
                    .iter()
                    .find_map(|&h| self.catalog.function(name, h)),
                _ => None,
            };
            if let Some(f) = builtin {
                let variadic = f.max_args().is_none();
                for (i, arg) in args.iter().enumerate() {
                    if arg.spread {
                        break;
                    }
                    let param = match f.params.get(i) {
                        Some(p) => p,
                        None if variadic => match f.params.last() {
                            Some(p) => p,
                            None => break,
                        },
                        None => break,
                    };
                    if is_literal(&arg.expr) {
                        self.out
                            .push((arg.expr.span.start as usize, format!("{}:", param.name)));
                    }
                }
            }
        }
        visit::walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hsl_catalog::HalonVersion;

    #[test]
    fn literal_arguments_of_built_ins_are_named() {
        let src = "echo str_find($s, \"x\");\necho mine(1);\nfunction mine($n) { return $n; }\necho length(\"$s\");\n";
        let program = hsl_syntax::parse(src).program;
        let declared = hsl_check::declared::Declared::of(&program, src).decls;
        let catalog = Catalog::get(HalonVersion::V6);
        let hints = parameter_hints(&program, &declared, catalog, &[None], 0..src.len());
        let find = catalog.function("str_find", None).unwrap();
        assert_eq!(
            hints,
            [(
                src.find("\"x\"").unwrap(),
                format!("{}:", find.params[1].name)
            )],
            "not a variable, not a user function, not an interpolated string"
        );
        assert!(parameter_hints(&program, &declared, catalog, &[None], 30..src.len()).is_empty());
    }
}
