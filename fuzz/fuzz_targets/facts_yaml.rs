//! `cargo +nightly fuzz run --features libfuzzer-sys facts_yaml`: see [`interdict_fuzz::facts_yaml`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| interdict_fuzz::facts_yaml(data));
