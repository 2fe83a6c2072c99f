//! Screening quality on a labelled set built from the real lists: variants of listed names as a
//! customer file or a payment message writes them (misspellings, other romanisations, legal forms
//! written out or left off, word order, partial names, words joined or split) and ordinary names
//! of people, companies and vessels that are not listed. Two figures, the ones a compliance team
//! weighs: how often the right list entry comes first for a listed name's variant, and how often
//! an innocent name raises an alert, both at [`DEFAULT_THRESHOLD`].
//!
//! The set is generated here, deterministically (a fixed seed, no external service), from the
//! list loaded: the full OFAC SDN list (`ofac/2024-05/sdn.csv` with the aliases of
//! `ofac/2025-12/alt.csv`) when the reference data is there, and the shipped excerpt
//! `tests/fixtures/lists/ofac_sdn_sample` (every SDN entry of May 2024 whose number is a multiple
//! of 50, with its aliases) on a fresh clone. Every listed entity's variants, and every innocent
//! name, fall into the tuning part or the held-back part by a hash of the entity id or the name:
//! about a fifth is held back, only measured, and only the held-back figures are gated.
//! `INTERDICT_SHOW_ERRORS=1` lists the failures of the tuning part, never of the held-back one.
//!
//! A variant that reads exactly as another listed entity's name (a partial name that is someone
//! else's full name) names no single right entry and is left out; an innocent name that reads
//! exactly as a listed name, once normalised, is listed and is left out too.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use interdict::Facts;
use interdict::facts::EntityKind;
use interdict::lists::{self, ofac};
use interdict::screen::{DEFAULT_THRESHOLD, Normalizer, ScreeningIndex, ScreeningOptions};

/// Share of held-back variants of the full SDN list with the right entry first since a
/// compound given name opened by Muhammad is named by either part and two one-word names one
/// slip apart score as a typo (693 of 705; 2,882 of 2,907 on the tuning part); the gate allows
/// one point below it.
const FULL_HELD_BACK_FIRST: f64 = 0.983;
/// Share of held-back innocent names alerting on the full SDN list then (8 of 1,030; 33 of 3,970
/// on the tuning part); the gate allows half a point above it.
const FULL_HELD_BACK_ALERTS: f64 = 0.0078;
/// The same two figures on the shipped excerpt (193 of 196, and 0 of 410; 618 of 625 and 1 of
/// 1,590 on the tuning part).
const SAMPLE_HELD_BACK_FIRST: f64 = 0.985;
/// What screening must hold out of sample on the full list, whatever the figures above become:
/// the right entry first for at least 98 % of listed names, alerts on at most 1 % of innocent
/// names (OpenSanctions' logic-v2 reaches about 94 % at 1 %).
const REQUIRED_FIRST: f64 = 0.98;
const REQUIRED_ALERTS: f64 = 0.01;
const SAMPLE_HELD_BACK_ALERTS: f64 = 0.0;

/// splitmix64: a small, well-mixed generator, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        let at = self.below(items.len());
        items.get(at)
    }
}

/// FNV-1a, for the split.
fn fnv(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

fn held_back(key: &str) -> bool {
    fnv(key).is_multiple_of(5)
}

/// One labelled query.
#[derive(Debug, Clone)]
struct Labelled {
    query: String,
    kind: EntityKind,
    /// The listed entity's id for a variant; `None` for an innocent name.
    expected: Option<String>,
    /// What was done to the listed name (`typo`, `legal form` ...), or the innocent name's kind.
    group: String,
    held_back: bool,
}

/// A listed name as a customer would type it: natural order for people (`Song Hwa Jong` for
/// `JONG, Song Hwa`) most of the time, each word capitalised.
fn as_typed(name: &str, kind: EntityKind, rng: &mut Rng) -> String {
    let natural = match (kind, name.split_once(", ")) {
        (EntityKind::Person, Some((family, given))) if rng.chance(80) => {
            format!("{given} {family}")
        }
        (EntityKind::Person, Some((family, given))) if rng.chance(50) => {
            format!("{family} {given}")
        }
        _ => name.to_owned(),
    };
    if rng.chance(70) {
        natural
            .split(' ')
            .map(capitalised)
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        natural
    }
}

fn capitalised(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The ways a listed name is varied.
const VARIATIONS: [&str; 8] = [
    "typo",
    "romanisation",
    "legal form",
    "word order",
    "partial name",
    "joined words",
    "split word",
    "accents",
];

/// Applies `variation` to `name`, or `None` when it does not apply to this name.
fn vary(variation: &str, name: &str, kind: EntityKind, rng: &mut Rng) -> Option<String> {
    let varied = match variation {
        "typo" => typo(name, rng),
        "romanisation" => romanise(name, rng),
        "legal form" if kind == EntityKind::Organization => legal_form(name, rng),
        "word order" if kind == EntityKind::Person => word_order(name),
        "partial name" if kind == EntityKind::Person => partial(name, rng),
        "joined words" => join(name, kind, rng),
        "split word" => split(name),
        "accents" => accents(name, rng),
        _ => None,
    }?;
    (varied.to_lowercase() != name.to_lowercase() && !varied.trim().is_empty()).then_some(varied)
}

/// Words of `name` with their positions, letters only, at least `min` long.
fn long_words(name: &str, min: usize) -> Vec<usize> {
    name.split(' ')
        .enumerate()
        .filter(|(_, w)| w.chars().count() >= min && w.chars().all(char::is_alphabetic))
        .map(|(i, _)| i)
        .collect()
}

fn replace_word(name: &str, at: usize, word: &str) -> String {
    name.split(' ')
        .enumerate()
        .map(|(i, w)| if i == at { word } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One slip of the keyboard in a word of five letters or more: a letter replaced, dropped,
/// doubled, or two swapped.
fn typo(name: &str, rng: &mut Rng) -> Option<String> {
    let words = long_words(name, 5);
    let at = *rng.pick(&words)?;
    let word: Vec<char> = name.split(' ').nth(at)?.chars().collect();
    let i = 1 + rng.below(word.len() - 2);
    let mut out = word.clone();
    match rng.below(4) {
        0 => {
            let upper = word[i].is_uppercase();
            let c = (b'a' + rng.below(26) as u8) as char;
            out[i] = if upper { c.to_ascii_uppercase() } else { c };
        }
        1 => {
            out.remove(i);
        }
        2 => out.insert(i, word[i]),
        _ => out.swap(i, i + 1),
    }
    Some(replace_word(name, at, &out.into_iter().collect::<String>()))
}

/// Other romanisations of Arabic, Korean and Russian names, word by word.
const ROMANISATIONS: &[(&str, &str)] = &[
    ("mohammed", "muhammad"),
    ("mohammad", "muhammad"),
    ("muhammad", "mohamed"),
    ("mohamed", "mohammed"),
    ("ahmad", "ahmed"),
    ("ahmed", "ahmad"),
    ("hassan", "hasan"),
    ("hasan", "hassan"),
    ("hussein", "husain"),
    ("husayn", "hussein"),
    ("husain", "hussain"),
    ("yousef", "yusuf"),
    ("yusuf", "youssef"),
    ("khalid", "khaled"),
    ("mahmoud", "mahmud"),
    ("mahmud", "mahmoud"),
    ("osama", "usama"),
    ("usama", "osama"),
    ("omar", "umar"),
    ("abdullah", "abdallah"),
    ("abdallah", "abdullah"),
    ("ibrahim", "ebrahim"),
    ("qasim", "kassem"),
    ("jafar", "jaafar"),
    ("hezbollah", "hizballah"),
    ("mustafa", "moustafa"),
    ("said", "saeed"),
    ("saeed", "said"),
    ("salih", "saleh"),
    ("saleh", "salih"),
    ("hamid", "hameed"),
    ("rashid", "rasheed"),
    ("karim", "kareem"),
    ("jong", "jeong"),
    ("chol", "cheol"),
    ("chon", "cheon"),
    ("kum", "geum"),
    ("kuk", "kook"),
    ("yun", "yoon"),
    ("mun", "moon"),
    ("pak", "park"),
    ("song", "sung"),
    ("kyong", "gyeong"),
    ("hyon", "hyeon"),
    ("sok", "seok"),
    ("choe", "choi"),
    ("un", "eun"),
    ("kwang", "gwang"),
    ("chang", "jang"),
    ("kang", "gang"),
    ("kil", "gil"),
    ("pyong", "pyeong"),
    ("yong", "yeong"),
    ("myong", "myeong"),
    ("chun", "jun"),
    ("thae", "tae"),
    ("aleksandr", "alexander"),
    ("aleksey", "alexei"),
    ("sergey", "sergei"),
    ("sergei", "sergey"),
    ("yevgeniy", "evgeny"),
    ("yevgeny", "evgeniy"),
    ("dmitriy", "dmitry"),
    ("dmitry", "dmitri"),
    ("yuriy", "yuri"),
    ("andrey", "andrei"),
    ("nikolay", "nikolai"),
    ("vitaliy", "vitaly"),
    ("arkadiy", "arkady"),
    ("valeriy", "valery"),
    ("anatoliy", "anatoly"),
    ("gennadiy", "gennady"),
    ("mikhail", "michail"),
    ("viktor", "victor"),
    ("pyotr", "petr"),
    ("fyodor", "fedor"),
];

fn romanise(name: &str, rng: &mut Rng) -> Option<String> {
    let words: Vec<&str> = name.split(' ').collect();
    let hits: Vec<(usize, &str)> = words
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let lower = w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase();
            ROMANISATIONS
                .iter()
                .find(|(from, _)| *from == lower)
                .map(|(_, to)| (i, *to))
        })
        .collect();
    let &(at, to) = rng.pick(&hits)?;
    let word = words.get(at)?;
    let upper = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase);
    let to = if upper {
        to.to_uppercase()
    } else {
        capitalised(to)
    };
    let suffix: String = word.chars().filter(|c| !c.is_alphabetic()).collect();
    Some(replace_word(name, at, &format!("{to}{suffix}")))
}

/// Legal forms as lists write them and as customers do.
const LEGAL_FORMS: &[(&str, &[&str])] = &[
    (
        "co., ltd.",
        &["Company Limited", "Co Ltd", "Co. Limited", ""],
    ),
    ("company limited", &["Co., Ltd.", "Ltd"]),
    ("limited", &["Ltd", ""]),
    ("ltd.", &["Limited", ""]),
    ("ltd", &["Limited", ""]),
    ("llc", &["Limited Liability Company", "L.L.C.", ""]),
    ("l.l.c.", &["LLC", ""]),
    ("s.a.", &["SA", "Sociedad Anonima", ""]),
    ("s.a.s.", &["SAS", ""]),
    ("c.a.", &["CA", ""]),
    ("inc.", &["Incorporated", "Inc", ""]),
    ("corporation", &["Corp", "Corp.", ""]),
    ("corp.", &["Corporation", ""]),
    ("company", &["Co", "Co.", ""]),
    ("co.", &["Company", ""]),
    ("jsc", &["Joint Stock Company", "AO", ""]),
    ("ojsc", &["Open Joint Stock Company", "OAO", ""]),
    ("pjsc", &["Public Joint Stock Company", "PAO", ""]),
    ("gmbh", &["Gesellschaft mit beschränkter Haftung", ""]),
    ("fze", &["Free Zone Establishment", ""]),
    ("fzco", &["FZ Co", ""]),
    ("sdn. bhd.", &["Sdn Bhd", "Sendirian Berhad", ""]),
    ("s.r.l.", &["SRL", ""]),
    ("sarl", &["S.A.R.L.", ""]),
    ("pte. ltd.", &["Pte Ltd", "Private Limited", ""]),
    ("ltda.", &["Limitada", "Ltda", ""]),
    ("limited liability company", &["LLC"]),
];

/// A listed organisation's legal form written another way or left off; one added where the list
/// has none.
fn legal_form(name: &str, rng: &mut Rng) -> Option<String> {
    let lower = name.to_lowercase();
    for (form, others) in LEGAL_FORMS {
        if let Some(stem) = lower.strip_suffix(form) {
            let stem = name.get(..stem.len())?.trim_end().trim_end_matches(',');
            let other = rng.pick(others)?;
            return Some(format!("{stem} {other}").trim().to_owned());
        }
    }
    let form = rng.pick(&["Ltd", "LLC", "Co.", "Limited", "Inc."])?;
    Some(format!("{name} {form}"))
}

/// A person's name with the family name moved: first when it was last, last when first.
fn word_order(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split(' ').collect();
    if words.len() < 2 {
        return None;
    }
    let (last, rest) = words.split_last()?;
    Some(format!("{last} {}", rest.join(" ")))
}

/// A person's name with one middle word left out (`Ali Mohammed Hassan` → `Ali Hassan`).
fn partial(name: &str, rng: &mut Rng) -> Option<String> {
    let words: Vec<&str> = name.split(' ').collect();
    if words.len() < 3 {
        return None;
    }
    let drop = 1 + rng.below(words.len() - 2);
    Some(
        words
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != drop)
            .map(|(_, w)| *w)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Two adjacent words of a compound written as one: a particle or prefix with the word it
/// belongs to (`Abdul Rahman` → `Abdulrahman`, `Al Qaida` → `Alqaida`), two short syllables of
/// an East Asian name (`Song Hwa` → `Songhwa`, `Rung Ra 2` → `Rungra 2`), or two words of a
/// company's or a ship's own name (`Silver Star` → `Silverstar`), never a legal form's words.
fn join(name: &str, kind: EntityKind, rng: &mut Rng) -> Option<String> {
    let words: Vec<&str> = name.split(' ').collect();
    let compound = |a: &str, b: &str| {
        let (la, lb) = (a.to_lowercase(), b.to_lowercase());
        let letters = |w: &str| !w.is_empty() && w.chars().all(char::is_alphabetic);
        if !letters(&la) || !letters(&lb) || la.len() + lb.len() > 12 {
            return false;
        }
        PREFIXES.contains(&la.as_str())
            || (la.chars().count() <= 4 && lb.chars().count() <= 4)
            || (kind != EntityKind::Person
                && !LEGAL_FORM_WORDS.contains(&la.as_str())
                && !LEGAL_FORM_WORDS.contains(&lb.as_str()))
    };
    let joinable: Vec<usize> = (0..words.len().saturating_sub(1))
        .filter(|&i| compound(words[i], words[i + 1]))
        .collect();
    let i = *rng.pick(&joinable)?;
    let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    let next = out.remove(i + 1).to_lowercase();
    out[i].push_str(&next);
    Some(out.join(" "))
}

/// Particles and prefixes written together with the next word.
const PREFIXES: &[&str] = &[
    "al", "el", "abdul", "abdel", "abd", "abu", "bin", "ibn", "ben", "de", "da", "di", "del",
    "van", "von", "la", "le", "mac", "mc", "ul", "ud",
];

/// Words of legal forms, which no one writes together with the name.
const LEGAL_FORM_WORDS: &[&str] = &[
    "limited",
    "liability",
    "company",
    "co",
    "co.,",
    "ltd",
    "ltd.",
    "llc",
    "joint",
    "stock",
    "open",
    "closed",
    "public",
    "private",
    "obshchestvo",
    "s",
    "ogranichennoi",
    "otvetstvennostyu",
    "aktsionernoe",
    "corporation",
    "corp",
    "inc",
    "inc.",
    "s.a.",
    "gmbh",
    "ooo",
    "oao",
    "zao",
    "pao",
    "ao",
    "jsc",
    "ojsc",
    "pjsc",
    "cjsc",
    "fze",
    "fzco",
    "sdn",
    "bhd",
    "and",
    "&",
    "of",
    "the",
];

/// Word starts at which compounds of listed names come apart (`Abdulrahman` → `Abdul Rahman`,
/// `Petrochemical` → `Petro Chemical`).
const COMPOUND_HEADS: &[&str] = &[
    "abdul", "abdel", "abdal", "abu", "silver", "petro", "trans", "inter", "north", "south",
    "east", "west", "neft", "gaz", "sea", "ocean", "star", "sun", "tech", "bank", "euro", "aero",
    "auto", "agro", "energo", "rus", "sino", "kor", "iran", "golden", "green", "new", "mega",
];

fn split(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split(' ').collect();
    for (i, word) in words.iter().enumerate() {
        let lower = word.to_lowercase();
        for head in COMPOUND_HEADS {
            if lower.starts_with(head)
                && lower.len() >= head.len() + 3
                && lower.chars().all(char::is_alphabetic)
            {
                let (a, b) = word.split_at(head.len());
                return Some(replace_word(name, i, &format!("{a} {b}")));
            }
        }
    }
    None
}

/// An accent a Spanish, French or Portuguese writer would add (`Nicolás`).
fn accents(name: &str, rng: &mut Rng) -> Option<String> {
    let words = long_words(name, 4);
    let at = *rng.pick(&words)?;
    let word = name.split(' ').nth(at)?;
    let vowels: Vec<usize> = word
        .char_indices()
        .skip(1)
        .filter(|(_, c)| "aeiouAEIOU".contains(*c))
        .map(|(i, _)| i)
        .collect();
    let &i = rng.pick(&vowels)?;
    let c = word[i..].chars().next()?;
    let accented = match c {
        'a' => 'á',
        'e' => 'é',
        'i' => 'í',
        'o' => 'ó',
        'u' => 'ú',
        'A' => 'Á',
        'E' => 'É',
        'I' => 'Í',
        'O' => 'Ó',
        _ => 'Ú',
    };
    let word = format!("{}{accented}{}", &word[..i], &word[i + c.len_utf8()..]);
    Some(replace_word(name, at, &word))
}

/// The normalised words of a name, sorted: two names with the same key read the same.
fn reading(name: &str) -> String {
    let normalized = Normalizer::shared().normalize(name);
    let mut words: Vec<&str> = normalized.tokens.iter().map(|t| t.text.as_str()).collect();
    words.sort_unstable();
    words.join(" ")
}

/// The listed names of every indexed entity, by reading: who a name reads as.
fn readings(facts: &Facts) -> HashMap<String, HashSet<String>> {
    let mut readings: HashMap<String, HashSet<String>> = HashMap::new();
    for entity in listed(facts) {
        let record = facts.entity(entity).unwrap();
        for name in std::iter::once(&record.name).chain(&record.aliases) {
            readings
                .entry(reading(name))
                .or_default()
                .insert(record.id.clone());
        }
    }
    readings
}

fn listed(facts: &Facts) -> impl Iterator<Item = interdict::facts::EntityIndex> + '_ {
    (0..facts.entity_count())
        .filter_map(|i| interdict::facts::EntityIndex::try_from(i).ok())
        .filter(|&i| facts.designations_of(i).next().is_some())
}

/// Variants of listed names: for each listed entity picked (every one when `per_mille` is 1000),
/// `per_entity` variants of its name or an alias, each one variation and, one time in five, a typo
/// on top.
fn listed_variants(facts: &Facts, per_mille: u64, per_entity: usize, seed: u64) -> Vec<Labelled> {
    let mut rng = Rng(seed);
    let readings = readings(facts);
    let mut out = Vec::new();
    for entity in listed(facts) {
        if rng.next() % 1000 >= per_mille {
            continue;
        }
        let record = facts.entity(entity).unwrap();
        let kind = record.kind;
        let mut seen = HashSet::new();
        for _ in 0..per_entity {
            let source = if !record.aliases.is_empty() && rng.chance(30) {
                rng.pick(&record.aliases).unwrap().clone()
            } else {
                record.name.clone()
            };
            let typed = as_typed(&source, kind, &mut rng);
            // A random order of the variations; the first that applies is used.
            let mut order = VARIATIONS;
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i + 1));
            }
            let Some((variation, mut query)) = order
                .iter()
                .find_map(|v| vary(v, &typed, kind, &mut rng).map(|q| (*v, q)))
            else {
                continue;
            };
            let mut group = variation.to_owned();
            if variation != "typo"
                && rng.chance(20)
                && let Some(more) = vary("typo", &query, kind, &mut rng)
            {
                query = more;
                group.push_str(" + typo");
            }
            let names = readings.get(&reading(&query));
            if names.is_some_and(|ids| ids.iter().any(|id| *id != record.id))
                || !seen.insert(query.clone())
            {
                continue;
            }
            out.push(Labelled {
                query,
                kind,
                expected: Some(record.id.clone()),
                group,
                held_back: held_back(&record.id),
            });
        }
    }
    out
}

const GIVEN_NAMES: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Susan",
    "Thomas",
    "Sarah",
    "Daniel",
    "Emma",
    "Oliver",
    "Sophie",
    "Lukas",
    "Anna",
    "Jonas",
    "Lea",
    "Pierre",
    "Camille",
    "Hugo",
    "Chloé",
    "Giulia",
    "Marco",
    "Francesca",
    "Luca",
    "Carlos",
    "María",
    "José",
    "Lucía",
    "Javier",
    "Carmen",
    "João",
    "Ana",
    "Pedro",
    "Beatriz",
    "Jan",
    "Katarzyna",
    "Piotr",
    "Agnieszka",
    "Lars",
    "Ingrid",
    "Sven",
    "Astrid",
    "Hiroshi",
    "Yuki",
    "Kenji",
    "Aiko",
    "Wei",
    "Fang",
    "Jun",
    "Mei",
    "Min-jun",
    "Seo-yeon",
    "Ji-ho",
    "Priya",
    "Rahul",
    "Anjali",
    "Vikram",
    "Aarav",
    "Fatima",
    "Omar",
    "Layla",
    "Youssef",
    "Amina",
    "Karim",
    "Nour",
    "Mehmet",
    "Ayşe",
    "Emre",
    "Zeynep",
    "Olga",
    "Ivan",
    "Natalia",
    "Sergio",
    "Nguyen",
    "Thanh",
    "Kwame",
    "Ama",
    "Chinedu",
    "Ngozi",
    "Tariq",
    "Leila",
    "Reza",
    "Shirin",
    "Daniela",
    "Mateo",
    "Valentina",
    "Samuel",
    "Grace",
    "Noah",
    "Mia",
];

const FAMILY_NAMES: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Taylor",
    "Clarke",
    "Walker",
    "Wright",
    "Thompson",
    "Evans",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Becker",
    "Martin",
    "Bernard",
    "Dubois",
    "Laurent",
    "Lefebvre",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "García",
    "Fernández",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Silva",
    "Santos",
    "Oliveira",
    "Costa",
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Andersson",
    "Johansson",
    "Hansen",
    "Nielsen",
    "Virtanen",
    "Sato",
    "Suzuki",
    "Takahashi",
    "Tanaka",
    "Watanabe",
    "Wang",
    "Chen",
    "Liu",
    "Zhao",
    "Huang",
    "Kim",
    "Lee",
    "Park",
    "Choi",
    "Sharma",
    "Patel",
    "Gupta",
    "Singh",
    "Iyer",
    "Haddad",
    "Khoury",
    "Nasser",
    "Mansour",
    "Yilmaz",
    "Kaya",
    "Demir",
    "Popescu",
    "Ionescu",
    "Novák",
    "Horváth",
    "Ivanova",
    "Petrenko",
    "Kovalenko",
    "Tran",
    "Pham",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Hosseini",
    "Karimi",
    "Cohen",
    "Levi",
    "O'Brien",
    "Murphy",
    "MacDonald",
    "Jansen",
    "de Vries",
];

const COMPANY_WORDS: &[&str] = &[
    "Northwind",
    "Blue River",
    "Golden Harvest",
    "Pacific Rim",
    "Alpine",
    "Redwood",
    "Harbour",
    "Summit",
    "Evergreen",
    "Silverline",
    "Meridian",
    "Cedar",
    "Lakeside",
    "Orion",
    "Atlas",
    "Beacon",
    "Crescent",
    "Falcon",
    "Granite",
    "Horizon",
    "Juniper",
    "Keystone",
    "Maple",
    "Nordic",
    "Oakridge",
    "Pinnacle",
    "Quantum",
    "Riverside",
    "Sterling",
    "Trinity",
    "Unity",
    "Vertex",
    "Willow",
    "Zenith",
    "Bright",
    "Coastal",
    "Delta",
    "Eastgate",
    "Fairview",
    "Greenfield",
    "Highland",
    "Ironbridge",
    "Kingsway",
    "Lighthouse",
    "Midland",
    "Newport",
    "Parkside",
    "Rosewood",
    "Seaview",
    "Westbrook",
    "Hansa",
    "Rhein",
    "Lumière",
    "Sol",
    "Sakura",
    "Lotus",
];

const INDUSTRIES: &[&str] = &[
    "Logistics",
    "Foods",
    "Trading",
    "Consulting",
    "Analytics",
    "Software",
    "Textiles",
    "Engineering",
    "Pharma",
    "Shipping",
    "Dental Care",
    "Bakery",
    "Furniture",
    "Motors",
    "Insurance Brokers",
    "Architects",
    "Solar",
    "Printing",
    "Garden Supplies",
    "Travel",
    "Hotels",
    "Capital",
    "Partners",
    "Holdings",
    "Media",
    "Construction",
    "Electronics",
    "Packaging",
    "Catering",
    "Properties",
];

const COMPANY_FORMS: &[&str] = &[
    "",
    "Ltd",
    "Limited",
    "LLC",
    "Inc.",
    "GmbH",
    "AG",
    "S.A.",
    "S.r.l.",
    "B.V.",
    "Oy",
    "AB",
    "Pty Ltd",
    "PLC",
    "SAS",
    "Co., Ltd.",
    "K.K.",
    "Sp. z o.o.",
];

const VESSEL_WORDS: &[&str] = &[
    "Ocean", "Nordic", "Baltic", "Atlantic", "Coral", "Morning", "Northern", "Southern", "Emerald",
    "Crimson", "Arctic", "Aegean", "Maersk", "Hanse", "Celtic", "Iberian", "Amber",
];

const VESSEL_NOUNS: &[&str] = &[
    "Pearl",
    "Spirit",
    "Voyager",
    "Pioneer",
    "Trader",
    "Breeze",
    "Horizon",
    "Explorer",
    "Dawn",
    "Harmony",
    "Fortune",
    "Tide",
    "Mariner",
    "Carrier",
    "Navigator",
    "Crest",
    "Endeavour",
];

/// Ordinary names of people (six in ten), companies (three in ten) and vessels, none of them
/// listed.
fn innocent_names(facts: &Facts, count: usize, seed: u64) -> Vec<Labelled> {
    let mut rng = Rng(seed);
    let readings = readings(facts);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut attempts = 0;
    while out.len() < count && attempts < count * 20 {
        attempts += 1;
        let roll = rng.below(10);
        let (kind, name) = if roll < 6 {
            let mut name = rng.pick(GIVEN_NAMES).unwrap().to_string();
            if rng.chance(20) {
                name.push(' ');
                name.push_str(rng.pick(GIVEN_NAMES).unwrap());
            }
            name.push(' ');
            name.push_str(rng.pick(FAMILY_NAMES).unwrap());
            (EntityKind::Person, name)
        } else if roll < 9 {
            let name = format!(
                "{} {} {}",
                rng.pick(COMPANY_WORDS).unwrap(),
                rng.pick(INDUSTRIES).unwrap(),
                rng.pick(COMPANY_FORMS).unwrap()
            );
            (EntityKind::Organization, name.trim().to_owned())
        } else {
            let mut name = format!(
                "{} {}",
                rng.pick(VESSEL_WORDS).unwrap(),
                rng.pick(VESSEL_NOUNS).unwrap()
            );
            if rng.chance(25) {
                let _ = write!(name, " {}", 1 + rng.below(9));
            }
            (EntityKind::Vessel, name)
        };
        if readings.contains_key(&reading(&name)) || !seen.insert(name.clone()) {
            continue;
        }
        out.push(Labelled {
            held_back: held_back(&name),
            group: format!("{kind:?}").to_lowercase(),
            query: name,
            kind,
            expected: None,
        });
    }
    out
}

/// Counts of one part of the set.
#[derive(Debug, Default)]
struct Tally {
    variants: u32,
    first: u32,
    innocents: u32,
    alerts: u32,
    /// First-rank counts by variation: (right, all).
    groups: BTreeMap<String, (u32, u32)>,
}

impl Tally {
    fn first_rate(&self) -> f64 {
        f64::from(self.first) / f64::from(self.variants.max(1))
    }

    fn alert_rate(&self) -> f64 {
        f64::from(self.alerts) / f64::from(self.innocents.max(1))
    }

    fn describe(&self) -> String {
        let mut text = format!(
            "right entry first for {}/{} variants ({:.1} %), alerts on {}/{} innocent names ({:.2} %)",
            self.first,
            self.variants,
            100.0 * self.first_rate(),
            self.alerts,
            self.innocents,
            100.0 * self.alert_rate()
        );
        for (group, (right, all)) in &self.groups {
            let _ = write!(text, "\n    {group}: {right}/{all}");
        }
        text
    }
}

/// Screens every labelled query and tallies both parts; `show` prints the tuning part's failures.
fn evaluate(index: &ScreeningIndex, set: &[Labelled], show: bool) -> (Tally, Tally) {
    let (mut tune, mut held) = (Tally::default(), Tally::default());
    for item in set {
        let matches = index.search(&item.query, DEFAULT_THRESHOLD, 10);
        let part = if item.held_back { &mut held } else { &mut tune };
        match &item.expected {
            Some(expected) => {
                // Ties for first place (two entries listed under the same name) count as first.
                let top = matches.first().map(|m| m.score);
                let right = matches
                    .iter()
                    .any(|m| &m.id == expected && Some(m.score) == top);
                part.variants += 1;
                part.first += u32::from(right);
                let group = part.groups.entry(item.group.clone()).or_default();
                group.0 += u32::from(right);
                group.1 += 1;
                if show && !right && !item.held_back {
                    let found: Vec<String> = matches
                        .iter()
                        .take(2)
                        .map(|m| format!("{} {:?} {:.3}", m.id, m.matched_name, m.score))
                        .collect();
                    println!(
                        "MISS [{}] {:?} (kind {:?}) for {expected}: {found:?}",
                        item.group, item.query, item.kind
                    );
                }
            }
            None => {
                part.innocents += 1;
                part.alerts += u32::from(!matches.is_empty());
                if show && !matches.is_empty() && !item.held_back {
                    let m = &matches[0];
                    println!(
                        "ALERT [{}] {:?} ~ {} {:?} {:.3}",
                        item.group, item.query, m.id, m.matched_name, m.score
                    );
                }
            }
        }
    }
    (tune, held)
}

fn load_ofac(sdn: &Path, alt: &Path) -> Facts {
    let import = ofac::import_files(&ofac::OfacFiles {
        sdn: sdn.to_path_buf(),
        alt: Some(alt.to_path_buf()),
        add: None,
        comments: None,
    })
    .unwrap();
    let document = lists::merge([("ofac", import.document)]).unwrap();
    Facts::from_document("ofac", document).unwrap()
}

/// Builds the set over `facts`, measures it and checks the held-back figures against the floor
/// and ceiling given.
fn measure(facts: &Facts, label: &str, set: Vec<Labelled>, first_floor: f64, alert_ceiling: f64) {
    let index = ScreeningIndex::build(facts, &ScreeningOptions::default());
    let show = std::env::var_os("INTERDICT_SHOW_ERRORS").is_some();
    let (tune, held) = evaluate(&index, &set, show);
    println!("{label}, tuning part:    {}", tune.describe());
    println!("{label}, held-back part: {}", held.describe());
    assert!(held.variants >= 50 && held.innocents >= 100, "{held:?}");
    assert!(
        held.first_rate() >= first_floor,
        "{label}: right entry first for {:.1} % of held-back variants, below the floor of {:.1} %",
        100.0 * held.first_rate(),
        100.0 * first_floor
    );
    assert!(
        held.alert_rate() <= alert_ceiling,
        "{label}: {:.2} % of held-back innocent names alert, above the ceiling of {:.2} %",
        100.0 * held.alert_rate(),
        100.0 * alert_ceiling
    );
}

#[test]
fn listed_variants_come_first_and_innocent_names_rarely_alert_on_the_full_sdn_list() {
    let Some(data) = crate::reference_data() else {
        return;
    };
    let facts = load_ofac(
        &data.join("ofac/2024-05/sdn.csv"),
        &data.join("ofac/2025-12/alt.csv"),
    );
    let mut set = listed_variants(&facts, 250, 1, 0x5eed_0008);
    set.extend(innocent_names(&facts, 5000, 0x5eed_0009));
    measure(
        &facts,
        "full SDN",
        set,
        (FULL_HELD_BACK_FIRST - 0.01).max(REQUIRED_FIRST),
        (FULL_HELD_BACK_ALERTS + 0.005).min(REQUIRED_ALERTS),
    );
}

#[test]
fn listed_variants_come_first_and_innocent_names_rarely_alert_on_the_shipped_excerpt() {
    let folder = crate::at("tests/fixtures/lists/ofac_sdn_sample");
    let facts = load_ofac(&folder.join("sdn.csv"), &folder.join("alt.csv"));
    let mut set = listed_variants(&facts, 1000, 3, 0x5eed_0008);
    set.extend(innocent_names(&facts, 2000, 0x5eed_0009));
    measure(
        &facts,
        "SDN excerpt",
        set,
        SAMPLE_HELD_BACK_FIRST - 0.01,
        SAMPLE_HELD_BACK_ALERTS + 0.005,
    );
}
