//! Target 4: random programs and points through batchjac::sparse; the detected pattern
//! holds every finite nonzero of the dense Jacobian, the colouring is valid, and the
//! sparse values equal the dense entries bit for bit. See
//! batchjac::expr::fuzz_checks::check_sparse.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = batchjac_fuzz::check_sparse(data) {
        panic!("{finding}");
    }
});
