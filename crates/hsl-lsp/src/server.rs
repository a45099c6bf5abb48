//! The protocol handlers.

use crate::document::Document;
use crate::{completion, convert, definition, hover, scope, symbols};
use hsl_catalog::{Catalog, Hook};
use hsl_check::{Checker, Options};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::RwLock;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

/// The language server state: the client handle and the open documents.
pub struct Backend {
    client: Client,
    docs: Arc<RwLock<HashMap<Uri, Document>>>,
    checker: Arc<Checker>,
}

impl Backend {
    /// A server talking to `client`.
    pub fn new(client: Client) -> Self {
        Backend {
            client,
            docs: Arc::default(),
            checker: Arc::new(Checker::new(Options::default())),
        }
    }

    /// The hook and catalog a document is checked with.
    fn context(&self, uri: &Uri, doc: &Document) -> (&'static Catalog, Option<Hook>) {
        let path = file_path(uri);
        match self.checker.context(&path, &doc.text) {
            Ok(ctx) => (ctx.catalog, ctx.hooks.first().copied().flatten()),
            Err(_) => (Catalog::get(Default::default()), None),
        }
    }

    /// Re-checks every open document (after an edit that may affect files
    /// including the edited one).
    async fn publish_all(&self) {
        let uris: Vec<Uri> = self.docs.read().await.keys().cloned().collect();
        for uri in uris {
            self.publish(uri).await;
        }
    }

    /// Re-checks the open documents other than `changed` that include or
    /// import something (they may depend on it).
    async fn publish_others(&self, changed: &Uri) {
        let uris: Vec<Uri> = self
            .docs
            .read()
            .await
            .iter()
            .filter(|(u, d)| {
                *u != changed && (d.text.contains("include") || d.text.contains("import"))
            })
            .map(|(u, _)| u.clone())
            .collect();
        for uri in uris {
            self.publish(uri).await;
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
        let checker = self.checker.clone();
        let diagnostics = tokio::task::spawn_blocking(move || {
            let found = checker
                .check(&file_path(&target), &doc.text)
                .unwrap_or_else(|_| hsl_syntax::parse(&doc.text).diagnostics);
            found
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
                    trigger_characters: Some(vec!["$".into(), "[".into(), "\"".into()]),
                    ..Default::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                signature_help_provider: Some(SignatureHelpOptions {
                    trigger_characters: Some(vec!["(".into(), ",".into()]),
                    ..Default::default()
                }),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
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
        self.checker
            .set_unsaved(&file_path(&doc.uri), Some(doc.text.clone()));
        self.docs
            .write()
            .await
            .insert(doc.uri.clone(), Document::new(doc.text, doc.version));
        self.publish(doc.uri.clone()).await;
        self.publish_others(&doc.uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        {
            let mut docs = self.docs.write().await;
            let Some(doc) = docs.get_mut(&uri) else {
                return;
            };
            doc.apply(params.content_changes, params.text_document.version);
            self.checker
                .set_unsaved(&file_path(&uri), Some(doc.text.clone()));
        }
        self.publish(uri.clone()).await;
        self.publish_others(&uri).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.checker
            .invalidate(&file_path(&params.text_document.uri));
        self.publish_all().await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.checker.set_unsaved(&file_path(&uri), None);
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
        let (catalog, hook) = self.context(&pos.text_document.uri, doc);
        let class = match &site {
            completion::Site::Method { variable } => {
                self.checker
                    .variable_class(&file_path(&pos.text_document.uri), &doc.text, variable)
            }
            _ => None,
        };
        let items = completion::items(
            site,
            &scope::visible_at(&program, offset),
            catalog,
            hook,
            class.as_deref(),
        );
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        let docs = self.docs.read().await;
        let Some(doc) = docs.get(&pos.text_document.uri) else {
            return Ok(None);
        };
        let Some((word, start, end)) = hover::word_at(&doc.text, doc.offset(pos.position)) else {
            return Ok(None);
        };
        let program = hsl_syntax::parse(&doc.text).program;
        let (catalog, hook) = self.context(&pos.text_document.uri, doc);
        Ok(
            hover::hover(word, &program, catalog, hook).map(|text| Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: text,
                }),
                range: Some(doc.range(hsl_syntax::Span::new(start, end))),
            }),
        )
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let pos = params.text_document_position_params;
        let docs = self.docs.read().await;
        let Some(doc) = docs.get(&pos.text_document.uri) else {
            return Ok(None);
        };
        let offset = doc.offset(pos.position);
        let Some((name, active)) = hover::call_at(&doc.text[..offset]) else {
            return Ok(None);
        };
        let (catalog, hook) = self.context(&pos.text_document.uri, doc);
        let Some(f) = catalog.function(name, hook) else {
            return Ok(None);
        };
        let parameters: Vec<ParameterInformation> = f
            .params
            .iter()
            .map(|p| ParameterInformation {
                label: ParameterLabel::Simple(format!("{} ${}", p.ty, p.name)),
                documentation: None,
            })
            .collect();
        let active = if f.max_args().is_none() {
            active.min(parameters.len().saturating_sub(1))
        } else {
            active
        };
        Ok(Some(SignatureHelp {
            signatures: vec![SignatureInformation {
                label: f.signature(),
                documentation: (!f.description.is_empty())
                    .then(|| Documentation::String(f.description.clone())),
                parameters: Some(parameters),
                active_parameter: Some(active as u32),
            }],
            active_signature: Some(0),
            active_parameter: Some(active as u32),
        }))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let pos = params.text_document_position;
        let docs = self.docs.read().await;
        let Some(doc) = docs.get(&pos.text_document.uri) else {
            return Ok(None);
        };
        let Some((word, _, _)) = hover::word_at(&doc.text, doc.offset(pos.position)) else {
            return Ok(None);
        };
        if word.starts_with('$') {
            return Ok(None);
        }
        let mut out = Vec::new();
        for (uri, other) in docs.iter() {
            let program = hsl_syntax::parse(&other.text).program;
            let spans = definition::references(&program, word, params.context.include_declaration);
            out.extend(
                spans
                    .into_iter()
                    .map(|s| Location::new(uri.clone(), other.range(s))),
            );
        }
        Ok(Some(out))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let pos = params.text_document_position_params;
        let uri = pos.text_document.uri;
        let docs = self.docs.read().await;
        let Some(doc) = docs.get(&uri) else {
            return Ok(None);
        };
        let offset = doc.offset(pos.position);
        let word = hover::word_at(&doc.text, offset).map(|w| w.0);
        let program = hsl_syntax::parse(&doc.text).program;
        let path = uri.to_file_path().map(|p| p.into_owned());
        let Some(found) = definition::find(&program, path.as_deref(), offset, word) else {
            return Ok(None);
        };
        let location = match found.file {
            None => Location::new(uri.clone(), doc.range(found.span)),
            Some(file) => {
                let Some(target) = Uri::from_file_path(&file) else {
                    return Ok(None);
                };
                let range = match std::fs::read_to_string(&file) {
                    Ok(text) => Document::new(text, 0).range(found.span),
                    Err(_) => Range::default(),
                };
                Location::new(target, range)
            }
        };
        Ok(Some(GotoDefinitionResponse::Scalar(location)))
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

/// The file path of a `file:` URI (other schemes get a path that belongs to
/// no workspace, so only the core context applies).
fn file_path(uri: &Uri) -> PathBuf {
    uri.to_file_path()
        .map(|p| p.into_owned())
        .unwrap_or_else(|| PathBuf::from("untitled.hsl"))
}
