//! What a check found: the verdict of each entry, counts, the worst entry, and the
//! summaries of a single point ([`Report`]) and of a batch ([`BatchReport`]).

use super::fd::Scheme;
use core::fmt;

/// The verdict on one Jacobian entry.
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
    pub fn discrepancy(&self) -> f64 {
        (self.candidate - self.reference).abs()
    }

    /// `discrepancy / tolerance`: above 1 fails. 0 for exact agreement, infinite for a
    /// discrepancy against a zero tolerance, NaN for non-finite values.
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
pub const LISTED_FAILURES: usize = 10;

/// The result of checking one candidate Jacobian ([`super::check_jacobian`]).
///
/// [`Report::passed`] is true when no entry failed; entries that could not be judged
/// (unresolved, non-finite, non-differentiable) are counted apart and neither pass nor
/// fail. [`Report::conclusive`] is true when every entry was judged.
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
    pub fn passed(&self) -> bool {
        self.counts.failed == 0
    }

    /// Every entry was judged: none unresolved, non-finite or non-differentiable.
    pub fn conclusive(&self) -> bool {
        self.counts.unresolved == 0
            && self.counts.non_finite == 0
            && self.counts.non_differentiable == 0
    }

    /// Entries compared (n * m).
    pub fn checked(&self) -> usize {
        self.counts.total()
    }

    /// Entries that failed.
    pub fn failed(&self) -> usize {
        self.counts.failed
    }

    /// Entries finite differences could not resolve.
    pub fn unresolved(&self) -> usize {
        self.counts.unresolved
    }

    /// Entries with a non-finite candidate or reference.
    pub fn non_finite(&self) -> usize {
        self.counts.non_finite
    }

    /// Entries where f looks non-differentiable.
    pub fn non_differentiable(&self) -> usize {
        self.counts.non_differentiable
    }

    /// Every verdict's count.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The worst entry: the failure with the largest discrepancy relative to its
    /// tolerance, or, if none failed, the judged entry closest to failing. `None` when
    /// no entry could be judged.
    pub fn worst(&self) -> Option<&EntryCheck> {
        self.worst.as_ref()
    }

    /// The worst failures, worst first (at most [`LISTED_FAILURES`]).
    pub fn failures(&self) -> &[EntryCheck] {
        &self.failures
    }

    /// The scheme of the reference.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Every entry's check, row-major (`entries()[i * m + j]`).
    pub fn entries(&self) -> &[EntryCheck] {
        &self.entries
    }

    /// The Jacobian's shape (n, m).
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
    pub fn passed(&self) -> bool {
        self.points_failed == 0
    }

    /// Points checked (B).
    pub fn points_checked(&self) -> usize {
        self.points_checked
    }

    /// Points with at least one failed entry.
    pub fn points_failed(&self) -> usize {
        self.points_failed
    }

    /// The indices of the failed points, ascending.
    pub fn failed_points(&self) -> &[usize] {
        &self.failed_points
    }

    /// Verdict counts over all entries of all points.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The worst entry over the batch (as [`Report::worst`]) and its point index; the
    /// lowest point index wins a tie, so the result does not depend on threads.
    pub fn worst(&self) -> Option<(usize, &EntryCheck)> {
        self.worst.as_ref().map(|(k, e)| (*k, e))
    }

    /// The scheme of the references.
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
