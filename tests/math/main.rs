//! The integration tests of the derivative rules and of random programs, in one binary:
//! every elementary function's rule against closed forms and finite differences
//! (`elementary`), properties of random programs over every lane type and entry point
//! (`properties`), and the replay of the fuzz targets' corpora (`fuzz_corpus`). The
//! interface tests are the other binary, tests/it/.
//!
//! `cargo test --release --test math properties::` runs one module.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;
#[path = "../simd_cases/mod.rs"]
mod simd_cases;

mod elementary;
mod fuzz_corpus;
mod properties;
mod sparse_programs;
