//! Target 2: the batch API under random dimensions, lengths, batch sizes, thread counts
//! and non-finite inputs. See batchjac::expr::fuzz_checks::check_batch.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = batchjac_fuzz::check_batch(data) {
        panic!("{finding}");
    }
});
