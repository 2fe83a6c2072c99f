//! Values computed from others: declared attributes checked against their types, arithmetic,
//! periods and dates, map lookups, `lower`/`upper`, patterns, aggregates, the score of weighted
//! indicators, and the fields of earlier transactions and of designations.

use super::{Context, Outcome, Trace};
use crate::ast::{AggregateKind, DateUnit, Duration};
use crate::date::Date;
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
            let given = match value {
                Value::Text(text) => format!("the text {text:?}"),
                other => format!("{} ({})", other.kind(), self.render(other)),
            };
            EvalError::invalid(format!(
                "{} is declared {}, but the facts give {given}",
                self.attribute_label(read),
                ty.describe(),
            ))
        })
    }

    /// "attribute `x` of transaction `t`" or "attribute `x` of Acme Inc.", for errors.
    fn attribute_label(&self, read: &Expr) -> String {
        match read {
            Expr::TransactionAttribute(name) => {
                format!(
                    "attribute `{name}` of transaction `{}`",
                    self.transaction.id
                )
            }
            Expr::EntityAttribute(slot, name) => match self.bound(*slot) {
                Ok(bound) => format!("attribute `{name}` of {}", self.entity_name(bound.entity)),
                Err(_) => format!("attribute `{name}`"),
            },
            Expr::EarlierAttribute(slot, name) => match self.earlier(*slot) {
                Ok(earlier) => format!("attribute `{name}` of transaction `{}`", earlier.id),
                Err(_) => format!("attribute `{name}`"),
            },
            _ => String::from("the attribute"),
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
                return Err(EvalError::invalid(format!(
                    "cannot compute {} {} {}",
                    a.kind(),
                    symbol(op),
                    b.kind()
                )));
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
        Err(EvalError::invalid(format!(
            "{} {} {} has no finite result (a division by zero?)",
            self.render(left),
            symbol(op),
            self.render(right)
        )))
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
        Err(EvalError::invalid(format!(
            "`{operator}` mixes currencies: {} is in {}, {} is in {}; convert one with `convert(..., \"{}\")` and exchange rates in the facts",
            self.amount_label(lhs, a),
            a.currency,
            self.amount_label(rhs, b),
            b.currency,
            b.currency,
        )))
    }

    /// "the amount of transaction `tx-1` (12500 EUR)", "10000 USD": where an amount comes from.
    fn amount_label(&self, expr: &Expr, money: Money<'_>) -> String {
        let figure = self.render(Value::Amount(money));
        match expr {
            Expr::Transaction(TransactionField::Amount) => {
                format!(
                    "the amount of transaction `{}` ({figure})",
                    self.transaction.id
                )
            }
            Expr::Earlier(slot, TransactionField::Amount) => match self.earlier(*slot) {
                Ok(earlier) => format!("the amount of transaction `{}` ({figure})", earlier.id),
                Err(_) => format!("an earlier transaction's amount ({figure})"),
            },
            Expr::Constant(_) => figure,
            _ => format!("the amount computed ({figure})"),
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
            return Err(EvalError::invalid(format!(
                "`convert` converts an amount, found {}",
                converted.kind()
            )));
        };
        let wanted = match self.value(currency)? {
            Value::Text(code) => code,
            other => {
                return Err(EvalError::invalid(format!(
                    "`convert` needs a currency code, found {}",
                    other.kind()
                )));
            }
        };
        if money.currency == wanted {
            return Ok(converted);
        }
        let day = money.day.unwrap_or(self.transaction.date);
        let facts: &'a crate::facts::Facts = self.facts;
        let applied = facts.rate(money.currency, wanted, day).ok_or_else(|| {
            EvalError::missing(format!(
                "an exchange rate between {} and {wanted} dated on or before {day}",
                money.currency
            ))
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
                return Err(EvalError::invalid(format!(
                    "`[...]` looks in a map, found {}",
                    other.kind()
                )));
            }
        };
        let key = self.value(key)?;
        let Some(text) = key.as_text() else {
            return Err(EvalError::invalid(format!(
                "a map's key is text, found {}",
                key.kind()
            )));
        };
        entries
            .binary_search_by(|(k, _)| k.as_str().cmp(&text))
            .ok()
            .and_then(|i| entries.get(i))
            .map(|(_, value)| Value::of_constant(value))
            .ok_or_else(|| EvalError::missing(format!("a value for {text:?} in the map")))
    }

    /// `lower(x)`, `upper(x)`.
    pub(super) fn function(
        &mut self,
        function: Function,
        arg: &'a Expr,
    ) -> Result<Value<'a>, EvalError> {
        match self.value(arg)? {
            Value::Text(text) | Value::Cased(text, _) => Ok(Value::Cased(text, function)),
            other => Err(EvalError::invalid(format!(
                "`lower` and `upper` apply to text, found {}",
                other.kind()
            ))),
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
            return Err(EvalError::invalid(format!(
                "`name_similarity` compares names, found {} and {}",
                a.kind(),
                b.kind()
            )));
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
                return Err(EvalError::invalid(format!(
                    "`matches` tests text, found {}",
                    value.kind()
                )));
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
            return Err(EvalError::invalid(format!(
                "`within` compares dates, found {} and {}",
                tested.kind(),
                from.kind()
            )));
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
                .ok_or_else(|| EvalError::missing(format!("the {} of no elements", kind.keyword())))
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
            (Value::Amount(money), Some(before)) => Err(EvalError::invalid(format!(
                "`{}` mixes currencies: {} is in {}, the amounts before it in {}; convert each with `convert(..., \"{}\")` and exchange rates in the facts",
                kind.keyword(),
                self.amount_label(expr, money),
                money.currency,
                before.currency,
                before.currency
            ))),
            (other, _) => Err(EvalError::invalid(format!(
                "`{}` adds up numbers or amounts of one currency, found {}",
                kind.keyword(),
                other.kind()
            ))),
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
            .ok_or_else(|| EvalError::invalid("an earlier transaction is out of range"))
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
                EvalError::missing(format!("the amount of transaction `{}`", earlier.id))
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
                EvalError::missing(format!(
                    "attribute `{name}` of transaction `{}`",
                    earlier.id
                ))
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
            .ok_or_else(|| EvalError::invalid("a designation is out of range"))?;
        let date = |day: Option<Date>, what: &str| {
            day.map(Value::Date).ok_or_else(|| {
                EvalError::missing(format!(
                    "the {what} of {}'s designation on {}",
                    self.entity_name(designation.entity),
                    designation.list
                ))
            })
        };
        match field {
            DesignationField::List => Ok(Value::Text(&designation.list)),
            DesignationField::Programs => Ok(Value::List(&designation.programs)),
            DesignationField::ListedOn => date(designation.listed_on, "listing date"),
            DesignationField::DelistedOn => date(designation.delisted_on, "delisting date"),
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
        EvalError::invalid(format!(
            "{date} moved by {} is off the calendar",
            period.describe()
        ))
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
