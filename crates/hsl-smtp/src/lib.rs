//! The reference SMTP server core: replays a session file's client side
//! against Halon hook scripts and records, turn by turn, which hooks ran,
//! what they decided and what the server replied.
//!
//! ```no_run
//! let prepared = hsl_smtp::prepare(std::path::Path::new("session.yaml")).unwrap();
//! let report = hsl_smtp::run(&prepared);
//! assert!(report.failures.is_empty());
//! ```

pub mod command;
pub mod expect;
pub mod hooks;
mod legacy;
pub mod message;
pub mod reply;
pub mod server;
pub mod session;
pub mod transcript;
mod values;
pub mod workspace;

/// The civil-date conversion behind session clocks, for recorders.
pub use hsl_eval::calendar;

use hooks::{Runner, Script, Scripts};
use serde::Serialize;
use server::{Config, Server};
use session::{Item, Session, SessionError};
use std::path::{Path, PathBuf};
use transcript::{Client, Step, Transcript};

/// A session with its scripts parsed and its messages read, ready to run
/// (any number of times).
pub struct Prepared {
    /// The session file.
    pub path: PathBuf,
    /// The parsed session.
    pub session: Session,
    /// Its name.
    pub name: String,
    scripts: Scripts,
    /// The stubs as JSON, checked: each connection reads its own copy (their
    /// values are not shared between threads).
    stubs: String,
    /// The content of each `message`/`data` item, by conversation index.
    messages: Vec<Option<(String, Vec<u8>)>>,
}

/// A session run: the transcript and the expectations that failed.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// What happened.
    #[serde(flatten)]
    pub transcript: Transcript,
    /// The file has `expect` assertions.
    pub is_test: bool,
    /// Assertions that did not hold.
    pub failures: Vec<expect::Failure>,
}

/// Reads a session file, its hook scripts and messages.
pub fn prepare(path: &Path) -> Result<Prepared, SessionError> {
    prepare_session(path, Session::load(path)?)
}

/// Reads the hook scripts and messages of a session read from `path`.
pub fn prepare_session(path: &Path, session: Session) -> Result<Prepared, SessionError> {
    let error = |message: String| SessionError {
        file: path.to_path_buf(),
        location: None,
        message,
    };
    let mut scripts = Scripts::new();
    for (hook, file) in workspace::scripts(&session).map_err(error)? {
        scripts.insert(hook, Script::load(&file.path, file.display).map_err(error)?);
    }
    let stubs = serde_json::to_string(&session.stubs).map_err(|e| error(e.to_string()))?;
    hsl_eval::stubs::Stubs::parse(&stubs).map_err(error)?;
    let mut messages = Vec::new();
    for item in &session.conversation {
        messages.push(match item {
            Item::Line(_) => None,
            Item::Data(d) => Some(("inline".to_string(), d.clone().into_bytes())),
            Item::Message(f) => {
                let bytes = hsl_syntax::read_file(&f.path, session::MAX_FILE_BYTES)
                    .map_err(|e| error(format!("{}: {e}", f.text)))?;
                Some((f.text.clone(), bytes))
            }
        });
    }
    Ok(Prepared {
        name: session.display_name(path),
        path: path.to_path_buf(),
        session,
        scripts,
        stubs,
        messages,
    })
}

/// A stable 64-bit hash (FNV-1a) of the session name: the random seed and
/// the source of connection and transaction ids.
fn seed(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl Prepared {
    /// A connection of this session's server through the reference core,
    /// running its hook scripts: `name` seeds the connection and transaction
    /// ids and the random numbers, `clock` is the time the scripts see.
    pub fn server(
        &self,
        name: &str,
        clock: f64,
        local: (String, u16),
        remote: (String, u16),
    ) -> Server<Runner<'_>> {
        let s = &self.session;
        let seed = seed(name);
        let cfg = Config {
            hostname: s.server.hostname.clone(),
            server_id: s.server.id.clone(),
            local,
            remote,
            remote_ptr: s.client.ptr.clone(),
            message_size: s.limits.message_size,
            max_recipients: s.limits.recipients,
            tls: s.tls.clone(),
            auth: s
                .server
                .auth
                .iter()
                .map(|m| m.to_ascii_uppercase())
                .collect(),
            transport: s.server.transport.clone(),
            id_seed: seed,
            clock,
        };
        let runner = Runner::new(
            &self.scripts,
            s.halon,
            clock,
            seed,
            // Read without error when the session was prepared.
            hsl_eval::stubs::Stubs::parse(&self.stubs).unwrap_or_default(),
            s.limits.steps,
        );
        Server::new(cfg, runner)
    }
}

/// Replays the session.
pub fn simulate(p: &Prepared) -> Transcript {
    let s = &p.session;
    let clock = s.clock.map_or(0.0, |c| c.0);
    let mut server = p.server(
        &p.name,
        clock,
        (s.server.ip.clone(), s.server.port),
        (s.client.ip.clone(), s.client.port),
    );
    let mut steps = Vec::with_capacity(s.conversation.len() + 2);
    let mut record = |server: &mut Server<Runner>, index, client| {
        let (hooks, replies) = server.take();
        steps.push(Step {
            index,
            client,
            hooks,
            replies,
        });
    };
    server.connect();
    record(&mut server, None, Client::Connect);
    for (i, item) in s.conversation.iter().enumerate() {
        let client = match (item, &p.messages[i]) {
            (Item::Line(text), _) if !server.is_closed() => {
                // Several commands in one write (RFC 2920): answered in order.
                for command in transcript::commands(text) {
                    server.line(command.as_bytes());
                }
                Client::Line { text: text.clone() }
            }
            (Item::Line(text), _) => Client::NotSent {
                text: text.clone(),
                reason: "connection closed".into(),
            },
            (_, Some((source, bytes))) if server.in_data() => {
                send_message(&mut server, bytes);
                Client::Message {
                    source: source.clone(),
                    bytes: bytes.len(),
                }
            }
            (_, message) => Client::NotSent {
                text: format!("message {}", message.as_ref().map_or("", |m| m.0.as_str())),
                reason: if server.is_closed() {
                    "connection closed"
                } else {
                    "no DATA in progress"
                }
                .into(),
            },
        };
        record(&mut server, Some(i + 1), client);
    }
    server.finish();
    record(&mut server, None, Client::Disconnect);
    Transcript {
        name: p.name.clone(),
        file: p.path.display().to_string(),
        steps,
        context: hooks::value_json(server.policy().context()),
    }
}

/// Sends message content the way a client does: CRLF lines, a leading dot
/// doubled, then the lone-dot terminator.
fn send_message<P: server::Policy>(server: &mut Server<P>, content: &[u8]) {
    let body = content.strip_suffix(b"\n").unwrap_or(content);
    if !content.is_empty() {
        for line in body.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.starts_with(b".") {
                let mut stuffed = Vec::with_capacity(line.len() + 1);
                stuffed.push(b'.');
                stuffed.extend_from_slice(line);
                server.line(&stuffed);
            } else {
                server.line(line);
            }
        }
    }
    server.line(b".");
}

/// Replays the session and checks its expectations.
pub fn run(p: &Prepared) -> Report {
    let transcript = simulate(p);
    let failures = expect::check(&p.session, &transcript);
    Report {
        transcript,
        is_test: !p.session.expect.is_empty(),
        failures,
    }
}
