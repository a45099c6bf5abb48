//! `--coverage lcov` of `hsl run` and `hsl simulate`: the report names each
//! file with the runs of its lines (`DA`) and `if` branches (`BRDA`).

mod common;

use common::hsl_in;
use std::path::PathBuf;

/// A fresh folder holding `files`.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hsl-coverage-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The record of `name` in an lcov report, without its `SF:` and end lines.
fn record<'a>(report: &'a str, name: &str) -> &'a str {
    let start = report.find(&format!("SF:{name}\n")).expect(name) + name.len() + 4;
    &report[start..start + report[start..].find("end_of_record").unwrap()]
}

#[test]
fn run_writes_lines_and_branches_to_the_coverage_file() {
    let script = "$x = 1;\nif ($x > 0) {\n    echo \"yes\";\n} else {\n    echo \"no\";\n}\n";
    let dir = folder("run", &[("t.hsl", script)]);
    let o = hsl_in(
        &dir,
        &[
            "run",
            "--coverage",
            "lcov",
            "--coverage-file",
            "out/cov.info",
            "t.hsl",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "the folder of the report is missing"
    );
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: out/cov.info: "));
    let o = hsl_in(&dir, &["run", "--coverage", "lcov", "t.hsl"]);
    assert_eq!(
        (o.status.code(), o.stdout.as_slice()),
        (Some(0), &b"yes\n"[..])
    );
    let report = std::fs::read_to_string(dir.join("lcov.info")).unwrap();
    assert_eq!(
        report,
        "TN:\nSF:t.hsl\nBRDA:2,0,0,1\nBRDA:2,0,1,0\nBRF:2\nBRH:1\n\
         DA:1,1\nDA:2,1\nDA:3,1\nDA:5,0\nLF:4\nLH:3\nend_of_record\n"
    );
    let o = hsl_in(&dir, &["run", "--coverage-file", "x.info", "t.hsl"]);
    assert_eq!(o.status.code(), Some(2), "--coverage-file needs --coverage");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_suite_accumulates_its_hooks_and_shows_workspace_files_never_run() {
    let connect =
        "if ($arguments[\"remoteip\"] == \"192.0.2.1\") {\n    Reject(\"no\");\n}\nAccept();\n";
    let session = |ip: &str| {
        format!("workspace: ..\nclient: {{ ip: {ip}, port: 41000 }}\nconversation:\n  - QUIT\n")
    };
    let dir = folder(
        "simulate",
        &[
            ("src/hooks/connect/inbound.hsl", connect),
            ("src/files/unused.hsl", "echo 1;\n"),
            ("sessions/a.yaml", &session("192.0.2.1")),
            ("sessions/b.yaml", &session("192.0.2.2")),
            ("sessions/c.yaml", &session("192.0.2.3")),
        ],
    );
    let o = hsl_in(&dir, &["simulate", "--coverage", "lcov", "sessions"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report = std::fs::read_to_string(dir.join("lcov.info")).unwrap();
    assert_eq!(
        record(&report, "src/hooks/connect/inbound.hsl"),
        "BRDA:1,0,0,1\nBRDA:1,0,1,2\nBRF:2\nBRH:2\nDA:1,3\nDA:2,1\nDA:4,2\nLF:3\nLH:3\n"
    );
    assert_eq!(
        record(&report, "src/files/unused.hsl"),
        "BRF:0\nBRH:0\nDA:1,0\nLF:1\nLH:0\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
