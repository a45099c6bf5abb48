//! Every rule: code that must pass clean and code that must be flagged.
//! The flagged cases are snapshotted as `line:col CODE message | help`.

use hsl_check::{Checker, Options};
use hsl_syntax::LineIndex;
use std::path::Path;

fn check_with(options: Options, source: &str) -> Vec<String> {
    let checker = Checker::new(options);
    let diags = checker
        .check(Path::new("/nonexistent/rule.hsl"), source)
        .unwrap();
    let index = LineIndex::new(source);
    diags
        .iter()
        .map(|d| {
            let at = index.line_col(source, d.span.start as usize);
            let help = d
                .help
                .as_deref()
                .map(|h| format!(" | {h}"))
                .unwrap_or_default();
            format!(
                "{}:{} {} {}{help}",
                at.line + 1,
                at.column + 1,
                d.code,
                d.message
            )
        })
        .collect()
}

fn check(source: &str) -> Vec<String> {
    check_with(Options::default(), source)
}

fn codes(found: &[String]) -> Vec<&str> {
    found.iter().map(|l| l.split(' ').nth(1).unwrap()).collect()
}

/// (rule code, clean source, flagged source).
const CASES: &[(&str, &str, &str)] = &[
    (
        "HSL101",
        "// hsl: hook=helo\n$n = length([1]);\necho $n;\n",
        "// hsl: hook=helo\n$n = lenght([1]);\necho $n;\n$x = null;\necho $x;\n",
    ),
    (
        "HSL102",
        "// hsl: hook=predelivery\nTry();\n",
        "// hsl: hook=predelivery\nAccept();\n",
    ),
    (
        "HSL103",
        "// hsl: hook=connect\nfunction f($a, $b = 1) { return $a + $b; }\necho f(1) + f(1, 2) + str_find(\"ab\", \"b\");\n",
        "// hsl: hook=connect\nfunction f($a, $b = 1) { return $a + $b; }\necho f();\necho f(1, 2, 3);\necho str_find(\"ab\");\necho length(5, 6);\n",
    ),
    (
        "HSL104",
        "// hsl: hook=connect\necho length(\"abc\") + length([1]);\n",
        "// hsl: hook=connect\n$n = 5;\necho length($n);\necho str_lower([\"A\"]);\n",
    ),
    (
        "HSL105",
        "// hsl: hook=helo\necho $arguments[\"host\"] . $connection[\"tls\"][\"cipher\"];\n",
        "// hsl: hook=helo\necho $arguments[\"hots\"];\necho $connection[\"tls\"][\"chipher\"];\n",
    ),
    (
        "HSL106",
        "// hsl: hook=connect\n$context[\"seen\"] = true;\n$copy = $arguments;\n$copy[\"x\"] = 1;\necho $copy;\n",
        "// hsl: hook=connect\n$arguments[\"remoteip\"] = \"127.0.0.1\";\nunset($connection[\"id\"]);\n",
    ),
    (
        "HSL107",
        "// hsl: hook=connect\n$score = 0;\nif ($arguments[\"remoteport\"] > 1024) $score = 1;\necho $score;\nif (isset($maybe)) echo \"set\";\necho $later ?? \"default\";\n",
        "// hsl: hook=connect\nif ($arguments[\"remoteport\"] > 1024) $score = 1;\necho $score;\necho $scroe;\necho $senderip;\n",
    ),
    (
        "HSL108",
        "// hsl: hook=connect\nif ($arguments[\"remoteip\"] == \"\") Reject();\nAccept();\n",
        "// hsl: hook=connect\nReject(\"no\");\necho \"after\";\nfunction f() { return 1; echo \"never\"; }\necho f();\n",
    ),
    (
        "HSL109",
        "// hsl: hook=connect\nforeach ([1] as $i) { if ($i) break; continue; }\nswitch (1) { case 1: break; }\n",
        "// hsl: hook=connect\nfunction f() { break; }\necho f();\ncontinue;\n",
    ),
    (
        "HSL110",
        "// hsl: hook=connect\nfunction f() { return 1; }\nclass C {}\necho f(); echo C();\n",
        "// hsl: hook=connect\nfunction f() { return 1; }\nfunction f() { return 2; }\nclass f {}\necho f();\n",
    ),
    (
        "HSL114",
        "// hsl: hook=connect\necho length(\"a\");\n",
        "// hsl: hook=connect\necho strlen(\"a\");\nif (in_network(\"10.0.0.1\", \"10.0.0.0/8\")) echo \"internal\";\necho implode(\",\", [1, 2]);\n",
    ),
    (
        "HSL115",
        "// hsl: hook=connect\nfunction f($x) { $y = $x * 2; return $y; }\necho f(1);\n",
        "// hsl: hook=connect\nfunction f($x) { $tmp = $x * 2; return $x; }\necho f(1);\n$unused = 5;\n",
    ),
    (
        "HSL116",
        "// hsl: hook=connect\nfunction used() { return 1; }\necho used();\n",
        "// hsl: hook=connect\nfunction old_check() { return true; }\nAccept();\n",
    ),
    (
        "HSL117",
        "// hsl: hook=connect\nimport { Redis } from \"extras://redis\";\necho Redis();\n",
        "// hsl: hook=connect\nimport { Redis, ARC } from \"extras://redis\";\necho Redis();\n",
    ),
    (
        "HSL118",
        "// hsl: hook=eod\n$mail = $arguments[\"mail\"];\necho $mail->getHeader(\"subject\");\n$m = Map(\"string\", \"number\");\necho $m->size();\n",
        "// hsl: hook=eod\n$n = 5;\n$n->format();\n$mail = $arguments[\"mail\"];\necho $mail->getSubject();\n",
    ),
    (
        "HSL119",
        "// hsl: hook=connect\n$x = 1; // hsl-ignore HSL115\n",
        "// hsl: hook=connect\necho 1; // hsl-ignore HSL999\n",
    ),
    (
        "HSL120",
        "// hsl: hook=rcptto halon=6\nAccept();\n",
        "// hsl: hook=rcpt\necho 1;\n",
    ),
];

#[test]
fn every_rule_passes_clean_code_and_flags_broken_code() {
    for (code, clean, flagged) in CASES {
        let found = check(clean);
        // Clean code may get notes (an `extras://` module is not checked).
        let found: Vec<_> = found
            .iter()
            .filter(|l| !l.contains(" is not checked"))
            .collect();
        assert!(found.is_empty(), "{code} clean case: {found:#?}");
        let found = check(flagged);
        assert!(
            codes(&found).contains(code),
            "{code} not flagged: {found:#?}"
        );
        insta::assert_snapshot!(*code, found.join("\n"));
    }
}

#[test]
fn unreachable_after_verdicts_only_where_they_end_the_script() {
    // `Reject` is a user function here, not the verdict.
    let found = check(
        "// hsl: hook=connect\nfunction Reject($x) { return $x; }\necho Reject(1);\necho 2;\n",
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn legacy_names_are_warnings_in_halon_5() {
    let found = check_with(
        Options {
            halon: Some(hsl_catalog::HalonVersion::V5),
            ..Options::default()
        },
        "// hsl: hook=connect\necho strlen(\"a\");\necho $senderip;\n",
    );
    assert_eq!(
        found,
        ["2:6 HSL114 `strlen` is an old name of `length` | call `length` instead"]
    );
}

#[test]
fn four_x_connect_scripts() {
    let source = "// hsl: hook=connect halon=4\nif ($senderip == \"127.0.0.1\") Reject();\nSetSenderIP(\"10.0.0.1\");\nAccept();\n";
    assert!(check(source).is_empty(), "{:#?}", check(source));
    let as_six = check_with(
        Options {
            halon: Some(hsl_catalog::HalonVersion::V6),
            ..Options::default()
        },
        source,
    );
    assert_eq!(codes(&as_six), ["HSL107", "HSL101"], "{as_six:#?}");
}

#[test]
fn select_and_ignore() {
    let source = "// hsl: hook=connect\necho lenght(1);\n$unused = 5;\n";
    let only = check_with(
        Options {
            select: vec!["HSL115".into()],
            ..Options::default()
        },
        source,
    );
    assert_eq!(codes(&only), ["HSL115"]);
    let ignored = check_with(
        Options {
            ignore: vec!["hsl115".into(), "HSL101".into()],
            ..Options::default()
        },
        source,
    );
    assert!(ignored.is_empty(), "{ignored:#?}");
}

#[test]
fn suppression_comments() {
    let source = "// hsl: hook=connect\n// hsl-ignore HSL101\necho lenght(1);\necho lenght(2); // hsl-ignore HSL101\necho lenght(3);\n";
    assert_eq!(codes(&check(source)), ["HSL101"]);
    let file =
        "// hsl: hook=connect\n// hsl-ignore-file HSL101, HSL115\necho lenght(1);\n$x = 1;\n";
    assert!(check(file).is_empty());
}

#[test]
fn syntax_errors_suppress_semantic_noise() {
    let found = check("// hsl: hook=connect\n$a = ;\necho $a;\n");
    assert_eq!(codes(&found), ["HSL001"]);
}
