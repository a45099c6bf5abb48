//! Framing between the editor and the server. Every incoming message is
//! checked before the protocol layer sees it: a frame that is not valid
//! JSON-RPC gets an error response naming the problem (with line and column
//! for malformed JSON) and the server keeps running. A frame whose headers
//! are unusable (no or a non-numeric `Content-Length`, a length above
//! [`MAX_FRAME`], a length that does not match the body) is answered with an
//! error and reading resumes at the next `Content-Length` header.

use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

/// The largest message body accepted (64 MiB); a larger `Content-Length`
/// is answered with an error instead of waiting for that many bytes.
pub const MAX_FRAME: usize = 64 << 20;

/// The longest header block looked at before giving up on finding its end.
const MAX_HEADERS: usize = 8 << 10;

const HEADER: &[u8] = b"content-length:";

/// Reads `Content-Length` framed messages from a byte stream, recovering
/// from malformed frames.
pub struct FrameReader<R> {
    input: R,
    buf: Vec<u8>,
    eof: bool,
    resync: bool,
}

/// Position of the first case-insensitive `Content-Length:` in `bytes`
/// (candidates found by their first letter, a vectorised search).
fn find_header(bytes: &[u8]) -> Option<usize> {
    memchr::memchr2_iter(b'C', b'c', bytes).find(|&at| {
        bytes
            .get(at..at + HEADER.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(HEADER))
    })
}

fn find(bytes: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes, needle)
}

/// The body length a header block declares.
fn content_length(block: &[u8]) -> Result<usize, String> {
    let text = std::str::from_utf8(block).map_err(|_| "header is not UTF-8".to_string())?;
    let mut length = None;
    for line in text.split("\r\n") {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("malformed header line `{}`", line.escape_debug()));
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(format!("malformed header name `{}`", name.escape_debug()));
        }
        if name.eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            let n: u64 = value
                .parse()
                .map_err(|_| format!("invalid Content-Length `{}`", value.escape_debug()))?;
            if n > MAX_FRAME as u64 {
                return Err(format!(
                    "Content-Length {n} is above the limit of {MAX_FRAME} bytes"
                ));
            }
            length = Some(n as usize);
        }
    }
    length.ok_or_else(|| "message without a Content-Length header".into())
}

/// Whether `bytes` is one whole JSON value (surrounding whitespace allowed).
fn is_json(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    /// A reader over `input`.
    pub fn new(input: R) -> Self {
        FrameReader {
            input,
            buf: Vec::new(),
            eof: false,
            resync: false,
        }
    }

    /// Reads more input; `false` at end of input.
    async fn fill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        let mut chunk = [0u8; 1 << 16];
        let n = self.input.read(&mut chunk).await?;
        self.eof = n == 0;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n > 0)
    }

    /// Skips the next message's leftovers: drops bytes up to the next
    /// `Content-Length` header after a frame that was not what it claimed.
    pub fn resync(&mut self) {
        self.resync = true;
    }

    /// The next frame's body. `Ok(None)` at end of input; `Ok(Some(Err))`
    /// describes an unusable frame (it has been skipped).
    pub async fn next(&mut self) -> std::io::Result<Option<Result<Vec<u8>, String>>> {
        while self.resync {
            match find_header(&self.buf) {
                Some(at) => {
                    self.buf.drain(..at);
                    self.resync = false;
                }
                None => {
                    let keep = self.buf.len().saturating_sub(HEADER.len() - 1);
                    self.buf.drain(..keep);
                    if !self.fill().await? {
                        return Ok(None);
                    }
                }
            }
        }
        let end = loop {
            // Blank lines between messages are tolerated.
            let blank = self
                .buf
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            self.buf.drain(..blank);
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                break end;
            }
            if self.buf.len() > MAX_HEADERS {
                self.resync = true;
                self.buf.drain(..1);
                return Ok(Some(Err("header block too long or unterminated".into())));
            }
            if !self.fill().await? {
                return Ok(None);
            }
        };
        let length = match content_length(&self.buf[..end]) {
            Ok(n) => n,
            Err(message) => {
                // Junk before a header (left over from a frame that was
                // shorter than announced) is dropped up to that header.
                match find_header(&self.buf[1..end]) {
                    Some(at) => {
                        self.buf.drain(..at + 1);
                    }
                    None => {
                        self.buf.drain(..end + 4);
                        self.resync = true;
                    }
                }
                return Ok(Some(Err(message)));
            }
        };
        self.buf.drain(..end + 4);
        let mut checked = 0;
        while self.buf.len() < length {
            // A whole JSON value followed by the next header means the
            // announced length was too long: do not wait for more input.
            if let Some(at) = self.early_end(&mut checked) {
                self.buf.drain(..at);
                return Ok(Some(Err(format!(
                    "Content-Length {length} is longer than the message ({at} bytes)"
                ))));
            }
            if !self.fill().await? {
                return Ok(None);
            }
        }
        if let Some(at) = find_header(&self.buf[..length]).filter(|&at| is_json(&self.buf[..at])) {
            self.buf.drain(..at);
            return Ok(Some(Err(format!(
                "Content-Length {length} is longer than the message ({at} bytes)"
            ))));
        }
        Ok(Some(Ok(self.buf.drain(..length).collect())))
    }

    /// Where the next header starts if the buffered body is already a whole
    /// JSON value before it; `checked` is how far earlier calls looked.
    fn early_end(&self, checked: &mut usize) -> Option<usize> {
        let from = checked.saturating_sub(HEADER.len() - 1);
        *checked = self.buf.len();
        let at = from + find_header(&self.buf[from..])?;
        is_json(&self.buf[..at]).then_some(at)
    }
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

/// Copies valid frames from the editor to the server and answers invalid
/// ones, until the editor closes its end. An error reading the input is
/// returned (the server cannot go on without it).
pub async fn filter_input<R, W>(
    input: R,
    mut to_server: W,
    errors: mpsc::UnboundedSender<Vec<u8>>,
) -> std::io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = FrameReader::new(input);
    while let Some(frame_result) = input.next().await? {
        let outcome = match frame_result {
            Ok(body) => match validate(&body) {
                Ok(()) => {
                    if to_server.write_all(&frame(&body)).await.is_err() {
                        return Ok(());
                    }
                    continue;
                }
                Err((id, code, message)) => {
                    if code == -32700 {
                        input.resync();
                    }
                    error_response(id, code, message)
                }
            },
            Err(message) => error_response(Value::Null, -32700, message),
        };
        if errors.send(outcome).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

/// Writes whole frames from the server and the input filter to the editor.
pub async fn merge_output<R, W>(
    from_server: R,
    mut output: W,
    mut errors: mpsc::UnboundedReceiver<Vec<u8>>,
) -> std::io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut from_server = FrameReader::new(from_server);
    let mut server_open = true;
    loop {
        let bytes = tokio::select! {
            f = from_server.next(), if server_open => match f {
                Ok(Some(Ok(body))) => frame(&body),
                _ => { server_open = false; continue; }
            },
            e = errors.recv() => match e {
                Some(bytes) => bytes,
                None if server_open => continue,
                None => return Ok(()),
            },
        };
        output.write_all(&bytes).await?;
        output.flush().await?;
        if !server_open && errors.is_empty() {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    async fn frames(input: &str) -> Vec<Result<String, String>> {
        let mut reader = FrameReader::new(input.as_bytes());
        let mut out = Vec::new();
        while let Some(f) = reader.next().await.unwrap() {
            let f = f.map(|b| String::from_utf8(b).unwrap());
            if let Ok(body) = &f {
                if !is_json(body.as_bytes()) {
                    reader.resync();
                }
            }
            out.push(f);
        }
        out
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    const OK: &str = r#"{"jsonrpc":"2.0","id":1,"method":"m"}"#;

    #[test]
    fn headers_are_found_in_any_case_and_only_whole() {
        assert_eq!(find_header(b"ccc content-LENGTH: 5"), Some(4));
        assert_eq!(find_header(b"Content-Length: 1"), Some(0));
        assert_eq!(find_header(b"Content-Lengt"), None);
        assert_eq!(find_header(b"Content-Length 1 cONTENT-lENGTH:"), Some(17));
        assert_eq!(find(b"a\r\n\r\nb", b"\r\n\r\n"), Some(1));
    }

    #[test]
    fn bad_headers_are_skipped_up_to_the_next_message() {
        rt().block_on(async {
            for header in ["Content-Length: abc", "Content-Length: -5", "abc"] {
                let input = format!("{header}\r\n\r\n{OK}{}", msg(OK));
                let got = frames(&input).await;
                assert_eq!(got.len(), 2, "{header}: {got:?}");
                assert!(got[0].is_err(), "{header}");
                assert_eq!(got[1], Ok(OK.to_string()), "{header}");
            }
        });
    }

    #[test]
    fn wrong_lengths_recover_at_the_next_header() {
        rt().block_on(async {
            let short = format!("Content-Length: 10\r\n\r\n{OK}{}", msg(OK));
            let got = frames(&short).await;
            assert_eq!(got.last(), Some(&Ok(OK.to_string())), "{got:?}");
            assert_eq!(got.iter().filter(|f| f.is_ok()).count(), 2);
            let long = format!("Content-Length: 60\r\n\r\n{OK}{}", msg(OK));
            let got = frames(&long).await;
            assert_eq!(got.len(), 2, "{got:?}");
            assert!(got[0].as_ref().unwrap_err().contains("longer than"));
            assert_eq!(got[1], Ok(OK.to_string()));
        });
    }

    #[test]
    fn huge_lengths_are_refused_without_allocating() {
        rt().block_on(async {
            for n in [
                "18446744073709551615",
                "1000000000",
                "99999999999999999999999",
            ] {
                let input = format!("Content-Length: {n}\r\n\r\n{OK}{}", msg(OK));
                let got = frames(&input).await;
                assert!(got[0].as_ref().unwrap_err().contains("Content-Length"));
                assert_eq!(got[1..], [Ok(OK.to_string())], "{n}");
            }
        });
    }

    #[test]
    fn a_body_may_mention_the_header() {
        rt().block_on(async {
            let body = r#"{"jsonrpc":"2.0","method":"m","params":"Content-Length: 5"}"#;
            assert_eq!(frames(&msg(body)).await, [Ok(body.to_string())]);
        });
    }

    #[test]
    fn bad_json_names_line_and_column() {
        let (_, code, message) = validate(b"{\n  \"a\": ]}").unwrap_err();
        assert_eq!(code, -32700);
        assert!(
            message.starts_with("invalid JSON at line 2, column 8"),
            "{message}"
        );
    }
}
