//! The UN Security Council consolidated list, in its XML form.
//!
//! `INDIVIDUAL` records become persons and `ENTITY` records organizations, with id
//! `un-<REFERENCE_NUMBER>` (`un-KPi.001`) and one `UN` designation whose program is the regime in
//! `UN_LIST_TYPE` (`DPRK`, `Al-Qaida`, ...) and whose `listed_on` is `LISTED_ON`. The name is the
//! name parts in the UN's order; the UN writes Korean names family name first (`YUN` / `HO-JIN`),
//! so for the DPRK regime's `KPi` entries `family_name` and `given_names` are recorded too.
//! Aliases of quality `Low` go to `weak_aliases` (the UN itself warns they may not identify).
//!
//! The file is streamed and handed over one record at a time, so memory stays bounded by the
//! largest record, not the list.

use std::collections::HashSet;
use std::path::Path;

use super::Import;
use super::common::{add_alias, push, read_text, set, squash};
use super::countries::first_code;
use super::error::ListError;
use super::report::{IssueKind, Issues, generated_xml_report};
use super::xml::{Node, Shape, read_records};
use crate::facts::{DesignationRecord, EntityKind, EntityRecord, FactsDocument};

/// The list name designations carry.
pub const LIST: &str = "UN";

/// An entity's attribute map.
type Attributes = std::collections::BTreeMap<String, crate::facts::AttributeValue>;

/// The shape of the file.
const SHAPE: Shape = Shape {
    root: "CONSOLIDATED_LIST",
    records: &["INDIVIDUAL", "ENTITY"],
    format: "the UN consolidated list XML",
};

/// Elements of a record that are read (or deliberately skipped); any other is reported.
const KNOWN: &[&str] = &[
    "DATAID",
    "VERSIONNUM",
    "FIRST_NAME",
    "SECOND_NAME",
    "THIRD_NAME",
    "FOURTH_NAME",
    "UN_LIST_TYPE",
    "REFERENCE_NUMBER",
    "LISTED_ON",
    "GENDER",
    "COMMENTS1",
    "DESIGNATION",
    "TITLE",
    "NATIONALITY",
    "LIST_TYPE",
    "LAST_DAY_UPDATED",
    "NAME_ORIGINAL_SCRIPT",
    "INDIVIDUAL_ALIAS",
    "ENTITY_ALIAS",
    "INDIVIDUAL_ADDRESS",
    "ENTITY_ADDRESS",
    "INDIVIDUAL_DATE_OF_BIRTH",
    "INDIVIDUAL_PLACE_OF_BIRTH",
    "INDIVIDUAL_DOCUMENT",
    "SORT_KEY",
    "SORT_KEY_LAST_MOD",
    "DELISTED_ON",
    "SUBMITTED_BY",
];

/// Imports the consolidated list XML at `file`.
pub fn import(file: &Path) -> Result<Import, ListError> {
    let text = read_text(file)?;
    let name = file.display().to_string();
    let mut importer = Importer {
        document: FactsDocument::default(),
        issues: Issues::default(),
        ids: HashSet::new(),
        records: 0,
    };
    let root = read_records(&name, &text, &SHAPE, |record| importer.record(&record))?;
    for entity in &mut importer.document.entities {
        super::identity::structure(entity, &mut importer.issues);
    }
    let report = generated_xml_report(
        "UN consolidated list",
        &root,
        "dateGenerated",
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

/// Turns records into entities and designations.
struct Importer {
    document: FactsDocument,
    issues: Issues,
    ids: HashSet<String>,
    records: usize,
}

impl Importer {
    /// Reads one `INDIVIDUAL` or `ENTITY`.
    fn record(&mut self, record: &Node) {
        self.records += 1;
        let person = record.name == "INDIVIDUAL";
        for child in &record.children {
            if !KNOWN.contains(&child.name.as_str()) {
                self.issues.add_distinct(
                    IssueKind::UnusedRecord,
                    &format!("<{}>", child.name),
                    || {
                        format!(
                            "<{}> in records, first on line {} (not read)",
                            child.name, child.line
                        )
                    },
                );
            }
        }
        let reference = record.text("REFERENCE_NUMBER");
        let Some(id) = reference
            .as_ref()
            .map(|r| format!("un-{r}"))
            .or_else(|| record.text("DATAID").map(|d| format!("un-dataid-{d}")))
        else {
            self.issues.add(IssueKind::UnusedRecord, || {
                format!(
                    "<{}> on line {} without REFERENCE_NUMBER or DATAID",
                    record.name, record.line
                )
            });
            return;
        };
        if !self.ids.insert(id.clone()) {
            self.issues.add(IssueKind::DuplicateEntry, || {
                format!("{id} again on line {}", record.line)
            });
            return;
        }
        let parts: Vec<String> = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
            .iter()
            .filter_map(|p| record.text(p))
            .collect();
        let mut entity = EntityRecord {
            id: id.clone(),
            kind: if person {
                EntityKind::Person
            } else {
                EntityKind::Organization
            },
            name: parts.join(" "),
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
        if person && reference.as_deref().is_some_and(|r| r.starts_with("KPi")) {
            if let Some(family) = record.text("FIRST_NAME") {
                set(&mut entity.attributes, "family_name", &family);
            }
            let given: Vec<String> = ["SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
                .iter()
                .filter_map(|p| record.text(p))
                .collect();
            if !given.is_empty() {
                set(&mut entity.attributes, "given_names", &given.join(" "));
            }
        }
        self.aliases(record, &mut entity);
        self.details(record, &mut entity);
        if entity.name.is_empty() {
            match entity.aliases.first() {
                Some(alias) => entity.name = alias.clone(),
                None => {
                    self.issues.add(IssueKind::UnusedRecord, || {
                        format!("{id} on line {} has no name", record.line)
                    });
                    return;
                }
            }
        }
        self.designation(record, &id, reference);
        self.document.entities.push(entity);
    }

    /// The UN designation of a record.
    fn designation(&mut self, record: &Node, id: &str, reference: Option<String>) {
        let programs: Vec<String> = record.text("UN_LIST_TYPE").into_iter().collect();
        if programs.is_empty() {
            self.issues.add(IssueKind::MissingProgram, || {
                format!("{id} on line {} has no UN_LIST_TYPE", record.line)
            });
        }
        let listed_on = record
            .text("LISTED_ON")
            .and_then(|d| self.date(&d, id, "LISTED_ON"));
        let delisted_on = record
            .text("DELISTED_ON")
            .and_then(|d| self.date(&d, id, "DELISTED_ON"));
        self.document.designations.push(DesignationRecord {
            entity: id.to_owned(),
            list: LIST.to_owned(),
            programs,
            listed_on,
            delisted_on: delisted_on.filter(|d| listed_on.is_none_or(|l| l < *d)),
            reference,
            source: None,
            listed_by: None,
            unlisted_on: None,
            measure: None,
            directive: None,
        });
    }

    /// Reads a full date (`2009-07-16`, also with a time zone after it), reporting any other form.
    fn date(&mut self, text: &str, id: &str, field: &str) -> Option<crate::Date> {
        // `2003-09-09-04:00` carries a time zone after the day; the day is what counts.
        let date = text.get(..10).and_then(|d| d.parse().ok());
        if date.is_none() {
            self.issues
                .add(IssueKind::BadDate, || format!("{id}: {field} `{text}`"));
        }
        date
    }

    /// Aliases by quality, and the name in original script.
    fn aliases(&mut self, record: &Node, entity: &mut EntityRecord) {
        for alias in record
            .all("INDIVIDUAL_ALIAS")
            .chain(record.all("ENTITY_ALIAS"))
        {
            // The UN quotes some aliases (`"KOMID"`); the quotes are not part of the name.
            let Some(name) = alias
                .text("ALIAS_NAME")
                .map(|n| n.trim_matches('"').trim().to_owned())
                .filter(|n| !n.is_empty())
            else {
                continue;
            };
            let quality = alias.text("QUALITY").unwrap_or_default();
            if quality.eq_ignore_ascii_case("low") {
                push(&mut entity.attributes, "weak_aliases", &name);
            } else {
                add_alias(entity, name);
            }
            if let Some(dob) = alias.text("DATE_OF_BIRTH") {
                push(&mut entity.attributes, "dob", &dob);
            }
            let place: Vec<String> = ["CITY_OF_BIRTH", "COUNTRY_OF_BIRTH"]
                .iter()
                .filter_map(|p| alias.text(p))
                .collect();
            if !place.is_empty() {
                push(&mut entity.attributes, "place_of_birth", &place.join(", "));
            }
        }
        for original in record.all("NAME_ORIGINAL_SCRIPT") {
            let name = squash(&original.text);
            if !name.is_empty() {
                add_alias(entity, name);
            }
        }
    }

    /// Everything else: gender, comments, positions, nationality, addresses, dates and places of
    /// birth, documents.
    fn details(&mut self, record: &Node, entity: &mut EntityRecord) {
        let attributes = &mut entity.attributes;
        if let Some(gender) = record.text("GENDER") {
            set(attributes, "gender", &gender);
        }
        if let Some(comments) = record.text("COMMENTS1") {
            set(attributes, "comments", &comments);
        }
        for (element, key) in [
            ("DESIGNATION", "positions"),
            ("TITLE", "titles"),
            ("NATIONALITY", "nationalities"),
            ("LAST_DAY_UPDATED", "last_updated"),
        ] {
            for value in record.values(element) {
                push(attributes, key, &value);
            }
        }
        births(record, attributes);
        for document in record.all("INDIVIDUAL_DOCUMENT") {
            document_identifier(document, attributes);
        }
        let countries = addresses(record, attributes);
        entity.country = first_code(&countries, &mut self.issues, &entity.id);
        if entity.kind == EntityKind::Person {
            let nationalities = record.values("NATIONALITY");
            entity.nationality = first_code(&nationalities, &mut self.issues, &entity.id);
        }
    }
}

/// Addresses as text, in `addresses`; returns their country names, in order.
fn addresses(record: &Node, attributes: &mut Attributes) -> Vec<String> {
    let mut countries = Vec::new();
    for address in record
        .all("INDIVIDUAL_ADDRESS")
        .chain(record.all("ENTITY_ADDRESS"))
    {
        let parts: Vec<String> = ["STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"]
            .iter()
            .filter_map(|p| address.text(p))
            .collect();
        if parts.is_empty() {
            continue;
        }
        let full = match address.text("NOTE") {
            Some(note) => format!("{} ({note})", parts.join(", ")),
            None => parts.join(", "),
        };
        push(attributes, "addresses", &full);
        countries.extend(address.text("COUNTRY"));
    }
    countries
}

/// Dates and places of birth, in `dob` and `place_of_birth`.
fn births(record: &Node, attributes: &mut Attributes) {
    for birth in record.all("INDIVIDUAL_DATE_OF_BIRTH") {
        if let Some(dob) = birth_date(birth) {
            push(attributes, "dob", &dob);
        }
    }
    for place in record.all("INDIVIDUAL_PLACE_OF_BIRTH") {
        let parts: Vec<String> = ["CITY", "STATE_PROVINCE", "COUNTRY"]
            .iter()
            .filter_map(|p| place.text(p))
            .collect();
        if !parts.is_empty() {
            push(attributes, "place_of_birth", &parts.join(", "));
        }
    }
}

/// A date of birth as the UN states it: a day, a year, `circa` a year, or a range of years.
fn birth_date(birth: &Node) -> Option<String> {
    let approximately = birth
        .text("TYPE_OF_DATE")
        .is_some_and(|t| t.eq_ignore_ascii_case("APPROXIMATELY"));
    let value = match (birth.text("DATE"), birth.text("YEAR")) {
        (Some(date), _) => date.get(..10).unwrap_or(&date).to_owned(),
        (None, Some(year)) => year,
        (None, None) => match (birth.text("FROM_YEAR"), birth.text("TO_YEAR")) {
            (Some(from), Some(to)) => format!("{from} to {to}"),
            (Some(one), None) | (None, Some(one)) => one,
            (None, None) => return None,
        },
    };
    Some(if approximately {
        format!("circa {value}")
    } else {
        value
    })
}

/// A travel or identity document as an `identifiers` entry (`Passport 563110024 (Democratic
/// People's Republic of Korea)`), its number also in `passports` for a passport.
fn document_identifier(document: &Node, attributes: &mut Attributes) {
    let Some(number) = document.text("NUMBER") else {
        return;
    };
    let kind = document
        .text("TYPE_OF_DOCUMENT")
        .unwrap_or_else(|| String::from("Document"));
    let kind = match document.text("TYPE_OF_DOCUMENT2") {
        Some(more) => format!("{kind} {more}"),
        None => kind,
    };
    let country = document
        .text("ISSUING_COUNTRY")
        .or_else(|| document.text("COUNTRY_OF_ISSUE"));
    let entry = match country {
        Some(country) => format!("{kind} {number} ({country})"),
        None => format!("{kind} {number}"),
    };
    push(attributes, "identifiers", &entry);
    let lower = kind.to_lowercase();
    if ["passport", "passeport", "pasaporte"]
        .iter()
        .any(|p| lower.contains(p))
    {
        push(attributes, "passports", &number);
    }
}
