//! The suite functions of docs/SUITE.md: AD equals the hand-written analytic Jacobian of
//! src/suite.rs to 1e-13 relative to the largest entry of each row, at the 64 docs/SUITE.md
//! points of each function, for every f64 lane type; f32 AD agrees to f32 precision.

use batchjac::suite::{Analytic, SuiteFunction};
use batchjac::{LaneType, Options, VectorFn, jacobian_with_options};

const POINTS: usize = 64;

/// The bound asked for by the kernel issue. Both sides are a few roundings of the same
/// well-conditioned formulas (entry-wise errors of ~1e-15 relative to the row), so this
/// leaves a margin of ~100 while a wrong term shows up at the size of the entry.
const RELATIVE_TO_ROW: f64 = 1e-13;

/// The largest |entry| of each row.
fn row_scales(jac: &[f64], m: usize) -> Vec<f64> {
    jac.chunks(m)
        .map(|row| row.iter().fold(0.0f64, |a, v| a.max(v.abs())))
        .collect()
}

#[test]
fn ad_equals_analytic_jacobians_at_64_points() {
    let mut summary = Vec::new();
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        let xs = f.points(POINTS);
        let mut exact = vec![0.0; n * m];
        let mut ad = vec![0.0; n * m];
        let mut worst = 0.0f64;
        for (k, x) in xs.chunks(m).enumerate() {
            f.analytic_jacobian(x, &mut exact);
            let scales = row_scales(&exact, m);
            for lanes in [
                LaneType::Auto,
                LaneType::Scalar,
                LaneType::F64x4,
                LaneType::F64x8,
            ] {
                jacobian_with_options(&f, x, &mut ad, None, &Options::with_lanes(lanes)).unwrap();
                for i in 0..n {
                    assert!(
                        scales[i] > 0.0,
                        "{}: row {i} of the analytic Jacobian is zero",
                        f.name()
                    );
                    for j in 0..m {
                        let error = (ad[i * m + j] - exact[i * m + j]).abs() / scales[i];
                        worst = worst.max(error);
                        assert!(
                            error <= RELATIVE_TO_ROW,
                            "{} point {k} ({lanes}): J[{i}][{j}] AD {} vs analytic {} \
                             ({error:e} of the row's largest entry)",
                            f.name(),
                            ad[i * m + j],
                            exact[i * m + j]
                        );
                    }
                }
            }
        }
        summary.push(format!(
            "{}: worst {worst:.2e} of the row's largest entry",
            f.name()
        ));
    }
    println!("{}", summary.join("\n"));
}

#[test]
fn f32_ad_agrees_with_analytic_to_f32_precision() {
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        let xs = f.points(POINTS);
        let mut exact = vec![0.0; n * m];
        let mut ad = vec![0.0f32; n * m];
        let mut worst = 0.0f64;
        // A few f32 roundings of the row's scale, except for mlp: its softmax Jacobian
        // y_k (dz_k - sum_l y_l dz_l) cancels, its entries are ~100 times smaller than
        // the terms they are made of (f64 AD shows the same: ~75 eps of the row's
        // largest entry against ~2 for the others), so it gets 16 times the allowance.
        let f32_ulps = if f.name() == "mlp" { 256.0 } else { 16.0 };
        for (k, x) in xs.chunks(m).enumerate() {
            let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
            // The exact Jacobian at the f32-rounded point, so that only the arithmetic
            // differs.
            let x64: Vec<f64> = x32.iter().map(|&v| v as f64).collect();
            f.analytic_jacobian(&x64, &mut exact);
            let scales = row_scales(&exact, m);
            for lanes in [
                LaneType::Auto,
                LaneType::Scalar,
                LaneType::F32x8,
                LaneType::F32x16,
            ] {
                jacobian_with_options(&f, &x32, &mut ad, None, &Options::with_lanes(lanes))
                    .unwrap();
                for i in 0..n {
                    for j in 0..m {
                        let tolerance = f32_ulps * f32::EPSILON as f64 * scales[i];
                        let got = ad[i * m + j] as f64;
                        worst = worst.max((got - exact[i * m + j]).abs() / scales[i]);
                        assert!(
                            (got - exact[i * m + j]).abs() <= tolerance,
                            "{} point {k} ({lanes}): J[{i}][{j}] f32 AD {got} vs analytic {}",
                            f.name(),
                            exact[i * m + j]
                        );
                    }
                }
            }
        }
        println!(
            "{}: f32 worst {worst:.2e} of the row's largest entry",
            f.name()
        );
    }
}
