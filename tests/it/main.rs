//! Integration tests, built as one binary to keep link time down.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod cli;
mod facts;
mod fixtures;
mod format;
mod lists;
mod pack;
mod screen;

use std::path::{Path, PathBuf};

/// The crate root, where `policies/`, `examples/` and `tests/` live.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A path under the crate root.
pub fn at(relative: &str) -> PathBuf {
    root().join(relative)
}
