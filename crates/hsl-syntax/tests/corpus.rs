//! The syntax corpus in `testdata/syntax`: every valid file parses without a
//! diagnostic (its tree is snapshotted), every invalid file reports its
//! errors (their codes and positions are snapshotted).

use hsl_syntax::{dump, parse, LineIndex};
use std::path::{Path, PathBuf};

fn corpus(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/syntax")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hsl"))
        .collect();
    files.sort();
    files
}

fn name(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn valid_files_parse_cleanly() {
    let files = corpus("valid");
    assert!(
        files.len() >= 60,
        "the corpus has {} valid files",
        files.len()
    );
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let parse = parse(&text);
        assert!(
            parse.diagnostics.is_empty(),
            "{}: {:#?}",
            path.display(),
            parse.diagnostics
        );
        insta::assert_snapshot!(
            format!("valid__{}", name(&path)),
            dump::dump(&parse.program, &text)
        );
    }
}

#[test]
fn invalid_files_report_their_errors() {
    let files = corpus("invalid");
    assert!(
        files.len() >= 25,
        "the corpus has {} invalid files",
        files.len()
    );
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let (text, _) = hsl_syntax::decode(&bytes);
        let parse = parse(&text);
        assert!(
            !parse.diagnostics.is_empty(),
            "{}: no diagnostic",
            path.display()
        );
        let index = LineIndex::new(&text);
        let listing: Vec<String> = parse
            .diagnostics
            .iter()
            .map(|d| {
                let at = index.line_col(&text, d.span.start as usize);
                format!("{}:{} {} {}", at.line + 1, at.column + 1, d.code, d.message)
            })
            .collect();
        insta::assert_snapshot!(format!("invalid__{}", name(&path)), listing.join("\n"));
    }
}

/// Positions of the separate errors in the multi-error files: one per
/// broken statement, none for what follows.
#[test]
fn recovery_reports_each_broken_statement_once() {
    let cases: &[(&str, &[(u32, u32)])] = &[
        (
            "multiple_errors",
            &[(1, 7), (3, 10), (4, 29), (5, 11), (7, 5)],
        ),
        ("multiple_errors_in_blocks", &[(2, 7), (7, 10), (10, 31)]),
        (
            "multiple_errors_mixed",
            &[(1, 11), (2, 6), (5, 13), (7, 10)],
        ),
    ];
    for (file, expected) in cases {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../../testdata/syntax/invalid/{file}.hsl"));
        let text = std::fs::read_to_string(path).unwrap();
        let index = LineIndex::new(&text);
        let found: Vec<(u32, u32)> = parse(&text)
            .diagnostics
            .iter()
            .map(|d| {
                let at = index.line_col(&text, d.span.start as usize);
                (at.line + 1, at.column + 1)
            })
            .collect();
        assert_eq!(&found, expected, "{file}");
    }
}

fn tree(src: &str) -> String {
    let parse = parse(src);
    assert!(parse.diagnostics.is_empty(), "{:?}", parse.diagnostics);
    dump::dump(&parse.program, src)
        .lines()
        .map(|l| l[5..].to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn precedence_follows_the_reference() {
    assert_eq!(tree("-2 ** 2;"), "(neg (** 2 2))");
    assert_eq!(tree("2 ** 3 ** 2;"), "(** 2 (** 3 2))");
    assert_eq!(tree("2 + 2 . \"x\";"), "(. (+ 2 2) \"x\")");
    assert_eq!(tree("$a ?? $b ?? $c;"), "(?? $a (?? $b $c))");
    assert_eq!(tree("$a or $b and $c;"), "(or $a (and $b $c))");
    assert_eq!(tree("$a == 1 and $b;"), "(and (== $a 1) $b)");
    assert_eq!(tree("$x & 1 == 1;"), "(& $x (== 1 1))");
    assert_eq!(tree("$a ?: $b ? 1 : 2;"), "(?: $a (? $b 1 2))");
    assert_eq!(tree("!$x = f();"), "(! (= $x (call f)))");
    assert_eq!(tree("$c ? $a : $x = 0;"), "(? $c $a (= $x 0))");
    assert_eq!(tree("$s[::-1];"), "(slice $s ::(neg 1))");
    assert_eq!(tree("$s[Cls::$k];"), "(index $s Cls::$k)");
}

#[test]
fn interpolated_parts_have_their_own_spans() {
    let src = "echo \"hi $name, ${x}!\";";
    let program = parse(src).program;
    let hsl_syntax::ast::StmtKind::Echo(e) = &program.stmts[0].kind else {
        panic!()
    };
    let hsl_syntax::ast::ExprKind::Str(s) = &e.kind else {
        panic!()
    };
    let pieces: Vec<&str> = s.parts.iter().map(|p| &src[p.span.range()]).collect();
    assert_eq!(pieces, ["hi ", "$name", ", ", "${x}", "!"]);
}
