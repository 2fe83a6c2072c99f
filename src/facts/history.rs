//! Each entity's transactions in date order, so that a rule reading a party's earlier payments
//! (structuring, velocity) finds those in its window by binary search rather than by scanning
//! every transaction of the facts.

use super::tables::U32s;
use super::{EntityIndex, Facts, Transaction};
use crate::date::Date;

/// Per entity, the transactions it takes part in (once each, whatever its roles), sorted by date
/// then file order, as `(date, position in the facts)`.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// `offsets[e]..offsets[e + 1]` indexes `entries` for entity `e`: a table, since it has a
    /// row for every entity of the store.
    offsets: U32s,
    entries: Vec<(Date, u32)>,
}

impl History {
    /// Indexes `transactions` over `entity_count` entities.
    pub(super) fn build(transactions: &[Transaction], entity_count: usize) -> History {
        let mut pairs: Vec<(EntityIndex, Date, u32)> = Vec::new();
        for (position, transaction) in (0u32..).zip(transactions) {
            let mut entities: Vec<EntityIndex> =
                transaction.parties.iter().map(|p| p.entity).collect();
            entities.sort_unstable();
            entities.dedup();
            pairs.extend(
                entities
                    .into_iter()
                    .map(|e| (e, transaction.date, position)),
            );
        }
        pairs.sort_unstable();
        let offsets = super::compress(entity_count, pairs.iter().map(|(e, _, _)| *e));
        History {
            offsets: U32s::of(&offsets),
            entries: pairs.into_iter().map(|(_, d, p)| (d, p)).collect(),
        }
    }

    /// The history from its offsets by entity and its entries, as a snapshot stores them.
    #[cfg(feature = "snapshot")]
    pub(super) fn from_parts(offsets: U32s, entries: Vec<(Date, u32)>) -> History {
        History { offsets, entries }
    }

    /// Its offsets by entity and its entries.
    #[cfg(feature = "snapshot")]
    pub(super) fn parts(&self) -> (&U32s, &[(Date, u32)]) {
        (&self.offsets, &self.entries)
    }
}

impl Facts {
    /// The transactions `entity` took part in dated from `from` (if given) up to and including
    /// `until`, oldest first, as positions in [`Facts::transactions`].
    pub fn transactions_of(
        &self,
        entity: EntityIndex,
        from: Option<Date>,
        until: Date,
    ) -> impl Iterator<Item = usize> + '_ {
        let history = &self.history;
        let own = history
            .entries
            .get(history.offsets.range(entity))
            .unwrap_or_default();
        let start = from.map_or(0, |from| own.partition_point(|(d, _)| *d < from));
        let end = own.partition_point(|(d, _)| *d <= until);
        own.get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|(_, position)| *position as usize)
    }
}
