//! The cost of keeping an audit record of every decision, and the space it takes.
//!
//! - `audit/record_batch_1000`: appending 1,000 decisions of the Silver Star example (each with
//!   its record, its decision bytes and a chained hash; policies and facts stored once by
//!   digest) to an SQLite audit store in one transaction; the per-decision cost is the median
//!   divided by 1,000. The target is under 50 µs a decision.
//! - The size of the store is measured after 20,000 decisions and printed to stderr with the
//!   figure for a million, extrapolated linearly (the per-decision rows dominate; the blobs are
//!   stored once).

#![allow(
    clippy::expect_used,
    reason = "a benchmark with a broken fixture cannot measure anything; failing loudly is right"
)]

use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use interdict::audit::{FactsBundle, record_all, sqlite::SqliteStore};
use interdict::record::RecordedOptions;
use interdict::{Decision, Facts, PolicySet};

const BATCH: usize = 1_000;

fn inputs() -> (PolicySet, FactsBundle, Vec<Decision>) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let policies = PolicySet::load(&[root.join("policies")]).expect("shipped policies load");
    let name = String::from("examples/silverstar.yaml");
    let text = std::fs::read_to_string(root.join(&name)).expect("example facts");
    let facts = Facts::from_text(&name, &text).expect("example facts load");
    let one_round = policies.decide_all(&facts, None);
    let decisions = one_round.iter().cycle().take(BATCH).cloned().collect();
    (policies, FactsBundle::Text { name, text }, decisions)
}

fn database(name: &str) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("interdict-bench-{}-{name}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

fn benchmarks(c: &mut Criterion) {
    let (policies, facts, decisions) = inputs();
    let options = RecordedOptions::default();
    let at = "2026-01-01T00:00:00Z";

    let size_path = database("size");
    let mut store = SqliteStore::open(&size_path).expect("store opens");
    let sample = 20 * BATCH;
    for _ in 0..sample / BATCH {
        record_all(
            &mut store,
            &policies,
            &facts,
            None,
            &decisions,
            options.clone(),
            at,
        )
        .expect("recorded");
    }
    drop(store);
    let bytes = std::fs::metadata(&size_path).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "audit store: {sample} decisions take {:.1} MB ({} bytes a decision); a million would take about {:.2} GB",
        bytes as f64 / 1e6,
        bytes / sample as u64,
        bytes as f64 / sample as f64 * 1e6 / 1e9
    );
    let _ = std::fs::remove_file(&size_path);

    let path = database("speed");
    let mut store = SqliteStore::open(&path).expect("store opens");
    let mut group = c.benchmark_group("audit");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("record_batch_1000", |b| {
        b.iter(|| {
            record_all(
                &mut store,
                &policies,
                &facts,
                None,
                &decisions,
                options.clone(),
                at,
            )
        })
    });
    group.finish();
    drop(store);
    let _ = std::fs::remove_file(&path);
}

criterion_group! {
    name = audit;
    config = Criterion::default().measurement_time(Duration::from_secs(5));
    targets = benchmarks
}
criterion_main!(audit);
