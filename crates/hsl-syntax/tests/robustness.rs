//! Bad input never panics: random bytes, random token soup, huge files and
//! deep nesting all end in a tree plus diagnostics whose spans lie inside
//! the text.

use hsl_syntax::{decode, parse, run_with_large_stack, MAX_NESTING};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn check(bytes: &[u8]) {
    let (text, _) = decode(bytes);
    let parse = parse(&text);
    for d in &parse.diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end as usize <= text.len(),
            "{d:?} outside {text:?}"
        );
        assert!(!d.message.is_empty());
    }
}

#[test]
fn random_bytes() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..2000 {
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        check(&bytes);
    }
}

const FRAGMENTS: &[&str] = &[
    "$a",
    "$b",
    "f",
    "Cls",
    "1",
    "0x1f",
    "2.5",
    "\"s $a\"",
    "''raw''",
    "#/re/i",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ";",
    ",",
    ":",
    "::",
    "?",
    "=>",
    "->",
    "...",
    "=",
    "+=",
    "??=",
    "+",
    "-",
    "*",
    "**",
    ".",
    "==",
    "===",
    "<",
    "!",
    "not",
    "and",
    "or",
    "??",
    "++",
    "if",
    "else",
    "while",
    "for",
    "foreach",
    "as",
    "forever",
    "switch",
    "case",
    "default",
    "break",
    "continue",
    "return",
    "function",
    "closure",
    "class",
    "constructor",
    "private",
    "static",
    "readonly",
    "try",
    "catch",
    "throw",
    "match",
    "cache",
    "barrier",
    "import",
    "from",
    "include",
    "global",
    "echo",
    "isset",
    "unset",
    "builtin",
    "none",
    "true",
    "'",
    "\"",
    "/*",
    "&&",
    "@",
    "\u{a0}",
    "é",
    "\n",
];

#[test]
fn random_token_soup() {
    let mut rng = Rng(42);
    for _ in 0..3000 {
        let len = rng.below(60);
        let text: Vec<&str> = (0..len)
            .map(|_| FRAGMENTS[rng.below(FRAGMENTS.len())])
            .collect();
        check(text.join(" ").as_bytes());
    }
}

#[test]
fn empty_and_comment_only_files() {
    for text in [
        "",
        "   \n\t",
        "// only a comment",
        "/* block */",
        "\u{feff}",
    ] {
        check(text.as_bytes());
    }
    assert!(parse("// nothing\n").diagnostics.is_empty());
}

#[test]
fn ten_megabyte_file_parses() {
    let unit = "function f_N($a, $b = 1) {\n\tif ($a > $b) { return [\"k\" => $a . \"x\", ...$b]; }\n\tforeach ($a as $k => $v) echo \"$k=$v\";\n\treturn none;\n}\n$r = f_N(1, 2) ?? 3;\n";
    let mut text = String::with_capacity(10_500_000);
    let mut i = 0;
    while text.len() < 10_000_000 {
        text.push_str(&unit.replace('N', &i.to_string()));
        i += 1;
    }
    let parse = run_with_large_stack(|| {
        let p = parse(&text);
        (p.diagnostics.len(), p.program.stmts.len())
    });
    assert_eq!(parse, (0, 2 * i));
}

#[test]
fn ten_thousand_levels_of_nesting() {
    let n = 10_000;
    let cases = [
        format!("$x = {}1{};", "(".repeat(n), ")".repeat(n)),
        format!("$x = {}{};", "[".repeat(n), "]".repeat(n)),
        format!("{}{}", "{".repeat(n), "}".repeat(n)),
        format!("$x = {}$y;", "!".repeat(n)),
        format!("$x = {}$y;", "- ".repeat(n)),
        format!("$x = {};", vec!["$a"; n].join(" . ")),
        format!("$x = {};", vec!["$a"; n].join(" ?? ")),
        format!("$x = {};", vec!["$a"; n].join(" = ")),
        format!("$x = {} : 0;", vec!["$a ? 1"; n].join(" : ")),
        format!("$x = f{};", "()".repeat(n)),
    ];
    for text in cases {
        let codes = run_with_large_stack(|| {
            parse(&text)
                .diagnostics
                .iter()
                .map(|d| d.code)
                .collect::<Vec<_>>()
        });
        assert!(
            codes.is_empty() || codes == [hsl_syntax::codes::TOO_DEEP],
            "{}…: {codes:?}",
            &text[..40]
        );
    }
    let deep = format!(
        "$x = {}1{};",
        "(".repeat(MAX_NESTING + 1),
        ")".repeat(MAX_NESTING + 1)
    );
    assert_eq!(
        parse(&deep).diagnostics[0].code,
        hsl_syntax::codes::TOO_DEEP
    );
}

#[test]
fn an_unclosed_quote_mid_file_is_one_error_at_the_quote() {
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!(
            "$x{i} = \"a{i}\" . f(\"b\", 1);\nif ($x{i}) {{ echo \"c\\n\"; }}\n"
        ));
    }
    let quote = text.len() + 5;
    text.push_str("$q = \"oops;\n");
    for i in 0..300 {
        text.push_str(&format!("$y{i} = \"d{i}\";\necho $y{i};\n"));
    }
    let found: Vec<_> = parse(&text)
        .diagnostics
        .iter()
        .map(|d| (d.code, d.span.start))
        .collect();
    assert_eq!(
        found,
        vec![(hsl_syntax::codes::UNTERMINATED_STRING, quote as u32)]
    );
    // A string that really spans lines, followed by a missing `;` on the
    // next line, stays a missing `;`.
    let multi_line = parse_ok_string();
    assert_eq!(multi_line.diagnostics.len(), 1);
    assert_eq!(multi_line.diagnostics[0].message, "missing `;`");
}

fn parse_ok_string() -> hsl_syntax::Parse {
    parse("$a = \"one\ntwo\"\necho $a;\n")
}

#[test]
fn long_decrement_chains_and_else_if_chains_give_one_error() {
    let text = format!("$a = 1 {} 1;\n", "-".repeat(10_000));
    let invalid = parse(&text)
        .diagnostics
        .iter()
        .filter(|d| d.code == hsl_syntax::codes::INVALID_ASSIGNMENT)
        .count();
    assert_eq!(invalid, 1);
    let mut text = String::from("if ($a) echo 0;");
    for i in 0..3000 {
        text.push_str(&format!(" else if ($a) echo {i};"));
    }
    let chain = run_with_large_stack(|| parse(&text));
    let codes: Vec<_> = chain.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![hsl_syntax::codes::TOO_DEEP]);
    assert!(chain.diagnostics[0]
        .message
        .starts_with("statements nested"));
    let braces = format!("{}{}", "{".repeat(1500), "}".repeat(1500));
    let codes: Vec<_> = parse_codes(&braces);
    assert_eq!(codes, vec![hsl_syntax::codes::TOO_DEEP]);
}

fn parse_codes(text: &str) -> Vec<&'static str> {
    run_with_large_stack(|| parse(text))
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect()
}

#[test]
fn nesting_and_operators_at_the_limit_are_not_too_deep() {
    let at_limit = format!(
        "$x = {}1{};",
        "(".repeat(MAX_NESTING),
        ")".repeat(MAX_NESTING)
    );
    assert_eq!(parse_codes(&at_limit), Vec::<&str>::new());
    // `=` counts as one of the operators.
    let operators = format!("$x = 1{};", " + 1".repeat(hsl_syntax::MAX_OPERATORS - 1));
    assert_eq!(parse_codes(&operators), Vec::<&str>::new());
    let over = format!("$x = 1{};", " + 1".repeat(hsl_syntax::MAX_OPERATORS));
    assert_eq!(parse_codes(&over), vec![hsl_syntax::codes::TOO_DEEP]);
}

#[test]
fn a_closure_whose_last_return_has_no_semicolon_is_a_warning_with_a_fix() {
    let text = "$f = function ($x, $y) { echo $x; return $x * $y };\n";
    let closure = parse(text);
    let [d] = closure.diagnostics.as_slice() else {
        panic!("{:#?}", closure.diagnostics);
    };
    assert_eq!(
        (d.code, d.severity, d.span.start as usize),
        (
            hsl_syntax::codes::MISSING_SEMICOLON,
            hsl_syntax::Severity::Warning,
            text.find(" }").unwrap()
        )
    );
    let fix = d.fix.as_ref().expect("the `;` is offered");
    assert_eq!(fix.edits[0].text, ";");
    // The body holds both statements; the last is a return of the product.
    use hsl_syntax::ast::{ExprKind, StmtKind};
    let StmtKind::Expr(assign) = &closure.program.stmts[0].kind else {
        panic!("not an expression statement");
    };
    let ExprKind::Assign { value, .. } = &assign.kind else {
        panic!("not an assignment");
    };
    let ExprKind::Function(f) = &value.kind else {
        panic!("not a closure");
    };
    assert_eq!(f.body.stmts.len(), 2);
    assert!(matches!(
        &f.body.stmts[1].kind,
        StmtKind::Return(Some(e)) if matches!(e.kind, ExprKind::Binary { .. })
    ));
    // Elsewhere a missing `;` before `}` stays an error.
    let block = parse("if ($a) { echo 1 }\n");
    assert_eq!(block.diagnostics[0].code, hsl_syntax::codes::SYNTAX_ERROR);
}
