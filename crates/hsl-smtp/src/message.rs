//! The eod hook's message: `$arguments["mail"]` and its `queue()` method.

use crate::command::Address;
use crate::values::{self, map, number, text};
use hsl_eval::value::Value;
use hsl_eval::HostFn;
use serde::Serialize;
use std::cell::RefCell;

/// The `EODMailMessage` object for the received `data` (CRLF line ends).
pub fn value(data: &[u8]) -> Value {
    hsl_eval::mail::eod_message(data)
}

/// A copy of the message the eod script queued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Queued {
    /// Envelope sender.
    pub sender: String,
    /// Envelope recipient.
    pub recipient: String,
    /// Transport id.
    pub transportid: String,
}

/// An address argument as text.
fn address(v: Option<&Value>) -> String {
    v.map(|v| Address::from_value(v).text()).unwrap_or_default()
}

/// `EODMailMessage->queue(sender, recipient, transportid [, options])`:
/// records the copy in `queued` and returns its ids.
pub fn queue<'p>(queued: &'p RefCell<Vec<Queued>>, transaction: String) -> HostFn<'p> {
    Box::new(move |args, _| {
        // args[0] is the message object itself.
        let copy = Queued {
            sender: address(args.get(1)),
            recipient: address(args.get(2)),
            transportid: args.get(3).map(values::string).unwrap_or_default(),
        };
        let mut list = queued.borrow_mut();
        list.push(copy);
        Ok(map([(
            "id",
            map([
                ("transaction", text(&transaction)),
                ("queue", number(list.len() as f64 - 1.0)),
            ]),
        )]))
    })
}
