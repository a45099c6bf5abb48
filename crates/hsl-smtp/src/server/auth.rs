//! AUTH: PLAIN and LOGIN decoded by the server, other mechanisms driven
//! step by step by the auth hook's `Reply()`.

use super::{bad_sequence, Exchange, Phase, Policy, Server, Wait};
use crate::hooks::Decision;
use crate::reply::Reply;
use crate::values::{self, map, number, text};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hsl_catalog::Hook;

/// The password a masked AUTH line carries instead of the real one.
pub const MASK: &str = "********";

impl<P: Policy> Server<P> {
    pub(super) fn auth(&mut self, mechanism: String, initial: Option<String>) {
        if self.helo.is_none() {
            return self.send(bad_sequence("Send EHLO first"));
        }
        if !self.policy.has(Hook::Auth) {
            return self.send(Reply::new(502, Some([5, 5, 1]), "Command not implemented"));
        }
        if self.auth.is_some() {
            return self.send(bad_sequence("Already authenticated"));
        }
        if self.txn.sender.is_some() {
            return self.send(bad_sequence("Not permitted during a mail transaction"));
        }
        if !self
            .cfg
            .auth
            .iter()
            .any(|m| m.eq_ignore_ascii_case(&mechanism))
        {
            return self.send(Reply::new(
                504,
                Some([5, 5, 4]),
                "Unrecognized authentication type",
            ));
        }
        let wait = match mechanism.as_str() {
            "PLAIN" => Wait::Plain,
            "LOGIN" => Wait::LoginUser,
            _ => return self.auth_hook(mechanism, 0, initial),
        };
        self.phase = Phase::Auth(Exchange { mechanism, wait });
        match initial {
            Some(response) => self.auth_response(&response),
            None => self.challenge(),
        }
    }

    /// `line` with the password it carries replaced by [`MASK`], when the
    /// server would read one from it: `AUTH PLAIN` with an initial response,
    /// the PLAIN response, or the LOGIN password. Lines that are not valid
    /// credentials are left as they are (the server refuses them anyway).
    pub fn masked(&self, line: &[u8]) -> Option<String> {
        let line = String::from_utf8_lossy(line);
        let plain = |response: &str| {
            let decoded = BASE64.decode(response.trim()).ok()?;
            let mut parts = decoded.split(|&b| b == 0);
            let (Some(authzid), Some(user), Some(_), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return None;
            };
            Some(BASE64.encode([authzid, user, MASK.as_bytes()].join(&0)))
        };
        match &self.phase {
            Phase::Auth(Exchange {
                wait: Wait::Plain, ..
            }) => plain(&line),
            Phase::Auth(Exchange {
                wait: Wait::LoginPassword(_),
                ..
            }) => (line.trim() != "*").then(|| BASE64.encode(MASK)),
            Phase::Open => {
                let mut words = line.split_whitespace();
                let verb = words.next()?;
                let mechanism = words.next()?;
                if !verb.eq_ignore_ascii_case("AUTH") || !mechanism.eq_ignore_ascii_case("PLAIN") {
                    return None;
                }
                let initial = words.next().filter(|w| *w != "=")?;
                Some(format!("{verb} {mechanism} {}", plain(initial)?))
            }
            _ => None,
        }
    }

    /// The 334 prompt for the step the exchange waits for.
    fn challenge(&mut self) {
        let prompt = match &self.phase {
            Phase::Auth(Exchange {
                wait: Wait::LoginUser,
                ..
            }) => "VXNlcm5hbWU6",
            Phase::Auth(Exchange {
                wait: Wait::LoginPassword(_),
                ..
            }) => "UGFzc3dvcmQ6",
            _ => "",
        };
        self.send(Reply::new(334, None, prompt));
    }

    pub(super) fn auth_response(&mut self, line: &str) {
        let Phase::Auth(exchange) = std::mem::replace(&mut self.phase, Phase::Open) else {
            return;
        };
        if line.trim() == "*" {
            return self.send(Reply::new(501, Some([5, 7, 0]), "Authentication aborted"));
        }
        let mechanism = exchange.mechanism;
        if let Wait::Hook(state) = exchange.wait {
            return self.auth_hook(mechanism, state, Some(line.trim().to_string()));
        }
        let decoded = match line.trim() {
            "=" => Ok(Vec::new()),
            t => BASE64.decode(t),
        };
        let Ok(decoded) = decoded else {
            return self.send(Reply::new(501, Some([5, 5, 2]), "Invalid base64 data"));
        };
        let decoded = String::from_utf8_lossy(&decoded).into_owned();
        match exchange.wait {
            Wait::Plain => {
                let mut parts = decoded.split('\0');
                let (Some(_authzid), Some(user), Some(pass), None) =
                    (parts.next(), parts.next(), parts.next(), parts.next())
                else {
                    return self.send(Reply::new(
                        501,
                        Some([5, 5, 2]),
                        "Invalid PLAIN credentials",
                    ));
                };
                self.auth_credentials(mechanism, user.to_string(), pass.to_string());
            }
            Wait::LoginUser => {
                self.phase = Phase::Auth(Exchange {
                    mechanism,
                    wait: Wait::LoginPassword(decoded),
                });
                self.challenge();
            }
            Wait::LoginPassword(user) => self.auth_credentials(mechanism, user, decoded),
            Wait::Hook(_) => unreachable!("handled above"),
        }
    }

    fn auth_credentials(&mut self, mechanism: String, username: String, password: String) {
        let args = map([
            ("mechanism", text(&mechanism)),
            ("username", text(&username)),
            ("password", text(&password)),
        ]);
        let d = self.run_hook(Hook::Auth, args);
        self.auth_verdict(d, mechanism, Some(username), 0);
    }

    fn auth_hook(&mut self, mechanism: String, state: u32, response: Option<String>) {
        let mut args = vec![("mechanism", text(&mechanism)), ("state", number(state))];
        if let Some(r) = &response {
            args.push(("response", text(r)));
        }
        let d = self.run_hook(Hook::Auth, map(args));
        self.auth_verdict(d, mechanism, None, state);
    }

    fn auth_verdict(
        &mut self,
        d: Option<Decision>,
        mechanism: String,
        username: Option<String>,
        state: u32,
    ) {
        let Some(mut d) = d else {
            return self.send(Reply::new(535, Some([5, 7, 8]), "Authentication failed"));
        };
        if d.verdict() == "Reply" {
            // The challenge goes to the client base64-encoded (RFC 4954).
            let challenge = d.reason.take().unwrap_or_default().join("\n");
            d.reason = Some(vec![BASE64.encode(challenge)]);
        }
        let (fallback, text) = match d.verdict() {
            "Accept" => ((235, Some([2, 7, 0])), "Authentication successful"),
            "Reply" => ((334, None), ""),
            _ => ((535, Some([5, 7, 8])), ""),
        };
        self.answer(Some(&d), fallback, text);
        // The reply decides: 2xx authenticates, 3xx asks for the next response.
        let code = self.last_reply.as_ref().map_or(535, |r| r.code);
        match code {
            200..=299 => {
                let username = d.option("username").map(values::string).or(username);
                self.auth = Some((mechanism, username));
                self.connection_cache = None;
            }
            300..=399 if !self.is_closed() => {
                self.phase = Phase::Auth(Exchange {
                    mechanism,
                    wait: Wait::Hook(state.saturating_add(1)),
                });
            }
            _ => {}
        }
    }
}
