//! Parsing of SMTP command lines (RFC 5321 §4.1): verbs, `MAIL FROM:<addr>`
//! and `RCPT TO:<addr>` with their `KEY=VALUE` parameters, and the address
//! syntax. A malformed line yields the reply the server sends for it.

use crate::reply::Reply;
use crate::values;
use hsl_eval::value::Value;

/// An envelope address split at its last `@`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    /// Local part (quotes removed).
    pub localpart: String,
    /// Domain (empty for `<postmaster>`).
    pub domain: String,
}

impl Address {
    /// `localpart@domain`, or just the local part when there is no domain.
    pub fn text(&self) -> String {
        if self.domain.is_empty() {
            self.localpart.clone()
        } else {
            format!("{}@{}", self.localpart, self.domain)
        }
    }

    /// An address a script gave: text (`user@example.org`, angle brackets
    /// optional) or an array with `localpart` and `domain`.
    pub fn from_value(v: &Value) -> Address {
        if let Value::Array(_) = v {
            let part = |k| values::get(v, k).map(values::string).unwrap_or_default();
            return Address {
                localpart: part("localpart"),
                domain: part("domain"),
            };
        }
        let s = values::string(v);
        let bracketed = if s.starts_with('<') {
            s.clone()
        } else {
            format!("<{s}>")
        };
        parse_address(&bracketed).unwrap_or_else(|| match s.rsplit_once('@') {
            Some((l, d)) => Address {
                localpart: l.to_string(),
                domain: d.to_string(),
            },
            None => Address {
                localpart: s,
                domain: String::new(),
            },
        })
    }
}

/// `KEY=VALUE` parameters, keys upper-cased, in order.
pub type Params = Vec<(String, String)>;

/// One parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `HELO host`
    Helo(String),
    /// `EHLO host`
    Ehlo(String),
    /// `MAIL FROM:<addr> params` (`None`: the null sender `<>`).
    Mail(Option<Address>, Params),
    /// `RCPT TO:<addr> params`
    Rcpt(Address, Params),
    /// `DATA`
    Data,
    /// `RSET`
    Rset,
    /// `NOOP [text]`
    Noop,
    /// `QUIT`
    Quit,
    /// `STARTTLS`
    StartTls,
    /// `AUTH mechanism [initial-response]`
    Auth(String, Option<String>),
    /// A known command this server does not implement (`VRFY`, `EXPN`, …).
    NotImplemented(String),
}

fn syntax(text: &str) -> Reply {
    Reply::new(501, Some([5, 5, 4]), format!("Syntax: {text}"))
}

/// Parses one command line (without its CRLF).
pub fn parse(line: &str) -> Result<Command, Reply> {
    if line.len() > 512 {
        return Err(Reply::new(500, Some([5, 5, 6]), "Line too long"));
    }
    let (verb, rest) = match line.find(' ') {
        Some(i) => (&line[..i], line[i + 1..].trim()),
        None => (line, ""),
    };
    let no_args = |c: Command, name: &str| {
        if rest.is_empty() {
            Ok(c)
        } else {
            Err(syntax(name))
        }
    };
    match verb.to_ascii_uppercase().as_str() {
        "HELO" | "EHLO" => {
            let mut words = rest.split_whitespace();
            let (Some(host), None) = (words.next(), words.next()) else {
                return Err(syntax(&format!("{} hostname", verb.to_ascii_uppercase())));
            };
            Ok(if verb.eq_ignore_ascii_case("HELO") {
                Command::Helo(host.to_string())
            } else {
                Command::Ehlo(host.to_string())
            })
        }
        "MAIL" => {
            let Some(path) = strip_keyword(rest, "FROM:") else {
                return Err(syntax("MAIL FROM:<address>"));
            };
            let (address, params) =
                path_and_params(path).ok_or_else(|| syntax("MAIL FROM:<address>"))?;
            if address == "<>" {
                return Ok(Command::Mail(None, params));
            }
            let address = parse_address(address)
                .ok_or_else(|| Reply::new(501, Some([5, 1, 7]), "Bad sender address syntax"))?;
            Ok(Command::Mail(Some(address), params))
        }
        "RCPT" => {
            let Some(path) = strip_keyword(rest, "TO:") else {
                return Err(syntax("RCPT TO:<address>"));
            };
            let (address, params) =
                path_and_params(path).ok_or_else(|| syntax("RCPT TO:<address>"))?;
            let address = parse_address(address)
                .filter(|a| !a.domain.is_empty() || a.localpart.eq_ignore_ascii_case("postmaster"))
                .ok_or_else(|| Reply::new(501, Some([5, 1, 3]), "Bad recipient address syntax"))?;
            Ok(Command::Rcpt(address, params))
        }
        "DATA" => no_args(Command::Data, "DATA"),
        "RSET" => no_args(Command::Rset, "RSET"),
        "QUIT" => no_args(Command::Quit, "QUIT"),
        "STARTTLS" => no_args(Command::StartTls, "STARTTLS"),
        "NOOP" => Ok(Command::Noop),
        "AUTH" => {
            let mut words = rest.split_whitespace();
            let Some(mechanism) = words.next() else {
                return Err(syntax("AUTH mechanism [initial-response]"));
            };
            let initial = words.next().map(str::to_string);
            if words.next().is_some() {
                return Err(syntax("AUTH mechanism [initial-response]"));
            }
            Ok(Command::Auth(mechanism.to_ascii_uppercase(), initial))
        }
        "VRFY" | "EXPN" | "HELP" | "TURN" | "ETRN" | "BDAT" => {
            Ok(Command::NotImplemented(verb.to_ascii_uppercase()))
        }
        _ => Err(Reply::new(500, Some([5, 5, 2]), "Command unrecognized")),
    }
}

/// The text after a case-insensitive `keyword` (spaces after it allowed).
fn strip_keyword<'a>(text: &'a str, keyword: &str) -> Option<&'a str> {
    let head = text.get(..keyword.len())?;
    head.eq_ignore_ascii_case(keyword)
        .then(|| text[keyword.len()..].trim_start())
}

/// Splits `<path> KEY=VALUE …` into the bracketed path and its parameters.
fn path_and_params(text: &str) -> Option<(&str, Params)> {
    if !text.starts_with('<') {
        return None;
    }
    let end = closing_bracket(text)?;
    let (path, rest) = text.split_at(end + 1);
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    let mut params = Params::new();
    for word in rest.split_whitespace() {
        let (key, value) = word.split_once('=').unwrap_or((word, ""));
        let valid_key = !key.is_empty()
            && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && key.as_bytes()[0].is_ascii_alphanumeric();
        if !valid_key {
            return None;
        }
        params.push((key.to_ascii_uppercase(), value.to_string()));
    }
    Some((path, params))
}

/// The index of the `>` ending the path (skipping quoted local parts).
fn closing_bracket(text: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '>' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// Reads `<local@domain>` (an optional source route `@a,@b:` is dropped).
pub fn parse_address(path: &str) -> Option<Address> {
    let inner = path.strip_prefix('<')?.strip_suffix('>')?;
    let inner = match inner.strip_prefix('@') {
        Some(route) => &route[route.find(':')? + 1..],
        None => inner,
    };
    let (local, domain) = match inner.rfind('@') {
        Some(i) => (&inner[..i], &inner[i + 1..]),
        None => (inner, ""),
    };
    let localpart = parse_local(local)?;
    if !domain.is_empty() && !valid_domain(domain) || inner.ends_with('@') {
        return None;
    }
    Some(Address {
        localpart,
        domain: domain.to_string(),
    })
}

fn parse_local(local: &str) -> Option<String> {
    if let Some(q) = local.strip_prefix('"') {
        let body = q.strip_suffix('"')?;
        let mut out = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.push(chars.next()?),
                '"' => return None,
                c => out.push(c),
            }
        }
        return Some(out);
    }
    let atext = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    let ok = !local.is_empty()
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(atext));
    ok.then(|| local.to_string())
}

fn valid_domain(domain: &str) -> bool {
    if let Some(literal) = domain.strip_prefix('[') {
        return literal.ends_with(']') && literal.len() > 1;
    }
    domain.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(local: &str, domain: &str) -> Address {
        Address {
            localpart: local.into(),
            domain: domain.into(),
        }
    }

    #[test]
    fn verbs_are_case_insensitive() {
        assert_eq!(
            parse("ehlo mail.example.org"),
            Ok(Command::Ehlo("mail.example.org".into()))
        );
        assert_eq!(parse("Quit"), Ok(Command::Quit));
        assert_eq!(parse("NOOP anything"), Ok(Command::Noop));
        assert_eq!(
            parse("auth plain AGE="),
            Ok(Command::Auth("PLAIN".into(), Some("AGE=".into())))
        );
    }

    #[test]
    fn mail_from_with_parameters() {
        assert_eq!(
            parse("MAIL FROM:<Alice@Example.org> size=2048 BODY=8BITMIME"),
            Ok(Command::Mail(
                Some(addr("Alice", "Example.org")),
                vec![
                    ("SIZE".into(), "2048".into()),
                    ("BODY".into(), "8BITMIME".into())
                ]
            ))
        );
        assert_eq!(parse("MAIL FROM: <>"), Ok(Command::Mail(None, vec![])));
        assert_eq!(
            parse("RCPT TO:<@relay.example:bob@example.com> NOTIFY=NEVER"),
            Ok(Command::Rcpt(
                addr("bob", "example.com"),
                vec![("NOTIFY".into(), "NEVER".into())]
            ))
        );
        assert_eq!(
            parse(r#"RCPT TO:<"john \"q\" doe"@example.com>"#),
            Ok(Command::Rcpt(addr("john \"q\" doe", "example.com"), vec![]))
        );
        assert_eq!(
            parse("RCPT TO:<Postmaster>"),
            Ok(Command::Rcpt(addr("Postmaster", ""), vec![]))
        );
    }

    #[test]
    fn syntax_errors_give_501_and_unknown_verbs_500() {
        let code = |line: &str| parse(line).map_err(|r| r.to_string()).unwrap_err();
        assert_eq!(
            code("MAIL FROM:alice@example.org"),
            "501 5.5.4 Syntax: MAIL FROM:<address>"
        );
        assert_eq!(
            code("MAIL TO:<a@b>"),
            "501 5.5.4 Syntax: MAIL FROM:<address>"
        );
        assert_eq!(
            code("MAIL FROM:<a..b@example.org>"),
            "501 5.1.7 Bad sender address syntax"
        );
        assert_eq!(
            code("RCPT TO:<bob>"),
            "501 5.1.3 Bad recipient address syntax"
        );
        assert_eq!(
            code("RCPT TO:<bob@-x.com>"),
            "501 5.1.3 Bad recipient address syntax"
        );
        assert_eq!(
            code("RCPT TO:<bob@x.com>junk"),
            "501 5.5.4 Syntax: RCPT TO:<address>"
        );
        assert_eq!(code("HELO"), "501 5.5.4 Syntax: HELO hostname");
        assert_eq!(code("DATA now"), "501 5.5.4 Syntax: DATA");
        assert_eq!(code("FROB x"), "500 5.5.2 Command unrecognized");
        assert_eq!(code(""), "500 5.5.2 Command unrecognized");
        assert_eq!(
            parse("VRFY bob"),
            Ok(Command::NotImplemented("VRFY".into()))
        );
    }
}
