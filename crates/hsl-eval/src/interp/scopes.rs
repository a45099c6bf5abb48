//! Variables: the top-level scope of each module, the frames of running
//! calls, read-only globals, and a cache of the running scope's cells.

use crate::value::Value;
use crate::R;
use hsl_syntax::Span;
use std::cell::RefCell;
use std::rc::Rc;

/// A variable's storage, shared by every scope that binds it (`global`,
/// closure captures, imported variables).
pub(super) type Cell = Rc<RefCell<Value>>;
/// Variables of one scope (a fast hash: names are short and trusted).
pub(super) type Vars = rustc_hash::FxHashMap<String, Cell>;

/// Every scope of the run.
pub(super) struct Scopes {
    /// The running module's top-level scope.
    pub(super) globals: Vars,
    /// One scope per running call, innermost last.
    pub(super) frames: Vec<Vars>,
    /// Cells of the running scope's variables, by name in the syntax tree.
    pub(super) cells: CellCache,
    readonly: rustc_hash::FxHashSet<String>,
    /// Top-level scopes by module index (0: the entry script); the running
    /// module's scope is `globals`, its slot here is empty meanwhile.
    pub(super) homes: Vec<Vars>,
}

impl Default for Scopes {
    fn default() -> Self {
        Scopes {
            globals: Vars::default(),
            frames: Vec::new(),
            cells: CellCache::default(),
            readonly: Default::default(),
            homes: vec![Vars::default()],
        }
    }
}

impl Scopes {
    /// Binds a global variable to `cell`, read-only for the script or not.
    pub(super) fn define(&mut self, name: &str, cell: Cell, readonly: bool) {
        self.cells.invalidate();
        self.globals.insert(name.to_string(), cell);
        if readonly {
            self.readonly.insert(name.to_string());
        }
    }

    /// The running scope, for a change of its set of variables (which
    /// makes the cached cells stale).
    pub(super) fn scope(&mut self) -> &mut Vars {
        self.cells.invalidate();
        self.frames.last_mut().unwrap_or(&mut self.globals)
    }

    /// The running scope, for reading.
    pub(super) fn vars(&self) -> &Vars {
        self.frames.last().unwrap_or(&self.globals)
    }

    pub(super) fn lookup(&self, name: &str) -> Option<Cell> {
        self.vars().get(name).cloned()
    }

    /// The cell of `name` in the running scope, created (as none) if missing.
    pub(super) fn cell(&mut self, name: &str) -> Cell {
        if let Some(c) = self.vars().get(name) {
            return c.clone();
        }
        self.scope().entry(name.to_string()).or_default().clone()
    }

    /// The cell of variable `name` of the syntax tree, from the cache when
    /// it was used since the scope last changed.
    #[inline(always)]
    pub(super) fn cached_cell(&mut self, name: &str) -> Option<&Cell> {
        if self.cells.get(name).is_none() {
            self.cache_cell(name)?;
        }
        self.cells.get(name)
    }

    /// Looks `name` up in the running scope and caches its cell (kept out
    /// of line so the cache hit stays small).
    #[inline(never)]
    pub(super) fn cache_cell(&mut self, name: &str) -> Option<()> {
        let cell = self.vars().get(name)?.clone();
        self.cells.put(name, cell);
        Some(())
    }

    /// The value of variable `name`, or an error at `span` if there is none.
    #[inline]
    pub(super) fn variable(&mut self, name: &str, span: Span) -> R<Value> {
        match self.read(name) {
            Some(v) => Ok(v),
            None => crate::interp::error(span, format!("variable `${name}` is not defined")),
        }
    }

    /// The value of variable `name` (a copy; its cell is not shared).
    #[inline]
    pub(super) fn read(&mut self, name: &str) -> Option<Value> {
        self.cached_cell(name).map(|c| c.borrow().clone())
    }

    /// Stores `v` in variable `name` of the running scope.
    pub(super) fn set(&mut self, name: &str, v: Value) {
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
    pub(super) fn writable(&self, name: &str, span: Span) -> R<()> {
        if self.frames.is_empty() && self.readonly.contains(name) {
            return crate::interp::error(span, format!("`${name}` is read-only"));
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
pub(super) struct CellCache {
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
    pub(super) fn slot(name: &str) -> usize {
        let address = name.as_ptr() as usize as u64;
        (address.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize % CACHE_SLOTS
    }

    #[inline]
    pub(super) fn get(&self, name: &str) -> Option<&Cell> {
        let slot = &self.slots[Self::slot(name)];
        if slot.name == name.as_ptr() as usize && slot.generation == self.generation {
            slot.cell.as_ref()
        } else {
            None
        }
    }

    #[inline]
    pub(super) fn put(&mut self, name: &str, cell: Cell) {
        self.slots[Self::slot(name)] = CacheSlot {
            name: name.as_ptr() as usize,
            generation: self.generation,
            cell: Some(cell),
        };
    }

    #[inline]
    pub(super) fn invalidate(&mut self) {
        self.generation += 1;
    }
}
