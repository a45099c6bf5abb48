//! End-to-end tests of `hsl simulate` on the sessions in `testdata/simulate`.

mod common;

use common::hsl;
use std::process::Output;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs one bundled session, expects it to pass, and returns its transcript.
fn transcript(session: &str) -> String {
    let o = hsl(&["simulate", &format!("simulate/sessions/{session}.yaml")]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    stdout(&o)
}

#[test]
fn multiple_recipients_with_mixed_verdicts() {
    insta::assert_snapshot!(transcript("relay"));
}

#[test]
fn eod_rejects_then_accepts_after_a_new_transaction() {
    insta::assert_snapshot!(transcript("spam"));
}

#[test]
fn auth_plain_and_login() {
    insta::assert_snapshot!(transcript("auth"));
}

#[test]
fn auth_multi_step_mechanism_through_reply() {
    insta::assert_snapshot!(transcript("auth-challenge"));
}

#[test]
fn proxy_rewrites_and_answers_commands() {
    insta::assert_snapshot!(transcript("proxy"));
}

#[test]
fn helo_changes_the_ehlo_extensions() {
    insta::assert_snapshot!(transcript("helo"));
}

#[test]
fn disconnect_hook_sees_the_last_reply() {
    insta::assert_snapshot!(transcript("disconnect"));
}

#[test]
fn script_error_takes_the_on_error_verdict() {
    insta::assert_snapshot!(transcript("script-error"));
}

#[test]
fn legacy_connect_sets_the_sender_ip() {
    insta::assert_snapshot!(transcript("legacy-nat64"));
}

#[test]
fn legacy_connect_reject_replies_521_and_closes() {
    insta::assert_snapshot!(transcript("legacy-reject"));
}

#[test]
fn legacy_connect_defer_replies_421_and_closes() {
    insta::assert_snapshot!(transcript("legacy-defer"));
}

#[test]
fn protocol_errors_and_limits() {
    insta::assert_snapshot!(transcript("protocol"));
}

#[test]
fn connect_rejects_and_disconnects() {
    insta::assert_snapshot!(transcript("connect-reject"));
}

#[test]
fn connect_defers_with_421() {
    insta::assert_snapshot!(transcript("connect-defer"));
}

#[test]
fn connect_reject_closes_without_disconnect_option() {
    insta::assert_snapshot!(transcript("connect-refused"));
}

#[test]
fn reply_codes_must_fit_their_verdict() {
    insta::assert_snapshot!(transcript("reply-codes"));
}

#[test]
fn connect_5x_reject_replies_521_and_closes() {
    insta::assert_snapshot!(transcript("connect-5x-reject"));
}

#[test]
fn connect_5x_defer_replies_421_and_closes() {
    insta::assert_snapshot!(transcript("connect-5x-defer"));
}

#[test]
fn connect_accept_options_and_notes() {
    insta::assert_snapshot!(transcript("connect-accept"));
}

#[test]
fn envelope_options_change_the_addresses() {
    insta::assert_snapshot!(transcript("envelope"));
}

#[test]
fn pipelined_commands_are_answered_in_order() {
    insta::assert_snapshot!(transcript("pipelining"));
}

#[test]
fn message_assertions_see_the_message_the_eod_hook_left() {
    insta::assert_snapshot!(transcript("message"));
}

#[test]
fn helo_auth_mailfrom_and_eod_defer() {
    insta::assert_snapshot!(transcript("defers"));
}

#[test]
fn proxy_script_error_replies_421_and_closes() {
    insta::assert_snapshot!(transcript("proxy-error"));
}

#[test]
fn a_directory_runs_as_a_suite() {
    let o = hsl(&["simulate", "simulate/sessions"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.ends_with("\n24 passed, 0 failed\n"), "{out}");
    assert_eq!(out.matches("PASS all expectations hold").count(), 24);
}

#[test]
fn failed_expectations_are_shown_as_a_diff_and_exit_1() {
    let o = hsl(&["simulate", "simulate/failing"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn invalid_session_files_exit_2_with_their_location() {
    let cases = [
        ("unknown-key", "4:3: server: unknown field `hostnme`"),
        (
            "unknown-hook",
            "3:3: hooks: unknown hook `rcpt` (the SMTP hooks are connect, proxy, helo, auth, mailfrom, rcptto, eod, disconnect)",
        ),
        (
            "missing-file",
            "5:16: conversation[2]: `../messages/nope.eml` not found",
        ),
        ("malformed", "4:5: conversation[1]: invalid type: sequence"),
        (
            "bad-expectation",
            "6:3: an expectation needs `command`, `step` or `hook` (or only `context` or `message`)",
        ),
        ("syntax-error", "5:1: found unexpected end of stream"),
        (
            "misspelt-key",
            "5:22: expect[0]: unknown field `verdit`; did you mean `verdict`?",
        ),
        ("duplicate-key", "5:3: server: duplicate field `id`"),
        (
            "wrong-type",
            "4:15: limits.recipients: invalid type: string \"many\", expected a whole number (0 or more)",
        ),
        (
            "nested",
            "5:149: values are nested too deeply (more than 128 levels)",
        ),
        (
            "alias-bomb",
            "4:33: YAML aliases expand to too many values (repetition limit exceeded)",
        ),
        ("binary", "1:1: not UTF-8 text: a session file is YAML"),
        ("not-utf8", "1:10: not UTF-8 text: a session file is YAML"),
        ("empty", "1:1: missing field `conversation`"),
        (
            "directory",
            " no session files (*.yaml, *.yml) in this directory",
        ),
    ];
    for (name, message) in cases {
        let file = format!("simulate/invalid/{name}.yaml");
        let o = hsl(&["simulate", &file]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        let err = stderr(&o);
        assert!(
            err.starts_with(&format!("error: {file}:{message}")),
            "{name}: {err}"
        );
        assert!(stdout(&o).is_empty(), "{name}");
    }
    let o = hsl(&["simulate", "simulate/invalid"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).ends_with("0 passed, 0 failed, 15 invalid\n"));
    assert!(
        stderr(&o).contains("invalid/directory.yaml: a directory, not a session file"),
        "a directory named like a session in a suite"
    );
    let o = hsl(&["simulate", "simulate/nope.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("simulate/nope.yaml: no such file or directory"));
    let o = hsl(&["simulate", "simulate/messages"]);
    assert_eq!(o.status.code(), Some(2), "a directory without sessions");
    assert!(stderr(&o).contains("simulate/messages: no session files"));
}

#[test]
fn json_output_has_steps_hooks_replies_and_failures() {
    let o = hsl(&[
        "simulate",
        "--output-format",
        "json",
        "simulate/sessions/relay.yaml",
        "simulate/failing/wrong-expectations.yaml",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
    assert_eq!(doc["passed"], 1);
    assert_eq!(doc["failed"], 1);
    assert_eq!(doc["errors"], serde_json::json!([]));
    let relay = &doc["sessions"][0];
    assert_eq!(relay["name"], "mixed recipients");
    assert_eq!(relay["is_test"], true);
    assert_eq!(relay["failures"], serde_json::json!([]));
    assert_eq!(relay["context"]["recipients"], 2);
    let steps = relay["steps"].as_array().unwrap();
    assert_eq!(steps[0]["client"]["kind"], "connect");
    assert_eq!(
        steps[0]["replies"][0],
        serde_json::json!({"code": 220, "lines": ["mx.example.net ESMTP"]})
    );
    let nobody = &steps[4];
    assert_eq!(nobody["index"], 4);
    assert_eq!(
        nobody["client"],
        serde_json::json!({"kind": "line", "text": "RCPT TO:<nobody@example.com>"})
    );
    assert_eq!(nobody["hooks"][0]["hook"], "rcptto");
    assert_eq!(nobody["hooks"][0]["verdict"], "Reject");
    assert_eq!(nobody["hooks"][0]["cause"], "called");
    assert_eq!(nobody["hooks"][0]["arguments"][0], "No such user");
    assert_eq!(
        nobody["replies"][0],
        serde_json::json!({"code": 554, "enhanced": [5, 1, 1], "lines": ["No such user"]})
    );
    let eod = &steps[9]["hooks"][0];
    assert_eq!(
        eod["echo"],
        serde_json::json!(["subject: Lunch on Friday?"])
    );
    assert_eq!(
        eod["queued"][1],
        serde_json::json!({"sender": "alice@example.org", "recipient": "carol@example.net", "transportid": "mx"})
    );
    assert_eq!(steps.last().unwrap()["client"]["kind"], "disconnect");
    let failures = doc["sessions"][1]["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 5);
    assert_eq!(
        failures[0],
        serde_json::json!({
            "index": 1,
            "subject": "command \"RCPT TO:<someone@elsewhere.example>\"",
            "expected": "reply 250 2.1.5",
            "actual": "reply 554 Relaying denied"
        })
    );
}

#[test]
fn json_output_lists_invalid_files_with_their_location() {
    let o = hsl(&[
        "simulate",
        "--output-format",
        "json",
        "simulate/invalid/unknown-key.yaml",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
    let e = &doc["errors"][0];
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(4), Some(3))
    );
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("unknown field `hostnme`"));
}

#[test]
fn hostile_hook_scripts_take_their_on_error_verdict_with_the_location() {
    let o = hsl(&[
        "simulate",
        "simulate/robustness/recursion-and-loop.yaml",
        "simulate/robustness/huge-string-and-missing-include.yaml",
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    for expected in [
        "mailfrom (recursion.hsl) → Defer  (on error)\n     \
         error: recursion.hsl:3:9: call depth limit of 256 exceeded\nS: 450 Try again later",
        "disconnect (loops.hsl) → Pass  (on error)\n     \
         error: loops.hsl:2:14: step limit of 100000 exceeded",
        "rcptto (huge-string.hsl) → Defer  (on error)\n     \
         error: huge-string.hsl:2:6: memory limit of 268435456 bytes exceeded",
        "disconnect (missing-include.hsl) → Pass  (on error)\n     \
         error: missing-include.hsl:2:9: uncaught exception: cannot find `nowhere.hsl`",
    ] {
        assert!(out.contains(expected), "{expected}\n---\n{out}");
    }
    // A script that does not parse cannot run at all, as in Halon.
    let o = hsl(&["simulate", "simulate/robustness/broken-script.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with(
            "error: simulate/robustness/broken-script.yaml: \
             syntax-error.hsl:2:29: unexpected `{`"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn control_characters_are_shown_escaped() {
    let o = hsl(&["simulate", "simulate/robustness/control-characters.yaml"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("C: NOOP\\nQUIT\nS: 500 5.5.2 Command unrecognized\n"),
        "{out}"
    );
    assert!(
        out.contains("C: NOOP \\x1b[2J\\x00\nS: 250 2.0.0 OK\n"),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "{out}");
}
