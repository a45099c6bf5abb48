//! Formatting speed: every well-formed file of `testdata/` concatenated
//! until the source is about 4 MB.

use std::path::Path;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn corpus() -> String {
    let mut files = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "hsl") {
                files.push(path);
            }
        }
    }
    files.sort();
    let options = hsl_fmt::Options::default();
    let good: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .filter(|s| hsl_fmt::format(s, &options).is_ok())
        .collect();
    let mut out = String::new();
    while out.len() < 4 << 20 {
        for text in &good {
            out.push_str(text);
            out.push('\n');
        }
    }
    out
}

#[divan::bench(sample_count = 10)]
fn format_4mb(bencher: divan::Bencher) {
    let source = corpus();
    let options = hsl_fmt::Options::default();
    bencher
        .counter(divan::counter::BytesCount::new(source.len()))
        .bench(|| hsl_fmt::format(divan::black_box(&source), &options).unwrap());
}
