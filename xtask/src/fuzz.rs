//! `cargo run -p xtask -- fuzz [TARGET] [--time SECS]`: runs the cargo-fuzz
//! targets of `fuzz/` one after another, each for the given time, on the
//! nightly toolchain, and sums up each run (time, executions, outcome).
//! The seed corpus `fuzz/corpus/TARGET/` is read, not written: inputs the
//! fuzzer finds go to `fuzz/target/corpus/TARGET/`. New crashes land in
//! `fuzz/artifacts/TARGET/`; copy the ones you fix to
//! `fuzz/regressions/TARGET/` so the replay test keeps them.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// The fuzz targets, in the order they run.
const TARGETS: [&str; 5] = ["syntax", "check", "eval", "session", "smtp"];

/// Runs `target` (or every target) for `seconds` each; fails when any
/// target found a failure, after running them all.
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
    let mut failed = false;
    for target in targets {
        let found = fuzz.join("target/corpus").join(target);
        std::fs::create_dir_all(&found)
            .map_err(|e| format!("cannot create {}: {e}", found.display()))?;
        let mut child = Command::new("cargo")
            .current_dir(&fuzz)
            .args(["+nightly", "fuzz", "run", target])
            .arg(&found)
            .arg(fuzz.join("corpus").join(target))
            .args(["--", "-rss_limit_mb=2048", "-timeout=10", "-print_final_stats=1"])
            .arg(format!("-max_total_time={seconds}"))
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run `cargo +nightly fuzz` ({e}); install it with `cargo install cargo-fuzz`"))?;
        let mut executions = None;
        for line in BufReader::new(child.stderr.take().expect("piped stderr")).lines() {
            let line = line.unwrap_or_default();
            eprintln!("{line}");
            executions = executions.or_else(|| executed_units(&line));
        }
        let status = child
            .wait()
            .map_err(|e| format!("cargo fuzz did not finish: {e}"))?;
        failed |= !status.success();
        summary.push(line(target, seconds, executions, status.success()));
    }
    let summary = summary.join("\n");
    if failed {
        Err(summary)
    } else {
        Ok(summary)
    }
}

/// The executions libFuzzer counts in its final statistics, if `line` is
/// that statistic.
fn executed_units(line: &str) -> Option<u64> {
    line.strip_prefix("stat::number_of_executed_units:")?
        .trim()
        .parse()
        .ok()
}

/// One target's line of the summary.
fn line(target: &str, seconds: u64, executions: Option<u64>, passed: bool) -> String {
    let executions = executions.map_or("executions unknown".into(), |n| format!("{n} executions"));
    let outcome = if passed {
        "no failure"
    } else {
        "FAILED (see fuzz/artifacts)"
    };
    format!("{target}: {seconds} s, {executions}, {outcome}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_executions_from_the_final_statistics() {
        assert_eq!(
            executed_units("stat::number_of_executed_units: 123456"),
            Some(123456)
        );
        assert_eq!(executed_units("#4096\tpulse  cov: 10 exec/s: 40"), None);
    }

    #[test]
    fn sums_up_a_run_in_one_line() {
        assert_eq!(
            line("eval", 900, Some(40_000), true),
            "eval: 900 s, 40000 executions, no failure"
        );
        assert_eq!(
            line("smtp", 60, None, false),
            "smtp: 60 s, executions unknown, FAILED (see fuzz/artifacts)"
        );
    }
}
