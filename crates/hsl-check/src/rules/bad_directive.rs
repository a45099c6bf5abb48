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

/// A `// hsl:` directive below the first line, where it is ignored. Only
/// the places where `hsl:` occurs are looked at, each byte of the text once.
pub fn misplaced(source: &str) -> Option<Diagnostic> {
    let mut line_start = 0;
    let mut scanned = 0;
    for at in memchr::memmem::find_iter(source.as_bytes(), "hsl:") {
        if let Some(newline) = source[scanned..at].rfind('\n') {
            line_start = scanned + newline + 1;
        }
        scanned = at;
        let before = source[line_start..at].trim_start();
        let is_directive = before
            .strip_prefix("//")
            .is_some_and(|gap| gap.trim_start().is_empty());
        if line_start == 0 || !is_directive {
            continue;
        }
        let start = at - before.len();
        let line_end = source[at..].find('\n').map_or(source.len(), |n| at + n);
        let end = line_start + source[line_start..line_end].trim_end().len();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The span of the misplaced directive of `source`, as text.
    fn found(source: &str) -> Option<&str> {
        misplaced(source).map(|d| &source[d.span.range()])
    }

    #[test]
    fn directives_below_the_first_line_are_found() {
        assert_eq!(found("// hsl: hook=connect\necho 1;\n"), None);
        assert_eq!(
            found("echo 1;\n  //  hsl: hook=helo  \r\n"),
            Some("//  hsl: hook=helo")
        );
        assert_eq!(found("echo 1;\n\t// hsl:x"), Some("// hsl:x"));
        assert_eq!(
            found(
                "echo \"hsl:\"; // hsl: no\n// x hsl: no\n/* hsl: */\n//hsl: yes\n// hsl: later\n"
            ),
            Some("//hsl: yes")
        );
        assert_eq!(
            found("echo 1;\n\u{a0}// hsl: hook=rcptto\n"),
            Some("// hsl: hook=rcptto")
        );
        assert_eq!(found("echo 1; // hsl: hook=rcptto\n"), None);
        assert_eq!(found("echo 1;\n// hsl"), None);
        assert_eq!(found(""), None);
    }
}
