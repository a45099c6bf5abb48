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
