//! The interop features: `num_traits::Float` on duals (the methods agree bitwise with
//! `Real`, a `Float`-generic function differentiates to its closed-form Jacobian),
//! ndarray batch entry points (layouts, shapes) and nalgebra (column-major matrices).
//! Each part runs only with its feature: `cargo test --release --features
//! num-traits,ndarray,nalgebra --test it interop::`.

#[cfg(feature = "num-traits")]
mod num_traits_float {
    use batchjac::interop::num_traits::{
        AsVectorFn, FloatFn, jacobian, jacobian_and_value, jacobian_batch,
        jacobian_batch_and_values, jacobian_batch_with_options,
    };
    use batchjac::verify::{TaylorOptions, taylor_test};
    use batchjac::{
        BatchOptions, Dual, Error, Lanes, Mode, Real, check_jacobian,
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
            same(Float::$name $args, Real::$name $args, stringify!($name));
        )*};
    }

    fn float_equals_real<E, T, const K: usize>(pairs: &[(Dual<E, T, K>, Dual<E, T, K>)])
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
            let (rs, rc) = Real::sin_cos(x);
            same(s, rs, "sin_cos");
            same(c, rc, "sin_cos");
            // A constant exponent is powf; a variable one is pow.
            let half = <Dual<E, T, K> as NumCast>::from(0.5).unwrap();
            same(Float::powf(x, half), Real::powf(x, 0.5), "powf constant");
            same(Float::powf(x, w), Real::pow(x, w), "powf variable");
            same(Float::log(x, w), Real::ln(x) / Real::ln(w), "log");
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
