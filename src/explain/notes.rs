//! Notes, and a jurisdiction's reason for `not_assessed`, in the words a memo reads aloud.

use crate::date::Date;
use crate::eval::{ListEntry, NotAssessed, Note, NotedParty, StakeReport, UnknownListing};
use crate::number::format_number;

use super::findings::{finding, lapse, review};

/// A note as a clause (the memo prefixes `Note: ` and ends it with a full stop).
pub fn note(note: &Note) -> String {
    match note {
        Note::ListedLater {
            party,
            list,
            reference,
            listed_on,
            day,
        } => format!(
            "{}, is listed on {list}{} from {listed_on}, after {day}; the listing does not apply to this decision",
            party_clause(party),
            reference_clause(reference.as_deref())
        ),
        Note::Delisted {
            party,
            list,
            reference,
            delisted_on,
        } => format!(
            "{}, was removed from {list}{} on {delisted_on}; the former listing does not apply",
            party_clause(party),
            reference_clause(reference.as_deref())
        ),
        Note::ListingDateUnknown { party, .. } => {
            let unknown = listing_date_unknown(note);
            match party {
                Some(party) => format!("{}: {unknown}", party_clause(party)),
                None => unknown,
            }
        }
        Note::AlertReopened {
            party,
            entry,
            listed_name,
            review: reviewed,
            lapse: lapsed,
        } => format!(
            "{}: the alert on {} {listed_name} is open again: {}",
            party_clause(party),
            entry_text(entry),
            lapse(reviewed, lapsed)
        ),
        Note::AlertCleared {
            party,
            entry,
            listed_name,
            score,
            review: reviewed,
        } => format!(
            "{}, matches {} {listed_name} by name ({score:.2}); the alert was {}",
            party_clause(party),
            entry_text(entry),
            reviewed.as_ref().map(review).unwrap_or_default()
        ),
        Note::MatchContradicted {
            party,
            entry,
            listed_name,
            score,
            contradicts,
        } => format!(
            "{}, matches {} {listed_name} by name ({score:.2}), but its own data contradict the match ({}); not treated as a match",
            party_clause(party),
            entry_text(entry),
            contradicts
                .iter()
                .map(finding)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Note::DerivationCut { name, limit } => format!(
            "the derivation is cut after {limit} entities; {name} and the owners above it are blocked too"
        ),
        Note::OtherBlockedOwners {
            name,
            owners,
            percent,
        } => {
            let held = format_number(*percent);
            match owners {
                1 => format!(
                    "1 more blocked owner holds {held} % of {name}; the stakes above suffice"
                ),
                n => format!(
                    "{n} more blocked owners hold {held} % of {name} between them; the stakes above suffice"
                ),
            }
        }
        Note::StakeReportsDiffer {
            owner,
            reports,
            counted,
        } => stake_reports(owner, reports, *counted),
    }
}

/// "the listing date of Volasys Silver Star on OFAC-SDN (SDN 24978) is unknown: ...", for a
/// [`Note::ListingDateUnknown`] (empty for any other note).
pub fn listing_date_unknown(note: &Note) -> String {
    let Note::ListingDateUnknown {
        name,
        list,
        reference,
        after,
        by,
        day,
        ..
    } = note
    else {
        return String::new();
    };
    listing_unknown_on(name, list, reference.as_deref(), *after, *by, *day)
}

/// A listing of unknown date a failed block relied on, as a clause.
pub(super) fn unknown_listing(listing: &UnknownListing) -> String {
    listing_unknown_on(
        &listing.name,
        &listing.list,
        listing.reference.as_deref(),
        listing.after,
        listing.by,
        listing.day,
    )
}

/// "the listing date of Volasys Silver Star on OFAC-SDN (SDN 24978) is unknown: ...".
fn listing_unknown_on(
    name: &str,
    list: &str,
    reference: Option<&str>,
    after: Option<Date>,
    by: Date,
    day: Date,
) -> String {
    let window = match after {
        Some(after) => format!("it was listed after {after} and by {by}"),
        None => format!(
            "the earliest evidence of it (the list snapshot, or the first act that names it) is dated {by}"
        ),
    };
    format!(
        "the listing date of {name} on {list}{} is unknown: {window}, so whether it was in force on {day} cannot be told",
        reference_clause(reference)
    )
}

/// Why a jurisdiction was not assessed, as the parenthesis after its code.
pub fn not_assessed(why: &NotAssessed) -> String {
    match why {
        NotAssessed::NoListLoaded { lists } => {
            format!("no list it reads is loaded: {}", lists.join(", "))
        }
    }
}

/// "Volasys Silverstar, the beneficiary".
fn party_clause(party: &NotedParty) -> String {
    format!("{}, the {}", party.name, party.role)
}

/// " (SDN 24978)", or nothing.
fn reference_clause(reference: Option<&str>) -> String {
    reference.map(|r| format!(" ({r})")).unwrap_or_default()
}

/// "OFAC-SDN SDN 24978": the list and the entry's reference, whichever are known.
fn entry_text(entry: &ListEntry) -> String {
    [entry.list.as_deref(), entry.reference.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "the stake of X is reported 2 times (40 % according to ...; 60 % according to ...); the
/// highest, 60 %, is counted".
fn stake_reports(owner: &str, reports: &[StakeReport], counted: f64) -> String {
    let figures: Vec<String> = reports
        .iter()
        .map(|report| {
            let figure = report.percent.map_or_else(
                || String::from("no figure"),
                |p| format!("{} %", format_number(p)),
            );
            match &report.source {
                Some(source) => format!("{figure} according to {}", source.describe()),
                None => figure,
            }
        })
        .collect();
    let separator = if reports.iter().any(|r| r.source.is_some()) {
        "; "
    } else {
        ", "
    };
    format!(
        "the stake of {owner} is reported {} times ({}); the highest, {} %, is counted",
        reports.len(),
        figures.join(separator),
        format_number(counted)
    )
}
