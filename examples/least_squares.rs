//! A nonlinear least-squares fit with the `levenberg-marquardt` crate, batchjac supplying
//! the Jacobian of the residuals.
//!
//! Model: exponential decay to a floor, y(t) = a e^(-k t) + c, fitted to 60 synthetic
//! samples made from known parameters (a, k, c) = (3, 0.7, 0.5) plus a small
//! deterministic noise. The residuals are one `VectorFn` of the parameters; the solver's
//! `LeastSquaresProblem::jacobian` asks `batchjac::interop::nalgebra::jacobian` for the
//! 60 x 3 Jacobian (a column-major `DMatrix`, as the solver wants). The example checks
//! that the fit recovers the parameters and exits non-zero if it does not.
//!
//! `cargo run --release --example least_squares --features nalgebra`

use batchjac::interop::nalgebra::jacobian;
use batchjac::{Real, VectorFn};
use levenberg_marquardt::{LeastSquaresProblem, LevenbergMarquardt};
use nalgebra::storage::Owned;
use nalgebra::{DMatrix, DVector, Dyn};
use std::cell::Cell;

/// The residuals r_i(p) = a e^(-k t_i) + c - y_i of the samples (t_i, y_i), as a
/// function of the parameters p = (a, k, c).
struct Residuals<'a> {
    t: &'a [f64],
    y: &'a [f64],
}

impl VectorFn for Residuals<'_> {
    fn inputs(&self) -> usize {
        3
    }
    fn outputs(&self) -> usize {
        self.t.len()
    }
    fn eval<R: Real>(&self, p: &[R], r: &mut [R]) {
        let (a, k, c) = (p[0], p[1], p[2]);
        for ((ri, &ti), &yi) in r.iter_mut().zip(self.t).zip(self.y) {
            *ri = a * (-(k * R::from_f64(ti))).exp() + c - R::from_f64(yi);
        }
    }
}

/// The fit as the solver sees it: data, current parameters, and counters.
struct DecayFit {
    t: Vec<f64>,
    y: Vec<f64>,
    p: DVector<f64>,
    jacobians: Cell<usize>,
}

impl DecayFit {
    fn residuals_fn(&self) -> Residuals<'_> {
        Residuals {
            t: &self.t,
            y: &self.y,
        }
    }
}

impl LeastSquaresProblem<f64, Dyn, Dyn> for DecayFit {
    type ResidualStorage = Owned<f64, Dyn>;
    type JacobianStorage = Owned<f64, Dyn, Dyn>;
    type ParameterStorage = Owned<f64, Dyn>;

    fn set_params(&mut self, p: &DVector<f64>) {
        self.p.copy_from(p);
    }

    fn params(&self) -> DVector<f64> {
        self.p.clone()
    }

    fn residuals(&self) -> Option<DVector<f64>> {
        let mut r = DVector::zeros(self.t.len());
        self.residuals_fn()
            .eval(self.p.as_slice(), r.as_mut_slice());
        Some(r)
    }

    fn jacobian(&self) -> Option<DMatrix<f64>> {
        self.jacobians.set(self.jacobians.get() + 1);
        // None tells the solver the Jacobian could not be computed (say, a NaN input).
        jacobian(&self.residuals_fn(), &self.p).ok()
    }
}

/// Deterministic noise in [-1, 1): a splitmix64 step.
fn noise(k: u64) -> f64 {
    let mut z = k
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(0x2545_F491_4F6C_DD1D);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

fn main() {
    let truth = [3.0, 0.7, 0.5];
    let t: Vec<f64> = (0..60).map(|i| i as f64 * 0.1).collect();
    let y: Vec<f64> = t
        .iter()
        .enumerate()
        .map(|(i, &ti)| truth[0] * (-truth[1] * ti).exp() + truth[2] + 0.01 * noise(i as u64))
        .collect();

    let start = DVector::from_vec(vec![1.0, 2.0, 0.0]);
    let fit = DecayFit {
        t,
        y,
        p: start.clone(),
        jacobians: Cell::new(0),
    };
    let initial_cost = fit.residuals().unwrap().norm_squared() / 2.0;
    let (fit, report) = LevenbergMarquardt::new().minimize(fit);
    let p = &fit.p;
    let rms = (2.0 * report.objective_function / fit.t.len() as f64).sqrt();

    println!(
        "fit of y = a exp(-k t) + c to {} samples (noise amplitude 0.01)",
        fit.t.len()
    );
    println!(
        "start      a = {:.4}, k = {:.4}, c = {:.4}, cost {initial_cost:.3e}",
        start[0], start[1], start[2]
    );
    println!(
        "fitted     a = {:.4}, k = {:.4}, c = {:.4}",
        p[0], p[1], p[2]
    );
    println!(
        "true       a = {:.4}, k = {:.4}, c = {:.4}",
        truth[0], truth[1], truth[2]
    );
    println!(
        "solver: {:?} after {} residual evaluations and {} Jacobians (batchjac); \
         cost {:.3e}, rms residual {rms:.2e}",
        report.termination,
        report.number_of_evaluations,
        fit.jacobians.get(),
        report.objective_function,
    );

    let recovered = truth
        .iter()
        .zip(p.iter())
        .all(|(want, got)| (want - got).abs() < 0.02);
    if !report.termination.was_successful() || !recovered || rms > 0.01 {
        eprintln!("FAILED: the fit did not recover the parameters within 0.02");
        std::process::exit(1);
    }
    println!("ok: the parameters are recovered within 0.02 (rms residual at the noise level)");
}
