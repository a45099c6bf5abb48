//! Files: includes (with cycle detection), imports of modules (each
//! with its own top-level scope) and of data files, and the origin of
//! running code, for positions in errors and relative paths.

use super::scopes::{Cell, Vars};
use super::{Flow, Interpreter, Signal};
use crate::interp::error;
use crate::value::Value;
use crate::R;
use hsl_syntax::ast::*;
use hsl_syntax::Span;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;

/// The files of the run: those the script can include or import, which
/// ran and are running, and where the running code comes from.
pub(super) struct Loader<'p> {
    modules: Option<&'p crate::modules::Modules>,
    /// Where the running code comes from.
    pub(super) origin: Origin,
    /// Files by index (0: the entry script).
    sources: Vec<PathBuf>,
    /// The origin of every function, method and closure body outside the
    /// entry script.
    origins: rustc_hash::FxHashMap<*const Block, Origin>,
    /// The module index of each imported file.
    module_homes: HashMap<PathBuf, usize>,
    /// `import * as ns`: the module index of each namespace name.
    pub(super) namespaces: HashMap<String, usize>,
    /// The file index of the code that raised the error in flight, once
    /// the error has left that file.
    pub(super) raised_in: Option<usize>,
    pub(super) included: HashSet<PathBuf>,
    /// The files being run, outermost first (the entry script, then each
    /// `include` in progress), as canonical paths: an include of one of
    /// them would never end.
    including: Vec<PathBuf>,
}

impl Default for Loader<'_> {
    fn default() -> Self {
        Loader {
            modules: None,
            origin: Origin::default(),
            sources: vec![PathBuf::new()],
            origins: Default::default(),
            module_homes: HashMap::new(),
            namespaces: HashMap::new(),
            raised_in: None,
            included: Default::default(),
            including: Vec::new(),
        }
    }
}

impl Loader<'_> {
    /// The counts of every file that ran, by path, and every other script
    /// that was loaded (with no counts).
    pub(super) fn covered(
        &self,
        recorder: &mut crate::coverage::Recorder,
    ) -> Vec<(PathBuf, crate::coverage::FileHits)> {
        let mut files: Vec<_> = (self.sources.iter().enumerate())
            .filter(|(_, path)| !path.as_os_str().is_empty())
            .map(|(i, path)| (path.clone(), recorder.take(i)))
            .collect();
        let loaded = self.modules.into_iter().flat_map(|m| m.scripts());
        files.extend(loaded.map(|path| (path.to_path_buf(), Default::default())));
        files
    }
}

impl<'p> Interpreter<'p> {
    /// The files the script can include or import, and the script's own path.
    pub fn set_modules(&mut self, modules: &'p crate::modules::Modules, path: std::path::PathBuf) {
        self.files.including = vec![canonical(&path)];
        self.files.sources[0] = path;
        self.files.modules = Some(modules);
    }

    /// The file an uncaught error was raised in, when it is not the entry
    /// script (its span is a position in that file).
    pub fn error_file(&self) -> Option<&std::path::Path> {
        self.files
            .raised_in
            .map(|i| self.files.sources[i].as_path())
    }

    pub(super) fn file(&self) -> &std::path::Path {
        &self.files.sources[self.files.origin.file]
    }

    /// The origin of code in `program` at `path` running in module `home`;
    /// the first time a file is seen, its function bodies are recorded.
    pub(super) fn origin_for(
        &mut self,
        path: std::path::PathBuf,
        program: &'p Program,
        home: usize,
    ) -> Origin {
        if let Some(file) = self.files.sources.iter().position(|p| *p == path) {
            return Origin { file, home };
        }
        self.files.sources.push(path);
        let origin = Origin {
            file: self.files.sources.len() - 1,
            home,
        };
        let mut bodies = Bodies(Vec::new());
        hsl_syntax::visit::walk_program(&mut bodies, program);
        self.files
            .origins
            .extend(bodies.0.into_iter().map(|b| (b as *const Block, origin)));
        origin
    }

    pub(super) fn module(&self, spec: &str, span: Span) -> R<(std::path::PathBuf, &'p Program)> {
        let found = self.files.modules.and_then(|m| {
            m.get(self.file(), spec)
                .map(|(p, prog)| (p.to_path_buf(), prog))
        });
        match found {
            Some(f) => Ok(f),
            None => error(span, format!("cannot find `{spec}`")),
        }
    }

    /// Runs another file's statements in the current scope (`include`).
    pub(super) fn include(
        &mut self,
        file: std::path::PathBuf,
        program: &'p Program,
        span: Span,
    ) -> R<Flow> {
        let key = canonical(&file);
        if let Some(at) = self.files.including.iter().position(|f| *f == key) {
            let cycle: Vec<String> = self.files.including[at..]
                .iter()
                .chain([&key])
                .map(|f| f.display().to_string())
                .collect();
            return Err(Box::new(Signal::Limit(
                format!(
                    "include cycle: {} (a file cannot include itself, directly or through others)",
                    cycle.join(" → ")
                ),
                span,
            )));
        }
        self.files.including.push(key);
        let to = self.origin_for(file, program, self.files.origin.home);
        self.hoist(&program.stmts);
        let from = self.switch(to);
        let result = self.stmts(&program.stmts);
        self.leave(from, &result);
        self.files.including.pop();
        result
    }

    /// Where the function with this body comes from.
    #[inline]
    pub(super) fn origin_of(&self, body: &Block) -> Origin {
        if self.files.origins.is_empty() {
            return Origin::default();
        }
        self.files
            .origins
            .get(&(body as *const Block))
            .copied()
            .unwrap_or_default()
    }

    /// Makes `to` the running origin (with its module's top-level scope);
    /// returns the previous one.
    #[inline]
    pub(super) fn switch(&mut self, to: Origin) -> Origin {
        let from = self.files.origin;
        if to.home != from.home {
            self.scopes.cells.invalidate();
            std::mem::swap(&mut self.scopes.globals, &mut self.scopes.homes[from.home]);
            std::mem::swap(&mut self.scopes.globals, &mut self.scopes.homes[to.home]);
        }
        self.files.origin = to;
        from
    }

    /// Returns to `from` after running code of another origin, noting the
    /// file an error came from.
    #[inline]
    pub(super) fn leave<T>(&mut self, from: Origin, result: &R<T>) {
        if result.is_err() && self.files.origin.file != from.file && self.files.raised_in.is_none()
        {
            self.files.raised_in = Some(self.files.origin.file);
        }
        self.switch(from);
    }

    /// `import`: runs the module once in its own top-level scope, then
    /// binds the requested functions, classes and (shared) variables; or
    /// decodes a data file into a variable.
    pub(super) fn import(&mut self, import: &'p Import) -> R<()> {
        let (spec, span) = (&import.from.value, import.from.span);
        let specs = match &import.kind {
            ImportKind::Data { var, with } => return self.import_data(spec, span, var, with),
            ImportKind::Names(specs) => &specs[..],
            ImportKind::Namespace(_) => &[],
        };
        let (file, program) = self.module(spec, span)?;
        let home = match self.files.module_homes.get(&file) {
            Some(&home) => home,
            None => {
                let home = self.scopes.homes.len();
                self.scopes.homes.push(Vars::default());
                self.defs.functions.push(HashMap::new());
                self.files.module_homes.insert(file.clone(), home);
                let to = self.origin_for(file, program, home);
                let from = self.switch(to);
                self.hoist(&program.stmts);
                let result = self.stmts(&program.stmts);
                self.leave(from, &result);
                result?;
                home
            }
        };
        if let ImportKind::Namespace(ns) = &import.kind {
            self.files.namespaces.insert(ns.text.clone(), home);
        }
        for item in specs {
            let local = item.local();
            if item.is_var {
                let Some(cell) = self.module_var(home, &item.name.text) else {
                    return error(
                        item.name.span,
                        format!("`{spec}` does not define `${}`", item.name.text),
                    );
                };
                if let Some(existing) = self.scopes.lookup(&local.text) {
                    if !Rc::ptr_eq(&existing, &cell) {
                        return error(
                            local.span,
                            format!(
                                "`${}` already exists here; import it under another name with `as`",
                                local.text
                            ),
                        );
                    }
                }
                self.scopes.scope().insert(local.text.clone(), cell);
            } else if let Some(f) = self.defs.functions[home]
                .get(item.name.text.as_str())
                .copied()
            {
                self.defs.functions[self.files.origin.home].insert(&local.text, f);
            } else if !self.defs.classes.contains_key(item.name.text.as_str()) {
                return error(
                    item.name.span,
                    format!("`{spec}` does not define `{}`", item.name.text),
                );
            }
        }
        Ok(())
    }

    /// Records on a caught `Exception` where it was raised (for its
    /// `file()`, `line()` and `column()`), unless it already knows.
    pub(super) fn locate(&self, v: &Value, span: Span) {
        let Value::Object(o) = v else { return };
        if o.class != "Exception" || o.fields.borrow().contains_key("file") {
            return;
        }
        let file = &self.files.sources[self.files.raised_in.unwrap_or(self.files.origin.file)];
        let Some((line, column)) = self
            .files
            .modules
            .and_then(|m| m.position(file, span.start as usize))
        else {
            return;
        };
        let mut fields = o.fields.borrow_mut();
        fields.insert("file".into(), Value::str(file.display().to_string()));
        fields.insert("line".into(), Value::Number(f64::from(line)));
        fields.insert("column".into(), Value::Number(f64::from(column)));
    }

    /// The top-level variable `name` of module `home`.
    pub(super) fn module_var(&self, home: usize, name: &str) -> Option<Cell> {
        let scope = if home == self.files.origin.home {
            &self.scopes.globals
        } else {
            &self.scopes.homes[home]
        };
        scope.get(name).cloned()
    }

    /// `ns::f(args)` for `import * as ns`: a function the module defines.
    pub(super) fn call_in_namespace(
        &mut self,
        ns: &str,
        home: usize,
        f: &'p Name,
        args: Vec<Value>,
        span: Span,
    ) -> R<Value> {
        let decl = self.defs.functions[home].get(f.text.as_str()).copied();
        match decl {
            Some(decl) => self.call_decl(decl, args, span),
            _ => error(f.span, format!("`{ns}` has no function `{}`", f.text)),
        }
    }

    /// `import $var from "file.json" [with options]`.
    pub(super) fn import_data(
        &mut self,
        spec: &str,
        span: Span,
        var: &'p Name,
        with: &'p Option<Expr>,
    ) -> R<()> {
        let options = match with {
            Some(e) => self.eval(e)?,
            None => Value::None,
        };
        let Some((file, bytes)) = self.files.modules.and_then(|m| m.data(self.file(), spec)) else {
            return error(span, format!("cannot find `{spec}`"));
        };
        let value = crate::data::decode(self, spec, file, bytes, &options, span)?;
        self.scopes.set(&var.text, value);
        Ok(())
    }
}

/// The path a file is known by when comparing files (as given when it
/// cannot be resolved).
fn canonical(path: &std::path::Path) -> std::path::PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Where code comes from: its file (for positions and relative includes)
/// and its module (whose top-level scope `global` refers to).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Origin {
    pub(super) file: usize,
    pub(super) home: usize,
}

/// Collects every function, method, constructor and closure body.
struct Bodies<'p>(Vec<&'p Block>);

impl<'p> hsl_syntax::visit::Visitor<'p> for Bodies<'p> {
    fn visit_function(&mut self, params: &'p [Param], body: &'p Block) {
        self.0.push(body);
        hsl_syntax::visit::walk_function(self, params, body);
    }
}
