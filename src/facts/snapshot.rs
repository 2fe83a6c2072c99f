//! Binary store snapshots: facts loaded, validated and indexed once (`interdict import --out
//! store.bin`), then opened without parsing text, resolving ids or decoding records up front.
//!
//! A snapshot is a 32-byte header (a magic string whose last byte is the format version, then the
//! length of the core), the core, and the record chunks.
//!
//! - The **core** is an [rkyv](https://rkyv.org) archive of what every decision reads: the
//!   adjacency and designation indexes, the entity ids' hashes, the transactions, licences and
//!   list snapshots, and a table of the record chunks with the SHA-256 of each. Opening validates
//!   the core with rkyv's checker and copies it into memory while another core hashes it. Nothing
//!   in it depends on a hash table's order, so the same facts always write the same bytes.
//! - The **records** (entities, relations, designations) are stored in chunks of
//!   [`RECORDS_PER_CHUNK`], each its own archive. A chunk is read, checked against its SHA-256,
//!   validated and decoded the first time a record in it is asked for; a store of ten million
//!   entities opens without touching them.
//!
//! A store too large to load whole is written record by record with
//! [`super::SnapshotWriter`], into the same bytes.
//!
//! The store's digest is the SHA-256 of the header and core. Since the core holds every chunk's
//! SHA-256, the digest commits to every byte of the file: decisions made on an opened snapshot
//! name the file they used, and replay from it. A chunk whose bytes no longer match its digest is
//! never decoded; [`Facts::verify_snapshot`] reads every chunk and names the first damaged one.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use rkyv::rancor::Error as ArchiveError;
use rkyv::util::AlignedVec;
use sha2::{Digest, Sha256};

use super::stored::{IdIndex, IdSlot, Record, Records, id_slots};
use super::{
    DesignationIndex, Facts, FactsError, HalfEdge, LicenceRecord, ListSnapshot, RateRecord,
    Transaction, history::History,
};
use crate::date::Date;

/// The first bytes of every snapshot; the last one is the format version, raised whenever the
/// layout changes so an old file is refused rather than misread.
const MAGIC: &[u8; 16] = b"INTERDICT-STORE\x05";

/// Magic, core length (little-endian `u64`), eight zero bytes: keeps the core at the 16-byte
/// boundary rkyv reads archives at.
const HEADER: usize = 32;

/// The alignment rkyv needs for an archive.
const ALIGNMENT: usize = 16;

/// Records per chunk: small enough that the first decision touching a chunk decodes it in tens
/// of microseconds, large enough that the chunk table stays a small part of the core.
pub const RECORDS_PER_CHUNK: u32 = 128;

/// What a snapshot's core holds: everything but the records themselves.
#[derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub(super) struct Core {
    pub(super) entities: Section,
    pub(super) relations: Section,
    pub(super) designations: Section,
    pub(super) ids: Vec<IdSlot>,
    pub(super) designation_offsets: Vec<u32>,
    pub(super) designation_order: Vec<DesignationIndex>,
    pub(super) edge_offsets: Vec<u32>,
    pub(super) edges: Vec<HalfEdge>,
    pub(super) edge_groups: Vec<u32>,
    pub(super) transactions: Vec<Transaction>,
    pub(super) change_days: Vec<Date>,
    pub(super) snapshots: Vec<ListSnapshot>,
    pub(super) licences: Vec<LicenceRecord>,
    pub(super) history: History,
    pub(super) lists: Vec<String>,
    pub(super) rates: Vec<RateRecord>,
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
    /// The facts as a snapshot file's bytes (header, core and record chunks), and their digest.
    pub fn to_snapshot(&self) -> Result<(Vec<u8>, String), FactsError> {
        let (mut bytes, bodies, digest) = self.snapshot_parts()?;
        bytes.reserve(bodies.iter().map(Vec::len).sum());
        for body in &bodies {
            bytes.extend_from_slice(body);
        }
        Ok((bytes, digest))
    }

    /// Writes the facts as a snapshot to `path` and returns the snapshot's digest, which is the
    /// digest every decision made on the opened snapshot will carry.
    pub fn write_snapshot(&self, path: impl AsRef<Path>) -> Result<String, FactsError> {
        let path = path.as_ref();
        let (head, bodies, digest) = self.snapshot_parts()?;
        let write = || -> std::io::Result<()> {
            let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
            file.write_all(&head)?;
            for body in &bodies {
                file.write_all(body)?;
            }
            file.flush()
        };
        write().map_err(|source| FactsError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Ok(digest)
    }

    /// The snapshot's header and core, its three record sections' chunks, and its digest.
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
        let core = Core {
            entities,
            relations,
            designations,
            ids: id_slots(&self.entities),
            designation_offsets: self.designation_offsets.clone(),
            designation_order: self.designation_order.clone(),
            edge_offsets: self.edge_offsets.clone(),
            edges: self.edges.clone(),
            edge_groups: self.edge_groups.clone(),
            transactions: self.transactions.clone(),
            change_days: self.change_days.clone(),
            snapshots: self.snapshots.clone(),
            licences: self.licences.clone(),
            history: self.history.clone(),
            lists: self.lists.clone(),
            rates: self.rates.clone(),
        };
        let (head, digest) = head(&core).map_err(error)?;
        Ok((
            head,
            [entity_bytes, relation_bytes, designation_bytes],
            digest,
        ))
    }

    /// Opens a snapshot written by [`Facts::write_snapshot`]: reads its header and core, and
    /// leaves the records in the file until a decision asks for them.
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
        let core_length = core_length(&name, &header)?;
        let mut head = AlignedVec::<ALIGNMENT>::with_capacity(HEADER + core_length);
        head.extend_from_slice(&header);
        head.extend_from_reader(&mut Read::by_ref(&mut file).take(core_length as u64))
            .map_err(read_error)?;
        let body_length = length.saturating_sub(head.len() as u64);
        #[cfg(unix)]
        let body = Body::File(file, head.len() as u64);
        #[cfg(not(unix))]
        let body = {
            let mut bytes = head.to_vec();
            file.read_to_end(&mut bytes).map_err(read_error)?;
            Body::Memory(bytes.into(), head.len())
        };
        Facts::from_parts(&name, &head, body_length, body)
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

    /// Opens a snapshot held in shared memory without copying it; records are decoded from the
    /// bytes as decisions ask for them.
    pub fn from_shared_snapshot(name: &str, bytes: Arc<[u8]>) -> Result<Facts, FactsError> {
        let core_length = core_length(name, &bytes)?;
        let Some(head) = bytes.get(..HEADER + core_length) else {
            return Err(damaged(name, "it ends inside its core"));
        };
        let body_length = (bytes.len() - head.len()) as u64;
        let body = Body::Memory(Arc::clone(&bytes), head.len());
        if head.as_ptr().align_offset(ALIGNMENT) != 0 {
            let mut aligned = AlignedVec::<ALIGNMENT>::with_capacity(head.len());
            aligned.extend_from_slice(head);
            return Facts::from_parts(name, &aligned, body_length, body);
        }
        Facts::from_parts(name, head, body_length, body)
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

    /// The store from a snapshot's header and core (`head`, aligned) and where its records lie.
    fn from_parts(
        name: &str,
        head: &[u8],
        body_length: u64,
        body: Body,
    ) -> Result<Facts, FactsError> {
        let core = head.get(HEADER..).unwrap_or_default();
        let (digest, core) = rayon::join(
            || digest_of(head),
            || {
                let archived = rkyv::access::<ArchivedCore, ArchiveError>(core)
                    .map_err(|e| damaged(name, &e.to_string()))?;
                rkyv::deserialize::<Core, ArchiveError>(archived)
                    .map_err(|e| damaged(name, &e.to_string()))
            },
        );
        let core = core?;
        for section in [&core.entities, &core.relations, &core.designations] {
            check_section(section).map_err(|problem| damaged(name, problem))?;
        }
        if section_end(&core) != Some(body_length) {
            return Err(damaged(
                name,
                "its records do not fill the file as its core says",
            ));
        }
        let body = Arc::new(body);
        Ok(Facts {
            name: name.to_owned(),
            digest,
            entities: chunked(&body, core.entities),
            entity_index: IdIndex::Hashed(core.ids),
            relations: chunked(&body, core.relations),
            designations: chunked(&body, core.designations),
            designation_offsets: core.designation_offsets,
            designation_order: core.designation_order,
            edge_offsets: core.edge_offsets,
            edges: core.edges,
            edge_groups: core.edge_groups,
            transaction_index: super::indexes::transaction_index(&core.transactions),
            transactions: core.transactions,
            change_days: core.change_days,
            snapshots: core.snapshots,
            licences: core.licences,
            history: core.history,
            lists: core.lists,
            rates: core.rates,
        })
    }
}

/// A section of an opened snapshot, decoded on first use.
fn chunked<T: Record>(body: &Arc<Body>, section: Section) -> Records<T> {
    Records::Archived(Arc::new(Chunked::new(Arc::clone(body), section)))
}

/// A snapshot's header and core, the chunks of its three record sections, and its digest.
type SnapshotParts = (Vec<u8>, [Vec<u8>; 3], String);

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

/// A snapshot's header and archived core, and the store digest they make.
pub(super) fn head(core: &Core) -> std::io::Result<(Vec<u8>, String)> {
    let core = rkyv::to_bytes::<ArchiveError>(core).map_err(std::io::Error::other)?;
    let mut head = Vec::with_capacity(HEADER + core.len());
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&(core.len() as u64).to_le_bytes());
    head.extend_from_slice(&[0; HEADER - MAGIC.len() - 8]);
    head.extend_from_slice(&core);
    let digest = digest_of(&head);
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

/// The core's length from a snapshot's header, or why the bytes are no snapshot of this version.
fn core_length(name: &str, bytes: &[u8]) -> Result<usize, FactsError> {
    if !bytes.starts_with(MAGIC) {
        return Err(snapshot_error(name, not_a_snapshot(bytes)));
    }
    let length = bytes
        .get(MAGIC.len()..MAGIC.len() + 8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_le_bytes)
        .and_then(|l| usize::try_from(l).ok());
    length.ok_or_else(|| damaged(name, "its header is cut short"))
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

/// `sha256:` and the hex digest of the bytes.
fn digest_of(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}
