//! What a match's strength rests on, as data: each finding names the facts compared (kinds,
//! identifiers, dates of birth, countries, a reviewer's disposition) and never carries a sentence.
//! The words a reviewer reads are written by `explain`, the only place English is made.
//!
//! New kinds of finding are added as new variants: the enums are `#[non_exhaustive]`, and a
//! program reading the JSON tells them apart by their `finding` tag.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::facts::{BirthDate, EntityKind, Gender, Identifier};

use super::disposition::{AppliedDisposition, DispositionKind};

/// One thing the party's data and the list entry agree on, contradict, leave unknown, or that a
/// reviewer should check. Serialised with a `finding` tag naming the variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Finding {
    /// Both are of the same kind (both organisations, both vessels).
    SameKind {
        /// The kind they share.
        entity_kind: EntityKind,
    },
    /// The party is of another kind than the list entry (a person is never a vessel).
    KindDiffers {
        /// The party's name.
        name: String,
        /// Its kind.
        entity_kind: EntityKind,
        /// The list entry's kind.
        listed_kind: EntityKind,
    },
    /// The party's kind is not given (a bare name was screened).
    KindNotGiven {
        /// The party's name.
        name: String,
        /// The list entry's kind.
        listed_kind: EntityKind,
    },
    /// An identifier of the party equals one of the list entry.
    IdentifierEqual {
        /// The party's identifier.
        identifier: Identifier,
        /// The listed one.
        listed: Identifier,
    },
    /// The party's identifiers of a kind issued to one holder (IMO, LEI, USCC) differ from the
    /// listed ones of that kind.
    IdentifierDiffers {
        /// The party's identifiers of that kind.
        identifiers: Vec<Identifier>,
        /// The listed ones.
        listed: Vec<Identifier>,
    },
    /// The list entry gives identifiers none of which the party's facts give.
    IdentifiersNotCompared {
        /// The listed identifiers (at most four).
        listed: Vec<Identifier>,
        /// Whether the party's facts give any identifier at all.
        party_has_identifiers: bool,
    },
    /// To check: compare the party's documents with the listed identifiers.
    CompareIdentifiers {
        /// The listed identifiers (at most four).
        listed: Vec<Identifier>,
    },
    /// The dates of birth are the same.
    SameBirthDate {
        /// The party's.
        born: BirthDate,
        /// The listed person's.
        listed_born: BirthDate,
    },
    /// The birth years are further apart than the tolerance.
    BirthYearsApart {
        /// The party's.
        born: BirthDate,
        /// The listed person's.
        listed_born: BirthDate,
        /// Years between them.
        years: u16,
    },
    /// The birth years are close but not equal.
    BirthYearsClose {
        /// The party's.
        born: BirthDate,
        /// The listed person's.
        listed_born: BirthDate,
    },
    /// The same year of birth, another day.
    BirthDayDiffers {
        /// The party's.
        born: BirthDate,
        /// The listed person's.
        listed_born: BirthDate,
    },
    /// To check: the date of birth, from an identity document.
    ConfirmBirthDate,
    /// The listed person's date of birth is known, the party's is not.
    BirthDateNotGiven {
        /// The listed person's.
        listed_born: BirthDate,
    },
    /// To check: obtain the party's date of birth and compare it with the listed one.
    ObtainBirthDate {
        /// The listed person's.
        listed_born: BirthDate,
    },
    /// Both have the same gender.
    SameGender {
        /// The gender.
        gender: Gender,
    },
    /// The genders differ.
    GenderDiffers {
        /// The party's name.
        name: String,
        /// The party's gender.
        gender: Gender,
        /// The listed person's.
        listed_gender: Gender,
    },
    /// A person's nationality or country is also a country of the list entry.
    SharedCountries {
        /// The countries in common (ISO codes).
        countries: Vec<String>,
    },
    /// A person's nationality and country both differ from every country of the list entry.
    CountriesDiffer {
        /// The person's nationality and country.
        countries: Vec<String>,
        /// The list entry's countries.
        listed: Vec<String>,
    },
    /// A person's one known place differs from the list entry's; the other is not given.
    CountryDiffersOtherUnknown {
        /// The place that is known.
        countries: Vec<String>,
        /// The list entry's countries.
        listed: Vec<String>,
        /// Which one is not given: `nationality` or `country`.
        missing: PlaceField,
    },
    /// An organisation's (vessel's, aircraft's) country is also the list entry's.
    SameCountry {
        /// The country.
        country: String,
    },
    /// An organisation's country differs: worth a look, not a contradiction (branches,
    /// subsidiaries and reflagged ships live elsewhere).
    CountryDiffers {
        /// The party's country.
        country: String,
        /// The list entry's countries.
        listed: Vec<String>,
    },
    /// To check: ask for an identifier the list entry can be compared with.
    AskForIdentifier,
    /// A reviewer's disposition of this alert settles it.
    Reviewed {
        /// The disposition.
        review: Review,
    },
}

/// Which of a person's places a finding means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PlaceField {
    /// The nationality.
    Nationality,
    /// The country of residence.
    Country,
}

/// A reviewer's disposition of an alert, as a finding or note quotes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Review {
    /// What the reviewer decided.
    pub disposition: DispositionKind,
    /// Who.
    pub reviewer: String,
    /// When.
    pub date: Date,
    /// Why, in the reviewer's words.
    pub reason: String,
}

impl From<&AppliedDisposition> for Review {
    fn from(applied: &AppliedDisposition) -> Self {
        Review {
            disposition: applied.record.disposition,
            reviewer: applied.record.reviewer.clone(),
            date: applied.record.date,
            reason: applied.record.reason.clone(),
        }
    }
}

/// Why a disposition no longer settles its alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "lapse", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Lapse {
    /// The list entry changed since the review (a new alias or identifier).
    EntryChanged {
        /// The entry's fingerprint when it was reviewed.
        fingerprint: String,
    },
    /// The disposition expired.
    Expired {
        /// The day it expired.
        on: Date,
    },
}

/// Where a reviewer's disposition leaves an alert on the day screened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReviewStatus {
    /// The disposition holds: the alert is cleared, or the match confirmed.
    Settled {
        /// The disposition.
        review: Review,
    },
    /// The disposition no longer holds: the alert is open again.
    OpenAgain {
        /// The disposition.
        review: Review,
        /// Why it lapsed.
        lapse: Lapse,
    },
}
