//! `hsl check` flags and exit codes: `--select`/`--ignore` by code or rule
//! name, unknown rules as usage errors, warnings alone exit 0, and every
//! rule described in SARIF and documented for `hsl explain`.

mod common;

use common::hsl_in;
use std::path::PathBuf;

const SCRIPT: &str = "// hsl: hook=connect\necho lenght(1);\n$unused = 5;\n";

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hsl-flags-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("s.hsl"), SCRIPT).unwrap();
    dir
}

fn codes(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, Vec<String>) {
    let mut all = vec!["check", "--output-format", "json"];
    all.extend(args);
    all.push("s.hsl");
    let out = hsl_in(dir, &all);
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let codes = found
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["code"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    (out.status.code(), codes)
}

#[test]
fn select_and_ignore_take_codes_and_names_with_spaces() {
    let dir = workdir("select");
    assert_eq!(
        codes(&dir, &[]),
        (Some(1), vec!["HSL101".into(), "HSL115".into()])
    );
    assert_eq!(
        codes(&dir, &["--select", "hsl115"]),
        (Some(0), vec!["HSL115".into()])
    );
    assert_eq!(
        codes(&dir, &["--select", "unknown-function, unused-variable"]),
        (Some(1), vec!["HSL101".into(), "HSL115".into()])
    );
    assert_eq!(
        codes(&dir, &["--ignore", "HSL101, unused-variable"]),
        (Some(0), vec![])
    );
    assert_eq!(
        codes(&dir, &["--ignore", "unknown-function"]),
        (Some(0), vec!["HSL115".into()])
    );
}

#[test]
fn an_unknown_rule_is_a_usage_error_with_a_suggestion() {
    let dir = workdir("unknown");
    let out = hsl_in(&dir, &["check", "--select", "HSL1O1", "s.hsl"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("did you mean `HSL101`?"), "{stderr}");
    let out = hsl_in(
        &dir,
        &["check", "--ignore", "HSL101,unused-varible", "s.hsl"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("did you mean `unused-variable`?"),
        "{stderr}"
    );
}

#[test]
fn warnings_alone_exit_zero() {
    let dir = workdir("warnings");
    std::fs::write(dir.join("s.hsl"), "// hsl: hook=connect\n$unused = 5;\n").unwrap();
    let out = hsl_in(&dir, &["check", "s.hsl"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("HSL115"));
}

#[test]
fn sarif_describes_every_rule_and_explain_documents_every_code() {
    let dir = workdir("sarif");
    let out = hsl_in(&dir, &["check", "--output-format", "sarif", "s.hsl"]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let described: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let every = hsl_syntax::codes::ALL
        .iter()
        .copied()
        .chain(hsl_check::rules::ALL.iter().map(|r| r.code));
    for code in every {
        assert!(described.contains(&code), "{code} not described in SARIF");
        let out = hsl_in(&dir, &["explain", code]);
        assert_eq!(out.status.code(), Some(0), "hsl explain {code}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with(&format!("## {code}")), "{text}");
        assert!(text.lines().count() > 3, "{code}: {text}");
    }
    let by_name = hsl_in(&dir, &["explain", "undefined-variable"]);
    assert!(String::from_utf8_lossy(&by_name.stdout).starts_with("## HSL107"));
    let unknown = hsl_in(&dir, &["explain", "HSL1O7"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `HSL107`?"));
}
