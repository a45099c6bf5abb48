//! `hsl check` on Halon workspaces: the clean example, the broken copy where
//! every rule fires, output formats and configuration.

mod common;

use common::{hsl, hsl_in};
use std::path::PathBuf;

#[test]
fn example_workspace_is_clean() {
    let out = hsl(&["check", "example"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn broken_workspace_shows_every_rule() {
    let out = hsl(&["check", "check/broken-workspace"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    for code in (101..=119).chain([121]) {
        assert!(
            text.contains(&format!("[HSL{code}]")),
            "HSL{code} missing:\n{text}"
        );
    }
    insta::assert_snapshot!(text);
}

#[test]
fn json_output_carries_rule_codes() {
    let out = hsl(&[
        "check",
        "--output-format",
        "json",
        "check/broken-workspace/src/hooks/helo",
    ]);
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hots = all
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "HSL105")
        .unwrap();
    assert_eq!(
        hots["file"],
        "check/broken-workspace/src/hooks/helo/inbound.hsl"
    );
    assert_eq!(
        (hots["line"].as_u64(), hots["column"].as_u64()),
        (Some(6), Some(20))
    );
    assert_eq!(hots["help"], "did you mean `host`?");
}

#[test]
fn github_annotations() {
    let out = hsl(&[
        "check",
        "--output-format",
        "github",
        "check/broken-workspace/src/hooks/eod",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "::error file=check/broken-workspace/src/hooks/eod/inbound.hsl,line=2,col=19,endLine=2,endColumn=29,title=HSL118::\
         `EODMailMessage` has no method `getSubject` (help: `EODMailMessage` has: queue, reset, snapshot, restore, \
         modifyContent, toFile, toString, signDKIM, …)\n\
         ::warning file=check/broken-workspace/src/hooks/eod/inbound.hsl,line=5,col=10,endLine=5,endColumn=15,title=HSL116::\
         function `stale` is never called (help: remove it, or call it)\n"
    );
}

#[test]
fn sarif_log_is_valid_for_code_scanning() {
    let out = hsl(&[
        "check",
        "--output-format",
        "sarif",
        "check/broken-workspace",
    ]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "hsl");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        assert!(
            rules.iter().any(|rule| rule["id"] == id),
            "{id} has no rule entry"
        );
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("check/broken-workspace/"));
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn hook_flag_and_version_flag() {
    let dir = tempdir("flags");
    std::fs::write(
        dir.join("script.hsl"),
        "if ($senderip == \"\") Reject();\nAccept();\n",
    )
    .unwrap();
    let six = hsl_in(&dir, &["check", "--hook", "connect", "script.hsl"]);
    assert_eq!(
        six.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&six.stdout)
    );
    let four = hsl_in(
        &dir,
        &[
            "check",
            "--hook",
            "connect",
            "--halon-version",
            "4",
            "script.hsl",
        ],
    );
    assert_eq!(
        four.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&four.stdout)
    );
    let bad = hsl_in(&dir, &["check", "--hook", "rcpt", "script.hsl"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown hook `rcpt`"));
}

#[test]
fn configuration_file() {
    let dir = tempdir("config");
    std::fs::create_dir_all(dir.join("vendor")).unwrap();
    std::fs::write(dir.join("vendor/x.hsl"), "echo lenght(1);\n").unwrap();
    std::fs::write(
        dir.join("s.hsl"),
        "// hsl: hook=connect\n$unused = 1;\necho strlen(\"a\");\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("hsl.toml"),
        "halon = 5\nexclude = [\"vendor/**\"]\n[rules]\nunused-variable = \"error\"\nHSL114 = \"off\"\n",
    )
    .unwrap();
    let out = hsl_in(&dir, &["check", "--output-format", "json", "."]);
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<(&str, &str)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [("HSL115", "error")],
        "vendor excluded, HSL114 off, 5.x names allowed"
    );
    std::fs::write(dir.join("hsl.toml"), "[rules]\nno-such-rule = \"off\"\n").unwrap();
    let out = hsl_in(&dir, &["check", "s.hsl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown rule `no-such-rule`"));
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hsl-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
