//! HSL107: a variable read where it is not assigned on every path before.
//! Unassigned on every path is an error; assigned on some paths is a
//! warning naming one that leaves it unset. Optional variables are tested
//! with `isset($x)` or `$x ?? default`.

use super::{codes, fixes, Input, Rule};
use hsl_catalog::{Catalog, HalonVersion};
use hsl_syntax::suggest;
use hsl_syntax::{Diagnostic, Severity, Span};

/// Reports reads of possibly unassigned variables (one per name and scope position).
fn check(input: &Input, out: &mut Vec<Diagnostic>) {
    let (model, env) = (input.model, input.env);
    for read in &model.unassigned_reads {
        // Top-level code of a file without a hook may run inside an includer
        // that assigns the variable; an include that could not be read may
        // assign it.
        if read.top_level && env.hook.is_none() || env.incomplete && read.assigned_at.is_none() {
            continue;
        }
        if let Some(gap) = read.maybe {
            out.push(
                Diagnostic::warning(
                    codes::UNDEFINED_VARIABLE,
                    read.span,
                    format!(
                        "`${}` may be used before it is assigned: not when {}",
                        read.name, gap.when
                    ),
                )
                .with_label("read here")
                .with_secondary(
                    gap.span,
                    format!("`${}` stays unassigned when {}", read.name, gap.when),
                )
                .with_help(format!(
                    "assign it on every path before this point, or test it with `isset(${})`",
                    read.name
                )),
            );
            continue;
        }
        if let Some(assigned) = read.assigned_at {
            out.push(
                Diagnostic::error(
                    codes::UNDEFINED_VARIABLE,
                    read.span,
                    format!("`${}` is used before it is assigned", read.name),
                )
                .with_label("read here")
                .with_secondary(
                    assigned,
                    "assigned only here, after this read or on another path",
                )
                .with_help(format!(
                    "assign it before this point, or test it with `isset(${})`",
                    read.name
                )),
            );
            continue;
        }
        let mut fix = None;
        let (message, help) = {
            let predefined = env.catalog.variables(env.hook).map(|v| &v.name[1..]);
            let candidates = read.candidates.iter().map(String::as_str).chain(predefined);
            let help = match suggest::suggest(&read.name, candidates) {
                Some(s) => {
                    fix = name_span(input.source, read.span, &read.name)
                        .map(|span| fixes::did_you_mean(s, span, s.name.to_string()));
                    format!("did you mean `${}`?", s.name)
                }
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
                .with_help(help)
                .with_fix(fix),
        );
    }
}

/// The span of the name itself in a read written `$name` or `${name}`
/// (in a string).
fn name_span(source: &str, read: Span, name: &str) -> Option<Span> {
    let text = source.get(read.range())?;
    let start = read.start as usize + text.find(name)?;
    let span = Span::new(start, start + name.len());
    (text == format!("${name}") || text == format!("${{{name}}}")).then_some(span)
}

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::UNDEFINED_VARIABLE,
    name: "undefined-variable",
    severity: Severity::Error,
    summary: "variable used before it is assigned",
    doc: r#"A variable must be assigned on every path before it is read. A read that
no path assigns before is an error; a read that some paths assign before is
a warning whose message names a path that leaves it unassigned (the `if`
condition is false, no case matches, the loop body does not run…).

The walk follows the flow: an assignment in an earlier operand of `and`,
`or` or `?:` counts for the later operands and for the branch they guard;
`isset($x)` guards `$x`; a `switch` with `default` whose every case assigns
it, and a `forever` loop at each of its `break`s, count as assigned.
Optional variables are tested with `isset($x)` or read with `$x ?? default`.

```hsl
if ($arguments["host"] == "localhost")
    $score = 10;
echo $score;
```

Fix: assign it before the `if` (`$score = 0;`), or test it with `isset`.
"#,
    check: Some(check),
};
