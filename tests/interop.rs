//! The interop features: `num_traits::Float` on duals (the methods agree bitwise with
//! `Real`, a `Float`-generic function differentiates to its closed-form Jacobian),
//! ndarray batch entry points (layouts, shapes) and nalgebra (column-major matrices).
//! A test binary of its own, built only with the three features (`required-features`):
//! `cargo test --release --all-features` (README's test command) runs it, and
//! `cargo test --release --all-features --test interop` runs it alone.

#[cfg(feature = "num-traits")]
mod num_traits_float {
    use batchjac::interop::num_traits::{
        AsVectorFn, FloatFn, jacobian, jacobian_and_value, jacobian_batch,
        jacobian_batch_and_values, jacobian_batch_with_options,
    };
    use batchjac::verify::{TaylorOptions, taylor_test};
    use batchjac::{
        BatchOptions, Dual, Error, Lanes, Mode, Real, Value, check_jacobian,
        jacobian_batch_with_options as crate_batch_with_options,
    };
    use num_traits::{Float, FloatConst, Num, NumCast, One, ToPrimitive, Zero};
    use wide::{f32x8, f64x4};

    /// A planar arm of three links (lengths 1, 0.8, 0.5): the end point and its
    /// orientation, with a soft joint limit max(q2, 0)^2 and a damping term
    /// exp(-q0^2), written against `Float` only.
    fn arm<T: Float>(q: &[T], y: &mut [T]) {
        let c = |v: f64| T::from(v).unwrap();
        let lengths = [c(1.0), c(0.8), c(0.5)];
        let (mut angle, mut px, mut py) = (T::zero(), T::zero(), T::zero());
        for (qi, li) in q.iter().zip(lengths) {
            angle = angle + *qi;
            px = px + li * angle.cos();
            py = py + li * angle.sin();
        }
        y[0] = px;
        y[1] = py;
        y[2] = angle;
        y[3] = q[2].max(T::zero()).powi(2) + (-q[0] * q[0]).exp();
    }
    batchjac::float_fn!(Arm(3 => 4) = arm);

    /// The closed-form Jacobian of `arm` (4 x 3 row-major).
    fn arm_jacobian(q: &[f64]) -> Vec<f64> {
        let l = [1.0, 0.8, 0.5];
        let a = [q[0], q[0] + q[1], q[0] + q[1] + q[2]];
        let mut jac = vec![0.0; 12];
        for j in 0..3 {
            // d/dq_j of sum_i l_i cos(a_i): the links i >= j turn with q_j.
            jac[j] = -(j..3).map(|i| l[i] * a[i].sin()).sum::<f64>();
            jac[3 + j] = (j..3).map(|i| l[i] * a[i].cos()).sum::<f64>();
            jac[6 + j] = 1.0;
        }
        jac[9] = -2.0 * q[0] * (-q[0] * q[0]).exp();
        jac[11] = 2.0 * q[2].max(0.0);
        jac
    }

    /// Rosenbrock in n = 4 dimensions as a gradient-style vector function with sqrt,
    /// atan2, hypot, ln, powf: m = 4 inputs, 3 outputs.
    fn mixed<T: Float + FloatConst>(x: &[T], y: &mut [T]) {
        let c = |v: f64| T::from(v).unwrap();
        y[0] = c(100.0) * (x[1] - x[0].powi(2)).powi(2) + (T::one() - x[0]).powi(2);
        y[1] = x[2].atan2(x[3]) * T::FRAC_1_PI() + x[0].hypot(x[1]).sqrt();
        y[2] = x[3].abs().ln() + x[2].powf(c(1.5)) + x[1].mul_add(x[2], x[3]);
    }
    batchjac::float_fn!(Mixed(4 => 3) = mixed);

    fn mixed_jacobian(x: &[f64]) -> Vec<f64> {
        let (a, b, c, d) = (x[0], x[1], x[2], x[3]);
        let h = a.hypot(b);
        let r2 = c * c + d * d;
        let inv_pi = std::f64::consts::FRAC_1_PI;
        vec![
            -400.0 * a * (b - a * a) - 2.0 * (1.0 - a),
            200.0 * (b - a * a),
            0.0,
            0.0,
            a / (2.0 * h * h.sqrt()),
            b / (2.0 * h * h.sqrt()),
            d / r2 * inv_pi,
            -c / r2 * inv_pi,
            0.0,
            c,
            1.5 * c.sqrt() + b,
            1.0 / d + 1.0,
        ]
    }

    fn assert_close(got: &[f64], want: &[f64], tol: f64) {
        assert_eq!(got.len(), want.len());
        for (k, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                (g - w).abs() <= tol * (1.0 + w.abs()),
                "entry {k}: got {g}, expected {w}"
            );
        }
    }

    #[test]
    fn float_function_gives_the_closed_form_jacobian() {
        for q in [[0.3, -0.7, 0.4], [1.1, 0.2, -0.5], [-2.0, 1.5, 0.9]] {
            let mut jac = vec![0.0; 12];
            let mut y = vec![0.0; 4];
            jacobian_and_value(&Arm, &q, &mut jac, &mut y).unwrap();
            assert_close(&jac, &arm_jacobian(&q), 1e-14);
            let mut plain = vec![0.0; 4];
            Arm.eval(&q[..], &mut plain);
            assert_eq!(y, plain, "values equal the plain f64 evaluation");
        }
        for x in [[1.2, 0.8, 0.6, -1.3], [-0.5, 2.0, 3.0, 0.25]] {
            let mut jac = vec![0.0; 12];
            jacobian(&Mixed, &x, &mut jac).unwrap();
            assert_close(&jac, &mixed_jacobian(&x), 1e-13);
        }
    }

    #[test]
    fn f32_and_batch_agree_with_single_points() {
        let q = [0.3f32, -0.7, 0.4];
        let mut jac = [0.0f32; 12];
        jacobian(&Arm, &q, &mut jac).unwrap();
        let want = arm_jacobian(&q.map(|v| v as f64));
        for (g, w) in jac.iter().zip(&want) {
            assert!((*g as f64 - w).abs() < 1e-5, "{g} vs {w}");
        }

        // 100 points, parallel: each Jacobian as the single-point one, bitwise.
        let points: Vec<f64> = (0..300)
            .map(|k| ((k * 37 % 101) as f64) / 25.0 - 2.0)
            .collect();
        let mut jacs = vec![0.0; 100 * 12];
        let mut values = vec![0.0; 100 * 4];
        jacobian_batch_and_values(&Arm, &points, &mut jacs, &mut values).unwrap();
        let mut only_jacs = vec![0.0; 100 * 12];
        jacobian_batch(&Arm, &points, &mut only_jacs).unwrap();
        assert_eq!(jacs, only_jacs);
        for (k, x) in points.chunks(3).enumerate() {
            let (mut one, mut y) = (vec![0.0; 12], vec![0.0; 4]);
            jacobian_and_value(&Arm, x, &mut one, &mut y).unwrap();
            assert_eq!(&jacs[k * 12..(k + 1) * 12], &one[..], "point {k}");
            assert_eq!(&values[k * 4..(k + 1) * 4], &y[..], "point {k}");
        }
    }

    #[test]
    fn checks_and_taylor_test_run_on_the_adapter() {
        let q = [0.3, -0.7, 0.4];
        let right = arm_jacobian(&q);
        assert!(
            check_jacobian(&AsVectorFn(Arm), &q, &right)
                .unwrap()
                .passed()
        );
        let report = taylor_test(&AsVectorFn(Arm), &q, &right, &TaylorOptions::default()).unwrap();
        assert!(report.passed());
        let mut wrong = right.clone();
        wrong[4] += 0.1;
        assert!(
            !check_jacobian(&AsVectorFn(Arm), &q, &wrong)
                .unwrap()
                .passed()
        );
    }

    #[test]
    fn batch_lanes_are_refused_with_a_message() {
        let xs = vec![0.5; 3 * 16];
        let mut jacs = vec![0.0; 12 * 16];
        let options = BatchOptions {
            mode: Mode::BatchLanes,
            ..Default::default()
        };
        let e = jacobian_batch_with_options(&Arm, &xs, &mut jacs, None, &options).unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { .. }), "{e}");
        // Through the crate's own batch function, the adapter's panic becomes an error
        // that says what to do.
        let e =
            crate_batch_with_options(&AsVectorFn(Arm), &xs, &mut jacs, None, &options).unwrap_err();
        assert!(matches!(e, Error::FunctionPanicked { .. }), "{e}");
        assert!(e.to_string().contains("Mode::TangentLanes"), "{e}");
        // Auto mode (which would pick batch lanes for m = 3 and 16 points) works.
        let auto = BatchOptions::default();
        jacobian_batch_with_options(&Arm, &xs, &mut jacs, None, &auto).unwrap();
    }

    #[test]
    fn unwritten_outputs_and_panics_are_errors() {
        fn lazy<T: Float>(x: &[T], y: &mut [T]) {
            y[0] = x[0];
        }
        batchjac::float_fn!(Lazy(1 => 2) = lazy);
        let mut jac = [0.0; 2];
        let e = jacobian(&Lazy, &[1.0], &mut jac).unwrap_err();
        assert_eq!(
            e,
            Error::OutputNotWritten {
                output: 1,
                point: None
            }
        );
        let e = jacobian(&Lazy, &[1.0, 2.0], &mut jac).unwrap_err();
        assert!(matches!(e, Error::Length { what: "x", .. }), "{e}");
    }

    type D64 = Dual<f64, f64x4, 2>;
    type D32 = Dual<f32, f32x8, 1>;

    /// A dual with value `v` and tangents spread over directions.
    fn dual64(v: f64, seed: f64) -> D64 {
        let tangents: Vec<f64> = (0..8).map(|d| (seed * (d as f64 + 1.0)).sin()).collect();
        D64::seeded(v, &tangents)
    }
    fn dual32(v: f32, seed: f32) -> D32 {
        let tangents: Vec<f32> = (0..8).map(|d| (seed * (d as f32 + 1.0)).sin()).collect();
        D32::seeded(v, &tangents)
    }

    /// Value and every tangent equal bitwise (NaNs of any payload count as equal).
    fn same<E: batchjac::Element, T: Lanes<Elem = E>, const K: usize>(
        a: Dual<E, T, K>,
        b: Dual<E, T, K>,
        what: &str,
    ) {
        let same_bits = |x: E, y: E| {
            x.to_f64().to_bits() == y.to_f64().to_bits()
                || (x.to_f64().is_nan() && y.to_f64().is_nan())
        };
        assert!(
            same_bits(a.value, b.value),
            "{what}: value {:?} vs {:?}",
            a.value,
            b.value
        );
        for k in 0..K {
            for lane in 0..T::WIDTH {
                let (x, y) = (a.tangents[k].lane(lane), b.tangents[k].lane(lane));
                assert!(
                    same_bits(x, y),
                    "{what}: tangent {} {x:?} vs {y:?}",
                    k * T::WIDTH + lane
                );
            }
        }
    }

    /// Float::name(args) and Real::name(args) agree bitwise, for each name.
    macro_rules! float_is_real {
        ($args:tt; $($name:ident),*) => {$(
            same(Float::$name $args, Value::$name $args, stringify!($name));
        )*};
    }

    /// An argument pair (x, w).
    type Pair<E, T, const K: usize> = (Dual<E, T, K>, Dual<E, T, K>);

    fn float_equals_real<E, T, const K: usize>(pairs: &[Pair<E, T, K>])
    where
        E: batchjac::Element,
        T: Lanes<Elem = E>,
        Dual<E, T, K>: Float + Real,
    {
        for &(x, w) in pairs {
            float_is_real!((x); abs, signum, recip, sqrt, cbrt, exp, exp2, exp_m1, ln, log2,
                log10, ln_1p, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh,
                atanh);
            float_is_real!((x, w); max, min, hypot, atan2);
            float_is_real!((w, x); max, min, hypot, atan2);
            float_is_real!((x, w, x); mul_add);
            float_is_real!((x, 3); powi);
            float_is_real!((x, -2); powi);
            let (s, c) = Float::sin_cos(x);
            let (rs, rc) = Value::sin_cos(x);
            same(s, rs, "sin_cos");
            same(c, rc, "sin_cos");
            // A constant exponent is powf; a variable one is pow.
            let half = <Dual<E, T, K> as NumCast>::from(0.5).unwrap();
            same(Float::powf(x, half), Value::powf(x, 0.5), "powf constant");
            same(Float::powf(x, w), Value::pow(x, w), "powf variable");
            same(Float::log(x, w), Value::ln(x) / Value::ln(w), "log");
        }
    }

    #[test]
    fn float_methods_equal_real_methods_bitwise() {
        let points = [-2.5, -1.0, -0.3, 0.0, 0.2, 0.7, 1.0, 1.5, 40.0];
        let pairs: Vec<_> = (0..points.len())
            .map(|i| {
                let (v, s) = (points[i], i as f64);
                (dual64(v, 0.3 + s), dual64(0.6 - v / 3.0, 1.7 + s))
            })
            .collect();
        float_equals_real(&pairs);
        let pairs: Vec<_> = (0..points.len())
            .map(|i| {
                let (v, s) = (points[i] as f32, i as f32);
                (dual32(v, 0.3 + s), dual32(0.6 - v / 3.0, 1.7 + s))
            })
            .collect();
        float_equals_real(&pairs);
    }

    #[test]
    fn comparisons_constants_and_casts_look_at_values() {
        let a = dual64(1.5, 0.1);
        let b = dual64(1.5, 0.9);
        assert!(a == b, "equal values, different tangents");
        assert!(dual64(1.0, 0.1) < b && b > dual64(1.0, 0.1));
        assert_eq!(a.partial_cmp(&D64::nan()), None);
        assert!(dual64(0.0, 0.3).is_zero());
        for constant in [
            D64::zero(),
            D64::one(),
            D64::PI(),
            D64::epsilon(),
            <D64 as NumCast>::from(7u8).unwrap(),
            D64::from_str_radix("ff", 16).unwrap(),
        ] {
            assert!((0..8).all(|d| constant.tangent(d) == 0.0));
        }
        assert_eq!(D64::from_str_radix("ff", 16).unwrap().value, 255.0);
        assert_eq!(D64::PI().value, std::f64::consts::PI);
        assert_eq!(D32::max_value().value, f32::MAX);
        assert_eq!(dual64(2.75, 0.2).to_i64(), Some(2));
        assert_eq!(dual32(-1.5, 0.2).to_f64(), Some(-1.5));
        assert_eq!(a.clamp(D64::zero(), D64::one()).value, 1.0);
        assert!(D64::neg_zero().is_sign_negative() && D64::infinity().is_infinite());
        assert_eq!(Float::integer_decode(a), Float::integer_decode(1.5f64));
    }

    #[test]
    fn step_functions_and_remainder_have_their_derivatives() {
        let x = D64::unit(2.7, 0);
        for stepped in [x.floor(), x.ceil(), x.round(), x.trunc()] {
            assert_eq!(stepped.tangent(0), 0.0);
        }
        assert_eq!((x.floor().value, x.ceil().value), (2.0, 3.0));
        assert_eq!(x.fract().tangent(0), 1.0);
        // a % b at a = 7.5, b = 2 (b the second variable): q = 3, so d/da = 1, d/db = -3.
        let (a, b) = (D64::unit(7.5, 0), D64::unit(2.0, 1));
        let r = a % b;
        assert_eq!((r.value, r.tangent(0), r.tangent(1)), (1.5, 1.0, -3.0));
        let r = D64::unit(-7.5, 0) % D64::constant(2.0);
        assert_eq!((r.value, r.tangent(0)), (-1.5, 1.0));
        let mut s = a;
        s %= b;
        assert_eq!(s.value, 1.5);
        // to_degrees and abs_sub.
        assert_eq!(x.to_degrees().tangent(0), 180.0 / std::f64::consts::PI);
        assert_eq!(x.abs_sub(D64::constant(3.0)).value, 0.0);
        assert_eq!(x.abs_sub(D64::constant(2.0)).tangent(0), 1.0);
        // powf with a constant exponent works at x < 0 (pow's d/de would be NaN).
        let cube = Float::powf(D64::unit(-2.0, 0), <D64 as NumCast>::from(3.0).unwrap());
        assert_eq!((cube.value, cube.tangent(0)), (-8.0, 12.0));
    }

    /// Code written against `Float` alone (the user's library) needs no change.
    #[test]
    fn generic_float_code_runs_on_duals() {
        struct Normalize;
        impl FloatFn for Normalize {
            fn inputs(&self) -> usize {
                3
            }
            fn outputs(&self) -> usize {
                3
            }
            fn eval<T: Float>(&self, x: &[T], y: &mut [T]) {
                let n = x.iter().fold(T::zero(), |s, v| s + *v * *v).sqrt();
                for (yi, xi) in y.iter_mut().zip(x) {
                    *yi = *xi / n;
                }
            }
        }
        let x = [1.0, 2.0, 2.0];
        let mut jac = [0.0; 9];
        jacobian(&Normalize, &x, &mut jac).unwrap();
        // d(x / |x|) = (I - u u^T) / |x| with u = x / 3.
        for i in 0..3 {
            for j in 0..3 {
                let want = ((i == j) as u8 as f64 - x[i] * x[j] / 9.0) / 3.0;
                assert!((jac[i * 3 + j] - want).abs() < 1e-15);
            }
        }
    }
}

/// Functions shared by the ndarray and nalgebra tests.
#[cfg(any(feature = "ndarray", feature = "nalgebra"))]
mod shared {
    use batchjac::{Real, VectorFn};

    /// f(x) = (x0 x1 + sin x2, x0^2 - x2, e^x1): 3 inputs, 3 outputs, no symmetry
    /// that would hide a transposed matrix.
    pub struct Skew;
    impl VectorFn for Skew {
        fn inputs(&self) -> usize {
            3
        }
        fn outputs(&self) -> usize {
            3
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            y[0] = x[0] * x[1] + x[2].sin();
            y[1] = x[0] * x[0] - x[2];
            y[2] = x[1].exp();
        }
    }

    /// A 2-output function of 3 inputs: a non-square Jacobian.
    pub struct Wide;
    impl VectorFn for Wide {
        fn inputs(&self) -> usize {
            3
        }
        fn outputs(&self) -> usize {
            2
        }
        fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
            y[0] = x[0] + R::from_f64(2.0) * x[1] + R::from_f64(3.0) * x[2];
            y[1] = x[0] * x[1] * x[2];
        }
    }

    /// Wide's Jacobian (2 x 3, row-major).
    pub fn wide_jacobian(x: &[f64]) -> [f64; 6] {
        [1.0, 2.0, 3.0, x[1] * x[2], x[0] * x[2], x[0] * x[1]]
    }
}

#[cfg(feature = "ndarray")]
mod ndarray_batch {
    use super::shared::{Skew, Wide, wide_jacobian};
    use batchjac::interop::ndarray::{
        jacobian, jacobian_batch, jacobian_batch_and_values, jacobian_batch_with_options, jacobians,
    };
    use batchjac::{BatchOptions, Error, Mode};
    use ndarray::{Array2, Array3, ShapeBuilder, s};

    /// B points of Wide, row k = (k, 1 + k / 10, 2 - k / 7).
    fn points(b: usize) -> Array2<f64> {
        Array2::from_shape_fn((b, 3), |(k, j)| {
            let k = k as f64;
            [k * 0.1, 1.0 + k / 10.0, 2.0 - k / 7.0][j]
        })
    }

    #[test]
    fn standard_layout_equals_the_slice_api() {
        let xs = points(50);
        let jacs = jacobians(&Wide, xs.view()).unwrap();
        assert_eq!(jacs.shape(), &[50, 2, 3]);
        let mut flat = vec![0.0; 50 * 6];
        batchjac::jacobian_batch(&Wide, xs.as_slice().unwrap(), &mut flat).unwrap();
        assert_eq!(jacs.as_slice().unwrap(), &flat[..]);
        for k in 0..50 {
            let row = xs.row(k).to_vec();
            let want = wide_jacobian(&row);
            for i in 0..2 {
                for j in 0..3 {
                    assert_eq!(
                        jacs[[k, i, j]],
                        want[i * 3 + j],
                        "point {k} entry ({i}, {j})"
                    );
                }
            }
            assert_eq!(
                jacobian(&Wide, xs.row(k)).unwrap(),
                jacs.slice(s![k, .., ..])
            );
        }
    }

    #[test]
    fn any_layout_in_and_out() {
        let xs = points(40);
        // The default entry points (Auto mode) agree with each other.
        let auto = jacobians(&Skew, xs.view()).unwrap();
        let mut auto_values = Array2::zeros((40, 3));
        let mut scratch = Array3::zeros((40, 3, 3));
        jacobian_batch_and_values(&Skew, xs.view(), scratch.view_mut(), auto_values.view_mut())
            .unwrap();
        assert_eq!(scratch, auto);

        // One mode for the layout comparisons below, so that equal means bitwise equal
        // (batch lanes use SIMD elementary functions, a few ulp from std's).
        let options = BatchOptions {
            mode: Mode::TangentLanes,
            ..Default::default()
        };
        let mut want = Array3::zeros((40, 3, 3));
        let mut want_values = Array2::zeros((40, 3));
        jacobian_batch_with_options(
            &Skew,
            xs.view(),
            want.view_mut(),
            Some(want_values.view_mut()),
            &options,
        )
        .unwrap();
        for (a, w) in auto.iter().zip(&want) {
            assert!((a - w).abs() <= 1e-14 * (1.0 + w.abs()), "{a} vs {w}");
        }

        // Points as the columns of a 3 x B array (xs transposed), Jacobians and values
        // into Fortran-order arrays.
        let columns = xs.t().to_owned();
        let mut jacs_f = Array3::zeros((40, 3, 3).f());
        let mut values_f = Array2::zeros((40, 3).f());
        jacobian_batch_with_options(
            &Skew,
            columns.t(),
            jacs_f.view_mut(),
            Some(values_f.view_mut()),
            &options,
        )
        .unwrap();
        assert_eq!(jacs_f, want);
        assert_eq!(values_f, want_values);

        // Every other point, through a stepped slice.
        let mut every_other = Array3::zeros((20, 3, 3));
        let half = xs.slice(s![..;2, ..]);
        jacobian_batch_with_options(&Skew, half, every_other.view_mut(), None, &options).unwrap();
        assert_eq!(every_other, want.slice(s![..;2, .., ..]));

        // Writing into a stepped slice of a larger array leaves the rest alone.
        let mut big = Array3::from_elem((40, 3, 3), -7.0);
        let target = big.slice_mut(s![..;2, .., ..]);
        jacobian_batch_with_options(&Skew, half, target, None, &options).unwrap();
        assert_eq!(big.slice(s![..;2, .., ..]), want.slice(s![..;2, .., ..]));
        assert!(big.slice(s![1..;2, .., ..]).iter().all(|&v| v == -7.0));
        // And through the default entry point.
        jacobian_batch(&Skew, half, big.slice_mut(s![1..;2, .., ..])).unwrap();
        assert!(big.iter().all(|&v| v != -7.0));
    }

    #[test]
    fn shape_mismatches_say_expected_and_given() {
        let xs = points(4);
        let message = |e: Error| e.to_string();
        let mut jacs = Array3::zeros((4, 3, 2));
        let e = jacobian_batch(&Wide, xs.view(), jacs.view_mut()).unwrap_err();
        assert_eq!(
            message(e),
            "jacs has shape [4, 3, 2], expected [B, n, m] = [4, 2, 3]"
        );
        let mut jacs = Array3::zeros((4, 2, 3));
        let e = jacobian_batch(&Wide, xs.slice(s![.., ..2]), jacs.view_mut()).unwrap_err();
        assert_eq!(message(e), "xs has shape [4, 2], expected [B, m] = [4, 3]");
        let mut values = Array2::zeros((3, 2));
        let e = jacobian_batch_and_values(&Wide, xs.view(), jacs.view_mut(), values.view_mut())
            .unwrap_err();
        assert_eq!(
            message(e),
            "values has shape [3, 2], expected [B, n] = [4, 2]"
        );
        let e = jacobian(&Wide, ndarray::array![1.0, 2.0].view()).unwrap_err();
        assert_eq!(message(e), "x has shape [2], expected [m] = [3]");
        // No points: the crate's own error.
        let empty = Array2::<f64>::zeros((0, 3));
        let e = jacobians(&Wide, empty.view()).unwrap_err();
        assert!(matches!(e, Error::ZeroDimension { .. }), "{e}");
    }

    #[test]
    fn f32_arrays() {
        let xs = points(9).mapv(|v| v as f32);
        let jacs = jacobians(&Wide, xs.view()).unwrap();
        let want = wide_jacobian(&[0.8, 1.8, 2.0 - 8.0 / 7.0]);
        for (got, want) in jacs.slice(s![8, .., ..]).iter().zip(want) {
            assert!((*got as f64 - want).abs() < 1e-5, "{got} vs {want}");
        }
    }
}

#[cfg(feature = "nalgebra")]
mod nalgebra_matrices {
    use super::shared::{Skew, Wide, wide_jacobian};
    use batchjac::interop::nalgebra::{jacobian, jacobian_and_value, jacobian_static};
    use nalgebra::{DVector, SMatrix, SVector};

    #[test]
    fn dmatrix_is_indexed_by_row_and_column() {
        let x = [0.5, -1.5, 2.5];
        let jac = jacobian(&Wide, &DVector::from_row_slice(&x)).unwrap();
        assert_eq!(jac.shape(), (2, 3));
        let want = wide_jacobian(&x);
        for i in 0..2 {
            for j in 0..3 {
                assert_eq!(jac[(i, j)], want[i * 3 + j], "entry ({i}, {j})");
            }
        }
        // Column-major storage: the first column is (d f0/d x0, d f1/d x0).
        assert_eq!(&jac.as_slice()[..2], &[want[0], want[3]]);
        // J v as a matrix product equals the directional derivative by jvp.
        let v = [0.3, -0.2, 0.9];
        let mut jv = [0.0; 2];
        batchjac::jvp(&Wide, &x, &v, &mut jv, None).unwrap();
        let product = &jac * DVector::from_row_slice(&v);
        for i in 0..2 {
            assert!((product[i] - jv[i]).abs() < 1e-15);
        }
    }

    #[test]
    fn values_static_sizes_and_errors() {
        let x = DVector::from_vec(vec![0.2, 0.4, 0.6]);
        let (jac, y) = jacobian_and_value(&Skew, &x).unwrap();
        assert_eq!(jac, jacobian(&Skew, &x).unwrap());
        assert_eq!(y[1], 0.2 * 0.2 - 0.6);
        assert_eq!(jac[(0, 2)], 0.6f64.cos());
        assert_eq!(jac[(2, 1)], 0.4f64.exp());
        assert_eq!(jac[(1, 2)], -1.0);

        let xs = SVector::<f64, 3>::new(0.5, -1.5, 2.5);
        let jac_s: SMatrix<f64, 2, 3> = jacobian_static(&Wide, &xs).unwrap();
        let jac_d = jacobian(&Wide, &DVector::from_column_slice(xs.as_slice())).unwrap();
        assert_eq!(jac_s.as_slice(), jac_d.as_slice());

        let e = jacobian_static::<_, f64, 3, 3>(&Wide, &xs).unwrap_err();
        assert!(e.to_string().contains("expected N = 3"), "{e}");
        let e = jacobian(&Wide, &DVector::from_vec(vec![1.0, 2.0])).unwrap_err();
        assert_eq!(e.to_string(), "x has 2 values, expected 3");
        let x32 = DVector::from_vec(vec![0.5f32, -1.5, 2.5]);
        assert_eq!(jacobian(&Wide, &x32).unwrap()[(1, 0)], -1.5f32 * 2.5);
    }
}
