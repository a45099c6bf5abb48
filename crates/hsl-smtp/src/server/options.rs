//! Which verdict options the server acts on, and a visible note for every
//! other option a script gives, so that none is silently ignored.

use hsl_catalog::{Function, Hook};
use hsl_eval::value::{Key, Value};

/// Options every verdict with a reply honours.
const REPLY: [&str; 3] = ["reason", "reply_codes", "disconnect"];

/// The options of one hook's verdicts that the server acts on, beyond [`REPLY`].
fn honoured(hook: Hook) -> &'static [&'static str] {
    match hook {
        Hook::Connect => &["remoteip", "remoteptr"],
        Hook::Proxy => &["command", "next"],
        Hook::Helo => &["extensions", "host"],
        Hook::Auth => &["username"],
        Hook::MailFrom => &["sender"],
        Hook::RcptTo => &["recipient", "transportid"],
        _ => &[],
    }
}

/// A note per option of `options` that the simulator does not act on:
/// documented ones it cannot honour, and ones the documentation does not name.
pub fn notes(
    hook: Hook,
    verdict: &str,
    function: Option<&Function>,
    options: &Value,
) -> Vec<String> {
    let Value::Array(a) = options else {
        return Vec::new();
    };
    a.map
        .keys()
        .map(|k| match k {
            Key::Int(i) => i.to_string(),
            Key::Str(s) => String::from_utf8_lossy(s).into_owned(),
        })
        .filter(|k| !REPLY.contains(&k.as_str()) && !honoured(hook).contains(&k.as_str()))
        .map(|k| {
            if function.is_some_and(|f| f.options_open || f.options.iter().any(|o| o.name == k)) {
                format!("option `{k}` of {verdict}() is not simulated (Halon would act on it)")
            } else {
                format!("option `{k}` is not a documented option of {verdict}() in the {hook} hook; ignored")
            }
        })
        .collect()
}
