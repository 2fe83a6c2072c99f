//! Decisions for people (a short memo a lawyer can read aloud) and for machines (JSON, YAML with
//! the same content and stable field names).

use std::fmt::Write as _;

use serde::Serialize;

use crate::eval::{Decision, Evidence, Outcome, Reason};

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

/// The decisions as memos, one after another.
pub fn text(decisions: &[Decision]) -> String {
    decisions.iter().map(memo).collect::<Vec<_>>().join("\n")
}

/// One decision as a memo.
pub fn memo(decision: &Decision) -> String {
    let mut out = String::new();
    let verdict = decision.outcome.keyword().to_uppercase();
    let _ = writeln!(out, "Transaction {}: {verdict}", decision.transaction);
    let _ = writeln!(out, "{}.", decision.summary);
    let _ = writeln!(out, "Decided as of {}.", decision.as_of);
    if !decision.jurisdictions.is_empty() {
        let verdicts: Vec<String> = decision
            .jurisdictions
            .iter()
            .map(|(code, verdict)| format!("{code} {}", verdict.outcome.keyword()))
            .collect();
        let _ = writeln!(out, "By jurisdiction: {}.", verdicts.join(", "));
    }
    for note in &decision.notes {
        let _ = writeln!(out, "Note: {note}.");
    }
    if decision.reasons.is_empty() {
        let _ = writeln!(
            out,
            "No rule fired: nothing in the loaded policies stops this transaction."
        );
    }
    for (number, reason) in decision.reasons.iter().enumerate() {
        out.push('\n');
        write_reason(&mut out, number + 1, reason);
    }
    let _ = writeln!(
        out,
        "\nPolicy {}; facts {}.",
        decision.policy_digest, decision.facts_digest
    );
    for snapshot in &decision.lists {
        let _ = writeln!(out, "List: {}.", snapshot.describe());
    }
    out
}

fn write_reason(out: &mut String, number: usize, reason: &Reason) {
    let status = match (&reason.released_by, reason.effect, &reason.error) {
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
    if !reason.evidence.is_empty() {
        let _ = writeln!(out, "     Evidence:");
        for item in &reason.evidence {
            let _ = writeln!(out, "       - {}", sentence(item));
        }
    }
    let _ = writeln!(
        out,
        "     Rule {} of policy {}, at {}.",
        reason.rule, reason.policy, reason.source
    );
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
        } => {
            let verb = relation_phrase(relation, *percent);
            let mut period = role
                .as_deref()
                .map(|r| format!(" (role: {r})"))
                .unwrap_or_default();
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
        } => {
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
                "{name} ({entity}) is on the {list} list{programs}{listed}{reference}{}.",
                source_clause(source.as_ref())
            )
        }
        Evidence::Blocked {
            entity,
            name,
            jurisdiction,
            basis,
            total_percent,
            rule,
        } => match (basis.as_str(), total_percent) {
            ("ownership", Some(total)) => format!(
                "{name} ({entity}) is blocked under {jurisdiction} rules by ownership: its blocked owners hold {} % in all ({rule}).",
                crate::eval::format_percent(*total)
            ),
            ("control", _) => format!(
                "{name} ({entity}) is blocked under {jurisdiction} rules by control: {rule}."
            ),
            _ => format!(
                "{name} ({entity}) is blocked under {jurisdiction} rules: it is designated {rule}."
            ),
        },
        Evidence::Note { text } => format!("Note: {text}."),
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
            format!(
                "{name} ({entity}) matches {entry} {listed_name} ({list_entity}{via}) by name: \"{query}\" scores {score:.3} ({}).",
                tokens.join(", ")
            )
        }
        Evidence::Fact {
            entity,
            name,
            field,
            value,
        } => match (entity, name) {
            (Some(entity), Some(name)) => {
                format!("The {field} of {name} ({entity}) is \"{value}\".")
            }
            _ => format!("The transaction's {field} is \"{value}\"."),
        },
    }
}

/// `; source: Companies House, confirmation statement (published 2024-01-10)`, or nothing.
fn source_clause(source: Option<&crate::facts::FactSource>) -> String {
    source
        .map(|s| format!("; source: {}", s.describe()))
        .unwrap_or_default()
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
        other => format!("is {other}"),
    }
}
