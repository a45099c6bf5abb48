//! Rule behaviour that depends on options (version, select/ignore) or spans
//! several rules; single-rule cases are fixture files (see `fixtures.rs`).

mod common;

use hsl_check::{Checker, Options};
use hsl_syntax::LineIndex;
use std::path::Path;

fn check_with(options: Options, source: &str) -> Vec<String> {
    let checker = Checker::new(options);
    let diags = checker
        .check(Path::new("/nonexistent/rule.hsl"), source)
        .unwrap();
    let index = LineIndex::new(source);
    diags
        .iter()
        .map(|d| common::line(source, &index, d, false))
        .collect()
}

fn check(source: &str) -> Vec<String> {
    check_with(Options::default(), source)
}

fn codes(found: &[String]) -> Vec<&str> {
    found.iter().map(|l| l.split(' ').nth(1).unwrap()).collect()
}

#[test]
fn unreachable_after_verdicts_only_where_they_end_the_script() {
    // `Reject` is a user function here, not the verdict.
    let found = check(
        "// hsl: hook=connect\nfunction Reject($x) { return $x; }\necho Reject(1);\necho 2;\n",
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn legacy_names_are_warnings_in_halon_5() {
    let found = check_with(
        Options {
            halon: Some(hsl_catalog::HalonVersion::V5),
            ..Options::default()
        },
        "// hsl: hook=connect\necho strlen(\"a\");\necho $senderip;\n",
    );
    assert_eq!(
        found,
        ["2:6 HSL114 `strlen` is an old name of `length` | call `length` instead"]
    );
}

#[test]
fn four_x_connect_scripts() {
    let source = "// hsl: hook=connect halon=4\nif ($senderip == \"127.0.0.1\") Reject();\nSetSenderIP(\"10.0.0.1\");\nAccept();\n";
    assert!(check(source).is_empty(), "{:#?}", check(source));
    let as_six = check_with(
        Options {
            halon: Some(hsl_catalog::HalonVersion::V6),
            ..Options::default()
        },
        source,
    );
    assert_eq!(codes(&as_six), ["HSL107", "HSL101"], "{as_six:#?}");
}

#[test]
fn select_and_ignore() {
    let source = "// hsl: hook=connect\necho lenght(1);\n$unused = 5;\n";
    let only = check_with(
        Options {
            select: vec!["HSL115".into()],
            ..Options::default()
        },
        source,
    );
    assert_eq!(codes(&only), ["HSL115"]);
    let ignored = check_with(
        Options {
            ignore: vec!["hsl115".into(), "HSL101".into()],
            ..Options::default()
        },
        source,
    );
    assert!(ignored.is_empty(), "{ignored:#?}");
}

#[test]
fn suppression_comments() {
    let source = "// hsl: hook=connect\n// hsl-ignore HSL101\necho lenght(1);\necho lenght(2); // hsl-ignore HSL101\necho lenght(3);\n";
    assert_eq!(codes(&check(source)), ["HSL101"]);
    let file =
        "// hsl: hook=connect\n// hsl-ignore-file HSL101, HSL115\necho lenght(1);\n$x = 1;\n";
    assert!(check(file).is_empty());
}

#[test]
fn syntax_errors_suppress_semantic_noise() {
    let found = check("// hsl: hook=connect\n$a = ;\necho $a;\n");
    assert_eq!(codes(&found), ["HSL001"]);
}

/// Every `*.hsl` of a `testdata/check` folder with what the checker reports.
fn corpus(folder: &str) -> Vec<(String, Vec<String>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/check")
        .join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hsl"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let source = std::fs::read_to_string(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, check(&source))
        })
        .collect()
}

#[test]
fn documented_option_arrays_pass() {
    for (file, found) in corpus("options/clean") {
        assert!(found.is_empty(), "{file}: {found:#?}");
    }
}

#[test]
fn option_typos_and_wrong_option_types_are_reported() {
    let report: Vec<String> = corpus("options/mistakes")
        .into_iter()
        .flat_map(|(file, found)| found.into_iter().map(move |l| format!("{file} {l}")))
        .collect();
    insta::assert_snapshot!(report.join("\n"));
}

#[test]
fn four_x_and_five_x_scripts_check_clean() {
    for (file, found) in corpus("versions/clean") {
        assert!(found.is_empty(), "{file}: {found:#?}");
    }
}

#[test]
fn newer_names_under_older_versions_are_reported() {
    let report: Vec<String> = corpus("versions/mistakes")
        .into_iter()
        .flat_map(|(file, found)| found.into_iter().map(move |l| format!("{file} {l}")))
        .collect();
    insta::assert_snapshot!(report.join("\n"));
}
