//! Match strength: a name match is a possible match until the party's other identifiers confirm
//! it, and a match they contradict is no match at all (OFAC FAQ 5: check a hit against the
//! entry's other identifiers before treating it as valid; FAQ 23: contact OFAC before blocking on
//! anything but an exact match). Runs on five real SDN rows shipped under
//! `tests/fixtures/lists/ofac_identity`.

use interdict::eval::DecideOptions;
use interdict::facts::FactsDocument;
use interdict::screen::{DEFAULT_THRESHOLD, Screening, Strength};
use interdict::{Decision, Evidence, Facts, Outcome, PolicySet, explain, lists};

/// Decides the first transaction of `user` against the shipped SDN excerpt with every shipped
/// pack and screening on.
fn decide(user: serde_json::Value) -> Decision {
    let user: FactsDocument = serde_json::from_value(user).unwrap();
    let list = lists::import(
        lists::ListKind::Ofac,
        &crate::at("tests/fixtures/lists/ofac_identity"),
    )
    .unwrap()
    .document;
    let facts = Facts::from_document(
        "user+sdn",
        lists::merge([("user", user), ("ofac", list)]).unwrap(),
    )
    .unwrap();
    let policies = PolicySet::load(&[crate::at("policies/")]).unwrap();
    let screening = Screening::new(&facts, DEFAULT_THRESHOLD);
    policies.decide_with(
        &facts,
        &facts.transactions()[0],
        DecideOptions {
            as_of: None,
            screening: Some(&screening),
            ..DecideOptions::default()
        },
    )
}

/// A payment from a bank to `party`.
fn payment_to(party: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "entities": [
            {"id": "bank", "kind": "organization", "name": "Northwind Bank", "country": "GB"},
            party
        ],
        "transactions": [
            {"id": "pay", "kind": "payment", "date": "2024-06-01",
             "parties": [{"role": "originator", "entity": "bank"}, {"role": "beneficiary", "entity": "party"}]}
        ]
    })
}

fn rules(decision: &Decision) -> Vec<&str> {
    decision.reasons.iter().map(|r| r.rule.as_str()).collect()
}

fn match_strengths(decision: &Decision) -> Vec<(String, Strength)> {
    decision
        .reasons
        .iter()
        .flat_map(|r| &r.evidence)
        .filter_map(|e| match e {
            Evidence::Match {
                reference,
                strength,
                ..
            } => Some((reference.clone().unwrap_or_default(), *strength)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_british_ahmed_hassan_born_1990_is_not_even_reviewed_as_syrian_sdn_22060_born_1966() {
    let decision = decide(payment_to(serde_json::json!(
        {"id": "party", "kind": "person", "name": "Ahmed Hassan",
         "nationality": "GB", "country": "GB", "birth_date": "1990"}
    )));
    assert_eq!(decision.outcome, Outcome::Allow, "{:#?}", decision.reasons);
    assert!(decision.reasons.is_empty());
    // The hit is shown as a note, with what contradicts it, and is not a reason.
    let note = decision
        .notes
        .iter()
        .map(interdict::explain::note)
        .find(|n| n.contains("SDN 22060"))
        .unwrap();
    assert!(note.contains("24 years apart"), "{note}");
    assert!(note.contains("differ from the list entry's SY"), "{note}");
    assert!(note.contains("not treated as a match"), "{note}");
}

#[test]
fn ahmed_hassan_by_name_only_is_a_review_never_a_block() {
    let decision = decide(payment_to(serde_json::json!(
        {"id": "party", "kind": "person", "name": "Ahmed Hassan"}
    )));
    assert_eq!(decision.outcome, Outcome::Review);
    assert_eq!(rules(&decision), ["us_possible_match"]);
    assert_eq!(
        match_strengths(&decision),
        [(String::from("SDN 22060"), Strength::Possible)]
    );
    let memo = explain::memo(&decision);
    for expected in [
        "possible match, not a determination",
        "Possible match, not a determination; agrees: both are a person",
        "unknown: the listed person was born 1966-05-13",
        "to check: obtain the party's date of birth and compare it with 1966-05-13",
    ] {
        assert!(memo.contains(expected), "{expected} missing from:\n{memo}");
    }
    assert!(!memo.contains("is designated"), "{memo}");
}

#[test]
fn ahmed_hassan_born_on_the_listed_day_is_confirmed_and_blocked() {
    let decision = decide(payment_to(serde_json::json!(
        {"id": "party", "kind": "person", "name": "Hasan Ahmad", "birth_date": "1966-05-13"}
    )));
    assert_eq!(decision.outcome, Outcome::Block);
    assert!(rules(&decision).contains(&"us_blocked_party"));
    assert!(
        match_strengths(&decision)
            .iter()
            .all(|(r, s)| r == "SDN 22060" && *s == Strength::Confirmed)
    );
}

#[test]
fn a_person_never_confirms_against_a_vessel() {
    // A person called Artavil is not the tanker ARTAVIL: no block, no review, a note.
    let person = decide(payment_to(serde_json::json!(
        {"id": "party", "kind": "person", "name": "Artavil"}
    )));
    assert_eq!(person.outcome, Outcome::Allow, "{:#?}", person.reasons);
    assert!(
        person
            .notes
            .iter()
            .map(interdict::explain::note)
            .any(|n| n.contains("SDN 15036") && n.contains("a person, the listed entry a vessel")),
        "{:#?}",
        person.notes
    );
    // Even a shared identifier cannot make a person the vessel: at most a review.
    let with_imo = decide(payment_to(serde_json::json!(
        {"id": "party", "kind": "person", "name": "Artavil",
         "identifiers": [{"type": "imo", "value": "9187629"}]}
    )));
    assert_eq!(with_imo.outcome, Outcome::Review);
}

#[test]
fn a_vessel_confirms_by_imo_number_and_is_a_review_by_name_alone() {
    let by_imo = decide(payment_to(serde_json::json!(
        {"id": "party", "kind": "vessel", "name": "Alpha Tanker",
         "identifiers": [{"type": "imo", "value": "IMO 9187629"}]}
    )));
    assert_eq!(by_imo.outcome, Outcome::Block);
    assert_eq!(
        match_strengths(&by_imo).first(),
        Some(&(String::from("SDN 15036"), Strength::Confirmed))
    );
    let by_name = decide(payment_to(serde_json::json!(
        {"id": "party", "kind": "vessel", "name": "Artavil"}
    )));
    assert_eq!(by_name.outcome, Outcome::Review);
    // A different IMO number is another hull.
    let other_hull = decide(payment_to(serde_json::json!(
        {"id": "party", "kind": "vessel", "name": "Artavil",
         "identifiers": [{"type": "imo", "value": "9999999"}]}
    )));
    assert_eq!(other_hull.outcome, Outcome::Allow);
}

#[test]
fn silver_star_parties_agreeing_on_kind_and_country_still_stop() {
    // Kind and country agree but are no identifier: held for review.
    let volasys = decide(payment_to(serde_json::json!(
        {"id": "party", "kind": "organization", "name": "Volasys Silverstar", "country": "RU"}
    )));
    assert_eq!(volasys.outcome, Outcome::Review);
    // The listed passport confirms Jong Song Hwa written in another order: blocked.
    let jong = decide(payment_to(serde_json::json!(
        {"id": "party", "kind": "person", "name": "Song Hwa Jong", "nationality": "KP",
         "identifiers": [{"type": "passport", "value": "927220230", "country": "KP"}]}
    )));
    assert_eq!(jong.outcome, Outcome::Block);
    assert!(rules(&jong).contains(&"designated_party"));
    let memo = explain::memo(&jong);
    assert!(
        memo.contains("Confirmed match; agrees: both are a person; passport 927220230 (KP) equals the listed passport 927220230 (KP)"),
        "{memo}"
    );
    // The USCC alone finds and confirms China Silver Star, whatever the name.
    let uscc = decide(payment_to(serde_json::json!(
        {"id": "party", "kind": "organization", "name": "Yanbian Network",
         "identifiers": [{"type": "uscc", "value": "91222401MA0Y31E659"}]}
    )));
    assert_eq!(uscc.outcome, Outcome::Block);
}

#[test]
fn identity_fields_are_validated_with_a_clear_error() {
    let text = r#"
entities:
  - {id: p1, kind: person, name: "A", birth_date: "13 May 1966"}
"#;
    let error = Facts::from_text("bad.yaml", text).unwrap_err().to_string();
    assert!(error.contains("not a date of birth"), "{error}");
    let text = r#"
entities:
  - {id: p1, kind: person, name: "A", identifiers: [{type: passprt, value: "1"}]}
"#;
    let error = Facts::from_text("bad.yaml", text).unwrap_err().to_string();
    assert!(error.contains("passprt"), "{error}");
}

#[test]
fn the_importer_fills_the_identity_fields_of_list_entries() {
    let document = lists::import(
        lists::ListKind::Ofac,
        &crate::at("tests/fixtures/lists/ofac_identity"),
    )
    .unwrap()
    .document;
    let jong = document
        .entities
        .iter()
        .find(|e| e.id == "ofac-24979")
        .unwrap();
    assert_eq!(
        jong.birth_date.map(|d| d.to_string()).as_deref(),
        Some("1970-02-05")
    );
    assert_eq!(jong.gender.map(|g| g.keyword()), Some("male"));
    let passport = jong.identifiers.first().unwrap();
    assert_eq!(
        (
            passport.kind.keyword(),
            passport.value.as_str(),
            passport.country.as_deref()
        ),
        ("passport", "927220230", Some("KP"))
    );
    let vessel = document
        .entities
        .iter()
        .find(|e| e.id == "ofac-15036")
        .unwrap();
    let kinds: Vec<&str> = vessel
        .identifiers
        .iter()
        .map(|i| i.kind.keyword())
        .collect();
    assert_eq!(kinds, ["imo", "mmsi"]);
}

#[test]
fn possibly_listed_parses_checks_and_formats_round_trip() {
    let text = "policy p \"P\" {\n  jurisdiction US\n}\n\nrule r: review\n  when some p in transaction.parties:\n    p is possibly listed under {\"SYRIA\"} on {\"OFAC-SDN\"} or not p is possibly listed\n  because \"{p.name}\"\n";
    let formatted = interdict::format::format_source("p.policy", text).unwrap();
    assert_eq!(formatted, text);
    assert!(PolicySet::from_sources([interdict::Source::new("p.policy", text)]).is_ok());
}

/// `screen --input FILE.jsonl` screens records: each hit carries its strength and what agreed or
/// contradicted, and no internal position; a register settles a reviewed alert.
#[test]
fn screen_reports_the_strength_of_each_hit_for_records() {
    let folder = std::env::temp_dir().join(format!("interdict-records-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let input = folder.join("records.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id": "c1", "name": "Ahmed Hassan", "kind": "person", "nationality": "GB", "country": "GB", "birth_date": "1990"}"#,
            "\n",
            r#"{"id": "c2", "name": "Ahmed Hassan", "kind": "person"}"#,
            "\n\n",
            r#"{"id": "c3", "name": "Song Hwa Jong", "kind": "person", "identifiers": [{"type": "passport", "value": "927220230"}]}"#,
            "\n"
        ),
    )
    .unwrap();
    let list = format!(
        "ofac={}",
        crate::at("tests/fixtures/lists/ofac_identity").display()
    );
    let screen = |extra: &[&str]| {
        let mut args = vec![
            "screen",
            "--accept-small-lists",
            "--list",
            &list,
            "--format",
            "json",
            "--input",
            input.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        crate::cli::interdict(&args)
    };
    let output = screen(&[]);
    assert_eq!(output.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let first = |line: &serde_json::Value| line["matches"][0].clone();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "c1");
    assert_eq!(first(&lines[0])["ref"], "SDN 22060");
    assert_eq!(first(&lines[0])["strength"], "contradicted");
    // Findings are data: a program reads the dates compared, not a sentence.
    assert_eq!(
        first(&lines[0])["contradicts"][0],
        serde_json::json!({"finding": "birth_years_apart", "born": "1990",
                           "listed_born": "1966-05-13", "years": 24})
    );
    assert_eq!(first(&lines[1])["strength"], "possible");
    assert_eq!(first(&lines[2])["strength"], "confirmed");
    assert!(
        first(&lines[2]).get("entity").is_none(),
        "no internal index"
    );
    let fingerprint = first(&lines[1])["fingerprint"].as_str().unwrap().to_owned();

    let register = folder.join("register.yaml");
    std::fs::write(
        &register,
        format!(
            "dispositions:\n  - party: c2\n    entry: SDN 22060\n    disposition: false_positive\n    reviewer: J. Smith\n    date: 2024-05-01\n    reason: checked the passport\n    fingerprint: {fingerprint}\n"
        ),
    )
    .unwrap();
    let cleared = screen(&[
        "--dispositions",
        register.to_str().unwrap(),
        "--as-of",
        "2024-06-01",
    ]);
    let text = String::from_utf8(cleared.stdout).unwrap();
    let line: serde_json::Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    assert_eq!(first(&line)["strength"], "cleared");
    assert_eq!(
        first(&line)["disposition"],
        serde_json::json!({"status": "settled", "review": {"disposition": "false_positive",
            "reviewer": "J. Smith", "date": "2024-05-01", "reason": "checked the passport"}})
    );

    std::fs::write(
        &input,
        "{\"name\": \"A\"}\n{\"name\": \"B\", \"kind\": \"ship\"}\n",
    )
    .unwrap();
    let refused = screen(&[]);
    let error = String::from_utf8(refused.stderr).unwrap();
    std::fs::remove_dir_all(&folder).unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        error.contains("records.jsonl:2: unknown variant `ship`"),
        "{error}"
    );
}

/// `screen --input FILE.csv` reads the same records from a spreadsheet export (a header row,
/// identifier types as columns) and reports them as the JSON lines do; a bad row is an error
/// naming its line.
#[test]
fn screen_reads_records_from_csv() {
    let folder = std::env::temp_dir().join(format!("interdict-csv-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let input = folder.join("customers.csv");
    std::fs::write(
        &input,
        "id,name,kind,birth_date,nationality,country,passport\n\
         c1,Ahmed Hassan,person,1990,GB,GB,\n\
         c3,Song Hwa Jong,person,,,,927220230\n",
    )
    .unwrap();
    let list = format!(
        "ofac={}",
        crate::at("tests/fixtures/lists/ofac_identity").display()
    );
    let screen = || {
        crate::cli::interdict(&[
            "screen",
            "--accept-small-lists",
            "--list",
            &list,
            "--format",
            "json",
            "--input",
            input.to_str().unwrap(),
        ])
    };
    let output = screen();
    assert_eq!(output.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "c1");
    assert_eq!(lines[0]["matches"][0]["strength"], "contradicted");
    assert_eq!(lines[1]["matches"][0]["ref"], "SDN 24979");
    assert_eq!(lines[1]["matches"][0]["strength"], "confirmed");

    std::fs::write(&input, "name,kind\nA,person\nB,ship\n").unwrap();
    let refused = screen();
    let error = String::from_utf8(refused.stderr).unwrap();
    std::fs::remove_dir_all(&folder).unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        error.contains("customers.csv:3: unknown variant `ship`"),
        "{error}"
    );
}
