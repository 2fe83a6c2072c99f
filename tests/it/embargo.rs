//! Embargoes: North Korea reaches people and companies no list names. The US blocks the property
//! of the Government of North Korea and the Workers' Party (31 CFR 510.201; E.O. 13722 §1) and
//! prohibits trade with North Korea (31 CFR 510.205, 510.206); the EU prohibits transfers of funds
//! to and from the DPRK without prior authorisation (Decision (CFSP) 2016/849 Art. 13); the UK
//! restricts dealings under its DPRK regulations. Each decision says what to do and what to report.

use interdict::{Facts, Outcome, PolicySet, explain};

const FACTS: &str = r#"
entities:
  - {id: acme, kind: organization, name: "Acme Analytics Inc.", country: US}
  - {id: pyongyang-trading, kind: organization, name: "Pyongyang Trading Co.", country: KP}
  - {id: moranbong-office, kind: organization, name: "Moranbong Trading Office", country: CN,
     attributes: {government_of: KP}}
  - {id: moranbong-sub, kind: organization, name: "Dandong Moranbong Ltd.", country: CN}
  - {id: remote-dev, kind: person, name: "KIM, Remote", nationality: KP, country: CN}
relations:
  - {kind: owns, from: moranbong-office, to: moranbong-sub, percent: 100}
designations:
  - {entity: acme, list: OFAC-SDN, programs: [SDGT], listed_on: 2099-01-01, ref: "SDN 1"}
  - {entity: acme, list: EU, programs: [EU-DPRK], listed_on: 2099-01-01}
  - {entity: acme, list: UK, programs: [UK-DPRK], listed_on: 2099-01-01}
transactions:
  - id: to-pyongyang
    kind: payment
    date: 2024-03-01
    parties: [{role: originator, entity: acme}, {role: beneficiary, entity: pyongyang-trading}]
  - id: to-government-subsidiary
    kind: payment
    date: 2024-03-01
    parties: [{role: originator, entity: acme}, {role: beneficiary, entity: moranbong-sub}]
  - id: remote-worker
    kind: payment
    date: 2024-03-01
    parties: [{role: client, entity: acme}, {role: contractor, entity: remote-dev}]
"#;

fn decide(id: &str) -> interdict::Decision {
    // The future-dated listings only make each jurisdiction's list present, so none is
    // `not_assessed`; they decide nothing on 2024-03-01.
    let facts = Facts::from_text("facts.yaml", FACTS).unwrap();
    let policies = PolicySet::load(&["policies/"]).unwrap();
    policies.decide(&facts, facts.transaction(id).unwrap(), None)
}

/// The reason rule `rule` gave; the test fails if it did not fire.
fn reason<'d>(decision: &'d interdict::Decision, rule: &str) -> &'d interdict::Reason {
    decision
        .reasons
        .iter()
        .find(|r| r.rule == rule)
        .unwrap_or_else(|| panic!("{rule} did not fire: {:?}", fired(decision)))
}

fn fired(decision: &interdict::Decision) -> Vec<&str> {
    decision.reasons.iter().map(|r| r.rule.as_str()).collect()
}

#[test]
fn us_payment_to_a_company_in_north_korea_is_rejected_and_reported_under_501_604() {
    // 31 CFR 510.205/510.206: trade with North Korea is prohibited; 31 CFR 501.604: rejected
    // transactions are reported within 10 business days.
    let decision = decide("to-pyongyang");
    assert_eq!(
        decision.jurisdictions.get("US").unwrap().outcome,
        Outcome::Block
    );
    let reason = reason(&decision, "us_embargoed_location");
    assert!(
        reason.message.contains("REJECT the transaction"),
        "{}",
        reason.message
    );
    assert!(
        reason
            .citations
            .iter()
            .any(|c| c.starts_with("31 CFR 501.604"))
    );
}

#[test]
fn eu_transfer_to_north_korea_needs_prior_authorisation() {
    // Council Decision (CFSP) 2016/849 Art. 13(1): no transfer of funds to or from the DPRK unless
    // authorised; the memo names the duty to report to the national competent authority.
    let decision = decide("to-pyongyang");
    assert_eq!(
        decision.jurisdictions.get("EU").unwrap().outcome,
        Outcome::Block
    );
    assert!(fired(&decision).contains(&"eu_embargoed_transfer"));
    assert!(explain::memo(&decision).contains("national competent authority"));
}

#[test]
fn uk_dealing_with_north_korea_is_reviewed_with_the_duty_to_report_to_ofsi() {
    // The DPRK (Sanctions) (EU Exit) Regulations 2019.
    let decision = decide("to-pyongyang");
    assert_eq!(
        decision.jurisdictions.get("UK").unwrap().outcome,
        Outcome::Review
    );
    assert!(
        explain::memo(&decision).contains("report any knowledge or suspicion of a breach to OFSI")
    );
}

#[test]
fn us_government_of_north_korea_property_is_blocked_without_designation() {
    // 31 CFR 510.201 and E.O. 13722 §1(a): the Government's property is blocked, and so is that of
    // the company it owns; 31 CFR 501.603: blocked property is reported within 10 business days.
    let decision = decide("to-government-subsidiary");
    assert_eq!(
        decision.jurisdictions.get("US").unwrap().outcome,
        Outcome::Block
    );
    let reason = reason(&decision, "us_embargoed_government_property");
    assert!(
        reason.message.contains("BLOCK the funds"),
        "{}",
        reason.message
    );
    assert!(
        reason
            .citations
            .iter()
            .any(|c| c.starts_with("31 CFR 501.603"))
    );
    assert!(reason.citations.iter().any(|c| c == "E.O. 13722 §1(a)"));
}

#[test]
fn a_north_korean_national_working_remotely_is_a_review_in_all_three_regimes() {
    let decision = decide("remote-worker");
    for code in ["US", "EU", "UK"] {
        assert_eq!(
            decision.jurisdictions.get(code).unwrap().outcome,
            Outcome::Review,
            "{code}"
        );
    }
    let rules = fired(&decision);
    for rule in [
        "us_embargoed_nationality",
        "eu_embargoed_nationality",
        "uk_embargoed_nationality",
    ] {
        assert!(rules.contains(&rule), "{rule}: {rules:?}");
    }
}

#[test]
fn an_unknown_country_code_in_an_embargo_is_an_error_at_its_position() {
    let error = PolicySet::load(&["tests/fixtures/invalid/embargo_unknown_country.policy"])
        .unwrap_err()
        .render();
    assert!(
        error.contains("embargo_unknown_country.policy:7:17"),
        "{error}"
    );
    assert!(
        error.contains("`NK` is not an ISO 3166 country or region code"),
        "{error}"
    );
}

#[test]
fn a_region_can_be_embargoed_and_read_by_a_rule() {
    // ISO 3166-2 regions such as Crimea (UA-43), as the Crimea sanctions name it (E.O. 13685).
    let policy = r#"
        policy crimea "Crimea" { jurisdiction US }
        jurisdiction US {
          lists "OFAC-SDN"
          ownership at least 50 aggregated
          control review
          embargo "UA-43"
        }
        attribute region: text
        rule crimea_party: block
          when some p in transaction.parties:
            p.attributes.region is present and p.attributes.region in embargoed
          cite "E.O. 13685 §1"
    "#;
    let facts = r#"
entities:
  - {id: acme, kind: organization, name: "Acme Inc.", country: US}
  - {id: yalta, kind: organization, name: "Yalta Port LLC", country: UA, attributes: {region: UA-43}}
designations:
  - {entity: acme, list: OFAC-SDN, programs: [SDGT], listed_on: 2099-01-01}
transactions:
  - {id: tx, kind: payment, date: 2024-03-01, parties: [{role: originator, entity: acme}, {role: beneficiary, entity: yalta}]}
"#;
    let policies =
        PolicySet::from_sources([interdict::Source::new("crimea.policy", policy)]).unwrap();
    let facts = Facts::from_text("facts.yaml", facts).unwrap();
    let decision = policies.decide(&facts, &facts.transactions()[0], None);
    assert_eq!(decision.outcome, Outcome::Block);
}
