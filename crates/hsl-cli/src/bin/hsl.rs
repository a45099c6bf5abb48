//! The `hsl` executable.

fn main() -> std::process::ExitCode {
    hsl_cli::main()
}
