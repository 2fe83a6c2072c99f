//! The UK consolidated list of financial sanctions targets (OFSI's `ConList.csv`, "2022 format").
//!
//! The file is one row per name: every name and alias of a target is a row, and the rows of one
//! target share its `Group ID`. Each group becomes an entity with id `uk-<Group ID>` (`uk-11122`)
//! and one `UK` designation: its program is the `Regime`, under the short tag the program table
//! ([`crate::programs`]) and hand-written facts use where there is one (`Democratic People's
//! Republic of Korea` → `DPRK`, so evidence cites the UK DPRK regulations), else as written (the
//! regime as written is also kept in the attribute `regimes`); its reference the Group ID, and
//! its measure an asset freeze (the list is OFSI's list of asset-freeze targets). Where a file has a `Sanctions Imposed` column (`Asset freeze|Travel
//! ban`, as the FCDO's UK Sanctions List writes it), each measure it names becomes its own
//! designation.
//!
//! Columns are found by their header names, so a file with extra or reordered columns still
//! reads; `Name 6`, `Group Type`, `Regime`, `Listed On` and `Group ID` must be there. The row
//! whose `Alias Type` is `Primary name` gives the name; the others are aliases (`Alias Quality`
//! `Low` ones go to `weak_aliases`). Names are `Name 1`..`Name 5` then `Name 6` (the surname for
//! a person, the whole name for an entity).
//!
//! Dates are `DD/MM/YYYY`. The first line, `Last Updated,DD/MM/YYYY`, is the snapshot's
//! publication date. `Listed On` is the listing date (for targets carried over from EU law, the
//! day the EU or UN first listed them); `UK Sanctions List Date Designated` is kept as the
//! attribute `uk_designated`. A date of birth writes an unknown day or month as `00`.

use std::collections::HashMap;
use std::path::Path;

use super::Import;
use super::common::{add_alias, push, read_text, set};
use super::csv::{self, Row};
use super::error::{Damage, ListError};
use super::report::{ImportReport, IssueKind, Issues, by_list, count_document};
use crate::date::Date;
use crate::facts::{DesignationRecord, EntityKind, EntityRecord, FactsDocument, Measure};

/// The list name designations carry.
pub const LIST: &str = "UK";

/// OFSI regime names with the short program tag the program table knows them by (as `UK-DPRK`).
const REGIMES: &[(&str, &str)] = &[
    ("Democratic People's Republic of Korea", "DPRK"),
    ("Russia", "RUSSIA"),
];

/// The program tag of an OFSI regime name.
fn program(regime: &str) -> String {
    REGIMES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(regime))
        .map_or(regime, |(_, tag)| tag)
        .to_owned()
}

/// The columns without which a row cannot become a designation.
const REQUIRED: [&str; 5] = ["Name 6", "Group Type", "Regime", "Listed On", "Group ID"];

/// Imports OFSI's consolidated list CSV at `file`.
pub fn import(file: &Path) -> Result<Import, ListError> {
    let text = read_text(file)?;
    let name = file.display().to_string();
    let (published, body) = banner(&name, &text)?;
    let header = body
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or_else(|| ListError::malformed(&name, 1, Damage::Truncated, "the file is empty"))?;
    let columns = header.split(',').count();
    let table = csv::read(&name, &body, columns)?;
    let mut rows = table.rows.iter();
    let header_row = rows.next().ok_or_else(|| {
        ListError::malformed(&name, 1, Damage::Truncated, "the file has no header row")
    })?;
    let index = Columns::new(&name, header_row)?;
    let mut importer = Importer {
        name: &name,
        columns: index,
        document: FactsDocument::default(),
        issues: Issues::default(),
        groups: HashMap::new(),
        records: 0,
    };
    for row in rows {
        importer.row(row)?;
    }
    importer.finish();
    let mut report = ImportReport {
        list: match published {
            Some(date) => {
                format!("UK consolidated list of financial sanctions targets (updated {date})")
            }
            None => String::from("UK consolidated list of financial sanctions targets"),
        },
        sources: vec![name.clone()],
        designations_by_list: by_list(&importer.document),
        published,
        ..ImportReport::default()
    };
    count_document(&mut report.counts, &importer.document);
    report.counts.records = importer.records;
    report.issues = importer.issues.into_vec();
    Ok(Import {
        document: importer.document,
        report,
    })
}

/// Reads the `Last Updated,DD/MM/YYYY` banner of the first line, if there is one, and returns the
/// text with that line blanked (so the CSV reader's line numbers stay the file's).
fn banner(name: &str, text: &str) -> Result<(Option<Date>, String), ListError> {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let Some(value) = first.trim_end_matches('\r').strip_prefix("Last Updated,") else {
        return Ok((None, text.to_owned()));
    };
    let value = value.trim_end_matches(',').trim().trim_matches('"');
    let date = day(value).ok_or_else(|| {
        ListError::malformed(
            name,
            1,
            Damage::Value,
            format!("`Last Updated` is `{value}`, not a date as DD/MM/YYYY"),
        )
    })?;
    Ok((Some(date), format!("\n{rest}")))
}

/// `DD/MM/YYYY` as a day.
fn day(text: &str) -> Option<Date> {
    let mut parts = text.trim().split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || d.len() != 2 || m.len() != 2 || y.len() != 4 {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A date of birth as written (`13/10/1944`, `00/00/1944`, `00/10/1944`) in the ISO form the
/// other importers write (`1944-10-13`, `1944`, `1944-10`); anything else as written.
fn birth(text: &str) -> String {
    let parts: Vec<&str> = text.trim().split('/').collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => match (*d, *m) {
            ("00", "00") => (*y).to_owned(),
            ("00", m) => format!("{y}-{m}"),
            (d, m) => format!("{y}-{m}-{d}"),
        },
        _ => text.trim().to_owned(),
    }
}

/// Where each named column is.
struct Columns {
    at: HashMap<String, usize>,
}

impl Columns {
    fn new(name: &str, header: &Row<'_>) -> Result<Columns, ListError> {
        let at: HashMap<String, usize> = header
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((f.as_deref()?.trim().to_owned(), i)))
            .collect();
        if let Some(missing) = REQUIRED.iter().find(|c| !at.contains_key(**c)) {
            return Err(ListError::malformed(
                name,
                header.line,
                Damage::Csv,
                format!(
                    "the header has no `{missing}` column; this is not OFSI's consolidated list \
                     CSV (ConList.csv, 2022 format): download that file"
                ),
            ));
        }
        Ok(Columns { at })
    }

    fn get<'r>(&self, row: &'r Row<'_>, column: &str) -> Option<&'r str> {
        row.get(*self.at.get(column)?)
    }
}

/// The index of a group's entity in `document.entities`, and of its designations.
type Group = (usize, std::ops::Range<usize>);

struct Importer<'n> {
    name: &'n str,
    columns: Columns,
    document: FactsDocument,
    issues: Issues,
    /// Where each Group ID's entity and designations are.
    groups: HashMap<String, Group>,
    records: usize,
}

impl Importer<'_> {
    fn row(&mut self, row: &Row<'_>) -> Result<(), ListError> {
        self.records += 1;
        let c = &self.columns;
        let group = c
            .get(row, "Group ID")
            .ok_or_else(|| self.bad(row, "has no Group ID"))?
            .to_owned();
        let full = full_name(c, row);
        let Some(full) = full else {
            self.issues.add(IssueKind::UnusedRecord, || {
                format!("Group ID {group} on line {} has no name", row.line)
            });
            return Ok(());
        };
        let listed_on = self.date(row, "Listed On")?;
        let designated = self.date(row, "UK Sanctions List Date Designated")?;
        let primary = c
            .get(row, "Alias Type")
            .is_some_and(|t| t.eq_ignore_ascii_case("Primary name"));
        let weak = c
            .get(row, "Alias Quality")
            .is_some_and(|q| q.eq_ignore_ascii_case("Low"));
        let (index, listings) = match self.groups.get(&group) {
            Some(found) => found.clone(),
            None => self.start(row, &group, &full)?,
        };
        let c = &self.columns;
        if let Some(listed) = listed_on {
            for designation in self
                .document
                .designations
                .get_mut(listings)
                .unwrap_or_default()
            {
                designation.listed_on =
                    Some(designation.listed_on.map_or(listed, |d| d.min(listed)));
            }
        }
        let Some(entity) = self.document.entities.get_mut(index) else {
            return Ok(());
        };
        if primary && entity.name != full {
            let old = std::mem::replace(&mut entity.name, full);
            entity.aliases.retain(|a| *a != entity.name);
            add_alias(entity, old);
        } else if weak {
            push(&mut entity.attributes, "weak_aliases", &full);
        } else {
            add_alias(entity, full);
        }
        if let Some(script) = c.get(row, "Name Non-Latin Script") {
            add_alias(entity, script.to_owned());
        }
        details(c, row, entity);
        if let Some(designated) = designated {
            set(
                &mut entity.attributes,
                "uk_designated",
                &designated.to_string(),
            );
        }
        Ok(())
    }

    /// The date in `column` of `row`, if any; a value that is not `DD/MM/YYYY` is an error.
    fn date(&self, row: &Row<'_>, column: &str) -> Result<Option<Date>, ListError> {
        let Some(text) = self.columns.get(row, column) else {
            return Ok(None);
        };
        day(text).map(Some).ok_or_else(|| {
            self.bad(
                row,
                &format!("has `{column}` `{text}`, not a date as DD/MM/YYYY"),
            )
        })
    }

    /// The first row of a group: the entity and its designations; returns where they are.
    fn start(&mut self, row: &Row<'_>, group: &str, full: &str) -> Result<Group, ListError> {
        let c = &self.columns;
        let kind = match c.get(row, "Group Type") {
            Some("Individual") => EntityKind::Person,
            Some("Entity") => EntityKind::Organization,
            Some("Ship") => EntityKind::Vessel,
            other => {
                return Err(self.bad(
                    row,
                    &format!(
                        "has `Group Type` `{}`; OFSI's types are Individual, Entity and Ship",
                        other.unwrap_or_default()
                    ),
                ));
            }
        };
        let id = format!("uk-{group}");
        let regime = c.get(row, "Regime");
        if regime.is_none() {
            self.issues.add(IssueKind::MissingProgram, || {
                format!("{id} on line {} has no Regime", row.line)
            });
        }
        let first = self.document.designations.len();
        for measure in measures(c.get(row, "Sanctions Imposed")) {
            self.document.designations.push(DesignationRecord {
                entity: id.clone(),
                list: LIST.to_owned(),
                programs: regime.map(program).into_iter().collect(),
                listed_on: None,
                delisted_on: None,
                reference: Some(group.to_owned()),
                source: None,
                listed_by: None,
                unlisted_on: None,
                measure: Some(measure),
                directive: None,
            });
        }
        self.document.entities.push(EntityRecord {
            id,
            kind,
            name: full.to_owned(),
            aliases: Vec::new(),
            country: None,
            nationality: None,
            attributes: Default::default(),
            source: None,
            birth_date: None,
            gender: None,
            identifiers: Vec::new(),
            addresses: Vec::new(),
        });
        let index = self.document.entities.len() - 1;
        if let (Some(regime), Some(entity)) = (regime, self.document.entities.get_mut(index)) {
            push(&mut entity.attributes, "regimes", regime);
        }
        let found = (index, first..self.document.designations.len());
        self.groups.insert(group.to_owned(), found.clone());
        Ok(found)
    }

    /// Fills the typed identity fields once every row of every group is read.
    fn finish(&mut self) {
        for entity in &mut self.document.entities {
            let countries = |key: &str| match entity.attributes.get(key) {
                Some(crate::facts::AttributeValue::List(items)) => {
                    items.iter().find_map(|i| match i {
                        crate::facts::AttributeValue::Text(t) => super::country_code(t),
                        _ => None,
                    })
                }
                _ => None,
            };
            if entity.kind == EntityKind::Person {
                entity.nationality = countries("nationalities").map(str::to_owned);
            } else {
                entity.country = countries("countries").map(str::to_owned);
            }
            super::identity::structure(entity, &mut self.issues);
        }
    }

    fn bad(&self, row: &Row<'_>, what: &str) -> ListError {
        ListError::malformed(
            self.name,
            row.line,
            Damage::Value,
            format!("the row {what}; fix the row or download the list again"),
        )
    }
}

/// `Name 1`..`Name 5` then `Name 6`, joined by spaces.
fn full_name(c: &Columns, row: &Row<'_>) -> Option<String> {
    let parts: Vec<&str> = ["Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6"]
        .iter()
        .filter_map(|column| c.get(row, column))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The measures a `Sanctions Imposed` cell names (`Asset freeze|Travel ban`); an asset freeze
/// when the file has no such column (the ConList is the list of asset-freeze targets).
fn measures(imposed: Option<&str>) -> Vec<Measure> {
    let Some(imposed) = imposed else {
        return vec![Measure::AssetFreeze];
    };
    let text = imposed.to_ascii_lowercase();
    let mut found = Vec::new();
    for (words, measure) in [
        ("asset freeze", Measure::AssetFreeze),
        ("travel ban", Measure::TravelBan),
        ("arms embargo", Measure::ArmsEmbargo),
        ("trust services", Measure::TrustServicesBan),
    ] {
        if text.contains(words) {
            found.push(measure);
        }
    }
    if found.is_empty() {
        found.push(Measure::AssetFreeze);
    }
    found
}

/// The other facts of a row, into the attributes the other importers write.
fn details(c: &Columns, row: &Row<'_>, entity: &mut EntityRecord) {
    let attributes = &mut entity.attributes;
    if let Some(dob) = c.get(row, "DOB") {
        push(attributes, "dob", &birth(dob));
    }
    if let Some(title) = c.get(row, "Title") {
        push(attributes, "titles", title);
    }
    if let Some(position) = c.get(row, "Position") {
        push(attributes, "positions", position);
    }
    let birthplace: Vec<&str> = ["Town of Birth", "Country of Birth"]
        .iter()
        .filter_map(|column| c.get(row, column))
        .collect();
    if !birthplace.is_empty() {
        push(attributes, "place_of_birth", &birthplace.join(", "));
    }
    if let Some(nationality) = c.get(row, "Nationality") {
        push(attributes, "nationalities", nationality);
    }
    if let Some(number) = c.get(row, "Passport Number") {
        push(attributes, "identifiers", &format!("Passport {number}"));
        push(attributes, "passports", number);
    }
    if let Some(number) = c.get(row, "National Identification Number") {
        push(
            attributes,
            "identifiers",
            &format!("National Identification Number {number}"),
        );
    }
    let address: Vec<&str> = [
        "Address 1",
        "Address 2",
        "Address 3",
        "Address 4",
        "Address 5",
        "Address 6",
        "Post/Zip Code",
        "Country",
    ]
    .iter()
    .filter_map(|column| c.get(row, column))
    .collect();
    if !address.is_empty() {
        push(attributes, "addresses", &address.join(", "));
    }
    if let Some(country) = c.get(row, "Country") {
        push(attributes, "countries", country);
    }
    if let Some(other) = c.get(row, "Other Information") {
        push(attributes, "remarks", other);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_ofsi_writes_them() {
        assert_eq!(day("24/04/2009"), "2009-04-24".parse().ok());
        assert_eq!(day("31/02/2009"), None);
        assert_eq!(day("2009-04-24"), None);
        assert_eq!(birth("13/10/1944"), "1944-10-13");
        assert_eq!(birth("00/00/1944"), "1944");
        assert_eq!(birth("00/10/1944"), "1944-10");
        assert_eq!(birth("circa 1962"), "circa 1962");
    }

    #[test]
    fn measures_default_to_an_asset_freeze() {
        assert_eq!(measures(None), [Measure::AssetFreeze]);
        assert_eq!(
            measures(Some("Asset freeze|Travel Ban")),
            [Measure::AssetFreeze, Measure::TravelBan]
        );
        assert_eq!(
            measures(Some("Trust services sanctions")),
            [Measure::TrustServicesBan]
        );
    }
}
