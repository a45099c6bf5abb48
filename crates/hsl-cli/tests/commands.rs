//! `hsl rules`, `hsl completions`, the manual pages and `hsl init`.

mod common;

use common::hsl_in;
use std::path::PathBuf;

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hsl-commands-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn rules_lists_every_code_with_name_and_severity() {
    let dir = workdir("rules");
    let out = hsl_in(&dir, &["rules", "--output-format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = listed.as_array().unwrap();
    let codes: Vec<&str> = listed.iter().map(|c| c["code"].as_str().unwrap()).collect();
    for code in hsl_syntax::codes::ALL {
        assert!(codes.contains(code), "{code} missing");
    }
    for rule in hsl_check::rules::ALL {
        let entry = listed.iter().find(|c| c["code"] == rule.code).unwrap();
        assert_eq!(entry["name"], rule.name);
        assert_eq!(entry["severity"], rule.severity.as_str());
    }
    assert_eq!(
        listed.len(),
        hsl_syntax::codes::ALL.len() + hsl_check::rules::ALL.len()
    );
    let text = String::from_utf8(hsl_in(&dir, &["rules"]).stdout).unwrap();
    let line = text.lines().find(|l| l.starts_with("HSL105")).unwrap();
    assert!(
        line.contains("unknown-key") && line.contains("error"),
        "{line}"
    );
    assert!(text.lines().next().unwrap().starts_with("HSL001  (syntax)"));
}

#[test]
fn completions_for_each_shell() {
    let dir = workdir("completions");
    for (shell, marker) in [
        ("bash", "_hsl()"),
        ("zsh", "#compdef hsl"),
        ("fish", "complete -c hsl"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = hsl_in(&dir, &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(marker), "{shell}");
        assert!(script.contains("deny-warnings"), "{shell} completes flags");
    }
    assert_eq!(
        hsl_in(&dir, &["completions", "tcsh"]).status.code(),
        Some(2)
    );
}

#[test]
fn manual_pages_for_hsl_and_each_command() {
    let dir = workdir("man");
    let out = hsl_in(&dir, &["man", "pages"]);
    assert_eq!(out.status.code(), Some(0));
    let main = std::fs::read_to_string(dir.join("pages/hsl.1")).unwrap();
    assert!(
        main.starts_with(".ie") || main.contains(".TH hsl"),
        "{main}"
    );
    let check = std::fs::read_to_string(dir.join("pages/hsl-check.1")).unwrap();
    assert!(check.contains("hsl\\-check") && check.contains("deny\\-warnings"));
    assert!(
        !dir.join("pages/hsl-man.1").exists(),
        "hidden commands have no page"
    );
}

#[test]
fn init_scaffolds_a_workspace_that_checks_and_simulates_clean() {
    let dir = workdir("init");
    let out = hsl_in(&dir, &["init", "mail"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in [
        "hsl.toml",
        "src/config/smtpd.yaml",
        "src/config/smtpd-app.yaml",
        ".github/workflows/hsl.yml",
        ".gitlab-ci.yml",
    ] {
        assert!(dir.join("mail").join(file).is_file(), "{file}");
    }
    let hooks = ["connect", "helo", "mailfrom", "rcptto", "eod"];
    for hook in hooks {
        assert!(dir
            .join(format!("mail/src/hooks/{hook}/inbound.hsl"))
            .is_file());
        assert!(dir
            .join(format!("mail/tests/sessions/{hook}.session.yaml"))
            .is_file());
    }
    let check = hsl_in(&dir, &["check", "--deny-warnings", "mail"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let simulate = hsl_in(&dir, &["simulate", "mail/tests/sessions"]);
    let report = String::from_utf8_lossy(&simulate.stdout);
    assert_eq!(simulate.status.code(), Some(0), "{report}");
    assert!(report.contains("5 passed"), "{report}");

    // A second run refuses, names the files, and changes nothing.
    std::fs::write(dir.join("mail/hsl.toml"), "halon = 5\n").unwrap();
    let again = hsl_in(&dir, &["init", "mail"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("mail/hsl.toml: already exists"));
    assert_eq!(
        std::fs::read_to_string(dir.join("mail/hsl.toml")).unwrap(),
        "halon = 5\n"
    );
}
