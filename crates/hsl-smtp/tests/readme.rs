//! Every session example in README.md's `hsl simulate` section runs and
//! its expectations hold (against `testdata/simulate/readme`, which holds
//! the scripts and messages the examples name).

use std::path::Path;

#[test]
fn the_readme_session_examples_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("`hsl simulate`"))
        .expect("README has a `hsl simulate` section");
    let examples: Vec<&str> = section
        .split("```yaml\n")
        .skip(1)
        .filter_map(|block| block.split_once("\n```").map(|(yaml, _)| yaml))
        .filter(|yaml| yaml.contains("\nconversation:"))
        .collect();
    assert!(!examples.is_empty(), "no session example found");
    let path = root.join("testdata/simulate/readme/README.yaml");
    for yaml in examples {
        let session =
            hsl_smtp::session::Session::parse(yaml, &path).unwrap_or_else(|e| panic!("{e}"));
        let prepared = hsl_smtp::prepare_session(&path, session).unwrap_or_else(|e| panic!("{e}"));
        let report = hsl_smtp::run(&prepared);
        assert!(report.is_test, "the example asserts something");
        assert_eq!(report.failures, [], "{yaml}");
    }
}
