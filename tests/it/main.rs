//! The integration tests, in one binary: each module below was a test crate of its own,
//! and every test crate links the whole (monomorphisation-heavy) library again. One
//! binary keeps every test and pays for one link.
//!
//! `cargo test --release` runs them all; `cargo test --release --test it batch::` runs
//! one module.

#[macro_use]
mod common;
mod simd_cases;

mod batch;
mod batch_alloc;
mod elementary;
mod fuzz_corpus;
mod jacobian_api;
mod properties;
mod simd_math;
mod suite_analytic;
mod verify;
