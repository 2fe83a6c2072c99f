//! Screening quality measured out of sample: the labelled pairs of `names/name-pairs.csv` split
//! deterministically into a part to tune on and a held-back part that is only measured, with a
//! gate on the held-back part. A pair is held back when the FNV-1a hash of its two names (in file
//! order, tab-separated) is divisible by five: about a fifth of the pairs, the same ones on every
//! machine, whatever the file's order.

use interdict::screen::{self, DEFAULT_THRESHOLD};

/// F1 of [`screen::similarity`] at [`DEFAULT_THRESHOLD`] on the held-back pairs since a word is
/// also compared as written, for a slip (precision 0.922, recall 0.845 on 153 pairs; 0.881 when
/// the split was made; OpenSanctions logic-v2 0.869 on the 150 of them it scored; unchanged by
/// the compound given name and one-word slip rules); the gate allows 0.01 below it.
const HELD_BACK_F1: f64 = 0.882;

/// An index of listed names of one kind, with ids `{prefix}0`, `{prefix}1`… in the order given.
fn index_of(
    kind: interdict::facts::EntityKind,
    prefix: &str,
    names: &[&str],
) -> interdict::screen::ScreeningIndex {
    interdict::screen::ScreeningIndex::from_entries(names.iter().zip(0u32..).map(
        |(name, entity)| interdict::screen::IndexEntry {
            entity,
            id: format!("{prefix}{entity}"),
            kind,
            name: (*name).to_owned(),
            aliases: Vec::new(),
            designations: Vec::new(),
            identifiers: Vec::new(),
        },
    ))
}

/// Whether a pair belongs to the held-back part.
fn held_back(name1: &str, name2: &str) -> bool {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name1
        .bytes()
        .chain(std::iter::once(b'\t'))
        .chain(name2.bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash.is_multiple_of(5)
}

/// Confusion counts and the figures derived from them.
#[derive(Default, Debug)]
struct Counts {
    tp: u32,
    fp: u32,
    fneg: u32,
    tn: u32,
}

impl Counts {
    fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fneg += 1,
            (false, false) => self.tn += 1,
        }
    }

    fn f1(&self) -> f64 {
        let precision = f64::from(self.tp) / f64::from(self.tp + self.fp);
        let recall = f64::from(self.tp) / f64::from(self.tp + self.fneg);
        2.0 * precision * recall / (precision + recall)
    }

    fn describe(&self) -> String {
        let precision = f64::from(self.tp) / f64::from(self.tp + self.fp);
        let recall = f64::from(self.tp) / f64::from(self.tp + self.fneg);
        format!(
            "{} pairs, TP {} FP {} FN {} TN {}: precision {precision:.3} recall {recall:.3} F1 {:.3}",
            self.tp + self.fp + self.fneg + self.tn,
            self.tp,
            self.fp,
            self.fneg,
            self.tn,
            self.f1()
        )
    }
}

#[test]
fn held_back_pairs_f1_is_gated_and_reported_with_the_tuning_part() {
    let Some(text) = crate::reference_file("names/name-pairs.csv") else {
        return;
    };
    let mut lines = text.lines();
    let header = crate::csv_fields(lines.next().unwrap());
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (a, b, label) = (column("name1"), column("name2"), column("is_match"));
    let (mut tune, mut held) = (Counts::default(), Counts::default());
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let fields = crate::csv_fields(line);
        let score = screen::similarity(&fields[a], &fields[b]);
        let predicted = score >= DEFAULT_THRESHOLD;
        let is_held = held_back(&fields[a], &fields[b]);
        // `INTERDICT_SHOW_ERRORS=1` lists the misclassified pairs of the tuning part only: the
        // held-back part is measured, never looked at.
        if !is_held
            && predicted != (fields[label] == "true")
            && std::env::var_os("INTERDICT_SHOW_ERRORS").is_some()
        {
            let notes: Vec<String> = screen::compare_names(&fields[a], &fields[b])
                .notes
                .iter()
                .map(interdict::explain::match_note)
                .collect();
            println!(
                "{}: {:?} ~ {:?} {score:.3} {notes:?}",
                if predicted { "FP" } else { "FN" },
                fields[a],
                fields[b]
            );
        }
        let part = if is_held { &mut held } else { &mut tune };
        part.add(predicted, fields[label] == "true");
    }
    // OpenSanctions' logic-v2 on the same held-back pairs, from its published scores.
    let mut logic_v2 = Counts::default();
    if let Some(scores) = crate::reference_file("names/name-pairs-logicv2-scores.csv") {
        let mut lines = scores.lines();
        let header = crate::csv_fields(lines.next().unwrap());
        let column = |name: &str| header.iter().position(|h| h == name).unwrap();
        let (a, b, label, predicted) = (
            column("name1"),
            column("name2"),
            column("is_match"),
            column("predicted_match"),
        );
        for line in lines.filter(|l| !l.trim().is_empty()) {
            let fields = crate::csv_fields(line);
            if held_back(&fields[a], &fields[b]) {
                logic_v2.add(fields[predicted] == "true", fields[label] == "true");
            }
        }
    }
    println!("tuning part:    {}", tune.describe());
    println!("held-back part: {}", held.describe());
    println!("logic-v2, held-back part: {}", logic_v2.describe());
    assert!(held.tp + held.fp + held.fneg + held.tn > 120, "{held:?}");
    assert!(
        held.f1() >= HELD_BACK_F1 - 0.01,
        "held-back F1 {:.3} dropped below {HELD_BACK_F1} - 0.01",
        held.f1()
    );
}

/// Korean names in Revised Romanization and in McCune–Reischauer (as lists write it, without
/// breves) are the same names: k/g, ch/j, u/eu/oo, yu/yoo, kuk/kook, mun/moon, o/eo.
#[test]
fn korean_romanisations_match() {
    for (a, b) in [
        ("Kim Kuk Chol", "Gim Kook Cheol"),
        ("Mun Jong Nam", "Moon Jeong Nam"),
        ("Ri Yu Gyong", "Ri Yoo Kyong"),
        ("Kim Un Song", "Kim Eun Seong"),
        ("Jang Song Thaek", "Chang Sung Taek"),
        ("Pak Pong Ju", "Park Bong Joo"),
        ("Kim Yong Chol", "Kim Yeong Cheol"),
        ("Han Kum Nyo", "Han Geum Nyeo"),
        ("Yun Ho Jin", "Yoon Ho Jin"),
    ] {
        let score = screen::similarity(a, b);
        assert!(score >= 0.95, "{a} ~ {b}: {score:.3}");
    }
    // Different given names stay different.
    for (a, b) in [
        ("Kim Kuk Chol", "Kim Kuk Nam"),
        ("Mun Jong Nam", "Mun Jong Su"),
    ] {
        let score = screen::similarity(a, b);
        assert!(score < DEFAULT_THRESHOLD, "{a} ~ {b}: {score:.3}");
    }
}

/// A listed person's one-word name is not read as the initials of a query's words; an
/// organisation's still is (`IRGC`).
#[test]
fn acronyms_are_for_organisations_not_people() {
    use interdict::facts::EntityKind;
    use interdict::screen::{IndexEntry, ListEntry, ScreeningIndex};
    let entry = |entity: u32, kind: EntityKind, name: &str| IndexEntry {
        entity,
        id: format!("e{entity}"),
        kind,
        name: name.to_owned(),
        aliases: Vec::new(),
        designations: vec![ListEntry {
            list: String::from("OFAC-SDN"),
            reference: Some(format!("SDN {entity}")),
            programs: Vec::new(),
            listed_on: None,
            delisted_on: None,
        }],
        identifiers: Vec::new(),
    };
    let index = ScreeningIndex::from_entries([
        entry(1, EntityKind::Person, "SAID"),
        entry(2, EntityKind::Organization, "IRGC"),
    ]);
    let person = index.search("Sami Ali Ibrahim Dawood", 0.5, 5);
    assert!(person.is_empty(), "{person:#?}");
    let organisation = index.search("Islamic Revolutionary Guard Corps", DEFAULT_THRESHOLD, 5);
    assert_eq!(organisation.first().map(|m| m.id.as_str()), Some("e2"));
}

/// Listed words written apart are found when the query writes them together, short particles
/// included (`RUNG RA 2`, `RUNG RA DO`, `YANG GAK DO`: real SDN vessels 23169, 23166, 23167).
#[test]
fn words_written_together_find_the_listed_words_written_apart() {
    use interdict::facts::EntityKind;
    let names = ["RUNG RA 2", "RUNG RA DO", "YANG GAK DO", "RUNG RA 1"];
    let index = index_of(EntityKind::Vessel, "v", &names);
    for (query, id) in [("Rungra 2", "v0"), ("Rungrado", "v1"), ("Yanggakdo", "v2")] {
        let found = index.search(query, DEFAULT_THRESHOLD, 3);
        assert_eq!(
            found.first().map(|m| m.id.as_str()),
            Some(id),
            "{query}: {found:#?}"
        );
    }
}

/// Names written in another script (`names/cross-script-pairs.csv`: Arabic, Cyrillic, Han,
/// Hangul, Japanese, Greek, Hebrew and Thai against their Latin spelling). Reports how many reach
/// the default threshold; gated on the count reached when Arabic consonant skeletons and Han
/// pinyin readings were added (15 of 22, from 8: the Cyrillic, Greek, Hangul, Arabic and Chinese
/// ones; a Korean name in Han characters, Japanese, Hebrew and Thai are not transliterated).
#[test]
fn names_in_other_scripts_match_their_latin_spelling_where_transliterated() {
    let Some(text) = crate::reference_file("names/cross-script-pairs.csv") else {
        return;
    };
    let (mut reached, mut total) = (0, 0);
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let fields = crate::csv_fields(line);
        let score = screen::similarity(&fields[0], &fields[1]);
        total += 1;
        reached += usize::from(score >= DEFAULT_THRESHOLD);
        println!("{} ~ {}: {score:.3} ({})", fields[0], fields[1], fields[3]);
    }
    println!("cross-script pairs at or above {DEFAULT_THRESHOLD}: {reached} of {total}");
    assert!(total >= 20, "{total} pairs read");
    assert!(reached >= CROSS_SCRIPT_REACHED, "{reached} of {total}");
    for (hangul, latin) in [
        ("김정은", "Kim Jong Un"),
        ("박지성", "Park Ji Sung"),
        ("이민호", "Lee Min Ho"),
        ("장성택", "Jang Song Thaek"),
        ("리영호", "Ri Yong Ho"),
    ] {
        let score = screen::similarity(hangul, latin);
        assert!(score >= 0.95, "{hangul} ~ {latin}: {score:.3}");
    }
}

/// Cross-script pairs reaching the default threshold (see the test above).
const CROSS_SCRIPT_REACHED: usize = 15;

/// Names in Arabic script and in Han characters find their Latin spellings on a list, and the
/// reverse: Arabic by consonant skeleton (short vowels are not written), Han by Mandarin pinyin.
#[test]
fn arabic_and_han_names_find_their_latin_spellings_both_ways() {
    use interdict::facts::EntityKind;
    use interdict::screen::ScreeningIndex;
    let index = |names: &[&str]| index_of(EntityKind::Person, "p", names);
    let first = |index: &ScreeningIndex, query: &str| {
        index
            .search(query, DEFAULT_THRESHOLD, 3)
            .first()
            .map(|m| m.id.clone())
    };
    let latin = index(&[
        "HASSAN, Ahmed",
        "ALI, Mohamed",
        "XI, Jinping",
        "WANG, Wei",
        "LI, Ming",
    ]);
    for (query, id) in [
        ("أحمد حسن", "p0"),
        ("محمد علي", "p1"),
        ("习近平", "p2"),
        ("王伟", "p3"),
        ("李明", "p4"),
    ] {
        assert_eq!(first(&latin, query).as_deref(), Some(id), "{query}");
    }
    let original = index(&["أحمد حسن", "محمد علي", "习近平"]);
    for (query, id) in [
        ("Ahmed Hassan", "p0"),
        ("Muhammad Ali", "p1"),
        ("Xi Jinping", "p2"),
    ] {
        assert_eq!(first(&original, query).as_deref(), Some(id), "{query}");
    }
    // Other names stay apart.
    assert_eq!(first(&latin, "خالد محمود"), None);
    assert_eq!(first(&latin, "王明"), None);
}

/// A query that leaves out a listed person's first given name is a weaker match than one that
/// leaves out a middle name: `Ahmed Hassan` is not enough for `AHMED, Adnan S. Hasan`.
#[test]
fn a_listed_first_given_name_left_out_costs_more_than_a_middle_name() {
    use interdict::facts::EntityKind;
    let index = index_of(
        EntityKind::Person,
        "p",
        &["AHMED, Adnan S. Hasan", "HASSAN, Ali Mohammed"],
    );
    let score = |query: &str| index.search(query, 0.5, 1).first().map_or(0.0, |m| m.score);
    assert!(
        score("Ahmed Hassan") < DEFAULT_THRESHOLD,
        "{}",
        score("Ahmed Hassan")
    );
    assert!(score("Adnan Ahmed") >= DEFAULT_THRESHOLD);
    assert!(score("Adnan Hasan Ahmed") >= DEFAULT_THRESHOLD);
    assert!(score("Ali Hassan") >= DEFAULT_THRESHOLD);
}

/// A word the lists spell one way and the normaliser reads in another (`Alexander` as
/// `aleksandr`, `Ahmed` as `ahmad`) is also compared as written, so one slip in it (`Alexznder`,
/// `Ahemd`) costs what a slip costs elsewhere; short names one letter apart as written stay
/// other names (`Park` is not `Mark`).
#[test]
fn a_slip_in_a_word_read_in_another_spelling_costs_a_slip() {
    for (a, b) in [
        (
            "Kalashnikov, Alexznder Petrovich",
            "KALASHNIKOV, Alexander Petrovich",
        ),
        ("Ahemd Al-Dib", "AL-DIB, Ahmed"),
        ("Mohmaed El Zein", "EL ZEIN, Mohamed"),
    ] {
        let score = screen::similarity(a, b);
        assert!(score >= DEFAULT_THRESHOLD, "{a:?} ~ {b:?}: {score:.3}");
    }
    for (a, b) in [
        ("John Park", "TAYLOR, Mark John"),
        ("David Choi", "CHASDAI, David Chai"),
    ] {
        let score = screen::similarity(a, b);
        assert!(score < DEFAULT_THRESHOLD, "{a:?} ~ {b:?}: {score:.3}");
    }
}

/// How a list writes a name does not change its score: two people listed as `ABU YASIR` and
/// `YASIR, Abu` cannot be told apart by the name `Abuyasir`, so both score the same and tie for
/// first place (the quality measure counts a tie as first: the reviewer sees both, and the
/// secondary identifiers decide).
#[test]
fn a_name_written_family_first_joins_as_it_is_said() {
    let written = screen::similarity("Abuyasir", "ABU YASIR");
    assert!(written >= DEFAULT_THRESHOLD, "{written:.3}");
    for (a, b) in [("Abuyasir", "YASIR, Abu"), ("YASIR, Abu", "Abuyasir")] {
        let said = screen::similarity(a, b);
        assert!(
            (said - written).abs() < 1e-9,
            "{a:?} ~ {b:?}: {said:.3} against {written:.3}"
        );
    }
}

/// A compound given name opened by `Muhammad` (in any spelling) or `Sayyid` is named by either
/// part: people go by `Reza` of `Mohammad Reza`, and a query that names neither part leaves out
/// the first given name.
#[test]
fn a_compound_given_name_is_named_by_either_part() {
    use interdict::facts::EntityKind;
    let index = index_of(
        EntityKind::Person,
        "p",
        &["REZAKHAH, Mohammed Reza Ali", "MOSTAFAVI, Seyed Mojtaba"],
    );
    let score = |query: &str| index.search(query, 0.5, 1).first().map_or(0.0, |m| m.score);
    for query in ["Reza Rezakhah", "Mohammed Rezakhah", "Mojtaba Mostafavi"] {
        assert!(
            score(query) >= DEFAULT_THRESHOLD,
            "{query}: {}",
            score(query)
        );
    }
    for query in ["Ali Rezakhah", "Seyed Mostafavi"] {
        assert!(
            score(query) < DEFAULT_THRESHOLD,
            "{query}: {}",
            score(query)
        );
    }
}

/// A one-word name has no other word to carry a slip: one slip of the keyboard in a word of five
/// letters or more (`Kxdos` for the vessel `KADOS`, `Hnena` for `HENNA`) reaches the threshold,
/// as the same slip does in a name of two words; two slips, or a slip in a shorter word, do not.
#[test]
fn one_slip_in_a_one_word_name_reaches_the_threshold() {
    for (a, b) in [
        ("Kxdos", "KADOS"),
        ("Hnena", "HENNA"),
        ("Iamgo Co.", "IAMCO"),
    ] {
        let score = screen::similarity(a, b);
        assert!(score >= DEFAULT_THRESHOLD, "{a:?} ~ {b:?}: {score:.3}");
    }
    for (a, b) in [
        ("Kxdus", "KADOS"),
        ("Mara", "MARK"),
        ("Karim", "KARIM AHMED"),
    ] {
        let score = screen::similarity(a, b);
        assert!(score < DEFAULT_THRESHOLD, "{a:?} ~ {b:?}: {score:.3}");
    }
}
