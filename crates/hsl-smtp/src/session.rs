//! The session file: which scripts to run, the server and client, the fixed
//! clock, stubbed functions, the client's side of the conversation and
//! optional expectations. Unknown keys, wrong types, unknown hook names and
//! missing files are errors with the file, line and column.

mod explain;

use hsl_catalog::{HalonVersion, Hook};
use hsl_syntax::ReadError;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A session file that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionError {
    /// The session file.
    pub file: PathBuf,
    /// 1-based line and column of the offending value, when known.
    pub location: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, column)) = self.location {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Session files above this size are refused rather than read.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// A parsed session file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// Shown in reports (default: the file name).
    #[serde(default)]
    pub name: Option<String>,
    /// Halon major version whose hook behaviour applies (default 6).
    #[serde(default, deserialize_with = "version")]
    pub halon: HalonVersion,
    /// A Halon workspace: hook scripts come from `src/hooks/<hook>/<id>.hsl`
    /// for the ids that `src/config/smtpd-app.yaml` gives the server.
    #[serde(default, deserialize_with = "directory")]
    pub workspace: Option<FilePath>,
    /// Explicit scripts per hook (these win over the workspace's).
    #[serde(default)]
    pub hooks: BTreeMap<HookName, FilePath>,
    /// The receiving server.
    #[serde(default)]
    pub server: ServerInfo,
    /// The connecting client.
    #[serde(default)]
    pub client: ClientInfo,
    /// What STARTTLS negotiates (STARTTLS is offered only with this).
    #[serde(default)]
    pub tls: Option<TlsInfo>,
    /// Fixed time for `time()` and friends: RFC 3339 or seconds since the epoch.
    #[serde(default)]
    pub clock: Option<Clock>,
    /// Server limits.
    #[serde(default)]
    pub limits: Limits,
    /// Results of functions that need the world.
    #[serde(default)]
    pub stubs: Vec<StubEntry>,
    /// The client's lines in order.
    pub conversation: Vec<Item>,
    /// Assertions; with any, the session is a test.
    #[serde(default)]
    pub expect: Vec<Expectation>,
}

/// The receiving server.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerInfo {
    /// Server id (`serverid`), used to find hook ids in smtpd-app.yaml.
    pub id: String,
    /// Local IP address.
    pub ip: String,
    /// Local port.
    pub port: u16,
    /// Host name in the banner and EHLO reply.
    pub hostname: String,
    /// Transport id given to accepted recipients.
    pub transport: String,
    /// SASL mechanisms announced when an auth hook exists.
    pub auth: Vec<String>,
}

impl Default for ServerInfo {
    fn default() -> Self {
        ServerInfo {
            id: "inbound".into(),
            ip: "10.0.0.1".into(),
            port: 25,
            hostname: "mx.example.net".into(),
            transport: "mx".into(),
            auth: vec!["PLAIN".into(), "LOGIN".into()],
        }
    }
}

/// The connecting client.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClientInfo {
    /// Remote IP address.
    pub ip: String,
    /// Remote port.
    pub port: u16,
    /// Reverse DNS name, when it has one.
    pub ptr: Option<String>,
}

impl Default for ClientInfo {
    fn default() -> Self {
        ClientInfo {
            ip: "192.0.2.10".into(),
            port: 41666,
            ptr: None,
        }
    }
}

/// TLS parameters recorded when the client issues STARTTLS.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TlsInfo {
    /// e.g. `TLSv1.3`.
    pub protocol: String,
    /// e.g. `TLS_AES_256_GCM_SHA384`.
    pub cipher: String,
    /// Key size in bits.
    pub keysize: u32,
    /// The SNI host name, if the client sent one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
}

/// Server limits.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest message in bytes (announced as `SIZE`).
    pub message_size: u64,
    /// Most recipients per transaction.
    pub recipients: usize,
    /// Evaluation steps per hook run (at most [`MAX_STEPS`], so that an
    /// endless loop ends in seconds).
    #[serde(deserialize_with = "steps")]
    pub steps: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            message_size: 10 * 1024 * 1024,
            recipients: 100,
            steps: 1_000_000,
        }
    }
}

/// A stubbed function result (as for `hsl run --stub`).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StubEntry {
    /// Function name.
    pub function: String,
    /// Arguments to match (any when left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Vec<serde_json::Value>>,
    /// What the call returns.
    #[serde(default)]
    pub returns: serde_json::Value,
}

/// One client turn of the conversation.
#[derive(Debug)]
pub enum Item {
    /// A command line (or, during an AUTH exchange, a response line).
    Line(String),
    /// Message content after `DATA`, from a file.
    Message(FilePath),
    /// Message content after `DATA`, inline.
    Data(String),
}

/// One assertion about the transcript.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// The client line the assertion is about, matched exactly.
    #[serde(default)]
    pub command: Option<String>,
    /// …or its position in `conversation` (1-based).
    #[serde(default, deserialize_with = "step")]
    pub step: Option<usize>,
    /// A hook that ran (at that step, if one is given).
    #[serde(default)]
    pub hook: Option<HookName>,
    /// The verdict that hook took, e.g. `Reject`.
    #[serde(default)]
    pub verdict: Option<String>,
    /// The server's reply: a prefix such as `550 5.1.1` or the full text.
    #[serde(default)]
    pub reply: Option<String>,
    /// Text the hook's (or the step's hooks') `echo` output contains.
    #[serde(default)]
    pub echo: Option<String>,
    /// Values of `$context` when the session ended, by key.
    #[serde(default)]
    pub context: Option<BTreeMap<String, serde_json::Value>>,
    /// The message as the eod hook left it (at the selected step, or at any
    /// eod run).
    #[serde(default)]
    pub message: Option<MessageExpectation>,
}

/// What the message after the eod hook must look like.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageExpectation {
    /// Headers by name: `true` present, `false` absent, a text: equal to it.
    #[serde(default)]
    pub headers: BTreeMap<String, HeaderExpectation>,
    /// Text the body contains.
    #[serde(default)]
    pub body: Option<String>,
    /// Copies the hook queued: each must match one of them.
    #[serde(default)]
    pub queued: Vec<QueuedExpectation>,
}

/// One header assertion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderExpectation {
    /// Present (`true`) or absent (`false`).
    Present(bool),
    /// Present with this value (unfolded).
    Equals(String),
}

impl<'de> Deserialize<'de> for HeaderExpectation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = HeaderExpectation;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("true (present), false (absent) or the header's value")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(HeaderExpectation::Present(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(HeaderExpectation::Equals(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(HeaderExpectation::Equals(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A copy of the message the eod hook queued (each given field must match).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueuedExpectation {
    /// Envelope sender.
    #[serde(default)]
    pub sender: Option<String>,
    /// Envelope recipient.
    #[serde(default)]
    pub recipient: Option<String>,
    /// Transport id.
    #[serde(default)]
    pub transport: Option<String>,
}

/// A hook named in a session file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct HookName(pub Hook);

impl<'de> Deserialize<'de> for HookName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        match name.parse::<Hook>() {
            Ok(Hook::PreDelivery | Hook::PostDelivery) => Err(de::Error::custom(format!(
                "`{name}` is a queue hook; sessions run the SMTP hooks"
            ))),
            Ok(hook) => Ok(HookName(hook)),
            Err(_) => {
                let smtp: Vec<&str> = Hook::ALL
                    .iter()
                    .filter(|h| !matches!(h, Hook::PreDelivery | Hook::PostDelivery))
                    .map(|h| h.as_str())
                    .collect();
                let hint = hsl_syntax::suggest::closest(&name, smtp.iter().copied())
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                Err(de::Error::custom(format!(
                    "unknown hook `{name}` (the SMTP hooks are {}){hint}",
                    smtp.join(", ")
                )))
            }
        }
    }
}

/// A file or directory named relative to the session file; it must exist.
#[derive(Clone, Debug)]
pub struct FilePath {
    /// As written.
    pub text: String,
    /// Resolved against the session file's directory.
    pub path: PathBuf,
}

thread_local! {
    /// The directory relative paths are resolved against while a session file is read.
    static BASE: RefCell<PathBuf> = const { RefCell::new(PathBuf::new()) };
    /// The number of conversation items, once known: `step` values above it
    /// are errors at their own line and column.
    static STEPS: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

/// Deeper nesting of flow collections (`[`, `{`) is refused before reading.
pub const MAX_DEPTH: usize = 128;

impl FilePath {
    /// Resolves `text` and checks that it is a directory (or a file).
    fn resolve<E: de::Error>(text: String, directory: bool) -> Result<FilePath, E> {
        let path = BASE.with(|b| b.borrow().join(&text));
        match std::fs::metadata(&path) {
            Err(_) => Err(E::custom(format!("`{text}` not found"))),
            Ok(m) if directory && !m.is_dir() => {
                Err(E::custom(format!("`{text}` is not a directory")))
            }
            Ok(m) if !directory && m.is_dir() => {
                Err(E::custom(format!("`{text}` is a directory, not a file")))
            }
            Ok(_) => Ok(FilePath { text, path }),
        }
    }
}

/// A file (hook script, message).
impl<'de> Deserialize<'de> for FilePath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        FilePath::resolve(String::deserialize(d)?, false)
    }
}

/// A directory (the workspace).
fn directory<'de, D: Deserializer<'de>>(d: D) -> Result<Option<FilePath>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|text| FilePath::resolve(text, true))
        .transpose()
}

/// A fixed time in seconds since the epoch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clock(pub f64);

impl<'de> Deserialize<'de> for Clock {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Clock;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "an RFC 3339 time such as 2026-01-01T12:00:00Z, or seconds since the epoch",
                )
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Clock, E> {
                Ok(Clock(v as f64))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Clock, E> {
                Ok(Clock(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Clock, E> {
                if !v.is_finite() {
                    return Err(E::custom(format!("`{v}` is not a time")));
                }
                Ok(Clock(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Clock, E> {
                parse_rfc3339(v).map(Clock).ok_or_else(|| {
                    E::custom(format!(
                        "`{v}` is not an RFC 3339 time (e.g. 2026-01-01T12:00:00Z)"
                    ))
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Seconds since the epoch of `2026-01-01T12:00:00Z` (fractions and
/// `+01:00`-style offsets allowed).
pub fn parse_rfc3339(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let s = text.get(range)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text[19..];
    let mut fraction = 0.0;
    if let Some(f) = rest.strip_prefix('.') {
        let digits = f.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        fraction = format!("0.{}", &f[..digits]).parse().ok()?;
        rest = &f[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            sign * (rest[1..3].parse::<i64>().ok()? * 3600 + rest[4..6].parse::<i64>().ok()? * 60)
        }
    };
    let days = hsl_eval::calendar::days_from_civil(year, month, day);
    Some((days * 86_400 + hour * 3600 + minute * 60 + second - offset) as f64 + fraction)
}

/// The largest `limits.steps`.
pub const MAX_STEPS: u64 = 100_000_000;

fn steps<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let steps = u64::deserialize(d)?;
    if steps > MAX_STEPS {
        return Err(de::Error::custom(format!(
            "`{steps}` steps are more than the maximum of {MAX_STEPS}"
        )));
    }
    Ok(steps)
}

/// A conversation position: a whole number from 1 (to the number of items,
/// once known).
fn step<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    struct V(Option<usize>);
    impl Visitor<'_> for V {
        type Value = usize;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            match self.0 {
                Some(n) => write!(f, "a whole number from 1 to {n} (the conversation's items)"),
                None => f.write_str("a whole number (1 for the first conversation item)"),
            }
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
            let n = usize::try_from(v).unwrap_or(usize::MAX);
            if n == 0 || self.0.is_some_and(|max| n > max) {
                return Err(E::invalid_value(de::Unexpected::Unsigned(v), &self));
            }
            Ok(n)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<usize, E> {
            Err(E::invalid_value(de::Unexpected::Signed(v), &self))
        }
    }
    d.deserialize_u64(V(STEPS.with(|s| s.get()))).map(Some)
}

fn version<'de, D: Deserializer<'de>>(d: D) -> Result<HalonVersion, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = HalonVersion;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a Halon version: 4, 5 or 6")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<HalonVersion, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<HalonVersion, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<HalonVersion, E> {
            v.parse().map_err(E::custom)
        }
    }
    d.deserialize_any(V)
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Content {
            #[serde(default)]
            message: Option<FilePath>,
            #[serde(default)]
            data: Option<String>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Item;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a command line, `{ message: FILE }` or `{ data: TEXT }`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Item, E> {
                Ok(Item::Line(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Item, A::Error> {
                let c = Content::deserialize(de::value::MapAccessDeserializer::new(map))?;
                match (c.message, c.data) {
                    (Some(m), None) => Ok(Item::Message(m)),
                    (None, Some(d)) => Ok(Item::Data(d)),
                    _ => Err(de::Error::custom(
                        "give exactly one of `message` and `data`",
                    )),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl Session {
    /// Reads and validates a session file.
    pub fn load(path: &Path) -> Result<Session, SessionError> {
        let error = |location, message: String| SessionError {
            file: path.to_path_buf(),
            location,
            message,
        };
        let bytes = hsl_syntax::read_file(path, MAX_FILE_BYTES).map_err(|e| {
            let message = match e {
                ReadError::NotRegular {
                    kind: "a directory",
                } => "a directory, not a session file".into(),
                ReadError::NotFound => "no such file".into(),
                ReadError::TooLarge { .. } => format!("larger than {} MiB", MAX_FILE_BYTES >> 20),
                e => e.to_string(),
            };
            error(None, message)
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(&e.as_bytes()[..valid]);
            error(
                Some(explain::position(&text, valid)),
                "not UTF-8 text: a session file is YAML".into(),
            )
        })?;
        Session::parse(&text, path)
    }

    /// Reads and validates the text of a session file; relative paths in it
    /// are resolved against `path`'s directory (the file need not exist).
    pub fn parse(text: &str, path: &Path) -> Result<Session, SessionError> {
        let error = |location, message: String| SessionError {
            file: path.to_path_buf(),
            location,
            message,
        };
        if let Some(at) = explain::too_deep(text, MAX_DEPTH) {
            return Err(error(
                Some(explain::position(text, at)),
                format!("values are nested too deeply (more than {MAX_DEPTH} levels)"),
            ));
        }
        let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let read = |steps: Option<usize>| {
            let previous = BASE.with(|b| b.replace(base.clone()));
            STEPS.with(|s| s.set(steps));
            let parsed: Result<Session, _> = serde_norway::from_str(text);
            BASE.with(|b| b.replace(previous));
            STEPS.with(|s| s.set(None));
            parsed
        };
        let mut parsed = read(None);
        if let Ok(session) = &parsed {
            let items = session.conversation.len();
            if session
                .expect
                .iter()
                .any(|e| e.step.is_some_and(|s| s > items))
            {
                // Read again knowing the number of items: the reader then
                // reports the step out of range where it is written.
                parsed = read(Some(items));
            }
        }
        let session = parsed.map_err(|e| {
            let location = e.location().map(|l| (l.line(), l.column()));
            let mut message = e.to_string();
            if let Some((line, column)) = location {
                // The location is reported separately.
                let suffix = format!(" at line {line} column {column}");
                if message.ends_with(&suffix) {
                    message.truncate(message.len() - suffix.len());
                }
            }
            let (message, location) = explain::explain(text, &message, location);
            error(location, message)
        })?;
        for (i, e) in session.expect.iter().enumerate() {
            let selects = e.command.is_some() || e.step.is_some() || e.hook.is_some();
            let asserts = e.verdict.is_some() || e.reply.is_some() || e.echo.is_some();
            if !selects && (e.context.is_none() && e.message.is_none() || asserts) {
                return Err(error(
                    locate_item(text, "expect", i),
                    "an expectation needs `command`, `step` or `hook` (or only `context` or `message`)"
                        .into(),
                ));
            }
        }
        Ok(session)
    }

    /// The name shown in reports.
    pub fn display_name(&self, path: &Path) -> String {
        self.name.clone().unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
    }
}

/// The line and column of the `index`-th item of the top-level block list `key`.
fn locate_item(text: &str, key: &str, index: usize) -> Option<(usize, usize)> {
    let header = format!("{key}:");
    let start = text.lines().position(|l| l.starts_with(&header))?;
    let mut indent = None;
    text.lines()
        .enumerate()
        .skip(start + 1)
        .take_while(|(_, l)| l.is_empty() || l.starts_with([' ', '-', '#']))
        .filter_map(|(n, l)| {
            let depth = l.len() - l.trim_start().len();
            let item = l.trim_start().starts_with('-') && *indent.get_or_insert(depth) == depth;
            item.then_some((n + 1, depth + 1))
        })
        .nth(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse_rfc3339("2026-01-01T12:00:00Z"), Some(1_767_268_800.0));
        assert_eq!(
            parse_rfc3339("2026-01-01T13:00:00+01:00"),
            Some(1_767_268_800.0)
        );
        assert_eq!(
            parse_rfc3339("2026-01-01T12:00:00.5Z"),
            Some(1_767_268_800.5)
        );
        assert_eq!(parse_rfc3339("2026-13-01T12:00:00Z"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
    }
}
