//! `hsl simulate --output-format junit`: JUnit XML for CI systems that show
//! test reports. One test case per session file: failed expectations are a
//! `<failure>` with expected and actual, an unusable session file an
//! `<error>`; the transcript goes to `<system-out>`.

use crate::simulate::{render, Paint};
use hsl_smtp::session::SessionError;
use hsl_smtp::Report;
use std::fmt::Write as _;

/// The XML document for a suite run.
pub fn render_suite(reports: &[Report], errors: &[SessionError]) -> String {
    let failed = reports.iter().filter(|r| !r.failures.is_empty()).count();
    let tests = reports.len() + errors.len();
    let counts = format!(
        r#"tests="{tests}" failures="{failed}" errors="{}""#,
        errors.len()
    );
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(xml, "<testsuites {counts}>");
    let _ = writeln!(xml, "  <testsuite name=\"hsl simulate\" {counts}>");
    for report in reports {
        let t = &report.transcript;
        let _ = writeln!(
            xml,
            "    <testcase name=\"{}\" classname=\"{}\">",
            attr(&t.name),
            attr(&class(&t.file))
        );
        for f in &report.failures {
            let message = format!("expectation {} ({})", f.index, f.subject);
            let body = format!("expected: {}\nactual:   {}", f.expected, f.actual);
            let _ = writeln!(
                xml,
                "      <failure message=\"{}\" type=\"expectation\">{}</failure>",
                attr(&message),
                escape(&body)
            );
        }
        let transcript = render(report, Paint::none());
        let _ = writeln!(
            xml,
            "      <system-out>{}</system-out>\n    </testcase>",
            escape(&transcript)
        );
    }
    for e in errors {
        let file = e.file.display().to_string();
        let name = e
            .file
            .file_stem()
            .map_or_else(|| file.clone(), |s| s.to_string_lossy().into_owned());
        let _ = writeln!(
            xml,
            "    <testcase name=\"{}\" classname=\"{}\">\n      <error message=\"{}\" type=\"invalid session\"/>\n    </testcase>",
            attr(&name),
            attr(&class(&file)),
            attr(&e.to_string())
        );
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}

/// Text as an XML attribute value (line breaks kept as references).
fn attr(text: &str) -> String {
    escape(text).replace('\n', "&#10;")
}

/// The session file as a class name: its path with `/` separators.
fn class(file: &str) -> String {
    file.replace('\\', "/")
}

/// Text as XML character data or attribute value. Control characters that
/// XML 1.0 cannot carry at all are written as `\xNN`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push('\n'),
            '\t' => out.push('\t'),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{attr, escape};

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'\r\x01\t"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#13;\\x01\t"
        );
        assert_eq!(attr("one\ntwo"), "one&#10;two");
    }
}
