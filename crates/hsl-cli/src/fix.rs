//! `hsl check --fix`: applies the fixes the diagnostics carry to the files,
//! says what it fixed, and leaves the rest to be reported.

use crate::render::FileReport;
use hsl_check::Checker;
use hsl_syntax::{Applicability, Diagnostic};
use std::path::Path;

/// The fix flags of `hsl check`.
#[derive(clap::Args, Clone, Copy, Debug, Default)]
pub struct FixArgs {
    /// Apply the safe fixes of the diagnostics to the files (a file is only
    /// written when the result parses).
    #[arg(long)]
    fix: bool,
    /// With `--fix`, also apply the fixes that need review (a guess among
    /// several names, removing an unused assignment or import).
    #[arg(long, requires = "fix")]
    unsafe_fixes: bool,
}

/// Fixes file after file and counts what it did.
pub struct Fixer {
    args: FixArgs,
    fixed: usize,
    files: usize,
}

impl Fixer {
    /// A fixer for these flags.
    pub fn new(args: FixArgs) -> Self {
        Fixer {
            args,
            fixed: 0,
            files: 0,
        }
    }

    /// Checks one file; with `--fix`, fixes it first, writes it when it
    /// changed and prints each fix on standard error. Returns the text and
    /// diagnostics to report. A file that is not valid UTF-8 (`valid`
    /// false) is checked but never rewritten.
    pub fn check(
        &mut self,
        checker: &Checker,
        path: &Path,
        text: &str,
        valid: bool,
    ) -> Result<(String, Vec<Diagnostic>), String> {
        if !self.args.fix || !valid {
            return Ok((text.to_string(), checker.check(path, text)?));
        }
        let fixed = hsl_check::fix::fix(checker, path, text, self.args.unsafe_fixes)?;
        for a in &fixed.applied {
            eprintln!(
                "{}:{}: fixed {}: {}",
                path.display(),
                a.line,
                a.code,
                a.title
            );
        }
        if fixed.rejected > 0 {
            eprintln!(
                "{}: {} fix{} not applied: the file would not parse",
                path.display(),
                fixed.rejected,
                if fixed.rejected == 1 { "" } else { "es" }
            );
        }
        if fixed.text != text {
            std::fs::write(path, &fixed.text)
                .map_err(|e| format!("{}: cannot write the fixes: {e}", path.display()))?;
            // Files checked later that include this one see the fixed text.
            checker.invalidate(path);
            self.fixed += fixed.applied.len();
            self.files += 1;
        }
        Ok((fixed.text, fixed.remaining))
    }

    /// One line on standard error: what was fixed, and how many of the
    /// diagnostics left could be fixed with which flag.
    pub fn summary(&self, reports: &[FileReport]) {
        let left = |a: Applicability| {
            reports
                .iter()
                .flat_map(|r| &r.diagnostics)
                .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == a))
                .count()
        };
        let (safe, unsafe_) = (left(Applicability::Safe), left(Applicability::Unsafe));
        let mut parts = Vec::new();
        if self.args.fix {
            parts.push(format!(
                "fixed {} issue{} in {} file{}",
                self.fixed,
                plural(self.fixed),
                self.files,
                plural(self.files)
            ));
        }
        if safe > 0 {
            parts.push(format!("{safe} fixable with `--fix`"));
        }
        if unsafe_ > 0 && !self.args.unsafe_fixes {
            parts.push(format!("{unsafe_} more with `--fix --unsafe-fixes`"));
        }
        if !parts.is_empty() {
            eprintln!("{}", parts.join("; "));
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
