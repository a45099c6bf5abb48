//! `cargo run -p xtask -- fuzz [TARGET] [--time SECS]`: runs the cargo-fuzz
//! targets of `fuzz/` one after another, each for the given time, on the
//! nightly toolchain. New crashes land in `fuzz/artifacts/TARGET/`; copy the
//! ones you fix to `fuzz/regressions/TARGET/` so the replay test keeps them.

use std::path::Path;
use std::process::Command;

/// The fuzz targets, in the order they run.
const TARGETS: [&str; 5] = ["syntax", "check", "eval", "session", "smtp"];

/// Runs `target` (or every target) for `seconds` each.
pub fn run(root: &Path, target: Option<&str>, seconds: u64) -> Result<String, String> {
    let targets: Vec<&str> = match target {
        Some(t) if TARGETS.contains(&t) => vec![t],
        Some(t) => {
            return Err(format!(
                "unknown fuzz target `{t}` (targets: {})",
                TARGETS.join(", ")
            ))
        }
        None => TARGETS.to_vec(),
    };
    let fuzz = root.join("fuzz");
    let mut summary = Vec::new();
    for target in targets {
        let corpus = fuzz.join("corpus").join(target);
        let status = Command::new("cargo")
            .current_dir(&fuzz)
            .args(["+nightly", "fuzz", "run", target])
            .arg(&corpus)
            .args(["--", "-rss_limit_mb=2048", "-timeout=10"])
            .arg(format!("-max_total_time={seconds}"))
            .status()
            .map_err(|e| format!("cannot run `cargo +nightly fuzz` ({e}); install it with `cargo install cargo-fuzz`"))?;
        let outcome = if status.success() {
            "no failure"
        } else {
            "FAILED (see fuzz/artifacts)"
        };
        summary.push(format!("{target}: {seconds} s, {outcome}"));
        if !status.success() {
            return Err(summary.join("\n"));
        }
    }
    Ok(summary.join("\n"))
}
