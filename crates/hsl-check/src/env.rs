//! What a file can see besides its own code: the hook's predefined
//! variables and functions, and what its includes and imports bring in.

use crate::rules::codes;
use hsl_catalog::{Catalog, Hook, Variable};
use hsl_syntax::ast::*;
use hsl_syntax::{Diagnostic, Severity};
use hsl_workspace::{self as workspace, Project, Target};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A user-defined function's arity and where it is declared.
#[derive(Clone, Debug)]
pub struct UserFn {
    /// Required parameters.
    pub min: usize,
    /// All parameters (`None` when variadic).
    pub max: Option<usize>,
    /// Declared in another file (include or import), when not this one.
    pub file: Option<PathBuf>,
}

impl UserFn {
    /// A function whose parameters are not known (from a plugin module).
    fn unknown() -> UserFn {
        UserFn {
            min: 0,
            max: None,
            file: None,
        }
    }

    fn of(params: &[Param], file: Option<PathBuf>) -> UserFn {
        UserFn {
            min: params
                .iter()
                .filter(|p| p.default.is_none() && !p.variadic)
                .count(),
            max: (!params.iter().any(|p| p.variadic)).then_some(params.len()),
            file,
        }
    }
}

/// The environment one file is checked in.
pub struct Env {
    /// The catalog of the Halon version in use.
    pub catalog: &'static Catalog,
    /// The hook, or `None` for a plain file.
    pub hook: Option<Hook>,
    /// Functions declared in the file, its includes and its imports.
    pub user_functions: HashMap<String, UserFn>,
    /// Classes declared in the file, its includes and imports (constructor arity).
    pub user_classes: HashMap<String, UserFn>,
    /// `import * as ns` names.
    pub namespaces: HashSet<String>,
    /// Variables assigned before the first statement (by includes, imports).
    pub assigned_at_start: HashSet<String>,
    /// Names declared `global` anywhere in the file.
    pub globals_used: HashSet<String>,
    /// Imported names the module does not define (already reported).
    pub unresolved_imports: HashSet<String>,
    /// An include could not be read: names it may declare are not reported
    /// as unknown.
    pub incomplete: bool,
    /// Whether the file is a hook script (not a shared file): its unused
    /// top-level variables and functions are reported.
    pub is_hook_file: bool,
}

impl Env {
    /// A predefined variable of the hook (`name` without `$`).
    pub fn predefined(&self, name: &str) -> Option<&'static Variable> {
        self.catalog.variable(&format!("${name}"), self.hook)
    }

    /// Whether a class of this name exists (user or catalog).
    pub fn class_exists(&self, name: &str) -> bool {
        self.user_classes.contains_key(name) || self.catalog.class(name, self.hook).is_some()
    }
}

/// Parsed dependency files, shared by all checks of one run.
pub trait Sources {
    /// The program of `path`, parsed once.
    fn program(&self, path: &Path) -> Option<std::sync::Arc<Program>>;
}

/// Top-level declarations and assignments of a dependency.
#[derive(Default)]
struct Exports {
    functions: HashMap<String, UserFn>,
    classes: HashMap<String, UserFn>,
    variables: HashSet<String>,
}

fn collect_exports(program: &Program, file: &Path, out: &mut Exports) {
    for s in &program.stmts {
        match &s.kind {
            StmtKind::Function(f) => {
                out.functions.insert(
                    f.name.text.clone(),
                    UserFn::of(&f.params, Some(file.to_path_buf())),
                );
            }
            StmtKind::Class(c) => {
                let ctor = c.members.iter().find_map(|m| match &m.kind {
                    MemberKind::Constructor { params, .. } => Some(params.as_slice()),
                    _ => None,
                });
                out.classes.insert(
                    c.name.text.clone(),
                    UserFn::of(ctor.unwrap_or_default(), Some(file.to_path_buf())),
                );
            }
            StmtKind::Expr(e) => {
                if let ExprKind::Assign { target, .. } = &e.kind {
                    if let Some((root, _)) = target.root_var() {
                        out.variables.insert(root.to_string());
                    }
                }
            }
            StmtKind::Import(i) => {
                if let ImportKind::Names(specs) = &i.kind {
                    for spec in specs {
                        let local = spec.local().text.clone();
                        if spec.is_var {
                            out.variables.insert(local);
                        } else {
                            out.functions.insert(local, UserFn::unknown());
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Builds the environment of `program` at `path`, reporting include and
/// import problems (missing targets, cycles, names a module does not export).
pub fn build(
    program: &Program,
    path: &Path,
    project: &Project,
    catalog: &'static Catalog,
    hook: Option<Hook>,
    sources: &dyn Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Env {
    let mut env = Env {
        catalog,
        hook,
        user_functions: HashMap::new(),
        user_classes: HashMap::new(),
        namespaces: HashSet::new(),
        assigned_at_start: HashSet::new(),
        globals_used: HashSet::new(),
        unresolved_imports: HashSet::new(),
        incomplete: false,
        is_hook_file: hook.is_some()
            && (workspace::hook_from_path(path).is_some() || project.workspace.is_none()),
    };
    let mut own = Exports::default();
    collect_nested(&program.stmts, &mut own);
    let mut visiting = vec![workspace::normalize(path)];
    follow(
        program,
        path,
        project,
        sources,
        &mut env,
        &mut visiting,
        diagnostics,
        true,
    );
    env.user_functions.extend(own.functions);
    env.user_classes.extend(own.classes);
    env.globals_used = globals(program);
    env
}

/// Functions and classes declared anywhere in the file (also nested).
fn collect_nested(stmts: &[Stmt], out: &mut Exports) {
    struct V<'a>(&'a mut Exports);
    impl hsl_syntax::visit::Visitor<'_> for V<'_> {
        fn visit_stmt(&mut self, s: &Stmt) {
            match &s.kind {
                StmtKind::Function(f) => {
                    self.0
                        .functions
                        .insert(f.name.text.clone(), UserFn::of(&f.params, None));
                }
                StmtKind::Class(c) => {
                    let ctor = c.members.iter().find_map(|m| match &m.kind {
                        MemberKind::Constructor { params, .. } => Some(params.as_slice()),
                        _ => None,
                    });
                    self.0.classes.insert(
                        c.name.text.clone(),
                        UserFn::of(ctor.unwrap_or_default(), None),
                    );
                }
                _ => {}
            }
            hsl_syntax::visit::walk_stmt(self, s);
        }
    }
    let mut v = V(out);
    for s in stmts {
        hsl_syntax::visit::Visitor::visit_stmt(&mut v, s);
    }
}

fn globals(program: &Program) -> HashSet<String> {
    struct V(HashSet<String>);
    impl hsl_syntax::visit::Visitor<'_> for V {
        fn visit_stmt(&mut self, s: &Stmt) {
            if let StmtKind::Global(names) = &s.kind {
                self.0.extend(names.iter().map(|n| n.text.clone()));
            }
            hsl_syntax::visit::walk_stmt(self, s);
        }
    }
    let mut v = V(HashSet::new());
    hsl_syntax::visit::walk_program(&mut v, program);
    v.0
}

/// Follows the includes and imports of `program` (recursively for includes,
/// whose code becomes part of the includer).
#[allow(clippy::too_many_arguments)]
fn follow(
    program: &Program,
    path: &Path,
    project: &Project,
    sources: &dyn Sources,
    env: &mut Env,
    visiting: &mut Vec<PathBuf>,
    diagnostics: &mut Vec<Diagnostic>,
    report: bool,
) {
    for stmt in &program.stmts {
        let (spec, import) = match &stmt.kind {
            StmtKind::Include { path: p, .. } => (p, None),
            StmtKind::Import(i) => (&i.from, Some(i)),
            _ => continue,
        };
        if spec.value.is_empty() {
            continue;
        }
        let data = import.is_some_and(|i| matches!(i.kind, ImportKind::Data { .. }));
        let file = match project.resolve(&spec.value, path) {
            // Data imports (JSON, CSV, text…) are only checked for existence.
            Target::File(_) if data => continue,
            Target::File(f) => f,
            unresolved => {
                if report {
                    diagnostics.extend(unresolved_target(spec, &unresolved, project));
                }
                // What it would have provided is not reported again.
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
                continue;
            }
        };
        if let Some(pos) = visiting.iter().position(|v| *v == file) {
            if report {
                let chain: Vec<String> = visiting[pos..]
                    .iter()
                    .chain([&file])
                    .map(|p| {
                        p.file_name()
                            .unwrap_or_default()
                            .to_string_lossy()
                            .into_owned()
                    })
                    .collect();
                diagnostics.push(
                    Diagnostic::error(
                        codes::INCLUDE_CYCLE,
                        spec.span,
                        format!("`{}` includes itself", spec.value),
                    )
                    .with_label("cycle closes here")
                    .with_help(format!("break the cycle {}", chain.join(" → "))),
                );
            }
            continue;
        }
        let Some(dep) = sources.program(&file) else {
            continue;
        };
        match import.map(|i| &i.kind) {
            None => {
                let mut exports = Exports::default();
                collect_exports(&dep, &file, &mut exports);
                env.user_functions.extend(exports.functions);
                env.user_classes.extend(exports.classes);
                env.assigned_at_start.extend(exports.variables);
                visiting.push(file.clone());
                let mut nested = Vec::new();
                follow(
                    &dep,
                    &file,
                    project,
                    sources,
                    env,
                    visiting,
                    &mut nested,
                    true,
                );
                visiting.pop();
                if report {
                    diagnostics.extend(cycles_at(nested, spec));
                }
            }
            Some(ImportKind::Names(specs)) => {
                let mut exports = Exports::default();
                collect_exports(&dep, &file, &mut exports);
                for s in specs {
                    let local = s.local().text.clone();
                    if s.is_var {
                        if exports.variables.contains(&s.name.text) {
                            env.assigned_at_start.insert(local);
                            continue;
                        }
                    } else if let Some(f) = exports.functions.get(&s.name.text) {
                        env.user_functions.insert(local, f.clone());
                        continue;
                    } else if let Some(c) = exports.classes.get(&s.name.text) {
                        env.user_classes.insert(local, c.clone());
                        continue;
                    }
                    if report {
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
                        let help = match hsl_syntax::suggest::closest(
                            &wanted,
                            names.iter().map(String::as_str),
                        ) {
                            Some(m) => format!("did you mean `{m}`?"),
                            None if names.is_empty() => {
                                format!("`{}` exports nothing of this kind", spec.value)
                            }
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
                    }
                    env.unresolved_imports.insert(local.clone());
                    // Keep checking the rest of the file as if it existed.
                    if s.is_var {
                        env.assigned_at_start.insert(local);
                    } else {
                        env.user_functions.insert(local, UserFn::unknown());
                    }
                }
                visiting.push(file.clone());
                let mut nested = Vec::new();
                follow(
                    &dep,
                    &file,
                    project,
                    sources,
                    &mut scratch_env(env),
                    visiting,
                    &mut nested,
                    true,
                );
                visiting.pop();
                if report {
                    diagnostics.extend(cycles_at(nested, spec));
                }
            }
            Some(ImportKind::Namespace(n)) => {
                env.namespaces.insert(n.text.clone());
            }
            Some(ImportKind::Data { .. }) => {}
        }
    }
}

/// The first cycle found below an include or import, reported at its file
/// name (other problems of a dependency are reported when it is checked).
fn cycles_at(nested: Vec<Diagnostic>, spec: &PathLit) -> impl Iterator<Item = Diagnostic> + '_ {
    nested
        .into_iter()
        .filter(|d| d.code == codes::INCLUDE_CYCLE)
        .take(1)
        .map(|d| Diagnostic {
            span: spec.span,
            message: format!("`{}` leads into an include cycle", spec.value),
            ..d
        })
}

/// An environment for following a module's own imports (its names do not
/// leak into the importer).
fn scratch_env(env: &Env) -> Env {
    Env {
        catalog: env.catalog,
        hook: env.hook,
        user_functions: HashMap::new(),
        user_classes: HashMap::new(),
        namespaces: HashSet::new(),
        assigned_at_start: HashSet::new(),
        globals_used: HashSet::new(),
        unresolved_imports: HashSet::new(),
        incomplete: false,
        is_hook_file: false,
    }
}

/// The diagnostic of an include or import that cannot be read: a missing
/// file or a path outside the project is an error, an `extras://` module
/// that is not installed a note.
fn unresolved_target(spec: &PathLit, target: &Target, project: &Project) -> Option<Diagnostic> {
    // Show paths relative to the project, so messages do not depend on
    // where it is.
    let base = project.workspace.as_deref().or(project.root.as_deref());
    let shown = |p: &Path| {
        base.and_then(|r| p.strip_prefix(r).ok())
            .unwrap_or(p)
            .display()
            .to_string()
    };
    let d = match target {
        Target::Extras(name) => Diagnostic::new(
            codes::MISSING_FILE,
            Severity::Hint,
            spec.span,
            format!("`extras://{name}` is not installed here: it is not checked"),
        )
        .with_label("not checked")
        .with_help(format!(
            "list a folder holding `{name}/main.hsl` in `extras = [\"…\"]` of hsl.toml"
        )),
        Target::Outside(path) => Diagnostic::error(
            codes::MISSING_FILE,
            spec.span,
            format!("`{}` is outside the project", spec.value),
        )
        .with_label(format!("points to {}", path.display()))
        .with_help(match &project.root {
            Some(root) => format!(
                "include and import files below the project root {}",
                root.display()
            ),
            None => "include and import files of the project".to_string(),
        }),
        Target::Missing(tried) => {
            let tried: Vec<String> = tried.iter().map(|p| shown(p)).collect();
            Diagnostic::error(
                codes::MISSING_FILE,
                spec.span,
                format!("cannot find `{}`", spec.value),
            )
            .with_label("no such file")
            .with_help(if tried.is_empty() {
                "file ids are relative to the workspace's src/files directory".to_string()
            } else {
                format!("looked for {}", tried.join(", "))
            })
        }
        Target::File(_) => return None,
    };
    Some(d)
}
