//! What each regime reads and what a listing imposes: only an asset freeze blocks (EU Best
//! Practices; OFAC's non-SDN lists), the EU reads its own list and not the UN's (Art. 215 TFEU),
//! a jurisdiction with nothing to read is not assessed, and every citation follows the program.

use interdict::facts::{FactsDocument, Measure};
use interdict::lists::{self, ListKind};
use interdict::{Facts, Outcome, PolicySet, explain};

const PACKS: &[&str] = &[
    "policies/jurisdictions.policy",
    "policies/us_ownership.policy",
    "policies/eu_ownership.policy",
    "policies/uk_ownership.policy",
];

fn decide(text: &str) -> interdict::Decision {
    let facts = Facts::from_text("facts.yaml", text).unwrap();
    let policies = PolicySet::load(PACKS).unwrap();
    policies.decide(&facts, &facts.transactions()[0], None)
}

#[test]
fn opensanctions_importer_keeps_the_measure_of_each_sanction() {
    // An EU travel-ban-only listing is not an asset freeze; a UK trust-services sanction neither.
    let import = lists::import(
        ListKind::Ftm,
        "tests/fixtures/lists/ftm_measures.ftm.json".as_ref(),
    )
    .unwrap();
    let measure = |entity: &str| {
        import
            .document
            .designations
            .iter()
            .find(|d| d.entity.ends_with(entity))
            .map(|d| d.measure.unwrap_or_default())
            .unwrap()
    };
    assert_eq!(measure("frozen"), Measure::AssetFreeze);
    assert_eq!(measure("travel"), Measure::TravelBan);
    assert_eq!(measure("trust"), Measure::TrustServicesBan);
}

const TRAVEL_BAN_ONLY: &str = r#"
entities:
  - {id: acme, kind: organization, name: "Acme GmbH", country: DE}
  - {id: traveller, kind: person, name: "TRAVEL, Banned"}
  - {id: holding, kind: organization, name: "Traveller Holding SA", country: LU}
relations:
  - {kind: owns, from: traveller, to: holding, percent: 100}
designations:
  - {entity: traveller, list: EU, programs: [EU-RUSSIA], measure: travel_ban, listed_on: 2022-03-01}
  - {entity: traveller, list: UK, programs: [UK-RUSSIA], measure: travel_ban, listed_on: 2022-03-01}
  - {entity: traveller, list: OFAC-SDN, programs: [UKRAINE-EO13662], measure: sectoral, directive: "Directive 1", listed_on: 2022-03-01}
transactions:
  - id: tx
    kind: payment
    date: 2024-03-01
    amount: {value: 100, currency: EUR}
    parties: [{role: originator, entity: acme}, {role: beneficiary, entity: traveller}]
  - id: tx-holding
    kind: payment
    date: 2024-03-01
    parties: [{role: originator, entity: acme}, {role: beneficiary, entity: holding}]
"#;

#[test]
fn eu_uk_us_only_an_asset_freeze_blocks() {
    // EU Best Practices (2024) and OFSI guidance: the freeze (and the ownership rule that extends
    // it) follows an asset-freeze listing; a travel ban freezes nothing. OFAC: a sectoral (SSI)
    // listing restricts what its directive names and does not block.
    let decision = decide(TRAVEL_BAN_ONLY);
    for code in ["EU", "UK", "US"] {
        assert_eq!(
            decision.jurisdictions.get(code).unwrap().outcome,
            Outcome::Allow,
            "{code}"
        );
    }
    let facts = Facts::from_text("facts.yaml", TRAVEL_BAN_ONLY).unwrap();
    let policies = PolicySet::load(PACKS).unwrap();
    let holding = policies.decide(&facts, facts.transaction("tx-holding").unwrap(), None);
    assert_eq!(holding.outcome, Outcome::Allow);
}

#[test]
fn designation_evidence_names_its_measure_and_its_programs_authority() {
    let text = TRAVEL_BAN_ONLY.replace("measure: travel_ban, ", "");
    let decision = decide(&text);
    assert_eq!(
        decision.jurisdictions.get("EU").unwrap().outcome,
        Outcome::Block
    );
    let memo = explain::memo(&decision);
    // Council Regulation (EU) No 269/2014 Art. 2 is the Russia freeze, not the DPRK regulation.
    assert!(
        memo.contains("an asset freeze (Council Regulation (EU) No 269/2014, Art. 2"),
        "{memo}"
    );
    assert!(
        memo.contains("The Russia (Sanctions) (EU Exit) Regulations 2019, regs. 11-15"),
        "{memo}"
    );
    assert!(!memo.contains("2017/1509"), "{memo}");
}

const UN_ONLY: &str = r#"
entities:
  - {id: acme, kind: organization, name: "Acme GmbH", country: DE}
  - {id: un-only, kind: organization, name: "UN-listed Trading Co."}
designations:
  - {entity: un-only, list: UN, programs: [DPRK], listed_on: 2017-08-05, ref: "KPe.999"}
transactions:
  - id: tx
    kind: payment
    date: 2024-03-01
    parties: [{role: originator, entity: acme}, {role: beneficiary, entity: un-only}]
"#;

#[test]
fn eu_a_un_listing_not_yet_on_the_eu_list_is_a_review_that_says_so() {
    // Art. 29 TEU / Art. 215 TFEU: UN listings bind in the EU through the Council's own acts.
    let decision = decide(UN_ONLY);
    assert_eq!(
        decision.jurisdictions.get("EU").unwrap().outcome,
        Outcome::Review
    );
    assert_eq!(
        decision.jurisdictions.get("EU").unwrap().reasons,
        ["eu_un_listed_only"]
    );
    let reason = decision
        .reasons
        .iter()
        .find(|r| r.rule == "eu_un_listed_only")
        .unwrap();
    assert!(
        reason.message.contains("not on the EU list"),
        "{}",
        reason.message
    );
}

#[test]
fn uk_designates_un_named_persons_automatically() {
    // Sanctions and Anti-Money Laundering Act 2018, s. 13.
    let decision = decide(UN_ONLY);
    assert_eq!(
        decision.jurisdictions.get("UK").unwrap().outcome,
        Outcome::Block
    );
}

#[test]
fn a_jurisdiction_with_no_list_it_reads_is_not_assessed() {
    // Only the OFAC list is loaded: the EU (reads EU) and the UK (reads UK, UN) cannot say allow.
    let text = UN_ONLY.replace(
        "list: UN, programs: [DPRK]",
        "list: OFAC-SDN, programs: [DPRK3]",
    );
    let mut decision = decide(&text.replace("un-only}]", "acme}]"));
    decision.reasons.clear();
    for code in ["EU", "UK"] {
        let verdict = &decision.jurisdictions.get(code).unwrap();
        assert_eq!(verdict.outcome, Outcome::NotAssessed, "{code}");
        assert!(
            interdict::explain::not_assessed(verdict.why.as_ref().unwrap()).contains("is loaded"),
            "{code}"
        );
    }
    assert_eq!(
        decision.jurisdictions.get("US").unwrap().outcome,
        Outcome::Allow
    );
    let json = explain::json(std::slice::from_ref(&decision));
    assert!(json.contains("\"outcome\": \"not_assessed\""), "{json}");
}

#[test]
fn us_npwmd_listed_north_korean_entities_are_in_reach_of_the_north_korea_pack() {
    // Tanchon Commercial Bank and Korea Ryonbong General Corporation are listed under NPWMD
    // (E.O. 13382) only, with the North Korea Sanctions Regulations in their remarks; KOMID is
    // NPWMD and DPRK2 and is cited under E.O. 13382 and E.O. 13687, not 13722/13810.
    let import = lists::import(
        ListKind::Ofac,
        "tests/fixtures/lists/ofac_dprk_npwmd".as_ref(),
    )
    .unwrap();
    let mut document = import.document;
    let user: FactsDocument = serde_json::from_value(serde_json::json!({
        "entities": [{"id": "acme", "kind": "organization", "name": "Acme Inc.", "country": "US"}],
        "transactions": [
            {"id": "tanchon", "kind": "payment", "date": "2024-03-01",
             "parties": [{"role": "originator", "entity": "acme"}, {"role": "beneficiary", "entity": "ofac-9346"}]},
            {"id": "ryonbong", "kind": "payment", "date": "2024-03-01",
             "parties": [{"role": "originator", "entity": "acme"}, {"role": "beneficiary", "entity": "ofac-9347"}]},
            {"id": "komid", "kind": "payment", "date": "2024-03-01",
             "parties": [{"role": "originator", "entity": "acme"}, {"role": "beneficiary", "entity": "ofac-9345"}]}
        ]
    }))
    .unwrap();
    document.entities.extend(user.entities);
    document.transactions.extend(user.transactions);
    let facts = Facts::from_document("facts", document).unwrap();
    let policies =
        PolicySet::load(&["policies/jurisdictions.policy", "policies/ofac_dprk.policy"]).unwrap();
    for id in ["tanchon", "ryonbong", "komid"] {
        let decision = policies.decide(&facts, facts.transaction(id).unwrap(), None);
        let rules: Vec<&str> = decision.reasons.iter().map(|r| r.rule.as_str()).collect();
        assert!(
            rules.contains(&"dprk_proliferator_party"),
            "{id}: {rules:?}"
        );
    }
    let komid = policies.decide(&facts, facts.transaction("komid").unwrap(), None);
    let memo = explain::memo(&komid);
    assert!(
        memo.contains("E.O. 13382 §1; 31 CFR 544.201; E.O. 13687 §1; 31 CFR 510.201"),
        "{memo}"
    );
    assert!(!memo.contains("13722"), "{memo}");
}

/// The program tags that carry most SDN entries (2024-05 release: RUSSIA-EO14024 4,439, SDGT
/// 2,386, SDNTK 1,439 ... CUBA 77) and the regime codes of the EU's consolidated list (FSF XML
/// `programme`) cite their own authority, so a designation imported from either names its law.
#[test]
fn common_ofac_tags_and_eu_regime_codes_have_an_authority() {
    for tag in [
        "RUSSIA-EO14024",
        "SDGT",
        "SDNTK",
        "GLOMAG",
        "SYRIA",
        "IRAN",
        "NPWMD",
        "CYBER2",
        "SDNT",
        "IRAQ2",
        "DPRK4",
        "BALKANS",
        "VENEZUELA-EO13850",
        "BELARUS-EO14038",
        "TCO",
        "DPRK3",
        "BURMA-EO14014",
        "CUBA",
        "FTO",
        "DPRK",
    ] {
        assert!(interdict::programs::authority(tag, "US").is_some(), "{tag}");
    }
    for code in ["PRK", "UKR", "TERR", "SYR", "IRN", "ZWE"] {
        let authority = interdict::programs::authority(code, "EU").unwrap();
        assert!(
            authority.starts_with("Council Regulation"),
            "{code}: {authority}"
        );
    }
    // Council Regulation (EU) 2017/1509 Art. 34 freezes the funds of persons listed for the DPRK.
    assert!(
        interdict::programs::authority("PRK", "EU")
            .unwrap()
            .contains("2017/1509, Art. 34")
    );
}

#[test]
fn the_program_table_has_one_row_per_tag_and_no_placeholder() {
    let mut tags: Vec<&str> = interdict::programs::PROGRAMS
        .iter()
        .map(|p| p.tag)
        .collect();
    tags.sort_unstable();
    let count = tags.len();
    tags.dedup();
    assert_eq!(tags.len(), count, "a tag is in the table twice");
    for program in interdict::programs::PROGRAMS {
        assert!(
            program.authority.chars().any(|c| c.is_ascii_digit()),
            "{}",
            program.tag
        );
        assert!(!program.authority.contains("Art. on"), "{}", program.tag);
        assert!(
            ["US", "EU", "UK", "UN"].contains(&program.jurisdiction),
            "{}",
            program.tag
        );
    }
    // E.O. 13722 §2 holds the designation criteria; §1 blocks the Government of North Korea.
    assert_eq!(
        interdict::programs::authority("DPRK3", "US"),
        Some("E.O. 13722 §2; 31 CFR 510.201")
    );
    // The UN's DPRK regime is not OFAC's DPRK tag.
    assert!(
        interdict::programs::authority("DPRK", "UN")
            .unwrap()
            .contains("1718")
    );
}

#[test]
fn no_shipped_rule_cites_a_placeholder() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_interdict"))
        .args(["check", "policies/"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{text}");
    assert!(!text.contains("W0406"), "{text}");
    for entry in std::fs::read_dir("policies").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "policy") {
            let policy = std::fs::read_to_string(&path).unwrap();
            assert!(!policy.contains("Art. on"), "{}", path.display());
            assert!(
                !policy.contains("Part 501 and the program"),
                "{}",
                path.display()
            );
        }
    }
}

const FIFTY_FIFTY: &str = r#"
entities:
  - {id: acme, kind: organization, name: "Acme GmbH", country: DE}
  - {id: oligarch, kind: person, name: "LISTED, Person"}
  - {id: other, kind: person, name: "OTHER, Person"}
  - {id: target, kind: organization, name: "Half Owned GmbH", country: DE}
relations:
  - {kind: owns, from: oligarch, to: target, percent: 50}
  - {kind: owns, from: other, to: target, percent: 50}
designations:
  - {entity: oligarch, list: EU, programs: [EU-RUSSIA], listed_on: 2022-03-01}
transactions:
  - id: tx-2023
    kind: payment
    date: 2023-05-02
    parties: [{role: originator, entity: acme}, {role: beneficiary, entity: target}]
  - id: tx-2025
    kind: payment
    date: 2025-05-02
    parties: [{role: originator, entity: acme}, {role: beneficiary, entity: target}]
"#;

#[test]
fn eu_a_2023_replay_uses_the_ownership_test_then_in_force() {
    // EU Best Practices: "more than 50 %" until the update of 3 July 2024, "50 % or more" after.
    let facts = Facts::from_text("facts.yaml", FIFTY_FIFTY).unwrap();
    let policies = PolicySet::load(PACKS).unwrap();
    let before = policies.decide(&facts, facts.transaction("tx-2023").unwrap(), None);
    assert_eq!(
        before.jurisdictions.get("EU").unwrap().outcome,
        Outcome::Allow
    );
    let after = policies.decide(&facts, facts.transaction("tx-2025").unwrap(), None);
    assert_eq!(
        after.jurisdictions.get("EU").unwrap().outcome,
        Outcome::Block
    );
    // The memo cites the version applied.
    let memo = explain::memo(&after);
    assert!(
        memo.contains("(update of 3 July 2024): 50 % or more, aggregated"),
        "{memo}"
    );
    // The same 2025 payment replayed as of 2023 uses the old test.
    let replay = policies.decide(
        &facts,
        facts.transaction("tx-2025").unwrap(),
        Some("2023-05-02".parse().unwrap()),
    );
    assert_eq!(
        replay.jurisdictions.get("EU").unwrap().outcome,
        Outcome::Allow
    );
}

#[test]
fn overlapping_versions_of_a_jurisdiction_are_an_error_at_the_second() {
    let error = PolicySet::load(&["tests/fixtures/invalid/overlapping_regime_versions.policy"])
        .unwrap_err()
        .render();
    assert!(
        error.contains("overlapping_regime_versions.policy:10:14"),
        "{error}"
    );
    assert!(error.contains("overlaps the one declared at"), "{error}");
}

#[test]
fn us_consolidated_non_sdn_entries_keep_their_measure_and_are_reviewed_not_blocked() {
    // OFAC's consolidated list: VTB Bank is a Sectoral Sanctions Identification (E.O. 13662
    // Directive 1); China Telecom is a CMIC company (E.O. 13959). Neither
    // is blocked; each program's rule asks for review. Real rows, excerpted under tests/.
    let import = lists::import(
        ListKind::OfacCons,
        "tests/fixtures/lists/ofac_cons_small".as_ref(),
    )
    .unwrap();
    let vtb = import
        .document
        .designations
        .iter()
        .find(|d| d.entity == "ofac-cons-17013")
        .unwrap();
    assert_eq!(vtb.list, "OFAC-CONS");
    assert_eq!(vtb.measure, Some(Measure::Sectoral));
    assert_eq!(vtb.directive.as_deref(), Some("E.O. 13662 Directive 1"));
    let cmic = import
        .document
        .designations
        .iter()
        .find(|d| d.entity == "ofac-cons-30882")
        .unwrap();
    assert_eq!(cmic.measure, Some(Measure::NonSdn));

    let mut document = import.document;
    let user: FactsDocument = serde_json::from_value(serde_json::json!({
        "entities": [{"id": "acme", "kind": "organization", "name": "Acme Inc.", "country": "US"}],
        "transactions": [
            {"id": "vtb", "kind": "payment", "date": "2025-12-15",
             "parties": [{"role": "originator", "entity": "acme"}, {"role": "beneficiary", "entity": "ofac-cons-17013"}]},
            {"id": "cmic", "kind": "payment", "date": "2025-12-15",
             "parties": [{"role": "originator", "entity": "acme"}, {"role": "beneficiary", "entity": "ofac-cons-30882"}]}
        ]
    }))
    .unwrap();
    document.entities.extend(user.entities);
    document.transactions.extend(user.transactions);
    let facts = Facts::from_document("facts", document).unwrap();
    let policies = PolicySet::load(&[
        "policies/jurisdictions.policy",
        "policies/us_ownership.policy",
        "policies/us_non_sdn.policy",
    ])
    .unwrap();
    for (id, rule) in [("vtb", "us_sectoral_party"), ("cmic", "us_cmic_party")] {
        let decision = policies.decide(&facts, facts.transaction(id).unwrap(), None);
        assert_eq!(
            decision.jurisdictions.get("US").unwrap().outcome,
            Outcome::Review,
            "{id}"
        );
        assert_eq!(
            decision.jurisdictions.get("US").unwrap().reasons,
            [rule],
            "{id}"
        );
    }
    let vtb = policies.decide(&facts, facts.transaction("vtb").unwrap(), None);
    let memo = explain::memo(&vtb);
    assert!(
        memo.contains("a sectoral restriction (no asset freeze), E.O. 13662 Directive 1"),
        "{memo}"
    );
}
