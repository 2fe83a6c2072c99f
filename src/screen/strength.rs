//! How strong a match is: a name that matches a listed name says the party *may* be the listed
//! entity; only the party's other identifiers can confirm it or rule it out.
//!
//! OFAC's FAQ 5 asks exactly this of a screening hit: compare the hit with the other identifiers
//! the SDN entry gives (date of birth, nationality, passport, address...) before treating it as
//! valid; a name alone is not a match. So a match here is
//!
//! - **confirmed** by an exact strong identifier (IMO, passport, BIC, LEI, USCC, crypto
//!   address...), or by a strong name match that at least one independent identifier (an
//!   identifier of any kind, the date of birth) corroborates and nothing contradicts;
//! - **contradicted** when the facts say it is someone else: the kind of entity differs (a
//!   person is never a vessel), the birth years are far apart, a person's nationality and
//!   country both differ from everything the list entry gives, the gender differs, or an
//!   identifier an entity holds only one of (IMO, LEI, USCC) has another value;
//! - **possible** otherwise: the name matches and nothing more is known either way.
//!
//! Only a confirmed match makes a party count as the listed entity (`is designated`, `is
//! blocked`); a possible one is for a person to review (`is possibly listed`); a contradicted one
//! is shown as a note.

use serde::Serialize;

use super::finding::{Finding, PlaceField};
use crate::facts::{BirthDate, EntityKind, EntityRecord, Identifier, IdentifierKind};

/// The name score at or above which a name match corroborated by one identifier is confirmed.
pub const STRONG_NAME: f64 = 0.90;

/// Birth years further apart than this contradict a match; closer ones leave it open (a list
/// that is unsure of a year says so with `circa` or a range, which the comparison widens to).
pub const BIRTH_YEAR_TOLERANCE: u16 = 2;

/// How strong a match is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Strength {
    /// A reviewer cleared the alert as a false positive (see the disposition register).
    Cleared,
    /// The party's own data say it is someone else.
    Contradicted,
    /// The name matches; nothing else confirms or contradicts it.
    Possible,
    /// An exact strong identifier, or a strong name match corroborated by an identifier.
    Confirmed,
}

impl Strength {
    /// The word used in evidence and memos.
    pub fn keyword(self) -> &'static str {
        match self {
            Strength::Cleared => "cleared",
            Strength::Contradicted => "contradicted",
            Strength::Possible => "possible",
            Strength::Confirmed => "confirmed",
        }
    }
}

/// A match's strength and the facts behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Assessment {
    /// Confirmed, possible or contradicted.
    pub strength: Strength,
    /// What the party's data and the list entry agree on.
    pub agrees: Vec<Finding>,
    /// What contradicts the match.
    pub contradicts: Vec<Finding>,
    /// What the list entry gives that the party's data do not (or the other way round).
    pub unknown: Vec<Finding>,
    /// What a reviewer should check to settle the match.
    pub check: Vec<Finding>,
}

/// What has been found so far.
#[derive(Default)]
struct Findings {
    agrees: Vec<Finding>,
    contradicts: Vec<Finding>,
    unknown: Vec<Finding>,
    check: Vec<Finding>,
    /// An exact identifier of a kind issued to one holder.
    strong_identifier: bool,
    /// Independent identifiers (any identifier, the date of birth) that agree.
    corroborating: usize,
}

/// Assesses a match of `party` to `listed` whose names scored `name_score` (1 for a match found
/// by identifier).
pub fn assess(party: &EntityRecord, listed: &EntityRecord, name_score: f64) -> Assessment {
    assess_with(party, true, listed, name_score)
}

/// Assesses a match of a record whose kind is not known (a bare name screened): its kind is
/// taken to be the listed one's, neither agreeing nor contradicting, and said to be unknown.
pub fn assess_without_kind(
    party: &EntityRecord,
    listed: &EntityRecord,
    name_score: f64,
) -> Assessment {
    let mut party = party.clone();
    party.kind = listed.kind;
    assess_with(&party, false, listed, name_score)
}

fn assess_with(
    party: &EntityRecord,
    kind_known: bool,
    listed: &EntityRecord,
    name_score: f64,
) -> Assessment {
    let mut found = Findings::default();
    if kind_known {
        kinds(party, listed, &mut found);
    } else {
        found.unknown.push(Finding::KindNotGiven {
            name: party.name.clone(),
            listed_kind: listed.kind,
        });
    }
    identifiers(party, listed, &mut found);
    if party.kind == EntityKind::Person && listed.kind == EntityKind::Person {
        birth_dates(party, listed, &mut found);
        genders(party, listed, &mut found);
        person_places(party, listed, &mut found);
    } else {
        countries(party, listed, &mut found);
    }
    let strength = if found.strong_identifier {
        if found.contradicts.is_empty() {
            Strength::Confirmed
        } else {
            Strength::Possible
        }
    } else if !found.contradicts.is_empty() {
        Strength::Contradicted
    } else if name_score >= STRONG_NAME && found.corroborating > 0 {
        Strength::Confirmed
    } else {
        Strength::Possible
    };
    if strength != Strength::Possible {
        // Nothing is left to settle: the match stands or falls on what is already known.
        found.check.clear();
    } else if found.check.is_empty() {
        found.check.push(Finding::AskForIdentifier);
    }
    Assessment {
        strength,
        agrees: found.agrees,
        contradicts: found.contradicts,
        unknown: found.unknown,
        check: found.check,
    }
}

fn kinds(party: &EntityRecord, listed: &EntityRecord, found: &mut Findings) {
    if party.kind == listed.kind {
        found.agrees.push(Finding::SameKind {
            entity_kind: party.kind,
        });
    } else {
        found.contradicts.push(Finding::KindDiffers {
            name: party.name.clone(),
            entity_kind: party.kind,
            listed_kind: listed.kind,
        });
    }
}

/// The value compared: upper-case letters and digits, without an `IMO` prefix on IMO numbers.
fn compared(identifier: &Identifier) -> String {
    let value = identifier.normalized();
    match identifier.kind {
        IdentifierKind::Imo => value
            .strip_prefix("IMO")
            .map_or(value.clone(), str::to_owned),
        _ => value,
    }
}

fn identifiers(party: &EntityRecord, listed: &EntityRecord, found: &mut Findings) {
    let mut matched_kinds = Vec::new();
    for mine in &party.identifiers {
        let value = compared(mine);
        if value.is_empty() {
            continue;
        }
        let same = listed.identifiers.iter().find(|theirs| {
            compared(theirs) == value
                && (theirs.kind == mine.kind
                    || theirs.kind == IdentifierKind::Other
                    || mine.kind == IdentifierKind::Other)
        });
        if let Some(theirs) = same {
            found.agrees.push(Finding::IdentifierEqual {
                identifier: mine.clone(),
                listed: theirs.clone(),
            });
            found.corroborating += 1;
            if mine.kind == theirs.kind && mine.kind.is_strong() {
                found.strong_identifier = true;
            }
            matched_kinds.push(mine.kind);
        }
    }
    for kind in party
        .identifiers
        .iter()
        .map(|i| i.kind)
        .filter(|k| k.is_unique() && !matched_kinds.contains(k))
    {
        let theirs: Vec<Identifier> = listed
            .identifiers
            .iter()
            .filter(|i| i.kind == kind)
            .cloned()
            .collect();
        let mine: Vec<Identifier> = party
            .identifiers
            .iter()
            .filter(|i| i.kind == kind)
            .cloned()
            .collect();
        if !theirs.is_empty() {
            let differs = Finding::IdentifierDiffers {
                identifiers: mine,
                listed: theirs,
            };
            if !found.contradicts.contains(&differs) {
                found.contradicts.push(differs);
            }
        }
    }
    if matched_kinds.is_empty() && !listed.identifiers.is_empty() {
        let theirs: Vec<Identifier> = listed.identifiers.iter().take(4).cloned().collect();
        found.unknown.push(Finding::IdentifiersNotCompared {
            listed: theirs.clone(),
            party_has_identifiers: !party.identifiers.is_empty(),
        });
        found
            .check
            .push(Finding::CompareIdentifiers { listed: theirs });
    }
}

fn birth_dates(party: &EntityRecord, listed: &EntityRecord, found: &mut Findings) {
    match (party.birth_date, listed.birth_date) {
        (Some(mine), Some(theirs)) => {
            let gap = mine.gap(theirs);
            if gap > BIRTH_YEAR_TOLERANCE {
                found.contradicts.push(Finding::BirthYearsApart {
                    born: mine,
                    listed_born: theirs,
                    years: gap,
                });
            } else if gap > 0 {
                found.unknown.push(Finding::BirthYearsClose {
                    born: mine,
                    listed_born: theirs,
                });
                found.check.push(Finding::ConfirmBirthDate);
            } else if let (BirthDate::Day(a), BirthDate::Day(b)) = (mine, theirs)
                && a != b
            {
                found.unknown.push(Finding::BirthDayDiffers {
                    born: mine,
                    listed_born: theirs,
                });
                found.check.push(Finding::ConfirmBirthDate);
            } else {
                found.agrees.push(Finding::SameBirthDate {
                    born: mine,
                    listed_born: theirs,
                });
                found.corroborating += 1;
            }
        }
        (None, Some(theirs)) => {
            found.unknown.push(Finding::BirthDateNotGiven {
                listed_born: theirs,
            });
            found.check.push(Finding::ObtainBirthDate {
                listed_born: theirs,
            });
        }
        _ => {}
    }
}

fn genders(party: &EntityRecord, listed: &EntityRecord, found: &mut Findings) {
    if let (Some(mine), Some(theirs)) = (party.gender, listed.gender) {
        if mine == theirs {
            found.agrees.push(Finding::SameGender { gender: mine });
        } else {
            found.contradicts.push(Finding::GenderDiffers {
                name: party.name.clone(),
                gender: mine,
                listed_gender: theirs,
            });
        }
    }
}

/// Every country the list entry ties the listed entity to: nationality, country, addresses,
/// the `nationalities` and `citizenships` the importers keep.
fn listed_places(listed: &EntityRecord) -> Vec<String> {
    let mut places: Vec<String> = Vec::new();
    let mut add = |code: &str| {
        let code = code.trim().to_ascii_uppercase();
        if code.len() == 2 && !places.contains(&code) {
            places.push(code);
        }
    };
    listed.nationality.iter().for_each(|c| add(c));
    listed.country.iter().for_each(|c| add(c));
    for address in &listed.addresses {
        address.country.iter().for_each(|c| add(c));
    }
    for key in ["nationalities", "citizenships"] {
        if let Some(value) = listed.attributes.get(key) {
            for text in attribute_texts(value) {
                match crate::lists::country_code(&text) {
                    Some(code) => add(code),
                    None => add(&text),
                }
            }
        }
    }
    places
}

fn attribute_texts(value: &crate::facts::AttributeValue) -> Vec<String> {
    use crate::facts::AttributeValue;
    match value {
        AttributeValue::Text(text) => vec![text.clone()],
        AttributeValue::List(items) => items.iter().flat_map(attribute_texts).collect(),
        AttributeValue::Bool(_) | AttributeValue::Number(_) => Vec::new(),
    }
}

/// A person's nationality and country against the places the list entry gives: both different
/// contradicts (a British resident of Britain is not the Syrian national listed), one in common
/// agrees, but is no identifier: many people share a nationality.
fn person_places(party: &EntityRecord, listed: &EntityRecord, found: &mut Findings) {
    let places = listed_places(listed);
    let mut mine: Vec<&str> = [party.nationality.as_deref(), party.country.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    mine.dedup();
    if places.is_empty() || mine.is_empty() {
        return;
    }
    let shared: Vec<&str> = mine
        .iter()
        .copied()
        .filter(|c| places.iter().any(|p| p.eq_ignore_ascii_case(c)))
        .collect();
    if !shared.is_empty() {
        found.agrees.push(Finding::SharedCountries {
            countries: owned(&shared),
        });
    } else if party.nationality.is_some() && party.country.is_some() {
        found.contradicts.push(Finding::CountriesDiffer {
            countries: owned(&mine),
            listed: places,
        });
    } else {
        found.unknown.push(Finding::CountryDiffersOtherUnknown {
            countries: owned(&mine),
            listed: places,
            missing: if party.nationality.is_none() {
                PlaceField::Nationality
            } else {
                PlaceField::Country
            },
        });
    }
}

/// An organisation's, vessel's or aircraft's country: agreement is noted; a difference is not a
/// contradiction (branches, subsidiaries and reflagged ships live elsewhere) but is worth a look.
fn countries(party: &EntityRecord, listed: &EntityRecord, found: &mut Findings) {
    let places = listed_places(listed);
    let Some(mine) = party.country.as_deref() else {
        return;
    };
    if places.is_empty() {
        return;
    }
    if places.iter().any(|p| p.eq_ignore_ascii_case(mine)) {
        found.agrees.push(Finding::SameCountry {
            country: mine.to_owned(),
        });
    } else {
        found.unknown.push(Finding::CountryDiffers {
            country: mine.to_owned(),
            listed: places,
        });
    }
}

fn owned(codes: &[&str]) -> Vec<String> {
    codes.iter().map(|c| (*c).to_owned()).collect()
}
