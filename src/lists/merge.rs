//! Merging a user's facts with imported lists into one document.
//!
//! Records are appended in the order the documents are given (the user's facts first keeps the
//! generated relation ids `r<N>` of that file unchanged). An id used by two documents is a clash:
//! overwriting either record would silently change a decision, so every clash is reported and
//! nothing is merged. Clashes inside one document are left to [`Facts::from_document`], which
//! reports them with the record's position.
//!
//! [`Facts::from_document`]: crate::Facts::from_document

use std::collections::HashMap;
use std::fmt;

use crate::facts::FactsDocument;

/// One id used by two documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    /// `entity`, `relation`, `transaction` or `licence`.
    pub section: &'static str,
    /// The id.
    pub id: String,
    /// The document that used it first.
    pub first: String,
    /// The document that used it again.
    pub second: String,
}

impl fmt::Display for Clash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} id `{}` is in both `{}` and `{}`",
            self.section, self.id, self.first, self.second
        )
    }
}

/// Why documents could not be merged: every id clash found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{count} id clash(es) between the documents; rename the records in your own facts (list ids \
     are `ofac-`, `un-` and `ftm-` prefixed) or leave out a list imported twice: {list}",
    count = clashes.len(),
    list = summary(clashes)
)]
pub struct MergeError {
    /// Every clash, in the order found.
    pub clashes: Vec<Clash>,
}

/// The first few clashes on one line.
fn summary(clashes: &[Clash]) -> String {
    const SHOWN: usize = 5;
    let mut parts: Vec<String> = clashes
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect();
    if clashes.len() > SHOWN {
        parts.push(format!("and {} more", clashes.len() - SHOWN));
    }
    parts.join("; ")
}

/// Merges named documents (e.g. `("facts.yaml", user)`, `("OFAC SDN", sdn)`) into one, or
/// reports every id used by more than one of them.
pub fn merge<N: Into<String>>(
    documents: impl IntoIterator<Item = (N, FactsDocument)>,
) -> Result<FactsDocument, MergeError> {
    let mut merged = FactsDocument::default();
    let mut owners: HashMap<(&'static str, String), String> = HashMap::new();
    let mut clashes = Vec::new();
    for (name, document) in documents {
        let name: String = name.into();
        let mut claim =
            |section: &'static str, id: &str| match owners.get(&(section, id.to_owned())) {
                Some(first) if *first != name => clashes.push(Clash {
                    section,
                    id: id.to_owned(),
                    first: first.clone(),
                    second: name.clone(),
                }),
                Some(_) => {}
                None => {
                    owners.insert((section, id.to_owned()), name.clone());
                }
            };
        for entity in &document.entities {
            claim("entity", &entity.id);
        }
        for relation in &document.relations {
            if let Some(id) = &relation.id {
                claim("relation", id);
            }
        }
        for transaction in &document.transactions {
            claim("transaction", &transaction.id);
        }
        for licence in &document.licences {
            claim("licence", &licence.id);
        }
        merged.entities.extend(document.entities);
        merged.relations.extend(document.relations);
        merged.designations.extend(document.designations);
        merged.snapshots.extend(document.snapshots);
        merged.transactions.extend(document.transactions);
        merged.licences.extend(document.licences);
        merged.rates.extend(document.rates);
    }
    if clashes.is_empty() {
        Ok(merged)
    } else {
        Err(MergeError { clashes })
    }
}
