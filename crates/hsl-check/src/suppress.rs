//! Suppression comments: `// hsl-ignore HSL107, HSL115` at the end of a line
//! silences those codes on that line, on a line of its own it silences the
//! next line; `// hsl-ignore-file HSL115` silences them in the whole file.

use hsl_syntax::{Diagnostic, LineIndex, Span};

/// The suppressions of one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    file: Vec<String>,
    lines: Vec<(usize, String)>,
    /// Codes named in suppressions that do not exist, with their location.
    pub unknown: Vec<(Span, String)>,
}

impl Suppressions {
    /// Reads the suppression comments of `source`; `known` says whether a
    /// code exists.
    pub fn scan(source: &str, known: impl Fn(&str) -> bool) -> Suppressions {
        let mut s = Suppressions::default();
        if !source.contains("hsl-ignore") {
            return s;
        }
        let mut offset = 0;
        for (line_no, line) in source.split_inclusive('\n').enumerate() {
            if let Some(at) = line.find("hsl-ignore") {
                let rest = &line[at + "hsl-ignore".len()..];
                let (whole_file, codes) = match rest.strip_prefix("-file") {
                    Some(r) => (true, r),
                    None => (false, rest),
                };
                let codes_at = offset + line.len() - codes.len();
                let mut pos = 0;
                for word in codes.split(|c: char| c == ',' || c.is_whitespace()) {
                    let start = codes_at + pos;
                    pos += word.len() + 1;
                    if word.is_empty() {
                        continue;
                    }
                    let code = word.to_ascii_uppercase();
                    if !known(&code) {
                        s.unknown
                            .push((Span::new(start, start + word.len()), word.to_string()));
                    } else if whole_file {
                        s.file.push(code);
                    } else {
                        let alone = line[..at]
                            .trim_start()
                            .trim_start_matches('/')
                            .trim()
                            .is_empty();
                        s.lines
                            .push((if alone { line_no + 1 } else { line_no }, code));
                    }
                }
            }
            offset += line.len();
        }
        s
    }

    /// Whether `d` is silenced.
    pub fn silences(&self, d: &Diagnostic, index: &LineIndex) -> bool {
        let line = index.line_of(d.span.start as usize);
        self.file.iter().any(|c| c == d.code)
            || self.lines.iter().any(|(l, c)| *l == line && c == d.code)
    }
}
