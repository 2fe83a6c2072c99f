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
    let error = decision.reasons[0].error.as_deref().unwrap();
    assert!(error.contains("more than 2000000 steps"), "{error}");
}
