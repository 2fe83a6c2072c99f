//! Integration tests, built as one binary to keep link time down.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

#[cfg(feature = "audit")]
mod audit;
mod cli;
mod dispositions;
mod embargo;
mod facts;
mod fixtures;
mod format;
mod licences;
mod lists;
mod ownership;
mod pack;
mod provenance;
mod quality;
mod quality_variants;
mod regimes;
mod regulators;
mod report;
mod requests;
mod robustness;
mod screen;
mod screening;
mod shared_answers;
mod sisters;
mod store;
mod strength;
mod suites;
mod uk_list;

use std::path::{Path, PathBuf};

/// insta's `glob!` keeps its state in one global stack, so two globs running on parallel test
/// threads attribute snapshots to each other. Every test that uses `glob!` holds this lock.
pub static GLOB_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Serialises `glob!` tests; a poisoned lock (a failed glob test) does not fail the others.
pub fn glob_lock() -> std::sync::MutexGuard<'static, ()> {
    GLOB_LOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The crate root, where `policies/`, `examples/` and `tests/` live.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The shared reference data folder: `INTERDICT_DATA`, by default `../shared/data`.
pub fn data_dir() -> PathBuf {
    std::env::var_os("INTERDICT_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data"))
}

/// Whether a missing data folder must fail the run: CI sets `INTERDICT_REQUIRE_DATA=1`, because
/// a real-data test that skips there would hide a broken path as a green build.
fn data_required() -> bool {
    std::env::var_os("INTERDICT_REQUIRE_DATA").is_some_and(|value| value != "0")
}

/// The shared reference data, or `None` with a note when it is not there, so real-data tests
/// skip on a fresh clone without it, and fail when `INTERDICT_REQUIRE_DATA` is set.
pub fn reference_data() -> Option<PathBuf> {
    let folder = data_dir();
    if folder.is_dir() {
        return Some(folder);
    }
    assert!(
        !data_required(),
        "INTERDICT_REQUIRE_DATA is set but {} does not exist (set INTERDICT_DATA)",
        folder.display()
    );
    eprintln!(
        "note: skipping a real-data test, {} does not exist (set INTERDICT_DATA)",
        folder.display()
    );
    None
}

/// Reads a file of the reference data, or `None` (with a note) when it is not there; like
/// [`reference_data`], a missing file fails the run when `INTERDICT_REQUIRE_DATA` is set.
pub fn reference_file(relative: &str) -> Option<String> {
    let path = reference_data()?.join(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(error) => {
            assert!(
                !data_required(),
                "INTERDICT_REQUIRE_DATA is set but {} is not readable: {error}",
                path.display()
            );
            eprintln!("note: skipping, {} not readable ({error})", path.display());
            None
        }
    }
}

/// A path under the crate root.
pub fn at(relative: &str) -> PathBuf {
    root().join(relative)
}

/// Splits one CSV line (double-quoted fields, `""` escapes).
pub fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
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
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (_, c) => field.push(c),
        }
    }
    fields.push(field);
    fields
}
