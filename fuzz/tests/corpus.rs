//! Replays every file of `corpus/TARGET/` through the target's checks on the stable toolchain:
//! the seeds (the shipped examples, policies and list excerpts) and every input a fuzz run kept.

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no corpus for {target}");
    for input in &inputs {
        let data = std::fs::read(input).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
        check(&data);
    }
    println!("{target}: {} inputs replayed", inputs.len());
}

#[test]
fn policy() {
    replay("policy", interdict_fuzz::policy);
}

/// The policy corpus seeds each shipped pack as `policies-NAME.policy`: a seed left behind when
/// a pack changes would start fuzz runs from a pack nobody ships.
#[test]
fn policy_seeds_are_the_shipped_packs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let packs = root.join("..").join("policies");
    let seeds = root.join("corpus").join("policy");
    let mut shipped = 0;
    for entry in std::fs::read_dir(&packs).unwrap_or_else(|e| panic!("{}: {e}", packs.display())) {
        let pack = entry
            .unwrap_or_else(|e| panic!("{}: {e}", packs.display()))
            .path();
        if pack.extension().is_none_or(|e| e != "policy") {
            continue;
        }
        let name = pack.file_name().unwrap_or_default().to_string_lossy();
        let seed = seeds.join(format!("policies-{name}"));
        let read = |path: &Path| {
            std::fs::read(path).unwrap_or_else(|e| {
                panic!("{}: {e}; copy {} there", path.display(), pack.display())
            })
        };
        assert!(
            read(&seed) == read(&pack),
            "{} differs from the shipped {}; copy the pack over it",
            seed.display(),
            pack.display()
        );
        shipped += 1;
    }
    let seeded = std::fs::read_dir(&seeds)
        .unwrap_or_else(|e| panic!("{}: {e}", seeds.display()))
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("policies-"))
        .count();
    assert_eq!(
        seeded, shipped,
        "a `policies-` seed whose pack is no longer shipped"
    );
}

#[test]
fn facts_yaml() {
    replay("facts_yaml", interdict_fuzz::facts_yaml);
}

#[test]
fn facts_json() {
    replay("facts_json", interdict_fuzz::facts_json);
}

#[test]
fn eval() {
    replay("eval", interdict_fuzz::eval);
}

#[test]
fn screen() {
    replay("screen", interdict_fuzz::screen);
}

#[test]
fn import_ofac() {
    replay("import_ofac", interdict_fuzz::import_ofac);
}

#[test]
fn import_un() {
    replay("import_un", interdict_fuzz::import_un);
}

#[test]
fn import_eu() {
    replay("import_eu", interdict_fuzz::import_eu);
}

#[test]
fn import_uk() {
    replay("import_uk", interdict_fuzz::import_uk);
}

#[test]
fn import_ftm() {
    replay("import_ftm", interdict_fuzz::import_ftm);
}
