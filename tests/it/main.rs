//! The integration tests of the library's interface, in one binary: the batch drivers,
//! allocation counts, the Jacobian entry points, the SIMD kernels, the sparse module,
//! the suite's analytic Jacobians and the verification layer. The elementary rules and
//! the random-program checks are the other binary, tests/math/: two binaries compile in
//! parallel, and each links the (monomorphisation-heavy) library once.
//!
//! `cargo test --release` runs both; `cargo test --release --test it batch::` runs one
//! module.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;
#[path = "../simd_cases/mod.rs"]
mod simd_cases;

mod batch;
mod batch_alloc;
mod jacobian_api;
mod simd_math;
mod sparse;
mod suite_analytic;
mod verify;
