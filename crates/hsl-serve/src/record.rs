//! `--record DIR`: a finished connection as a session file that `hsl
//! simulate` replays to the same replies: the client's lines, each message
//! as an `.eml` file beside it, the TLS parameters, the endpoints and the
//! clock, and every reply as an `expect` entry.

use crate::live::Endpoints;
use hsl_smtp::session::{Session, StubEntry, TlsInfo};
use serde::Serialize;
use std::io;
use std::path::{Component, Path, PathBuf};

/// What a connection did, as a session file records it.
pub struct Recording {
    /// Name, endpoints and clock.
    pub at: Endpoints,
    /// The client's turns in order.
    pub items: Vec<Item>,
    /// The replies by conversation position (1-based).
    pub expect: Vec<(usize, String)>,
    /// What STARTTLS negotiated.
    pub tls: Option<TlsInfo>,
}

/// One client turn.
pub enum Item {
    /// A command line (AUTH passwords masked unless asked otherwise).
    Line(String),
    /// A message: the file name it is written to and its content.
    Message(String, Vec<u8>),
}

#[derive(Serialize)]
struct SessionFile<'a> {
    name: &'a str,
    workspace: String,
    server: ServerOut<'a>,
    client: ClientOut<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tls: Option<&'a TlsInfo>,
    clock: f64,
    limits: LimitsOut,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    stubs: &'a [StubEntry],
    conversation: Vec<ItemOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    expect: Vec<ExpectOut<'a>>,
}

#[derive(Serialize)]
struct ServerOut<'a> {
    id: &'a str,
    ip: &'a str,
    port: u16,
    hostname: &'a str,
    transport: &'a str,
    auth: &'a [String],
}

#[derive(Serialize)]
struct ClientOut<'a> {
    ip: &'a str,
    port: u16,
}

#[derive(Serialize)]
struct LimitsOut {
    message_size: u64,
    recipients: usize,
    steps: u64,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ItemOut<'a> {
    Line(&'a str),
    Message { message: &'a str },
}

#[derive(Serialize)]
struct ExpectOut<'a> {
    step: usize,
    reply: &'a str,
}

impl Recording {
    /// Nothing recorded yet.
    pub fn new(at: Endpoints) -> Recording {
        Recording {
            at,
            items: Vec::new(),
            expect: Vec::new(),
            tls: None,
        }
    }

    /// The file name of the next message: `NAME.N.eml`.
    pub fn message_name(&self) -> String {
        let n = 1 + self
            .items
            .iter()
            .filter(|i| matches!(i, Item::Message(..)))
            .count();
        format!("{}.{n}.eml", self.at.name)
    }

    /// Writes `DIR/NAME.yaml` and its messages; `session` is the listener's
    /// configuration (workspace, server, limits, stubs, offered TLS).
    pub fn write(&self, dir: &Path, session: &Session) -> io::Result<PathBuf> {
        for item in &self.items {
            if let Item::Message(name, content) = item {
                std::fs::write(dir.join(name), content)?;
            }
        }
        let workspace = session
            .workspace
            .as_ref()
            .map(|w| relative(dir, &w.path))
            .unwrap_or_default();
        let s = &session.server;
        let file = SessionFile {
            name: &self.at.name,
            workspace,
            server: ServerOut {
                id: &s.id,
                ip: &self.at.local.0,
                port: self.at.local.1,
                hostname: &s.hostname,
                transport: &s.transport,
                auth: &s.auth,
            },
            client: ClientOut {
                ip: &self.at.remote.0,
                port: self.at.remote.1,
            },
            // Without a handshake, what the server offered (it decides
            // whether EHLO announces STARTTLS).
            tls: self.tls.as_ref().or(session.tls.as_ref()),
            clock: self.at.clock,
            limits: LimitsOut {
                message_size: session.limits.message_size,
                recipients: session.limits.recipients,
                steps: session.limits.steps,
            },
            stubs: &session.stubs,
            conversation: self
                .items
                .iter()
                .map(|i| match i {
                    Item::Line(text) => ItemOut::Line(text),
                    Item::Message(name, _) => ItemOut::Message { message: name },
                })
                .collect(),
            expect: self
                .expect
                .iter()
                .map(|(step, reply)| ExpectOut { step: *step, reply })
                .collect(),
        };
        let yaml = serde_norway::to_string(&file).map_err(io::Error::other)?;
        let path = dir.join(format!("{}.yaml", self.at.name));
        let header = "# Recorded by `hsl serve`; replay with `hsl simulate`.\n";
        std::fs::write(&path, format!("{header}{yaml}"))?;
        Ok(path)
    }
}

/// `to` as a path relative to the directory `from` (both made absolute),
/// so that a recording keeps working when the project moves; `to` as it is
/// when they share no root.
fn relative(from: &Path, to: &Path) -> String {
    let (Ok(from), Ok(to)) = (from.canonicalize(), to.canonicalize()) else {
        return to.display().to_string();
    };
    let (a, b): (Vec<Component>, Vec<Component>) =
        (from.components().collect(), to.components().collect());
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return to.display().to_string();
    }
    let mut out = PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in &b[common..] {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        ".".into()
    } else {
        out.display().to_string().replace('\\', "/")
    }
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn workspaces_are_named_relative_to_the_recording() {
        let root = std::env::temp_dir().join(format!("hsl-serve-rel-{}", std::process::id()));
        let (rec, ws) = (root.join("a/recordings"), root.join("ws"));
        std::fs::create_dir_all(&rec).unwrap();
        std::fs::create_dir_all(&ws).unwrap();
        assert_eq!(relative(&rec, &ws), "../../ws");
        assert_eq!(relative(&rec, &rec), ".");
        assert_eq!(relative(&ws, &rec), "../a/recordings");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
