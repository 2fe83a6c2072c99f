//! Binary store snapshots: decisions taken on an opened snapshot are the decisions taken on the
//! facts it was written from, its digest is the SHA-256 of the file, and a damaged or foreign file
//! is refused with an error naming it.

use std::path::PathBuf;

use interdict::{Facts, FactsError, PolicySet};
use sha2::{Digest, Sha256};

use crate::cli::interdict;

/// A scratch file for this test process.
fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("interdict-store-{}-{name}", std::process::id()))
}

fn snapshot_error(facts: Result<Facts, FactsError>) -> String {
    match facts {
        Err(error @ FactsError::Snapshot { .. }) => error.to_string(),
        Err(other) => panic!("expected a snapshot error, got {other}"),
        Ok(_) => panic!("a damaged snapshot must not open"),
    }
}

#[test]
fn an_opened_snapshot_decides_every_example_as_its_facts_do() {
    let policies = PolicySet::load(&[crate::at("policies")]).unwrap();
    for example in [
        "examples/silverstar.yaml",
        "examples/ownership-control.yaml",
        "examples/red-flags.yaml",
        "examples/licences.yaml",
    ] {
        let facts = Facts::load(crate::at(example)).unwrap();
        let path = scratch("example.bin");
        let digest = facts.write_snapshot(&path).unwrap();
        let opened = Facts::load(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();

        assert_eq!(digest, format!("sha256:{:x}", Sha256::digest(&bytes)));
        assert_eq!(
            opened.digest(),
            digest,
            "{example}: the file's digest is the store's"
        );
        assert_eq!(opened.entity_count(), facts.entity_count());
        let before = policies.decide_all(&facts, None);
        let after = policies.decide_all(&opened, None);
        assert_eq!(before.len(), after.len());
        for (mut before, after) in before.into_iter().zip(after) {
            assert_eq!(after.facts_digest, digest);
            before.facts_digest.clone_from(&after.facts_digest);
            assert_eq!(before, after, "{example}: {}", after.transaction);
        }
    }
}

#[test]
fn a_truncated_or_altered_snapshot_is_refused() {
    let facts = Facts::load(crate::at("examples/silverstar.yaml")).unwrap();
    let (bytes, _) = facts.to_snapshot().unwrap();
    let message = snapshot_error(Facts::from_snapshot("cut.bin", &bytes[..bytes.len() / 2]));
    assert!(
        message.starts_with("cut.bin: the snapshot is damaged"),
        "{message}"
    );

    let mut altered = bytes.clone();
    let last = altered.len() - 1;
    altered[last] ^= 0xFF;
    let message = snapshot_error(Facts::from_snapshot("altered.bin", &altered));
    assert!(message.contains("damaged"), "{message}");
}

#[test]
fn a_file_that_is_no_snapshot_or_of_another_version_is_named() {
    let message = snapshot_error(Facts::from_snapshot("facts.yaml", b"entities: []\n"));
    assert!(
        message.contains("not an Interdict store snapshot"),
        "{message}"
    );

    let facts = Facts::load(crate::at("examples/silverstar.yaml")).unwrap();
    let (mut bytes, _) = facts.to_snapshot().unwrap();
    bytes[15] = 0;
    let message = snapshot_error(Facts::from_snapshot("old.bin", &bytes));
    assert!(
        message.contains("another version of Interdict"),
        "{message}"
    );
}

#[test]
fn import_writes_a_snapshot_that_eval_opens_and_cites() {
    let path = scratch("import.bin");
    let out = path.to_str().unwrap();
    let import = interdict(&[
        "import",
        "--list",
        "ftm=tests/fixtures/lists/ftm_small.ftm.json",
        "--out",
        out,
    ]);
    let report = String::from_utf8(import.stdout).unwrap();
    assert_eq!(import.status.code(), Some(0), "{report}");
    let bytes = std::fs::read(&path).unwrap();
    let digest = format!("sha256:{:x}", Sha256::digest(&bytes));
    assert!(report.contains(&format!("digest {digest}")), "{report}");

    let eval = interdict(&["eval", "--policy", "policies/", "--facts", out]);
    std::fs::remove_file(&path).unwrap();
    let stderr = String::from_utf8(eval.stderr).unwrap();
    assert!(
        !stderr.contains("error"),
        "eval opens the snapshot: {stderr}"
    );
}
