//! HSL118: `->` on a value known not to be an object (`$n = 5; $n->foo()`),
//! or a method a catalog class does not have.

use super::{codes, Input, Rule};
use crate::model::ValType;
use crate::suggest;
use hsl_syntax::{Diagnostic, Severity};

/// Reports impossible method calls.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    let (model, env) = (input.model, input.env);
    for call in &model.method_calls {
        match &call.ty {
            ValType::Kind(kind) => {
                if *kind == hsl_catalog::Kind::Object {
                    continue;
                }
                out.push(
                    Diagnostic::error(
                        codes::NOT_AN_OBJECT,
                        call.name.span,
                        format!("{} is {}, which has no methods", call.receiver, article(kind.as_str())),
                    )
                    .with_label(format!("`->{}` on {}", call.name.text, kind.as_str()))
                    .with_help("only objects (class instances) have methods; check what was assigned to it"),
                );
            }
            ValType::Class(class) => {
                if env.user_classes.contains_key(class) {
                    continue; // user objects can gain members at run time
                }
                if env.catalog.any_class(class).is_none()
                    || env.catalog.method(class, &call.name.text).is_some()
                {
                    continue;
                }
                let methods = env.catalog.methods(class);
                let help = match suggest::closest(
                    &call.name.text,
                    methods.iter().map(|m| m.name.as_str()),
                ) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => {
                        let mut names: Vec<&str> =
                            methods.iter().map(|m| m.name.as_str()).collect();
                        if names.len() > 8 {
                            names.truncate(8);
                            names.push("…");
                        }
                        format!("`{class}` has: {}", names.join(", "))
                    }
                };
                out.push(
                    Diagnostic::error(
                        codes::NOT_AN_OBJECT,
                        call.name.span,
                        format!("`{class}` has no method `{}`", call.name.text),
                    )
                    .with_label("unknown method")
                    .with_help(help),
                );
            }
        }
    }
}

fn article(kind: &str) -> String {
    let a = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    if kind == "none" {
        "none".to_string()
    } else {
        format!("{a} {kind}")
    }
}

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::NOT_AN_OBJECT,
    name: "not-an-object",
    severity: Severity::Error,
    summary: "method call on a value without that method",
    doc: r#"`->` on a value known not to be an object (a number, string, array…), or a
method that a built-in class does not have.

```hsl
$n = 5;
$n->format();
$mail = $arguments["mail"];
$mail->getSubject();
```

Fix: call methods on objects only, with a name the class has
(`$mail->getHeader("subject")`).
"#,
    check: Some(check),
};
