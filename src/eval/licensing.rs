//! Licences applied to blocks: a licence releases a block only when it covers the party (or the
//! designated entity behind it) that the block is about, under the issuer's own jurisdiction, on
//! the decision's day, for the transaction's kind and amount, and only when the transaction relies
//! on it.
//!
//! A licence authorises only what it describes (31 CFR 501.801; OFAC's wind-down general
//! licences say in terms that they do not authorise dealings with "any blocked person other than
//! the blocked persons identified"). So a block released for one party is asked again without that
//! party: a wind-down licence for one subsidiary leaves the unrelated blocked bank in the same
//! payment blocked. Licences lift prohibitions; they do not answer red flags, so reviews stay.

use super::decision::{Evidence, LicenceApplied, LicensedBlock, Outcome, Reason};
use super::scope::Scope;
use crate::date::Date;
use crate::facts::{AttributeValue, LicenceRecord, Transaction};

/// The transaction attribute that names the licences it relies on (ids or numbers).
pub const RELIED_ON: &str = "licences";

/// A licence found to cover one reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cover {
    /// The licence's position in the facts.
    pub(super) licence: usize,
    /// The position of the party the reason is about.
    pub(super) party: u32,
}

/// The first licence the transaction relies on that covers `reason`, if any.
pub(super) fn covering(
    facts: &Scope<'_>,
    transaction: &Transaction,
    day: Date,
    reason: &Reason,
) -> Option<Cover> {
    if facts.licences().is_empty() || reason.effect != Outcome::Block || reason.error.is_some() {
        return None;
    }
    let jurisdiction = reason.jurisdiction.as_deref()?;
    let (party, party_entity) = subject(transaction, facts, reason)?;
    let relied = relied_on(transaction);
    facts
        .licences()
        .iter()
        .position(|licence| {
            relied
                .iter()
                .any(|r| *r == licence.id || *r == licence.number)
                && licence.issuer.jurisdiction() == jurisdiction
                && licence.in_force_on(day)
                && fits_transaction(licence, facts, transaction)
                && covers_subject(licence, party_entity, &reason.evidence)
        })
        .map(|licence| Cover { licence, party })
}

/// The party a reason is about: its first party evidence, as a position and an entity id.
fn subject<'r>(
    transaction: &Transaction,
    facts: &Scope<'_>,
    reason: &'r Reason,
) -> Option<(u32, &'r str)> {
    let (role, entity) = reason.evidence.iter().find_map(|e| match e {
        Evidence::Party { role, entity, .. } => Some((role, entity)),
        _ => None,
    })?;
    let position = transaction
        .parties
        .iter()
        .position(|p| p.role == *role && facts.entity(p.entity).is_some_and(|e| e.id == *entity))?;
    Some((u32::try_from(position).ok()?, entity.as_str()))
}

/// The licences the transaction names in its `licences` attribute.
fn relied_on(transaction: &Transaction) -> Vec<&str> {
    match transaction.attributes.get(RELIED_ON) {
        Some(AttributeValue::Text(one)) => vec![one.as_str()],
        Some(AttributeValue::List(items)) => items
            .iter()
            .filter_map(|item| match item {
                AttributeValue::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The transaction's kind, amount and parties are within the licence's terms.
fn fits_transaction(licence: &LicenceRecord, facts: &Scope<'_>, transaction: &Transaction) -> bool {
    let kind_ok = licence.transaction_kinds.is_empty()
        || licence.transaction_kinds.contains(&transaction.kind);
    let amount_ok = licence.amount_cap.as_ref().is_none_or(|cap| {
        transaction
            .amount
            .as_ref()
            .is_some_and(|a| a.currency == cap.currency && a.value <= cap.value)
    });
    // A licensee that is an entity of the facts must take part; one named only by name is the
    // institution's own business to establish.
    let licensee_ok = licence.licensee.as_deref().is_none_or(|holder| {
        facts
            .entity_index(holder)
            .is_none_or(|holder| transaction.parties.iter().any(|p| p.entity == holder))
    });
    kind_ok && amount_ok && licensee_ok
}

/// The licence covers the party itself, or every designated entity the reason rests on, and the
/// programs of those designations.
fn covers_subject(licence: &LicenceRecord, party: &str, evidence: &[Evidence]) -> bool {
    let designations: Vec<(&str, Option<&str>, &[String])> = evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::Designation {
                entity,
                reference,
                programs,
                ..
            } => Some((entity.as_str(), reference.as_deref(), programs.as_slice())),
            _ => None,
        })
        .collect();
    let programs_ok = licence.programs.is_empty()
        || designations
            .iter()
            .all(|(_, _, programs)| programs.iter().any(|p| licence.programs.contains(p)));
    if !programs_ok {
        return false;
    }
    if licence.parties.iter().any(|p| p == party) {
        return true;
    }
    let names_none = licence.parties.is_empty() && licence.listed.is_empty();
    !designations.is_empty()
        && designations.iter().all(|(entity, reference, _)| {
            names_none
                || licence.parties.iter().any(|p| p == entity)
                || reference.is_some_and(|r| licence.listed.iter().any(|l| l == r))
        })
}

/// Marks `reason` as released by the licence at `cover`, and records what it released.
pub(super) fn release(
    facts: &Scope<'_>,
    cover: Cover,
    reason: &mut Reason,
    applied: &mut Vec<LicenceApplied>,
) {
    let Some(licence) = facts.licences().get(cover.licence) else {
        return;
    };
    reason.released_by = Some(licence.id.as_str().into());
    reason.licence = Some(licence.id.clone());
    let (entity, name) = reason
        .evidence
        .iter()
        .find_map(|e| match e {
            Evidence::Party { entity, name, .. } => Some((entity.clone(), name.clone())),
            _ => None,
        })
        .unwrap_or_default();
    let block = LicensedBlock {
        rule: reason.rule.to_string(),
        entity,
        name,
    };
    match applied.iter_mut().find(|a| a.id == licence.id) {
        Some(found) => found.released.push(block),
        None => applied.push(quote(licence, block)),
    }
}

/// The licence's terms as the decision quotes them.
fn quote(licence: &LicenceRecord, block: LicensedBlock) -> LicenceApplied {
    LicenceApplied {
        id: licence.id.clone(),
        issuer: licence.issuer.keyword().to_owned(),
        authority: licence.authority.clone(),
        kind: licence.kind.keyword().to_owned(),
        number: licence.number.clone(),
        title: licence.title.clone(),
        licensee: licence.licensee.clone(),
        valid_from: licence.valid_from,
        valid_until: licence.valid_until,
        terms: licence.terms.clone(),
        conditions: licence.conditions.clone(),
        reporting: licence.reporting.clone(),
        citation: licence.citation.clone(),
        released: vec![block],
    }
}
