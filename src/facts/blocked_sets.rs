//! The blocked sets a store's decisions share: one per regime and epoch, within a memory budget,
//! and each epoch after a regime's first kept as its differences from that first one; and, in
//! the same budget, the entities for which a rule that reads only the store was found false.
//!
//! A server deciding payments dated over months asks for the set of many days. Days between two
//! consecutive changes (a designation or relation starting or ending) share one epoch, hence one
//! set; and sets of different epochs differ only below the designations and relations that
//! changed, so most of a 200,000-company set is the same from one epoch to the next. Kept whole,
//! 90 distinct days held 90 copies (46 MB each); kept as differences, the first set is held once
//! and each later epoch costs what changed.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::{Blocked, EntityIndex, Facts, Regime};
use crate::date::Date;

/// The default budget of [`BlockedSets`]: 256 MiB of cached sets, first sets and differences
/// together.
pub const CACHE_BYTES: usize = 256 << 20;

/// Blocked sets computed so far, by regime and epoch (see [`Facts::epoch`]), and what each
/// policy set's rules answered for each entity on each epoch, bounded by the bytes they hold:
/// past the budget the cache starts afresh, losing nothing but time. A
/// [`crate::Store`] holds one for the decisions taken on it; a batch decided without a store
/// shares one for the batch.
#[derive(Debug)]
pub struct BlockedSets {
    cached: Mutex<Cached>,
    budget: usize,
}

#[derive(Debug, Default)]
struct Cached {
    /// For each regime: its first set, which later epochs are kept as differences from, and the
    /// set of each epoch (the first set itself, or differences over it).
    regimes: HashMap<Regime, Epochs>,
    /// Answers about single entities, by asker and epoch.
    answers: HashMap<(u64, usize), Arc<EntityAnswers>, BuildHasherDefault<KeyHasher>>,
    /// The bytes held by every first set, every set of differences and every table of answers.
    bytes: usize,
}

impl Cached {
    /// Drops everything, when what is to be kept would pass the budget.
    fn start_afresh(&mut self) {
        self.regimes.clear();
        self.answers.clear();
        self.bytes = 0;
    }
}

/// Hashes the (asker, epoch) keys of the answers, looked up once a decision: two integers the
/// engine chose, where SipHash's defence against keys chosen by an attacker buys nothing and
/// costs a hundred instructions a decision. A multiply and rotate per word (as FxHash does).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// For one asker (a policy set) and one epoch: for each of its questions (a rule) that depends
/// on a single entity and the store alone, the entities known to answer no. A payment switch
/// sees the same counterparties again and again; a rule that read a counterparty's
/// designations and relations once on a day need not walk them again until they change.
///
/// Only "no" is kept: a rule that fires is evaluated in full for its evidence, and a rule that
/// failed is asked again. Bits are set and read without a lock; a bit read before another
/// thread set it costs an evaluation, never a wrong answer.
#[derive(Debug)]
pub(crate) struct EntityAnswers {
    /// One row of bits over the store's entities per question, absent for questions that do
    /// not depend on a single entity alone.
    rows: Vec<Option<Box<[AtomicU64]>>>,
    /// How many entities the store holds: others have no bit.
    entities: usize,
}

impl EntityAnswers {
    fn new(questions: &[bool], entities: usize) -> EntityAnswers {
        let words = entities.div_ceil(64);
        let row = || (0..words).map(|_| AtomicU64::new(0)).collect();
        EntityAnswers {
            rows: questions.iter().map(|&asked| asked.then(row)).collect(),
            entities,
        }
    }

    /// Whether `entity` is known to answer no to `question`.
    pub(crate) fn known_false(&self, question: usize, entity: EntityIndex) -> bool {
        self.word(question, entity)
            .is_some_and(|(word, bit)| word.load(Ordering::Relaxed) & bit != 0)
    }

    /// Records that `entity` answers no to `question`; ignored for a question without a row or
    /// an entity outside the store.
    pub(crate) fn remember_false(&self, question: usize, entity: EntityIndex) {
        // Read first: most entities asked about again are already known, and a read is
        // cheaper than a locked write to a line other threads share.
        if let Some((word, bit)) = self.word(question, entity)
            && word.load(Ordering::Relaxed) & bit == 0
        {
            word.fetch_or(bit, Ordering::Relaxed);
        }
    }

    fn word(&self, question: usize, entity: EntityIndex) -> Option<(&AtomicU64, u64)> {
        if entity as usize >= self.entities {
            return None;
        }
        let row = self.rows.get(question)?.as_deref()?;
        let word = row.get(entity as usize / 64)?;
        Some((word, 1u64 << (entity % 64)))
    }

    fn approximate_bytes(&self) -> usize {
        self.rows
            .iter()
            .flatten()
            .map(|row| row.len() * std::mem::size_of::<AtomicU64>())
            .sum()
    }
}

#[derive(Debug)]
struct Epochs {
    first: Arc<Blocked>,
    sets: HashMap<usize, Arc<Blocked>>,
}

impl Default for BlockedSets {
    fn default() -> Self {
        BlockedSets::with_budget(CACHE_BYTES)
    }
}

impl BlockedSets {
    /// An empty cache holding at most about `bytes` of blocked sets.
    pub fn with_budget(bytes: usize) -> BlockedSets {
        BlockedSets {
            cached: Mutex::new(Cached::default()),
            budget: bytes,
        }
    }

    /// The entities blocked under `regime` on `day` in `facts`, computed once per regime and
    /// epoch while the cache holds it. The cache must only ever be asked about the same facts.
    pub fn get(&self, facts: &Facts, regime: &Regime, day: Date) -> Arc<Blocked> {
        let epoch = facts.epoch(day);
        let first = match self.cached.lock() {
            Ok(cached) => match cached.regimes.get(regime) {
                Some(epochs) => match epochs.sets.get(&epoch) {
                    Some(found) => return Arc::clone(found),
                    None => Some(Arc::clone(&epochs.first)),
                },
                None => None,
            },
            Err(_) => None,
        };
        let computed = facts.compute_blocked(regime, day);
        // A later epoch is kept as its differences from the first, unless most of it changed.
        let set = match first {
            Some(first) => {
                let changes = computed.changes_from(&first);
                if changes.approximate_bytes() < computed.approximate_bytes() / 2 {
                    changes
                } else {
                    computed
                }
            }
            None => computed,
        };
        let set = Arc::new(set);
        self.keep(regime, epoch, &set);
        set
    }

    /// Adds `set` to the cache, starting afresh when it would pass the budget.
    fn keep(&self, regime: &Regime, epoch: usize, set: &Arc<Blocked>) {
        let Ok(mut cached) = self.cached.lock() else {
            return;
        };
        let bytes = set.approximate_bytes();
        if cached.bytes + bytes > self.budget {
            cached.start_afresh();
        }
        // A set larger than the whole budget is used and not kept.
        if bytes > self.budget {
            return;
        }
        let cached = &mut *cached;
        match cached.regimes.entry(regime.clone()) {
            Entry::Occupied(mut epochs) => {
                let epochs = epochs.get_mut();
                // Differences are kept only beside the very set they are over.
                if set.is_changes() && !set.changes_over(&epochs.first) {
                    return;
                }
                if epochs.sets.insert(epoch, Arc::clone(set)).is_none() {
                    cached.bytes += bytes;
                }
            }
            // A fresh start dropped the first set these differences are over: they are used and
            // not kept, and the next whole set becomes the first.
            Entry::Vacant(_) if set.is_changes() => {}
            Entry::Vacant(slot) => {
                slot.insert(Epochs {
                    first: Arc::clone(set),
                    sets: HashMap::from([(epoch, Arc::clone(set))]),
                });
                cached.bytes += bytes;
            }
        }
    }

    /// The answers `asker` (a key unique to one policy set) has kept for `facts` on days of
    /// `epoch`, for the questions marked in `questions`: made empty on first use, and `None`
    /// when a table would not fit the budget at all.
    pub(crate) fn answers(
        &self,
        facts: &Facts,
        asker: u64,
        epoch: usize,
        questions: &[bool],
    ) -> Option<Arc<EntityAnswers>> {
        let mut cached = self.cached.lock().ok()?;
        if let Some(found) = cached.answers.get(&(asker, epoch)) {
            return Some(Arc::clone(found));
        }
        let made = Arc::new(EntityAnswers::new(questions, facts.entity_count()));
        let bytes = made.approximate_bytes();
        if bytes > self.budget {
            return None;
        }
        if cached.bytes + bytes > self.budget {
            cached.start_afresh();
        }
        cached.bytes += bytes;
        cached.answers.insert((asker, epoch), Arc::clone(&made));
        Some(made)
    }

    /// How many bytes the cached sets and answers hold, roughly (see
    /// [`Blocked::approximate_bytes`]).
    pub fn bytes(&self) -> usize {
        self.cached.lock().map_or(0, |cached| cached.bytes)
    }

    /// How many (regime, epoch) sets are cached.
    pub fn len(&self) -> usize {
        self.cached.lock().map_or(0, |cached| {
            cached.regimes.values().map(|e| e.sets.len()).sum()
        })
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
