//! `cargo +nightly fuzz run import_eu`: see [`interdict_fuzz::import_eu`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| interdict_fuzz::import_eu(data));
