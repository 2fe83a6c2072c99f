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

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use interdict::facts::{
    Amount, AttributeValue, DesignationRecord, EntityKind, EntityRecord, FactsDocument,
    PartyRecord, RelationKind, RelationRecord, TransactionRecord,
};
use interdict::{Date, Facts, Outcome, PolicySet};

const ENTITIES: usize = 10_000;
const RELATIONS: usize = 20_000;
const TRANSACTIONS: usize = 1_000;
const SEED: u64 = 0x5EED_1D7E_2D1C_7A11;

/// xorshift64* (Vigna): small, fast and good enough to spread test data; fixed seed, no crates.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n > 0`; the modulo bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `low..=high`.
    fn range(&mut self, low: u32, high: u32) -> u32 {
        low + (self.next_u64() % u64::from(high - low + 1)) as u32
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 100.0 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn date(&mut self, first_year: u32, last_year: u32) -> Date {
        let year = self.range(first_year, last_year) as u16;
        let month = self.range(1, 12) as u8;
        let day = self.range(1, 28) as u8;
        Date::new(year, month, day).expect("days 1 to 28 exist in every month")
    }
}

const ORG_WORDS: &[&str] = &[
    "Silver", "Star", "Korea", "Pacific", "Golden", "Dragon", "Ocean", "Pearl", "Sunrise",
    "Eastern", "Northern", "Harbour", "Jade", "Phoenix", "Summit", "Crescent", "Unity", "Liberty",
    "Meridian", "Orient", "Baltic", "Amur", "Tumen", "Ryugyong", "Kumgang", "Chollima", "Volga",
    "Lotus", "Crane", "Horizon",
];
const ORG_TRADES: &[&str] = &[
    "Trading",
    "Shipping",
    "Logistics",
    "Technology",
    "Mining",
    "Energy",
    "Software",
    "Textiles",
    "Fisheries",
    "Holdings",
    "Investment",
    "Import-Export",
    "Marine",
    "Electronics",
    "Chemical",
];
const ORG_FORMS: &[&str] = &[
    "Co., Ltd.",
    "LLC",
    "Ltd.",
    "Inc.",
    "GmbH",
    "Corporation",
    "Pte. Ltd.",
    "FZE",
    "OOO",
    "JSC",
];
const GIVEN: &[&str] = &[
    "Kim", "Jong", "Chol", "Song", "Ri", "Yong", "Alexei", "Irina", "Wei", "Li", "Chen", "Anna",
    "John", "Maria", "Ahmed", "Fatima", "Hiroshi", "Yuki", "Dmitri", "Olga", "Paul", "Sofia",
];
const FAMILY: &[&str] = &[
    "Kim", "Pak", "Choe", "Ri", "Han", "Jang", "Ivanov", "Petrova", "Zhang", "Wang", "Liu",
    "Smith", "Muller", "Haddad", "Tanaka", "Sato", "Novak", "Rossi", "Nguyen", "Yoon",
];
const COUNTRIES: &[&str] = &[
    "CN", "CN", "CN", "HK", "HK", "RU", "RU", "SG", "AE", "MY", "KP", "KP", "US", "US", "DE", "GB",
    "JP", "KR", "TH", "VN", "PA", "LR",
];
const DPRK_PROGRAMS: &[&str] = &["DPRK", "DPRK2", "DPRK3", "DPRK4"];
const OTHER_PROGRAMS: &[&str] = &[
    "IRAN",
    "IFSR",
    "RUSSIA-EO14024",
    "UKRAINE-EO13662",
    "SDGT",
    "CYBER2",
    "VENEZUELA-EO13850",
    "SYRIA",
    "GLOMAG",
];
const CONTROL_ROLES: &[&str] = &[
    "CEO",
    "board majority",
    "managing director",
    "general manager",
    "beneficial controller",
];
const DIRECTOR_ROLES: &[&str] = &["director", "chairman", "board member", "company secretary"];

/// The generated store and transaction batch, as records (deterministic: fixed seed).
fn generate() -> FactsDocument {
    let mut rng = Rng::new(SEED);
    let mut document = FactsDocument::default();
    let mut persons = Vec::new();
    let mut organizations = Vec::new();

    for i in 0..ENTITIES {
        let person = rng.chance(20.0);
        let country = rng.pick(COUNTRIES).to_string();
        let entity = if person {
            persons.push(i);
            EntityRecord {
                id: format!("e{i:05}"),
                kind: EntityKind::Person,
                name: format!(
                    "{} {} {}",
                    rng.pick(FAMILY),
                    rng.pick(GIVEN),
                    rng.pick(GIVEN)
                ),
                aliases: Vec::new(),
                country: Some(country.clone()),
                nationality: Some(country),
                attributes: BTreeMap::new(),
                source: None,
                birth_date: None,
                gender: None,
                identifiers: Vec::new(),
                addresses: Vec::new(),
            }
        } else {
            organizations.push(i);
            let name = format!(
                "{} {} {} {}",
                rng.pick(ORG_WORDS),
                rng.pick(ORG_WORDS),
                rng.pick(ORG_TRADES),
                rng.pick(ORG_FORMS)
            );
            let aliases = if rng.chance(15.0) {
                vec![format!("{} {}", rng.pick(ORG_WORDS), rng.pick(ORG_TRADES))]
            } else {
                Vec::new()
            };
            EntityRecord {
                id: format!("e{i:05}"),
                kind: EntityKind::Organization,
                name,
                aliases,
                country: Some(country),
                nationality: None,
                attributes: BTreeMap::new(),
                source: None,
                birth_date: None,
                gender: None,
                identifiers: Vec::new(),
                addresses: Vec::new(),
            }
        };
        document.entities.push(entity);
    }

    // About 3 % designated under North Korea programs, about 3 % under other programs.
    for i in 0..ENTITIES {
        let roll = rng.below(1000);
        let (list, programs) = if roll < 30 {
            let first = rng.below(DPRK_PROGRAMS.len());
            let mut programs = vec![DPRK_PROGRAMS[first].to_owned()];
            if rng.chance(30.0) {
                programs.push(DPRK_PROGRAMS[(first + 1) % DPRK_PROGRAMS.len()].to_owned());
            }
            ("OFAC-SDN", programs)
        } else if roll < 60 {
            let list = *rng.pick(&["OFAC-SDN", "OFAC-SDN", "OFAC-SDN", "EU", "UK", "UN"]);
            (list, vec![rng.pick(OTHER_PROGRAMS).to_string()])
        } else {
            continue;
        };
        // A few entries are listed after the batch's dates, a few already delisted: both must not block.
        let listed_on = if rng.chance(5.0) {
            rng.date(2025, 2026)
        } else {
            rng.date(2008, 2023)
        };
        let delisted_on =
            (rng.chance(4.0) && listed_on < rng.date(2021, 2021)).then(|| rng.date(2022, 2023));
        document.designations.push(DesignationRecord {
            entity: format!("e{i:05}"),
            list: list.to_owned(),
            programs,
            listed_on: Some(listed_on),
            delisted_on,
            reference: Some(format!("SDN {}", 10_000 + rng.below(30_000))),
            source: None,
            listed_by: None,
            unlisted_on: None,
            measure: None,
            directive: None,
        });
    }

    let mut count = 0;
    while count < RELATIONS {
        let roll = rng.below(100);
        let any = rng.below(ENTITIES);
        let org = *rng.pick(&organizations);
        let other_org = *rng.pick(&organizations);
        let person = *rng.pick(&persons);
        let (kind, from, to, percent, role) = match roll {
            // Ownership: held by organisations or persons; about a third are blocking stakes.
            0..40 => {
                let percent = if rng.chance(35.0) {
                    f64::from(rng.range(5_000, 10_000)) / 100.0
                } else {
                    f64::from(rng.range(100, 4_999)) / 100.0
                };
                (RelationKind::Owns, any, org, Some(percent), None)
            }
            40..55 => {
                let controller = if rng.chance(70.0) { person } else { other_org };
                let role = rng.pick(CONTROL_ROLES).to_string();
                (RelationKind::Controls, controller, org, None, Some(role))
            }
            55..70 => {
                let role = rng.pick(DIRECTOR_ROLES).to_string();
                (RelationKind::DirectorOf, person, org, None, Some(role))
            }
            70..80 => (RelationKind::SisterOf, org, other_org, None, None),
            80..90 => {
                let creator = if rng.chance(60.0) { person } else { other_org };
                (RelationKind::CreatedBy, org, creator, None, None)
            }
            _ => (RelationKind::Employs, org, person, None, None),
        };
        if from == to {
            continue;
        }
        // Most relations are undated; some started at a known day, a few ended before the batch.
        let start = rng.chance(15.0).then(|| rng.date(2005, 2020));
        let end = rng
            .chance(4.0)
            .then(|| rng.date(2021, 2023))
            .filter(|end| start.is_none_or(|start| start < *end));
        document.relations.push(RelationRecord {
            id: None,
            kind,
            from: format!("e{from:05}"),
            to: format!("e{to:05}"),
            percent,
            role,
            start,
            end,
            source: None,
            basis: None,
        });
        count += 1;
    }

    for t in 0..TRANSACTIONS {
        let originator = rng.below(ENTITIES);
        let mut beneficiary = rng.below(ENTITIES);
        while beneficiary == originator {
            beneficiary = rng.below(ENTITIES);
        }
        let mut attributes = BTreeMap::new();
        if rng.chance(1.0) {
            attributes.insert(
                String::from("ofac_licence"),
                AttributeValue::Text(String::from("DPRK-2024-0117")),
            );
        }
        document.transactions.push(TransactionRecord {
            id: format!("tx-{:04}", t + 1),
            kind: rng
                .pick(&["payment", "payment", "invoice", "contract"])
                .to_string(),
            date: rng.date(2024, 2024),
            amount: Some(Amount {
                value: f64::from(rng.range(100, 5_000_000)),
                currency: rng.pick(&["USD", "USD", "EUR", "CNY", "HKD"]).to_string(),
            }),
            parties: vec![
                PartyRecord {
                    role: String::from("originator"),
                    entity: format!("e{originator:05}"),
                },
                PartyRecord {
                    role: String::from("beneficiary"),
                    entity: format!("e{beneficiary:05}"),
                },
            ],
            attributes,
        });
    }
    document
}

/// Prints the outcome mix and how often each rule fired, so the reader can judge the batch.
fn report_mix(policies: &PolicySet, facts: &Facts) {
    let decisions = policies.decide_all(facts, None);
    let count = |outcome| decisions.iter().filter(|d| d.outcome == outcome).count();
    eprintln!(
        "decide bench: {} entities, {} relations, {} transactions -> block {}, review {}, allow {}",
        facts.entity_count(),
        RELATIONS,
        decisions.len(),
        count(Outcome::Block),
        count(Outcome::Review),
        count(Outcome::Allow),
    );
    let mut fired: BTreeMap<&str, usize> = BTreeMap::new();
    for reason in decisions.iter().flat_map(|d| &d.reasons) {
        *fired.entry(reason.rule.as_str()).or_default() += 1;
    }
    let fired: Vec<String> = fired
        .iter()
        .map(|(rule, n)| format!("{rule} {n}"))
        .collect();
    eprintln!("decide bench: reasons by rule: {}", fired.join(", "));
    let errors = decisions
        .iter()
        .flat_map(|d| &d.reasons)
        .filter(|r| r.error.is_some())
        .count();
    eprintln!("decide bench: rules that failed closed: {errors}");
}

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
    let document = generate();
    let facts =
        Facts::from_document("bench-10k", document.clone()).expect("generated facts are valid");
    report_mix(&policies, &facts);
    let transactions = facts.transactions();

    let mut decide = c.benchmark_group("decide");
    decide.throughput(Throughput::Elements(1));
    decide.bench_function("dprk_pack_10k_entities", |b| {
        let mut next = 0;
        b.iter(|| {
            let transaction = &transactions[next];
            next = (next + 1) % transactions.len();
            black_box(dprk.decide(black_box(&facts), transaction, None))
        });
    });
    decide.bench_function("all_packs_10k_entities", |b| {
        let mut next = 0;
        b.iter(|| {
            let transaction = &transactions[next];
            next = (next + 1) % transactions.len();
            black_box(policies.decide(black_box(&facts), transaction, None))
        });
    });
    decide.throughput(Throughput::Elements(TRANSACTIONS as u64));
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
