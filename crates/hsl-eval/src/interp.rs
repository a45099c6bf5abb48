//! The evaluator: statements, expressions, scopes with shared cells (for
//! `global` and closure captures), user functions and closures, exceptions
//! and limits.

use crate::builtins;
use crate::limits::{Limits, Meter};
use crate::ops;
use crate::value::{Array, Function, Key, Object, Value};
use hsl_syntax::ast::*;
use hsl_syntax::Span;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Why evaluation stopped early.
#[derive(Clone, Debug)]
pub enum Signal {
    /// A thrown value (uncaught if it reaches the top), with where it was thrown.
    Throw(Value, Span),
    /// A limit was exceeded; not catchable.
    Limit(String, Span),
    /// A host function ended the script (a verdict such as `Reject()`); not
    /// catchable by `try`/`catch`.
    Terminate(Verdict),
}

/// The call that ended a script.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Function name, e.g. `Reject`.
    pub name: String,
    /// Its arguments.
    pub args: Vec<Value>,
    /// Where it was called.
    pub span: Span,
}

/// A function provided by the embedding program (for example a hook's
/// `Accept()`); it may return a value or end the script with
/// [`Signal::Terminate`].
pub type HostFn<'p> = Box<dyn FnMut(Vec<Value>, Span) -> Result<Value, Signal> + 'p>;

/// Results inside the evaluator: the rare [`Signal`] is boxed, so a result
/// is as small as a value and travels in registers.
type R<T> = Result<T, Box<Signal>>;
type Cell = Rc<RefCell<Value>>;
/// Variables of one scope (a fast hash: names are short and trusted).
type Vars = rustc_hash::FxHashMap<String, Cell>;

/// How a statement ended.
enum Flow {
    Next,
    Break,
    Continue,
    Return(Value),
}

/// Raises a catchable runtime error at `span`: an `Exception` object.
pub fn error<T>(span: Span, message: impl Into<String>) -> Result<T, Signal> {
    Err(Signal::Throw(Object::exception(message.into()), span))
}

/// [`error`] inside the evaluator.
pub(crate) fn fail<T>(span: Span, message: impl Into<String>) -> R<T> {
    Err(Box::new(Signal::Throw(
        Object::exception(message.into()),
        span,
    )))
}

/// Evaluates one program.
pub struct Interpreter<'p> {
    /// Named functions by module index (0: the entry script and its includes).
    functions: Vec<HashMap<&'p str, &'p FunctionDecl>>,
    closures: Vec<(&'p FunctionExpr, Vars)>,
    globals: Vars,
    frames: Vec<Vars>,
    /// Cells of the running scope's variables, by name in the syntax tree.
    cells: CellCache,
    meter: Meter,
    /// When the first script started, on the clock.
    started: Option<f64>,
    echo: &'p mut dyn FnMut(&[u8]),
    host: HashMap<String, HostFn<'p>>,
    readonly: rustc_hash::FxHashSet<String>,
    classes: HashMap<&'p str, &'p ClassDecl>,
    statics: HashMap<(String, String), Cell>,
    /// The class whose method each frame runs (for `private`, `readonly`, `static::`).
    class_stack: Vec<Option<&'p str>>,
    stubs: crate::stubs::Stubs,
    cache: crate::cache::Cache,
    rng: u64,
    barriers: HashMap<Vec<u8>, Value>,
    modules: Option<&'p crate::modules::Modules>,
    /// Where the running code comes from.
    origin: Origin,
    /// Files by index (0: the entry script).
    sources: Vec<std::path::PathBuf>,
    /// The origin of every function, method and closure body outside the
    /// entry script.
    origins: rustc_hash::FxHashMap<*const Block, Origin>,
    /// Top-level scopes by module index (0: the entry script); the running
    /// module's scope is `globals`, its slot here is empty meanwhile.
    homes: Vec<Vars>,
    /// The module index of each imported file.
    module_homes: HashMap<std::path::PathBuf, usize>,
    /// `import * as ns`: the module index of each namespace name.
    namespaces: HashMap<String, usize>,
    /// The file index of the code that raised the error in flight, once
    /// the error has left that file.
    raised_in: Option<usize>,
    included: std::collections::HashSet<std::path::PathBuf>,
    /// The files being run, outermost first (the entry script, then each
    /// `include` in progress), as canonical paths: an include of one of
    /// them would never end.
    including: Vec<std::path::PathBuf>,
}

impl<'p> Interpreter<'p> {
    /// An interpreter whose `echo` output goes to `echo`.
    pub fn new(limits: Limits, echo: &'p mut dyn FnMut(&[u8])) -> Self {
        Interpreter {
            functions: vec![HashMap::new()],
            closures: Vec::new(),
            globals: Vars::default(),
            frames: Vec::new(),
            cells: CellCache::default(),
            meter: Meter::new(limits),
            started: None,
            echo,
            host: HashMap::new(),
            readonly: Default::default(),
            classes: HashMap::new(),
            statics: HashMap::new(),
            class_stack: Vec::new(),
            stubs: Default::default(),
            cache: Default::default(),
            rng: 0x9E37_79B9_7F4A_7C15,
            barriers: HashMap::new(),
            modules: None,
            origin: Origin::default(),
            sources: vec![std::path::PathBuf::new()],
            origins: Default::default(),
            homes: vec![Vars::default()],
            module_homes: HashMap::new(),
            namespaces: HashMap::new(),
            raised_in: None,
            included: Default::default(),
            including: Vec::new(),
        }
    }

    /// The files the script can include or import, and the script's own path.
    pub fn set_modules(&mut self, modules: &'p crate::modules::Modules, path: std::path::PathBuf) {
        self.including = vec![canonical(&path)];
        self.sources[0] = path;
        self.modules = Some(modules);
    }

    /// The file an uncaught error was raised in, when it is not the entry
    /// script (its span is a position in that file).
    pub fn error_file(&self) -> Option<&std::path::Path> {
        self.raised_in.map(|i| self.sources[i].as_path())
    }

    fn file(&self) -> &std::path::Path {
        &self.sources[self.origin.file]
    }

    /// The origin of code in `program` at `path` running in module `home`;
    /// the first time a file is seen, its function bodies are recorded.
    fn origin_for(
        &mut self,
        path: std::path::PathBuf,
        program: &'p Program,
        home: usize,
    ) -> Origin {
        if let Some(file) = self.sources.iter().position(|p| *p == path) {
            return Origin { file, home };
        }
        self.sources.push(path);
        let origin = Origin {
            file: self.sources.len() - 1,
            home,
        };
        let mut bodies = Bodies(Vec::new());
        hsl_syntax::visit::walk_program(&mut bodies, program);
        self.origins
            .extend(bodies.0.into_iter().map(|b| (b as *const Block, origin)));
        origin
    }

    fn module(&self, spec: &str, span: Span) -> R<(std::path::PathBuf, &'p Program)> {
        let found = self.modules.and_then(|m| {
            m.get(self.file(), spec)
                .map(|(p, prog)| (p.to_path_buf(), prog))
        });
        match found {
            Some(f) => Ok(f),
            None => fail(span, format!("cannot find `{spec}`")),
        }
    }

    /// Runs another file's statements in the current scope (`include`).
    fn include(&mut self, file: std::path::PathBuf, program: &'p Program, span: Span) -> R<Flow> {
        let key = canonical(&file);
        if let Some(at) = self.including.iter().position(|f| *f == key) {
            let cycle: Vec<String> = self.including[at..]
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
        self.including.push(key);
        let to = self.origin_for(file, program, self.origin.home);
        self.hoist(&program.stmts);
        let from = self.switch(to);
        let result = self.stmts(&program.stmts);
        self.leave(from, &result);
        self.including.pop();
        result
    }

    /// Where the function with this body comes from.
    #[inline]
    fn origin_of(&self, body: &Block) -> Origin {
        if self.origins.is_empty() {
            return Origin::default();
        }
        self.origins
            .get(&(body as *const Block))
            .copied()
            .unwrap_or_default()
    }

    /// Makes `to` the running origin (with its module's top-level scope);
    /// returns the previous one.
    #[inline]
    fn switch(&mut self, to: Origin) -> Origin {
        let from = self.origin;
        if to.home != from.home {
            self.cells.invalidate();
            std::mem::swap(&mut self.globals, &mut self.homes[from.home]);
            std::mem::swap(&mut self.globals, &mut self.homes[to.home]);
        }
        self.origin = to;
        from
    }

    /// Returns to `from` after running code of another origin, noting the
    /// file an error came from.
    #[inline]
    fn leave<T>(&mut self, from: Origin, result: &R<T>) {
        if result.is_err() && self.origin.file != from.file && self.raised_in.is_none() {
            self.raised_in = Some(self.origin.file);
        }
        self.switch(from);
    }

    /// Sets the clock (seconds since the epoch) used by `time()` and `cache` expiry.
    pub fn set_clock(&mut self, clock: Box<dyn Fn() -> f64>) {
        self.cache.clock = clock;
    }

    /// Seeds the random functions, so runs repeat exactly.
    pub fn set_seed(&mut self, seed: u64) {
        self.rng = seed | 1;
    }

    /// The current time from the clock.
    pub fn now(&self) -> f64 {
        (self.cache.clock)()
    }

    /// When this interpreter first ran a script, on the clock.
    pub fn started(&self) -> f64 {
        self.started.unwrap_or_else(|| self.now())
    }

    /// The next pseudo-random number (xorshift64*).
    pub fn random(&mut self) -> u64 {
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// `cache [options] f(args)`: the stored result while fresh, else the
    /// call's result, stored.
    fn cached(&mut self, options: &Array, call: &'p Expr) -> R<Value> {
        let ExprKind::Call { callee, args } = &call.kind else {
            return fail(call.span, "cache needs a function call");
        };
        let name = match &callee.kind {
            ExprKind::Ident(n) => n.clone(),
            ExprKind::Builtin(n) => n.text.clone(),
            ExprKind::ScopeRes {
                scope: Scope::Named(c),
                member: ScopeMember::Ident(m),
            } => format!("{}::{}", c.text, m.text),
            _ => return fail(callee.span, "cache needs a named function"),
        };
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(self.eval(&a.expr)?);
        }
        let opts = crate::cache::CacheOptions::from_array(options);
        let key = self.cache.key(&opts, &name, &values);
        if !opts.force {
            if let Some(v) = self.cache.get(&key) {
                return Ok(v);
            }
        }
        let result = match &callee.kind {
            ExprKind::Ident(n) => {
                self.call_value(&Function::Named(n.clone()), values, false, call.span)?
            }
            ExprKind::Builtin(n) => {
                self.call_value(&Function::Named(n.text.clone()), values, true, call.span)?
            }
            ExprKind::ScopeRes {
                scope,
                member: ScopeMember::Ident(m),
            } => self.call_static(scope, m, values, call.span)?,
            _ => return fail(callee.span, "cache needs a named function"),
        };
        self.cache.put(key, &opts, result.clone());
        Ok(result)
    }

    /// `Cls::m(args)` or `static::m(args)` with evaluated arguments.
    fn call_static(
        &mut self,
        scope: &'p Scope,
        m: &'p Name,
        values: Vec<Value>,
        span: Span,
    ) -> R<Value> {
        if let Scope::Named(ns) = scope {
            if let Some(&home) = self.namespaces.get(&ns.text) {
                return self.call_in_namespace(&ns.text, home, m, values, span);
            }
        }
        let class = self.scope_class(scope, span)?;
        if !self.classes.contains_key(class.as_str()) {
            if let Some(r) = crate::mail::static_call(self, &class, &m.text, &values, span) {
                return Ok(r?);
            }
        }
        let Some(method) = self.method_decl(&class, &m.text) else {
            return fail(
                m.span,
                format!("`{class}` has no static method `{}`", m.text),
            );
        };
        let MemberKind::Method { params, body, .. } = &method.kind else {
            unreachable!("method_decl returns methods")
        };
        self.enter(
            &m.text,
            params,
            body,
            Vars::default(),
            values,
            span,
            Some(class_name(self, &class)),
        )
    }

    /// Supplies results for functions that need the world.
    pub fn set_stubs(&mut self, stubs: crate::stubs::Stubs) {
        self.stubs = stubs;
    }

    /// Calls the host function `name` if the embedder defined one.
    pub(crate) fn call_host(
        &mut self,
        name: &str,
        args: Vec<Value>,
        span: Span,
    ) -> Option<Result<Value, Signal>> {
        self.host.get_mut(name).map(|host| host(args, span))
    }

    /// The stubbed result of `name(args)`, if the stub registry has one.
    pub(crate) fn stubbed(&self, name: &str, args: &[Value]) -> Option<Value> {
        self.stubs.lookup(name, args)
    }

    /// Makes `name` callable from the script (before builtins of that name).
    pub fn define_function(&mut self, name: &str, f: HostFn<'p>) {
        self.host.insert(name.to_string(), f);
    }

    /// Predefines a global variable (`$arguments`, `$context`…); read-only
    /// ones cannot be assigned by the script.
    pub fn define_variable(&mut self, name: &str, value: Value, readonly: bool) {
        self.cells.invalidate();
        self.globals
            .insert(name.to_string(), Rc::new(RefCell::new(value)));
        if readonly {
            self.readonly.insert(name.to_string());
        }
    }

    /// Predefines a global variable whose cell the embedder keeps, so that
    /// one of its host functions can change the variable while the script
    /// runs (the 4.x `SetSenderIP()` updates `$senderip` at once).
    pub fn define_shared_variable(&mut self, name: &str, cell: Rc<RefCell<Value>>, readonly: bool) {
        self.cells.invalidate();
        self.globals.insert(name.to_string(), cell);
        if readonly {
            self.readonly.insert(name.to_string());
        }
    }

    /// The current value of a global variable (e.g. `$context` after a hook).
    pub fn global(&self, name: &str) -> Option<Value> {
        self.globals.get(name).map(|c| c.borrow().clone())
    }

    /// Runs `program` from the top.
    pub fn run(&mut self, program: &'p Program) -> Result<(), Signal> {
        self.run_program(program).map_err(|s| *s)
    }

    fn run_program(&mut self, program: &'p Program) -> R<()> {
        self.meter.start();
        if self.started.is_none() {
            self.started = Some(self.now());
        }
        self.hoist(&program.stmts);
        let classes: Vec<&'p ClassDecl> = self.classes.values().copied().collect();
        for c in classes {
            for m in &c.members {
                if let MemberKind::Property { mods, name, init } = &m.kind {
                    if mods.is_static {
                        let v = match init {
                            Some(e) => self.eval(e)?,
                            None => Value::None,
                        };
                        self.statics.insert(
                            (c.name.text.clone(), name.text.clone()),
                            Rc::new(RefCell::new(v)),
                        );
                    }
                }
            }
        }
        match self.stmts(&program.stmts)? {
            Flow::Next | Flow::Return(_) => Ok(()),
            Flow::Break | Flow::Continue => Ok(()),
        }
    }

    fn hoist(&mut self, stmts: &'p [Stmt]) {
        for s in stmts {
            match &s.kind {
                StmtKind::Function(f) => {
                    self.functions[self.origin.home].insert(&f.name.text, f);
                    self.hoist(&f.body.stmts);
                }
                StmtKind::Class(c) => {
                    self.classes.insert(&c.name.text, c);
                }
                _ => {}
            }
        }
    }

    #[inline(always)]
    /// Charges `bytes` of output an embedder keeps (hook output in a
    /// simulation) to the run's memory budget, as `echo` output is.
    pub fn charge_output(&mut self, bytes: usize, span: Span) -> Result<(), Signal> {
        self.meter.output(bytes, span)
    }

    /// The sandbox meter, for built-ins that check the deadline and the
    /// memory limit as they go.
    pub(crate) fn meter(&self) -> &Meter {
        &self.meter
    }

    fn step(&mut self, span: Span) -> R<()> {
        Ok(self.meter.step(span)?)
    }

    /// The running scope, for a change of its set of variables (which
    /// makes the cached cells stale).
    fn scope(&mut self) -> &mut Vars {
        self.cells.invalidate();
        self.frames.last_mut().unwrap_or(&mut self.globals)
    }

    /// The running scope, for reading.
    fn vars(&self) -> &Vars {
        self.frames.last().unwrap_or(&self.globals)
    }

    fn lookup(&self, name: &str) -> Option<Cell> {
        self.vars().get(name).cloned()
    }

    fn cell(&mut self, name: &str) -> Cell {
        if let Some(c) = self.vars().get(name) {
            return c.clone();
        }
        self.scope().entry(name.to_string()).or_default().clone()
    }

    /// The cell of variable `name` of the syntax tree, from the cache when
    /// it was used since the scope last changed.
    #[inline(always)]
    fn cached_cell(&mut self, name: &'p str) -> Option<&Cell> {
        if self.cells.get(name).is_none() {
            self.cache_cell(name)?;
        }
        self.cells.get(name)
    }

    /// Looks `name` up in the running scope and caches its cell (kept out
    /// of line so the cache hit stays small).
    #[inline(never)]
    fn cache_cell(&mut self, name: &'p str) -> Option<()> {
        let cell = self.vars().get(name)?.clone();
        self.cells.put(name, cell);
        Some(())
    }

    /// The value of variable `name`, or an error at `span` if there is none.
    #[inline]
    fn variable(&mut self, name: &'p str, span: Span) -> R<Value> {
        match self.read(name) {
            Some(v) => Ok(v),
            None => fail(span, format!("variable `${name}` is not defined")),
        }
    }

    /// The value of variable `name` (a copy; its cell is not shared).
    #[inline]
    fn read(&mut self, name: &'p str) -> Option<Value> {
        self.cached_cell(name).map(|c| c.borrow().clone())
    }

    fn set(&mut self, name: &'p str, v: Value) {
        match self.cached_cell(name) {
            Some(c) => *c.borrow_mut() = v,
            None => {
                self.scope()
                    .insert(name.to_string(), Rc::new(RefCell::new(v)));
            }
        }
    }

    /// Fails when `name` is a read-only variable of the top-level scope.
    #[inline]
    fn writable(&self, name: &str, span: Span) -> R<()> {
        if self.frames.is_empty() && self.readonly.contains(name) {
            return fail(span, format!("`${name}` is read-only"));
        }
        Ok(())
    }

    fn stmts(&mut self, stmts: &'p [Stmt]) -> R<Flow> {
        for s in stmts {
            match self.stmt(s)? {
                Flow::Next => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Next)
    }

    fn unsupported<T>(&self, span: Span, what: &str) -> R<T> {
        fail(span, format!("{what} is not supported by `hsl run` yet"))
    }

    fn stmt(&mut self, s: &'p Stmt) -> R<Flow> {
        self.step(s.span)?;
        match &s.kind {
            StmtKind::Expr(e) => {
                self.eval(e)?;
            }
            StmtKind::Echo(e) => {
                let mut text = self.eval(e)?.to_bytes();
                text.push(b'\n');
                self.meter.output(text.len(), s.span)?;
                (self.echo)(&text);
            }
            StmtKind::Block(b) => return self.stmts(&b.stmts),
            StmtKind::Empty | StmtKind::Function(_) => {}
            StmtKind::Error => return fail(s.span, "this statement has a syntax error"),
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                if self.eval(cond)?.truthy() {
                    return self.stmt(then);
                } else if let Some(o) = otherwise {
                    return self.stmt(o);
                }
            }
            StmtKind::While { cond, body } => {
                while self.eval(cond)?.truthy() {
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
            }
            StmtKind::Forever { body } => loop {
                match self.stmt(body)? {
                    Flow::Break => break,
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    _ => self.step(s.span)?,
                }
            },
            StmtKind::For {
                init,
                cond,
                update,
                body,
            } => {
                for e in init {
                    self.eval(e)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !self.eval(c)?.truthy() {
                            break;
                        }
                    }
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                    for e in update {
                        self.eval(e)?;
                    }
                }
            }
            StmtKind::Foreach {
                subject,
                key,
                value,
                body,
            } => {
                let items = match self.eval(subject)? {
                    Value::Array(items) => items,
                    Value::Object(o) if self.classes.contains_key(o.class.as_str()) => {
                        Rc::new(self.members(&o))
                    }
                    other => {
                        return fail(
                            subject.span,
                            format!("foreach needs an array, not {}", other.type_name()),
                        )
                    }
                };
                for (k, v) in items.map.iter() {
                    if let Some(kn) = key {
                        let kv = match k {
                            Key::Int(i) => Value::Number(*i as f64),
                            Key::Str(s) => Value::str(s.to_vec()),
                        };
                        self.set(&kn.text, kv);
                    }
                    self.set(&value.text, v.clone());
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
            }
            StmtKind::Switch { subject, cases } => {
                let v = self.eval(subject)?;
                let mut start = None;
                for (i, c) in cases.iter().enumerate() {
                    if let Some(l) = &c.label {
                        if crate::value::loose_eq(&v, &self.eval(l)?) {
                            start = Some(i);
                            break;
                        }
                    }
                }
                let start = start.or_else(|| cases.iter().position(|c| c.label.is_none()));
                if let Some(start) = start {
                    for c in &cases[start..] {
                        match self.stmts(&c.body)? {
                            Flow::Next => {}
                            Flow::Break => break,
                            other => return Ok(other),
                        }
                    }
                }
            }
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::None,
                };
                return Ok(Flow::Return(v));
            }
            StmtKind::Throw(e) => {
                let v = self.eval(e)?;
                return Err(Box::new(Signal::Throw(v, s.span)));
            }
            StmtKind::Try { body, var, handler } => match self.stmts(&body.stmts) {
                Ok(flow) => return Ok(flow),
                Err(signal) => {
                    let Signal::Throw(v, span) = *signal else {
                        return Err(signal);
                    };
                    self.locate(&v, span);
                    self.raised_in = None;
                    self.set(&var.text, v);
                    return self.stmts(&handler.stmts);
                }
            },
            StmtKind::Global(names) => {
                for n in names {
                    self.cells.invalidate();
                    let cell = self.globals.entry(n.text.clone()).or_default().clone();
                    self.scope().insert(n.text.clone(), cell);
                }
            }
            StmtKind::Include { once, path } => {
                let (file, program) = self.module(&path.value, path.span)?;
                if !(*once && self.included.contains(&file)) {
                    self.included.insert(file.clone());
                    if let Flow::Return(v) = self.include(file, program, path.span)? {
                        return Ok(Flow::Return(v));
                    }
                }
            }
            StmtKind::Import(import) => self.import(import)?,
            StmtKind::Class(_) => {}
            StmtKind::Barrier { name, var, body } => {
                // One script runs at a time here, so the lock is always free;
                // the shared variable persists between executions.
                let key = self.eval(name)?.to_bytes();
                if let Some(v) = var {
                    let shared = self.barriers.get(&key).cloned().unwrap_or(Value::None);
                    self.set(&v.text, shared);
                }
                let flow = self.stmts(&body.stmts);
                if let Some(v) = var {
                    let value = self
                        .lookup(&v.text)
                        .map(|c| c.borrow().clone())
                        .unwrap_or_default();
                    self.barriers.insert(key, value);
                }
                return flow;
            }
        }
        Ok(Flow::Next)
    }

    /// Evaluates an expression.
    pub fn expr(&mut self, e: &'p Expr) -> Result<Value, Signal> {
        self.eval(e).map_err(|s| *s)
    }

    /// [`Self::eval`] with the leaves of an expression (numbers and
    /// variables, the usual operands) handled without a call.
    #[inline(always)]
    fn operand(&mut self, e: &'p Expr) -> R<Value> {
        match &e.kind {
            ExprKind::Number(n) => {
                self.step(e.span)?;
                Ok(Value::Number(*n))
            }
            ExprKind::Var(name) => {
                self.step(e.span)?;
                self.variable(name, e.span)
            }
            _ => self.eval(e),
        }
    }

    fn eval(&mut self, e: &'p Expr) -> R<Value> {
        self.step(e.span)?;
        Ok(match &e.kind {
            ExprKind::Number(n) => Value::Number(*n),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::None => Value::None,
            ExprKind::Str(s) => {
                let mut out = Vec::new();
                for p in &s.parts {
                    match &p.kind {
                        StrPartKind::Text(t) => out.extend_from_slice(t),
                        StrPartKind::Var(v) => match self.read(v) {
                            Some(value) => out.extend(value.to_bytes()),
                            None => return fail(p.span, format!("variable `${v}` is not defined")),
                        },
                    }
                }
                Value::str(out)
            }
            ExprKind::Var(name) => self.variable(name, e.span)?,
            ExprKind::Ident(name) => Value::Function(Rc::new(Function::Named(name.clone()))),
            ExprKind::Builtin(n) => Value::Function(Rc::new(Function::Named(n.text.clone()))),
            ExprKind::Paren(inner) => self.eval(inner)?,
            ExprKind::Array(items) => Value::Array(Rc::new(self.items(items)?)),
            ExprKind::Function(f) => {
                let captured: Vars = f
                    .captures
                    .iter()
                    .map(|c| (c.text.clone(), self.cell(&c.text)))
                    .collect();
                self.closures.push((f, captured));
                Value::Function(Rc::new(Function::Closure(self.closures.len() - 1)))
            }
            ExprKind::Match { subject, arms } => {
                let v = self.eval(subject)?;
                for arm in arms {
                    if arm.patterns.is_empty() {
                        continue;
                    }
                    for p in &arm.patterns {
                        if crate::value::strict_eq(&v, &self.eval(p)?) {
                            return self.eval(&arm.result);
                        }
                    }
                }
                match arms.iter().find(|a| a.patterns.is_empty()) {
                    Some(d) => self.eval(&d.result)?,
                    None => return fail(e.span, "no match arm for the value"),
                }
            }
            ExprKind::Isset(inner) => Value::Bool(self.isset(inner)?),
            ExprKind::Unset(inner) => Value::Bool(self.unset(inner)?),
            ExprKind::Call { callee, args } => self.call(callee, args, e.span)?,
            ExprKind::Index { base, index } => {
                let b = self.eval(base)?;
                let k = self.eval(index)?;
                match b {
                    // `$o["m"]` is `$o->m`, methods included.
                    Value::Object(_) => {
                        self.member(&b, &String::from_utf8_lossy(&k.to_bytes()), e.span)?
                    }
                    _ => ops::index(&b, &k, e.span)?,
                }
            }
            ExprKind::Slice {
                base,
                start,
                stop,
                step,
            } => {
                let b = self.eval(base)?;
                let (a, z, st) = self.slice_args(start, stop, step)?;
                ops::slice(&b, a, z, st, e.span)?
            }
            ExprKind::Unary { op, operand } => {
                let v = self.eval(operand)?;
                ops::unary(*op, &v)
            }
            ExprKind::IncDec {
                increment,
                prefix,
                target,
            } => {
                let old = self.operand(target)?.to_number();
                let new = if *increment { old + 1.0 } else { old - 1.0 };
                self.assign(target, Value::Number(new))?;
                Value::Number(if *prefix { new } else { old })
            }
            ExprKind::Binary { op, lhs, rhs } => match op {
                BinaryOp::And => Value::Bool(self.eval(lhs)?.truthy() && self.eval(rhs)?.truthy()),
                BinaryOp::Or => Value::Bool(self.eval(lhs)?.truthy() || self.eval(rhs)?.truthy()),
                BinaryOp::Coalesce => {
                    let l = if self.isset(lhs)? {
                        self.eval(lhs)?
                    } else {
                        Value::None
                    };
                    if matches!(l, Value::None) {
                        self.eval(rhs)?
                    } else {
                        l
                    }
                }
                _ => {
                    let l = self.operand(lhs)?;
                    let r = self.operand(rhs)?;
                    ops::binary(*op, &l, &r, &self.meter.limits, e.span)?
                }
            },
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => {
                let c = self.eval(cond)?;
                if c.truthy() {
                    match then {
                        Some(t) => self.eval(t)?,
                        None => c,
                    }
                } else {
                    self.eval(otherwise)?
                }
            }
            ExprKind::Assign { op, target, value } => {
                let v = match op {
                    AssignOp::Assign => self.eval(value)?,
                    AssignOp::Compound(BinaryOp::Coalesce) => {
                        if self.isset(target)? && !matches!(self.eval(target)?, Value::None) {
                            return self.eval(target);
                        }
                        self.eval(value)?
                    }
                    AssignOp::Compound(bin) => {
                        let old = self.operand(target)?;
                        let r = self.eval(value)?;
                        ops::binary(*bin, &old, &r, &self.meter.limits, e.span)?
                    }
                };
                self.assign(target, v.clone())?;
                v
            }
            ExprKind::Destructure { pattern, value } => {
                let v = self.eval(value)?;
                self.destructure(pattern, &v)?;
                v
            }
            ExprKind::Regex { pattern, flags } => {
                Value::Regex(Rc::new((pattern.clone(), flags.clone())))
            }
            ExprKind::ScopeRes { scope, member } => match member {
                ScopeMember::Var(v) => {
                    let class = self.scope_class(scope, e.span)?;
                    self.static_cell(&class, &v.text, e.span)?.borrow().clone()
                }
                ScopeMember::Ident(_) => {
                    return self.unsupported(e.span, "a static method reference")
                }
            },
            ExprKind::Member { base, name } => {
                let b = self.eval(base)?;
                self.member(&b, &name.text, e.span)?
            }
            ExprKind::Cache { options, call } => {
                let options = self.items(options)?;
                self.cached(&options, call)?
            }
            ExprKind::PathIndex { base, path } => {
                let mut v = self.eval(base)?;
                for key in self.path(path)? {
                    v = ops::index(&v, &key, e.span)?;
                }
                v
            }
            ExprKind::Append { .. } => return fail(e.span, "this form can only be assigned to"),
            ExprKind::Error => return fail(e.span, "this expression has a syntax error"),
        })
    }

    fn items(&mut self, items: &'p [ArrayItem]) -> R<Array> {
        let mut a = Array::default();
        for item in items {
            match item {
                ArrayItem::Value(v) => {
                    let v = self.eval(v)?;
                    a.push(v);
                }
                ArrayItem::Keyed(k, v) => {
                    let k = self.eval(k)?.to_key();
                    let v = self.eval(v)?;
                    a.insert(k, v);
                }
                ArrayItem::Spread(s) => match self.eval(s)? {
                    Value::Array(src) => {
                        for (k, v) in src.map.iter() {
                            match k {
                                Key::Int(_) => a.push(v.clone()),
                                Key::Str(_) => a.insert(k.clone(), v.clone()),
                            }
                        }
                    }
                    other => return fail(s.span, format!("cannot spread {}", other.type_name())),
                },
            }
        }
        if let Some(last) = items.last() {
            let span = match last {
                ArrayItem::Value(v) | ArrayItem::Keyed(_, v) | ArrayItem::Spread(v) => v.span,
            };
            self.grown(&a, span)?;
        }
        Ok(a)
    }

    fn isset(&mut self, e: &'p Expr) -> R<bool> {
        match &e.kind {
            ExprKind::Var(n) => Ok(self
                .lookup(n)
                .is_some_and(|c| !matches!(*c.borrow(), Value::None))),
            ExprKind::Index { base, index } => {
                if !self.isset(base)? {
                    return Ok(false);
                }
                let b = self.eval(base)?;
                let k = self.eval(index)?;
                Ok(!matches!(ops::index(&b, &k, e.span)?, Value::None))
            }
            ExprKind::Paren(inner) => self.isset(inner),
            _ => Ok(!matches!(self.eval(e)?, Value::None)),
        }
    }

    fn unset(&mut self, e: &'p Expr) -> R<bool> {
        match &e.kind {
            ExprKind::Var(n) => Ok(self.scope().remove(n.as_str()).is_some()),
            ExprKind::Index { base, index } => {
                let k = self.eval(index)?.to_key();
                let Value::Array(mut a) = self.eval(base)? else {
                    return Ok(false);
                };
                let removed = Rc::make_mut(&mut a).map.shift_remove(&k).is_some();
                self.assign(base, Value::Array(a))?;
                Ok(removed)
            }
            ExprKind::Slice {
                base,
                start,
                stop,
                step,
            } => {
                let (from, to) = self.splice_bounds(start, stop, step, e.span)?;
                let Value::Array(mut a) = self.eval(base)? else {
                    return Ok(false);
                };
                let removed = ops::splice(Rc::make_mut(&mut a), from, to, Vec::new());
                self.assign(base, Value::Array(a))?;
                Ok(removed)
            }
            _ => fail(e.span, "unset needs a variable, a subscript or a slice"),
        }
    }

    /// Stores `v` into an assignable expression.
    fn assign(&mut self, target: &'p Expr, v: Value) -> R<()> {
        if let ExprKind::Var(n) = &target.kind {
            self.writable(n, target.span)?;
            self.set(n, v);
            return Ok(());
        }
        if let Some((root, span)) = target.root_var() {
            self.writable(root, span)?;
        }
        match &target.kind {
            ExprKind::Index { base, index } => {
                let k = self.eval(index)?.to_key();
                let mut a = self.container(base)?;
                Rc::make_mut(&mut a).insert(k, v);
                self.grown(&a, target.span)?;
                self.assign(base, Value::Array(a))
            }
            ExprKind::Append { base } => {
                let mut a = self.container(base)?;
                Rc::make_mut(&mut a).push(v);
                self.grown(&a, target.span)?;
                self.assign(base, Value::Array(a))
            }
            ExprKind::Slice {
                base,
                start,
                stop,
                step,
            } => {
                let (from, to) = self.splice_bounds(start, stop, step, target.span)?;
                let items = match v {
                    Value::Array(items) => items.map.values().cloned().collect(),
                    other => vec![other],
                };
                let mut a = self.container(base)?;
                ops::splice(Rc::make_mut(&mut a), from, to, items);
                self.grown(&a, target.span)?;
                self.assign(base, Value::Array(a))
            }
            ExprKind::PathIndex { base, path } => {
                let path = self.path(path)?;
                if path.is_empty() {
                    return fail(target.span, "a path subscript needs at least one key");
                }
                let mut a = self.container(base)?;
                ops::set_path(Rc::make_mut(&mut a), &path, v);
                self.grown(&a, target.span)?;
                self.assign(base, Value::Array(a))
            }
            ExprKind::Member { base, name } => {
                let Value::Object(o) = self.eval(base)? else {
                    return fail(target.span, "only objects have properties");
                };
                self.check_access(&o.class, &name.text, true, target.span)?;
                o.fields.borrow_mut().insert(name.text.clone(), v);
                Ok(())
            }
            ExprKind::ScopeRes {
                scope,
                member: ScopeMember::Var(var),
            } => {
                let class = self.scope_class(scope, target.span)?;
                *self
                    .static_cell(&class, &var.text, target.span)?
                    .borrow_mut() = v;
                Ok(())
            }
            _ => fail(target.span, "cannot assign to this expression"),
        }
    }

    /// The start, stop and step of a slice, as numbers where given.
    fn slice_args(
        &mut self,
        start: &'p Option<Box<Expr>>,
        stop: &'p Option<Box<Expr>>,
        step: &'p Option<Box<Expr>>,
    ) -> R<(Option<f64>, Option<f64>, Option<f64>)> {
        let mut bound = |x: &'p Option<Box<Expr>>| -> R<Option<f64>> {
            x.as_deref()
                .map(|x| self.eval(x).map(|v| v.to_number()))
                .transpose()
        };
        Ok((bound(start)?, bound(stop)?, bound(step)?))
    }

    /// The bounds of a slice that is assigned to or unset (no step but 1).
    fn splice_bounds(
        &mut self,
        start: &'p Option<Box<Expr>>,
        stop: &'p Option<Box<Expr>>,
        step: &'p Option<Box<Expr>>,
        span: Span,
    ) -> R<(Option<f64>, Option<f64>)> {
        let (a, z, st) = self.slice_args(start, stop, step)?;
        if st.is_some_and(|s| s != 1.0) {
            return fail(span, "a slice with a step cannot be assigned to or unset");
        }
        Ok((a, z))
    }

    /// The keys of a path subscript `[...path]`.
    fn path(&mut self, path: &'p Expr) -> R<Vec<Value>> {
        match self.eval(path)? {
            Value::Array(keys) => Ok(keys.map.values().cloned().collect()),
            other => fail(
                path.span,
                format!(
                    "a path subscript needs an array of keys, not {}",
                    other.type_name()
                ),
            ),
        }
    }

    /// The properties, then the methods, of an instance of a user class
    /// (what `foreach` over an object iterates).
    fn members(&self, o: &Rc<Object>) -> Array {
        let mut out = Array::default();
        for (name, v) in o.fields.borrow().iter() {
            out.insert(Value::str(name.as_str()).to_key(), v.clone());
        }
        let methods = self
            .classes
            .get(o.class.as_str())
            .map_or(&[][..], |c| &c.members[..]);
        for m in methods {
            if let MemberKind::Method { name, mods, .. } = &m.kind {
                if !mods.is_static {
                    let f = Function::Method(o.clone(), name.text.clone());
                    out.insert(
                        Key::Str(Rc::from(name.text.as_bytes())),
                        Value::Function(Rc::new(f)),
                    );
                }
            }
        }
        out
    }

    /// Ends the script when an array written to outgrows the memory limit.
    fn grown(&self, a: &Array, span: Span) -> R<()> {
        Ok(self.meter.limits.array(a.map.len() as f64, span)?)
    }

    /// The array at `base` for writing into (none or missing becomes `[]`).
    /// A variable's array is taken out of it while it is changed, so the
    /// change does not copy it (the caller stores it back).
    fn container(&mut self, base: &'p Expr) -> R<Rc<Array>> {
        if let ExprKind::Var(n) = &base.kind {
            if let Some(cell) = self.lookup(n) {
                let taken = std::mem::take(&mut *cell.borrow_mut());
                return Ok(match taken {
                    Value::Array(a) => a,
                    _ => Rc::new(Array::default()),
                });
            }
        }
        let current = if self.isset(base)? {
            self.eval(base)?
        } else {
            Value::None
        };
        Ok(match current {
            Value::Array(a) => a,
            _ => Rc::new(Array::default()),
        })
    }

    fn destructure(&mut self, pattern: &'p Pattern, v: &Value) -> R<()> {
        let Value::Array(a) = v else {
            return fail(
                pattern.span,
                format!("cannot destructure {}", v.type_name()),
            );
        };
        let values: Vec<&Value> = a.map.values().collect();
        for (i, item) in pattern.items.iter().enumerate() {
            match item {
                PatternItem::Positional { target, default } => {
                    let got = values.get(i).map(|v| (*v).clone()).unwrap_or(Value::None);
                    let got = match (got, default) {
                        (Value::None, Some(d)) => self.eval(d)?,
                        (g, _) => g,
                    };
                    self.assign(target, got)?;
                }
                PatternItem::Keyed {
                    key,
                    target,
                    default,
                } => {
                    let k = self.eval(key)?.to_key();
                    let got = a.map.get(&k).cloned().unwrap_or(Value::None);
                    let got = match (got, default) {
                        (Value::None, Some(d)) => self.eval(d)?,
                        (g, _) => g,
                    };
                    self.assign(target, got)?;
                }
                PatternItem::Rest(target) => {
                    let rest = Array::list(values.iter().skip(i).map(|v| (*v).clone()));
                    self.assign(target, Value::Array(Rc::new(rest)))?;
                }
            }
        }
        Ok(())
    }

    fn call(&mut self, callee: &'p Expr, args: &'p [Arg], span: Span) -> R<Value> {
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            let v = self.eval(&a.expr)?;
            if a.spread {
                match v {
                    Value::Array(items) => values.extend(items.map.values().cloned()),
                    other => {
                        return fail(a.expr.span, format!("cannot spread {}", other.type_name()))
                    }
                }
            } else {
                values.push(v);
            }
        }
        let (target, builtin) = match &callee.kind {
            ExprKind::Member { base, name } => match self.eval(base)? {
                Value::Object(o) => (Function::Method(o, name.text.clone()), false),
                other => return fail(name.span, format!("{} has no methods", other.type_name())),
            },
            ExprKind::ScopeRes {
                scope,
                member: ScopeMember::Ident(m),
            } => return self.call_static(scope, m, values, span),
            ExprKind::Ident(name) => (Function::Named(name.clone()), false),
            ExprKind::Builtin(n) => (Function::Named(n.text.clone()), true),
            _ => match self.eval(callee)? {
                Value::Function(f) => match f.as_ref() {
                    Function::Named(n) => (Function::Named(n.clone()), false),
                    Function::Closure(i) => (Function::Closure(*i), false),
                    Function::Method(o, m) => (Function::Method(o.clone(), m.clone()), false),
                },
                other => {
                    return fail(
                        callee.span,
                        format!("{} is not callable", other.type_name()),
                    )
                }
            },
        };
        self.call_value(&target, values, builtin, span)
    }

    /// Calls a function value with evaluated arguments.
    pub fn invoke(
        &mut self,
        f: &Function,
        args: Vec<Value>,
        builtin: bool,
        span: Span,
    ) -> Result<Value, Signal> {
        self.call_value(f, args, builtin, span).map_err(|s| *s)
    }

    fn call_value(
        &mut self,
        f: &Function,
        args: Vec<Value>,
        builtin: bool,
        span: Span,
    ) -> R<Value> {
        match f {
            Function::Named(name) => {
                if !builtin {
                    let decl = self.functions[self.origin.home].get(name.as_str()).copied();
                    if let Some(decl) = decl {
                        return self.call_decl(decl, args, span);
                    }
                }
                if let Some(host) = self.host.get_mut(name.as_str()) {
                    return Ok(host(args, span)?);
                }
                if let Some(v) = self.stubs.lookup(name, &args) {
                    return Ok(v);
                }
                if !builtin {
                    if let Some(c) = self.classes.get(name.as_str()).copied() {
                        return self.construct(c, args, span);
                    }
                }
                self.meter.limits.call(name, &args, span)?;
                let result = builtins::call(self, name, args, span)?;
                self.meter.limits.value(&result, span)?;
                Ok(result)
            }
            Function::Closure(i) => {
                let (f, captured) = (self.closures[*i].0, self.closures[*i].1.clone());
                self.enter("closure", &f.params, &f.body, captured, args, span, None)
            }
            Function::Method(o, m) => self.call_method(o.clone(), m, args, span),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn enter(
        &mut self,
        name: &str,
        params: &'p [Param],
        body: &'p Block,
        mut scope: Vars,
        args: Vec<Value>,
        span: Span,
        class: Option<&'p str>,
    ) -> R<Value> {
        if self.frames.len() >= self.meter.limits.depth {
            return Err(Box::new(Signal::Limit(
                format!("call depth limit of {} exceeded", self.meter.limits.depth),
                span,
            )));
        }
        let required = params
            .iter()
            .filter(|p| p.default.is_none() && !p.variadic)
            .count();
        let variadic = params.iter().any(|p| p.variadic);
        if args.len() < required || (!variadic && args.len() > params.len()) {
            let expected = if variadic {
                format!("at least {required}")
            } else if required == params.len() {
                format!("{required}")
            } else {
                format!("{required} to {}", params.len())
            };
            return fail(
                span,
                format!("{name}() takes {expected} arguments, {} given", args.len()),
            );
        }
        let mut args = args.into_iter();
        let mut defaults = Vec::new();
        for p in params {
            let v = if p.variadic {
                Value::Array(Rc::new(Array::list(args.by_ref())))
            } else if let Some(v) = args.next() {
                v
            } else {
                defaults.push(p);
                continue;
            };
            scope.insert(p.name.text.clone(), Rc::new(RefCell::new(v)));
        }
        self.cells.invalidate();
        self.frames.push(scope);
        self.class_stack.push(class);
        let from = self.switch(self.origin_of(body));
        let result = self
            .defaults(&defaults)
            .and_then(|()| self.stmts(&body.stmts));
        self.leave(from, &result);
        self.cells.invalidate();
        self.frames.pop();
        self.class_stack.pop();
        Ok(match result? {
            Flow::Return(v) => v,
            _ => Value::None,
        })
    }
}

impl<'p> Interpreter<'p> {
    /// Binds the parameters that were not passed to their default values.
    fn defaults(&mut self, params: &[&'p Param]) -> R<()> {
        for p in params {
            let v = match &p.default {
                Some(d) => self.eval(d)?,
                None => Value::None,
            };
            self.set(&p.name.text, v);
        }
        Ok(())
    }
}

/// A small direct-mapped cache of variable cells of the running scope,
/// keyed by the address of the variable's name in the syntax tree (which
/// lives as long as the interpreter), so a variable used again in a loop is
/// found without hashing its name. Every change of the running scope's
/// set of variables (a new or removed variable, a call, a module switch)
/// starts a new generation, which makes all entries stale.
struct CellCache {
    slots: Box<[CacheSlot; CACHE_SLOTS]>,
    generation: u64,
}

const CACHE_SLOTS: usize = 64;

#[derive(Default)]
struct CacheSlot {
    name: usize,
    generation: u64,
    cell: Option<Cell>,
}

impl Default for CellCache {
    fn default() -> Self {
        CellCache {
            slots: Box::new(std::array::from_fn(|_| CacheSlot::default())),
            generation: 1,
        }
    }
}

impl CellCache {
    #[inline]
    fn slot(name: &str) -> usize {
        let address = name.as_ptr() as usize as u64;
        (address.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize % CACHE_SLOTS
    }

    #[inline]
    fn get(&self, name: &str) -> Option<&Cell> {
        let slot = &self.slots[Self::slot(name)];
        if slot.name == name.as_ptr() as usize && slot.generation == self.generation {
            slot.cell.as_ref()
        } else {
            None
        }
    }

    #[inline]
    fn put(&mut self, name: &str, cell: Cell) {
        self.slots[Self::slot(name)] = CacheSlot {
            name: name.as_ptr() as usize,
            generation: self.generation,
            cell: Some(cell),
        };
    }

    #[inline]
    fn invalidate(&mut self) {
        self.generation += 1;
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
struct Origin {
    file: usize,
    home: usize,
}

/// Collects every function, method, constructor and closure body.
struct Bodies<'p>(Vec<&'p Block>);

impl<'p> hsl_syntax::visit::Visitor<'p> for Bodies<'p> {
    fn visit_function(&mut self, params: &'p [Param], body: &'p Block) {
        self.0.push(body);
        hsl_syntax::visit::walk_function(self, params, body);
    }
}

fn class_name<'p>(it: &Interpreter<'p>, class: &str) -> &'p str {
    it.classes.get(class).map_or("", |c| c.name.text.as_str())
}

impl<'p> Interpreter<'p> {
    /// `import`: runs the module once in its own top-level scope, then
    /// binds the requested functions, classes and (shared) variables; or
    /// decodes a data file into a variable.
    fn import(&mut self, import: &'p Import) -> R<()> {
        let (spec, span) = (&import.from.value, import.from.span);
        let specs = match &import.kind {
            ImportKind::Data { var, with } => return self.import_data(spec, span, var, with),
            ImportKind::Names(specs) => &specs[..],
            ImportKind::Namespace(_) => &[],
        };
        let (file, program) = self.module(spec, span)?;
        let home = match self.module_homes.get(&file) {
            Some(&home) => home,
            None => {
                let home = self.homes.len();
                self.homes.push(Vars::default());
                self.functions.push(HashMap::new());
                self.module_homes.insert(file.clone(), home);
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
            self.namespaces.insert(ns.text.clone(), home);
        }
        for item in specs {
            let local = item.local();
            if item.is_var {
                let Some(cell) = self.module_var(home, &item.name.text) else {
                    return fail(
                        item.name.span,
                        format!("`{spec}` does not define `${}`", item.name.text),
                    );
                };
                if let Some(existing) = self.lookup(&local.text) {
                    if !Rc::ptr_eq(&existing, &cell) {
                        return fail(
                            local.span,
                            format!(
                                "`${}` already exists here; import it under another name with `as`",
                                local.text
                            ),
                        );
                    }
                }
                self.scope().insert(local.text.clone(), cell);
            } else if let Some(f) = self.functions[home].get(item.name.text.as_str()).copied() {
                self.functions[self.origin.home].insert(&local.text, f);
            } else if !self.classes.contains_key(item.name.text.as_str()) {
                return fail(
                    item.name.span,
                    format!("`{spec}` does not define `{}`", item.name.text),
                );
            }
        }
        Ok(())
    }

    /// Records on a caught `Exception` where it was raised (for its
    /// `file()`, `line()` and `column()`), unless it already knows.
    fn locate(&self, v: &Value, span: Span) {
        let Value::Object(o) = v else { return };
        if o.class != "Exception" || o.fields.borrow().contains_key("file") {
            return;
        }
        let file = &self.sources[self.raised_in.unwrap_or(self.origin.file)];
        let Some((line, column)) = self
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
    fn module_var(&self, home: usize, name: &str) -> Option<Cell> {
        let scope = if home == self.origin.home {
            &self.globals
        } else {
            &self.homes[home]
        };
        scope.get(name).cloned()
    }

    /// `ns::f(args)` for `import * as ns`: a function the module defines.
    fn call_in_namespace(
        &mut self,
        ns: &str,
        home: usize,
        f: &'p Name,
        args: Vec<Value>,
        span: Span,
    ) -> R<Value> {
        let decl = self.functions[home].get(f.text.as_str()).copied();
        match decl {
            Some(decl) => self.call_decl(decl, args, span),
            _ => fail(f.span, format!("`{ns}` has no function `{}`", f.text)),
        }
    }

    /// Calls the user function `decl` in a fresh scope.
    fn call_decl(&mut self, decl: &'p FunctionDecl, args: Vec<Value>, span: Span) -> R<Value> {
        self.enter(
            &decl.name.text,
            &decl.params,
            &decl.body,
            Vars::default(),
            args,
            span,
            None,
        )
    }

    /// `import $var from "file.json" [with options]`.
    fn import_data(
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
        let Some((file, bytes)) = self.modules.and_then(|m| m.data(self.file(), spec)) else {
            return fail(span, format!("cannot find `{spec}`"));
        };
        let value = crate::data::decode(self, spec, file, bytes, &options, span)?;
        self.set(&var.text, value);
        Ok(())
    }

    fn current_class(&self) -> Option<&'p str> {
        self.class_stack.last().copied().flatten()
    }

    fn scope_class(&self, scope: &Scope, span: Span) -> R<String> {
        match scope {
            Scope::Named(n) => Ok(n.text.clone()),
            Scope::Static(_) => match self.current_class() {
                Some(c) => Ok(c.to_string()),
                None => fail(span, "`static::` outside a class"),
            },
        }
    }

    fn static_cell(&self, class: &str, name: &str, span: Span) -> R<Cell> {
        if let Some(&home) = self.namespaces.get(class) {
            return match self.module_var(home, name) {
                Some(cell) => Ok(cell),
                None => fail(span, format!("`{class}` does not define `${name}`")),
            };
        }
        match self.statics.get(&(class.to_string(), name.to_string())) {
            Some(c) => Ok(c.clone()),
            None => fail(span, format!("`{class}` has no static variable `${name}`")),
        }
    }

    fn member_decl(&self, class: &str, name: &str) -> Option<&'p ClassMember> {
        self.classes
            .get(class)?
            .members
            .iter()
            .find(|m| match &m.kind {
                MemberKind::Method { name: n, .. } | MemberKind::Property { name: n, .. } => {
                    n.text == name
                }
                MemberKind::Constructor { .. } => false,
            })
    }

    fn method_decl(&self, class: &str, name: &str) -> Option<&'p ClassMember> {
        self.member_decl(class, name)
            .filter(|m| matches!(m.kind, MemberKind::Method { .. }))
    }

    /// Enforces `private` (from outside the class) and `readonly` (writes
    /// from outside the class).
    fn check_access(&self, class: &str, name: &str, write: bool, span: Span) -> R<()> {
        let inside = self.current_class() == Some(class);
        let Some(m) = self.member_decl(class, name) else {
            return Ok(());
        };
        let mods = match &m.kind {
            MemberKind::Method { mods, .. } | MemberKind::Property { mods, .. } => *mods,
            MemberKind::Constructor { .. } => return Ok(()),
        };
        if mods.private && !inside {
            return fail(span, format!("`{name}` is private to `{class}`"));
        }
        if write && mods.readonly && !inside {
            return fail(
                span,
                format!("`{name}` of `{class}` is read-only outside the class"),
            );
        }
        Ok(())
    }

    fn member(&mut self, base: &Value, name: &str, span: Span) -> R<Value> {
        let Value::Object(o) = base else {
            return fail(span, format!("{} has no properties", base.type_name()));
        };
        self.check_access(&o.class, name, false, span)?;
        if let Some(v) = o.fields.borrow().get(name) {
            return Ok(v.clone());
        }
        if self.method_decl(&o.class, name).is_some()
            || o.class == "Exception"
            || o.native.is_some()
        {
            return Ok(Value::Function(Rc::new(Function::Method(
                o.clone(),
                name.to_string(),
            ))));
        }
        Ok(Value::None)
    }

    fn construct(&mut self, class: &'p ClassDecl, args: Vec<Value>, span: Span) -> R<Value> {
        let object = Rc::new(Object {
            class: class.name.text.clone(),
            fields: RefCell::new(indexmap::IndexMap::new()),
            ..Default::default()
        });
        for m in &class.members {
            if let MemberKind::Property { mods, name, init } = &m.kind {
                if !mods.is_static {
                    let v = match init {
                        Some(e) => self.eval(e)?,
                        None => Value::None,
                    };
                    object.fields.borrow_mut().insert(name.text.clone(), v);
                }
            }
        }
        let ctor = class.members.iter().find_map(|m| match &m.kind {
            MemberKind::Constructor { params, body } => Some((params, body)),
            _ => None,
        });
        match ctor {
            Some((params, body)) => {
                let mut scope = Vars::default();
                scope.insert(
                    "this".into(),
                    Rc::new(RefCell::new(Value::Object(object.clone()))),
                );
                self.enter(
                    &class.name.text,
                    params,
                    body,
                    scope,
                    args,
                    span,
                    Some(&class.name.text),
                )?;
            }
            None if !args.is_empty() => {
                return fail(
                    span,
                    format!(
                        "`{}` has no constructor and takes no arguments",
                        class.name.text
                    ),
                )
            }
            None => {}
        }
        Ok(Value::Object(object))
    }

    fn call_method(
        &mut self,
        object: Rc<Object>,
        name: &str,
        args: Vec<Value>,
        span: Span,
    ) -> R<Value> {
        let field = object.fields.borrow().get(name).cloned();
        if let Some(Value::Function(f)) = field {
            return self.call_value(&f, args, false, span);
        }
        if object.native.is_some() {
            return Ok(crate::mail::method(self, &object, name, &args, span)?);
        }
        if matches!(object.class.as_str(), "Map" | "Set")
            && !self.classes.contains_key(object.class.as_str())
        {
            return Ok(crate::collections::method(&object, name, args, span)?);
        }
        if object.class == "Exception" {
            let field = |f: &str| object.fields.borrow().get(f).cloned().unwrap_or_default();
            return match name {
                "message" | "file" | "line" | "column" => Ok(field(name)),
                // `file:line:column: message` once the position is known.
                "toString" => Ok(match field("file") {
                    Value::None => field("message"),
                    file => {
                        let parts = [file, field("line"), field("column")];
                        let mut text: Vec<u8> = parts
                            .iter()
                            .flat_map(|p| [p.to_bytes(), b":".to_vec()])
                            .flatten()
                            .collect();
                        text.push(b' ');
                        text.extend(field("message").to_bytes());
                        Value::str(text)
                    }
                }),
                _ => fail(span, format!("`Exception` has no method `{name}`")),
            };
        }
        self.check_access(&object.class, name, false, span)?;
        let Some(method) = self.method_decl(&object.class, name) else {
            return fail(span, format!("`{}` has no method `{name}`", object.class));
        };
        let MemberKind::Method {
            params, body, mods, ..
        } = &method.kind
        else {
            unreachable!("a method")
        };
        let mut scope = Vars::default();
        if !mods.is_static {
            scope.insert(
                "this".into(),
                Rc::new(RefCell::new(Value::Object(object.clone()))),
            );
        }
        let class = self
            .classes
            .get(object.class.as_str())
            .map(|c| c.name.text.as_str());
        self.enter(name, params, body, scope, args, span, class)
    }
}

#[cfg(test)]
mod tests {
    fn run(source: &str) -> String {
        let mut out = Vec::new();
        let result = crate::run_source(source, "t.hsl", &Default::default(), &mut |b| {
            out.extend_from_slice(b)
        });
        match result {
            Ok(()) => String::from_utf8(out).unwrap(),
            Err(e) => e.message,
        }
    }

    #[test]
    fn cached_variables_follow_scope_changes() {
        // A variable unset in a loop is gone at its next read.
        let unset = "$x = 1; for ($i = 0; $i < 2; $i++) { echo isset($x); unset($x); }";
        assert_eq!(run(unset), "true\nfalse\n");
        // The same variable of the tree names another cell in each call.
        let recursion = "function f($n) { $r = $n; if ($n > 0) f($n - 1); return $r; } echo f(3);";
        assert_eq!(run(recursion), "3\n");
        // `global` rebinds a name that was read before in the same scope.
        let global =
            "$g = 5; function h() { $g = 1; $a = $g; global $g; return [$a, $g]; } echo h();";
        assert_eq!(run(global), "[0=>1,1=>5]\n");
        // A closure writes the captured cell the caller then reads.
        let closure =
            "$c = 0; $inc = function () closure ($c) { $c += 2; }; $inc(); $inc(); echo $c;";
        assert_eq!(run(closure), "4\n");
    }
}
