//! Hook contexts and Halon versions.

use std::fmt;
use std::str::FromStr;

/// A Halon major version whose names and hook behaviour the catalog knows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HalonVersion {
    /// 4.x-style scripts (`$senderip`, `Reject()` with 521…).
    V4,
    /// 5.x: 6.x plus the 5.x aliases and compatibility names.
    V5,
    /// 6.x (the default).
    #[default]
    V6,
}

impl FromStr for HalonVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.split('.').next().unwrap_or(s) {
            "4" => Ok(HalonVersion::V4),
            "5" => Ok(HalonVersion::V5),
            "6" => Ok(HalonVersion::V6),
            _ => Err(format!("unknown Halon version `{s}` (expected 4, 5 or 6)")),
        }
    }
}

impl fmt::Display for HalonVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HalonVersion::V4 => "4",
            HalonVersion::V5 => "5",
            HalonVersion::V6 => "6",
        })
    }
}

/// A hook context: where a script runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hook {
    /// A client connects (before the banner).
    Connect,
    /// Before each SMTP command.
    Proxy,
    /// HELO/EHLO.
    Helo,
    /// AUTH.
    Auth,
    /// MAIL FROM.
    MailFrom,
    /// RCPT TO.
    RcptTo,
    /// End of DATA.
    Eod,
    /// After the client disconnected.
    Disconnect,
    /// Queue, before a delivery attempt.
    PreDelivery,
    /// Queue, after a delivery attempt.
    PostDelivery,
}

impl Hook {
    /// Every hook, in SMTP order.
    pub const ALL: [Hook; 10] = [
        Hook::Connect,
        Hook::Proxy,
        Hook::Helo,
        Hook::Auth,
        Hook::MailFrom,
        Hook::RcptTo,
        Hook::Eod,
        Hook::Disconnect,
        Hook::PreDelivery,
        Hook::PostDelivery,
    ];

    /// The hook called `name`, in any case (5.x's `eodonce` and `eodrcpt`
    /// are the end-of-data hook); unlike parsing, no error is made for
    /// other names.
    pub fn named(name: &str) -> Option<Hook> {
        // 5.x split the end-of-data hook in two.
        if ["eodonce", "eodrcpt"]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name))
        {
            return Some(Hook::Eod);
        }
        Hook::ALL
            .into_iter()
            .find(|h| h.as_str().eq_ignore_ascii_case(name))
    }

    /// The lower-case name used in paths and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Hook::Connect => "connect",
            Hook::Proxy => "proxy",
            Hook::Helo => "helo",
            Hook::Auth => "auth",
            Hook::MailFrom => "mailfrom",
            Hook::RcptTo => "rcptto",
            Hook::Eod => "eod",
            Hook::Disconnect => "disconnect",
            Hook::PreDelivery => "predelivery",
            Hook::PostDelivery => "postdelivery",
        }
    }
}

impl FromStr for Hook {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Hook::named(s).ok_or_else(|| {
            let names: Vec<&str> = Hook::ALL.iter().map(|h| h.as_str()).collect();
            format!("unknown hook `{s}` (expected one of {})", names.join(", "))
        })
    }
}

impl fmt::Display for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hooks_are_named_in_any_case_and_5x_end_of_data_names_are_eod() {
        assert_eq!(Hook::named("MailFrom"), Some(Hook::MailFrom));
        assert_eq!(Hook::named("EODRCPT"), Some(Hook::Eod));
        assert_eq!(Hook::named("eodonce"), Some(Hook::Eod));
        assert_eq!(Hook::named("servers"), None);
        assert_eq!("rcptTO".parse::<Hook>(), Ok(Hook::RcptTo));
        let unknown = "phases".parse::<Hook>().unwrap_err();
        assert!(unknown.starts_with("unknown hook `phases` (expected one of connect, proxy"));
    }
}
