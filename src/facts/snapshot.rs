//! Binary store snapshots: facts loaded, validated and indexed once (`interdict import --out
//! store.bin`), then opened without parsing text, resolving ids or building indexes again.
//!
//! A snapshot is a 16-byte header (a magic string whose last byte is the format version) followed
//! by an [rkyv](https://rkyv.org) archive of the loaded facts, indexes included. Opening checks the
//! whole archive with rkyv's validator first, so a truncated, corrupted or hand-edited file is an
//! error naming the file, never a crash; then it rebuilds the owned records section by section on
//! every core while another core hashes the bytes read. The SHA-256 of the file is the store's
//! digest: decisions made on an opened snapshot name the file they used, and replay from it.

use std::io::Read;
use std::path::Path;

use rkyv::rancor::Error as ArchiveError;
use rkyv::util::AlignedVec;
use sha2::{Digest, Sha256};

use super::{ArchivedFacts, Facts, FactsError};

/// The first bytes of every snapshot; the last one is the format version, raised whenever the
/// layout of the facts changes so an old file is refused rather than misread.
const MAGIC: &[u8; 16] = b"INTERDICT-STORE\x02";

/// The alignment rkyv needs for the archive: the header keeps the archive at this boundary.
const ALIGNMENT: usize = 16;

/// Sections are rebuilt in chunks of this many records, so both cores share the work evenly.
const CHUNK: usize = 4096;

impl Facts {
    /// The facts as a snapshot file's bytes (header and archive), and their digest.
    pub fn to_snapshot(&self) -> Result<(Vec<u8>, String), FactsError> {
        let archive = rkyv::to_bytes::<ArchiveError>(self).map_err(|e| FactsError::Snapshot {
            file: self.name.clone(),
            message: format!("the facts cannot be archived: {e}"),
        })?;
        let mut bytes = Vec::with_capacity(MAGIC.len() + archive.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&archive);
        let digest = digest_of(&bytes);
        Ok((bytes, digest))
    }

    /// Writes the facts as a snapshot to `path` and returns the snapshot's digest, which is the
    /// digest every decision made on the opened snapshot will carry.
    pub fn write_snapshot(&self, path: impl AsRef<Path>) -> Result<String, FactsError> {
        let path = path.as_ref();
        let (bytes, digest) = self.to_snapshot()?;
        std::fs::write(path, bytes).map_err(|source| FactsError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Ok(digest)
    }

    /// Opens a snapshot written by [`Facts::write_snapshot`].
    pub fn open_snapshot(path: impl AsRef<Path>) -> Result<Facts, FactsError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let read_error = |source| FactsError::Read {
            path: name.clone(),
            source,
        };
        let mut file = std::fs::File::open(path).map_err(read_error)?;
        let length = file.metadata().map_err(read_error)?.len() as usize;
        let mut bytes = AlignedVec::<ALIGNMENT>::with_capacity(length);
        bytes
            .extend_from_reader(&mut file.by_ref())
            .map_err(read_error)?;
        Facts::from_snapshot(&name, &bytes)
    }

    /// Whether the file at `path` starts like a snapshot rather than a YAML or JSON facts file; a
    /// file that cannot be read is left to the text loader, whose error names it.
    pub fn is_snapshot_file(path: &Path) -> bool {
        let mut start = [0u8; MAGIC.len()];
        std::fs::File::open(path)
            .and_then(|mut file| file.read_exact(&mut start))
            .is_ok_and(|()| is_snapshot(&start))
    }

    /// Opens a snapshot held in memory; `name` is used in errors and decisions. The archive is read
    /// in place when the bytes start at a 16-byte boundary (as [`Facts::open_snapshot`] and
    /// allocators keep them), from an aligned copy otherwise.
    pub fn from_snapshot(name: &str, bytes: &[u8]) -> Result<Facts, FactsError> {
        if bytes.as_ptr().align_offset(ALIGNMENT) != 0 {
            let mut aligned = AlignedVec::<ALIGNMENT>::with_capacity(bytes.len());
            aligned.extend_from_slice(bytes);
            return Facts::from_snapshot(name, &aligned);
        }
        let error = |message: String| FactsError::Snapshot {
            file: name.to_owned(),
            message,
        };
        let Some(archive) = bytes.strip_prefix(MAGIC.as_slice()) else {
            return Err(error(not_a_snapshot(bytes)));
        };
        let (digest, facts) = rayon::join(
            || digest_of(bytes),
            || {
                let archived = rkyv::access::<ArchivedFacts, ArchiveError>(archive).map_err(|e| {
                    error(format!(
                        "the snapshot is damaged ({e}); write it again with `interdict import --out`"
                    ))
                })?;
                rebuild(archived).map_err(|e| error(format!("the snapshot cannot be read: {e}")))
            },
        );
        let mut facts = facts?;
        facts.name = name.to_owned();
        facts.digest = digest;
        Ok(facts)
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

/// `sha256:` and the hex digest of the bytes.
fn digest_of(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

/// The owned facts from their validated archive: the large sections are rebuilt in parallel
/// chunks, the indexes (plain arrays of positions) alongside them.
fn rebuild(archived: &ArchivedFacts) -> Result<Facts, ArchiveError> {
    use rayon::prelude::*;

    fn section<A, T>(archived: &[A]) -> Result<Vec<T>, ArchiveError>
    where
        A: rkyv::Deserialize<T, rkyv::rancor::Strategy<rkyv::de::Pool, ArchiveError>> + Sync,
        T: Send,
    {
        let chunks: Vec<Vec<T>> = archived
            .par_chunks(CHUNK)
            .map(|chunk| chunk.iter().map(rkyv::deserialize).collect())
            .collect::<Result<_, _>>()?;
        Ok(chunks.into_iter().flatten().collect())
    }

    let ((entities, relations), (designations, rest)) = rayon::join(
        || {
            rayon::join(
                || section(&archived.entities),
                || section(&archived.relations),
            )
        },
        || {
            rayon::join(
                || section(&archived.designations),
                || {
                    rkyv::deserialize::<_, ArchiveError>(&archived.entity_index).and_then(
                        |entity_index| {
                            Ok((
                                entity_index,
                                rkyv::deserialize::<_, ArchiveError>(&archived.transactions)?,
                            ))
                        },
                    )
                },
            )
        },
    );
    let (entity_index, transactions) = rest?;
    Ok(Facts {
        name: String::new(),
        digest: String::new(),
        entities: entities?,
        entity_index,
        relations: relations?,
        designations: designations?,
        designation_offsets: rkyv::deserialize(&archived.designation_offsets)?,
        designation_order: rkyv::deserialize(&archived.designation_order)?,
        edge_offsets: rkyv::deserialize(&archived.edge_offsets)?,
        edges: rkyv::deserialize(&archived.edges)?,
        edge_groups: rkyv::deserialize(&archived.edge_groups)?,
        transactions,
        transaction_index: rkyv::deserialize(&archived.transaction_index)?,
        change_days: rkyv::deserialize(&archived.change_days)?,
        snapshots: rkyv::deserialize(&archived.snapshots)?,
        licences: rkyv::deserialize(&archived.licences)?,
        history: rkyv::deserialize(&archived.history)?,
        lists: rkyv::deserialize(&archived.lists)?,
    })
}
