//! `cargo +nightly fuzz run --features libfuzzer-sys import_uk`: see [`interdict_fuzz::import_uk`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| interdict_fuzz::import_uk(data));
