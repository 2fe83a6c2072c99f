//! The indexes a store builds over its records (adjacency by entity, kind and direction;
//! designations by entity; the days on which anything changes; the lists present), spelled once
//! for both ways a store is built: loading a whole document ([`super::Facts::from_document`]) and
//! writing a snapshot from streamed records ([`super::SnapshotWriter`]). The two must give the
//! same bytes for the same records, so they share these functions.

use std::collections::HashMap;

use super::tables::{EdgeTable, U32s};
use super::{
    Designation, DesignationIndex, Direction, EntityIndex, HalfEdge, Relation, RelationIndex,
    Transaction, compress, edge_group,
};
use crate::date::Date;

/// The two halves of relation `index`, each keyed by the entity it starts from.
pub(super) fn half_edges(
    index: RelationIndex,
    relation: &Relation,
) -> [(EntityIndex, HalfEdge); 2] {
    let half = |direction, other| HalfEdge {
        kind: relation.kind,
        direction,
        relation: index,
        other,
    };
    [
        (relation.from, half(Direction::Outgoing, relation.to)),
        (relation.to, half(Direction::Incoming, relation.from)),
    ]
}

/// Every entity's half-edges, sorted by kind and direction, with the offsets and groups
/// [`super::Facts::neighbours`] reads.
pub(super) struct EdgeIndex {
    pub(super) offsets: U32s,
    pub(super) edges: EdgeTable,
    pub(super) groups: U32s,
}

/// Indexes the half-edges of every relation over `count` entities.
pub(super) fn edge_index(count: usize, mut edges: Vec<(EntityIndex, HalfEdge)>) -> EdgeIndex {
    sort_edges(&mut edges);
    let offsets = compress(count, edges.iter().map(|(entity, _)| *entity));
    let mut groups = vec![0u32; count];
    for (entity, half) in &edges {
        if let Some(slot) = groups.get_mut(*entity as usize) {
            *slot |= edge_group(half.kind, half.direction);
        }
    }
    let table = EdgeTable::of_edges(edges.iter().map(|(_, half)| half));
    drop(edges);
    EdgeIndex {
        offsets: U32s::of(&offsets),
        edges: table,
        groups: U32s::of(&groups),
    }
}

/// Sorts half-edges by entity, then kind and direction: on every core when it may, since a store
/// of a million entities has four million half-edges.
fn sort_edges(edges: &mut [(EntityIndex, HalfEdge)]) {
    #[cfg(feature = "parallel")]
    rayon::slice::ParallelSliceMut::par_sort_unstable(edges);
    #[cfg(not(feature = "parallel"))]
    edges.sort_unstable();
}

/// The designations of each entity in file order, from `(entity, designation)` pairs: the offsets
/// by entity and the designations in that order.
pub(super) fn designation_index(
    count: usize,
    mut order: Vec<(EntityIndex, DesignationIndex)>,
) -> (U32s, U32s) {
    order.sort_unstable();
    let offsets = compress(count, order.iter().map(|(entity, _)| *entity));
    let order: Vec<DesignationIndex> = order.into_iter().map(|(_, d)| d).collect();
    (U32s::of(&offsets), U32s::of(&order))
}

/// The days on which a designation starts or stops being in force.
pub(super) fn designation_days(designation: &Designation) -> [Option<Date>; 3] {
    [
        designation.listed_on,
        designation.delisted_on,
        designation.unlisted_on.map(Date::next_day),
    ]
}

/// The days on which a relation starts or stops holding.
pub(super) fn relation_days(relation: &Relation) -> [Option<Date>; 2] {
    [relation.start, relation.end]
}

/// Each transaction's position by its id. Rebuilt when a snapshot is opened rather than archived:
/// a hash map's archived layout follows its insertion order, which would make two snapshots of
/// the same facts differ.
pub(super) fn transaction_index(transactions: &[Transaction]) -> HashMap<String, usize> {
    (0..transactions.len())
        .filter_map(|i| Some((transactions.get(i)?.id.clone(), i)))
        .collect()
}
