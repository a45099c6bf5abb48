//! The scope table the model records for editors: which variables are
//! visible at an offset, where each is first defined, and every place a
//! variable is named, closures sharing the variables they capture.

use hsl_check::declared::Declared;
use hsl_check::model::Model;
use hsl_check::{Buffer, Checker, Options};
use std::path::Path;

fn model(src: &str) -> Model {
    let program = hsl_syntax::parse(src).program;
    Checker::new(Options::default()).model(Path::new("scratch.hsl"), src, &program)
}

fn starts(spans: &[hsl_syntax::Span]) -> Vec<usize> {
    spans.iter().map(|s| s.start as usize).collect()
}

#[test]
fn occurrences_stay_in_their_scope_and_follow_captures() {
    let src = "$n = 1;\nfunction f($n) { return $n; }\n$g = function () closure ($n) { $n++; };\necho $n;\n";
    let model = model(src);
    let top = model.occurrences(0, "n");
    let in_f = src.find("f(").unwrap()..src.find('}').unwrap();
    let expected: Vec<usize> = src
        .match_indices("$n")
        .map(|(i, _)| i)
        .filter(|i| !in_f.contains(i))
        .collect();
    assert_eq!(starts(&top), expected);
    let in_f = model.occurrences(src.find("return").unwrap(), "n");
    assert_eq!(in_f.len(), 2);
    // From inside the closure, the variable is the one it captures.
    let in_closure = model.occurrences(src.find("$n++").unwrap(), "n");
    assert_eq!(in_closure, top);
}

#[test]
fn variables_of_the_enclosing_function_only() {
    let src = "$top = 1;\nfunction f($p) {\n  $local = $p;\n  \n}\nclass C { function m() { $inner = 2; } }\n";
    let model = model(src);
    let inside_f = src.find("  \n}").unwrap() + 1;
    let v = model.visible_at(inside_f);
    assert_eq!(v.names(), ["local", "p"]);
    let functions: Vec<&str> = hsl_check::model::functions(&model.decls).collect();
    assert_eq!(functions, ["f"]);
    let classes: Vec<&str> = hsl_check::model::classes(&model.decls).collect();
    assert_eq!(classes, ["C"]);
    assert_eq!(model.visible_at(0).names(), ["top"]);
    let local = v.definition("local").unwrap();
    assert_eq!(local.start as usize, src.find("$local").unwrap());
    let p = v.definition("p").unwrap();
    assert_eq!(p.start as usize, src.find("$p").unwrap());
    let in_method = model.visible_at(src.find("$inner").unwrap());
    assert_eq!(in_method.names(), ["inner"]);
}

#[test]
fn loop_catch_and_closure_names() {
    let src = "foreach ($list as $k => $v) {}\ntry {} catch ($e) {}\n$cb = function ($x) closure ($k) { return $x; };\n";
    let model = model(src);
    assert_eq!(model.visible_at(0).names(), ["cb", "e", "k", "list", "v"]);
    let in_closure = model.visible_at(src.find("return").unwrap());
    assert_eq!(
        in_closure.names(),
        ["k", "x"],
        "parameters and captured variables"
    );
    let k = in_closure.definition("k").unwrap();
    assert_eq!(k.start as usize, src.rfind("$k").unwrap());
}

#[test]
fn nested_closures_share_a_variable_only_through_their_captures() {
    let src = "$a = 1;\n$f = function () closure ($a) {\n  $g = function () closure ($a) { return $a; };\n  $h = function () { $a = 2; };\n};\n";
    let model = model(src);
    let shared = model.occurrences(src.find("return $a").unwrap() + 7, "a");
    let own = src.find("$a = 2").unwrap();
    let expected: Vec<usize> = src
        .match_indices("$a")
        .map(|(i, _)| i)
        .filter(|&i| i != own)
        .collect();
    assert_eq!(starts(&shared), expected);
    assert_eq!(starts(&model.occurrences(own, "a")), [own]);
}

#[test]
fn imports_and_subscript_assignments_define_variables() {
    let src = "import { $limit } from \"./limits.hsl\";\nfunction f() {\n  $list[] = 1;\n  $list[] = 2;\n}\n";
    let model = model(src);
    let top = model.visible_at(0);
    assert_eq!(top.names(), ["limit"]);
    let in_f = model.visible_at(src.find("$list").unwrap());
    let list = in_f.definition("list").unwrap();
    assert_eq!(list.start as usize, src.find("$list").unwrap());
    assert_eq!(model.occurrences(list.start as usize, "list").len(), 2);
}

#[test]
fn a_check_keeps_its_model_for_editors_and_judges_with_its_own() {
    let src = "function f($p) { return $p + $q; }\necho f(1);\n";
    let program = hsl_syntax::parse(src).program;
    let checker = Checker::new(Options::default());
    let path = Path::new("scratch.hsl");
    let kept = std::sync::OnceLock::new();
    let text = std::sync::Arc::new(src.to_string());
    let buffer = Buffer {
        text: &text,
        program: &program,
        declared: &Declared::of(&program, src),
    };
    let found = checker
        .check_keeping(path, buffer, Vec::new(), &kept, &|| false)
        .unwrap();
    assert!(found.iter().any(|d| d.code == "HSL107"), "{found:?}");
    let inside_f = src.find("return").unwrap();
    let model = kept.get().expect("the check keeps its model");
    assert_eq!(model.visible_at(inside_f).names(), ["p", "q"]);
    // A model kept before (of other includes, say) is left as it is, and
    // the rules judge the file as it is now.
    let earlier = std::sync::OnceLock::from(Model::default());
    let again = checker
        .check_keeping(path, buffer, Vec::new(), &earlier, &|| false)
        .unwrap();
    assert_eq!(again, found);
    assert!(earlier
        .get()
        .unwrap()
        .visible_at(inside_f)
        .names()
        .is_empty());
}

#[test]
fn declarations_are_found_in_every_block() {
    let src = "function top() {}\nif (true) { function g() {} }\nswitch (1) { case 1: function h() {} }\nclass C { function m() { function k() {} } }\n";
    let program = hsl_syntax::parse(src).program;
    let decls = Declared::of(&program, src).decls;
    let functions: Vec<&str> = hsl_check::model::functions(&decls).collect();
    assert_eq!(functions, ["top", "g", "h", "k"]);
    let top_level: Vec<&str> = decls
        .iter()
        .filter(|d| d.top_level)
        .map(|d| d.name.text.as_str())
        .collect();
    assert_eq!(top_level, ["top", "C"]);
    assert_eq!(model(src).decls.len(), decls.len(), "the model's own");
}

/// An editor's checker models top-level functions as parts (positions
/// relative to each function); every scope query at every offset answers
/// what the one-walk model answers.
#[test]
fn parts_answer_as_one_walk_does() {
    // `/**/` stands for a comment that makes a function long enough to be a part.
    let sources = [
        "$n = 1;\nfunction f($n) { /**/ return $n; }\n$g = function () closure ($n) { $n++; };\necho $n;\n",
        "$top = 1;\nfunction f($p) {\n  $local = $p;\n  /**/\n}\nfunction s() {}\nclass C { function m() { $inner = 2; } }\n",
        "import { $limit } from \"./limits.hsl\";\nfunction f() {\n  $list[] = 1; /**/\n  $list[] = 2;\n}\n",
        "function a($x = 1) { $f = function () closure ($x) { return $x; }; /**/ return $f(); }\nfunction b() { global $g; $g = 1; }\n$g = 2; echo a() . b();\n",
    ];
    let path = Path::new("scratch.hsl");
    let pad = format!(
        "/* {} */",
        "-".repeat(hsl_check::model::PART_MIN_BYTES as usize)
    );
    for src in sources {
        let src = &src.replace("/**/", &pad);
        let program = hsl_syntax::parse(src).program;
        let whole = Checker::new(Options::default()).model(path, src, &program);
        let parted = Checker::reusing_parts(Options::default()).model(path, src, &program);
        assert!(!parted.parts.is_empty() && whole.parts.is_empty());
        for offset in 0..=src.len() {
            let (w, p) = (whole.visible_at(offset), parted.visible_at(offset));
            assert_eq!(w.names(), p.names(), "{offset} in {src}");
            for name in w.names() {
                assert_eq!(
                    w.definition(name),
                    p.definition(name),
                    "${name} at {offset}"
                );
                assert_eq!(
                    whole.occurrences(offset, name),
                    parted.occurrences(offset, name),
                    "${name} at {offset}"
                );
            }
        }
    }
}
