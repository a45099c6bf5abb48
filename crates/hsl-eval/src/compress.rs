//! `zlib_compress` and `zlib_uncompress` with zlib's `windowBits`
//! convention: 8…15 is the zlib format, -8…-15 raw deflate, 16 added
//! (24…31) gzip, and, when uncompressing, 0 is the zlib format and 32
//! added (32, 40…47) detects zlib or gzip from the header. The compressor
//! always uses a 32 KiB window; the number only selects the format, and
//! the decompressor accepts any window size.

use crate::builtins::{string_arg, R};
use crate::interp::error;
use crate::limits::Meter;
use crate::value::Value;
use flate2::read::{DeflateDecoder, GzDecoder, ZlibDecoder};
use flate2::write::{DeflateEncoder, GzEncoder, ZlibEncoder};
use flate2::Compression;
use hsl_syntax::Span;
use std::io::{Read, Write};

/// The container around the deflate data.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Format {
    Raw,
    Zlib,
    Gzip,
    Detect,
}

fn format(name: &str, bits: f64, detect: bool, span: Span) -> R<Format> {
    Ok(match bits as i64 {
        -15..=-8 => Format::Raw,
        8..=15 => Format::Zlib,
        0 if detect => Format::Zlib,
        24..=31 => Format::Gzip,
        32 | 40..=47 if detect => Format::Detect,
        _ => {
            return error(
                span,
                format!("{name}() got an unsupported windowbits value {bits}"),
            )
        }
    })
}

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &["zlib_compress", "zlib_uncompress"],
    call: family,
};

/// The `zlib_*` family.
pub(crate) fn family(
    it: &mut crate::Interpreter,
    name: &str,
    a: &[Value],
    span: Span,
) -> Option<R<Value>> {
    Some(match name {
        "zlib_compress" => compress_call(name, a, span),
        "zlib_uncompress" => uncompress_call(name, a, it.meter(), span),
        _ => return None,
    })
}

fn compress_call(name: &str, a: &[Value], span: Span) -> R<Value> {
    let data = string_arg(name, &a[0], span)?;
    let level = match a.get(1).map_or(-1.0, Value::to_number) {
        -1.0 => 6,
        l if (0.0..=9.0).contains(&l) => l as u32,
        l => {
            return error(
                span,
                format!("{name}() compression must be -1 or 0 to 9, not {l}"),
            )
        }
    };
    let bits = a.get(2).map_or(15.0, Value::to_number);
    let out = compress(
        &data,
        Compression::new(level),
        format(name, bits, false, span)?,
    );
    out.map_or_else(
        |e| error(span, format!("{name}() failed: {e}")),
        |d| Ok(Value::str(d)),
    )
}

/// Decompresses in chunks, no further than the memory limit leaves room
/// for (a larger result is an error before it is built, not an allocation
/// failure) and no longer than the time limit allows.
fn uncompress_call(name: &str, a: &[Value], meter: &Meter, span: Span) -> R<Value> {
    let data = string_arg(name, &a[0], span)?;
    let bits = a.get(1).map_or(15.0, Value::to_number);
    let format = format(name, bits, true, span)?;
    let out = uncompress(&data, format, |out| {
        meter.deadline(span)?;
        let what = |_| format!("the result of {name}()");
        meter.limits.room(out, CHUNK, what, span)
    })?;
    Ok(out.map_or(Value::None, Value::str))
}

fn compress(data: &[u8], level: Compression, format: Format) -> std::io::Result<Vec<u8>> {
    match format {
        Format::Raw => {
            let mut e = DeflateEncoder::new(Vec::new(), level);
            e.write_all(data)?;
            e.finish()
        }
        Format::Gzip => {
            let mut e = GzEncoder::new(Vec::new(), level);
            e.write_all(data)?;
            e.finish()
        }
        Format::Zlib | Format::Detect => {
            let mut e = ZlibEncoder::new(Vec::new(), level);
            e.write_all(data)?;
            e.finish()
        }
    }
}

/// Bytes inflated between two looks at the clock.
const CHUNK: usize = 1 << 20;

/// The uncompressed data; `None` when the input is not a complete stream
/// of the format. `room` makes room for the next chunk in the output (or
/// fails) before it is inflated.
fn uncompress(
    data: &[u8],
    format: Format,
    mut room: impl FnMut(&mut Vec<u8>) -> R<()>,
) -> R<Option<Vec<u8>>> {
    let format = match format {
        Format::Detect if data.starts_with(&[0x1f, 0x8b]) => Format::Gzip,
        Format::Detect => Format::Zlib,
        f => f,
    };
    let mut reader: Box<dyn Read + '_> = match format {
        Format::Raw => Box::new(DeflateDecoder::new(data)),
        Format::Gzip => Box::new(GzDecoder::new(data)),
        _ => Box::new(ZlibDecoder::new(data)),
    };
    let mut out = Vec::new();
    loop {
        room(&mut out)?;
        match reader.by_ref().take(CHUNK as u64).read_to_end(&mut out) {
            Ok(0) => return Ok(Some(out)),
            Ok(_) => {}
            Err(_) => return Ok(None),
        }
    }
}
