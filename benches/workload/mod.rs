//! The generated workload the decision, scale and peers benchmarks share: an entity store with
//! ownership (with stakes), control (with its basis), directorships, sister companies, creators
//! and employees, about 3 % of it designated under the North Korea programs and 3 % under others,
//! and a batch of two-party transactions.
//!
//! Deterministic: a fixed-seed PRNG, so the same parameters give the same records on every run and
//! every machine. The proportions (20 % persons, 40 % of relations ownership of which about a third
//! are stakes of 50 % or more, 15 % control, ...) are the same at every size, so figures at 10,000
//! and at 1,000,000 entities measure the same kind of store.

#![allow(dead_code, reason = "each benchmark uses part of the shared workload")]

use std::collections::BTreeMap;

use interdict::facts::{
    Amount, AttributeValue, ControlBasis, DesignationRecord, EntityKind, EntityRecord,
    FactsDocument, PartyRecord, RelationKind, RelationRecord, TransactionRecord,
};
use interdict::{Date, Facts, Outcome, PolicySet};

/// The seed every benchmark uses.
pub const SEED: u64 = 0x5EED_1D7E_2D1C_7A11;

/// How large a workload to generate.
#[derive(Debug, Clone, Copy)]
pub struct Workload {
    /// Entities in the store.
    pub entities: usize,
    /// Relations between them.
    pub relations: usize,
    /// Two-party transactions to decide.
    pub transactions: usize,
}

impl Workload {
    /// The store of the decision benchmark: 10,000 entities, 20,000 relations, 1,000 transactions.
    pub const DECIDE: Workload = Workload {
        entities: 10_000,
        relations: 20_000,
        transactions: 1_000,
    };

    /// A store of `entities` entities with twice as many relations and 1,000 transactions.
    pub fn scaled(entities: usize) -> Workload {
        Workload {
            entities,
            relations: 2 * entities,
            transactions: 1_000,
        }
    }
}

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
/// Positions of control and what each rests on: a manager's role makes no sister companies, a
/// board majority or a beneficial controller's influence does (every control relation states its
/// basis, as a curated store would, so no rule fails closed for want of one).
const CONTROL_ROLES: &[(&str, ControlBasis)] = &[
    ("CEO", ControlBasis::ManagementRole),
    ("board majority", ControlBasis::BoardAppointment),
    ("managing director", ControlBasis::ManagementRole),
    ("general manager", ControlBasis::ManagementRole),
    ("beneficial controller", ControlBasis::DominantInfluence),
];
const DIRECTOR_ROLES: &[&str] = &["director", "chairman", "board member", "company secretary"];

/// Where generated records go, in the order they are made: entities, designations, relations,
/// transactions. A document holds them all; a snapshot writer takes them one at a time, so a
/// store of ten million entities is written without ever being held.
pub trait RecordSink {
    fn entity(&mut self, record: EntityRecord);
    fn designation(&mut self, record: DesignationRecord);
    fn relation(&mut self, record: RelationRecord);
    fn transaction(&mut self, record: TransactionRecord);
}

impl RecordSink for FactsDocument {
    fn entity(&mut self, record: EntityRecord) {
        self.entities.push(record);
    }
    fn designation(&mut self, record: DesignationRecord) {
        self.designations.push(record);
    }
    fn relation(&mut self, record: RelationRecord) {
        self.relations.push(record);
    }
    fn transaction(&mut self, record: TransactionRecord) {
        self.transactions.push(record);
    }
}

/// The generated store and transaction batch, as records (deterministic: fixed seed).
pub fn generate(workload: Workload) -> FactsDocument {
    let mut document = FactsDocument::default();
    generate_into(workload, &mut document);
    document
}

/// The generated store and transaction batch, each record handed to `out` as it is made.
pub fn generate_into(workload: Workload, out: &mut impl RecordSink) {
    let Workload {
        entities,
        relations,
        transactions,
    } = workload;
    let mut rng = Rng::new(SEED);
    let mut persons = Vec::new();
    let mut organizations = Vec::new();

    for i in 0..entities {
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
        out.entity(entity);
    }

    // About 3 % designated under North Korea programs, about 3 % under other programs.
    for i in 0..entities {
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
        out.designation(DesignationRecord {
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
    while count < relations {
        let roll = rng.below(100);
        let any = rng.below(entities);
        let org = *rng.pick(&organizations);
        let other_org = *rng.pick(&organizations);
        let person = *rng.pick(&persons);
        let mut basis = None;
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
                let (role, stated) = *rng.pick(CONTROL_ROLES);
                basis = Some(stated);
                (
                    RelationKind::Controls,
                    controller,
                    org,
                    None,
                    Some(role.to_owned()),
                )
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
        out.relation(RelationRecord {
            id: None,
            kind,
            from: format!("e{from:05}"),
            to: format!("e{to:05}"),
            percent,
            role,
            start,
            end,
            source: None,
            basis,
        });
        count += 1;
    }

    for t in 0..transactions {
        let originator = rng.below(entities);
        let mut beneficiary = rng.below(entities);
        while beneficiary == originator {
            beneficiary = rng.below(entities);
        }
        let mut attributes = BTreeMap::new();
        if rng.chance(1.0) {
            attributes.insert(
                String::from("ofac_licence"),
                AttributeValue::Text(String::from("DPRK-2024-0117")),
            );
        }
        out.transaction(TransactionRecord {
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
}

/// `count` names of people and companies drawn like the store's (a fifth people), for screening
/// runs: the same vocabulary as the generated entities, from their own seed.
pub fn names(count: usize) -> Vec<String> {
    let mut rng = Rng::new(SEED ^ 0x4E41_4D45);
    (0..count)
        .map(|_| {
            if rng.chance(20.0) {
                format!(
                    "{} {} {}",
                    rng.pick(FAMILY),
                    rng.pick(GIVEN),
                    rng.pick(GIVEN)
                )
            } else {
                format!(
                    "{} {} {} {}",
                    rng.pick(ORG_WORDS),
                    rng.pick(ORG_WORDS),
                    rng.pick(ORG_TRADES),
                    rng.pick(ORG_FORMS)
                )
            }
        })
        .collect()
}

/// Prints the outcome mix and how often each rule fired, so the reader can judge the batch.
pub fn report_mix(bench: &str, policies: &PolicySet, facts: &Facts, workload: Workload) {
    let decisions = policies.decide_all(facts, None);
    let count = |outcome| decisions.iter().filter(|d| d.outcome == outcome).count();
    eprintln!(
        "{bench} bench: {} entities, {} relations, {} transactions -> block {}, review {}, allow {}",
        facts.entity_count(),
        workload.relations,
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
    eprintln!("{bench} bench: reasons by rule: {}", fired.join(", "));
    let errors = decisions
        .iter()
        .flat_map(|d| &d.reasons)
        .filter(|r| r.error.is_some())
        .count();
    eprintln!("{bench} bench: rules that failed closed: {errors}");
}
