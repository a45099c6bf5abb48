//! The `%` format operator on strings: `"%s has %.2f" % [name, price]`.
//!
//! A directive is `%[n]` (argument index, optional), `'c` fill and one of
//! `< > ^ =` alignment (optional), width, `.precision`, then the type:
//! `s` string, `f` number, `x` hexadecimal, `c` character, `b` binary.
//! `%%` is a literal percent sign.

use crate::interp::error;
use crate::limits::Limits;
use crate::value::{number_text, Value};
use crate::R;
use hsl_syntax::Span;

/// Formats `template` with `args`; the error names the problem. The text
/// grows within the memory budget: widths and arguments used again (`%[0]s`
/// any number of times) can make it far longer than what it is made of.
pub fn format(template: &[u8], args: &[Value], limits: &Limits, span: Span) -> R<Vec<u8>> {
    let mut out = Vec::with_capacity(template.len());
    let mut next = 0usize;
    let mut i = 0;
    let digits = |i: &mut usize| -> Option<usize> {
        let start = *i;
        while *i < template.len() && template[*i].is_ascii_digit() {
            *i += 1;
        }
        std::str::from_utf8(&template[start..*i]).ok()?.parse().ok()
    };
    while i < template.len() {
        if template[i] != b'%' {
            out.push(template[i]);
            i += 1;
            continue;
        }
        i += 1;
        if template.get(i) == Some(&b'%') {
            out.push(b'%');
            i += 1;
            continue;
        }
        let mut index = None;
        if template.get(i) == Some(&b'[') {
            i += 1;
            index = digits(&mut i);
            if template.get(i) != Some(&b']') {
                return error(span, "`%[` must be followed by a number and `]`");
            }
            i += 1;
        }
        let mut fill = b' ';
        if template.get(i) == Some(&b'\'') && i + 1 < template.len() {
            fill = template[i + 1];
            i += 2;
        }
        let align = match template.get(i) {
            Some(c @ (b'<' | b'>' | b'^' | b'=')) => {
                i += 1;
                Some(*c)
            }
            _ => None,
        };
        let width = digits(&mut i).unwrap_or(0);
        let precision = if template.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i)
        } else {
            None
        };
        let Some(&kind) = template.get(i) else {
            return error(span, "format directive without a type (s, f, x, c or b)");
        };
        i += 1;
        let n = index.unwrap_or(next);
        next = n + 1;
        let Some(arg) = args.get(n) else {
            return error(span, format!("format needs an argument at index {n}"));
        };
        let number = arg.to_number();
        let body: Vec<u8> = match kind {
            b's' => {
                let mut s = arg.to_bytes();
                if let Some(p) = precision {
                    s.truncate(p);
                }
                s
            }
            b'f' => match precision {
                Some(p) => fixed(number, p),
                None => number_text(number).into_bytes(),
            },
            b'x' => format!("{:x}", number as i64).into_bytes(),
            b'b' => format!("{:b}", number as i64).into_bytes(),
            b'c' => vec![number as u8],
            other => return error(span, format!("unknown format type `{}`", other as char)),
        };
        let numeric = matches!(kind, b'f' | b'x' | b'b');
        let pad = width.saturating_sub(body.len());
        limits.string_room(&mut out, body.len() + pad, span)?;
        let (left, right) = match align.unwrap_or(if numeric { b'>' } else { b'<' }) {
            b'<' => (0, pad),
            b'^' => (pad / 2, pad - pad / 2),
            b'=' if body.first() == Some(&b'-') => {
                out.push(b'-');
                out.extend(std::iter::repeat_n(fill, pad));
                out.extend_from_slice(&body[1..]);
                continue;
            }
            _ => (pad, 0),
        };
        out.extend(std::iter::repeat_n(fill, left));
        out.extend_from_slice(&body);
        out.extend(std::iter::repeat_n(fill, right));
    }
    Ok(out)
}

/// Fractional digits past which a number's decimal expansion is all zeros
/// (the smallest positive number has 1,074).
const EXACT_DIGITS: usize = 1100;

/// `number` with `precision` digits after the point; digits past
/// [`EXACT_DIGITS`] are zeros, written without asking the formatter for
/// them (it takes at most 65,535).
fn fixed(number: f64, precision: usize) -> Vec<u8> {
    let exact = precision.min(EXACT_DIGITS);
    let mut out = format!("{number:.exact$}").into_bytes();
    if number.is_finite() {
        out.resize(out.len() + (precision - exact), b'0');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(t: &str, args: &[Value]) -> String {
        let text = format(t.as_bytes(), args, &Limits::default(), Span::default());
        String::from_utf8(text.unwrap()).unwrap()
    }

    #[test]
    fn directives() {
        let name = Value::str("name");
        let price = Value::Number(2.715);
        assert_eq!(
            f("%<10s|%'*8.2f", &[name.clone(), price.clone()]),
            "name      |****2.71"
        );
        assert_eq!(
            f("%[1]s %[0]s", &[Value::str("world"), Value::str("hello")]),
            "hello world"
        );
        assert_eq!(
            f(
                "%x %b %c %%",
                &[
                    Value::Number(255.0),
                    Value::Number(5.0),
                    Value::Number(65.0)
                ]
            ),
            "ff 101 A %"
        );
        assert_eq!(
            f(
                "%.2s|%5f|%^7s|",
                &[name, Value::Number(2.0), Value::str("mid")]
            ),
            "na|    2|  mid  |"
        );
    }
}
