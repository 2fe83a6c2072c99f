//! The screening index: every listed name and alias, normalised once, with an inverted index
//! from token keys to names so that a query is compared in full only with a few candidates.
//!
//! Keys of a name are its tokens and, for tokens of four characters or more, every string made
//! by deleting one character (a symmetric deletion index: two tokens within one insertion,
//! deletion, substitution or transposition of each other share a key), plus the initials of
//! names of three words or more (so `PLA` finds `People's Liberation Army`). A query probes its
//! own tokens and their deletions, the joins of adjacent tokens (`Good Will` finds `GOODWILL`),
//! the halves of long tokens (`VladimirPutin`), and its initials (`Islamic Revolutionary Guard
//! Corps` finds `IRGC`). Names hit by the probes are ranked by an estimate of their score from
//! the query weight they cover; names whose estimate is far too low for any useful threshold are
//! dropped and the best few of the rest are scored in full (the same few whatever the threshold).
//!
//! Measured against scoring every name of the OFAC SDN list (31,000 names) with the same
//! comparison, the candidates contained 354 of the 359 matches above the default threshold of
//! 156 test queries; the five missed were fuzzy matches of three-letter words (`VTB`/`VVB`,
//! `Wei`/`Lei`) and two-edit variants.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::arabic::skeleton;
use super::compare::{
    Comparison, TUNING, TUNING_PERSONS, TUNING_VESSELS, TokenPair, Tuning, compare,
};
use super::match_note::{MatchNote, NameSide};
use super::normalize::{NormalizedName, Normalizer, TokenClass};
use crate::date::Date;
use crate::facts::{AttributeValue, EntityIndex, EntityKind, Facts};

/// Attribute keys whose values are identifiers, as the list importers write them.
pub const DEFAULT_IDENTIFIER_KEYS: &[&str] = &[
    "identifiers",
    "passports",
    "passport",
    "national_ids",
    "national_id",
    "tax_ids",
    "tax_id",
    "registration_numbers",
    "registration_number",
    "uscc",
    "swift_bic",
    "imo",
    "mmsi",
    "digital_currency_addresses",
];

/// Identifiers shorter than this (after normalisation) are not indexed or searched: too many
/// short codes collide.
pub const MIN_IDENTIFIER_LEN: usize = 6;

/// How a [`ScreeningIndex`] is built.
#[derive(Debug, Clone)]
pub struct ScreeningOptions {
    /// Index only entities with at least one designation (the usual case: screen against the
    /// lists). When false, every entity of the store is indexed.
    pub designated_only: bool,
    /// Count (and report) only designations in force on this day; with `designated_only`,
    /// entities with none in force are left out.
    pub in_force_on: Option<Date>,
    /// Attribute keys whose text values are identifiers (see [`DEFAULT_IDENTIFIER_KEYS`]).
    pub identifier_keys: Vec<String>,
    /// Attribute keys whose text values are screened as further aliases (e.g. `weak_aliases`).
    pub alias_keys: Vec<String>,
    /// How many candidate names a query scores in full, at most (but at least four times the
    /// number of matches asked for).
    pub candidates: usize,
}

impl Default for ScreeningOptions {
    fn default() -> Self {
        ScreeningOptions {
            designated_only: true,
            in_force_on: None,
            identifier_keys: DEFAULT_IDENTIFIER_KEYS
                .iter()
                .map(|k| (*k).to_string())
                .collect(),
            alias_keys: Vec::new(),
            candidates: 64,
        }
    }
}

/// A list entry of a screened entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListEntry {
    /// The list, such as `OFAC-SDN`.
    pub list: String,
    /// The list's reference, such as `SDN 24978`.
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Program tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<String>,
    /// The day it was listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed_on: Option<Date>,
    /// The day it was removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delisted_on: Option<Date>,
}

/// One entity to index, for [`ScreeningIndex::from_entries`] (when the names do not come from a
/// [`Facts`] store).
#[derive(Debug, Clone)]
pub struct IndexEntry {
    /// The entity's position in its store (reported back in matches).
    pub entity: EntityIndex,
    /// Its id.
    pub id: String,
    /// Person, organisation, vessel or aircraft.
    pub kind: EntityKind,
    /// The primary (listed) name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Its list entries.
    pub designations: Vec<ListEntry>,
    /// Identifiers as (attribute key, value).
    pub identifiers: Vec<(String, String)>,
}

/// How a match was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MatchMethod {
    /// Fuzzy comparison of names.
    Name,
    /// Exact equality of an identifier (passport, USCC, crypto address ...).
    Identifier,
}

/// The identifier behind an identifier match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdentifierMatch {
    /// The attribute it was read from, such as `passports`.
    pub attribute: String,
    /// The value as listed.
    pub value: String,
    /// The value compared: letters and digits only, upper case.
    pub normalized: String,
}

/// Why a name matched: the normalised names, the token pairs and what was left over.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The query after normalisation (the tokens compared).
    pub query: String,
    /// The matched name after normalisation.
    pub candidate: String,
    /// Token pairs with their similarity.
    pub pairs: Vec<TokenPair>,
    /// Query tokens left unmatched.
    pub unmatched_query: Vec<String>,
    /// Tokens of the matched name left unmatched.
    pub unmatched_candidate: Vec<String>,
    /// What normalisation did to either side (titles, legal forms, spellings) and other
    /// adjustments of the score, as data (`explain::match_note` words them).
    pub notes: Vec<MatchNote>,
}

/// One screening hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// The list of the entity's first designation, such as `OFAC-SDN`.
    pub list: Option<String>,
    /// That designation's reference, such as `SDN 24978`.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// The entity's primary (listed) name.
    pub name: String,
    /// The name or alias that matched.
    pub matched_name: String,
    /// The score, 0–1 (1 for an identifier match).
    pub score: f64,
    /// Name comparison or identifier equality.
    pub method: MatchMethod,
    /// Whether `matched_name` is an alias rather than the primary name.
    pub alias: bool,
    /// The entity's position in the store (internal: not printed; the id names it).
    #[serde(skip)]
    pub entity: EntityIndex,
    /// The entity's id.
    pub id: String,
    /// Person, organisation, vessel or aircraft.
    pub kind: EntityKind,
    /// Every list entry of the entity.
    pub designations: Vec<ListEntry>,
    /// The identifier that matched, for identifier matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<IdentifierMatch>,
    /// Why it matched.
    pub explanation: Explanation,
}

/// The result of screening one query, as the command-line tool prints it (one JSON object a
/// line).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The query as given.
    pub query: String,
    /// Matches at or above the threshold, best first.
    pub matches: Vec<Match>,
}

/// An indexed entity.
#[derive(Debug, Clone)]
struct Entry {
    entity: EntityIndex,
    id: String,
    kind: EntityKind,
    name: String,
    designations: Vec<ListEntry>,
}

/// An indexed name or alias.
#[derive(Debug, Clone)]
struct IndexedName {
    entry: u32,
    alias: bool,
    normalized: NormalizedName,
    /// Weight of the tokens the index has keys for, for the candidate estimate.
    key_weight: f64,
}

/// An indexed identifier.
#[derive(Debug, Clone)]
struct IndexedIdentifier {
    entry: u32,
    attribute: String,
    value: String,
}

/// A name-screening index over listed entities. Built once, then shared between threads
/// (`Send + Sync`); searches never change it.
#[derive(Debug, Clone)]
pub struct ScreeningIndex {
    entries: Vec<Entry>,
    names: Vec<IndexedName>,
    /// Sorted distinct key hashes; `offsets[k]..offsets[k + 1]` indexes `postings`.
    keys: Vec<u64>,
    offsets: Vec<u32>,
    postings: Vec<u32>,
    identifiers: HashMap<String, Vec<IndexedIdentifier>>,
    candidates: usize,
}

impl ScreeningIndex {
    /// Builds the index over the entities of `facts` (only the designated ones unless
    /// `options.designated_only` is false): primary names, aliases, the attributes named in
    /// `options.alias_keys` as further aliases and those in `options.identifier_keys` as
    /// identifiers.
    pub fn build(facts: &Facts, options: &ScreeningOptions) -> ScreeningIndex {
        let mut entries = Vec::new();
        for index in 0..facts.entity_count() {
            let Ok(index) = EntityIndex::try_from(index) else {
                break;
            };
            let Some(record) = facts.entity(index) else {
                continue;
            };
            let designations: Vec<ListEntry> = facts
                .designations_of(index)
                .filter(|(_, d)| options.in_force_on.is_none_or(|day| d.in_force_on(day)))
                .map(|(_, d)| ListEntry {
                    list: d.list.clone(),
                    reference: d.reference.clone(),
                    programs: d.programs.clone(),
                    listed_on: d.listed_on,
                    delisted_on: d.delisted_on,
                })
                .collect();
            if options.designated_only && designations.is_empty() {
                continue;
            }
            let mut aliases = record.aliases.clone();
            for key in &options.alias_keys {
                if let Some(value) = record.attributes.get(key) {
                    texts(value, &mut |text| aliases.push(text.to_string()));
                }
            }
            let mut identifiers: Vec<(String, String)> = record
                .identifiers
                .iter()
                .map(|i| (i.kind.keyword().to_owned(), i.value.clone()))
                .collect();
            for key in &options.identifier_keys {
                if let Some(value) = record.attributes.get(key) {
                    texts(value, &mut |text| {
                        identifiers.push((key.clone(), text.to_string()))
                    });
                }
            }
            entries.push(IndexEntry {
                entity: index,
                id: record.id.clone(),
                kind: record.kind,
                name: record.name.clone(),
                aliases,
                designations,
                identifiers,
            });
        }
        let mut built = ScreeningIndex::from_entries(entries);
        built.candidates = options.candidates.max(1);
        built
    }

    /// Builds the index from entities given directly (for names that do not come from a
    /// [`Facts`] store). Uses the default number of candidates.
    pub fn from_entries(entries: impl IntoIterator<Item = IndexEntry>) -> ScreeningIndex {
        let normalizer = Normalizer::shared();
        let mut index = ScreeningIndex {
            entries: Vec::new(),
            names: Vec::new(),
            keys: Vec::new(),
            offsets: Vec::new(),
            postings: Vec::new(),
            identifiers: HashMap::new(),
            candidates: ScreeningOptions::default().candidates,
        };
        let mut pairs: Vec<(u64, u32)> = Vec::new();
        let mut keys = Vec::new();
        for entry in entries {
            let Ok(entry_id) = u32::try_from(index.entries.len()) else {
                break;
            };
            let mut seen: Vec<(String, u32)> = Vec::new();
            let names = std::iter::once((&entry.name, false))
                .chain(entry.aliases.iter().map(|a| (a, true)));
            for (name, alias) in names {
                let normalized = normalizer.normalize(name);
                if normalized.tokens.is_empty() {
                    continue;
                }
                // The same name twice (an alias equal to the primary name once normalised)
                // would only be scored twice; legal forms count, they change the score. Its
                // keys still lead to the name kept: they hold its words as written, which a
                // misspelt query may be one slip from (`Evgnny` / `GRABCHAK, Evgeny`, kept
                // as `GRABCHAK, Evgeniy`).
                let mut text = normalized.text();
                for form in &normalized.legal_forms {
                    text.push('|');
                    text.push_str(&form.canonical);
                }
                keys.clear();
                name_keys(&normalized, &mut keys);
                if let Some((_, kept)) = seen.iter().find(|(known, _)| *known == text) {
                    pairs.extend(keys.iter().map(|&k| (k, *kept)));
                    continue;
                }
                let Ok(name_id) = u32::try_from(index.names.len()) else {
                    break;
                };
                seen.push((text, name_id));
                pairs.extend(keys.iter().map(|&k| (k, name_id)));
                let key_weight = key_weight(&normalized);
                index.names.push(IndexedName {
                    entry: entry_id,
                    alias,
                    normalized,
                    key_weight,
                });
            }
            for (attribute, value) in &entry.identifiers {
                for normalized in identifier_forms(value) {
                    let hits = index.identifiers.entry(normalized).or_default();
                    if !hits.iter().any(|h| h.entry == entry_id) {
                        hits.push(IndexedIdentifier {
                            entry: entry_id,
                            attribute: attribute.clone(),
                            value: value.clone(),
                        });
                    }
                }
            }
            index.entries.push(Entry {
                entity: entry.entity,
                id: entry.id,
                kind: entry.kind,
                name: entry.name,
                designations: entry.designations,
            });
        }
        pairs.sort_unstable();
        pairs.dedup();
        index.keys.reserve(pairs.len() / 2);
        index.postings.reserve(pairs.len());
        for (key, name) in pairs {
            if index.keys.last() != Some(&key) {
                index.keys.push(key);
                index.offsets.push(index.postings.len() as u32);
            }
            index.postings.push(name);
        }
        index.offsets.push(index.postings.len() as u32);
        index
    }

    /// Sets how many candidate names a query scores in full (see
    /// [`ScreeningOptions::candidates`]).
    pub fn with_candidates(mut self, candidates: usize) -> ScreeningIndex {
        self.candidates = candidates.max(1);
        self
    }

    /// How many entities are indexed.
    pub fn entity_count(&self) -> usize {
        self.entries.len()
    }

    /// How many names and aliases are indexed.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// Screens `query`: matches scoring at least `threshold` (see
    /// [`DEFAULT_THRESHOLD`](super::DEFAULT_THRESHOLD)), best first, at most `limit`, one per
    /// entity (its best name or alias). A query that looks like an identifier (six or more
    /// letters and digits, at least one digit) is also looked up among the identifiers; such
    /// matches score 1.
    pub fn search(&self, query: &str, threshold: f64, limit: usize) -> Vec<Match> {
        let mut best: BTreeMap<u32, Match> = BTreeMap::new();
        let compact = normalize_identifier(query);
        if compact.len() >= MIN_IDENTIFIER_LEN && compact.chars().any(|c| c.is_ascii_digit()) {
            for m in self.identifier_matches(&compact) {
                best.insert(m.0, m.1);
            }
        }
        let normalized = Normalizer::shared().normalize(query);
        if !normalized.tokens.is_empty() {
            let cap = self.candidates.max(limit.saturating_mul(4));
            for name_id in self.candidates(&normalized, cap) {
                let Some(name) = self.names.get(name_id as usize) else {
                    continue;
                };
                let tuning = self.tuning_for(name.entry);
                let score = compare(tuning, &normalized, &name.normalized, false).score;
                if score < threshold || best.get(&name.entry).is_some_and(|m| score <= m.score) {
                    continue;
                }
                let comparison = compare(tuning, &normalized, &name.normalized, true);
                if let Some(m) = self.name_match(&normalized, name, comparison) {
                    best.insert(name.entry, m);
                }
            }
        }
        let mut matches: Vec<Match> = best.into_values().collect();
        matches.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entity.cmp(&b.entity)));
        matches.truncate(limit);
        matches
    }

    /// Looks `identifier` up among the indexed identifiers (passport numbers, USCC, crypto
    /// addresses ...): equal once both are reduced to letters and digits in upper case, whole or
    /// word by word (`IMO 9187629` finds the listed `9187629`). Matches
    /// score 1 and say which attribute held the identifier.
    pub fn search_identifier(&self, identifier: &str, limit: usize) -> Vec<Match> {
        // `IMO 9187629` is looked up whole and as `9187629`, as listed values are indexed.
        let mut matches: Vec<Match> = Vec::new();
        for form in identifier_forms(identifier) {
            for (_, m) in self.identifier_matches(&form) {
                if !matches.iter().any(|known| known.entity == m.entity) {
                    matches.push(m);
                }
            }
        }
        matches.sort_by_key(|m| m.entity);
        matches.truncate(limit);
        matches
    }

    /// Screens `query` and wraps the matches with it, ready to print as one JSON line.
    pub fn report(&self, query: &str, threshold: f64, limit: usize) -> Report {
        Report {
            query: query.to_string(),
            matches: self.search(query, threshold, limit),
        }
    }

    /// The comparison's tuning for an indexed entry: people are not listed under acronyms, so a
    /// listed person's one-word name is never read as the initials of the query's words (`Sami
    /// Ali Ibrahim Dawood` is not `SAID`); a vessel's name is compared whole (`MORNING EXPLORER`
    /// is not the listed ship `EXPLORER`).
    fn tuning_for(&self, entry: u32) -> &'static Tuning {
        match self.entries.get(entry as usize).map(|e| e.kind) {
            Some(EntityKind::Person) => &TUNING_PERSONS,
            Some(EntityKind::Vessel) => &TUNING_VESSELS,
            _ => &TUNING,
        }
    }

    fn identifier_matches(&self, compact: &str) -> Vec<(u32, Match)> {
        if compact.len() < MIN_IDENTIFIER_LEN {
            return Vec::new();
        }
        let Some(hits) = self.identifiers.get(compact) else {
            return Vec::new();
        };
        hits.iter()
            .filter_map(|hit| {
                let entry = self.entries.get(hit.entry as usize)?;
                let first = entry.designations.first();
                Some((
                    hit.entry,
                    Match {
                        list: first.map(|d| d.list.clone()),
                        reference: first.and_then(|d| d.reference.clone()),
                        name: entry.name.clone(),
                        matched_name: entry.name.clone(),
                        score: 1.0,
                        method: MatchMethod::Identifier,
                        alias: false,
                        entity: entry.entity,
                        id: entry.id.clone(),
                        kind: entry.kind,
                        designations: entry.designations.clone(),
                        identifier: Some(IdentifierMatch {
                            attribute: hit.attribute.clone(),
                            value: hit.value.clone(),
                            normalized: compact.to_string(),
                        }),
                        explanation: Explanation {
                            query: compact.to_string(),
                            candidate: compact.to_string(),
                            pairs: Vec::new(),
                            unmatched_query: Vec::new(),
                            unmatched_candidate: Vec::new(),
                            notes: vec![MatchNote::IdentifierEqual {
                                identifier: compact.to_string(),
                                value: hit.value.clone(),
                                attribute: hit.attribute.clone(),
                            }],
                        },
                    },
                ))
            })
            .collect()
    }

    fn name_match(
        &self,
        query: &NormalizedName,
        name: &IndexedName,
        comparison: Comparison,
    ) -> Option<Match> {
        let entry = self.entries.get(name.entry as usize)?;
        let first = entry.designations.first();
        let mut notes = query.notes(NameSide::Query);
        notes.extend(name.normalized.notes(NameSide::Listed));
        notes.extend(comparison.notes);
        Some(Match {
            list: first.map(|d| d.list.clone()),
            reference: first.and_then(|d| d.reference.clone()),
            name: entry.name.clone(),
            matched_name: name.normalized.original.clone(),
            score: round(comparison.score),
            method: MatchMethod::Name,
            alias: name.alias,
            entity: entry.entity,
            id: entry.id.clone(),
            kind: entry.kind,
            designations: entry.designations.clone(),
            identifier: None,
            explanation: Explanation {
                query: query.text(),
                candidate: name.normalized.text(),
                pairs: comparison
                    .pairs
                    .into_iter()
                    .map(|p| TokenPair {
                        score: round(p.score),
                        ..p
                    })
                    .collect(),
                unmatched_query: comparison.unmatched_query,
                unmatched_candidate: comparison.unmatched_candidate,
                notes,
            },
        })
    }

    /// The postings of one key.
    fn postings(&self, key: u64) -> &[u32] {
        let Ok(k) = self.keys.binary_search(&key) else {
            return &[];
        };
        let start = self.offsets.get(k).copied().unwrap_or(0) as usize;
        let end = self.offsets.get(k + 1).copied().unwrap_or(0) as usize;
        self.postings.get(start..end).unwrap_or_default()
    }

    /// The names worth scoring in full for `query`, most promising first.
    /// The names worth scoring in full for `query`, at most `cap`, best estimate first. The
    /// choice does not depend on the threshold asked for, so a match found at a low threshold
    /// is found at every higher one it clears.
    fn candidates(&self, query: &NormalizedName, cap: usize) -> Vec<u32> {
        let probes = query_probes(query);
        let query_weight = key_weight(query);
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.rank(&probes, query_weight, cap, &mut scratch),
            Err(_) => self.rank(&probes, query_weight, cap, &mut Scratch::default()),
        })
    }

    fn rank(
        &self,
        probes: &[Probe],
        query_weight: f64,
        cap: usize,
        scratch: &mut Scratch,
    ) -> Vec<u32> {
        scratch.prepare(self.names.len());
        for probe in probes {
            for &key in &probe.keys {
                for &name in self.postings(key) {
                    let Some(tally) = scratch.tallies.get_mut(name as usize) else {
                        continue;
                    };
                    if tally.stamp == u32::MAX {
                        scratch.touched.push(name);
                    } else if tally.stamp == probe.id {
                        continue;
                    }
                    tally.stamp = probe.id;
                    tally.covered += probe.weight;
                    tally.probes = tally.probes.saturating_add(1);
                }
            }
        }
        let mut ranked: Vec<(f64, u16, u32)> = Vec::with_capacity(scratch.touched.len());
        for &name in &scratch.touched {
            let n = name as usize;
            let tally = scratch.tallies.get(n).copied().unwrap_or(Tally::NONE);
            let name_weight = self.names.get(n).map_or(0.0, |x| x.key_weight);
            let estimate = estimate(tally.covered, query_weight, name_weight);
            if estimate >= PRUNE_BELOW {
                ranked.push((estimate, tally.probes, name));
            }
        }
        scratch.reset();
        // Equal estimates (the 123 listed `FU YUAN YU` vessels, told apart by their number
        // alone) are ranked by how many of the query's probes hit the name; the order is total,
        // so choosing the best `cap` before sorting them gives the order a full sort would.
        let order = |a: &(f64, u16, u32), b: &(f64, u16, u32)| {
            b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2))
        };
        if let Some(last) = cap.checked_sub(1).filter(|&last| last < ranked.len()) {
            ranked.select_nth_unstable_by(last, order);
        }
        ranked.truncate(cap);
        ranked.sort_unstable_by(order);
        ranked.into_iter().map(|(_, _, name)| name).collect()
    }
}

/// An estimate of the score of a name whose keys cover `covered` of the query's key weight:
/// the covered part taken as matched perfectly against as much of the name, the rest of both
/// sides as unmatched, with the comparison's penalties (conflicts softened, since the keys miss
/// some fuzzy matches).
fn estimate(covered: f64, query_weight: f64, name_weight: f64) -> f64 {
    let matched = covered.min(name_weight).min(query_weight);
    if matched <= 0.0 {
        return 0.0;
    }
    let (uq, uc) = (query_weight - matched, name_weight - matched);
    let conflict = uq.min(uc);
    let extra = uq.max(uc) - conflict;
    let extra_factor = if conflict > 0.0 {
        TUNING.conflict_remainder_penalty
    } else {
        TUNING.extra_penalty
    };
    let penalty = 0.5 * TUNING.conflict_penalty * 2.0 * conflict + extra_factor * extra;
    2.0 * matched / (2.0 * matched + penalty)
}

/// Candidates whose estimate falls below this are not scored. It is fixed, not derived from the
/// threshold asked for, so the candidates are the same at every threshold and a match found at
/// one is found at every higher one it clears; at 0.8 of the default threshold it leaves a margin
/// for what the estimate cannot see (fuzzy matches the keys miss, initials). A fixed 0.48 (for
/// thresholds down to 0.60) made queries on the SDN list ten times slower, so thresholds below
/// the default see the same candidates, not more.
const PRUNE_BELOW: f64 = 0.8 * super::DEFAULT_THRESHOLD;

/// Per-thread buffers of the candidate ranking, reused between searches.
#[derive(Debug, Default)]
struct Scratch {
    /// For each name, what this query's probes have found of it so far: one record a name, so
    /// a hit reads and writes one place in memory.
    tallies: Vec<Tally>,
    /// Names hit by this query.
    touched: Vec<u32>,
}

/// What the probes of one query found of one name.
#[derive(Debug, Clone, Copy)]
struct Tally {
    /// The last probe that hit it (`u32::MAX`: none yet).
    stamp: u32,
    /// How many probes hit it.
    probes: u16,
    /// The query weight its hits cover.
    covered: f64,
}

impl Tally {
    /// A name no probe has hit.
    const NONE: Tally = Tally {
        stamp: u32::MAX,
        probes: 0,
        covered: 0.0,
    };
}

impl Scratch {
    fn prepare(&mut self, names: usize) {
        if self.tallies.len() < names {
            self.tallies.resize(names, Tally::NONE);
        }
    }

    fn reset(&mut self) {
        for &name in &self.touched {
            if let Some(tally) = self.tallies.get_mut(name as usize) {
                *tally = Tally::NONE;
            }
        }
        self.touched.clear();
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn round(score: f64) -> f64 {
    (score * 10_000.0).round() / 10_000.0
}

/// Calls `f` with every text in an attribute value (lists flattened).
fn texts(value: &AttributeValue, f: &mut dyn FnMut(&str)) {
    match value {
        AttributeValue::Text(text) => f(text),
        AttributeValue::List(items) => {
            for item in items {
                texts(item, f);
            }
        }
        AttributeValue::Bool(_) | AttributeValue::Number(_) => {}
    }
}

/// An identifier reduced to letters and digits, upper case.
pub fn normalize_identifier(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The forms under which an identifier value is indexed: the whole value normalised and, when it
/// has several words (`Passport 927220230 (Korea, North)`), each word with a digit in it.
fn identifier_forms(value: &str) -> Vec<String> {
    let mut forms = Vec::new();
    let whole = normalize_identifier(value);
    if whole.len() >= MIN_IDENTIFIER_LEN {
        forms.push(whole);
    }
    if value.split_whitespace().nth(1).is_some() {
        for word in value.split_whitespace() {
            let word = normalize_identifier(word);
            if word.len() >= MIN_IDENTIFIER_LEN
                && word.chars().any(|c| c.is_ascii_digit())
                && !forms.contains(&word)
            {
                forms.push(word);
            }
        }
    }
    forms
}

/// FNV-1a, 64 bits: a fast, stable hash for index keys (collisions only add candidates).
fn hash(namespace: u8, text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in std::iter::once(namespace).chain(text.bytes()) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

const WORD: u8 = 1;
const ACRONYM: u8 = 2;
/// Consonant skeletons of names written in Arabic script, probed by other queries.
const SKELETON_OF_ARABIC: u8 = 3;
/// Consonant skeletons of names written in other scripts, probed by Arabic-script queries.
const SKELETON_OF_LATIN: u8 = 4;

/// Tokens this long or longer are indexed with their one-character deletions too.
const DELETION_MIN_LEN: usize = 4;

/// Longer tokens get no deletion keys and their splits are probed only at most this far from
/// either end: each key costs the token's length to hash, so a 100,000-letter query word would
/// otherwise cost 10^10 steps. Names' words are far shorter; such a token still matches its
/// exact self.
const KEYED_MAX_LEN: usize = 64;

/// Pushes the exact key of `text` and, if long enough, the keys of its one-character deletions.
fn word_keys(text: &str, out: &mut Vec<u64>) {
    out.push(hash(WORD, text));
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    if (DELETION_MIN_LEN..=KEYED_MAX_LEN).contains(&chars.len()) {
        let mut variant = String::with_capacity(text.len());
        for &(at, c) in &chars {
            variant.clear();
            variant.push_str(text.get(..at).unwrap_or_default());
            variant.push_str(text.get(at + c.len_utf8()..).unwrap_or_default());
            out.push(hash(WORD, &variant));
        }
    }
}

fn indexable(class: TokenClass) -> bool {
    matches!(
        class,
        TokenClass::Word | TokenClass::Patronymic | TokenClass::Number
    )
}

/// The keys a name is indexed under.
fn name_keys(name: &NormalizedName, out: &mut Vec<u64>) {
    let any_indexable = name.tokens.iter().any(|t| indexable(t.class));
    for token in &name.tokens {
        if indexable(token.class) || !any_indexable {
            if token.class == TokenClass::Number {
                out.push(hash(WORD, &token.text));
            } else {
                word_keys(&token.text, out);
                // As written too: a misspelt query word may be one edit from the listed
                // spelling (`Mhammed` / `MOHAMMED`) but two from its equivalent (`muhammad`).
                if token.folded != token.text {
                    word_keys(&token.folded, out);
                }
            }
        }
    }
    if let Some(initials) = acronym(name) {
        out.push(hash(ACRONYM, &initials));
    }
    join_keys(name, out);
    compact_keys(name, out);
    skeleton_keys(name, SKELETON_OF_ARABIC, SKELETON_OF_LATIN, out);
}

/// The consonant skeletons of a name's words and of the whole name written without spaces,
/// under the namespace of its script (`arabic` for names in Arabic script, `latin` for the
/// others): a query in the other script probes them (`محمد علي` finds `Mohamed Ali`, and the
/// reverse), and a query in the same script never does.
fn skeleton_keys(name: &NormalizedName, arabic: u8, latin: u8, out: &mut Vec<u64>) {
    let namespace = if name.arabic { arabic } else { latin };
    for token in name.tokens.iter().filter(|t| indexable(t.class)) {
        out.push(hash(namespace, &skeleton(&token.text)));
    }
    out.push(hash(namespace, &skeleton(&name.compact)));
}

/// The name written without spaces, legal forms included, in the order written and (for
/// `FAMILY, Given` names) the order said, with its one-character deletions: a query that
/// writes the words together, perhaps with a slip (`Kohasag` for `KOHAS AG`, `Jinryu` for
/// `RYU, Jin`, `Tesrkiybereg` for `TERSKIY BEREG`), finds it.
fn compact_keys(name: &NormalizedName, out: &mut Vec<u64>) {
    for (k, text) in [&name.compact, &name.compact_natural]
        .into_iter()
        .enumerate()
    {
        if (k == 0 || *text != name.compact) && text.chars().count() <= COMPACT_KEY_MAX {
            word_keys(text, out);
        }
    }
}

/// Names longer than this without spaces are not indexed that way.
const COMPACT_KEY_MAX: usize = 24;

/// Listed words written apart that a query may write together (`RUNG RA 2` / `Rungra 2`,
/// `RUNG RA DO` / `Rungrado`): the joins of two or three adjacent words, as written and as
/// compared, up to [`JOIN_MAX`] letters (a query's long words are also split, but a split only
/// finds the listed words of three letters or more).
fn join_keys(name: &NormalizedName, out: &mut Vec<u64>) {
    let tokens = &name.tokens;
    for start in 0..tokens.len() {
        for run in 2..=3 {
            let Some(parts) = tokens.get(start..start + run) else {
                break;
            };
            if parts
                .iter()
                .any(|t| !matches!(t.class, TokenClass::Word | TokenClass::Particle))
            {
                break;
            }
            let folded: String = parts.iter().map(|t| t.folded.as_str()).collect();
            let text: String = parts.iter().map(|t| t.text.as_str()).collect();
            if folded.chars().count() > JOIN_MAX {
                break;
            }
            out.push(hash(WORD, &folded));
            if text != folded {
                out.push(hash(WORD, &text));
            }
        }
    }
}

/// The longest join of listed words indexed.
const JOIN_MAX: usize = 12;

/// Query words this long or longer are also probed as two words written together.
const SPLIT_MIN: usize = 8;

/// The weight of a name's tokens that have index keys (all tokens when none has).
fn key_weight(name: &NormalizedName) -> f64 {
    let any_indexable = name.tokens.iter().any(|t| indexable(t.class));
    name.tokens
        .iter()
        .filter(|t| indexable(t.class) || !any_indexable)
        .map(|t| TUNING.weight(t))
        .sum()
}

/// Keys to look up for one query token (or one part of it), and the weight a hit covers.
#[derive(Debug)]
struct Probe {
    /// Hits of the same probe id count once per name.
    id: u32,
    weight: f64,
    keys: Vec<u64>,
}

/// The probes of a query: each token worth probing with its exact and deletion keys, the join
/// with the next token and the acronym key; and for long tokens, the halves of every split, as
/// two probes that cover half the token's weight each.
fn query_probes(query: &NormalizedName) -> Vec<Probe> {
    let any_indexable = query.tokens.iter().any(|t| indexable(t.class));
    let mut probes = Vec::new();
    let mut next_id = 0u32;
    let mut id = || {
        next_id += 1;
        next_id - 1
    };
    for (i, token) in query.tokens.iter().enumerate() {
        if !(indexable(token.class) || (!any_indexable && token.class != TokenClass::Initial)) {
            continue;
        }
        let weight = TUNING.weight(token);
        let mut keys = Vec::new();
        if token.class == TokenClass::Number {
            keys.push(hash(WORD, &token.text));
        } else {
            word_keys(&token.text, &mut keys);
            if token.folded != token.text {
                word_keys(&token.folded, &mut keys);
            }
            let len = token.len();
            // An acronym of the listed name (`PLA`).
            if query.tokens.len() == 1 && (3..=8).contains(&len) {
                keys.push(hash(ACRONYM, &token.text));
            }
            // A long word may be two written together (`VladimirPutin`).
            if len >= SPLIT_MIN {
                let (mut heads, mut tails) = (Vec::new(), Vec::new());
                let offsets: Vec<usize> = token.text.char_indices().map(|(i, _)| i).collect();
                for split in 3..=len - 3 {
                    let Some(&at) = offsets.get(split) else { break };
                    if split <= KEYED_MAX_LEN
                        && let Some(head) = token.text.get(..at)
                    {
                        heads.push(hash(WORD, head));
                    }
                    if len - split <= KEYED_MAX_LEN
                        && let Some(tail) = token.text.get(at..)
                    {
                        tails.push(hash(WORD, tail));
                    }
                }
                // Roughly half the word each.
                probes.push(Probe {
                    id: id(),
                    weight: weight / 2.0,
                    keys: heads,
                });
                probes.push(Probe {
                    id: id(),
                    weight: weight / 2.0,
                    keys: tails,
                });
            }
        }
        // This word and the next may be one in the list (`Good Will` / `GOODWILL`).
        if let Some(next) = query.tokens.get(i + 1)
            && indexable(next.class)
            && token.class != TokenClass::Number
        {
            probes.push(Probe {
                id: id(),
                weight: weight + TUNING.weight(next),
                keys: vec![hash(WORD, &format!("{}{}", token.folded, next.folded))],
            });
        }
        keys.sort_unstable();
        keys.dedup();
        probes.push(Probe {
            id: id(),
            weight,
            keys,
        });
    }
    // The query written without spaces may be a listed name so written, near enough.
    let mut keys = Vec::new();
    compact_keys(query, &mut keys);
    if !keys.is_empty() {
        keys.sort_unstable();
        keys.dedup();
        probes.push(Probe {
            id: id(),
            weight: key_weight(query),
            keys,
        });
    }
    // Words in the other script, by their consonants: one probe for each word's skeleton and
    // one for the whole name's.
    let mut skeletons = Vec::new();
    skeleton_keys(query, SKELETON_OF_LATIN, SKELETON_OF_ARABIC, &mut skeletons);
    let whole = skeletons.pop();
    let words = query.tokens.iter().filter(|t| indexable(t.class));
    for (token, key) in words.zip(skeletons) {
        probes.push(Probe {
            id: id(),
            weight: TUNING.weight(token),
            keys: vec![key],
        });
    }
    if let Some(key) = whole {
        probes.push(Probe {
            id: id(),
            weight: key_weight(query),
            keys: vec![key],
        });
    }
    // The query may be the words of a listed acronym (`Islamic Revolutionary Guard Corps`).
    if let Some(initials) = acronym(query) {
        probes.push(Probe {
            id: id(),
            weight: key_weight(query),
            keys: vec![hash(WORD, &initials)],
        });
    }
    probes
}

/// The initials of a name's words, when there are 3 to 8 of them: what an acronym of the name
/// would be (`IRGC` for Islamic Revolutionary Guard Corps).
fn acronym(name: &NormalizedName) -> Option<String> {
    let initials: String = name
        .tokens
        .iter()
        .filter(|t| matches!(t.class, TokenClass::Word | TokenClass::Patronymic))
        .filter_map(|t| t.chars.first())
        .collect();
    (3..=8)
        .contains(&initials.chars().count())
        .then_some(initials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_very_long_query_word_has_a_bounded_number_of_keys() {
        // Hashing every deletion and every split of a 100,000-letter word was quadratic.
        let query = Normalizer::shared().normalize(&"silverstar".repeat(10_000));
        let keys: usize = query_probes(&query).iter().map(|p| p.keys.len()).sum();
        assert!(keys <= 2 * KEYED_MAX_LEN + 2, "{keys} keys");
    }

    #[test]
    fn index_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<ScreeningIndex>();
    }

    #[test]
    fn identifier_forms_pick_numbers_out_of_text() {
        assert_eq!(
            identifier_forms("Passport 927220230 (Korea, North)"),
            ["PASSPORT927220230KOREANORTH", "927220230"]
        );
        assert_eq!(
            identifier_forms("91222401MA0Y31E659"),
            ["91222401MA0Y31E659"]
        );
    }
}
