//! `cargo +nightly fuzz run --features libfuzzer-sys import_ofac`: see [`interdict_fuzz::import_ofac`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| interdict_fuzz::import_ofac(data));
