//! Values computed from others: declared attributes checked against their types, arithmetic,
//! periods and dates, map lookups, `lower`/`upper`, patterns, aggregates, the score of weighted
//! indicators, and the fields of earlier transactions and of designations.

use super::{Context, Outcome, Trace};
use crate::ast::{AggregateKind, DateUnit, Duration};
use crate::date::Date;
use crate::eval::failure::{AmountOrigin, AmountRead, FailureCause as Cause, Inconsistency};
use crate::eval::value::{EvalError, Money, Value};
use crate::plan::{
    Arithmetic, AttributeType, Collection, DesignationField, Expr, Function, Indicator, Pattern,
    Slot, TransactionField,
};

impl<'a> Context<'a> {
    /// An attribute's value, checked against the type its policy declares: a value of another
    /// type is an error naming the attribute, so the rule fails closed instead of comparing
    /// text with a number.
    pub(super) fn declared(
        &mut self,
        read: &'a Expr,
        ty: AttributeType,
    ) -> Result<Value<'a>, EvalError> {
        let value = self.value(read)?;
        let checked = match (ty, value) {
            (AttributeType::Text, Value::Text(_))
            | (AttributeType::Number, Value::Number(_))
            | (AttributeType::Bool, Value::Bool(_))
            | (AttributeType::List, Value::Attributes(_) | Value::List(_)) => Some(value),
            (AttributeType::Date, Value::Text(text)) => text.parse::<Date>().ok().map(Value::Date),
            (AttributeType::Country, Value::Text(code)) if crate::plan::is_country_code(code) => {
                Some(value)
            }
            _ => None,
        };
        checked.ok_or_else(|| {
            let (attribute, transaction, name) = self.attribute_holder(read);
            let given = match value {
                Value::Number(n) => crate::eval::FactValue::Number(n),
                Value::Bool(b) => crate::eval::FactValue::Bool(b),
                other => crate::eval::FactValue::Text(self.render(other)),
            };
            EvalError::from(Cause::DeclaredTypeMismatch {
                attribute,
                transaction,
                name,
                expected: ty.name().to_owned(),
                found: value.kind(),
                value: given,
            })
        })
    }

    /// The attribute `read` names, and the transaction (by id) or entity (by name) it belongs
    /// to, for errors.
    fn attribute_holder(&self, read: &Expr) -> (Option<String>, Option<String>, Option<String>) {
        match read {
            Expr::TransactionAttribute(name) => {
                (Some(name.clone()), Some(self.transaction.id.clone()), None)
            }
            Expr::EntityAttribute(slot, name) => (
                Some(name.clone()),
                None,
                self.bound(*slot).ok().map(|b| self.entity_name(b.entity)),
            ),
            Expr::EarlierAttribute(slot, name) => (
                Some(name.clone()),
                self.earlier(*slot).ok().map(|e| e.id.clone()),
                None,
            ),
            _ => (None, None, None),
        }
    }

    /// `a + b`, `a - b`, `a * b`, `a / b`; a date moved by a period; days between dates.
    pub(super) fn arithmetic(
        &mut self,
        op: Arithmetic,
        lhs: &'a Expr,
        rhs: &'a Expr,
    ) -> Result<Value<'a>, EvalError> {
        let (left, right) = (self.value(lhs)?, self.value(rhs)?);
        let result = match (op, left, right) {
            (_, Value::Number(a), Value::Number(b)) => Value::Number(compute(op, a, b)),
            (
                Arithmetic::Add | Arithmetic::Sub | Arithmetic::Div,
                Value::Amount(a),
                Value::Amount(b),
            ) => {
                self.same_currency(symbol(op), (lhs, a), (rhs, b))?;
                let figure = compute(op, a.value, b.value);
                if op == Arithmetic::Div {
                    Value::Number(figure)
                } else {
                    let day = if a.day == b.day { a.day } else { None };
                    Value::Amount(Money {
                        day,
                        ..a.with_value(figure)
                    })
                }
            }
            (Arithmetic::Mul | Arithmetic::Div, Value::Amount(a), Value::Number(n)) => {
                Value::Amount(a.with_value(compute(op, a.value, n)))
            }
            (Arithmetic::Mul, Value::Number(n), Value::Amount(a)) => {
                Value::Amount(a.with_value(n * a.value))
            }
            (Arithmetic::Add, Value::Date(date), Value::Duration(period)) => {
                Value::Date(shift(date, period, 1)?)
            }
            (Arithmetic::Sub, Value::Date(date), Value::Duration(period)) => {
                Value::Date(shift(date, period, -1)?)
            }
            (Arithmetic::Sub, Value::Date(a), Value::Date(b)) => {
                Value::Number(a.days_since(b) as f64)
            }
            (_, a, b) => {
                return Err(EvalError::from(Cause::CannotCompute {
                    left: a.kind(),
                    operator: symbol(op).to_owned(),
                    right: b.kind(),
                }));
            }
        };
        let figure = match result {
            Value::Number(n) => n,
            Value::Amount(money) => money.value,
            _ => 0.0,
        };
        if figure.is_finite() {
            return Ok(result);
        }
        Err(EvalError::from(Cause::NotFinite {
            left: self.render(left),
            operator: symbol(op).to_owned(),
            right: self.render(right),
        }))
    }

    /// Refuses two amounts in different currencies, naming where each comes from: the rule
    /// fails closed rather than compare dollars with euros.
    pub(super) fn same_currency(
        &self,
        operator: &str,
        (lhs, a): (&Expr, Money<'_>),
        (rhs, b): (&Expr, Money<'_>),
    ) -> Result<(), EvalError> {
        if a.currency == b.currency {
            return Ok(());
        }
        Err(EvalError::from(Cause::MixedCurrencies {
            operator: operator.to_owned(),
            left: self.amount_read(lhs, a),
            right: self.amount_read(rhs, b),
        }))
    }

    /// "the amount of transaction `tx-1` (12500 EUR)", "10000 USD": where an amount comes from.
    fn amount_read(&self, expr: &Expr, money: Money<'_>) -> AmountRead {
        let origin = match expr {
            Expr::Transaction(TransactionField::Amount) => AmountOrigin::Transaction {
                id: self.transaction.id.clone(),
            },
            Expr::Earlier(slot, TransactionField::Amount) => match self.earlier(*slot) {
                Ok(earlier) => AmountOrigin::Transaction {
                    id: earlier.id.clone(),
                },
                Err(_) => AmountOrigin::Earlier,
            },
            Expr::Constant(_) => AmountOrigin::Policy,
            _ => AmountOrigin::Computed,
        };
        AmountRead {
            value: money.value,
            currency: money.currency.to_owned(),
            origin,
        }
    }

    /// `convert(amount, "USD")`: the amount at the latest rate the facts give for the pair on
    /// or before the day of its transaction; the rate used goes into the evidence.
    pub(super) fn convert(
        &mut self,
        amount: &'a Expr,
        currency: &'a Expr,
    ) -> Result<Value<'a>, EvalError> {
        let converted = self.value(amount)?;
        let Value::Amount(money) = converted else {
            return Err(EvalError::from(Cause::ConvertNeedsAmount {
                found: converted.kind(),
            }));
        };
        let wanted = match self.value(currency)? {
            Value::Text(code) => code,
            other => {
                return Err(EvalError::from(Cause::ConvertNeedsCurrency {
                    found: other.kind(),
                }));
            }
        };
        if money.currency == wanted {
            return Ok(converted);
        }
        let day = money.day.unwrap_or(self.transaction.date);
        let facts: &'a crate::facts::Facts = self.facts;
        let applied = facts.rate(money.currency, wanted, day).ok_or_else(|| {
            EvalError::from(Cause::MissingRate {
                from: money.currency.to_owned(),
                to: wanted.to_owned(),
                day,
            })
        })?;
        let result = Money {
            value: money.value * applied.factor(),
            currency: wanted,
            day: money.day,
        };
        self.trace.push(Trace::Conversion {
            amount: money.value,
            converted: result.value,
            rate: u32::try_from(applied.position).unwrap_or(u32::MAX),
            inverted: applied.inverted,
        });
        Ok(Value::Amount(result))
    }

    /// `map[key]`; a key the map lacks is a missing fact.
    pub(super) fn lookup(&mut self, map: &'a Expr, key: &'a Expr) -> Result<Value<'a>, EvalError> {
        let entries = match self.value(map)? {
            Value::Map(entries) => entries,
            other => {
                return Err(EvalError::from(Cause::LookupNeedsMap {
                    found: other.kind(),
                }));
            }
        };
        let key = self.value(key)?;
        let Some(text) = key.as_text() else {
            return Err(EvalError::from(Cause::MapKeyNeedsText {
                found: key.kind(),
            }));
        };
        entries
            .binary_search_by(|(k, _)| k.as_str().cmp(&text))
            .ok()
            .and_then(|i| entries.get(i))
            .map(|(_, value)| Value::of_constant(value))
            .ok_or_else(|| {
                EvalError::from(Cause::MissingMapKey {
                    key: text.into_owned(),
                })
            })
    }

    /// `lower(x)`, `upper(x)`.
    pub(super) fn function(
        &mut self,
        function: Function,
        arg: &'a Expr,
    ) -> Result<Value<'a>, EvalError> {
        match self.value(arg)? {
            Value::Text(text) | Value::Cased(text, _) => Ok(Value::Cased(text, function)),
            other => Err(EvalError::from(Cause::CaseNeedsText {
                found: other.kind(),
            })),
        }
    }

    /// `name_similarity(a, b)`: the score name screening gives the two names, 0 to 1.
    pub(super) fn name_similarity(
        &mut self,
        first: &'a Expr,
        second: &'a Expr,
    ) -> Result<Value<'a>, EvalError> {
        let (a, b) = (self.value(first)?, self.value(second)?);
        let (Some(a_text), Some(b_text)) = (a.as_text(), b.as_text()) else {
            return Err(EvalError::from(Cause::SimilarityNeedsText {
                left: a.kind(),
                right: b.kind(),
            }));
        };
        let score = crate::screen::similarity(&a_text, &b_text);
        self.record_fact(first, a);
        self.record_fact(second, b);
        Ok(Value::Number((score * 1000.0).round() / 1000.0))
    }

    /// `text matches "pattern"`: over a list, whether any item matches.
    pub(super) fn matches(&mut self, subject: &'a Expr, pattern: &'a Pattern) -> Outcome {
        let value = self.value(subject)?;
        let hit = match value.as_text() {
            Some(text) => pattern.0.is_match(&text),
            None if matches!(value, Value::List(_) | Value::Attributes(_)) => {
                value.texts().into_iter().any(|t| pattern.0.is_match(t))
            }
            None => {
                return Err(EvalError::from(Cause::MatchesNeedsText {
                    found: value.kind(),
                }));
            }
        };
        if hit {
            self.record_fact(subject, value);
        }
        Ok(hit)
    }

    /// `a within 30 days of b`: `a` is no more than the period before or after `b`.
    pub(super) fn within(
        &mut self,
        subject: &'a Expr,
        window: Duration,
        anchor: &'a Expr,
    ) -> Outcome {
        let (tested, from) = (self.value(subject)?, self.value(anchor)?);
        let (Value::Date(tested_day), Value::Date(from_day)) = (tested, from) else {
            return Err(EvalError::from(Cause::WithinNeedsDates {
                left: tested.kind(),
                right: from.kind(),
            }));
        };
        let holds =
            shift(from_day, window, -1)? <= tested_day && tested_day <= shift(from_day, window, 1)?;
        if holds {
            self.record_fact(subject, tested);
            self.record_fact(anchor, from);
        }
        Ok(holds)
    }

    /// `count`, `sum`, `min` or `max` over a collection. The evidence keeps the elements that
    /// counted (the earlier transactions summed, the owners counted).
    pub(super) fn aggregate(
        &mut self,
        kind: AggregateKind,
        slot: Slot,
        collection: &'a Collection,
        filter: Option<&'a Expr>,
        value: Option<&'a Expr>,
    ) -> Result<Value<'a>, EvalError> {
        let elements = self.elements(collection)?;
        let result = self.aggregate_over(kind, slot, collection, elements.clone(), filter, value);
        self.release(collection, elements.start);
        self.unbind_from(slot as usize);
        result
    }

    fn aggregate_over(
        &mut self,
        kind: AggregateKind,
        slot: Slot,
        collection: &'a Collection,
        elements: std::ops::Range<usize>,
        filter: Option<&'a Expr>,
        value: Option<&'a Expr>,
    ) -> Result<Value<'a>, EvalError> {
        let mut count = 0usize;
        let mut numbers: Vec<f64> = Vec::new();
        // The currency of the amounts aggregated, and the first of them, for errors.
        let mut currency: Option<Money<'a>> = None;
        for element in elements {
            if self.walk_waypoint(collection, element) {
                continue;
            }
            self.spend(1)?;
            let mark = self.trace.len();
            self.unbind_from(slot as usize + 1);
            let bound = self.bind(slot, collection, element);
            self.record_binding(bound, collection, element);
            if let Some(filter) = filter
                && !self.test(filter)?
            {
                self.rewind(mark);
                continue;
            }
            count += 1;
            if let Some(value) = value {
                let taken = self.value(value)?;
                numbers.push(self.aggregated(
                    kind,
                    value,
                    taken,
                    &mut currency,
                    numbers.is_empty(),
                )?);
            }
        }
        let wrap = |figure: f64| match currency {
            Some(first) => Value::Amount(Money {
                day: None,
                ..first.with_value(figure)
            }),
            None => Value::Number(figure),
        };
        let extreme = |pick: fn(f64, f64) -> f64| {
            numbers
                .iter()
                .copied()
                .reduce(pick)
                .map(wrap)
                .ok_or_else(|| {
                    EvalError::from(Cause::EmptyAggregate {
                        aggregate: kind.keyword().to_owned(),
                    })
                })
        };
        match kind {
            AggregateKind::Count => Ok(Value::Number(count as f64)),
            AggregateKind::Sum => Ok(wrap(numbers.iter().sum())),
            AggregateKind::Min => extreme(f64::min),
            AggregateKind::Max => extreme(f64::max),
        }
    }

    /// The figure an aggregate takes of one element: a number, or an amount in the currency of
    /// the amounts before it (`currency`, set by the first; `first` when there was none).
    fn aggregated(
        &self,
        kind: AggregateKind,
        expr: &Expr,
        taken: Value<'a>,
        currency: &mut Option<Money<'a>>,
        first: bool,
    ) -> Result<f64, EvalError> {
        match (taken, *currency) {
            (Value::Number(n), None) => Ok(n),
            (Value::Amount(money), None) if first => {
                *currency = Some(money);
                Ok(money.value)
            }
            (Value::Amount(money), Some(before)) if money.currency == before.currency => {
                Ok(money.value)
            }
            (Value::Amount(money), Some(before)) => {
                Err(EvalError::from(Cause::AggregateMixesCurrencies {
                    aggregate: kind.keyword().to_owned(),
                    amount: self.amount_read(expr, money),
                    currency: before.currency.to_owned(),
                }))
            }
            (other, _) => Err(EvalError::from(Cause::AggregateNeedsNumbers {
                aggregate: kind.keyword().to_owned(),
                found: other.kind(),
            })),
        }
    }

    /// `score`: the weights of the indicators whose conditions hold, added up; each counted one
    /// goes into the evidence with the facts its condition read.
    pub(super) fn score(&mut self, indicators: &'a [Indicator]) -> Result<Value<'a>, EvalError> {
        let mut total = 0.0;
        for indicator in indicators {
            let mark = self.trace.len();
            self.trace.push(Trace::Indicator {
                id: indicator.id.clone(),
                title: indicator.title.clone(),
                weight: indicator.weight,
            });
            if self.test(&indicator.condition)? {
                total += indicator.weight;
            } else {
                self.rewind(mark);
            }
        }
        Ok(Value::Number(total))
    }

    /// The earlier transaction bound to `slot`.
    pub(super) fn earlier(&self, slot: Slot) -> Result<&'a crate::facts::Transaction, EvalError> {
        let bound = self.bound(slot)?;
        self.facts
            .transactions()
            .get(bound.record as usize)
            .ok_or_else(|| EvalError::from(Inconsistency::EarlierTransactionOutOfRange))
    }

    /// A field of the earlier transaction bound to `slot`.
    pub(super) fn earlier_field(
        &self,
        slot: Slot,
        field: TransactionField,
    ) -> Result<Value<'a>, EvalError> {
        let earlier = self.earlier(slot)?;
        let amount = || {
            earlier.amount.as_ref().ok_or_else(|| {
                EvalError::from(Cause::MissingAmount {
                    transaction: earlier.id.clone(),
                })
            })
        };
        Ok(match field {
            TransactionField::Id => Value::Text(&earlier.id),
            TransactionField::Kind => Value::Text(&earlier.kind),
            TransactionField::Date => Value::Date(earlier.date),
            TransactionField::Amount => {
                let amount = amount()?;
                Value::Amount(Money {
                    value: amount.value,
                    currency: &amount.currency,
                    day: Some(earlier.date),
                })
            }
            TransactionField::AmountValue => Value::Number(amount()?.value),
            TransactionField::AmountCurrency => Value::Text(&amount()?.currency),
        })
    }

    /// `t.attributes.<name>` of the earlier transaction bound to `slot`.
    pub(super) fn earlier_attribute(&self, slot: Slot, name: &str) -> Result<Value<'a>, EvalError> {
        let earlier = self.earlier(slot)?;
        earlier
            .attributes
            .get(name)
            .map(Value::of_attribute)
            .ok_or_else(|| {
                EvalError::from(Cause::MissingEarlierAttribute {
                    attribute: name.to_owned(),
                    transaction: earlier.id.clone(),
                })
            })
    }

    /// A field of the designation bound to `slot`.
    pub(super) fn designation_field(
        &self,
        slot: Slot,
        field: DesignationField,
    ) -> Result<Value<'a>, EvalError> {
        let bound = self.bound(slot)?;
        let designation = self
            .facts
            .designation(bound.record)
            .ok_or_else(|| EvalError::from(Inconsistency::DesignationOutOfRange))?;
        let date = |day: Option<Date>, what: &str| {
            day.map(Value::Date).ok_or_else(|| {
                EvalError::from(Cause::MissingDesignationDate {
                    field: what.to_owned(),
                    name: self.entity_name(designation.entity),
                    list: designation.list.clone(),
                })
            })
        };
        match field {
            DesignationField::List => Ok(Value::Text(&designation.list)),
            DesignationField::Programs => Ok(Value::List(&designation.programs)),
            DesignationField::ListedOn => date(designation.listed_on, "listed_on"),
            DesignationField::DelistedOn => date(designation.delisted_on, "delisted_on"),
            DesignationField::Measure => Ok(Value::Text(designation.measure.keyword())),
        }
    }
}

/// `date` moved by `period`, forward (`sign` 1) or back (`sign` -1).
pub(super) fn shift(date: Date, period: Duration, sign: i64) -> Result<Date, EvalError> {
    let amount = i64::from(period.amount) * sign;
    let moved = match period.unit {
        DateUnit::Days => date.add_days(amount),
        DateUnit::Months => date.add_months(amount),
        DateUnit::Years => date.add_months(amount.saturating_mul(12)),
    };
    moved.ok_or_else(|| {
        EvalError::from(Cause::OffCalendar {
            date,
            amount: period.amount,
            unit: String::from(match period.unit {
                DateUnit::Days => "days",
                DateUnit::Months => "months",
                DateUnit::Years => "years",
            }),
        })
    })
}

/// `a op b` on figures.
fn compute(op: Arithmetic, a: f64, b: f64) -> f64 {
    match op {
        Arithmetic::Add => a + b,
        Arithmetic::Sub => a - b,
        Arithmetic::Mul => a * b,
        Arithmetic::Div => a / b,
    }
}

fn symbol(op: Arithmetic) -> &'static str {
    match op {
        Arithmetic::Add => "+",
        Arithmetic::Sub => "-",
        Arithmetic::Mul => "*",
        Arithmetic::Div => "/",
    }
}
