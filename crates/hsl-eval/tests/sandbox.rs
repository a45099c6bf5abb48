//! The sandbox limits: each runaway script ends quickly with its named,
//! uncatchable error at the place it happened.

use hsl_eval::{Limits, Options, RuntimeError};
use std::time::{Duration, Instant};

/// Runs `source` the way `hsl run` does (on a thread with a large stack)
/// and returns its error, its output and how long it took.
fn run(source: &str, limits: Limits) -> (RuntimeError, String, Duration) {
    hsl_syntax::run_with_large_stack(|| {
        let options = Options {
            limits,
            ..Default::default()
        };
        let mut out = Vec::new();
        let started = Instant::now();
        let err = hsl_eval::run_source(source, "limits.hsl", &options, &mut |b| {
            out.extend_from_slice(b)
        })
        .expect_err("the script must hit a limit");
        (err, String::from_utf8(out).unwrap(), started.elapsed())
    })
}

const MB: usize = 1 << 20;

fn small() -> Limits {
    Limits {
        memory: MB,
        ..Default::default()
    }
}

#[test]
fn huge_strings_are_refused_before_they_are_built() {
    let (err, _, took) = run("echo 1;\n$s = \"x\" * 1000000000000;\n", Limits::default());
    assert_eq!(
        err.to_string(),
        "limits.hsl:2:6: memory limit of 268435456 bytes exceeded by a string of 1000000000000 bytes"
    );
    assert!(took < Duration::from_secs(2), "{took:?}");
    let (err, _, _) = run("$s = str_repeat(\"ab\", 1000000000000);", Limits::default());
    assert_eq!(
        (err.line, err.column, err.message.as_str()),
        (
            1,
            6,
            "memory limit of 268435456 bytes exceeded by a string of 2000000000000 bytes"
        )
    );
    let (err, _, _) = run("$s = \"%'x99999999999s|%.99999999999f\" % [1, 2];", small());
    assert!(
        err.message.ends_with("a string of 99999999999 bytes"),
        "{err}"
    );
    let options = Default::default();
    for bad in [
        "\"%'\" % [1];",
        "\"%[\" % [1];",
        "\"%'x\" % [1];",
        "\"%\" % [];",
    ] {
        let err = hsl_eval::run_source(bad, "f.hsl", &options, &mut |_| {}).unwrap_err();
        assert!(
            err.message.starts_with("uncaught exception: "),
            "{bad}: {err}"
        );
    }
    let (err, _, _) = run("$s = \"ab\";\nforever { $s .= $s; }\n", small());
    assert_eq!((err.line, err.column), (2, 11));
    assert!(err
        .message
        .starts_with("memory limit of 1048576 bytes exceeded by a string of"));
}

#[test]
fn arrays_that_grow_forever_end_with_the_memory_limit() {
    let (err, _, took) = run("$a = [];\nforever {\n\t$a[] = 1;\n}\n", small());
    assert_eq!((err.line, err.column), (3, 2));
    assert!(
        err.message
            .starts_with("memory limit of 1048576 bytes exceeded by an array of"),
        "{err}"
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
    let (err, _, _) = run("$a = [1];\nforever { $a = [...$a, ...$a]; }\n", small());
    assert!(err.message.contains("an array of"), "{err}");
    let (err, _, _) = run("$a = [1] * 1000000000;", small());
    assert!(
        err.message.ends_with("an array of 1000000000 elements"),
        "{err}"
    );
    let (err, _, _) = run("$a = array_range(1, 1000000000000);", small());
    assert!(
        err.message.ends_with("an array of 1000000000000 elements"),
        "{err}"
    );
    let (err, _, _) = run("$s = random_bytes(1000000000000);", small());
    assert!(
        err.message.ends_with("a string of 1000000000000 bytes"),
        "{err}"
    );
}

#[test]
fn limits_cannot_be_caught() {
    let (err, out, _) = run(
        "try { $s = \"x\" * 1000000000000; } catch ($e) { echo \"caught\"; }",
        Limits::default(),
    );
    assert!(err.message.starts_with("memory limit"), "{err}");
    assert_eq!(out, "");
    let limits = Limits {
        steps: 1000,
        ..Default::default()
    };
    let (err, out, _) = run("try { forever {} } catch ($e) { echo \"caught\"; }", limits);
    assert_eq!(
        (err.message.as_str(), out.as_str()),
        ("step limit of 1000 exceeded", "")
    );
}

#[test]
fn the_clock_stops_long_runs() {
    let limits = Limits {
        steps: u64::MAX,
        time: Some(Duration::from_millis(50)),
        ..Default::default()
    };
    let (err, _, took) = run("$i = 0;\nforever { $i++; }\n", limits);
    assert_eq!(err.message, "time limit of 0.05 s exceeded");
    assert_eq!(err.line, 2);
    assert!(took < Duration::from_secs(2), "{took:?}");
}

#[test]
fn deep_recursion_ends_with_the_depth_limit() {
    let (err, _, _) = run(
        "function f($n) { return f($n + 1); }\nf(0);\n",
        Limits::default(),
    );
    assert_eq!(err.message, "call depth limit of 256 exceeded");
    assert_eq!(err.line, 1);
    let (err, _, _) = run(
        "function g($n) { return array_map(function ($x) { return g($x); }, [$n]); }\ng(0);\n",
        Limits::default(),
    );
    assert_eq!(err.message, "call depth limit of 256 exceeded");
}
