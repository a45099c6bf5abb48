//! Definite assignment along the paths of one scope. The state at the
//! current point is kept in one table with an undo log, so a branch costs
//! what it changes (not the number of variables in scope) and the walk of a
//! file stays linear in its size. Variables are numbered within their scope
//! (see [`Var`]).

use hsl_syntax::Span;

/// A variable of the scope, by its number in the scope (dense from 0).
pub type Var = u32;

/// A path through the code that leaves a variable unassigned, named for
/// messages: "not assigned when {when}".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    /// Where that path is decided (a condition, a `break`, a `case`…).
    pub span: Span,
    /// When the path is taken, e.g. "the `if` condition is false".
    pub when: &'static str,
}

/// Whether a variable is assigned at a point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assigned {
    /// On every path that reaches it.
    Yes,
    /// On some paths; the gap is one that leaves it unassigned.
    Maybe(Gap),
}

/// The changes along one path since it forked, and whether it goes on.
#[derive(Clone, Debug, Default)]
pub struct Path {
    changes: Vec<(Var, Assigned)>,
    /// Whether the end of the path can be reached.
    pub reachable: bool,
}

impl Path {
    /// A path that changes nothing.
    pub fn unchanged(reachable: bool) -> Path {
        Path {
            changes: Vec::new(),
            reachable,
        }
    }

    /// The variables this path assigns.
    pub fn vars(&self) -> impl Iterator<Item = Var> + '_ {
        self.changes.iter().map(|(v, _)| *v)
    }
}

/// How the paths joined at a fork treat one variable (see [`Flow::join`]).
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    /// Whether a path changes it (the tally is in use).
    seen: bool,
    /// How many paths from the first change it, one after the other.
    leading: usize,
    /// How many paths change it.
    paths: usize,
    /// How many paths assign it for sure.
    yes: usize,
    /// The first gap of a path that only maybe assigns it.
    maybe: Option<Gap>,
}

/// The assignment state at the current point of a scope.
#[derive(Debug)]
pub struct Flow {
    /// By variable; `None` (or past the end): unassigned on every path.
    state: Vec<Option<Assigned>>,
    log: Vec<(Var, Option<Assigned>)>,
    /// Scratch of [`Flow::since`], by variable: whether it is listed.
    listed: Vec<bool>,
    /// Scratch of [`Flow::join`], by variable.
    tallies: Vec<Tally>,
    /// Scratch of [`Flow::join`]: the variables tallied, in the order met.
    tallied: Vec<Var>,
    /// Whether the current point can be reached.
    pub reachable: bool,
}

impl Default for Flow {
    fn default() -> Self {
        Flow {
            state: Vec::new(),
            log: Vec::new(),
            listed: Vec::new(),
            tallies: Vec::new(),
            tallied: Vec::new(),
            reachable: true,
        }
    }
}

/// A position in the flow to come back to (see [`Flow::rewind`]).
#[derive(Clone, Copy, Debug)]
pub struct Mark {
    log: usize,
    reachable: bool,
}

impl Flow {
    /// Forgets every variable and change, for a new scope.
    pub fn clear(&mut self) {
        self.state.clear();
        self.log.clear();
        self.reachable = true;
    }

    /// The state of `var` here (`None`: unassigned on every path).
    pub fn get(&self, var: Var) -> Option<Assigned> {
        self.state.get(var as usize).copied().flatten()
    }

    /// Sets the state of `var` here.
    pub fn set(&mut self, var: Var, to: Assigned) {
        let i = var as usize;
        if i >= self.state.len() {
            self.state.resize(i + 1, None);
        }
        let old = self.state[i].replace(to);
        if old != Some(to) {
            self.log.push((var, old));
        }
    }

    /// The current position.
    pub fn mark(&self) -> Mark {
        Mark {
            log: self.log.len(),
            reachable: self.reachable,
        }
    }

    /// The path from `mark` to here.
    pub fn since(&mut self, mark: Mark) -> Path {
        let mut changes = Vec::new();
        for &(var, _) in &self.log[mark.log..] {
            let i = var as usize;
            if i >= self.listed.len() {
                self.listed.resize(i + 1, false);
            }
            if !std::mem::replace(&mut self.listed[i], true) {
                if let Some(a) = self.state[i] {
                    changes.push((var, a));
                }
            }
        }
        for &(var, _) in &self.log[mark.log..] {
            self.listed[var as usize] = false;
        }
        Path {
            changes,
            reachable: self.reachable,
        }
    }

    /// Undoes every change after `mark`.
    pub fn rewind(&mut self, mark: Mark) {
        for (var, old) in self.log.drain(mark.log..).rev() {
            self.state[var as usize] = old;
        }
        self.reachable = mark.reachable;
    }

    /// Replays `path` here.
    pub fn apply(&mut self, path: &Path) {
        for &(var, a) in &path.changes {
            self.set(var, a);
        }
        self.reachable = path.reachable;
    }

    /// Joins paths that forked here into the state after them: a variable
    /// is assigned if every reachable path assigns it, maybe assigned if
    /// some do (naming a path that does not). Each path comes with the gap
    /// that describes when it is taken.
    pub fn join(&mut self, paths: &[(Path, Gap)]) {
        let live = || paths.iter().filter(|(p, _)| p.reachable);
        let live_paths = live().count();
        if live_paths == 0 {
            self.reachable = false;
            return;
        }
        // Per variable: how the paths change it, in the order first met.
        let mut order = std::mem::take(&mut self.tallied);
        for (i, (path, _)) in live().enumerate() {
            for &(var, a) in &path.changes {
                let v = var as usize;
                if v >= self.tallies.len() {
                    self.tallies.resize(v + 1, Tally::default());
                }
                let t = &mut self.tallies[v];
                if !t.seen {
                    t.seen = true;
                    order.push(var);
                }
                if t.leading == i {
                    t.leading += 1;
                }
                t.paths += 1;
                match a {
                    Assigned::Yes => t.yes += 1,
                    Assigned::Maybe(g) => {
                        t.maybe.get_or_insert(g);
                    }
                }
            }
        }
        for &var in &order {
            let t = std::mem::take(&mut self.tallies[var as usize]);
            let before = self.get(var);
            if before == Some(Assigned::Yes) {
                continue;
            }
            let state = if t.yes == live_paths {
                Assigned::Yes
            } else {
                // A path that leaves the variable as it was before the fork:
                // the first one that does not change it.
                let untouched = (t.paths < live_paths).then_some(t.leading);
                let gap = match (untouched, before) {
                    (Some(_), Some(Assigned::Maybe(before))) => before,
                    (Some(i), _) => live().nth(i).expect("a live path").1,
                    (None, _) => t.maybe.expect("a path that does not assign it for sure"),
                };
                Assigned::Maybe(gap)
            };
            self.set(var, state);
        }
        order.clear();
        self.tallied = order;
        self.reachable = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Var = 0;
    const B: Var = 1;
    const X: Var = 0;

    fn gap(when: &'static str) -> Gap {
        Gap {
            span: Span::new(0, 1),
            when,
        }
    }

    #[test]
    fn join_keeps_what_every_path_assigns() {
        let mut flow = Flow::default();
        let start = flow.mark();
        flow.set(A, Assigned::Yes);
        flow.set(B, Assigned::Yes);
        let then = flow.since(start);
        flow.rewind(start);
        flow.set(A, Assigned::Yes);
        let otherwise = flow.since(start);
        flow.rewind(start);
        assert_eq!(flow.get(A), None);
        flow.join(&[(then, gap("then")), (otherwise, gap("else"))]);
        assert_eq!(flow.get(A), Some(Assigned::Yes));
        assert_eq!(flow.get(B), Some(Assigned::Maybe(gap("else"))));
    }

    #[test]
    fn unreachable_paths_do_not_count() {
        let mut flow = Flow::default();
        let start = flow.mark();
        flow.reachable = false;
        let ended = flow.since(start);
        flow.rewind(start);
        flow.set(X, Assigned::Yes);
        let assigns = flow.since(start);
        flow.rewind(start);
        flow.join(&[(ended, gap("then")), (assigns, gap("else"))]);
        assert_eq!(flow.get(X), Some(Assigned::Yes));
        assert!(flow.reachable);
    }
}
