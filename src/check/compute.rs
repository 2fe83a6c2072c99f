//! Values computed from others: arithmetic, periods and dates, maps, patterns, aggregates, and
//! the fields of a party's earlier transactions and of designations.

use super::Type;
use super::expr::{
    Origin, Scope, declared, expect, lower, lower_collection, lower_condition, origin_of,
    unknown_field,
};
use crate::ast::{
    self, AggregateKind, AggregateSource, BinaryOp, Binding, Duration, ExprKind, Ident,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::{
    Arithmetic, Collection, Constant, DesignationField, Expr, Pattern, Slot, TransactionField,
};
use crate::source::Span;

/// The largest pattern `matches` accepts, compiled: far beyond any real one, it keeps a policy
/// from making the engine build an enormous automaton.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// A literal number set, map or period folded into a constant.
pub(super) fn literal(expr: &ast::Expr, out: &mut Vec<Diagnostic>) -> Option<(Constant, Type)> {
    match &expr.kind {
        ExprKind::Bool(b) => Some((Constant::Bool(*b), Type::Bool)),
        ExprKind::Number(n) => Some((Constant::Number(*n), Type::Number)),
        ExprKind::Text(t) => Some((Constant::Text(t.clone()), Type::Text)),
        ExprKind::Date(d) => Some((Constant::Date(*d), Type::Date)),
        ExprKind::Duration(d) => Some((Constant::Duration(*d), Type::Duration)),
        ExprKind::Amount { value, currency } => Some((
            Constant::Amount {
                value: *value,
                currency: currency.clone(),
            },
            Type::Amount,
        )),
        ExprKind::NumberSet(items) => {
            let mut numbers: Vec<f64> = items.iter().map(|n| n.node).collect();
            numbers.sort_by(f64::total_cmp);
            numbers.dedup();
            Some((Constant::NumberSet(numbers), Type::NumberSet))
        }
        ExprKind::Map(entries) => map(entries, out),
        _ => None,
    }
}

/// `{"USD": 10000, "EUR": 9000}`: keys once each, values all of one type.
fn map(entries: &[(ast::Text, ast::Expr)], out: &mut Vec<Diagnostic>) -> Option<(Constant, Type)> {
    let mut folded: Vec<(String, Constant)> = Vec::with_capacity(entries.len());
    let mut first_type = None;
    let mut ok = true;
    for (key, value) in entries {
        let (constant, ty) = literal(value, out)?;
        match first_type {
            None => first_type = Some(ty),
            Some(first) if first != ty => {
                out.push(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        value.span,
                        format!(
                            "the values of a map are all of one type: this is {}, the first is {}",
                            ty.describe(),
                            first.describe()
                        ),
                    )
                    .with_help("write every value of the map as a number, or every one as text"),
                );
                ok = false;
            }
            Some(_) => {}
        }
        if folded.iter().any(|(k, _)| *k == key.node) {
            out.push(
                Diagnostic::error(
                    Code::DuplicateName,
                    key.span,
                    format!("key {:?} appears twice in the map", key.node),
                )
                .with_help("keep one value per key"),
            );
            ok = false;
        }
        folded.push((key.node.clone(), constant));
    }
    folded.sort_by(|a, b| a.0.cmp(&b.0));
    ok.then_some((Constant::Map(folded), Type::Map))
}

/// The type of the values of a constant map.
fn value_type(map: &Expr) -> Type {
    let first = match map {
        Expr::Constant(Constant::Map(entries)) => entries.first().map(|(_, v)| v),
        _ => None,
    };
    match first {
        Some(Constant::Number(_)) => Type::Number,
        Some(Constant::Text(_)) => Type::Text,
        Some(Constant::Date(_)) => Type::Date,
        Some(Constant::Bool(_)) => Type::Bool,
        Some(Constant::Amount { .. }) => Type::Amount,
        _ => Type::Any,
    }
}

/// `map[key]`.
pub(super) fn lower_lookup(
    map: &ast::Expr,
    key: &ast::Expr,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let looked_in = lower(map, scope, out);
    let looked_up = lower(key, scope, out);
    let ((map_expr, map_type), (key_expr, key_type)) = (looked_in?, looked_up?);
    expect(
        map_type,
        &[Type::Map],
        map.span,
        "what `[...]` looks in",
        out,
    )?;
    expect(
        key_type,
        &[Type::Text, Type::Any],
        key.span,
        "a map's key",
        out,
    )?;
    let ty = value_type(&map_expr);
    Some((
        Expr::Lookup {
            map: Box::new(map_expr),
            key: Box::new(key_expr),
        },
        ty,
    ))
}

/// `a + b`, `a - b`, `a * b`, `a / b` on numbers; amounts of one currency added, subtracted or
/// divided, and scaled by numbers; a date plus or minus a period; the days between two dates.
pub(super) fn arithmetic(
    op: BinaryOp,
    (left, lt, left_span): (Expr, Type, Span),
    (right, rt, right_span): (Expr, Type, Span),
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let arithmetic = match op {
        BinaryOp::Add => Arithmetic::Add,
        BinaryOp::Sub => Arithmetic::Sub,
        BinaryOp::Mul => Arithmetic::Mul,
        _ => Arithmetic::Div,
    };
    let span = left_span.to(right_span);
    let Some(ty) = arithmetic_type(arithmetic, lt, rt) else {
        let help = if lt == Type::Amount || rt == Type::Amount {
            "amounts add to and subtract from amounts (`transaction.amount - 500 USD`), scale by numbers (`transaction.amount * 1.08`), and one amount divided by another gives a number; to work with the figure alone, write `transaction.amount.value`"
        } else {
            "arithmetic applies to numbers; a date moves by a period (`transaction.date - 30 days`), and one date minus another gives the days between them"
        };
        out.push(
            Diagnostic::error(
                Code::TypeMismatch,
                span,
                format!(
                    "`{}` cannot combine {} with {}",
                    op.symbol(),
                    lt.describe(),
                    rt.describe()
                ),
            )
            .with_help(help),
        );
        return None;
    };
    if lt == Type::Amount && rt == Type::Amount {
        same_currency(&left, &right, span, op.symbol(), out)?;
    }
    Some((
        Expr::Arithmetic(arithmetic, Box::new(left), Box::new(right)),
        ty,
    ))
}

/// The type of `lt op rt`, if the operator applies to them. An attribute (`Any`) stands for a
/// number here: attributes are never amounts.
fn arithmetic_type(op: Arithmetic, lt: Type, rt: Type) -> Option<Type> {
    let additive = matches!(op, Arithmetic::Add | Arithmetic::Sub);
    let number = |t: Type| matches!(t, Type::Number | Type::Any);
    match (lt, rt) {
        (l, r) if number(l) && number(r) => Some(Type::Number),
        (Type::Amount, Type::Amount) if additive => Some(Type::Amount),
        (Type::Amount, Type::Amount) if op == Arithmetic::Div => Some(Type::Number),
        (Type::Amount, n) if number(n) && !additive => Some(Type::Amount),
        (n, Type::Amount) if number(n) && op == Arithmetic::Mul => Some(Type::Amount),
        (Type::Date | Type::Any, Type::Duration) if additive => Some(Type::Date),
        (Type::Date, Type::Date | Type::Any) | (Type::Any, Type::Date) if op == Arithmetic::Sub => {
            Some(Type::Number)
        }
        _ => None,
    }
}

/// Two amounts whose currencies the policy itself fixes (`10000 USD`, `convert(x, "EUR")`) must
/// agree: `100 USD + 50 EUR` is refused here rather than when a payment is decided. Amounts
/// read from the facts carry their currency only then, and are compared there.
pub(super) fn same_currency(
    left: &Expr,
    right: &Expr,
    span: Span,
    operator: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<()> {
    let (Some(a), Some(b)) = (static_currency(left), static_currency(right)) else {
        return Some(());
    };
    if a == b {
        return Some(());
    }
    out.push(
        Diagnostic::error(
            Code::TypeMismatch,
            span,
            format!("`{operator}` mixes an amount in {a} with one in {b}"),
        )
        .with_label(format!("{a} and {b}"))
        .with_help(format!(
            "convert one side through the facts' rates first: `convert(..., \"{a}\")`"
        )),
    );
    None
}

/// The currency of an amount-valued expression, when the policy fixes it.
pub(super) fn static_currency(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Constant(Constant::Amount { currency, .. }) => Some(currency),
        Expr::Convert { currency, .. } => match currency.as_ref() {
            Expr::Constant(Constant::Text(code)) => Some(code),
            _ => None,
        },
        Expr::Arithmetic(_, left, right) => {
            static_currency(left).or_else(|| static_currency(right))
        }
        Expr::Aggregate { value, .. } => value.as_deref().and_then(static_currency),
        _ => None,
    }
}

/// `convert(amount, "EUR")`: an amount into another currency through the facts' rates.
pub(super) fn lower_convert(
    args: &[ast::Expr],
    span: Span,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let [amount, currency] = args else {
        out.push(
            Diagnostic::error(
                Code::Misuse,
                span,
                format!(
                    "`convert` takes an amount and a currency, not {} value(s)",
                    args.len()
                ),
            )
            .with_help("write `convert(transaction.amount, \"USD\")`"),
        );
        return None;
    };
    let converted = lower(amount, scope, out);
    let wanted = lower(currency, scope, out);
    let ((amount_expr, amount_type), (currency_expr, currency_type)) = (converted?, wanted?);
    let first = expect(
        amount_type,
        &[Type::Amount],
        amount.span,
        "what `convert` converts",
        out,
    );
    let second = expect(
        currency_type,
        &[Type::Text, Type::Any],
        currency.span,
        "the currency `convert` converts to",
        out,
    );
    first.and(second)?;
    if let Expr::Constant(Constant::Text(code)) = &currency_expr
        && !crate::facts::is_currency_code(code)
    {
        out.push(
            Diagnostic::error(
                Code::InvalidLiteral,
                currency.span,
                format!("{code:?} is not a currency code"),
            )
            .with_help("write the ISO 4217 code in capitals, such as \"USD\" or \"EUR\""),
        );
        return None;
    }
    Some((
        Expr::Convert {
            amount: Box::new(amount_expr),
            currency: Box::new(currency_expr),
        },
        Type::Amount,
    ))
}

/// `text matches "pattern"`: the pattern is a literal, compiled once here.
pub(super) fn matches(
    left: Expr,
    lt: Type,
    left_span: Span,
    pattern: &ast::Expr,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    expect(
        lt,
        &[Type::Text, Type::List, Type::Any],
        left_span,
        "the left side of `matches`",
        out,
    )?;
    let ExprKind::Text(source) = &pattern.kind else {
        out.push(
            Diagnostic::error(
                Code::TypeMismatch,
                pattern.span,
                "`matches` needs a pattern written as a string",
            )
            .with_help(
                "write the regular expression in quotes: `p.attributes.iban matches \"^KP\"`",
            ),
        );
        return None;
    };
    match regex::RegexBuilder::new(source)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
    {
        Ok(compiled) => Some((Expr::Matches(Box::new(left), Pattern(compiled)), Type::Bool)),
        Err(error) => {
            out.push(
                Diagnostic::error(
                    Code::InvalidPattern,
                    pattern.span,
                    "this is not a pattern `matches` can use",
                )
                .with_help(pattern_problem(&error)),
            );
            None
        }
    }
}

/// `a within 30 days of b`.
pub(super) fn lower_within(
    subject: &ast::Expr,
    window: Duration,
    anchor: &ast::Expr,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let tested = lower(subject, scope, out);
    let from = lower(anchor, scope, out);
    let ((tested, tested_type), (from, from_type)) = (tested?, from?);
    let dates = [Type::Date, Type::Any];
    let first = expect(
        tested_type,
        &dates,
        subject.span,
        "the date before `within`",
        out,
    );
    let second = expect(from_type, &dates, anchor.span, "the date after `of`", out);
    first.and(second)?;
    Some((
        Expr::Within {
            subject: Box::new(tested),
            window,
            anchor: Box::new(from),
        },
        Type::Bool,
    ))
}

/// `count(...)`, `sum(...)`, `min(...)`, `max(...)` over one collection.
pub(super) fn lower_aggregate(
    kind: AggregateKind,
    source: &AggregateSource,
    value: Option<&ast::Expr>,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let visible_before = scope.visible.len();
    // Elements an aggregate goes through are never the witness a message names.
    scope.negative += 1;
    let lowered = aggregate_parts(kind, source, value, scope, out);
    scope.negative -= 1;
    scope.visible.truncate(visible_before);
    let (slot, collection, filter, value, ty) = lowered?;
    Some((
        Expr::Aggregate {
            kind,
            slot,
            collection,
            filter,
            value,
        },
        ty,
    ))
}

/// The slot, collection, filter and value of an aggregate, and the type of its result.
type AggregateParts = (Slot, Collection, Option<Box<Expr>>, Option<Box<Expr>>, Type);

fn aggregate_parts(
    kind: AggregateKind,
    source: &AggregateSource,
    value: Option<&ast::Expr>,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<AggregateParts> {
    let (slot, collection, filter) = match source {
        AggregateSource::Bindings(bindings) => {
            let [binding] = bindings.as_slice() else {
                let span = bindings
                    .get(1)
                    .map_or(Span::new(crate::source::SourceId::default(), 0, 0), |b| {
                        b.var.span
                    });
                out.push(
                    Diagnostic::error(
                        Code::Misuse,
                        span,
                        format!("`{}` goes over one collection", kind.keyword()),
                    )
                    .with_help("aggregate over one binding; nest another aggregate or a quantifier in its `where` for more"),
                );
                return None;
            };
            bound_source(binding, scope, out)?
        }
        AggregateSource::Collection(path) => {
            let binding = Binding {
                var: Ident {
                    node: String::new(),
                    span: path.span,
                },
                collection: path.clone(),
                depth: None,
                window: None,
                filter: None,
            };
            let collection = lower_collection(&binding, scope, out)?;
            let slot = scope.anonymous_slot(origin_of(&collection));
            (slot, collection, None)
        }
    };
    let (value, ty) = match (kind, value) {
        (AggregateKind::Count, None) => (None, Type::Number),
        (AggregateKind::Count, Some(extra)) => {
            out.push(
                Diagnostic::error(
                    Code::Misuse,
                    extra.span,
                    "`count` counts elements; it takes no value",
                )
                .with_help("filter with `where`: `count(o in p.owners where o.country == \"RU\")`"),
            );
            return None;
        }
        (_, None) => {
            out.push(
                Diagnostic::error(
                    Code::MissingClause,
                    source_span(source),
                    format!("`{}` needs the number to take of each element", kind.keyword()),
                )
                .with_help(format!(
                    "write it after a colon: `{}(t in p.transactions within 30 days: t.amount.value)`",
                    kind.keyword()
                )),
            );
            return None;
        }
        (_, Some(value)) => {
            let (lowered, ty) = lower(value, scope, out)?;
            expect(
                ty,
                &[Type::Number, Type::Amount, Type::Any],
                value.span,
                &format!("the value of `{}`", kind.keyword()),
                out,
            )?;
            let result = if ty == Type::Amount {
                Type::Amount
            } else {
                Type::Number
            };
            (Some(Box::new(lowered)), result)
        }
    };
    Some((slot, collection, filter, value, ty))
}

/// A binding's collection, variable and filter.
fn bound_source(
    binding: &Binding,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Slot, Collection, Option<Box<Expr>>)> {
    let collection = lower_collection(binding, scope, out);
    let origin = collection.as_ref().map_or(Origin::Walk, origin_of);
    let slot = scope.bind(&binding.var, origin, false, out);
    let filter = match binding.filter.as_deref() {
        Some(filter) => Some(Box::new(lower_condition(filter, scope, out)?)),
        None => None,
    };
    Some((slot, collection?, filter))
}

fn source_span(source: &AggregateSource) -> Span {
    match source {
        AggregateSource::Bindings(bindings) => bindings
            .first()
            .map_or(Span::new(crate::source::SourceId::default(), 0, 0), |b| {
                b.collection.span
            }),
        AggregateSource::Collection(path) => path.span,
    }
}

/// `p.transactions [within N days]` and `p.designations`: an entity's collections that are not
/// relation walks. `None` when `name` is neither.
pub(super) fn entity_collection(
    slot: Slot,
    name: &str,
    binding: &Binding,
    out: &mut Vec<Diagnostic>,
) -> Option<Option<Collection>> {
    let collection = match name {
        "transactions" => Collection::History {
            party: slot,
            window: binding.window.as_ref().map(|w| w.node),
        },
        "designations" => Collection::Designations { of: slot },
        _ => return None,
    };
    if let Some(depth) = &binding.depth {
        out.push(Diagnostic::error(
            Code::Misuse,
            depth.span,
            "`up to` applies to relation walks",
        ));
        return Some(None);
    }
    Some(Some(collection))
}

const EARLIER_FIELDS: [&str; 7] = [
    "id",
    "kind",
    "date",
    "amount",
    "amount.value",
    "amount.currency",
    "attributes.<name>",
];

/// `t.date`, `t.amount.value`... of an earlier transaction.
pub(super) fn earlier_path(
    slot: Slot,
    rest: &[Ident],
    span: Span,
    scope: &Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let names: Vec<&str> = rest.iter().map(|s| s.node.as_str()).collect();
    let field = |f, t| Some((Expr::Earlier(slot, f), t));
    match names.as_slice() {
        ["id"] => field(TransactionField::Id, Type::Text),
        ["kind"] => field(TransactionField::Kind, Type::Text),
        ["date"] => field(TransactionField::Date, Type::Date),
        ["amount"] => field(TransactionField::Amount, Type::Amount),
        ["amount", "value"] => field(TransactionField::AmountValue, Type::Number),
        ["amount", "currency"] => field(TransactionField::AmountCurrency, Type::Text),
        ["attributes", _] => {
            let name = rest.get(1)?;
            declared(
                Expr::EarlierAttribute(slot, name.node.clone()),
                name,
                span,
                scope,
                out,
            )
        }
        [] => {
            out.push(
                Diagnostic::error(
                    Code::Misuse,
                    span,
                    "an earlier transaction alone is not a value",
                )
                .with_help(format!(
                    "use one of its fields: {}",
                    EARLIER_FIELDS.join(", ")
                )),
            );
            None
        }
        _ => {
            out.push(unknown_field(
                rest,
                span,
                "an earlier transaction",
                &EARLIER_FIELDS,
            ));
            None
        }
    }
}

const DESIGNATION_FIELDS: [&str; 5] = ["list", "programs", "listed_on", "delisted_on", "measure"];

/// `d.list`, `d.programs`, `d.listed_on`, `d.delisted_on`, `d.measure` of a designation.
pub(super) fn designation_path(
    slot: Slot,
    rest: &[Ident],
    span: Span,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let names: Vec<&str> = rest.iter().map(|s| s.node.as_str()).collect();
    let field = |f, t| Some((Expr::Designation(slot, f), t));
    match names.as_slice() {
        ["list"] => field(DesignationField::List, Type::Text),
        ["programs"] => field(DesignationField::Programs, Type::List),
        ["listed_on"] => field(DesignationField::ListedOn, Type::Date),
        ["delisted_on"] => field(DesignationField::DelistedOn, Type::Date),
        ["measure"] => field(DesignationField::Measure, Type::Text),
        _ => {
            out.push(unknown_field(
                rest,
                span,
                "a designation",
                &DESIGNATION_FIELDS,
            ));
            None
        }
    }
}

/// The last line of the `regex` crate's error, which says what is wrong ("unclosed group"); the
/// lines before it repeat the pattern with a caret that the diagnostic already draws.
fn pattern_problem(error: &regex::Error) -> String {
    let text = error.to_string();
    let problem = text
        .lines()
        .last()
        .unwrap_or_default()
        .trim_start_matches("error: ");
    format!(
        "{problem}; `matches` takes a regular expression without look-around or back-references"
    )
}
