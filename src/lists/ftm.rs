//! OpenSanctions FollowTheMoney entities, one JSON object a line.
//!
//! - `Person`, `Company`, `Organization`, `LegalEntity`, `PublicBody`, `Vessel` and `Airplane`
//!   records become entities `ftm-<id>`; every property not turned into a field is kept as a list
//!   attribute under its snake_case name (`innCode` → `inn_code`), identifiers also in `identifiers`.
//! - `Sanction` becomes a designation of its `entity`: the list is named after the authority
//!   (`Office of Foreign Assets Control` → `OFAC-SDN`, EU bodies → `EU`, the UK's → `UK`, the UN
//!   Security Council → `UN`, any other `<authority> (<country>)`), programs are `program` and
//!   `programId`, `listed_on` the earliest `listingDate`/`startDate` and `delisted_on` the latest
//!   `endDate`.
//! - `Ownership` becomes `owns` with its percentage, role and dates; `Directorship`
//!   `director_of`; `Employment` `employs`; `Family`, `Associate`, `Membership`, `Representation`,
//!   `Succession` and `UnknownLink` become `linked_to` with the stated relationship as role.
//!   Every reported edge is kept as its own relation `ftm-<id>`: sources that disagree about a
//!   stake (48, 50 and 51 %) are all kept and counted, so the engine can explain what it did.
//! - `Address`, `Passport`, `Identification` and `CryptoWallet` records are folded into the
//!   entities that refer to them.

mod links;
mod sanctions;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::Import;
use super::common::{add_alias, push, read_text, set};
use super::error::{Damage, ListError};
use super::report::{ImportReport, IssueKind, Issues, by_list, count_document};
use crate::facts::{EntityKind, EntityRecord, FactsDocument};

/// An entity's attribute map.
type Attributes = BTreeMap<String, crate::facts::AttributeValue>;

/// One line of the file.
#[derive(Debug, Deserialize)]
struct Record {
    id: String,
    schema: String,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    properties: BTreeMap<String, Vec<serde_json::Value>>,
    #[serde(default)]
    datasets: Vec<String>,
    /// The line it was on (set after parsing).
    #[serde(skip)]
    line: u64,
}

impl Record {
    /// The text values of property `name` (numbers written as text; other values are not
    /// FollowTheMoney and are skipped).
    fn values(&self, name: &str) -> Vec<String> {
        self.properties
            .get(name)
            .map(|values| values.iter().filter_map(text).collect())
            .unwrap_or_default()
    }

    /// The first value of property `name`.
    fn first(&self, name: &str) -> Option<String> {
        self.values(name).into_iter().next()
    }
}

/// A property value as text.
fn text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Entity schemas and the kind they become.
const ENTITIES: &[(&str, EntityKind)] = &[
    ("Person", EntityKind::Person),
    ("Company", EntityKind::Organization),
    ("Organization", EntityKind::Organization),
    ("LegalEntity", EntityKind::Organization),
    ("PublicBody", EntityKind::Organization),
    ("Vessel", EntityKind::Vessel),
    ("Airplane", EntityKind::Aircraft),
];

/// Identifier properties, their label in `identifiers`, and the attribute for the bare value.
const IDENTIFIERS: &[(&str, &str, Option<&str>)] = &[
    ("passportNumber", "Passport", Some("passports")),
    ("idNumber", "ID Number", None),
    ("taxNumber", "Tax Number", None),
    ("registrationNumber", "Registration Number", None),
    ("innCode", "INN", None),
    ("ogrnCode", "OGRN", None),
    ("kppCode", "KPP", None),
    ("okpoCode", "OKPO", None),
    ("vatCode", "VAT", None),
    ("leiCode", "LEI", None),
    ("dunsCode", "DUNS", None),
    ("uscCode", "USCC", Some("uscc")),
    ("swiftBic", "SWIFT/BIC", Some("swift_bic")),
    ("bikCode", "BIK", None),
    ("imoNumber", "IMO", Some("imo")),
    ("mmsi", "MMSI", Some("mmsi")),
    ("permId", "PermID", None),
    ("uniqueEntityId", "UEI", None),
];

/// Properties read into entity fields rather than kept as attributes.
const FIELDS: &[&str] = &[
    "name",
    "alias",
    "previousName",
    "weakAlias",
    "abbreviation",
    "addressEntity",
];

/// Attribute names for properties whose snake_case name would not match the other importers.
const RENAMED: &[(&str, &str)] = &[
    ("birthDate", "dob"),
    ("birthPlace", "place_of_birth"),
    ("nationality", "nationalities"),
    ("citizenship", "citizenships"),
    ("position", "positions"),
    ("address", "addresses"),
    ("email", "emails"),
    ("phone", "phone_numbers"),
    ("website", "websites"),
    ("country", "countries"),
    ("title", "titles"),
];

/// Imports the FollowTheMoney JSON lines at `file`.
pub fn import(file: &Path) -> Result<Import, ListError> {
    let name = file.display().to_string();
    let text = read_text(file)?;
    let (records, repeated) = parse(&name, &text)?;
    let mut importer = Importer::new(&records);
    for (line, id, first) in repeated {
        importer.issues.add(IssueKind::DuplicateEntry, || {
            format!("{name}:{line}: `{id}` repeats line {first} (not imported again)")
        });
    }
    importer.entities();
    importer.links();
    importer.derived_designations();
    importer.conflicts();
    for entity in &mut importer.document.entities {
        super::identity::structure(entity, &mut importer.issues);
    }
    let mut report = ImportReport {
        list: String::from("OpenSanctions FollowTheMoney entities"),
        sources: vec![name],
        designations_by_list: by_list(&importer.document),
        ..ImportReport::default()
    };
    count_document(&mut report.counts, &importer.document);
    report.counts.records = records.len();
    report.counts.conflicting_edges = importer.conflicting_edges;
    report.counts.stakes_without_percentage = importer.without_percentage;
    report.issues = importer.issues.into_vec();
    Ok(Import {
        document: importer.document,
        report,
    })
}

/// A record whose id an earlier line already used: its line, the id and the first line.
type Repeated = (u64, String, u64);

/// Parses every non-blank line, stopping at the first that is not an entity; a record repeating
/// an earlier record's id is set aside (and reported) rather than imported twice.
fn parse(name: &str, text: &str) -> Result<(Vec<Record>, Vec<Repeated>), ListError> {
    let lines: Vec<&str> = text.lines().collect();
    let last = lines.iter().rposition(|l| !l.trim().is_empty());
    let mut records = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut repeated = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let number = index as u64 + 1;
        // serde reads a struct from a JSON array too, by position: `["x", "Person"]` would be
        // taken for an entity. FollowTheMoney lines are objects, and anything else is damage.
        if line.trim_start().starts_with('[') {
            return Err(ListError::malformed(
                name,
                number,
                Damage::Json,
                "a JSON array, not an object; each line must be one FollowTheMoney entity such \
                 as {\"id\": ..., \"schema\": ..., \"properties\": {...}}",
            ));
        }
        let mut record: Record = serde_json::from_str(line).map_err(|e| {
            let column = e.column();
            let what = e.to_string();
            let what = what
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_owned();
            if e.is_eof() && Some(index) == last {
                ListError::malformed(
                    name,
                    number,
                    Damage::Truncated,
                    format!(
                        "the last line stops before its JSON object ends ({what}): the file looks \
                         truncated, download it again"
                    ),
                )
            } else if e.is_data() {
                ListError::malformed(
                    name,
                    number,
                    Damage::Json,
                    format!(
                        "not a FollowTheMoney entity ({what}); each line must be an object with \
                         `id`, `schema` and `properties`"
                    ),
                )
            } else {
                ListError::malformed(
                    name,
                    number,
                    Damage::Json,
                    format!(
                        "not valid JSON ({what}, column {column}); each line must be one \
                         FollowTheMoney entity as a JSON object"
                    ),
                )
            }
        })?;
        record.line = number;
        match first_line.get(&record.id) {
            Some(&first) => repeated.push((number, record.id, first)),
            None => {
                first_line.insert(record.id.clone(), number);
                records.push(record);
            }
        }
    }
    Ok((records, repeated))
}

/// Builds the document from parsed records.
struct Importer<'r> {
    records: &'r [Record],
    /// Imported entity ids (FtM ids) and their position in `document.entities`.
    entities: HashMap<&'r str, usize>,
    /// Address record ids and their text.
    addresses: HashMap<&'r str, String>,
    /// FtM ids of entities a Sanction record names, with the lists.
    sanctioned: HashSet<(String, String)>,
    document: FactsDocument,
    issues: Issues,
    conflicting_edges: usize,
    without_percentage: usize,
}

impl<'r> Importer<'r> {
    fn new(records: &'r [Record]) -> Self {
        let addresses = records
            .iter()
            .filter(|r| r.schema == "Address")
            .filter_map(|r| Some((r.id.as_str(), address_text(r)?)))
            .collect();
        Importer {
            records,
            entities: HashMap::new(),
            addresses,
            sanctioned: HashSet::new(),
            document: FactsDocument::default(),
            issues: Issues::default(),
            conflicting_edges: 0,
            without_percentage: 0,
        }
    }

    /// Reads every entity record.
    fn entities(&mut self) {
        for record in self.records {
            let Some(kind) = ENTITIES
                .iter()
                .find(|(schema, _)| *schema == record.schema)
                .map(|(_, kind)| *kind)
            else {
                continue;
            };
            if self.entities.contains_key(record.id.as_str()) {
                self.issues.add(IssueKind::DuplicateEntry, || {
                    format!("line {}: {} again", record.line, record.id)
                });
                continue;
            }
            let entity = self.entity(record, kind);
            self.entities
                .insert(record.id.as_str(), self.document.entities.len());
            self.document.entities.push(entity);
        }
    }

    /// One entity: names, countries, addresses, identifiers and the other properties.
    fn entity(&mut self, record: &Record, kind: EntityKind) -> EntityRecord {
        let names = record.values("name");
        let name = record
            .caption
            .clone()
            .filter(|c| !c.trim().is_empty())
            .or_else(|| names.first().cloned())
            .unwrap_or_else(|| record.id.clone());
        let mut entity = EntityRecord {
            id: format!("ftm-{}", record.id),
            kind,
            name,
            aliases: Vec::new(),
            country: code(record.values("country")).or_else(|| code(record.values("jurisdiction"))),
            nationality: None,
            attributes: BTreeMap::new(),
            source: None,
            birth_date: None,
            gender: None,
            identifiers: Vec::new(),
            addresses: Vec::new(),
        };
        if kind == EntityKind::Person {
            entity.nationality =
                code(record.values("nationality")).or_else(|| code(record.values("citizenship")));
        }
        for alias in names
            .into_iter()
            .chain(record.values("alias"))
            .chain(record.values("previousName"))
        {
            add_alias(&mut entity, alias);
        }
        for weak in record
            .values("weakAlias")
            .into_iter()
            .chain(record.values("abbreviation"))
        {
            push(&mut entity.attributes, "weak_aliases", &weak);
        }
        self.addresses_of(record, &mut entity.attributes);
        properties(record, &mut entity.attributes);
        entity
    }

    /// The texts of the Address records `record` refers to.
    fn addresses_of(&mut self, record: &Record, attributes: &mut Attributes) {
        for reference in record.values("addressEntity") {
            match self.addresses.get(reference.as_str()) {
                Some(address) => push(attributes, "addresses", address),
                None => self.issues.add(IssueKind::DanglingReference, || {
                    format!(
                        "line {}: {} names address `{reference}`, not in the file",
                        record.line, record.id
                    )
                }),
            }
        }
    }

    /// Reads links, sanctions and the records folded into entities.
    fn links(&mut self) {
        for record in self.records {
            if let Some(&(_, from, to, kind, role)) = links::LINKS
                .iter()
                .find(|(schema, ..)| *schema == record.schema)
            {
                self.link(record, from, to, kind, role);
            } else if record.schema == "Sanction" {
                self.sanction(record);
            } else if matches!(
                record.schema.as_str(),
                "Passport" | "Identification" | "CryptoWallet"
            ) {
                self.document_record(record);
            } else if record.schema != "Address"
                && !ENTITIES.iter().any(|(schema, _)| *schema == record.schema)
            {
                let schema = &record.schema;
                self.issues
                    .add_distinct(IssueKind::UnusedRecord, schema, || {
                        format!("{schema} records, first on line {}", record.line)
                    });
            }
        }
    }

    /// The entity id (`ftm-...`) for FtM id `id`, or a reported dangling reference.
    fn resolve(&mut self, record: &Record, property: &str, id: &str) -> Option<String> {
        if self.entities.contains_key(id) {
            return Some(format!("ftm-{id}"));
        }
        self.issues.add(IssueKind::DanglingReference, || {
            format!(
                "line {}: {} {} `{property}` is `{id}`, not an entity in the file",
                record.line, record.schema, record.id
            )
        });
        None
    }

    /// Passport, Identification and CryptoWallet records, folded into their holder.
    fn document_record(&mut self, record: &Record) {
        let (value, label, bare) = match record.schema.as_str() {
            "CryptoWallet" => (
                record.first("publicKey"),
                "Digital Currency Address",
                "digital_currency_addresses",
            ),
            "Passport" => (
                record
                    .first("number")
                    .or_else(|| record.first("passportNumber")),
                "Passport",
                "passports",
            ),
            _ => (record.first("number"), "Identification", ""),
        };
        let Some(value) = value else {
            self.issues.add(IssueKind::UnusedRecord, || {
                format!(
                    "line {}: {} {} has no number",
                    record.line, record.schema, record.id
                )
            });
            return;
        };
        let label = record.first("type").unwrap_or_else(|| label.to_owned());
        let entry = match record.first("country") {
            Some(country) => format!("{label} {value} ({})", country.to_ascii_uppercase()),
            None => format!("{label} {value}"),
        };
        for holder in record.values("holder") {
            if self.resolve(record, "holder", &holder).is_none() {
                continue;
            }
            let Some(entity) = self
                .entities
                .get(holder.as_str())
                .and_then(|&i| self.document.entities.get_mut(i))
            else {
                continue;
            };
            push(&mut entity.attributes, "identifiers", &entry);
            if !bare.is_empty() {
                push(&mut entity.attributes, bare, &value);
            }
        }
    }

    /// The name of entity `id` (`ftm-...`), for examples.
    fn name(&self, id: &str) -> String {
        id.strip_prefix("ftm-")
            .and_then(|raw| self.entities.get(raw))
            .and_then(|&i| self.document.entities.get(i))
            .map_or_else(|| id.to_owned(), |e| e.name.clone())
    }
}

/// The first value that is an ISO alpha-2 code, upper-cased (FtM writes `ru`; it also has codes
/// such as `suhh` for historical states, which the facts format has no place for).
fn code(values: Vec<String>) -> Option<String> {
    values
        .into_iter()
        .find(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(|c| c.to_ascii_uppercase())
}

/// Identifiers, and every property not read into a field, as attributes.
fn properties(record: &Record, attributes: &mut Attributes) {
    for (property, label, bare) in IDENTIFIERS {
        for value in record.values(property) {
            push(attributes, "identifiers", &format!("{label} {value}"));
            if let Some(key) = bare {
                push(attributes, key, &value);
            }
        }
    }
    for (property, values) in &record.properties {
        if FIELDS.contains(&property.as_str()) {
            continue;
        }
        let key = RENAMED
            .iter()
            .find(|(from, _)| from == property)
            .map_or_else(|| snake_case(property), |(_, to)| (*to).to_owned());
        for value in values.iter().filter_map(text) {
            if key == "gender" {
                set(attributes, &key, &value);
            } else {
                push(attributes, &key, &value);
            }
        }
    }
}

/// The text of an Address record.
fn address_text(record: &Record) -> Option<String> {
    if let Some(full) = record.first("full") {
        return Some(full);
    }
    let parts: Vec<String> = ["street", "postalCode", "city", "region", "country"]
        .iter()
        .filter_map(|p| record.first(p))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// `innCode` → `inn_code`.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
