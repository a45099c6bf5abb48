//! HSL120: malformed directive. Found in workspace.rs, while reading the first-line directive; this unit holds
//! its identity and documentation.

use super::{codes, Rule};
use hsl_syntax::Severity;

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::BAD_DIRECTIVE,
    name: "bad-directive",
    severity: Severity::Error,
    summary: "malformed directive",
    doc: r#"The first-line directive `// hsl: hook=NAME halon=N` has an unknown part, hook
or version.

```hsl
// hsl: hook=rcpt
```

Fix: `// hsl: hook=rcptto` (hooks: connect, proxy, helo, auth, mailfrom,
rcptto, eod, disconnect, predelivery, postdelivery).
"#,
    check: None,
};
