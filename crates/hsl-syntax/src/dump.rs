//! A compact, stable text form of the syntax tree (S-expressions, one
//! statement per line with its line number), used by snapshot tests and
//! `hsl parse --dump`.

use crate::ast::*;
use crate::LineIndex;
use std::fmt::Write;

/// Renders `program` (parsed from `source`) as indented S-expressions.
pub fn dump(program: &Program, source: &str) -> String {
    let mut d = Dumper {
        out: String::new(),
        index: LineIndex::new(source),
    };
    for s in &program.stmts {
        d.stmt(s, 0);
    }
    d.out
}

struct Dumper {
    out: String,
    index: LineIndex,
}

fn name_list(names: &[Name], sigil: &str) -> String {
    names
        .iter()
        .map(|n| format!("{sigil}{}", n.text))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Dumper {
    fn line(&mut self, depth: usize, span: crate::Span, text: &str) {
        let line = self.index.line_of(span.start as usize) + 1;
        let _ = writeln!(self.out, "{:>4} {}{}", line, "  ".repeat(depth), text);
    }

    fn stmts(&mut self, stmts: &[Stmt], depth: usize) {
        for s in stmts {
            self.stmt(s, depth);
        }
    }

    fn stmt(&mut self, s: &Stmt, depth: usize) {
        let d = depth + 1;
        match &s.kind {
            StmtKind::Expr(e) => self.line(depth, s.span, &expr(e)),
            StmtKind::Echo(e) => self.line(depth, s.span, &format!("echo {}", expr(e))),
            StmtKind::Block(b) => {
                self.line(depth, s.span, "block");
                self.stmts(&b.stmts, d);
            }
            StmtKind::Empty => self.line(depth, s.span, "empty"),
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                self.line(depth, s.span, &format!("if {}", expr(cond)));
                self.stmt(then, d);
                if let Some(o) = otherwise {
                    self.line(depth, o.span, "else");
                    self.stmt(o, d);
                }
            }
            StmtKind::While { cond, body } => {
                self.line(depth, s.span, &format!("while {}", expr(cond)));
                self.stmt(body, d);
            }
            StmtKind::Forever { body } => {
                self.line(depth, s.span, "forever");
                self.stmt(body, d);
            }
            StmtKind::For {
                init,
                cond,
                update,
                body,
            } => {
                let list = |v: &[Expr]| v.iter().map(expr).collect::<Vec<_>>().join(" ");
                let c = cond.as_ref().map(expr).unwrap_or_else(|| "-".into());
                self.line(
                    depth,
                    s.span,
                    &format!("for ({}) {c} ({})", list(init), list(update)),
                );
                self.stmt(body, d);
            }
            StmtKind::Foreach {
                subject,
                key,
                value,
                body,
            } => {
                let k = key
                    .as_ref()
                    .map(|k| format!("${} => ", k.text))
                    .unwrap_or_default();
                self.line(
                    depth,
                    s.span,
                    &format!("foreach {} as {k}${}", expr(subject), value.text),
                );
                self.stmt(body, d);
            }
            StmtKind::Switch { subject, cases } => {
                self.line(depth, s.span, &format!("switch {}", expr(subject)));
                for c in cases {
                    let label = c
                        .label
                        .as_ref()
                        .map(|l| format!("case {}", expr(l)))
                        .unwrap_or("default".into());
                    self.line(d, c.span, &label);
                    self.stmts(&c.body, d + 1);
                }
            }
            StmtKind::Break => self.line(depth, s.span, "break"),
            StmtKind::Continue => self.line(depth, s.span, "continue"),
            StmtKind::Return(e) => {
                let v = e
                    .as_ref()
                    .map(|e| format!(" {}", expr(e)))
                    .unwrap_or_default();
                self.line(depth, s.span, &format!("return{v}"));
            }
            StmtKind::Throw(e) => self.line(depth, s.span, &format!("throw {}", expr(e))),
            StmtKind::Try { body, var, handler } => {
                self.line(depth, s.span, "try");
                self.stmts(&body.stmts, d);
                self.line(depth, handler.span, &format!("catch ${}", var.text));
                self.stmts(&handler.stmts, d);
            }
            StmtKind::Global(names) => {
                self.line(depth, s.span, &format!("global {}", name_list(names, "$")))
            }
            StmtKind::Include { once, path } => {
                let kw = if *once { "include_once" } else { "include" };
                self.line(depth, s.span, &format!("{kw} {:?}", path.value));
            }
            StmtKind::Import(i) => {
                let what = match &i.kind {
                    ImportKind::Names(specs) => {
                        let specs: Vec<String> = specs
                            .iter()
                            .map(|sp| {
                                let sigil = if sp.is_var { "$" } else { "" };
                                match &sp.alias {
                                    Some(a) => {
                                        format!("{sigil}{} as {sigil}{}", sp.name.text, a.text)
                                    }
                                    None => format!("{sigil}{}", sp.name.text),
                                }
                            })
                            .collect();
                        format!("{{{}}}", specs.join(", "))
                    }
                    ImportKind::Namespace(n) => format!("* as {}", n.text),
                    ImportKind::Data { var, .. } => format!("${}", var.text),
                };
                let with = match &i.kind {
                    ImportKind::Data { with: Some(w), .. } => format!(" with {}", expr(w)),
                    _ => String::new(),
                };
                self.line(
                    depth,
                    s.span,
                    &format!("import {what} from {:?}{with}", i.from.value),
                );
            }
            StmtKind::Function(f) => {
                self.line(
                    depth,
                    s.span,
                    &format!("function {}({})", f.name.text, params(&f.params)),
                );
                self.stmts(&f.body.stmts, d);
            }
            StmtKind::Class(c) => {
                self.line(depth, s.span, &format!("class {}", c.name.text));
                for m in &c.members {
                    match &m.kind {
                        MemberKind::Constructor { params: p, body } => {
                            self.line(d, m.span, &format!("constructor({})", params(p)));
                            self.stmts(&body.stmts, d + 1);
                        }
                        MemberKind::Method {
                            mods: md,
                            name,
                            params: p,
                            body,
                        } => {
                            self.line(
                                d,
                                m.span,
                                &format!("{}function {}({})", mods(md), name.text, params(p)),
                            );
                            self.stmts(&body.stmts, d + 1);
                        }
                        MemberKind::Property {
                            mods: md,
                            name,
                            init,
                        } => {
                            let i = init
                                .as_ref()
                                .map(|e| format!(" = {}", expr(e)))
                                .unwrap_or_default();
                            self.line(d, m.span, &format!("{}${}{i}", mods(md), name.text));
                        }
                    }
                }
            }
            StmtKind::Barrier { name, var, body } => {
                let v = var
                    .as_ref()
                    .map(|v| format!(" => ${}", v.text))
                    .unwrap_or_default();
                self.line(depth, s.span, &format!("barrier {}{v}", expr(name)));
                self.stmts(&body.stmts, d);
            }
            StmtKind::Error => self.line(depth, s.span, "<error>"),
        }
    }
}

fn mods(m: &Modifiers) -> String {
    let mut s = String::new();
    for (on, word) in [
        (m.private, "private "),
        (m.is_static, "static "),
        (m.readonly, "readonly "),
    ] {
        if on {
            s.push_str(word);
        }
    }
    s
}

fn params(ps: &[Param]) -> String {
    ps.iter()
        .map(|p| {
            let rest = if p.variadic { "..." } else { "" };
            let default = p
                .default
                .as_ref()
                .map(|d| format!(" = {}", expr(d)))
                .unwrap_or_default();
            format!("{rest}${}{default}", p.name.text)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn items(items: &[ArrayItem]) -> String {
    items
        .iter()
        .map(|i| match i {
            ArrayItem::Value(e) => expr(e),
            ArrayItem::Keyed(k, v) => format!("{} => {}", expr(k), expr(v)),
            ArrayItem::Spread(e) => format!("...{}", expr(e)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn string(lit: &StrLit) -> String {
    let mut s = String::from(if lit.raw { "raw\"" } else { "\"" });
    for p in &lit.parts {
        match &p.kind {
            StrPartKind::Text(t) => {
                s.push_str(&String::from_utf8_lossy(t).escape_debug().to_string())
            }
            StrPartKind::Var(v) => {
                let _ = write!(s, "{{${v}}}");
            }
        }
    }
    s.push('"');
    s
}

fn opt(e: &Option<Box<Expr>>) -> String {
    e.as_ref().map(|e| expr(e)).unwrap_or_default()
}

/// Renders one expression as an S-expression.
pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Number(n) => format!("{n}"),
        ExprKind::Str(s) => string(s),
        ExprKind::Regex { pattern, flags } => format!("#/{pattern}/{flags}"),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::None => "none".into(),
        ExprKind::Var(v) => format!("${v}"),
        ExprKind::Ident(i) => i.clone(),
        ExprKind::Builtin(n) => format!("(builtin {})", n.text),
        ExprKind::ScopeRes { scope, member } => {
            let s = match scope {
                Scope::Named(n) => n.text.clone(),
                Scope::Static(_) => "static".into(),
            };
            match member {
                ScopeMember::Ident(m) => format!("{s}::{}", m.text),
                ScopeMember::Var(m) => format!("{s}::${}", m.text),
            }
        }
        ExprKind::Paren(e) => format!("(paren {})", expr(e)),
        ExprKind::Array(i) => format!("[{}]", items(i)),
        ExprKind::Function(f) => {
            let caps = if f.captures.is_empty() {
                String::new()
            } else {
                format!(" closure({})", name_list(&f.captures, "$"))
            };
            format!(
                "(function ({}){caps} {{{} stmts}})",
                params(&f.params),
                f.body.stmts.len()
            )
        }
        ExprKind::Match { subject, arms } => {
            let arms: Vec<String> = arms
                .iter()
                .map(|a| {
                    let pats = if a.patterns.is_empty() {
                        "default".to_string()
                    } else {
                        a.patterns.iter().map(expr).collect::<Vec<_>>().join(", ")
                    };
                    format!("{pats} => {}", expr(&a.result))
                })
                .collect();
            format!("(match {} {{{}}})", expr(subject), arms.join("; "))
        }
        ExprKind::Cache { options, call } => format!("(cache [{}] {})", items(options), expr(call)),
        ExprKind::Isset(e) => format!("(isset {})", expr(e)),
        ExprKind::Unset(e) => format!("(unset {})", expr(e)),
        ExprKind::Call { callee, args } => {
            let args: Vec<String> = args
                .iter()
                .map(|a| {
                    if a.spread {
                        format!("...{}", expr(&a.expr))
                    } else {
                        expr(&a.expr)
                    }
                })
                .collect();
            let sep = if args.is_empty() { "" } else { " " };
            format!("(call {}{sep}{})", expr(callee), args.join(" "))
        }
        ExprKind::Index { base, index } => format!("(index {} {})", expr(base), expr(index)),
        ExprKind::PathIndex { base, path } => format!("(path {} {})", expr(base), expr(path)),
        ExprKind::Append { base } => format!("(append {})", expr(base)),
        ExprKind::Slice {
            base,
            start,
            stop,
            step,
        } => {
            format!(
                "(slice {} {}:{}:{})",
                expr(base),
                opt(start),
                opt(stop),
                opt(step)
            )
        }
        ExprKind::Member { base, name } => format!("(-> {} {})", expr(base), name.text),
        ExprKind::Unary { op, operand } => {
            let o = match op {
                UnaryOp::Not => "!",
                UnaryOp::Neg => "neg",
                UnaryOp::Plus => "pos",
                UnaryOp::BitNot => "~",
            };
            format!("({o} {})", expr(operand))
        }
        ExprKind::IncDec {
            increment,
            prefix,
            target,
        } => {
            let op = if *increment { "++" } else { "--" };
            let fix = if *prefix { "pre" } else { "post" };
            format!("({fix}{op} {})", expr(target))
        }
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", op.as_str(), expr(lhs), expr(rhs))
        }
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => match then {
            Some(t) => format!("(? {} {} {})", expr(cond), expr(t), expr(otherwise)),
            None => format!("(?: {} {})", expr(cond), expr(otherwise)),
        },
        ExprKind::Assign { op, target, value } => {
            let o = match op {
                AssignOp::Assign => "=".to_string(),
                AssignOp::Compound(b) => format!("{}=", b.as_str()),
            };
            format!("({o} {} {})", expr(target), expr(value))
        }
        ExprKind::Destructure { pattern, value } => {
            let items: Vec<String> = pattern
                .items
                .iter()
                .map(|i| match i {
                    PatternItem::Positional { target, default } => {
                        with_default(expr(target), default)
                    }
                    PatternItem::Keyed {
                        key,
                        target,
                        default,
                    } => with_default(format!("{} => {}", expr(key), expr(target)), default),
                    PatternItem::Rest(t) => format!("...{}", expr(t)),
                })
                .collect();
            format!("(destructure [{}] {})", items.join(", "), expr(value))
        }
        ExprKind::Error => "<error>".into(),
    }
}

fn with_default(s: String, default: &Option<Expr>) -> String {
    match default {
        Some(d) => format!("{s} = {}", expr(d)),
        None => s,
    }
}
