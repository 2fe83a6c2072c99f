//! `some`, `all` and `no`: binding a variable to each party or each entity a walk reaches, the
//! evidence of each binding, and the step budget that stops a rule multiplying bindings.

use super::{Bound, Context, MAX_STEPS, Outcome, Trace};
use crate::ast::QuantifierKind;
use crate::eval::value::EvalError;
use crate::plan::{Collection, Expr, Slot};

impl<'a> Context<'a> {
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
        if matches!(collection, Collection::Walk { .. }) {
            // Bindings copy what they need, so the walk's steps can go once the quantifier is done.
            self.walk.truncate(elements.start);
        }
        result
    }

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
                    self.trace.truncate(mark);
                    continue;
                }
                Some(Err(e)) => Err(e),
                _ => self.test(body),
            };
            match (kind, result) {
                (QuantifierKind::Some, Ok(true)) => return Ok(true),
                (QuantifierKind::No, Ok(true)) | (QuantifierKind::All, Ok(false)) => {
                    self.trace.truncate(start_mark);
                    self.unbind_from(slot as usize);
                    return Ok(false);
                }
                (QuantifierKind::All, Ok(true)) => {}
                (_, Err(e)) => {
                    self.trace.truncate(mark);
                    error.get_or_insert(e.in_party(bound.party));
                }
                (_, Ok(_)) => self.trace.truncate(mark),
            }
        }
        if kind != QuantifierKind::All {
            self.trace.truncate(start_mark);
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
    pub(super) fn spend(&mut self, steps: usize) -> Result<(), EvalError> {
        match self.budget.checked_sub(steps) {
            Some(left) => {
                self.budget = left;
                Ok(())
            }
            None => {
                self.budget = 0;
                Err(EvalError::invalid(format!(
                    "the rule needed more than {MAX_STEPS} steps on this transaction (elements tried and relations followed); narrow its quantifiers or walks"
                )))
            }
        }
    }

    /// Forgets the variables in `first` and every later slot: the quantifier's own and those
    /// declared inside it (slots are numbered in the order variables are written).
    fn unbind_from(&mut self, first: usize) {
        for place in self.env.iter_mut().skip(first) {
            *place = None;
        }
    }

    /// The positions of a collection's elements: party indexes, or a range of the walk arena.
    fn elements(&mut self, collection: &Collection) -> Result<std::ops::Range<usize>, EvalError> {
        match *collection {
            Collection::Parties => Ok(0..self.transaction.parties.len()),
            Collection::Walk {
                from,
                traversal,
                depth,
            } => {
                let start = self.bound(from)?.entity;
                self.walk(start, traversal, depth)
            }
        }
    }

    fn bind(&mut self, slot: Slot, collection: &Collection, element: usize) -> Bound {
        let bound = match collection {
            Collection::Parties => {
                let party = self.transaction.parties.get(element);
                Bound {
                    entity: party.map_or(0, |p| p.entity),
                    party: u32::try_from(element).ok(),
                    via: None,
                    depth: 0,
                }
            }
            Collection::Walk { .. } => {
                let step = self.walk.get(element).copied();
                Bound {
                    entity: step.map_or(0, |s| s.entity),
                    party: None,
                    via: step.map(|s| s.relation),
                    depth: step.map_or(0, |s| s.depth),
                }
            }
        };
        if let Some(place) = self.env.get_mut(slot as usize) {
            *place = Some(bound);
        }
        bound
    }

    /// Evidence for a binding: the party, or the relations walked from the start entity.
    fn record_binding(&mut self, bound: Bound, collection: &Collection, element: usize) {
        match collection {
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
