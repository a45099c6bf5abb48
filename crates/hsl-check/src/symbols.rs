//! The names of the file the model walks, each looked up once per
//! occurrence: a name is numbered the first time it is met ([`Sym`]) and
//! what the environment says of it is asked once per walk; each scope keeps
//! one [`Entry`] per variable it names, found from the name's number without
//! another look-up. The table outlives a walk (the next walks on the thread
//! meet the same names): what a walk learns of a name is forgotten when the
//! next walk first meets it.

use crate::env::Env;
use crate::flow::Var;
use crate::model::ValType;
use crate::scopes::Variable;
use hsl_catalog::Type;
use hsl_syntax::Span;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// A name of the walked file, by its number.
pub(crate) type Sym = u32;

/// Where a name is a variable: the depth of the open scope (the top level
/// is 0) and its number there.
type Slot = Option<(u32, Var)>;

/// One name of the file: of a variable, or of a called or referenced
/// function or class.
struct Symbol {
    text: Arc<str>,
    /// The walk that last met it: the facts below are of that walk.
    walk: u32,
    /// The predefined variable of this name in the environment.
    predefined: Option<&'static hsl_catalog::Variable>,
    /// Read somewhere in the file, as a variable.
    read: bool,
    /// Called or used as a value somewhere in the file, as a function or class.
    used: bool,
    /// The class every assignment of the variable (in every scope closed so
    /// far) creates an instance of, once assigned.
    class: Option<Option<String>>,
    /// What a call of the name is, once asked.
    callee: Option<Callee>,
    /// The variable it is in the innermost open scope that names it.
    slot: Slot,
}

/// What a walk found of one name.
#[derive(Clone, Copy)]
pub(crate) struct Found<'a> {
    /// The name.
    pub text: &'a Arc<str>,
    /// Read somewhere, as a variable.
    pub read: bool,
    /// Called or used as a value somewhere, as a function or class.
    pub used: bool,
    /// Once the variable is assigned in a closed scope: the class every
    /// assignment of it creates an instance of.
    pub class: Option<Option<&'a str>>,
}

/// What calling a plain name (`f(…)`) does, by the environment.
#[derive(Clone)]
pub(crate) struct Callee {
    /// It ends the script (a catalog function such as `Reject`).
    pub terminates: bool,
    /// The type of its result, when known.
    pub returns: Option<ValType>,
}

/// The names met by the walks of one thread, numbered in the order first
/// met.
pub(crate) struct Symbols {
    ids: FxHashMap<Arc<str>, Sym>,
    list: Vec<Symbol>,
    /// The current walk.
    walk: u32,
    /// The names the current walk has met, in the order first met.
    met: Vec<Sym>,
}

/// The names a table has room for from the start (those of most files).
const ROOM: usize = 32;

/// The most names a table keeps for later walks.
const KEPT: usize = 1 << 14;

impl Default for Symbols {
    fn default() -> Self {
        Symbols {
            ids: FxHashMap::with_capacity_and_hasher(ROOM, Default::default()),
            list: Vec::with_capacity(ROOM),
            walk: 1,
            met: Vec::with_capacity(ROOM),
        }
    }
}

impl Symbols {
    /// Ends the current walk: the next one starts knowing nothing of the
    /// names (a table grown too large forgets them too).
    pub fn next_walk(&mut self) {
        self.met.clear();
        if self.list.len() > KEPT || self.walk == u32::MAX {
            self.ids.clear();
            self.list.clear();
            self.walk = 0;
        }
        self.walk += 1;
    }

    /// The number of `text`, numbering it if it is new.
    pub fn intern(&mut self, text: &str, env: &Env) -> Sym {
        let sym = match self.ids.get(text) {
            Some(&sym) => sym,
            None => {
                let sym = self.list.len() as Sym;
                let text: Arc<str> = text.into();
                self.ids.insert(text.clone(), sym);
                self.list.push(Symbol {
                    text,
                    walk: 0,
                    predefined: None,
                    read: false,
                    used: false,
                    class: None,
                    callee: None,
                    slot: None,
                });
                sym
            }
        };
        let s = &mut self.list[sym as usize];
        if s.walk != self.walk {
            // First met in this walk.
            s.walk = self.walk;
            s.predefined = env.predefined(&s.text);
            s.read = false;
            s.used = false;
            s.class = None;
            s.callee = None;
            s.slot = None;
            self.met.push(sym);
        }
        sym
    }

    /// The number of `text`, if the current walk met it.
    pub fn get(&self, text: &str) -> Option<Sym> {
        let sym = *self.ids.get(text)?;
        (self.list[sym as usize].walk == self.walk).then_some(sym)
    }

    /// The name numbered `sym`.
    pub fn text(&self, sym: Sym) -> &Arc<str> {
        &self.list[sym as usize].text
    }

    /// The predefined variable named `sym`.
    pub fn predefined(&self, sym: Sym) -> Option<&'static hsl_catalog::Variable> {
        self.list[sym as usize].predefined
    }

    /// Notes that `sym` is read.
    pub fn read(&mut self, sym: Sym) {
        self.list[sym as usize].read = true;
    }

    /// Notes that `sym` is called or used as a value.
    pub fn use_name(&mut self, sym: Sym) {
        self.list[sym as usize].used = true;
    }

    /// What the current walk found of each name it met.
    pub fn found(&self) -> impl Iterator<Item = Found<'_>> + Clone {
        self.met.iter().map(|&sym| {
            let s = &self.list[sym as usize];
            Found {
                text: &s.text,
                read: s.read,
                used: s.used,
                class: s.class.as_ref().map(Option::as_deref),
            }
        })
    }

    /// Notes that the variable `sym` holds an instance of `class` (or of no
    /// known class) in a scope: it keeps a class only while every scope
    /// agrees.
    pub fn merge_class(&mut self, sym: Sym, class: Option<&str>) {
        match &mut self.list[sym as usize].class {
            known @ None => *known = Some(class.map(str::to_string)),
            Some(known) if known.as_deref() != class => *known = None,
            Some(_) => {}
        }
    }

    /// What a call of the plain name `sym` is in `env`.
    pub fn callee(&mut self, sym: Sym, env: &Env) -> &Callee {
        let symbol = &mut self.list[sym as usize];
        symbol.callee.get_or_insert_with(|| {
            let name = &*symbol.text;
            if env.user_functions.contains_key(name) {
                return Callee {
                    terminates: false,
                    returns: None,
                };
            }
            let f = env.catalog.function(name, env.hook);
            let returns = if env.class_exists(name) {
                Some(ValType::Class(name.to_string()))
            } else {
                f.and_then(|f| Type::parse(&f.returns).single().map(ValType::Kind))
            };
            Callee {
                terminates: f.is_some_and(|f| f.terminates),
                returns,
            }
        })
    }

    /// The variable `sym` is in the open scope at `depth`, if that scope
    /// names it (no scope deeper than `depth` is open).
    pub fn var_at(&self, sym: Sym, depth: u32) -> Option<Var> {
        match self.list[sym as usize].slot {
            Some((d, var)) if d == depth => Some(var),
            _ => None,
        }
    }

    /// Makes `sym` the variable `var` of the open scope at `depth`; the
    /// entry made for it keeps what it was before.
    pub fn claim(&mut self, sym: Sym, depth: u32, var: Var) -> Entry {
        let shadowed = self.list[sym as usize].slot.replace((depth, var));
        Entry {
            sym,
            shadowed,
            ..Entry::default()
        }
    }

    /// Gives back the names of a scope that closes to the scopes around it.
    pub fn release(&mut self, entries: &[Entry]) {
        for e in entries {
            self.list[e.sym as usize].slot = e.shadowed;
        }
    }
}

/// One variable of a scope being walked.
#[derive(Default)]
pub(crate) struct Entry {
    /// Its name.
    pub sym: Sym,
    /// What its name was in the scopes around, restored when it closes.
    shadowed: Slot,
    /// Assigned anywhere in the scope, a parameter or a capture (for messages).
    pub ever: bool,
    /// Its first assignment.
    pub first_write: Option<Span>,
    /// Read in this scope.
    pub read: bool,
    /// Not reported as unused (parameters, loop and catch variables,
    /// globals, captures).
    pub exempt: bool,
    /// Its known value type, once assigned.
    pub ty: Option<Option<ValType>>,
    /// Where the scope table has it first assigned or declared, and every
    /// span naming it.
    pub recorded: Variable,
}
