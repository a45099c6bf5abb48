//! HSL103: a direct call with too few or too many arguments (calls that
//! spread an array with `...` are checked when they run).

use super::{codes, Input, Rule};
use hsl_syntax::{Diagnostic, Severity};

fn expected(min: usize, max: Option<usize>) -> String {
    let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
    match max {
        Some(max) if max == min => format!("{min} {}", plural(min)),
        Some(max) => format!("{min} to {max} arguments"),
        None => format!("at least {min} {}", plural(min)),
    }
}

/// Reports arity mismatches of user and catalog functions and constructors.
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    let (model, env) = (input.model, input.env);
    for call in model.calls.iter().filter(|c| !c.spread) {
        let (min, max, signature) = if let Some(f) = env
            .user_functions
            .get(&*call.name)
            .filter(|_| !call.builtin)
        {
            if f.file.is_none() && f.max.is_none() && f.min == 0 {
                continue;
            }
            (f.min, f.max, None)
        } else if let Some(c) = env.user_classes.get(&*call.name).filter(|_| !call.builtin) {
            (c.min, c.max, None)
        } else if let Some(f) = env.catalog.function(&call.name, env.hook) {
            (f.min_args(), f.max_args(), Some(f))
        } else if let Some(c) = env.catalog.class(&call.name, env.hook) {
            let min = c
                .constructor
                .iter()
                .filter(|p| !p.optional && !p.variadic)
                .count();
            let max = (!c.constructor.iter().any(|p| p.variadic)).then_some(c.constructor.len());
            (min, max, None)
        } else {
            continue;
        };
        let n = call.args.len();
        if n >= min && max.is_none_or(|m| n <= m) {
            continue;
        }
        let span = if n > max.unwrap_or(usize::MAX) {
            let first_extra = call.args[max.unwrap_or(0)].1;
            first_extra.to(call.args[n - 1].1)
        } else {
            call.span
        };
        let label = if n < min {
            "missing arguments"
        } else {
            "extra arguments"
        };
        out.push(
            Diagnostic::error(
                codes::ARGUMENT_COUNT,
                span,
                format!(
                    "`{}` takes {}, but {n} {} given",
                    call.name,
                    expected(min, max),
                    if n == 1 { "was" } else { "were" }
                ),
            )
            .with_label(label)
            .with_help(match signature {
                Some(f) => format!("signature: {}", f.signature()),
                None => format!("call it with {}", expected(min, max)),
            }),
        );
    }
}

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::ARGUMENT_COUNT,
    name: "argument-count",
    severity: Severity::Error,
    summary: "wrong number of arguments",
    doc: r#"A direct call passes fewer arguments than the function requires or more than
it takes. Calls that spread an array (`f(...$args)`) are checked when they run.

```hsl
$i = str_find($haystack);
```

Fix: `str_find($haystack, "needle")` — the help line shows the signature.
"#,
    check: Some(check),
};
