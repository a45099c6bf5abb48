//! The evaluator: statements, expressions, scopes with shared cells (for
//! `global` and closure captures), user functions and closures, classes,
//! includes and modules, exceptions and limits.
//!
//! The interpreter's state is grouped by concern: the sandbox [`Meter`],
//! the variable [`Scopes`], the program's [`Definitions`], the [`Loader`]
//! of included and imported files, and the [`World`] the script sees.

mod calls;
mod classes;
mod expressions;
mod frame;
mod modules;
mod scopes;
mod statements;

use crate::limits::{Limits, Meter};
use crate::value::{Object, Value};
use crate::R;
use hsl_syntax::ast::*;
use hsl_syntax::Span;
use modules::Loader;
use scopes::{Cell, Scopes, Vars};
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

/// How a statement ended.
enum Flow {
    Next,
    Break,
    Continue,
    Return(Value),
}

/// Raises a catchable runtime error at `span`: an `Exception` object.
pub(crate) fn error<T>(span: Span, message: impl Into<String>) -> R<T> {
    Err(Box::new(Signal::Throw(
        Object::exception(message.into()),
        span,
    )))
}

/// What the program defines as it runs: named functions (by module),
/// closures with their captured cells, classes and their static
/// properties, and the class whose method each frame runs.
struct Definitions<'p> {
    /// Named functions by module index (0: the entry script and its includes).
    functions: Vec<HashMap<&'p str, &'p FunctionDecl>>,
    closures: Vec<(&'p FunctionExpr, Vars)>,
    classes: HashMap<&'p str, &'p ClassDecl>,
    statics: HashMap<(String, String), Cell>,
    /// The class whose method each frame runs (for `private`, `readonly`, `static::`).
    class_stack: Vec<Option<&'p str>>,
}

/// What the script sees of the world: where `echo` goes, the embedder's
/// functions, stubbed results, the `cache` store and its clock, random
/// numbers and `barrier` variables.
struct World<'p> {
    echo: &'p mut dyn FnMut(&[u8]),
    host: HashMap<String, HostFn<'p>>,
    stubs: crate::stubs::Stubs,
    cache: crate::cache::Cache,
    rng: u64,
    /// When the first script started, on the clock.
    started: Option<f64>,
    barriers: HashMap<Vec<u8>, Value>,
}

/// Evaluates one program.
pub struct Interpreter<'p> {
    /// Steps, time and output against the limits.
    meter: Meter,
    scopes: Scopes,
    defs: Definitions<'p>,
    files: Loader<'p>,
    world: World<'p>,
    /// Statements and branches run, when the thread records coverage.
    coverage: Option<Box<crate::coverage::Recorder>>,
}

impl Drop for Interpreter<'_> {
    /// Adds what ran to the thread's coverage.
    fn drop(&mut self) {
        if let Some(mut recorder) = self.coverage.take() {
            crate::coverage::merge(self.files.covered(&mut recorder));
        }
    }
}

impl<'p> Interpreter<'p> {
    /// An interpreter whose `echo` output goes to `echo`.
    pub fn new(limits: Limits, echo: &'p mut dyn FnMut(&[u8])) -> Self {
        Interpreter {
            meter: Meter::new(limits),
            scopes: Scopes::default(),
            defs: Definitions {
                functions: vec![HashMap::new()],
                closures: Vec::new(),
                classes: HashMap::new(),
                statics: HashMap::new(),
                class_stack: Vec::new(),
            },
            files: Loader::default(),
            world: World {
                echo,
                host: HashMap::new(),
                stubs: Default::default(),
                cache: Default::default(),
                rng: 0x9E37_79B9_7F4A_7C15,
                started: None,
                barriers: HashMap::new(),
            },
            coverage: crate::coverage::recording().then(Box::default),
        }
    }

    /// Sets the clock (seconds since the epoch) used by `time()` and `cache` expiry.
    pub fn set_clock(&mut self, clock: Box<dyn Fn() -> f64>) {
        self.world.cache.clock = clock;
    }

    /// Seeds the random functions, so runs repeat exactly.
    pub fn set_seed(&mut self, seed: u64) {
        self.world.rng = seed | 1;
    }

    /// The current time from the clock.
    pub fn now(&self) -> f64 {
        (self.world.cache.clock)()
    }

    /// When this interpreter first ran a script, on the clock.
    pub fn started(&self) -> f64 {
        self.world.started.unwrap_or_else(|| self.now())
    }

    /// The next pseudo-random number (xorshift64*).
    pub fn random(&mut self) -> u64 {
        let rng = &mut self.world.rng;
        *rng ^= *rng >> 12;
        *rng ^= *rng << 25;
        *rng ^= *rng >> 27;
        rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Supplies results for functions that need the world.
    pub fn set_stubs(&mut self, stubs: crate::stubs::Stubs) {
        self.world.stubs = stubs;
    }

    /// Calls the host function `name` if the embedder defined one.
    pub(crate) fn call_host(
        &mut self,
        name: &str,
        args: Vec<Value>,
        span: Span,
    ) -> Option<R<Value>> {
        let host = self.world.host.get_mut(name)?;
        Some(host(args, span).map_err(Box::new))
    }

    /// The stubbed result of `name(args)`, if the stub registry has one.
    pub(crate) fn stubbed(&self, name: &str, args: &[Value]) -> Option<Value> {
        self.world.stubs.lookup(name, args)
    }

    /// Makes `name` callable from the script (before builtins of that name).
    pub fn define_function(&mut self, name: &str, f: HostFn<'p>) {
        self.world.host.insert(name.to_string(), f);
    }

    /// Predefines a global variable (`$arguments`, `$context`…); read-only
    /// ones cannot be assigned by the script.
    pub fn define_variable(&mut self, name: &str, value: Value, readonly: bool) {
        self.scopes
            .define(name, Rc::new(RefCell::new(value)), readonly);
    }

    /// Predefines a global variable whose cell the embedder keeps, so that
    /// one of its host functions can change the variable while the script
    /// runs (the 4.x `SetSenderIP()` updates `$senderip` at once).
    pub fn define_shared_variable(&mut self, name: &str, cell: Rc<RefCell<Value>>, readonly: bool) {
        self.scopes.define(name, cell, readonly);
    }

    /// The current value of a global variable (e.g. `$context` after a hook).
    pub fn global(&self, name: &str) -> Option<Value> {
        self.scopes.globals.get(name).map(|c| c.borrow().clone())
    }

    /// Runs `program` from the top.
    pub fn run(&mut self, program: &'p Program) -> Result<(), Signal> {
        self.run_program(program).map_err(|s| *s)
    }

    fn run_program(&mut self, program: &'p Program) -> R<()> {
        self.meter.start();
        if self.world.started.is_none() {
            self.world.started = Some(self.now());
        }
        self.hoist(&program.stmts);
        let classes: Vec<&'p ClassDecl> = self.defs.classes.values().copied().collect();
        for c in classes {
            for m in &c.members {
                if let MemberKind::Property { mods, name, init } = &m.kind {
                    if mods.is_static {
                        let v = match init {
                            Some(e) => self.eval(e)?,
                            None => Value::None,
                        };
                        self.defs.statics.insert(
                            (c.name.text.clone(), name.text.clone()),
                            Rc::new(RefCell::new(v)),
                        );
                    }
                }
            }
        }
        self.stmts(&program.stmts)?;
        let end = program.stmts.last().map_or_else(Span::default, |s| s.span);
        self.meter.walked(end)
    }

    /// Records the functions and classes `stmts` declare, so they can be
    /// called before their declaration.
    fn hoist(&mut self, stmts: &'p [Stmt]) {
        for s in stmts {
            match &s.kind {
                StmtKind::Function(f) => {
                    self.defs.functions[self.files.origin.home].insert(&f.name.text, f);
                    self.hoist(&f.body.stmts);
                }
                StmtKind::Class(c) => {
                    self.defs.classes.insert(&c.name.text, c);
                }
                _ => {}
            }
        }
    }

    /// Charges `bytes` of output an embedder keeps (hook output in a
    /// simulation) to the run's memory budget, as `echo` output is.
    #[inline(always)]
    pub fn charge_output(&mut self, bytes: usize, span: Span) -> Result<(), Signal> {
        self.meter.output(bytes, span).map_err(|s| *s)
    }

    /// The sandbox meter, for built-ins that check the deadline and the
    /// memory limit as they go.
    pub(crate) fn meter(&self) -> &Meter {
        &self.meter
    }

    #[inline(always)]
    fn step(&mut self, span: Span) -> R<()> {
        self.meter.step(span)
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
