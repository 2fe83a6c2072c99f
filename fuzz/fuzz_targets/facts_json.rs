//! `cargo +nightly fuzz run --features libfuzzer-sys facts_json`: see [`interdict_fuzz::facts_json`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| interdict_fuzz::facts_json(data));
