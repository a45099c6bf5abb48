//! `hsl explain CODE`: prints the documentation of a diagnostic code.

use std::process::ExitCode;

/// Arguments of `hsl explain`.
#[derive(clap::Args)]
pub struct ExplainArgs {
    /// The code, e.g. `HSL001` (case-insensitive), or a rule name such as
    /// `undefined-variable`.
    code: String,
}

/// Prints the documentation of the code or rule, or exits with 2 if it is
/// unknown (naming the closest one).
pub fn run(args: ExplainArgs) -> ExitCode {
    let code = match hsl_check::rules::code_for(&args.code) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    if let Some(rule) = hsl_check::rules::ALL.iter().find(|r| r.code == code) {
        println!(
            "## {} — {}\n\nName: `{}`.\n\n{}",
            rule.code,
            rule.summary,
            rule.name,
            rule.doc.trim_end()
        );
        return ExitCode::SUCCESS;
    }
    match hsl_syntax::codes::section(hsl_syntax::codes::DOCS, code) {
        Some(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: `{code}` is not documented");
            ExitCode::from(2)
        }
    }
}
