//! Short forms of the verification layer's reports for table cells.

use batchjac::verify::BatchReport;

/// The worst entry's |AD - FD| relative to the largest of |FD| and 1e-300 (so that an
/// exact zero reference does not divide by zero), e.g. `3.1e-11`; `-` when no entry
/// could be judged.
pub fn worst_relative(report: &BatchReport) -> String {
    match report.worst() {
        Some((_, entry)) => {
            format!(
                "{:.1e}",
                entry.discrepancy() / entry.reference.abs().max(1e-300)
            )
        }
        None => "-".to_string(),
    }
}

/// The worst entry's |AD - FD| as a fraction of its tolerance (the verification layer's
/// bound from the finite differences' error estimate; above 1 fails), e.g. `0.021`.
pub fn worst_of_tolerance(report: &BatchReport) -> String {
    match report.worst() {
        Some((_, entry)) => format!("{:.2}", entry.severity()),
        None => "-".to_string(),
    }
}

/// `pass (16 points)` or `FAIL 2/16 points`, and how many entries finite differences
/// could not resolve (neither passed nor failed; robertson's 6e7-scale rows).
pub fn verdict(report: &BatchReport) -> String {
    let mut text = if report.passed() {
        format!("pass ({} points)", report.points_checked())
    } else {
        format!(
            "FAIL {}/{} points",
            report.points_failed(),
            report.points_checked()
        )
    };
    let unresolved = report.counts().unresolved;
    if unresolved > 0 {
        text += &format!(", {unresolved} entries unresolved");
    }
    text
}
