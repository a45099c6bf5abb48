//! Mail addresses: envelope addresses (RFC 5321, with RFC 6531 UTF-8) and
//! header address lists (RFC 5322): `envelope_address_parse`,
//! `envelope_localpart_escape`, `header_addresslist_extract` and
//! `header_addresslist_compile`.

use crate::builtins::{array, option_flag, options_arg, string_arg, R};
use crate::interp::error;
use crate::mail::header::{decode_words, encode_words};
use crate::value::{Array, Value};
use hsl_syntax::Span;
use std::rc::Rc;

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &[
        "envelope_address_parse",
        "envelope_localpart_escape",
        "header_addresslist_compile",
        "header_addresslist_extract",
    ],
    call: family,
};

/// The family of address functions.
pub(crate) fn family(
    it: &mut crate::Interpreter,
    name: &str,
    a: &[Value],
    span: Span,
) -> Option<R<Value>> {
    let run = || {
        Ok(match name {
            "envelope_address_parse" => envelope_parse(&string_arg(name, &a[0], span)?).map_or(
                Value::None,
                |(local, domain)| {
                    let mut out = Array::default();
                    out.insert(Value::str("localpart").to_key(), Value::str(local));
                    out.insert(Value::str("domain").to_key(), Value::str(domain));
                    Value::Array(Rc::new(out))
                },
            ),
            "envelope_localpart_escape" => {
                let local = string_arg(name, &a[0], span)?;
                Value::str(localpart_escape(&local, &it.meter().limits, span)?)
            }
            "header_addresslist_compile" => compile(name, array(name, &a[0], span)?, span)?,
            _ => {
                let details = option_flag(&options_arg(name, a.get(1), span)?, "details");
                extract(&string_arg(name, &a[0], span)?, details)
            }
        })
    };
    Some(run())
}

/// RFC 5322 `atext`, plus UTF-8 bytes (RFC 6531).
fn is_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b) || b >= 0x80
}

/// RFC 5321 `Dot-string`: atoms joined by single dots.
fn is_dot_string(s: &[u8]) -> bool {
    !s.is_empty()
        && s.split(|&b| b == b'.')
            .all(|atom| !atom.is_empty() && atom.iter().all(|&b| is_atext(b)))
}

/// An RFC 5321 domain (labels of letters, digits and inner hyphens, or
/// UTF-8) or address literal (`[...]`).
fn is_domain(d: &[u8]) -> bool {
    if let Some(literal) = d.strip_prefix(b"[").and_then(|r| r.strip_suffix(b"]")) {
        return !literal.is_empty()
            && literal
                .iter()
                .all(|&b| (33..=126).contains(&b) && !b"[]\\".contains(&b));
    }
    !d.is_empty()
        && d.split(|&b| b == b'.').all(|label| {
            !label.is_empty()
                && !label.starts_with(b"-")
                && !label.ends_with(b"-")
                && label
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b >= 0x80)
        })
}

/// `localpart@domain` with the local part a dot-string or a quoted string
/// (returned unquoted); `None` when it is not a valid envelope address.
fn envelope_parse(address: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (local, rest) = if let Some(quoted) = address.strip_prefix(b"\"") {
        let mut local = Vec::new();
        let mut i = 0;
        loop {
            match *quoted.get(i)? {
                b'"' => break,
                b'\\' => {
                    let next = *quoted.get(i + 1)?;
                    if !(32..=126).contains(&next) {
                        return None;
                    }
                    local.push(next);
                    i += 2;
                }
                b if b >= 32 && b != 127 => {
                    local.push(b);
                    i += 1;
                }
                _ => return None,
            }
        }
        (local, &quoted[i + 1..])
    } else {
        let at = address.iter().position(|&b| b == b'@')?;
        if !is_dot_string(&address[..at]) {
            return None;
        }
        (address[..at].to_vec(), &address[at..])
    };
    let domain = rest.strip_prefix(b"@")?;
    is_domain(domain).then(|| (local, domain.to_vec()))
}

/// The local part as a dot-string when it is one, otherwise as a quoted
/// string with `"` and `\` escaped.
fn localpart_escape(local: &[u8], limits: &crate::Limits, span: Span) -> R<Vec<u8>> {
    if is_dot_string(local) {
        return Ok(local.to_vec());
    }
    let len = crate::mail::header::quoted_string_len(local);
    limits.string(len as f64, span)?;
    Ok(crate::mail::header::quoted_string(local))
}

/// A lexical token of a header value; comments and blanks are dropped.
#[derive(Debug, PartialEq)]
enum Token {
    /// An atom (dots included) or domain literal, as written.
    Atom(Vec<u8>),
    /// A quoted string: its content and its form as written.
    Quoted(Vec<u8>, Vec<u8>),
    /// One of `<>@,;:`.
    Special(u8),
}

fn tokens(value: &[u8]) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < value.len() {
        match value[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'(' => {
                let mut depth = 0;
                loop {
                    match *value.get(i)? {
                        b'(' => depth += 1,
                        b')' => depth -= 1,
                        b'\\' => i += 1,
                        _ => {}
                    }
                    i += 1;
                    if depth == 0 {
                        break;
                    }
                }
            }
            b'"' => {
                let start = i;
                let mut content = Vec::new();
                i += 1;
                loop {
                    match *value.get(i)? {
                        b'"' => break,
                        b'\\' => {
                            content.push(*value.get(i + 1)?);
                            i += 2;
                        }
                        b'\r' | b'\n' => i += 1,
                        b => {
                            content.push(b);
                            i += 1;
                        }
                    }
                }
                i += 1;
                out.push(Token::Quoted(content, value[start..i].to_vec()));
            }
            b'[' => {
                let end = i + value[i..].iter().position(|&b| b == b']')?;
                out.push(Token::Atom(value[i..=end].to_vec()));
                i = end + 1;
            }
            b @ (b'<' | b'>' | b'@' | b',' | b';' | b':') => {
                out.push(Token::Special(b));
                i += 1;
            }
            _ => {
                let start = i;
                while i < value.len() && (is_atext(value[i]) || value[i] == b'.') {
                    i += 1;
                }
                if i == start {
                    return None;
                }
                out.push(Token::Atom(value[start..i].to_vec()));
            }
        }
    }
    Some(out)
}

/// One mailbox: display name (if any) and address.
type Mailbox = (Option<Vec<u8>>, Vec<u8>);

/// The mailboxes of an address list, groups flattened. `None` for an
/// unterminated quoted string, comment, domain literal or angle address,
/// or characters that cannot appear in an address list.
fn mailboxes(value: &[u8]) -> Option<Vec<Mailbox>> {
    let tokens = tokens(value)?;
    let mut out = Vec::new();
    let mut words: Vec<&Token> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Special(b'<') => {
                let close = i + tokens[i..]
                    .iter()
                    .position(|t| *t == Token::Special(b'>'))?;
                let inner = &tokens[i + 1..close];
                // An obsolete route (`@a,@b:`) before the address is dropped.
                let start = inner
                    .iter()
                    .rposition(|t| *t == Token::Special(b':'))
                    .map_or(0, |p| p + 1);
                let name = phrase(&words);
                out.push((name, raw(&inner[start..])));
                words.clear();
                i = close + 1;
            }
            Token::Special(b':') => {
                words.clear();
                i += 1;
            }
            Token::Special(b',' | b';') => {
                if !words.is_empty() {
                    out.push((None, raw(words.iter().copied())));
                    words.clear();
                }
                i += 1;
            }
            Token::Special(b'>') => return None,
            t => {
                words.push(t);
                i += 1;
            }
        }
    }
    if !words.is_empty() {
        out.push((None, raw(words.iter().copied())));
    }
    Some(out)
}

/// Tokens joined as written (an address).
fn raw<'t>(tokens: impl IntoIterator<Item = &'t Token>) -> Vec<u8> {
    let mut out = Vec::new();
    for t in tokens {
        match t {
            Token::Atom(a) => out.extend_from_slice(a),
            Token::Quoted(_, written) => out.extend_from_slice(written),
            Token::Special(s) => out.push(*s),
        }
    }
    out
}

/// Words joined by single spaces, quoted strings unquoted and encoded
/// words decoded (a display name); `None` when there are no words.
fn phrase(words: &[&Token]) -> Option<Vec<u8>> {
    let parts: Vec<Vec<u8>> = words
        .iter()
        .map(|t| match t {
            Token::Atom(a) => a.clone(),
            Token::Quoted(content, _) => content.clone(),
            Token::Special(s) => vec![*s],
        })
        .collect();
    (!parts.is_empty()).then(|| decode_words(&parts.join(&b' ')))
}

/// `header_addresslist_extract`: the addresses of a header value, or with
/// `details` arrays of `address` and, when there is one, `name`.
fn extract(value: &[u8], details: bool) -> Value {
    let Some(found) = mailboxes(value) else {
        return Value::None;
    };
    let items = found.into_iter().map(|(name, address)| {
        if !details {
            return Value::str(address);
        }
        let mut entry = Array::default();
        entry.insert(Value::str("address").to_key(), Value::str(address));
        if let Some(name) = name {
            entry.insert(Value::str("name").to_key(), Value::str(name));
        }
        Value::Array(Rc::new(entry))
    });
    Value::Array(Rc::new(Array::list(items)))
}

/// `header_addresslist_compile`: addresses (strings, or arrays of `address`
/// and optional `name`) as one header value separated by `, `. Names of
/// plain words stay as they are, names with other ASCII are quoted, names
/// with other bytes become RFC 2047 encoded words.
fn compile(name: &str, addresses: &Array, span: Span) -> R<Value> {
    let mut parts = Vec::with_capacity(addresses.map.len());
    for item in addresses.map.values() {
        let (display, address) = match item {
            Value::Array(entry) => {
                let field = |k: &str| {
                    entry
                        .map
                        .get(&Value::str(k).to_key())
                        .filter(|v| !matches!(v, Value::None))
                };
                match field("address") {
                    Some(address) => (
                        field("name").map(Value::to_bytes),
                        string_arg(name, address, span)?,
                    ),
                    None => {
                        return error(span, format!("{name}() needs an \"address\" in each array"))
                    }
                }
            }
            other => (None, string_arg(name, other, span)?),
        };
        let mut part = Vec::new();
        match display.filter(|d| !d.is_empty()) {
            Some(d) => {
                let plain = d
                    .split(|&b| b == b' ')
                    .all(|w| !w.is_empty() && w.iter().all(|&b| is_atext(b) && b < 0x80));
                if plain {
                    part.extend_from_slice(&d);
                } else if d.iter().all(|&b| (32..127).contains(&b)) {
                    part.extend_from_slice(&crate::mail::header::quoted_string(&d));
                } else {
                    part.extend_from_slice(&encode_words(&d, b" "));
                }
                part.extend_from_slice(b" <");
                part.extend_from_slice(&address);
                part.push(b'>');
            }
            None => part.extend_from_slice(&address),
        }
        parts.push(part);
    }
    Ok(Value::str(parts.join(&b", "[..])))
}
