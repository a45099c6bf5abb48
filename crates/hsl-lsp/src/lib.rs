//! Language server for HSL (Halon Scripting Language) over stdio.
//!
//! Diagnostics as you type, completion, hover, signature help, go to
//! definition, references and document symbols. The analysis itself comes
//! from the parser and checker crates; this crate converts between their
//! byte spans and the protocol's UTF-16 positions.

mod completion;
mod convert;
mod definition;
mod document;
mod formatting;
mod hover;
mod scope;
mod server;
mod symbols;
mod transport;

pub use document::Document;
pub use server::Backend;

/// Serves the language server protocol on stdin/stdout until the client exits.
pub fn run_stdio() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(hsl_syntax::LARGE_STACK)
        .enable_all()
        .build()
        .expect("starting the language server runtime");
    runtime.block_on(async {
        let (service, socket) = tower_lsp_server::LspService::new(Backend::new);
        let (to_server, server_in) = tokio::io::duplex(1 << 16);
        let (server_out, from_server) = tokio::io::duplex(1 << 16);
        let (errors_tx, errors_rx) = tokio::sync::mpsc::unbounded_channel();
        let input = tokio::spawn(transport::filter_input(
            tokio::io::stdin(),
            to_server,
            errors_tx,
        ));
        let output = tokio::spawn(transport::merge_output(
            from_server,
            tokio::io::stdout(),
            errors_rx,
        ));
        tower_lsp_server::Server::new(server_in, server_out, socket)
            .serve(service)
            .await;
        input.abort();
        let _ = output.await;
    });
    // Reading stdin blocks a runtime thread that only returns when the
    // editor closes the pipe; do not wait for it.
    runtime.shutdown_background();
}
