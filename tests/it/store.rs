//! Binary store snapshots: decisions taken on an opened snapshot are the decisions taken on the
//! facts it was written from, its digest answers for every byte of the file, and a damaged or
//! foreign file is refused with an error naming it.

use std::path::PathBuf;

use crate::cli::interdict;
use interdict::{Facts, FactsError, PolicySet};

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
        let in_memory = Facts::from_snapshot("example.bin", bytes).unwrap();
        std::fs::remove_file(&path).unwrap();

        assert_eq!(in_memory.digest(), digest);
        assert!(opened.verify_snapshot().is_ok(), "{example}");
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
    let opened = Facts::from_snapshot("altered.bin", altered).unwrap();
    let message = snapshot_error(opened.verify_snapshot().map(|()| opened));
    assert!(
        message.starts_with("altered.bin: the snapshot is damaged (designation chunk 0"),
        "{message}"
    );
}

/// The digest decisions cite answers for the whole file: whichever byte is changed, the snapshot
/// is refused on opening, carries another digest, or fails its check.
#[test]
fn every_byte_of_a_snapshot_is_under_its_digest() {
    let facts = Facts::load(crate::at("examples/silverstar.yaml")).unwrap();
    let (bytes, digest) = facts.to_snapshot().unwrap();
    for at in (0..bytes.len()).step_by(7) {
        let mut altered = bytes.clone();
        altered[at] ^= 0x20;
        let noticed = match Facts::from_snapshot("altered.bin", altered) {
            Err(_) => true,
            Ok(opened) => opened.digest() != digest || opened.verify_snapshot().is_err(),
        };
        assert!(
            noticed,
            "a change to byte {at} of {} went unnoticed",
            bytes.len()
        );
    }
}

#[test]
fn a_file_that_is_no_snapshot_or_of_another_version_is_named() {
    let message = snapshot_error(Facts::from_snapshot("facts.yaml", &b"entities: []\n"[..]));
    assert!(
        message.contains("not an Interdict store snapshot"),
        "{message}"
    );

    let facts = Facts::load(crate::at("examples/silverstar.yaml")).unwrap();
    let (mut bytes, _) = facts.to_snapshot().unwrap();
    bytes[15] = 0;
    let message = snapshot_error(Facts::from_snapshot("old.bin", bytes));
    assert!(
        message.contains("another version of Interdict"),
        "{message}"
    );
}

#[test]
fn decisions_taken_on_a_snapshot_are_audited_and_replay_from_it() {
    let path = scratch("audited.bin");
    let db = scratch("audit.db");
    let (store, audit) = (path.to_str().unwrap(), db.to_str().unwrap());
    let import = interdict(&[
        "import",
        "--facts",
        "examples/silverstar.yaml",
        "--list",
        "ftm=tests/fixtures/lists/ftm_small.ftm.json",
        "--accept-small-lists",
        "--out",
        store,
    ]);
    assert_eq!(
        import.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let eval = interdict(&[
        "eval",
        "--policy",
        "policies/",
        "--facts",
        store,
        "--record",
        audit,
    ]);
    let decided = String::from_utf8(eval.stdout).unwrap();
    let replay = interdict(&["replay", audit]);
    let replayed = String::from_utf8(replay.stdout).unwrap();
    std::fs::remove_file(&path).unwrap();
    std::fs::remove_file(&db).unwrap();
    assert!(decided.contains("BLOCK"), "{decided}");
    assert_eq!(replay.status.code(), Some(0), "{replayed}");
    assert!(!replayed.contains("differ"), "{replayed}");
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
    let digest = Facts::open_snapshot(&path).unwrap().digest().to_owned();
    assert!(report.contains(&format!("digest {digest}")), "{report}");

    let eval = interdict(&["eval", "--policy", "policies/", "--facts", out]);
    std::fs::remove_file(&path).unwrap();
    let stderr = String::from_utf8(eval.stderr).unwrap();
    assert!(
        !stderr.contains("error"),
        "eval opens the snapshot: {stderr}"
    );
}
