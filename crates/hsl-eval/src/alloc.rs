//! The sandbox's total memory budget: a global allocator wrapper that
//! counts the bytes live on each thread, so the interpreter can refuse an
//! allocation that would take the run past its memory limit *before* it
//! is made, and stop a run whose values together outgrow the limit.
//!
//! A program that runs scripts installs it once:
//!
//! ```
//! #[global_allocator]
//! static ALLOC: hsl_eval::alloc::Counting<std::alloc::System> =
//!     hsl_eval::alloc::Counting(std::alloc::System);
//! ```
//!
//! Without it, each string and array is still held to the memory limit on
//! its own, but nothing sums them.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

/// Counts the bytes each thread allocates and frees through `A`.
pub struct Counting<A>(pub A);

thread_local! {
    /// Bytes allocated minus bytes freed by this thread. Memory freed by
    /// another thread than the one that allocated it moves the count of
    /// both; the interpreter runs a script on one thread.
    static LIVE: Cell<isize> = const { Cell::new(0) };
    /// The count when the running script started.
    static BASE: Cell<isize> = const { Cell::new(0) };
    /// Whether an allocator that counts is installed.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

#[inline(always)]
fn count(delta: isize) {
    // `try_with`: a thread being torn down has no counter left.
    let _ = LIVE.try_with(|l| l.set(l.get().wrapping_add(delta)));
}

// SAFETY: every call is forwarded unchanged to `A`; the counter is a
// `const`-initialised thread-local without a destructor, so touching it
// never allocates or re-enters the allocator.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        self.0.alloc(layout)
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        self.0.alloc_zeroed(layout)
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize));
        self.0.dealloc(ptr, layout)
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size as isize - layout.size() as isize);
        self.0.realloc(ptr, layout, new_size)
    }
}

/// Starts counting a script's memory from what the thread holds now.
pub(crate) fn start_run() {
    let live = LIVE.with(Cell::get);
    BASE.with(|b| b.set(live));
    // A counting allocator moved the count while the lines above ran
    // (reading `LIVE` allocates nothing), so compare with a small
    // allocation to learn whether one is installed.
    let probe = std::hint::black_box(Box::new(0u64));
    let counted = LIVE.with(Cell::get) != live;
    drop(probe);
    COUNTING.with(|c| c.set(counted));
}

/// Bytes the running script holds beyond what the thread held when it
/// started (0 without a counting allocator).
#[inline]
pub(crate) fn used() -> usize {
    if !COUNTING.with(Cell::get) {
        return 0;
    }
    let live = LIVE.with(Cell::get);
    live.saturating_sub(BASE.with(Cell::get)).max(0) as usize
}
