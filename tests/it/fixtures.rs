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
        assert!(!policies.rules().is_empty(), "fixture has rules");
        insta::assert_snapshot!(summary(&policies.decide_all(&facts, None)));
    });
}

#[test]
fn deeply_nested_policies_are_rejected_instead_of_overflowing_the_stack() {
    let header = "policy deep \"Deep\" { jurisdiction US }\nrule r: review\n  when ";
    let parentheses = format!("{header}{}true{}", "(".repeat(5000), ")".repeat(5000));
    let negations = format!("{header}{}true", "not ".repeat(50_000));
    for text in [parentheses, negations] {
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
