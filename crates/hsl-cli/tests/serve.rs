//! End-to-end tests of `hsl serve`: real SMTP conversations over loopback
//! sockets (plain, STARTTLS with a rustls client, AUTH, pipelining), the
//! listener's limits, Ctrl-C, and recordings that `hsl simulate` replays to
//! the same replies.

mod common;

use common::{hsl, testdata};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

/// A running `hsl serve` on a free loopback port.
struct Serve {
    child: Child,
    port: u16,
}

impl Serve {
    /// Starts `hsl serve` on the test workspace with extra arguments.
    fn start(args: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hsl"))
            .args(["serve", "serve/workspace", "--listen", "127.0.0.1:0"])
            .args(args)
            .current_dir(testdata())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("hsl serve starts");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let port = line
            .split("127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Serve { child, port }
    }

    fn connect(&self) -> Client<TcpStream> {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        Client {
            stream,
            buf: Vec::new(),
        }
    }

    /// Stops it as Ctrl-C does; its standard output.
    fn stop(mut self) -> String {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(killed.success());
        let mut out = String::new();
        self.child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let status = self.child.wait().unwrap();
        assert!(status.success(), "Ctrl-C stops cleanly: {status}");
        out
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A line-oriented SMTP client over any stream.
struct Client<S: Read + Write> {
    stream: S,
    buf: Vec<u8>,
}

impl<S: Read + Write> Client<S> {
    fn line(&mut self) -> Option<String> {
        loop {
            if let Some(n) = self.buf.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=n).collect();
                return Some(String::from_utf8_lossy(&line).trim_end().to_string());
            }
            let mut chunk = [0; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) | Err(_) => return None,
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
            }
        }
    }

    /// One reply, its lines joined by `\n`.
    fn reply(&mut self) -> String {
        let mut lines = Vec::new();
        loop {
            let line = self
                .line()
                .unwrap_or_else(|| panic!("closed after {lines:?}"));
            let last = line.as_bytes().get(3) != Some(&b'-');
            lines.push(line);
            if last {
                return lines.join("\n");
            }
        }
    }

    fn send(&mut self, text: &str) {
        self.stream.write_all(text.as_bytes()).unwrap();
        self.stream.flush().unwrap();
    }

    /// Sends one line, returns the reply.
    fn say(&mut self, line: &str) -> String {
        self.send(&format!("{line}\r\n"));
        self.reply()
    }

    /// The server closed the connection.
    fn closed(&mut self) -> bool {
        self.line().is_none()
    }
}

fn b64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A message with a line that starts with a dot, stuffed as a client sends it.
const MESSAGE: &str = "Subject: hello\r\n\r\n..leading dot\r\nbody\r\n.\r\n";

/// A whole mail transaction, the envelope pipelined in one write.
fn send_mail<S: Read + Write>(c: &mut Client<S>) -> Vec<String> {
    c.send("MAIL FROM:<a@sender.example>\r\nRCPT TO:<bob@example.com>\r\nRCPT TO:<nobody@example.com>\r\nDATA\r\n");
    let mut replies: Vec<String> = (0..4).map(|_| c.reply()).collect();
    c.send(MESSAGE);
    replies.push(c.reply());
    replies
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hsl-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_plain_session_answers_pipelined_commands_in_order() {
    let serve = Serve::start(&["--no-starttls", "--clock", "fixed"]);
    let mut c = serve.connect();
    assert_eq!(c.reply(), "220 mx.example.net ESMTP");
    let ehlo = c.say("EHLO client.example");
    assert!(
        ehlo.starts_with("250-mx.example.net\n250-PIPELINING\n"),
        "{ehlo}"
    );
    assert!(!ehlo.contains("STARTTLS"), "{ehlo}");
    let replies = send_mail(&mut c);
    assert_eq!(
        replies[..4],
        [
            "250 Sender OK",
            "250 Recipient OK",
            "554 5.1.1 No such user",
            "354 End data with <CR><LF>.<CR><LF>",
        ]
    );
    assert!(replies[4].starts_with("250 Ok: queued as "), "{replies:?}");
    assert_eq!(c.say("RSET"), "250 2.0.0 OK");
    assert_eq!(c.say("HELO"), "501 5.5.4 Syntax: HELO hostname");
    assert_eq!(c.say("QUIT"), "221 2.0.0 Bye");
    assert!(c.closed());
    let out = serve.stop();
    assert!(out.contains("C: MAIL FROM:<a@sender.example>\n"), "{out}");
    assert!(
        out.contains("     | subject: hello\n     | tls: none\n"),
        "{out}"
    );
    assert!(out.contains("-- disconnected\n   disconnect (src/hooks/disconnect/inbound.hsl) → Pass  (implicit)\n     | recipients accepted: 1\n"), "{out}");
}

/// A client configuration that trusts the certificate `cert` (DER).
fn tls_client(cert: rustls::pki_types::CertificateDer<'static>) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Arc::new(
        rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

/// A self-signed certificate for `localhost` in `dir`: the PEM files and the DER.
fn certificate(dir: &Path) -> (PathBuf, PathBuf, rustls::pki_types::CertificateDer<'static>) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    std::fs::write(dir.join("cert.pem"), made.cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), made.signing_key.serialize_pem()).unwrap();
    (
        dir.join("cert.pem"),
        dir.join("key.pem"),
        made.cert.der().clone(),
    )
}

/// STARTTLS and the handshake, trusting `cert`.
fn starttls(
    mut c: Client<TcpStream>,
    cert: rustls::pki_types::CertificateDer<'static>,
) -> Client<rustls::StreamOwned<rustls::ClientConnection, TcpStream>> {
    assert_eq!(c.say("STARTTLS"), "220 2.0.0 Ready to start TLS");
    let name = "localhost".try_into().unwrap();
    let conn = rustls::ClientConnection::new(tls_client(cert), name).unwrap();
    Client {
        stream: rustls::StreamOwned::new(conn, c.stream),
        buf: Vec::new(),
    }
}

#[test]
fn starttls_then_auth_login_over_tls() {
    let dir = temp_dir("tls");
    let (cert, key, der) = certificate(&dir);
    let serve = Serve::start(&[
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    let mut c = serve.connect();
    c.reply();
    assert!(c.say("EHLO client.example").contains("\n250-STARTTLS\n"));
    assert_eq!(c.say("MAIL FROM:<a@b.example>"), "250 Sender OK");
    let mut c = starttls(c, der);
    // STARTTLS starts over: a new EHLO, and no transaction in progress.
    assert_eq!(
        c.say("RCPT TO:<bob@example.com>"),
        "503 5.5.1 Need MAIL command"
    );
    let ehlo = c.say("EHLO client.example");
    assert!(
        !ehlo.contains("STARTTLS") && ehlo.ends_with("250 AUTH PLAIN LOGIN"),
        "{ehlo}"
    );
    assert_eq!(c.say("AUTH LOGIN"), "334 VXNlcm5hbWU6");
    assert_eq!(c.say(&b64("alice")), "334 UGFzc3dvcmQ6");
    assert_eq!(c.say(&b64("secret")), "235 Authentication successful");
    let replies = send_mail(&mut c);
    assert!(replies[4].starts_with("250 Ok: queued as "), "{replies:?}");
    assert_eq!(c.say("QUIT"), "221 2.0.0 Bye");
    let out = serve.stop();
    assert!(
        out.contains("     | tls: TLSv1.3\n     | auth: alice\n"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn wrong_passwords_hook_errors_and_many_clients_at_once() {
    let serve = Serve::start(&["--clock", "fixed"]);
    let clients: Vec<_> = (0..8)
        .map(|i| {
            let mut c = serve.connect();
            std::thread::spawn(move || {
                c.reply();
                c.say("EHLO client.example");
                let password = if i % 2 == 0 { "secret" } else { "wrong" };
                let auth = c.say(&format!(
                    "AUTH PLAIN {}",
                    b64(&format!("\0alice\0{password}"))
                ));
                // A script error takes the hook's on-error verdict; the
                // connection and the server go on.
                c.say("MAIL FROM:<a@sender.example>");
                let crash = c.say("RCPT TO:<crash@example.com>");
                c.say("RSET");
                let mail = send_mail(&mut c);
                c.say("QUIT");
                (auth, crash, mail)
            })
        })
        .collect();
    for (i, client) in clients.into_iter().enumerate() {
        let (auth, crash, mail) = client.join().unwrap();
        let want = if i % 2 == 0 {
            "235 Authentication successful"
        } else {
            "535 Authentication failed"
        };
        assert_eq!(auth, want);
        assert!(crash.starts_with('4') || crash.starts_with('5'), "{crash}");
        assert!(mail[4].starts_with("250 Ok: queued as "), "{mail:?}");
    }
    let out = serve.stop();
    assert_eq!(out.matches("-- disconnected").count(), 8, "{out}");
    assert!(
        out.contains("rcptto (src/hooks/rcptto/inbound.hsl) → "),
        "{out}"
    );
    assert!(
        out.contains("(on error)\n     error: src/hooks/rcptto/inbound.hsl:"),
        "{out}"
    );
}

#[test]
fn overlong_lines_idle_clients_and_ctrl_c_close_connections() {
    let serve = Serve::start(&["--max-line", "100", "--idle-timeout", "1"]);
    let mut long = serve.connect();
    long.reply();
    assert_eq!(
        long.say(&"x".repeat(101)),
        "500 5.5.2 Line too long, closing connection"
    );
    assert!(long.closed());
    let mut idle = serve.connect();
    idle.reply();
    assert_eq!(idle.reply(), "421 4.4.2 Idle too long, closing connection");
    assert!(idle.closed());
    let out = serve.stop();
    assert!(
        out.contains("-- closed by the listener: line too long\n"),
        "{out}"
    );
    assert!(
        out.contains("-- closed by the listener: idle for 1 s\n"),
        "{out}"
    );

    let serve = Serve::start(&[]);
    let mut open = serve.connect();
    open.reply();
    open.say("EHLO client.example");
    let out = serve.stop();
    assert_eq!(open.reply(), "421 4.3.2 Server shutting down");
    assert!(
        out.contains("-- closed by the listener: server shutting down\n"),
        "{out}"
    );
}

#[test]
fn only_loopback_addresses_are_served() {
    let o = hsl(&["serve", "serve/workspace", "--listen", "0.0.0.0:0"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("refusing to listen on 0.0.0.0:0"), "{err}");
}

/// The steps (client turn and replies) of each transcript in a JSON document or lines.
fn steps(transcripts: &[serde_json::Value]) -> Vec<(serde_json::Value, serde_json::Value)> {
    transcripts
        .iter()
        .flat_map(|t| t["steps"].as_array().unwrap().clone())
        .map(|s| (s["client"].clone(), s["replies"].clone()))
        .collect()
}

fn recorded(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

#[test]
fn a_recording_replays_to_the_same_replies() {
    let dir = temp_dir("record");
    let keys = temp_dir("record-keys");
    let (cert, key, der) = certificate(&keys);
    let serve = Serve::start(&[
        "--record",
        dir.to_str().unwrap(),
        "--record-secrets",
        "--output-format",
        "json",
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    let mut c = serve.connect();
    c.reply();
    c.say("EHLO client.example");
    c.say(&format!("AUTH PLAIN {}", b64("\0alice\0secret")));
    send_mail(&mut c);
    c.say("NOOP");
    c.say("QUIT");
    let mut c = serve.connect();
    c.reply();
    c.say("EHLO client.example");
    let mut c = starttls(c, der);
    c.say("EHLO client.example");
    send_mail(&mut c);
    c.say("QUIT");
    let mut live: Vec<serde_json::Value> = serve
        .stop()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    live.sort_by_key(|t| t["name"].as_str().unwrap().to_string());
    assert_eq!(live.len(), 2);
    let files = recorded(&dir);
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(files[0].ends_with("-0001.1.eml") && files[1].ends_with("-0001.yaml"));
    let eml = std::fs::read(dir.join(&files[0])).unwrap();
    assert_eq!(
        eml, b"Subject: hello\r\n\r\n.leading dot\r\nbody\r\n",
        "unstuffed"
    );
    assert_eq!(
        live[0]["recorded"],
        dir.join(&files[1]).display().to_string()
    );
    let tls = std::fs::read_to_string(dir.join(&files[3])).unwrap();
    assert!(
        tls.contains("tls:\n  protocol: TLSv1.3\n  cipher: TLS_"),
        "{tls}"
    );

    let o = hsl(&["simulate", "--output-format", "json", dir.to_str().unwrap()]);
    let replay: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(0), "{replay}");
    assert_eq!(replay["passed"], 2);
    let replayed = replay["sessions"].as_array().unwrap();
    assert_eq!(steps(&live), steps(replayed));
    for (live, replayed) in live.iter().zip(replayed) {
        assert_eq!(live["context"], replayed["context"]);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&keys);
}

#[test]
fn recorded_passwords_are_masked_unless_asked() {
    let dir = temp_dir("masked");
    let serve = Serve::start(&["--record", dir.to_str().unwrap()]);
    let mut c = serve.connect();
    c.reply();
    c.say("EHLO client.example");
    assert_eq!(c.say("AUTH LOGIN"), "334 VXNlcm5hbWU6");
    c.say(&b64("alice"));
    assert_eq!(c.say(&b64("secret")), "235 Authentication successful");
    c.say("QUIT");
    let out = serve.stop();
    let session = recorded(&dir)
        .into_iter()
        .find(|f| f.ends_with(".yaml"))
        .unwrap();
    let yaml = std::fs::read_to_string(dir.join(session)).unwrap();
    assert!(
        !yaml.contains(&b64("secret")) && !out.contains(&b64("secret")),
        "{yaml}"
    );
    assert!(yaml.contains(&format!("- {}\n", b64("alice"))), "{yaml}");
    assert!(yaml.contains(&format!("- {}\n", b64("********"))), "{yaml}");
    let _ = std::fs::remove_dir_all(&dir);
}
