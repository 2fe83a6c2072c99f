//! Values and the tests on them: fields of the transaction and of bound entities, jurisdiction
//! settings, comparisons, set membership and text tests, and how values are printed.

use super::{Bound, Context, Outcome, Trace};
use crate::date::Date;
use crate::eval::decision::FactValue;
use crate::eval::failure::{FailureCause as Cause, Inconsistency};
use crate::eval::value::{EvalError, Money, Value};
use crate::facts::{EntityIndex, Regime};
use crate::number::format_number;
use crate::plan::{
    AttributeType, Comparison, EntityField, Expr, RegimeSetting, TextTest, TransactionField,
};

impl<'a> Context<'a> {
    /// The value of a non-boolean expression.
    pub(in crate::eval) fn value(&mut self, expr: &'a Expr) -> Result<Value<'a>, EvalError> {
        match expr {
            Expr::Constant(constant) => Ok(Value::of_constant(constant)),
            Expr::Declared(read, ty) => self.declared(read, *ty),
            Expr::Arithmetic(op, lhs, rhs) => self.arithmetic(*op, lhs, rhs),
            Expr::Lookup { map, key } => self.lookup(map, key),
            Expr::Function(function, arg) => self.function(*function, arg),
            Expr::Convert { amount, currency } => self.convert(amount, currency),
            Expr::Aggregate {
                kind,
                slot,
                collection,
                filter,
                value,
            } => self.aggregate(
                *kind,
                *slot,
                collection,
                filter.as_deref(),
                value.as_deref(),
            ),
            Expr::Score(indicators) => self.score(indicators),
            Expr::NameSimilarity(first, second) => self.name_similarity(first, second),
            Expr::Earlier(slot, field) => self.earlier_field(*slot, *field),
            Expr::EarlierAttribute(slot, name) => self.earlier_attribute(*slot, name),
            Expr::Designation(slot, field) => self.designation_field(*slot, *field),
            Expr::Transaction(field) => self.transaction_field(*field),
            Expr::TransactionAttribute(name) => self
                .transaction
                .attributes
                .get(name)
                .map(Value::of_attribute)
                .ok_or_else(|| {
                    EvalError::from(Cause::MissingTransactionAttribute {
                        attribute: name.clone(),
                    })
                }),
            Expr::Entity(slot, field) => self.entity_field(self.bound(*slot)?, *field),
            Expr::Setting { regime, setting } => self.setting(*regime, *setting),
            Expr::BlockedStake { subject, regime } => {
                let entity = self.bound(*subject)?.entity;
                let stakes = self.blocked_stakes(entity, *regime)?;
                Ok(Value::Number(stakes.iter().map(|s| s.percent).sum()))
            }
            Expr::EntityAttribute(slot, name) => {
                let bound = self.bound(*slot)?;
                let entity = self.facts.entity(bound.entity);
                entity
                    .and_then(|e| e.attributes.get(name))
                    .map(Value::of_attribute)
                    .ok_or_else(|| {
                        EvalError::from(Cause::MissingEntityAttribute {
                            attribute: name.clone(),
                            name: self.entity_name(bound.entity),
                        })
                    })
            }
            _ => Err(EvalError::from(Inconsistency::ConditionAsValue)),
        }
    }

    /// Whether `expr` has a value (`is present`). Attributes and optional fields are looked up
    /// directly: most such tests find nothing, and the error a missing value carries (a sentence
    /// naming the entity) would be built only to be dropped.
    pub(super) fn present(&mut self, expr: &'a Expr) -> Outcome {
        match expr {
            // Whether a declared attribute is given does not depend on its type.
            Expr::Declared(read, _) => self.present(read),
            Expr::EarlierAttribute(slot, name) => {
                Ok(self.earlier(*slot)?.attributes.contains_key(name))
            }
            Expr::TransactionAttribute(name) => Ok(self.transaction.attributes.contains_key(name)),
            Expr::EntityAttribute(slot, name) => {
                let entity = self.facts.entity(self.bound(*slot)?.entity);
                Ok(entity.is_some_and(|e| e.attributes.contains_key(name)))
            }
            Expr::Entity(slot, field @ (EntityField::Country | EntityField::Nationality)) => {
                let entity = self
                    .facts
                    .entity(self.bound(*slot)?.entity)
                    .ok_or_else(|| EvalError::from(Inconsistency::EntityOutOfRange))?;
                Ok(match field {
                    EntityField::Country => entity.country.is_some(),
                    _ => entity.nationality.is_some(),
                })
            }
            other => match self.value(other) {
                Ok(_) => Ok(true),
                Err(e) if e.missing() => Ok(false),
                Err(e) => Err(e),
            },
        }
    }

    /// A jurisdiction's setting; one it does not declare is missing, so the rule fails closed.
    fn setting(&self, regime: u16, setting: RegimeSetting) -> Result<Value<'a>, EvalError> {
        let regime = self.version(regime)?;
        let settings = self.regimes.get(regime as usize);
        let value = match setting {
            RegimeSetting::SignificantMinority => settings.and_then(Regime::significant_minority),
        };
        value.map(Value::Number).ok_or_else(|| {
            EvalError::from(Cause::MissingSetting {
                setting: setting.name().to_owned(),
                jurisdiction: settings.map(|r| r.code.clone()),
            })
        })
    }

    fn transaction_field(&self, field: TransactionField) -> Result<Value<'a>, EvalError> {
        let t = self.transaction;
        let amount = || {
            t.amount.as_ref().ok_or_else(|| {
                EvalError::from(Cause::MissingAmount {
                    transaction: t.id.clone(),
                })
            })
        };
        Ok(match field {
            TransactionField::Id => Value::Text(&t.id),
            TransactionField::Kind => Value::Text(&t.kind),
            TransactionField::Date => Value::Date(t.date),
            TransactionField::Amount => {
                let amount = amount()?;
                Value::Amount(Money {
                    value: amount.value,
                    currency: &amount.currency,
                    day: Some(t.date),
                })
            }
            TransactionField::AmountValue => Value::Number(amount()?.value),
            TransactionField::AmountCurrency => Value::Text(&amount()?.currency),
        })
    }

    fn entity_field(&self, bound: Bound, field: EntityField) -> Result<Value<'a>, EvalError> {
        let facts = self.facts;
        let entity = facts
            .entity(bound.entity)
            .ok_or_else(|| EvalError::from(Inconsistency::EntityOutOfRange))?;
        let name = || self.entity_name(bound.entity);
        let via = || {
            bound
                .via
                .and_then(|r| facts.relation(r))
                .ok_or_else(|| EvalError::from(Inconsistency::NoRelationWalked))
        };
        let optional = |value: Option<&'a String>, what: &str| {
            value.map(|v| Value::Text(v)).ok_or_else(|| {
                EvalError::from(Cause::MissingEntityField {
                    field: what.to_owned(),
                    name: name(),
                })
            })
        };
        Ok(match field {
            EntityField::Itself => Value::Entity(bound.entity),
            EntityField::Id => Value::Text(&entity.id),
            EntityField::Name => Value::Text(&entity.name),
            EntityField::Kind => Value::Text(entity.kind.keyword()),
            EntityField::Country => optional(entity.country.as_ref(), "country")?,
            EntityField::Nationality => optional(entity.nationality.as_ref(), "nationality")?,
            EntityField::Aliases => Value::List(&entity.aliases),
            EntityField::Designations => Value::Designations(bound.entity),
            EntityField::Depth => Value::Number(f64::from(bound.depth)),
            EntityField::Role => {
                let party = bound
                    .party
                    .and_then(|p| self.transaction.parties.get(p as usize));
                Value::Text(
                    party
                        .map(|p| p.role.as_str())
                        .ok_or_else(|| EvalError::from(Inconsistency::RoleOfNonParty))?,
                )
            }
            EntityField::ViaPercent => {
                let relation = via()?;
                let percent = relation.percent.ok_or_else(|| {
                    let error = EvalError::from(Cause::MissingPercent {
                        relation: relation.id.clone(),
                        from: self.entity_name(relation.from),
                        relation_kind: relation.kind.keyword().to_owned(),
                        to: self.entity_name(relation.to),
                    });
                    match bound.via {
                        Some(index) => error.at(index),
                        None => error,
                    }
                })?;
                Value::Number(percent)
            }
            EntityField::ViaRole => {
                let relation = via()?;
                Value::Text(relation.role.as_deref().ok_or_else(|| {
                    EvalError::from(Cause::MissingRelationRole {
                        relation: relation.id.clone(),
                    })
                })?)
            }
            EntityField::ViaKind => Value::Text(via()?.kind.keyword()),
            EntityField::ViaId => Value::Text(&via()?.id),
            EntityField::ViaStart => {
                let relation = via()?;
                Value::Date(relation.start.ok_or_else(|| {
                    EvalError::from(Cause::MissingRelationStart {
                        relation: relation.id.clone(),
                    })
                })?)
            }
            EntityField::ViaEnd => {
                let relation = via()?;
                Value::Date(relation.end.ok_or_else(|| {
                    EvalError::from(Cause::MissingRelationEnd {
                        relation: relation.id.clone(),
                    })
                })?)
            }
            EntityField::ViaBasis => {
                let relation = via()?;
                Value::Text(relation.basis.map(|b| b.keyword()).ok_or_else(|| {
                    EvalError::from(Cause::MissingControlBasis {
                        relation: relation.id.clone(),
                    })
                })?)
            }
            EntityField::DesignatedOn => Value::Date(self.designated_on(bound.entity)?),
        })
    }

    /// The earliest listing date among `entity`'s designations in force, for rules on dealings
    /// after a designation (31 CFR 510.202: transfers after designation are void).
    fn designated_on(&self, entity: EntityIndex) -> Result<Date, EvalError> {
        let mut in_force = self
            .facts
            .designations_of(entity)
            .filter(|(_, d)| d.in_force_on(self.as_of))
            .peekable();
        if in_force.peek().is_none() {
            return Err(EvalError::from(Cause::NotDesignated {
                name: self.entity_name(entity),
            }));
        }
        in_force
            .map(|(_, d)| d.listed_on)
            .collect::<Option<Vec<Date>>>()
            .and_then(|dates| dates.into_iter().min())
            .ok_or_else(|| {
                EvalError::from(Cause::MissingListingDates {
                    name: self.entity_name(entity),
                })
            })
    }

    pub(super) fn compare(&mut self, op: Comparison, lhs: &'a Expr, rhs: &'a Expr) -> Outcome {
        let (left, right) = (self.value(lhs)?, self.value(rhs)?);
        let ordering = match (left, right) {
            (Value::Text(a), Value::Text(b))
                if matches!(op, Comparison::Eq | Comparison::Ne)
                    && a != b
                    && (names_a_country(lhs) || names_a_country(rhs)) =>
            {
                // Country codes are codes, not prose: `kp` is `KP`. Compared in place, since
                // this is on the path of every rule that reads a country.
                Some(if a.eq_ignore_ascii_case(b) {
                    std::cmp::Ordering::Equal
                } else {
                    a.cmp(b)
                })
            }
            (Value::Cased(..), Value::Text(_) | Value::Cased(..))
            | (Value::Text(_), Value::Cased(..))
                if matches!(op, Comparison::Eq | Comparison::Ne) =>
            {
                left.as_text().zip(right.as_text()).map(|(a, b)| a.cmp(&b))
            }
            (Value::Number(a), Value::Number(b)) => a.partial_cmp(&b),
            (Value::Amount(a), Value::Amount(b)) => {
                self.same_currency(op_symbol(op), (lhs, a), (rhs, b))?;
                a.value.partial_cmp(&b.value)
            }
            // A bare number compares with the figure, as `amount.value` does.
            (Value::Amount(a), Value::Number(b)) => a.value.partial_cmp(&b),
            (Value::Number(a), Value::Amount(b)) => a.partial_cmp(&b.value),
            (Value::Date(a), Value::Date(b)) => Some(a.cmp(&b)),
            (Value::Text(a), Value::Date(b)) => Some(as_date(a)?.cmp(&b)),
            (Value::Date(a), Value::Text(b)) => Some(a.cmp(&as_date(b)?)),
            (Value::Text(a), Value::Text(b)) if matches!(op, Comparison::Eq | Comparison::Ne) => {
                Some(a.cmp(b))
            }
            (Value::Bool(a), Value::Bool(b)) if matches!(op, Comparison::Eq | Comparison::Ne) => {
                Some(a.cmp(&b))
            }
            (Value::Entity(a), Value::Entity(b))
                if matches!(op, Comparison::Eq | Comparison::Ne) =>
            {
                Some(a.cmp(&b))
            }
            (a, b) => {
                return Err(EvalError::from(Cause::CannotCompare {
                    left: a.kind(),
                    right: b.kind(),
                }));
            }
        };
        let Some(ordering) = ordering else {
            return Ok(false);
        };
        let holds = op.holds(ordering);
        if holds {
            self.record_fact(lhs, left);
            self.record_fact(rhs, right);
        }
        Ok(holds)
    }

    pub(super) fn membership(
        &mut self,
        element: &'a Expr,
        set: &'a Expr,
        negated: bool,
    ) -> Outcome {
        let looked_up = self.value(element)?;
        let item = match looked_up {
            Value::Number(n) => return self.number_membership(element, n, set, negated),
            Value::Cased(..) => looked_up.as_text().unwrap_or_default(),
            Value::Text(t)
                if t.bytes().any(|b| b.is_ascii_lowercase()) && names_a_country(element) =>
            {
                std::borrow::Cow::Owned(t.to_ascii_uppercase())
            }
            Value::Text(t) => std::borrow::Cow::Borrowed(t),
            other => {
                return Err(EvalError::from(Cause::InNeedsItem {
                    found: other.kind(),
                }));
            }
        };
        let item = item.as_ref();
        let found = match self.value(set)? {
            Value::Set(s) => s.contains(item),
            other @ (Value::List(_) | Value::Attributes(_)) => other.texts().contains(&item),
            other => {
                return Err(EvalError::from(Cause::InNeedsCollection {
                    found: other.kind(),
                }));
            }
        };
        if found != negated {
            self.record_fact(element, looked_up);
        }
        Ok(found != negated)
    }

    /// `n in {10000, 20000}`.
    fn number_membership(
        &mut self,
        element: &'a Expr,
        number: f64,
        set: &'a Expr,
        negated: bool,
    ) -> Outcome {
        let found = match self.value(set)? {
            Value::NumberSet(numbers) => numbers.contains(&number),
            other => {
                return Err(EvalError::from(Cause::InNeedsNumberSet {
                    found: other.kind(),
                }));
            }
        };
        if found != negated {
            self.record_fact(element, Value::Number(number));
        }
        Ok(found != negated)
    }

    pub(super) fn text_test(&mut self, test: TextTest, lhs: &'a Expr, rhs: &'a Expr) -> Outcome {
        let haystack = self.value(lhs)?;
        let needle = match self.value(rhs)? {
            Value::Text(t) => t.to_lowercase(),
            other => {
                return Err(EvalError::from(Cause::TextTestNeedsNeedle {
                    found: other.kind(),
                }));
            }
        };
        let candidates = haystack.texts();
        if candidates.is_empty() && !matches!(haystack, Value::List(_) | Value::Attributes(_)) {
            return Err(EvalError::from(Cause::TextTestNeedsText {
                found: haystack.kind(),
            }));
        }
        let hit = candidates.into_iter().find(|candidate| {
            let candidate = candidate.to_lowercase();
            match test {
                TextTest::Contains => candidate.contains(&needle),
                TextTest::StartsWith => candidate.starts_with(&needle),
                TextTest::EndsWith => candidate.ends_with(&needle),
            }
        });
        if let Some(hit) = hit {
            self.record_fact(lhs, Value::Text(hit));
        }
        Ok(hit.is_some())
    }

    /// Records the value a test relied on, when it comes from the facts rather than the policy.
    pub(super) fn record_fact(&mut self, expr: &Expr, value: Value<'_>) {
        if let Expr::BlockedStake { subject, regime } = expr {
            self.record_blocked_stakes(*subject, *regime);
            return;
        }
        match expr {
            Expr::Declared(read, _) => return self.record_fact(read, value),
            Expr::Function(_, read) => {
                if let Value::Cased(raw, _) = value {
                    self.record_fact(read, Value::Text(raw));
                }
                return;
            }
            Expr::Convert { amount, .. } => {
                // The conversion is in the evidence already; the amount converted is the fact.
                if let Some(operand_value) = self.fact_value(amount) {
                    self.record_fact(amount, operand_value);
                }
                return;
            }
            Expr::Arithmetic(_, lhs, rhs) | Expr::Lookup { map: lhs, key: rhs } => {
                // The operands read from the facts are the evidence; the result is computed.
                for operand in [lhs, rhs] {
                    if let Some(operand_value) = self.fact_value(operand) {
                        self.record_fact(operand, operand_value);
                    }
                }
                return;
            }
            _ => {}
        }
        let (entity, field) = match expr {
            Expr::Transaction(field) => (None, transaction_label(*field).to_owned()),
            Expr::TransactionAttribute(name) => (None, format!("attributes.{name}")),
            Expr::Entity(slot, field) => match (self.bound(*slot), entity_label(*field)) {
                (Ok(bound), Some(label)) => (Some(bound.entity), label.to_owned()),
                _ => return,
            },
            Expr::EntityAttribute(slot, name) => match self.bound(*slot) {
                Ok(bound) => (Some(bound.entity), format!("attributes.{name}")),
                Err(_) => return,
            },
            _ => return,
        };
        let value = match value {
            Value::Bool(b) => FactValue::Bool(b),
            Value::Number(n) => FactValue::Number(n),
            Value::Amount(money) => {
                // Kept typed: the figure as a number, the currency beside it.
                self.trace.push(Trace::Fact {
                    entity,
                    field: format!("{field}.value"),
                    value: FactValue::Number(money.value),
                });
                self.trace.push(Trace::Fact {
                    entity,
                    field: format!("{field}.currency"),
                    value: FactValue::Text(money.currency.to_owned()),
                });
                return;
            }
            other => FactValue::Text(self.render(other)),
        };
        self.trace.push(Trace::Fact {
            entity,
            field,
            value,
        });
    }

    /// The value of a plain read of the facts (a field or an attribute), for evidence; computed
    /// values and constants give none.
    fn fact_value(&mut self, expr: &Expr) -> Option<Value<'a>> {
        match expr {
            Expr::Transaction(field) => self.transaction_field(*field).ok(),
            Expr::TransactionAttribute(name) => self
                .transaction
                .attributes
                .get(name)
                .map(Value::of_attribute),
            Expr::Entity(slot, field) => {
                let bound = self.bound(*slot).ok()?;
                self.entity_field(bound, *field).ok()
            }
            Expr::EntityAttribute(slot, name) => {
                let bound = self.bound(*slot).ok()?;
                let entity = self.facts.entity(bound.entity)?;
                entity.attributes.get(name).map(Value::of_attribute)
            }
            Expr::Declared(read, _) => self.fact_value(read),
            _ => None,
        }
    }

    /// A value as text, for messages and evidence.
    pub(super) fn render(&self, value: Value<'_>) -> String {
        match value {
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => format_number(n),
            Value::Text(t) => t.to_owned(),
            Value::Date(d) => d.to_string(),
            Value::Set(_) | Value::List(_) | Value::Attributes(_) => value.texts().join(", "),
            Value::Entity(e) => self.entity_name(e),
            Value::Designations(e) => self.render_designations(e),
            Value::Cased(..) => value.as_text().unwrap_or_default().into_owned(),
            Value::NumberSet(numbers) => {
                let numbers: Vec<String> = numbers.iter().map(|n| format_number(*n)).collect();
                numbers.join(", ")
            }
            Value::Map(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(key, value)| {
                        format!("{key}: {}", self.render(Value::of_constant(value)))
                    })
                    .collect();
                entries.join(", ")
            }
            Value::Duration(period) => period.describe(),
            Value::Amount(money) => format!("{} {}", format_number(money.value), money.currency),
        }
    }

    /// Appends a value printed into a rule's message: country codes become names, and a party's
    /// designations are those the rule's jurisdiction reads (all of them when it reads none, as
    /// for a listing only another jurisdiction has made). Texts, names and designations, what
    /// messages print most, are copied straight into the message.
    pub(in crate::eval) fn push_in_message(
        &self,
        out: &mut String,
        expr: &Expr,
        value: Value<'_>,
        regime: Option<&Regime>,
    ) {
        match value {
            Value::Designations(entity) => {
                let read = self.push_designations_in_force(out, entity, |list| {
                    regime.is_none_or(|r| r.reads(list))
                });
                if read == 0 {
                    out.push_str(&self.render_designations(entity));
                }
            }
            Value::Text(code) if names_a_country(expr) => {
                out.push_str(crate::country_names::country_name(code).unwrap_or(code));
            }
            Value::Text(text) => out.push_str(text),
            Value::Entity(entity) => match self.facts.entity(entity) {
                Some(record) => out.push_str(&record.name),
                None => out.push_str(&self.entity_name(entity)),
            },
            other => out.push_str(&self.render(other)),
        }
    }
}

/// Whether `expr` reads a country code: an entity's country or nationality, an attribute
/// declared a country, or an attribute whose name says it holds one (`beneficiary_bank_country`).
fn names_a_country(expr: &Expr) -> bool {
    match expr {
        Expr::Entity(_, field) => matches!(field, EntityField::Country | EntityField::Nationality),
        Expr::Declared(_, ty) => *ty == AttributeType::Country,
        Expr::TransactionAttribute(name) | Expr::EntityAttribute(_, name) => {
            name.contains("country") || name.contains("nationality")
        }
        _ => false,
    }
}

fn op_symbol(op: Comparison) -> &'static str {
    match op {
        Comparison::Eq => "==",
        Comparison::Ne => "!=",
        Comparison::Lt => "<",
        Comparison::Le => "<=",
        Comparison::Gt => ">",
        Comparison::Ge => ">=",
    }
}

fn as_date(text: &str) -> Result<Date, EvalError> {
    text.parse().map_err(|_: crate::date::DateError| {
        EvalError::from(Cause::NotADate {
            text: text.to_owned(),
        })
    })
}

fn transaction_label(field: TransactionField) -> &'static str {
    match field {
        TransactionField::Id => "id",
        TransactionField::Kind => "kind",
        TransactionField::Date => "date",
        TransactionField::Amount => "amount",
        TransactionField::AmountValue => "amount.value",
        TransactionField::AmountCurrency => "amount.currency",
    }
}

fn entity_label(field: EntityField) -> Option<&'static str> {
    Some(match field {
        EntityField::Id => "id",
        EntityField::Name => "name",
        EntityField::Kind => "kind",
        EntityField::Country => "country",
        EntityField::Nationality => "nationality",
        EntityField::Aliases => "aliases",
        EntityField::Role => "role",
        // The walked relation is already in the evidence with all its fields.
        EntityField::Depth
        | EntityField::ViaPercent
        | EntityField::ViaRole
        | EntityField::ViaKind
        | EntityField::ViaId
        | EntityField::ViaStart
        | EntityField::ViaEnd
        | EntityField::ViaBasis
        | EntityField::DesignatedOn
        | EntityField::Itself
        | EntityField::Designations => return None,
    })
}
