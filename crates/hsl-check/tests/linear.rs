//! Checking is linear in the size of a file: a hook script of many
//! top-level statements (each a branch over a new variable) checks in time
//! proportional to its length.

use hsl_check::{Checker, Options};
use std::path::Path;
use std::time::{Duration, Instant};

/// `n` statements of the shape that once made the definite-assignment walk
/// quadratic: a new variable per statement, then an `if`/`else` over it.
pub fn long_script(n: usize) -> String {
    let mut s = String::from("// hsl: hook=helo\n");
    for i in 0..n {
        s.push_str(&format!(
            "$y{i} = $arguments[\"host\"] . \"x\"; if ($y{i} == \"a\") {{ echo $y{i}; }} else {{ $z = [1, 2, $y{i}]; }}\n"
        ));
    }
    s
}

fn time_check(source: &str) -> Duration {
    let checker = Checker::new(Options::default());
    let started = Instant::now();
    let found = checker
        .check(Path::new("/nonexistent/long.hsl"), source)
        .unwrap();
    let elapsed = started.elapsed();
    // `$z` is assigned on one path per statement and never read.
    assert!(found.iter().all(|d| d.code == "HSL115"), "{found:#?}");
    elapsed
}

#[test]
fn a_two_megabyte_hook_script_checks_in_seconds() {
    let source = long_script(20_000);
    assert!(source.len() > 1_900_000, "{}", source.len());
    let elapsed = time_check(&source);
    // Quadratic, this took about 27 s in release builds; linear, it takes
    // well under a second. The bound leaves room for debug builds on a busy machine.
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
}

#[test]
fn long_runs_of_minus_signs_are_one_error_each_and_quick() {
    let cases = [
        // 42 KB of unary minus: over the operator limit of one expression.
        ("- ".repeat(21_000), "HSL013"),
        ("-".repeat(10_000), "HSL002"),
        (format!("$x = 1 {};", "- ".repeat(10_000)), "HSL001"),
    ];
    for (source, code) in cases {
        let started = Instant::now();
        let found = hsl_syntax::run_with_large_stack(|| {
            Checker::new(Options::default())
                .check(Path::new("/nonexistent/minus.hsl"), &source)
                .unwrap()
        });
        let elapsed = started.elapsed();
        let codes: Vec<&str> = found.iter().map(|d| d.code).collect();
        assert_eq!(codes, [code], "{}…", &source[..20]);
        assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    }
}
