//! HSL122: a configuration or plugin declaration file that cannot be read.
//! Found in workspace.rs when a workspace or its plugins are first looked
//! at; this unit holds its identity and documentation.

use super::{codes, Rule};
use hsl_syntax::Severity;

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::MALFORMED_CONFIG,
    name: "malformed-config",
    severity: Severity::Error,
    summary: "malformed configuration or plugin declaration file",
    doc: r#"The workspace's `src/config/smtpd.yaml` or `src/config/smtpd-app.yaml` is
not valid YAML, or a plugin's `NAME.functions.json` or `NAME.classes.json` is
not a declaration list. The diagnostic points at the line and column where
reading stopped. Until it is fixed, the hook ids the servers use, the
`scripting.rootpath` and the plugin's functions are not known.

```yaml
servers:
  - id: inbound
    phases:
      rcptto:
      hook: inbound
     bad: indent
```

Fix: correct the file at the position shown.
"#,
    check: None,
};
