//! The typed syntax tree. Every node carries the byte [`Span`] it covers.
//!
//! Variable names are stored without the leading `$`. String literal text is
//! kept as bytes because `\xHH` escapes may produce any byte.

use crate::Span;

/// A whole file: its statements in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Program {
    /// Top-level statements.
    pub stmts: Vec<Stmt>,
}

/// A name with its location: an identifier, or a variable name without `$`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Name {
    /// The text (for variables, without the `$`).
    pub text: String,
    /// Where it is written (for variables, including the `$`).
    pub span: Span,
}

/// A statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// What kind of statement.
    pub kind: StmtKind,
    /// Source range.
    pub span: Span,
}

/// A `{ … }` block.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// Statements inside the braces.
    pub stmts: Vec<Stmt>,
    /// Source range including the braces.
    pub span: Span,
}

/// The statement forms of HSL.
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// `expr;`
    Expr(Expr),
    /// `echo expr;`
    Echo(Expr),
    /// `{ … }`
    Block(Block),
    /// `;`
    Empty,
    /// `if (cond) then [else otherwise]`
    If {
        /// Condition.
        cond: Expr,
        /// Taken when truthy.
        then: Box<Stmt>,
        /// Taken otherwise.
        otherwise: Option<Box<Stmt>>,
    },
    /// `while (cond) body`
    While {
        /// Condition.
        cond: Expr,
        /// Loop body.
        body: Box<Stmt>,
    },
    /// `forever body`
    Forever {
        /// Loop body.
        body: Box<Stmt>,
    },
    /// `for (init; cond; update) body`
    For {
        /// Initialisers.
        init: Vec<Expr>,
        /// Condition (absent means always true).
        cond: Option<Expr>,
        /// Updates after each iteration.
        update: Vec<Expr>,
        /// Loop body.
        body: Box<Stmt>,
    },
    /// `foreach (subject as [$key =>] $value) body`
    Foreach {
        /// The iterated value.
        subject: Expr,
        /// Key variable.
        key: Option<Name>,
        /// Value variable.
        value: Name,
        /// Loop body.
        body: Box<Stmt>,
    },
    /// `switch (subject) { case …: … default: … }`
    Switch {
        /// The compared value.
        subject: Expr,
        /// Labels with the statements that follow them, in order.
        cases: Vec<SwitchCase>,
    },
    /// `break;`
    Break,
    /// `continue;`
    Continue,
    /// `return [expr];`
    Return(Option<Expr>),
    /// `throw expr;`
    Throw(Expr),
    /// `try { … } catch ($e) { … }`
    Try {
        /// Protected block.
        body: Block,
        /// The variable receiving the thrown value.
        var: Name,
        /// Handler block.
        handler: Block,
    },
    /// `global $a, $b;`
    Global(Vec<Name>),
    /// `include "file";` or `include_once "file";`
    Include {
        /// Whether it is `include_once`.
        once: bool,
        /// The file id as written.
        path: PathLit,
    },
    /// `import … from "module";`
    Import(Import),
    /// `function name(params) { … }`
    Function(FunctionDecl),
    /// `class Name { … }`
    Class(ClassDecl),
    /// `barrier name [=> $shared] { … }`
    Barrier {
        /// Lock name.
        name: Expr,
        /// Shared variable.
        var: Option<Name>,
        /// Guarded block.
        body: Block,
    },
    /// A statement that failed to parse (already reported).
    Error,
}

/// One `case`/`default` label of a switch and the statements after it.
#[derive(Clone, Debug, PartialEq)]
pub struct SwitchCase {
    /// `None` for `default`.
    pub label: Option<Expr>,
    /// Statements up to the next label.
    pub body: Vec<Stmt>,
    /// Span of the label (`case expr:` or `default:`).
    pub span: Span,
}

/// A literal file or module name (`include`, `import`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathLit {
    /// The decoded text.
    pub value: String,
    /// Location of the literal.
    pub span: Span,
}

/// An `import` statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// What is imported.
    pub kind: ImportKind,
    /// The module specifier.
    pub from: PathLit,
}

/// The forms of `import`.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportKind {
    /// `import { a, b as c, $x as $y } from …`
    Names(Vec<ImportSpec>),
    /// `import * as ns from …`
    Namespace(Name),
    /// `import $data from "file.json" [with options]`
    Data {
        /// Variable receiving the data.
        var: Name,
        /// Options expression.
        with: Option<Expr>,
    },
}

/// One name in `import { … }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSpec {
    /// Whether this is a variable (`$x`) rather than a function/class.
    pub is_var: bool,
    /// Exported name.
    pub name: Name,
    /// Local alias.
    pub alias: Option<Name>,
}

impl ImportSpec {
    /// The name bound in the importing file.
    pub fn local(&self) -> &Name {
        self.alias.as_ref().unwrap_or(&self.name)
    }
}

/// A named function declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDecl {
    /// Function name.
    pub name: Name,
    /// Parameters.
    pub params: Vec<Param>,
    /// Body.
    pub body: Block,
    /// Whole declaration.
    pub span: Span,
}

/// A parameter of a function, closure, method or constructor.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Variable name.
    pub name: Name,
    /// Default value.
    pub default: Option<Expr>,
    /// `...$rest`
    pub variadic: bool,
    /// Whole parameter.
    pub span: Span,
}

/// A class declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassDecl {
    /// Class name.
    pub name: Name,
    /// Members in order.
    pub members: Vec<ClassMember>,
    /// Whole declaration.
    pub span: Span,
}

/// Modifiers of a class member.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Modifiers {
    /// `private`
    pub private: bool,
    /// `static`
    pub is_static: bool,
    /// `readonly`
    pub readonly: bool,
}

/// A member of a class.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassMember {
    /// What member.
    pub kind: MemberKind,
    /// Source range.
    pub span: Span,
}

/// The kinds of class member.
#[derive(Clone, Debug, PartialEq)]
pub enum MemberKind {
    /// `constructor(params) { … }`
    Constructor {
        /// Parameters.
        params: Vec<Param>,
        /// Body.
        body: Block,
    },
    /// `[mods] function name(params) { … }`
    Method {
        /// Modifiers.
        mods: Modifiers,
        /// Method name.
        name: Name,
        /// Parameters.
        params: Vec<Param>,
        /// Body.
        body: Block,
    },
    /// `[mods] $name [= init];`
    Property {
        /// Modifiers.
        mods: Modifiers,
        /// Property name (without `$`).
        name: Name,
        /// Initialiser.
        init: Option<Expr>,
    },
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Source range.
    pub span: Span,
}

/// A string literal: double-quoted (with interpolation) or raw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrLit {
    /// Text and interpolated variables in order.
    pub parts: Vec<StrPart>,
    /// Whether it is a raw `'DELIM'…'DELIM'` string.
    pub raw: bool,
}

impl StrLit {
    /// The text when the literal has no interpolation.
    pub fn constant(&self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        for part in &self.parts {
            match &part.kind {
                StrPartKind::Text(t) => out.extend_from_slice(t),
                StrPartKind::Var(_) => return None,
            }
        }
        Some(out)
    }

    /// The constant text as UTF-8, when there is no interpolation and the
    /// bytes are valid UTF-8 (borrowed when the literal is one piece).
    pub fn constant_str(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self.parts.as_slice() {
            [] => Some("".into()),
            [StrPart {
                kind: StrPartKind::Text(t),
                ..
            }] => std::str::from_utf8(t).ok().map(Into::into),
            _ => self
                .constant()
                .and_then(|b| String::from_utf8(b).ok())
                .map(Into::into),
        }
    }
}

/// A piece of a string literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrPart {
    /// Text or variable.
    pub kind: StrPartKind,
    /// Source range of this piece.
    pub span: Span,
}

/// Literal text or an interpolated variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StrPartKind {
    /// Decoded bytes (escapes resolved).
    Text(Vec<u8>),
    /// `$name` or `${name}` (name without `$`).
    Var(String),
}

/// The left side of `::`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A class or namespace name.
    Named(Name),
    /// `static` (inside a class).
    Static(Span),
}

/// The right side of `::`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScopeMember {
    /// `Cls::name` (function, method or keyword-named member).
    Ident(Name),
    /// `Cls::$var`
    Var(Name),
}

/// One element of an array literal (also of `cache` options).
#[derive(Clone, Debug, PartialEq)]
pub enum ArrayItem {
    /// `value`
    Value(Expr),
    /// `key => value`
    Keyed(Expr, Expr),
    /// `...expr`
    Spread(Expr),
}

/// A call argument.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    /// `...expr` argument unpacking.
    pub spread: bool,
    /// The value.
    pub expr: Expr,
}

/// An anonymous function or closure.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionExpr {
    /// Parameters.
    pub params: Vec<Param>,
    /// Variables captured by reference (`closure ($a, $b)`).
    pub captures: Vec<Name>,
    /// Body.
    pub body: Block,
}

/// One arm of a `match` expression.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchArm {
    /// Candidates; empty for `default`.
    pub patterns: Vec<Expr>,
    /// Result expression.
    pub result: Expr,
    /// Whole arm.
    pub span: Span,
}

/// A destructuring pattern `[…] = value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    /// Elements in order.
    pub items: Vec<PatternItem>,
    /// Source range of the brackets.
    pub span: Span,
}

/// An element of a destructuring pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum PatternItem {
    /// `$target [= default]`
    Positional {
        /// Assignment target.
        target: Expr,
        /// Used when the element is missing or none.
        default: Option<Expr>,
    },
    /// `key => $target [= default]`
    Keyed {
        /// The key.
        key: Expr,
        /// Assignment target.
        target: Expr,
        /// Used when the key is missing or none.
        default: Option<Expr>,
    },
    /// `...$rest`
    Rest(Expr),
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!` or `not`
    Not,
    /// `-`
    Neg,
    /// `+`
    Plus,
    /// `~`
    BitNot,
}

/// Binary operators (including the short-circuit `and`, `or`, `??`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%` (remainder or string format)
    Mod,
    /// `**`
    Pow,
    /// `.`
    Concat,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
    /// `>>>`
    UShr,
    /// `&`
    BitAnd,
    /// `|`
    BitOr,
    /// `^`
    BitXor,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `===`
    StrictEq,
    /// `!==`
    StrictNe,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=~`
    Match,
    /// `!~`
    NotMatch,
    /// `and`
    And,
    /// `or`
    Or,
    /// `??`
    Coalesce,
}

impl BinaryOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Mod => "%",
            Pow => "**",
            Concat => ".",
            Shl => "<<",
            Shr => ">>",
            UShr => ">>>",
            BitAnd => "&",
            BitOr => "|",
            BitXor => "^",
            Eq => "==",
            Ne => "!=",
            StrictEq => "===",
            StrictNe => "!==",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Match => "=~",
            NotMatch => "!~",
            And => "and",
            Or => "or",
            Coalesce => "??",
        }
    }
}

/// Assignment operators; `op` is the binary operator of a compound form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    /// `=`
    Assign,
    /// `op=` such as `+=`, `.=`, `??=`.
    Compound(BinaryOp),
}

/// The expression forms of HSL.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A number literal (all numbers are doubles).
    Number(f64),
    /// A string literal.
    Str(StrLit),
    /// `#/pattern/flags`
    Regex {
        /// Pattern text (`\/` already turned into `/`).
        pattern: String,
        /// Flag letters.
        flags: String,
    },
    /// `true` / `false`
    Bool(bool),
    /// `none`
    None,
    /// `$name`
    Var(String),
    /// A bare identifier: function or class reference, or call target.
    Ident(String),
    /// `builtin name`
    Builtin(Name),
    /// `Scope::member`
    ScopeRes {
        /// Class, namespace or `static`.
        scope: Scope,
        /// Member.
        member: ScopeMember,
    },
    /// `( expr )`, kept so assignments are not rotated through parentheses.
    Paren(Box<Expr>),
    /// `[ … ]` or `array( … )`
    Array(Vec<ArrayItem>),
    /// `function (…) [closure (…)] { … }`
    Function(Box<FunctionExpr>),
    /// `match (subject) { … }`
    Match {
        /// The compared value.
        subject: Box<Expr>,
        /// Arms in order.
        arms: Vec<MatchArm>,
    },
    /// `cache [options] call(...)`
    Cache {
        /// The options array.
        options: Vec<ArrayItem>,
        /// The cached call (an [`ExprKind::Call`]).
        call: Box<Expr>,
    },
    /// `isset(expr)`
    Isset(Box<Expr>),
    /// `unset(expr)`
    Unset(Box<Expr>),
    /// `callee(args)`
    Call {
        /// What is called.
        callee: Box<Expr>,
        /// Arguments.
        args: Vec<Arg>,
    },
    /// `base[index]`
    Index {
        /// Subscripted value.
        base: Box<Expr>,
        /// Key.
        index: Box<Expr>,
    },
    /// `base[...path]`
    PathIndex {
        /// Subscripted value.
        base: Box<Expr>,
        /// Array of keys.
        path: Box<Expr>,
    },
    /// `base[]` (only valid as an assignment target)
    Append {
        /// The array appended to.
        base: Box<Expr>,
    },
    /// `base[start:stop:step]`
    Slice {
        /// Sliced value.
        base: Box<Expr>,
        /// Start index.
        start: Option<Box<Expr>>,
        /// Stop index (exclusive).
        stop: Option<Box<Expr>>,
        /// Step.
        step: Option<Box<Expr>>,
    },
    /// `base->name`
    Member {
        /// Object.
        base: Box<Expr>,
        /// Property or method name.
        name: Name,
    },
    /// Prefix operator.
    Unary {
        /// Operator.
        op: UnaryOp,
        /// Operand.
        operand: Box<Expr>,
    },
    /// `++x`, `x++`, `--x`, `x--`
    IncDec {
        /// `true` for `++`.
        increment: bool,
        /// `true` for the prefix form.
        prefix: bool,
        /// The lvalue.
        target: Box<Expr>,
    },
    /// Binary operator.
    Binary {
        /// Operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `cond ? then : otherwise` or `cond ?: otherwise` (then = `None`).
    Ternary {
        /// Condition.
        cond: Box<Expr>,
        /// Value when truthy; `None` for Elvis (the condition's value).
        then: Option<Box<Expr>>,
        /// Value otherwise.
        otherwise: Box<Expr>,
    },
    /// `target op value`
    Assign {
        /// Operator.
        op: AssignOp,
        /// An lvalue.
        target: Box<Expr>,
        /// Assigned value.
        value: Box<Expr>,
    },
    /// `[…] = value`
    Destructure {
        /// The pattern.
        pattern: Pattern,
        /// Assigned value.
        value: Box<Expr>,
    },
    /// An expression that failed to parse (already reported).
    Error,
}

impl Expr {
    /// Creates an expression node.
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }

    /// Whether this expression can be assigned to.
    pub fn is_lvalue(&self) -> bool {
        match &self.kind {
            ExprKind::Var(_)
            | ExprKind::Index { .. }
            | ExprKind::PathIndex { .. }
            | ExprKind::Append { .. }
            | ExprKind::Slice { .. }
            | ExprKind::Member { .. } => true,
            ExprKind::ScopeRes { member, .. } => matches!(member, ScopeMember::Var(_)),
            _ => false,
        }
    }

    /// The variable at the root of an lvalue chain (`$a` in `$a["x"][0]`).
    pub fn root_var(&self) -> Option<(&str, Span)> {
        match &self.kind {
            ExprKind::Var(name) => Some((name, self.span)),
            ExprKind::Index { base, .. }
            | ExprKind::PathIndex { base, .. }
            | ExprKind::Append { base }
            | ExprKind::Slice { base, .. }
            | ExprKind::Member { base, .. } => base.root_var(),
            _ => None,
        }
    }
}
