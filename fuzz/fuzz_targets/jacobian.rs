//! Target 1: random programs and points; every SIMD lane type agrees bit for bit with the
//! one-lane scalar oracle, and the Jacobian passes the verification layer where f is
//! finite and smooth near the point. See batchjac::expr::fuzz_checks::check_jacobian.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = batchjac_fuzz::check_jacobian(data) {
        panic!("{finding}");
    }
});
