//! A workspace's Halon configuration: `src/config/smtpd.yaml` (where
//! `file://` ids point) and `src/config/smtpd-app.yaml` (the servers, their
//! phases and the hook ids those phases run).

use std::collections::HashSet;
use std::path::Path;

/// The hook ids that `src/config/smtpd-app.yaml` of the workspace at `root`
/// refers to (every string under a `hook` key), or `None` when there is no
/// readable configuration that names any.
pub fn hook_ids_in_use(root: &Path) -> Option<HashSet<String>> {
    fn collect(v: &serde_norway::Value, out: &mut HashSet<String>) {
        match v {
            serde_norway::Value::Mapping(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        (Some("hook"), serde_norway::Value::String(id)) => {
                            out.insert(id.clone());
                        }
                        _ => collect(v, out),
                    }
                }
            }
            serde_norway::Value::Sequence(items) => items.iter().for_each(|i| collect(i, out)),
            _ => {}
        }
    }
    let mut ids = HashSet::new();
    collect(&app_config(root)?, &mut ids);
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
