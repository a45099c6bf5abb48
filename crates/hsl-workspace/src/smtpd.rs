//! A workspace's Halon configuration: `src/config/smtpd.yaml` (where
//! `file://` ids point) and `src/config/smtpd-app.yaml` (the servers, their
//! phases and the hook ids those phases run).

use crate::Malformed;
use hsl_catalog::Hook;
use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};

/// Hook ids by the phase that runs them (`None`: any phase).
pub type HookIds = FxHashSet<(Option<Hook>, String)>;

/// What checking needs of the configuration of the workspace at `root`,
/// each file read and parsed once.
#[derive(Debug, Default)]
pub struct Survey {
    /// The hook scripts that `src/config/smtpd-app.yaml` runs: the id under
    /// `hook` of each phase (`phases: { rcptto: { hook: id } }`), with the
    /// phase's hook; a `hook` key elsewhere counts for every hook (`None`).
    /// `None` when there is no readable configuration that names any.
    pub hook_ids: Option<HookIds>,
    /// The problems of `src/config/smtpd.yaml` and `src/config/smtpd-app.yaml`
    /// that are not YAML (a missing file is none).
    pub malformed: Vec<Malformed>,
}

/// Reads and surveys the configuration of the workspace at `root`.
pub fn survey(root: &Path) -> Survey {
    let mut survey = Survey::default();
    for name in ["src/config/smtpd.yaml", APP_CONFIG] {
        let file = root.join(name);
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        match serde_norway::from_str::<serde_norway::Value>(&text) {
            Ok(config) if name == APP_CONFIG => survey.hook_ids = hook_ids(&config),
            Ok(_) => {}
            Err(e) => survey.malformed.push(not_yaml(file, &e)),
        }
    }
    survey
}

/// Where the servers and their phases are configured.
const APP_CONFIG: &str = "src/config/smtpd-app.yaml";

/// [`Survey::hook_ids`] of the parsed `smtpd-app.yaml`.
fn hook_ids(config: &serde_norway::Value) -> Option<HookIds> {
    fn collect(v: &serde_norway::Value, phase: Option<Hook>, out: &mut HookIds) {
        match v {
            serde_norway::Value::Mapping(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        (Some("hook"), serde_norway::Value::String(id)) => {
                            out.insert((phase, id.clone()));
                        }
                        (key, _) => collect(v, key.and_then(Hook::named), out),
                    }
                }
            }
            serde_norway::Value::Sequence(items) => {
                items.iter().for_each(|i| collect(i, None, out))
            }
            _ => {}
        }
    }
    let mut ids = HookIds::default();
    collect(config, None, &mut ids);
    (!ids.is_empty()).then_some(ids)
}

/// `src/config/smtpd-app.yaml` of the workspace at `root`, parsed.
fn app_config(root: &Path) -> Option<serde_norway::Value> {
    let text = std::fs::read_to_string(root.join(APP_CONFIG)).ok()?;
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

/// The YAML error `e` of `file`, located.
fn not_yaml(file: PathBuf, e: &serde_norway::Error) -> Malformed {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let message = e.to_string();
    // The location is shown apart: keep the reason only.
    let message = match message.find(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message,
    };
    Malformed {
        file,
        line,
        column,
        message: format!("not valid YAML: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace whose `src/config/` holds `files` (name, text).
    fn workspace(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
        let root = std::env::temp_dir().join(format!("hsl-smtpd-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("src/config")).unwrap();
        for (file, text) in files {
            std::fs::write(root.join("src/config").join(file), text).unwrap();
        }
        root
    }

    #[test]
    fn hook_ids_are_known_per_phase() {
        let root = workspace(
            "phases",
            &[(
                "smtpd-app.yaml",
                "servers:\n  - id: a\n    phases:\n      connect: { hook: in }\n      eodonce: { hook: old }\n  - id: b\n    hook: any\n",
            )],
        );
        let ids = survey(&root).hook_ids.unwrap();
        assert!(ids.contains(&(Some(Hook::Connect), "in".to_string())));
        assert!(!ids.contains(&(Some(Hook::RcptTo), "in".to_string())));
        // 5.x's eodonce is the end-of-data hook.
        assert!(ids.contains(&(Some(Hook::Eod), "old".to_string())));
        // A `hook` outside a phase counts for every hook.
        assert!(ids.contains(&(None, "any".to_string())));
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn malformed_yaml_is_reported_at_its_line_and_column() {
        let root = workspace(
            "malformed",
            &[
                ("smtpd.yaml", "scripting:\n  rootpath: /x\n"),
                ("smtpd-app.yaml", "servers:\n  - id: a\n   phases: {}\n"),
            ],
        );
        let found = survey(&root).malformed;
        assert_eq!(found.len(), 1, "{found:?}");
        let m = &found[0];
        assert!(m.file.ends_with("src/config/smtpd-app.yaml"));
        assert_eq!((m.line, m.column), (3, 4));
        assert!(m.message.starts_with("not valid YAML: "), "{}", m.message);
        assert!(!m.message.contains("line"), "{}", m.message);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
