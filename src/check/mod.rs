//! Meaning: names, types and clauses resolved, and every problem reported with its span.
//!
//! The checker turns syntax trees into [`plan`] rules. It reports all problems it can
//! find in one pass (unknown names with a "did you mean", wrong types, duplicate ids, misplaced
//! clauses) rather than stopping at the first.

mod compute;
mod expr;
mod jurisdictions;
mod message;
mod predicates;
mod rules;
mod scoring;
mod vocabulary;
mod warnings;

use std::collections::HashMap;

use crate::ast::PolicyFile;
use crate::diagnostic::{Diagnostic, Severity};
use crate::plan::{self, Constant};
use crate::source::{SourceMap, Span};

pub use rules::PolicyInfo;

/// The static type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// True or false.
    Bool,
    /// A number.
    Number,
    /// A string.
    Text,
    /// A calendar date.
    Date,
    /// A set of strings (a constant).
    Set,
    /// A list of strings (such as aliases).
    List,
    /// An entity.
    Entity,
    /// An entity's designations, printable only.
    Designations,
    /// A set of numbers.
    NumberSet,
    /// Values by key (a constant).
    Map,
    /// A period of days, months or years.
    Duration,
    /// A sum of money in a currency.
    Amount,
    /// A value whose type is known only at run time.
    Any,
}

impl Type {
    /// The type's name in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Type::Bool => "a true/false condition",
            Type::Number => "a number",
            Type::Text => "text",
            Type::Date => "a date",
            Type::Set => "a set",
            Type::List => "a list of names",
            Type::Entity => "an entity",
            Type::Designations => "a list of designations",
            Type::NumberSet => "a set of numbers",
            Type::Map => "a map",
            Type::Duration => "a period",
            Type::Amount => "an amount",
            Type::Any => "an attribute",
        }
    }
}

/// A named constant, as the checker knows it.
#[derive(Debug, Clone)]
struct ConstantInfo {
    value: Constant,
    ty: Type,
    span: Span,
    /// Set when a rule or message reads the constant, for the unused-constant warning.
    used: std::cell::Cell<bool>,
}

/// The result of checking a set of policy files.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Every policy header, in load order.
    pub policies: Vec<PolicyInfo>,
    /// Every rule, in load order.
    pub rules: Vec<plan::Rule>,
    /// The declared jurisdictions, indexed by `Expr::Blocked::regime`.
    pub regimes: Vec<crate::facts::Regime>,
    /// Problems that do not stop the policies from working.
    pub warnings: Vec<Diagnostic>,
    /// The declared attributes, sorted by name, each with its type and first declaration.
    pub attributes: Vec<(String, plan::AttributeType, Span)>,
}

/// What every rule may refer to, across all loaded files: constants, declared attributes, named
/// predicates and each policy's indicators.
pub(super) struct Env<'a> {
    constants: &'a Constants,
    vocabulary: vocabulary::Vocabulary,
    predicates: predicates::Predicates<'a>,
    indicators: scoring::Indicators<'a>,
}

/// Checks policy files together: constants, attributes, predicates and rule ids share one
/// namespace across files.
pub fn check(files: &[PolicyFile], sources: &SourceMap) -> Result<Checked, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let constants = rules::collect_constants(files, sources, &mut diagnostics);
    let policies = rules::collect_policies(files, &mut diagnostics);
    let (regimes, positions) = jurisdictions::collect(files, sources, &mut diagnostics);
    jurisdictions::check_named(files, &positions, &mut diagnostics);
    let env = Env {
        constants: &constants,
        vocabulary: vocabulary::collect(files, sources, &mut diagnostics),
        predicates: predicates::collect(files, sources, &constants, &mut diagnostics),
        indicators: scoring::collect(files, sources, &mut diagnostics),
    };
    let rules = rules::check_rules(
        files,
        sources,
        &policies,
        &env,
        &positions,
        &regimes,
        &mut diagnostics,
    );
    scoring::check_indicators(&env, &policies, &positions, &mut diagnostics);
    dedup(&mut diagnostics);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        // Warnings about usage would be noise while errors stop rules from being read whole.
        diagnostics.retain(|d| d.severity == Severity::Error);
        diagnostics.sort_by_key(|d| (d.span.source, d.span.start));
        return Err(diagnostics);
    }
    diagnostics.extend(warnings::unused_constants(&constants));
    diagnostics.extend(predicates::unused(&env.predicates));
    diagnostics.extend(scoring::unread(&env.indicators, &rules));
    diagnostics.extend(warnings::rules(&rules, sources));
    diagnostics.sort_by_key(|d| (d.span.source, d.span.start));
    Ok(Checked {
        policies,
        rules,
        regimes,
        warnings: diagnostics,
        attributes: vocabulary::declarations(&env.vocabulary),
    })
}

/// Drops repeated diagnostics: a predicate or indicator is checked wherever it is used, and a
/// problem in it would otherwise be reported once per use.
fn dedup(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    diagnostics.retain(|d| {
        if seen.contains(d) {
            false
        } else {
            seen.push(d.clone());
            true
        }
    });
}

/// The constants of all files, by name.
type Constants = HashMap<String, ConstantInfo>;
