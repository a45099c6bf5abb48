//! HSL112: include or import cycle. Found in env.rs, while following includes and imports; this unit holds
//! its identity and documentation.

use super::{codes, Rule};
use hsl_syntax::Severity;

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::INCLUDE_CYCLE,
    name: "include-cycle",
    severity: Severity::Error,
    summary: "include or import cycle",
    doc: r#"Files that include or import each other (directly or through other files)
cannot be loaded.

```hsl
// a.hsl
include "b.hsl";
// b.hsl
include "a.hsl";
```

Fix: move the shared code into a third file that both include.
"#,
    check: None,
};
