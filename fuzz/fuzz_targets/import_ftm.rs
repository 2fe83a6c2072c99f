//! `cargo +nightly fuzz run --features libfuzzer-sys import_ftm`: see [`interdict_fuzz::import_ftm`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| interdict_fuzz::import_ftm(data));
