//! The command-line contract: `check` diagnostics and `eval` output formats.

use std::process::{Command, Output};

/// Runs the `interdict` binary from the crate root, so paths in its output are relative.
pub fn interdict(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interdict"))
        .args(args)
        .current_dir(crate::root())
        .output()
        .unwrap()
}

/// Runs `interdict eval` on the shipped policies and the Silver Star example, with `extra` flags.
fn eval_example(extra: &[&str]) -> Output {
    let base = [
        "eval",
        "--policy",
        "policies/",
        "--facts",
        "examples/silverstar.yaml",
    ];
    interdict(&[&base[..], extra].concat())
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn shipped_policies_check_cleanly() {
    let output = interdict(&["check", "policies/"]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert!(stdout(&output).starts_with("ok: "));
}

#[test]
fn every_invalid_fixture_fails_with_a_located_diagnostic() {
    let _glob = crate::glob_lock();
    insta::glob!("../fixtures/invalid", "*.policy", |path| {
        let relative = path.strip_prefix(crate::root()).unwrap().to_str().unwrap();
        let output = interdict(&["check", relative]);
        let rendered = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{relative} must be rejected");
        assert!(
            rendered.starts_with(&format!("{relative}:")),
            "diagnostic names the file: {rendered}"
        );
        assert!(
            rendered.contains(": error[E0") && rendered.contains('^'),
            "diagnostic has a caret: {rendered}"
        );
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn every_warning_fixture_passes_with_a_located_warning() {
    let _glob = crate::glob_lock();
    insta::glob!("../fixtures/warnings", "*.policy", |path| {
        let relative = path.strip_prefix(crate::root()).unwrap().to_str().unwrap();
        let output = interdict(&["check", relative]);
        let rendered = stderr(&output);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{relative} has only warnings: {rendered}"
        );
        assert!(rendered.starts_with(&format!("{relative}:")), "{rendered}");
        assert!(rendered.contains(": warning[W04"), "{rendered}");
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn check_json_lists_errors_and_warnings_with_codes_and_positions() {
    let output = interdict(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/invalid/unknown_name.policy",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["errors"], 1);
    let first = &document["diagnostics"][0];
    assert_eq!(first["code"], "E0101");
    assert_eq!(first["severity"], "error");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(6), Some(61))
    );
    assert_eq!(first["help"], "did you mean `dprk_programs`?");
    let clean = interdict(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/warnings/unused_constant.policy",
    ]);
    assert_eq!(clean.status.code(), Some(0));
    let document: serde_json::Value = serde_json::from_str(&stdout(&clean)).unwrap();
    assert_eq!(
        (document["errors"].as_u64(), document["warnings"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(document["diagnostics"][0]["code"], "W0402");
}

#[test]
fn the_shipped_policies_are_formatted() {
    let output = interdict(&["fmt", "--check", "policies/"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
}

#[test]
fn problems_in_several_files_are_all_reported() {
    let output = interdict(&[
        "check",
        "tests/fixtures/invalid/unknown_field.policy",
        "tests/fixtures/invalid/wrong_type.policy",
    ]);
    let rendered = stderr(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        rendered.contains("unknown_field.policy:4:41: error[E0102]:"),
        "{rendered}"
    );
    assert!(
        rendered.contains("wrong_type.policy:4:8: error[E0104]:"),
        "{rendered}"
    );
    assert!(rendered.contains("2 error(s)"), "{rendered}");
}

#[test]
fn a_missing_policy_path_is_an_input_error() {
    let output = interdict(&["check", "policies/does-not-exist.policy"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("policies/does-not-exist.policy"));
}

#[test]
fn eval_json_follows_the_decision_contract() {
    let output = eval_example(&["--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let decisions = document["decisions"].as_array().unwrap();
    assert!(decisions.len() >= 8);
    for decision in decisions {
        assert!(decision["transaction"].is_string());
        assert!(["block", "review", "allow"].contains(&decision["outcome"].as_str().unwrap()));
        for reason in decision["reasons"].as_array().unwrap() {
            for field in [
                "rule",
                "effect",
                "message",
                "citations",
                "evidence",
                "source",
            ] {
                assert!(
                    reason.get(field).is_some(),
                    "reason lacks `{field}`: {reason}"
                );
            }
        }
    }
    let first = &decisions[0];
    assert_eq!(first["transaction"], "tx-1001");
    assert_eq!(first["outcome"], "block");
    assert_eq!(first["reasons"][0]["evidence"][1]["kind"], "designation");
    assert_eq!(first["reasons"][0]["evidence"][1]["ref"], "SDN 24978");
}

#[test]
fn eval_output_is_byte_for_byte_repeatable() {
    let args = ["--format", "json"];
    assert_eq!(eval_example(&args).stdout, eval_example(&args).stdout);
}

#[test]
fn eval_yaml_carries_the_same_content_as_json() {
    let json: serde_json::Value = serde_json::from_slice(
        &eval_example(&["--transaction", "tx-1002", "--format", "json"]).stdout,
    )
    .unwrap();
    let yaml = stdout(&eval_example(&[
        "--transaction",
        "tx-1002",
        "--format",
        "yaml",
    ]));
    assert!(yaml.contains("transaction: tx-1002"), "{yaml}");
    assert!(yaml.contains("outcome: block"), "{yaml}");
    assert_eq!(json["decisions"][0]["outcome"], "block");
    assert!(
        yaml.contains("kind: relation") && yaml.contains("percent: 100"),
        "{yaml}"
    );
}

#[test]
fn eval_as_of_replays_an_earlier_day() {
    let today = stdout(&eval_example(&["--transaction", "tx-1001"]));
    let before_listing = stdout(&eval_example(&[
        "--transaction",
        "tx-1001",
        "--as-of",
        "2018-09-12",
    ]));
    assert!(today.starts_with("Transaction tx-1001: BLOCK"), "{today}");
    assert!(
        before_listing.starts_with("Transaction tx-1001: ALLOW"),
        "{before_listing}"
    );
    assert!(before_listing.contains("Decided as of 2018-09-12."));
}

#[test]
fn eval_rejects_a_bad_as_of_date_and_an_unknown_transaction() {
    let bad_date = eval_example(&["--as-of", "2024-02-30"]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(stderr(&bad_date).contains("2024-02-30"));
    let unknown = eval_example(&["--transaction", "tx-9"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("no transaction `tx-9`"));
}

#[test]
fn eval_text_reads_like_a_memo() {
    let output = eval_example(&["--transaction", "tx-1002"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(redact_digests(&stdout(&output)));
}

/// Replaces SHA-256 digests, which change with every edit of a policy, by a fixed marker.
fn redact_digests(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("sha256:") {
        let (before, after) = rest.split_at(at + "sha256:".len());
        out.push_str(before);
        let digits = after.chars().take_while(char::is_ascii_hexdigit).count();
        out.push_str("[digest]");
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[test]
fn import_prints_what_each_list_gave() {
    let Some(data) = crate::reference_data() else {
        return;
    };
    let un = format!(
        "un={}",
        data.join("un/consolidated-2026-02-27.xml").display()
    );
    let ftm = format!("ftm={}", data.join("opensanctions/zala.ftm.json").display());
    let output = interdict(&["import", "--list", &un, "--list", &ftm]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(report.contains("1,003 records read"), "{report}");
    assert!(report.contains("48 %, 50 %, 51 %"), "{report}");
    assert!(report.contains("entity store: 1020 entities"), "{report}");
}

#[test]
fn import_joins_an_sdn_file_with_a_later_release_and_counts_the_orphans() {
    let Some(data) = crate::reference_data() else {
        return;
    };
    let joined = format!(
        "ofac={},{}",
        data.join("ofac/2024-05").display(),
        data.join("ofac/2025-12").display()
    );
    let output = interdict(&["import", "--list", &joined]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(report.contains("14,965 records read"), "{report}");
    assert!(
        report.contains("7,359 orphan rows for 4,253 entries not in sdn.csv"),
        "{report}"
    );
    assert!(
        report.contains("2,460 alias rows whose entry is not in sdn.csv"),
        "{report}"
    );
}

#[test]
fn a_bad_list_argument_is_refused() {
    let output = interdict(&["import", "--list", "sdn=somewhere"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("sdn"), "{}", stderr(&output));
}

#[test]
fn two_files_declaring_one_policy_id_are_refused() {
    let dir =
        std::env::temp_dir().join(format!("interdict-duplicate-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = "policy same \"One id, two files\" { jurisdiction US }\n";
    std::fs::write(dir.join("a.policy"), text).unwrap();
    std::fs::write(dir.join("b.policy"), text).unwrap();
    let output = interdict(&["check", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    let rendered = stderr(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        rendered.contains("b.policy:1:8: error[E0203]: policy `same` is declared twice"),
        "{rendered}"
    );
}

#[test]
fn a_licence_cannot_release_a_rule_of_another_jurisdiction() {
    let output = interdict(&["check", "tests/fixtures/cross_jurisdiction/"]);
    let rendered = stderr(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        rendered.contains("uk_licence.policy:6:10: error[E0209]: exemption `ofsi_licence` (UK) cannot release `us_designated` (US)"),
        "{rendered}"
    );
}

#[test]
fn the_policy_digest_depends_on_the_texts_only() {
    let digest = |args: &[&str]| {
        let output = interdict(
            &[
                &[
                    "eval",
                    "--facts",
                    "examples/silverstar.yaml",
                    "--transaction",
                    "tx-1001",
                    "--format",
                    "json",
                ][..],
                args,
            ]
            .concat(),
        );
        let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        (
            document["decisions"][0]["policy_digest"].clone(),
            document["decisions"][0]["reasons"].clone(),
        )
    };
    let plain = digest(&["--policy", "policies"]);
    let dotted = digest(&["--policy", "./policies/"]);
    let absolute_path = crate::at("policies");
    let absolute = digest(&["--policy", absolute_path.to_str().unwrap()]);
    assert_eq!(plain.0, dotted.0);
    assert_eq!(plain.0, absolute.0);
    let forward = digest(&[
        "--policy",
        "policies/us_ownership.policy",
        "policies/jurisdictions.policy",
        "policies/ofac_dprk.policy",
    ]);
    let backward = digest(&[
        "--policy",
        "policies/ofac_dprk.policy",
        "policies/jurisdictions.policy",
        "policies/us_ownership.policy",
    ]);
    assert_eq!(
        forward, backward,
        "argument order changes neither the digest nor the reasons"
    );
}

#[test]
fn the_it_worker_pack_reads_like_a_memo() {
    let output = interdict(&[
        "eval",
        "--policy",
        "policies/dprk_it_workers.policy",
        "--facts",
        "examples/it-workers.yaml",
        "--transaction",
        "pay-203",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let memo = stdout(&output);
    assert!(
        memo.starts_with("Transaction pay-203: REVIEW\nA payroll of 4,100 USD dated 2025-03-01"),
        "{memo}"
    );
    insta::assert_snapshot!(redact_digests(&memo));
}

#[test]
fn eval_applies_a_licence_file_to_the_parties_it_covers_only() {
    // 31 CFR 501.801 and E.O. 14046 GL 4 (b)(2): the wind-down licence releases the block about
    // Red Sea Trading Corporation's subsidiary, not the one about an unrelated blocked bank.
    let output = interdict(&[
        "eval",
        "--policy",
        "policies/",
        "--facts",
        "examples/licences.yaml",
        "--licences",
        "policies/licences/general.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let decisions = document["decisions"].as_array().unwrap();
    assert_eq!(decisions[0]["jurisdictions"]["US"]["outcome"], "allow");
    assert_eq!(decisions[0]["licences"][0]["number"], "GL 4");
    assert_eq!(decisions[1]["jurisdictions"]["US"]["outcome"], "block");
    assert_eq!(
        decisions[1]["licences"][0]["released"][0]["entity"],
        "red-sea-shipping"
    );
}
