//! Why a rule could not be evaluated, as data: each cause with the facts it names. The rule then
//! fails closed (review, never a silent allow); the sentences are written by `explain`, so a
//! program reads the same cause from the JSON as a reviewer hears in the memo.
//!
//! Entities are named by their names, as the memo prints them; relations and transactions by
//! their ids in the facts.

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// What stopped a rule, tagged by `cause`. Causes named `missing_…` (and `empty_aggregate`) are
/// facts absent from the facts, so `is missing` holds for them and an exemption that needs them
/// does not apply; the others are facts of the wrong type or beyond a bound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cause", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FailureCause {
    /// An attribute of the transaction being decided is absent.
    MissingTransactionAttribute {
        /// The attribute.
        attribute: String,
    },
    /// An attribute of an entity is absent.
    MissingEntityAttribute {
        /// The attribute.
        attribute: String,
        /// The entity's name.
        name: String,
    },
    /// An attribute of an earlier transaction is absent.
    MissingEarlierAttribute {
        /// The attribute.
        attribute: String,
        /// The earlier transaction's id.
        transaction: String,
    },
    /// A transaction has no amount.
    MissingAmount {
        /// The transaction's id.
        transaction: String,
    },
    /// A jurisdiction does not set a setting a rule reads.
    MissingSetting {
        /// The setting (`significant_minority`).
        setting: String,
        /// The jurisdiction's code; none when the rule names one that is not declared.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        jurisdiction: Option<String>,
    },
    /// An entity's `country` or `nationality` is absent.
    MissingEntityField {
        /// The field.
        field: String,
        /// The entity's name.
        name: String,
    },
    /// A relation walked has no percentage.
    MissingPercent {
        /// The relation's id.
        relation: String,
        /// The name of the entity it starts from.
        from: String,
        /// The relation's kind (`owns`).
        relation_kind: String,
        /// The name of the entity it leads to.
        to: String,
    },
    /// A relation walked has no role.
    MissingRelationRole {
        /// The relation's id.
        relation: String,
    },
    /// A relation walked has no start date.
    MissingRelationStart {
        /// The relation's id.
        relation: String,
    },
    /// A relation walked has no end date.
    MissingRelationEnd {
        /// The relation's id.
        relation: String,
    },
    /// A `controls` relation walked has no basis of control.
    MissingControlBasis {
        /// The relation's id.
        relation: String,
    },
    /// A designation in force of an entity has no listing date, so its earliest cannot be told.
    MissingListingDates {
        /// The entity's name.
        name: String,
    },
    /// No exchange rate for a conversion.
    MissingRate {
        /// The amount's currency.
        from: String,
        /// The currency wanted.
        to: String,
        /// The transaction's day: a rate must be dated on or before it.
        day: Date,
    },
    /// A policy map has no value for a key.
    MissingMapKey {
        /// The key looked up.
        key: String,
    },
    /// A designation has no listing or delisting date.
    MissingDesignationDate {
        /// Which date: `listed_on` or `delisted_on`.
        field: String,
        /// The listed entity's name.
        name: String,
        /// The list.
        list: String,
    },
    /// A blocked owner's stake has no percentage, so the total blocked stake is unknown.
    MissingBlockedOwnerStake {
        /// The relation's id.
        relation: String,
        /// The blocked owner's name.
        owner: String,
        /// The name of the entity it owns part of.
        subject: String,
    },
    /// A blocked owner's stake whose size decides whether the subject is blocked has no
    /// percentage.
    MissingBlockingStake {
        /// The relation's id.
        relation: String,
        /// The blocked owner's name.
        owner: String,
        /// The name of the entity it owns part of.
        asset: String,
        /// The name of the entity the rule asked about; none when it is the asset itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
        /// The jurisdiction whose rules were applied.
        jurisdiction: String,
    },
    /// A blocked controller's relation has no basis of control, and only some bases freeze.
    MissingBlockingControlBasis {
        /// The relation's id.
        relation: String,
        /// The blocked controller's name.
        owner: String,
        /// The name of the entity it controls.
        asset: String,
        /// The name of the entity the rule asked about; none when it is the asset itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
        /// The jurisdiction whose rules were applied.
        jurisdiction: String,
    },
    /// `min` or `max` over no elements.
    EmptyAggregate {
        /// `min` or `max`.
        aggregate: String,
    },
    /// An attribute's value is not of the type its policy declares.
    DeclaredTypeMismatch {
        /// The attribute; none when the rule read it in a way that names none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attribute: Option<String>,
        /// The transaction it belongs to, if a transaction's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        transaction: Option<String>,
        /// The name of the entity it belongs to, if an entity's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The declared type (`text`, `number`, `bool`, `date`, `country`, `list`).
        expected: String,
        /// The type of the value given.
        found: ValueKind,
        /// The value given.
        value: super::FactValue,
    },
    /// Arithmetic on values it does not apply to.
    CannotCompute {
        /// The left operand's type.
        left: ValueKind,
        /// `+`, `-`, `*` or `/`.
        operator: String,
        /// The right operand's type.
        right: ValueKind,
    },
    /// Arithmetic with no finite result.
    NotFinite {
        /// The left operand, as printed.
        left: String,
        /// `+`, `-`, `*` or `/`.
        operator: String,
        /// The right operand, as printed.
        right: String,
    },
    /// Two amounts in different currencies compared or added.
    MixedCurrencies {
        /// The operator (`+`, `<`, ...).
        operator: String,
        /// The left amount.
        left: AmountRead,
        /// The right amount.
        right: AmountRead,
    },
    /// An aggregate over amounts in different currencies.
    AggregateMixesCurrencies {
        /// `sum`, `min` or `max`.
        aggregate: String,
        /// The first amount in another currency.
        amount: AmountRead,
        /// The currency of the amounts before it.
        currency: String,
    },
    /// An aggregate over something other than numbers or amounts.
    AggregateNeedsNumbers {
        /// `sum`, `min` or `max`.
        aggregate: String,
        /// The type found.
        found: ValueKind,
    },
    /// `convert` given something other than an amount.
    ConvertNeedsAmount {
        /// The type found.
        found: ValueKind,
    },
    /// `convert` given something other than a currency code.
    ConvertNeedsCurrency {
        /// The type found.
        found: ValueKind,
    },
    /// `[...]` applied to something other than a map.
    LookupNeedsMap {
        /// The type found.
        found: ValueKind,
    },
    /// A map's key that is not text.
    MapKeyNeedsText {
        /// The type found.
        found: ValueKind,
    },
    /// `lower` or `upper` applied to something other than text.
    CaseNeedsText {
        /// The type found.
        found: ValueKind,
    },
    /// `name_similarity` given something other than two names.
    SimilarityNeedsText {
        /// The first argument's type.
        left: ValueKind,
        /// The second argument's type.
        right: ValueKind,
    },
    /// `matches` applied to something other than text.
    MatchesNeedsText {
        /// The type found.
        found: ValueKind,
    },
    /// `within` given something other than two dates.
    WithinNeedsDates {
        /// The first date's type.
        left: ValueKind,
        /// The second date's type.
        right: ValueKind,
    },
    /// Two values that cannot be compared.
    CannotCompare {
        /// The left value's type.
        left: ValueKind,
        /// The right value's type.
        right: ValueKind,
    },
    /// `in` looking up something other than text or a number.
    InNeedsItem {
        /// The type found.
        found: ValueKind,
    },
    /// `in` looking in something other than a set or list.
    InNeedsCollection {
        /// The type found.
        found: ValueKind,
    },
    /// A number looked up in something other than a set of numbers.
    InNeedsNumberSet {
        /// The type found.
        found: ValueKind,
    },
    /// A text test (`contains`, `starts_with`, ...) with no text on its right.
    TextTestNeedsNeedle {
        /// The type found.
        found: ValueKind,
    },
    /// A text test with no text on its left.
    TextTestNeedsText {
        /// The type found.
        found: ValueKind,
    },
    /// A condition's value that is not true or false.
    NotTrueOrFalse {
        /// The type found.
        found: ValueKind,
    },
    /// Text read as a date that is not one.
    NotADate {
        /// The text.
        text: String,
    },
    /// A date moved by a period off the calendar.
    OffCalendar {
        /// The date.
        date: Date,
        /// The period, in `unit`s.
        amount: u32,
        /// `days`, `months` or `years`.
        unit: String,
    },
    /// A rule reads the designation date of an entity that is not designated.
    NotDesignated {
        /// The entity's name.
        name: String,
    },
    /// No version of a jurisdiction's settings is in force on the decision's day.
    NoSettingsInForce {
        /// The jurisdiction's code.
        jurisdiction: String,
        /// The decision's day.
        day: Date,
    },
    /// A walk along relations reached more entities than any walk may.
    WalkTooLong {
        /// The traversal (`owners`, `controllers`, ...).
        traversal: String,
        /// The name of the entity it started from.
        from: String,
        /// The bound ([`crate::eval::MAX_WALK`]).
        limit: usize,
    },
    /// The rule used up its step budget on this transaction.
    StepBudget {
        /// The bound.
        limit: usize,
    },
    /// A block relies on listings whose date is unknown, so it goes to review.
    ListingDatesUnknown {
        /// Each listing, once.
        listings: Vec<UnknownListing>,
    },
    /// The compiled policies and the facts disagree in a way checking should have prevented.
    Internal {
        /// What disagrees.
        inconsistency: Inconsistency,
    },
}

impl FailureCause {
    /// Whether the cause is a fact absent from the facts (so `is missing` holds, and an exemption
    /// that needs it does not apply).
    pub fn is_missing(&self) -> bool {
        matches!(
            self,
            FailureCause::MissingTransactionAttribute { .. }
                | FailureCause::MissingEntityAttribute { .. }
                | FailureCause::MissingEarlierAttribute { .. }
                | FailureCause::MissingAmount { .. }
                | FailureCause::MissingSetting { .. }
                | FailureCause::MissingEntityField { .. }
                | FailureCause::MissingPercent { .. }
                | FailureCause::MissingRelationRole { .. }
                | FailureCause::MissingRelationStart { .. }
                | FailureCause::MissingRelationEnd { .. }
                | FailureCause::MissingControlBasis { .. }
                | FailureCause::MissingListingDates { .. }
                | FailureCause::MissingRate { .. }
                | FailureCause::MissingMapKey { .. }
                | FailureCause::MissingDesignationDate { .. }
                | FailureCause::MissingBlockedOwnerStake { .. }
                | FailureCause::MissingBlockingStake { .. }
                | FailureCause::MissingBlockingControlBasis { .. }
                | FailureCause::EmptyAggregate { .. }
        )
    }
}

/// The type of a value a rule met where it needed another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ValueKind {
    /// True or false.
    Bool,
    /// A number.
    Number,
    /// Text.
    Text,
    /// A date.
    Date,
    /// A set of text.
    Set,
    /// A list.
    List,
    /// An entity.
    Entity,
    /// An entity's designations.
    Designations,
    /// A set of numbers.
    NumberSet,
    /// A map.
    Map,
    /// A period of days, months or years.
    Period,
    /// An amount of money.
    Amount,
}

/// An amount a rule read, and where it read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AmountRead {
    /// The figure.
    pub value: f64,
    /// The ISO 4217 code.
    pub currency: String,
    /// Where it comes from.
    pub origin: AmountOrigin,
}

/// Where an amount a rule read comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AmountOrigin {
    /// A transaction's amount (the one decided, or an earlier one).
    Transaction {
        /// The transaction's id.
        id: String,
    },
    /// An earlier transaction's amount, the transaction not known.
    Earlier,
    /// Written in the policy.
    Policy,
    /// Computed by the rule.
    Computed,
}

/// A listing whose date is unknown, so whether it was in force on the decision's day cannot be
/// told (OFAC's delimited files carry no listing dates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UnknownListing {
    /// The listed entity's name.
    pub name: String,
    /// The list.
    pub list: String,
    /// The entry's reference.
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The last day it is known not to have been listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Date>,
    /// The day by which it was listed.
    pub by: Date,
    /// The decision's day.
    pub day: Date,
}

/// A disagreement between the compiled policies and the facts that checking should have
/// prevented; the rule still fails closed rather than guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Inconsistency {
    /// A variable was read before it was bound.
    UnboundVariable,
    /// A condition stands where a value is needed.
    ConditionAsValue,
    /// An entity index is outside the facts.
    EntityOutOfRange,
    /// An earlier transaction's index is outside the facts.
    EarlierTransactionOutOfRange,
    /// A designation's index is outside the facts.
    DesignationOutOfRange,
    /// A relation field was read where no relation was walked.
    NoRelationWalked,
    /// A role was read of an entity that is not a party.
    RoleOfNonParty,
    /// A rule names a jurisdiction that is not declared.
    UndeclaredJurisdiction,
    /// An unknown stake names a relation that is not in the store.
    StakeNotInStore,
}
