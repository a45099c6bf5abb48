#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hsl_fuzz::check(data));
