//! `--watch`: run again whenever a file below the watched paths changes.

use notify::{EventKind, RecursiveMode, Watcher};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

/// Changes closer together than this are taken as one (an editor's save
/// often writes, renames and touches in a burst).
const SETTLE: Duration = Duration::from_millis(150);

/// Runs `again` now and after every burst of changes below `paths` (HSL
/// scripts, `hsl.toml`, the YAML configuration); returns only when watching
/// fails (exit code 2).
pub fn run(paths: &[PathBuf], mut again: impl FnMut()) -> ExitCode {
    let (tx, rx) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: cannot watch for changes: {e}");
            return ExitCode::from(2);
        }
    };
    for path in paths {
        if let Err(e) = watcher.watch(path, RecursiveMode::Recursive) {
            eprintln!("error: {}: cannot watch: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    again();
    eprintln!("watching for changes (Ctrl-C ends)");
    loop {
        let Ok(event) = rx.recv() else {
            return ExitCode::from(2);
        };
        if !event.is_ok_and(|e| relevant(&e)) {
            continue;
        }
        while rx.recv_timeout(SETTLE).is_ok() {}
        eprintln!("\nchange detected: checking again");
        again();
    }
}

/// A change to content that checking reads, not a mere access.
fn relevant(event: &notify::Event) -> bool {
    let kind = matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
    );
    kind && event.paths.iter().any(|p| {
        p.extension()
            .is_some_and(|e| e == "hsl" || e == "yaml" || e == "yml" || e == "json")
            || p.file_name().is_some_and(|n| n == "hsl.toml")
    })
}
