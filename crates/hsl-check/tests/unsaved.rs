//! An editor changes unsaved buffers while checks run on other threads: a
//! check that read a buffer before it changed must not leave that old text
//! cached for the checks that come after.

use hsl_check::{Checker, Options};
use std::path::Path;

#[test]
fn checks_after_an_edit_see_the_edit_even_while_older_checks_run() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/example/src");
    let hook = example.join("hooks/mailfrom/inbound.hsl");
    let shared = example.join("files/limits.hsl");
    let hook_text = std::fs::read_to_string(&hook).unwrap();
    // Long texts keep a parse busy long enough for the edit to land in it.
    let padding = "$unused_padding = [1, 2, 3];\n".repeat(5_000);
    let with = format!("{padding}$max_recipients = 50;\n$max_message_size = 1;\n");
    let without = format!("{padding}$max_recipients = 50;\n");
    let checker = Checker::new(Options::default());
    let undefined = |c: &Checker| {
        c.check(&hook, &hook_text)
            .unwrap()
            .iter()
            .any(|d| d.code == "HSL107")
    };
    for round in 0..16 {
        checker.set_unsaved(&shared, Some(with.clone()));
        std::thread::scope(|s| {
            s.spawn(|| undefined(&checker));
            std::thread::sleep(std::time::Duration::from_millis(round % 8));
            checker.set_unsaved(&shared, Some(without.clone()));
        });
        assert!(
            undefined(&checker),
            "round {round}: the check after the edit used the text before it"
        );
    }
}
