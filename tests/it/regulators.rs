//! Ownership and control as each regulator reads them, and the red flags short of blocking,
//! against the shipped packs and the examples `ownership-control.yaml` and `red-flags.yaml`.
//! Every test names the source it follows.

use interdict::{Decision, Evidence, Facts, Outcome, PolicySet};

fn decide(example: &str) -> Vec<Decision> {
    let policies = PolicySet::load(&["policies/"]).unwrap();
    let facts = Facts::load(example).unwrap();
    policies.decide_all(&facts, None)
}

fn control_example() -> Vec<Decision> {
    decide("examples/ownership-control.yaml")
}

fn red_flag_example() -> Vec<Decision> {
    decide("examples/red-flags.yaml")
}

fn decision<'d>(decisions: &'d [Decision], id: &str) -> &'d Decision {
    decisions.iter().find(|d| d.transaction == id).unwrap()
}

/// The verdicts as (EU, UK, US).
fn verdicts(decision: &Decision) -> (Outcome, Outcome, Outcome) {
    let of = |code: &str| decision.jurisdictions.get(code).unwrap().outcome;
    (of("EU"), of("UK"), of("US"))
}

/// The rules of `code` that fired, in the decision's order.
fn rules_of<'d>(decision: &'d Decision, code: &'d str) -> Vec<&'d str> {
    decision.reasons_of(code).map(|r| r.rule.as_str()).collect()
}

/// The ids of the relations in a reason's evidence.
fn relations(decision: &Decision, rule: &str) -> Vec<String> {
    let reason = decision.reasons.iter().find(|r| r.rule == rule).unwrap();
    reason
        .evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::Relation { id, .. } => Some(id.clone()),
            _ => None,
        })
        .collect()
}

// ------------------------------------------------------------------------- typed control

#[test]
fn board_appointment_freezes_in_the_eu_and_uk_and_is_a_review_in_the_us() {
    // EU Best Practices (July 2024), control criteria: the right to appoint or remove a majority
    // of the board; OFSI general guidance 4.14: the same; OFAC FAQ 398: control does not block.
    use Outcome::{Block, Review};
    let decisions = control_example();
    let board = decision(&decisions, "tx-board");
    assert_eq!(verdicts(board), (Block, Block, Review));
    let reason = board
        .reasons
        .iter()
        .find(|r| r.rule == "eu_frozen_party")
        .unwrap();
    let criterion = reason.evidence.iter().find_map(|e| match e {
        Evidence::Blocked {
            jurisdiction,
            basis: basis @ interdict::eval::BlockedBasis::Control { .. },
            ..
        } => Some(interdict::explain::blocking_rule(jurisdiction, basis)),
        _ => None,
    });
    assert_eq!(
        criterion.as_deref(),
        Some(
            "control by a blocked person resting on the right to appoint or remove a majority of the board freezes under EU rules"
        )
    );
    let basis = reason.evidence.iter().find_map(|e| match e {
        Evidence::Relation { basis, .. } => basis.clone(),
        _ => None,
    });
    assert_eq!(basis.as_deref(), Some("board_appointment"));
}

#[test]
fn a_management_role_alone_is_a_review_in_the_eu_and_uk_not_a_freeze() {
    // EU Best Practices (July 2024) and OFSI guidance 4.14 list no management position among
    // their control criteria; the packs send it to review instead.
    use Outcome::Review;
    let decisions = control_example();
    let managed = decision(&decisions, "tx-manager");
    assert_eq!(verdicts(managed), (Review, Review, Review));
    // Orlov also appoints Neva's board: Ural shares a controller with a frozen company.
    assert_eq!(
        rules_of(managed, "EU"),
        [
            "eu_managed_by_frozen_person",
            "eu_shares_controller_with_frozen_company"
        ]
    );
    assert_eq!(
        rules_of(managed, "UK"),
        [
            "uk_managed_by_frozen_person",
            "uk_shares_controller_with_frozen_company"
        ]
    );
    assert_eq!(rules_of(managed, "US"), ["us_controlled_by_blocked"]);
}

#[test]
fn control_without_a_stated_basis_fails_closed_in_the_eu_and_uk_naming_the_relation() {
    // DESIGN, "Fail closed": whether control freezes depends on its basis, which the facts do
    // not give; the reason names relation c3 and both its entities in structured evidence.
    let decisions = control_example();
    let unstated = decision(&decisions, "tx-unstated");
    for rule in ["eu_frozen_party", "uk_frozen_party"] {
        let reason = unstated.reasons.iter().find(|r| r.rule == rule).unwrap();
        assert!(reason.error.is_some(), "{rule} should fail closed");
        assert_eq!(reason.effect, Outcome::Review);
        let stopped = reason.evidence.iter().find_map(|e| match e {
            Evidence::Relation { id, from, to, .. } => Some((id.clone(), from.clone(), to.clone())),
            _ => None,
        });
        assert_eq!(
            stopped,
            Some((
                String::from("c3"),
                String::from("orlov"),
                String::from("kama-logistics")
            ))
        );
        assert!(
            reason
                .evidence
                .iter()
                .any(|e| matches!(e, Evidence::Party { role, .. } if role == "beneficiary"))
        );
    }
}

#[test]
fn a_stake_without_a_figure_fails_closed_naming_the_relation() {
    // DESIGN, "Fail closed": Silver Star example tx-1012, the stake of relation r9 has no figure.
    let policies = PolicySet::load(&["policies/"]).unwrap();
    let facts = Facts::load("examples/silverstar.yaml").unwrap();
    let decision = policies.decide(&facts, facts.transaction("tx-1012").unwrap(), None);
    for rule in ["owned_by_designated", "us_blocked_party"] {
        assert_eq!(relations(&decision, rule), ["r9"], "{rule}");
    }
}

// ------------------------------------------------------------------------ joint arrangements

#[test]
fn uk_adds_up_the_holdings_of_designated_persons_acting_jointly() {
    // OFSI general guidance 4.14: holdings are aggregated where the shares are subject to a
    // joint arrangement between designated persons. Sokolov and Volkov hold 30 % each of Oka.
    let decisions = control_example();
    let joint = decision(&decisions, "tx-joint");
    assert_eq!(
        joint.jurisdictions.get("UK").unwrap().outcome,
        Outcome::Block
    );
    assert_eq!(
        relations(joint, "uk_frozen_party"),
        ["j1", "o1", "o2"],
        "the arrangement and both stakes"
    );
    let rule = joint
        .reasons
        .iter()
        .find(|r| r.rule == "uk_frozen_party")
        .unwrap()
        .evidence
        .iter()
        .find_map(|e| match e {
            Evidence::Blocked {
                jurisdiction,
                basis,
                ..
            } => {
                // The joint-arrangement test is data before it is words.
                let interdict::eval::BlockedBasis::Ownership { test, .. } = basis else {
                    return None;
                };
                assert!(test.joint, "{test:?}");
                Some(interdict::explain::blocking_rule(jurisdiction, basis))
            }
            _ => None,
        })
        .unwrap();
    assert!(rule.contains("acting under a joint arrangement"), "{rule}");
}

#[test]
fn uk_does_not_add_up_holdings_without_a_stated_arrangement() {
    // OFSI general guidance 4.14: without a joint arrangement, different designated persons'
    // holdings are not aggregated.
    let text = std::fs::read_to_string("examples/ownership-control.yaml").unwrap();
    let without = text.replace(
        "  - {id: j1, kind: acts_jointly_with, from: sokolov, to: volkov, role: shareholders' agreement}\n",
        "",
    );
    assert_ne!(text, without);
    let facts = Facts::from_text("no-arrangement.yaml", &without).unwrap();
    let policies = PolicySet::load(&["policies/"]).unwrap();
    let decision = policies.decide(&facts, facts.transaction("tx-joint").unwrap(), None);
    assert_eq!(
        decision.jurisdictions.get("UK").unwrap().outcome,
        Outcome::Allow
    );
}

// ----------------------------------------------------------------- US cautions (FAQ 398)

#[test]
fn us_significant_minority_stake_is_a_review() {
    // OFAC FAQ 398: caution where blocked persons hold a significant interest below 50 %; the
    // threshold is the US jurisdiction's `significant minority` setting (25).
    let decisions = control_example();
    let minority = decision(&decisions, "tx-minority");
    assert_eq!(verdicts(minority).2, Outcome::Review);
    assert_eq!(rules_of(minority, "US"), ["us_significant_minority_stake"]);
    assert_eq!(relations(minority, "us_significant_minority_stake"), ["o3"]);
    // The shared 0.5 % index-fund holding is below it: allowed everywhere.
    let index = decision(&decisions, "tx-index");
    assert_eq!(index.outcome, Outcome::Allow);
}

#[test]
fn us_minority_stakes_of_several_blocked_persons_add_up() {
    // OFAC FAQ 398: "one or more blocked persons" with a significant interest below 50 %. Orlov
    // and Sokolov hold 15 % each of Ladoga: 30 % in all, above the US setting of 25.
    let text = std::fs::read_to_string("examples/ownership-control.yaml").unwrap();
    let split = text.replace(
        "  - {id: o3, kind: owns, from: orlov, to: ladoga-metals, percent: 35}\n",
        "  - {id: o3, kind: owns, from: orlov, to: ladoga-metals, percent: 15}\n  - {id: o3b, kind: owns, from: sokolov, to: ladoga-metals, percent: 15}\n",
    );
    assert_ne!(text, split);
    let facts = Facts::from_text("split.yaml", &split).unwrap();
    let policies = PolicySet::load(&["policies/"]).unwrap();
    let decision = policies.decide(&facts, facts.transaction("tx-minority").unwrap(), None);
    assert_eq!(rules_of(&decision, "US"), ["us_significant_minority_stake"]);
    assert!(
        decision.reasons[0]
            .message
            .starts_with("blocked persons hold 30 % of Ladoga")
    );
    assert_eq!(
        relations(&decision, "us_significant_minority_stake"),
        ["o3", "o3b"]
    );
    // One of them alone, at 15 %, is below the threshold.
    let alone = split.replace(
        "  - {id: o3b, kind: owns, from: sokolov, to: ladoga-metals, percent: 15}\n",
        "",
    );
    let facts = Facts::from_text("alone.yaml", &alone).unwrap();
    let decision = policies.decide(&facts, facts.transaction("tx-minority").unwrap(), None);
    assert_eq!(decision.outcome, Outcome::Allow);
}

#[test]
fn us_control_of_the_majority_owner_is_a_review() {
    // OFAC FAQ 398: blocked persons "may control by means other than a majority ownership
    // interest" — here through Ural, which Orlov runs and which holds 60 % of Tver.
    let decisions = control_example();
    let chain = decision(&decisions, "tx-chain");
    assert_eq!(
        rules_of(chain, "US"),
        ["us_majority_owner_controlled_by_blocked"]
    );
    assert_eq!(
        relations(chain, "us_majority_owner_controlled_by_blocked"),
        ["o9", "c2"]
    );
}

#[test]
fn us_stake_given_up_after_designation_is_a_review() {
    // 31 CFR 510.202: a transfer after designation is null and void unless licensed. Sokolov,
    // designated 2022-06-28, sold his 60 % of Vyborg on 2023-02-01.
    let decisions = control_example();
    let sold = decision(&decisions, "tx-sold");
    assert_eq!(
        rules_of(sold, "US"),
        ["us_stake_given_up_after_designation"]
    );
    let reason = &sold.reasons[0];
    assert!(
        reason
            .citations
            .iter()
            .any(|c| c.contains("31 CFR 510.202"))
    );
    assert!(
        reason
            .message
            .contains("on 2023-02-01, after its designation")
    );
}

#[test]
fn a_sale_before_designation_is_not_flagged() {
    // 31 CFR 510.202 voids transfers after designation only.
    let text = std::fs::read_to_string("examples/ownership-control.yaml").unwrap();
    let earlier = text.replace("end: 2023-02-01", "end: 2021-02-01");
    let facts = Facts::from_text("sold-earlier.yaml", &earlier).unwrap();
    let policies = PolicySet::load(&["policies/"]).unwrap();
    let decision = policies.decide(&facts, facts.transaction("tx-sold").unwrap(), None);
    assert_eq!(decision.outcome, Outcome::Allow);
}

// ------------------------------------------------------------------------ sister companies

#[test]
fn a_shared_minority_shareholder_makes_no_sister() {
    // DESIGN, "Sister companies": a shared minority shareholder does not make a sister. Onega and
    // listed-by-control Neva share only a 0.5 % index fund.
    let decisions = control_example();
    let index = decision(&decisions, "tx-index");
    assert!(index.reasons.is_empty(), "{:?}", index.reasons);
}

#[test]
fn a_shared_manager_makes_no_sister_but_shares_a_controller() {
    // DESIGN, "Sister companies": a shared manager does not make a sister. Jong Song Hwa is CEO
    // of China Silver Star and general manager of Tumen River (Silver Star example, tx-1004).
    let decisions = silverstar();
    let tumen = decision(&decisions, "tx-1004");
    let rules = rules_of(tumen, "US");
    assert!(!rules.contains(&"sister_of_designated"), "{rules:?}");
    assert!(!rules.contains(&"us_sister_of_blocked"), "{rules:?}");
    let shared = tumen
        .reasons
        .iter()
        .find(|r| r.rule == "us_shares_controller_with_blocked")
        .unwrap();
    assert!(
        shared
            .message
            .contains("shares a controller with blocked Yanbian Silverstar")
    );
    assert_eq!(
        relations(tumen, "us_shares_controller_with_blocked"),
        ["r5", "r1"]
    );
}

#[test]
fn a_common_majority_parent_makes_a_sister_in_every_jurisdiction() {
    // DESIGN, "Sister companies": a common parent holding a majority. Hormuz Holding holds 60 %
    // of listed Caspian Rail and 70 % of Hormuz Marine.
    use Outcome::Review;
    let decisions = red_flag_example();
    let sister = decision(&decisions, "tx-sister");
    assert_eq!(verdicts(sister), (Review, Review, Review));
    assert_eq!(relations(sister, "us_sister_of_blocked")[..2], ["h2", "h1"]);
}

// --------------------------------------------------------------- red flags, every program

#[test]
fn every_red_flag_fires_outside_north_korea_in_each_jurisdiction() {
    // OFAC FAQ 398 and 400; EU Best Practices (July 2024); OFSI general guidance, chapter 4.
    let decisions = red_flag_example();
    let expected = [
        ("tx-director", "director"),
        ("tx-employee", "key_employee"),
        ("tx-created", "created_by"),
        ("tx-sister", "sister_of"),
        ("tx-intermediary", "network_intermediary"),
    ];
    for (id, flag) in expected {
        let decision = decision(&decisions, id);
        for code in ["US", "EU", "UK"] {
            let rules = rules_of(decision, code);
            assert!(
                rules.len() == 1 && rules[0].contains(flag),
                "{id} {code}: {rules:?}"
            );
            assert_eq!(
                decision.jurisdictions.get(code).unwrap().outcome,
                Outcome::Review
            );
        }
    }
}

#[test]
fn a_contract_signed_by_a_blocked_person_blocks_in_the_us() {
    // OFAC FAQ 400: U.S. persons may not enter into contracts signed by a blocked individual.
    use Outcome::{Block, Review};
    let decisions = red_flag_example();
    let signed = decision(&decisions, "tx-signed");
    assert_eq!(verdicts(signed), (Review, Review, Block));
    let reason = signed
        .reasons
        .iter()
        .find(|r| r.rule == "us_blocked_signatory")
        .unwrap();
    assert_eq!(reason.citations[0], "OFAC FAQ 400");
    assert_eq!(relations(signed, "us_blocked_signatory"), ["f2"]);
}

#[test]
fn a_listing_only_another_jurisdiction_made_is_a_review_there() {
    // DESIGN: a designation only counts for the regimes that read its list; elsewhere it is a
    // red flag. Neman Timber is on the UK list only.
    use Outcome::{Block, Review};
    let decisions = red_flag_example();
    let elsewhere = decision(&decisions, "tx-elsewhere");
    assert_eq!(verdicts(elsewhere), (Review, Block, Review));
    assert_eq!(rules_of(elsewhere, "US"), ["us_listed_elsewhere_only"]);
    assert_eq!(rules_of(elsewhere, "EU"), ["eu_listed_elsewhere_only"]);
}

// ------------------------------------------------------------------------------------ memos

fn silverstar() -> Vec<Decision> {
    decide("examples/silverstar.yaml")
}

#[test]
fn the_digest_closes_the_run_once() {
    // DESIGN, "Determinism": the memo records the policy and facts digests, once per run.
    let memo = interdict::explain::text(&silverstar());
    assert_eq!(memo.matches("Policy sha256:").count(), 1);
    assert!(memo.trim_end().ends_with('.'), "{memo}");
}

#[test]
fn a_citation_is_listed_once_per_reason() {
    // A rule citing "E.O. 13722 §1" does not repeat its policy's "E.O. 13722".
    let decisions = silverstar();
    let reason = decision(&decisions, "tx-1001")
        .reasons
        .iter()
        .find(|r| r.rule == "designated_party")
        .unwrap();
    // The rule cites the section; the designation's own order is cited with the designation.
    assert_eq!(
        *reason.citations,
        [
            "31 CFR 510.201 (the designation's own order and section are cited with it below)",
            "31 CFR Part 510 (North Korea Sanctions Regulations)"
        ]
    );
}

#[test]
fn a_us_rule_prints_the_us_listings_only() {
    // DESIGN: a designation only counts for the regimes that read its list; KOMID is on the UN
    // list and the SDN list, and the US reads the SDN list only.
    let decisions = silverstar();
    let reason = decision(&decisions, "tx-1014")
        .reasons
        .iter()
        .find(|r| r.rule == "owned_by_designated")
        .unwrap();
    assert!(
        reason
            .message
            .ends_with("OFAC-SDN under NPWMD, DPRK2, SDN 9345"),
        "{}",
        reason.message
    );
    assert!(!reason.message.contains("KPe.001"), "{}", reason.message);
}

#[test]
fn a_designated_director_is_not_said_to_have_signed() {
    // OFAC FAQ 400 prohibits contracts signed by a blocked individual; the facts of tx-1005 show
    // a directorship, no signature.
    let decisions = silverstar();
    let reason = &decision(&decisions, "tx-1005").reasons[0];
    assert_eq!(reason.rule, "designated_officer");
    assert!(
        reason.message.contains("the facts show no signature"),
        "{}",
        reason.message
    );
}

#[test]
fn memos_name_countries_and_json_keeps_numbers_and_booleans() {
    let decisions = decide("examples/it-workers.yaml");
    let memo = interdict::explain::text(&decisions);
    assert!(
        memo.contains("claims to be in Poland but is paid through a bank in Russia"),
        "{memo}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&interdict::explain::json(&decisions)).unwrap();
    let facts: Vec<&serde_json::Value> = json["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["reasons"].as_array().unwrap())
        .flat_map(|r| r["evidence"].as_array().unwrap())
        .filter(|e| e["kind"] == "fact")
        .collect();
    let value_of = |field: &str| {
        facts
            .iter()
            .find(|e| e["field"] == field)
            .map(|e| e["value"].clone())
            .unwrap()
    };
    assert!(value_of("attributes.accounts_sharing_ip").is_number());
    assert!(value_of("attributes.payment_account_shared").is_boolean());
    assert!(value_of("attributes.beneficiary_bank_country").is_string());
}

// ------------------------------------------------------------------------------- IT workers

#[test]
fn each_it_worker_indicator_cites_the_advisory_that_introduced_it() {
    // Camera refusal arrived with the US-ROK additional guidance of 18 Oct 2023, not in 2022.
    let decisions = decide("examples/it-workers.yaml");
    let video = decision(&decisions, "eng-201")
        .reasons
        .iter()
        .find(|r| r.rule == "itw_refuses_video")
        .unwrap();
    assert!(
        video.citations[0].contains("18 Oct 2023"),
        "{:?}",
        video.citations
    );
    assert!(video.message.contains("October 2023"), "{}", video.message);
    // Staffing firms, VoIP numbers and early address changes: FBI PSA of 23 Jan 2025.
    for reason in &decision(&decisions, "eng-207").reasons {
        assert!(
            reason.citations[0].contains("23 Jan 2025"),
            "{:?}",
            reason.citations
        );
    }
}

#[test]
fn a_designated_employer_is_called_a_front_only_when_the_facts_say_so() {
    // Yanbian Silverstar's basis is stated (OFAC press release sm481); Chollima Soft's is not.
    let decisions = decide("examples/it-workers.yaml");
    let stated = &decision(&decisions, "pay-204").reasons[0];
    assert_eq!(stated.rule, "itw_paid_to_designated_front");
    assert!(
        stated
            .message
            .contains("front company for North Korean IT workers")
    );
    let unstated = &decision(&decisions, "pay-209").reasons[0];
    assert_eq!(unstated.rule, "itw_paid_to_designated_employer");
    assert_eq!(unstated.effect, Outcome::Block);
    assert!(!unstated.message.contains("front"), "{}", unstated.message);
}

#[test]
fn a_basis_belongs_to_control_only_and_must_be_a_known_one() {
    let facts = |relation: &str| {
        format!(
            "entities:\n  - {{id: a, kind: person, name: A}}\n  - {{id: b, kind: organization, name: B}}\nrelations:\n  - {relation}\n"
        )
    };
    let on_owns = Facts::from_text(
        "basis.yaml",
        &facts("{id: r1, kind: owns, from: a, to: b, percent: 10, basis: voting_majority}"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        on_owns
            .contains("`basis` is given for a `owns` relation; only `controls` rests on a basis"),
        "{on_owns}"
    );
    let unknown = Facts::from_text(
        "basis.yaml",
        &facts("{id: r1, kind: controls, from: a, to: b, basis: ceo}"),
    )
    .unwrap_err()
    .to_string();
    assert!(unknown.contains("unknown variant `ceo`"), "{unknown}");
    assert!(unknown.contains("management_role"), "{unknown}");
}

#[test]
fn typed_evidence_read_back_from_json_writes_the_same_memo() {
    // DESIGN, "Explanations": a program parses from the JSON the content a lawyer reads. Notes,
    // blocking bases and tests are data in the JSON; the memo is written from them alone.
    for decisions in [control_example(), red_flag_example(), silverstar()] {
        let json: serde_json::Value =
            serde_json::from_str(&interdict::explain::json(&decisions)).unwrap();
        let back: Vec<Decision> = serde_json::from_value(json["decisions"].clone()).unwrap();
        assert_eq!(
            interdict::explain::text(&back),
            interdict::explain::text(&decisions)
        );
    }
    let board = control_example();
    let board = decision(&board, "tx-board");
    let json = serde_json::to_value(board).unwrap();
    let blocked = json["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["evidence"].as_array().unwrap())
        .find(|e| e["kind"] == "blocked" && e["basis"] == "control")
        .unwrap();
    assert_eq!(blocked["criterion"], "board_appointment", "{blocked}");
}
