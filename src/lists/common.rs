//! Small helpers every importer shares: reading a file as UTF-8 with the line of any bad byte,
//! filling the attribute map, and reading the partial dates lists are full of.

use std::collections::BTreeMap;
use std::path::Path;

use super::error::{Damage, ListError};
use crate::date::Date;
use crate::facts::{AttributeValue, EntityRecord};

/// Reads `path` as UTF-8 text (a leading byte-order mark is dropped).
///
/// The whole file is read at once: the largest list (OFAC's sdn.csv) is a few megabytes, and one
/// validation pass lets a wrong encoding be reported with its line before anything is parsed.
pub(crate) fn read_text(path: &Path) -> Result<String, ListError> {
    let name = path.display().to_string();
    let text = crate::encoding::read_utf8(path)
        .map_err(|e| ListError::read(path, e))?
        .map_err(|bad| ListError::malformed(&name, bad.line, Damage::Encoding, bad.to_string()))?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// The 1-based line holding byte `offset` of `text`.
pub(crate) fn line_at(text: &str, offset: usize) -> u64 {
    let end = offset.min(text.len());
    text.as_bytes()
        .get(..end)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        + 1
}

/// `text` with runs of white space (line breaks included) turned into one space, trimmed.
pub(crate) fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Adds `value` to the list attribute `key`, creating it, and skipping exact repeats.
///
/// Multi-valued facts (dates of birth, identifiers, addresses...) are always lists, even with one
/// value, so a policy can test them the same way on every entity.
pub(crate) fn push(attributes: &mut BTreeMap<String, AttributeValue>, key: &str, value: &str) {
    let value = AttributeValue::Text(value.to_owned());
    match attributes.get_mut(key) {
        Some(AttributeValue::List(items)) => {
            if !items.contains(&value) {
                items.push(value);
            }
        }
        Some(other) => {
            if *other != value {
                let first = std::mem::replace(other, AttributeValue::Bool(false));
                *other = AttributeValue::List(vec![first, value]);
            }
        }
        None => {
            attributes.insert(key.to_owned(), AttributeValue::List(vec![value]));
        }
    }
}

/// Sets the single-valued attribute `key`; a second, different value turns it into a list rather
/// than overwriting the first (nothing a list says is dropped).
pub(crate) fn set(attributes: &mut BTreeMap<String, AttributeValue>, key: &str, value: &str) {
    if attributes.contains_key(key) {
        push(attributes, key, value);
    } else {
        attributes.insert(key.to_owned(), AttributeValue::Text(value.to_owned()));
    }
}

/// How many values attribute `key` holds.
pub(crate) fn count(attributes: &BTreeMap<String, AttributeValue>, key: &str) -> usize {
    match attributes.get(key) {
        Some(AttributeValue::List(items)) => items.len(),
        Some(_) => 1,
        None => 0,
    }
}

/// Adds an alias unless it repeats the name or another alias, ignoring case (lists repeat the
/// primary name among the aliases, and a screen gains nothing from matching it twice).
pub(crate) fn add_alias(record: &mut EntityRecord, alias: String) {
    let key = alias.to_lowercase();
    let same = |other: &str| other.to_lowercase() == key;
    if !same(&record.name) && !record.aliases.iter().any(|a| same(a)) {
        record.aliases.push(alias);
    }
}

/// Which end of a period a partial date stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// The first day of the period (`2015` → 2015-01-01).
    Start,
    /// The first day after the period (`2015` → 2016-01-01).
    After,
}

/// Reads `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (anything after the day, such as a time or a time
/// zone, is ignored) as one day.
///
/// A partial date is widened in the careful direction: a listing or stake start becomes the first
/// day of its period and an end the day after the period, so a vague date never shortens the time
/// a designation or a stake counts.
pub(crate) fn partial_date(text: &str, end: End) -> Option<Date> {
    let text = text.trim();
    let digits = |range: std::ops::Range<usize>| -> Option<u16> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let year = digits(0..4)?;
    let month = if text.len() >= 7 && text.as_bytes().get(4) == Some(&b'-') {
        Some(digits(5..7)? as u8)
    } else if text.len() == 4 {
        None
    } else {
        return None;
    };
    let day = if text.len() >= 10 && text.as_bytes().get(7) == Some(&b'-') {
        Some(digits(8..10)? as u8)
    } else if text.len() == 7 {
        None
    } else if month.is_some() {
        return None;
    } else {
        None
    };
    match (month, day, end) {
        (Some(m), Some(d), _) => Date::new(year, m, d),
        (Some(m), None, End::Start) => Date::new(year, m, 1),
        (Some(12), None, End::After) => Date::new(year.checked_add(1)?, 1, 1),
        (Some(m), None, End::After) => Date::new(year, m.checked_add(1)?, 1),
        (None, _, End::Start) => Date::new(year, 1, 1),
        (None, _, End::After) => Date::new(year.checked_add(1)?, 1, 1),
    }
}

/// The month number of an English month abbreviation as OFAC writes it (`Feb`).
pub(crate) fn month_number(name: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let name = name.get(..3)?.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| *m == name)
        .and_then(|p| u8::try_from(p + 1).ok())
}

/// Formats a count with thousands separators, as analysts read them (`14,965`).
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_widen_carefully() {
        let day = |s: &str| s.parse::<Date>().ok();
        assert_eq!(partial_date("2015-11-25", End::Start), day("2015-11-25"));
        assert_eq!(
            partial_date("2015-11-25T10:00:00", End::After),
            day("2015-11-25")
        );
        assert_eq!(partial_date("2015", End::Start), day("2015-01-01"));
        assert_eq!(partial_date("2015", End::After), day("2016-01-01"));
        assert_eq!(partial_date("2015-12", End::After), day("2016-01-01"));
        assert_eq!(partial_date("2015-02", End::Start), day("2015-02-01"));
        assert_eq!(partial_date("15-02-2015", End::Start), None);
        assert_eq!(partial_date("2015-13-01", End::Start), None);
        assert_eq!(partial_date("", End::Start), None);
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(14965), "14,965");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn second_values_are_kept() {
        let mut map = BTreeMap::new();
        set(&mut map, "gender", "Male");
        set(&mut map, "gender", "Male");
        assert_eq!(count(&map, "gender"), 1);
        set(&mut map, "gender", "Female");
        assert_eq!(count(&map, "gender"), 2);
        push(&mut map, "dob", "1970-02-05");
        push(&mut map, "dob", "1970-02-05");
        assert_eq!(count(&map, "dob"), 1);
    }
}
