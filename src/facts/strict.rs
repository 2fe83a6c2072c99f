//! What makes a facts file mean one thing, checked inside its one parse: every record is an
//! object with named fields, and no object gives a key twice.
//!
//! serde's derived structs also read an array by position, so `["a", "organization", "A"]` would
//! be an entity, and a swapped column a swapped listing and delisting date; and a map keeps the
//! last of two equal keys, so a second attribute of the same name would silently replace the
//! first. (A struct field given twice is refused by serde's derived code, and the YAML reader
//! refuses every duplicate key itself.) Checking here, while the records are built, reads the
//! text once: a separate pass over a 1 GiB JSON file cost as much time as the parse.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::licences::LicenceRecord;
use super::records::{
    DesignationRecord, EntityRecord, FactsDocument, ListSnapshot, RelationRecord, TransactionRecord,
};

/// A kind of record, named in errors by the section that holds it.
pub(crate) trait Record {
    /// The section's key in a facts file.
    const SECTION: &'static str;
}

impl Record for EntityRecord {
    const SECTION: &'static str = "entities";
}

impl Record for RelationRecord {
    const SECTION: &'static str = "relations";
}

impl Record for DesignationRecord {
    const SECTION: &'static str = "designations";
}

impl Record for TransactionRecord {
    const SECTION: &'static str = "transactions";
}

impl Record for LicenceRecord {
    const SECTION: &'static str = "licences";
}

impl Record for ListSnapshot {
    const SECTION: &'static str = "snapshots";
}

/// Reads a section (`#[serde(deserialize_with = "records")]`): an array of records, each an
/// object; a record that is not one is named by its section and position.
pub(crate) fn records<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Record,
{
    deserializer.deserialize_seq(Records(PhantomData))
}

struct Records<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de> + Record> Visitor<'de> for Records<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of records under `{}`", T::SECTION)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // The size hint comes from the input: trusted only up to a modest first allocation.
        let mut records = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        loop {
            let record = Object {
                position: records.len(),
                record: PhantomData,
            };
            match seq.next_element_seed(record)? {
                Some(record) => records.push(record),
                None => return Ok(records),
            }
        }
    }
}

/// The record at `position` of its section, which must be an object.
struct Object<T> {
    position: usize,
    record: PhantomData<T>,
}

impl<'de, T: Deserialize<'de> + Record> DeserializeSeed<'de> for Object<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: Deserialize<'de> + Record> Visitor<'de> for Object<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}] to be an object with named fields, e.g. {{\"id\": ..., \"kind\": ...}}",
            T::SECTION,
            self.position
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }
}

/// Reads a whole JSON document: an object of sections, or `null` for no facts.
pub(crate) fn document<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<FactsDocument>, D::Error> {
    deserializer.deserialize_any(Document)
}

struct Document;

impl<'de> Visitor<'de> for Document {
    type Value = Option<FactsDocument>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the document to be an object with `entities`, `relations`, `designations` and `transactions`",
        )
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        FactsDocument::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }
}

/// Reads a map of free-form attributes (`#[serde(deserialize_with = "unique_keys")]`), refusing
/// a key given twice.
pub(crate) fn unique_keys<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    deserializer.deserialize_map(UniqueKeys(PhantomData))
}

struct UniqueKeys<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for UniqueKeys<V> {
    type Value = BTreeMap<String, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of attribute names to values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut values = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            if values.contains_key(&key) {
                return Err(de::Error::custom(duplicate_key(&key)));
            }
            let value = map.next_value()?;
            values.insert(key, value);
        }
        Ok(values)
    }
}

/// The error for a key given twice in one object.
pub(crate) fn duplicate_key(key: &str) -> String {
    format!("duplicate key `{key}` in one object; each field may be given once")
}
