//! Checking a session's `expect` assertions against its transcript.

use crate::session::{Expectation, Session};
use crate::transcript::{Client, Step, Transcript};
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
            continue;
        }
        let subject = subject(e);
        let steps: Vec<&Step> = transcript
            .steps
            .iter()
            .filter(|s| e.step.is_none_or(|n| s.index == Some(n)))
            .filter(|s| {
                e.command
                    .as_ref()
                    .is_none_or(|c| s.line() == Some(c.as_str()))
            })
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
