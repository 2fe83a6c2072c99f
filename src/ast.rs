//! The syntax tree of a policy file, as written, with a span on every node.
//!
//! The tree keeps the author's clauses in their order so that tools (the formatter, the checker's
//! diagnostics) can speak about exactly what was written; meaning is given by `check` and `compile`.
//!
//! Equality ignores where things were written: spans, and the source id of a file, are left out
//! of `==` (as Cedar does for its AST), so that two texts that say the same thing in different
//! layouts compare equal. The formatter's round-trip tests rely on this.

use crate::date::Date;
use crate::source::{SourceId, Span};

/// A node and the text it came from.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    /// The node.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

/// Compares the nodes only: the same name written elsewhere is the same name.
impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

/// A name as written.
pub type Ident = Spanned<String>;

/// A string literal, unescaped.
pub type Text = Spanned<String>;

/// One policy file.
#[derive(Debug, Clone)]
pub struct PolicyFile {
    /// The source it was parsed from.
    pub source: SourceId,
    /// The `policy` header.
    pub header: PolicyHeader,
    /// Constants and rules, in source order.
    pub items: Vec<Item>,
}

/// Compares the content only: the source id says where the file was loaded, not what it says.
impl PartialEq for PolicyFile {
    fn eq(&self, other: &Self) -> bool {
        self.header == other.header && self.items == other.items
    }
}

/// `policy id "title" { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyHeader {
    /// The policy's identifier.
    pub id: Ident,
    /// Its human title.
    pub title: Option<Text>,
    /// Jurisdiction codes (`US`, `EU`, `UK`, `UN`); the checker allows one.
    pub jurisdictions: Vec<Ident>,
    /// Version labels; the checker allows one.
    pub versions: Vec<Text>,
    /// Legal bases of the whole policy.
    pub citations: Vec<Text>,
}

/// A top-level declaration.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `let name = literal`.
    Let(LetDecl),
    /// `rule id: effect ...`.
    Rule(RuleDecl),
    /// `jurisdiction CODE { ... }`.
    Jurisdiction(JurisdictionDecl),
    /// `attribute name: type`.
    Attribute(AttributeDecl),
    /// `predicate name(params): condition`.
    Predicate(PredicateDecl),
    /// `indicator id: weight ...`.
    Indicator(IndicatorDecl),
}

/// `attribute intermediary_bank_country: country`: a fact rules may read, and its type.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeDecl {
    /// The attribute's name, as read in `transaction.attributes.<name>` or `p.attributes.<name>`.
    pub name: Ident,
    /// The name of its type (`text`, `number`, `bool`, `date`, `country`, `list`).
    pub ty: Ident,
}

/// `predicate dprk_linked(e): ...`: a condition named once and used in any rule.
#[derive(Debug, Clone, PartialEq)]
pub struct PredicateDecl {
    /// The predicate's name.
    pub name: Ident,
    /// Its parameters, in order.
    pub params: Vec<Ident>,
    /// The condition, over the parameters.
    pub body: Expr,
}

/// `indicator remote_access: 2 when ...`: a weighted red flag that adds to its policy's score.
#[derive(Debug, Clone)]
pub struct IndicatorDecl {
    /// The indicator's id.
    pub id: Ident,
    /// How many points it adds when its condition holds.
    pub weight: Spanned<f64>,
    /// Clauses in source order, as for a rule.
    pub clauses: Vec<Clause>,
    /// From `indicator` to the end of the last clause.
    pub span: Span,
}

/// Compares what the indicator says, not where.
impl PartialEq for IndicatorDecl {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.weight == other.weight && self.clauses == other.clauses
    }
}

/// A jurisdiction's settings, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct JurisdictionDecl {
    /// Its code, such as `US`.
    pub code: Ident,
    /// Its human title.
    pub title: Option<Text>,
    /// Its settings, in written order.
    pub settings: Vec<JurisdictionSetting>,
}

/// One setting of a jurisdiction.
#[derive(Debug, Clone)]
pub enum JurisdictionSetting {
    /// `lists "A", "B"`.
    Lists(Vec<Text>),
    /// `ownership at least|more than N aggregated|per person`.
    Ownership {
        /// `at least` rather than `more than`.
        inclusive: bool,
        /// The threshold, in percent.
        threshold: Spanned<f64>,
        /// `aggregated` rather than `per person`.
        aggregate: bool,
        /// The whole setting.
        span: Span,
    },
    /// `control blocks|review`.
    Control(Spanned<bool>),
    /// `embargo "KP", "UA-43"`.
    Embargo(Vec<Text>),
    /// `valid from D until D`: the period this version of the settings is in force.
    Valid {
        /// First day in force.
        from: Option<Spanned<Date>>,
        /// First day no longer in force.
        until: Option<Spanned<Date>>,
        /// The whole setting.
        span: Span,
    },
    /// `cite "..."`: the law or guidance this version follows.
    Cite(Vec<Text>),
    /// `control criteria voting_majority, board_appointment...`.
    ControlCriteria(Vec<Ident>),
    /// `significant minority N`: the stake of a blocked owner that warrants review.
    SignificantMinority(Spanned<f64>),
    /// `joint arrangements aggregated`.
    JointArrangements(Span),
}

/// Settings compare by what they say, not where they are written.
impl PartialEq for JurisdictionSetting {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Lists(a), Self::Lists(b)) => a == b,
            (
                Self::Ownership {
                    inclusive: a_inclusive,
                    threshold: a_threshold,
                    aggregate: a_aggregate,
                    ..
                },
                Self::Ownership {
                    inclusive: b_inclusive,
                    threshold: b_threshold,
                    aggregate: b_aggregate,
                    ..
                },
            ) => {
                a_inclusive == b_inclusive
                    && a_threshold == b_threshold
                    && a_aggregate == b_aggregate
            }
            (Self::Control(a), Self::Control(b)) => a == b,
            (Self::Embargo(a), Self::Embargo(b)) | (Self::Cite(a), Self::Cite(b)) => a == b,
            (
                Self::Valid {
                    from: a_from,
                    until: a_until,
                    ..
                },
                Self::Valid {
                    from: b_from,
                    until: b_until,
                    ..
                },
            ) => a_from == b_from && a_until == b_until,
            (Self::ControlCriteria(a), Self::ControlCriteria(b)) => a == b,
            (Self::SignificantMinority(a), Self::SignificantMinority(b)) => a == b,
            (Self::JointArrangements(_), Self::JointArrangements(_)) => true,
            _ => false,
        }
    }
}

/// A named constant.
#[derive(Debug, Clone, PartialEq)]
pub struct LetDecl {
    /// The constant's name.
    pub name: Ident,
    /// Its value, always a literal.
    pub value: Expr,
}

/// What a rule does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    /// Exempt: release the blocks it covers.
    Allow,
    /// Send to a person.
    Review,
    /// Stop the transaction.
    Block,
}

/// A rule with its clauses as written.
#[derive(Debug, Clone)]
pub struct RuleDecl {
    /// The rule id, unique across the loaded policies.
    pub id: Ident,
    /// Its effect.
    pub effect: Spanned<Effect>,
    /// Clauses in source order.
    pub clauses: Vec<Clause>,
    /// From `rule` to the end of the last clause.
    pub span: Span,
}

/// Compares what the rule says, not where: the span is left out.
impl PartialEq for RuleDecl {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.effect == other.effect && self.clauses == other.clauses
    }
}

/// One clause of a rule.
#[derive(Debug, Clone)]
pub enum Clause {
    /// `title "..."`.
    Title(Text),
    /// `covers rule_a, rule_b`.
    Covers(Vec<Ident>),
    /// `when <condition>`.
    When(Expr),
    /// `because "<message>"`.
    Because(Text),
    /// `cite "a", "b"`.
    Cite(Vec<Text>),
    /// `tags a, b`.
    Tags(Vec<Ident>),
    /// `valid from D until D`.
    Valid {
        /// First day in force.
        from: Option<Spanned<Date>>,
        /// First day no longer in force.
        until: Option<Spanned<Date>>,
        /// The whole clause.
        span: Span,
    },
}

/// Compares clause by clause, leaving out the span of `valid` like every other span.
impl PartialEq for Clause {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Clause::Title(a), Clause::Title(b)) | (Clause::Because(a), Clause::Because(b)) => {
                a == b
            }
            (Clause::Covers(a), Clause::Covers(b)) | (Clause::Tags(a), Clause::Tags(b)) => a == b,
            (Clause::When(a), Clause::When(b)) => a == b,
            (Clause::Cite(a), Clause::Cite(b)) => a == b,
            (
                Clause::Valid {
                    from: from_a,
                    until: until_a,
                    ..
                },
                Clause::Valid {
                    from: from_b,
                    until: until_b,
                    ..
                },
            ) => from_a == from_b && until_a == until_b,
            // Listed in full rather than with `_` so that a new clause kind must be added here.
            (
                Clause::Title(_)
                | Clause::Covers(_)
                | Clause::When(_)
                | Clause::Because(_)
                | Clause::Cite(_)
                | Clause::Tags(_)
                | Clause::Valid { .. },
                _,
            ) => false,
        }
    }
}

/// An expression node.
#[derive(Debug, Clone)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Its text.
    pub span: Span,
}

/// Compares the shape only: `(a)` and `a`, written anywhere, are the same expression.
impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

/// The shapes an expression can take.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `true`, `false`.
    Bool(bool),
    /// `50`, `12000.5`.
    Number(f64),
    /// `"text"`.
    Text(String),
    /// `2018-09-13`.
    Date(Date),
    /// `{"a", "b"}`.
    Set(Vec<Text>),
    /// `{10000, 20000}`.
    NumberSet(Vec<Spanned<f64>>),
    /// `{"USD": 10000, "EUR": 9000}`: each key with a literal value.
    Map(Vec<(Text, Expr)>),
    /// `30 days`.
    Duration(Duration),
    /// `10000 USD`: a sum of money in a currency.
    Amount {
        /// The figure.
        value: f64,
        /// The ISO 4217 currency code, in capitals.
        currency: String,
    },
    /// `thresholds[key]`.
    Index {
        /// The map looked in.
        map: Box<Expr>,
        /// The key looked up.
        key: Box<Expr>,
    },
    /// `name(args)`: a named predicate or a built-in function (`lower`, `upper`).
    Call {
        /// The predicate or function.
        name: Ident,
        /// Its arguments.
        args: Vec<Expr>,
    },
    /// `count(...)`, `sum(...)`, `min(...)`, `max(...)`.
    Aggregate {
        /// What is computed.
        kind: AggregateKind,
        /// What is aggregated over.
        source: AggregateSource,
        /// `: value`, the number summed or compared for each element (not for `count`).
        value: Option<Box<Expr>>,
    },
    /// `a within 30 days of b`: two dates at most the period apart.
    Within {
        /// The date tested.
        subject: Box<Expr>,
        /// The period.
        window: Duration,
        /// The date it is measured from.
        anchor: Box<Expr>,
    },
    /// `name.field.field`.
    Path(Vec<Ident>),
    /// `not e`.
    Not(Box<Expr>),
    /// `a op b`.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `e is [not] designated [under programs] [on lists]`.
    Designated {
        /// The entity tested.
        subject: Box<Expr>,
        /// `is not designated`.
        negated: bool,
        /// Program filter.
        programs: Option<Box<Expr>>,
        /// List filter.
        lists: Option<Box<Expr>>,
    },
    /// `e is [not] blocked`.
    Blocked {
        /// The entity tested.
        subject: Box<Expr>,
        /// `is not blocked`.
        negated: bool,
    },
    /// `e is possibly listed [under programs] [on lists]`.
    PossiblyListed {
        /// The entity tested.
        subject: Box<Expr>,
        /// Program filter.
        programs: Option<Box<Expr>>,
        /// List filter.
        lists: Option<Box<Expr>>,
    },
    /// `e is present` / `e is missing`.
    Presence {
        /// The fact tested.
        subject: Box<Expr>,
        /// `present` rather than `missing`.
        present: bool,
    },
    /// `some|all|no x in coll, y in coll2 [where filter]: body`.
    Quantifier {
        /// Which quantifier.
        kind: QuantifierKind,
        /// The variables, what they range over and their filters, outermost first.
        bindings: Vec<Binding>,
        /// The condition tested on each element.
        body: Box<Expr>,
    },
}

/// A period of calendar days, months or years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    /// How many units.
    pub amount: u32,
    /// Which unit.
    pub unit: DateUnit,
}

/// The units a period is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateUnit {
    /// Calendar days.
    Days,
    /// Calendar months (the same day of the month, or the month's last day).
    Months,
    /// Calendar years.
    Years,
}

impl Duration {
    /// The period as written: `30 days`, `1 month`.
    pub fn describe(self) -> String {
        let unit = match self.unit {
            DateUnit::Days => "day",
            DateUnit::Months => "month",
            DateUnit::Years => "year",
        };
        let plural = if self.amount == 1 { "" } else { "s" };
        format!("{} {unit}{plural}", self.amount)
    }
}

/// What an aggregate computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateKind {
    /// How many elements.
    Count,
    /// The sum of a value over the elements.
    Sum,
    /// The least value.
    Min,
    /// The greatest value.
    Max,
}

impl AggregateKind {
    /// The keyword, as written.
    pub fn keyword(self) -> &'static str {
        match self {
            AggregateKind::Count => "count",
            AggregateKind::Sum => "sum",
            AggregateKind::Min => "min",
            AggregateKind::Max => "max",
        }
    }
}

/// What an aggregate ranges over.
#[derive(Debug, Clone, PartialEq)]
pub enum AggregateSource {
    /// `x in coll [where ...], y in ...`, as in a quantifier.
    Bindings(Vec<Binding>),
    /// A collection written alone: `count(p.owners)`.
    Collection(Spanned<Vec<Ident>>),
}

/// `some`, `all` or `no`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantifierKind {
    /// At least one element satisfies the body.
    Some,
    /// Every element satisfies the body.
    All,
    /// No element satisfies the body.
    No,
}

/// `x in p.owners up to 3 levels`.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// The variable introduced.
    pub var: Ident,
    /// The collection's path.
    pub collection: Spanned<Vec<Ident>>,
    /// How many relation steps to follow, for relation traversals.
    pub depth: Option<Spanned<u32>>,
    /// `within 30 days`: how far back a party's earlier transactions are read.
    pub window: Option<Spanned<Duration>>,
    /// `where ...`: elements (with the variables bound before) that fail it are skipped.
    pub filter: Option<Box<Expr>>,
}

/// Infix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `or`.
    Or,
    /// `and`.
    And,
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
    /// `in`.
    In,
    /// `not in`.
    NotIn,
    /// `contains`.
    Contains,
    /// `starts with`.
    StartsWith,
    /// `ends with`.
    EndsWith,
    /// `matches`.
    Matches,
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
}

impl BinaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::NotIn => "not in",
            BinaryOp::Contains => "contains",
            BinaryOp::StartsWith => "starts with",
            BinaryOp::EndsWith => "ends with",
            BinaryOp::Matches => "matches",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }
}

impl Effect {
    /// The keyword, as written in policies and printed in decisions.
    pub fn keyword(self) -> &'static str {
        match self {
            Effect::Allow => "allow",
            Effect::Review => "review",
            Effect::Block => "block",
        }
    }
}
