//! HSL120: a malformed `// hsl:` directive (found while the checker reads
//! the first line), or one below the first line, where it does not count.

use super::{codes, fixes, Rule};
use hsl_catalog::Hook;
use hsl_syntax::suggest::{self, Suggestion};
use hsl_syntax::{Diagnostic, Fix, Severity, Span};

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::BAD_DIRECTIVE,
    name: "bad-directive",
    severity: Severity::Error,
    summary: "malformed directive",
    doc: r#"The first-line directive `// hsl: hook=NAME halon=N` has an unknown part, hook
or version (an error), or a `// hsl:` directive stands below the first line,
where it is ignored (a warning).

```hsl
// hsl: hook=rcpt
```

Fix: `// hsl: hook=rcptto` (hooks: connect, proxy, helo, auth, mailfrom,
rcptto, eod, disconnect, predelivery, postdelivery).
"#,
    check: None,
};

/// A `// hsl:` directive below the first line, where it is ignored.
pub fn misplaced(source: &str) -> Option<Diagnostic> {
    let mut offset = 0;
    for (number, line) in source.split_inclusive('\n').enumerate() {
        let text = line.trim_start();
        if number > 0
            && text
                .strip_prefix("//")
                .is_some_and(|rest| rest.trim_start().starts_with("hsl:"))
        {
            let start = offset + (line.len() - text.len());
            let end = offset + line.trim_end().len();
            return Some(
                Diagnostic::warning(
                    codes::BAD_DIRECTIVE,
                    hsl_syntax::Span::new(start, end),
                    "a `// hsl:` directive only counts on the first line",
                )
                .with_label("ignored here")
                .with_help("move it to line 1"),
            );
        }
        offset += line.len();
    }
    None
}

/// The fix of an unknown hook in the first-line directive (`hook=rcpt`):
/// the hook whose name the value starts, or the closest; safe when it is
/// the only candidate.
pub fn hook_fix(source: &str) -> Option<Fix> {
    let first = source.lines().next()?;
    let at = first.find("hook=")? + "hook=".len();
    let value = first[at..].split_whitespace().next()?;
    if value.parse::<Hook>().is_ok() || !first[at..].starts_with(value) {
        return None;
    }
    let names = Hook::ALL.map(Hook::as_str);
    let lower = value.to_ascii_lowercase();
    let prefixed: Vec<&str> = names
        .into_iter()
        .filter(|n| !lower.is_empty() && n.starts_with(&lower))
        .collect();
    let s = match prefixed[..] {
        [only] => Suggestion {
            name: only,
            certain: true,
        },
        _ => suggest::suggest(value, names)?,
    };
    let span = Span::new(at, at + value.len());
    Some(fixes::did_you_mean(s, span, s.name.to_string()))
}
