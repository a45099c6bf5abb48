//! IP address helpers: `inet_includes`.

use std::net::IpAddr;

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
}
