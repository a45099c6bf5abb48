//! The crate map of README.md ("Architecture"): each crate depends only on
//! the `hsl` crates listed here, so dependencies point one way.

use std::collections::BTreeSet;
use std::path::Path;

/// Each crate and the `hsl` crates it may depend on.
const ALLOWED: &[(&str, &[&str])] = &[
    ("hsl-syntax", &[]),
    ("hsl-catalog", &[]),
    ("hsl-workspace", &["hsl-syntax", "hsl-catalog"]),
    ("hsl-check", &["hsl-syntax", "hsl-catalog", "hsl-workspace"]),
    ("hsl-eval", &["hsl-syntax", "hsl-catalog", "hsl-workspace"]),
    (
        "hsl-smtp",
        &["hsl-syntax", "hsl-catalog", "hsl-workspace", "hsl-eval"],
    ),
    ("hsl-serve", &["hsl-syntax", "hsl-smtp"]),
    (
        "hsl-lsp",
        &[
            "hsl-syntax",
            "hsl-catalog",
            "hsl-workspace",
            "hsl-check",
            "hsl-fmt",
        ],
    ),
    ("hsl-fmt", &["hsl-syntax", "hsl-workspace"]),
    (
        "hsl-cli",
        &[
            "hsl-syntax",
            "hsl-catalog",
            "hsl-workspace",
            "hsl-check",
            "hsl-eval",
            "hsl-smtp",
            "hsl-serve",
            "hsl-lsp",
            "hsl-fmt",
        ],
    ),
];

#[test]
fn crates_depend_only_downwards() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(&crates).unwrap() {
        let manifest = entry.unwrap().path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let toml: toml::Table = toml::from_str(&text).unwrap();
        let name = toml["package"]["name"].as_str().unwrap().to_string();
        let allowed = ALLOWED
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| {
                panic!("{name} is not in the crate map: add it here and to README.md")
            })
            .1;
        let deps = toml
            .get("dependencies")
            .and_then(|d| d.as_table())
            .into_iter()
            .flat_map(|d| d.keys())
            .filter(|d| d.starts_with("hsl-"));
        for dep in deps {
            assert!(
                allowed.contains(&dep.as_str()),
                "{name} must not depend on {dep} (see Architecture in README.md)"
            );
        }
        seen.insert(name);
    }
    assert!(
        seen.contains("hsl-workspace") && seen.len() >= 8,
        "{seen:?}"
    );
}
