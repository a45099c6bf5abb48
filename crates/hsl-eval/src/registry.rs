//! The core library as tables. Each family lists the functions it
//! implements; the catalog (Halon's own function list) is the one
//! signature of each: [`Registry::call`] checks the argument count and the
//! type of every argument against it before the family runs, so a family
//! reads its arguments without counting them again.

use crate::builtins::{Family, R};
use crate::interp::{error, Interpreter};
use crate::value::Value;
use hsl_catalog::{Catalog, Kind, Type};
use hsl_syntax::Span;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The functions one family implements and the function that runs them.
pub(crate) struct Table {
    /// Function (or class constructor) names.
    pub(crate) names: &'static [&'static str],
    /// Runs any of them; answers `None` for a name it does not own.
    pub(crate) call: Family,
}

/// Every family of the core library.
const TABLES: &[Table] = &[
    crate::builtins::TABLE,
    crate::strings::TABLE,
    crate::arrays::TABLE,
    crate::time::TABLE,
    crate::pack::TABLE,
    crate::memory::TABLE,
    crate::mail::TABLE,
    crate::encoding::TABLE,
    crate::compress::TABLE,
    crate::csv::TABLE,
    crate::yaml::TABLE,
    crate::mimeword::TABLE,
    crate::address::TABLE,
    crate::dkim::TABLE,
    crate::url::TABLE,
    crate::domain::TABLE,
    crate::net::TABLE,
    crate::crypto::TABLE,
];

/// A function's signature as the catalog gives it.
#[derive(Debug)]
pub(crate) struct Signature {
    /// Fewest arguments.
    pub(crate) min: usize,
    /// Most arguments (`None`: variadic).
    pub(crate) max: Option<usize>,
    /// Parameter names, documented types and accepted kinds, in order (a
    /// variadic parameter last).
    params: Vec<(String, String, Type)>,
}

impl Signature {
    fn new(params: &[hsl_catalog::Param]) -> Signature {
        Signature {
            min: params.iter().filter(|p| !p.optional && !p.variadic).count(),
            max: (!params.iter().any(|p| p.variadic)).then_some(params.len()),
            params: params
                .iter()
                .map(|p| (p.name.clone(), p.ty.clone(), Type::parse(&p.ty)))
                .collect(),
        }
    }

    /// The catalog signature of function or class `name`, if it has one.
    pub(crate) fn of(name: &str) -> Option<Signature> {
        let catalog = Catalog::get(Default::default());
        if let Some(f) = catalog.function(name, None).filter(|f| f.name == name) {
            return Some(Signature::new(&f.params));
        }
        catalog
            .any_class(name)
            .map(|c| Signature::new(&c.constructor))
    }

    /// The argument checks of every call: count first, then the type of
    /// each argument (`none` passes for an optional parameter, as "not
    /// given").
    fn check(&self, name: &str, args: &[Value], span: Span) -> R<()> {
        count(name, args.len(), self.min, self.max, span)?;
        for (i, arg) in args.iter().enumerate() {
            let Some((param, text, ty)) = self.params.get(i).or(self.params.last()) else {
                break;
            };
            let kind = kind(arg);
            let omitted = kind == Kind::None && i >= self.min;
            if !omitted && !ty.admits(kind) {
                let expected = match ty.single() {
                    Some(Kind::Array) if param == "options" => "an options array".to_string(),
                    Some(k @ Kind::Array) => format!("an {}", k.as_str()),
                    Some(Kind::Object) => format!("a {text}"),
                    Some(k) => format!("a {}", k.as_str()),
                    None => text.clone(),
                };
                return error(
                    span,
                    format!("{name}() expects {expected}, not {}", kind.as_str()),
                );
            }
        }
        Ok(())
    }
}

/// Fails unless `given` arguments fit between `min` and `max` (`None`: no most).
pub(crate) fn count(name: &str, given: usize, min: usize, max: Option<usize>, span: Span) -> R<()> {
    if given >= min && max.is_none_or(|max| given <= max) {
        return Ok(());
    }
    let expected = match (min, max) {
        (1, Some(1)) => "1 argument".to_string(),
        (a, Some(b)) if a == b => format!("{a} arguments"),
        (a, Some(b)) => format!("{a} to {b} arguments"),
        (1, None) => "at least 1 argument".to_string(),
        (a, None) => format!("at least {a} arguments"),
    };
    error(span, format!("{name}() takes {expected}, {given} given"))
}

/// The kind of a value as the catalog's types name it.
fn kind(v: &Value) -> Kind {
    match v {
        Value::None => Kind::None,
        Value::Bool(_) => Kind::Boolean,
        Value::Number(_) => Kind::Number,
        Value::Str(_) => Kind::String,
        Value::Array(_) => Kind::Array,
        Value::Function(_) => Kind::Function,
        _ => Kind::Object,
    }
}

/// One implemented function: its family and its signature.
pub(crate) struct Entry {
    family: Family,
    /// `None` only for names the catalog does not know (a test keeps this empty).
    pub(crate) signature: Option<Signature>,
}

/// Every implemented function by name.
pub(crate) fn entries() -> &'static HashMap<&'static str, Entry> {
    static ENTRIES: OnceLock<HashMap<&'static str, Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        TABLES
            .iter()
            .flat_map(|t| t.names.iter().map(move |n| (*n, t.call)))
            .map(|(name, family)| {
                let signature = Signature::of(name);
                (name, Entry { family, signature })
            })
            .collect()
    })
}

/// Runs the implemented function `name` after checking its arguments
/// against its signature; `None` when no family implements it.
pub(crate) fn call(
    it: &mut Interpreter,
    name: &str,
    args: &[Value],
    span: Span,
) -> Option<R<Value>> {
    let entry = entries().get(name)?;
    if let Some(signature) = &entry.signature {
        if let Err(e) = signature.check(name, args, span) {
            return Some(Err(e));
        }
    }
    (entry.family)(it, name, args, span)
}

/// Core functions and classes `hsl run` does not implement: EC keys,
/// CMS/PKCS#7, X.509 and the foreign-function interface.
pub(crate) const NOT_IMPLEMENTED: &[&str] = &[
    "ec_privatekey",
    "is_ec_privatekey",
    "pkcs7_sign",
    "cms_sign",
    "cms_verify",
    "cms_encrypt",
    "cms_decrypt",
    "FFIFunction",
    "FFI",
    "X509",
    "X509CRL",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Catalog functions that are syntax, evaluated by the interpreter itself.
    const SYNTAX: &[&str] = &["array", "isset", "unset"];

    fn run(source: &str) -> Result<(), String> {
        crate::run_source(source, "t.hsl", &Default::default(), &mut |_| {}).map_err(|e| e.message)
    }

    /// An argument list of `n` values, each of the kind parameter `i` takes.
    fn arguments(signature: &Signature, n: usize) -> String {
        (0..n)
            .map(|i| {
                let ty = signature.params.get(i).or(signature.params.last());
                match ty.and_then(|(_, _, t)| t.kinds.as_ref()?.first().copied()) {
                    Some(Kind::Number) => "1",
                    Some(Kind::Array) => "[]",
                    Some(Kind::Boolean) => "true",
                    Some(Kind::Function) => "function () {}",
                    Some(Kind::None) => "none",
                    _ => "\"x\"",
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    #[test]
    fn every_catalog_function_is_implemented_answered_by_the_world_or_listed() {
        let catalog = Catalog::get(Default::default());
        let names = catalog
            .functions(None)
            .map(|f| f.name.as_str())
            .chain(catalog.classes(None).map(|c| c.name.as_str()));
        let missing: Vec<&str> = names
            .filter(|n| {
                !entries().contains_key(n)
                    && !crate::stubs::WORLD.contains(n)
                    && !NOT_IMPLEMENTED.contains(n)
                    && !SYNTAX.contains(n)
            })
            .collect();
        assert!(
            missing.is_empty(),
            "neither implemented nor listed: {missing:?}"
        );
        for name in NOT_IMPLEMENTED.iter().chain(crate::stubs::WORLD) {
            assert!(!entries().contains_key(name), "{name} is implemented");
            let known = catalog.function(name, None).is_some() || catalog.any_class(name).is_some();
            assert!(known, "{name} is not in the catalog");
        }
    }

    #[test]
    fn checker_and_interpreter_agree_on_every_argument_count() {
        let catalog = Catalog::get(Default::default());
        for (name, entry) in entries() {
            let signature = entry
                .signature
                .as_ref()
                .unwrap_or_else(|| panic!("{name} has no catalog signature"));
            // The checker counts with the catalog's own `min_args`/`max_args`.
            let (min, max) = match catalog.function(name, None).filter(|f| f.name == *name) {
                Some(f) => (f.min_args(), f.max_args()),
                None => {
                    let c = catalog.any_class(name).expect("a class");
                    let f = hsl_catalog::Function {
                        name: c.name.clone(),
                        params: c.constructor.clone(),
                        ..Default::default()
                    };
                    (f.min_args(), f.max_args())
                }
            };
            assert_eq!((signature.min, signature.max), (min, max), "{name}");
            let takes = |n: usize| {
                let message = run(&format!("{name}({});", arguments(signature, n)))
                    .err()
                    .unwrap_or_default();
                message.contains(&format!("{name}() takes"))
            };
            if min > 0 {
                assert!(takes(min - 1), "{name}() with {} arguments", min - 1);
            }
            if let Some(max) = max {
                assert!(takes(max + 1), "{name}() with {} arguments", max + 1);
            }
            assert!(!takes(min), "{name}() with {min} arguments");
        }
    }

    #[test]
    fn disagreements_fixed_on_the_interpreter_side() {
        assert_eq!(run(r#"echo json_decode("[1]", []);"#), Ok(()));
        assert_eq!(
            run(r#"sha2("x");"#),
            Err("uncaught exception: sha2() takes 2 to 3 arguments, 1 given".into())
        );
        assert_eq!(
            run(r#"str_upper([]);"#),
            Err("uncaught exception: str_upper() expects a string, not array".into())
        );
    }
}
