//! What a file can see besides its own code: the hook's predefined
//! variables and functions, and what its includes and imports bring in.

use crate::declared::{constructor, Declared};
use crate::follow::Follow;
use crate::rules::codes;
use crate::workspace::{FileContext, Role};
use hsl_catalog::{Catalog, Hook, Variable};
use hsl_syntax::ast::*;
use hsl_syntax::{Diagnostic, Severity};
use hsl_workspace::{Project, Target};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

/// A user-defined function's arity and where it is declared.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    pub(crate) fn unknown() -> UserFn {
        UserFn {
            min: 0,
            max: None,
            file: None,
        }
    }

    pub(crate) fn of(params: &[Param], file: Option<PathBuf>) -> UserFn {
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
#[derive(Clone)]
pub struct Env {
    /// The catalog of the Halon version in use.
    pub catalog: &'static Catalog,
    /// The hook, or `None` for a plain file.
    pub hook: Option<Hook>,
    /// The hook's predefined variables by name (without `$`): the model asks
    /// about every variable it meets.
    predefined: HashMap<&'static str, &'static Variable>,
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
    /// A file of a workspace that no hook script reaches: the functions of
    /// every hook are accepted.
    pub any_hook: bool,
}

impl PartialEq for Env {
    /// The same catalog (by identity) and the same names and flags.
    fn eq(&self, other: &Env) -> bool {
        let Env {
            catalog,
            hook,
            // Made from the catalog and the hook.
            predefined: _,
            user_functions,
            user_classes,
            namespaces,
            assigned_at_start,
            globals_used,
            unresolved_imports,
            incomplete,
            is_hook_file,
            any_hook,
        } = self;
        std::ptr::eq(*catalog, other.catalog)
            && *hook == other.hook
            && *user_functions == other.user_functions
            && *user_classes == other.user_classes
            && *namespaces == other.namespaces
            && *assigned_at_start == other.assigned_at_start
            && *globals_used == other.globals_used
            && *unresolved_imports == other.unresolved_imports
            && *incomplete == other.incomplete
            && *is_hook_file == other.is_hook_file
            && *any_hook == other.any_hook
    }
}

impl Env {
    /// A predefined variable of the hook (`name` without `$`).
    pub fn predefined(&self, name: &str) -> Option<&'static Variable> {
        self.predefined.get(name).copied()
    }

    /// Whether a class of this name exists (user or catalog).
    pub fn class_exists(&self, name: &str) -> bool {
        self.user_classes.contains_key(name) || self.catalog.class(name, self.hook).is_some()
    }

    /// An environment of `catalog` and `hook` with nothing declared yet.
    fn empty(catalog: &'static Catalog, hook: Option<Hook>) -> Env {
        let mut predefined = HashMap::default();
        for v in catalog.variables(hook) {
            if let Some(name) = v.name.strip_prefix('$') {
                // The first of a name counts, as in `Catalog::predefined`.
                predefined.entry(name).or_insert(v);
            }
        }
        Env {
            catalog,
            hook,
            predefined,
            user_functions: HashMap::default(),
            user_classes: HashMap::default(),
            namespaces: HashSet::default(),
            assigned_at_start: HashSet::default(),
            globals_used: HashSet::default(),
            unresolved_imports: HashSet::default(),
            incomplete: false,
            is_hook_file: false,
            any_hook: false,
        }
    }

    /// An empty environment of the same catalog and hook, for following a
    /// module's own imports (its names do not leak into the importer).
    pub(crate) fn scratch(&self) -> Env {
        Env {
            any_hook: self.any_hook,
            ..Env::empty(self.catalog, self.hook)
        }
    }
}

/// Parsed dependency files, shared by all checks of one run.
pub trait Sources {
    /// The program of `path`, parsed once.
    fn program(&self, path: &Path) -> Option<std::sync::Arc<Program>>;
}

/// Top-level declarations and assignments of a dependency.
#[derive(Default)]
pub(crate) struct Exports {
    pub(crate) functions: HashMap<String, UserFn>,
    pub(crate) classes: HashMap<String, UserFn>,
    pub(crate) variables: HashSet<String>,
}

pub(crate) fn collect_exports(program: &Program, file: &Path, out: &mut Exports) {
    for s in &program.stmts {
        match &s.kind {
            StmtKind::Function(f) => {
                out.functions.insert(
                    f.name.text.clone(),
                    UserFn::of(&f.params, Some(file.to_path_buf())),
                );
            }
            StmtKind::Class(c) => {
                out.classes.insert(
                    c.name.text.clone(),
                    UserFn::of(constructor(c), Some(file.to_path_buf())),
                );
            }
            StmtKind::Expr(e) => {
                if let ExprKind::Assign { target, .. } = &e.kind {
                    if let Some((root, _)) = target.root_var() {
                        out.variables.insert(root.to_string());
                    }
                }
            }
            StmtKind::Import(i) => match &i.kind {
                ImportKind::Names(specs) => {
                    for spec in specs {
                        let local = spec.local().text.clone();
                        if spec.is_var {
                            out.variables.insert(local);
                        } else {
                            out.functions.insert(local, UserFn::unknown());
                        }
                    }
                }
                ImportKind::Data { var, .. } => {
                    out.variables.insert(var.text.clone());
                }
                ImportKind::Namespace(_) => {}
            },
            _ => {}
        }
    }
}

/// Builds the environment of `program` at `path` (which declares
/// `declared`), reporting include and import problems (missing targets,
/// cycles, names a module does not export).
pub fn build(
    program: &Program,
    declared: &Declared,
    path: &Path,
    ctx: &FileContext,
    hook: Option<Hook>,
    sources: &dyn Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Env {
    let mut env = Env {
        is_hook_file: ctx.role == Role::Hook,
        any_hook: ctx.role == Role::Unhooked,
        ..Env::empty(ctx.catalog, hook)
    };
    Follow::new(&ctx.project, sources, path).program(program, path, &mut env, diagnostics);
    let own = |(k, v): (&String, &UserFn)| (k.clone(), v.clone());
    let names = declared.names();
    env.user_functions.extend(names.functions.iter().map(own));
    env.user_classes.extend(names.classes.iter().map(own));
    env.globals_used = names.globals.clone();
    env
}

/// The diagnostic of an include or import that cannot be read: a missing
/// file or a path outside the project is an error, an `extras://` module
/// that is not installed a note.
pub(crate) fn unresolved_target(
    spec: &PathLit,
    target: &Target,
    project: &Project,
) -> Option<Diagnostic> {
    // Show paths relative to the project, so messages do not depend on
    // where it is.
    let shown = |p: &Path| {
        [&project.workspace, &project.root]
            .into_iter()
            .flatten()
            .find_map(|base| p.strip_prefix(base).ok())
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

#[cfg(test)]
mod tests {
    use super::*;
    use hsl_catalog::HalonVersion;

    #[test]
    fn predefined_variables_are_the_catalogs() {
        let catalog = Catalog::get(HalonVersion::default());
        for hook in Hook::ALL.map(Some).into_iter().chain([None]) {
            let env = Env::empty(catalog, hook);
            for v in catalog.variables(hook) {
                let name = &v.name[1..];
                let expected = catalog.predefined(name, hook).map(std::ptr::from_ref);
                assert_eq!(env.predefined(name).map(std::ptr::from_ref), expected);
            }
            assert!(env.predefined("no_such_variable").is_none());
            assert_eq!(env.predefined.len(), catalog.variables(hook).count());
        }
        let rcptto = Env::empty(catalog, Some(Hook::RcptTo));
        assert!(rcptto.predefined("arguments").is_some());
        assert!(Env::empty(catalog, None).predefined("arguments").is_none());
    }
}
