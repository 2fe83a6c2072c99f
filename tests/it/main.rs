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
mod facts;
mod fixtures;
mod format;
mod lists;
mod ownership;
mod pack;
mod provenance;
mod screen;
mod screening;
mod suites;

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

/// The shared reference data (`INTERDICT_DATA`, by default `../shared/data`), or `None` with a
/// note when it is not there, so real-data tests skip rather than fail on a machine without it.
pub fn reference_data() -> Option<PathBuf> {
    let folder = std::env::var_os("INTERDICT_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data"));
    if folder.is_dir() {
        Some(folder)
    } else {
        eprintln!(
            "note: skipping a real-data test, {} does not exist (set INTERDICT_DATA)",
            folder.display()
        );
        None
    }
}

/// A path under the crate root.
pub fn at(relative: &str) -> PathBuf {
    root().join(relative)
}
