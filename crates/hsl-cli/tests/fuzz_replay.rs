//! Replays every file of the fuzz corpora (`fuzz/corpus/TARGET/`) and every
//! input that once made a target fail (`fuzz/regressions/TARGET/`) through
//! the fuzz targets' own entry points, on stable, as an ordinary test.

#[path = "../../../fuzz/src/lib.rs"]
mod targets;

use std::path::Path;

fn replay(folder: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz")
        .join(folder);
    let mut count = 0;
    for target in targets::TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| targets::run(target, &data));
            assert!(outcome.is_ok(), "{target} fails on {}", file.display());
            count += 1;
        }
    }
    count
}

#[test]
fn every_corpus_file_passes_every_target() {
    let count = hsl_syntax::run_with_large_stack(|| replay("corpus"));
    assert!(count > 0, "the corpora are empty");
}

#[test]
fn every_regression_file_passes() {
    hsl_syntax::run_with_large_stack(|| replay("regressions"));
}
