//! Screening the parties of a decision: each entity that is not itself on a list is matched by
//! its names against the listed ones, once, and the matches stand in for designations.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{Match, ScreeningIndex, ScreeningOptions};
use crate::facts::{EntityIndex, Facts};

/// The most list entries one entity is matched to.
const MATCHES_PER_ENTITY: usize = 5;

/// One entity's matches against the lists, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityMatch {
    /// The entity's own name or alias that matched.
    pub query: String,
    /// The list entry it matched, with why.
    pub hit: Match,
}

/// A screening index over the listed entities of one store, a threshold, and a cache of the
/// matches found for each entity. Shared by every decision on that store.
#[derive(Debug)]
pub struct Screening {
    index: ScreeningIndex,
    threshold: f64,
    cache: Mutex<HashMap<EntityIndex, Arc<[EntityMatch]>>>,
}

impl Screening {
    /// Indexes the designated entities of `facts`; matches scoring below `threshold` are ignored.
    pub fn new(facts: &Facts, threshold: f64) -> Screening {
        Screening {
            index: ScreeningIndex::build(facts, &ScreeningOptions::default()),
            threshold,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The score at or above which names match.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The list entries other than itself that `entity` matches by any of its names, best first.
    pub fn matches(&self, facts: &Facts, entity: EntityIndex) -> Arc<[EntityMatch]> {
        if let Ok(cache) = self.cache.lock()
            && let Some(found) = cache.get(&entity)
        {
            return Arc::clone(found);
        }
        let found: Arc<[EntityMatch]> = self.search(facts, entity).into();
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(entity, Arc::clone(&found));
        }
        found
    }

    fn search(&self, facts: &Facts, entity: EntityIndex) -> Vec<EntityMatch> {
        let Some(record) = facts.entity(entity) else {
            return Vec::new();
        };
        let mut best: Vec<EntityMatch> = Vec::new();
        for query in std::iter::once(&record.name).chain(&record.aliases) {
            for hit in self.index.search(query, self.threshold, MATCHES_PER_ENTITY) {
                if hit.entity == entity {
                    continue;
                }
                match best.iter_mut().find(|m| m.hit.entity == hit.entity) {
                    Some(known) if known.hit.score >= hit.score => {}
                    Some(known) => {
                        *known = EntityMatch {
                            query: query.clone(),
                            hit,
                        }
                    }
                    None => best.push(EntityMatch {
                        query: query.clone(),
                        hit,
                    }),
                }
            }
        }
        best.sort_by(|a, b| {
            b.hit
                .score
                .total_cmp(&a.hit.score)
                .then(a.hit.entity.cmp(&b.hit.entity))
        });
        best.truncate(MATCHES_PER_ENTITY);
        best
    }
}
