//! Screening inside decisions and on the command line, against the real OFAC list (from
//! `INTERDICT_DATA`, by default `../shared/data`; skipped with a note when absent,
//! and failing when `INTERDICT_REQUIRE_DATA` is set).

use std::path::PathBuf;

use interdict::eval::DecideOptions;
use interdict::facts::FactsDocument;
use interdict::screen::{DEFAULT_THRESHOLD, Screening, Strength};
use interdict::{Evidence, Facts, Outcome, PolicySet, lists};

use crate::cli::interdict;

fn ofac_2021() -> Option<PathBuf> {
    Some(crate::reference_data()?.join("ofac/2021-07"))
}

/// Facts from `user` merged with the 2021 OFAC list, the first transaction decided with and
/// without screening by `policies`.
fn decide_against_ofac(
    folder: &std::path::Path,
    user: serde_json::Value,
    policies: &[&str],
) -> (interdict::Decision, interdict::Decision) {
    let user: FactsDocument = serde_json::from_value(user).unwrap();
    let list = lists::import(lists::ListKind::Ofac, folder)
        .unwrap()
        .document;
    let facts = Facts::from_document(
        "user+ofac",
        lists::merge([("user", user), ("ofac", list)]).unwrap(),
    )
    .unwrap();
    let policies = PolicySet::load(policies).unwrap();
    let screening = Screening::new(&facts, DEFAULT_THRESHOLD);
    let transaction = &facts.transactions()[0];
    let screened = policies.decide_with(
        &facts,
        transaction,
        DecideOptions {
            as_of: None,
            screening: Some(&screening),
            ..DecideOptions::default()
        },
    );
    (screened, policies.decide(&facts, transaction, None))
}

/// OFAC FAQ 5: a hit is checked against the entry's other identifiers before it is treated as
/// valid. Volasys Silverstar (name, kind and country agree, nothing more) is a possible match:
/// held for review, never blocked. China Silver Star with the listed USCC and Song Hwa Jong with
/// the listed date of birth are confirmed: blocked as the listed entries.
#[test]
fn payments_to_listed_parties_under_other_spellings_stop_with_the_match_explained() {
    let Some(folder) = ofac_2021() else { return };
    let user = FactsDocument::read(crate::at("examples/unlabelled-payments.yaml")).unwrap();
    let list = lists::import(lists::ListKind::Ofac, &folder)
        .unwrap()
        .document;
    let merged = lists::merge([("payments", user), ("ofac", list)]).unwrap();
    let facts = Facts::from_document("payments+ofac", merged).unwrap();
    let policies = PolicySet::load(&["policies/"]).unwrap();
    let screening = Screening::new(&facts, DEFAULT_THRESHOLD);
    let options = DecideOptions {
        as_of: None,
        screening: Some(&screening),
        ..DecideOptions::default()
    };
    let decisions = policies.decide_all_with(&facts, options);
    let outcomes: Vec<(&str, Outcome)> = decisions
        .iter()
        .map(|d| (d.transaction.as_str(), d.outcome))
        .collect();
    use Outcome::{Allow, Block, Review};
    assert_eq!(
        outcomes,
        [
            ("pay-1", Review),
            ("pay-2", Block),
            ("pay-3", Block),
            ("pay-4", Allow),
            ("pay-5", Allow)
        ]
    );
    let expected = [
        ("us_possible_match", "SDN 24978", Strength::Possible),
        ("designated_party", "SDN 24977", Strength::Confirmed),
        ("designated_party", "SDN 24979", Strength::Confirmed),
    ];
    for (decision, (rule, reference, strength)) in decisions.iter().zip(expected) {
        let reason = decision.reasons.iter().find(|r| r.rule == rule).unwrap();
        let matched = reason.evidence.iter().find_map(|e| match e {
            Evidence::Match {
                reference,
                score,
                tokens,
                strength,
                ..
            } => Some((reference.clone(), *score, tokens.len(), *strength)),
            _ => None,
        });
        let (found, score, tokens, found_strength) = matched.unwrap();
        let id = &decision.transaction;
        assert_eq!(found.as_deref(), Some(reference), "{id}");
        assert_eq!(found_strength, strength, "{id}");
        assert!(score >= DEFAULT_THRESHOLD && tokens > 0, "{id}");
    }
    // The possible match is not a reason to block anywhere, and its memo says so.
    let possible = &decisions[0];
    assert!(possible.reasons.iter().all(|r| r.effect != Block));
    let memo = interdict::explain::memo(possible);
    assert!(
        memo.contains("Possible match, not a determination"),
        "{memo}"
    );
    // Without screening the same payments are not blocked: nothing in the facts file says who
    // they are. Only the contractor's stated North Korean nationality is a review: the IT-worker
    // pack's, and each regime's embargo pack (31 CFR 510.201, 510.206; UNSCR 2397 para. 8).
    let unscreened = policies.decide_all(&facts, None);
    for decision in &unscreened {
        let mut rules: Vec<&str> = decision.reasons.iter().map(|r| r.rule.as_str()).collect();
        rules.sort_unstable();
        let expected: &[&str] = if decision.transaction == "pay-3" {
            &[
                "eu_embargoed_nationality",
                "itw_north_korean_national",
                "uk_embargoed_nationality",
                "us_embargoed_nationality",
            ]
        } else {
            &[]
        };
        assert_eq!(rules, expected, "{}", decision.transaction);
        assert!(decision.outcome != Block, "{}", decision.transaction);
    }
}

#[test]
fn screen_prints_one_json_object_per_query() {
    let Some(folder) = ofac_2021() else { return };
    let list = format!("ofac={}", folder.display());
    let output = interdict(&[
        "screen",
        "--list",
        &list,
        "--format",
        "json",
        "Volasys Silverstar",
        "Northwind Consulting",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["query"], "Volasys Silverstar");
    assert_eq!(lines[0]["matches"][0]["ref"], "SDN 24978");
    assert_eq!(
        lines[0]["matches"][0]["matched_name"],
        "VOLASYS SILVER STAR"
    );
    assert!(lines[0]["matches"][0]["score"].as_f64().unwrap() >= DEFAULT_THRESHOLD);
    assert_eq!(lines[1]["matches"].as_array().map(Vec::len), Some(0));
}

#[test]
fn an_entity_with_only_a_lapsed_listing_is_still_screened() {
    let Some(folder) = ofac_2021() else { return };
    let user = serde_json::json!({
        "entities": [
            {"id": "acme", "kind": "organization", "name": "Acme"},
            {"id": "old", "kind": "organization", "name": "Volasys Silverstar"}
        ],
        "designations": [
            {"entity": "old", "list": "OFAC-SDN", "programs": ["IRAQ2"], "listed_on": "2004-01-01", "delisted_on": "2016-01-01"}
        ],
        "transactions": [
            {"id": "pay", "kind": "payment", "date": "2024-03-01",
             "parties": [{"role": "originator", "entity": "acme"}, {"role": "beneficiary", "entity": "old"}]}
        ]
    });
    let (decision, _) = decide_against_ofac(&folder, user, &["policies/"]);
    // Name only: a possible match, held for review (OFAC FAQ 5).
    assert_eq!(decision.outcome, Outcome::Review);
    assert!(
        decision
            .reasons
            .iter()
            .any(|r| r.rule == "us_possible_match")
    );
}

#[test]
fn screen_reads_queries_from_a_file() {
    let Some(folder) = ofac_2021() else { return };
    let queries =
        std::env::temp_dir().join(format!("interdict-queries-{}.txt", std::process::id()));
    std::fs::write(&queries, "China Silver Star\n\nJong Song Hwa\n").unwrap();
    let list = format!("ofac={}", folder.display());
    let output = interdict(&[
        "screen",
        "--list",
        &list,
        "--input",
        queries.to_str().unwrap(),
    ]);
    std::fs::remove_file(&queries).unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        text.starts_with("China Silver Star\n  1.000  OFAC-SDN SDN 24977"),
        "{text}"
    );
    assert!(
        text.contains("Jong Song Hwa\n  1.000  OFAC-SDN SDN 24979  JONG, Song Hwa"),
        "{text}"
    );
}

/// A parent confirmed by its USCC (the list entry's own) blocks its subsidiary under the 50 %
/// rule; the same parent known by name only is a possible match: review, not a block.
#[test]
fn a_subsidiary_of_a_party_matched_by_name_is_blocked_by_the_fifty_percent_rule_only_if_confirmed()
{
    let Some(folder) = ofac_2021() else { return };
    let user = |identifiers: serde_json::Value| {
        serde_json::json!({
            "entities": [
                {"id": "acme", "kind": "organization", "name": "Acme"},
                {"id": "parent", "kind": "organization", "name": "China Silver Star",
                 "identifiers": identifiers},
                {"id": "sub", "kind": "organization", "name": "Northern Code LLC"}
            ],
            "relations": [{"kind": "owns", "from": "parent", "to": "sub", "percent": 100}],
            "transactions": [
                {"id": "pay", "kind": "payment", "date": "2024-03-01",
                 "parties": [{"role": "originator", "entity": "acme"}, {"role": "beneficiary", "entity": "sub"}]}
            ]
        })
    };
    let packs = [
        "policies/jurisdictions.policy",
        "policies/us_ownership.policy",
        "policies/us_possible_match.policy",
    ];
    let uscc = serde_json::json!([{"type": "uscc", "value": "91222401MA0Y31E659"}]);
    let (decision, unscreened) = decide_against_ofac(&folder, user(uscc), &packs);
    assert_eq!(decision.outcome, Outcome::Block);
    let reason = decision
        .reasons
        .iter()
        .find(|r| r.rule == "us_blocked_party")
        .unwrap();
    let matched = reason.evidence.iter().any(|e| {
        matches!(e, Evidence::Match { reference: Some(r), strength: Strength::Confirmed, .. } if r == "SDN 24977")
    });
    assert!(matched, "{:#?}", reason.evidence);
    // Without screening nothing in the facts says who the parent is.
    assert_eq!(unscreened.outcome, Outcome::Allow);

    let (name_only, _) = decide_against_ofac(&folder, user(serde_json::json!([])), &packs);
    assert_eq!(name_only.outcome, Outcome::Review);
    let rules: Vec<&str> = name_only.reasons.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(rules, ["us_possible_match_owner"]);
}
