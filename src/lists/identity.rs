//! The identity fields of a list entry (date of birth, gender, identifiers, addresses), read from
//! the attributes every importer writes, so that screening can compare them with a party's.
//!
//! The attributes stay as they are (a policy may test them, and a reader sees the list's own
//! words); the fields are a typed copy. What cannot be read into a field (a date of birth such as
//! "1960s", or OFAC's impossible `31 Feb 1970`) stays in the attributes only, and a date of birth
//! that cannot be read is reported: screening compares dates of birth, so a reviewer should know
//! which entries have none it can use.

use std::collections::BTreeMap;

use super::countries;
use super::report::{IssueKind, Issues};
use crate::facts::{
    Address, AttributeValue, BirthDate, EntityRecord, Gender, Identifier, IdentifierKind,
};

/// Identifier labels as the importers write them (`Passport 927220230 (Korea, North)`), with the
/// kind each is; the longest label that starts an entry wins.
const LABELS: &[(&str, IdentifierKind)] = &[
    ("Passport", IdentifierKind::Passport),
    ("Diplomatic Passport", IdentifierKind::Passport),
    ("Travel Document Number", IdentifierKind::Passport),
    ("Unified Social Credit Code (USCC)", IdentifierKind::Uscc),
    (
        "United Social Credit Code Certificate (USCCC)",
        IdentifierKind::Uscc,
    ),
    ("USCC", IdentifierKind::Uscc),
    ("SWIFT/BIC", IdentifierKind::Bic),
    (
        "Vessel Registration Identification IMO",
        IdentifierKind::Imo,
    ),
    ("IMO", IdentifierKind::Imo),
    ("MMSI", IdentifierKind::Mmsi),
    ("LEI", IdentifierKind::Lei),
    ("Legal Entity Number", IdentifierKind::Lei),
    ("Tax ID No.", IdentifierKind::TaxId),
    ("Tax Number", IdentifierKind::TaxId),
    ("V.A.T. Number", IdentifierKind::TaxId),
    ("VAT", IdentifierKind::TaxId),
    ("INN", IdentifierKind::TaxId),
    ("US FEIN", IdentifierKind::TaxId),
    ("RFC", IdentifierKind::TaxId),
    ("R.F.C.", IdentifierKind::TaxId),
    ("R.F.C. #", IdentifierKind::TaxId),
    ("NIT #", IdentifierKind::TaxId),
    ("RUC #", IdentifierKind::TaxId),
    ("RIF #", IdentifierKind::TaxId),
    ("C.U.I.T.", IdentifierKind::TaxId),
    ("Italian Fiscal Code", IdentifierKind::TaxId),
    ("Registration Number", IdentifierKind::Registration),
    ("Registration ID", IdentifierKind::Registration),
    ("Business Registration Number", IdentifierKind::Registration),
    ("Company Number", IdentifierKind::Registration),
    ("UK Company Number", IdentifierKind::Registration),
    ("Commercial Registry Number", IdentifierKind::Registration),
    (
        "Certificate of Incorporation Number",
        IdentifierKind::Registration,
    ),
    ("Public Registration Number", IdentifierKind::Registration),
    ("Chamber of Commerce Number", IdentifierKind::Registration),
    ("OGRN", IdentifierKind::Registration),
    ("National ID No.", IdentifierKind::NationalId),
    ("National Foreign ID Number", IdentifierKind::NationalId),
    ("National Identification Number", IdentifierKind::NationalId),
    ("D.N.I.", IdentifierKind::NationalId),
    ("Cedula No.", IdentifierKind::NationalId),
    ("C.U.R.P.", IdentifierKind::NationalId),
    ("C.U.R.P. #", IdentifierKind::NationalId),
    ("Personal ID Card", IdentifierKind::NationalId),
    ("Turkish Identification Number", IdentifierKind::NationalId),
    ("Kenyan ID No.", IdentifierKind::NationalId),
    ("Citizen's Card Number", IdentifierKind::NationalId),
    ("Numero de Identidad", IdentifierKind::NationalId),
    ("SSN", IdentifierKind::NationalId),
    ("ID Number", IdentifierKind::NationalId),
    (
        "Aircraft Manufacturer's Serial Number (MSN)",
        IdentifierKind::Aircraft,
    ),
    ("Aircraft Tail Number", IdentifierKind::Aircraft),
    ("Aircraft Mode S Transponder Code", IdentifierKind::Aircraft),
];

/// Fills the identity fields of `record` from its attributes, leaving fields already set alone,
/// and reports to `issues` each date of birth that cannot be read.
pub(crate) fn structure(record: &mut EntityRecord, issues: &mut Issues) {
    let attributes = &record.attributes;
    if record.birth_date.is_none() {
        let mut read = None;
        for text in texts(attributes, "dob") {
            match birth_date(&text) {
                Some(date) => read = Some(read.map_or(date, |r: BirthDate| r.widen(date))),
                None => issues.add(IssueKind::BadDate, || {
                    format!("{}: date of birth `{text}`", record.id)
                }),
            }
        }
        record.birth_date = read;
    }
    if record.gender.is_none() {
        record.gender = texts(attributes, "gender").first().and_then(|g| {
            match g.trim().to_ascii_lowercase().as_str() {
                "male" | "m" => Some(Gender::Male),
                "female" | "f" => Some(Gender::Female),
                _ => None,
            }
        });
    }
    if record.identifiers.is_empty() {
        let mut found: Vec<Identifier> = Vec::new();
        for entry in texts(attributes, "identifiers") {
            if let Some(identifier) = identifier(&entry)
                && !found.contains(&identifier)
            {
                found.push(identifier);
            }
        }
        record.identifiers = found;
    }
    if record.addresses.is_empty() {
        record.addresses = texts(attributes, "addresses")
            .iter()
            .filter_map(|t| address(t))
            .collect();
    }
}

fn texts(attributes: &BTreeMap<String, AttributeValue>, key: &str) -> Vec<String> {
    fn collect(value: &AttributeValue, out: &mut Vec<String>) {
        match value {
            AttributeValue::Text(text) => out.push(text.clone()),
            AttributeValue::List(items) => items.iter().for_each(|i| collect(i, out)),
            AttributeValue::Bool(_) | AttributeValue::Number(_) => {}
        }
    }
    let mut out = Vec::new();
    if let Some(value) = attributes.get(key) {
        collect(value, &mut out);
    }
    out
}

/// A date of birth as the importers write it: ISO (`1966-05-13`, `1966-05`, `1966`), a range
/// (`1960 to 1962`, `1961-01-01 to 1962-12-31`, `1979-1982`), or either after `circa` (read as
/// the years it names and one year either side: `circa 1962` is 1961–1963).
pub(crate) fn birth_date(text: &str) -> Option<BirthDate> {
    let text = text.trim();
    match text
        .strip_prefix("circa ")
        .or_else(|| text.strip_prefix("Circa "))
    {
        Some(approximate) => {
            let (first, last) = dates_or_range(approximate.trim())?.years();
            Some(BirthDate::Years(
                first.saturating_sub(1),
                last.saturating_add(1),
            ))
        }
        None => dates_or_range(text),
    }
}

/// One date of birth, or the span of a range of them (`A to B`, or years as `1979-1982`).
fn dates_or_range(text: &str) -> Option<BirthDate> {
    if let Ok(date) = text.parse::<BirthDate>() {
        return Some(date);
    }
    if let Some((first, last)) = text.split_once(" to ") {
        let first: BirthDate = first.trim().parse().ok()?;
        let last: BirthDate = last.trim().parse().ok()?;
        return Some(first.widen(last));
    }
    // Years joined by a hyphen read as BirthDate's own `1979/1982`.
    let (first, last) = text.split_once('-')?;
    format!("{first}/{last}").parse().ok()
}

/// An identifier entry (`Passport 927220230 (Korea, North)`, `IMO 9123456`, `Digital Currency
/// Address - XBT 1A1zP1...`). An unknown label keeps the last word as the value, kind `other`.
fn identifier(entry: &str) -> Option<Identifier> {
    let entry = entry.trim();
    if let Some(wallet) = entry.strip_prefix("Digital Currency Address - ") {
        let value = wallet.split_whitespace().last()?;
        return Some(Identifier {
            kind: IdentifierKind::CryptoAddress,
            value: value.to_owned(),
            country: None,
        });
    }
    let (core, country) = match entry.strip_suffix(')').and_then(|e| e.rsplit_once(" (")) {
        Some((core, country)) => (core.trim(), country_code(country)),
        None => (entry, None),
    };
    let known = LABELS
        .iter()
        .filter_map(|(label, kind)| {
            let rest = core.strip_prefix(label)?.strip_prefix(' ')?;
            Some((label.len(), *kind, rest.trim()))
        })
        .max_by_key(|(length, _, _)| *length);
    let (kind, value) = match known {
        Some((_, kind, value)) => (kind, value),
        None => (IdentifierKind::Other, core.split_whitespace().last()?),
    };
    (!value.is_empty()).then(|| Identifier {
        kind,
        value: value.to_owned(),
        country,
    })
}

/// The ISO code of a country as a list writes it (`Korea, North`, or FtM's `RU`).
fn country_code(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some(code) = countries::code(text) {
        return Some(code.to_owned());
    }
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_uppercase())).then(|| text.to_owned())
}

/// An address written as comma-separated parts ending in a country, a remark in brackets after
/// it: `Street 1, Damascus, Syria (remark)`.
fn address(text: &str) -> Option<Address> {
    let text = text.trim();
    let text = match text.strip_suffix(')').and_then(|t| t.rsplit_once(" (")) {
        Some((before, _)) => before.trim(),
        None => text,
    };
    let mut parts: Vec<&str> = text.split(", ").map(str::trim).collect();
    let country = parts.last().and_then(|last| country_code(last));
    if country.is_some() {
        parts.pop();
    }
    let city = if parts.len() >= 2 { parts.pop() } else { None };
    let street = (!parts.is_empty()).then(|| parts.join(", "));
    let address = Address {
        street: street.filter(|s| !s.is_empty()),
        city: city.map(str::to_owned),
        country,
    };
    (address != Address::default()).then_some(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_as_the_importers_write_them() {
        let passport = identifier("Passport 927220230 (Korea, North)");
        assert_eq!(
            passport,
            Some(Identifier {
                kind: IdentifierKind::Passport,
                value: String::from("927220230"),
                country: Some(String::from("KP")),
            })
        );
        let imo = identifier("Vessel Registration Identification IMO 9123456");
        assert_eq!(
            imo.map(|i| (i.kind, i.value)),
            Some((IdentifierKind::Imo, String::from("9123456")))
        );
        let wallet =
            identifier("Digital Currency Address - XBT 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
        assert_eq!(wallet.map(|i| i.kind), Some(IdentifierKind::CryptoAddress));
        let other = identifier("Trade License No. 12345 (United Arab Emirates)");
        assert_eq!(
            other.map(|i| (i.kind, i.value)),
            Some((IdentifierKind::Other, String::from("12345")))
        );
    }

    #[test]
    fn dates_of_birth_and_addresses() {
        assert_eq!(birth_date("circa 1962"), Some(BirthDate::Years(1961, 1963)));
        assert_eq!(
            birth_date("1960 to 1962"),
            Some(BirthDate::Years(1960, 1962))
        );
        assert_eq!(birth_date("1960s"), None);
        // OFAC's ranges and approximations, as its remarks converter writes them.
        for (text, years) in [
            ("1961-01-01 to 1962-12-31", (1961, 1962)),
            ("1962-03 to 1963-02", (1962, 1963)),
            ("circa 1966-07-07", (1965, 1967)),
            ("circa 1979-1982", (1978, 1983)),
        ] {
            assert_eq!(
                birth_date(text),
                Some(BirthDate::Years(years.0, years.1)),
                "{text}"
            );
        }
        assert_eq!(birth_date("1982-1979"), None);
        assert_eq!(birth_date("circa sometime"), None);
        let found = address("Street 5, Damascus, Syria (remark)");
        assert_eq!(
            found,
            Some(Address {
                street: Some(String::from("Street 5")),
                city: Some(String::from("Damascus")),
                country: Some(String::from("SY")),
            })
        );
    }
}
