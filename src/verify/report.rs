//! What a check found: the verdict of each entry, counts, the worst entry, and the
//! summaries of a single point ([`Report`]) and of a batch ([`BatchReport`]).

use super::fd::Scheme;
use core::fmt;

/// The verdict on one Jacobian entry.
///
/// ```
/// use batchjac::expr::Program;
/// use batchjac::verify::{check_jacobian, Verdict};
/// // f(x) = (x0^2, |x1|): |x1| has a kink at x1 = 0.
/// let f = Program::parse("y0 = x0 * x0; y1 = abs(x1)").unwrap();
/// let report = check_jacobian(&f, &[3.0, 0.0], &[6.0, 0.0, 0.0, 1.0]).unwrap();
/// let verdicts: Vec<Verdict> = report.entries().iter().map(|e| e.verdict).collect();
/// assert_eq!(verdicts[0], Verdict::Passed); // d(x0^2)/dx0 = 6
/// assert_eq!(verdicts[3], Verdict::NonDifferentiable); // d|x1|/dx1 at 0
/// assert_eq!(Verdict::Failed.to_string(), "FAILED");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// The candidate agrees with the finite-difference reference within the tolerance,
    /// and the tolerance is tight enough to mean something (or the two agree exactly).
    Passed,
    /// The candidate differs from the reference by more than the tolerance.
    Failed,
    /// The candidate is within the tolerance, but the tolerance is too wide relative to
    /// the entry for the agreement to count: finite differences cannot resolve it.
    Unresolved,
    /// The candidate, f at a stencil node, or the reference is NaN or infinite.
    NonFinite,
    /// One-sided differences disagree as they do at a kink or a jump of f along x_j:
    /// f looks non-differentiable at (or within one step of) x.
    NonDifferentiable,
}

impl Verdict {
    /// A lowercase word for reports.
    ///
    /// ```
    /// use batchjac::verify::Verdict;
    /// assert_eq!(Verdict::NonFinite.name(), "non-finite");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Failed => "FAILED",
            Verdict::Unresolved => "unresolved",
            Verdict::NonFinite => "non-finite",
            Verdict::NonDifferentiable => "non-differentiable",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One entry of a check: where, the two values, the reference's error estimate, the
/// tolerance derived from it, and the verdict.
///
/// ```
/// use batchjac::expr::Program;
/// use batchjac::verify::{check_jacobian, Verdict};
/// let f = Program::parse("y0 = exp(x0)").unwrap();
/// let report = check_jacobian(&f, &[0.0], &[2.0]).unwrap(); // exp'(0) is 1, not 2
/// let entry = report.entries()[0];
/// assert_eq!((entry.row, entry.column, entry.verdict), (0, 0, Verdict::Failed));
/// assert!((entry.reference - 1.0).abs() <= entry.tolerance);
/// assert!(entry.discrepancy() > entry.tolerance);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EntryCheck {
    /// Output index i.
    pub row: usize,
    /// Input index j.
    pub column: usize,
    /// The candidate's d f_i / d x_j.
    pub candidate: f64,
    /// The finite-difference reference.
    pub reference: f64,
    /// The estimated absolute error of the reference.
    pub error_estimate: f64,
    /// The largest `|candidate - reference|` that passes.
    pub tolerance: f64,
    /// The verdict.
    pub verdict: Verdict,
}

impl EntryCheck {
    /// `|candidate - reference|`.
    ///
    /// ```
    /// use batchjac::verify::{EntryCheck, Verdict};
    /// let entry = EntryCheck {
    ///     row: 0, column: 0, candidate: 1.5, reference: 1.0,
    ///     error_estimate: 0.0625, tolerance: 0.125, verdict: Verdict::Failed,
    /// };
    /// assert_eq!(entry.discrepancy(), 0.5);
    /// ```
    pub fn discrepancy(&self) -> f64 {
        (self.candidate - self.reference).abs()
    }

    /// `discrepancy / tolerance`: above 1 fails. 0 for exact agreement, infinite for a
    /// discrepancy against a zero tolerance, NaN for non-finite values.
    ///
    /// ```
    /// use batchjac::verify::{EntryCheck, Verdict};
    /// let entry = EntryCheck {
    ///     row: 0, column: 0, candidate: 1.5, reference: 1.0,
    ///     error_estimate: 0.0625, tolerance: 0.125, verdict: Verdict::Failed,
    /// };
    /// assert_eq!(entry.severity(), 4.0); // 0.5 / 0.125: four times the tolerance
    /// ```
    pub fn severity(&self) -> f64 {
        let d = self.discrepancy();
        if d == 0.0 { 0.0 } else { d / self.tolerance }
    }

    /// Orders entries for "worst": failures first, then by severity. Non-finite and
    /// non-differentiable entries are never worst.
    pub(crate) fn worse_than(&self, other: &EntryCheck) -> bool {
        let rank = |e: &EntryCheck| match e.verdict {
            Verdict::Failed => 2,
            Verdict::Passed | Verdict::Unresolved => 1,
            _ => 0,
        };
        let (a, b) = (rank(self), rank(other));
        a > b || (a == b && self.severity() > other.severity())
    }
}

impl fmt::Display for EntryCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "J[{}][{}]: candidate {:.9e}, reference {:.9e} (estimated error {:.1e}), \
             |difference| {:.2e}, tolerance {:.2e}: {}",
            self.row,
            self.column,
            self.candidate,
            self.reference,
            self.error_estimate,
            self.discrepancy(),
            self.tolerance,
            self.verdict
        )
    }
}

/// How many entries got each verdict.
///
/// ```
/// use batchjac::expr::Program;
/// use batchjac::verify::{check_jacobian, Counts};
/// // J = (x1, x0) = (3, 2) at (2, 3); the candidate's second entry is wrong.
/// let f = Program::parse("y0 = x0 * x1").unwrap();
/// let counts = check_jacobian(&f, &[2.0, 3.0], &[3.0, 5.0]).unwrap().counts();
/// assert_eq!(counts, Counts { passed: 1, failed: 1, ..Counts::default() });
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// [`Verdict::Passed`].
    pub passed: usize,
    /// [`Verdict::Failed`].
    pub failed: usize,
    /// [`Verdict::Unresolved`].
    pub unresolved: usize,
    /// [`Verdict::NonFinite`].
    pub non_finite: usize,
    /// [`Verdict::NonDifferentiable`].
    pub non_differentiable: usize,
}

impl Counts {
    /// Counts one verdict.
    pub(crate) fn add(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Passed => self.passed += 1,
            Verdict::Failed => self.failed += 1,
            Verdict::Unresolved => self.unresolved += 1,
            Verdict::NonFinite => self.non_finite += 1,
            Verdict::NonDifferentiable => self.non_differentiable += 1,
        }
    }

    /// Adds another tally.
    pub(crate) fn merge(&mut self, other: &Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.unresolved += other.unresolved;
        self.non_finite += other.non_finite;
        self.non_differentiable += other.non_differentiable;
    }

    /// All entries counted.
    ///
    /// ```
    /// use batchjac::verify::Counts;
    /// let counts = Counts { passed: 3, unresolved: 1, ..Counts::default() };
    /// assert_eq!(counts.total(), 4);
    /// ```
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.unresolved + self.non_finite + self.non_differentiable
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} entries: {} passed, {} failed, {} unresolved, {} non-finite, {} non-differentiable",
            self.total(),
            self.passed,
            self.failed,
            self.unresolved,
            self.non_finite,
            self.non_differentiable
        )
    }
}

/// How many failed entries a [`Report`] lists (the worst ones).
///
/// ```
/// use batchjac::expr::Program;
/// use batchjac::verify::{check_jacobian, LISTED_FAILURES};
/// // Every entry of this 1 x 12 Jacobian is 1; a candidate of 2s fails all twelve.
/// let f = Program::parse("y0 = x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11")
///     .unwrap();
/// let report = check_jacobian(&f, &[0.5; 12], &[2.0; 12]).unwrap();
/// assert_eq!(report.failed(), 12);
/// assert_eq!(report.failures().len(), LISTED_FAILURES);
/// ```
pub const LISTED_FAILURES: usize = 10;

/// The result of checking one candidate Jacobian ([`super::check_jacobian`]).
///
/// [`Report::passed`] is true when no entry failed; entries that could not be judged
/// (unresolved, non-finite, non-differentiable) are counted apart and neither pass nor
/// fail. [`Report::conclusive`] is true when every entry was judged.
///
/// ```
/// use batchjac::verify::{check_jacobian, Scheme};
/// use batchjac::{Real, VectorFn};
/// /// f(x) = (x0 x1, sin x0)
/// struct F;
/// impl VectorFn for F {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 2 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
///         y[0] = x[0] * x[1];
///         y[1] = x[0].sin();
///     }
/// }
/// let x = [0.7f64, -1.3];
/// let wrong = [x[1], x[0], -x[0].cos(), 0.0]; // sign error in J[1][0]
/// let report = check_jacobian(&F, &x, &wrong).unwrap();
/// assert!(!report.passed() && report.conclusive());
/// assert_eq!((report.shape(), report.checked(), report.failed()), ((2, 2), 4, 1));
/// assert_eq!(report.scheme(), Scheme::FourthOrder);
/// let worst = report.worst().unwrap();
/// assert_eq!((worst.row, worst.column), (1, 0));
/// assert_eq!(report.failures(), &[*worst]);
/// assert_eq!(report.entries()[2], *worst); // row-major: entry (1, 0) of a 2 x 2 J
/// println!("{report}");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub(crate) rows: usize,
    pub(crate) columns: usize,
    pub(crate) scheme: Scheme,
    pub(crate) counts: Counts,
    pub(crate) worst: Option<EntryCheck>,
    /// The worst failures, worst first, at most [`LISTED_FAILURES`].
    pub(crate) failures: Vec<EntryCheck>,
    /// Every entry, row-major (empty inside batch checks, which keep only summaries).
    pub(crate) entries: Vec<EntryCheck>,
}

impl Report {
    /// No entry failed.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_jacobian;
    ///
    /// let f = Program::parse("y0 = x0 * x0").unwrap();
    /// assert!(check_jacobian(&f, &[3.0], &[6.0]).unwrap().passed());
    /// assert!(!check_jacobian(&f, &[3.0], &[5.0]).unwrap().passed());
    /// ```
    pub fn passed(&self) -> bool {
        self.counts.failed == 0
    }

    /// Every entry was judged: none unresolved, non-finite or non-differentiable.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_jacobian;
    ///
    /// // |x| at 0: no entry fails, but the kink cannot be judged.
    /// let f = Program::parse("y0 = abs(x0)").unwrap();
    /// let report = check_jacobian(&f, &[0.0], &[1.0]).unwrap();
    /// assert!(report.passed() && !report.conclusive());
    /// ```
    pub fn conclusive(&self) -> bool {
        self.counts.unresolved == 0
            && self.counts.non_finite == 0
            && self.counts.non_differentiable == 0
    }

    /// Entries compared (n * m).
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_jacobian;
    ///
    /// let f = Program::parse("y0 = x0 * x1; y1 = x2").unwrap(); // n = 2, m = 3
    /// let report = check_jacobian(&f, &[1.0, 2.0, 3.0], &[2.0, 1.0, 0.0, 0.0, 0.0, 1.0]).unwrap();
    /// assert_eq!(report.checked(), 6);
    /// ```
    pub fn checked(&self) -> usize {
        self.counts.total()
    }

    /// Entries that failed.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_jacobian;
    ///
    /// let f = Program::parse("y0 = x0 * x1").unwrap(); // J = (x1, x0)
    /// let report = check_jacobian(&f, &[2.0, 3.0], &[2.0, 3.0]).unwrap(); // transposed
    /// assert_eq!(report.failed(), 2);
    /// ```
    pub fn failed(&self) -> usize {
        self.counts.failed
    }

    /// Entries finite differences could not resolve.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_jacobian;
    ///
    /// // Rounding f = x + 1e9 (about 1e-7) over a step of about 1e-3 hides the slope 1.
    /// let f = Program::parse("y0 = x0 + 1e9").unwrap();
    /// let report = check_jacobian(&f, &[0.5], &[1.0]).unwrap();
    /// assert_eq!((report.unresolved(), report.failed()), (1, 0));
    /// ```
    pub fn unresolved(&self) -> usize {
        self.counts.unresolved
    }

    /// Entries with a non-finite candidate or reference.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_jacobian;
    ///
    /// let f = Program::parse("y0 = x0 * x0").unwrap();
    /// let report = check_jacobian(&f, &[3.0], &[f64::NAN]).unwrap();
    /// assert_eq!(report.non_finite(), 1);
    /// ```
    pub fn non_finite(&self) -> usize {
        self.counts.non_finite
    }

    /// Entries where f looks non-differentiable.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_jacobian;
    ///
    /// let f = Program::parse("y0 = max(x0, x1)").unwrap(); // a kink where x0 = x1
    /// let report = check_jacobian(&f, &[1.0, 1.0], &[1.0, 0.0]).unwrap();
    /// assert_eq!(report.non_differentiable(), 2);
    /// ```
    pub fn non_differentiable(&self) -> usize {
        self.counts.non_differentiable
    }

    /// Every verdict's count.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_jacobian;
    ///
    /// let f = Program::parse("y0 = x0 * x0").unwrap();
    /// let counts = check_jacobian(&f, &[3.0], &[6.0]).unwrap().counts();
    /// assert_eq!((counts.passed, counts.total()), (1, 1));
    /// ```
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The worst entry: the failure with the largest discrepancy relative to its
    /// tolerance, or, if none failed, the judged entry closest to failing (the first in
    /// row-major order on a tie). `None` when no entry could be judged.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_jacobian;
    ///
    /// let f = Program::parse("y0 = x0 * x1; y1 = x1").unwrap();
    /// let report = check_jacobian(&f, &[2.0, 3.0], &[3.0, 2.0, 0.0, 1.5]).unwrap();
    /// let worst = report.worst().unwrap();
    /// assert_eq!((worst.row, worst.column, worst.candidate), (1, 1, 1.5));
    /// ```
    pub fn worst(&self) -> Option<&EntryCheck> {
        self.worst.as_ref()
    }

    /// The worst failures, worst first (at most [`LISTED_FAILURES`]).
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_jacobian;
    ///
    /// // Two wrong entries, the second much further off: it is listed first.
    /// let f = Program::parse("y0 = x0; y1 = x0").unwrap();
    /// let report = check_jacobian(&f, &[1.0], &[1.5, 9.0]).unwrap();
    /// let rows: Vec<usize> = report.failures().iter().map(|e| e.row).collect();
    /// assert_eq!(rows, [1, 0]);
    /// ```
    pub fn failures(&self) -> &[EntryCheck] {
        &self.failures
    }

    /// The scheme of the reference.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::{check_jacobian_with, CheckOptions, Scheme};
    /// let f = Program::parse("y0 = x0 * x0").unwrap();
    /// let options = CheckOptions { scheme: Scheme::Central, ..CheckOptions::default() };
    /// let report = check_jacobian_with(&f, &[3.0], &[6.0], &options).unwrap();
    /// assert_eq!(report.scheme(), Scheme::Central);
    /// ```
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Every entry's check, row-major (`entries()[i * m + j]`).
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_jacobian;
    ///
    /// let f = Program::parse("y0 = x0 * x1").unwrap();
    /// let report = check_jacobian(&f, &[2.0, 3.0], &[3.0, 2.0]).unwrap();
    /// assert_eq!(report.entries()[1].column, 1);
    /// assert!((report.entries()[1].reference - 2.0).abs() < 1e-9);
    /// ```
    pub fn entries(&self) -> &[EntryCheck] {
        &self.entries
    }

    /// The Jacobian's shape (n, m).
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_jacobian;
    ///
    /// let f = Program::parse("y0 = x0 * x1 * x2; y1 = x0").unwrap();
    /// let report = check_jacobian(&f, &[1.0, 2.0, 3.0], &[6.0, 3.0, 2.0, 1.0, 0.0, 0.0]).unwrap();
    /// assert_eq!(report.shape(), (2, 3));
    /// ```
    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.columns)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Jacobian check ({} x {}, {} differences): {}",
            self.rows,
            self.columns,
            self.scheme,
            if self.passed() { "PASSED" } else { "FAILED" }
        )?;
        write!(f, "  {}", self.counts)?;
        if let Some(worst) = &self.worst {
            write!(f, "\n  worst {worst}")?;
        }
        for failure in self.failures.iter().skip(1) {
            write!(f, "\n  also  {failure}")?;
        }
        if self.counts.failed > self.failures.len() {
            write!(
                f,
                "\n  ... and {} more failed entries",
                self.counts.failed - self.failures.len()
            )?;
        }
        Ok(())
    }
}

/// The result of checking a batch of candidate Jacobians ([`super::check_batch`]).
///
/// ```
/// use batchjac::expr::Program;
/// use batchjac::verify::{check_batch, Scheme};
/// let f = Program::parse("y0 = sin(x0)").unwrap();
/// let xs = [0.0, 1.0, 2.0, 3.0]; // four points, m = 1
/// let mut jacs: Vec<f64> = xs.iter().map(|x: &f64| x.cos()).collect();
/// jacs[2] = -jacs[2]; // a sign error at point 2
/// let report = check_batch(&f, &xs, &jacs).unwrap();
/// assert!(!report.passed());
/// assert_eq!((report.points_checked(), report.points_failed()), (4, 1));
/// assert_eq!(report.failed_points(), &[2]);
/// assert_eq!((report.counts().passed, report.counts().failed), (3, 1));
/// assert_eq!(report.worst().map(|(k, e)| (k, e.row, e.column)), Some((2, 0, 0)));
/// assert_eq!(report.scheme(), Scheme::FourthOrder);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct BatchReport {
    pub(crate) points_checked: usize,
    pub(crate) points_failed: usize,
    pub(crate) scheme: Scheme,
    pub(crate) counts: Counts,
    pub(crate) worst: Option<(usize, EntryCheck)>,
    pub(crate) failed_points: Vec<usize>,
}

impl BatchReport {
    /// No entry of any point failed.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_batch;
    ///
    /// let f = Program::parse("y0 = x0 * x0").unwrap();
    /// assert!(check_batch(&f, &[1.0, 2.0], &[2.0, 4.0]).unwrap().passed());
    /// ```
    pub fn passed(&self) -> bool {
        self.points_failed == 0
    }

    /// Points checked (B).
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_batch;
    ///
    /// let f = Program::parse("y0 = x0 * x1").unwrap(); // m = 2: six numbers are three points
    /// let (xs, jacs) = ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0]);
    /// let report = check_batch(&f, &xs, &jacs).unwrap();
    /// assert_eq!(report.points_checked(), 3);
    /// ```
    pub fn points_checked(&self) -> usize {
        self.points_checked
    }

    /// Points with at least one failed entry.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_batch;
    ///
    /// let f = Program::parse("y0 = x0 * x0").unwrap();
    /// let report = check_batch(&f, &[1.0, 2.0, 3.0], &[2.0, 5.0, 7.0]).unwrap();
    /// assert_eq!(report.points_failed(), 2);
    /// ```
    pub fn points_failed(&self) -> usize {
        self.points_failed
    }

    /// The indices of the failed points, ascending.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_batch;
    ///
    /// let f = Program::parse("y0 = x0 * x0").unwrap();
    /// let report = check_batch(&f, &[1.0, 2.0, 3.0], &[2.0, 5.0, 7.0]).unwrap();
    /// assert_eq!(report.failed_points(), &[1, 2]);
    /// ```
    pub fn failed_points(&self) -> &[usize] {
        &self.failed_points
    }

    /// Verdict counts over all entries of all points.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_batch;
    ///
    /// let f = Program::parse("y0 = x0 * x1").unwrap(); // two entries per point
    /// let report = check_batch(&f, &[1.0, 2.0, 3.0, 4.0], &[2.0, 1.0, 4.0, 0.0]).unwrap();
    /// assert_eq!((report.counts().total(), report.counts().failed), (4, 1));
    /// ```
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The worst entry over the batch (as [`Report::worst`]) and its point index; the
    /// lowest point index wins a tie, so the result does not depend on threads.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::check_batch;
    ///
    /// let f = Program::parse("y0 = x0 * x0").unwrap();
    /// // Points 1 and 2 fail; point 2 is off by far more than point 1.
    /// let report = check_batch(&f, &[1.0, 2.0, 3.0], &[2.0, 4.1, 60.0]).unwrap();
    /// let (point, entry) = report.worst().unwrap();
    /// assert_eq!((point, entry.candidate), (2, 60.0));
    /// ```
    pub fn worst(&self) -> Option<(usize, &EntryCheck)> {
        self.worst.as_ref().map(|(k, e)| (*k, e))
    }

    /// The scheme of the references.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::{check_batch, Scheme};
    /// let f = Program::parse("y0 = x0 * x0").unwrap();
    /// assert_eq!(check_batch(&f, &[1.0], &[2.0]).unwrap().scheme(), Scheme::FourthOrder);
    /// ```
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }
}

impl fmt::Display for BatchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Batch Jacobian check ({} points, {} differences): {}, {} points failed",
            self.points_checked,
            self.scheme,
            if self.passed() { "PASSED" } else { "FAILED" },
            self.points_failed
        )?;
        write!(f, "  {}", self.counts)?;
        if let Some((k, worst)) = &self.worst {
            write!(f, "\n  worst at point {k}: {worst}")?;
        }
        if !self.failed_points.is_empty() {
            let shown: Vec<String> = self
                .failed_points
                .iter()
                .take(20)
                .map(|k| k.to_string())
                .collect();
            let more = if self.failed_points.len() > 20 {
                ", ..."
            } else {
                ""
            };
            write!(f, "\n  failed points: {}{more}", shown.join(", "))?;
        }
        Ok(())
    }
}
