//! One client connection: lines read from the socket (plain, then TLS after
//! STARTTLS) go one by one to the connection's core on a blocking thread;
//! replies go back in order, written once every line received so far is
//! answered (PIPELINING). Idle clients, overlong lines and shutdown close
//! the connection with a 421 or 500 from the listener itself.

use crate::live::{Answer, Endpoints, Keep, Live};
use crate::{Finished, Shared};
use hsl_smtp::reply::Reply;
use hsl_smtp::session::TlsInfo;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};

/// What the socket side tells the core.
enum Input {
    Line(Vec<u8>),
    Tls(TlsInfo),
}

/// Why a stretch of conversation ended.
enum End {
    /// The client or the server closed the connection.
    Closed,
    /// STARTTLS was accepted: the handshake comes next.
    StartTls,
    /// The listener closed the connection, for this reason.
    Listener(String),
}

/// The channel pair to the connection's core.
struct Core {
    input: mpsc::UnboundedSender<Input>,
    answers: mpsc::UnboundedReceiver<Answer>,
}

impl Core {
    /// Sends a line and waits for its answer (`None`: the core failed).
    async fn ask(&mut self, line: &[u8]) -> Option<Answer> {
        self.input.send(Input::Line(line.to_vec())).ok()?;
        self.answers.recv().await
    }
}

/// Serves one connection to its end; the transcript and recording.
pub async fn handle(
    shared: Arc<Shared>,
    mut tcp: TcpStream,
    remote: SocketAddr,
    shutdown: watch::Receiver<bool>,
) -> Result<Finished, String> {
    let local = tcp.local_addr().map_err(|e| e.to_string())?;
    let name = shared.next_name();
    let at = Endpoints {
        name: name.clone(),
        clock: shared.clock.now(),
        local: (local.ip().to_string(), local.port()),
        remote: (remote.ip().to_string(), remote.port()),
    };
    let (input, mut inputs) = mpsc::unbounded_channel();
    let (answer, answers) = mpsc::unbounded_channel();
    let worker = {
        let shared = shared.clone();
        tokio::task::spawn_blocking(move || {
            let keep = Keep {
                messages: shared.record.is_some(),
                secrets: shared.record_secrets,
            };
            let (mut live, banner) = Live::connect(&shared.prepared, at, keep);
            let _ = answer.send(banner);
            while let Some(input) = inputs.blocking_recv() {
                match input {
                    Input::Line(line) => {
                        let _ = answer.send(live.line(&line));
                    }
                    Input::Tls(info) => live.tls(info),
                }
            }
            let (transcript, recording) = live.finish(remote.to_string());
            let recorded = shared.record.as_ref().map(|dir| {
                recording
                    .write(dir, &shared.prepared.session)
                    .map_err(|e| format!("recording {name} in {}: {e}", dir.display()))
            });
            (transcript, recorded)
        })
    };
    let mut core = Core { input, answers };
    let end = converse_all(&shared, &mut tcp, &mut core, shutdown).await;
    drop(core);
    let (transcript, recorded) = worker
        .await
        .map_err(|e| format!("connection from {remote}: the core failed: {e}"))?;
    Ok(Finished {
        transcript,
        recorded,
        listener: end,
    })
}

/// The banner, the plain conversation, and after STARTTLS the TLS one;
/// the listener's reason when it closed the connection.
async fn converse_all(
    shared: &Shared,
    tcp: &mut TcpStream,
    core: &mut Core,
    mut shutdown: watch::Receiver<bool>,
) -> Option<String> {
    let Some(banner) = core.answers.recv().await else {
        let _ = tcp.write_all(&wire(&[failed()])).await;
        return Some("the core failed".into());
    };
    if tcp.write_all(&wire(&banner.replies)).await.is_err() || banner.closed {
        return None;
    }
    match converse(shared, tcp, core, &mut shutdown).await {
        End::Closed => return None,
        End::Listener(why) => return Some(why),
        End::StartTls => {}
    }
    let acceptor = shared.tls.as_ref()?;
    let handshake = tokio::time::timeout(shared.idle_timeout, acceptor.accept(tcp)).await;
    let mut tls = match handshake {
        Ok(Ok(tls)) => tls,
        Ok(Err(e)) => return Some(format!("TLS handshake failed: {e}")),
        Err(_) => return Some("TLS handshake timed out".into()),
    };
    let info = crate::tls::negotiated(tls.get_ref().1);
    if core.input.send(Input::Tls(info)).is_err() {
        return Some("the core failed".into());
    }
    match converse(shared, &mut tls, core, &mut shutdown).await {
        // Inside TLS, STARTTLS is refused by the core and never accepted.
        End::Closed | End::StartTls => None,
        End::Listener(why) => Some(why),
    }
}

/// Reads lines and writes the core's replies until the connection closes
/// or STARTTLS is accepted (then anything the client sent after it is
/// dropped, as RFC 3207 requires).
async fn converse<S: AsyncRead + AsyncWrite + Unpin>(
    shared: &Shared,
    stream: &mut S,
    core: &mut Core,
    shutdown: &mut watch::Receiver<bool>,
) -> End {
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut out: Vec<u8> = Vec::new();
    loop {
        let mut start = 0;
        while let Some(n) = buf[start..].iter().position(|&b| b == b'\n') {
            let line = &buf[start..start + n];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            start += n + 1;
            if line.len() > shared.max_line {
                out.extend(wire(&[too_long()]));
                let _ = stream.write_all(&out).await;
                return End::Listener("line too long".into());
            }
            let Some(answer) = core.ask(line).await else {
                out.extend(wire(&[failed()]));
                let _ = stream.write_all(&out).await;
                return End::Listener("the core failed".into());
            };
            out.extend(wire(&answer.replies));
            if answer.closed || answer.starttls {
                let _ = stream.write_all(&out).await;
                let _ = stream.flush().await;
                return if answer.closed {
                    End::Closed
                } else {
                    End::StartTls
                };
            }
        }
        buf.drain(..start);
        if buf.len() > shared.max_line {
            out.extend(wire(&[too_long()]));
            let _ = stream.write_all(&out).await;
            return End::Listener("line too long".into());
        }
        if !out.is_empty() {
            if stream.write_all(&out).await.is_err() || stream.flush().await.is_err() {
                return End::Closed;
            }
            out.clear();
        }
        let read = tokio::time::timeout(shared.idle_timeout, stream.read_buf(&mut buf));
        tokio::select! {
            read = read => match read {
                Ok(Ok(0)) | Ok(Err(_)) => return End::Closed,
                Ok(Ok(_)) => {}
                Err(_) => {
                    let reply = Reply::new(421, Some([4, 4, 2]), "Idle too long, closing connection");
                    let _ = stream.write_all(&wire(&[reply])).await;
                    return End::Listener(format!("idle for {} s", shared.idle_timeout.as_secs()));
                }
            },
            _ = shutdown.changed() => {
                let reply = Reply::new(421, Some([4, 3, 2]), "Server shutting down");
                let _ = stream.write_all(&wire(&[reply])).await;
                return End::Listener("server shutting down".into());
            }
        }
    }
}

/// Replies as sent: each line ended by CRLF.
fn wire(replies: &[Reply]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in replies.iter().flat_map(Reply::wire_lines) {
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn too_long() -> Reply {
    Reply::new(500, Some([5, 5, 2]), "Line too long, closing connection")
}

fn failed() -> Reply {
    Reply::new(421, Some([4, 3, 0]), "Internal error, closing connection")
}
