//! The disposition register: alerts a person has reviewed, so that a cleared hit does not fire
//! again on every payment, and a hit found to be the listed party counts as confirmed.
//!
//! A register is a YAML (or JSON, for a `.json` file) document:
//!
//! ```yaml
//! dispositions:
//!   - party: cust-1                     # an entity id of the facts, or:
//!     # party_name: "Volasys Silverstar"  (with party_identifiers: ["..."] to narrow it)
//!     entry: SDN 24978                  # the list entry: its reference or its entity id
//!     disposition: false_positive       # or true_match
//!     reviewer: J. Smith
//!     date: 2024-03-02
//!     reason: "Russian software reseller, registration 1027700132195, not the listed company"
//!     expires: 2025-03-02               # optional
//!     fingerprint: 3f9a0c5e1b2d4a67     # the entry as it was reviewed (printed with each match)
//! ```
//!
//! A disposition holds from its date until it expires, and only while the list entry is the one
//! that was reviewed: the fingerprint covers the entry's names, identifiers and date of birth, so
//! a new alias or identifier re-opens the alert. Every record is checked on load: an unknown party
//! or list entry, a malformed date, a missing field or two records for the same alert are errors
//! naming the record.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::date::Date;
use crate::facts::{EntityIndex, EntityRecord, Facts};

use super::finding::Lapse;

/// What the reviewer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DispositionKind {
    /// The party is not the listed entity: the alert is cleared.
    FalsePositive,
    /// The party is the listed entity: the match counts as confirmed.
    TrueMatch,
}

impl DispositionKind {
    /// The word used in registers and memos.
    pub fn keyword(self) -> &'static str {
        match self {
            DispositionKind::FalsePositive => "false_positive",
            DispositionKind::TrueMatch => "true_match",
        }
    }
}

/// One reviewed alert, as written in the register.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DispositionRecord {
    /// The party's entity id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// Or the party's name, as written in the facts (case and spacing aside).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_name: Option<String>,
    /// With `party_name`: identifier values the party must also hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub party_identifiers: Vec<String>,
    /// The list entry: a reference such as `SDN 24978`, or the listed entity's id.
    pub entry: String,
    /// `false_positive` or `true_match`.
    pub disposition: DispositionKind,
    /// Who reviewed it.
    pub reviewer: String,
    /// When; the disposition holds from this day.
    pub date: Date,
    /// Why.
    pub reason: String,
    /// The first day it no longer holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
    /// The list entry's fingerprint when it was reviewed.
    pub fingerprint: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegisterFile {
    dispositions: Vec<DispositionRecord>,
}

/// Why a register cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DispositionError {
    /// The file cannot be read.
    #[error("{file}: cannot read the disposition register: {message}")]
    Read {
        /// The file.
        file: String,
        /// The system's reason.
        message: String,
    },
    /// The file is not a register (bad YAML or JSON, a malformed date, an unknown field).
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// 1-based line (0 when unknown).
        line: u64,
        /// 1-based column (0 when unknown).
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// A record does not fit the facts and lists loaded.
    #[error("{file}: disposition {record} ({label}): {message}")]
    Record {
        /// The file.
        file: String,
        /// 1-based position of the record in the file.
        record: usize,
        /// Its party and entry, to find it.
        label: String,
        /// What is wrong and what to do.
        message: String,
    },
}

/// Who a disposition is about.
#[derive(Debug, Clone)]
enum PartyKey {
    Id(String),
    Name {
        name: String,
        identifiers: Vec<String>,
    },
}

#[derive(Debug, Clone)]
struct Resolved {
    record: DispositionRecord,
    party: PartyKey,
    entry: EntityIndex,
}

/// A loaded, checked register.
#[derive(Debug, Clone, Default)]
pub struct Dispositions {
    records: Vec<Resolved>,
}

/// A disposition that matched an alert, and whether it still applies to the entry as listed now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedDisposition {
    /// The record.
    pub record: DispositionRecord,
    /// The entry changed since the review (its fingerprint differs): the alert re-opens.
    pub entry_changed: bool,
}

impl AppliedDisposition {
    /// Whether it settles the alert on `day`: dated on or before it, not expired, and the entry
    /// unchanged.
    pub fn holds_on(&self, day: Date) -> bool {
        !self.entry_changed
            && self.record.date <= day
            && self.record.expires.is_none_or(|expires| day < expires)
    }

    /// Why it no longer settles the alert on `day`, if it does not.
    pub fn lapse_on(&self, day: Date) -> Option<Lapse> {
        if self.entry_changed {
            return Some(Lapse::EntryChanged {
                fingerprint: self.record.fingerprint.clone(),
            });
        }
        self.record
            .expires
            .filter(|expires| *expires <= day)
            .map(|on| Lapse::Expired { on })
    }
}

/// The fingerprint of a list entry: its names, identifiers and date of birth, hashed. A new alias
/// or identifier changes it.
pub fn fingerprint(entry: &EntityRecord) -> String {
    let mut names: Vec<String> = std::iter::once(&entry.name)
        .chain(&entry.aliases)
        .map(|n| n.trim().to_lowercase())
        .collect();
    names.sort();
    names.dedup();
    let mut identifiers: Vec<String> = entry
        .identifiers
        .iter()
        .map(|i| format!("{}:{}", i.kind.keyword(), i.normalized()))
        .collect();
    identifiers.sort();
    identifiers.dedup();
    let mut hasher = Sha256::new();
    for name in &names {
        hasher.update(b"n:");
        hasher.update(name.as_bytes());
        hasher.update(b"\n");
    }
    for identifier in &identifiers {
        hasher.update(b"i:");
        hasher.update(identifier.as_bytes());
        hasher.update(b"\n");
    }
    if let Some(born) = entry.birth_date {
        hasher.update(format!("b:{born}\n").as_bytes());
    }
    let digest = format!("{:x}", hasher.finalize());
    digest.get(..16).unwrap_or(&digest).to_owned()
}

fn squash(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn compact(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

impl Dispositions {
    /// Reads and checks the register at `path` against `facts` (the user's facts and the lists).
    pub fn load(path: &Path, facts: &Facts) -> Result<Dispositions, DispositionError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| DispositionError::Read {
            file: file.clone(),
            message: e.to_string(),
        })?;
        Dispositions::from_text(&file, &text, facts)
    }

    /// Parses and checks a register's text (JSON when `file` ends in `.json`, YAML otherwise).
    pub fn from_text(
        file: &str,
        text: &str,
        facts: &Facts,
    ) -> Result<Dispositions, DispositionError> {
        Dispositions::parse(file, text, facts, true)
    }

    /// Reads a register for `screen`, whose parties are the records screened rather than
    /// entities of the facts: party ids are those of the records, not checked against the facts.
    pub fn load_for_records(path: &Path, facts: &Facts) -> Result<Dispositions, DispositionError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| DispositionError::Read {
            file: file.clone(),
            message: e.to_string(),
        })?;
        Dispositions::parse(&file, &text, facts, false)
    }

    fn parse(
        file: &str,
        text: &str,
        facts: &Facts,
        check_party_ids: bool,
    ) -> Result<Dispositions, DispositionError> {
        let parsed: RegisterFile = if file.ends_with(".json") {
            serde_json::from_str(text).map_err(|e| DispositionError::Syntax {
                file: file.to_owned(),
                line: e.line() as u64,
                column: e.column() as u64,
                message: e
                    .to_string()
                    .split(" at line ")
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            })?
        } else {
            crate::yaml::from_str(text).map_err(|e| DispositionError::Syntax {
                file: file.to_owned(),
                line: e.line.unwrap_or(0),
                column: e.column.unwrap_or(0),
                message: e.message,
            })?
        };
        let mut records: Vec<Resolved> = Vec::with_capacity(parsed.dispositions.len());
        for (position, record) in parsed.dispositions.into_iter().enumerate() {
            let fail = |message: String| DispositionError::Record {
                file: file.to_owned(),
                record: position + 1,
                label: format!(
                    "party {}, entry {}",
                    record
                        .party
                        .as_deref()
                        .or(record.party_name.as_deref())
                        .unwrap_or("?"),
                    record.entry
                ),
                message,
            };
            let party = match (&record.party, &record.party_name) {
                (Some(id), None) => {
                    if check_party_ids && facts.entity_index(id).is_none() {
                        return Err(fail(format!(
                            "no entity `{id}` in the facts; give the id of the party as the facts name it, or `party_name`"
                        )));
                    }
                    PartyKey::Id(id.clone())
                }
                (None, Some(name)) if !name.trim().is_empty() => PartyKey::Name {
                    name: squash(name),
                    identifiers: record
                        .party_identifiers
                        .iter()
                        .map(|i| compact(i))
                        .collect(),
                },
                (Some(_), Some(_)) => {
                    return Err(fail(String::from(
                        "give the party by `party` (its id) or by `party_name`, not both",
                    )));
                }
                _ => {
                    return Err(fail(String::from(
                        "the party is missing: give `party` (its id) or `party_name`",
                    )));
                }
            };
            let entry = resolve_entry(facts, &record.entry).ok_or_else(|| {
                fail(format!(
                    "no list entry `{}` in the lists loaded; give its reference (`SDN 24978`) or its entity id (`ofac-24978`)",
                    record.entry
                ))
            })?;
            if record.reviewer.trim().is_empty() || record.reason.trim().is_empty() {
                return Err(fail(String::from(
                    "a disposition needs the reviewer and the reason",
                )));
            }
            if record.expires.is_some_and(|expires| expires <= record.date) {
                return Err(fail(String::from(
                    "it expires on or before the day it was made",
                )));
            }
            if let Some(earlier) = records
                .iter()
                .position(|r| r.entry == entry && same_party(&r.party, &party))
            {
                return Err(fail(format!(
                    "disposition {} already settles this alert; keep one record per party and entry",
                    earlier + 1
                )));
            }
            records.push(Resolved {
                record,
                party,
                entry,
            });
        }
        Ok(Dispositions { records })
    }

    /// How many records the register holds.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The disposition of the alert `record` × `entry` (`record` a party of the facts or a
    /// screened record), if one was recorded, with whether the entry has changed since.
    pub fn find(
        &self,
        facts: &Facts,
        record: &EntityRecord,
        entry: EntityIndex,
    ) -> Option<AppliedDisposition> {
        let found = self.records.iter().find(|r| {
            r.entry == entry
                && match &r.party {
                    PartyKey::Id(id) => *id == record.id,
                    PartyKey::Name { name, identifiers } => {
                        squash(&record.name) == *name
                            && identifiers.iter().all(|wanted| {
                                record
                                    .identifiers
                                    .iter()
                                    .any(|i| compact(&i.value) == *wanted)
                            })
                    }
                }
        })?;
        let listed = facts.entity(entry)?;
        Some(AppliedDisposition {
            record: found.record.clone(),
            entry_changed: fingerprint(listed) != found.record.fingerprint,
        })
    }
}

fn same_party(a: &PartyKey, b: &PartyKey) -> bool {
    match (a, b) {
        (PartyKey::Id(a), PartyKey::Id(b)) => a == b,
        (
            PartyKey::Name {
                name: a,
                identifiers: x,
            },
            PartyKey::Name {
                name: b,
                identifiers: y,
            },
        ) => a == b && x == y,
        _ => false,
    }
}

/// The listed entity an entry names: an entity id with a designation, or a designation reference.
fn resolve_entry(facts: &Facts, entry: &str) -> Option<EntityIndex> {
    let entry = entry.trim();
    if let Some(index) = facts.entity_index(entry)
        && facts.designations_of(index).next().is_some()
    {
        return Some(index);
    }
    (0..facts.entity_count()).find_map(|i| {
        let index = EntityIndex::try_from(i).ok()?;
        facts
            .designations_of(index)
            .any(|(_, d)| {
                d.reference
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case(entry))
            })
            .then_some(index)
    })
}
