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
        let lower = s.to_ascii_lowercase();
        // 5.x split the end-of-data hook in two.
        let name = match lower.as_str() {
            "eodonce" | "eodrcpt" => "eod",
            other => other,
        };
        Hook::ALL
            .into_iter()
            .find(|h| h.as_str() == name)
            .ok_or_else(|| {
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
