//! What one file declares: its functions and classes (nested ones too) and
//! the names it declares `global`, found in one walk and shared by its
//! checks in each hook. An editor carries them over from the version before
//! an edit ([`Declared::edited`]) instead of walking the file again.

use crate::env::UserFn;
use crate::model::{self, Decl};
use hsl_syntax::ast::*;
use hsl_syntax::{Mentions, Span};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;

/// The declarations of one file and the names they bring in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Declared {
    /// The declarations in source order (the model's [`crate::model::Model::decls`]).
    pub decls: Vec<Decl>,
    /// The arity of each of `decls` (a class's: its constructor's).
    arities: Vec<UserFn>,
    /// The names of the `global` statements, in source order.
    global_names: Vec<Name>,
    /// By name, what `decls` and `global_names` bring in.
    names: Names,
}

/// The functions, classes and globals a file declares, by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Names {
    pub functions: HashMap<String, UserFn>,
    pub classes: HashMap<String, UserFn>,
    pub globals: HashSet<String>,
}

impl Declared {
    /// What `program`, the parse of `source`, declares. The top-level
    /// statements that mention no declaring word are not walked into.
    pub fn of(program: &Program, source: &str) -> Declared {
        let mentions = Mentions::of(source, &model::DECLARING_WORDS);
        let mut declared = Declared::found(&program.stmts, Some(&mentions));
        declared.names = declared.named();
        declared
    }

    /// What `program` declares, re-parsed after `edit` from a program that
    /// declared `earlier`: the declarations in the top-level statements
    /// `parsed` are found anew, the others kept (moved by the edit's length
    /// after them). `edit` is `(start, old_end, new_end)`: bytes
    /// `start..old_end` of the earlier text are `start..new_end` now.
    pub fn edited(
        earlier: Declared,
        program: &Program,
        parsed: Range<usize>,
        edit: (usize, usize, usize),
    ) -> Declared {
        let (_, old_end, new_end) = edit;
        let stmts = &program.stmts;
        // Where the kept statements before end, and where those after started
        // before the edit.
        let kept_until = parsed.start.checked_sub(1).map_or(0, |i| stmts[i].span.end);
        let moved_from = stmts.get(parsed.end).map_or(u32::MAX, |s| {
            (s.span.start as usize + old_end - new_end) as u32
        });
        let found = Declared::found(&stmts[parsed], None);
        let mut d = earlier;
        // Found in one walk in source order, as `between` needs them.
        debug_assert!(d.decls.is_sorted_by_key(|d| d.name.span.start));
        debug_assert!(d.global_names.is_sorted_by_key(|n| n.span.start));
        // The declarations and globals in the re-parsed statements.
        let decls = between(&d.decls, |d| &d.name, kept_until, moved_from);
        let globals = between(&d.global_names, |n| n, kept_until, moved_from);
        let unchanged = d.same_names(decls.clone(), globals.clone(), &found);
        let shift = |span: &mut Span| {
            span.start = (span.start as usize + new_end - old_end) as u32;
            span.end = (span.end as usize + new_end - old_end) as u32;
        };
        d.decls[decls.end..]
            .iter_mut()
            .for_each(|d| shift(&mut d.name.span));
        d.global_names[globals.end..]
            .iter_mut()
            .for_each(|n| shift(&mut n.span));
        d.decls.splice(decls.clone(), found.decls);
        d.arities.splice(decls, found.arities);
        d.global_names.splice(globals, found.global_names);
        if !unchanged {
            d.names = d.named();
        }
        d
    }

    /// The functions, classes and globals the file declares, by name (the
    /// last declaration of a name wins).
    pub(crate) fn names(&self) -> &Names {
        &self.names
    }

    /// The declarations in `stmts`, without their names indexed; the
    /// top-level statements without declaring words past their start in
    /// `mentions` (when given) are not walked into.
    fn found(stmts: &[Stmt], mentions: Option<&Mentions>) -> Declared {
        let mut d = Declared::default();
        model::each_declaration(stmts, mentions, &mut |s, top_level| {
            let arity = match &s.kind {
                StmtKind::Function(f) => UserFn::of(&f.params, None),
                StmtKind::Class(c) => UserFn::of(constructor(c), None),
                StmtKind::Global(names) => {
                    d.global_names.extend(names.iter().cloned());
                    return;
                }
                _ => return,
            };
            d.decls.extend(Decl::of(s, top_level));
            d.arities.push(arity);
        });
        d
    }

    /// The names `decls` and `global_names` bring in.
    fn named(&self) -> Names {
        let mut names = Names::default();
        for (decl, arity) in self.decls.iter().zip(&self.arities) {
            let map = if decl.is_class {
                &mut names.classes
            } else {
                &mut names.functions
            };
            map.insert(decl.name.text.clone(), arity.clone());
        }
        let globals = self.global_names.iter().map(|n| n.text.clone());
        names.globals.extend(globals);
        names
    }

    /// Whether the declarations `decls` and the globals `globals` of `self`
    /// declare what `other` does, in the same order and with the same
    /// arities, wherever they are.
    fn same_names(&self, decls: Range<usize>, globals: Range<usize>, other: &Declared) -> bool {
        let same_decl = |(a, b): (&Decl, &Decl)| {
            a.name.text == b.name.text && a.is_class == b.is_class && a.top_level == b.top_level
        };
        self.decls[decls.clone()].len() == other.decls.len()
            && self.decls[decls.clone()]
                .iter()
                .zip(&other.decls)
                .all(same_decl)
            && self.arities[decls] == other.arities[..]
            && (self.global_names[globals].iter().map(|n| &n.text))
                .eq(other.global_names.iter().map(|n| &n.text))
    }
}

/// The items of `items` (in source order) whose names start at or after
/// `from` and before `to`.
fn between<T>(items: &[T], name: impl Fn(&T) -> &Name, from: u32, to: u32) -> Range<usize> {
    let before = |at: u32| items.partition_point(|i| name(i).span.start < at);
    before(from)..before(to)
}

/// The parameters of a class's constructor (none without one).
pub(crate) fn constructor(c: &ClassDecl) -> &[Param] {
    c.members
        .iter()
        .find_map(|m| match &m.kind {
            MemberKind::Constructor { params, .. } => Some(params.as_slice()),
            _ => None,
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Declarations carried over an edit are those of the edited text, and
    /// so are the names they bring in (whether kept or indexed again).
    #[test]
    fn an_edit_keeps_what_it_does_not_touch_and_finds_the_rest() {
        let old = "function a() { function inner($x) {} global $g; }\necho 1;\nclass B { constructor($p) {} }\nfunction c($x) { return $x; }\n";
        let edits = [
            ("echo 1;", "echo 22; function d() {}"),
            ("{ return $x; }", "{ return 2; }"),
            ("inner", "renamed"),
            ("inner($x)", "inner($x, $y)"),
            ("global $g;", "global $h;"),
            ("class B { constructor($p) {} }\n", ""),
            ("function a", "$f = function () { class E {} };\nfunction a"),
        ];
        for (from, to) in edits {
            let earlier = Declared::of(&hsl_syntax::parse(old).program, old);
            let at = old.find(from).unwrap();
            let text = old.replacen(from, to, 1);
            let program = hsl_syntax::parse(&text).program;
            // The statements the edit touched, as the editor re-parses them.
            let parsed = program
                .stmts
                .iter()
                .position(|s| s.span.end as usize > at)
                .unwrap_or(program.stmts.len());
            let last = program
                .stmts
                .iter()
                .position(|s| s.span.start as usize >= at + to.len())
                .unwrap_or(program.stmts.len())
                .max(parsed + 1)
                .min(program.stmts.len());
            let edit = (at, at + from.len(), at + to.len());
            let carried = Declared::edited(earlier, &program, parsed..last, edit);
            assert_eq!(carried, Declared::of(&program, &text), "{text}");
        }
    }
}
