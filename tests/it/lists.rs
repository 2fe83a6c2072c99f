//! List importers: the real OFAC, UN and OpenSanctions files (from `INTERDICT_DATA`, by default
//! `<crate root>/../shared/data`; skipped with a note when absent,
//! and failing when `INTERDICT_REQUIRE_DATA` is set), small hand-made lists under
//! `tests/fixtures/lists/`, and damaged files, each of which must fail with the file, the line and
//! what is wrong — never a panic.

use std::path::PathBuf;

use interdict::Facts;
use interdict::facts::{AttributeValue, EntityRecord, FactsDocument, RelationKind};
use interdict::lists::{self, Damage, Import, IssueKind, ListError, ListKind, ofac, un};

/// Where this module's fixtures live, relative to the crate root.
const FIXTURES: &str = "tests/fixtures/lists";

/// A fixture path.
fn fixture(name: &str) -> PathBuf {
    crate::at(FIXTURES).join(name)
}

/// The shared reference data folder, or `None` (with a note) when it is not there.
fn data() -> Option<PathBuf> {
    crate::reference_data()
}

/// The entity with `id`.
fn entity<'d>(document: &'d FactsDocument, id: &str) -> &'d EntityRecord {
    document
        .entities
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("entity {id} is missing"))
}

/// The programs of `id`'s designations on `list`.
fn programs(document: &FactsDocument, id: &str, list: &str) -> Vec<String> {
    document
        .designations
        .iter()
        .filter(|d| d.entity == id && d.list == list)
        .flat_map(|d| d.programs.clone())
        .collect()
}

/// The text values of a list (or single) attribute.
fn texts(entity: &EntityRecord, key: &str) -> Vec<String> {
    match entity.attributes.get(key) {
        Some(AttributeValue::List(items)) => items
            .iter()
            .filter_map(|v| match v {
                AttributeValue::Text(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
        Some(AttributeValue::Text(t)) => vec![t.clone()],
        _ => Vec::new(),
    }
}

/// The records load into the entity store (ids unique, references resolved, dates in order).
fn loads(import: &Import) -> Facts {
    Facts::from_document(&import.report.list, import.document.clone())
        .unwrap_or_else(|e| panic!("{} does not load: {e}", import.report.list))
}

/// The error of a damaged file, checked to name the file and the line.
fn damaged(result: Result<Import, ListError>, file: &str, line: u64, damage: Damage) -> String {
    let error = match result {
        Ok(import) => panic!("{file} imported although damaged:\n{}", import.report),
        Err(error) => error,
    };
    let text = error.to_string();
    assert!(
        error.file().is_some_and(|f| f.ends_with(file)),
        "error names another file: {text}"
    );
    assert_eq!(error.line(), Some(line), "wrong line in: {text}");
    assert_eq!(error.damage(), Some(damage), "wrong damage in: {text}");
    assert!(
        text.contains(&format!("{file}:{line}: ")),
        "message lacks file:line: {text}"
    );
    text
}

// ---------------------------------------------------------------- real data

#[test]
fn ofac_2021_07_imports_every_entry_with_the_silver_star_case() {
    let Some(data) = data() else { return };
    let import = ofac::import(&data.join("ofac/2021-07")).unwrap();
    let (document, report) = (&import.document, &import.report);
    assert_eq!(report.counts.records, 8_976);
    assert_eq!(document.entities.len(), 8_976);
    assert_eq!(document.designations.len(), 8_976);
    assert_eq!(report.counts.persons, 4_620);
    assert_eq!(report.counts.orphan_rows, 0, "{report}");
    // Every date of birth reads, ranges and `circa` included (`01 Jan 1961 to 31 Dec 1962`,
    // `circa 07 Jul 1966`, `circa 1979-1982`): none is left for screening to miss.
    assert_eq!(report.count(IssueKind::BadDate), 0, "{report}");

    assert_eq!(
        programs(document, "ofac-24977", "OFAC-SDN"),
        ["DPRK3", "DPRK4"]
    );
    assert_eq!(
        programs(document, "ofac-24978", "OFAC-SDN"),
        ["DPRK3", "DPRK4"]
    );
    assert_eq!(programs(document, "ofac-24979", "OFAC-SDN"), ["DPRK4"]);
    let reference = document
        .designations
        .iter()
        .find(|d| d.entity == "ofac-24978")
        .and_then(|d| d.reference.clone());
    assert_eq!(reference.as_deref(), Some("SDN 24978"));

    let yanbian = entity(document, "ofac-24977");
    assert_eq!(
        yanbian.name,
        "YANBIAN SILVERSTAR NETWORK TECHNOLOGY CO., LTD."
    );
    assert_eq!(yanbian.aliases.len(), 7, "{:?}", yanbian.aliases);
    assert!(
        yanbian
            .aliases
            .iter()
            .any(|a| a == "CHINA SILVER STAR INTERNET TECHNOLOGY COMPANY")
    );
    assert_eq!(texts(yanbian, "uscc"), ["91222401MA0Y31E659"]);
    assert_eq!(yanbian.country.as_deref(), Some("CN"));
    assert_eq!(
        entity(document, "ofac-24978").country.as_deref(),
        Some("RU")
    );

    let jong = entity(document, "ofac-24979");
    assert_eq!(jong.name, "JONG, Song Hwa");
    assert_eq!(jong.kind.keyword(), "person");
    assert_eq!(jong.nationality.as_deref(), Some("KP"));
    assert_eq!(texts(jong, "dob"), ["1970-02-05"]);
    assert_eq!(texts(jong, "passports"), ["927220230"]);
    assert!(texts(jong, "identifiers").contains(&"Passport 927220230 (Korea, North)".to_owned()));
    assert_eq!(texts(jong, "gender"), ["Male"]);

    // 28263's remarks are cut mid-alias at 1,000 characters and end in sdn_comments.csv with
    // `Linked To: LAZARUS GROUP.`: the continuation must be joined and the link resolved.
    let lazarus = document
        .entities
        .iter()
        .find(|e| e.name == "LAZARUS GROUP")
        .map(|e| e.id.clone())
        .unwrap();
    assert!(
        document
            .relations
            .iter()
            .any(|r| r.kind == RelationKind::LinkedTo && r.from == "ofac-28263" && r.to == lazarus)
    );
    assert!(
        entity(document, "ofac-28263")
            .aliases
            .iter()
            .any(|a| a == "snowsjohn")
    );
    assert!(report.counts.links_resolved > 3_000, "{report}");
    assert_eq!(
        report.count(IssueKind::NoEndMarker),
        1,
        "sdn_comments.csv has no 0x1A"
    );
    loads(&import);
}

#[test]
fn ofac_2024_sdn_with_2025_side_files_reports_its_orphans() {
    let Some(data) = data() else { return };
    let files = ofac::OfacFiles {
        sdn: data.join("ofac/2024-05/sdn.csv"),
        alt: Some(data.join("ofac/2025-12/alt.csv")),
        add: Some(data.join("ofac/2025-12/add.csv")),
        comments: Some(data.join("ofac/2025-12/sdn_comments.csv")),
    };
    let import = ofac::import_files(&files).unwrap();
    let report = &import.report;
    assert_eq!(import.document.entities.len(), 14_965);
    assert_eq!(report.count(IssueKind::BadDate), 0, "{report}");
    // 2,460 alias rows (for 1,567 entries: the data README's "about 1,500") and 4,893 address
    // rows (594 of them OFAC's empty placeholder) belong to entries missing from the May 2024 file.
    let aliases = report.issue(IssueKind::OrphanAlias).unwrap();
    assert!((2_000..=3_000).contains(&aliases.count), "{report}");
    let addresses = report.issue(IssueKind::OrphanAddress).unwrap();
    assert!((4_000..=5_500).contains(&addresses.count), "{report}");
    assert!(
        (1_500..=5_000).contains(&report.counts.orphan_entries),
        "{report}"
    );
    assert_eq!(
        report.counts.orphan_rows,
        aliases.count + addresses.count + report.count(IssueKind::OrphanContinuation)
    );
    assert_eq!(aliases.examples.len(), 5);
    assert!(
        aliases.examples[0].starts_with("alt.csv:") && aliases.examples[0].contains("ent_num"),
        "{:?}",
        aliases.examples
    );
    // Five 2025 continuations belong to 2024 remarks that were not cut: not appended.
    assert_eq!(report.count(IssueKind::StaleContinuation), 5, "{report}");
    // The orphans are in the summary an analyst reads.
    let summary = report.to_string();
    assert!(
        summary.contains("alias rows whose entry is not in sdn.csv"),
        "{summary}"
    );
    assert!(summary.contains("orphan rows"), "{summary}");
    loads(&import);
}

#[test]
fn un_consolidated_list_imports_individuals_and_entities_under_their_regime() {
    let Some(data) = data() else { return };
    let import = un::import(&data.join("un/consolidated-2026-02-27.xml")).unwrap();
    let (document, report) = (&import.document, &import.report);
    assert_eq!(report.counts.persons, 730);
    assert_eq!(report.counts.organizations, 273);
    assert_eq!(document.designations.len(), 1_003);
    assert!(report.list.contains("2026-02-27"), "{}", report.list);
    let korean: Vec<_> = document
        .designations
        .iter()
        .filter(|d| d.reference.as_deref().is_some_and(|r| r.starts_with("KP")))
        .collect();
    assert_eq!(korean.len(), 155);
    assert!(
        korean
            .iter()
            .all(|d| d.list == "UN" && d.programs == ["DPRK"])
    );

    let yun = entity(document, "un-KPi.001");
    assert_eq!(yun.name, "YUN HO-JIN");
    assert_eq!(texts(yun, "family_name"), ["YUN"]);
    assert_eq!(texts(yun, "given_names"), ["HO-JIN"]);
    assert_eq!(yun.nationality.as_deref(), Some("KP"));
    assert_eq!(texts(yun, "dob"), ["1944-10-13"]);
    let komid = entity(document, "un-KPe.001");
    assert_eq!(komid.name, "KOREA MINING DEVELOPMENT TRADING CORPORATION");
    assert!(
        komid.aliases.iter().any(|a| a == "KOMID"),
        "{:?}",
        komid.aliases
    );
    let listed = document
        .designations
        .iter()
        .find(|d| d.entity == "un-KPe.001")
        .and_then(|d| d.listed_on)
        .map(|d| d.to_string());
    assert_eq!(listed.as_deref(), Some("2009-04-24"));
    assert!(
        report.counts.weak_aliases > 0,
        "Low-quality aliases are kept apart"
    );
    loads(&import);
}

#[test]
fn zala_keeps_every_reported_stake_and_counts_the_conflict() {
    let Some(data) = data() else { return };
    let import = lists::ftm::import(&data.join("opensanctions/zala.ftm.json")).unwrap();
    let (document, report) = (&import.document, &import.report);
    let zakharov = document
        .entities
        .iter()
        .find(|e| e.name == "Alexander Vyacheslavovich ZAKHAROV")
        .unwrap();
    let cst = document
        .entities
        .iter()
        .find(|e| e.name == "LLC CST")
        .unwrap();
    let mut stakes: Vec<Option<f64>> = document
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::Owns && r.from == zakharov.id && r.to == cst.id)
        .map(|r| r.percent)
        .collect();
    stakes.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(stakes, [Some(48.0), Some(50.0), Some(51.0)]);
    assert_eq!(report.counts.conflicting_edges, 3, "{report}");
    let conflict = report.issue(IssueKind::ConflictingStake).unwrap();
    assert!(
        conflict.examples[0].contains("48 %, 50 %, 51 %"),
        "{conflict:?}"
    );

    // Stakes without a percentage stay, as edges with none.
    let without: Vec<_> = document
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::Owns && r.percent.is_none())
        .collect();
    assert_eq!(without.len(), 4);
    assert_eq!(report.counts.stakes_without_percentage, 4);
    assert!(
        without
            .iter()
            .any(|r| r.to == cst.id && r.role.as_deref() == Some("subsidiary of"))
    );

    assert_eq!(
        document
            .relations
            .iter()
            .filter(|r| r.kind == RelationKind::DirectorOf)
            .count(),
        3
    );
    // Sanction records: OFAC, EU and UK bodies map onto the engine's lists.
    assert!(programs(document, &cst.id, "OFAC-SDN").contains(&"RUSSIA-EO14024".to_owned()));
    assert!(programs(document, &cst.id, "EU").contains(&"EU-UKR".to_owned()));
    assert!(
        document
            .designations
            .iter()
            .any(|d| d.entity == zakharov.id && d.list == "UK")
    );
    loads(&import);
}

#[test]
fn t1_sample_designates_from_its_dataset() {
    let Some(data) = data() else { return };
    let import = lists::ftm::import(&data.join("opensanctions/t1.ftm.json")).unwrap();
    assert_eq!(import.report.counts.entities, 6);
    assert_eq!(import.report.designations_by_list.get("EU"), Some(&6));
    assert_eq!(import.report.count(IssueKind::DerivedDesignation), 6);
    loads(&import);
}

// ---------------------------------------------------------------- hand-made lists

#[test]
fn small_ofac_set_resolves_links_joins_remarks_and_reports_what_it_cannot_use() {
    let import = lists::import(ListKind::Ofac, &fixture("ofac_small")).unwrap();
    let (document, report) = (&import.document, &import.report);
    // The repeated 101 is reported, not imported twice.
    assert_eq!(document.entities.len(), 7);
    assert_eq!(report.count(IssueKind::DuplicateEntry), 1);

    let company = entity(document, "ofac-101");
    // `a.k.a. 'SST'` in remarks and `fka SST` in alt.csv are one alias.
    assert_eq!(company.aliases, ["SST", "CHINA SILVER STAR TEST COMPANY"]);
    assert_eq!(
        texts(company, "addresses"),
        ["1 Test Road, Yanji, Jilin, China"]
    );

    let person = entity(document, "ofac-103");
    assert_eq!(texts(person, "dob"), ["1970-02-05", "circa 1972"]);
    assert_eq!(
        texts(person, "digital_currency_addresses"),
        ["1TestAddress"]
    );
    assert_eq!(person.nationality.as_deref(), Some("KP"));
    // `Member of a test club`, and 107's filler clause.
    assert_eq!(report.count(IssueKind::UnstructuredRemark), 2);
    let unstructured = report.issue(IssueKind::UnstructuredRemark).unwrap();
    assert!(
        unstructured
            .examples
            .iter()
            .any(|e| e.starts_with("Member of a test club"))
    );
    assert!(texts(person, "remarks")[0].contains("Member of a test club"));

    let linked: Vec<(&str, &str)> = document
        .relations
        .iter()
        .map(|r| (r.from.as_str(), r.to.as_str()))
        .collect();
    // 102 → 101 by name (trailing period ignored); 107 → 102 only after the continuation is joined.
    assert!(linked.contains(&("ofac-102", "ofac-101")), "{linked:?}");
    assert!(linked.contains(&("ofac-107", "ofac-102")), "{linked:?}");
    assert_eq!(report.count(IssueKind::UnresolvedLink), 1);
    assert_eq!(
        report.count(IssueKind::AmbiguousLink),
        1,
        "TWIN NAME CO. is two entries"
    );
    assert_eq!(report.counts.links_resolved, 3);
    assert_eq!(report.counts.links_unresolved, 2);

    assert_eq!(report.count(IssueKind::OrphanAlias), 1);
    assert_eq!(report.count(IssueKind::OrphanAddress), 1);
    assert_eq!(report.count(IssueKind::OrphanContinuation), 1);
    assert_eq!(report.counts.orphan_entries, 3);
    assert_eq!(
        report.count(IssueKind::StaleContinuation),
        1,
        "103's remarks were not cut"
    );
    assert_eq!(entity(document, "ofac-106").kind.keyword(), "vessel");
    assert!(report.issue(IssueKind::OrphanAlias).unwrap().examples[0].contains("DESIGNATED LATER"));
    loads(&import);
}

#[test]
fn small_un_list_reads_aliases_by_quality_dates_and_documents() {
    let import = un::import(&fixture("un_small.xml")).unwrap();
    let (document, report) = (&import.document, &import.report);
    let kim = entity(document, "un-KPi.901");
    assert_eq!(kim.name, "KIM TEST-HO");
    assert_eq!(kim.aliases, ["Kim Tae-ho"]);
    assert_eq!(texts(kim, "weak_aliases"), ["Tiger"]);
    assert_eq!(texts(kim, "dob"), ["1970-02-05", "circa 1971"]);
    assert_eq!(texts(kim, "passports"), ["900000001"]);
    assert_eq!(
        texts(kim, "comments"),
        ["A hand-made test record & not a real person."]
    );
    let corp = entity(document, "un-KPe.901");
    assert_eq!(corp.aliases, ["TMTC"]);
    let listed: Vec<Option<String>> = document
        .designations
        .iter()
        .map(|d| d.listed_on.map(|d| d.to_string()))
        .collect();
    assert_eq!(
        listed,
        [
            Some("2017-08-05".to_owned()),
            Some("2009-04-24".to_owned()),
            None
        ]
    );
    assert_eq!(report.count(IssueKind::BadDate), 1, "`sometime in 2001`");
    assert_eq!(report.count(IssueKind::UnusedRecord), 1, "<FUTURE_FIELD>");
    loads(&import);
}

#[test]
fn small_ftm_file_keeps_conflicting_and_incomplete_stakes() {
    let import = lists::import(ListKind::Ftm, &fixture("ftm_small.ftm.json")).unwrap();
    let (document, report) = (&import.document, &import.report);
    let stakes: Vec<Option<f64>> = document
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::Owns)
        .map(|r| r.percent)
        .collect();
    // 48, 50, 51, none, and 150 % kept as an edge without a percentage; the ghost owner dropped.
    assert_eq!(stakes, [Some(48.0), Some(50.0), Some(51.0), None, None]);
    assert_eq!(report.counts.conflicting_edges, 5);
    assert_eq!(report.counts.stakes_without_percentage, 2);
    assert_eq!(report.count(IssueKind::BadPercentage), 1);
    assert_eq!(report.count(IssueKind::DanglingReference), 1);
    assert_eq!(report.count(IssueKind::UnusedRecord), 1, "the Note record");
    let own51 = document
        .relations
        .iter()
        .find(|r| r.id.as_deref() == Some("ftm-own-51"))
        .unwrap();
    assert_eq!(
        own51.start.map(|d| d.to_string()).as_deref(),
        Some("2015-01-01")
    );

    let asset = entity(document, "ftm-asset-1");
    assert_eq!(asset.country.as_deref(), Some("RU"));
    assert_eq!(texts(asset, "addresses"), ["1 Test Street, Moscow"]);
    assert_eq!(texts(asset, "weak_aliases"), ["TA"]);
    let owner = entity(document, "ftm-owner-1");
    assert_eq!(texts(owner, "identifiers"), ["INN 770000000001"]);
    assert_eq!(texts(owner, "dob"), ["1970-02-05"]);
    assert_eq!(owner.aliases, ["Тест Владелец"]);

    let designations: Vec<(&str, &str)> = document
        .designations
        .iter()
        .map(|d| (d.entity.as_str(), d.list.as_str()))
        .collect();
    assert_eq!(
        designations,
        [
            ("ftm-asset-1", "OFAC-SDN"),
            ("ftm-asset-1", "Ministry of Finance (JP)"),
            ("ftm-owner-1", "OFAC-SDN"),
        ]
    );
    let japan = document.designations.get(1).unwrap();
    assert_eq!(
        japan.delisted_on.map(|d| d.to_string()).as_deref(),
        Some("2034-06-21")
    );
    loads(&import);
}

#[test]
fn list_kinds_read_from_text() {
    assert_eq!("ofac".parse::<ListKind>().unwrap(), ListKind::Ofac);
    assert_eq!(" UN ".parse::<ListKind>().unwrap(), ListKind::Un);
    assert_eq!("ftm".parse::<ListKind>().unwrap(), ListKind::Ftm);
    assert_eq!("eu".parse::<ListKind>().unwrap(), ListKind::Eu);
    assert_eq!("uk".parse::<ListKind>().unwrap(), ListKind::Uk);
    let error = "ch".parse::<ListKind>().unwrap_err();
    assert!(
        error
            .to_string()
            .contains("use `ofac`, `ofac-cons`, `un`, `ftm`, `eu` or `uk`"),
        "{error}"
    );
}

#[test]
fn report_reads_as_a_summary() {
    let import = ofac::import(&fixture("ofac_small")).unwrap();
    let summary = import.report.to_string();
    for expected in [
        "OFAC SDN list: 8 records read from",
        "imported 7 entities (1 persons, 5 organizations, 1 vessels, 0 aircraft)",
        "7 designations (OFAC-SDN 7)",
        "`Linked To:` names: 3 resolved, 2 unresolved",
        "not used:",
        "e.g. alt.csv:3: ent_num 999 \"DESIGNATED LATER LTD.\"",
    ] {
        assert!(
            summary.contains(expected),
            "missing `{expected}` in:\n{summary}"
        );
    }
}

// ---------------------------------------------------------------- merging

#[test]
fn merge_joins_user_facts_with_lists() {
    let list = ofac::import(&fixture("ofac_small")).unwrap();
    // The user's own facts refer to a list entity by its namespaced id.
    let user: FactsDocument = serde_json::from_value(serde_json::json!({
        "entities": [{"id": "acme", "kind": "organization", "name": "Acme Analytics Inc."}],
        "relations": [{"kind": "owns", "from": "ofac-102", "to": "acme", "percent": 60}],
    }))
    .unwrap();
    let merged = lists::merge([("facts.yaml", user), ("OFAC SDN", list.document)]).unwrap();
    let facts = Facts::from_document("merged", merged).unwrap();
    assert_eq!(facts.entity_count(), 8);
    let owner = facts.entity_index("ofac-102").unwrap();
    let acme = facts.entity_index("acme").unwrap();
    let relation = facts.relation(0).unwrap();
    assert_eq!((relation.from, relation.to), (owner, acme));
    assert_eq!(
        relation.id, "r1",
        "the user's relation keeps its generated id"
    );
}

#[test]
fn merge_reports_every_clash_instead_of_overwriting() {
    let list = ofac::import(&fixture("ofac_small")).unwrap();
    let again = ofac::import(&fixture("ofac_small")).unwrap();
    let error = lists::merge([("first", list.document), ("second", again.document)]).unwrap_err();
    // 7 entities and 3 relations, each used by both.
    assert_eq!(error.clashes.len(), 10);
    assert_eq!(error.clashes[0].section, "entity");
    assert_eq!(error.clashes[0].id, "ofac-101");
    let text = error.to_string();
    assert!(
        text.contains("entity id `ofac-101` is in both `first` and `second`"),
        "{text}"
    );
    assert!(text.contains("and 5 more"), "{text}");
}

// ---------------------------------------------------------------- damaged files

#[test]
fn truncated_csv_row_names_the_last_line() {
    let text = damaged(
        ofac::import(&fixture("ofac_truncated")),
        "sdn.csv",
        3,
        Damage::Truncated,
    );
    assert!(text.contains("truncated"), "{text}");
}

#[test]
fn unterminated_quote_is_reported_on_its_own_line() {
    let text = damaged(
        ofac::import(&fixture("ofac_unterminated_quote")),
        "sdn.csv",
        2,
        Damage::Csv,
    );
    assert!(
        text.contains("field 2 opens a quote that is not closed on this line"),
        "{text}"
    );
}

#[test]
fn text_after_a_closing_quote_is_a_misquoted_field() {
    let text = damaged(
        ofac::import(&fixture("ofac_misquoted")),
        "sdn.csv",
        2,
        Damage::Csv,
    );
    assert!(
        text.contains("field 2 has text (`X`) after its closing quote"),
        "{text}"
    );
}

#[test]
fn end_byte_in_the_middle_is_an_error() {
    let text = damaged(
        ofac::import(&fixture("ofac_end_byte")),
        "sdn.csv",
        3,
        Damage::Csv,
    );
    assert!(text.contains("0x1A"), "{text}");
}

#[test]
fn missing_field_in_the_middle_is_an_error() {
    let text = damaged(
        ofac::import(&fixture("ofac_short_row")),
        "sdn.csv",
        2,
        Damage::Csv,
    );
    assert!(
        text.contains("the row has 11 fields, but every row of sdn.csv has 12"),
        "{text}"
    );
}

#[test]
fn latin1_bytes_are_an_encoding_error() {
    let text = damaged(
        ofac::import(&fixture("ofac_latin1")),
        "sdn.csv",
        3,
        Damage::Encoding,
    );
    assert!(
        text.contains("byte 0xC9 at column 7 is not UTF-8"),
        "{text}"
    );
}

#[test]
fn non_numeric_ent_num_is_an_error() {
    let text = damaged(
        ofac::import(&fixture("ofac_bad_number")),
        "sdn.csv",
        2,
        Damage::Value,
    );
    assert!(text.contains("`X2`, not a number"), "{text}");
}

#[test]
fn ofac_folder_without_sdn_csv_says_what_to_point_at() {
    let error = ofac::import(&crate::at(FIXTURES)).unwrap_err();
    assert!(matches!(error, ListError::MissingSdn { .. }), "{error}");
    assert!(error.to_string().contains("holds no `sdn.csv`"));
    let error = ofac::import(&fixture("no_such_folder")).unwrap_err();
    assert!(matches!(error, ListError::Read { .. }), "{error}");
}

#[test]
fn xml_cut_in_the_middle_is_truncated() {
    let text = damaged(
        un::import(&fixture("un_truncated.xml")),
        "un_truncated.xml",
        26,
        Damage::Truncated,
    );
    assert!(
        text.contains("ends inside <FIRST_NAME> (opened on line 26)"),
        "{text}"
    );
}

#[test]
fn xml_cut_inside_a_tag_is_truncated() {
    let text = damaged(
        un::import(&fixture("un_cut_in_tag.xml")),
        "un_cut_in_tag.xml",
        7,
        Damage::Truncated,
    );
    assert!(text.contains("truncated"), "{text}");
}

#[test]
fn mismatched_xml_tags_are_malformed() {
    let text = damaged(
        un::import(&fixture("un_mismatched.xml")),
        "un_mismatched.xml",
        11,
        Damage::Xml,
    );
    assert!(text.contains("GENDER"), "{text}");
}

#[test]
fn xml_of_another_list_is_refused() {
    let text = damaged(
        un::import(&fixture("un_wrong_root.xml")),
        "un_wrong_root.xml",
        2,
        Damage::Xml,
    );
    assert!(text.contains("not the UN consolidated list"), "{text}");
}

#[test]
fn json_line_that_is_not_json_is_an_error() {
    let text = damaged(
        lists::ftm::import(&fixture("ftm_bad_line.ftm.json")),
        "ftm_bad_line.ftm.json",
        2,
        Damage::Json,
    );
    assert!(text.contains("not valid JSON"), "{text}");
}

#[test]
fn json_object_without_an_id_is_not_an_entity() {
    let text = damaged(
        lists::ftm::import(&fixture("ftm_not_entity.ftm.json")),
        "ftm_not_entity.ftm.json",
        2,
        Damage::Json,
    );
    assert!(text.contains("missing field `id`"), "{text}");
}

#[test]
fn json_cut_in_the_last_line_is_truncated() {
    damaged(
        lists::ftm::import(&fixture("ftm_truncated.ftm.json")),
        "ftm_truncated.ftm.json",
        4,
        Damage::Truncated,
    );
}

#[test]
fn deeply_nested_xml_is_refused_not_a_stack_overflow() {
    let folder = std::env::temp_dir().join(format!("interdict-lists-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("deep.xml");
    let deep = format!(
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>\n{}{}</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
        "<A>".repeat(100_000),
        "</A>".repeat(100_000)
    );
    std::fs::write(&file, deep).unwrap();
    let result = un::import(&file);
    std::fs::remove_dir_all(&folder).unwrap();
    damaged(result, "deep.xml", 2, Damage::Xml);
}
