//! The variable names of the file the model walks, each looked up once per
//! occurrence: a name is numbered the first time it is met ([`Sym`]), and
//! each scope keeps one [`Entry`] per variable it names, found from the
//! name's number without another look-up.

use crate::env::Env;
use crate::flow::Var;
use crate::model::ValType;
use crate::scopes::Variable;
use hsl_syntax::Span;
use rustc_hash::FxHashMap;

/// A variable name of the walked file, by its number.
pub(crate) type Sym = u32;

/// Where a name is a variable: the depth of the open scope (the top level
/// is 0) and its number there.
type Slot = Option<(u32, Var)>;

/// One variable name of the file.
struct Symbol {
    text: Box<str>,
    /// The predefined variable of this name in the environment.
    predefined: Option<&'static hsl_catalog::Variable>,
    /// Read somewhere in the file.
    read: bool,
    /// The variable it is in the innermost open scope that names it.
    slot: Slot,
}

/// The variable names of a file, numbered in the order first met.
#[derive(Default)]
pub(crate) struct Symbols {
    ids: FxHashMap<Box<str>, Sym>,
    list: Vec<Symbol>,
}

impl Symbols {
    /// The number of `text`, numbering it if it is new.
    pub fn intern(&mut self, text: &str, env: &Env) -> Sym {
        if let Some(&sym) = self.ids.get(text) {
            return sym;
        }
        let sym = self.list.len() as Sym;
        self.ids.insert(text.into(), sym);
        self.list.push(Symbol {
            text: text.into(),
            predefined: env.predefined(text),
            read: false,
            slot: None,
        });
        sym
    }

    /// The number of `text`, if it was met.
    pub fn get(&self, text: &str) -> Option<Sym> {
        self.ids.get(text).copied()
    }

    /// The name numbered `sym`.
    pub fn text(&self, sym: Sym) -> &str {
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

    /// The names read anywhere.
    pub fn read_names(&self) -> impl Iterator<Item = &str> {
        self.list.iter().filter(|s| s.read).map(|s| &*s.text)
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
