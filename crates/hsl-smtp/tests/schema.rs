//! The editors' JSON Schema for session files names exactly the keys the
//! session reader accepts.

use std::collections::BTreeSet;
use std::path::Path;

/// The keys the reader accepts at `prefix` (a YAML fragment that opens the
/// mapping), read from its "unknown field" message.
fn accepted(prefix: &str) -> BTreeSet<String> {
    let dir = std::env::temp_dir().join(format!("hsl-smtp-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("session.yaml");
    std::fs::write(&file, format!("conversation: []\n{prefix}zzz_unknown: 1\n")).unwrap();
    let message = hsl_smtp::session::Session::load(&file).unwrap_err().message;
    std::fs::remove_file(&file).unwrap();
    let list = message
        .split_once("expected one of ")
        .unwrap_or_else(|| panic!("{message}"))
        .1;
    list.split(", ")
        .map(|k| k.trim_matches('`').to_string())
        .collect()
}

fn schema_keys(schema: &serde_json::Value, pointer: &str) -> BTreeSet<String> {
    schema
        .pointer(pointer)
        .and_then(|p| p.as_object())
        .unwrap_or_else(|| panic!("{pointer}"))
        .keys()
        .cloned()
        .collect()
}

#[test]
fn schema_and_reader_agree_on_every_mapping() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../editors/schemas/hsl-session.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = [
        ("", "/properties"),
        ("server:\n  ", "/properties/server/properties"),
        ("client:\n  ", "/properties/client/properties"),
        ("tls:\n  ", "/properties/tls/properties"),
        ("limits:\n  ", "/properties/limits/properties"),
        ("expect:\n  - ", "/properties/expect/items/properties"),
        (
            "expect:\n  - message:\n      ",
            "/properties/expect/items/properties/message/properties",
        ),
        (
            "expect:\n  - message:\n      queued:\n        - ",
            "/properties/expect/items/properties/message/properties/queued/items/properties",
        ),
        ("stubs:\n  - ", "/properties/stubs/items/properties"),
    ];
    for (prefix, pointer) in cases {
        assert_eq!(accepted(prefix), schema_keys(&schema, pointer), "{pointer}");
    }
}
