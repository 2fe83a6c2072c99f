//! Licences as records: each releases only the blocks about the parties, list entries and programs
//! it covers, under its issuer's jurisdiction (31 CFR 501.801: a licence authorises only what it
//! describes), and the memo quotes the terms that applied.

use interdict::{Decision, Facts, Outcome, PolicySet, explain};

const POLICIES: &[&str] = &[
    "policies/jurisdictions.policy",
    "policies/us_ownership.policy",
    "policies/eu_ownership.policy",
    "policies/uk_ownership.policy",
];

/// Facts with the shipped library of general licences merged in.
fn with_library(text: &str) -> Facts {
    let mut document = parse(text);
    let library = interdict::facts::FactsDocument::read("policies/licences/general.yaml").unwrap();
    document.licences.extend(library.licences);
    Facts::from_document("facts.yaml", document).unwrap()
}

/// Reads a facts document from text through a temporary file, one file per call so that tests
/// running in parallel do not share one.
fn parse(text: &str) -> interdict::facts::FactsDocument {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!(
        "interdict-licences-{}-{n}.yaml",
        std::process::id()
    ));
    std::fs::write(&path, text).unwrap();
    let document = interdict::facts::FactsDocument::read(&path);
    let _ = std::fs::remove_file(&path);
    document.unwrap()
}

fn decide(facts: &Facts, transaction: &str) -> Decision {
    let policies = PolicySet::load(POLICIES).unwrap();
    policies.decide(facts, facts.transaction(transaction).unwrap(), None)
}

fn in_force(decision: &Decision) -> Vec<(&str, Option<&str>)> {
    decision
        .reasons
        .iter()
        .map(|r| (r.rule.as_str(), r.released_by.as_deref()))
        .collect()
}

/// Red Sea Trading Corporation (SDN 33918, E.O. 14046) and a company it owns, paid in the
/// wind-down period of GL 4; an unrelated bank blocked under E.O. 14024 handles one payment.
const WIND_DOWN: &str = r#"
entities:
  - {id: acme, kind: organization, name: "Acme Analytics Inc.", country: US}
  - {id: red-sea, kind: organization, name: "RED SEA TRADING CORPORATION", country: ER}
  - {id: red-sea-shipping, kind: organization, name: "Red Sea Shipping PLC", country: ER}
  - {id: bank, kind: organization, name: "Example Bank PJSC", country: RU}
relations:
  - {kind: owns, from: red-sea, to: red-sea-shipping, percent: 100}
designations:
  - {entity: red-sea, list: OFAC-SDN, programs: [ETHIOPIA-EO14046], listed_on: 2021-11-12, ref: "SDN 33918"}
  - {entity: bank, list: OFAC-SDN, programs: [RUSSIA-EO14024], listed_on: 2021-04-15, ref: "SDN 99999"}
transactions:
  - id: wind-down
    kind: payment
    date: 2021-12-01
    amount: {value: 5000, currency: USD}
    parties: [{role: originator, entity: acme}, {role: beneficiary, entity: red-sea-shipping}]
    attributes: {licences: [GL 4]}
  - id: wind-down-through-blocked-bank
    kind: payment
    date: 2021-12-01
    amount: {value: 5000, currency: USD}
    parties:
      - {role: originator, entity: acme}
      - {role: beneficiary, entity: red-sea-shipping}
      - {role: intermediary, entity: bank}
    attributes: {licences: [GL 4]}
  - id: after-wind-down
    kind: payment
    date: 2021-12-14
    amount: {value: 5000, currency: USD}
    parties: [{role: originator, entity: acme}, {role: beneficiary, entity: red-sea-shipping}]
    attributes: {licences: [GL 4]}
  - id: not-relied-on
    kind: payment
    date: 2021-12-01
    amount: {value: 5000, currency: USD}
    parties: [{role: originator, entity: acme}, {role: beneficiary, entity: red-sea-shipping}]
"#;

#[test]
fn us_wind_down_licence_releases_the_subsidiary_of_the_listed_company() {
    // OFAC E.O. 14046 GL 4 (a): wind down of transactions involving Red Sea Trading Corporation,
    // reaching the company it owns 100 % through the designation behind the block.
    let facts = with_library(WIND_DOWN);
    let decision = decide(&facts, "wind-down");
    assert_eq!(
        decision.jurisdictions.get("US").unwrap().outcome,
        Outcome::Allow
    );
    assert_eq!(
        in_force(&decision),
        [("us_blocked_party", Some("ofac-ethiopia-gl-4"))]
    );
    let applied = &decision.licences[0];
    assert_eq!(applied.number, "GL 4");
    assert_eq!(applied.released[0].entity, "red-sea-shipping");
}

#[test]
fn us_wind_down_licence_does_not_free_an_unrelated_blocked_bank() {
    // GL 4 (b)(2) and 31 CFR 501.801: no dealings with any blocked person other than those named.
    let facts = with_library(WIND_DOWN);
    let decision = decide(&facts, "wind-down-through-blocked-bank");
    assert_eq!(decision.outcome, Outcome::Block);
    assert_eq!(
        decision.jurisdictions.get("US").unwrap().outcome,
        Outcome::Block
    );
    assert_eq!(
        in_force(&decision),
        [
            ("us_blocked_party", Some("ofac-ethiopia-gl-4")),
            ("us_blocked_party", None)
        ]
    );
    let standing = decision.reasons.iter().find(|r| r.is_in_force()).unwrap();
    assert!(
        standing.message.contains("Example Bank PJSC"),
        "{}",
        standing.message
    );
}

#[test]
fn us_wind_down_licence_ends_on_its_expiry_and_needs_reliance() {
    // GL 4: "through 12:01 a.m. eastern standard time, December 14, 2021".
    let facts = with_library(WIND_DOWN);
    assert_eq!(decide(&facts, "after-wind-down").outcome, Outcome::Block);
    assert_eq!(decide(&facts, "not-relied-on").outcome, Outcome::Block);
}

#[test]
fn us_memo_quotes_the_licence_terms_that_applied() {
    let facts = with_library(WIND_DOWN);
    let memo = explain::memo(&decide(&facts, "wind-down"));
    assert!(
        memo.contains("BLOCK released by licence ofac-ethiopia-gl-4"),
        "{memo}"
    );
    assert!(
        memo.contains("Licence ofac-ethiopia-gl-4: OFAC general licence GL 4"),
        "{memo}"
    );
    assert!(
        memo.contains(
            "Terms: \"all transactions and activities prohibited by Executive Order (E.O.) 14046"
        ),
        "{memo}"
    );
    assert!(
        memo.contains("Condition: (b)(2) does not authorize"),
        "{memo}"
    );
    assert!(memo.contains("88 FR 64380"), "{memo}");
}

/// An NGO paying a company the Taliban own, under GTSR GL 14 (humanitarian activities in
/// Afghanistan), and another paying a different SDGT-designated company.
const HUMANITARIAN: &str = r#"
entities:
  - {id: ngo, kind: organization, name: "Relief Without Borders", country: US}
  - {id: taliban, kind: organization, name: "TALIBAN"}
  - {id: utility, kind: organization, name: "Kabul Water Utility", country: AF}
  - {id: other-sdgt, kind: organization, name: "Example Front Charity", country: AF}
relations:
  - {kind: owns, from: taliban, to: utility, percent: 60}
designations:
  - {entity: taliban, list: OFAC-SDN, programs: [SDGT], listed_on: 2001-10-01, ref: "SDN 6636"}
  - {entity: other-sdgt, list: OFAC-SDN, programs: [SDGT], listed_on: 2010-01-01, ref: "SDN 99998"}
transactions:
  - id: water-bill
    kind: payment
    date: 2022-01-10
    amount: {value: 800, currency: USD}
    parties: [{role: originator, entity: ngo}, {role: beneficiary, entity: utility}]
    attributes: {licences: [ofac-sdgt-gl-14]}
  - id: other-sdgt
    kind: payment
    date: 2022-01-10
    amount: {value: 800, currency: USD}
    parties: [{role: originator, entity: ngo}, {role: beneficiary, entity: other-sdgt}]
    attributes: {licences: [ofac-sdgt-gl-14]}
"#;

#[test]
fn us_humanitarian_licence_covers_only_the_entries_it_names() {
    // OFAC FAQ 928: GL 14 reaches the Taliban, the Haqqani Network and entities they own 50 % or
    // more; it does not reach other SDGTs.
    let facts = with_library(HUMANITARIAN);
    let water = decide(&facts, "water-bill");
    assert_eq!(
        water.jurisdictions.get("US").unwrap().outcome,
        Outcome::Allow
    );
    assert_eq!(water.licences[0].id, "ofac-sdgt-gl-14");
    let other = decide(&facts, "other-sdgt");
    assert_eq!(
        other.jurisdictions.get("US").unwrap().outcome,
        Outcome::Block
    );
    assert!(other.licences.is_empty());
}

/// One party frozen by the UK and the EU (and by OFAC), with a specific licence from each
/// authority. Which licence releases which block follows the issuer's jurisdiction.
const THREE_REGIMES: &str = r#"
entities:
  - {id: acme, kind: organization, name: "Acme Analytics Inc.", country: GB}
  - {id: trader, kind: organization, name: "Example Trading LLC", country: RU}
  - {id: other, kind: organization, name: "Other Designated LLC", country: RU}
designations:
  - {entity: trader, list: UK, programs: [UK-RUSSIA], listed_on: 2022-03-01, ref: "RUS0001"}
  - {entity: trader, list: EU, programs: [EU-RUSSIA], listed_on: 2022-03-01, ref: "EU.1.1"}
  - {entity: trader, list: OFAC-SDN, programs: [RUSSIA-EO14024], listed_on: 2022-03-01, ref: "SDN 99997"}
  - {entity: other, list: UK, programs: [UK-RUSSIA], listed_on: 2022-03-01, ref: "RUS0002"}
licences:
  - id: ofsi-int-2024-0001
    issuer: OFSI
    kind: specific
    number: INT/2024/0001
    licensee: acme
    parties: [trader]
    amount_cap: {value: 20000, currency: GBP}
    valid_from: 2024-01-01
    valid_until: 2025-01-01
    reporting: ["report each payment to OFSI within 14 days, as the licence requires"]
  - id: bundesbank-2024-17
    issuer: EU
    authority: "Deutsche Bundesbank"
    kind: specific
    number: "AZ 2024-17"
    licensee: acme
    parties: [trader]
    valid_from: 2024-01-01
transactions:
  - id: licensed
    kind: payment
    date: 2024-06-01
    amount: {value: 10000, currency: GBP}
    parties: [{role: originator, entity: acme}, {role: beneficiary, entity: trader}]
    attributes: {licences: [INT/2024/0001, AZ 2024-17]}
  - id: over-the-cap
    kind: payment
    date: 2024-06-01
    amount: {value: 25000, currency: GBP}
    parties: [{role: originator, entity: acme}, {role: beneficiary, entity: trader}]
    attributes: {licences: [INT/2024/0001]}
  - id: with-another-designated
    kind: payment
    date: 2024-06-01
    amount: {value: 10000, currency: GBP}
    parties:
      - {role: originator, entity: acme}
      - {role: beneficiary, entity: trader}
      - {role: agent, entity: other}
    attributes: {licences: [INT/2024/0001]}
"#;

fn three_regimes() -> Facts {
    Facts::from_document("facts.yaml", parse(THREE_REGIMES)).unwrap()
}

#[test]
fn uk_ofsi_licence_releases_the_uk_freeze_and_eu_licence_the_eu_freeze_not_the_us_block() {
    // OFSI licences lift UK prohibitions only; an EU member state's authority lifts EU ones; US
    // blocks stay (a licence of one authority does not lift another's measures).
    let decision = decide(&three_regimes(), "licensed");
    assert_eq!(
        decision.jurisdictions.get("UK").unwrap().outcome,
        Outcome::Allow
    );
    assert_eq!(
        decision.jurisdictions.get("EU").unwrap().outcome,
        Outcome::Allow
    );
    assert_eq!(
        decision.jurisdictions.get("US").unwrap().outcome,
        Outcome::Block
    );
    let memo = explain::memo(&decision);
    assert!(
        memo.contains("OFSI specific licence INT/2024/0001"),
        "{memo}"
    );
    assert!(
        memo.contains("EU (Deutsche Bundesbank) specific licence AZ 2024-17"),
        "{memo}"
    );
    assert!(
        memo.contains("Report due: report each payment to OFSI"),
        "{memo}"
    );
}

#[test]
fn uk_licence_over_its_amount_cap_releases_nothing() {
    let decision = decide(&three_regimes(), "over-the-cap");
    assert_eq!(
        decision.jurisdictions.get("UK").unwrap().outcome,
        Outcome::Block
    );
    assert!(decision.licences.is_empty());
}

#[test]
fn uk_licence_for_one_party_leaves_another_designated_party_frozen() {
    // OFSI: a licence permits only the activity it specifies, with the persons it names.
    let decision = decide(&three_regimes(), "with-another-designated");
    assert_eq!(
        decision.jurisdictions.get("UK").unwrap().outcome,
        Outcome::Block
    );
    let standing = decision
        .reasons
        .iter()
        .find(|r| r.is_in_force() && r.rule == "uk_frozen_party")
        .unwrap();
    assert!(
        standing.message.contains("Other Designated LLC"),
        "{}",
        standing.message
    );
}

fn load_error(text: &str) -> String {
    Facts::from_text("bad.yaml", text).unwrap_err().to_string()
}

#[test]
fn a_specific_licence_without_a_licensee_is_an_error_at_its_line() {
    let error = load_error(
        "licences:\n  - id: x\n    issuer: OFAC\n    kind: specific\n    number: X-1\n    parties: [a]\n",
    );
    assert!(error.starts_with("bad.yaml:2:"), "{error}");
    assert!(
        error.contains("specific licence with no `licensee`"),
        "{error}"
    );
}

#[test]
fn a_licence_naming_an_unknown_program_is_an_error_at_its_line() {
    let error = load_error(
        "licences:\n  - id: x\n    issuer: OFAC\n    kind: general\n    number: GL 1\n    programs: [DPRK5]\n",
    );
    assert!(error.starts_with("bad.yaml:2:"), "{error}");
    assert!(error.contains("program `DPRK5`"), "{error}");
}

#[test]
fn a_licence_that_covers_nothing_is_an_error() {
    let error = load_error(
        "licences:\n  - id: x\n    issuer: OFSI\n    kind: general\n    number: INT/1\n",
    );
    assert!(error.contains("covers nothing"), "{error}");
}

#[test]
fn a_licence_covering_an_unknown_entity_is_an_error_naming_the_record() {
    let error = load_error(
        "licences:\n  - {id: x, issuer: OFAC, kind: specific, number: X-1, licensee: me, parties: [ghost]}\n",
    );
    assert!(error.contains("licences[0] (x)"), "{error}");
    assert!(error.contains("`ghost`"), "{error}");
}
