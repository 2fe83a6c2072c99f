//! Notes: facts that decided nothing but that a reviewer should see, such as a party whose
//! designation starts after the decision's day or ended before it. Notes are data here; their
//! sentences are written by `explain`.

use super::decision::{ListEntry, Note, NotedParty};
use super::scope::Scope;
use crate::date::Date;
use crate::facts::{Listing, Transaction};
use crate::screen::{Review, Strength};

/// The decision's notes: dated designations of the parties, then name matches their own data
/// contradict.
pub(super) fn noted(
    facts: &Scope<'_>,
    transaction: &Transaction,
    day: Date,
    screening: Option<&crate::screen::Screening>,
) -> Vec<Note> {
    let mut notes = dated_designations(facts, transaction, day);
    notes.extend(contradicted_matches(facts, transaction, day, screening));
    notes
}

/// For each party, its designations that are not in force on `day` because of their dates.
fn dated_designations(facts: &Scope<'_>, transaction: &Transaction, day: Date) -> Vec<Note> {
    let mut notes = Vec::new();
    for party in &transaction.parties {
        let Some(entity) = facts.entity(party.entity) else {
            continue;
        };
        let noted = || NotedParty {
            entity: entity.id.clone(),
            name: entity.name.clone(),
            role: party.role.clone(),
        };
        for (_, designation) in facts.designations_of(party.entity) {
            if let Some(listed_on) = designation.listed_on.filter(|listed| *listed > day) {
                notes.push(Note::ListedLater {
                    party: noted(),
                    list: designation.list.clone(),
                    reference: designation.reference.clone(),
                    listed_on,
                    day,
                });
            } else if let Some(delisted_on) =
                designation.delisted_on.filter(|delisted| *delisted <= day)
            {
                notes.push(Note::Delisted {
                    party: noted(),
                    list: designation.list.clone(),
                    reference: designation.reference.clone(),
                    delisted_on,
                });
            } else if let Listing::Unknown { after, by } = designation.listing_on(day) {
                notes.push(Note::ListingDateUnknown {
                    party: Some(noted()),
                    name: entity.name.clone(),
                    list: designation.list.clone(),
                    reference: designation.reference.clone(),
                    after,
                    by,
                    day,
                });
            }
        }
    }
    notes
}

/// For each party not itself on a list, its name matches that its own data contradict: shown so
/// a reviewer sees the hit was looked at and why it was set aside, never a reason on their own.
fn contradicted_matches(
    facts: &Scope<'_>,
    transaction: &Transaction,
    day: Date,
    screening: Option<&crate::screen::Screening>,
) -> Vec<Note> {
    let Some(screening) = screening else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    for party in &transaction.parties {
        let listed = facts
            .designations_of(party.entity)
            .any(|(_, d)| d.in_force_on(day));
        let Some(entity) = facts.entity(party.entity).filter(|_| !listed) else {
            continue;
        };
        let noted = || NotedParty {
            entity: entity.id.clone(),
            name: entity.name.clone(),
            role: party.role.clone(),
        };
        for found in facts.matches(screening, party.entity).iter() {
            let entry = || ListEntry {
                list: found.hit.list.clone(),
                reference: found.hit.reference.clone(),
            };
            if let Some(disposition) = &found.disposition
                && let Some(lapse) = disposition.lapse_on(day)
            {
                notes.push(Note::AlertReopened {
                    party: noted(),
                    entry: entry(),
                    listed_name: found.hit.name.clone(),
                    review: Review::from(disposition),
                    lapse,
                });
            }
            match found.strength_on(day) {
                Strength::Cleared => notes.push(Note::AlertCleared {
                    party: noted(),
                    entry: entry(),
                    listed_name: found.hit.name.clone(),
                    score: found.hit.score,
                    review: found.disposition.as_ref().map(Review::from),
                }),
                Strength::Contradicted => notes.push(Note::MatchContradicted {
                    party: noted(),
                    entry: entry(),
                    listed_name: found.hit.name.clone(),
                    score: found.hit.score,
                    contradicts: found.assessment.contradicts.clone(),
                }),
                Strength::Possible | Strength::Confirmed => {}
            }
        }
    }
    notes
}
