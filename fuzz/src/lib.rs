//! The checks of the fuzz targets, compiled once for all of them.
//!
//! `batchjac::expr::fuzz_checks`'s entry points are `#[inline]` (so that a crate
//! depending on batchjac never compiles them), which made every target binary compile
//! its own copy of the drivers it runs, with coverage instrumentation: `modes`, `sparse`
//! and `batch` instantiate many of the same ones. Each function here is an ordinary
//! (not inline) function, so this library compiles each driver once, in parallel
//! codegen units, and the targets only link it.

use batchjac::expr::fuzz_checks::{self, Finding, Outcome};

/// Target `jacobian`: [`fuzz_checks::check_jacobian`].
#[inline(never)]
pub fn check_jacobian(data: &[u8]) -> Result<Outcome, Finding> {
    fuzz_checks::check_jacobian(data)
}

/// Target `batch`: [`fuzz_checks::check_batch`], with the planted panics quieted.
#[inline(never)]
pub fn check_batch(data: &[u8]) -> Result<(), Finding> {
    // The check plants panics in user functions on purpose; they must become errors,
    // not reach libFuzzer's abort-on-panic hook.
    fuzz_checks::quiet_planned_panics();
    fuzz_checks::check_batch(data)
}

/// Target `text`: [`fuzz_checks::check_text`].
#[inline(never)]
pub fn check_text(data: &[u8]) -> Result<(), Finding> {
    fuzz_checks::check_text(data)
}

/// Target `sparse`: [`fuzz_checks::check_sparse`].
#[inline(never)]
pub fn check_sparse(data: &[u8]) -> Result<(), Finding> {
    fuzz_checks::check_sparse(data)
}

/// Target `modes`: [`fuzz_checks::check_modes`].
#[inline(never)]
pub fn check_modes(data: &[u8]) -> Result<(), Finding> {
    fuzz_checks::check_modes(data)
}
