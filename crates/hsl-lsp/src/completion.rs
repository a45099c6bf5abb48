//! Completion items that know the file's hook: its predefined variables and
//! their keys, the functions and classes it has, variables in scope,
//! keywords and statement snippets.

use crate::cursor::Site;
use hsl_catalog::{Catalog, Hook};
use hsl_check::model::{self, Decl, Model};
use hsl_syntax::token::Token;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, Documentation, InsertTextFormat,
};

/// Statement snippets: label, detail, body (LSP snippet syntax).
const SNIPPETS: &[(&str, &str, &str)] = &[
    ("if", "if (…) { … }", "if ($1) {\n\t$0\n}"),
    (
        "ifelse",
        "if (…) { … } else { … }",
        "if ($1) {\n\t$2\n} else {\n\t$0\n}",
    ),
    (
        "foreach",
        "foreach (… as $v) { … }",
        "foreach ($1 as \\$${2:value}) {\n\t$0\n}",
    ),
    (
        "foreachkv",
        "foreach (… as $k => $v) { … }",
        "foreach ($1 as \\$${2:key} => \\$${3:value}) {\n\t$0\n}",
    ),
    (
        "for",
        "for (…; …; …) { … }",
        "for (\\$${1:i} = 0; \\$$1 < $2; \\$$1++) {\n\t$0\n}",
    ),
    ("while", "while (…) { … }", "while ($1) {\n\t$0\n}"),
    (
        "switch",
        "switch (…) { case …: }",
        "switch ($1) {\n\tcase $2:\n\t\t$0\n\tbreak;\n\tdefault:\n\tbreak;\n}",
    ),
    (
        "try",
        "try { … } catch ($e) { … }",
        "try {\n\t$1\n} catch (\\$${2:e}) {\n\t$0\n}",
    ),
    (
        "function",
        "function name(…) { … }",
        "function ${1:name}($2) {\n\t$0\n}",
    ),
    (
        "class",
        "class Name { constructor … }",
        "class ${1:Name}\n{\n\tconstructor($2) {\n\t\t$0\n\t}\n}",
    ),
    (
        "match",
        "match (…) { … => … }",
        "match ($1) {\n\t$2 => $3,\n\tdefault => $0\n}",
    ),
];

fn item(label: String, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label,
        kind: Some(kind),
        detail,
        ..Default::default()
    }
}

fn documented(mut item: CompletionItem, doc: &str) -> CompletionItem {
    if !doc.is_empty() {
        item.documentation = Some(Documentation::String(doc.to_string()));
    }
    item
}

/// What the checker knows of the file around the cursor.
pub struct Known<'a> {
    /// The functions and classes the file declares.
    pub declared: &'a [Decl],
    /// The file's model (asked for variables and methods).
    pub model: Option<&'a Model>,
    /// The cursor's byte offset.
    pub offset: usize,
}

/// Completion items for `site` in a file of hook `hook`, given what the
/// checker knows of the file.
pub fn items(
    site: &Site,
    known: &Known,
    catalog: &Catalog,
    hook: Option<Hook>,
) -> Vec<CompletionItem> {
    match site {
        Site::Method { variable } => known
            .model
            .and_then(|m| m.variable_class(variable))
            .map(|c| catalog.methods(c))
            .unwrap_or_default()
            .into_iter()
            .map(|m| {
                documented(
                    item(
                        m.name.clone(),
                        CompletionItemKind::METHOD,
                        Some(m.signature()),
                    ),
                    &m.description,
                )
            })
            .collect(),
        Site::Variable => {
            let mut out: Vec<CompletionItem> = catalog
                .variables(hook)
                .map(|v| {
                    let access = if v.readonly { "read-only" } else { "writable" };
                    item(
                        v.name.clone(),
                        CompletionItemKind::VARIABLE,
                        Some(format!("{} ({access}, predefined)", v.ty)),
                    )
                })
                .collect();
            out.extend(
                known
                    .model
                    .map(|m| m.visible_at(known.offset).names())
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|v| catalog.variable(&format!("${v}"), hook).is_none())
                    .map(|v| item(format!("${v}"), CompletionItemKind::VARIABLE, None)),
            );
            out
        }
        Site::Key {
            variable,
            path,
            quoted,
        } => {
            let keys = if path.is_empty() {
                catalog.variable(variable, hook).map(|v| v.keys.as_slice())
            } else {
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                catalog
                    .variable_key(hook, variable, &path)
                    .map(|k| k.keys.as_slice())
            };
            keys.unwrap_or_default()
                .iter()
                .map(|k| {
                    let mut i = item(
                        k.name.clone(),
                        CompletionItemKind::FIELD,
                        Some(k.ty.clone()),
                    );
                    if !*quoted {
                        i.insert_text = Some(format!("\"{}\"", k.name));
                    }
                    i
                })
                .collect()
        }
        Site::Nothing => Vec::new(),
        Site::Name => {
            let mut out: Vec<CompletionItem> = Token::KEYWORDS
                .iter()
                .map(|k| item(k.to_string(), CompletionItemKind::KEYWORD, None))
                .collect();
            out.extend(SNIPPETS.iter().map(|(label, detail, body)| CompletionItem {
                label: label.to_string(),
                kind: Some(CompletionItemKind::SNIPPET),
                detail: Some(detail.to_string()),
                insert_text: Some(body.to_string()),
                insert_text_format: Some(InsertTextFormat::SNIPPET),
                ..Default::default()
            }));
            out.extend(catalog.functions(hook).map(|f| {
                documented(
                    item(
                        f.name.clone(),
                        CompletionItemKind::FUNCTION,
                        Some(f.signature()),
                    ),
                    &f.description,
                )
            }));
            out.extend(catalog.classes(hook).map(|c| {
                documented(
                    item(
                        c.name.clone(),
                        CompletionItemKind::CLASS,
                        Some("class".into()),
                    ),
                    &c.description,
                )
            }));
            out.extend(model::functions(known.declared).map(|f| {
                item(
                    f.to_string(),
                    CompletionItemKind::FUNCTION,
                    Some("function in this file".into()),
                )
            }));
            out.extend(model::classes(known.declared).map(|c| {
                item(
                    c.to_string(),
                    CompletionItemKind::CLASS,
                    Some("class in this file".into()),
                )
            }));
            out
        }
    }
}
