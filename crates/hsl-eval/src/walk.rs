//! A budget for walks over nested values. Arrays share their parts, so a
//! few lines (`$a = [$a, $a];` forty times) build a value whose text form,
//! comparison or encoding visits 2^40 elements. Every such walk counts the
//! elements it visits here; once the run's deadline or memory limit has
//! passed, walks stop early, and the run ends with that limit's error
//! before anything sees their cut-short result (see [`crate::limits::Meter`]).

use std::cell::Cell;
use std::time::Instant;

/// Elements visited between two looks at the clock and the memory count.
const LOOK_EVERY: u32 = 4096;

/// Which limit cut a walk short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Over {
    Time,
    Memory,
}

#[derive(Clone, Copy)]
struct Budget {
    deadline: Option<Instant>,
    memory: usize,
    visits: u32,
    over: Option<Over>,
}

thread_local! {
    static BUDGET: Cell<Budget> = const {
        Cell::new(Budget { deadline: None, memory: usize::MAX, visits: 0, over: None })
    };
}

/// Starts the budget of a run on this thread.
pub(crate) fn start(deadline: Option<Instant>, memory: usize) {
    BUDGET.with(|b| {
        b.set(Budget {
            deadline,
            memory,
            visits: 0,
            over: None,
        })
    });
}

/// Counts one element of a walk: `false` when the walk must stop.
#[inline]
pub(crate) fn visit() -> bool {
    BUDGET.with(|b| {
        let mut budget = b.get();
        if budget.over.is_some() {
            return false;
        }
        budget.visits = budget.visits.wrapping_add(1);
        if budget.visits % LOOK_EVERY == 0 {
            if budget.deadline.is_some_and(|d| Instant::now() >= d) {
                budget.over = Some(Over::Time);
            } else if crate::alloc::used() > budget.memory {
                budget.over = Some(Over::Memory);
            }
        }
        b.set(budget);
        budget.over.is_none()
    })
}

/// The limit that cut a walk of this run short, if one did.
#[inline]
pub(crate) fn over() -> Option<Over> {
    BUDGET.with(|b| b.get().over)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_stop_once_the_deadline_has_passed() {
        start(
            Some(Instant::now() + std::time::Duration::from_secs(3600)),
            usize::MAX,
        );
        assert!((0..10 * LOOK_EVERY).all(|_| visit()));
        assert_eq!(over(), None);
        start(Some(Instant::now()), usize::MAX);
        let visited = (0..10 * LOOK_EVERY).take_while(|_| visit()).count();
        assert_eq!(visited, LOOK_EVERY as usize - 1);
        assert_eq!(over(), Some(Over::Time));
        assert!(!visit(), "a stopped walk stays stopped until the next run");
        start(None, usize::MAX);
        assert_eq!(over(), None);
    }
}
