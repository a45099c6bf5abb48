//! What happened in a simulated session: each client turn with the hooks
//! that ran (verdict, arguments, `echo` output, script error) and the
//! server's replies. Serialisable for `--output-format json`.

use crate::reply::Reply;
use serde::Serialize;

/// A whole session.
#[derive(Clone, Debug, Serialize)]
pub struct Transcript {
    /// The session's name.
    pub name: String,
    /// The session file.
    pub file: String,
    /// Turns in order, from the connection to the disconnect.
    pub steps: Vec<Step>,
    /// `$context` when the connection ended (JSON).
    pub context: serde_json::Value,
}

/// One turn: what the client did and what followed.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Step {
    /// Position in the session's `conversation` (1-based); none for the
    /// connection and the disconnect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// The client's action.
    pub client: Client,
    /// Hooks that ran, in order.
    pub hooks: Vec<HookRun>,
    /// Replies the server sent.
    pub replies: Vec<Reply>,
}

/// A client action.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Client {
    /// The client connected.
    #[default]
    Connect,
    /// A line: a command, or a response during an AUTH exchange; or
    /// several CRLF-separated commands sent in one write (pipelining).
    Line {
        /// The text as sent.
        text: String,
    },
    /// Message content after DATA.
    Message {
        /// Where it came from (file name, or `inline`).
        source: String,
        /// Size in bytes before dot-stuffing.
        bytes: usize,
    },
    /// A turn the client did not take.
    NotSent {
        /// The line, or `message FILE`.
        text: String,
        /// Why: `connection closed`, or `no DATA in progress` for message content.
        reason: String,
    },
    /// The connection ended.
    Disconnect,
}

/// One hook run.
#[derive(Clone, Debug, Serialize)]
pub struct HookRun {
    /// The hook, e.g. `rcptto`.
    pub hook: String,
    /// The script that ran.
    pub file: String,
    /// The verdict taken, e.g. `Reject`.
    pub verdict: String,
    /// The verdict's arguments (JSON).
    pub arguments: Vec<serde_json::Value>,
    /// How the verdict came about.
    pub cause: Cause,
    /// The script error, as `file:line:column: message`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Verdict options the simulator did not act on, in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// `echo` output, line by line.
    pub echo: Vec<String>,
    /// Copies of the message the eod script queued.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub queued: Vec<crate::message::Queued>,
    /// The eod hook's message as the script left it (for `expect`).
    #[serde(skip)]
    pub message: Option<Vec<u8>>,
}

/// Why a hook ended with its verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The script called the verdict function.
    Called,
    /// The script ended without one (the hook's implicit verdict).
    Implicit,
    /// The script failed (the hook's on-error verdict).
    Error,
}

impl Step {
    /// The client line of this step, if it sent one.
    pub fn line(&self) -> Option<&str> {
        match &self.client {
            Client::Line { text } | Client::NotSent { text, .. } => Some(text),
            _ => None,
        }
    }
}

/// The lines of one client write: its CRLF-separated commands (a final
/// CRLF ends the last one rather than starting an empty one).
pub fn commands(text: &str) -> impl Iterator<Item = &str> {
    text.strip_suffix("\r\n").unwrap_or(text).split("\r\n")
}
