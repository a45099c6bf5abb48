//! The command-line conventions of `hsl check` users know from other
//! linters: colour control, quiet, warnings as errors, exit-zero,
//! statistics, standard input, sharding, and a stable output order.

mod common;

use common::hsl_in;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// An error (HSL101, unknown function) and a warning (HSL115, unused).
const MIXED: &str = "// hsl: hook=connect\necho lenght(1);\necho lenght(2);\n$unused = 5;\n";
const WARNING_ONLY: &str = "// hsl: hook=connect\n$unused = 5;\n";

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hsl-conv-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn hsl_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hsl"));
    command.args(args).current_dir(dir);
    for var in ["NO_COLOR", "CLICOLOR_FORCE"] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn color_follows_the_flag_and_the_environment() {
    let dir = workdir("color");
    std::fs::write(dir.join("s.hsl"), MIXED).unwrap();
    let colored = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["check"];
        all.extend(args);
        all.push("s.hsl");
        let out = hsl_env(&dir, &all, env);
        assert_eq!(out.status.code(), Some(1));
        text(&out.stdout).contains("\x1b[")
    };
    assert!(!colored(&[], &[]), "a pipe gets no colour by default");
    assert!(colored(&["--color", "always"], &[]));
    assert!(colored(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!colored(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(colored(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!colored(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    assert!(!colored(&[], &[("CLICOLOR_FORCE", "0")]));
}

#[test]
fn quiet_prints_the_diagnostics_without_the_summary() {
    let dir = workdir("quiet");
    std::fs::write(dir.join("s.hsl"), MIXED).unwrap();
    let loud = hsl_in(&dir, &["check", "s.hsl"]);
    assert!(text(&loud.stderr).contains("checked 1 file"));
    let quiet = hsl_in(&dir, &["check", "--quiet", "s.hsl"]);
    assert_eq!(quiet.status.code(), Some(1));
    assert_eq!(text(&quiet.stderr), "");
    assert!(text(&quiet.stdout).contains("HSL101"));
}

#[test]
fn deny_warnings_and_exit_zero_change_the_exit_code() {
    let dir = workdir("exit");
    std::fs::write(dir.join("warn.hsl"), WARNING_ONLY).unwrap();
    std::fs::write(dir.join("err.hsl"), MIXED).unwrap();
    let code = |args: &[&str]| {
        let mut all = vec!["check"];
        all.extend(args);
        hsl_in(&dir, &all).status.code()
    };
    assert_eq!(code(&["warn.hsl"]), Some(0));
    assert_eq!(code(&["--deny-warnings", "warn.hsl"]), Some(1));
    assert_eq!(code(&["err.hsl"]), Some(1));
    assert_eq!(code(&["--exit-zero", "err.hsl"]), Some(0));
    assert_eq!(
        code(&["--exit-zero", "err.hsl", "missing.hsl"]),
        Some(2),
        "a file that cannot be read still fails the run"
    );
    let both = hsl_in(
        &dir,
        &["check", "--exit-zero", "--deny-warnings", "err.hsl"],
    );
    assert_eq!(both.status.code(), Some(2), "the two flags contradict");
}

#[test]
fn statistics_count_diagnostics_per_code() {
    let dir = workdir("stats");
    std::fs::write(dir.join("s.hsl"), MIXED).unwrap();
    let out = hsl_in(&dir, &["check", "--statistics", "s.hsl"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "2  HSL101  unknown-function\n1  HSL115  unused-variable\n"
    );
    let json = hsl_in(
        &dir,
        &["check", "--statistics", "--output-format", "json", "s.hsl"],
    );
    let counts: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(counts[0]["code"], "HSL101");
    assert_eq!(counts[0]["count"], 2);
    assert_eq!(counts[1]["name"], "unused-variable");
}

fn check_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hsl"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn standard_input_is_checked_as_the_named_file() {
    let dir = workdir("stdin");
    std::fs::create_dir_all(dir.join("src/hooks/helo")).unwrap();
    let script = "$host = $arguments[\"hots\"];\necho $host;\n";
    let out = check_stdin(
        &dir,
        &[
            "check",
            "--output-format",
            "json",
            "--stdin-filename",
            "src/hooks/helo/inbound.hsl",
            "-",
        ],
        script,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found[0]["file"], "src/hooks/helo/inbound.hsl");
    assert_eq!(found[0]["code"], "HSL105", "checked as the helo hook");
    let unnamed = check_stdin(&dir, &["check", "-"], "echo ;\n");
    assert_eq!(unnamed.status.code(), Some(1));
    assert!(
        text(&unnamed.stdout).contains("┌─ -:1:"),
        "{}",
        text(&unnamed.stdout)
    );
}

/// The files of a JSON report, in order of appearance, each once.
fn files_of(out: &Output) -> Vec<String> {
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut files: Vec<String> = Vec::new();
    for d in found.as_array().unwrap() {
        let file = d["file"].as_str().unwrap().to_string();
        if files.last() != Some(&file) {
            files.push(file);
        }
    }
    files
}

#[test]
fn many_files_come_out_in_sorted_order_and_shards_split_them() {
    let dir = workdir("shards");
    std::fs::create_dir_all(dir.join("tree")).unwrap();
    for i in 0..60 {
        std::fs::write(dir.join(format!("tree/f{i:02}.hsl")), "echo ;\n").unwrap();
    }
    let all = hsl_in(&dir, &["check", "--output-format", "json", "tree"]);
    let files = files_of(&all);
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files.len(), 60);
    assert_eq!(files, sorted, "stable order whatever thread checked a file");
    let again = hsl_in(&dir, &["check", "--output-format", "json", "tree"]);
    assert_eq!(all.stdout, again.stdout);
    let mut union = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = hsl_in(
            &dir,
            &[
                "check",
                "--output-format",
                "json",
                "--shard",
                &shard,
                "tree",
            ],
        );
        let part = files_of(&out);
        assert!(part.len() > 5 && part.len() < 40, "{shard}: {}", part.len());
        union.extend(part);
    }
    union.sort();
    assert_eq!(union, sorted, "each file in exactly one shard");
    let bad = hsl_in(&dir, &["check", "--shard", "4/3", "tree"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("1 ≤ K ≤ N"));
}

#[test]
fn simulate_shards_split_the_sessions() {
    let sessions = common::testdata().join("simulate/sessions");
    let names = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["simulate", "--output-format", "json"];
        all.extend(args);
        all.push("sessions");
        let out = hsl_in(sessions.parent().unwrap(), &all);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["file"].as_str().unwrap().to_string())
            .collect()
    };
    let mut whole = names(&[]);
    let mut union: Vec<String> = (1..=2)
        .flat_map(|k| names(&["--shard", &format!("{k}/2")]))
        .collect();
    assert!(whole.len() > 10);
    whole.sort();
    union.sort();
    assert_eq!(union, whole);
}

#[test]
fn watch_checks_again_after_a_change() {
    use std::io::BufRead;
    use std::time::{Duration, Instant};
    let dir = workdir("watch");
    std::fs::create_dir_all(dir.join("tree")).unwrap();
    std::fs::write(dir.join("tree/a.hsl"), "echo 1;\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hsl"))
        .args(["check", "--watch", "tree"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            if tx.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    let wait_for = |wanted: &str| {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) if line.contains(wanted) => return line,
                Ok(_) => {}
                Err(_) => return String::new(),
            }
        }
    };
    let first = wait_for("checked 1 file");
    let watching = wait_for("watching for changes");
    std::fs::write(dir.join("tree/a.hsl"), "echo ;\n").unwrap();
    let second = wait_for("checked 1 file");
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains("0 errors"), "{first}");
    assert!(!watching.is_empty());
    assert!(second.contains("1 error,"), "{second:?}");
}
