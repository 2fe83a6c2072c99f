//! Import time of the real lists, from files on disk to a `FactsDocument` and report.
//!
//! - `lists/ofac_2024_05_sdn_with_2025_12_side_files`: OFAC's sdn.csv of May 2024 (14,965 entries)
//!   joined with the December 2025 alt.csv, add.csv and sdn_comments.csv (about 44,000 more rows,
//!   some 7,000 of them orphans): reading, CSV splitting, remarks parsing, `Linked To:` resolution
//!   and the report. The target is under one second.
//! - `lists/un_consolidated`: the UN consolidated list XML (1,003 records).
//! - `load/ofac_join_into_facts`: `Facts::from_document` on the OFAC import, i.e. validating and
//!   indexing it into the entity store, the step after an import.
//!
//! Why: list snapshots are reloaded whenever a new release is published, and an engine restarted
//! with its lists must be ready in well under a second. The data comes from `INTERDICT_DATA`
//! (default `../shared/data`); without it the benchmark reports nothing and says so.

#![allow(
    clippy::expect_used,
    reason = "a benchmark whose reference data does not import cannot measure anything; failing loudly is right"
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};
use interdict::Facts;
use interdict::lists::{ofac, un};

/// The shared reference data folder, if present.
fn data() -> Option<PathBuf> {
    let folder = std::env::var_os("INTERDICT_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    folder.is_dir().then_some(folder)
}

fn benchmarks(c: &mut Criterion) {
    let Some(data) = data() else {
        eprintln!("note: no reference data (set INTERDICT_DATA); nothing measured");
        return;
    };
    let files = ofac::OfacFiles {
        sdn: data.join("ofac/2024-05/sdn.csv"),
        alt: Some(data.join("ofac/2025-12/alt.csv")),
        add: Some(data.join("ofac/2025-12/add.csv")),
        comments: Some(data.join("ofac/2025-12/sdn_comments.csv")),
    };
    let import = ofac::import_files(&files).expect("the OFAC join imports");
    eprintln!("{}", import.report);
    let un_file = data.join("un/consolidated-2026-02-27.xml");

    let mut group = c.benchmark_group("lists");
    // Flat sampling: each iteration takes a tenth of a second, so equal-sized samples fit the time.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(6));
    group.bench_function("ofac_2024_05_sdn_with_2025_12_side_files", |b| {
        b.iter(|| ofac::import_files(black_box(&files)).expect("imports"));
    });
    group.bench_function("un_consolidated", |b| {
        b.iter(|| un::import(black_box(&un_file)).expect("imports"));
    });
    group.finish();

    let mut group = c.benchmark_group("load");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(6));
    group.bench_function("ofac_join_into_facts", |b| {
        b.iter_batched(
            || import.document.clone(),
            |document| Facts::from_document("ofac", document).expect("loads"),
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(lists, benchmarks);
criterion_main!(lists);
