//! Relation walks (`owners of p up to 3`, `sisters of p`): breadth-first over the relations that
//! hold (or, for historic walks, have ended) on the decision day, with derived sister and
//! co-controlled families, each entity expanded once so cycles end.

use std::collections::HashSet;

use super::Context;
use crate::eval::failure::FailureCause;
use crate::eval::value::EvalError;
use crate::facts::{Direction, EntityIndex, RelationIndex, RelationKind, Traversal};
use crate::plan::Collection;

/// The most entities one relation walk may reach before the rule fails closed.
pub const MAX_WALK: usize = 100_000;

/// One entity reached by a walk; `parent` indexes the walk arena (`u32::MAX` for a first step).
#[derive(Debug, Clone, Copy)]
pub(super) struct Step {
    pub(super) entity: EntityIndex,
    pub(super) relation: RelationIndex,
    pub(super) parent: u32,
    pub(super) depth: u8,
    /// A waypoint, not an element: the shared owner or controller on the way to a derived
    /// sister company. It is on the evidence path but never bound to the variable.
    pub(super) via_only: bool,
}

impl<'a> Context<'a> {
    /// Breadth-first walk from `start`; appends the reached steps to the arena and returns them.
    ///
    /// Each entity is expanded once and the start is never revisited, so cycles end; several
    /// relations reaching a new entity at the same level (say two reported stakes) are all kept.
    /// Derived families (sisters through a common parent, co-controlled entities) are added only
    /// when `derived` is set.
    pub(super) fn walk(
        &mut self,
        start: EntityIndex,
        traversal: Traversal,
        depth: u8,
        derived: bool,
    ) -> Result<std::ops::Range<usize>, EvalError> {
        let first = self.walk.len();
        let deep = depth > 1;
        if deep {
            self.seen.clear();
            self.seen.insert(start);
        }
        self.expand(start, u32::MAX, traversal, 1, deep, derived)?;
        let mut frontier = first..self.walk.len();
        for level in 2..=depth {
            self.mark_seen(frontier.clone());
            self.expanded.clear();
            for index in frontier.clone() {
                let Some(step) = self.walk.get(index).copied().filter(|s| !s.via_only) else {
                    continue;
                };
                if self.expanded.insert(step.entity) {
                    self.expand(
                        step.entity,
                        u32::try_from(index).unwrap_or(u32::MAX),
                        traversal,
                        level,
                        deep,
                        derived,
                    )?;
                }
            }
            frontier = frontier.end..self.walk.len();
            if frontier.is_empty() {
                break;
            }
            if self.walk.len() - first > MAX_WALK {
                return Err(EvalError::from(FailureCause::WalkTooLong {
                    traversal: traversal.name().to_owned(),
                    from: self.entity_name(start),
                    limit: MAX_WALK,
                }));
            }
        }
        Ok(first..self.walk.len())
    }

    fn mark_seen(&mut self, steps: std::ops::Range<usize>) {
        for step in self.walk.get(steps).unwrap_or_default() {
            if !step.via_only {
                self.seen.insert(step.entity);
            }
        }
    }

    /// Whether `element` of a walk is a waypoint rather than an entity to bind.
    pub(super) fn walk_waypoint(&self, collection: &Collection, element: usize) -> bool {
        matches!(collection, Collection::Walk { .. })
            && self.walk.get(element).is_some_and(|s| s.via_only)
    }

    /// Appends the relations of `entity` that hold on the decision day and lead somewhere new,
    /// and with `derived` the members of its derived family.
    fn expand(
        &mut self,
        entity: EntityIndex,
        parent: u32,
        traversal: Traversal,
        level: u8,
        deep: bool,
        derived: bool,
    ) -> Result<(), EvalError> {
        for &(kind, direction) in traversal.steps() {
            let edges = self.facts.neighbours(entity, kind, direction);
            self.spend(edges.len())?;
            for edge in edges {
                let live = if traversal.historic() {
                    self.ended(edge.relation)
                } else {
                    self.holds(edge.relation)
                };
                if live && (!deep || !self.seen.contains(edge.other)) {
                    self.push_step(edge.other, edge.relation, parent, level, false);
                }
            }
        }
        match traversal {
            _ if !derived => {}
            Traversal::Sisters => {
                self.expand_siblings(entity, parent, level, deep, Family::Parent)?
            }
            Traversal::CoControlled => {
                self.expand_siblings(entity, parent, level, deep, Family::Controller)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Sister companies derived from a common parent: up one `owns` or `controls` relation to a
    /// parent holding a majority or control (a waypoint), then down another such relation to each
    /// other child. A shared minority shareholder or a shared manager is not a parent. With
    /// `Family::Controller`, the entities sharing any controller (`co_controlled`).
    fn expand_siblings(
        &mut self,
        entity: EntityIndex,
        parent: u32,
        level: u8,
        deep: bool,
        family: Family,
    ) -> Result<(), EvalError> {
        let kinds: &[RelationKind] = match family {
            Family::Parent => &[RelationKind::Owns, RelationKind::Controls],
            Family::Controller => &[RelationKind::Controls],
        };
        for &up_kind in kinds {
            for up in self.facts.neighbours(entity, up_kind, Direction::Incoming) {
                if !self.links_family(up.relation, family) {
                    continue;
                }
                let waypoint = u32::try_from(self.walk.len()).unwrap_or(u32::MAX);
                self.push_step(up.other, up.relation, parent, level, true);
                for &down_kind in kinds {
                    let children = self
                        .facts
                        .neighbours(up.other, down_kind, Direction::Outgoing);
                    self.spend(children.len())?;
                    for down in children {
                        let sibling = down.other;
                        let new = sibling != entity && (!deep || !self.seen.contains(sibling));
                        if new && self.links_family(down.relation, family) {
                            self.push_step(sibling, down.relation, waypoint, level, false);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether `relation` has ended on or before the decision day.
    fn ended(&self, relation: RelationIndex) -> bool {
        self.facts
            .relation(relation)
            .and_then(|r| r.end)
            .is_some_and(|end| end <= self.as_of)
    }

    /// Whether `relation` links a family member to the shared parent or controller on the
    /// decision day.
    fn links_family(&self, relation: RelationIndex, family: Family) -> bool {
        self.facts.relation(relation).is_some_and(|r| {
            let kind_fits = match family {
                Family::Parent => r.makes_parent(),
                Family::Controller => r.kind == RelationKind::Controls,
            };
            kind_fits && r.holds_on(self.as_of)
        })
    }

    fn holds(&self, relation: RelationIndex) -> bool {
        self.facts
            .relation(relation)
            .is_some_and(|r| r.holds_on(self.as_of))
    }

    fn push_step(
        &mut self,
        entity: EntityIndex,
        relation: RelationIndex,
        parent: u32,
        depth: u8,
        via_only: bool,
    ) {
        self.walk.push(Step {
            entity,
            relation,
            parent,
            depth,
            via_only,
        });
    }
}

/// Whom a derived family shares: a parent holding a majority or control (sister companies), or
/// any controller, a manager included (`co_controlled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Parent,
    Controller,
}

/// The entities a walk has met. Most walks meet a handful, where scanning a short list beats
/// hashing; past `SMALL` entries it switches to a hash set so a large walk stays linear.
#[derive(Debug, Default)]
pub(super) struct VisitedSet {
    small: Vec<EntityIndex>,
    large: HashSet<EntityIndex>,
}

impl VisitedSet {
    const SMALL: usize = 32;

    fn clear(&mut self) {
        self.small.clear();
        self.large.clear();
    }

    #[inline]
    fn contains(&self, entity: EntityIndex) -> bool {
        if self.large.is_empty() {
            self.small.contains(&entity)
        } else {
            self.large.contains(&entity)
        }
    }

    /// Adds `entity`; true if it was not there.
    #[inline]
    fn insert(&mut self, entity: EntityIndex) -> bool {
        if self.contains(entity) {
            return false;
        }
        if self.large.is_empty() && self.small.len() < Self::SMALL {
            self.small.push(entity);
        } else {
            self.large.extend(self.small.drain(..));
            self.large.insert(entity);
        }
        true
    }
}
