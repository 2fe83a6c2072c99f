#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]
//! Loading facts: every kind of bad input must become a clear error naming the file and the record
//! (or line and column), never a panic, and good input must keep its values as written.
//!
//! Fixtures live in `tests/fixtures/facts/`; cases that need no file of their own are parsed from
//! text with [`Facts::from_text`] under the name `inline.yaml`.

use std::path::PathBuf;
use std::process::{Command, Output};

use interdict::facts::{AttributeValue, FactsProblem};
use interdict::{Facts, FactsError};

/// Where this module's fixtures live, relative to the crate root.
const FIXTURES: &str = "tests/fixtures/facts";

/// The name in-memory facts are parsed under.
const INLINE: &str = "inline.yaml";

/// Three valid entities, to prepend to the records under test.
const ENTITIES: &str = r#"entities:
  - {id: acme, kind: organization, name: "Acme Analytics Inc.", country: US}
  - {id: volasys, kind: organization, name: "Volasys Silver Star", country: RU}
  - {id: jong-song-hwa, kind: person, name: "JONG, Song Hwa", nationality: KP}
"#;

/// Every relation kind, as a facts file spells it.
const RELATION_KINDS: [&str; 7] = [
    "owns",
    "controls",
    "director_of",
    "sister_of",
    "linked_to",
    "employs",
    "created_by",
];

fn fixture(name: &str) -> PathBuf {
    crate::at(&format!("{FIXTURES}/{name}"))
}

fn load(name: &str) -> Result<Facts, FactsError> {
    Facts::load(fixture(name))
}

/// Parses [`ENTITIES`] followed by `rest`.
fn inline(rest: &str) -> Result<Facts, FactsError> {
    Facts::from_text(INLINE, &[ENTITIES, rest].concat())
}

/// A syntax error's parts.
#[derive(Debug)]
struct Syntax {
    file: String,
    line: u64,
    column: u64,
    message: String,
}

fn expect_syntax(result: Result<Facts, FactsError>) -> Syntax {
    match result {
        Err(FactsError::Syntax {
            file,
            line,
            column,
            message,
        }) => Syntax {
            file,
            line,
            column,
            message,
        },
        Err(other) => panic!("expected FactsError::Syntax, got {other:?}"),
        Ok(facts) => panic!("expected FactsError::Syntax, but {} loaded", facts.name()),
    }
}

/// The problems of an `Invalid` error, after checking it names `file`.
fn expect_invalid(result: Result<Facts, FactsError>, file: &str) -> Vec<FactsProblem> {
    match result {
        Err(FactsError::Invalid {
            file: named,
            problems,
        }) => {
            assert_eq!(named, file, "the error must name the file");
            assert!(!problems.is_empty(), "Invalid must carry problems");
            problems
        }
        Err(other) => panic!("expected FactsError::Invalid, got {other:?}"),
        Ok(facts) => panic!("expected FactsError::Invalid, but {} loaded", facts.name()),
    }
}

/// The single problem of an in-memory `Invalid` error.
fn expect_one_problem(result: Result<Facts, FactsError>) -> FactsProblem {
    let problems = expect_invalid(result, INLINE);
    assert_eq!(
        problems.len(),
        1,
        "expected exactly one problem: {problems:#?}"
    );
    problems.into_iter().next().unwrap()
}

/// Asserts `problem` is about `record` and that its message mentions every one of `words`.
fn assert_problem(problem: &FactsProblem, record: &str, words: &[&str]) {
    assert_eq!(problem.record, record, "wrong record in {problem:?}");
    for word in words {
        assert!(
            problem.message.contains(word),
            "the message should mention {word}: {problem}"
        );
    }
    assert_eq!(
        problem.to_string(),
        format!("{record}: {}", problem.message)
    );
}

fn assert_mentions(message: &str, words: &[&str]) {
    for word in words {
        assert!(message.contains(word), "{message:?} should mention {word}");
    }
}

// ---------------------------------------------------------------------------------------------
// Syntax: YAML and JSON that do not parse.

#[test]
fn unclosed_flow_mapping_is_a_syntax_error_at_its_brace() {
    let path = fixture("unclosed_flow.yaml");
    let error = Facts::load(&path).unwrap_err();
    let display = error.to_string();
    let syntax = expect_syntax(Err(error));
    assert_eq!(syntax.file, path.display().to_string());
    assert_eq!((syntax.line, syntax.column), (3, 5), "{syntax:?}");
    assert_mentions(&syntax.message, &["unclosed", "{"]);
    assert_eq!(
        display,
        format!("{}:3:5: {}", path.display(), syntax.message),
        "Display is file:line:column: message"
    );
}

#[test]
fn outdented_key_is_a_syntax_error_at_the_key() {
    let syntax = expect_syntax(load("bad_indent.yaml"));
    assert!(syntax.file.ends_with("bad_indent.yaml"), "{syntax:?}");
    assert_eq!((syntax.line, syntax.column), (6, 3), "{syntax:?}");
    assert_mentions(&syntax.message, &["expected"]);
}

#[test]
fn other_misindentations_are_syntax_errors_with_a_position() {
    let cases = [
        // `name` one space short of its siblings.
        "entities:\n  - id: acme\n    kind: organization\n   name: Acme\n",
        // `name` indented under `kind`'s value.
        "entities:\n  - id: acme\n    kind: organization\n      name: Acme\n",
        // A top-level key indented by one space.
        "entities:\n  - {id: acme, kind: organization, name: Acme}\n relations: []\n",
        // A tab used for indentation.
        "entities:\n\t- {id: acme, kind: organization, name: Acme}\n",
    ];
    for text in cases {
        let syntax = expect_syntax(Facts::from_text(INLINE, text));
        assert_eq!(syntax.file, INLINE);
        assert!(syntax.line >= 2, "{text:?} gave {syntax:?}");
        assert!(syntax.column >= 1, "{text:?} gave {syntax:?}");
        assert!(!syntax.message.is_empty(), "{text:?}");
    }
}

#[test]
fn json_trailing_comma_is_a_syntax_error_with_position() {
    let path = fixture("bad_syntax.json");
    let syntax = expect_syntax(Facts::load(&path));
    assert_eq!(syntax.file, path.display().to_string());
    assert_eq!((syntax.line, syntax.column), (3, 74), "{syntax:?}");
    assert_eq!(syntax.message, "trailing comma");
}

#[test]
fn json_errors_keep_the_position_out_of_the_message() {
    let cases = [
        (r#"{"entities": [}"#, 1),
        (
            "{\n  \"entities\": [\n    {\"id\": \"acme\" \"kind\": \"person\"}\n  ]\n}\n",
            3,
        ),
        (
            "{\"relations\": [{\"kind\": \"ownz\", \"from\": \"a\", \"to\": \"b\"}]}",
            1,
        ),
    ];
    for (text, line) in cases {
        let syntax = expect_syntax(Facts::from_text("inline.json", text));
        assert_eq!(syntax.file, "inline.json");
        assert_eq!(syntax.line, line, "{text:?} gave {syntax:?}");
        assert!(syntax.column >= 1, "{text:?} gave {syntax:?}");
        assert!(
            !syntax.message.contains(" at line "),
            "the position belongs in line/column, not the message: {syntax:?}"
        );
    }
}

#[test]
fn json_is_chosen_by_the_file_name() {
    // A flow-style YAML document that is not JSON: unquoted strings.
    let text = "{entities: [{id: acme, kind: organization, name: Acme}]}";
    assert_eq!(
        Facts::from_text("inline.yaml", text)
            .unwrap()
            .entity_count(),
        1
    );
    let syntax = expect_syntax(Facts::from_text("inline.json", text));
    assert_eq!((syntax.line, syntax.column), (1, 2), "{syntax:?}");
}

#[test]
fn valid_json_loads() {
    let facts = load("valid.json").unwrap();
    assert_eq!(facts.entity_count(), 3);
    let volasys = facts.entity_index("volasys").unwrap();
    assert_eq!(facts.designations_of(volasys).count(), 1);
    assert_eq!(facts.relation(0).unwrap().percent, Some(25.0));
    let fjord = facts
        .entity(facts.entity_index("fjord-relief").unwrap())
        .unwrap();
    assert_eq!(fjord.country.as_deref(), Some("NO"));
    let tx = facts.transaction("tx-1").unwrap();
    assert_eq!(tx.parties.len(), 2);
    assert!(facts.digest().starts_with("sha256:"));
}

#[test]
fn top_level_must_be_a_mapping() {
    for text in ["[]\n", "hello\n", "- {id: acme, kind: person, name: A}\n"] {
        let syntax = expect_syntax(Facts::from_text(INLINE, text));
        assert_eq!(
            (syntax.line, syntax.column),
            (1, 1),
            "{text:?} gave {syntax:?}"
        );
    }
    let syntax = expect_syntax(Facts::from_text("inline.json", r#""entities""#));
    assert_eq!((syntax.line, syntax.column), (1, 10), "{syntax:?}");
    assert_mentions(&syntax.message, &["the document to be an object"]);
}

#[test]
fn duplicate_yaml_key_is_a_syntax_error() {
    let text = "entities:\n  - {id: acme, id: acme2, kind: organization, name: Acme}\n";
    let syntax = expect_syntax(Facts::from_text(INLINE, text));
    assert_eq!((syntax.line, syntax.column), (2, 16), "{syntax:?}");
    assert_mentions(&syntax.message, &["duplicate", "id"]);
}

#[test]
fn missing_required_field_is_a_syntax_error_naming_it() {
    let cases = [
        ("entities:\n  - {id: acme, name: Acme}\n", "`kind`"),
        ("entities:\n  - {id: acme, kind: person}\n", "`name`"),
        ("transactions:\n  - {id: tx-1, kind: payment}\n", "`date`"),
        ("relations:\n  - {kind: owns, from: acme}\n", "`to`"),
        ("designations:\n  - {entity: acme}\n", "`list`"),
    ];
    for (text, field) in cases {
        let syntax = expect_syntax(Facts::from_text(INLINE, text));
        assert_eq!(syntax.line, 2, "{text:?} gave {syntax:?}");
        assert!(syntax.column >= 1, "{text:?} gave {syntax:?}");
        assert_mentions(&syntax.message, &["missing field", field]);
    }
}

#[test]
fn null_section_is_a_syntax_error() {
    for text in ["entities:\n", "entities: ~\n", "relations: null\n"] {
        let syntax = expect_syntax(Facts::from_text(INLINE, text));
        assert_eq!(syntax.line, 1, "{text:?} gave {syntax:?}");
        assert!(syntax.column >= 1, "{text:?} gave {syntax:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Records that parse but do not fit together.

#[test]
fn relation_to_unknown_entity_names_record_field_and_id() {
    let problem = expect_one_problem(inline(
        "relations:
  - {id: r1, kind: sister_of, from: volasys, to: acme}
  - {id: r2, kind: owns, from: volasys, to: ghost-co, percent: 50}
",
    ));
    assert_problem(
        &problem,
        "relations[1] (r2)",
        &["`to`", "`ghost-co`", "not among the entities"],
    );
}

#[test]
fn relation_from_unknown_entity_names_record_field_and_id() {
    let problem = expect_one_problem(inline(
        "relations:\n  - {id: r7, kind: controls, from: nobody, to: acme, role: CEO}\n",
    ));
    assert_problem(&problem, "relations[0] (r7)", &["`from`", "`nobody`"]);
}

#[test]
fn relation_without_id_is_cited_as_r_and_its_position() {
    let problem = expect_one_problem(inline(
        "relations:
  - {kind: sister_of, from: volasys, to: acme}
  - {kind: sister_of, from: volasys, to: acme}
  - {kind: owns, from: ghost-co, to: acme}
",
    ));
    assert_problem(&problem, "relations[2] (r3)", &["`from`", "`ghost-co`"]);
}

#[test]
fn designation_of_unknown_entity_names_record_field_and_id() {
    let problem = expect_one_problem(inline(
        r#"designations:
  - {entity: volasys, list: OFAC-SDN, programs: [DPRK3], listed_on: 2018-09-13, ref: "SDN 24978"}
  - {entity: phantom, list: OFAC-SDN, programs: [DPRK3], listed_on: 2018-09-13, ref: "SDN 1"}
"#,
    ));
    assert_problem(
        &problem,
        "designations[1] (SDN 1)",
        &["`entity`", "`phantom`", "not among the entities"],
    );
}

#[test]
fn designation_without_ref_is_cited_by_its_list() {
    let problem = expect_one_problem(inline("designations:\n  - {entity: phantom, list: UN}\n"));
    assert_problem(&problem, "designations[0] (UN)", &["`entity`", "`phantom`"]);
}

#[test]
fn transaction_party_unknown_entity_names_record_field_and_id() {
    let problem = expect_one_problem(inline(
        "transactions:
  - id: tx-1
    kind: payment
    date: 2024-03-01
    parties: [{role: originator, entity: acme}, {role: beneficiary, entity: nobody}]
",
    ));
    assert_problem(
        &problem,
        "transactions[0] (tx-1)",
        &["`parties[1].entity`", "`nobody`", "not among the entities"],
    );
}

#[test]
fn duplicate_entity_id_names_both_positions() {
    let problem = expect_one_problem(Facts::from_text(
        INLINE,
        &[
            ENTITIES,
            "  - {id: acme, kind: organization, name: \"Acme (again)\"}\n",
        ]
        .concat(),
    ));
    assert_problem(
        &problem,
        "entities[3] (acme)",
        &["duplicate entity id `acme`", "entities[0]"],
    );
}

#[test]
fn duplicate_entity_ids_all_cite_the_first_use() {
    let problems = expect_invalid(
        Facts::from_text(
            INLINE,
            &[
                ENTITIES,
                "  - {id: acme, kind: organization, name: A2}\n",
                "  - {id: acme, kind: organization, name: A3}\n",
            ]
            .concat(),
        ),
        INLINE,
    );
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_problem(&problems[0], "entities[3] (acme)", &["entities[0]"]);
    assert_problem(&problems[1], "entities[4] (acme)", &["entities[0]"]);
}

#[test]
fn empty_entity_id_is_invalid() {
    let problem = expect_one_problem(Facts::from_text(
        INLINE,
        "entities:\n  - {id: '  ', kind: person, name: Nobody}\n",
    ));
    assert_problem(&problem, "entities[0] (  )", &["`id` is empty"]);
}

#[test]
fn owns_percent_above_100_is_invalid() {
    let problem = expect_one_problem(inline(
        "relations:\n  - {id: r1, kind: owns, from: volasys, to: acme, percent: 140}\n",
    ));
    assert_problem(
        &problem,
        "relations[0] (r1)",
        &["`percent` is 140", "between 0 and 100"],
    );
}

#[test]
fn owns_negative_percent_is_invalid() {
    let problem = expect_one_problem(inline(
        "relations:\n  - {id: r1, kind: owns, from: volasys, to: acme, percent: -5}\n",
    ));
    assert_problem(
        &problem,
        "relations[0] (r1)",
        &["`percent` is -5", "between 0 and 100"],
    );
}

#[test]
fn owns_percent_that_is_not_a_number_is_invalid() {
    let problems = expect_invalid(
        inline(
            "relations:
  - {id: r1, kind: owns, from: volasys, to: acme, percent: .nan}
  - {id: r2, kind: owns, from: volasys, to: acme, percent: .inf}
",
        ),
        INLINE,
    );
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_problem(&problems[0], "relations[0] (r1)", &["`percent` is NaN"]);
    assert_problem(&problems[1], "relations[1] (r2)", &["`percent` is inf"]);
}

#[test]
fn owns_percent_bounds_are_accepted() {
    let facts = inline(
        "relations:
  - {id: r1, kind: owns, from: volasys, to: acme, percent: 0}
  - {id: r2, kind: owns, from: volasys, to: jong-song-hwa, percent: 100}
  - {id: r3, kind: owns, from: acme, to: volasys, percent: 33.3}
",
    )
    .unwrap();
    let percents: Vec<_> = (0..3).map(|i| facts.relation(i).unwrap().percent).collect();
    assert_eq!(percents, [Some(0.0), Some(100.0), Some(33.3)]);
}

#[test]
fn percent_on_a_relation_other_than_owns_is_invalid() {
    for kind in RELATION_KINDS.iter().filter(|k| **k != "owns") {
        let problem = expect_one_problem(inline(&format!(
            "relations:\n  - {{id: x1, kind: {kind}, from: volasys, to: acme, percent: 50}}\n"
        )));
        assert_problem(
            &problem,
            "relations[0] (x1)",
            &["`percent`", &format!("`{kind}` relation"), "only `owns`"],
        );
    }
}

#[test]
fn relation_to_itself_is_invalid() {
    let problem = expect_one_problem(inline(
        "relations:\n  - {id: r1, kind: owns, from: acme, to: acme, percent: 10}\n",
    ));
    assert_problem(&problem, "relations[0] (r1)", &["`acme`", "itself"]);
}

#[test]
fn unknown_relation_kind_lists_the_accepted_kinds() {
    let path = fixture("ownz.yaml");
    let syntax = expect_syntax(Facts::load(&path));
    assert_eq!(syntax.file, path.display().to_string());
    assert_eq!((syntax.line, syntax.column), (6, 20), "{syntax:?}");
    assert_mentions(&syntax.message, &["`ownz`"]);
    assert_mentions(&syntax.message, &RELATION_KINDS);
}

#[test]
fn unknown_relation_kind_in_json_lists_the_accepted_kinds() {
    let text = r#"{"relations": [{"kind": "ownz", "from": "a", "to": "b"}]}"#;
    let syntax = expect_syntax(Facts::from_text("inline.json", text));
    assert_eq!(syntax.line, 1, "{syntax:?}");
    assert_mentions(&syntax.message, &["`ownz`"]);
    assert_mentions(&syntax.message, &RELATION_KINDS);
}

#[test]
fn unknown_entity_kind_lists_the_accepted_kinds() {
    let text = "entities:\n  - {id: acme, kind: company, name: Acme}\n";
    let syntax = expect_syntax(Facts::from_text(INLINE, text));
    assert_eq!((syntax.line, syntax.column), (2, 22), "{syntax:?}");
    assert_mentions(
        &syntax.message,
        &["`company`", "person", "organization", "vessel", "aircraft"],
    );
}

#[test]
fn misspelt_delisted_on_is_rejected() {
    let syntax = expect_syntax(load("unknown_field.yaml"));
    assert!(syntax.file.ends_with("unknown_field.yaml"), "{syntax:?}");
    assert_eq!((syntax.line, syntax.column), (5, 62), "{syntax:?}");
    assert_mentions(
        &syntax.message,
        &["unknown field", "`delisted`", "delisted_on"],
    );
}

#[test]
fn unknown_fields_are_rejected_in_every_record() {
    let cases = [
        ("entity: []\n", "`entity`"),
        (
            "entities:\n  - {id: a, kind: person, name: A, nationalty: KP}\n",
            "`nationalty`",
        ),
        (
            "relations:\n  - {kind: owns, from: a, to: b, precent: 50}\n",
            "`precent`",
        ),
        (
            "designations:\n  - {entity: a, list: UN, reference: X}\n",
            "`reference`",
        ),
        (
            "transactions:\n  - {id: t, kind: payment, date: 2024-03-01, ammount: 5}\n",
            "`ammount`",
        ),
        (
            "transactions:\n  - {id: t, kind: p, date: 2024-03-01, parties: [{role: x, entiy: a}]}\n",
            "`entiy`",
        ),
        (
            "transactions:\n  - {id: t, kind: p, date: 2024-03-01, amount: {value: 1, curency: USD}}\n",
            "`curency`",
        ),
    ];
    for (text, field) in cases {
        let syntax = expect_syntax(Facts::from_text(INLINE, text));
        assert!(
            syntax.line >= 1 && syntax.column >= 1,
            "{text:?} gave {syntax:?}"
        );
        assert_mentions(&syntax.message, &["unknown field", field]);
    }
}

#[test]
fn impossible_date_is_rejected_with_its_position() {
    let syntax = expect_syntax(load("bad_date.yaml"));
    assert!(syntax.file.ends_with("bad_date.yaml"), "{syntax:?}");
    assert_eq!((syntax.line, syntax.column), (7, 11), "{syntax:?}");
    assert_mentions(&syntax.message, &["`2023-02-30`", "YYYY-MM-DD"]);
}

#[test]
fn bad_dates_are_rejected_in_every_dated_field() {
    let dates = [
        "2023-02-29",
        "2024-13-01",
        "2024-00-10",
        "2024-3-1",
        "24-03-01",
        "2024-03-01x",
    ];
    for date in dates {
        let texts = [
            format!("relations:\n  - {{kind: owns, from: volasys, to: acme, start: {date}}}\n"),
            format!("relations:\n  - {{kind: owns, from: volasys, to: acme, end: {date}}}\n"),
            format!("designations:\n  - {{entity: volasys, list: UN, listed_on: {date}}}\n"),
            format!("designations:\n  - {{entity: volasys, list: UN, delisted_on: {date}}}\n"),
            format!("transactions:\n  - {{id: t, kind: payment, date: {date}}}\n"),
        ];
        for text in texts {
            let syntax = expect_syntax(inline(&text));
            assert_eq!(syntax.line, 6, "{text:?} gave {syntax:?}");
            assert_mentions(&syntax.message, &[&format!("`{date}`"), "not a valid date"]);
        }
    }
}

#[test]
fn impossible_date_in_json_is_rejected() {
    let text = r#"{"transactions": [{"id": "t", "kind": "payment", "date": "2023-02-30"}]}"#;
    let syntax = expect_syntax(Facts::from_text("inline.json", text));
    assert_eq!(syntax.line, 1, "{syntax:?}");
    assert_mentions(&syntax.message, &["`2023-02-30`", "YYYY-MM-DD"]);
}

#[test]
fn leap_day_is_a_date() {
    let facts = inline("transactions:\n  - {id: t, kind: payment, date: 2024-02-29}\n").unwrap();
    assert_eq!(
        facts.transaction("t").unwrap().date.to_string(),
        "2024-02-29"
    );
}

#[test]
fn relation_ending_before_it_starts_is_invalid() {
    let problem = expect_one_problem(inline(
        "relations:
  - {id: r1, kind: owns, from: volasys, to: acme, percent: 30, start: 2024-06-01, end: 2024-01-01}
",
    ));
    assert_problem(
        &problem,
        "relations[0] (r1)",
        &["`end` 2024-01-01", "`start` 2024-06-01", "not after"],
    );
}

#[test]
fn relation_ending_the_day_it_starts_is_invalid() {
    let problem = expect_one_problem(inline(
        "relations:\n  - {id: r1, kind: sister_of, from: volasys, to: acme, start: 2024-01-01, end: 2024-01-01}\n",
    ));
    assert_problem(
        &problem,
        "relations[0] (r1)",
        &["`end` 2024-01-01", "not after"],
    );
}

#[test]
fn delisting_before_listing_is_invalid() {
    let problem = expect_one_problem(inline(
        r#"designations:
  - {entity: volasys, list: OFAC-SDN, listed_on: 2020-01-01, delisted_on: 2019-01-01, ref: "SDN 24978"}
"#,
    ));
    assert_problem(
        &problem,
        "designations[0] (SDN 24978)",
        &[
            "`delisted_on` 2019-01-01",
            "`listed_on` 2020-01-01",
            "not after",
        ],
    );
}

#[test]
fn empty_list_name_is_invalid() {
    let problem = expect_one_problem(inline(
        "designations:\n  - {entity: volasys, list: '', ref: SDN 24978}\n",
    ));
    assert_problem(
        &problem,
        "designations[0] (SDN 24978)",
        &["`list` is empty"],
    );
}

#[test]
fn duplicate_transaction_ids_are_invalid() {
    let problem = expect_one_problem(inline(
        "transactions:
  - {id: tx-1, kind: payment, date: 2024-03-01}
  - {id: tx-2, kind: payment, date: 2024-03-01}
  - {id: tx-1, kind: invoice, date: 2024-03-02}
",
    ));
    assert_problem(
        &problem,
        "transactions[2] (tx-1)",
        &["duplicate transaction id `tx-1`", "transactions[0]"],
    );
}

#[test]
fn duplicate_relation_ids_are_invalid() {
    let problem = expect_one_problem(inline(
        "relations:
  - {id: link, kind: sister_of, from: volasys, to: acme}
  - {id: link, kind: employs, from: acme, to: jong-song-hwa}
",
    ));
    assert_problem(
        &problem,
        "relations[1] (link)",
        &["duplicate relation id `link`", "relations[0]"],
    );
}

#[test]
fn every_problem_in_a_file_is_reported_in_order() {
    let path = fixture("many_problems.yaml");
    let result = Facts::load(&path);
    let file = path.display().to_string();
    let problems = expect_invalid(result, &file);
    let expected: [(&str, &[&str]); 9] = [
        (
            "entities[2] (acme)",
            &["duplicate entity id `acme`", "entities[0]"],
        ),
        ("relations[0] (r1)", &["`percent` is 140"]),
        ("relations[1] (r2)", &["`percent` is -5"]),
        ("relations[2] (r3)", &["`percent`", "`controls`"]),
        (
            "relations[3] (r4)",
            &["`end` 2024-01-01", "`start` 2024-06-01"],
        ),
        ("relations[4] (r5)", &["`to`", "`ghost-co`"]),
        (
            "designations[0] (SDN 24978)",
            &["`delisted_on` 2019-01-01", "`listed_on` 2020-01-01"],
        ),
        (
            "transactions[1] (tx-1)",
            &["duplicate transaction id `tx-1`"],
        ),
        (
            "transactions[1] (tx-1)",
            &["`parties[0].entity`", "`nobody`"],
        ),
    ];
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    for (problem, (record, words)) in problems.iter().zip(expected) {
        assert_problem(problem, record, words);
    }
    let error = Facts::load(&path).unwrap_err();
    let printed = error.to_string();
    assert!(
        printed.starts_with(&format!(
            "{file}: 9 problem(s) in the facts: entities[2] (acme): duplicate entity id"
        )),
        "{printed}"
    );
    assert!(printed.ends_with("; and 6 more"), "{printed}");
    // The library's one error says all of it, as the command line prints it.
    let full = error.render();
    let rendered = interdict::Error::from(error).to_string();
    assert_eq!(rendered, full.trim_end());
    assert_eq!(rendered.matches(": error: ").count(), 9, "{rendered}");
}

// ---------------------------------------------------------------------------------------------
// Values kept as written.

#[test]
fn country_no_stays_norway() {
    let facts = load("norway.yaml").unwrap();
    let entity = |id: &str| facts.entity(facts.entity_index(id).unwrap()).unwrap();
    assert_eq!(entity("fjord-relief").country.as_deref(), Some("NO"));
    let ola = entity("ola");
    assert_eq!(ola.country.as_deref(), Some("NO"));
    assert_eq!(ola.nationality.as_deref(), Some("NO"));
    let attribute = |name: &str| ola.attributes.get(name).cloned();
    assert_eq!(attribute("pep"), Some(AttributeValue::Text("no".into())));
    assert_eq!(
        attribute("verified"),
        Some(AttributeValue::Text("yes".into()))
    );
    assert_eq!(
        attribute("screening"),
        Some(AttributeValue::Text("off".into()))
    );
    assert_eq!(attribute("resident"), Some(AttributeValue::Bool(true)));
}

#[test]
fn country_no_in_the_example_stays_norway() {
    let facts = Facts::load(crate::at("examples/silverstar.yaml")).unwrap();
    let fjord = facts.entity_index("fjord-relief").unwrap();
    assert_eq!(facts.entity(fjord).unwrap().country.as_deref(), Some("NO"));
}

#[test]
fn aliases_are_resolved_and_checked() {
    let text = "entities:\n  - &e {id: acme, kind: organization, name: Acme}\n  - *e\n";
    let problem = expect_one_problem(Facts::from_text(INLINE, text));
    assert_problem(
        &problem,
        "entities[1] (acme)",
        &["duplicate entity id `acme`"],
    );
}

// ---------------------------------------------------------------------------------------------
// Truncated, hostile, missing and empty input.

#[test]
fn truncated_file_is_a_syntax_error_at_the_open_record() {
    let syntax = expect_syntax(load("truncated.yaml"));
    assert!(syntax.file.ends_with("truncated.yaml"), "{syntax:?}");
    assert_eq!((syntax.line, syntax.column), (4, 5), "{syntax:?}");
    assert_mentions(&syntax.message, &["unclosed"]);
}

/// Checks the result of loading a truncated text: either it loaded (the cut fell between records)
/// or it failed with an error that names the file; a panic fails the test by itself.
fn assert_clean_outcome(name: &str, cut: usize, result: Result<Facts, FactsError>) {
    match result {
        Ok(_) => {}
        Err(FactsError::Syntax {
            file,
            line,
            message,
            ..
        }) => {
            assert_eq!(file, name);
            assert!(line >= 1, "cut at byte {cut}: syntax error without a line");
            assert!(!message.is_empty(), "cut at byte {cut}: empty message");
        }
        Err(FactsError::Invalid { file, problems }) => {
            assert_eq!(file, name);
            assert!(!problems.is_empty(), "cut at byte {cut}");
        }
        Err(error) => panic!("cut at byte {cut}: {error}"),
    }
}

// Cuts of every shipped example (and of the list excerpts) are seeds of the fuzz corpus
// (`fuzz/truncations.py`), replayed with the same checks by the fuzz crate's corpus test.

#[test]
fn every_truncation_of_a_json_file_is_a_syntax_error() {
    let text = std::fs::read_to_string(fixture("valid.json")).unwrap();
    let whole = text.trim_end().len();
    for (cut, _) in text.char_indices().take_while(|(cut, _)| *cut < whole) {
        let result = Facts::from_text("cut.json", &text[..cut]);
        assert!(
            matches!(result, Err(FactsError::Syntax { .. })),
            "cut at byte {cut} should be a syntax error: {result:?}"
        );
        assert_clean_outcome("cut.json", cut, result);
    }
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let mut text = String::from("entities:\n  - id: a\n    kind: organization\n    name: A\n");
    text.push_str("    attributes:\n      a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..9 {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        text.push_str(&format!("      a{level}: &a{level} [{refs}]\n"));
    }
    let syntax = expect_syntax(Facts::from_text(INLINE, &text));
    assert!(syntax.line >= 6, "{syntax:?}");
    assert_mentions(&syntax.message, &["budget"]);
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let depth = 100_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let yaml =
        format!("entities:\n  - {{id: a, kind: person, name: A, attributes: {{x: {nested}}}}}\n");
    let syntax = expect_syntax(Facts::from_text(INLINE, &yaml));
    assert_eq!(syntax.line, 2, "{syntax:?}");
    assert_mentions(&syntax.message, &["recursion limit"]);

    let json = format!(
        r#"{{"entities": [{{"id": "a", "kind": "person", "name": "A", "attributes": {{"x": {nested}}}}}]}}"#
    );
    let syntax = expect_syntax(Facts::from_text("inline.json", &json));
    assert_eq!(syntax.line, 1, "{syntax:?}");
    assert_mentions(&syntax.message, &["recursion limit"]);
}

#[test]
fn missing_file_is_a_read_error_naming_it() {
    let path = fixture("does_not_exist.yaml");
    match Facts::load(&path) {
        Err(FactsError::Read {
            path: named,
            source,
        }) => {
            assert_eq!(named, path.display().to_string());
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
            let error = Facts::load(&path).unwrap_err().to_string();
            assert_mentions(&error, &["cannot read facts file", &named]);
        }
        other => panic!("expected FactsError::Read, got {other:?}"),
    }
}

#[test]
fn directory_is_a_read_error() {
    let path = crate::at(FIXTURES);
    assert!(
        matches!(Facts::load(&path), Err(FactsError::Read { path: named, .. }) if named == path.display().to_string())
    );
}

#[test]
fn empty_file_is_facts_without_records() {
    let facts = load("empty.yaml").unwrap();
    assert_eq!(facts.entity_count(), 0);
    assert!(facts.transactions().is_empty());
    assert!(facts.name().ends_with("empty.yaml"));
    assert_eq!(
        facts.digest(),
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "the digest of no bytes"
    );
}

#[test]
fn empty_mapping_is_facts_without_records() {
    let facts = load("empty_mapping.yaml").unwrap();
    assert_eq!(facts.entity_count(), 0);
    assert!(facts.transactions().is_empty());
    let facts = Facts::from_text("inline.json", "{}").unwrap();
    assert_eq!(facts.entity_count(), 0);
}

#[test]
fn comments_and_empty_sections_are_facts_without_records() {
    for text in [
        "# nothing yet\n",
        "\n\n   \n",
        "entities: []\nrelations: []\ndesignations: []\ntransactions: []\n",
    ] {
        let facts = Facts::from_text(INLINE, text).unwrap();
        assert_eq!(facts.entity_count(), 0, "{text:?}");
        assert!(facts.transactions().is_empty(), "{text:?}");
    }
}

#[test]
fn empty_json_file_is_a_syntax_error() {
    // Unlike an empty YAML document, zero bytes are not a JSON value.
    let syntax = expect_syntax(Facts::from_text("inline.json", ""));
    assert_eq!(syntax.line, 1, "{syntax:?}");
    assert_mentions(&syntax.message, &["EOF"]);
}

// ---------------------------------------------------------------------------------------------
// Known library bugs: these assert the behaviour the loader should have, and are ignored until it
// does.

#[test]

fn third_duplicate_transaction_cites_the_first_use() {
    let problems = expect_invalid(
        inline(
            "transactions:
  - {id: t, kind: payment, date: 2024-03-01}
  - {id: t, kind: payment, date: 2024-03-01}
  - {id: t, kind: payment, date: 2024-03-01}
",
        ),
        INLINE,
    );
    assert_problem(&problems[1], "transactions[2] (t)", &["transactions[0]"]);
}

#[test]

fn third_duplicate_relation_cites_the_first_use() {
    let problems = expect_invalid(
        inline(
            "relations:
  - {id: l, kind: sister_of, from: volasys, to: acme}
  - {id: l, kind: sister_of, from: volasys, to: acme}
  - {id: l, kind: sister_of, from: volasys, to: acme}
",
        ),
        INLINE,
    );
    assert_problem(&problems[1], "relations[2] (l)", &["relations[0]"]);
}

#[test]

fn relation_without_id_does_not_clash_with_an_explicit_id() {
    inline(
        "relations:
  - {kind: sister_of, from: volasys, to: acme}
  - {id: r1, kind: employs, from: acme, to: jong-song-hwa}
",
    )
    .unwrap();
}

#[test]

fn explicit_empty_document_is_facts_without_records() {
    let facts = Facts::from_text(INLINE, "---\n").unwrap();
    assert_eq!(facts.entity_count(), 0);
}

#[test]

fn json_top_level_array_is_refused() {
    let text = r#"[[{"id": "acme", "kind": "organization", "name": "Acme"}]]"#;
    let syntax = expect_syntax(Facts::from_text("inline.json", text));
    assert_eq!(syntax.line, 1, "{syntax:?}");
    assert_mentions(
        &syntax.message,
        &["the document to be an object", "entities"],
    );
}

#[test]
fn json_positional_record_is_refused() {
    let text = r#"{"entities": [["acme", "organization", "Acme"], ["volasys", "organization", "V"]],
        "designations": [["volasys", "OFAC-SDN", ["DPRK3"], "2018-09-13", "2020-01-01"]]}"#;
    // Refused where the first such record starts, naming it: read by position, the second
    // would be listed on 2018-09-13 and delisted on 2020-01-01, or the other way round.
    let syntax = expect_syntax(Facts::from_text("inline.json", text));
    assert_eq!((syntax.line, syntax.column), (1, 15), "{syntax:?}");
    assert_mentions(&syntax.message, &["entities[0]", "named fields"]);
}

// ---------------------------------------------------------------------------------------------
// The command line: exit code 2 and the exact report on stderr.

/// Runs `interdict eval` on the shipped policies and a facts file, from the crate root.
fn eval(facts: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interdict"))
        .args(["eval", "--policy", "policies", "--facts", facts])
        .current_dir(crate::root())
        .output()
        .expect("run interdict")
}

/// Runs `eval` expecting the facts to be refused; returns stderr.
fn eval_refused(facts: &str) -> String {
    let output = eval(facts);
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(!stderr.trim().is_empty(), "a refusal must say why");
    assert!(
        output.stdout.is_empty(),
        "nothing is decided from bad facts"
    );
    assert!(stderr.contains(facts), "stderr must name {facts}: {stderr}");
    stderr
}

#[test]
fn cli_yaml_syntax_error_shows_the_line_and_a_caret() {
    let stderr = eval_refused("tests/fixtures/facts/unclosed_flow.yaml");
    assert!(stderr.starts_with("tests/fixtures/facts/unclosed_flow.yaml:3:5: error: "));
    insta::assert_snapshot!(stderr);
}

#[test]
fn cli_json_syntax_error_shows_the_line_and_a_caret() {
    let stderr = eval_refused("tests/fixtures/facts/bad_syntax.json");
    assert!(stderr.starts_with("tests/fixtures/facts/bad_syntax.json:3:74: error: "));
    insta::assert_snapshot!(stderr);
}

#[test]
fn cli_unknown_relation_kind_lists_the_accepted_kinds() {
    let stderr = eval_refused("tests/fixtures/facts/ownz.yaml");
    assert_mentions(&stderr, &RELATION_KINDS);
    insta::assert_snapshot!(stderr);
}

#[test]
fn cli_invalid_facts_list_every_problem() {
    let stderr = eval_refused("tests/fixtures/facts/many_problems.yaml");
    assert_eq!(stderr.matches(": error: ").count(), 9, "{stderr}");
    assert!(stderr.ends_with("9 problem(s) in the facts; fix them and run again\n"));
    insta::assert_snapshot!(stderr);
}

#[test]
fn cli_missing_facts_file_is_refused() {
    let stderr = eval_refused("tests/fixtures/facts/does_not_exist.yaml");
    assert!(
        stderr.starts_with(
            "error: cannot read facts file `tests/fixtures/facts/does_not_exist.yaml`: "
        )
    );
}

#[test]
fn cli_empty_facts_file_decides_nothing() {
    let output = eval("tests/fixtures/facts/empty.yaml");
    assert!(output.status.success(), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
}

#[test]
fn json_columns_count_characters_not_bytes() {
    let text =
        r#"{"entities":[{"id":"a","kind":"organization","name":"Волазис Сильвер", "bogus": 1}]}"#;
    let syntax = expect_syntax(Facts::from_text("inline.json", text));
    let expected = text
        .find("\"bogus\"")
        .map(|byte| text[..byte].chars().count())
        .unwrap();
    assert!(
        syntax.column as usize >= expected && syntax.column as usize <= expected + 8,
        "{syntax:?}, key at character {expected}"
    );
}

#[test]
fn invalid_facts_name_their_problems_when_printed() {
    let text = "relations:\n  - {kind: owns, from: a, to: b, percent: 140}\n";
    let error = Facts::from_text(INLINE, text).unwrap_err().to_string();
    assert!(
        error.contains("relations[0] (r1)") && error.contains("`from` names entity `a`"),
        "{error}"
    );
}

#[test]
fn exchange_rates_are_checked_record_by_record() {
    let problems = expect_invalid(
        inline(
            r#"rates:
  - {base: EUR, quote: USD, rate: 1.08, as_of: 2024-02-29}
  - {base: EUR, quote: USD, rate: 1.09, as_of: 2024-02-29}
  - {base: eur, quote: USD, rate: 1.08, as_of: 2024-03-01}
  - {base: GBP, quote: GBP, rate: 1, as_of: 2024-03-01}
  - {base: GBP, quote: USD, rate: 0, as_of: 2024-03-01}
"#,
        ),
        INLINE,
    );
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert_problem(
        &problems[0],
        "rates[1] (EUR/USD 2024-02-29)",
        &["second EUR/USD rate", "rates[0]"],
    );
    assert_problem(
        &problems[1],
        "rates[2] (eur/USD 2024-03-01)",
        &["`base`", "ISO 4217"],
    );
    assert_problem(
        &problems[2],
        "rates[3] (GBP/GBP 2024-03-01)",
        &["into itself"],
    );
    assert_problem(
        &problems[3],
        "rates[4] (GBP/USD 2024-03-01)",
        &["`rate` is 0", "above 0"],
    );
}

#[test]
fn a_conversion_takes_the_latest_rate_on_or_before_the_day_either_way_round() {
    let facts = inline(
        r#"rates:
  - {base: EUR, quote: USD, rate: 1.10, as_of: 2024-03-01}
  - {base: EUR, quote: USD, rate: 1.08, as_of: 2024-01-31}
  - {base: USD, quote: EUR, rate: 0.95, as_of: 2024-02-15}
"#,
    )
    .unwrap();
    let day = |text: &str| text.parse::<interdict::Date>().unwrap();
    let direct = facts.rate("EUR", "USD", day("2024-02-10")).unwrap();
    assert_eq!((direct.record.rate, direct.inverted), (1.08, false));
    // A later rate written the other way round is the one in force.
    let inverse = facts.rate("EUR", "USD", day("2024-02-20")).unwrap();
    assert_eq!((inverse.record.rate, inverse.inverted), (0.95, true));
    assert!((inverse.factor() - 1.0 / 0.95).abs() < 1e-12);
    assert_eq!(
        facts
            .rate("EUR", "USD", day("2024-03-01"))
            .unwrap()
            .record
            .rate,
        1.10
    );
    assert!(facts.rate("EUR", "USD", day("2024-01-30")).is_none());
    assert!(facts.rate("EUR", "GBP", day("2024-03-01")).is_none());
}

// ---------------------------------------------------------------------------------------------
// Attribute values against the types the loaded policies declare.

#[test]
fn facts_loaded_with_policies_are_checked_against_the_declared_attribute_types() {
    let policies = interdict::PolicySet::load(&[crate::at("policies")]).unwrap();
    let facts = load("mistyped_attributes.yaml").unwrap();
    let error = policies.check_facts(&facts).unwrap_err();
    let problems = expect_invalid(Err(error), facts.name());
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert_problem(
        &problems[0],
        "entities[1] (dev-1)",
        &[
            "`distinct_login_countries`",
            "\"several\"",
            "not a number",
            "dprk_it_workers.policy:",
        ],
    );
    assert_problem(
        &problems[1],
        "entities[1] (dev-1)",
        &["`refused_video`", "\"yes\"", "not true or false"],
    );
    assert_problem(
        &problems[2],
        "transactions[0] (pay-1)",
        &[
            "`beneficiary_bank_country`",
            "\"Germany\"",
            "ISO 3166 alpha-2 country code",
        ],
    );
    // The same facts pass policies that declare none of these attributes.
    let other = interdict::PolicySet::load(&[crate::at("policies/ofac_dprk.policy")]).unwrap();
    other.check_facts(&facts).unwrap();
}

#[test]
fn eval_refuses_facts_of_the_wrong_declared_type_naming_file_record_and_attribute() {
    let stderr = eval_refused("tests/fixtures/facts/mistyped_attributes.yaml");
    assert_mentions(
        &stderr,
        &[
            "tests/fixtures/facts/mistyped_attributes.yaml: error: transactions[0] (pay-1): attribute `beneficiary_bank_country` is \"Germany\"",
            "entities[1] (dev-1): attribute `refused_video`",
            "3 problem(s) in the facts",
        ],
    );
}
