//! `hsl completions SHELL` and the manual pages, both generated from the
//! command-line definition.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `hsl completions`.
#[derive(clap::Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    shell: clap_complete::Shell,
}

/// Prints the completion script for the shell on standard output.
pub fn run(args: CompletionsArgs, mut command: clap::Command) -> ExitCode {
    clap_complete::generate(args.shell, &mut command, "hsl", &mut std::io::stdout());
    ExitCode::SUCCESS
}

/// Arguments of the hidden `hsl man` (run by `cargo xtask man`).
#[derive(clap::Args)]
pub struct ManArgs {
    /// Folder to write `hsl.1` and one `hsl-COMMAND.1` per command into.
    dir: PathBuf,
}

/// Writes the manual pages (roff) of `hsl` and of each visible command.
pub fn man(args: ManArgs, command: clap::Command) -> ExitCode {
    match write_pages(&args.dir, command) {
        Ok(written) => {
            for path in written {
                println!("{}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", args.dir.display());
            ExitCode::from(2)
        }
    }
}

fn write_pages(dir: &std::path::Path, command: clap::Command) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let command = command.disable_help_subcommand(true);
    let mut pages = vec![("hsl".to_string(), command.clone().bin_name("hsl"))];
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("hsl-{}", sub.get_name());
        let page = sub
            .clone()
            .display_name(name.clone())
            .bin_name(format!("hsl {}", sub.get_name()));
        pages.push((name, page));
    }
    let mut written = Vec::new();
    for (name, page) in pages {
        let mut roff = Vec::new();
        clap_mangen::Man::new(page).render(&mut roff)?;
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, roff)?;
        written.push(path);
    }
    Ok(written)
}
