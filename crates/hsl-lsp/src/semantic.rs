//! Semantic tokens: what each name is, so themes can tell predefined
//! variables, hook and plugin functions, user functions, classes,
//! parameters, read-only variables and deprecated names apart.

use crate::document::Document;
use hsl_catalog::{Catalog, Hook};
use hsl_check::model::{self, Decl};
use hsl_syntax::ast::*;
use hsl_syntax::visit::{self, Visitor};
use hsl_syntax::Span;
use std::collections::HashSet;
use tower_lsp_server::ls_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensLegend,
};

/// Token types, in legend order.
const TYPES: [&str; 6] = [
    "function",
    "method",
    "class",
    "parameter",
    "variable",
    "property",
];
const FUNCTION: u32 = 0;
const METHOD: u32 = 1;
const CLASS: u32 = 2;
const PARAMETER: u32 = 3;
const VARIABLE: u32 = 4;
const PROPERTY: u32 = 5;

/// Token modifiers, in legend order (bit `1 << i`): `hook` marks functions
/// only some hooks have, `plugin` functions and classes a plugin declares.
const MODIFIERS: [&str; 6] = [
    "declaration",
    "readonly",
    "defaultLibrary",
    "deprecated",
    "hook",
    "plugin",
];
const DECLARATION: u32 = 1;
const READONLY: u32 = 1 << 1;
const LIBRARY: u32 = 1 << 2;
const DEPRECATED: u32 = 1 << 3;
const HOOK: u32 = 1 << 4;
const PLUGIN: u32 = 1 << 5;

/// The legend announced in the server's capabilities.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.into_iter().map(SemanticTokenType::new).collect(),
        token_modifiers: MODIFIERS
            .into_iter()
            .map(SemanticTokenModifier::new)
            .collect(),
    }
}

/// What the names of a file are checked against.
pub struct Context<'a> {
    /// The file's catalog (with plugin declarations).
    pub catalog: &'a Catalog,
    /// The catalog of the Halon version alone, to tell plugin names apart.
    pub base: &'a Catalog,
    /// The hooks the file runs in.
    pub hooks: &'a [Option<Hook>],
    /// The functions and classes the file declares.
    pub declared: &'a [Decl],
}

/// The semantic tokens of `program` (the parse of `doc`), relative-encoded.
pub fn tokens(doc: &Document, program: &Program, ctx: &Context) -> Vec<SemanticToken> {
    let mut found = Collect {
        ctx,
        classes: model::classes(ctx.declared).collect(),
        params: Vec::new(),
        out: Vec::new(),
    };
    visit::walk_program(&mut found, program);
    let mut raw = found.out;
    raw.sort_by_key(|t| t.0.start);
    raw.dedup_by_key(|t| t.0.start);
    let mut out = Vec::with_capacity(raw.len());
    let (mut line, mut column) = (0, 0);
    for (span, ty, mods) in raw {
        let (from, to) = (
            doc.position(span.start as usize),
            doc.position(span.end as usize),
        );
        if from.line != to.line || to.character <= from.character {
            continue;
        }
        let delta_start = if from.line == line {
            from.character - column
        } else {
            from.character
        };
        out.push(SemanticToken {
            delta_line: from.line - line,
            delta_start,
            length: to.character - from.character,
            token_type: ty,
            token_modifiers_bitset: mods,
        });
        (line, column) = (from.line, from.character);
    }
    out
}

struct Collect<'c, 'a> {
    ctx: &'c Context<'a>,
    /// Classes declared in the file.
    classes: HashSet<&'a str>,
    /// The parameter names of the enclosing functions, innermost last.
    params: Vec<HashSet<String>>,
    out: Vec<(Span, u32, u32)>,
}

impl Collect<'_, '_> {
    fn push(&mut self, span: Span, ty: u32, mods: u32) {
        self.out.push((span, ty, mods));
    }

    fn variable(&mut self, name: &str, span: Span, declaration: u32) {
        let dollar = format!("${name}");
        let predefined = self
            .ctx
            .hooks
            .iter()
            .find_map(|&h| self.ctx.catalog.variable(&dollar, h));
        if let Some(v) = predefined {
            let readonly = if v.readonly { READONLY } else { 0 };
            return self.push(span, VARIABLE, LIBRARY | readonly);
        }
        let is_param = self.params.last().is_some_and(|p| p.contains(name));
        let ty = if is_param { PARAMETER } else { VARIABLE };
        self.push(span, ty, declaration);
    }

    /// A name used as a function or class (called or referenced).
    fn callable(&mut self, name: &str, span: Span) {
        let ctx = self.ctx;
        let deprecated = if ctx.catalog.legacy(name).is_some() {
            DEPRECATED
        } else {
            0
        };
        let plugin = |known: bool| if known { 0 } else { PLUGIN };
        if let Some(hook) = ctx
            .hooks
            .iter()
            .find(|&&h| ctx.catalog.class(name, h).is_some())
        {
            let known = ctx.base.class(name, *hook).is_some();
            return self.push(span, CLASS, LIBRARY | plugin(known) | deprecated);
        }
        if let Some(hook) = ctx
            .hooks
            .iter()
            .find(|&&h| ctx.catalog.function(name, h).is_some())
        {
            let known = ctx.base.function(name, *hook).is_some();
            let hook_only = if ctx.catalog.function(name, None).is_none() {
                HOOK
            } else {
                0
            };
            return self.push(
                span,
                FUNCTION,
                LIBRARY | hook_only | plugin(known) | deprecated,
            );
        }
        let ty = if self.classes.contains(name) {
            CLASS
        } else {
            FUNCTION
        };
        self.push(span, ty, deprecated);
    }
}

impl<'ast> Visitor<'ast> for Collect<'_, '_> {
    fn visit_stmt(&mut self, stmt: &'ast Stmt) {
        match &stmt.kind {
            StmtKind::Function(f) => self.push(f.name.span, FUNCTION, DECLARATION),
            StmtKind::Class(c) => {
                self.push(c.name.span, CLASS, DECLARATION);
                for m in &c.members {
                    match &m.kind {
                        MemberKind::Method { name, .. } => {
                            self.push(name.span, METHOD, DECLARATION)
                        }
                        MemberKind::Property { name, .. } => {
                            self.push(name.span, PROPERTY, DECLARATION)
                        }
                        MemberKind::Constructor { .. } => {}
                    }
                }
            }
            StmtKind::Foreach { key, value, .. } => {
                for n in key.iter().chain([value]) {
                    self.variable(&n.text, n.span, DECLARATION);
                }
            }
            StmtKind::Try { var, .. } => self.variable(&var.text, var.span, DECLARATION),
            _ => {}
        }
        visit::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        match &expr.kind {
            ExprKind::Var(name) => self.variable(name, expr.span, 0),
            ExprKind::Ident(name) => self.callable(name, expr.span),
            ExprKind::Call { callee, args } => {
                if let ExprKind::Member { base, name } = &callee.kind {
                    self.visit_expr(base);
                    self.push(name.span, METHOD, 0);
                    for a in args {
                        self.visit_expr(&a.expr);
                    }
                    return;
                }
            }
            ExprKind::Member { name, .. } => self.push(name.span, PROPERTY, 0),
            _ => {}
        }
        visit::walk_expr(self, expr);
    }

    fn visit_function(&mut self, params: &'ast [Param], body: &'ast Block) {
        for p in params {
            self.push(p.name.span, PARAMETER, DECLARATION);
        }
        self.params
            .push(params.iter().map(|p| p.name.text.clone()).collect());
        visit::walk_function(self, params, body);
        self.params.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hsl_catalog::HalonVersion;

    /// `(text, type, modifiers)` of each token of `src` in a helo hook.
    fn decoded(src: &str) -> Vec<(String, &'static str, u32)> {
        let doc = Document::new(src.to_string(), 1);
        let program = hsl_syntax::parse(src).program;
        let catalog = Catalog::get(HalonVersion::V6);
        let declared = hsl_check::declared::Declared::of(&program, src).decls;
        let ctx = Context {
            catalog,
            base: catalog,
            hooks: &[Some(Hook::Helo)],
            declared: &declared,
        };
        let lines: Vec<&str> = src.lines().collect();
        let (mut line, mut column) = (0, 0);
        tokens(&doc, &program, &ctx)
            .into_iter()
            .map(|t| {
                if t.delta_line > 0 {
                    column = 0;
                }
                line += t.delta_line as usize;
                column += t.delta_start as usize;
                let text = &lines[line][column..column + t.length as usize];
                (
                    text.to_string(),
                    TYPES[t.token_type as usize],
                    t.token_modifiers_bitset,
                )
            })
            .collect()
    }

    #[test]
    fn names_are_told_apart() {
        let src = "function check($addr) {\n  return str_lower($addr) . $arguments[\"host\"];\n}\nAccept(); echo check($x);\n$m = MailMessage(\"\"); $m->getID();\n";
        let got = decoded(src);
        let find = |text: &str| {
            got.iter()
                .filter(|t| t.0 == text)
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(find("check")[0], ("check".into(), "function", DECLARATION));
        assert_eq!(find("check")[1], ("check".into(), "function", 0));
        assert_eq!(find("$addr")[0].1, "parameter");
        assert_eq!(find("$addr")[1], ("$addr".into(), "parameter", 0));
        assert_eq!(find("str_lower")[0].2, LIBRARY);
        assert_eq!(
            find("Accept")[0],
            ("Accept".into(), "function", LIBRARY | HOOK)
        );
        assert_eq!(
            find("$arguments")[0],
            ("$arguments".into(), "variable", LIBRARY | READONLY)
        );
        assert_eq!(find("$x")[0], ("$x".into(), "variable", 0));
        assert_eq!(find("MailMessage")[0].1, "class");
        assert_eq!(find("getID")[0].1, "method");
    }
}
