//! HSL111: include or import target not found. Found in env.rs, while following includes and imports; this unit holds
//! its identity and documentation.

use super::{codes, Rule};
use hsl_syntax::Severity;

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::MISSING_FILE,
    name: "missing-file",
    severity: Severity::Error,
    summary: "include or import target not found",
    doc: r#"The file id of `include`, `include_once` or `import` does not name a file.
Ids are relative to the workspace's `src/files` directory; `./x` and `../x`
are relative to the including file; a directory id stands for its `main.hsl`.
`extras://` modules are provided by plugins and not checked.

```hsl
include "polcy.hsl";
```

Fix: correct the file id.
"#,
    check: None,
};
