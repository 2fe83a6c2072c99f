//! What would change a decision: for each block or review in force, the smallest single changes
//! in the facts under which the reason's derivation no longer holds.
//!
//! They are read off the derivation the evidence records, not templated per rule: an entity
//! blocked by ownership is undone by cutting one blocked owner's stake just enough for the total
//! to fall short of its jurisdiction's threshold, or by undoing that owner's own blocking when the
//! others' stakes alone fall short (OFAC FAQ 401's chains); a listing by its ending on or before
//! the decision's day; a relation (control, directorship, sister, creator, employer) by its
//! ending; a block by a licence covering the party. Each change is structured, so a program (or a
//! test) can apply it to the facts and decide again; the tests in `tests/it/report.rs` do so.
//! They describe the derivation shown: where the facts hold a second, independent witness, the
//! rule may still fire on that one, which the reviewer sees in the same evidence.

use serde::{Deserialize, Serialize};

use super::decision::{Decision, Evidence, Outcome, Reason};
use super::licensing::RELIED_ON;
use crate::compile::PolicySet;
use crate::date::Date;
use crate::facts::{AttributeValue, Facts, FactsDocument, LicenceRecord, Regime, RelationRecord};

/// How deep the derivation of an owner's own blocking is followed.
const MAX_DEPTH: usize = 8;

/// One change in the facts. The JSON carries the change's fields and, in `text`, the sentence
/// [`crate::explain::counterfactual`] writes for it ("if Volasys Silver Star's stake ... were
/// below 50 % (it is 100 %)"), so a reader without the library has it too; reading a
/// counterfactual back takes the change and ignores `text`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Counterfactual {
    /// The change as a program applies it, with the names the sentence cites.
    #[serde(flatten)]
    pub change: Change,
}

impl Serialize for Counterfactual {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Said<'c> {
            text: String,
            #[serde(flatten)]
            change: &'c Change,
        }
        Said {
            text: crate::explain::counterfactual(&self.change),
            change: &self.change,
        }
        .serialize(serializer)
    }
}

/// A change in the facts, tagged by `change`. Entities are given by id and, for the sentence, by
/// name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Change {
    /// An ownership stake lower than it is.
    StakeBelow {
        /// The `owns` relation's id.
        relation: String,
        /// The owner's id.
        owner: String,
        /// The owner's name.
        owner_name: String,
        /// The owned entity's id.
        owned: String,
        /// The owned entity's name.
        owned_name: String,
        /// The stake now.
        percent: f64,
        /// The stake must be below this (or at most this, with `or_equal`).
        below: f64,
        /// Whether a stake equal to `below` already suffices (a "more than" threshold).
        or_equal: bool,
        /// The jurisdiction whose threshold this is.
        jurisdiction: String,
    },
    /// Listings of one entity ended on or before the decision's day.
    DesignationEnded {
        /// The listed entity's id.
        entity: String,
        /// The listed entity's name.
        name: String,
        /// The listings, as `LIST` or `LIST REF`.
        entries: Vec<ListEntry>,
        /// The day by which they would have to have ended (`delisted_on` on or before it).
        by: Date,
    },
    /// A relation ended on or before the decision's day.
    RelationEnded {
        /// The relation's id.
        relation: String,
        /// Its kind.
        kind: String,
        /// The id of the entity it starts from.
        from: String,
        /// That entity's name.
        from_name: String,
        /// The id of the entity it leads to.
        to: String,
        /// That entity's name.
        to_name: String,
        /// The role it gives, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
        /// The day by which it would have to have ended (`end` on or before it).
        by: Date,
    },
    /// A licence of the reason's jurisdiction, in force on the day and relied on by the
    /// transaction, covering the party and the programs of the listings behind the block.
    LicenceCovers {
        /// `OFAC`, `OFSI` or `EU`.
        issuer: String,
        /// The party's id.
        party: String,
        /// The party's name.
        party_name: String,
        /// The programs it would have to cover.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        programs: Vec<String>,
    },
}

/// A listing named by a counterfactual.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    /// The list.
    pub list: String,
    /// The list's reference for the entry.
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

impl PolicySet {
    /// Fills each block and review in force of `decision` with what would change it.
    pub fn what_would_change(&self, decision: &mut Decision) {
        let as_of = decision.as_of;
        for reason in &mut decision.reasons {
            if reason.is_in_force()
                && reason.error.is_none()
                && matches!(reason.effect, Outcome::Block | Outcome::Review)
            {
                reason.counterfactuals = counterfactuals(self.regimes(), reason, as_of);
            }
        }
    }
}

/// The counterfactuals of one reason, each change once, in the order of the derivation.
pub fn counterfactuals(regimes: &[Regime], reason: &Reason, as_of: Date) -> Vec<Counterfactual> {
    let derivation = Derivation::of(&reason.evidence);
    let mut changes = Vec::new();
    let party = derivation.party;
    match party.filter(|p| derivation.blocked(p).is_some()) {
        Some(party) => derivation.unblock(regimes, party, as_of, 0, &mut changes),
        None => derivation.undo_rule(regimes, as_of, &mut changes),
    }
    if reason.effect == Outcome::Block
        && let (Some(party), Some(issuer)) =
            (party, reason.jurisdiction.as_deref().and_then(issuer))
    {
        changes.push(Change::LicenceCovers {
            issuer: issuer.to_owned(),
            party: party.to_owned(),
            party_name: derivation.name(party).to_owned(),
            programs: derivation.programs(),
        });
    }
    let mut unique: Vec<Change> = Vec::with_capacity(changes.len());
    for change in changes {
        if !unique.contains(&change) {
            unique.push(change);
        }
    }
    unique
        .into_iter()
        .map(|change| Counterfactual { change })
        .collect()
}

/// The licensing authority of a jurisdiction.
fn issuer(jurisdiction: &str) -> Option<&'static str> {
    match jurisdiction {
        "US" => Some("OFAC"),
        "UK" => Some("OFSI"),
        "EU" => Some("EU"),
        _ => None,
    }
}

/// The steps of a reason's evidence, indexed for walking back from an entity.
struct Derivation<'e> {
    party: Option<&'e str>,
    names: Vec<(&'e str, &'e str)>,
    /// Entity, jurisdiction, basis, total percent.
    blocked: Vec<(&'e str, &'e str, &'e str, Option<f64>)>,
    /// Id, kind, from, to, percent, role.
    relations: Vec<Relation<'e>>,
    /// Entity, list, reference, programs.
    designations: Vec<(&'e str, &'e str, Option<&'e str>, &'e [String])>,
}

#[derive(Clone, Copy)]
struct Relation<'e> {
    id: &'e str,
    kind: &'e str,
    from: &'e str,
    to: &'e str,
    percent: Option<f64>,
    role: Option<&'e str>,
}

impl<'e> Derivation<'e> {
    fn of(evidence: &'e [Evidence]) -> Self {
        let mut derivation = Derivation {
            party: None,
            names: Vec::new(),
            blocked: Vec::new(),
            relations: Vec::new(),
            designations: Vec::new(),
        };
        for item in evidence {
            match item {
                Evidence::Party { entity, name, .. } => {
                    derivation.party.get_or_insert(entity.as_str());
                    derivation.names.push((entity, name));
                }
                Evidence::Blocked {
                    entity,
                    name,
                    jurisdiction,
                    basis,
                    ..
                } => {
                    derivation.names.push((entity, name));
                    derivation.blocked.push((
                        entity,
                        jurisdiction,
                        basis.keyword(),
                        basis.total_percent(),
                    ));
                }
                Evidence::Relation {
                    id,
                    relation,
                    from,
                    from_name,
                    to,
                    to_name,
                    percent,
                    role,
                    ..
                } => {
                    derivation.names.push((from, from_name));
                    derivation.names.push((to, to_name));
                    derivation.relations.push(Relation {
                        id,
                        kind: relation,
                        from,
                        to,
                        percent: *percent,
                        role: role.as_deref(),
                    });
                }
                Evidence::Designation {
                    entity,
                    name,
                    list,
                    reference,
                    programs,
                    ..
                } => {
                    derivation.names.push((entity, name));
                    derivation
                        .designations
                        .push((entity, list, reference.as_deref(), programs));
                }
                _ => {}
            }
        }
        derivation
    }

    fn name<'s>(&'s self, entity: &'s str) -> &'s str {
        self.names
            .iter()
            .find(|(id, _)| *id == entity)
            .map_or(entity, |(_, name)| name)
    }

    /// How `entity` is blocked in this derivation: jurisdiction, basis, total.
    fn blocked(&self, entity: &str) -> Option<(&'e str, &'e str, Option<f64>)> {
        self.blocked
            .iter()
            .find(|(id, ..)| *id == entity)
            .map(|(_, j, b, t)| (*j, *b, *t))
    }

    /// Whether a relation explains how its `to` is blocked (so it is part of that entity's
    /// derivation, not a link the rule itself followed).
    fn explains_blocking(&self, relation: &Relation<'_>) -> bool {
        matches!(relation.kind, "owns" | "controls")
            && self.blocked(relation.from).is_some()
            && self
                .blocked(relation.to)
                .is_some_and(|(_, basis, _)| basis != "designation")
    }

    /// The changes that leave `entity` not blocked.
    fn unblock(
        &self,
        regimes: &[Regime],
        entity: &str,
        as_of: Date,
        depth: usize,
        out: &mut Vec<Change>,
    ) {
        let Some((jurisdiction, basis, total)) = self.blocked(entity) else {
            self.end_listings(entity, None, as_of, out);
            return;
        };
        let regime = regimes
            .iter()
            .find(|r| r.code == jurisdiction && r.in_force_on(as_of));
        match basis {
            "designation" => self.end_listings(entity, regime, as_of, out),
            "ownership" => {
                let (Some(regime), Some(total)) = (regime, total) else {
                    return;
                };
                let owners = self.relations.iter().filter(|r| {
                    r.kind == "owns" && r.to == entity && self.blocked(r.from).is_some()
                });
                for owner in owners {
                    let Some(percent) = owner.percent else {
                        continue;
                    };
                    out.extend(self.stake_below(regime, owner, percent, total - percent));
                    if !regime.reached_by(total - percent) && depth < MAX_DEPTH {
                        self.unblock(regimes, owner.from, as_of, depth + 1, out);
                    }
                }
            }
            "control" => {
                let controllers = self.relations.iter().filter(|r| {
                    r.kind == "controls" && r.to == entity && self.blocked(r.from).is_some()
                });
                for controller in controllers {
                    out.push(self.relation_ended(controller, as_of));
                    if depth < MAX_DEPTH {
                        self.unblock(regimes, controller.from, as_of, depth + 1, out);
                    }
                }
            }
            _ => {}
        }
    }

    /// The changes that undo a rule that walked relations itself (a sister, a director, an owner
    /// up the chain) rather than asking `is blocked` of the party.
    fn undo_rule(&self, regimes: &[Regime], as_of: Date, out: &mut Vec<Change>) {
        // A link the rule walked is undone by its ending. Whether a smaller stake would do
        // depends on the rule's own test, which the derivation does not record, so no threshold
        // is guessed here; stakes that count towards blocking are cut above, in `unblock`.
        for relation in self.relations.iter().filter(|r| !self.explains_blocking(r)) {
            out.push(self.relation_ended(relation, as_of));
        }
        // The blocked entities the rule reached, and the listed ones no blocking step explains.
        let roots: Vec<&str> = self
            .blocked
            .iter()
            .map(|(entity, ..)| *entity)
            .filter(|entity| {
                !self
                    .relations
                    .iter()
                    .any(|r| r.from == *entity && self.explains_blocking(r))
            })
            .collect();
        for root in &roots {
            self.unblock(regimes, root, as_of, 0, out);
        }
        for (entity, ..) in &self.designations {
            if self.blocked(entity).is_none() {
                self.end_listings(entity, None, as_of, out);
            }
        }
    }

    /// Ending every listing of `entity` in the evidence (those `regime` reads, when given).
    fn end_listings(
        &self,
        entity: &str,
        regime: Option<&Regime>,
        as_of: Date,
        out: &mut Vec<Change>,
    ) {
        let entries: Vec<ListEntry> = self
            .designations
            .iter()
            .filter(|(id, list, ..)| *id == entity && regime.is_none_or(|r| r.reads(list)))
            .map(|(_, list, reference, _)| ListEntry {
                list: (*list).to_owned(),
                reference: reference.map(str::to_owned),
            })
            .collect();
        if !entries.is_empty() {
            out.push(Change::DesignationEnded {
                entity: entity.to_owned(),
                name: self.name(entity).to_owned(),
                entries,
                by: as_of,
            });
        }
    }

    /// The programs of the listings in the derivation, each once.
    fn programs(&self) -> Vec<String> {
        let mut programs: Vec<String> = Vec::new();
        for program in self.designations.iter().flat_map(|(.., p)| p.iter()) {
            if !programs.contains(program) {
                programs.push(program.clone());
            }
        }
        programs
    }
}

impl Derivation<'_> {
    /// Cutting `relation`'s stake so that it and `others` fall short of `regime`'s threshold;
    /// none when the others alone reach it.
    fn stake_below(
        &self,
        regime: &Regime,
        relation: &Relation<'_>,
        percent: f64,
        others: f64,
    ) -> Option<Change> {
        let limit = regime.threshold() - others;
        let possible = if regime.inclusive {
            limit > 1e-9
        } else {
            limit >= 0.0
        };
        (possible && limit < percent + 1e-9).then(|| Change::StakeBelow {
            relation: relation.id.to_owned(),
            owner: relation.from.to_owned(),
            owner_name: self.name(relation.from).to_owned(),
            owned: relation.to.to_owned(),
            owned_name: self.name(relation.to).to_owned(),
            percent,
            below: (limit * 100.0).round() / 100.0,
            or_equal: !regime.inclusive,
            jurisdiction: regime.code.clone(),
        })
    }

    /// Ending `relation` by `as_of`.
    fn relation_ended(&self, relation: &Relation<'_>, as_of: Date) -> Change {
        Change::RelationEnded {
            relation: relation.id.to_owned(),
            kind: relation.kind.to_owned(),
            from: relation.from.to_owned(),
            from_name: self.name(relation.from).to_owned(),
            to: relation.to.to_owned(),
            to_name: self.name(relation.to).to_owned(),
            role: relation.role.map(str::to_owned),
            by: as_of,
        }
    }
}

impl Change {
    /// Applies the change to `document` (the facts the decision on `transaction` was taken on),
    /// as a user would edit them: the stake set just past the limit, the listings given a
    /// `delisted_on`, the relation an `end`, or a general licence of the issuer covering the
    /// party added and relied on by the transaction.
    pub fn apply(&self, document: &mut FactsDocument, transaction: &str) -> Result<(), String> {
        match self {
            Change::StakeBelow {
                relation,
                below,
                or_equal,
                ..
            } => {
                let record = relation_mut(document, relation)?;
                record.percent = Some(if *or_equal {
                    *below
                } else {
                    (below - 0.01).max(0.0)
                });
            }
            Change::DesignationEnded {
                entity,
                entries,
                by,
                ..
            } => {
                for entry in entries {
                    let record = document
                        .designations
                        .iter_mut()
                        .find(|d| {
                            d.entity == *entity
                                && d.list == entry.list
                                && d.reference == entry.reference
                        })
                        .ok_or_else(|| format!("no listing {} of {entity}", entry.list))?;
                    record.delisted_on = Some(*by);
                }
            }
            Change::RelationEnded { relation, by, .. } => {
                relation_mut(document, relation)?.end = Some(*by);
            }
            Change::LicenceCovers {
                issuer,
                party,
                programs,
                ..
            } => {
                const ID: &str = "what-would-change";
                let mut licence = serde_json::json!({
                    "id": ID, "issuer": issuer, "kind": "general", "number": ID,
                    "parties": [party], "programs": programs,
                });
                if issuer == "EU" {
                    licence["authority"] = "the member state's competent authority".into();
                }
                let licence: LicenceRecord =
                    serde_json::from_value(licence).map_err(|e| e.to_string())?;
                document.licences.push(licence);
                let record = document
                    .transactions
                    .iter_mut()
                    .find(|t| t.id == transaction)
                    .ok_or_else(|| format!("no transaction {transaction}"))?;
                record.attributes.insert(
                    RELIED_ON.to_owned(),
                    AttributeValue::List(vec![AttributeValue::Text(ID.to_owned())]),
                );
            }
        }
        Ok(())
    }
}

/// The relation with `id`, given or numbered by position as loading numbers them (`r1`...).
fn relation_mut<'d>(
    document: &'d mut FactsDocument,
    id: &str,
) -> Result<&'d mut RelationRecord, String> {
    let position = document
        .relations
        .iter()
        .enumerate()
        .position(|(i, r)| match &r.id {
            Some(given) => given == id,
            None => format!("r{}", i + 1) == id,
        })
        .ok_or_else(|| format!("no relation {id}"))?;
    document
        .relations
        .get_mut(position)
        .ok_or_else(|| format!("no relation {id}"))
}

impl PolicySet {
    /// Like [`PolicySet::what_would_change`], then checks each change: applied alone to
    /// `document` (the facts `decision` was taken on, without screening) and decided again as of
    /// the same day, the reason's rule must no longer be in force for its party. Changes that
    /// fail the check (or leave facts that no longer load) are left out; the number left out is
    /// returned so the caller can say so.
    pub fn what_would_change_checked(
        &self,
        document: &FactsDocument,
        decision: &mut Decision,
    ) -> usize {
        self.what_would_change(decision);
        let mut left_out = 0;
        let as_of = decision.as_of;
        let transaction = decision.transaction.clone();
        for reason in &mut decision.reasons {
            let party = subject(reason).map(str::to_owned);
            let rule = reason.rule.clone();
            let mut kept = Vec::with_capacity(reason.counterfactuals.len());
            for counterfactual in std::mem::take(&mut reason.counterfactuals) {
                let mut changed = document.clone();
                let flips = counterfactual
                    .change
                    .apply(&mut changed, &transaction)
                    .is_ok()
                    && {
                        let facts = Facts::from_document("what-would-change", changed).ok();
                        facts
                            .as_ref()
                            .and_then(|f| f.transaction(&transaction).map(|t| (f, t)))
                            .is_some_and(|(facts, t)| {
                                let again = self.decide(facts, t, Some(as_of));
                                !again.reasons.iter().any(|r| {
                                    r.rule == rule
                                        && r.is_in_force()
                                        && subject(r) == party.as_deref()
                                })
                            })
                    };
                if flips {
                    kept.push(counterfactual);
                } else {
                    left_out += 1;
                }
            }
            reason.counterfactuals = kept;
        }
        left_out
    }
}

/// The first party a reason is about.
fn subject(reason: &Reason) -> Option<&str> {
    reason.evidence.iter().find_map(|e| match e {
        Evidence::Party { entity, .. } => Some(entity.as_str()),
        _ => None,
    })
}
