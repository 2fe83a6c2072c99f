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

/// "A payment of 12,000 USD dated 2024-03-01 between Acme Analytics Inc. (originator) and
/// Volasys Silver Star (beneficiary)": what a reader needs before the reasons.
pub(super) fn summary(facts: &Facts, transaction: &Transaction) -> String {
    let amount = transaction
        .amount
        .as_ref()
        .map(|a| format!(" of {} {}", grouped(a.value), a.currency))
        .unwrap_or_default();
    let parties: Vec<String> = transaction
        .parties
        .iter()
        .filter_map(|p| Some(format!("{} ({})", facts.entity(p.entity)?.name, p.role)))
        .collect();
    let between = match parties.as_slice() {
        [] => String::new(),
        [one] => format!(" involving {one}"),
        [init @ .., last] => format!(" between {} and {last}", init.join(", ")),
    };
    let article = if transaction.kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "An"
    } else {
        "A"
    };
    format!(
        "{article} {}{amount} dated {}{between}",
        transaction.kind, transaction.date
    )
}

/// A sum with thousands separated by commas and at most two decimals: 12,000 or 950.50.
fn grouped(value: f64) -> String {
    let cents = (value.abs() * 100.0).round();
    let whole = (cents / 100.0).trunc();
    let fraction = cents - whole * 100.0;
    let digits = format!("{whole:.0}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let sign = if value < 0.0 { "-" } else { "" };
    if fraction > 0.0 {
        format!("{sign}{out}.{fraction:02.0}")
    } else {
        format!("{sign}{out}")
    }
}
