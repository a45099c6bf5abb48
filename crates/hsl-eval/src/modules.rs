//! Files reached through `include`, `include_once` and `import`, loaded
//! before the script runs (their names are literals), resolved the way
//! `hsl check` resolves them: scripts are parsed, data-import files kept
//! as bytes until the import decodes them.

use crate::RuntimeError;
use hsl_syntax::ast::Program;
use hsl_syntax::{LineIndex, Span};
use hsl_workspace::{Config, Project, Target, Use};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Every file the entry script can reach.
#[derive(Default, Debug)]
pub struct Modules {
    /// Parsed scripts.
    files: HashMap<PathBuf, Program>,
    /// Source text of every script (the entry one too), for positions.
    texts: HashMap<PathBuf, String>,
    /// Contents of data-import files.
    data: HashMap<PathBuf, Vec<u8>>,
    /// (including file, spec) → resolved file.
    links: HashMap<(PathBuf, String), PathBuf>,
}

/// A file name written in a script, and how it is used.
struct Spec {
    text: String,
    span: Span,
    data: bool,
}

impl Modules {
    /// Loads everything reachable from `program` (the text `source` at
    /// `path`). Missing files are left out (running the include then fails
    /// with a clear message); a script with a syntax error or a file that
    /// cannot be read is an error at its position.
    pub fn load(program: &Program, source: &str, path: &Path) -> Result<Modules, RuntimeError> {
        let mut m = Modules::default();
        m.add_text(path, source);
        let project = Project::discover(path, &Config::find(path).unwrap_or_default());
        let mut queue = vec![(path.to_path_buf(), specs(program))];
        while let Some((from, pending)) = queue.pop() {
            for spec in pending {
                let file = match project.resolve(&spec.text, &from) {
                    Target::File(file) => file,
                    Target::Outside(path) => {
                        let message = format!(
                            "`{}` is outside the project root ({}): include, import and data-import paths are confined to it",
                            spec.text,
                            path.display()
                        );
                        return Err(m.error(&from, spec.span.start as usize, message));
                    }
                    _ => continue,
                };
                m.links
                    .insert((from.clone(), spec.text.clone()), file.clone());
                if m.files.contains_key(&file) || m.data.contains_key(&file) {
                    continue;
                }
                let bytes = hsl_syntax::read_file(&file, hsl_syntax::DEFAULT_MAX_FILE_SIZE)
                    .map_err(|e| {
                        m.error(
                            &from,
                            spec.span.start as usize,
                            format!("cannot read `{}`: {e}", file.display()),
                        )
                    })?;
                if spec.data {
                    m.data.insert(file, bytes);
                    continue;
                }
                let text = hsl_syntax::decode(&bytes).0.into_owned();
                let parse = hsl_syntax::parse(&text);
                m.texts.insert(file.clone(), text);
                if let Some(d) = parse
                    .diagnostics
                    .iter()
                    .find(|d| d.severity == hsl_syntax::Severity::Error)
                {
                    let message = format!("{} [{}]", d.message, d.code);
                    return Err(m.error(&file, d.span.start as usize, message));
                }
                queue.push((file.clone(), specs(&parse.program)));
                m.files.insert(file, parse.program);
            }
        }
        Ok(m)
    }

    /// The script `spec` (written in `from`) resolved to, with its program.
    pub fn get(&self, from: &Path, spec: &str) -> Option<(&Path, &Program)> {
        let file = self.links.get(&(from.to_path_buf(), spec.to_string()))?;
        Some((file.as_path(), self.files.get(file)?))
    }

    /// The data file `spec` (written in `from`) resolved to, with its bytes.
    pub fn data(&self, from: &Path, spec: &str) -> Option<(&Path, &[u8])> {
        let file = self.links.get(&(from.to_path_buf(), spec.to_string()))?;
        Some((file.as_path(), self.data.get(file)?))
    }

    /// Every script loaded (the entry script too).
    pub fn scripts(&self) -> impl Iterator<Item = &Path> {
        self.texts.keys().map(PathBuf::as_path)
    }

    /// Keeps the text of the script at `path`, for positions.
    pub fn add_text(&mut self, path: &Path, text: &str) {
        self.texts.insert(path.to_path_buf(), text.to_string());
    }

    /// An error at byte `offset` of the loaded script `file`.
    pub fn error(&self, file: &Path, offset: usize, message: String) -> RuntimeError {
        let (line, column) = self.position(file, offset).unwrap_or((1, 1));
        RuntimeError {
            message,
            file: file.display().to_string(),
            line,
            column,
        }
    }

    /// The 1-based line and column of byte `offset` of the loaded script
    /// `file`.
    pub fn position(&self, file: &Path, offset: usize) -> Option<(u32, u32)> {
        let text = self.texts.get(file)?;
        let lc = LineIndex::new(text).line_col(text, offset.min(text.len()));
        Some((lc.line + 1, lc.column + 1))
    }
}

fn specs(program: &Program) -> Vec<Spec> {
    hsl_workspace::references(program)
        .into_iter()
        .map(|r| Spec {
            text: r.path.value.clone(),
            span: r.path.span,
            data: r.kind == Use::Data,
        })
        .collect()
}
