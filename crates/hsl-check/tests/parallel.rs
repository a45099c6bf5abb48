//! A run checks files on all threads: the scripts of a workspace are loaded
//! (read and parsed) once, however many threads ask for them.

use hsl_check::env::Sources;
use hsl_check::{Checker, Options};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

/// A workspace in a fresh temporary folder: one shared file included by
/// two hooks' scripts.
fn workspace(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("hsl-parallel-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for dir in ["src/files", "src/hooks/connect", "src/hooks/rcptto", ".git"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    // Long enough to keep a parse busy while the other threads ask.
    let body = "$limit = [\"a\" => 1, \"b\" => 2];\n".repeat(2_000);
    std::fs::write(root.join("src/files/lib.hsl"), body).unwrap();
    for hook in ["connect", "rcptto"] {
        std::fs::write(
            root.join(format!("src/hooks/{hook}/main.hsl")),
            "include \"lib.hsl\";\necho $limit[\"a\"];\n",
        )
        .unwrap();
    }
    root
}

#[test]
fn threads_asking_for_one_file_at_once_share_one_parse() {
    let root = workspace("share");
    let lib = root.join("src/files/lib.hsl");
    for round in 0..8 {
        let checker = Checker::new(Options::default());
        let start = Barrier::new(4);
        let trees: Vec<_> = std::thread::scope(|s| {
            let asks: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        start.wait();
                        checker.program(&lib).expect("the file parses")
                    })
                })
                .collect();
            asks.into_iter().map(|a| a.join().unwrap()).collect()
        });
        assert!(
            trees.iter().all(|t| Arc::ptr_eq(t, &trees[0])),
            "round {round}: the file was parsed more than once"
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn preparing_a_run_loads_the_scripts_its_checks_need_and_changes_no_result() {
    let root = workspace("prepare");
    let files: Vec<PathBuf> = ["src/files/lib.hsl", "src/hooks/connect/main.hsl"]
        .iter()
        .map(|f| root.join(f))
        .collect();
    let check = |c: &Checker, f: &Path| c.check(f, &std::fs::read_to_string(f).unwrap());
    let prepared = Checker::new(Options::default());
    prepared.prepare(&files);
    // The shared file's context needs the includers graph, which read every
    // script of the workspace: the checks need not read them again.
    for f in [
        "src/files/lib.hsl",
        "src/hooks/connect/main.hsl",
        "src/hooks/rcptto/main.hsl",
    ] {
        assert!(
            prepared.read_before(&root.join(f)).is_some(),
            "{f} not loaded"
        );
    }
    let lazy = Checker::new(Options::default());
    for f in &files {
        let (a, b) = (check(&prepared, f).unwrap(), check(&lazy, f).unwrap());
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", f.display());
    }
    // Only hooks' scripts: no graph is needed, nothing is loaded ahead.
    let hooks_only = Checker::new(Options::default());
    hooks_only.prepare(&files[1..]);
    assert!(hooks_only.read_before(&files[0]).is_none());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_runs_files_are_grouped_by_workspace_in_the_order_of_their_first_files() {
    let (a, b) = (workspace("group-a"), workspace("group-b"));
    let files = [
        b.join("src/files/lib.hsl"),
        a.join("src/hooks/connect/main.hsl"),
        b.join("src/hooks/rcptto/main.hsl"),
        a.join("src/files/lib.hsl"),
    ];
    let groups = Checker::new(Options::default()).by_workspace(&files);
    assert_eq!(groups, vec![vec![0, 2], vec![1, 3]]);
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}
