//! # batchjac
//!
//! Jacobians of vector functions f: R^m -> R^n for large batches of points, by
//! forward-mode automatic differentiation with multi-lane SIMD dual numbers, and the
//! finite-difference and Taylor-remainder checks that show they are right.
//!
//! Write the function once against [`Real`]:
//!
//! ```
//! use batchjac::{jacobian, Real, VectorFn};
//!
//! /// Rosenbrock residuals r(x) = (10 (x1 - x0^2), 1 - x0).
//! struct Rosenbrock;
//! impl VectorFn for Rosenbrock {
//!     fn inputs(&self) -> usize { 2 }
//!     fn outputs(&self) -> usize { 2 }
//!     #[inline] // see VectorFn: lets the batch loops inline it
//!     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
//!         y[0] = (x[1] - x[0] * x[0]) * 10.0;
//!         y[1] = -x[0] + 1.0;
//!     }
//! }
//!
//! let mut jac = [0.0; 4];
//! jacobian(&Rosenbrock, &[-1.2, 1.0], &mut jac).unwrap();
//! assert_eq!(jac, [24.0, 10.0, -1.0, 0.0]);
//! ```
//!
//! Layers, bottom to top (docs/DESIGN.md): [`lanes`] (SIMD storage), [`dual`]
//! (dual numbers and the derivative rule table), [`real`] (the [`Value`] layer and the
//! user-facing [`Real`] trait), [`function`] ([`VectorFn`]), [`jacobian`](mod@jacobian) (one point),
//! [`batch`] (many points in parallel), [`verify`] (finite differences and Taylor tests,
//! independent of the derivative rules: they evaluate plain values only, through
//! [`Scalar`], a dual number with no tangents), [`suite`] (the benchmark functions of
//! docs/SUITE.md).

#![deny(missing_docs)]

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub mod batch;
pub mod batch_lane;
mod cost;
pub mod dual;
pub mod error;
pub mod expr;
pub mod function;
pub mod interop;
pub mod jacobian;
pub mod lanes;
pub mod real;
pub mod simd;
pub mod sparse;
pub mod suite;
pub mod verify;

pub use batch::{
    BatchOptions, Mode, Stores, choose_mode, choose_mode_for, jacobian_batch,
    jacobian_batch_and_values, jacobian_batch_with, jacobian_batch_with_options,
    jacobian_batch_with_progress,
};
pub use dual::{Dual, Scalar, Tangent};
pub use error::Error;
pub use function::{VectorFn, evaluate};
pub use jacobian::{
    DualVisitor, Element, LaneType, Options, TangentDual, Workspace, jacobian, jacobian_and_value,
    jacobian_times, jacobian_with, jacobian_with_options, jvp,
};
pub use lanes::{Float, Lanes};
pub use real::{Mask, Real, Value};
pub use simd::LaneMask;
pub use sparse::SparseJacobian;
pub use verify::{Scheme, check_batch, check_jacobian, fd_jacobian, taylor_test};
