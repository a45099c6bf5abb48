//! Sessions per second: a small policy (connect, helo, mailfrom, rcptto and
//! eod scripts; one recipient and a message, `testdata/simulate/bench`) with
//! its scripts parsed once and replayed again and again. Run with
//! `cargo bench -p hsl-smtp`.

use divan::counter::ItemsCount;
use divan::Bencher;
use std::path::Path;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 20, sample_size = 50)]
fn replay_session(bencher: Bencher) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/simulate/bench/policy.yaml");
    let prepared = hsl_smtp::prepare(&path).expect("the bundled session is valid");
    bencher.counter(ItemsCount::new(1usize)).bench_local(|| {
        let report = hsl_smtp::run(&prepared);
        assert!(report.failures.is_empty());
        report
    });
}
