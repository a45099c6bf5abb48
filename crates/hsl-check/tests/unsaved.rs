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

/// A file an include names may be created while an editor is open: the
/// editor's checker (its checks kept) looks again at every check, while a
/// run's checker keeps what each id resolved to when first looked up.
#[test]
fn an_editors_checker_sees_an_included_file_created_after_a_check() {
    let root = std::env::temp_dir().join(format!("hsl-created-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let hook = root.join("src/hooks/rcptto/in.hsl");
    std::fs::create_dir_all(hook.parent().unwrap()).unwrap();
    std::fs::create_dir_all(root.join("src/files")).unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let text = "include \"lib.hsl\";\n";
    std::fs::write(&hook, text).unwrap();
    let missing = |c: &Checker| {
        c.check(&hook, text)
            .unwrap()
            .iter()
            .any(|d| d.code == "HSL111")
    };
    let editor = Checker::reusing_parts(Options::default());
    let run = Checker::new(Options::default());
    assert!(missing(&editor) && missing(&run));
    std::fs::write(root.join("src/files/lib.hsl"), "echo 1;\n").unwrap();
    assert!(!missing(&editor), "the editor's checker found the new file");
    assert!(missing(&run), "a run answers as it did at its start");
    std::fs::remove_dir_all(&root).unwrap();
}
