//! The protocol handlers.

use crate::document::Document;
use crate::{completion, convert, scope, symbols};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::RwLock;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

/// The language server state: the client handle and the open documents.
pub struct Backend {
    client: Client,
    docs: Arc<RwLock<HashMap<Uri, Document>>>,
}

impl Backend {
    /// A server talking to `client`.
    pub fn new(client: Client) -> Self {
        Backend {
            client,
            docs: Arc::default(),
        }
    }

    /// Checks the document at `uri` as it is now and publishes the result,
    /// unless a newer version arrived in the meantime.
    async fn publish(&self, uri: Uri) {
        let Some(doc) = self.docs.read().await.get(&uri).cloned() else {
            return;
        };
        let version = doc.version;
        let target = uri.clone();
        let diagnostics = tokio::task::spawn_blocking(move || {
            let parse = hsl_syntax::parse(&doc.text);
            parse
                .diagnostics
                .iter()
                .map(|d| convert::diagnostic(&target, &doc, d))
                .collect::<Vec<_>>()
        });
        let Ok(diagnostics) = diagnostics.await else {
            return;
        };
        // Hold the read lock while publishing so a newer edit cannot be
        // published first and then overwritten by this older result.
        let docs = self.docs.read().await;
        if docs.get(&uri).map(|d| d.version) == Some(version) {
            self.client
                .publish_diagnostics(uri, diagnostics, Some(version))
                .await;
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, _: InitializeParams) -> Result<InitializeResult> {
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "hsl".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                document_symbol_provider: Some(OneOf::Left(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["$".into()]),
                    ..Default::default()
                }),
                ..ServerCapabilities::default()
            },
            offset_encoding: None,
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.docs
            .write()
            .await
            .insert(doc.uri.clone(), Document::new(doc.text, doc.version));
        self.publish(doc.uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        {
            let mut docs = self.docs.write().await;
            let Some(doc) = docs.get_mut(&uri) else {
                return;
            };
            doc.apply(params.content_changes, params.text_document.version);
        }
        self.publish(uri).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.publish(params.text_document.uri).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.docs.write().await.remove(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let pos = params.text_document_position;
        let docs = self.docs.read().await;
        let Some(doc) = docs.get(&pos.text_document.uri) else {
            return Ok(None);
        };
        let offset = doc.offset(pos.position);
        let program = hsl_syntax::parse(&doc.text).program;
        let site = completion::site(&doc.text[..offset]);
        let items = completion::items(site, &scope::visible_at(&program, offset));
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let docs = self.docs.read().await;
        let Some(doc) = docs.get(&params.text_document.uri) else {
            return Ok(None);
        };
        let parse = hsl_syntax::parse(&doc.text);
        Ok(Some(DocumentSymbolResponse::Nested(symbols::outline(
            doc,
            &parse.program,
        ))))
    }
}
