//! `cargo +nightly fuzz run --features libfuzzer-sys import_eu`: see [`interdict_fuzz::import_eu`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| interdict_fuzz::import_eu(data));
