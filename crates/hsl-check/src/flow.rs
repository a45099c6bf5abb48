//! Definite assignment along the paths of one scope. The state at the
//! current point is kept in one map with an undo log, so a branch costs what
//! it changes (not the number of variables in scope) and the walk of a file
//! stays linear in its size.

use hsl_syntax::Span;
use rustc_hash::FxHashMap as HashMap;

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
    changes: Vec<(String, Assigned)>,
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

    /// The names this path assigns.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.changes.iter().map(|(n, _)| n.as_str())
    }
}

/// The assignment state at the current point of a scope.
#[derive(Debug)]
pub struct Flow {
    state: HashMap<String, Assigned>,
    log: Vec<(String, Option<Assigned>)>,
    /// Whether the current point can be reached.
    pub reachable: bool,
}

impl Default for Flow {
    fn default() -> Self {
        Flow {
            state: HashMap::default(),
            log: Vec::new(),
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
    /// The state of `name` here (`None`: unassigned on every path).
    pub fn get(&self, name: &str) -> Option<Assigned> {
        self.state.get(name).copied()
    }

    /// Sets the state of `name` here.
    pub fn set(&mut self, name: &str, to: Assigned) {
        if self.state.get(name) == Some(&to) {
            return;
        }
        let old = match self.state.get_mut(name) {
            Some(state) => Some(std::mem::replace(state, to)),
            None => {
                self.state.insert(name.to_string(), to);
                None
            }
        };
        self.log.push((name.to_string(), old));
    }

    /// The current position.
    pub fn mark(&self) -> Mark {
        Mark {
            log: self.log.len(),
            reachable: self.reachable,
        }
    }

    /// The path from `mark` to here.
    pub fn since(&self, mark: Mark) -> Path {
        let mut seen = rustc_hash::FxHashSet::default();
        let changes = self.log[mark.log..]
            .iter()
            .filter(|(name, _)| seen.insert(name.as_str()))
            .filter_map(|(name, _)| self.state.get(name).map(|a| (name.clone(), *a)))
            .collect();
        Path {
            changes,
            reachable: self.reachable,
        }
    }

    /// Undoes every change after `mark`.
    pub fn rewind(&mut self, mark: Mark) {
        while self.log.len() > mark.log {
            let (name, old) = self.log.pop().expect("log is longer than the mark");
            match old {
                Some(a) => self.state.insert(name, a),
                None => self.state.remove(&name),
            };
        }
        self.reachable = mark.reachable;
    }

    /// Replays `path` here.
    pub fn apply(&mut self, path: &Path) {
        for (name, a) in &path.changes {
            self.set(name, *a);
        }
        self.reachable = path.reachable;
    }

    /// Joins paths that forked here into the state after them: a variable
    /// is assigned if every reachable path assigns it, maybe assigned if
    /// some do (naming a path that does not). Each path comes with the gap
    /// that describes when it is taken.
    pub fn join(&mut self, paths: &[(Path, Gap)]) {
        let live: Vec<&(Path, Gap)> = paths.iter().filter(|(p, _)| p.reachable).collect();
        if live.is_empty() {
            self.reachable = false;
            return;
        }
        // Per name: the paths that change it (in order), how many assign it
        // for sure, and the first gap of a path that only maybe assigns it.
        let mut seen: HashMap<&str, (Vec<usize>, usize, Option<Gap>)> = HashMap::default();
        let mut order = Vec::new();
        for (i, (path, _)) in live.iter().enumerate() {
            for (name, a) in &path.changes {
                let entry = seen.entry(name.as_str()).or_insert_with(|| {
                    order.push(name.as_str());
                    (Vec::new(), 0, None)
                });
                entry.0.push(i);
                match a {
                    Assigned::Yes => entry.1 += 1,
                    Assigned::Maybe(g) => {
                        entry.2.get_or_insert(*g);
                    }
                }
            }
        }
        let mut result = Vec::with_capacity(order.len());
        for name in order {
            let (paths_of, yes, maybe) = &seen[name];
            let state = if *yes == live.len() {
                Assigned::Yes
            } else {
                // A path that leaves the name as it was before the fork.
                let untouched = (0..live.len()).find(|i| paths_of.get(*i) != Some(i));
                let gap = match (untouched, self.get(name)) {
                    (Some(_), Some(Assigned::Maybe(before))) => before,
                    (Some(i), _) => live[i].1,
                    (None, _) => maybe.expect("a path that does not assign it for sure"),
                };
                Assigned::Maybe(gap)
            };
            result.push((name.to_string(), state));
        }
        for (name, state) in result {
            if self.get(&name) != Some(Assigned::Yes) {
                self.set(&name, state);
            }
        }
        self.reachable = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        flow.set("a", Assigned::Yes);
        flow.set("b", Assigned::Yes);
        let then = flow.since(start);
        flow.rewind(start);
        flow.set("a", Assigned::Yes);
        let otherwise = flow.since(start);
        flow.rewind(start);
        assert_eq!(flow.get("a"), None);
        flow.join(&[(then, gap("then")), (otherwise, gap("else"))]);
        assert_eq!(flow.get("a"), Some(Assigned::Yes));
        assert_eq!(flow.get("b"), Some(Assigned::Maybe(gap("else"))));
    }

    #[test]
    fn unreachable_paths_do_not_count() {
        let mut flow = Flow::default();
        let start = flow.mark();
        flow.reachable = false;
        let ended = flow.since(start);
        flow.rewind(start);
        flow.set("x", Assigned::Yes);
        let assigns = flow.since(start);
        flow.rewind(start);
        flow.join(&[(ended, gap("then")), (assigns, gap("else"))]);
        assert_eq!(flow.get("x"), Some(Assigned::Yes));
        assert!(flow.reachable);
    }
}
