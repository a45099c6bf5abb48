//! A workspace's Halon configuration: `src/config/smtpd.yaml` (where
//! `file://` ids point) and `src/config/smtpd-app.yaml` (the servers, their
//! phases and the hook ids those phases run).

use crate::Malformed;
use hsl_catalog::Hook;
use std::collections::HashSet;
use std::path::Path;

/// Hook ids by the phase that runs them (`None`: any phase).
pub type HookIds = HashSet<(Option<Hook>, String)>;

/// The hook scripts that `src/config/smtpd-app.yaml` of the workspace at
/// `root` runs: the id under `hook` of each phase (`phases: { rcptto: {
/// hook: id } }`), with the phase's hook; a `hook` key elsewhere counts for
/// every hook (`None`). `None` when there is no readable configuration that
/// names any.
pub fn hook_ids_in_use(root: &Path) -> Option<HookIds> {
    fn collect(v: &serde_norway::Value, phase: Option<Hook>, out: &mut HookIds) {
        match v {
            serde_norway::Value::Mapping(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        (Some("hook"), serde_norway::Value::String(id)) => {
                            out.insert((phase, id.clone()));
                        }
                        (key, _) => collect(v, key.and_then(|k| k.parse().ok()), out),
                    }
                }
            }
            serde_norway::Value::Sequence(items) => {
                items.iter().for_each(|i| collect(i, None, out))
            }
            _ => {}
        }
    }
    let mut ids = HashSet::new();
    collect(&app_config(root)?, None, &mut ids);
    (!ids.is_empty()).then_some(ids)
}

/// `src/config/smtpd-app.yaml` of the workspace at `root`, parsed.
fn app_config(root: &Path) -> Option<serde_norway::Value> {
    let text = std::fs::read_to_string(root.join("src/config/smtpd-app.yaml")).ok()?;
    serde_norway::from_str(&text).ok()
}

/// The hook id each phase of server `server` uses (`phases: { rcptto: {
/// hook: id } }` in `smtpd-app.yaml`), or `None` when the workspace has no
/// readable configuration with that server.
pub fn server_hooks(root: &Path, server: &str) -> Option<Vec<(String, String)>> {
    let config = app_config(root)?;
    let entry = config
        .get("servers")?
        .as_sequence()?
        .iter()
        .find(|s| s.get("id").and_then(|id| id.as_str()) == Some(server))?;
    let phases = match entry.get("phases") {
        Some(p) => p.as_mapping()?,
        None => return Some(Vec::new()),
    };
    Some(
        phases
            .iter()
            .filter_map(|(phase, v)| {
                Some((
                    phase.as_str()?.to_string(),
                    v.get("hook")?.as_str()?.to_string(),
                ))
            })
            .collect(),
    )
}

/// `scripting.rootpath` of `src/config/smtpd.yaml` in the workspace at
/// `root`, as written.
pub fn scripting_rootpath(root: &Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join("src/config/smtpd.yaml")).ok()?;
    let config: serde_norway::Value = serde_norway::from_str(&text).ok()?;
    Some(
        config
            .get("scripting")?
            .get("rootpath")?
            .as_str()?
            .to_string(),
    )
}

/// The problems of the workspace at `root`'s `src/config/smtpd.yaml` and
/// `src/config/smtpd-app.yaml` that are not YAML (a missing file is none).
pub fn malformed(root: &Path) -> Vec<Malformed> {
    ["src/config/smtpd.yaml", "src/config/smtpd-app.yaml"]
        .into_iter()
        .filter_map(|name| {
            let file = root.join(name);
            let text = std::fs::read_to_string(&file).ok()?;
            let e = serde_norway::from_str::<serde_norway::Value>(&text).err()?;
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            let message = e.to_string();
            // The location is shown apart: keep the reason only.
            let message = match message.find(" at line ") {
                Some(cut) => message[..cut].to_string(),
                None => message,
            };
            Some(Malformed {
                file,
                line,
                column,
                message: format!("not valid YAML: {message}"),
            })
        })
        .collect()
}
