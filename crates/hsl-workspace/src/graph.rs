//! The includers graph: which file includes or imports which, so that the
//! hooks a shared file runs in and the dependents of an edited file are
//! known.

use crate::layout::{hook_from_path, normalize};
use crate::paths::PathMap;
use crate::resolve::{Project, Target};
use hsl_catalog::Hook;
use hsl_syntax::ast::{ImportKind, PathLit, Program, Stmt, StmtKind};
use hsl_syntax::visit::{self, Visitor};
use hsl_syntax::{Mentions, Words};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// How a file names another one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    /// `include` / `include_once`: its code becomes part of the includer.
    Include,
    /// `import { … } from` / `import * as`: a module.
    Import,
    /// `import $x from "data.json"`: a data file.
    Data,
}

/// An `include` or `import` of a program (at any depth).
#[derive(Clone, Copy, Debug)]
pub struct Reference<'a> {
    /// The id as written, with its span.
    pub path: &'a PathLit,
    /// How it is used.
    pub kind: Use,
}

/// Every `include` and `import` of `program`, in source order, wherever it is.
pub fn references(program: &Program) -> Vec<Reference<'_>> {
    collect(program, None)
}

/// The ids a file includes or imports, as written, with how each is used.
pub type Uses = Vec<(String, Use)>;

/// The [`Uses`] of `program`, the parse of `source` (as
/// [`references_in`] finds them).
pub fn uses_in(program: &Program, source: &str) -> Uses {
    references_in(program, source)
        .iter()
        .map(|r| (r.path.value.clone(), r.kind))
        .collect()
}

/// [`references`] of `program`, the parse of `source`: the top-level
/// statements whose text holds no `include` or `import` past their start
/// are not walked into.
pub fn references_in<'a>(program: &'a Program, source: &str) -> Vec<Reference<'a>> {
    static USING: LazyLock<Words> = LazyLock::new(|| Words::new(&["include", "import"]));
    collect(program, Some(&Mentions::of(source, &USING)))
}

fn collect<'a>(program: &'a Program, mentions: Option<&Mentions>) -> Vec<Reference<'a>> {
    struct Collect<'a>(Vec<Reference<'a>>);
    impl<'a> Collect<'a> {
        fn note(&mut self, stmt: &'a Stmt) {
            match &stmt.kind {
                StmtKind::Include { path, .. } => self.0.push(Reference {
                    path,
                    kind: Use::Include,
                }),
                StmtKind::Import(i) => self.0.push(Reference {
                    path: &i.from,
                    kind: if matches!(i.kind, ImportKind::Data { .. }) {
                        Use::Data
                    } else {
                        Use::Import
                    },
                }),
                _ => {}
            }
        }
    }
    impl<'a> Visitor<'a> for Collect<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            self.note(stmt);
            visit::walk_stmt(self, stmt);
        }
    }
    let mut c = Collect(Vec::new());
    for s in &program.stmts {
        c.note(s);
        if mentions.is_none_or(|m| m.inside(s.span)) {
            visit::walk_stmt(&mut c, s);
        }
    }
    c.0
}

/// Who includes or imports whom in one workspace.
#[derive(Debug, Default)]
pub struct Graph {
    /// File → the scripts it includes or imports.
    uses: PathMap<Vec<PathBuf>>,
    /// File → the files that include or import it directly.
    used_by: PathMap<Vec<PathBuf>>,
    /// Shared file → the hooks whose scripts reach it.
    hooks: PathMap<BTreeSet<Hook>>,
}

impl Graph {
    /// The graph of every script of `project`'s workspace (`src/**.hsl`)
    /// and the scripts they reach; `load` gives the [`Uses`] of a file.
    /// The workspace's scripts are loaded in parallel (loading parses).
    pub fn build(project: &Project, load: &(dyn Fn(&Path) -> Option<Uses> + Sync)) -> Graph {
        let mut graph = Graph::default();
        let mut pending = Vec::new();
        if let Some(ws) = &project.workspace {
            collect_hsl(&ws.join("src"), &mut pending);
        }
        let loads: Vec<Option<Uses>> = pending.par_iter().map(|file| load(file)).collect();
        let mut found: PathMap<Option<Uses>> = pending.iter().cloned().zip(loads).collect();
        let hook_files: Vec<PathBuf> = pending
            .iter()
            .filter(|f| hook_from_path(f).is_some())
            .cloned()
            .collect();
        while let Some(file) = pending.pop() {
            if graph.uses.contains_key(&file) {
                continue;
            }
            let mut targets = Vec::new();
            // Scripts reached outside `src/` are loaded as they are met.
            let uses = found.remove(&file).unwrap_or_else(|| load(&file));
            if let Some(uses) = uses {
                for (id, kind) in uses {
                    if kind == Use::Data {
                        continue;
                    }
                    if let Target::File(t) = project.resolve(&id, &file) {
                        if !targets.contains(&t) {
                            targets.push(t);
                        }
                    }
                }
            }
            for t in &targets {
                graph
                    .used_by
                    .entry(t.clone())
                    .or_default()
                    .push(file.clone());
                pending.push(t.clone());
            }
            graph.uses.insert(file, targets);
        }
        for file in hook_files {
            let Some(hook) = hook_from_path(&file) else {
                continue;
            };
            for reached in graph.reach(&file, &graph.uses) {
                graph.hooks.entry(reached).or_default().insert(hook);
            }
        }
        graph
    }

    /// The files reachable from `file` along `edges` (not `file` itself).
    fn reach(&self, file: &Path, edges: &PathMap<Vec<PathBuf>>) -> BTreeSet<PathBuf> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![file.to_path_buf()];
        while let Some(current) = stack.pop() {
            for next in edges.get(&current).into_iter().flatten() {
                if next != file && seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    }

    /// The hooks whose scripts include or import `file` (directly or through
    /// other files).
    pub fn hooks_of(&self, file: &Path) -> Option<&BTreeSet<Hook>> {
        self.hooks.get(file)
    }

    /// Whether a script of the workspace includes or imports `file`.
    pub fn is_dependency(&self, file: &Path) -> bool {
        self.used_by.contains_key(file)
    }

    /// The scripts `file` includes or imports directly.
    pub fn dependencies(&self, file: &Path) -> &[PathBuf] {
        self.uses.get(file).map(Vec::as_slice).unwrap_or_default()
    }

    /// Every file that includes or imports `file`, directly or through other
    /// files: the files to check again after `file` changed.
    pub fn dependents(&self, file: &Path) -> BTreeSet<PathBuf> {
        self.reach(file, &self.used_by)
    }
}

/// The `.hsl` files below `dir`, normalized.
fn collect_hsl(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        // The entry's type comes with the listing; only a symlink needs a
        // look at what it points to.
        let is_dir = match e.file_type() {
            Ok(t) if !t.is_symlink() => t.is_dir(),
            _ => p.is_dir(),
        };
        if is_dir {
            collect_hsl(&p, out);
        } else if p.extension().is_some_and(|x| x == "hsl") {
            out.push(normalize(&p));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn hooks_and_dependents() {
        let dir = std::env::temp_dir().join(format!("hsl-graph-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let write = |rel: &str, text: &str| {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write("src/hooks/rcptto/in.hsl", "include \"a.hsl\";");
        write(
            "src/hooks/helo/in.hsl",
            "if (true) { import { f } from \"b\"; }",
        );
        write(
            "src/files/a.hsl",
            "include \"b.hsl\"; import $d from \"d.json\";",
        );
        write("src/files/b.hsl", "function f() {}");
        write("src/files/d.json", "{}");
        write("src/files/lonely.hsl", "");
        let dir = normalize(&std::path::absolute(&dir).unwrap());
        let project = Project::discover(&dir.join("src/hooks/rcptto/in.hsl"), &Config::default());
        let load = |p: &Path| {
            let text = std::fs::read_to_string(p).ok()?;
            Some(uses_in(&hsl_syntax::parse(&text).program, &text))
        };
        let graph = Graph::build(&project, &load);
        let files = dir.join("src/files");
        assert_eq!(
            graph.hooks_of(&files.join("b.hsl")),
            Some(&BTreeSet::from([Hook::Helo, Hook::RcptTo]))
        );
        assert_eq!(
            graph.hooks_of(&files.join("a.hsl")),
            Some(&BTreeSet::from([Hook::RcptTo]))
        );
        assert_eq!(graph.hooks_of(&files.join("lonely.hsl")), None);
        assert!(graph.is_dependency(&files.join("b.hsl")));
        assert!(!graph.is_dependency(&files.join("lonely.hsl")));
        assert!(!graph.is_dependency(&dir.join("src/hooks/rcptto/in.hsl")));
        assert_eq!(
            graph.dependents(&files.join("b.hsl")),
            BTreeSet::from([
                files.join("a.hsl"),
                dir.join("src/hooks/helo/in.hsl"),
                dir.join("src/hooks/rcptto/in.hsl"),
            ])
        );
        assert_eq!(
            graph.dependencies(&files.join("a.hsl")),
            [files.join("b.hsl")]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
