//! Documented types such as `string or array` as sets of value kinds.

/// A kind of value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `none`
    None,
    /// `true`/`false`
    Boolean,
    /// Numbers.
    Number,
    /// Strings.
    String,
    /// Arrays.
    Array,
    /// Functions and classes (callables).
    Function,
    /// Objects and resources (class instances, `Regex`, …).
    Object,
}

impl Kind {
    /// The name as written in types and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::None => "none",
            Kind::Boolean => "boolean",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Function => "function",
            Kind::Object => "object",
        }
    }
}

/// A documented type: `any`, or a union of kinds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Type {
    /// `None` means any value.
    pub kinds: Option<Vec<Kind>>,
}

impl Type {
    /// Parses a documented type such as `string, array or none`.
    pub fn parse(text: &str) -> Type {
        let mut kinds = Vec::new();
        for part in text
            .split([',', ' '])
            .filter(|p| !p.is_empty() && *p != "or")
        {
            let kind = match part.trim_start_matches('(') {
                "any" | "variable" => return Type { kinds: None },
                "none" | "None" => Kind::None,
                "boolean" => Kind::Boolean,
                "number" => Kind::Number,
                "string" => Kind::String,
                "array" => Kind::Array,
                "function" => Kind::Function,
                "of" | "resource" | "for" | "void" | "a" | "pointer" | "returning" | "NULL)" => {
                    continue
                }
                _ => Kind::Object,
            };
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
            if part == "array" && text.contains("array of") {
                break;
            }
        }
        Type {
            kinds: (!kinds.is_empty()).then_some(kinds),
        }
    }

    /// Whether a value of `kind` is acceptable.
    pub fn accepts(&self, kind: Kind) -> bool {
        self.kinds.as_ref().is_none_or(|k| k.contains(&kind))
    }

    /// Whether a value of `kind` is acceptable once Halon's implicit
    /// conversions are applied: a number where a string is expected (its
    /// text), a boolean where a number is (1 or 0). The checker and the
    /// interpreter agree on this.
    pub fn admits(&self, kind: Kind) -> bool {
        self.accepts(kind)
            || (kind == Kind::Number && self.accepts(Kind::String))
            || (kind == Kind::Boolean && self.accepts(Kind::Number))
    }

    /// The single kind, when the type has exactly one.
    pub fn single(&self) -> Option<Kind> {
        match self.kinds.as_deref() {
            Some([k]) => Some(*k),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documented_types() {
        assert_eq!(Type::parse("any").kinds, None);
        assert_eq!(
            Type::parse("string or array").kinds,
            Some(vec![Kind::String, Kind::Array])
        );
        assert_eq!(
            Type::parse("string, array or none").kinds,
            Some(vec![Kind::String, Kind::Array, Kind::None])
        );
        assert_eq!(
            Type::parse("array of string").kinds,
            Some(vec![Kind::Array])
        );
        assert_eq!(
            Type::parse("Regex or string").kinds,
            Some(vec![Kind::Object, Kind::String])
        );
        assert!(Type::parse("number").accepts(Kind::Number));
        assert!(!Type::parse("number").accepts(Kind::String));
        assert!(Type::parse("string").admits(Kind::Number));
        assert!(Type::parse("number").admits(Kind::Boolean));
        assert!(!Type::parse("number").admits(Kind::String));
        assert!(!Type::parse("string").admits(Kind::Array));
    }
}
