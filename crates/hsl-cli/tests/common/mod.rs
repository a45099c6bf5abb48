//! Running the built `hsl` binary from the end-to-end tests.

#![allow(dead_code)] // each test file uses the part it needs

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's `testdata/` directory.
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

/// Runs `hsl ARGS` in `dir`.
pub fn hsl_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hsl"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("hsl runs")
}

/// Runs `hsl ARGS` in `testdata/`.
pub fn hsl(args: &[&str]) -> Output {
    hsl_in(&testdata(), args)
}
