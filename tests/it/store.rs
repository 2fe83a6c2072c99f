//! Binary store snapshots: decisions taken on an opened snapshot are the decisions taken on the
//! facts it was written from, its digest answers for every byte of the file, and a damaged or
//! foreign file is refused with an error naming it.

use std::path::PathBuf;

use crate::cli::interdict;
use interdict::facts::{FactsDocument, SnapshotWriter};
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
        let in_memory = Facts::from_shared_snapshot("example.bin", bytes.into()).unwrap();
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
            assert_eq!(*after.facts_digest, *digest);
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
    // A file cut inside its core, its tables or its records, opened from the file.
    let field = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
    let (core_end, tables_end) = (32 + field(16), 32 + field(16) + field(24));
    let path = scratch("cut.bin");
    for cut in [core_end - 1, tables_end - 1, bytes.len() - 1] {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let message = snapshot_error(Facts::open_snapshot(&path));
        assert!(
            message.contains("the snapshot is damaged"),
            "{cut}: {message}"
        );
    }
    std::fs::remove_file(&path).unwrap();

    let mut altered = bytes.clone();
    let last = altered.len() - 1;
    altered[last] ^= 0xFF;
    let opened = Facts::from_snapshot("altered.bin", &altered).unwrap();
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
        let noticed = match Facts::from_snapshot("altered.bin", &altered) {
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
    let message = snapshot_error(Facts::from_snapshot("facts.yaml", b"entities: []\n"));
    assert!(
        message.contains("not an Interdict store snapshot"),
        "{message}"
    );

    let facts = Facts::load(crate::at("examples/silverstar.yaml")).unwrap();
    let (mut bytes, _) = facts.to_snapshot().unwrap();
    // Format 5 kept the tables inside the core, format 4 had no chunk digests: both are refused
    // and re-imported rather than misread.
    for version in [5, 4, 0] {
        bytes[15] = version;
        let message = snapshot_error(Facts::from_snapshot("old.bin", &bytes));
        assert!(
            message.contains("another version of Interdict")
                && message.contains("write it again with `interdict import --out`"),
            "{message}"
        );
    }
}

/// A store whose tables are hashed in many pieces, on every core, has one digest however it is
/// opened, and a changed byte in any piece of its header, core or tables changes the digest or
/// is refused.
#[test]
fn a_store_hashed_in_pieces_answers_for_every_piece() {
    let generated = workload::Workload {
        entities: 30_000,
        relations: 60_000,
        transactions: 10,
    };
    let path = scratch("pieces.bin");
    let mut writer = SnapshotWriter::create(&path).unwrap();
    workload::generate_into(generated, &mut writer);
    let digest = writer.finish().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let opened = Facts::open_snapshot(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(opened.digest(), digest);
    assert_eq!(
        Facts::from_snapshot("pieces.bin", &bytes).unwrap().digest(),
        digest
    );

    let field = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
    let head = 32 + field(16) + field(24);
    assert!(field(24) > 1 << 20, "the tables span more than one piece");
    for at in (0..head).step_by(head / 40).chain([head - 1]) {
        let mut altered = bytes.clone();
        altered[at] ^= 0x01;
        let noticed = match Facts::from_snapshot("altered.bin", &altered) {
            Err(_) => true,
            Ok(opened) => opened.digest() != digest,
        };
        assert!(noticed, "a change to byte {at} of {head} went unnoticed");
    }
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

#[path = "../../benches/workload/mod.rs"]
mod workload;

/// The benchmark's generator writing straight into a snapshot, as `benches/scale.rs` has it.
impl workload::RecordSink for SnapshotWriter {
    fn entity(&mut self, record: interdict::facts::EntityRecord) {
        self.entity(record).unwrap();
    }
    fn designation(&mut self, record: interdict::facts::DesignationRecord) {
        self.designation(record).unwrap();
    }
    fn relation(&mut self, record: interdict::facts::RelationRecord) {
        self.relation(record).unwrap();
    }
    fn transaction(&mut self, record: interdict::facts::TransactionRecord) {
        self.transaction(record);
    }
}

/// Streams every record of `document` into a snapshot at `path`, sections in file order.
fn stream(document: FactsDocument, path: &std::path::Path) -> Result<String, FactsError> {
    let mut writer = SnapshotWriter::create(path)?;
    for entity in document.entities {
        writer.entity(entity)?;
    }
    for relation in document.relations {
        writer.relation(relation)?;
    }
    for designation in document.designations {
        writer.designation(designation)?;
    }
    document
        .transactions
        .into_iter()
        .for_each(|t| writer.transaction(t));
    document
        .licences
        .into_iter()
        .for_each(|l| writer.licence(l));
    document.rates.into_iter().for_each(|r| writer.rate(r));
    document
        .snapshots
        .into_iter()
        .for_each(|s| writer.list_snapshot(s));
    writer.finish()
}

/// The scratch files a snapshot writer keeps beside `path` while it writes.
fn leftovers(path: &std::path::Path) -> Vec<PathBuf> {
    ["entities", "relations", "designations"]
        .iter()
        .map(|section| PathBuf::from(format!("{}.{section}.part", path.display())))
        .chain([path.to_path_buf()])
        .filter(|file| file.exists())
        .collect()
}

/// A store too large to hold as a document is written record by record; the file must be the
/// one `interdict import --out` (which writes the loaded store) writes for the same records, so
/// its digest, and every decision citing it, is the same.
#[test]
fn a_snapshot_streamed_record_by_record_is_the_loaded_stores_byte_for_byte() {
    let generated = workload::Workload {
        entities: 2_000,
        relations: 4_000,
        transactions: 100,
    };
    let mut documents = vec![("generated".to_owned(), workload::generate(generated))];
    for example in [
        "examples/silverstar.yaml",
        "examples/ownership-control.yaml",
        "examples/licences.yaml",
        "tests/fixtures/eval/facts.yaml",
    ] {
        let document = FactsDocument::read(crate::at(example)).unwrap();
        documents.push((example.to_owned(), document));
    }
    for (name, document) in documents {
        let facts = Facts::from_document(&name, document.clone()).unwrap();
        let (expected, expected_digest) = facts.to_snapshot().unwrap();
        let path = scratch("streamed.bin");
        let digest = stream(document, &path).unwrap();
        let written = std::fs::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(digest, expected_digest, "{name}");
        assert!(written == expected, "{name}: the streamed snapshot differs");
        assert!(leftovers(&path).is_empty(), "{name}: scratch files left");
    }

    // The benchmark's path: records handed to the writer as they are generated.
    let path = scratch("generated.bin");
    let mut writer = SnapshotWriter::create(&path).unwrap();
    workload::generate_into(generated, &mut writer);
    let digest = writer.finish().unwrap();
    let opened = Facts::open_snapshot(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let facts = Facts::from_document("generated", workload::generate(generated)).unwrap();
    assert_eq!(opened.digest(), digest);
    assert_eq!(digest, facts.to_snapshot().unwrap().1);
    let policies = PolicySet::load(&[crate::at("policies")]).unwrap();
    let before = policies.decide_all(&facts, None);
    let after = policies.decide_all(&opened, None);
    for (mut before, after) in before.into_iter().zip(after) {
        before.facts_digest.clone_from(&after.facts_digest);
        assert_eq!(before, after, "{}", after.transaction);
    }
}

/// Streamed records are checked as a loaded file's are, every problem named by its record, and
/// nothing is written when any is found.
#[test]
fn streamed_records_with_problems_write_nothing_and_name_each_record() {
    use interdict::facts::{EntityKind, EntityRecord, RelationKind, RelationRecord};
    let relation = |id: Option<&str>, from: &str, to: &str| {
        let stake = RelationRecord::new(RelationKind::Owns, from, to).with_percent(60.0);
        match id {
            Some(id) => stake.with_id(id),
            None => stake,
        }
    };
    let path = scratch("invalid.bin");
    let mut writer = SnapshotWriter::create(&path).unwrap();
    for id in ["a", "b", "a"] {
        writer
            .entity(EntityRecord::new(id, EntityKind::Organization, "Acme Ltd"))
            .unwrap();
    }
    writer.relation(relation(None, "a", "b")).unwrap();
    writer.relation(relation(None, "a", "ghost")).unwrap();
    writer.relation(relation(Some("r1"), "b", "a")).unwrap();
    writer
        .entity(EntityRecord::new("late", EntityKind::Person, "Kim Chol"))
        .unwrap();
    let Err(FactsError::Invalid { problems, .. }) = writer.finish() else {
        panic!("the records have problems");
    };
    assert!(leftovers(&path).is_empty(), "{:?}", leftovers(&path));
    let error: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let error = error.join("\n");
    for expected in [
        "entities[2] (a): duplicate entity id `a`, first used by entities[0]",
        "relations[1] (r2): `to` names entity `ghost`, which is not among the entities",
        "relations[2] (r1): relation id `r1` was already given to relations[0]",
        "entities[3] (late): comes after relations or designations",
    ] {
        assert!(error.contains(expected), "{expected}\nin: {error}");
    }
}

/// Two loads of the same facts write the same snapshot, so two imports agree on the digest
/// decisions cite (a hash table archived in its insertion order once made them differ).
#[test]
fn the_same_facts_always_write_the_same_snapshot() {
    let generated = workload::Workload {
        entities: 2_000,
        relations: 4_000,
        transactions: 100,
    };
    let write = || {
        let facts = Facts::from_document("generated", workload::generate(generated)).unwrap();
        facts.to_snapshot().unwrap()
    };
    let (first, second) = (write(), write());
    assert_eq!(first.1, second.1);
    assert!(first.0 == second.0, "the two snapshots differ");
}

/// A damaged record chunk is refused when the command line opens the snapshot, naming the chunk,
/// rather than read as a store without those records (here, without its designations: every
/// payment would be allowed).
#[test]
fn eval_refuses_a_snapshot_with_a_damaged_chunk_and_names_it() {
    let facts = Facts::load(crate::at("examples/silverstar.yaml")).unwrap();
    let (mut bytes, _) = facts.to_snapshot().unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xFF;
    let path = scratch("damaged.bin");
    std::fs::write(&path, &bytes).unwrap();
    let eval = interdict(&[
        "eval",
        "--policy",
        "policies/",
        "--facts",
        path.to_str().unwrap(),
    ]);
    std::fs::remove_file(&path).unwrap();
    let stderr = String::from_utf8(eval.stderr).unwrap();
    assert_ne!(eval.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("the snapshot is damaged (designation chunk 0 does not match its digest"),
        "{stderr}"
    );
    assert!(eval.stdout.is_empty(), "no decision is printed");
}
