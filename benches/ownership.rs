//! The 50 % rule at scale: a generated store of 1,000,000 entities and 2,000,000 ownership edges.
//!
//! - `ownership/index_1m`: computing who is blocked under US rules on one day, from the
//!   designated roots through every ownership edge below them (what the first decision of a day
//!   pays; later decisions that day reuse it);
//! - `ownership/decide_1m`: one decision with the US pack (`is blocked` for both parties, with
//!   the derivation in the explanation) once the day's index exists.
//!
//! Why: ownership is the one question a general policy engine cannot answer, and the store of a
//! real deployment (corporate registries joined with the lists) runs to millions of entities.

#![allow(
    clippy::expect_used,
    reason = "a benchmark whose generated store or pack fails to load cannot measure anything"
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use interdict::eval::DecideOptions;
use interdict::facts::{
    BlockedSets, DesignationRecord, EntityKind, EntityRecord, FactsDocument, PartyRecord,
    RelationKind, RelationRecord, TransactionRecord,
};
use interdict::{Date, Facts, PolicySet};

const ENTITIES: usize = 1_000_000;
const EDGES: usize = 2_000_000;
const DESIGNATED_EVERY: usize = 200;
const TRANSACTIONS: usize = 1_000;

/// xorshift64*: a fixed-seed generator, so every run measures the same store.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn date(text: &str) -> Date {
    text.parse().expect("a valid date")
}

/// Entities `e0..e999999`; each ownership edge goes from a lower to a higher index most of the
/// time (layered like real corporate trees) with some back edges, so cycles exist.
fn store() -> FactsDocument {
    let mut rng = Rng(0x0DDB_1A5E_5BAD_5EED);
    let entities = (0..ENTITIES)
        .map(|i| EntityRecord {
            id: format!("e{i}"),
            kind: if i % 5 == 0 {
                EntityKind::Person
            } else {
                EntityKind::Organization
            },
            name: format!("Entity {i}"),
            aliases: Vec::new(),
            country: None,
            nationality: None,
            attributes: Default::default(),
            source: None,
            birth_date: None,
            gender: None,
            identifiers: Vec::new(),
            addresses: Vec::new(),
        })
        .collect();
    let relations = (0..EDGES)
        .map(|_| {
            let from = rng.below(ENTITIES);
            let to = if rng.below(10) == 0 {
                rng.below(ENTITIES)
            } else {
                (from + 1 + rng.below(50)) % ENTITIES
            };
            let to = if to == from {
                (from + 1) % ENTITIES
            } else {
                to
            };
            RelationRecord {
                id: None,
                kind: RelationKind::Owns,
                from: format!("e{from}"),
                to: format!("e{to}"),
                percent: Some([10.0, 25.0, 30.0, 50.0, 60.0, 100.0][rng.below(6)]),
                role: None,
                start: None,
                end: None,
                source: None,
                basis: None,
            }
        })
        .collect();
    let designations = (0..ENTITIES)
        .step_by(DESIGNATED_EVERY)
        .map(|i| DesignationRecord {
            entity: format!("e{i}"),
            list: String::from("OFAC-SDN"),
            programs: vec![String::from("SDGT")],
            listed_on: Some(date("2015-01-01")),
            delisted_on: None,
            reference: Some(format!("SDN {i}")),
            source: None,
            listed_by: None,
            unlisted_on: None,
            measure: None,
            directive: None,
        })
        .collect();
    let transactions = (0..TRANSACTIONS)
        .map(|t| TransactionRecord {
            id: format!("tx-{t}"),
            kind: String::from("payment"),
            date: date("2024-06-03"),
            amount: None,
            parties: vec![
                PartyRecord {
                    role: String::from("originator"),
                    entity: format!("e{}", rng.below(ENTITIES)),
                },
                PartyRecord {
                    role: String::from("beneficiary"),
                    entity: format!("e{}", rng.below(ENTITIES)),
                },
            ],
            attributes: Default::default(),
        })
        .collect();
    FactsDocument {
        entities,
        relations,
        designations,
        transactions,
        ..FactsDocument::default()
    }
}

fn benchmarks(c: &mut Criterion) {
    let started = Instant::now();
    let facts =
        Facts::from_document("generated-1m", store()).expect("the generated store is valid");
    eprintln!(
        "loaded 1,000,000 entities and 2,000,000 edges in {:.2?}",
        started.elapsed()
    );
    let policies = PolicySet::load(&[
        concat!(env!("CARGO_MANIFEST_DIR"), "/policies/jurisdictions.policy"),
        concat!(env!("CARGO_MANIFEST_DIR"), "/policies/us_ownership.policy"),
    ])
    .expect("the shipped packs check");
    let us = policies
        .regimes()
        .iter()
        .find(|r| r.code == "US")
        .expect("US is declared")
        .clone();
    let day = date("2024-06-03");
    let blocked = facts.compute_blocked(&us, day);
    let decisions = policies.decide_all(&facts, None);
    let blocking = decisions
        .iter()
        .filter(|d| d.outcome == interdict::Outcome::Block)
        .count();
    eprintln!(
        "{} entities blocked on {day}; {blocking} of {TRANSACTIONS} sample payments blocked",
        blocked.len()
    );

    let mut group = c.benchmark_group("ownership");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    group.bench_function("index_1m", |b| {
        b.iter(|| black_box(facts.compute_blocked(&us, day)))
    });
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(3));
    let mut next = 0;
    // Decisions share blocked sets, as on a store.
    let sets = BlockedSets::default();
    let options = DecideOptions::default().sharing(&sets);
    group.bench_function("decide_1m", |b| {
        b.iter(|| {
            next = (next + 1) % TRANSACTIONS;
            black_box(policies.decide_with(&facts, &facts.transactions()[next], options))
        })
    });
    group.finish();
}

criterion_group!(ownership, benchmarks);
criterion_main!(ownership);
