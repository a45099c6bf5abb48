//! The `$connection` and `$transaction` variables a hook sees.

use super::{params_value, Policy, Recipient, Server};
use crate::values::{address, map, number, text};
use hsl_catalog::Hook;
use hsl_eval::value::Value;

impl<P: Policy> Server<P> {
    pub(super) fn connection(&self, hook: Hook) -> Value {
        let mut c = vec![("id", text(&self.conn_id))];
        if hook == Hook::Connect {
            return map(c);
        }
        c.extend([
            ("remoteip", text(&self.remote_ip)),
            ("remoteport", number(self.cfg.remote.1)),
        ]);
        if let Some(ptr) = &self.remote_ptr {
            c.push(("remoteptr", text(ptr)));
        }
        c.extend([
            ("localip", text(&self.cfg.local.0)),
            ("localport", number(self.cfg.local.1)),
            ("serverid", text(&self.cfg.server_id)),
        ]);
        if let (Some((verb, host)), false) = (&self.helo, hook == Hook::Helo) {
            c.push(("helo", map([("verb", text(verb)), ("host", text(host))])));
        }
        if let Some(tls) = &self.tls {
            let mut t = vec![
                ("protocol", text(&tls.protocol)),
                ("cipher", text(&tls.cipher)),
                ("keysize", number(tls.keysize)),
            ];
            if let Some(sni) = &tls.sni {
                t.push(("sni", text(sni)));
            }
            c.push(("tls", map(t)));
        }
        if let (Some((mechanism, username)), false) = (&self.auth, hook == Hook::Auth) {
            let mut a = vec![("mechanism", text(mechanism))];
            if let Some(u) = username {
                a.push(("username", text(u)));
            }
            c.push(("auth", map(a)));
        }
        map(c)
    }

    pub(super) fn transaction(&self, hook: Hook) -> Value {
        match hook {
            Hook::Disconnect => return map([]),
            Hook::Proxy | Hook::RcptTo | Hook::Eod => {}
            _ => return map([("id", text(&self.txn.id))]),
        }
        let mut t = vec![("id", text(&self.txn.id))];
        if hook == Hook::Eod {
            t.push(("ts", number(self.cfg.clock)));
        }
        if let Some(s) = &self.txn.sender {
            t.extend([
                ("sender", text(&s.text)),
                (
                    "senderaddress",
                    address(&s.address.localpart, &s.address.domain),
                ),
                ("senderparams", params_value(&s.params)),
            ]);
        }
        t.push(("recipients", Value::Array(self.txn.recipients.clone())));
        map(t)
    }
}

impl Recipient {
    /// The recipient's entry in `$transaction["recipients"]`.
    pub(super) fn value(&self) -> Value {
        map([
            ("recipient", text(&self.text)),
            (
                "address",
                address(&self.address.localpart, &self.address.domain),
            ),
            ("params", params_value(&self.params)),
            ("transportid", text(&self.transport)),
        ])
    }
}
