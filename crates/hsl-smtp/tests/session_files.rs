//! Session files that cannot be used: wrong types at every key, huge and
//! oversized files. Each gives a clear error, with a location when the
//! reader can tell one.

use hsl_smtp::session::{Session, SessionError, MAX_FILE_BYTES};
use std::path::PathBuf;

/// Writes `text` to a scratch file named `name` and loads it.
fn load(name: &str, text: &str) -> SessionError {
    let file = scratch(name);
    std::fs::write(&file, text).unwrap();
    let error = Session::load(&file).expect_err(name);
    std::fs::remove_file(&file).unwrap();
    error
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("session-files");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{name}-{}.yaml", std::process::id()))
}

#[test]
fn a_wrong_type_at_any_key_is_located_and_named() {
    let cases = [
        ("name: [1]", (1, 7), "name: invalid type: sequence"),
        ("halon: 7", (1, 8), "halon: unknown Halon version `7`"),
        ("workspace: 5", (1, 12), "`5` not found"),
        ("hooks: [x]", (1, 8), "hooks: invalid type: sequence"),
        ("hooks: { rcptto: 5 }", (1, 18), "hooks: `5` not found"),
        ("server: 5", (1, 9), "server: invalid type: integer `5`"),
        (
            "server: { port: 70000 }",
            (1, 17),
            "server.port: invalid value",
        ),
        (
            "server: { auth: PLAIN }",
            (1, 17),
            "server.auth: invalid type",
        ),
        ("client: { ip: [1] }", (1, 15), "client.ip: invalid type"),
        (
            "tls: { protocol: x }",
            (1, 6),
            "tls: missing field `cipher`",
        ),
        ("clock: true", (1, 8), "clock: invalid type: boolean"),
        ("clock: .nan", (1, 8), "clock: `NaN` is not a time"),
        (
            "clock: yesterday",
            (1, 8),
            "clock: `yesterday` is not an RFC 3339 time",
        ),
        (
            "limits: { steps: x }",
            (1, 18),
            "limits.steps: invalid type",
        ),
        ("stubs: 5", (1, 8), "stubs: invalid type"),
        (
            "stubs: [{ function: f, args: 5 }]",
            (1, 30),
            "stubs[0].args: invalid type",
        ),
        (
            "expect: [{ step: x }]",
            (1, 18),
            "expect[0].step: invalid type",
        ),
        (
            "expect: [{ context: 5 }]",
            (1, 21),
            "expect[0].context: invalid type",
        ),
        ("conversation: 5", (1, 15), "conversation: invalid type"),
        (
            "conversation: [~]",
            (1, 16),
            "conversation[0]: invalid type: unit",
        ),
        (
            "conversation: [{ data: x, message: m }]",
            (1, 36),
            "conversation[0]: `m` not found",
        ),
        (
            "limits: { steps: 100000001 }",
            (1, 18),
            "limits: `100000001` steps are more than the maximum of 100000000",
        ),
        (
            "expect: [{ command: QUIT }, { step: 9 }]",
            (1, 37),
            "expect[1].step: invalid value: integer `9`, expected a whole number from 1 to 1 (the conversation's items)",
        ),
        (
            "limits: { recipients: many }",
            (1, 23),
            "limits.recipients: invalid type: string \"many\", expected a whole number (0 or more)",
        ),
        (
            "workspace: plain.txt",
            (1, 12),
            "`plain.txt` is not a directory",
        ),
        (
            "hooks: { rcptto: . }",
            (1, 18),
            "hooks: `.` is a directory, not a file",
        ),
        (
            "conversation: [{ message: . }]",
            (1, 27),
            "conversation[0]: `.` is a directory, not a file",
        ),
    ];
    std::fs::write(scratch("plain").with_file_name("plain.txt"), "").unwrap();
    for (i, (yaml, at, message)) in cases.into_iter().enumerate() {
        let mut text = format!("{yaml}\n");
        if !yaml.starts_with("conversation") {
            text.push_str("conversation:\n  - QUIT\n");
        }
        let e = load(&format!("type-{i}"), &text);
        assert_eq!(e.location, Some(at), "{yaml}: {}", e.message);
        assert!(e.message.starts_with(message), "{yaml}: {}", e.message);
    }
}

#[test]
fn a_huge_file_reports_its_error_at_the_right_line() {
    let mut text = String::from("name: huge\nconversation:\n");
    for _ in 0..200_000 {
        text.push_str("  - NOOP\n");
    }
    text.push_str("  - [not, a, line]\n");
    let e = load("huge", &text);
    assert_eq!(e.location, Some((200_003, 5)), "{}", e.message);
}

#[test]
fn oversized_and_unreadable_files_are_refused_before_reading() {
    let file = scratch("oversized");
    let f = std::fs::File::create(&file).unwrap();
    f.set_len(MAX_FILE_BYTES + 1).unwrap(); // sparse: nothing is written
    let e = Session::load(&file).unwrap_err();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(
        (e.location, e.message.as_str()),
        (None, "larger than 64 MiB")
    );
    let dir = scratch("directory");
    std::fs::create_dir_all(&dir).unwrap();
    let e = Session::load(&dir).unwrap_err();
    assert_eq!(e.message, "a directory, not a session file");
    let e = Session::load(&scratch("missing")).unwrap_err();
    assert_eq!(e.message, "no such file");
}

#[test]
fn deep_flow_nesting_is_refused_in_linear_time() {
    let depth = 200_000;
    let text = format!(
        "conversation: [QUIT]\nexpect:\n  - context: {{ deep: {}{} }}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let started = std::time::Instant::now();
    let e = load("deep", &text);
    let elapsed = started.elapsed();
    assert_eq!(e.location, Some((3, 22 + 127)), "{}", e.message);
    assert_eq!(
        e.message,
        "values are nested too deeply (more than 128 levels)"
    );
    assert!(elapsed.as_secs() < 2, "{elapsed:?} for {depth} levels");
}
