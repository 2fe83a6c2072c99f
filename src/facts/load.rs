//! Reading a facts file and checking every reference in it before anything is decided.
//!
//! All problems are collected, not just the first, so an analyst can fix a file in one pass; each
//! names the file, the record (`relations[3]`, with its id where it has one) and the field.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::LicenceRecord;
use super::records::{
    AttributeValue, DesignationRecord, EntityRecord, FactsDocument, RateRecord, RelationKind,
    RelationRecord, TransactionRecord,
};
use super::{Designation, EntityIndex, Facts, HalfEdge, Party, Relation, Transaction};
use crate::date::Date;

/// Why facts could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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
    /// The file is larger than the facts limit ([`facts_limit`]).
    #[error(
        "facts file `{file}` is {bytes} bytes, over the limit of {limit} bytes for a YAML or JSON \
         facts file: loading one takes about eight times its size in memory. Import it once, with \
         the lists, into a store snapshot that opens without parsing (`interdict \
         --max-facts-bytes {bytes} import --list KIND=PATH --facts {file} --out store.bin`, then \
         `--facts store.bin`), split it, or raise the limit knowingly (`--max-facts-bytes`, \
         `interdict::facts::set_facts_limit`)"
    )]
    TooLarge {
        /// The file.
        file: String,
        /// Its size.
        bytes: u64,
        /// The limit in force.
        limit: u64,
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

/// The largest YAML or JSON facts file read unless the limit is raised (100 MiB). Parsed records
/// take about eight times their text in memory (an 82 MB JSON file of 300,000 entities and 600,000
/// relations: 644 MB at peak), so the default keeps one load under 1 GB; larger stores are imported
/// into a binary snapshot, which opens without parsing.
pub const MAX_FACTS_BYTES: u64 = 100 << 20;

/// The limit in force, in bytes: [`MAX_FACTS_BYTES`] until [`set_facts_limit`] changes it.
static FACTS_LIMIT: AtomicU64 = AtomicU64::new(MAX_FACTS_BYTES);

/// Raises (or lowers) the largest YAML or JSON facts file this process reads, for a machine
/// with the memory to load it (about eight times the file). The command line's
/// `--max-facts-bytes` sets it; a program sets it once, before loading. Store snapshots are not
/// bounded by it: they open without parsing.
pub fn set_facts_limit(bytes: u64) {
    FACTS_LIMIT.store(bytes, Ordering::Relaxed);
}

/// The largest YAML or JSON facts file this process reads, in bytes.
pub fn facts_limit() -> u64 {
    FACTS_LIMIT.load(Ordering::Relaxed)
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
        check_size(&name, path)?;
        let text = read_utf8(&name, path)?;
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

    /// The text of a YAML or JSON facts file, for callers that keep it (an audit record does);
    /// a file over the facts limit ([`facts_limit`]) is refused before it is read.
    pub fn read_text(path: impl AsRef<Path>) -> Result<String, FactsError> {
        read_text(path.as_ref()).map(|(_, text)| text)
    }

    /// Parses and validates facts held in memory; `name` is used in errors and decisions. The
    /// facts limit bounds files as they are read, not text the caller already holds: a caller
    /// taking text from elsewhere bounds it by [`facts_limit`] itself.
    pub fn from_text(name: &str, text: &str) -> Result<Facts, FactsError> {
        let (document, digest) = both(
            || parse(name, text),
            || format!("sha256:{:x}", Sha256::digest(text.as_bytes())),
        );
        Facts::build(name, document?, digest)
    }

    /// Validates and indexes records built in code (by an importer, a test or a benchmark).
    ///
    /// The digest is taken over the records' canonical JSON, so the same records always carry the
    /// same digest however they were produced.
    /// Serialising and hashing the records runs on one core while they are validated on another.
    pub fn from_document(name: &str, document: FactsDocument) -> Result<Facts, FactsError> {
        let (digest, resolved) = both(
            || document_digest(name, &document),
            || Resolved::of(name, &document),
        );
        Ok(Facts::assemble(name, document, resolved?, digest?))
    }

    fn build(name: &str, document: FactsDocument, digest: String) -> Result<Facts, FactsError> {
        let resolved = Resolved::of(name, &document)?;
        Ok(Facts::assemble(name, document, resolved, digest))
    }

    /// The store from validated records and their resolved references.
    fn assemble(name: &str, document: FactsDocument, resolved: Resolved, digest: String) -> Facts {
        let FactsDocument {
            entities,
            relations: relation_records,
            designations: designation_records,
            transactions: transaction_records,
            licences,
            snapshots,
            rates,
        } = document;
        // Resolved into `resolved`, the records are freed before the indexes are built rather
        // than held beside them.
        drop((relation_records, designation_records, transaction_records));
        let Resolved {
            entity_index,
            relations,
            designations,
            transactions,
        } = resolved;
        let transaction_index = super::indexes::transaction_index(&transactions);
        let mut facts = Facts {
            name: name.to_owned(),
            digest: digest.into(),
            entities: super::stored::Records::Loaded(entities),
            entity_index: super::stored::IdIndex::Map(entity_index),
            relations: super::stored::Records::Loaded(relations),
            designations: super::stored::Records::Loaded(designations),
            designation_offsets: Default::default(),
            designation_order: Default::default(),
            edge_offsets: Default::default(),
            edges: Default::default(),
            edge_groups: Default::default(),
            transactions,
            transaction_index,
            change_days: Vec::new(),
            snapshots,
            licences,
            lists: Vec::new(),
            history: Default::default(),
            rates,
        };
        super::rates::index(&mut facts.rates);
        facts.build_indexes();
        facts
    }

    /// Builds the per-entity adjacency and designation indexes.
    fn build_indexes(&mut self) {
        use super::indexes;
        let count = self.entities.len();
        self.history = super::history::History::build(&self.transactions, count);
        let mut edges: Vec<(EntityIndex, HalfEdge)> = Vec::with_capacity(self.relations.len() * 2);
        for (index, relation) in (0u32..).zip(self.relations.iter()) {
            edges.extend(indexes::half_edges(index, relation));
        }
        let edges = indexes::edge_index(count, edges);
        self.edge_offsets = edges.offsets;
        self.edge_groups = edges.groups;
        self.edges = edges.edges;

        let order = (0u32..)
            .zip(self.designations.iter())
            .map(|(i, d)| (d.entity, i))
            .collect();
        (self.designation_offsets, self.designation_order) =
            indexes::designation_index(count, order);

        let designation_days = self.designations.iter().flat_map(indexes::designation_days);
        let relation_days = self.relations.iter().flat_map(indexes::relation_days);
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

/// The records with every reference resolved to a position, once every check has passed.
struct Resolved {
    entity_index: HashMap<String, EntityIndex>,
    relations: Vec<Relation>,
    designations: Vec<Designation>,
    transactions: Vec<Transaction>,
}

impl Resolved {
    /// Checks the records and resolves their references, or every problem found.
    fn of(name: &str, document: &FactsDocument) -> Result<Resolved, FactsError> {
        let mut builder = Builder::new(document.entities.len());
        builder.entities(&document.entities);
        let relations = builder.relations(&document.relations);
        let designations = builder.designations(&document.designations);
        let transactions = builder.transactions(&document.transactions);
        builder.licences(&document.licences);
        builder.rates(&document.rates);
        if !builder.problems.is_empty() {
            return Err(FactsError::Invalid {
                file: name.to_owned(),
                problems: builder.problems,
            });
        }
        Ok(Resolved {
            entity_index: builder.index,
            relations,
            designations,
            transactions,
        })
    }
}

/// SHA-256 over the records' canonical JSON, streamed into the hasher without a copy.
fn document_digest(name: &str, document: &FactsDocument) -> Result<String, FactsError> {
    let mut hasher = Sha256::new();
    serde_json::to_writer(HashWriter(&mut hasher), document).map_err(|e| FactsError::Syntax {
        file: name.to_owned(),
        line: 0,
        column: 0,
        message: format!("the records cannot be serialised for their digest: {e}"),
    })?;
    Ok(format!("sha256:{:x}", hasher.finalize()))
}

/// Runs two independent parts of a load on two cores.
#[cfg(feature = "parallel")]
fn both<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    rayon::join(a, b)
}

/// Runs two independent parts of a load one after the other (built without `parallel`).
#[cfg(not(feature = "parallel"))]
fn both<A, B>(a: impl FnOnce() -> A, b: impl FnOnce() -> B) -> (A, B) {
    (a(), b())
}

/// A facts file's name, as errors and decisions cite it, and its text.
fn read_text(path: &Path) -> Result<(String, String), FactsError> {
    let name = path.display().to_string();
    check_size(&name, path)?;
    let text = read_utf8(&name, path)?;
    Ok((name, text))
}

/// The text of the facts file `name` at `path`; a file that is not UTF-8 is refused at the line
/// and column of its first bad byte.
fn read_utf8(name: &str, path: &Path) -> Result<String, FactsError> {
    crate::encoding::read_utf8(path)
        .map_err(|source| FactsError::Read {
            path: name.to_owned(),
            source,
        })?
        .map_err(|bad| FactsError::Syntax {
            file: name.to_owned(),
            line: bad.line,
            column: bad.column,
            message: format!("{bad}; facts files are UTF-8 text"),
        })
}

/// Refuses a file over the facts limit ([`facts_limit`]) before reading it.
fn check_size(name: &str, path: &Path) -> Result<(), FactsError> {
    let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    let limit = facts_limit();
    if bytes <= limit {
        return Ok(());
    }
    Err(FactsError::TooLarge {
        file: name.to_owned(),
        bytes,
        limit,
    })
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
/// Text already in memory is parsed whatever its size: the caller chose to hold it (a benchmark
/// builds a million entities' JSON); files are bounded as they are read ([`check_size`]).
fn parse(name: &str, text: &str) -> Result<FactsDocument, FactsError> {
    // A byte order mark, as some editors write, is not content (lists and policies drop it too).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let document: Option<FactsDocument> = if name.ends_with(".json") {
        parse_json(name, text)?
    } else {
        crate::yaml::from_str(text).map_err(|e| FactsError::Syntax {
            file: name.to_owned(),
            line: e.line.unwrap_or(0),
            column: e.column.unwrap_or(0),
            message: shortened(e.message),
        })?
    };
    // An empty document (`---`, `null`, or nothing at all) holds no facts.
    Ok(document.unwrap_or_default())
}

/// Parses JSON in one pass, strictly: the document and each record must be objects with named
/// fields, and no object may give a key twice (see [`super::strict`]).
fn parse_json(name: &str, text: &str) -> Result<Option<FactsDocument>, FactsError> {
    let syntax = |e: serde_json::Error| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or_default();
        // serde's derived records say `duplicate field`; say it as for any other object.
        let message = match message.strip_prefix("duplicate field ") {
            Some(key) => super::strict::duplicate_key(key.trim_matches('`')),
            None => message.to_owned(),
        };
        let column = char_column(text, e.line(), e.column());
        FactsError::Syntax {
            file: name.to_owned(),
            line: e.line() as u64,
            column,
            message: shortened(message),
        }
    };
    let mut reader = serde_json::Deserializer::from_str(text);
    let document = super::strict::document(&mut reader).map_err(syntax)?;
    reader.end().map_err(syntax)?;
    Ok(document)
}

/// A parser's message cut to 200 characters: messages quote the offending value, which may be a
/// string of megabytes.
fn shortened(message: String) -> String {
    const MAX: usize = 200;
    match message.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", message.get(..at).unwrap_or_default()),
        None => message,
    }
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

/// Resolves ids to positions and collects every problem on the way: over a whole document, or
/// one record at a time as a streamed snapshot is written ([`super::SnapshotWriter`]).
pub(super) struct Builder {
    pub(super) index: HashMap<String, EntityIndex>,
    pub(super) problems: Vec<FactsProblem>,
}

impl Builder {
    pub(super) fn new(entities: usize) -> Self {
        Builder {
            index: HashMap::with_capacity(entities),
            problems: Vec::new(),
        }
    }

    pub(super) fn problem(&mut self, record: String, message: String) {
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

    fn entities(&mut self, entities: &[EntityRecord]) {
        for (position, entity) in (0u32..).zip(entities) {
            self.entity(position, entity);
        }
    }

    /// Checks one entity and gives its id the position `position`.
    pub(super) fn entity(&mut self, position: EntityIndex, entity: &EntityRecord) {
        let record = format!("entities[{position}] ({})", entity.id);
        if entity.id.trim().is_empty() {
            self.problem(
                record,
                String::from("`id` is empty; give every entity an id"),
            );
            return;
        }
        self.check_numbers(&record, &entity.attributes);
        if let Some(first) = self.index.insert(entity.id.clone(), position) {
            self.index.insert(entity.id.clone(), first);
            let message = format!(
                "duplicate entity id `{}`, first used by entities[{first}]; ids must be unique",
                entity.id
            );
            self.problem(record, message);
        }
    }

    /// Refuses attributes that are not finite numbers (YAML's `.nan`, `.inf`): a comparison with
    /// NaN is false whichever way it is asked, so `>= 10000` would silently let a payment pass.
    fn check_numbers(&mut self, record: &str, attributes: &BTreeMap<String, AttributeValue>) {
        for (name, value) in attributes {
            let mut pending = vec![value];
            while let Some(value) = pending.pop() {
                match value {
                    AttributeValue::Number(n) if !n.is_finite() => {
                        let message = format!(
                            "attribute `{name}` is {n}; numbers must be finite (write unknown \
                             values by leaving the attribute out)"
                        );
                        self.problem(record.to_owned(), message);
                    }
                    AttributeValue::List(values) => pending.extend(values),
                    _ => {}
                }
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

    fn relations(&mut self, records: &[RelationRecord]) -> Vec<Relation> {
        let mut ids: HashMap<String, usize> = HashMap::new();
        let written: std::collections::HashSet<&str> =
            records.iter().filter_map(|r| r.id.as_deref()).collect();
        let mut relations = Vec::with_capacity(records.len());
        for (position, raw) in records.iter().enumerate() {
            let id = raw
                .id
                .clone()
                .unwrap_or_else(|| generated_id(position, &written));
            if let Some(first) = ids.get(&id) {
                let message =
                    format!("duplicate relation id `{id}`, first used by relations[{first}]");
                self.problem(format!("relations[{position}] ({id})"), message);
            } else {
                ids.insert(id.clone(), position);
            }
            relations.extend(self.relation(position, raw, id));
        }
        relations
    }

    /// Checks one relation, already given its id, and resolves its ends.
    pub(super) fn relation(
        &mut self,
        position: usize,
        raw: &RelationRecord,
        id: String,
    ) -> Option<Relation> {
        let record = format!("relations[{position}] ({id})");
        self.check_relation_fields(raw, &record);
        let from = self.resolve(&raw.from, &record, "from");
        let to = self.resolve(&raw.to, &record, "to");
        let (from, to) = (from?, to?);
        if from == to {
            self.problem(record, format!("relates `{}` to itself", raw.from));
            return None;
        }
        Some(Relation {
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
        })
    }

    fn check_relation_fields(&mut self, raw: &RelationRecord, record: &str) {
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

    fn designations(&mut self, records: &[DesignationRecord]) -> Vec<Designation> {
        let mut designations = Vec::with_capacity(records.len());
        for (position, raw) in records.iter().enumerate() {
            designations.extend(self.designation(position, raw));
        }
        designations
    }

    /// Checks one designation and resolves its entity.
    pub(super) fn designation(
        &mut self,
        position: usize,
        raw: &DesignationRecord,
    ) -> Option<Designation> {
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
        let entity = self.resolve(&raw.entity, &record, "entity")?;
        Some(Designation {
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
        })
    }

    /// Checks that licence ids are unique and that the parties a licence covers exist.
    pub(super) fn licences(&mut self, licences: &[LicenceRecord]) {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (position, licence) in licences.iter().enumerate() {
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

    /// Reports `field` of `record` unless it is an ISO 4217 code, the form rates and amounts share.
    fn check_currency(&mut self, record: &str, field: &str, code: &str) {
        if !super::rates::is_currency_code(code) {
            let message = format!(
                "`{field}` is {code:?}; write an ISO 4217 currency code in capitals, such as USD"
            );
            self.problem(record.to_owned(), message);
        }
    }

    /// Checks each exchange rate: two different currency codes, a positive finite rate, and one
    /// rate per pair and day (two would leave the conversion to chance).
    pub(super) fn rates(&mut self, rates: &[RateRecord]) {
        let mut seen: HashMap<(&str, &str, Date), usize> = HashMap::new();
        for (position, rate) in rates.iter().enumerate() {
            let record = format!(
                "rates[{position}] ({}/{} {})",
                rate.base, rate.quote, rate.as_of
            );
            self.check_currency(&record, "base", &rate.base);
            self.check_currency(&record, "quote", &rate.quote);
            if rate.base == rate.quote {
                let message = format!("converts {} into itself", rate.base);
                self.problem(record.clone(), message);
            }
            if !(rate.rate.is_finite() && rate.rate > 0.0) {
                let message = format!(
                    "`rate` is {}; a rate is a finite number above 0 (units of {} per {})",
                    rate.rate, rate.quote, rate.base
                );
                self.problem(record.clone(), message);
            }
            let key = (rate.base.as_str(), rate.quote.as_str(), rate.as_of);
            if let Some(first) = seen.insert(key, position) {
                let message = format!(
                    "a second {}/{} rate for {}, after rates[{first}]; keep one rate per pair and day",
                    rate.base, rate.quote, rate.as_of
                );
                self.problem(record, message);
            }
        }
    }

    pub(super) fn transactions(&mut self, records: &[TransactionRecord]) -> Vec<Transaction> {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        let mut transactions = Vec::with_capacity(records.len());
        for (position, raw) in records.iter().enumerate() {
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
            if let Some(amount) = &raw.amount
                && !(amount.value.is_finite() && amount.value >= 0.0)
            {
                let message = format!(
                    "`amount.value` is {}; an amount is a finite number of 0 or more (a refund \
                     or reversal is its own transaction, not a negative amount)",
                    amount.value
                );
                self.problem(record.clone(), message);
            }
            // A rule that converts or adds amounts reads the code; `usd` or `US$` would only fail
            // when a rule meets it, so it is refused here, where the record can be named.
            if let Some(amount) = &raw.amount {
                self.check_currency(&record, "amount.currency", &amount.currency);
            }
            self.check_numbers(&record, &raw.attributes);
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
