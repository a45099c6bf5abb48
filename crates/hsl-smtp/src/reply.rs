//! SMTP replies: a three-digit code, an optional enhanced status code
//! (RFC 3463) and one or more text lines.

use serde::Serialize;
use std::fmt;

/// One server reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reply {
    /// The reply code, e.g. 550.
    pub code: u16,
    /// The enhanced status code, e.g. `[5, 7, 1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enhanced: Option<[u8; 3]>,
    /// Text lines (at least one).
    pub lines: Vec<String>,
}

impl Reply {
    /// A one-line reply.
    pub fn new(code: u16, enhanced: Option<[u8; 3]>, text: impl Into<String>) -> Reply {
        Reply {
            code,
            enhanced,
            lines: vec![text.into()],
        }
    }

    /// Reads a catalog default such as `550 5.7.1` or `250`.
    pub fn parse_code(text: &str) -> Option<(u16, Option<[u8; 3]>)> {
        let mut words = text.split_whitespace();
        let code = words
            .next()?
            .parse()
            .ok()
            .filter(|c| (200..600).contains(c))?;
        let enhanced = match words.next() {
            Some(e) => Some(parse_enhanced(e)?),
            None => None,
        };
        Some((code, enhanced))
    }

    /// The lines as sent: `550-5.7.1 first`, …, `550 5.7.1 last`.
    pub fn wire_lines(&self) -> Vec<String> {
        let empty = [String::new()];
        let lines: &[String] = if self.lines.is_empty() {
            &empty
        } else {
            &self.lines
        };
        let last = lines.len() - 1;
        lines
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let sep = if i == last { ' ' } else { '-' };
                let mut line = format!("{}{sep}", self.code);
                if let Some([a, b, c]) = self.enhanced {
                    line.push_str(&format!("{a}.{b}.{c}"));
                    if !text.is_empty() {
                        line.push(' ');
                    }
                }
                line.push_str(text);
                line.trim_end().to_string()
            })
            .collect()
    }

    /// Makes text with line breaks (from a script's reason, say) separate
    /// lines, so that none can break the reply on the wire.
    pub fn split_line_breaks(&mut self) {
        if self.lines.iter().any(|l| l.contains(['\r', '\n'])) {
            self.lines = self
                .lines
                .iter()
                .flat_map(|l| l.split("\r\n").flat_map(|l| l.split(['\r', '\n'])))
                .map(str::to_string)
                .collect();
        }
    }

    /// The server closes the connection after sending it (221, 421).
    pub fn closes(&self) -> bool {
        matches!(self.code, 221 | 421)
    }

    /// A positive completion (2xx) or intermediate (3xx) reply.
    pub fn is_positive(&self) -> bool {
        self.code < 400
    }
}

/// `5.7.1` as three numbers.
pub fn parse_enhanced(text: &str) -> Option<[u8; 3]> {
    let mut parts = text.split('.').map(|p| p.parse::<u16>().ok());
    let class = parts.next()??;
    let subject = parts.next()??;
    let detail = parts.next()??;
    if parts.next().is_some() || !matches!(class, 2 | 4 | 5) || subject > 999 || detail > 999 {
        return None;
    }
    Some([class as u8, subject.min(255) as u8, detail.min(255) as u8])
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.wire_lines().join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_replies_continue_with_a_dash() {
        let r = Reply {
            code: 250,
            enhanced: None,
            lines: vec![
                "mx.example.net".into(),
                "PIPELINING".into(),
                "SIZE 100".into(),
            ],
        };
        assert_eq!(
            r.wire_lines(),
            ["250-mx.example.net", "250-PIPELINING", "250 SIZE 100"]
        );
    }

    #[test]
    fn enhanced_codes_precede_the_text() {
        let r = Reply::new(550, Some([5, 1, 1]), "No such user");
        assert_eq!(r.to_string(), "550 5.1.1 No such user");
        assert_eq!(Reply::parse_code("550 5.7.1"), Some((550, Some([5, 7, 1]))));
        assert_eq!(Reply::parse_code("250"), Some((250, None)));
        assert_eq!(Reply::parse_code("x"), None);
        assert_eq!(parse_enhanced("5.7"), None);
    }

    #[test]
    fn line_breaks_in_text_become_separate_lines() {
        let mut r = Reply::new(550, None, "one\r\ntwo\nthree\rfour");
        r.split_line_breaks();
        assert_eq!(
            r.wire_lines(),
            ["550-one", "550-two", "550-three", "550 four"]
        );
    }
}
