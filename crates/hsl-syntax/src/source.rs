//! Turning file bytes into source text, and running deep recursions safely.

use crate::{codes, Diagnostic, Span};
use std::borrow::Cow;

/// Decodes file contents as UTF-8. Invalid bytes are replaced one-for-one by
/// `?` so every byte offset stays the same, and the first one is reported.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Option<Diagnostic>) {
    let first_bad = match std::str::from_utf8(bytes) {
        Ok(text) => return (Cow::Borrowed(text), None),
        Err(e) => e.valid_up_to(),
    };
    let mut text = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad = e.error_len().unwrap_or(after.len());
                text.extend(std::iter::repeat_n('?', bad));
                rest = &after[bad..];
            }
        }
    }
    let d = Diagnostic::error(
        codes::INVALID_UTF8,
        Span::new(first_bad, first_bad + 1),
        "file is not valid UTF-8",
    )
    .with_label("first invalid byte")
    .with_help("save the file as UTF-8; write other bytes in strings as `\\xHH`");
    (Cow::Owned(text), Some(d))
}

/// Stack size for threads that walk syntax trees recursively.
pub const LARGE_STACK: usize = 512 * 1024 * 1024;

/// Runs `f` on a thread with a large stack, so recursive passes over very
/// deeply nested (but within the parser's limits) trees cannot overflow.
pub fn run_with_large_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(LARGE_STACK)
            .spawn_scoped(scope, f)
            .expect("spawning a parser thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_keep_offsets() {
        let (text, diag) = decode(b"ab\xffcd\xe2\x82");
        assert_eq!(text, "ab?cd??");
        assert_eq!(diag.unwrap().span, Span::new(2, 3));
        assert!(decode("é".as_bytes()).1.is_none());
    }
}
