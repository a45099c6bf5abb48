//! Files reached through `include`, `include_once` and `import`, loaded and
//! parsed before the script runs (their names are literals), resolved the
//! way `hsl check` resolves them.

use hsl_check::context::{self, Target};
use hsl_syntax::ast::{Program, StmtKind};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Every file the entry script can reach, parsed.
#[derive(Default, Debug)]
pub struct Modules {
    files: HashMap<PathBuf, Program>,
    /// (including file, spec) → resolved file.
    links: HashMap<(PathBuf, String), PathBuf>,
}

impl Modules {
    /// Loads everything reachable from `program` at `path` (missing files
    /// are left out; running the include then fails with a clear message).
    pub fn load(program: &Program, path: &Path) -> Result<Modules, String> {
        let mut m = Modules::default();
        let root = context::workspace_root(path);
        let mut queue = vec![(path.to_path_buf(), specs(program))];
        while let Some((from, pending)) = queue.pop() {
            for spec in pending {
                let Target::File(file) = context::resolve(&spec, &from, root.as_deref()) else {
                    continue;
                };
                m.links.insert((from.clone(), spec), file.clone());
                if m.files.contains_key(&file) {
                    continue;
                }
                let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
                let (text, _) = hsl_syntax::decode(&bytes);
                let parse = hsl_syntax::parse(&text);
                if let Some(d) = parse
                    .diagnostics
                    .iter()
                    .find(|d| d.severity == hsl_syntax::Severity::Error)
                {
                    return Err(format!("{}: {} [{}]", file.display(), d.message, d.code));
                }
                queue.push((file.clone(), specs(&parse.program)));
                m.files.insert(file, parse.program);
            }
        }
        Ok(m)
    }

    /// The file `spec` (written in `from`) resolved to, with its program.
    pub fn get(&self, from: &Path, spec: &str) -> Option<(&Path, &Program)> {
        let file = self.links.get(&(from.to_path_buf(), spec.to_string()))?;
        Some((file.as_path(), self.files.get(file)?))
    }
}

fn specs(program: &Program) -> Vec<String> {
    let mut out = Vec::new();
    collect(&program.stmts, &mut out);
    out
}

fn collect(stmts: &[hsl_syntax::ast::Stmt], out: &mut Vec<String>) {
    for s in stmts {
        match &s.kind {
            StmtKind::Include { path, .. } => out.push(path.value.clone()),
            StmtKind::Import(i) => out.push(i.from.value.clone()),
            StmtKind::Function(f) => collect(&f.body.stmts, out),
            StmtKind::Block(b) => collect(&b.stmts, out),
            _ => {}
        }
    }
}
