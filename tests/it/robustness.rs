//! Adversarial inputs: broken lists fail closed, importer warnings reach every command, and
//! damaged records are reported with their file and line.

use std::path::PathBuf;

use interdict::lists::{self, IssueKind, ListKind, Release};

use crate::cli::interdict;

/// A scratch folder of its own for one test.
fn scratch(name: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!(
        "interdict-robustness-{name}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

#[test]
fn a_zero_byte_sdn_csv_is_refused_not_screened_against() {
    let folder = scratch("empty-sdn");
    std::fs::write(folder.join("sdn.csv"), "").unwrap();
    let list = format!("ofac={}", folder.display());
    let output = interdict(&["screen", "--list", &list, "Kim Jong Un"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("holds 0 entries"), "{stderr}");
    assert!(stderr.contains("at least 1000"), "{stderr}");
    assert!(stderr.contains("--accept-small-lists"), "{stderr}");
    // eval fails closed too, rather than deciding against an empty list.
    let output = interdict(&[
        "eval",
        "--policy",
        "policies/",
        "--facts",
        "examples/silverstar.yaml",
        "--list",
        &list,
    ]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn an_implausibly_small_list_is_used_only_when_accepted_knowingly() {
    let list = "ofac=tests/fixtures/lists/ofac_small";
    let refused = interdict(&["screen", "--list", list, "Test"]);
    assert_eq!(refused.status.code(), Some(2));
    let accepted = interdict(&["screen", "--accept-small-lists", "--list", list, "Test"]);
    assert!(accepted.status.success());
    let release: Release = list.parse().unwrap();
    let error = lists::import_release(&release).unwrap_err();
    assert!(error.to_string().contains("holds 7 entries"), "{error}");
    assert_eq!(ListKind::Ftm.minimum_entries(), 1);
}

#[test]
fn import_warnings_reach_stderr_of_screen_and_eval() {
    let list = "ofac=tests/fixtures/lists/ofac_small";
    let screened = interdict(&["screen", "--accept-small-lists", "--list", list, "Test"]);
    let stderr = String::from_utf8_lossy(&screened.stderr);
    assert!(
        stderr.contains("warning: tests/fixtures/lists/ofac_small/sdn.csv: 1 alias rows whose entry is not in sdn.csv"),
        "{stderr}"
    );
    assert!(stderr.contains("alt.csv:3: ent_num 999"), "{stderr}");
    let decided = interdict(&[
        "eval",
        "--policy",
        "policies/",
        "--facts",
        "examples/silverstar.yaml",
        "--accept-small-lists",
        "--list",
        list,
    ]);
    assert!(decided.status.success());
    let stderr = String::from_utf8_lossy(&decided.stderr);
    assert!(
        stderr.contains("orphan") || stderr.contains("alias rows"),
        "{stderr}"
    );
}

#[test]
fn an_ftm_line_that_is_a_json_array_is_an_error_naming_the_line() {
    let folder = scratch("ftm-array");
    let file = folder.join("array.ftm.json");
    let entity = r#"{"id":"a","schema":"Person","properties":{"name":["A Person"]}}"#;
    std::fs::write(&file, format!("{entity}\n[\"x\", \"Person\"]\n")).unwrap();
    let error = lists::ftm::import(&file).unwrap_err();
    assert_eq!(error.line(), Some(2));
    assert_eq!(error.damage(), Some(lists::Damage::Json));
    assert!(
        error.to_string().contains("a JSON array, not an object"),
        "{error}"
    );
}

#[test]
fn a_repeated_ftm_relation_line_is_reported_with_its_file_and_line() {
    let folder = scratch("ftm-repeat");
    let file = folder.join("repeat.ftm.json");
    let text = std::fs::read_to_string("tests/fixtures/lists/ftm_small.ftm.json").unwrap();
    let ownership = text
        .lines()
        .find(|l| l.contains(r#""schema":"Ownership""#))
        .unwrap();
    std::fs::write(&file, format!("{text}\n{ownership}\n")).unwrap();
    let imported = lists::ftm::import(&file).unwrap();
    let issue = imported.report.issue(IssueKind::DuplicateEntry).unwrap();
    let line = text.lines().count() + 2;
    assert!(
        issue.examples[0].contains(&format!("repeat.ftm.json:{line}:")),
        "{:?}",
        issue.examples
    );
    // The import loads as facts: the repeated relation is not imported twice.
    interdict::Facts::from_document("ftm", imported.document).unwrap();
}

#[test]
fn several_reported_stakes_keep_the_highest() {
    let folder = scratch("ftm-stakes");
    let file = folder.join("stakes.ftm.json");
    let lines = [
        r#"{"id":"o","schema":"Person","properties":{"name":["Owner"]}}"#,
        r#"{"id":"c","schema":"Company","properties":{"name":["Asset"]}}"#,
        r#"{"id":"own","schema":"Ownership","properties":{"owner":["o"],"asset":["c"],"percentage":["25","50"]}}"#,
        r#"{"id":"band","schema":"Ownership","properties":{"owner":["o"],"asset":["c"],"percentage":["25-50%"]}}"#,
    ];
    std::fs::write(&file, lines.join("\n")).unwrap();
    let imported = lists::ftm::import(&file).unwrap();
    let stakes: Vec<Option<f64>> = imported
        .document
        .relations
        .iter()
        .map(|r| r.percent)
        .collect();
    assert_eq!(stakes, [Some(50.0), Some(50.0)]);
    assert_eq!(imported.report.count(IssueKind::SeveralStakes), 2);
}

/// A rule whose condition is `condition`, in a policy of its own.
fn policy_with(condition: &str) -> String {
    format!(
        "policy deep \"Deep\" {{ jurisdiction US }}\nrule r: review\n  when {condition}\n  because \"x\"\n"
    )
}

#[test]
fn operator_chains_are_refused_before_any_stage_recurses_over_them() {
    let chains = [
        format!("true{}", " == true".repeat(10_000)),
        format!("transaction.amount{}", " is present".repeat(10_000)),
        format!("\"a\"{}", " contains \"a\"".repeat(10_000)),
        format!("1{}", " < 2".repeat(10_000)),
    ];
    for chain in chains {
        let text = policy_with(&chain);
        let error = interdict::PolicySet::from_sources([interdict::Source::new(
            "deep.policy",
            text.as_str(),
        )])
        .unwrap_err();
        let rendered = error.render();
        assert!(
            rendered.contains("chains more than 150 operators"),
            "{rendered}"
        );
        let formatted = interdict::format::format_source("deep.policy", &text).unwrap_err();
        assert!(
            formatted.to_string().contains("150 operators"),
            "{formatted}"
        );
    }
}

#[test]
fn a_rule_at_the_depth_limit_is_checked_formatted_decided_cloned_and_dropped() {
    // The deepest tree the parser lets through: 150 operators inside 99 parentheses, on a test
    // thread's 2 MiB stack (a library user's worker thread may have no more).
    for operator in [" == true", " and true", " or true"] {
        let chain = format!(
            "{}true{}{}",
            "(".repeat(99),
            operator.repeat(150),
            ")".repeat(99)
        );
        let text = policy_with(&chain);
        interdict::format::format_source("deep.policy", &text).unwrap();
        let source = interdict::Source::new("deep.policy", text.as_str());
        let policies = match interdict::PolicySet::from_sources([source]) {
            Ok(policies) => policies,
            // A chain of `==` compares conditions, which the checker refuses: an answer, not a
            // crash.
            Err(error) => {
                assert!(
                    error.render().contains("compares values"),
                    "{}",
                    error.render()
                );
                continue;
            }
        };
        let copy = policies.clone();
        let facts = interdict::Facts::from_text(
            "f.yaml",
            "transactions:\n  - {id: t, kind: payment, date: 2024-01-01, parties: []}\n",
        )
        .unwrap();
        let decisions = copy.decide_all(&facts, None);
        assert_eq!(decisions.len(), 1);
        drop((policies, copy, decisions));
    }
    // One more operator is refused.
    let text = policy_with(&format!("true{}", " == true".repeat(151)));
    assert!(
        interdict::PolicySet::from_sources([interdict::Source::new("d.policy", text.as_str())])
            .is_err()
    );
}

#[test]
fn check_refuses_comparing_a_condition_with_true() {
    for condition in [
        "(transaction.amount.value > 1000) == true",
        "false != (transaction.amount.value > 1000)",
        "(transaction.amount.value is present) == false",
    ] {
        let text = policy_with(condition);
        let error = interdict::PolicySet::from_sources([interdict::Source::new(
            "cond.policy",
            text.as_str(),
        )])
        .unwrap_err();
        let rendered = error.render();
        assert!(rendered.contains("E0104"), "{rendered}");
        assert!(
            rendered.contains("write the condition itself"),
            "{rendered}"
        );
    }
    // An attribute is a value, and compares with `true` as one.
    let text = policy_with("transaction.attributes.rush == true");
    assert!(
        interdict::PolicySet::from_sources([interdict::Source::new("v.policy", text.as_str())])
            .is_ok()
    );
}
