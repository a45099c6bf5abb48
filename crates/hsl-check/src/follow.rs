//! Following a file's includes and imports: what each brings into the
//! environment, and the problems found on the way (missing targets, cycles,
//! names a module does not define). Includes are followed wherever they are
//! written (an `include` inside an `if` block runs when the block does), and
//! recursively, since an included file's code becomes part of the includer.

use crate::env::{collect_exports, unresolved_target, Env, Exports, Sources, UserFn};
use crate::rules::codes;
use hsl_syntax::ast::*;
use hsl_syntax::visit::{self, Visitor};
use hsl_syntax::Diagnostic;
use hsl_workspace::{self as workspace, Project, Target};
use std::path::{Path, PathBuf};

/// The walk over the include and import graph of one file.
pub(crate) struct Follow<'a> {
    project: &'a Project,
    sources: &'a dyn Sources,
    /// The files being followed, outermost first (to find cycles).
    visiting: Vec<PathBuf>,
}

impl<'a> Follow<'a> {
    /// A walk starting at the file `path`.
    pub(crate) fn new(project: &'a Project, sources: &'a dyn Sources, path: &Path) -> Self {
        Follow {
            project,
            sources,
            visiting: vec![workspace::normalize(path)],
        }
    }

    /// Follows every include and import of `program` (the file at `path`)
    /// into `env`, reporting problems into `diagnostics`.
    pub(crate) fn program(
        &mut self,
        program: &Program,
        path: &Path,
        env: &mut Env,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        for stmt in includes_and_imports(program) {
            let (spec, import) = match &stmt.kind {
                StmtKind::Include { path: p, .. } => (p, None),
                StmtKind::Import(i) => (&i.from, Some(i)),
                _ => continue,
            };
            if !spec.value.is_empty() {
                self.target(spec, import, path, env, diagnostics);
            }
        }
    }

    /// One include (`import` is `None`) or import of `spec` in `path`.
    fn target(
        &mut self,
        spec: &PathLit,
        import: Option<&Import>,
        path: &Path,
        env: &mut Env,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let data = import.is_some_and(|i| matches!(i.kind, ImportKind::Data { .. }));
        let file = match self.project.resolve(&spec.value, path) {
            // Data imports (JSON, CSV, text…) are only checked for existence.
            Target::File(_) if data => return,
            Target::File(f) => f,
            unresolved => {
                diagnostics.extend(unresolved_target(spec, &unresolved, self.project));
                provide_unknown(import, env);
                return;
            }
        };
        if let Some(pos) = self.visiting.iter().position(|v| *v == file) {
            diagnostics.push(self.cycle(spec, pos, &file));
            return;
        }
        let Some(dep) = self.sources.program(&file) else {
            return;
        };
        let mut exports = Exports::default();
        collect_exports(&dep, &file, &mut exports);
        match import.map(|i| &i.kind) {
            None => {
                env.user_functions.extend(exports.functions);
                env.user_classes.extend(exports.classes);
                env.assigned_at_start.extend(exports.variables);
                // The included code becomes part of this file: its own
                // includes and imports provide names here too.
                self.nested(&dep, &file, spec, env, diagnostics);
            }
            Some(ImportKind::Names(specs)) => {
                for s in specs {
                    import_name(s, spec, &exports, env, diagnostics);
                }
                // A module's own imports do not leak into the importer.
                self.nested(&dep, &file, spec, &mut env.scratch(), diagnostics);
            }
            Some(ImportKind::Namespace(n)) => {
                env.namespaces.insert(n.text.clone());
            }
            Some(ImportKind::Data { .. }) => {}
        }
    }

    /// Follows the dependency `dep` (at `file`, reached through `spec`);
    /// of its problems only a cycle is reported here, at `spec` (the
    /// others are reported when the dependency itself is checked).
    fn nested(
        &mut self,
        dep: &Program,
        file: &Path,
        spec: &PathLit,
        env: &mut Env,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        self.visiting.push(file.to_path_buf());
        let mut found = Vec::new();
        self.program(dep, file, env, &mut found);
        self.visiting.pop();
        diagnostics.extend(
            found
                .into_iter()
                .filter(|d| d.code == codes::INCLUDE_CYCLE)
                .take(1)
                .map(|d| Diagnostic {
                    span: spec.span,
                    message: format!("`{}` leads into an include cycle", spec.value),
                    ..d
                }),
        );
    }

    /// HSL112 for `spec`, which leads back to `visiting[pos]`.
    fn cycle(&self, spec: &PathLit, pos: usize, file: &Path) -> Diagnostic {
        let chain: Vec<String> = self.visiting[pos..]
            .iter()
            .map(PathBuf::as_path)
            .chain([file])
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        Diagnostic::error(
            codes::INCLUDE_CYCLE,
            spec.span,
            format!("`{}` includes itself", spec.value),
        )
        .with_label("cycle closes here")
        .with_help(format!("break the cycle {}", chain.join(" → ")))
    }
}

/// The include and import statements of `program` in source order, also
/// those inside blocks, branches, loops and function bodies.
fn includes_and_imports(program: &Program) -> Vec<&Stmt> {
    struct Collect<'ast>(Vec<&'ast Stmt>);
    impl<'ast> Visitor<'ast> for Collect<'ast> {
        fn visit_stmt(&mut self, s: &'ast Stmt) {
            match &s.kind {
                StmtKind::Include { .. } | StmtKind::Import(_) => self.0.push(s),
                _ => visit::walk_stmt(self, s),
            }
        }
        // Statements inside expressions (closure bodies) hold no includes
        // worth following; not descending keeps the walk to statements.
        fn visit_expr(&mut self, _: &'ast Expr) {}
    }
    let mut c = Collect(Vec::new());
    visit::walk_program(&mut c, program);
    c.0
}

/// What an include or import that cannot be read would have provided, so
/// that its names are not reported again as unknown.
fn provide_unknown(import: Option<&Import>, env: &mut Env) {
    match import.map(|i| &i.kind) {
        Some(ImportKind::Names(specs)) => {
            for s in specs {
                let local = s.local().text.clone();
                if s.is_var {
                    env.assigned_at_start.insert(local);
                } else {
                    env.user_functions.insert(local.clone(), UserFn::unknown());
                    env.user_classes.insert(local, UserFn::unknown());
                }
            }
        }
        Some(ImportKind::Namespace(n)) => {
            env.namespaces.insert(n.text.clone());
        }
        Some(ImportKind::Data { .. }) => {}
        None => env.incomplete = true,
    }
}

/// Brings the imported name `s` of the module `spec` (which defines
/// `exports`) into `env`, or reports HSL113 when the module lacks it.
fn import_name(
    s: &ImportSpec,
    spec: &PathLit,
    exports: &Exports,
    env: &mut Env,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let local = s.local().text.clone();
    if s.is_var {
        if exports.variables.contains(&s.name.text) {
            env.assigned_at_start.insert(local);
            return;
        }
    } else if let Some(f) = exports.functions.get(&s.name.text) {
        env.user_functions.insert(local, f.clone());
        return;
    } else if let Some(c) = exports.classes.get(&s.name.text) {
        env.user_classes.insert(local, c.clone());
        return;
    }
    let sigil = if s.is_var { "$" } else { "" };
    let mut names: Vec<String> = if s.is_var {
        exports.variables.iter().map(|v| format!("${v}")).collect()
    } else {
        exports
            .functions
            .keys()
            .chain(exports.classes.keys())
            .cloned()
            .collect()
    };
    names.sort();
    let wanted = format!("{sigil}{}", s.name.text);
    let help = match hsl_syntax::suggest::closest(&wanted, names.iter().map(String::as_str)) {
        Some(m) => format!("did you mean `{m}`?"),
        None if names.is_empty() => format!("`{}` exports nothing of this kind", spec.value),
        None => format!("it exports {}", names.join(", ")),
    };
    diagnostics.push(
        Diagnostic::error(
            codes::NOT_EXPORTED,
            s.name.span,
            format!("`{}` does not define `{wanted}`", spec.value),
        )
        .with_label("not exported")
        .with_help(help),
    );
    env.unresolved_imports.insert(local.clone());
    // Keep checking the rest of the file as if it existed.
    if s.is_var {
        env.assigned_at_start.insert(local);
    } else {
        env.user_functions.insert(local, UserFn::unknown());
    }
}
