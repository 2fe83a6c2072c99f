//! Rendering the reviewer's report: `report/html_1000_decisions` renders one page for 1,000
//! decisions (the 16 Silver Star decisions, counterfactuals included, repeated under distinct
//! ids), graphs and all. The page's size is printed once to stderr: a report must stay small
//! enough to mail and archive, not only fast.

#![allow(
    clippy::expect_used,
    reason = "a benchmark with a broken fixture cannot measure anything; failing loudly is right"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use interdict::{Decision, Facts, PolicySet, report};

const DECISIONS: usize = 1_000;

fn decisions() -> Vec<Decision> {
    let policies = PolicySet::load(&["policies"]).expect("the shipped packs load");
    let facts = Facts::load("examples/silverstar.yaml").expect("the example loads");
    let mut base = policies.decide_all(&facts, None);
    for decision in &mut base {
        policies.what_would_change(decision);
    }
    (0..DECISIONS)
        .map(|i| {
            let mut decision = base[i % base.len()].clone();
            decision.transaction = format!("{}-{i}", decision.transaction);
            decision
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let decisions = decisions();
    let html = report::html(&decisions);
    eprintln!(
        "report of {DECISIONS} decisions: {} bytes ({:.1} MB, {} bytes a decision)",
        html.len(),
        html.len() as f64 / 1_000_000.0,
        html.len() / DECISIONS
    );
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.bench_function("html_1000_decisions", |b| {
        b.iter(|| report::html(black_box(&decisions)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
