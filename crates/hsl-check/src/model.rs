//! The semantic model of one file: a walk over its syntax tree that tracks
//! scopes, definite assignment, reachability and value kinds, and records
//! the facts the rules judge (calls, reads, writes, key accesses, …).

use crate::env::Env;
use crate::flow::{Assigned, Flow, Gap, Mark, Path, Var};
use crate::scopes::{Recorder, Scopes};
use crate::symbols::{Entry, Found, Sym, Symbols};
use hsl_catalog::{Key, Kind, Type, Variable};
use hsl_syntax::ast::*;
use hsl_syntax::{Mentions, Span, Words};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::{Arc, LazyLock};

/// What a value is known to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValType {
    /// A plain kind (number, string, …).
    Kind(Kind),
    /// An instance of the named class.
    Class(String),
}

/// A call of a plain name: `f(…)` or `builtin f(…)`.
#[derive(Clone, Debug)]
pub struct Call {
    /// Called name.
    pub name: Arc<str>,
    /// Span of the name.
    pub span: Span,
    /// Kind of each argument when it is a literal or known.
    pub args: Vec<(Option<Kind>, Span)>,
    /// An argument uses `...` spreading (arity unknown).
    pub spread: bool,
    /// Written as `builtin f(…)`.
    pub builtin: bool,
    /// Each argument that is an array literal, with its constant keys, by
    /// position (none past the last one).
    pub arrays: Vec<Option<LiteralArray>>,
}

/// An array literal's `"key" => value` entries whose key is a constant string.
#[derive(Clone, Debug)]
pub struct LiteralArray {
    /// The entries in source order.
    pub entries: Vec<LiteralEntry>,
}

/// One `"key" => value` entry of an array literal.
#[derive(Clone, Debug)]
pub struct LiteralEntry {
    /// The key's text.
    pub key: String,
    /// Span of the key.
    pub key_span: Span,
    /// The value's kind when it is a literal.
    pub kind: Option<Kind>,
    /// Span of the value.
    pub value_span: Span,
    /// The value when it is itself an array literal.
    pub nested: Option<LiteralArray>,
}

impl LiteralArray {
    /// The array literal `e` is (through parentheses), if it is one.
    pub fn of(e: &Expr) -> Option<LiteralArray> {
        let items = match &e.kind {
            ExprKind::Array(items) => items,
            ExprKind::Paren(inner) => return LiteralArray::of(inner),
            _ => return None,
        };
        let entries = items
            .iter()
            .filter_map(|item| match item {
                ArrayItem::Keyed(k, v) => {
                    let ExprKind::Str(s) = &k.kind else {
                        return None;
                    };
                    Some(LiteralEntry {
                        key: String::from_utf8_lossy(&s.constant()?).into_owned(),
                        key_span: k.span,
                        kind: literal_kind(v),
                        value_span: v.span,
                        nested: LiteralArray::of(v),
                    })
                }
                _ => None,
            })
            .collect();
        Some(LiteralArray { entries })
    }
}

/// A read of a variable that is not definitely assigned at that point.
#[derive(Clone, Debug)]
pub struct UnassignedRead {
    /// Variable name without `$`.
    pub name: String,
    /// Where it is read.
    pub span: Span,
    /// `Some`: assigned on some paths to the read, not on the one named;
    /// `None`: unassigned on every path to it.
    pub maybe: Option<Gap>,
    /// The first assignment in the scope (later, or on other paths), if any.
    pub assigned_at: Option<Span>,
    /// Names assigned in the scope, for suggestions.
    pub candidates: Arc<[String]>,
    /// Read at the file's top level (where an includer may provide it).
    pub top_level: bool,
}

/// `$predefined["a"]["b"]` with literal keys.
#[derive(Clone, Debug)]
pub struct KeyAccess {
    /// The predefined variable.
    pub variable: &'static Variable,
    /// Literal keys and their spans, outermost last.
    pub path: Vec<(String, Span)>,
}

/// `$x->name(…)` where the receiver's type is known.
#[derive(Clone, Debug)]
pub struct MethodCall {
    /// Receiver description for messages (`$n`).
    pub receiver: String,
    /// Its known type.
    pub ty: ValType,
    /// Method name and span.
    pub name: Name,
}

/// A declared function or class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decl {
    /// The name.
    pub name: Name,
    /// `true` for a class.
    pub is_class: bool,
    /// Declared at the file's top level.
    pub top_level: bool,
}

/// Everything the rules need to know about one file.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// Calls of plain names.
    pub calls: Vec<Call>,
    /// Bare names used as values (function or class references).
    pub name_refs: Vec<Name>,
    /// Reads of variables that may not be assigned.
    pub unassigned_reads: Vec<UnassignedRead>,
    /// Assignments (or unset, ++/--) of read-only predefined variables.
    pub readonly_writes: Vec<(String, Span)>,
    /// Literal-key accesses of predefined variables.
    pub key_accesses: Vec<KeyAccess>,
    /// Method calls on values of known type.
    pub method_calls: Vec<MethodCall>,
    /// First statements that can never run, with the span of what ends the flow.
    pub unreachable: Vec<(Span, Span)>,
    /// `break`/`continue` outside a loop: span and keyword.
    pub misplaced_jumps: Vec<(Span, &'static str)>,
    /// Function and class declarations.
    pub decls: Vec<Decl>,
    /// Variables assigned but never read (name, first assignment).
    pub unused_variables: Vec<(String, Span)>,
    /// Every name referenced (called or used as a value), for unused checks.
    pub used_names: HashSet<Arc<str>>,
    /// Every variable name read anywhere.
    pub read_variables: HashSet<Arc<str>>,
    /// Classes of variables whose every assignment (in every scope) creates
    /// an instance of the same class, for completion after `->`.
    pub variable_classes: HashMap<Arc<str>, Option<String>>,
    /// The scopes of the file and the variables named in each (not those
    /// of the parts: ask [`Model::visible_at`] and [`Model::occurrences`]).
    pub(crate) scopes: Scopes,
    /// The top-level function declarations walked on their own (by
    /// [`Model::add_parts`]), in source order. The other fields hold the facts of
    /// the rest of the file, except `used_names`, `read_variables` and
    /// `variable_classes`, which hold the whole file's.
    pub parts: Vec<Part>,
}

/// A top-level function declaration, walked on its own: a function body
/// sees only its parameters, so its facts depend on its text and the
/// environment alone, and an editor re-walks only the function it edits.
#[derive(Clone, Debug)]
pub struct Part {
    /// The declaration's span in the file.
    pub span: Span,
    /// Its facts, positions relative to `span.start`.
    pub model: Arc<Model>,
}

impl Decl {
    /// The declaration `stmt` is, if it is one.
    pub(crate) fn of(stmt: &Stmt, top_level: bool) -> Option<Decl> {
        let (name, is_class) = match &stmt.kind {
            StmtKind::Function(f) => (&f.name, false),
            StmtKind::Class(c) => (&c.name, true),
            _ => return None,
        };
        Some(Decl {
            name: name.clone(),
            is_class,
            top_level,
        })
    }
}

/// The words that start a declaration (see [`each_declaration`]).
pub const DECLARING: [&str; 3] = ["function", "class", "global"];

/// The searchers of [`DECLARING`].
pub static DECLARING_WORDS: LazyLock<Words> = LazyLock::new(|| Words::new(&DECLARING));

/// Calls `each` with every statement of the top-level statements `stmts`
/// that declares a name: functions and classes (nested ones too, `true`
/// for those at the top level) and `global` statements, in source order.
/// One walk; the top-level statements without [`DECLARING`] words past
/// their start in `mentions` (when given) are not walked into.
pub fn each_declaration(
    stmts: &[Stmt],
    mentions: Option<&Mentions>,
    each: &mut dyn FnMut(&Stmt, bool),
) {
    struct Nested<'e>(&'e mut dyn FnMut(&Stmt, bool));
    impl hsl_syntax::visit::Visitor<'_> for Nested<'_> {
        fn visit_stmt(&mut self, s: &Stmt) {
            if declares(s) {
                (self.0)(s, false);
            }
            hsl_syntax::visit::walk_stmt(self, s);
        }
    }
    for s in stmts {
        if declares(s) {
            each(s, true);
        }
        if mentions.is_none_or(|m| m.inside(s.span)) {
            hsl_syntax::visit::walk_stmt(&mut Nested(each), s);
        }
    }
}

fn declares(s: &Stmt) -> bool {
    matches!(
        s.kind,
        StmtKind::Function(_) | StmtKind::Class(_) | StmtKind::Global(_)
    )
}

/// The names of the functions among `decls`.
pub fn functions(decls: &[Decl]) -> impl Iterator<Item = &str> {
    decls
        .iter()
        .filter(|d| !d.is_class)
        .map(|d| d.name.text.as_str())
}

/// The names of the classes among `decls`.
pub fn classes(decls: &[Decl]) -> impl Iterator<Item = &str> {
    decls
        .iter()
        .filter(|d| d.is_class)
        .map(|d| d.name.text.as_str())
}

impl Model {
    /// The class of `$variable` (name without `$`) when every assignment
    /// to it creates an instance of the same class.
    pub fn variable_class(&self, variable: &str) -> Option<&str> {
        self.variable_classes.get(variable)?.as_deref()
    }
}

/// A loop or switch being walked: what `break` leaves.
struct Frame {
    /// `true` for loops (`continue` applies), `false` for `switch`.
    is_loop: bool,
    /// The flow where it starts.
    start: Mark,
    /// Whether the state at each `break` is kept (`forever` and `switch`,
    /// whose ends are only reached through `break`).
    keeps_breaks: bool,
    breaks: Vec<(Path, Gap)>,
}

/// A read of a variable not assigned on every path, decided when its scope closes.
struct PendingRead {
    var: Var,
    span: Span,
    maybe: Option<Gap>,
}

#[derive(Default)]
struct VarScope {
    /// Assignment state at the current point.
    flow: Flow,
    /// The variables named in the scope, by number.
    vars: Vec<Entry>,
    /// Every assignment in order (for loops: what their body assigns).
    assignments: Vec<Var>,
    /// What made the current point unreachable.
    ended_by: Span,
    /// Enclosing loops and switches, innermost last.
    frames: Vec<Frame>,
    /// Whether unused variables are reported for this scope.
    report_unused: bool,
    pending_reads: Vec<PendingRead>,
}

impl VarScope {
    /// Forgets the scope, keeping the room of its buffers for another.
    fn clear(&mut self) {
        self.flow.clear();
        self.vars.clear();
        self.assignments.clear();
        self.ended_by = Span::default();
        self.frames.clear();
        self.pending_reads.clear();
    }
}

/// What a walk leaves, cleared, for the next walk on the same thread: the
/// room of its name table and of its scopes' buffers.
struct Room {
    symbols: Symbols,
    /// Empty.
    scopes: Vec<VarScope>,
    spare: Vec<VarScope>,
}

thread_local! {
    static ROOM: std::cell::Cell<Option<Room>> = const { std::cell::Cell::new(None) };
}

/// Builds the model of `program` (declaring `decls`, see
/// [`crate::declared::Declared`]) in the environment `env`, functions and
/// all in one walk (no parts: a check that keeps nothing for later).
pub fn build(program: &Program, decls: Vec<Decl>, env: &Env) -> Model {
    let mut model = walk(program, env, false);
    model.decls = decls;
    model
}

/// The facts of the body of the function `f` declared at the top level, in
/// the environment `env` (positions as in the file).
pub fn function_facts(f: &FunctionDecl, env: &Env) -> Model {
    let mut w = Walker::new(env);
    // The top level around the body: never closed, it records nothing.
    w.open_scope(false);
    w.body(&f.params, &f.body, &[], None);
    w.finish()
}

/// The smallest top-level function (declaration text in bytes) made a
/// part: a smaller one costs less to walk again than to keep apart.
pub const PART_MIN_BYTES: u32 = 64;

/// Where the facts of a top-level function declaration come from.
pub type PartFacts<'a> = &'a mut dyn FnMut(&FunctionDecl) -> Arc<Model>;

/// The facts of the top level of `program`, its parts left out (a part is
/// a top-level function declaration of at least [`PART_MIN_BYTES`], added
/// by [`Model::add_parts`]) and its declarations too (they reach into the
/// parts: [`crate::declared::Declared`]). They depend on the environment
/// and the text of the top-level statements and of the parts' headers
/// alone.
pub fn top_level(program: &Program, env: &Env) -> Model {
    walk(program, env, true)
}

/// The function the top-level statement `s` declares, if it is a part.
pub fn is_part(s: &Stmt) -> Option<&FunctionDecl> {
    match &s.kind {
        StmtKind::Function(f) if f.span.end - f.span.start >= PART_MIN_BYTES => Some(f),
        _ => None,
    }
}

impl Model {
    /// Adds the parts of `program` to its top-level facts, each from `part`
    /// (positions relative to the declaration's start, as
    /// [`function_facts`] moved by [`Model::move_to`]).
    pub fn add_parts(&mut self, program: &Program, part: PartFacts) {
        for f in program.stmts.iter().filter_map(is_part) {
            let model = part(f);
            self.absorb(&model);
            self.parts.push(Part {
                span: f.span,
                model,
            });
        }
    }
}

/// The whole walk, declarations left out; the parts' bodies left out too
/// when `parts` is set.
fn walk(program: &Program, env: &Env, parts: bool) -> Model {
    let mut w = Walker::new(env);
    w.open_scope(env.is_hook_file);
    for name in &env.assigned_at_start {
        let v = w.var(name);
        w.flow().set(v, Assigned::Yes);
        w.entry(v).exempt = true;
    }
    w.stmts_with(
        &program.stmts,
        &mut |w, s| match is_part(s).filter(|_| parts) {
            Some(f) => w.defaults(&f.params),
            None => w.stmt(s),
        },
    );
    w.close_scope();
    w.finish()
}

struct Walker<'e> {
    env: &'e Env,
    model: Model,
    scopes: Vec<VarScope>,
    /// Closed scopes, cleared, whose buffers the next scopes reuse.
    spare: Vec<VarScope>,
    /// The variable names met so far.
    symbols: Symbols,
    /// The scope table recorded for editors.
    table: Recorder,
}

fn literal_kind(e: &Expr) -> Option<Kind> {
    match &e.kind {
        ExprKind::Number(_) => Some(Kind::Number),
        ExprKind::Str(_) => Some(Kind::String),
        ExprKind::Array(_) => Some(Kind::Array),
        ExprKind::Bool(_) => Some(Kind::Boolean),
        ExprKind::None => Some(Kind::None),
        ExprKind::Function(_) => Some(Kind::Function),
        ExprKind::Paren(inner) => literal_kind(inner),
        _ => None,
    }
}

impl<'e> Walker<'e> {
    fn new(env: &'e Env) -> Self {
        let room = ROOM.take().unwrap_or_else(|| Room {
            symbols: Symbols::default(),
            scopes: Vec::new(),
            spare: Vec::new(),
        });
        Walker {
            env,
            model: Model::default(),
            scopes: room.scopes,
            spare: room.spare,
            symbols: room.symbols,
            table: Recorder::new(),
        }
    }

    /// The model, once the walk is over.
    fn finish(self) -> Model {
        let Walker {
            mut model,
            mut scopes,
            mut spare,
            mut symbols,
            table,
            ..
        } = self;
        let found = symbols.found();
        let count = |f: fn(&Found) -> bool| found.clone().filter(f).count();
        model.read_variables.reserve(count(|f| f.read));
        model.used_names.reserve(count(|f| f.used));
        model.variable_classes.reserve(count(|f| f.class.is_some()));
        for f in found {
            if f.read {
                model.read_variables.insert(f.text.clone());
            }
            if f.used {
                model.used_names.insert(f.text.clone());
            }
            // The walk's own classes: the first ones.
            if let Some(class) = f.class {
                let class = class.map(str::to_string);
                model.variable_classes.insert(f.text.clone(), class);
            }
        }
        model.scopes = table.finish();
        symbols.next_walk();
        scopes.iter_mut().for_each(VarScope::clear);
        spare.append(&mut scopes);
        ROOM.set(Some(Room {
            symbols,
            scopes,
            spare,
        }));
        model
    }
}

impl Walker<'_> {
    fn scope(&mut self) -> &mut VarScope {
        self.scopes.last_mut().expect("a scope is open")
    }

    /// Opens a scope, reporting its unused variables if `report_unused`.
    fn open_scope(&mut self, report_unused: bool) {
        let mut scope = self.spare.pop().unwrap_or_default();
        scope.report_unused = report_unused;
        self.scopes.push(scope);
    }

    /// The depth of the current scope (the top level is 0).
    fn depth(&self) -> u32 {
        (self.scopes.len() - 1) as u32
    }

    /// The variable `sym` names in the current scope, added if new.
    fn var_of(&mut self, sym: Sym) -> Var {
        let depth = self.depth();
        if let Some(var) = self.symbols.var_at(sym, depth) {
            return var;
        }
        let scope = self.scopes.last_mut().expect("a scope is open");
        let var = scope.vars.len() as Var;
        scope.vars.push(self.symbols.claim(sym, depth, var));
        var
    }

    /// The variable `name` names in the current scope, added if new.
    fn var(&mut self, name: &str) -> Var {
        let sym = self.symbols.intern(name, self.env);
        self.var_of(sym)
    }

    fn entry(&mut self, var: Var) -> &mut Entry {
        &mut self.scope().vars[var as usize]
    }

    /// The predefined variable `name` (without `$`), if there is one.
    fn predefined(&mut self, name: &str) -> Option<&'static Variable> {
        let sym = self.symbols.intern(name, self.env);
        self.symbols.predefined(sym)
    }

    /// Notes that the function or class `name` is called or used as a value.
    fn use_name(&mut self, name: &str) -> Sym {
        let sym = self.symbols.intern(name, self.env);
        self.symbols.use_name(sym);
        sym
    }

    /// The scope table has `var` assigned or declared at `span`.
    fn define(&mut self, var: Var, span: Span) {
        let recorded = &mut self.entry(var).recorded;
        recorded.definition.get_or_insert(span);
        recorded.occurrences.push(span);
    }

    /// The scope table has `var` read at `span`.
    fn mention(&mut self, var: Var, span: Span) {
        self.entry(var).recorded.occurrences.push(span);
    }

    /// `name` is read where it may be unset, at `span`: noted and recorded,
    /// not judged.
    fn read_leniently(&mut self, sym: Sym, span: Span) {
        let var = self.var_of(sym);
        self.mention(var, span);
        self.symbols.read(sym);
        self.entry(var).read = true;
    }

    fn close_scope(&mut self) {
        let mut scope = self.scopes.pop().expect("a scope is open");
        let top_level = self.scopes.is_empty();
        self.symbols.release(&scope.vars);
        for e in &scope.vars {
            if let Some(ty) = &e.ty {
                let class = match ty {
                    Some(ValType::Class(c)) => Some(c.as_str()),
                    _ => None,
                };
                self.symbols.merge_class(e.sym, class);
            }
        }
        let text = |e: &Entry| &**self.symbols.text(e.sym);
        if !scope.pending_reads.is_empty() {
            // The names assigned in the scope, for suggestions.
            let mut names: Vec<String> = (scope.vars.iter())
                .filter(|e| e.ever)
                .map(|e| text(e).to_string())
                .collect();
            names.sort();
            let candidates: Arc<[String]> = names.into();
            for read in scope.pending_reads.drain(..) {
                let e = &scope.vars[read.var as usize];
                self.model.unassigned_reads.push(UnassignedRead {
                    assigned_at: e.first_write,
                    name: text(e).to_string(),
                    span: read.span,
                    maybe: read.maybe,
                    candidates: candidates.clone(),
                    top_level,
                });
            }
        }
        if scope.report_unused {
            let mut unused: Vec<(String, Span)> = (scope.vars.iter())
                .filter(|e| !e.read && !e.exempt)
                .filter_map(|e| {
                    let (name, first) = (text(e), e.first_write?);
                    let unused = !name.starts_with('_') && !self.env.globals_used.contains(name);
                    unused.then(|| (name.to_string(), first))
                })
                .collect();
            unused.sort_by_key(|(_, s)| s.start);
            self.model.unused_variables.extend(unused);
        }
        let variables = (scope.vars.iter_mut())
            .filter(|e| !e.recorded.occurrences.is_empty())
            .map(|e| {
                let name = self.symbols.text(e.sym).clone();
                (name, std::mem::take(&mut e.recorded))
            })
            .collect();
        self.table.leave(variables);
        scope.clear();
        self.spare.push(scope);
    }

    /// Assigns `name` at `span`, a value of type `ty` if known.
    fn assign_var(&mut self, name: &str, span: Span, ty: Option<ValType>) -> Var {
        let sym = self.symbols.intern(name, self.env);
        self.assign(sym, span, ty)
    }

    /// Assigns the variable named `sym` at `span`, a value of type `ty` if known.
    fn assign(&mut self, sym: Sym, span: Span, ty: Option<ValType>) -> Var {
        let var = self.var_of(sym);
        self.define(var, span);
        let s = self.scope();
        s.flow.set(var, Assigned::Yes);
        s.assignments.push(var);
        let e = &mut s.vars[var as usize];
        e.ever = true;
        e.first_write.get_or_insert(span);
        match &mut e.ty {
            None => e.ty = Some(ty),
            Some(known) if *known != ty => *known = None,
            Some(_) => {}
        }
        var
    }

    /// Reads `name` at `span`; the variable read.
    fn read_var(&mut self, name: &str, span: Span) -> Var {
        let sym = self.symbols.intern(name, self.env);
        self.read(sym, span)
    }

    /// Reads the variable named `sym` at `span`; the variable read.
    fn read(&mut self, sym: Sym, span: Span) -> Var {
        self.symbols.read(sym);
        let predefined =
            self.symbols.predefined(sym).is_some() || &**self.symbols.text(sym) == "this";
        let var = self.var_of(sym);
        let s = self.scope();
        s.vars[var as usize].read = true;
        if predefined || !s.flow.reachable {
            return var;
        }
        let maybe = match s.flow.get(var) {
            Some(Assigned::Yes) => return var,
            Some(Assigned::Maybe(gap)) => Some(gap),
            None => None,
        };
        s.pending_reads.push(PendingRead { var, span, maybe });
        var
    }

    fn var_type(&self, name: &str) -> Option<ValType> {
        let sym = self.symbols.get(name);
        let predefined = match sym {
            Some(sym) => self.symbols.predefined(sym),
            None => self.env.predefined(name),
        };
        if let Some(v) = predefined {
            return Type::parse(&v.ty).single().map(ValType::Kind);
        }
        let var = self.symbols.var_at(sym?, self.depth())?;
        self.scopes.last()?.vars[var as usize].ty.clone().flatten()
    }

    fn type_of(&mut self, e: &Expr) -> Option<ValType> {
        if let Some(k) = literal_kind(e) {
            return Some(ValType::Kind(k));
        }
        match &e.kind {
            ExprKind::Var(n) => self.var_type(n),
            ExprKind::Call { callee, .. } => match &callee.kind {
                ExprKind::Ident(name) => {
                    let sym = self.symbols.intern(name, self.env);
                    self.symbols.callee(sym, self.env).returns.clone()
                }
                _ => None,
            },
            ExprKind::Regex { .. } => Some(ValType::Class("Regex".into())),
            ExprKind::Index { .. } => {
                let key = self.predefined_key(e)?.1?;
                if self.env.catalog.any_class(&key.ty).is_some() {
                    Some(ValType::Class(key.ty.clone()))
                } else {
                    Type::parse(&key.ty).single().map(ValType::Kind)
                }
            }
            _ => None,
        }
    }

    /// When `e` is a predefined variable or a path of literal keys below
    /// one: the keys documented below it, and the key `e` is (`None` for the
    /// variable itself).
    fn predefined_key(&self, e: &Expr) -> Option<(&'static [Key], Option<&'static Key>)> {
        match &e.kind {
            ExprKind::Var(name) => Some((&self.env.predefined(name)?.keys, None)),
            ExprKind::Index { base, index } => {
                let ExprKind::Str(s) = &index.kind else {
                    return None;
                };
                let name = s.constant_str()?;
                let (keys, _) = self.predefined_key(base)?;
                let key = keys.iter().find(|k| k.name == name)?;
                Some((&key.keys, Some(key)))
            }
            _ => None,
        }
    }

    fn terminate(&mut self, by: Span) {
        let s = self.scope();
        if s.flow.reachable {
            s.flow.reachable = false;
            s.ended_by = by;
        }
    }

    fn stmts(&mut self, stmts: &[Stmt]) {
        self.stmts_with(stmts, &mut |w, s| w.stmt(s));
    }

    /// Walks a list of statements, each with `walk`, reporting the first
    /// one that cannot be reached.
    fn stmts_with(&mut self, stmts: &[Stmt], walk: &mut dyn FnMut(&mut Self, &Stmt)) {
        let mut reported = false;
        for s in stmts {
            let hoisted = matches!(
                s.kind,
                StmtKind::Function(_) | StmtKind::Class(_) | StmtKind::Empty
            );
            if !self.scope().flow.reachable && !hoisted && !reported {
                let by = self.scope().ended_by;
                self.model.unreachable.push((s.span, by));
                reported = true;
            }
            walk(self, s);
        }
    }

    fn block(&mut self, b: &Block) {
        self.stmts(&b.stmts);
    }

    fn flow(&mut self) -> &mut Flow {
        &mut self.scope().flow
    }

    /// Runs `f` from the current point and returns the path it took,
    /// leaving the state as it was.
    fn branch(&mut self, f: impl FnOnce(&mut Self)) -> Path {
        let start = self.flow().mark();
        f(self);
        let path = self.flow().since(start);
        self.flow().rewind(start);
        path
    }

    /// Walks a condition; leaves the state of when it is true and returns
    /// the path of when it is false. `isset($x)` tells that `$x` is set; an
    /// assignment in an operand counts for the operands after it.
    fn cond(&mut self, e: &Expr) -> Path {
        match &e.kind {
            ExprKind::Paren(inner) => self.cond(inner),
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => {
                let start = self.flow().mark();
                let when_false = self.cond(operand);
                let when_true = self.flow().since(start);
                self.flow().rewind(start);
                self.flow().apply(&when_false);
                when_true
            }
            ExprKind::Isset(inner) => {
                let start = self.flow().mark();
                self.lenient(inner);
                let when_false = self.flow().since(start);
                if let Some((root, _)) = inner.root_var() {
                    let var = self.var(root);
                    self.flow().set(var, Assigned::Yes);
                }
                when_false
            }
            ExprKind::Binary {
                op: BinaryOp::And, ..
            } => {
                // Every operand runs while the ones before are true; when the
                // whole is false, only the first is known to have run.
                let operands = chain(e, BinaryOp::And);
                let first_false = self.cond(operands[0]);
                for operand in &operands[1..] {
                    self.cond(operand);
                }
                first_false
            }
            ExprKind::Binary {
                op: BinaryOp::Or, ..
            } => {
                // Every operand runs while the ones before are false. The
                // whole is true through one of them: short chains join those
                // paths; in long ones what follows the first is only maybe.
                let operands = chain(e, BinaryOp::Or);
                let precise = operands.len() <= 8;
                let start = self.flow().mark();
                let mut through = Vec::with_capacity(if precise { operands.len() } else { 2 });
                for (i, operand) in operands.iter().enumerate() {
                    let before = self.flow().mark();
                    let when_false = self.cond(operand);
                    if i == 0 || precise {
                        let gap = Gap {
                            span: operand.span,
                            when: if i == 0 {
                                "the first operand of `or` is true"
                            } else {
                                "a later operand of `or` is true"
                            },
                        };
                        through.push((self.flow().since(start), gap));
                    }
                    self.flow().rewind(before);
                    self.flow().apply(&when_false);
                }
                let all_false = self.flow().since(start);
                self.flow().rewind(start);
                if !precise {
                    through.push((
                        all_false.clone(),
                        Gap {
                            span: operands[1].span,
                            when: "a later operand of `or` is true",
                        },
                    ));
                }
                self.flow().join(&through);
                all_false
            }
            _ => {
                let start = self.flow().mark();
                self.expr(e);
                self.flow().since(start)
            }
        }
    }

    /// Walks a condition as a value: what it assigns for sure counts after it.
    fn cond_value(&mut self, e: &Expr, when_true: &'static str, when_false: &'static str) {
        let start = self.flow().mark();
        let otherwise = self.cond(e);
        let then = self.flow().since(start);
        self.flow().rewind(start);
        self.flow().join(&[
            (
                then,
                Gap {
                    span: e.span,
                    when: when_true,
                },
            ),
            (
                otherwise,
                Gap {
                    span: e.span,
                    when: when_false,
                },
            ),
        ]);
    }

    /// Walks `if`/`?:` arms after their condition and joins them.
    fn two_way(
        &mut self,
        cond: &Expr,
        kind: &'static str,
        then: impl FnOnce(&mut Self),
        otherwise: impl FnOnce(&mut Self),
    ) {
        let start = self.flow().mark();
        let when_false = self.cond(cond);
        then(self);
        let a = self.flow().since(start);
        self.flow().rewind(start);
        self.flow().apply(&when_false);
        otherwise(self);
        let b = self.flow().since(start);
        self.flow().rewind(start);
        let (when_true, when_false) = match kind {
            "if" => ("the `if` condition is true", "the `if` condition is false"),
            _ => ("the `?:` condition is true", "the `?:` condition is false"),
        };
        self.flow().join(&[
            (
                a,
                Gap {
                    span: cond.span,
                    when: when_true,
                },
            ),
            (
                b,
                Gap {
                    span: cond.span,
                    when: when_false,
                },
            ),
        ]);
    }

    /// Walks a loop body. The body may not run, so what it assigns is only
    /// maybe assigned after the loop (`forever` ends only through `break`:
    /// the state of its breaks). Reads in the body of a name the body
    /// assigns later may see the previous pass's value.
    fn in_loop(&mut self, head: Span, endless: bool, body: impl FnOnce(&mut Self)) {
        let start = self.flow().mark();
        let assignments = self.scope().assignments.len();
        let reads = self.scope().pending_reads.len();
        self.scope().frames.push(Frame {
            is_loop: true,
            start,
            keeps_breaks: endless,
            breaks: Vec::new(),
        });
        body(self);
        let frame = self.scope().frames.pop().expect("the loop's frame");
        self.flow().rewind(start);
        let scope = self.scope();
        let mut assigned = scope.assignments[assignments..].to_vec();
        assigned.sort_unstable();
        assigned.dedup();
        let first_pass = Gap {
            span: head,
            when: "the loop runs for the first time",
        };
        for read in &mut scope.pending_reads[reads..] {
            if read.maybe.is_none() && assigned.binary_search(&read.var).is_ok() {
                read.maybe = Some(first_pass);
            }
        }
        if endless {
            scope.flow.join(&frame.breaks);
            return;
        }
        let skipped = Gap {
            span: head,
            when: "the loop body does not run",
        };
        for var in assigned {
            if scope.flow.get(var) != Some(Assigned::Yes) {
                scope.flow.set(var, Assigned::Maybe(skipped));
            }
        }
    }

    /// Walks a `switch`: each case starts where the switch jumps to it (or
    /// where the case before ran into it); the switch ends at its `break`s,
    /// at the end of the last case, and, without `default`, when no case
    /// matches.
    fn switch(&mut self, subject: &Expr, cases: &[SwitchCase]) {
        self.expr(subject);
        for case in cases {
            if let Some(l) = &case.label {
                self.expr(l);
            }
        }
        let start = self.flow().mark();
        let live = self.flow().reachable;
        self.scope().frames.push(Frame {
            is_loop: false,
            start,
            keeps_breaks: true,
            breaks: Vec::new(),
        });
        let mut fall: Option<(Path, Span)> = None;
        for case in cases {
            if let Some((before, span)) = fall.take().filter(|(p, _)| p.reachable) {
                self.flow().join(&[
                    (
                        Path::unchanged(live),
                        Gap {
                            span: case.span,
                            when: "the switch jumps to this case",
                        },
                    ),
                    (
                        before,
                        Gap {
                            span,
                            when: "the case before runs into the next",
                        },
                    ),
                ]);
            }
            self.stmts(&case.body);
            fall = Some((self.flow().since(start), case.span));
            self.flow().rewind(start);
        }
        let frame = self.scope().frames.pop().expect("the switch's frame");
        let mut exits = frame.breaks;
        if let Some((end, span)) = fall {
            let gap = Gap {
                span,
                when: "the last case runs to its end",
            };
            exits.push((end, gap));
        }
        if !cases.iter().any(|c| c.label.is_none()) {
            let gap = Gap {
                span: subject.span,
                when: "no case matches",
            };
            exits.push((Path::unchanged(live), gap));
        }
        self.flow().join(&exits);
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Echo(e) => self.expr(e),
            StmtKind::Block(b) => self.block(b),
            StmtKind::Empty | StmtKind::Error => {}
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => self.two_way(
                cond,
                "if",
                |w| w.stmt(then),
                |w| {
                    if let Some(o) = otherwise {
                        w.stmt(o);
                    }
                },
            ),
            StmtKind::While { cond, body } => {
                self.in_loop(cond.span, false, |w| {
                    w.cond(cond);
                    w.stmt(body);
                });
            }
            StmtKind::For {
                init,
                cond,
                update,
                body,
            } => {
                init.iter().for_each(|e| self.expr(e));
                let head = cond.as_ref().map_or(s.span, |c| c.span);
                let live = self.flow().reachable;
                self.in_loop(head, false, |w| {
                    if let Some(c) = cond {
                        w.cond(c);
                    }
                    w.stmt(body);
                    w.flow().reachable = live;
                    update.iter().for_each(|e| w.expr(e));
                });
            }
            StmtKind::Foreach {
                subject,
                key,
                value,
                body,
            } => {
                self.expr(subject);
                for n in key.iter().chain([value]) {
                    self.check_readonly_name(n);
                    let var = self.assign_var(&n.text, n.span, None);
                    self.entry(var).exempt = true;
                }
                self.in_loop(subject.span, false, |w| w.stmt(body));
            }
            StmtKind::Forever { body } => {
                self.in_loop(s.span, true, |w| w.stmt(body));
                if !self.scope().flow.reachable {
                    self.scope().ended_by = s.span;
                }
            }
            StmtKind::Switch { subject, cases } => {
                self.switch(subject, cases);
                if !self.scope().flow.reachable {
                    self.scope().ended_by = s.span;
                }
            }
            StmtKind::Break | StmtKind::Continue => {
                let word = if matches!(s.kind, StmtKind::Break) {
                    "break"
                } else {
                    "continue"
                };
                let scope = self.scope();
                let target = scope
                    .frames
                    .iter()
                    .rposition(|f| f.is_loop || word == "break");
                match target {
                    None => self.model.misplaced_jumps.push((s.span, word)),
                    Some(i) if word == "break" && scope.frames[i].keeps_breaks => {
                        let path = scope.flow.since(scope.frames[i].start);
                        let gap = Gap {
                            span: s.span,
                            when: "it leaves at this `break`",
                        };
                        scope.frames[i].breaks.push((path, gap));
                    }
                    Some(_) => {}
                }
                self.terminate(s.span);
            }
            StmtKind::Return(e) => {
                if let Some(e) = e {
                    self.expr(e);
                }
                self.terminate(s.span);
            }
            StmtKind::Throw(e) => {
                self.expr(e);
                self.terminate(s.span);
            }
            StmtKind::Try { body, var, handler } => {
                let a = self.branch(|w| w.block(body));
                // The handler runs after any part of the body.
                let thrown = Gap {
                    span: var.span,
                    when: "the `try` block throws before assigning it",
                };
                let b = self.branch(|w| {
                    for v in a.vars() {
                        if w.flow().get(v) != Some(Assigned::Yes) {
                            w.flow().set(v, Assigned::Maybe(thrown));
                        }
                    }
                    let v = w.assign_var(&var.text, var.span, None);
                    w.entry(v).exempt = true;
                    w.block(handler);
                });
                let completed = Gap {
                    span: var.span,
                    when: "nothing is thrown",
                };
                self.flow().join(&[(a, completed), (b, thrown)]);
            }
            StmtKind::Global(names) => {
                for n in names {
                    let var = self.assign_var(&n.text, n.span, None);
                    self.entry(var).exempt = true;
                }
            }
            StmtKind::Include { .. } => {}
            StmtKind::Import(i) => match &i.kind {
                ImportKind::Names(specs) => {
                    for spec in specs.iter().filter(|s| s.is_var) {
                        let local = spec.local();
                        let var = self.assign_var(&local.text, local.span, None);
                        self.entry(var).exempt = true;
                    }
                }
                ImportKind::Data { var, with } => {
                    if let Some(w) = with {
                        self.expr(w);
                    }
                    self.assign_var(&var.text, var.span, None);
                }
                ImportKind::Namespace(_) => {}
            },
            StmtKind::Function(f) => self.function(&f.params, &f.body, &[], None),
            StmtKind::Class(c) => {
                for m in &c.members {
                    match &m.kind {
                        MemberKind::Constructor { params, body } => {
                            self.function(params, body, &[], Some(true))
                        }
                        MemberKind::Method {
                            mods, params, body, ..
                        } => self.function(params, body, &[], Some(!mods.is_static)),
                        MemberKind::Property { init, .. } => {
                            if let Some(i) = init {
                                self.expr(i);
                            }
                        }
                    }
                }
            }
            StmtKind::Barrier { name, var, body } => {
                self.expr(name);
                if let Some(v) = var {
                    let var = self.assign_var(&v.text, v.span, None);
                    self.entry(var).exempt = true;
                }
                self.block(body);
            }
        }
    }

    /// A function, method or closure body in its own scope. `this` is
    /// `Some(true)` for instance methods.
    fn function(&mut self, params: &[Param], body: &Block, captures: &[Name], this: Option<bool>) {
        self.defaults(params);
        self.body(params, body, captures, this);
    }

    /// The default values of parameters, evaluated where the function is
    /// declared.
    fn defaults(&mut self, params: &[Param]) {
        for p in params {
            if let Some(d) = &p.default {
                self.expr(d);
            }
        }
    }

    /// A function, method or closure body in its own scope.
    fn body(&mut self, params: &[Param], body: &Block, captures: &[Name], this: Option<bool>) {
        self.table.enter(body.span, captures);
        self.open_scope(true);
        // Captured variables (defined in a closure) and parameters.
        for n in captures.iter().chain(params.iter().map(|p| &p.name)) {
            let var = self.var(&n.text);
            self.define(var, n.span);
            self.flow().set(var, Assigned::Yes);
            let e = self.entry(var);
            e.ever = true;
            e.exempt = true;
        }
        if this == Some(true) {
            let var = self.var("this");
            self.flow().set(var, Assigned::Yes);
        }
        self.block(body);
        self.close_scope();
    }

    fn check_readonly_name(&mut self, n: &Name) {
        if self.predefined(&n.text).is_some_and(|v| v.readonly) {
            self.model
                .readonly_writes
                .push((n.text.to_string(), n.span));
        }
    }

    /// Walks an assignment target: records the write.
    fn target(&mut self, t: &Expr, value_type: Option<ValType>, compound: bool) {
        let root = (t.root_var()).map(|(root, span)| (self.symbols.intern(root, self.env), span));
        if let Some((sym, span)) = root {
            if self.symbols.predefined(sym).is_some_and(|v| v.readonly) {
                let name = String::from(&**self.symbols.text(sym));
                self.model.readonly_writes.push((name, span));
            }
        }
        match (&t.kind, root) {
            (ExprKind::Var(_), Some((sym, _))) => {
                if compound {
                    self.read(sym, t.span);
                }
                self.assign(sym, t.span, value_type);
            }
            (ExprKind::Index { base, index }, _) => {
                self.expr(index);
                self.base_target(base);
            }
            (ExprKind::PathIndex { base, path }, _) => {
                self.expr(path);
                self.base_target(base);
            }
            (
                ExprKind::Slice {
                    base,
                    start,
                    stop,
                    step,
                },
                _,
            ) => {
                for e in [start, stop, step].into_iter().flatten() {
                    self.expr(e);
                }
                self.base_target(base);
            }
            (ExprKind::Append { base } | ExprKind::Member { base, .. }, _) => {
                self.base_target(base)
            }
            _ => self.expr(t),
        }
    }

    /// The base of a subscript assignment: `$a` in `$a["k"] = 1` is created
    /// if needed, so it is written rather than read.
    fn base_target(&mut self, base: &Expr) {
        match &base.kind {
            ExprKind::Var(name) if name != "this" => {
                let sym = self.symbols.intern(name, self.env);
                let var = self.var_of(sym);
                let predefined = self.symbols.predefined(sym).is_some();
                if self.scope().flow.get(var) != Some(Assigned::Yes) && !predefined {
                    self.assign(sym, base.span, Some(ValType::Kind(Kind::Array)));
                } else {
                    self.read_leniently(sym, base.span);
                }
            }
            _ => self.target(base, None, true),
        }
    }

    fn key_access(&mut self, e: &Expr) {
        let mut path = Vec::new();
        let mut cur = e;
        while let ExprKind::Index { base, index } = &cur.kind {
            let ExprKind::Str(s) = &index.kind else {
                return;
            };
            let Some(key) = s.constant_str() else { return };
            path.push((key.into_owned(), index.span));
            cur = base;
        }
        if let ExprKind::Var(name) = &cur.kind {
            if let Some(variable) = self.predefined(name) {
                path.reverse();
                self.model.key_accesses.push(KeyAccess { variable, path });
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Var(name) => {
                let var = self.read_var(name, e.span);
                self.mention(var, e.span);
            }
            ExprKind::Ident(name) => {
                self.use_name(name);
                self.model.name_refs.push(Name {
                    text: name.clone(),
                    span: e.span,
                });
            }
            ExprKind::Str(s) => {
                for p in &s.parts {
                    if let StrPartKind::Var(v) = &p.kind {
                        self.read_var(v, p.span);
                    }
                }
            }
            ExprKind::Assign { op, target, value } => {
                self.expr(value);
                let ty = if *op == AssignOp::Assign {
                    self.type_of(value)
                } else {
                    None
                };
                let lenient = *op == AssignOp::Compound(BinaryOp::Coalesce);
                self.target(target, ty, *op != AssignOp::Assign && !lenient);
            }
            ExprKind::Destructure { pattern, value } => {
                self.expr(value);
                for item in &pattern.items {
                    match item {
                        PatternItem::Positional { target, default } => {
                            if let Some(d) = default {
                                self.expr(d);
                            }
                            self.target(target, None, false);
                        }
                        PatternItem::Keyed {
                            key,
                            target,
                            default,
                        } => {
                            self.expr(key);
                            if let Some(d) = default {
                                self.expr(d);
                            }
                            self.target(target, None, false);
                        }
                        PatternItem::Rest(t) => self.target(t, None, false),
                    }
                }
            }
            ExprKind::IncDec { target, .. } => self.target(target, None, true),
            ExprKind::Isset(inner) => self.lenient(inner),
            ExprKind::Unset(inner) => {
                if let Some((root, span)) = inner.root_var() {
                    if self.predefined(root).is_some_and(|v| v.readonly) {
                        self.model.readonly_writes.push((root.to_string(), span));
                    }
                }
                self.lenient(inner);
            }
            ExprKind::Binary {
                op: BinaryOp::Coalesce,
                lhs,
                rhs,
            } => {
                self.lenient(lhs);
                self.expr(rhs);
            }
            ExprKind::Binary {
                op: op @ (BinaryOp::And | BinaryOp::Or),
                ..
            } => {
                let (when_true, when_false) = if *op == BinaryOp::And {
                    ("the `and` is true", "the `and` is false")
                } else {
                    ("the `or` is true", "the `or` is false")
                };
                self.cond_value(e, when_true, when_false);
            }
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => self.two_way(
                cond,
                "?:",
                |w| {
                    if let Some(t) = then {
                        w.expr(t);
                    }
                },
                |w| w.expr(otherwise),
            ),
            ExprKind::Function(f) => {
                for c in &f.captures {
                    let sym = self.symbols.intern(&c.text, self.env);
                    self.read_leniently(sym, c.span);
                }
                self.function(&f.params, &f.body, &f.captures, None);
            }
            ExprKind::Call { callee, args } => self.call(e, callee, args),
            ExprKind::Cache { options, call } => {
                hsl_syntax::visit::walk_items(&mut ItemWalker(self), options);
                self.expr(call);
            }
            ExprKind::Index { base, index } => {
                self.key_access(e);
                self.expr(base);
                self.expr(index);
            }
            ExprKind::Member { base, .. } => self.expr(base),
            _ => hsl_syntax::visit::walk_expr(&mut ItemWalker(self), e),
        }
    }

    /// Walks `e` where its root variable may be unset (`isset`, `??`).
    fn lenient(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Var(name) => {
                let sym = self.symbols.intern(name, self.env);
                self.read_leniently(sym, e.span);
            }
            ExprKind::Index { base, index } => {
                self.key_access(e);
                self.lenient(base);
                self.expr(index);
            }
            ExprKind::Member { base, .. } | ExprKind::Append { base } => self.lenient(base),
            ExprKind::Slice {
                base,
                start,
                stop,
                step,
            } => {
                self.lenient(base);
                for x in [start, stop, step].into_iter().flatten() {
                    self.expr(x);
                }
            }
            ExprKind::PathIndex { base, path } => {
                self.lenient(base);
                self.expr(path);
            }
            ExprKind::Paren(inner) => self.lenient(inner),
            _ => self.expr(e),
        }
    }

    fn call(&mut self, call: &Expr, callee: &Expr, args: &[Arg]) {
        for a in args {
            self.expr(&a.expr);
        }
        let spread = args.iter().any(|a| a.spread);
        let arg_kinds: Vec<(Option<Kind>, Span)> = args
            .iter()
            .map(|a| {
                (
                    self.type_of(&a.expr).map(|t| match t {
                        ValType::Kind(k) => k,
                        ValType::Class(_) => Kind::Object,
                    }),
                    a.expr.span,
                )
            })
            .collect();
        let mut arrays = Vec::new();
        for (i, a) in args.iter().enumerate() {
            if let Some(array) = LiteralArray::of(&a.expr) {
                arrays.resize_with(i, || None);
                arrays.push(Some(array));
            }
        }
        match &callee.kind {
            ExprKind::Ident(name) => {
                let sym = self.use_name(name);
                self.model.calls.push(Call {
                    name: self.symbols.text(sym).clone(),
                    span: callee.span,
                    args: arg_kinds,
                    spread,
                    builtin: false,
                    arrays,
                });
                if self.symbols.callee(sym, self.env).terminates {
                    self.terminate(call.span);
                }
            }
            ExprKind::Builtin(name) => self.model.calls.push(Call {
                name: Arc::from(&*name.text),
                span: name.span,
                args: arg_kinds,
                spread,
                builtin: true,
                arrays,
            }),
            ExprKind::Member { base, name } => {
                self.expr(base);
                if let ExprKind::Var(v) = &base.kind {
                    if let Some(ty) = self.var_type(v) {
                        self.model.method_calls.push(MethodCall {
                            receiver: format!("`${v}`"),
                            ty,
                            name: name.clone(),
                        });
                    }
                } else if let Some(ty @ ValType::Kind(_)) = self.type_of(base) {
                    self.model.method_calls.push(MethodCall {
                        receiver: "this value".into(),
                        ty,
                        name: name.clone(),
                    });
                }
            }
            ExprKind::ScopeRes {
                scope: Scope::Named(n),
                ..
            } => {
                self.use_name(&n.text);
            }
            _ => self.expr(callee),
        }
    }
}

/// Adapts the walker to the syntax visitor for the expression forms it does
/// not treat specially.
struct ItemWalker<'w, 'e>(&'w mut Walker<'e>);

impl hsl_syntax::visit::Visitor<'_> for ItemWalker<'_, '_> {
    fn visit_expr(&mut self, e: &Expr) {
        self.0.expr(e);
    }
    fn visit_stmt(&mut self, s: &Stmt) {
        self.0.stmt(s);
    }
    fn visit_function(&mut self, params: &[Param], body: &Block) {
        self.0.function(params, body, &[], None);
    }
}

/// The operands of a chain of one boolean operator, `a and (b and c)`
/// included, in order.
fn chain(e: &Expr, op: BinaryOp) -> Vec<&Expr> {
    let mut out = Vec::with_capacity(4);
    let mut stack = Vec::with_capacity(8);
    stack.push(e);
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Binary { op: o, lhs, rhs } if *o == op => {
                stack.push(rhs);
                stack.push(lhs);
            }
            ExprKind::Paren(inner) if matches!(&inner.kind, ExprKind::Binary { op: o, .. } if *o == op) => {
                stack.push(inner)
            }
            _ => out.push(e),
        }
    }
    out
}
