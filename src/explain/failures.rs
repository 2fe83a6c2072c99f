//! Why a rule could not be evaluated, in the words a memo reads aloud: the clause after "rule
//! could not be evaluated ...:" and the `error` a reviewer sees.

use crate::ast::Effect;
use crate::eval::{AmountOrigin, AmountRead, FailureCause, Inconsistency, ValueKind};
use crate::number::format_number;

use super::notes::unknown_listing;

/// A rule's failure as a clause: "attribute `sector` of Acme Ltd is not given in the facts".
pub fn failure(cause: &FailureCause) -> String {
    match missing_fact(cause) {
        Some(fact) => format!("{fact} is not given in the facts"),
        None => wrong(cause),
    }
}

/// The message of a rule that failed closed: an exemption releases nothing, any other rule sends
/// the transaction to review instead of a silent allow.
pub(crate) fn failed_rule(effect: Effect, cause: &FailureCause) -> String {
    match effect {
        Effect::Allow => format!(
            "exemption could not be checked, so it releases nothing: {}",
            failure(cause)
        ),
        effect => format!(
            "rule could not be evaluated, so the transaction goes to review instead of a silent allow (its effect is {}): {}",
            effect.keyword(),
            failure(cause)
        ),
    }
}

/// A block's message once listings of unknown date sent it to review.
pub(crate) fn block_sent_to_review(message: &str, cause: &FailureCause) -> String {
    format!("{message}. But {}", failure(cause))
}

/// The absent fact a cause names, as the subject of "... is not given in the facts".
fn missing_fact(cause: &FailureCause) -> Option<String> {
    Some(match cause {
        FailureCause::MissingTransactionAttribute { attribute } => {
            format!("transaction attribute `{attribute}`")
        }
        FailureCause::MissingEntityAttribute { attribute, name } => {
            format!("attribute `{attribute}` of {name}")
        }
        FailureCause::MissingEarlierAttribute {
            attribute,
            transaction,
        } => format!("attribute `{attribute}` of transaction `{transaction}`"),
        FailureCause::MissingAmount { transaction } => {
            format!("the amount of transaction `{transaction}`")
        }
        FailureCause::MissingSetting {
            setting,
            jurisdiction,
        } => format!(
            "the `{setting}` setting of jurisdiction {}",
            jurisdiction.as_deref().unwrap_or("(undeclared)")
        ),
        FailureCause::MissingEntityField { field, name } => format!("the {field} of {name}"),
        FailureCause::MissingPercent {
            relation,
            from,
            relation_kind,
            to,
        } => format!("the percentage of relation {relation} ({from} {relation_kind} {to})"),
        FailureCause::MissingRelationRole { relation } => {
            format!("the role in relation {relation}")
        }
        FailureCause::MissingRelationStart { .. } => String::from("the start date of the relation"),
        FailureCause::MissingRelationEnd { .. } => String::from("the end date of the relation"),
        FailureCause::MissingControlBasis { relation } => {
            format!("the basis of control in relation {relation}")
        }
        FailureCause::MissingListingDates { name } => {
            format!("the listing date of every designation of {name}")
        }
        FailureCause::MissingRate { from, to, day } => {
            format!("an exchange rate between {from} and {to} dated on or before {day}")
        }
        FailureCause::MissingMapKey { key } => format!("a value for {key:?} in the map"),
        FailureCause::MissingDesignationDate { field, name, list } => {
            let date = match field.as_str() {
                "delisted_on" => "delisting date",
                _ => "listing date",
            };
            format!("the {date} of {name}'s designation on {list}")
        }
        FailureCause::MissingBlockedOwnerStake {
            relation,
            owner,
            subject,
        } => format!(
            "the percentage of relation {relation} ({owner}, blocked, owns part of {subject})"
        ),
        FailureCause::MissingBlockingStake {
            relation,
            owner,
            asset,
            subject,
            jurisdiction,
        } => format!(
            "the percentage of relation {relation} ({owner}, blocked, owns part of {asset}), which decides whether {} is blocked under {jurisdiction} rules,",
            subject.as_deref().unwrap_or("it")
        ),
        FailureCause::MissingBlockingControlBasis {
            relation,
            owner,
            asset,
            subject,
            jurisdiction,
        } => format!(
            "the basis of control of relation {relation} ({owner}, blocked, controls {asset}), which decides whether {} is frozen under {jurisdiction} rules (only some bases of control freeze),",
            subject.as_deref().unwrap_or("it")
        ),
        FailureCause::EmptyAggregate { aggregate } => format!("the {aggregate} of no elements"),
        _ => return None,
    })
}

/// A cause that is not an absent fact: a value of the wrong type, or a bound reached.
fn wrong(cause: &FailureCause) -> String {
    match cause {
        FailureCause::DeclaredTypeMismatch {
            attribute,
            transaction,
            name,
            expected,
            found,
            value,
        } => {
            let label = match (attribute, transaction, name) {
                (Some(attribute), Some(transaction), _) => {
                    format!("attribute `{attribute}` of transaction `{transaction}`")
                }
                (Some(attribute), None, Some(name)) => format!("attribute `{attribute}` of {name}"),
                (Some(attribute), None, None) => format!("attribute `{attribute}`"),
                (None, ..) => String::from("the attribute"),
            };
            let expected = crate::plan::AttributeType::ALL
                .iter()
                .find(|(keyword, _)| keyword == expected)
                .map_or(expected.as_str(), |(_, ty)| ty.describe());
            let given = match (found, value) {
                (ValueKind::Text, crate::eval::FactValue::Text(text)) => {
                    format!("the text {text:?}")
                }
                (found, value) => format!("{} ({value})", kind(*found)),
            };
            format!("{label} is declared {expected}, but the facts give {given}")
        }
        FailureCause::CannotCompute {
            left,
            operator,
            right,
        } => format!("cannot compute {} {operator} {}", kind(*left), kind(*right)),
        FailureCause::NotFinite {
            left,
            operator,
            right,
        } => format!("{left} {operator} {right} has no finite result (a division by zero?)"),
        FailureCause::MixedCurrencies {
            operator,
            left,
            right,
        } => format!(
            "`{operator}` mixes currencies: {} is in {}, {} is in {}; convert one with `convert(..., \"{}\")` and exchange rates in the facts",
            amount(left),
            left.currency,
            amount(right),
            right.currency,
            right.currency,
        ),
        FailureCause::AggregateMixesCurrencies {
            aggregate,
            amount: read,
            currency,
        } => format!(
            "`{aggregate}` mixes currencies: {} is in {}, the amounts before it in {currency}; convert each with `convert(..., \"{currency}\")` and exchange rates in the facts",
            amount(read),
            read.currency,
        ),
        FailureCause::AggregateNeedsNumbers { aggregate, found } => format!(
            "`{aggregate}` adds up numbers or amounts of one currency, found {}",
            kind(*found)
        ),
        FailureCause::ConvertNeedsAmount { found } => {
            format!("`convert` converts an amount, found {}", kind(*found))
        }
        FailureCause::ConvertNeedsCurrency { found } => {
            format!("`convert` needs a currency code, found {}", kind(*found))
        }
        FailureCause::LookupNeedsMap { found } => {
            format!("`[...]` looks in a map, found {}", kind(*found))
        }
        FailureCause::MapKeyNeedsText { found } => {
            format!("a map's key is text, found {}", kind(*found))
        }
        FailureCause::CaseNeedsText { found } => {
            format!("`lower` and `upper` apply to text, found {}", kind(*found))
        }
        FailureCause::SimilarityNeedsText { left, right } => format!(
            "`name_similarity` compares names, found {} and {}",
            kind(*left),
            kind(*right)
        ),
        FailureCause::MatchesNeedsText { found } => {
            format!("`matches` tests text, found {}", kind(*found))
        }
        FailureCause::WithinNeedsDates { left, right } => format!(
            "`within` compares dates, found {} and {}",
            kind(*left),
            kind(*right)
        ),
        FailureCause::CannotCompare { left, right } => {
            format!("cannot compare {} with {}", kind(*left), kind(*right))
        }
        FailureCause::InNeedsItem { found } => {
            format!("`in` looks up text or a number, found {}", kind(*found))
        }
        FailureCause::InNeedsCollection { found } => {
            format!("`in` needs a set or list, found {}", kind(*found))
        }
        FailureCause::InNeedsNumberSet { found } => format!(
            "a number is looked up in a set of numbers, found {}",
            kind(*found)
        ),
        FailureCause::TextTestNeedsNeedle { found } => {
            format!("text tests need text on the right, found {}", kind(*found))
        }
        FailureCause::TextTestNeedsText { found } => {
            format!("text tests need text on the left, found {}", kind(*found))
        }
        FailureCause::NotTrueOrFalse { found } => {
            format!("expected true/false, found {}", kind(*found))
        }
        FailureCause::NotADate { text } => match text.parse::<crate::date::Date>() {
            Err(error) => error.to_string(),
            Ok(_) => format!("`{text}` is not a valid date"),
        },
        FailureCause::OffCalendar { date, amount, unit } => {
            let unit = unit.strip_suffix('s').unwrap_or(unit);
            let plural = if *amount == 1 { "" } else { "s" };
            format!("{date} moved by {amount} {unit}{plural} is off the calendar")
        }
        FailureCause::NotDesignated { name } => {
            format!("{name} is not designated, so it has no designation date")
        }
        FailureCause::NoSettingsInForce { jurisdiction, day } => {
            format!("no version of the {jurisdiction} jurisdiction settings is in force on {day}")
        }
        FailureCause::WalkTooLong {
            traversal,
            from,
            limit,
        } => format!(
            "walking `{traversal}` from {from} reached more than {limit} entities; bound it with a smaller `up to`"
        ),
        FailureCause::StepBudget { limit } => format!(
            "the rule needed more than {limit} steps on this transaction (elements tried, relations followed and designations read); narrow its quantifiers or walks"
        ),
        FailureCause::ListingDatesUnknown { listings } => {
            let listings: Vec<String> = listings.iter().map(unknown_listing).collect();
            format!("{}; the block goes to review instead", listings.join("; "))
        }
        FailureCause::Internal { inconsistency } => String::from(internal(*inconsistency)),
        // Absent facts are written by `missing_fact`; a cause added later reads generically.
        _ => missing_fact(cause).map_or_else(
            || String::from("the facts do not allow the rule to be evaluated"),
            |fact| format!("{fact} is not given in the facts"),
        ),
    }
}

/// A value's type in words: "a number", "true/false".
fn kind(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Bool => "true/false",
        ValueKind::Number => "a number",
        ValueKind::Text => "text",
        ValueKind::Date => "a date",
        ValueKind::Set => "a set",
        ValueKind::List => "a list",
        ValueKind::Entity => "an entity",
        ValueKind::Designations => "designations",
        ValueKind::NumberSet => "a set of numbers",
        ValueKind::Map => "a map",
        ValueKind::Period => "a period",
        ValueKind::Amount => "an amount",
    }
}

/// "the amount of transaction `tx-7` (950.5 EUR)".
fn amount(read: &AmountRead) -> String {
    let figure = format!("{} {}", format_number(read.value), read.currency);
    match &read.origin {
        AmountOrigin::Transaction { id } => format!("the amount of transaction `{id}` ({figure})"),
        AmountOrigin::Earlier => format!("an earlier transaction's amount ({figure})"),
        AmountOrigin::Policy => figure,
        AmountOrigin::Computed => format!("the amount computed ({figure})"),
    }
}

fn internal(inconsistency: Inconsistency) -> &'static str {
    match inconsistency {
        Inconsistency::UnboundVariable => "a variable was used before it was bound",
        Inconsistency::ConditionAsValue => "a condition was used where a value is needed",
        Inconsistency::EntityOutOfRange => "an entity index is out of range",
        Inconsistency::EarlierTransactionOutOfRange => "an earlier transaction is out of range",
        Inconsistency::DesignationOutOfRange => "a designation is out of range",
        Inconsistency::NoRelationWalked => "no relation was walked",
        Inconsistency::RoleOfNonParty => "only parties have a role",
        Inconsistency::UndeclaredJurisdiction => "a rule names a jurisdiction that is not declared",
        Inconsistency::StakeNotInStore => {
            "an unknown stake names a relation that is not in the store"
        }
    }
}
