//! Ownership, control and time under the shipped US, EU and UK packs: OFAC FAQ 401's worked
//! examples, aggregation, thresholds, cycles, long chains, dates and messy stakes, each asserting
//! the verdict per jurisdiction and the evidence behind it.

use interdict::eval::Note;
use interdict::{Decision, Evidence, Facts, Outcome, PolicySet};

const PACKS: [&str; 4] = [
    "policies/jurisdictions.policy",
    "policies/us_ownership.policy",
    "policies/eu_ownership.policy",
    "policies/uk_ownership.policy",
];

/// Facts with organisations `names`, stakes `(owner, asset, percent)`, and a payment on
/// `date` from `acme` to `beneficiary`; `designations` are `(entity, list, listed, delisted)`.
struct Case<'a> {
    stakes: &'a [(&'a str, &'a str, Option<f64>)],
    controls: &'a [(&'a str, &'a str)],
    designations: &'a [(&'a str, &'a str, &'a str, Option<&'a str>)],
    beneficiary: &'a str,
    date: &'a str,
}

impl Case<'_> {
    fn yaml(&self) -> String {
        let mut names: Vec<&str> = vec!["acme", "bank", self.beneficiary];
        for (owner, asset, _) in self.stakes {
            names.extend([*owner, *asset]);
        }
        for (controller, asset) in self.controls {
            names.extend([*controller, *asset]);
        }
        names.extend(self.designations.iter().map(|d| d.0));
        names.sort_unstable();
        names.dedup();
        let mut yaml = String::from("entities:\n");
        for name in &names {
            yaml += &format!(
                "  - {{id: {name}, kind: organization, name: \"{}\"}}\n",
                name.to_uppercase()
            );
        }
        yaml += "relations:\n  - {kind: linked_to, from: acme, to: bank}\n";
        for (owner, asset, percent) in self.stakes {
            let percent = percent
                .map(|p| format!(", percent: {p}"))
                .unwrap_or_default();
            yaml += &format!("  - {{kind: owns, from: {owner}, to: {asset}{percent}}}\n");
        }
        for (controller, asset) in self.controls {
            yaml += &format!(
                "  - {{kind: controls, from: {controller}, to: {asset}, role: board majority, basis: board_appointment}}\n"
            );
        }
        yaml += "designations:\n  - {entity: bank, list: NONE, programs: []}\n";
        for (entity, list, listed, delisted) in self.designations {
            let delisted = delisted
                .map(|d| format!(", delisted_on: {d}"))
                .unwrap_or_default();
            yaml += &format!(
                "  - {{entity: {entity}, list: {list}, programs: [TEST], listed_on: {listed}{delisted}, ref: \"{list} {entity}\"}}\n"
            );
        }
        yaml += &format!(
            "transactions:\n  - {{id: tx, kind: payment, date: {}, parties: [{{role: originator, entity: acme}}, {{role: beneficiary, entity: {}}}]}}\n",
            self.date, self.beneficiary
        );
        yaml
    }

    fn decide(&self) -> Decision {
        let policies = PolicySet::load(&PACKS).unwrap();
        let facts = Facts::from_text("case.yaml", &self.yaml()).unwrap();
        policies.decide(&facts, &facts.transactions()[0], None)
    }
}

/// A day under the EU's current ownership test (EU Best Practices, update of 3 July 2024).
const PAY_DAY: &str = "2024-09-02";

fn verdict(decision: &Decision, code: &str) -> Outcome {
    decision.jurisdictions.get(code).unwrap().outcome
}

/// The `blocked` evidence of the first reason of `code`'s verdict, as (entity, basis, total).
fn blocked_chain(decision: &Decision, code: &str) -> Vec<(String, String, Option<f64>)> {
    let reason = &decision.reasons_of(code).next().unwrap();
    reason
        .evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::Blocked { entity, basis, .. } => Some((
                entity.clone(),
                basis.keyword().to_owned(),
                basis.total_percent(),
            )),
            _ => None,
        })
        .collect()
}

fn chain(items: &[(&str, &str, Option<f64>)]) -> Vec<(String, String, Option<f64>)> {
    items
        .iter()
        .map(|(e, b, t)| ((*e).to_owned(), (*b).to_owned(), *t))
        .collect()
}

#[test]
fn faq_401_blocked_owner_of_a_blocked_owner() {
    // X (blocked) owns 50 % of A, A owns 50 % of B: A and B are blocked.
    let case = Case {
        stakes: &[("x", "a", Some(50.0)), ("a", "b", Some(50.0))],
        controls: &[],
        designations: &[("x", "OFAC-SDN", "2020-01-01", None)],
        beneficiary: "b",
        date: PAY_DAY,
    };
    let decision = case.decide();
    assert_eq!(verdict(&decision, "US"), Outcome::Block);
    assert_eq!(
        blocked_chain(&decision, "US"),
        chain(&[
            ("b", "ownership", Some(50.0)),
            ("a", "ownership", Some(50.0)),
            ("x", "designation", None)
        ])
    );
    let evidence = &decision.reasons_of("US").next().unwrap().evidence;
    assert!(evidence.iter().any(
        |e| matches!(e, Evidence::Designation { reference: Some(r), .. } if r == "OFAC-SDN x")
    ));
}

#[test]
fn faq_401_direct_and_indirect_stakes_add_up() {
    // X owns 50 % of A and 10 % of B, A owns 40 % of B: B is blocked (10 + 40).
    let case = Case {
        stakes: &[
            ("x", "a", Some(50.0)),
            ("x", "b", Some(10.0)),
            ("a", "b", Some(40.0)),
        ],
        controls: &[],
        designations: &[("x", "OFAC-SDN", "2020-01-01", None)],
        beneficiary: "b",
        date: PAY_DAY,
    };
    let decision = case.decide();
    assert_eq!(verdict(&decision, "US"), Outcome::Block);
    assert_eq!(
        blocked_chain(&decision, "US")[0],
        ("b".to_owned(), "ownership".to_owned(), Some(50.0))
    );
}

#[test]
fn faq_401_stakes_do_not_multiply_through_unblocked_entities() {
    // X owns 25 % of A and of B; A and B each own 50 % of C: C is not blocked.
    let case = Case {
        stakes: &[
            ("x", "a", Some(25.0)),
            ("x", "b", Some(25.0)),
            ("a", "c", Some(50.0)),
            ("b", "c", Some(50.0)),
        ],
        controls: &[],
        designations: &[("x", "OFAC-SDN", "2020-01-01", None)],
        beneficiary: "c",
        date: PAY_DAY,
    };
    let decision = case.decide();
    assert_eq!(decision.outcome, Outcome::Allow, "{decision:#?}");
}

#[test]
fn stakes_of_owners_designated_under_different_programs_and_lists_add_up() {
    // Two designated owners with 30 % and 25 %: 55 % aggregated blocks under US and EU rules, but
    // the UK does not add different persons' stakes.
    let case = Case {
        stakes: &[("x", "a", Some(30.0)), ("y", "a", Some(25.0))],
        controls: &[],
        designations: &[
            ("x", "OFAC-SDN", "2020-01-01", None),
            ("y", "OFAC-SDN", "2021-01-01", None),
            // The EU reads its own list, not the UN's (Art. 215 TFEU): x is on both.
            ("x", "UN", "2020-01-01", None),
            ("x", "EU", "2020-01-01", None),
            ("y", "UK", "2020-01-01", None),
            ("y", "EU", "2020-01-01", None),
        ],
        beneficiary: "a",
        date: PAY_DAY,
    };
    let decision = case.decide();
    assert_eq!(verdict(&decision, "US"), Outcome::Block);
    assert_eq!(verdict(&decision, "EU"), Outcome::Block);
    assert_eq!(verdict(&decision, "UK"), Outcome::Allow);
    assert_eq!(
        blocked_chain(&decision, "EU")[0],
        ("a".to_owned(), "ownership".to_owned(), Some(55.0))
    );
}

#[test]
fn exactly_fifty_percent_blocks_under_us_rules_but_not_uk_rules() {
    let case = Case {
        stakes: &[("x", "a", Some(50.0))],
        controls: &[],
        designations: &[
            ("x", "OFAC-SDN", "2020-01-01", None),
            ("x", "UK", "2020-01-01", None),
        ],
        beneficiary: "a",
        date: PAY_DAY,
    };
    let decision = case.decide();
    assert_eq!(verdict(&decision, "US"), Outcome::Block);
    assert_eq!(verdict(&decision, "UK"), Outcome::Allow);
}

#[test]
fn uk_counts_one_persons_stakes_through_majority_held_entities() {
    // X holds 30 % of B directly and 60 % of A, which holds 25 % of B: X holds 55 % of B.
    let case = Case {
        stakes: &[
            ("x", "b", Some(30.0)),
            ("x", "a", Some(60.0)),
            ("a", "b", Some(25.0)),
        ],
        controls: &[],
        designations: &[("x", "UK", "2020-01-01", None)],
        beneficiary: "b",
        date: PAY_DAY,
    };
    let decision = case.decide();
    assert_eq!(verdict(&decision, "UK"), Outcome::Block);
    assert_eq!(
        blocked_chain(&decision, "UK")[0],
        ("b".to_owned(), "ownership".to_owned(), Some(55.0))
    );
}

#[test]
fn a_stake_just_below_the_threshold_does_not_block() {
    let case = Case {
        stakes: &[("x", "a", Some(49.99))],
        controls: &[],
        designations: &[("x", "OFAC-SDN", "2020-01-01", None)],
        beneficiary: "a",
        date: PAY_DAY,
    };
    assert_eq!(case.decide().outcome, Outcome::Allow);
}

#[test]
fn cyclic_cross_holdings_terminate() {
    // X owns 60 % of A; A and B hold 60 % and 30 % of each other: both blocked, and a cycle with
    // no designated owner blocks nothing.
    let case = Case {
        stakes: &[
            ("x", "a", Some(60.0)),
            ("a", "b", Some(60.0)),
            ("b", "a", Some(30.0)),
            ("c", "d", Some(60.0)),
            ("d", "c", Some(60.0)),
        ],
        controls: &[],
        designations: &[("x", "OFAC-SDN", "2020-01-01", None)],
        beneficiary: "b",
        date: PAY_DAY,
    };
    let decision = case.decide();
    assert_eq!(verdict(&decision, "US"), Outcome::Block);
    // Once B is blocked its 30 % in A counts too: A's blocked owners hold 90 %.
    assert_eq!(
        blocked_chain(&decision, "US"),
        chain(&[
            ("b", "ownership", Some(60.0)),
            ("a", "ownership", Some(90.0)),
            ("x", "designation", None)
        ])
    );
    let innocent = Case {
        beneficiary: "d",
        ..case
    };
    assert_eq!(innocent.decide().outcome, Outcome::Allow);
}

#[test]
fn a_chain_of_ten_is_followed_to_its_listed_root() {
    let names = [
        "x", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10",
    ];
    let stakes: Vec<(&str, &str, Option<f64>)> =
        names.windows(2).map(|w| (w[0], w[1], Some(75.0))).collect();
    let case = Case {
        stakes: &stakes,
        controls: &[],
        designations: &[("x", "OFAC-SDN", "2020-01-01", None)],
        beneficiary: "e10",
        date: PAY_DAY,
    };
    let decision = case.decide();
    let entities: Vec<String> = blocked_chain(&decision, "US")
        .into_iter()
        .map(|(e, _, _)| e)
        .collect();
    let expected: Vec<&str> = names.iter().rev().copied().collect();
    assert_eq!(entities, expected);
}

#[test]
fn a_delisted_owner_no_longer_blocks() {
    let case = Case {
        stakes: &[("x", "a", Some(100.0))],
        controls: &[],
        designations: &[("x", "OFAC-SDN", "2018-01-01", Some("2023-01-01"))],
        beneficiary: "a",
        date: PAY_DAY,
    };
    assert_eq!(case.decide().outcome, Outcome::Allow);
    let before = Case {
        date: "2022-06-01",
        ..case
    };
    assert_eq!(before.decide().outcome, Outcome::Block);
}

#[test]
fn a_payment_before_the_designation_is_allowed_with_a_note() {
    let case = Case {
        stakes: &[],
        controls: &[],
        designations: &[("x", "OFAC-SDN", "2024-12-01", None)],
        beneficiary: "x",
        date: PAY_DAY,
    };
    let decision = case.decide();
    assert_eq!(decision.outcome, Outcome::Allow);
    assert_eq!(decision.notes.len(), 1);
    assert!(
        interdict::explain::note(&decision.notes[0]).contains("from 2024-12-01, after 2024-09-02"),
        "{:?}",
        decision.notes
    );
}

#[test]
fn control_without_ownership_is_a_review_in_the_us_and_a_freeze_in_the_eu() {
    let case = Case {
        stakes: &[],
        controls: &[("x", "a")],
        designations: &[
            ("x", "OFAC-SDN", "2020-01-01", None),
            ("x", "EU", "2020-01-01", None),
        ],
        beneficiary: "a",
        date: PAY_DAY,
    };
    let decision = case.decide();
    assert_eq!(verdict(&decision, "US"), Outcome::Review);
    assert_eq!(
        decision.reasons_of("US").next().unwrap().rule,
        "us_controlled_by_blocked"
    );
    assert_eq!(verdict(&decision, "EU"), Outcome::Block);
    assert_eq!(
        blocked_chain(&decision, "EU"),
        chain(&[("a", "control", None), ("x", "designation", None)])
    );
}

#[test]
fn an_unknown_stake_from_a_blocked_owner_fails_closed() {
    let case = Case {
        stakes: &[("x", "a", None)],
        controls: &[],
        designations: &[("x", "OFAC-SDN", "2020-01-01", None)],
        beneficiary: "a",
        date: PAY_DAY,
    };
    let decision = case.decide();
    assert_eq!(verdict(&decision, "US"), Outcome::Review);
    let error = decision
        .reasons_of("US")
        .next()
        .unwrap()
        .error
        .as_ref()
        .map(interdict::explain::failure)
        .unwrap();
    assert!(
        error.contains("percentage of relation r2 (X, blocked, owns part of A)"),
        "{error}"
    );
}

#[test]
fn conflicting_reports_of_one_stake_count_the_highest_and_say_so() {
    let case = Case {
        stakes: &[
            ("x", "a", Some(48.0)),
            ("x", "a", Some(50.0)),
            ("x", "a", Some(51.0)),
        ],
        controls: &[],
        designations: &[("x", "OFAC-SDN", "2020-01-01", None)],
        beneficiary: "a",
        date: PAY_DAY,
    };
    let decision = case.decide();
    assert_eq!(verdict(&decision, "US"), Outcome::Block);
    let evidence = &decision.reasons_of("US").next().unwrap().evidence;
    assert_eq!(blocked_chain(&decision, "US")[0].2, Some(51.0));
    let note = evidence.iter().find_map(|e| match e {
        Evidence::Note(note) => Some(note),
        _ => None,
    });
    let Some(Note::StakeReportsDiffer {
        owner,
        reports,
        counted,
    }) = note
    else {
        panic!("no note on the stakes reported: {evidence:#?}");
    };
    assert_eq!((owner.as_str(), *counted), ("X", 51.0));
    let figures: Vec<Option<f64>> = reports.iter().map(|r| r.percent).collect();
    assert_eq!(figures, [Some(48.0), Some(50.0), Some(51.0)]);
    assert_eq!(
        interdict::explain::note(note.unwrap()),
        "the stake of X is reported 3 times (48 %, 50 %, 51 %); the highest, 51 %, is counted"
    );
}

/// The real OpenSanctions `zala` neighbourhood, with LLC CST's own listings removed so that only
/// its owners can block it, decided for a payment to it on `day`.
fn zala_with_unlisted_cst(day: &str) -> Option<Decision> {
    let data = crate::reference_data()?;
    let imported = interdict::lists::import(
        interdict::lists::ListKind::Ftm,
        &data.join("opensanctions/zala.ftm.json"),
    )
    .unwrap();
    let mut document = imported.document;
    let cst = "ftm-NK-abdzbEBkqyT29GyREbiURZ";
    document.designations.retain(|d| d.entity != cst);
    document.entities.push(
        serde_json::from_value(
            serde_json::json!({"id": "bank", "kind": "organization", "name": "Bank"}),
        )
        .unwrap(),
    );
    document.transactions.push(
        serde_json::from_value(serde_json::json!({
            "id": "tx-cst", "kind": "payment", "date": day,
            "parties": [{"role": "originator", "entity": "bank"}, {"role": "beneficiary", "entity": cst}]
        }))
        .unwrap(),
    );
    let facts = Facts::from_document("zala", document).unwrap();
    let policies = PolicySet::load(&PACKS).unwrap();
    Some(policies.decide(&facts, &facts.transactions()[0], None))
}

fn notes(decision: &Decision, code: &str) -> Vec<String> {
    decision
        .reasons_of(code)
        .next()
        .unwrap()
        .evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::Note(note) => Some(interdict::explain::note(note)),
            _ => None,
        })
        .collect()
}

#[test]
fn real_conflicting_stakes_count_the_highest_report() {
    // On 2023-12-10 two reports of ZAKHAROV's stake in LLC CST hold, 48 % (until 2023-12-21) and
    // 51 %; the highest counts, so one designated person holds more than 50 %: frozen in the UK,
    // whose listing of him dates from 2023-12-06.
    let Some(decision) = zala_with_unlisted_cst("2023-12-10") else {
        return;
    };
    assert_eq!(verdict(&decision, "UK"), Outcome::Block);
    assert_eq!(blocked_chain(&decision, "UK")[0].2, Some(51.0));
    let notes = notes(&decision, "UK");
    assert!(
        notes.iter().any(|n| n
            .contains("ZAKHAROV is reported 2 times (48 %, 51 %); the highest, 51 %, is counted")),
        "{notes:?}"
    );
}

#[test]
fn real_stake_without_a_figure_is_reported_not_counted_as_zero() {
    // Kalashnikov Concern's holding in LLC CST is reported once at 49 % and once with no figure;
    // the explanation says which counted.
    let Some(decision) = zala_with_unlisted_cst("2025-06-02") else {
        return;
    };
    assert_eq!(verdict(&decision, "US"), Outcome::Block);
    let notes = notes(&decision, "US");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("Kalashnikov Concern is reported 2 times (no figure, 49 %)")),
        "{notes:?}"
    );
}

#[test]
fn an_unknown_stake_fails_closed_all_the_way_down_the_chain() {
    // X (blocked) holds an unknown share of A, which owns all of B: B may be blocked too.
    let case = Case {
        stakes: &[("x", "a", None), ("a", "b", Some(100.0))],
        controls: &[],
        designations: &[
            ("x", "OFAC-SDN", "2020-01-01", None),
            ("x", "UK", "2020-01-01", None),
        ],
        beneficiary: "b",
        date: PAY_DAY,
    };
    let decision = case.decide();
    assert_eq!(verdict(&decision, "US"), Outcome::Review);
    assert_eq!(verdict(&decision, "UK"), Outcome::Review);
    let error = decision
        .reasons_of("US")
        .next()
        .unwrap()
        .error
        .clone()
        .unwrap();
    assert_eq!(
        error,
        interdict::eval::FailureCause::MissingBlockingStake {
            relation: String::from("r2"),
            owner: String::from("X"),
            asset: String::from("A"),
            subject: Some(String::from("B")),
            jurisdiction: String::from("US"),
        }
    );
    let said = interdict::explain::failure(&error);
    assert!(
        said.contains("(X, blocked, owns part of A), which decides whether B is blocked"),
        "{said}"
    );
    // A stake known to be small below the unknown one settles it: B is not blocked.
    let small = Case {
        stakes: &[("x", "a", None), ("a", "b", Some(10.0))],
        ..case
    };
    assert_eq!(small.decide().outcome, Outcome::Allow);
}

#[test]
fn a_derivation_through_control_reaches_the_designated_controller() {
    // Y (designated in the EU) controls C; C and W own half of Z each; Z owns all of W. The
    // explanation must lead from Z to C to Y, not around the Z-W cycle.
    let case = Case {
        stakes: &[
            ("c", "z", Some(50.0)),
            ("w", "z", Some(50.0)),
            ("z", "w", Some(100.0)),
        ],
        controls: &[("y", "c")],
        designations: &[("y", "EU", "2020-01-01", None)],
        beneficiary: "z",
        date: PAY_DAY,
    };
    let decision = case.decide();
    assert_eq!(verdict(&decision, "EU"), Outcome::Block);
    assert_eq!(
        blocked_chain(&decision, "EU"),
        chain(&[
            ("z", "ownership", Some(100.0)),
            ("c", "control", None),
            ("y", "designation", None)
        ])
    );
}
