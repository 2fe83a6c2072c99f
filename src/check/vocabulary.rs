//! Declared vocabulary: the attributes policies read, each with a type.
//!
//! Free-form attributes are where a typo hides best: `intermediary_bank_contry` reads nothing and
//! silently turns a rule off. Every attribute a rule reads must be declared by a loaded policy
//! (`attribute intermediary_bank_country: country`), and the declared type both checks the rule
//! and, when the rule runs, the value the facts give.

use std::collections::HashMap;

use super::Type;
use crate::ast::{Ident, Item, PolicyFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::AttributeType;
use crate::source::{SourceMap, Span};

/// A declared attribute.
#[derive(Debug, Clone)]
pub(super) struct Declared {
    /// Its type.
    pub(super) ty: AttributeType,
    /// The first declaration.
    span: Span,
}

/// Every attribute the loaded policies declare, by name.
pub(super) type Vocabulary = HashMap<String, Declared>;

/// Collects the `attribute` declarations of all files. Two policies may declare the same
/// attribute, with the same type; different types are an error.
pub(super) fn collect(
    files: &[PolicyFile],
    sources: &SourceMap,
    out: &mut Vec<Diagnostic>,
) -> Vocabulary {
    let mut vocabulary = Vocabulary::new();
    for decl in files
        .iter()
        .flat_map(|f| &f.items)
        .filter_map(|item| match item {
            Item::Attribute(decl) => Some(decl),
            _ => None,
        })
    {
        let Some(ty) = attribute_type(&decl.ty, out) else {
            continue;
        };
        match vocabulary.get(&decl.name.node) {
            Some(first) if first.ty != ty => out.push(
                Diagnostic::error(
                    Code::DuplicateName,
                    decl.ty.span,
                    format!(
                        "attribute `{}` is declared as {} here but as {} at {}",
                        decl.name.node,
                        ty.name(),
                        first.ty.name(),
                        sources.location(first.span)
                    ),
                )
                .with_help(
                    "an attribute has one type in every policy; make the declarations agree",
                ),
            ),
            Some(_) => {}
            None => {
                vocabulary.insert(
                    decl.name.node.clone(),
                    Declared {
                        ty,
                        span: decl.name.span,
                    },
                );
            }
        }
    }
    vocabulary
}

/// The type a declaration names.
fn attribute_type(name: &Ident, out: &mut Vec<Diagnostic>) -> Option<AttributeType> {
    let found = AttributeType::ALL
        .iter()
        .find(|(known, _)| *known == name.node)
        .map(|(_, ty)| *ty);
    if found.is_none() {
        let names: Vec<&str> = AttributeType::ALL.iter().map(|(n, _)| *n).collect();
        out.push(
            Diagnostic::error(
                Code::UnknownType,
                name.span,
                format!("`{}` is not a type of attribute", name.node),
            )
            .with_label("unknown type")
            .with_suggestion(&name.node, names.iter().copied())
            .with_help_if_none(format!("the types are {}", names.join(", "))),
        );
    }
    found
}

/// The declared type of attribute `name`, or an error naming the closest declared attribute.
pub(super) fn lookup(
    vocabulary: &Vocabulary,
    name: &Ident,
    span: Span,
    out: &mut Vec<Diagnostic>,
) -> Option<AttributeType> {
    if let Some(declared) = vocabulary.get(&name.node) {
        return Some(declared.ty);
    }
    let diagnostic = Diagnostic::error(
        Code::UndeclaredAttribute,
        span,
        format!(
            "attribute `{}` is not declared by any loaded policy",
            name.node
        ),
    )
    .with_label("undeclared attribute")
    .with_suggestion(&name.node, vocabulary.keys().map(String::as_str))
    .with_help_if_none(format!(
        "declare what the facts hold, e.g. `attribute {}: text` (types: {})",
        name.node,
        AttributeType::ALL
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out.push(diagnostic);
    None
}

/// The checker's type for values of a declared type.
pub(super) fn checked_type(ty: AttributeType) -> Type {
    match ty {
        AttributeType::Text | AttributeType::Country => Type::Text,
        AttributeType::Number => Type::Number,
        AttributeType::Bool => Type::Bool,
        AttributeType::Date => Type::Date,
        AttributeType::List => Type::List,
    }
}

/// Every declared attribute with its type and first declaration, sorted by name.
pub(super) fn declarations(vocabulary: &Vocabulary) -> Vec<(String, AttributeType, Span)> {
    let mut all: Vec<_> = vocabulary
        .iter()
        .map(|(name, declared)| (name.clone(), declared.ty, declared.span))
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}
