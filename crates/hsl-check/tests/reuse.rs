//! Checking a workspace parses each file once: a file parsed while its
//! workspace's includers graph was built is not parsed again when it is
//! checked, but only when the text checked is the text that was parsed.

use hsl_check::{Checker, Options};
use std::path::Path;

#[test]
fn a_file_is_checked_by_the_text_given_not_the_one_parsed_for_the_graph() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/example/src");
    let shared = example.join("files/limits.hsl");
    let hook = example.join("hooks/eod/inbound.hsl");
    let on_disk = std::fs::read_to_string(&hook).unwrap();
    let checker = Checker::new(Options::default());
    // Checking the shared file builds the graph, parsing every script.
    let shared_text = std::fs::read_to_string(&shared).unwrap();
    assert_eq!(checker.check(&shared, &shared_text).unwrap(), []);
    let edited = format!("echo $never_assigned;\n{on_disk}");
    let found = checker.check(&hook, &edited).unwrap();
    assert!(
        found.iter().any(|d| d.code == "HSL107"),
        "the edited text was not the one checked: {found:?}"
    );
    let broken = format!("{on_disk}if (\n");
    assert!(checker.check(&hook, &broken).unwrap()[0].severity == hsl_syntax::Severity::Error);
    // The text on disk, checked before and after its tree was dropped.
    assert_eq!(checker.check(&hook, &on_disk).unwrap(), []);
    assert_eq!(checker.check(&hook, &on_disk).unwrap(), []);
}
