//! Maintenance tasks for the hsl workspace.
//!
//! `cargo run -p xtask -- gen-catalog [--facts DIR] [--check]` regenerates
//! `crates/hsl-catalog/data/` from the Halon facts (JSON) and
//! `xtask/overlay.yaml`; with `--check` it only reports whether the checked-in
//! files are up to date.
//!
//! `cargo run -p xtask -- fuzz [TARGET] [--time SECS]` runs the fuzz targets
//! of `fuzz/` (see `fuzz.rs`).
//!
//! `cargo run -p xtask -- man [DIR]` (or `cargo xtask man`) writes the
//! manual pages of `hsl` and its commands (clap_mangen) into DIR (default
//! `target/man`).

mod catalog;
mod fuzz;

use std::path::PathBuf;
use std::process::ExitCode;

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen-catalog") => {
            let mut facts = workspace_root().join("../shared/halon-facts");
            let mut check = false;
            let mut rest = args[1..].iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--check" => check = true,
                    "--facts" => match rest.next() {
                        Some(dir) => facts = PathBuf::from(dir),
                        None => return usage("--facts needs a directory"),
                    },
                    other => return usage(&format!("unknown argument `{other}`")),
                }
            }
            match catalog::run(&facts, &workspace_root(), check) {
                Ok(message) => {
                    println!("{message}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("fuzz") => {
            let mut target = None;
            let mut seconds = 60;
            let mut rest = args[1..].iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--time" => match rest.next().and_then(|s| s.parse().ok()) {
                        Some(s) => seconds = s,
                        None => return usage("--time needs a number of seconds"),
                    },
                    t if target.is_none() && !t.starts_with('-') => target = Some(t),
                    other => return usage(&format!("unknown argument `{other}`")),
                }
            }
            match fuzz::run(&workspace_root(), target, seconds) {
                Ok(summary) => {
                    println!("{summary}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("man") => {
            let dir = match &args[1..] {
                [] => workspace_root().join("target/man"),
                [dir] => PathBuf::from(dir),
                _ => return usage("man takes at most one folder"),
            };
            man(&dir)
        }
        _ => usage("expected a task"),
    }
}

/// Builds `hsl` and has it write its manual pages into `dir`.
fn man(dir: &std::path::Path) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["run", "--quiet", "-p", "hsl-cli", "--", "man"])
        .arg(dir)
        .current_dir(workspace_root())
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: cargo: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!(
        "error: {problem}\nusage: cargo run -p xtask -- gen-catalog [--facts DIR] [--check]\n       cargo run -p xtask -- fuzz [TARGET] [--time SECS]\n       cargo run -p xtask -- man [DIR]"
    );
    ExitCode::from(2)
}
