//! Seeded fuzzing of the server core: thousands of random conversations of
//! SMTP-ish lines (broken addresses, overlong lines, NUL and non-UTF-8
//! bytes, bad base64, pipelined junk, commands after QUIT, recipient floods,
//! dot-stuffing edge cases) against hook scripts that accept, reject, throw
//! or never end. Nothing may panic, every reply must be a well-formed SMTP
//! reply and the state machine must keep its invariants.

use hsl_catalog::{HalonVersion, Hook};
use hsl_smtp::hooks::{Runner, Script, Scripts};
use hsl_smtp::reply::Reply;
use hsl_smtp::server::{Config, Server};
use hsl_smtp::session::TlsInfo;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

const CONVERSATIONS: usize = 3000;
const SCRIPTS: [&str; 5] = ["accept", "reject", "throws", "loops", "mixed"];

/// xorshift64*: small, fast and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn host(rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => "x".repeat(300),
        1 => String::new(),
        _ => rng
            .pick(&[
                "mail.example.org",
                "localhost",
                "a..b",
                "[192.0.2.1]",
                "ünïcode.example",
                "two words",
            ])
            .to_string(),
    }
}

fn address(rng: &mut Rng) -> String {
    let path = rng.pick(&[
        "<alice@example.org>",
        "<bob@example.com>",
        "<>",
        "<postmaster>",
        "<a..b@example.org>",
        "<@relay.example:bob@example.com>",
        r#"<"q\"x"@example.com>"#,
        r#"<"unterminated@example.com>"#,
        "<a@-bad.example>",
        "<a@[>",
        "<a@[]>",
        "<",
        "alice@example.org",
        "<a@b.example",
        "<ü@é.example>",
        "<a@b.example>junk",
        "<@>",
        "< >",
    ]);
    let params = rng.pick(&[
        "",
        "",
        " SIZE=100",
        " SIZE=99999999999999999999",
        " SIZE=x",
        " BODY=8BITMIME",
        " =x",
        " NOTIFY=NEVER ORCPT=rfc822;a@b",
    ]);
    format!("{path}{params}")
}

fn base64(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => "QUFB".repeat(500),
        _ => rng
            .pick(&[
                "AGFsaWNlAHNlY3JldA==",
                "YWxpY2U=",
                "c2VjcmV0",
                "!!!",
                "=",
                "*",
                "",
                "AA==",
                "AAAA",
                "YQ",
            ])
            .to_string(),
    }
}

/// One command-like line.
fn command(rng: &mut Rng) -> Vec<u8> {
    let line = match rng.below(22) {
        0 | 1 => format!("{} {}", rng.pick(&["EHLO", "HELO", "ehlo"]), host(rng)),
        2 | 3 => format!(
            "{}{}",
            rng.pick(&["MAIL FROM:", "mail from: "]),
            address(rng)
        ),
        4..=8 => format!("{}{}", rng.pick(&["RCPT TO:", "rcpt to:"]), address(rng)),
        9 | 10 => rng.pick(&["DATA", "data", "DATA x"]).to_string(),
        11 => rng
            .pick(&["RSET", "NOOP", "NOOP hello", "RSET x"])
            .to_string(),
        12 => rng
            .pick(&["QUIT", "quit", "QUIT now", "NOOP", "RSET"])
            .to_string(),
        13 => rng.pick(&["STARTTLS", "STARTTLS x"]).to_string(),
        14 | 15 => {
            let mechanism = rng.pick(&["PLAIN", "LOGIN", "CRAM-MD5", "XFOO", "plain"]);
            if rng.chance(50) {
                format!("AUTH {mechanism} {}", base64(rng))
            } else {
                format!("AUTH {mechanism}")
            }
        }
        16 => rng
            .pick(&["VRFY bob", "EXPN list", "BDAT 10 LAST", "HELP", "ETRN x"])
            .to_string(),
        17 => rng
            .pick(&["", " ", "FROB", "MAIL", "RCPT TO:", "AUTH", "HELO", "\t"])
            .to_string(),
        18 => format!("NOOP {}", "x".repeat(400 + rng.below(3000))),
        19 => base64(rng),
        _ => format!(
            "{} {}",
            rng.pick(&["MAIL FROM:", "RCPT TO:", "EHLO"]),
            address(rng)
        ),
    };
    let mut bytes = line.into_bytes();
    if rng.chance(8) {
        let at = rng.below(bytes.len() + 1);
        let junk: &[u8] = match rng.below(4) {
            0 => b"\0",
            1 => b"\xff",
            2 => b"\xc3",
            _ => b"\r",
        };
        bytes.splice(at..at, junk.iter().copied());
    }
    bytes
}

/// Message lines after DATA, usually with the terminating dot.
fn message(rng: &mut Rng, lines: &mut Vec<Vec<u8>>) {
    for _ in 0..rng.below(8) {
        let line: Vec<u8> = match rng.below(12) {
            0 => b"Subject: hello".to_vec(),
            1 => b"From: <alice@example.org>".to_vec(),
            2 => Vec::new(),
            3 => b"..".to_vec(),
            4 => b".x".to_vec(),
            5 => b"..x".to_vec(),
            6 => vec![b'y'; 1000 + rng.below(5000)],
            7 => b"bin\0ary \xff\xfe".to_vec(),
            8 => b"Subject: =?utf-8?B?!!!?=".to_vec(),
            9 => b"Content-Type: multipart/mixed; boundary=\"b\"".to_vec(),
            10 => b"--b".to_vec(),
            _ => b"body text".to_vec(),
        };
        lines.push(line);
    }
    if rng.chance(85) {
        lines.push(b".".to_vec());
    }
}

/// A random conversation.
fn conversation(rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    // Mostly a good start, so that the hooks of later stages run too.
    for line in ["EHLO client.example", "MAIL FROM:<alice@example.org>"] {
        if rng.chance(70) {
            lines.push(line.as_bytes().to_vec());
        }
    }
    for _ in 0..1 + rng.below(30) {
        let line = command(rng);
        let upper = line.to_ascii_uppercase();
        lines.push(line);
        if upper.starts_with(b"DATA") && rng.chance(80) {
            message(rng, &mut lines);
        } else if upper.starts_with(b"AUTH") && rng.chance(60) {
            lines.push(base64(rng).into_bytes());
        } else if upper.starts_with(b"RCPT") && rng.chance(3) {
            for i in 0..150 {
                lines.push(format!("RCPT TO:<user{i}@example.com>").into_bytes());
            }
        }
    }
    lines
}

/// The hook scripts of one conversation: a few hooks, each with a script.
fn scripts(rng: &mut Rng, dir: &Path) -> Scripts {
    let mut scripts = Scripts::new();
    // Every SMTP hook (the queue hooks never run in a session).
    for hook in Hook::ALL
        .into_iter()
        .filter(|h| !matches!(h, Hook::PreDelivery | Hook::PostDelivery))
    {
        // A failing connect, proxy or helo hook ends most conversations
        // early, so those get scripts less often.
        let percent = match hook {
            Hook::Proxy => 5,
            Hook::Connect => 15,
            Hook::Helo => 30,
            _ => 60,
        };
        if rng.chance(percent) {
            let name = rng.pick(&SCRIPTS);
            let path = dir.join(format!("{name}.hsl"));
            let script = Script::load(&path, format!("{name}.hsl")).expect("fuzz script loads");
            scripts.insert(hook, script);
        }
    }
    scripts
}

fn config(rng: &mut Rng, seed: u64) -> Config {
    Config {
        hostname: "mx.example.net".into(),
        server_id: "inbound".into(),
        local: ("10.0.0.1".into(), 25),
        remote: ("192.0.2.10".into(), 41666),
        remote_ptr: None,
        message_size: [200, 10_000, 10 * 1024 * 1024][rng.below(3)],
        max_recipients: [0, 1, 3, 100][rng.below(4)],
        tls: rng.chance(50).then(|| TlsInfo {
            protocol: "TLSv1.3".into(),
            cipher: "TLS_AES_256_GCM_SHA384".into(),
            keysize: 256,
            sni: None,
        }),
        auth: vec!["PLAIN".into(), "LOGIN".into(), "CRAM-MD5".into()],
        transport: "mx".into(),
        id_seed: seed,
        clock: 1_767_268_800.0,
    }
}

/// A well-formed reply: code 2xx–5xx, an enhanced code of the same class
/// (never with 3xx), one wire line per text line.
fn check_reply(r: &Reply) {
    assert!((200..600).contains(&r.code), "reply code {}", r.code);
    if let Some([class, _, _]) = r.enhanced {
        assert!(
            matches!(class, 2 | 4 | 5) && u16::from(class) == r.code / 100,
            "enhanced code {:?} with {}",
            r.enhanced,
            r.code
        );
    }
    let wire = r.wire_lines();
    let code = r.code.to_string();
    for (i, line) in wire.iter().enumerate() {
        assert!(!line.contains(['\r', '\n']), "line break inside {line:?}");
        assert!(line.starts_with(&code), "{line:?}");
        let sep = line.as_bytes().get(3).copied();
        if i + 1 < wire.len() {
            assert_eq!(sep, Some(b'-'), "{line:?}");
        } else {
            assert!(matches!(sep, None | Some(b' ')), "{line:?}");
        }
        if let (Some([a, b, c]), Some(rest)) = (r.enhanced, line.get(4..)) {
            assert!(rest.starts_with(&format!("{a}.{b}.{c}")), "{line:?}");
        }
    }
}

/// What the client can tell of the server's state from the replies.
#[derive(Default)]
struct Model {
    helo: bool,
    sender: bool,
    recipients: usize,
    auth_exchange: bool,
}

impl Model {
    fn new_transaction(&mut self) {
        self.sender = false;
        self.recipients = 0;
    }
}

/// Runs one conversation and checks every reply and the invariants.
fn replay(rng: &mut Rng, scripts: &Scripts, lines: &[Vec<u8>], seed: u64) {
    let cfg = config(rng, seed);
    let max_recipients = cfg.max_recipients;
    let version = [HalonVersion::V6, HalonVersion::V5, HalonVersion::V4][rng.below(3)];
    let runner = Runner::new(scripts, version, cfg.clock, seed, Default::default(), 2_000);
    let mut server = Server::new(cfg, runner);
    server.connect();
    let (_, replies) = server.take();
    assert_eq!(replies.len(), 1, "one banner");
    check_reply(&replies[0]);
    let mut model = Model::default();
    for line in lines {
        let closed = server.is_closed();
        let in_data = server.in_data();
        server.line(line);
        let (hooks, replies) = server.take();
        replies.iter().for_each(check_reply);
        if closed {
            assert!(
                hooks.is_empty() && replies.is_empty(),
                "activity after close"
            );
            continue;
        }
        if in_data {
            if line == b"." {
                assert_eq!(replies.len(), 1, "one reply to the end of data");
                assert!(!server.in_data());
                model.new_transaction();
            } else {
                assert!(replies.is_empty() && hooks.is_empty() && server.in_data());
            }
            continue;
        }
        assert_eq!(replies.len(), 1, "one reply per command");
        let reply = &replies[0];
        let (code, positive) = (reply.code, reply.is_positive());
        if matches!(code, 221 | 421 | 521) {
            assert!(server.is_closed(), "{code} closes the connection");
        }
        let exchange = (300..400).contains(&code) && !server.is_closed();
        if std::mem::take(&mut model.auth_exchange) {
            model.auth_exchange = exchange;
            continue;
        }
        if hooks
            .iter()
            .any(|h| h.hook == "proxy" && h.verdict == "Reply")
        {
            continue;
        }
        let text = String::from_utf8_lossy(line);
        let verb = text.split(' ').next().unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "HELO" | "EHLO" if positive => {
                model.helo = true;
                model.new_transaction();
            }
            "MAIL" if positive => {
                assert!(model.helo, "MAIL accepted before HELO");
                assert!(!model.sender, "a second MAIL accepted");
                model.sender = true;
            }
            "RCPT" if positive => {
                assert!(model.sender, "RCPT accepted without MAIL");
                model.recipients += 1;
                assert!(model.recipients <= max_recipients, "recipient limit");
            }
            "DATA" => {
                assert_eq!(server.in_data(), code == 354);
                if code == 354 {
                    assert!(
                        model.sender && model.recipients > 0,
                        "DATA without recipients"
                    );
                }
            }
            "RSET" if positive => model.new_transaction(),
            "STARTTLS" if code == 220 => {
                model.helo = false;
                model.new_transaction();
            }
            "AUTH" => model.auth_exchange = exchange,
            "QUIT" if code == 221 => assert!(server.is_closed()),
            _ => {}
        }
    }
    server.finish();
    let (hooks, replies) = server.take();
    assert!(replies.is_empty(), "no reply after the end");
    assert!(hooks.iter().all(|h| h.hook == "disconnect"));
    server.finish();
    let (hooks, _) = server.take();
    assert!(hooks.is_empty(), "the disconnect hook runs once");
}

#[test]
fn random_conversations_get_well_formed_replies_and_keep_the_invariants() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/simulate/robustness");
    hsl_syntax::run_with_large_stack(|| {
        let mut rng = Rng(0x5EED_1234_ABCD_0001);
        for n in 0..CONVERSATIONS {
            let scripts = scripts(&mut rng, &dir);
            let lines = conversation(&mut rng);
            let seed = rng.next();
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                replay(&mut rng, &scripts, &lines, seed)
            }));
            if let Err(panic) = outcome {
                let shown: Vec<String> = lines
                    .iter()
                    .map(|l| String::from_utf8_lossy(&l[..l.len().min(80)]).into_owned())
                    .collect();
                let hooks: Vec<String> = scripts
                    .iter()
                    .map(|(h, s)| format!("{}={}", h.as_str(), s.display))
                    .collect();
                eprintln!("conversation {n} failed; hooks {hooks:?}; lines {shown:#?}");
                std::panic::resume_unwind(panic);
            }
        }
    });
}

/// The replies' wire lines to `lines`, with the given scripts from the
/// robustness directory and a limit of 100,000 recipients.
fn exchange<S: AsRef<[u8]>>(hooks: &[(Hook, &str)], lines: &[S]) -> Vec<Vec<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/simulate/robustness");
    let mut scripts = Scripts::new();
    for (hook, name) in hooks {
        let script = Script::load(&dir.join(format!("{name}.hsl")), name.to_string());
        scripts.insert(*hook, script.expect("script loads"));
    }
    let cfg = Config {
        max_recipients: 100_000,
        ..config(&mut Rng(1), 1)
    };
    let runner = Runner::new(
        &scripts,
        HalonVersion::V6,
        0.0,
        1,
        Default::default(),
        2_000,
    );
    let mut server = Server::new(cfg, runner);
    server.connect();
    server.take();
    lines
        .iter()
        .flat_map(|line| {
            server.line(line.as_ref());
            server.take().1
        })
        .map(|r| r.wire_lines())
        .collect()
}

#[test]
fn thousands_of_recipients_take_linear_time() {
    // Each rcptto run sees every recipient so far; rebuilding that list per
    // run took minutes here.
    let mut lines = vec![
        "EHLO client.example".to_string(),
        "MAIL FROM:<a@example.org>".into(),
    ];
    lines.extend((0..5000).map(|i| format!("RCPT TO:<user{i}@example.com>")));
    let started = std::time::Instant::now();
    let replies = exchange(&[(Hook::RcptTo, "accept")], &lines);
    assert!(replies[2..].iter().all(|r| r[0] == "250 Recipient OK"));
    let elapsed = started.elapsed();
    assert!(elapsed.as_secs() < 30, "{elapsed:?} for 5000 recipients");
}

#[test]
fn a_reply_code_of_the_wrong_class_is_a_script_error() {
    let helo = exchange(
        &[(Hook::Helo, "accept-refused")],
        &["EHLO client.example", "MAIL FROM:<a@example.org>"],
    );
    assert_eq!(helo[0], ["450 Try again later"], "helo's on-error Defer()");
    assert_eq!(helo[1], ["503 5.5.1 Send HELO/EHLO first"]);
    let plain = "AUTH PLAIN AGFsaWNlAHNlY3JldA==";
    let auth = exchange(
        &[(Hook::Auth, "accept-refused")],
        &["EHLO client.example", plain, plain],
    );
    assert_eq!(auth[1], ["454 Try again later"], "auth's on-error Defer()");
    assert_eq!(auth[2], ["454 Try again later"], "not authenticated");
}

#[test]
fn a_reject_with_354_never_accepts_the_recipient() {
    let replies = exchange(
        &[(Hook::RcptTo, "reject-354")],
        &[
            "EHLO client.example",
            "MAIL FROM:<a@example.org>",
            "RCPT TO:<b@example.org>",
            "DATA",
        ],
    );
    assert_eq!(
        replies[2],
        ["450 Try again later"],
        "rcptto's on-error Defer()"
    );
    assert_eq!(replies[3], ["554 5.5.1 No valid recipients"]);
}

#[test]
fn script_reasons_become_well_formed_replies() {
    let replies = exchange(
        &[(Hook::RcptTo, "reject")],
        &[
            "EHLO client.example",
            "MAIL FROM:<a@example.org>",
            "RCPT TO:<b@example.org>",
        ],
    );
    assert_eq!(replies[2], ["551-no", "551 not today"]);
}
