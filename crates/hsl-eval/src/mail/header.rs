//! Header fields (RFC 5322): splitting a header block into fields with
//! their folded lines kept byte for byte, unfolding values, RFC 2047
//! encoded words, and `Content-Type`-style parameters with RFC 2231
//! continuations and charsets.

use super::codec;

/// One header field exactly as it appears in the message.
#[derive(Clone, Debug)]
pub struct Field {
    /// The field name as written (without the colon).
    pub name: Vec<u8>,
    /// The whole field: name, colon, value, continuation lines and line end.
    pub raw: Vec<u8>,
}

impl Field {
    /// A new field `name: value` ended by `eol`.
    pub fn new(name: &[u8], value: &[u8], eol: &[u8]) -> Field {
        let mut raw = Vec::with_capacity(name.len() + value.len() + 4);
        raw.extend_from_slice(name);
        raw.extend_from_slice(b": ");
        raw.extend_from_slice(value);
        raw.extend_from_slice(eol);
        Field {
            name: name.to_vec(),
            raw,
        }
    }

    /// Whether the field is called `name` (ASCII case-insensitive).
    pub fn is(&self, name: &[u8]) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The value: unfolded (line breaks removed) and trimmed of blanks.
    pub fn value(&self) -> Vec<u8> {
        let colon = self
            .raw
            .iter()
            .position(|&b| b == b':')
            .map_or(0, |c| c + 1);
        let unfolded: Vec<u8> = self.raw[colon..]
            .iter()
            .copied()
            .filter(|&b| b != b'\r' && b != b'\n')
            .collect();
        trim(&unfolded).to_vec()
    }
}

/// `s` without leading and trailing spaces and tabs.
pub fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|b| !is_blank(*b)).unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !is_blank(*b))
        .map_or(start, |e| e + 1);
    &s[start..end]
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// A parsed header block.
pub struct Block {
    /// The fields in order.
    pub fields: Vec<Field>,
    /// The empty line ending the block (empty when there is none).
    pub separator: Vec<u8>,
    /// Where the body starts.
    pub body_start: usize,
    /// Set when the block ends at a line that is neither a field nor empty.
    pub error: Option<String>,
}

/// The end of the line starting at `pos` (after its `\n`, or the end).
pub fn line_end(data: &[u8], pos: usize) -> usize {
    data[pos..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(data.len(), |i| pos + i + 1)
}

/// The name of the field starting `line`, if the line starts a field.
fn field_name(line: &[u8]) -> Option<&[u8]> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = trim(&line[..colon]);
    let valid = !name.is_empty()
        && line.first().is_some_and(|b| !is_blank(*b))
        && name.iter().all(|&b| (33..=126).contains(&b));
    valid.then_some(name)
}

/// Splits the header block at the start of `data`.
pub fn parse_block(data: &[u8]) -> Block {
    let mut fields: Vec<Field> = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let end = line_end(data, pos);
        let line = &data[pos..end];
        if line == b"\n" || line == b"\r\n" {
            return Block {
                fields,
                separator: line.to_vec(),
                body_start: end,
                error: None,
            };
        }
        if is_blank(line[0]) && !fields.is_empty() {
            fields
                .last_mut()
                .expect("checked")
                .raw
                .extend_from_slice(line);
        } else if let Some(name) = field_name(line) {
            fields.push(Field {
                name: name.to_vec(),
                raw: line.to_vec(),
            });
        } else {
            return Block {
                error: Some(
                    "the header ends at a line that is not a header field, without an empty line"
                        .into(),
                ),
                fields,
                separator: Vec::new(),
                body_start: pos,
            };
        }
        pos = end;
    }
    Block {
        fields,
        separator: Vec::new(),
        body_start: data.len(),
        error: None,
    }
}

/// Decodes RFC 2047 encoded words (`=?charset?B|Q?text?=`) to UTF-8; blanks
/// between two adjacent encoded words are dropped. Words with an unknown
/// charset or a broken encoding are kept as written.
pub fn decode_words(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut pos = 0;
    while pos < value.len() {
        if let Some((decoded, end)) = encoded_word(value, pos) {
            out.extend_from_slice(&decoded);
            let gap_end = value[end..]
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                .map_or(value.len(), |i| end + i);
            pos = if encoded_word(value, gap_end).is_some() {
                gap_end
            } else {
                end
            };
        } else {
            out.push(value[pos]);
            pos += 1;
        }
    }
    out
}

/// The longest encoded word RFC 2047 allows, delimiters included.
const MAX_WORD: usize = 75;

/// The decoded text and end offset of the encoded word at `start`.
fn encoded_word(value: &[u8], start: usize) -> Option<(Vec<u8>, usize)> {
    if !value[start..].starts_with(b"=?") {
        return None;
    }
    // An encoded word is at most 75 characters long (RFC 2047 §2); looking
    // no further keeps text full of unclosed `=?` linear to decode.
    let rest = &value[start + 2..value.len().min(start + MAX_WORD)];
    let q1 = rest.iter().position(|&b| b == b'?')?;
    let charset = &rest[..q1];
    let kind = rest.get(q1 + 1)?.to_ascii_uppercase();
    if rest.get(q1 + 2) != Some(&b'?') {
        return None;
    }
    let text_start = q1 + 3;
    let text_len = rest[text_start..].windows(2).position(|w| w == b"?=")?;
    let text = &rest[text_start..text_start + text_len];
    if charset.is_empty() || text.iter().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let bytes = match kind {
        b'B' => codec::base64_decode(text).ok()?,
        b'Q' => {
            let spaced: Vec<u8> = text
                .iter()
                .map(|&b| if b == b'_' { b' ' } else { b })
                .collect();
            codec::qp_decode(&spaced)
        }
        _ => return None,
    };
    let charset = charset.split(|&b| b == b'*').next().unwrap_or_default();
    let text = codec::to_utf8(charset, &bytes)?;
    Some((text, start + 2 + text_start + text_len + 2))
}

/// Encodes a value with bytes outside printable ASCII as RFC 2047 `B`
/// words of UTF-8 (each at most 75 characters, folded with `eol`); plain
/// ASCII values are returned as they are.
pub fn encode_words(value: &[u8], eol: &[u8]) -> Vec<u8> {
    if plain(value) {
        return value.to_vec();
    }
    let mut out = Vec::with_capacity(encoded_words_len(value, eol));
    for word in word_texts(value) {
        if !out.is_empty() {
            out.extend_from_slice(eol);
            out.push(b' ');
        }
        out.extend_from_slice(WORD_PREFIX);
        out.extend_from_slice(codec::base64_encode(word).as_bytes());
        out.extend_from_slice(b"?=");
    }
    out
}

/// What an encoded word of [`encode_words`] starts with.
const WORD_PREFIX: &[u8] = b"=?UTF-8?B?";

/// Whether [`encode_words`] keeps `value` as it is.
fn plain(value: &[u8]) -> bool {
    value.iter().all(|&b| (32..127).contains(&b) || b == b'\t')
}

/// The length of what [`encode_words`] makes of `value`, found without
/// building it.
pub fn encoded_words_len(value: &[u8], eol: &[u8]) -> usize {
    if plain(value) {
        return value.len();
    }
    let between = eol.len() + 1;
    let words = word_texts(value).map(|w| WORD_PREFIX.len() + w.len().div_ceil(3) * 4 + 2);
    words
        .enumerate()
        .map(|(i, len)| len + if i > 0 { between } else { 0 })
        .sum()
}

/// The pieces of `value` the words of [`encode_words`] hold: at most 45
/// bytes, cut between characters when `value` is UTF-8.
fn word_texts(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    let utf8 = std::str::from_utf8(value).is_ok();
    let mut rest = value;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut take = rest.len().min(45);
        // A continuation byte is not the start of a character.
        while utf8 && take < rest.len() && rest[take] & 0xC0 == 0x80 {
            take -= 1;
        }
        let (word, tail) = rest.split_at(take);
        rest = tail;
        Some(word)
    })
}

/// Folds a value at blanks so that lines stay within 78 characters
/// (counting `first` characters already on the first line).
pub fn refold(value: &[u8], first: usize, eol: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 8);
    let mut line = first;
    for (i, word) in value
        .split(|b| is_blank(*b))
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        if i > 0 {
            if line + 1 + word.len() > 78 {
                out.extend_from_slice(eol);
                line = 0;
            }
            out.push(b' ');
            line += 1;
        }
        out.extend_from_slice(word);
        line += word.len();
    }
    out
}

/// One `name=value` parameter: lower-case name and value (unquoted).
struct Param {
    name: String,
    value: Vec<u8>,
}

/// Splits `main; a=b; c="d;e"` into the main value and its parameters.
fn split_params(value: &[u8]) -> (Vec<u8>, Vec<Param>) {
    let mut pieces: Vec<Vec<u8>> = vec![Vec::new()];
    let mut quoted = false;
    let mut escaped = false;
    for &b in value {
        let current = pieces.last_mut().expect("never empty");
        if escaped {
            current.push(b);
            escaped = false;
        } else if quoted && b == b'\\' {
            escaped = true;
        } else if b == b'"' {
            quoted = !quoted;
            current.push(b);
        } else if b == b';' && !quoted {
            pieces.push(Vec::new());
        } else {
            current.push(b);
        }
    }
    let main = trim(&pieces[0]).to_vec();
    let params = pieces[1..]
        .iter()
        .filter_map(|p| {
            let eq = p.iter().position(|&b| b == b'=')?;
            let name = String::from_utf8_lossy(trim(&p[..eq])).to_ascii_lowercase();
            let mut v = trim(&p[eq + 1..]).to_vec();
            if v.len() >= 2 && v[0] == b'"' && v[v.len() - 1] == b'"' {
                v = v[1..v.len() - 1].to_vec();
            }
            Some(Param { name, value: v })
        })
        .collect();
    (main, params)
}

/// The main value of a parameterised header (`text/plain` of
/// `text/plain; charset=utf-8`).
pub fn main_value(value: &[u8]) -> Vec<u8> {
    split_params(value).0
}

/// The parameter `want` (case-insensitive) of a header value, with RFC 2231
/// continuations (`name*0*=`…) and charsets (`utf-8''%C3%A9`) decoded.
pub fn param(value: &[u8], want: &str) -> Option<Vec<u8>> {
    let want = want.to_ascii_lowercase();
    let (_, params) = split_params(value);
    let mut plain = None;
    let mut segments: Vec<(u32, bool, &[u8])> = Vec::new();
    for p in &params {
        if p.name == want {
            plain.get_or_insert(p.value.clone());
        } else if let Some(rest) = p
            .name
            .strip_prefix(want.as_str())
            .and_then(|r| r.strip_prefix('*'))
        {
            if rest.is_empty() {
                return Some(decode_extended(&p.value, true));
            }
            let (digits, encoded) = match rest.strip_suffix('*') {
                Some(d) => (d, true),
                None => (rest, false),
            };
            if let Ok(n) = digits.parse::<u32>() {
                segments.push((n, encoded, &p.value));
            }
        }
    }
    if segments.is_empty() {
        return plain;
    }
    segments.sort_by_key(|s| s.0);
    let charset_given = segments[0].1;
    let mut raw = Vec::new();
    for (i, (_, encoded, v)) in segments.iter().enumerate() {
        let v = if i == 0 && *encoded {
            strip_charset(v).1
        } else {
            v
        };
        if *encoded {
            raw.extend_from_slice(&percent_decode(v));
        } else {
            raw.extend_from_slice(v);
        }
    }
    if charset_given {
        let (charset, _) = strip_charset(segments[0].2);
        return Some(codec::to_utf8(charset, &raw).unwrap_or(raw));
    }
    Some(raw)
}

/// Splits `charset'lang'rest` into the charset and the rest.
fn strip_charset(v: &[u8]) -> (&[u8], &[u8]) {
    let mut parts = v.splitn(3, |&b| b == b'\'');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(c), Some(_), Some(rest)) => (c, rest),
        _ => (&[], v),
    }
}

fn decode_extended(v: &[u8], with_charset: bool) -> Vec<u8> {
    let (charset, rest) = if with_charset {
        strip_charset(v)
    } else {
        (&[][..], v)
    };
    let raw = percent_decode(rest);
    codec::to_utf8(charset, &raw).unwrap_or(raw)
}

fn percent_decode(v: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if v[i] == b'%' {
            if let Some(b) = v.get(i + 1..i + 3).and_then(codec::hex_byte) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(v[i]);
        i += 1;
    }
    out
}

/// `text` as an RFC 5322 quoted string: in double quotes, with `"` and `\`
/// escaped by a backslash.
pub fn quoted_string(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(quoted_string_len(text));
    out.push(b'"');
    for &b in text {
        if escaped(b) {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
    out
}

/// Whether [`quoted_string`] writes a backslash before `b`.
fn escaped(b: u8) -> bool {
    b == b'"' || b == b'\\'
}

/// The length of [`quoted_string`] of `text`: up to twice it, and quotes.
pub fn quoted_string_len(text: &[u8]) -> usize {
    text.len() + text.iter().filter(|&&b| escaped(b)).count() + 2
}

/// A parameter as written in a header: quoted ASCII, or RFC 2231
/// `name*=utf-8''…` when it has other bytes.
pub fn format_param(name: &str, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    if value.iter().all(|&b| (32..127).contains(&b)) {
        out.extend_from_slice(name.as_bytes());
        out.push(b'=');
        out.extend_from_slice(&quoted_string(value));
    } else {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"*=utf-8''");
        for &b in value {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                out.push(b);
            } else {
                out.extend_from_slice(format!("%{b:02X}").as_bytes());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_words_are_measured_before_they_are_built() {
        let text = "Grüße, ".repeat(30);
        for value in [text.as_bytes(), b"\xff\xfe plain", b"plain ascii", b""] {
            for eol in [&b"\r\n"[..], b""] {
                assert_eq!(
                    encoded_words_len(value, eol),
                    encode_words(value, eol).len()
                );
            }
        }
        // The words of UTF-8 text hold whole characters.
        let words = encode_words(text.as_bytes(), b"");
        assert_eq!(words.split(|&b| b == b' ').count(), 6);
        for word in words.split(|&b| b == b' ') {
            let body = &word[WORD_PREFIX.len()..word.len() - 2];
            let engine = base64::engine::general_purpose::STANDARD;
            let bytes = base64::Engine::decode(&engine, body).unwrap();
            assert!(bytes.len() <= 45 && std::str::from_utf8(&bytes).is_ok());
        }
    }

    #[test]
    fn folded_fields_keep_their_bytes_and_unfold() {
        let b = parse_block(b"Subject: a\r\n  b\r\nX: 1\r\n\r\nbody");
        assert_eq!(b.fields.len(), 2);
        assert_eq!(b.fields[0].raw, b"Subject: a\r\n  b\r\n");
        assert_eq!(b.fields[0].value(), b"a  b");
        assert_eq!(b.separator, b"\r\n");
        assert_eq!(b.body_start, 25);
    }

    #[test]
    fn unclosed_and_overlong_words_stay_as_they_are() {
        let unclosed = b"=?utf-8?B?".repeat(100_000);
        assert_eq!(decode_words(&unclosed), unclosed);
        let overlong = format!("=?utf-8?q?{}?=", "a".repeat(80));
        assert_eq!(decode_words(overlong.as_bytes()), overlong.as_bytes());
    }

    #[test]
    fn encoded_words_and_parameters() {
        assert_eq!(
            decode_words(b"=?utf-8?q?caf=C3=A9?= =?ISO-8859-1?B?5Q==?= x"),
            "café\u{e5} x".as_bytes()
        );
        assert_eq!(decode_words(b"=?bogus?Q?a?="), b"=?bogus?Q?a?=");
        let v = b"attachment; filename*0*=utf-8''%C3%A9t; filename*1=\"e.txt\"";
        assert_eq!(param(v, "filename").unwrap(), "éte.txt".as_bytes());
        assert_eq!(
            param(b"text/plain; charset=\"a;b\"", "CHARSET").unwrap(),
            b"a;b"
        );
        assert_eq!(main_value(b" Text/Plain ; x=1"), b"Text/Plain");
    }
}
