//! The checks the fuzz targets run (fuzz/fuzz_targets/), kept in the library so that
//! the stable-toolchain replay test (tests/fuzz_corpus.rs) runs the same code on every
//! saved corpus file and crash.
