//! Time from `didChange` to the matching `publishDiagnostics` of `hsl lsp`
//! on a 10,000-line hook script, over 200 edits (a space on any line, then
//! text typed inside top-level statements), and of a completion request
//! sent right after an edit; prints the median and the 99th percentile. Run with `cargo bench -p hsl-cli --bench lsp_latency`.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn frame(msg: &Value) -> Vec<u8> {
    let body = msg.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn read(out: &mut impl BufRead) -> Value {
    let mut len = 0;
    loop {
        let mut line = String::new();
        out.read_line(&mut line).expect("server output");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            len = n.parse().unwrap();
        }
    }
    let mut body = vec![0; len];
    out.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

/// A `didChange` of `uri` to `version`: `text` inserted at `line` and
/// `character`.
fn did_change(uri: &str, version: i64, line: u32, character: u32, text: &str) -> Value {
    let at = json!({"line": line, "character": character});
    json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": at, "end": at}, "text": text}]
    }})
}

/// Prints the median, 99th percentile and maximum of `times`.
fn report(times: &mut [Duration], what: &str) {
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "{what} on a 10,000-line file ({} edits): median {:.1?}, p99 {:.1?}, max {:.1?}",
        times.len(),
        pct(0.5),
        pct(0.99),
        times[times.len() - 1]
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // nothing to list for the test harness
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_hsl"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("hsl lsp starts");
    let mut input = child.stdin.take().unwrap();
    let mut output = BufReader::new(child.stdout.take().unwrap());
    let uri = format!(
        "file://{}/src/hooks/rcptto/bench.hsl",
        std::env::temp_dir().display()
    );
    let mut text = String::new();
    for i in 0..2_000 {
        text.push_str(&format!(
            "function check_{i}($a) {{\n\tif (str_find($a, \"x\") != -1) return true;\n\treturn length($a) > {i};\n}}\necho check_{i}($arguments[\"recipient\"]);\n"
        ));
    }
    assert_eq!(text.lines().count(), 10_000);
    let send = |input: &mut std::process::ChildStdin, msg: Value| {
        input.write_all(&frame(&msg)).unwrap();
        input.flush().unwrap();
    };
    send(
        &mut input,
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    read(&mut output);
    send(
        &mut input,
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
    send(
        &mut input,
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "hsl", "version": 1, "text": text}}}),
    );
    let wait_for = |output: &mut BufReader<std::process::ChildStdout>, version: i64| loop {
        let msg = read(output);
        if msg["method"] == "textDocument/publishDiagnostics" && msg["params"]["version"] == version
        {
            return msg;
        }
    };
    wait_for(&mut output, 1);
    // Each edit of a series, timed from `didChange` to its diagnostics.
    let mut time_edits =
        |versions: std::ops::Range<i64>, at: &dyn Fn(u32) -> (u32, u32), text: &str| {
            let mut times: Vec<Duration> = Vec::new();
            for v in versions {
                let (line, character) = at(v as u32);
                let started = Instant::now();
                send(&mut input, did_change(&uri, v, line, character, text));
                wait_for(&mut output, v);
                times.push(started.elapsed());
            }
            times
        };
    let mut times = time_edits(2..202, &|v| ((v * 37) % 10_000, 0), " ");
    report(&mut times, "didChange → publishDiagnostics");
    // Typing inside top-level code: `1 . ` inserted in an `echo` statement,
    // so the top level is walked and judged again (a space or an edit in a
    // function body leaves its statements' text as it was).
    let mut times = time_edits(202..402, &|v| (((v * 37) % 2_000) * 5 + 4, 5), "1 . ");
    report(
        &mut times,
        "didChange in top-level code → publishDiagnostics",
    );
    // Completion right after an edit: `s; ` typed at the start of a
    // statement inside a function body, completed after the `s` (the
    // functions, classes and keywords matching it are offered), timed from
    // the request to its answer.
    let mut times: Vec<Duration> = Vec::new();
    for v in 402..602i64 {
        let line = ((v as u32 * 37) % 2_000) * 5 + 2;
        send(&mut input, did_change(&uri, v, line, 1, "s; "));
        let started = Instant::now();
        send(
            &mut input,
            json!({"jsonrpc": "2.0", "id": v, "method": "textDocument/completion", "params": {
                "textDocument": {"uri": uri}, "position": {"line": line, "character": 2}
            }}),
        );
        loop {
            let msg = read(&mut output);
            if msg["id"] == v {
                assert!(msg["result"]["items"]
                    .as_array()
                    .is_some_and(|items| items.iter().any(|i| i["label"] == "str_find")));
                break;
            }
        }
        times.push(started.elapsed());
    }
    report(&mut times, "didChange then completion (request → answer)");
    send(
        &mut input,
        json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
    );
    send(&mut input, json!({"jsonrpc": "2.0", "method": "exit"}));
    let _ = child.wait();
}
