//! Deciding transactions: every rule in force is evaluated, exemptions release what they cover,
//! and the strictest remaining effect is the outcome.

pub mod counterfactual;
mod decision;
mod evaluate;
mod evidence;
mod failure;
pub mod licensing;
mod listing;
mod notes;
mod scope;
mod summary;
mod value;

pub use decision::{
    BlockedBasis, Decision, Evidence, FactValue, LicenceApplied, LicensedBlock, ListEntry,
    NotAssessed, Note, NotedParty, Outcome, OwnershipTest, Reason, StakeReport, Verdict, Verdicts,
};

pub use evaluate::MAX_WALK;
pub use failure::{
    AmountOrigin, AmountRead, FailureCause, Inconsistency, UnknownListing, ValueKind,
};
use std::sync::Arc;
pub use summary::{Summary, SummaryParty};
pub use value::{EvalError, EvalFailure};

/// A percentage as printed in explanations: `100`, `49.99`.
pub fn format_percent(percent: f64) -> String {
    crate::number::format_number(percent)
}

use evaluate::{Context, Trace};
pub(crate) use scope::Scope;

use crate::ast::Effect;
use crate::compile::PolicySet;
use crate::date::Date;
use crate::facts::{BlockedSets, EntityAnswers, Facts, Transaction};
use crate::plan::{MessagePart, Rule};
use crate::screen::Screening;
use crate::shared_text::SharedText;

/// How a decision is taken beyond the facts themselves.
#[derive(Debug, Clone, Copy, Default)]
pub struct DecideOptions<'s> {
    /// The day whose facts count; each transaction's own date when `None`.
    pub as_of: Option<Date>,
    /// Screen entities that are not on a list by name against those that are, so a payment to
    /// "Volasys Silverstar" meets the listed VOLASYS SILVER STAR.
    pub screening: Option<&'s Screening>,
    /// The blocked sets shared with other decisions on the same facts (a [`crate::Store`]'s);
    /// without one, a decision computes the sets it needs, and a batch shares them. Decisions
    /// sharing them also share, for rules that read parties only through the store, the
    /// entities found not to satisfy them on the day's epoch (a bit per entity and rule, kept
    /// within the cache's byte budget).
    pub blocked_sets: Option<&'s BlockedSets>,
    /// Leave out the decision's `summary` and leave the `message` of each rule that fired empty
    /// instead of rendering its sentence, keeping everything else (rule, citations, structured
    /// evidence, notes): for a payment switch that stores or forwards the evidence and renders
    /// the words only when someone reads them. A rule that failed closed keeps its message, the only account
    /// of what went wrong.
    pub skip_messages: bool,
}

impl<'s> DecideOptions<'s> {
    /// These options with `batch` as the blocked sets, unless they name some already.
    pub fn sharing(self, batch: &'s BlockedSets) -> DecideOptions<'s> {
        DecideOptions {
            blocked_sets: self.blocked_sets.or(Some(batch)),
            ..self
        }
    }
}

impl PolicySet {
    /// Decides `transaction` as of `as_of` (its own date when `None`).
    ///
    /// Never fails: a rule that cannot be evaluated becomes a review reason carrying the error.
    pub fn decide(
        &self,
        facts: &Facts,
        transaction: &Transaction,
        as_of: Option<Date>,
    ) -> Decision {
        self.decide_with(
            facts,
            transaction,
            DecideOptions {
                as_of,
                ..DecideOptions::default()
            },
        )
    }

    /// Decides `transaction` with the given options.
    pub fn decide_with(
        &self,
        facts: &Facts,
        transaction: &Transaction,
        options: DecideOptions<'_>,
    ) -> Decision {
        self.decide_in(&Scope::store(facts), transaction, options)
    }

    /// Decides `transaction`, whose parties are store entities or a request's inline ones.
    pub(crate) fn decide_in(
        &self,
        facts: &Scope<'_>,
        transaction: &Transaction,
        options: DecideOptions<'_>,
    ) -> Decision {
        let as_of = options.as_of.unwrap_or(transaction.date);
        let (mut fired, licences) = self.fire(facts, transaction, as_of, options);
        self.release(&mut fired);
        let mut reasons = self.relevant(fired);
        reasons.sort_by_key(|r| std::cmp::Reverse(rank(r)));
        Decision {
            transaction: transaction.id.clone(),
            summary: (!options.skip_messages).then(|| summary::summary(facts, transaction)),
            outcome: strictest(&reasons),
            as_of,
            jurisdictions: assessed(
                verdicts(self.jurisdictions(), &reasons),
                self.regimes(),
                facts,
                as_of,
            ),
            reasons,
            notes: notes::noted(facts, transaction, as_of, options.screening),
            licences,
            policy_digest: self.shared_digest(),
            facts_digest: facts.shared_digest(),
            lists: facts.snapshots().to_vec(),
        }
    }

    /// Every rule in force that fired or failed closed, with its position, and the licences
    /// that released some of them.
    fn fire(
        &self,
        facts: &Scope<'_>,
        transaction: &Transaction,
        as_of: Date,
        options: DecideOptions<'_>,
    ) -> (Vec<(usize, Reason)>, Vec<LicenceApplied>) {
        let mut context = Context::new(facts, transaction, as_of, self.regimes(), options);
        context.answers = self.shared_answers(facts, as_of, options);
        let mut fired = Vec::new();
        let mut licences = Vec::new();
        let messages = !options.skip_messages;
        for (index, rule) in self.rules().iter().enumerate() {
            if rule.in_force_on(as_of) {
                let found = (&mut fired, &mut licences);
                self.apply_licensed(index, rule, &mut context, found, messages);
            }
        }
        (fired, licences)
    }

    /// Evaluates one rule; while a licence covers the party its reason is about, records that
    /// reason as released and asks the rule again without that party, so a licence for one
    /// party never releases a block about another.
    fn apply_licensed<'a>(
        &self,
        index: usize,
        rule: &'a Rule,
        context: &mut Context<'a>,
        (fired, licences): (&mut Vec<(usize, Reason)>, &mut Vec<LicenceApplied>),
        messages: bool,
    ) {
        context.licensed_parties.clear();
        while let Some(mut reason) = self.apply(index, rule, context, messages) {
            let cover =
                licensing::covering(context.facts, context.transaction, context.as_of, &reason)
                    .filter(|c| !context.licensed_parties.contains(&c.party));
            match cover {
                Some(cover) => {
                    licensing::release(context.facts, cover, &mut reason, licences);
                    context.licensed_parties.push(cover.party);
                    fired.push((index, reason));
                }
                None => {
                    fired.push((index, reason));
                    break;
                }
            }
        }
        context.licensed_parties.clear();
    }

    /// The answers decisions sharing `options`' cache keep for this set's rules that read
    /// parties only through the store, on `as_of`'s epoch. None without a shared cache, with
    /// name screening (its dispositions can change who counts as designated), or with parties
    /// described inline (they are not the store's entities).
    fn shared_answers(
        &self,
        facts: &Scope<'_>,
        as_of: Date,
        options: DecideOptions<'_>,
    ) -> Option<Arc<EntityAnswers>> {
        let shared = options.blocked_sets?;
        if options.screening.is_some() || facts.has_inline() || !self.remembers_answers() {
            return None;
        }
        shared.answers(
            facts,
            self.cache_key(),
            facts.epoch(as_of),
            self.store_only_rules(),
        )
    }

    /// Drops exemptions that released nothing, unless they failed while a rule they cover fired.
    fn relevant(&self, fired: Vec<(usize, Reason)>) -> Vec<Reason> {
        let covered: Vec<SharedText> = fired
            .iter()
            .filter(|(_, r)| r.effect != Outcome::Allow)
            .map(|(_, r)| r.rule.clone())
            .collect();
        fired
            .into_iter()
            .filter(|(index, r)| {
                r.effect != Outcome::Allow
                    || !r.releases.is_empty()
                    || (r.error.is_some()
                        && self.rules().get(*index).is_some_and(|rule| {
                            rule.covers.iter().any(|c| covered.iter().any(|r| r == c))
                        }))
            })
            .map(|(_, r)| r)
            .collect()
    }

    /// Decides every transaction in the facts, in file order, with the given options; without
    /// blocked sets in the options, the batch shares its own.
    pub fn decide_all_with(&self, facts: &Facts, options: DecideOptions<'_>) -> Vec<Decision> {
        let batch = BlockedSets::default();
        let options = options.sharing(&batch);
        facts
            .transactions()
            .iter()
            .map(|t| self.decide_with(facts, t, options))
            .collect()
    }

    /// Decides every transaction in the facts with the given options, sharing the batch out over
    /// every core; the decisions, in file order, are those of [`PolicySet::decide_all_with`].
    #[cfg(feature = "parallel")]
    pub fn decide_all_parallel(&self, facts: &Facts, options: DecideOptions<'_>) -> Vec<Decision> {
        use rayon::prelude::*;
        let batch = BlockedSets::default();
        let options = options.sharing(&batch);
        facts
            .transactions()
            .par_iter()
            .map(|t| self.decide_with(facts, t, options))
            .collect()
    }

    /// Decides every transaction in the facts, in file order.
    pub fn decide_all(&self, facts: &Facts, as_of: Option<Date>) -> Vec<Decision> {
        self.decide_all_with(
            facts,
            DecideOptions {
                as_of,
                ..DecideOptions::default()
            },
        )
    }

    /// Evaluates one rule: `Some` reason if it fired or failed closed; its sentence is rendered
    /// only when `messages` is set.
    fn apply<'a>(
        &self,
        index: usize,
        rule: &'a Rule,
        context: &mut Context<'a>,
        messages: bool,
    ) -> Option<Reason> {
        let remembered = self.store_only_rules().get(index) == Some(&true);
        if remembered && context.known_false_for_every_party(index) {
            return None;
        }
        context.reset(rule.slots);
        match context.test(&rule.condition) {
            Ok(false) => {
                if remembered {
                    context.remember_false_for_every_party(index);
                }
                None
            }
            Ok(true) => {
                let message = if messages {
                    render_message(rule, context)
                } else {
                    String::new()
                };
                let evidence = evidence::resolve(
                    context.facts,
                    context.transaction,
                    context.regimes,
                    &context.blocked_sets,
                    &context.trace,
                );
                let mut reason = self.reason(
                    index,
                    rule,
                    effect_outcome(rule.effect),
                    message,
                    evidence,
                    None,
                );
                let unknown =
                    listing::unknown_listings(context.facts, &context.trace, context.as_of);
                listing::fail_closed(&mut reason, unknown);
                Some(reason)
            }
            // An exemption whose facts are absent does not apply: releasing nothing is the closed side.
            Err(error) if rule.effect == Effect::Allow && error.missing() => None,
            Err(error) => {
                // A failed exemption releases nothing; it is reported, not escalated.
                let effect = match rule.effect {
                    Effect::Allow => Outcome::Allow,
                    _ => Outcome::Review,
                };
                let evidence = stopped_at(context, &error);
                let cause = error.into_failure().cause;
                let message = crate::explain::failed_rule(rule.effect, &cause);
                Some(self.reason(index, rule, effect, message, evidence, Some(cause)))
            }
        }
    }

    fn reason(
        &self,
        index: usize,
        rule: &Rule,
        effect: Outcome,
        message: String,
        evidence: Vec<Evidence>,
        error: Option<FailureCause>,
    ) -> Reason {
        Reason {
            rule: rule.id.clone(),
            policy: rule.policy.clone(),
            jurisdiction: rule.jurisdiction.clone(),
            title: rule.title.clone(),
            effect,
            message,
            citations: rule.citations.clone(),
            source: self.shared_location(index),
            evidence,
            released_by: None,
            releases: Vec::new(),
            error,
            licence: None,
            counterfactuals: Vec::new(),
        }
    }

    /// Marks blocks and reviews released by exemptions that fired (never ones that failed closed).
    fn release(&self, fired: &mut [(usize, Reason)]) {
        for target in 0..fired.len() {
            let Some((rule_index, reason)) = fired.get(target) else {
                continue;
            };
            if reason.error.is_some() || reason.effect == Outcome::Allow || reason.licence.is_some()
            {
                continue;
            }
            let releasers = self.releasers(*rule_index);
            let releaser = fired.iter().position(|(i, r)| {
                releasers.contains(i) && r.effect == Outcome::Allow && r.error.is_none()
            });
            if let Some(position) = releaser {
                let released = reason.rule.clone();
                let by = fired.get(position).map(|(_, r)| r.rule.clone());
                if let Some((_, exemption)) = fired.get_mut(position) {
                    exemption.releases.push(released);
                }
                if let Some((_, reason)) = fired.get_mut(target) {
                    reason.released_by = by;
                }
            }
        }
    }
}

/// Structured evidence for a rule that failed closed: the parties it had bound and the relations
/// it stopped at, each naming both entities.
fn stopped_at(context: &Context<'_>, error: &EvalError) -> Vec<Evidence> {
    let mut trace: Vec<Trace> = error.party.into_iter().map(Trace::Party).collect();
    trace.extend(error.stopped_at.iter().copied().map(Trace::Relation));
    evidence::resolve(
        context.facts,
        context.transaction,
        context.regimes,
        &context.blocked_sets,
        &trace,
    )
}

/// The strictest effect among the reasons still in force.
fn strictest(reasons: &[Reason]) -> Outcome {
    reasons
        .iter()
        .filter(|r| r.is_in_force())
        .map(|r| r.effect)
        .max()
        .unwrap_or(Outcome::Allow)
}

/// One verdict per jurisdiction whose policies have rules, allow where none of them fired.
fn verdicts(codes: &[SharedText], reasons: &[Reason]) -> Verdicts {
    // The set's codes are sorted and distinct, so each goes in at the end.
    let mut verdicts: Verdicts = codes
        .iter()
        .map(|code| (code.clone(), Verdict::default()))
        .collect();
    for reason in reasons {
        let Some(verdict) = reason
            .jurisdiction
            .as_ref()
            .and_then(|code| verdicts.get_mut(code.as_str()))
        else {
            continue;
        };
        verdict.reasons.push(reason.rule.clone());
        if reason.is_in_force() {
            verdict.outcome = verdict.outcome.max(reason.effect);
        }
    }
    verdicts
}

/// Turns an `allow` into `not_assessed` for a jurisdiction none of whose lists is loaded: with
/// nothing to read, its silence says nothing about who is designated.
fn assessed(
    mut verdicts: Verdicts,
    regimes: &[crate::facts::Regime],
    facts: &Facts,
    day: Date,
) -> Verdicts {
    for regime in regimes.iter().filter(|r| r.in_force_on(day)) {
        let Some(verdict) = verdicts.get_mut(regime.code.as_str()) else {
            continue;
        };
        if verdict.outcome == Outcome::Allow && !regime.lists.iter().any(|l| facts.has_list(l)) {
            verdict.outcome = Outcome::NotAssessed;
            verdict.why = Some(NotAssessed::NoListLoaded {
                lists: regime.lists.clone(),
            });
        }
    }
    verdicts
}

/// Sort key: blocks, then reviews, then exemptions; policy order within each (the sort is stable).
fn rank(reason: &Reason) -> Outcome {
    reason.effect
}

fn effect_outcome(effect: Effect) -> Outcome {
    match effect {
        Effect::Allow => Outcome::Allow,
        Effect::Review => Outcome::Review,
        Effect::Block => Outcome::Block,
    }
}

/// The rule's message with the witness's values printed in.
fn render_message<'a>(rule: &'a Rule, context: &mut Context<'a>) -> String {
    let regime = context
        .regimes
        .iter()
        .find(|r| rule.jurisdiction.as_deref() == Some(r.code.as_str()));
    // Sized up front, so the message grows once at most: its literals, and room for a name or
    // a listing for each value.
    let capacity = rule
        .message
        .iter()
        .map(|part| match part {
            MessagePart::Literal(text) => text.len(),
            MessagePart::Value(_) => 48,
        })
        .sum();
    let mut message = String::with_capacity(capacity);
    for part in &rule.message {
        match part {
            MessagePart::Literal(text) => message.push_str(text),
            MessagePart::Value(expr) => {
                // A message's own aggregates and scores say what the condition already showed:
                // what they go through is not evidence a second time.
                let mark = context.trace.len();
                match context.value(expr) {
                    Ok(value) => context.push_in_message(&mut message, expr, value, regime),
                    Err(_) => message.push_str("(unknown)"),
                }
                context.trace.truncate(mark);
            }
        }
    }
    message
}
