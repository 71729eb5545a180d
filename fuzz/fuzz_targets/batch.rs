//! Target 2: the batch API under random dimensions, lengths, batch sizes, thread counts
//! and non-finite inputs. See batchjac::expr::fuzz_checks::check_batch.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The check plants panics in user functions on purpose; they must become errors,
    // not reach libFuzzer's abort-on-panic hook.
    batchjac::expr::fuzz_checks::quiet_planned_panics();
    if let Err(finding) = batchjac::expr::fuzz_checks::check_batch(data) {
        panic!("{finding}");
    }
});
