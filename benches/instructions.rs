//! One pass of a decision workload under one pack, for instruction counts that stay repeatable
//! on a loaded machine: `valgrind --tool=callgrind --toggle-collect='*instructions::measured*'
//! target/release/deps/instructions-* dprk` counts only the decisions (a first, unmeasured pass
//! fills the store's caches, as the criterion benches' warm-up does).
//!
//! The argument names the workload:
//! - `dprk` (policies/ofac_dprk.policy) or `all` (every shipped pack): the `decide` bench's 1,000
//!   payments on its 10,000-entity store;
//! - `peers`: the peers workload's store (benches/peers/README.md) and the first 3,000 of its
//!   payments under benches/peers/peers.policy, explanations on, as `peers/decide` measures them;
//!   `peers_quiet` the same without rendering messages (`peers/decide_without_messages`).
//!
//! The measured pass drops each decision before taking the next, as a payment switch does, so
//! the allocator reuses memory as it would in service rather than growing the heap.
//!
//! Both passes share one cache, as a store's decisions do, so the measured pass reads the
//! blocked sets and the rule answers the first one kept. A workload name ending in `_cold`
//! (`peers_cold`) gives each pass a cache of its own: the measured pass then pays for
//! computing and keeping them.

#![allow(
    clippy::expect_used,
    reason = "a benchmark with a broken fixture or policy pack cannot measure anything; failing loudly is right"
)]

mod workload;

use std::hint::black_box;

use interdict::eval::DecideOptions;
use interdict::facts::BlockedSets;
use interdict::{Facts, Outcome, PolicySet};

use workload::Workload;

/// The peers store (the same 10,000 entities and 20,000 relations, generated first) with the
/// first 3,000 of its payments: enough decisions for a stable count, few enough for valgrind.
const PEERS_SAMPLE: Workload = Workload {
    entities: 10_000,
    relations: 20_000,
    transactions: 3_000,
};

fn main() {
    let argument = std::env::args()
        .nth(1)
        .unwrap_or_else(|| String::from("dprk"));
    let (pack, cold) = match argument.strip_suffix("_cold") {
        Some(pack) => (pack.to_owned(), true),
        None => (argument, false),
    };
    let (path, workload) = match pack.as_str() {
        "all" => (
            concat!(env!("CARGO_MANIFEST_DIR"), "/policies"),
            Workload::DECIDE,
        ),
        "peers" | "peers_quiet" => (
            concat!(env!("CARGO_MANIFEST_DIR"), "/benches/peers/peers.policy"),
            PEERS_SAMPLE,
        ),
        _ => (
            concat!(env!("CARGO_MANIFEST_DIR"), "/policies/ofac_dprk.policy"),
            Workload::DECIDE,
        ),
    };
    let options = DecideOptions {
        skip_messages: pack == "peers_quiet",
        ..DecideOptions::default()
    };
    let policies = PolicySet::load(&[path]).expect("the pack loads");
    let facts = Facts::from_document("bench-10k", workload::generate(workload))
        .expect("generated facts are valid");
    let shared = BlockedSets::default();
    let options = if cold {
        options
    } else {
        options.sharing(&shared)
    };
    black_box(policies.decide_all_with(&facts, options));
    // A cold pass still shares a cache among its own decisions, as a batch does.
    let own = BlockedSets::default();
    let tally = measured(&policies, &facts, options.sharing(&own));
    eprintln!(
        "{pack}{}: {} decisions, {} blocks, {} reviews, {} reasons",
        if cold { " (cold)" } else { "" },
        tally.decisions,
        tally.blocks,
        tally.reviews,
        tally.reasons,
    );
}

/// What the measured pass decided, counted as it went.
#[derive(Default)]
struct Tally {
    decisions: usize,
    blocks: usize,
    reviews: usize,
    reasons: usize,
}

/// The decisions counted: each is tallied and dropped before the next, as a payment switch
/// forwards one decision and frees it, so the allocator reuses its memory as it would there.
#[inline(never)]
fn measured(policies: &PolicySet, facts: &Facts, options: DecideOptions<'_>) -> Tally {
    let mut tally = Tally::default();
    for transaction in facts.transactions() {
        let decision = black_box(policies.decide_with(black_box(facts), transaction, options));
        tally.decisions += 1;
        tally.blocks += usize::from(decision.outcome == Outcome::Block);
        tally.reviews += usize::from(decision.outcome == Outcome::Review);
        tally.reasons += decision.reasons.len();
    }
    tally
}
