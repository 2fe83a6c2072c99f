//! What a decision says: the outcome, and for each rule that fired, why.
//!
//! These types serialise to the JSON and YAML formats other systems parse; field names are a
//! contract. Optional fields are left out rather than written as null.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::facts::{ControlBasis, FactSource, ListSnapshot};
use crate::shared_text::SharedText;

use super::summary::Summary;
use crate::screen::{Finding, Lapse, MatchNote, Review, Strength, TokenPair};

/// Allow, review or block, ordered by severity.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// Nothing stops the transaction.
    Allow,
    /// For a jurisdiction's verdict only: none of the lists it reads was loaded, so its rules
    /// could not say whether anyone is designated.
    NotAssessed,
    /// A person must look at it.
    Review,
    /// It must not go ahead.
    Block,
}

impl Outcome {
    /// The word printed in decisions.
    pub fn keyword(self) -> &'static str {
        match self {
            Outcome::Allow => "allow",
            Outcome::NotAssessed => "not_assessed",
            Outcome::Review => "review",
            Outcome::Block => "block",
        }
    }
}

/// The decision on one transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Decision {
    /// The transaction's id.
    pub transaction: String,
    /// The transaction in brief: kind, amount, date and parties, which the memo opens with (in
    /// words written by [`crate::explain::summary`]). Absent when decided with
    /// [`skip_messages`](super::DecideOptions::skip_messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Summary>,
    /// The outcome.
    pub outcome: Outcome,
    /// The day whose facts were used.
    pub as_of: Date,
    /// Why: every rule that fired, blocks first, in policy order within an effect.
    pub reasons: Vec<Reason>,
    /// The verdict of each jurisdiction whose policies' rules fired; `outcome` is the strictest.
    #[serde(default, skip_serializing_if = "Verdicts::is_empty")]
    pub jurisdictions: Verdicts,
    /// Facts worth knowing that decided nothing, such as a designation that starts after the day.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// The licences that released blocks here, with the terms that applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licences: Vec<LicenceApplied>,
    /// The policy set's digest (shared with the set: decisions do not copy it).
    pub policy_digest: Arc<str>,
    /// The facts' digest (shared with the facts).
    pub facts_digest: Arc<str>,
    /// Every list snapshot the facts hold: which version of each list decided.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<ListSnapshot>,
}

/// Each jurisdiction's verdict, by code, in code order; serialised as a JSON object.
///
/// A decision names one jurisdiction or a few, so the verdicts are a short list sorted by code
/// rather than a tree map, which allocated a node of about 800 bytes for every decision.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Verdicts(Vec<(SharedText, Verdict)>);

impl Verdicts {
    /// The verdict of jurisdiction `code`.
    pub fn get(&self, code: &str) -> Option<&Verdict> {
        self.position(code)
            .ok()
            .and_then(|at| self.0.get(at))
            .map(|(_, verdict)| verdict)
    }

    /// The verdict of jurisdiction `code`, to change.
    pub fn get_mut(&mut self, code: &str) -> Option<&mut Verdict> {
        let at = self.position(code).ok()?;
        self.0.get_mut(at).map(|(_, verdict)| verdict)
    }

    /// Gives jurisdiction `code` this verdict, replacing the one it had.
    pub fn insert(&mut self, code: SharedText, verdict: Verdict) {
        match self.position(&code) {
            Ok(at) => {
                if let Some(slot) = self.0.get_mut(at) {
                    slot.1 = verdict;
                }
            }
            Err(at) => self.0.insert(at, (code, verdict)),
        }
    }

    /// Each jurisdiction's code and verdict, in code order.
    pub fn iter(&self) -> <&Verdicts as IntoIterator>::IntoIter {
        self.into_iter()
    }

    /// How many jurisdictions have a verdict.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether none has.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Where `code` is, or where it would go.
    fn position(&self, code: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(held, _)| held.as_str().cmp(code))
    }
}

impl<'a> IntoIterator for &'a Verdicts {
    type Item = (&'a SharedText, &'a Verdict);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (SharedText, Verdict)>,
        fn(&'a (SharedText, Verdict)) -> (&'a SharedText, &'a Verdict),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(code, verdict)| (code, verdict))
    }
}

impl FromIterator<(SharedText, Verdict)> for Verdicts {
    fn from_iter<I: IntoIterator<Item = (SharedText, Verdict)>>(iter: I) -> Verdicts {
        let iter = iter.into_iter();
        let mut verdicts = Verdicts(Vec::with_capacity(iter.size_hint().0));
        for (code, verdict) in iter {
            verdicts.insert(code, verdict);
        }
        verdicts
    }
}

impl Serialize for Verdicts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Verdicts {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Verdicts, D::Error> {
        // A tree map's entries come out sorted and distinct: the list's own order.
        let map = BTreeMap::<SharedText, Verdict>::deserialize(deserializer)?;
        Ok(Verdicts(map.into_iter().collect()))
    }
}

/// One jurisdiction's outcome and the reasons behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Verdict {
    /// The strictest effect among this jurisdiction's reasons.
    pub outcome: Outcome,
    /// The rules of this jurisdiction's policies that fired, in the order of the decision's
    /// `reasons`, where each one is given in full.
    pub reasons: Vec<SharedText>,
    /// Why the verdict is `not_assessed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<NotAssessed>,
}

impl Default for Verdict {
    fn default() -> Self {
        Verdict {
            outcome: Outcome::Allow,
            reasons: Vec::new(),
            why: None,
        }
    }
}

/// One rule that fired (or failed and was sent to review).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Reason {
    /// The rule's id.
    pub rule: SharedText,
    /// The policy it belongs to.
    pub policy: SharedText,
    /// That policy's jurisdiction code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<SharedText>,
    /// The rule's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<SharedText>,
    /// What this reason does to the outcome (`review` when the rule failed closed).
    pub effect: Outcome,
    /// The rule's message with the values bound in.
    pub message: String,
    /// Legal citations: the rule's own, then its policy's.
    pub citations: Arc<[SharedText]>,
    /// `file:line:col` of the rule.
    pub source: SharedText,
    /// The facts that made the rule true.
    pub evidence: Vec<Evidence>,
    /// The exemption that released this block or review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub released_by: Option<SharedText>,
    /// For an exemption: the rules it released here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub releases: Vec<SharedText>,
    /// Why the rule could not be evaluated, when it failed closed: a cause tagged by `cause`,
    /// with the facts it names (`explain` writes it in words, in this reason's `message`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<super::FailureCause>,
    /// The licence (by id) that released this block, when a licence rather than an exemption
    /// rule did; its terms are in the decision's `licences`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    // Issue 12: what would change the decision.
    /// For a block or review in force: the smallest single changes in the facts under which this
    /// reason's derivation no longer holds (filled by [`PolicySet::what_would_change`]).
    ///
    /// [`PolicySet::what_would_change`]: crate::PolicySet::what_would_change
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counterfactuals: Vec<super::counterfactual::Counterfactual>,
}

/// A licence that released at least one block of a decision, as the memo quotes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LicenceApplied {
    /// Its id in the facts.
    pub id: String,
    /// `OFAC`, `OFSI` or `EU`.
    pub issuer: String,
    /// For an EU licence, the member state's competent authority.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// `general` or `specific`.
    pub kind: String,
    /// The issuer's number.
    pub number: String,
    /// Its title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The holder of a specific licence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licensee: Option<String>,
    /// First day in force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Date>,
    /// First day no longer in force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    /// The operative terms, quoted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms: Option<String>,
    /// Conditions the user must meet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Reports owed to the issuer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reporting: Vec<String>,
    /// Where it is published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// What it released: the rule and the entity the released reason was about.
    pub released: Vec<LicensedBlock>,
}

/// One block a licence released.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LicensedBlock {
    /// The rule whose reason was released.
    pub rule: String,
    /// The entity the reason was about (the party, or the designated entity behind it).
    pub entity: String,
    /// Its name.
    pub name: String,
}

impl Decision {
    /// The reasons that come from policies of jurisdiction `code`, in order.
    pub fn reasons_of<'d>(&'d self, code: &'d str) -> impl Iterator<Item = &'d Reason> + 'd {
        self.reasons
            .iter()
            .filter(move |r| r.jurisdiction.as_deref() == Some(code))
    }
}

impl Reason {
    /// Whether the reason still counts towards the outcome.
    pub fn is_in_force(&self) -> bool {
        self.released_by.is_none() && self.releases.is_empty()
    }
}

/// A fact a rule used, as a step of the derivation a reader follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Evidence {
    /// An entity takes part in the transaction.
    Party {
        /// Its role.
        role: String,
        /// Its id.
        entity: String,
        /// Its name.
        name: String,
        /// Who says the entity is as described.
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<FactSource>,
    },
    /// A relation walked from one entity to the next.
    Relation {
        /// The relation's id.
        id: String,
        /// `owns`, `controls`...
        relation: String,
        /// The `from` entity's id.
        from: String,
        /// Its name.
        from_name: String,
        /// The `to` entity's id.
        to: String,
        /// Its name.
        to_name: String,
        /// The stake, for `owns`.
        #[serde(skip_serializing_if = "Option::is_none")]
        percent: Option<f64>,
        /// The position held.
        #[serde(skip_serializing_if = "Option::is_none")]
        role: Option<String>,
        /// First day in force.
        #[serde(skip_serializing_if = "Option::is_none")]
        start: Option<Date>,
        /// First day no longer in force.
        #[serde(skip_serializing_if = "Option::is_none")]
        end: Option<Date>,
        /// Who reported the relation, in which document, as of when.
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<FactSource>,
        /// For `controls`: the criterion the control rests on (`board_appointment`...).
        #[serde(skip_serializing_if = "Option::is_none")]
        basis: Option<String>,
    },
    /// A list entry in force on the decision's day.
    Designation {
        /// The designated entity's id.
        entity: String,
        /// Its name.
        name: String,
        /// The list.
        list: String,
        /// The programs.
        programs: Vec<String>,
        /// The listing date.
        #[serde(skip_serializing_if = "Option::is_none")]
        listed_on: Option<Date>,
        /// The list's reference.
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The list snapshot the entry was read from.
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<FactSource>,
        /// Without a listing date: the day by which the entry was listed.
        #[serde(skip_serializing_if = "Option::is_none")]
        listed_by: Option<Date>,
        /// Without a listing date: the last day the entry is known not to have been listed.
        #[serde(skip_serializing_if = "Option::is_none")]
        unlisted_on: Option<Date>,
        /// What the listing imposes (`asset_freeze`, `travel_ban`, `sectoral`...).
        measure: String,
        /// For a sectoral listing, its directive.
        #[serde(skip_serializing_if = "Option::is_none")]
        directive: Option<String>,
        /// The legal authority of each of its programs, from the program table.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        authority: Vec<String>,
    },
    /// An entity is blocked under a jurisdiction's rules; the evidence after it shows why.
    Blocked {
        /// The entity's id.
        entity: String,
        /// Its name.
        name: String,
        /// The jurisdiction code.
        jurisdiction: String,
        /// Why it is blocked: designation, ownership or control, with the test applied.
        #[serde(flatten)]
        basis: BlockedBasis,
    },
    /// An entity of the facts matched a list entry by name (or identifier) when screened.
    Match {
        /// The entity's id.
        entity: String,
        /// Its name.
        name: String,
        /// The name or alias of the entity that was screened.
        query: String,
        /// The list entity's id.
        list_entity: String,
        /// Its listed name.
        listed_name: String,
        /// The listed name or alias that matched.
        matched_name: String,
        /// The list of its first entry.
        #[serde(skip_serializing_if = "Option::is_none")]
        list: Option<String>,
        /// That entry's reference.
        #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The score, 0-1.
        score: f64,
        /// The token pairs behind the score, each with its similarity.
        tokens: Vec<TokenPair>,
        /// What normalisation and comparison did to the names (titles and legal forms set
        /// aside, spellings read alike, words joined), each tagged by `note`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        notes: Vec<MatchNote>,
        /// `confirmed`, `possible` or `contradicted`: whether the party's other identifiers
        /// confirm the name match (only a confirmed match counts as the listed entity).
        strength: Strength,
        /// What the party's data and the list entry agree on.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        agrees: Vec<Finding>,
        /// What contradicts the match.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        contradicts: Vec<Finding>,
        /// What one side gives and the other does not.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        unknown: Vec<Finding>,
        /// What a reviewer should check.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        check: Vec<Finding>,
        /// The list entry's fingerprint (names, identifiers, date of birth), for a reviewer's
        /// disposition: a disposition recorded with it lapses when the entry changes.
        fingerprint: String,
    },
    /// What the engine chose where the facts were messy (tagged by `note`).
    Note(Note),
    /// A weighted indicator whose condition held, counted in the score a rule read; the facts
    /// its condition read follow it.
    Indicator {
        /// The indicator's id.
        id: String,
        /// Its title.
        #[serde(skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        /// The points it added.
        weight: f64,
    },
    /// An earlier transaction of a party that a rule went through (counted, summed or tested).
    EarlierTransaction {
        /// Its id.
        id: String,
        /// `payment`, `cash_deposit`...
        transaction_kind: String,
        /// Its day.
        date: Date,
        /// Its amount, if given.
        #[serde(skip_serializing_if = "Option::is_none")]
        amount: Option<f64>,
        /// The amount's currency.
        #[serde(skip_serializing_if = "Option::is_none")]
        currency: Option<String>,
    },
    /// An amount converted into another currency at an exchange rate the facts give: the
    /// latest for the pair dated on or before the day of the amount's transaction.
    Conversion {
        /// The figure converted.
        amount: f64,
        /// Its currency.
        currency: String,
        /// The figure in the currency converted into.
        converted: f64,
        /// The currency converted into.
        to: String,
        /// The rate as published: units of `quote` per unit of `base`.
        rate: f64,
        /// The currency the rate converts from, as published.
        base: String,
        /// The currency it converts into, as published.
        quote: String,
        /// The day the rate was published for.
        as_of: Date,
        /// Applied as its inverse: a `base`/`quote` rate converting `quote` into `base`.
        inverted: bool,
        /// Who published it.
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<FactSource>,
    },
    /// A field's value that a test relied on.
    Fact {
        /// The entity it belongs to, if not the transaction.
        #[serde(skip_serializing_if = "Option::is_none")]
        entity: Option<String>,
        /// That entity's name.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The field, as written in the policy (`country`, `attributes.payment_method`).
        field: String,
        /// Its value: a JSON number or boolean when the fact is one, text otherwise.
        value: FactValue,
    },
}

/// The value of a fact in evidence, keeping its type so machines read `15000`, not `"15000"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum FactValue {
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// Text, a date, or a list printed as text.
    Text(String),
}

impl std::fmt::Display for FactValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FactValue::Bool(b) => write!(f, "{b}"),
            FactValue::Number(n) => f.write_str(&crate::number::format_number(*n)),
            FactValue::Text(t) => f.write_str(t),
        }
    }
}

/// Why an entity is blocked under a jurisdiction's rules, tagged by `basis`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
#[non_exhaustive]
pub enum BlockedBasis {
    /// It is on a list the jurisdiction reads.
    Designation {
        /// The lists the jurisdiction reads.
        lists: Vec<String>,
    },
    /// Blocked owners hold enough of it.
    Ownership {
        /// The blocked owners' stakes added up (or the largest, where stakes are not added).
        total_percent: f64,
        /// The ownership test applied.
        test: OwnershipTest,
    },
    /// A blocked person controls it.
    Control {
        /// The criterion the control rests on (`board_appointment`...), when the facts give it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        criterion: Option<ControlBasis>,
    },
}

impl BlockedBasis {
    /// The basis's tag: `designation`, `ownership` or `control`.
    pub fn keyword(&self) -> &'static str {
        match self {
            BlockedBasis::Designation { .. } => "designation",
            BlockedBasis::Ownership { .. } => "ownership",
            BlockedBasis::Control { .. } => "control",
        }
    }

    /// For ownership, the blocked owners' stakes added up.
    pub fn total_percent(&self) -> Option<f64> {
        match self {
            BlockedBasis::Ownership { total_percent, .. } => Some(*total_percent),
            BlockedBasis::Designation { .. } | BlockedBasis::Control { .. } => None,
        }
    }
}

/// A jurisdiction's ownership test, as applied to one entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OwnershipTest {
    /// The threshold, in percent.
    pub threshold: f64,
    /// Whether a stake equal to the threshold blocks (`50 % or more`) or only one above it
    /// (`more than 50 %`).
    pub inclusive: bool,
    /// Whether the stakes of all blocked owners are added up (US, EU), or one designated person
    /// must reach the threshold alone (UK).
    pub aggregate: bool,
    /// Whether designated persons acting under a joint arrangement were counted together.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub joint: bool,
    /// The guidance the test follows (OFAC's 50 Percent Rule, the EU's best practices...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<String>,
}

/// Why a jurisdiction's verdict is `not_assessed`, tagged by `cause`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cause", rename_all = "snake_case")]
#[non_exhaustive]
pub enum NotAssessed {
    /// None of the lists the jurisdiction reads is loaded.
    NoListLoaded {
        /// The lists it reads.
        lists: Vec<String>,
    },
}

/// A party of the transaction, as a note names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NotedParty {
    /// Its id.
    pub entity: String,
    /// Its name.
    pub name: String,
    /// Its role in the transaction.
    pub role: String,
}

/// A list entry, as a note names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ListEntry {
    /// The list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// The entry's reference on it.
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// One report of an ownership stake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StakeReport {
    /// The `owns` relation's id.
    pub relation: String,
    /// The figure reported, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    /// Who reported it, in which document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<FactSource>,
}

/// A fact worth knowing that decided nothing, or a choice the engine made where the facts were
/// messy. Tagged by `note`; the memo's sentence for each is written by `explain`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Note {
    /// A party's listing starts after the decision's day, so it does not apply.
    ListedLater {
        /// The party.
        party: NotedParty,
        /// The list.
        list: String,
        /// The entry's reference.
        #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The listing date.
        listed_on: Date,
        /// The decision's day.
        day: Date,
    },
    /// A party was removed from a list on or before the decision's day.
    Delisted {
        /// The party.
        party: NotedParty,
        /// The list.
        list: String,
        /// The entry's reference.
        #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The day it was removed.
        delisted_on: Date,
    },
    /// Whether a listing was in force on the day cannot be told: its date is unknown (OFAC's
    /// delimited files carry none).
    ListingDateUnknown {
        /// The party, when the note is about one (the engine always names it; a failed block's
        /// unknown listings are [`super::UnknownListing`]s).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        party: Option<NotedParty>,
        /// The listed entity's name.
        name: String,
        /// The list.
        list: String,
        /// The entry's reference.
        #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The last day it is known not to have been listed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<Date>,
        /// The day by which it was listed.
        by: Date,
        /// The decision's day.
        day: Date,
    },
    /// A reviewer's disposition of an alert no longer holds: the alert is open again.
    AlertReopened {
        /// The party.
        party: NotedParty,
        /// The list entry of the alert.
        entry: ListEntry,
        /// The listed name.
        listed_name: String,
        /// The disposition that lapsed.
        review: Review,
        /// Why it lapsed.
        lapse: Lapse,
    },
    /// A party matches a list entry by name, but a reviewer cleared the alert.
    AlertCleared {
        /// The party.
        party: NotedParty,
        /// The list entry.
        entry: ListEntry,
        /// The listed name.
        listed_name: String,
        /// The name score.
        score: f64,
        /// The disposition that cleared it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        review: Option<Review>,
    },
    /// A party matches a list entry by name, but its own data contradict the match: it is not
    /// treated as a match.
    MatchContradicted {
        /// The party.
        party: NotedParty,
        /// The list entry.
        entry: ListEntry,
        /// The listed name.
        listed_name: String,
        /// The name score.
        score: f64,
        /// What contradicts it.
        contradicts: Vec<Finding>,
    },
    /// A chain of ownership was cut in the evidence after `limit` entities.
    DerivationCut {
        /// The entity where it was cut.
        name: String,
        /// How many entities were shown.
        limit: usize,
    },
    /// More blocked owners hold stakes that count towards the total but are not needed to reach
    /// the threshold.
    OtherBlockedOwners {
        /// The owned entity's name.
        name: String,
        /// How many more owners.
        owners: usize,
        /// The percentage they hold between them.
        percent: f64,
    },
    /// One owner's stake is reported more than once with different figures; the highest counts.
    StakeReportsDiffer {
        /// The owner's name.
        owner: String,
        /// Each report.
        reports: Vec<StakeReport>,
        /// The figure counted.
        counted: f64,
    },
}

#[cfg(test)]
mod tests {
    use super::{Outcome, Verdict, Verdicts};

    fn verdict(outcome: Outcome) -> Verdict {
        Verdict {
            outcome,
            ..Verdict::default()
        }
    }

    #[test]
    fn verdicts_keep_code_order_and_read_and_write_as_a_json_object() {
        let mut verdicts = Verdicts::default();
        verdicts.insert("US".into(), verdict(Outcome::Block));
        verdicts.insert("EU".into(), verdict(Outcome::Allow));
        verdicts.insert("UK".into(), verdict(Outcome::Review));
        verdicts.insert("EU".into(), verdict(Outcome::Review));
        let codes: Vec<&str> = verdicts.iter().map(|(code, _)| code.as_str()).collect();
        assert_eq!(codes, ["EU", "UK", "US"]);
        assert_eq!(verdicts.get("EU").map(|v| v.outcome), Some(Outcome::Review));
        assert!(verdicts.get("UN").is_none());
        let json = serde_json::to_string(&verdicts).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"EU":{"outcome":"review","reasons":[]},"UK":{"outcome":"review","reasons":[]},"US":{"outcome":"block","reasons":[]}}"#
        );
        let back: Result<Verdicts, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(verdicts));
        // Written in another order, the codes are read back in theirs, and looked up.
        let unsorted: Result<Verdicts, _> = serde_json::from_str(
            r#"{"US":{"outcome":"block","reasons":[]},"EU":{"outcome":"allow","reasons":[]}}"#,
        );
        let unsorted = unsorted.unwrap_or_default();
        let codes: Vec<&str> = unsorted.iter().map(|(code, _)| code.as_str()).collect();
        assert_eq!(codes, ["EU", "US"]);
        assert_eq!(unsorted.get("US").map(|v| v.outcome), Some(Outcome::Block));
    }
}
