//! Policy test suites: an analyst's own cases, kept next to the policies, each stating the facts,
//! the transaction, and the outcome and rules expected — so an auditor can see that every rule
//! does what it says, and a change that breaks one fails in CI.
//!
//! A suite is a YAML file ending in `.test.yaml`:
//!
//! ```yaml
//! policies: [../jurisdictions.policy, ../us_ownership.policy]   # relative to this file
//! facts: ../../examples/silverstar.yaml                          # default facts of every case
//! cases:
//!   - name: a payment to a company owned by Volasys is blocked
//!     transaction: tx-1002
//!     expect:
//!       outcome: block
//!       rules: [us_blocked_party]            # the rules in force, in any order
//!       jurisdictions: {US: block, EU: allow}
//! ```
//!
//! A case may instead carry its own `facts:` document inline, an `as_of:` date, and `released:`
//! (rules an exemption released). Unknown fields are errors, so a misspelt expectation cannot pass.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::compile::{PolicyError, PolicySet};
use crate::date::Date;
use crate::eval::{Decision, Outcome};
use crate::facts::{Facts, FactsDocument, FactsError};

/// The suffix that marks a suite file when a folder is searched.
pub const SUITE_SUFFIX: &str = ".test.yaml";

/// A suite file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteFile {
    policies: Vec<PathBuf>,
    #[serde(default)]
    facts: Option<PathBuf>,
    cases: Vec<CaseFile>,
}

/// One case as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    name: String,
    transaction: String,
    #[serde(default)]
    facts: Option<FactsDocument>,
    #[serde(default)]
    as_of: Option<Date>,
    expect: Expectation,
}

/// What a case expects of its decision.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// The overall outcome.
    pub outcome: Outcome,
    /// The rules whose reasons count towards the outcome, in any order; unchecked when absent.
    #[serde(default)]
    pub rules: Option<Vec<String>>,
    /// Rules released by an exemption.
    #[serde(default)]
    pub released: Option<Vec<String>>,
    /// The outcome per jurisdiction, for the jurisdictions listed.
    #[serde(default)]
    pub jurisdictions: BTreeMap<String, Outcome>,
}

/// Why a suite could not be run at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SuiteError {
    /// The suite file could not be read.
    #[error("cannot read test suite `{path}`: {source}")]
    Read {
        /// The file.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The suite file is not a valid suite.
    #[error("{path}:{line}:{column}: error: {message}")]
    Syntax {
        /// The file.
        path: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// The suite's policies do not check.
    #[error("the policies of test suite `{path}` do not check:\n{}", .error.render())]
    Policies {
        /// The suite.
        path: String,
        /// The policy errors.
        error: PolicyError,
    },
    /// The suite's facts do not load.
    #[error("the facts of test suite `{path}` do not load: {error}")]
    Facts {
        /// The suite.
        path: String,
        /// The facts error.
        error: FactsError,
    },
}

/// The result of one case.
#[derive(Debug)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// Every difference between the expectation and the decision; empty when the case passed.
    pub failures: Vec<String>,
    /// The decision, for the failure report.
    pub decision: Option<Decision>,
}

impl CaseResult {
    /// Whether the decision met every expectation.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// The results of one suite file.
#[derive(Debug)]
pub struct SuiteResult {
    /// The suite file.
    pub path: String,
    /// One result per case, in file order.
    pub cases: Vec<CaseResult>,
}

/// Every suite file at `paths`: files as given, folders searched for `*.test.yaml`, sorted.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, SuiteError> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut in_folder = Vec::new();
            collect(path, &mut in_folder)?;
            in_folder.sort();
            found.extend(in_folder);
        } else {
            found.push(path.clone());
        }
    }
    Ok(found)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), SuiteError> {
    let read_error = |source| SuiteError::Read {
        path: dir.display().to_string(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.to_str().is_some_and(|p| p.ends_with(SUITE_SUFFIX)) {
            out.push(path);
        }
    }
    Ok(())
}

/// Runs one suite file.
pub fn run(path: &Path) -> Result<SuiteResult, SuiteError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| SuiteError::Read {
        path: name.clone(),
        source,
    })?;
    let suite: SuiteFile = crate::yaml::from_str(&text).map_err(|e| SuiteError::Syntax {
        path: name.clone(),
        line: e.line.unwrap_or(0),
        column: e.column.unwrap_or(0),
        message: e.message,
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    let policy_paths: Vec<PathBuf> = suite.policies.iter().map(|p| base.join(p)).collect();
    let policies = PolicySet::load(&policy_paths).map_err(|error| SuiteError::Policies {
        path: name.clone(),
        error,
    })?;
    let shared = match &suite.facts {
        Some(file) => {
            let facts = Facts::load(base.join(file))
                .and_then(|facts| policies.check_facts(&facts).map(|()| facts))
                .map_err(|error| SuiteError::Facts {
                    path: name.clone(),
                    error,
                })?;
            Some(facts)
        }
        None => None,
    };
    let cases = suite
        .cases
        .into_iter()
        .map(|case| run_case(&policies, shared.as_ref(), &name, case))
        .collect();
    Ok(SuiteResult { path: name, cases })
}

fn run_case(
    policies: &PolicySet,
    shared: Option<&Facts>,
    suite: &str,
    case: CaseFile,
) -> CaseResult {
    let failed = |name: String, message: String| CaseResult {
        name,
        failures: vec![message],
        decision: None,
    };
    let own;
    let facts = match (case.facts, shared) {
        (Some(document), _) => {
            match Facts::from_document(&format!("{suite}: case `{}`", case.name), document) {
                Ok(facts) => {
                    own = facts;
                    &own
                }
                Err(error) => return failed(case.name, format!("its facts do not load: {error}")),
            }
        }
        (None, Some(facts)) => facts,
        (None, None) => {
            return failed(
                case.name,
                String::from("it has no facts: give `facts:` in the case or the suite"),
            );
        }
    };
    let Some(transaction) = facts.transaction(&case.transaction) else {
        let message = format!(
            "there is no transaction `{}` in {}",
            case.transaction,
            facts.name()
        );
        return failed(case.name, message);
    };
    let decision = policies.decide(facts, transaction, case.as_of);
    let failures = compare(&case.expect, &decision);
    CaseResult {
        name: case.name,
        failures,
        decision: Some(decision),
    }
}

/// Every way the decision differs from the expectation, as lines a person can read.
fn compare(expect: &Expectation, decision: &Decision) -> Vec<String> {
    let mut failures = Vec::new();
    if expect.outcome != decision.outcome {
        failures.push(format!(
            "outcome: expected {}, got {}",
            expect.outcome.keyword(),
            decision.outcome.keyword()
        ));
    }
    if let Some(rules) = &expect.rules {
        let fired = decision
            .reasons
            .iter()
            .filter(|r| r.is_in_force())
            .map(|r| r.rule.to_string());
        failures.extend(set_difference("rules", rules, fired.collect()));
    }
    if let Some(released) = &expect.released {
        let actual = decision
            .reasons
            .iter()
            .filter(|r| r.released_by.is_some())
            .map(|r| r.rule.to_string());
        failures.extend(set_difference("released", released, actual.collect()));
    }
    for (code, outcome) in &expect.jurisdictions {
        match decision.jurisdictions.get(code.as_str()) {
            Some(verdict) if verdict.outcome == *outcome => {}
            Some(verdict) => failures.push(format!(
                "{code}: expected {}, got {}",
                outcome.keyword(),
                verdict.outcome.keyword()
            )),
            None => failures.push(format!(
                "{code}: expected {}, but no loaded policy names this jurisdiction",
                outcome.keyword()
            )),
        }
    }
    failures
}

/// `- expected, missing` and `+ unexpected` lines for two sets of rule ids.
fn set_difference(what: &str, expected: &[String], mut actual: Vec<String>) -> Vec<String> {
    actual.sort();
    actual.dedup();
    let mut lines = Vec::new();
    for missing in expected.iter().filter(|r| !actual.contains(r)) {
        lines.push(format!("{what}: - {missing} (expected, did not fire)"));
    }
    for extra in actual.iter().filter(|r| !expected.contains(r)) {
        lines.push(format!("{what}: + {extra} (fired, not expected)"));
    }
    lines
}

/// A report in the shape of `cargo test`'s: a line per case, then each failure with the reasons
/// the engine actually gave, then the totals.
pub fn report(results: &[SuiteResult]) -> String {
    let mut out = String::new();
    let mut failed_cases = Vec::new();
    for suite in results {
        let _ = writeln!(
            out,
            "\nrunning {} cases from {}",
            suite.cases.len(),
            suite.path
        );
        for case in &suite.cases {
            let status = if case.passed() { "ok" } else { "FAILED" };
            let _ = writeln!(out, "case {} ... {status}", case.name);
            if !case.passed() {
                failed_cases.push((suite.path.as_str(), case));
            }
        }
    }
    if !failed_cases.is_empty() {
        let _ = writeln!(out, "\nfailures:");
    }
    for (path, case) in &failed_cases {
        let _ = writeln!(out, "\n---- {path}: {} ----", case.name);
        for failure in &case.failures {
            let _ = writeln!(out, "  {failure}");
        }
        if let Some(decision) = &case.decision {
            let _ = writeln!(
                out,
                "  the engine decided {} as of {}, because:",
                decision.outcome.keyword(),
                decision.as_of
            );
            for reason in &decision.reasons {
                let released = reason
                    .released_by
                    .as_deref()
                    .map(|by| format!(", released by {by}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "    [{}{released}] {}: {}",
                    reason.effect.keyword(),
                    reason.rule,
                    reason.message
                );
            }
            if decision.reasons.is_empty() {
                let _ = writeln!(out, "    (no rule fired)");
            }
        }
    }
    let total: usize = results.iter().map(|s| s.cases.len()).sum();
    let failed = failed_cases.len();
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    let _ = writeln!(
        out,
        "\ntest result: {verdict}. {} passed; {failed} failed",
        total - failed
    );
    out
}
