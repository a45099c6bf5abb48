//! Document symbols (the outline of functions, classes and their members),
//! workspace symbols and folding ranges.

use crate::document::Document;
use hsl_syntax::ast::{MemberKind, Program, Stmt, StmtKind};
use hsl_syntax::lexer::Tokens;
use hsl_syntax::token::Token;
use tower_lsp_server::ls_types::{
    DocumentSymbol, FoldingRange, FoldingRangeKind, Location, SymbolInformation, SymbolKind, Uri,
};

/// The outline of a program: functions, classes with members, nested
/// functions inside function bodies.
pub fn outline(doc: &Document, program: &Program) -> Vec<DocumentSymbol> {
    program
        .stmts
        .iter()
        .filter_map(|s| symbol(doc, s))
        .collect()
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written out.
fn make(
    doc: &Document,
    name: &str,
    detail: Option<String>,
    kind: SymbolKind,
    span: hsl_syntax::Span,
    name_span: hsl_syntax::Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name: name.to_string(),
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: doc.range(span),
        selection_range: doc.range(name_span),
        children: (!children.is_empty()).then_some(children),
    }
}

fn params(list: &[hsl_syntax::ast::Param]) -> String {
    let names: Vec<String> = list
        .iter()
        .map(|p| format!("{}${}", if p.variadic { "..." } else { "" }, p.name.text))
        .collect();
    format!("({})", names.join(", "))
}

fn symbol(doc: &Document, stmt: &Stmt) -> Option<DocumentSymbol> {
    match &stmt.kind {
        StmtKind::Function(f) => {
            let children = f.body.stmts.iter().filter_map(|s| symbol(doc, s)).collect();
            Some(make(
                doc,
                &f.name.text,
                Some(params(&f.params)),
                SymbolKind::FUNCTION,
                f.span,
                f.name.span,
                children,
            ))
        }
        StmtKind::Class(c) => {
            let members = c
                .members
                .iter()
                .map(|m| match &m.kind {
                    MemberKind::Constructor { params: p, .. } => make(
                        doc,
                        "constructor",
                        Some(params(p)),
                        SymbolKind::CONSTRUCTOR,
                        m.span,
                        m.span,
                        vec![],
                    ),
                    MemberKind::Method {
                        name, params: p, ..
                    } => make(
                        doc,
                        &name.text,
                        Some(params(p)),
                        SymbolKind::METHOD,
                        m.span,
                        name.span,
                        vec![],
                    ),
                    MemberKind::Property { name, .. } => make(
                        doc,
                        &format!("${}", name.text),
                        None,
                        SymbolKind::PROPERTY,
                        m.span,
                        name.span,
                        vec![],
                    ),
                })
                .collect();
            Some(make(
                doc,
                &c.name.text,
                None,
                SymbolKind::CLASS,
                c.span,
                c.name.span,
                members,
            ))
        }
        _ => None,
    }
}

/// The functions, classes and methods of a program whose name contains
/// `query` (lower case), as workspace symbols.
#[allow(deprecated)] // `SymbolInformation::deprecated` must be written out.
pub fn flat(uri: &Uri, doc: &Document, program: &Program, query: &str) -> Vec<SymbolInformation> {
    let mut out = Vec::new();
    let mut pending: Vec<(DocumentSymbol, Option<String>)> = outline(doc, program)
        .into_iter()
        .map(|s| (s, None))
        .collect();
    while let Some((symbol, container)) = pending.pop() {
        if let Some(children) = &symbol.children {
            pending.extend(
                children
                    .iter()
                    .map(|c| (c.clone(), Some(symbol.name.clone()))),
            );
        }
        if symbol.name.to_lowercase().contains(query) {
            out.push(SymbolInformation {
                name: symbol.name,
                kind: symbol.kind,
                tags: None,
                deprecated: None,
                location: Location::new(uri.clone(), symbol.selection_range),
                container_name: container,
            });
        }
    }
    out.sort_by_key(|s| {
        (
            s.location.range.start.line,
            s.location.range.start.character,
        )
    });
    out
}

/// Folding ranges: every `{…}`, `[…]` and `(…)` spanning several lines.
pub fn folding(doc: &Document) -> Vec<FoldingRange> {
    let mut open = Vec::new();
    let mut out = Vec::new();
    for (token, span) in Tokens::new(&doc.text) {
        match token {
            Token::LBrace | Token::LBracket | Token::LParen => open.push(span.start as usize),
            Token::RBrace | Token::RBracket | Token::RParen => {
                let Some(start) = open.pop() else { continue };
                let (from, to) = (doc.position(start), doc.position(span.start as usize));
                if to.line > from.line + 1 || (to.line > from.line && to.character > 0) {
                    out.push(FoldingRange {
                        start_line: from.line,
                        end_line: to.line - 1,
                        kind: Some(FoldingRangeKind::Region),
                        ..Default::default()
                    });
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(|r| (r.start_line, r.end_line));
    out
}
