//! AST construction helpers called from the grammar's actions: assignment
//! rotation, destructuring patterns, switch grouping and the syntax checks
//! that are easier on the tree than in the grammar.

use crate::ast::*;
use crate::codes;
use crate::token::Token;
use crate::{Diagnostic, Span};
use lalrpop_util::ErrorRecovery;

/// State shared by all grammar actions of one parse.
#[derive(Default)]
pub struct Ctx {
    /// Diagnostics raised while building the tree.
    pub diagnostics: Vec<Diagnostic>,
    /// Syntax errors the parser recovered from.
    pub recoveries: Vec<ErrorRecovery<usize, Token, ()>>,
}

impl Ctx {
    /// Records a recovered syntax error.
    pub fn recover(&mut self, e: ErrorRecovery<usize, Token, ()>) {
        self.recoveries.push(e);
    }

    /// A closure's last statement ends at `at` without its `;`.
    pub fn missing_semicolon(&mut self, at: usize) {
        self.diagnostics.push(
            Diagnostic::warning(
                codes::MISSING_SEMICOLON,
                Span::new(at, at),
                "missing `;` before `}`",
            )
            .with_label("expected `;` here")
            .with_help("end the statement with `;`")
            .with_fix(crate::parser::add_semicolon(at)),
        );
    }

    fn error(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }
}

/// Builds a statement node, boxed: the parser moves its stack's symbols
/// whole, and a statement inline would make every symbol as large.
pub fn stmt(kind: StmtKind, l: usize, r: usize) -> Box<Stmt> {
    Box::new(Stmt {
        kind,
        span: Span::new(l, r),
    })
}

/// A list of the nodes that the parser carries as `T` (boxed).
pub type Nodes<T> = Vec<<T as std::ops::Deref>::Target>;

/// Builds an expression node.
pub fn expr(kind: ExprKind, l: usize, r: usize) -> Expr {
    Expr::new(kind, Span::new(l, r))
}

/// Builds a binary expression node.
pub fn binary(op: BinaryOp, lhs: Expr, rhs: Expr, l: usize, r: usize) -> Expr {
    expr(
        ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
        l,
        r,
    )
}

/// A binary operator token as written (`&&`/`||` are reported and read as
/// `and`/`or`).
#[derive(Clone, Copy, Debug)]
pub enum BinTok {
    /// An HSL operator.
    Op(BinaryOp),
    /// `&&`
    CAnd,
    /// `||`
    COr,
}

/// Binding strength of a binary operator (higher binds tighter) and whether
/// it groups to the right.
fn precedence(op: BinaryOp) -> (u8, bool) {
    use BinaryOp::*;
    match op {
        Coalesce => (1, true),
        Or => (2, false),
        And => (3, false),
        BitOr => (4, false),
        BitXor => (5, false),
        BitAnd => (6, false),
        Eq | Ne | StrictEq | StrictNe | Match | NotMatch => (7, false),
        Lt | Le | Gt | Ge => (8, false),
        Shl | Shr | UShr => (9, false),
        Concat => (10, false),
        Add | Sub => (11, false),
        Mul | Div | Mod => (12, false),
        Pow => (13, true),
    }
}

/// Arranges `first op operand op operand …` into a tree by precedence and
/// associativity (iterative shunting-yard, so long chains cannot overflow).
pub fn binary_chain(ctx: &mut Ctx, first: Expr, rest: Vec<((BinTok, Span), Expr)>) -> Expr {
    if rest.len() <= 1 {
        // No operator, or one (most chains): no stacks needed.
        let Some(((tok, span), second)) = rest.into_iter().next() else {
            return first;
        };
        let op = operator(ctx, tok, span);
        let whole = first.span.to(second.span);
        return binary(op, first, second, whole.start as usize, whole.end as usize);
    }
    let mut operands: Vec<Expr> = Vec::with_capacity(rest.len() + 1);
    operands.push(first);
    let mut operators: Vec<BinaryOp> = Vec::with_capacity(rest.len());
    let reduce = |operands: &mut Vec<Expr>, operators: &mut Vec<BinaryOp>| {
        let op = operators.pop().expect("an operator to reduce");
        let rhs = operands.pop().expect("a right operand");
        let lhs = operands.pop().expect("a left operand");
        let span = lhs.span.to(rhs.span);
        operands.push(binary(op, lhs, rhs, span.start as usize, span.end as usize));
    };
    for ((tok, span), operand) in rest {
        let op = operator(ctx, tok, span);
        let (prec, right) = precedence(op);
        while let Some(&top) = operators.last() {
            let (top_prec, _) = precedence(top);
            if top_prec > prec || (top_prec == prec && !right) {
                reduce(&mut operands, &mut operators);
            } else {
                break;
            }
        }
        operators.push(op);
        operands.push(operand);
    }
    while !operators.is_empty() {
        reduce(&mut operands, &mut operators);
    }
    operands.pop().expect("one expression remains")
}

/// The operator `tok` (at `span`) stands for; `&&` and `||` are reported.
fn operator(ctx: &mut Ctx, tok: BinTok, span: Span) -> BinaryOp {
    match tok {
        BinTok::Op(op) => op,
        BinTok::CAnd | BinTok::COr => {
            let (written, word, op) = match tok {
                BinTok::CAnd => ("&&", "and", BinaryOp::And),
                _ => ("||", "or", BinaryOp::Or),
            };
            ctx.error(
                Diagnostic::error(
                    codes::UNSUPPORTED_OPERATOR,
                    span,
                    format!("`{written}` is not an HSL operator"),
                )
                .with_label("not an operator")
                .with_help(format!("write `{word}`")),
            );
            op
        }
    }
}

/// The assignment operator as written (some C operators do not exist in HSL).
#[derive(Clone, Copy, Debug)]
pub enum AssignTok {
    /// A real HSL assignment operator.
    Op(AssignOp),
    /// A compound bitwise assignment HSL does not have.
    Unsupported(&'static str),
}

/// Builds an assignment from the cover grammar `Cond AssignOp Assign`,
/// rotating it into the right-most operand of an unparenthesised prefix,
/// binary or ternary expression (`!$x = f()` is `!($x = f())`).
pub fn assign(ctx: &mut Ctx, target: Expr, op: (AssignTok, Span), value: Expr, span: Span) -> Expr {
    let (tok, op_span) = op;
    let op = match tok {
        AssignTok::Op(op) => op,
        AssignTok::Unsupported(text) => {
            let bin = &text[..text.len() - 1];
            ctx.error(
                Diagnostic::error(
                    codes::UNSUPPORTED_OPERATOR,
                    op_span,
                    format!("`{text}` is not an HSL operator"),
                )
                .with_label("no compound form of this operator")
                .with_help(format!("write it out: `$x = $x {bin} value`")),
            );
            return Expr::new(ExprKind::Error, span);
        }
    };
    rotate(ctx, target, op, value, op_span)
}

fn rotate(ctx: &mut Ctx, target: Expr, op: AssignOp, value: Expr, op_span: Span) -> Expr {
    let span = target.span.to(value.span);
    let kind = match target.kind {
        _ if target.is_lvalue() => ExprKind::Assign {
            op,
            target: Box::new(target),
            value: Box::new(value),
        },
        ExprKind::Array(items) if op == AssignOp::Assign => ExprKind::Destructure {
            pattern: pattern(ctx, items, target.span),
            value: Box::new(value),
        },
        ExprKind::Unary { op: u, operand } => ExprKind::Unary {
            op: u,
            operand: Box::new(rotate(ctx, *operand, op, value, op_span)),
        },
        ExprKind::Binary { op: b, lhs, rhs } => ExprKind::Binary {
            op: b,
            lhs,
            rhs: Box::new(rotate(ctx, *rhs, op, value, op_span)),
        },
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => ExprKind::Ternary {
            cond,
            then,
            otherwise: Box::new(rotate(ctx, *otherwise, op, value, op_span)),
        },
        ExprKind::Error => ExprKind::Error,
        _ => {
            let help = if matches!(target.kind, ExprKind::Paren(_)) {
                "assign to the variable inside the parentheses"
            } else {
                "the left side of an assignment must be a variable, subscript, slice, property or `[…]` pattern"
            };
            ctx.error(
                Diagnostic::error(
                    codes::INVALID_ASSIGNMENT,
                    target.span,
                    "cannot assign to this expression",
                )
                .with_label("not assignable")
                .with_secondary(op_span, "assignment here")
                .with_help(help),
            );
            ExprKind::Error
        }
    };
    Expr::new(kind, span)
}

fn pattern(ctx: &mut Ctx, items: Vec<ArrayItem>, span: Span) -> Pattern {
    let mut out = Vec::with_capacity(items.len());
    let (mut keyed, mut positional) = (false, false);
    let count = items.len();
    for (i, item) in items.into_iter().enumerate() {
        let converted = match item {
            ArrayItem::Value(e) => {
                positional = true;
                pattern_target(ctx, e)
                    .map(|(target, default)| PatternItem::Positional { target, default })
            }
            ArrayItem::Keyed(key, e) => {
                keyed = true;
                pattern_target(ctx, e).map(|(target, default)| PatternItem::Keyed {
                    key,
                    target,
                    default,
                })
            }
            ArrayItem::Spread(e) => {
                if i + 1 != count {
                    ctx.error(
                        Diagnostic::error(
                            codes::INVALID_PATTERN,
                            e.span,
                            "the rest element must come last",
                        )
                        .with_label("rest element")
                        .with_help("move `...$rest` to the end of the pattern"),
                    );
                }
                pattern_target(ctx, e).map(|(t, _)| PatternItem::Rest(t))
            }
        };
        out.extend(converted);
    }
    if keyed && positional {
        ctx.error(
            Diagnostic::error(
                codes::INVALID_PATTERN,
                span,
                "a pattern cannot mix keyed and positional elements",
            )
            .with_label("mixed pattern")
            .with_help("use either `[$a, $b]` or `[\"k\" => $a, \"j\" => $b]`"),
        );
    }
    Pattern { items: out, span }
}

fn pattern_target(ctx: &mut Ctx, e: Expr) -> Option<(Expr, Option<Expr>)> {
    match e.kind {
        ExprKind::Assign {
            op: AssignOp::Assign,
            target,
            value,
        } => Some((*target, Some(*value))),
        _ if e.is_lvalue() => Some((e, None)),
        ExprKind::Error => None,
        _ => {
            ctx.error(
                Diagnostic::error(codes::INVALID_PATTERN, e.span, "this element cannot receive a value")
                    .with_label("not assignable")
                    .with_help("pattern elements are variables, subscripts or properties, optionally `= default`"),
            );
            None
        }
    }
}

/// `++`/`--` applied to an expression that must be assignable.
pub fn incdec(
    ctx: &mut Ctx,
    increment: bool,
    prefix: bool,
    target: Expr,
    l: usize,
    r: usize,
) -> Expr {
    // In a chain such as `$x----` only the first misuse is reported.
    let reported_inside = match &target.kind {
        ExprKind::IncDec { target: inner, .. } => !inner.is_lvalue(),
        ExprKind::Error => true,
        _ => false,
    };
    if !target.is_lvalue() && !reported_inside {
        let op = if increment { "++" } else { "--" };
        ctx.error(
            Diagnostic::error(
                codes::INVALID_ASSIGNMENT,
                target.span,
                format!("`{op}` needs a variable"),
            )
            .with_label("not assignable")
            .with_help("apply it to a variable, subscript or property"),
        );
    }
    expr(
        ExprKind::IncDec {
            increment,
            prefix,
            target: Box::new(target),
        },
        l,
        r,
    )
}

/// What stands between `[` and `]` after an expression.
pub enum Sub {
    /// `[key]`
    Key(Expr),
    /// `[...path]`
    Path(Expr),
    /// `[start:stop:step]`
    Slice(Option<Box<Expr>>, Option<Box<Expr>>, Option<Box<Expr>>),
}

/// Builds a subscript, path subscript or slice.
pub fn index(base: Expr, sub: Sub, l: usize, r: usize) -> Expr {
    let base = Box::new(base);
    let kind = match sub {
        Sub::Key(k) => ExprKind::Index {
            base,
            index: Box::new(k),
        },
        Sub::Path(p) => ExprKind::PathIndex {
            base,
            path: Box::new(p),
        },
        Sub::Slice(start, stop, step) => ExprKind::Slice {
            base,
            start,
            stop,
            step,
        },
    };
    expr(kind, l, r)
}

/// A raw string literal's single text part.
pub fn raw(body: Vec<u8>, l: usize, r: usize) -> StrLit {
    StrLit {
        parts: vec![StrPart {
            kind: StrPartKind::Text(body),
            span: Span::new(l, r),
        }],
        raw: true,
    }
}

/// A file or module name: must be constant text.
pub fn path(ctx: &mut Ctx, (lit, span): (StrLit, Span)) -> PathLit {
    let value = match lit.constant() {
        Some(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        None => {
            ctx.error(
                Diagnostic::error(codes::NON_CONSTANT_PATH, span, "file names cannot contain variables")
                    .with_label("interpolated here")
                    .with_help("includes and imports are resolved before the script runs: write the name literally"),
            );
            String::new()
        }
    };
    PathLit { value, span }
}

/// Checks a parameter list: optional parameters trail, a variadic one is last.
pub fn params(ctx: &mut Ctx, params: Vec<Param>) -> Vec<Param> {
    let mut seen_default = false;
    let count = params.len();
    for (i, p) in params.iter().enumerate() {
        if p.variadic && i + 1 != count {
            ctx.error(
                Diagnostic::error(
                    codes::INVALID_PARAMETERS,
                    p.span,
                    "a variadic parameter must be the last one",
                )
                .with_label("variadic parameter")
                .with_help("move `...$name` to the end of the list"),
            );
        } else if p.default.is_some() {
            seen_default = true;
        } else if seen_default && !p.variadic {
            ctx.error(
                Diagnostic::error(
                    codes::INVALID_PARAMETERS,
                    p.span,
                    format!(
                        "required parameter `${}` follows an optional one",
                        p.name.text
                    ),
                )
                .with_label("no default value")
                .with_help("give it a default value or move it before the optional parameters"),
            );
        }
    }
    params
}

/// Folds member modifiers, reporting repeats.
pub fn mods(ctx: &mut Ctx, list: Vec<(&'static str, Span)>) -> Modifiers {
    let mut m = Modifiers::default();
    for (word, span) in list {
        let flag = match word {
            "private" => &mut m.private,
            "static" => &mut m.is_static,
            _ => &mut m.readonly,
        };
        if *flag {
            ctx.error(
                Diagnostic::error(
                    codes::INVALID_MODIFIERS,
                    span,
                    format!("`{word}` is given twice"),
                )
                .with_label("repeated modifier")
                .with_help("remove the repetition"),
            );
        }
        *flag = true;
    }
    m
}

/// A loop header waiting for its body.
pub enum LoopHead {
    /// `while (cond)`
    While(Expr),
    /// `for (init; cond; update)`
    For(Box<(Vec<Expr>, Option<Expr>, Vec<Expr>)>),
    /// `foreach (subject as [$k =>] $v)`
    Foreach(Box<(Expr, Option<Name>, Name)>),
    /// `forever`
    Forever,
}

impl LoopHead {
    /// The loop statement with `body`.
    pub fn with_body(self, body: Box<Stmt>) -> StmtKind {
        match self {
            LoopHead::While(cond) => StmtKind::While { cond, body },
            LoopHead::For(head) => {
                let (init, cond, update) = *head;
                StmtKind::For {
                    init,
                    cond,
                    update,
                    body,
                }
            }
            LoopHead::Foreach(head) => {
                let (subject, key, value) = *head;
                StmtKind::Foreach {
                    subject,
                    key,
                    value,
                    body,
                }
            }
            LoopHead::Forever => StmtKind::Forever { body },
        }
    }
}

/// A flat item of a switch body.
pub enum SwitchItem {
    /// `case expr:` (Some) or `default:` (None).
    Label(Option<Expr>, Span),
    /// A statement.
    Stmt(Box<Stmt>),
}

/// Groups switch items into cases.
pub fn switch(
    ctx: &mut Ctx,
    subject: Expr,
    items: Vec<SwitchItem>,
    l: usize,
    r: usize,
) -> Box<Stmt> {
    let mut cases: Vec<SwitchCase> = Vec::new();
    let mut defaults = 0;
    for item in items {
        match item {
            SwitchItem::Label(label, span) => {
                if label.is_none() {
                    defaults += 1;
                    if defaults == 2 {
                        ctx.error(
                            Diagnostic::error(
                                codes::INVALID_SWITCH,
                                span,
                                "a switch has only one `default`",
                            )
                            .with_label("second default")
                            .with_help("merge the two default branches"),
                        );
                    }
                }
                cases.push(SwitchCase {
                    label,
                    body: Vec::new(),
                    span,
                });
            }
            SwitchItem::Stmt(s) => match cases.last_mut() {
                Some(case) => case.body.push(*s),
                None => ctx.error(
                    Diagnostic::error(
                        codes::INVALID_SWITCH,
                        s.span,
                        "statement before the first `case`",
                    )
                    .with_label("never runs")
                    .with_help("put it under a `case …:` or `default:` label"),
                ),
            },
        }
    }
    stmt(StmtKind::Switch { subject, cases }, l, r)
}
