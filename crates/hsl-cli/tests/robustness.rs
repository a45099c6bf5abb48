//! Hostile input to `hsl check` ends quickly, within bounded memory, with a
//! clear message and the documented exit code. The bounds are generous for
//! a loaded 2-core machine running an unoptimised build.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run produced.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// Peak resident memory in KiB, where the platform tells it.
    peak_kib: Option<u64>,
}

/// Peak resident memory of a running process (Linux only).
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `hsl ARGS` in `dir`, sampling its memory until it ends.
fn hsl(dir: &Path, args: &[&str]) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hsl"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hsl runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut peak = None;
    let status = loop {
        if let Some(kib) = peak_kib(child.id()) {
            peak = Some(peak.unwrap_or(0).max(kib));
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "hsl {args:?} still runs after two minutes"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        code: status.code(),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        elapsed: started.elapsed(),
        peak_kib: peak,
    }
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hsl-robust-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn assert_bounded(run: &Run, seconds: u64, mib: u64) {
    assert!(
        run.elapsed < Duration::from_secs(seconds),
        "took {:?}",
        run.elapsed
    );
    if let Some(kib) = run.peak_kib {
        assert!(kib < mib * 1024, "peak memory {kib} KiB");
    }
}

#[test]
fn diagnostics_on_a_long_line_are_windowed_and_capped() {
    let dir = scratch("long-line");
    std::fs::write(dir.join("braces.hsl"), "${".repeat(8192)).unwrap();
    std::fs::write(dir.join("nuls.hsl"), vec![0u8; 40 * 1024]).unwrap();
    let run = hsl(&dir, &["check", "braces.hsl", "nuls.hsl"]);
    assert_eq!(run.code, Some(1));
    assert_bounded(&run, 30, 300);
    // 194 MB before: the whole 16 KB line per diagnostic.
    assert!(run.stdout.len() < 200_000, "{} bytes", run.stdout.len());
    assert!(run
        .stdout
        .contains("note: line 1 is 16384 characters long; columns 159–239 shown"));
    assert!(
        run.stdout.contains(
            "braces.hsl: 902 more diagnostics not shown (`--max-diagnostics 0` shows all)"
        ),
        "{}",
        &run.stdout[run.stdout.len() - 400..]
    );
    // A run of 40,960 NULs is one finding.
    assert_eq!(run.stdout.matches("unexpected character `\\0`").count(), 1);
    let all = hsl(&dir, &["check", "--max-diagnostics", "0", "braces.hsl"]);
    assert!(!all.stdout.contains("more diagnostics not shown"));
}

#[test]
fn a_long_cache_chain_parses_in_linear_time() {
    let dir = scratch("cache");
    std::fs::write(dir.join("cache.hsl"), "cache [] ".repeat(40_000)).unwrap();
    let run = hsl(&dir, &["check", "cache.hsl"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout.matches("error[").count(), 1, "{}", run.stdout);
    assert!(run.stdout.contains("unexpected keyword `cache`"));
    assert_bounded(&run, 60, 300);
}

#[test]
fn a_long_else_if_chain_stops_at_the_nesting_limit() {
    let dir = scratch("else-if");
    let mut text = String::from("if ($a) { echo 0; }");
    for i in 1..200_000 {
        text.push_str(&format!(" else if ($a) {{ echo {i}; }}"));
    }
    std::fs::write(dir.join("chain.hsl"), text).unwrap();
    let run = hsl(&dir, &["check", "chain.hsl"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stdout.matches("error[").count(), 1, "{}", run.stdout);
    assert!(run
        .stdout
        .contains("error[HSL013]: statements nested more than 1000 levels deep"));
    assert_bounded(&run, 60, 400);
}

#[test]
fn files_over_the_size_limit_are_refused() {
    let dir = scratch("size");
    std::fs::write(dir.join("big.hsl"), "echo 1;\n".repeat(2000)).unwrap();
    std::fs::write(dir.join("small.hsl"), "echo 1;\n").unwrap();
    let run = hsl(
        &dir,
        &["check", "--max-file-size", "8K", "big.hsl", "small.hsl"],
    );
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains(
            "error: big.hsl: file is larger than the limit of 8192 bytes (raise it with `--max-file-size` or `max-file-size` in hsl.toml)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("checked 1 file"), "{}", run.stderr);
    assert_eq!(
        hsl(&dir, &["check", "--max-file-size", "1M", "big.hsl"]).code,
        Some(0)
    );
}

#[test]
fn workspace_files_read_for_the_includers_graph_keep_the_size_limit_and_encoding() {
    let dir = scratch("size-workspace");
    let files = dir.join("ws/src/files");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::create_dir_all(dir.join("ws/src/hooks/connect")).unwrap();
    // `a.hsl` is checked first; the includers graph it needs reads the
    // others, which are then checked from what was read.
    std::fs::write(files.join("a.hsl"), "echo 1;\n").unwrap();
    std::fs::write(files.join("big.hsl"), "echo 1;\n".repeat(2000)).unwrap();
    std::fs::write(files.join("latin1.hsl"), b"echo \"caf\xe9\";\n").unwrap();
    std::fs::write(
        dir.join("ws/src/hooks/connect/inbound.hsl"),
        "include \"file://a.hsl\";\n",
    )
    .unwrap();
    let run = hsl(&dir, &["check", "--max-file-size", "8K", "ws"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: ws/src/files/big.hsl: file is larger than the limit of 8192 bytes"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("file is not valid UTF-8"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("checked 3 files"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_without_reading() {
    let dir = scratch("special");
    let fifo = dir.join("pipe.hsl");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let run = hsl(&dir, &["check", "/dev/zero"]);
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stderr.trim(),
        "error: /dev/zero: not a regular file (a device); skipped"
    );
    assert_bounded(&run, 20, 200);
    if made.is_ok_and(|s| s.success()) {
        let run = hsl(&dir, &["check", "pipe.hsl"]);
        assert_eq!(run.code, Some(2));
        assert!(run
            .stderr
            .contains("error: pipe.hsl: not a regular file (a FIFO); skipped"));
        assert_bounded(&run, 20, 200);
    }
}

#[cfg(unix)]
#[test]
fn run_and_simulate_refuse_special_files() {
    let dir = scratch("special-run");
    let fifo = dir.join("pipe.eml");
    if !Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        return;
    }
    std::fs::write(
        dir.join("s.yaml"),
        "conversation:\n  - EHLO a\n  - MAIL FROM:<a@b>\n  - RCPT TO:<c@d>\n  - DATA\n  - { message: pipe.eml }\n",
    )
    .unwrap();
    let run = hsl(&dir, &["simulate", "s.yaml"]);
    assert_eq!(run.code, Some(2), "{}", run.stdout);
    assert!(
        run.stderr.contains("pipe.eml: not a regular file (a FIFO)"),
        "{}",
        run.stderr
    );
    assert_bounded(&run, 20, 200);
    let run = hsl(&dir, &["run", "pipe.eml"]);
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stderr.trim(),
        "error: pipe.eml: not a regular file (a FIFO)"
    );
    assert_bounded(&run, 20, 200);
    let run = hsl(&dir, &["run", "/dev/zero"]);
    assert_eq!(run.code, Some(2));
    assert_bounded(&run, 20, 200);
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_and_loops_reported() {
    use std::os::unix::fs::symlink;
    let dir = scratch("symlinks");
    let real = dir.join("real");
    std::fs::create_dir_all(real.join("sub")).unwrap();
    std::fs::write(real.join("sub/bad.hsl"), "echo ;").unwrap();
    std::fs::write(dir.join("target.hsl"), "echo 1 1;").unwrap();
    std::fs::create_dir_all(dir.join("tree")).unwrap();
    symlink(&real, dir.join("tree/linked")).unwrap();
    symlink(dir.join("target.hsl"), dir.join("tree/file.hsl")).unwrap();
    symlink(dir.join("tree"), dir.join("tree/loop")).unwrap();
    symlink(dir.join("missing.hsl"), dir.join("tree/broken.hsl")).unwrap();
    let run = hsl(&dir, &["check", "tree"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stdout.contains("tree/linked/sub/bad.hsl"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("tree/file.hsl"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("warning: tree/loop: symlink loop (leads back to "),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("warning: tree/broken.hsl: broken symlink (no such file or directory); skipped"));
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_or_folder_does_not_stop_the_run() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;
    let dir = scratch("unreadable");
    std::fs::create_dir_all(dir.join("tree/locked")).unwrap();
    std::fs::write(dir.join("tree/locked/a.hsl"), "echo 1;").unwrap();
    std::fs::write(dir.join("tree/secret.hsl"), "echo 1;").unwrap();
    std::fs::write(dir.join("tree/z.hsl"), "echo ;").unwrap();
    let set = |p: &str, mode| {
        std::fs::set_permissions(dir.join(p), std::fs::Permissions::from_mode(mode)).unwrap()
    };
    for p in ["", "tree"] {
        set(p, 0o755);
    }
    set("tree/z.hsl", 0o644);
    set("tree/secret.hsl", 0o000);
    set("tree/locked", 0o000);
    // Permissions do not bind the superuser: run as `nobody` then.
    let mut command = Command::new(env!("CARGO_BIN_EXE_hsl"));
    if std::fs::metadata(dir.join("tree/z.hsl")).unwrap().uid() == 0 {
        command.uid(65534).gid(65534);
    }
    let out = command
        .args(["check", "tree"])
        .current_dir(&dir)
        .output()
        .unwrap();
    set("tree/locked", 0o755);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: tree/locked: permission denied"),
        "{stderr}"
    );
    assert!(stderr.contains("error: tree/secret.hsl: permission denied"));
    assert!(stdout.contains("tree/z.hsl"), "the other files are checked");
    assert!(stderr.contains("checked 1 file"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_closed_output_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let dir = scratch("pipe");
    std::fs::write(dir.join("many.hsl"), "echo ;\n".repeat(5000)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hsl"))
        .args(["check", "--max-diagnostics", "0", "many.hsl"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        out.status.signal() == Some(13) || out.status.code() == Some(0),
        "{:?}",
        out.status
    );
}
