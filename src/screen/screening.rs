//! Screening the parties of a decision: each entity that is not itself on a list is matched by
//! its names and identifiers against the listed ones, once; each match is assessed against the
//! party's other data (see [`assess`](super::assess)), and only a confirmed match stands in for
//! a designation.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::disposition::{AppliedDisposition, DispositionKind, Dispositions, fingerprint};
use super::finding::{Finding, Review};
use super::strength::{Assessment, Strength, assess};
use super::{Match, ScreeningIndex, ScreeningOptions};
use crate::date::Date;
use crate::facts::{EntityIndex, EntityRecord, Facts};

/// The most list entries one entity is matched to.
const MATCHES_PER_ENTITY: usize = 5;

/// One entity's match against the lists, with how strong it is.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityMatch {
    /// The entity's own name, alias or identifier that matched.
    pub query: String,
    /// The list entry it matched, with why.
    pub hit: Match,
    /// Confirmed, possible or contradicted, and what agrees, contradicts or is unknown.
    pub assessment: Assessment,
    /// The fingerprint of the list entry as it is now, for a reviewer's disposition.
    pub fingerprint: String,
    /// A reviewer's disposition of this alert, from the register, if any.
    pub disposition: Option<AppliedDisposition>,
}

impl EntityMatch {
    /// The match's strength from the data alone, before any reviewer's disposition.
    pub fn strength(&self) -> Strength {
        self.assessment.strength
    }

    /// The match's strength on `day`: a disposition that holds then decides (a false positive is
    /// cleared, a true match confirmed); otherwise the data do.
    pub fn strength_on(&self, day: Date) -> Strength {
        match &self.disposition {
            Some(d) if d.holds_on(day) => match d.record.disposition {
                DispositionKind::FalsePositive => Strength::Cleared,
                DispositionKind::TrueMatch => Strength::Confirmed,
            },
            _ => self.assessment.strength,
        }
    }

    /// The match as it stands on `day`, its assessment saying so when a reviewer's disposition
    /// decides it.
    pub fn on(&self, day: Date) -> EntityMatch {
        let mut effective = self.clone();
        if let Some(d) = self.disposition.as_ref().filter(|d| d.holds_on(day)) {
            effective.assessment.strength = self.strength_on(day);
            effective.assessment.agrees.push(Finding::Reviewed {
                review: Review::from(d),
            });
            effective.assessment.check.clear();
        }
        effective
    }
}

/// A screening index over the listed entities of one store, a threshold, and a cache of the
/// matches found for each entity. Shared by every decision on that store.
#[derive(Debug)]
pub struct Screening {
    index: ScreeningIndex,
    threshold: f64,
    dispositions: Dispositions,
    /// Read by every decision at once, written once per entity: a reader never waits for
    /// another reader.
    cache: RwLock<HashMap<EntityIndex, Arc<[EntityMatch]>>>,
}

impl Screening {
    /// Indexes the designated entities of `facts`; matches scoring below `threshold` are ignored.
    pub fn new(facts: &Facts, threshold: f64) -> Screening {
        Screening {
            index: ScreeningIndex::build(facts, &ScreeningOptions::default()),
            threshold,
            dispositions: Dispositions::default(),
            cache: RwLock::new(HashMap::new()),
        }
    }

    /// Applies a reviewer's register: cleared alerts stop firing, true matches count as
    /// confirmed, while the entry is unchanged and the disposition in force.
    pub fn with_dispositions(mut self, dispositions: Dispositions) -> Screening {
        self.dispositions = dispositions;
        if let Ok(mut cache) = self.cache.write() {
            cache.clear();
        }
        self
    }

    /// Screens every entity of `facts` now, so that deciding later only reads what was found:
    /// what a store loaded once and decided against thousands of times a second does, off the
    /// hot path (a file decided once is better served by screening only the parties it meets).
    /// With the `parallel` feature the entities are shared out over every core.
    pub fn screen_all(self, facts: &Facts) -> Screening {
        let count = EntityIndex::try_from(facts.entity_count()).unwrap_or(EntityIndex::MAX);
        #[cfg(feature = "parallel")]
        let found: Vec<(EntityIndex, Arc<[EntityMatch]>)> = {
            use rayon::prelude::*;
            (0..count)
                .into_par_iter()
                .map(|entity| (entity, self.search(facts, entity).into()))
                .collect()
        };
        #[cfg(not(feature = "parallel"))]
        let found: Vec<(EntityIndex, Arc<[EntityMatch]>)> = (0..count)
            .map(|entity| (entity, self.search(facts, entity).into()))
            .collect();
        let mut screening = self;
        if let Ok(cache) = screening.cache.get_mut() {
            cache.extend(found);
        }
        screening
    }

    /// The index of the listed entities, for screening names that are not parties (`interdict
    /// screen`, a service's screening route).
    pub fn index(&self) -> &ScreeningIndex {
        &self.index
    }

    /// The score at or above which names match.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The list entries other than itself that `entity` matches by any of its names or
    /// identifiers, strongest first (confirmed, possible, contradicted), then best score.
    pub fn matches(&self, facts: &Facts, entity: EntityIndex) -> Arc<[EntityMatch]> {
        if let Ok(cache) = self.cache.read()
            && let Some(found) = cache.get(&entity)
        {
            return Arc::clone(found);
        }
        let found: Arc<[EntityMatch]> = self.search(facts, entity).into();
        if let Ok(mut cache) = self.cache.write() {
            cache.insert(entity, Arc::clone(&found));
        }
        found
    }

    /// The list entries of `facts` that `record`, an entity the store does not hold (a
    /// payment's new counterparty), matches by any of its names or identifiers, ordered as
    /// [`matches`](Self::matches) orders them. Not cached: the record belongs to one request.
    pub fn matches_record(&self, facts: &Facts, record: &EntityRecord) -> Vec<EntityMatch> {
        self.search_record(facts, record, None)
    }

    fn search(&self, facts: &Facts, entity: EntityIndex) -> Vec<EntityMatch> {
        let Some(record) = facts.entity(entity) else {
            return Vec::new();
        };
        self.search_record(facts, record, Some(entity))
    }

    fn search_record(
        &self,
        facts: &Facts,
        record: &EntityRecord,
        skip: Option<EntityIndex>,
    ) -> Vec<EntityMatch> {
        let best = hits(
            &self.index,
            record,
            self.threshold,
            MATCHES_PER_ENTITY,
            skip,
        );
        let mut found: Vec<EntityMatch> = best
            .into_iter()
            .filter_map(|(query, hit)| {
                let listed = facts.entity(hit.entity)?;
                let assessment = assess(record, listed, hit.score);
                let disposition = self.dispositions.find(facts, record, hit.entity);
                Some(EntityMatch {
                    query,
                    fingerprint: fingerprint(listed),
                    hit,
                    assessment,
                    disposition,
                })
            })
            .collect();
        found.sort_by(|a, b| {
            b.strength()
                .cmp(&a.strength())
                .then(b.hit.score.total_cmp(&a.hit.score))
                .then(a.hit.entity.cmp(&b.hit.entity))
        });
        found.truncate(MATCHES_PER_ENTITY);
        found
    }
}

/// The best hit of each list entry that `record` matches by any of its names or identifiers, with
/// the name or identifier that found it; `skip` is the record's own position when it is in the
/// store screened.
pub(super) fn hits(
    index: &ScreeningIndex,
    record: &crate::facts::EntityRecord,
    threshold: f64,
    limit: usize,
    skip: Option<EntityIndex>,
) -> Vec<(String, Match)> {
    let mut best: Vec<(String, Match)> = Vec::new();
    let mut keep = |query: &str, hit: Match| {
        if Some(hit.entity) == skip {
            return;
        }
        match best.iter_mut().find(|(_, m)| m.entity == hit.entity) {
            Some((_, known)) if known.score >= hit.score => {}
            Some(known) => *known = (query.to_owned(), hit),
            None => best.push((query.to_owned(), hit)),
        }
    };
    for query in std::iter::once(&record.name).chain(&record.aliases) {
        for hit in index.search(query, threshold, limit) {
            keep(query, hit);
        }
    }
    for identifier in &record.identifiers {
        for hit in index.search_identifier(&identifier.value, limit) {
            keep(&identifier.value, hit);
        }
    }
    best
}
