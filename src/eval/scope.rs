//! What one decision can see: the store's facts, and the parties a request describes inline
//! rather than by store id, each screened against the store once.
//!
//! Inline parties take the entity positions after the store's last entity. They have no
//! designations or relations of their own (the store's indexes return nothing for a position
//! past its end), so only their records and their name matches need a place here, and the
//! store is never rebuilt or re-indexed to decide a payment to someone it has not seen.

use std::ops::Deref;
use std::sync::Arc;

use crate::facts::{EntityIndex, EntityRecord, Facts};
use crate::screen::{EntityMatch, Screening};

/// The store's facts plus a request's inline parties.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope<'a> {
    facts: &'a Facts,
    inline: &'a [EntityRecord],
    /// The name matches of each inline party, in the order of `inline`; empty without screening.
    inline_matches: &'a [Arc<[EntityMatch]>],
}

impl<'a> Scope<'a> {
    /// The store alone: every party is a store entity.
    pub(crate) fn store(facts: &'a Facts) -> Self {
        Scope {
            facts,
            inline: &[],
            inline_matches: &[],
        }
    }

    /// The store with a request's inline parties and their name matches.
    pub(crate) fn with_inline(
        facts: &'a Facts,
        inline: &'a [EntityRecord],
        inline_matches: &'a [Arc<[EntityMatch]>],
    ) -> Self {
        Scope {
            facts,
            inline,
            inline_matches,
        }
    }

    /// The entity at `index`, in the store or inline.
    pub(crate) fn entity(&self, index: EntityIndex) -> Option<&'a EntityRecord> {
        match self.inline_position(index) {
            Some(position) => self.inline.get(position),
            None => self.facts.entity(index),
        }
    }

    /// The list entries `entity` matches by name: from the screening's shared cache for a store
    /// entity, as screened when the request was read for an inline one.
    pub(crate) fn matches(&self, screening: &Screening, entity: EntityIndex) -> Arc<[EntityMatch]> {
        match self.inline_position(entity) {
            Some(position) => self
                .inline_matches
                .get(position)
                .cloned()
                .unwrap_or_else(|| Arc::from(Vec::new())),
            None => screening.matches(self.facts, entity),
        }
    }

    /// Whether a request described parties inline: their entities are not the store's.
    pub(crate) fn has_inline(&self) -> bool {
        !self.inline.is_empty()
    }

    /// The position of `index` among the inline parties, if it is one.
    fn inline_position(&self, index: EntityIndex) -> Option<usize> {
        (index as usize).checked_sub(self.facts.entity_count())
    }
}

impl Deref for Scope<'_> {
    type Target = Facts;

    fn deref(&self) -> &Facts {
        self.facts
    }
}
