//! The named ways a policy walks from an entity to related entities (`p.owners`, `p.sisters`...).

use super::records::RelationKind;

/// Which end of a relation the walk starts from.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// From `from` to `to`.
    Outgoing,
    /// From `to` back to `from`.
    Incoming,
}

/// A named walk over relations, as written after a dot in a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Traversal {
    /// Who owns the entity (`owns`, incoming).
    Owners,
    /// What the entity owns (`owns`, outgoing).
    Holdings,
    /// Who controls the entity.
    Controllers,
    /// What the entity controls.
    Controlled,
    /// Its directors.
    Directors,
    /// The companies it is a director of.
    Directorships,
    /// Its directors and controllers together: the people who can sign for it.
    Officers,
    /// Its sister companies: stated (`sister_of`), or sharing a parent that holds a majority of
    /// both or controls both on a basis other than a management role.
    Sisters,
    /// The people and bodies behind it: its creators, directors, controllers and employees —
    /// where a front of a designated network shows itself.
    Insiders,
    /// Entities linked to it in other stated ways.
    Links,
    /// Who employs it.
    Employers,
    /// Whom it employs.
    Employees,
    /// Who created it.
    Creators,
    /// What it created.
    Creations,
    /// Who owned the entity before: `owns` relations that ended on or before the decision day,
    /// for transfers that OFAC treats as void when made after the owner's designation.
    FormerOwners,
    /// Who signed for it (`signatory_of`, incoming): the fact OFAC FAQ 400 turns on.
    Signatories,
    /// The entities that share a controller with it, on any basis (a shared manager included):
    /// not sisters, but one person's reach.
    CoControlled,
}

const ALL: [Traversal; 17] = [
    Traversal::Owners,
    Traversal::Holdings,
    Traversal::Controllers,
    Traversal::Controlled,
    Traversal::Directors,
    Traversal::Directorships,
    Traversal::Officers,
    Traversal::Sisters,
    Traversal::Insiders,
    Traversal::Links,
    Traversal::Employers,
    Traversal::Employees,
    Traversal::Creators,
    Traversal::Creations,
    Traversal::FormerOwners,
    Traversal::Signatories,
    Traversal::CoControlled,
];

impl Traversal {
    /// Every traversal, for name lookup and suggestions.
    pub fn all() -> &'static [Traversal] {
        &ALL
    }

    /// The traversal named `name` in a policy.
    pub fn from_name(name: &str) -> Option<Traversal> {
        ALL.iter().copied().find(|t| t.name() == name)
    }

    /// Its name in the policy language.
    pub fn name(self) -> &'static str {
        match self {
            Traversal::Owners => "owners",
            Traversal::Holdings => "holdings",
            Traversal::Controllers => "controllers",
            Traversal::Controlled => "controlled",
            Traversal::Directors => "directors",
            Traversal::Directorships => "directorships",
            Traversal::Officers => "officers",
            Traversal::Sisters => "sisters",
            Traversal::Insiders => "insiders",
            Traversal::Links => "links",
            Traversal::Employers => "employers",
            Traversal::Employees => "employees",
            Traversal::Creators => "creators",
            Traversal::Creations => "creations",
            Traversal::FormerOwners => "former_owners",
            Traversal::Signatories => "signatories",
            Traversal::CoControlled => "co_controlled",
        }
    }

    /// The relation ends it follows, in order.
    pub fn steps(self) -> &'static [(RelationKind, Direction)] {
        use Direction::{Incoming, Outgoing};
        use RelationKind::*;
        match self {
            Traversal::Owners => &[(Owns, Incoming)],
            Traversal::Holdings => &[(Owns, Outgoing)],
            Traversal::Controllers => &[(Controls, Incoming)],
            Traversal::Controlled => &[(Controls, Outgoing)],
            Traversal::Directors => &[(DirectorOf, Incoming)],
            Traversal::Directorships => &[(DirectorOf, Outgoing)],
            Traversal::Officers => &[(DirectorOf, Incoming), (Controls, Incoming)],
            // The derived sisters (a common majority owner or controller) are added by the evaluator.
            Traversal::Sisters => &[(SisterOf, Outgoing), (SisterOf, Incoming)],
            Traversal::Insiders => &[
                (CreatedBy, Outgoing),
                (DirectorOf, Incoming),
                (Controls, Incoming),
                (Employs, Outgoing),
            ],
            Traversal::Links => &[(LinkedTo, Outgoing), (LinkedTo, Incoming)],
            Traversal::Employers => &[(Employs, Incoming)],
            Traversal::Employees => &[(Employs, Outgoing)],
            Traversal::Creators => &[(CreatedBy, Outgoing)],
            Traversal::Creations => &[(CreatedBy, Incoming)],
            Traversal::FormerOwners => &[(Owns, Incoming)],
            Traversal::Signatories => &[(SignatoryOf, Incoming)],
            // Added by the evaluator: up a `controls` relation to the controller, down another.
            Traversal::CoControlled => &[],
        }
    }

    /// Whether the walk follows relations that have ended by the decision day rather than those
    /// in force on it.
    pub fn historic(self) -> bool {
        self == Traversal::FormerOwners
    }
}
