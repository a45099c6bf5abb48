//! `url_parse`: splits an absolute URL into its RFC 3986 components.

use crate::builtins::{options_arg, string_arg, R};
use crate::value::{Array, Value};
use hsl_syntax::Span;
use std::rc::Rc;

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &["url_parse"],
    call: family,
};

/// The `url_parse` family. The result has `scheme` and `path` (possibly
/// empty) and, when the URL has them, `user`, `password`, `host`, `port`
/// (a number), `query` and `fragment`, all as written (no percent-decoding).
/// None for a URL without a valid scheme, with a port that is not a number
/// up to 65535, or with blanks or control characters. The options array is
/// checked to be an array; no option changes the result yet.
pub(crate) fn family(
    _: &mut crate::Interpreter,
    name: &str,
    a: &[Value],
    span: Span,
) -> Option<R<Value>> {
    if name != "url_parse" {
        return None;
    }
    let run = || {
        options_arg(name, a.get(1), span)?;
        let url = string_arg(name, &a[0], span)?;
        Ok(parse(&url).map_or(Value::None, |parts| {
            let mut out = Array::default();
            for (k, v) in parts {
                out.insert(Value::str(k).to_key(), v);
            }
            Value::Array(Rc::new(out))
        }))
    };
    Some(run())
}

fn parse(url: &[u8]) -> Option<Vec<(&'static str, Value)>> {
    if url.iter().any(|&b| b <= b' ' || b == 0x7f) {
        return None;
    }
    let colon = url
        .iter()
        .position(|&b| matches!(b, b':' | b'/' | b'?' | b'#'))?;
    let scheme = &url[..colon];
    let valid_scheme = scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if url[colon] != b':' || !valid_scheme {
        return None;
    }
    let mut parts = vec![("scheme", Value::str(scheme))];
    let mut rest = &url[colon + 1..];
    let (before_fragment, fragment) = split_at_first(rest, b'#');
    rest = before_fragment;
    let (before_query, query) = split_at_first(rest, b'?');
    rest = before_query;
    let path = match rest.strip_prefix(b"//") {
        Some(after) => {
            let end = after.iter().position(|&b| b == b'/').unwrap_or(after.len());
            authority(&after[..end], &mut parts)?;
            &after[end..]
        }
        None => rest,
    };
    parts.push(("path", Value::str(path)));
    if let Some(q) = query {
        parts.push(("query", Value::str(q)));
    }
    if let Some(f) = fragment {
        parts.push(("fragment", Value::str(f)));
    }
    Some(parts)
}

/// `userinfo@host:port`; the host may be a bracketed IPv6 literal.
fn authority(auth: &[u8], parts: &mut Vec<(&'static str, Value)>) -> Option<()> {
    let (userinfo, hostport) = match auth.iter().rposition(|&b| b == b'@') {
        Some(at) => (Some(&auth[..at]), &auth[at + 1..]),
        None => (None, auth),
    };
    if let Some(info) = userinfo {
        let (user, password) = split_at_first(info, b':');
        parts.push(("user", Value::str(user)));
        if let Some(p) = password {
            parts.push(("password", Value::str(p)));
        }
    }
    let host_end = if hostport.starts_with(b"[") {
        hostport.iter().position(|&b| b == b']')? + 1
    } else {
        hostport
            .iter()
            .position(|&b| b == b':')
            .unwrap_or(hostport.len())
    };
    parts.push(("host", Value::str(&hostport[..host_end])));
    match &hostport[host_end..] {
        [] | [b':'] => {}
        [b':', port @ ..] => {
            let port: u16 = std::str::from_utf8(port)
                .ok()
                .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))?
                .parse()
                .ok()?;
            parts.push(("port", Value::Number(f64::from(port))));
        }
        _ => return None,
    }
    Some(())
}

/// The text before the first `sep` and, if there is one, the text after it.
fn split_at_first(s: &[u8], sep: u8) -> (&[u8], Option<&[u8]>) {
    match s.iter().position(|&b| b == sep) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    }
}
