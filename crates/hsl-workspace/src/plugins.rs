//! Native plugin declarations: `NAME.functions.json` and `NAME.classes.json`,
//! in the format of Halon's own function list (a list, or lists keyed by
//! context: `core`, `connect`, …; each entry with `name`,
//! `parameters.required`/`optional` with types, `returnType`, `detail`,
//! `documentation`, and `methods` for classes). They are read from Halon's
//! plugin folder, the `plugins` folders of `hsl.toml` and the project root.

use crate::Malformed;
use hsl_catalog::{Class, Function, Hook, Param};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Halon's folder of installed plugin declarations.
pub const HALON_PLUGINS: &str = "/opt/halon/share/plugins";

/// Functions and classes declared by plugins, with the context they belong
/// to (`None`: every context).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plugins {
    /// Declared functions.
    pub functions: Vec<(Option<Hook>, Function)>,
    /// Declared classes.
    pub classes: Vec<(Option<Hook>, Class)>,
    /// Declaration files that could not be read, with the reason.
    pub errors: Vec<Malformed>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Declarations<T> {
    List(Vec<T>),
    ByContext(BTreeMap<String, Vec<T>>),
}

#[derive(Deserialize)]
struct RawParams {
    #[serde(default)]
    required: Vec<RawParam>,
    #[serde(default)]
    optional: Vec<RawParam>,
}

#[derive(Deserialize)]
struct RawParam {
    name: String,
    #[serde(rename = "type", default)]
    ty: Option<String>,
}

#[derive(Deserialize)]
struct RawFunction {
    name: String,
    parameters: Option<RawParams>,
    #[serde(rename = "returnType", default)]
    returns: Option<String>,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    documentation: Option<String>,
    #[serde(rename = "static", default)]
    is_static: bool,
}

#[derive(Deserialize)]
struct RawClass {
    name: String,
    parameters: Option<RawParams>,
    #[serde(default)]
    methods: Vec<RawFunction>,
    #[serde(default)]
    documentation: Option<String>,
}

fn params(raw: Option<RawParams>) -> Vec<Param> {
    let Some(raw) = raw else {
        return Vec::new();
    };
    let param = |p: RawParam, optional: bool| {
        // Defaults are written `offset = 1` and `offset=1`.
        let (name, default) = match p.name.split_once('=') {
            Some((n, d)) => (n.trim().to_string(), Some(d.trim().to_string())),
            None => (p.name.clone(), None),
        };
        let variadic = name.starts_with("...");
        Param {
            name: name
                .trim_start_matches("...")
                .trim_start_matches('$')
                .to_string(),
            ty: p.ty.unwrap_or_else(|| "any".to_string()),
            optional: optional && !variadic,
            default,
            variadic,
        }
    };
    let required = raw.required.into_iter().map(|p| param(p, false));
    let optional = raw.optional.into_iter().map(|p| param(p, true));
    required.chain(optional).collect()
}

/// The first line of the documentation, or the detail.
fn description(detail: Option<String>, documentation: Option<String>) -> String {
    documentation
        .and_then(|d| {
            d.lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(String::from)
        })
        .or(detail)
        .unwrap_or_default()
}

fn function(raw: RawFunction) -> Function {
    Function {
        name: raw.name,
        params: params(raw.parameters),
        returns: raw.returns.unwrap_or_else(|| "any".to_string()),
        description: description(raw.detail, raw.documentation),
        is_static: raw.is_static,
        ..Function::default()
    }
}

fn class(raw: RawClass) -> Class {
    Class {
        name: raw.name,
        description: description(None, raw.documentation),
        extends: None,
        constructor: params(raw.parameters),
        methods: raw.methods.into_iter().map(function).collect(),
    }
}

/// Reads one declaration file: its entries by context.
fn read<T: serde::de::DeserializeOwned>(file: &Path) -> Result<Vec<(Option<Hook>, T)>, Malformed> {
    let malformed = |line, column, message| Malformed {
        file: file.to_path_buf(),
        line,
        column,
        message,
    };
    let text = std::fs::read_to_string(file).map_err(|e| malformed(1, 1, e.to_string()))?;
    let parsed: Declarations<T> = serde_json::from_str(&text).map_err(|e| {
        let message = e.to_string();
        let message = match message.find(" at line ") {
            Some(cut) => message[..cut].to_string(),
            None => message,
        };
        malformed(
            e.line().max(1),
            e.column().max(1),
            format!("not a plugin declaration file: {message}"),
        )
    })?;
    match parsed {
        Declarations::List(items) => Ok(items.into_iter().map(|i| (None, i)).collect()),
        Declarations::ByContext(map) => {
            let mut out = Vec::new();
            for (context, items) in map {
                let hook = match context.as_str() {
                    "core" => None,
                    other => Some(other.parse::<Hook>().map_err(|e| {
                        // Point at the key where it is written.
                        let at = text.find(&format!("\"{other}\"")).unwrap_or(0);
                        let line = text[..at].matches('\n').count() + 1;
                        let column = at - text[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
                        malformed(line, column, e)
                    })?),
                };
                out.extend(items.into_iter().map(|i| (hook, i)));
            }
            Ok(out)
        }
    }
}

impl Plugins {
    /// The declaration files directly in `dirs` (missing folders are
    /// skipped), in a stable order.
    pub fn files(dirs: &[PathBuf]) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> =
            dirs.iter()
                .filter_map(|d| std::fs::read_dir(d).ok())
                .flat_map(|entries| entries.flatten().map(|e| e.path()))
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.ends_with(".functions.json") || n.ends_with(".classes.json")
                    }) && p.is_file()
                })
                .collect();
        files.sort();
        files.dedup();
        files
    }

    /// Reads the declaration `files`.
    pub fn load(files: &[PathBuf]) -> Plugins {
        let mut plugins = Plugins::default();
        for file in files {
            let name = file.to_string_lossy();
            if name.ends_with(".functions.json") {
                match read::<RawFunction>(file) {
                    Ok(items) => plugins
                        .functions
                        .extend(items.into_iter().map(|(h, f)| (h, function(f)))),
                    Err(e) => plugins.errors.push(e),
                }
            } else {
                match read::<RawClass>(file) {
                    Ok(items) => plugins
                        .classes
                        .extend(items.into_iter().map(|(h, c)| (h, class(c)))),
                    Err(e) => plugins.errors.push(e),
                }
            }
        }
        plugins
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_become_catalog_entries() {
        let dir = std::env::temp_dir().join(format!("hsl-plugins-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("ldap.functions.json"),
            r#"[{"name": "ldap_search", "parameters": {"required": [{"name": "base", "type": "string"}],
                "optional": [{"name": "options", "type": "array"}]}, "returnType": "array",
                "detail": "ldap_search(string $base [, array $options]): array",
                "documentation": "Searches the directory.\n\nMore."}]"#,
        )
        .unwrap();
        std::fs::write(
            dir.join("ldap.classes.json"),
            r#"{"core": [{"name": "LDAP", "parameters": {"required": [{"name": "uri", "type": "string"}]},
                "methods": [{"name": "bind", "parameters": {"required": [], "optional": []}, "returnType": "boolean"}]}],
                "rcptto": []}"#,
        )
        .unwrap();
        std::fs::write(dir.join("broken.functions.json"), "{").unwrap();
        std::fs::write(dir.join("other.json"), "{").unwrap();
        let files = Plugins::files(std::slice::from_ref(&dir));
        assert_eq!(files.len(), 3);
        let plugins = Plugins::load(&files);
        let (hook, f) = &plugins.functions[0];
        assert_eq!(*hook, None);
        assert_eq!((f.min_args(), f.max_args()), (1, Some(2)));
        assert_eq!(f.description, "Searches the directory.");
        assert_eq!(f.params[1].ty, "array");
        let (_, c) = &plugins.classes[0];
        assert_eq!(
            (c.name.as_str(), c.methods[0].name.as_str()),
            ("LDAP", "bind")
        );
        assert_eq!(plugins.errors.len(), 1);
        let e = &plugins.errors[0];
        assert!(e.file.ends_with("broken.functions.json"));
        assert_eq!((e.line, e.column), (1, 1));
        assert!(
            e.message.starts_with("not a plugin declaration file: EOF"),
            "{e:?}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
