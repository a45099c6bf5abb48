//! Configuration and declaration files that cannot be read as what they
//! should be: where the problem is, so that it can be shown like any other
//! diagnostic.

use std::path::PathBuf;

/// A malformed configuration file (`smtpd.yaml`, `smtpd-app.yaml`) or plugin
/// declaration file (`*.functions.json`, `*.classes.json`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed {
    /// The file.
    pub file: PathBuf,
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based column of the problem.
    pub column: usize,
    /// What is wrong, in one line.
    pub message: String,
}

impl Malformed {
    /// The byte offset of the problem in `text` (the file's contents),
    /// counting the column in characters and staying on the line.
    pub fn offset(&self, text: &str) -> usize {
        let line_start: usize = text
            .split_inclusive('\n')
            .take(self.line.saturating_sub(1))
            .map(str::len)
            .sum();
        let line = text[line_start..].split('\n').next().unwrap_or_default();
        line_start
            + line
                .char_indices()
                .nth(self.column.saturating_sub(1))
                .map_or(line.len(), |(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_stay_on_their_line() {
        let m = |line, column| Malformed {
            file: PathBuf::new(),
            line,
            column,
            message: String::new(),
        };
        let text = "ab\nçd\n";
        assert_eq!(m(1, 1).offset(text), 0);
        assert_eq!(m(2, 2).offset(text), 5, "after the two bytes of ç");
        assert_eq!(m(1, 99).offset(text), 2);
        assert_eq!(m(9, 1).offset(text), text.len());
    }
}
