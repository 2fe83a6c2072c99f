//! Decisions that share a cache remember, for rules that read parties only through the store,
//! the entities a rule was false for on a day's epoch. What they decide must be exactly what
//! each transaction decided alone decides: across epochs, for a party whose role or
//! transaction matters, for a party met beside one that fires, and with a budget too small to
//! keep anything.

use interdict::eval::DecideOptions;
use interdict::facts::BlockedSets;
use interdict::{Decision, Facts, Outcome, PolicySet, Source};

/// Every decision of the batch, deciding each transaction alone (no cache shared).
fn alone(policies: &PolicySet, facts: &Facts) -> Vec<Decision> {
    facts
        .transactions()
        .iter()
        .map(|t| policies.decide_with(facts, t, DecideOptions::default()))
        .collect()
}

/// Every decision of the batch, sharing `cache`.
fn sharing(policies: &PolicySet, facts: &Facts, cache: &BlockedSets) -> Vec<Decision> {
    let options = DecideOptions::default().sharing(cache);
    facts
        .transactions()
        .iter()
        .map(|t| policies.decide_with(facts, t, options))
        .collect()
}

fn outcomes(decisions: &[Decision]) -> Vec<Outcome> {
    decisions.iter().map(|d| d.outcome).collect()
}

fn policies(rules: &str) -> PolicySet {
    let text = format!("policy shared \"Shared answers\" {{ jurisdiction US }}\n{rules}");
    PolicySet::from_sources([Source::new("shared.policy", text)]).unwrap()
}

/// Acme is 60 % owned by Borealis, designated from 2024-06-01 on; Osprey is designated
/// throughout; the bank is not designated. Acme pays the bank before and after 2024-06-01;
/// Osprey pays 500 USD and is paid 50,000 USD.
const FACTS: &str = r#"
entities:
  - {id: acme, kind: organization, name: "Acme Trading LLC"}
  - {id: borealis, kind: organization, name: "Borealis Shipping"}
  - {id: bank, kind: organization, name: "First Bank"}
  - {id: osprey, kind: organization, name: "Osprey Maritime Ltd."}
relations:
  - {kind: owns, from: borealis, to: acme, percent: 60}
designations:
  - {entity: borealis, list: OFAC-SDN, programs: [DPRK3], listed_on: 2024-06-01}
  - {entity: osprey, list: OFAC-SDN, programs: [DPRK3], listed_on: 2020-01-01}
transactions:
  - {id: before, kind: payment, date: 2024-03-01, amount: {value: 500, currency: USD}, parties: [{role: originator, entity: acme}, {role: beneficiary, entity: bank}]}
  - {id: after, kind: payment, date: 2024-07-01, amount: {value: 500, currency: USD}, parties: [{role: originator, entity: acme}, {role: beneficiary, entity: bank}]}
  - {id: osprey_pays, kind: payment, date: 2024-07-01, amount: {value: 500, currency: USD}, parties: [{role: originator, entity: osprey}, {role: beneficiary, entity: bank}]}
  - {id: osprey_paid, kind: payment, date: 2024-07-01, amount: {value: 50000, currency: USD}, parties: [{role: originator, entity: bank}, {role: beneficiary, entity: osprey}]}
  - {id: bank_and_osprey, kind: payment, date: 2024-07-02, amount: {value: 500, currency: USD}, parties: [{role: originator, entity: bank}, {role: beneficiary, entity: osprey}]}
"#;

/// The decisions of `rules` on `facts` sharing one cache, checked equal to those taken alone.
fn decided_sharing(rules: &str, facts: &str) -> Vec<Decision> {
    let policies = policies(rules);
    let facts = Facts::from_text("shared.yaml", facts).unwrap();
    let shared = sharing(&policies, &facts, &BlockedSets::default());
    assert_eq!(shared, alone(&policies, &facts));
    shared
}

const OWNED: &str = r#"rule owned_by_designated: block
  when some p in transaction.parties, o in p.owners: o is designated and o.via.percent >= 50
  because "{p.name} is owned {o.via.percent} % by designated {o.name}""#;

#[test]
fn a_rule_false_for_an_entity_before_a_listing_fires_for_it_after_the_listing() {
    // Acme's owner is listed on 2024-06-01, a day on which the store changes: the payment of
    // 2024-03-01 is allowed, and what was remembered then must not allow the one of 2024-07-01.
    let policies = policies(OWNED);
    let facts = Facts::from_text("shared.yaml", FACTS).unwrap();
    let cache = BlockedSets::default();
    let shared = sharing(&policies, &facts, &cache);
    assert_eq!(shared[0].outcome, Outcome::Allow);
    assert_eq!(shared[1].outcome, Outcome::Block);
    assert_eq!(shared, alone(&policies, &facts));
    assert!(
        cache.bytes() > 0,
        "the answers are kept in the cache's budget"
    );
}

#[test]
fn a_party_remembered_false_does_not_hide_the_other_party_of_the_next_payment() {
    // The bank is found not designated in the first payments; the next one pays Osprey, which
    // is, beside the bank.
    let shared = decided_sharing(
        r#"rule designated_party: block
  when some p in transaction.parties: p is designated
  because "{p.name} is designated""#,
        FACTS,
    );
    assert_eq!(
        outcomes(&shared),
        [
            Outcome::Allow,
            Outcome::Allow,
            Outcome::Block,
            Outcome::Block,
            Outcome::Block
        ]
    );
}

#[test]
fn a_rule_reading_the_payment_is_asked_again_for_every_payment() {
    // Osprey pays 500 USD as originator and is paid 50,000 USD as beneficiary: a rule reading
    // the party's role or the amount is false for the first payment and true for the second,
    // so the first answer must not be reused for the same entity.
    for rule in [
        r#"rule designated_beneficiary: block
  when some p in transaction.parties: p.role == "beneficiary" and p is designated
  because "{p.name} is designated""#,
        r#"rule large_designated: block
  when some p in transaction.parties: p is designated and transaction.amount.value > 10000
  because "{p.name} is designated""#,
    ] {
        let shared = decided_sharing(rule, FACTS);
        assert_eq!(shared[2].outcome, Outcome::Allow, "{rule}: Osprey pays");
        assert_eq!(shared[3].outcome, Outcome::Block, "{rule}: Osprey is paid");
    }
}

#[test]
fn a_rule_pairing_two_parties_is_asked_again_for_every_payment() {
    // Osprey with the bank, then Alice (a person) with the bank, satisfy nothing; Osprey with
    // Alice does: every party of the third payment was met before, but never together.
    let shared = decided_sharing(
        r#"rule designated_with_a_person: block
  when some p in transaction.parties, q in transaction.parties: p is designated and q.kind == "person"
  because "{p.name} is designated""#,
        r#"
entities:
  - {id: osprey, kind: organization, name: "Osprey Maritime Ltd."}
  - {id: alice, kind: person, name: "Alice Example"}
  - {id: bank, kind: organization, name: "First Bank"}
designations:
  - {entity: osprey, list: OFAC-SDN, programs: [DPRK3], listed_on: 2020-01-01}
transactions:
  - {id: one, kind: payment, date: 2024-07-01, parties: [{role: originator, entity: osprey}, {role: beneficiary, entity: bank}]}
  - {id: two, kind: payment, date: 2024-07-01, parties: [{role: originator, entity: alice}, {role: beneficiary, entity: bank}]}
  - {id: three, kind: payment, date: 2024-07-01, parties: [{role: originator, entity: osprey}, {role: beneficiary, entity: alice}]}
"#,
    );
    assert_eq!(
        outcomes(&shared),
        [Outcome::Allow, Outcome::Allow, Outcome::Block]
    );
}

#[test]
fn a_cache_too_small_to_keep_answers_decides_the_same() {
    let policies = policies(OWNED);
    let facts = Facts::from_text("shared.yaml", FACTS).unwrap();
    let cache = BlockedSets::with_budget(0);
    assert_eq!(sharing(&policies, &facts, &cache), alone(&policies, &facts));
    assert_eq!(cache.bytes(), 0);
}

#[test]
fn the_shipped_packs_decide_every_example_the_same_sharing_a_cache_or_not() {
    let policies = PolicySet::load(&[crate::at("policies")]).unwrap();
    let mut decided = 0;
    for example in [
        "examples/it-workers.yaml",
        "examples/licences.yaml",
        "examples/ownership-control.yaml",
        "examples/red-flags.yaml",
        "examples/silverstar.yaml",
        "examples/unlabelled-payments.yaml",
    ] {
        let facts = Facts::load(crate::at(example)).unwrap();
        // Twice through the same cache: the second pass reads what the first remembered.
        let cache = BlockedSets::default();
        let first = sharing(&policies, &facts, &cache);
        let second = sharing(&policies, &facts, &cache);
        let expected = alone(&policies, &facts);
        assert_eq!(first, expected, "{example}, first pass");
        assert_eq!(second, expected, "{example}, second pass");
        decided += expected.len();
    }
    assert!(decided >= 20, "only {decided} transactions decided");
}
