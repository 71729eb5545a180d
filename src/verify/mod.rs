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
//! Column j of the Jacobian is differentiated along `e_j` at nodes near `x + k h_j e_j`
//! (k small integers). The schemes, their truncation orders p and steps:
//!
//! | scheme | formula (exact nodes) | p | h_j |
//! | --- | --- | --- | --- |
//! | [`Scheme::Forward`] | (f(x+h) - f(x)) / h | 1 | (4 eps)^(1/2) max(1, \|x_j\|) |
//! | [`Scheme::Central`] | (f(x+h) - f(x-h)) / 2h | 2 | (3 eps)^(1/3) max(1, \|x_j\|) |
//! | [`Scheme::FourthOrder`] | (8 (f(x+h) - f(x-h)) - (f(x+2h) - f(x-2h))) / 12h | 4 | (11.25 eps)^(1/5) max(1, \|x_j\|) |
//!
//! **Step rule.** The truncation error is C h^p |f^(p+1)| and the rounding error
//! G eps |f| / h (C = 1/2, 1/6, 1/30 and G = 2, 1, 3/2 for the three schemes); their sum
//! is smallest at h^(p+1) = (G / (p C)) eps when |f^(p+1)| ~ |f|, which gives the
//! exponent 1/(p+1) of eps and the constants above, and a total error of order
//! eps^(p/(p+1)). `max(1, |x_j|)` makes the step relative for large coordinates and
//! absolute near 0.
//!
//! **Nodes.** Each node is moved off `x_j + k h` by a pseudo-random few thousand units
//! of `eps max(1, |x_j|)` (in f64 at most 3e-5 of the forward step, 1e-7 of the
//! central and 8e-10 of the fourth-order step). On an exact arithmetic
//! progression the rounding errors of f fall on a sawtooth that is locally linear in
//! k; every difference formula takes that for slope and no difference-based noise
//! estimate can see it. The jitter scatters those errors so the noise estimate sees
//! them. The formulas are evaluated on the nodes as they are, `(x_j + offset) - x_j`,
//! as the slope at 0 of the polynomial interpolating f there (the textbook weights for
//! exact nodes), so neither jitter nor rounding of a node biases the result.
//!
//! # Error estimate per entry
//! The estimate is the sum of two terms:
//! - **Truncation**, from two steps: the same formula at `2h` has a truncation error
//!   2^p times larger, so `|D(2h) - D(h)| / (2^p - 1)` estimates the error of `D(h)`
//!   (Richardson's argument). Forward needs the extra node `x + 2h`, central `x ± 2h`,
//!   the fourth-order scheme `x ± 4h`.
//! - **Rounding**: `sigma_i * sum |w_k|`, where `w_k` are the formula's weights and
//!   `sigma_i` the noise level of evaluating `f_i`: the largest of `eps |f_i|` over the
//!   stencil, `eps sum_j |x_j d f_i / d x_j|` (the rounding of intermediate terms that
//!   cancel in f_i, as x^2 in 10 (y - x^2)), and what divided differences over the
//!   stencil's nodes see (they cancel every polynomial the stencil resolves, so what
//!   is left is noise; over all nodes and over all but one, maximised over the row).
//!
//! On the seven suite functions at 1024 points each, the largest ratio of actual error
//! (against the analytic Jacobians) to this estimate was 2.3 (forward), 2.9 (central)
//! and 1.1 (fourth order); the checks allow 10 ([`CheckOptions::safety`]).
//!
//! The estimate errs on the safe side where truncation dominates: the divided
//! differences cancel polynomials only up to the degree below the formula's truncation
//! term, so they see that term too and add a multiple of it. On exp(a x) with large a
//! the estimate is 2.6 (forward), 4.8 (central) and 21 (fourth order) times the actual
//! error. What it cannot see is noise that is smooth at the stencil's scale (a wiggle
//! sampled at a multiple of its period, a rounding grid much coarser than the jitter):
//! to the stencil that is part of f. And the noise term is a sample, not a bound:
//! on the line 1e306 x plus noise of size 1e300 that is a hash of x, over 2048 points,
//! the actual error exceeded 10 times the estimate (the checks' factor) at one point
//! for central and fourth-order differences (largest ratio 11.6) and at 23 points for
//! forward differences (1.1%, largest ratio 270), whose three nodes give a single view
//! of the noise. With `1e300 sin(1e9 x)` as the noise, whose phase the stencil can
//! sample in a nearly linear run, the ratio reached 16 (forward) and 53 (central) on
//! 32 points. Noisy functions are best checked with the default fourth-order scheme.
//!
//! **Kinks.** With the symmetric stencils, `s(k) = (right slope - left slope)` over
//! `±kh` is about `k h f''` for smooth f, so `s(2) ~ 2 s(1)`; at a kink within the
//! stencil `s(2) ~ s(1)` (the jump of f'), at a jump of f `s(2) ~ s(1) / 2`. An entry
//! whose `s(1)` is far above the rounding level and whose ratio `s(2)/s(1)` lies in
//! [0.25, 1.5] is reported as [`Verdict::NonDifferentiable`].
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
//! let x = [0.7f64, -1.3];
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

#[cfg(test)]
mod tests {
    /// The generator is splitmix64 as published: its first outputs from state 0 are the
    /// reference C implementation's (Vigna, splitmix64.c), so the Taylor directions and
    /// the stencil jitter are what the docs say they are.
    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        let mut state = 0u64;
        let first: Vec<u64> = (0..3).map(|_| super::splitmix64(&mut state)).collect();
        assert_eq!(
            first,
            [
                0xE220_A839_7B1D_CDAF,
                0x6E78_9E6A_A1B9_65F4,
                0x06C4_5D18_8009_454F
            ]
        );
        assert_eq!(state, 3u64.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    }

    /// A resolution must be finite and positive: a valid one is accepted, the rest are
    /// refused (the documented rule of `CheckOptions::resolution`).
    #[test]
    fn check_options_accept_exactly_the_valid_resolutions() {
        let with = |r: f64| super::CheckOptions {
            resolution: Some(r),
            ..Default::default()
        };
        for r in [1e-3, 0.5, f64::MIN_POSITIVE] {
            assert!(with(r).validate().is_ok(), "resolution {r}");
        }
        for r in [0.0, -0.0, -1e-3, f64::INFINITY, f64::NAN] {
            assert!(with(r).validate().is_err(), "resolution {r}");
        }
        assert!(super::CheckOptions::default().validate().is_ok());
    }
}
