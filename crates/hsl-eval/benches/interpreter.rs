//! A CPU-bound script (loops, arithmetic, string building, array work).
//! `benches/interpreter.py` is the same algorithm for a side-by-side
//! comparison with `python3`. Run with `cargo bench -p hsl-eval`.

use divan::counter::ItemsCount;
use divan::Bencher;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// 200,000 loop iterations, each doing a few operations.
const SCRIPT: &str = r#"
$words = [];
$total = 0;
for ($i = 0; $i < 200000; $i++) {
    $total += $i % 7 * 3;
    if ($i % 1000 == 0) {
        $words[] = "w" . $i;
    }
}
$text = array_join($words, ",");
$parts = str_split($text, ",");
$lengths = array_map(function ($p) { return length($p); }, $parts);
echo $total + length($text) + length($lengths);
"#;

#[divan::bench(sample_count = 10)]
fn loops_strings_arrays(bencher: Bencher) {
    bencher.counter(ItemsCount::new(200_000usize)).bench(|| {
        let mut out = Vec::new();
        hsl_eval::run_source(SCRIPT, "bench.hsl", &Default::default(), &mut |b| {
            out.extend_from_slice(b)
        })
        .unwrap();
        assert_eq!(out, b"1801668\n");
    });
}
