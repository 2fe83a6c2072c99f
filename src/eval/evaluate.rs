//! Running one rule's condition against one transaction, recording the facts that made it true.
//!
//! Logic is three-valued: a test that cannot be evaluated (a missing fact, a type mismatch) is an
//! error, `and`/`or`/quantifiers absorb it only when the answer does not depend on it (`false and
//! error` is false), and a rule whose condition ends in an error fails closed.

use std::collections::HashSet;

use super::value::{EvalError, Value, format_number};
use crate::ast::QuantifierKind;
use crate::date::Date;
use std::sync::Arc;

use crate::screen::{EntityMatch, Screening, Strength};

use super::decision::FactValue;
use crate::facts::{
    Basis, Blocked, DesignationIndex, Direction, EntityIndex, Facts, Regime, RelationIndex,
    RelationKind, Transaction, Traversal,
};
use crate::plan::{
    Collection, Comparison, Constant, EntityField, Expr, RegimeSetting, Slot, TextTest,
    TransactionField,
};

/// The most entities one blocking derivation shows; a witness chain longer than this is cut with
/// a note rather than flooding the explanation.
pub const MAX_DERIVATION: usize = 64;

/// The most steps (quantifier elements tried, relations scanned) one rule may take on one
/// transaction. Real rules take tens; a rule that multiplies bindings over large collections is
/// stopped here and fails closed instead of hanging a payment.
pub const MAX_STEPS: usize = 2_000_000;

/// The most entities one relation walk may reach before the rule fails closed.
pub const MAX_WALK: usize = 100_000;

/// A fact used by the condition, recorded as positions and resolved into evidence later.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Trace {
    Party(u32),
    Relation(RelationIndex),
    Designation(DesignationIndex),
    Fact {
        entity: Option<EntityIndex>,
        field: String,
        value: FactValue,
    },
    /// `entity` was matched by name to a list entry; that entry's facts follow this trace.
    Screened {
        entity: EntityIndex,
        found: Box<EntityMatch>,
    },
    /// `entity` is blocked under regime `regime`; its derivation follows this trace.
    Blocked {
        entity: EntityIndex,
        regime: u16,
    },
    Note(String),
}

/// What a variable is bound to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bound {
    pub(super) entity: EntityIndex,
    party: Option<u32>,
    via: Option<RelationIndex>,
    depth: u8,
}

/// One entity reached by a walk; `parent` indexes the walk arena (`u32::MAX` for a first step).
#[derive(Debug, Clone, Copy)]
struct Step {
    entity: EntityIndex,
    relation: RelationIndex,
    parent: u32,
    depth: u8,
    /// A waypoint, not an element: the shared owner or controller on the way to a derived
    /// sister company. It is on the evidence path but never bound to the variable.
    via_only: bool,
}

type Outcome = Result<bool, EvalError>;

/// Evaluation state for one transaction; reused across its rules to avoid allocation.
pub(super) struct Context<'a> {
    pub(super) facts: &'a Facts,
    pub(super) transaction: &'a Transaction,
    pub(super) as_of: Date,
    pub(super) env: Vec<Option<Bound>>,
    pub(super) trace: Vec<Trace>,
    walk: Vec<Step>,
    seen: VisitedSet,
    expanded: VisitedSet,
    pub(super) regimes: &'a [Regime],
    /// Name screening of entities that are not themselves on a list, when lists are loaded.
    pub(super) screening: Option<&'a Screening>,
    /// Steps this rule may still take (elements tried, relations scanned) before it fails closed.
    budget: usize,
    /// The blocked sets used so far, by regime, so each is fetched once per transaction.
    pub(super) blocked_sets: Vec<Option<Arc<Blocked>>>,
    /// Parties (by position) a licence already covers for the rule being asked again: they are
    /// skipped, so the rule can only fire about someone else.
    pub(super) licensed_parties: Vec<u32>,
}

impl<'a> Context<'a> {
    pub(super) fn new(
        facts: &'a Facts,
        transaction: &'a Transaction,
        as_of: Date,
        regimes: &'a [Regime],
        screening: Option<&'a Screening>,
    ) -> Self {
        Context {
            facts,
            transaction,
            as_of,
            env: Vec::new(),
            trace: Vec::new(),
            walk: Vec::new(),
            seen: VisitedSet::default(),
            expanded: VisitedSet::default(),
            regimes,
            screening,
            budget: MAX_STEPS,
            blocked_sets: vec![None; regimes.len()],
            licensed_parties: Vec::new(),
        }
    }

    /// Clears state left by the previous rule.
    pub(super) fn reset(&mut self, slots: usize) {
        self.budget = MAX_STEPS;
        self.env.clear();
        self.env.resize(slots, None);
        self.trace.clear();
        self.walk.clear();
    }

    /// Evaluates a condition.
    pub(super) fn test(&mut self, expr: &'a Expr) -> Outcome {
        match expr {
            Expr::Not(inner) => {
                let mark = self.trace.len();
                let result = self.test(inner);
                self.trace.truncate(mark);
                result.map(|b| !b)
            }
            Expr::And(lhs, rhs) => self.and(lhs, rhs),
            Expr::Or(lhs, rhs) => self.or(lhs, rhs),
            Expr::Compare(op, lhs, rhs) => self.compare(*op, lhs, rhs),
            Expr::In {
                element,
                set,
                negated,
            } => self.membership(element, set, *negated),
            Expr::Text(test, lhs, rhs) => self.text_test(*test, lhs, rhs),
            Expr::Designated {
                subject,
                negated,
                programs,
                lists,
            } => self.designated(*subject, *negated, programs.as_deref(), lists.as_deref()),
            Expr::Blocked {
                subject,
                negated,
                regime,
            } => self.blocked(*subject, *negated, *regime),
            Expr::PossiblyListed {
                subject,
                programs,
                lists,
            } => self.possibly_listed(*subject, programs.as_deref(), lists.as_deref()),
            Expr::Presence { subject, present } => match self.value(subject) {
                Ok(_) => Ok(*present),
                Err(e) if e.missing => Ok(!*present),
                Err(e) => Err(e),
            },
            Expr::Quantifier {
                kind,
                slot,
                collection,
                filter,
                body,
            } => self.quantify(*kind, *slot, collection, filter.as_deref(), body),
            other => match self.value(other)? {
                Value::Bool(b) => Ok(b),
                v => Err(EvalError::invalid(format!(
                    "expected true/false, found {}",
                    v.kind()
                ))),
            },
        }
    }

    fn and(&mut self, lhs: &'a Expr, rhs: &'a Expr) -> Outcome {
        let mark = self.trace.len();
        let left = self.test(lhs);
        if left == Ok(false) {
            self.trace.truncate(mark);
            return Ok(false);
        }
        match (left, self.test(rhs)) {
            (Ok(_), Ok(true)) => Ok(true),
            (_, Ok(false)) => {
                self.trace.truncate(mark);
                Ok(false)
            }
            (Err(e), _) | (_, Err(e)) => {
                self.trace.truncate(mark);
                Err(e)
            }
        }
    }

    fn or(&mut self, lhs: &'a Expr, rhs: &'a Expr) -> Outcome {
        let mark = self.trace.len();
        let left = self.test(lhs);
        if left == Ok(true) {
            return Ok(true);
        }
        self.trace.truncate(mark);
        match (left, self.test(rhs)) {
            (_, Ok(true)) => Ok(true),
            (Err(e), _) | (_, Err(e)) => {
                self.trace.truncate(mark);
                Err(e)
            }
            _ => Ok(false),
        }
    }

    fn bound(&self, slot: Slot) -> Result<Bound, EvalError> {
        self.env
            .get(slot as usize)
            .copied()
            .flatten()
            .ok_or_else(|| EvalError::invalid("a variable was used before it was bound"))
    }

    /// The value of a non-boolean expression.
    pub(super) fn value(&self, expr: &'a Expr) -> Result<Value<'a>, EvalError> {
        match expr {
            Expr::Constant(constant) => Ok(match constant {
                Constant::Bool(b) => Value::Bool(*b),
                Constant::Number(n) => Value::Number(*n),
                Constant::Text(t) => Value::Text(t),
                Constant::Date(d) => Value::Date(*d),
                Constant::Set(s) => Value::Set(s),
            }),
            Expr::Transaction(field) => self.transaction_field(*field),
            Expr::TransactionAttribute(name) => self
                .transaction
                .attributes
                .get(name)
                .map(Value::of_attribute)
                .ok_or_else(|| EvalError::missing(format!("transaction attribute `{name}`"))),
            Expr::Entity(slot, field) => self.entity_field(self.bound(*slot)?, *field),
            Expr::Setting { regime, setting } => self.setting(*regime, *setting),
            Expr::BlockedStake { subject, regime } => {
                let entity = self.bound(*subject)?.entity;
                let stakes = self.blocked_stakes(entity, *regime)?;
                Ok(Value::Number(stakes.iter().map(|s| s.percent).sum()))
            }
            Expr::EntityAttribute(slot, name) => {
                let bound = self.bound(*slot)?;
                let entity = self.facts.entity(bound.entity);
                entity
                    .and_then(|e| e.attributes.get(name))
                    .map(Value::of_attribute)
                    .ok_or_else(|| {
                        EvalError::missing(format!(
                            "attribute `{name}` of {}",
                            self.entity_name(bound.entity)
                        ))
                    })
            }
            _ => Err(EvalError::invalid(
                "a condition was used where a value is needed",
            )),
        }
    }

    /// The direct stakes of `entity`'s blocked owners under a regime, one per owner (its highest
    /// report); a blocked owner's stake without a figure makes the sum unknown, naming it.
    fn blocked_stakes(
        &self,
        entity: EntityIndex,
        regime: u16,
    ) -> Result<Vec<crate::facts::Stake>, EvalError> {
        let settings = self.regimes.get(regime as usize).ok_or_else(|| {
            EvalError::invalid("a rule names a jurisdiction that is not declared")
        })?;
        let set = self.facts.blocked(settings, self.as_of);
        let stakes = self
            .facts
            .blocked_owner_stakes(entity, self.as_of, |owner| set.basis(owner).is_some());
        if let Some(unknown) = stakes
            .iter()
            .find(|s| s.reported.iter().all(|(_, p)| p.is_none()))
        {
            let error = EvalError::missing(format!(
                "the percentage of relation {} ({}, blocked, owns part of {})",
                self.facts
                    .relation(unknown.relation)
                    .map_or("?", |r| r.id.as_str()),
                self.entity_name(unknown.owner),
                self.entity_name(entity)
            ));
            return Err(error.at(unknown.relation));
        }
        Ok(stakes)
    }

    /// Evidence for `p.blocked_stake`: each blocked owner's stake and why the owner is blocked.
    fn record_blocked_stakes(&mut self, subject: Slot, regime: u16) {
        let Ok(entity) = self.bound(subject).map(|b| b.entity) else {
            return;
        };
        let (Ok(stakes), Ok(set)) = (
            self.blocked_stakes(entity, regime),
            self.blocked_set(regime),
        ) else {
            return;
        };
        let mut visited = Vec::new();
        for stake in &stakes {
            self.record_stake(stake, true);
            self.record_derivation(&set, stake.owner, regime, &mut visited);
        }
    }

    /// A jurisdiction's setting; one it does not declare is missing, so the rule fails closed.
    fn setting(&self, regime: u16, setting: RegimeSetting) -> Result<Value<'a>, EvalError> {
        let regime = self.version(regime)?;
        let settings = self.regimes.get(regime as usize);
        let value = match setting {
            RegimeSetting::SignificantMinority => settings.and_then(Regime::significant_minority),
        };
        value.map(Value::Number).ok_or_else(|| {
            EvalError::missing(format!(
                "the `{}` setting of jurisdiction {}",
                setting.name(),
                settings.map_or("(undeclared)", |r| r.code.as_str())
            ))
        })
    }

    fn transaction_field(&self, field: TransactionField) -> Result<Value<'a>, EvalError> {
        let t = self.transaction;
        let amount = || {
            t.amount
                .as_ref()
                .ok_or_else(|| EvalError::missing(format!("the amount of transaction `{}`", t.id)))
        };
        Ok(match field {
            TransactionField::Id => Value::Text(&t.id),
            TransactionField::Kind => Value::Text(&t.kind),
            TransactionField::Date => Value::Date(t.date),
            TransactionField::AmountValue => Value::Number(amount()?.value),
            TransactionField::AmountCurrency => Value::Text(&amount()?.currency),
        })
    }

    fn entity_field(&self, bound: Bound, field: EntityField) -> Result<Value<'a>, EvalError> {
        let facts = self.facts;
        let entity = facts
            .entity(bound.entity)
            .ok_or_else(|| EvalError::invalid("an entity index is out of range"))?;
        let name = || self.entity_name(bound.entity);
        let via = || {
            bound
                .via
                .and_then(|r| facts.relation(r))
                .ok_or_else(|| EvalError::invalid("no relation was walked"))
        };
        let optional = |value: Option<&'a String>, what: &str| {
            value
                .map(|v| Value::Text(v))
                .ok_or_else(|| EvalError::missing(format!("the {what} of {}", name())))
        };
        Ok(match field {
            EntityField::Itself => Value::Entity(bound.entity),
            EntityField::Id => Value::Text(&entity.id),
            EntityField::Name => Value::Text(&entity.name),
            EntityField::Kind => Value::Text(entity.kind.keyword()),
            EntityField::Country => optional(entity.country.as_ref(), "country")?,
            EntityField::Nationality => optional(entity.nationality.as_ref(), "nationality")?,
            EntityField::Aliases => Value::List(&entity.aliases),
            EntityField::Designations => Value::Designations(bound.entity),
            EntityField::Depth => Value::Number(f64::from(bound.depth)),
            EntityField::Role => {
                let party = bound
                    .party
                    .and_then(|p| self.transaction.parties.get(p as usize));
                Value::Text(
                    party
                        .map(|p| p.role.as_str())
                        .ok_or_else(|| EvalError::invalid("only parties have a role"))?,
                )
            }
            EntityField::ViaPercent => {
                let relation = via()?;
                let percent = relation.percent.ok_or_else(|| {
                    let error = EvalError::missing(format!(
                        "the percentage of relation {} ({} {} {})",
                        relation.id,
                        self.entity_name(relation.from),
                        relation.kind.keyword(),
                        self.entity_name(relation.to)
                    ));
                    match bound.via {
                        Some(index) => error.at(index),
                        None => error,
                    }
                })?;
                Value::Number(percent)
            }
            EntityField::ViaRole => {
                let relation = via()?;
                Value::Text(relation.role.as_deref().ok_or_else(|| {
                    EvalError::missing(format!("the role in relation {}", relation.id))
                })?)
            }
            EntityField::ViaKind => Value::Text(via()?.kind.keyword()),
            EntityField::ViaId => Value::Text(&via()?.id),
            EntityField::ViaStart => Value::Date(
                via()?
                    .start
                    .ok_or_else(|| EvalError::missing("the start date of the relation"))?,
            ),
            EntityField::ViaEnd => Value::Date(
                via()?
                    .end
                    .ok_or_else(|| EvalError::missing("the end date of the relation"))?,
            ),
            EntityField::ViaBasis => {
                let relation = via()?;
                Value::Text(relation.basis.map(|b| b.keyword()).ok_or_else(|| {
                    EvalError::missing(format!("the basis of control in relation {}", relation.id))
                })?)
            }
            EntityField::DesignatedOn => Value::Date(self.designated_on(bound.entity)?),
        })
    }

    /// The earliest listing date among `entity`'s designations in force, for rules on dealings
    /// after a designation (31 CFR 510.202: transfers after designation are void).
    fn designated_on(&self, entity: EntityIndex) -> Result<Date, EvalError> {
        let mut in_force = self
            .facts
            .designations_of(entity)
            .filter(|(_, d)| d.in_force_on(self.as_of))
            .peekable();
        if in_force.peek().is_none() {
            return Err(EvalError::invalid(format!(
                "{} is not designated, so it has no designation date",
                self.entity_name(entity)
            )));
        }
        in_force
            .map(|(_, d)| d.listed_on)
            .collect::<Option<Vec<Date>>>()
            .and_then(|dates| dates.into_iter().min())
            .ok_or_else(|| {
                EvalError::missing(format!(
                    "the listing date of every designation of {}",
                    self.entity_name(entity)
                ))
            })
    }

    /// An entity's name for messages.
    pub(super) fn entity_name(&self, entity: EntityIndex) -> String {
        self.facts
            .entity(entity)
            .map_or_else(|| String::from("(unknown entity)"), |e| e.name.clone())
    }

    fn compare(&mut self, op: Comparison, lhs: &'a Expr, rhs: &'a Expr) -> Outcome {
        let (left, right) = (self.value(lhs)?, self.value(rhs)?);
        let ordering = match (left, right) {
            (Value::Number(a), Value::Number(b)) => a.partial_cmp(&b),
            (Value::Date(a), Value::Date(b)) => Some(a.cmp(&b)),
            (Value::Text(a), Value::Date(b)) => Some(as_date(a)?.cmp(&b)),
            (Value::Date(a), Value::Text(b)) => Some(a.cmp(&as_date(b)?)),
            (Value::Text(a), Value::Text(b)) if matches!(op, Comparison::Eq | Comparison::Ne) => {
                Some(a.cmp(b))
            }
            (Value::Bool(a), Value::Bool(b)) if matches!(op, Comparison::Eq | Comparison::Ne) => {
                Some(a.cmp(&b))
            }
            (Value::Entity(a), Value::Entity(b))
                if matches!(op, Comparison::Eq | Comparison::Ne) =>
            {
                Some(a.cmp(&b))
            }
            (a, b) => {
                return Err(EvalError::invalid(format!(
                    "cannot compare {} with {}",
                    a.kind(),
                    b.kind()
                )));
            }
        };
        let Some(ordering) = ordering else {
            return Ok(false);
        };
        let holds = op.holds(ordering);
        if holds {
            self.record_fact(lhs, left);
            self.record_fact(rhs, right);
        }
        Ok(holds)
    }

    fn membership(&mut self, element: &'a Expr, set: &'a Expr, negated: bool) -> Outcome {
        let item = match self.value(element)? {
            Value::Text(t) => t,
            other => {
                return Err(EvalError::invalid(format!(
                    "`in` looks up text, found {}",
                    other.kind()
                )));
            }
        };
        let found = match self.value(set)? {
            Value::Set(s) => s.contains(item),
            other @ (Value::List(_) | Value::Attributes(_)) => other.texts().contains(&item),
            other => {
                return Err(EvalError::invalid(format!(
                    "`in` needs a set or list, found {}",
                    other.kind()
                )));
            }
        };
        if found != negated {
            self.record_fact(element, Value::Text(item));
        }
        Ok(found != negated)
    }

    fn text_test(&mut self, test: TextTest, lhs: &'a Expr, rhs: &'a Expr) -> Outcome {
        let haystack = self.value(lhs)?;
        let needle = match self.value(rhs)? {
            Value::Text(t) => t.to_lowercase(),
            other => {
                return Err(EvalError::invalid(format!(
                    "text tests need text on the right, found {}",
                    other.kind()
                )));
            }
        };
        let candidates = haystack.texts();
        if candidates.is_empty() && !matches!(haystack, Value::List(_) | Value::Attributes(_)) {
            return Err(EvalError::invalid(format!(
                "text tests need text on the left, found {}",
                haystack.kind()
            )));
        }
        let hit = candidates.into_iter().find(|candidate| {
            let candidate = candidate.to_lowercase();
            match test {
                TextTest::Contains => candidate.contains(&needle),
                TextTest::StartsWith => candidate.starts_with(&needle),
                TextTest::EndsWith => candidate.ends_with(&needle),
            }
        });
        if let Some(hit) = hit {
            self.record_fact(lhs, Value::Text(hit));
        }
        Ok(hit.is_some())
    }

    /// Records the value a test relied on, when it comes from the facts rather than the policy.
    fn record_fact(&mut self, expr: &Expr, value: Value<'_>) {
        if let Expr::BlockedStake { subject, regime } = expr {
            self.record_blocked_stakes(*subject, *regime);
            return;
        }
        let (entity, field) = match expr {
            Expr::Transaction(field) => (None, transaction_label(*field).to_owned()),
            Expr::TransactionAttribute(name) => (None, format!("attributes.{name}")),
            Expr::Entity(slot, field) => match (self.bound(*slot), entity_label(*field)) {
                (Ok(bound), Some(label)) => (Some(bound.entity), label.to_owned()),
                _ => return,
            },
            Expr::EntityAttribute(slot, name) => match self.bound(*slot) {
                Ok(bound) => (Some(bound.entity), format!("attributes.{name}")),
                Err(_) => return,
            },
            _ => return,
        };
        let value = match value {
            Value::Bool(b) => FactValue::Bool(b),
            Value::Number(n) => FactValue::Number(n),
            other => FactValue::Text(self.render(other)),
        };
        self.trace.push(Trace::Fact {
            entity,
            field,
            value,
        });
    }

    /// A value as text, for messages and evidence.
    pub(super) fn render(&self, value: Value<'_>) -> String {
        match value {
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => format_number(n),
            Value::Text(t) => t.to_owned(),
            Value::Date(d) => d.to_string(),
            Value::Set(_) | Value::List(_) | Value::Attributes(_) => value.texts().join(", "),
            Value::Entity(e) => self.entity_name(e),
            Value::Designations(e) => self.render_designations(e),
        }
    }

    /// A value printed into a rule's message: country codes become names, and a party's
    /// designations are those the rule's jurisdiction reads (all of them when it reads none, as
    /// for a listing only another jurisdiction has made).
    pub(super) fn render_in_message(
        &self,
        expr: &Expr,
        value: Value<'_>,
        regime: Option<&Regime>,
    ) -> String {
        match value {
            Value::Designations(entity) => {
                let read: Vec<String> = self.designations_in_force_where(entity, |list| {
                    regime.is_none_or(|r| r.reads(list))
                });
                if read.is_empty() {
                    self.render_designations(entity)
                } else {
                    read.join("; ")
                }
            }
            Value::Text(code) if names_a_country(expr) => crate::country_names::country_name(code)
                .map_or_else(|| code.to_owned(), str::to_owned),
            other => self.render(other),
        }
    }

    fn render_designations(&self, entity: EntityIndex) -> String {
        let own = self.designations_in_force(entity);
        if !own.is_empty() {
            return own.join("; ");
        }
        let by_name = self
            .screening_for(entity)
            .into_iter()
            .flat_map(|s| s.matches(self.facts, entity).to_vec())
            .filter(|m| m.strength_on(self.as_of) == Strength::Confirmed)
            .find_map(|found| {
                let entries = self.designations_in_force(found.hit.entity);
                (!entries.is_empty()).then(|| {
                    format!(
                        "{} (as {}, matched by name at {:.2})",
                        entries.join("; "),
                        found.hit.name,
                        found.hit.score
                    )
                })
            });
        by_name.unwrap_or_else(|| String::from("no designation in force"))
    }

    /// `LIST under PROGRAMS, REF` for each designation of `entity` in force.
    fn designations_in_force(&self, entity: EntityIndex) -> Vec<String> {
        self.designations_in_force_where(entity, |_| true)
    }

    /// The designations of `entity` in force on a list for which `keep` holds, as text.
    fn designations_in_force_where(
        &self,
        entity: EntityIndex,
        keep: impl Fn(&str) -> bool,
    ) -> Vec<String> {
        self.facts
            .designations_of(entity)
            .filter(|(_, d)| d.in_force_on(self.as_of) && keep(&d.list))
            .map(|(_, d)| {
                let reference = d
                    .reference
                    .as_deref()
                    .map(|r| format!(", {r}"))
                    .unwrap_or_default();
                format!("{} under {}{reference}", d.list, d.programs.join(", "))
            })
            .collect()
    }

    fn designated(
        &mut self,
        subject: Slot,
        negated: bool,
        programs: Option<&'a Expr>,
        lists: Option<&'a Expr>,
    ) -> Outcome {
        let entity = self.bound(subject)?.entity;
        let programs = programs.map(|p| self.value(p)).transpose()?;
        let lists = lists.map(|l| self.value(l)).transpose()?;
        let mark = self.trace.len();
        self.record_designations(entity, programs, lists);
        if self.trace.len() == mark {
            self.designated_by_name(entity, programs, lists, Strength::Confirmed);
        }
        let found = self.trace.len() > mark;
        if negated {
            self.trace.truncate(mark);
        }
        Ok(found != negated)
    }

    /// `p is possibly listed`: not on a list itself, but its name matches a list entry (passing
    /// the filters) that nothing confirms and nothing contradicts.
    fn possibly_listed(
        &mut self,
        subject: Slot,
        programs: Option<&'a Expr>,
        lists: Option<&'a Expr>,
    ) -> Outcome {
        let entity = self.bound(subject)?.entity;
        let programs = programs.map(|p| self.value(p)).transpose()?;
        let lists = lists.map(|l| self.value(l)).transpose()?;
        let mark = self.trace.len();
        self.designated_by_name(entity, programs, lists, Strength::Possible);
        Ok(self.trace.len() > mark)
    }

    /// Records the designations of `entity` in force that pass the filters.
    fn record_designations(
        &mut self,
        entity: EntityIndex,
        programs: Option<Value<'a>>,
        lists: Option<Value<'a>>,
    ) {
        for (index, designation) in self.facts.designations_of(entity) {
            let in_force = designation.in_force_on(self.as_of);
            let list_ok =
                lists.is_none_or(|l| matches_any(l, std::iter::once(designation.list.as_str())));
            let program_ok = programs
                .is_none_or(|p| matches_any(p, designation.programs.iter().map(String::as_str)));
            if in_force && list_ok && program_ok {
                self.trace.push(Trace::Designation(index));
            }
        }
    }

    /// The screening to use for `entity`: none for an entity that is on a list in force on the
    /// decision's day (it speaks for itself), the loaded screening otherwise.
    fn screening_for(&self, entity: EntityIndex) -> Option<&'a Screening> {
        let listed = self
            .facts
            .designations_of(entity)
            .any(|(_, d)| d.in_force_on(self.as_of));
        if listed { None } else { self.screening }
    }

    /// With screening on, the designations of the best list entry `entity` matches by name
    /// with the strength asked for: confirmed for `is designated`, possible for `is possibly
    /// listed`. A name alone never makes a party the listed entity (OFAC FAQ 5).
    fn designated_by_name(
        &mut self,
        entity: EntityIndex,
        programs: Option<Value<'a>>,
        lists: Option<Value<'a>>,
        strength: Strength,
    ) {
        let Some(screening) = self.screening_for(entity) else {
            return;
        };
        let matches = screening.matches(self.facts, entity);
        let day = self.as_of;
        for found in matches.iter().filter(|m| m.strength_on(day) == strength) {
            let mark = self.trace.len();
            self.trace.push(Trace::Screened {
                entity,
                found: Box::new(found.on(self.as_of)),
            });
            self.record_designations(found.hit.entity, programs, lists);
            if self.trace.len() > mark + 1 {
                return;
            }
            self.trace.truncate(mark);
        }
    }

    /// The version of `regime`'s jurisdiction settings in force on the decision's day: a replay of
    /// a 2023 payment uses the test then in force. No version in force fails closed.
    fn version(&self, regime: u16) -> Result<u16, EvalError> {
        let code = self
            .regimes
            .get(regime as usize)
            .map(|r| r.code.as_str())
            .ok_or_else(|| {
                EvalError::invalid("a rule names a jurisdiction that is not declared")
            })?;
        self.regimes
            .iter()
            .position(|r| r.code == code && r.in_force_on(self.as_of))
            .and_then(|p| u16::try_from(p).ok())
            .ok_or_else(|| {
                EvalError::invalid(format!(
                    "no version of the {code} jurisdiction settings is in force on {}",
                    self.as_of
                ))
            })
    }

    /// The blocked set of a regime on the decision's day.
    pub(super) fn blocked_set(&mut self, regime: u16) -> Result<Arc<Blocked>, EvalError> {
        let slot = self.blocked_sets.get_mut(regime as usize).ok_or_else(|| {
            EvalError::invalid("a rule names a jurisdiction that is not declared")
        })?;
        if let Some(set) = slot {
            return Ok(Arc::clone(set));
        }
        let regime_settings = self.regimes.get(regime as usize).ok_or_else(|| {
            EvalError::invalid("a rule names a jurisdiction that is not declared")
        })?;
        let set = self.facts.blocked(regime_settings, self.as_of);
        *slot = Some(Arc::clone(&set));
        Ok(set)
    }

    fn blocked(&mut self, subject: Slot, negated: bool, regime: u16) -> Outcome {
        let entity = self.bound(subject)?.entity;
        let regime = self.version(regime)?;
        let set = self.blocked_set(regime)?;
        if set.basis(entity).is_some() {
            if !negated {
                let mut visited = Vec::new();
                self.record_derivation(&set, entity, regime, &mut visited);
            }
            return Ok(!negated);
        }
        if let Some(found) = self.blocked_by_name(&set, entity) {
            if !negated {
                self.trace.push(Trace::Screened {
                    entity,
                    found: Box::new(found.clone()),
                });
                let mut visited = Vec::new();
                self.record_derivation(&set, found.hit.entity, regime, &mut visited);
            }
            return Ok(!negated);
        }
        if let Some(owners) = self.owned_by_name_matches(&set, entity, regime) {
            if !negated {
                self.record_owners_by_name(&set, owners, regime);
            }
            return Ok(!negated);
        }
        if let Some(relation) = set.uncertain(entity) {
            return Err(self.unknown_stake(relation, entity, regime));
        }
        Ok(negated)
    }

    /// With screening on, the direct owners of `entity` that are blocked — on their own, or as
    /// the list entry their name matches — when together they hold enough of it under the
    /// regime's rule. Owners found only by name are not fed into the store-wide computation, so
    /// this looks one level up: enough for a subsidiary of a listed party written under another
    /// spelling.
    fn owned_by_name_matches(
        &self,
        set: &Blocked,
        entity: EntityIndex,
        regime: u16,
    ) -> Option<Vec<(RelationIndex, EntityIndex, Option<EntityMatch>)>> {
        self.screening?;
        let settings = self.regimes.get(regime as usize)?;
        let mut owners: Vec<(RelationIndex, EntityIndex, Option<EntityMatch>, f64)> = Vec::new();
        for edge in self
            .facts
            .neighbours(entity, RelationKind::Owns, Direction::Incoming)
        {
            let Some(percent) = self
                .facts
                .relation(edge.relation)
                .filter(|r| r.holds_on(self.as_of))
                .and_then(|r| r.percent)
            else {
                continue;
            };
            let blocked_itself = set.basis(edge.other).is_some();
            let by_name = if blocked_itself {
                None
            } else {
                self.blocked_by_name(set, edge.other)
            };
            if blocked_itself || by_name.is_some() {
                owners.push((edge.relation, edge.other, by_name, percent));
            }
        }
        let named = owners.iter().any(|(_, _, by_name, _)| by_name.is_some());
        let total: f64 = if settings.aggregate {
            owners.iter().map(|o| o.3).sum()
        } else {
            owners
                .iter()
                .filter(|o| o.2.is_some())
                .map(|o| o.3)
                .fold(0.0, f64::max)
        };
        (named && settings.reached_by(total))
            .then(|| owners.into_iter().map(|(r, o, m, _)| (r, o, m)).collect())
    }

    /// Evidence for an ownership block through owners matched by name: each stake, each match,
    /// and why the matched entries are blocked.
    fn record_owners_by_name(
        &mut self,
        set: &Blocked,
        owners: Vec<(RelationIndex, EntityIndex, Option<EntityMatch>)>,
        regime: u16,
    ) {
        let mut visited = Vec::new();
        for (relation, owner, by_name) in owners {
            self.trace.push(Trace::Relation(relation));
            match by_name {
                Some(found) => {
                    let listed = found.hit.entity;
                    self.trace.push(Trace::Screened {
                        entity: owner,
                        found: Box::new(found),
                    });
                    self.record_derivation(set, listed, regime, &mut visited);
                }
                None => self.record_derivation(set, owner, regime, &mut visited),
            }
        }
    }

    /// With screening on, the best list entry `entity` matches by name, confirmed, that is
    /// blocked.
    fn blocked_by_name(&self, set: &Blocked, entity: EntityIndex) -> Option<EntityMatch> {
        let screening = self.screening_for(entity)?;
        screening
            .matches(self.facts, entity)
            .iter()
            .find(|m| {
                m.strength_on(self.as_of) == Strength::Confirmed
                    && set.basis(m.hit.entity).is_some()
            })
            .map(|m| m.on(self.as_of))
    }

    fn unknown_stake(
        &self,
        relation: RelationIndex,
        entity: EntityIndex,
        regime: u16,
    ) -> EvalError {
        let code = self
            .regimes
            .get(regime as usize)
            .map_or("", |r| r.code.as_str());
        let Some(stake) = self.facts.relation(relation) else {
            return EvalError::invalid(
                "an unknown stake names a relation that is not in the store",
            );
        };
        let (owner, asset) = (self.entity_name(stake.from), self.entity_name(stake.to));
        let subject = self.entity_name(entity);
        let whose = if stake.to == entity {
            String::from("it")
        } else {
            subject
        };
        let error = if stake.kind == RelationKind::Controls {
            EvalError::missing(format!(
                "the basis of control of relation {} ({owner}, blocked, controls {asset}), which decides whether {whose} is frozen under {code} rules (only some bases of control freeze),",
                stake.id
            ))
        } else {
            EvalError::missing(format!(
                "the percentage of relation {} ({owner}, blocked, owns part of {asset}), which decides whether {whose} is blocked under {code} rules,",
                stake.id
            ))
        };
        error.at(relation)
    }

    /// Records why `entity` is blocked, down to the listed roots, each entity once.
    fn record_derivation(
        &mut self,
        set: &Blocked,
        entity: EntityIndex,
        regime: u16,
        visited: &mut Vec<EntityIndex>,
    ) {
        if visited.contains(&entity) {
            return;
        }
        if visited.len() == MAX_DERIVATION {
            let name = self.entity_name(entity);
            self.trace.push(Trace::Note(format!(
                "the derivation is cut after {MAX_DERIVATION} entities; {name} and the owners above it are blocked too"
            )));
            visited.push(entity);
            return;
        }
        visited.push(entity);
        self.trace.push(Trace::Blocked { entity, regime });
        match set.basis(entity) {
            Some(Basis::Designated) => {
                let lists = self
                    .regimes
                    .get(regime as usize)
                    .map(|r| r.lists.clone())
                    .unwrap_or_default();
                let designations: Vec<DesignationIndex> = self
                    .facts
                    .designations_of(entity)
                    .filter(|(_, d)| {
                        d.in_force_on(self.as_of) && d.blocks() && lists.contains(&d.list)
                    })
                    .map(|(i, _)| i)
                    .collect();
                self.trace
                    .extend(designations.into_iter().map(Trace::Designation));
            }
            Some(Basis::Owned {
                stakes,
                witnesses,
                joint,
                ..
            }) => {
                self.trace
                    .extend(joint.iter().copied().map(Trace::Relation));
                let (shown, others) = stakes.split_at((*witnesses).min(stakes.len()));
                for stake in shown {
                    self.record_stake(stake, true);
                }
                if !others.is_empty() {
                    self.note_other_owners(entity, others);
                }
                for stake in shown {
                    self.record_derivation(set, stake.owner, regime, visited);
                }
            }
            Some(Basis::Controlled {
                controller,
                relation,
            }) => {
                self.trace.push(Trace::Relation(*relation));
                self.record_derivation(set, *controller, regime, visited);
            }
            None => {}
        }
    }

    /// A stake as evidence; when sources disagree, every report and which one counted.
    /// The blocked owners whose stakes count towards the total but are not needed to reach it.
    fn note_other_owners(&mut self, entity: EntityIndex, others: &[crate::facts::Stake]) {
        let held: f64 = others.iter().map(|s| s.percent).sum();
        let name = self.entity_name(entity);
        let owners = match others.len() {
            1 => format!(
                "1 more blocked owner holds {} % of {name}",
                format_number(held)
            ),
            n => format!(
                "{n} more blocked owners hold {} % of {name} between them",
                format_number(held)
            ),
        };
        self.trace
            .push(Trace::Note(format!("{owners}; the stakes above suffice")));
        for stake in others {
            self.record_stake(stake, false);
        }
    }

    /// A stake as evidence (`shown`: with its relations, or only the note on disagreeing
    /// reports, for a stake that counts towards the total but is not needed to reach it).
    fn record_stake(&mut self, stake: &crate::facts::Stake, shown: bool) {
        if shown {
            self.trace.push(Trace::Relation(stake.relation));
        }
        if stake.reported.len() < 2 {
            return;
        }
        for (relation, _) in &stake.reported {
            if shown && *relation != stake.relation {
                self.trace.push(Trace::Relation(*relation));
            }
        }
        let figures: Vec<String> = stake
            .reported
            .iter()
            .map(|(relation, p)| {
                let figure = p.map_or_else(
                    || String::from("no figure"),
                    |p| format!("{} %", format_number(p)),
                );
                // Conflicting reports are weighed by who made them and when (issue 11).
                match self
                    .facts
                    .relation(*relation)
                    .and_then(|r| r.source.as_ref())
                {
                    Some(source) => format!("{figure} according to {}", source.describe()),
                    None => figure,
                }
            })
            .collect();
        let owner = self.entity_name(stake.owner);
        self.trace.push(Trace::Note(format!(
            "the stake of {owner} is reported {} times ({}); the highest, {} %, is counted",
            stake.reported.len(),
            figures.join(if figures.iter().any(|f| f.contains(" according to ")) {
                "; "
            } else {
                ", "
            }),
            format_number(stake.percent)
        )));
    }

    fn quantify(
        &mut self,
        kind: QuantifierKind,
        slot: Slot,
        collection: &'a Collection,
        filter: Option<&'a Expr>,
        body: &'a Expr,
    ) -> Outcome {
        let elements = self.elements(collection)?;
        let result = self.quantify_over(kind, slot, collection, elements.clone(), filter, body);
        if matches!(collection, Collection::Walk { .. }) {
            // Bindings copy what they need, so the walk's steps can go once the quantifier is done.
            self.walk.truncate(elements.start);
        }
        result
    }

    fn quantify_over(
        &mut self,
        kind: QuantifierKind,
        slot: Slot,
        collection: &'a Collection,
        elements: std::ops::Range<usize>,
        filter: Option<&'a Expr>,
        body: &'a Expr,
    ) -> Outcome {
        let start_mark = self.trace.len();
        let mut error = None;
        for element in elements {
            if self.walk_waypoint(collection, element) || self.licensed(collection, element) {
                continue;
            }
            self.spend(1)?;
            let mark = self.trace.len();
            // Variables bound inside the body for an earlier element must not leak into this one.
            self.unbind_from(slot as usize + 1);
            let bound = self.bind(slot, collection, element);
            self.record_binding(bound, collection, element);
            let result = match filter.map(|f| self.test(f)) {
                Some(Ok(false)) => {
                    self.trace.truncate(mark);
                    continue;
                }
                Some(Err(e)) => Err(e),
                _ => self.test(body),
            };
            match (kind, result) {
                (QuantifierKind::Some, Ok(true)) => return Ok(true),
                (QuantifierKind::No, Ok(true)) | (QuantifierKind::All, Ok(false)) => {
                    self.trace.truncate(start_mark);
                    self.unbind_from(slot as usize);
                    return Ok(false);
                }
                (QuantifierKind::All, Ok(true)) => {}
                (_, Err(e)) => {
                    self.trace.truncate(mark);
                    error.get_or_insert(e.in_party(bound.party));
                }
                (_, Ok(_)) => self.trace.truncate(mark),
            }
        }
        if kind != QuantifierKind::All {
            self.trace.truncate(start_mark);
            self.unbind_from(slot as usize);
        }
        match error {
            Some(e) => Err(e),
            None => Ok(kind != QuantifierKind::Some),
        }
    }

    /// Whether `element` is a party a licence already covers for this rule.
    fn licensed(&self, collection: &Collection, element: usize) -> bool {
        matches!(collection, Collection::Parties)
            && u32::try_from(element).is_ok_and(|e| self.licensed_parties.contains(&e))
    }

    /// Counts `steps` against the rule's budget.
    fn spend(&mut self, steps: usize) -> Result<(), EvalError> {
        match self.budget.checked_sub(steps) {
            Some(left) => {
                self.budget = left;
                Ok(())
            }
            None => {
                self.budget = 0;
                Err(EvalError::invalid(format!(
                    "the rule needed more than {MAX_STEPS} steps on this transaction (elements tried and relations followed); narrow its quantifiers or walks"
                )))
            }
        }
    }

    /// Forgets the variables in `first` and every later slot: the quantifier's own and those
    /// declared inside it (slots are numbered in the order variables are written).
    fn unbind_from(&mut self, first: usize) {
        for place in self.env.iter_mut().skip(first) {
            *place = None;
        }
    }

    /// The positions of a collection's elements: party indexes, or a range of the walk arena.
    fn elements(&mut self, collection: &Collection) -> Result<std::ops::Range<usize>, EvalError> {
        match *collection {
            Collection::Parties => Ok(0..self.transaction.parties.len()),
            Collection::Walk {
                from,
                traversal,
                depth,
            } => {
                let start = self.bound(from)?.entity;
                self.walk(start, traversal, depth)
            }
        }
    }

    fn bind(&mut self, slot: Slot, collection: &Collection, element: usize) -> Bound {
        let bound = match collection {
            Collection::Parties => {
                let party = self.transaction.parties.get(element);
                Bound {
                    entity: party.map_or(0, |p| p.entity),
                    party: u32::try_from(element).ok(),
                    via: None,
                    depth: 0,
                }
            }
            Collection::Walk { .. } => {
                let step = self.walk.get(element).copied();
                Bound {
                    entity: step.map_or(0, |s| s.entity),
                    party: None,
                    via: step.map(|s| s.relation),
                    depth: step.map_or(0, |s| s.depth),
                }
            }
        };
        if let Some(place) = self.env.get_mut(slot as usize) {
            *place = Some(bound);
        }
        bound
    }

    /// Evidence for a binding: the party, or the relations walked from the start entity.
    fn record_binding(&mut self, bound: Bound, collection: &Collection, element: usize) {
        match collection {
            Collection::Parties => {
                if let Some(party) = bound.party {
                    self.trace.push(Trace::Party(party));
                }
            }
            Collection::Walk { .. } => {
                let mark = self.trace.len();
                let mut at = element;
                while let Some(step) = self.walk.get(at) {
                    self.trace.push(Trace::Relation(step.relation));
                    at = step.parent as usize;
                }
                if let Some(path) = self.trace.get_mut(mark..) {
                    path.reverse();
                }
            }
        }
    }

    /// Breadth-first walk from `start`; appends the reached steps to the arena and returns them.
    ///
    /// Each entity is expanded once and the start is never revisited, so cycles end; several
    /// relations reaching a new entity at the same level (say two reported stakes) are all kept.
    fn walk(
        &mut self,
        start: EntityIndex,
        traversal: Traversal,
        depth: u8,
    ) -> Result<std::ops::Range<usize>, EvalError> {
        let first = self.walk.len();
        let deep = depth > 1;
        if deep {
            self.seen.clear();
            self.seen.insert(start);
        }
        self.expand(start, u32::MAX, traversal, 1, deep)?;
        let mut frontier = first..self.walk.len();
        for level in 2..=depth {
            self.mark_seen(frontier.clone());
            self.expanded.clear();
            for index in frontier.clone() {
                let Some(step) = self.walk.get(index).copied().filter(|s| !s.via_only) else {
                    continue;
                };
                if self.expanded.insert(step.entity) {
                    self.expand(
                        step.entity,
                        u32::try_from(index).unwrap_or(u32::MAX),
                        traversal,
                        level,
                        deep,
                    )?;
                }
            }
            frontier = frontier.end..self.walk.len();
            if frontier.is_empty() {
                break;
            }
            if self.walk.len() - first > MAX_WALK {
                return Err(EvalError::invalid(format!(
                    "walking `{}` from {} reached more than {MAX_WALK} entities; bound it with a smaller `up to`",
                    traversal.name(),
                    self.entity_name(start)
                )));
            }
        }
        Ok(first..self.walk.len())
    }

    fn mark_seen(&mut self, steps: std::ops::Range<usize>) {
        for step in self.walk.get(steps).unwrap_or_default() {
            if !step.via_only {
                self.seen.insert(step.entity);
            }
        }
    }

    /// Whether `element` of a walk is a waypoint rather than an entity to bind.
    fn walk_waypoint(&self, collection: &Collection, element: usize) -> bool {
        matches!(collection, Collection::Walk { .. })
            && self.walk.get(element).is_some_and(|s| s.via_only)
    }

    /// Appends the relations of `entity` that hold on the decision day and lead somewhere new.
    fn expand(
        &mut self,
        entity: EntityIndex,
        parent: u32,
        traversal: Traversal,
        level: u8,
        deep: bool,
    ) -> Result<(), EvalError> {
        for &(kind, direction) in traversal.steps() {
            let edges = self.facts.neighbours(entity, kind, direction);
            self.spend(edges.len())?;
            for edge in edges {
                let live = if traversal.historic() {
                    self.ended(edge.relation)
                } else {
                    self.holds(edge.relation)
                };
                if live && (!deep || !self.seen.contains(edge.other)) {
                    self.push_step(edge.other, edge.relation, parent, level, false);
                }
            }
        }
        match traversal {
            Traversal::Sisters => {
                self.expand_siblings(entity, parent, level, deep, Family::Parent)?
            }
            Traversal::CoControlled => {
                self.expand_siblings(entity, parent, level, deep, Family::Controller)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Sister companies derived from a common parent: up one `owns` or `controls` relation to a
    /// parent holding a majority or control (a waypoint), then down another such relation to each
    /// other child. A shared minority shareholder or a shared manager is not a parent. With
    /// `Family::Controller`, the entities sharing any controller (`co_controlled`).
    fn expand_siblings(
        &mut self,
        entity: EntityIndex,
        parent: u32,
        level: u8,
        deep: bool,
        family: Family,
    ) -> Result<(), EvalError> {
        let kinds: &[RelationKind] = match family {
            Family::Parent => &[RelationKind::Owns, RelationKind::Controls],
            Family::Controller => &[RelationKind::Controls],
        };
        for &up_kind in kinds {
            for up in self.facts.neighbours(entity, up_kind, Direction::Incoming) {
                if !self.links_family(up.relation, family) {
                    continue;
                }
                let waypoint = u32::try_from(self.walk.len()).unwrap_or(u32::MAX);
                self.push_step(up.other, up.relation, parent, level, true);
                for &down_kind in kinds {
                    let children = self
                        .facts
                        .neighbours(up.other, down_kind, Direction::Outgoing);
                    self.spend(children.len())?;
                    for down in children {
                        let sibling = down.other;
                        let new = sibling != entity && (!deep || !self.seen.contains(sibling));
                        if new && self.links_family(down.relation, family) {
                            self.push_step(sibling, down.relation, waypoint, level, false);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether `relation` has ended on or before the decision day.
    fn ended(&self, relation: RelationIndex) -> bool {
        self.facts
            .relation(relation)
            .and_then(|r| r.end)
            .is_some_and(|end| end <= self.as_of)
    }

    /// Whether `relation` links a family member to the shared parent or controller on the
    /// decision day.
    fn links_family(&self, relation: RelationIndex, family: Family) -> bool {
        self.facts.relation(relation).is_some_and(|r| {
            let kind_fits = match family {
                Family::Parent => r.makes_parent(),
                Family::Controller => r.kind == RelationKind::Controls,
            };
            kind_fits && r.holds_on(self.as_of)
        })
    }

    fn holds(&self, relation: RelationIndex) -> bool {
        self.facts
            .relation(relation)
            .is_some_and(|r| r.holds_on(self.as_of))
    }

    fn push_step(
        &mut self,
        entity: EntityIndex,
        relation: RelationIndex,
        parent: u32,
        depth: u8,
        via_only: bool,
    ) {
        self.walk.push(Step {
            entity,
            relation,
            parent,
            depth,
            via_only,
        });
    }
}

/// Whom a derived family shares: a parent holding a majority or control (sister companies), or
/// any controller, a manager included (`co_controlled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Parent,
    Controller,
}

/// The entities a walk has met. Most walks meet a handful, where scanning a short list beats
/// hashing; past `SMALL` entries it switches to a hash set so a large walk stays linear.
#[derive(Debug, Default)]
struct VisitedSet {
    small: Vec<EntityIndex>,
    large: HashSet<EntityIndex>,
}

impl VisitedSet {
    const SMALL: usize = 32;

    fn clear(&mut self) {
        self.small.clear();
        self.large.clear();
    }

    fn contains(&self, entity: EntityIndex) -> bool {
        if self.large.is_empty() {
            self.small.contains(&entity)
        } else {
            self.large.contains(&entity)
        }
    }

    /// Adds `entity`; true if it was not there.
    fn insert(&mut self, entity: EntityIndex) -> bool {
        if self.contains(entity) {
            return false;
        }
        if self.large.is_empty() && self.small.len() < Self::SMALL {
            self.small.push(entity);
        } else {
            self.large.extend(self.small.drain(..));
            self.large.insert(entity);
        }
        true
    }
}

/// Whether `expr` reads a country code: an entity's country or nationality, or an attribute
/// whose name says it holds a country (`beneficiary_bank_country`).
fn names_a_country(expr: &Expr) -> bool {
    match expr {
        Expr::Entity(_, field) => matches!(field, EntityField::Country | EntityField::Nationality),
        Expr::TransactionAttribute(name) | Expr::EntityAttribute(_, name) => {
            name.contains("country") || name.contains("nationality")
        }
        _ => false,
    }
}

fn as_date(text: &str) -> Result<Date, EvalError> {
    text.parse()
        .map_err(|e: crate::date::DateError| EvalError::invalid(e.to_string()))
}

/// Whether a filter value (a set or one string) accepts any of `items`.
fn matches_any<'i>(filter: Value<'_>, mut items: impl Iterator<Item = &'i str>) -> bool {
    match filter {
        Value::Set(set) => items.any(|item| set.contains(item)),
        Value::Text(text) => items.any(|item| item == text),
        _ => false,
    }
}

fn transaction_label(field: TransactionField) -> &'static str {
    match field {
        TransactionField::Id => "id",
        TransactionField::Kind => "kind",
        TransactionField::Date => "date",
        TransactionField::AmountValue => "amount.value",
        TransactionField::AmountCurrency => "amount.currency",
    }
}

fn entity_label(field: EntityField) -> Option<&'static str> {
    Some(match field {
        EntityField::Id => "id",
        EntityField::Name => "name",
        EntityField::Kind => "kind",
        EntityField::Country => "country",
        EntityField::Nationality => "nationality",
        EntityField::Aliases => "aliases",
        EntityField::Role => "role",
        // The walked relation is already in the evidence with all its fields.
        EntityField::Depth
        | EntityField::ViaPercent
        | EntityField::ViaRole
        | EntityField::ViaKind
        | EntityField::ViaId
        | EntityField::ViaStart
        | EntityField::ViaEnd
        | EntityField::ViaBasis
        | EntityField::DesignatedOn
        | EntityField::Itself
        | EntityField::Designations => return None,
    })
}
