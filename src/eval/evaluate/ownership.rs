//! Who is blocked under a jurisdiction's ownership and control rules, read from the store-wide
//! blocked set (computed once in [`crate::facts`]), and the derivation recorded as evidence: each
//! stake, each controlling relation and each designation down to the listed roots.

use std::sync::Arc;

use super::{Context, Outcome, Trace};
use crate::eval::decision::{Note, StakeReport};
use crate::eval::failure::{FailureCause, Inconsistency};
use crate::eval::value::EvalError;
use crate::facts::{
    Basis, Blocked, DesignationIndex, Direction, EntityIndex, Facts, Regime, RelationIndex,
    RelationKind, Stake,
};
use crate::plan::Slot;
use crate::screen::{EntityMatch, Strength};

/// The most entities one blocking derivation shows; a witness chain longer than this is cut with
/// a note rather than flooding the explanation.
pub const MAX_DERIVATION: usize = 64;

impl<'a> Context<'a> {
    /// The direct stakes of `entity`'s blocked owners under a regime, one per owner (its highest
    /// report); a blocked owner's stake without a figure makes the sum unknown, naming it.
    pub(super) fn blocked_stakes(
        &self,
        entity: EntityIndex,
        regime: u16,
    ) -> Result<Vec<Stake>, EvalError> {
        let settings = self
            .regimes
            .get(regime as usize)
            .ok_or_else(|| EvalError::from(Inconsistency::UndeclaredJurisdiction))?;
        let set = match self.blocked_sets.get(regime as usize) {
            Some(Some(set)) => Arc::clone(set),
            _ => self.fetch_blocked(settings),
        };
        let stakes = self
            .facts
            .blocked_owner_stakes(entity, self.as_of, |owner| set.basis(owner).is_some());
        if let Some(unknown) = stakes
            .iter()
            .find(|s| s.reported.iter().all(|(_, p)| p.is_none()))
        {
            let error = EvalError::from(FailureCause::MissingBlockedOwnerStake {
                relation: self
                    .facts
                    .relation(unknown.relation)
                    .map_or_else(|| String::from("?"), |r| r.id.clone()),
                owner: self.entity_name(unknown.owner),
                subject: self.entity_name(entity),
            });
            return Err(error.at(unknown.relation));
        }
        Ok(stakes)
    }

    /// Evidence for `p.blocked_stake`: each blocked owner's stake and why the owner is blocked.
    pub(super) fn record_blocked_stakes(&mut self, subject: Slot, regime: u16) {
        let Ok(entity) = self.bound(subject).map(|b| b.entity) else {
            return;
        };
        let (Ok(stakes), Ok(set)) = (
            self.blocked_stakes(entity, regime),
            self.blocked_set(regime),
        ) else {
            return;
        };
        let mut visited = Vec::new();
        for stake in &stakes {
            self.record_stake(stake, true);
            self.record_derivation(&set, stake.owner, regime, &mut visited);
        }
    }

    /// The version of `regime`'s jurisdiction settings in force on the decision's day: a replay of
    /// a 2023 payment uses the test then in force. No version in force fails closed.
    pub(super) fn version(&self, regime: u16) -> Result<u16, EvalError> {
        let code = self
            .regimes
            .get(regime as usize)
            .map(|r| r.code.as_str())
            .ok_or_else(|| EvalError::from(Inconsistency::UndeclaredJurisdiction))?;
        self.regimes
            .iter()
            .position(|r| r.code == code && r.in_force_on(self.as_of))
            .and_then(|p| u16::try_from(p).ok())
            .ok_or_else(|| {
                EvalError::from(FailureCause::NoSettingsInForce {
                    jurisdiction: code.to_owned(),
                    day: self.as_of,
                })
            })
    }

    /// The blocked set of a regime on the decision's day.
    fn blocked_set(&mut self, regime: u16) -> Result<Arc<Blocked>, EvalError> {
        let regime_settings = self
            .regimes
            .get(regime as usize)
            .ok_or_else(|| EvalError::from(Inconsistency::UndeclaredJurisdiction))?;
        if let Some(Some(set)) = self.blocked_sets.get(regime as usize) {
            return Ok(Arc::clone(set));
        }
        let set = self.fetch_blocked(regime_settings);
        if self.blocked_sets.len() < self.regimes.len() {
            self.blocked_sets.resize(self.regimes.len(), None);
        }
        if let Some(slot) = self.blocked_sets.get_mut(regime as usize) {
            *slot = Some(Arc::clone(&set));
        }
        Ok(set)
    }

    /// The blocked set of `settings` on the decision's day: from the sets shared with other
    /// decisions, or computed for this one.
    fn fetch_blocked(&self, settings: &Regime) -> Arc<Blocked> {
        let facts: &Facts = self.facts;
        match self.shared_sets {
            Some(sets) => sets.get(facts, settings, self.as_of),
            None => Arc::new(facts.compute_blocked(settings, self.as_of)),
        }
    }

    pub(super) fn blocked(&mut self, subject: Slot, negated: bool, regime: u16) -> Outcome {
        let entity = self.bound(subject)?.entity;
        let regime = self.version(regime)?;
        let set = self.blocked_set(regime)?;
        if set.basis(entity).is_some() {
            if !negated {
                let mut visited = Vec::new();
                self.record_derivation(&set, entity, regime, &mut visited);
            }
            return Ok(!negated);
        }
        if let Some(found) = self.blocked_by_name(&set, entity) {
            if !negated {
                self.trace.push(Trace::Screened {
                    entity,
                    found: Box::new(found.clone()),
                });
                let mut visited = Vec::new();
                self.record_derivation(&set, found.hit.entity, regime, &mut visited);
            }
            return Ok(!negated);
        }
        if let Some(owners) = self.owned_by_name_matches(&set, entity, regime) {
            if !negated {
                self.record_owners_by_name(&set, owners, regime);
            }
            return Ok(!negated);
        }
        if let Some(relation) = set.uncertain(entity) {
            return Err(self.unknown_stake(relation, entity, regime));
        }
        Ok(negated)
    }

    /// With screening on, the direct owners of `entity` that are blocked — on their own, or as
    /// the list entry their name matches — when together they hold enough of it under the
    /// regime's rule. Owners found only by name are not fed into the store-wide computation, so
    /// this looks one level up: enough for a subsidiary of a listed party written under another
    /// spelling.
    fn owned_by_name_matches(
        &self,
        set: &Blocked,
        entity: EntityIndex,
        regime: u16,
    ) -> Option<Vec<(RelationIndex, EntityIndex, Option<EntityMatch>)>> {
        self.screening?;
        let settings = self.regimes.get(regime as usize)?;
        let mut owners: Vec<(RelationIndex, EntityIndex, Option<EntityMatch>, f64)> = Vec::new();
        for edge in self
            .facts
            .neighbours(entity, RelationKind::Owns, Direction::Incoming)
        {
            let Some(percent) = self
                .facts
                .relation(edge.relation)
                .filter(|r| r.holds_on(self.as_of))
                .and_then(|r| r.percent)
            else {
                continue;
            };
            let blocked_itself = set.basis(edge.other).is_some();
            let by_name = if blocked_itself {
                None
            } else {
                self.blocked_by_name(set, edge.other)
            };
            if blocked_itself || by_name.is_some() {
                owners.push((edge.relation, edge.other, by_name, percent));
            }
        }
        let named = owners.iter().any(|(_, _, by_name, _)| by_name.is_some());
        (named && settings.blocks_with(owners.iter().map(|o| o.3)))
            .then(|| owners.into_iter().map(|(r, o, m, _)| (r, o, m)).collect())
    }

    /// Evidence for an ownership block through owners matched by name: each stake, each match,
    /// and why the matched entries are blocked.
    fn record_owners_by_name(
        &mut self,
        set: &Blocked,
        owners: Vec<(RelationIndex, EntityIndex, Option<EntityMatch>)>,
        regime: u16,
    ) {
        let mut visited = Vec::new();
        for (relation, owner, by_name) in owners {
            self.trace.push(Trace::Relation(relation));
            match by_name {
                Some(found) => {
                    let listed = found.hit.entity;
                    self.trace.push(Trace::Screened {
                        entity: owner,
                        found: Box::new(found),
                    });
                    self.record_derivation(set, listed, regime, &mut visited);
                }
                None => self.record_derivation(set, owner, regime, &mut visited),
            }
        }
    }

    /// With screening on, the best list entry `entity` matches by name, confirmed, that is
    /// blocked.
    fn blocked_by_name(&self, set: &Blocked, entity: EntityIndex) -> Option<EntityMatch> {
        let screening = self.screening_for(entity)?;
        self.facts
            .matches(screening, entity)
            .iter()
            .find(|m| {
                m.strength_on(self.as_of) == Strength::Confirmed
                    && set.basis(m.hit.entity).is_some()
            })
            .map(|m| m.on(self.as_of))
    }

    fn unknown_stake(
        &self,
        relation: RelationIndex,
        entity: EntityIndex,
        regime: u16,
    ) -> EvalError {
        let code = self
            .regimes
            .get(regime as usize)
            .map_or("", |r| r.code.as_str());
        let Some(stake) = self.facts.relation(relation) else {
            return EvalError::from(Inconsistency::StakeNotInStore);
        };
        let (owner, asset) = (self.entity_name(stake.from), self.entity_name(stake.to));
        let subject = (stake.to != entity).then(|| self.entity_name(entity));
        let (relation_id, jurisdiction) = (stake.id.clone(), code.to_owned());
        let error = EvalError::from(if stake.kind == RelationKind::Controls {
            FailureCause::MissingBlockingControlBasis {
                relation: relation_id,
                owner,
                asset,
                subject,
                jurisdiction,
            }
        } else {
            FailureCause::MissingBlockingStake {
                relation: relation_id,
                owner,
                asset,
                subject,
                jurisdiction,
            }
        });
        error.at(relation)
    }

    /// Records why `entity` is blocked, down to the listed roots, each entity once.
    fn record_derivation(
        &mut self,
        set: &Blocked,
        entity: EntityIndex,
        regime: u16,
        visited: &mut Vec<EntityIndex>,
    ) {
        if visited.contains(&entity) {
            return;
        }
        if visited.len() == MAX_DERIVATION {
            let name = self.entity_name(entity);
            self.trace.push(Trace::Note(Box::new(Note::DerivationCut {
                name,
                limit: MAX_DERIVATION,
            })));
            visited.push(entity);
            return;
        }
        visited.push(entity);
        self.trace.push(Trace::Blocked { entity, regime });
        match set.basis(entity) {
            Some(Basis::Designated) => {
                let lists = self
                    .regimes
                    .get(regime as usize)
                    .map(|r| r.lists.clone())
                    .unwrap_or_default();
                let designations: Vec<DesignationIndex> = self
                    .facts
                    .designations_of(entity)
                    .filter(|(_, d)| {
                        d.in_force_on(self.as_of) && d.blocks() && lists.contains(&d.list)
                    })
                    .map(|(i, _)| i)
                    .collect();
                self.trace
                    .extend(designations.into_iter().map(Trace::Designation));
            }
            Some(Basis::Owned {
                stakes,
                witnesses,
                joint,
                ..
            }) => {
                self.trace
                    .extend(joint.iter().copied().map(Trace::Relation));
                let (shown, others) = stakes.split_at((*witnesses).min(stakes.len()));
                for stake in shown {
                    self.record_stake(stake, true);
                }
                if !others.is_empty() {
                    self.note_other_owners(entity, others);
                }
                for stake in shown {
                    self.record_derivation(set, stake.owner, regime, visited);
                }
            }
            Some(Basis::Controlled {
                controller,
                relation,
            }) => {
                self.trace.push(Trace::Relation(*relation));
                self.record_derivation(set, *controller, regime, visited);
            }
            None => {}
        }
    }

    /// The blocked owners whose stakes count towards the total but are not needed to reach it.
    fn note_other_owners(&mut self, entity: EntityIndex, others: &[Stake]) {
        let percent: f64 = others.iter().map(|s| s.percent).sum();
        self.trace
            .push(Trace::Note(Box::new(Note::OtherBlockedOwners {
                name: self.entity_name(entity),
                owners: others.len(),
                percent,
            })));
        for stake in others {
            self.record_stake(stake, false);
        }
    }

    /// A stake as evidence (`shown`: with its relations, or only the note on disagreeing
    /// reports, for a stake that counts towards the total but is not needed to reach it).
    fn record_stake(&mut self, stake: &Stake, shown: bool) {
        if shown {
            self.trace.push(Trace::Relation(stake.relation));
        }
        if stake.reported.len() < 2 {
            return;
        }
        for (relation, _) in &stake.reported {
            if shown && *relation != stake.relation {
                self.trace.push(Trace::Relation(*relation));
            }
        }
        // Conflicting reports are weighed by who made them and when.
        let reports = stake
            .reported
            .iter()
            .filter_map(|(relation, percent)| {
                let relation = self.facts.relation(*relation)?;
                Some(StakeReport {
                    relation: relation.id.clone(),
                    percent: *percent,
                    source: relation.source.clone(),
                })
            })
            .collect();
        self.trace
            .push(Trace::Note(Box::new(Note::StakeReportsDiffer {
                owner: self.entity_name(stake.owner),
                reports,
                counted: stake.percent,
            })));
    }
}
