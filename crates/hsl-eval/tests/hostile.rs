//! Hostile scripts: each ends within its limits with a clear message, never
//! a panic or a stack overflow. The time bounds are generous for a loaded
//! two-core machine; each case would take far longer (or abort) without
//! its limit.

use hsl_eval::{Limits, Options, RuntimeError};
use std::time::{Duration, Instant};

const MB: usize = 1 << 20;

/// As `hsl` does: the sandbox then sums every value a script holds.
#[global_allocator]
static ALLOC: hsl_eval::alloc::Counting<std::alloc::System> =
    hsl_eval::alloc::Counting(std::alloc::System);

fn small() -> Limits {
    Limits {
        memory: 16 * MB,
        ..Default::default()
    }
}

/// Runs `files[0]` (the other files beside it) the way `hsl run` does;
/// returns the result, the output and how long it took.
fn run_files(
    files: &[(&str, &str)],
    limits: Limits,
) -> (Result<(), RuntimeError>, String, Duration) {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("hsl-hostile-{}-{run}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let entry = dir.join(files[0].0);
    let result = hsl_syntax::run_with_large_stack(|| {
        let options = Options {
            limits,
            ..Default::default()
        };
        let mut out = Vec::new();
        let started = Instant::now();
        let result = hsl_eval::run_source(
            files[0].1,
            &entry.display().to_string(),
            &options,
            &mut |b| out.extend_from_slice(&b[..b.len().min(64)]),
        );
        (
            result,
            String::from_utf8_lossy(&out).into_owned(),
            started.elapsed(),
        )
    });
    std::fs::remove_dir_all(&dir).unwrap();
    result
}

fn run(source: &str, limits: Limits) -> (Result<(), RuntimeError>, String, Duration) {
    run_files(&[("hostile.hsl", source)], limits)
}

/// The message of the error `source` ends with.
fn fails(source: &str, limits: Limits, bound: Duration) -> String {
    let (result, _, took) = run(source, limits);
    assert!(took < bound, "{source}: took {took:?}");
    result.expect_err(source).message
}

fn timed(seconds: u64) -> Limits {
    Limits {
        time: Some(Duration::from_secs(seconds)),
        ..Default::default()
    }
}

#[test]
fn a_huge_format_precision_is_written_not_a_panic() {
    let (result, out, _) = run("echo length(\"%.65536f\" % [1.5]);", Limits::default());
    assert_eq!((result, out.as_str()), (Ok(()), "65538\n"));
    let (result, out, _) = run("echo (\"%.1200f\" % [0.5])[0:4];", Limits::default());
    assert_eq!((result, out.as_str()), (Ok(()), "0.50\n"));
}

#[test]
fn random_number_stays_in_its_range_over_any_range() {
    let source = "
        $a = random_number(-9223372036854775808, 9223372036854775807);
        echo $a >= -9223372036854775808 and $a <= 9223372036854775807;
        for ($i = 0; $i < 100; $i++) {
            $b = random_number(100000000000000000000, 100000000000000000000 + 1);
            if ($b != 100000000000000000000) echo \"out of range: $b\";
            $c = random_number(-3, 3);
            if ($c < -3 or $c > 3 or $c != floor($c)) echo \"out of range: $c\";
        }
        echo random_number(-pow(10, 308), pow(10, 308)) <= pow(10, 308);";
    let (result, out, _) = run(source, Limits::default());
    assert_eq!((result, out.as_str()), (Ok(()), "true\ntrue\n"));
    let message = fails(
        "random_number(0, 1 / 0);",
        Limits::default(),
        Duration::from_secs(5),
    );
    assert_eq!(
        message,
        "uncaught exception: random_number() needs finite numbers"
    );
}

#[test]
fn include_cycles_are_an_error_not_a_stack_overflow() {
    let (result, _, took) = run_files(
        &[("self.hsl", "echo 1;\ninclude \"self.hsl\";\n")],
        Limits::default(),
    );
    let err = result.unwrap_err();
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert_eq!((err.line, err.column), (2, 9), "{err}");
    assert!(err.message.starts_with("include cycle: "), "{err}");
    assert!(
        err.message
            .ends_with("self.hsl (a file cannot include itself, directly or through others)"),
        "{err}"
    );
    let (result, _, _) = run_files(
        &[
            ("a.hsl", "include \"b.hsl\";\n"),
            ("b.hsl", "echo 2;\ninclude \"a.hsl\";\n"),
        ],
        Limits::default(),
    );
    let err = result.unwrap_err();
    assert!(err.file.ends_with("b.hsl"), "{err}");
    assert!(
        err.message.contains("a.hsl → ") && err.message.contains("b.hsl → "),
        "{err}"
    );
    // Including a file twice, one after the other, is no cycle.
    let (result, out, _) = run_files(
        &[
            ("twice.hsl", "include \"one.hsl\";\ninclude \"one.hsl\";\n"),
            ("one.hsl", "echo 1;\n"),
        ],
        Limits::default(),
    );
    assert_eq!((result, out.as_str()), (Ok(()), "1\n1\n"));
}

#[test]
fn echo_output_counts_against_the_memory_limit() {
    let limits = Limits {
        memory: 10 * MB,
        ..Default::default()
    };
    let started = Instant::now();
    let message = fails(
        "$s = str_repeat(\"x\", 1000000);\nforever { echo $s; }",
        limits,
        Duration::from_secs(10),
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(
        message,
        "memory limit of 10485760 bytes exceeded by output (all output of a run counts)"
    );
}

#[test]
fn a_zlib_bomb_stops_at_the_memory_limit() {
    let limits = Limits {
        memory: 16 * MB,
        ..Default::default()
    };
    let mut bomb = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; MB];
    for _ in 0..64 {
        std::io::Write::write_all(&mut bomb, &zeros).unwrap();
    }
    let bomb = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        bomb.finish().unwrap(),
    );
    let message = fails(
        &format!("zlib_uncompress(base64_decode(\"{bomb}\"));"),
        limits,
        Duration::from_secs(20),
    );
    assert_eq!(
        message,
        "memory limit of 16777216 bytes exceeded by the result of zlib_uncompress()"
    );
    // A broken stream is still none.
    let (result, out, _) = run("echo zlib_uncompress(\"not zlib\");", Limits::default());
    assert_eq!((result, out.as_str()), (Ok(()), "none\n"));
}

#[test]
fn csv_decode_of_millions_of_fields_stops_at_a_limit() {
    let message = fails(
        "csv_decode(str_repeat(\",\", 10000000));",
        Limits::default(),
        Duration::from_secs(20),
    );
    assert!(
        message.starts_with("memory limit of 268435456 bytes exceeded by an array of "),
        "{message}"
    );
}

#[test]
fn pcre_match_all_over_a_huge_subject_stops_at_a_limit() {
    let message = fails(
        "pcre_match_all(\"\", str_repeat(\"x\", 100000000));",
        timed(5),
        Duration::from_secs(30),
    );
    assert!(
        message.starts_with("memory limit of 268435456 bytes exceeded by an array of ")
            || message == "time limit of 5 s exceeded",
        "{message}"
    );
}

#[test]
fn growth_through_string_functions_stops_before_the_result_is_built() {
    let limits = Limits {
        memory: 16 * MB,
        ..Default::default()
    };
    let message = fails(
        "$s = str_repeat(\"a\", 1000000);\nstr_replace(\"a\", \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\", $s);",
        limits,
        Duration::from_secs(10),
    );
    assert!(
        message.starts_with("memory limit of 16777216 bytes exceeded by a string of "),
        "{message}"
    );
    let message = fails(
        "$s = str_repeat(\"a\", 10000000);\nstr_chunk($s, 1);",
        limits,
        Duration::from_secs(10),
    );
    assert!(
        message.starts_with("memory limit of 16777216 bytes exceeded by an array of "),
        "{message}"
    );
}

#[test]
fn paths_that_leave_the_project_root_are_refused() {
    for (spec, kind) in [
        ("txt!../../../../../../../etc/passwd", "import $x from"),
        ("/etc/passwd", "import $x from"),
        ("../../../../../../../etc/hostname", "include"),
    ] {
        let source = format!("echo 1;\n{kind} \"{spec}\";\n");
        let (result, out, _) = run_files(
            &[("escape.hsl", &source), ("hsl.toml", "")],
            Limits::default(),
        );
        let err = result.expect_err(spec);
        assert_eq!(out, "", "nothing runs: {spec}");
        assert_eq!(err.line, 2, "{err}");
        assert!(
            err.message
                .starts_with(&format!("`{spec}` is outside the project root")),
            "{err}"
        );
    }
}

#[test]
fn many_values_below_the_limit_stop_at_the_total_memory_budget() {
    let message = fails(
        "$keep = [];\nforever { $keep[] = str_repeat(\"x\", 1000000) . \"\"; }",
        small(),
        Duration::from_secs(10),
    );
    assert!(
        message.starts_with("memory limit of 16777216 bytes exceeded by ")
            && message.contains(" bytes in use")
            || message.starts_with("memory limit of 16777216 bytes exceeded by the "),
        "{message}"
    );
    // Memory a run frees counts no more: the same work in a loop that
    // keeps nothing ends normally.
    let (result, out, _) = run(
        "for ($i = 0; $i < 100; $i++) { $s = str_repeat(\"x\", 1000000); }\necho length($s);",
        small(),
    );
    assert_eq!((result, out.as_str()), (Ok(()), "1000000\n"));
}

#[test]
fn json_encode_past_the_limit_stops_before_the_text_is_built() {
    let message = fails(
        "$s = str_repeat(\"x\", 5000000);\necho json_encode([$s, $s, $s, $s]);",
        small(),
        Duration::from_secs(10),
    );
    assert!(
        message.starts_with("memory limit of 16777216 bytes exceeded by a string of "),
        "{message}"
    );
    let (result, out, _) = run(
        "echo json_encode([\"b\" => [1, \"\\n\"], \"a\" => none]);",
        small(),
    );
    assert_eq!(
        (result, out.as_str()),
        (Ok(()), "{\"a\":null,\"b\":[1,\"\\n\"]}\n")
    );
}

#[test]
fn pcre_replace_growth_stops_at_the_limit() {
    let message = fails(
        "$s = str_repeat(\"a\", 100000);\npcre_replace(\"a\", str_repeat(\"b\", 1000), $s);",
        small(),
        Duration::from_secs(20),
    );
    assert!(
        message.starts_with("memory limit of 16777216 bytes exceeded by a string of "),
        "{message}"
    );
    let (result, out, _) = run(
        "echo pcre_replace(\"(a)(b)?\", \"[$1$2]\", \"xaby a\");",
        small(),
    );
    assert_eq!((result, out.as_str()), (Ok(()), "x[ab]y [a]\n"));
}

#[test]
fn a_variadic_call_that_doubles_its_arguments_stops_at_the_limit() {
    let message = fails(
        "function f(...$a) { return f(...$a, ...$a); }\nf(1);",
        small(),
        Duration::from_secs(20),
    );
    assert!(
        message.starts_with("memory limit of 16777216 bytes exceeded by an array of "),
        "{message}"
    );
}

#[test]
fn a_gzip_bomb_stops_at_the_memory_limit() {
    let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; MB];
    for _ in 0..64 {
        std::io::Write::write_all(&mut bomb, &zeros).unwrap();
    }
    let bomb = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        bomb.finish().unwrap(),
    );
    for bits in ["31", "47"] {
        let message = fails(
            &format!("zlib_uncompress(base64_decode(\"{bomb}\"), {bits});"),
            small(),
            Duration::from_secs(20),
        );
        assert!(
            message.starts_with(
                "memory limit of 16777216 bytes exceeded by the result of zlib_uncompress()"
            ),
            "{message}"
        );
    }
}

#[test]
fn yaml_nested_too_deeply_is_refused_at_once() {
    let started = Instant::now();
    let (result, out, _) = run(
        "echo yaml_decode(str_repeat(\"- \", 100000) . \"x\");\necho yaml_decode(str_repeat(\"- \", 3) . \"x\");",
        timed(5),
    );
    assert_eq!(
        (result, out.as_str()),
        (Ok(()), "none\n[0=>[0=>[0=>\"x\"]]]\n")
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}
