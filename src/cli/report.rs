//! Short forms of the verification layer's reports for table cells.

use batchjac::verify::BatchReport;

/// The worst entry's error, for the main job's table.
pub fn worst_error(report: &BatchReport) -> String {
    format!("{:.1e}", report.worst_error)
}

/// `pass (16)` or `FAIL 2/16`.
pub fn verdict(report: &BatchReport) -> String {
    if report.passed() {
        format!("pass ({})", report.points_checked)
    } else {
        format!("FAIL {}/{}", report.points_failed, report.points_checked)
    }
}
