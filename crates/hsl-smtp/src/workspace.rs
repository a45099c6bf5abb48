//! Which script runs for each hook: from a Halon workspace (the ids that
//! `src/config/smtpd-app.yaml` gives the session's server, read by
//! `hsl-workspace`), overridden by the session's explicit `hooks`.

use crate::session::Session;
use hsl_catalog::Hook;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A script file and the name shown for it in transcripts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptFile {
    /// Where it is.
    pub path: PathBuf,
    /// Relative to the workspace, or as written in the session.
    pub display: String,
}

/// The script of each hook the session runs.
pub fn scripts(session: &Session) -> Result<BTreeMap<Hook, ScriptFile>, String> {
    let mut out = BTreeMap::new();
    if let Some(ws) = &session.workspace {
        let root = &ws.path;
        let server = &session.server.id;
        let phases = match hsl_workspace::smtpd::server_hooks(root, server) {
            Some(phases) => phases,
            None if root.join("src/config/smtpd-app.yaml").is_file() => {
                return Err(format!(
                    "{}/src/config/smtpd-app.yaml has no server `{server}`",
                    ws.text
                ))
            }
            // Without a configuration, `src/hooks/<hook>/<server id>.hsl`.
            None => Hook::ALL
                .iter()
                .map(|h| (h.as_str().to_string(), server.clone()))
                .filter(|(h, id)| root.join(format!("src/hooks/{h}/{id}.hsl")).is_file())
                .collect(),
        };
        for (phase, id) in phases {
            let Ok(hook) = phase.parse::<Hook>() else {
                continue;
            };
            let display = format!("src/hooks/{hook}/{id}.hsl");
            let path = root.join(&display);
            if !path.is_file() {
                return Err(format!(
                    "server `{server}` uses the {hook} hook `{id}`, but {}/{display} does not exist",
                    ws.text
                ));
            }
            out.insert(hook, ScriptFile { path, display });
        }
    }
    for (hook, file) in &session.hooks {
        out.insert(
            hook.0,
            ScriptFile {
                path: file.path.clone(),
                display: file.text.clone(),
            },
        );
    }
    Ok(out)
}
