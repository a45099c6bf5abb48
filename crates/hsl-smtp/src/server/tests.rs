//! State machine tests without scripts.
use super::*;

/// Runs no scripts but keeps the message the eod hook would get.
#[derive(Default)]
struct Recorder {
    messages: Vec<Vec<u8>>,
}

impl Policy for Recorder {
    fn has(&self, hook: Hook) -> bool {
        hook == Hook::Eod
    }
    fn run(&mut self, _: Hook, input: HookInput) -> Option<Decision> {
        let mail = values::get(&input.arguments, "mail")?;
        self.messages.push(hsl_eval::mail::message_bytes(mail)?);
        None
    }
}

fn server(message_size: u64) -> Server<Recorder> {
    let cfg = Config {
        hostname: "mx.test".into(),
        server_id: "inbound".into(),
        local: ("10.0.0.1".into(), 25),
        remote: ("192.0.2.1".into(), 1234),
        remote_ptr: None,
        message_size,
        max_recipients: 2,
        tls: None,
        auth: vec![],
        transport: "mx".into(),
        id_seed: 1,
        clock: 0.0,
    };
    let mut s = Server::new(cfg, Recorder::default());
    s.connect();
    s.take();
    s
}

/// Sends lines and returns the replies' first lines.
fn say(s: &mut Server<Recorder>, lines: &[&str]) -> Vec<String> {
    for l in lines {
        s.line(l.as_bytes());
    }
    s.take()
        .1
        .iter()
        .map(|r| r.wire_lines()[0].clone())
        .collect()
}

#[test]
fn commands_out_of_sequence_get_503() {
    let mut s = server(1000);
    assert_eq!(
        say(&mut s, &["MAIL FROM:<a@b.example>"]),
        ["503 5.5.1 Send HELO/EHLO first"]
    );
    assert_eq!(say(&mut s, &["HELO c.example"]), ["250 mx.test"]);
    assert_eq!(
        say(&mut s, &["RCPT TO:<x@y.example>"]),
        ["503 5.5.1 Need MAIL command"]
    );
    assert_eq!(say(&mut s, &["DATA"]), ["503 5.5.1 Need MAIL command"]);
    assert_eq!(
        say(
            &mut s,
            &["MAIL FROM:<a@b.example>", "MAIL FROM:<a@b.example>", "DATA"]
        ),
        [
            "250 2.1.0 Sender OK",
            "503 5.5.1 Sender already specified",
            "554 5.5.1 No valid recipients"
        ]
    );
    assert_eq!(
        say(
            &mut s,
            &[
                "RCPT TO:<1@y.example>",
                "RCPT TO:<2@y.example>",
                "RCPT TO:<3@y.example>"
            ]
        ),
        [
            "250 2.1.5 Recipient OK",
            "250 2.1.5 Recipient OK",
            "452 4.5.3 Too many recipients"
        ]
    );
    assert_eq!(
        say(&mut s, &["RSET", "RCPT TO:<x@y.example>"]),
        ["250 2.0.0 OK", "503 5.5.1 Need MAIL command"]
    );
    assert_eq!(say(&mut s, &["QUIT", "NOOP"]), ["221 2.0.0 Bye"]);
    assert!(s.is_closed());
}

#[test]
fn ehlo_announces_the_size_limit() {
    let mut s = server(1000);
    s.line(b"EHLO c.example");
    let (_, replies) = s.take();
    assert_eq!(
        replies[0].wire_lines(),
        [
            "250-mx.test",
            "250-PIPELINING",
            "250-SIZE 1000",
            "250-8BITMIME",
            "250 ENHANCEDSTATUSCODES"
        ]
    );
}

#[test]
fn data_is_unstuffed_and_ends_at_a_lone_dot() {
    let mut s = server(1000);
    let replies = say(
        &mut s,
        &[
            "HELO c.example",
            "MAIL FROM:<>",
            "RCPT TO:<x@y.example>",
            "DATA",
            "Subject: t",
            "",
            "..dot",
            ".x",
            ".",
        ],
    );
    assert_eq!(replies[3], "354 End data with <CR><LF>.<CR><LF>");
    assert!(
        replies[4].starts_with("250 2.0.0 Ok: queued as "),
        "{replies:?}"
    );
    assert_eq!(
        s.policy().messages,
        [b"Subject: t\r\n\r\n.dot\r\nx\r\n".to_vec()]
    );
    // The transaction is over: a new one needs MAIL again.
    assert_eq!(
        say(&mut s, &["RCPT TO:<x@y.example>"]),
        ["503 5.5.1 Need MAIL command"]
    );
}

#[test]
fn oversized_messages_are_refused_after_the_dot() {
    let mut s = server(20);
    let replies = say(
        &mut s,
        &["HELO c.example", "MAIL FROM:<a@b.example> SIZE=21"],
    );
    assert_eq!(
        replies[1],
        "552 5.3.4 Message size exceeds fixed maximum message size"
    );
    let replies = say(
        &mut s,
        &[
            "MAIL FROM:<a@b.example>",
            "RCPT TO:<x@y.example>",
            "DATA",
            "0123456789",
            "0123456789",
            ".",
        ],
    );
    assert_eq!(
        replies[3],
        "552 5.3.4 Message size exceeds fixed maximum message size"
    );
    assert!(s.policy().messages.is_empty());
}

#[test]
fn starttls_and_auth_need_their_configuration() {
    let mut s = server(1000);
    assert_eq!(
        say(
            &mut s,
            &["AUTH PLAIN", "EHLO c.example", "STARTTLS", "AUTH PLAIN"]
        ),
        [
            "503 5.5.1 Send EHLO first",
            "250-mx.test",
            "454 4.7.0 TLS not available",
            "502 5.5.1 Command not implemented"
        ]
    );
}

/// Has an auth hook that refuses everyone (no script runs).
struct AuthHook;

impl Policy for AuthHook {
    fn has(&self, hook: Hook) -> bool {
        hook == Hook::Auth
    }
    fn run(&mut self, _: Hook, _: HookInput) -> Option<Decision> {
        None
    }
}

#[test]
fn auth_passwords_are_masked_where_the_server_reads_them() {
    use base64::Engine;
    let b64 = |t: &str| base64::engine::general_purpose::STANDARD.encode(t);
    let mut cfg = server(1000).cfg;
    cfg.auth = vec!["PLAIN".into(), "LOGIN".into()];
    let mut s = Server::new(cfg, AuthHook);
    s.connect();
    s.line(b"EHLO c.example");
    let masked_plain = b64("\0alice\0********");
    assert_eq!(s.masked(b"NOOP"), None);
    assert_eq!(s.masked(b"AUTH LOGIN"), None);
    assert_eq!(
        s.masked(format!("auth plain {}", b64("\0alice\0secret")).as_bytes()),
        Some(format!("auth plain {masked_plain}"))
    );
    // Not credentials: left for the server to refuse.
    assert_eq!(s.masked(b"AUTH PLAIN bm9uZQ=="), None);
    s.line(b"AUTH PLAIN");
    assert_eq!(
        s.masked(b64("\0alice\0secret").as_bytes()),
        Some(masked_plain)
    );
    s.line(b"*");
    s.line(b"AUTH LOGIN");
    assert_eq!(s.masked(b64("alice").as_bytes()), None, "the user name");
    s.line(b64("alice").as_bytes());
    assert_eq!(s.masked(b"c2VjcmV0"), Some(b64("********")));
    assert_eq!(s.masked(b"*"), None);
}

#[test]
fn a_negotiated_tls_replaces_the_configured_one_only_after_starttls() {
    let mut cfg = server(1000).cfg;
    let info = |protocol: &str| TlsInfo {
        protocol: protocol.into(),
        cipher: "TLS_AES_128_GCM_SHA256".into(),
        keysize: 128,
        sni: None,
    };
    cfg.tls = Some(info("configured"));
    let mut s = Server::new(cfg, AuthHook);
    s.connect();
    s.set_tls(info("TLSv1.3"));
    assert!(s.tls().is_none(), "no STARTTLS yet");
    s.line(b"EHLO c.example");
    s.line(b"STARTTLS");
    assert_eq!(s.tls().map(|t| t.protocol.as_str()), Some("configured"));
    s.set_tls(info("TLSv1.3"));
    assert_eq!(s.tls().map(|t| t.protocol.as_str()), Some("TLSv1.3"));
}
