//! The audit store: record, replay byte for byte, detect a changed byte, refuse databases it
//! cannot use without touching them (issue 11; US record-keeping, 31 CFR 501.601).

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::cli::interdict;

/// A fresh database path for one test.
fn database(name: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("interdict-audit-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join(format!("{name}.db"));
    let _ = std::fs::remove_file(&path);
    path
}

fn record_example(db: &Path, extra: &[&str]) -> Output {
    let db = db.to_str().unwrap();
    let base = [
        "eval",
        "--policy",
        "policies/",
        "--facts",
        "examples/silverstar.yaml",
        "--record",
        db,
    ];
    interdict(&[&base[..], extra].concat())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let output = interdict(args);
    (
        output.status.code(),
        text(&output.stdout),
        text(&output.stderr),
    )
}

#[test]
fn the_silver_star_example_replays_byte_for_byte_from_its_record() {
    let db = database("replay");
    let output = record_example(&db, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    // The memo printed is the one printed without recording: the record stays out of it.
    let plain = interdict(&[
        "eval",
        "--policy",
        "policies/",
        "--facts",
        "examples/silverstar.yaml",
    ]);
    assert_eq!(output.stdout, plain.stdout);
    let (code, out, _) = run(&["replay", db.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("decision 2 (tx-1002): identical"), "{out}");
    assert!(
        out.ends_with("16 decision(s) replayed, 16 identical\n"),
        "{out}"
    );
    let (code, out, _) = run(&["audit", "verify", db.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "ok: 16 decision(s) and 2 blob(s) checked; the chain is intact\n"
    );
}

#[test]
fn records_carry_engine_policies_lists_and_time_and_store_blobs_once() {
    let db = database("record");
    let list = "ofac=tests/fixtures/lists/ofac_release_2024_05@2024-05-03";
    let facts = "tests/fixtures/provenance/payments.yaml";
    for as_of in ["2020-01-01", "2024-06-01"] {
        let output = interdict(&[
            "eval",
            "--policy",
            "policies/",
            "--facts",
            facts,
            "--accept-small-lists",
            "--list",
            list,
            "--as-of",
            as_of,
            "--record",
            db.to_str().unwrap(),
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    }
    let connection = rusqlite::Connection::open(&db).unwrap();
    let blobs: i64 = connection
        .query_row("SELECT count(*) FROM blobs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(blobs, 2, "the policies and the facts, each stored once");
    let record: Vec<u8> = connection
        .query_row("SELECT record FROM decisions WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let record: serde_json::Value = serde_json::from_slice(&record).unwrap();
    assert_eq!(
        record["engine"],
        format!("interdict {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(record["options"]["as_of"], "2020-01-01");
    assert_eq!(record["lists"][0]["published"], "2024-05-03");
    let dprk = record["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "ofac_dprk")
        .unwrap();
    assert_eq!(dprk["version"], "2026.1");
    assert!(dprk["digest"].as_str().unwrap().starts_with("sha256:"));
    assert!(record["decided_at"].as_str().unwrap().ends_with('Z'));
    // Screened, as-of decisions against a list replay too.
    let (code, out, _) = run(&["replay", db.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.ends_with("6 decision(s) replayed, 6 identical\n"),
        "{out}"
    );
}

#[test]
fn editing_one_stored_byte_is_detected() {
    let db = database("tamper");
    assert_eq!(record_example(&db, &[]).status.code(), Some(0));
    // Flip one byte of the file itself: tx-1002's outcome, inside the stored decision. Free
    // space in the file may hold stale copies of the row, so the byte flipped is the one SQLite
    // reads back.
    let original = std::fs::read(&db).unwrap();
    let needle = br#""transaction":"tx-1002","summary""#;
    let live = (0..original.len())
        .filter(|&at| original[at..].starts_with(needle))
        .find_map(|at| {
            let outcome = original[at..]
                .windows(17)
                .position(|w| w == br#""outcome":"block""#)?;
            let mut bytes = original.clone();
            bytes[at + outcome + 11] = b'B';
            std::fs::write(&db, &bytes).unwrap();
            let connection = rusqlite::Connection::open(&db).unwrap();
            let stored: Vec<u8> = connection
                .query_row("SELECT decision FROM decisions WHERE id = 2", [], |r| {
                    r.get(0)
                })
                .unwrap();
            text(&stored).contains(r#""outcome":"Block""#).then_some(at)
        });
    assert!(live.is_some(), "the stored decision was found in the file");
    let (code, _, err) = run(&["audit", "verify", db.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.starts_with("error: decision 2 was changed after it was recorded"),
        "{err}"
    );
    // Replay shows the exact difference between the stored and the replayed decision.
    let (code, _, err) = run(&["replay", db.to_str().unwrap(), "2"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("decision 2 (tx-1002): DIFFERENT"), "{err}");
    assert!(
        err.contains("-  \"outcome\": \"Block\",\n+  \"outcome\": \"block\","),
        "{err}"
    );
}

#[test]
fn a_changed_blob_is_detected() {
    let db = database("blob");
    assert_eq!(record_example(&db, &[]).status.code(), Some(0));
    let connection = rusqlite::Connection::open(&db).unwrap();
    connection
        .execute(
            "UPDATE blobs SET content = CAST(replace(content, 'percent: 100', 'percent: 10') AS BLOB) WHERE kind = 'facts'",
            [],
        )
        .unwrap();
    drop(connection);
    let (code, _, err) = run(&["audit", "verify", db.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("was changed after it was stored"), "{err}");
}

#[test]
fn a_database_from_a_newer_schema_is_refused_and_left_as_it_was() {
    let db = database("newer");
    assert_eq!(record_example(&db, &[]).status.code(), Some(0));
    let connection = rusqlite::Connection::open(&db).unwrap();
    connection.execute_batch("PRAGMA user_version = 2").unwrap();
    drop(connection);
    let before = std::fs::read(&db).unwrap();
    let output = record_example(&db, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        text(&output.stderr),
        format!(
            "error: the audit database `{}` has schema version 2, newer than the 1 this engine \
             reads; use a newer interdict (nothing was written)\n",
            db.display()
        )
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_truncated_database_is_refused_and_left_as_it_was() {
    let db = database("truncated");
    assert_eq!(record_example(&db, &[]).status.code(), Some(0));
    let bytes = std::fs::read(&db).unwrap();
    let cut = &bytes[..bytes.len() / 2];
    std::fs::write(&db, cut).unwrap();
    for args in [
        vec!["audit", "verify", db.to_str().unwrap()],
        vec!["replay", db.to_str().unwrap()],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with(&format!(
                "error: cannot use the audit database `{}`",
                db.display()
            )),
            "{err}"
        );
    }
    let output = record_example(&db, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).ends_with("it is left as it was (nothing was written)\n"));
    assert_eq!(std::fs::read(&db).unwrap(), cut);
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let db = database("not-a-db");
    std::fs::write(&db, "facts, not a database\n").unwrap();
    let output = record_example(&db, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("cannot use the audit database"));
    assert_eq!(std::fs::read(&db).unwrap(), b"facts, not a database\n");
}
