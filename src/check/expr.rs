//! Expressions: resolving names and fields, checking types, and lowering to plan expressions.

use super::{Env, Type};
use crate::ast::{self, BinaryOp, ExprKind, Ident, QuantifierKind};
use crate::diagnostic::{Code, Diagnostic, closest};
use crate::facts::Traversal;
use crate::plan::{
    Collection, Comparison, Constant, EntityField, Expr, RegimeSetting, Slot, StringSet, TextTest,
    TransactionField,
};
use crate::source::Span;

/// The deepest relation walk a policy may ask for.
pub const MAX_DEPTH: u32 = 16;

/// How a variable got its value, which decides the fields it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// From `transaction.parties`: an entity with a `role`.
    Party,
    /// From a relation walk: an entity with `via` and `depth`.
    Walk,
    /// From `p.transactions`: an earlier transaction of a party.
    Earlier,
    /// From `p.designations`: one of an entity's designations.
    Designation,
}

#[derive(Debug, Clone)]
pub(super) struct Variable {
    pub(super) name: String,
    pub(super) slot: Slot,
    pub(super) origin: Origin,
    /// Bound by a `some` that is not under `not`, `all` or `no`, so it names the witness when the
    /// rule fires and a message may print it.
    pub(super) witness: bool,
    /// For a predicate's parameter given a value rather than an entity: that value.
    pub(super) alias: Option<(Expr, Type)>,
}

/// Names visible while checking one rule.
pub(super) struct Scope<'a> {
    pub(super) env: &'a Env<'a>,
    /// The policy the rule belongs to, whose indicators `score` adds up.
    pub(super) policy: &'a str,
    pub(super) visible: Vec<Variable>,
    /// Every variable the rule declared, for messages.
    declared: Vec<Variable>,
    /// Depth of `not`/`all`/`no` around the current position.
    pub(super) negative: usize,
    /// The predicates being expanded, outermost first, to refuse recursion.
    pub(super) calling: Vec<String>,
    /// The jurisdiction the rule's policy names, and its declared settings' position.
    jurisdiction: Option<&'a str>,
    regime: Option<u16>,
    /// The embargoed places of that jurisdiction, read as the set `embargoed`.
    pub(super) embargoes: Option<&'a [String]>,
}

impl<'a> Scope<'a> {
    pub(super) fn new(
        env: &'a Env<'a>,
        policy: &'a str,
        jurisdiction: Option<&'a str>,
        regime: Option<u16>,
    ) -> Self {
        Scope {
            env,
            policy,
            visible: Vec::new(),
            declared: Vec::new(),
            negative: 0,
            calling: Vec::new(),
            jurisdiction,
            regime,
            embargoes: None,
        }
    }

    /// How many slots the rule needs.
    pub(super) fn slot_count(&self) -> usize {
        self.declared.len()
    }

    /// A variable a message may print: declared by a witness-naming `some`.
    pub(super) fn witness(&self, name: &str) -> Option<(Slot, Origin)> {
        self.declared
            .iter()
            .find(|v| v.name == name && v.witness)
            .map(|v| (v.slot, v.origin))
    }

    /// Whether the rule declares `name` at all (for a clearer message error).
    pub(super) fn declares(&self, name: &str) -> bool {
        self.declared.iter().any(|v| v.name == name)
    }

    /// The scope a message is checked in: only witness variables are visible.
    pub(super) fn for_message(&self) -> Scope<'a> {
        Scope {
            env: self.env,
            policy: self.policy,
            visible: self
                .declared
                .iter()
                .filter(|v| v.witness)
                .cloned()
                .collect(),
            declared: self.declared.clone(),
            negative: 0,
            calling: Vec::new(),
            jurisdiction: self.jurisdiction,
            regime: self.regime,
            embargoes: self.embargoes,
        }
    }

    pub(super) fn lookup(&self, name: &str) -> Option<&Variable> {
        self.visible.iter().rev().find(|v| v.name == name)
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.visible
            .iter()
            .map(|v| v.name.as_str())
            .chain(self.env.constants.keys().map(String::as_str))
            .chain(["transaction", "score"])
    }

    /// A slot for the elements of `count(p.owners)`, which names no variable.
    pub(super) fn anonymous_slot(&mut self, origin: Origin) -> Slot {
        let slot = Slot::try_from(self.declared.len()).unwrap_or(Slot::MAX);
        self.declared.push(Variable {
            name: String::new(),
            slot,
            origin,
            witness: false,
            alias: None,
        });
        slot
    }

    pub(super) fn bind(
        &mut self,
        var: &Ident,
        origin: Origin,
        witness: bool,
        out: &mut Vec<Diagnostic>,
    ) -> Slot {
        if self.lookup(&var.node).is_some()
            || self.env.constants.contains_key(&var.node)
            || var.node == "transaction"
        {
            out.push(
                Diagnostic::error(
                    Code::AlreadyDefined,
                    var.span,
                    format!("`{}` is already defined here", var.node),
                )
                .with_help("use a different variable name"),
            );
        }
        let slot = Slot::try_from(self.declared.len()).unwrap_or(Slot::MAX);
        let variable = Variable {
            name: var.node.clone(),
            slot,
            origin,
            witness,
            alias: None,
        };
        self.visible.push(variable.clone());
        self.declared.push(variable);
        slot
    }
}

/// Lowers a `when` condition, which must be true or false.
pub(super) fn lower_condition(
    expr: &ast::Expr,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Expr> {
    let (lowered, ty) = lower(expr, scope, out)?;
    expect(
        ty,
        &[Type::Bool, Type::Any],
        expr.span,
        "the condition",
        out,
    )?;
    Some(lowered)
}

/// Reports a type mismatch unless `ty` is one of `allowed`.
pub(super) fn expect(
    ty: Type,
    allowed: &[Type],
    span: Span,
    what: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<()> {
    if allowed.contains(&ty) {
        return Some(());
    }
    let wanted: Vec<&str> = allowed
        .iter()
        .filter(|t| **t != Type::Any)
        .map(|t| t.describe())
        .collect();
    out.push(
        Diagnostic::error(
            Code::TypeMismatch,
            span,
            format!(
                "{what} must be {}, but this is {}",
                wanted.join(" or "),
                ty.describe()
            ),
        )
        .with_label(format!("this is {}", ty.describe())),
    );
    None
}

/// Lowers an expression and infers its type; `None` after reporting a problem.
pub(super) fn lower(
    expr: &ast::Expr,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    match &expr.kind {
        ExprKind::Bool(b) => Some((Expr::Constant(Constant::Bool(*b)), Type::Bool)),
        ExprKind::Number(n) => Some((Expr::Constant(Constant::Number(*n)), Type::Number)),
        ExprKind::Text(t) => Some((Expr::Constant(Constant::Text(t.clone())), Type::Text)),
        ExprKind::Date(d) => Some((Expr::Constant(Constant::Date(*d)), Type::Date)),
        ExprKind::Set(items) => {
            let items = items.iter().map(|t| t.node.clone()).collect();
            Some((
                Expr::Constant(Constant::Set(StringSet::new(items))),
                Type::Set,
            ))
        }
        ExprKind::NumberSet(_)
        | ExprKind::Map(_)
        | ExprKind::Duration(_)
        | ExprKind::Amount { .. } => {
            let (constant, ty) = super::compute::literal(expr, out)?;
            Some((Expr::Constant(constant), ty))
        }
        ExprKind::Index { map, key } => super::compute::lower_lookup(map, key, scope, out),
        ExprKind::Call { name, args } => {
            super::predicates::lower_call(name, args, expr.span, scope, out)
        }
        ExprKind::Aggregate {
            kind,
            source,
            value,
        } => super::compute::lower_aggregate(*kind, source, value.as_deref(), scope, out),
        ExprKind::Within {
            subject,
            window,
            anchor,
        } => super::compute::lower_within(subject, *window, anchor, scope, out),
        ExprKind::Path(segments) => lower_path(segments, expr.span, scope, out),
        ExprKind::Not(inner) => {
            scope.negative += 1;
            let lowered = lower_condition(inner, scope, out);
            scope.negative -= 1;
            Some((Expr::Not(Box::new(lowered?)), Type::Bool))
        }
        ExprKind::Binary(op, lhs, rhs) => lower_binary(*op, lhs, rhs, scope, out),
        ExprKind::Designated {
            subject,
            negated,
            programs,
            lists,
        } => {
            let subject = entity_slot(subject, "is designated", scope, out);
            let programs = lower_filter(programs.as_deref(), "programs", scope, out);
            let lists = lower_filter(lists.as_deref(), "lists", scope, out);
            let expr = Expr::Designated {
                subject: subject?,
                negated: *negated,
                programs: programs?,
                lists: lists?,
            };
            Some((expr, Type::Bool))
        }
        ExprKind::PossiblyListed {
            subject,
            programs,
            lists,
        } => {
            let subject = entity_slot(subject, "is possibly listed", scope, out);
            let programs = lower_filter(programs.as_deref(), "programs", scope, out);
            let lists = lower_filter(lists.as_deref(), "lists", scope, out);
            let expr = Expr::PossiblyListed {
                subject: subject?,
                programs: programs?,
                lists: lists?,
            };
            Some((expr, Type::Bool))
        }
        ExprKind::Blocked { subject, negated } => {
            let subject = entity_slot(subject, "is blocked", scope, out)?;
            let regime = blocked_regime(expr.span, scope, out)?;
            Some((
                Expr::Blocked {
                    subject,
                    negated: *negated,
                    regime,
                },
                Type::Bool,
            ))
        }
        ExprKind::Presence { subject, present } => {
            let (subject, _) = lower(subject, scope, out)?;
            Some((
                Expr::Presence {
                    subject: Box::new(subject),
                    present: *present,
                },
                Type::Bool,
            ))
        }
        ExprKind::Quantifier {
            kind,
            bindings,
            body,
        } => lower_quantifier(*kind, bindings, body, scope, out),
    }
}

/// The slot of an expression that must name an entity variable.
/// The declared settings `is blocked` uses: those of the jurisdiction the policy names.
fn blocked_regime(span: Span, scope: &Scope<'_>, out: &mut Vec<Diagnostic>) -> Option<u16> {
    if let Some(regime) = scope.regime {
        return Some(regime);
    }
    let diagnostic = match scope.jurisdiction {
        Some(code) => Diagnostic::error(Code::UndeclaredJurisdiction, span, format!("`is blocked` needs the settings of jurisdiction `{code}`, which is not declared"))
            .with_help(format!("load the policy that declares it (the shipped `policies/jurisdictions.policy`), or declare `jurisdiction {code} {{ lists ... ownership ... control ... }}`")),
        None => Diagnostic::error(Code::UndeclaredJurisdiction, span, "`is blocked` depends on a jurisdiction, but this policy names none")
            .with_help("add `jurisdiction US` (or EU, UK...) to the policy header"),
    };
    out.push(diagnostic);
    None
}

pub(super) fn entity_slot(
    expr: &ast::Expr,
    test: &str,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Slot> {
    let (lowered, ty) = lower(expr, scope, out)?;
    match lowered {
        Expr::Entity(slot, EntityField::Itself) => Some(slot),
        _ => {
            out.push(
                Diagnostic::error(Code::NotAnEntity, expr.span, format!("`{test}` applies to an entity, but this is {}", ty.describe()))
                    .with_help(format!("test a party or related entity bound by `some`, e.g. `some p in transaction.parties: p {test}`")),
            );
            None
        }
    }
}

/// `under ...` / `on ...`: a set or a single string.
fn lower_filter(
    expr: Option<&ast::Expr>,
    what: &str,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Option<Box<Expr>>> {
    let Some(expr) = expr else { return Some(None) };
    let (lowered, ty) = lower(expr, scope, out)?;
    if what == "programs" {
        out.extend(super::warnings::unknown_programs(&lowered, expr.span));
    }
    expect(
        ty,
        &[Type::Set, Type::Text],
        expr.span,
        &format!("the {what} of a designation test"),
        out,
    )?;
    Some(Some(Box::new(lowered)))
}

fn lower_binary(
    op: BinaryOp,
    lhs: &ast::Expr,
    rhs: &ast::Expr,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    if matches!(op, BinaryOp::And | BinaryOp::Or) {
        // A variable bound on one side of `or` may have no value when the rule fires.
        let branch = op == BinaryOp::Or;
        scope.negative += usize::from(branch);
        let left = lower_condition(lhs, scope, out);
        let right = lower_condition(rhs, scope, out);
        scope.negative -= usize::from(branch);
        let (left, right) = (Box::new(left?), Box::new(right?));
        let expr = if op == BinaryOp::And {
            Expr::And(left, right)
        } else {
            Expr::Or(left, right)
        };
        return Some((expr, Type::Bool));
    }
    let left = lower(lhs, scope, out);
    let right = lower(rhs, scope, out);
    let ((left, lt), (right, rt)) = (left?, right?);
    let span = lhs.span.to(rhs.span);
    if matches!(
        op,
        BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div
    ) {
        return super::compute::arithmetic(op, (left, lt, lhs.span), (right, rt, rhs.span), out);
    }
    if op == BinaryOp::Matches {
        return super::compute::matches(left, lt, lhs.span, rhs, out);
    }
    let (left, right) = (Box::new(left), Box::new(right));
    let expr = match op {
        BinaryOp::In | BinaryOp::NotIn if rt == Type::NumberSet => {
            let sides = [&[Type::Number, Type::Any][..], &[Type::NumberSet]];
            expect_sides(op, [(lt, lhs.span), (rt, rhs.span)], sides, out)?;
            Expr::In {
                element: left,
                set: right,
                negated: op == BinaryOp::NotIn,
            }
        }
        BinaryOp::In | BinaryOp::NotIn => {
            let sides = [
                &[Type::Text, Type::Any][..],
                &[Type::Set, Type::List, Type::Any],
            ];
            expect_sides(op, [(lt, lhs.span), (rt, rhs.span)], sides, out)?;
            Expr::In {
                element: left,
                set: right,
                negated: op == BinaryOp::NotIn,
            }
        }
        BinaryOp::Contains | BinaryOp::StartsWith | BinaryOp::EndsWith => {
            let sides = [
                &[Type::Text, Type::List, Type::Any][..],
                &[Type::Text, Type::Any],
            ];
            expect_sides(op, [(lt, lhs.span), (rt, rhs.span)], sides, out)?;
            Expr::Text(text_test(op), left, right)
        }
        _ => {
            compare_types(op, lt, rt, span, out)?;
            compared_conditions(op, [(&left, lt, lhs.span), (&right, rt, rhs.span)], out)?;
            if lt == Type::Amount && rt == Type::Amount {
                super::compute::same_currency(&left, &right, span, op.symbol(), out)?;
            }
            Expr::Compare(comparison(op), left, right)
        }
    };
    Some((expr, Type::Bool))
}

/// Refuses a condition on either side of `==`/`!=` (`(a > 1000) == true`): a condition is true,
/// false or unknown (a missing value), and comparing it as a value can only fail when the rule is
/// decided, sending to review what should block. A `true`/`false` constant or an attribute is a
/// value and compares as one.
fn compared_conditions(
    op: BinaryOp,
    sides: [(&Expr, Type, Span); 2],
    out: &mut Vec<Diagnostic>,
) -> Option<()> {
    let condition = sides.into_iter().find(|(expr, ty, _)| {
        *ty == Type::Bool
            && !matches!(
                expr,
                Expr::Constant(_) | Expr::Declared(..) | Expr::Lookup { .. }
            )
    });
    let Some((_, _, span)) = condition else {
        return Some(());
    };
    out.push(
        Diagnostic::error(
            Code::TypeMismatch,
            span,
            format!("`{}` compares values, and this is a condition", op.symbol()),
        )
        .with_help(
            "write the condition itself (`a > 1000` rather than `(a > 1000) == true`), or \
             `not` it (rather than `== false`)",
        ),
    );
    None
}

/// Checks each side of a binary operator against the types it accepts, reporting both.
fn expect_sides(
    op: BinaryOp,
    operands: [(Type, Span); 2],
    allowed: [&[Type]; 2],
    out: &mut Vec<Diagnostic>,
) -> Option<()> {
    let mut ok = Some(());
    for ((ty, span), (allowed, side)) in operands
        .into_iter()
        .zip(allowed.into_iter().zip(["left", "right"]))
    {
        let what = format!("the {side} side of `{}`", op.symbol());
        ok = ok.and(expect(ty, allowed, span, &what, out));
    }
    ok
}

/// Comparison operands must agree; order comparisons need numbers or dates.
fn compare_types(
    op: BinaryOp,
    lt: Type,
    rt: Type,
    span: Span,
    out: &mut Vec<Diagnostic>,
) -> Option<()> {
    let ordered = !matches!(op, BinaryOp::Eq | BinaryOp::Ne);
    let comparable = |t: Type| {
        if ordered {
            matches!(t, Type::Number | Type::Amount | Type::Date | Type::Any)
        } else {
            !matches!(t, Type::Designations | Type::Map | Type::Duration)
        }
    };
    // An amount compared with a bare number compares its figure, as `amount.value` does.
    let figure = |a: Type, b: Type| a == Type::Amount && matches!(b, Type::Number | Type::Any);
    let agree = lt == rt || lt == Type::Any || rt == Type::Any || figure(lt, rt) || figure(rt, lt);
    if agree && comparable(lt) && comparable(rt) {
        return Some(());
    }
    let message = if agree {
        format!("`{}` cannot order {}", op.symbol(), lt.describe())
    } else {
        format!("cannot compare {} with {}", lt.describe(), rt.describe())
    };
    out.push(
        Diagnostic::error(Code::TypeMismatch, span, message).with_help(
            "compare numbers with numbers, dates with dates (written YYYY-MM-DD), text with text",
        ),
    );
    None
}

fn comparison(op: BinaryOp) -> Comparison {
    match op {
        BinaryOp::Ne => Comparison::Ne,
        BinaryOp::Lt => Comparison::Lt,
        BinaryOp::Le => Comparison::Le,
        BinaryOp::Gt => Comparison::Gt,
        BinaryOp::Ge => Comparison::Ge,
        _ => Comparison::Eq,
    }
}

fn text_test(op: BinaryOp) -> TextTest {
    match op {
        BinaryOp::StartsWith => TextTest::StartsWith,
        BinaryOp::EndsWith => TextTest::EndsWith,
        _ => TextTest::Contains,
    }
}

/// `some|all|no` with one or more bindings, lowered to nested single-binding quantifiers; each
/// binding's `where` filter sees the variables bound before it and its own.
fn lower_quantifier(
    kind: QuantifierKind,
    bindings: &[ast::Binding],
    body: &ast::Expr,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let visible_before = scope.visible.len();
    let negative = kind != QuantifierKind::Some;
    if negative {
        scope.negative += 1;
    }
    let mut heads = Vec::with_capacity(bindings.len());
    for binding in bindings {
        let collection = lower_collection(binding, scope, out);
        let origin = collection.as_ref().map_or(Origin::Walk, origin_of);
        let slot = scope.bind(&binding.var, origin, scope.negative == 0, out);
        let filter = binding
            .filter
            .as_deref()
            .map(|f| lower_condition(f, scope, out));
        heads.push((slot, collection, filter));
    }
    let body = lower_condition(body, scope, out);
    if negative {
        scope.negative -= 1;
    }
    scope.visible.truncate(visible_before);
    let mut expr = body?;
    let innermost = heads.len().saturating_sub(1);
    for (position, (slot, collection, filter)) in heads.into_iter().enumerate().rev() {
        // "no x, y: c" means no pair satisfies c: every outer element has no inner one.
        let kind = if kind == QuantifierKind::No && position != innermost {
            QuantifierKind::All
        } else {
            kind
        };
        let filter = match filter {
            Some(lowered) => Some(Box::new(lowered?)),
            None => None,
        };
        let collection = stated_only(collection?, kind, slot, filter.as_deref(), &expr);
        expr = Expr::Quantifier {
            kind,
            slot,
            collection,
            filter,
            body: Box::new(expr),
        };
    }
    Some((expr, Type::Bool))
}

/// A one-level `sisters` walk without its derived sister companies, when the quantifier keeps
/// only stated ones: its `where` filter, or the body of a `some` or `no` (which need one element
/// that holds, and skip the rest), starts with `s.via.kind == "sister_of"`. A derived sister is
/// reached over an `owns` or `controls` relation, so that test is false for every one of them;
/// leaving them out changes no answer and no evidence. An `all` must see every element, and a
/// deeper walk goes on from derived sisters to their stated ones, so both keep the full walk.
fn stated_only(
    collection: Collection,
    kind: QuantifierKind,
    slot: Slot,
    filter: Option<&Expr>,
    body: &Expr,
) -> Collection {
    let Collection::Walk {
        from,
        traversal: Traversal::Sisters,
        depth: 1,
        derived: true,
    } = collection
    else {
        return collection;
    };
    let skips_false = matches!(kind, QuantifierKind::Some | QuantifierKind::No);
    let stated = filter.is_some_and(|f| requires_stated_sister(f, slot))
        || (skips_false && requires_stated_sister(body, slot));
    Collection::Walk {
        from,
        traversal: Traversal::Sisters,
        depth: 1,
        derived: !stated,
    }
}

/// Whether `condition` is, or starts with (`… and …`), `slot.via.kind == "sister_of"`.
fn requires_stated_sister(condition: &Expr, slot: Slot) -> bool {
    let is_via_kind = |e: &Expr| matches!(e, Expr::Entity(s, EntityField::ViaKind) if *s == slot);
    let is_sister_of =
        |e: &Expr| matches!(e, Expr::Constant(Constant::Text(t)) if t == "sister_of");
    match condition {
        Expr::And(first, _) => requires_stated_sister(first, slot),
        Expr::Compare(Comparison::Eq, lhs, rhs) => {
            (is_via_kind(lhs) && is_sister_of(rhs)) || (is_sister_of(lhs) && is_via_kind(rhs))
        }
        _ => false,
    }
}

/// What the elements of a collection are, which decides the fields of the variable bound.
pub(super) fn origin_of(collection: &Collection) -> Origin {
    match collection {
        Collection::Parties => Origin::Party,
        Collection::Walk { .. } => Origin::Walk,
        Collection::History { .. } => Origin::Earlier,
        Collection::Designations { .. } => Origin::Designation,
    }
}

/// `transaction.parties` or `<entity var>.<traversal> [up to N levels]`.
pub(super) fn lower_collection(
    binding: &ast::Binding,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Collection> {
    let path = &binding.collection.node;
    let span = binding.collection.span;
    let names: Vec<&str> = path.iter().map(|s| s.node.as_str()).collect();
    if let Some(window) = &binding.window
        && names.last() != Some(&"transactions")
    {
        out.push(
            Diagnostic::error(
                Code::Misuse,
                window.span,
                "`within` bounds a party's earlier transactions, not this collection",
            )
            .with_help("write `t in p.transactions within 30 days`"),
        );
        return None;
    }
    if names == ["transaction", "parties"] {
        if let Some(depth) = &binding.depth {
            out.push(Diagnostic::error(
                Code::Misuse,
                depth.span,
                "`up to` applies to relation walks, not to parties",
            ));
            return None;
        }
        return Some(Collection::Parties);
    }
    let [head, traversal] = path.as_slice() else {
        out.push(not_a_collection(span));
        return None;
    };
    let Some(variable) = scope.lookup(&head.node).cloned() else {
        out.push(unknown_name(head, scope));
        return None;
    };
    if !matches!(variable.origin, Origin::Party | Origin::Walk) || variable.alias.is_some() {
        out.push(not_a_collection(span));
        return None;
    }
    if let Some(collection) =
        super::compute::entity_collection(variable.slot, &traversal.node, binding, out)
    {
        return collection;
    }
    let Some(traversal_kind) = Traversal::from_name(&traversal.node) else {
        out.push(
            Diagnostic::error(
                Code::UnknownRelation,
                traversal.span,
                format!(
                    "`{}` is not a relation an entity can be walked along",
                    traversal.node
                ),
            )
            .with_label("unknown relation")
            .with_help(relation_help(&traversal.node)),
        );
        return None;
    };
    let depth = binding.depth.as_ref().map_or(1, |d| d.node);
    if depth == 0 || depth > MAX_DEPTH {
        let bound_span = binding.depth.as_ref().map_or(span, |d| d.span);
        out.push(Diagnostic::error(
            Code::DepthOutOfRange,
            bound_span,
            format!("a relation walk goes 1 to {MAX_DEPTH} levels deep, not {depth}"),
        ));
        return None;
    }
    Some(Collection::Walk {
        from: variable.slot,
        traversal: traversal_kind,
        depth: u8::try_from(depth).unwrap_or(1),
        derived: true,
    })
}

/// The relations an entity can be walked along, and its other collections.
fn relation_names() -> impl Iterator<Item = &'static str> {
    Traversal::all()
        .iter()
        .map(|t| t.name())
        .chain(["transactions", "designations"])
}

/// "did you mean `owners`?" when a relation is close, then every relation there is.
fn relation_help(written: &str) -> String {
    let all = relation_names().collect::<Vec<_>>().join(", ");
    match closest(written, relation_names()) {
        Some(best) => format!("did you mean `{best}`? the relations are {all}"),
        None => format!("the relations are {all}"),
    }
}

pub(super) fn not_a_collection(span: Span) -> Diagnostic {
    Diagnostic::error(Code::Misuse, span, "this is not something a quantifier can range over")
        .with_help("range over `transaction.parties`, a relation such as `p.owners`, `p.sisters`, `p.officers`, or `p.transactions`, `p.designations`")
}

pub(super) fn unknown_name(name: &Ident, scope: &Scope<'_>) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownName,
        name.span,
        format!("unknown name `{}`", name.node),
    )
    .with_label("not defined")
    .with_suggestion(&name.node, scope.names())
}

/// A dotted name: a constant, `transaction.<field>`, or `<var>.<field>`.
fn lower_path(
    segments: &[Ident],
    span: Span,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let (head, rest) = segments.split_first()?;
    if head.node == "transaction" {
        return transaction_path(rest, span, scope, out);
    }
    if let Some(variable) = scope.lookup(&head.node) {
        if let Some((value, ty)) = &variable.alias {
            if let Some(field) = rest.first() {
                out.push(Diagnostic::error(
                    Code::UnknownField,
                    field.span,
                    format!("`{}` is {}, which has no fields", head.node, ty.describe()),
                ));
                return None;
            }
            return Some((value.clone(), *ty));
        }
        match variable.origin {
            Origin::Earlier => {
                return super::compute::earlier_path(variable.slot, rest, span, scope, out);
            }
            Origin::Designation => {
                return super::compute::designation_path(variable.slot, rest, span, out);
            }
            Origin::Party | Origin::Walk => {}
        }
        if let [field] = rest
            && field.node == "blocked_stake"
        {
            let slot = variable.slot;
            let regime = blocked_regime(span, scope, out)?;
            return Some((
                Expr::BlockedStake {
                    subject: slot,
                    regime,
                },
                Type::Number,
            ));
        }
        return entity_path(variable.slot, variable.origin, rest, span, scope, out);
    }
    if let Some(constant) = scope.env.constants.get(&head.node) {
        if let Some(field) = rest.first() {
            out.push(Diagnostic::error(
                Code::UnknownField,
                field.span,
                format!("constant `{}` has no fields", head.node),
            ));
            return None;
        }
        constant.used.set(true);
        return Some((Expr::Constant(constant.value.clone()), constant.ty));
    }
    if head.node == EMBARGOED && rest.is_empty() {
        return embargoed(head, scope, out);
    }
    if head.node == super::scoring::SCORE && rest.is_empty() {
        return super::scoring::lower_score(head, scope, out);
    }
    if let Some(setting) = RegimeSetting::from_name(&head.node) {
        let regime = setting_regime(setting, span, scope, out)?;
        return Some((Expr::Setting { regime, setting }, Type::Number));
    }
    out.push(unknown_name(head, scope));
    None
}

/// The name under which rules read their jurisdiction's `embargo` setting.
const EMBARGOED: &str = "embargoed";

/// `embargoed`: the countries and regions the policy's jurisdiction embargoes, as a set.
fn embargoed(name: &Ident, scope: &Scope<'_>, out: &mut Vec<Diagnostic>) -> Option<(Expr, Type)> {
    match scope.embargoes {
        Some(codes) if !codes.is_empty() => Some((
            Expr::Constant(Constant::Set(StringSet::new(codes.to_vec()))),
            Type::Set,
        )),
        _ => {
            out.push(
                Diagnostic::error(
                    Code::UnknownName,
                    name.span,
                    format!(
                        "`embargoed` names the embargo of the policy's jurisdiction, and {} embargoes nothing",
                        scope.jurisdiction.unwrap_or("a policy without a jurisdiction")
                    ),
                )
                .with_help("declare one in its `jurisdiction` block, e.g. `embargo \"KP\"`"),
            );
            None
        }
    }
}

/// The jurisdiction whose setting a rule reads: the one its policy names.
fn setting_regime(
    setting: RegimeSetting,
    span: Span,
    scope: &Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<u16> {
    if scope.regime.is_none() {
        let name = setting.name();
        out.push(
            Diagnostic::error(
                Code::UndeclaredJurisdiction,
                span,
                format!("`{name}` is a jurisdiction setting, but this policy names no declared jurisdiction"),
            )
            .with_help("name one in the policy header, e.g. `jurisdiction US`, and declare it with `significant minority 25`"),
        );
    }
    scope.regime
}

const TRANSACTION_FIELDS: [&str; 6] = ["id", "kind", "date", "amount", "attributes", "parties"];

fn transaction_path(
    rest: &[Ident],
    span: Span,
    scope: &Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let names: Vec<&str> = rest.iter().map(|s| s.node.as_str()).collect();
    let field = |f| Some((Expr::Transaction(f), Type::Text));
    match names.as_slice() {
        ["id"] => field(TransactionField::Id),
        ["kind"] => field(TransactionField::Kind),
        ["date"] => Some((Expr::Transaction(TransactionField::Date), Type::Date)),
        ["amount"] => Some((Expr::Transaction(TransactionField::Amount), Type::Amount)),
        ["amount", "value"] => Some((
            Expr::Transaction(TransactionField::AmountValue),
            Type::Number,
        )),
        ["amount", "currency"] => field(TransactionField::AmountCurrency),
        ["attributes", _] => {
            let name = rest.get(1)?;
            declared(
                Expr::TransactionAttribute(name.node.clone()),
                name,
                span,
                scope,
                out,
            )
        }
        ["parties"] => {
            out.push(
                Diagnostic::error(Code::Misuse, span, "`transaction.parties` is a collection")
                    .with_help("range over it: `some p in transaction.parties: ...`"),
            );
            None
        }
        [] => {
            out.push(
                Diagnostic::error(Code::Misuse, span, "`transaction` alone is not a value")
                    .with_help(format!(
                        "use one of its fields: {}",
                        TRANSACTION_FIELDS.join(", ")
                    )),
            );
            None
        }
        _ => {
            out.push(unknown_field(
                rest,
                span,
                "the transaction",
                &[
                    "id",
                    "kind",
                    "date",
                    "amount",
                    "amount.value",
                    "amount.currency",
                    "attributes.<name>",
                    "parties",
                ],
            ));
            None
        }
    }
}

const ENTITY_FIELDS: [&str; 11] = [
    "id",
    "name",
    "kind",
    "country",
    "nationality",
    "aliases",
    "designations",
    "attributes.<name>",
    "role",
    "designated_on",
    "blocked_stake",
];
const WALK_FIELDS: [&str; 8] = [
    "depth",
    "via.percent",
    "via.role",
    "via.kind",
    "via.id",
    "via.start",
    "via.end",
    "via.basis",
];

/// An attribute read, typed by its declaration; undeclared attributes are an error.
pub(super) fn declared(
    read: Expr,
    name: &Ident,
    span: Span,
    scope: &Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let ty = super::vocabulary::lookup(&scope.env.vocabulary, name, span, out)?;
    Some((
        Expr::Declared(Box::new(read), ty),
        super::vocabulary::checked_type(ty),
    ))
}

fn entity_path(
    slot: Slot,
    origin: Origin,
    rest: &[Ident],
    span: Span,
    scope: &Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let names: Vec<&str> = rest.iter().map(|s| s.node.as_str()).collect();
    let field = |f, t| Some((Expr::Entity(slot, f), t));
    let walked = origin == Origin::Walk;
    match names.as_slice() {
        [] => field(EntityField::Itself, Type::Entity),
        ["id"] => field(EntityField::Id, Type::Text),
        ["name"] => field(EntityField::Name, Type::Text),
        ["kind"] => field(EntityField::Kind, Type::Text),
        ["country"] => field(EntityField::Country, Type::Text),
        ["nationality"] => field(EntityField::Nationality, Type::Text),
        ["aliases"] => field(EntityField::Aliases, Type::List),
        ["designations"] => field(EntityField::Designations, Type::Designations),
        ["attributes", _] => {
            let name = rest.get(1)?;
            declared(
                Expr::EntityAttribute(slot, name.node.clone()),
                name,
                span,
                scope,
                out,
            )
        }
        ["role"] if origin == Origin::Party => field(EntityField::Role, Type::Text),
        ["depth"] if walked => field(EntityField::Depth, Type::Number),
        ["via", "percent"] if walked => field(EntityField::ViaPercent, Type::Number),
        ["via", "role"] if walked => field(EntityField::ViaRole, Type::Text),
        ["via", "kind"] if walked => field(EntityField::ViaKind, Type::Text),
        ["via", "id"] if walked => field(EntityField::ViaId, Type::Text),
        ["via", "start"] if walked => field(EntityField::ViaStart, Type::Date),
        ["via", "end"] if walked => field(EntityField::ViaEnd, Type::Date),
        ["via", "basis"] if walked => field(EntityField::ViaBasis, Type::Text),
        ["designated_on"] => field(EntityField::DesignatedOn, Type::Date),
        ["role"] => {
            out.push(Diagnostic::error(Code::Misuse, span, "only parties have a `role`").with_help("`role` is the part an entity plays in the transaction; bind it with `some p in transaction.parties`"));
            None
        }
        ["depth"] | ["via", ..] => {
            out.push(
                Diagnostic::error(
                    Code::Misuse,
                    span,
                    "only entities reached through a relation have `via` and `depth`",
                )
                .with_help("bind the entity with a walk such as `some o in p.owners`"),
            );
            None
        }
        [first, ..] if Traversal::from_name(first).is_some() => {
            out.push(not_a_collection(span));
            None
        }
        _ => {
            let mut known: Vec<&str> = ENTITY_FIELDS.to_vec();
            if walked {
                known.extend(WALK_FIELDS);
            }
            out.push(unknown_field(rest, span, "an entity", &known));
            None
        }
    }
}

pub(super) fn unknown_field(rest: &[Ident], span: Span, owner: &str, known: &[&str]) -> Diagnostic {
    let written: Vec<&str> = rest.iter().map(|s| s.node.as_str()).collect();
    let written = written.join(".");
    let field_span = match (rest.first(), rest.last()) {
        (Some(first), Some(last)) => first.span.to(last.span),
        _ => span,
    };
    let diagnostic = Diagnostic::error(
        Code::UnknownField,
        field_span,
        format!("{owner} has no field `{written}`"),
    )
    .with_label("unknown field");
    match closest(&written, known.iter().copied()) {
        Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
        None => diagnostic.with_help(format!("known fields: {}", known.join(", "))),
    }
}
