//! FollowTheMoney link records (`Ownership`, `Directorship`, `Family`...) as relations, and the
//! count of stakes that sources disagree about or leave without a percentage.

use std::collections::BTreeMap;

use super::{Importer, Record};
use crate::date::Date;
use crate::facts::{RelationKind, RelationRecord};
use crate::lists::common::{End, partial_date};
use crate::lists::report::IssueKind;

/// Link schemas: the `from` property, the `to` property, the relation, and the role property.
#[rustfmt::skip]
pub(super) const LINKS: &[(&str, &str, &str, RelationKind, &str)] = &[
    ("Ownership",      "owner",       "asset",        RelationKind::Owns,       "role"),
    ("Directorship",   "director",    "organization", RelationKind::DirectorOf, "role"),
    ("Employment",     "employer",    "employee",     RelationKind::Employs,    "role"),
    ("Family",         "person",      "relative",     RelationKind::LinkedTo,   "relationship"),
    ("Associate",      "person",      "associate",    RelationKind::LinkedTo,   "relationship"),
    ("Membership",     "member",      "organization", RelationKind::LinkedTo,   "role"),
    ("Representation", "agent",       "client",       RelationKind::LinkedTo,   "role"),
    ("Succession",     "predecessor", "successor",    RelationKind::LinkedTo,   "role"),
    ("UnknownLink",    "subject",     "object",       RelationKind::LinkedTo,   "role"),
];

impl Importer<'_> {
    /// One link record, as one relation per (from, to) pair it names.
    pub(super) fn link(
        &mut self,
        record: &Record,
        from: &str,
        to: &str,
        kind: RelationKind,
        role: &str,
    ) {
        let percent = if kind == RelationKind::Owns {
            self.percentage(record)
        } else {
            None
        };
        let (start, end) = self.period(record);
        let role = record
            .first(role)
            .or_else(|| (kind == RelationKind::LinkedTo).then(|| record.schema.to_lowercase()));
        let mut count = 0;
        for source in record.values(from) {
            for target in record.values(to) {
                let (Some(a), Some(b)) = (
                    self.resolve(record, from, &source),
                    self.resolve(record, to, &target),
                ) else {
                    continue;
                };
                if a == b {
                    self.issues.add(IssueKind::SelfRelation, || {
                        format!(
                            "line {}: {} {} relates {a} to itself",
                            record.line, record.schema, record.id
                        )
                    });
                    continue;
                }
                count += 1;
                let id = if count == 1 {
                    format!("ftm-{}", record.id)
                } else {
                    format!("ftm-{}-{count}", record.id)
                };
                self.document.relations.push(RelationRecord {
                    id: Some(id),
                    kind,
                    from: a,
                    to: b,
                    percent,
                    role: role.clone(),
                    start,
                    end,
                    source: None,
                    basis: None,
                });
            }
        }
        if count == 0 && (record.values(from).is_empty() || record.values(to).is_empty()) {
            self.issues.add(IssueKind::DanglingReference, || {
                format!(
                    "line {}: {} {} lacks `{from}` or `{to}`",
                    record.line, record.schema, record.id
                )
            });
        }
    }

    /// The stake of an Ownership record. Sources report several values (`25`, `50`) or a range
    /// (`25-50`, `>50`) where registers give bands; every one is read and the highest kept, since
    /// the 50 % rule must not be evaded by the lowest figure a source happened to list first
    /// (OFAC's guidance of 13 Aug 2014 tells to aggregate and not to discount stakes). A value
    /// that is not a number from 0 to 100 is reported and ignored.
    fn percentage(&mut self, record: &Record) -> Option<f64> {
        let texts = record.values("percentage");
        let mut highest: Option<f64> = None;
        let mut read = 0;
        let mut banded = false;
        for text in &texts {
            let Some((number, band)) = stake(text) else {
                self.issues.add(IssueKind::BadPercentage, || {
                    format!(
                        "line {}: Ownership {} percentage `{text}`",
                        record.line, record.id
                    )
                });
                continue;
            };
            read += 1;
            banded |= band;
            highest = Some(highest.map_or(number, |h| h.max(number)));
        }
        if let Some(high) = highest
            && (read > 1 || banded)
        {
            self.issues.add(IssueKind::SeveralStakes, || {
                format!(
                    "line {}: Ownership {} reports {}: {high} % kept",
                    record.line,
                    record.id,
                    texts.join(", ")
                )
            });
        }
        highest
    }

    /// `startDate` and `endDate` of a link; an end not after the start is dropped and reported,
    /// since the store rejects such a relation.
    fn period(&mut self, record: &Record) -> (Option<Date>, Option<Date>) {
        let start = self.date(record, "startDate", End::Start);
        let end = self.date(record, "endDate", End::After);
        match (start, end) {
            (Some(s), Some(e)) if e <= s => {
                self.issues.add(IssueKind::BadDate, || {
                    format!(
                        "line {}: {} {} ends {e}, not after its start {s} (end left out)",
                        record.line, record.schema, record.id
                    )
                });
                (start, None)
            }
            _ => (start, end),
        }
    }

    /// The first value of a date property, read as the `end` of its period.
    fn date(&mut self, record: &Record, property: &str, end: End) -> Option<Date> {
        let text = record.first(property)?;
        let date = partial_date(&text, end);
        if date.is_none() {
            self.issues.add(IssueKind::BadDate, || {
                format!(
                    "line {}: {} {} {property} `{text}`",
                    record.line, record.schema, record.id
                )
            });
        }
        date
    }

    /// Counts ownership edges without a stake, and owner→asset pairs reported with different
    /// stakes. Nothing is merged or dropped: which figure to believe is a policy question.
    pub(super) fn conflicts(&mut self) {
        let mut pairs: BTreeMap<(&str, &str), Vec<&RelationRecord>> = BTreeMap::new();
        for relation in &self.document.relations {
            if relation.kind != RelationKind::Owns {
                continue;
            }
            if relation.percent.is_none() {
                self.without_percentage += 1;
                let (from, to) = (self.name(&relation.from), self.name(&relation.to));
                let id = relation.id.clone().unwrap_or_default();
                self.issues.add(IssueKind::StakeWithoutPercentage, || {
                    format!("{from} → {to} ({id})")
                });
            }
            pairs
                .entry((relation.from.as_str(), relation.to.as_str()))
                .or_default()
                .push(relation);
        }
        for ((from, to), edges) in pairs {
            let mut stakes: Vec<f64> = edges.iter().filter_map(|r| r.percent).collect();
            stakes.sort_by(f64::total_cmp);
            stakes.dedup();
            if stakes.len() < 2 {
                continue;
            }
            self.conflicting_edges += edges.len();
            let mut sorted = edges.clone();
            // Stakes in rising order, edges without one last.
            sorted.sort_by(|a, b| {
                let key = |r: &RelationRecord| (r.percent.is_none(), r.percent.unwrap_or(0.0));
                let ((a_none, a_pct), (b_none, b_pct)) = (key(a), key(b));
                a_none.cmp(&b_none).then(a_pct.total_cmp(&b_pct))
            });
            let shown: Vec<String> = sorted
                .iter()
                .map(|r| {
                    r.percent
                        .map_or_else(|| String::from("no percentage"), |p| format!("{p} %"))
                })
                .collect();
            let (from, to) = (self.name(from), self.name(to));
            self.issues
                .add_many(IssueKind::ConflictingStake, edges.len(), || {
                    format!(
                        "{from} → {to}: {} ({} edges)",
                        shown.join(", "),
                        edges.len()
                    )
                });
        }
    }
}

/// The highest stake a percentage text states, and whether it states a band rather than one
/// figure: `50`, `50 %`, `50,5`; a range `25-50` or `25 to 50` (its upper end); a bound `>50` or
/// `more than 50` (the bound). `None` when it is not a number from 0 to 100.
fn stake(text: &str) -> Option<(f64, bool)> {
    let text = text
        .trim()
        .to_lowercase()
        .replace(',', ".")
        .replace('%', " ");
    let text = text.trim();
    const BOUNDS: [&str; 11] = [
        ">=",
        ">",
        "<=",
        "<",
        "more than",
        "over",
        "above",
        "at least",
        "up to",
        "less than",
        "under",
    ];
    if let Some(rest) = BOUNDS.iter().find_map(|b| text.strip_prefix(b)) {
        return Some((figure(rest)?, true));
    }
    if let Some((low, high)) = ["-", "–", "to"].iter().find_map(|s| text.split_once(s)) {
        let (low, high) = (figure(low)?, figure(high)?);
        return (low <= high).then_some((high, true));
    }
    Some((figure(text)?, false))
}

/// One figure from 0 to 100 (Rust reads `NaN` and `inf` as numbers; they are not stakes).
fn figure(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|p| p.is_finite() && (0.0..=100.0).contains(p))
}

#[cfg(test)]
mod tests {
    use super::stake;

    #[test]
    fn a_stake_is_the_highest_figure_it_states() {
        assert_eq!(stake("50"), Some((50.0, false)));
        assert_eq!(stake(" 50 % "), Some((50.0, false)));
        assert_eq!(stake("50,5"), Some((50.5, false)));
        assert_eq!(stake("25-50"), Some((50.0, true)));
        assert_eq!(stake("25 – 50 %"), Some((50.0, true)));
        assert_eq!(stake("25 to 50"), Some((50.0, true)));
        assert_eq!(stake(">50"), Some((50.0, true)));
        assert_eq!(stake("More than 50%"), Some((50.0, true)));
    }

    #[test]
    fn what_is_not_a_stake_from_0_to_100_is_none() {
        for text in ["150", "NaN", "inf", "-5", "majority", "1.2.3", "50-25", ""] {
            assert_eq!(stake(text), None, "{text}");
        }
    }
}
