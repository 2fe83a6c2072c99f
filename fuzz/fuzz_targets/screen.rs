//! `cargo +nightly fuzz run --features libfuzzer-sys screen`: see [`interdict_fuzz::screen`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| interdict_fuzz::screen(data));
