//! Methods of `MIMEPart`, and of `MailMessage` and `EODMailMessage` (which
//! are the top part of their message).
//!
//! Choices where the reference is silent: the top part's id is `"0"`;
//! `getHeader`/`getHeaders` return values unfolded and trimmed, decoded
//! from RFC 2047 only with `["decode" => true]`; `setHeader`/`addHeader`
//! encode non-ASCII values as RFC 2047 words unless `["encode" => false]`;
//! `setHeader` replaces every field of that name (or the one at `index`) and
//! adds the field at the top when there is none (returning 0); `getType`
//! is none without a valid `Content-Type`; `getBody` decodes the transfer
//! encoding unless `["decode" => false]` and converts the part's charset to
//! UTF-8 with `["charset" => true]`; `getErrors` lists the problems of the
//! part and of the parts below it (prefixed with their id); `reset()`
//! returns 0, the snapshot id of the received message.

use super::header::{self, Field};
use super::tree::{Body, Node, Tree};
use super::{codec, file, object, unsupported, world, Args, Native, PartRef};
use crate::builtins::R;
use crate::interp::{error, Interpreter};
use crate::value::{Array, Object, Value};
use std::rc::Rc;

/// Dispatches a method of a message or part.
pub(super) fn call(
    it: &mut Interpreter,
    this: &Rc<Object>,
    part: &PartRef,
    name: &str,
    a: &Args,
) -> R<Value> {
    let is_message = part.node.is_none();
    if is_message {
        if let Some(v) = message_method(it, this, part, name, a)? {
            return Ok(v);
        }
    }
    let mut message = part.message.borrow_mut();
    let tree = &mut message.tree;
    let id = part.node.unwrap_or(tree.root);
    if tree.node(id).is_none() {
        return error(a.span, "this MIME part is no longer in its message");
    }
    let this_value = Value::Object(this.clone());
    let child = |node: usize| {
        object(
            "MIMEPart",
            Native::Part(PartRef {
                message: part.message.clone(),
                node: Some(node),
            }),
        )
    };
    let node = tree.node(id).expect("checked above");
    Ok(match name {
        "getID" => {
            a.count(0, 0)?;
            Value::str(tree.part_id(id))
        }
        "getSize" => {
            a.count(0, 0)?;
            Value::Number(tree.bytes(id).len() as f64)
        }
        "getFileName" => {
            a.count(0, 0)?;
            file_name(node).map_or(Value::None, Value::str)
        }
        "getType" => {
            a.count(0, 0)?;
            node.content_type().map_or(Value::None, Value::str)
        }
        "getTypeParameter" => {
            a.count(1, 1)?;
            let want = String::from_utf8_lossy(&a.string(0)?).into_owned();
            node.header(b"content-type")
                .and_then(|v| header::param(&v, &want))
                .map_or(Value::None, Value::str)
        }
        "getHeader" => {
            a.count(1, 2)?;
            let name = a.string(0)?;
            let index = index_option(a, 1)?.unwrap_or(0) as usize;
            let decode = a.flag(1, "decode", false)?;
            let found = node.fields.iter().filter(|f| f.is(&name)).nth(index);
            found.map_or(Value::None, |f| Value::str(value(f, decode)))
        }
        "getHeaders" => {
            a.count(1, 2)?;
            let name = a.string(0)?;
            let decode = a.flag(1, "decode", false)?;
            list(
                node.fields
                    .iter()
                    .filter(|f| f.is(&name))
                    .map(|f| Value::str(value(f, decode))),
            )
        }
        "getHeaderNames" => {
            a.count(0, 0)?;
            list(node.fields.iter().map(|f| Value::str(f.name.clone())))
        }
        "setHeader" | "addHeader" => {
            a.count(2, 3)?;
            let (fname, fvalue) = (field_name(a, 0)?, field_value(a, 1)?);
            let mut text = fvalue;
            if a.flag(2, "encode", true)? {
                text = header::encode_words(&text, tree.eol);
            }
            if a.flag(2, "refold", false)? {
                text = header::refold(&text, fname.len() + 2, tree.eol);
            }
            let field = Field::new(&fname, &text, tree.eol);
            let only = index_option(a, 2)?;
            let node = tree.node_mut(id).expect("checked above");
            if name == "addHeader" {
                node.fields.insert(0, field);
                return Ok(Value::None);
            }
            let mut changed = 0;
            for f in node.fields.iter_mut().filter(|f| f.is(&fname)) {
                if only.is_none_or(|i| i == changed) {
                    *f = field.clone();
                }
                changed += 1;
            }
            if only.is_some() {
                Value::Number(f64::from(u8::from(only < Some(changed))))
            } else {
                if changed == 0 {
                    node.fields.insert(0, field);
                }
                Value::Number(f64::from(changed))
            }
        }
        "delHeader" => {
            a.count(1, 2)?;
            let fname = a.string(0)?;
            let only = index_option(a, 1)?;
            let node = tree.node_mut(id).expect("checked above");
            let (mut seen, mut removed) = (0, 0);
            node.fields.retain(|f| {
                if !f.is(&fname) {
                    return true;
                }
                seen += 1;
                let drop = only.is_none_or(|i| i == seen - 1);
                removed += u32::from(drop);
                !drop
            });
            Value::Number(f64::from(removed))
        }
        "renameHeader" => {
            a.count(2, 2)?;
            let (from, to) = (a.string(0)?, field_name(a, 1)?);
            let node = tree.node_mut(id).expect("checked above");
            let mut renamed = 0;
            for f in node.fields.iter_mut().filter(|f| f.is(&from)) {
                let colon = f.raw.iter().position(|&b| b == b':').unwrap_or(0);
                f.raw = [to.as_slice(), &f.raw[colon..]].concat();
                f.name = to.clone();
                renamed += 1;
            }
            Value::Number(f64::from(renamed))
        }
        "remove" => {
            a.count(0, 0)?;
            if node.parent.is_none() {
                return error(a.span, "the top part of a message cannot be removed");
            }
            tree.detach(id);
            Value::None
        }
        "getBody" => {
            a.count(0, 1)?;
            let Body::Leaf(raw) = &node.body else {
                return Ok(Value::None);
            };
            let mut body = if a.flag(0, "decode", true)? {
                decode_body(node.header(b"content-transfer-encoding"), raw)
            } else {
                raw.clone()
            };
            if a.flag(0, "charset", false)? {
                let charset = node
                    .header(b"content-type")
                    .and_then(|v| header::param(&v, "charset"))
                    .unwrap_or_default();
                match codec::to_utf8(&charset, &body) {
                    Some(text) => body = text,
                    None => {
                        return error(
                            a.span,
                            format!("unknown charset `{}`", String::from_utf8_lossy(&charset)),
                        )
                    }
                }
            }
            Value::str(body)
        }
        "setBody" => {
            a.count(1, 2)?;
            let data = a.string(0)?;
            let encode = a.flag(1, "encode", true)?;
            let cte = node
                .header(b"content-transfer-encoding")
                .unwrap_or_default();
            let eol = tree.eol;
            let node = tree.node_mut(id).expect("checked above");
            if matches!(node.body, Body::Multi(_)) {
                return Ok(Value::None);
            }
            // An encoded body is longer than its data: measured, or grown
            // within the memory budget.
            let limits = &it.meter().limits;
            let encoded = match () {
                _ if !encode => data,
                _ if cte.eq_ignore_ascii_case(b"base64") => {
                    limits.string(codec::base64_lines_len(&data, eol) as f64, a.span)?;
                    codec::base64_lines(&data, eol)
                }
                _ if cte.eq_ignore_ascii_case(b"quoted-printable") => {
                    codec::qp_encode_within(&data, eol, &mut |out, n| {
                        limits.string_room(out, n, a.span)
                    })?
                }
                _ => data,
            };
            if node.separator.is_empty() {
                node.separator = eol.to_vec();
            }
            node.body = Body::Leaf(encoded);
            this_value
        }
        "getPreamble" | "getEpilogue" => {
            a.count(0, 0)?;
            match &node.body {
                Body::Multi(m) if name == "getPreamble" => Value::str(m.preamble.clone()),
                Body::Multi(m) => Value::str(m.epilogue.clone()),
                Body::Leaf(_) => Value::None,
            }
        }
        "setPreamble" | "setEpilogue" => {
            a.count(1, 1)?;
            let data = a.string(0)?;
            match &mut tree.node_mut(id).expect("checked above").body {
                Body::Multi(m) if name == "setPreamble" => m.preamble = data,
                Body::Multi(m) => m.epilogue = data,
                Body::Leaf(_) => return Ok(Value::None),
            }
            this_value
        }
        "appendPart" | "prependPart" => {
            a.count(1, 2)?;
            let data = a.mime(0)?.borrow().to_bytes(false);
            let kind = match a.option(1, "type")? {
                None => b"multipart/mixed".to_vec(),
                Some(Value::Str(s)) if s.starts_with(b"multipart/") => s.to_vec(),
                Some(other) => {
                    return error(
                        a.span,
                        format!(
                            "the type option must be a multipart type, not `{}`",
                            String::from_utf8_lossy(&other.to_bytes())
                        ),
                    )
                }
            };
            let data = super::tree::with_eol(&data, tree.eol);
            if matches!(node.body, Body::Leaf(_)) {
                make_multipart(tree, id, &kind, &data);
            }
            let index = if name == "appendPart" { usize::MAX } else { 0 };
            tree.insert_child(id, index, &data);
            this_value
        }
        "replacePart" => {
            a.count(1, 1)?;
            let data = a.mime(0)?.borrow().to_bytes(node.parent.is_none());
            let data = super::tree::with_eol(&data, tree.eol);
            tree.replace(id, &data);
            Value::None
        }
        "findByType" | "findByFileName" => {
            a.count(1, 1)?;
            let pattern = &a.args[0];
            if !matches!(pattern, Value::Str(_) | Value::Regex(_)) {
                return a.wrong(0, "a string or regex");
            }
            let mut found = Vec::new();
            for d in tree.descendants(id) {
                let n = tree.node(d).expect("descendants exist");
                let subject = if name == "findByType" {
                    n.content_type().map(String::into_bytes)
                } else {
                    file_name(n)
                };
                let Some(subject) = subject else { continue };
                let hit = match pattern {
                    Value::Regex(_) => {
                        crate::regex::is_match(&Value::str(subject), pattern, it.meter(), a.span)?
                    }
                    _ if name == "findByType" => subject.eq_ignore_ascii_case(&pattern.to_bytes()),
                    _ => subject == pattern.to_bytes(),
                };
                if hit {
                    found.push(child(d));
                }
            }
            list(found)
        }
        "getByID" => {
            a.count(1, 1)?;
            let want = String::from_utf8_lossy(&a.string(0)?).into_owned();
            if tree.part_id(id) == want {
                this_value
            } else {
                tree.numbered(id)
                    .into_iter()
                    .find(|(_, pid)| *pid == want)
                    .map_or(Value::None, |(d, _)| child(d))
            }
        }
        "getParts" => {
            a.count(0, 0)?;
            list(tree.children(id).into_iter().map(child))
        }
        "getErrors" => {
            a.count(0, 0)?;
            let mut errors: Vec<Value> =
                node.errors.iter().map(|e| Value::str(e.as_str())).collect();
            for (d, pid) in tree.numbered(id) {
                for e in &tree.node(d).expect("descendants exist").errors {
                    errors.push(Value::str(format!("part {pid}: {e}")));
                }
            }
            list(errors)
        }
        "setDateLater" | "signDKIM" | "toFFIValue" => return unsupported(&a.what, a.span),
        _ => return error(a.span, format!("`{}` has no method `{name}`", this.class)),
    })
}

/// Methods only messages have; `None` for the others.
fn message_method(
    it: &mut Interpreter,
    this: &Rc<Object>,
    part: &PartRef,
    name: &str,
    a: &Args,
) -> R<Option<Value>> {
    let this_value = Value::Object(this.clone());
    Ok(Some(match name {
        "toString" | "toFile" => {
            a.count(0, 0)?;
            let m = part.message.borrow();
            let bytes = m.tree.bytes(m.tree.root);
            if name == "toString" {
                Value::str(bytes)
            } else {
                file::new(bytes)
            }
        }
        "snapshot" => {
            a.count(0, 0)?;
            let mut m = part.message.borrow_mut();
            let copy = m.tree.clone();
            m.snapshots.push(copy);
            Value::Number(m.snapshots.len() as f64)
        }
        "restore" => {
            a.count(1, 1)?;
            let n = a.number(0)?;
            let mut m = part.message.borrow_mut();
            let state = match n {
                0.0 => Some(m.original.clone()),
                n if n >= 1.0 && n.fract() == 0.0 => m.snapshots.get(n as usize - 1).cloned(),
                _ => None,
            };
            Value::Bool(state.map(|t| m.tree = t).is_some())
        }
        "reset" => {
            a.count(0, 0)?;
            let mut m = part.message.borrow_mut();
            m.tree = m.original.clone();
            Value::Number(0.0)
        }
        "modifyContent" => {
            a.count(3, 3)?;
            let (start, count, data) = (a.number(0)?, a.number(1)?, a.string(2)?);
            let mut m = part.message.borrow_mut();
            let mut bytes = m.tree.bytes(m.tree.root);
            let valid = start >= 0.0
                && count >= 0.0
                && start.fract() == 0.0
                && count.fract() == 0.0
                && start + count <= bytes.len() as f64;
            if !valid {
                return error(
                    a.span,
                    format!(
                        "{}(): bytes {} to {} are not within the message ({} bytes)",
                        a.what,
                        crate::value::number_text(start),
                        crate::value::number_text(start + count),
                        bytes.len()
                    ),
                );
            }
            let (start, count) = (start as usize, count as usize);
            bytes.splice(start..start + count, data);
            m.tree.reparse(&bytes);
            this_value
        }
        "queue" | "send" if this.class != "MIMEPart" => {
            if name == "queue" {
                queue_args(a)?;
            } else {
                a.count(3, 3)?;
            }
            let host = format!("{}->{name}", this.class);
            world(it, &host, Some(this_value), a.args, a.span)?
        }
        "signDKIM" | "verifyDKIM" => return unsupported(&a.what, a.span),
        _ => return Ok(None),
    }))
}

/// Checks the arguments of `queue(sender, recipient, transportid [, options])`.
pub(super) fn queue_args(a: &Args) -> R<()> {
    a.count(3, 4)?;
    for i in 0..2 {
        if !matches!(a.args[i], Value::Str(_) | Value::Array(_)) {
            return a.wrong(i, "a string or array");
        }
    }
    a.string(2)?;
    a.options(3).map(drop)
}

/// The file name of a part: `filename` of `Content-Disposition`, else
/// `name` of `Content-Type` (RFC 2231 and RFC 2047 decoded).
fn file_name(node: &Node) -> Option<Vec<u8>> {
    let from = |h: &[u8], p| node.header(h).and_then(|v| header::param(&v, p));
    from(b"content-disposition", "filename")
        .or_else(|| from(b"content-type", "name"))
        .map(|f| header::decode_words(&f))
}

fn list(values: impl IntoIterator<Item = Value>) -> Value {
    Value::Array(Rc::new(Array::list(values)))
}

fn value(f: &Field, decode: bool) -> Vec<u8> {
    let v = f.value();
    if decode {
        header::decode_words(&v)
    } else {
        v
    }
}

fn index_option(a: &Args, i: usize) -> R<Option<u32>> {
    match a.option(i, "index")? {
        None => Ok(None),
        Some(Value::Number(n)) if n >= 0.0 && n.fract() == 0.0 && n < 1e9 => Ok(Some(n as u32)),
        Some(other) => error(
            a.span,
            format!(
                "the index option must be a whole number from 0, not {}",
                String::from_utf8_lossy(&other.to_bytes())
            ),
        ),
    }
}

/// A header name argument: printable ASCII without `:`.
pub(super) fn field_name(a: &Args, i: usize) -> R<Vec<u8>> {
    let name = a.string(i)?;
    if name.is_empty() || !name.iter().all(|&b| (33..=126).contains(&b) && b != b':') {
        return error(
            a.span,
            format!(
                "`{}` is not a valid header name",
                String::from_utf8_lossy(&name)
            ),
        );
    }
    Ok(name)
}

/// A header value argument: no line breaks (they would start new fields).
pub(super) fn field_value(a: &Args, i: usize) -> R<Vec<u8>> {
    let v = a.string(i)?;
    if v.iter().any(|&b| b == b'\r' || b == b'\n') {
        return error(a.span, "a header value cannot contain line breaks");
    }
    Ok(v)
}

/// The body decoded from its `Content-Transfer-Encoding`.
fn decode_body(cte: Option<Vec<u8>>, raw: &[u8]) -> Vec<u8> {
    let cte = cte.unwrap_or_default();
    if cte.eq_ignore_ascii_case(b"base64") {
        codec::base64_decode(raw).unwrap_or_else(|partial| partial)
    } else if cte.eq_ignore_ascii_case(b"quoted-printable") {
        codec::qp_decode(raw)
    } else {
        raw.to_vec()
    }
}

/// Turns the single part `id` into a multipart of type `kind` whose first
/// child is the former content (with its `Content-*` fields).
fn make_multipart(tree: &mut Tree, id: usize, kind: &[u8], extra: &[u8]) {
    let eol = tree.eol;
    let is_top = tree.root == id;
    let node = tree.node_mut(id).expect("caller checked");
    let Body::Leaf(body) = std::mem::replace(&mut node.body, Body::Leaf(Vec::new())) else {
        return;
    };
    let (content, other): (Vec<Field>, Vec<Field>) = std::mem::take(&mut node.fields)
        .into_iter()
        .partition(|f| f.name.len() > 8 && f.name[..8].eq_ignore_ascii_case(b"content-"));
    let mut former: Vec<u8> = content.iter().flat_map(|f| f.raw.clone()).collect();
    former.extend_from_slice(eol);
    former.extend_from_slice(&body);
    let boundary = super::builder::boundary(&[&former, extra]);
    node.fields = other;
    if is_top && !node.fields.iter().any(|f| f.is(b"mime-version")) {
        node.fields.push(Field::new(b"MIME-Version", b"1.0", eol));
    }
    let mut ct = kind.to_vec();
    ct.extend_from_slice(b"; ");
    ct.extend_from_slice(&header::format_param("boundary", boundary.as_bytes()));
    node.fields.push(Field::new(b"Content-Type", &ct, eol));
    if node.separator.is_empty() {
        node.separator = eol.to_vec();
    }
    node.body = Body::Multi(super::tree::Multi {
        boundary: boundary.into_bytes(),
        preamble: Vec::new(),
        children: Vec::new(),
        close: Vec::new(),
        epilogue: Vec::new(),
    });
    tree.insert_child(id, 0, &former);
}
