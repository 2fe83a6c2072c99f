//! `cargo +nightly fuzz run --features libfuzzer-sys import_un`: see [`interdict_fuzz::import_un`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| interdict_fuzz::import_un(data));
