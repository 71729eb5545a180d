//! The Taylor-remainder test, straight from the definition of the derivative.
//!
//! For a direction h and steps eps_k = eps_0 / 2^k, the remainder of output i is
//! `r_i(eps) = |f_i(x + eps h) - f_i(x) - eps (J h)_i|`. If J is the Jacobian and f is
//! twice differentiable, r_i = O(eps^2): halving eps divides r_i by 4, an observed order
//! `log2(r(eps) / r(eps/2))` of 2. With a wrong row i, r_i is dominated by
//! `eps |((J_true - J) h)_i|` for small eps: order 1. Unlike finite differences this
//! needs no step balance and no error estimate per entry: an independent second
//! opinion that sees a whole row at once. It has the same floor, though: an error
//! whose first-order term stays below the second-order term until both reach
//! rounding level (0.04 wrong by 0.01 in robertson's row of 3e7) is invisible to both.
//!
//! Each output is judged on its own, so a wrong entry in a row of small values is not
//! hidden by a large row. Rounding ends the useful range: once r_i comes within
//! 2^8 times the noise of evaluating f_i (estimated per output from a fourth difference
//! of f along h at a tiny step, and at least `eps |f_i|`) the remaining steps are not
//! used. An output whose remainder is at rounding level from the first step (f_i linear
//! along h, or an error too small to see) has no observed order and counts as a pass.
//! The perturbation actually applied, `(x + eps h) - x` in floating point, is what J
//! multiplies, so rounding of the perturbed point does not enter r.

use crate::error::{Error, check_len};
use crate::function::{VectorFn, check_dimensions, eval_checked};
use core::fmt;

/// Settings of [`taylor_test`].
///
/// ```
/// use batchjac::verify::TaylorOptions;
/// let options = TaylorOptions { directions: 8, ..TaylorOptions::default() };
/// assert_eq!(options.halvings, 24);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaylorOptions {
    /// Random directions h tried (default 4).
    pub directions: usize,
    /// eps_0, relative: the perturbation of x_j is at most `eps max(1, |x_j|)`
    /// (default 1/16).
    pub first_step: f64,
    /// Steps after the first, each half the previous (default 24).
    pub halvings: usize,
    /// Seed of the directions (splitmix64; the same seed gives the same directions).
    pub seed: u64,
    /// An output passes when its observed order is at least this (default 1.5,
    /// half way between the 1 of a wrong J and the 2 of a right one).
    pub passing_order: f64,
}

impl Default for TaylorOptions {
    fn default() -> Self {
        TaylorOptions {
            directions: 4,
            first_step: 1.0 / 16.0,
            halvings: 24,
            seed: 0x7A7_10E5,
            passing_order: 1.5,
        }
    }
}

impl TaylorOptions {
    fn validate(&self) -> Result<(), Error> {
        let bad = |message: String| Err(Error::InvalidArgument { message });
        if self.directions == 0 {
            return bad("directions is 0, expected at least 1".into());
        }
        if self.halvings == 0 {
            return bad("halvings is 0, expected at least 1".into());
        }
        if !(self.first_step.is_finite() && self.first_step > 0.0) {
            return bad(format!(
                "first_step is {}, expected a finite value > 0",
                self.first_step
            ));
        }
        if !self.passing_order.is_finite() {
            return bad(format!(
                "passing_order is {}, expected a finite value",
                self.passing_order
            ));
        }
        Ok(())
    }
}

/// Remainders above this many times the noise level are used.
const VALID_OVER_NOISE: f64 = 256.0;

/// How many of the last usable steps the observed order is fitted over.
const FITTED_STEPS: usize = 4;

/// The remainders along one direction.
///
/// ```
/// use batchjac::expr::Program;
/// use batchjac::verify::{taylor_test, TaylorOptions};
///
/// let f = Program::parse("y0 = exp(x0)").unwrap();
/// let options = TaylorOptions { directions: 1, ..TaylorOptions::default() };
/// let report = taylor_test(&f, &[0.0], &[1.0], &options).unwrap(); // exp'(0) = 1
/// let d = &report.directions()[0];
/// assert_eq!(d.steps.len(), options.halvings + 1);
/// assert_eq!(d.steps[1], d.steps[0] / 2.0);
/// assert_eq!(d.remainders.len(), d.steps.len()); // one output
/// assert!((d.observed[0] - 2.0).abs() < 0.1); // the remainder falls as eps^2
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TaylorDirection {
    /// The direction h (length m).
    pub direction: Vec<f64>,
    /// eps_k, k = 0..=halvings.
    pub steps: Vec<f64>,
    /// r_i(eps_k), row-major by step (steps x n).
    pub remainders: Vec<f64>,
    /// The noise level of each output's evaluation: the largest of `eps |f_i(x)|` and,
    /// for each direction h of the test, the finite values of `|D4 f_i| / sqrt(70)`,
    /// where `D4 f_i` is the fourth difference of f_i at x along h with spacing
    /// `2^-18 h` (polynomials up to the third degree cancel in it; independent errors
    /// of standard deviation s in its five values give it a standard deviation of
    /// `sqrt(70) s`). The same for every direction.
    pub noise: Vec<f64>,
    /// How many leading steps of each output are usable: step k is usable when it and
    /// every larger step have a finite remainder above `256 (noise_i + eps (|f_i(x +
    /// d_k)| + |(J d_k)_i|))`, where `d_k = (x + eps_k h) - x`: far enough above the
    /// rounding of the remainder's terms for its order to show.
    pub usable: Vec<usize>,
    /// Each output's observed order: the least-squares slope of log r against log eps
    /// over the last (up to 4) usable steps; infinite when fewer than two steps are
    /// usable (nothing to see), NaN when f or J h was not finite at the first step.
    pub observed: Vec<f64>,
}

impl TaylorDirection {
    /// The remainders of output `i` at every step.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::{taylor_test, TaylorOptions};
    ///
    /// let f = Program::parse("y0 = exp(x0); y1 = x0").unwrap();
    /// let options = TaylorOptions { directions: 1, ..TaylorOptions::default() };
    /// let report = taylor_test(&f, &[0.0], &[1.0, 1.0], &options).unwrap();
    /// let d = &report.directions()[0];
    /// let r = d.remainders_of(0);
    /// // At step eps_0 the point moves by a = eps_0 h: r = |e^a - 1 - a|.
    /// let a = d.steps[0] * d.direction[0];
    /// assert!((r[0] - (a.exp() - 1.0 - a)).abs() < 1e-14);
    /// ```
    pub fn remainders_of(&self, i: usize) -> Vec<f64> {
        let n = self.noise.len();
        self.remainders.iter().skip(i).step_by(n).copied().collect()
    }

    /// The orders `log2(r(eps_k) / r(eps_k+1))` of output `i` between consecutive usable
    /// steps.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::{taylor_test, TaylorOptions};
    ///
    /// let f = Program::parse("y0 = exp(x0)").unwrap();
    /// let options = TaylorOptions { directions: 1, ..TaylorOptions::default() };
    /// let report = taylor_test(&f, &[0.0], &[1.0], &options).unwrap();
    /// let orders = report.directions()[0].orders_of(0);
    /// assert!(orders.len() > 4 && orders.iter().all(|p| (p - 2.0).abs() < 0.25));
    /// ```
    pub fn orders_of(&self, i: usize) -> Vec<f64> {
        let r = self.remainders_of(i);
        let usable = self.usable[i];
        (1..usable)
            .map(|k| (r[k - 1] / r[k]).log2() / (self.steps[k - 1] / self.steps[k]).log2())
            .collect()
    }

    /// The output with the lowest observed order, and that order (NaN outputs are
    /// skipped); `None` if every output is at rounding level or not finite.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::{taylor_test, TaylorOptions};
    ///
    /// // y0's Jacobian row is wrong (order 1), y1's right (order 2).
    /// let f = Program::parse("y0 = sin(x0); y1 = x0 * x0").unwrap();
    /// let report = taylor_test(&f, &[1.0], &[0.0, 2.0], &TaylorOptions::default()).unwrap();
    /// let (output, order) = report.directions()[0].worst_output().unwrap();
    /// assert_eq!(output, 0);
    /// assert!((order - 1.0).abs() < 0.1);
    /// ```
    pub fn worst_output(&self) -> Option<(usize, f64)> {
        self.observed
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_finite())
            .fold(None, |best: Option<(usize, f64)>, (i, &p)| match best {
                Some((_, q)) if q <= p => best,
                _ => Some((i, p)),
            })
    }
}

/// The result of [`taylor_test`].
///
/// ```
/// use batchjac::verify::{taylor_test, TaylorOptions};
/// use batchjac::{Real, VectorFn};
/// struct Polar;
/// impl VectorFn for Polar {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 2 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
///         y[0] = x[0] * x[1].cos();
///         y[1] = x[0] * x[1].sin();
///     }
/// }
/// let (r, t) = (2.0f64, 0.5f64);
/// let wrong = [t.cos(), r * t.sin(), t.sin(), r * t.cos()]; // sign error in J[0][1]
/// let options = TaylorOptions::default();
/// let report = taylor_test(&Polar, &[r, t], &wrong, &options).unwrap();
/// assert!(!report.passed());
/// assert_eq!(report.directions().len(), options.directions);
/// assert_eq!(report.orders().len(), options.directions);
/// let (_, output, order) = report.worst().unwrap();
/// assert_eq!(output, 0);
/// assert!((order - 1.0).abs() < 0.1 && order == report.min_order());
/// assert_eq!(report.non_finite(), 0);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TaylorReport {
    directions: Vec<TaylorDirection>,
    passing_order: f64,
}

impl TaylorReport {
    /// Every observed order (over all directions and outputs) is at least
    /// [`TaylorOptions::passing_order`]. Outputs not finite at x are not judged.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::{taylor_test, TaylorOptions};
    ///
    /// let f = Program::parse("y0 = x0 * x0 * x0").unwrap();
    /// let options = TaylorOptions::default();
    /// assert!(taylor_test(&f, &[2.0], &[12.0], &options).unwrap().passed());
    /// assert!(!taylor_test(&f, &[2.0], &[12.5], &options).unwrap().passed());
    /// ```
    pub fn passed(&self) -> bool {
        self.min_order() >= self.passing_order
    }

    /// The lowest observed order over all directions and outputs; infinite when every
    /// remainder was at rounding level (f linear along every direction, or J's error
    /// too small to see).
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::{taylor_test, TaylorOptions};
    ///
    /// let f = Program::parse("y0 = x0 * x0 * x0").unwrap();
    /// let report = taylor_test(&f, &[2.0], &[12.0], &TaylorOptions::default()).unwrap();
    /// assert!((report.min_order() - 2.0).abs() < 0.1);
    /// // A linear function's remainder is rounding alone: no order to observe.
    /// let g = Program::parse("y0 = x0 * 3").unwrap();
    /// let report = taylor_test(&g, &[2.0], &[3.0], &TaylorOptions::default()).unwrap();
    /// assert_eq!(report.min_order(), f64::INFINITY);
    /// ```
    pub fn min_order(&self) -> f64 {
        self.orders().into_iter().fold(f64::INFINITY, f64::min)
    }

    /// The lowest observed order of each direction.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::{taylor_test, TaylorOptions};
    ///
    /// let f = Program::parse("y0 = exp(x0 * x1)").unwrap(); // J = exp(x0 x1) (x1, x0)
    /// let options = TaylorOptions { directions: 3, ..TaylorOptions::default() };
    /// let jac = [1.0, 0.5].map(|v| v * 0.5f64.exp());
    /// let report = taylor_test(&f, &[0.5, 1.0], &jac, &options).unwrap();
    /// let orders = report.orders();
    /// assert_eq!(orders.len(), 3);
    /// assert!(orders.iter().all(|&p| p >= options.passing_order));
    /// ```
    pub fn orders(&self) -> Vec<f64> {
        self.directions
            .iter()
            .map(|d| d.worst_output().map_or(f64::INFINITY, |(_, p)| p))
            .collect()
    }

    /// (direction, output, order) of the lowest observed order.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::{taylor_test, TaylorOptions};
    ///
    /// let f = Program::parse("y0 = x0 * x0; y1 = x0 * x0").unwrap();
    /// let report = taylor_test(&f, &[1.0], &[2.0, 2.5], &TaylorOptions::default()).unwrap();
    /// let (_direction, output, order) = report.worst().unwrap();
    /// assert_eq!(output, 1); // row 1 is wrong
    /// assert!((order - 1.0).abs() < 0.1);
    /// ```
    pub fn worst(&self) -> Option<(usize, usize, f64)> {
        self.directions
            .iter()
            .enumerate()
            .filter_map(|(d, dir)| dir.worst_output().map(|(i, p)| (d, i, p)))
            .fold(None, |best, cur| match best {
                Some((_, _, q)) if q <= cur.2 => best,
                _ => Some(cur),
            })
    }

    /// (direction, output) pairs that were not finite at the first step.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::{taylor_test, TaylorOptions};
    ///
    /// // ln(x0) is -inf at x0 = 0: output 1 cannot be judged along either direction.
    /// let f = Program::parse("y0 = x0; y1 = ln(x0)").unwrap();
    /// let options = TaylorOptions { directions: 2, ..TaylorOptions::default() };
    /// let report = taylor_test(&f, &[0.0], &[1.0, 0.0], &options).unwrap();
    /// assert_eq!(report.non_finite(), 2);
    /// ```
    pub fn non_finite(&self) -> usize {
        self.directions
            .iter()
            .map(|d| d.observed.iter().filter(|p| p.is_nan()).count())
            .sum()
    }

    /// The details of every direction.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::{taylor_test, TaylorOptions};
    ///
    /// let f = Program::parse("y0 = x0 * x1").unwrap();
    /// let options = TaylorOptions { directions: 5, ..TaylorOptions::default() };
    /// let report = taylor_test(&f, &[1.0, 2.0], &[2.0, 1.0], &options).unwrap();
    /// assert_eq!(report.directions().len(), 5);
    /// assert!(report.directions().iter().all(|d| d.direction.len() == 2));
    /// ```
    pub fn directions(&self) -> &[TaylorDirection] {
        &self.directions
    }
}

impl fmt::Display for TaylorReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let steps = self.directions.first().map_or(0, |d| d.steps.len());
        let first = self.directions.first().map_or(0.0, |d| d.steps[0]);
        write!(
            f,
            "Taylor remainder test ({} directions, eps = {first:.3e} / 2^k, k = 0..{}): {}",
            self.directions.len(),
            steps.saturating_sub(1),
            if self.passed() { "PASSED" } else { "FAILED" }
        )?;
        match self.worst() {
            Some((d, i, p)) => write!(
                f,
                ", min order {p:.3} (direction {d}, output {i}; pass at >= {})",
                self.passing_order
            )?,
            None if self.non_finite() > 0 => {
                write!(f, ": no finite remainder above rounding level")?
            }
            None => write!(f, ": every remainder at rounding level")?,
        }
        if self.non_finite() > 0 {
            write!(
                f,
                "; {} (direction, output) pairs not finite",
                self.non_finite()
            )?;
        }
        for (d, dir) in self.directions.iter().enumerate() {
            match dir.worst_output() {
                Some((i, p)) => {
                    let orders: Vec<String> =
                        dir.orders_of(i).iter().map(|o| format!("{o:.2}")).collect();
                    write!(
                        f,
                        "\n  direction {d}: lowest order {p:.3} at output {i}; orders {}",
                        orders.join(" ")
                    )?;
                }
                None => write!(f, "\n  direction {d}: every remainder at rounding level")?,
            }
        }
        Ok(())
    }
}

/// Uniform in [-1, 1).
fn uniform(state: &mut u64) -> f64 {
    (super::splitmix64(state) >> 11) as f64 * 2f64.powi(-52) - 1.0
}

/// Runs the Taylor-remainder test of `candidate` (n x m row-major) at `x` along
/// [`TaylorOptions::directions`] random directions; see the module docs.
///
/// ```
/// use batchjac::verify::{taylor_test, TaylorOptions};
/// use batchjac::{Real, VectorFn};
/// struct Polar;
/// impl VectorFn for Polar {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 2 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
///         y[0] = x[0] * x[1].cos();
///         y[1] = x[0] * x[1].sin();
///     }
/// }
/// let (r, t) = (2.0f64, 0.5f64);
/// let right = [t.cos(), -r * t.sin(), t.sin(), r * t.cos()];
/// let report = taylor_test(&Polar, &[r, t], &right, &TaylorOptions::default()).unwrap();
/// assert!(report.passed() && (report.min_order() - 2.0).abs() < 0.1);
/// let wrong = [t.cos(), 0.0, t.sin(), r * t.cos()]; // J[0][1] forgotten
/// let report = taylor_test(&Polar, &[r, t], &wrong, &TaylorOptions::default()).unwrap();
/// assert!(!report.passed() && (report.min_order() - 1.0).abs() < 0.1);
/// ```
pub fn taylor_test<F: VectorFn>(
    f: &F,
    x: &[f64],
    candidate: &[f64],
    options: &TaylorOptions,
) -> Result<TaylorReport, Error> {
    options.validate()?;
    let (m, n) = check_dimensions(f)?;
    check_len("x", x.len(), m)?;
    check_len("candidate", candidate.len(), n * m)?;
    let eps = f64::EPSILON;
    let mut f0 = vec![0.0; n];
    eval_checked(f, x, &mut f0)?;
    let mut state = options.seed;
    let mut xe = x.to_vec();
    let mut fe = vec![0.0; n];
    let mut delta = vec![0.0; m];
    let mut directions: Vec<TaylorDirection> = Vec::with_capacity(options.directions);
    let mut noise = vec![0.0f64; n];
    for (sigma, v) in noise.iter_mut().zip(&f0) {
        *sigma = eps * v.abs();
    }
    // Directions first, with the noise of each output along each: the fourth
    // difference at a step of 2^-18 (about eps^(1/3)), where the function's own
    // fourth-order term is far below rounding.
    let mut hs = Vec::with_capacity(options.directions);
    for _ in 0..options.directions {
        let h: Vec<f64> = x
            .iter()
            .map(|xj| uniform(&mut state) * xj.abs().max(1.0))
            .collect();
        let eta = 2f64.powi(-18);
        let mut fourth = vec![0.0; n];
        for (t, weight) in [(-2.0, 1.0), (-1.0, -4.0), (1.0, -4.0), (2.0, 1.0)] {
            for ((xe, xj), hj) in xe.iter_mut().zip(x).zip(&h) {
                *xe = xj + t * eta * hj;
            }
            eval_checked(f, &xe, &mut fe)?;
            for (a, v) in fourth.iter_mut().zip(&fe) {
                *a += weight * v;
            }
        }
        for ((sigma, a), v) in noise.iter_mut().zip(&fourth).zip(&f0) {
            let sample = (a + 6.0 * v).abs() / 70f64.sqrt();
            if sample.is_finite() {
                *sigma = sigma.max(sample);
            }
        }
        hs.push(h);
    }
    let steps: Vec<f64> = (0..=options.halvings)
        .map(|k| options.first_step * 2f64.powi(-(k as i32)))
        .collect();
    for h in hs {
        let mut remainders = vec![0.0; steps.len() * n];
        let mut usable = vec![0usize; n];
        let mut open = vec![true; n];
        let mut first_finite = vec![true; n];
        for (k, &step) in steps.iter().enumerate() {
            for (((xe, d), xj), hj) in xe.iter_mut().zip(&mut delta).zip(x).zip(&h) {
                *xe = xj + step * hj;
                *d = *xe - xj;
            }
            eval_checked(f, &xe, &mut fe)?;
            for i in 0..n {
                let row = &candidate[i * m..(i + 1) * m];
                let j_delta: f64 = row.iter().zip(&delta).map(|(a, b)| a * b).sum();
                let r = (fe[i] - f0[i] - j_delta).abs();
                remainders[k * n + i] = r;
                let threshold = VALID_OVER_NOISE * (noise[i] + eps * (fe[i].abs() + j_delta.abs()));
                if k == 0 && !(r.is_finite() && f0[i].is_finite()) {
                    first_finite[i] = false;
                }
                if open[i] && r.is_finite() && r > threshold {
                    usable[i] = k + 1;
                } else {
                    open[i] = false;
                }
            }
        }
        let observed = (0..n)
            .map(|i| {
                if !first_finite[i] {
                    return f64::NAN;
                }
                let used = usable[i];
                if used < 2 {
                    return f64::INFINITY;
                }
                let from = used.saturating_sub(FITTED_STEPS);
                let points: Vec<(f64, f64)> = (from..used)
                    .map(|k| (steps[k].log2(), remainders[k * n + i].log2()))
                    .collect();
                least_squares_slope(&points)
            })
            .collect();
        directions.push(TaylorDirection {
            direction: h,
            steps: steps.clone(),
            remainders,
            noise: noise.clone(),
            usable,
            observed,
        });
    }
    Ok(TaylorReport {
        directions,
        passing_order: options.passing_order,
    })
}

/// The slope of the least-squares line through `points` (at least two, distinct x).
fn least_squares_slope(points: &[(f64, f64)]) -> f64 {
    let count = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / count;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / count;
    let covariance: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let variance: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.0 - mean_x)).sum();
    covariance / variance
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_is_uniform_enough_and_deterministic() {
        let mut a = 1u64;
        let mut b = 1;
        let xs: Vec<f64> = (0..10_000).map(|_| uniform(&mut a)).collect();
        assert!(xs.iter().all(|v| (-1.0..1.0).contains(v)));
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert_eq!(uniform(&mut b), xs[0]);
    }

    #[test]
    fn slope_of_a_line() {
        let p = [(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)];
        assert!((least_squares_slope(&p) - 2.0).abs() < 1e-15);
    }
}
