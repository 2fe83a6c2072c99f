//! What identifies an entity beyond its name: date of birth, gender, identity documents and
//! registration numbers, addresses. Screening compares these with a listed entry's to tell a
//! confirmed match from a possible one (a name alone) and from one the facts contradict.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::date::Date;

/// A date of birth as precise as it is known: a day (`1966-05-13`), a month (`1966-05`), a year
/// (`1966`) or a range of years (`1960/1962`, as lists give "circa" or "1960 to 1962").
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BirthDate {
    /// The exact day.
    Day(Date),
    /// A year and month.
    Month(u16, u8),
    /// A year.
    Year(u16),
    /// Some year between the two, both included.
    Years(u16, u16),
}

/// Why a text is not a date of birth.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{text}` is not a date of birth; write a day (1966-05-13), a month (1966-05), a year (1966) or a range of years (1960/1962)"
)]
pub struct BirthDateError {
    text: String,
}

impl BirthDate {
    /// The first and last year it allows.
    pub fn years(self) -> (u16, u16) {
        match self {
            BirthDate::Day(day) => (day.year(), day.year()),
            BirthDate::Month(year, _) | BirthDate::Year(year) => (year, year),
            BirthDate::Years(first, last) => (first, last),
        }
    }

    /// How many years apart the two are at the closest: 0 when their years overlap.
    pub fn gap(self, other: BirthDate) -> u16 {
        let (a_first, a_last) = self.years();
        let (b_first, b_last) = other.years();
        if a_last < b_first {
            b_first - a_last
        } else {
            a_first.saturating_sub(b_last)
        }
    }

    /// The union of two dates of birth: the range of years covering both (or the one date when
    /// they are equal), for a list entry that gives several.
    pub fn widen(self, other: BirthDate) -> BirthDate {
        if self == other {
            return self;
        }
        let (a_first, a_last) = self.years();
        let (b_first, b_last) = other.years();
        let (first, last) = (a_first.min(b_first), a_last.max(b_last));
        if first == last {
            BirthDate::Year(first)
        } else {
            BirthDate::Years(first, last)
        }
    }
}

fn year(text: &str) -> Option<u16> {
    (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
        .filter(|y| (1000..=2999).contains(y))
}

impl FromStr for BirthDate {
    type Err = BirthDateError;

    fn from_str(text: &str) -> Result<BirthDate, BirthDateError> {
        let error = || BirthDateError {
            text: text.to_owned(),
        };
        let trimmed = text.trim();
        if let Some((first, last)) = trimmed.split_once('/') {
            let (first, last) = (year(first.trim()), year(last.trim()));
            return match (first, last) {
                (Some(first), Some(last)) if first < last => Ok(BirthDate::Years(first, last)),
                (Some(first), Some(last)) if first == last => Ok(BirthDate::Year(first)),
                _ => Err(error()),
            };
        }
        match trimmed.len() {
            4 => year(trimmed).map(BirthDate::Year).ok_or_else(error),
            // Seven bytes need not be seven characters (`0 M˚le`): split only at a character.
            7 => {
                let Some((y, m)) = trimmed.split_at_checked(4) else {
                    return Err(error());
                };
                let month = m
                    .strip_prefix('-')
                    .filter(|m| m.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|m| m.parse::<u8>().ok())
                    .filter(|m| (1..=12).contains(m));
                match (year(y), month) {
                    (Some(y), Some(m)) => Ok(BirthDate::Month(y, m)),
                    _ => Err(error()),
                }
            }
            _ => trimmed.parse().map(BirthDate::Day).map_err(|_| error()),
        }
    }
}

impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BirthDate::Day(day) => write!(f, "{day}"),
            BirthDate::Month(year, month) => write!(f, "{year:04}-{month:02}"),
            BirthDate::Year(year) => write!(f, "{year:04}"),
            BirthDate::Years(first, last) => write!(f, "{first:04}/{last:04}"),
        }
    }
}

impl Serialize for BirthDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for BirthDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<BirthDate, D::Error> {
        /// A bare year may be written as a number in YAML (`birth_date: 1966`).
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Number(u16),
            Text(String),
        }
        let text = match Written::deserialize(deserializer)? {
            Written::Number(n) => n.to_string(),
            Written::Text(t) => t,
        };
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A person's gender as lists record it.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Male.
    Male,
    /// Female.
    Female,
}

impl Gender {
    /// The word used in facts files.
    pub fn keyword(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }
}

/// The kinds of identifier the facts format knows.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IdentifierKind {
    /// A passport or other travel document.
    Passport,
    /// A national identity card or number.
    NationalId,
    /// A tax number.
    TaxId,
    /// A company or other registration number.
    Registration,
    /// A ship's IMO number.
    Imo,
    /// A ship's Maritime Mobile Service Identity.
    Mmsi,
    /// A bank's SWIFT/BIC code.
    Bic,
    /// A Legal Entity Identifier.
    Lei,
    /// China's Unified Social Credit Code.
    Uscc,
    /// A digital currency address.
    CryptoAddress,
    /// An aircraft's serial number, tail number or transponder code.
    Aircraft,
    /// Any other identifier.
    Other,
}

impl IdentifierKind {
    /// The word used in facts files.
    pub fn keyword(self) -> &'static str {
        match self {
            IdentifierKind::Passport => "passport",
            IdentifierKind::NationalId => "national_id",
            IdentifierKind::TaxId => "tax_id",
            IdentifierKind::Registration => "registration",
            IdentifierKind::Imo => "imo",
            IdentifierKind::Mmsi => "mmsi",
            IdentifierKind::Bic => "bic",
            IdentifierKind::Lei => "lei",
            IdentifierKind::Uscc => "uscc",
            IdentifierKind::CryptoAddress => "crypto_address",
            IdentifierKind::Aircraft => "aircraft",
            IdentifierKind::Other => "other",
        }
    }

    /// Whether equal values of this kind are enough on their own to say two records are the same
    /// entity: numbers issued once to one holder. `other` identifiers corroborate a name match
    /// but do not confirm on their own, since their kind is not known.
    pub fn is_strong(self) -> bool {
        !matches!(self, IdentifierKind::Other)
    }

    /// Whether an entity holds at most one value of this kind, so two different values
    /// contradict a match (a hull keeps its IMO number; a company has one LEI and one USCC).
    /// People hold several passports, and banks several BICs: those do not contradict.
    pub fn is_unique(self) -> bool {
        matches!(
            self,
            IdentifierKind::Imo | IdentifierKind::Lei | IdentifierKind::Uscc
        )
    }
}

/// One identifier of an entity.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Identifier {
    /// What it is.
    #[serde(rename = "type")]
    pub kind: IdentifierKind,
    /// The number or code as written; compared as upper-case letters and digits only.
    pub value: String,
    /// The issuing country (ISO 3166 alpha-2), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Identifier {
    /// The value reduced to upper-case letters and digits, as compared.
    pub fn normalized(&self) -> String {
        self.value
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect()
    }
}

/// A postal address, as far as it is known.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Street and number (or the whole address as one text when it is not broken up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// The city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// The country (ISO 3166 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_dates_of_every_precision() {
        for text in ["1966-05-13", "1966-05", "1966", "1960/1962"] {
            let parsed: BirthDate = text.parse().unwrap_or(BirthDate::Year(0));
            assert_eq!(parsed.to_string(), text);
        }
        for bad in [
            "1966-13",
            "66",
            "1962/1960",
            "circa 1966",
            "1966-02-30",
            "0 M˚le",
            "196˚-5",
        ] {
            assert!(bad.parse::<BirthDate>().is_err(), "{bad}");
        }
        let listed = BirthDate::Years(1960, 1962);
        assert_eq!(listed.gap(BirthDate::Year(1961)), 0);
        assert_eq!(listed.gap(BirthDate::Year(1990)), 28);
        assert_eq!(
            BirthDate::Year(1960).widen(BirthDate::Year(1963)),
            BirthDate::Years(1960, 1963)
        );
    }
}
