//! Domain names: `idna_encode`, `idna_decode` (UTS #46 processing of
//! internationalized names), `domain_includes` and `domain_publicsuffix`
//! (the Public Suffix List embedded by the `psl` crate).

use crate::args;
use crate::builtins::{options_arg, string_arg, R};
use crate::value::Value;
use hsl_syntax::Span;
use idna::uts46::{AsciiDenyList, DnsLength, Hyphens};

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &[
        "idna_encode",
        "idna_decode",
        "domain_publicsuffix",
        "domain_includes",
    ],
    call: family,
};

/// The family of domain-name functions.
pub(crate) fn family(
    _: &mut crate::Interpreter,
    name: &str,
    a: &[Value],
    span: Span,
) -> Option<R<Value>> {
    let run = || {
        let arg = |i: usize| -> R<String> {
            string_arg(name, &a[i], span).map(|b| String::from_utf8_lossy(&b).into_owned())
        };
        let text = |s: Option<String>| s.map_or(Value::None, Value::str);
        Ok(match name {
            "idna_encode" => text(to_ascii(&arg(0)?)),
            "idna_decode" => text(to_unicode(&arg(0)?)),
            "domain_publicsuffix" => text(public_suffix(&arg(0)?)),
            _ => {
                let options = options_arg(name, a.get(2), span)?;
                let idna = args::option(&options, "idna").is_none_or(Value::truthy);
                Value::Bool(includes(&arg(0)?, &arg(1)?, idna))
            }
        })
    };
    Some(run())
}

/// The ASCII (punycode) form; `None` for an invalid name, including an
/// empty one or one breaking DNS length limits (a final root dot is
/// allowed). Underscores and other ASCII are accepted (`_dmarc.example`).
fn to_ascii(domain: &str) -> Option<String> {
    idna::uts46::Uts46::new()
        .to_ascii(
            domain.as_bytes(),
            AsciiDenyList::EMPTY,
            Hyphens::Allow,
            DnsLength::VerifyAllowRootDot,
        )
        .ok()
        .map(|cow| cow.into_owned())
}

/// The Unicode form; `None` for invalid punycode or a name `to_ascii`
/// rejects.
fn to_unicode(domain: &str) -> Option<String> {
    to_ascii(domain)?;
    let (text, result) = idna::domain_to_unicode(domain);
    result.ok().map(|()| text)
}

/// Whether `sub` is `domain` or a name below it, ignoring ASCII case (as
/// DNS does, RFC 4343) and a final dot. A `domain` starting with a dot only includes names below it. With
/// `idna` (the default) both names are compared in their ASCII form, so
/// Unicode and punycode spellings match.
fn includes(sub: &str, domain: &str, idna: bool) -> bool {
    let (below_only, domain) = match domain.strip_prefix('.') {
        Some(rest) => (true, rest),
        None => (false, domain),
    };
    let normal = |d: &str| {
        let d = d.strip_suffix('.').unwrap_or(d);
        idna.then(|| to_ascii(d))
            .flatten()
            .unwrap_or_else(|| d.to_ascii_lowercase())
    };
    let (sub, domain) = (normal(sub), normal(domain));
    if domain.is_empty() {
        return false;
    }
    (!below_only && sub == domain)
        || sub
            .strip_suffix(domain.as_str())
            .is_some_and(|head| head.len() > 1 && head.ends_with('.'))
}

/// The public suffix of `domain` (in ASCII form) by the Public Suffix
/// List; a top-level domain missing from the list is its own suffix, as the
/// list's algorithm prescribes. `None` for an invalid name.
fn public_suffix(domain: &str) -> Option<String> {
    let ascii = to_ascii(domain.strip_suffix('.').unwrap_or(domain))?;
    let suffix = psl::suffix(ascii.as_bytes())?;
    String::from_utf8(suffix.as_bytes().to_vec()).ok()
}
