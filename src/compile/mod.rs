//! Policy sets: files loaded together, checked, and assembled into an immutable plan.
//!
//! A [`PolicySet`] is built once and shared: it is `Send + Sync`, holds no interior mutability, and
//! every decision borrows it. Its digest lets an auditor tie a decision to the exact policy text.

mod attributes;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::check::{self, PolicyInfo};
use crate::diagnostic::Diagnostic;
use crate::plan::Rule;
use crate::shared_text::SharedText;
use crate::source::{Source, SourceMap};
use crate::syntax;

/// The file extension of policy files when a folder is loaded.
pub const POLICY_EXTENSION: &str = "policy";

/// Problems that stop a policy set from being built.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// A file or folder could not be read.
    #[error("cannot read `{path}`: {source}")]
    Read {
        /// The path given.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A policy file is not UTF-8 text.
    #[error("{path}:{line}:{column}: {problem}; policy files are UTF-8 text")]
    Encoding {
        /// The file.
        path: String,
        /// 1-based line of the first byte that is not UTF-8.
        line: u64,
        /// 1-based column of that byte.
        column: u64,
        /// The byte, and what to do.
        problem: String,
    },
    /// A folder held no policy files.
    #[error("no `.{POLICY_EXTENSION}` files in `{path}`")]
    Empty {
        /// The folder.
        path: String,
    },
    /// The text has syntax or meaning errors.
    #[error("{count} error(s) in the policies", count = diagnostics.len())]
    Invalid {
        /// The sources, to render the diagnostics against.
        sources: Arc<SourceMap>,
        /// Every problem found.
        diagnostics: Vec<Diagnostic>,
    },
}

impl PolicyError {
    /// Every problem rendered as `file:line:col: message`, the line, and a caret.
    pub fn render(&self) -> String {
        match self {
            PolicyError::Invalid {
                sources,
                diagnostics,
            } => diagnostics
                .iter()
                .map(|d| d.render(sources))
                .collect::<Vec<_>>()
                .join("\n"),
            other => format!("error: {other}\n"),
        }
    }
}

/// What one rule is, without its compiled condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuleSummary<'p> {
    /// Its id.
    pub id: &'p str,
    /// The policy it belongs to.
    pub policy: &'p str,
    /// That policy's jurisdiction code.
    pub jurisdiction: Option<&'p str>,
    /// Its title.
    pub title: Option<&'p str>,
    /// `block`, `review` or `allow` (an exemption).
    pub effect: &'static str,
    /// Its legal citations, then its policy's.
    pub citations: &'p [SharedText],
    /// Its labels.
    pub tags: &'p [String],
    /// `file:line:col`.
    pub location: &'p str,
}

/// Checked, compiled policies, ready to decide transactions.
#[derive(Debug, Clone)]
pub struct PolicySet {
    sources: Arc<SourceMap>,
    policies: Vec<PolicyInfo>,
    rules: Vec<Rule>,
    /// For each rule, the exemptions that cover it.
    releasers: Vec<Vec<usize>>,
    /// For each rule, its `file:line:col`, computed once rather than per decision.
    locations: Vec<SharedText>,
    /// For each rule, whether its condition reads parties only through the store, so decisions
    /// sharing a cache may remember the entities it was false for.
    store_only: Vec<bool>,
    /// Whether any rule is store-only, so a set without one skips the shared answers at once.
    remembers_answers: bool,
    /// This set's key in the caches decisions share: unique in the process, as two sets of the
    /// same texts loaded in another order number their rules differently.
    cache_key: u64,
    /// The declared jurisdictions' ownership and control settings.
    regimes: Vec<crate::facts::Regime>,
    /// The jurisdiction codes named by policies that have rules, sorted.
    jurisdictions: Vec<SharedText>,
    /// Problems that do not stop the policies from working.
    warnings: Vec<Diagnostic>,
    /// The declared attributes, sorted by name, that facts are checked against.
    attributes: Vec<attributes::Declared>,
    /// Shared with every decision under this set, which names it without a copy.
    digest: Arc<str>,
}

impl PolicySet {
    /// Parses, checks and compiles `sources` as one set.
    pub fn from_sources(
        sources: impl IntoIterator<Item = Source>,
    ) -> Result<PolicySet, PolicyError> {
        let mut map = SourceMap::default();
        for source in sources {
            map.add(source);
        }
        let mut diagnostics = Vec::new();
        let mut files = Vec::new();
        for (id, source) in (0u32..).zip(map.iter()) {
            match syntax::parse(id, source.text()) {
                Ok(file) => files.push(file),
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        let map = Arc::new(map);
        if !diagnostics.is_empty() {
            return Err(PolicyError::Invalid {
                sources: map,
                diagnostics,
            });
        }
        let checked = check::check(&files, &map).map_err(|diagnostics| PolicyError::Invalid {
            sources: Arc::clone(&map),
            diagnostics,
        })?;
        Ok(PolicySet::assemble(map, checked))
    }

    /// Loads policy files, and every `.policy` file under folders, in a stable (sorted) order.
    pub fn load<P: AsRef<Path>>(paths: &[P]) -> Result<PolicySet, PolicyError> {
        let mut files = Vec::new();
        for path in paths {
            collect_files(path.as_ref(), &mut files)?;
        }
        // One order whatever the order of the arguments, so rules and reasons come out the same.
        files.sort();
        files.dedup();
        let mut sources = Vec::with_capacity(files.len());
        for file in files {
            let path = file.display().to_string();
            let text = crate::encoding::read_utf8(&file)
                .map_err(|source| PolicyError::Read {
                    path: path.clone(),
                    source,
                })?
                .map_err(|bad| PolicyError::Encoding {
                    path: path.clone(),
                    line: bad.line,
                    column: bad.column,
                    problem: bad.to_string(),
                })?;
            sources.push(Source::new(file.display().to_string(), text));
        }
        PolicySet::from_sources(sources)
    }

    fn assemble(sources: Arc<SourceMap>, checked: check::Checked) -> PolicySet {
        let rules = checked.rules;
        // The exemptions covering each rule, found through one map of covered ids: scanning
        // every rule for each rule was quadratic (45 s to check 100,000 rules).
        let mut covering: HashMap<&str, Vec<usize>> = HashMap::new();
        for (index, exemption) in rules.iter().enumerate() {
            for covered in &exemption.covers {
                let list = covering.entry(covered.as_str()).or_default();
                if list.last() != Some(&index) {
                    list.push(index);
                }
            }
        }
        let releasers = rules
            .iter()
            .map(|rule| covering.get(rule.id.as_str()).cloned().unwrap_or_default())
            .collect();
        let digest = digest_of(&sources);
        let mut jurisdictions: Vec<SharedText> = rules
            .iter()
            .filter_map(|r| r.jurisdiction.clone())
            .collect();
        jurisdictions.sort();
        jurisdictions.dedup();
        let locations = rules
            .iter()
            .map(|rule| SharedText::from(sources.location(rule.span)))
            .collect();
        let attributes = attributes::Declared::all(&checked.attributes, &sources);
        let store_only: Vec<bool> = rules
            .iter()
            .map(|rule| rule.condition.reads_parties_only_through_the_store())
            .collect();
        let remembers_answers = store_only.contains(&true);
        PolicySet {
            sources,
            attributes,
            policies: checked.policies,
            rules,
            releasers,
            locations,
            store_only,
            remembers_answers,
            cache_key: next_cache_key(),
            regimes: checked.regimes,
            jurisdictions,
            warnings: checked.warnings,
            digest: digest.into(),
        }
    }

    /// SHA-256 over the names and texts of the sources, in load order.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The digest as decisions hold it, shared rather than copied.
    pub(crate) fn shared_digest(&self) -> Arc<str> {
        Arc::clone(&self.digest)
    }

    /// The compiled rules, in load order: the engine's own plan, not part of the library's
    /// surface.
    pub(crate) fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// How many rules the set holds, every policy's together.
    ///
    /// ```
    /// use interdict::{PolicySet, Source};
    ///
    /// let policies = PolicySet::from_sources([Source::new("p.policy", r#"
    ///     policy p "Payments" { jurisdiction US }
    ///     rule large: review when transaction.amount.value > 10000 because "a large payment"
    /// "#)])?;
    /// assert_eq!(policies.rule_count(), 1);
    /// # Ok::<(), interdict::Error>(())
    /// ```
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The rule ids, in load order (the ids decisions name in their reasons).
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|rule| rule.id.as_str())
    }

    /// What each rule is, in load order, as a reviewer or a rule catalogue lists it.
    ///
    /// ```
    /// use interdict::{PolicySet, Source};
    ///
    /// let policies = PolicySet::from_sources([Source::new("p.policy", r#"
    ///     policy p "Payments" { jurisdiction US }
    ///     rule large: review
    ///       title "Large payment"
    ///       when transaction.amount.value > 10000
    ///       because "a large payment"
    ///       tags payments
    /// "#)])?;
    /// let rule = policies.rule_summaries().next().unwrap();
    /// assert_eq!((rule.id, rule.policy, rule.title), ("large", "p", Some("Large payment")));
    /// assert_eq!((rule.effect, rule.tags), ("review", &["payments".to_owned()][..]));
    /// # Ok::<(), interdict::Error>(())
    /// ```
    pub fn rule_summaries(&self) -> impl Iterator<Item = RuleSummary<'_>> {
        self.rules
            .iter()
            .enumerate()
            .map(|(index, rule)| RuleSummary {
                id: &rule.id,
                policy: &rule.policy,
                jurisdiction: rule.jurisdiction.as_deref(),
                title: rule.title.as_deref(),
                effect: rule.effect.keyword(),
                citations: &rule.citations,
                tags: &rule.tags,
                location: self.location(index),
            })
    }

    /// The policy headers, in load order.
    pub fn policies(&self) -> &[PolicyInfo] {
        &self.policies
    }

    /// The policy with id `id`.
    pub fn policy(&self, id: &str) -> Option<&PolicyInfo> {
        self.policies.iter().find(|p| p.id == id)
    }

    /// The exemptions (by rule position) that cover the rule at `rule`.
    pub fn releasers(&self, rule: usize) -> &[usize] {
        self.releasers.get(rule).map_or(&[], Vec::as_slice)
    }

    /// Warnings found while checking: the policies work, but maybe not as meant.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Every warning rendered like an error, with the line and a caret.
    pub fn render_warnings(&self) -> String {
        let mut out = String::new();
        for (n, warning) in self.warnings.iter().enumerate() {
            if n > 0 {
                out.push('\n');
            }
            warning.render_into(&self.sources, &mut out);
        }
        out
    }

    /// The jurisdictions a decision gives a verdict for: those named by policies with rules.
    pub fn jurisdictions(&self) -> &[SharedText] {
        &self.jurisdictions
    }

    /// The declared jurisdictions, in declaration order.
    pub fn regimes(&self) -> &[crate::facts::Regime] {
        &self.regimes
    }

    /// For each rule, whether decisions may remember the entities it was false for (see
    /// [`crate::plan::Expr::reads_parties_only_through_the_store`]).
    pub(crate) fn store_only_rules(&self) -> &[bool] {
        &self.store_only
    }

    /// Whether any rule's answers may be remembered (see [`PolicySet::store_only_rules`]).
    pub(crate) fn remembers_answers(&self) -> bool {
        self.remembers_answers
    }

    /// This set's key in the caches decisions share.
    pub(crate) fn cache_key(&self) -> u64 {
        self.cache_key
    }

    /// The `file:line:col` of the rule at `rule`.
    pub fn location(&self, rule: usize) -> &str {
        self.locations
            .get(rule)
            .map_or(UNKNOWN_LOCATION, SharedText::as_str)
    }

    /// The same location, shared with the decisions that cite it.
    pub(crate) fn shared_location(&self, rule: usize) -> SharedText {
        self.locations
            .get(rule)
            .cloned()
            .unwrap_or_else(|| SharedText::from(UNKNOWN_LOCATION))
    }

    /// The sources, for `file:line:col` locations.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }
}

/// The location given for a rule index the set does not have.
const UNKNOWN_LOCATION: &str = "<unknown>";

/// A key no other policy set of this process has.
fn next_cache_key() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// SHA-256 over the sorted digests of the policy texts: the same texts give the same digest
/// whatever their file names, the folder they were loaded from, or the order they were given in,
/// so an auditor replaying a decision elsewhere can match it.
fn digest_of(sources: &SourceMap) -> String {
    let mut texts: Vec<[u8; 32]> = sources
        .iter()
        .map(|s| Sha256::digest(s.text().as_bytes()).into())
        .collect();
    texts.sort_unstable();
    let mut hasher = Sha256::new();
    for text in texts {
        hasher.update(text);
    }
    format!("sha256:{:x}", hasher.finalize())
}

/// Adds `path` (a file) or the policy files under it (a folder) to `out`, sorted.
fn collect_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), PolicyError> {
    let read_error = |source| PolicyError::Read {
        path: path.display().to_string(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(read_error)?;
    if !metadata.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let before = out.len();
    let mut stack = vec![path.to_path_buf()];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|source| PolicyError::Read {
            path: dir.display().to_string(),
            source,
        })? {
            let entry = entry.map_err(|source| PolicyError::Read {
                path: dir.display().to_string(),
                source,
            })?;
            let entry_path = entry.path();
            let file_type = entry.file_type().map_err(|source| PolicyError::Read {
                path: entry_path.display().to_string(),
                source,
            })?;
            if file_type.is_dir() {
                stack.push(entry_path);
            } else if entry_path
                .extension()
                .is_some_and(|e| e == POLICY_EXTENSION)
            {
                found.push(entry_path);
            }
        }
    }
    found.sort();
    out.extend(found);
    if out.len() == before {
        return Err(PolicyError::Empty {
            path: path.display().to_string(),
        });
    }
    Ok(())
}
