//! Halon 4.x/5.x-style hook variables (`$senderip`, `$senderhelo`,
//! `$saslusername`…) for sessions with `halon: 4` or `5`, and the 4.x connect
//! hook's `SetSenderIP()`. Which names a hook has comes from the catalog;
//! their values are read from the 6.x variables of the same run.

use crate::hooks::HookInput;
use crate::values;
use hsl_catalog::{Catalog, Hook};
use hsl_eval::value::Value;
use hsl_eval::Interpreter;
use std::cell::RefCell;
use std::rc::Rc;

/// Where an old variable's value lives in the 6.x variables: the first of
/// these `(variable, key path)` that exists.
fn source(name: &str) -> &'static [(&'static str, &'static [&'static str])] {
    match name {
        "messageid" => &[("transaction", &["id"])],
        "senderip" => &[("arguments", &["remoteip"]), ("connection", &["remoteip"])],
        "senderport" => &[
            ("arguments", &["remoteport"]),
            ("connection", &["remoteport"]),
        ],
        "serverip" => &[("arguments", &["localip"]), ("connection", &["localip"])],
        "serverport" => &[
            ("arguments", &["localport"]),
            ("connection", &["localport"]),
        ],
        "serverid" => &[("arguments", &["serverid"]), ("connection", &["serverid"])],
        "senderhelo" => &[("connection", &["helo", "host"]), ("arguments", &["host"])],
        "senderhelotype" => &[("connection", &["helo", "verb"]), ("arguments", &["verb"])],
        "saslusername" => &[
            ("connection", &["auth", "username"]),
            ("arguments", &["username"]),
        ],
        "saslpassword" => &[("arguments", &["password"])],
        "saslmechanism" => &[("arguments", &["mechanism"])],
        "saslstate" => &[("arguments", &["state"])],
        "saslresponse" => &[("arguments", &["response"])],
        "sender" => &[("arguments", &["sender"]), ("transaction", &["sender"])],
        "senderlocalpart" => &[
            ("arguments", &["address", "localpart"]),
            ("transaction", &["senderaddress", "localpart"]),
        ],
        "senderdomain" => &[
            ("arguments", &["address", "domain"]),
            ("transaction", &["senderaddress", "domain"]),
        ],
        "senderparams" => &[
            ("arguments", &["params"]),
            ("transaction", &["senderparams"]),
        ],
        "recipient" => &[("arguments", &["recipient"])],
        "recipientlocalpart" => &[("arguments", &["address", "localpart"])],
        "recipientdomain" => &[("arguments", &["address", "domain"])],
        "transportid" => &[("arguments", &["transportid"])],
        _ => &[],
    }
}

fn value_of(input: &HookInput, name: &str) -> Option<Value> {
    match name {
        "tlsstarted" => return Some(Value::Bool(values::get(&input.connection, "tls").is_some())),
        "saslauthed" => {
            return Some(Value::Bool(
                values::get(&input.connection, "auth").is_some(),
            ))
        }
        _ => {}
    }
    source(name).iter().find_map(|(var, path)| {
        let root = match *var {
            "arguments" => &input.arguments,
            "connection" => &input.connection,
            _ => &input.transaction,
        };
        path.iter()
            .try_fold(root, |v, key| values::get(v, key))
            .cloned()
    })
}

/// Predefines the hook's older variables and `SetSenderIP()`, which changes
/// `$senderip` for the rest of the script and records the new address in
/// `sender_ip` for the rest of the connection.
pub fn define<'p>(
    it: &mut Interpreter<'p>,
    hook: Hook,
    catalog: &Catalog,
    input: &HookInput,
    sender_ip: &'p RefCell<Option<String>>,
) {
    let data = catalog.hook(hook);
    // `$senderip` is shared with `SetSenderIP()`, which changes it at once.
    let senderip = Rc::new(RefCell::new(Value::None));
    for v in &data.variables {
        let name = v.name.trim_start_matches('$');
        if matches!(name, "arguments" | "connection" | "transaction" | "context") {
            continue;
        }
        if let Some(value) = value_of(input, name) {
            if name == "senderip" {
                *senderip.borrow_mut() = value;
                it.define_shared_variable(name, senderip.clone(), v.readonly);
            } else {
                it.define_variable(name, value, v.readonly);
            }
        }
    }
    if data.functions.iter().any(|f| f.name == "SetSenderIP") {
        it.define_function(
            "SetSenderIP",
            Box::new(move |args, _| {
                let ip = args.first().map(values::string).unwrap_or_default();
                if ip.parse::<std::net::IpAddr>().is_err() {
                    return Ok(Value::None);
                }
                *sender_ip.borrow_mut() = Some(ip.clone());
                *senderip.borrow_mut() = values::text(&ip);
                Ok(values::text(&ip))
            }),
        );
    }
}
