//! Interdict at scale, and its side of the peers comparison. Opt-in: these runs take minutes and
//! gigabytes, so `cargo bench` alone measures nothing here. Choose with `INTERDICT_BENCH_SCALE`, a
//! comma-separated list of:
//!
//! - `peers`: the shared peers workload (benches/peers/README.md): 10,000 entities, 20,000
//!   relations, 100,000 two-party payments, decided under benches/peers/peers.policy.
//!   `peers/load_parse` reads the policy and the facts file's JSON text (validating and indexing
//!   it); `peers/decide` is one decision with explanations on; `peers/decide_without_messages`
//!   the same keeping the structured evidence but not rendering the reasons' sentences; both
//!   share one cache, as a store's decisions do (blocked sets and the entities each rule was
//!   found false for); `peers/decide_unshared` decides each payment alone, with no cache, the
//!   cost of a counterparty met for the first time; `peers/batch_parallel` decides all 100,000
//!   on every core (throughput).
//! - a store size such as `100k`, `1m` or `10m` (entities; twice as many relations, 1,000
//!   transactions). The generator writes each record straight into a snapshot
//!   ([`SnapshotWriter`]), so no document of the store is ever held; the time and peak resident
//!   memory of that write (generating, checking, indexing and writing) are printed. The snapshot
//!   is then opened from its file: decision p50/p99 over the 1,000, the time to verify every
//!   chunk, and the memory the opened store holds per entity (once opened, after the batch, with
//!   every record decoded) are printed. Criterion measures `scale/<n>/snapshot_open_file` (the
//!   open; records are decoded as decisions read them), `scale/<n>/decide` (one decision under
//!   every shipped pack) and `scale/<n>/batch_parallel` (the 1,000 on every core).
//!   Up to 2,000,000 entities, whose JSON is under the facts file limit, the store is also made
//!   as a document and its JSON text: `load_json` (reading the text) and `index` (validating and
//!   indexing records in memory) are timed once, and sampled by criterion up to 200,000
//!   entities, as is `snapshot_open` (the snapshot held in memory). Each stage's peak resident
//!   memory is its own (`/proc/self/clear_refs`), and the run's is printed at the end.
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

use rayon::prelude::*;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use interdict::eval::DecideOptions;
use interdict::facts::{BlockedSets, SnapshotWriter};
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
        ("decide", DecideOptions::default().sharing(&sets)),
        ("decide_without_messages", quiet.sharing(&sets)),
        ("decide_unshared", DecideOptions::default()),
    ] {
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

/// Above this many entities the workload's JSON is over the facts file limit
/// ([`interdict::facts::MAX_FACTS_BYTES`], about 250 bytes an entity): such a store is only ever
/// a snapshot, so neither its JSON nor its document is made.
const JSON_UP_TO: usize = 2_000_000;

/// The generator writing each record straight into a snapshot.
impl workload::RecordSink for SnapshotWriter {
    fn entity(&mut self, record: interdict::facts::EntityRecord) {
        self.entity(record).expect("the snapshot is written");
    }
    fn designation(&mut self, record: interdict::facts::DesignationRecord) {
        self.designation(record).expect("the snapshot is written");
    }
    fn relation(&mut self, record: interdict::facts::RelationRecord) {
        self.relation(record).expect("the snapshot is written");
    }
    fn transaction(&mut self, record: interdict::facts::TransactionRecord) {
        self.transaction(record);
    }
}

/// The most memory this process has held (Linux `VmHWM`), in bytes.
fn peak_resident_bytes() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Starts counting the peak afresh (Linux: writing 5 to `clear_refs`), so each stage's peak is
/// its own.
fn reset_peak() {
    // Without it, later peaks include earlier ones; the figures then say so.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Bytes as GB with two decimals, for the log.
fn gb(bytes: Option<usize>) -> String {
    bytes.map_or_else(
        || String::from("?"),
        |b| format!("{:.2} GB", b as f64 / 1e9),
    )
}

fn scale(c: &mut Criterion, entities: usize) {
    let label = format!("scale/{entities}");
    let shape = Workload::scaled(entities);
    let snapshot_file = std::env::temp_dir().join(format!("interdict-scale-{entities}.bin"));

    // Generated, checked, indexed and written record by record: never a document.
    reset_peak();
    let started = Instant::now();
    let mut writer = SnapshotWriter::create(&snapshot_file).expect("the snapshot is created");
    workload::generate_into(shape, &mut writer);
    let digest = writer.finish().expect("generated facts are valid");
    let size = std::fs::metadata(&snapshot_file).map_or(0, |m| m.len()) as usize;
    eprintln!(
        "{label}: generated, checked, indexed and written as a snapshot in {:?}: {size} bytes ({} per entity), peak resident {}",
        started.elapsed(),
        size / entities,
        gb(peak_resident_bytes())
    );

    // What `interdict eval` and audit replay do before deciding on a snapshot.
    reset_peak();
    let started = Instant::now();
    Facts::open_snapshot(&snapshot_file)
        .and_then(|fresh| fresh.verify_snapshot())
        .expect("the snapshot is intact");
    eprintln!(
        "{label}: opened and every chunk verified (not kept) in {:?}, peak resident {}",
        started.elapsed(),
        gb(peak_resident_bytes())
    );

    reset_peak();
    let before = resident_bytes();
    let started = Instant::now();
    let opened = Facts::open_snapshot(&snapshot_file).expect("the snapshot opens");
    eprintln!(
        "{label}: snapshot opened from its file in {:?}",
        started.elapsed()
    );
    assert_eq!(opened.digest(), digest, "the file's digest is the store's");
    let resident = |when: &str| {
        if let (Some(before), Some(after)) = (before, resident_bytes()) {
            eprintln!(
                "{label}: the opened store holds {} bytes per entity {when} (resident memory)",
                after.saturating_sub(before) / entities
            );
        }
    };
    resident("once opened");
    let policies = PolicySet::load(&[concat!(env!("CARGO_MANIFEST_DIR"), "/policies")])
        .expect("the shipped policy pack loads");
    workload::report_mix(&label, &policies, &opened, shape);
    print_percentiles(&label, &policies, &opened, DecideOptions::default());
    resident("after deciding the batch");
    decode_everything(&opened);
    resident("with every record decoded");
    eprintln!(
        "{label}: peak resident while opening, deciding and decoding: {}",
        gb(peak_resident_bytes())
    );

    let once = |what: &str, run: &dyn Fn()| {
        let started = Instant::now();
        run();
        eprintln!("{label}: {what} once: {:?}", started.elapsed());
    };
    let json = (entities <= JSON_UP_TO).then(|| json_figures(&label, shape, &once));

    // Decisions are measured on the store whose every record is decoded, as a server's is once
    // it has run a while, not on a fresh one whose first decisions decode the chunks they read.
    let mut group = c.benchmark_group(&label);
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    if let Some((text, document)) = &json {
        if entities <= CRITERION_LOADS_UP_TO {
            group.bench_function("load_json", |b| {
                b.iter(|| black_box(Facts::from_text("facts.json", black_box(text))));
            });
            group.bench_function("index", |b| {
                b.iter_batched(
                    || document.clone(),
                    |document| black_box(Facts::from_document(&label, document)),
                    BatchSize::PerIteration,
                );
            });
        }
        let snapshot: std::sync::Arc<[u8]> = std::fs::read(&snapshot_file)
            .expect("the snapshot is read")
            .into();
        group.bench_function("snapshot_open", |b| {
            b.iter(|| {
                black_box(Facts::from_shared_snapshot(
                    "store.bin",
                    black_box(snapshot.clone()),
                ))
            });
        });
    }
    drop(json);
    group.bench_function("snapshot_open_file", |b| {
        b.iter(|| black_box(Facts::open_snapshot(black_box(&snapshot_file))));
    });
    group.sampling_mode(SamplingMode::Auto);
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(1));
    // One cache of blocked sets for every sample, as a store keeps one for all its decisions
    // (criterion calls the closure again for each sample), filled before criterion starts so its
    // first estimate is not a blocked set's computation; the batch is cycled through across
    // samples, not restarted at each.
    let sets = BlockedSets::default();
    let options = DecideOptions::default().sharing(&sets);
    for transaction in opened.transactions() {
        black_box(policies.decide_with(&opened, transaction, options));
    }
    let mut next = 0;
    group.bench_function("decide", |b| {
        let transactions = opened.transactions();
        b.iter(|| {
            let transaction = &transactions[next];
            next = (next + 1) % transactions.len();
            black_box(policies.decide_with(black_box(&opened), transaction, options))
        });
    });
    // Each batch computes its own blocked sets, as a batch decided without a store does.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.throughput(Throughput::Elements(shape.transactions as u64));
    group.bench_function("batch_parallel", |b| {
        b.iter(|| black_box(policies.decide_all_parallel(&opened, DecideOptions::default())));
    });
    group.finish();
    let started = Instant::now();
    let decided = opened
        .transactions()
        .par_iter()
        .map(|transaction| policies.decide_with(&opened, transaction, options))
        .count();
    eprintln!(
        "{label}: {decided} decisions on {} threads sharing the store's blocked sets in {:?}",
        rayon::current_num_threads(),
        started.elapsed()
    );
    eprintln!(
        "{label}: peak resident since the snapshot was first opened: {}",
        gb(peak_resident_bytes())
    );
    std::fs::remove_file(&snapshot_file).expect("the scratch snapshot is removed");
}

/// Reads every record of an opened snapshot, so each chunk is decoded and kept.
fn decode_everything(facts: &Facts) {
    for entity in 0..facts.entity_count() as u32 {
        black_box(facts.entity(entity));
    }
    let relations = (0..).map_while(|r| facts.relation(r)).count();
    let designations = (0..).map_while(|d| facts.designation(d)).count();
    black_box((relations, designations));
}

/// The same store as a document and as its JSON text: loading the text and indexing the records
/// are timed once (and sampled by criterion for small stores, from what this returns). Only for
/// stores whose JSON is under the facts file limit.
fn json_figures(
    label: &str,
    shape: Workload,
    once: &dyn Fn(&str, &dyn Fn()),
) -> (String, interdict::facts::FactsDocument) {
    let document = workload::generate(shape);
    let text = serde_json::to_string(&document).expect("records serialise");
    eprintln!("{label}: facts file {} bytes of JSON", text.len());
    once("load_json", &|| {
        black_box(Facts::from_text("facts.json", &text).expect("valid facts"));
    });
    once("index", &|| {
        black_box(Facts::from_document(label, document.clone()).expect("valid facts"));
    });
    (text, document)
}

/// How many names the screening run screens.
const SCREENED_NAMES: usize = 1_000_000;

fn screen(c: &mut Criterion) {
    use interdict::screen::{DEFAULT_THRESHOLD, ScreeningIndex, ScreeningOptions};

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
