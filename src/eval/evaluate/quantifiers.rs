//! `some`, `all` and `no`: binding a variable to each party or each entity a walk reaches, the
//! evidence of each binding, and the step budget that stops a rule multiplying bindings.

use super::{Bound, Context, MAX_STEPS, Outcome, Trace};
use crate::ast::QuantifierKind;
use crate::eval::failure::FailureCause;
use crate::eval::value::EvalError;
use crate::plan::{Collection, Expr, Slot};

impl<'a> Context<'a> {
    // Inlined into `test`, the quantifier's only caller, as it was before aggregates shared its
    // parts: a call per quantifier cost the shipped packs' rules measurably more instructions.
    #[inline(always)]
    pub(super) fn quantify(
        &mut self,
        kind: QuantifierKind,
        slot: Slot,
        collection: &'a Collection,
        filter: Option<&'a Expr>,
        body: &'a Expr,
    ) -> Outcome {
        let elements = self.elements(collection)?;
        let result = self.quantify_over(kind, slot, collection, elements.clone(), filter, body);
        self.release(collection, elements.start);
        result
    }

    /// Drops the walk steps or records a collection added from `start` on: bindings copy what
    /// they need, so they can go once the quantifier or aggregate is done.
    pub(super) fn release(&mut self, collection: &Collection, start: usize) {
        match collection {
            Collection::Walk { .. } => self.walk.truncate(start),
            Collection::History { .. } | Collection::Designations { .. } => {
                self.records.truncate(start);
            }
            Collection::Parties => {}
        }
    }

    #[inline(always)]
    fn quantify_over(
        &mut self,
        kind: QuantifierKind,
        slot: Slot,
        collection: &'a Collection,
        elements: std::ops::Range<usize>,
        filter: Option<&'a Expr>,
        body: &'a Expr,
    ) -> Outcome {
        let start_mark = self.trace.len();
        let mut error = None;
        for element in elements {
            if self.walk_waypoint(collection, element) || self.licensed(collection, element) {
                continue;
            }
            self.spend(1)?;
            let mark = self.trace.len();
            // Variables bound inside the body for an earlier element must not leak into this one.
            self.unbind_from(slot as usize + 1);
            let bound = self.bind(slot, collection, element);
            self.record_binding(bound, collection, element);
            let result = match filter.map(|f| self.test(f)) {
                Some(Ok(false)) => {
                    self.rewind(mark);
                    continue;
                }
                Some(Err(e)) => Err(e),
                _ => self.test(body),
            };
            match (kind, result) {
                (QuantifierKind::Some, Ok(true)) => return Ok(true),
                (QuantifierKind::No, Ok(true)) | (QuantifierKind::All, Ok(false)) => {
                    self.rewind(start_mark);
                    self.unbind_from(slot as usize);
                    return Ok(false);
                }
                (QuantifierKind::All, Ok(true)) => {}
                (_, Err(e)) => {
                    self.rewind(mark);
                    error.get_or_insert(e.in_party(bound.party));
                }
                (_, Ok(_)) => self.rewind(mark),
            }
        }
        if kind != QuantifierKind::All {
            self.rewind(start_mark);
            self.unbind_from(slot as usize);
        }
        match error {
            Some(e) => Err(e),
            None => Ok(kind != QuantifierKind::Some),
        }
    }

    /// Whether `element` is a party a licence already covers for this rule.
    fn licensed(&self, collection: &Collection, element: usize) -> bool {
        matches!(collection, Collection::Parties)
            && u32::try_from(element).is_ok_and(|e| self.licensed_parties.contains(&e))
    }

    /// Counts `steps` against the rule's budget.
    #[inline(always)]
    pub(super) fn spend(&mut self, steps: usize) -> Result<(), EvalError> {
        match self.budget.checked_sub(steps) {
            Some(left) => {
                self.budget = left;
                Ok(())
            }
            None => Err(self.out_of_steps()),
        }
    }

    #[cold]
    fn out_of_steps(&mut self) -> EvalError {
        self.budget = 0;
        EvalError::from(FailureCause::StepBudget { limit: MAX_STEPS })
    }

    /// Forgets the variables in `first` and every later slot: the quantifier's own and those
    /// declared inside it (slots are numbered in the order variables are written).
    pub(super) fn unbind_from(&mut self, first: usize) {
        for place in self.env.iter_mut().skip(first) {
            *place = None;
        }
    }

    /// The positions of a collection's elements: party indexes, or a range of the walk arena or
    /// of the records arena.
    // `elements`, `bind` and `record_binding` are inlined into both callers (quantifiers and
    // aggregates), as they were when quantifiers were their only caller: as calls they cost
    // existing rules 8 % more instructions per decision in the decision benchmark.
    #[inline(always)]
    pub(super) fn elements(
        &mut self,
        collection: &Collection,
    ) -> Result<std::ops::Range<usize>, EvalError> {
        match *collection {
            Collection::Parties => Ok(0..self.transaction.parties.len()),
            Collection::Walk {
                from,
                traversal,
                depth,
                derived,
            } => {
                let start = self.bound(from)?.entity;
                self.walk(start, traversal, depth, derived)
            }
            Collection::History { party, window } => {
                let entity = self.bound(party)?.entity;
                self.history(entity, window)
            }
            Collection::Designations { of } => {
                let entity = self.bound(of)?.entity;
                Ok(self.listings_in_force(entity))
            }
        }
    }

    /// `entity`'s designations in force on the day decided, added to the records arena. Kept out
    /// of line, as [`Self::history`] is, so that `elements` stays small enough to inline.
    #[inline(never)]
    fn listings_in_force(&mut self, entity: crate::facts::EntityIndex) -> std::ops::Range<usize> {
        let start = self.records.len();
        let day = self.as_of;
        let facts = self.facts;
        self.records.extend(
            facts
                .designations_of(entity)
                .filter(|(_, d)| d.in_force_on(day))
                .map(|(index, _)| index),
        );
        start..self.records.len()
    }

    /// `entity`'s transactions before the one decided (on or before its day, itself left out),
    /// within `window` of its day if given, added to the records arena oldest first.
    #[inline(never)]
    fn history(
        &mut self,
        entity: crate::facts::EntityIndex,
        window: Option<crate::ast::Duration>,
    ) -> Result<std::ops::Range<usize>, EvalError> {
        let day = self.transaction.date;
        let from = match window {
            Some(period) => Some(super::compute::shift(day, period, -1)?),
            None => None,
        };
        let start = self.records.len();
        let facts = self.facts;
        let own = &self.transaction.id;
        for position in facts.transactions_of(entity, from, day) {
            self.spend(1)?;
            let earlier = facts.transactions().get(position);
            if earlier.is_some_and(|t| t.id != *own) {
                self.records
                    .push(u32::try_from(position).unwrap_or(u32::MAX));
            }
        }
        Ok(start..self.records.len())
    }

    #[inline(always)]
    pub(super) fn bind(&mut self, slot: Slot, collection: &Collection, element: usize) -> Bound {
        let bound = match collection {
            Collection::Parties => {
                let party = self.transaction.parties.get(element);
                Bound {
                    entity: party.map_or(0, |p| p.entity),
                    party: u32::try_from(element).ok(),
                    via: None,
                    depth: 0,
                    record: u32::MAX,
                }
            }
            Collection::Walk { .. } => {
                let step = self.walk.get(element).copied();
                Bound {
                    entity: step.map_or(0, |s| s.entity),
                    party: None,
                    via: step.map(|s| s.relation),
                    depth: step.map_or(0, |s| s.depth),
                    record: u32::MAX,
                }
            }
            Collection::History { party: from, .. } | Collection::Designations { of: from } => {
                Bound {
                    entity: self.bound(*from).map_or(0, |b| b.entity),
                    party: None,
                    via: None,
                    depth: 0,
                    record: self.records.get(element).copied().unwrap_or(u32::MAX),
                }
            }
        };
        if let Some(place) = self.env.get_mut(slot as usize) {
            *place = Some(bound);
        }
        bound
    }

    /// Evidence for a binding: the party, the relations walked from the start entity, the
    /// earlier transaction or the designation.
    #[inline(always)]
    pub(super) fn record_binding(&mut self, bound: Bound, collection: &Collection, element: usize) {
        match collection {
            Collection::History { .. } => self.trace.push(Trace::Earlier(bound.record)),
            Collection::Designations { .. } => self.trace.push(Trace::Designation(bound.record)),
            Collection::Parties => {
                if let Some(party) = bound.party {
                    self.trace.push(Trace::Party(party));
                }
            }
            Collection::Walk { .. } => {
                let mark = self.trace.len();
                let mut at = element;
                while let Some(step) = self.walk.get(at) {
                    self.trace.push(Trace::Relation(step.relation));
                    at = step.parent as usize;
                }
                if let Some(path) = self.trace.get_mut(mark..) {
                    path.reverse();
                }
            }
        }
    }
}
