//! Warnings: policies that work, but probably not as their author meant — a program tag no list
//! uses, a constant nothing reads, a rule that can never fire or that another rule makes
//! redundant, an exemption that cannot release anything.

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use super::Constants;
use crate::ast::Effect;
use crate::diagnostic::{Code, Diagnostic, closest};
use crate::plan::{Comparison, Constant, Expr, Rule};
use crate::programs::KNOWN_PROGRAMS;
use crate::source::{SourceMap, Span};

/// A warning for each tag of a literal program set that no known list uses.
pub(super) fn unknown_programs(programs: &Expr, span: Span) -> Vec<Diagnostic> {
    let tags: Vec<&str> = match programs {
        Expr::Constant(Constant::Set(set)) => set.iter().collect(),
        Expr::Constant(Constant::Text(tag)) => vec![tag.as_str()],
        _ => return Vec::new(),
    };
    tags.into_iter()
        .filter(|tag| !KNOWN_PROGRAMS.contains(tag))
        .map(|tag| {
            let warning = Diagnostic::warning(
                Code::UnknownProgram,
                span,
                format!("no known list uses the program tag `{tag}`"),
            )
            .with_label("unknown program");
            match closest(tag, KNOWN_PROGRAMS.iter().copied()) {
                Some(best) => {
                    warning.with_help(format!("did you mean `{best}`? tags are matched exactly"))
                }
                None => warning.with_help(format!("known tags: {}", KNOWN_PROGRAMS.join(", "))),
            }
        })
        .collect()
}

/// A warning for each constant that no rule or message reads.
pub(super) fn unused_constants(constants: &Constants) -> Vec<Diagnostic> {
    let mut unused: Vec<(&String, Span)> = constants
        .iter()
        .filter(|(_, c)| !c.used.get())
        .map(|(name, c)| (name, c.span))
        .collect();
    unused.sort_by_key(|(_, span)| (span.source, span.start));
    unused
        .into_iter()
        .map(|(name, span)| {
            Diagnostic::warning(
                Code::UnusedConstant,
                span,
                format!("constant `{name}` is never used"),
            )
            .with_help("remove it, or use it in a rule")
        })
        .collect()
}

/// Warnings about rules as a whole: never firing, shadowed, exemptions that release nothing.
pub(super) fn rules(rules: &[Rule], sources: &SourceMap) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = Shadows::default();
    let by_id = rules_by_id(rules);
    let digests = condition_digests(rules);
    for (rule, &digest) in rules.iter().zip(&digests) {
        if truth(&rule.condition) == Some(false) {
            out.push(
                Diagnostic::warning(
                    Code::NeverFires,
                    rule.span,
                    format!(
                        "rule `{}` can never fire: its condition is always false",
                        rule.id
                    ),
                )
                .with_help("check the constants and comparisons in its `when` clause"),
            );
        }
        if let Some(earlier) = seen.shadowing(rule, digest) {
            out.push(
                Diagnostic::warning(
                    Code::Shadowed,
                    rule.span,
                    format!(
                        "rule `{}` fires exactly when `{}` does, which is at least as strict",
                        rule.id, earlier.id
                    ),
                )
                .with_help(format!(
                    "`{}` is at {}; merge the two or make their conditions differ",
                    earlier.id,
                    sources.location(earlier.span)
                )),
            );
        }
        if rule.effect == Effect::Allow {
            out.extend(exemption_reach(rule, &by_id));
        } else if !cites_a_provision(rule) {
            out.push(
                Diagnostic::warning(
                    Code::UncitedRule,
                    rule.span,
                    format!(
                        "rule `{}` cites nothing specific: a {} needs its legal basis",
                        rule.id,
                        rule.effect.keyword()
                    ),
                )
                .with_help("cite the provision, e.g. `cite \"31 CFR 510.201\"`, `cite \"Council Regulation (EU) No 269/2014, Art. 2\"`"),
            );
        }
    }
    out
}

/// Whether one of the rule's citations (its own or its policy's) points at something a reader can
/// look up: a section, article, regulation, order or dated guidance, all of which carry a number.
fn cites_a_provision(rule: &Rule) -> bool {
    rule.citations
        .iter()
        .any(|c| c.chars().any(|ch| ch.is_ascii_digit()))
}

/// The rules met so far, by jurisdiction and condition: for each, the first that is not an
/// exemption and the first that blocks. One lookup per rule keeps the check linear in the rules
/// (comparing each rule with every earlier one took 30 s on 30,000 rules).
#[derive(Default)]
struct Shadows<'r> {
    first: HashMap<ConditionKey<'r>, Vec<FirstRules<'r>>>,
}

/// A rule's jurisdiction and a digest of its condition as printed. Conditions whose digests
/// collide share the key; they are told apart by comparing the conditions themselves.
type ConditionKey<'r> = (Option<&'r str>, u64);

/// For one condition: the first rule that is not an exemption, and the first that blocks.
type FirstRules<'r> = (&'r Rule, Option<&'r Rule>);

impl<'r> Shadows<'r> {
    /// An earlier rule of the same jurisdiction with the same condition and an effect at least
    /// as strict, which makes `rule` add nothing to any outcome; then `rule` is remembered.
    /// `digest` is the rule's [`printed_digest`].
    fn shadowing(&mut self, rule: &'r Rule, digest: u64) -> Option<&'r Rule> {
        if rule.effect == Effect::Allow {
            return None;
        }
        let key = (rule.jurisdiction.as_deref(), digest);
        let same_key = self.first.entry(key).or_default();
        let at = match same_key
            .iter()
            .position(|(first, _)| first.condition == rule.condition)
        {
            Some(at) => at,
            None => {
                same_key.push((rule, None));
                same_key.len() - 1
            }
        };
        let entry = same_key.get_mut(at)?;
        let blocks = rule.effect >= Effect::Block;
        if blocks && entry.1.is_none() {
            entry.1 = Some(rule);
        }
        let (first, first_block) = *entry;
        let earlier = if blocks { first_block } else { Some(first) };
        earlier.filter(|other| !std::ptr::eq(*other, rule))
    }
}

/// Each rule's [`printed_digest`], taken on every core when it may: printing the conditions is
/// most of the shadowing check's work.
fn condition_digests(rules: &[Rule]) -> Vec<u64> {
    #[cfg(feature = "parallel")]
    {
        use rayon::iter::{IntoParallelRefIterator, ParallelIterator};
        rules
            .par_iter()
            .map(|rule| printed_digest(&rule.condition))
            .collect()
    }
    #[cfg(not(feature = "parallel"))]
    rules
        .iter()
        .map(|rule| printed_digest(&rule.condition))
        .collect()
}

/// A 64-bit FNV-1a digest of a condition's printed form, taken as it is printed: building the
/// text of 100,000 conditions and hashing it with the map's hasher cost more than the lookup.
fn printed_digest(condition: &Expr) -> u64 {
    struct Fnv(u64);
    impl fmt::Write for Fnv {
        fn write_str(&mut self, text: &str) -> fmt::Result {
            for byte in text.bytes() {
                self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
            }
            Ok(())
        }
    }
    let mut digest = Fnv(0xcbf2_9ce4_8422_2325);
    // Writing into the digest cannot fail.
    let _ = write!(digest, "{condition:?}");
    digest.0
}

/// The rules by id, for exemptions to find those they cover without a scan each.
fn rules_by_id(rules: &[Rule]) -> HashMap<&str, Vec<&Rule>> {
    let mut by_id: HashMap<&str, Vec<&Rule>> = HashMap::new();
    for rule in rules {
        by_id.entry(rule.id.as_str()).or_default().push(rule);
    }
    by_id
}

/// An exemption whose period never overlaps that of any rule it covers.
fn exemption_reach(exemption: &Rule, by_id: &HashMap<&str, Vec<&Rule>>) -> Option<Diagnostic> {
    let covered: Vec<&Rule> = exemption
        .covers
        .iter()
        .filter_map(|id| by_id.get(id.as_str()))
        .flatten()
        .copied()
        .collect();
    let overlaps = |r: &&Rule| {
        let starts_before_end = match (r.valid_from, exemption.valid_until) {
            (Some(from), Some(until)) => from < until,
            _ => true,
        };
        let ends_after_start = match (r.valid_until, exemption.valid_from) {
            (Some(until), Some(from)) => from < until,
            _ => true,
        };
        starts_before_end && ends_after_start
    };
    if covered.is_empty() || covered.iter().any(overlaps) {
        return None;
    }
    Some(
        Diagnostic::warning(
            Code::ExemptionCoversNothing,
            exemption.span,
            format!(
                "exemption `{}` is never in force while a rule it covers is",
                exemption.id
            ),
        )
        .with_help("compare the `valid` periods of the exemption and of the rules it covers"),
    )
}

/// The value of a condition that does not depend on the facts, if it has one.
fn truth(expr: &Expr) -> Option<bool> {
    match expr {
        Expr::Constant(Constant::Bool(b)) => Some(*b),
        Expr::Not(inner) => truth(inner).map(|b| !b),
        Expr::And(lhs, rhs) => match (truth(lhs), truth(rhs)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        Expr::Or(lhs, rhs) => match (truth(lhs), truth(rhs)) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        Expr::Compare(op, lhs, rhs) => compare_constants(*op, lhs, rhs),
        Expr::Quantifier {
            body,
            kind: crate::ast::QuantifierKind::Some,
            ..
        } => truth(body).filter(|b| !b),
        _ => None,
    }
}

fn compare_constants(op: Comparison, lhs: &Expr, rhs: &Expr) -> Option<bool> {
    let (Expr::Constant(a), Expr::Constant(b)) = (lhs, rhs) else {
        return None;
    };
    let ordering = match (a, b) {
        (Constant::Number(a), Constant::Number(b)) => a.partial_cmp(b)?,
        (Constant::Date(a), Constant::Date(b)) => a.cmp(b),
        (Constant::Text(a), Constant::Text(b)) => a.cmp(b),
        _ => return None,
    };
    Some(op.holds(ordering))
}
