//! Batch-lane SIMD elementary functions (src/simd): accuracy against the correctly
//! rounded core-math on every lane type, special values against std, and batch-lane
//! duals against the scalar dual lane by lane.

use crate::simd_cases::{
    Func, Rng, cases_f32, cases_f64, measure_f32, measure_f64, samples, ulp_distance_f64,
};
use batchjac::{Dual, Lanes, Mask, Value};
use wide::{f32x8, f32x16, f64x4, f64x8};

/// Samples per case in the tests (the example runs millions).
const SAMPLES: usize = 100_000;

#[test]
fn f64_lanes_within_claimed_ulp_of_core_math() {
    let mut failures = Vec::new();
    for case in cases_f64() {
        let (xs, ys) = samples(&case, SAMPLES, 7);
        for (lanes, stats) in [
            ("f64x8", measure_f64::<f64x8>(case.func, &xs, &ys)),
            ("f64x4", measure_f64::<f64x4>(case.func, &xs, &ys)),
        ] {
            if stats.max > case.bound_f64 {
                failures.push(format!(
                    "{} {lanes} on {}: max {} ulp > claimed {} (worst at x = {:e}, y = {:e})",
                    case.func.name(),
                    case.describe(),
                    stats.max,
                    case.bound_f64,
                    stats.worst.0,
                    stats.worst.1
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn f32_lanes_within_claimed_ulp_of_core_math() {
    let mut failures = Vec::new();
    for case in cases_f32() {
        let (xs, ys) = samples(&case, SAMPLES / 2, 11);
        let xs: Vec<f32> = xs.iter().map(|&v| v as f32).collect();
        let ys: Vec<f32> = ys.iter().map(|&v| v as f32).collect();
        for (lanes, stats) in [
            ("f32x16", measure_f32::<f32x16>(case.func, &xs, &ys)),
            ("f32x8", measure_f32::<f32x8>(case.func, &xs, &ys)),
        ] {
            if stats.max > case.bound_f32 {
                failures.push(format!(
                    "{} {lanes} on {}: max {} ulp > claimed {} (worst at x = {:e}, y = {:e})",
                    case.func.name(),
                    case.describe(),
                    stats.max,
                    case.bound_f32,
                    stats.worst.0,
                    stats.worst.1
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Inputs where functions have special values or change method.
fn special_inputs() -> Vec<f64> {
    let mut v = vec![
        0.0,
        -0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        f64::MIN_POSITIVE,
        -f64::MIN_POSITIVE,
        5e-324,
        -5e-324,
        2.5e-310,
        1.0,
        -1.0,
        0.5,
        -0.5,
        2.0,
        -2.0,
        3.0,
        -3.0,
        1e-300,
        1e300,
        -1e300,
        f64::MAX,
        -f64::MAX,
        22.5,
        -22.5,
        709.5,
        709.9,
        710.4,
        -710.4,
        711.0,
        -745.2,
        -746.0,
        1024.0,
        -1075.0,
        1e22,
        -1e22,
        1073741825.0,
        1.5e9,
        0.25,
        1.0 + f64::EPSILON,
        1.0 - f64::EPSILON / 2.0,
        -1.0 + f64::EPSILON / 2.0,
    ];
    v.extend([1e-8, -1e-8, 4e-320]);
    v
}

/// The inputs where a kernel switches between its fast side and its general side
/// (`dispatch` in src/simd/kernels.rs), and their neighbours.
fn switch_points() -> Vec<f64> {
    let points: [f64; 11] = [
        1073741824.0, // 2^30, past which trig lanes use std
        708.0,
        36.0,
        1022.0,
        22.0,
        1e150,
        268435456.0,
        1e300,
        1e-300,
        1.0,
        760.0,
    ];
    let mut v = Vec::new();
    for p in points {
        for x in [p, -p] {
            v.extend([
                x,
                f64::from_bits(x.to_bits() + 1),
                f64::from_bits(x.to_bits() - 1),
            ]);
        }
    }
    v.extend([-1.0 + f64::EPSILON, f64::MIN_POSITIVE * 0.5]);
    // The logarithm's reduction: m wraps to [0.6875, 1) at 1.375; the table intervals
    // next to 1 (c = 1) end at 1 - 2^-8 and 1 + 2^-7.
    for p in [
        1.375,
        0.6875,
        1.0 - 1.0 / 256.0,
        1.0 + 1.0 / 128.0,
        f64::MAX,
    ] {
        v.extend([p, f64::from_bits(p.to_bits() - 1)]);
    }
    v
}

/// The logarithm kernel's table (src/simd/log_table.rs) splits m in [0.6875, 1.375)
/// into 128 intervals, width 2^-8 below 1 and 2^-7 above: at both ends of every one, at
/// binary exponents across the range, ln, log2, log10 and ln_1p (of x - 1) stay within
/// 1 ulp of the correctly rounded result, and four lanes give the bits of the values
/// alone.
#[test]
fn logarithms_at_every_table_boundary() {
    let mut failures = Vec::new();
    let mut xs = Vec::new();
    for i in 0..=128u32 {
        let m = if i < 80 {
            0.6875 + f64::from(i) / 256.0
        } else {
            1.0 + f64::from(i - 80) / 128.0
        };
        for e in [-1074, -1022, -600, -1, 0, 1, 2, 600, 1023] {
            let x = m * 2f64.powi(e);
            if x > 0.0 && x.is_finite() {
                xs.extend([
                    x,
                    f64::from_bits(x.to_bits() + 1),
                    f64::from_bits(x.to_bits() - 1),
                ]);
            }
        }
    }
    xs.resize(xs.len().next_multiple_of(4), 1.0);
    for func in [Func::Ln, Func::Log2, Func::Log10, Func::Ln1p] {
        for chunk in xs.chunks_exact(4) {
            // ln_1p at x - 1 (exact for x in [0.5, 2]): the same m next to 1.
            let arg = |x: f64| if func == Func::Ln1p { x - 1.0 } else { x };
            let lanes = func.apply(f64x4::from_fn(|i| arg(chunk[i])), f64x4::splat(0.0));
            for (i, &x) in chunk.iter().enumerate() {
                let x = arg(x);
                let alone = func.apply(x, 0.0);
                let error = ulp_distance_f64(alone, func.reference(x, 0.0));
                if error > 1.0 || lanes.lane(i).to_bits() != alone.to_bits() {
                    failures.push(format!(
                        "{} at {x:e}: {alone:e} ({error} ulp), lane {:e}",
                        func.name(),
                        lanes.lane(i)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every function once, with its cases' samples.
fn functions_and_samples() -> Vec<(Func, Vec<f64>)> {
    let mut out: Vec<(Func, Vec<f64>)> = Vec::new();
    for case in cases_f64() {
        let (xs, ys) = samples(&case, 64, 3);
        match out.iter_mut().find(|(f, _)| *f == case.func) {
            Some((_, pool)) => pool.extend(xs.into_iter().chain(ys)),
            None => out.push((case.func, xs.into_iter().chain(ys).collect())),
        }
    }
    out
}

/// Applies `func` to lane type `L` built from the first `L::WIDTH` inputs and records
/// every lane whose bits (`bits`) differ from the value computed alone.
fn lanes_match_alone<L>(
    func: Func,
    xs: &[L::Elem],
    ys: &[L::Elem],
    bits: impl Fn(L::Elem) -> u64,
    failures: &mut Vec<String>,
) where
    L: Value + Lanes,
    L::Elem: Value + core::fmt::LowerExp,
{
    let lanes = func.apply(L::from_fn(|i| xs[i]), L::from_fn(|i| ys[i]));
    for i in 0..L::WIDTH {
        let (got, alone) = (lanes.lane(i), func.apply(xs[i], ys[i]));
        if bits(got) != bits(alone) {
            failures.push(format!(
                "{} {} lane {i} at ({:e}, {:e}): {got:e}, alone {alone:e}",
                func.name(),
                L::NAME,
                xs[i],
                ys[i],
            ));
        }
    }
}

/// Each lane of a vector takes its own side through a kernel (the fast one where its
/// input is regular, the general one elsewhere, see `dispatch`), so its bits equal the
/// one-lane result (the scalar `Value` impl) whatever the other lanes hold: vectors
/// mixing special values, the switch points and samples of every case, compared bit
/// for bit (NaN payloads included) on f64x8, f64x4 and, rounded, on f32x16 and f32x8.
#[test]
fn a_lanes_bits_do_not_depend_on_its_neighbours() {
    let mut failures = Vec::new();
    let mut rng = Rng(20261201);
    for (func, samples) in functions_and_samples() {
        let mut pool = special_inputs();
        pool.extend(switch_points());
        pool.extend(samples);
        for _ in 0..400 {
            let mut pick = || pool[(rng.next_u64() % pool.len() as u64) as usize];
            let xs: [f64; 16] = core::array::from_fn(|_| pick());
            let ys: [f64; 16] = core::array::from_fn(|_| pick());
            let (x32, y32) = (xs.map(|v| v as f32), ys.map(|v| v as f32));
            let bits64 = |v: f64| v.to_bits();
            let bits32 = |v: f32| u64::from(v.to_bits());
            lanes_match_alone::<f64x8>(func, &xs, &ys, bits64, &mut failures);
            lanes_match_alone::<f64x4>(func, &xs, &ys, bits64, &mut failures);
            lanes_match_alone::<f32x16>(func, &x32, &y32, bits32, &mut failures);
            lanes_match_alone::<f32x8>(func, &x32, &y32, bits32, &mut failures);
        }
    }
    assert!(
        failures.is_empty(),
        "{} lanes differ from their value alone:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

/// Checks lane type `L` on special inputs: NaN exactly where std gives NaN; where the
/// correctly rounded result is a zero or an infinity, the same bits; otherwise within
/// `bound` ulp of it. (core-math rather than std decides zeros and infinities: std's
/// asinh overflows to inf at f64::MAX, where the true value is 710.48.)
fn check_specials<L: Value + Lanes<Elem = f64>>(failures: &mut Vec<String>) {
    let inputs = special_inputs();
    let bounds: Vec<(Func, f64)> = cases_f64().iter().map(|c| (c.func, c.bound_f64)).collect();
    for &(func, bound) in &bounds {
        let pairs: Vec<(f64, f64)> = if func.binary() {
            inputs
                .iter()
                .flat_map(|&x| inputs.iter().map(move |&y| (x, y)))
                .collect()
        } else {
            inputs.iter().map(|&x| (x, 0.0)).collect()
        };
        for chunk in pairs.chunks(L::WIDTH) {
            // Pad a short last chunk with its first pair.
            let pick = |i: usize| chunk.get(i).copied().unwrap_or(chunk[0]);
            let x = L::from_fn(|i| pick(i).0);
            let y = L::from_fn(|i| pick(i).1);
            let result = func.apply(x, y);
            for (i, &(xi, yi)) in chunk.iter().enumerate() {
                let got = result.lane(i);
                let expected = func.reference(xi, yi);
                let ok = if func.apply(xi, yi).is_nan() {
                    got.is_nan()
                } else if expected == 0.0 || expected.is_infinite() {
                    got.to_bits() == expected.to_bits()
                } else {
                    ulp_distance_f64(got, expected) <= bound
                };
                if !ok {
                    failures.push(format!(
                        "{} {}({xi:e}, {yi:e}) = {got:e}, correctly rounded {expected:e}",
                        L::NAME,
                        func.name()
                    ));
                }
            }
        }
    }
}

#[test]
fn special_values_as_std() {
    let mut failures = Vec::new();
    check_specials::<f64x8>(&mut failures);
    check_specials::<f64x4>(&mut failures);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn special_values_f32_as_std() {
    let mut failures = Vec::new();
    let inputs: Vec<f32> = special_inputs()
        .into_iter()
        .map(|v| v as f32)
        .chain([
            f32::MIN_POSITIVE,
            1e-45,
            -1e-45,
            88.9,
            -104.0,
            89.4,
            f32::MAX,
            1025.0,
        ])
        .collect();
    for case in cases_f32() {
        let func = case.func;
        let pairs: Vec<(f32, f32)> = if func.binary() {
            inputs
                .iter()
                .flat_map(|&x| inputs.iter().map(move |&y| (x, y)))
                .collect()
        } else {
            inputs.iter().map(|&x| (x, 0.0)).collect()
        };
        for chunk in pairs.chunks(16) {
            let pick = |i: usize| chunk.get(i).copied().unwrap_or(chunk[0]);
            let x = <f32x16 as Lanes>::from_fn(|i| pick(i).0);
            let y = <f32x16 as Lanes>::from_fn(|i| pick(i).1);
            let result = func.apply(x, y);
            for (i, &(xi, yi)) in chunk.iter().enumerate() {
                let got = result.lane(i);
                let expected = func.reference_f32(xi, yi);
                let ok = if func.apply(xi, yi).is_nan() {
                    got.is_nan()
                } else if expected == 0.0 || expected.is_infinite() {
                    got.to_bits() == expected.to_bits()
                } else {
                    crate::simd_cases::ulp_distance_f32(got, expected) <= 1.0
                };
                if !ok {
                    failures.push(format!(
                        "f32x16 {}({xi:e}, {yi:e}) = {got:e}, correctly rounded {expected:e}",
                        func.name()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn powi_matches_std_bit_for_bit() {
    let inputs = special_inputs();
    for n in [
        -1075,
        -64,
        -7,
        -2,
        -1,
        0,
        1,
        2,
        3,
        5,
        17,
        64,
        1023,
        i32::MIN,
        i32::MAX,
    ] {
        for chunk in inputs.chunks(8) {
            let pick = |i: usize| chunk.get(i).copied().unwrap_or(chunk[0]);
            let x = <f64x8 as Lanes>::from_fn(pick);
            let result = Value::powi(x, n);
            for (i, &xi) in chunk.iter().enumerate() {
                let (got, expected) = (result.lane(i), xi.powi(n));
                assert!(
                    got.to_bits() == expected.to_bits() || (got.is_nan() && expected.is_nan()),
                    "powi({xi:e}, {n}) = {got:e}, std {expected:e}"
                );
            }
        }
    }
}

#[test]
fn powf_is_pow_with_a_constant_exponent() {
    let x = f64x4::new([0.3, 2.0, -8.0, 1e-310]);
    for c in [-2.5, -1.0, 0.0, 1.0 / 3.0, 0.5, 3.0] {
        // Through `Real`: wide's inherent methods of the same names would shadow it.
        let got = Value::powf(x, c);
        let expected = Value::pow(x, f64x4::splat(c));
        assert_eq!(
            got.to_array().map(f64::to_bits),
            expected.to_array().map(f64::to_bits)
        );
        for i in 0..4 {
            let reference = core_math::pow(x.lane(i), c);
            assert!(
                ulp_distance_f64(got.lane(i), reference) <= 1.0,
                "pow({}, {c})",
                x.lane(i)
            );
        }
    }
}

#[test]
fn min_max_signum_abs_follow_std() {
    let a = f64x8::new([
        1.0,
        f64::NAN,
        2.0,
        -0.0,
        f64::NEG_INFINITY,
        3.0,
        f64::NAN,
        -5.0,
    ]);
    let b = f64x8::new([2.0, 1.0, f64::NAN, 0.0, 0.0, 3.0, f64::NAN, -7.0]);
    let (mn, mx) = (Value::min(a, b), Value::max(a, b));
    for i in 0..8 {
        let (x, y) = (a.lane(i), b.lane(i));
        for (got, expected) in [(mn.lane(i), x.min(y)), (mx.lane(i), x.max(y))] {
            assert!(
                got == expected || (got.is_nan() && expected.is_nan()),
                "lane {i}: {got} vs {expected}"
            );
        }
        let s = Value::signum(a).lane(i);
        assert!(s.to_bits() == x.signum().to_bits() || (s.is_nan() && x.is_nan()));
        assert_eq!(Value::abs(a).lane(i).to_bits(), x.abs().to_bits());
    }
    // -0 vs 0: the first argument wins a tie.
    assert_eq!(Value::min(a, b).lane(3).to_bits(), (-0.0f64).to_bits());
}

#[test]
fn masks_select_and_poison_work_lane_by_lane() {
    let x = f32x8::new([1.0, -2.0, 3.0, f32::NAN, 5.0, -6.0, 7.0, 0.0]);
    let zero = f32x8::splat(0.0);
    let positive = x.gt(zero);
    assert!(positive.any() && !positive.all());
    let relu = <f32x8 as Value>::select(positive, x, zero);
    assert_eq!(relu.to_array(), [1.0, 0.0, 3.0, 0.0, 5.0, 0.0, 7.0, 0.0]);
    let nan = Value::is_nan(x);
    assert!(nan.any() && !(nan & positive).any());
    assert!((!nan | positive).any() && !(!nan & positive).all());
    assert!(!Value::is_finite(x).all());
    assert_eq!(x.primal(), 1.0);
    assert_eq!(<f32x16 as Value>::POINTS, 16);
    let mut lanes = [1.0f64; 8];
    assert!(!f64x8::new(lanes).is_poison());
    lanes[5] = <f64 as batchjac::Float>::poison();
    assert!(f64x8::new(lanes).is_poison());
    assert!(<f64x4 as Value>::poison().is_poison());
}

/// Functions built from the rules that `Func` does not cover: powi, powf, min, max,
/// signum, abs, mul_add, and a branch written with `select`.
fn remaining_rules<R: Value>(x: R, y: R) -> R {
    let one = R::from_f64(1.0);
    let u = x.powi(3) * y.powi(-2) + x.powf(1.5) + x.min(y) * y.max(x);
    let u = u + y.signum() * (x - y).abs() + x.mul_add(y, one);
    R::select(x.gt(y), u, u * u)
}

/// Compares the batch-lane dual `Dual<L, L, 2>` with the scalar dual `Dual<E, E, 2>` lane
/// by lane for `f`: inputs x (tangents 1, 0.25) and y (tangents 0, 1) per point, values
/// and both tangents bit for bit (the scalar value path runs the same kernels on one
/// lane).
fn compare_with_scalar<L>(
    name: &str,
    f: impl Fn(Dual<L, L, 2>, Dual<L, L, 2>) -> Dual<L, L, 2>,
    g: impl Fn(Dual<L::Elem, L::Elem, 2>, Dual<L::Elem, L::Elem, 2>) -> Dual<L::Elem, L::Elem, 2>,
    shift: f64,
) where
    L: Value + Lanes + batchjac::Tangent<L>,
    L::Elem: Value + batchjac::Float + batchjac::Tangent<L::Elem>,
{
    use batchjac::Float;
    let e = |v: f64| <L::Elem as Float>::from_f64(v);
    for round in 0..4 {
        // Points in (0.1, 0.95) (acosh: shifted past 1), x != y.
        let xs: Vec<f64> = (0..L::WIDTH)
            .map(|i| shift + 0.1 + (0.137 * (i + round * L::WIDTH) as f64) % 0.85)
            .collect();
        let ys: Vec<f64> = (0..L::WIDTH)
            .map(|i| 0.15 + (0.071 * (3 * i + round) as f64) % 0.8)
            .collect();
        let lanes = |v: &[f64]| L::from_fn(|i| e(v[i]));
        let x = Dual::<L, L, 2> {
            value: lanes(&xs),
            tangents: [L::from_fn(|_| e(1.0)), L::from_fn(|_| e(0.25))],
        };
        let y = Dual::<L, L, 2> {
            value: lanes(&ys),
            tangents: [L::from_fn(|_| e(0.0)), L::from_fn(|_| e(1.0))],
        };
        let batch = f(x, y);
        for i in 0..L::WIDTH {
            let xi = Dual::<L::Elem, L::Elem, 2> {
                value: e(xs[i]),
                tangents: [e(1.0), e(0.25)],
            };
            let yi = Dual::<L::Elem, L::Elem, 2> {
                value: e(ys[i]),
                tangents: [e(0.0), e(1.0)],
            };
            let scalar = g(xi, yi);
            let pairs = [
                (batch.value.lane(i), scalar.value),
                (batch.tangents[0].lane(i), scalar.tangents[0]),
                (batch.tangents[1].lane(i), scalar.tangents[1]),
            ];
            for (k, (got, expected)) in pairs.into_iter().enumerate() {
                let (got, expected) = (got.to_f64(), expected.to_f64());
                assert!(
                    got.to_bits() == expected.to_bits() || (got.is_nan() && expected.is_nan()),
                    "{name} {} lane {i} part {k}: batch {got:e}, scalar {expected:e} (x = {}, y = {})",
                    L::NAME,
                    xs[i],
                    ys[i]
                );
            }
        }
    }
}

fn batch_lane_matches_scalar<L>()
where
    L: Value + Lanes + batchjac::Tangent<L>,
    L::Elem: Value + batchjac::Float + batchjac::Tangent<L::Elem>,
{
    for case in cases_f64() {
        let func = case.func;
        let shift = if func == Func::Acosh { 1.0 } else { 0.0 };
        compare_with_scalar::<L>(
            func.name(),
            |x, y| func.apply(x, y),
            |x, y| func.apply(x, y),
            shift,
        );
    }
    compare_with_scalar::<L>(
        "powi/powf/min/max/signum/abs/mul_add/select",
        remaining_rules,
        remaining_rules,
        0.0,
    );
}

#[test]
fn batch_lane_dual_matches_scalar_dual() {
    // Bit for bit: values and derivative formulas run the same operations on a lane of
    // a batch and on a scalar, whose elementary functions are the lane kernels.
    batch_lane_matches_scalar::<f64x8>();
    batch_lane_matches_scalar::<f64x4>();
    batch_lane_matches_scalar::<f32x8>();
    batch_lane_matches_scalar::<f32x16>();
}

/// Jacobians of `points` suite points in batch-lane mode with lane type `L` (K = 4
/// directions per pass), through the batch-lane block driver.
fn batch_lane_jacobians<L, F>(f: &F, xs: &[f64]) -> Vec<f64>
where
    F: batchjac::VectorFn,
    L: batchjac::batch_lane::PointLanes,
    L::Elem: batchjac::Element,
{
    use batchjac::Float;
    let (m, n) = (f.inputs(), f.outputs());
    let xs: Vec<L::Elem> = xs
        .iter()
        .map(|&v| <L::Elem as Float>::from_f64(v))
        .collect();
    let points = xs.len() / m;
    let mut jacs = vec![<L::Elem as Float>::from_f64(0.0); points * n * m];
    let mut workspace = batchjac::batch_lane::LaneBlockWorkspace::<L, 4>::new(m, n);
    workspace
        .jacobian_points(f, &xs, &mut jacs, None)
        .expect("suite functions evaluate");
    jacs.iter().map(|v| v.to_f64()).collect()
}

#[test]
fn batch_lane_suite_jacobians_match_analytic() {
    use batchjac::VectorFn;
    use batchjac::suite::{Analytic, SuiteFunction};
    // 37 points: four full blocks of 8 (two of 16) and a padded tail.
    let points = 37;
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        let xs = f.points(points);
        let mut analytic = vec![0.0; points * n * m];
        for k in 0..points {
            f.analytic_jacobian(
                &xs[k * m..(k + 1) * m],
                &mut analytic[k * n * m..(k + 1) * n * m],
            );
        }
        // Errors relative to the largest entry of the point's Jacobian. Measured maxima
        // (2026-11-26): f64 4.5e-15 (mlp), f32 2.5e-6 (mlp; f32 also rounds the point
        // itself, which the f64 analytic Jacobian does not see); bounds keep ~10-20x.
        for (lanes, jacs, tolerance) in [
            ("f64x8", batch_lane_jacobians::<f64x8, _>(&f, &xs), 1e-13),
            ("f64x4", batch_lane_jacobians::<f64x4, _>(&f, &xs), 1e-13),
            ("f32x16", batch_lane_jacobians::<f32x16, _>(&f, &xs), 3e-5),
            ("f32x8", batch_lane_jacobians::<f32x8, _>(&f, &xs), 3e-5),
        ] {
            for k in 0..points {
                let block = k * n * m..(k + 1) * n * m;
                let scale = analytic[block.clone()]
                    .iter()
                    .fold(0.0f64, |a, v| a.max(v.abs()));
                for e in block {
                    assert!(
                        (jacs[e] - analytic[e]).abs() <= tolerance * scale,
                        "{} {lanes} point {k} entry {}: batch-lane {}, analytic {}",
                        f.name(),
                        e - k * n * m,
                        jacs[e],
                        analytic[e]
                    );
                }
            }
        }
    }
}

/// sin and cos next to multiples of pi/2 (x = k pi/2 rounded, k up to 2^17): the reduced
/// argument is tiny there, so every part of the three-part pi/2 of the Cody-Waite
/// reduction shows in the result; within the claimed 2 ulp of core-math.
#[test]
fn trig_next_to_multiples_of_half_pi() {
    for k in (1..=1u32 << 17).step_by(8) {
        let xs: [f64; 8] =
            core::array::from_fn(|i| (k + i as u32) as f64 * core::f64::consts::FRAC_PI_2);
        let (s, c) = Value::sin_cos(f64x8::from(xs));
        for (i, &x) in xs.iter().enumerate() {
            let (s, c) = (s.to_array()[i], c.to_array()[i]);
            let (es, ec) = (core_math::sin(x), core_math::cos(x));
            assert!(
                ulp_distance_f64(s, es) <= 2.0,
                "sin({x:e}) = {s:e}, core-math {es:e}"
            );
            assert!(
                ulp_distance_f64(c, ec) <= 2.0,
                "cos({x:e}) = {c:e}, core-math {ec:e}"
            );
        }
    }
}
