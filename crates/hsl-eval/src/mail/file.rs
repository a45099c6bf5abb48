//! The `File` class over bytes in memory (`File::String(data)`, a message's
//! `toFile()`): reading, lines, seeking. The interpreter opens no real
//! files; `File::read(filename)` asks the stub registry.

use super::{object, unsupported, Args, Native};
use crate::builtins::R;
use crate::interp::error;
use crate::value::Value;
use std::cell::RefCell;
use std::rc::Rc;

/// An open file: its bytes and the read position.
#[derive(Debug)]
pub struct File {
    data: Vec<u8>,
    pos: usize,
    closed: bool,
}

impl File {
    /// The bytes from the position to the end (the position moves there).
    pub fn rest(&mut self) -> Vec<u8> {
        let rest = self.data.get(self.pos..).unwrap_or_default().to_vec();
        self.pos = self.data.len().max(self.pos);
        rest
    }
}

/// A `File` object reading `data`.
pub fn new(data: Vec<u8>) -> Value {
    object(
        "File",
        Native::File(Rc::new(RefCell::new(File {
            data,
            pos: 0,
            closed: false,
        }))),
    )
}

/// Dispatches a method of a `File`.
pub(super) fn call(f: &mut File, name: &str, a: &Args) -> R<Value> {
    if f.closed && name != "close" {
        return error(a.span, format!("{}(): the file is closed", a.what));
    }
    Ok(match name {
        "read" => {
            a.count(0, 1)?;
            let end = match a.args.first() {
                None => f.data.len(),
                Some(_) => {
                    let n = a.number(0)?;
                    if n < 0.0 {
                        return error(a.span, "read() needs a length of 0 or more");
                    }
                    f.pos
                        .saturating_add(n.min(usize::MAX as f64) as usize)
                        .min(f.data.len())
                }
            };
            let start = f.pos.min(end);
            f.pos = f.pos.max(end);
            Value::str(f.data[start..end].to_vec())
        }
        "readline" => {
            a.count(0, 0)?;
            if f.pos >= f.data.len() {
                return Ok(Value::Bool(false));
            }
            let end = super::header::line_end(&f.data, f.pos);
            let line = &f.data[f.pos..end];
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let v = Value::str(line.to_vec());
            f.pos = end;
            v
        }
        "seek" => {
            a.count(1, 2)?;
            let offset = a.number(0)?;
            let whence = match a.args.get(1) {
                None => b"SEEK_SET".to_vec(),
                Some(_) => a.string(1)?,
            };
            let base = match whence.as_slice() {
                b"SEEK_SET" => 0.0,
                b"SEEK_CUR" => f.pos as f64,
                b"SEEK_END" => f.data.len() as f64,
                _ => {
                    return error(
                        a.span,
                        "seek() whence must be SEEK_SET, SEEK_CUR or SEEK_END",
                    )
                }
            };
            let target = base + offset.trunc();
            if !(0.0..=9e15).contains(&target) {
                return Ok(Value::None);
            }
            f.pos = target as usize;
            Value::Number(target)
        }
        "tell" => {
            a.count(0, 0)?;
            Value::Number(f.pos as f64)
        }
        "getPath" => {
            a.count(0, 0)?;
            Value::None
        }
        "close" => {
            a.count(0, 0)?;
            f.closed = true;
            Value::None
        }
        "toFFIValue" => return unsupported(&a.what, a.span),
        _ => return error(a.span, format!("`File` has no method `{name}`")),
    })
}
