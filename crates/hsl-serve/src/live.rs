//! One live connection through the reference core, on its own blocking
//! thread: lines from the socket go to the same server state machine and
//! hook runner that `hsl simulate` drives from a session file, and every
//! client turn becomes a transcript step and a conversation item to record.

use crate::record::{Item, Recording};
use hsl_smtp::hooks::Runner;
use hsl_smtp::reply::Reply;
use hsl_smtp::server::Server;
use hsl_smtp::session::TlsInfo;
use hsl_smtp::transcript::{Client, Step, Transcript};
use hsl_smtp::Prepared;

/// Where a connection comes from, what it is called and when it happens.
pub struct Endpoints {
    /// The session name: seeds the ids, names the recording.
    pub name: String,
    /// The time the hook scripts see.
    pub clock: f64,
    /// The listener's address and port.
    pub local: (String, u16),
    /// The client's address and port.
    pub remote: (String, u16),
}

/// What the server answered to one client line.
#[derive(Debug, Default)]
pub struct Answer {
    /// Replies to send, in order.
    pub replies: Vec<Reply>,
    /// STARTTLS was accepted: the handshake comes next.
    pub starttls: bool,
    /// The server closed the connection.
    pub closed: bool,
}

/// What a connection keeps for its recording.
#[derive(Clone, Copy)]
pub struct Keep {
    /// Messages (without a recording, only their size).
    pub messages: bool,
    /// AUTH passwords as typed.
    pub secrets: bool,
}

/// A connection in progress.
pub struct Live<'p> {
    server: Server<Runner<'p>>,
    steps: Vec<Step>,
    recording: Recording,
    keep: Keep,
    /// The message being received (unstuffed), while DATA lasts.
    message: Vec<u8>,
    /// The message has grown past the size limit: the rest is not kept
    /// (the core refuses it whatever follows).
    oversize: bool,
    message_size: u64,
}

impl<'p> Live<'p> {
    /// Connects: the connect hook runs and the banner is the answer.
    pub fn connect(prepared: &'p Prepared, at: Endpoints, keep: Keep) -> (Live<'p>, Answer) {
        let mut server = prepared.server(&at.name, at.clock, at.local.clone(), at.remote.clone());
        server.connect();
        let mut live = Live {
            server,
            steps: Vec::new(),
            recording: Recording::new(at),
            keep,
            message: Vec::new(),
            oversize: false,
            message_size: prepared.session.limits.message_size,
        };
        let answer = live.step(None, Client::Connect, false);
        (live, answer)
    }

    /// One line from the client, without its line ending.
    pub fn line(&mut self, line: &[u8]) -> Answer {
        if self.server.in_data() {
            return self.data_line(line);
        }
        let masked = if self.keep.secrets {
            None
        } else {
            self.server.masked(line)
        };
        let text = masked.unwrap_or_else(|| String::from_utf8_lossy(line).into_owned());
        let tls = self.server.tls().is_some();
        self.server.line(line);
        let starttls = !tls && self.server.tls().is_some();
        self.recording.items.push(Item::Line(text.clone()));
        let index = self.recording.items.len();
        self.step(Some(index), Client::Line { text }, starttls)
    }

    /// A message line: kept (unstuffed) until the lone dot, which ends the
    /// message turn.
    fn data_line(&mut self, line: &[u8]) -> Answer {
        self.server.line(line);
        if line != b"." {
            if !self.oversize {
                self.message
                    .extend_from_slice(line.strip_prefix(b".").unwrap_or(line));
                self.message.extend_from_slice(b"\r\n");
                // Kept up to the line that crosses the limit, so that a
                // replay crosses it too.
                self.oversize = self.message.len() as u64 > self.message_size;
            }
            return Answer::default();
        }
        let mut content = std::mem::take(&mut self.message);
        self.oversize = false;
        let source = self.recording.message_name();
        let bytes = content.len();
        if !self.keep.messages {
            content = Vec::new();
        }
        self.recording
            .items
            .push(Item::Message(source.clone(), content));
        let index = self.recording.items.len();
        self.step(Some(index), Client::Message { source, bytes }, false)
    }

    /// The TLS handshake after STARTTLS succeeded with these parameters.
    pub fn tls(&mut self, info: TlsInfo) {
        self.server.set_tls(info.clone());
        self.recording.tls = Some(info);
    }

    /// The client is gone or the listener closed the connection: the
    /// disconnect hook runs; the transcript and what to record.
    pub fn finish(mut self, file: String) -> (Transcript, Recording) {
        self.server.finish();
        self.step(None, Client::Disconnect, false);
        let transcript = Transcript {
            name: self.recording.at.name.clone(),
            file,
            steps: self.steps,
            context: hsl_smtp::hooks::value_json(self.server.policy().context()),
        };
        (transcript, self.recording)
    }

    fn step(&mut self, index: Option<usize>, client: Client, starttls: bool) -> Answer {
        let (hooks, replies) = self.server.take();
        self.steps.push(Step {
            index,
            client,
            hooks,
            replies: replies.clone(),
        });
        if let Some(index) = index {
            self.recording
                .expect
                .extend(replies.iter().map(|r| (index, r.to_string())));
        }
        Answer {
            replies,
            starttls,
            closed: self.server.is_closed(),
        }
    }
}
