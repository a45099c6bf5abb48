//! `hsl fmt` end to end: rewriting in place, `--check`, `--diff`, standard
//! input, `hsl.toml` options and files with syntax errors.

mod common;

use common::hsl_in;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const UNFORMATTED: &str = "if($a){echo 1;}\n";
const FORMATTED: &str = "if ($a) {\n    echo 1;\n}\n";

/// A fresh directory under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fmt-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src/hooks")).unwrap();
    dir
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn rewrites_files_in_a_directory_in_place() {
    let dir = scratch("in-place");
    std::fs::write(dir.join("src/hooks/a.hsl"), UNFORMATTED).unwrap();
    std::fs::write(dir.join("src/b.hsl"), FORMATTED).unwrap();
    let out = hsl_in(&dir, &["fmt", "src"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.join("src/hooks/a.hsl")).unwrap(),
        FORMATTED
    );
    assert!(
        stderr(&out).contains("1 of 2 files reformatted"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_lists_unformatted_files_and_changes_nothing() {
    let dir = scratch("check");
    std::fs::write(dir.join("src/hooks/a.hsl"), UNFORMATTED).unwrap();
    std::fs::write(dir.join("src/b.hsl"), FORMATTED).unwrap();
    let out = hsl_in(&dir, &["fmt", "--check", "src"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "src/hooks/a.hsl\n");
    assert_eq!(
        std::fs::read_to_string(dir.join("src/hooks/a.hsl")).unwrap(),
        UNFORMATTED
    );
    let clean = hsl_in(&dir, &["fmt", "--check", "src/b.hsl"]);
    assert_eq!(clean.status.code(), Some(0));
}

#[test]
fn diff_prints_a_unified_diff() {
    let dir = scratch("diff");
    std::fs::write(dir.join("a.hsl"), UNFORMATTED).unwrap();
    let out = hsl_in(&dir, &["fmt", "--diff", "a.hsl"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout), @r"
    --- a.hsl
    +++ a.hsl
    @@ -1 +1,3 @@
    -if($a){echo 1;}
    +if ($a) {
    +    echo 1;
    +}
    ");
}

#[test]
fn formats_standard_input_with_the_options_of_stdin_filename() {
    let dir = scratch("stdin");
    std::fs::write(dir.join("hsl.toml"), "[format]\nindent-width = 2\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hsl"))
        .args(["fmt", "--stdin-filename", "src/x.hsl", "-"])
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(UNFORMATTED.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "if ($a) {\n  echo 1;\n}\n"
    );
}

#[test]
fn hsl_toml_format_table_applies_and_check_accepts_it() {
    let dir = scratch("config");
    std::fs::write(dir.join("hsl.toml"), "[format]\nuse-tabs = true\n").unwrap();
    std::fs::write(dir.join("src/a.hsl"), UNFORMATTED).unwrap();
    assert_eq!(hsl_in(&dir, &["fmt", "src"]).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.join("src/a.hsl")).unwrap(),
        "if ($a) {\n\techo 1;\n}\n"
    );
    let check = hsl_in(&dir, &["check", "src"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    std::fs::write(dir.join("hsl.toml"), "[format]\ntabs = true\n").unwrap();
    let bad = hsl_in(&dir, &["fmt", "src"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("unknown field `tabs`"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn files_with_syntax_errors_are_left_untouched() {
    let dir = scratch("errors");
    let broken = "if ($a { echo 1; }\n";
    std::fs::write(dir.join("a.hsl"), broken).unwrap();
    let out = hsl_in(&dir, &["fmt", "a.hsl"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(dir.join("a.hsl")).unwrap(), broken);
    assert!(stderr(&out).contains("a.hsl:1:"), "{}", stderr(&out));
    assert!(stderr(&out).contains("not formatted"), "{}", stderr(&out));
}

#[test]
fn many_files_are_reported_in_the_order_of_their_paths() {
    let dir = scratch("order");
    let mut unformatted = Vec::new();
    let mut broken = Vec::new();
    for i in 0..60 {
        let name = format!("src/hooks/f{i:02}.hsl");
        let text = match i % 3 {
            0 => FORMATTED,
            1 => {
                unformatted.push(format!("{name}\n"));
                UNFORMATTED
            }
            _ => {
                broken.push(name.clone());
                "if ($a { echo 1; }\n"
            }
        };
        std::fs::write(dir.join(&name), text).unwrap();
    }
    let out = hsl_in(&dir, &["fmt", "--check", "src"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), unformatted.concat());
    let errors: Vec<String> = stderr(&out)
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    assert_eq!(errors, broken);
    assert!(
        stderr(&out).contains("20 of 60 files would be reformatted, 20 left unchanged"),
        "{}",
        stderr(&out)
    );
}
