//! The syntax tree turned into a layout [`Doc`], with the comments of the
//! source placed back where they were: each comment is emitted at the first
//! node (or closing bracket) that follows it, as a trailing comment when it
//! shared a line with the code before it, else on a line of its own.

use crate::comments::Comment;
use crate::doc::Doc;
use hsl_syntax::ast::*;

/// The document of a whole file.
pub fn program(program: &Program, source: &str, comments: Vec<Comment>) -> Doc {
    let mut p = Printer {
        src: source,
        comments,
        next: 0,
    };
    let body = p.list(&program.stmts, source.len(), false, |p, s| p.stmt(s));
    if matches!(&body, Doc::Concat(parts) if parts.is_empty()) {
        return body;
    }
    Doc::Concat(vec![body, Doc::HardLine])
}

struct Printer<'a> {
    src: &'a str,
    comments: Vec<Comment>,
    next: usize,
}

/// Something that starts at a byte offset: a statement, a switch case or a
/// class member.
trait Located {
    fn start(&self) -> usize;
}

impl Located for Stmt {
    fn start(&self) -> usize {
        self.span.start as usize
    }
}

impl Located for ClassMember {
    fn start(&self) -> usize {
        self.span.start as usize
    }
}

impl Located for SwitchCase {
    fn start(&self) -> usize {
        self.span.start as usize
    }
}

fn text(s: impl Into<String>) -> Doc {
    Doc::text(s)
}

fn concat(parts: Vec<Doc>) -> Doc {
    Doc::Concat(parts)
}

/// `items` separated by `,` and a line, with a trailing comma when broken.
fn comma_list(items: Vec<Doc>) -> Doc {
    let mut parts = Vec::with_capacity(items.len() * 3 + 1);
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            parts.push(text(","));
            parts.push(Doc::Line);
        }
        parts.push(item);
    }
    parts.push(Doc::if_break(text(","), text("")));
    concat(parts)
}

impl Printer<'_> {
    fn slice(&self, span: hsl_syntax::Span) -> &str {
        &self.src[span.start as usize..span.end as usize]
    }

    /// Whether a blank line precedes `pos` (only whitespace in between).
    fn blank_before(&self, pos: usize) -> bool {
        let before = &self.src.as_bytes()[..pos];
        before
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .filter(|&&b| b == b'\n')
            .count()
            >= 2
    }

    fn take_before(&mut self, pos: usize) -> Vec<Comment> {
        let from = self.next;
        while self.next < self.comments.len() && self.comments[self.next].start < pos {
            self.next += 1;
        }
        self.comments[from..self.next].to_vec()
    }

    /// The comments before `pos`, inside an expression or a header.
    fn comments_before(&mut self, pos: usize) -> Doc {
        self.comments(pos, false)
    }

    /// The comments before the closing delimiter at `pos`: those on the
    /// line of the last item trail it.
    fn comments_before_close(&mut self, pos: usize) -> Doc {
        self.comments(pos, true)
    }

    /// The comments inside empty brackets closing at `pos`: inline ones
    /// stay inline, own-line ones are indented on their lines.
    fn comments_inside_empty(&mut self, pos: usize) -> Doc {
        let comments = self.take_before(pos);
        let own_line = comments.iter().any(|c| c.own_line || c.is_line);
        if !own_line {
            let texts: Vec<Doc> = comments.into_iter().map(|c| text(c.text)).collect();
            return join(texts, " ");
        }
        let mut parts = Vec::new();
        for c in comments {
            parts.push(Doc::FreshLine);
            parts.push(text(c.text));
        }
        concat(vec![Doc::indent(concat(parts)), Doc::HardLine])
    }

    fn comments(&mut self, pos: usize, closing: bool) -> Doc {
        let comments = self.take_before(pos);
        let mut parts = Vec::new();
        for c in comments {
            if c.own_line {
                parts.push(Doc::FreshLine);
                parts.push(text(c.text));
                parts.push(if c.ends_line {
                    Doc::FreshLine
                } else {
                    text(" ")
                });
            } else if c.ends_line || closing {
                parts.push(Doc::LineSuffix(format!(" {}", c.text)));
                parts.push(Doc::BreakParent);
            } else {
                parts.push(text(c.text));
                parts.push(text(" "));
            }
        }
        concat(parts)
    }

    /// The comments between a closing `}` and the keyword after it (`else`,
    /// `catch`), and the separator before that keyword.
    fn before_keyword(&mut self, pos: usize, keyword: &str) -> Doc {
        let comments = self.take_before(pos);
        if comments.is_empty() {
            return text(format!(" {keyword}"));
        }
        let mut parts = Vec::new();
        for c in comments {
            if c.own_line {
                parts.push(Doc::HardLine);
                parts.push(text(c.text));
            } else {
                parts.push(Doc::LineSuffix(format!(" {}", c.text)));
            }
        }
        parts.push(Doc::HardLine);
        parts.push(text(keyword));
        concat(parts)
    }

    /// Statement-like items one per line, each preceded by its line break,
    /// with their comments and at most one blank line kept between them;
    /// the comments up to `end` close the list.
    fn list<T: Located>(
        &mut self,
        items: &[T],
        end: usize,
        break_first: bool,
        mut print: impl FnMut(&mut Self, &T) -> Doc,
    ) -> Doc {
        let mut parts = Vec::new();
        let mut first = true;
        let separate = |p: &Self, parts: &mut Vec<Doc>, first: &mut bool, pos: usize| {
            if !*first || break_first {
                parts.push(Doc::HardLine);
                if !*first && p.blank_before(pos) {
                    parts.push(Doc::HardLine);
                }
            }
            *first = false;
        };
        let comments = |p: &mut Self, parts: &mut Vec<Doc>, first: &mut bool, pos: usize| {
            for c in p.take_before(pos) {
                if c.own_line {
                    separate(p, parts, first, c.start);
                    parts.push(text(c.text));
                } else {
                    parts.push(Doc::LineSuffix(format!(" {}", c.text)));
                }
            }
        };
        for item in items {
            comments(self, &mut parts, &mut first, item.start());
            separate(self, &mut parts, &mut first, item.start());
            parts.push(print(self, item));
        }
        comments(self, &mut parts, &mut first, end);
        concat(parts)
    }

    fn block(&mut self, block: &Block) -> Doc {
        let lead = self.comments_before(block.span.start as usize);
        let end = (block.span.end as usize).saturating_sub(1);
        let body = self.list(&block.stmts, end, true, |p, s| p.stmt(s));
        braces(lead, body)
    }

    /// A statement used as the body of `if`, a loop or `else`.
    fn body(&mut self, stmt: &Stmt) -> Doc {
        match &stmt.kind {
            StmtKind::Block(b) => concat(vec![text(" "), self.block(b)]),
            _ => {
                let lead = self.comments_before(stmt.span.start as usize);
                let inner = self.stmt(stmt);
                Doc::indent(concat(vec![Doc::HardLine, lead, inner]))
            }
        }
    }

    fn stmt(&mut self, stmt: &Stmt) -> Doc {
        match &stmt.kind {
            StmtKind::Expr(e) => concat(vec![self.expr(e), text(";")]),
            StmtKind::Echo(e) => concat(vec![text("echo "), self.expr(e), text(";")]),
            StmtKind::Block(b) => self.block(b),
            StmtKind::Empty => text(";"),
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                let mut parts = vec![text("if "), self.paren(cond), self.body(then)];
                if let Some(o) = otherwise {
                    let start = o.span.start as usize;
                    if matches!(then.kind, StmtKind::Block(_)) {
                        parts.push(self.before_keyword(start, "else"));
                    } else {
                        parts.push(self.comments_before(start));
                        parts.push(Doc::FreshLine);
                        parts.push(text("else"));
                    }
                    if matches!(o.kind, StmtKind::If { .. }) {
                        parts.push(text(" "));
                        parts.push(self.stmt(o));
                    } else {
                        parts.push(self.body(o));
                    }
                }
                concat(parts)
            }
            StmtKind::While { cond, body } => {
                concat(vec![text("while "), self.paren(cond), self.body(body)])
            }
            StmtKind::Forever { body } => concat(vec![text("forever"), self.body(body)]),
            StmtKind::For {
                init,
                cond,
                update,
                body,
            } => {
                let init: Vec<Doc> = init.iter().map(|e| self.expr(e)).collect();
                let cond = cond.as_ref().map(|c| self.expr(c));
                let update: Vec<Doc> = update.iter().map(|e| self.expr(e)).collect();
                let mut head = vec![text("for ("), join(init, ", "), text(";")];
                if let Some(c) = cond {
                    head.push(text(" "));
                    head.push(c);
                }
                head.push(text(";"));
                if !update.is_empty() {
                    head.push(text(" "));
                    head.push(join(update, ", "));
                }
                head.push(text(")"));
                let body = self.body(body);
                concat(vec![concat(head), body])
            }
            StmtKind::Foreach {
                subject,
                key,
                value,
                body,
            } => {
                let mut head = vec![text("foreach ("), self.expr(subject), text(" as ")];
                if let Some(k) = key {
                    head.push(self.var(k));
                    head.push(text(" => "));
                }
                head.push(self.var(value));
                head.push(text(")"));
                let body = self.body(body);
                concat(vec![concat(head), body])
            }
            StmtKind::Switch { subject, cases } => {
                let end = (stmt.span.end as usize).saturating_sub(1);
                let cases = self.list(cases, end, true, |p, case| p.case(case));
                concat(vec![
                    text("switch "),
                    self.paren(subject),
                    text(" "),
                    braces(text(""), cases),
                ])
            }
            StmtKind::Break => text("break;"),
            StmtKind::Continue => text("continue;"),
            StmtKind::Return(None) => text("return;"),
            StmtKind::Return(Some(e)) => concat(vec![text("return "), self.expr(e), text(";")]),
            StmtKind::Throw(e) => concat(vec![text("throw "), self.expr(e), text(";")]),
            StmtKind::Try { body, var, handler } => {
                let body = self.block(body);
                let keyword = self.before_keyword(var.span.start as usize, "catch");
                concat(vec![
                    text("try "),
                    body,
                    keyword,
                    text(" ("),
                    self.var(var),
                    text(") "),
                    self.block(handler),
                ])
            }
            StmtKind::Global(names) => {
                let names: Vec<Doc> = names.iter().map(|n| self.var(n)).collect();
                concat(vec![text("global "), join(names, ", "), text(";")])
            }
            StmtKind::Include { once, path } => concat(vec![
                text(if *once { "include_once " } else { "include " }),
                self.comments_before(path.span.start as usize),
                text(self.slice(path.span)),
                text(";"),
            ]),
            StmtKind::Import(import) => self.import(import),
            StmtKind::Function(f) => concat(vec![
                text("function "),
                self.name(&f.name),
                self.params(&f.params),
                text(" "),
                self.block(&f.body),
            ]),
            StmtKind::Class(c) => {
                let end = (c.span.end as usize).saturating_sub(1);
                let name = self.name(&c.name);
                let members = self.list(&c.members, end, true, |p, m| p.member(m));
                concat(vec![
                    text("class "),
                    name,
                    text(" "),
                    braces(text(""), members),
                ])
            }
            StmtKind::Barrier { name, var, body } => {
                let mut parts = vec![text("barrier "), self.expr(name)];
                if let Some(v) = var {
                    parts.push(text(" => "));
                    parts.push(self.var(v));
                }
                parts.push(text(" "));
                parts.push(self.block(body));
                concat(parts)
            }
            StmtKind::Error => text(self.slice(stmt.span)),
        }
    }

    fn case(&mut self, case: &SwitchCase) -> Doc {
        let label = match &case.label {
            Some(e) => concat(vec![text("case "), self.expr(e), text(":")]),
            None => text("default:"),
        };
        let end = case
            .body
            .last()
            .map_or(case.span.end as usize, |s| s.span.end as usize);
        let body = self.list(&case.body, end, true, |p, s| p.stmt(s));
        concat(vec![label, Doc::indent(body)])
    }

    fn member(&mut self, member: &ClassMember) -> Doc {
        match &member.kind {
            MemberKind::Constructor { params, body } => concat(vec![
                text("constructor"),
                self.params(params),
                text(" "),
                self.block(body),
            ]),
            MemberKind::Method {
                mods,
                name,
                params,
                body,
            } => concat(vec![
                modifiers(mods),
                text("function "),
                self.name(name),
                self.params(params),
                text(" "),
                self.block(body),
            ]),
            MemberKind::Property { mods, name, init } => {
                let mut parts = vec![modifiers(mods), self.var(name)];
                if let Some(e) = init {
                    parts.push(text(" = "));
                    parts.push(self.expr(e));
                }
                parts.push(text(";"));
                concat(parts)
            }
        }
    }

    fn import(&mut self, import: &Import) -> Doc {
        let what = match &import.kind {
            ImportKind::Names(specs) => {
                let specs: Vec<Doc> = specs.iter().map(|s| self.import_spec(s)).collect();
                if specs.is_empty() {
                    text("{}")
                } else {
                    Doc::group(concat(vec![
                        text("{"),
                        Doc::indent(concat(vec![Doc::Line, comma_list(specs)])),
                        Doc::Line,
                        text("}"),
                    ]))
                }
            }
            ImportKind::Namespace(n) => concat(vec![text("* as "), self.name(n)]),
            ImportKind::Data { var, .. } => self.var(var),
        };
        let mut parts = vec![text("import "), what, text(" from ")];
        parts.push(self.comments_before(import.from.span.start as usize));
        parts.push(text(self.slice(import.from.span)));
        if let ImportKind::Data {
            with: Some(with), ..
        } = &import.kind
        {
            parts.push(text(" with "));
            parts.push(self.expr(with));
        }
        parts.push(text(";"));
        concat(parts)
    }

    fn import_spec(&mut self, spec: &ImportSpec) -> Doc {
        let name = |p: &mut Self, n: &Name| {
            if spec.is_var {
                p.var(n)
            } else {
                p.name(n)
            }
        };
        let mut parts = vec![name(self, &spec.name)];
        if let Some(a) = &spec.alias {
            parts.push(text(" as "));
            parts.push(name(self, a));
        }
        concat(parts)
    }

    /// An identifier, after the comments before it.
    fn name(&mut self, name: &Name) -> Doc {
        let lead = self.comments_before(name.span.start as usize);
        concat(vec![lead, text(name.text.clone())])
    }

    /// A variable name with its `$`, after the comments before it.
    fn var(&mut self, name: &Name) -> Doc {
        let lead = self.comments_before(name.span.start as usize);
        concat(vec![lead, text(format!("${}", name.text))])
    }

    fn params(&mut self, params: &[Param]) -> Doc {
        let docs: Vec<Doc> = params.iter().map(|p| self.param(p)).collect();
        self.delimited("(", docs, ")", None, false)
    }

    fn param(&mut self, param: &Param) -> Doc {
        let mut parts = vec![self.comments_before(param.span.start as usize)];
        if param.variadic {
            parts.push(text("..."));
        }
        parts.push(self.var(&param.name));
        if let Some(d) = &param.default {
            parts.push(text(" = "));
            parts.push(self.expr(d));
        }
        concat(parts)
    }

    /// `open items close` on one line if it fits, else one item per line
    /// with a trailing comma; `close_at` is the offset of the closing
    /// delimiter, so comments before it stay inside; `expanded` breaks it
    /// whatever its width.
    fn delimited(
        &mut self,
        open: &str,
        items: Vec<Doc>,
        close: &str,
        close_at: Option<usize>,
        expanded: bool,
    ) -> Doc {
        if items.is_empty() {
            let inside = close_at.map_or(text(""), |pos| self.comments_inside_empty(pos));
            return concat(vec![text(open), inside, text(close)]);
        }
        let tail = close_at.map_or(text(""), |pos| self.comments_before_close(pos));
        let force = if expanded { Doc::BreakParent } else { text("") };
        Doc::group(concat(vec![
            text(open),
            force,
            Doc::indent(concat(vec![Doc::SoftLine, comma_list(items), tail])),
            Doc::SoftLine,
            text(close),
        ]))
    }

    /// Whether a newline follows the opening bracket ending at `from`,
    /// before the first item.
    fn newline_after_open(&self, from: usize, items: &[ArrayItem]) -> bool {
        let first = match items.first() {
            Some(ArrayItem::Value(e) | ArrayItem::Keyed(e, _) | ArrayItem::Spread(e)) => e,
            None => return false,
        };
        self.src[from..first.span.start as usize].contains('\n')
    }

    /// `(expr)` of a statement header.
    fn paren(&mut self, e: &Expr) -> Doc {
        concat(vec![text("("), self.expr(e), text(")")])
    }

    fn expr(&mut self, e: &Expr) -> Doc {
        let lead = self.comments_before(e.span.start as usize);
        let doc = self.expr_kind(e);
        concat(vec![lead, doc])
    }

    fn expr_kind(&mut self, e: &Expr) -> Doc {
        let close = (e.span.end as usize).saturating_sub(1);
        match &e.kind {
            ExprKind::Number(_)
            | ExprKind::Str(_)
            | ExprKind::Regex { .. }
            | ExprKind::Bool(_)
            | ExprKind::None
            | ExprKind::Var(_)
            | ExprKind::Ident(_)
            | ExprKind::Error => text(self.slice(e.span)),
            ExprKind::Builtin(n) => concat(vec![text("builtin "), self.name(n)]),
            ExprKind::ScopeRes { scope, member } => {
                let scope = match scope {
                    Scope::Named(n) => self.name(n),
                    Scope::Static(_) => text("static"),
                };
                let member = match member {
                    ScopeMember::Ident(n) => self.name(n),
                    ScopeMember::Var(n) => self.var(n),
                };
                concat(vec![scope, text("::"), member])
            }
            ExprKind::Paren(inner) => {
                let inner = self.expr(inner);
                let tail = self.comments_before_close(close);
                concat(vec![text("("), inner, tail, text(")")])
            }
            ExprKind::Array(items) => {
                let (open, end) = if self.slice(e.span).starts_with('[') {
                    ("[", "]")
                } else {
                    ("array(", ")")
                };
                // A keyed array written over several lines stays broken.
                let expanded = items.iter().any(|i| matches!(i, ArrayItem::Keyed(..)))
                    && self.newline_after_open(e.span.start as usize + open.len(), items);
                let items: Vec<Doc> = items.iter().map(|i| self.array_item(i)).collect();
                self.delimited(open, items, end, Some(close), expanded)
            }
            ExprKind::Function(f) => {
                let mut parts = vec![text("function "), self.params(&f.params)];
                if !f.captures.is_empty() {
                    let caps: Vec<Doc> = f.captures.iter().map(|n| self.var(n)).collect();
                    parts.push(text(" closure "));
                    parts.push(self.delimited("(", caps, ")", None, false));
                }
                parts.push(text(" "));
                parts.push(self.block(&f.body));
                concat(parts)
            }
            ExprKind::Match { subject, arms } => {
                let subject = self.paren(subject);
                let arms: Vec<Doc> = arms.iter().map(|a| self.arm(a)).collect();
                let tail = self.comments_before_close(close);
                let body = if arms.is_empty() {
                    concat(vec![text("{"), tail, text("}")])
                } else {
                    // One arm per line, always, with a trailing comma.
                    let mut lines = Vec::new();
                    for arm in arms {
                        lines.push(Doc::HardLine);
                        lines.push(arm);
                        lines.push(text(","));
                    }
                    lines.push(tail);
                    concat(vec![
                        text("{"),
                        Doc::indent(concat(lines)),
                        Doc::HardLine,
                        text("}"),
                    ])
                };
                concat(vec![text("match "), subject, text(" "), body])
            }
            ExprKind::Cache { options, call } => {
                let options: Vec<Doc> = options.iter().map(|i| self.array_item(i)).collect();
                let options = self.delimited("[", options, "]", None, false);
                concat(vec![text("cache "), options, text(" "), self.expr(call)])
            }
            ExprKind::Isset(inner) => self.keyword_call("isset", inner, close),
            ExprKind::Unset(inner) => self.keyword_call("unset", inner, close),
            ExprKind::Call { callee, args } => {
                let callee = self.expr(callee);
                concat(vec![callee, self.args(args, close)])
            }
            ExprKind::Index { base, index } => {
                let base = self.expr(base);
                let index = self.expr(index);
                concat(vec![base, text("["), index, text("]")])
            }
            ExprKind::PathIndex { base, path } => {
                let base = self.expr(base);
                let path = self.expr(path);
                concat(vec![base, text("[..."), path, text("]")])
            }
            ExprKind::Append { base } => concat(vec![self.expr(base), text("[]")]),
            ExprKind::Slice {
                base,
                start,
                stop,
                step,
            } => {
                let mut parts = vec![self.expr(base), text("[")];
                if let Some(s) = start {
                    parts.push(self.expr(s));
                }
                parts.push(text(":"));
                if let Some(s) = stop {
                    parts.push(self.expr(s));
                }
                if let Some(s) = step {
                    parts.push(text(":"));
                    parts.push(self.expr(s));
                }
                parts.push(text("]"));
                concat(parts)
            }
            ExprKind::Member { base, name } => {
                let base = self.expr(base);
                concat(vec![base, text("->"), self.name(name)])
            }
            ExprKind::Unary { op, operand } => {
                let op = match op {
                    UnaryOp::Not if self.slice(e.span).starts_with("not") => "not ",
                    UnaryOp::Not => "!",
                    UnaryOp::Neg if starts_with_sign(operand, false) => "- ",
                    UnaryOp::Neg => "-",
                    UnaryOp::Plus if starts_with_sign(operand, true) => "+ ",
                    UnaryOp::Plus => "+",
                    UnaryOp::BitNot => "~",
                };
                concat(vec![text(op), self.expr(operand)])
            }
            ExprKind::IncDec {
                increment,
                prefix,
                target,
            } => {
                let op = text(if *increment { "++" } else { "--" });
                let target = self.expr(target);
                if *prefix {
                    concat(vec![op, target])
                } else {
                    concat(vec![target, op])
                }
            }
            ExprKind::Binary { op, .. } => {
                let mut operands = Vec::new();
                flatten(e, *op, &mut operands);
                let first = self.expr(operands[0]);
                let mut rest = Vec::new();
                for operand in &operands[1..] {
                    rest.push(text(format!(" {}", op.as_str())));
                    rest.push(Doc::Line);
                    rest.push(self.expr(operand));
                }
                Doc::group(concat(vec![first, Doc::indent(concat(rest))]))
            }
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => {
                let cond = self.expr(cond);
                let mut rest = Vec::new();
                match then {
                    Some(t) => {
                        rest.push(Doc::Line);
                        rest.push(text("? "));
                        rest.push(self.expr(t));
                        rest.push(Doc::Line);
                        rest.push(text(": "));
                    }
                    None => {
                        rest.push(Doc::Line);
                        rest.push(text("?: "));
                    }
                }
                rest.push(self.expr(otherwise));
                Doc::group(concat(vec![cond, Doc::indent(concat(rest))]))
            }
            ExprKind::Assign { op, target, value } => {
                let op = match op {
                    AssignOp::Assign => " = ".to_string(),
                    AssignOp::Compound(b) => format!(" {}= ", b.as_str()),
                };
                let target = self.expr(target);
                concat(vec![target, text(op), self.expr(value)])
            }
            ExprKind::Destructure { pattern, value } => {
                let items: Vec<Doc> = pattern.items.iter().map(|i| self.pattern_item(i)).collect();
                let close = (pattern.span.end as usize).saturating_sub(1);
                let pattern = self.delimited("[", items, "]", Some(close), false);
                concat(vec![pattern, text(" = "), self.expr(value)])
            }
        }
    }

    fn keyword_call(&mut self, keyword: &str, inner: &Expr, close: usize) -> Doc {
        let inner = self.expr(inner);
        let tail = self.comments_before_close(close);
        concat(vec![text(format!("{keyword}(")), inner, tail, text(")")])
    }

    fn args(&mut self, args: &[Arg], close: usize) -> Doc {
        let huggable = |a: &Arg| {
            !a.spread && matches!(&a.expr.kind, ExprKind::Function(_) | ExprKind::Match { .. })
                || matches!(&a.expr.kind, ExprKind::Array(items) if !items.is_empty())
        };
        let hug = args.last().is_some_and(huggable)
            && args[..args.len() - 1]
                .iter()
                .all(|a| !huggable(a) && !has_block(&a.expr));
        let docs: Vec<Doc> = args.iter().map(|a| self.arg(a)).collect();
        if hug {
            let tail = self.comments_before_close(close);
            return concat(vec![text("("), join(docs, ", "), tail, text(")")]);
        }
        self.delimited("(", docs, ")", Some(close), false)
    }

    fn arg(&mut self, arg: &Arg) -> Doc {
        let lead = self.comments_before(arg.expr.span.start as usize);
        let spread = text(if arg.spread { "..." } else { "" });
        concat(vec![lead, spread, self.expr(&arg.expr)])
    }

    fn array_item(&mut self, item: &ArrayItem) -> Doc {
        match item {
            ArrayItem::Value(e) => self.expr(e),
            ArrayItem::Keyed(k, v) => concat(vec![self.expr(k), text(" => "), self.expr(v)]),
            ArrayItem::Spread(e) => {
                let lead = self.comments_before(e.span.start as usize);
                concat(vec![lead, text("..."), self.expr(e)])
            }
        }
    }

    fn arm(&mut self, arm: &MatchArm) -> Doc {
        let lead = self.comments_before(arm.span.start as usize);
        let patterns = if arm.patterns.is_empty() {
            text("default")
        } else {
            let docs: Vec<Doc> = arm.patterns.iter().map(|p| self.expr(p)).collect();
            join(docs, ", ")
        };
        concat(vec![lead, patterns, text(" => "), self.expr(&arm.result)])
    }

    fn pattern_item(&mut self, item: &PatternItem) -> Doc {
        let default = |p: &mut Self, d: &Option<Expr>| match d {
            Some(d) => concat(vec![text(" = "), p.expr(d)]),
            None => text(""),
        };
        match item {
            PatternItem::Positional { target, default: d } => {
                concat(vec![self.expr(target), default(self, d)])
            }
            PatternItem::Keyed {
                key,
                target,
                default: d,
            } => concat(vec![
                self.expr(key),
                text(" => "),
                self.expr(target),
                default(self, d),
            ]),
            PatternItem::Rest(e) => {
                let lead = self.comments_before(e.span.start as usize);
                concat(vec![lead, text("..."), self.expr(e)])
            }
        }
    }
}

/// `{`, the lines of `body` indented, `}` (or `{}` when there is nothing).
fn braces(lead: Doc, body: Doc) -> Doc {
    if matches!(&body, Doc::Concat(parts) if parts.is_empty()) {
        return concat(vec![lead, text("{}")]);
    }
    concat(vec![
        lead,
        text("{"),
        Doc::indent(body),
        Doc::HardLine,
        text("}"),
    ])
}

fn join(docs: Vec<Doc>, sep: &str) -> Doc {
    let mut parts = Vec::with_capacity(docs.len() * 2);
    for (i, d) in docs.into_iter().enumerate() {
        if i > 0 {
            parts.push(text(sep));
        }
        parts.push(d);
    }
    concat(parts)
}

fn modifiers(mods: &Modifiers) -> Doc {
    let mut s = String::new();
    for (on, word) in [
        (mods.private, "private "),
        (mods.is_static, "static "),
        (mods.readonly, "readonly "),
    ] {
        if on {
            s.push_str(word);
        }
    }
    text(s)
}

/// The operands of a chain of `op` (`$a . $b . $c`); `**` associates to
/// the right and is not flattened.
fn flatten<'e>(e: &'e Expr, op: BinaryOp, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Binary { op: o, lhs, rhs } if *o == op => {
            if op == BinaryOp::Pow {
                out.push(lhs);
            } else {
                flatten(lhs, op, out);
            }
            out.push(rhs);
        }
        _ => out.push(e),
    }
}

/// Whether `e` prints starting with `+` (`plus`) or `-`, so a unary sign
/// before it needs a space (`- -$x`, not the decrement `--$x`).
fn starts_with_sign(e: &Expr, plus: bool) -> bool {
    match &e.kind {
        ExprKind::Unary { op, .. } => *op == if plus { UnaryOp::Plus } else { UnaryOp::Neg },
        ExprKind::IncDec {
            increment, prefix, ..
        } => *prefix && *increment == plus,
        _ => false,
    }
}

/// Whether an expression holds a block (a function literal), which breaks
/// any group around it.
fn has_block(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Function(_) | ExprKind::Match { .. })
}
