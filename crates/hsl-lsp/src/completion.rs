//! Completion items: variables in scope after `$`, otherwise keywords,
//! statement snippets and the file's own functions and classes.

use crate::scope::Visible;
use tower_lsp_server::ls_types::{CompletionItem, CompletionItemKind, InsertTextFormat};

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

/// Reserved words offered as plain completions.
const KEYWORDS: &[&str] = &[
    "and",
    "array",
    "as",
    "barrier",
    "break",
    "builtin",
    "cache",
    "case",
    "catch",
    "class",
    "closure",
    "constructor",
    "continue",
    "default",
    "echo",
    "else",
    "false",
    "for",
    "foreach",
    "forever",
    "from",
    "function",
    "global",
    "if",
    "import",
    "include",
    "include_once",
    "isset",
    "match",
    "none",
    "not",
    "or",
    "private",
    "readonly",
    "return",
    "static",
    "switch",
    "throw",
    "true",
    "try",
    "unset",
    "while",
    "with",
];

/// What the cursor is completing.
#[derive(Debug, PartialEq, Eq)]
pub enum Site {
    /// A variable name after `$`.
    Variable,
    /// A name at statement or expression position.
    Name,
}

/// Classifies the cursor position from the text before it.
pub fn site(before: &str) -> Site {
    let word = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(before, |i| &before[i..]);
    if word.starts_with('$') {
        Site::Variable
    } else {
        Site::Name
    }
}

fn item(label: String, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label,
        kind: Some(kind),
        detail,
        ..Default::default()
    }
}

/// Completion items for `site` given what is visible.
pub fn items(site: Site, visible: &Visible) -> Vec<CompletionItem> {
    match site {
        Site::Variable => visible
            .variables
            .iter()
            .map(|v| item(format!("${v}"), CompletionItemKind::VARIABLE, None))
            .collect(),
        Site::Name => {
            let mut out: Vec<CompletionItem> = KEYWORDS
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
            out.extend(visible.functions.iter().map(|f| {
                item(
                    f.clone(),
                    CompletionItemKind::FUNCTION,
                    Some("function in this file".into()),
                )
            }));
            out.extend(visible.classes.iter().map(|c| {
                item(
                    c.clone(),
                    CompletionItemKind::CLASS,
                    Some("class in this file".into()),
                )
            }));
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites() {
        assert_eq!(site("echo $na"), Site::Variable);
        assert_eq!(site("echo $"), Site::Variable);
        assert_eq!(site("  Acc"), Site::Name);
        assert_eq!(site(""), Site::Name);
    }
}
