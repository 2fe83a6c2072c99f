//! Screening records rather than bare names (`screen --input FILE.jsonl`): each record carries
//! what onboarding knows of a party (kind, date of birth, nationality, country, identifiers), so
//! every hit is reported with its strength and what agreed or contradicted, as in decisions.

use serde::{Deserialize, Serialize};

use super::disposition::{DispositionKind, Dispositions, fingerprint};
use super::screening::hits;
use super::strength::{Assessment, Strength, assess, assess_without_kind};
use super::{Match, ScreeningIndex};
use crate::date::Date;
use crate::facts::{Address, BirthDate, EntityKind, EntityRecord, Facts, Gender, Identifier};

/// One record to screen, one JSON object a line.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenRecord {
    /// The caller's id for it (reported back; a disposition's `party` names it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name screened.
    pub name: String,
    /// Other names, screened too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Person, organization, vessel or aircraft; unknown when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<EntityKind>,
    /// Date of birth (`1966-05-13`, `1966-05`, `1966`, `1960/1962`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<BirthDate>,
    /// `male` or `female`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Nationality (ISO 3166 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    /// Country of residence or incorporation (ISO 3166 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Identifiers: `[{type, value, country?}]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    /// Addresses: `[{street?, city?, country?}]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
}

impl ScreenRecord {
    /// A record of a bare name.
    pub fn named(name: &str) -> ScreenRecord {
        ScreenRecord {
            name: name.to_owned(),
            ..ScreenRecord::default()
        }
    }

    /// The record as an entity, for the comparison (its kind a placeholder when unknown).
    fn entity(&self) -> EntityRecord {
        EntityRecord {
            id: self.id.clone().unwrap_or_default(),
            kind: self.kind.unwrap_or(EntityKind::Person),
            name: self.name.clone(),
            aliases: self.aliases.clone(),
            country: self.country.clone(),
            nationality: self.nationality.clone(),
            attributes: Default::default(),
            birth_date: self.birth_date,
            gender: self.gender,
            identifiers: self.identifiers.clone(),
            addresses: self.addresses.clone(),
            source: None,
        }
    }
}

/// A hit with its strength, the facts behind it and any reviewer's disposition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenedMatch {
    /// The list entry, the name that matched and why.
    #[serde(flatten)]
    pub hit: Match,
    /// The record's name, alias or identifier that found it.
    pub matched_by: String,
    /// Strength, what agrees, contradicts, is unknown, and what to check.
    #[serde(flatten)]
    pub assessment: Assessment,
    /// The entry's fingerprint, for a disposition.
    pub fingerprint: String,
    /// A reviewer's disposition that settles or no longer settles this alert.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disposition: Option<String>,
}

/// The result of screening one record, one JSON object a line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordReport {
    /// The record's id, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The record's name.
    pub query: String,
    /// Hits at or above the threshold, strongest first, then best score.
    pub matches: Vec<ScreenedMatch>,
}

/// Screens `record` against `index` (built over `facts`), applying `dispositions` as of `day`.
pub fn screen_record(
    index: &ScreeningIndex,
    facts: &Facts,
    dispositions: &Dispositions,
    day: Option<Date>,
    record: &ScreenRecord,
    threshold: f64,
    limit: usize,
) -> RecordReport {
    let party = record.entity();
    let mut matches: Vec<ScreenedMatch> = hits(index, &party, threshold, limit, None)
        .into_iter()
        .filter_map(|(matched_by, hit)| {
            let listed = facts.entity(hit.entity)?;
            let mut assessment = match record.kind {
                Some(_) => assess(&party, listed, hit.score),
                None => assess_without_kind(&party, listed, hit.score),
            };
            let mut disposition = None;
            if let Some(applied) = dispositions.find(facts, &party, hit.entity) {
                let holds = day.is_some_and(|d| applied.holds_on(d));
                if holds {
                    assessment.strength = match applied.record.disposition {
                        DispositionKind::FalsePositive => Strength::Cleared,
                        DispositionKind::TrueMatch => Strength::Confirmed,
                    };
                    assessment.check.clear();
                    disposition = Some(applied.describe());
                } else {
                    disposition = day
                        .and_then(|d| applied.lapse_on(d))
                        .map(|lapse| format!("open again: {lapse}"));
                }
            }
            Some(ScreenedMatch {
                fingerprint: fingerprint(listed),
                hit,
                matched_by,
                assessment,
                disposition,
            })
        })
        .collect();
    matches.sort_by(|a, b| {
        b.assessment
            .strength
            .cmp(&a.assessment.strength)
            .then(b.hit.score.total_cmp(&a.hit.score))
            .then(a.hit.id.cmp(&b.hit.id))
    });
    matches.truncate(limit);
    RecordReport {
        id: record.id.clone(),
        query: record.name.clone(),
        matches,
    }
}
