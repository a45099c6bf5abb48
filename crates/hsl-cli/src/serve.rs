//! `hsl serve [WORKSPACE]`: the reference SMTP core as a loopback listener
//! for real clients; each finished connection is printed as `hsl simulate`
//! prints a session (or as one JSON line), and recorded with `--record`.

use crate::simulate::{render, Paint};
use hsl_serve::tls::Certificate;
use hsl_serve::{Clock, Finished, Options};
use hsl_smtp::Report;
use serde::Serialize;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Output formats of `hsl serve`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable transcripts.
    Text,
    /// One JSON object per connection, one per line.
    Json,
}

/// Arguments of `hsl serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// The Halon workspace whose hook scripts run.
    #[arg(default_value = ".")]
    workspace: PathBuf,
    /// Loopback address and port to listen on (repeatable; port 0 picks a free one).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:2525")]
    listen: Vec<SocketAddr>,
    /// The server id whose hooks `src/config/smtpd-app.yaml` names.
    #[arg(long, value_name = "ID", default_value = "inbound")]
    server_id: String,
    /// YAML or JSON list of stubbed results: `- { function, args, returns }`.
    #[arg(long, value_name = "FILE")]
    stub: Option<PathBuf>,
    /// The time hook scripts see: `real` (the time a connection is accepted),
    /// `fixed` (the epoch, as a session file without `clock`), or an RFC 3339
    /// time or seconds since the epoch.
    #[arg(long, value_name = "real|fixed|TIME", default_value = "real", value_parser = parse_clock)]
    clock: Clock,
    /// PEM certificate chain for STARTTLS (default: a self-signed one made at start).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of `--tls-cert`.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Do not offer STARTTLS.
    #[arg(long, conflicts_with_all = ["tls_cert", "tls_key"])]
    no_starttls: bool,
    /// Write each finished connection as a session file (and its messages as `.eml`) here.
    #[arg(long, value_name = "DIR")]
    record: Option<PathBuf>,
    /// Record AUTH passwords as typed (masked by default).
    #[arg(long, requires = "record")]
    record_secrets: bool,
    /// Close connections idle for this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    idle_timeout: u64,
    /// Longest line accepted, in bytes (a longer one closes the connection).
    #[arg(long, value_name = "BYTES", default_value_t = 16_384)]
    max_line: usize,
    /// Largest message in bytes (announced as SIZE).
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    message_size: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    output_format: Format,
}

fn parse_clock(text: &str) -> Result<Clock, String> {
    match text {
        "real" => Ok(Clock::Real),
        "fixed" => Ok(Clock::Fixed(0.0)),
        _ => text
            .parse::<f64>()
            .ok()
            .filter(|t| t.is_finite())
            .or_else(|| hsl_smtp::session::parse_rfc3339(text))
            .map(Clock::Fixed)
            .ok_or_else(|| {
                format!(
                    "`{text}` is not `real`, `fixed`, an RFC 3339 time or seconds since the epoch"
                )
            }),
    }
}

#[derive(Serialize)]
struct JsonLine<'a> {
    #[serde(flatten)]
    transcript: &'a hsl_smtp::transcript::Transcript,
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closed_by_listener: Option<&'a str>,
}

/// Serves until Ctrl-C.
pub fn run(args: ServeArgs) -> ExitCode {
    let tls = match (args.no_starttls, args.tls_cert, args.tls_key) {
        (true, _, _) => None,
        (false, Some(cert), Some(key)) => Some(Certificate::Files { cert, key }),
        _ => Some(Certificate::Generate),
    };
    let options = Options {
        workspace: args.workspace,
        server_id: args.server_id,
        listen: args.listen,
        stubs: args.stub,
        clock: args.clock,
        tls,
        record: args.record,
        record_secrets: args.record_secrets,
        idle_timeout: Duration::from_secs(args.idle_timeout),
        max_line: args.max_line,
        message_size: args.message_size,
    };
    let format = args.output_format;
    let workspace = options.workspace.display().to_string();
    let ready = |addresses: &[SocketAddr]| {
        for a in addresses {
            eprintln!("hsl serve: listening on {a} (workspace {workspace}; Ctrl-C stops)");
        }
    };
    match hsl_serve::serve(options, ready, move |f| print(f, format)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Prints a finished connection whole, so that connections do not interleave.
fn print(finished: Result<Finished, String>, format: Format) {
    let f = match finished {
        Ok(f) => f,
        Err(e) => return eprintln!("error: {e}"),
    };
    let recorded = match &f.recorded {
        Some(Ok(path)) => Some(path.display().to_string()),
        Some(Err(e)) => {
            eprintln!("error: {e}");
            None
        }
        None => None,
    };
    let text = match format {
        Format::Json => {
            let line = JsonLine {
                transcript: &f.transcript,
                recorded,
                closed_by_listener: f.listener.as_deref(),
            };
            format!("{}\n", serde_json::to_string(&line).unwrap_or_default())
        }
        Format::Text => {
            let paint = Paint::for_stdout();
            let report = Report {
                transcript: f.transcript,
                is_test: false,
                failures: Vec::new(),
            };
            let mut text = render(&report, paint);
            if let Some(why) = &f.listener {
                text.push_str(&paint.dim(&format!("-- closed by the listener: {why}\n")));
            }
            if let Some(path) = recorded {
                text.push_str(&paint.dim(&format!("-- recorded as {path}\n")));
            }
            text.push('\n');
            text
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_are_real_fixed_or_a_time() {
        assert_eq!(parse_clock("real"), Ok(Clock::Real));
        assert_eq!(parse_clock("fixed"), Ok(Clock::Fixed(0.0)));
        assert_eq!(parse_clock("1767268800"), Ok(Clock::Fixed(1_767_268_800.0)));
        assert_eq!(
            parse_clock("2026-01-01T12:00:00Z"),
            Ok(Clock::Fixed(1_767_268_800.0))
        );
        assert!(parse_clock("noon").unwrap_err().contains("`noon`"));
        assert!(parse_clock("inf").is_err());
    }
}
