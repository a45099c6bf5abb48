//! Checking a session's `expect` assertions against its transcript.

use crate::session::{
    Expectation, HeaderExpectation, MessageExpectation, QueuedExpectation, Session,
};
use crate::transcript::{Client, HookRun, Step, Transcript};
use serde::Serialize;

/// An assertion that did not hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// Position in `expect` (1-based).
    pub index: usize,
    /// What it was about, e.g. `command "RCPT TO:<bob@example.com>"`.
    pub subject: String,
    /// What was expected.
    pub expected: String,
    /// What happened.
    pub actual: String,
}

/// Every failed assertion, in order.
pub fn check(session: &Session, transcript: &Transcript) -> Vec<Failure> {
    let mut failures = Vec::new();
    for (i, e) in session.expect.iter().enumerate() {
        let mut fail = |subject: String, expected: String, actual: String| {
            failures.push(Failure {
                index: i + 1,
                subject,
                expected,
                actual,
            })
        };
        if let Some(context) = &e.context {
            for (key, want) in context {
                let got = transcript.context.get(key).cloned().unwrap_or_default();
                if &got != want {
                    fail(
                        "$context".into(),
                        format!("[\"{key}\"] = {want}"),
                        format!("[\"{key}\"] = {got}"),
                    );
                }
            }
        }
        if e.command.is_none() && e.step.is_none() && e.hook.is_none() {
            if let Some(m) = &e.message {
                let runs: Vec<&HookRun> = transcript.steps.iter().flat_map(|s| &s.hooks).collect();
                if let Err((expected, actual)) = message_holds(m, &runs) {
                    fail("message".into(), expected, actual);
                }
            }
            continue;
        }
        let subject = subject(e);
        let steps: Vec<&Step> = transcript
            .steps
            .iter()
            .filter(|s| e.step.is_none_or(|n| s.index == Some(n)))
            .filter(|s| e.command.as_ref().is_none_or(|c| sent(s, c)))
            .collect();
        let Some(first) = steps.first() else {
            fail(
                subject,
                "a client line sent".into(),
                "no such line in the conversation".into(),
            );
            continue;
        };
        if let (Some(h), None, None) = (e.hook, &e.command, e.step) {
            if !steps
                .iter()
                .any(|s| s.hooks.iter().any(|r| r.hook == h.0.as_str()))
            {
                fail(
                    subject,
                    format!("the {} hook to run", h.0),
                    "it never ran".into(),
                );
                continue;
            }
        }
        if steps.iter().any(|s| holds(e, s).is_ok()) {
            continue;
        }
        let (expected, actual) = holds(e, first).unwrap_err();
        fail(subject, expected, actual);
    }
    failures
}

/// The step sent `command`: as its whole text, or as one of the commands
/// of a pipelined write.
fn sent(step: &Step, command: &str) -> bool {
    step.line()
        .is_some_and(|l| l == command || crate::transcript::commands(l).any(|c| c == command))
}

fn subject(e: &Expectation) -> String {
    let mut parts = Vec::new();
    if let Some(c) = &e.command {
        parts.push(format!("command {c:?}"));
    }
    if let Some(n) = e.step {
        parts.push(format!("step {n}"));
    }
    if let Some(h) = e.hook {
        parts.push(format!("hook {}", h.0));
    }
    parts.join(", ")
}

/// Whether `step` satisfies `e`; otherwise what was expected and what happened.
fn holds(e: &Expectation, step: &Step) -> Result<(), (String, String)> {
    if let Client::NotSent { reason, .. } = &step.client {
        return Err(("the line to be sent".into(), format!("not sent: {reason}")));
    }
    let runs: Vec<_> = step
        .hooks
        .iter()
        .filter(|r| e.hook.is_none_or(|h| r.hook == h.0.as_str()))
        .collect();
    if let Some(h) = e.hook {
        if runs.is_empty() {
            let ran: Vec<&str> = step.hooks.iter().map(|r| r.hook.as_str()).collect();
            let actual = if ran.is_empty() {
                "no hook ran".to_string()
            } else {
                format!("ran: {}", ran.join(", "))
            };
            return Err((format!("the {} hook to run", h.0), actual));
        }
    }
    if let Some(verdict) = &e.verdict {
        if !runs.iter().any(|r| &r.verdict == verdict) {
            let got: Vec<&str> = runs.iter().map(|r| r.verdict.as_str()).collect();
            return Err((
                format!("verdict {verdict}"),
                format!("verdict {}", got.join(", ")),
            ));
        }
    }
    if let Some(text) = &e.echo {
        if !runs
            .iter()
            .any(|r| r.echo.join("\n").contains(text.as_str()))
        {
            let got: Vec<String> = runs.iter().flat_map(|r| r.echo.clone()).collect();
            return Err((
                format!("echo containing {text:?}"),
                format!("echo {:?}", got.join("\n")),
            ));
        }
    }
    if let Some(m) = &e.message {
        message_holds(m, &runs)?;
    }
    if let Some(want) = &e.reply {
        if !step
            .replies
            .iter()
            .any(|r| r.to_string().starts_with(want.as_str()))
        {
            let got: Vec<String> = step
                .replies
                .iter()
                .map(|r| r.wire_lines().join(" | "))
                .collect();
            let actual = if got.is_empty() {
                "no reply".to_string()
            } else {
                format!("reply {}", got.join(" / "))
            };
            return Err((format!("reply {want}"), actual));
        }
    }
    Ok(())
}

/// Whether one of the eod runs among `runs` left a message that satisfies
/// `m`; otherwise what was expected and what the first one left.
fn message_holds(m: &MessageExpectation, runs: &[&HookRun]) -> Result<(), (String, String)> {
    let mut messages = runs
        .iter()
        .filter_map(|r| Some((*r, r.message.as_deref()?)));
    let Some(first) = messages.next() else {
        return Err(("a message at the eod hook".into(), "no eod hook ran".into()));
    };
    let outcome = message_matches(m, first.0, first.1);
    if outcome.is_ok() || messages.any(|(r, bytes)| message_matches(m, r, bytes).is_ok()) {
        return Ok(());
    }
    outcome
}

fn message_matches(
    m: &MessageExpectation,
    run: &HookRun,
    bytes: &[u8],
) -> Result<(), (String, String)> {
    let mail = hsl_eval::mail::eod_message(bytes);
    for (name, want) in &m.headers {
        let got = hsl_eval::mail::header_value(&mail, name).map(|v| unfold(&v));
        let holds = match want {
            HeaderExpectation::Present(present) => got.is_some() == *present,
            HeaderExpectation::Equals(text) => got.as_deref() == Some(text.as_str()),
        };
        if !holds {
            let expected = match want {
                HeaderExpectation::Present(true) => format!("header {name} present"),
                HeaderExpectation::Present(false) => format!("header {name} absent"),
                HeaderExpectation::Equals(text) => format!("header {name}: {text:?}"),
            };
            let actual = match got {
                Some(v) => format!("header {name}: {v:?}"),
                None => format!("header {name} absent"),
            };
            return Err((expected, actual));
        }
    }
    if let Some(text) = &m.body {
        let body = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(&bytes[bytes.len()..], |i| &bytes[i + 4..]);
        let body = String::from_utf8_lossy(body);
        if !body.contains(text.as_str()) {
            let shown: String = body.chars().take(200).collect();
            let more = if shown.len() < body.len() { "…" } else { "" };
            return Err((
                format!("body containing {text:?}"),
                format!("body {shown:?}{more}"),
            ));
        }
    }
    for want in &m.queued {
        if !run.queued.iter().any(|q| queued_matches(want, q)) {
            let got: Vec<String> = run
                .queued
                .iter()
                .map(|q| format!("<{}> → <{}> via {}", q.sender, q.recipient, q.transportid))
                .collect();
            let actual = if got.is_empty() {
                "nothing queued".to_string()
            } else {
                format!("queued {}", got.join("; "))
            };
            return Err((format!("a queued copy {}", describe(want)), actual));
        }
    }
    Ok(())
}

fn queued_matches(want: &QueuedExpectation, q: &crate::message::Queued) -> bool {
    let same =
        |w: &Option<String>, got: &str| w.as_ref().is_none_or(|w| w.eq_ignore_ascii_case(got));
    same(&want.sender, &q.sender)
        && same(&want.recipient, &q.recipient)
        && same(&want.transport, &q.transportid)
}

fn describe(q: &QueuedExpectation) -> String {
    let mut parts = Vec::new();
    for (key, v) in [
        ("sender", &q.sender),
        ("recipient", &q.recipient),
        ("transport", &q.transport),
    ] {
        if let Some(v) = v {
            parts.push(format!("{key} {v}"));
        }
    }
    parts.join(", ")
}

/// A header value as one line: folding line breaks removed, ends trimmed.
fn unfold(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    text.replace("\r\n", "")
        .replace('\n', "")
        .trim()
        .to_string()
}
