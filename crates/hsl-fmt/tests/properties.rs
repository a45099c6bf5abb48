//! Properties every formatted file must have: formatting again changes
//! nothing, the syntax tree is the same apart from positions, and every
//! comment is still there.

use hsl_fmt::{format, Options};
use std::path::{Path, PathBuf};

/// The tree dump without its line-number column.
fn tree(source: &str) -> String {
    let parse = hsl_syntax::parse(source);
    hsl_syntax::dump::dump(&parse.program, source)
        .lines()
        .map(|l| l.get(5..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The comment texts of `source`, sorted.
fn comments(source: &str) -> Vec<String> {
    let (tokens, _) = hsl_syntax::lexer::lex(source);
    let mut out = Vec::new();
    let mut from = 0;
    for end in tokens
        .iter()
        .map(|(_, s)| (s.start as usize, s.end as usize))
        .chain([(source.len(), source.len())])
    {
        let mut gap = &source[from..end.0];
        while let Some(i) = gap.find('/') {
            let rest = &gap[i..];
            let len = if rest.starts_with("//") {
                rest.find('\n').unwrap_or(rest.len())
            } else {
                rest.find("*/").map_or(rest.len(), |n| n + 2)
            };
            out.push(rest[..len].trim_end().to_string());
            gap = &rest[len..];
        }
        from = end.1;
    }
    out.sort();
    out
}

/// Checks the properties on `source`; returns whether it was formatted.
fn check(name: &str, source: &str, options: &Options) -> bool {
    check_with(name, source, options, true)
}

/// Like [`check`]; with `stable` false (comments at arbitrary token gaps,
/// where a comment may move to the end of its line and settle there only
/// on a later pass) idempotency is not asserted, only that nothing is lost.
fn check_with(name: &str, source: &str, options: &Options, stable: bool) -> bool {
    let Ok(once) = format(source, options) else {
        assert!(
            hsl_syntax::parse(source)
                .diagnostics
                .iter()
                .any(|d| d.severity == hsl_syntax::Severity::Error),
            "{name}: refused without a syntax error"
        );
        return false;
    };
    assert_eq!(
        tree(source),
        tree(&once),
        "{name}: the tree changed\n{once}"
    );
    assert_eq!(
        comments(source),
        comments(&once),
        "{name}: comments changed\n{once}"
    );
    let twice = format(&once, options)
        .unwrap_or_else(|e| panic!("{name}: output does not parse: {e:?}\n{once}"));
    if stable {
        assert_eq!(
            once, twice,
            "{name}: formatting is not idempotent\n{source}"
        );
    }
    true
}

fn hsl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            hsl_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "hsl") {
            out.push(path);
        }
    }
}

#[test]
fn every_testdata_file_keeps_its_tree_and_comments_and_is_stable() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let mut files = Vec::new();
    hsl_files(&root, &mut files);
    files.sort();
    let narrow = Options {
        line_width: 40,
        ..Options::default()
    };
    let mut formatted = 0;
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        let name = file.display().to_string();
        if check(&name, &source, &Options::default()) {
            formatted += 1;
            check(&name, &source, &narrow);
        }
    }
    assert!(
        formatted > 100,
        "only {formatted} of {} files formatted",
        files.len()
    );
}

/// A small deterministic pseudo-random sequence (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// `source` with comments inserted between random tokens.
fn with_comments(source: &str, rng: &mut Rng) -> String {
    let (tokens, _) = hsl_syntax::lexer::lex(source);
    let mut out = String::with_capacity(source.len() * 2);
    let mut from = 0;
    for (i, (_, span)) in tokens.iter().enumerate() {
        let at = span.end as usize;
        out.push_str(&source[from..at]);
        from = at;
        match rng.below(12) {
            0 => out.push_str(&format!(" // c{i}\n")),
            1 => out.push_str(&format!(" /* c{i} */ ")),
            2 => out.push_str(&format!("\n/* c{i} */\n")),
            3 => out.push_str(&format!("\n\n// c{i}\n")),
            _ => {}
        }
    }
    out.push_str(&source[from..]);
    out
}

#[test]
fn comments_anywhere_between_tokens_are_kept() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let mut files = Vec::new();
    hsl_files(&root, &mut files);
    files.sort();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        if format(&source, &Options::default()).is_err() {
            continue;
        }
        let commented = with_comments(&source, &mut rng);
        let name = format!("{} with comments", file.display());
        assert!(
            check_with(&name, &commented, &Options::default(), false),
            "{name}: no longer parses\n{commented}"
        );
    }
}

/// A random expression of depth at most `depth`.
fn gen_expr(rng: &mut Rng, depth: usize) -> String {
    const LEAVES: &[&str] = &[
        "$a",
        "$long_variable_name",
        "42",
        "0x1F",
        "1_000.5",
        "\"text $a\"",
        "''raw''",
        "#/re\\/x/i",
        "none",
        "true",
        "Foo::$bar",
        "builtin strlen",
    ];
    const OPS: &[&str] = &[
        "+", "-", "*", "/", "%", ".", "==", "!=", "===", "<", ">=", "and", "or", "??", "=~", "&",
        "|", "^", "<<", ">>", "**",
    ];
    if depth == 0 {
        return LEAVES[rng.below(LEAVES.len())].to_string();
    }
    let d = depth - 1;
    match rng.below(12) {
        0..=2 => format!(
            "{} {} {}",
            gen_expr(rng, d),
            OPS[rng.below(OPS.len())],
            gen_expr(rng, d)
        ),
        3 => format!("({})", gen_expr(rng, d)),
        4 => {
            let n = rng.below(5);
            let args: Vec<String> = (0..n).map(|_| gen_expr(rng, d)).collect();
            format!("some_function_name({})", args.join(", "))
        }
        5 => {
            let n = rng.below(5);
            let items: Vec<String> = (0..n)
                .map(|i| match i % 2 {
                    0 => gen_expr(rng, d),
                    _ => format!("\"k{i}\" => {}", gen_expr(rng, d)),
                })
                .collect();
            format!("[{}]", items.join(", "))
        }
        6 => format!(
            "{} ? {} : {}",
            gen_expr(rng, d),
            gen_expr(rng, d),
            gen_expr(rng, d)
        ),
        7 => format!("- {}", gen_expr(rng, d)),
        8 => format!("!{}", gen_expr(rng, d)),
        9 => format!("$a[{}]->name", gen_expr(rng, d)),
        10 => format!("function ($x) {{ return {}; }}", gen_expr(rng, d)),
        _ => format!(
            "match ({}) {{ 1 => {}, default => 2 }}",
            gen_expr(rng, d),
            gen_expr(rng, d)
        ),
    }
}

/// A random statement, sometimes with a comment before or after it.
fn commented_stmt(rng: &mut Rng, depth: usize) -> String {
    let stmt = gen_stmt(rng, depth);
    match rng.below(6) {
        0 => format!("\n// before\n{stmt}"),
        1 => format!("{stmt} // after\n"),
        2 => format!("/* before */ {stmt}"),
        3 => format!("\n\n\n{stmt} /* after */\n"),
        _ => stmt,
    }
}

/// A random statement of depth at most `depth`.
fn gen_stmt(rng: &mut Rng, depth: usize) -> String {
    let d = depth.saturating_sub(1);
    let block = |rng: &mut Rng| {
        let n = rng.below(3);
        let body: Vec<String> = (0..n).map(|_| commented_stmt(rng, d)).collect();
        format!("{{ {} }}", body.join(" "))
    };
    match if depth == 0 {
        rng.below(3)
    } else {
        rng.below(9)
    } {
        0 => format!("$x = {};", gen_expr(rng, 3)),
        1 => format!("echo {};", gen_expr(rng, 3)),
        2 => format!("some_call({}, {});", gen_expr(rng, 2), gen_expr(rng, 2)),
        3 => format!(
            "if ({}) {} else {}",
            gen_expr(rng, 2),
            block(rng),
            block(rng)
        ),
        4 => format!("foreach ({} as $k => $v) {}", gen_expr(rng, 1), block(rng)),
        5 => format!("while ({}) {}", gen_expr(rng, 2), block(rng)),
        6 => format!(
            "function f{}($p, $q = {}) {}",
            rng.below(100),
            gen_expr(rng, 1),
            block(rng)
        ),
        7 => format!(
            "switch ({}) {{ case 1: {} break; default: {} }}",
            gen_expr(rng, 1),
            gen_stmt(rng, d),
            gen_stmt(rng, d)
        ),
        _ => format!("if ({}) {}", gen_expr(rng, 2), gen_stmt(rng, d)),
    }
}

#[test]
fn generated_programs_keep_their_tree_and_are_stable() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for i in 0..300 {
        let n = 1 + rng.below(6);
        let program: Vec<String> = (0..n).map(|_| commented_stmt(&mut rng, 3)).collect();
        let source = program.join(if i % 2 == 0 { "\n" } else { " " });
        let name = format!("generated program {i}");
        assert!(
            check(&name, &source, &Options::default()),
            "{name}: invalid\n{source}"
        );
        let commented = with_comments(&source, &mut rng);
        let narrow = Options {
            line_width: 30,
            indent_width: 2,
            ..Options::default()
        };
        check_with(&format!("{name} with comments"), &commented, &narrow, false);
    }
}
