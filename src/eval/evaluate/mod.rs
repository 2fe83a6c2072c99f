//! Running one rule's condition against one transaction, recording the facts that made it true.
//!
//! Logic is three-valued: a test that cannot be evaluated (a missing fact, a type mismatch) is an
//! error, `and`/`or`/quantifiers absorb it only when the answer does not depend on it (`false and
//! error` is false), and a rule whose condition ends in an error fails closed.
//!
//! This module holds the evaluation state and the logic; the tests it dispatches to live by
//! concern: values and comparisons ([`conditions`]), designations and name matches
//! ([`designations`]), blocking by ownership and control ([`ownership`], reading the one
//! store-wide computation in [`crate::facts`]), quantifiers ([`quantifiers`]) and relation walks
//! ([`walks`]).

mod compute;
mod conditions;
mod designations;
mod ownership;
mod quantifiers;
mod walks;

use std::sync::Arc;

pub use walks::MAX_WALK;
use walks::{Step, VisitedSet};

use super::DecideOptions;
use super::decision::FactValue;
use super::failure::{FailureCause, Inconsistency};
use super::scope::Scope;
use super::value::{EvalError, Value};
use crate::date::Date;
use crate::facts::{
    Blocked, BlockedSets, DesignationIndex, EntityAnswers, EntityIndex, Regime, RelationIndex,
    Transaction,
};
use crate::plan::{Expr, Slot};
use crate::screen::{EntityMatch, Screening};

/// The most steps (quantifier elements tried, relations scanned) one rule may take on one
/// transaction. Real rules take tens; a rule that multiplies bindings over large collections is
/// stopped here and fails closed instead of hanging a payment.
pub const MAX_STEPS: usize = 2_000_000;

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
    /// A choice the engine made where the facts were messy.
    Note(Box<crate::eval::decision::Note>),
    /// An indicator of a `score` whose condition held; the facts it read follow this trace.
    Indicator {
        id: String,
        title: Option<String>,
        weight: f64,
    },
    /// An earlier transaction (its position in the facts) a rule went through.
    Earlier(u32),
    /// An amount converted into another currency at the rate at position `rate` of the facts
    /// (its inverse when `inverted`). Holds no text, so traces stay cheap to drop.
    Conversion {
        amount: f64,
        converted: f64,
        rate: u32,
        inverted: bool,
    },
}

/// What a variable is bound to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bound {
    pub(super) entity: EntityIndex,
    party: Option<u32>,
    via: Option<RelationIndex>,
    depth: u8,
    /// For an earlier transaction, its position in the facts; for a designation, its index.
    record: u32,
}

type Outcome = Result<bool, EvalError>;

/// Evaluation state for one transaction; reused across its rules to avoid allocation.
pub(super) struct Context<'a> {
    pub(super) facts: &'a Scope<'a>,
    pub(super) transaction: &'a Transaction,
    pub(super) as_of: Date,
    pub(super) env: Vec<Option<Bound>>,
    pub(super) trace: Vec<Trace>,
    walk: Vec<Step>,
    /// Earlier transactions and designations being gone through, as positions in the facts;
    /// quantifiers and aggregates bind ranges of it, as they do of `walk`.
    records: Vec<u32>,
    seen: VisitedSet,
    expanded: VisitedSet,
    pub(super) regimes: &'a [Regime],
    /// Name screening of entities that are not themselves on a list, when lists are loaded.
    pub(super) screening: Option<&'a Screening>,
    /// Steps this rule may still take (elements tried, relations scanned) before it fails closed.
    budget: usize,
    /// The blocked sets shared with other decisions, when there are any.
    pub(super) shared_sets: Option<&'a BlockedSets>,
    /// The blocked sets used so far, by regime, so each is fetched once per transaction; empty
    /// until a rule first asks for one (most decisions never do).
    pub(super) blocked_sets: Vec<Option<Arc<Blocked>>>,
    /// Parties (by position) a licence already covers for the rule being asked again: they are
    /// skipped, so the rule can only fire about someone else.
    pub(super) licensed_parties: Vec<u32>,
    /// The entities found, on this day's epoch, not to satisfy the rules that read parties
    /// only through the store, shared with other decisions; `None` when the decision shares no
    /// cache, screens names, or has parties described inline.
    pub(super) answers: Option<Arc<EntityAnswers>>,
}

impl<'a> Context<'a> {
    pub(super) fn new(
        facts: &'a Scope<'a>,
        transaction: &'a Transaction,
        as_of: Date,
        regimes: &'a [Regime],
        options: DecideOptions<'a>,
    ) -> Self {
        Context {
            facts,
            transaction,
            as_of,
            env: Vec::new(),
            trace: Vec::new(),
            walk: Vec::new(),
            records: Vec::new(),
            seen: VisitedSet::default(),
            expanded: VisitedSet::default(),
            regimes,
            screening: options.screening,
            shared_sets: options.blocked_sets,
            budget: MAX_STEPS,
            blocked_sets: Vec::new(),
            licensed_parties: Vec::new(),
            answers: None,
        }
    }

    /// Whether rule `rule` is known, from earlier decisions, to be false for every party: only
    /// for a rule reading parties only through the store, asked the first time (no party
    /// licensed).
    pub(super) fn known_false_for_every_party(&self, rule: usize) -> bool {
        match &self.answers {
            Some(answers) if self.licensed_parties.is_empty() => self
                .transaction
                .parties
                .iter()
                .all(|party| answers.known_false(rule, party.entity)),
            _ => false,
        }
    }

    /// Records that rule `rule`, asked the first time, was false for every party.
    pub(super) fn remember_false_for_every_party(&self, rule: usize) {
        if let Some(answers) = &self.answers
            && self.licensed_parties.is_empty()
        {
            for party in &self.transaction.parties {
                answers.remember_false(rule, party.entity);
            }
        }
    }

    /// Clears state left by the previous rule.
    pub(super) fn reset(&mut self, slots: usize) {
        self.budget = MAX_STEPS;
        self.env.clear();
        self.env.resize(slots, None);
        self.trace.clear();
        self.walk.clear();
        self.records.clear();
    }

    /// Drops the traces recorded after `mark`. Most calls find nothing to drop, and answer
    /// without a call into the slice's destructor.
    #[inline(always)]
    pub(super) fn rewind(&mut self, mark: usize) {
        if self.trace.len() > mark {
            self.trace.truncate(mark);
        }
    }

    /// Evaluates a condition.
    pub(super) fn test(&mut self, expr: &'a Expr) -> Outcome {
        match expr {
            Expr::Not(inner) => {
                let mark = self.trace.len();
                let result = self.test(inner);
                self.rewind(mark);
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
            Expr::Presence { subject, present } => {
                self.present(subject).map(|found| found == *present)
            }
            Expr::Quantifier {
                kind,
                slot,
                collection,
                filter,
                body,
            } => self.quantify(*kind, *slot, collection, filter.as_deref(), body),
            Expr::Matches(subject, pattern) => self.matches(subject, pattern),
            Expr::Within {
                subject,
                window,
                anchor,
            } => self.within(subject, *window, anchor),
            other => match self.value(other)? {
                Value::Bool(b) => Ok(b),
                v => Err(EvalError::from(FailureCause::NotTrueOrFalse {
                    found: v.kind(),
                })),
            },
        }
    }

    fn and(&mut self, lhs: &'a Expr, rhs: &'a Expr) -> Outcome {
        let mark = self.trace.len();
        let left = self.test(lhs);
        if matches!(left, Ok(false)) {
            self.rewind(mark);
            return Ok(false);
        }
        match (left, self.test(rhs)) {
            (Ok(_), Ok(true)) => Ok(true),
            (_, Ok(false)) => {
                self.rewind(mark);
                Ok(false)
            }
            (Err(e), _) | (_, Err(e)) => {
                self.rewind(mark);
                Err(e)
            }
        }
    }

    fn or(&mut self, lhs: &'a Expr, rhs: &'a Expr) -> Outcome {
        let mark = self.trace.len();
        let left = self.test(lhs);
        if matches!(left, Ok(true)) {
            return Ok(true);
        }
        self.rewind(mark);
        match (left, self.test(rhs)) {
            (_, Ok(true)) => Ok(true),
            (Err(e), _) | (_, Err(e)) => {
                self.rewind(mark);
                Err(e)
            }
            _ => Ok(false),
        }
    }

    #[inline]
    fn bound(&self, slot: Slot) -> Result<Bound, EvalError> {
        self.env
            .get(slot as usize)
            .copied()
            .flatten()
            .ok_or_else(|| EvalError::from(Inconsistency::UnboundVariable))
    }

    /// An entity's name for messages.
    pub(super) fn entity_name(&self, entity: EntityIndex) -> String {
        self.facts
            .entity(entity)
            .map_or_else(|| String::from("(unknown entity)"), |e| e.name.clone())
    }
}
