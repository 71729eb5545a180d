//! The referee: finite-difference Jacobians with error estimates, entry-by-entry checks
//! of candidate Jacobians, Taylor-remainder tests, and batch verification.
//!
//! This module evaluates f only through [`crate::VectorFn`] on plain `f64` (or `f32`):
//! it never uses the dual numbers or the Jacobian drivers it judges.
//!
//! - [`fd_jacobian`] ([`FdWorkspace`] to reuse buffers): forward, central and
//!   fourth-order differences ([`Scheme`]) with a step rule matched to the order and an
//!   error estimate per entry (see below).
//! - [`check_jacobian`] / [`check_jacobian_with`]: a verdict per entry ([`Verdict`]:
//!   passed, failed, unresolved, non-finite, non-differentiable) with tolerances derived
//!   from the error estimates ([`CheckOptions`]), summarised in a [`Report`].
//! - [`taylor_test`]: observed convergence orders of the Taylor remainder, 2 for a right
//!   Jacobian, 1 for a wrong one ([`TaylorReport`]).
//! - [`check_batch`] / [`check_batch_with`]: every point of a batch, in parallel
//!   ([`BatchReport`]).
//!
//! # Finite differences
//! Column j of the Jacobian is differentiated along `e_j` at the nodes `x + k h_j e_j`
//! of a stencil (k small integers). The three schemes, their truncation orders p and
//! steps:
//!
//! | scheme | formula | p | h_j |
//! | --- | --- | --- | --- |
//! | [`Scheme::Forward`] | (f(x+h) - f(x)) / h | 1 | eps^(1/2) max(1, \|x_j\|) |
//! | [`Scheme::Central`] | (f(x+h) - f(x-h)) / 2h | 2 | eps^(1/3) max(1, \|x_j\|) |
//! | [`Scheme::FourthOrder`] | (8 (f(x+h) - f(x-h)) - (f(x+2h) - f(x-2h))) / 12h | 4 | eps^(1/5) max(1, \|x_j\|) |
//!
//! Why eps^(1/(p+1)): the truncation error is about C h^p and the rounding error about
//! eps |f| / h; their sum is smallest where both are of the same size, at h of order
//! eps^(1/(p+1)), and the total error there is of order eps^(p/(p+1)) (relative to the
//! scale of f and its derivatives). `max(1, |x_j|)` makes the step relative for large
//! coordinates and absolute near 0. The step is then rounded down to a power of two,
//! so `k h` is exact and `x_j + k h` is exact whenever it stays in the binade of `x_j`
//! (the usual case); the formulas divide by the actual node offsets
//! `(x_j + k h) - x_j` anyway, so a rounded node never biases the quotient.
//!
//! # Error estimate per entry
//! The estimate is the sum of two terms:
//! - **Truncation**, from two steps: the same scheme at `2h` has a truncation error
//!   2^p times larger, so `|D(2h) - D(h)| / (2^p - 1)` estimates the error of `D(h)`
//!   (Richardson's argument). Forward needs the extra node `x + 2h`, central `x ± 2h`,
//!   the fourth-order scheme `x ± 4h`.
//! - **Rounding**: `sigma_i * sum|c_k| / h`, where `c_k h` are the formula's weights and
//!   `sigma_i` is the noise level of evaluating `f_i`: the larger of `eps |f_i|` over the
//!   stencil and an empirical estimate, the highest-order divided difference over all
//!   the stencil's nodes (it cancels every polynomial the stencil can resolve, so what
//!   is left is rounding noise; the formula's own truncation term there is below
//!   eps for the steps above), normalised to unit noise gain, maximised over the
//!   columns of the row. The empirical part matters when f_i is a small difference of
//!   large intermediate terms, whose rounding `eps |f_i|` would understate.
//!
//! Without an error estimate the minimal stencils are used: 1 + m, 1 + 2m and 1 + 4m
//! evaluations of f; with it 1 + 2m, 1 + 4m and 1 + 6m.
//!
//! # Example: checking a hand-written Jacobian
//! ```
//! use batchjac::verify::{check_jacobian, taylor_test, TaylorOptions};
//! use batchjac::{Real, VectorFn};
//!
//! /// f(x) = (x0 x1, sin x0)
//! struct F;
//! impl VectorFn for F {
//!     fn inputs(&self) -> usize { 2 }
//!     fn outputs(&self) -> usize { 2 }
//!     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
//!         y[0] = x[0] * x[1];
//!         y[1] = x[0].sin();
//!     }
//! }
//! let x = [0.7, -1.3];
//! let hand_written = [x[1], x[0], x[0].cos(), 0.0];
//! let report = check_jacobian(&F, &x, &hand_written).unwrap();
//! assert!(report.passed(), "{report}");
//! let taylor = taylor_test(&F, &x, &hand_written, &TaylorOptions::default()).unwrap();
//! assert!(taylor.passed(), "{taylor}");
//! ```

mod batch;
mod check;
mod fd;
mod report;
mod taylor;

pub use batch::{check_batch, check_batch_with};
pub use check::{CheckOptions, check_jacobian, check_jacobian_with};
pub use fd::{FdWorkspace, Scheme, fd_jacobian};
pub use report::{BatchReport, Counts, EntryCheck, LISTED_FAILURES, Report, Verdict};
pub use taylor::{TaylorDirection, TaylorOptions, TaylorReport, taylor_test};

/// splitmix64 (Steele, Lea, Flood 2014): a tiny, well-mixed deterministic generator for
/// the Taylor test's directions and the stencil's jitter.
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
