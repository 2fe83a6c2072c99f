//! The UK list importer (OFSI's `ConList.csv`, 2022 format), issue 11.
//!
//! The fixture holds four DPRK targets in the ConList layout, with the names, aliases, addresses,
//! dates of birth and listing dates the UN consolidated list gives for them (KPe.001-003, KPi.001);
//! the UK carried them over from EU law, so `UK Sanctions List Date Designated` is 31/12/2020.
//! No published ConList file was at hand to copy rows from: the layout and the facts are real, but
//! the Group IDs (11122-11139) and the `Last Updated` date are not checked against OFSI's file.

use interdict::Date;
use interdict::facts::{EntityKind, Measure};
use interdict::lists::{self, Damage, ListKind, Release};
use serde_json::Value;

use crate::cli::interdict;

const FIXTURE: &str = "tests/fixtures/lists/uk_conlist_dprk.csv";

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

#[test]
fn imports_one_entity_per_group_with_regime_dates_and_measure() {
    let mut release: Release = format!("uk={FIXTURE}").parse().unwrap();
    release.accept_small = true; // an excerpt
    let (import, snapshot) = lists::import_release(&release).unwrap();
    assert_eq!(snapshot.published, Some(date("2021-01-28")));
    assert_eq!(snapshot.published_from.as_deref(), Some("file"));
    assert_eq!(snapshot.publisher, "HM Treasury (OFSI)");
    assert_eq!(import.report.counts.records, 12);
    assert_eq!(import.document.entities.len(), 4);
    assert_eq!(import.document.designations.len(), 4);
    let entity = |id: &str| {
        import
            .document
            .entities
            .iter()
            .find(|e| e.id == id)
            .unwrap()
    };
    let komid = entity("uk-11122");
    assert_eq!(komid.name, "KOREA MINING DEVELOPMENT TRADING CORPORATION");
    assert_eq!(komid.kind, EntityKind::Organization);
    assert_eq!(komid.country.as_deref(), Some("KP"));
    assert!(
        komid
            .aliases
            .iter()
            .any(|a| a == "CHANGGWANG SINYONG CORPORATION")
    );
    // `Alias Quality` Low: kept, but out of the aliases screening uses by default.
    assert!(!komid.aliases.iter().any(|a| a == "KOMID"));
    assert!(
        serde_json::to_string(&komid.attributes)
            .unwrap()
            .contains("KOMID")
    );
    // The primary name is the `Primary name` row, even when an alias row comes first.
    let ryonbong = entity("uk-11123");
    assert_eq!(ryonbong.name, "KOREA RYONBONG GENERAL CORPORATION");
    assert!(
        ryonbong
            .aliases
            .iter()
            .any(|a| a == "KOREA YONBONG GENERAL CORPORATION")
    );
    assert!(!ryonbong.aliases.iter().any(|a| a == &ryonbong.name));
    let yun = entity("uk-11139");
    assert_eq!(yun.name, "Ho-jin YUN");
    assert_eq!(yun.kind, EntityKind::Person);
    assert_eq!(yun.nationality.as_deref(), Some("KP"));
    assert_eq!(yun.aliases, ["Ho-chin YUN"]);
    let yun = serde_json::to_value(yun).unwrap();
    assert_eq!(
        yun["attributes"]["regimes"][0],
        "Democratic People's Republic of Korea"
    );
    assert_eq!(yun["birth_date"], "1944-10-13");

    for designation in &import.document.designations {
        assert_eq!(designation.list, "UK");
        // OFSI's regime name under the tag the program table knows (UK-DPRK).
        assert_eq!(designation.programs, ["DPRK"]);
        assert_eq!(designation.measure, Some(Measure::AssetFreeze));
    }
    let listed = |reference: &str| {
        import
            .document
            .designations
            .iter()
            .find(|d| d.reference.as_deref() == Some(reference))
            .unwrap()
            .listed_on
    };
    assert_eq!(listed("11122"), Some(date("2009-04-24")));
    assert_eq!(listed("11139"), Some(date("2009-07-16")));
}

#[test]
fn a_stated_date_that_contradicts_the_one_given_is_an_error() {
    let mut release: Release = format!("uk={FIXTURE}@2021-02-01").parse().unwrap();
    release.accept_small = true; // an excerpt
    let error = lists::import_release(&release).unwrap_err();
    assert!(error.to_string().contains("2021-01-28"), "{error}");
}

fn eval(lists: &[&str], as_of: &str) -> Value {
    let mut args = vec![
        "eval",
        "--policy",
        "policies/",
        "--facts",
        "tests/fixtures/uk/payment.yaml",
        "--as-of",
        as_of,
        "--format",
        "json",
    ];
    for list in lists {
        args.extend(["--accept-small-lists", "--list", list]);
    }
    let output = interdict(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// OFSI: a designated person's funds are frozen (Sanctions and Anti-Money Laundering Act 2018;
/// OFSI's consolidated list is the list of asset-freeze targets). A UK listing binds in the UK
/// only: US and EU law have their own lists, so there it is a red flag, not a freeze. (All three
/// still block the payment on the DPRK embargo, the party being in North Korea; the freeze is
/// what is asserted here.)
#[test]
fn a_party_only_on_the_uk_list_is_a_freeze_under_uk_and_not_under_us_or_eu() {
    let uk_list = format!("uk={FIXTURE}");
    let report = eval(&[&uk_list], "2021-03-01");
    let decision = report["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["transaction"] == "pay-uk")
        .unwrap();
    let reasons = |j: &str| -> Vec<String> {
        decision["jurisdictions"][j]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_owned())
            .collect()
    };
    let frozen = |j: &str| {
        reasons(j)
            .iter()
            .any(|r| r.ends_with("_frozen_party") || r.ends_with("_blocked_party"))
    };
    assert_eq!(decision["jurisdictions"]["UK"]["outcome"], "block");
    assert!(
        reasons("UK").contains(&"uk_frozen_party".to_owned()),
        "{decision:#}"
    );
    assert!(!frozen("US"), "{decision:#}");
    assert!(!frozen("EU"), "{decision:#}");
    assert!(reasons("US").contains(&"us_listed_elsewhere_only".to_owned()));
    assert!(reasons("EU").contains(&"eu_listed_elsewhere_only".to_owned()));
    // Before the listing date the UK list does not freeze.
    let before = eval(&[&uk_list], "2009-01-01");
    let decision = before["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["transaction"] == "pay-uk")
        .unwrap();
    let uk_reasons = decision["jurisdictions"]["UK"]["reasons"].to_string();
    assert!(!uk_reasons.contains("uk_frozen_party"), "{decision:#}");
}

#[test]
fn a_truncated_file_is_an_error_naming_the_file_and_line() {
    let text = std::fs::read_to_string(crate::at(FIXTURE)).unwrap();
    let cut = &text[..text.find("TANCHON COMMERCIAL BANK").unwrap() + 60];
    let path = std::env::temp_dir().join(format!("interdict-uk-cut-{}.csv", std::process::id()));
    std::fs::write(&path, cut).unwrap();
    let error = lists::import(ListKind::Uk, &path).unwrap_err();
    let _ = std::fs::remove_file(&path);
    assert_eq!(error.file(), Some(path.display().to_string().as_str()));
    assert_eq!(error.line(), Some(10));
    assert_eq!(error.damage(), Some(Damage::Truncated));
    assert!(error.to_string().contains("truncated"), "{error}");
}

#[test]
fn a_bad_listing_date_or_a_missing_column_is_an_error_with_its_line() {
    let text = std::fs::read_to_string(crate::at(FIXTURE)).unwrap();
    let write = |tag: &str, body: &str| {
        let path =
            std::env::temp_dir().join(format!("interdict-uk-{tag}-{}.csv", std::process::id()));
        std::fs::write(&path, body).unwrap();
        let error = lists::import(ListKind::Uk, &path).unwrap_err();
        let _ = std::fs::remove_file(&path);
        error
    };
    let error = write("date", &text.replacen("24/04/2009", "2009-04-24", 1));
    assert_eq!(error.line(), Some(3));
    assert!(error.to_string().contains("Listed On"), "{error}");
    let error = write("column", &text.replacen(",Group ID", ",Group", 1));
    assert_eq!(error.line(), Some(2));
    assert!(error.to_string().contains("`Group ID`"), "{error}");
}

/// Columns are found by name, so a file with fewer or more columns reads; a `Sanctions Imposed`
/// column gives one designation per measure, and passport numbers reach the identity fields.
/// The row is made up for the test (no such person is listed).
#[test]
fn sanctions_imposed_and_passports_where_the_file_has_them() {
    let body = "Last Updated,01/03/2022\n\
        Name 6,Name 1,Group Type,Regime,Listed On,Group ID,Passport Number,Sanctions Imposed\n\
        EXAMPLE,Person,Individual,Russia,01/03/2022,99999,AB1234567,Asset freeze|Travel ban\n";
    let path = std::env::temp_dir().join(format!("interdict-uk-cols-{}.csv", std::process::id()));
    std::fs::write(&path, body).unwrap();
    let import = lists::import(ListKind::Uk, &path).unwrap();
    let _ = std::fs::remove_file(&path);
    let measures: Vec<_> = import
        .document
        .designations
        .iter()
        .map(|d| (d.programs.clone(), d.measure))
        .collect();
    assert_eq!(
        measures,
        [
            (vec![String::from("RUSSIA")], Some(Measure::AssetFreeze)),
            (vec![String::from("RUSSIA")], Some(Measure::TravelBan)),
        ]
    );
    let person = serde_json::to_value(&import.document.entities[0]).unwrap();
    assert_eq!(person["name"], "Person EXAMPLE");
    assert_eq!(person["identifiers"][0]["type"], "passport");
    assert_eq!(person["identifiers"][0]["value"], "AB1234567");
}
