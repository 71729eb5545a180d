//! Checking every point of a batch, in parallel over points (rayon).

use super::check::{CheckOptions, Checker};
use super::report::{BatchReport, Counts, EntryCheck};
use crate::dual::Tangent;
use crate::error::{Error, check_len};
use crate::function::{BatchDims, VectorFn, check_batch_dimensions};
use crate::lanes::Float;
use crate::real::Value;
use rayon::prelude::*;

/// What one point contributes to a [`BatchReport`].
struct PointSummary {
    counts: Counts,
    worst: Option<EntryCheck>,
}

/// Checks the candidate Jacobians of a batch: `xs` holds B points (B x m row-major),
/// `candidates` their Jacobians (B x n x m row-major, as `jacobian_batch` writes them),
/// each judged as by [`super::check_jacobian`]. Runs over points in the caller's rayon
/// pool; the report does not depend on the number of threads.
///
/// A function that panics or leaves an output unwritten at some point gives an
/// [`Error`] naming the lowest such point.
///
/// ```
/// use batchjac::verify::check_batch;
/// use batchjac::{Real, VectorFn};
/// struct Square;
/// impl VectorFn for Square {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0]; }
/// }
/// let xs = [1.0, 2.0, 3.0];
/// let report = check_batch(&Square, &xs, &[2.0, 4.0, 6.5]).unwrap();
/// assert_eq!((report.points_checked(), report.points_failed()), (3, 1));
/// assert_eq!(report.failed_points(), &[2]);
/// assert_eq!(report.worst().unwrap().0, 2);
/// ```
pub fn check_batch<F: VectorFn>(
    f: &F,
    xs: &[f64],
    candidates: &[f64],
) -> Result<BatchReport, Error> {
    check_batch_with(f, xs, candidates, &CheckOptions::default())
}

/// [`check_batch`] with [`CheckOptions`], in f64 or f32.
///
/// ```
/// use batchjac::verify::{check_batch_with, CheckOptions, Scheme};
/// use batchjac::{jacobian_batch, Real, VectorFn};
/// /// The logistic function 1 / (1 + e^-x).
/// struct Logistic;
/// impl VectorFn for Logistic {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = ((-x[0]).exp() + 1.0).recip(); }
/// }
/// let xs = [-2.0f32, 0.0, 1.5];
/// let mut jacs = [0.0f32; 3];
/// jacobian_batch(&Logistic, &xs, &mut jacs).unwrap();
/// let options = CheckOptions { scheme: Scheme::Central, ..CheckOptions::default() };
/// let report = check_batch_with(&Logistic, &xs, &jacs, &options).unwrap();
/// assert!(report.passed(), "{report}");
/// assert_eq!((report.points_checked(), report.scheme()), (3, Scheme::Central));
/// ```
pub fn check_batch_with<F: VectorFn, E: Float + Value + Tangent<E>>(
    f: &F,
    xs: &[E],
    candidates: &[E],
    options: &CheckOptions,
) -> Result<BatchReport, Error> {
    options.validate()?;
    let BatchDims {
        m,
        n,
        points,
        entries,
    } = check_batch_dimensions(f, xs.len())?;
    check_len("candidates", candidates.len(), entries)?;
    let summaries: Vec<Result<PointSummary, Error>> = xs
        .par_chunks(m)
        .zip(candidates.par_chunks(n * m))
        .enumerate()
        .map_init(
            || Checker::<E>::new(f, options.scheme),
            |checker, (k, (x, candidate))| {
                let checker = checker.as_mut().map_err(|e| e.clone())?;
                let report = checker
                    .check(f, x, candidate, options, false)
                    .map_err(|e| e.at_point(k))?;
                Ok(PointSummary {
                    counts: report.counts(),
                    worst: report.worst().copied(),
                })
            },
        )
        .collect();
    let mut report = BatchReport {
        points_checked: points,
        points_failed: 0,
        scheme: options.scheme,
        counts: Counts::default(),
        worst: None,
        failed_points: Vec::new(),
    };
    // In point order, so that ties go to the lowest index whatever the threads did.
    for (k, summary) in summaries.into_iter().enumerate() {
        let summary = summary?;
        report.counts.merge(&summary.counts);
        if summary.counts.failed > 0 {
            report.points_failed += 1;
            report.failed_points.push(k);
        }
        if let Some(w) = summary.worst
            && report
                .worst
                .as_ref()
                .is_none_or(|(_, old)| w.worse_than(old))
        {
            report.worst = Some((k, w));
        }
    }
    Ok(report)
}
