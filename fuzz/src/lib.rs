//! What each fuzz target checks, as plain functions: `cargo +nightly fuzz run --features
//! libfuzzer-sys TARGET` feeds them libFuzzer's inputs, and `cargo test` (stable, part of
//! `cargo test --workspace`) replays the corpus under
//! `corpus/TARGET/` through them, so every input that once found a bug stays a regression test.
//!
//! Each function panics when a property fails; anything an input may legitimately do (be refused
//! with an error) it accepts.

#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use interdict::lists::{self, ListKind};
use interdict::screen::similarity;
use interdict::{Facts, FactsError, PolicySet, Source, explain, format};

/// Inputs longer than this are skipped: the targets look for wrong answers, not for the time a
/// megabyte takes (the limits on that are tested apart).
const MAX_INPUT: usize = 64 * 1024;

fn text(data: &[u8]) -> Option<&str> {
    (data.len() <= MAX_INPUT)
        .then(|| std::str::from_utf8(data).ok())
        .flatten()
}

/// Policy text → check → fmt: whatever formats, formats to a fixed point that parses again, and
/// a policy set that checks also checks in its formatted form with the same rules.
pub fn policy(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let checked = PolicySet::from_sources([Source::new("fuzz.policy", text)]);
    let Ok(formatted) = format::format_source("fuzz.policy", text) else {
        assert!(checked.is_err(), "checks but does not format:\n{text}");
        return;
    };
    let again = format::format_source("fuzz.policy", &formatted)
        .unwrap_or_else(|e| panic!("the formatted text does not parse: {e}\n{formatted}"));
    assert_eq!(again, formatted, "fmt is not idempotent on:\n{text}");
    if let Ok(policies) = checked {
        let reformatted = PolicySet::from_sources([Source::new("fuzz.policy", formatted.as_str())])
            .unwrap_or_else(|e| panic!("formatting broke the policy: {}\n{formatted}", e.render()));
        let ids = |set: &PolicySet| set.rule_ids().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(ids(&policies), ids(&reformatted));
    }
}

/// Facts as YAML: loads, or is refused with an error that names the file and says what is
/// wrong: a syntax error with a line, a validation error with at least one problem.
pub fn facts_yaml(data: &[u8]) {
    facts("fuzz.yaml", data);
}

/// Facts as JSON: loads, or is refused with an error that names the file and says what is
/// wrong: a syntax error with a line, a validation error with at least one problem.
pub fn facts_json(data: &[u8]) {
    facts("fuzz.json", data);
}

/// Loads `data` as the facts file `name`: a syntax error names the file, a line and what is
/// wrong; a validation error names the file and at least one problem; nothing else is possible
/// for text held in memory. (A file cut short, the commonest broken input, is seeded into the
/// corpus by `truncations.py`.)
fn facts(name: &str, data: &[u8]) {
    let Some(text) = text(data) else { return };
    match Facts::from_text(name, text) {
        Ok(_) => {}
        Err(FactsError::Syntax {
            file,
            line,
            message,
            ..
        }) => {
            assert_eq!(file, name);
            assert!(
                line >= 1,
                "a syntax error without a line: {message}\n{text}"
            );
            assert!(!message.is_empty(), "an empty syntax error:\n{text}");
        }
        Err(FactsError::Invalid { file, problems }) => {
            assert_eq!(file, name);
            assert!(!problems.is_empty(), "invalid without a problem:\n{text}");
        }
        Err(other) => panic!("{other}\n{text}"),
    }
}

/// The shipped policy packs, checked once.
fn shipped() -> &'static PolicySet {
    static POLICIES: OnceLock<PolicySet> = OnceLock::new();
    POLICIES.get_or_init(|| {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
        PolicySet::load(&[folder]).unwrap_or_else(|e| panic!("{}", e.render()))
    })
}

/// Facts (YAML) decided by the shipped packs: every transaction gets a decision, deciding twice
/// gives the same bytes, and the JSON is valid JSON.
pub fn eval(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let Ok(facts) = Facts::from_text("fuzz.yaml", text) else {
        return;
    };
    let first = shipped().decide_all(&facts, None);
    assert_eq!(first.len(), facts.transactions().len());
    let json = explain::json(&first);
    assert_eq!(json, explain::json(&shipped().decide_all(&facts, None)));
    assert!(json.starts_with('{') && json.ends_with('}'), "{json}");
}

/// Screening: two names split at the first line break score in [0, 1], the same both ways; an
/// ASCII name written with Cyrillic look-alike letters scores as the name itself.
pub fn screen(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let (a, b) = text.split_once('\n').unwrap_or((text, ""));
    let (a, b) = (truncate(a, 200), truncate(b, 200));
    let score = similarity(a, b);
    assert!((0.0..=1.0).contains(&score), "{a:?} ~ {b:?} = {score}");
    // Symmetric up to the last bits of a floating-point sum taken in the other order (found by
    // this target: 0.6466743675015997 against ...996 for a swapped patronym).
    let reverse = similarity(b, a);
    assert!(
        (score - reverse).abs() < 1e-9,
        "not symmetric: {a:?} ~ {b:?}: {score} / {reverse}"
    );
    if a.is_ascii() {
        let variant = look_alike(a);
        assert_eq!(
            similarity(&variant, b),
            score,
            "{variant:?} vs {a:?} ~ {b:?}"
        );
    }
}

fn truncate(text: &str, chars: usize) -> &str {
    text.char_indices()
        .nth(chars)
        .map_or(text, |(at, _)| &text[..at])
}

/// `name` with the letters that have a Cyrillic look-alike replaced by it, in each word that
/// keeps a Latin letter (a word of look-alikes only would be read as Cyrillic, rightly).
pub fn look_alike(name: &str) -> String {
    const PAIRS: [(char, char); 19] = [
        ('a', 'а'),
        ('c', 'с'),
        ('e', 'е'),
        ('i', 'і'),
        ('o', 'о'),
        ('p', 'р'),
        ('s', 'ѕ'),
        ('x', 'х'),
        ('A', 'А'),
        ('B', 'В'),
        ('C', 'С'),
        ('E', 'Е'),
        ('H', 'Н'),
        ('K', 'К'),
        ('M', 'М'),
        ('O', 'О'),
        ('P', 'Р'),
        ('T', 'Т'),
        ('X', 'Х'),
    ];
    let swap = |c: char| PAIRS.iter().find(|(l, _)| *l == c).map(|(_, v)| *v);
    name.split(' ')
        .map(|word| {
            let keeps_latin = word
                .chars()
                .any(|c| c.is_ascii_alphabetic() && swap(c).is_none());
            if keeps_latin {
                word.chars().map(|c| swap(c).unwrap_or(c)).collect()
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// A scratch file of this thread's own, holding `data`, named `file` inside a folder.
fn scratch(file: &str, data: &[u8]) -> PathBuf {
    let folder = std::env::temp_dir().join(format!(
        "interdict-fuzz-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::create_dir_all(&folder);
    let path = folder.join(file);
    std::fs::write(&path, data).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    path
}

/// One importer: a list that imports loads as facts.
fn import(kind: ListKind, file: &str, data: &[u8]) {
    if data.len() > MAX_INPUT {
        return;
    }
    let path = scratch(file, data);
    let target = match kind {
        ListKind::Ofac => path.parent().map(Path::to_path_buf).unwrap_or_default(),
        _ => path,
    };
    if let Ok(imported) = lists::import(kind, &target)
        && let Err(e) = Facts::from_document("fuzz", imported.document)
    {
        panic!("an import that succeeded does not load as facts: {e}");
    }
}

/// OFAC's `sdn.csv`.
pub fn import_ofac(data: &[u8]) {
    import(ListKind::Ofac, "sdn.csv", data);
}

/// The UN consolidated list XML.
pub fn import_un(data: &[u8]) {
    import(ListKind::Un, "un.xml", data);
}

/// The EU consolidated list XML.
pub fn import_eu(data: &[u8]) {
    import(ListKind::Eu, "eu.xml", data);
}

/// OFSI's ConList.csv.
pub fn import_uk(data: &[u8]) {
    import(ListKind::Uk, "uk.csv", data);
}

/// OpenSanctions FollowTheMoney lines.
pub fn import_ftm(data: &[u8]) {
    import(ListKind::Ftm, "list.ftm.json", data);
}
