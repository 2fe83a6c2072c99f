//! Listings whose date is unknown. OFAC's delimited files carry no listing dates, so an entry
//! read from a snapshot published on D is known to be in force from D on, and before D only
//! "perhaps". A block that relies on such an entry, decided as of a day before D, is not a fact
//! the engine can assert: it fails closed to review and says why.

use super::decision::{Outcome, Reason};
use super::evaluate::Trace;
use super::failure::{FailureCause, UnknownListing};
use super::scope::Scope;
use crate::date::Date;
use crate::facts::Listing;

/// Every designation in `traces` whose listing on `day` is unknown, each once.
pub(super) fn unknown_listings(
    facts: &Scope<'_>,
    traces: &[Trace],
    day: Date,
) -> Vec<UnknownListing> {
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
            let listing = UnknownListing {
                name: name.to_owned(),
                list: designation.list.clone(),
                reference: designation.reference.clone(),
                after,
                by,
                day,
            };
            if !found.contains(&listing) {
                found.push(listing);
            }
        }
    }
    found
}

/// Turns a block into a review when it relies on listings of unknown date: the engine cannot
/// assert the block, and must not allow either.
pub(super) fn fail_closed(reason: &mut Reason, unknown: Vec<UnknownListing>) {
    if unknown.is_empty() || reason.effect != Outcome::Block {
        return;
    }
    let error = FailureCause::ListingDatesUnknown { listings: unknown };
    reason.effect = Outcome::Review;
    if !reason.message.is_empty() {
        reason.message = crate::explain::block_sent_to_review(&reason.message, &error);
    }
    reason.error = Some(error);
}
