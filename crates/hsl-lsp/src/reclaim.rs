//! Freeing replaced analyses off the request path. The syntax tree and model
//! of a large file take milliseconds to free; an edit hands the analysis it
//! replaces to one background thread instead of freeing it while the next
//! request waits.

use std::sync::mpsc::{self, Sender};
use std::sync::OnceLock;

type Garbage = Box<dyn Send>;

/// Frees `value` on the background thread (at once if that thread cannot
/// be started).
pub fn later<T: Send + 'static>(value: T) {
    static QUEUE: OnceLock<Option<Sender<Garbage>>> = OnceLock::new();
    let queue = QUEUE.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Garbage>();
        // Freeing a tree is recursive: the large stack of the threads that
        // walk trees.
        std::thread::Builder::new()
            .name("hsl-reclaim".into())
            .stack_size(hsl_syntax::LARGE_STACK)
            .spawn(move || rx.into_iter().for_each(drop))
            .ok()
            .map(|_| tx)
    });
    if let Some(tx) = queue {
        // A send fails only when the thread is gone: the value is then
        // returned and freed here.
        let _ = tx.send(Box::new(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    #[test]
    fn values_are_freed_in_the_background() {
        let value = Arc::new(vec![1u8; 1024]);
        let watch = Arc::downgrade(&value);
        later(value);
        let started = Instant::now();
        while watch.upgrade().is_some() {
            assert!(started.elapsed() < Duration::from_secs(10), "never freed");
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}
