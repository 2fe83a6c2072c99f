//! Writing a store snapshot from records streamed one at a time, for stores too large to hold as
//! a document: ten million entities take a few gigabytes as records, and a document, its text and
//! the loaded store together would not fit one machine.
//!
//! Each record is checked as the loader checks it ([`super::load`]), resolved, and written out in
//! its chunk; what stays in memory is what the snapshot's core needs (the id table, the
//! half-edges, the designations by entity, the change days) and the transactions, licences, list
//! snapshots and rates, which are few. The chunks of each section go to a scratch file beside the
//! snapshot until the core can be written ahead of them. The snapshot is the one
//! [`Facts::write_snapshot`](super::Facts::write_snapshot) writes for the same records, byte for
//! byte, so its digest is the same and decisions replay from either.

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use super::history::History;
use super::indexes;
use super::load::Builder;
use super::snapshot::{Core, SectionWriter, StoredTables, TABLES, head, lay_out};
use super::stored::{IdSlot, id_table};
use super::{
    Designation, DesignationIndex, DesignationRecord, EntityIndex, EntityRecord, FactsDocument,
    FactsError, HalfEdge, LicenceRecord, ListSnapshot, RateRecord, Relation, RelationRecord,
    TransactionRecord,
};
use crate::date::Date;

/// A snapshot being written from streamed records: entities first (each relation, designation,
/// transaction and licence names entities already given), then the rest in any order, then
/// [`SnapshotWriter::finish`].
///
/// Every problem the loader would report is collected and reported by `finish`, which then writes
/// nothing; an unnamed relation is given the id the loader would give it (`r` and its position
/// counted from 1), and a relation written later with that id is refused rather than renamed.
///
/// ```no_run
/// use interdict::facts::{EntityKind, EntityRecord, SnapshotWriter};
///
/// let mut writer = SnapshotWriter::create("store.bin")?;
/// for i in 0..10_000_000 {
///     writer.entity(EntityRecord::new(format!("e{i}"), EntityKind::Organization, "Acme Ltd"))?;
/// }
/// let digest = writer.finish()?;
/// println!("written, digest {digest}");
/// # Ok::<(), interdict::FactsError>(())
/// ```
pub struct SnapshotWriter {
    path: PathBuf,
    name: String,
    builder: Builder,
    entities: SectionWriter<EntityRecord, BufWriter<File>>,
    relations: SectionWriter<Relation, BufWriter<File>>,
    designations: SectionWriter<Designation, BufWriter<File>>,
    /// Removes the scratch files however the writer ends.
    scratch: Scratch,
    ids: Vec<IdSlot>,
    edges: Vec<(EntityIndex, HalfEdge)>,
    designated: Vec<(EntityIndex, DesignationIndex)>,
    days: BTreeSet<Date>,
    lists: BTreeSet<String>,
    relation_ids: RelationIds,
    /// Relations and designations given so far, valid or not (the positions problems name).
    relations_given: usize,
    designations_given: usize,
    /// Transactions, licences, list snapshots and rates, checked by `finish`.
    rest: FactsDocument,
}

impl std::fmt::Debug for SnapshotWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SnapshotWriter")
            .field("path", &self.path)
            .field("entities", &self.entities.len())
            .field("relations", &self.relations.len())
            .field("designations", &self.designations.len())
            .finish_non_exhaustive()
    }
}

impl SnapshotWriter {
    /// Starts a snapshot at `path`, with its scratch files beside it.
    pub fn create(path: impl AsRef<Path>) -> Result<SnapshotWriter, FactsError> {
        let path = path.as_ref().to_path_buf();
        let name = path.display().to_string();
        let scratch = Scratch::beside(&path);
        let open = |file: &Path| {
            File::options()
                .read(true)
                .write(true)
                .create(true)
                .truncate(true)
                .open(file)
                .map(BufWriter::new)
                .map_err(|source| FactsError::Read {
                    path: file.display().to_string(),
                    source,
                })
        };
        Ok(SnapshotWriter {
            entities: SectionWriter::new(open(&scratch.files[0])?),
            relations: SectionWriter::new(open(&scratch.files[1])?),
            designations: SectionWriter::new(open(&scratch.files[2])?),
            scratch,
            path,
            name,
            builder: Builder::new(0),
            ids: Vec::new(),
            edges: Vec::new(),
            designated: Vec::new(),
            days: BTreeSet::new(),
            lists: BTreeSet::new(),
            relation_ids: RelationIds::default(),
            relations_given: 0,
            designations_given: 0,
            rest: FactsDocument::default(),
        })
    }

    /// Adds the next entity. An error is a failure to write; problems with the record are
    /// reported by [`SnapshotWriter::finish`].
    pub fn entity(&mut self, record: EntityRecord) -> Result<(), FactsError> {
        let position = self.entities.len() as EntityIndex;
        if self.relations_given + self.designations_given > 0 {
            self.builder.problem(
                format!("entities[{position}] ({})", record.id),
                String::from(
                    "comes after relations or designations; a streamed store takes every entity first",
                ),
            );
        }
        self.builder.entity(position, &record);
        self.ids.push(IdSlot::of(&record.id, position));
        let pushed = self.entities.push(record);
        pushed.map_err(|e| self.write_error(e))
    }

    /// Adds the next relation.
    pub fn relation(&mut self, record: RelationRecord) -> Result<(), FactsError> {
        let position = self.relations_given;
        self.relations_given += 1;
        let id = self
            .relation_ids
            .assign(position, &record, &mut self.builder);
        let Some(relation) = self.builder.relation(position, &record, id) else {
            return Ok(());
        };
        let index = self.relations.len() as u32;
        self.edges.extend(indexes::half_edges(index, &relation));
        self.days
            .extend(indexes::relation_days(&relation).into_iter().flatten());
        let pushed = self.relations.push(relation);
        pushed.map_err(|e| self.write_error(e))
    }

    /// Adds the next designation.
    pub fn designation(&mut self, record: DesignationRecord) -> Result<(), FactsError> {
        let position = self.designations_given;
        self.designations_given += 1;
        let Some(designation) = self.builder.designation(position, &record) else {
            return Ok(());
        };
        let index = self.designations.len() as DesignationIndex;
        self.designated.push((designation.entity, index));
        self.days.extend(
            indexes::designation_days(&designation)
                .into_iter()
                .flatten(),
        );
        if !self.lists.contains(&designation.list) {
            self.lists.insert(designation.list.clone());
        }
        let pushed = self.designations.push(designation);
        pushed.map_err(|e| self.write_error(e))
    }

    /// Adds a transaction to decide.
    pub fn transaction(&mut self, record: TransactionRecord) {
        self.rest.transactions.push(record);
    }

    /// Adds a licence.
    pub fn licence(&mut self, record: LicenceRecord) {
        self.rest.licences.push(record);
    }

    /// Adds an exchange rate.
    pub fn rate(&mut self, record: RateRecord) {
        self.rest.rates.push(record);
    }

    /// Adds the description of a list snapshot the records were imported from.
    pub fn list_snapshot(&mut self, record: ListSnapshot) {
        self.rest.snapshots.push(record);
    }

    /// Checks what was held back, writes the core and then the records, and returns the store's
    /// digest; or every problem found, writing nothing.
    pub fn finish(mut self) -> Result<String, FactsError> {
        let transactions = self.builder.transactions(&self.rest.transactions);
        self.builder.licences(&self.rest.licences);
        self.builder.rates(&self.rest.rates);
        if !self.builder.problems.is_empty() {
            return Err(FactsError::Invalid {
                file: self.name,
                problems: self.builder.problems,
            });
        }
        let write_error = |e| write_error(&self.name, e);
        let (mut entities, entity_chunks) = self.entities.finish().map_err(write_error)?;
        let (mut relations, relation_chunks) = self.relations.finish().map_err(write_error)?;
        let (mut designations, designation_chunks) =
            self.designations.finish().map_err(write_error)?;
        lay_out([&mut entities, &mut relations, &mut designations]);
        let count = self.ids.len();
        // The id map is freed before the half-edges are sorted.
        drop(self.builder.index);
        let ids = id_table(self.ids);
        let edges = indexes::edge_index(count, self.edges);
        let (designation_offsets, designation_order) =
            indexes::designation_index(count, self.designated);
        let mut rates = self.rest.rates;
        super::rates::index(&mut rates);
        let history = History::build(&transactions, count);
        let (history_offsets, history_entries) = history.parts();
        let tables = StoredTables {
            ids,
            designation_offsets,
            designation_order,
            edge_offsets: edges.offsets,
            edges: edges.edges,
            edge_groups: edges.groups,
            history_offsets: history_offsets.clone(),
        };
        let core = Core {
            entities,
            relations,
            designations,
            tables: [0; TABLES],
            transactions,
            change_days: self.days.into_iter().collect(),
            snapshots: self.rest.snapshots,
            licences: self.rest.licences,
            history: history_entries.to_vec(),
            lists: self.lists.into_iter().collect(),
            rates,
        };
        drop(history);
        let (head, digest) = head(core, tables.bytes()).map_err(write_error)?;
        let mut out = File::create(&self.path).map_err(|source| FactsError::Read {
            path: self.name.clone(),
            source,
        })?;
        let copied = out.write_all(&head).and_then(|()| {
            for table in tables.bytes() {
                out.write_all(table)?;
            }
            for chunks in [entity_chunks, relation_chunks, designation_chunks] {
                let mut chunks = chunks.into_inner().map_err(|e| e.into_error())?;
                chunks.rewind()?;
                std::io::copy(&mut chunks, &mut out)?;
            }
            out.flush()
        });
        copied.map_err(write_error)?;
        // Copied into the snapshot, the scratch files go now rather than when the writer does.
        drop(self.scratch);
        Ok(digest)
    }

    fn write_error(&self, error: std::io::Error) -> FactsError {
        write_error(&self.name, error)
    }
}

/// The error for a snapshot whose records could not be encoded or written.
fn write_error(name: &str, source: std::io::Error) -> FactsError {
    FactsError::Snapshot {
        file: name.to_owned(),
        message: format!("the snapshot cannot be written: {source}"),
    }
}

/// The ids of streamed relations, given as the loader gives them without looking ahead: an
/// unnamed relation at position `p` is `r{p + 1}`, or `relations[p]` when an earlier relation is
/// written with that id. Named ids are remembered to refuse a second use; generated ones only as
/// a bit per position, since a store of millions of relations rarely names any.
#[derive(Default)]
struct RelationIds {
    named: HashMap<String, usize>,
    /// Bit `p`: relation `p` was given `r{p + 1}`.
    generated: Vec<u64>,
}

impl RelationIds {
    fn assign(
        &mut self,
        position: usize,
        record: &RelationRecord,
        builder: &mut Builder,
    ) -> String {
        let id = match &record.id {
            Some(id) => id.clone(),
            None => {
                let id = format!("r{}", position + 1);
                if !self.named.contains_key(&id) {
                    self.mark_generated(position);
                    return id;
                }
                format!("relations[{position}]")
            }
        };
        let problem = if let Some(first) = self.named.get(&id) {
            format!("duplicate relation id `{id}`, first used by relations[{first}]")
        } else if let Some(first) = self.generated_as(&id) {
            format!(
                "relation id `{id}` was already given to relations[{first}], which has none of \
                 its own; give that relation an id, or this one another"
            )
        } else {
            self.named.insert(id.clone(), position);
            return id;
        };
        builder.problem(format!("relations[{position}] ({id})"), problem);
        id
    }

    fn mark_generated(&mut self, position: usize) {
        let word = position / 64;
        if self.generated.len() <= word {
            self.generated.resize(word + 1, 0);
        }
        if let Some(bits) = self.generated.get_mut(word) {
            *bits |= 1 << (position % 64);
        }
    }

    /// The position of the earlier unnamed relation that was given `id`, if any.
    fn generated_as(&self, id: &str) -> Option<usize> {
        let number: usize = id.strip_prefix('r')?.parse().ok()?;
        let position = number.checked_sub(1)?;
        // `r01` is not the id of relation 0, however it parses.
        if format!("r{number}") != id {
            return None;
        }
        let bits = self.generated.get(position / 64)?;
        (bits & (1 << (position % 64)) != 0).then_some(position)
    }
}

/// The three scratch files a [`SnapshotWriter`] writes its record chunks to, removed when it ends.
struct Scratch {
    files: [PathBuf; 3],
}

impl Scratch {
    fn beside(path: &Path) -> Scratch {
        let file = |section: &str| {
            let mut name = path.as_os_str().to_owned();
            name.push(format!(".{section}.part"));
            PathBuf::from(name)
        };
        Scratch {
            files: [file("entities"), file("relations"), file("designations")],
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for file in &self.files {
            // Already gone, or never made: nothing to clean.
            let _ = std::fs::remove_file(file);
        }
    }
}
