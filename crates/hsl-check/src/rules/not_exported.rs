//! HSL113: imported name not defined. Found in env.rs, while following imports; this unit holds
//! its identity and documentation.

use super::{codes, Rule};
use hsl_syntax::Severity;

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::NOT_EXPORTED,
    name: "not-exported",
    severity: Severity::Error,
    summary: "imported name not defined",
    doc: r#"`import { name } from "module"` names something the module does not define at
its top level (a function, class or variable).

```hsl
import { is_blocked } from "policy.hsl";
```

Fix: import a name the module defines (the help line lists close matches).
"#,
    check: None,
};
