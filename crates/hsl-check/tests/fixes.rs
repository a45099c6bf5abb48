//! A round trip per fixable code: the fix the diagnostic carries, applied
//! as `hsl check --fix` applies it, gives the expected text, and that text
//! re-checks clean of the code.

use hsl_check::{fix, Checker, Options};
use hsl_syntax::Applicability;
use std::path::Path;

const PATH: &str = "/nonexistent/fix.hsl";

/// Fixes `source` (`unsafe_fixes` as the flag), asserts the result and
/// that no diagnostic of `code` is left.
fn round_trip(code: &str, source: &str, unsafe_fixes: bool, expected: &str) {
    let checker = Checker::new(Options::default());
    let before = checker.check(Path::new(PATH), source).unwrap();
    let d = before
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {before:#?}"));
    let applicability = d
        .fix
        .as_ref()
        .expect("the diagnostic has a fix")
        .applicability;
    assert_eq!(
        applicability == Applicability::Unsafe,
        unsafe_fixes,
        "{code}: {:?}",
        d.fix
    );
    let fixed = fix::fix(&checker, Path::new(PATH), source, unsafe_fixes).unwrap();
    assert_eq!(fixed.text, expected);
    assert!(
        fixed.applied.iter().any(|a| a.code == code),
        "{:?}",
        fixed.applied
    );
    let after = checker.check(Path::new(PATH), &fixed.text).unwrap();
    assert!(
        !after.iter().any(|d| d.code == code),
        "{code} still found in {:?}: {after:#?}",
        fixed.text
    );
    assert_eq!(fixed.remaining, after);
}

#[test]
fn missing_semicolon_at_a_line_end() {
    round_trip("HSL001", "$x = 1\necho $x;\n", false, "$x = 1;\necho $x;\n");
}

#[test]
fn missing_semicolon_at_the_end_of_the_file() {
    round_trip("HSL002", "echo 1 // done\n", false, "echo 1; // done\n");
}

#[test]
fn misspelt_function() {
    round_trip(
        "HSL101",
        "echo lenght([1, 2]);\n",
        false,
        "echo length([1, 2]);\n",
    );
}

#[test]
fn null_is_none() {
    round_trip(
        "HSL101",
        "$x = null;\necho $x;\n",
        false,
        "$x = none;\necho $x;\n",
    );
}

#[test]
fn misspelt_arguments_key() {
    round_trip(
        "HSL105",
        "// hsl: hook=helo\necho $arguments[\"hots\"];\n",
        false,
        "// hsl: hook=helo\necho $arguments[\"host\"];\n",
    );
}

#[test]
fn misspelt_variable_also_in_a_string() {
    round_trip(
        "HSL107",
        "function f() { $limit = 1; echo $limti; echo \"${limti}\"; }\nf();\n",
        false,
        "function f() { $limit = 1; echo $limit; echo \"${limit}\"; }\nf();\n",
    );
}

#[test]
fn old_name_to_new_name() {
    round_trip(
        "HSL114",
        "echo strlen(\"abc\");\n",
        false,
        "echo length(\"abc\");\n",
    );
}

#[test]
fn old_name_with_its_arguments_reordered() {
    round_trip(
        "HSL114",
        "$s = \"a,b\";\necho explode(\",\", $s);\necho implode(\"-\", [1, 2]);\n",
        false,
        "$s = \"a,b\";\necho str_split($s, \",\");\necho array_join([1, 2], \"-\");\n",
    );
}

#[test]
fn unused_variable_assignment_is_removed_unsafely() {
    round_trip(
        "HSL115",
        "function f($x) {\n    $tmp = $x * 2;\n    return $x;\n}\necho f(1);\n",
        true,
        "function f($x) {\n    return $x;\n}\necho f(1);\n",
    );
}

#[test]
fn unused_import_names_are_removed_unsafely() {
    round_trip(
        "HSL117",
        "// hsl: hook=connect\nimport { ARC, Redis } from \"extras://redis\";\necho Redis();\n",
        true,
        "// hsl: hook=connect\nimport { Redis } from \"extras://redis\";\necho Redis();\n",
    );
    // The last name goes with its statement, in a later round.
    round_trip(
        "HSL117",
        "// hsl: hook=connect\nimport { ARC, Redis } from \"extras://redis\";\necho 1;\n",
        true,
        "// hsl: hook=connect\necho 1;\n",
    );
}

#[test]
fn misspelt_hook_in_the_directive() {
    round_trip(
        "HSL120",
        "// hsl: hook=rcpt\necho 1;\n",
        false,
        "// hsl: hook=rcptto\necho 1;\n",
    );
}

#[test]
fn misspelt_option_key() {
    round_trip(
        "HSL130",
        "// hsl: hook=helo\nReject(\"Go away\", [\"disconect\" => true]);\n",
        false,
        "// hsl: hook=helo\nReject(\"Go away\", [\"disconnect\" => true]);\n",
    );
}

#[test]
fn unsafe_fixes_wait_for_the_flag() {
    let checker = Checker::new(Options::default());
    let source = "function f($x) {\n    $tmp = $x * 2;\n    return $x;\n}\necho f(1);\n";
    let fixed = fix::fix(&checker, Path::new(PATH), source, false).unwrap();
    assert_eq!(fixed.text, source);
    assert!(fixed.applied.is_empty());
    assert_eq!(fixed.remaining.len(), 1);
}

#[test]
fn a_fix_that_would_not_parse_is_not_kept() {
    // With the missing `;` added the other syntax error stays: the file
    // would still not parse, so it is left as it is.
    let checker = Checker::new(Options::default());
    let source = "$x = 1\necho (;\n";
    let fixed = fix::fix(&checker, Path::new(PATH), source, true).unwrap();
    assert_eq!(fixed.text, source);
    assert!(fixed.applied.is_empty());
    assert!(fixed.rejected > 0);
}

#[test]
fn ambiguous_suggestions_are_unsafe() {
    let checker = Checker::new(Options::default());
    // `$hots` is as close to `$host` as to `$hosts`.
    let source = "function f() { $host = 1; $hosts = 2; echo [$host, $hosts, $hots]; }\nf();\n";
    let found = checker.check(Path::new(PATH), source).unwrap();
    let d = found.iter().find(|d| d.code == "HSL107").expect("HSL107");
    assert_eq!(
        d.fix.as_ref().map(|f| f.applicability),
        Some(Applicability::Unsafe)
    );
}

#[test]
fn a_shared_file_gets_a_fix_only_when_every_hook_agrees() {
    let root = std::env::temp_dir().join(format!("hsl-fix-shared-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    };
    write("src/hooks/connect/inbound.hsl", "include \"shared.hsl\";\n");
    let shared = write("src/files/shared.hsl", "Acept();\n");
    let fix_of = |path: &Path| {
        let checker = Checker::new(Options::default());
        let found = checker
            .check(path, &std::fs::read_to_string(path).unwrap())
            .unwrap();
        let d = found.iter().find(|d| d.code == "HSL101").expect("HSL101");
        d.fix.as_ref().map(|f| f.title.clone())
    };
    // Included by the connect hook only: `Accept` is certain.
    assert_eq!(fix_of(&shared).as_deref(), Some("Replace with `Accept`"));
    // Also by a queue hook, which has no `Accept`: no fix.
    write(
        "src/hooks/queue/predelivery.hsl",
        "include \"shared.hsl\";\n",
    );
    assert_eq!(fix_of(&shared), None);
    let _ = std::fs::remove_dir_all(&root);
}
