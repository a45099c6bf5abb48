//! The RFC 5321 server state machine: greeting, EHLO/HELO, STARTTLS
//! (recorded, no handshake), AUTH PLAIN/LOGIN and multi-step mechanisms,
//! MAIL/RCPT/DATA with dot-stuffing and limits, RSET, NOOP, QUIT; sequence,
//! syntax and limit errors with their standard replies. Hooks run through a
//! [`Policy`] at the points Halon runs them.

mod auth;
pub use auth::MASK;
pub mod options;
mod variables;

use crate::command::{self, Address, Command, Params};
use crate::hooks::{Decision, HookInput};
use crate::reply::Reply;
use crate::session::TlsInfo;
use crate::transcript::HookRun;
use crate::values::{self, list, map, number, text};
use hsl_catalog::Hook;
use hsl_eval::value::{Array, Value};
use std::rc::Rc;

/// Runs hook scripts for the server.
pub trait Policy {
    /// A script is configured for `hook`.
    fn has(&self, hook: Hook) -> bool;
    /// Runs the hook's script (`None` when there is none).
    fn run(&mut self, hook: Hook, input: HookInput) -> Option<Decision>;
}

/// The server's settings and the connection's endpoints.
#[derive(Clone, Debug)]
pub struct Config {
    /// Host name in the banner and EHLO reply.
    pub hostname: String,
    /// `serverid`
    pub server_id: String,
    /// Local address and port.
    pub local: (String, u16),
    /// Remote address and port.
    pub remote: (String, u16),
    /// Reverse DNS of the remote address.
    pub remote_ptr: Option<String>,
    /// Largest message in bytes.
    pub message_size: u64,
    /// Most recipients per transaction.
    pub max_recipients: usize,
    /// What STARTTLS negotiates (not offered when `None`).
    pub tls: Option<TlsInfo>,
    /// SASL mechanisms offered when an auth hook exists.
    pub auth: Vec<String>,
    /// Transport id of accepted recipients.
    pub transport: String,
    /// Seed of the connection and transaction ids.
    pub id_seed: u64,
    /// The time (`$transaction["ts"]`).
    pub clock: f64,
}

/// What the client is in the middle of.
#[derive(Debug, PartialEq)]
enum Phase {
    /// Commands are accepted.
    Open,
    /// Message lines until `.`.
    Data,
    /// An AUTH exchange waits for the client's next response.
    Auth(Exchange),
    /// The connection is closed.
    Closed,
}

#[derive(Debug, PartialEq)]
struct Exchange {
    mechanism: String,
    wait: Wait,
}

#[derive(Debug, PartialEq)]
enum Wait {
    Plain,
    LoginUser,
    LoginPassword(String),
    /// A hook-driven mechanism; its next run gets this `state`.
    Hook(u32),
}

struct Sender {
    text: String,
    address: Address,
    params: Params,
}

struct Recipient {
    text: String,
    address: Address,
    params: Params,
    transport: String,
}

#[derive(Default)]
struct Transaction {
    id: String,
    sender: Option<Sender>,
    /// `$transaction["recipients"]`, kept up to date as recipients are
    /// accepted (hooks share it; building it per hook run would be quadratic).
    recipients: Rc<Array>,
    data: Vec<u8>,
    oversize: bool,
}

/// One SMTP connection.
pub struct Server<P: Policy> {
    cfg: Config,
    policy: P,
    conn_id: String,
    transactions: u64,
    txn: Transaction,
    remote_ip: String,
    remote_ptr: Option<String>,
    helo: Option<(String, String)>,
    tls: Option<TlsInfo>,
    auth: Option<(String, Option<String>)>,
    phase: Phase,
    /// `$connection` for the hooks that see all of it, until it changes.
    connection_cache: Option<Value>,
    proxy_next: bool,
    last_reply: Option<Reply>,
    hooks: Vec<HookRun>,
    replies: Vec<Reply>,
    ended: bool,
}

/// A stable uuid-like id from a seed and a counter.
fn make_id(seed: u64, n: u64) -> String {
    let mix = |mut z: u64| {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let a = mix(seed ^ n.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    let b = mix(a);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

fn params_value(params: &Params) -> Value {
    map(params.iter().map(|(k, v)| (k.as_str(), text(v))))
}

fn bad_sequence(text: &str) -> Reply {
    Reply::new(503, Some([5, 5, 1]), text)
}

impl<P: Policy> Server<P> {
    /// A connection that has not yet been greeted.
    pub fn new(cfg: Config, policy: P) -> Self {
        Server {
            conn_id: make_id(cfg.id_seed, 0),
            transactions: 1,
            txn: Transaction {
                id: make_id(cfg.id_seed, 1),
                ..Default::default()
            },
            remote_ip: cfg.remote.0.clone(),
            remote_ptr: cfg.remote_ptr.clone(),
            cfg,
            policy,
            helo: None,
            tls: None,
            auth: None,
            phase: Phase::Open,
            connection_cache: None,
            proxy_next: true,
            last_reply: None,
            hooks: Vec::new(),
            replies: Vec::new(),
            ended: false,
        }
    }

    /// The hook runner.
    pub fn policy(&self) -> &P {
        &self.policy
    }

    /// The server has closed the connection.
    pub fn is_closed(&self) -> bool {
        self.phase == Phase::Closed
    }

    /// The server is reading message lines.
    pub fn in_data(&self) -> bool {
        self.phase == Phase::Data
    }

    /// The TLS parameters once STARTTLS has been accepted.
    pub fn tls(&self) -> Option<&TlsInfo> {
        self.tls.as_ref()
    }

    /// Replaces the TLS parameters of an accepted STARTTLS with those a real
    /// handshake negotiated (hooks from then on see these).
    pub fn set_tls(&mut self, info: TlsInfo) {
        if self.tls.is_some() {
            self.tls = Some(info);
            self.connection_cache = None;
        }
    }

    /// Hooks run and replies sent since the last call.
    pub fn take(&mut self) -> (Vec<HookRun>, Vec<Reply>) {
        (
            std::mem::take(&mut self.hooks),
            std::mem::take(&mut self.replies),
        )
    }

    fn send(&mut self, mut reply: Reply) {
        reply.split_line_breaks();
        if reply.closes() || matches!(reply.code, 521) {
            self.phase = Phase::Closed;
        }
        self.last_reply = Some(reply.clone());
        self.replies.push(reply);
    }

    fn new_transaction(&mut self) {
        self.transactions += 1;
        self.txn = Transaction {
            id: make_id(self.cfg.id_seed, self.transactions),
            ..Default::default()
        };
    }

    fn run_hook(&mut self, hook: Hook, arguments: Value) -> Option<Decision> {
        if !self.policy.has(hook) {
            return None;
        }
        let connection = match hook {
            Hook::Connect | Hook::Helo | Hook::Auth => self.connection(hook),
            _ => {
                if self.connection_cache.is_none() {
                    self.connection_cache = Some(self.connection(hook));
                }
                self.connection_cache.clone().unwrap_or_default()
            }
        };
        let input = HookInput {
            arguments,
            connection,
            transaction: self.transaction(hook),
        };
        let decision = self.policy.run(hook, input)?;
        self.hooks.push(decision.run.clone());
        Some(decision)
    }

    /// Sends the verdict's reply (`ok_text` for a positive one without a
    /// reason) and closes when asked; true when the verdict let the step pass.
    fn answer(
        &mut self,
        d: Option<&Decision>,
        fallback: (u16, Option<[u8; 3]>),
        ok_text: &str,
    ) -> bool {
        let reply = match d {
            Some(d) => {
                let code = d.code.map_or(fallback.0, |c| c.0);
                let text = match code {
                    500.. => "Rejected",
                    400.. => "Try again later",
                    _ => ok_text,
                };
                d.reply(text)
                    .unwrap_or_else(|| Reply::new(fallback.0, fallback.1, ok_text))
            }
            None => Reply::new(fallback.0, fallback.1, ok_text),
        };
        let positive = reply.is_positive();
        self.send(reply);
        if d.is_some_and(Decision::disconnect) {
            self.phase = Phase::Closed;
        }
        positive
    }

    /// The client connected: the connect hook, then the banner.
    pub fn connect(&mut self) {
        let mut args = vec![
            ("remoteip", text(&self.cfg.remote.0)),
            ("remoteport", number(self.cfg.remote.1)),
        ];
        if let Some(ptr) = &self.cfg.remote_ptr {
            args.push(("remoteptr", text(ptr)));
        }
        args.extend([
            ("localip", text(&self.cfg.local.0)),
            ("localport", number(self.cfg.local.1)),
            ("serverid", text(&self.cfg.server_id)),
        ]);
        let d = self.run_hook(Hook::Connect, map(args));
        if let Some(d) = &d {
            // `SetSenderIP()` (4.x), or 5.x and later `Accept()`'s overrides.
            let ip = d.option("remoteip").map(values::string);
            if let Some(ip) = ip.or_else(|| d.sender_ip.clone()) {
                self.remote_ip = ip;
            }
            if let Some(ptr) = d.option("remoteptr") {
                self.remote_ptr = Some(values::string(ptr));
            }
        }
        let banner = format!("{} ESMTP", self.cfg.hostname);
        // `Reject()` and `Defer()` refuse the connection: it is closed.
        if !self.answer(d.as_ref(), (220, None), &banner) {
            self.phase = Phase::Closed;
        }
    }

    /// One line from the client (without CRLF): a command, an AUTH
    /// response or a message line.
    pub fn line(&mut self, line: &[u8]) {
        match &self.phase {
            Phase::Closed => {}
            Phase::Data => self.data_line(line),
            Phase::Auth(_) => self.auth_response(&String::from_utf8_lossy(line)),
            Phase::Open => self.command(String::from_utf8_lossy(line).into_owned()),
        }
    }

    /// The client went away (or the server closed): the disconnect hook.
    pub fn finish(&mut self) {
        if self.ended {
            return;
        }
        self.ended = true;
        self.phase = Phase::Closed;
        let mut args = Vec::new();
        if let Some(r) = &self.last_reply {
            let mut reply = vec![("code", number(r.code))];
            if let Some(e) = r.enhanced {
                reply.push(("enhanced", list(e.iter().map(|&n| number(n)))));
            }
            reply.push(("reason", list(r.lines.iter().map(|l| text(l)))));
            args.push(("reply", map(reply)));
        }
        self.run_hook(Hook::Disconnect, map(args));
    }

    fn command(&mut self, mut line: String) {
        if self.proxy_next && self.policy.has(Hook::Proxy) {
            if let Some(d) = self.run_hook(Hook::Proxy, map([("command", text(&line))])) {
                self.proxy_next = d.option("next").is_some_and(Value::truthy);
                if d.verdict() == "Reply" {
                    self.answer(Some(&d), (250, None), "OK");
                    return;
                }
                if let Some(c) = d.option("command") {
                    line = values::string(c);
                }
            }
        }
        match command::parse(&line) {
            Err(reply) => self.send(reply),
            Ok(Command::Helo(host)) => self.helo("HELO", host),
            Ok(Command::Ehlo(host)) => self.helo("EHLO", host),
            Ok(Command::Mail(address, params)) => self.mail(address, params),
            Ok(Command::Rcpt(address, params)) => self.rcpt(address, params),
            Ok(Command::Data) => self.data(),
            Ok(Command::Rset) => {
                self.new_transaction();
                self.send(Reply::new(250, Some([2, 0, 0]), "OK"));
            }
            Ok(Command::Noop) => self.send(Reply::new(250, Some([2, 0, 0]), "OK")),
            Ok(Command::Quit) => self.quit(),
            Ok(Command::StartTls) => self.starttls(),
            Ok(Command::Auth(mechanism, initial)) => self.auth(mechanism, initial),
            Ok(Command::NotImplemented(_)) => {
                self.send(Reply::new(502, Some([5, 5, 1]), "Command not implemented"))
            }
        }
    }

    fn quit(&mut self) {
        self.send(Reply::new(221, Some([2, 0, 0]), "Bye"));
    }

    fn extensions(&self) -> Vec<String> {
        let mut ext = vec![
            "PIPELINING".to_string(),
            format!("SIZE {}", self.cfg.message_size),
            "8BITMIME".into(),
            "ENHANCEDSTATUSCODES".into(),
        ];
        if self.cfg.tls.is_some() && self.tls.is_none() {
            ext.push("STARTTLS".into());
        }
        if self.policy.has(Hook::Auth) && !self.cfg.auth.is_empty() {
            ext.push(format!("AUTH {}", self.cfg.auth.join(" ")));
        }
        ext
    }

    fn helo(&mut self, verb: &str, host: String) {
        let extensions = self.extensions();
        let mut args = vec![("verb", text(verb)), ("host", text(&host))];
        if verb == "EHLO" {
            args.push(("extensions", list(extensions.iter().map(|e| text(e)))));
        }
        let d = self.run_hook(Hook::Helo, map(args));
        // The reply decides: an `Accept` with a 5xx code refuses the greeting.
        let (code, enhanced) = d.as_ref().and_then(|d| d.code).unwrap_or((250, None));
        if code >= 400 {
            self.answer(d.as_ref(), (250, None), "");
            return;
        }
        let option = |key| d.as_ref().and_then(|d| d.option(key));
        let host = option("host").map_or(host, values::string);
        let mut lines =
            vec![option("reason").map_or_else(|| self.cfg.hostname.clone(), values::string)];
        if verb == "EHLO" {
            lines.extend(option("extensions").map_or(extensions, values::lines));
        }
        self.new_transaction();
        self.helo = Some((verb.to_string(), host));
        self.connection_cache = None;
        self.send(Reply {
            code,
            enhanced,
            lines,
        });
    }

    fn mail(&mut self, address: Option<Address>, params: Params) {
        if self.helo.is_none() {
            return self.send(bad_sequence("Send HELO/EHLO first"));
        }
        if self.txn.sender.is_some() {
            return self.send(bad_sequence("Sender already specified"));
        }
        if let Some((_, size)) = params.iter().find(|(k, _)| k == "SIZE") {
            match size.parse::<u64>() {
                Err(_) => {
                    return self.send(Reply::new(
                        501,
                        Some([5, 5, 4]),
                        "Syntax error in SIZE parameter",
                    ))
                }
                Ok(n) if n > self.cfg.message_size => return self.send(too_big()),
                Ok(_) => {}
            }
        }
        let address = address.unwrap_or(Address {
            localpart: String::new(),
            domain: String::new(),
        });
        let sender = address.text().to_lowercase();
        let args = map([
            ("sender", text(&sender)),
            (
                "address",
                values::address(&address.localpart, &address.domain),
            ),
            ("params", params_value(&params)),
        ]);
        let d = self.run_hook(Hook::MailFrom, args);
        let mut sender = Sender {
            text: sender,
            address,
            params,
        };
        if let Some(s) = d.as_ref().and_then(|d| d.option("sender")) {
            sender.address = Address::from_value(s);
            sender.text = sender.address.text().to_lowercase();
        }
        if self.answer(d.as_ref(), (250, Some([2, 1, 0])), "Sender OK") {
            self.txn.sender = Some(sender);
        }
    }

    fn rcpt(&mut self, address: Address, params: Params) {
        if self.txn.sender.is_none() {
            return self.send(bad_sequence("Need MAIL command"));
        }
        if self.txn.recipients.map.len() >= self.cfg.max_recipients {
            return self.send(Reply::new(452, Some([4, 5, 3]), "Too many recipients"));
        }
        let recipient = address.text().to_lowercase();
        let args = map([
            ("recipient", text(&recipient)),
            (
                "address",
                values::address(&address.localpart, &address.domain),
            ),
            ("params", params_value(&params)),
            ("transportid", text(&self.cfg.transport)),
        ]);
        let d = self.run_hook(Hook::RcptTo, args);
        let mut rcpt = Recipient {
            text: recipient,
            address,
            params,
            transport: self.cfg.transport.clone(),
        };
        if let Some(d) = &d {
            if let Some(r) = d.option("recipient") {
                rcpt.address = Address::from_value(r);
                rcpt.text = rcpt.address.text().to_lowercase();
            }
            if let Some(t) = d.option("transportid") {
                rcpt.transport = values::string(t);
            }
        }
        if self.answer(d.as_ref(), (250, Some([2, 1, 5])), "Recipient OK") {
            Rc::make_mut(&mut self.txn.recipients).push(rcpt.value());
        }
    }

    fn data(&mut self) {
        if self.txn.sender.is_none() {
            return self.send(bad_sequence("Need MAIL command"));
        }
        if self.txn.recipients.map.is_empty() {
            return self.send(Reply::new(554, Some([5, 5, 1]), "No valid recipients"));
        }
        self.phase = Phase::Data;
        self.send(Reply::new(354, None, "End data with <CR><LF>.<CR><LF>"));
    }

    fn data_line(&mut self, line: &[u8]) {
        if line == b"." {
            self.phase = Phase::Open;
            return self.end_of_data();
        }
        let content = line.strip_prefix(b".").unwrap_or(line);
        if self.txn.oversize {
            return;
        }
        if (self.txn.data.len() + content.len() + 2) as u64 > self.cfg.message_size {
            self.txn.oversize = true;
            self.txn.data = Vec::new();
            return;
        }
        self.txn.data.extend_from_slice(content);
        self.txn.data.extend_from_slice(b"\r\n");
    }

    fn end_of_data(&mut self) {
        if self.txn.oversize {
            self.new_transaction();
            return self.send(too_big());
        }
        let args = map([("mail", crate::message::value(&self.txn.data))]);
        let d = self.run_hook(Hook::Eod, args);
        let queued = format!("Ok: queued as {}", self.txn.id);
        self.answer(d.as_ref(), (250, Some([2, 0, 0])), &queued);
        self.new_transaction();
    }

    fn starttls(&mut self) {
        let Some(tls) = self.cfg.tls.clone() else {
            return self.send(Reply::new(454, Some([4, 7, 0]), "TLS not available"));
        };
        if self.tls.is_some() {
            return self.send(bad_sequence("TLS already active"));
        }
        self.send(Reply::new(220, Some([2, 0, 0]), "Ready to start TLS"));
        // RFC 3207: the client starts over after the handshake.
        self.tls = Some(tls);
        self.helo = None;
        self.auth = None;
        self.connection_cache = None;
        self.new_transaction();
    }
}

fn too_big() -> Reply {
    Reply::new(
        552,
        Some([5, 3, 4]),
        "Message size exceeds fixed maximum message size",
    )
}

#[cfg(test)]
mod tests;
