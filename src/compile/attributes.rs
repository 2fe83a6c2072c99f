//! Facts checked against the attribute types the policies declare, once, when both are loaded: a
//! value of the wrong type (`Germany` for a country, `next week` for a date) is refused naming the
//! facts file, the record and the attribute, before any transaction is decided, rather than
//! making each rule that reads it fail closed one decision at a time.
//!
//! The command line, the service, Python and the store's requests all go through
//! [`PolicySet::check_facts`] or [`PolicySet::attribute_problems`].

use std::collections::BTreeMap;

use super::PolicySet;
use crate::facts::{AttributeValue, Facts, FactsError, FactsProblem};
use crate::number::format_number;
use crate::plan::AttributeType;
use crate::source::{SourceMap, Span};

/// A declared attribute, with where it is declared for the error's reader.
#[derive(Debug, Clone)]
pub(super) struct Declared {
    name: String,
    ty: AttributeType,
    /// `file:line:col` of its first declaration.
    at: String,
}

impl Declared {
    /// The declarations the checker found, sorted by name.
    pub(super) fn all(
        checked: &[(String, AttributeType, Span)],
        sources: &SourceMap,
    ) -> Vec<Declared> {
        checked
            .iter()
            .map(|(name, ty, span)| Declared {
                name: name.clone(),
                ty: *ty,
                at: sources.location(*span),
            })
            .collect()
    }
}

impl PolicySet {
    /// Checks every entity's and transaction's attributes against the types the policies
    /// declare. Attributes no policy declares are left alone (facts may serve other policies).
    pub fn check_facts(&self, facts: &Facts) -> Result<(), FactsError> {
        if self.attributes.is_empty() {
            return Ok(());
        }
        let mut problems = Vec::new();
        for index in 0..facts.entity_count() {
            let Some(entity) = u32::try_from(index).ok().and_then(|i| facts.entity(i)) else {
                continue;
            };
            let record = format!("entities[{index}] ({})", entity.id);
            problems.extend(self.problems_of(&record, &entity.attributes));
        }
        for (index, transaction) in facts.transactions().iter().enumerate() {
            let record = format!("transactions[{index}] ({})", transaction.id);
            problems.extend(self.problems_of(&record, &transaction.attributes));
        }
        if problems.is_empty() {
            return Ok(());
        }
        Err(FactsError::Invalid {
            file: facts.name().to_owned(),
            problems,
        })
    }

    /// What is wrong with `attributes` against the declared types, one sentence per attribute,
    /// in name order: for facts that arrive one request at a time.
    pub fn attribute_problems(&self, attributes: &BTreeMap<String, AttributeValue>) -> Vec<String> {
        attributes
            .iter()
            .filter_map(|(name, value)| {
                let declared = self.declared(name)?;
                (!declared.ty.admits(value)).then(|| mismatch(declared, value))
            })
            .collect()
    }

    fn problems_of<'a>(
        &'a self,
        record: &'a str,
        attributes: &'a BTreeMap<String, AttributeValue>,
    ) -> impl Iterator<Item = FactsProblem> + 'a {
        self.attribute_problems(attributes)
            .into_iter()
            .map(move |message| FactsProblem {
                record: record.to_owned(),
                message,
            })
    }

    fn declared(&self, name: &str) -> Option<&Declared> {
        self.attributes
            .binary_search_by(|d| d.name.as_str().cmp(name))
            .ok()
            .and_then(|i| self.attributes.get(i))
    }
}

/// "attribute `x` is \"Germany\", not an ISO 3166 alpha-2 country code as declared at …".
fn mismatch(declared: &Declared, value: &AttributeValue) -> String {
    format!(
        "attribute `{}` is {}, not {} as `attribute {}: {}` declares at {}; correct the value, or leave the attribute out if it is unknown",
        declared.name,
        given(value),
        declared.ty.describe(),
        declared.name,
        declared.ty.name(),
        declared.at
    )
}

/// A value of the facts as an error quotes it.
fn given(value: &AttributeValue) -> String {
    match value {
        AttributeValue::Bool(b) => b.to_string(),
        AttributeValue::Number(n) => format_number(*n),
        AttributeValue::Text(text) => format!("{text:?}"),
        AttributeValue::List(_) => String::from("a list"),
    }
}
