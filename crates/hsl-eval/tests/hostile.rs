//! Hostile scripts: each ends within its limits with a clear message, never
//! a panic, a stack overflow or a run past its memory budget. The time
//! bounds are generous for a loaded two-core machine; each case would take
//! far longer (or abort) without its limit. The peak of the memory a run
//! takes is measured by the allocator of this test and held to the budget
//! plus [`SLACK`].

use hsl_eval::{Limits, Options, RuntimeError};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::{Duration, Instant};

const MB: usize = 1 << 20;

/// What a run may take beyond its memory budget at its peak: values the
/// interpreter keeps outside the budget (its scopes, the parsed script) and
/// a last allocation's rounding.
const SLACK: usize = 2 * MB;

/// As `hsl` does, the sandbox's counting allocator, which sums every value
/// a script holds; around it, the peak of what each thread holds.
struct Peak(hsl_eval::alloc::Counting<System>);

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

/// Counts an allocation of `grown` bytes that frees `freed` bytes once it is
/// made (a `realloc` holds both for a moment).
fn track(grown: usize, freed: usize) {
    let _ = LIVE.try_with(|live| {
        let during = live.get() + grown as isize;
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(during)));
        live.set(during - freed as isize);
    });
}

// SAFETY: every call is forwarded unchanged to the counting allocator; the
// counters are `const`-initialised thread-locals without destructors.
unsafe impl GlobalAlloc for Peak {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        track(layout.size(), 0);
        self.0.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        track(layout.size(), 0);
        self.0.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        track(0, layout.size());
        self.0.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        track(new_size, layout.size());
        self.0.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOC: Peak = Peak(hsl_eval::alloc::Counting(System));

fn memory(mb: usize) -> Limits {
    Limits {
        memory: mb * MB,
        ..Default::default()
    }
}

fn small() -> Limits {
    memory(16)
}

fn timed(seconds: u64) -> Limits {
    Limits {
        time: Some(Duration::from_secs(seconds)),
        ..Default::default()
    }
}

/// How a run ended.
struct Run {
    result: Result<(), RuntimeError>,
    /// The output, up to 64 bytes of each write.
    out: String,
    took: Duration,
    /// The most the run's thread held at once beyond what it held before.
    peak: usize,
}

/// Runs `files[0]` (the other files beside it) the way `hsl run` does.
fn run_files_measured(files: &[(&str, &str)], limits: Limits) -> Run {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("hsl-hostile-{}-{run}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let entry = dir.join(files[0].0).display().to_string();
    let outcome = hsl_syntax::run_with_large_stack(|| {
        let options = Options {
            limits,
            ..Default::default()
        };
        let mut out = Vec::new();
        let before = LIVE.with(Cell::get);
        PEAK.with(|p| p.set(before));
        let started = Instant::now();
        let result = hsl_eval::run_source(files[0].1, &entry, &options, &mut |b| {
            out.extend_from_slice(&b[..b.len().min(64)])
        });
        Run {
            result,
            out: String::from_utf8_lossy(&out).into_owned(),
            took: started.elapsed(),
            peak: (PEAK.with(Cell::get) - before).max(0) as usize,
        }
    });
    std::fs::remove_dir_all(&dir).unwrap();
    outcome
}

/// [`run_files_measured`]: the result, the output and how long it took.
fn run_files(
    files: &[(&str, &str)],
    limits: Limits,
) -> (Result<(), RuntimeError>, String, Duration) {
    let run = run_files_measured(files, limits);
    (run.result, run.out, run.took)
}

fn run(source: &str, limits: Limits) -> (Result<(), RuntimeError>, String, Duration) {
    run_files(&[("hostile.hsl", source)], limits)
}

/// Runs `source` and asserts that it ends with an error within `seconds`
/// and within its memory budget (plus [`SLACK`]), after writing no more
/// than `out`; returns the error's message.
fn stops(source: &str, limits: Limits, seconds: u64, out: &str) -> String {
    let run = run_files_measured(&[("hostile.hsl", source)], limits);
    let what = &source[..source.len().min(120)];
    assert!(
        run.took < Duration::from_secs(seconds),
        "{what}: took {:?}",
        run.took
    );
    assert!(
        run.peak <= limits.memory + SLACK,
        "{what}: took {} bytes at its peak, over {} + {SLACK}",
        run.peak,
        limits.memory
    );
    assert_eq!(run.out, out, "{what}");
    run.result.expect_err(what).message
}

/// [`stops`] with no output, for an error whose message starts with one
/// of `prefixes`.
fn stops_with(source: &str, limits: Limits, seconds: u64, prefixes: &[&str]) {
    let message = stops(source, limits, seconds, "");
    assert!(
        prefixes.iter().any(|p| message.starts_with(p)),
        "{}: {message}",
        &source[..source.len().min(120)]
    );
}

/// A zlib (`bits` 15) or gzip (31) stream of 64 MB of zeros, in base64.
fn bomb(gzip: bool) -> String {
    let zeros = vec![0u8; MB];
    let mut out = Vec::new();
    if gzip {
        let mut e = flate2::write::GzEncoder::new(&mut out, flate2::Compression::best());
        for _ in 0..64 {
            std::io::Write::write_all(&mut e, &zeros).unwrap();
        }
        e.finish().unwrap();
    } else {
        let mut e = flate2::write::ZlibEncoder::new(&mut out, flate2::Compression::best());
        for _ in 0..64 {
            std::io::Write::write_all(&mut e, &zeros).unwrap();
        }
        e.finish().unwrap();
    }
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, out)
}

const SMALL: &str = "memory limit of 16777216 bytes exceeded by ";
const DEFAULT: &str = "memory limit of 268435456 bytes exceeded by ";

#[test]
fn growth_stops_at_the_memory_limit_before_it_is_built() {
    let zlib = bomb(false);
    let gzip = bomb(true);
    let cases: Vec<(String, Limits, &str)> = vec![
        (
            "$s = str_repeat(\"\\x00\", 6000000);\nurl_encode($s);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of 18000000 bytes",
        ),
        (
            "$s = str_repeat(\"a\", 9000000);\nbase64_encode($s);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of 12000000 bytes beside",
        ),
        (
            "$s = str_repeat(\"a\", 1000000);\nstr_replace(\"a\", str_repeat(\"b\", 60), $s);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of ",
        ),
        (
            "$s = str_repeat(\"a\", 10000000);\nstr_chunk($s, 1);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by an array of ",
        ),
        (
            "csv_decode(str_repeat(\",\", 10000000));".into(),
            Limits::default(),
            "memory limit of 268435456 bytes exceeded by an array of ",
        ),
        (
            "$s = str_repeat(\"x\", 5000000);\necho json_encode([$s, $s, $s, $s]);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of ",
        ),
        (
            "$s = str_repeat(\"a\", 100000);\npcre_replace(\"a\", str_repeat(\"b\", 1000), $s);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of ",
        ),
        // Millions of small replacements stop at the memory limit, not at
        // the time limit.
        (
            "pcre_replace(\"\", \"xy\", str_repeat(\"a\", 4000000));".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of ",
        ),
        // A replacement that repeats the whole match is measured before it
        // is expanded (here 10 GB).
        (
            "$r = str_repeat(\"\\$0\", 100000);\npcre_replace(\".*\", $r, str_repeat(\"a\", 100000));".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of 10000000000 bytes",
        ),
        // Forty groups that each copy a megabyte.
        (
            format!(
                "pcre_match(\"{}.*{}\", str_repeat(\"a\", 1000000));",
                "(".repeat(40),
                ")".repeat(40)
            ),
            small(),
            "memory limit of 16777216 bytes exceeded by the groups of a match",
        ),
        (
            "function f(...$a) { return f(...$a, ...$a); }\nf(1);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by an array of ",
        ),
        // An array that doubles beside a large string stops before the
        // doubling, not after it.
        (
            "$big = str_repeat(\"x\", 8000000);\n$a = [];\nforever { $a[] = 1; }".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by an array of ",
        ),
        (
            "$a = [];\n$i = 0;\nforever { $a[\"k$i\"] = $i; $i++; }".into(),
            small(),
            SMALL,
        ),
        (
            "$keep = [];\nforever { $keep[] = str_repeat(\"x\", 1000000) . \"\"; }".into(),
            small(),
            SMALL,
        ),
        // The separator is copied between every two of 20,000 elements.
        (
            "$a = array_range(1, 20000);\narray_join($a, str_repeat(\"x\", 10000));".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of 200078894 bytes",
        ),
        (
            "$s = str_repeat(\"a\", 9000000);\nbase32_encode($s);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of 14400000 bytes beside",
        ),
        (
            "$s = str_repeat(\"\\x00\", 6000000);\nxtext_encode($s);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of 18000000 bytes",
        ),
        // A few bytes of format ask for megabytes of padding.
        (
            "pack(\"x10000000x10000000\");".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of 20000000 bytes",
        ),
        (
            "pack(\"A10000000@16000000\", \"\");".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of 16000000 bytes beside",
        ),
        // Each directive fits; together they do not.
        (
            "echo \"%10000000s%10000000s\" % [\"a\", \"b\"];".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of 20000000 bytes",
        ),
        (
            "$s = str_repeat(\"x\", 1000000);\necho (\"%[0]s\" * 100) % [$s];".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of ",
        ),
        // Five bytes of format write 256.
        (
            "$f = str_repeat(\"%256Y\", 200000);\nstrftime($f, 0);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of ",
        ),
        (
            "$s = str_repeat(\"\\\"\", 9000000);\ncsv_encode([$s]);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of 18000002 bytes beside",
        ),
        (
            "$s = str_repeat(\".\", 8000000);\npcre_quote($s);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of 16000000 bytes beside",
        ),
        // Eight kilobytes of YAML whose aliases stand for two million values.
        (
            format!(
                "yaml_decode(\"a: &a [{}]\\nb: [{}]\");",
                ["x"; 1000].join(","),
                ["*a"; 2000].join(",")
            ),
            small(),
            "memory limit of 16777216 bytes exceeded by an array of ",
        ),
        // Three bytes of JSON make an array.
        (
            "$s = \"[\" . str_repeat(\"[],\", 2000000) . \"0]\";\njson_decode($s);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by an array of ",
        ),
        (
            "$s = str_repeat(\"\\xff\", 9000000);\nmimeword_encode($s);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of 14599999 bytes beside",
        ),
        // One variable interpolated forty times.
        (
            format!(
                "$s = str_repeat(\"x\", 1000000);\n$t = \"{}\";",
                "$s".repeat(40)
            ),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of ",
        ),
        // An encoded body is longer than its data.
        (
            "$m = MailMessage::String(\"Content-Transfer-Encoding: quoted-printable\\r\\n\\r\\nx\");\n$m->setBody(str_repeat(\"\\xff\", 6000000));".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of ",
        ),
        (
            "$m = MailMessage::String(\"Content-Transfer-Encoding: base64\\r\\n\\r\\nx\");\n$m->setBody(str_repeat(\"a\", 9000000));".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of 12315790 bytes beside",
        ),
        (
            "$s = str_repeat(\",\", 5000000);\nstr_split($s, \",\");".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by an array of 5000001 elements",
        ),
        (
            "$s = str_repeat(\"\\\\\", 6000000);\nenvelope_localpart_escape($s);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by a string of 12000002 bytes beside",
        ),
        (
            "$s = str_repeat(\"a\", 3000000);\nunpack(\"C*\", $s);".into(),
            small(),
            "memory limit of 16777216 bytes exceeded by an array of 3000000 elements",
        ),
        (
            format!("zlib_uncompress(base64_decode(\"{zlib}\"));"),
            small(),
            "memory limit of 16777216 bytes exceeded by the result of zlib_uncompress()",
        ),
        (
            format!("zlib_uncompress(base64_decode(\"{gzip}\"), 31);"),
            small(),
            "memory limit of 16777216 bytes exceeded by the result of zlib_uncompress()",
        ),
        (
            format!("zlib_uncompress(base64_decode(\"{gzip}\"), 47);"),
            small(),
            "memory limit of 16777216 bytes exceeded by the result of zlib_uncompress()",
        ),
    ];
    for (source, limits, prefix) in &cases {
        stops_with(source, *limits, 20, &[prefix]);
    }
}

#[test]
fn echo_output_counts_against_the_memory_limit() {
    let message = stops(
        "$s = str_repeat(\"x\", 1000000);\nforever { echo $s; }",
        memory(10),
        10,
        &"x".repeat(64 * 10),
    );
    assert_eq!(
        message,
        "memory limit of 10485760 bytes exceeded by output (all output of a run counts)"
    );
}

#[test]
fn pcre_match_all_over_a_huge_subject_stops_at_a_limit() {
    stops_with(
        "pcre_match_all(\"\", str_repeat(\"x\", 100000000));",
        timed(5),
        30,
        &[DEFAULT, "time limit of 5 s exceeded"],
    );
}

#[test]
fn a_catastrophic_regular_expression_ends_at_the_time_limit() {
    // Each backtracking step runs the lookahead across the subject: without
    // a bound from the time left, one match takes about a minute.
    let subject = "$s = str_repeat(\"a\", 30000);\n";
    let pattern = "\"(?:(?=.*c)a|a)*b\"";
    for call in [
        format!("pcre_match({pattern}, $s);"),
        format!("pcre_match_all({pattern}, $s);"),
        format!("pcre_replace({pattern}, \"x\", $s);"),
        format!("echo $s =~ {pattern};"),
    ] {
        // The limit is not an exception a script can catch.
        let source = format!("{subject}try {{ {call} }} catch ($e) {{ echo \"caught\"; }}");
        stops_with(&source, timed(2), 15, &["time limit of 2 s exceeded"]);
    }
}

#[test]
fn ordinary_use_stays_within_the_limits() {
    for (source, out) in [
        ("echo zlib_uncompress(\"not zlib\");", "none\n"),
        // Memory a run frees counts no more.
        (
            "for ($i = 0; $i < 100; $i++) { $s = str_repeat(\"x\", 1000000); }\necho length($s);",
            "1000000\n",
        ),
        (
            "echo json_encode([\"b\" => [1, \"\\n\"], \"a\" => none]);",
            "{\"a\":null,\"b\":[1,\"\\n\"]}\n",
        ),
        (
            "echo pcre_replace(\"(a)(b)?\", \"[$1$2]\", \"xaby a\");",
            "x[ab]y [a]\n",
        ),
        // Replacements read `$` as fancy-regex's `Captures::expand` does.
        (
            "echo pcre_replace(\"(?<w>a)(b)?\", \"<\\$\\$|\\$1|\\${w}|\\$w|\\$2x|\\${2}x|\\$|\\$9|\\${}|\\${1>\", \"ab-a\");",
            "<$|a|a|a||bx|$||${}|${1>-<$|a|a|a||x|$||${}|${1>\n",
        ),
        (
            "echo pcre_replace(\"a\", \"[\\$0]\", \"banana\", 2);",
            "b[a]n[a]na\n",
        ),
        (
            "echo pcre_match_all(\"(a)(b)?\", \"ab a\");",
            "[0=>[0=>\"ab\",1=>\"a\"],1=>[0=>\"a\",1=>\"a\"],2=>[0=>\"b\",1=>none]]\n",
        ),
        ("echo \"ab\" =~ #/a(?=b)/;", "true\n"),
        (
            "echo yaml_decode(\"a: &x [!t 1, ~, 2.5]\\nb: *x\\n7: s\\n\\\"7\\\": x\");",
            "[\"a\"=>[0=>1,1=>none,2=>2.5],\"b\"=>[0=>1,1=>none,2=>2.5],7=>\"x\"]\n",
        ),
        (
            "echo json_decode(\"{\\\"b\\\":1,\\\"a\\\":[2],\\\"b\\\":3}\");",
            "[\"a\"=>[0=>2],\"b\"=>3]\n",
        ),
        ("echo json_decode(\"1 2\");\necho json_decode(\"[1e400]\");", "none\nnone\n"),
        ("echo yaml_decode(\"x: [\");\necho yaml_decode(\"--- 1\\n--- 2\");", "none\nnone\n"),
        // Half a million elements fit a 64 MB budget.
        (
            "$a = [];\nfor ($i = 0; $i < 500000; $i++) { $a[] = $i; }\necho length($a);",
            "500000\n",
        ),
    ] {
        let run = run_files_measured(&[("ordinary.hsl", source)], memory(64));
        assert_eq!((run.result, run.out.as_str()), (Ok(()), out), "{source}");
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
    let message = stops("random_number(0, 1 / 0);", Limits::default(), 5, "");
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
