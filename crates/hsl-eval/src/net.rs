//! IP address helpers: `inet_includes`, `inet_pton`, `inet_ntop` and
//! `inet_reverse`.

use crate::builtins::{string_arg, R};
use crate::value::Value;
use hsl_syntax::Span;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &["inet_pton", "inet_ntop", "inet_reverse"],
    call: family,
};

/// The `inet_pton`, `inet_ntop` and `inet_reverse` family; each gives none
/// for input that is not an address.
pub(crate) fn family(
    _: &mut crate::Interpreter,
    name: &str,
    a: &[Value],
    span: Span,
) -> Option<R<Value>> {
    let run = || {
        let arg = string_arg(name, &a[0], span)?;
        let parsed = || std::str::from_utf8(&arg).ok()?.parse::<IpAddr>().ok();
        Ok(match name {
            "inet_pton" => parsed().map(|ip| match ip {
                IpAddr::V4(v) => v.octets().to_vec(),
                IpAddr::V6(v) => v.octets().to_vec(),
            }),
            "inet_ntop" => ntop(&arg).map(|ip| ip.to_string().into_bytes()),
            _ => {
                let zone = a.get(1).map(|z| string_arg(name, z, span)).transpose()?;
                parsed().map(|ip| reverse(ip, zone.as_deref()))
            }
        }
        .map_or(Value::None, Value::str))
    };
    Some(run())
}

/// The address of a 4- or 16-byte binary string.
fn ntop(bytes: &[u8]) -> Option<IpAddr> {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        return Some(IpAddr::V4(Ipv4Addr::from(v4)));
    }
    <[u8; 16]>::try_from(bytes)
        .ok()
        .map(|v6| IpAddr::V6(Ipv6Addr::from(v6)))
}

/// The reverse DNS name: octets (IPv4) or nibbles (IPv6) in reverse order,
/// then `zone`, by default `in-addr.arpa` or `ip6.arpa`. An empty zone
/// gives the reversed labels alone, without a trailing dot.
fn reverse(ip: IpAddr, zone: Option<&[u8]>) -> Vec<u8> {
    let (labels, default_zone): (Vec<String>, &[u8]) = match ip {
        IpAddr::V4(v) => (
            v.octets().iter().rev().map(u8::to_string).collect(),
            b"in-addr.arpa",
        ),
        IpAddr::V6(v) => (
            v.octets()
                .iter()
                .rev()
                .flat_map(|b| [b & 15, b >> 4])
                .map(|n| format!("{n:x}"))
                .collect(),
            b"ip6.arpa",
        ),
    };
    let mut out = labels.join(".").into_bytes();
    let zone = zone.unwrap_or(default_zone);
    if !zone.is_empty() {
        out.push(b'.');
        out.extend_from_slice(zone);
    }
    out
}

/// Whether `ip` lies in `network` (`addr/prefix` or a single address);
/// `None` when either does not parse.
pub fn includes(ip: &str, network: &str) -> Option<bool> {
    let ip: IpAddr = ip.trim().parse().ok()?;
    let (net, prefix) = match network.split_once('/') {
        Some((n, p)) => (
            n.trim().parse::<IpAddr>().ok()?,
            Some(p.trim().parse::<u32>().ok()?),
        ),
        None => (network.trim().parse::<IpAddr>().ok()?, None),
    };
    let bits = |a: IpAddr| -> (u128, u32) {
        match a {
            IpAddr::V4(v) => (u128::from(u32::from(v)), 32),
            IpAddr::V6(v) => (u128::from(v), 128),
        }
    };
    let ((a, width), (n, net_width)) = (bits(ip), bits(net));
    if width != net_width {
        return Some(false);
    }
    let prefix = prefix.unwrap_or(width);
    if prefix > width {
        return None;
    }
    let shift = width - prefix;
    Some(shift >= 128 || (a >> shift) == (n >> shift))
}

#[cfg(test)]
mod tests {
    #[test]
    fn networks() {
        assert_eq!(super::includes("192.0.2.10", "192.0.2.0/24"), Some(true));
        assert_eq!(super::includes("192.0.3.10", "192.0.2.0/24"), Some(false));
        assert_eq!(super::includes("2001:db8::1", "2001:db8::/32"), Some(true));
        assert_eq!(super::includes("10.0.0.1", "0.0.0.0/0"), Some(true));
        assert_eq!(super::includes("10.0.0.1", "10.0.0.1"), Some(true));
        assert_eq!(super::includes("nope", "10.0.0.0/8"), None);
    }

    #[test]
    fn reverse_names() {
        let ip = |s: &str| s.parse().unwrap();
        assert_eq!(
            super::reverse(ip("192.0.2.1"), None),
            b"1.2.0.192.in-addr.arpa"
        );
        assert_eq!(
            super::reverse(ip("192.0.2.1"), Some(b"zen.example")),
            b"1.2.0.192.zen.example"
        );
        assert_eq!(
            super::reverse(ip("::1"), Some(b"")),
            format!("1{}", ".0".repeat(31)).as_bytes()
        );
    }
}
