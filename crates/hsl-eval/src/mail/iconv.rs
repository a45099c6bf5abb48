//! The `Iconv` class: charset conversion with `encoding_rs` (the WHATWG
//! encodings and their labels, so `latin1` is windows-1252). A
//! `//IGNORE` suffix on the target drops what cannot be converted;
//! otherwise `convert` returns none and `errno()` is 84 (`EILSEQ`).

use super::{object, Args, Native};
use crate::builtins::R;
use crate::interp::error;
use crate::value::Value;
use encoding_rs::{EncoderResult, Encoding, UTF_16BE, UTF_16LE};
use std::cell::RefCell;
use std::rc::Rc;

/// `EILSEQ`: input that cannot be converted.
const EILSEQ: f64 = 84.0;

/// A converter between two charsets.
#[derive(Debug)]
pub struct Iconv {
    from: &'static Encoding,
    to: &'static Encoding,
    ignore: bool,
    errno: f64,
    closed: bool,
}

/// `Iconv(fromcharset, tocharset)`.
pub(super) fn construct(a: &Args) -> R<Value> {
    a.count(2, 2)?;
    let (from, to) = (a.string(0)?, a.string(1)?);
    let (to, ignore) = match to.strip_suffix(b"//IGNORE") {
        Some(t) => (t.to_vec(), true),
        None => (to, false),
    };
    let lookup = |label: &[u8]| {
        super::codec::encoding(label).map_or_else(
            || {
                error(
                    a.span,
                    format!(
                        "Iconv(): unknown charset `{}`",
                        String::from_utf8_lossy(label)
                    ),
                )
            },
            Ok,
        )
    };
    let (from, to) = (lookup(&from)?, lookup(&to)?);
    Ok(object(
        "Iconv",
        Native::Iconv(Rc::new(RefCell::new(Iconv {
            from,
            to,
            ignore,
            errno: 0.0,
            closed: false,
        }))),
    ))
}

impl Iconv {
    fn convert(&mut self, input: &[u8]) -> Option<Vec<u8>> {
        let text = match self
            .from
            .decode_without_bom_handling_and_without_replacement(input)
        {
            Some(t) => t.into_owned(),
            None if self.ignore => {
                let (t, _) = self.from.decode_without_bom_handling(input);
                t.replace('\u{FFFD}', "")
            }
            None => return None,
        };
        if self.to == UTF_16LE || self.to == UTF_16BE {
            let big = self.to == UTF_16BE;
            return Some(
                text.encode_utf16()
                    .flat_map(|u| {
                        if big {
                            u.to_be_bytes()
                        } else {
                            u.to_le_bytes()
                        }
                    })
                    .collect(),
            );
        }
        let mut encoder = self.to.new_encoder();
        let mut out = Vec::with_capacity(text.len());
        let mut rest = text.as_str();
        loop {
            let room = encoder
                .max_buffer_length_from_utf8_without_replacement(rest.len())
                .unwrap_or(rest.len() * 4 + 16);
            let mut buffer = vec![0; room];
            let (result, read, written) =
                encoder.encode_from_utf8_without_replacement(rest, &mut buffer, true);
            out.extend_from_slice(&buffer[..written]);
            rest = &rest[read..];
            match result {
                EncoderResult::InputEmpty => return Some(out),
                EncoderResult::Unmappable(_) if !self.ignore => return None,
                EncoderResult::Unmappable(_) | EncoderResult::OutputFull => {}
            }
        }
    }
}

/// Dispatches a method of an `Iconv`.
pub(super) fn call(c: &mut Iconv, name: &str, a: &Args) -> R<Value> {
    Ok(match name {
        "convert" => {
            a.count(1, 1)?;
            if c.closed {
                return error(a.span, "Iconv->convert(): the converter is closed");
            }
            match c.convert(&a.string(0)?) {
                Some(out) => {
                    c.errno = 0.0;
                    Value::str(out)
                }
                None => {
                    c.errno = EILSEQ;
                    Value::None
                }
            }
        }
        "errno" => {
            a.count(0, 0)?;
            Value::Number(c.errno)
        }
        "close" => {
            a.count(0, 0)?;
            c.closed = true;
            Value::None
        }
        _ => return error(a.span, format!("`Iconv` has no method `{name}`")),
    })
}
