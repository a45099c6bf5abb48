//! A plugin repository laid out as Halon's extras are (`testdata/check/real/`):
//! a dev-container workspace under `.devcontainer/smtpd/` whose
//! `smtpd.yaml` sets a `/workspaces/<name>` rootpath, `file://` includes,
//! `txt!` imports, an `extras://` import and a `*.functions.json` at the
//! root. The clean repository has no findings; the one with mistakes has
//! exactly its mistakes reported.

use hsl_check::{Checker, Options};
use hsl_syntax::{LineIndex, Severity};
use std::path::{Path, PathBuf};

fn repo(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/check/real")
        .join(name)
}

fn hsl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            hsl_files(&entry, out);
        } else if entry.extension().is_some_and(|e| e == "hsl") {
            out.push(entry);
        }
    }
}

/// `file:line severity CODE message` for every diagnostic of the repository.
fn check(name: &str) -> Vec<String> {
    let root = repo(name);
    let checker = Checker::new(Options::default());
    let mut files = Vec::new();
    hsl_files(&root, &mut files);
    let mut out = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let index = LineIndex::new(&source);
        for d in checker.check(&file, &source).unwrap() {
            let line = index.line_col(&source, d.span.start as usize).line + 1;
            let shown = file.strip_prefix(&root).unwrap().display();
            out.push(format!(
                "{shown}:{line} {:?} {} {}",
                d.severity, d.code, d.message
            ));
            if d.severity != Severity::Hint {
                out.last_mut().unwrap().push_str(" [finding]");
            }
        }
    }
    out
}

#[test]
fn a_plugin_repository_checks_clean() {
    let found = check("halon-extras-demo");
    let findings: Vec<&String> = found.iter().filter(|l| l.ends_with("[finding]")).collect();
    assert!(findings.is_empty(), "{found:#?}");
    // The one module that is not installed here is a single note.
    assert_eq!(
        found,
        [".devcontainer/smtpd/src/hooks/rcptto/default.hsl:4 Hint HSL111 `extras://ldap` is not installed here: it is not checked"]
    );
}

#[test]
fn mistakes_in_a_plugin_repository_are_reported() {
    let found = check("halon-extras-mistakes");
    let hook = ".devcontainer/smtpd/src/hooks/rcptto/default.hsl";
    assert_eq!(
        found,
        [
            format!("{hook}:2 Error HSL111 cannot find `file://missing.hsl` [finding]"),
            format!("{hook}:3 Error HSL111 `txt!file://../../secret.txt` is outside the project [finding]"),
            format!("{hook}:5 Error HSL103 `demo_lookup` takes 1 to 2 arguments, but 0 were given [finding]"),
        ]
    );
}
