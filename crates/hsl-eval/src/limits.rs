//! The sandbox: limits on steps, call depth, wall-clock time and memory
//! that end a runaway script with a clean, uncatchable error
//! ([`Signal::Limit`]) instead of hanging or exhausting the machine.

use crate::interp::Signal;
use crate::value::{Array, Key, Value};
use hsl_syntax::Span;
use std::time::{Duration, Instant};

/// Limits that end a runaway script with a clean error.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Statements and expressions evaluated.
    pub steps: u64,
    /// Nested function calls. Every level takes stack space: run the
    /// interpreter on a thread with a large stack (as `hsl run` does with
    /// `hsl_syntax::run_with_large_stack`) so the limit comes first.
    pub depth: usize,
    /// Wall-clock time of one run (`None`: no limit).
    pub time: Option<Duration>,
    /// Bytes one value may take (the length of a string, or the elements
    /// of an array at [`ELEMENT_BYTES`] each) and, with the
    /// [`crate::alloc::Counting`] allocator installed, all the memory the
    /// script holds together.
    pub memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            steps: 50_000_000,
            depth: 256,
            time: Some(Duration::from_secs(30)),
            memory: 256 << 20,
        }
    }
}

/// The estimated size of one array element: its key, value, hash and
/// index entry, twice over for the spare room a growing array keeps.
pub const ELEMENT_BYTES: usize =
    2 * (std::mem::size_of::<(Key, Value)>() + 2 * std::mem::size_of::<usize>());

/// The most one element of an array's capacity takes: its entry (hash,
/// key and value) and its share of the hash table of indices (a word and
/// a control byte per bucket, with up to three buckets per element in a
/// table kept at most 7/8 full in a power of two of buckets).
const SLOT_BYTES: usize =
    std::mem::size_of::<(u64, Key, Value)>() + 3 * (std::mem::size_of::<usize>() + 1);

/// What a walk cut short by a limit was over ([`Meter::walked`]).
const SHARED: &str = "a walk over a value whose parts are shared";

/// Steps between two looks at the clock.
const CLOCK_EVERY: u64 = 4096;

use crate::R;

/// Counts steps against the step limit and watches the clock.
#[derive(Debug)]
pub(crate) struct Meter {
    pub(crate) limits: Limits,
    steps: u64,
    /// The step count at which [`Meter::check`] runs next.
    next_check: u64,
    deadline: Option<Instant>,
    /// Bytes of output written so far.
    output: usize,
}

impl Meter {
    pub(crate) fn new(limits: Limits) -> Self {
        let mut m = Meter {
            limits,
            steps: 0,
            next_check: 0,
            deadline: None,
            output: 0,
        };
        m.start();
        m
    }

    /// Starts the clock for a run.
    pub(crate) fn start(&mut self) {
        crate::alloc::start_run();
        self.deadline = self.limits.time.map(|t| Instant::now() + t);
        crate::walk::start(self.deadline, self.limits.memory);
        self.schedule();
    }

    fn schedule(&mut self) {
        self.next_check = (self.steps + CLOCK_EVERY).min(self.limits.steps.saturating_add(1));
    }

    /// Counts one step; every [`CLOCK_EVERY`] steps also looks at the clock.
    #[inline(always)]
    pub(crate) fn step(&mut self, span: Span) -> R<()> {
        self.steps += 1;
        if self.steps >= self.next_check {
            return self.check(span);
        }
        Ok(())
    }

    /// Charges `bytes` of output (`echo`, or hook output an embedder
    /// keeps) to the run's memory budget before it is written: all output
    /// of a run together may not exceed the memory limit.
    pub(crate) fn output(&mut self, bytes: usize, span: Span) -> R<()> {
        self.walked(span)?;
        self.output = self.output.saturating_add(bytes);
        if self.output > self.limits.memory {
            return limit(
                span,
                format!(
                    "memory limit of {} bytes exceeded by output (all output of a run counts)",
                    self.limits.memory
                ),
            );
        }
        Ok(())
    }

    /// Fails once the time limit has passed: long built-ins call this as
    /// they go.
    pub(crate) fn deadline(&self, span: Span) -> R<()> {
        if let (Some(deadline), Some(time)) = (self.deadline, self.limits.time) {
            if Instant::now() >= deadline {
                return limit(
                    span,
                    format!("time limit of {} s exceeded", time.as_secs_f64()),
                );
            }
        }
        Ok(())
    }

    /// The time the run has left (`None`: no time limit).
    pub(crate) fn time_left(&self) -> Option<Duration> {
        self.deadline
            .map(|deadline| deadline.saturating_duration_since(Instant::now()))
    }

    /// Ends the run for the time limit, naming the work that would not
    /// have finished within it.
    pub(crate) fn out_of_time<T>(&self, what: &str, span: Span) -> R<T> {
        let seconds = self.limits.time.unwrap_or_default().as_secs_f64();
        limit(
            span,
            format!("time limit of {seconds} s exceeded by {what}"),
        )
    }

    /// Fails when a walk over a nested value was cut short by a limit
    /// ([`crate::walk`]): called before anything can see what the walk
    /// returned (output, function calls, the end of a run).
    #[inline]
    pub(crate) fn walked(&self, span: Span) -> R<()> {
        match crate::walk::over() {
            None => Ok(()),
            Some(crate::walk::Over::Time) => self.out_of_time(SHARED, span),
            Some(crate::walk::Over::Memory) => self.limits.exceeded(SHARED.into(), span),
        }
    }

    #[cold]
    fn check(&mut self, span: Span) -> R<()> {
        self.walked(span)?;
        if self.steps > self.limits.steps {
            return limit(
                span,
                format!("step limit of {} exceeded", self.limits.steps),
            );
        }
        self.deadline(span)?;
        self.limits.held(span)?;
        self.schedule();
        Ok(())
    }
}

impl Limits {
    /// Fails when a string of `len` bytes would not fit the memory limit,
    /// alone or beside what the script holds: called before it is built.
    pub(crate) fn string(&self, len: f64, span: Span) -> R<()> {
        self.reserve(len, || format!("a string of {len} bytes"), span)
    }

    /// Fails when an array of `count` elements would not fit the memory
    /// limit, alone or beside what the script holds.
    pub(crate) fn array(&self, count: f64, span: Span) -> R<()> {
        let bytes = count * ELEMENT_BYTES as f64;
        self.reserve(bytes, || format!("an array of {count} elements"), span)
    }

    /// Fails when `bytes` more would not fit the memory limit, alone or
    /// beside the memory the script holds already.
    pub(crate) fn reserve(&self, bytes: f64, what: impl Fn() -> String, span: Span) -> R<()> {
        let memory = self.memory as f64;
        if bytes > memory {
            return self.exceeded(what(), span);
        }
        let held = crate::alloc::used();
        if bytes + held as f64 > memory {
            return self.exceeded(format!("{} beside {held} bytes in use", what()), span);
        }
        Ok(())
    }

    /// Makes room in `buf` for `additional` more items before they are
    /// written, charging the growth first: the new block, allocated while
    /// the old one still exists, must fit beside everything the script
    /// holds. The buffer doubles while that fits and then takes only what
    /// is left, so a growing buffer never takes the run past its budget
    /// (plus the last block's rounding) the way an unchecked doubling can.
    /// `what` names a buffer of that many items in the error.
    pub(crate) fn room<T>(
        &self,
        buf: &mut Vec<T>,
        additional: usize,
        what: impl Fn(usize) -> String,
        span: Span,
    ) -> R<()> {
        let needed = buf.len().saturating_add(additional);
        if needed <= buf.capacity() {
            return Ok(());
        }
        let size = std::mem::size_of::<T>().max(1);
        let held = crate::alloc::used();
        let fits = self.memory.saturating_sub(held) / size;
        if needed > fits {
            return self.exceeded_beside(what(needed), held, span);
        }
        let capacity = needed.max(buf.capacity().saturating_mul(2)).min(fits);
        buf.reserve_exact(capacity - buf.len());
        Ok(())
    }

    /// [`Self::room`] for a string being built.
    pub(crate) fn string_room(&self, buf: &mut Vec<u8>, additional: usize, span: Span) -> R<()> {
        self.room(buf, additional, |n| format!("a string of {n} bytes"), span)
    }

    /// Makes room for one more element in `a` (unless `key` is already
    /// there) before it is added, charging the array's growth first like
    /// [`Self::room`], at [`SLOT_BYTES`] for each element of the new
    /// capacity.
    pub(crate) fn element_room(&self, a: &mut Array, key: Option<&Key>, span: Span) -> R<()> {
        let map = &mut a.map;
        if map.len() < map.capacity() || key.is_some_and(|k| map.contains_key(k)) {
            return Ok(());
        }
        let held = crate::alloc::used();
        let fits = self.memory.saturating_sub(held) / SLOT_BYTES;
        let needed = map.len() + 1;
        if needed > fits {
            return self.exceeded_beside(format!("an array of {needed} elements"), held, span);
        }
        let capacity = needed.max(map.capacity().saturating_mul(2)).min(fits);
        map.reserve_exact(capacity - map.len());
        Ok(())
    }

    /// Fails when the values the script holds together outgrow the memory
    /// limit (looked at with the clock, and by built-ins as they build).
    pub(crate) fn held(&self, span: Span) -> R<()> {
        let held = crate::alloc::used();
        if held > self.memory {
            return self.exceeded(format!("the {held} bytes the script holds"), span);
        }
        Ok(())
    }

    /// Fails when a computed string or array does not fit the memory
    /// limit, alone or with the rest of what the script holds.
    pub(crate) fn value(&self, v: &Value, span: Span) -> R<()> {
        match v {
            Value::Str(s) => {
                let len = s.len() as f64;
                self.built(len, || format!("a string of {len} bytes"), span)
            }
            Value::Array(a) => self.grown(a.map.len(), span),
            _ => self.held(span),
        }
    }

    /// Fails when an array grown to `count` elements does not fit the
    /// memory limit, alone or with the rest of what the script holds.
    pub(crate) fn grown(&self, count: usize, span: Span) -> R<()> {
        let bytes = count as f64 * ELEMENT_BYTES as f64;
        self.built(bytes, || format!("an array of {count} elements"), span)
    }

    /// [`Self::reserve`] for a value already built (and so already held).
    fn built(&self, bytes: f64, what: impl Fn() -> String, span: Span) -> R<()> {
        if bytes > self.memory as f64 {
            return self.exceeded(what(), span);
        }
        self.held(span)
    }

    /// Checks the size of the result a core function is about to build
    /// from its arguments, for the functions whose result can be far
    /// larger than their input.
    pub(crate) fn call(&self, name: &str, args: &[Value], span: Span) -> R<()> {
        let num = |i: usize| args.get(i).map_or(0.0, Value::to_number);
        match name {
            "str_repeat" => {
                let len = match args.first() {
                    Some(Value::Str(s)) => s.len(),
                    other => other.map_or(0, |v| v.to_bytes().len()),
                };
                self.string(len as f64 * num(1).max(0.0), span)
            }
            "random_bytes" => self.string(num(0), span),
            "array_range" | "range" => {
                let step = if args.len() > 2 { num(2).abs() } else { 1.0 };
                if step > 0.0 {
                    self.array(((num(1) - num(0)).abs() / step).floor() + 1.0, span)
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    /// [`Self::exceeded`] by `what` beside the `held` bytes in use.
    fn exceeded_beside<T>(&self, what: String, held: usize, span: Span) -> R<T> {
        if held == 0 {
            self.exceeded(what, span)
        } else {
            self.exceeded(format!("{what} beside {held} bytes in use"), span)
        }
    }

    pub(crate) fn exceeded<T>(&self, what: String, span: Span) -> R<T> {
        limit(
            span,
            format!("memory limit of {} bytes exceeded by {what}", self.memory),
        )
    }
}

fn limit<T>(span: Span, message: String) -> R<T> {
    Err(Box::new(Signal::Limit(message, span)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message of a limit error.
    fn message<T: std::fmt::Debug>(result: R<T>) -> String {
        match *result.expect_err("a limit") {
            Signal::Limit(message, _) => message,
            other => panic!("not a limit: {other:?}"),
        }
    }

    #[test]
    fn a_buffer_doubles_while_it_fits_then_takes_only_what_is_left() {
        // No counting allocator in this test: the budget is the buffer's own.
        let limits = Limits {
            memory: 100,
            ..Default::default()
        };
        let span = Span::default();
        let mut buf = Vec::new();
        limits.string_room(&mut buf, 10, span).unwrap();
        assert_eq!(buf.capacity(), 10);
        buf.resize(10, b'x');
        limits.string_room(&mut buf, 1, span).unwrap();
        assert_eq!(buf.capacity(), 20, "doubles");
        buf.resize(60, b'x');
        limits.string_room(&mut buf, 1, span).unwrap();
        assert_eq!(buf.capacity(), 100, "takes what is left, not 120");
        buf.resize(100, b'x');
        assert_eq!(
            message(limits.string_room(&mut buf, 1, span)),
            "memory limit of 100 bytes exceeded by a string of 101 bytes"
        );
        assert_eq!(buf.capacity(), 100, "nothing allocated past the budget");
    }

    #[test]
    fn an_array_grows_within_the_budget() {
        let limits = Limits {
            memory: 10 * SLOT_BYTES,
            ..Default::default()
        };
        let span = Span::default();
        let mut a = Array::default();
        for i in 0..10 {
            limits.element_room(&mut a, None, span).unwrap();
            a.push(Value::Number(f64::from(i)));
            assert!(a.map.capacity() <= 16, "{}", a.map.capacity());
        }
        // Replacing an element needs no room.
        limits
            .element_room(&mut a, Some(&Key::Int(3)), span)
            .unwrap();
        assert_eq!(
            message(limits.element_room(&mut a, None, span)),
            format!(
                "memory limit of {} bytes exceeded by an array of 11 elements",
                10 * SLOT_BYTES
            )
        );
    }
}
