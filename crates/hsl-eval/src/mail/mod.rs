//! The mail classes of the core library — `MailMessage`, `EODMailMessage`,
//! `MIMEPart` (RFC 5322 messages as MIME trees, RFC 2045–2047), the `MIME`
//! builder — and `File` and `Iconv`.
//!
//! Sending and queueing need the world: `$msg->queue(…)` on an
//! `EODMailMessage` calls the embedder's host function
//! `"EODMailMessage->queue"` (likewise `"MailMessage->queue"`,
//! `"MailMessage->send"`, `"MIME->queue"`, `"MIME->send"`) with the message
//! object followed by the script's arguments; without one, the stub registry
//! answers for that name (matched on the script's arguments); otherwise the
//! call throws. `File::read(filename)` is looked up the same way.

mod builder;
mod codec;
mod file;
pub(crate) mod header;
mod iconv;
mod methods;
mod tree;

use crate::builtins::R;
use crate::interp::{error, Interpreter};
use crate::value::{Array, Object, Value};
use hsl_syntax::Span;
use std::cell::RefCell;
use std::rc::Rc;

pub(crate) use tree::Tree;

/// The Rust-side state of an object of a built-in class: this module's
/// classes, and the private keys of the crypto family.
#[derive(Clone, Debug)]
pub enum Native {
    /// A message or one of its parts.
    Part(PartRef),
    /// A `MIME` builder.
    Mime(Rc<RefCell<builder::Mime>>),
    /// A `File`.
    File(Rc<RefCell<file::File>>),
    /// An `Iconv` converter.
    Iconv(Rc<RefCell<iconv::Iconv>>),
    /// An `RSAPrivateKey` or `ED25519PrivateKey`: the key text it was made
    /// from, already checked to parse.
    Key(Rc<[u8]>),
}

/// A part of a message: the message and the part's id (`None`: the top).
#[derive(Clone, Debug)]
pub struct PartRef {
    message: Rc<RefCell<Message>>,
    node: Option<usize>,
}

/// A message with its edit history.
#[derive(Debug)]
pub struct Message {
    tree: Tree,
    original: Tree,
    snapshots: Vec<Tree>,
}

impl Message {
    fn new(raw: &[u8]) -> Message {
        let tree = Tree::parse(raw);
        Message {
            original: tree.clone(),
            tree,
            snapshots: Vec::new(),
        }
    }
}

fn object(class: &str, native: Native) -> Value {
    Value::Object(Rc::new(Object {
        class: class.into(),
        native: Some(native),
        ..Default::default()
    }))
}

/// A message object of class `class` parsed from `raw`.
fn message(class: &str, raw: &[u8]) -> Value {
    object(
        class,
        Native::Part(PartRef {
            message: Rc::new(RefCell::new(Message::new(raw))),
            node: None,
        }),
    )
}

/// The `EODMailMessage` object of the end-of-data hook
/// (`$arguments["mail"]`), parsed from the received message.
pub fn eod_message(raw: &[u8]) -> Value {
    message("EODMailMessage", raw)
}

/// The current text of a message, part or `MIME` object, with every edit
/// the script made; `None` for other values.
pub fn message_bytes(v: &Value) -> Option<Vec<u8>> {
    let Value::Object(o) = v else { return None };
    match o.native.as_ref()? {
        Native::Part(p) => {
            let m = p.message.borrow();
            let id = p.node.unwrap_or(m.tree.root);
            m.tree.node(id)?;
            Some(m.tree.bytes(id))
        }
        Native::Mime(b) => Some(b.borrow().to_bytes(true)),
        _ => None,
    }
}

/// The first header field `name` (case-insensitive) of a message or part,
/// unfolded and trimmed but not decoded; `None` when absent.
pub fn header_value(v: &Value, name: &str) -> Option<Vec<u8>> {
    let Value::Object(o) = v else { return None };
    let Some(Native::Part(p)) = o.native.as_ref() else {
        return None;
    };
    let m = p.message.borrow();
    m.tree
        .node(p.node.unwrap_or(m.tree.root))?
        .header(name.as_bytes())
}

/// The arguments of a method call, with checks that throw clear errors.
struct Args<'a> {
    what: String,
    args: &'a [Value],
    span: Span,
}

impl Args<'_> {
    fn count(&self, min: usize, max: usize) -> R<()> {
        crate::registry::count(&self.what, self.args.len(), min, Some(max), self.span)
    }

    fn wrong<T>(&self, i: usize, expected: &str) -> R<T> {
        error(
            self.span,
            format!(
                "{}() expects {expected} as argument {}, not {}",
                self.what,
                i + 1,
                self.args.get(i).map_or("nothing", Value::type_name)
            ),
        )
    }

    fn string(&self, i: usize) -> R<Vec<u8>> {
        match self.args.get(i) {
            Some(Value::Str(s)) => Ok(s.to_vec()),
            _ => self.wrong(i, "a string"),
        }
    }

    fn number(&self, i: usize) -> R<f64> {
        match self.args.get(i) {
            Some(Value::Number(n)) => Ok(*n),
            _ => self.wrong(i, "a number"),
        }
    }

    /// The options array at `i` (absent or `none`: no options).
    fn options(&self, i: usize) -> R<Option<Rc<Array>>> {
        match self.args.get(i) {
            None | Some(Value::None) => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a.clone())),
            _ => self.wrong(i, "an options array"),
        }
    }

    /// Option `key` of the options array at `i`.
    fn option(&self, i: usize, key: &str) -> R<Option<Value>> {
        Ok(self
            .options(i)?
            .and_then(|a| a.map.get(&Value::str(key).to_key()).cloned()))
    }

    /// Boolean option `key` of the options at `i`, `default` when absent.
    fn flag(&self, i: usize, key: &str, default: bool) -> R<bool> {
        Ok(self.option(i, key)?.map_or(default, |v| v.truthy()))
    }

    /// The `MIME` object at `i`.
    fn mime(&self, i: usize) -> R<Rc<RefCell<builder::Mime>>> {
        match self.args.get(i) {
            Some(Value::Object(o)) => match &o.native {
                Some(Native::Mime(m)) => Ok(m.clone()),
                _ => self.wrong(i, "a MIME object"),
            },
            _ => self.wrong(i, "a MIME object"),
        }
    }
}

/// Passes a call that needs the world to the embedder's host function
/// `name` (the object first, then the arguments), else to the stub
/// registry, else throws.
fn world(
    it: &mut Interpreter,
    name: &str,
    this: Option<Value>,
    args: &[Value],
    span: Span,
) -> R<Value> {
    let host_args: Vec<Value> = this.into_iter().chain(args.iter().cloned()).collect();
    if let Some(result) = it.call_host(name, host_args, span) {
        return result;
    }
    if let Some(v) = it.stubbed(name, args) {
        return Ok(v);
    }
    error(
        span,
        format!(
            "`{name}` needs the world: give its result in a stub file \
             (- {{ function: \"{name}\", returns: ... }}) or define a host function of that name"
        ),
    )
}

fn unsupported<T>(what: &str, span: Span) -> R<T> {
    error(
        span,
        format!("{what}() is not supported by the interpreter"),
    )
}

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &[
        "MailMessage",
        "EODMailMessage",
        "MIMEPart",
        "MIME",
        "Iconv",
        "File",
    ],
    call: construct,
};

/// Constructors (`MailMessage()`, `MIME()`, `Iconv(from, to)`…); `None`
/// for names of other families.
pub(crate) fn construct(
    _it: &mut Interpreter,
    name: &str,
    args: &[Value],
    span: Span,
) -> Option<R<Value>> {
    let a = Args {
        what: name.to_string(),
        args,
        span,
    };
    Some(match name {
        "MailMessage" | "EODMailMessage" | "MIMEPart" => {
            Ok(message(name, b""))
        }
        "MIME" => Ok(object("MIME", Native::Mime(Default::default()))),
        "Iconv" => iconv::construct(&a),
        "File" => error(
            span,
            "File() needs a file resource, which the interpreter has none of; use File::String(data)",
        ),
        _ => return None,
    })
}

/// Static calls `Class::name(…)` of this module's classes; `None` for other
/// classes.
pub(crate) fn static_call(
    it: &mut Interpreter,
    class: &str,
    name: &str,
    args: &[Value],
    span: Span,
) -> Option<R<Value>> {
    let a = Args {
        what: format!("{class}::{name}"),
        args,
        span,
    };
    Some(match (class, name) {
        ("MailMessage", "String") => a
            .count(1, 1)
            .and_then(|()| a.string(0))
            .map(|raw| message("MailMessage", &raw)),
        ("MailMessage", "File") => a.count(1, 1).and_then(|()| match args[0] {
            Value::Object(ref o) => match &o.native {
                Some(Native::File(f)) => Ok(message("MailMessage", &f.borrow_mut().rest())),
                _ => a.wrong(0, "a File object"),
            },
            _ => a.wrong(0, "a File object"),
        }),
        ("File", "String") => a.count(1, 1).and_then(|()| a.string(0)).map(file::new),
        ("File", "read") => a
            .count(1, 1)
            .and_then(|()| a.string(0))
            .and_then(|_| world(it, "File::read", None, args, span)),
        _ => return None,
    })
}

/// Calls method `name` of an object of this module's classes.
pub(crate) fn method(
    it: &mut Interpreter,
    this: &Rc<Object>,
    name: &str,
    args: &[Value],
    span: Span,
) -> R<Value> {
    let a = Args {
        what: format!("{}->{name}", this.class),
        args,
        span,
    };
    match this.native.as_ref() {
        Some(Native::Part(p)) => methods::call(it, this, p, name, &a),
        Some(Native::Mime(m)) => builder::call(it, this, m, name, &a),
        Some(Native::File(f)) => file::call(&mut f.borrow_mut(), name, &a),
        Some(Native::Iconv(c)) => iconv::call(&mut c.borrow_mut(), name, &a),
        Some(Native::Key(_)) | None => {
            error(span, format!("`{}` has no method `{name}`", this.class))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &[u8] =
        b"Subject: =?utf-8?q?caf=C3=A9?=\r\nTo: a@example.org,\r\n b@example.org\r\n\r\nHi\r\n";

    #[test]
    fn eod_message_exposes_its_bytes_and_headers() {
        let m = eod_message(RAW);
        let Value::Object(o) = &m else { panic!() };
        assert_eq!(o.class, "EODMailMessage");
        assert_eq!(message_bytes(&m).unwrap(), RAW);
        assert_eq!(
            header_value(&m, "to").unwrap(),
            b"a@example.org, b@example.org"
        );
        assert_eq!(
            header_value(&m, "SUBJECT").unwrap(),
            b"=?utf-8?q?caf=C3=A9?="
        );
        assert_eq!(header_value(&m, "cc"), None);
        assert_eq!(message_bytes(&Value::str("x")), None);
        assert_eq!(header_value(&Value::None, "to"), None);
    }

    /// Runs `source` with `$mail` predefined and `host` registered under
    /// `name`; returns the echo output and the script's result.
    fn run_eod(
        source: &str,
        mail: &Value,
        stubs: &str,
        host: Option<(&str, crate::HostFn<'_>)>,
    ) -> (String, Result<(), crate::Signal>) {
        let program = hsl_syntax::parse(source).program;
        let mut out = Vec::new();
        let mut echo = |b: &[u8]| out.extend_from_slice(b);
        let mut it = Interpreter::new(Default::default(), &mut echo);
        it.define_variable("mail", mail.clone(), true);
        it.set_stubs(crate::stubs::Stubs::parse(stubs).unwrap());
        if let Some((name, f)) = host {
            it.define_function(name, f);
        }
        let result = it.run(&program);
        drop(it);
        (String::from_utf8(out).unwrap(), result)
    }

    #[test]
    fn script_edits_are_seen_by_the_embedder() {
        let mail = eod_message(RAW);
        let src =
            "$mail->setHeader(\"Subject\", \"tagged\");\n$mail->addHeader(\"X-Spam\", \"yes\");";
        let (_, result) = run_eod(src, &mail, "[]", None);
        assert!(result.is_ok());
        let text = message_bytes(&mail).unwrap();
        assert!(text.starts_with(b"X-Spam: yes\r\nSubject: tagged\r\nTo: a@example.org,\r\n b@"));
        assert!(text.ends_with(b"\r\n\r\nHi\r\n"));
        assert_eq!(header_value(&mail, "subject").unwrap(), b"tagged");
    }

    #[test]
    fn queue_goes_to_the_host_function_then_to_stubs() {
        let mail = eod_message(RAW);
        let seen = Rc::new(RefCell::new(Vec::new()));
        let log = seen.clone();
        let host: crate::HostFn = Box::new(move |args, _| {
            log.borrow_mut()
                .push((message_bytes(&args[0]), args[1..].to_vec()));
            Ok(Value::str("queued-1"))
        });
        let src = "$mail->setHeader(\"Subject\", \"x\");\necho $mail->queue(\"a@example.org\", \"b@example.org\", \"mx\");";
        let (out, result) = run_eod(src, &mail, "[]", Some(("EODMailMessage->queue", host)));
        assert!(result.is_ok());
        assert_eq!(out, "queued-1\n");
        let seen = seen.borrow();
        assert_eq!(seen.len(), 1);
        assert!(seen[0].0.as_ref().unwrap().starts_with(b"Subject: x\r\n"));
        assert_eq!(seen[0].1.len(), 3);
        assert_eq!(seen[0].1[2].to_bytes(), b"mx");

        let stubs = "- { function: \"EODMailMessage->queue\", args: [\"a@example.org\", \"b@example.org\", \"mx\"], returns: { id: \"q1\" } }";
        let src = "echo $mail->queue(\"a@example.org\", \"b@example.org\", \"mx\")[\"id\"];";
        let (out, result) = run_eod(src, &mail, stubs, None);
        assert!(result.is_ok());
        assert_eq!(out, "q1\n");
        let src = "echo File::read(\"/x\");";
        let stubs = "- { function: \"File::read\", returns: \"content\" }";
        assert_eq!(run_eod(src, &mail, stubs, None).0, "content\n");
    }
}
