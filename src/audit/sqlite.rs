//! The audit store in an embedded SQLite database (rusqlite with SQLite bundled, so nothing needs
//! installing). Schema, version 1 (`PRAGMA user_version`):
//!
//! ```sql
//! CREATE TABLE blobs (
//!   digest  TEXT PRIMARY KEY,      -- sha256: of content
//!   kind    TEXT NOT NULL,         -- policies | facts
//!   content BLOB NOT NULL          -- a PolicyBundle or FactsBundle as JSON
//! );
//! CREATE TABLE decisions (
//!   id          INTEGER PRIMARY KEY, -- 1, 2, 3... in append order
//!   transaction_id TEXT NOT NULL,
//!   decided_at  TEXT NOT NULL,       -- copied from the record, for queries
//!   record      BLOB NOT NULL,       -- the DecisionRecord as JSON
//!   policies    TEXT NOT NULL REFERENCES blobs(digest),
//!   facts       TEXT NOT NULL REFERENCES blobs(digest),
//!   decision    BLOB NOT NULL,       -- the Decision as compact JSON, the bytes a replay reproduces
//!   previous    TEXT NOT NULL,       -- the hash of entry id - 1 (sha256:0…0 for the first)
//!   hash        TEXT NOT NULL        -- see audit::entry_hash
//! );
//! ```

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::{
    AuditError, AuditStore, BlobKind, Entry, GENESIS, NewEntry, Verification, digest, entry_hash,
};

/// The schema version this engine writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE blobs (
  digest  TEXT PRIMARY KEY,
  kind    TEXT NOT NULL,
  content BLOB NOT NULL
);
CREATE TABLE decisions (
  id             INTEGER PRIMARY KEY,
  transaction_id TEXT NOT NULL,
  decided_at     TEXT NOT NULL,
  record         BLOB NOT NULL,
  policies       TEXT NOT NULL REFERENCES blobs(digest),
  facts          TEXT NOT NULL REFERENCES blobs(digest),
  decision       BLOB NOT NULL,
  previous       TEXT NOT NULL,
  hash           TEXT NOT NULL
);
";

/// An audit store in one SQLite file.
pub struct SqliteStore {
    path: String,
    connection: Connection,
}

impl SqliteStore {
    /// Opens the database at `path`, creating it (and the schema) if it does not exist. A file
    /// that is not an audit database, is damaged, or comes from a newer schema is refused before
    /// anything is written.
    pub fn open(path: &Path) -> Result<SqliteStore, AuditError> {
        let name = path.display().to_string();
        let unusable = |e: rusqlite::Error| AuditError::Unusable {
            path: name.clone(),
            message: e.to_string(),
        };
        let connection = Connection::open(path).map_err(unusable)?;
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(unusable)?;
        let tables: i64 = connection
            .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
            .map_err(unusable)?;
        if version > SCHEMA_VERSION {
            return Err(AuditError::NewerSchema {
                path: name,
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version == 0 && tables > 0 {
            return Err(AuditError::Unusable {
                path: name,
                message: String::from("it is an SQLite database, but not an Interdict audit store"),
            });
        }
        let check: String = connection
            .query_row("PRAGMA quick_check", [], |row| row.get(0))
            .map_err(unusable)?;
        if check != "ok" {
            return Err(AuditError::Unusable {
                path: name,
                message: format!("SQLite finds it damaged ({check})"),
            });
        }
        if version == 0 {
            // Pages large enough that a decision's row rarely overflows onto a second page.
            connection
                .execute_batch(&format!(
                    "PRAGMA page_size = 16384; BEGIN; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
                ))
                .map_err(unusable)?;
        }
        Ok(SqliteStore {
            path: name,
            connection,
        })
    }

    fn broken(&self, message: impl Into<String>) -> AuditError {
        AuditError::Broken {
            path: self.path.clone(),
            message: message.into(),
        }
    }

    fn sql_error(&self, error: rusqlite::Error) -> AuditError {
        AuditError::Unusable {
            path: self.path.clone(),
            message: error.to_string(),
        }
    }

    fn last_hash(&self) -> Result<(i64, String), AuditError> {
        let last = self
            .connection
            .query_row(
                "SELECT id, hash FROM decisions ORDER BY id DESC LIMIT 1",
                [],
                |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        Ok(last.unwrap_or((0, GENESIS.to_owned())))
    }

    fn read_entry(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawEntry> {
        Ok(RawEntry {
            id: row.get(0)?,
            record: row.get(1)?,
            policies: row.get(2)?,
            facts: row.get(3)?,
            decision: row.get(4)?,
            previous: row.get(5)?,
            hash: row.get(6)?,
        })
    }

    fn raw_entries(&self, ids: &[i64]) -> Result<Vec<RawEntry>, AuditError> {
        const COLUMNS: &str =
            "SELECT id, record, policies, facts, decision, previous, hash FROM decisions";
        if ids.is_empty() {
            let mut statement = self
                .connection
                .prepare(&format!("{COLUMNS} ORDER BY id"))
                .map_err(|e| self.sql_error(e))?;
            let rows = statement
                .query_map([], Self::read_entry)
                .map_err(|e| self.sql_error(e))?;
            return rows
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| self.sql_error(e));
        }
        let mut statement = self
            .connection
            .prepare(&format!("{COLUMNS} WHERE id = ?1"))
            .map_err(|e| self.sql_error(e))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let entry = statement
                .query_row([id], Self::read_entry)
                .optional()
                .map_err(|e| self.sql_error(e))?
                .ok_or_else(|| self.broken(format!("it holds no decision {id}")))?;
            out.push(entry);
        }
        Ok(out)
    }
}

/// An entry as stored, the record still as bytes (the hash covers those bytes).
struct RawEntry {
    id: i64,
    record: Vec<u8>,
    policies: String,
    facts: String,
    decision: Vec<u8>,
    previous: String,
    hash: String,
}

impl AuditStore for SqliteStore {
    fn put_blob(&mut self, kind: BlobKind, content: &[u8]) -> Result<String, AuditError> {
        let key = digest(content);
        self.connection
            .execute(
                "INSERT OR IGNORE INTO blobs (digest, kind, content) VALUES (?1, ?2, ?3)",
                params![key, kind.keyword(), content],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(key)
    }

    fn blob(&self, key: &str) -> Result<Vec<u8>, AuditError> {
        self.connection
            .query_row(
                "SELECT content FROM blobs WHERE digest = ?1",
                [key],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?
            .ok_or_else(|| self.broken(format!("the blob {key} is missing")))
    }

    fn append(&mut self, entries: Vec<NewEntry>) -> Result<Vec<i64>, AuditError> {
        let (mut id, mut previous) = self.last_hash()?;
        let path = self.path.clone();
        let fail = |e: rusqlite::Error| AuditError::Unusable {
            path: path.clone(),
            message: e.to_string(),
        };
        let transaction = self.connection.transaction().map_err(fail)?;
        let mut ids = Vec::with_capacity(entries.len());
        {
            let mut insert = transaction
                .prepare_cached(
                    "INSERT INTO decisions (id, transaction_id, decided_at, record, policies, facts, decision, previous, hash) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(fail)?;
            for entry in entries {
                id += 1;
                let record = serde_json::to_vec(&entry.record).map_err(|e| AuditError::Broken {
                    path: path.clone(),
                    message: format!("a record cannot be written: {e}"),
                })?;
                let hash = entry_hash(
                    &previous,
                    id,
                    &record,
                    &entry.policies,
                    &entry.facts,
                    &entry.decision,
                );
                insert
                    .execute(params![
                        id,
                        entry.record.transaction,
                        entry.record.decided_at,
                        record,
                        entry.policies,
                        entry.facts,
                        entry.decision,
                        previous,
                        hash
                    ])
                    .map_err(fail)?;
                ids.push(id);
                previous = hash;
            }
        }
        transaction.commit().map_err(fail)?;
        Ok(ids)
    }

    fn entries(&self, ids: &[i64]) -> Result<Vec<Entry>, AuditError> {
        self.raw_entries(ids)?
            .into_iter()
            .map(|raw| {
                let record = serde_json::from_slice(&raw.record).map_err(|e| {
                    self.broken(format!(
                        "the record of decision {} is unreadable: {e}",
                        raw.id
                    ))
                })?;
                Ok(Entry {
                    id: raw.id,
                    record,
                    policies: raw.policies,
                    facts: raw.facts,
                    decision: raw.decision,
                    previous: raw.previous,
                    hash: raw.hash,
                })
            })
            .collect()
    }

    fn verify(&self) -> Result<Verification, AuditError> {
        let mut verification = Verification::default();
        let mut previous = GENESIS.to_owned();
        let mut expected_id = 1;
        for raw in self.raw_entries(&[])? {
            verification.entries += 1;
            if raw.id != expected_id {
                verification.problems.push(format!(
                    "decision {expected_id} is missing (the next is {})",
                    raw.id
                ));
            }
            if raw.previous != previous {
                verification.problems.push(format!(
                    "decision {} does not link to the one before it",
                    raw.id
                ));
            }
            let hash = entry_hash(
                &raw.previous,
                raw.id,
                &raw.record,
                &raw.policies,
                &raw.facts,
                &raw.decision,
            );
            if hash != raw.hash {
                verification.problems.push(format!(
                    "decision {} was changed after it was recorded (its hash is {}, its content hashes to {hash})",
                    raw.id, raw.hash
                ));
            }
            previous = raw.hash;
            expected_id = raw.id + 1;
        }
        let mut statement = self
            .connection
            .prepare("SELECT digest, content FROM blobs ORDER BY digest")
            .map_err(|e| self.sql_error(e))?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, Vec<u8>>(1)?))
            })
            .map_err(|e| self.sql_error(e))?;
        for row in rows {
            let (key, content) = row.map_err(|e| self.sql_error(e))?;
            verification.blobs += 1;
            if digest(&content) != key {
                verification
                    .problems
                    .push(format!("the blob {key} was changed after it was stored"));
            }
        }
        Ok(verification)
    }
}
