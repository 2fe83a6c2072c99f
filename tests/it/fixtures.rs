//! Language fixtures: every construct evaluated against shared facts, one snapshot per policy.
//!
//! Each fixture must check cleanly (asserted before the snapshot), so accepting a snapshot can
//! never hide a policy that stopped compiling.

use std::fmt::Write as _;

use interdict::{Decision, Facts, PolicySet, explain};

/// A compact, stable rendering of decisions: outcome, then each reason with its evidence.
pub fn summary(decisions: &[Decision]) -> String {
    let mut out = String::new();
    for decision in decisions {
        let _ = writeln!(
            out,
            "{}: {} (as of {})",
            decision.transaction,
            decision.outcome.keyword(),
            decision.as_of
        );
        for reason in &decision.reasons {
            let mut status = reason.effect.keyword().to_owned();
            if let Some(by) = &reason.released_by {
                let _ = write!(status, ", released by {by}");
            }
            if !reason.releases.is_empty() {
                let _ = write!(status, ", releases {}", reason.releases.join(" "));
            }
            let _ = writeln!(
                out,
                "  [{status}] {} @ {}: {}",
                reason.rule, reason.source, reason.message
            );
            for item in &reason.evidence {
                let _ = writeln!(out, "      - {}", explain::sentence(item));
            }
        }
    }
    out
}

#[test]
fn every_language_fixture_checks_and_decides() {
    let facts = Facts::load(crate::at("tests/fixtures/eval/facts.yaml")).unwrap();
    let _glob = crate::glob_lock();
    insta::glob!("../fixtures/eval", "*.policy", |path| {
        let relative = path.strip_prefix(crate::root()).unwrap();
        let policies = PolicySet::load(&[relative]);
        let policies = match policies {
            Ok(policies) => policies,
            Err(error) => panic!(
                "fixture {} must check cleanly:\n{}",
                relative.display(),
                error.render()
            ),
        };
        assert!(policies.rule_count() > 0, "fixture has rules");
        insta::assert_snapshot!(summary(&policies.decide_all(&facts, None)));
    });
}

#[test]
fn deeply_nested_policies_are_rejected_instead_of_overflowing_the_stack() {
    let header = "policy deep \"Deep\" { jurisdiction US }\nrule r: review\n  when ";
    let parentheses = format!("{header}{}true{}", "(".repeat(5000), ")".repeat(5000));
    let negations = format!("{header}{}true", "not ".repeat(50_000));
    let lookups = format!(
        "{header}m{}k{} == 1",
        "[m".repeat(50_000),
        "]".repeat(50_000)
    );
    for text in [parentheses, negations, lookups] {
        let error =
            PolicySet::from_sources([interdict::Source::new("deep.policy", text)]).unwrap_err();
        let rendered = error.render();
        assert!(
            rendered.contains("nests more than 100 levels deep"),
            "{rendered}"
        );
    }
}

#[test]
fn nesting_within_the_bound_is_accepted() {
    let text = format!(
        "policy p \"P\" {{ jurisdiction US }}\nrule r: review\n  when {}true{}",
        "(".repeat(60),
        ")".repeat(60)
    );
    assert!(PolicySet::from_sources([interdict::Source::new("ok.policy", text)]).is_ok());
}

#[test]
fn a_variable_bound_for_an_earlier_element_does_not_leak_into_the_message() {
    // The originator has a designated owner, the beneficiary is a KP company with none: the
    // message must not name the originator's owner as the beneficiary's.
    let policy = r#"policy leak "Leak" { jurisdiction US }
rule beneficiary: review
  when some p in transaction.parties:
    (p.country == "KP" or (some o in p.owners: o is designated)) and p.role == "beneficiary"
  because "{p.name} flagged"
"#;
    let facts = r#"
entities:
  - {id: a, kind: organization, name: "Acme Beneficiary", country: KP}
  - {id: b, kind: organization, name: "Originator Ltd", country: US}
  - {id: evil, kind: person, name: "Evil Owner"}
relations:
  - {kind: owns, from: evil, to: b, percent: 10}
designations:
  - {entity: evil, list: OFAC-SDN, programs: [SDGT]}
transactions:
  - {id: t, kind: payment, date: 2024-01-01, parties: [{role: originator, entity: b}, {role: beneficiary, entity: a}]}
"#;
    let policies =
        PolicySet::from_sources([interdict::Source::new("leak.policy", policy)]).unwrap();
    let facts = Facts::from_text("leak.yaml", facts).unwrap();
    let decision = policies.decide(&facts, &facts.transactions()[0], None);
    let reason = &decision.reasons[0];
    assert_eq!(reason.message, "Acme Beneficiary flagged");
    assert!(
        reason
            .evidence
            .iter()
            .all(|e| !explain::sentence(e).contains("Evil Owner")),
        "{:#?}",
        reason.evidence
    );
}

#[test]
fn a_rule_that_multiplies_bindings_fails_closed_instead_of_hanging() {
    let bindings: Vec<String> = (0..40)
        .map(|i| format!("p{i} in transaction.parties"))
        .collect();
    let policy = format!(
        "policy explode \"Explode\" {{ jurisdiction US }}\nrule explode: block\n  when some {}: p0.name == \"nobody\"\n  because \"never\"\n",
        bindings.join(", ")
    );
    let facts = r#"
entities:
  - {id: a, kind: organization, name: "A"}
  - {id: b, kind: organization, name: "B"}
  - {id: c, kind: organization, name: "C"}
  - {id: d, kind: organization, name: "D"}
transactions:
  - {id: t, kind: payment, date: 2024-01-01, parties: [{role: x, entity: a}, {role: y, entity: b}, {role: z, entity: c}, {role: w, entity: d}]}
"#;
    let policies =
        PolicySet::from_sources([interdict::Source::new("explode.policy", policy)]).unwrap();
    let facts = Facts::from_text("explode.yaml", facts).unwrap();
    let decision = policies.decide(&facts, &facts.transactions()[0], None);
    assert_eq!(decision.outcome, interdict::Outcome::Review);
    let error = decision.reasons[0].error.as_ref().unwrap();
    assert_eq!(
        error,
        &interdict::eval::FailureCause::StepBudget { limit: 2_000_000 }
    );
    let said = interdict::explain::failure(error);
    assert!(said.contains("more than 2000000 steps"), "{said}");
    // The message reads the cause aloud, and the cause comes back from its JSON.
    assert!(decision.reasons[0].message.ends_with(&said), "{said}");
    let json = serde_json::to_value(error).unwrap();
    assert_eq!(json["cause"], "step_budget", "{json}");
    let read: interdict::eval::FailureCause = serde_json::from_value(json).unwrap();
    assert_eq!(&read, error);
}

/// Each failure cause is data that reads back from its JSON, and `explain` reads it aloud in the
/// words the memo has always used; causes the fixtures above cannot reach are pinned here.
#[test]
fn failure_causes_read_back_from_json_and_read_aloud_as_before() {
    use interdict::eval::{FactValue, FailureCause, Inconsistency, ValueKind};
    let text = |t: &str| t.to_owned();
    let cases = [
        (
            FailureCause::MissingBlockingControlBasis {
                relation: text("r7"),
                owner: text("X"),
                asset: text("A"),
                subject: None,
                jurisdiction: text("EU"),
            },
            "the basis of control of relation r7 (X, blocked, controls A), which decides whether it is frozen under EU rules (only some bases of control freeze), is not given in the facts",
        ),
        (
            FailureCause::DeclaredTypeMismatch {
                attribute: Some(text("sector")),
                transaction: None,
                name: Some(text("Acme")),
                expected: text("number"),
                found: ValueKind::Text,
                value: FactValue::Text(text("many")),
            },
            "attribute `sector` of Acme is declared a number, but the facts give the text \"many\"",
        ),
        (
            FailureCause::DeclaredTypeMismatch {
                attribute: Some(text("origin")),
                transaction: Some(text("tx-1")),
                name: None,
                expected: text("country"),
                found: ValueKind::Number,
                value: FactValue::Number(12.0),
            },
            "attribute `origin` of transaction `tx-1` is declared an ISO 3166 alpha-2 country code, but the facts give a number (12)",
        ),
        (
            FailureCause::OffCalendar {
                date: "2199-12-31".parse().unwrap(),
                amount: 1,
                unit: text("days"),
            },
            "2199-12-31 moved by 1 day is off the calendar",
        ),
        (
            FailureCause::NotADate {
                text: text("2025-02-30"),
            },
            "`2025-02-30` is not a valid date: 30 is not a day of February 2025, which has 28 days (dates are written YYYY-MM-DD)",
        ),
        (
            FailureCause::WalkTooLong {
                traversal: text("owners"),
                from: text("Acme"),
                limit: interdict::eval::MAX_WALK,
            },
            "walking `owners` from Acme reached more than 100000 entities; bound it with a smaller `up to`",
        ),
        (
            FailureCause::MissingMapKey { key: text("RU") },
            "a value for \"RU\" in the map is not given in the facts",
        ),
        (
            FailureCause::MissingSetting {
                setting: text("significant_minority"),
                jurisdiction: None,
            },
            "the `significant_minority` setting of jurisdiction (undeclared) is not given in the facts",
        ),
        (
            FailureCause::Internal {
                inconsistency: Inconsistency::UndeclaredJurisdiction,
            },
            "a rule names a jurisdiction that is not declared",
        ),
    ];
    for (cause, said) in cases {
        assert_eq!(interdict::explain::failure(&cause), said);
        assert_eq!(
            cause.is_missing(),
            said.ends_with("is not given in the facts")
        );
        let json = serde_json::to_string(&cause).unwrap();
        let read: FailureCause = serde_json::from_str(&json).unwrap();
        assert_eq!(read, cause, "{json}");
    }
}
