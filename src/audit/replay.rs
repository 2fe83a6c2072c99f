//! Recording decisions into a store, and taking them again from what it holds.

use std::collections::HashMap;

use super::{
    AuditError, AuditStore, BlobKind, DispositionsBundle, FactsBundle, NewEntry, PolicyBundle,
    PolicySource,
};
use crate::compile::PolicySet;
use crate::eval::{DecideOptions, Decision};
use crate::facts::Facts;
use crate::record::{DecisionRecord, RecordedOptions};
use crate::screen::Screening;
use crate::source::Source;

/// Appends `decisions` (taken by `policies` on `facts` with `options`) in one batch; the policy
/// texts and the facts are stored once by digest. Returns the ids given.
pub fn record_all(
    store: &mut impl AuditStore,
    policies: &PolicySet,
    facts: &FactsBundle,
    dispositions: Option<&DispositionsBundle>,
    decisions: &[Decision],
    mut options: RecordedOptions,
    decided_at: &str,
) -> Result<Vec<i64>, AuditError> {
    let unwritable = |what: &str, e: serde_json::Error| AuditError::Broken {
        path: String::from("(in memory)"),
        message: format!("the {what} cannot be written as JSON: {e}"),
    };
    let bundle = PolicyBundle {
        sources: policies
            .sources()
            .iter()
            .map(|s| PolicySource {
                name: s.name().to_owned(),
                text: s.text().to_owned(),
            })
            .collect(),
    };
    let bundle = serde_json::to_vec(&bundle).map_err(|e| unwritable("policies", e))?;
    let policies_key = store.put_blob(BlobKind::Policies, &bundle)?;
    let facts_json = serde_json::to_vec(facts).map_err(|e| unwritable("facts", e))?;
    let facts_key = store.put_blob(BlobKind::Facts, &facts_json)?;
    if let Some(register) = dispositions {
        let json = serde_json::to_vec(register).map_err(|e| unwritable("dispositions", e))?;
        options.dispositions = Some(store.put_blob(BlobKind::Dispositions, &json)?);
    }
    let versions = crate::record::policy_versions(policies);
    let mut entries = Vec::with_capacity(decisions.len());
    for decision in decisions {
        let record = DecisionRecord::with_versions(
            versions.clone(),
            decision,
            options.clone(),
            decided_at.to_owned(),
        );
        entries.push(NewEntry {
            record,
            policies: policies_key.clone(),
            facts: facts_key.clone(),
            decision: serde_json::to_vec(decision).map_err(|e| unwritable("decision", e))?,
        });
    }
    store.append(entries)
}

/// What replaying one stored decision showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replayed {
    /// The engine gives the same bytes today.
    Identical {
        /// The entry.
        id: i64,
        /// Its transaction.
        transaction: String,
    },
    /// The engine decides differently: the stored and the new decision, as a diff of their
    /// pretty-printed JSON.
    Different {
        /// The entry.
        id: i64,
        /// Its transaction.
        transaction: String,
        /// `-` stored, `+` replayed.
        diff: String,
    },
    /// The decision could not be taken again (its policies no longer load, say).
    Failed {
        /// The entry.
        id: i64,
        /// Why.
        message: String,
    },
}

/// Takes the entries with `ids` (all when empty) again from the stored policies and facts, and
/// compares the bytes. Policies and facts are loaded once per digest.
pub fn replay(store: &impl AuditStore, ids: &[i64]) -> Result<Vec<Replayed>, AuditError> {
    let mut policy_sets: HashMap<String, Result<PolicySet, String>> = HashMap::new();
    let mut fact_sets: HashMap<String, Result<Facts, String>> = HashMap::new();
    let mut screenings: HashMap<(String, u64, String), Screening> = HashMap::new();
    let mut out = Vec::new();
    for entry in store.entries(ids)? {
        if !policy_sets.contains_key(&entry.policies) {
            let loaded = load_policies(&store.blob(&entry.policies)?);
            policy_sets.insert(entry.policies.clone(), loaded);
        }
        if !fact_sets.contains_key(&entry.facts) {
            let loaded = load_facts(&store.blob(&entry.facts)?);
            fact_sets.insert(entry.facts.clone(), loaded);
        }
        let (Some(policies), Some(facts)) = (
            policy_sets.get(&entry.policies),
            fact_sets.get(&entry.facts),
        ) else {
            continue;
        };
        let (policies, facts) = match (policies, facts) {
            (Ok(policies), Ok(facts)) => (policies, facts),
            (Err(message), _) | (_, Err(message)) => {
                out.push(Replayed::Failed {
                    id: entry.id,
                    message: message.clone(),
                });
                continue;
            }
        };
        let options = &entry.record.options;
        let screening = match (options.screening, &options.dispositions) {
            (Some(threshold), register) => {
                let key = (
                    entry.facts.clone(),
                    threshold.to_bits(),
                    register.clone().unwrap_or_default(),
                );
                if !screenings.contains_key(&key) {
                    let mut screening = Screening::new(facts, threshold);
                    if let Some(digest) = register {
                        match load_dispositions(&store.blob(digest)?, facts) {
                            Ok(register) => screening = screening.with_dispositions(register),
                            Err(message) => {
                                out.push(Replayed::Failed {
                                    id: entry.id,
                                    message,
                                });
                                continue;
                            }
                        }
                    }
                    screenings.insert(key.clone(), screening);
                }
                screenings.get(&key)
            }
            (None, _) => None,
        };
        let Some(transaction) = facts.transaction(&entry.record.transaction) else {
            out.push(Replayed::Failed {
                id: entry.id,
                message: format!(
                    "the stored facts hold no transaction `{}`",
                    entry.record.transaction
                ),
            });
            continue;
        };
        let decision = policies.decide_with(
            facts,
            transaction,
            DecideOptions {
                as_of: options.as_of,
                screening,
                ..DecideOptions::default()
            },
        );
        let bytes = serde_json::to_vec(&decision).unwrap_or_default();
        let transaction = entry.record.transaction.clone();
        out.push(if bytes == entry.decision {
            Replayed::Identical {
                id: entry.id,
                transaction,
            }
        } else {
            Replayed::Different {
                id: entry.id,
                transaction,
                diff: difference(&entry.decision, &bytes),
            }
        });
    }
    Ok(out)
}

fn load_policies(blob: &[u8]) -> Result<PolicySet, String> {
    let bundle: PolicyBundle = serde_json::from_slice(blob)
        .map_err(|e| format!("the stored policies are unreadable: {e}"))?;
    PolicySet::from_sources(
        bundle
            .sources
            .into_iter()
            .map(|s| Source::new(s.name, s.text)),
    )
    .map_err(|e| format!("the stored policies no longer load: {}", e.render()))
}

fn load_dispositions(blob: &[u8], facts: &Facts) -> Result<crate::screen::Dispositions, String> {
    let bundle: DispositionsBundle = serde_json::from_slice(blob)
        .map_err(|e| format!("the stored disposition register is unreadable: {e}"))?;
    crate::screen::Dispositions::from_text(&bundle.name, &bundle.text, facts)
        .map_err(|e| format!("the stored disposition register no longer loads: {e}"))
}

fn load_facts(blob: &[u8]) -> Result<Facts, String> {
    let bundle: FactsBundle = serde_json::from_slice(blob)
        .map_err(|e| format!("the stored facts are unreadable: {e}"))?;
    match bundle {
        FactsBundle::Text { name, text } => Facts::from_text(&name, &text),
        FactsBundle::Document { name, document } => Facts::from_document(&name, *document),
        // A damaged chunk is refused by name, not replayed as a store missing its records.
        FactsBundle::Snapshot { name, bytes } => Facts::from_snapshot(&name, &bytes)
            .and_then(|facts| facts.verify_snapshot().map(|()| facts)),
    }
    .map_err(|e| format!("the stored facts no longer load: {e}"))
}

/// The stored and replayed decisions as a diff of their pretty JSON, `-` stored, `+` replayed.
fn difference(stored: &[u8], replayed: &[u8]) -> String {
    let pretty = |bytes: &[u8]| {
        serde_json::from_slice::<serde_json::Value>(bytes)
            .and_then(|v| serde_json::to_string_pretty(&v))
            .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
    };
    let (old, new) = (pretty(stored), pretty(replayed));
    if old == new {
        // Same content, different bytes (key order or number form).
        return format!(
            "the same content in different bytes:\n- {}\n+ {}\n",
            String::from_utf8_lossy(stored),
            String::from_utf8_lossy(replayed)
        );
    }
    crate::format::diff("decision", &old, &new)
        .replacen("+++ decision (formatted)", "+++ decision (replayed)", 1)
        .replacen("--- decision", "--- decision (stored)", 1)
}
