//! Which files `hsl check DIR` finds: workspaces below a repository root,
//! hidden folders such as `.devcontainer/` included, what git ignores and
//! build or dependency folders left out, each file once.

mod common;

use common::hsl_in;
use std::path::{Path, PathBuf};

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hsl-discovery-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn put(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The files with diagnostics in a JSON report, sorted, each once.
fn files(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["check", "--output-format", "json"];
    all.extend(args);
    let out = hsl_in(dir, &all);
    let found: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    let mut files: Vec<String> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect();
    files.dedup();
    files
}

#[test]
fn a_repository_root_finds_its_workspaces_and_skips_ignored_folders() {
    let dir = workdir("root");
    let broken = "echo ;\n";
    put(&dir, ".gitignore", "generated/\n*.tmp.hsl\n");
    put(
        &dir,
        ".devcontainer/smtpd/src/hooks/connect/inbound.hsl",
        broken,
    );
    put(&dir, "plugin/main.hsl", broken);
    put(&dir, "generated/out.hsl", broken);
    put(&dir, "plugin/scratch.tmp.hsl", broken);
    put(&dir, ".git/hooks/x.hsl", broken);
    put(&dir, "target/debug/x.hsl", broken);
    put(&dir, "node_modules/pkg/x.hsl", broken);
    put(&dir, "plugin/notes.txt", broken);
    assert_eq!(
        files(&dir, &["."]),
        [
            ".devcontainer/smtpd/src/hooks/connect/inbound.hsl",
            "plugin/main.hsl"
        ]
    );
    // A file named explicitly is checked even where a search would skip it.
    assert_eq!(files(&dir, &["generated/out.hsl"]), ["generated/out.hsl"]);
}

#[test]
fn a_file_named_twice_is_checked_once() {
    let dir = workdir("twice");
    put(&dir, "tree/a.hsl", "echo ;\n");
    let out = hsl_in(
        &dir,
        &[
            "check",
            "--output-format",
            "json",
            "tree",
            "tree/a.hsl",
            "./tree/a.hsl",
            "tree",
        ],
    );
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    let summary = hsl_in(&dir, &["check", "tree/a.hsl", "tree/a.hsl"]);
    assert!(String::from_utf8_lossy(&summary.stderr).contains("checked 1 file "));
}

#[cfg(unix)]
#[test]
fn links_to_one_file_are_checked_once_and_other_files_each() {
    let dir = workdir("links");
    for i in 0..40 {
        put(&dir, &format!("tree/d{}/f{i}.hsl", i % 7), "echo ;\n");
    }
    std::fs::hard_link(dir.join("tree/d0/f0.hsl"), dir.join("tree/hard.hsl")).unwrap();
    std::os::unix::fs::symlink(dir.join("tree/d1/f1.hsl"), dir.join("tree/soft.hsl")).unwrap();
    let found = files(&dir, &["tree", "tree/d2/f2.hsl"]);
    assert_eq!(found.len(), 40, "{found:?}");
    let named = |p: &str| found.iter().filter(|f| f.as_str() == p).count();
    assert_eq!(named("tree/d0/f0.hsl") + named("tree/hard.hsl"), 1);
    assert_eq!(named("tree/d1/f1.hsl") + named("tree/soft.hsl"), 1);
    assert_eq!(named("tree/d2/f2.hsl"), 1);
    let mut sorted = found.clone();
    sorted.sort();
    assert_eq!(found, sorted, "reported in the order of their paths");
}
