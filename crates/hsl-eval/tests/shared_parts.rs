//! Values whose parts are shared: `$a = [$a, $a];` forty times is a few
//! bytes of memory but 2^40 elements to any walk over it (text form,
//! comparison, encoders). Each walk ends at the run's limits with the
//! limit's error, and nothing sees the cut-short result.

use hsl_eval::{Limits, Options, RuntimeError};
use std::time::{Duration, Instant};

/// As `hsl` does: the sandbox then sums every value a script holds.
#[global_allocator]
static ALLOC: hsl_eval::alloc::Counting<std::alloc::System> =
    hsl_eval::alloc::Counting(std::alloc::System);

/// Builds `$a` (and an equal `$b` of its own) with 2^40 elements.
const SHARED: &str = "$a = [1]; $b = [1];\n\
    for ($i = 0; $i < 40; $i++) { $a = [$a, $a]; $b = [$b, $b]; }\n";

fn run(tail: &str) -> (Result<(), RuntimeError>, String, Duration) {
    run_source(&format!("{SHARED}{tail}\necho \"after\";\n"))
}

fn run_source(source: &str) -> (Result<(), RuntimeError>, String, Duration) {
    let options = Options {
        limits: Limits {
            time: Some(Duration::from_secs(1)),
            memory: 64 << 20,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut out = Vec::new();
    let started = Instant::now();
    let result = hsl_eval::run_source(source, "shared.hsl", &options, &mut |b| {
        out.extend_from_slice(&b[..b.len().min(64)])
    });
    (
        result,
        String::from_utf8_lossy(&out).into_owned(),
        started.elapsed(),
    )
}

#[test]
fn every_walk_over_shared_parts_ends_at_a_limit() {
    for tail in [
        "echo $a;",
        "echo \"$a\";",
        "echo \"%s\" % [$a];",
        "echo json_encode($a);",
        "echo $a == $b;",
        "echo $a === $b;",
        "echo in_array($b, [$a]);",
        "echo array_unique([$a, $b]);",
        "function f($x) { return 1; } cache [] f($a);",
        "memory_store(\"shared\", $a);",
    ] {
        let (result, out, took) = run(tail);
        let err = result.expect_err(tail);
        assert!(
            err.message.contains("time limit of 1 s exceeded")
                || err
                    .message
                    .contains("memory limit of 67108864 bytes exceeded"),
            "{tail}: {}",
            err.message
        );
        assert_eq!((err.file.as_str(), err.line), ("shared.hsl", 3), "{tail}");
        assert!(!out.contains("after"), "{tail}: the run went on: {out}");
        assert!(took < Duration::from_secs(30), "{tail}: took {took:?}");
    }
}

#[test]
fn a_value_equals_itself_without_a_walk() {
    let (result, out, _) = run("echo $a == $a; echo [$a] === [$a];");
    assert_eq!(result, Ok(()));
    assert_eq!(out, "true\ntrue\nafter\n");
}

#[test]
fn walks_count_elements_not_only_arrays() {
    // 2^30 copies of one array of 100,001 numbers.
    let (result, out, took) = run_source(
        "$x = array_range(0, 100000); $a = [$x]; $b = [$x];\n\
         for ($i = 0; $i < 30; $i++) { $a = [$a, $a]; $b = [$b, $b]; }\n\
         echo $a == $b;\n",
    );
    let err = result.unwrap_err();
    assert!(
        err.message.contains("time limit of 1 s exceeded"),
        "{}",
        err.message
    );
    assert_eq!(err.line, 3);
    assert_eq!(out, "");
    assert!(took < Duration::from_secs(30), "took {took:?}");
}
