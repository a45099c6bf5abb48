//! Completion items that know the file's hook: its predefined variables and
//! their keys, the functions and classes it has, variables in scope,
//! keywords and statement snippets; only those matching the word being
//! typed, and only the best of them.

use crate::cursor::Site;
use crate::matching;
use hsl_catalog::{Catalog, Class, Function, Hook, Key, Variable};
use hsl_check::model::{self, Decl, Model};
use hsl_syntax::token::Token;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionList, Documentation, InsertTextFormat,
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

/// Something the cursor's site offers, turned into an item only when it is
/// among the answer's best.
enum Candidate<'a> {
    Keyword(&'static str),
    Snippet(&'static (&'static str, &'static str, &'static str)),
    Function(&'a Function),
    Method(&'a Function),
    Class(&'a Class),
    /// A function (or a class) the file declares.
    Declared(&'a str, bool),
    Predefined(&'a Variable),
    /// A variable in scope, with `$`.
    Local(String),
    /// A key, and whether its `"` is already open.
    Key(&'a Key, bool),
}

impl Candidate<'_> {
    fn label(&self) -> &str {
        match self {
            Candidate::Keyword(k) => k,
            Candidate::Snippet((label, ..)) => label,
            Candidate::Function(f) | Candidate::Method(f) => &f.name,
            Candidate::Class(c) => &c.name,
            Candidate::Declared(name, _) => name,
            Candidate::Predefined(v) => &v.name,
            Candidate::Local(name) => name,
            Candidate::Key(k, _) => &k.name,
        }
    }

    fn item(&self) -> CompletionItem {
        let (kind, detail, doc) = match self {
            Candidate::Keyword(_) => (CompletionItemKind::KEYWORD, None, ""),
            Candidate::Snippet((_, detail, body)) => {
                return CompletionItem {
                    insert_text: Some(body.to_string()),
                    insert_text_format: Some(InsertTextFormat::SNIPPET),
                    ..item(self, CompletionItemKind::SNIPPET, Some(detail.to_string()))
                }
            }
            Candidate::Function(f) => (
                CompletionItemKind::FUNCTION,
                Some(f.signature()),
                f.description.as_str(),
            ),
            Candidate::Method(m) => (
                CompletionItemKind::METHOD,
                Some(m.signature()),
                m.description.as_str(),
            ),
            Candidate::Class(c) => (
                CompletionItemKind::CLASS,
                Some("class".into()),
                c.description.as_str(),
            ),
            Candidate::Declared(_, false) => (
                CompletionItemKind::FUNCTION,
                Some("function in this file".into()),
                "",
            ),
            Candidate::Declared(_, true) => (
                CompletionItemKind::CLASS,
                Some("class in this file".into()),
                "",
            ),
            Candidate::Predefined(v) => {
                let access = if v.readonly { "read-only" } else { "writable" };
                let detail = format!("{} ({access}, predefined)", v.ty);
                (CompletionItemKind::VARIABLE, Some(detail), "")
            }
            Candidate::Local(_) => (CompletionItemKind::VARIABLE, None, ""),
            Candidate::Key(k, quoted) => {
                return CompletionItem {
                    insert_text: (!quoted).then(|| format!("\"{}\"", k.name)),
                    ..item(self, CompletionItemKind::FIELD, Some(k.ty.clone()))
                }
            }
        };
        CompletionItem {
            documentation: (!doc.is_empty()).then(|| Documentation::String(doc.to_string())),
            ..item(self, kind, detail)
        }
    }
}

fn item(candidate: &Candidate, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label: candidate.label().to_string(),
        kind: Some(kind),
        detail,
        ..Default::default()
    }
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

/// The answer for `site` in a file of the hooks `hooks` (a shared file
/// offers what any of its includers has), given what the checker knows of
/// the file: the items matching `typed`, the word before the cursor, best
/// first (see [`matching`]).
pub fn answer(
    site: &Site,
    known: &Known,
    catalog: &Catalog,
    hooks: &[Option<Hook>],
    typed: &str,
) -> CompletionList {
    let mut candidates = Vec::new();
    for &hook in hooks {
        offer(&mut candidates, site, known, catalog, hook);
    }
    let (best, is_incomplete) = matching::best(&candidates, typed, Candidate::label);
    CompletionList {
        is_incomplete,
        items: best.into_iter().map(Candidate::item).collect(),
    }
}

/// Adds what `site` offers in hook `hook` to `out`.
fn offer<'a>(
    out: &mut Vec<Candidate<'a>>,
    site: &Site,
    known: &Known<'a>,
    catalog: &'a Catalog,
    hook: Option<Hook>,
) {
    match site {
        Site::Method { variable } => out.extend(
            known
                .model
                .and_then(|m| m.variable_class(variable))
                .map(|c| catalog.methods(c))
                .unwrap_or_default()
                .into_iter()
                .map(Candidate::Method),
        ),
        Site::Variable => {
            out.extend(catalog.variables(hook).map(Candidate::Predefined));
            let visible = known.model.map(|m| m.visible_at(known.offset).names());
            out.extend(
                visible
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|v| catalog.predefined(v, hook).is_none())
                    .map(|v| Candidate::Local(format!("${v}"))),
            );
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
            out.extend(
                keys.unwrap_or_default()
                    .iter()
                    .map(|k| Candidate::Key(k, *quoted)),
            );
        }
        Site::Nothing => {}
        Site::Name => {
            out.extend(Token::KEYWORDS.iter().copied().map(Candidate::Keyword));
            out.extend(SNIPPETS.iter().map(Candidate::Snippet));
            out.extend(catalog.functions(hook).map(Candidate::Function));
            out.extend(catalog.classes(hook).map(Candidate::Class));
            out.extend(model::functions(known.declared).map(|f| Candidate::Declared(f, false)));
            out.extend(model::classes(known.declared).map(|c| Candidate::Declared(c, true)));
        }
    }
}
