//! HSL119: unknown code in a suppression. Found in suppress.rs, while reading suppression comments; this unit holds
//! its identity and documentation.

use super::{codes, Rule};
use hsl_syntax::Severity;

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::UNKNOWN_SUPPRESSION,
    name: "unknown-suppression",
    severity: Severity::Warning,
    summary: "unknown code in a suppression",
    doc: r#"A `// hsl-ignore` or `// hsl-ignore-file` comment names a code that does not
exist, so it silences nothing. Warning.

```hsl
$x = 1; // hsl-ignore HSL999
```

Fix: name an existing code (see `hsl explain CODE`).
"#,
    check: None,
};
