//! Licences as records: who issued them, what they authorise, for whom, until when, on which
//! conditions and with which reporting duties.
//!
//! A licence authorises only what it describes (31 CFR 501.801 for OFAC; the same holds for OFSI
//! and the EU member states' competent authorities), so a record must say what it covers: facts
//! entities, list entries or programs. A record that cannot be applied safely (a specific licence
//! with no licensee, a program no list uses, a scope that names nothing) is refused while the file
//! is read, so the error carries the file, line and column of the record.

use serde::{Deserialize, Serialize};

use super::records::Amount;
use crate::date::Date;

/// Who issued a licence; it can lift only the measures of its own jurisdiction.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[non_exhaustive]
pub enum LicenceIssuer {
    /// The US Treasury's Office of Foreign Assets Control.
    #[serde(rename = "OFAC")]
    Ofac,
    /// HM Treasury's Office of Financial Sanctions Implementation.
    #[serde(rename = "OFSI")]
    Ofsi,
    /// A competent authority of an EU member state (named in `authority`).
    #[serde(rename = "EU")]
    EuMemberState,
}

impl LicenceIssuer {
    /// The jurisdiction whose measures the licence can lift.
    pub fn jurisdiction(self) -> &'static str {
        match self {
            LicenceIssuer::Ofac => "US",
            LicenceIssuer::Ofsi => "UK",
            LicenceIssuer::EuMemberState => "EU",
        }
    }

    /// The issuer as written in facts.
    pub fn keyword(self) -> &'static str {
        match self {
            LicenceIssuer::Ofac => "OFAC",
            LicenceIssuer::Ofsi => "OFSI",
            LicenceIssuer::EuMemberState => "EU",
        }
    }
}

/// General licences authorise everyone within their terms; specific ones only their licensee.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LicenceKind {
    /// Published for all persons who meet its terms.
    General,
    /// Issued to one applicant for the transactions described in it.
    Specific,
}

impl LicenceKind {
    /// The kind as written in facts.
    pub fn keyword(self) -> &'static str {
        match self {
            LicenceKind::General => "general",
            LicenceKind::Specific => "specific",
        }
    }
}

/// One licence, as written in the `licences:` section of a facts file.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(try_from = "RawLicence")]
pub struct LicenceRecord {
    /// Unique id within the facts; a transaction relies on the licence by this id or its number.
    pub id: String,
    /// Who issued it.
    pub issuer: LicenceIssuer,
    /// For an EU licence, the member state's competent authority (such as `Deutsche Bundesbank`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// General or specific.
    pub kind: LicenceKind,
    /// The issuer's number, such as `GL 4` or `DPRK-2024-0117`.
    pub number: String,
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The holder of a specific licence: a facts entity id, or the holder's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licensee: Option<String>,
    /// Facts entities the licence authorises dealings with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<String>,
    /// List entries it authorises dealings with, by reference (`SDN 33918`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listed: Vec<String>,
    /// Programs whose designations it reaches; with no parties or listed entries, every
    /// designation under them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<String>,
    /// Transaction kinds it authorises (`payment`, `contract`...); any when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transaction_kinds: Vec<String>,
    /// The most one transaction may be under it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_cap: Option<Amount>,
    /// First day in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Date>,
    /// First day no longer in force (OFAC's "through 12:01 a.m. ... on D" ends on D).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    /// The operative terms, quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<String>,
    /// Conditions the user must meet, quoted or summarised.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Reports the user owes the issuer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reporting: Vec<String>,
    /// Where it is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
}

impl LicenceRecord {
    /// Whether the licence is in force on `day`.
    pub fn in_force_on(&self, day: Date) -> bool {
        self.valid_from.is_none_or(|from| from <= day)
            && self.valid_until.is_none_or(|until| day < until)
    }
}

/// The record as written, checked before it becomes a [`LicenceRecord`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLicence {
    id: String,
    issuer: LicenceIssuer,
    #[serde(default)]
    authority: Option<String>,
    kind: LicenceKind,
    number: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    licensee: Option<String>,
    #[serde(default)]
    parties: Vec<String>,
    #[serde(default)]
    listed: Vec<String>,
    #[serde(default)]
    programs: Vec<String>,
    #[serde(default)]
    transaction_kinds: Vec<String>,
    #[serde(default)]
    amount_cap: Option<Amount>,
    #[serde(default)]
    valid_from: Option<Date>,
    #[serde(default)]
    valid_until: Option<Date>,
    #[serde(default)]
    terms: Option<String>,
    #[serde(default)]
    conditions: Vec<String>,
    #[serde(default)]
    reporting: Vec<String>,
    #[serde(default)]
    citation: Option<String>,
}

impl TryFrom<RawLicence> for LicenceRecord {
    type Error = String;

    fn try_from(raw: RawLicence) -> Result<Self, String> {
        let id = &raw.id;
        if raw.kind == LicenceKind::Specific
            && raw.licensee.as_deref().is_none_or(|l| l.trim().is_empty())
        {
            return Err(format!(
                "licence `{id}` is a specific licence with no `licensee`; name the holder it was issued to"
            ));
        }
        if let Some(unknown) = raw.programs.iter().find(|p| {
            crate::programs::find(p).is_none()
                && !crate::programs::KNOWN_PROGRAMS.contains(&p.as_str())
        }) {
            return Err(format!(
                "licence `{id}` names program `{unknown}`, which no known list uses; write the tag as the list does (e.g. `DPRK3`)"
            ));
        }
        if raw.parties.is_empty() && raw.listed.is_empty() && raw.programs.is_empty() {
            return Err(format!(
                "licence `{id}` covers nothing: give the `parties`, `listed` entries or `programs` it authorises dealings with"
            ));
        }
        if raw.issuer == LicenceIssuer::EuMemberState && raw.authority.is_none() {
            return Err(format!(
                "licence `{id}` is issued in the EU but names no `authority`; give the member state's competent authority"
            ));
        }
        if let (Some(from), Some(until)) = (raw.valid_from, raw.valid_until)
            && until <= from
        {
            return Err(format!(
                "licence `{id}` ends ({until}) before or when it starts ({from})"
            ));
        }
        Ok(LicenceRecord {
            id: raw.id,
            issuer: raw.issuer,
            authority: raw.authority,
            kind: raw.kind,
            number: raw.number,
            title: raw.title,
            licensee: raw.licensee,
            parties: raw.parties,
            listed: raw.listed,
            programs: raw.programs,
            transaction_kinds: raw.transaction_kinds,
            amount_cap: raw.amount_cap,
            valid_from: raw.valid_from,
            valid_until: raw.valid_until,
            terms: raw.terms,
            conditions: raw.conditions,
            reporting: raw.reporting,
            citation: raw.citation,
        })
    }
}
