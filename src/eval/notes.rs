//! Notes: facts that decided nothing but that a reviewer should see, such as a party whose
//! designation starts after the decision's day or ended before it.

use crate::date::Date;
use crate::facts::{Facts, Transaction};

/// For each party, its designations that are not in force on `day` because of their dates.
pub(super) fn dated_designations(
    facts: &Facts,
    transaction: &Transaction,
    day: Date,
) -> Vec<String> {
    let mut notes = Vec::new();
    for party in &transaction.parties {
        let Some(entity) = facts.entity(party.entity) else {
            continue;
        };
        for (_, designation) in facts.designations_of(party.entity) {
            let reference = designation
                .reference
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default();
            if let Some(listed) = designation.listed_on.filter(|listed| *listed > day) {
                notes.push(format!(
                    "{}, the {}, is listed on {}{reference} from {listed}, after {day}; the listing does not apply to this decision",
                    entity.name, party.role, designation.list
                ));
            } else if let Some(delisted) =
                designation.delisted_on.filter(|delisted| *delisted <= day)
            {
                notes.push(format!(
                    "{}, the {}, was removed from {}{reference} on {delisted}; the former listing does not apply",
                    entity.name, party.role, designation.list
                ));
            }
        }
    }
    notes
}
