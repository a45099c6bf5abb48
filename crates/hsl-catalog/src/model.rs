//! The shape of the catalog data files (`data/*.yaml`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn is_false(b: &bool) -> bool {
    !*b
}

/// A parameter of a function, method or constructor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// Name without `$`.
    pub name: String,
    /// Documented type, e.g. `string or array`.
    #[serde(rename = "type")]
    pub ty: String,
    /// May be left out.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    /// Default value as written in the documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `...$name`: takes any number of arguments.
    #[serde(default, skip_serializing_if = "is_false")]
    pub variadic: bool,
}

/// A function (core, context, method or legacy).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// Name.
    pub name: String,
    /// Parameters in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Param>,
    /// Documented return type (`none` when it returns nothing).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub returns: String,
    /// One-line description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Calling it ends the script (a verdict such as `Accept()`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub terminates: bool,
    /// Default SMTP reply of a verdict, with the page that documents it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
    /// Keys of its options array, with their types (nested keys for
    /// arrays such as `reply_codes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Key>,
    /// The documentation of this version does not list every option key:
    /// unknown keys are not errors.
    #[serde(default, skip_serializing_if = "is_false")]
    pub options_open: bool,
    /// A static method (classes only).
    #[serde(default, rename = "static", skip_serializing_if = "is_false")]
    pub is_static: bool,
}

/// The default reply of a verdict: SMTP code, enhanced status code when
/// documented, whether the server then closes the connection, and where
/// this is documented.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    /// SMTP reply code, e.g. 554.
    pub code: u16,
    /// Enhanced status code (RFC 3463), e.g. `[5, 7, 1]`; `None` where no
    /// page documents one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enhanced: Option<[u8; 3]>,
    /// The connection is closed after the reply (421 and 521).
    #[serde(default, skip_serializing_if = "is_false")]
    pub closes: bool,
    /// Where the code is documented.
    pub source: Source,
}

/// The page that documents a fact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The document and its version, e.g. `Halon 5.2` or `RFC 5321`.
    pub document: String,
    /// The page or section, e.g. `mailfrom.rst` or `§4.2.3`.
    pub page: String,
    /// What on the page states it: the function's own text, the page's
    /// introduction, an option's default, or the protocol.
    pub basis: String,
}

impl std::fmt::Display for Reply {
    /// `554`, or `550 5.7.1` when an enhanced code is documented.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.code)?;
        if let Some([a, b, c]) = self.enhanced {
            write!(f, " {a}.{b}.{c}")?;
        }
        Ok(())
    }
}

/// A class: constructor and methods.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Class {
    /// Name.
    pub name: String,
    /// One-line description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The class whose methods it also has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Constructor parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constructor: Vec<Param>,
    /// Methods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<Function>,
}

/// A key of a predefined array variable, with its own sub-keys.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Key {
    /// Key name.
    pub name: String,
    /// Documented type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Nested keys when the value is an array.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<Key>,
}

/// A predefined variable of a hook.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    /// Name including `$`.
    pub name: String,
    /// Documented type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Scripts may not assign to it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub readonly: bool,
    /// Known keys when the value is an array.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<Key>,
}

/// One hook context.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookData {
    /// When it runs.
    pub description: String,
    /// The verdict applied when the script ends without one.
    pub implicit: String,
    /// What happens when the script fails.
    pub on_error: String,
    /// Predefined variables.
    #[serde(default)]
    pub variables: Vec<Variable>,
    /// Functions only this hook has.
    #[serde(default)]
    pub functions: Vec<Function>,
    /// Classes only this hook has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<Class>,
}

/// Functions and classes available in every context.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoreData {
    /// Core functions.
    pub functions: Vec<Function>,
    /// Core classes.
    pub classes: Vec<Class>,
}

/// A 5.x name that is an alias of a current function.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    /// The old name.
    pub name: String,
    /// The current function it stands for.
    pub replacement: String,
    /// What differs from the current function (e.g. argument order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The first two arguments come in the other order than the
    /// replacement's (`explode(delimiter, string)`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub swapped: bool,
}

/// One hook context as an older Halon version documents it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookLayer {
    /// Predefined variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<Variable>,
    /// Functions only this hook has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<Function>,
    /// Classes only this hook has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<Class>,
}

/// What an older Halon version (4.x or 5.x) offers: its own core library
/// and, per hook it documents, the hook's names.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Core functions and classes of that version.
    pub core: CoreData,
    /// Per hook name: its variables, functions and classes.
    pub hooks: BTreeMap<String, HookLayer>,
}

/// Names of Halon 5.x that later versions still accept or flag.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegacyData {
    /// 5.x aliases of current functions (gone in 6.x).
    pub aliases: Vec<Alias>,
    /// Functions deprecated in 5.x and removed in 6.x.
    pub deprecated: Vec<Function>,
}
