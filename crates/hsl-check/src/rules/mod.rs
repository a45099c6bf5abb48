//! The semantic rules. Each module judges one kind of fact of the
//! [`Model`](crate::model::Model) and has a stable code documented in
//! `CODES.md`.

pub mod argument_count;
pub mod argument_type;
pub mod duplicate;
pub mod legacy_function;
pub mod misplaced_jump;
pub mod not_an_object;
pub mod readonly;
pub mod undefined_variable;
pub mod unknown_function;
pub mod unknown_key;
pub mod unreachable;
pub mod unused;
pub mod wrong_hook;

use crate::env::Env;
use crate::model::Model;
use hsl_catalog::{Function, Hook, Legacy};
use hsl_syntax::{Diagnostic, Severity};

/// The stable codes.
pub mod codes {
    /// Call or reference of a name that does not exist.
    pub const UNKNOWN_FUNCTION: &str = "HSL101";
    /// A context function used in a hook that does not have it.
    pub const WRONG_HOOK: &str = "HSL102";
    /// Too few or too many arguments.
    pub const ARGUMENT_COUNT: &str = "HSL103";
    /// A literal argument of the wrong type.
    pub const ARGUMENT_TYPE: &str = "HSL104";
    /// A predefined variable's key that does not exist.
    pub const UNKNOWN_KEY: &str = "HSL105";
    /// Assignment to a read-only variable.
    pub const READONLY: &str = "HSL106";
    /// Variable read before any assignment.
    pub const UNDEFINED_VARIABLE: &str = "HSL107";
    /// Code after the script or function has ended.
    pub const UNREACHABLE: &str = "HSL108";
    /// `break`/`continue` outside a loop.
    pub const MISPLACED_JUMP: &str = "HSL109";
    /// A function or class declared twice.
    pub const DUPLICATE: &str = "HSL110";
    /// An include or import target that does not exist.
    pub const MISSING_FILE: &str = "HSL111";
    /// Files that include or import each other.
    pub const INCLUDE_CYCLE: &str = "HSL112";
    /// An imported name the module does not define.
    pub const NOT_EXPORTED: &str = "HSL113";
    /// A deprecated or renamed function of an older Halon version.
    pub const LEGACY_FUNCTION: &str = "HSL114";
    /// A variable assigned but never read.
    pub const UNUSED_VARIABLE: &str = "HSL115";
    /// A function never called.
    pub const UNUSED_FUNCTION: &str = "HSL116";
    /// An imported name never used.
    pub const UNUSED_IMPORT: &str = "HSL117";
    /// A method called on a value that has no such method.
    pub const NOT_AN_OBJECT: &str = "HSL118";
    /// A suppression comment names a code that does not exist.
    pub const UNKNOWN_SUPPRESSION: &str = "HSL119";
    /// A malformed `// hsl:` directive.
    pub const BAD_DIRECTIVE: &str = "HSL120";
    /// A hook script no server of `smtpd-app.yaml` uses.
    pub const UNUSED_HOOK: &str = "HSL121";
}

/// A rule's identity.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// Stable code.
    pub code: &'static str,
    /// Kebab-case name, usable in `hsl.toml`.
    pub name: &'static str,
    /// Severity unless configured otherwise.
    pub severity: Severity,
    /// One line for rule lists (SARIF, `hsl explain`).
    pub summary: &'static str,
}

const fn rule(
    code: &'static str,
    name: &'static str,
    severity: Severity,
    summary: &'static str,
) -> Rule {
    Rule {
        code,
        name,
        severity,
        summary,
    }
}

use Severity::{Error, Warning};

/// Every semantic rule.
pub const ALL: &[Rule] = &[
    rule(
        codes::UNKNOWN_FUNCTION,
        "unknown-function",
        Error,
        "call or reference of a name that does not exist",
    ),
    rule(
        codes::WRONG_HOOK,
        "wrong-hook",
        Error,
        "function not available in this hook",
    ),
    rule(
        codes::ARGUMENT_COUNT,
        "argument-count",
        Error,
        "too few or too many arguments",
    ),
    rule(
        codes::ARGUMENT_TYPE,
        "argument-type",
        Error,
        "argument of the wrong type",
    ),
    rule(
        codes::UNKNOWN_KEY,
        "unknown-key",
        Error,
        "unknown key of a predefined variable",
    ),
    rule(
        codes::READONLY,
        "readonly-assignment",
        Error,
        "assignment to a read-only variable",
    ),
    rule(
        codes::UNDEFINED_VARIABLE,
        "undefined-variable",
        Error,
        "variable read before any assignment",
    ),
    rule(
        codes::UNREACHABLE,
        "unreachable-code",
        Warning,
        "code that can never run",
    ),
    rule(
        codes::MISPLACED_JUMP,
        "misplaced-jump",
        Error,
        "break or continue outside a loop",
    ),
    rule(
        codes::DUPLICATE,
        "duplicate-definition",
        Error,
        "function or class declared twice",
    ),
    rule(
        codes::MISSING_FILE,
        "missing-file",
        Error,
        "include or import target not found",
    ),
    rule(
        codes::INCLUDE_CYCLE,
        "include-cycle",
        Error,
        "files include or import each other",
    ),
    rule(
        codes::NOT_EXPORTED,
        "not-exported",
        Error,
        "imported name not defined by the module",
    ),
    rule(
        codes::LEGACY_FUNCTION,
        "legacy-function",
        Warning,
        "deprecated or renamed function",
    ),
    rule(
        codes::UNUSED_VARIABLE,
        "unused-variable",
        Warning,
        "variable assigned but never read",
    ),
    rule(
        codes::UNUSED_FUNCTION,
        "unused-function",
        Warning,
        "function never called",
    ),
    rule(
        codes::UNUSED_IMPORT,
        "unused-import",
        Warning,
        "imported name never used",
    ),
    rule(
        codes::NOT_AN_OBJECT,
        "not-an-object",
        Error,
        "method called on a value without that method",
    ),
    rule(
        codes::UNKNOWN_SUPPRESSION,
        "unknown-suppression",
        Warning,
        "suppression of a code that does not exist",
    ),
    rule(
        codes::BAD_DIRECTIVE,
        "bad-directive",
        Error,
        "malformed `// hsl:` directive",
    ),
    rule(
        codes::UNUSED_HOOK,
        "unused-hook",
        Warning,
        "hook script not used by the configuration",
    ),
];

/// A rule by code or name.
pub fn find(key: &str) -> Option<&'static Rule> {
    ALL.iter()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}

/// The code that `key` names: a syntax or semantic code (any case) or a
/// rule name, spaces around it ignored. An unknown key gets a message with
/// the closest code or name.
pub fn code_for(key: &str) -> Result<&'static str, String> {
    let key = key.trim();
    if let Some(code) = hsl_syntax::codes::ALL
        .iter()
        .find(|c| c.eq_ignore_ascii_case(key))
    {
        return Ok(code);
    }
    if let Some(rule) = find(key) {
        return Ok(rule.code);
    }
    let upper = key.to_ascii_uppercase();
    let known = hsl_syntax::codes::ALL
        .iter()
        .copied()
        .chain(ALL.iter().flat_map(|r| [r.code, r.name]));
    Err(match crate::suggest::closest(&upper, known.clone())
        .or_else(|| crate::suggest::closest(key, known))
    {
        Some(s) => format!("unknown rule `{key}`; did you mean `{s}`?"),
        None => format!("unknown rule `{key}`; rules are codes such as HSL107 or names such as undefined-variable"),
    })
}

/// What a plain name refers to.
pub enum Resolution<'a> {
    /// A function or class of the user (this file, includes, imports).
    User,
    /// A catalog function available here.
    Catalog(&'a Function),
    /// A catalog class available here.
    Class,
    /// A catalog function of other hooks only.
    OtherHooks(Vec<Hook>),
    /// A name of an older Halon version.
    Legacy(Legacy<'a>),
    /// Nothing known.
    Unknown,
}

/// Resolves a called or referenced name in `env`.
pub fn resolve<'a>(env: &'a Env, name: &str, builtin: bool) -> Resolution<'a> {
    if !builtin && (env.user_functions.contains_key(name) || env.user_classes.contains_key(name)) {
        return Resolution::User;
    }
    if let Some(f) = env.catalog.function(name, env.hook) {
        if f.name != name {
            return Resolution::Legacy(env.catalog.legacy(name).unwrap_or(Legacy::Deprecated));
        }
        if env.catalog.legacy(name).is_some() {
            return Resolution::Legacy(Legacy::Deprecated);
        }
        return Resolution::Catalog(f);
    }
    if env.catalog.class(name, env.hook).is_some() {
        return Resolution::Class;
    }
    let hooks = env.catalog.hooks_with_function(name);
    if !hooks.is_empty() {
        return Resolution::OtherHooks(hooks);
    }
    match env.catalog.legacy(name) {
        Some(l) => Resolution::Legacy(l),
        None => Resolution::Unknown,
    }
}

/// Runs every rule over the model.
pub fn check_all(model: &Model, env: &Env, out: &mut Vec<Diagnostic>) {
    unknown_function::check(model, env, out);
    wrong_hook::check(model, env, out);
    legacy_function::check(model, env, out);
    argument_count::check(model, env, out);
    argument_type::check(model, env, out);
    unknown_key::check(model, env, out);
    readonly::check(model, env, out);
    undefined_variable::check(model, env, out);
    unreachable::check(model, out);
    misplaced_jump::check(model, out);
    duplicate::check(model, out);
    unused::check(model, env, out);
    not_an_object::check(model, env, out);
}

/// The calls and bare references of a model as (name, span, builtin).
pub fn names(model: &Model) -> impl Iterator<Item = (&str, hsl_syntax::Span, bool)> {
    model
        .calls
        .iter()
        .map(|c| (c.name.as_str(), c.span, c.builtin))
        .chain(
            model
                .name_refs
                .iter()
                .map(|n| (n.text.as_str(), n.span, false)),
        )
}
