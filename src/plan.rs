//! The evaluation plan: rules with names resolved to variable slots, fields and folded constants.
//!
//! `check` produces it from the syntax tree, `compile` assembles it into a policy set, and `eval`
//! runs it. Nothing in a plan refers back to names or text except for messages and labels.

use std::sync::Arc;

use crate::ast::{AggregateKind, Duration, Effect, QuantifierKind};
use crate::date::Date;
use crate::facts::Traversal;
use crate::shared_text::SharedText;
use crate::source::Span;

/// A variable's position in the evaluator's environment.
pub type Slot = u16;

/// A set of strings, sorted for binary search and a stable printed order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StringSet(Vec<String>);

impl StringSet {
    /// A set of `items`, duplicates removed.
    pub fn new(mut items: Vec<String>) -> Self {
        items.sort_unstable();
        items.dedup();
        StringSet(items)
    }

    /// Whether `item` is in the set (exact match).
    pub fn contains(&self, item: &str) -> bool {
        self.0
            .binary_search_by(|probe| probe.as_str().cmp(item))
            .is_ok()
    }

    /// The members, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

/// A constant value.
#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Text(String),
    /// A date.
    Date(Date),
    /// A set of strings.
    Set(StringSet),
    /// A set of numbers, sorted.
    NumberSet(Vec<f64>),
    /// Values by key, sorted by key.
    Map(Vec<(String, Constant)>),
    /// A period of days, months or years.
    Duration(Duration),
    /// A sum of money: `10000 USD`.
    Amount {
        /// The figure.
        value: f64,
        /// The ISO 4217 currency code.
        currency: String,
    },
}

/// The type a policy declares for an attribute; values in the facts are checked against it
/// when a rule reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeType {
    /// Free text.
    Text,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
    /// A date, written YYYY-MM-DD.
    Date,
    /// An ISO 3166-1 alpha-2 country code, compared without regard to case.
    Country,
    /// A list of texts.
    List,
}

impl AttributeType {
    /// Every type, by the name a declaration uses.
    pub const ALL: [(&'static str, AttributeType); 6] = [
        ("text", AttributeType::Text),
        ("number", AttributeType::Number),
        ("bool", AttributeType::Bool),
        ("date", AttributeType::Date),
        ("country", AttributeType::Country),
        ("list", AttributeType::List),
    ];

    /// The name a declaration uses.
    pub fn name(self) -> &'static str {
        AttributeType::ALL
            .iter()
            .find(|(_, ty)| *ty == self)
            .map_or("text", |(name, _)| name)
    }

    /// The type in words, for errors.
    pub fn describe(self) -> &'static str {
        match self {
            AttributeType::Text => "text",
            AttributeType::Number => "a number",
            AttributeType::Bool => "true or false",
            AttributeType::Date => "a date (YYYY-MM-DD)",
            AttributeType::Country => "an ISO 3166 alpha-2 country code",
            AttributeType::List => "a list",
        }
    }

    /// Whether a value of the facts is of this type: what loading facts with the policies
    /// checks, and what a rule reading the attribute relies on.
    pub fn admits(self, value: &crate::facts::AttributeValue) -> bool {
        use crate::facts::AttributeValue as V;
        match (self, value) {
            (AttributeType::Text, V::Text(_))
            | (AttributeType::Number, V::Number(_))
            | (AttributeType::Bool, V::Bool(_))
            | (AttributeType::List, V::List(_)) => true,
            (AttributeType::Date, V::Text(text)) => text.parse::<Date>().is_ok(),
            (AttributeType::Country, V::Text(code)) => is_country_code(code),
            _ => false,
        }
    }
}

/// Whether `code` is an ISO 3166-1 alpha-2 code, in either case (country codes are codes, and
/// compare without regard to case).
pub fn is_country_code(code: &str) -> bool {
    if code.bytes().any(|b| b.is_ascii_lowercase()) {
        crate::lists::countries::is_code(&code.to_ascii_uppercase())
    } else {
        crate::lists::countries::is_code(code)
    }
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arithmetic {
    /// `+`: numbers, amounts of one currency, or a date moved forward by a period.
    Add,
    /// `-`: numbers, a date moved back by a period, or the days between two dates.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
}

/// Built-in functions on values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// `lower(text)`.
    Lower,
    /// `upper(text)`.
    Upper,
}

impl Function {
    /// Every function, by name.
    pub const ALL: [(&'static str, Function); 2] =
        [("lower", Function::Lower), ("upper", Function::Upper)];
}

/// A regular expression compiled once when the policy is checked. The `regex` crate runs in time
/// linear in the text (no backtracking), so no rule can be made to hang on crafted facts.
#[derive(Debug, Clone)]
pub struct Pattern(pub regex::Regex);

/// Patterns compare by their source text.
impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

/// A weighted red flag, as a rule reading `score` evaluates it.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Its id.
    pub id: String,
    /// Its title, if given.
    pub title: Option<String>,
    /// The points it adds when its condition holds.
    pub weight: f64,
    /// Its condition.
    pub condition: Expr,
}

/// Fields of the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionField {
    /// `transaction.id`.
    Id,
    /// `transaction.kind`.
    Kind,
    /// `transaction.date`.
    Date,
    /// `transaction.amount`: the figure with its currency.
    Amount,
    /// `transaction.amount.value`.
    AmountValue,
    /// `transaction.amount.currency`.
    AmountCurrency,
}

/// Fields of an entity bound to a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityField {
    /// The entity itself (its name when printed).
    Itself,
    /// `p.id`.
    Id,
    /// `p.name`.
    Name,
    /// `p.kind`.
    Kind,
    /// `p.country`.
    Country,
    /// `p.nationality`.
    Nationality,
    /// `p.aliases`.
    Aliases,
    /// `p.role`, for parties.
    Role,
    /// `p.designations`, for messages.
    Designations,
    /// `o.depth`: how many relation steps from the start of the walk.
    Depth,
    /// `o.via.percent`: the stake of the last relation walked.
    ViaPercent,
    /// `o.via.role`.
    ViaRole,
    /// `o.via.kind`.
    ViaKind,
    /// `o.via.id`.
    ViaId,
    /// `o.via.start`.
    ViaStart,
    /// `o.via.end`.
    ViaEnd,
    /// `o.via.basis`: what a `controls` relation rests on.
    ViaBasis,
    /// `o.designated_on`: the earliest listing date of its designations in force.
    DesignatedOn,
}

/// Fields of a designation bound by `some d in p.designations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DesignationField {
    /// `d.list`: the list it is on.
    List,
    /// `d.programs`: its program tags.
    Programs,
    /// `d.listed_on`: the day it was listed.
    ListedOn,
    /// `d.delisted_on`: the day it was lifted.
    DelistedOn,
    /// `d.measure`: the measure it imposes (asset freeze, travel ban...).
    Measure,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

impl Comparison {
    /// Whether the comparison holds between two values that compare as `ordering`.
    pub fn holds(self, ordering: std::cmp::Ordering) -> bool {
        match self {
            Comparison::Eq => ordering.is_eq(),
            Comparison::Ne => ordering.is_ne(),
            Comparison::Lt => ordering.is_lt(),
            Comparison::Le => ordering.is_le(),
            Comparison::Gt => ordering.is_gt(),
            Comparison::Ge => ordering.is_ge(),
        }
    }
}

/// Text tests, all ignoring case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextTest {
    /// `contains`.
    Contains,
    /// `starts with`.
    StartsWith,
    /// `ends with`.
    EndsWith,
}

/// Where a quantifier's elements come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Collection {
    /// The transaction's parties.
    Parties,
    /// Entities reached from the entity in `from` by `traversal`, at most `depth` steps away.
    Walk {
        /// The starting entity's slot.
        from: Slot,
        /// Which relations to follow.
        traversal: Traversal,
        /// The step bound.
        depth: u8,
        /// Whether `sisters` adds the sister companies derived from a common parent. Always,
        /// unless the quantifier over a one-level walk can only hold for a stated sister (its
        /// condition starts with `s.via.kind == "sister_of"`): a derived sister's relation is an
        /// `owns` or `controls`, so walking up to every parent and down to its other children
        /// would find nothing the condition keeps.
        derived: bool,
    },
    /// Earlier transactions the entity in `party` took part in, dated on or before the
    /// transaction decided and, with a window, no further back than it.
    History {
        /// The party's slot.
        party: Slot,
        /// How far back, if bounded.
        window: Option<Duration>,
    },
    /// The designations of the entity in `of` in force on the day decided.
    Designations {
        /// The entity's slot.
        of: Slot,
    },
}

/// An expression ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A constant.
    Constant(Constant),
    /// A transaction field.
    Transaction(TransactionField),
    /// `transaction.attributes.<name>`.
    TransactionAttribute(String),
    /// A field of the entity in a slot.
    Entity(Slot, EntityField),
    /// `p.attributes.<name>`.
    EntityAttribute(Slot, String),
    /// A field of an earlier transaction bound to a variable.
    Earlier(Slot, TransactionField),
    /// `t.attributes.<name>` of an earlier transaction.
    EarlierAttribute(Slot, String),
    /// A field of a designation bound to a variable.
    Designation(Slot, DesignationField),
    /// An attribute read with its declared type: the value in the facts is checked against it.
    Declared(Box<Expr>, AttributeType),
    /// `a + b`, `a - b`, `a * b`, `a / b`.
    Arithmetic(Arithmetic, Box<Expr>, Box<Expr>),
    /// `map[key]`.
    Lookup {
        /// The map.
        map: Box<Expr>,
        /// The key.
        key: Box<Expr>,
    },
    /// `lower(x)`, `upper(x)`.
    Function(Function, Box<Expr>),
    /// `convert(amount, "USD")`: an amount in another currency, at the rate the facts give as of
    /// the day of the amount's transaction.
    Convert {
        /// The amount converted.
        amount: Box<Expr>,
        /// The currency wanted.
        currency: Box<Expr>,
    },
    /// `text matches "pattern"`.
    Matches(Box<Expr>, Pattern),
    /// `name_similarity(a, b)`: how alike two names are, 0 to 1, through the screening
    /// normaliser (order, case, accents, punctuation and legal forms aside).
    NameSimilarity(Box<Expr>, Box<Expr>),
    /// `a within 30 days of b`.
    Within {
        /// The date tested.
        subject: Box<Expr>,
        /// The period.
        window: Duration,
        /// The date measured from.
        anchor: Box<Expr>,
    },
    /// `count(...)`, `sum(...)`, `min(...)`, `max(...)` over one collection.
    Aggregate {
        /// What is computed.
        kind: AggregateKind,
        /// The slot each element is bound to.
        slot: Slot,
        /// The elements.
        collection: Collection,
        /// Elements failing it are left out.
        filter: Option<Box<Expr>>,
        /// The number taken of each element (not for `count`).
        value: Option<Box<Expr>>,
    },
    /// `score`: the points of the policy's indicators whose conditions hold.
    Score(Vec<Indicator>),
    /// Negation.
    Not(Box<Expr>),
    /// Conjunction.
    And(Box<Expr>, Box<Expr>),
    /// Disjunction.
    Or(Box<Expr>, Box<Expr>),
    /// A comparison.
    Compare(Comparison, Box<Expr>, Box<Expr>),
    /// Set membership (`negated` for `not in`).
    In {
        /// The value looked up.
        element: Box<Expr>,
        /// The set or list searched.
        set: Box<Expr>,
        /// `not in`.
        negated: bool,
    },
    /// A text test.
    Text(TextTest, Box<Expr>, Box<Expr>),
    /// `p is [not] designated [under programs] [on lists]`.
    Designated {
        /// The entity's slot.
        subject: Slot,
        /// `is not designated`.
        negated: bool,
        /// Required programs (any of).
        programs: Option<Box<Expr>>,
        /// Required lists (any of).
        lists: Option<Box<Expr>>,
    },
    /// `p is possibly listed [under programs] [on lists]`: a name match to a list entry that
    /// nothing confirms or contradicts.
    PossiblyListed {
        /// The entity's slot.
        subject: Slot,
        /// Required programs (any of).
        programs: Option<Box<Expr>>,
        /// Required lists (any of).
        lists: Option<Box<Expr>>,
    },
    /// `p is [not] blocked`: designated on a list the rule's jurisdiction reads, or owned or
    /// controlled by blocked persons under its rules.
    Blocked {
        /// The entity's slot.
        subject: Slot,
        /// `is not blocked`.
        negated: bool,
        /// The jurisdiction's position among the policy set's regimes.
        regime: u16,
    },
    /// `x is present` / `x is missing`.
    Presence {
        /// The fact tested.
        subject: Box<Expr>,
        /// `present` rather than `missing`.
        present: bool,
    },
    /// A number the rule's jurisdiction declares, such as `significant_minority`.
    Setting {
        /// The jurisdiction's position among the policy set's regimes.
        regime: u16,
        /// Which setting.
        setting: RegimeSetting,
    },
    /// `p.blocked_stake`: the stakes blocked owners hold directly in the entity, added up (each
    /// owner's highest report), under the rules of the policy's jurisdiction.
    BlockedStake {
        /// The entity's slot.
        subject: Slot,
        /// The jurisdiction's position among the policy set's regimes.
        regime: u16,
    },
    /// A quantifier over one collection.
    Quantifier {
        /// `some`, `all` or `no`.
        kind: QuantifierKind,
        /// The slot the element is bound to.
        slot: Slot,
        /// The elements.
        collection: Collection,
        /// Elements failing it are skipped.
        filter: Option<Box<Expr>>,
        /// Tested on each element.
        body: Box<Expr>,
    },
}

impl Expr {
    /// Whether this condition is `some p in transaction.parties: …` whose test reads nothing
    /// but the party's entity and what the store holds about it (fields, designations,
    /// relations walked from it, blocked sets): not the transaction, the party's role, other
    /// parties, earlier transactions, rates or name screening. Such a condition is false for a
    /// transaction exactly when it is false for each party's entity alone, and that answer holds
    /// on every day of the same epoch, so decisions may remember the entities it was false for.
    pub fn reads_parties_only_through_the_store(&self) -> bool {
        match self {
            Expr::Quantifier {
                kind: QuantifierKind::Some,
                collection: Collection::Parties,
                filter,
                body,
                ..
            } => {
                filter.as_deref().is_none_or(Expr::reads_only_the_store)
                    && body.reads_only_the_store()
            }
            _ => false,
        }
    }

    /// Whether the value or test depends on nothing but the entities bound and the store.
    fn reads_only_the_store(&self) -> bool {
        let both = |a: &Expr, b: &Expr| a.reads_only_the_store() && b.reads_only_the_store();
        let optional = |e: &Option<Box<Expr>>| e.as_deref().is_none_or(Expr::reads_only_the_store);
        match self {
            Expr::Constant(_)
            | Expr::EntityAttribute(..)
            | Expr::Designation(..)
            | Expr::Blocked { .. }
            | Expr::BlockedStake { .. }
            | Expr::Setting { .. } => true,
            // A party's role is the transaction's, not the entity's.
            Expr::Entity(_, field) => *field != EntityField::Role,
            Expr::Transaction(_)
            | Expr::TransactionAttribute(_)
            | Expr::Earlier(..)
            | Expr::EarlierAttribute(..)
            | Expr::Convert { .. }
            | Expr::Score(_)
            | Expr::PossiblyListed { .. } => false,
            Expr::Declared(inner, _)
            | Expr::Function(_, inner)
            | Expr::Not(inner)
            | Expr::Matches(inner, _) => inner.reads_only_the_store(),
            Expr::Presence { subject, .. } => subject.reads_only_the_store(),
            Expr::Arithmetic(_, a, b)
            | Expr::And(a, b)
            | Expr::Or(a, b)
            | Expr::Compare(_, a, b)
            | Expr::Text(_, a, b)
            | Expr::NameSimilarity(a, b) => both(a, b),
            Expr::Lookup { map, key } => both(map, key),
            Expr::In { element, set, .. } => both(element, set),
            Expr::Within {
                subject, anchor, ..
            } => both(subject, anchor),
            Expr::Designated {
                programs, lists, ..
            } => optional(programs) && optional(lists),
            Expr::Aggregate {
                collection,
                filter,
                value,
                ..
            } => collection.reads_only_the_store() && optional(filter) && optional(value),
            Expr::Quantifier {
                collection,
                filter,
                body,
                ..
            } => {
                collection.reads_only_the_store() && optional(filter) && body.reads_only_the_store()
            }
        }
    }
}

impl Collection {
    /// Walks and designations come from the store; parties and history from transactions.
    fn reads_only_the_store(&self) -> bool {
        match self {
            Collection::Walk { .. } | Collection::Designations { .. } => true,
            Collection::Parties | Collection::History { .. } => false,
        }
    }
}

/// A jurisdiction setting a rule may read as a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegimeSetting {
    /// `significant_minority`: the stake of a blocked owner that warrants review.
    SignificantMinority,
}

impl RegimeSetting {
    /// The name a rule uses for it.
    pub fn name(self) -> &'static str {
        match self {
            RegimeSetting::SignificantMinority => "significant_minority",
        }
    }

    /// The setting named `name`.
    pub fn from_name(name: &str) -> Option<RegimeSetting> {
        (name == "significant_minority").then_some(RegimeSetting::SignificantMinority)
    }
}

/// One piece of a rule's message.
#[derive(Debug, Clone, PartialEq)]
pub enum MessagePart {
    /// Text as written.
    Literal(String),
    /// A value printed in place of `{...}`.
    Value(Expr),
}

/// A rule ready to evaluate.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Its id.
    pub id: SharedText,
    /// The id of the policy it belongs to.
    pub policy: SharedText,
    /// The jurisdiction code of that policy, if it names one.
    pub jurisdiction: Option<SharedText>,
    /// Its title, if given.
    pub title: Option<SharedText>,
    /// Its effect.
    pub effect: Effect,
    /// The condition.
    pub condition: Expr,
    /// The message template.
    pub message: Vec<MessagePart>,
    /// Legal citations: the rule's own, then its policy's (shared with every reason it gives).
    pub citations: Arc<[SharedText]>,
    /// Labels.
    pub tags: Vec<String>,
    /// For exemptions: the ids of the rules released.
    pub covers: Vec<String>,
    /// First day in force.
    pub valid_from: Option<Date>,
    /// First day no longer in force.
    pub valid_until: Option<Date>,
    /// Where the rule is written.
    pub span: Span,
    /// How many variable slots its evaluation needs.
    pub slots: usize,
}

impl Rule {
    /// Whether the rule is in force on `day`.
    pub fn in_force_on(&self, day: Date) -> bool {
        self.valid_from.is_none_or(|from| from <= day)
            && self.valid_until.is_none_or(|until| day < until)
    }
}
