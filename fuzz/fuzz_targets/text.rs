//! Target 3: the text form. The parser never panics; parse(print(p)) == p. See
//! batchjac::expr::fuzz_checks::check_text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = batchjac_fuzz::check_text(data) {
        panic!("{finding}");
    }
});
