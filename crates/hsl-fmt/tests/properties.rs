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
    let twice = format(&once, options)
        .unwrap_or_else(|e| panic!("{name}: output does not parse: {e:?}\n{once}"));
    assert_eq!(once, twice, "{name}: formatting is not idempotent");
    assert_eq!(tree(source), tree(&once), "{name}: the tree changed\n{once}");
    assert_eq!(comments(source), comments(&once), "{name}: comments changed\n{once}");
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
    assert!(formatted > 100, "only {formatted} of {} files formatted", files.len());
}
