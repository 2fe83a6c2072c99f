//! The in-process figure the Python binding's throughput is measured against.
//!
//! `python/benches/throughput.py` times batches of decisions through the binding on the Silver
//! Star facts with generated payments appended. This bench decides the very same facts (the same
//! generator, written out the same way) in Rust, one core, with no Python at all:
//!
//! - `binding/decide_json`: `PolicySet::decide_with` and `serde_json::to_string`, i.e. the
//!   decision and its compact JSON exactly as `Engine.decide_batch_json` renders them;
//! - `binding/decide`: the decision alone, without rendering its JSON.
//!
//! Why: the cost of the binding is the Python figure less this one, and a data team sizing a
//! Spark job needs to know whether it is paying for the engine or for the crossing into Python.
//! The payments cycle through the file, so both figures average over blocks, reviews and allows.

#![allow(
    clippy::expect_used,
    reason = "a benchmark with a broken fixture or policy pack cannot measure anything; failing loudly is right"
)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use interdict::eval::DecideOptions;
use interdict::{Facts, PolicySet};

/// Payments appended to the Silver Star facts, as `throughput.py` appends them by default.
const PAYMENTS: usize = 100_000;

/// Parties that are not designated and touch nothing designated.
const CLEAN: [&str; 3] = ["acme", "northwind", "fjord-relief"];

/// The designated network of the Silver Star example: a quarter of the payments go to one of them.
const NETWORK: [&str; 13] = [
    "volasys",
    "yanbian-silverstar",
    "silver-star-software",
    "amur-data",
    "tumen-trading",
    "harbin-bright",
    "kumgang-web",
    "primorye-cloud",
    "ussuri-systems",
    "paektu-minerals",
    "haeju-logistics",
    "rason-digital",
    "komid",
];

/// The Silver Star facts with `count` generated payments, one JSON (YAML flow) line each, written
/// where `throughput.py` would read them; the arithmetic matches `payment()` there line for line.
fn facts_with_payments(count: usize) -> PathBuf {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut text = std::fs::read_to_string(format!("{root}/examples/silverstar.yaml"))
        .expect("the Silver Star example is readable");
    for i in 0..count {
        let beneficiary = if i % 4 == 0 {
            NETWORK[(i * 7919) % NETWORK.len()]
        } else {
            CLEAN[(i * 7919) % CLEAN.len()]
        };
        let originator = CLEAN[(i * 104_729) % CLEAN.len()];
        let value = 100 + (i * 48_271) % 99_901;
        writeln!(
            text,
            "  - {{\"id\": \"p-{i}\", \"kind\": \"payment\", \"date\": \"2024-03-01\", \
             \"amount\": {{\"value\": {value}, \"currency\": \"USD\"}}, \"parties\": \
             [{{\"role\": \"originator\", \"entity\": \"{originator}\"}}, \
             {{\"role\": \"beneficiary\", \"entity\": \"{beneficiary}\"}}]}}"
        )
        .expect("writing to a string cannot fail");
    }
    let path = std::env::temp_dir().join(format!("interdict-binding-{}.yaml", std::process::id()));
    std::fs::write(&path, text).expect("the temporary directory is writable");
    path
}

fn benches(c: &mut Criterion) {
    let policies = PolicySet::load(&[concat!(env!("CARGO_MANIFEST_DIR"), "/policies")])
        .expect("the shipped policy pack loads");
    let path = facts_with_payments(PAYMENTS);
    let facts = Facts::load(&path).expect("the generated facts load");
    std::fs::remove_file(&path).expect("the generated facts can be removed");
    let transactions = facts.transactions();

    let mut group = c.benchmark_group("binding");
    group.throughput(Throughput::Elements(1));
    group.bench_function("decide_json", |b| {
        let mut next = 0;
        b.iter(|| {
            let transaction = &transactions[next];
            next = (next + 1) % transactions.len();
            let decision = policies.decide_with(&facts, transaction, DecideOptions::default());
            black_box(serde_json::to_string(&decision).expect("a decision serialises"))
        });
    });
    group.bench_function("decide", |b| {
        let mut next = 0;
        b.iter(|| {
            let transaction = &transactions[next];
            next = (next + 1) % transactions.len();
            black_box(policies.decide_with(&facts, transaction, DecideOptions::default()))
        });
    });
    group.finish();
}

criterion_group!(binding, benches);
criterion_main!(binding);
