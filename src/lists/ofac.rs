//! OFAC's SDN list in its "delimited" release: `sdn.csv` with the optional side files `alt.csv`
//! (aliases), `add.csv` (addresses) and `sdn_comments.csv` (remarks past 1,000 characters).
//!
//! Each sdn.csv row becomes an entity `ofac-<ent_num>` with one `OFAC-SDN` designation (`ref`
//! `SDN <ent_num>`, programs split at `] [`). OFAC gives no listing date in these files, so
//! `listed_on` is left empty, which the engine reads as "in force". Side-file rows whose ent_num is
//! not in sdn.csv (common when files of different releases are joined) are counted and reported,
//! never attached to the wrong entry and never a crash.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::Import;
use super::common::{add_alias, push, read_text, set};
use super::countries::{self, first_code};
use super::csv::{self, Row, Table};
use super::error::{Damage, ListError};
use super::remarks;
use super::report::{ImportReport, IssueKind, Issues, by_list, count_document};
use crate::facts::{
    AttributeValue, DesignationRecord, EntityKind, EntityRecord, FactsDocument, Measure,
    RelationKind, RelationRecord,
};

/// The list name designations carry.
pub const LIST: &str = "OFAC-SDN";

/// The list name of OFAC's consolidated non-SDN lists (SSI, CMIC, NS-MBS and others), read from
/// `cons_prim.csv` and its side files in the same format.
pub const CONSOLIDATED: &str = "OFAC-CONS";

/// sdn.csv columns kept as attributes as they are: (position, key).
const COLUMNS: [(usize, &str); 7] = [
    (4, "title"),
    (5, "call_sign"),
    (6, "vessel_type"),
    (7, "tonnage"),
    (8, "gross_registered_tonnage"),
    (9, "vessel_flag"),
    (10, "vessel_owner"),
];

/// The alias types alt.csv uses: also known as, formerly known as, now known as.
const ALIAS_TYPES: [&str; 3] = ["aka", "fka", "nka"];

/// OFAC cuts Remarks at this many characters and continues them in sdn_comments.csv.
const REMARKS_LIMIT: usize = 1000;

/// The files of one import. Only `sdn` is required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfacFiles {
    /// The main file: one row per list entry.
    pub sdn: PathBuf,
    /// Aliases (`alt.csv`).
    pub alt: Option<PathBuf>,
    /// Addresses (`add.csv`).
    pub add: Option<PathBuf>,
    /// Remarks continuations (`sdn_comments.csv`).
    pub comments: Option<PathBuf>,
}

impl OfacFiles {
    /// The files in `folder`: `sdn.csv` must be there, the side files are used when present.
    pub fn in_folder(folder: &Path) -> Result<OfacFiles, ListError> {
        if !folder.is_dir() {
            let error = std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder");
            return Err(ListError::read(folder, error));
        }
        let sdn = folder.join("sdn.csv");
        if !sdn.is_file() {
            return Err(ListError::MissingSdn {
                folder: folder.display().to_string(),
            });
        }
        let optional = |name: &str| Some(folder.join(name)).filter(|p| p.is_file());
        Ok(OfacFiles {
            sdn,
            alt: optional("alt.csv"),
            add: optional("add.csv"),
            comments: optional("sdn_comments.csv"),
        })
    }
}

/// Imports the OFAC files in `folder` (see [`OfacFiles::in_folder`]).
pub fn import(folder: &Path) -> Result<Import, ListError> {
    import_files(&OfacFiles::in_folder(folder)?)
}

/// Imports OFAC's consolidated non-SDN list from `folder` (`cons_prim.csv`, and `cons_alt.csv`,
/// `cons_add.csv`, `cons_comments.csv` when present). Its entries are not blocked: each keeps
/// the measure of its program (a sectoral directive for SSI entries, a non-SDN restriction for
/// the others), with ids `ofac-cons-<ent_num>` and references `CONS <ent_num>`.
pub fn import_consolidated(folder: &Path) -> Result<Import, ListError> {
    let main = folder.join("cons_prim.csv");
    if !main.is_file() {
        let error = std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no cons_prim.csv in this folder (OFAC's consolidated list)",
        );
        return Err(ListError::read(folder, error));
    }
    let optional = |name: &str| Some(folder.join(name)).filter(|p| p.is_file());
    let files = OfacFiles {
        sdn: main,
        alt: optional("cons_alt.csv"),
        add: optional("cons_add.csv"),
        comments: optional("cons_comments.csv"),
    };
    import_with(&files, true)
}

/// Imports an explicit set of files, e.g. an sdn.csv with side files of another release.
pub fn import_files(files: &OfacFiles) -> Result<Import, ListError> {
    import_with(files, false)
}

/// Imports SDN-format files as the SDN list or, with `consolidated`, the non-SDN lists.
fn import_with(files: &OfacFiles, consolidated: bool) -> Result<Import, ListError> {
    let mut builder = Builder {
        consolidated,
        ..Builder::default()
    };
    let sdn = Source::read(&files.sdn)?;
    let table = sdn.table(12)?;
    builder.note_source(&sdn, &table);
    builder.records = table.rows.len();
    for row in &table.rows {
        builder.entry(&sdn, row)?;
    }
    if let Some(path) = &files.comments {
        let comments = Source::read(path)?;
        let table = comments.table(2)?;
        builder.note_source(&comments, &table);
        for row in &table.rows {
            builder.continuation(&comments, row)?;
        }
    }
    builder.read_remarks(&sdn.short);
    if let Some(path) = &files.alt {
        let alt = Source::read(path)?;
        let table = alt.table(5)?;
        builder.note_source(&alt, &table);
        for row in &table.rows {
            builder.alias(&alt, row)?;
        }
    }
    if let Some(path) = &files.add {
        let add = Source::read(path)?;
        let table = add.table(6)?;
        builder.note_source(&add, &table);
        for row in &table.rows {
            builder.address(&add, row)?;
        }
    }
    Ok(builder.finish())
}

/// One file, read as text; its rows borrow from it.
struct Source {
    /// The path as given, for errors.
    name: String,
    /// The file name alone, for report examples.
    short: String,
    text: String,
}

impl Source {
    /// Reads `path` as UTF-8 text.
    fn read(path: &Path) -> Result<Source, ListError> {
        let name = path.display().to_string();
        let short = path
            .file_name()
            .map_or_else(|| name.clone(), |f| f.to_string_lossy().into_owned());
        let text = read_text(path)?;
        Ok(Source { name, short, text })
    }

    /// Splits the text into rows of `columns` fields.
    fn table(&self, columns: usize) -> Result<Table<'_>, ListError> {
        csv::read(&self.name, &self.text, columns)
    }

    /// Notes a file without OFAC's end byte (a cut at a line end is otherwise undetectable).
    fn check_end_marker(&self, table: &Table<'_>, issues: &mut Issues) {
        if !table.end_marker {
            issues.add(IssueKind::NoEndMarker, || self.short.clone());
        }
    }

    /// The ent_num in field 0 of `row`.
    fn ent_num(&self, row: &Row<'_>) -> Result<u64, ListError> {
        let text = row.get(0).unwrap_or_default();
        text.parse().map_err(|_| {
            ListError::malformed(
                &self.name,
                row.line,
                Damage::Value,
                format!(
                    "the first field (ent_num) is `{text}`, not a number; is this an OFAC \
                     delimited file, and is the row whole?"
                ),
            )
        })
    }
}

/// One sdn.csv entry while the side files are read.
struct Entry {
    ent_num: u64,
    record: EntityRecord,
    programs: Vec<String>,
    remarks: String,
    /// sdn.csv line, for examples.
    line: u64,
    /// Names from `Linked To:` clauses.
    links: Vec<String>,
}

/// Accumulates entries and everything the report needs.
#[derive(Default)]
struct Builder {
    entries: Vec<Entry>,
    index: HashMap<u64, usize>,
    issues: Issues,
    sources: Vec<String>,
    records: usize,
    orphan_rows: usize,
    orphan_entries: HashSet<u64>,
    links_resolved: usize,
    links_unresolved: usize,
    /// The files are OFAC's consolidated non-SDN list rather than the SDN list.
    consolidated: bool,
}

impl Builder {
    /// Lists a file among the sources and notes a missing end byte.
    fn note_source(&mut self, source: &Source, table: &Table<'_>) {
        self.sources.push(source.name.clone());
        source.check_end_marker(table, &mut self.issues);
    }

    /// Reads one sdn.csv row.
    fn entry(&mut self, source: &Source, row: &Row<'_>) -> Result<(), ListError> {
        let ent_num = source.ent_num(row)?;
        if let Some(&first) = self.index.get(&ent_num) {
            let first_line = self.entries.get(first).map_or(0, |e| e.line);
            self.issues.add(IssueKind::DuplicateEntry, || {
                format!(
                    "{}:{}: ent_num {ent_num} again (first on line {first_line})",
                    source.short, row.line
                )
            });
            return Ok(());
        }
        let name = row.get(1).unwrap_or_default().to_owned();
        if name.trim().is_empty() {
            self.issues.add(IssueKind::MissingName, || {
                format!("{}:{}: ent_num {ent_num}", source.short, row.line)
            });
        }
        let kind = entity_kind(row.get(2)).unwrap_or_else(|other| {
            self.issues.add(IssueKind::UnknownEntityType, || {
                let at = format!("{}:{}", source.short, row.line);
                format!("{at}: SDN_Type `{other}` (ent_num {ent_num})")
            });
            EntityKind::Organization
        });
        let programs = programs(row.get(3));
        if programs.is_empty() {
            self.issues.add(IssueKind::MissingProgram, || {
                format!("{}:{}: ent_num {ent_num} {name}", source.short, row.line)
            });
        }
        let mut attributes = BTreeMap::new();
        for (index, key) in COLUMNS {
            if let Some(value) = row.get(index) {
                set(&mut attributes, key, value);
            }
        }
        self.index.insert(ent_num, self.entries.len());
        self.entries.push(Entry {
            ent_num,
            record: EntityRecord {
                id: if self.consolidated {
                    format!("ofac-cons-{ent_num}")
                } else {
                    format!("ofac-{ent_num}")
                },
                kind,
                name,
                aliases: Vec::new(),
                country: None,
                nationality: None,
                attributes,
                source: None,
                birth_date: None,
                gender: None,
                identifiers: Vec::new(),
                addresses: Vec::new(),
            },
            programs,
            remarks: row.raw(11).unwrap_or_default().to_owned(),
            line: row.line,
            links: Vec::new(),
        });
        Ok(())
    }

    /// Records an orphan row of a side file.
    fn orphan(&mut self, kind: IssueKind, ent_num: u64, example: impl FnOnce() -> String) {
        self.orphan_rows += 1;
        self.orphan_entries.insert(ent_num);
        self.issues.add(kind, example);
    }

    /// Reads one sdn_comments.csv row: the rest of a cut Remarks text.
    fn continuation(&mut self, source: &Source, row: &Row<'_>) -> Result<(), ListError> {
        let ent_num = source.ent_num(row)?;
        let text = row.raw(1).unwrap_or_default();
        let Some(entry) = self
            .index
            .get(&ent_num)
            .and_then(|&i| self.entries.get_mut(i))
        else {
            self.orphan(IssueKind::OrphanContinuation, ent_num, || {
                format!("{}:{}: ent_num {ent_num}", source.short, row.line)
            });
            return Ok(());
        };
        // A continuation belongs to remarks that were cut; OFAC cuts mid-word, so the two halves
        // are joined as they are. Remarks shorter than the limit were not cut: this continuation
        // is from another release, and appending it would garble the clauses.
        if entry.remarks.chars().count() < REMARKS_LIMIT {
            let length = entry.remarks.chars().count();
            self.issues.add(IssueKind::StaleContinuation, || {
                format!(
                    "{}:{}: ent_num {ent_num}, whose remarks are {length} characters",
                    source.short, row.line
                )
            });
            return Ok(());
        }
        entry.remarks.push_str(text);
        Ok(())
    }

    /// Breaks every entry's remarks into attributes, aliases and links.
    fn read_remarks(&mut self, sdn_short: &str) {
        for entry in &mut self.entries {
            if entry.remarks.chars().count() == REMARKS_LIMIT {
                let (ent_num, line) = (entry.ent_num, entry.line);
                self.issues.add(IssueKind::MissingContinuation, || {
                    format!("{sdn_short}:{line}: ent_num {ent_num}")
                });
            }
            if entry.remarks.trim().is_empty() {
                continue;
            }
            let attributes = &mut entry.record.attributes;
            let parsed = remarks::parse(&entry.remarks, attributes);
            set(attributes, "remarks", entry.remarks.trim());
            for alias in parsed.aliases {
                add_alias(&mut entry.record, alias);
            }
            entry.links = parsed.links;
            let id = &entry.record.id;
            for clause in &parsed.unstructured {
                let key: String = clause
                    .split(|c: char| c.is_ascii_digit())
                    .next()
                    .unwrap_or(clause)
                    .chars()
                    .take(50)
                    .collect();
                self.issues
                    .add_distinct(IssueKind::UnstructuredRemark, &key, || {
                        format!("{key}… ({id})")
                    });
            }
            if entry.record.kind == EntityKind::Person {
                let candidates = parsed.nationalities.iter().chain(&parsed.citizenships);
                entry.record.nationality = first_code(candidates, &mut self.issues, id);
            }
        }
    }

    /// Reads one alt.csv row.
    fn alias(&mut self, source: &Source, row: &Row<'_>) -> Result<(), ListError> {
        let ent_num = source.ent_num(row)?;
        let Some(name) = row.get(3).filter(|name| !name.trim().is_empty()) else {
            self.issues.add(IssueKind::MissingName, || {
                format!("{}:{}: alias of ent_num {ent_num}", source.short, row.line)
            });
            return Ok(());
        };
        let alias_type = row.get(2).unwrap_or_default();
        if !ALIAS_TYPES.contains(&alias_type.trim().to_ascii_lowercase().as_str()) {
            self.issues.add(IssueKind::UnknownAliasType, || {
                format!(
                    "{}:{}: alt_type `{alias_type}` for ent_num {ent_num}",
                    source.short, row.line
                )
            });
        }
        let Some(entry) = self
            .index
            .get(&ent_num)
            .and_then(|&i| self.entries.get_mut(i))
        else {
            self.orphan(IssueKind::OrphanAlias, ent_num, || {
                format!(
                    "{}:{}: ent_num {ent_num} \"{name}\"",
                    source.short, row.line
                )
            });
            return Ok(());
        };
        if let Some(remark) = row.get(4) {
            push(
                &mut entry.record.attributes,
                "alias_remarks",
                &format!("{name}: {remark}"),
            );
        }
        add_alias(&mut entry.record, name.to_owned());
        Ok(())
    }

    /// Reads one add.csv row. Rows with every field null are OFAC's placeholder for "no address":
    /// nothing to keep, but still counted as orphans when their entry is missing.
    fn address(&mut self, source: &Source, row: &Row<'_>) -> Result<(), ListError> {
        let ent_num = source.ent_num(row)?;
        let parts: Vec<&str> = [2, 3, 4].iter().filter_map(|&i| row.get(i)).collect();
        let address = parts.join(", ");
        let Some(entry) = self
            .index
            .get(&ent_num)
            .and_then(|&i| self.entries.get_mut(i))
        else {
            let shown = if address.is_empty() {
                String::from("(empty address row)")
            } else {
                format!("\"{address}\"")
            };
            self.orphan(IssueKind::OrphanAddress, ent_num, || {
                format!("{}:{}: ent_num {ent_num} {shown}", source.short, row.line)
            });
            return Ok(());
        };
        if address.is_empty() {
            return Ok(());
        }
        let full = match row.get(5) {
            Some(remark) => format!("{address} ({remark})"),
            None => address,
        };
        push(&mut entry.record.attributes, "addresses", &full);
        if entry.record.country.is_none()
            && let Some(country) = row.get(4)
        {
            let id = entry.record.id.clone();
            entry.record.country = first_code([country], &mut self.issues, &id);
        }
        Ok(())
    }

    /// Resolves `Linked To:` names, builds the document and the report.
    fn finish(mut self) -> Import {
        let relations = self.resolve_links();
        let mut document = FactsDocument::default();
        let (list, prefix) = if self.consolidated {
            (CONSOLIDATED, "CONS")
        } else {
            (LIST, "SDN")
        };
        for entry in self.entries {
            let (measure, directive) = if self.consolidated {
                consolidated_measure(&entry.programs, &entry.remarks)
            } else {
                (None, None)
            };
            document.designations.push(DesignationRecord {
                entity: entry.record.id.clone(),
                list: list.to_owned(),
                programs: entry.programs,
                listed_on: None,
                delisted_on: None,
                reference: Some(format!("{prefix} {}", entry.ent_num)),
                measure,
                directive,
                source: None,
                listed_by: None,
                unlisted_on: None,
            });
            let mut record = entry.record;
            if record.kind == EntityKind::Vessel
                && let Some(AttributeValue::Text(flag)) = record.attributes.get("vessel_flag")
                && let Some(code) = countries::code(flag)
            {
                record.country = Some(code.to_owned());
            }
            super::identity::structure(&mut record, &mut self.issues);
            document.entities.push(record);
        }
        document.relations = relations;
        let mut report = ImportReport {
            list: String::from(if self.consolidated {
                "OFAC consolidated (non-SDN) list"
            } else {
                "OFAC SDN list"
            }),
            sources: self.sources,
            designations_by_list: by_list(&document),
            ..ImportReport::default()
        };
        count_document(&mut report.counts, &document);
        report.counts.records = self.records;
        report.counts.links_resolved = self.links_resolved;
        report.counts.links_unresolved = self.links_unresolved;
        report.counts.orphan_rows = self.orphan_rows;
        report.counts.orphan_entries = self.orphan_entries.len();
        report.issues = self.issues.into_vec();
        Import { document, report }
    }

    /// Turns `Linked To:` names into `linked_to` relations (one per linked pair).
    fn resolve_links(&mut self) -> Vec<RelationRecord> {
        let index = NameIndex::new(&self.entries);
        let mut relations = Vec::new();
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        for (from, entry) in self.entries.iter().enumerate() {
            let id = &entry.record.id;
            for name in &entry.links {
                let to = match index.find(name) {
                    [to] if *to != from => *to,
                    [_] => {
                        self.issues.add(IssueKind::SelfRelation, || {
                            format!("{id} is `Linked To:` its own name {name}")
                        });
                        self.links_unresolved += 1;
                        continue;
                    }
                    [] => {
                        self.issues.add(IssueKind::UnresolvedLink, || {
                            format!("{id}: `Linked To: {name}`")
                        });
                        self.links_unresolved += 1;
                        continue;
                    }
                    many => {
                        let count = many.len();
                        self.issues.add(IssueKind::AmbiguousLink, || {
                            format!("{id}: `Linked To: {name}` matches {count} entries")
                        });
                        self.links_unresolved += 1;
                        continue;
                    }
                };
                self.links_resolved += 1;
                if let Some(target) = self.entries.get(to)
                    && seen.insert((from, to))
                {
                    relations.push(link(entry, target));
                }
            }
        }
        relations
    }
}

/// The `linked_to` relation for `Linked To:` from one entry to another.
fn link(from: &Entry, to: &Entry) -> RelationRecord {
    RelationRecord {
        id: Some(format!("ofac-link-{}-{}", from.ent_num, to.ent_num)),
        kind: RelationKind::LinkedTo,
        from: from.record.id.clone(),
        to: to.record.id.clone(),
        percent: None,
        role: Some(String::from("Linked To")),
        start: None,
        end: None,
        source: None,
        basis: None,
    }
}

/// Entries by name, for `Linked To:`. A name is matched against primary names first and aliases
/// second, ignoring case, spacing and a trailing period; a name matching several entries is not
/// guessed at.
struct NameIndex {
    primary: HashMap<String, Vec<usize>>,
    alias: HashMap<String, Vec<usize>>,
}

impl NameIndex {
    fn new(entries: &[Entry]) -> NameIndex {
        let mut index = NameIndex {
            primary: HashMap::new(),
            alias: HashMap::new(),
        };
        for (i, entry) in entries.iter().enumerate() {
            let key = link_key(&entry.record.name);
            index.primary.entry(key).or_default().push(i);
            for name in &entry.record.aliases {
                let slot = index.alias.entry(link_key(name)).or_default();
                if !slot.contains(&i) {
                    slot.push(i);
                }
            }
        }
        index
    }

    /// The positions of the entries called `name`.
    fn find(&self, name: &str) -> &[usize] {
        let key = link_key(name);
        self.primary
            .get(&key)
            .or_else(|| self.alias.get(&key))
            .map_or(&[], Vec::as_slice)
    }
}

/// The kind of an SDN_Type (null means an entity), or the unknown type.
fn entity_kind(sdn_type: Option<&str>) -> Result<EntityKind, &str> {
    match sdn_type {
        None => Ok(EntityKind::Organization),
        Some("individual") => Ok(EntityKind::Person),
        Some("vessel") => Ok(EntityKind::Vessel),
        Some("aircraft") => Ok(EntityKind::Aircraft),
        Some(other) => Err(other),
    }
}

/// The Program field's tags: `DPRK3] [DPRK4` → `DPRK3`, `DPRK4`.
fn programs(field: Option<&str>) -> Vec<String> {
    field
        .unwrap_or_default()
        .split("] [")
        .map(|p| p.trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace()))
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The form names are compared in when resolving links.
fn link_key(name: &str) -> String {
    name.trim()
        .trim_end_matches('.')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// The measure of a consolidated-list entry: a sectoral restriction with the directives its
/// remarks name ("Executive Order 13662 Directive Determination - Subject to Directive 1"), or a
/// non-SDN restriction (CMIC securities, menu-based and other non-SDN programs). Neither blocks.
fn consolidated_measure(programs: &[String], remarks: &str) -> (Option<Measure>, Option<String>) {
    let directives: Vec<String> = remarks
        .split("; ")
        .filter_map(|clause| {
            let (_, after) = clause.split_once("Subject to Directive ")?;
            let number: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let order = clause
                .split_once("Executive Order ")
                .map(|(_, rest)| {
                    rest.chars()
                        .take_while(char::is_ascii_digit)
                        .collect::<String>()
                })
                .filter(|o| !o.is_empty());
            Some(match order {
                Some(order) => format!("E.O. {order} Directive {number}"),
                None => format!("Directive {number}"),
            })
        })
        .fold(Vec::new(), |mut found, d| {
            if !found.contains(&d) {
                found.push(d);
            }
            found
        });
    let sectoral = !directives.is_empty() || programs.iter().any(|p| p == "UKRAINE-EO13662");
    if sectoral {
        let directive = (!directives.is_empty()).then(|| directives.join(", "));
        (Some(Measure::Sectoral), directive)
    } else {
        (Some(Measure::NonSdn), None)
    }
}
