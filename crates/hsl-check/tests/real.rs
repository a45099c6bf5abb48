//! Real Halon code (`testdata/check/real/`): a plugin repository laid out as
//! Halon's extras are (a dev-container workspace under `.devcontainer/smtpd/`
//! whose `smtpd.yaml` sets a `/workspaces/<name>` rootpath, `file://`
//! includes, `txt!` imports, an `extras://` import, a forwarding `main.hsl`
//! and a `*.functions.json` at the root), and a workspace of the idioms of
//! Halon scripts (flow idioms, a conditional include, a module, 5.x scripts
//! beside 6.x ones). The clean ones have no errors; the ones with mistakes
//! have exactly their mistakes reported.

mod common;

use hsl_check::{Checker, Options};
use hsl_syntax::{LineIndex, Severity};
use std::path::{Path, PathBuf};

fn repo(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/check/real");
    std::fs::canonicalize(dir).unwrap().join(name)
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

/// `file:line:column Severity CODE message | help` for every diagnostic of
/// the repository's scripts, then of its malformed configuration files.
fn check(name: &str) -> Vec<String> {
    let root = repo(name);
    let checker = Checker::new(Options::default());
    let mut files = Vec::new();
    hsl_files(&root, &mut files);
    let mut out = Vec::new();
    let mut report = |file: &Path, source: &str, found: &[hsl_syntax::Diagnostic]| {
        let index = LineIndex::new(source);
        for d in found {
            let shown = file.strip_prefix(&root).unwrap().display();
            out.push(format!("{shown}:{}", common::line(source, &index, d, true)));
        }
    };
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        report(&file, &source, &checker.check(&file, &source).unwrap());
    }
    for r in checker.config_reports() {
        report(&r.path, &r.source, &r.diagnostics);
    }
    // Messages that name the repository do not depend on where it is.
    let place = root.display().to_string();
    out.iter().map(|l| l.replace(&place, "<repo>")).collect()
}

fn errors(found: &[String]) -> Vec<&String> {
    let error = format!(" {:?} ", Severity::Error);
    found.iter().filter(|l| l.contains(&error)).collect()
}

#[test]
fn a_plugin_repository_checks_clean() {
    let found = check("halon-extras-demo");
    // The one module that is not installed here is a single note; the root
    // file with a verdict is checked in the hook that includes it, and the
    // forwarding `lib/main.hsl` has no unused import.
    assert_eq!(
        found,
        [".devcontainer/smtpd/src/hooks/rcptto/default.hsl:4:27 Hint HSL111 `extras://ldap` is not installed here: it is not checked | list a folder holding `ldap/main.hsl` in `extras = [\"…\"]` of hsl.toml"]
    );
}

#[test]
fn mistakes_in_a_plugin_repository_are_reported() {
    insta::assert_snapshot!(check("halon-extras-mistakes").join("\n"));
}

#[test]
fn a_workspace_of_halon_idioms_has_no_errors() {
    let found = check("halon-workspace-idioms");
    assert!(errors(&found).is_empty(), "{found:#?}");
    insta::assert_snapshot!(found.join("\n"));
}

#[test]
fn mistakes_in_a_workspace_are_all_reported() {
    insta::assert_snapshot!(check("halon-workspace-mistakes").join("\n"));
}
