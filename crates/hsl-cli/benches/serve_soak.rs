//! Soak test of `hsl serve`: 1,000 connections from a pool of local clients,
//! each a whole mail transaction (EHLO, MAIL, RCPT, DATA, QUIT) through the
//! test workspace's hooks. Fails when a connection is lost or the server's
//! resident memory keeps growing; prints connections per second.
//!
//! `cargo bench -p hsl-cli --bench serve_soak` (`SOAK_CONNECTIONS`,
//! `SOAK_CLIENTS` change the numbers).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Resident memory of a process in KiB (Linux).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One whole transaction; the first unexpected reply or I/O error.
fn session(port: u16) -> Result<(), String> {
    let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream);
    let mut expect = |code: &str| -> Result<(), String> {
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
                return Err(format!("closed while waiting for {code}"));
            }
            if !line.starts_with(code) {
                return Err(format!("expected {code}, got {line:?}"));
            }
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok(());
            }
        }
    };
    let mut say = |text: &str| writer.write_all(text.as_bytes()).map_err(|e| e.to_string());
    expect("220")?;
    say("EHLO client.example\r\n")?;
    expect("250")?;
    // Pipelined envelope.
    say("MAIL FROM:<a@sender.example>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n")?;
    expect("250")?;
    expect("250")?;
    expect("354")?;
    say("Subject: soak\r\n\r\nHello.\r\n.\r\nQUIT\r\n")?;
    expect("250")?;
    expect("221")
}

fn main() {
    let total = env_number("SOAK_CONNECTIONS", 1000);
    let clients = env_number("SOAK_CLIENTS", 16);
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let mut server = Command::new(env!("CARGO_BIN_EXE_hsl"))
        .args([
            "serve",
            "serve/workspace",
            "--listen",
            "127.0.0.1:0",
            "--no-starttls",
        ])
        .current_dir(testdata)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hsl serve starts");
    let mut line = String::new();
    BufReader::new(server.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|p| p.parse().ok())
        .expect("hsl serve prints its address");
    let pid = server.id();

    let next = Arc::new(AtomicUsize::new(0));
    let lost = Arc::new(AtomicUsize::new(0));
    let mut samples = Vec::new();
    let started = Instant::now();
    let pool: Vec<_> = (0..clients)
        .map(|_| {
            let (next, lost) = (next.clone(), lost.clone());
            std::thread::spawn(move || {
                while next.fetch_add(1, Ordering::Relaxed) < total {
                    if let Err(e) = session(port) {
                        eprintln!("lost a connection: {e}");
                        lost.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    while pool.iter().any(|t| !t.is_finished()) {
        let done = next.load(Ordering::Relaxed).min(total);
        if let Some(kib) = rss_kib(pid) {
            samples.push((done, kib));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    for t in pool {
        t.join().unwrap();
    }
    let elapsed = started.elapsed();
    let end_rss = rss_kib(pid);
    let _ = server.kill();
    let _ = server.wait();
    let mut stdout = std::io::stdout();
    let _ = writeln!(
        stdout,
        "{total} connections from {clients} clients in {:.2} s: {:.0} connections/s, {} lost",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        lost.load(Ordering::Relaxed)
    );
    // Memory after the first quarter (warmed up) against the end.
    let warm = samples
        .iter()
        .find(|(done, _)| *done >= total / 4)
        .map(|s| s.1);
    let _ = writeln!(
        stdout,
        "server resident memory: {} KiB after {} connections, {} KiB at the end",
        warm.map_or("?".into(), |k| k.to_string()),
        total / 4,
        end_rss.map_or("?".into(), |k| k.to_string())
    );
    assert_eq!(lost.load(Ordering::Relaxed), 0, "connections lost");
    if let (Some(warm), Some(end)) = (warm, end_rss) {
        // Flat: not growing with the number of connections served.
        assert!(
            end <= warm + warm / 4 + 4096,
            "memory grew from {warm} KiB to {end} KiB"
        );
    }
}
