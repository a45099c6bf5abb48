//! Hover text and signature help from the catalog and the file's own
//! declarations.

use hsl_catalog::{Catalog, Function, Hook};
use hsl_syntax::ast::{Param, Program, StmtKind};

/// The word (`name` or `$name`) around a byte offset, with its range.
pub fn word_at(text: &str, offset: usize) -> Option<(&str, usize, usize)> {
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let bytes = text.as_bytes();
    let mut start = offset.min(bytes.len());
    while start > 0 && is_word(bytes[start - 1]) {
        start -= 1;
    }
    if start > 0 && bytes[start - 1] == b'$' {
        start -= 1;
    }
    let mut end = offset.min(bytes.len());
    while end < bytes.len() && is_word(bytes[end]) {
        end += 1;
    }
    (end > start).then(|| (&text[start..end], start, end))
}

fn hooks_line(catalog: &Catalog, name: &str) -> String {
    let hooks = catalog.hooks_with_function(name);
    if hooks.is_empty() {
        "Available in every hook.".to_string()
    } else {
        let names: Vec<&str> = hooks.iter().map(|h| h.as_str()).collect();
        format!("Available in: {}.", names.join(", "))
    }
}

fn function_doc(catalog: &Catalog, f: &Function) -> String {
    let mut out = format!("```hsl\n{}\n```\n", f.signature());
    if !f.description.is_empty() {
        out.push_str(&format!("\n{}\n", f.description));
    }
    if f.terminates {
        out.push_str("\nEnds the script.");
        if let Some(r) = &f.reply {
            out.push_str(&format!(" Default reply: `{r}`."));
        }
        out.push('\n');
    }
    out.push_str(&format!("\n{}", hooks_line(catalog, &f.name)));
    out
}

/// `function name($a, $b = …)` of a user function declared at the top level.
fn user_signature(program: &Program, name: &str) -> Option<String> {
    program.stmts.iter().find_map(|s| match &s.kind {
        StmtKind::Function(f) if f.name.text == name => {
            Some(format!("function {}({})", name, params(&f.params)))
        }
        StmtKind::Class(c) if c.name.text == name => Some(format!("class {name}")),
        _ => None,
    })
}

fn params(list: &[Param]) -> String {
    list.iter()
        .map(|p| {
            let dots = if p.variadic { "..." } else { "" };
            let default = if p.default.is_some() { " = …" } else { "" };
            format!("{dots}${}{default}", p.name.text)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Markdown for the word at the cursor, if it names something known.
pub fn hover(
    word: &str,
    program: &Program,
    catalog: &Catalog,
    hook: Option<Hook>,
) -> Option<String> {
    if let Some(var) = word.strip_prefix('$') {
        let v = catalog.variable(&format!("${var}"), hook)?;
        let access = if v.readonly { "read-only" } else { "writable" };
        let keys: Vec<String> = v
            .keys
            .iter()
            .map(|k| format!("- `{}`: {}", k.name, k.ty))
            .collect();
        let hook_name = hook.map(|h| h.as_str()).unwrap_or("core");
        return Some(format!(
            "`{}`: {} ({access}, predefined in the {hook_name} hook)\n\n{}",
            v.name,
            v.ty,
            keys.join("\n")
        ));
    }
    if let Some(sig) = user_signature(program, word) {
        return Some(format!("```hsl\n{sig}\n```\nDeclared in this file."));
    }
    if let Some(f) = catalog.function(word, hook) {
        return Some(function_doc(catalog, f));
    }
    if let Some(c) = catalog.class(word, hook) {
        let ctor: Vec<String> = c
            .constructor
            .iter()
            .map(|p| format!("{} ${}", p.ty, p.name))
            .collect();
        return Some(format!(
            "```hsl\nclass {}({})\n```\n\n{}",
            c.name,
            ctor.join(", "),
            c.description
        ));
    }
    let other = catalog.hooks_with_function(word);
    let f = other
        .first()
        .and_then(|&h| catalog.function(word, Some(h)))?;
    Some(format!(
        "{}\n\nNot available in this file's context.",
        function_doc(catalog, f)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_calls() {
        assert_eq!(word_at("echo $host;", 7).map(|w| w.0), Some("$host"));
        assert_eq!(word_at("Accept();", 3).map(|w| w.0), Some("Accept"));
    }

    #[test]
    fn hover_knows_hooks() {
        let catalog = Catalog::get(hsl_catalog::HalonVersion::V6);
        let program = hsl_syntax::parse("function mine($a) {}").program;
        let accept = hover("Accept", &program, catalog, Some(Hook::Helo)).unwrap();
        assert!(
            accept.contains("Accept([array $options])") && accept.contains("Ends the script"),
            "{accept}"
        );
        assert!(accept.contains("Available in: connect, helo"), "{accept}");
        let args = hover("$arguments", &program, catalog, Some(Hook::Helo)).unwrap();
        assert!(args.contains("`host`: string"), "{args}");
        assert_eq!(
            hover("mine", &program, catalog, None).unwrap(),
            "```hsl\nfunction mine($a)\n```\nDeclared in this file."
        );
    }
}
