//! Notes: facts that decided nothing but that a reviewer should see, such as a party whose
//! designation starts after the decision's day or ended before it.

use std::fmt::Write as _;

use super::scope::Scope;
use crate::date::Date;
use crate::facts::{Listing, Transaction};

/// For each party, its designations that are not in force on `day` because of their dates.
pub(super) fn dated_designations(
    facts: &Scope<'_>,
    transaction: &Transaction,
    day: Date,
) -> Vec<String> {
    let mut notes = Vec::new();
    for party in &transaction.parties {
        let Some(entity) = facts.entity(party.entity) else {
            continue;
        };
        for (_, designation) in facts.designations_of(party.entity) {
            // Built only for a note: most designations are in force and need none.
            let reference = || {
                designation
                    .reference
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            };
            if let Some(listed) = designation.listed_on.filter(|listed| *listed > day) {
                notes.push(format!(
                    "{}, the {}, is listed on {}{} from {listed}, after {day}; the listing does not apply to this decision",
                    entity.name,
                    party.role,
                    designation.list,
                    reference()
                ));
            } else if let Some(delisted) =
                designation.delisted_on.filter(|delisted| *delisted <= day)
            {
                notes.push(format!(
                    "{}, the {}, was removed from {}{} on {delisted}; the former listing does not apply",
                    entity.name,
                    party.role,
                    designation.list,
                    reference()
                ));
            } else if let Listing::Unknown { after, by } = designation.listing_on(day) {
                let text = super::listing::describe(
                    &entity.name,
                    &designation.list,
                    designation.reference.as_deref(),
                    after,
                    by,
                    day,
                );
                notes.push(format!("{}, the {}: {text}", entity.name, party.role));
            }
        }
    }
    notes
}

/// "A payment of 12,000 USD dated 2024-03-01 between Acme Analytics Inc. (originator) and
/// Volasys Silver Star (beneficiary)": what a reader needs before the reasons. Built in one buffer,
/// since every decision carries it.
pub(super) fn summary(facts: &Scope<'_>, transaction: &Transaction) -> String {
    let mut out = String::with_capacity(160);
    let article = if transaction.kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "An"
    } else {
        "A"
    };
    let _ = write!(out, "{article} {}", transaction.kind);
    if let Some(amount) = &transaction.amount {
        out.push_str(" of ");
        push_grouped(&mut out, amount.value);
        let _ = write!(out, " {}", amount.currency);
    }
    let _ = write!(out, " dated {}", transaction.date);
    let parties: Vec<(&str, &str)> = transaction
        .parties
        .iter()
        .filter_map(|p| Some((facts.entity(p.entity)?.name.as_str(), p.role.as_str())))
        .collect();
    for (position, (name, role)) in parties.iter().enumerate() {
        let joint = match (position, parties.len()) {
            (0, 1) => " involving ",
            (0, _) => " between ",
            (p, n) if p + 1 == n => " and ",
            _ => ", ",
        };
        let _ = write!(out, "{joint}{name} ({role})");
    }
    out
}

/// Appends a sum with thousands separated by commas and at most two decimals: 12,000 or 950.50.
fn push_grouped(out: &mut String, value: f64) {
    let cents = (value.abs() * 100.0).round();
    let whole = (cents / 100.0).trunc();
    let fraction = cents - whole * 100.0;
    // Below 10^15 the whole part is an exact integer, written as one without float formatting.
    let digits = if whole < 1e15 {
        (whole as u64).to_string()
    } else {
        format!("{whole:.0}")
    };
    if value < 0.0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if fraction > 0.0 {
        let _ = write!(out, ".{fraction:02.0}");
    }
}

/// For each party not itself on a list, its name matches that its own data contradict: shown so
/// a reviewer sees the hit was looked at and why it was set aside, never a reason on their own.
pub(super) fn contradicted_matches(
    facts: &Scope<'_>,
    transaction: &Transaction,
    day: Date,
    screening: Option<&crate::screen::Screening>,
) -> Vec<String> {
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
        for found in facts.matches(screening, party.entity).iter() {
            let entry = [found.hit.list.as_deref(), found.hit.reference.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            if let Some(lapse) = found.disposition.as_ref().and_then(|d| d.lapse_on(day)) {
                notes.push(format!(
                    "{}, the {}: the alert on {entry} {} is open again: {lapse}",
                    entity.name, party.role, found.hit.name
                ));
            }
            let strength = found.strength_on(day);
            if strength == crate::screen::Strength::Cleared {
                let cleared = found
                    .disposition
                    .as_ref()
                    .map(|d| d.describe())
                    .unwrap_or_default();
                notes.push(format!(
                    "{}, the {}, matches {entry} {} by name ({:.2}); the alert was {cleared}",
                    entity.name, party.role, found.hit.name, found.hit.score
                ));
                continue;
            }
            if strength != crate::screen::Strength::Contradicted {
                continue;
            }
            notes.push(format!(
                "{}, the {}, matches {entry} {} by name ({:.2}), but its own data contradict the match ({}); not treated as a match",
                entity.name,
                party.role,
                found.hit.name,
                found.hit.score,
                found.assessment.contradicts.join("; ")
            ));
        }
    }
    notes
}
