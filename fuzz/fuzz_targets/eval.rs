//! `cargo +nightly fuzz run --features libfuzzer-sys eval`: see [`interdict_fuzz::eval`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| interdict_fuzz::eval(data));
