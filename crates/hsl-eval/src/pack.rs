//! `pack` and `unpack`: binary data by a format of letters, each followed
//! by an optional repeat count (digits, or `*` for "all"), as in Perl and
//! PHP. "Machine" byte order and sizes are those of x86-64: little endian,
//! 16-bit `s`, 64-bit `q`, 32-bit `f`, 64-bit `d`.
//!
//! | letter | data |
//! |---|---|
//! | `a` `A` `Z` | string padded with NULs, spaces, or NULs ending in one NUL (the count is the length) |
//! | `h` `H` | hex digits, low or high nibble first (the count is in digits) |
//! | `c` `C` | signed, unsigned 8-bit |
//! | `s` `S` | signed, unsigned 16-bit, little endian |
//! | `n` `v` | unsigned 16-bit, big, little endian |
//! | `N` `V` | unsigned 32-bit, big, little endian |
//! | `q` `Q` | signed, unsigned 64-bit, little endian |
//! | `J` `P` | unsigned 64-bit, big, little endian |
//! | `f` `g` `G` | 32-bit float: little endian (`f`, `g`), big endian (`G`) |
//! | `d` `e` `E` | 64-bit float: little endian (`d`, `e`), big endian (`E`) |
//! | `x` `X` `@` | a NUL byte (unpack: skip a byte), back up a byte, fill or move to an absolute position |
//!
//! Numbers are truncated and wrap around to the field's width, as PHP does.
//! A malformed format or too few or too many arguments is an error; data
//! too short for the format unpacks to none. Repeat counts above 2^24, packed
//! results above 64 MiB and unpacked lists above 2^22 values are errors,
//! found before the memory is taken.

use crate::builtins::{number_arg, string_arg, R};
use crate::interp::{error, Interpreter};
use crate::value::{Array, Value};
use hsl_syntax::Span;
use std::rc::Rc;

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &["pack", "unpack"],
    call,
};

/// The pack family: answers `None` for names it does not own.
pub(crate) fn call(it: &mut Interpreter, name: &str, a: &[Value], span: Span) -> Option<R<Value>> {
    Some(match name {
        "pack" => pack(a, &it.meter().limits, span),
        "unpack" => unpack(a, &it.meter().limits, span),
        _ => return None,
    })
}

/// Repeat counts above this (16 MiB of output) are refused.
const MAX_COUNT: usize = 1 << 24;

/// `pack` results longer than this are refused.
const MAX_OUTPUT: usize = 1 << 26;

/// `unpack` makes lists of at most this many values.
const MAX_VALUES: usize = 1 << 22;

/// A repeat count.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Count {
    /// None written: 1.
    Default,
    Exactly(usize),
    /// `*`
    All,
}

impl Count {
    /// The number written, 1 when none is, 0 for `*` (whose extent the
    /// letter decides).
    fn number(self) -> usize {
        match self {
            Count::Default => 1,
            Count::Exactly(n) => n,
            Count::All => 0,
        }
    }
}

/// The letters and counts of a format, or a message naming the problem.
fn parse(format: &[u8]) -> Result<Vec<(u8, Count)>, String> {
    let mut items = Vec::new();
    let mut i = 0;
    while i < format.len() {
        let letter = format[i];
        i += 1;
        if !b"aAZhHcCsSnvNVqQJPfdeEgGxX@".contains(&letter) {
            return Err(format!(
                "unknown format code `{}`",
                String::from_utf8_lossy(&[letter])
            ));
        }
        let count = if format.get(i) == Some(&b'*') {
            i += 1;
            if b"xX@".contains(&letter) {
                return Err(format!("`*` cannot follow `{}`", letter as char));
            }
            Count::All
        } else {
            let start = i;
            while format.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                Count::Default
            } else {
                let n = std::str::from_utf8(&format[start..i])
                    .ok()
                    .and_then(|d| d.parse::<usize>().ok())
                    .filter(|n| *n <= MAX_COUNT)
                    .ok_or_else(|| format!("repeat count of `{}` is too large", letter as char))?;
                Count::Exactly(n)
            }
        };
        items.push((letter, count));
    }
    Ok(items)
}

/// Byte width of a numeric letter.
fn width(letter: u8) -> usize {
    match letter {
        b'c' | b'C' => 1,
        b's' | b'S' | b'n' | b'v' => 2,
        b'N' | b'V' | b'f' | b'g' | b'G' => 4,
        _ => 8,
    }
}

fn big_endian(letter: u8) -> bool {
    b"nNJEG".contains(&letter)
}

/// The bytes of `n` as the numeric `letter`.
fn encode(letter: u8, n: f64) -> Vec<u8> {
    let mut bytes = match letter {
        b'f' | b'g' | b'G' => (n as f32).to_le_bytes().to_vec(),
        b'd' | b'e' | b'E' => n.to_le_bytes().to_vec(),
        _ => {
            // Truncate, then wrap to the width (two's complement).
            let int = if n.is_finite() { n.trunc() } else { 0.0 };
            let wrapped = if int.abs() < 9.2e18 {
                int as i64
            } else {
                int.rem_euclid(18_446_744_073_709_551_616.0) as u64 as i64
            };
            wrapped.to_le_bytes()[..width(letter)].to_vec()
        }
    };
    if big_endian(letter) {
        bytes.reverse();
    }
    bytes
}

/// The number in `bytes` as the numeric `letter`.
fn decode(letter: u8, bytes: &[u8]) -> f64 {
    let mut b = bytes.to_vec();
    if big_endian(letter) {
        b.reverse();
    }
    let mut le = [0u8; 8];
    le[..b.len()].copy_from_slice(&b);
    let unsigned = u64::from_le_bytes(le);
    match letter {
        b'f' | b'g' | b'G' => f64::from(f32::from_le_bytes([le[0], le[1], le[2], le[3]])),
        b'd' | b'e' | b'E' => f64::from_le_bytes(le),
        b'c' => f64::from(le[0] as i8),
        b's' => f64::from(i16::from_le_bytes([le[0], le[1]])),
        b'q' => unsigned as i64 as f64,
        _ => unsigned as f64,
    }
}

fn hex_digit(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// `pack(format, ...args)`; the result grows within the memory budget
/// (a count can ask for 16 MiB of padding with a few bytes of format).
fn pack(a: &[Value], limits: &crate::Limits, span: Span) -> R<Value> {
    if a.is_empty() {
        return error(span, "pack() takes at least 1 argument, 0 given");
    }
    let format = string_arg("pack", &a[0], span)?;
    let items = parse(&format).or_else(|m| error(span, format!("pack(): {m}")))?;
    let mut args = a[1..].iter();
    let next = |args: &mut std::slice::Iter<'_, Value>, letter: u8| match args.next() {
        Some(v) => Ok(v.clone()),
        None => error(
            span,
            format!(
                "pack(): too few arguments for format code `{}`",
                letter as char
            ),
        ),
    };
    let mut out: Vec<u8> = Vec::new();
    for (letter, count) in items {
        let n = count.number();
        match letter {
            b'a' | b'A' | b'Z' => {
                let s = string_arg("pack", &next(&mut args, letter)?, span)?;
                let (len, pad) = match (letter, count) {
                    (b'Z', Count::All) => (s.len() + 1, 0),
                    (_, Count::All) => (s.len(), 0),
                    (b'A', _) => (n, b' '),
                    _ => (n, 0),
                };
                let keep = if letter == b'Z' {
                    s.len().min(len.saturating_sub(1))
                } else {
                    s.len().min(len)
                };
                limits.string_room(&mut out, len, span)?;
                out.extend_from_slice(&s[..keep]);
                out.extend(std::iter::repeat_n(pad, len - keep));
            }
            b'h' | b'H' => {
                let s = string_arg("pack", &next(&mut args, letter)?, span)?;
                let digits = if count == Count::All { s.len() } else { n };
                let mut nibbles = Vec::with_capacity(digits);
                for &c in s.iter().take(digits) {
                    match hex_digit(c) {
                        Some(d) => nibbles.push(d),
                        None => {
                            return error(
                                span,
                                format!(
                                    "pack(): `{}` is not a hex digit",
                                    String::from_utf8_lossy(&[c])
                                ),
                            )
                        }
                    }
                }
                nibbles.resize(digits, 0);
                for pair in nibbles.chunks(2) {
                    let (first, second) = (pair[0], pair.get(1).copied().unwrap_or(0));
                    out.push(if letter == b'H' {
                        first << 4 | second
                    } else {
                        second << 4 | first
                    });
                }
            }
            b'x' => {
                limits.string_room(&mut out, n, span)?;
                out.extend(std::iter::repeat_n(0, n));
            }
            b'X' => {
                if n > out.len() {
                    return error(span, "pack(): `X` backs up before the start");
                }
                out.truncate(out.len() - n);
            }
            b'@' => {
                let grown = n.saturating_sub(out.len());
                limits.string_room(&mut out, grown, span)?;
                out.resize(n, 0);
            }
            _ => {
                let times = if count == Count::All { args.len() } else { n };
                for _ in 0..times {
                    let v = next(&mut args, letter)?;
                    let number = match &v {
                        Value::Str(s) => crate::value::parse_number(&String::from_utf8_lossy(s)),
                        other => number_arg("pack", other, span)?,
                    };
                    out.extend(encode(letter, number));
                }
            }
        }
        if out.len() > MAX_OUTPUT {
            return error(
                span,
                format!("pack(): the result is longer than {MAX_OUTPUT} bytes"),
            );
        }
    }
    if args.len() > 0 {
        return error(span, format!("pack(): {} arguments unused", args.len()));
    }
    Ok(Value::str(out))
}

/// `unpack(format, data [, offset])`: the list of values read, measured
/// before it is read (a value takes far more than the bytes it is read
/// from).
fn unpack(a: &[Value], limits: &crate::Limits, span: Span) -> R<Value> {
    let format = string_arg("unpack", &a[0], span)?;
    let data = string_arg("unpack", &a[1], span)?;
    let offset = match a.get(2) {
        Some(v) => number_arg("unpack", v, span)?,
        None => 0.0,
    };
    let items = parse(&format).or_else(|m| error(span, format!("unpack(): {m}")))?;
    if !(0.0..=data.len() as f64).contains(&offset) {
        return Ok(Value::None);
    }
    let base = offset as usize;
    // Each number takes its width of the data, each string item one
    // value: refuse lists too long to build before building them.
    let most: usize = items
        .iter()
        .map(|&(letter, count)| match (letter, count) {
            (b'x' | b'X' | b'@', _) => 0,
            (b'a' | b'A' | b'Z' | b'h' | b'H', _) => 1,
            (_, Count::Exactly(n)) => n.min(data.len() / width(letter)),
            _ => data.len() / width(letter),
        })
        .sum();
    if most > MAX_VALUES {
        return error(span, format!("unpack(): more than {MAX_VALUES} values"));
    }
    limits.array(most as f64, span)?;
    Ok(read(&items, &data, base).map_or(Value::None, |values| {
        Value::Array(Rc::new(Array::list(values)))
    }))
}

/// The values of `items` read from `data` starting at `base`; `None` when
/// the data ends too soon.
fn read(items: &[(u8, Count)], data: &[u8], base: usize) -> Option<Vec<Value>> {
    let mut at = base;
    let mut values = Vec::new();
    for &(letter, count) in items {
        let rest = data.len() - at;
        let n = count.number();
        match letter {
            b'a' | b'A' | b'Z' => {
                let len = match (letter, count) {
                    // `Z*` ends after the first NUL.
                    (b'Z', Count::All) => data[at..]
                        .iter()
                        .position(|&b| b == 0)
                        .map_or(rest, |p| p + 1),
                    (_, Count::All) => rest,
                    _ => n,
                };
                let field = data.get(at..at + len)?;
                at += len;
                let text = match letter {
                    b'a' => field,
                    b'A' => {
                        let end = field
                            .iter()
                            .rposition(|b| !b" \0\t\n\r".contains(b))
                            .map_or(0, |p| p + 1);
                        &field[..end]
                    }
                    _ => {
                        let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
                        &field[..end]
                    }
                };
                values.push(Value::str(text.to_vec()));
            }
            b'h' | b'H' => {
                let digits = if count == Count::All { rest * 2 } else { n };
                let field = data.get(at..at + digits.div_ceil(2))?;
                at += field.len();
                let hex = b"0123456789abcdef";
                let mut text = Vec::with_capacity(digits);
                for (i, byte) in field.iter().enumerate() {
                    let (first, second) = if letter == b'H' {
                        (byte >> 4, byte & 15)
                    } else {
                        (byte & 15, byte >> 4)
                    };
                    text.push(hex[usize::from(first)]);
                    if 2 * i + 1 < digits {
                        text.push(hex[usize::from(second)]);
                    }
                }
                values.push(Value::str(text));
            }
            b'x' => {
                data.get(at..at + n)?;
                at += n;
            }
            b'X' => at = at.checked_sub(n).filter(|p| *p >= base)?,
            b'@' => {
                at = base.checked_add(n).filter(|p| *p <= data.len())?;
            }
            _ => {
                let w = width(letter);
                let times = if count == Count::All { rest / w } else { n };
                for _ in 0..times {
                    values.push(Value::Number(decode(letter, data.get(at..at + w)?)));
                    at += w;
                }
            }
        }
    }
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_through_every_numeric_letter() {
        for letter in *b"cCsSnvNVqQJPfdeEgG" {
            let n = if b"cs".contains(&letter) { -5.0 } else { 100.0 };
            assert_eq!(decode(letter, &encode(letter, n)), n, "{}", letter as char);
        }
    }
}
