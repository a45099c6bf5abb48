//! `hsl init [DIR]`: scaffolds a Halon workspace that `hsl check` and
//! `hsl simulate` pass, with CI workflows running both.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `hsl init`.
#[derive(clap::Args)]
pub struct InitArgs {
    /// The folder to create the workspace in (created if missing).
    #[arg(default_value = ".")]
    dir: PathBuf,
}

/// The hooks the scaffold's server uses, each with a script and a session.
const HOOKS: &[(&str, &str, &str)] = &[
    (
        "connect",
        include_str!("init/connect.hsl"),
        include_str!("init/connect.session.yaml"),
    ),
    (
        "helo",
        include_str!("init/helo.hsl"),
        include_str!("init/helo.session.yaml"),
    ),
    (
        "mailfrom",
        include_str!("init/mailfrom.hsl"),
        include_str!("init/mailfrom.session.yaml"),
    ),
    (
        "rcptto",
        include_str!("init/rcptto.hsl"),
        include_str!("init/rcptto.session.yaml"),
    ),
    (
        "eod",
        include_str!("init/eod.hsl"),
        include_str!("init/eod.session.yaml"),
    ),
];

/// Every file of the scaffold: path relative to the folder, content.
fn scaffold() -> Vec<(String, &'static str)> {
    let mut files = vec![
        ("hsl.toml".to_string(), include_str!("init/hsl.toml")),
        (
            "src/config/smtpd.yaml".into(),
            include_str!("init/smtpd.yaml"),
        ),
        (
            "src/config/smtpd-app.yaml".into(),
            include_str!("init/smtpd-app.yaml"),
        ),
        (
            "src/files/policy.hsl".into(),
            include_str!("init/policy.hsl"),
        ),
        (
            ".github/workflows/hsl.yml".into(),
            include_str!("init/github.yml"),
        ),
        (".gitlab-ci.yml".into(), include_str!("init/gitlab-ci.yml")),
    ];
    for (hook, script, session) in HOOKS {
        files.push((format!("src/hooks/{hook}/inbound.hsl"), script));
        files.push((format!("tests/sessions/{hook}.session.yaml"), session));
    }
    files
}

/// Writes the scaffold; exits with 2 without writing anything when one of
/// its files already exists.
pub fn run(args: InitArgs) -> ExitCode {
    let files = scaffold();
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|(path, _)| args.dir.join(path))
        .filter(|path| path.symlink_metadata().is_ok())
        .collect();
    if !existing.is_empty() {
        for path in &existing {
            eprintln!("error: {}: already exists", path.display());
        }
        eprintln!("error: nothing written; `hsl init` does not overwrite files");
        return ExitCode::from(2);
    }
    for (path, content) in &files {
        if let Err(e) = write(&args.dir.join(path), content) {
            eprintln!("error: {}: {e}", args.dir.join(path).display());
            return ExitCode::from(2);
        }
    }
    println!(
        "created a Halon workspace in {} ({} files)\nnext: hsl check {0} && hsl simulate {}",
        args.dir.display(),
        files.len(),
        args.dir.join("tests/sessions").display()
    );
    ExitCode::SUCCESS
}

/// Creates `path` (and its folders) with `content`, never replacing a file.
fn write(path: &Path, content: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    use std::io::Write;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(content.as_bytes())
}
