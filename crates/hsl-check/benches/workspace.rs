//! Checking a generated Halon workspace of 10,000 hook scripts that include
//! and import shared files, and one long hook script at doubling sizes.
//! Run with `cargo bench -p hsl-check`.

use divan::counter::{BytesCount, ItemsCount};
use divan::Bencher;
use hsl_check::{Checker, Options};
use std::path::{Path, PathBuf};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const HOOKS: [&str; 8] = [
    "connect",
    "helo",
    "auth",
    "mailfrom",
    "rcptto",
    "eod",
    "disconnect",
    "proxy",
];

const SHARED: &str = "$limits = [\"recipients\" => 50, \"size\" => 10485760];\n\
function is_listed($ip, $networks) {\n\tforeach ($networks as $n) { if (inet_includes($ip, $n)) return true; }\n\treturn false;\n}\n\
function domain_of($address) {\n\t[$local, $domain] = envelope_address_parse($address);\n\treturn str_lower($domain ?? \"\");\n}\n";

fn hook_script(hook: &str, i: usize) -> String {
    let verdict = if hook == "disconnect" || hook == "proxy" {
        "Pass();"
    } else {
        "Accept();"
    };
    format!(
        "include \"shared.hsl\";\nimport {{ helper }} from \"module.hsl\";\n// script {i}\n\
         $networks = [\"192.0.2.0/24\", \"198.51.100.{n}/32\"];\n\
         function score_{i}($value) {{\n\t$score = 0;\n\tif (length($value) > 10) $score += 1;\n\tif ($value =~ #/spam/i) $score += 5;\n\treturn $score;\n}}\n\
         $s = score_{i}(\"value {i}\") + helper({n});\n\
         if ($s > 3 or is_listed(\"192.0.2.1\", $networks))\n\techo \"high score $s\";\n\
         $context[\"seen_{i}\"] = $limits[\"recipients\"];\n{verdict}\n",
        n = i % 250
    )
}

/// Writes the workspace once; returns its hook files and total size.
fn workspace() -> (PathBuf, Vec<PathBuf>, usize) {
    let root = std::env::temp_dir().join(format!("hsl-bench-workspace-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("src/files")).unwrap();
    std::fs::create_dir_all(root.join("src/config")).unwrap();
    std::fs::write(root.join("src/files/shared.hsl"), SHARED).unwrap();
    std::fs::write(
        root.join("src/files/module.hsl"),
        "function helper($x) { return $x * 2; }\n",
    )
    .unwrap();
    let mut files = Vec::new();
    let mut bytes = 0;
    for i in 0..10_000 {
        let hook = HOOKS[i % HOOKS.len()];
        let dir = root.join("src/hooks").join(hook);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("script{i}.hsl"));
        let text = hook_script(hook, i);
        bytes += text.len();
        std::fs::write(&path, text).unwrap();
        files.push(path);
    }
    (root, files, bytes)
}

fn check_all(files: &[PathBuf]) -> usize {
    let checker = Checker::new(Options::default());
    let mut found = 0;
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        found += checker.check(Path::new(f), &text).unwrap().len();
    }
    found
}

#[divan::bench(sample_count = 5)]
fn check_10000_files(bencher: Bencher) {
    let (root, files, bytes) = workspace();
    assert_eq!(
        check_all(&files[..50]),
        0,
        "the generated workspace is clean"
    );
    bencher
        .counter(ItemsCount::new(files.len()))
        .counter(BytesCount::new(bytes))
        .bench(|| check_all(&files));
    let _ = std::fs::remove_dir_all(root);
}

/// One hook script of `n` top-level statements, each a new variable and an
/// `if`/`else` over it (about 100 bytes each): doubling `n` doubles the time.
#[divan::bench(args = [5_000, 10_000, 20_000], sample_count = 3)]
fn check_long_script(bencher: Bencher, n: usize) {
    let mut source = String::from("// hsl: hook=helo\n");
    for i in 0..n {
        source.push_str(&format!(
            "$y{i} = $arguments[\"host\"] . \"x\"; if ($y{i} == \"a\") {{ echo $y{i}; }} else {{ $z = [1, 2, $y{i}]; }}\n"
        ));
    }
    let checker = Checker::new(Options::default());
    let path = Path::new("/nonexistent/long.hsl");
    bencher
        .counter(BytesCount::new(source.len()))
        .bench(|| checker.check(path, &source).unwrap().len());
}
