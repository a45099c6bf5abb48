//! HSL104: an argument whose type is known (a literal, or a variable with a
//! known type) and that the catalog function does not accept.

use super::{codes, Input, Rule};
use hsl_catalog::Type;
use hsl_syntax::{Diagnostic, Severity};

/// Reports arguments of a kind the parameter does not accept.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    for (call, f) in super::catalog_calls(input) {
        for ((kind, span), param) in call.args.iter().zip(&f.params) {
            let Some(kind) = kind else { continue };
            let ty = Type::parse(&param.ty);
            if !ty.admits(*kind) {
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

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::ARGUMENT_TYPE,
    name: "argument-type",
    severity: Severity::Error,
    summary: "argument of the wrong type",
    doc: r#"An argument whose type is known (a literal, or a variable assigned values of
one type) that the function does not accept. As when the script runs, a
number is accepted where a string is expected (its text) and a boolean where
a number is.

```hsl
$n = length(true);
$s = str_lower(["A"]);
```

A literal value of a documented option key of the wrong type is reported the
same way (`Reject("x", ["disconnect" => "yes"])`: `disconnect` is a boolean).

Fix: pass a value of the documented type.
"#,
    check: Some(check),
};
