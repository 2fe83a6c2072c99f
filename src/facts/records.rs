//! The facts interface other systems write to: entities, relations, designations and transactions,
//! exactly as they appear in a YAML or JSON facts file.
//!
//! Field names here are a contract (see DESIGN.md); fields may be added, never renamed. Unknown
//! fields are rejected so that a misspelt `delisted_on` cannot be silently ignored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::Date;

pub use super::identity::{Address, BirthDate, Gender, Identifier, IdentifierKind};

/// A whole facts file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FactsDocument {
    /// People, organisations, vessels and aircraft.
    #[serde(default, deserialize_with = "super::strict::records")]
    pub entities: Vec<EntityRecord>,
    /// Ownership, control and other links between entities.
    #[serde(default, deserialize_with = "super::strict::records")]
    pub relations: Vec<RelationRecord>,
    /// List entries: who is designated, by whom, under which programs.
    #[serde(default, deserialize_with = "super::strict::records")]
    pub designations: Vec<DesignationRecord>,
    /// Payments, invoices and contracts to decide.
    #[serde(default, deserialize_with = "super::strict::records")]
    pub transactions: Vec<TransactionRecord>,
    /// Licences a transaction may rely on (OFAC, OFSI, EU member-state authorities): each
    /// releases only the blocks about the parties, list entries and programs it covers.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::strict::records"
    )]
    pub licences: Vec<super::licences::LicenceRecord>,
    /// Exchange rates rules convert amounts at (`convert(transaction.amount, "USD")`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rates: Vec<RateRecord>,
    // Provenance (issue 11).
    /// The list snapshots imported into these facts, so every decision can name them.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::strict::records"
    )]
    pub snapshots: Vec<ListSnapshot>,
}

/// What sort of thing an entity is.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EntityKind {
    /// A natural person.
    Person,
    /// A company, agency or other body.
    Organization,
    /// A ship.
    Vessel,
    /// An aeroplane.
    Aircraft,
}

impl EntityKind {
    /// The word used in facts files and policies.
    pub fn keyword(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Vessel => "vessel",
            EntityKind::Aircraft => "aircraft",
        }
    }
}

/// One entity.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EntityRecord {
    /// Unique id within the facts.
    pub id: String,
    /// Person, organization, vessel or aircraft.
    pub kind: EntityKind,
    /// The primary name.
    pub name: String,
    /// Other names it is known by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Country of incorporation or residence (ISO 3166 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Nationality of a person (ISO 3166 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    /// Free-form facts a policy may test.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "super::strict::unique_keys"
    )]
    pub attributes: BTreeMap<String, AttributeValue>,
    // Identity beyond the name (issue 8): what screening compares to confirm or rule out a match.
    /// Date of birth of a person: a day, a month, a year or a range of years (`1960/1962`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<BirthDate>,
    /// Gender of a person: `male` or `female`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Passports, national ids, IMO and MMSI numbers, BIC, LEI, USCC, tax ids, crypto addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    /// Postal addresses, with their country.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    // Provenance (issue 11).
    /// Who says this entity exists as described, in which document, as of when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<FactSource>,
}

impl EntityRecord {
    /// An entity with its id, kind and name, and nothing else known about it yet.
    pub fn new(id: impl Into<String>, kind: EntityKind, name: impl Into<String>) -> EntityRecord {
        EntityRecord {
            id: id.into(),
            kind,
            name: name.into(),
            aliases: Vec::new(),
            country: None,
            nationality: None,
            attributes: BTreeMap::new(),
            birth_date: None,
            gender: None,
            identifiers: Vec::new(),
            addresses: Vec::new(),
            source: None,
        }
    }

    /// Sets the country of incorporation or residence (ISO 3166 alpha-2).
    pub fn with_country(mut self, code: impl Into<String>) -> EntityRecord {
        self.country = Some(code.into());
        self
    }

    /// Adds a passport, registration number, BIC or other identifier.
    pub fn with_identifier(mut self, identifier: Identifier) -> EntityRecord {
        self.identifiers.push(identifier);
        self
    }
}

/// The kinds of relation the engine understands.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RelationKind {
    /// `from` holds `percent` of `to`.
    Owns,
    /// `from` controls `to`, in `role` (CEO, board majority...).
    Controls,
    /// `from` is a director of `to`.
    DirectorOf,
    /// `from` and `to` are sister companies (symmetric).
    SisterOf,
    /// `from` and `to` are linked in some other stated way (symmetric).
    LinkedTo,
    /// `from` employs `to`.
    Employs,
    /// `from` was created by `to`.
    CreatedBy,
    /// `from` and `to` act together under a joint arrangement, or one controls how the other's
    /// rights are exercised (symmetric); OFSI adds up their holdings.
    ActsJointlyWith,
    /// `from` signed `to` (a contract, or for a company) on behalf of a party: the fact OFAC FAQ
    /// 400 turns on, which a directorship alone does not show.
    SignatoryOf,
}

impl RelationKind {
    /// The word used in facts files.
    pub fn keyword(self) -> &'static str {
        match self {
            RelationKind::Owns => "owns",
            RelationKind::Controls => "controls",
            RelationKind::DirectorOf => "director_of",
            RelationKind::SisterOf => "sister_of",
            RelationKind::LinkedTo => "linked_to",
            RelationKind::Employs => "employs",
            RelationKind::CreatedBy => "created_by",
            RelationKind::ActsJointlyWith => "acts_jointly_with",
            RelationKind::SignatoryOf => "signatory_of",
        }
    }
}

/// One stated relation between two entities.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RelationRecord {
    /// An id to cite in explanations; `r<N>` (N counted from 1 in file order) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What the relation is.
    pub kind: RelationKind,
    /// The owner, controller, director, employer, or created entity.
    pub from: String,
    /// The owned, controlled, directed, employed entity, or the creator.
    pub to: String,
    /// The stake, 0 to 100, for `owns`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    /// The position held, for `controls` and `director_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// First day the relation held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    /// First day it no longer held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
    // Issue 10: ownership and control as regulators read them.
    /// For `controls`: on what the control rests, which decides whether a regime freezes on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<ControlBasis>,
    // Provenance (issue 11).
    /// Who reported the relation, in which document, as of when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<FactSource>,
}

impl RelationRecord {
    /// A relation of `kind` from one entity to another, with nothing else stated yet; its id is
    /// given on load (`r<N>`) unless [`RelationRecord::with_id`] sets one.
    pub fn new(
        kind: RelationKind,
        from: impl Into<String>,
        to: impl Into<String>,
    ) -> RelationRecord {
        RelationRecord {
            id: None,
            kind,
            from: from.into(),
            to: to.into(),
            percent: None,
            role: None,
            start: None,
            end: None,
            basis: None,
            source: None,
        }
    }

    /// Sets the id explanations cite.
    pub fn with_id(mut self, id: impl Into<String>) -> RelationRecord {
        self.id = Some(id.into());
        self
    }

    /// Sets the stake, 0 to 100, of an `owns` relation.
    pub fn with_percent(mut self, percent: f64) -> RelationRecord {
        self.percent = Some(percent);
        self
    }

    /// Sets what a `controls` relation rests on, which decides whether a regime freezes on it.
    pub fn with_basis(mut self, basis: ControlBasis) -> RelationRecord {
        self.basis = Some(basis);
        self
    }

    /// Sets the days the relation held: from `start`, until the day before `end`.
    pub fn with_period(mut self, start: Option<Date>, end: Option<Date>) -> RelationRecord {
        self.start = start;
        self.end = end;
        self
    }
}

/// What a `controls` relation rests on. The EU Best Practices and OFSI's guidance freeze on the
/// first four; a management role alone (a CEO, a general manager) is a red flag for review.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ControlBasis {
    /// A majority of the voting rights.
    VotingMajority,
    /// The right to appoint or remove a majority of the board.
    BoardAppointment,
    /// Control under an agreement with other shareholders or under the articles.
    Agreement,
    /// De facto or dominant influence over the entity's affairs.
    DominantInfluence,
    /// A management position (CEO, general manager) without any of the above.
    ManagementRole,
}

impl ControlBasis {
    /// Every basis, in declaration order.
    pub const ALL: [ControlBasis; 5] = [
        ControlBasis::VotingMajority,
        ControlBasis::BoardAppointment,
        ControlBasis::Agreement,
        ControlBasis::DominantInfluence,
        ControlBasis::ManagementRole,
    ];

    /// The word used in facts files and jurisdiction settings.
    pub fn keyword(self) -> &'static str {
        match self {
            ControlBasis::VotingMajority => "voting_majority",
            ControlBasis::BoardAppointment => "board_appointment",
            ControlBasis::Agreement => "agreement",
            ControlBasis::DominantInfluence => "dominant_influence",
            ControlBasis::ManagementRole => "management_role",
        }
    }

    /// The basis named `word`.
    pub fn from_keyword(word: &str) -> Option<ControlBasis> {
        Self::ALL.into_iter().find(|b| b.keyword() == word)
    }

    /// The criterion in words, for memos.
    pub fn describe(self) -> &'static str {
        match self {
            ControlBasis::VotingMajority => "a majority of the voting rights",
            ControlBasis::BoardAppointment => {
                "the right to appoint or remove a majority of the board"
            }
            ControlBasis::Agreement => "control under an agreement",
            ControlBasis::DominantInfluence => "dominant influence",
            ControlBasis::ManagementRole => "a management role",
        }
    }
}

/// One list entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DesignationRecord {
    /// The designated entity's id.
    pub entity: String,
    /// The list: `OFAC-SDN`, `UN`, `EU`, `UK`, or another list's name.
    pub list: String,
    /// Program tags, such as `DPRK3`.
    #[serde(default)]
    pub programs: Vec<String>,
    /// The day the entry was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_on: Option<Date>,
    /// The day the entry was removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delisted_on: Option<Date>,
    /// The list's own reference, such as `SDN 24978`.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// What the listing imposes; an asset freeze when absent. Only an asset freeze blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<Measure>,
    /// For a sectoral listing, the directive that says what is restricted (`Directive 1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directive: Option<String>,
    // Provenance and listing dates (issue 11).
    /// The list snapshot (or other document) the entry was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<FactSource>,
    /// When `listed_on` is unknown: a day by which the entry was on the list (the publication
    /// date of the first snapshot that holds it). Before that day the entry may or may not have
    /// been in force, and a decision that relies on it goes to review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_by: Option<Date>,
    /// When `listed_on` is unknown: the last day the entry is known NOT to have been listed (the
    /// publication date of the latest earlier snapshot without it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unlisted_on: Option<Date>,
}

impl DesignationRecord {
    /// An entry for `entity` on `list` (an asset freeze, in force from a day not yet known).
    pub fn new(entity: impl Into<String>, list: impl Into<String>) -> DesignationRecord {
        DesignationRecord {
            entity: entity.into(),
            list: list.into(),
            programs: Vec::new(),
            listed_on: None,
            delisted_on: None,
            reference: None,
            measure: None,
            directive: None,
            source: None,
            listed_by: None,
            unlisted_on: None,
        }
    }

    /// Sets the program tags, such as `DPRK3`: they decide which provision a memo cites.
    pub fn with_programs<S: Into<String>>(
        mut self,
        programs: impl IntoIterator<Item = S>,
    ) -> DesignationRecord {
        self.programs = programs.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the day the entry was added.
    pub fn with_listed_on(mut self, day: Date) -> DesignationRecord {
        self.listed_on = Some(day);
        self
    }

    /// Sets the list's own reference, such as `SDN 24978`.
    pub fn with_reference(mut self, reference: impl Into<String>) -> DesignationRecord {
        self.reference = Some(reference.into());
        self
    }
}

/// What a listing imposes on the listed person. Lists mix measures: the EU lists travel-ban-only
/// persons, OFAC's consolidated list holds sectoral and securities restrictions that do not block.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Measure {
    /// Funds and economic resources frozen; nothing may be made available. The only blocking measure.
    #[default]
    AssetFreeze,
    /// Entry and transit refused; no financial consequence.
    TravelBan,
    /// Arms and related materiel may not be supplied.
    ArmsEmbargo,
    /// Trust and similar services may not be provided (EU Regulation 833/2014 Art. 5m; UK).
    TrustServicesBan,
    /// Certain dealings (new debt, equity) restricted by a directive, the rest allowed.
    Sectoral,
    /// On a non-SDN list of OFAC's consolidated list (such as CMIC securities restrictions).
    NonSdn,
}

impl Measure {
    /// The measure as written in facts and evidence.
    pub fn keyword(self) -> &'static str {
        match self {
            Measure::AssetFreeze => "asset_freeze",
            Measure::TravelBan => "travel_ban",
            Measure::ArmsEmbargo => "arms_embargo",
            Measure::TrustServicesBan => "trust_services_ban",
            Measure::Sectoral => "sectoral",
            Measure::NonSdn => "non_sdn",
        }
    }

    /// Whether the measure freezes the person's property, so dealings are blocked.
    pub fn blocks(self) -> bool {
        self == Measure::AssetFreeze
    }
}

/// A payment, invoice or contract to decide.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TransactionRecord {
    /// Unique id.
    pub id: String,
    /// `payment`, `invoice`, `contract`...
    pub kind: String,
    /// The day it takes effect; decisions are taken as of this day unless told otherwise.
    pub date: Date,
    /// How much, in what currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// Who takes part, in which role.
    #[serde(default)]
    pub parties: Vec<PartyRecord>,
    /// Free-form facts a policy may test.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "super::strict::unique_keys"
    )]
    pub attributes: BTreeMap<String, AttributeValue>,
}

impl TransactionRecord {
    /// A transaction of `kind` (`payment`, `invoice`, `contract`...) dated `date`, with no
    /// amount, parties or attributes yet.
    pub fn new(id: impl Into<String>, kind: impl Into<String>, date: Date) -> TransactionRecord {
        TransactionRecord {
            id: id.into(),
            kind: kind.into(),
            date,
            amount: None,
            parties: Vec::new(),
            attributes: BTreeMap::new(),
        }
    }

    /// Sets how much, in which currency (an ISO 4217 code).
    pub fn with_amount(mut self, value: f64, currency: impl Into<String>) -> TransactionRecord {
        self.amount = Some(Amount {
            value,
            currency: currency.into(),
        });
        self
    }

    /// Adds a party: the entity with `entity` as its id, in `role` (`originator`, `beneficiary`...).
    pub fn with_party(
        mut self,
        role: impl Into<String>,
        entity: impl Into<String>,
    ) -> TransactionRecord {
        self.parties.push(PartyRecord {
            role: role.into(),
            entity: entity.into(),
        });
        self
    }

    /// Sets a free-form fact a policy may test.
    pub fn with_attribute(
        mut self,
        name: impl Into<String>,
        value: AttributeValue,
    ) -> TransactionRecord {
        self.attributes.insert(name.into(), value);
        self
    }
}

/// A sum of money.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Amount {
    /// The figure.
    pub value: f64,
    /// ISO 4217 code.
    pub currency: String,
}

/// An exchange rate: one unit of `base` buys `rate` units of `quote`, as published for a day.
/// A rule converting an amount reads the latest rate for the pair (either way round) dated on or
/// before the day of the amount's transaction, and its evidence names that rate and its source.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RateRecord {
    /// The currency converted from (ISO 4217): `EUR` in EUR/USD 1.0842.
    pub base: String,
    /// The currency converted to: `USD` in EUR/USD 1.0842.
    pub quote: String,
    /// Units of `quote` per unit of `base`.
    pub rate: f64,
    /// The day the rate was published for.
    pub as_of: Date,
    /// Who published it (a central bank's reference rate, the bank's own rate sheet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<FactSource>,
}

/// An entity's part in a transaction.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PartyRecord {
    /// `originator`, `beneficiary`, `intermediary`, `contractor`...
    pub role: String,
    /// The entity's id.
    pub entity: String,
}

/// A free-form attribute value.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
// A list holds values: the archive's bounds are stated by hand so the recursion ends.
#[cfg_attr(feature = "snapshot", rkyv(
    serialize_bounds(__S: rkyv::ser::Writer + rkyv::ser::Allocator, __S::Error: rkyv::rancor::Source),
    deserialize_bounds(__D::Error: rkyv::rancor::Source),
    bytecheck(bounds(__C: rkyv::validation::ArchiveContext, __C::Error: rkyv::rancor::Source)),
))]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum AttributeValue {
    /// `true` / `false`.
    Bool(bool),
    /// Any number.
    Number(f64),
    /// Text (dates are written as text and compared as dates when a policy asks).
    Text(String),
    /// Several values.
    List(#[cfg_attr(feature = "snapshot", rkyv(omit_bounds))] Vec<AttributeValue>),
}

/// Where a fact came from: who published or asserted it, in which document, as of when. A legal
/// reviewer asks this of every statement in a memo; evidence and memos repeat it next to the fact.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FactSource {
    /// The organisation that published the fact: `OFAC`, `Companies House`, `OpenSanctions`.
    pub publisher: String,
    /// The document, register extract or list entry, as a reader would cite it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Where the document can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The day the publisher reported or published the fact (for a list: the snapshot's date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// The day the document was retrieved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<Date>,
    /// Who entered the fact into these facts (an analyst, a screening vendor, an importer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asserted_by: Option<String>,
}

impl FactSource {
    /// `OFAC, SDN list (published 2024-05-03)`: the source in words, for memos.
    pub fn describe(&self) -> String {
        let mut out = self.publisher.clone();
        if let Some(document) = self.document.as_deref().or(self.url.as_deref()) {
            out.push_str(", ");
            out.push_str(document);
        }
        let mut dates = Vec::new();
        if let Some(published) = self.published {
            dates.push(format!("published {published}"));
        }
        if let Some(retrieved) = self.retrieved {
            dates.push(format!("retrieved {retrieved}"));
        }
        if let Some(by) = &self.asserted_by {
            dates.push(format!("asserted by {by}"));
        }
        if !dates.is_empty() {
            out.push_str(&format!(" ({})", dates.join(", ")));
        }
        out
    }
}

/// One imported list as a dated version: which list, who published it, as of when, and the
/// digest of its files. Decisions name every snapshot their facts hold.
#[cfg_attr(
    feature = "snapshot",
    derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)
)]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ListSnapshot {
    /// The importer: `ofac`, `un`, `ftm`.
    pub kind: String,
    /// The list as an analyst names it (`OFAC SDN list`).
    pub list: String,
    /// Who publishes it.
    pub publisher: String,
    /// The publication date, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// Where the date comes from: `file` (the list states it) or `user` (`@DATE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_from: Option<String>,
    /// `sha256:` over the names and contents of the files read, so the same files give the same
    /// digest wherever they lie.
    pub digest: String,
}

impl ListSnapshot {
    /// `OFAC SDN list, published 2024-05-03 (as given), sha256:…`: one line for reports and memos.
    pub fn describe(&self) -> String {
        let date = match (self.published, self.published_from.as_deref()) {
            (Some(date), Some("user")) => format!("published {date} (as given)"),
            (Some(date), _) => format!("published {date}"),
            (None, _) => String::from("publication date unknown"),
        };
        format!("{}, {date}, {}", self.list, self.digest)
    }
}
