//! Binary store snapshots: facts loaded, validated and indexed once (`interdict import --out
//! store.bin`), then opened without parsing text, resolving ids or decoding records up front.
//!
//! A snapshot is a 32-byte header (a magic string whose last byte is the format version, then the
//! lengths of the core and of the tables), the core, the tables, and the record chunks.
//!
//! - The **core** is an [rkyv](https://rkyv.org) archive of what is small: the transactions,
//!   licences and list snapshots, the length of each table, and a table of the record chunks with
//!   the SHA-256 of each. Opening validates it with rkyv's checker and decodes it. Nothing in it
//!   depends on a hash table's order, so the same facts always write the same bytes.
//! - The **tables** are the per-entity indexes (adjacency, designations and transactions by
//!   entity, the entity ids' hashes) as the store holds them in memory: little-endian rows that
//!   need no decoding or validation. Opening reads each into its place while the other cores hash
//!   what has been read, so the bytes are hashed while they are still in the processor's cache.
//! - The **records** (entities, relations, designations) are stored in chunks of
//!   [`RECORDS_PER_CHUNK`], each its own archive. A chunk is read, checked against its SHA-256,
//!   validated and decoded the first time a record in it is asked for; a store of ten million
//!   entities opens without touching them.
//!
//! A store too large to load whole is written record by record with
//! [`super::SnapshotWriter`], into the same bytes.
//!
//! The store's digest is a SHA-256 over the header, core and tables, cut into pieces of
//! [`PIECE`] bytes hashed on every core: the SHA-256 of the SHA-256s of the header and core's
//! pieces, then of each table's pieces in turn. Since the core holds every chunk's SHA-256, the
//! digest commits to every byte of the file: decisions made on an opened snapshot
//! name the file they used, and replay from it. A chunk whose bytes no longer match its digest is
//! never decoded; [`Facts::verify_snapshot`] reads every chunk and names the first damaged one.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use rkyv::rancor::Error as ArchiveError;
use rkyv::util::AlignedVec;
use sha2::{Digest, Sha256};

use super::history::History;
use super::stored::{IdIndex, IdTable, Record, Records, id_slots};
use super::tables::{EdgeTable, Table, U32s};
use super::{Facts, FactsError, LicenceRecord, ListSnapshot, RateRecord, Transaction};
use crate::date::Date;

/// The first bytes of every snapshot; the last one is the format version, raised whenever the
/// layout changes so an old file is refused rather than misread.
const MAGIC: &[u8; 16] = b"INTERDICT-STORE\x06";

/// Magic, then the lengths of the core and of the tables (little-endian `u64`s): keeps the core
/// at the 16-byte boundary rkyv reads archives at.
const HEADER: usize = 32;

/// The bytes hashed as one piece of the store digest: small enough that a piece just read is
/// still in cache when it is hashed, and that two cores share a store of a million entities
/// (75 MB of tables) evenly.
pub const PIECE: usize = 1 << 20;

/// How many tables a snapshot stores after its core.
pub(super) const TABLES: usize = 7;

/// The alignment rkyv needs for an archive.
const ALIGNMENT: usize = 16;

/// Records per chunk: small enough that the first decision touching a chunk decodes it in tens
/// of microseconds, large enough that the chunk table stays a small part of the core.
pub const RECORDS_PER_CHUNK: u32 = 128;

/// What a snapshot's core holds: everything but the tables and the records themselves.
#[derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub(super) struct Core {
    pub(super) entities: Section,
    pub(super) relations: Section,
    pub(super) designations: Section,
    /// The length in bytes of each table, in [`StoredTables`] order; set by [`head`].
    pub(super) tables: [u64; TABLES],
    pub(super) transactions: Vec<Transaction>,
    pub(super) change_days: Vec<Date>,
    pub(super) snapshots: Vec<ListSnapshot>,
    pub(super) licences: Vec<LicenceRecord>,
    /// The entries of the transactions by entity; their offsets are a table.
    pub(super) history: Vec<(Date, u32)>,
    pub(super) lists: Vec<String>,
    pub(super) rates: Vec<RateRecord>,
}

/// The tables a snapshot stores after its core, in file order.
pub(super) struct StoredTables {
    pub(super) ids: IdTable,
    pub(super) designation_offsets: U32s,
    pub(super) designation_order: U32s,
    pub(super) edge_offsets: U32s,
    pub(super) edges: EdgeTable,
    pub(super) edge_groups: U32s,
    pub(super) history_offsets: U32s,
}

impl StoredTables {
    /// The tables from their bytes as read, or `None` when one is not a whole number of rows.
    fn from_bytes(tables: [Vec<u8>; TABLES]) -> Option<StoredTables> {
        let [
            ids,
            designation_offsets,
            designation_order,
            edge_offsets,
            edges,
            groups,
            history,
        ] = tables;
        Some(StoredTables {
            ids: Table::from_bytes(ids)?,
            designation_offsets: Table::from_bytes(designation_offsets)?,
            designation_order: Table::from_bytes(designation_order)?,
            edge_offsets: Table::from_bytes(edge_offsets)?,
            edges: Table::from_bytes(edges)?,
            edge_groups: Table::from_bytes(groups)?,
            history_offsets: Table::from_bytes(history)?,
        })
    }

    /// Each table's bytes, in file order.
    pub(super) fn bytes(&self) -> [&[u8]; TABLES] {
        [
            self.ids.bytes(),
            self.designation_offsets.bytes(),
            self.designation_order.bytes(),
            self.edge_offsets.bytes(),
            self.edges.bytes(),
            self.edge_groups.bytes(),
            self.history_offsets.bytes(),
        ]
    }
}

/// Where one section's records lie after the core.
#[derive(Debug, Clone, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub(super) struct Section {
    count: u32,
    chunks: Vec<ChunkEntry>,
}

/// One chunk: its place after the core, its length and the SHA-256 of its bytes.
#[derive(Debug, Clone, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
struct ChunkEntry {
    offset: u64,
    length: u32,
    digest: [u8; 32],
}

/// Where an opened snapshot's record chunks are read from.
#[derive(Debug)]
enum Body {
    /// The whole file, held in memory.
    Memory(Arc<[u8]>, usize),
    /// The file itself, read chunk by chunk.
    #[cfg(unix)]
    File(std::fs::File, u64),
}

impl Body {
    /// The bytes at `offset` after the core, in a buffer aligned for rkyv.
    fn read(&self, offset: u64, length: u32) -> Option<AlignedVec<ALIGNMENT>> {
        let mut chunk = AlignedVec::<ALIGNMENT>::with_capacity(length as usize);
        match self {
            Body::Memory(bytes, start) => {
                let from = start.checked_add(usize::try_from(offset).ok()?)?;
                chunk.extend_from_slice(bytes.get(from..from.checked_add(length as usize)?)?);
            }
            #[cfg(unix)]
            Body::File(file, start) => {
                use std::os::unix::fs::FileExt;
                chunk.resize(length as usize, 0);
                file.read_exact_at(&mut chunk, start.checked_add(offset)?)
                    .ok()?;
            }
        }
        Some(chunk)
    }
}

/// One section of an opened snapshot's records, decoded a chunk at a time on first use.
pub(super) struct Chunked<T> {
    body: Arc<Body>,
    section: Section,
    decoded: Vec<OnceLock<Option<Vec<T>>>>,
}

impl<T> std::fmt::Debug for Chunked<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let decoded = self.decoded.iter().filter(|c| c.get().is_some()).count();
        f.debug_struct("Chunked")
            .field("records", &self.section.count)
            .field("chunks", &self.section.chunks.len())
            .field("decoded", &decoded)
            .finish()
    }
}

impl<T: Record> Chunked<T> {
    fn new(body: Arc<Body>, section: Section) -> Chunked<T> {
        let decoded = (0..section.chunks.len()).map(|_| OnceLock::new()).collect();
        Chunked {
            body,
            section,
            decoded,
        }
    }

    /// The record at `index`, decoding its chunk if no one has yet; `None` past the end or when
    /// the chunk is damaged.
    pub(super) fn get(&self, index: u32) -> Option<&T> {
        let chunk = (index / RECORDS_PER_CHUNK) as usize;
        let records = self.chunk(chunk)?;
        records.get((index % RECORDS_PER_CHUNK) as usize)
    }

    /// How many records the section holds.
    pub(super) fn len(&self) -> usize {
        self.section.count as usize
    }

    fn chunk(&self, chunk: usize) -> Option<&[T]> {
        self.decoded
            .get(chunk)?
            .get_or_init(|| self.decode(chunk))
            .as_deref()
    }

    /// Reads, checks and decodes one chunk, or `None` when it is not what the core says.
    fn decode(&self, chunk: usize) -> Option<Vec<T>> {
        let bytes = self.checked_bytes(chunk)?;
        let records = T::decode_chunk(&bytes).ok()?;
        (records.len() == self.expected(chunk)).then_some(records)
    }

    /// The bytes of one chunk, if they can be read and match their digest.
    fn checked_bytes(&self, chunk: usize) -> Option<AlignedVec<ALIGNMENT>> {
        let entry = self.section.chunks.get(chunk)?;
        let bytes = self.body.read(entry.offset, entry.length)?;
        (Sha256::digest(&bytes).as_slice() == entry.digest).then_some(bytes)
    }

    /// How many records chunk `chunk` must hold.
    fn expected(&self, chunk: usize) -> usize {
        (self.section.count as usize)
            .saturating_sub(chunk * RECORDS_PER_CHUNK as usize)
            .min(RECORDS_PER_CHUNK as usize)
    }

    /// Whether a chunk reads, matches its digest and validates with as many records as the core
    /// says; checked without keeping its records, so verifying a large store does not load it.
    fn intact(&self, chunk: usize) -> bool {
        if let Some(decoded) = self.decoded.get(chunk).and_then(OnceLock::get) {
            return decoded.is_some();
        }
        self.checked_bytes(chunk)
            .is_some_and(|bytes| T::check_chunk(&bytes).is_ok_and(|n| n == self.expected(chunk)))
    }

    /// The position of the first chunk that is not intact, if any; chunks are checked on every
    /// core.
    fn first_damaged(&self) -> Option<usize> {
        use rayon::prelude::*;
        (0..self.decoded.len())
            .into_par_iter()
            .find_first(|&chunk| !self.intact(chunk))
    }
}

impl Facts {
    /// The facts as a snapshot file's bytes (header, core, tables and record chunks), and their
    /// digest.
    pub fn to_snapshot(&self) -> Result<(Vec<u8>, String), FactsError> {
        let SnapshotParts {
            head,
            ids,
            bodies,
            digest,
        } = self.snapshot_parts()?;
        let mut bytes = head;
        let bodies = bodies.iter().map(Vec::as_slice);
        for part in self.table_bytes(&ids).into_iter().chain(bodies) {
            bytes.extend_from_slice(part);
        }
        Ok((bytes, digest))
    }

    /// Writes the facts as a snapshot to `path` and returns the snapshot's digest, which is the
    /// digest every decision made on the opened snapshot will carry.
    pub fn write_snapshot(&self, path: impl AsRef<Path>) -> Result<String, FactsError> {
        let path = path.as_ref();
        let parts = self.snapshot_parts()?;
        let write = || -> std::io::Result<()> {
            let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
            file.write_all(&parts.head)?;
            for table in self.table_bytes(&parts.ids) {
                file.write_all(table)?;
            }
            for body in &parts.bodies {
                file.write_all(body)?;
            }
            file.flush()
        };
        write().map_err(|source| FactsError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Ok(parts.digest)
    }

    /// The snapshot's header and core, its id table, its three record sections' chunks, and its
    /// digest.
    fn snapshot_parts(&self) -> Result<SnapshotParts, FactsError> {
        let error = |e: std::io::Error| FactsError::Snapshot {
            file: self.name.clone(),
            message: format!("the facts cannot be archived: {e}"),
        };
        let (mut entities, entity_bytes) = encode_section(&self.entities).map_err(error)?;
        let (mut relations, relation_bytes) = encode_section(&self.relations).map_err(error)?;
        let (mut designations, designation_bytes) =
            encode_section(&self.designations).map_err(error)?;
        lay_out([&mut entities, &mut relations, &mut designations]);
        let ids = id_slots(&self.entities);
        let core = Core {
            entities,
            relations,
            designations,
            tables: [0; TABLES],
            transactions: self.transactions.clone(),
            change_days: self.change_days.clone(),
            snapshots: self.snapshots.clone(),
            licences: self.licences.clone(),
            history: self.history.parts().1.to_vec(),
            lists: self.lists.clone(),
            rates: self.rates.clone(),
        };
        let (head, digest) = head(core, self.table_bytes(&ids)).map_err(error)?;
        Ok(SnapshotParts {
            head,
            ids,
            bodies: [entity_bytes, relation_bytes, designation_bytes],
            digest,
        })
    }

    /// The bytes of the tables a snapshot of these facts stores, in file order, with `ids` the
    /// table of its entity ids.
    fn table_bytes<'a>(&'a self, ids: &'a IdTable) -> [&'a [u8]; TABLES] {
        [
            ids.bytes(),
            self.designation_offsets.bytes(),
            self.designation_order.bytes(),
            self.edge_offsets.bytes(),
            self.edges.bytes(),
            self.edge_groups.bytes(),
            self.history.parts().0.bytes(),
        ]
    }

    /// Opens a snapshot written by [`Facts::write_snapshot`]: reads its header, core and tables,
    /// hashing the tables on every core as they are read, and leaves the records in the file
    /// until a decision asks for them.
    pub fn open_snapshot(path: impl AsRef<Path>) -> Result<Facts, FactsError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let read_error = |source| FactsError::Read {
            path: name.clone(),
            source,
        };
        let mut file = std::fs::File::open(path).map_err(read_error)?;
        let length = file.metadata().map_err(read_error)?.len();
        let mut header = [0u8; HEADER];
        if file.read_exact(&mut header).is_err() {
            return Err(snapshot_error(&name, not_a_snapshot(&header)));
        }
        let (core_length, tables_length) = lengths(&name, &header)?;
        let mut head = AlignedVec::<ALIGNMENT>::with_capacity(HEADER + core_length);
        head.extend_from_slice(&header);
        head.extend_from_reader(&mut Read::by_ref(&mut file).take(core_length as u64))
            .map_err(read_error)?;
        let core = archived_core(&name, &head)?;
        let table_lengths = table_lengths(&name, core, tables_length)?;
        let start = (head.len() as u64).saturating_add(tables_length);
        if length < start {
            return Err(damaged(&name, "it ends inside its tables"));
        }
        let (tables, (head_pieces, core)) = rayon::join(
            || read_tables(&mut file, table_lengths),
            || (piece_digests(&head), decode_core(&name, core)),
        );
        let (tables, table_pieces) = tables.map_err(read_error)?;
        let digest = store_digest(head_pieces.iter().chain(&table_pieces));
        #[cfg(unix)]
        let body = Body::File(file, start);
        #[cfg(not(unix))]
        let body = {
            let mut bytes = vec![0; usize::try_from(start).unwrap_or(usize::MAX)];
            file.read_to_end(&mut bytes).map_err(read_error)?;
            Body::Memory(bytes.into(), start as usize)
        };
        let opened = Opened {
            digest,
            core: core?,
            tables,
            body_length: length.saturating_sub(start),
            body,
        };
        Facts::from_opened(&name, opened)
    }

    /// Whether the file at `path` starts like a snapshot rather than a YAML or JSON facts file; a
    /// file that cannot be read is left to the text loader, whose error names it.
    pub fn is_snapshot_file(path: &Path) -> bool {
        let mut start = [0u8; MAGIC.len()];
        std::fs::File::open(path)
            .and_then(|mut file| file.read_exact(&mut start))
            .is_ok_and(|()| is_snapshot(&start))
    }

    /// Opens a snapshot held in memory; `name` is used in errors and decisions. The bytes are
    /// copied once, since records are decoded from them as decisions ask for them; a caller
    /// holding them in an `Arc` shares them with [`Facts::from_shared_snapshot`] instead.
    pub fn from_snapshot(name: &str, bytes: &[u8]) -> Result<Facts, FactsError> {
        Facts::from_shared_snapshot(name, Arc::from(bytes))
    }

    /// Opens a snapshot held in shared memory: its tables are copied out (and hashed, on every
    /// core), and its records are decoded from the shared bytes as decisions ask for them.
    pub fn from_shared_snapshot(name: &str, bytes: Arc<[u8]>) -> Result<Facts, FactsError> {
        let (core_length, tables_length) = lengths(name, &bytes)?;
        let Some(head) = bytes.get(..HEADER + core_length) else {
            return Err(damaged(name, "it ends inside its core"));
        };
        let aligned;
        let head = if head.as_ptr().align_offset(ALIGNMENT) == 0 {
            head
        } else {
            let mut copy = AlignedVec::<ALIGNMENT>::with_capacity(head.len());
            copy.extend_from_slice(head);
            aligned = copy;
            &aligned[..]
        };
        let core = archived_core(name, head)?;
        let table_lengths = table_lengths(name, core, tables_length)?;
        let start = head
            .len()
            .saturating_add(usize::try_from(tables_length).unwrap_or(usize::MAX));
        let Some(stored) = bytes.get(head.len()..start) else {
            return Err(damaged(name, "it ends inside its tables"));
        };
        let (tables, (head_pieces, core)) = rayon::join(
            || copy_tables(stored, table_lengths),
            || (piece_digests(head), decode_core(name, core)),
        );
        let (tables, table_pieces) = tables;
        let opened = Opened {
            digest: store_digest(head_pieces.iter().chain(&table_pieces)),
            core: core?,
            tables,
            body_length: (bytes.len() - start) as u64,
            body: Body::Memory(Arc::clone(&bytes), start),
        };
        Facts::from_opened(name, opened)
    }

    /// Reads every record chunk of an opened snapshot and checks it against its digest: what an
    /// auditor runs on a file before relying on it (the command line and audit replay run it on
    /// every snapshot they open). A damaged chunk otherwise shows only when a decision reads it,
    /// and reads as absent. The records are checked, not kept, so this takes the time of reading
    /// the file but not the memory of decoding it. Facts loaded from text have nothing to check.
    pub fn verify_snapshot(&self) -> Result<(), FactsError> {
        fn check<T: Record>(records: &Records<T>, what: &str) -> Result<(), String> {
            match records {
                Records::Archived(chunks) => match chunks.first_damaged() {
                    Some(chunk) => Err(format!(
                        "{what} chunk {chunk} does not match its digest; write it again with `interdict import --out`"
                    )),
                    None => Ok(()),
                },
                Records::Loaded(_) => Ok(()),
            }
        }
        check(&self.entities, "entity")
            .and_then(|()| check(&self.relations, "relation"))
            .and_then(|()| check(&self.designations, "designation"))
            .map_err(|message| damaged(&self.name, &message))
    }

    /// The store from an opened snapshot's decoded core, its tables and where its records lie.
    fn from_opened(name: &str, opened: Opened) -> Result<Facts, FactsError> {
        let Opened {
            digest,
            core,
            tables,
            body_length,
            body,
        } = opened;
        for section in [&core.entities, &core.relations, &core.designations] {
            check_section(section).map_err(|problem| damaged(name, problem))?;
        }
        if section_end(&core) != Some(body_length) {
            return Err(damaged(
                name,
                "its records do not fill the file as its core says",
            ));
        }
        let Some(tables) = StoredTables::from_bytes(tables) else {
            return Err(damaged(name, "a table is not a whole number of rows"));
        };
        let body = Arc::new(body);
        Ok(Facts {
            name: name.to_owned(),
            digest: digest.into(),
            entities: chunked(&body, core.entities),
            entity_index: IdIndex::Hashed(tables.ids),
            relations: chunked(&body, core.relations),
            designations: chunked(&body, core.designations),
            designation_offsets: tables.designation_offsets,
            designation_order: tables.designation_order,
            edge_offsets: tables.edge_offsets,
            edges: tables.edges,
            edge_groups: tables.edge_groups,
            transaction_index: super::indexes::transaction_index(&core.transactions),
            transactions: core.transactions,
            change_days: core.change_days,
            snapshots: core.snapshots,
            licences: core.licences,
            history: History::from_parts(tables.history_offsets, core.history),
            lists: core.lists,
            rates: core.rates,
        })
    }
}

/// What opening a snapshot reads before the store is assembled.
struct Opened {
    digest: String,
    core: Core,
    tables: [Vec<u8>; TABLES],
    /// The bytes after the tables, which the records must fill.
    body_length: u64,
    body: Body,
}

/// A snapshot's core, validated in place: `head` is the header and core, aligned.
fn archived_core<'a>(name: &str, head: &'a [u8]) -> Result<&'a ArchivedCore, FactsError> {
    let core = head.get(HEADER..).unwrap_or_default();
    rkyv::access::<ArchivedCore, ArchiveError>(core).map_err(|e| damaged(name, &e.to_string()))
}

/// The core decoded from its validated archive.
fn decode_core(name: &str, core: &ArchivedCore) -> Result<Core, FactsError> {
    rkyv::deserialize::<Core, ArchiveError>(core).map_err(|e| damaged(name, &e.to_string()))
}

/// The length of each table as the core gives them, if they add up to the header's total.
fn table_lengths(
    name: &str,
    core: &ArchivedCore,
    total: u64,
) -> Result<[usize; TABLES], FactsError> {
    let lengths = core.tables.each_ref().map(|length| length.to_native());
    let sum = lengths
        .iter()
        .try_fold(0u64, |sum, &length| sum.checked_add(length));
    let lengths = lengths.map(|length| usize::try_from(length).unwrap_or(usize::MAX));
    if sum == Some(total) {
        Ok(lengths)
    } else {
        Err(damaged(
            name,
            "its tables do not add up to the length its header gives",
        ))
    }
}

/// The tables' bytes, and the digests of their pieces in order.
type TablesRead = ([Vec<u8>; TABLES], Vec<[u8; 32]>);

/// Reads the tables, of `lengths` bytes each, from where `file` stands, hashing each piece on
/// another core as soon as it is read; returns the tables and the digests of their pieces, in
/// order.
fn read_tables(file: &mut std::fs::File, lengths: [usize; TABLES]) -> std::io::Result<TablesRead> {
    // Zeroed by the system as pages are first written, not by a pass of its own.
    let mut tables = lengths.map(|length| vec![0u8; length]);
    let pieces: usize = lengths.iter().map(|length| length.div_ceil(PIECE)).sum();
    let digests: Vec<OnceLock<[u8; 32]>> = (0..pieces).map(|_| OnceLock::new()).collect();
    rayon::scope(|scope| {
        let mut slots = digests.iter();
        for piece in tables.iter_mut().flat_map(|table| table.chunks_mut(PIECE)) {
            file.read_exact(piece)?;
            let piece: &[u8] = piece;
            if let Some(slot) = slots.next() {
                scope.spawn(move |_| {
                    let _ = slot.set(Sha256::digest(piece).into());
                });
            }
        }
        Ok::<(), std::io::Error>(())
    })?;
    let digests: Option<Vec<[u8; 32]>> = digests.into_iter().map(OnceLock::into_inner).collect();
    digests
        .map(|digests| (tables, digests))
        .ok_or_else(|| std::io::Error::other("a table piece was not hashed"))
}

/// Copies the tables, of `lengths` bytes each, out of `stored`, hashing each piece as it is
/// copied, on every core; returns the tables and the digests of their pieces, in order.
fn copy_tables(stored: &[u8], lengths: [usize; TABLES]) -> TablesRead {
    use rayon::prelude::*;
    let mut rest = stored;
    let mut digests = Vec::new();
    let tables = lengths.map(|length| {
        let (from, after) = rest.split_at(length.min(rest.len()));
        rest = after;
        let mut table = vec![0u8; from.len()];
        let pieces: Vec<[u8; 32]> = table
            .par_chunks_mut(PIECE)
            .zip(from.par_chunks(PIECE))
            .map(|(to, from)| {
                to.copy_from_slice(from);
                Sha256::digest(to).into()
            })
            .collect();
        digests.extend(pieces);
        table
    });
    (tables, digests)
}

/// The digests of `bytes`' pieces, hashed on every core.
fn piece_digests(bytes: &[u8]) -> Vec<[u8; 32]> {
    use rayon::prelude::*;
    bytes
        .par_chunks(PIECE)
        .map(|piece| Sha256::digest(piece).into())
        .collect()
}

/// The store digest from the digests of every piece of the header, core and tables, in order.
fn store_digest<'a>(pieces: impl Iterator<Item = &'a [u8; 32]>) -> String {
    let mut hasher = Sha256::new();
    for piece in pieces {
        hasher.update(piece);
    }
    format!("sha256:{:x}", hasher.finalize())
}

/// A section of an opened snapshot, decoded on first use.
fn chunked<T: Record>(body: &Arc<Body>, section: Section) -> Records<T> {
    Records::Archived(Arc::new(Chunked::new(Arc::clone(body), section)))
}

/// A snapshot's header and core, its id table, the chunks of its three record sections, and its
/// digest.
struct SnapshotParts {
    head: Vec<u8>,
    ids: IdTable,
    bodies: [Vec<u8>; 3],
    digest: String,
}

/// One section's records encoded in chunks, copied one chunk at a time so that writing a large
/// store does not hold its records twice.
fn encode_section<T: Record>(records: &Records<T>) -> std::io::Result<(Section, Vec<u8>)> {
    let mut section = SectionWriter::new(Vec::new());
    for record in records.iter() {
        section.push(record.clone())?;
    }
    section.finish()
}

/// Encodes one section's records in chunks of [`RECORDS_PER_CHUNK`] as they arrive, writing each
/// chunk to `out` and noting its place (counted from the section's start) and digest.
pub(super) struct SectionWriter<T, W> {
    pending: Vec<T>,
    section: Section,
    written: u64,
    out: W,
}

impl<T: Record, W: Write> SectionWriter<T, W> {
    pub(super) fn new(out: W) -> SectionWriter<T, W> {
        SectionWriter {
            pending: Vec::with_capacity(RECORDS_PER_CHUNK as usize),
            section: Section {
                count: 0,
                chunks: Vec::new(),
            },
            written: 0,
            out,
        }
    }

    /// Adds the next record, writing out its chunk once the chunk is full.
    pub(super) fn push(&mut self, record: T) -> std::io::Result<()> {
        self.pending.push(record);
        if self.pending.len() == RECORDS_PER_CHUNK as usize {
            self.write_chunk()?;
        }
        Ok(())
    }

    /// How many records have been added.
    pub(super) fn len(&self) -> usize {
        self.section.count as usize + self.pending.len()
    }

    fn write_chunk(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let records = std::mem::replace(
            &mut self.pending,
            Vec::with_capacity(RECORDS_PER_CHUNK as usize),
        );
        self.section.count += records.len() as u32;
        let bytes = T::encode_chunk(records).map_err(std::io::Error::other)?;
        self.section.chunks.push(ChunkEntry {
            offset: self.written,
            length: bytes.len() as u32,
            digest: Sha256::digest(&bytes).into(),
        });
        self.out.write_all(&bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Writes the last, partly filled chunk; returns where the chunks lie and the output.
    pub(super) fn finish(mut self) -> std::io::Result<(Section, W)> {
        self.write_chunk()?;
        Ok((self.section, self.out))
    }
}

/// Places the sections one after another after the core: each chunk's offset, counted from its
/// section's start while writing, becomes an offset from the end of the core.
pub(super) fn lay_out(sections: [&mut Section; 3]) {
    let mut start = 0;
    for section in sections {
        for chunk in &mut section.chunks {
            chunk.offset += start;
        }
        start = section.chunks.last().map_or(start, chunk_end);
    }
}

/// A snapshot's header and archived core, and the store digest they make with the `tables`
/// written after them (the core records their lengths).
pub(super) fn head(mut core: Core, tables: [&[u8]; TABLES]) -> std::io::Result<(Vec<u8>, String)> {
    core.tables = tables.map(|table| table.len() as u64);
    let tables_length: u64 = core.tables.iter().sum();
    let core = rkyv::to_bytes::<ArchiveError>(&core).map_err(std::io::Error::other)?;
    let mut head = Vec::with_capacity(HEADER + core.len());
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&(core.len() as u64).to_le_bytes());
    head.extend_from_slice(&tables_length.to_le_bytes());
    head.extend_from_slice(&core);
    let pieces: Vec<[u8; 32]> = std::iter::once(&head[..])
        .chain(tables)
        .flat_map(piece_digests)
        .collect();
    let digest = store_digest(pieces.iter());
    Ok((head, digest))
}

/// Whether a section's chunks follow one another and are as many as its records need.
fn check_section(section: &Section) -> Result<(), &'static str> {
    let needed = (section.count as usize).div_ceil(RECORDS_PER_CHUNK as usize);
    if section.chunks.len() != needed {
        return Err("its chunk table does not match its record counts");
    }
    let follows = section
        .chunks
        .windows(2)
        .all(|pair| matches!(pair, [a, b] if chunk_end(a) == b.offset));
    if follows {
        Ok(())
    } else {
        Err("its chunk table has gaps or overlaps")
    }
}

/// Where the three sections end if each starts where the one before ends, or `None`.
fn section_end(core: &Core) -> Option<u64> {
    let mut end = 0;
    for section in [&core.entities, &core.relations, &core.designations] {
        match section.chunks.first() {
            Some(first) if first.offset != end => return None,
            _ => {}
        }
        end = section.chunks.last().map_or(end, chunk_end);
    }
    Some(end)
}

/// The offset just past a chunk.
fn chunk_end(chunk: &ChunkEntry) -> u64 {
    chunk.offset + u64::from(chunk.length)
}

/// The lengths of the core and of the tables from a snapshot's header, or why the bytes are no
/// snapshot of this version.
fn lengths(name: &str, bytes: &[u8]) -> Result<(usize, u64), FactsError> {
    if !bytes.starts_with(MAGIC) {
        return Err(snapshot_error(name, not_a_snapshot(bytes)));
    }
    let field = |at: usize| {
        bytes
            .get(at..at + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(u64::from_le_bytes)
    };
    let core = field(MAGIC.len()).and_then(|l| usize::try_from(l).ok());
    match (core, field(MAGIC.len() + 8)) {
        (Some(core), Some(tables)) => Ok((core, tables)),
        _ => Err(damaged(name, "its header is cut short")),
    }
}

/// Whether `bytes` start like a snapshot (rather than a YAML or JSON facts file).
fn is_snapshot(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC[..MAGIC.len() - 1])
}

/// Why bytes without the current header are refused: another format version, or no snapshot.
fn not_a_snapshot(bytes: &[u8]) -> String {
    if is_snapshot(bytes) {
        String::from(
            "the snapshot was written by another version of Interdict; write it again with `interdict import --out`",
        )
    } else {
        String::from(
            "not an Interdict store snapshot; write one with `interdict import … --out store.bin`",
        )
    }
}

fn snapshot_error(name: &str, message: String) -> FactsError {
    FactsError::Snapshot {
        file: name.to_owned(),
        message,
    }
}

/// The error for a snapshot that is not as it was written.
fn damaged(name: &str, problem: &str) -> FactsError {
    snapshot_error(
        name,
        format!(
            "the snapshot is damaged ({problem}); write it again with `interdict import --out`"
        ),
    )
}
