//! Decisions for people (a short memo a lawyer can read aloud) and for machines (JSON, YAML with
//! the same content and stable field names).
//!
//! The decision holds facts only (its summary, evidence, notes and failures are data); the
//! sentences are written here, from those facts, so a decision read back from its JSON gives the
//! same memo.
//!
//! ```
//! use interdict::{Decision, Facts, PolicySet, Source, explain};
//!
//! let policies = PolicySet::from_sources([Source::new("p.policy", r#"
//!     policy p "Example" { jurisdiction US }
//!     rule big: review when transaction.amount.value > 10000 because "a large payment""#)])?;
//! let facts = Facts::from_text("facts.yaml", r#"
//! entities: [{id: acme, kind: organization, name: "Acme Analytics Inc.", country: US}]
//! transactions:
//!   - {id: tx-1, kind: payment, date: 2024-03-01, amount: {value: 12000, currency: USD},
//!      parties: [{role: originator, entity: acme}]}
//! "#)?;
//! let decision = policies.decide(&facts, &facts.transactions()[0], None);
//! let memo = explain::memo(&decision);
//! assert!(memo.starts_with(
//!     "Transaction tx-1: REVIEW\nA payment of 12,000 USD dated 2024-03-01 involving Acme Analytics Inc. (originator).\n"
//! ));
//! let json = explain::json(std::slice::from_ref(&decision));
//! let read: serde_json::Value = serde_json::from_str(&json)?;
//! assert_eq!(read["decisions"][0]["summary"]["parties"][0]["entity"], "acme");
//! let back: Decision = serde_json::from_value(read["decisions"][0].clone())?;
//! assert_eq!(explain::memo(&back), memo);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bases;
mod counterfactuals;
mod failures;
mod findings;
mod matches;
mod notes;
mod summary;

use std::fmt::Write as _;

use serde::Serialize;

use crate::eval::{Decision, Evidence, FactValue, LicenceApplied, Outcome, Reason};

pub use bases::blocking_rule;
pub use counterfactuals::counterfactual;
pub use failures::failure;
pub(crate) use failures::{block_sent_to_review, failed_rule};
pub use findings::{finding, review_status, token_pairs};
pub use matches::match_note;
pub use notes::{listing_date_unknown, not_assessed, note};
pub use summary::summary;

/// The document printed by `interdict eval --format json|yaml`.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// One decision per transaction.
    pub decisions: &'a [Decision],
}

/// The decisions as one pretty-printed JSON document with a top-level `decisions` array.
pub fn json(decisions: &[Decision]) -> String {
    serde_json::to_string_pretty(&Report { decisions })
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The decisions as one YAML document, same content as [`json`].
pub fn yaml(decisions: &[Decision]) -> Result<String, String> {
    crate::yaml::to_string(&Report { decisions })
}

/// The decisions as memos, one after another. The policy and facts digests, the same for every
/// decision of one run, close the run once instead of each memo.
pub fn text(decisions: &[Decision]) -> String {
    let shared = decisions.first().filter(|first| {
        decisions
            .iter()
            .all(|d| d.policy_digest == first.policy_digest && d.facts_digest == first.facts_digest)
    });
    let Some(first) = shared else {
        return decisions.iter().map(memo).collect::<Vec<_>>().join("\n");
    };
    let mut out = decisions
        .iter()
        .map(memo_body)
        .collect::<Vec<_>>()
        .join("\n");
    write_digests(&mut out, first);
    out
}

/// One decision as a memo, with the digests of the policies and facts it was made from.
pub fn memo(decision: &Decision) -> String {
    let mut out = memo_body(decision);
    write_digests(&mut out, decision);
    out
}

fn write_digests(out: &mut String, decision: &Decision) {
    let _ = writeln!(
        out,
        "\nPolicy {}; facts {}.",
        decision.policy_digest, decision.facts_digest
    );
    for snapshot in &decision.lists {
        let _ = writeln!(out, "List: {}.", snapshot.describe());
    }
}

/// A memo without the digests.
fn memo_body(decision: &Decision) -> String {
    let mut out = String::new();
    let verdict = decision.outcome.keyword().to_uppercase();
    let _ = writeln!(out, "Transaction {}: {verdict}", decision.transaction);
    if let Some(brief) = &decision.summary {
        summary::write_summary(&mut out, brief);
        out.push_str(".\n");
    }
    let _ = writeln!(out, "Decided as of {}.", decision.as_of);
    if !decision.jurisdictions.is_empty() {
        let verdicts: Vec<String> = decision
            .jurisdictions
            .iter()
            .map(|(code, verdict)| match &verdict.why {
                Some(why) => format!("{code} not assessed ({})", not_assessed(why)),
                None => format!("{code} {}", verdict.outcome.keyword()),
            })
            .collect();
        let _ = writeln!(out, "By jurisdiction: {}.", verdicts.join(", "));
    }
    for note in &decision.notes {
        let _ = writeln!(out, "Note: {}.", notes::note(note));
    }
    if decision.reasons.is_empty() {
        let _ = writeln!(
            out,
            "No rule fired: nothing in the loaded policies stops this transaction."
        );
    }
    let mut shown = Vec::new();
    for (number, reason) in decision.reasons.iter().enumerate() {
        out.push('\n');
        write_reason(&mut out, number + 1, reason, &mut shown);
    }
    for licence in &decision.licences {
        out.push('\n');
        write_licence(&mut out, licence);
    }
    out
}

/// A reason's evidence, each fact once per memo: the summary already names the parties and their
/// roles, and a fact an earlier reason listed is not listed again (the JSON keeps every item).
fn write_evidence(out: &mut String, reason: &Reason, shown: &mut Vec<String>) {
    let fresh: Vec<String> = reason
        .evidence
        .iter()
        .filter(|e| !matches!(e, Evidence::Party { .. }))
        .map(sentence)
        .filter(|line| !shown.contains(line))
        .collect();
    let repeated = reason
        .evidence
        .iter()
        .filter(|e| !matches!(e, Evidence::Party { .. }))
        .count()
        > fresh.len();
    match (fresh.is_empty(), repeated) {
        (true, true) => {
            let _ = writeln!(out, "     Evidence: as above.");
        }
        (true, false) => {}
        (false, repeated) => {
            let header = if repeated {
                "Evidence (besides the facts above):"
            } else {
                "Evidence:"
            };
            let _ = writeln!(out, "     {header}");
            for line in fresh {
                let _ = writeln!(out, "       - {line}");
                shown.push(line);
            }
        }
    }
}

fn write_reason(out: &mut String, number: usize, reason: &Reason, shown: &mut Vec<String>) {
    let status = match (&reason.released_by, reason.effect, &reason.error) {
        (Some(by), effect, _) if reason.licence.is_some() => {
            format!(
                "{} released by licence {by}",
                effect.keyword().to_uppercase()
            )
        }
        (Some(by), effect, _) => format!(
            "{} released by exemption {by}",
            effect.keyword().to_uppercase()
        ),
        (None, Outcome::Allow, Some(_)) => {
            String::from("EXEMPTION NOT APPLIED (could not be checked)")
        }
        (None, Outcome::Allow, None) => {
            format!("EXEMPTION releasing {}", reason.releases.join(", "))
        }
        (None, _, Some(_)) => String::from("REVIEW (rule failed closed)"),
        (None, effect, None) => effect.keyword().to_uppercase(),
    };
    let title = reason
        .title
        .as_deref()
        .map(|t| format!(" — {t}"))
        .unwrap_or_default();
    let _ = writeln!(out, "  {number}. {status}: rule {}{title}", reason.rule);
    let _ = writeln!(out, "     {}", sentence_case(&reason.message));
    if !reason.citations.is_empty() {
        let _ = writeln!(out, "     Legal basis: {}.", reason.citations.join("; "));
    }
    write_evidence(out, reason, shown);
    let _ = writeln!(
        out,
        "     Rule {} of policy {}, at {}.",
        reason.rule, reason.policy, reason.source
    );
}

/// A licence that released blocks, with the terms the memo quotes.
fn write_licence(out: &mut String, licence: &LicenceApplied) {
    let issuer = match &licence.authority {
        Some(authority) => format!("{} ({authority})", licence.issuer),
        None => licence.issuer.clone(),
    };
    let title = licence
        .title
        .as_deref()
        .map(|t| format!(" — {t}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  Licence {}: {issuer} {} licence {}{title}",
        licence.id, licence.kind, licence.number
    );
    if let Some(licensee) = &licence.licensee {
        let _ = writeln!(out, "     Licensee: {licensee}.");
    }
    let period = match (licence.valid_from, licence.valid_until) {
        (Some(from), Some(until)) => format!("from {from} until {until} (not included)"),
        (Some(from), None) => format!("from {from}"),
        (None, Some(until)) => format!("until {until} (not included)"),
        (None, None) => String::from("without an end date"),
    };
    let _ = writeln!(out, "     In force {period}.");
    if let Some(terms) = &licence.terms {
        let _ = writeln!(out, "     Terms: \"{terms}\"");
    }
    for condition in &licence.conditions {
        let _ = writeln!(out, "     Condition: {condition}");
    }
    for duty in &licence.reporting {
        let _ = writeln!(out, "     Report due: {duty}");
    }
    if let Some(citation) = &licence.citation {
        let _ = writeln!(out, "     Published: {citation}.");
    }
    let released: Vec<String> = licence
        .released
        .iter()
        .map(|b| format!("{} about {} ({})", b.rule, b.name, b.entity))
        .collect();
    let _ = writeln!(out, "     Released: {}.", released.join("; "));
}

/// The message with its first letter capitalised, as the first word of a sentence in a memo.
fn sentence_case(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One piece of evidence as a sentence.
pub fn sentence(evidence: &Evidence) -> String {
    match evidence {
        Evidence::Party {
            role,
            entity,
            name,
            source,
        } => format!(
            "{name} ({entity}) is the {role} of the transaction{}.",
            source_clause(source.as_ref())
        ),
        Evidence::Relation {
            id,
            relation,
            from,
            from_name,
            to,
            to_name,
            percent,
            role,
            start,
            end,
            source,
            basis,
        } => {
            let verb = relation_phrase(relation, *percent);
            let basis = basis
                .as_deref()
                .and_then(crate::facts::ControlBasis::from_keyword)
                .map(|b| format!("basis: {}", b.describe()));
            let details: Vec<String> = [role.as_deref().map(|r| format!("role: {r}")), basis]
                .into_iter()
                .flatten()
                .collect();
            let mut period = if details.is_empty() {
                String::new()
            } else {
                format!(" ({})", details.join("; "))
            };
            if let Some(start) = start {
                let _ = write!(period, ", since {start}");
            }
            if let Some(end) = end {
                let _ = write!(period, ", until {end}");
            }
            format!(
                "{from_name} ({from}) {verb} {to_name} ({to}){period} [relation {id}]{}.",
                source_clause(source.as_ref())
            )
        }
        Evidence::Designation {
            entity,
            name,
            list,
            programs,
            listed_on,
            reference,
            source,
            listed_by,
            unlisted_on,
            measure,
            directive,
            authority,
        } => {
            let measure = measure_phrase(measure, directive.as_deref());
            let authority = if authority.is_empty() {
                String::new()
            } else {
                format!(" ({})", authority.join("; "))
            };
            let programs = if programs.is_empty() {
                String::new()
            } else {
                format!(" under {}", programs.join(", "))
            };
            let listed = match (listed_on, listed_by) {
                (Some(d), _) => format!(", listed {d}"),
                (None, Some(by)) => match unlisted_on {
                    Some(after) => {
                        format!(", listed after {after} and by {by} (exact listing date unknown)")
                    }
                    None => format!(", listed by {by} (exact listing date unknown)"),
                },
                (None, None) => String::new(),
            };
            let reference = reference
                .as_deref()
                .map(|r| format!(" [{r}]"))
                .unwrap_or_default();
            format!(
                "{name} ({entity}) is on the {list} list{programs}{listed}{reference}, {measure}{authority}{}.",
                source_clause(source.as_ref())
            )
        }
        Evidence::Blocked {
            entity,
            name,
            jurisdiction,
            basis,
        } => format!(
            "{name} ({entity}) is blocked under {jurisdiction} rules{}.",
            bases::blocked(jurisdiction, basis)
        ),
        Evidence::Note(noted) => format!("Note: {}.", notes::note(noted)),
        Evidence::Indicator { id, title, weight } => {
            let title = title
                .as_deref()
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            let points = if *weight == 1.0 { "point" } else { "points" };
            format!(
                "Indicator {id}{title} holds and counts {} {points}.",
                crate::number::format_number(*weight)
            )
        }
        Evidence::Conversion { .. } => conversion(evidence),
        Evidence::EarlierTransaction {
            id,
            transaction_kind,
            date,
            amount,
            currency,
        } => {
            let amount = match (amount, currency) {
                (Some(value), Some(currency)) => {
                    format!(" of {} {currency}", crate::number::format_number(*value))
                }
                _ => String::new(),
            };
            format!("Earlier transaction {id} ({transaction_kind}) on {date}{amount}.")
        }
        Evidence::Match {
            entity,
            name,
            query,
            list_entity,
            listed_name,
            matched_name,
            list,
            reference,
            score,
            tokens,
            strength,
            agrees,
            contradicts,
            unknown,
            check,
            fingerprint,
            ..
        } => {
            let entry = [list.as_deref(), reference.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let via = if matched_name == listed_name {
                String::new()
            } else {
                format!(", listed also as \"{matched_name}\"")
            };
            let found = format!(
                "{name} ({entity}) matches {entry} {listed_name} ({list_entity}{via}) by name: \"{query}\" scores {score:.3} ({}).",
                token_pairs(tokens)
            );
            let judged = match_strength(*strength, agrees, contradicts, unknown, check);
            if *strength == crate::screen::Strength::Possible {
                // What a reviewer records with a disposition of this alert.
                format!("{found} {judged} Entry fingerprint {fingerprint}.")
            } else {
                format!("{found} {judged}")
            }
        }
        Evidence::Fact {
            entity,
            name,
            field,
            value,
        } => {
            let value = fact_text(field, value);
            match (entity, name) {
                (Some(entity), Some(name)) => {
                    format!("The {field} of {name} ({entity}) is {value}.")
                }
                _ => format!("The transaction's {field} is {value}."),
            }
        }
    }
}

/// A fact's value as a memo prints it: numbers and booleans bare, text quoted, and a country
/// code with its name.
fn fact_text(field: &str, value: &FactValue) -> String {
    match value {
        FactValue::Text(code) if field.contains("country") || field.contains("nationality") => {
            match crate::country_names::country_name(code) {
                Some(country) => format!("{country} (\"{code}\")"),
                None => format!("\"{code}\""),
            }
        }
        FactValue::Text(text) => format!("\"{text}\""),
        other => other.to_string(),
    }
}

/// `; source: Companies House, confirmation statement (published 2024-01-10)`, or nothing.
fn source_clause(source: Option<&crate::facts::FactSource>) -> String {
    source
        .map(|s| format!("; source: {}", s.describe()))
        .unwrap_or_default()
}

/// What a match's strength means and rests on, in sentences: a reader must not take a possible
/// match for a determination (OFAC FAQ 5: check a hit against the entry's other identifiers).
fn match_strength(
    strength: crate::screen::Strength,
    agrees: &[crate::screen::Finding],
    contradicts: &[crate::screen::Finding],
    unknown: &[crate::screen::Finding],
    check: &[crate::screen::Finding],
) -> String {
    use crate::screen::Strength;
    let mut out = match strength {
        Strength::Confirmed => String::from("Confirmed match"),
        Strength::Possible => String::from("Possible match, not a determination"),
        Strength::Contradicted => String::from("Contradicted match, not the listed entity"),
        Strength::Cleared => String::from("Cleared by a reviewer"),
    };
    for (label, items) in [
        ("agrees", agrees),
        ("contradicts", contradicts),
        ("unknown", unknown),
        ("to check", check),
    ] {
        if !items.is_empty() {
            let items: Vec<String> = items.iter().map(finding).collect();
            out.push_str(&format!("; {label}: {}", items.join("; ")));
        }
    }
    out.push('.');
    out
}

fn relation_phrase(relation: &str, percent: Option<f64>) -> String {
    match relation {
        "owns" => match percent {
            Some(p) => format!("owns {} % of", crate::eval::format_percent(p)),
            None => String::from("owns an unknown share of"),
        },
        "controls" => String::from("controls"),
        "director_of" => String::from("is a director of"),
        "sister_of" => String::from("is a sister company of"),
        "linked_to" => String::from("is linked to"),
        "employs" => String::from("employs"),
        "created_by" => String::from("was created by"),
        "acts_jointly_with" => String::from("acts jointly with"),
        "signatory_of" => String::from("signed for"),
        other => format!("is {other}"),
    }
}

/// A listing's measure in words: "an asset freeze", "a sectoral restriction (Directive 1)".
fn measure_phrase(measure: &str, directive: Option<&str>) -> String {
    let words = match measure {
        "asset_freeze" => "an asset freeze",
        "travel_ban" => "a travel ban only (no asset freeze)",
        "arms_embargo" => "an arms embargo only (no asset freeze)",
        "trust_services_ban" => "a trust-services ban only (no asset freeze)",
        "sectoral" => "a sectoral restriction (no asset freeze)",
        "non_sdn" => "a non-SDN listing (no asset freeze)",
        other => other,
    };
    match directive {
        Some(directive) => format!("{words}, {directive}"),
        None => words.to_owned(),
    }
}

/// "12500 EUR is 13552.5 USD at the rate of 1.0842 USD per EUR published for 2024-02-29 (ECB)."
fn conversion(item: &Evidence) -> String {
    let Evidence::Conversion {
        amount,
        currency,
        converted,
        to,
        rate,
        base,
        quote,
        as_of,
        inverted,
        source,
    } = item
    else {
        return String::new();
    };
    let figure = crate::number::format_number;
    let applied = if *inverted {
        ", applied the other way round"
    } else {
        ""
    };
    let source = source
        .as_ref()
        .map(|s| format!(" ({})", s.describe()))
        .unwrap_or_default();
    format!(
        "{} {currency} is {} {to} at the rate of {} {quote} per {base} published for {as_of}{source}{applied}.",
        figure(*amount),
        figure(*converted),
        figure(*rate),
    )
}
