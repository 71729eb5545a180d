//! Target 5: random programs, batches and positions; every entry point, mode, lane type,
//! thread count and grain gives a point the bits of the scalar oracle. See
//! batchjac::expr::fuzz_checks::check_modes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = batchjac_fuzz::check_modes(data) {
        panic!("{finding}");
    }
});
