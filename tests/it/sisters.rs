//! Stated and derived sister companies: a `some` or `no` whose condition starts with
//! `s.via.kind == "sister_of"` decides as if every derived sister had been walked and rejected,
//! and an `all` over sisters still sees the derived ones.

use interdict::{Decision, Facts, Outcome, PolicySet, Source};

/// Kestrel is a stated sister of Osprey (designated) and shares a majority owner, Heron, with
/// Plover (designated): one stated sister and one derived sister, both designated.
const FACTS: &str = r#"
entities:
  - {id: kestrel, kind: organization, name: "Kestrel Trading LLC"}
  - {id: osprey, kind: organization, name: "Osprey Maritime Ltd."}
  - {id: heron, kind: organization, name: "Heron Holdings"}
  - {id: plover, kind: organization, name: "Plover Foods SA"}
  - {id: bank, kind: organization, name: "First Bank"}
relations:
  - {kind: sister_of, from: kestrel, to: osprey}
  - {kind: owns, from: heron, to: kestrel, percent: 60}
  - {kind: owns, from: heron, to: plover, percent: 70}
designations:
  - {entity: osprey, list: OFAC-SDN, programs: [DPRK], listed_on: 2020-01-01}
  - {entity: plover, list: OFAC-SDN, programs: [DPRK], listed_on: 2020-01-01}
transactions:
  - {id: tx, kind: payment, date: 2024-03-01, parties: [{role: originator, entity: kestrel}, {role: beneficiary, entity: bank}]}
"#;

fn decide(rules: &str) -> Decision {
    let policy = format!("policy sisters \"Sisters\" {{ jurisdiction US }}\n{rules}");
    let policies = PolicySet::from_sources([Source::new("sisters.policy", policy)]).unwrap();
    let facts = Facts::from_text("sisters.yaml", FACTS).unwrap();
    policies.decide(&facts, &facts.transactions()[0], None)
}

fn fired(decision: &Decision) -> Vec<&str> {
    decision.reasons.iter().map(|r| r.rule.as_str()).collect()
}

#[test]
fn a_stated_sister_test_binds_the_stated_sister_and_its_relation() {
    let decision = decide(
        r#"rule stated: review
  when some p in transaction.parties, s in p.sisters: s.via.kind == "sister_of" and s is designated
  because "{p.name} is a stated sister of {s.name}""#,
    );
    assert_eq!(decision.outcome, Outcome::Review);
    assert_eq!(
        decision.reasons[0].message,
        "Kestrel Trading LLC is a stated sister of Osprey Maritime Ltd."
    );
}

#[test]
fn a_stated_sister_test_never_binds_a_derived_sister() {
    let decision = decide(
        r#"rule stated_plover: review
  when some p in transaction.parties, s in p.sisters: s.via.kind == "sister_of" and s.name == "Plover Foods SA"
  because "{s.name}"
rule none_stated: review
  when some p in transaction.parties: no s in p.sisters: "sister_of" == s.via.kind and s is designated
  because "{p.name} has no designated stated sister""#,
    );
    // Plover is only a derived sister, and Kestrel's stated sister is designated; the bank has
    // no sisters at all, so `none_stated` holds for it.
    assert_eq!(fired(&decision), ["none_stated"]);
    assert!(decision.reasons[0].message.starts_with("First Bank"));
}

#[test]
fn other_sister_tests_still_walk_the_derived_sisters() {
    let decision = decide(
        r#"rule derived: review
  when some p in transaction.parties, s in p.sisters where s.via.kind != "sister_of": s is designated
  because "{p.name} shares a parent with {s.name}"
rule all_stated: review
  when some p in transaction.parties: p.name == "Kestrel Trading LLC" and (all s in p.sisters: s.via.kind == "sister_of")
  because "every sister of {p.name} is stated"
rule either: review
  when some p in transaction.parties, s in p.sisters: s is designated and s.via.kind == "sister_of"
  because "{s.name}""#,
    );
    // `all` sees Plover, a derived sister, so it does not hold.
    assert_eq!(fired(&decision), ["derived", "either"]);
    assert_eq!(
        decision.reasons[0].message,
        "Kestrel Trading LLC shares a parent with Plover Foods SA"
    );
}
