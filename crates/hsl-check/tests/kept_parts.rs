//! A checker that keeps the checks of top-level functions between checks of
//! a file (an editor's) finds exactly what a fresh checker finds, edit
//! after edit: inside a function, before it (moving it), in its signature,
//! in the space between top-level statements (moving the top level's
//! findings) and in what the environment depends on.

use hsl_check::declared::Declared;
use hsl_check::{Buffer, Checker, Options};
use std::path::Path;

const START: &str = r#"$limit = 3;
function score($address) {
    $parts = str_split($address, "@");
    if (length($parts) > $limit) return 0;
    return length($parts[0]);
}
function unused_helper($x) {
    $tmp = 1;
    // A comment, so that the function is long enough to be kept apart.
    return $x;
}
function tiny() { $t = 1; }
function greet($name, $greeting = "hello") {
    return $greeting . " " . $name . unused_helper(1);
}
echo score($arguments["recipient"]);
echo greet("a");
"#;

/// Each edit replaces the first occurrence of a text with another.
const EDITS: &[(&str, &str)] = &[
    // Inside a function body: a misspelt call, then fixed.
    ("length($parts[0])", "lenght($parts[0])"),
    ("lenght($parts[0])", "length($parts[0])"),
    // Before the functions: every function moves.
    ("$limit = 3;", "$limit = 3; $extra = 1;"),
    // A new unused variable inside a function (a fix removing it).
    ("$tmp = 1;", "$tmp = 1; $other = 2;"),
    // Another function's arity changes: calls in other bodies are judged again.
    ("function greet($name, $greeting = \"hello\")", "function greet($name)"),
    ("echo greet(\"a\");", "echo greet(\"a\", \"b\");"),
    // A function renamed: calls of it in other bodies are judged again.
    ("function unused_helper", "function helper"),
    ("unused_helper(1)", "helper(1, 2)"),
    ("function helper($x)", "function helper($x, $y)"),
    // `global` inside a body changes what every function sees.
    ("$tmp = 1;", "global $limit; $tmp = $limit;"),
    // A wrong key of a predefined variable, inside and outside functions.
    ("return $x;", "return $x . $arguments[\"recipent\"];"),
    // Top-level findings (an unknown function, an unused variable whose fix
    // removes its line) kept while a function body, the space between
    // top-level statements and the space after the finding change.
    ("echo greet(\"a\", \"b\");", "echo greet(\"a\", \"b\");\n$unused = lenght(1);"),
    ("$parts = str_split", "$parts  =  str_split"),
    ("\necho score", "\n\n   echo score"),
    ("$unused = lenght(1);", "$unused = lenght(1);   "),
    ("$unused = lenght(1);", "$unused  =  lenght(1);"),
    // A syntax error, then the repair.
    ("return 0;", "return 0"),
    ("return 0", "return 0;"),
    // A function too small to be kept apart, edited.
    ("function tiny() { $t = 1; }", "function tiny() { $t = lenght(1); }"),
    // A function removed.
    ("function helper($x, $y) {\n    global $limit; $tmp = $limit; $other = 2;\n    // A comment, so that the function is long enough to be kept apart.\n    return $x . $arguments[\"recipent\"];\n}\n", ""),
];

#[test]
fn kept_checks_find_what_a_fresh_check_finds() {
    let path = Path::new("reuse-ws/src/hooks/rcptto/edited.hsl");
    let editor = Checker::reusing_parts(Options::default());
    let mut text = START.to_string();
    let mut inside_functions = 0;
    // The three larger functions are parts; `tiny` is walked with the top level.
    let program = hsl_syntax::parse(START).program;
    assert_eq!(editor.model(path, START, &program).parts.len(), 3);
    for (step, (from, to)) in std::iter::once(&("", "")).chain(EDITS).enumerate() {
        if !from.is_empty() {
            let at = text
                .find(from)
                .unwrap_or_else(|| panic!("step {step}: `{from}` not in the text"));
            text.replace_range(at..at + from.len(), to);
        }
        let kept = editor.check(path, &text).expect("checked");
        let fresh = Checker::new(Options::default())
            .check(path, &text)
            .expect("checked");
        assert_eq!(
            kept, fresh,
            "step {step}: after replacing `{from}` with `{to}`"
        );
        // The same version checked again reuses every function.
        assert_eq!(
            editor.check(path, &text).expect("checked"),
            fresh,
            "step {step}, again"
        );
        inside_functions += fresh
            .iter()
            .filter(|d| in_function(&text, d.span.start))
            .count();
        // Each name reported is where the diagnostic points.
        for d in fresh
            .iter()
            .filter(|d| ["HSL101", "HSL107", "HSL115"].contains(&d.code))
        {
            let named = d.message.split('`').nth(1).expect("a name in backticks");
            assert_eq!(&text[d.span.range()], named, "step {step}: {}", d.message);
        }
    }
    assert!(
        inside_functions > 10,
        "diagnostics inside functions: {inside_functions}"
    );
}

/// A check stopped part-way (the editor had a newer version) keeps no model
/// and leaves what it kept good: the next version's check finds what a
/// fresh checker finds.
#[test]
fn a_stopped_check_leaves_good_checks_behind() {
    let path = Path::new("reuse-ws/src/hooks/rcptto/stopped.hsl");
    let editor = Checker::reusing_parts(Options::default());
    let mut text = START.to_string();
    let _ = editor.check(path, &text);
    for (from, to) in EDITS.iter().take(6) {
        let at = text.find(from).expect("in the text");
        text.replace_range(at..at + from.len(), to);
        let program = hsl_syntax::parse(&text).program;
        let shared = std::sync::Arc::new(text.clone());
        // Stopped at each point where the check asks: between its steps
        // (the declarations, the environment, the top level moved, its
        // facts) and before each function (of three).
        for stop_after in 0..7 {
            let asked = std::cell::Cell::new(0);
            let stop = || {
                asked.set(asked.get() + 1);
                asked.get() > stop_after
            };
            let kept = std::sync::OnceLock::new();
            let buffer = Buffer {
                text: &shared,
                program: &program,
                declared: &Declared::of(&program, &text),
            };
            let _ = editor.check_keeping(path, buffer, Vec::new(), &kept, &stop);
            assert!(asked.get() > stop_after, "the check asked whether to stop");
            assert!(kept.get().is_none(), "a stopped check keeps no model");
            let next = format!("{text}echo {stop_after};\n");
            let fresh = Checker::new(Options::default()).check(path, &next).ok();
            assert_eq!(
                editor.check(path, &next).ok(),
                fresh,
                "after replacing `{from}`, stopped after {stop_after} questions"
            );
        }
    }
}

/// Whether `offset` is inside a function declaration (between a line
/// starting with `function` and the next line starting with `}`).
fn in_function(text: &str, offset: u32) -> bool {
    let before = &text[..offset as usize];
    before
        .rfind("\nfunction")
        .is_some_and(|f| !before[f..].contains("\n}"))
}

/// Every script of `testdata/`, checked by an editor's checker, then edited
/// three times (a character removed at a third, half and two thirds of it):
/// each time what a fresh checker finds.
#[test]
fn kept_checks_match_on_every_test_script() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let mut scripts = Vec::new();
    let mut folders = vec![root];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("testdata folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "hsl") {
                scripts.push(path);
            }
        }
    }
    assert!(scripts.len() > 200, "{} scripts", scripts.len());
    for path in scripts {
        let Ok(mut text) = std::fs::read_to_string(&path) else {
            continue; // not UTF-8 on purpose
        };
        let editor = Checker::reusing_parts(Options::default());
        let _ = editor.check(&path, &text);
        for sixths in [2, 3, 4] {
            let chars = text.chars().count();
            if let Some((at, _)) = text.char_indices().nth(chars * sixths / 6) {
                text.remove(at);
            }
            let fresh = Checker::new(Options::default()).check(&path, &text).ok();
            assert_eq!(editor.check(&path, &text).ok(), fresh, "{}", path.display());
        }
    }
}
