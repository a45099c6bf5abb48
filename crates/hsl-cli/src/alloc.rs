//! The process allocator: mimalloc, asked for a plain block whenever the
//! alignment wanted is one every mimalloc block has, which is most
//! allocations (its aligned entry points check and adjust each request).
//! A long-running process that must answer at once turns the huge pages of
//! its memory off ([`steady_latency`]).

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// Every mimalloc block is aligned to at least a machine word.
const WORD: usize = std::mem::size_of::<usize>();

/// mimalloc through its plain entry points where they suffice.
pub struct Mimalloc;

// SAFETY: mimalloc returns blocks aligned to at least a word, so the plain
// entry points serve layouts aligned to a word or less; the others go to
// the aligned entry points, as `mimalloc::MiMalloc` sends every layout.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD {
            libmimalloc_sys::mi_malloc(layout.size()).cast()
        } else {
            mimalloc::MiMalloc.alloc(layout)
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD {
            libmimalloc_sys::mi_zalloc(layout.size()).cast()
        } else {
            mimalloc::MiMalloc.alloc_zeroed(layout)
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        libmimalloc_sys::mi_free(ptr.cast::<c_void>())
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= WORD {
            libmimalloc_sys::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
        } else {
            mimalloc::MiMalloc.realloc(ptr, layout, new_size)
        }
    }
}

/// Turns transparent huge pages off for this process (Linux). mimalloc asks
/// for huge pages on its memory, and with the kernel's usual setting
/// (`defrag=madvise`) a page fault there may wait for the kernel to compact
/// memory into a huge page: milliseconds, most often on the first edits
/// after the editor was idle. The language server's answers must not wait
/// for that; batch commands keep huge pages.
pub fn steady_latency() {
    #[cfg(target_os = "linux")]
    // SAFETY: `PR_SET_THP_DISABLE` takes integer arguments and changes only
    // how the kernel backs this process's memory; a failure (an old
    // kernel) leaves things as they were.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
