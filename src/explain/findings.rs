//! What a screening match rests on, in words: the findings behind its strength, the token pairs
//! behind its score, and a reviewer's disposition. Shared by decision memos and screening reports.

use crate::facts::Identifier;
use crate::screen::{DispositionKind, Finding, Lapse, PlaceField, Review, ReviewStatus, TokenPair};

/// One finding as a clause: "born 1970, the listed person 1972: close, not equal".
pub fn finding(finding: &Finding) -> String {
    match finding {
        Finding::SameKind { entity_kind } => format!("both are a {}", entity_kind.keyword()),
        Finding::KindDiffers {
            name,
            entity_kind,
            listed_kind,
        } => format!(
            "{name} is a {}, the listed entry a {}",
            entity_kind.keyword(),
            listed_kind.keyword()
        ),
        Finding::KindNotGiven { name, listed_kind } => format!(
            "the kind of {name} is not given (the entry is a {})",
            listed_kind.keyword()
        ),
        Finding::IdentifierEqual { identifier, listed } => format!(
            "{} equals the listed {}",
            identifier_text(identifier),
            identifier_text(listed)
        ),
        Finding::IdentifierDiffers {
            identifiers,
            listed,
        } => format!(
            "{} differs from the listed {}",
            identifiers_text(identifiers),
            identifiers_text(listed)
        ),
        Finding::IdentifiersNotCompared {
            listed,
            party_has_identifiers,
        } => format!(
            "the list entry gives {}; the party's facts give {}",
            identifiers_text(listed),
            if *party_has_identifiers {
                "none of these"
            } else {
                "no identifier"
            }
        ),
        Finding::CompareIdentifiers { listed } => format!(
            "compare the party's documents with the listed {}",
            identifiers_text(listed)
        ),
        Finding::SameBirthDate { born, listed_born } => {
            format!("born {born}, the listed person {listed_born}")
        }
        Finding::BirthYearsApart {
            born,
            listed_born,
            years,
        } => format!("born {born}, the listed person {listed_born} ({years} years apart)"),
        Finding::BirthYearsClose { born, listed_born } => {
            format!("born {born}, the listed person {listed_born}: close, not equal")
        }
        Finding::BirthDayDiffers { born, listed_born } => {
            format!("born {born}, the listed person {listed_born}: the same year, another day")
        }
        Finding::ConfirmBirthDate => {
            String::from("confirm the date of birth from an identity document")
        }
        Finding::BirthDateNotGiven { listed_born } => format!(
            "the listed person was born {listed_born}; the party's date of birth is not given"
        ),
        Finding::ObtainBirthDate { listed_born } => {
            format!("obtain the party's date of birth and compare it with {listed_born}")
        }
        Finding::SameGender { gender } => format!("both {}", gender.keyword()),
        Finding::GenderDiffers {
            name,
            gender,
            listed_gender,
        } => format!(
            "{name} is {}, the listed person {}",
            gender.keyword(),
            listed_gender.keyword()
        ),
        Finding::SharedCountries { countries } => format!(
            "{} is also a country of the list entry",
            countries.join(", ")
        ),
        Finding::CountriesDiffer { countries, listed } => format!(
            "nationality and country ({}) differ from the list entry's {}",
            countries.join(" and "),
            listed.join(", ")
        ),
        Finding::CountryDiffersOtherUnknown {
            countries,
            listed,
            missing,
        } => format!(
            "{} differs from the list entry's {}; the party's {} is not given",
            countries.join(", "),
            listed.join(", "),
            match missing {
                PlaceField::Nationality => "nationality",
                PlaceField::Country => "country",
            }
        ),
        Finding::SameCountry { country } => format!("country {country} is also the list entry's"),
        Finding::CountryDiffers { country, listed } => format!(
            "country {country} differs from the list entry's {}",
            listed.join(", ")
        ),
        Finding::AskForIdentifier => String::from(
            "ask for an identifier the list entry can be compared with (date of birth, passport or registration number, address)",
        ),
        Finding::Reviewed { review: reviewed } => review(reviewed),
    }
}

/// Who decided what, when: "cleared as a false positive by J. Smith on 2024-03-02 (reason)".
pub fn review(review: &Review) -> String {
    let what = match review.disposition {
        DispositionKind::FalsePositive => "cleared as a false positive",
        DispositionKind::TrueMatch => "recorded as a true match",
    };
    format!(
        "{what} by {} on {} ({})",
        review.reviewer, review.date, review.reason
    )
}

/// Why a disposition no longer settles its alert.
pub fn lapse(reviewed: &Review, lapse: &Lapse) -> String {
    match lapse {
        Lapse::EntryChanged { fingerprint } => format!(
            "the list entry changed since it was {} (fingerprint {fingerprint} then)",
            review(reviewed)
        ),
        Lapse::Expired { on } => format!("{} expired on {on}", review(reviewed)),
    }
}

/// Where a disposition leaves an alert: the disposition, or "open again: " and why.
pub fn review_status(status: &ReviewStatus) -> String {
    match status {
        ReviewStatus::Settled { review: reviewed } => review(reviewed),
        ReviewStatus::OpenAgain {
            review: reviewed,
            lapse: lapsed,
        } => format!("open again: {}", lapse(reviewed, lapsed)),
    }
}

/// "volasys~volasys 1.00, silverstar~silver star 0.97".
pub fn token_pairs(pairs: &[TokenPair]) -> String {
    pairs
        .iter()
        .map(|p| format!("{}~{} {:.2}", p.query, p.candidate, p.score))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "imo 9187629 (KP)".
fn identifier_text(identifier: &Identifier) -> String {
    let country = identifier
        .country
        .as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    format!(
        "{} {}{country}",
        identifier.kind.keyword(),
        identifier.value
    )
}

fn identifiers_text(identifiers: &[Identifier]) -> String {
    identifiers
        .iter()
        .map(identifier_text)
        .collect::<Vec<_>>()
        .join(", ")
}
