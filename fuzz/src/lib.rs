//! The entry points of the fuzz targets, one function per target. Each
//! takes arbitrary bytes and panics only on a bug: `cargo fuzz` calls them
//! from `fuzz_targets/`, and the replay test of `hsl-cli` calls them on
//! every corpus and regression file on stable.

use hsl_catalog::{HalonVersion, Hook};
use hsl_smtp::hooks::{Runner, Script, Scripts};
use hsl_smtp::server::{Config, Server};
use std::path::PathBuf;
use std::time::Duration;

/// The names of the targets, as `cargo fuzz` and the corpus folders know them.
pub const TARGETS: [&str; 5] = ["syntax", "check", "eval", "session", "smtp"];

/// Runs the target called `name` on `data`.
pub fn run(name: &str, data: &[u8]) {
    match name {
        "syntax" => syntax(data),
        "check" => check(data),
        "eval" => eval(data),
        "session" => session(data),
        "smtp" => smtp(data),
        other => panic!("unknown fuzz target `{other}`"),
    }
}

/// Lexer and parser: a tree and diagnostics whose spans lie in the text.
pub fn syntax(data: &[u8]) {
    let (text, _) = hsl_syntax::decode(data);
    let parse = hsl_syntax::parse(&text);
    for d in &parse.diagnostics {
        assert!(d.span.start <= d.span.end, "{d:?}");
        assert!(d.span.end as usize <= text.len(), "{d:?}");
        assert!(!d.message.is_empty());
        for l in &d.labels {
            assert!(l.span.start <= l.span.end && l.span.end as usize <= text.len());
        }
    }
}

/// A scratch folder of this process for files the targets write.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hsl-fuzz-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Splits `data` at NUL-free `\n----\n` lines into at most three files.
fn files(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() < 2 {
        match rest.windows(6).position(|w| w == b"\n----\n") {
            Some(at) => {
                parts.push(&rest[..at]);
                rest = &rest[at + 6..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

/// The checker on a small workspace: the first part of the input is an
/// `eod` hook script, the others are `src/files/a.hsl` and `b.hsl`, which it
/// may include or import. An editor's checker, which keeps the checks of
/// the script's functions, then checks the script with one character in
/// its middle removed: it must find what a fresh checker finds.
pub fn check(data: &[u8]) {
    let root = scratch("check");
    let hook = root.join("src/hooks/eod/main.hsl");
    let parts = files(data);
    let paths = [
        hook.clone(),
        root.join("src/files/a.hsl"),
        root.join("src/files/b.hsl"),
    ];
    for dir in [root.join("src/hooks/eod"), root.join("src/files")] {
        std::fs::create_dir_all(dir).expect("workspace folders");
    }
    for (i, path) in paths.iter().enumerate() {
        std::fs::write(path, parts.get(i).copied().unwrap_or_default()).expect("workspace file");
    }
    let checker = hsl_check::Checker::new(hsl_check::Options::default());
    let (text, _) = hsl_syntax::decode(parts[0]);
    if let Ok(found) = checker.check(&hook, &text) {
        for d in found {
            assert!(d.span.start <= d.span.end, "{d:?}");
        }
    }
    let editor = hsl_check::Checker::reusing_parts(hsl_check::Options::default());
    let _ = editor.check(&hook, &text);
    let mut edited = text.into_owned();
    if let Some((at, _)) = edited.char_indices().nth(edited.chars().count() / 2) {
        edited.remove(at);
    }
    let fresh = hsl_check::Checker::new(hsl_check::Options::default());
    assert_eq!(
        editor.check(&hook, &edited).ok(),
        fresh.check(&hook, &edited).ok(),
        "kept checks differ after an edit"
    );
}

/// The interpreter under tight limits: any script ends, with or without an
/// error, well within a second.
pub fn eval(data: &[u8]) {
    let (text, _) = hsl_syntax::decode(data);
    let options = hsl_eval::Options {
        limits: hsl_eval::Limits {
            steps: 20_000,
            depth: 64,
            time: Some(Duration::from_millis(500)),
            memory: 4 << 20,
        },
        ..Default::default()
    };
    let mut output = 0usize;
    let _ = hsl_eval::run_source(&text, "fuzz.hsl", &options, &mut |bytes| {
        output += bytes.len();
    });
}

/// The session reader: any file is read or refused with an error.
pub fn session(data: &[u8]) {
    let path = scratch("session").join("session.yaml");
    std::fs::write(&path, data).expect("session file");
    let _ = hsl_smtp::session::Session::load(&path);
}

/// The hook scripts the SMTP target's server runs (from `testdata/`).
fn scripts() -> Scripts {
    let dir = scratch("smtp");
    let mut scripts = Scripts::new();
    for (hook, name, text) in [
        (
            Hook::Connect,
            "accept",
            include_str!("../../testdata/simulate/robustness/accept.hsl"),
        ),
        (
            Hook::MailFrom,
            "mixed",
            include_str!("../../testdata/simulate/robustness/mixed.hsl"),
        ),
        (
            Hook::RcptTo,
            "reject",
            include_str!("../../testdata/simulate/robustness/reject.hsl"),
        ),
        (
            Hook::Eod,
            "throws",
            include_str!("../../testdata/simulate/robustness/throws.hsl"),
        ),
    ] {
        let path = dir.join(format!("{name}.hsl"));
        std::fs::write(&path, text).expect("script file");
        let script = Script::load(&path, format!("{name}.hsl")).expect("fuzz script loads");
        scripts.insert(hook, script);
    }
    scripts
}

/// The SMTP server core fed arbitrary client bytes, line by line: every
/// reply is a well-formed reply.
pub fn smtp(data: &[u8]) {
    let scripts = scripts();
    let cfg = Config {
        hostname: "mx.example.net".into(),
        server_id: "inbound".into(),
        local: ("10.0.0.1".into(), 25),
        remote: ("192.0.2.10".into(), 41666),
        remote_ptr: None,
        message_size: 10_000,
        max_recipients: 3,
        tls: None,
        auth: vec!["PLAIN".into(), "LOGIN".into(), "CRAM-MD5".into()],
        transport: "mx".into(),
        id_seed: 1,
        clock: 1_767_268_800.0,
    };
    let runner = Runner::new(
        &scripts,
        HalonVersion::V6,
        cfg.clock,
        1,
        Default::default(),
        2_000,
    );
    let mut server = Server::new(cfg, runner);
    server.connect();
    for line in data.split(|&b| b == b'\n') {
        if server.is_closed() {
            break;
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        server.line(line);
        for reply in server.take().1 {
            assert!(
                (200..600).contains(&reply.code),
                "reply code {}",
                reply.code
            );
            for wire in reply.wire_lines() {
                assert!(!wire.contains(['\r', '\n']), "line break inside {wire:?}");
            }
        }
    }
    server.finish();
    server.take();
}
