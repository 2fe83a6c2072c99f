//! `cargo +nightly fuzz run --features libfuzzer-sys policy`: see [`interdict_fuzz::policy`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| interdict_fuzz::policy(data));
