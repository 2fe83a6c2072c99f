//! Name screening over the real OFAC SDN list.
//!
//! What is measured: a [`ScreeningIndex`] over every name of `ofac/2024-05/sdn.csv` (the 2nd
//! field) and every alias of `ofac/2025-12/alt.csv` (the 4th field) whose entry is in that
//! `sdn.csv` — about 35,000 names as written, 31,000 once duplicates within an entry are merged —
//! read with a minimal CSV reader below;
//!
//! - `screen/build_sdn`: building the index (normalising every name, the inverted index);
//! - `screen/query_mix`: one pass over a mix of 50 queries on one thread — listed names as
//!   written, variants (typos, other token order, missing or different legal forms,
//!   transliterations, joined words) and names that are not listed — at the default threshold,
//!   ten matches at most; criterion's figure is for the 50 queries (throughput in queries/s);
//! - printed once to stderr: the median, 90th percentile and maximum time of a single query
//!   (each query timed alone, median of repeated runs), and how many of the queries matched.
//!
//! Why: screening sits in the payment path next to the decision; the reference points are Moov
//! Watchman's full-list search (≈ 0.85 ms a query on 4 CPUs) and our aim of 0.1 ms a query. The
//! data lives outside the repository (`$INTERDICT_DATA`, default `../shared/data`); without it
//! the benchmark says so and measures nothing.

#![allow(
    clippy::expect_used,
    reason = "a benchmark whose data cannot be read cannot measure anything; failing loudly is right"
)]

use std::collections::HashMap;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use interdict::facts::EntityKind;
use interdict::screen::{DEFAULT_THRESHOLD, IndexEntry, ListEntry, ScreeningIndex};

/// Listed names as written, variants of listed names, and names that are not listed.
const QUERIES: [&str; 50] = [
    // As listed (or nearly).
    "JONG, Song Hwa",
    "VOLASYS SILVER STAR",
    "YANBIAN SILVERSTAR NETWORK TECHNOLOGY CO., LTD.",
    "BANK MELLI IRAN",
    "KOREA KWANGSON BANKING CORP",
    "HAMAS",
    "PUTIN, Vladimir Vladimirovich",
    "SECHIN, Igor Ivanovich",
    "ROSNEFT TRADING S.A.",
    "KOREA MINING DEVELOPMENT TRADING CORPORATION",
    "MADURO MOROS, Nicolas",
    "AL-ASSAD, Bashar",
    "NORTH DRILLING COMPANY",
    "LEBANESE MEDIA GROUP",
    "KAIKAI TECHNOLOGY CO., LTD.",
    // Variants.
    "Song Hwa Jong",
    "Chong Sung Hwa",
    "China Silver Star",
    "Volasys Silverstar",
    "Yanbian Silver Star Network Technology",
    "Vladimir Putin",
    "Igor Sechin",
    "Bashar al Assad",
    "Bachar el-Assad",
    "Nicolás Maduro",
    "Bank Meli Iran",
    "Korea Kwangson Banking Corporation",
    "Rosneft Trading SA",
    "Novikombank JSC",
    "Obshchestvo s ogranichennoi otvetstvennostyu Fertoing",
    "Kaikai Technology Company Limited",
    "Hakki Selcuk Sanli",
    "Daniel Kinahan",
    "Gustavo Adolfo Perdomo Rosales",
    "North Driling Co",
    // Not listed.
    "Silver Lake Partners",
    "Star Software Ltd",
    "Kim Song Ho",
    "Northwind Consulting",
    "Acme Analytics Inc.",
    "Siemens AG",
    "Deutsche Bank",
    "Maria Fernanda Lopez",
    "John Smith",
    "Mohammad Ali",
    "Global Trading Company",
    "Pacific Shipping Limited",
    "Zhang Wei",
    "Olga Petrova",
    "Blue River Logistics LLC",
];

fn data_dir() -> PathBuf {
    std::env::var_os("INTERDICT_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

/// The fields of one line of OFAC's delimited format (double-quoted text, `-0-` for null).
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') => quoted = true,
            (false, ',') => out.push(std::mem::take(&mut field)),
            (_, c) => field.push(c),
        }
    }
    out.push(field);
    out.into_iter()
        .map(|f| {
            let f = f.trim();
            if f == "-0-" {
                String::new()
            } else {
                f.to_string()
            }
        })
        .collect()
}

fn lines(path: &PathBuf) -> Option<Vec<Vec<String>>> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    Some(
        text.lines()
            .map(|l| l.trim_end_matches(['\r', '\u{1a}']))
            .filter(|l| !l.trim().is_empty())
            .map(fields)
            .collect(),
    )
}

/// The SDN entries with their aliases, or `None` when the data is absent.
fn sdn_entries() -> Option<Vec<IndexEntry>> {
    let dir = data_dir().join("ofac");
    let sdn = lines(&dir.join("2024-05/sdn.csv"))?;
    let alt = lines(&dir.join("2025-12/alt.csv")).unwrap_or_default();
    let mut aliases: HashMap<&str, Vec<String>> = HashMap::new();
    for row in &alt {
        if let (Some(ent), Some(name)) = (row.first(), row.get(3)) {
            aliases.entry(ent.as_str()).or_default().push(name.clone());
        }
    }
    let entries = sdn
        .iter()
        .enumerate()
        .filter_map(|(i, row)| {
            let ent = row.first()?;
            let name = row.get(1)?.clone();
            let kind = match row.get(2).map(String::as_str) {
                Some("individual") => EntityKind::Person,
                Some("vessel") => EntityKind::Vessel,
                Some("aircraft") => EntityKind::Aircraft,
                _ => EntityKind::Organization,
            };
            Some(IndexEntry {
                entity: u32::try_from(i).ok()?,
                id: format!("ofac-{ent}"),
                kind,
                name,
                aliases: aliases.get(ent.as_str()).cloned().unwrap_or_default(),
                designations: vec![ListEntry {
                    list: "OFAC-SDN".to_string(),
                    reference: Some(format!("SDN {ent}")),
                    programs: row
                        .get(3)
                        .map(|p| p.split("] [").map(str::to_string).collect())
                        .unwrap_or_default(),
                    listed_on: None,
                    delisted_on: None,
                }],
                identifiers: Vec::new(),
            })
        })
        .collect();
    Some(entries)
}

/// Times each query alone and prints the median, 90th percentile and maximum.
fn per_query_summary(index: &ScreeningIndex) {
    let mut medians: Vec<Duration> = Vec::with_capacity(QUERIES.len());
    let mut matched = 0;
    for query in QUERIES {
        if !index.search(query, DEFAULT_THRESHOLD, 10).is_empty() {
            matched += 1;
        }
        let mut runs: Vec<Duration> = (0..101)
            .map(|_| {
                let start = Instant::now();
                black_box(index.search(black_box(query), DEFAULT_THRESHOLD, 10));
                start.elapsed()
            })
            .collect();
        runs.sort();
        medians.push(runs[runs.len() / 2]);
    }
    let mut sorted = medians.clone();
    sorted.sort();
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    let slowest = QUERIES
        .iter()
        .zip(&medians)
        .max_by_key(|(_, d)| **d)
        .map(|(q, _)| *q)
        .unwrap_or_default();
    eprintln!(
        "screen: {} names of {} entities; per query (median of 101 runs each, {} queries): \
         median {:?}, p90 {:?}, max {:?} ({slowest:?}); {matched} queries matched at {DEFAULT_THRESHOLD}",
        index.name_count(),
        index.entity_count(),
        QUERIES.len(),
        at(0.5),
        at(0.9),
        at(1.0),
    );
}

fn screen(c: &mut Criterion) {
    let Some(entries) = sdn_entries() else {
        eprintln!(
            "screen: {} not found; set INTERDICT_DATA to the shared data folder. Nothing measured.",
            data_dir().join("ofac/2024-05/sdn.csv").display()
        );
        return;
    };
    let start = Instant::now();
    let index = ScreeningIndex::from_entries(entries.clone());
    eprintln!("screen: first build took {:?}", start.elapsed());
    per_query_summary(&index);

    let mut group = c.benchmark_group("screen");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("build_sdn", |b| {
        b.iter(|| ScreeningIndex::from_entries(black_box(entries.clone())));
    });
    group.throughput(Throughput::Elements(QUERIES.len() as u64));
    group.sample_size(30);
    group.bench_function("query_mix", |b| {
        b.iter(|| {
            for query in QUERIES {
                black_box(index.search(black_box(query), DEFAULT_THRESHOLD, 10));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, screen);
criterion_main!(benches);
