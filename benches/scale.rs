//! Interdict at scale, and its side of the peers comparison. Opt-in: these runs take minutes and
//! gigabytes, so `cargo bench` alone measures nothing here. Choose with `INTERDICT_BENCH_SCALE`, a
//! comma-separated list of:
//!
//! - `peers`: the shared peers workload (benches/peers/README.md): 10,000 entities, 20,000
//!   relations, 100,000 two-party payments, decided under benches/peers/peers.policy.
//!   `peers/load_parse` reads the policy and the facts file's JSON text (validating and indexing
//!   it); `peers/decide` is one decision with explanations on; `peers/decide_without_messages`
//!   the same keeping the structured evidence but not rendering the reasons' sentences;
//!   `peers/batch_parallel` decides all 100,000 on every core (throughput).
//! - a store size such as `100k`, `1m` or `10m` (entities; twice as many relations, 1,000
//!   transactions): `scale/<n>/load_json` reads the facts file's JSON text; `scale/<n>/index`
//!   validates and indexes records already in memory (both sampled by criterion up to 200,000
//!   entities, timed once above); `scale/<n>/snapshot_open` opens the binary snapshot held in memory and
//!   `scale/<n>/snapshot_open_file` opens it from a file (decisions then read records from it); `scale/<n>/decide` is one decision under every shipped pack and
//!   `scale/<n>/batch_parallel` the 1,000 on every core. Decision p50/p99 over the 1,000 and the
//!   memory the opened store holds per entity (once opened, then with every record decoded) are
//!   printed to stderr.
//!
//! - `screen`: a million names screened against the full OFAC SDN list (imported from
//!   `$INTERDICT_DATA/ofac/2024-05`, default `../shared/data`) on every core, at the default
//!   threshold, ten matches at most; one name in a hundred is a listed name as written.
//!   `screen/names_10k_parallel` is criterion's figure for 10,000 of them (throughput); the whole
//!   million is timed once and printed, with how many names matched.
//!
//! Example: `INTERDICT_BENCH_SCALE=peers,1m cargo bench --bench scale`.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a benchmark with a broken fixture or policy pack cannot measure anything; failing loudly is right"
)]

mod workload;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use interdict::eval::DecideOptions;
use interdict::facts::BlockedSets;
use interdict::{Facts, PolicySet};

use workload::Workload;

/// The shared peers workload: 10,000 entities, 20,000 relations, 100,000 two-party payments.
const PEERS: Workload = Workload {
    entities: 10_000,
    relations: 20_000,
    transactions: 100_000,
};

/// The runs asked for in `INTERDICT_BENCH_SCALE`.
fn requested() -> Vec<String> {
    std::env::var("INTERDICT_BENCH_SCALE")
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `100k`, `1m`, `10m` or a plain number, as a count of entities.
fn entity_count(text: &str) -> Option<usize> {
    let (digits, factor) = match text.as_bytes().last()? {
        b'k' => (&text[..text.len() - 1], 1_000),
        b'm' => (&text[..text.len() - 1], 1_000_000),
        _ => (text, 1),
    };
    digits.parse::<usize>().ok().map(|n| n * factor)
}

/// Resident memory of this process in bytes (Linux), for bytes-per-entity figures.
fn resident_bytes() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Percentile `p` (0 to 100) of sorted durations.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

/// Times each transaction's decision once (after one warm-up pass) and prints p50 and p99.
fn print_percentiles(label: &str, policies: &PolicySet, facts: &Facts, options: DecideOptions) {
    // Decisions share blocked sets, as on a store.
    let sets = BlockedSets::default();
    let options = options.sharing(&sets);
    for transaction in facts.transactions() {
        black_box(policies.decide_with(facts, transaction, options));
    }
    let mut times: Vec<Duration> = facts
        .transactions()
        .iter()
        .map(|transaction| {
            let start = Instant::now();
            black_box(policies.decide_with(facts, transaction, options));
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    eprintln!(
        "{label}: decision p50 {:?}, p99 {:?}, max {:?} over {} transactions",
        percentile(&times, 50),
        percentile(&times, 99),
        times.last().copied().unwrap_or_default(),
        times.len()
    );
}

fn peers(c: &mut Criterion) {
    let policy = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/peers/peers.policy");
    let started = Instant::now();
    let document = workload::generate(PEERS);
    let text = serde_json::to_string(&document).expect("records serialise");
    eprintln!(
        "peers: generated {} bytes of JSON in {:?}",
        text.len(),
        started.elapsed()
    );
    let policies = PolicySet::load(&[policy]).expect("the peers policy loads");
    let facts = Facts::from_text("peers.json", &text).expect("generated facts are valid");
    workload::report_mix("peers", &policies, &facts, PEERS);
    let quiet = DecideOptions {
        skip_messages: true,
        ..DecideOptions::default()
    };
    print_percentiles("peers", &policies, &facts, DecideOptions::default());

    let mut group = c.benchmark_group("peers");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.bench_function("load_parse", |b| {
        b.iter(|| {
            let policies = PolicySet::load(&[policy]).expect("the peers policy loads");
            let facts = Facts::from_text("peers.json", black_box(&text)).expect("valid facts");
            black_box((policies, facts))
        });
    });
    group.sampling_mode(SamplingMode::Auto);
    group.sample_size(30);
    group.throughput(Throughput::Elements(1));
    let sets = BlockedSets::default();
    for (name, options) in [
        ("decide", DecideOptions::default()),
        ("decide_without_messages", quiet),
    ] {
        let options = options.sharing(&sets);
        group.bench_function(name, |b| {
            let transactions = facts.transactions();
            let mut next = 0;
            b.iter(|| {
                let transaction = &transactions[next];
                next = (next + 1) % transactions.len();
                black_box(policies.decide_with(black_box(&facts), transaction, options))
            });
        });
    }
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.throughput(Throughput::Elements(PEERS.transactions as u64));
    group.bench_function("batch_parallel", |b| {
        b.iter(|| black_box(policies.decide_all_parallel(&facts, DecideOptions::default())));
    });
    group.finish();
}

/// Above this many entities, loading from JSON and indexing are timed once rather than sampled ten
/// times by criterion: ten loads of a million entities take many minutes on a 2-core machine.
const CRITERION_LOADS_UP_TO: usize = 200_000;

fn scale(c: &mut Criterion, entities: usize) {
    let label = format!("scale/{entities}");
    let shape = Workload::scaled(entities);
    let started = Instant::now();
    let document = workload::generate(shape);
    eprintln!("{label}: generated in {:?}", started.elapsed());
    let text = serde_json::to_string(&document).expect("records serialise");
    let facts = Facts::from_document(&label, document.clone()).expect("generated facts are valid");
    let (snapshot, _) = facts.to_snapshot().expect("the facts archive");
    let snapshot: std::sync::Arc<[u8]> = snapshot.into();
    let snapshot_file = std::env::temp_dir().join(format!("interdict-scale-{entities}.bin"));
    std::fs::write(&snapshot_file, &snapshot).expect("the snapshot is written");
    eprintln!(
        "{label}: facts file {} bytes of JSON, snapshot {} bytes ({} per entity)",
        text.len(),
        snapshot.len(),
        snapshot.len() / entities
    );
    drop(facts);
    let before = resident_bytes();
    let opened = Facts::open_snapshot(&snapshot_file).expect("the snapshot opens");
    let resident = |when: &str| {
        if let (Some(before), Some(after)) = (before, resident_bytes()) {
            eprintln!(
                "{label}: the opened store holds {} bytes per entity {when} (resident memory)",
                after.saturating_sub(before) / entities
            );
        }
    };
    resident("once opened");
    opened.verify_snapshot().expect("the snapshot is intact");
    resident("with every record decoded");
    let policies = PolicySet::load(&[concat!(env!("CARGO_MANIFEST_DIR"), "/policies")])
        .expect("the shipped policy pack loads");
    workload::report_mix(&label, &policies, &opened, shape);
    print_percentiles(&label, &policies, &opened, DecideOptions::default());

    let once = |what: &str, run: &dyn Fn()| {
        let started = Instant::now();
        run();
        eprintln!("{label}: {what} once: {:?}", started.elapsed());
    };
    once("load_json", &|| {
        black_box(Facts::from_text("facts.json", &text).expect("valid facts"));
    });
    once("index", &|| {
        black_box(Facts::from_document(&label, document.clone()).expect("valid facts"));
    });
    once("snapshot_open", &|| {
        black_box(Facts::from_snapshot("store.bin", snapshot.clone()).expect("the snapshot opens"));
    });
    once("snapshot_open_file", &|| {
        black_box(Facts::open_snapshot(&snapshot_file).expect("the snapshot opens"));
    });

    let mut group = c.benchmark_group(&label);
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    if entities <= CRITERION_LOADS_UP_TO {
        group.bench_function("load_json", |b| {
            b.iter(|| black_box(Facts::from_text("facts.json", black_box(&text))));
        });
        group.bench_function("index", |b| {
            b.iter_batched(
                || document.clone(),
                |document| black_box(Facts::from_document(&label, document)),
                BatchSize::PerIteration,
            );
        });
    }
    group.bench_function("snapshot_open", |b| {
        b.iter(|| {
            black_box(Facts::from_snapshot(
                "store.bin",
                black_box(snapshot.clone()),
            ))
        });
    });
    group.bench_function("snapshot_open_file", |b| {
        b.iter(|| black_box(Facts::open_snapshot(black_box(&snapshot_file))));
    });
    group.sampling_mode(SamplingMode::Auto);
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(1));
    group.bench_function("decide", |b| {
        let transactions = opened.transactions();
        let sets = BlockedSets::default();
        let options = DecideOptions::default().sharing(&sets);
        let mut next = 0;
        b.iter(|| {
            let transaction = &transactions[next];
            next = (next + 1) % transactions.len();
            black_box(policies.decide_with(black_box(&opened), transaction, options))
        });
    });
    group.throughput(Throughput::Elements(shape.transactions as u64));
    group.bench_function("batch_parallel", |b| {
        b.iter(|| black_box(policies.decide_all_parallel(&opened, DecideOptions::default())));
    });
    group.finish();
    std::fs::remove_file(&snapshot_file).expect("the scratch snapshot is removed");
}

/// How many names the screening run screens.
const SCREENED_NAMES: usize = 1_000_000;

fn screen(c: &mut Criterion) {
    use interdict::screen::{DEFAULT_THRESHOLD, ScreeningIndex, ScreeningOptions};
    use rayon::prelude::*;

    let data = std::env::var_os("INTERDICT_DATA").map_or_else(
        || std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
        std::path::PathBuf::from,
    );
    let folder = data.join("ofac/2024-05");
    let imported = interdict::lists::import(interdict::lists::ListKind::Ofac, &folder)
        .unwrap_or_else(|e| panic!("{}: {e}; set INTERDICT_DATA", folder.display()));
    let facts = Facts::from_document("sdn", imported.document).expect("the SDN list loads");
    let started = Instant::now();
    let index = ScreeningIndex::build(&facts, &ScreeningOptions::default());
    eprintln!(
        "screen: index of {} names of {} SDN entries built in {:?}",
        index.name_count(),
        index.entity_count(),
        started.elapsed()
    );
    let mut names = workload::names(SCREENED_NAMES);
    let listed: Vec<&str> = (0..facts.entity_count() as u32)
        .filter_map(|e| facts.entity(e).map(|e| e.name.as_str()))
        .collect();
    for (slot, name) in names.iter_mut().step_by(100).zip(listed.iter().cycle()) {
        *slot = (*name).to_owned();
    }
    let screen_all = |names: &[String]| {
        names
            .par_iter()
            .filter(|name| !index.search(name, DEFAULT_THRESHOLD, 10).is_empty())
            .count()
    };
    let started = Instant::now();
    let matched = screen_all(&names);
    eprintln!(
        "screen: {} names screened on {} threads in {:?}; {matched} matched at {DEFAULT_THRESHOLD}",
        names.len(),
        rayon::current_num_threads(),
        started.elapsed()
    );
    let mut group = c.benchmark_group("screen");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.throughput(Throughput::Elements(10_000));
    group.bench_function("names_10k_parallel", |b| {
        b.iter(|| black_box(screen_all(&names[..10_000])));
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let runs = requested();
    if runs.is_empty() {
        eprintln!(
            "scale bench: nothing asked; set INTERDICT_BENCH_SCALE=peers,screen,100k,1m,10m (any of them)"
        );
    }
    for run in runs {
        if run == "peers" {
            peers(c);
        } else if run == "screen" {
            screen(c);
        } else if let Some(entities) = entity_count(&run) {
            scale(c, entities);
        } else {
            eprintln!("scale bench: `{run}` is neither `peers` nor a size such as 1m; skipped");
        }
    }
}

criterion_group! {
    name = scale_benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(scale_benches);
