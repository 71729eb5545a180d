//! The verification layer (issue 4): no false alarms on the suite, planted errors caught
//! and named, step rules accurate against the analytic Jacobians, badly scaled entries
//! reported as unresolved, Taylor orders, f32, non-finite and non-differentiable points,
//! and errors for bad input. References are the hand-written Jacobians of src/suite.rs
//! and closed forms, never the code under test.

use batchjac::suite::{Analytic, SuiteFunction};
use batchjac::verify::{
    CheckOptions, Scheme, TaylorOptions, Verdict, check_batch, check_batch_with, check_jacobian,
    check_jacobian_with, fd_jacobian, taylor_test,
};
use batchjac::{Error, Real, Value, VectorFn, jacobian, jacobian_batch};

/// Points per suite function, as the issue asks.
const POINTS: usize = 64;

fn ad_jacobian<F: VectorFn>(f: &F, x: &[f64]) -> Vec<f64> {
    let mut jac = vec![0.0; f.inputs() * f.outputs()];
    jacobian(f, x, &mut jac).unwrap();
    jac
}

fn analytic_jacobian(f: &SuiteFunction, x: &[f64]) -> Vec<f64> {
    let mut jac = vec![0.0; f.inputs() * f.outputs()];
    f.analytic_jacobian(x, &mut jac);
    jac
}

fn point(f: &SuiteFunction, k: usize) -> Vec<f64> {
    let mut x = vec![0.0; f.inputs()];
    f.point(k, &mut x);
    x
}

/// The largest |J_ij| of row i.
fn row_scale(jac: &[f64], m: usize, i: usize) -> f64 {
    jac[i * m..(i + 1) * m]
        .iter()
        .fold(0.0f64, |a, v| a.max(v.abs()))
}

#[test]
fn no_false_alarm_on_any_suite_function_with_the_ad_jacobians() {
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        let xs = f.points(POINTS);
        // The batch engine's Jacobians (it runs the same kernel as `jacobian`).
        let mut candidates = vec![0.0; POINTS * n * m];
        jacobian_batch(&f, &xs, &mut candidates).unwrap();
        for scheme in Scheme::ALL {
            let options = CheckOptions {
                scheme,
                ..CheckOptions::default()
            };
            let report = check_batch_with(&f, &xs, &candidates, &options).unwrap();
            assert!(report.passed(), "{} ({scheme}):\n{report}", f.name());
            assert_eq!(report.scheme(), scheme);
            let counts = report.counts();
            assert_eq!(counts.total(), POINTS * n * m);
            assert_eq!(counts.non_finite + counts.non_differentiable, 0, "{report}");
            // Every suite function but robertson is well enough scaled that fourth-order
            // differences resolve every entry.
            if scheme == Scheme::FourthOrder && f.name() != "robertson" {
                assert_eq!(counts.unresolved, 0, "{} {report}", f.name());
            }
        }
    }
}

#[test]
fn single_point_checks_agree_with_the_batch_summary() {
    let f = SuiteFunction::by_name("mlp").unwrap();
    let (m, n) = (f.inputs(), f.outputs());
    let xs = f.points(8);
    let mut candidates = vec![0.0; 8 * n * m];
    let mut worst = 0.0f64;
    for (x, jac) in xs.chunks(m).zip(candidates.chunks_mut(n * m)) {
        jacobian(&f, x, jac).unwrap();
        let report = check_jacobian(&f, x, jac).unwrap();
        assert!(report.passed() && report.conclusive(), "{report}");
        assert_eq!(report.entries().len(), n * m);
        // Nothing failed, so no "... and N more failed entries" line.
        assert!(!report.to_string().contains("more failed"), "{report}");
        worst = worst.max(report.worst().unwrap().severity());
    }
    let batch = check_batch(&f, &xs, &candidates).unwrap();
    assert_eq!(batch.worst().unwrap().1.severity(), worst);
}

#[test]
fn one_entry_wrong_by_1e_6_relative_fails_and_is_named() {
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        for k in 0..4 {
            let x = point(&f, k);
            let mut candidate = ad_jacobian(&f, &x);
            // A well-scaled entry: the largest of a row chosen by k.
            let i = (k * 5) % n;
            let j = (0..m)
                .max_by(|&a, &b| {
                    candidate[i * m + a]
                        .abs()
                        .total_cmp(&candidate[i * m + b].abs())
                })
                .unwrap();
            candidate[i * m + j] *= 1.0 + 1e-6;
            let report = check_jacobian(&f, &x, &candidate).unwrap();
            assert!(
                !report.passed(),
                "{} point {k} J[{i}][{j}]:\n{report}",
                f.name()
            );
            assert_eq!(report.failed(), 1, "{report}");
            let worst = report.worst().unwrap();
            assert_eq!((worst.row, worst.column), (i, j), "{report}");
            assert_eq!(worst.verdict, Verdict::Failed);
            assert_eq!(worst.candidate, candidate[i * m + j]);
            assert!(worst.discrepancy() > worst.tolerance);
            assert_eq!(report.failures().len(), 1);
            let text = report.to_string();
            assert!(
                text.contains("FAILED") && text.contains(&format!("J[{i}][{j}]")),
                "{text}"
            );
        }
    }
}

/// arm7's d y_0 / d x_0 = -sum_k l_k sin(theta_k); the candidate forgets the last link.
fn arm7_missing_a_term(x: &[f64]) -> Vec<f64> {
    let f = SuiteFunction::by_name("arm7").unwrap();
    let mut jac = analytic_jacobian(&f, x);
    let theta_6: f64 = x.iter().sum();
    let l_6 = 1.0 / (1.0 + 0.25 * 6.0);
    jac[0] += l_6 * theta_6.sin();
    jac
}

#[test]
fn a_jacobian_missing_a_term_fails() {
    let f = SuiteFunction::by_name("arm7").unwrap();
    for k in 0..8 {
        let x = point(&f, k);
        let report = check_jacobian(&f, &x, &arm7_missing_a_term(&x)).unwrap();
        assert!(!report.passed(), "{report}");
        let worst = report.worst().unwrap();
        assert_eq!((worst.row, worst.column), (0, 0), "{report}");
        assert_eq!(report.failed(), 1);
    }
}

#[test]
fn taylor_orders_are_two_for_right_and_one_for_wrong_jacobians() {
    let options = TaylorOptions::default();
    for f in SuiteFunction::all() {
        for k in [0, 7] {
            let x = point(&f, k);
            let right = taylor_test(&f, &x, &analytic_jacobian(&f, &x), &options).unwrap();
            assert!(right.passed(), "{}: {right}", f.name());
            // Every suite function has a curved output, so some order is observed.
            assert!(
                (right.min_order() - 2.0).abs() < 0.2,
                "{}: {right}",
                f.name()
            );
            let ad = taylor_test(&f, &x, &ad_jacobian(&f, &x), &options).unwrap();
            assert!(ad.passed(), "{}: {ad}", f.name());
        }
    }
    let f = SuiteFunction::by_name("arm7").unwrap();
    for k in 0..4 {
        let x = point(&f, k);
        let wrong = taylor_test(&f, &x, &arm7_missing_a_term(&x), &options).unwrap();
        assert!(!wrong.passed(), "{wrong}");
        assert!((wrong.min_order() - 1.0).abs() < 0.1, "{wrong}");
        let (_, output, _) = wrong.worst().unwrap();
        assert_eq!(output, 0, "only y_0's row is wrong: {wrong}");
        assert!(wrong.to_string().contains("FAILED"));
    }
}

#[test]
fn taylor_test_passes_a_linear_function_whose_remainder_vanishes() {
    struct Affine;
    impl VectorFn for Affine {
        fn inputs(&self) -> usize {
            2
        }
        fn outputs(&self) -> usize {
            2
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            y[0] = x[0].scale(2.0) - x[1].scale(3.0);
            y[1] = x[1] + R::from_f64(0.5);
        }
    }
    let x = [0.3, -1.7];
    let report = taylor_test(
        &Affine,
        &x,
        &[2.0, -3.0, 0.0, 1.0],
        &TaylorOptions::default(),
    )
    .unwrap();
    assert!(report.passed(), "{report}");
    assert_eq!(report.min_order(), f64::INFINITY);
    let text = report.to_string();
    let summary = text.lines().next().unwrap();
    assert!(
        summary.ends_with("PASSED: every remainder at rounding level"),
        "{text}"
    );
    assert!(!text.contains("not finite"), "{text}");
    let wrong = taylor_test(
        &Affine,
        &x,
        &[2.0, -3.0, 0.0, 1.1],
        &TaylorOptions::default(),
    )
    .unwrap();
    assert!(
        !wrong.passed() && (wrong.min_order() - 1.0).abs() < 0.05,
        "{wrong}"
    );
}

#[test]
fn central_and_fourth_order_differences_meet_their_accuracy() {
    // Relative to the largest entry of each row: forward 1e-5 (eps^(1/2) ~ 1.5e-8 times
    // the curvature), central 1e-8 and fourth order 1e-11 (the targets). The
    // fourth-order scheme is limited by rounding, eps |f_i| / h, so where |f_i| exceeds
    // the row's largest entry (mlp: softmax values ~0.25, their slopes ~0.004) its
    // target is relative to |f_i| instead; measured worst for mlp over these points:
    // 2.2e-11 of the row scale (all others below 1e-11).
    let targets = [
        (Scheme::Forward, 1e-5),
        (Scheme::Central, 1e-8),
        (Scheme::FourthOrder, 1e-11),
    ];
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        let mut worst = [0.0f64; 3];
        for k in 0..POINTS {
            let x = point(&f, k);
            let exact = analytic_jacobian(&f, &x);
            let mut values = vec![0.0; n];
            f.eval(&x, &mut values);
            for (s, (scheme, target)) in targets.into_iter().enumerate() {
                let (mut fd, mut error) = (vec![0.0; n * m], vec![0.0; n * m]);
                fd_jacobian(&f, &x, scheme, &mut fd, Some(&mut error)).unwrap();
                let mut plain = vec![0.0; n * m];
                fd_jacobian(&f, &x, scheme, &mut plain, None).unwrap();
                for i in 0..n {
                    let scale = row_scale(&exact, m, i);
                    let allowed = if scheme == Scheme::FourthOrder {
                        scale.max(values[i].abs())
                    } else {
                        scale
                    };
                    for j in 0..m {
                        let e = (fd[i * m + j] - exact[i * m + j]).abs();
                        worst[s] = worst[s].max(e / scale);
                        assert!(
                            e <= target * allowed,
                            "{} {scheme} point {k} J[{i}][{j}]: error {e:e}, row scale {scale:e}",
                            f.name()
                        );
                        // The error estimate is honest within the checks' safety factor.
                        assert!(
                            e <= 10.0 * error[i * m + j],
                            "{} {scheme} point {k} J[{i}][{j}]: error {e:e}, estimate {:e}",
                            f.name(),
                            error[i * m + j]
                        );
                        // Without the estimate, the minimal stencil gives the same
                        // formula on the same nodes.
                        assert_eq!(plain[i * m + j], fd[i * m + j]);
                    }
                }
            }
        }
        println!(
            "{:15} worst error / row scale: forward {:.1e}, central {:.1e}, fourth {:.1e}",
            f.name(),
            worst[0],
            worst[1],
            worst[2]
        );
    }
}

#[test]
fn robertson_reports_unresolved_entries_instead_of_false_alarms() {
    let f = SuiteFunction::by_name("robertson").unwrap();
    let (m, n) = (3, 3);
    let mut unresolved_total = 0;
    for k in 0..POINTS {
        let x = point(&f, k);
        let exact = analytic_jacobian(&f, &x);
        for scheme in Scheme::ALL {
            let options = CheckOptions {
                scheme,
                ..CheckOptions::default()
            };
            let report = check_jacobian_with(&f, &x, &exact, &options).unwrap();
            assert!(report.passed(), "{report}");
            for entry in report.entries() {
                let (i, j) = (entry.row, entry.column);
                let relative = exact[i * m + j].abs() / row_scale(&exact, m, i);
                match entry.verdict {
                    // Only entries far below their row's scale (0.04 and 1e4 x_1 in a
                    // row of 6e7) are beyond finite differences.
                    Verdict::Unresolved => {
                        unresolved_total += 1;
                        assert!(relative < 1e-2, "{scheme} {entry}");
                    }
                    Verdict::Passed => {}
                    other => panic!("{scheme} point {k}: {other} at {entry}"),
                }
            }
            // The dominant entry of the stiff row is always resolved.
            assert_eq!(report.entries()[m + 1].verdict, Verdict::Passed);
        }
        // The 0.04 in the row of 3e7 is never resolved in f64.
        let report = check_jacobian(&f, &x, &exact).unwrap();
        assert_eq!(report.entries()[m].verdict, Verdict::Unresolved, "{report}");
        assert!(report.to_string().contains("unresolved"));
        let _ = n;
    }
    assert!(unresolved_total > 0);
    // A gross error in an unresolved entry still fails: the tolerance is wide, not
    // infinite.
    let x = point(&f, 0);
    let mut wrong = analytic_jacobian(&f, &x);
    wrong[m] = 40.0;
    let report = check_jacobian(&f, &x, &wrong).unwrap();
    assert!(!report.passed(), "{report}");
    assert_eq!(
        (report.worst().unwrap().row, report.worst().unwrap().column),
        (1, 0)
    );
}

#[test]
fn f32_finite_differences_and_checks_work() {
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        for k in 0..8 {
            let x = point(&f, k);
            let exact = analytic_jacobian(&f, &x);
            let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
            // The reference at the f32-rounded point, so that only the differences' own
            // error is measured.
            let x_rounded: Vec<f64> = x32.iter().map(|&v| f64::from(v)).collect();
            let exact_rounded = analytic_jacobian(&f, &x_rounded);
            let (mut fd, mut error) = (vec![0f32; n * m], vec![0f32; n * m]);
            fd_jacobian(&f, &x32, Scheme::FourthOrder, &mut fd, Some(&mut error)).unwrap();
            for i in 0..n {
                let scale = row_scale(&exact, m, i);
                for j in 0..m {
                    let e = (f64::from(fd[i * m + j]) - exact_rounded[i * m + j]).abs();
                    // f32 eps^(4/5) ~ 3e-6 relative to |f|; mlp's rows are ~1/60 of its
                    // values (softmax probabilities vs their slopes), so 1e-3 of the row.
                    assert!(
                        e <= 1e-3 * scale,
                        "{} f32 J[{i}][{j}]: {e:e} vs {scale:e}",
                        f.name()
                    );
                    assert!(e <= 10.0 * f64::from(error[i * m + j]) + 1e-7 * scale);
                }
            }
            let mut ad32 = vec![0f32; n * m];
            jacobian(&f, &x32, &mut ad32).unwrap();
            let report = check_jacobian_with(&f, &x32, &ad32, &CheckOptions::default()).unwrap();
            assert!(report.passed(), "{} f32: {report}", f.name());
        }
    }
    // A 1e-2 relative error in f32 is caught.
    let f = SuiteFunction::by_name("trigonometric").unwrap();
    let x32: Vec<f32> = point(&f, 1).iter().map(|&v| v as f32).collect();
    let mut ad32 = vec![0f32; 256];
    jacobian(&f, &x32, &mut ad32).unwrap();
    ad32[17] *= 1.01;
    let report = check_jacobian_with(&f, &x32, &ad32, &CheckOptions::default()).unwrap();
    assert!(!report.passed());
    assert_eq!(report.worst().map(|w| (w.row, w.column)), Some((1, 1)));
}

/// f(x) = (sqrt(x0), x0 x1): not finite for x0 < 0 in its first output only.
struct SqrtAndProduct;
impl VectorFn for SqrtAndProduct {
    fn inputs(&self) -> usize {
        2
    }
    fn outputs(&self) -> usize {
        2
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] = x[0].sqrt();
        y[1] = x[0] * x[1];
    }
}

#[test]
fn non_finite_values_are_reported_as_such() {
    let x = [-1.0, 2.0];
    let candidate = [f64::NAN, f64::NAN, 2.0, -1.0];
    let report = check_jacobian(&SqrtAndProduct, &x, &candidate).unwrap();
    assert_eq!(report.non_finite(), 2, "{report}");
    assert_eq!(report.counts().passed, 2);
    assert!(report.passed() && !report.conclusive());
    assert!(report.to_string().contains("2 non-finite"));
    let (mut fd, mut error) = ([0.0; 4], [0.0; 4]);
    fd_jacobian(
        &SqrtAndProduct,
        &x,
        Scheme::Central,
        &mut fd,
        Some(&mut error),
    )
    .unwrap();
    assert!(error[0].is_infinite() && error[1].is_infinite() && error[2].is_finite());
    // A non-finite candidate where f is fine is not counted as a pass either.
    let x = [4.0, 2.0];
    let candidate = [0.25, 0.0, f64::INFINITY, 4.0];
    let report = check_jacobian(&SqrtAndProduct, &x, &candidate).unwrap();
    assert_eq!(report.entries()[2].verdict, Verdict::NonFinite);
    assert_eq!(report.counts().passed, 3);
    // Taylor: the non-finite output is counted and not judged.
    let taylor = taylor_test(
        &SqrtAndProduct,
        &[-1.0, 2.0],
        &[0.0, 0.0, 2.0, -1.0],
        &TaylorOptions::default(),
    )
    .unwrap();
    assert!(taylor.non_finite() > 0, "{taylor}");
    assert!(taylor.passed(), "{taylor}");
    // The product is judged (order 2), the square root is counted as not finite.
    let text = taylor.to_string();
    assert!(text.contains("min order 2."), "{text}");
    assert!(
        text.contains(&format!(
            "; {} (direction, output) pairs not finite",
            taylor.non_finite()
        )),
        "{text}"
    );
    // Non-finite points: every entry non-finite, no panic, no failure.
    for x in [[f64::NAN, 1.0], [f64::INFINITY, 1.0], [1.0, -f64::INFINITY]] {
        let report = check_jacobian(&SqrtAndProduct, &x, &[0.5, 0.0, 1.0, 1.0]).unwrap();
        assert!(
            report.non_finite() >= 2 && report.passed(),
            "{x:?}: {report}"
        );
        let (mut fd, mut error) = ([0.0; 4], [0.0; 4]);
        fd_jacobian(
            &SqrtAndProduct,
            &x,
            Scheme::FourthOrder,
            &mut fd,
            Some(&mut error),
        )
        .unwrap();
        assert!(error.iter().any(|e| e.is_infinite()), "{x:?}: {error:?}");
        let taylor = taylor_test(
            &SqrtAndProduct,
            &x,
            &[0.5, 0.0, 1.0, 1.0],
            &TaylorOptions::default(),
        )
        .unwrap();
        assert!(taylor.non_finite() > 0, "{x:?}: {taylor}");
        // The product is not finite, and neither is J d (d has an infinite or NaN
        // entry), so no output is judged.
        let text = taylor.to_string();
        assert!(
            text.lines()
                .next()
                .unwrap()
                .contains("PASSED: no finite remainder above rounding level; "),
            "{x:?}: {taylor}"
        );
    }
}

/// f(x) = (|x0|, max(x0, x1), (x0 + 1)^2): kinks at x0 = 0 and x0 = x1.
struct Kinks;
impl VectorFn for Kinks {
    fn inputs(&self) -> usize {
        2
    }
    fn outputs(&self) -> usize {
        3
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] = x[0].abs();
        y[1] = x[0].max(x[1]);
        y[2] = (x[0] + R::from_f64(1.0)) * (x[0] + R::from_f64(1.0));
    }
}

#[test]
fn points_where_f_is_not_differentiable_are_reported_as_such() {
    for scheme in [Scheme::Central, Scheme::FourthOrder] {
        let options = CheckOptions {
            scheme,
            ..CheckOptions::default()
        };
        // At the kinks themselves, and a hair beside them (inside one step).
        for x in [[0.0, 0.0], [1e-9, 1e-9 + 1e-12], [-3e-10, 0.5]] {
            let mut candidate = [0.0; 6];
            jacobian(&Kinks, &x, &mut candidate).unwrap();
            let report = check_jacobian_with(&Kinks, &x, &candidate, &options).unwrap();
            assert!(report.passed(), "{scheme} {x:?}: {report}");
            assert_eq!(
                report.entries()[0].verdict,
                Verdict::NonDifferentiable,
                "{report}"
            );
            // (x0 + 1)^2 is smooth everywhere.
            assert_eq!(report.entries()[4].verdict, Verdict::Passed, "{report}");
            if x[0] == x[1] || (x[1] - x[0]).abs() < 1e-9 {
                assert_eq!(report.entries()[2].verdict, Verdict::NonDifferentiable);
                assert_eq!(report.entries()[3].verdict, Verdict::NonDifferentiable);
            }
        }
        // Away from the kinks everything is judged.
        let x = [0.5, -0.25];
        let report =
            check_jacobian_with(&Kinks, &x, &[1.0, 0.0, 1.0, 0.0, 3.0, 0.0], &options).unwrap();
        assert!(report.passed() && report.conclusive(), "{report}");
    }
}

/// Writes y[1] only when x0 > 0, and panics when x0 > 10.
struct Misbehaving;
impl VectorFn for Misbehaving {
    fn inputs(&self) -> usize {
        1
    }
    fn outputs(&self) -> usize {
        2
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        assert!(x[0].primal() <= 10.0, "x0 too large");
        y[0] = x[0];
        if x[0].primal() > 0.0 {
            y[1] = x[0];
        }
    }
}

struct Empty;
impl VectorFn for Empty {
    fn inputs(&self) -> usize {
        0
    }
    fn outputs(&self) -> usize {
        1
    }
    fn eval<R: Real>(&self, _x: &[R], _y: &mut [R]) {}
}

#[test]
fn bad_input_gives_errors_not_panics() {
    let f = &SqrtAndProduct;
    let good = [1.0, 2.0];
    let jac = [0.5, 0.0, 2.0, 1.0];
    assert!(matches!(
        check_jacobian(f, &[1.0], &jac),
        Err(Error::Length {
            what: "x",
            expected: 2,
            given: 1
        })
    ));
    assert!(matches!(
        check_jacobian(f, &good, &jac[..3]),
        Err(Error::Length {
            what: "candidate",
            ..
        })
    ));
    assert!(matches!(
        check_jacobian(&Empty, &[], &[]),
        Err(Error::ZeroDimension { .. })
    ));
    let mut out = [0.0; 3];
    assert!(matches!(
        fd_jacobian(f, &good, Scheme::Central, &mut out, None),
        Err(Error::Length { what: "jac", .. })
    ));
    let mut out = [0.0; 4];
    let mut error = [0.0; 2];
    assert!(matches!(
        fd_jacobian(f, &good, Scheme::Central, &mut out, Some(&mut error)),
        Err(Error::Length { what: "error", .. })
    ));
    for options in [
        CheckOptions {
            safety: 0.5,
            ..CheckOptions::default()
        },
        CheckOptions {
            safety: f64::NAN,
            ..CheckOptions::default()
        },
        CheckOptions {
            resolution: Some(0.0),
            ..CheckOptions::default()
        },
    ] {
        assert!(matches!(
            check_jacobian_with(f, &good, &jac, &options),
            Err(Error::InvalidArgument { .. })
        ));
    }
    for options in [
        TaylorOptions {
            directions: 0,
            ..TaylorOptions::default()
        },
        TaylorOptions {
            halvings: 0,
            ..TaylorOptions::default()
        },
        TaylorOptions {
            first_step: -1.0,
            ..TaylorOptions::default()
        },
        TaylorOptions {
            first_step: 0.0,
            ..TaylorOptions::default()
        },
    ] {
        assert!(matches!(
            taylor_test(f, &good, &jac, &options),
            Err(Error::InvalidArgument { .. })
        ));
    }
    assert!(matches!(
        taylor_test(f, &good, &jac[1..], &TaylorOptions::default()),
        Err(Error::Length {
            what: "candidate",
            ..
        })
    ));
    assert!("sideways".parse::<Scheme>().is_err());

    // The user function's own failures.
    let r = check_jacobian(&Misbehaving, &[-1.0], &[1.0, 0.0]);
    assert!(
        matches!(
            r,
            Err(Error::OutputNotWritten {
                output: 1,
                point: None
            })
        ),
        "{r:?}"
    );
    let r = check_jacobian(&Misbehaving, &[20.0], &[1.0, 1.0]);
    assert!(matches!(r, Err(Error::FunctionPanicked { .. })), "{r:?}");
    let r = taylor_test(
        &Misbehaving,
        &[20.0],
        &[1.0, 1.0],
        &TaylorOptions::default(),
    );
    assert!(matches!(r, Err(Error::FunctionPanicked { .. })), "{r:?}");

    // Batches: shapes, an empty batch, and the failing point named.
    assert!(matches!(
        check_batch(f, &[1.0, 2.0, 3.0], &[0.0; 8]),
        Err(Error::NotMultiple { what: "xs", .. })
    ));
    assert!(matches!(
        check_batch(f, &[], &[]),
        Err(Error::ZeroDimension { .. })
    ));
    assert!(matches!(
        check_batch(f, &[1.0, 2.0], &[0.0; 3]),
        Err(Error::Length {
            what: "candidates",
            ..
        })
    ));
    let xs = [1.0, 2.0, 3.0, 20.0, 4.0, 30.0];
    let candidates = [1.0; 12];
    let r = check_batch(&Misbehaving, &xs, &candidates);
    assert!(
        matches!(r, Err(Error::FunctionPanicked { point: Some(3), .. })),
        "{r:?}"
    );
}

#[test]
fn batch_reports_name_the_failing_point_and_do_not_depend_on_threads() {
    let f = SuiteFunction::by_name("elementary_mix").unwrap();
    let (m, n) = (f.inputs(), f.outputs());
    let count = 32;
    let xs = f.points(count);
    let mut candidates = vec![0.0; count * n * m];
    for (x, jac) in xs.chunks(m).zip(candidates.chunks_mut(n * m)) {
        f.analytic_jacobian(x, jac);
    }
    // A sign error at point 21, entry (2, 1).
    candidates[21 * n * m + 2 * m + 1] *= -1.0;
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| check_batch(&f, &xs, &candidates).unwrap())
    };
    let one = run(1);
    assert_eq!(one, run(3));
    assert!(!one.passed());
    assert_eq!((one.points_checked(), one.points_failed()), (count, 1));
    assert_eq!(one.failed_points(), &[21]);
    let (k, worst) = one.worst().unwrap();
    assert_eq!((k, worst.row, worst.column), (21, 2, 1));
    let text = one.to_string();
    assert!(
        text.contains("point 21") && text.contains("J[2][1]"),
        "{text}"
    );
}

/// y = exp(a x): every derivative at 0 is a power of a, so the truncation error of a
/// difference formula grows as (h a)^p.
struct ExpOf(f64);

impl VectorFn for ExpOf {
    fn inputs(&self) -> usize {
        1
    }
    fn outputs(&self) -> usize {
        1
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] = (x[0] * self.0).exp();
    }
}

/// Each scheme's documented order is the convergence rate measured on exp(a x): at x =
/// 0 the step is fixed, so doubling a doubles h a and multiplies the relative error of
/// the derivative (exactly a) by 2^p, with a chosen large enough that truncation, not
/// rounding, dominates.
#[test]
fn scheme_orders_are_the_measured_convergence_rates() {
    for (scheme, a) in [
        (Scheme::Forward, 1e5),
        (Scheme::Central, 1e3),
        (Scheme::FourthOrder, 50.0),
    ] {
        let relative_error = |a: f64| {
            let mut jac = [0.0];
            fd_jacobian(&ExpOf(a), &[0.0], scheme, &mut jac, None).unwrap();
            ((jac[0] - a) / a).abs()
        };
        let measured = (relative_error(2.0 * a) / relative_error(a)).log2();
        assert!(
            (measured - f64::from(scheme.order())).abs() < 0.25,
            "{scheme}: measured order {measured}, documented {}",
            scheme.order()
        );
    }
}

/// Scheme names are what `FromStr` reads back, and distinct.
#[test]
fn scheme_names_parse_back_to_their_scheme() {
    for scheme in Scheme::ALL {
        assert_eq!(scheme.name().parse::<Scheme>().unwrap(), scheme);
        assert_eq!(scheme.to_string(), scheme.name());
    }
    assert!("xyzzy".parse::<Scheme>().is_err());
}

/// y = ln(x) at x = 10^4: the step must grow with |x| (the rounding of x + h is
/// eps |x|); a step sized for |x| = 1 would leave a relative error near 1e-3.
#[test]
fn steps_scale_with_the_coordinate() {
    struct Ln;
    impl VectorFn for Ln {
        fn inputs(&self) -> usize {
            1
        }
        fn outputs(&self) -> usize {
            1
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            y[0] = x[0].ln();
        }
    }
    for scheme in Scheme::ALL {
        let x = 1e4;
        let mut jac = [0.0];
        fd_jacobian(&Ln, &[x], scheme, &mut jac, None).unwrap();
        let relative = (jac[0] * x - 1.0).abs();
        // Forward differences: truncation h / (2 x) with h = 2^-25 x, about 1.5e-8.
        let bound = if scheme == Scheme::Forward {
            1e-7
        } else {
            1e-9
        };
        assert!(relative < bound, "{scheme}: relative error {relative}");
    }
}

/// A workspace remembers its scheme and refuses a function or point of another shape
/// (the buffers fit one shape), with an error rather than a wrong Jacobian.
#[test]
fn fd_workspaces_keep_their_scheme_and_their_shape() {
    use batchjac::verify::FdWorkspace;
    let f = SuiteFunction::by_name("arm7").unwrap(); // m = 7, n = 2
    let g = SuiteFunction::by_name("robertson").unwrap(); // m = n = 3
    for scheme in Scheme::ALL {
        let mut ws = FdWorkspace::<f64>::new(&f, scheme).unwrap();
        assert_eq!(ws.scheme(), scheme);
        let x = point(&f, 0);
        let mut jac = vec![0.0; 14];
        ws.jacobian(&f, &x, &mut jac, None).unwrap();
        let exact = analytic_jacobian(&f, &x);
        for (a, b) in jac.iter().zip(&exact) {
            assert!(
                (a - b).abs() < 1e-5 * b.abs().max(1.0),
                "{scheme}: {a} vs {b}"
            );
        }
        let other = point(&g, 0);
        let wrong_function = ws.jacobian(&g, &other, &mut [0.0; 9], None);
        assert!(
            matches!(wrong_function, Err(Error::InvalidArgument { .. })),
            "{scheme}"
        );
        let short_x = ws.jacobian(&f, &x[..6], &mut jac, None);
        assert!(
            matches!(short_x, Err(Error::Length { .. })),
            "{scheme}: {short_x:?}"
        );
    }
}

/// Where truncation dominates (exp(a x) at 0, a large enough that rounding is
/// negligible, as in the convergence test above) the estimate is an upper bound of the
/// actual error, and a usable one. It is not tight: the noise sample's divided
/// differences cancel polynomials only up to the degree below the formula's
/// truncation term, so that term shows up in the noise sample too and the estimate is
/// the Richardson term plus a multiple of itself. Measured estimate / actual error:
/// forward 2.6, central 4.8, fourth order 21 (the same for every a here: both terms
/// scale alike).
#[test]
fn error_estimates_bound_the_actual_truncation_error() {
    for (scheme, a, at_most) in [
        (Scheme::Forward, 1e5, 4.0),
        (Scheme::Central, 1e3, 8.0),
        (Scheme::FourthOrder, 50.0, 30.0),
    ] {
        for a in [a, -a, 0.5 * a] {
            let (mut jac, mut error) = ([0.0], [0.0]);
            fd_jacobian(&ExpOf(a), &[0.0], scheme, &mut jac, Some(&mut error)).unwrap();
            let actual = (jac[0] - a).abs();
            let ratio = error[0] / actual;
            assert!(
                (1.0..at_most).contains(&ratio),
                "{scheme} a = {a}: estimate {:e}, actual error {actual:e}",
                error[0]
            );
        }
    }
}

/// f(x) = g(x / s) for a power of two s >= 1.
struct Rescaled(f64);
impl VectorFn for Rescaled {
    fn inputs(&self) -> usize {
        2
    }
    fn outputs(&self) -> usize {
        2
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        let inverse = 1.0 / self.0;
        let (u, v) = (x[0] * inverse, x[1] * inverse);
        y[0] = u.sin() * (v * (1.0 / 3.0)).exp() + u * u;
        y[1] = u * v - v.ln() * 40.0;
    }
}

/// Rescaling an input by a power of two s changes nothing but units: where |x_j| >= 1
/// the steps, offsets and jitter are s times larger, f sees the same arguments, and
/// the reference and its error estimate come out exactly 1/s times the unscaled ones,
/// bit for bit. (A rule that mixed quantities of different units, say x_j + J_ij where
/// x_j J_ij belongs, or a jitter that shrinks as |x_j| grows, breaks this.)
#[test]
fn references_and_error_estimates_scale_exactly_with_the_inputs() {
    let points = [[1.25, 2.5], [-1.75, 1.5], [3.0, 1.0625]];
    for scheme in Scheme::ALL {
        for x in points {
            let (mut reference, mut reference_error) = ([0.0; 4], [0.0; 4]);
            fd_jacobian(
                &Rescaled(1.0),
                &x,
                scheme,
                &mut reference,
                Some(&mut reference_error),
            )
            .unwrap();
            for s in [2.0, 64.0, 2f64.powi(30), 2f64.powi(600)] {
                let scaled_x = [x[0] * s, x[1] * s];
                let (mut jac, mut error) = ([0.0; 4], [0.0; 4]);
                fd_jacobian(&Rescaled(s), &scaled_x, scheme, &mut jac, Some(&mut error)).unwrap();
                for k in 0..4 {
                    assert_eq!(jac[k] * s, reference[k], "{scheme} {x:?} s = {s} entry {k}");
                    assert_eq!(
                        error[k] * s,
                        reference_error[k],
                        "{scheme} {x:?} s = {s} entry {k}"
                    );
                }
            }
        }
    }
}

/// A number in [-1, 1) from a hash of the bits of x: evaluation noise unrelated from
/// one point to the next (uniform, standard deviation 1 / sqrt(3)).
fn hash_uniform(x: f64) -> f64 {
    let mut bits = x.to_bits();
    for _ in 0..2 {
        bits = (bits ^ (bits >> 31)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    (bits >> 11) as f64 * 2f64.powi(-52) - 1.0
}

/// f(x) = 1e306 x + 1e300 u(x) + offset, with u(x) in [-1, 1) a hash of the bits of x:
/// evaluation noise of size 1e300 (like a simulation's), unrelated from one node to
/// the next and far above the rounding of f's own magnitude.
struct Noisy(f64);
impl VectorFn for Noisy {
    fn inputs(&self) -> usize {
        1
    }
    fn outputs(&self) -> usize {
        1
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        let u = hash_uniform(x[0].primal());
        y[0] = x[0] * 1e306 + R::from_f64(u * 1e300) + self.0;
    }
}

/// The estimate covers evaluation noise that shows only in the values (nothing in the
/// magnitude of f predicts it), also where f is near the top of the range: with offset
/// 1e308 the values are within a factor 2 of f64::MAX, where sums of two values
/// overflow, so the noise sample must work with differences from f(x), which do not.
/// The noise estimate is a sample, not a bound: over 2048 points the actual error
/// exceeded the checks' factor 10 times the estimate at 1 point for central and
/// fourth-order differences (largest ratio 11.6) and at 23 points (1.1%, largest 270)
/// for forward differences, whose three nodes give a single view of the noise. The
/// bounds below are a few times those rates.
#[test]
fn error_estimates_cover_evaluation_noise_near_the_top_of_the_range() {
    const POINTS: u32 = 2048;
    for (scheme, allowed_misses) in [
        (Scheme::Forward, 64),
        (Scheme::Central, 4),
        (Scheme::FourthOrder, 4),
    ] {
        for offset in [0.0, 1e308] {
            let mut misses = 0;
            for k in 0..POINTS {
                let x = 1.0 + (f64::from(k) * 0.618034).fract();
                let (mut jac, mut error) = ([0.0], [0.0]);
                fd_jacobian(&Noisy(offset), &[x], scheme, &mut jac, Some(&mut error)).unwrap();
                // Against the smooth part's slope: the noise is what the estimate is for.
                let actual = (jac[0] - 1e306).abs();
                assert!(
                    actual.is_finite() && error[0].is_finite(),
                    "{scheme} x = {x}"
                );
                if actual > 10.0 * error[0] {
                    misses += 1;
                }
            }
            assert!(
                misses <= allowed_misses,
                "{scheme} offset {offset:e}: actual error above 10 times the estimate at \
                 {misses} of {POINTS} points"
            );
        }
    }
}

/// f(x) = 1.7e308 tanh(1e20 (x - 1)): finite everywhere, but at x = 1 it jumps from
/// -1.7e308 to 1.7e308 within the stencil, and the difference quotients overflow.
struct OverflowingStep;
impl VectorFn for OverflowingStep {
    fn inputs(&self) -> usize {
        1
    }
    fn outputs(&self) -> usize {
        1
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] = ((x[0] - 1.0) * 1e20).tanh() * 1.7e308;
    }
}

/// A reference that overflowed is not a reference: its error is infinite and the entry
/// is reported non-finite, even though every value of f was finite.
#[test]
fn overflowing_difference_quotients_are_reported_non_finite() {
    for scheme in Scheme::ALL {
        let (mut jac, mut error) = ([0.0], [0.0]);
        fd_jacobian(&OverflowingStep, &[1.0], scheme, &mut jac, Some(&mut error)).unwrap();
        assert_eq!(error[0], f64::INFINITY, "{scheme}: reference {}", jac[0]);
        let options = CheckOptions {
            scheme,
            ..CheckOptions::default()
        };
        let report = check_jacobian_with(&OverflowingStep, &[1.0], &[1e300], &options).unwrap();
        assert_eq!(report.entries()[0].verdict, Verdict::NonFinite, "{report}");
    }
}

/// f(x) = (x + 512) - 512: smooth (the identity) but for rounding noise of up to
/// 2^-44 ~ 5.7e-14, hundreds of times the rounding of f itself. Noise alone must not
/// make a kink: its second differences stay below the significance threshold.
struct NoisyIdentity;
impl VectorFn for NoisyIdentity {
    fn inputs(&self) -> usize {
        1
    }
    fn outputs(&self) -> usize {
        1
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] = x[0] + 512.0 - 512.0;
    }
}

#[test]
fn evaluation_noise_is_not_taken_for_a_kink() {
    for scheme in [Scheme::Central, Scheme::FourthOrder] {
        let options = CheckOptions {
            scheme,
            ..CheckOptions::default()
        };
        for k in 0..256 {
            let x = 0.5 + f64::from(k) / 256.0;
            let report = check_jacobian_with(&NoisyIdentity, &[x], &[1.0], &options).unwrap();
            assert!(report.passed(), "{scheme} x = {x}: {report}");
            assert_ne!(
                report.entries()[0].verdict,
                Verdict::NonDifferentiable,
                "{scheme} x = {x}: {report}"
            );
        }
    }
}

/// y = (x0^2, 0): an output that is identically zero has an exactly zero reference and
/// zero error estimate (no noise, nothing to truncate), and a zero candidate passes.
#[test]
fn an_output_that_is_identically_zero_passes_with_a_zero_candidate() {
    struct ZeroRow;
    impl VectorFn for ZeroRow {
        fn inputs(&self) -> usize {
            1
        }
        fn outputs(&self) -> usize {
            2
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            y[0] = x[0] * x[0];
            y[1] = R::from_f64(0.0);
        }
    }
    for scheme in Scheme::ALL {
        let (mut jac, mut error) = ([0.0; 2], [0.0; 2]);
        fd_jacobian(&ZeroRow, &[1.5], scheme, &mut jac, Some(&mut error)).unwrap();
        assert_eq!((jac[1], error[1]), (0.0, 0.0), "{scheme}");
        let options = CheckOptions {
            scheme,
            ..CheckOptions::default()
        };
        let report = check_jacobian_with(&ZeroRow, &[1.5], &[3.0, 0.0], &options).unwrap();
        assert_eq!(report.entries()[1].verdict, Verdict::Passed, "{report}");
        assert!(report.passed(), "{report}");
    }
}

/// Every entry of a report obeys the rule `CheckOptions` documents: tolerance
/// `safety * e + 8 eps (|c| + |r|)` from the entry's own error estimate, candidate and
/// reference; failed when `|c - r| > tolerance`, else passed when the two are equal or
/// the tolerance is within `resolution` of the entry's size, else unresolved. Checked
/// on the suite with right candidates, candidates off by a few ulps and by 1e-6, and
/// with the smallest safety factor, where the rounding allowance matters most.
#[test]
fn every_verdict_follows_the_documented_tolerance_rule() {
    let eps = f64::EPSILON;
    for f in SuiteFunction::all() {
        for k in 0..4 {
            let x = point(&f, k);
            let exact = ad_jacobian(&f, &x);
            let mut candidate = exact.clone();
            for (index, c) in candidate.iter_mut().enumerate() {
                match index % 3 {
                    0 => *c *= 1.0 + 1e-6,
                    1 => *c *= 1.0 + 4.0 * eps * (k as f64),
                    _ => {}
                }
            }
            for safety in [1.0, 10.0] {
                let options = CheckOptions {
                    safety,
                    ..CheckOptions::default()
                };
                let resolution = options.resolution_for::<f64>();
                let report = check_jacobian_with(&f, &x, &candidate, &options).unwrap();
                for e in report.entries() {
                    let (c, r) = (e.candidate, e.reference);
                    let tolerance = safety * e.error_estimate + 8.0 * eps * (c.abs() + r.abs());
                    assert_eq!(e.tolerance, tolerance, "{} {e:?}", f.name());
                    if matches!(e.verdict, Verdict::NonFinite | Verdict::NonDifferentiable) {
                        continue;
                    }
                    let diff = (c - r).abs();
                    let expected = if diff > tolerance {
                        Verdict::Failed
                    } else if diff == 0.0 || tolerance <= resolution * c.abs().max(r.abs()) {
                        Verdict::Passed
                    } else {
                        Verdict::Unresolved
                    };
                    assert_eq!(e.verdict, expected, "{} {e:?}", f.name());
                }
            }
        }
    }
}

/// A report with more failures than it lists: the `LISTED_FAILURES` worst, worst first,
/// every one of them at least as severe as any failure left out; counts, shape and
/// scheme as checked; and a text that names the verdict, the worst entry, the others
/// listed and how many more failed.
#[test]
fn reports_list_the_worst_failures_and_count_the_rest() {
    use batchjac::verify::LISTED_FAILURES;
    let f = SuiteFunction::by_name("arm7").unwrap(); // n = 2, m = 7: 14 entries
    let x = point(&f, 3);
    let mut candidate = ad_jacobian(&f, &x);
    for (k, c) in candidate.iter_mut().enumerate() {
        // Every entry wrong, each by a different relative amount.
        *c *= 1.0 + 1e-5 * (1.0 + ((k * 5) % 14) as f64);
    }
    let options = CheckOptions {
        scheme: Scheme::Central,
        ..CheckOptions::default()
    };
    let report = check_jacobian_with(&f, &x, &candidate, &options).unwrap();
    assert!(!report.passed() && report.conclusive(), "{report}");
    assert_eq!((report.shape(), report.scheme()), ((2, 7), Scheme::Central));
    assert_eq!((report.checked(), report.failed()), (14, 14));
    assert_eq!(report.counts().total(), 14);
    assert_eq!(
        (
            report.unresolved(),
            report.non_finite(),
            report.non_differentiable()
        ),
        (0, 0, 0)
    );
    let listed = report.failures();
    assert_eq!(listed.len(), LISTED_FAILURES);
    assert_eq!(report.worst(), Some(&listed[0]));
    for pair in listed.windows(2) {
        assert!(pair[0].severity() >= pair[1].severity(), "{report}");
    }
    let least_listed = listed[LISTED_FAILURES - 1].severity();
    for e in report.entries() {
        assert_eq!(e.verdict, Verdict::Failed);
        assert_eq!(e.discrepancy(), (e.candidate - e.reference).abs());
        assert_eq!(e.severity(), e.discrepancy() / e.tolerance);
        assert_eq!(candidate[e.row * 7 + e.column], e.candidate);
        if !listed.contains(e) {
            assert!(e.severity() <= least_listed, "{e}");
        }
    }
    let text = report.to_string();
    let worst = report.worst().unwrap();
    assert!(
        text.contains("FAILED") && text.contains("central"),
        "{text}"
    );
    assert!(
        text.contains(&format!("worst J[{}][{}]", worst.row, worst.column)),
        "{text}"
    );
    assert!(
        text.contains("14 entries") && text.contains("14 failed"),
        "{text}"
    );
    assert_eq!(
        text.matches("\n  also ").count(),
        LISTED_FAILURES - 1,
        "{text}"
    );
    assert!(
        text.contains(&format!("and {} more failed entries", 14 - LISTED_FAILURES)),
        "{text}"
    );
    // An entry's line names its place, its verdict and its numbers.
    let line = worst.to_string();
    assert!(line.starts_with(&format!("J[{}][{}]", worst.row, worst.column)));
    assert!(line.ends_with(": FAILED"), "{line}");
    assert!(line.contains(&format!("{:.9e}", worst.candidate)), "{line}");
}

/// Verdict names are distinct, and what `Display` prints.
#[test]
fn verdicts_have_distinct_names() {
    let all = [
        Verdict::Passed,
        Verdict::Failed,
        Verdict::Unresolved,
        Verdict::NonFinite,
        Verdict::NonDifferentiable,
    ];
    for (a, v) in all.iter().enumerate() {
        assert_eq!(v.to_string(), v.name());
        assert!(!v.name().is_empty());
        for w in &all[a + 1..] {
            assert_ne!(v.name(), w.name());
        }
    }
}

/// A batch report's counts are the sum of its points' reports, its worst entry is the
/// worst of theirs, and its text lists at most 20 failed points.
#[test]
fn batch_reports_sum_their_points_and_list_twenty_failed_points() {
    let f = SuiteFunction::by_name("elementary_mix").unwrap();
    let (m, n) = (f.inputs(), f.outputs());
    let count = 30;
    let xs = f.points(count);
    for wrong in [20, 25] {
        let mut candidates = vec![0.0; count * n * m];
        for (k, (x, jac)) in xs.chunks(m).zip(candidates.chunks_mut(n * m)).enumerate() {
            f.analytic_jacobian(x, jac);
            if k < wrong {
                jac[2 * m + 1] *= 1.0 + 1e-4 * (1.0 + k as f64);
            }
        }
        let report = check_batch(&f, &xs, &candidates).unwrap();
        assert!(!report.passed());
        assert_eq!(report.scheme(), Scheme::FourthOrder);
        assert_eq!(
            (report.points_checked(), report.points_failed()),
            (count, wrong)
        );
        assert_eq!(report.failed_points(), (0..wrong).collect::<Vec<_>>());
        let mut sum = [0usize; 5];
        let mut worst: Option<(usize, f64)> = None;
        for (k, (x, jac)) in xs.chunks(m).zip(candidates.chunks(n * m)).enumerate() {
            let single = check_jacobian(&f, x, jac).unwrap();
            let c = single.counts();
            for (s, v) in sum.iter_mut().zip([
                c.passed,
                c.failed,
                c.unresolved,
                c.non_finite,
                c.non_differentiable,
            ]) {
                *s += v;
            }
            let severity = single.worst().unwrap().severity();
            if single.failed() > 0 && worst.is_none_or(|(_, w)| severity > w) {
                worst = Some((k, severity));
            }
        }
        let c = report.counts();
        assert_eq!(
            [
                c.passed,
                c.failed,
                c.unresolved,
                c.non_finite,
                c.non_differentiable
            ],
            sum
        );
        let (k, entry) = report.worst().unwrap();
        assert_eq!((k, entry.severity()), worst.unwrap());
        let text = report.to_string();
        let shown: Vec<String> = (0..wrong.min(20)).map(|k| k.to_string()).collect();
        let listing = format!("failed points: {}", shown.join(", "));
        assert!(text.contains(&listing), "{text}");
        assert_eq!(
            text.contains(&format!("{listing}, ...")),
            wrong > 20,
            "{text}"
        );
        assert!(
            text.contains(&format!("{wrong} points failed"))
                && text.contains(&format!("{count} points")),
            "{text}"
        );
    }
}

/// y = (x0^2 + 3 x0 x1, x1^2 / 2): quadratic, so along the step d actually taken the
/// remainder of the right Jacobian is exactly q_i(d) = (d0^2 + 3 d0 d1, d1^2 / 2), and of
/// a Jacobian with one entry off by e it is |q_i(d) - e d_j| (order 1 once e d_j wins).
struct Quadratic;
impl VectorFn for Quadratic {
    fn inputs(&self) -> usize {
        2
    }
    fn outputs(&self) -> usize {
        2
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] = x[0] * x[0] + x[0] * x[1] * 3.0;
        y[1] = x[1] * x[1] * 0.5;
    }
}

/// The quadratic's Jacobian at x, row-major, from its closed form.
fn quadratic_jacobian(x: &[f64; 2]) -> [f64; 4] {
    [2.0 * x[0] + 3.0 * x[1], 3.0 * x[0], 0.0, x[1]]
}

/// Every number in a Taylor report, against the quadratic's closed form: the steps
/// halve from `first_step`, the directions are within the documented box, each
/// remainder is the closed-form one until rounding takes over (where the usable run
/// ends), the orders between usable steps are 2 (1 for a wrong row), the observed order
/// is the worst output's, and the text says all of that.
#[test]
fn taylor_reports_match_the_closed_form_remainders_of_a_quadratic() {
    let x = [0.75, -1.5];
    let right = quadratic_jacobian(&x);
    let options = TaylorOptions {
        directions: 3,
        first_step: 0.25,
        halvings: 30,
        ..TaylorOptions::default()
    };
    let report = taylor_test(&Quadratic, &x, &right, &options).unwrap();
    assert!(report.passed(), "{report}");
    assert_eq!(report.directions().len(), 3);
    assert_eq!(report.orders().len(), 3);
    assert_eq!(report.non_finite(), 0);
    for dir in report.directions() {
        assert_eq!(dir.steps.len(), 31);
        for (k, &s) in dir.steps.iter().enumerate() {
            assert_eq!(s, 0.25 * 2f64.powi(-(k as i32)));
        }
        for (h, xj) in dir.direction.iter().zip(&x) {
            assert!(h.abs() <= xj.abs().max(1.0), "{:?}", dir.direction);
        }
        for i in 0..2 {
            let r = dir.remainders_of(i);
            assert_eq!(r.len(), 31);
            let usable = dir.usable[i];
            // Rounding ends the run: 2^-30 steps leave remainders near 1e-19.
            assert!((8..31).contains(&usable), "output {i}: {usable} usable");
            for (k, &step) in dir.steps.iter().enumerate().take(usable) {
                let d: Vec<f64> = x
                    .iter()
                    .zip(&dir.direction)
                    .map(|(xj, hj)| (xj + step * hj) - xj)
                    .collect();
                let q = [d[0] * d[0] + 3.0 * d[0] * d[1], 0.5 * d[1] * d[1]];
                // Up to the rounding of f and of J d (|f| and |J d| below 4 here).
                let allowed = 16.0 * f64::EPSILON * 4.0;
                assert!(
                    (r[k] - q[i].abs()).abs() <= allowed,
                    "output {i} step {k}: {} vs {}",
                    r[k],
                    q[i]
                );
            }
            let orders = dir.orders_of(i);
            assert_eq!(orders.len(), usable - 1);
            // The last usable remainders are within 1/256 of rounding level.
            for o in orders {
                assert!((o - 2.0).abs() < 0.05, "output {i}: order {o}");
            }
            assert!((dir.observed[i] - 2.0).abs() < 0.05);
            // The noise floor is at least the rounding of f_i itself.
            assert!(
                dir.noise[i]
                    >= f64::EPSILON * [x[0] * x[0] + 3.0 * x[0] * x[1], 0.5 * x[1] * x[1]][i].abs()
            );
        }
        let (i, p) = dir.worst_output().unwrap();
        assert_eq!(p, dir.observed[0].min(dir.observed[1]));
        assert_eq!(dir.observed[i], p);
    }
    let min = report.orders().into_iter().fold(f64::INFINITY, f64::min);
    assert_eq!(report.min_order(), min);
    let (d, i, p) = report.worst().unwrap();
    assert_eq!(p, min);
    assert_eq!(report.directions()[d].observed[i], p);
    // Passing is exactly `min_order >= passing_order`.
    for passing_order in [1.5, 1.999, 2.001, 3.0] {
        let strict = TaylorOptions {
            passing_order,
            ..options
        };
        let again = taylor_test(&Quadratic, &x, &right, &strict).unwrap();
        assert_eq!(again.min_order(), min);
        assert_eq!(again.passed(), min >= passing_order, "{again}");
    }
    let text = report.to_string();
    assert!(
        text.contains("PASSED") && text.contains("3 directions"),
        "{text}"
    );
    assert!(text.contains("k = 0..30"), "{text}");
    assert!(
        text.contains(&format!("min order {p:.3} (direction {d}, output {i}")),
        "{text}"
    );
    assert_eq!(text.matches("\n  direction ").count(), 3, "{text}");

    // d y_1 / d x_1 off by 1e-3: output 1 turns first order, output 0 stays second.
    let mut wrong = right;
    wrong[3] += 1e-3;
    let report = taylor_test(&Quadratic, &x, &wrong, &options).unwrap();
    assert!(!report.passed(), "{report}");
    let (_, i, p) = report.worst().unwrap();
    assert_eq!(i, 1);
    assert!((p - 1.0).abs() < 0.05, "{report}");
    for dir in report.directions() {
        assert!((dir.observed[0] - 2.0).abs() < 0.05);
        assert!(dir.observed[1] < 1.1, "{:?}", dir.observed);
    }
    let text = report.to_string();
    assert!(
        text.contains("FAILED") && text.contains("output 1"),
        "{text}"
    );
}

/// y = ln(x) at huge x: the step is relative past |x| = 1, and nothing in the formulas
/// may overflow on the way (products of offsets reach h^4 in the fourth-order weights,
/// 1e708 at x = 1e180).
#[test]
fn finite_differences_work_at_huge_coordinates() {
    struct Ln;
    impl VectorFn for Ln {
        fn inputs(&self) -> usize {
            1
        }
        fn outputs(&self) -> usize {
            1
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            y[0] = x[0].ln();
        }
    }
    for scheme in Scheme::ALL {
        for x in [1e30, 1e100, 1e200, 1e300] {
            let (mut jac, mut error) = ([0.0], [0.0]);
            fd_jacobian(&Ln, &[x], scheme, &mut jac, Some(&mut error)).unwrap();
            let actual = (jac[0] - 1.0 / x).abs();
            assert!(
                actual <= 1e-5 / x && actual <= 10.0 * error[0],
                "{scheme} x = {x:e}: reference {:e}, error {actual:e}, estimate {:e}",
                jac[0],
                error[0]
            );
        }
    }
}

/// A report's counts are the tally of its entries' verdicts, whatever the verdicts.
#[test]
fn counts_tally_the_verdicts_of_the_entries() {
    let mut kink_candidate = [0.0; 6];
    jacobian(&Kinks, &[0.0, 0.0], &mut kink_candidate).unwrap();
    let robertson = SuiteFunction::by_name("robertson").unwrap();
    let x = point(&robertson, 0);
    let reports = [
        check_jacobian(&Kinks, &[0.0, 0.0], &kink_candidate).unwrap(),
        check_jacobian(
            &SqrtAndProduct,
            &[-1.0, 2.0],
            &[f64::NAN, f64::NAN, 2.0, -1.0],
        )
        .unwrap(),
        check_jacobian(&SqrtAndProduct, &[4.0, 2.0], &[0.25, 0.0, 2.5, 4.0]).unwrap(),
        // Badly scaled: some entries unresolved.
        check_jacobian(&robertson, &x, &ad_jacobian(&robertson, &x)).unwrap(),
    ];
    assert!(reports[3].unresolved() > 0, "{}", reports[3]);
    for report in reports {
        let tally = |v: Verdict| report.entries().iter().filter(|e| e.verdict == v).count();
        let c = report.counts();
        assert_eq!(
            [
                c.passed,
                c.failed,
                c.unresolved,
                c.non_finite,
                c.non_differentiable
            ],
            [
                tally(Verdict::Passed),
                tally(Verdict::Failed),
                tally(Verdict::Unresolved),
                tally(Verdict::NonFinite),
                tally(Verdict::NonDifferentiable)
            ],
            "{report}"
        );
        assert_eq!(
            [
                report.failed(),
                report.unresolved(),
                report.non_finite(),
                report.non_differentiable(),
                report.checked()
            ],
            [
                c.failed,
                c.unresolved,
                c.non_finite,
                c.non_differentiable,
                c.total()
            ]
        );
        assert_eq!(c.total(), report.entries().len());
    }
}

/// Constant outputs (x only times 0): every reference is exactly 0, so a zero candidate
/// gives every entry severity 0, and the worst entry is the first (the tie rule of
/// `Report::worst`).
#[test]
fn the_first_entry_wins_a_tie_for_worst() {
    let f = batchjac::expr::Program::parse("y0 = 0 * x1 + 1; y1 = 2 + 0 * x0").unwrap();
    let report = check_jacobian(&f, &[0.5, 1.5], &[0.0; 4]).unwrap();
    assert!(report.passed() && report.conclusive(), "{report}");
    assert!(report.entries().iter().all(|e| e.severity() == 0.0));
    let worst = report.worst().unwrap();
    assert_eq!((worst.row, worst.column), (0, 0));
}

/// A batch's counts are the sums of its points' counts in every category: points where
/// f is not finite (x0 < 0) or has a kink (x1 = 0) among ordinary ones.
#[test]
fn batch_counts_sum_every_category_over_the_points() {
    let f = batchjac::expr::Program::parse("y0 = sqrt(x0); y1 = abs(x1) * x0").unwrap();
    let xs = [-1.0, 1.0, 4.0, 0.0, 2.0, 3.0, -2.0, 0.0, 0.5, -0.25];
    let mut candidates = vec![0.0; 5 * 4];
    for (x, jac) in xs.chunks(2).zip(candidates.chunks_mut(4)) {
        jacobian(&f, x, jac).unwrap();
    }
    let batch = check_batch(&f, &xs, &candidates).unwrap();
    let mut sum = [0usize; 5];
    for (x, jac) in xs.chunks(2).zip(candidates.chunks(4)) {
        let c = check_jacobian(&f, x, jac).unwrap().counts();
        let each = [
            c.passed,
            c.failed,
            c.unresolved,
            c.non_finite,
            c.non_differentiable,
        ];
        for (s, v) in sum.iter_mut().zip(each) {
            *s += v;
        }
    }
    let c = batch.counts();
    let total = [
        c.passed,
        c.failed,
        c.unresolved,
        c.non_finite,
        c.non_differentiable,
    ];
    assert_eq!(total, sum, "{batch}");
    assert!(sum[3] > 0 && sum[4] > 0, "{batch}");
    assert_eq!(c.total(), 20);
}

/// The usable run of every output follows the documented rule: recomputing each
/// remainder from the reported direction gives the reported bits, and the run is the
/// longest prefix of steps whose remainder is finite and above 256 (noise + eps (|f| +
/// |J d|)). The quadratic's outputs end their runs on |f|; the third output, zero at x
/// with slope 1000 and a small curvature, ends its run on |J d| (near d = 1e-4, where
/// the sampled noise, ~1e-18, is far below eps |J d|; |f| and |J d| nearly cancel in
/// |f| - |J d|).
#[test]
fn taylor_usable_steps_follow_the_documented_threshold() {
    struct QuadraticAndSteep;
    impl VectorFn for QuadraticAndSteep {
        fn inputs(&self) -> usize {
            2
        }
        fn outputs(&self) -> usize {
            3
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            Quadratic.eval(x, &mut y[..2]);
            let t = x[0] - 0.75;
            y[2] = t * 1000.0 + t * t * 1e-6;
        }
    }
    let f = QuadraticAndSteep;
    let x = [0.75, -1.5];
    let mut right = [0.0; 6];
    right[..4].copy_from_slice(&quadratic_jacobian(&x));
    right[4] = 1000.0;
    let mut wrong = right;
    wrong[1] += 1e-3;
    let eval = |x: &[f64]| {
        let mut y = [0.0; 3];
        f.eval(x, &mut y);
        y
    };
    let f0 = eval(&x);
    let options = TaylorOptions {
        directions: 4,
        first_step: 0.5,
        halvings: 40,
        ..TaylorOptions::default()
    };
    for candidate in [right, wrong] {
        let report = taylor_test(&f, &x, &candidate, &options).unwrap();
        assert!(report.passed() != (candidate == wrong), "{report}");
        let mut ends_inside = 0;
        for dir in report.directions() {
            for i in 0..3 {
                let row = &candidate[i * 2..i * 2 + 2];
                let mut expected = dir.steps.len();
                for (k, &step) in dir.steps.iter().enumerate() {
                    let xe: Vec<f64> = x
                        .iter()
                        .zip(&dir.direction)
                        .map(|(xj, hj)| xj + step * hj)
                        .collect();
                    let d: Vec<f64> = xe.iter().zip(&x).map(|(a, b)| a - b).collect();
                    let fe = eval(&xe);
                    let jd: f64 = row.iter().zip(&d).map(|(a, b)| a * b).sum();
                    let r = (fe[i] - f0[i] - jd).abs();
                    assert_eq!(r.to_bits(), dir.remainders[k * 3 + i].to_bits());
                    let level = 256.0 * (dir.noise[i] + f64::EPSILON * (fe[i].abs() + jd.abs()));
                    if expected == dir.steps.len() && !(r.is_finite() && r > level) {
                        expected = k;
                    }
                }
                assert_eq!(dir.usable[i], expected, "output {i}: {report}");
                if expected < dir.steps.len() {
                    ends_inside += 1;
                }
            }
        }
        // 2^-40 steps leave every remainder at rounding level: each run ends inside.
        assert_eq!(ends_inside, 12);
    }
}

/// An output that does not vary is at rounding level: a constant's noise is the
/// rounding of its value, eps |c|, exactly (its fourth difference is 0), and an output
/// that is identically zero has no noise, no usable step and passes with a zero
/// candidate rather than being counted as not finite.
#[test]
fn taylor_constant_outputs_are_at_rounding_level() {
    struct Constants;
    impl VectorFn for Constants {
        fn inputs(&self) -> usize {
            2
        }
        fn outputs(&self) -> usize {
            3
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            y[0] = R::from_f64(1e6);
            y[1] = R::from_f64(0.0);
            y[2] = x[0] * x[1];
        }
    }
    let x = [1.5, -0.25];
    let candidate = [0.0, 0.0, 0.0, 0.0, x[1], x[0]];
    let report = taylor_test(&Constants, &x, &candidate, &TaylorOptions::default()).unwrap();
    assert!(report.passed(), "{report}");
    assert_eq!(report.non_finite(), 0, "{report}");
    for dir in report.directions() {
        assert_eq!(dir.noise[0], f64::EPSILON * 1e6);
        assert_eq!(dir.noise[1], 0.0);
        assert_eq!((dir.usable[0], dir.usable[1]), (0, 0));
        assert_eq!(dir.observed[0], f64::INFINITY);
        assert_eq!(dir.observed[1], f64::INFINITY);
        assert!((dir.observed[2] - 2.0).abs() < 0.05, "{report}");
    }
}

/// Two steps are enough to see an order: with one halving, a right Jacobian of a
/// quadratic gives order 2 and a wrong one order 1.
#[test]
fn taylor_orders_from_two_steps() {
    let x = [0.75, -1.5];
    let right = quadratic_jacobian(&x);
    let mut wrong = right;
    wrong[3] += 1.0;
    let options = TaylorOptions {
        first_step: 0.25,
        halvings: 1,
        ..TaylorOptions::default()
    };
    let report = taylor_test(&Quadratic, &x, &right, &options).unwrap();
    let wrong = taylor_test(&Quadratic, &x, &wrong, &options).unwrap();
    for (r, w) in report.directions().iter().zip(wrong.directions()) {
        assert_eq!(r.usable, [2, 2]);
        assert!((r.observed[0] - 2.0).abs() < 1e-9 && (r.observed[1] - 2.0).abs() < 1e-9);
        assert!((w.observed[1] - 1.0).abs() < 0.2, "{wrong}");
    }
    assert!(report.passed() && !wrong.passed());
}

/// f is finite at x but not at the first (largest) step along some directions: those
/// outputs are reported as not finite (NaN order) whatever happens at smaller steps,
/// and the others are judged. y = sqrt(0.09 - (x - 0.5)^2) at x = 0.5 is finite for
/// steps |eps h| <= 0.3; the first step is 1 and h is drawn from (-1, 1).
#[test]
fn taylor_outputs_not_finite_at_the_first_step_are_counted() {
    struct Cap;
    impl VectorFn for Cap {
        fn inputs(&self) -> usize {
            1
        }
        fn outputs(&self) -> usize {
            1
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            let d = x[0] - 0.5;
            y[0] = (R::from_f64(0.09) - d * d).sqrt();
        }
    }
    let options = TaylorOptions {
        directions: 16,
        first_step: 1.0,
        halvings: 24,
        ..TaylorOptions::default()
    };
    let report = taylor_test(&Cap, &[0.5], &[0.0], &options).unwrap();
    let mut only_first = 0;
    let mut counted = 0;
    for dir in report.directions() {
        let at = |step: f64| {
            let mut y = [0.0];
            Cap.eval(&[0.5 + step * dir.direction[0]], &mut y);
            y[0].is_finite()
        };
        if at(dir.steps[0]) {
            assert!((dir.observed[0] - 2.0).abs() < 0.1, "{report}");
        } else {
            assert!(dir.observed[0].is_nan(), "{report}");
            counted += 1;
            if at(dir.steps[1]) {
                only_first += 1;
            }
        }
    }
    assert_eq!(report.non_finite(), counted);
    // The case that matters is there: not finite at the first step only.
    assert!(
        only_first > 0 && counted < 16,
        "{only_first} {counted}: {report}"
    );
    assert!(report.passed(), "{report}");
}

/// The noise level is a calibrated sample of the evaluation noise: f = x + s u(x), u a
/// hash of x's bits uniform on (-1, 1) (standard deviation s / sqrt(3)), one direction
/// per test, so each noise figure is about |N(0, 1)| times that deviation (median
/// 0.674 for a normal sample). Over 400 points near 1 and 400 near 1e6 the median
/// ratio is within [0.5, 1] (measured 0.75 and 0.74; 5% and 95% quantiles 0.07 and 2.0).
#[test]
fn taylor_noise_level_matches_the_evaluation_noise() {
    struct HashNoise(f64);
    impl VectorFn for HashNoise {
        fn inputs(&self) -> usize {
            1
        }
        fn outputs(&self) -> usize {
            1
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            y[0] = x[0] + R::from_f64(hash_uniform(x[0].primal()) * self.0);
        }
    }
    for (scale, s) in [(1.0, 1e-9), (1e6, 1e-3)] {
        let f = HashNoise(s);
        let mut ratios: Vec<f64> = (0..400)
            .map(|k| {
                let x = [scale * (0.5 + k as f64 / 400.0)];
                let options = TaylorOptions {
                    directions: 1,
                    halvings: 2,
                    seed: k,
                    ..TaylorOptions::default()
                };
                let report = taylor_test(&f, &x, &[1.0], &options).unwrap();
                report.directions()[0].noise[0] / (s / 3f64.sqrt())
            })
            .collect();
        ratios.sort_by(f64::total_cmp);
        let median = ratios[200];
        assert!(
            (0.5..1.0).contains(&median),
            "scale {scale}: median {median}"
        );
    }
}
