//! End-to-end tests of `hsl run`: output, exit codes (0 ran, 1 the script
//! failed, 2 the command could not start), the `file:line:column: message`
//! error format and every flag.

mod common;

use common::hsl_in;
use std::path::PathBuf;
use std::process::Output;

/// A fresh folder holding `files`.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hsl-run-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

/// Runs `hsl run ARGS` beside `files`; returns exit code, stdout, stderr.
fn run(name: &str, files: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String, String) {
    let dir = folder(name, files);
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    let o: Output = hsl_in(&dir, &all);
    std::fs::remove_dir_all(&dir).unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn a_script_that_ends_prints_its_output_and_exits_0() {
    let files = [("t.hsl", "echo \"a\" . 1 + 2;\necho [1, \"x\" => 2];\n")];
    let (code, out, err) = run("ok", &files, &["t.hsl"]);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (Some(0), "a3\n[0=>1,\"x\"=>2]\n", "")
    );
}

#[test]
fn an_uncaught_exception_is_file_line_column_message_and_exit_1() {
    let files = [("t.hsl", "echo 1;\n  throw \"boom\";\necho 2;\n")];
    let (code, out, err) = run("throw", &files, &["t.hsl"]);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (
            Some(1),
            "1\n",
            "error: t.hsl:2:3: uncaught exception: boom\n"
        )
    );
}

#[test]
fn a_syntax_error_is_reported_with_its_code_and_exit_1() {
    let (code, out, err) = run("syntax", &[("t.hsl", "echo 1;\necho (;\n")], &["t.hsl"]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert!(err.starts_with("error: t.hsl:2:"), "{err}");
    assert!(
        err.trim_end().ends_with(']'),
        "the syntax code is named: {err}"
    );
}

#[test]
fn an_error_in_an_included_file_names_that_file() {
    let files = [
        ("main.hsl", "include \"lib.hsl\";\nf();\n"),
        (
            "lib.hsl",
            "function f() {\n    g();\n}\nfunction g() { throw \"in lib\"; }\n",
        ),
    ];
    let (code, _, err) = run("include", &files, &["main.hsl"]);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with("error: ") && err.contains("lib.hsl:4:16: uncaught exception: in lib"),
        "{err}"
    );
}

#[test]
fn a_missing_file_or_bad_stub_file_exits_2() {
    let (code, out, err) = run("missing", &[], &["nope.hsl"]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert!(err.starts_with("error: nope.hsl: "), "{err}");
    let files = [
        ("t.hsl", "echo 1;"),
        ("stubs.yaml", "- { function: http, nonsense: 1 }"),
    ];
    let (code, out, err) = run("badstub", &files, &["t.hsl", "--stub", "stubs.yaml"]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert!(err.starts_with("error: stubs.yaml: "), "{err}");
}

#[test]
fn unknown_flags_and_bad_values_are_usage_errors() {
    let files = [("t.hsl", "echo 1;")];
    for args in [
        &["t.hsl", "--no-such-flag"][..],
        &["t.hsl", "--max-time", "soon"][..],
        &["t.hsl", "--max-steps", "-1"][..],
        &[][..],
    ] {
        let (code, out, err) = run("usage", &files, args);
        assert_eq!((code, out.as_str()), (Some(2), ""), "{args:?}");
        assert!(!err.is_empty(), "{args:?}");
    }
}

#[test]
fn max_steps_ends_an_endless_loop() {
    let files = [("t.hsl", "$i = 0;\nforever { $i++; }\n")];
    let (code, _, err) = run("steps", &files, &["t.hsl", "--max-steps", "1000"]);
    assert_eq!(
        (code, err.as_str()),
        (Some(1), "error: t.hsl:2:11: step limit of 1000 exceeded\n")
    );
}

#[test]
fn max_time_ends_a_long_run() {
    let files = [("t.hsl", "forever { }\n")];
    let started = std::time::Instant::now();
    let (code, _, err) = run(
        "time",
        &files,
        &["t.hsl", "--max-time", "0.2", "--max-steps", "100000000000"],
    );
    assert_eq!(code, Some(1));
    assert!(err.ends_with("time limit of 0.2 s exceeded\n"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn max_memory_limits_values_and_output() {
    let files = [("t.hsl", "$s = str_repeat(\"x\", 2000);\n")];
    let (code, _, err) = run("memory", &files, &["t.hsl", "--max-memory", "1000"]);
    assert_eq!(
        (code, err.as_str()),
        (
            Some(1),
            "error: t.hsl:1:6: memory limit of 1000 bytes exceeded by a string of 2000 bytes\n"
        )
    );
    let files = [("t.hsl", "forever { echo \"0123456789\"; }\n")];
    let (code, out, err) = run("output", &files, &["t.hsl", "--max-memory", "1000"]);
    assert_eq!(code, Some(1));
    assert_eq!(out.len(), 990, "output stops before the budget is passed");
    assert!(
        err.ends_with(
            "memory limit of 1000 bytes exceeded by output (all output of a run counts)\n"
        ),
        "{err}"
    );
}

#[test]
fn stub_answers_a_function_that_needs_the_world() {
    let files = [
        (
            "t.hsl",
            "echo http(\"https://example.org/\");\necho dns_query(\"x\");\n",
        ),
        ("stubs.yaml", "- { function: http, returns: \"stubbed\" }\n"),
    ];
    let (code, out, err) = run("stub", &files, &["t.hsl", "--stub", "stubs.yaml"]);
    assert_eq!((code, out.as_str()), (Some(1), "stubbed\n"));
    assert!(
        err.starts_with(
            "error: t.hsl:2:6: uncaught exception: `dns_query` is not implemented by `hsl run`"
        ),
        "{err}"
    );
}
