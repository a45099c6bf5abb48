//! Content transfer encodings (RFC 2045: base64, quoted-printable) and
//! charset conversion (WHATWG encodings through `encoding_rs`).

use base64::Engine;

/// Decodes base64, skipping line breaks and blanks. Anything else outside
/// the alphabet, or a dangling character, is an error; the bytes decoded
/// before it are still returned in `Err`.
pub fn base64_decode(data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() / 4 * 3);
    let (mut acc, mut bits, mut ok, mut padded) = (0u32, 0u32, true, false);
    for &b in data {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padded = true;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => {
                ok = false;
                continue;
            }
        };
        if padded {
            ok = false;
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        ok = false;
    }
    if ok {
        Ok(out)
    } else {
        Err(out)
    }
}

/// Base64 without line breaks.
pub fn base64_encode(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Base64 in lines of 76 characters, each ended by `eol`.
pub fn base64_lines(data: &[u8], eol: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(base64_lines_len(data, eol));
    // 57 bytes make a line of 76 characters.
    for chunk in data.chunks(57) {
        out.extend_from_slice(base64_encode(chunk).as_bytes());
        out.extend_from_slice(eol);
    }
    out
}

/// The length of [`base64_lines`] of `data`, found without building it.
pub fn base64_lines_len(data: &[u8], eol: &[u8]) -> usize {
    let text = data.len().div_ceil(3) * 4;
    text + text.div_ceil(76) * eol.len()
}

/// The byte written as two hexadecimal digits.
pub fn hex_byte(two: &[u8]) -> Option<u8> {
    let text = std::str::from_utf8(two).ok()?;
    u8::from_str_radix(text, 16).ok()
}

/// Decodes quoted-printable: `=XX` escapes, soft line breaks (`=` at the end
/// of a line) and blanks at line ends removed; malformed `=` kept as is.
pub fn qp_decode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    for line in data.split_inclusive(|&b| b == b'\n') {
        let (text, eol): (&[u8], &[u8]) = match line {
            [t @ .., b'\r', b'\n'] => (t, b"\r\n"),
            [t @ .., b'\n'] => (t, b"\n"),
            t => (t, b""),
        };
        let text = &text[..text
            .iter()
            .rposition(|b| *b != b' ' && *b != b'\t')
            .map_or(0, |i| i + 1)];
        let (text, soft) = match text.strip_suffix(b"=") {
            Some(t) => (t, true),
            None => (text, false),
        };
        let mut i = 0;
        while i < text.len() {
            if text[i] == b'=' {
                if let Some(b) = text.get(i + 1..i + 3).and_then(hex_byte) {
                    out.push(b);
                    i += 3;
                    continue;
                }
            }
            out.push(text[i]);
            i += 1;
        }
        if !soft {
            out.extend_from_slice(eol);
        }
    }
    out
}

/// Encodes quoted-printable with lines of at most 76 characters: line
/// breaks of the data stay line breaks (written as `eol`), `=`, control
/// bytes, bytes above 126 and blanks before a line end are escaped.
pub fn qp_encode(data: &[u8], eol: &[u8]) -> Vec<u8> {
    qp_encode_within(data, eol, &mut |_, _| Ok(())).unwrap_or_default()
}

/// [`qp_encode`] where `room` makes room for the bytes each piece adds
/// before they are written, or stops the text (an escaped byte takes
/// three).
pub fn qp_encode_within(
    data: &[u8],
    eol: &[u8],
    room: &mut dyn FnMut(&mut Vec<u8>, usize) -> crate::R<()>,
) -> crate::R<Vec<u8>> {
    let mut out = Vec::new();
    let mut lines = data.split(|&b| b == b'\n').peekable();
    while let Some(line) = lines.next() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut width = 0;
        for (i, &b) in line.iter().enumerate() {
            let last = i + 1 == line.len();
            let plain =
                (b'!'..=b'~').contains(&b) && b != b'=' || (b == b' ' || b == b'\t') && !last;
            let piece = if plain {
                vec![b]
            } else {
                format!("={b:02X}").into_bytes()
            };
            let soft = width + piece.len() > 75;
            room(&mut out, piece.len() + if soft { 1 + eol.len() } else { 0 })?;
            if soft {
                out.extend_from_slice(b"=");
                out.extend_from_slice(eol);
                width = 0;
            }
            out.extend_from_slice(&piece);
            width += piece.len();
        }
        if lines.peek().is_some() {
            room(&mut out, eol.len())?;
            out.extend_from_slice(eol);
        }
    }
    Ok(out)
}

/// The `encoding_rs` encoding of a charset label (`utf-8`, `latin1`…).
pub fn encoding(label: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    encoding_rs::Encoding::for_label(label)
}

/// Converts text in `charset` to UTF-8 (malformed sequences become U+FFFD);
/// `None` for an unknown charset. An empty charset means US-ASCII.
pub fn to_utf8(charset: &[u8], bytes: &[u8]) -> Option<Vec<u8>> {
    if charset.is_empty()
        || charset.eq_ignore_ascii_case(b"us-ascii")
        || charset.eq_ignore_ascii_case(b"utf-8")
    {
        return Some(String::from_utf8_lossy(bytes).into_owned().into_bytes());
    }
    let (text, _) = encoding(charset)?.decode_without_bom_handling(bytes);
    Some(text.into_owned().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_lenient_about_breaks_and_reports_garbage() {
        assert_eq!(base64_decode(b"aGVs\r\nbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode(b"aGVs*bG8=").unwrap_err(), b"hello");
        assert!(base64_decode(b"aGVsb").is_err());
    }

    #[test]
    fn base64_lines_are_measured_before_they_are_built() {
        for n in [0, 1, 56, 57, 58, 114, 1000] {
            let data: Vec<u8> = (0..n).map(|i| i as u8).collect();
            let text = base64_lines(&data, b"\r\n");
            assert_eq!(base64_lines_len(&data, b"\r\n"), text.len());
            let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
            assert!(lines.iter().all(|l| l.len() <= 77), "{n}");
            let joined: Vec<u8> = text
                .iter()
                .copied()
                .filter(|b| !b"\r\n".contains(b))
                .collect();
            assert_eq!(joined, base64_encode(&data).into_bytes());
        }
    }

    #[test]
    fn quoted_printable_round_trips() {
        let text = "caf\u{e9} = ok \r\nnext line\r\n".as_bytes();
        let encoded = qp_encode(text, b"\r\n");
        assert_eq!(encoded, b"caf=C3=A9 =3D ok=20\r\nnext line\r\n");
        assert_eq!(qp_decode(&encoded), text);
        let long = vec![b'x'; 200];
        let wrapped = qp_encode(&long, b"\n");
        assert!(wrapped.split(|&b| b == b'\n').all(|l| l.len() <= 76));
        assert_eq!(qp_decode(&wrapped), long);
        assert_eq!(qp_decode(b"a=ZZb=\r\nc"), b"a=ZZbc");
    }
}
