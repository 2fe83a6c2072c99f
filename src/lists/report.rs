//! What an import read and what it could not use, for the analyst who loads a list.
//!
//! A list import is never all-or-nothing: real files carry rows for entries that are not there,
//! links by a name that matches nothing, ownership that sources disagree about. Each such case is
//! counted under an [`IssueKind`] with a few examples, so the summary says what was done with it
//! instead of dropping it silently.

use std::collections::BTreeMap;
use std::fmt;

use super::common::thousands;
use crate::facts::{EntityKind, FactsDocument};

/// How many examples each kind of issue keeps.
pub const EXAMPLES: usize = 5;

/// What an import produced and what it could not use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    /// The list, as an analyst names it (`OFAC SDN list`).
    pub list: String,
    /// The files read, in the order they were read.
    pub sources: Vec<String>,
    /// What was read.
    pub counts: Counts,
    /// Designations per list name (`OFAC-SDN`, `UN`, `EU`...).
    pub designations_by_list: BTreeMap<String, usize>,
    /// What could not be used, or is worth knowing, one entry per kind, in a stable order.
    pub issues: Vec<Issue>,
    /// The publication date the file states (the UN list's `dateGenerated`), if it states one.
    pub published: Option<crate::date::Date>,
}

/// The figures of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Rows or records read from the main file.
    pub records: usize,
    /// Entities imported.
    pub entities: usize,
    /// Of which persons.
    pub persons: usize,
    /// Of which organizations.
    pub organizations: usize,
    /// Of which vessels.
    pub vessels: usize,
    /// Of which aircraft.
    pub aircraft: usize,
    /// Aliases kept in `aliases` (screened).
    pub aliases: usize,
    /// Low-quality aliases kept in the `weak_aliases` attribute (not screened by default).
    pub weak_aliases: usize,
    /// Addresses kept in the `addresses` attribute.
    pub addresses: usize,
    /// Entries of the `identifiers` attribute (passports, registration numbers, USCC, SWIFT/BIC,
    /// digital currency addresses...).
    pub identifiers: usize,
    /// Dates of birth kept in the `dob` attribute.
    pub dates_of_birth: usize,
    /// Designations.
    pub designations: usize,
    /// Relations of every kind.
    pub relations: usize,
    /// `Linked To:` names resolved to an entry.
    pub links_resolved: usize,
    /// `Linked To:` names that matched no entry or several.
    pub links_unresolved: usize,
    /// Rows of side files whose entry is not in the main file.
    pub orphan_rows: usize,
    /// Distinct entry numbers among those orphan rows.
    pub orphan_entries: usize,
    /// Ownership edges that disagree with another edge between the same owner and asset.
    pub conflicting_edges: usize,
    /// Ownership edges without a percentage.
    pub stakes_without_percentage: usize,
}

/// One kind of thing an import could not use, or did something to that an analyst should know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum IssueKind {
    /// A second row with an id already read; the first was kept.
    DuplicateEntry,
    /// Alias rows whose entry is not in the main file.
    OrphanAlias,
    /// Address rows whose entry is not in the main file.
    OrphanAddress,
    /// Remarks continuations whose entry is not in the main file.
    OrphanContinuation,
    /// Continuations for remarks that were not cut: the files come from different releases.
    StaleContinuation,
    /// Remarks cut at OFAC's 1,000-character limit with no continuation.
    MissingContinuation,
    /// `Linked To:` names matching no entry.
    UnresolvedLink,
    /// `Linked To:` names matching several entries.
    AmbiguousLink,
    /// Relations or designations naming an entity that is not in the file.
    DanglingReference,
    /// Relations from an entity to itself.
    SelfRelation,
    /// Records of a schema or type the importer does not turn into anything.
    UnusedRecord,
    /// An entity type the importer does not know; imported as an organization.
    UnknownEntityType,
    /// A list entry without any program.
    MissingProgram,
    /// A date that could not be read.
    BadDate,
    /// A stake that is not a number between 0 and 100.
    BadPercentage,
    /// A country name with no ISO code.
    UnknownCountry,
    /// Remarks clauses the importer does not structure (kept verbatim).
    UnstructuredRemark,
    /// A file without OFAC's end byte.
    NoEndMarker,
    /// Owner→asset edges reported with different stakes (all kept).
    ConflictingStake,
    /// Ownership edges without a percentage (kept without one).
    StakeWithoutPercentage,
    /// Designations derived from an entity's `sanction` topic, without a Sanction record.
    DerivedDesignation,
    /// Ownership records stating several stakes or a band (the highest kept).
    SeveralStakes,
    /// Entries or alias rows without a name.
    MissingName,
    /// Alias rows of a type the importer does not know (kept as aliases).
    UnknownAliasType,
}

impl IssueKind {
    /// What the issue is and what the importer did about it, for the summary.
    pub fn describe(self) -> &'static str {
        match self {
            IssueKind::DuplicateEntry => "rows repeating an id already read (the first was kept)",
            IssueKind::OrphanAlias => {
                "alias rows whose entry is not in sdn.csv, probably designated after that sdn.csv \
                 was published (not imported; use files of one release)"
            }
            IssueKind::OrphanAddress => {
                "address rows whose entry is not in sdn.csv (not imported; use files of one release)"
            }
            IssueKind::OrphanContinuation => {
                "remarks continuations whose entry is not in sdn.csv (not imported)"
            }
            IssueKind::StaleContinuation => {
                "remarks continuations for entries whose remarks are not cut, so the files come \
                 from different releases (not appended)"
            }
            IssueKind::MissingContinuation => {
                "remarks cut at 1,000 characters with no continuation in sdn_comments.csv \
                 (the rest is missing)"
            }
            IssueKind::UnresolvedLink => {
                "`Linked To:` names matching no entry (no relation; the name stays in the remarks)"
            }
            IssueKind::AmbiguousLink => {
                "`Linked To:` names matching several entries (no relation; the name stays in the \
                 remarks)"
            }
            IssueKind::DanglingReference => {
                "references to an entity or address that is not in the file (that link, sanction \
                 or address is not imported)"
            }
            IssueKind::SelfRelation => "relations from an entity to itself (not imported)",
            IssueKind::UnusedRecord => {
                "records or elements not imported (a kind the importer does not read, or without \
                 the data it needs)"
            }
            IssueKind::UnknownEntityType => "unknown entity types (imported as organizations)",
            IssueKind::MissingProgram => "entries without a program (designated with none)",
            IssueKind::BadDate => "dates that could not be read (left out; the text is kept)",
            IssueKind::BadPercentage => {
                "stakes that are not a number from 0 to 100 (edge kept without a percentage)"
            }
            IssueKind::UnknownCountry => {
                "country names without an ISO code (`country`/`nationality` left empty, the name \
                 kept in the attributes)"
            }
            IssueKind::UnstructuredRemark => {
                "remarks clauses of kinds not broken into fields (kept verbatim in `remarks`)"
            }
            IssueKind::NoEndMarker => {
                "files without OFAC's 0x1A end byte: if a download was cut at a line end, rows \
                 may be missing"
            }
            IssueKind::ConflictingStake => {
                "ownership edges that disagree with another source about the same owner and asset \
                 (each kept as its own relation)"
            }
            IssueKind::StakeWithoutPercentage => {
                "ownership edges without a percentage (kept without one; a rule testing the stake \
                 sends them to review)"
            }
            IssueKind::DerivedDesignation => {
                "designations taken from an entity's `sanction` topic and dataset, without a \
                 Sanction record"
            }
            IssueKind::SeveralStakes => {
                "ownership records stating several stakes or a band (the highest kept, the \
                 conservative reading for the 50 % rule)"
            }
            IssueKind::MissingName => {
                "entries or alias rows without a name (an entry is imported and designated under \
                 its list id, but name screening cannot find it; an alias row is not imported)"
            }
            IssueKind::UnknownAliasType => {
                "alias rows of a type other than `aka`, `fka` or `nka` (kept as aliases)"
            }
        }
    }

    /// Whether the issue means list content was not imported (rather than a note on what was).
    pub fn loses_data(self) -> bool {
        !matches!(
            self,
            IssueKind::ConflictingStake
                | IssueKind::StakeWithoutPercentage
                | IssueKind::DerivedDesignation
                | IssueKind::SeveralStakes
                | IssueKind::UnstructuredRemark
                | IssueKind::UnknownEntityType
                | IssueKind::MissingProgram
                | IssueKind::NoEndMarker
        )
    }
}

/// How often one kind of issue occurred, with the first few examples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The kind.
    pub kind: IssueKind,
    /// How many times it occurred.
    pub count: usize,
    /// Up to [`EXAMPLES`] examples, each naming the file and line or the record.
    pub examples: Vec<String>,
}

impl ImportReport {
    /// The issue of `kind`, if it occurred.
    pub fn issue(&self, kind: IssueKind) -> Option<&Issue> {
        self.issues.iter().find(|i| i.kind == kind)
    }

    /// One line per issue, for the commands that load a list without printing its report
    /// (`screen`, `eval`, `report`): what was not used or is worth knowing, with the first
    /// example, so nothing the import noticed goes unsaid.
    pub fn warnings(&self) -> Vec<String> {
        self.issues
            .iter()
            .map(|issue| {
                let example = issue
                    .examples
                    .first()
                    .map(|e| format!(" (e.g. {e})"))
                    .unwrap_or_default();
                format!(
                    "{}: {} {}{example}",
                    self.sources
                        .first()
                        .map_or(self.list.as_str(), String::as_str),
                    thousands(issue.count),
                    issue.kind.describe()
                )
            })
            .collect()
    }

    /// How many times `kind` occurred (0 when it did not).
    pub fn count(&self, kind: IssueKind) -> usize {
        self.issue(kind).map_or(0, |i| i.count)
    }
}

/// Collects issues during an import; examples are built only while fewer than [`EXAMPLES`] are
/// held, so a list with thousands of orphans does not format thousands of strings.
#[derive(Debug, Default)]
pub(crate) struct Issues {
    by_kind: BTreeMap<IssueKind, Issue>,
}

impl Issues {
    /// Counts one occurrence of `kind`, keeping the example if there is room.
    pub(crate) fn add(&mut self, kind: IssueKind, example: impl FnOnce() -> String) {
        self.add_many(kind, 1, example);
    }

    /// Counts `count` occurrences of `kind` described by one example.
    pub(crate) fn add_many(
        &mut self,
        kind: IssueKind,
        count: usize,
        example: impl FnOnce() -> String,
    ) {
        let issue = self.by_kind.entry(kind).or_insert_with(|| Issue {
            kind,
            count: 0,
            examples: Vec::new(),
        });
        issue.count += count;
        if issue.examples.len() < EXAMPLES {
            issue.examples.push(example());
        }
    }

    /// Counts one occurrence, keeping the example only if no held example has the same `key`
    /// (so that five examples show five different things, not the same clause five times).
    pub(crate) fn add_distinct(
        &mut self,
        kind: IssueKind,
        key: &str,
        example: impl FnOnce() -> String,
    ) {
        let issue = self.by_kind.entry(kind).or_insert_with(|| Issue {
            kind,
            count: 0,
            examples: Vec::new(),
        });
        issue.count += 1;
        if issue.examples.len() < EXAMPLES && !issue.examples.iter().any(|e| e.starts_with(key)) {
            issue.examples.push(example());
        }
    }

    /// The issues in their stable order.
    pub(crate) fn into_vec(self) -> Vec<Issue> {
        self.by_kind.into_values().collect()
    }
}

/// Fills the entity, alias, designation and relation counts from the finished document.
pub(crate) fn count_document(counts: &mut Counts, document: &FactsDocument) {
    counts.entities = document.entities.len();
    for entity in &document.entities {
        match entity.kind {
            EntityKind::Person => counts.persons += 1,
            EntityKind::Organization => counts.organizations += 1,
            EntityKind::Vessel => counts.vessels += 1,
            EntityKind::Aircraft => counts.aircraft += 1,
        }
        counts.aliases += entity.aliases.len();
        counts.weak_aliases += super::common::count(&entity.attributes, "weak_aliases");
        counts.addresses += super::common::count(&entity.attributes, "addresses");
        counts.identifiers += super::common::count(&entity.attributes, "identifiers");
        counts.dates_of_birth += super::common::count(&entity.attributes, "dob");
    }
    counts.designations = document.designations.len();
    counts.relations = document.relations.len();
}

/// Designations per list name.
pub(crate) fn by_list(document: &FactsDocument) -> BTreeMap<String, usize> {
    let mut lists = BTreeMap::new();
    for designation in &document.designations {
        *lists.entry(designation.list.clone()).or_insert(0) += 1;
    }
    lists
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.counts;
        let n = |v: usize| thousands(v);
        writeln!(
            f,
            "{}: {} records read from {}",
            self.list,
            n(c.records),
            self.sources.join(", ")
        )?;
        writeln!(
            f,
            "  imported {} entities ({} persons, {} organizations, {} vessels, {} aircraft)",
            n(c.entities),
            n(c.persons),
            n(c.organizations),
            n(c.vessels),
            n(c.aircraft)
        )?;
        let weak = if c.weak_aliases > 0 {
            format!(" (+{} low-quality, not screened)", n(c.weak_aliases))
        } else {
            String::new()
        };
        writeln!(
            f,
            "  with {} aliases{weak}, {} addresses, {} identifiers, {} dates of birth",
            n(c.aliases),
            n(c.addresses),
            n(c.identifiers),
            n(c.dates_of_birth)
        )?;
        let lists: Vec<String> = self
            .designations_by_list
            .iter()
            .map(|(list, count)| format!("{list} {}", n(*count)))
            .collect();
        let lists = if lists.is_empty() {
            String::new()
        } else {
            format!(" ({})", lists.join(", "))
        };
        writeln!(f, "  {} designations{lists}", n(c.designations))?;
        let mut relations = format!("  {} relations", n(c.relations));
        if c.links_resolved + c.links_unresolved > 0 {
            relations.push_str(&format!(
                "; `Linked To:` names: {} resolved, {} unresolved",
                n(c.links_resolved),
                n(c.links_unresolved)
            ));
        }
        if c.orphan_rows > 0 {
            relations.push_str(&format!(
                "; {} orphan rows for {} entries not in sdn.csv",
                n(c.orphan_rows),
                n(c.orphan_entries)
            ));
        }
        writeln!(f, "{relations}")?;
        for (title, losing) in [("not used:", true), ("worth knowing:", false)] {
            let issues: Vec<&Issue> = self
                .issues
                .iter()
                .filter(|i| i.kind.loses_data() == losing)
                .collect();
            if issues.is_empty() {
                continue;
            }
            writeln!(f, "  {title}")?;
            for issue in issues {
                writeln!(f, "    - {} {}", n(issue.count), issue.kind.describe())?;
                for example in &issue.examples {
                    writeln!(f, "        e.g. {example}")?;
                }
            }
        }
        Ok(())
    }
}

/// The report of a list read from one XML file whose root element states the day it was generated
/// (`date_attribute`), so the title names that day and `published` carries it for the snapshot.
pub(crate) fn generated_xml_report(
    title: &str,
    root: &[(String, String)],
    date_attribute: &str,
    source: String,
    document: &FactsDocument,
    records: usize,
    issues: Issues,
) -> ImportReport {
    let generated = root
        .iter()
        .find(|(key, _)| key == date_attribute)
        .map(|(_, value)| value.chars().take(10).collect::<String>());
    let mut report = ImportReport {
        list: match &generated {
            Some(date) => format!("{title} (generated {date})"),
            None => title.to_owned(),
        },
        sources: vec![source],
        designations_by_list: by_list(document),
        published: generated.as_deref().and_then(|d| d.parse().ok()),
        ..ImportReport::default()
    };
    count_document(&mut report.counts, document);
    report.counts.records = records;
    report.issues = issues.into_vec();
    report
}
