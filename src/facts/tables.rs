//! The store's per-entity indexes (adjacency, designations by entity, transactions by entity, a
//! snapshot's id hashes) held as little-endian bytes in fixed-size rows.
//!
//! A store of ten million entities holds about 650 MB of them. Kept as bytes, they are the same
//! in memory and in a snapshot file, so opening a snapshot reads each table into its place and
//! hashes it, with nothing to decode, validate or copy: any bytes are valid rows, and a row
//! pointing past the store reads as absent, as every lookup goes through `get`.

use super::{Direction, EntityIndex, HalfEdge, RelationKind};

/// A table of rows of `N` bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub(super) struct Table<const N: usize> {
    bytes: Vec<u8>,
}

impl<const N: usize> std::fmt::Debug for Table<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("row_bytes", &N)
            .field("rows", &self.rows().len())
            .finish()
    }
}

impl<const N: usize> Table<N> {
    /// A table over `bytes`, or `None` when they are not a whole number of rows.
    #[cfg(feature = "snapshot")]
    pub(super) fn from_bytes(bytes: Vec<u8>) -> Option<Table<N>> {
        bytes.len().is_multiple_of(N).then_some(Table { bytes })
    }

    /// The table's bytes, as a snapshot stores them.
    #[cfg(feature = "snapshot")]
    pub(super) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Every row.
    pub(super) fn rows(&self) -> &[[u8; N]] {
        self.bytes.as_chunks::<N>().0
    }

    /// The table of rows made by `row` from each item.
    pub(super) fn encode<T>(
        items: impl ExactSizeIterator<Item = T>,
        row: impl Fn(T) -> [u8; N],
    ) -> Table<N> {
        let mut bytes = Vec::with_capacity(items.len() * N);
        for item in items {
            bytes.extend_from_slice(&row(item));
        }
        Table { bytes }
    }
}

/// A table of `u32`s: offsets, positions and per-entity bits.
pub(super) type U32s = Table<4>;

impl Table<4> {
    /// The table of `values`.
    pub(super) fn of(values: &[u32]) -> U32s {
        Table::encode(values.iter(), |value| value.to_le_bytes())
    }

    /// The value at `index`.
    pub(super) fn get(&self, index: usize) -> Option<u32> {
        self.rows().get(index).map(|row| u32::from_le_bytes(*row))
    }

    /// For a table of compressed offsets, the bounds stored for `entity`: from its offset to the
    /// next entity's.
    pub(super) fn range(&self, entity: EntityIndex) -> std::ops::Range<usize> {
        let at = |i: usize| self.get(i).unwrap_or(0) as usize;
        let entity = entity as usize;
        at(entity)..at(entity + 1)
    }
}

/// Bytes of one half-edge: its (kind, direction) group, its relation and the entity at its other
/// end.
pub(super) const EDGE_BYTES: usize = 9;

/// A table of half-edges, sorted by entity, then group, then relation.
pub(super) type EdgeTable = Table<EDGE_BYTES>;

impl Table<EDGE_BYTES> {
    /// The table of `edges`, in the order given.
    pub(super) fn of_edges<'a>(edges: impl ExactSizeIterator<Item = &'a HalfEdge>) -> EdgeTable {
        Table::encode(edges, |edge| {
            let [r0, r1, r2, r3] = edge.relation.to_le_bytes();
            let [o0, o1, o2, o3] = edge.other.to_le_bytes();
            [
                group_index(edge.kind, edge.direction),
                r0,
                r1,
                r2,
                r3,
                o0,
                o1,
                o2,
                o3,
            ]
        })
    }

    /// The half-edges in `range` of one kind and direction, found by binary search: the rows of
    /// an entity are sorted by group.
    pub(super) fn group(
        &self,
        range: std::ops::Range<usize>,
        kind: RelationKind,
        direction: Direction,
    ) -> Edges<'_> {
        let all = self.rows().get(range).unwrap_or_default();
        let group = group_index(kind, direction);
        let start = all.partition_point(|row| row[0] < group);
        let end = all.partition_point(|row| row[0] <= group);
        Edges {
            rows: all.get(start..end).unwrap_or_default(),
            kind,
            direction,
        }
    }
}

/// The position of a (kind, direction) pair among the groups: the order half-edges are sorted in,
/// and the bit of the pair in an entity's edge groups.
pub(super) fn group_index(kind: RelationKind, direction: Direction) -> u8 {
    let direction = match direction {
        Direction::Outgoing => 0,
        Direction::Incoming => 1,
    };
    2 * kind as u8 + direction
}

/// An entity's half-edges of one kind and direction, in file order.
#[derive(Debug, Clone, Copy)]
pub struct Edges<'a> {
    rows: &'a [[u8; EDGE_BYTES]],
    kind: RelationKind,
    direction: Direction,
}

impl<'a> Edges<'a> {
    /// No half-edges.
    pub(super) fn none(kind: RelationKind, direction: Direction) -> Edges<'a> {
        Edges {
            rows: &[],
            kind,
            direction,
        }
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Each half-edge, in file order.
    pub fn iter(&self) -> EdgeIter<'a> {
        EdgeIter {
            rows: self.rows.iter(),
            kind: self.kind,
            direction: self.direction,
        }
    }
}

impl<'a> IntoIterator for Edges<'a> {
    type Item = HalfEdge;
    type IntoIter = EdgeIter<'a>;

    fn into_iter(self) -> EdgeIter<'a> {
        self.iter()
    }
}

/// The half-edges of an [`Edges`], decoded one at a time.
#[derive(Debug, Clone)]
pub struct EdgeIter<'a> {
    rows: std::slice::Iter<'a, [u8; EDGE_BYTES]>,
    kind: RelationKind,
    direction: Direction,
}

impl Iterator for EdgeIter<'_> {
    type Item = HalfEdge;

    fn next(&mut self) -> Option<HalfEdge> {
        let [_, r0, r1, r2, r3, o0, o1, o2, o3] = *self.rows.next()?;
        Some(HalfEdge {
            kind: self.kind,
            direction: self.direction,
            relation: u32::from_le_bytes([r0, r1, r2, r3]),
            other: u32::from_le_bytes([o0, o1, o2, o3]),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.rows.size_hint()
    }
}

impl ExactSizeIterator for EdgeIter<'_> {}
