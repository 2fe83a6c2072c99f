//! Run-time values and the errors that make a rule fail closed.

use super::failure::{FailureCause, Inconsistency, ValueKind};
use crate::ast::Duration;
use crate::date::Date;
use crate::facts::{AttributeValue, EntityIndex};
use crate::plan::{Constant, Function, StringSet};

/// A value during evaluation; borrowed from the plan or the facts, never copied.
#[derive(Debug, Clone, Copy)]
pub(super) enum Value<'a> {
    Bool(bool),
    Number(f64),
    Text(&'a str),
    Date(Date),
    Set(&'a StringSet),
    List(&'a [String]),
    Attributes(&'a [AttributeValue]),
    Entity(EntityIndex),
    Designations(EntityIndex),
    /// Text read through `lower` or `upper`, changed only where it is compared or printed.
    Cased(&'a str, Function),
    NumberSet(&'a [f64]),
    Map(&'a [(String, Constant)]),
    Duration(Duration),
    Amount(Money<'a>),
}

/// A sum of money during evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Money<'a> {
    pub(super) value: f64,
    /// The ISO 4217 code.
    pub(super) currency: &'a str,
    /// The day of the transaction the amount belongs to, whose exchange rate converts it; none
    /// for an amount the policy writes or one computed from amounts of different days.
    pub(super) day: Option<Date>,
}

impl<'a> Money<'a> {
    /// The same currency and day, another figure.
    pub(super) fn with_value(self, value: f64) -> Money<'a> {
        Money { value, ..self }
    }
}

impl<'a> Value<'a> {
    /// The value of a free-form attribute.
    pub(super) fn of_attribute(attribute: &'a AttributeValue) -> Value<'a> {
        match attribute {
            AttributeValue::Bool(b) => Value::Bool(*b),
            AttributeValue::Number(n) => Value::Number(*n),
            AttributeValue::Text(t) => Value::Text(t),
            AttributeValue::List(items) => Value::Attributes(items),
        }
    }

    /// The value's type, for errors.
    pub(super) fn kind(&self) -> ValueKind {
        match self {
            Value::Bool(_) => ValueKind::Bool,
            Value::Number(_) => ValueKind::Number,
            Value::Text(_) | Value::Cased(..) => ValueKind::Text,
            Value::Date(_) => ValueKind::Date,
            Value::Set(_) => ValueKind::Set,
            Value::List(_) | Value::Attributes(_) => ValueKind::List,
            Value::Entity(_) => ValueKind::Entity,
            Value::Designations(_) => ValueKind::Designations,
            Value::NumberSet(_) => ValueKind::NumberSet,
            Value::Map(_) => ValueKind::Map,
            Value::Duration(_) => ValueKind::Period,
            Value::Amount(_) => ValueKind::Amount,
        }
    }

    /// The value of a constant of the policy.
    pub(super) fn of_constant(constant: &'a Constant) -> Value<'a> {
        match constant {
            Constant::Bool(b) => Value::Bool(*b),
            Constant::Number(n) => Value::Number(*n),
            Constant::Text(t) => Value::Text(t),
            Constant::Date(d) => Value::Date(*d),
            Constant::Set(s) => Value::Set(s),
            Constant::NumberSet(numbers) => Value::NumberSet(numbers),
            Constant::Map(entries) => Value::Map(entries),
            Constant::Duration(d) => Value::Duration(*d),
            Constant::Amount { value, currency } => Value::Amount(Money {
                value: *value,
                currency,
                day: None,
            }),
        }
    }

    /// Text as it compares: `lower` and `upper` applied. Only text (plain or cased) has one.
    pub(super) fn as_text(&self) -> Option<std::borrow::Cow<'a, str>> {
        match *self {
            Value::Text(t) => Some(std::borrow::Cow::Borrowed(t)),
            Value::Cased(t, Function::Lower) => Some(std::borrow::Cow::Owned(t.to_lowercase())),
            Value::Cased(t, Function::Upper) => Some(std::borrow::Cow::Owned(t.to_uppercase())),
            _ => None,
        }
    }

    /// The text values the value stands for (one for text, each item for a list).
    pub(super) fn texts(&self) -> Vec<&'a str> {
        match *self {
            Value::Text(t) | Value::Cased(t, _) => vec![t],
            Value::List(items) => items.iter().map(String::as_str).collect(),
            Value::Set(set) => set.iter().collect(),
            Value::Attributes(items) => items
                .iter()
                .filter_map(|i| match i {
                    AttributeValue::Text(t) => Some(t.as_str()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Why a rule could not be evaluated. The rule then fails closed: review, never a silent allow.
///
/// Boxed: the evaluator passes a `Result<bool, EvalError>` up at every step, and a pointer keeps
/// that result in two registers instead of copying the whole failure on the common, successful
/// path.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalError(Box<EvalFailure>);

/// What an [`EvalError`] says.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct EvalFailure {
    /// What is missing or wrong, with the facts it names; `explain` writes it in words.
    pub cause: FailureCause,
    /// The relations the rule stopped at (a stake without a figure, control without a basis),
    /// so the reason names them in structured evidence, not only in its message.
    pub stopped_at: Vec<crate::facts::RelationIndex>,
    /// The party the rule was looking at when it stopped (its position in the transaction).
    pub party: Option<u32>,
}

impl std::ops::Deref for EvalError {
    type Target = EvalFailure;

    fn deref(&self) -> &EvalFailure {
        &self.0
    }
}

impl std::ops::DerefMut for EvalError {
    fn deref_mut(&mut self) -> &mut EvalFailure {
        &mut self.0
    }
}

// Failures are rare: building one stays out of line, so the functions that may fail (`bound`,
// field reads) stay small enough to be inlined on the path where they succeed.
impl From<FailureCause> for EvalError {
    #[cold]
    #[inline(never)]
    fn from(cause: FailureCause) -> Self {
        EvalError(Box::new(EvalFailure {
            cause,
            stopped_at: Vec::new(),
            party: None,
        }))
    }
}

impl From<Inconsistency> for EvalError {
    #[cold]
    #[inline(never)]
    fn from(inconsistency: Inconsistency) -> Self {
        EvalError::from(FailureCause::Internal { inconsistency })
    }
}

impl EvalError {
    /// Whether the error is a fact absent from the facts (so `is missing` holds).
    pub fn missing(&self) -> bool {
        self.cause.is_missing()
    }

    /// What the error says, taken out of its box.
    pub fn into_failure(self) -> EvalFailure {
        *self.0
    }

    /// The same error, naming `party` unless an inner quantifier named one already.
    pub(super) fn in_party(mut self, party: Option<u32>) -> Self {
        self.party = self.party.or(party);
        self
    }

    /// The same error, naming `relation` as where the rule stopped.
    pub(super) fn at(mut self, relation: crate::facts::RelationIndex) -> Self {
        self.stopped_at.push(relation);
        self
    }
}
