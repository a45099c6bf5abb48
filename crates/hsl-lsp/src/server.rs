//! The protocol handlers.

use crate::analysis::Analysis;
use crate::document::Document;
use crate::{
    actions, completion, convert, cursor, definition, files, formatting, hover, inlay, rename,
    semantic, symbols,
};
use hsl_catalog::{Catalog, Hook};
use hsl_check::model::Model;
use hsl_check::{Checker, Options};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::{RwLock, Semaphore};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

/// The language server state: the client handle and the open documents.
#[derive(Clone)]
pub struct Backend {
    client: Client,
    docs: Arc<RwLock<HashMap<Uri, Document>>>,
    checker: Arc<Checker>,
    /// The version of each open document the checker reads.
    synced: Arc<Mutex<HashMap<Uri, i32>>>,
    /// The turn to check documents (one check runs at a time).
    checks: Arc<Semaphore>,
}

impl Backend {
    /// A server talking to `client`.
    pub fn new(client: Client) -> Self {
        Backend {
            client,
            docs: Arc::default(),
            checker: Arc::new(Checker::reusing_parts(Options::default())),
            synced: Arc::default(),
            checks: Arc::new(Semaphore::new(1)),
        }
    }

    /// The analysis of `doc`'s current version (made once per version).
    fn analysis(&self, uri: &Uri, doc: &Document) -> Arc<Analysis> {
        let path = file_path(uri);
        let limit = self
            .checker
            .config(&path)
            .ok()
            .and_then(|c| c.project.max_file_size)
            .unwrap_or(hsl_syntax::DEFAULT_MAX_FILE_SIZE);
        doc.analysis(&path, &self.checker.project_of(&path), limit)
    }

    /// The checker's model of `doc`'s current version (kept from its
    /// diagnostics check, else made once).
    fn model<'a>(&self, uri: &Uri, doc: &Document, analysis: &'a Analysis) -> &'a Model {
        analysis.model(&self.checker, &file_path(uri), &doc.text)
    }

    /// Gives the checker the analysis of `doc` (open at `uri`) unless it
    /// already has this or a newer version, so that checking the files
    /// including it reads the buffer, not the file on disk.
    fn sync(&self, uri: &Uri, doc: &Document, analysis: &Analysis) {
        let mut synced = self.synced.lock().expect("sync lock");
        if synced.get(uri).is_some_and(|&v| v >= doc.version) {
            return;
        }
        self.checker
            .set_unsaved_parsed(&file_path(uri), doc.text.clone(), &analysis.program);
        synced.insert(uri.clone(), doc.version);
    }

    /// The catalog a document is checked with and the hooks it is checked
    /// in (several for a shared file included by several hooks; `None` is
    /// the core context).
    fn context(&self, uri: &Uri, doc: &Document) -> (&'static Catalog, Vec<Option<Hook>>) {
        let path = file_path(uri);
        match self.checker.context(&path, &doc.text) {
            Ok(ctx) => (ctx.catalog, ctx.hooks),
            Err(_) => (Catalog::get(Default::default()), vec![None]),
        }
    }

    /// The open documents other than `changed` that include or import it,
    /// directly or through other files (the workspace's includers graph,
    /// and open documents outside a workspace).
    async fn dependents(&self, changed: &Uri) -> Vec<Uri> {
        let docs = self.docs.read().await;
        let changed_path = normalized(&file_path(changed));
        // The workspace's includers graph, then open files outside it.
        let mut reached: HashSet<PathBuf> = self
            .checker
            .includers(&changed_path)
            .map(|graph| graph.dependents(&changed_path).into_iter().collect())
            .unwrap_or_default();
        reached.insert(changed_path);
        let mut out: Vec<Uri> = Vec::new();
        loop {
            let before = out.len();
            for (uri, doc) in docs.iter() {
                if uri == changed || out.contains(uri) {
                    continue;
                }
                let path = normalized(&file_path(uri));
                let analysis = self.analysis(uri, doc);
                if reached.contains(&path) || analysis.dependencies().any(|d| reached.contains(d)) {
                    reached.insert(normalized(&file_path(uri)));
                    out.push(uri.clone());
                }
            }
            if out.len() == before {
                return out;
            }
        }
    }

    /// Re-checks `uri` and the open documents that depend on it, unless a
    /// newer edit of `uri` arrived before the check started: a burst of
    /// edits is checked once, at its last version, and a lone edit at once.
    async fn publish_with_dependents(self, uri: Uri, version: i32) {
        tokio::task::yield_now().await;
        // One check at a time, so requests keep a core; an edit superseded
        // while waiting for its turn is not checked at all.
        let Ok(_turn) = self.checks.clone().acquire_owned().await else {
            return;
        };
        if self.docs.read().await.get(&uri).map(|d| d.version) != Some(version) {
            return;
        }
        self.publish(uri.clone()).await;
        for other in self.dependents(&uri).await {
            self.publish(other).await;
        }
    }

    /// Re-checks every open document (after a file changed on disk).
    async fn publish_all(&self) {
        let Ok(_turn) = self.checks.clone().acquire_owned().await else {
            return;
        };
        let uris: Vec<Uri> = self.docs.read().await.keys().cloned().collect();
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
        // Checked on this worker thread (its other tasks move to another):
        // handing the check to a blocking thread and back costs two thread
        // wake-ups, milliseconds on a virtual machine with an idle core.
        let diagnostics = tokio::task::block_in_place(|| {
            let analysis = self.analysis(&uri, &doc);
            self.sync(&uri, &doc, &analysis);
            let stop = || doc.superseded();
            let found = analysis
                .check(&self.checker, &file_path(&uri), &doc.text, &stop)
                .unwrap_or_else(|_| analysis.syntax.clone());
            found
                .iter()
                .map(|d| convert::diagnostic(&uri, &doc, d))
                .collect::<Vec<_>>()
        });
        // Hold the read lock while publishing so a newer edit cannot be
        // published first and then overwritten by this older result.
        let docs = self.docs.read().await;
        if docs.get(&uri).map(|d| d.version) == Some(version) {
            self.client
                .publish_diagnostics(uri, diagnostics, Some(version))
                .await;
        }
    }

    /// Every HSL file of the workspace of `uri` (open or not) with its text,
    /// open documents first; outside a workspace, the open documents.
    async fn workspace_files(&self, uri: &Uri) -> Vec<(Uri, Document)> {
        let mut out: Vec<(Uri, Document)> = self
            .docs
            .read()
            .await
            .iter()
            .map(|(u, d)| (u.clone(), d.clone()))
            .collect();
        let open: HashSet<PathBuf> = out.iter().map(|(u, _)| normalized(&file_path(u))).collect();
        if let Some(root) = hsl_workspace::workspace_root(&file_path(uri)) {
            for path in files::hsl_files(&root.join("src")) {
                if open.contains(&path) {
                    continue;
                }
                let (Ok(bytes), Some(u)) = (std::fs::read(&path), Uri::from_file_path(&path))
                else {
                    continue;
                };
                let text = hsl_syntax::decode(&bytes).0.into_owned();
                out.push((u, Document::new(text, 0)));
            }
        }
        out
    }

    /// The places naming the symbol at `pos`: variables in their scope,
    /// functions and classes in every file of the workspace.
    async fn occurrences(
        &self,
        pos: &TextDocumentPositionParams,
        declarations: bool,
    ) -> Option<(Symbol, Vec<Location>)> {
        let uri = &pos.text_document.uri;
        let doc = self.docs.read().await.get(uri)?.clone();
        let offset = doc.offset(pos.position);
        let (word, _, _) = hover::word_at(&doc.text, offset)?;
        let analysis = self.analysis(uri, &doc);
        if let Some(var) = word.strip_prefix('$') {
            let spans = self.model(uri, &doc, &analysis).occurrences(offset, var);
            let locations = spans
                .into_iter()
                .map(|s| Location::new(uri.clone(), doc.range(dollar_name(&doc.text, s))))
                .collect();
            return Some((Symbol::Variable, locations));
        }
        let word = word.to_string();
        let mut locations = Vec::new();
        for (u, d) in self.workspace_files(uri).await {
            let a = self.analysis(&u, &d);
            for s in definition::references(&a.program, &word, declarations) {
                locations.push(Location::new(u.clone(), d.range(s)));
            }
        }
        Some((Symbol::Declared, locations))
    }
}

/// What a rename or a reference search is about.
pub enum Symbol {
    /// A variable.
    Variable,
    /// A function or class.
    Declared,
}

/// The span of `$name` within a variable's span (a name's span may or may
/// not include the `$`).
fn dollar_name(text: &str, span: hsl_syntax::Span) -> hsl_syntax::Span {
    let start = span.start as usize;
    if text.as_bytes().get(start) != Some(&b'$') && start > 0 && text.as_bytes()[start - 1] == b'$'
    {
        hsl_syntax::Span::new(start - 1, span.end as usize)
    } else {
        span
    }
}

fn normalized(path: &std::path::Path) -> PathBuf {
    hsl_workspace::normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
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
                    trigger_characters: Some(vec!["$".into(), "[".into(), "\"".into(), ">".into()]),
                    ..Default::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                signature_help_provider: Some(SignatureHelpOptions {
                    trigger_characters: Some(vec!["(".into(), ",".into()]),
                    ..Default::default()
                }),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_formatting_provider: Some(OneOf::Left(true)),
                document_range_formatting_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: Default::default(),
                })),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                }),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend: semantic::legend(),
                            full: Some(SemanticTokensFullOptions::Bool(true)),
                            ..Default::default()
                        },
                    ),
                ),
                inlay_hint_provider: Some(OneOf::Left(true)),
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
        self.synced.lock().expect("sync lock").remove(&doc.uri);
        self.docs
            .write()
            .await
            .insert(doc.uri.clone(), Document::new(doc.text, doc.version));
        self.clone()
            .publish_with_dependents(doc.uri, doc.version)
            .await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        {
            let mut docs = self.docs.write().await;
            let Some(doc) = docs.get_mut(&uri) else {
                return;
            };
            doc.apply(params.content_changes, version);
        }
        // Checked in the background so the next edit is read at once and
        // can supersede this one.
        tokio::spawn(self.clone().publish_with_dependents(uri, version));
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.checker
            .invalidate(&file_path(&params.text_document.uri));
        self.publish_all().await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.docs.write().await.remove(&uri);
        self.synced.lock().expect("sync lock").remove(&uri);
        self.checker.set_unsaved(&file_path(&uri), None);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let pos = params.text_document_position;
        let uri = &pos.text_document.uri;
        let Some(doc) = self.docs.read().await.get(uri).cloned() else {
            return Ok(None);
        };
        let offset = doc.offset(pos.position);
        let analysis = self.analysis(uri, &doc);
        let before = cursor::Before::new(&doc.text, &analysis.program, offset);
        let site = before.site();
        if site == cursor::Site::Nothing {
            return Ok(Some(CompletionResponse::Array(Vec::new())));
        }
        let (catalog, hooks) = self.context(uri, &doc);
        // Variables and their classes need the model; names only the
        // declarations.
        let model = matches!(site, cursor::Site::Variable | cursor::Site::Method { .. })
            .then(|| self.model(uri, &doc, &analysis));
        let known = completion::Known {
            declared: analysis.declarations(&doc.text),
            model,
            offset,
        };
        let list = completion::answer(&site, &known, catalog, &hooks, before.word());
        Ok(Some(CompletionResponse::List(list)))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        let uri = &pos.text_document.uri;
        let Some(doc) = self.docs.read().await.get(uri).cloned() else {
            return Ok(None);
        };
        let Some((word, start, end)) = hover::word_at(&doc.text, doc.offset(pos.position)) else {
            return Ok(None);
        };
        let analysis = self.analysis(uri, &doc);
        let (catalog, hooks) = self.context(uri, &doc);
        let Some(mut text) = hooks
            .iter()
            .find_map(|&hook| hover::hover(word, &analysis.program, catalog, hook))
        else {
            return Ok(None);
        };
        if hsl_workspace::hook_from_path(&file_path(uri)).is_none() {
            let names: Vec<&str> = hooks.iter().flatten().map(|h| h.as_str()).collect();
            if !names.is_empty() {
                text.push_str(&format!(
                    "\n\nThis file is included by the hooks: {}.",
                    names.join(", ")
                ));
            }
        }
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(doc.range(hsl_syntax::Span::new(start, end))),
        }))
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let pos = params.text_document_position_params;
        let uri = &pos.text_document.uri;
        let Some(doc) = self.docs.read().await.get(uri).cloned() else {
            return Ok(None);
        };
        let offset = doc.offset(pos.position);
        let analysis = self.analysis(uri, &doc);
        let Some((name, active)) = cursor::Before::new(&doc.text, &analysis.program, offset).call()
        else {
            return Ok(None);
        };
        let (catalog, hooks) = self.context(uri, &doc);
        let Some(f) = hooks.iter().find_map(|&h| catalog.function(&name, h)) else {
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
        Ok(self
            .occurrences(
                &params.text_document_position,
                params.context.include_declaration,
            )
            .await
            .map(|(_, locations)| locations))
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let pos = params.text_document_position_params;
        let uri = pos.text_document.uri.clone();
        Ok(self.occurrences(&pos, true).await.map(|(_, locations)| {
            locations
                .into_iter()
                .filter(|l| l.uri == uri)
                .map(|l| DocumentHighlight {
                    range: l.range,
                    kind: None,
                })
                .collect()
        }))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let uri = &params.text_document.uri;
        let Some(doc) = self.docs.read().await.get(uri).cloned() else {
            return Ok(None);
        };
        let Some((word, start, end)) = hover::word_at(&doc.text, doc.offset(params.position))
        else {
            return Ok(None);
        };
        let (catalog, hooks) = self.context(uri, &doc);
        if let Some(reason) = rename::refusal(word, catalog, &hooks) {
            return Err(tower_lsp_server::jsonrpc::Error::invalid_params(reason));
        }
        let Some((_, locations)) = self.occurrences(&params, true).await else {
            return Ok(None);
        };
        if locations.is_empty() {
            return Err(tower_lsp_server::jsonrpc::Error::invalid_params(format!(
                "`{word}` is not declared in this workspace"
            )));
        }
        Ok(Some(PrepareRenameResponse::Range(
            doc.range(hsl_syntax::Span::new(start, end)),
        )))
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let pos = params.text_document_position;
        if self.prepare_rename(pos.clone()).await?.is_none() {
            return Ok(None);
        }
        let Some((symbol, locations)) = self.occurrences(&pos, true).await else {
            return Ok(None);
        };
        let new_text = rename::new_name(&symbol, &params.new_name)
            .map_err(tower_lsp_server::jsonrpc::Error::invalid_params)?;
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        for l in locations {
            changes.entry(l.uri).or_default().push(TextEdit {
                range: l.range,
                new_text: new_text.clone(),
            });
        }
        Ok(Some(WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let pos = params.text_document_position_params;
        let uri = pos.text_document.uri;
        let Some(doc) = self.docs.read().await.get(&uri).cloned() else {
            return Ok(None);
        };
        let offset = doc.offset(pos.position);
        let word = hover::word_at(&doc.text, offset).map(|w| w.0);
        let analysis = self.analysis(&uri, &doc);
        let model = self.model(&uri, &doc, &analysis);
        let Some(found) = definition::find(&analysis, model, offset, word) else {
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
        let uri = &params.text_document.uri;
        let Some(doc) = self.docs.read().await.get(uri).cloned() else {
            return Ok(None);
        };
        let analysis = self.analysis(uri, &doc);
        Ok(Some(DocumentSymbolResponse::Nested(symbols::outline(
            &doc,
            &analysis.program,
        ))))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let uri = params.text_document.uri;
        let docs = self.docs.read().await;
        Ok(docs
            .get(&uri)
            .and_then(|doc| formatting::edits(doc, &file_path(&uri), None)))
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let uri = params.text_document.uri;
        let docs = self.docs.read().await;
        Ok(docs
            .get(&uri)
            .and_then(|doc| formatting::edits(doc, &file_path(&uri), Some(params.range))))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let query = params.query.to_lowercase();
        let mut out = Vec::new();
        let mut roots = HashSet::new();
        let uris: Vec<Uri> = self.docs.read().await.keys().cloned().collect();
        for uri in uris {
            let root = hsl_workspace::workspace_root(&file_path(&uri));
            if !roots.insert(root.clone().unwrap_or_else(|| file_path(&uri))) {
                continue;
            }
            for (u, d) in self.workspace_files(&uri).await {
                let analysis = self.analysis(&u, &d);
                out.extend(symbols::flat(&u, &d, &analysis.program, &query));
            }
        }
        out.dedup_by(|a, b| a.location == b.location);
        Ok(Some(WorkspaceSymbolResponse::Flat(out)))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some(doc) = self
            .docs
            .read()
            .await
            .get(&params.text_document.uri)
            .cloned()
        else {
            return Ok(None);
        };
        Ok(Some(symbols::folding(&doc)))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = &params.text_document.uri;
        let Some(doc) = self.docs.read().await.get(uri).cloned() else {
            return Ok(None);
        };
        let fixes = actions::quick_fixes(uri, &doc, &params.context.diagnostics);
        Ok(Some(
            fixes
                .into_iter()
                .map(CodeActionOrCommand::CodeAction)
                .collect(),
        ))
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let uri = &params.text_document.uri;
        let Some(doc) = self.docs.read().await.get(uri).cloned() else {
            return Ok(None);
        };
        let analysis = self.analysis(uri, &doc);
        let Ok(ctx) = self.checker.context(&file_path(uri), &doc.text) else {
            return Ok(None);
        };
        let context = semantic::Context {
            catalog: ctx.catalog,
            base: hsl_catalog::Catalog::get(ctx.version),
            hooks: &ctx.hooks,
            declared: analysis.declarations(&doc.text),
        };
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: None,
            data: semantic::tokens(&doc, &analysis.program, &context),
        })))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let uri = &params.text_document.uri;
        let Some(doc) = self.docs.read().await.get(uri).cloned() else {
            return Ok(None);
        };
        let analysis = self.analysis(uri, &doc);
        let (catalog, hooks) = self.context(uri, &doc);
        let range = doc.offset(params.range.start)..doc.offset(params.range.end);
        let declared = analysis.declarations(&doc.text);
        let hints = inlay::parameter_hints(&analysis.program, declared, catalog, &hooks, range);
        Ok(Some(
            hints
                .into_iter()
                .map(|(offset, label)| InlayHint {
                    position: doc.position(offset),
                    label: InlayHintLabel::String(label),
                    kind: Some(InlayHintKind::PARAMETER),
                    text_edits: None,
                    tooltip: None,
                    padding_left: None,
                    padding_right: Some(true),
                    data: None,
                })
                .collect(),
        ))
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let uri = &params.text_document.uri;
        let Some(doc) = self.docs.read().await.get(uri).cloned() else {
            return Ok(None);
        };
        let analysis = self.analysis(uri, &doc);
        Ok(Some(
            analysis
                .includes
                .iter()
                .filter_map(|(span, target)| match target {
                    hsl_workspace::Target::File(f) => Some(DocumentLink {
                        range: doc.range(*span),
                        target: Uri::from_file_path(f),
                        tooltip: Some(f.display().to_string()),
                        data: None,
                    }),
                    _ => None,
                })
                .collect(),
        ))
    }
}

/// The file path of a `file:` URI (other schemes get a path that belongs to
/// no workspace, so only the core context applies).
fn file_path(uri: &Uri) -> PathBuf {
    uri.to_file_path()
        .map(|p| p.into_owned())
        .unwrap_or_else(|| PathBuf::from("untitled.hsl"))
}
