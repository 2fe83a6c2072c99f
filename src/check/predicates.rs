//! Named predicates and built-in functions: `dprk_linked(p)`, `lower(p.name)`.
//!
//! A predicate is checked and expanded where it is called, with its parameters standing for the
//! arguments, so that it costs nothing at run time and every use is typed with the arguments it
//! is given. The rule's own variables are not visible inside it (a predicate means the same in
//! every rule), and a predicate that calls itself, directly or through others, is refused: its
//! expansion would never end.

use std::cell::Cell;
use std::collections::HashMap;

use super::expr::{Scope, Variable, expect, lower};
use super::{Constants, Type};
use crate::ast::{self, ExprKind, Ident, Item, PolicyFile, PredicateDecl};
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::{Expr, Function};
use crate::source::{SourceMap, Span};

/// A predicate as the checker knows it.
pub(super) struct Predicate<'a> {
    decl: &'a PredicateDecl,
    /// Set when a rule calls it, for the unused-predicate warning.
    used: Cell<bool>,
}

/// Every predicate of the loaded files, by name.
pub(super) type Predicates<'a> = HashMap<String, Predicate<'a>>;

/// Collects the predicates of all files, refusing duplicates and names already taken.
pub(super) fn collect<'a>(
    files: &'a [PolicyFile],
    sources: &SourceMap,
    constants: &Constants,
    out: &mut Vec<Diagnostic>,
) -> Predicates<'a> {
    let mut predicates = Predicates::new();
    for decl in files
        .iter()
        .flat_map(|f| &f.items)
        .filter_map(|item| match item {
            Item::Predicate(decl) => Some(decl),
            _ => None,
        })
    {
        let name = &decl.name;
        let taken = if let Some(first) = predicates.get(&name.node) {
            Some(format!(
                "predicate `{}` is already defined at {}",
                name.node,
                sources.location(first.decl.name.span)
            ))
        } else if constants.contains_key(&name.node) {
            Some(format!("`{}` is already the name of a constant", name.node))
        } else if function(&name.node).is_some() || name.node == NAME_SIMILARITY {
            Some(format!("`{}` is a built-in function", name.node))
        } else {
            None
        };
        if let Some(message) = taken {
            out.push(
                Diagnostic::error(Code::DuplicateName, name.span, message)
                    .with_help("give the predicate a name of its own"),
            );
            continue;
        }
        check_parameters(decl, out);
        predicates.insert(
            name.node.clone(),
            Predicate {
                decl,
                used: Cell::new(false),
            },
        );
    }
    predicates
}

/// Parameters must have distinct names.
fn check_parameters(decl: &PredicateDecl, out: &mut Vec<Diagnostic>) {
    for (index, param) in decl.params.iter().enumerate() {
        if decl.params.iter().take(index).any(|p| p.node == param.node) {
            out.push(Diagnostic::error(
                Code::AlreadyDefined,
                param.span,
                format!("parameter `{}` is named twice", param.node),
            ));
        }
    }
}

/// Warns of predicates no rule calls.
pub(super) fn unused(predicates: &Predicates<'_>) -> Vec<Diagnostic> {
    let mut unused: Vec<Diagnostic> = predicates
        .values()
        .filter(|p| !p.used.get())
        .map(|p| {
            Diagnostic::warning(
                Code::UnusedPredicate,
                p.decl.name.span,
                format!("predicate `{}` is never used", p.decl.name.node),
            )
            .with_help("call it from a rule, or remove it")
        })
        .collect();
    unused.sort_by_key(|d| (d.span.source, d.span.start));
    unused
}

fn function(name: &str) -> Option<Function> {
    Function::ALL
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, f)| *f)
}

/// `name(args)`: a built-in function or a predicate, expanded in place.
/// The built-in function that converts an amount through the facts' rates.
const CONVERT: &str = "convert";

pub(super) fn lower_call(
    name: &Ident,
    args: &[ast::Expr],
    span: Span,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    if name.node == NAME_SIMILARITY {
        return name_similarity(name, args, span, scope, out);
    }
    if name.node == CONVERT {
        return super::compute::lower_convert(args, span, scope, out);
    }
    if let Some(function) = function(&name.node) {
        let [arg] = args else {
            out.push(wrong_arguments(name, 1, args.len(), span));
            return None;
        };
        let (value, ty) = lower(arg, scope, out)?;
        expect(
            ty,
            &[Type::Text, Type::Any],
            arg.span,
            &format!("the argument of `{}`", name.node),
            out,
        )?;
        return Some((Expr::Function(function, Box::new(value)), Type::Text));
    }
    let env = scope.env;
    let Some(predicate) = env.predicates.get(&name.node) else {
        let known = env
            .predicates
            .keys()
            .map(String::as_str)
            .chain(Function::ALL.iter().map(|(n, _)| *n))
            .chain([NAME_SIMILARITY, CONVERT]);
        out.push(
            Diagnostic::error(
                Code::UnknownName,
                name.span,
                format!("there is no predicate or function `{}`", name.node),
            )
            .with_label("not defined")
            .with_suggestion(&name.node, known)
            .with_help_if_none(
                "define it with `predicate name(x): condition` in any loaded policy",
            ),
        );
        return None;
    };
    predicate.used.set(true);
    let decl = predicate.decl;
    if decl.params.len() != args.len() {
        out.push(wrong_arguments(name, decl.params.len(), args.len(), span));
        return None;
    }
    if let Some(first) = scope.calling.iter().position(|c| *c == name.node) {
        let mut cycle: Vec<&str> = scope
            .calling
            .iter()
            .skip(first)
            .map(String::as_str)
            .collect();
        cycle.push(&name.node);
        out.push(
            Diagnostic::error(
                Code::RecursivePredicate,
                name.span,
                format!(
                    "predicate `{}` calls itself ({})",
                    name.node,
                    cycle.join(" → ")
                ),
            )
            .with_label("recursive call")
            .with_help("a predicate may call other predicates, but never itself; for a chain of relations use a walk such as `some o in e.owners up to 3 levels`"),
        );
        return None;
    }
    let mut params = Vec::with_capacity(args.len());
    for (param, arg) in decl.params.iter().zip(args) {
        params.push(parameter(param, arg, scope, out)?);
    }
    expand(decl, params, scope, out)
}

/// A parameter standing for its argument: the same variable when the argument is one (an
/// entity, an earlier transaction, a designation: walks, tests and fields apply to it),
/// otherwise the argument's value.
fn parameter(
    param: &Ident,
    arg: &ast::Expr,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Variable> {
    if let ExprKind::Path(path) = &arg.kind
        && let [name] = path.as_slice()
        && let Some(variable) = scope.lookup(&name.node)
    {
        return Some(Variable {
            name: param.node.clone(),
            witness: false,
            ..variable.clone()
        });
    }
    let (value, ty) = lower(arg, scope, out)?;
    Some(Variable {
        name: param.node.clone(),
        slot: 0,
        origin: super::expr::Origin::Walk,
        witness: false,
        alias: Some((value, ty)),
    })
}

/// The predicate's body, checked with only its parameters visible.
fn expand(
    decl: &PredicateDecl,
    params: Vec<Variable>,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let outer = std::mem::replace(&mut scope.visible, params);
    scope.calling.push(decl.name.node.clone());
    // Variables bound inside a predicate are its own: they never name a rule's witness.
    scope.negative += 1;
    let body = lower(&decl.body, scope, out);
    scope.negative -= 1;
    scope.calling.pop();
    scope.visible = outer;
    let (body, ty) = body?;
    expect(
        ty,
        &[Type::Bool, Type::Any],
        decl.body.span,
        &format!("the body of predicate `{}`", decl.name.node),
        out,
    )?;
    Some((body, Type::Bool))
}

/// The built-in function comparing two names as name screening does.
const NAME_SIMILARITY: &str = "name_similarity";

/// `name_similarity(a, b)`: two texts in, a number from 0 to 1 out.
fn name_similarity(
    name: &Ident,
    args: &[ast::Expr],
    span: Span,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let [first, second] = args else {
        out.push(wrong_arguments(name, 2, args.len(), span));
        return None;
    };
    let mut names = Vec::with_capacity(2);
    for arg in [first, second] {
        let (value, ty) = lower(arg, scope, out)?;
        expect(
            ty,
            &[Type::Text, Type::Any],
            arg.span,
            "a name compared by `name_similarity`",
            out,
        )?;
        names.push(Box::new(value));
    }
    let second = names.pop()?;
    let first = names.pop()?;
    Some((Expr::NameSimilarity(first, second), Type::Number))
}

fn wrong_arguments(name: &Ident, wanted: usize, given: usize, span: Span) -> Diagnostic {
    let plural = if wanted == 1 { "" } else { "s" };
    Diagnostic::error(
        Code::WrongArguments,
        span,
        format!(
            "`{}` takes {wanted} argument{plural}, but {given} are given here",
            name.node
        ),
    )
}
