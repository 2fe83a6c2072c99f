//! OFAC's Remarks column, broken into fields.
//!
//! Remarks is a `; `-separated list of clauses such as `DOB 05 Feb 1970`, `nationality Korea,
//! North`, `Passport 927220230 (Korea, North) issued 11 May 2017 expires 11 May 2022`,
//! `a.k.a. 'BNC'` or `Linked To: LAZARUS GROUP`; a leading `alt.` marks a further value of the same
//! field. The clauses a policy or a name screen needs (dates of birth, nationality, gender,
//! identifiers, aliases, links) become attributes; the whole text is kept in `remarks` too, so a
//! clause of a kind not listed here is still there to read, and is counted in the import report.

use std::collections::BTreeMap;

use super::common::{month_number, push, set};
use crate::facts::{AttributeValue, BirthDate};

/// What a Remarks text said beyond what was written into the attributes.
#[derive(Debug, Default)]
pub(crate) struct Remarks {
    /// Names from `a.k.a.`, `f.k.a.` and `n.k.a.` clauses.
    pub aliases: Vec<String>,
    /// Names from `Linked To:` clauses, to resolve against the list.
    pub links: Vec<String>,
    /// Country names from `nationality` clauses, in order.
    pub nationalities: Vec<String>,
    /// Country names from `citizen` clauses, in order.
    pub citizenships: Vec<String>,
    /// Clauses of kinds not broken into fields.
    pub unstructured: Vec<String>,
}

/// Identifier kinds: the clause's leading words, and the attribute that also gets the bare value
/// (for exact matching), if any. The longest matching kind wins, so `Identification Number IMO`
/// is not read as an `Identification Number` of `IMO 5342883`.
const IDENTIFIERS: &[(&str, Option<&str>)] = &[
    ("Passport", Some("passports")),
    ("Diplomatic Passport", Some("passports")),
    ("Unified Social Credit Code (USCC)", Some("uscc")),
    (
        "United Social Credit Code Certificate (USCCC)",
        Some("uscc"),
    ),
    ("SWIFT/BIC", Some("swift_bic")),
    ("Vessel Registration Identification IMO", Some("imo")),
    ("MMSI", Some("mmsi")),
    ("Tax ID No.", None),
    ("Registration Number", None),
    ("Registration ID", None),
    ("National ID No.", None),
    ("National Foreign ID Number", None),
    ("Identification Number", None),
    ("Identification Number IMO", None),
    ("Company Number IMO", None),
    ("Company Number", None),
    ("UK Company Number", None),
    ("C.U.R.P.", None),
    ("C.U.R.P. #", None),
    ("Cedula No.", None),
    ("R.F.C.", None),
    ("R.F.C. #", None),
    ("RFC", None),
    ("Government Gazette Number", None),
    ("Business Registration Number", None),
    ("Business Registration Document #", None),
    ("Business Number", None),
    ("NIT #", None),
    ("Folio Mercantil No.", None),
    ("Commercial Registry Number", None),
    ("RUC #", None),
    ("Legal Entity Number", None),
    ("V.A.T. Number", None),
    ("C.R. No.", None),
    ("Economic Register Number (CBLS)", None),
    ("Trade License No.", None),
    ("Matricula Mercantil No", None),
    ("D.N.I.", None),
    ("Chamber of Commerce Number", None),
    ("D-U-N-S Number", None),
    ("Central Registration System Number", None),
    ("Istanbul Chamber of Comm. No.", None),
    ("Dubai Chamber of Commerce Membership No.", None),
    ("Birth Certificate Number", None),
    ("Driver's License No.", None),
    ("RIF #", None),
    ("Electoral Registry No.", None),
    ("BIK (RU)", None),
    ("Enterprise Number", None),
    ("Personal ID Card", None),
    ("Italian Fiscal Code", None),
    ("Credencial electoral", None),
    ("Public Registration Number", None),
    ("C.U.I.", None),
    ("C.U.I.T.", None),
    ("C.U.I.P.", None),
    ("Cartilla de Servicio Militar Nacional", None),
    ("US FEIN", None),
    ("SSN", None),
    ("Residency Number", None),
    ("I.F.E.", None),
    ("Permit Number", None),
    ("SRE Permit No.", None),
    ("Registered Charity No.", None),
    ("Branch Unit Number", None),
    ("Certificate of Incorporation Number", None),
    ("Turkish Identification Number", None),
    ("Numero de Identidad", None),
    ("LE Number", None),
    ("Citizen's Card Number", None),
    ("Kenyan ID No.", None),
    ("Travel Document Number", None),
    ("RTN", None),
    ("VisaNumberID", None),
    ("License", None),
    ("Aircraft Manufacturer's Serial Number (MSN)", None),
    (
        "Aircraft Construction Number (also called L/N or S/N or F/N)",
        None,
    ),
    ("Aircraft Tail Number", None),
    ("Aircraft Mode S Transponder Code", None),
];

/// Clauses whose value goes to a list attribute as written.
const FIELDS: &[(&str, &str)] = &[
    ("POB ", "place_of_birth"),
    ("Email Address ", "emails"),
    ("Website ", "websites"),
    ("Phone Number ", "phone_numbers"),
    ("Telephone: ", "phone_numbers"),
    ("Telephone No. ", "phone_numbers"),
    ("Telephone ", "phone_numbers"),
    ("PHONE ", "phone_numbers"),
    ("Fax: ", "fax_numbers"),
    ("Fax ", "fax_numbers"),
    ("Organization Established Date ", "established"),
    ("Organization Type: ", "organization_type"),
    ("Target Type ", "target_type"),
    ("Aircraft Model ", "aircraft_model"),
    ("Aircraft Operator ", "aircraft_operator"),
    ("Aircraft Manufacture Date ", "aircraft_manufacture_date"),
    ("Vessel Year of Build ", "vessel_year_of_build"),
    ("Former Vessel Flag ", "former_vessel_flags"),
    ("Other Vessel Flag ", "other_vessel_flags"),
    ("Other Vessel Type ", "other_vessel_types"),
    ("Other Vessel Call Sign ", "other_call_signs"),
    (
        "Nationality of Registration ",
        "nationality_of_registration",
    ),
];

/// Clauses about the sanctions themselves (secondary-sanctions risk, directives...), kept whole in
/// `sanctions_information`: an analyst reads them as sentences.
const SANCTIONS_INFORMATION: &[&str] = &[
    "Secondary sanctions risk",
    "Additional Sanctions Information",
    "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions",
    "Executive Order ",
    "CAATSA Section",
    "Listing Date (",
    "Effective Date (",
    "For more information on directives",
    "IFCA Determination",
];

/// Breaks `text` into clauses and writes their fields into `attributes`.
pub(crate) fn parse(text: &str, attributes: &mut BTreeMap<String, AttributeValue>) -> Remarks {
    let mut remarks = Remarks::default();
    let text = text.trim();
    let text = text.strip_suffix('.').unwrap_or(text);
    for clause in text.split("; ") {
        let clause = clause.trim();
        if !clause.is_empty() {
            read_clause(clause, attributes, &mut remarks);
        }
    }
    remarks
}

/// Reads one clause.
fn read_clause(clause: &str, attributes: &mut BTreeMap<String, AttributeValue>, out: &mut Remarks) {
    let body = clause.strip_prefix("alt. ").unwrap_or(clause);
    if let Some(name) = ["a.k.a. ", "f.k.a. ", "n.k.a. "]
        .iter()
        .find_map(|marker| body.strip_prefix(marker))
    {
        let name = name.trim();
        let name = name.strip_prefix('\'').unwrap_or(name);
        let name = name.strip_suffix('\'').unwrap_or(name).trim();
        if !name.is_empty() {
            out.aliases.push(name.to_owned());
        }
    } else if let Some(name) = body.strip_prefix("Linked To: ") {
        let name = name.trim().trim_end_matches('.').trim();
        if !name.is_empty() {
            out.links.push(name.to_owned());
        }
    } else if let Some(date) = body.strip_prefix("DOB ") {
        push(attributes, "dob", &birth_date(date.trim()));
    } else if let Some(country) = body.strip_prefix("nationality ") {
        push(attributes, "nationalities", country.trim());
        out.nationalities.push(country.trim().to_owned());
    } else if let Some(country) = body.strip_prefix("citizen ") {
        push(attributes, "citizenships", country.trim());
        out.citizenships.push(country.trim().to_owned());
    } else if let Some(gender) = body.strip_prefix("Gender ") {
        set(attributes, "gender", gender.trim());
    } else if let Some(wallet) = body.strip_prefix("Digital Currency Address - ") {
        let wallet = wallet.trim();
        let address = wallet.rsplit(' ').next().unwrap_or(wallet);
        push(attributes, "digital_currency_addresses", address);
        push(
            attributes,
            "identifiers",
            &format!("Digital Currency Address - {wallet}"),
        );
    } else if !identifier(body, attributes) && !field(body, attributes) {
        out.unstructured.push(clause.to_owned());
    }
}

/// Reads an identifier clause (`Passport 927220230 (Korea, North) issued ... expires ...`);
/// false when the clause is not one.
fn identifier(body: &str, attributes: &mut BTreeMap<String, AttributeValue>) -> bool {
    let Some((kind, bare_key, rest)) = IDENTIFIERS
        .iter()
        .filter_map(|(kind, key)| {
            let rest = body.strip_prefix(kind)?.strip_prefix(' ')?;
            Some((*kind, *key, rest))
        })
        .max_by_key(|(kind, _, _)| kind.len())
    else {
        return false;
    };
    // Issue and expiry dates stay in `remarks`; the identifier is the number and its country.
    let core = [" issued ", " expires ", " Issue Date ", " Expire Date "]
        .iter()
        .filter_map(|cut| rest.find(cut))
        .min()
        .and_then(|end| rest.get(..end))
        .unwrap_or(rest)
        .trim();
    let (value, country) = match core.strip_suffix(')').and_then(|c| c.rsplit_once(" (")) {
        Some((value, country)) => (value.trim(), Some(country.trim())),
        None => (core, None),
    };
    if value.is_empty() {
        return false;
    }
    let entry = match country {
        Some(country) => format!("{kind} {value} ({country})"),
        None => format!("{kind} {value}"),
    };
    push(attributes, "identifiers", &entry);
    if let Some(key) = bare_key {
        push(attributes, key, value);
    }
    true
}

/// Reads a clause of [`FIELDS`] or [`SANCTIONS_INFORMATION`]; false when it is neither.
fn field(body: &str, attributes: &mut BTreeMap<String, AttributeValue>) -> bool {
    if SANCTIONS_INFORMATION.iter().any(|p| body.starts_with(p)) {
        push(attributes, "sanctions_information", body);
        return true;
    }
    for (prefix, key) in FIELDS {
        if let Some(value) = body.strip_prefix(prefix) {
            push(attributes, key, value.trim());
            return true;
        }
    }
    false
}

/// A date of birth in ISO form where OFAC gives a day (`05 Feb 1970` → `1970-02-05`) or a month
/// (`Feb 1970` → `1970-02`), also within a range or an approximation (`01 Jan 1961 to 31 Dec
/// 1962` → `1961-01-01 to 1962-12-31`, `circa 07 Jul 1966` → `circa 1966-07-07`); a year, a
/// range of years or an impossible day (`31 Feb 1970`) as written.
pub(crate) fn birth_date(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("circa ") {
        return format!("circa {}", one_date(rest.trim()));
    }
    if let Some((first, last)) = text.split_once(" to ") {
        return format!("{} to {}", one_date(first.trim()), one_date(last.trim()));
    }
    one_date(text)
}

/// One OFAC date (`05 Feb 1970`, `Feb 1970`) in ISO form; anything else as written.
fn one_date(text: &str) -> String {
    let parts: Vec<&str> = text.split(' ').collect();
    fn year(y: &str) -> Option<&str> {
        (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit())).then_some(y)
    }
    match parts.as_slice() {
        [day, month, y] => {
            if let (Ok(day), Some(month), Some(y)) =
                (day.parse::<u8>(), month_number(month), year(y))
                && (1..=31).contains(&day)
                && month_name_ok(parts.get(1))
            {
                let iso = format!("{y}-{month:02}-{day:02}");
                // An impossible day (`31 Feb 1970`) stays as OFAC wrote it, for the report.
                if iso.parse::<BirthDate>().is_ok() {
                    return iso;
                }
            }
        }
        [month, y] => {
            if let (Some(month), Some(y)) = (month_number(month), year(y))
                && month_name_ok(parts.first())
            {
                return format!("{y}-{month:02}");
            }
        }
        _ => {}
    }
    text.to_owned()
}

/// Month words are three letters in OFAC's dates; this keeps `Marion 1970` from reading as March.
fn month_name_ok(word: Option<&&str>) -> bool {
    word.is_some_and(|w| w.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(text: &str) -> (BTreeMap<String, AttributeValue>, Remarks) {
        let mut attributes = BTreeMap::new();
        let remarks = parse(text, &mut attributes);
        (attributes, remarks)
    }

    fn list(attributes: &BTreeMap<String, AttributeValue>, key: &str) -> Vec<String> {
        match attributes.get(key) {
            Some(AttributeValue::List(items)) => items
                .iter()
                .filter_map(|v| match v {
                    AttributeValue::Text(t) => Some(t.clone()),
                    _ => None,
                })
                .collect(),
            Some(AttributeValue::Text(t)) => vec![t.clone()],
            _ => Vec::new(),
        }
    }

    #[test]
    fn jong_song_hwa() {
        let (a, r) = attrs(
            "DOB 05 Feb 1970; nationality Korea, North; Gender Male; Secondary sanctions risk: \
             North Korea Sanctions Regulations, sections 510.201 and 510.210; Passport 927220230 \
             (Korea, North) issued 11 May 2017 expires 11 May 2022.",
        );
        assert_eq!(list(&a, "dob"), ["1970-02-05"]);
        assert_eq!(list(&a, "gender"), ["Male"]);
        assert_eq!(list(&a, "passports"), ["927220230"]);
        assert_eq!(
            list(&a, "identifiers"),
            ["Passport 927220230 (Korea, North)"]
        );
        assert_eq!(r.nationalities, ["Korea, North"]);
        assert_eq!(list(&a, "sanctions_information").len(), 1);
        assert!(r.unstructured.is_empty());
    }

    #[test]
    fn aliases_links_and_wallets() {
        let (a, r) = attrs(
            "a.k.a. 'BNC'; alt. Digital Currency Address - XBT 1AbC; Unified Social Credit Code \
             (USCC) 91222401MA0Y31E659 (China); Linked To: YANBIAN SILVERSTAR NETWORK TECHNOLOGY \
             CO., LTD.; Identification Number IMO 5342883; Member ETA.",
        );
        assert_eq!(r.aliases, ["BNC"]);
        assert_eq!(r.links, ["YANBIAN SILVERSTAR NETWORK TECHNOLOGY CO., LTD"]);
        assert_eq!(list(&a, "digital_currency_addresses"), ["1AbC"]);
        assert_eq!(list(&a, "uscc"), ["91222401MA0Y31E659"]);
        assert!(list(&a, "identifiers").contains(&"Identification Number IMO 5342883".to_owned()));
        assert_eq!(r.unstructured, ["Member ETA"]);
    }

    #[test]
    fn birth_dates() {
        assert_eq!(birth_date("05 Feb 1970"), "1970-02-05");
        assert_eq!(birth_date("Feb 1970"), "1970-02");
        assert_eq!(birth_date("31 Feb 1970"), "31 Feb 1970");
        assert_eq!(
            birth_date("01 Jan 1961 to 31 Dec 1962"),
            "1961-01-01 to 1962-12-31"
        );
        assert_eq!(birth_date("Mar 1962 to Feb 1963"), "1962-03 to 1963-02");
        assert_eq!(birth_date("circa 07 Jul 1966"), "circa 1966-07-07");
        assert_eq!(birth_date("circa 1979-1982"), "circa 1979-1982");
        assert_eq!(birth_date("1970"), "1970");
        assert_eq!(birth_date("circa 1962"), "circa 1962");
        assert_eq!(birth_date("1960 to 1962"), "1960 to 1962");
    }
}
