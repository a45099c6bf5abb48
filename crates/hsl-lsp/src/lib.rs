//! Language server for HSL (Halon Scripting Language) over stdio.
//!
//! Diagnostics as you type, completion, hover, signature help, go to
//! definition, references, rename, quick fixes, document highlight, links, folding,
//! document and workspace symbols, semantic tokens and inlay hints. The analysis itself comes
//! from the parser and checker crates; this crate converts between their
//! byte spans and the protocol's UTF-16 positions.

mod actions;
mod analysis;
mod completion;
mod convert;
mod cursor;
mod definition;
mod document;
mod files;
mod formatting;
mod hover;
mod inlay;
mod matching;
mod reclaim;
mod rename;
mod reparse;
mod semantic;
mod server;
mod symbols;
mod transport;

pub use document::Document;
pub use server::Backend;

/// Serves the language server protocol on stdin/stdout until the client
/// exits. An error reading stdin or writing stdout, or a failure inside the
/// framing layer, is returned so the process can exit with a failure status.
pub fn run_stdio() -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(hsl_syntax::LARGE_STACK)
        .enable_all()
        .build()
        .map_err(|e| format!("starting the language server runtime: {e}"))?;
    let outcome = runtime.block_on(async {
        let (service, socket) = tower_lsp_server::LspService::new(Backend::new);
        let (to_server, server_in) = tokio::io::duplex(1 << 16);
        let (server_out, from_server) = tokio::io::duplex(1 << 16);
        let (errors_tx, errors_rx) = tokio::sync::mpsc::unbounded_channel();
        let mut input = tokio::spawn(transport::filter_input(
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
        // The reader has finished when stdin closed; after an `exit` with
        // stdin still open it waits for input that never comes.
        let read =
            match tokio::time::timeout(std::time::Duration::from_millis(200), &mut input).await {
                Ok(joined) => joined.map_err(|e| e.to_string())?,
                Err(_) => {
                    input.abort();
                    Ok(())
                }
            };
        let write = output.await.map_err(|e| e.to_string())?;
        read.map_err(|e| format!("reading stdin: {e}"))?;
        write.map_err(|e| format!("writing stdout: {e}"))
    });
    // Reading stdin blocks a runtime thread that only returns when the
    // editor closes the pipe; do not wait for it.
    runtime.shutdown_background();
    outcome
}
