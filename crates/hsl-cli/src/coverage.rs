//! `--coverage lcov [--coverage-file PATH]` of `hsl run` and `hsl simulate`:
//! which lines and branches of the scripts ran, as an `lcov.info` report.

use std::path::PathBuf;

/// Coverage report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The `lcov` tracefile format (`DA` lines, `BRDA` branches).
    Lcov,
}

/// The coverage flags.
#[derive(clap::Args)]
pub struct CoverageArgs {
    /// Record which lines and branches of the scripts ran and write a report
    /// in this format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    coverage: Option<Format>,
    /// Where the coverage report goes.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "lcov.info",
        requires = "coverage"
    )]
    coverage_file: PathBuf,
}

impl CoverageArgs {
    /// Starts recording on this thread, when asked for.
    pub fn start(&self) {
        if self.coverage.is_some() {
            hsl_eval::coverage::start();
        }
    }

    /// Writes the report of what ran on this thread since [`Self::start`],
    /// with every `.hsl` file below the `src/` folder of the workspaces
    /// `roots` (0 hits when it never ran). File names are relative to the
    /// current folder when inside it.
    pub fn finish(&self, roots: &[PathBuf]) -> Result<(), String> {
        let Some(Format::Lcov) = self.coverage else {
            return Ok(());
        };
        let mut coverage = hsl_eval::coverage::finish();
        let dirs: Vec<PathBuf> = roots
            .iter()
            .map(|r| r.join("src"))
            .filter(|d| d.is_dir())
            .collect();
        for file in crate::files::collect(&dirs, &["hsl"]).files {
            coverage.add_file(&file);
        }
        let base = std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .unwrap_or_default();
        std::fs::write(&self.coverage_file, coverage.lcov(&base))
            .map_err(|e| format!("{}: {e}", self.coverage_file.display()))
    }
}
