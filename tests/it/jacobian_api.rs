//! The single-point entry points: J S equals J times S, jvp equals J v, values equal the
//! plain evaluation bitwise, f32 agrees with f64, and every misuse is an `Error`.

use crate::common::*;
use batchjac::{
    Dual, Element, Error, LaneType, Lanes, Options, Real, Scalar, Tangent, VectorFn, Workspace,
    evaluate, jacobian, jacobian_and_value, jacobian_times, jacobian_with, jacobian_with_options,
    jvp,
};
use proptest::prelude::*;
use wide::f64x4;

const CASES: u32 = 64;

fn plain_values<E: Element, F: VectorFn>(f: &F, x: &[E]) -> Vec<E> {
    let x: Vec<Scalar<E>> = x.iter().map(|&v| Scalar::from(v)).collect();
    let mut y = vec![Scalar::from(elem::<E>(0.0)); f.outputs()];
    f.eval(&x, &mut y);
    y.iter().map(|v| v.value).collect()
}

fn seed_products<E, L>()
where
    E: Element,
    L: Tangent<E> + Lanes<Elem = E>,
{
    let e = eps::<E>();
    let options = Options::with_lanes(lane_type::<L>());
    // p = 1, a few, and past several chunks of the widest dual.
    let strategy = (
        program_and_point(1..=12, 1..=4),
        prop::sample::select(vec![1usize, 3, 9, 40]),
        any::<u64>(),
    );
    check(
        &format!("J S with {}", L::NAME),
        CASES,
        strategy,
        |((f, x), p, seed)| {
            let (m, n) = (f.inputs(), f.outputs());
            let x: Vec<E> = to_elem(&x);
            let s: Vec<E> = SplitMix(seed).vec(m * p, -2.0, 2.0);
            let mut jac = vec![elem::<E>(0.0); n * m];
            jacobian_with_options(&f, &x, &mut jac, None, &options).expect("jacobian");
            let mut js = vec![elem::<E>(0.0); n * p];
            let mut values = vec![elem::<E>(0.0); n];
            jacobian_times(&f, &x, &s, p, &mut js, Some(&mut values), &options).expect("J S");
            let plain = plain_values(&f, &x);
            for (a, b) in values.iter().zip(&plain) {
                prop_assert!(same_bits(*a, *b), "value {a} vs plain {b}");
            }
            let (jac, js, s) = (to_f64(&jac), to_f64(&js), to_f64(&s));
            prop_assume!(all_finite(&jac) && all_finite(&js));
            assert_matrix_product("J S", &js, &jac, &s, (n, m, p), e)?;
            // jvp: one direction, the first column of S.
            let v: Vec<f64> = (0..m).map(|j| s[j * p]).collect();
            let v_e: Vec<E> = to_elem(&v);
            let mut jv = vec![elem::<E>(0.0); n];
            let mut jvp_values = vec![elem::<E>(0.0); n];
            jvp(&f, &x, &v_e, &mut jv, Some(&mut jvp_values)).expect("jvp");
            for i in 0..n {
                prop_assert!(
                    same_bits(jvp_values[i], plain[i]),
                    "jvp value vs plain evaluation"
                );
            }
            assert_matrix_product("J v", &to_f64(&jv), &jac, &v, (n, m, 1), e)?;
            Ok(())
        },
    );
}

for_lane_types! {
    /// J S equals J times S for any seed matrix and p (one chunk or several), and jvp
    /// equals J v; the values they return equal the plain evaluation bitwise.
    fn seed_matrix_and_jvp_equal_matrix_products<E, L>() {
        seed_products::<E, L>();
    }
}

fn values_are_plain_evaluation<E, L>()
where
    E: Element,
    L: Tangent<E> + Lanes<Elem = E>,
{
    let options = Options::with_lanes(lane_type::<L>());
    check(
        &format!("values with {}", L::NAME),
        CASES,
        program_and_point(1..=30, 1..=4),
        |(f, x)| {
            let (m, n) = (f.inputs(), f.outputs());
            let x: Vec<E> = to_elem(&x);
            let plain = plain_values(&f, &x);
            let mut jac = vec![elem::<E>(0.0); n * m];
            let mut values = vec![elem::<E>(0.0); n];
            jacobian_with_options(&f, &x, &mut jac, Some(&mut values), &options).expect("jacobian");
            for (a, b) in values.iter().zip(&plain) {
                prop_assert!(same_bits(*a, *b), "value {a} vs plain evaluation {b}");
            }
            let mut values_auto = vec![elem::<E>(0.0); n];
            jacobian_and_value(&f, &x, &mut jac, &mut values_auto).expect("jacobian_and_value");
            for (a, b) in values_auto.iter().zip(&plain) {
                prop_assert!(
                    same_bits(*a, *b),
                    "jacobian_and_value {a} vs plain evaluation {b}"
                );
            }
            Ok(())
        },
    );
}

for_lane_types! {
    /// The values returned with a Jacobian equal the plain evaluation bitwise.
    fn values_equal_plain_evaluation_bitwise<E, L>() {
        values_are_plain_evaluation::<E, L>();
    }
}

// ---------------------------------------------------------------------------------------
// Errors.

/// A function with configurable dimensions that writes every output.
struct Dims(usize, usize);

impl VectorFn for Dims {
    fn inputs(&self) -> usize {
        self.0
    }
    fn outputs(&self) -> usize {
        self.1
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        for (i, yi) in y.iter_mut().enumerate() {
            *yi = x[i % x.len()] * R::from_f64(i as f64 + 1.0);
        }
    }
}

/// Forgets to write output 2 (of 4).
struct Forgetful;

impl VectorFn for Forgetful {
    fn inputs(&self) -> usize {
        2
    }
    fn outputs(&self) -> usize {
        4
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] = x[0];
        y[1] = x[1];
        y[3] = x[0] * x[1];
    }
}

/// Panics where x[0] is negative.
struct Fragile;

impl VectorFn for Fragile {
    fn inputs(&self) -> usize {
        3
    }
    fn outputs(&self) -> usize {
        1
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        assert!(
            x[0].primal() >= 0.0,
            "x[0] must be nonnegative, got {}",
            x[0].primal()
        );
        y[0] = x[0].sqrt() + x[1] * x[2];
    }
}

fn expect_length(result: Result<(), Error>, what: &str, expected: usize, given: usize) {
    match result {
        Err(Error::Length {
            what: w,
            expected: e,
            given: g,
        }) => {
            assert_eq!((w, e, g), (what, expected, given));
            let message = Error::Length {
                what: w,
                expected: e,
                given: g,
            }
            .to_string();
            assert!(
                message.contains(&format!("expected {expected}")),
                "{message}"
            );
            assert!(message.contains(&given.to_string()), "{message}");
        }
        other => panic!("expected a length error for {what}, got {other:?}"),
    }
}

#[test]
fn wrong_lengths_are_length_errors() {
    let f = Dims(3, 2);
    let x = [1.0, 2.0, 3.0];
    let mut jac = [0.0; 6];
    let mut values = [0.0; 2];
    expect_length(jacobian(&f, &x[..2], &mut jac), "x", 3, 2);
    expect_length(jacobian(&f, &x, &mut jac[..5]), "jac (n * m)", 6, 5);
    expect_length(
        jacobian_and_value(&f, &x, &mut jac, &mut values[..1]),
        "values (n)",
        2,
        1,
    );
    let options = Options::default();
    expect_length(
        jacobian_with_options(&f, &[1.0f32; 4], &mut [0.0f32; 6], None, &options),
        "x",
        3,
        4,
    );
    expect_length(
        jacobian_with::<Dual<f64, f64x4, 1>, _>(&f, &x, &mut [0.0; 7], None),
        "jac (n * m)",
        6,
        7,
    );
    let mut jv = [0.0; 2];
    expect_length(jvp(&f, &x, &[1.0; 2], &mut jv, None), "v", 3, 2);
    expect_length(jvp(&f, &x, &[1.0; 3], &mut [0.0; 3], None), "jv (n)", 2, 3);
    expect_length(
        jvp(&f, &x, &[1.0; 3], &mut jv, Some(&mut [0.0; 1])),
        "values (n)",
        2,
        1,
    );
    let seed = [1.0; 6];
    let mut out = [0.0; 4];
    expect_length(
        jacobian_times(&f, &x, &seed[..5], 2, &mut out, None, &options),
        "seed (m * p)",
        6,
        5,
    );
    expect_length(
        jacobian_times(&f, &x, &seed, 2, &mut out[..3], None, &options),
        "out (n * p)",
        4,
        3,
    );
    expect_length(evaluate(&f, &x, &mut [0.0; 3]), "y", 2, 3);
    // A workspace made for other dimensions.
    let mut workspace = Workspace::<Dual<f64, f64, 1>>::new(2, 2);
    assert!(matches!(
        workspace.jacobian(&f, &x, &mut jac, None),
        Err(Error::Length { .. })
    ));
    // Nothing was written on error, and the next good call works.
    jacobian(&f, &x, &mut jac).unwrap();
    assert_eq!(jac, [1.0, 0.0, 0.0, 0.0, 2.0, 0.0]);
}

#[test]
fn zero_dimensions_are_errors() {
    let mut empty: [f64; 0] = [];
    for (f, what) in [
        (Dims(0, 2), "f.inputs() (m)"),
        (Dims(2, 0), "f.outputs() (n)"),
    ] {
        let x = vec![1.0; f.0];
        let result = jacobian(&f, &x, &mut empty);
        assert_eq!(result, Err(Error::ZeroDimension { what }));
        assert!(result.unwrap_err().to_string().contains("is 0"));
        assert!(matches!(
            jvp(&f, &x, &x, &mut empty, None),
            Err(Error::ZeroDimension { .. })
        ));
        assert!(matches!(
            evaluate(&f, &x, &mut empty),
            Err(Error::ZeroDimension { .. })
        ));
    }
    let f = Dims(2, 2);
    let result = jacobian_times(
        &f,
        &[1.0, 2.0],
        &empty,
        0,
        &mut [],
        None,
        &Options::default(),
    );
    assert_eq!(
        result,
        Err(Error::ZeroDimension {
            what: "p (seed columns)"
        })
    );
}

#[test]
fn an_unwritten_output_is_reported_by_index() {
    let x = [0.5, 2.0];
    let mut jac = [0.0; 8];
    for lanes in [
        LaneType::Auto,
        LaneType::Scalar,
        LaneType::F64x4,
        LaneType::F64x8,
    ] {
        let result =
            jacobian_with_options(&Forgetful, &x, &mut jac, None, &Options::with_lanes(lanes));
        let error = result.unwrap_err();
        assert_eq!(
            error,
            Error::OutputNotWritten {
                output: 2,
                point: None
            },
            "{lanes}"
        );
        assert!(error.to_string().contains("y[2]"), "{error}");
    }
    let xf = [0.5f32, 2.0];
    let result = jacobian(&Forgetful, &xf, &mut [0.0f32; 8]);
    assert_eq!(
        result,
        Err(Error::OutputNotWritten {
            output: 2,
            point: None
        })
    );
    let result = jvp(&Forgetful, &x, &x, &mut [0.0; 4], None);
    assert_eq!(
        result,
        Err(Error::OutputNotWritten {
            output: 2,
            point: None
        })
    );
    let result = jacobian_times(
        &Forgetful,
        &x,
        &[1.0; 6],
        3,
        &mut [0.0; 12],
        None,
        &Options::default(),
    );
    assert_eq!(
        result,
        Err(Error::OutputNotWritten {
            output: 2,
            point: None
        })
    );
    let result = evaluate(&Forgetful, &x, &mut [0.0; 4]);
    assert_eq!(
        result,
        Err(Error::OutputNotWritten {
            output: 2,
            point: None
        })
    );
    // The attribution to a batch point keeps the index.
    let at = Error::OutputNotWritten {
        output: 2,
        point: None,
    }
    .at_point(7);
    assert_eq!(
        at.to_string(),
        "the function did not write output y[2] at point 7"
    );
}

#[test]
fn a_panicking_function_is_an_error_not_a_panic() {
    let bad = [-1.0, 2.0, 3.0];
    let good = [4.0, 2.0, 3.0];
    let mut jac = [0.0; 3];
    for lanes in [
        LaneType::Auto,
        LaneType::Scalar,
        LaneType::F64x4,
        LaneType::F64x8,
    ] {
        let options = Options::with_lanes(lanes);
        let error = jacobian_with_options(&Fragile, &bad, &mut jac, None, &options).unwrap_err();
        match &error {
            Error::FunctionPanicked {
                point: None,
                message,
            } => {
                assert!(
                    message.contains("x[0] must be nonnegative, got -1"),
                    "{message}"
                );
            }
            other => panic!("{lanes}: expected FunctionPanicked, got {other:?}"),
        }
        assert!(
            error
                .to_string()
                .starts_with("the function panicked: x[0] must be"),
            "{error}"
        );
        // No poisoned state: the next call works.
        jacobian_with_options(&Fragile, &good, &mut jac, None, &options).unwrap();
        assert_eq!(jac, [0.25, 3.0, 2.0]);
    }
    assert!(matches!(
        jvp(&Fragile, &bad, &good, &mut [0.0], None),
        Err(Error::FunctionPanicked { .. })
    ));
    assert!(matches!(
        evaluate(&Fragile, &bad, &mut [0.0]),
        Err(Error::FunctionPanicked { .. })
    ));
    let result = jacobian(&Fragile, &[-1.0f32, 0.0, 0.0], &mut [0.0f32; 3]);
    assert!(matches!(result, Err(Error::FunctionPanicked { .. })));
}

#[test]
fn lanes_of_the_other_element_type_are_errors() {
    let f = Dims(3, 2);
    let mut jac32 = [0.0f32; 6];
    for lanes in [LaneType::F64x4, LaneType::F64x8] {
        let result = jacobian_with_options(
            &f,
            &[1.0f32; 3],
            &mut jac32,
            None,
            &Options::with_lanes(lanes),
        );
        assert_eq!(
            result,
            Err(Error::UnsupportedLanes {
                lanes: lanes.name(),
                element: "f32"
            })
        );
        let message = result.unwrap_err().to_string();
        assert!(
            message.contains(lanes.name()) && message.contains("f32"),
            "{message}"
        );
        let result = jacobian_times(
            &f,
            &[1.0f32; 3],
            &[1.0f32; 3],
            1,
            &mut [0.0f32; 2],
            None,
            &Options::with_lanes(lanes),
        );
        assert!(matches!(result, Err(Error::UnsupportedLanes { .. })));
    }
    let mut jac64 = [0.0f64; 6];
    for lanes in [LaneType::F32x8, LaneType::F32x16] {
        let result = jacobian_with_options(
            &f,
            &[1.0f64; 3],
            &mut jac64,
            None,
            &Options::with_lanes(lanes),
        );
        assert_eq!(
            result,
            Err(Error::UnsupportedLanes {
                lanes: lanes.name(),
                element: "f64"
            })
        );
    }
    assert!(
        "f64x3"
            .parse::<LaneType>()
            .unwrap_err()
            .to_string()
            .contains("f64x3")
    );
    for lanes in LaneType::ALL {
        assert_eq!(lanes.name().parse::<LaneType>().unwrap(), lanes);
    }
}

// ---------------------------------------------------------------------------------------
// f32.

/// A well-conditioned test function of 20 inputs (several f32x8 chunks, one f32x16x2
/// chunk) that touches many elementary functions.
struct Smooth20;

impl VectorFn for Smooth20 {
    fn inputs(&self) -> usize {
        20
    }
    fn outputs(&self) -> usize {
        5
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        let mut s = R::from_f64(0.0);
        for (j, xj) in x.iter().enumerate() {
            s += xj.sin().scale(1.0 / (j as f64 + 1.0));
        }
        y[0] = s;
        y[1] = (x[0] * x[19]).exp() + x[5].atan2(x[6] + R::from_f64(3.0));
        // ln_1p, not ln(1 + u): 1 + u rounds away u's digits in f32.
        y[2] = (x[2] * x[2]).ln_1p() * x[3].tanh();
        y[3] = x[7].hypot(x[8]) + (x[9] + R::from_f64(2.0)).pow(x[10]);
        y[4] = x[11..19].iter().fold(R::from_f64(1.0), |p, &v| {
            p * (v * v + R::from_f64(1.0)).sqrt()
        });
    }
}

#[test]
fn f32_jacobians_agree_with_f64_to_f32_precision() {
    let mut rng = SplitMix(32);
    for _ in 0..200 {
        let x32: Vec<f32> = rng.vec(20, -1.0, 1.0);
        // The f64 reference at the same (f32-rounded) point.
        let x64: Vec<f64> = x32.iter().map(|&v| v as f64).collect();
        let mut reference = vec![0.0f64; 100];
        jacobian_with_options(
            &Smooth20,
            &x64,
            &mut reference,
            None,
            &Options::with_lanes(LaneType::Scalar),
        )
        .unwrap();
        for lanes in [
            LaneType::Auto,
            LaneType::Scalar,
            LaneType::F32x8,
            LaneType::F32x16,
        ] {
            let mut jac = vec![0.0f32; 100];
            jacobian_with_options(&Smooth20, &x32, &mut jac, None, &Options::with_lanes(lanes))
                .unwrap();
            for i in 0..5 {
                let row = &reference[i * 20..(i + 1) * 20];
                let scale = row.iter().fold(0.0f64, |a, v| a.max(v.abs()));
                for j in 0..20 {
                    // Each entry is a handful of f32 operations of well-conditioned
                    // functions (y[4] is a product of 8 factors): 64 f32 ulp of the
                    // row's largest entry.
                    let tolerance = 64.0 * f32::EPSILON as f64 * scale;
                    let (got, want) = (jac[i * 20 + j] as f64, row[j]);
                    assert!(
                        (got - want).abs() <= tolerance,
                        "{lanes}: J[{i}][{j}] = {got} (f32) vs {want} (f64)"
                    );
                }
            }
        }
    }
}
