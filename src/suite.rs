//! The benchmark suite of SUITE.md with hand-written analytic Jacobians (work in progress).
