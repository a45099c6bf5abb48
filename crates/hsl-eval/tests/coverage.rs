//! Line and branch coverage in the `lcov` format.

use std::path::Path;

/// Runs `files[0]` (with the others beside it) while recording coverage;
/// returns the report with paths relative to the folder.
fn covered(files: &[(&str, &str)], runs: usize) -> String {
    let dir = std::env::temp_dir().join(format!("hsl-coverage-{}-{runs}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let entry = dir.join(files[0].0);
    hsl_eval::coverage::start();
    for _ in 0..runs {
        let _ = hsl_eval::run_source(
            files[0].1,
            &entry.display().to_string(),
            &Default::default(),
            &mut |_| {},
        );
    }
    let report = hsl_eval::coverage::finish().lcov(&std::fs::canonicalize(&dir).unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
    report
}

#[test]
fn an_if_with_one_branch_run_gives_its_lines_and_branches() {
    let script = "$x = 1;\nif ($x > 0) {\n    echo \"yes\";\n} else {\n    echo \"no\";\n}\nfunction f() {\n    return 2;\n}\n";
    assert_eq!(
        covered(&[("cov.hsl", script)], 1),
        "TN:\nSF:cov.hsl\n\
         BRDA:2,0,0,1\nBRDA:2,0,1,0\nBRF:2\nBRH:1\n\
         DA:1,1\nDA:2,1\nDA:3,1\nDA:5,0\nDA:8,0\nLF:5\nLH:3\nend_of_record\n"
    );
}

#[test]
fn runs_accumulate_and_included_files_are_reported_even_when_not_run() {
    let main = "include \"lib.hsl\";\nif (false) { include \"never.hsl\"; }\n";
    let report = covered(
        &[
            ("main.hsl", main),
            ("lib.hsl", "echo 1;\n"),
            ("never.hsl", "echo 2;\necho 3;\n"),
        ],
        3,
    );
    let record = |name: &str| {
        let start = report.find(&format!("SF:{name}\n")).expect(name);
        report[start..]
            .split("end_of_record")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        record("lib.hsl"),
        "SF:lib.hsl\nBRF:0\nBRH:0\nDA:1,3\nLF:1\nLH:1\n"
    );
    assert_eq!(
        record("never.hsl"),
        "SF:never.hsl\nBRF:0\nBRH:0\nDA:1,0\nDA:2,0\nLF:2\nLH:0\n"
    );
    assert_eq!(
        record("main.hsl"),
        "SF:main.hsl\nBRDA:2,0,0,0\nBRDA:2,0,1,3\nBRF:2\nBRH:1\nDA:1,3\nDA:2,3\nLF:2\nLH:2\n"
    );
}

#[test]
fn nothing_is_recorded_unless_started() {
    hsl_eval::run_source("echo 1;", "off.hsl", &Default::default(), &mut |_| {}).unwrap();
    assert_eq!(hsl_eval::coverage::finish().lcov(Path::new("/")), "");
}
