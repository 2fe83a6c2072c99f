//! Decision throughput of the shipped OFAC North Korea pack against a realistic entity store.
//!
//! What is measured, on a generated store of 10,000 entities and 20,000 relations (ownership with
//! stakes, control, directorships, sister companies, creators, employees) of which about 3 % are
//! designated under the DPRK programs and about 3 % under other programs:
//!
//! - `decide/pack_10k_entities`: one `PolicySet::decide` call, i.e. the latency of deciding a
//!   single two-party transaction with every rule of the pack, including the four-level ownership
//!   walk, rendering of the messages and resolving of the evidence (explanations are always on);
//! - `decide/batch_1000`: `PolicySet::decide_all` over a batch of 1,000 transactions, reported
//!   per transaction as well (throughput);
//! - `load/facts_10k`: `Facts::from_document`, i.e. validating the records and building the
//!   id, adjacency and designation indexes (the 1,000 transactions are part of the document).
//!
//! Why: a screening engine sits in the payment path, so the cost per decision and the cost of
//! reloading a facts snapshot are the two figures an operator sizes a deployment with. The data is
//! generated with a fixed-seed PRNG so runs are comparable; the outcome mix of the batch is printed
//! once to stderr to show that it exercises blocks, reviews and allows, not only the cheap path.

#![allow(
    clippy::expect_used,
    reason = "a benchmark with a broken fixture or policy pack cannot measure anything; failing loudly is right"
)]

mod workload;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use interdict::eval::DecideOptions;
use interdict::facts::BlockedSets;
use interdict::{Facts, PolicySet};

use workload::Workload;

fn benches(c: &mut Criterion) {
    // The North Korea pack alone: designated parties, majority and joint owners, chains,
    // controllers, directors, sisters and fronts, as the workload describes.
    let dprk = PolicySet::load(&[concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/policies/ofac_dprk.policy"
    )])
    .expect("the North Korea pack loads");
    // Every shipped pack: adds the US, EU and UK ownership rules (`is blocked` under three
    // regimes), the licence and the IT-worker red flags.
    let policies = PolicySet::load(&[concat!(env!("CARGO_MANIFEST_DIR"), "/policies")])
        .expect("the shipped policy pack loads");
    let document = workload::generate(Workload::DECIDE);
    let facts =
        Facts::from_document("bench-10k", document.clone()).expect("generated facts are valid");
    workload::report_mix("decide", &policies, &facts, Workload::DECIDE);
    let transactions = facts.transactions();

    let mut decide = c.benchmark_group("decide");
    decide.throughput(Throughput::Elements(1));
    decide.bench_function("dprk_pack_10k_entities", |b| {
        let sets = BlockedSets::default();
        let options = DecideOptions::default().sharing(&sets);
        let mut next = 0;
        b.iter(|| {
            let transaction = &transactions[next];
            next = (next + 1) % transactions.len();
            black_box(dprk.decide_with(black_box(&facts), transaction, options))
        });
    });
    decide.bench_function("all_packs_10k_entities", |b| {
        let sets = BlockedSets::default();
        let options = DecideOptions::default().sharing(&sets);
        let mut next = 0;
        b.iter(|| {
            let transaction = &transactions[next];
            next = (next + 1) % transactions.len();
            black_box(policies.decide_with(black_box(&facts), transaction, options))
        });
    });
    decide.throughput(Throughput::Elements(Workload::DECIDE.transactions as u64));
    decide.bench_function("batch_1000", |b| {
        b.iter(|| black_box(policies.decide_all(black_box(&facts), None)));
    });
    decide.finish();

    let mut load = c.benchmark_group("load");
    // A load takes milliseconds: flat sampling keeps 30 samples within the 3 s budget.
    load.sampling_mode(SamplingMode::Flat);
    load.bench_function("facts_10k", |b| {
        b.iter_batched(
            || document.clone(),
            |document| black_box(Facts::from_document("bench-10k", document)),
            BatchSize::LargeInput,
        );
    });
    load.finish();
}

criterion_group! {
    name = decide;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(decide);
