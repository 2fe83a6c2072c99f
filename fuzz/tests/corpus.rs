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
