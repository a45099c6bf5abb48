//! Rule cases as files, one folder per code (`testdata/check/rules/HSL1nn/`):
//! a file named `ok*.hsl` must pass clean (notes allowed); any other must be flagged with
//! the folder's code, and its diagnostics are snapshotted as
//! `line:col severity CODE message | help`. A folder named `ok*` is a
//! workspace whose every file must pass clean.

mod common;

use hsl_check::{Checker, Options};
use hsl_syntax::LineIndex;
use std::path::{Path, PathBuf};

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/check/rules")
}

fn render(source: &str, path: &Path) -> Vec<(String, &'static str)> {
    let diagnostics = Checker::new(Options::default())
        .check(path, source)
        .unwrap();
    let index = LineIndex::new(source);
    diagnostics
        .iter()
        .map(|d| (common::line(source, &index, d, true), d.code))
        .collect()
}

fn sorted(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries
}

fn hsl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in sorted(dir) {
        if entry.is_dir() {
            hsl_files(&entry, out);
        } else if entry.extension().is_some_and(|e| e == "hsl") {
            out.push(entry);
        }
    }
}

#[test]
fn every_rule_case() {
    let mut cases = 0;
    for dir in sorted(&rules_dir()) {
        let code = dir.file_name().unwrap().to_str().unwrap().to_string();
        for workspace in sorted(&dir).into_iter().filter(|d| d.is_dir()) {
            assert!(workspace
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("ok"));
            let mut files = Vec::new();
            hsl_files(&workspace, &mut files);
            for file in files {
                cases += 1;
                let source = std::fs::read_to_string(&file).unwrap();
                let found = render(&source, &file);
                assert!(
                    found.iter().all(|(l, _)| l.contains(" Hint ")),
                    "{}: {found:#?}",
                    file.display()
                );
            }
        }
        for file in sorted(&dir)
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "hsl"))
        {
            cases += 1;
            let stem = file.file_stem().unwrap().to_str().unwrap().to_string();
            let source = std::fs::read_to_string(&file).unwrap();
            let found = render(&source, &file);
            let lines: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
            if stem.starts_with("ok") {
                assert!(
                    found.iter().all(|(l, _)| l.contains(" Hint ")),
                    "{code}/{stem}.hsl: {lines:#?}"
                );
                continue;
            }
            assert!(
                found.iter().any(|(_, c)| *c == code),
                "{code}/{stem}.hsl is not flagged with {code}: {lines:#?}"
            );
            insta::assert_snapshot!(format!("{code}_{stem}"), lines.join("\n"));
        }
    }
    assert!(cases > 0, "no rule cases under {}", rules_dir().display());
}
