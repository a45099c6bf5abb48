//! Results for functions that need the world (DNS, HTTP, sockets, files…):
//! a fixture lists, per function and optionally per argument list, what the
//! call returns. Nothing ever reaches the network.
//!
//! ```yaml
//! - { function: dns_query, args: ["example.org", { type: mx }], returns: { result: ["mx.example.org"] } }
//! - { function: http, returns: '{"ok": true}' }       # any arguments
//! ```

use crate::json;
use crate::value::{strict_eq, Value};
use serde::Deserialize;

/// Core functions and classes that need the world (DNS, HTTP, sockets, the
/// queue, metrics): a call is answered by an embedder's host function or a
/// stub, never computed.
pub const WORLD: &[&str] = &[
    "dns_query",
    "http",
    "spf_query",
    "smtp_lookup_rcpt",
    "smtp_lookup_auth",
    "server_concurrency",
    "queue_suspend",
    "queue_policy",
    "queue_policy_delete",
    "queue_quota",
    "metrics_increment",
    "metrics_decrement",
    "metrics_set",
    "metrics_get",
    "Socket",
    "TLSSocket",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    function: String,
    #[serde(default)]
    args: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    returns: serde_json::Value,
}

/// One stubbed result.
#[derive(Debug, Clone)]
pub struct Stub {
    /// Function name.
    pub function: String,
    /// Arguments to match (`None`: any).
    pub args: Option<Vec<Value>>,
    /// What the call returns.
    pub returns: Value,
}

/// The stub registry.
#[derive(Debug, Clone, Default)]
pub struct Stubs {
    entries: Vec<Stub>,
}

impl Stubs {
    /// Reads a YAML or JSON list of `{function, args?, returns}`.
    pub fn parse(text: &str) -> Result<Stubs, String> {
        let entries: Vec<Entry> = serde_norway::from_str(text).map_err(|e| match e.location() {
            Some(l) => format!("line {}, column {}: {e}", l.line(), l.column()),
            None => e.to_string(),
        })?;
        Ok(Stubs {
            entries: entries
                .into_iter()
                .map(|e| Stub {
                    function: e.function,
                    args: e.args.map(|a| a.iter().map(json::from_json).collect()),
                    returns: json::from_json(&e.returns),
                })
                .collect(),
        })
    }

    /// Adds a stub.
    pub fn push(&mut self, stub: Stub) {
        self.entries.push(stub);
    }

    /// The result stubbed for this call, preferring entries whose arguments match.
    pub fn lookup(&self, function: &str, args: &[Value]) -> Option<Value> {
        let candidates = self.entries.iter().filter(|s| s.function == function);
        let mut fallback = None;
        for s in candidates {
            match &s.args {
                Some(expected)
                    if expected.len() == args.len()
                        && expected.iter().zip(args).all(|(a, b)| strict_eq(a, b)) =>
                {
                    return Some(s.returns.clone())
                }
                None if fallback.is_none() => fallback = Some(s.returns.clone()),
                _ => {}
            }
        }
        fallback
    }
}
