//! What may be renamed, and the checked new name.

use crate::server::Symbol;
use hsl_catalog::{Catalog, Hook};
use hsl_syntax::token::Token;

/// Why `word` cannot be renamed: a predefined variable, a built-in function
/// or class, or a reserved word.
pub fn refusal(word: &str, catalog: &Catalog, hooks: &[Option<Hook>]) -> Option<String> {
    if word.starts_with('$') {
        return hooks
            .iter()
            .any(|&h| catalog.variable(word, h).is_some())
            .then(|| format!("`{word}` is a predefined variable and cannot be renamed"));
    }
    if Token::KEYWORDS.contains(&word) {
        return Some(format!("`{word}` is a reserved word"));
    }
    let builtin = hooks
        .iter()
        .any(|&h| catalog.function(word, h).is_some() || catalog.class(word, h).is_some())
        || !catalog.hooks_with_function(word).is_empty();
    builtin.then(|| format!("`{word}` is built in and cannot be renamed"))
}

/// The text replacing each occurrence of `symbol`, from the name the user
/// typed (a variable's `$` is optional).
pub fn new_name(symbol: &Symbol, typed: &str) -> Result<String, String> {
    let name = match symbol {
        Symbol::Variable => typed.strip_prefix('$').unwrap_or(typed),
        Symbol::Declared => typed,
    };
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(format!("`{typed}` is not a valid name"));
    }
    match symbol {
        Symbol::Variable => Ok(format!("${name}")),
        Symbol::Declared if Token::KEYWORDS.contains(&name) => {
            Err(format!("`{name}` is a reserved word"))
        }
        Symbol::Declared => Ok(name.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_and_predefined_variables_are_refused() {
        let catalog = Catalog::get(hsl_catalog::HalonVersion::V6);
        let helo = [Some(Hook::Helo)];
        assert!(refusal("$arguments", catalog, &helo).is_some());
        assert!(refusal("Accept", catalog, &helo).is_some());
        assert!(
            refusal("Try", catalog, &helo).is_some(),
            "built in elsewhere"
        );
        assert!(refusal("while", catalog, &helo).is_some());
        assert_eq!(refusal("$mine", catalog, &helo), None);
        assert_eq!(refusal("my_check", catalog, &helo), None);
    }

    #[test]
    fn new_names_are_checked() {
        let var = Symbol::Variable;
        let fun = Symbol::Declared;
        assert_eq!(new_name(&var, "$b").unwrap(), "$b");
        assert_eq!(new_name(&var, "b").unwrap(), "$b");
        assert_eq!(new_name(&fun, "g_2").unwrap(), "g_2");
        assert!(new_name(&fun, "2g").is_err());
        assert!(new_name(&fun, "if").is_err());
        assert!(new_name(&var, "a b").is_err());
    }
}
