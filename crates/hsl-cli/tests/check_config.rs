//! `hsl check` settings read from `hsl.toml` that the command line can
//! override.

mod common;

use common::hsl_in;

#[test]
fn max_file_size_comes_from_hsl_toml_unless_the_flag_is_given() {
    let dir = std::env::temp_dir().join(format!("hsl-config-size-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("big.hsl"), "echo 1;\n".repeat(2000)).unwrap();
    std::fs::write(dir.join("hsl.toml"), "max-file-size = \"8K\"\n").unwrap();
    let refused = hsl_in(&dir, &["check", "big.hsl"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("error: big.hsl: file is larger than the limit of 8192 bytes"),
        "{stderr}"
    );
    // The flag wins over the file.
    let allowed = hsl_in(&dir, &["check", "--max-file-size", "1M", "big.hsl"]);
    assert_eq!(allowed.status.code(), Some(0));
    // A value that is not a size is a configuration error.
    std::fs::write(dir.join("hsl.toml"), "max-file-size = \"big\"\n").unwrap();
    let bad = hsl_in(&dir, &["check", "big.hsl"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("max-file-size"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_broken_hsl_toml_is_reported_once_at_its_line_and_column() {
    let dir = std::env::temp_dir().join(format!("hsl-config-broken-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["a.hsl", "b.hsl", "c.hsl"] {
        std::fs::write(dir.join(name), "echo 1;\n").unwrap();
    }
    for (toml, expected) in [
        (
            "# settings\nhalon = 7\n",
            "hsl.toml:2:9: unknown Halon version `7`",
        ),
        ("halon = 6\n[rules\n", "hsl.toml:2:7: unclosed table"),
        (
            "halon = 6\nexcludes = []\n",
            "hsl.toml:2:1: unknown field `excludes`",
        ),
        (
            "max-file-size = true\n",
            "hsl.toml:1:17: max-file-size: not a size",
        ),
    ] {
        std::fs::write(dir.join("hsl.toml"), toml).unwrap();
        let out = hsl_in(&dir, &["check", "."]);
        assert_eq!(out.status.code(), Some(2), "{toml}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{toml}: {stderr}");
        assert_eq!(stderr.matches(expected).count(), 1, "said once: {stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
