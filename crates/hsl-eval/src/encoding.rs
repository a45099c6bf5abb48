//! Encodings and digests: base64 (and URL-safe), base32, xtext,
//! percent-encoding, MD5, SHA-1, SHA-2 and their HMACs (hex output unless
//! `["binary" => true]`).

use crate::builtins::{string_arg, R};
use crate::value::Value;
use base64::Engine;
use hmac::{Hmac, Mac};
use hsl_syntax::Span;
use sha2::Digest;

fn binary(options: Option<&Value>) -> bool {
    match options {
        Some(Value::Array(a)) => a
            .map
            .get(&Value::str("binary").to_key())
            .is_some_and(Value::truthy),
        _ => false,
    }
}

fn output(bytes: Vec<u8>, options: Option<&Value>) -> Value {
    if binary(options) {
        Value::str(bytes)
    } else {
        Value::str(bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
    }
}

/// `md5`, `sha1`: the digest of `message`.
pub fn digest(name: &str, message: &[u8], options: Option<&Value>) -> Value {
    let bytes = match name {
        "md5" => md5::Md5::digest(message).to_vec(),
        _ => sha1::Sha1::digest(message).to_vec(),
    };
    output(bytes, options)
}

/// `sha2`: SHA-224/256/384/512 by `size`.
pub fn sha2(message: &[u8], size: u32, options: Option<&Value>) -> Result<Value, String> {
    let bytes = match size {
        224 => sha2::Sha224::digest(message).to_vec(),
        256 => sha2::Sha256::digest(message).to_vec(),
        384 => sha2::Sha384::digest(message).to_vec(),
        512 => sha2::Sha512::digest(message).to_vec(),
        other => {
            return Err(format!(
                "sha2() hash size must be 224, 256, 384 or 512, not {other}"
            ))
        }
    };
    Ok(output(bytes, options))
}

fn mac<M: Mac + hmac::digest::KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut m =
        <M as hmac::digest::KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    m.update(message);
    m.finalize().into_bytes().to_vec()
}

/// `hmac_md5`, `hmac_sha1`, `hmac_sha2` (with `size`).
pub fn hmac(
    name: &str,
    key: &[u8],
    message: &[u8],
    size: u32,
    options: Option<&Value>,
) -> Result<Value, String> {
    let bytes = match (name, size) {
        ("hmac_md5", _) => mac::<Hmac<md5::Md5>>(key, message),
        ("hmac_sha1", _) => mac::<Hmac<sha1::Sha1>>(key, message),
        (_, 224) => mac::<Hmac<sha2::Sha224>>(key, message),
        (_, 256) => mac::<Hmac<sha2::Sha256>>(key, message),
        (_, 384) => mac::<Hmac<sha2::Sha384>>(key, message),
        (_, 512) => mac::<Hmac<sha2::Sha512>>(key, message),
        (_, other) => {
            return Err(format!(
                "hmac_sha2() hash size must be 224, 256, 384 or 512, not {other}"
            ))
        }
    };
    Ok(output(bytes, options))
}

/// `base64_encode`/`base64url_encode`.
pub fn base64_encode(url: bool, data: &[u8]) -> Value {
    let text = if url {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
    } else {
        base64::engine::general_purpose::STANDARD.encode(data)
    };
    Value::str(text)
}

/// `base64_decode`/`base64url_decode`: none when the text is not base64.
pub fn base64_decode(url: bool, text: &[u8]) -> Value {
    let decoded = if url {
        let unpadded = text
            .iter()
            .rposition(|&b| b != b'=')
            .map_or(&text[..0], |p| &text[..=p]);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(unpadded)
    } else {
        base64::engine::general_purpose::STANDARD.decode(text)
    };
    decoded.map_or(Value::None, Value::str)
}

/// `url_encode`: percent-encodes all but unreserved characters.
pub fn url_encode(data: &[u8]) -> Value {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(url_encoded_len(data));
    for &b in data {
        if url_safe(b) {
            out.push(b);
        } else {
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        }
    }
    Value::str(out)
}

/// The length of `url_encode(data)`, found before it is built.
pub fn url_encoded_len(data: &[u8]) -> usize {
    data.len() + 2 * data.iter().filter(|&&b| !url_safe(b)).count()
}

/// A byte `url_encode` keeps as it is.
fn url_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.~".contains(&b)
}

/// `url_decode`: `%XX` and `+` (space).
pub fn url_decode(data: &[u8]) -> Value {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'%' if i + 2 < data.len() => {
                match std::str::from_utf8(&data[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    Value::str(out)
}

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &[
        "base32_encode",
        "base32_decode",
        "xtext_encode",
        "xtext_decode",
    ],
    call: family,
};

/// The family of `base32_*` and `xtext_*`.
pub(crate) fn family(
    it: &mut crate::Interpreter,
    name: &str,
    a: &[Value],
    span: Span,
) -> Option<R<Value>> {
    // Each function with the most bytes its result can take, measured
    // before it is built (an encoding is longer than its input).
    type Sized = (fn(&[u8]) -> Value, fn(&[u8]) -> usize);
    let (f, most): Sized = match name {
        "base32_encode" => (|d| Value::str(base32_encode(d)), base32_encoded_len),
        "base32_decode" => (
            |d| base32_decode(d).map_or(Value::None, Value::str),
            <[u8]>::len,
        ),
        "xtext_encode" => (|d| Value::str(xtext_encode(d)), xtext_encoded_len),
        "xtext_decode" => (|d| Value::str(xtext_decode(d)), <[u8]>::len),
        _ => return None,
    };
    Some((|| {
        let s = string_arg(name, &a[0], span)?;
        it.meter().limits.string(most(&s) as f64, span)?;
        Ok(f(&s))
    })())
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The length of the base32 text of `data`: eight symbols for each five
/// bytes begun.
fn base32_encoded_len(data: &[u8]) -> usize {
    data.len().div_ceil(5) * 8
}

/// RFC 4648 base32 with `=` padding.
fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(base32_encoded_len(data));
    for chunk in data.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let bits = block.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
        let symbols = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < symbols {
                out.push(BASE32[(bits >> (35 - 5 * i) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// RFC 4648 base32; letters of either case, padding optional. `None` for
/// other characters or an impossible length.
fn base32_decode(text: &[u8]) -> Option<Vec<u8>> {
    let body = &text[..text.iter().rposition(|&b| b != b'=').map_or(0, |p| p + 1)];
    if !matches!(body.len() % 8, 0 | 2 | 4 | 5 | 7) {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in body {
        let v = BASE32.iter().position(|&s| s == c.to_ascii_uppercase())?;
        acc = (acc << 5 | v as u32) & 0xffff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// The length of the xtext of `data`: three bytes for each one escaped.
fn xtext_encoded_len(data: &[u8]) -> usize {
    data.len() + 2 * data.iter().filter(|&&b| !xtext_plain(b)).count()
}

/// A byte `xtext_encode` keeps as it is.
fn xtext_plain(b: u8) -> bool {
    (b'!'..=b'~').contains(&b) && b != b'+' && b != b'='
}

/// RFC 3461 xtext: bytes outside `!`..`~`, and `+` and `=`, become `+XX`.
fn xtext_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(xtext_encoded_len(data));
    for &b in data {
        if xtext_plain(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("+{b:02X}"));
        }
    }
    out
}

/// RFC 3461 xtext: `+XX` (hex digits of either case) becomes the byte; a
/// `+` not followed by two hex digits is kept as it is.
fn xtext_decode(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let hex = text.get(i + 1..i + 3).and_then(|h| {
            std::str::from_utf8(h)
                .ok()
                .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
        });
        match (text[i], hex) {
            (b'+', Some(h)) => {
                out.push(u8::from_str_radix(h, 16).unwrap_or_default());
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}
