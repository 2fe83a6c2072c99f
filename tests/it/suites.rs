//! `interdict test`: the shipped suites pass, and a wrong expectation fails readably.

use crate::cli::interdict;

#[test]
fn the_shipped_suites_pass() {
    let output = interdict(&["test", "policies/"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("running 20 cases from policies/tests/silverstar.test.yaml"),
        "{stdout}"
    );
    assert!(
        stdout.contains("running 12 cases from policies/tests/it_workers.test.yaml"),
        "{stdout}"
    );
    for suite in [
        "running 9 cases from policies/tests/ownership_control.test.yaml",
        "running 7 cases from policies/tests/red_flags.test.yaml",
        "running 20 cases from policies/tests/silverstar.test.yaml",
        "running 5 cases from policies/tests/structuring.test.yaml",
    ] {
        assert!(stdout.contains(suite), "{stdout}");
    }
    // Every case of every suite ran: a suite that stops loading cannot pass unnoticed.
    assert!(
        stdout
            .trim_end()
            .ends_with("test result: ok. 53 passed; 0 failed"),
        "{stdout}"
    );
}

#[test]
fn a_wrong_expectation_fails_with_a_readable_difference() {
    let output = interdict(&["test", "tests/fixtures/suites/wrong_expectation.test.yaml"]);
    let report = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        report.contains("case a wrong expectation about the ownership block ... FAILED"),
        "{report}"
    );
    assert!(
        report.contains("outcome: expected review, got block"),
        "{report}"
    );
    assert!(
        report.contains("test result: FAILED. 1 passed; 1 failed"),
        "{report}"
    );
    insta::assert_snapshot!(report);
}

#[test]
fn an_unknown_field_in_a_suite_is_an_error() {
    let output = interdict(&["test", "tests/fixtures/suites/unknown_field.test.yaml"]);
    let report = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        report.contains("tests/fixtures/suites/unknown_field.test.yaml:6:"),
        "{report}"
    );
    assert!(report.contains("unknown field `rule`"), "{report}");
}
