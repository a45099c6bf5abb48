//! Included files and modules: errors raised in them are reported at their
//! own file, line and column; modules keep their own top-level scope.

use hsl_eval::RuntimeError;
use std::path::Path;

/// Runs `source` as if it were a script in `testdata/eval/`.
fn run(source: &str) -> (Result<(), RuntimeError>, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/eval");
    let file = hsl_workspace::normalize(&dir.join("entry.hsl"));
    let mut out = Vec::new();
    let result = hsl_eval::run_source(
        source,
        &file.display().to_string(),
        &Default::default(),
        &mut |b| out.extend_from_slice(b),
    );
    (result, String::from_utf8(out).unwrap())
}

/// The error as `name:line:column: message` with the file's directory left out.
fn short(err: RuntimeError) -> String {
    let name = Path::new(&err.file)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    format!("{name}:{}:{}: {}", err.line, err.column, err.message)
}

#[test]
fn exceptions_in_included_files_name_that_file() {
    let (result, _) = run("echo 1;\ninclude \"modules/throws_at_top.hsl\";\n");
    assert_eq!(
        short(result.unwrap_err()),
        "throws_at_top.hsl:3:3: uncaught exception: at the top"
    );
    let (result, _) = run("include \"modules/thrower.hsl\";\n\nfail(\"from a function\");\n");
    assert_eq!(
        short(result.unwrap_err()),
        "thrower.hsl:3:2: uncaught exception: from a function"
    );
    let (result, _) =
        run("import { fail } from \"modules/thrower.hsl\";\nfail(\"from a module\");\n");
    assert_eq!(
        short(result.unwrap_err()),
        "thrower.hsl:3:2: uncaught exception: from a module"
    );
}

#[test]
fn a_caught_error_from_an_included_file_does_not_move_later_ones() {
    let (result, out) = run(
        "include \"modules/thrower.hsl\";\ntry { fail(\"x\"); } catch ($e) { echo $e->message(); echo $e->line() . \" \" . $e->file(); }\n  throw \"here\";\n",
    );
    let (message, place) = out.split_once('\n').unwrap();
    assert_eq!(message, "x");
    assert!(
        place.starts_with("3 ") && place.trim_end().ends_with("modules/thrower.hsl"),
        "the exception knows it was raised in the included file: {place}"
    );
    assert_eq!(
        short(result.unwrap_err()),
        "entry.hsl:3:3: uncaught exception: here"
    );
}

#[test]
fn missing_and_broken_files_are_reported_where_they_are() {
    let (result, _) = run("$a = 1;\n  include \"modules/nowhere.hsl\";\n");
    assert_eq!(
        short(result.unwrap_err()),
        "entry.hsl:2:11: uncaught exception: cannot find `modules/nowhere.hsl`"
    );
    let (result, out) = run("echo 1;\ninclude \"modules/broken.hsl\";\n");
    let err = short(result.unwrap_err());
    assert!(err.starts_with("broken.hsl:2:"), "{err}");
    assert_eq!(out, "", "a broken file stops the script before it runs");
    let (result, _) = run("import $x from \"modules/nowhere.json\";\n");
    assert_eq!(
        short(result.unwrap_err()),
        "entry.hsl:1:16: uncaught exception: cannot find `modules/nowhere.json`"
    );
    let (result, _) = run("import $x from \"modules/thrower.hsl\";\n");
    assert!(short(result.unwrap_err()).contains("data imports of `.hsl` files are not supported"));
}

#[test]
fn module_functions_see_their_own_globals() {
    let (result, out) = run(
        "$value = \"entry\";\nimport { peek, remember } from \"modules/scoped.hsl\";\nremember(\"set by the module\");\necho peek();\necho $value;\n",
    );
    result.unwrap();
    assert_eq!(out, "set by the module\nentry\n");
}
