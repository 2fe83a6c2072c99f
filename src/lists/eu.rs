//! The EU consolidated list of persons, groups and entities subject to financial sanctions, in
//! its XML form (the Financial Sanctions Files, `export` with `sanctionEntity` records).
//!
//! Each `sanctionEntity` becomes an entity with id `eu-<euReferenceNumber>` (`eu-EU.36.64`) and
//! one `EU` designation: its program is the regulation's `programme` (`PRK`, `RUS`, `TERR`...), its
//! reference the EU reference number, and its measure an asset freeze (the list is the EU's list
//! of financial sanctions). The file carries its data in attributes: names in `nameAlias`
//! (`wholeName`; every alias is marked `strong`, so the first is taken as the name), the subject
//! type in `subjectType code` (`person`, `enterprise`), dates of birth in `birthdate`.
//!
//! Dates. `generationDate` on the root is the snapshot's publication date. `designationDate` on
//! a record, where the file has it, is the listing date. Older files lack it: then each
//! `regulation` and `regulationSummary` names the Official Journal act that added or amended a
//! part of the entry, and the earliest of their `publicationDate`s is a day by which the entry
//! was listed (`listed_by`), so an earlier decision fails closed to review rather than assume.

use std::collections::HashSet;
use std::path::Path;

use super::Import;
use super::common::{add_alias, push, read_text};
use super::error::ListError;
use super::report::{IssueKind, Issues, generated_xml_report};
use super::xml::{Node, Shape, read_records};
use crate::date::Date;
use crate::facts::{DesignationRecord, EntityKind, EntityRecord, FactsDocument, Measure};

/// The list name designations carry.
pub const LIST: &str = "EU";

const SHAPE: Shape = Shape {
    root: "export",
    records: &["sanctionEntity"],
    format: "the EU consolidated financial sanctions list XML",
};

/// Imports the EU consolidated list XML at `file`.
pub fn import(file: &Path) -> Result<Import, ListError> {
    let text = read_text(file)?;
    let name = file.display().to_string();
    let mut importer = Importer::default();
    let root = read_records(&name, &text, &SHAPE, |record| importer.record(&record))?;
    let report = generated_xml_report(
        "EU consolidated financial sanctions list",
        &root,
        "generationDate",
        name,
        &importer.document,
        importer.records,
        importer.issues,
    );
    Ok(Import {
        document: importer.document,
        report,
    })
}

#[derive(Default)]
struct Importer {
    document: FactsDocument,
    issues: Issues,
    ids: HashSet<String>,
    records: usize,
}

impl Importer {
    fn record(&mut self, record: &Node) {
        self.records += 1;
        let Some(reference) = record
            .attribute("euReferenceNumber")
            .or_else(|| record.attribute("logicalId"))
            .map(str::to_owned)
        else {
            self.issues.add(IssueKind::UnusedRecord, || {
                format!(
                    "<sanctionEntity> on line {} without euReferenceNumber or logicalId",
                    record.line
                )
            });
            return;
        };
        let id = format!("eu-{reference}");
        if !self.ids.insert(id.clone()) {
            self.issues.add(IssueKind::DuplicateEntry, || {
                format!("{id} again on line {}", record.line)
            });
            return;
        }
        let kind = match record.all("subjectType").find_map(|s| s.attribute("code")) {
            Some("person") => EntityKind::Person,
            _ => EntityKind::Organization,
        };
        let mut names = record
            .all("nameAlias")
            .filter_map(|alias| alias.attribute("wholeName").map(str::to_owned));
        let Some(name) = names.next() else {
            self.issues.add(IssueKind::UnusedRecord, || {
                format!("{id} on line {} has no name", record.line)
            });
            return;
        };
        let mut entity = EntityRecord {
            id: id.clone(),
            kind,
            name,
            aliases: Vec::new(),
            country: None,
            nationality: None,
            attributes: Default::default(),
            source: None,
            birth_date: None,
            gender: None,
            identifiers: Vec::new(),
            addresses: Vec::new(),
        };
        for alias in names {
            add_alias(&mut entity, alias);
        }
        for birth in record.all("birthdate") {
            if let Some(day) = birth.attribute("birthdate") {
                push(&mut entity.attributes, "dob", day);
            }
        }
        let citizenship = record
            .all("citizenship")
            .find_map(|c| c.attribute("countryIso2Code"))
            .filter(|code| code.len() == 2 && *code != "00");
        if kind == EntityKind::Person {
            entity.nationality = citizenship.map(str::to_owned);
        } else {
            entity.country = citizenship.map(str::to_owned);
        }
        if let Some(remark) = record.text("remark") {
            push(&mut entity.attributes, "remarks", &remark);
        }
        if let Some(gender) = record.all("nameAlias").find_map(|a| a.attribute("gender")) {
            push(&mut entity.attributes, "gender", gender);
        }
        for document in record.all("identification") {
            // The code says what it is (`passport`, `id`...); the description varies by file.
            let kind = match document.attribute("identificationTypeCode") {
                Some("passport") => Some("Passport"),
                _ => document.attribute("identificationTypeDescription"),
            };
            if let (Some(kind), Some(number)) = (kind, document.attribute("number")) {
                push(
                    &mut entity.attributes,
                    "identifiers",
                    &format!("{kind} {number}"),
                );
            }
        }
        super::identity::structure(&mut entity, &mut self.issues);
        self.designation(record, &id, reference);
        self.document.entities.push(entity);
    }

    fn designation(&mut self, record: &Node, id: &str, reference: String) {
        let mut programs: Vec<String> = record
            .all("regulation")
            .filter_map(|r| r.attribute("programme").map(str::to_owned))
            .collect();
        programs.dedup();
        if programs.is_empty() {
            self.issues.add(IssueKind::MissingProgram, || {
                format!("{id} on line {} has no regulation programme", record.line)
            });
        }
        let listed_on = record
            .attribute("designationDate")
            .and_then(|d| d.get(..10)?.parse::<Date>().ok());
        let listed_by = listed_on
            .is_none()
            .then(|| earliest_regulation(record))
            .flatten();
        self.document.designations.push(DesignationRecord {
            entity: id.to_owned(),
            list: LIST.to_owned(),
            programs,
            listed_on,
            delisted_on: None,
            reference: Some(reference),
            source: None,
            listed_by,
            unlisted_on: None,
            measure: Some(Measure::AssetFreeze),
            directive: None,
        });
    }
}

/// The earliest `publicationDate` of the record's regulations and of the regulation summaries of
/// its parts: the entry was on the list by then.
fn earliest_regulation(record: &Node) -> Option<Date> {
    let mut earliest: Option<Date> = None;
    let mut visit = vec![record];
    while let Some(node) = visit.pop() {
        if matches!(node.name.as_str(), "regulation" | "regulationSummary")
            && let Some(date) = node
                .attribute("publicationDate")
                .and_then(|d| d.get(..10)?.parse::<Date>().ok())
        {
            earliest = Some(earliest.map_or(date, |e| e.min(date)));
        }
        visit.extend(node.children.iter());
    }
    earliest
}
