//! `hsl explain CODE`: prints the documentation of a diagnostic code.

use std::process::ExitCode;

/// Arguments of `hsl explain`.
#[derive(clap::Args)]
pub struct ExplainArgs {
    /// The code, e.g. `HSL001` (case-insensitive).
    code: String,
}

/// Every documentation source, searched in order.
const DOCS: &[&str] = &[hsl_syntax::codes::DOCS, hsl_check::DOCS];

/// Prints the section for the code, or exits with 2 if it is unknown.
pub fn run(args: ExplainArgs) -> ExitCode {
    let code = args.code.to_ascii_uppercase();
    match DOCS
        .iter()
        .find_map(|d| hsl_syntax::codes::section(d, &code))
    {
        Some(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: unknown diagnostic code `{}`", args.code);
            ExitCode::from(2)
        }
    }
}
