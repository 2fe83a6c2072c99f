//! Who is blocked, under one jurisdiction's rules, on one day: designated parties, the entities
//! they own (OFAC's 50 % rule and its EU and UK counterparts), and, where the regime says so, the
//! entities they control.
//!
//! The computation runs forward from the designated roots through ownership edges, so its cost is
//! the part of the graph below designated parties, not the whole store, and it ends on cyclic
//! cross-holdings because an entity is blocked at most once. Results are cached per regime and
//! epoch ([`super::BlockedSets`], held by a store or a batch) so payments on one day share one
//! computation.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use super::PositionMap;
use std::sync::Arc;

use super::{ControlBasis, Direction, EntityIndex, Facts, RelationIndex, RelationKind};
use crate::date::Date;

/// How a jurisdiction treats ownership and control; a setting declared in policy text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Regime {
    /// The jurisdiction code, such as `US`.
    pub code: String,
    /// The lists whose designations it reads, such as `OFAC-SDN`; sorted.
    pub lists: Vec<String>,
    /// The ownership threshold in hundredths of a percent (5000 = 50 %).
    pub threshold_hundredths: u32,
    /// Whether a stake equal to the threshold blocks ("50 % or more") or must exceed it.
    pub inclusive: bool,
    /// Whether the stakes of different blocked owners add up (US, EU) or one designated person
    /// must hold them, directly or through entities it holds a majority of (UK).
    pub aggregate: bool,
    /// Whether control by a blocked person blocks (EU, UK) or is only a red flag (US).
    pub control_blocks: bool,
    /// Countries and regions it embargoes (ISO 3166 codes), sorted; rules read them as `embargoed`.
    pub embargoes: Vec<String>,
    /// First day this version of the settings is in force (a regime may have several versions).
    pub valid_from: Option<Date>,
    /// First day it is no longer in force.
    pub valid_until: Option<Date>,
    /// The law or guidance this version follows, cited where it is applied.
    pub citations: Vec<String>,
    // Issue 10: typed control, significant minority stakes, joint arrangements.
    /// Where control blocks: the bases of control that freeze, sorted (the EU Best Practices'
    /// and OFSI's criteria). Control on another basis, a management role say, does not block.
    pub control_criteria: Vec<ControlBasis>,
    /// The stake of a blocked owner, in hundredths of a percent, that warrants review although
    /// it does not block (OFAC FAQ 398), when the jurisdiction sets one.
    pub significant_minority_hundredths: Option<u32>,
    /// Whether designated persons stated to act jointly (`acts_jointly_with`) count as one
    /// holder in a per-person regime (OFSI's guidance on joint arrangements).
    pub joint_arrangements: bool,
}

impl Regime {
    /// Whether this version of the settings is in force on `day`.
    pub fn in_force_on(&self, day: Date) -> bool {
        self.valid_from.is_none_or(|from| from <= day)
            && self.valid_until.is_none_or(|until| day < until)
    }

    /// The threshold as a percentage.
    pub fn threshold(&self) -> f64 {
        f64::from(self.threshold_hundredths) / 100.0
    }

    /// Whether `total` percent reaches the threshold. A hundredth of a percent of tolerance
    /// absorbs floating-point noise in sums such as 10 + 40.
    pub fn reached_by(&self, total: f64) -> bool {
        let threshold = self.threshold();
        if self.inclusive {
            total >= threshold - 1e-6
        } else {
            total > threshold + 1e-6
        }
    }

    /// Whether blocked owners holding `stakes` (one figure per owner) block the entity they hold:
    /// the stakes add up where the regime aggregates them (US, EU); otherwise one owner must
    /// reach the threshold alone (UK), as each stands for a different designated person.
    pub fn blocks_with(&self, stakes: impl IntoIterator<Item = f64>) -> bool {
        let stakes = stakes.into_iter();
        let held = if self.aggregate {
            stakes.sum()
        } else {
            stakes.fold(0.0, f64::max)
        };
        self.reached_by(held)
    }

    /// The control criteria a jurisdiction uses when it does not list them: every basis but a
    /// management role.
    pub fn default_control_criteria() -> Vec<ControlBasis> {
        ControlBasis::ALL
            .into_iter()
            .filter(|b| *b != ControlBasis::ManagementRole)
            .collect()
    }

    /// Whether control resting on `basis` freezes under this regime.
    pub fn control_freezes_on(&self, basis: ControlBasis) -> bool {
        self.control_blocks && self.control_criteria.binary_search(&basis).is_ok()
    }

    /// The significant-minority stake as a percentage, when set.
    pub fn significant_minority(&self) -> Option<f64> {
        self.significant_minority_hundredths
            .map(|h| f64::from(h) / 100.0)
    }

    /// Whether the regime reads `list`.
    pub fn reads(&self, list: &str) -> bool {
        self.lists
            .binary_search_by(|l| l.as_str().cmp(list))
            .is_ok()
    }
}

/// One blocked owner's stake in an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Stake {
    /// The owner.
    pub owner: EntityIndex,
    /// The stake counted: the highest one reported for this owner.
    pub percent: f64,
    /// The relation that reports it.
    pub relation: RelationIndex,
    /// Every relation reporting a stake of this owner in this entity, with its percentage, when
    /// sources disagree or one gives no figure.
    pub reported: Vec<(RelationIndex, Option<f64>)>,
}

/// Why an entity is blocked.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Basis {
    /// It is on a list the regime reads.
    Designated,
    /// Blocked owners hold enough of it.
    Owned {
        /// Every blocked owner's stake; the first `witnesses` of them were blocked before this
        /// entity and reach the threshold on their own, so a derivation need only follow them.
        stakes: Vec<Stake>,
        /// How many of `stakes` make the witness set.
        witnesses: usize,
        /// The sum of all the stakes.
        total: f64,
        /// For a per-person regime: the `acts_jointly_with` relations that made the stakes of
        /// several designated persons count as one holding; empty when one person holds them.
        joint: Vec<RelationIndex>,
    },
    /// A blocked person controls it, and the regime blocks control.
    Controlled {
        /// The controller.
        controller: EntityIndex,
        /// The `controls` relation.
        relation: RelationIndex,
    },
}

/// The blocked entities of one regime on one day: computed whole, or kept in a cache as the
/// entries that differ from a first set of the same regime (see [`super::BlockedSets`]).
#[derive(Debug, Default)]
pub struct Blocked {
    status: PositionMap<Basis>,
    unknown_stakes: PositionMap<Vec<RelationIndex>>,
    /// Entities a blocked person controls without the facts saying on what basis, where the
    /// regime freezes on some bases only: whether they are frozen cannot be told.
    unknown_control: PositionMap<Vec<RelationIndex>>,
    /// Entities that could be blocked if an unknown stake were large enough, with that stake.
    uncertain: PositionMap<RelationIndex>,
    /// For the aggregated regimes: how many ownership steps from a designated root each entity
    /// was blocked at, which orders witnesses so derivations are short and well-founded. Needed
    /// only while the set is computed, and dropped then.
    rank: PositionMap<u32>,
    /// For a set kept as differences: the whole set they are over, and the entities whose
    /// entries here replace that set's (an entity here with no entry is not blocked here).
    base: Option<(Arc<Blocked>, PositionSet)>,
    /// For a set kept as differences: how many entities are blocked.
    count: usize,
}

/// A set of entity positions, hashed as [`PositionMap`] keys are.
type PositionSet = HashSet<EntityIndex, std::hash::BuildHasherDefault<super::PositionHasher>>;

impl Blocked {
    /// Roughly the heap memory the set holds: what the cache of blocked sets is bounded by. A
    /// set of differences counts its own entries, not the set they are over.
    pub fn approximate_bytes(&self) -> usize {
        use std::mem::size_of;
        // A hash map entry costs its key and value plus about a control byte and spare capacity.
        let entry = |value: usize| size_of::<EntityIndex>() + value + 8;
        let stakes: usize = self
            .status
            .values()
            .map(|basis| match basis {
                Basis::Owned { stakes, joint, .. } => {
                    stakes.len() * size_of::<Stake>()
                        + stakes
                            .iter()
                            .map(|s| s.reported.len() * size_of::<(RelationIndex, Option<f64>)>())
                            .sum::<usize>()
                        + joint.len() * size_of::<RelationIndex>()
                }
                Basis::Designated | Basis::Controlled { .. } => 0,
            })
            .sum();
        let lists: usize = self
            .unknown_stakes
            .values()
            .chain(self.unknown_control.values())
            .map(|r| r.len() * size_of::<RelationIndex>() + entry(size_of::<Vec<RelationIndex>>()))
            .sum();
        let replaced = self.base.as_ref().map_or(0, |(_, replaced)| replaced.len());
        self.status.len() * entry(size_of::<Basis>())
            + stakes
            + lists
            + self.uncertain.len() * entry(size_of::<RelationIndex>())
            + self.rank.len() * entry(size_of::<u32>())
            + replaced * entry(0)
    }

    /// The set that holds `entity`'s entries: this one, or the whole set it differs from.
    fn holding(&self, entity: EntityIndex) -> &Blocked {
        match &self.base {
            Some((base, replaced)) if !replaced.contains(&entity) => base,
            _ => self,
        }
    }

    /// Why `entity` is blocked, or `None` if it is not.
    pub fn basis(&self, entity: EntityIndex) -> Option<&Basis> {
        self.holding(entity).status.get(&entity)
    }

    /// Stakes held in `entity` by blocked owners whose percentage is not given.
    pub fn unknown_stakes(&self, entity: EntityIndex) -> &[RelationIndex] {
        self.holding(entity)
            .unknown_stakes
            .get(&entity)
            .map_or(&[], Vec::as_slice)
    }

    /// For an entity that is not blocked on the known stakes but could be, directly or through
    /// its owners, the unknown stake it depends on.
    pub fn uncertain(&self, entity: EntityIndex) -> Option<RelationIndex> {
        self.holding(entity).uncertain.get(&entity).copied()
    }

    /// How many entities are blocked.
    pub fn len(&self) -> usize {
        match self.base {
            Some(_) => self.count,
            None => self.status.len(),
        }
    }

    /// Whether nothing is blocked.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// This whole set as differences from `first`, a whole set of the same regime: the entries
    /// of each entity they disagree on, and nothing else. Answers exactly as `self` does.
    pub(super) fn changes_from(&self, first: &Arc<Blocked>) -> Blocked {
        let keys = |set: &Blocked| {
            let mut keys: PositionSet = set.status.keys().copied().collect();
            keys.extend(set.unknown_stakes.keys());
            keys.extend(set.unknown_control.keys());
            keys.extend(set.uncertain.keys());
            keys
        };
        let mut entities = keys(self);
        entities.extend(keys(first));
        let replaced: PositionSet = entities
            .into_iter()
            .filter(|&entity| !self.same_entries(first, entity))
            .collect();
        fn only<V: Clone>(map: &PositionMap<V>, replaced: &PositionSet) -> PositionMap<V> {
            replaced
                .iter()
                .filter_map(|entity| Some((*entity, map.get(entity)?.clone())))
                .collect()
        }
        Blocked {
            status: only(&self.status, &replaced),
            unknown_stakes: only(&self.unknown_stakes, &replaced),
            unknown_control: only(&self.unknown_control, &replaced),
            uncertain: only(&self.uncertain, &replaced),
            rank: PositionMap::default(),
            base: Some((Arc::clone(first), replaced)),
            count: self.len(),
        }
    }

    /// Whether two whole sets say the same of `entity`.
    fn same_entries(&self, other: &Blocked, entity: EntityIndex) -> bool {
        self.status.get(&entity) == other.status.get(&entity)
            && self.unknown_stakes.get(&entity) == other.unknown_stakes.get(&entity)
            && self.unknown_control.get(&entity) == other.unknown_control.get(&entity)
            && self.uncertain.get(&entity) == other.uncertain.get(&entity)
    }

    /// Whether this set is kept as differences.
    pub(super) fn is_changes(&self) -> bool {
        self.base.is_some()
    }

    /// Whether this set is kept as differences from `first` itself.
    pub(super) fn changes_over(&self, first: &Arc<Blocked>) -> bool {
        self.base
            .as_ref()
            .is_some_and(|(base, _)| Arc::ptr_eq(base, first))
    }
}

impl Facts {
    /// How many dates on which a designation or relation starts or ends fall on or before `day`:
    /// two days with the same epoch see exactly the same designations and relations in force.
    pub fn epoch(&self, day: Date) -> usize {
        self.change_days.partition_point(|changed| *changed <= day)
    }

    /// Computes the blocked set without the cache.
    pub fn compute_blocked(&self, regime: &Regime, day: Date) -> Blocked {
        let roots = self.designated_roots(regime, day);
        let mut blocked = Blocked::default();
        for &root in &roots {
            blocked.status.insert(root, Basis::Designated);
        }
        if regime.aggregate {
            self.propagate_aggregated(regime, day, roots, &mut blocked);
        } else {
            for &root in &roots {
                self.propagate_from_person(regime, day, &[root], &[], &mut blocked);
            }
            if regime.joint_arrangements {
                for (members, joint) in self.joint_groups(day, &roots) {
                    self.propagate_from_person(regime, day, &members, &joint, &mut blocked);
                }
            }
        }
        let status = &blocked.status;
        blocked
            .unknown_stakes
            .retain(|entity, _| !status.contains_key(entity));
        blocked
            .unknown_control
            .retain(|entity, _| !status.contains_key(entity));
        for relations in blocked
            .unknown_stakes
            .values_mut()
            .chain(blocked.unknown_control.values_mut())
        {
            relations.sort_unstable();
            relations.dedup();
        }
        self.propagate_uncertainty(regime, day, &mut blocked);
        blocked.rank = PositionMap::default();
        blocked
    }

    /// Entities that are not blocked on the known stakes but would be if an unknown stake were
    /// large enough: those a blocked owner holds without a figure, and, below them, those that
    /// would be blocked if each unknown stake were 100 %. Each remembers one unknown stake it
    /// depends on, which `is blocked` names when it fails closed.
    fn propagate_uncertainty(&self, regime: &Regime, day: Date, blocked: &mut Blocked) {
        let mut cause: PositionMap<RelationIndex> = blocked
            .unknown_control
            .iter()
            .chain(&blocked.unknown_stakes)
            .filter_map(|(entity, relations)| Some((*entity, *relations.first()?)))
            .collect();
        let mut queue: VecDeque<EntityIndex> = {
            let mut seeds: Vec<EntityIndex> = cause.keys().copied().collect();
            seeds.sort_unstable();
            seeds.into()
        };
        while let Some(holder) = queue.pop_front() {
            let Some(&because) = cause.get(&holder) else {
                continue;
            };
            for (asset, _, _) in self.holdings_on(holder, RelationKind::Owns, day) {
                if blocked.status.contains_key(&asset) || cause.contains_key(&asset) {
                    continue;
                }
                if regime.reached_by(self.upper_bound(asset, day, blocked, &cause)) {
                    cause.insert(asset, because);
                    queue.push_back(asset);
                }
            }
            if regime.control_blocks {
                for (asset, relation, _) in self.holdings_on(holder, RelationKind::Controls, day) {
                    let may_freeze = self.control_test(regime, relation) != ControlTest::Not;
                    if may_freeze
                        && !blocked.status.contains_key(&asset)
                        && !cause.contains_key(&asset)
                    {
                        cause.insert(asset, because);
                        queue.push_back(asset);
                    }
                }
            }
        }
        blocked.uncertain = cause;
    }

    /// The most that blocked and possibly blocked owners could hold of `asset`: each owner's
    /// highest report, an unknown figure counted as 100 %.
    fn upper_bound(
        &self,
        asset: EntityIndex,
        day: Date,
        blocked: &Blocked,
        cause: &PositionMap<RelationIndex>,
    ) -> f64 {
        let mut by_owner: BTreeMap<EntityIndex, f64> = BTreeMap::new();
        for edge in self.neighbours(asset, RelationKind::Owns, Direction::Incoming) {
            let Some(relation) = self.relation(edge.relation).filter(|r| r.holds_on(day)) else {
                continue;
            };
            if blocked.status.contains_key(&edge.other) || cause.contains_key(&edge.other) {
                let stake = by_owner.entry(edge.other).or_insert(0.0);
                *stake = stake.max(relation.percent.unwrap_or(100.0));
            }
        }
        by_owner.values().sum()
    }

    /// Entities with an asset freeze in force on `day` on a list the regime reads, in store order.
    /// A travel ban, a sectoral directive or a non-SDN listing does not block.
    fn designated_roots(&self, regime: &Regime, day: Date) -> Vec<EntityIndex> {
        let mut roots: Vec<EntityIndex> = self
            .designations
            .iter()
            .filter(|d| d.in_force_on(day) && d.blocks() && regime.reads(&d.list))
            .map(|d| d.entity)
            .collect();
        roots.sort_unstable();
        roots.dedup();
        roots
    }

    /// The `owns` (or `controls`) relations from `holder` that hold on `day`.
    fn holdings_on(
        &self,
        holder: EntityIndex,
        kind: RelationKind,
        day: Date,
    ) -> impl Iterator<Item = (EntityIndex, RelationIndex, Option<f64>)> + '_ {
        self.neighbours(holder, kind, Direction::Outgoing)
            .iter()
            .filter_map(move |edge| {
                let relation = self.relation(edge.relation)?;
                relation
                    .holds_on(day)
                    .then_some((edge.other, edge.relation, relation.percent))
            })
    }

    /// US and EU: stakes of every blocked owner add up; a newly blocked entity counts as an owner
    /// in turn, so indirect ownership runs only through blocked entities and nothing multiplies.
    fn propagate_aggregated(
        &self,
        regime: &Regime,
        day: Date,
        roots: Vec<EntityIndex>,
        blocked: &mut Blocked,
    ) {
        let mut best: HashMap<EntityIndex, Held> = HashMap::new();
        blocked.rank.extend(roots.iter().map(|root| (*root, 0)));
        let mut queue: VecDeque<EntityIndex> = roots.into();
        while let Some(owner) = queue.pop_front() {
            let next_rank = blocked.rank.get(&owner).map_or(0, |r| r + 1);
            for (asset, relation, percent) in self.holdings_on(owner, RelationKind::Owns, day) {
                if blocked.status.contains_key(&asset) {
                    continue;
                }
                if add_stake(&mut best, blocked, owner, asset, relation, percent, regime) {
                    // The witnesses are filled in once the fixpoint is known.
                    let placeholder = Basis::Owned {
                        stakes: Vec::new(),
                        witnesses: 0,
                        total: 0.0,
                        joint: Vec::new(),
                    };
                    blocked.status.insert(asset, placeholder);
                    blocked.rank.insert(asset, next_rank);
                    queue.push_back(asset);
                }
            }
            self.propagate_control(regime, day, owner, blocked, &mut queue);
        }
        self.explain_aggregated(regime, day, blocked);
    }

    /// Under a regime where control blocks, entities controlled by `controller` are blocked too.
    fn propagate_control(
        &self,
        regime: &Regime,
        day: Date,
        controller: EntityIndex,
        blocked: &mut Blocked,
        queue: &mut VecDeque<EntityIndex>,
    ) {
        if !regime.control_blocks {
            return;
        }
        let rank = blocked.rank.get(&controller).map_or(0, |r| r + 1);
        for (asset, relation, _) in self.holdings_on(controller, RelationKind::Controls, day) {
            if !self.control_freezes(regime, relation, asset, blocked) {
                continue;
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = blocked.status.entry(asset) {
                slot.insert(Basis::Controlled {
                    controller,
                    relation,
                });
                // Ranked like an owned entity, so witnesses below it lead back to its controller.
                blocked.rank.insert(asset, rank);
                queue.push_back(asset);
            }
        }
    }

    /// How `relation`, a `controls` relation, stands under the regime's control criteria.
    fn control_test(&self, regime: &Regime, relation: RelationIndex) -> ControlTest {
        match self.relation(relation).and_then(|r| r.basis) {
            Some(basis) if regime.control_freezes_on(basis) => ControlTest::Freezes,
            Some(_) => ControlTest::Not,
            None if regime.control_blocks => ControlTest::Unknown,
            None => ControlTest::Not,
        }
    }

    /// Whether control through `relation` freezes `asset`; control whose basis the facts do not
    /// state is remembered, so that `is blocked` fails closed on it rather than guess.
    fn control_freezes(
        &self,
        regime: &Regime,
        relation: RelationIndex,
        asset: EntityIndex,
        blocked: &mut Blocked,
    ) -> bool {
        match self.control_test(regime, relation) {
            ControlTest::Freezes => true,
            ControlTest::Unknown => {
                blocked
                    .unknown_control
                    .entry(asset)
                    .or_default()
                    .push(relation);
                false
            }
            ControlTest::Not => false,
        }
    }

    /// Fills in the witnesses of ownership blocks once the fixpoint is known: every blocked owner,
    /// not only those blocked when the threshold was first reached.
    fn explain_aggregated(&self, regime: &Regime, day: Date, blocked: &mut Blocked) {
        let owned: Vec<EntityIndex> = blocked
            .status
            .iter()
            .filter(|(_, b)| matches!(b, Basis::Owned { .. }))
            .map(|(e, _)| *e)
            .collect();
        for asset in owned {
            let stakes = self.stakes_in(asset, day, |owner| blocked.status.contains_key(&owner));
            let total = stakes.iter().map(|s| s.percent).sum();
            let (stakes, witnesses) = witnesses_first(regime, stakes, &blocked.rank, asset);
            blocked.status.insert(
                asset,
                Basis::Owned {
                    stakes,
                    witnesses,
                    total,
                    joint: Vec::new(),
                },
            );
        }
    }

    /// The stakes in `asset` on `day` held by owners for which `blocked` holds, one per owner
    /// (the highest reported), largest first: what a blocked minority holds of an entity.
    pub fn blocked_owner_stakes(
        &self,
        asset: EntityIndex,
        day: Date,
        blocked: impl Fn(EntityIndex) -> bool,
    ) -> Vec<Stake> {
        self.stakes_in(asset, day, blocked)
    }

    /// The stakes in `asset` held by owners for which `counts` holds, one per owner (the highest
    /// reported), largest first.
    fn stakes_in(
        &self,
        asset: EntityIndex,
        day: Date,
        counts: impl Fn(EntityIndex) -> bool,
    ) -> Vec<Stake> {
        let mut by_owner: BTreeMap<EntityIndex, Stake> = BTreeMap::new();
        for edge in self.neighbours(asset, RelationKind::Owns, Direction::Incoming) {
            let Some(relation) = self.relation(edge.relation).filter(|r| r.holds_on(day)) else {
                continue;
            };
            if !counts(edge.other) {
                continue;
            }
            let stake = by_owner.entry(edge.other).or_insert_with(|| Stake {
                owner: edge.other,
                percent: 0.0,
                relation: edge.relation,
                reported: Vec::new(),
            });
            stake.reported.push((edge.relation, relation.percent));
            if let Some(percent) = relation.percent
                && percent > stake.percent
            {
                stake.percent = percent;
                stake.relation = edge.relation;
            }
        }
        let mut stakes: Vec<Stake> = by_owner.into_values().collect();
        stakes.sort_by(|a, b| b.percent.total_cmp(&a.percent).then(a.owner.cmp(&b.owner)));
        stakes
    }

    /// UK, joint arrangements: designated persons stated to act jointly (`acts_jointly_with`,
    /// followed through other designated persons only), each group with the relations that join
    /// it; groups of one are left out, as each person is propagated alone anyway.
    fn joint_groups(
        &self,
        day: Date,
        roots: &[EntityIndex],
    ) -> Vec<(Vec<EntityIndex>, Vec<RelationIndex>)> {
        let designated: HashSet<EntityIndex> = roots.iter().copied().collect();
        let mut placed: HashSet<EntityIndex> = HashSet::new();
        let mut groups = Vec::new();
        for &root in roots {
            if !placed.insert(root) {
                continue;
            }
            let (mut members, mut relations) = (vec![root], Vec::new());
            let mut queue = VecDeque::from([root]);
            while let Some(member) = queue.pop_front() {
                for direction in [Direction::Outgoing, Direction::Incoming] {
                    for edge in self.neighbours(member, RelationKind::ActsJointlyWith, direction) {
                        let holds = self
                            .relation(edge.relation)
                            .is_some_and(|r| r.holds_on(day));
                        if holds && designated.contains(&edge.other) {
                            relations.push(edge.relation);
                            if placed.insert(edge.other) {
                                members.push(edge.other);
                                queue.push_back(edge.other);
                            }
                        }
                    }
                }
            }
            if members.len() > 1 {
                relations.sort_unstable();
                relations.dedup();
                groups.push((members, relations));
            }
        }
        groups
    }

    /// UK: one designated person's holdings, direct and through entities it holds a majority of,
    /// are added up; different designated persons' stakes are not, unless they act jointly
    /// (`members` then holds them all, and `joint` the relations that say so).
    fn propagate_from_person(
        &self,
        regime: &Regime,
        day: Date,
        members: &[EntityIndex],
        joint: &[RelationIndex],
        blocked: &mut Blocked,
    ) {
        let mut group: HashSet<EntityIndex> = members.iter().copied().collect();
        let mut held: HashMap<EntityIndex, Held> = HashMap::new();
        let mut queue: VecDeque<EntityIndex> = members.iter().copied().collect();
        while let Some(holder) = queue.pop_front() {
            for (asset, relation, percent) in self.holdings_on(holder, RelationKind::Owns, day) {
                if group.contains(&asset) {
                    continue;
                }
                if add_stake(&mut held, blocked, holder, asset, relation, percent, regime) {
                    group.insert(asset);
                    queue.push_back(asset);
                    if let std::collections::hash_map::Entry::Vacant(slot) =
                        blocked.status.entry(asset)
                    {
                        let stakes = self.stakes_in(asset, day, |owner| group.contains(&owner));
                        let total = stakes.iter().map(|s| s.percent).sum();
                        let witnesses = stakes.len();
                        slot.insert(Basis::Owned {
                            stakes,
                            witnesses,
                            total,
                            joint: joint.to_vec(),
                        });
                    }
                }
            }
            if regime.control_blocks {
                for (asset, relation, _) in self.holdings_on(holder, RelationKind::Controls, day) {
                    if !self.control_freezes(regime, relation, asset, blocked) {
                        continue;
                    }
                    if group.insert(asset) {
                        queue.push_back(asset);
                        blocked.status.entry(asset).or_insert(Basis::Controlled {
                            controller: holder,
                            relation,
                        });
                    }
                }
            }
        }
    }
}

/// What a `controls` relation does under a regime's control criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ControlTest {
    /// Its basis is one the regime freezes on.
    Freezes,
    /// Its basis is not stated, and the regime freezes on some bases.
    Unknown,
    /// The regime does not freeze on it.
    Not,
}

/// Orders `stakes` so that the owners blocked before `asset` (nearest the roots first, then the
/// largest stakes) come first, and counts how many of them reach the threshold.
fn witnesses_first(
    regime: &Regime,
    mut stakes: Vec<Stake>,
    rank: &PositionMap<u32>,
    asset: EntityIndex,
) -> (Vec<Stake>, usize) {
    let own_rank = rank.get(&asset).copied().unwrap_or(u32::MAX);
    let rank_of = |owner: EntityIndex| rank.get(&owner).copied().unwrap_or(u32::MAX);
    stakes.sort_by(|a, b| {
        let later = |s: &Stake| rank_of(s.owner) >= own_rank;
        later(a)
            .cmp(&later(b))
            .then(b.percent.total_cmp(&a.percent))
            .then(rank_of(a.owner).cmp(&rank_of(b.owner)))
            .then(a.owner.cmp(&b.owner))
    });
    let mut sum = 0.0;
    let mut witnesses = stakes.len();
    for (count, stake) in stakes.iter().enumerate() {
        sum += stake.percent;
        if regime.reached_by(sum) {
            witnesses = count + 1;
            break;
        }
    }
    (stakes, witnesses)
}

/// The stakes counted so far in one asset: the highest reported per holder, and their total,
/// kept as they change so that each new owner costs one step, not a sum over all owners before
/// it (100,000 small owners of one asset were 5 billion additions).
#[derive(Debug, Default)]
struct Held {
    by_holder: BTreeMap<EntityIndex, f64>,
    total: f64,
}

impl Held {
    /// Raises `holder`'s stake to `percent` if higher; the new total.
    fn raise(&mut self, holder: EntityIndex, percent: f64) -> f64 {
        let stake = self.by_holder.entry(holder).or_insert(0.0);
        if percent > *stake {
            self.total += percent - *stake;
            *stake = percent;
        }
        self.total
    }

    /// The total added in holder order, as [`Basis::Owned`] states it: the running total may
    /// differ from it in the last bits, which matters only right at the threshold.
    fn exact_total(&self) -> f64 {
        self.by_holder.values().sum()
    }
}

/// Counts `holder`'s stake in `asset` (the highest reported, once per holder), or records it as
/// unknown when the relation gives no percentage; true when the stakes counted reach the threshold.
fn add_stake(
    stakes: &mut HashMap<EntityIndex, Held>,
    blocked: &mut Blocked,
    holder: EntityIndex,
    asset: EntityIndex,
    relation: RelationIndex,
    percent: Option<f64>,
    regime: &Regime,
) -> bool {
    let Some(percent) = percent else {
        blocked
            .unknown_stakes
            .entry(asset)
            .or_default()
            .push(relation);
        return false;
    };
    let held = stakes.entry(asset).or_default();
    let total = held.raise(holder, percent);
    // Near the threshold the running total is checked against the sum in holder order, so the
    // decision does not depend on the order owners were met in.
    if (total - regime.threshold()).abs() < 1e-3 {
        return regime.reached_by(held.exact_total());
    }
    regime.reached_by(total)
}
