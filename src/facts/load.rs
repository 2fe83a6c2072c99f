//! Reading a facts file and checking every reference in it before anything is decided.
//!
//! All problems are collected, not just the first, so an analyst can fix a file in one pass; each
//! names the file, the record (`relations[3]`, with its id where it has one) and the field.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::records::{FactsDocument, RelationKind};
use super::{
    Designation, Direction, EntityIndex, Facts, HalfEdge, Party, Relation, Transaction, compress,
};
use crate::date::Date;

/// Why facts could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum FactsError {
    /// The file could not be read.
    #[error("cannot read facts file `{path}`: {source}")]
    Read {
        /// The path given.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is not well-formed YAML or JSON, or a record has a wrong field.
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// 1-based line (0 when unknown).
        line: u64,
        /// 1-based column (0 when unknown).
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// The file is not a store snapshot this version of Interdict can open, or is damaged.
    #[error("{file}: {message}")]
    Snapshot {
        /// The file.
        file: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// The file parsed, but its records do not fit together.
    #[error("{file}: {count} problem(s) in the facts: {list}", count = problems.len(), list = summarize(problems))]
    Invalid {
        /// The file.
        file: String,
        /// Every problem found.
        problems: Vec<FactsProblem>,
    },
}

/// One record that does not fit with the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactsProblem {
    /// The record, such as `relations[3] (r4)`.
    pub record: String,
    /// What is wrong with it.
    pub message: String,
}

/// The first few problems on one line, for callers that only print the error.
fn summarize(problems: &[FactsProblem]) -> String {
    const SHOWN: usize = 3;
    let mut list: Vec<String> = problems
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect();
    if problems.len() > SHOWN {
        list.push(format!("and {} more", problems.len() - SHOWN));
    }
    list.join("; ")
}

impl fmt::Display for FactsProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.record, self.message)
    }
}

impl FactsDocument {
    /// Reads a YAML or JSON facts file into records, without validating references: for callers
    /// that merge it with imported lists before building the store.
    pub fn read(path: impl AsRef<Path>) -> Result<FactsDocument, FactsError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| FactsError::Read {
            path: name.clone(),
            source,
        })?;
        parse(&name, &text)
    }
}

impl Facts {
    /// Reads and validates a YAML or JSON facts file (JSON when the name ends in `.json`), or opens
    /// a store snapshot (recognised by its first bytes, whatever its name).
    pub fn load(path: impl AsRef<Path>) -> Result<Facts, FactsError> {
        #[cfg(feature = "snapshot")]
        if Facts::is_snapshot_file(path.as_ref()) {
            return Facts::open_snapshot(path);
        }
        let (name, text) = read_text(path.as_ref())?;
        Facts::from_text(&name, &text)
    }

    /// Parses and validates facts held in memory; `name` is used in errors and decisions.
    pub fn from_text(name: &str, text: &str) -> Result<Facts, FactsError> {
        let document = parse(name, text)?;
        let digest = format!("sha256:{:x}", Sha256::digest(text.as_bytes()));
        Facts::build(name, document, digest)
    }

    /// Validates and indexes records built in code (by an importer, a test or a benchmark).
    ///
    /// The digest is taken over the records' canonical JSON, so the same records always carry the
    /// same digest however they were produced.
    pub fn from_document(name: &str, document: FactsDocument) -> Result<Facts, FactsError> {
        let mut hasher = Sha256::new();
        serde_json::to_writer(HashWriter(&mut hasher), &document).map_err(|e| {
            FactsError::Syntax {
                file: name.to_owned(),
                line: 0,
                column: 0,
                message: format!("the records cannot be serialised for their digest: {e}"),
            }
        })?;
        let digest = format!("sha256:{:x}", hasher.finalize());
        Facts::build(name, document, digest)
    }

    fn build(name: &str, document: FactsDocument, digest: String) -> Result<Facts, FactsError> {
        let mut builder = Builder::new(name, &document);
        builder.entities();
        let relations = builder.relations();
        let designations = builder.designations();
        let transactions = builder.transactions();
        builder.licences();
        if !builder.problems.is_empty() {
            return Err(FactsError::Invalid {
                file: name.to_owned(),
                problems: builder.problems,
            });
        }
        let entity_index = builder.index;
        let transaction_index = (0..transactions.len())
            .filter_map(|i| Some((transactions.get(i)?.id.clone(), i)))
            .collect();
        let mut facts = Facts {
            name: name.to_owned(),
            digest,
            entities: document.entities,
            entity_index,
            relations,
            designations,
            designation_offsets: Vec::new(),
            designation_order: Vec::new(),
            edge_offsets: Vec::new(),
            edges: Vec::new(),
            transactions,
            transaction_index,
            change_days: Vec::new(),
            ownership: Default::default(),
            snapshots: document.snapshots,
            licences: document.licences,
            lists: Vec::new(),
        };
        facts.build_indexes();
        Ok(facts)
    }

    /// Builds the per-entity adjacency and designation indexes.
    fn build_indexes(&mut self) {
        let count = self.entities.len();
        let mut edges: Vec<(EntityIndex, HalfEdge)> = Vec::with_capacity(self.relations.len() * 2);
        for (index, relation) in (0u32..).zip(&self.relations) {
            let half = |direction, other| HalfEdge {
                kind: relation.kind,
                direction,
                relation: index,
                other,
            };
            edges.push((relation.from, half(Direction::Outgoing, relation.to)));
            edges.push((relation.to, half(Direction::Incoming, relation.from)));
        }
        edges.sort_unstable();
        self.edge_offsets = compress(count, edges.iter().map(|(entity, _)| *entity));
        self.edges = edges.into_iter().map(|(_, half)| half).collect();

        let mut order: Vec<(EntityIndex, u32)> = (0u32..)
            .zip(&self.designations)
            .map(|(i, d)| (d.entity, i))
            .collect();
        order.sort_unstable();
        self.designation_offsets = compress(count, order.iter().map(|(entity, _)| *entity));
        self.designation_order = order.into_iter().map(|(_, d)| d).collect();

        let designation_days = self.designations.iter().flat_map(|d| {
            [
                d.listed_on,
                d.delisted_on,
                d.unlisted_on.map(Date::next_day),
            ]
        });
        let relation_days = self.relations.iter().flat_map(|r| [r.start, r.end]);
        let mut days: Vec<_> = designation_days.chain(relation_days).flatten().collect();
        days.sort_unstable();
        days.dedup();
        self.change_days = days;

        let mut lists: Vec<String> = self.designations.iter().map(|d| d.list.clone()).collect();
        lists.sort_unstable();
        lists.dedup();
        self.lists = lists;
    }
}

/// A facts file's name, as errors and decisions cite it, and its text.
fn read_text(path: &Path) -> Result<(String, String), FactsError> {
    let name = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => Ok((name, text)),
        Err(source) => Err(FactsError::Read { path: name, source }),
    }
}

/// Feeds serialised bytes straight into a hasher, so no copy of the document is held.
struct HashWriter<'h>(&'h mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Parses the text as JSON or YAML, keeping the parser's position in the error.
fn parse(name: &str, text: &str) -> Result<FactsDocument, FactsError> {
    let document: Option<FactsDocument> = if name.ends_with(".json") {
        parse_json(name, text)?
    } else {
        crate::yaml::from_str(text).map_err(|e| FactsError::Syntax {
            file: name.to_owned(),
            line: e.line.unwrap_or(0),
            column: e.column.unwrap_or(0),
            message: e.message,
        })?
    };
    // An empty document (`---`, `null`, or nothing at all) holds no facts.
    Ok(document.unwrap_or_default())
}

/// Parses JSON strictly: records must be objects with named fields. serde's derived structs would
/// also accept an array and read it by position, so a swapped column would silently become a
/// swapped listing and delisting date; the shape is checked first to rule that out.
fn parse_json(name: &str, text: &str) -> Result<Option<FactsDocument>, FactsError> {
    let syntax = |e: serde_json::Error| {
        let message = e.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_owned();
        let column = char_column(text, e.line(), e.column());
        FactsError::Syntax {
            file: name.to_owned(),
            line: e.line() as u64,
            column,
            message,
        }
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(syntax)?;
    let problems = json_shape_problems(&value);
    if !problems.is_empty() {
        return Err(FactsError::Invalid {
            file: name.to_owned(),
            problems,
        });
    }
    serde_json::from_str(text).map_err(syntax)
}

/// Records written as something other than an object: the document itself, or any record in a
/// section.
fn json_shape_problems(value: &serde_json::Value) -> Vec<FactsProblem> {
    use serde_json::Value;
    let sections = match value {
        Value::Null => return Vec::new(),
        Value::Object(sections) => sections,
        _ => {
            return vec![FactsProblem {
                record: String::from("the document"),
                message: String::from(
                    "must be an object with `entities`, `relations`, `designations` and `transactions`",
                ),
            }];
        }
    };
    let mut problems = Vec::new();
    for (section, records) in sections {
        let Value::Array(records) = records else {
            continue;
        };
        for (position, record) in records.iter().enumerate() {
            if !record.is_object() {
                problems.push(FactsProblem {
                    record: format!("{section}[{position}]"),
                    message: String::from("is not an object; write each record with named fields, e.g. {\"id\": ..., \"kind\": ...}"),
                });
            }
        }
    }
    problems
}

/// serde_json counts columns in bytes; people (and carets) count characters.
fn char_column(text: &str, line: usize, byte_column: usize) -> u64 {
    let Some(line_text) = text.split('\n').nth(line.saturating_sub(1)) else {
        return byte_column as u64;
    };
    let prefix = line_text
        .get(..byte_column.min(line_text.len()))
        .map_or(byte_column, |p| p.chars().count());
    prefix as u64
}

/// The id cited for a relation written without one: `r<N>`, counted from 1 in file order, unless
/// the file itself uses that id for another relation.
fn generated_id(position: usize, written: &std::collections::HashSet<&str>) -> String {
    let id = format!("r{}", position + 1);
    if written.contains(id.as_str()) {
        format!("relations[{position}]")
    } else {
        id
    }
}

/// Resolves ids to positions and collects every problem on the way.
struct Builder<'a> {
    document: &'a FactsDocument,
    index: HashMap<String, EntityIndex>,
    problems: Vec<FactsProblem>,
}

impl<'a> Builder<'a> {
    fn new(_name: &str, document: &'a FactsDocument) -> Self {
        Builder {
            document,
            index: HashMap::with_capacity(document.entities.len()),
            problems: Vec::new(),
        }
    }

    fn problem(&mut self, record: String, message: String) {
        self.problems.push(FactsProblem { record, message });
    }

    /// Reports each named field whose text is empty.
    fn require_text(&mut self, record: &str, fields: &[(&str, &str)]) {
        for (field, value) in fields {
            if value.trim().is_empty() {
                self.problem(record.to_owned(), format!("`{field}` is empty"));
            }
        }
    }

    fn entities(&mut self) {
        for (position, entity) in (0u32..).zip(&self.document.entities) {
            let record = format!("entities[{position}] ({})", entity.id);
            if entity.id.trim().is_empty() {
                self.problem(
                    record,
                    String::from("`id` is empty; give every entity an id"),
                );
                continue;
            }
            if let Some(first) = self.index.insert(entity.id.clone(), position) {
                self.index.insert(entity.id.clone(), first);
                let message = format!(
                    "duplicate entity id `{}`, first used by entities[{first}]; ids must be unique",
                    entity.id
                );
                self.problem(record, message);
            }
        }
    }

    /// The position of entity `id`, or a problem naming the record and field that mention it.
    fn resolve(&mut self, id: &str, record: &str, field: &str) -> Option<EntityIndex> {
        let found = self.index.get(id).copied();
        if found.is_none() {
            let message = format!("`{field}` names entity `{id}`, which is not among the entities");
            self.problem(record.to_owned(), message);
        }
        found
    }

    fn relations(&mut self) -> Vec<Relation> {
        let mut ids: HashMap<String, usize> = HashMap::new();
        let written: std::collections::HashSet<&str> = self
            .document
            .relations
            .iter()
            .filter_map(|r| r.id.as_deref())
            .collect();
        let mut relations = Vec::with_capacity(self.document.relations.len());
        for (position, raw) in self.document.relations.iter().enumerate() {
            let id = raw
                .id
                .clone()
                .unwrap_or_else(|| generated_id(position, &written));
            let record = format!("relations[{position}] ({id})");
            if let Some(first) = ids.get(&id) {
                let message =
                    format!("duplicate relation id `{id}`, first used by relations[{first}]");
                self.problem(record.clone(), message);
            } else {
                ids.insert(id.clone(), position);
            }
            self.check_relation_fields(raw, &record);
            let from = self.resolve(&raw.from, &record, "from");
            let to = self.resolve(&raw.to, &record, "to");
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            if from == to {
                self.problem(record, format!("relates `{}` to itself", raw.from));
                continue;
            }
            relations.push(Relation {
                id,
                kind: raw.kind,
                from,
                to,
                percent: raw.percent,
                role: raw.role.clone(),
                start: raw.start,
                end: raw.end,
                source: raw.source.clone(),
                basis: raw.basis,
            });
        }
        relations
    }

    fn check_relation_fields(&mut self, raw: &super::RelationRecord, record: &str) {
        if let Some(percent) = raw.percent {
            if raw.kind != RelationKind::Owns {
                let message = format!(
                    "`percent` is given for a `{}` relation; only `owns` carries a stake",
                    raw.kind.keyword()
                );
                self.problem(record.to_owned(), message);
            } else if !(0.0..=100.0).contains(&percent) {
                let message = format!("`percent` is {percent}; a stake must lie between 0 and 100");
                self.problem(record.to_owned(), message);
            }
        }
        if raw.basis.is_some() && raw.kind != RelationKind::Controls {
            let message = format!(
                "`basis` is given for a `{}` relation; only `controls` rests on a basis",
                raw.kind.keyword()
            );
            self.problem(record.to_owned(), message);
        }
        if let (Some(start), Some(end)) = (raw.start, raw.end)
            && end <= start
        {
            let message = format!("`end` {end} is not after `start` {start}");
            self.problem(record.to_owned(), message);
        }
    }

    fn designations(&mut self) -> Vec<Designation> {
        let mut designations = Vec::with_capacity(self.document.designations.len());
        for (position, raw) in self.document.designations.iter().enumerate() {
            let reference = raw.reference.as_deref().unwrap_or(&raw.list);
            let record = format!("designations[{position}] ({reference})");
            if let (Some(listed), Some(delisted)) = (raw.listed_on, raw.delisted_on)
                && delisted <= listed
            {
                let message = format!("`delisted_on` {delisted} is not after `listed_on` {listed}");
                self.problem(record.clone(), message);
            }
            if let (Some(unlisted), Some(by)) = (raw.unlisted_on, raw.listed_by)
                && by <= unlisted
            {
                let message = format!("`listed_by` {by} is not after `unlisted_on` {unlisted}");
                self.problem(record.clone(), message);
            }
            if raw.list.trim().is_empty() {
                self.problem(
                    record.clone(),
                    String::from("`list` is empty; name the list, e.g. OFAC-SDN"),
                );
            }
            let Some(entity) = self.resolve(&raw.entity, &record, "entity") else {
                continue;
            };
            designations.push(Designation {
                entity,
                list: raw.list.clone(),
                programs: raw.programs.clone(),
                listed_on: raw.listed_on,
                delisted_on: raw.delisted_on,
                reference: raw.reference.clone(),
                source: raw.source.clone(),
                listed_by: raw.listed_by,
                unlisted_on: raw.unlisted_on,
                measure: raw.measure.unwrap_or_default(),
                directive: raw.directive.clone(),
            });
        }
        designations
    }

    /// Checks that licence ids are unique and that the parties a licence covers exist.
    fn licences(&mut self) {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (position, licence) in self.document.licences.iter().enumerate() {
            let record = format!("licences[{position}] ({})", licence.id);
            if let Some(first) = ids.insert(licence.id.as_str(), position) {
                let message = format!(
                    "duplicate licence id `{}`, first used by licences[{first}]",
                    licence.id
                );
                self.problem(record.clone(), message);
            }
            for party in &licence.parties {
                self.resolve(party, &record, "parties");
            }
        }
    }

    fn transactions(&mut self) -> Vec<Transaction> {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        let mut transactions = Vec::with_capacity(self.document.transactions.len());
        for (position, raw) in self.document.transactions.iter().enumerate() {
            let record = format!("transactions[{position}] ({})", raw.id);
            if let Some(first) = ids.get(raw.id.as_str()) {
                let message = format!(
                    "duplicate transaction id `{}`, first used by transactions[{first}]",
                    raw.id
                );
                self.problem(record.clone(), message);
            } else {
                ids.insert(&raw.id, position);
            }
            self.require_text(&record, &[("id", &raw.id), ("kind", &raw.kind)]);
            let mut parties = Vec::with_capacity(raw.parties.len());
            for (slot, party) in raw.parties.iter().enumerate() {
                self.require_text(&record, &[(&format!("parties[{slot}].role"), &party.role)]);
                let field = format!("parties[{slot}].entity");
                if let Some(entity) = self.resolve(&party.entity, &record, &field) {
                    parties.push(Party {
                        role: party.role.clone(),
                        entity,
                    });
                }
            }
            transactions.push(Transaction {
                id: raw.id.clone(),
                kind: raw.kind.clone(),
                date: raw.date,
                amount: raw.amount.clone(),
                parties,
                attributes: raw.attributes.clone(),
            });
        }
        transactions
    }
}
