//! Who is designated: a party's own designations in force, and, with screening on, those of the
//! list entry its name matches (confirmed for `is designated`, possible for `is possibly listed`).

use super::{Context, Outcome, Trace};
use crate::eval::value::{EvalError, Value};
use crate::facts::EntityIndex;
use crate::plan::{Expr, Slot};
use crate::screen::{Screening, Strength};

impl<'a> Context<'a> {
    pub(super) fn render_designations(&self, entity: EntityIndex) -> String {
        let mut own = String::new();
        if self.push_designations_in_force(&mut own, entity, |_| true) > 0 {
            return own;
        }
        let matches = self
            .screening_for(entity)
            .map(|s| self.facts.matches(s, entity));
        let by_name = matches
            .iter()
            .flat_map(|matches| matches.iter())
            .filter(|m| m.strength_on(self.as_of) == Strength::Confirmed)
            .find_map(|found| {
                let mut entries = String::new();
                let listed =
                    self.push_designations_in_force(&mut entries, found.hit.entity, |_| true);
                (listed > 0).then(|| {
                    format!(
                        "{entries} (as {}, matched by name at {:.2})",
                        found.hit.name, found.hit.score
                    )
                })
            });
        by_name.unwrap_or_else(|| String::from("no designation in force"))
    }

    /// Appends `LIST under PROGRAMS, REF` for each designation of `entity` in force whose list
    /// `keep` accepts, separated by `; `, and says how many it wrote. Messages print these for
    /// most reasons, so they go straight into the message rather than through a vector of texts.
    pub(super) fn push_designations_in_force(
        &self,
        out: &mut String,
        entity: EntityIndex,
        keep: impl Fn(&str) -> bool,
    ) -> usize {
        let mut written = 0;
        for (_, d) in self.facts.designations_of(entity) {
            if !d.in_force_on(self.as_of) || !keep(&d.list) {
                continue;
            }
            if written > 0 {
                out.push_str("; ");
            }
            out.push_str(&d.list);
            out.push_str(" under ");
            for (i, program) in d.programs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(program);
            }
            if let Some(reference) = &d.reference {
                out.push_str(", ");
                out.push_str(reference);
            }
            written += 1;
        }
        written
    }

    pub(super) fn designated(
        &mut self,
        subject: Slot,
        negated: bool,
        programs: Option<&'a Expr>,
        lists: Option<&'a Expr>,
    ) -> Outcome {
        let entity = self.bound(subject)?.entity;
        let programs = programs.map(|p| self.value(p)).transpose()?;
        let lists = lists.map(|l| self.value(l)).transpose()?;
        let mark = self.trace.len();
        self.record_designations(entity, programs, lists)?;
        if self.trace.len() == mark {
            self.designated_by_name(entity, programs, lists, Strength::Confirmed)?;
        }
        let found = self.trace.len() > mark;
        if negated {
            self.rewind(mark);
        }
        Ok(found != negated)
    }

    /// `p is possibly listed`: not on a list itself, but its name matches a list entry (passing
    /// the filters) that nothing confirms and nothing contradicts.
    pub(super) fn possibly_listed(
        &mut self,
        subject: Slot,
        programs: Option<&'a Expr>,
        lists: Option<&'a Expr>,
    ) -> Outcome {
        let entity = self.bound(subject)?.entity;
        let programs = programs.map(|p| self.value(p)).transpose()?;
        let lists = lists.map(|l| self.value(l)).transpose()?;
        let mark = self.trace.len();
        self.designated_by_name(entity, programs, lists, Strength::Possible)?;
        Ok(self.trace.len() > mark)
    }

    /// Records the designations of `entity` in force that pass the filters. Each designation read
    /// is a step of the rule's budget: an entity reached over 40,000 parallel edges with 40,000
    /// designations would otherwise be read 1.6 billion times in one decision.
    fn record_designations(
        &mut self,
        entity: EntityIndex,
        programs: Option<Value<'a>>,
        lists: Option<Value<'a>>,
    ) -> Result<(), EvalError> {
        for (index, designation) in self.facts.designations_of(entity) {
            self.spend(1)?;
            let in_force = designation.in_force_on(self.as_of);
            let list_ok =
                lists.is_none_or(|l| matches_any(l, std::iter::once(designation.list.as_str())));
            let program_ok = programs
                .is_none_or(|p| matches_any(p, designation.programs.iter().map(String::as_str)));
            if in_force && list_ok && program_ok {
                self.trace.push(Trace::Designation(index));
            }
        }
        Ok(())
    }

    /// The screening to use for `entity`: none for an entity that is on a list in force on the
    /// decision's day (it speaks for itself), the loaded screening otherwise. Without screening
    /// the entity's designations are not read at all.
    pub(super) fn screening_for(&self, entity: EntityIndex) -> Option<&'a Screening> {
        let screening = self.screening?;
        let listed = self
            .facts
            .designations_of(entity)
            .any(|(_, d)| d.in_force_on(self.as_of));
        (!listed).then_some(screening)
    }

    /// With screening on, the designations of the best list entry `entity` matches by name
    /// with the strength asked for: confirmed for `is designated`, possible for `is possibly
    /// listed`. A name alone never makes a party the listed entity (OFAC FAQ 5).
    fn designated_by_name(
        &mut self,
        entity: EntityIndex,
        programs: Option<Value<'a>>,
        lists: Option<Value<'a>>,
        strength: Strength,
    ) -> Result<(), EvalError> {
        let Some(screening) = self.screening_for(entity) else {
            return Ok(());
        };
        let matches = self.facts.matches(screening, entity);
        let day = self.as_of;
        for found in matches.iter().filter(|m| m.strength_on(day) == strength) {
            let mark = self.trace.len();
            self.record_designations(found.hit.entity, programs, lists)?;
            if self.trace.len() > mark {
                // The match is copied into the evidence only once it led to a designation,
                // ahead of the designations it led to.
                self.trace.insert(
                    mark,
                    Trace::Screened {
                        entity,
                        found: Box::new(found.on(day)),
                    },
                );
                return Ok(());
            }
        }
        Ok(())
    }
}

/// Whether a filter value (a set or one string) accepts any of `items`.
fn matches_any<'i>(filter: Value<'_>, mut items: impl Iterator<Item = &'i str>) -> bool {
    match filter {
        Value::Set(set) => items.any(|item| set.contains(item)),
        Value::Text(text) => items.any(|item| item == text),
        _ => false,
    }
}
