//! Checking a hand-written Jacobian before trusting it, with `verify::check_jacobian`
//! (finite differences with error bounds) and `verify::taylor_test` (the remainder of
//! the linear model must shrink like |h|^2).
//!
//! The function is the forward kinematics of a planar two-link arm: joint angles
//! (q1, q2) to the hand's position (x, y). Two hand-written Jacobians are checked: a
//! right one, and one with the classic chain-rule slip (dx/dq1 forgets that the second
//! link turns with q1). The checks pass the first and catch the second, naming the
//! wrong entry; the reports are printed. The example exits non-zero if either check
//! judges either Jacobian wrongly.
//!
//! `cargo run --release --example check_hand_written`

use batchjac::verify::{TaylorOptions, check_jacobian, taylor_test};
use batchjac::{Real, VectorFn};

const L1: f64 = 1.0;
const L2: f64 = 0.7;

/// (q1, q2) -> (x, y) = (L1 cos q1 + L2 cos(q1 + q2), L1 sin q1 + L2 sin(q1 + q2)).
struct TwoLinkArm;

impl VectorFn for TwoLinkArm {
    fn inputs(&self) -> usize {
        2
    }
    fn outputs(&self) -> usize {
        2
    }
    fn eval<R: Real>(&self, q: &[R], y: &mut [R]) {
        let q12 = q[0] + q[1];
        y[0] = q[0].cos().scale(L1) + q12.cos().scale(L2);
        y[1] = q[0].sin().scale(L1) + q12.sin().scale(L2);
    }
}

/// The Jacobian as derived by hand (2 x 2, row-major).
fn hand_written(q: &[f64]) -> [f64; 4] {
    let (s1, c1) = q[0].sin_cos();
    let (s12, c12) = (q[0] + q[1]).sin_cos();
    [-L1 * s1 - L2 * s12, -L2 * s12, L1 * c1 + L2 * c12, L2 * c12]
}

/// The same with a bug: dx/dq1 misses the second link's term -L2 sin(q1 + q2).
fn hand_written_with_bug(q: &[f64]) -> [f64; 4] {
    let mut jac = hand_written(q);
    jac[0] = -L1 * q[0].sin();
    jac
}

fn main() {
    let q = [0.4, 1.1];
    let mut failed = Vec::new();

    for (name, candidate, should_pass) in [
        ("right", hand_written(&q), true),
        ("with a bug in dx/dq1", hand_written_with_bug(&q), false),
    ] {
        println!("=== hand-written Jacobian, {name}: {candidate:?}");
        let report = check_jacobian(&TwoLinkArm, &q, &candidate).expect("dimensions match");
        println!("--- check_jacobian (finite differences)\n{report}");
        let taylor = taylor_test(&TwoLinkArm, &q, &candidate, &TaylorOptions::default())
            .expect("dimensions match");
        println!("--- taylor_test\n{taylor}\n");

        if report.passed() != should_pass {
            failed.push(format!("check_jacobian judged the {name} Jacobian wrongly"));
        }
        if taylor.passed() != should_pass {
            failed.push(format!("taylor_test judged the {name} Jacobian wrongly"));
        }
        if !should_pass {
            match report.worst() {
                Some(worst) if (worst.row, worst.column) == (0, 0) => println!(
                    "check_jacobian names the wrong entry: row {}, column {}\n",
                    worst.row, worst.column
                ),
                other => failed.push(format!("the worst entry should be (0, 0), got {other:?}")),
            }
        }
    }

    if failed.is_empty() {
        println!("ok: the right Jacobian passes both checks, the one with the bug fails both");
    } else {
        for f in &failed {
            eprintln!("FAILED: {f}");
        }
        std::process::exit(1);
    }
}
