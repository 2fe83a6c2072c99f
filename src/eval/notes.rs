//! Notes: facts that decided nothing but that a reviewer should see, such as a party whose
//! designation starts after the decision's day or ended before it. Notes are data here; their
//! sentences are written by `explain`.

use std::fmt::Write as _;

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

/// "A payment of 12,000 USD dated 2024-03-01 between Acme Analytics Inc. (originator) and
/// Volasys Silver Star (beneficiary)": what a reader needs before the reasons. Every decision
/// carries it, so it is built in one buffer from its pieces, without the formatting machinery.
pub(super) fn summary(facts: &Scope<'_>, transaction: &Transaction) -> String {
    let mut out = String::with_capacity(160);
    out.push_str(if transaction.kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "An "
    } else {
        "A "
    });
    out.push_str(&transaction.kind);
    if let Some(amount) = &transaction.amount {
        out.push_str(" of ");
        push_grouped(&mut out, amount.value);
        out.push(' ');
        out.push_str(&amount.currency);
    }
    out.push_str(" dated ");
    transaction.date.push_to(&mut out);
    let mut parties = transaction
        .parties
        .iter()
        .filter_map(|p| Some((facts.entity(p.entity)?.name.as_str(), p.role.as_str())))
        .peekable();
    let mut first = true;
    while let Some((name, role)) = parties.next() {
        let last = parties.peek().is_none();
        out.push_str(match (first, last) {
            (true, true) => " involving ",
            (true, false) => " between ",
            (false, true) => " and ",
            (false, false) => ", ",
        });
        first = false;
        out.push_str(name);
        out.push_str(" (");
        out.push_str(role);
        out.push(')');
    }
    out
}

/// Appends a sum with thousands separated by commas and at most two decimals: 12,000 or 950.50.
fn push_grouped(out: &mut String, value: f64) {
    let cents = (value.abs() * 100.0).round();
    let whole = (cents / 100.0).trunc();
    let fraction = cents - whole * 100.0;
    if value < 0.0 {
        out.push('-');
    }
    // Below 10^15 the whole part is an exact integer, written as one without float formatting.
    if whole < 1e15 {
        push_thousands(out, whole as u64);
    } else {
        let digits = format!("{whole:.0}");
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
    }
    if fraction > 0.0 {
        // Cents are whole, so the fraction is too: two digits, as `{:02.0}` writes them.
        if fraction < 100.0 && fraction.fract() == 0.0 {
            let cents = fraction as u8;
            out.push('.');
            out.push(char::from(b'0' + cents / 10));
            out.push(char::from(b'0' + cents % 10));
        } else {
            let _ = write!(out, ".{fraction:02.0}");
        }
    }
}

/// Appends `n` in decimal with a comma between each group of three digits.
fn push_thousands(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        if let Some(place) = digits.get_mut(start) {
            *place = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || start == 0 {
            break;
        }
    }
    let digits = digits.get(start..).unwrap_or_default();
    for (i, &digit) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(char::from(digit));
    }
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

#[cfg(test)]
mod tests {
    use super::push_grouped;

    fn grouped(value: f64) -> String {
        let mut out = String::new();
        push_grouped(&mut out, value);
        out
    }

    #[test]
    fn sums_are_grouped_by_thousands_with_at_most_two_decimals() {
        assert_eq!(grouped(0.0), "0");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(12_000.0), "12,000");
        assert_eq!(grouped(950.5), "950.50");
        assert_eq!(grouped(0.05), "0.05");
        assert_eq!(grouped(1_234_567.891), "1,234,567.89");
        assert_eq!(grouped(999.996), "1,000");
        assert_eq!(grouped(-5.0), "-5");
        assert_eq!(grouped(-1_500.25), "-1,500.25");
        assert_eq!(grouped(999_999_999_999_999.0), "999,999,999,999,999");
        assert_eq!(grouped(1e15), "1,000,000,000,000,000");
    }
}
