//! Turns the YAML data files into compact JSON at build time: the binary
//! embeds the JSON, which loads several times faster than YAML.

use std::path::Path;

const FILES: &[&str] = &[
    "core",
    "legacy",
    "v5",
    "v4",
    "hooks/connect",
    "hooks/proxy",
    "hooks/helo",
    "hooks/auth",
    "hooks/mailfrom",
    "hooks/rcptto",
    "hooks/eod",
    "hooks/disconnect",
    "hooks/predelivery",
    "hooks/postdelivery",
];

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in FILES {
        let source = format!("data/{name}.yaml");
        println!("cargo:rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{source}: {e}"));
        let value: serde_json::Value =
            serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{source}: {e}"));
        let target = Path::new(&out).join(format!("{}.json", name.replace('/', "-")));
        std::fs::write(&target, value.to_string())
            .unwrap_or_else(|e| panic!("{}: {e}", target.display()));
    }
}
