//! Decision records: what an auditor needs beside a decision to know how it was taken and to
//! take it again — the engine version, each policy with its version and digest, the list
//! snapshots, the options, and when it was made.
//!
//! The record is an envelope kept apart from the [`Decision`]: the decision stays a function of
//! its inputs (the same inputs give the same bytes), while the record holds the one thing that
//! never repeats, the time it was made.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::compile::PolicySet;
use crate::date::Date;
use crate::eval::Decision;
use crate::facts::ListSnapshot;

/// The envelope of one decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRecord {
    /// `interdict 0.1.0`: the engine that decided.
    pub engine: String,
    /// The transaction decided.
    pub transaction: String,
    /// Each policy of the set, with its version label and the digest of its file.
    pub policies: Vec<PolicyVersion>,
    /// The policy set's digest, as in the decision.
    pub policy_digest: String,
    /// The facts' digest, as in the decision.
    pub facts_digest: String,
    /// The list snapshots the facts held.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<ListSnapshot>,
    /// How the decision was asked for, so a replay asks the same way.
    pub options: RecordedOptions,
    /// When it was made, in UTC (`2026-12-02T17:30:05Z`).
    pub decided_at: String,
}

/// One policy of a set, as a record names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyVersion {
    /// The policy id.
    pub id: String,
    /// Its `version` label, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The file it was loaded from.
    pub file: String,
    /// `sha256:` of that file's text.
    pub digest: String,
}

/// The options of a decision that change its result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedOptions {
    /// The `--as-of` day, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// The screening threshold, when parties were screened against lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screening: Option<f64>,
    /// The digest of the disposition register screening applied, when one was (the audit store
    /// keeps it as a blob).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispositions: Option<String>,
}

/// `interdict` and the crate's version.
pub fn engine() -> String {
    format!("interdict {}", env!("CARGO_PKG_VERSION"))
}

impl DecisionRecord {
    /// The record of `decision`, taken by `policies` with `options`, at `decided_at`.
    pub fn new(
        policies: &PolicySet,
        decision: &Decision,
        options: RecordedOptions,
        decided_at: String,
    ) -> DecisionRecord {
        DecisionRecord::with_versions(policy_versions(policies), decision, options, decided_at)
    }

    /// The same, with the policy versions already computed (a batch computes them once).
    pub fn with_versions(
        policies: Vec<PolicyVersion>,
        decision: &Decision,
        options: RecordedOptions,
        decided_at: String,
    ) -> DecisionRecord {
        DecisionRecord {
            engine: engine(),
            transaction: decision.transaction.clone(),
            policies,
            policy_digest: decision.policy_digest.to_string(),
            facts_digest: decision.facts_digest.to_string(),
            lists: decision.lists.clone(),
            options,
            decided_at,
        }
    }
}

/// Every policy of the set with its version and the digest of its file, in load order.
pub fn policy_versions(policies: &PolicySet) -> Vec<PolicyVersion> {
    policies
        .policies()
        .iter()
        .filter_map(|policy| {
            let source = policies.sources().get(policy.span.source)?;
            Some(PolicyVersion {
                id: policy.id.clone(),
                version: policy.version.clone(),
                file: source.name().to_owned(),
                digest: format!("sha256:{:x}", Sha256::digest(source.text().as_bytes())),
            })
        })
        .collect()
}

/// The current time in UTC as `YYYY-MM-DDTHH:MM:SSZ` (no clock crate: the civil-from-days
/// algorithm is a few lines).
pub fn now_utc() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to a proleptic Gregorian date.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn days_since_the_epoch_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }
}
