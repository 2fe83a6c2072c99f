//! Turning the positions a rule recorded into evidence a reader (or a program) can follow.

use super::decision::{BlockedBasis, Evidence, FactValue, Note, OwnershipTest};
use super::evaluate::Trace;
use std::collections::HashSet;
use std::sync::Arc;

use super::scope::Scope;
use crate::facts::{Basis, Blocked, EntityIndex, Regime, Transaction};
use crate::screen::EntityMatch;

/// Resolves traces into evidence, in the order recorded, each fact once.
pub(super) fn resolve(
    facts: &Scope<'_>,
    transaction: &Transaction,
    regimes: &[Regime],
    blocked: &[Option<Arc<Blocked>>],
    traces: &[Trace],
) -> Vec<Evidence> {
    let mut evidence: Vec<Evidence> = Vec::with_capacity(traces.len());
    let mut seen = SeenKeys::new(traces.len());
    for trace in traces {
        if !seen.insert(TraceKey::of(trace)) {
            continue;
        }
        let item = match trace {
            Trace::Blocked { entity, regime } => {
                resolve_blocked(facts, regimes, blocked, *entity, *regime)
            }
            Trace::Note(note) => Some(Evidence::Note(Note::clone(note))),
            Trace::Screened { entity, found } => resolve_match(facts, *entity, found),
            other => resolve_one(facts, transaction, other),
        };
        evidence.extend(item);
    }
    evidence
}

/// The trace keys met so far: a short list while few (cheaper than hashing), a hash set when a
/// rule went through many elements.
enum SeenKeys<'t> {
    Few(Vec<TraceKey<'t>>),
    Many(HashSet<TraceKey<'t>>),
}

impl<'t> SeenKeys<'t> {
    const FEW: usize = 48;

    fn new(expected: usize) -> Self {
        if expected <= Self::FEW {
            SeenKeys::Few(Vec::with_capacity(expected))
        } else {
            SeenKeys::Many(HashSet::with_capacity(expected))
        }
    }

    /// Adds `key`; true if it was not there.
    fn insert(&mut self, key: TraceKey<'t>) -> bool {
        match self {
            SeenKeys::Few(keys) if keys.contains(&key) => false,
            SeenKeys::Few(keys) => {
                keys.push(key);
                true
            }
            SeenKeys::Many(keys) => keys.insert(key),
        }
    }
}

/// What makes two traces the same fact, hashed so that removing repeats stays linear however
/// many elements a rule's quantifiers went through.
#[derive(PartialEq, Eq, Hash)]
enum TraceKey<'t> {
    Party(u32),
    Relation(u32),
    Designation(u32),
    Blocked(EntityIndex, u16),
    Screened(EntityIndex, EntityIndex),
    /// Entity, field, and the value as (type tag, bits of a bool or number, text).
    Fact(Option<EntityIndex>, &'t str, u8, u64, &'t str),
    Note(NoteKey<'t>),
    Indicator(&'t str),
    Earlier(u32),
    /// The figure converted (its bits), the rate's position and direction.
    Conversion(u64, u32, bool),
}

impl<'t> TraceKey<'t> {
    fn of(trace: &'t Trace) -> TraceKey<'t> {
        match trace {
            Trace::Party(party) => TraceKey::Party(*party),
            Trace::Relation(relation) => TraceKey::Relation(*relation),
            Trace::Designation(designation) => TraceKey::Designation(*designation),
            Trace::Blocked { entity, regime } => TraceKey::Blocked(*entity, *regime),
            Trace::Screened { entity, found } => TraceKey::Screened(*entity, found.hit.entity),
            Trace::Fact {
                entity,
                field,
                value,
            } => {
                let (tag, bits, text) = match value {
                    FactValue::Bool(b) => (0, u64::from(*b), ""),
                    FactValue::Number(n) => (1, n.to_bits(), ""),
                    FactValue::Text(t) => (2, 0, t.as_str()),
                };
                TraceKey::Fact(*entity, field, tag, bits, text)
            }
            Trace::Note(note) => TraceKey::Note(NoteKey(note)),
            Trace::Indicator { id, .. } => TraceKey::Indicator(id),
            Trace::Earlier(position) => TraceKey::Earlier(*position),
            Trace::Conversion {
                amount,
                rate,
                inverted,
                ..
            } => TraceKey::Conversion(amount.to_bits(), *rate, *inverted),
        }
    }
}

/// A note as a key: notes are rare (a few per ownership derivation), so all hash alike and
/// equality tells them apart.
struct NoteKey<'t>(&'t Note);

impl PartialEq for NoteKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for NoteKey<'_> {}

impl std::hash::Hash for NoteKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self.0).hash(state);
    }
}

/// A name match between an entity of the facts and a list entry, with the tokens behind it.
fn resolve_match(facts: &Scope<'_>, entity: EntityIndex, found: &EntityMatch) -> Option<Evidence> {
    let record = facts.entity(entity)?;
    let hit = &found.hit;
    let tokens = hit.explanation.pairs.clone();
    Some(Evidence::Match {
        entity: record.id.clone(),
        name: record.name.clone(),
        query: found.query.clone(),
        list_entity: hit.id.clone(),
        listed_name: hit.name.clone(),
        matched_name: hit.matched_name.clone(),
        list: hit.list.clone(),
        reference: hit.reference.clone(),
        score: round_score(hit.score),
        tokens,
        notes: hit.explanation.notes.clone(),
        strength: found.assessment.strength,
        agrees: found.assessment.agrees.clone(),
        contradicts: found.assessment.contradicts.clone(),
        unknown: found.assessment.unknown.clone(),
        check: found.assessment.check.clone(),
        fingerprint: found.fingerprint.clone(),
    })
}

/// A match's score to three decimals, as evidence reports it.
fn round_score(score: f64) -> f64 {
    (score * 1000.0).round() / 1000.0
}

/// Why an entity is blocked under one regime, in a sentence's worth of fields.
fn resolve_blocked(
    facts: &Scope<'_>,
    regimes: &[Regime],
    blocked: &[Option<Arc<Blocked>>],
    entity: EntityIndex,
    regime: u16,
) -> Option<Evidence> {
    let settings = regimes.get(regime as usize)?;
    let set = blocked.get(regime as usize)?.as_ref()?;
    let record = facts.entity(entity)?;
    let basis = match set.basis(entity)? {
        Basis::Designated => BlockedBasis::Designation {
            lists: settings.lists.clone(),
        },
        Basis::Owned { total, joint, .. } => BlockedBasis::Ownership {
            total_percent: *total,
            test: OwnershipTest {
                threshold: settings.threshold(),
                inclusive: settings.inclusive,
                aggregate: settings.aggregate,
                joint: !joint.is_empty(),
                citations: settings.citations.clone(),
            },
        },
        Basis::Controlled { relation, .. } => BlockedBasis::Control {
            criterion: facts.relation(*relation).and_then(|r| r.basis),
        },
    };
    Some(Evidence::Blocked {
        entity: record.id.clone(),
        name: record.name.clone(),
        jurisdiction: settings.code.clone(),
        basis,
    })
}

fn resolve_one(facts: &Scope<'_>, transaction: &Transaction, trace: &Trace) -> Option<Evidence> {
    let id_and_name =
        |entity: EntityIndex| facts.entity(entity).map(|e| (e.id.clone(), e.name.clone()));
    Some(match trace {
        Trace::Party(position) => {
            let party = transaction.parties.get(*position as usize)?;
            let record = facts.entity(party.entity)?;
            Evidence::Party {
                role: party.role.clone(),
                entity: record.id.clone(),
                name: record.name.clone(),
                source: record.source.clone(),
            }
        }
        Trace::Relation(index) => {
            let relation = facts.relation(*index)?;
            let (from, from_name) = id_and_name(relation.from)?;
            let (to, to_name) = id_and_name(relation.to)?;
            Evidence::Relation {
                id: relation.id.clone(),
                relation: relation.kind.keyword().to_owned(),
                from,
                from_name,
                to,
                to_name,
                percent: relation.percent,
                role: relation.role.clone(),
                start: relation.start,
                end: relation.end,
                source: relation.source.clone(),
                basis: relation.basis.map(|b| b.keyword().to_owned()),
            }
        }
        Trace::Designation(index) => {
            let designation = facts.designation(*index)?;
            let (entity, name) = id_and_name(designation.entity)?;
            Evidence::Designation {
                entity,
                name,
                list: designation.list.clone(),
                programs: designation.programs.clone(),
                listed_on: designation.listed_on,
                reference: designation.reference.clone(),
                source: designation.source.clone(),
                listed_by: designation.listed_by,
                unlisted_on: designation.unlisted_on,
                measure: designation.measure.keyword().to_owned(),
                directive: designation.directive.clone(),
                authority: authorities(&designation.list, &designation.programs),
            }
        }
        Trace::Fact {
            entity,
            field,
            value,
        } => {
            let (entity, name) = match entity.and_then(id_and_name) {
                Some((id, name)) => (Some(id), Some(name)),
                None => (None, None),
            };
            Evidence::Fact {
                entity,
                name,
                field: field.clone(),
                value: value.clone(),
            }
        }
        Trace::Indicator { id, title, weight } => Evidence::Indicator {
            id: id.clone(),
            title: title.clone(),
            weight: *weight,
        },
        Trace::Earlier(position) => {
            let earlier = facts.transactions().get(*position as usize)?;
            Evidence::EarlierTransaction {
                id: earlier.id.clone(),
                transaction_kind: earlier.kind.clone(),
                date: earlier.date,
                amount: earlier.amount.as_ref().map(|a| a.value),
                currency: earlier.amount.as_ref().map(|a| a.currency.clone()),
            }
        }
        Trace::Conversion {
            amount,
            converted,
            rate,
            inverted,
        } => {
            let record = facts.rates().get(*rate as usize)?;
            let (from, to) = if *inverted {
                (&record.quote, &record.base)
            } else {
                (&record.base, &record.quote)
            };
            Evidence::Conversion {
                amount: *amount,
                currency: from.clone(),
                converted: *converted,
                to: to.clone(),
                rate: record.rate,
                base: record.base.clone(),
                quote: record.quote.clone(),
                as_of: record.as_of,
                inverted: *inverted,
                source: record.source.clone(),
            }
        }
        Trace::Blocked { .. } | Trace::Note(_) | Trace::Screened { .. } => return None,
    })
}

/// The authority of each program of a listing, as the program table gives it, each provision once.
fn authorities(list: &str, programs: &[String]) -> Vec<String> {
    let jurisdiction = crate::programs::list_jurisdiction(list);
    let mut found: Vec<String> = Vec::new();
    for part in programs
        .iter()
        .filter_map(|p| crate::programs::authority(p, jurisdiction))
        .flat_map(|a| a.split("; "))
    {
        if !found.iter().any(|f| f == part) {
            found.push(part.to_owned());
        }
    }
    found
}
