//! The semantic rules. Each module is one rule: its code, name, default
//! severity, summary, documentation and check of the facts of the
//! [`Model`]. [`ALL`] lists them; it drives checking, the SARIF rule
//! descriptions, `hsl explain` and `CODES.md` (see [`docs`]).

pub mod argument_count;
pub mod argument_type;
pub mod bad_directive;
pub mod duplicate;
mod fixes;
pub mod include_cycle;
pub mod legacy_function;
pub mod malformed_config;
pub mod misplaced_jump;
pub mod missing_file;
pub mod not_an_object;
pub mod not_exported;
pub mod option_key;
pub mod readonly;
pub mod undefined_variable;
pub mod unknown_function;
pub mod unknown_key;
pub mod unknown_suppression;
pub mod unreachable;
pub mod unused_function;
pub mod unused_hook;
pub mod unused_import;
pub mod unused_variable;
pub mod wrong_hook;

use crate::env::Env;
use crate::model::Model;
use hsl_catalog::{Function, Hook, Legacy};
use hsl_syntax::ast::Program;
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
    /// A malformed `smtpd.yaml`, `smtpd-app.yaml` or plugin declaration file.
    pub const MALFORMED_CONFIG: &str = "HSL122";
    /// A key of a literal options array that the function does not document.
    pub const UNKNOWN_OPTION: &str = "HSL130";
}

/// What a rule's check looks at: one file in one context.
pub struct Input<'a> {
    /// The file's text.
    pub source: &'a str,
    /// The file's syntax tree.
    pub program: &'a Program,
    /// The facts of its walk.
    pub model: &'a Model,
    /// What it can see (hook, catalog, includes, imports).
    pub env: &'a Env,
    /// What each of the model's [`names`] resolves to, once a rule asks
    /// (see [`Input::resolved_names`]).
    pub(crate) resolved: std::cell::OnceCell<Vec<Resolution<'a>>>,
}

impl<'a> Input<'a> {
    /// The file's `model` and `env`, with its `source` and `program`.
    pub fn new(source: &'a str, program: &'a Program, model: &'a Model, env: &'a Env) -> Self {
        Input {
            source,
            program,
            model,
            env,
            resolved: std::cell::OnceCell::new(),
        }
    }

    /// Each name the model calls or references ([`names`]), with what it
    /// resolves to ([`resolve`]); resolved once for all the rules.
    pub fn resolved_names(
        &self,
    ) -> impl Iterator<Item = ((&'a str, hsl_syntax::Span, bool), &Resolution<'a>)> {
        let resolved = self.resolved.get_or_init(|| {
            names(self.model)
                .map(|(name, _, builtin)| resolve(self.env, name, builtin))
                .collect()
        });
        names(self.model).zip(resolved)
    }
}

/// A rule's check: adds its findings to the list.
pub type Check = fn(&Input, &mut Vec<Diagnostic>);

/// A rule: identity, documentation and check.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// Stable code.
    pub code: &'static str,
    /// Kebab-case name, usable in `hsl.toml` and `--select`/`--ignore`.
    pub name: &'static str,
    /// Severity unless configured otherwise.
    pub severity: Severity,
    /// One line for rule lists and titles (SARIF, `hsl explain`).
    pub summary: &'static str,
    /// Markdown: what it finds, a wrong example and the fix.
    pub doc: &'static str,
    /// The check over the model, or `None` for rules found while the
    /// environment is built (includes, imports, directives, suppressions,
    /// the workspace configuration).
    pub check: Option<Check>,
}

/// The calls of catalog functions by their current name, with the function:
/// not spread calls, not user functions of that name, and not old names,
/// whose arguments may come in another order.
fn catalog_calls<'a>(
    input: &'a Input,
) -> impl Iterator<Item = (&'a crate::model::Call, &'a hsl_catalog::Function)> + 'a {
    let (model, env) = (input.model, input.env);
    model
        .calls
        .iter()
        .filter(|c| !c.spread)
        .filter_map(move |call| {
            if env.user_functions.contains_key(&*call.name) && !call.builtin {
                return None;
            }
            let f = env.catalog.function(&call.name, env.hook)?;
            (*f.name == *call.name).then_some((call, f))
        })
}

/// Every semantic rule, in code order.
pub const ALL: &[Rule] = &[
    unknown_function::RULE,
    wrong_hook::RULE,
    argument_count::RULE,
    argument_type::RULE,
    unknown_key::RULE,
    readonly::RULE,
    undefined_variable::RULE,
    unreachable::RULE,
    misplaced_jump::RULE,
    duplicate::RULE,
    missing_file::RULE,
    include_cycle::RULE,
    not_exported::RULE,
    legacy_function::RULE,
    unused_variable::RULE,
    unused_function::RULE,
    unused_import::RULE,
    not_an_object::RULE,
    unknown_suppression::RULE,
    bad_directive::RULE,
    unused_hook::RULE,
    malformed_config::RULE,
    option_key::RULE,
];

/// The rules whose diagnostics carry fixes, with what `hsl check --fix`
/// (safe) and `--unsafe-fixes` apply, for the documentation.
const FIXES: &[(&str, &str)] = &[
    (
        codes::UNKNOWN_FUNCTION,
        "the suggested name (safe when it is the only one within reach), `none` for `null`",
    ),
    (
        codes::UNKNOWN_KEY,
        "the suggested key (safe when it is the only one within reach)",
    ),
    (
        codes::UNDEFINED_VARIABLE,
        "the suggested name (safe when it is the only one within reach)",
    ),
    (
        codes::LEGACY_FUNCTION,
        "the current name of a renamed function, arguments reordered where they differ (safe)",
    ),
    (
        codes::UNUSED_VARIABLE,
        "removes the assignment statement (unsafe: its value may have effects)",
    ),
    (
        codes::UNUSED_IMPORT,
        "removes the name, or the import with its last name (unsafe)",
    ),
    (
        codes::BAD_DIRECTIVE,
        "the suggested hook of the directive (safe when it is the only one within reach)",
    ),
    (
        codes::UNKNOWN_OPTION,
        "the suggested option key (safe when it is the only one within reach)",
    ),
];

/// The introduction of `CODES.md`.
const DOCS_INTRO: &str = "# Semantic diagnostics

Found by `hsl check` once a file parses, using what the file's hook provides
(see the hook rules in the README). Levels can be changed per rule in
`hsl.toml` (by code or name); a line can be silenced with `// hsl-ignore CODE`.
Rules with an automatic fix say so: `hsl check --fix` applies the safe ones,
`--unsafe-fixes` also the others, and editors offer them as quick fixes.
";

/// The documentation of every rule as Markdown, one `## HSLnnn` section
/// each: the content of `CODES.md`.
pub fn docs() -> String {
    let mut out = DOCS_INTRO.to_string();
    for rule in ALL {
        let fix = FIXES
            .iter()
            .find(|(code, _)| *code == rule.code)
            .map(|(_, what)| format!("\nAutomatic fix: {what}."))
            .unwrap_or_default();
        out.push_str(&format!(
            "\n## {} — {}\n\nName: `{}`. Default: {}.{fix}\n\n{}",
            rule.code,
            rule.summary,
            rule.name,
            match rule.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "note",
            },
            rule.doc
        ));
    }
    out
}

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
    Err(match hsl_syntax::suggest::closest(&upper, known.clone())
        .or_else(|| hsl_syntax::suggest::closest(key, known))
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
    if let (true, Some(&first)) = (env.any_hook, hooks.first()) {
        // A file no hook reaches may be meant for any of them.
        if let Some(f) = env.catalog.function(name, Some(first)) {
            return Resolution::Catalog(f);
        }
    }
    if !hooks.is_empty() {
        return Resolution::OtherHooks(hooks);
    }
    match env.catalog.legacy(name) {
        Some(l) => Resolution::Legacy(l),
        // It may be declared by the include that could not be read.
        None if env.incomplete => Resolution::User,
        None => Resolution::Unknown,
    }
}

/// The rules that judge the whole file (declarations against every use
/// in it) rather than each fact on its own.
const WHOLE_FILE: [&str; 3] = [
    codes::DUPLICATE,
    codes::UNUSED_FUNCTION,
    codes::UNUSED_IMPORT,
];

/// Runs the rules that judge each fact of the model on its own: on a
/// part ([`crate::model::Part`]) they find what they find in the file.
pub fn check_facts(input: &Input, out: &mut Vec<Diagnostic>) {
    let facts = ALL.iter().filter(|r| !WHOLE_FILE.contains(&r.code));
    for check in facts.filter_map(|r| r.check) {
        check(input, out);
    }
}

/// Runs the rules that judge the whole file, on the model of the file.
pub fn check_file(input: &Input, out: &mut Vec<Diagnostic>) {
    let file = ALL.iter().filter(|r| WHOLE_FILE.contains(&r.code));
    for check in file.filter_map(|r| r.check) {
        check(input, out);
    }
}

/// The calls and bare references of a model as (name, span, builtin).
pub fn names(model: &Model) -> impl Iterator<Item = (&str, hsl_syntax::Span, bool)> + '_ {
    model
        .calls
        .iter()
        .map(|c| (&*c.name, c.span, c.builtin))
        .chain(
            model
                .name_refs
                .iter()
                .map(|n| (n.text.as_str(), n.span, false)),
        )
}
