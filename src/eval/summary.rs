//! The transaction in brief, as facts: every decision carries them, and `explain` writes the
//! memo's opening sentence from them.

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::scope::Scope;
use crate::date::Date;
use crate::facts::{Amount, Transaction};

/// The facts of a transaction a reader needs before the reasons: its kind, sum, day and parties,
/// from which [`crate::explain::summary`] writes "A payment of 12,000 USD dated 2024-03-01
/// between Acme Analytics Inc. (originator) and Volasys Silver Star (beneficiary)".
///
/// Every decision carries one, so its text is kept in one buffer (two allocations a decision,
/// whatever the number of parties, where a field per string would take three a party) and read
/// through the accessors. It serialises as `{kind, amount?: {value, currency}, date, parties:
/// [{role, entity, name}]}`.
///
/// ```
/// use interdict::eval::Summary;
///
/// let brief = Summary::new("payment", "2024-03-01".parse()?)
///     .with_amount(12_000.0, "USD")
///     .with_party("originator", "acme", "Acme Analytics Inc.")
///     .with_party("beneficiary", "volasys", "Volasys Silver Star");
/// assert_eq!(brief.parties().len(), 2);
/// assert_eq!(
///     interdict::explain::summary(&brief),
///     "A payment of 12,000 USD dated 2024-03-01 between Acme Analytics Inc. (originator) and \
///      Volasys Silver Star (beneficiary)"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct Summary {
    /// The kind, the currency (empty without an amount), then each party's role, entity id and
    /// name, one after another.
    text: String,
    /// Where each piece of `text` ends, in that order: two, then three a party.
    ends: Vec<usize>,
    /// The amount's figure.
    amount: Option<f64>,
    /// The day the transaction takes effect.
    date: Date,
}

/// The pieces of `text` before the first party's: the kind and the currency.
const HEAD: usize = 2;

/// One party of a [`Summary`], borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SummaryParty<'a> {
    /// Its role, such as `beneficiary`.
    pub role: &'a str,
    /// Its entity's id.
    pub entity: &'a str,
    /// Its entity's name.
    pub name: &'a str,
}

impl Summary {
    /// A transaction of `kind` (`payment`, `invoice`, `contract`...) on `date`, with no amount
    /// and no party yet.
    pub fn new(kind: &str, date: Date) -> Summary {
        Summary::with_capacity(kind, date, kind.len(), 0)
    }

    /// Room for `text` bytes and `parties` parties, the kind written and the currency empty.
    fn with_capacity(kind: &str, date: Date, text: usize, parties: usize) -> Summary {
        let mut summary = Summary {
            text: String::with_capacity(text),
            ends: Vec::with_capacity(HEAD + 3 * parties),
            amount: None,
            date,
        };
        summary.push(kind);
        summary.push("");
        summary
    }

    /// The same summary with an amount of `value` in `currency` (an ISO 4217 code).
    pub fn with_amount(mut self, value: f64, currency: &str) -> Summary {
        let (start, end) = self.bounds(1);
        self.text.replace_range(start..end, currency);
        // Every later piece moves by the difference in length (each ends at or after `end`).
        for later in self.ends.iter_mut().skip(1) {
            *later = *later - end + start + currency.len();
        }
        self.amount = Some(value);
        self
    }

    /// The same summary with one more party: its `role`, and its entity's id and name.
    pub fn with_party(mut self, role: &str, entity: &str, name: &str) -> Summary {
        self.push_party(role, entity, name);
        self
    }

    /// `payment`, `invoice`, `contract`...
    pub fn kind(&self) -> &str {
        self.piece(0)
    }

    /// The amount's figure, when the transaction gives one.
    pub fn amount(&self) -> Option<f64> {
        self.amount
    }

    /// The amount's currency, when the transaction gives an amount.
    pub fn currency(&self) -> Option<&str> {
        self.amount.map(|_| self.piece(1))
    }

    /// The day the transaction takes effect.
    pub fn date(&self) -> Date {
        self.date
    }

    /// Who takes part, in the transaction's order.
    pub fn parties(&self) -> impl ExactSizeIterator<Item = SummaryParty<'_>> + '_ {
        let count = self.ends.len().saturating_sub(HEAD) / 3;
        (0..count).map(move |party| {
            let first = HEAD + 3 * party;
            SummaryParty {
                role: self.piece(first),
                entity: self.piece(first + 1),
                name: self.piece(first + 2),
            }
        })
    }

    fn push_party(&mut self, role: &str, entity: &str, name: &str) {
        self.push(role);
        self.push(entity);
        self.push(name);
    }

    fn push(&mut self, piece: &str) {
        self.text.push_str(piece);
        self.ends.push(self.text.len());
    }

    /// Where piece `index` starts and ends in `text`.
    fn bounds(&self, index: usize) -> (usize, usize) {
        let start = match index.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        (start, self.ends.get(index).copied().unwrap_or(start))
    }

    fn piece(&self, index: usize) -> &str {
        let (start, end) = self.bounds(index);
        self.text.get(start..end).unwrap_or_default()
    }
}

/// The kind, sum, day and parties of `transaction`; a party whose entity the scope does not hold
/// is left out, as a memo could not name it.
pub(super) fn summary(facts: &Scope<'_>, transaction: &Transaction) -> Summary {
    let parties = transaction.parties.len();
    // Room for the usual ids, names and roles, so the text is allocated once.
    let mut summary = Summary::with_capacity(&transaction.kind, transaction.date, 160, parties);
    if let Some(amount) = &transaction.amount {
        summary = summary.with_amount(amount.value, &amount.currency);
    }
    for party in &transaction.parties {
        if let Some(entity) = facts.entity(party.entity) {
            summary.push_party(&party.role, &entity.id, &entity.name);
        }
    }
    summary
}

impl fmt::Debug for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Summary")
            .field("kind", &self.kind())
            .field("amount", &self.amount)
            .field("currency", &self.currency())
            .field("date", &self.date)
            .field("parties", &self.parties().collect::<Vec<_>>())
            .finish()
    }
}

/// An amount as the summary's JSON gives it: the shape of a transaction's `amount`.
#[derive(Serialize)]
struct AmountOut<'a> {
    value: f64,
    currency: &'a str,
}

/// The parties as a JSON array, written from the buffer without collecting them.
struct PartiesOut<'a>(&'a Summary);

impl Serialize for PartiesOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.parties())
    }
}

impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Summary", 4)?;
        out.serialize_field("kind", self.kind())?;
        match (self.amount, self.currency()) {
            (Some(value), Some(currency)) => {
                out.serialize_field("amount", &AmountOut { value, currency })?;
            }
            _ => out.skip_field("amount")?,
        }
        out.serialize_field("date", &self.date)?;
        out.serialize_field("parties", &PartiesOut(self))?;
        out.end()
    }
}

/// A summary as its JSON gives it, before it is packed into one buffer.
#[derive(Deserialize)]
#[serde(rename = "Summary")]
struct SummaryIn {
    kind: String,
    #[serde(default)]
    amount: Option<Amount>,
    date: Date,
    #[serde(default)]
    parties: Vec<PartyIn>,
}

/// A party as the summary's JSON gives it.
#[derive(Deserialize)]
struct PartyIn {
    role: String,
    entity: String,
    name: String,
}

impl<'de> Deserialize<'de> for Summary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = SummaryIn::deserialize(deserializer)?;
        let mut summary = Summary::new(&fields.kind, fields.date);
        if let Some(amount) = fields.amount {
            summary = summary.with_amount(amount.value, &amount.currency);
        }
        for party in &fields.parties {
            summary.push_party(&party.role, &party.entity, &party.name);
        }
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::Summary;

    fn day() -> crate::date::Date {
        crate::date::Date::new(2024, 3, 1).unwrap()
    }

    #[test]
    fn an_amount_given_after_the_parties_keeps_them_whole() {
        let brief = Summary::new("payment", day())
            .with_party("originator", "acme", "Acme")
            .with_amount(10.0, "EUR")
            .with_amount(12.5, "USD");
        assert_eq!(brief.kind(), "payment");
        assert_eq!(
            (brief.amount(), brief.currency()),
            (Some(12.5), Some("USD"))
        );
        let party = brief.parties().next();
        assert_eq!(
            party.map(|p| (p.role, p.entity, p.name)),
            Some(("originator", "acme", "Acme"))
        );
    }

    #[test]
    fn the_json_is_the_fields_and_reads_back_the_same() {
        let brief = Summary::new("invoice", day())
            .with_amount(950.5, "GBP")
            .with_party("supplier", "s-1", "Supplier Ltd")
            .with_party("buyer", "b-1", "Buyer GmbH");
        let json = serde_json::to_string(&brief).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"invoice","amount":{"value":950.5,"currency":"GBP"},"date":"2024-03-01","parties":[{"role":"supplier","entity":"s-1","name":"Supplier Ltd"},{"role":"buyer","entity":"b-1","name":"Buyer GmbH"}]}"#
        );
        let back: Summary = serde_json::from_str(&json).unwrap();
        assert_eq!(back, brief);
        let bare = Summary::new("contract", day());
        let json = serde_json::to_string(&bare).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"contract","date":"2024-03-01","parties":[]}"#
        );
        assert_eq!(brief.currency(), Some("GBP"));
        assert_eq!(bare.currency(), None);
    }
}
