//! Line and branch coverage of the scripts a thread runs, written in the
//! `lcov` tracefile format (`lcov.info`) that coverage viewers and CI
//! services read.
//!
//! [`start`] turns recording on for the current thread: every interpreter
//! created afterwards on it counts the statements it runs and which way
//! each `if` went, and adds its counts to the thread's [`Coverage`] when it
//! is dropped, so all hooks and included files of a suite accumulate into
//! one report. [`finish`] turns recording off and returns the report. When
//! recording is off an interpreter pays one branch per statement.
//!
//! Lines are those where a statement other than a block, a declaration or
//! an empty statement starts; a line's count is the largest count of the
//! statements starting on it. Each `if` has two branches: 0 (the condition
//! held) and 1 (it did not, with or without an `else`).

use hsl_syntax::ast::{Stmt, StmtKind};
use hsl_syntax::LineIndex;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Counts of one file, by byte offset of the statement.
#[derive(Clone, Debug, Default)]
pub(crate) struct FileHits {
    /// Runs of each statement.
    statements: rustc_hash::FxHashMap<u32, u64>,
    /// For each `if`, how often each branch was taken.
    branches: rustc_hash::FxHashMap<u32, [u64; 2]>,
}

impl FileHits {
    fn add(&mut self, other: FileHits) {
        for (k, n) in other.statements {
            *self.statements.entry(k).or_default() += n;
        }
        for (k, [a, b]) in other.branches {
            let e = self.branches.entry(k).or_default();
            e[0] += a;
            e[1] += b;
        }
    }
}

/// What one interpreter ran, by file index.
#[derive(Default)]
pub(crate) struct Recorder {
    files: Vec<FileHits>,
}

impl Recorder {
    #[inline]
    fn file(&mut self, file: usize) -> &mut FileHits {
        if file >= self.files.len() {
            self.files.resize_with(file + 1, FileHits::default);
        }
        &mut self.files[file]
    }

    /// Counts one run of the statement at `offset` of file `file`.
    pub(crate) fn statement(&mut self, file: usize, offset: u32) {
        *self.file(file).statements.entry(offset).or_default() += 1;
    }

    /// Counts `branch` (0: then, 1: else) of the `if` at `offset` of `file`.
    pub(crate) fn branch(&mut self, file: usize, offset: u32, branch: usize) {
        self.file(file).branches.entry(offset).or_default()[branch] += 1;
    }

    /// The counts of file index `file` (none if it did not run).
    pub(crate) fn take(&mut self, file: usize) -> FileHits {
        self.files
            .get_mut(file)
            .map(std::mem::take)
            .unwrap_or_default()
    }
}

/// The coverage collected on a thread: counts by file.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    files: BTreeMap<PathBuf, FileHits>,
}

thread_local! {
    static COLLECTED: RefCell<Option<Coverage>> = const { RefCell::new(None) };
}

/// Starts recording coverage on this thread (from nothing).
pub fn start() {
    COLLECTED.with(|c| *c.borrow_mut() = Some(Coverage::default()));
}

/// Stops recording on this thread and returns what was recorded (empty if
/// recording was not on).
pub fn finish() -> Coverage {
    COLLECTED
        .with(|c| c.borrow_mut().take())
        .unwrap_or_default()
}

/// Whether this thread records coverage.
pub(crate) fn recording() -> bool {
    COLLECTED.with(|c| c.borrow().is_some())
}

/// Adds the counts of an interpreter's files (by path) to the thread's
/// coverage; files that were loaded but did not run come with no counts.
pub(crate) fn merge(files: impl IntoIterator<Item = (PathBuf, FileHits)>) {
    COLLECTED.with(|c| {
        if let Some(coverage) = c.borrow_mut().as_mut() {
            for (path, hits) in files {
                let key = std::fs::canonicalize(&path).unwrap_or(path);
                coverage.files.entry(key).or_default().add(hits);
            }
        }
    });
}

impl Coverage {
    /// Includes `path` in the report, with no counts if it never ran.
    pub fn add_file(&mut self, path: &Path) {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.files.entry(key).or_default();
    }

    /// The report in the `lcov` tracefile format, one record per file (in
    /// path order). File names are relative to `base` when inside it. A file
    /// that cannot be read or parsed is left out.
    pub fn lcov(&self, base: &Path) -> String {
        let mut out = String::new();
        for (path, hits) in &self.files {
            let Ok(bytes) = hsl_syntax::read_file(path, hsl_syntax::DEFAULT_MAX_FILE_SIZE) else {
                continue;
            };
            let text = hsl_syntax::decode(&bytes).0;
            let parse = hsl_syntax::parse(&text);
            let mut points = Points::default();
            hsl_syntax::visit::walk_program(&mut points, &parse.program);
            let index = LineIndex::new(&text);
            let line = |offset: u32| index.line_of(offset as usize) + 1;
            let name = path.strip_prefix(base).unwrap_or(path);
            let _ = writeln!(out, "TN:\nSF:{}", name.display());
            // Branches: per line, the `if`s in order of position.
            let (mut found, mut hit) = (0, 0);
            let mut last_line = 0;
            let mut block = 0;
            for &offset in &points.ifs {
                let at = line(offset);
                block = if at == last_line { block + 1 } else { 0 };
                last_line = at;
                for (branch, taken) in [0, 1].into_iter().zip(match hits.branches.get(&offset) {
                    Some(counts) => counts.map(Some),
                    None => [None, None],
                }) {
                    found += 1;
                    let taken = match taken {
                        Some(n) => {
                            hit += usize::from(n > 0);
                            n.to_string()
                        }
                        None => "-".to_string(),
                    };
                    let _ = writeln!(out, "BRDA:{at},{block},{branch},{taken}");
                }
            }
            let _ = writeln!(out, "BRF:{found}\nBRH:{hit}");
            let mut lines: BTreeMap<usize, u64> = BTreeMap::new();
            for &offset in &points.statements {
                let n = hits.statements.get(&offset).copied().unwrap_or(0);
                let e = lines.entry(line(offset)).or_default();
                *e = (*e).max(n);
            }
            for (at, n) in &lines {
                let _ = writeln!(out, "DA:{at},{n}");
            }
            let covered = lines.values().filter(|&&n| n > 0).count();
            let _ = writeln!(out, "LF:{}\nLH:{covered}\nend_of_record", lines.len());
        }
        out
    }
}

/// The offsets of the statements that count for lines, and of the `if`s.
#[derive(Default)]
struct Points {
    statements: Vec<u32>,
    ifs: Vec<u32>,
}

impl<'p> hsl_syntax::visit::Visitor<'p> for Points {
    fn visit_stmt(&mut self, stmt: &'p Stmt) {
        if counts(stmt) {
            self.statements.push(stmt.span.start);
        }
        if matches!(stmt.kind, StmtKind::If { .. }) {
            self.ifs.push(stmt.span.start);
        }
        hsl_syntax::visit::walk_stmt(self, stmt);
    }
}

/// Whether a statement is a line of its own for coverage (not a block, a
/// declaration, an empty statement or a syntax error).
fn counts(stmt: &Stmt) -> bool {
    !matches!(
        stmt.kind,
        StmtKind::Block(_)
            | StmtKind::Empty
            | StmtKind::Function(_)
            | StmtKind::Class(_)
            | StmtKind::Error
    )
}
