//! A store loaded once and shared, and requests decided against it.
//!
//! A payment switch loads the lists and the ownership graph once, as a [`Store`], and asks for a
//! decision on each new payment, a [`Request`]. A request's parties are store entities, named by
//! id, or entities the store has never seen, described inline (name, kind, country, identifiers,
//! date of birth…) and screened against the store's lists when the request is decided. Deciding
//! never rebuilds or re-indexes the store, so the blocked sets and name matches it has cached stay
//! valid for the next payment.
//!
//! A newer store (a new list snapshot, new relations, a delisting) is built off the hot path and
//! put in place with [`Shared::replace`]: decisions already running finish on the store they
//! started with, and each names the digest of the store it used.
//!
//! ```
//! use interdict::{Date, Facts, PolicySet, Request, RequestParty, Source, Store, decide};
//! use interdict::facts::{EntityKind, EntityRecord};
//!
//! let policies = PolicySet::from_sources([Source::new("dprk.policy", r#"
//!     policy ofac_dprk "OFAC — North Korea" { jurisdiction US  cite "31 CFR Part 510" }
//!     rule designated_party: block
//!       when some p in transaction.parties: p is designated under {"DPRK3"}
//!       because "{p.name} is designated: {p.designations}"
//!       cite "31 CFR 510.201"
//! "#)])?;
//! let store = Store::new(Facts::from_text("lists.yaml", r#"
//! entities:
//!   - {id: volasys, kind: organization, name: "Volasys Silver Star", country: RU}
//!   - {id: acme, kind: organization, name: "Acme Analytics Inc.", country: US}
//! designations:
//!   - {entity: volasys, list: OFAC-SDN, programs: [DPRK3], listed_on: 2018-09-13}
//! "#)?).with_screening(interdict::screen::DEFAULT_THRESHOLD);
//!
//! // A payment to a counterparty the store has never seen, spelt differently from the list.
//! let payee = EntityRecord::new("payee-1", EntityKind::Organization, "Volasys Silverstar")
//!     .with_country("RU");
//! let request = Request::new("pay-77", "payment", "2024-03-01".parse::<Date>()?)
//!     .with_amount(9_500.0, "USD")
//!     .with_party(RequestParty::stored("originator", "acme"))
//!     .with_party(RequestParty::inline("beneficiary", payee));
//! let decision = decide(&policies, &store, &request)?;
//! assert_eq!(&*decision.facts_digest, store.digest());
//! # Ok::<(), interdict::Error>(())
//! ```

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

use serde::{Deserialize, Serialize};

use crate::compile::PolicySet;
use crate::date::Date;
use crate::eval::{DecideOptions, Decision, Scope};
use crate::facts::{
    Address, Amount, AttributeValue, BirthDate, BlockedSets, EntityIndex, EntityKind, EntityRecord,
    Facts, FactsDocument, Gender, Identifier, Party, Transaction,
};
use crate::lists::Release;
use crate::screen::{Dispositions, EntityMatch, Screening};

/// Loaded, validated and indexed facts with the caches decisions share: the screening index of
/// the listed entities and the name matches found so far, and the blocked set of each regime and
/// day. Built once, shared between threads behind an [`Arc`], never changed.
#[derive(Debug)]
pub struct Store {
    facts: Arc<Facts>,
    screening: Option<Screening>,
    /// The blocked set of each regime and epoch decided so far, within a memory budget.
    blocked_sets: BlockedSets,
}

impl Store {
    /// A store over `facts`, without name screening: only parties that are themselves on a list
    /// count as listed.
    pub fn new(facts: impl Into<Arc<Facts>>) -> Store {
        Store {
            facts: facts.into(),
            screening: None,
            blocked_sets: BlockedSets::default(),
        }
    }

    /// Screens parties that are not on a list by name and identifiers against those that are,
    /// keeping matches scoring `threshold` or more (see [`crate::screen::DEFAULT_THRESHOLD`]).
    /// Indexes the listed entities and screens every store entity once, here, so a decision
    /// only reads what was found and never searches the index for a store entity.
    pub fn with_screening(self, threshold: f64) -> Store {
        let screening = Screening::new(&self.facts, threshold).screen_all(&self.facts);
        Store {
            screening: Some(screening),
            ..self
        }
    }

    /// Applies a reviewer's register of dispositions to name screening (cleared alerts stop
    /// firing, true matches count as confirmed), screening the store's entities again with it;
    /// nothing without screening.
    pub fn with_dispositions(self, dispositions: Dispositions) -> Store {
        let facts = &self.facts;
        let screening = self
            .screening
            .map(|s| s.with_dispositions(dispositions).screen_all(facts));
        Store { screening, ..self }
    }

    /// The facts the store holds.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The store's digest, named by every decision taken on it: the SHA-256 of its facts as
    /// loaded (lists, relations, licences).
    pub fn digest(&self) -> &str {
        self.facts.digest()
    }

    /// The name screening in use, if any.
    pub fn screening(&self) -> Option<&Screening> {
        self.screening.as_ref()
    }

    /// The blocked sets cached for decisions on this store (see [`BlockedSets`]).
    pub fn blocked_sets(&self) -> &BlockedSets {
        &self.blocked_sets
    }
}

/// One transaction or contract to decide: what a payment switch sends for each payment.
///
/// Written as JSON or YAML it has the shape of a transaction in a facts file, and each party
/// names a store entity (`{role: originator, entity: acme}`) or describes one inline
/// (`{role: beneficiary, kind: organization, name: "Volasys Silverstar", country: RU}`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Request {
    /// The transaction's id, named in the decision.
    pub id: String,
    /// `payment`, `invoice`, `contract`...
    pub kind: String,
    /// The day it takes effect.
    pub date: Date,
    /// How much, in what currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// Who takes part, in which role.
    #[serde(default)]
    pub parties: Vec<RequestParty>,
    /// Free-form facts a policy may test.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, AttributeValue>,
    /// The day whose facts count, when not the transaction's own date (a replay, a look-back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
}

impl Request {
    /// A request with no amount, parties or attributes yet.
    pub fn new(id: impl Into<String>, kind: impl Into<String>, date: Date) -> Request {
        Request {
            id: id.into(),
            kind: kind.into(),
            date,
            amount: None,
            parties: Vec::new(),
            attributes: BTreeMap::new(),
            as_of: None,
        }
    }

    /// Sets the amount.
    pub fn with_amount(mut self, value: f64, currency: impl Into<String>) -> Request {
        self.amount = Some(Amount {
            value,
            currency: currency.into(),
        });
        self
    }

    /// Adds a party.
    pub fn with_party(mut self, party: RequestParty) -> Request {
        self.parties.push(party);
        self
    }

    /// Sets a free-form attribute.
    pub fn with_attribute(mut self, name: impl Into<String>, value: AttributeValue) -> Request {
        self.attributes.insert(name.into(), value);
        self
    }

    /// Decides as of `day` rather than the transaction's date.
    pub fn as_of(mut self, day: Date) -> Request {
        self.as_of = Some(day);
        self
    }
}

/// A party to a request: its role and who it is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "PartyWire", into = "PartyWire")]
#[non_exhaustive]
pub struct RequestParty {
    /// `originator`, `beneficiary`, `intermediary`, `contractor`...
    pub role: String,
    /// A store entity or one described inline.
    pub entity: PartyEntity,
}

/// Who a request's party is.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum PartyEntity {
    /// The store entity with this id.
    Stored(String),
    /// An entity the store need not hold, screened against the store's lists. An empty `id`
    /// becomes `inline:ROLE`.
    Inline(Box<EntityRecord>),
}

impl RequestParty {
    /// A party that is the store entity `id`.
    pub fn stored(role: impl Into<String>, id: impl Into<String>) -> RequestParty {
        RequestParty {
            role: role.into(),
            entity: PartyEntity::Stored(id.into()),
        }
    }

    /// A party described inline.
    pub fn inline(role: impl Into<String>, entity: EntityRecord) -> RequestParty {
        RequestParty {
            role: role.into(),
            entity: PartyEntity::Inline(Box::new(entity)),
        }
    }
}

/// A party as written: `entity` for a store id, or the inline entity's own fields.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartyWire {
    role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    entity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<EntityKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nationality: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    attributes: BTreeMap<String, AttributeValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    birth_date: Option<BirthDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gender: Option<Gender>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    identifiers: Vec<Identifier>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    addresses: Vec<Address>,
}

impl TryFrom<PartyWire> for RequestParty {
    type Error = String;

    fn try_from(wire: PartyWire) -> Result<Self, String> {
        let role = wire.role;
        let described = wire.id.is_some()
            || wire.kind.is_some()
            || wire.name.is_some()
            || !wire.aliases.is_empty()
            || wire.country.is_some()
            || wire.nationality.is_some()
            || !wire.attributes.is_empty()
            || wire.birth_date.is_some()
            || wire.gender.is_some()
            || !wire.identifiers.is_empty()
            || !wire.addresses.is_empty();
        if let Some(id) = wire.entity {
            if described {
                return Err(format!(
                    "party `{role}` names store entity `{id}` and describes one inline; give either `entity` (a store id) or the party's own `name` and `kind`"
                ));
            }
            return Ok(RequestParty::stored(role, id));
        }
        let (Some(name), Some(kind)) = (wire.name, wire.kind) else {
            return Err(format!(
                "party `{role}` needs `entity` (a store id) or, for a party the store does not hold, its `name` and `kind` (person, organization, vessel or aircraft)"
            ));
        };
        let entity = EntityRecord {
            id: wire.id.unwrap_or_default(),
            kind,
            name,
            aliases: wire.aliases,
            country: wire.country,
            nationality: wire.nationality,
            attributes: wire.attributes,
            birth_date: wire.birth_date,
            gender: wire.gender,
            identifiers: wire.identifiers,
            addresses: wire.addresses,
            source: None,
        };
        Ok(RequestParty::inline(role, entity))
    }
}

impl From<RequestParty> for PartyWire {
    fn from(party: RequestParty) -> PartyWire {
        let mut wire = PartyWire {
            role: party.role,
            entity: None,
            id: None,
            kind: None,
            name: None,
            aliases: Vec::new(),
            country: None,
            nationality: None,
            attributes: BTreeMap::new(),
            birth_date: None,
            gender: None,
            identifiers: Vec::new(),
            addresses: Vec::new(),
        };
        match party.entity {
            PartyEntity::Stored(id) => wire.entity = Some(id),
            PartyEntity::Inline(entity) => {
                let entity = *entity;
                wire.id = Some(entity.id).filter(|id| !id.is_empty());
                wire.kind = Some(entity.kind);
                wire.name = Some(entity.name);
                wire.aliases = entity.aliases;
                wire.country = entity.country;
                wire.nationality = entity.nationality;
                wire.attributes = entity.attributes;
                wire.birth_date = entity.birth_date;
                wire.gender = entity.gender;
                wire.identifiers = entity.identifiers;
                wire.addresses = entity.addresses;
            }
        }
        wire
    }
}

/// Why a request cannot be decided: a party the store does not hold, or an inline party that
/// cannot be told apart from another.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestError {
    /// The request's id.
    pub request: String,
    /// The field at fault, such as `parties[1]`.
    pub field: String,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "request `{}`, {}: {}",
            self.request, self.field, self.message
        )
    }
}

impl std::error::Error for RequestError {}

/// A request with its parties resolved against a store: store entities by position, inline ones
/// after the store's last entity, each inline one screened.
struct Resolved {
    transaction: Transaction,
    inline: Vec<EntityRecord>,
    matches: Vec<Arc<[EntityMatch]>>,
}

impl Request {
    /// Resolves the parties: store ids to positions, inline entities to positions past the
    /// store's end, screened once each when the store screens.
    fn resolve(&self, store: &Store) -> Result<Resolved, RequestError> {
        let facts = store.facts();
        let problem = |field: String, message: String| RequestError {
            request: self.id.clone(),
            field,
            message,
        };
        if self.id.trim().is_empty() {
            return Err(problem(
                "id".into(),
                "is empty; give the transaction an id".into(),
            ));
        }
        let mut parties = Vec::with_capacity(self.parties.len());
        let mut inline = Vec::new();
        let mut inline_ids = HashSet::new();
        for (slot, party) in self.parties.iter().enumerate() {
            let field = format!("parties[{slot}]");
            if party.role.trim().is_empty() {
                return Err(problem(field, "`role` is empty".into()));
            }
            let entity = match &party.entity {
                PartyEntity::Stored(id) => facts.entity_index(id).ok_or_else(|| {
                    problem(
                        field.clone(),
                        format!(
                            "names entity `{id}`, which is not in the store `{}`; give the id the store uses, or describe the party inline with its `name` and `kind`",
                            facts.name()
                        ),
                    )
                })?,
                PartyEntity::Inline(record) => {
                    let mut record = (**record).clone();
                    if record.id.trim().is_empty() {
                        record.id = format!("inline:{}", party.role);
                    }
                    if record.name.trim().is_empty() {
                        return Err(problem(field, "the inline party's `name` is empty".into()));
                    }
                    if facts.entity_index(&record.id).is_some() {
                        return Err(problem(
                            field,
                            format!(
                                "the inline party's id `{}` is a store entity's id; name that entity with `entity`, or give the inline party another `id`",
                                record.id
                            ),
                        ));
                    }
                    if !inline_ids.insert(record.id.clone()) {
                        return Err(problem(
                            field,
                            format!(
                                "two inline parties have the id `{}`; give each its own `id`",
                                record.id
                            ),
                        ));
                    }
                    let position = facts.entity_count() + inline.len();
                    inline.push(record);
                    EntityIndex::try_from(position).map_err(|_| {
                        problem(field, "the store has no room for more entities".into())
                    })?
                }
            };
            parties.push(Party {
                role: party.role.clone(),
                entity,
            });
        }
        let matches = match store.screening() {
            Some(screening) => inline
                .iter()
                .map(|record| screening.matches_record(facts, record).into())
                .collect(),
            None => Vec::new(),
        };
        Ok(Resolved {
            transaction: Transaction {
                id: self.id.clone(),
                kind: self.kind.clone(),
                date: self.date,
                amount: self.amount.clone(),
                parties,
                attributes: self.attributes.clone(),
            },
            inline,
            matches,
        })
    }
}

impl Request {
    /// Refuses attribute values (of the transaction or of an inline party) that are not of the
    /// type the policies declare, as loading facts with the policies does.
    fn check_attributes(&self, policies: &PolicySet) -> Result<(), RequestError> {
        let inline =
            self.parties
                .iter()
                .enumerate()
                .filter_map(|(slot, party)| match &party.entity {
                    PartyEntity::Inline(record) => {
                        Some((format!("parties[{slot}]"), &record.attributes))
                    }
                    PartyEntity::Stored(_) => None,
                });
        for (field, attributes) in
            std::iter::once((String::from("attributes"), &self.attributes)).chain(inline)
        {
            if let Some(message) = policies.attribute_problems(attributes).into_iter().next() {
                return Err(RequestError {
                    request: self.id.clone(),
                    field,
                    message,
                });
            }
        }
        Ok(())
    }
}

/// Decides `request` under `policies` against `store`, screening its inline parties on the way;
/// the store is read, never rebuilt. Fails only when a party cannot be resolved or an attribute
/// is not of the type the policies declare: a rule that cannot be evaluated makes a review
/// reason, as in [`PolicySet::decide`].
///
/// ```
/// use interdict::{Facts, PolicySet, Request, Source, Store, decide};
///
/// let policies = PolicySet::from_sources([Source::new("p.policy", r#"
///     policy p "Payments" { jurisdiction US }
///     rule large: review when transaction.amount.value > 10000 because "a large payment"
/// "#)])?;
/// let store = Store::new(Facts::from_text("empty.yaml", "entities: []")?);
/// // A request reads from JSON in the shape of a facts file's transaction.
/// let request: Request = serde_json::from_str(r#"{"id": "pay-1", "kind": "payment",
///     "date": "2024-03-01", "amount": {"value": 25000, "currency": "EUR"}}"#)?;
/// let decision = decide(&policies, &store, &request)?;
/// assert_eq!(decision.outcome, interdict::Outcome::Review);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decide(
    policies: &PolicySet,
    store: &Store,
    request: &Request,
) -> Result<Decision, RequestError> {
    request.check_attributes(policies)?;
    let resolved = request.resolve(store)?;
    let scope = Scope::with_inline(store.facts(), &resolved.inline, &resolved.matches);
    let options = DecideOptions {
        as_of: request.as_of,
        screening: store.screening(),
        blocked_sets: Some(store.blocked_sets()),
        ..DecideOptions::default()
    };
    Ok(policies.decide_in(&scope, &resolved.transaction, options))
}

/// A value many threads read and one occasionally replaces, such as the store (or the store and
/// policies together) a service decides with. A reader takes the current value as an [`Arc`] and
/// keeps it as long as it needs: a replacement never changes a decision already under way.
///
/// ```
/// use interdict::{Facts, Shared, Store};
///
/// let shared = Shared::new(Store::new(Facts::from_text("monday.yaml", "entities: []")?));
/// let in_flight = shared.load(); // a decision under way holds the store it started with
/// let tuesday = Store::new(Facts::from_text("tuesday.yaml", "entities: [{id: a, kind: person, name: A}]")?);
/// shared.replace(tuesday);
/// assert_eq!(in_flight.facts().entity_count(), 0);
/// assert_eq!(shared.load().facts().entity_count(), 1);
/// # Ok::<(), interdict::Error>(())
/// ```
#[derive(Debug)]
pub struct Shared<T> {
    current: RwLock<Arc<T>>,
}

impl<T> Shared<T> {
    /// Shares `value`.
    pub fn new(value: T) -> Shared<T> {
        Shared {
            current: RwLock::new(Arc::new(value)),
        }
    }

    /// The current value. The lock is held only to clone the [`Arc`].
    pub fn load(&self) -> Arc<T> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Puts `value` in place for every later [`load`](Self::load), returning the one it
    /// replaces; holders of the old one keep it until they drop it.
    pub fn replace(&self, value: T) -> Arc<T> {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        std::mem::replace(&mut *current, Arc::new(value))
    }
}

/// Where a store's facts come from: a facts file (or a binary store snapshot), with sanctions
/// lists and licence files merged in, or the lists alone. `interdict eval` and the Python binding
/// read their files through this one path, so a service, a script and the command line given the
/// same files decide alike and name the same digest.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Sources {
    /// The facts file (YAML or JSON), or a store snapshot written by `interdict import --out`;
    /// none for a store of the lists (and licences) alone.
    pub facts: Option<PathBuf>,
    /// Sanctions lists to import and merge, such as `ofac=data/ofac/2024-05@2024-05-03`.
    pub lists: Vec<Release>,
    /// Earlier dated releases of those lists, which bound the listing dates a list without them
    /// leaves unknown (an entry absent from a release was not listed on its date).
    pub earlier: Vec<Release>,
    /// Files of licences to merge.
    pub licences: Vec<PathBuf>,
}

/// What [`Sources::read`] read: the facts, the input they were built from (for a record that
/// replays the decision byte for byte), and what the list imports could not use.
#[derive(Debug)]
#[non_exhaustive]
pub struct Loaded {
    /// The validated, indexed facts.
    pub facts: Facts,
    /// What they were built from.
    pub input: LoadedInput,
    /// Each import's warnings (orphan rows, dates it could not read...), one line each.
    pub warnings: Vec<String>,
}

/// The input facts were built from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum LoadedInput {
    /// A facts file's text, loaded as it is.
    Text {
        /// The name it was loaded under.
        name: String,
        /// Its text.
        text: String,
    },
    /// A binary store snapshot's bytes.
    Snapshot {
        /// The name it was opened under.
        name: String,
        /// Its bytes.
        bytes: Vec<u8>,
    },
    /// A facts file merged with lists and licences, as records.
    Document {
        /// The name it was loaded under.
        name: String,
        /// The merged records.
        document: Box<FactsDocument>,
    },
}

impl Sources {
    /// Sources with only a facts file.
    pub fn new(facts: impl Into<PathBuf>) -> Sources {
        Sources {
            facts: Some(facts.into()),
            ..Sources::default()
        }
    }

    /// Sources without a facts file, to which lists and licences are added: a store of the
    /// listed entities alone, for screening or for deciding requests with inline parties.
    pub fn lists_only() -> Sources {
        Sources::default()
    }

    /// Adds a sanctions list.
    pub fn with_list(mut self, list: Release) -> Sources {
        self.lists.push(list);
        self
    }

    /// Adds an earlier release, bounding the unknown listing dates of the lists of its kind.
    pub fn with_earlier(mut self, release: Release) -> Sources {
        self.earlier.push(release);
        self
    }

    /// Adds a licence file.
    pub fn with_licences(mut self, file: impl Into<PathBuf>) -> Sources {
        self.licences.push(file.into());
        self
    }

    /// Reads, merges, validates and indexes the facts. A store snapshot alone is opened without
    /// reading its records, which are decoded as decisions need them.
    pub fn load(&self) -> Result<Facts, crate::Error> {
        #[cfg(feature = "snapshot")]
        if let Some(snapshot) = self.alone().filter(|file| Facts::is_snapshot_file(file)) {
            // Opened from the file, its records left there; every chunk is checked first, so a
            // damaged one is refused by name rather than read as absent.
            let opened = Facts::open_snapshot(snapshot)?;
            opened.verify_snapshot()?;
            return Ok(opened);
        }
        if self.alone().is_some() {
            return Ok(self.read()?.facts);
        }
        let (name, document, _) = self.merged()?;
        Ok(Facts::from_document(&name, document)?)
    }

    /// Reads, merges, validates and indexes the facts, keeping the input they were built from and
    /// the imports' warnings.
    pub fn read(&self) -> Result<Loaded, crate::Error> {
        let Some(facts) = self.alone() else {
            let (name, document, warnings) = self.merged()?;
            return Ok(Loaded {
                facts: Facts::from_document(&name, document.clone())?,
                input: LoadedInput::Document {
                    name,
                    document: Box::new(document),
                },
                warnings,
            });
        };
        let name = facts.display().to_string();
        #[cfg(feature = "snapshot")]
        if Facts::is_snapshot_file(facts) {
            let unread = |source| crate::facts::FactsError::Read {
                path: name.clone(),
                source,
            };
            let bytes = std::fs::read(facts).map_err(unread)?;
            let facts = Facts::from_snapshot(&name, bytes.as_slice())?;
            // Every byte is in memory already: a damaged record chunk is refused here, by
            // name, rather than read as absent by the first decision that meets it.
            facts.verify_snapshot()?;
            return Ok(Loaded {
                facts,
                input: LoadedInput::Snapshot { name, bytes },
                warnings: Vec::new(),
            });
        }
        // A file over the limit is refused before it is read.
        let text = Facts::read_text(facts)?;
        Ok(Loaded {
            facts: Facts::from_text(&name, &text)?,
            input: LoadedInput::Text { name, text },
            warnings: Vec::new(),
        })
    }

    /// The facts file, when it is read alone (no lists or licences to merge in).
    fn alone(&self) -> Option<&std::path::Path> {
        self.facts
            .as_deref()
            .filter(|_| self.lists.is_empty() && self.licences.is_empty())
    }

    /// The facts file (if any), the licence files and the imported lists merged into one
    /// document, with the name it is loaded under (the facts file's, or `lists`) and the
    /// imports' warnings.
    fn merged(&self) -> Result<(String, FactsDocument, Vec<String>), crate::Error> {
        let name = self
            .facts
            .as_ref()
            .map_or_else(|| String::from("lists"), |f| f.display().to_string());
        let mut documents = Vec::new();
        if let Some(facts) = &self.facts {
            documents.push((name.clone(), FactsDocument::read(facts)?));
        }
        for file in &self.licences {
            documents.push((file.display().to_string(), FactsDocument::read(file)?));
        }
        let earlier = self
            .earlier
            .iter()
            .map(|release| {
                Ok((
                    release.kind,
                    crate::lists::snapshot::release_references(release)?,
                ))
            })
            .collect::<Result<Vec<_>, crate::lists::ListError>>()?;
        let mut warnings = Vec::new();
        for list in &self.lists {
            let (mut imported, _) = crate::lists::snapshot::import_bounded(list, &earlier)?;
            warnings.extend(imported.report.warnings());
            documents.push((
                list.path.display().to_string(),
                std::mem::take(&mut imported.document),
            ));
        }
        Ok((name, crate::lists::merge(documents)?, warnings))
    }

    /// Loads a store: screened by name at `threshold` when lists are merged in (parties that are
    /// not on a list are matched against those that are), as `interdict eval` does.
    ///
    /// ```no_run
    /// use interdict::Sources;
    ///
    /// let store = Sources::new("examples/silverstar.yaml")
    ///     .with_list("ofac=data/ofac/2024-05@2024-05-03".parse()?)
    ///     .with_licences("examples/licences.yaml")
    ///     .load_store(interdict::screen::DEFAULT_THRESHOLD)?;
    /// println!("{} entities, store {}", store.facts().entity_count(), store.digest());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load_store(&self, threshold: f64) -> Result<Store, crate::Error> {
        let store = Store::new(self.load()?);
        Ok(if self.lists.is_empty() {
            store
        } else {
            store.with_screening(threshold)
        })
    }
}
