//! File-level checks: policy headers, constants, rule ids, and the clauses of each rule.

use std::collections::HashMap;

use super::expr::{Scope, lower_condition};
use super::message::lower_message;
use super::{ConstantInfo, Constants, Env, Type};
use crate::ast::{Clause, Effect, ExprKind, Item, PolicyFile, RuleDecl, Spanned};
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::{self, Constant, StringSet};
use crate::shared_text::SharedText;
use crate::source::{SourceMap, Span};

/// What a `policy` header declares.
#[derive(Debug, Clone)]
pub struct PolicyInfo {
    /// The policy id.
    pub id: String,
    /// Its title.
    pub title: Option<String>,
    /// Its jurisdiction code.
    pub jurisdiction: Option<String>,
    /// Its version label.
    pub version: Option<String>,
    /// Its citations.
    pub citations: Vec<String>,
    /// Where the header is.
    pub span: Span,
}

/// Folds every `let` into a constant, reporting duplicates.
pub(super) fn collect_constants(
    files: &[PolicyFile],
    sources: &SourceMap,
    out: &mut Vec<Diagnostic>,
) -> Constants {
    let mut constants = Constants::new();
    for decl in files
        .iter()
        .flat_map(|f| &f.items)
        .filter_map(|item| match item {
            Item::Let(decl) => Some(decl),
            _ => None,
        })
    {
        let name = &decl.name;
        if name.node == "transaction" {
            out.push(
                Diagnostic::error(
                    Code::DuplicateName,
                    name.span,
                    "`transaction` is a built-in name",
                )
                .with_help("choose another name for the constant"),
            );
            continue;
        }
        let (value, ty) = match &decl.value.kind {
            ExprKind::Bool(b) => (Constant::Bool(*b), Type::Bool),
            ExprKind::Number(n) => (Constant::Number(*n), Type::Number),
            ExprKind::Text(t) => (Constant::Text(t.clone()), Type::Text),
            ExprKind::Date(d) => (Constant::Date(*d), Type::Date),
            ExprKind::Set(items) => {
                let items = items.iter().map(|t| t.node.clone()).collect();
                (Constant::Set(StringSet::new(items)), Type::Set)
            }
            ExprKind::NumberSet(_)
            | ExprKind::Map(_)
            | ExprKind::Duration(_)
            | ExprKind::Amount { .. } => match super::compute::literal(&decl.value, out) {
                Some(folded) => folded,
                None => continue,
            },
            _ => continue,
        };
        let info = ConstantInfo {
            value,
            ty,
            span: name.span,
            used: std::cell::Cell::new(false),
        };
        if let Some(first) = constants.get(&name.node) {
            out.push(
                Diagnostic::error(
                    Code::DuplicateName,
                    name.span,
                    format!("constant `{}` is defined twice", name.node),
                )
                .with_label("second definition")
                .with_help(format!(
                    "first defined at {}; rename or remove one",
                    sources.location(first.span)
                )),
            );
            continue;
        }
        constants.insert(name.node.clone(), info);
    }
    constants
}

/// Reads each file's header, reporting duplicate policy ids and repeated fields.
pub(super) fn collect_policies(files: &[PolicyFile], out: &mut Vec<Diagnostic>) -> Vec<PolicyInfo> {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    let mut policies = Vec::with_capacity(files.len());
    for file in files {
        let header = &file.header;
        if seen.insert(&header.id.node, header.id.span).is_some() {
            out.push(
                Diagnostic::error(
                    Code::DuplicatePolicy,
                    header.id.span,
                    format!("policy `{}` is declared twice", header.id.node),
                )
                .with_help("give each policy file its own policy id"),
            );
        }
        for extra in header.jurisdictions.iter().skip(1) {
            out.push(
                Diagnostic::error(
                    Code::RepeatedClause,
                    extra.span,
                    "a policy has one jurisdiction",
                )
                .with_help("split rules for another jurisdiction into their own policy file"),
            );
        }
        for extra in header.versions.iter().skip(1) {
            out.push(Diagnostic::error(
                Code::RepeatedClause,
                extra.span,
                "a policy has one version",
            ));
        }
        policies.push(PolicyInfo {
            id: header.id.node.clone(),
            title: header.title.as_ref().map(|t| t.node.clone()),
            jurisdiction: header.jurisdictions.first().map(|j| j.node.clone()),
            version: header.versions.first().map(|v| v.node.clone()),
            citations: header.citations.iter().map(|c| c.node.clone()).collect(),
            span: header.id.span,
        });
    }
    policies
}

/// Checks every rule of every file; `policies` is parallel to `files`.
pub(super) fn check_rules(
    files: &[PolicyFile],
    sources: &SourceMap,
    policies: &[PolicyInfo],
    env: &Env<'_>,
    jurisdictions: &HashMap<String, u16>,
    regimes: &[crate::facts::Regime],
    out: &mut Vec<Diagnostic>,
) -> Vec<plan::Rule> {
    let declared = rule_ids(files, sources, out);
    let mut rules = Vec::new();
    for (file, policy) in files.iter().zip(policies) {
        for item in &file.items {
            if let Item::Rule(decl) = item
                && let Some(rule) =
                    check_rule(decl, policy, env, (jurisdictions, regimes), &declared, out)
            {
                rules.push(rule);
            }
        }
    }
    rules
}

/// Every rule id with its effect, reporting duplicates.
fn rule_ids(
    files: &[PolicyFile],
    sources: &SourceMap,
    out: &mut Vec<Diagnostic>,
) -> HashMap<String, Declared> {
    let mut ids: HashMap<String, (Declared, Span)> = HashMap::new();
    for (file, decl) in files
        .iter()
        .flat_map(|f| f.items.iter().map(move |item| (f, item)))
        .filter_map(|(f, item)| match item {
            Item::Rule(decl) => Some((f, decl)),
            _ => None,
        })
    {
        if let Some((_, first)) = ids.get(&decl.id.node) {
            out.push(
                Diagnostic::error(
                    Code::DuplicateRuleId,
                    decl.id.span,
                    format!("rule id `{}` is used twice", decl.id.node),
                )
                .with_label("second rule with this id")
                .with_help(format!(
                    "first used at {}; rule ids must be unique across all loaded policies",
                    sources.location(*first)
                )),
            );
        } else {
            let jurisdiction = file.header.jurisdictions.first().map(|j| j.node.clone());
            let declared = Declared {
                effect: decl.effect.node,
                jurisdiction,
            };
            ids.insert(decl.id.node.clone(), (declared, decl.id.span));
        }
    }
    ids.into_iter()
        .map(|(id, (declared, _))| (id, declared))
        .collect()
}

/// What other rules need to know of a rule id: its effect and its policy's jurisdiction.
struct Declared {
    effect: Effect,
    jurisdiction: Option<String>,
}

/// The clauses of one rule, counted and sorted out.
#[derive(Default)]
struct Clauses<'a> {
    title: Option<&'a Spanned<String>>,
    covers: Option<&'a [Spanned<String>]>,
    when: Option<&'a crate::ast::Expr>,
    because: Option<&'a Spanned<String>>,
    citations: Vec<String>,
    tags: Vec<String>,
    valid: Option<(Option<crate::date::Date>, Option<crate::date::Date>, Span)>,
}

fn sort_clauses<'a>(decl: &'a RuleDecl, out: &mut Vec<Diagnostic>) -> Clauses<'a> {
    let mut clauses = Clauses::default();
    let mut once = |seen: bool, span: Span, name: &str| {
        if seen {
            out.push(
                Diagnostic::error(
                    Code::RepeatedClause,
                    span,
                    format!("rule `{}` has more than one `{name}` clause", decl.id.node),
                )
                .with_help(format!("keep a single `{name}`")),
            );
        }
    };
    for clause in &decl.clauses {
        match clause {
            Clause::Title(t) => {
                once(clauses.title.is_some(), t.span, "title");
                clauses.title = Some(t);
            }
            Clause::Covers(ids) => {
                once(
                    clauses.covers.is_some(),
                    ids.first().map_or(decl.span, |i| i.span),
                    "covers",
                );
                clauses.covers = Some(ids);
            }
            Clause::When(e) => {
                once(clauses.when.is_some(), e.span, "when");
                clauses.when = Some(e);
            }
            Clause::Because(t) => {
                once(clauses.because.is_some(), t.span, "because");
                clauses.because = Some(t);
            }
            Clause::Cite(c) => clauses.citations.extend(c.iter().map(|t| t.node.clone())),
            Clause::Tags(t) => clauses.tags.extend(t.iter().map(|t| t.node.clone())),
            Clause::Valid { from, until, span } => {
                once(clauses.valid.is_some(), *span, "valid");
                clauses.valid = Some((
                    from.as_ref().map(|d| d.node),
                    until.as_ref().map(|d| d.node),
                    *span,
                ));
            }
        }
    }
    clauses
}

fn check_rule(
    decl: &RuleDecl,
    policy: &PolicyInfo,
    env: &Env<'_>,
    (jurisdictions, regimes): (&HashMap<String, u16>, &[crate::facts::Regime]),
    declared: &HashMap<String, Declared>,
    out: &mut Vec<Diagnostic>,
) -> Option<plan::Rule> {
    let clauses = sort_clauses(decl, out);
    let covers = check_covers(
        decl,
        clauses.covers,
        policy.jurisdiction.as_deref(),
        declared,
        out,
    );
    check_validity(clauses.valid, out);
    let Some(when) = clauses.when else {
        out.push(
            Diagnostic::error(Code::MissingClause, decl.id.span, format!("rule `{}` has no `when` clause", decl.id.node))
                .with_help("say when the rule fires, e.g. `when some p in transaction.parties: p is designated`"),
        );
        return None;
    };
    let regime = policy
        .jurisdiction
        .as_ref()
        .and_then(|code| jurisdictions.get(code).copied());
    let embargoes = regime
        .and_then(|r| regimes.get(usize::from(r)))
        .map(|r| r.embargoes.as_slice());
    let mut scope = Scope::new(env, &policy.id, policy.jurisdiction.as_deref(), regime);
    scope.embargoes = embargoes;
    let condition = lower_condition(when, &mut scope, out)?;
    let (message, message_slots) = match clauses.because {
        Some(text) => lower_message(text, &scope, out)?,
        None => (
            vec![plan::MessagePart::Literal(clauses.title.map_or_else(
                || format!("rule {} fired", decl.id.node),
                |t| t.node.clone(),
            ))],
            0,
        ),
    };
    let citations = merge_citations(clauses.citations, &policy.citations);
    Some(plan::Rule {
        id: decl.id.node.as_str().into(),
        policy: policy.id.as_str().into(),
        jurisdiction: policy.jurisdiction.as_deref().map(SharedText::from),
        title: clauses.title.map(|t| t.node.as_str().into()),
        effect: decl.effect.node,
        condition,
        message,
        citations: citations.into_iter().map(SharedText::from).collect(),
        tags: clauses.tags,
        covers,
        valid_from: clauses.valid.and_then(|v| v.0),
        valid_until: clauses.valid.and_then(|v| v.1),
        span: decl.id.span,
        slots: scope.slot_count().max(message_slots),
    })
}

/// Exemptions must name the rules they release, and only exemptions may.
fn check_covers(
    decl: &RuleDecl,
    covers: Option<&[Spanned<String>]>,
    jurisdiction: Option<&str>,
    declared: &HashMap<String, Declared>,
    out: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let is_exemption = decl.effect.node == Effect::Allow;
    let Some(covers) = covers else {
        if is_exemption {
            out.push(
                Diagnostic::error(
                    Code::MissingClause,
                    decl.effect.span,
                    format!("exemption `{}` does not say what it covers", decl.id.node),
                )
                .with_help(
                    "add `covers <rule id>, ...` naming the block or review rules it releases",
                ),
            );
        }
        return Vec::new();
    };
    if !is_exemption {
        let span = covers.first().map_or(decl.span, |c| c.span);
        out.push(
            Diagnostic::error(
                Code::MisplacedCovers,
                span,
                "only `allow` rules can cover other rules",
            )
            .with_help("remove `covers`, or make the rule an `allow` exemption"),
        );
        return Vec::new();
    }
    for id in covers {
        match declared.get(&id.node).map(|d| (d.effect, d)) {
            None => out.push(
                Diagnostic::error(
                    Code::UnknownRule,
                    id.span,
                    format!("unknown rule `{}`", id.node),
                )
                .with_label("not a rule id")
                .with_suggestion(&id.node, declared.keys().map(String::as_str)),
            ),
            Some((Effect::Allow, _)) => out.push(Diagnostic::error(
                Code::UnknownRule,
                id.span,
                format!(
                    "`{}` is an exemption itself; an exemption covers block or review rules",
                    id.node
                ),
            )),
            Some((_, covered)) if covered.jurisdiction.as_deref() != jurisdiction => out.push(
                Diagnostic::error(
                    Code::CrossJurisdiction,
                    id.span,
                    format!(
                        "exemption `{}` ({}) cannot release `{}` ({})",
                        decl.id.node,
                        jurisdiction.unwrap_or("no jurisdiction"),
                        id.node,
                        covered.jurisdiction.as_deref().unwrap_or("no jurisdiction")
                    ),
                )
                .with_help("a licence of one authority does not lift another's measures; put the exemption in a policy of the covered rule's jurisdiction"),
            ),
            Some(_) => {}
        }
    }
    covers.iter().map(|c| c.node.clone()).collect()
}

fn check_validity(
    valid: Option<(Option<crate::date::Date>, Option<crate::date::Date>, Span)>,
    out: &mut Vec<Diagnostic>,
) {
    if let Some((Some(from), Some(until), span)) = valid
        && until <= from
    {
        out.push(
            Diagnostic::error(
                Code::InvalidPeriod,
                span,
                format!("`until` {until} is not after `from` {from}"),
            )
            .with_help(
                "a rule is in force from its first day up to, not including, its `until` day",
            ),
        );
    }
}

/// The rule's citations followed by its policy's, each once: a policy citation the rule already
/// gives, or gives more precisely (`E.O. 13722 §1` for `E.O. 13722`), is not repeated.
fn merge_citations(mut citations: Vec<String>, policy: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    citations.retain(|c| seen.insert(c.clone()));
    for cite in policy {
        let covered = citations.iter().any(|c| {
            c == cite
                || c.strip_prefix(cite.as_str())
                    .is_some_and(|rest| rest.starts_with([' ', ',', ':']))
        });
        if !covered {
            citations.push(cite.clone());
        }
    }
    citations
}
