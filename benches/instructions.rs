//! One pass of the decision workload under one pack, for instruction counts that stay repeatable
//! on a loaded machine: `valgrind --tool=callgrind --toggle-collect='*instructions::measured*'
//! target/release/deps/instructions-* dprk` counts only the decisions (a first, unmeasured pass
//! fills the store's caches, as the criterion benches' warm-up does).
//!
//! The argument names the pack: `dprk` (policies/ofac_dprk.policy) or `all` (every shipped pack).

#![allow(
    clippy::expect_used,
    reason = "a benchmark with a broken fixture or policy pack cannot measure anything; failing loudly is right"
)]

mod workload;

use std::hint::black_box;

use interdict::{Decision, Facts, PolicySet};

use workload::Workload;

fn main() {
    let pack = std::env::args()
        .nth(1)
        .unwrap_or_else(|| String::from("dprk"));
    let path = match pack.as_str() {
        "all" => concat!(env!("CARGO_MANIFEST_DIR"), "/policies"),
        _ => concat!(env!("CARGO_MANIFEST_DIR"), "/policies/ofac_dprk.policy"),
    };
    let policies = PolicySet::load(&[path]).expect("the pack loads");
    let facts = Facts::from_document("bench-10k", workload::generate(Workload::DECIDE))
        .expect("generated facts are valid");
    black_box(policies.decide_all(&facts, None));
    let decisions = measured(&policies, &facts);
    let blocks = decisions
        .iter()
        .filter(|d| d.outcome == interdict::Outcome::Block)
        .count();
    eprintln!("{pack}: {} decisions, {blocks} blocks", decisions.len());
}

/// The decisions counted.
#[inline(never)]
fn measured(policies: &PolicySet, facts: &Facts) -> Vec<Decision> {
    black_box(policies.decide_all(black_box(facts), None))
}
