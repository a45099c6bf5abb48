//! `hsl check --fix` and `--unsafe-fixes`: files rewritten with the fixes
//! the diagnostics carry, what was fixed on standard error, what remains
//! reported; fixes in JSON and SARIF output.

mod common;

use common::hsl_in;
use std::path::PathBuf;

const SCRIPT: &str =
    "// hsl: hook=helo\n$unused = strlen($arguments[\"hots\"]);\necho lenght([1])\n";

fn workdir(name: &str, script: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hsl-fix-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("s.hsl"), script).unwrap();
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn fix_applies_safe_fixes_and_reports_the_rest() {
    let dir = workdir("safe", SCRIPT);
    let out = hsl_in(&dir, &["check", "--fix", "s.hsl"]);
    let fixed = std::fs::read_to_string(dir.join("s.hsl")).unwrap();
    // The missing `;` first (nothing else is checked while the file does
    // not parse), then the old name, the key and the function name.
    assert_eq!(
        fixed,
        "// hsl: hook=helo\n$unused = length($arguments[\"host\"]);\necho length([1]);\n"
    );
    let stderr = text(&out.stderr);
    for line in [
        "s.hsl:3: fixed HSL002: Add the missing `;`",
        "s.hsl:2: fixed HSL114: Replace with `length`",
        "s.hsl:2: fixed HSL105: Replace with `\"host\"`",
        "s.hsl:3: fixed HSL101: Replace with `length`",
        "fixed 4 issues in 1 file; 1 more with `--fix --unsafe-fixes`",
    ] {
        assert!(stderr.contains(line), "{line:?} not in:\n{stderr}");
    }
    // The unused variable remains, a warning: the check passes.
    assert!(
        text(&out.stdout).contains("HSL115"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn unsafe_fixes_apply_the_rest() {
    let dir = workdir("unsafe", SCRIPT);
    let out = hsl_in(&dir, &["check", "--fix", "--unsafe-fixes", "s.hsl"]);
    let fixed = std::fs::read_to_string(dir.join("s.hsl")).unwrap();
    assert_eq!(fixed, "// hsl: hook=helo\necho length([1]);\n");
    assert!(text(&out.stderr).contains("fixed HSL115: Remove the assignment of `$unused`"));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_file_that_would_not_parse_is_left_alone() {
    let script = "$x = 1\necho (;\n";
    let dir = workdir("broken", script);
    let out = hsl_in(&dir, &["check", "--fix", "s.hsl"]);
    assert_eq!(std::fs::read_to_string(dir.join("s.hsl")).unwrap(), script);
    assert!(text(&out.stderr).contains("1 fix not applied: the file would not parse"));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn unsafe_fixes_needs_fix() {
    let dir = workdir("usage", SCRIPT);
    let out = hsl_in(&dir, &["check", "--unsafe-fixes", "s.hsl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(dir.join("s.hsl")).unwrap(), SCRIPT);
}

#[test]
fn without_fix_the_fixes_are_counted_and_serialized() {
    let script = "echo strlen(\"é\");\n";
    let dir = workdir("json", script);
    let out = hsl_in(&dir, &["check", "s.hsl"]);
    assert!(text(&out.stderr).contains("1 fixable with `--fix`"));
    let out = hsl_in(&dir, &["check", "--output-format", "json", "s.hsl"]);
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        found[0]["fix"],
        serde_json::json!({
            "title": "Replace with `length`",
            "applicability": "safe",
            "edits": [{
                "start": 5, "end": 11,
                "line": 1, "column": 6, "end_line": 1, "end_column": 12,
                "content": "length"
            }]
        })
    );
    let out = hsl_in(&dir, &["check", "--output-format", "sarif", "s.hsl"]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fix = &log["runs"][0]["results"][0]["fixes"][0];
    assert_eq!(fix["description"]["text"], "Replace with `length`");
    assert_eq!(
        fix["artifactChanges"][0]["replacements"][0],
        serde_json::json!({
            "deletedRegion": { "byteOffset": 5, "byteLength": 6 },
            "insertedContent": { "text": "length" }
        })
    );
    assert_eq!(std::fs::read_to_string(dir.join("s.hsl")).unwrap(), script);
}
