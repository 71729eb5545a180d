//! Judging a candidate Jacobian entry by entry against finite differences.

use super::fd::{FdWorkspace, Scheme};
use super::report::{Counts, EntryCheck, LISTED_FAILURES, Report, Verdict};
use crate::dual::Tangent;
use crate::error::{Error, check_len};
use crate::function::{VectorFn, check_dimensions};
use crate::lanes::Float;
use crate::real::Value;

/// How a candidate Jacobian is judged.
///
/// Entry (i, j) with candidate c and reference r (error estimate e) gets the tolerance
/// `tol = safety * e + 8 eps (|c| + |r|)` (the second term covers the candidate's own
/// rounding). It fails when `|c - r| > tol`; otherwise it passes if `|c - r| == 0` or
/// `tol <= resolution * max(|c|, |r|)`, and is unresolved if not: the finite
/// differences then cannot pin the entry down to `resolution` of its size.
///
/// ```
/// use batchjac::verify::{CheckOptions, Scheme};
/// let options = CheckOptions { scheme: Scheme::Central, ..CheckOptions::default() };
/// assert_eq!(options.safety, 10.0);
/// assert_eq!(options.resolution_for::<f64>(), f64::EPSILON.powf(0.25));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CheckOptions {
    /// The finite-difference scheme of the reference (default: fourth order).
    pub scheme: Scheme,
    /// The tolerance is this many times the estimated error (default 10: the estimate
    /// is a leading-order estimate, and the noise term a typical, not a worst, size).
    pub safety: f64,
    /// The widest tolerance, relative to the entry, at which agreement still counts as
    /// a pass. `None`: eps^(1/4) of the element type (1.2e-4 for f64, 1.9e-2 for f32),
    /// a quarter of its digits.
    pub resolution: Option<f64>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            scheme: Scheme::FourthOrder,
            safety: 10.0,
            resolution: None,
        }
    }
}

impl CheckOptions {
    /// The resolution used for element type `E`.
    ///
    /// ```
    /// use batchjac::verify::CheckOptions;
    /// let default = CheckOptions::default();
    /// assert_eq!(default.resolution_for::<f32>(), f64::from(f32::EPSILON).powf(0.25));
    /// let fixed = CheckOptions { resolution: Some(1e-3), ..default };
    /// assert_eq!(fixed.resolution_for::<f64>(), 1e-3);
    /// ```
    pub fn resolution_for<E: Float>(&self) -> f64 {
        self.resolution
            .unwrap_or_else(|| E::EPSILON.to_f64().powf(0.25))
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if !(self.safety.is_finite() && self.safety >= 1.0) {
            return Err(Error::InvalidArgument {
                message: format!("safety is {}, expected a finite value >= 1", self.safety),
            });
        }
        if let Some(r) = self.resolution
            && !(r.is_finite() && r > 0.0)
        {
            return Err(Error::InvalidArgument {
                message: format!("resolution is {r}, expected a finite value > 0"),
            });
        }
        Ok(())
    }
}

/// Buffers to check many points of one function (one per rayon worker in a batch).
pub(crate) struct Checker<E> {
    fd: FdWorkspace<E>,
}

impl<E: Float + Value + Tangent<E>> Checker<E> {
    pub(crate) fn new<F: VectorFn>(f: &F, scheme: Scheme) -> Result<Self, Error> {
        Ok(Checker {
            fd: FdWorkspace::new(f, scheme)?,
        })
    }

    /// Checks one point; lengths and options are the caller's to check.
    pub(crate) fn check<F: VectorFn>(
        &mut self,
        f: &F,
        x: &[E],
        candidate: &[E],
        options: &CheckOptions,
        keep_entries: bool,
    ) -> Result<Report, Error> {
        let (m, n) = (f.inputs(), f.outputs());
        self.fd.estimate_unchecked(f, x)?;
        let eps = E::EPSILON.to_f64();
        let resolution = options.resolution_for::<E>();
        let mut counts = Counts::default();
        let mut worst: Option<EntryCheck> = None;
        let mut failures: Vec<EntryCheck> = Vec::new();
        let mut entries = Vec::with_capacity(if keep_entries { n * m } else { 0 });
        for (index, (entry, c)) in self.fd.entries().iter().zip(candidate).enumerate() {
            let c = c.to_f64();
            let r = entry.value;
            let tolerance = options.safety * entry.error + 8.0 * eps * (c.abs() + r.abs());
            let diff = (c - r).abs();
            let verdict = if !entry.finite || !c.is_finite() {
                Verdict::NonFinite
            } else if entry.kink {
                Verdict::NonDifferentiable
            } else if diff > tolerance {
                Verdict::Failed
            } else if diff == 0.0 || tolerance <= resolution * c.abs().max(r.abs()) {
                Verdict::Passed
            } else {
                Verdict::Unresolved
            };
            counts.add(verdict);
            let check = EntryCheck {
                row: index / m,
                column: index % m,
                candidate: c,
                reference: r,
                error_estimate: entry.error,
                tolerance,
                verdict,
            };
            if worst.as_ref().is_none_or(|w| check.worse_than(w))
                && matches!(
                    verdict,
                    Verdict::Failed | Verdict::Passed | Verdict::Unresolved
                )
            {
                worst = Some(check);
            }
            if verdict == Verdict::Failed {
                insert_failure(&mut failures, check);
            }
            if keep_entries {
                entries.push(check);
            }
        }
        Ok(Report {
            rows: n,
            columns: m,
            scheme: options.scheme,
            counts,
            worst,
            failures,
            entries,
        })
    }
}

/// Keeps the [`LISTED_FAILURES`] worst failures, worst first (earlier entries win ties).
fn insert_failure(failures: &mut Vec<EntryCheck>, check: EntryCheck) {
    let at = failures
        .iter()
        .position(|f| check.worse_than(f))
        .unwrap_or(failures.len());
    if at < LISTED_FAILURES {
        failures.insert(at, check);
        failures.truncate(LISTED_FAILURES);
    }
}

/// Judges a candidate Jacobian (n x m row-major, from AD or written by hand) at `x`
/// against fourth-order finite differences, entry by entry, with tolerances derived
/// from each entry's error estimate ([`CheckOptions`] explains the rule).
///
/// Evaluates f only through [`VectorFn`] on plain f64 (never the dual code).
///
/// ```
/// use batchjac::verify::check_jacobian;
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
/// assert!(check_jacobian(&Polar, &[r, t], &right).unwrap().passed());
/// let wrong = [t.cos(), r * t.sin(), t.sin(), r * t.cos()]; // sign error in J[0][1]
/// let report = check_jacobian(&Polar, &[r, t], &wrong).unwrap();
/// assert!(!report.passed());
/// let worst = report.worst().unwrap();
/// assert_eq!((worst.row, worst.column), (0, 1));
/// ```
pub fn check_jacobian<F: VectorFn>(f: &F, x: &[f64], candidate: &[f64]) -> Result<Report, Error> {
    check_jacobian_with(f, x, candidate, &CheckOptions::default())
}

/// [`check_jacobian`] with a choice of scheme, safety factor and resolution, in f64 or
/// f32.
///
/// ```
/// use batchjac::verify::{check_jacobian_with, CheckOptions, Scheme};
/// use batchjac::{Real, VectorFn};
/// struct Exp;
/// impl VectorFn for Exp {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0].exp(); }
/// }
/// let options = CheckOptions { scheme: Scheme::Central, ..CheckOptions::default() };
/// let report = check_jacobian_with(&Exp, &[1.0f32], &[1.0f32.exp()], &options).unwrap();
/// assert!(report.passed() && report.conclusive());
/// ```
pub fn check_jacobian_with<F: VectorFn, E: Float + Value + Tangent<E>>(
    f: &F,
    x: &[E],
    candidate: &[E],
    options: &CheckOptions,
) -> Result<Report, Error> {
    options.validate()?;
    let (m, n) = check_dimensions(f)?;
    check_len("x", x.len(), m)?;
    check_len("candidate", candidate.len(), n * m)?;
    Checker::new(f, options.scheme)?.check(f, x, candidate, options, true)
}
