//! The disposition register: a reviewed alert does not fire again while the entry is unchanged
//! and the disposition in force; a true match counts as confirmed; bad records are errors naming
//! the record. Runs on the SDN excerpt shipped under `tests/fixtures/lists/ofac_identity`.

use interdict::eval::DecideOptions;
use interdict::facts::FactsDocument;
use interdict::screen::{DEFAULT_THRESHOLD, Dispositions, Screening, fingerprint};
use interdict::{Decision, Facts, Outcome, PolicySet, lists};

/// The facts: a payment to a person named Ahmed Hassan (name only), with the SDN excerpt.
fn facts() -> Facts {
    let user: FactsDocument = serde_json::from_value(serde_json::json!({
        "entities": [
            {"id": "bank", "kind": "organization", "name": "Northwind Bank", "country": "GB"},
            {"id": "party", "kind": "person", "name": "Ahmed Hassan",
             "identifiers": [{"type": "passport", "value": "P-1234567"}]}
        ],
        "transactions": [
            {"id": "pay", "kind": "payment", "date": "2024-06-01",
             "parties": [{"role": "originator", "entity": "bank"}, {"role": "beneficiary", "entity": "party"}]}
        ]
    }))
    .unwrap();
    let list = lists::import(
        lists::ListKind::Ofac,
        &crate::at("tests/fixtures/lists/ofac_identity"),
    )
    .unwrap()
    .document;
    Facts::from_document(
        "user+sdn",
        lists::merge([("user", user), ("ofac", list)]).unwrap(),
    )
    .unwrap()
}

/// The fingerprint of SDN 22060 as listed.
fn listed_fingerprint(facts: &Facts) -> String {
    let index = facts.entity_index("ofac-22060").unwrap();
    fingerprint(facts.entity(index).unwrap())
}

fn decide_with(facts: &Facts, register: &str) -> Decision {
    let dispositions = Dispositions::from_text("register.yaml", register, facts).unwrap();
    let screening = Screening::new(facts, DEFAULT_THRESHOLD).with_dispositions(dispositions);
    let policies = PolicySet::load(&[crate::at("policies/")]).unwrap();
    policies.decide_with(
        facts,
        &facts.transactions()[0],
        DecideOptions {
            as_of: None,
            screening: Some(&screening),
            ..DecideOptions::default()
        },
    )
}

fn record(party: &str, kind: &str, fingerprint: &str, expires: Option<&str>) -> String {
    let expires = expires
        .map(|e| format!("\n    expires: {e}"))
        .unwrap_or_default();
    format!(
        "dispositions:\n  - {party}\n    entry: SDN 22060\n    disposition: {kind}\n    reviewer: J. Smith\n    date: 2024-05-01\n    reason: British national born 1990, passport checked{expires}\n    fingerprint: {fingerprint}\n"
    )
}

#[test]
fn without_a_register_the_name_only_hit_is_a_review() {
    let facts = facts();
    let decision = decide_with(&facts, "dispositions: []\n");
    assert_eq!(decision.outcome, Outcome::Review);
}

#[test]
fn a_cleared_alert_does_not_fire_again_and_the_memo_says_who_cleared_it() {
    let facts = facts();
    let fp = listed_fingerprint(&facts);
    for party in [
        "party: party".to_owned(),
        "party_name: \"AHMED  hassan\"\n    party_identifiers: [P1234567]".to_owned(),
    ] {
        let decision = decide_with(&facts, &record(&party, "false_positive", &fp, None));
        assert_eq!(decision.outcome, Outcome::Allow, "{party}");
        assert!(
            decision.notes.iter().any(|n| interdict::explain::note(n).contains(
                "SDN 22060 AHMAD, Hasan by name (1.00); the alert was cleared as a false positive by J. Smith on 2024-05-01"
            )),
            "{:#?}",
            decision.notes
        );
    }
    // A name register entry whose identifiers the party does not hold does not apply.
    let other = record(
        "party_name: Ahmed Hassan\n    party_identifiers: [X999]",
        "false_positive",
        &fp,
        None,
    );
    assert_eq!(decide_with(&facts, &other).outcome, Outcome::Review);
}

#[test]
fn a_true_match_counts_as_confirmed() {
    let facts = facts();
    let fp = listed_fingerprint(&facts);
    let decision = decide_with(&facts, &record("party: party", "true_match", &fp, None));
    assert_eq!(decision.outcome, Outcome::Block);
    let memo = interdict::explain::memo(&decision);
    assert!(
        memo.contains("Confirmed match; agrees: both are a person; recorded as a true match by J. Smith on 2024-05-01"),
        "{memo}"
    );
}

#[test]
fn an_alert_reopens_when_the_entry_changed_or_the_disposition_expired() {
    let facts = facts();
    let changed = decide_with(
        &facts,
        &record("party: party", "false_positive", "0000000000000000", None),
    );
    assert_eq!(changed.outcome, Outcome::Review);
    assert!(
        changed
            .notes
            .iter()
            .map(interdict::explain::note)
            .any(|n| n.contains("is open again: the list entry changed since it was cleared")),
        "{:#?}",
        changed.notes
    );
    let fp = listed_fingerprint(&facts);
    let expired = decide_with(
        &facts,
        &record("party: party", "false_positive", &fp, Some("2024-06-01")),
    );
    assert_eq!(expired.outcome, Outcome::Review);
    assert!(
        expired
            .notes
            .iter()
            .map(interdict::explain::note)
            .any(|n| n.contains("expired on 2024-06-01")),
        "{:#?}",
        expired.notes
    );
}

#[test]
fn bad_registers_are_errors_naming_the_record() {
    let facts = facts();
    let fp = listed_fingerprint(&facts);
    let error = |text: &str| {
        Dispositions::from_text("register.yaml", text, &facts)
            .unwrap_err()
            .to_string()
    };
    let unknown =
        record("party: party", "false_positive", &fp, None).replace("SDN 22060", "SDN 99999");
    assert_eq!(
        error(&unknown),
        "register.yaml: disposition 1 (party party, entry SDN 99999): no list entry `SDN 99999` in the lists loaded; give its reference (`SDN 24978`) or its entity id (`ofac-24978`)"
    );
    let bad_date =
        record("party: party", "false_positive", &fp, None).replace("2024-05-01", "2024-13-01");
    let message = error(&bad_date);
    assert!(message.starts_with("register.yaml:6:"), "{message}");
    assert!(
        message.contains("`2024-13-01` is not a valid date"),
        "{message}"
    );
    let one = record("party: party", "false_positive", &fp, None);
    let twice = format!("{one}{}", one.trim_start_matches("dispositions:\n"));
    assert_eq!(
        error(&twice),
        "register.yaml: disposition 2 (party party, entry SDN 22060): disposition 1 already settles this alert; keep one record per party and entry"
    );
    let no_party = record("party: nobody", "false_positive", &fp, None);
    assert!(
        error(&no_party)
            .contains("disposition 1 (party nobody, entry SDN 22060): no entity `nobody`")
    );
    let wrong_kind = record("party: party", "maybe", &fp, None);
    assert!(error(&wrong_kind).contains("maybe"));
}

#[test]
fn eval_takes_a_register_and_refuses_a_bad_one() {
    let folder = std::env::temp_dir().join(format!("interdict-register-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let facts_file = folder.join("facts.yaml");
    std::fs::write(
        &facts_file,
        "entities:\n  - {id: bank, kind: organization, name: Northwind Bank}\n  - {id: party, kind: person, name: Ahmed Hassan}\ntransactions:\n  - {id: pay, kind: payment, date: 2024-06-01, parties: [{role: originator, entity: bank}, {role: beneficiary, entity: party}]}\n",
    )
    .unwrap();
    let fp = listed_fingerprint(&facts());
    let good = folder.join("good.yaml");
    std::fs::write(&good, record("party: party", "false_positive", &fp, None)).unwrap();
    let bad = folder.join("bad.yaml");
    std::fs::write(
        &bad,
        record("party: party", "false_positive", &fp, None).replace("SDN 22060", "SDN 1"),
    )
    .unwrap();
    let list = format!(
        "ofac={}",
        crate::at("tests/fixtures/lists/ofac_identity").display()
    );
    let run = |register: &std::path::Path| {
        crate::cli::interdict(&[
            "eval",
            "--policy",
            crate::at("policies").to_str().unwrap(),
            "--facts",
            facts_file.to_str().unwrap(),
            "--accept-small-lists",
            "--list",
            &list,
            "--dispositions",
            register.to_str().unwrap(),
        ])
    };
    let cleared = run(&good);
    let text = String::from_utf8(cleared.stdout).unwrap();
    assert_eq!(cleared.status.code(), Some(0), "{text}");
    assert!(text.contains("Transaction pay: ALLOW"), "{text}");
    assert!(
        text.contains("cleared as a false positive by J. Smith"),
        "{text}"
    );
    // Recorded with its register, the cleared decision replays byte for byte (issue 11).
    let db = folder.join("audit.db");
    let recorded = crate::cli::interdict(&[
        "eval",
        "--policy",
        crate::at("policies").to_str().unwrap(),
        "--facts",
        facts_file.to_str().unwrap(),
        "--accept-small-lists",
        "--list",
        &list,
        "--dispositions",
        good.to_str().unwrap(),
        "--record",
        db.to_str().unwrap(),
    ]);
    assert_eq!(recorded.status.code(), Some(0));
    let replayed = crate::cli::interdict(&["replay", db.to_str().unwrap()]);
    let report = String::from_utf8(replayed.stdout).unwrap();
    assert_eq!(replayed.status.code(), Some(0), "{report}");
    assert!(
        report.ends_with("1 decision(s) replayed, 1 identical\n"),
        "{report}"
    );
    let refused = run(&bad);
    let error = String::from_utf8(refused.stderr).unwrap();
    std::fs::remove_dir_all(&folder).unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        error.contains("disposition 1 (party party, entry SDN 1): no list entry `SDN 1`"),
        "{error}"
    );
}
