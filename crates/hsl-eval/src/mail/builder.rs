//! The `MIME` builder: headers, a body, a type, a file name and a
//! disposition, and child parts; `toString()` writes it with CRLF line ends.
//!
//! The body is written as is when it is 7-bit text with short lines, else
//! quoted-printable for text types and base64 for others. Without
//! `setBoundary`, a multipart's boundary is derived from a digest of its
//! parts, so the same parts always give the same text.

use super::header::{self, Field};
use super::methods::{field_name, field_value, queue_args};
use super::{codec, file, unsupported, world, Args};
use crate::builtins::R;
use crate::interp::{error, Interpreter};
use crate::value::{Object, Value};
use md5::Digest;
use std::cell::RefCell;
use std::rc::Rc;

/// How deep `MIME` parts may nest.
const MAX_DEPTH: usize = 32;
const EOL: &[u8] = b"\r\n";

/// A part under construction.
#[derive(Clone, Debug, Default)]
pub struct Mime {
    fields: Vec<Field>,
    body: Vec<u8>,
    kind: Option<Vec<u8>>,
    boundary: Option<Vec<u8>>,
    file_name: Option<Vec<u8>>,
    disposition: Option<Vec<u8>>,
    parts: Vec<Mime>,
}

/// A boundary derived from the content it separates.
pub fn boundary(content: &[&[u8]]) -> String {
    let mut digest = md5::Md5::new();
    for c in content {
        digest.update(c);
    }
    let hex: String = digest
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("=_{}", &hex[..24])
}

impl Mime {
    fn depth(&self) -> usize {
        1 + self.parts.iter().map(Mime::depth).max().unwrap_or(0)
    }

    /// The text of the part; `top` adds `MIME-Version`.
    pub fn to_bytes(&self, top: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for f in &self.fields {
            out.extend_from_slice(&f.raw);
        }
        if top {
            out.extend_from_slice(b"MIME-Version: 1.0\r\n");
        }
        let mut body = Vec::new();
        let mut content_type = if self.parts.is_empty() {
            self.kind.clone().unwrap_or_else(|| b"text/plain".to_vec())
        } else {
            self.kind
                .clone()
                .filter(|k| k.starts_with(b"multipart/"))
                .unwrap_or_else(|| b"multipart/mixed".to_vec())
        };
        let mut encoding: &[u8] = b"";
        if self.parts.is_empty() {
            let text = content_type.starts_with(b"text/");
            let plain = self.body.iter().all(|&b| b.is_ascii() && b != 0)
                && self.body.split(|&b| b == b'\n').all(|l| l.len() <= 998);
            if plain {
                body = super::tree::with_eol(&self.body, EOL);
            } else if text {
                encoding = b"quoted-printable";
                body = codec::qp_encode(&self.body, EOL);
            } else {
                encoding = b"base64";
                body = codec::base64_lines(&self.body, EOL);
            }
            if text && !self.body.is_ascii() && std::str::from_utf8(&self.body).is_ok() {
                content_type.extend_from_slice(b"; charset=\"utf-8\"");
            }
        } else {
            let parts: Vec<Vec<u8>> = self.parts.iter().map(|p| p.to_bytes(false)).collect();
            let chosen = match &self.boundary {
                Some(b) => b.clone(),
                None => boundary(&parts.iter().map(Vec::as_slice).collect::<Vec<_>>()).into_bytes(),
            };
            if !self.body.is_empty() {
                body.extend_from_slice(&super::tree::with_eol(&self.body, EOL));
                body.extend_from_slice(EOL);
            }
            for p in &parts {
                body.extend_from_slice(&[b"--", chosen.as_slice(), EOL].concat());
                body.extend_from_slice(p);
                body.extend_from_slice(EOL);
            }
            body.extend_from_slice(&[b"--", chosen.as_slice(), b"--", EOL].concat());
            content_type.extend_from_slice(b"; ");
            content_type.extend_from_slice(&header::format_param("boundary", &chosen));
        }
        out.extend_from_slice(&Field::new(b"Content-Type", &content_type, EOL).raw);
        if !encoding.is_empty() {
            out.extend_from_slice(&Field::new(b"Content-Transfer-Encoding", encoding, EOL).raw);
        }
        if self.disposition.is_some() || self.file_name.is_some() {
            let mut v = self
                .disposition
                .clone()
                .unwrap_or_else(|| b"attachment".to_vec());
            if let Some(name) = &self.file_name {
                v.extend_from_slice(b"; ");
                v.extend_from_slice(&header::format_param("filename", name));
            }
            out.extend_from_slice(&Field::new(b"Content-Disposition", &v, EOL).raw);
        }
        out.extend_from_slice(EOL);
        out.extend_from_slice(&body);
        out
    }
}

/// A token argument (type, disposition): printable ASCII without blanks,
/// quotes or semicolons.
fn token(a: &Args, i: usize, what: &str) -> R<Vec<u8>> {
    let v = a.string(i)?;
    let ok = !v.is_empty()
        && v.iter()
            .all(|&b| (33..=126).contains(&b) && !b"\";\\".contains(&b));
    if !ok {
        return error(
            a.span,
            format!("`{}` is not a valid {what}", String::from_utf8_lossy(&v)),
        );
    }
    Ok(v)
}

/// Dispatches a method of a `MIME` object.
pub(super) fn call(
    it: &mut Interpreter,
    this: &Rc<Object>,
    mime: &Rc<RefCell<Mime>>,
    name: &str,
    a: &Args,
) -> R<Value> {
    let this_value = Value::Object(this.clone());
    match name {
        "addHeader" => {
            a.count(2, 3)?;
            let (n, mut v) = (field_name(a, 0)?, field_value(a, 1)?);
            if a.flag(2, "encode", true)? {
                v = header::encode_words(&v, EOL);
            }
            mime.borrow_mut().fields.push(Field::new(&n, &v, EOL));
        }
        "setBody" => {
            a.count(1, 1)?;
            mime.borrow_mut().body = a.string(0)?;
        }
        "setType" => {
            a.count(1, 1)?;
            let t = token(a, 0, "content type")?;
            if !t.contains(&b'/') {
                return error(a.span, "a content type is written type/subtype");
            }
            mime.borrow_mut().kind = Some(t);
        }
        "setBoundary" => {
            a.count(1, 1)?;
            let b = a.string(0)?;
            let ok = (1..=70).contains(&b.len())
                && b.iter()
                    .all(|&c| c.is_ascii_alphanumeric() || b"'()+_,-./:=?".contains(&c));
            if !ok {
                return error(
                    a.span,
                    "a boundary has 1 to 70 letters, digits or '()+_,-./:=?",
                );
            }
            mime.borrow_mut().boundary = Some(b);
        }
        "setFileName" => {
            a.count(1, 1)?;
            mime.borrow_mut().file_name = Some(a.string(0)?);
        }
        "setDisposition" => {
            a.count(1, 1)?;
            mime.borrow_mut().disposition = Some(token(a, 0, "disposition")?);
        }
        "appendPart" => {
            a.count(1, 1)?;
            let part = a.mime(0)?.borrow().clone();
            let mut m = mime.borrow_mut();
            if part.depth() + 1 > MAX_DEPTH {
                return error(a.span, format!("MIME parts nest at most {MAX_DEPTH} deep"));
            }
            m.parts.push(part);
        }
        "toString" | "toFile" => {
            a.count(0, 0)?;
            let bytes = mime.borrow().to_bytes(true);
            return Ok(if name == "toString" {
                Value::str(bytes)
            } else {
                file::new(bytes)
            });
        }
        "queue" | "send" => {
            if name == "queue" {
                queue_args(a)?;
            } else {
                a.count(3, 3)?;
            }
            return world(
                it,
                &format!("MIME->{name}"),
                Some(this_value),
                a.args,
                a.span,
            );
        }
        "setDate" => {
            a.count(0, 1)?;
            let t = if a.args.is_empty() {
                it.now()
            } else {
                a.number(0)?
            };
            let Some(date) = crate::time::rfc5322_date(t) else {
                return error(a.span, "MIME->setDate() time is out of range");
            };
            let mut m = mime.borrow_mut();
            m.fields.retain(|f| !f.is(b"Date"));
            m.fields.push(Field::new(b"Date", &date, EOL));
        }
        "signDKIM" => return unsupported(&a.what, a.span),
        _ => return error(a.span, format!("`MIME` has no method `{name}`")),
    }
    Ok(this_value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_text_is_deterministic_and_parses_back() {
        let leaf = |kind: &[u8], body: &[u8]| Mime {
            kind: Some(kind.to_vec()),
            body: body.to_vec(),
            ..Default::default()
        };
        let m = Mime {
            parts: vec![
                leaf(b"text/plain", "h\u{e9}".as_bytes()),
                leaf(b"image/png", b"\x89PNG"),
            ],
            ..Default::default()
        };
        let text = m.to_bytes(true);
        assert_eq!(text, m.clone().to_bytes(true));
        let tree = super::super::Tree::parse(&text);
        let kids = tree.children(tree.root);
        assert_eq!(kids.len(), 2);
        assert!(tree.node(tree.root).unwrap().errors.is_empty());
        assert_eq!(tree.bytes(tree.root), text);
    }
}
