//! Lexing and parsing throughput on a generated multi-megabyte HSL file.
//! Run with `cargo bench -p hsl-syntax`; divan reports bytes per second.

use divan::counter::BytesCount;
use divan::Bencher;

// The `hsl` binary uses mimalloc; measure with the same allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// About 4 MB of varied hook code: functions, classes, loops, strings with
/// interpolation, regexes, arrays and nested expressions.
fn source() -> String {
    let unit = include_str!("../../../testdata/syntax/valid/tour.hsl");
    let mut out = String::with_capacity(4_300_000);
    let mut i = 0;
    while out.len() < 4_000_000 {
        // Rename declarations so the file stays meaningful when repeated.
        out.push_str(
            &unit
                .replace("Counter", &format!("Counter{i}"))
                .replace("function add", &format!("function add{i}")),
        );
        out.push('\n');
        i += 1;
    }
    out
}

#[divan::bench(sample_count = 10)]
fn lex(bencher: Bencher) {
    let src = source();
    bencher
        .counter(BytesCount::of_str(&src))
        .bench(|| hsl_syntax::lexer::lex(divan::black_box(&src)).0.len());
}

#[divan::bench(sample_count = 10)]
fn lex_and_parse(bencher: Bencher) {
    let src = source();
    bencher.counter(BytesCount::of_str(&src)).bench(|| {
        hsl_syntax::parse(divan::black_box(&src))
            .program
            .stmts
            .len()
    });
}
