//! FollowTheMoney `Sanction` records as designations, and the list each authority stands for.

use std::collections::HashSet;

use super::{Importer, Record};
use crate::facts::{DesignationRecord, Measure};
use crate::lists::common::{End, partial_date};
use crate::lists::report::IssueKind;

/// Authorities whose sanctions are the lists the engine's regimes read.
const AUTHORITIES: &[(&str, &str)] = &[
    ("Office of Foreign Assets Control", "OFAC-SDN"),
    ("Council of the European Union", "EU"),
    ("European Union", "EU"),
    ("European Commission", "EU"),
    (
        "Financial Stability, Financial Services and Capital Markets Union",
        "EU",
    ),
    ("Foreign, Commonwealth & Development Office", "UK"),
    ("Office of Financial Sanctions Implementation", "UK"),
    ("HM Treasury", "UK"),
    ("United Nations Security Council", "UN"),
];

/// OpenSanctions datasets that are those lists, for entities tagged `sanction` without a
/// Sanction record, with the prefix of the program ids that belong to each.
const DATASETS: &[(&str, &str, &str)] = &[
    ("us_ofac_sdn", "OFAC-SDN", "US-"),
    ("eu_fsf", "EU", "EU-"),
    ("gb_hmt_sanctions", "UK", "GB-"),
    ("gb_fcdo_sanctions", "UK", "GB-"),
    ("un_sc_sanctions", "UN", "UN-"),
];

impl Importer<'_> {
    /// A Sanction record as a designation of its entity.
    pub(super) fn sanction(&mut self, record: &Record) {
        let authorities = record.values("authority");
        let country = record.first("country").map(|c| c.to_ascii_uppercase());
        let list = list_name(&authorities, country.as_deref());
        let mut programs: Vec<String> = Vec::new();
        for program in record
            .values("program")
            .into_iter()
            .chain(record.values("programId"))
        {
            if !programs.contains(&program) {
                programs.push(program);
            }
        }
        let listed_on = ["listingDate", "startDate"]
            .iter()
            .flat_map(|p| record.values(p))
            .filter_map(|d| partial_date(&d, End::Start))
            .min();
        let delisted_on = record
            .values("endDate")
            .iter()
            .filter_map(|d| partial_date(d, End::After))
            .max()
            .filter(|d| listed_on.is_none_or(|l| l < *d));
        let measure = measure_of(&record.values("provisions"));
        let reference = record
            .first("authorityId")
            .or_else(|| record.first("recordId"))
            .unwrap_or_else(|| record.id.clone());
        for target in record.values("entity") {
            let Some(entity) = self.resolve(record, "entity", &target) else {
                continue;
            };
            self.sanctioned.insert((target.clone(), list.clone()));
            self.document.designations.push(DesignationRecord {
                entity,
                list: list.clone(),
                programs: programs.clone(),
                listed_on,
                delisted_on,
                reference: Some(reference.clone()),
                source: None,
                listed_by: None,
                unlisted_on: None,
                measure,
                directive: None,
            });
        }
    }

    /// Designations for entities tagged `sanction` that are in a known sanctions dataset but
    /// have no Sanction record for that list (OpenSanctions exports often leave them out).
    pub(super) fn derived_designations(&mut self) {
        for record in self.records {
            let Some(&position) = self.entities.get(record.id.as_str()) else {
                continue;
            };
            if !record.values("topics").iter().any(|t| t == "sanction") {
                continue;
            }
            let program_ids = record.values("programId");
            let mut lists_done: HashSet<&str> = HashSet::new();
            for dataset in &record.datasets {
                let Some(&(_, list, prefix)) = DATASETS.iter().find(|(d, ..)| d == dataset) else {
                    continue;
                };
                if self
                    .sanctioned
                    .contains(&(record.id.clone(), list.to_owned()))
                    || !lists_done.insert(list)
                {
                    continue;
                }
                let Some(entity) = self.document.entities.get(position) else {
                    continue;
                };
                let programs: Vec<String> = program_ids
                    .iter()
                    .filter(|p| p.starts_with(prefix) && !p.starts_with("US-BIS-"))
                    .cloned()
                    .collect();
                let id = entity.id.clone();
                self.issues.add(IssueKind::DerivedDesignation, || {
                    format!("{id} on {list}, from dataset {dataset}")
                });
                self.document.designations.push(DesignationRecord {
                    entity: id,
                    list: list.to_owned(),
                    programs,
                    listed_on: None,
                    delisted_on: None,
                    reference: Some(format!("{dataset} {}", record.id)),
                    source: None,
                    listed_by: None,
                    unlisted_on: None,
                    measure: None,
                    directive: None,
                });
            }
        }
    }
}

/// The list a Sanction's authority stands for.
fn list_name(authorities: &[String], country: Option<&str>) -> String {
    for authority in authorities {
        // Normalise the non-breaking hyphen some authorities' names are written with.
        let plain = authority.replace('\u{2011}', "-");
        if let Some((_, list)) = AUTHORITIES.iter().find(|(known, _)| plain.contains(known)) {
            return (*list).to_owned();
        }
    }
    let authority = authorities
        .first()
        .cloned()
        .unwrap_or_else(|| String::from("unknown authority"));
    match country {
        Some(country) => format!("{authority} ({country})"),
        None => authority,
    }
}

/// The measure a Sanction's `provisions` name. An asset freeze (or OFAC's "Block", or a
/// "targeted financial sanction") wins over the other measures it comes with; a record that names
/// only other measures (a travel ban, a trust-services ban) is not an asset freeze. A record that
/// names none is left to the default, an asset freeze, since the list it is on freezes.
fn measure_of(provisions: &[String]) -> Option<Measure> {
    let lower: Vec<String> = provisions.iter().map(|p| p.to_lowercase()).collect();
    let names = |words: &[&str]| lower.iter().any(|p| words.iter().any(|w| p.contains(w)));
    if lower.is_empty() || names(&["asset freeze", "block", "targeted financial", "freezing"]) {
        return None;
    }
    if names(&["travel ban", "entry ban"]) {
        Some(Measure::TravelBan)
    } else if names(&["trust services"]) {
        Some(Measure::TrustServicesBan)
    } else if names(&["arms"]) {
        Some(Measure::ArmsEmbargo)
    } else if names(&["securities", "directive", "sectoral", "debt", "equity"]) {
        Some(Measure::Sectoral)
    } else {
        None
    }
}
