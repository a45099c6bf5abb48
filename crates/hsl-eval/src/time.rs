//! Time functions: `strftime`, `strptime`, `strpduration`, `timelocal` and
//! `sleep`, on the interpreter's injectable clock. Dates are proleptic
//! Gregorian, computed by hand (no time zone database): UTC throughout, and
//! the `"local"` option also means UTC.

use crate::builtins::{number_arg, option_flag, options_arg, string_arg, R};
use crate::calendar::{civil_from_days, days_from_civil};
use crate::interp::{error, Interpreter};
use crate::value::Value;
use hsl_syntax::Span;

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &[
        "strftime",
        "strptime",
        "strpduration",
        "executiontime",
        "uptime",
        "timelocal",
        "sleep",
    ],
    call,
};

/// The time family: answers `None` for names it does not own.
pub(crate) fn call(it: &mut Interpreter, name: &str, a: &[Value], span: Span) -> Option<R<Value>> {
    let result = match name {
        "strftime" => strftime(it, a, span),
        "strptime" => strptime(a, span),
        "strpduration" => {
            string_arg(name, &a[0], span).map(|d| duration(&d).map_or(Value::None, Value::Number))
        }
        // Local time is UTC here, so this is the clock in whole seconds.
        // The interpreter stands in for the server: both count from the
        // moment it first ran a script, on its (injectable) clock.
        "executiontime" => Ok(Value::Number(it.now() - it.started())),
        "uptime" => Ok(Value::Number((it.now() - it.started()).floor())),
        "timelocal" => Ok(Value::Number(it.now().floor())),
        // Never blocks: a simulation must not wait for real. The pause is
        // reported as taken (a negative or NaN pause as 0 seconds).
        "sleep" => {
            number_arg(name, &a[0], span).map(|s| Value::Number(if s > 0.0 { s } else { 0.0 }))
        }
        _ => return None,
    };
    Some(result)
}

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Beyond this many seconds (about 285 million years) C's `gmtime` fails;
/// such times are an error rather than a wrong date.
const MAX_SECONDS: f64 = 9e15;

/// A broken-down UTC time, like C's `struct tm` (month 1–12, weekday 0 = Sunday,
/// year day 0–365).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Tm {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    weekday: i64,
    yearday: i64,
    epoch: i64,
}

impl Tm {
    /// The UTC date and time of `epoch` seconds.
    fn from_epoch(epoch: i64) -> Tm {
        let days = epoch.div_euclid(86_400);
        let secs = epoch.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Tm {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: secs % 3600 / 60,
            second: secs % 60,
            weekday: (days + 4).rem_euclid(7),
            yearday: days - days_from_civil(year, 1, 1),
            epoch,
        }
    }

    /// ISO 8601 week-based year and week number (weeks start on Monday;
    /// week 1 holds the year's first Thursday).
    fn iso_week(&self) -> (i64, i64) {
        let monday_based = (self.weekday + 6) % 7;
        let week = (self.yearday - monday_based + 10) / 7;
        if week < 1 {
            (self.year - 1, iso_weeks_in(self.year - 1))
        } else if week > iso_weeks_in(self.year) {
            (self.year + 1, 1)
        } else {
            (self.year, week)
        }
    }
}

/// 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or is a
/// leap year starting on a Wednesday.
fn iso_weeks_in(year: i64) -> i64 {
    let jan1 = (days_from_civil(year, 1, 1) + 4).rem_euclid(7);
    let leap = days_from_civil(year + 1, 1, 1) - days_from_civil(year, 1, 1) == 366;
    if jan1 == 4 || (leap && jan1 == 3) {
        53
    } else {
        52
    }
}

/// `strftime(format [, time, options])`: the time (default now; fractions
/// are dropped, as C's conversion to `time_t` does) formatted in UTC.
fn strftime(it: &mut Interpreter, a: &[Value], span: Span) -> R<Value> {
    let format = string_arg("strftime", &a[0], span)?;
    let t = match a.get(1) {
        Some(v) => number_arg("strftime", v, span)?,
        None => it.now(),
    };
    let local = option_flag(&options_arg("strftime", a.get(2), span)?, "local");
    if !t.is_finite() || t.abs() > MAX_SECONDS {
        return error(span, "strftime() time is out of range");
    }
    // A conversion of two bytes can write 256: the text grows within the
    // memory budget.
    let limits = &it.meter().limits;
    let tm = Tm::from_epoch(t.trunc() as i64);
    let text = format_time_within(&format, &tm, local, &mut |out, n| {
        limits.string_room(out, n, span)
    })?;
    Ok(Value::str(text))
}

/// The RFC 5322 date of `t` (seconds since the epoch) in UTC, e.g.
/// `Thu, 01 Jan 2026 12:00:00 +0000`; none when `t` is out of range.
pub(crate) fn rfc5322_date(t: f64) -> Option<Vec<u8>> {
    (t.is_finite() && t.abs() <= MAX_SECONDS).then(|| {
        format_time(
            b"%a, %d %b %Y %H:%M:%S +0000",
            &Tm::from_epoch(t.trunc() as i64),
            false,
        )
    })
}

/// [`format_time_within`] for the interpreter's own formats, whose results
/// are short.
fn format_time(format: &[u8], tm: &Tm, local: bool) -> Vec<u8> {
    format_time_within(format, tm, local, &mut |_, _| Ok(())).unwrap_or_default()
}

/// Formats `tm` with the C/POSIX conversions in the "C" locale, plus the GNU
/// flags `-` (no padding), `_` (spaces), `0` (zeros), `^` (upper case) and a
/// field width (`#` is accepted and ignored). `%Z` names the zone as C does:
/// `GMT` for UTC, `UTC` for the (UTC) local zone. Unknown conversions are
/// copied as written, like glibc. `room` makes room for the bytes each
/// piece adds before they are written, or stops the text.
fn format_time_within(
    format: &[u8],
    tm: &Tm,
    local: bool,
    room: &mut dyn FnMut(&mut Vec<u8>, usize) -> R<()>,
) -> R<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < format.len() {
        if format[i] != b'%' {
            room(&mut out, 1)?;
            out.push(format[i]);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut flag = None;
        while let Some(&f) = format.get(i).filter(|f| b"-_0^#".contains(f)) {
            flag = Some(f);
            i += 1;
        }
        let mut width = 0usize;
        while let Some(d) = format.get(i).filter(|d| d.is_ascii_digit()) {
            width = (width * 10 + usize::from(d - b'0')).min(256);
            i += 1;
        }
        if matches!(format.get(i), Some(b'E' | b'O')) {
            i += 1;
        }
        let Some(&conv) = format.get(i) else {
            room(&mut out, format.len() - start)?;
            out.extend_from_slice(&format[start..]);
            break;
        };
        i += 1;
        match field(conv, tm, local) {
            Some(Field::Num(n, digits, pad)) => {
                let pad = match flag {
                    Some(b'-') => None,
                    Some(b'_') => Some(b' '),
                    Some(b'0') => Some(b'0'),
                    _ => pad,
                };
                let text = n.abs().to_string();
                let width = if width > 0 { width } else { digits };
                let sign = usize::from(n < 0);
                let fill = match pad {
                    Some(_) => width.saturating_sub(text.len() + sign),
                    None => 0,
                };
                room(&mut out, sign + fill + text.len())?;
                if n < 0 {
                    out.push(b'-');
                }
                out.extend(std::iter::repeat_n(pad.unwrap_or(b' '), fill));
                out.extend_from_slice(text.as_bytes());
            }
            Some(Field::Text(text)) => {
                let fill = width.saturating_sub(text.len());
                let p = if flag == Some(b'0') { b'0' } else { b' ' };
                room(&mut out, fill + text.len())?;
                out.extend(std::iter::repeat_n(p, fill));
                if flag == Some(b'^') {
                    out.extend_from_slice(text.to_ascii_uppercase().as_bytes());
                } else {
                    out.extend_from_slice(text.as_bytes());
                }
            }
            None => {
                room(&mut out, i - start)?;
                out.extend_from_slice(&format[start..i]);
            }
        }
    }
    Ok(out)
}

/// One formatted conversion: a number (with its default width and padding)
/// or text.
enum Field {
    Num(i64, usize, Option<u8>),
    Text(String),
}

fn field(conv: u8, tm: &Tm, local: bool) -> Option<Field> {
    let zero = |n: i64, w: usize| Field::Num(n, w, Some(b'0'));
    let space = |n: i64, w: usize| Field::Num(n, w, Some(b' '));
    let hour12 = (tm.hour + 11) % 12 + 1;
    let compose = |f: &str| {
        Field::Text(String::from_utf8_lossy(&format_time(f.as_bytes(), tm, local)).into_owned())
    };
    Some(match conv {
        b'a' => Field::Text(DAYS[tm.weekday as usize][..3].to_string()),
        b'A' => Field::Text(DAYS[tm.weekday as usize].to_string()),
        b'b' | b'h' => Field::Text(MONTHS[tm.month as usize - 1][..3].to_string()),
        b'B' => Field::Text(MONTHS[tm.month as usize - 1].to_string()),
        b'c' => compose("%a %b %e %H:%M:%S %Y"),
        b'C' => zero(tm.year.div_euclid(100), 2),
        b'd' => zero(tm.day, 2),
        b'D' | b'x' => compose("%m/%d/%y"),
        b'e' => space(tm.day, 2),
        b'F' => compose("%Y-%m-%d"),
        b'G' => zero(tm.iso_week().0, 1),
        b'g' => zero(tm.iso_week().0.rem_euclid(100), 2),
        b'H' => zero(tm.hour, 2),
        b'I' => zero(hour12, 2),
        b'j' => zero(tm.yearday + 1, 3),
        b'k' => space(tm.hour, 2),
        b'l' => space(hour12, 2),
        b'm' => zero(tm.month, 2),
        b'M' => zero(tm.minute, 2),
        b'n' => Field::Text("\n".into()),
        b'p' => Field::Text(if tm.hour < 12 { "AM" } else { "PM" }.into()),
        b'P' => Field::Text(if tm.hour < 12 { "am" } else { "pm" }.into()),
        b'r' => compose("%I:%M:%S %p"),
        b'R' => compose("%H:%M"),
        b's' => zero(tm.epoch, 1),
        b'S' => zero(tm.second, 2),
        b't' => Field::Text("\t".into()),
        b'T' | b'X' => compose("%H:%M:%S"),
        b'u' => zero((tm.weekday + 6) % 7 + 1, 1),
        b'U' => zero((tm.yearday + 7 - tm.weekday) / 7, 2),
        b'V' => zero(tm.iso_week().1, 2),
        b'w' => zero(tm.weekday, 1),
        b'W' => zero((tm.yearday + 7 - (tm.weekday + 6) % 7) / 7, 2),
        b'y' => zero(tm.year.rem_euclid(100), 2),
        b'Y' => zero(tm.year, 1),
        b'z' => Field::Text("+0000".into()),
        b'Z' => Field::Text(if local { "UTC" } else { "GMT" }.into()),
        b'%' => Field::Text("%".into()),
        _ => return None,
    })
}

/// `strptime(datestring, format [, options])`: the Unix time of a date
/// written in `format` (UTC; `"local"` is UTC too), or none when the text
/// does not match the whole format. As with C's `strptime` on a zeroed
/// `struct tm` followed by `timegm`, fields not in the format are zero
/// (year 1900, January, day 0, so a missing day means the last day of the
/// previous month) and out-of-range days roll over (`Feb 30` is in March).
/// `%z` offsets are applied; `%s` gives the time directly.
fn strptime(a: &[Value], span: Span) -> R<Value> {
    let text = string_arg("strptime", &a[0], span)?;
    let format = string_arg("strptime", &a[1], span)?;
    options_arg("strptime", a.get(2), span)?;
    let mut p = Parsed::default();
    let mut at = 0;
    if !p.parse(&text, &mut at, &format) || at != text.len() {
        return Ok(Value::None);
    }
    Ok(Value::Number(p.epoch() as f64))
}

/// Fields read by `strptime`.
#[derive(Default)]
struct Parsed {
    year: Option<i64>,
    century: Option<i64>,
    short_year: Option<i64>,
    month: Option<i64>,
    day: Option<i64>,
    yearday: Option<i64>,
    hour: i64,
    minute: i64,
    second: i64,
    pm: Option<bool>,
    twelve_hour: bool,
    offset: i64,
    epoch: Option<i64>,
}

fn skip_space(text: &[u8], at: &mut usize) {
    while text.get(*at).is_some_and(u8::is_ascii_whitespace) {
        *at += 1;
    }
}

/// Up to `digits` decimal digits (after optional spaces) within `lo..=hi`.
fn number(text: &[u8], at: &mut usize, digits: usize, lo: i64, hi: i64) -> Option<i64> {
    skip_space(text, at);
    let start = *at;
    let mut n: i64 = 0;
    while *at - start < digits && text.get(*at).is_some_and(u8::is_ascii_digit) {
        n = n * 10 + i64::from(text[*at] - b'0');
        *at += 1;
    }
    (*at > start && (lo..=hi).contains(&n)).then_some(n)
}

/// The index of the name (full or three-letter, any case) at `at`.
fn name(text: &[u8], at: &mut usize, names: &[&str]) -> Option<usize> {
    let rest = &text[*at..];
    let starts =
        |n: &str| rest.len() >= n.len() && rest[..n.len()].eq_ignore_ascii_case(n.as_bytes());
    for (i, full) in names.iter().enumerate() {
        for candidate in [*full, full.get(..3).unwrap_or(full)] {
            if starts(candidate) {
                *at += candidate.len();
                return Some(i);
            }
        }
    }
    None
}

impl Parsed {
    /// Matches `format` against `text` from `at`; false when it does not match.
    fn parse(&mut self, text: &[u8], at: &mut usize, format: &[u8]) -> bool {
        let mut i = 0;
        while i < format.len() {
            let c = format[i];
            i += 1;
            if c.is_ascii_whitespace() {
                skip_space(text, at);
                continue;
            }
            if c != b'%' {
                if text.get(*at) != Some(&c) {
                    return false;
                }
                *at += 1;
                continue;
            }
            if matches!(format.get(i), Some(b'E' | b'O')) {
                i += 1;
            }
            let Some(&conv) = format.get(i) else {
                return false;
            };
            i += 1;
            if !self.conversion(conv, text, at) {
                return false;
            }
        }
        true
    }

    fn conversion(&mut self, conv: u8, text: &[u8], at: &mut usize) -> bool {
        let set = |slot: &mut i64, v: Option<i64>| v.map(|v| *slot = v).is_some();
        match conv {
            b'Y' => {
                let negative = text.get(*at) == Some(&b'-');
                *at += usize::from(negative);
                self.year = number(text, at, 4, 0, 9999).map(|y| if negative { -y } else { y });
                self.year.is_some()
            }
            b'C' => {
                self.century = number(text, at, 2, 0, 99);
                self.century.is_some()
            }
            b'y' => {
                self.short_year = number(text, at, 2, 0, 99);
                self.short_year.is_some()
            }
            b'm' => {
                self.month = number(text, at, 2, 1, 12);
                self.month.is_some()
            }
            b'd' | b'e' => {
                self.day = number(text, at, 2, 1, 31);
                self.day.is_some()
            }
            b'j' => {
                self.yearday = number(text, at, 3, 1, 366);
                self.yearday.is_some()
            }
            b'H' | b'k' => {
                self.twelve_hour = false;
                set(&mut self.hour, number(text, at, 2, 0, 23))
            }
            b'I' | b'l' => {
                self.twelve_hour = true;
                set(&mut self.hour, number(text, at, 2, 1, 12))
            }
            b'M' => set(&mut self.minute, number(text, at, 2, 0, 59)),
            b'S' => set(&mut self.second, number(text, at, 2, 0, 61)),
            b'u' => number(text, at, 1, 1, 7).is_some(),
            b'w' => number(text, at, 1, 0, 6).is_some(),
            b's' => {
                let negative = text.get(*at) == Some(&b'-');
                *at += usize::from(negative);
                let secs = number(text, at, 16, 0, MAX_SECONDS as i64);
                self.epoch = secs.map(|s| if negative { -s } else { s });
                self.epoch.is_some()
            }
            b'b' | b'B' | b'h' => {
                skip_space(text, at);
                self.month = name(text, at, &MONTHS).map(|m| m as i64 + 1);
                self.month.is_some()
            }
            b'a' | b'A' => {
                skip_space(text, at);
                name(text, at, &DAYS).is_some()
            }
            b'p' | b'P' => {
                skip_space(text, at);
                self.pm = name(text, at, &["AM", "PM"]).map(|i| i == 1);
                self.pm.is_some()
            }
            b'z' => self.zone_offset(text, at),
            b'Z' => {
                while text.get(*at).is_some_and(u8::is_ascii_alphabetic) {
                    *at += 1;
                }
                true
            }
            b'n' | b't' => {
                skip_space(text, at);
                true
            }
            b'%' => {
                let ok = text.get(*at) == Some(&b'%');
                *at += usize::from(ok);
                ok
            }
            b'c' => self.parse(text, at, b"%a %b %e %H:%M:%S %Y"),
            b'D' | b'x' => self.parse(text, at, b"%m/%d/%y"),
            b'F' => self.parse(text, at, b"%Y-%m-%d"),
            b'R' => self.parse(text, at, b"%H:%M"),
            b'r' => self.parse(text, at, b"%I:%M:%S %p"),
            b'T' | b'X' => self.parse(text, at, b"%H:%M:%S"),
            _ => false,
        }
    }

    /// `Z`, `+hh`, `+hhmm` or `+hh:mm` (and `-`).
    fn zone_offset(&mut self, text: &[u8], at: &mut usize) -> bool {
        skip_space(text, at);
        let sign = match text.get(*at) {
            Some(b'Z') => {
                *at += 1;
                self.offset = 0;
                return true;
            }
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return false,
        };
        *at += 1;
        let two = |at: &mut usize| {
            let d = text
                .get(*at..*at + 2)
                .filter(|d| d.iter().all(u8::is_ascii_digit))?;
            *at += 2;
            Some(i64::from(d[0] - b'0') * 10 + i64::from(d[1] - b'0'))
        };
        let Some(hours) = two(at) else {
            return false;
        };
        if text.get(*at) == Some(&b':') {
            *at += 1;
        }
        let before = *at;
        let minutes = two(at).unwrap_or_else(|| {
            *at = before;
            0
        });
        if hours > 24 || minutes > 59 {
            return false;
        }
        self.offset = sign * (hours * 3600 + minutes * 60);
        true
    }

    /// The Unix time of the fields read.
    fn epoch(&self) -> i64 {
        if let Some(e) = self.epoch {
            return e;
        }
        let year = match (self.century, self.short_year) {
            (Some(c), Some(y)) => c * 100 + y,
            (Some(c), None) => c * 100,
            (None, Some(y)) if y < 69 => 2000 + y,
            (None, Some(y)) => 1900 + y,
            (None, None) => self.year.unwrap_or(1900),
        };
        let days = match (self.month, self.day, self.yearday) {
            (None, None, Some(yday)) => days_from_civil(year, 1, yday),
            (month, day, _) => days_from_civil(year, month.unwrap_or(1), day.unwrap_or(0)),
        };
        let hour = match self.pm {
            Some(pm) if self.twelve_hour => self.hour % 12 + if pm { 12 } else { 0 },
            Some(true) if self.hour < 12 => self.hour + 12,
            _ => self.hour,
        };
        days * 86_400 + hour * 3600 + self.minute * 60 + self.second - self.offset
    }
}

/// `strpduration`: seconds in a duration written as numbers with units
/// `s`, `m`, `h`, `d` and `w` (seconds, minutes, hours, days, weeks), e.g.
/// `"1h30m"`, `"2d 12h"`, `"1.5h"`; a lone number is seconds. None for
/// anything else (empty text, unknown units, signs).
fn duration(text: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(text).ok()?.trim();
    if let Ok(n) = text.parse::<f64>() {
        return (text.bytes().all(|b| b.is_ascii_digit() || b == b'.') && n.is_finite())
            .then_some(n);
    }
    let mut total = 0.0;
    let mut rest = text;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: f64 = rest[..digits].parse().ok()?;
        let unit = match rest[digits..].chars().next()? {
            's' => 1.0,
            'm' => 60.0,
            'h' => 3600.0,
            'd' => 86_400.0,
            'w' => 604_800.0,
            _ => return None,
        };
        total += n * unit;
        rest = rest[digits + 1..].trim_start();
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for epoch in [-86_400 * 366 * 500, -1, 0, 951_782_400, 4_102_444_800] {
            let tm = Tm::from_epoch(epoch);
            let back = days_from_civil(tm.year, tm.month, tm.day) * 86_400
                + tm.hour * 3600
                + tm.minute * 60
                + tm.second;
            assert_eq!(back, epoch, "{tm:?}");
        }
        assert_eq!(Tm::from_epoch(951_782_400).day, 29, "2000-02-29 exists");
    }
}
