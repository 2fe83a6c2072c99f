//! Provenance: the source of every fact, dated and digested list snapshots, and listing dates
//! that are unknown rather than "always" (issue 11).

use interdict::lists::{self, Release};
use interdict::{Date, Facts, Outcome, PolicySet};
use serde_json::Value;

use crate::cli::interdict;

const PAYMENTS: &str = "tests/fixtures/provenance/payments.yaml";
const SDN_2024_05: &str = "ofac=tests/fixtures/lists/ofac_release_2024_05@2024-05-03";
const SDN_2021_07: &str = "ofac=tests/fixtures/lists/ofac_release_2021_07@2021-07-01";

/// `interdict eval` on the provenance payments with `extra` flags, as JSON.
fn eval_json(extra: &[&str]) -> Value {
    let base = [
        "eval",
        "--policy",
        "policies/",
        "--facts",
        PAYMENTS,
        "--format",
        "json",
    ];
    let output = interdict(&[&base[..], extra].concat());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn eval_text(extra: &[&str]) -> String {
    let base = ["eval", "--policy", "policies/", "--facts", PAYMENTS];
    let output = interdict(&[&base[..], extra].concat());
    assert_eq!(output.status.code(), Some(0));
    String::from_utf8(output.stdout).unwrap()
}

fn decision<'v>(report: &'v Value, id: &str) -> &'v Value {
    report["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["transaction"] == id)
        .unwrap()
}

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

#[test]
fn evidence_carries_the_source_of_the_stake_and_of_the_designation() {
    let report = eval_json(&["--accept-small-lists", "--list", SDN_2024_05]);
    let decision = decision(&report, "pay-subsidiary");
    assert_eq!(decision["outcome"], "block");
    let evidence = decision["reasons"][0]["evidence"].as_array().unwrap();
    let stake = evidence.iter().find(|e| e["kind"] == "relation").unwrap();
    assert_eq!(
        stake["source"]["publisher"],
        "Federal Tax Service of Russia"
    );
    assert_eq!(stake["source"]["published"], "2024-02-15");
    assert_eq!(stake["source"]["asserted_by"], "analyst jdoe");
    let party = evidence.iter().find(|e| e["kind"] == "party").unwrap();
    assert_eq!(party["source"]["publisher"], "Rosstat");
    let listing = evidence
        .iter()
        .find(|e| e["kind"] == "designation")
        .unwrap();
    assert_eq!(listing["source"]["publisher"], "OFAC (US Treasury)");
    assert_eq!(
        listing["source"]["document"],
        "OFAC SDN list of 2024-05-03, entry SDN 24978"
    );
    assert_eq!(listing["listed_by"], "2024-05-03");
    // Every decision names the list snapshot it used.
    assert_eq!(decision["lists"][0]["kind"], "ofac");
    assert_eq!(decision["lists"][0]["published"], "2024-05-03");
    assert_eq!(decision["lists"][0]["published_from"], "user");
    assert!(
        decision["lists"][0]["digest"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
}

#[test]
fn memos_show_the_source_of_a_stake_and_of_each_designation() {
    let memo = eval_text(&[
        "--accept-small-lists",
        "--list",
        SDN_2024_05,
        "--transaction",
        "pay-subsidiary",
    ]);
    assert!(memo.contains(
        "owns 100 % of Silver Star Software OOO (silver-star-software), since 2019-02-01 [relation r1]; \
         source: Federal Tax Service of Russia, EGRUL extract 1197746000000 (published 2024-02-15, \
         retrieved 2024-02-20, asserted by analyst jdoe)."
    ), "{memo}");
    assert!(memo.contains(
        "; source: OFAC (US Treasury), OFAC SDN list of 2024-05-03, entry SDN 24978 (published 2024-05-03)."
    ), "{memo}");
    assert!(memo.contains("List: OFAC SDN list, published 2024-05-03 (as given), sha256:"));
}

/// OFAC's delimited files carry no listing dates: before the snapshot's publication date the
/// listing is unknown, and a block that relies on it fails closed to review (DESIGN.md, fail
/// closed), with the reason in the memo.
#[test]
fn ofac_listing_before_the_snapshot_date_is_unknown_and_goes_to_review() {
    let report = eval_json(&[
        "--accept-small-lists",
        "--list",
        SDN_2024_05,
        "--as-of",
        "2020-01-01",
    ]);
    for id in ["pay-volasys", "pay-subsidiary"] {
        let decision = decision(&report, id);
        assert_eq!(decision["outcome"], "review", "{id}");
        let reason = decision["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == "us_blocked_party")
            .unwrap();
        assert_eq!(reason["effect"], "review");
        // The cause is data; the message reads it aloud.
        let error = &reason["error"];
        assert_eq!(error["cause"], "listing_dates_unknown", "{reason}");
        assert_eq!(
            error["listings"][0]["name"], "VOLASYS SILVER STAR",
            "{reason}"
        );
        assert_eq!(error["listings"][0]["ref"], "SDN 24978", "{reason}");
        assert_eq!(error["listings"][0]["by"], "2024-05-03", "{reason}");
        assert!(
            reason["message"].as_str().unwrap().contains(
                "But the listing date of VOLASYS SILVER STAR on OFAC-SDN (SDN 24978) is unknown"
            ),
            "{reason}"
        );
    }
    // The note carries the dates as data: no earlier bound, listed by the snapshot's date.
    let note = &decision(&report, "pay-volasys")["notes"][0];
    assert_eq!(note["note"], "listing_date_unknown", "{note}");
    assert_eq!(note["by"], "2024-05-03", "{note}");
    assert!(note.get("after").is_none(), "{note}");
    let note: interdict::eval::Note = serde_json::from_value(note.clone()).unwrap();
    let text = interdict::explain::note(&note);
    assert!(
        text.contains("the earliest evidence of it (the list snapshot, or the first act that names it) is dated 2024-05-03"),
        "{text}"
    );
    // On or after the snapshot's date the listing is a fact, and the block stands.
    let report = eval_json(&[
        "--accept-small-lists",
        "--list",
        SDN_2024_05,
        "--as-of",
        "2024-05-03",
    ]);
    assert_eq!(decision(&report, "pay-volasys")["outcome"], "block");
    assert_eq!(decision(&report, "pay-subsidiary")["outcome"], "block");
}

#[test]
fn an_earlier_release_bounds_each_entrys_listing_date() {
    let flags = [
        "--accept-small-lists",
        "--list",
        SDN_2024_05,
        "--earlier",
        SDN_2021_07,
    ];
    // Volasys is in the 2021-07 release: listed by 2021-07-01, so blocked on 2022-01-01.
    // SEK Studio first shows in 2024-05: listed after 2021-07-01 and by 2024-05-03.
    let report = eval_json(&[&flags[..], &["--as-of", "2022-01-01"]].concat());
    assert_eq!(decision(&report, "pay-volasys")["outcome"], "block");
    let studio = decision(&report, "pay-studio");
    assert_eq!(studio["outcome"], "review");
    let listing = studio["reasons"][0]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "designation")
        .unwrap();
    assert_eq!(listing["unlisted_on"], "2021-07-01");
    assert_eq!(listing["listed_by"], "2024-05-03");
    // Before the earlier release, Volasys is unknown again and the studio known not yet listed.
    let report = eval_json(&[&flags[..], &["--as-of", "2021-06-30"]].concat());
    assert_eq!(decision(&report, "pay-volasys")["outcome"], "review");
    assert_eq!(decision(&report, "pay-studio")["outcome"], "allow");
    // The import report says what it did.
    let output = interdict(&[
        "import",
        "--accept-small-lists",
        "--list",
        SDN_2024_05,
        "--earlier",
        SDN_2021_07,
    ]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "listing dates bounded by the first release holding each entry: \
         3 first seen in the release of 2021-07-01, 3 first seen in the release of 2024-05-03"
        ),
        "{text}"
    );
}

#[test]
fn un_snapshot_takes_its_date_from_the_file_and_listing_dates_from_the_entries() {
    let mut release: Release = "un=tests/fixtures/lists/un_dprk_excerpt.xml"
        .parse()
        .unwrap();
    release.accept_small = true; // an excerpt
    let (import, snapshot) = lists::import_release(&release).unwrap();
    assert_eq!(snapshot.published, Some(date("2026-02-27")));
    assert_eq!(snapshot.published_from.as_deref(), Some("file"));
    let kpe001 = import
        .document
        .designations
        .iter()
        .find(|d| d.reference.as_deref() == Some("KPe.001"))
        .unwrap();
    // The UN list dates each entry, so nothing is left to bound.
    assert_eq!(kpe001.listed_on, Some(date("2009-04-24")));
    assert_eq!(kpe001.listed_by, None);
    assert_eq!(
        kpe001.source.as_ref().unwrap().document.as_deref(),
        Some("UN consolidated list (generated 2026-02-27) of 2026-02-27, entry KPe.001")
    );
    // The same date given by hand agrees; another contradicts the file and is an error.
    let mut same: Release = "un=tests/fixtures/lists/un_dprk_excerpt.xml@2026-02-27"
        .parse()
        .unwrap();
    same.accept_small = true; // an excerpt
    assert!(lists::import_release(&same).is_ok());
    let output = interdict(&[
        "import",
        "--accept-small-lists",
        "--list",
        "un=tests/fixtures/lists/un_dprk_excerpt.xml@2025-01-01",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "error: `tests/fixtures/lists/un_dprk_excerpt.xml` states it was published on 2026-02-27, \
         but 2025-01-01 was given with `@2025-01-01`; drop `@2025-01-01` or give `@2026-02-27`\n"
    );
}

#[test]
fn ftm_listing_dates_come_from_the_sanction_records() {
    let mut release: Release = "ftm=tests/fixtures/lists/ftm_small.ftm.json@2025-01-15"
        .parse()
        .unwrap();
    release.accept_small = true; // an excerpt
    let (import, snapshot) = lists::import_release(&release).unwrap();
    assert_eq!(snapshot.published, Some(date("2025-01-15")));
    assert_eq!(snapshot.published_from.as_deref(), Some("user"));
    let dated: Vec<_> = import
        .document
        .designations
        .iter()
        .filter(|d| d.listed_on.is_some())
        .collect();
    assert!(!dated.is_empty());
    assert!(dated.iter().all(|d| d.listed_by.is_none()));
    // Ownership reports read from the list carry the snapshot as their source.
    assert!(import.document.relations.iter().all(|r| r.source.is_some()));
}

#[test]
fn an_undated_ofac_snapshot_leaves_listing_dates_unbounded_and_says_so() {
    let mut release: Release = "ofac=tests/fixtures/lists/ofac_release_2024_05"
        .parse()
        .unwrap();
    release.accept_small = true; // an excerpt
    let (import, snapshot) = lists::import_release(&release).unwrap();
    assert_eq!(snapshot.published, None);
    assert!(snapshot.describe().contains("publication date unknown"));
    assert!(
        import
            .document
            .designations
            .iter()
            .all(|d| d.listed_by.is_none())
    );
}

#[test]
fn conflicting_ownership_reports_are_shown_with_their_sources_and_dates() {
    let facts = Facts::from_text(
        "conflict.yaml",
        r#"
entities:
  - {id: owner, kind: organization, name: Owner Holding}
  - {id: asset, kind: organization, name: Asset LLC}
  - {id: payer, kind: organization, name: Payer Inc.}
relations:
  - {id: r1, kind: owns, from: owner, to: asset, percent: 48,
     source: {publisher: Companies House, document: confirmation statement, published: 2023-03-01}}
  - {id: r2, kind: owns, from: owner, to: asset, percent: 51,
     source: {publisher: Kroll, document: due diligence report 17, published: 2024-01-10}}
designations:
  - {entity: owner, list: OFAC-SDN, programs: [DPRK3], listed_on: 2020-01-01}
transactions:
  - id: t1
    kind: payment
    date: 2024-06-01
    parties: [{role: originator, entity: payer}, {role: beneficiary, entity: asset}]
"#,
    )
    .unwrap();
    let policies = PolicySet::load(&[crate::at("policies/")]).unwrap();
    let decision = policies.decide(&facts, &facts.transactions()[0], None);
    assert_eq!(decision.outcome, Outcome::Block);
    let memo = interdict::explain::memo(&decision);
    assert!(
        memo.contains(
            "the stake of Owner Holding is reported 2 times (48 % according to Companies House, \
         confirmation statement (published 2023-03-01); 51 % according to Kroll, due diligence \
         report 17 (published 2024-01-10)); the highest, 51 %, is counted"
        ),
        "{memo}"
    );
}

/// The EU list: the snapshot's date from `generationDate`; without `designationDate` (older
/// files) the earliest Official Journal act naming the entry bounds its listing date, and a
/// decision before it fails closed to review (the EU freeze, Art. 215 TFEU, starts with the act).
#[test]
fn eu_listing_dates_are_bounded_by_the_earliest_act_that_names_the_entry() {
    let mut release: Release = "eu=tests/fixtures/lists/eu_fsf_2018_excerpt.xml"
        .parse()
        .unwrap();
    release.accept_small = true; // an excerpt
    let (import, snapshot) = lists::import_release(&release).unwrap();
    assert_eq!(snapshot.published, Some(date("2018-12-21")));
    assert_eq!(snapshot.published_from.as_deref(), Some("file"));
    let entity = |id: &str| {
        import
            .document
            .entities
            .iter()
            .find(|e| e.id == id)
            .unwrap()
    };
    assert_eq!(entity("eu-EU.36.64").name, "Robert Gabriel Mugabe");
    assert_eq!(
        entity("eu-EU.36.64").kind,
        interdict::facts::EntityKind::Person
    );
    assert!(
        entity("eu-EU.3523.13")
            .aliases
            .iter()
            .any(|a| a == "IBDA-C")
    );
    let mugabe = serde_json::to_value(entity("eu-EU.36.64")).unwrap();
    assert_eq!(mugabe["birth_date"], "1924-02-21");
    assert_eq!(mugabe["gender"], "male");
    assert_eq!(mugabe["identifiers"][0]["type"], "passport");
    assert_eq!(mugabe["identifiers"][0]["value"], "AD001095");
    let designation = |reference: &str| {
        import
            .document
            .designations
            .iter()
            .find(|d| d.reference.as_deref() == Some(reference))
            .unwrap()
    };
    assert_eq!(designation("EU.36.64").programs, ["ZWE"]);
    assert_eq!(designation("EU.36.64").listed_on, None);
    assert_eq!(designation("EU.36.64").listed_by, Some(date("2005-06-16")));
    assert_eq!(
        designation("EU.3523.13").listed_by,
        Some(date("2003-12-22"))
    );
    assert_eq!(
        designation("EU.3523.13").measure,
        Some(interdict::facts::Measure::AssetFreeze)
    );

    let eval = |as_of: &str| {
        let output = interdict(&[
            "eval",
            "--policy",
            "policies/",
            "--facts",
            "tests/fixtures/provenance/eu_payment.yaml",
            "--accept-small-lists",
            "--list",
            "eu=tests/fixtures/lists/eu_fsf_2018_excerpt.xml",
            "--as-of",
            as_of,
            "--format",
            "json",
        ]);
        assert_eq!(output.status.code(), Some(0));
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    let before = eval("2004-01-01");
    assert_eq!(
        decision(&before, "pay-eu")["jurisdictions"]["EU"]["outcome"],
        "review"
    );
    let after = eval("2010-01-01");
    assert_eq!(
        decision(&after, "pay-eu")["jurisdictions"]["EU"]["outcome"],
        "block"
    );
}

#[test]
fn a_cut_eu_file_is_an_error_naming_the_file_and_line() {
    let text =
        std::fs::read_to_string(crate::at("tests/fixtures/lists/eu_fsf_2018_excerpt.xml")).unwrap();
    let cut = &text[..text.find("<sanctionEntity designationDetails=\"\" unitedNationId=\"\" euReferenceNumber=\"EU.3523.13\"").unwrap() + 40];
    let path = std::env::temp_dir().join(format!("interdict-eu-cut-{}.xml", std::process::id()));
    std::fs::write(&path, cut).unwrap();
    let error = interdict::lists::import(interdict::lists::ListKind::Eu, &path).unwrap_err();
    assert_eq!(error.file(), Some(path.display().to_string().as_str()));
    assert!(error.to_string().contains("truncated"), "{error}");
    let _ = std::fs::remove_file(&path);
}
