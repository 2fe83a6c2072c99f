//! Listings whose date is unknown. OFAC's delimited files carry no listing dates, so an entry
//! read from a snapshot published on D is known to be in force from D on, and before D only
//! "perhaps". A block that relies on such an entry, decided as of a day before D, is not a fact
//! the engine can assert: it fails closed to review and says why.

use super::decision::{Outcome, Reason};
use super::evaluate::Trace;
use super::scope::Scope;
use crate::date::Date;
use crate::facts::Listing;

/// The sentences for every designation in `traces` whose listing on `day` is unknown.
pub(super) fn unknown_listings(facts: &Scope<'_>, traces: &[Trace], day: Date) -> Vec<String> {
    let mut found = Vec::new();
    for trace in traces {
        let Trace::Designation(index) = trace else {
            continue;
        };
        let Some(designation) = facts.designation(*index) else {
            continue;
        };
        if let Listing::Unknown { after, by } = designation.listing_on(day) {
            let name = facts
                .entity(designation.entity)
                .map(|e| e.name.as_str())
                .unwrap_or_default();
            let text = describe(
                name,
                &designation.list,
                designation.reference.as_deref(),
                after,
                by,
                day,
            );
            if !found.contains(&text) {
                found.push(text);
            }
        }
    }
    found
}

/// "the listing date of Volasys Silver Star on OFAC-SDN (SDN 24978) is unknown: ..."
pub(super) fn describe(
    name: &str,
    list: &str,
    reference: Option<&str>,
    after: Option<Date>,
    by: Date,
    day: Date,
) -> String {
    let reference = reference.map(|r| format!(" ({r})")).unwrap_or_default();
    let window = match after {
        Some(after) => format!("it was listed after {after} and by {by}"),
        None => format!(
            "the earliest evidence of it (the list snapshot, or the first act that names it) is dated {by}"
        ),
    };
    format!(
        "the listing date of {name} on {list}{reference} is unknown: {window}, so whether it was in force on {day} cannot be told"
    )
}

/// Turns a block into a review when it relies on listings of unknown date: the engine cannot
/// assert the block, and must not allow either.
pub(super) fn fail_closed(reason: &mut Reason, unknown: Vec<String>) {
    if unknown.is_empty() || reason.effect != Outcome::Block {
        return;
    }
    let error = format!("{}; the block goes to review instead", unknown.join("; "));
    reason.effect = Outcome::Review;
    if !reason.message.is_empty() {
        reason.message = format!("{}. But {error}", reason.message);
    }
    reason.error = Some(error);
}
