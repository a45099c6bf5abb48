//! `hsl serve`: the reference SMTP core of `hsl simulate` behind a real
//! listener on loopback, so that real clients (swaks, `smtplib`, another
//! MTA) talk to a workspace's hook scripts. Each connection runs the same
//! server state machine and hook runner as a replayed session, on a
//! blocking thread of its own (a slow hook stalls only its connection);
//! finished connections are reported as transcripts and can be recorded as
//! session files that `hsl simulate` replays to the same replies.

mod connection;
mod live;
mod record;
pub mod tls;

use hsl_smtp::session::{FilePath, Limits, Session, StubEntry};
use hsl_smtp::transcript::Transcript;
use hsl_smtp::Prepared;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

/// The time hook scripts see.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Clock {
    /// The wall clock when the connection was accepted (fixed for the
    /// connection, so that its recording replays exactly).
    Real,
    /// This many seconds since the epoch for every connection.
    Fixed(f64),
}

impl Clock {
    fn now(self) -> f64 {
        match self {
            Clock::Real => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0.0, |d| d.as_secs_f64()),
            Clock::Fixed(t) => t,
        }
    }
}

/// How `hsl serve` runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// The Halon workspace whose hook scripts run.
    pub workspace: PathBuf,
    /// The server id whose hooks `src/config/smtpd-app.yaml` names.
    pub server_id: String,
    /// Loopback addresses to listen on (port 0: any free port).
    pub listen: Vec<SocketAddr>,
    /// A YAML or JSON list of stubbed function results.
    pub stubs: Option<PathBuf>,
    /// The time hook scripts see.
    pub clock: Clock,
    /// STARTTLS with this certificate; not offered when `None`.
    pub tls: Option<tls::Certificate>,
    /// Write each finished connection as a session file here.
    pub record: Option<PathBuf>,
    /// Record AUTH passwords as typed instead of masked.
    pub record_secrets: bool,
    /// Close connections silent for this long.
    pub idle_timeout: Duration,
    /// Longest line accepted (without CRLF).
    pub max_line: usize,
    /// Largest message (announced as SIZE).
    pub message_size: u64,
}

/// A connection that ended.
#[derive(Debug)]
pub struct Finished {
    /// What happened, as `hsl simulate` shows it.
    pub transcript: Transcript,
    /// The session file written for it, with `--record`.
    pub recorded: Option<Result<PathBuf, String>>,
    /// Why the listener itself closed the connection (idle, overlong line,
    /// shutdown), if it did.
    pub listener: Option<String>,
}

/// What every connection shares.
struct Shared {
    prepared: Prepared,
    tls: Option<tokio_rustls::TlsAcceptor>,
    clock: Clock,
    record: Option<PathBuf>,
    record_secrets: bool,
    idle_timeout: Duration,
    max_line: usize,
    /// Names connections `<start time>-<n>`.
    started: String,
    connections: AtomicU64,
}

impl Shared {
    fn next_name(&self) -> String {
        let n = self.connections.fetch_add(1, Ordering::Relaxed) + 1;
        format!("{}-{n:04}", self.started)
    }
}

/// Reads the workspace's scripts and the stubs: the session every
/// connection runs.
fn prepare(options: &Options) -> Result<Prepared, String> {
    let workspace = &options.workspace;
    if !workspace.is_dir() {
        return Err(format!("{}: not a directory", workspace.display()));
    }
    let stubs: Vec<StubEntry> = match &options.stubs {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            serde_norway::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => Vec::new(),
    };
    let mut session = Session {
        name: None,
        halon: Default::default(),
        workspace: Some(FilePath {
            text: workspace.display().to_string(),
            path: workspace.clone(),
        }),
        hooks: Default::default(),
        server: Default::default(),
        client: Default::default(),
        tls: options.tls.as_ref().map(|_| tls::offered()),
        clock: None,
        limits: Limits {
            message_size: options.message_size,
            ..Limits::default()
        },
        stubs,
        conversation: Vec::new(),
        expect: Vec::new(),
    };
    session.server.id = options.server_id.clone();
    hsl_smtp::prepare_session(&workspace.join("hsl-serve"), session).map_err(|e| e.message)
}

fn check_loopback(addresses: &[SocketAddr]) -> Result<(), String> {
    match addresses.iter().find(|a| !a.ip().is_loopback()) {
        Some(a) => Err(format!(
            "refusing to listen on {a}: `hsl serve` listens on loopback addresses only \
             (127.0.0.0/8 or ::1)"
        )),
        None => Ok(()),
    }
}

/// Listens until Ctrl-C: `ready` gets the bound addresses, `finished` each
/// connection as it ends. Setup errors (workspace, scripts, certificate,
/// addresses) are returned before anything listens.
pub fn serve(
    options: Options,
    ready: impl FnOnce(&[SocketAddr]),
    finished: impl Fn(Result<Finished, String>) + Send + Sync + 'static,
) -> Result<(), String> {
    check_loopback(&options.listen)?;
    let prepared = prepare(&options)?;
    let tls = options.tls.as_ref().map(tls::acceptor).transpose()?;
    if let Some(dir) = &options.record {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let shared = Arc::new(Shared {
        prepared,
        tls,
        clock: options.clock,
        record: options.record.clone(),
        record_secrets: options.record_secrets,
        idle_timeout: options.idle_timeout,
        max_line: options.max_line,
        started: timestamp(SystemTime::now()),
        connections: AtomicU64::new(0),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Hook scripts run on the blocking threads: the interpreter's stack.
        .thread_stack_size(hsl_syntax::LARGE_STACK)
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(listen(shared, &options.listen, ready, Arc::new(finished)))
}

async fn listen(
    shared: Arc<Shared>,
    addresses: &[SocketAddr],
    ready: impl FnOnce(&[SocketAddr]),
    finished: Arc<dyn Fn(Result<Finished, String>) + Send + Sync>,
) -> Result<(), String> {
    let mut bound = Vec::new();
    let (accepted, mut incoming) = mpsc::channel(64);
    let mut listeners = JoinSet::new();
    for address in addresses {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| format!("listening on {address}: {e}"))?;
        bound.push(listener.local_addr().map_err(|e| e.to_string())?);
        let accepted = accepted.clone();
        listeners.spawn(async move {
            loop {
                // Accept errors (too many open files…) concern one client.
                if let Ok(pair) = listener.accept().await {
                    if accepted.send(pair).await.is_err() {
                        return;
                    }
                }
            }
        });
    }
    ready(&bound);
    let (stop, stopped) = watch::channel(false);
    let mut connections = JoinSet::new();
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        tokio::select! {
            Some((tcp, remote)) = incoming.recv() => {
                let (shared, stopped, finished) = (shared.clone(), stopped.clone(), finished.clone());
                connections.spawn(async move {
                    finished(connection::handle(shared, tcp, remote, stopped).await);
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = &mut ctrl_c => break,
        }
    }
    listeners.abort_all();
    let _ = stop.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// `20261127T174512Z` for a time.
fn timestamp(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = hsl_smtp::calendar::civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_names_start_with_the_utc_start_time() {
        let at = UNIX_EPOCH + Duration::from_secs(1_767_268_800);
        assert_eq!(timestamp(at), "20260101T120000Z");
        assert_eq!(timestamp(UNIX_EPOCH), "19700101T000000Z");
    }

    #[test]
    fn only_loopback_addresses_are_listened_on() {
        let ok: Vec<SocketAddr> = vec!["127.0.0.1:0".parse().unwrap(), "[::1]:25".parse().unwrap()];
        assert!(check_loopback(&ok).is_ok());
        let err = check_loopback(&["0.0.0.0:2525".parse().unwrap()]).unwrap_err();
        assert!(err.contains("refusing to listen on 0.0.0.0:2525"), "{err}");
    }
}
