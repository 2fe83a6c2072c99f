//! How a store holds its large record sections (entities, relations, designations) and finds an
//! entity by id: as records loaded into memory, or, for an opened snapshot, as archived chunks
//! decoded on first use and a sorted table of id hashes read in place. Opening a snapshot then
//! costs what its indexes cost, not what its records cost: a decision touches a few dozen
//! entities of millions.

use std::collections::HashMap;

#[cfg(feature = "snapshot")]
use super::tables::Table;
use super::{EntityIndex, EntityRecord};

/// One section of records, by position.
#[derive(Debug, Clone)]
pub(super) enum Records<T> {
    /// Every record in memory, in file order.
    Loaded(Vec<T>),
    /// The records of an opened snapshot, decoded chunk by chunk when first read.
    #[cfg(feature = "snapshot")]
    Archived(std::sync::Arc<super::snapshot::Chunked<T>>),
}

impl<T: Record> Records<T> {
    /// The record at `index`, if there is one (and, in a snapshot, its chunk is intact).
    pub(super) fn get(&self, index: u32) -> Option<&T> {
        match self {
            Records::Loaded(records) => records.get(index as usize),
            #[cfg(feature = "snapshot")]
            Records::Archived(chunks) => chunks.get(index),
        }
    }

    /// How many records the section holds.
    pub(super) fn len(&self) -> usize {
        match self {
            Records::Loaded(records) => records.len(),
            #[cfg(feature = "snapshot")]
            Records::Archived(chunks) => chunks.len(),
        }
    }

    /// Every record in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &T> {
        (0..self.len() as u32).filter_map(|index| self.get(index))
    }
}

/// A record type a snapshot archives in chunks. Implemented by the three record sections, so
/// the archive's validation and decoding are spelled once per concrete type.
pub(super) trait Record: Sized + Clone + Send + Sync {
    /// The records of one archived chunk, validated before they are decoded.
    #[cfg(feature = "snapshot")]
    fn decode_chunk(bytes: &[u8]) -> Result<Vec<Self>, rkyv::rancor::Error>;

    /// One chunk of records as an archive.
    #[cfg(feature = "snapshot")]
    fn encode_chunk(records: Vec<Self>) -> Result<rkyv::util::AlignedVec, rkyv::rancor::Error>;

    /// How many records an archived chunk holds, validating it without decoding it.
    #[cfg(feature = "snapshot")]
    fn check_chunk(bytes: &[u8]) -> Result<usize, rkyv::rancor::Error>;
}

macro_rules! record {
    ($($record:ty),*) => {$(
        impl Record for $record {
            #[cfg(feature = "snapshot")]
            fn decode_chunk(bytes: &[u8]) -> Result<Vec<Self>, rkyv::rancor::Error> {
                rkyv::from_bytes::<Vec<$record>, rkyv::rancor::Error>(bytes)
            }

            #[cfg(feature = "snapshot")]
            fn encode_chunk(
                records: Vec<Self>,
            ) -> Result<rkyv::util::AlignedVec, rkyv::rancor::Error> {
                rkyv::to_bytes::<rkyv::rancor::Error>(&records)
            }

            #[cfg(feature = "snapshot")]
            fn check_chunk(bytes: &[u8]) -> Result<usize, rkyv::rancor::Error> {
                rkyv::access::<rkyv::Archived<Vec<$record>>, rkyv::rancor::Error>(bytes)
                    .map(|records| records.len())
            }
        }
    )*};
}

record!(EntityRecord, super::Relation, super::Designation);

/// Finds an entity's position by its id.
#[derive(Debug, Clone)]
pub(super) enum IdIndex {
    /// A hash map built while loading.
    Map(HashMap<String, EntityIndex>),
    /// A snapshot's `(hash of the id, position)` pairs, sorted: searched in place, each candidate
    /// confirmed against the entity's own id, so a hash shared by two ids finds the right one.
    #[cfg(feature = "snapshot")]
    Hashed(IdTable),
}

impl IdIndex {
    /// The position of the entity with id `id` among `entities`.
    #[cfg_attr(
        not(feature = "snapshot"),
        expect(
            unused_variables,
            reason = "only a snapshot's hashed ids are confirmed against the entities"
        )
    )]
    pub(super) fn find(&self, id: &str, entities: &Records<EntityRecord>) -> Option<EntityIndex> {
        match self {
            IdIndex::Map(map) => map.get(id).copied(),
            #[cfg(feature = "snapshot")]
            IdIndex::Hashed(table) => {
                let hash = id_hash(id);
                let slots = table.rows();
                let start = slots.partition_point(|row| IdSlot::from_row(row).hash < hash);
                slots
                    .get(start..)?
                    .iter()
                    .map(IdSlot::from_row)
                    .take_while(|slot| slot.hash == hash)
                    .map(|slot| slot.entity)
                    .find(|&entity| entities.get(entity).is_some_and(|e| e.id == id))
            }
        }
    }
}

/// A snapshot's table of id slots: each the id's hash and the entity's position, little-endian.
#[cfg(feature = "snapshot")]
pub(super) type IdTable = Table<8>;

/// The sorted `(hash, position)` pairs a snapshot stores for the ids of `entities`.
#[cfg(feature = "snapshot")]
pub(super) fn id_slots(entities: &Records<EntityRecord>) -> IdTable {
    let slots: Vec<IdSlot> = (0u32..)
        .zip(entities.iter())
        .map(|(entity, record)| IdSlot::of(&record.id, entity))
        .collect();
    id_table(slots)
}

/// The table of `slots`, in the order a snapshot stores and searches them.
#[cfg(feature = "snapshot")]
pub(super) fn id_table(mut slots: Vec<IdSlot>) -> IdTable {
    slots.sort_unstable_by_key(|slot| (slot.hash, slot.entity));
    Table::encode(slots.into_iter(), IdSlot::to_row)
}

/// An entity id's hash and the entity's position, as a snapshot stores them.
#[cfg(feature = "snapshot")]
#[derive(Debug, Clone, Copy)]
pub(super) struct IdSlot {
    hash: u32,
    entity: EntityIndex,
}

#[cfg(feature = "snapshot")]
impl IdSlot {
    /// The slot of the entity at `entity` whose id is `id`.
    pub(super) fn of(id: &str, entity: EntityIndex) -> IdSlot {
        IdSlot {
            hash: id_hash(id),
            entity,
        }
    }

    fn from_row(row: &[u8; 8]) -> IdSlot {
        let [h0, h1, h2, h3, e0, e1, e2, e3] = *row;
        IdSlot {
            hash: u32::from_le_bytes([h0, h1, h2, h3]),
            entity: u32::from_le_bytes([e0, e1, e2, e3]),
        }
    }

    fn to_row(self) -> [u8; 8] {
        let [h0, h1, h2, h3] = self.hash.to_le_bytes();
        let [e0, e1, e2, e3] = self.entity.to_le_bytes();
        [h0, h1, h2, h3, e0, e1, e2, e3]
    }
}

/// FNV-1a over the id's bytes, folded to 32 bits: fixed by the snapshot format (unlike the
/// standard library's hasher), so a file written on one machine is searched the same on another.
#[cfg(feature = "snapshot")]
fn id_hash(id: &str) -> u32 {
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    (hash >> 32) as u32 ^ hash as u32
}
