//! `hsl check` end to end on the syntax corpus: rendered diagnostics,
//! JSON output and exit codes.

mod common;

use common::{hsl, testdata};

#[test]
fn rendered_syntax_errors() {
    let dir = testdata().join("syntax/invalid");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let rel = format!(
            "syntax/invalid/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let out = hsl(&["check", &rel]);
        assert_eq!(out.status.code(), Some(1), "{rel}");
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(name, String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn clean_files_exit_zero() {
    let out = hsl(&["check", "syntax/valid", "example"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("0 errors"), "{summary}");
}

#[test]
fn missing_file_is_a_usage_error() {
    let out = hsl(&["check", "no/such/file.hsl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "error: no/such/file.hsl: no such file or directory"
    );
    assert_eq!(hsl(&["check"]).status.code(), Some(2), "no path given");
    assert_eq!(hsl(&["explain", "HSL999"]).status.code(), Some(2));
}

#[test]
fn json_output_has_one_based_positions() {
    let out = hsl(&[
        "check",
        "--output-format",
        "json",
        "syntax/invalid/multiple_errors_mixed.hsl",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &all[0];
    assert_eq!(first["file"], "syntax/invalid/multiple_errors_mixed.hsl");
    assert_eq!(first["code"], "HSL006");
    assert_eq!(first["severity"], "error");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(1), Some(11))
    );
    assert_eq!(
        (first["end_line"].as_u64(), first["end_column"].as_u64()),
        (Some(1), Some(13))
    );
    assert_eq!(all.as_array().unwrap().len(), 4);
}

#[test]
fn binary_and_non_utf8_input() {
    let dir = std::env::temp_dir().join(format!("hsl-binary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("binary.hsl");
    std::fs::write(&file, b"$a = \"\xff\xfe\";\n\x00\x01\x02").unwrap();
    let out = hsl(&["check", "--output-format", "json", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(all[0]["code"], "HSL012");
    assert_eq!(
        (all[0]["line"].as_u64(), all[0]["column"].as_u64()),
        (Some(1), Some(7))
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn explain_prints_the_code_documentation() {
    let out = hsl(&["explain", "hsl004"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("## HSL004 — unterminated raw string"),
        "{text}"
    );
    assert!(text.contains("''hello''"));
}
