//! HSL121: hook script not used (or shared file no hook reaches). Found in
//! workspace.rs, from the workspace configuration and layout; this unit holds
//! its identity and documentation.

use super::{codes, Rule};
use hsl_syntax::Severity;

/// The rule's identity and documentation.
pub const RULE: Rule = Rule {
    code: codes::UNUSED_HOOK,
    name: "unused-hook",
    severity: Severity::Warning,
    summary: "hook script not used",
    doc: r#"The workspace's `src/config/smtpd-app.yaml` names the hook scripts its
servers use (`hook: <id>` under a server's phase); a script in
`src/hooks/<hook>/<id>.hsl` whose id no server names in that phase does not
run. Queue hooks are global and not checked. Warning. A file of `src/files/`
(or of a plugin repository's root) that no hook script includes or imports
gets a note with this code: it is checked against the core library, with the
functions of every hook accepted.

```yaml
servers:
  - id: inbound
    phases:
      connect:
        hook: inbound     # src/hooks/connect/legacy.hsl is never used
      rcptto:
        hook: legacy      # nor is it by this: legacy is the rcptto script
```

Fix: refer to the script from that phase of a server, or delete it.
"#,
    check: None,
};
