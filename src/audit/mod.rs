//! The audit store: decisions appended with everything needed to take them again, chained so that
//! a changed byte shows.
//!
//! US record-keeping asks for ten years (31 CFR 501.601); an auditor then asks "show me this
//! decision, and show me that the engine still takes it". Each entry holds the decision's bytes,
//! its [`DecisionRecord`], and the digests of two blobs stored once each: the policy texts and the
//! facts (with the imported lists merged in). Each entry's hash covers the previous entry's hash,
//! so editing, removing or reordering entries breaks the chain ([`AuditStore::verify`]).
//!
//! The store is a trait so that a server database can follow the embedded SQLite one
//! ([`sqlite::SqliteStore`]).

mod replay;
pub mod sqlite;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use replay::{Replayed, record_all, replay};

use crate::record::DecisionRecord;

/// What the store holds a blob as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobKind {
    /// A [`PolicyBundle`] as JSON.
    Policies,
    /// A [`FactsBundle`] as JSON.
    Facts,
    /// A [`DispositionsBundle`] as JSON.
    Dispositions,
}

impl BlobKind {
    /// The word stored with the blob.
    pub fn keyword(self) -> &'static str {
        match self {
            BlobKind::Policies => "policies",
            BlobKind::Facts => "facts",
            BlobKind::Dispositions => "dispositions",
        }
    }
}

/// The policy texts of a set, by file name, in load order: enough to load the same set again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyBundle {
    /// `(file name, text)` pairs.
    pub sources: Vec<PolicySource>,
}

/// One policy file of a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySource {
    /// The name it was loaded under (it appears in reasons' `source`).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// The facts as they were decided on: a file's text, or the records built from a file and the
/// lists merged with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum FactsBundle {
    /// A facts file's text (YAML, or JSON when the name ends in `.json`).
    Text {
        /// The name it was loaded under.
        name: String,
        /// Its text.
        text: String,
    },
    /// Records built in code, such as a facts file merged with imported lists.
    Document {
        /// The name they were loaded under.
        name: String,
        /// The records.
        document: Box<crate::facts::FactsDocument>,
    },
    /// A binary store snapshot's bytes (`interdict import --out`), whose digest decisions cite.
    Snapshot {
        /// The name it was opened under.
        name: String,
        /// The file's bytes.
        bytes: Vec<u8>,
    },
}

impl From<crate::store::LoadedInput> for FactsBundle {
    fn from(input: crate::store::LoadedInput) -> Self {
        use crate::store::LoadedInput;
        match input {
            LoadedInput::Text { name, text } => FactsBundle::Text { name, text },
            LoadedInput::Snapshot { name, bytes } => FactsBundle::Snapshot { name, bytes },
            LoadedInput::Document { name, document } => FactsBundle::Document { name, document },
        }
    }
}

/// A disposition register (reviewed screening alerts) as screening applied it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispositionsBundle {
    /// The name it was loaded under.
    pub name: String,
    /// Its text.
    pub text: String,
}

/// One decision to append.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// The envelope.
    pub record: DecisionRecord,
    /// The digest of the policy bundle blob.
    pub policies: String,
    /// The digest of the facts bundle blob.
    pub facts: String,
    /// The decision as compact JSON: the bytes a replay must reproduce.
    pub decision: Vec<u8>,
}

/// One stored decision.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its position in the chain, from 1.
    pub id: i64,
    /// The envelope.
    pub record: DecisionRecord,
    /// The digest of the policy bundle blob.
    pub policies: String,
    /// The digest of the facts bundle blob.
    pub facts: String,
    /// The decision's bytes.
    pub decision: Vec<u8>,
    /// The previous entry's hash (`sha256:0…0` for the first).
    pub previous: String,
    /// This entry's hash.
    pub hash: String,
}

/// What went wrong with a store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// The database could not be opened or read.
    #[error(
        "cannot use the audit database `{path}`: {message}; it is left as it was (nothing was written)"
    )]
    Unusable {
        /// The database.
        path: String,
        /// What the database layer said.
        message: String,
    },
    /// A database written by a later schema than this engine knows.
    #[error(
        "the audit database `{path}` has schema version {found}, newer than the {supported} this \
         engine reads; use a newer interdict (nothing was written)"
    )]
    NewerSchema {
        /// The database.
        path: String,
        /// Its schema version.
        found: i64,
        /// The newest version this engine reads.
        supported: i64,
    },
    /// A record or blob the chain names is missing or unreadable.
    #[error("the audit database `{path}`: {message}")]
    Broken {
        /// The database.
        path: String,
        /// What is missing or unreadable.
        message: String,
    },
}

/// The result of checking the chain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    /// Entries checked.
    pub entries: usize,
    /// Blobs checked.
    pub blobs: usize,
    /// Each problem found, naming the entry or blob.
    pub problems: Vec<String>,
}

impl Verification {
    /// Whether nothing was found wrong.
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A store of decisions, append-only.
pub trait AuditStore {
    /// Stores `content` under its digest unless already there; returns the digest.
    fn put_blob(&mut self, kind: BlobKind, content: &[u8]) -> Result<String, AuditError>;
    /// The blob stored under `digest`.
    fn blob(&self, digest: &str) -> Result<Vec<u8>, AuditError>;
    /// Appends `entries` in one transaction, chaining each to the one before; returns their ids.
    fn append(&mut self, entries: Vec<NewEntry>) -> Result<Vec<i64>, AuditError>;
    /// The entries with `ids`, or all of them in order when `ids` is empty.
    fn entries(&self, ids: &[i64]) -> Result<Vec<Entry>, AuditError>;
    /// Recomputes every hash and blob digest and checks the links between entries.
    fn verify(&self) -> Result<Verification, AuditError>;
}

/// The hash of the first entry's predecessor.
pub const GENESIS: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// `sha256:` of `bytes`.
pub fn digest(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

/// An entry's hash: over the previous hash, its id, and every stored field, each length-prefixed
/// so that no two different entries hash alike.
pub fn entry_hash(
    previous: &str,
    id: i64,
    record: &[u8],
    policies: &str,
    facts: &str,
    decision: &[u8],
) -> String {
    let mut hasher = Sha256::new();
    for part in [
        previous.as_bytes(),
        id.to_string().as_bytes(),
        record,
        policies.as_bytes(),
        facts.as_bytes(),
        decision,
    ] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    format!("sha256:{:x}", hasher.finalize())
}
