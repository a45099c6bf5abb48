//! HSL120: a malformed `// hsl:` directive (found while the checker reads
//! the first line), or one below the first line, where it does not count.

use super::{codes, Rule};
use hsl_syntax::{Diagnostic, Severity};

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
