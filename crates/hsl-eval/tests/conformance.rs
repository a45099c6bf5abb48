//! Runs every `testdata/eval/*.hsl` and compares its echo output with the
//! `.out` file beside it; reports every mismatching line of every file.

use std::path::Path;

#[test]
fn scripts_print_what_the_reference_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/eval");
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hsl"))
        .collect();
    scripts.sort();
    assert!(!scripts.is_empty());
    let mut failures = Vec::new();
    let mut checks = 0;
    for script in &scripts {
        let source = std::fs::read_to_string(script).unwrap();
        let Ok(expected) = std::fs::read(script.with_extension("out")) else {
            failures.push(format!("{}: no .out file beside it", script.display()));
            continue;
        };
        let mut out = Vec::new();
        let name = script.display().to_string();
        if let Err(e) = hsl_eval::run_source(&source, &name, &Default::default(), &mut |b| {
            out.extend_from_slice(b)
        }) {
            failures.push(format!("{name}: {e}"));
        }
        failures.extend(differences(&name, &out, &expected));
        checks += expected.split_inclusive(|&b| b == b'\n').count();
    }
    assert!(
        failures.is_empty(),
        "{} of {checks} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every line of `got` that is not byte for byte the line of `want`
/// (line breaks included, so CRLF for LF and a missing final newline
/// count).
fn differences(name: &str, got: &[u8], want: &[u8]) -> Vec<String> {
    let lines = |b: &[u8]| -> Vec<String> {
        b.split_inclusive(|&c| c == b'\n')
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect()
    };
    let (got, want) = (lines(got), lines(want));
    (0..got.len().max(want.len()))
        .filter(|&i| got.get(i) != want.get(i))
        .map(|i| {
            format!(
                "{name} line {}: got {:?}, expected {:?}",
                i + 1,
                got.get(i),
                want.get(i)
            )
        })
        .collect()
}

#[test]
fn the_comparison_is_byte_for_byte() {
    assert!(differences("t", b"a\nb\n", b"a\nb\n").is_empty());
    assert_eq!(differences("t", b"a\nb\n", b"a\r\nb\n").len(), 1);
    assert_eq!(
        differences("t", b"a\nb\n", b"a\nb"),
        ["t line 2: got Some(\"b\\n\"), expected Some(\"b\")"]
    );
    assert_eq!(differences("t", b"a\n", b"a\n\n").len(), 1);
}

#[test]
fn endless_loops_hit_the_step_limit() {
    let limits = hsl_eval::Options {
        limits: hsl_eval::Limits {
            steps: 10_000,
            depth: 64,
            ..Default::default()
        },
        ..Default::default()
    };
    let err = hsl_eval::run_source(
        "$i = 0;\nforever { $i++; }\n",
        "loop.hsl",
        &limits,
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(
        (err.line, err.message.as_str()),
        (2, "step limit of 10000 exceeded")
    );
    let err = hsl_eval::run_source(
        "function f($n) { return f($n + 1); }\nf(0);\n",
        "rec.hsl",
        &limits,
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(err.message, "call depth limit of 64 exceeded");
}

#[test]
fn uncaught_exceptions_name_file_line_and_column() {
    let err = hsl_eval::run_source(
        "echo 1;\n  throw \"boom\";\n",
        "hook.hsl",
        &Default::default(),
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "hook.hsl:2:3: uncaught exception: boom");
}

#[test]
fn host_functions_and_predefined_variables() {
    use hsl_eval::value::{Array, Value};
    use hsl_eval::{Interpreter, Signal, Verdict};
    use std::rc::Rc;
    let source = "if ($arguments[\"host\"] == \"bad.example\") {\n\ttry { Reject(\"go away\"); } catch ($e) { echo \"caught\"; }\n}\nAccept();\n";
    let program = hsl_syntax::parse(source).program;
    let mut out = Vec::new();
    let mut echo = |b: &[u8]| out.extend_from_slice(b);
    let mut it = Interpreter::new(Default::default(), &mut echo);
    let mut args = Array::default();
    args.insert(Value::str("host").to_key(), Value::str("bad.example"));
    it.define_variable("arguments", Value::Array(Rc::new(args)), true);
    for verdict in ["Accept", "Reject"] {
        it.define_function(
            verdict,
            Box::new(move |args, span| {
                Err(Signal::Terminate(Verdict {
                    name: verdict.into(),
                    args,
                    span,
                }))
            }),
        );
    }
    let result = it.run(&program);
    let Err(Signal::Terminate(v)) = result else {
        panic!("the script ends with a verdict: {result:?}")
    };
    assert_eq!(v.name, "Reject", "try/catch does not catch a verdict");
    assert_eq!(v.args[0].to_bytes(), b"go away");
    drop(it);
    assert!(out.is_empty());

    let err = hsl_eval::run_source("$x = 1;", "t.hsl", &Default::default(), &mut |_| {});
    assert!(err.is_ok());
    let program = hsl_syntax::parse("$arguments[\"host\"] = \"x\";").program;
    let mut sink = |_: &[u8]| {};
    let mut it = Interpreter::new(Default::default(), &mut sink);
    it.define_variable("arguments", Value::None, true);
    let Err(Signal::Throw(Value::Object(e), _)) = it.run(&program) else {
        panic!("read-only")
    };
    assert_eq!(e.exception_message().unwrap(), b"`$arguments` is read-only");
}

#[test]
fn world_functions_come_from_stubs() {
    let stubs = hsl_eval::stubs::Stubs::parse(
        "- { function: dns_query, args: [\"example.org\"], returns: { result: [\"192.0.2.1\"] } }\n- { function: dns_query, returns: { error: \"NXDOMAIN\" } }\n",
    )
    .unwrap();
    let options = hsl_eval::Options {
        stubs,
        ..Default::default()
    };
    let mut out = Vec::new();
    let src = "echo dns_query(\"example.org\")[\"result\"][0];\necho dns_query(\"other.org\")[\"error\"];\n";
    hsl_eval::run_source(src, "s.hsl", &options, &mut |b| out.extend_from_slice(b)).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "192.0.2.1\nNXDOMAIN\n");
    let err = hsl_eval::run_source(
        "http(\"https://example.org\");",
        "s.hsl",
        &Default::default(),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(
        err.message.contains("`http` is not implemented") && err.message.contains("function: http"),
        "{err}"
    );
    assert!(hsl_eval::stubs::Stubs::parse("- { function: 1, nope: 2 }")
        .unwrap_err()
        .contains("line 1"));
}

#[test]
fn cache_entries_expire_on_the_clock() {
    use std::cell::Cell;
    use std::rc::Rc;
    let now = Rc::new(Cell::new(1000.0));
    let clock = now.clone();
    let source = "$n = 0;\nfunction f() { global $n; $n += 1; return $n; }\necho cache [\"ttl\" => 10] f();\necho cache [\"ttl\" => 10] f();\nwait();\necho cache [\"ttl\" => 10] f();\n";
    let program = hsl_syntax::parse(source).program;
    let mut out = Vec::new();
    let mut echo = |b: &[u8]| out.extend_from_slice(b);
    let mut it = hsl_eval::Interpreter::new(Default::default(), &mut echo);
    it.set_clock(Box::new(move || clock.get()));
    let later = now.clone();
    it.define_function(
        "wait",
        Box::new(move |_, _| {
            later.set(later.get() + 11.0);
            Ok(hsl_eval::value::Value::None)
        }),
    );
    it.run(&program).unwrap();
    drop(it);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "1\n1\n2\n",
        "the third call comes after the ttl"
    );
}

#[test]
fn random_functions_repeat_with_a_seed() {
    let run = |seed: u64| {
        let program = hsl_syntax::parse("echo random_number(1, 1000000) . uuid() . array_join(array_shuffle([1, 2, 3, 4, 5]), \"\");").program;
        let mut out = Vec::new();
        let mut echo = |b: &[u8]| out.extend_from_slice(b);
        let mut it = hsl_eval::Interpreter::new(Default::default(), &mut echo);
        it.set_seed(seed);
        it.run(&program).unwrap();
        drop(it);
        out
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}

#[test]
fn execution_time_and_uptime_count_on_the_clock() {
    use std::cell::Cell;
    use std::rc::Rc;
    let now = Rc::new(Cell::new(1000.0));
    let (clock, later) = (now.clone(), now.clone());
    let program = hsl_syntax::parse(
        "echo executiontime() . \" \" . uptime();\nwait();\necho executiontime() . \" \" . uptime();\n",
    )
    .program;
    let mut out = Vec::new();
    let mut echo = |b: &[u8]| out.extend_from_slice(b);
    let mut it = hsl_eval::Interpreter::new(Default::default(), &mut echo);
    it.set_clock(Box::new(move || clock.get()));
    it.define_function(
        "wait",
        Box::new(move |_, _| {
            later.set(later.get() + 2.5);
            Ok(hsl_eval::value::Value::None)
        }),
    );
    it.run(&program).unwrap();
    drop(it);
    assert_eq!(String::from_utf8(out).unwrap(), "0 0\n2.5 2\n");
}
