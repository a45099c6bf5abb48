//! Document symbols: the outline of functions, classes and their members.

use crate::document::Document;
use hsl_syntax::ast::{MemberKind, Program, Stmt, StmtKind};
use tower_lsp_server::ls_types::{DocumentSymbol, SymbolKind};

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
