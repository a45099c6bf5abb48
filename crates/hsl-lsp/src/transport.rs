//! Framing between the editor and the server. Every incoming message is
//! checked before the protocol layer sees it: a frame that is not valid
//! JSON-RPC gets an error response naming the problem (with line and column
//! for malformed JSON) and the server keeps running.

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// Reads one `Content-Length` framed message. `Ok(None)` at end of input;
/// `Err` describes a frame whose headers are unusable (it is skipped).
async fn read_frame<R: AsyncRead + Unpin>(
    input: &mut BufReader<R>,
) -> std::io::Result<Option<Result<Vec<u8>, String>>> {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let line = line.trim_end();
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
    }
    let Some(length) = length else {
        return Ok(Some(Err(
            "message without a valid Content-Length header".into()
        )));
    };
    let mut body = vec![0; length];
    input.read_exact(&mut body).await?;
    Ok(Some(Ok(body)))
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Why a message body is not acceptable JSON-RPC, with its id when known.
fn validate(body: &[u8]) -> Result<(), (Value, i64, String)> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        (
            Value::Null,
            -32700,
            format!(
                "invalid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    match value.as_object() {
        Some(obj)
            if obj.get("jsonrpc") == Some(&json!("2.0"))
                && (obj.contains_key("method")
                    || obj.contains_key("result")
                    || obj.contains_key("error")) =>
        {
            Ok(())
        }
        _ => Err((
            id,
            -32600,
            "not a JSON-RPC 2.0 request, notification or response".into(),
        )),
    }
}

fn error_response(id: Value, code: i64, message: String) -> Vec<u8> {
    frame(
        json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
            .to_string()
            .as_bytes(),
    )
}

/// Copies valid frames from the editor to the server; answers invalid ones.
pub async fn filter_input<R, W>(input: R, mut to_server: W, errors: mpsc::UnboundedSender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = BufReader::new(input);
    while let Ok(Some(frame_result)) = read_frame(&mut input).await {
        let outcome = match frame_result {
            Ok(body) => match validate(&body) {
                Ok(()) => {
                    if to_server.write_all(&frame(&body)).await.is_err() {
                        return;
                    }
                    continue;
                }
                Err((id, code, message)) => error_response(id, code, message),
            },
            Err(message) => error_response(Value::Null, -32700, message),
        };
        if errors.send(outcome).is_err() {
            return;
        }
    }
}

/// Writes whole frames from the server and the input filter to the editor.
pub async fn merge_output<R, W>(
    from_server: R,
    mut output: W,
    mut errors: mpsc::UnboundedReceiver<Vec<u8>>,
) where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut from_server = BufReader::new(from_server);
    let mut server_open = true;
    loop {
        let bytes = tokio::select! {
            f = read_frame(&mut from_server), if server_open => match f {
                Ok(Some(Ok(body))) => frame(&body),
                _ => { server_open = false; continue; }
            },
            e = errors.recv() => match e {
                Some(bytes) => bytes,
                None if server_open => continue,
                None => return,
            },
        };
        if output.write_all(&bytes).await.is_err() || output.flush().await.is_err() {
            return;
        }
        if !server_open && errors.is_empty() {
            return;
        }
    }
}
