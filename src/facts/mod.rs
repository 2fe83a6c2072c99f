//! Facts: the entity store (entities, relations, designations) and the transactions to decide.
//!
//! Facts arrive as YAML or JSON [`records`]; loading validates every reference and builds the
//! indexes a decision needs (id lookup, adjacency by relation kind, designations by entity) so that
//! evaluation never scans the whole store.

mod blocked_sets;
mod history;
mod identity;
mod indexes;
pub mod licences;
mod load;
mod ownership;
mod rates;
pub mod records;
mod render;
#[cfg(feature = "snapshot")]
mod snapshot;
#[cfg(feature = "snapshot")]
mod snapshot_writer;
mod stored;
mod strict;
mod tables;
mod traversal;

use std::collections::HashMap;
use std::sync::Arc;

pub(crate) use blocked_sets::EntityAnswers;
pub use blocked_sets::{BlockedSets, CACHE_BYTES};
pub use identity::BirthDateError;
pub use licences::{LicenceIssuer, LicenceKind, LicenceRecord};
pub use load::{FactsError, FactsProblem, MAX_FACTS_BYTES, facts_limit, set_facts_limit};
pub use ownership::{Basis, Blocked, Regime, Stake};
pub use rates::{AppliedRate, is_currency_code};
pub use records::{Address, BirthDate, Gender, Identifier, IdentifierKind};
pub use records::{
    Amount, AttributeValue, ControlBasis, DesignationRecord, EntityKind, EntityRecord, FactSource,
    FactsDocument, ListSnapshot, Measure, PartyRecord, RateRecord, RelationKind, RelationRecord,
    TransactionRecord,
};
#[cfg(feature = "snapshot")]
pub use snapshot_writer::SnapshotWriter;
pub use tables::{EdgeIter, Edges};
pub use traversal::{Direction, Traversal};

use crate::date::Date;

/// Position of an entity in the store.
pub type EntityIndex = u32;
/// Position of a relation in the store.
pub type RelationIndex = u32;
/// Position of a designation in the store.
pub type DesignationIndex = u32;

/// A relation with its ends resolved to entity positions.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone)]
pub struct Relation {
    /// The id cited in explanations.
    pub id: String,
    /// The kind of relation.
    pub kind: RelationKind,
    /// The `from` entity.
    pub from: EntityIndex,
    /// The `to` entity.
    pub to: EntityIndex,
    /// The stake, for `owns`.
    pub percent: Option<f64>,
    /// The position held.
    pub role: Option<String>,
    /// First day in force.
    pub start: Option<Date>,
    /// First day no longer in force.
    pub end: Option<Date>,
    /// Who reported it.
    pub source: Option<FactSource>,
    /// For `controls`: what the control rests on, when stated.
    pub basis: Option<ControlBasis>,
}

impl Relation {
    /// Whether `from` is a parent of `to` in the sense that makes sister companies: it holds a
    /// majority (more than 50 %) or controls `to` on a stated basis other than a management role.
    /// A minority shareholder or a shared manager makes no sister (DESIGN: "Sister companies").
    pub fn makes_parent(&self) -> bool {
        match self.kind {
            RelationKind::Owns => self.percent.is_some_and(|p| p > 50.0),
            RelationKind::Controls => self
                .basis
                .is_some_and(|b| b != ControlBasis::ManagementRole),
            _ => false,
        }
    }

    /// Whether the relation held on `day`.
    pub fn holds_on(&self, day: Date) -> bool {
        self.start.is_none_or(|start| start <= day) && self.end.is_none_or(|end| day < end)
    }
}

/// A designation with its entity resolved.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone)]
pub struct Designation {
    /// The designated entity.
    pub entity: EntityIndex,
    /// The list it is on.
    pub list: String,
    /// Its program tags.
    pub programs: Vec<String>,
    /// The day it was listed.
    pub listed_on: Option<Date>,
    /// The day it was removed.
    pub delisted_on: Option<Date>,
    /// The list's reference.
    pub reference: Option<String>,
    /// The snapshot or document it was read from.
    pub source: Option<FactSource>,
    /// Without `listed_on`: a day by which the entry was listed.
    pub listed_by: Option<Date>,
    /// Without `listed_on`: the last day the entry is known not to have been listed.
    pub unlisted_on: Option<Date>,
    /// What the listing imposes.
    pub measure: Measure,
    /// For a sectoral listing, its directive.
    pub directive: Option<String>,
}

/// Whether a list entry was in force on a day, when its listing date may be unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// In force that day.
    InForce,
    /// Not in force: listed later (known) or removed before.
    NotInForce,
    /// The listing date is unknown and the day falls before the first snapshot that shows the
    /// entry (and after the last that does not): it may or may not have been in force.
    Unknown {
        /// The last day it is known not to have been listed, if any.
        after: Option<Date>,
        /// The day by which it was listed.
        by: Date,
    },
}

impl Designation {
    /// Whether the listing freezes the person's property (only an asset freeze does).
    pub fn blocks(&self) -> bool {
        self.measure.blocks()
    }

    /// Whether the entry was in force on `day`. An entry without a listing date counts as in force:
    /// an unknown date must not release a designated party.
    pub fn in_force_on(&self, day: Date) -> bool {
        self.listed_on.is_none_or(|listed| listed <= day)
            && self.delisted_on.is_none_or(|delisted| day < delisted)
            && self
                .unlisted_on
                .is_none_or(|unlisted| day > unlisted || self.listed_on.is_some())
    }

    /// Whether the entry was in force on `day`, saying so when its listing date is unknown: an
    /// entry known only from a snapshot published after `day` is [`Listing::Unknown`], and a
    /// decision that relies on it fails closed to review.
    pub fn listing_on(&self, day: Date) -> Listing {
        if !self.in_force_on(day) {
            return Listing::NotInForce;
        }
        match (self.listed_on, self.listed_by) {
            (None, Some(by)) if day < by => Listing::Unknown {
                after: self.unlisted_on,
                by,
            },
            _ => Listing::InForce,
        }
    }
}

/// A party to a transaction.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone)]
pub struct Party {
    /// Its role, such as `beneficiary`.
    pub role: String,
    /// The entity.
    pub entity: EntityIndex,
}

/// A transaction with its parties resolved.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone)]
pub struct Transaction {
    /// Its id.
    pub id: String,
    /// `payment`, `invoice`, `contract`...
    pub kind: String,
    /// The day it takes effect.
    pub date: Date,
    /// The sum, if any.
    pub amount: Option<Amount>,
    /// Who takes part.
    pub parties: Vec<Party>,
    /// Free-form facts.
    pub attributes: std::collections::BTreeMap<String, AttributeValue>,
}

/// One end of a relation, stored with the entity it starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HalfEdge {
    kind: RelationKind,
    direction: Direction,
    /// The relation this half belongs to (sorting on it keeps file order).
    pub relation: RelationIndex,
    /// The entity at the other end.
    pub other: EntityIndex,
}

/// Loaded, validated and indexed facts. Cheap to share between threads; never changed after load.
///
/// With the `snapshot` feature the store, indexes included, is archived as it is (see
/// [`Facts::write_snapshot`]), and an opened snapshot decodes its records only when read. The
/// blocked sets decisions share are cached outside it, in a [`crate::Store`] or for one batch
/// ([`BlockedSets`]).
#[derive(Debug, Clone)]
pub struct Facts {
    name: String,
    /// Shared with every decision taken on these facts, which names it without a copy.
    digest: Arc<str>,
    entities: stored::Records<EntityRecord>,
    entity_index: stored::IdIndex,
    relations: stored::Records<Relation>,
    designations: stored::Records<Designation>,
    /// `designation_offsets[e]..designation_offsets[e + 1]` indexes `designation_order`.
    designation_offsets: tables::U32s,
    designation_order: tables::U32s,
    /// `edge_offsets[e]..edge_offsets[e + 1]` are entity `e`'s half-edges, sorted by kind.
    edge_offsets: tables::U32s,
    edges: tables::EdgeTable,
    /// Per entity, one bit per (kind, direction) it has half-edges of (see [`edge_group`]): most
    /// walks ask for kinds an entity has none of, and answer here without a search.
    edge_groups: tables::U32s,
    transactions: Vec<Transaction>,
    transaction_index: HashMap<String, usize>,
    /// Every date on which a designation or relation starts or ends, sorted and distinct.
    change_days: Vec<Date>,
    /// The list snapshots the facts were built from.
    snapshots: Vec<ListSnapshot>,
    /// Licences transactions may rely on, in file order.
    licences: Vec<LicenceRecord>,
    /// Each entity's transactions by date, for rules reading a party's earlier transactions.
    history: history::History,
    /// The names of the lists the designations come from, sorted and distinct.
    lists: Vec<String>,
    /// Exchange rates, sorted by pair and day.
    rates: Vec<RateRecord>,
}

impl Facts {
    /// The name the facts were loaded under (usually the file path).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// SHA-256 of the facts as loaded, so a decision can say which snapshot it used.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The digest as decisions hold it, shared rather than copied.
    pub(crate) fn shared_digest(&self) -> Arc<str> {
        Arc::clone(&self.digest)
    }

    /// The list snapshots imported into these facts, in the order given.
    pub fn snapshots(&self) -> &[ListSnapshot] {
        &self.snapshots
    }

    /// The exchange rates, sorted by currency pair and day.
    pub fn rates(&self) -> &[RateRecord] {
        &self.rates
    }

    /// The rate converting `from` into `to` on `day`: the latest dated on or before it, given
    /// either way round (a EUR/USD rate converts dollars into euros at its inverse).
    pub fn rate(&self, from: &str, to: &str, day: Date) -> Option<AppliedRate<'_>> {
        rates::find(&self.rates, from, to, day)
    }

    /// The entity at `index`.
    pub fn entity(&self, index: EntityIndex) -> Option<&EntityRecord> {
        self.entities.get(index)
    }

    /// The position of the entity with id `id`.
    pub fn entity_index(&self, id: &str) -> Option<EntityIndex> {
        self.entity_index.find(id, &self.entities)
    }

    /// How many entities the store holds.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// The relation at `index`.
    pub fn relation(&self, index: RelationIndex) -> Option<&Relation> {
        self.relations.get(index)
    }

    /// The designation at `index`.
    pub fn designation(&self, index: DesignationIndex) -> Option<&Designation> {
        self.designations.get(index)
    }

    /// The designations of `entity`, in file order, whatever their dates.
    pub fn designations_of(
        &self,
        entity: EntityIndex,
    ) -> impl Iterator<Item = (DesignationIndex, &Designation)> {
        let range = self.designation_offsets.range(entity);
        self.designation_order
            .rows()
            .get(range)
            .unwrap_or_default()
            .iter()
            .map(|row| DesignationIndex::from_le_bytes(*row))
            .filter_map(|d| Some((d, self.designations.get(d)?)))
    }

    /// `entity`'s half-edges of one kind and direction, in file order.
    pub fn neighbours(
        &self,
        entity: EntityIndex,
        kind: RelationKind,
        direction: Direction,
    ) -> Edges<'_> {
        let has_group = self
            .edge_groups
            .get(entity as usize)
            .is_some_and(|groups| groups & edge_group(kind, direction) != 0);
        if !has_group {
            return Edges::none(kind, direction);
        }
        self.edges
            .group(self.edge_offsets.range(entity), kind, direction)
    }

    /// Whether any designation, of any date, comes from `list`: a regime that reads none of
    /// the lists present cannot assess anyone.
    pub fn has_list(&self, list: &str) -> bool {
        self.lists
            .binary_search_by(|l| l.as_str().cmp(list))
            .is_ok()
    }

    /// Every licence, in file order.
    pub fn licences(&self) -> &[LicenceRecord] {
        &self.licences
    }

    /// Every transaction, in file order.
    pub fn transactions(&self) -> &[Transaction] {
        &self.transactions
    }

    /// The transaction with id `id`.
    pub fn transaction(&self, id: &str) -> Option<&Transaction> {
        self.transaction_index
            .get(id)
            .and_then(|&i| self.transactions.get(i))
    }
}

/// A map keyed by entity position, hashed cheaply: positions are small integers the store
/// assigns itself, so no one can choose keys that collide, and SipHash's protection (and cost,
/// paid on every `is blocked` test) buys nothing.
pub(crate) type PositionMap<V> =
    HashMap<EntityIndex, V, std::hash::BuildHasherDefault<PositionHasher>>;

/// The multiplicative hash rustc uses for its own integer-keyed tables (FxHash).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PositionHasher(u64);

impl PositionHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl std::hash::Hasher for PositionHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.add(u64::from(byte));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
}

/// The bit of a (kind, direction) pair in [`Facts`]' per-entity edge groups.
fn edge_group(kind: RelationKind, direction: Direction) -> u32 {
    1 << tables::group_index(kind, direction)
}

/// Builds compressed offsets for `count` buckets from `(bucket, item)` pairs sorted by bucket.
fn compress(count: usize, buckets: impl Iterator<Item = EntityIndex>) -> Vec<u32> {
    let mut offsets = vec![0u32; count + 1];
    for bucket in buckets {
        if let Some(slot) = offsets.get_mut(bucket as usize + 1) {
            *slot += 1;
        }
    }
    for i in 1..offsets.len() {
        offsets[i] += offsets[i - 1];
    }
    offsets
}
