//! The shipped North Korea pack against the Silver Star example: every rule and every decision
//! path, asserted by outcome, by the rules that fired, and by the evidence chain.

use interdict::{Decision, Evidence, Facts, Outcome, PolicySet};

fn decide_example() -> Vec<Decision> {
    let policies = PolicySet::load(&["policies/"]).unwrap();
    let facts = Facts::load("examples/silverstar.yaml").unwrap();
    policies.decide_all(&facts, None)
}

fn decision<'d>(decisions: &'d [Decision], id: &str) -> &'d Decision {
    decisions.iter().find(|d| d.transaction == id).unwrap()
}

/// The rules that count towards the outcome, in the decision's order.
fn in_force(decision: &Decision) -> Vec<&str> {
    decision
        .reasons
        .iter()
        .filter(|r| r.is_in_force())
        .map(|r| r.rule.as_str())
        .collect()
}

#[test]
fn every_example_transaction_gets_its_expected_outcome() {
    use Outcome::{Allow, Block, Review};
    let decisions = decide_example();
    // (transaction, outcome, [US, EU, UK], rules in force)
    let expected = [
        (
            "tx-1001",
            Block,
            // An OFAC-only listing is a review for the EU and the UK (a listing only another
            // jurisdiction has made), not a freeze.
            [Block, Review, Review],
            vec![
                "designated_party",
                "us_blocked_party",
                "eu_listed_elsewhere_only",
                "sister_of_designated",
                "uk_listed_elsewhere_only",
            ],
        ),
        (
            "tx-1002",
            Block,
            [Block, Allow, Allow],
            vec!["owned_by_designated", "us_blocked_party"],
        ),
        (
            "tx-1003",
            Review,
            [Review, Allow, Allow],
            // OFAC FAQ 398: blocked Silver Star Software holds a significant minority (30 %).
            vec![
                "indirectly_owned_by_designated",
                "us_significant_minority_stake",
            ],
        ),
        (
            "tx-1004",
            Review,
            [Review, Allow, Allow],
            // A shared manager makes no sister (DESIGN, "Sister companies"): Tumen River only
            // shares a controller with China Silver Star.
            vec![
                "controlled_by_designated",
                "us_controlled_by_blocked",
                "us_shares_controller_with_blocked",
            ],
        ),
        (
            "tx-1005",
            Review,
            [Review, Allow, Allow],
            vec!["designated_officer"],
        ),
        (
            "tx-1006",
            Review,
            [Review, Allow, Allow],
            vec!["sister_of_designated"],
        ),
        (
            "tx-1007",
            Review,
            [Review, Allow, Allow],
            vec!["front_of_designated_network"],
        ),
        (
            "tx-1008",
            Review,
            [Review, Review, Review],
            vec![
                "eu_listed_elsewhere_only",
                "sister_of_designated",
                "uk_listed_elsewhere_only",
            ],
        ),
        (
            "tx-1009",
            Block,
            [Block, Review, Review],
            vec![
                "designated_party",
                "us_blocked_party",
                "eu_listed_elsewhere_only",
                "sister_of_designated",
                "uk_listed_elsewhere_only",
            ],
        ),
        ("tx-1010", Allow, [Allow, Allow, Allow], vec![]),
        ("tx-1011", Allow, [Allow, Allow, Allow], vec![]),
        (
            "tx-1012",
            Review,
            [Review, Allow, Allow],
            vec![
                "owned_by_designated",
                "us_significant_minority_stake",
                "us_blocked_party",
            ],
        ),
        (
            "tx-1013",
            Block,
            [Block, Allow, Allow],
            vec!["us_blocked_party", "jointly_owned_by_designated"],
        ),
        (
            "tx-1014",
            Block,
            [Block, Block, Block],
            vec![
                "eu_frozen_party",
                "owned_by_designated",
                "uk_frozen_party",
                "us_blocked_party",
            ],
        ),
        (
            "tx-1015",
            Block,
            [Review, Block, Block],
            vec![
                "eu_frozen_party",
                "uk_frozen_party",
                "controlled_by_designated",
                "us_controlled_by_blocked",
                // KOMID holds 60 % of Paektu and appoints Haeju's board: a real parent.
                "us_sister_of_blocked",
            ],
        ),
        (
            "tx-1016",
            Review,
            [Review, Allow, Allow],
            vec!["front_of_designated_network"],
        ),
    ];
    assert_eq!(decisions.len(), expected.len());
    for (id, outcome, [us, eu, uk], rules) in expected {
        let decision = decision(&decisions, id);
        assert_eq!(decision.outcome, outcome, "{id}");
        let verdicts: Vec<(&str, Outcome)> = decision
            .jurisdictions
            .iter()
            .map(|(code, v)| (code.as_str(), v.outcome))
            .collect();
        assert_eq!(verdicts, [("EU", eu), ("UK", uk), ("US", us)], "{id}");
        assert_eq!(in_force(decision), rules, "{id}");
    }
}

#[test]
fn ownership_block_explains_the_chain_down_to_the_list_entry() {
    let decisions = decide_example();
    let reason = &decision(&decisions, "tx-1002").reasons[0];
    assert_eq!(reason.rule, "owned_by_designated");
    assert!(
        reason
            .message
            .contains("owned 100 % by Volasys Silver Star"),
        "{}",
        reason.message
    );
    assert!(reason.citations.iter().any(|c| c == "31 CFR 510.201"));
    assert_eq!(reason.source, "policies/ofac_dprk.policy:49:6");
    let [
        Evidence::Party { role, .. },
        Evidence::Relation {
            id, percent, from, ..
        },
        Evidence::Designation {
            reference,
            programs,
            ..
        },
    ] = reason.evidence.as_slice()
    else {
        panic!("unexpected evidence: {:?}", reason.evidence);
    };
    assert_eq!(role, "beneficiary");
    assert_eq!(
        (id.as_str(), *percent, from.as_str()),
        ("r3", Some(100.0), "volasys")
    );
    assert_eq!(reference.as_deref(), Some("SDN 24978"));
    assert_eq!(programs, &["DPRK3", "DPRK4"]);
}

#[test]
fn licence_releases_the_block_only_while_in_force() {
    // 31 CFR 501.801(b): the specific licence DPRK-2024-0117 releases the blocks about the party
    // it names, for its period; the sister-company review is not a prohibition and stays.
    let decisions = decide_example();
    let licensed = decision(&decisions, "tx-1008");
    let block = licensed
        .reasons
        .iter()
        .find(|r| r.rule == "designated_party")
        .unwrap();
    assert_eq!(block.released_by.as_deref(), Some("DPRK-2024-0117"));
    let licence = &licensed.licences[0];
    let released: Vec<&str> = licence.released.iter().map(|b| b.rule.as_str()).collect();
    assert_eq!(released, ["designated_party", "us_blocked_party"]);
    assert_eq!(licence.licensee.as_deref(), Some("fjord-relief"));
    let expired = decision(&decisions, "tx-1009");
    assert!(expired.reasons.iter().all(|r| r.released_by.is_none()));
    assert!(expired.licences.is_empty());
}

#[test]
fn a_stake_without_a_percentage_fails_closed_to_review() {
    let decisions = decide_example();
    let reason = &decision(&decisions, "tx-1012").reasons[0];
    assert_eq!(reason.effect, Outcome::Review);
    let error = reason
        .error
        .as_ref()
        .map(interdict::explain::failure)
        .unwrap();
    assert!(error.contains("percentage of relation r9"), "{error}");
}

#[test]
fn a_payment_before_the_designation_is_allowed() {
    let decisions = decide_example();
    let early = decision(&decisions, "tx-1010");
    assert_eq!(early.as_of.to_string(), "2018-06-01");
    assert!(early.reasons.is_empty());
    assert_eq!(early.notes.len(), 1);
    assert!(
        interdict::explain::note(&early.notes[0]).contains("from 2018-09-13, after 2018-06-01"),
        "{:?}",
        early.notes
    );
}

#[test]
fn one_policy_set_serves_many_threads_with_identical_decisions() {
    fn assert_shareable<T: Send + Sync>() {}
    assert_shareable::<PolicySet>();
    assert_shareable::<Facts>();
    let policies = PolicySet::load(&["policies/"]).unwrap();
    let facts = Facts::load("examples/silverstar.yaml").unwrap();
    let single = policies.decide_all(&facts, None);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| policies.decide_all(&facts, None)))
            .collect();
        for handle in handles {
            assert_eq!(handle.join().unwrap(), single);
        }
    });
}

#[test]
fn a_batch_shared_over_every_core_decides_as_one_core_does() {
    let policies = PolicySet::load(&["policies/"]).unwrap();
    for example in [
        "examples/silverstar.yaml",
        "examples/ownership-control.yaml",
        "examples/red-flags.yaml",
        "examples/it-workers.yaml",
    ] {
        let facts = Facts::load(example).unwrap();
        let options = interdict::eval::DecideOptions::default();
        let parallel = policies.decide_all_parallel(&facts, options);
        assert_eq!(
            parallel,
            policies.decide_all_with(&facts, options),
            "{example}"
        );
    }
}

#[test]
fn skipping_messages_keeps_every_other_part_of_each_decision() {
    let policies = PolicySet::load(&["policies/"]).unwrap();
    let facts = Facts::load("examples/silverstar.yaml").unwrap();
    let quiet = interdict::eval::DecideOptions {
        skip_messages: true,
        ..Default::default()
    };
    let decisions = policies.decide_all(&facts, None);
    assert!(decisions.iter().any(|d| !d.reasons.is_empty()));
    for (mut full, terse) in decisions
        .into_iter()
        .zip(policies.decide_all_with(&facts, quiet))
    {
        // A rule that failed closed keeps its sentence: it is the only account of the error.
        let fired = |r: &&interdict::Reason| r.error.is_none();
        assert!(
            terse
                .reasons
                .iter()
                .filter(fired)
                .all(|r| r.message.is_empty())
        );
        assert!(full.reasons.iter().all(|r| !r.message.is_empty()));
        assert!(terse.summary.is_none() && full.summary.is_some());
        full.summary = None;
        for reason in full.reasons.iter_mut().filter(|r| r.error.is_none()) {
            reason.message.clear();
        }
        assert_eq!(full, terse);
    }
}
