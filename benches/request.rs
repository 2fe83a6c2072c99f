//! Deciding new payments against a loaded store, as a payment switch does: each payment's
//! beneficiary is a counterparty the store has never seen, described inline and screened against
//! the store's listed entities when the payment is decided.
//!
//! What is measured, on the decision benchmark's generated store (10,000 entities, 20,000
//! relations, about 6 % designated), with every shipped policy pack and name screening on:
//!
//! - `request/inline_counterparty_10k`: one `interdict::decide` call for a payment from a store
//!   customer to a new inline counterparty: resolving the parties, screening the counterparty's
//!   names against the index, and deciding with every rule, evidence and messages included;
//! - `request/stored_parties_10k`: the same payments with both parties named by store id, for
//!   comparison.
//!
//! The store screens each of its own entities once when it is built (`Store::with_screening`),
//! so a decision never searches the index for a store entity: only the inline counterparty is
//! screened per request.
//!
//! The counterparties are generated from the store's own beneficiaries under other spellings
//! (a word dropped, words reordered), so screening meets listed names as well as clean ones; the
//! outcome mix is printed once to stderr.

#![allow(
    clippy::expect_used,
    reason = "a benchmark with a broken fixture or policy pack cannot measure anything; failing loudly is right"
)]

mod workload;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use interdict::facts::{EntityRecord, FactsDocument};
use interdict::screen::DEFAULT_THRESHOLD;
use interdict::{Facts, Outcome, PolicySet, Request, RequestParty, Store, decide};

use workload::Workload;

/// The workload's payments as requests: the originator by store id, the beneficiary inline
/// under another spelling when `inline`.
fn requests(document: &FactsDocument, inline: bool) -> Vec<Request> {
    document
        .transactions
        .iter()
        .enumerate()
        .map(|(n, transaction)| {
            let mut request = Request::new(&transaction.id, &transaction.kind, transaction.date);
            if let Some(amount) = &transaction.amount {
                request = request.with_amount(amount.value, &amount.currency);
            }
            for party in &transaction.parties {
                let record = document.entities.iter().find(|e| e.id == party.entity);
                let party = match record {
                    Some(record) if inline && party.role == "beneficiary" => {
                        RequestParty::inline(&party.role, respelt(record, n))
                    }
                    _ => RequestParty::stored(&party.role, &party.entity),
                };
                request = request.with_party(party);
            }
            request
        })
        .collect()
}

/// A new entity named as `record` is, under another spelling: its last word dropped, or its
/// words in reverse order.
fn respelt(record: &EntityRecord, n: usize) -> EntityRecord {
    let words: Vec<&str> = record.name.split_whitespace().collect();
    let name = if n.is_multiple_of(2) && words.len() > 2 {
        words[..words.len() - 1].join(" ")
    } else {
        words.iter().rev().copied().collect::<Vec<_>>().join(" ")
    };
    let mut entity = EntityRecord::new(format!("new-{n}"), record.kind, name);
    entity.country = record.country.clone();
    entity
}

fn benches(c: &mut Criterion) {
    let policies = PolicySet::load(&[concat!(env!("CARGO_MANIFEST_DIR"), "/policies")])
        .expect("the shipped policy pack loads");
    let document = workload::generate(Workload::DECIDE);
    let store = Store::new(
        Facts::from_document("bench-10k", document.clone()).expect("generated facts are valid"),
    )
    .with_screening(DEFAULT_THRESHOLD);
    let inline = requests(&document, true);
    let stored = requests(&document, false);
    let decided: Vec<_> = inline
        .iter()
        .map(|r| decide(&policies, &store, r).expect("every party resolves"))
        .collect();
    let count = |outcome| decided.iter().filter(|d| d.outcome == outcome).count();
    eprintln!(
        "request bench: {} entities, {} payments to new counterparties -> block {}, review {}, allow {}",
        store.facts().entity_count(),
        decided.len(),
        count(Outcome::Block),
        count(Outcome::Review),
        count(Outcome::Allow),
    );

    let mut group = c.benchmark_group("request");
    group.throughput(Throughput::Elements(1));
    for (name, requests) in [
        ("inline_counterparty_10k", &inline),
        ("stored_parties_10k", &stored),
    ] {
        group.bench_function(name, |b| {
            let mut next = 0;
            b.iter(|| {
                let request = &requests[next];
                next = (next + 1) % requests.len();
                black_box(decide(&policies, black_box(&store), request))
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = request;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(request);
