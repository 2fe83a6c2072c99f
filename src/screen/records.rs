//! Screening records rather than bare names (`screen --input FILE.jsonl`): each record carries
//! what onboarding knows of a party (kind, date of birth, nationality, country, identifiers), so
//! every hit is reported with its strength and what agreed or contradicted, as in decisions.

use serde::{Deserialize, Serialize};

use super::disposition::{DispositionKind, Dispositions, fingerprint};
use super::finding::{Review, ReviewStatus};
use super::screening::hits;
use super::strength::{Assessment, Strength, assess, assess_without_kind};
use super::{Match, ScreeningIndex};
use crate::date::Date;
use crate::facts::{Address, BirthDate, EntityKind, EntityRecord, Facts, Gender, Identifier};

/// One record to screen, one JSON object a line.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenRecord {
    /// The caller's id for it (reported back; a disposition's `party` names it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name screened.
    pub name: String,
    /// Other names, screened too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Person, organization, vessel or aircraft; unknown when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<EntityKind>,
    /// Date of birth (`1966-05-13`, `1966-05`, `1966`, `1960/1962`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<BirthDate>,
    /// `male` or `female`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Nationality (ISO 3166 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    /// Country of residence or incorporation (ISO 3166 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Identifiers: `[{type, value, country?}]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    /// Addresses: `[{street?, city?, country?}]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
}

impl ScreenRecord {
    /// A record of a bare name.
    pub fn named(name: &str) -> ScreenRecord {
        ScreenRecord {
            name: name.to_owned(),
            ..ScreenRecord::default()
        }
    }

    /// The record as an entity, for the comparison (its kind a placeholder when unknown).
    fn entity(&self) -> EntityRecord {
        EntityRecord {
            id: self.id.clone().unwrap_or_default(),
            kind: self.kind.unwrap_or(EntityKind::Person),
            name: self.name.clone(),
            aliases: self.aliases.clone(),
            country: self.country.clone(),
            nationality: self.nationality.clone(),
            attributes: Default::default(),
            birth_date: self.birth_date,
            gender: self.gender,
            identifiers: self.identifiers.clone(),
            addresses: self.addresses.clone(),
            source: None,
        }
    }
}

/// A hit with its strength, the facts behind it and any reviewer's disposition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenedMatch {
    /// The list entry, the name that matched and why.
    #[serde(flatten)]
    pub hit: Match,
    /// The record's name, alias or identifier that found it.
    pub matched_by: String,
    /// Strength, what agrees, contradicts, is unknown, and what to check.
    #[serde(flatten)]
    pub assessment: Assessment,
    /// The entry's fingerprint, for a disposition.
    pub fingerprint: String,
    /// A reviewer's disposition that settles or no longer settles this alert.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disposition: Option<ReviewStatus>,
}

/// The result of screening one record, one JSON object a line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordReport {
    /// The record's id, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The record's name.
    pub query: String,
    /// Hits at or above the threshold, strongest first, then best score.
    pub matches: Vec<ScreenedMatch>,
}

/// Screens `record` against `index` (built over `facts`), applying `dispositions` as of `day`.
pub fn screen_record(
    index: &ScreeningIndex,
    facts: &Facts,
    dispositions: &Dispositions,
    day: Option<Date>,
    record: &ScreenRecord,
    threshold: f64,
    limit: usize,
) -> RecordReport {
    let party = record.entity();
    let mut matches: Vec<ScreenedMatch> = hits(index, &party, threshold, limit, None)
        .into_iter()
        .filter_map(|(matched_by, hit)| {
            let listed = facts.entity(hit.entity)?;
            let mut assessment = match record.kind {
                Some(_) => assess(&party, listed, hit.score),
                None => assess_without_kind(&party, listed, hit.score),
            };
            let mut disposition = None;
            if let Some(applied) = dispositions.find(facts, &party, hit.entity) {
                let holds = day.is_some_and(|d| applied.holds_on(d));
                if holds {
                    assessment.strength = match applied.record.disposition {
                        DispositionKind::FalsePositive => Strength::Cleared,
                        DispositionKind::TrueMatch => Strength::Confirmed,
                    };
                    assessment.check.clear();
                    disposition = Some(ReviewStatus::Settled {
                        review: Review::from(&applied),
                    });
                } else {
                    disposition = day.and_then(|d| applied.lapse_on(d)).map(|lapse| {
                        ReviewStatus::OpenAgain {
                            review: Review::from(&applied),
                            lapse,
                        }
                    });
                }
            }
            Some(ScreenedMatch {
                fingerprint: fingerprint(listed),
                hit,
                matched_by,
                assessment,
                disposition,
            })
        })
        .collect();
    matches.sort_by(|a, b| {
        b.assessment
            .strength
            .cmp(&a.assessment.strength)
            .then(b.hit.score.total_cmp(&a.hit.score))
            .then(a.hit.id.cmp(&b.hit.id))
    });
    matches.truncate(limit);
    RecordReport {
        id: record.id.clone(),
        query: record.name.clone(),
        matches,
    }
}

/// A record of a `screen --input` file that cannot be read: the line (1-based) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct RecordError {
    /// The line of the file, counting the header as line 1.
    pub line: usize,
    /// What is wrong and what to do.
    pub message: String,
}

/// Columns a CSV of records may have besides identifier types (`passport`, `imo`, ...).
const CSV_COLUMNS: [&str; 9] = [
    "id",
    "name",
    "aliases",
    "kind",
    "birth_date",
    "gender",
    "nationality",
    "country",
    "identifiers",
];

impl ScreenRecord {
    /// Reads records from CSV with a header row: `name` (required), `id`, `aliases` (separated
    /// by `;`), `kind`, `birth_date`, `gender`, `nationality`, `country`, `identifiers`
    /// (`type:value` pairs separated by `;`) and one column per identifier type (`passport`,
    /// `national_id`, `tax_id`, `registration`, `imo`, `mmsi`, `bic`, `lei`, `uscc`,
    /// `crypto_address`, `aircraft`, `other`). Fields may be double-quoted (`""` inside quotes is
    /// a quote); empty cells are absent values; blank lines are skipped. A row that cannot be
    /// read is an error naming its line, never skipped.
    pub fn from_csv(text: &str) -> Result<Vec<ScreenRecord>, RecordError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(n, line)| (n + 1, line))
            .filter(|(_, line)| !line.trim().is_empty());
        let Some((header_line, header)) = lines.next() else {
            return Err(RecordError {
                line: 1,
                message: String::from(
                    "the file is empty; the first line must name the columns, such as `name,kind,birth_date`",
                ),
            });
        };
        let columns: Vec<String> = csv_fields(header, header_line)?
            .into_iter()
            .map(|c| c.trim().to_lowercase())
            .collect();
        check_columns(&columns, header_line)?;
        lines
            .map(|(line, row)| {
                let fields = csv_fields(row, line)?;
                if fields.len() != columns.len() {
                    return Err(RecordError {
                        line,
                        message: format!(
                            "{} fields, but the header names {} columns",
                            fields.len(),
                            columns.len()
                        ),
                    });
                }
                csv_record(&columns, &fields).map_err(|message| RecordError { line, message })
            })
            .collect()
    }
}

/// The header must name `name` and only known columns, each once.
fn check_columns(columns: &[String], line: usize) -> Result<(), RecordError> {
    for (i, column) in columns.iter().enumerate() {
        let known = CSV_COLUMNS.contains(&column.as_str()) || identifier_kind(column).is_some();
        if !known {
            return Err(RecordError {
                line,
                message: format!(
                    "unknown column `{column}`; columns are {} and identifier types such as passport, imo, bic, lei, uscc",
                    CSV_COLUMNS.join(", ")
                ),
            });
        }
        if columns
            .get(..i)
            .is_some_and(|before| before.contains(column))
        {
            return Err(RecordError {
                line,
                message: format!("column `{column}` appears twice"),
            });
        }
    }
    if !columns.iter().any(|c| c == "name") {
        return Err(RecordError {
            line,
            message: String::from("no `name` column; the header must name one"),
        });
    }
    Ok(())
}

/// The identifier type a column or a `type:` prefix names.
fn identifier_kind(word: &str) -> Option<serde_json::Value> {
    let value = serde_json::Value::String(word.trim().to_lowercase());
    serde_json::from_value::<crate::facts::IdentifierKind>(value.clone())
        .ok()
        .map(|_| value)
}

/// One row as a record: the cells become the fields of a JSON record, read as `.jsonl` records
/// are, so both inputs accept and reject the same values.
fn csv_record(columns: &[String], fields: &[String]) -> Result<ScreenRecord, String> {
    use serde_json::{Map, Value, json};
    let mut record = Map::new();
    let mut identifiers = Vec::new();
    for (column, cell) in columns.iter().zip(fields) {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        let parts = || cell.split(';').map(str::trim).filter(|p| !p.is_empty());
        match column.as_str() {
            "aliases" => {
                record.insert(column.clone(), parts().map(Value::from).collect());
            }
            "identifiers" => {
                for part in parts() {
                    let Some((kind, value)) = part.split_once(':') else {
                        return Err(format!(
                            "identifier `{part}` has no type; write `type:value`, such as `passport:927220230`"
                        ));
                    };
                    let Some(kind) = identifier_kind(kind) else {
                        return Err(format!("`{kind}` is not an identifier type"));
                    };
                    identifiers.push(json!({"type": kind, "value": value.trim()}));
                }
            }
            other => match identifier_kind(other) {
                Some(kind) if !CSV_COLUMNS.contains(&other) => {
                    for value in parts() {
                        identifiers.push(json!({"type": kind.clone(), "value": value}));
                    }
                }
                _ => {
                    record.insert(column.clone(), Value::from(cell));
                }
            },
        }
    }
    if !identifiers.is_empty() {
        record.insert(String::from("identifiers"), Value::from(identifiers));
    }
    if !record.contains_key("name") {
        return Err(String::from("the name is empty"));
    }
    serde_json::from_value(Value::Object(record)).map_err(|e| {
        e.to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_owned()
    })
}

/// Splits one CSV line: fields separated by commas, optionally double-quoted, `""` a quote
/// inside quotes.
fn csv_fields(line: &str, number: usize) -> Result<Vec<String>, RecordError> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (_, c) => field.push(c),
        }
    }
    if quoted {
        return Err(RecordError {
            line: number,
            message: String::from(
                "a quoted field is not closed on this line; close the quote (a field cannot span lines)",
            ),
        });
    }
    fields.push(field);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_records_read_like_json_records() {
        let records = ScreenRecord::from_csv(
            "name,kind,birth_date,nationality,passport,identifiers,aliases\n\
             \"AHMAD, Hasan\",person,1990,GB,123456789,imo:9187629,Hasan Ahmad; H. Ahmad\n\
             \n\
             Volasys Silverstar,organization,,,,,\n",
        )
        .unwrap_or_default();
        assert_eq!(records.len(), 2);
        let first = &records[0];
        assert_eq!(first.name, "AHMAD, Hasan");
        assert_eq!(first.kind, Some(EntityKind::Person));
        assert_eq!(first.nationality.as_deref(), Some("GB"));
        assert_eq!(first.aliases, ["Hasan Ahmad", "H. Ahmad"]);
        let ids: Vec<&str> = first.identifiers.iter().map(|i| i.value.as_str()).collect();
        assert_eq!(ids, ["123456789", "9187629"]);
        assert!(records[1].birth_date.is_none());
    }

    #[test]
    fn bad_csv_rows_name_their_line() {
        let error = |text: &str| ScreenRecord::from_csv(text).err().map(|e| e.to_string());
        assert_eq!(
            error("name,kind\nA,person\nB,planet\n").unwrap_or_default(),
            "line 3: unknown variant `planet`, expected one of `person`, `organization`, `vessel`, `aircraft`"
        );
        assert!(
            error("name,kind\nA,person,x\n").is_some_and(|e| e.starts_with("line 2: 3 fields"))
        );
        assert!(error("name,colour\n").is_some_and(|e| e.contains("unknown column `colour`")));
        assert!(error("kind\nperson\n").is_some_and(|e| e.contains("no `name` column")));
        assert!(error("name,birth_date\nA,13/05/1966\n").is_some_and(|e| e.starts_with("line 2:")));
        assert!(error("name,kind\n,person\n").is_some_and(|e| e == "line 2: the name is empty"));
        assert!(error("name\n\"open\n").is_some_and(|e| e.contains("not closed")));
        assert!(error("name,identifiers\nA,927220230\n").is_some_and(|e| e.contains("no type")));
    }
}
