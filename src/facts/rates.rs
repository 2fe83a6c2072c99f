//! Exchange rates, indexed by currency pair and day, so a rule converting an amount finds the
//! rate in force for its transaction by binary search.

use super::records::RateRecord;
use crate::date::Date;

/// The rate a conversion used: the record as the facts give it, and whether it was applied the
/// other way round (a EUR/USD rate converting dollars into euros).
#[derive(Debug, Clone, Copy)]
pub struct AppliedRate<'a> {
    /// The record.
    pub record: &'a RateRecord,
    /// Its position in [`super::Facts::rates`].
    pub position: usize,
    /// Applied as `1 / rate`.
    pub inverted: bool,
}

impl AppliedRate<'_> {
    /// Units of the wanted currency per unit of the amount's currency.
    pub fn factor(&self) -> f64 {
        if self.inverted {
            1.0 / self.record.rate
        } else {
            self.record.rate
        }
    }
}

/// Whether `code` has the shape of an ISO 4217 currency code: three capital letters.
pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// Sorts rates by pair, then day, so that lookups are binary searches.
pub(super) fn index(rates: &mut [RateRecord]) {
    rates.sort_by(|a, b| {
        (a.base.as_str(), a.quote.as_str(), a.as_of).cmp(&(
            b.base.as_str(),
            b.quote.as_str(),
            b.as_of,
        ))
    });
}

/// The latest rate of `base`/`quote` dated on or before `day`, among rates sorted by [`index`],
/// with its position.
fn latest<'a>(
    rates: &'a [RateRecord],
    base: &str,
    quote: &str,
    day: Date,
) -> Option<(usize, &'a RateRecord)> {
    let after = rates
        .partition_point(|r| (r.base.as_str(), r.quote.as_str(), r.as_of) <= (base, quote, day));
    let position = after.checked_sub(1)?;
    rates
        .get(position)
        .filter(|r| r.base == base && r.quote == quote)
        .map(|r| (position, r))
}

/// The rate converting `from` into `to` on `day`: the latest published on or before it, either
/// way round; of two on the same day, the one written from `from` to `to`.
pub(super) fn find<'a>(
    rates: &'a [RateRecord],
    from: &str,
    to: &str,
    day: Date,
) -> Option<AppliedRate<'a>> {
    let direct = latest(rates, from, to, day).map(|(position, record)| AppliedRate {
        record,
        position,
        inverted: false,
    });
    let inverse = latest(rates, to, from, day).map(|(position, record)| AppliedRate {
        record,
        position,
        inverted: true,
    });
    match (direct, inverse) {
        (Some(d), Some(i)) if i.record.as_of > d.record.as_of => Some(i),
        (Some(d), _) => Some(d),
        (None, i) => i,
    }
}
