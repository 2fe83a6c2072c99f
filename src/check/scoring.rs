//! Scoring: weighted indicators and the `score` rules read.
//!
//! Red-flag guidance lists signals that are weak alone and telling together. An `indicator`
//! names one signal with its weight; a rule of the same policy reads `score`, the weights of the
//! indicators that hold added up, and the decision lists the indicators that counted.

use std::collections::HashMap;

use super::expr::{Scope, lower_condition};
use super::{Env, PolicyInfo, Type};
use crate::ast::{Clause, Ident, IndicatorDecl, Item, PolicyFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::{Expr, Indicator, Rule};
use crate::source::SourceMap;

/// The name under which rules read their policy's score.
pub(super) const SCORE: &str = "score";

/// Each policy's indicators, by policy id, in written order.
pub(super) type Indicators<'a> = HashMap<String, Vec<&'a IndicatorDecl>>;

/// Collects the indicators of every file, refusing two of one id in a policy and clauses an
/// indicator cannot have.
pub(super) fn collect<'a>(
    files: &'a [PolicyFile],
    sources: &SourceMap,
    out: &mut Vec<Diagnostic>,
) -> Indicators<'a> {
    let mut indicators = Indicators::new();
    for file in files {
        let mut own: Vec<&IndicatorDecl> = Vec::new();
        for indicator in file.items.iter().filter_map(|item| match item {
            Item::Indicator(indicator) => Some(indicator),
            _ => None,
        }) {
            if let Some(first) = own.iter().find(|i| i.id.node == indicator.id.node) {
                out.push(
                    Diagnostic::error(
                        Code::DuplicateRuleId,
                        indicator.id.span,
                        format!("indicator `{}` is declared twice", indicator.id.node),
                    )
                    .with_help(format!(
                        "first declared at {}",
                        sources.location(first.id.span)
                    )),
                );
                continue;
            }
            check_clauses(indicator, out);
            own.push(indicator);
        }
        if !own.is_empty() {
            indicators
                .entry(file.header.id.node.clone())
                .or_default()
                .extend(own);
        }
    }
    indicators
}

/// An indicator has one `when`, and otherwise only a title, citations and tags.
fn check_clauses(indicator: &IndicatorDecl, out: &mut Vec<Diagnostic>) {
    let mut conditions = 0;
    for clause in &indicator.clauses {
        let refused = match clause {
            Clause::When(_) => {
                conditions += 1;
                None
            }
            Clause::Title(_) | Clause::Cite(_) | Clause::Tags(_) => None,
            Clause::Because(text) => Some(("because", text.span)),
            Clause::Covers(names) => {
                Some(("covers", names.first().map_or(indicator.span, |n| n.span)))
            }
            Clause::Valid { span, .. } => Some(("valid", *span)),
        };
        if let Some((name, span)) = refused {
            out.push(
                Diagnostic::error(
                    Code::Misuse,
                    span,
                    format!("an indicator has no `{name}` clause"),
                )
                .with_help("an indicator adds its weight to the score; the rule reading `score` says why and what happens"),
            );
        }
    }
    if conditions != 1 {
        out.push(
            Diagnostic::error(
                Code::MissingClause,
                indicator.id.span,
                format!(
                    "indicator `{}` needs exactly one `when` clause",
                    indicator.id.node
                ),
            )
            .with_help("say when the signal is present, e.g. `when transaction.attributes.refused_video == true`"),
        );
    }
}

/// `score`: the policy's indicators, each checked in the rule's scope with none of the rule's
/// variables visible.
pub(super) fn lower_score(
    name: &Ident,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Expr, Type)> {
    let env = scope.env;
    let Some(own) = env.indicators.get(scope.policy) else {
        out.push(
            Diagnostic::error(
                Code::UnknownName,
                name.span,
                format!(
                    "`score` adds up the indicators of the policy, and `{}` declares none",
                    scope.policy
                ),
            )
            .with_help("declare signals with `indicator name: weight when condition`"),
        );
        return None;
    };
    let mut indicators = Vec::with_capacity(own.len());
    let mut ok = true;
    for indicator in own {
        match lower_indicator(indicator, scope, out) {
            Some(lowered) => indicators.push(lowered),
            None => ok = false,
        }
    }
    ok.then_some((Expr::Score(indicators), Type::Number))
}

fn lower_indicator(
    indicator: &IndicatorDecl,
    scope: &mut Scope<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Indicator> {
    let when = indicator.clauses.iter().find_map(|c| match c {
        Clause::When(expr) => Some(expr),
        _ => None,
    })?;
    let title = indicator.clauses.iter().find_map(|c| match c {
        Clause::Title(text) => Some(text.node.clone()),
        _ => None,
    });
    let outer = std::mem::take(&mut scope.visible);
    scope.negative += 1;
    let condition = lower_condition(when, scope, out);
    scope.negative -= 1;
    scope.visible = outer;
    Some(Indicator {
        id: indicator.id.node.clone(),
        title,
        weight: indicator.weight.node,
        condition: condition?,
    })
}

/// Checks every indicator once, so that one no rule reads is still checked.
pub(super) fn check_indicators(
    env: &Env<'_>,
    policies: &[PolicyInfo],
    jurisdictions: &HashMap<String, u16>,
    out: &mut Vec<Diagnostic>,
) {
    for policy in policies {
        let Some(own) = env.indicators.get(&policy.id) else {
            continue;
        };
        let regime = policy
            .jurisdiction
            .as_ref()
            .and_then(|code| jurisdictions.get(code).copied());
        let mut scope = Scope::new(env, &policy.id, policy.jurisdiction.as_deref(), regime);
        for indicator in own {
            let _ = lower_indicator(indicator, &mut scope, out);
        }
    }
}

/// Warns of a policy whose indicators no rule reads: they would count for nothing.
pub(super) fn unread(indicators: &Indicators<'_>, rules: &[Rule]) -> Vec<Diagnostic> {
    let mut warnings: Vec<Diagnostic> = indicators
        .iter()
        .filter(|(policy, _)| {
            !rules
                .iter()
                .any(|r| &r.policy == *policy && reads_score(&r.condition))
        })
        .filter_map(|(policy, own)| {
            let first = own.first()?;
            Some(
                Diagnostic::warning(
                    Code::UnreadScore,
                    first.id.span,
                    format!(
                        "policy `{policy}` declares indicators, but none of its rules reads `score`"
                    ),
                )
                .with_help("add a rule such as `rule red_flags: review when score >= 3`"),
            )
        })
        .collect();
    warnings.sort_by_key(|d| (d.span.source, d.span.start));
    warnings
}

/// Whether a condition reads `score` anywhere.
fn reads_score(expr: &Expr) -> bool {
    match expr {
        Expr::Score(_) => true,
        Expr::Not(inner) | Expr::Declared(inner, _) | Expr::Function(_, inner) => {
            reads_score(inner)
        }
        Expr::Matches(inner, _) => reads_score(inner),
        Expr::And(a, b)
        | Expr::Or(a, b)
        | Expr::Compare(_, a, b)
        | Expr::Text(_, a, b)
        | Expr::Arithmetic(_, a, b)
        | Expr::NameSimilarity(a, b) => reads_score(a) || reads_score(b),
        Expr::In { element, set, .. } => reads_score(element) || reads_score(set),
        Expr::Lookup { map, key } => reads_score(map) || reads_score(key),
        Expr::Within {
            subject, anchor, ..
        } => reads_score(subject) || reads_score(anchor),
        Expr::Quantifier { filter, body, .. } => {
            filter.as_deref().is_some_and(reads_score) || reads_score(body)
        }
        Expr::Aggregate { filter, value, .. } => {
            filter.as_deref().is_some_and(reads_score) || value.as_deref().is_some_and(reads_score)
        }
        Expr::Presence { subject, .. } => reads_score(subject),
        _ => false,
    }
}
