//! `hsl`: lint, run, simulate and serve HSL (Halon Scripting Language) scripts.

mod alloc;
mod check;
mod color;
mod completions;
mod coverage;
mod excerpt;
mod explain;
mod files;
mod fix;
mod fmt;
mod init;
mod junit;
mod output;
mod progress;
mod render;
mod rules;
mod run;
mod serve;
mod shard;
mod simulate;
mod statistics;
mod watch;

use clap::{CommandFactory, Parser, Subcommand};
use std::process::ExitCode;

/// Parsing allocates many small nodes; mimalloc makes that markedly faster.
/// Counting the bytes each thread holds gives scripts a total memory budget.
#[global_allocator]
static ALLOC: hsl_eval::alloc::Counting<alloc::Mimalloc> =
    hsl_eval::alloc::Counting(alloc::Mimalloc);

/// Tools for HSL, the Halon Scripting Language.
#[derive(Parser)]
#[command(name = "hsl", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check HSL files and directories (recursively `*.hsl`) for errors.
    Check(check::CheckArgs),
    /// Print the documentation of a diagnostic code, e.g. `hsl explain HSL001`.
    Explain(explain::ExplainArgs),
    /// Format HSL files and directories in place (`--check` and `--diff`
    /// change nothing; `-` formats standard input).
    Fmt(fmt::FmtArgs),
    /// Run the language server on stdin/stdout (for editors).
    Lsp,
    /// Run a script and print its `echo` output (the interpreter covers the
    /// core language; see the README for what is not supported yet).
    Run(run::RunArgs),
    /// Replay SMTP sessions (`*.yaml`, or directories of them) against hook
    /// scripts and print what each hook decided and what the server replied.
    Simulate(simulate::SimulateArgs),
    /// List every diagnostic code with its rule name and default severity.
    Rules(rules::RulesArgs),
    /// Create a Halon workspace (hooks, configuration, session tests, CI
    /// workflows) that passes `hsl check` and `hsl simulate`.
    Init(init::InitArgs),
    /// Print a shell completion script, e.g. `hsl completions bash`.
    Completions(completions::CompletionsArgs),
    /// Write the manual pages into a folder (used by `cargo xtask man`).
    #[command(hide = true)]
    Man(completions::ManArgs),
    /// Listen on loopback and answer real SMTP clients with the hook scripts
    /// of a workspace (the core of `simulate`); `--record` keeps sessions to replay.
    Serve(serve::ServeArgs),
}

/// Runs `hsl` with the process arguments.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // The language server reports a closed output itself (with a failure
    // status); every other command ends quietly, as `hsl check | head` should.
    if !matches!(cli.command, Command::Lsp) {
        output::exit_quietly_on_closed_pipe();
    }
    match cli.command {
        Command::Check(args) => {
            large_stack_pool();
            hsl_syntax::run_with_large_stack(move || check::run(args))
        }
        Command::Explain(args) => explain::run(args),
        Command::Fmt(args) => hsl_syntax::run_with_large_stack(move || fmt::run(args)),
        Command::Run(args) => hsl_syntax::run_with_large_stack(move || run::run(args)),
        Command::Simulate(args) => hsl_syntax::run_with_large_stack(move || simulate::run(args)),
        Command::Rules(args) => rules::run(args),
        Command::Init(args) => init::run(args),
        Command::Completions(args) => completions::run(args, Cli::command()),
        Command::Man(args) => completions::man(args, Cli::command()),
        Command::Serve(args) => serve::run(args),
        Command::Lsp => {
            alloc::steady_latency();
            large_stack_pool();
            match hsl_syntax::run_with_large_stack(hsl_lsp::run_stdio) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: hsl lsp: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Sets up the thread pool of the commands that parse files on it (`check`,
/// `fmt` of files, `lsp`): syntax trees are walked recursively, so its
/// threads, which check or format files and load a workspace's scripts, get
/// the same large stack as the threads the commands run on. Not started for
/// the other commands.
pub(crate) fn large_stack_pool() {
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(hsl_syntax::LARGE_STACK)
        .build_global();
}
