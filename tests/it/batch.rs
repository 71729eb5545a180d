//! The batch engine: right answers (against the suite's analytic Jacobians), the same
//! bits for any thread count and grain, errors for bad arguments, a panicking or
//! forgetful user function named by its lowest point, NaN/inf confined to its point,
//! and the progress hook's counts.

use batchjac::suite::{Analytic, SuiteFunction};
use batchjac::{
    BatchOptions, Dual, Error, LaneType, Mask, Mode, Real, VectorFn, evaluate, jacobian,
    jacobian_batch, jacobian_batch_and_values, jacobian_batch_with, jacobian_batch_with_options,
    jacobian_batch_with_progress,
};
use proptest::prelude::*;
use rayon::ThreadPoolBuilder;
use std::ops::ControlFlow;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use wide::{f64x4, f64x8};

/// Runs `work` in a fresh rayon pool of `threads` threads.
fn in_pool<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> T {
    ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
        .install(work)
}

/// The B Jacobians and values of `f` at `xs` with `options`, in a pool of `threads`.
fn batch(
    f: &SuiteFunction,
    xs: &[f64],
    threads: usize,
    options: BatchOptions,
) -> (Vec<f64>, Vec<f64>) {
    let (m, n) = (f.inputs(), f.outputs());
    let points = xs.len() / m;
    let mut jacs = vec![f64::NAN; points * n * m];
    let mut values = vec![f64::NAN; points * n];
    in_pool(threads, || {
        jacobian_batch_with_options(f, xs, &mut jacs, Some(&mut values), &options)
    })
    .expect("batch");
    (jacs, values)
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

/// Every suite function, at 61 of its docs/SUITE.md points: each Jacobian matches the
/// hand-written analytic one, and each value matches plain f64 evaluation.
#[test]
fn batch_matches_analytic_jacobians_and_values() {
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        let points = 61;
        let xs = f.points(points);
        let (jacs, values) = batch(&f, &xs, 2, BatchOptions::default());
        let mut exact = vec![0.0; n * m];
        let mut y = vec![0.0; n];
        for k in 0..points {
            let x = &xs[k * m..(k + 1) * m];
            f.analytic_jacobian(x, &mut exact);
            for (e, (&ad, &reference)) in jacs[k * n * m..(k + 1) * n * m]
                .iter()
                .zip(&exact)
                .enumerate()
            {
                // AD and the analytic formula round differently; a few ulp of the
                // entry (or of 1 near zero) is all either may lose on these functions.
                let tolerance = 1e-13 * (1.0 + reference.abs());
                assert!(
                    (ad - reference).abs() <= tolerance,
                    "{} point {k} entry {e}: AD {ad} analytic {reference}",
                    f.name()
                );
            }
            evaluate(&f, x, &mut y).unwrap();
            for (i, (&v, &plain)) in values[k * n..(k + 1) * n].iter().zip(&y).enumerate() {
                let tolerance = 1e-14 * (1.0 + plain.abs());
                assert!(
                    (v - plain).abs() <= tolerance,
                    "{} point {k} value {i}: batch {v} plain {plain}",
                    f.name()
                );
            }
        }
    }
}

/// The same bits for 1, 2 and 16 threads, for automatic and fixed grains, parallel or
/// sequential, and the same as the single-point `jacobian` of each point.
#[test]
fn batch_is_bitwise_deterministic() {
    for f in SuiteFunction::all() {
        let (m, n) = (f.inputs(), f.outputs());
        // Enough points that 16 threads get several tasks even for brusselator.
        let points = if m * n > 1000 { 40 } else { 523 };
        let xs = f.points(points);
        for mode in [Mode::TangentLanes, Mode::BatchLanes] {
            let sequential = BatchOptions {
                mode,
                ..BatchOptions::sequential()
            };
            let (reference_jacs, reference_values) = batch(&f, &xs, 1, sequential);
            for threads in [1, 2, 16] {
                for grain in [None, Some(1), Some(7), Some(64), Some(points)] {
                    let options = BatchOptions {
                        grain,
                        mode,
                        ..Default::default()
                    };
                    let (jacs, values) = batch(&f, &xs, threads, options);
                    assert_eq!(
                        bits(&jacs),
                        bits(&reference_jacs),
                        "{} {mode} threads {threads} grain {grain:?}",
                        f.name()
                    );
                    assert_eq!(bits(&values), bits(&reference_values));
                }
            }
            // Each point alone gives the same bits: through the single-point path in
            // tangent-lane mode, and as a one-point (padded) block in batch-lane mode, which
            // shows that SIMD lanes do not influence each other.
            let mut single = vec![0.0; n * m];
            for k in 0..points {
                let x = &xs[k * m..(k + 1) * m];
                match mode {
                    Mode::BatchLanes => {
                        jacobian_batch_with_options(&f, x, &mut single, None, &sequential).unwrap()
                    }
                    _ => jacobian(&f, x, &mut single).unwrap(),
                }
                assert_eq!(
                    bits(&single),
                    bits(&reference_jacs[k * n * m..(k + 1) * n * m]),
                    "{} {mode} point {k}",
                    f.name()
                );
            }
        }
    }
}

/// Every f64 lane type and every static dual width gives the scalar oracle's Jacobians
/// to rounding (the lanes may fuse multiply-adds differently).
#[test]
fn lane_types_and_dual_widths_agree_with_scalar_oracle() {
    let f = SuiteFunction::by_name("trigonometric").unwrap();
    let (m, n) = (f.inputs(), f.outputs());
    let points = 33;
    let xs = f.points(points);
    let (oracle, _) = batch(&f, &xs, 2, BatchOptions::with_lanes(LaneType::Scalar));
    let close = |jacs: &[f64], what: &str| {
        for (e, (a, b)) in jacs.iter().zip(&oracle).enumerate() {
            assert!(
                (a - b).abs() <= 1e-14 * (1.0 + b.abs()),
                "{what} entry {e}: {a} vs {b}"
            );
        }
    };
    for lanes in [LaneType::Auto, LaneType::F64x4, LaneType::F64x8] {
        let (jacs, _) = batch(&f, &xs, 2, BatchOptions::with_lanes(lanes));
        close(&jacs, lanes.name());
    }
    let options = BatchOptions::default();
    let mut jacs = vec![0.0; points * n * m];
    macro_rules! check_dual {
        ($($d:ty),*) => {$(
            jacobian_batch_with::<$d, _>(&f, &xs, &mut jacs, None, &options).unwrap();
            close(&jacs, stringify!($d));
        )*};
    }
    check_dual!(
        Dual<f64, f64, 1>,
        Dual<f64, f64x4, 1>,
        Dual<f64, f64x4, 2>,
        Dual<f64, f64x4, 4>,
        Dual<f64, f64x8, 1>,
        Dual<f64, f64x8, 2>,
        Dual<f64, f64x8, 8>
    );
}

/// A function of any shape (m inputs, n outputs) with products, a constant and an
/// elementary function in every output.
struct Shaped {
    m: usize,
    n: usize,
}
impl VectorFn for Shaped {
    fn inputs(&self) -> usize {
        self.m
    }
    fn outputs(&self) -> usize {
        self.n
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        let m = self.m;
        for (i, yi) in y.iter_mut().enumerate() {
            let (a, b, c) = (x[i % m], x[(i + 1) % m], x[(i + 2) % m]);
            *yi = a * b * (i as f64 + 0.5) + (c * (i + 1) as f64).sin();
        }
    }
}

/// Small Jacobians in batch-lane mode (full blocks, where one pass holds exactly the m
/// directions, take their own path; partial ones do not): every lane type gives each
/// point's Jacobian and values bit for bit as the point alone on the scalar path, for
/// shapes with fewer, as many and more entries than lanes.
#[test]
fn small_jacobian_blocks_match_one_point_at_a_time() {
    fn check<E: batchjac::Element + Into<f64> + Copy + core::fmt::Debug>(
        lanes: &[LaneType],
        from: fn(f64) -> E,
    ) {
        let scalar = batchjac::Options::with_lanes(LaneType::Scalar);
        let same = |a: &[E], b: &[E]| {
            a.iter()
                .zip(b)
                .all(|(&a, &b)| Into::<f64>::into(a).to_bits() == b.into().to_bits())
        };
        let shapes = [
            (1, 3),
            (1, 8),
            (1, 17),
            (2, 4),
            (2, 9),
            (3, 3),
            (3, 6),
            (4, 4),
        ];
        let shapes = shapes
            .iter()
            .chain(&[(5, 4), (7, 3), (8, 1), (8, 2), (8, 5)]);
        for &(m, n) in shapes {
            let f = Shaped { m, n };
            let points = 37; // full blocks of 4, 8 and 16 points, and a partial one
            let xs: Vec<E> = (0..points * m)
                .map(|i| from(0.3 + 0.01 * i as f64))
                .collect();
            for &lane in lanes {
                let options = BatchOptions {
                    mode: Mode::BatchLanes,
                    ..BatchOptions::with_lanes(lane)
                };
                let mut jacs = vec![from(f64::NAN); points * n * m];
                let mut values = vec![from(f64::NAN); points * n];
                jacobian_batch_with_options(&f, &xs, &mut jacs, Some(&mut values), &options)
                    .unwrap();
                for k in 0..points {
                    let (mut jac, mut value) = (vec![from(0.0); n * m], vec![from(0.0); n]);
                    let x = &xs[k * m..(k + 1) * m];
                    batchjac::jacobian_with_options(&f, x, &mut jac, Some(&mut value), &scalar)
                        .unwrap();
                    let at = |v: &[E], len| v[k * len..(k + 1) * len].to_vec();
                    let what = format!("m = {m}, n = {n}, {}, point {k}", lane.name());
                    assert!(
                        same(&at(&jacs, n * m), &jac),
                        "{what}: {:?} vs {jac:?}",
                        at(&jacs, n * m)
                    );
                    assert!(same(&at(&values, n), &value), "{what} values");
                }
            }
        }
    }
    check::<f64>(&[LaneType::F64x8, LaneType::F64x4], |v| v);
    check::<f32>(&[LaneType::F32x16, LaneType::F32x8], |v| v as f32);
}

/// A tiny f32 function: the batch in f32 gives its closed-form Jacobian.
struct Polar;
impl VectorFn for Polar {
    fn inputs(&self) -> usize {
        2
    }
    fn outputs(&self) -> usize {
        2
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        let (s, c) = x[1].sin_cos();
        y[0] = x[0] * c;
        y[1] = x[0] * s;
    }
}

#[test]
fn f32_batch_matches_closed_form() {
    let points = 300;
    let xs: Vec<f32> = (0..points)
        .flat_map(|k| [1.0 + k as f32 * 0.01, -1.5 + k as f32 * 0.01])
        .collect();
    for lanes in [
        LaneType::Auto,
        LaneType::Scalar,
        LaneType::F32x8,
        LaneType::F32x16,
    ] {
        let mut jacs = vec![0.0f32; points * 4];
        let options = BatchOptions {
            lanes,
            grain: Some(13),
            ..Default::default()
        };
        in_pool(2, || {
            jacobian_batch_with_options(&Polar, &xs, &mut jacs, None, &options)
        })
        .unwrap();
        for k in 0..points {
            let (r, t) = (xs[2 * k] as f64, xs[2 * k + 1] as f64);
            let exact = [t.cos(), -r * t.sin(), t.sin(), r * t.cos()];
            for (a, e) in jacs[4 * k..4 * k + 4].iter().zip(exact) {
                // f32 rounding of sin/cos and one product: a few f32 ulp of |r| <= 4.
                assert!(
                    (*a as f64 - e).abs() <= 4e-6,
                    "{lanes} point {k}: {a} vs {e}"
                );
            }
        }
    }
}

#[test]
fn bad_arguments_are_errors() {
    let f = SuiteFunction::by_name("arm7").unwrap(); // m = 7, n = 2
    let xs = f.points(3);
    let mut jacs = vec![0.0; 3 * 14];
    let mut values = [0.0; 6];

    let err = jacobian_batch(&f, &xs[..20], &mut jacs).unwrap_err();
    assert!(matches!(
        err,
        Error::NotMultiple {
            what: "xs",
            given: 20,
            multiple_of: 7,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "xs has 20 values, expected a multiple of m = 7"
    );

    let err = jacobian_batch::<_, f64>(&f, &[], &mut []).unwrap_err();
    assert!(matches!(err, Error::ZeroDimension { .. }), "{err}");

    let err = jacobian_batch(&f, &xs, &mut jacs[..41]).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Length {
                expected: 42,
                given: 41,
                ..
            }
        ),
        "{err}"
    );

    let err = jacobian_batch_and_values(&f, &xs, &mut jacs, &mut values[..5]).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Length {
                expected: 6,
                given: 5,
                ..
            }
        ),
        "{err}"
    );

    let options = BatchOptions {
        grain: Some(0),
        ..Default::default()
    };
    let err = jacobian_batch_with_options(&f, &xs, &mut jacs, None, &options).unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err}");

    let options = BatchOptions::with_lanes(LaneType::F32x8);
    let err = jacobian_batch_with_options(&f, &xs, &mut jacs, None, &options).unwrap_err();
    assert!(matches!(err, Error::UnsupportedLanes { .. }), "{err}");

    struct Empty(usize, usize);
    impl VectorFn for Empty {
        fn inputs(&self) -> usize {
            self.0
        }
        fn outputs(&self) -> usize {
            self.1
        }
        fn eval<R: Real>(&self, _x: &[R], _y: &mut [R]) {}
    }
    for dims in [(0, 2), (2, 0)] {
        let err = jacobian_batch(&Empty(dims.0, dims.1), &[1.0, 2.0], &mut [0.0; 4]).unwrap_err();
        assert!(
            matches!(err, Error::ZeroDimension { .. }),
            "{dims:?}: {err}"
        );
    }
}

/// sum of squares per output, but misbehaves where x[0] is one of `bad`: panics or
/// leaves y[1] unwritten.
struct Faulty {
    bad: Vec<f64>,
    panic: bool,
}
impl VectorFn for Faulty {
    fn inputs(&self) -> usize {
        2
    }
    fn outputs(&self) -> usize {
        2
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] = x[0] * x[1];
        // A mask, so that in batch-lane mode a block fails if any of its points is bad.
        let bad = self.bad[1..]
            .iter()
            .fold(x[0].eq(R::from_f64(self.bad[0])), |mask, &b| {
                mask | x[0].eq(R::from_f64(b))
            });
        if bad.any() {
            if self.panic {
                panic!("deliberate failure at x0 = {}", x[0].primal());
            }
            return;
        }
        y[1] = x[0] + x[1];
    }
}

/// Points x_k = (k, 1): x[0] names the point.
fn indexed_points(points: usize) -> Vec<f64> {
    (0..points).flat_map(|k| [k as f64, 1.0]).collect()
}

#[test]
fn failing_points_are_reported_lowest_first_for_any_threads_and_grain() {
    // Silence the default hook's message for the deliberate panics only.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let deliberate = info
            .payload()
            .downcast_ref::<String>()
            .is_some_and(|s| s.starts_with("deliberate"));
        if !deliberate {
            default_hook(info);
        }
    }));
    let points = 5000;
    let xs = indexed_points(points);
    let mut jacs = vec![0.0; points * 4];
    for panic in [true, false] {
        // Failures in the last task and in an early one: the early one must win.
        let f = Faulty {
            bad: vec![4990.0, 1234.0, 3000.0],
            panic,
        };
        for threads in [1, 2, 16] {
            for grain in [None, Some(1), Some(100), Some(points)] {
                let options = BatchOptions {
                    grain,
                    ..Default::default()
                };
                let err = in_pool(threads, || {
                    jacobian_batch_with_options(&f, &xs, &mut jacs, None, &options)
                })
                .unwrap_err();
                let what = format!("panic {panic} threads {threads} grain {grain:?}");
                if panic {
                    match &err {
                        Error::FunctionPanicked { point, message } => {
                            assert_eq!(*point, Some(1234), "{what}");
                            assert!(message.contains("x0 = 1234"), "{what}: {message}");
                        }
                        other => panic!("{what}: {other}"),
                    }
                } else {
                    assert_eq!(
                        err,
                        Error::OutputNotWritten {
                            output: 1,
                            point: Some(1234)
                        },
                        "{what}"
                    );
                }
            }
        }
        // The sequential path too, and the next call on good points works.
        let err =
            jacobian_batch_with_options(&f, &xs, &mut jacs, None, &BatchOptions::sequential())
                .unwrap_err();
        assert!(err.to_string().contains("at point 1234"), "{err}");
        let good = indexed_points(1000);
        let mut good_jacs = vec![0.0; 4000];
        in_pool(2, || jacobian_batch(&f, &good, &mut good_jacs)).unwrap();
        for k in 0..1000 {
            assert_eq!(good_jacs[4 * k..4 * k + 4], [1.0, k as f64, 1.0, 1.0]);
        }
    }
    let _ = std::panic::take_hook();
}

/// m = n = 3, so that f64x8 batch lanes take the exact one-pass block loop (9 entries
/// per Jacobian). Leaves y[2] unwritten when x[0] is `alone` (a point that fails on its
/// own) or when one block holds both `together` values (a failure that needs two points
/// in one block; each of them alone is fine).
struct FaultyBlock {
    alone: f64,
    together: [f64; 2],
    /// Panic instead of leaving y[2] unwritten.
    panic: bool,
}
impl VectorFn for FaultyBlock {
    fn inputs(&self) -> usize {
        3
    }
    fn outputs(&self) -> usize {
        3
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] = x[0] * x[1];
        y[1] = x[1] * x[2];
        let is = |v: f64| x[0].eq(R::from_f64(v)).any();
        if is(self.alone) || (is(self.together[0]) && is(self.together[1])) {
            if self.panic {
                panic!("deliberate failure of a block");
            }
            return;
        }
        y[2] = x[0] + x[2];
    }
}

/// The exact block loop names the failing point as the general one does: the lowest
/// point that fails on its own, or, if none does, the first point of the lowest block
/// that fails as a whole, for any thread count and grain.
#[test]
fn exact_blocks_report_the_failing_point() {
    let points = 100;
    let xs: Vec<f64> = (0..points).flat_map(|k| [k as f64, 1.0, 2.0]).collect();
    let mut jacs = vec![0.0; points * 9];
    // Points 17 and 18 share the block of points 16..24, which then fails first; its
    // points are rerun one at a time: with none failing alone the block's first point
    // is named, whatever fails in later blocks (60), as it would be with that block in
    // a task of its own; point 21, in that block, fails alone and is named; 17 and 25
    // never share a block, so 60 is the first failure.
    for (f, expected) in [
        (
            FaultyBlock {
                alone: 1000.0,
                together: [17.0, 18.0],
                panic: false,
            },
            16,
        ),
        (
            FaultyBlock {
                alone: 60.0,
                together: [17.0, 18.0],
                panic: false,
            },
            16,
        ),
        (
            FaultyBlock {
                alone: 21.0,
                together: [17.0, 18.0],
                panic: false,
            },
            21,
        ),
        (
            FaultyBlock {
                alone: 60.0,
                together: [17.0, 25.0],
                panic: false,
            },
            60,
        ),
    ] {
        // The same with a panic: the panicking block is found by rerunning the blocks.
        let panicking = FaultyBlock { panic: true, ..f };
        for f in [f, panicking] {
            for threads in [1, 2] {
                for grain in [None, Some(8), Some(points)] {
                    let options = BatchOptions {
                        grain,
                        mode: Mode::BatchLanes,
                        lanes: LaneType::F64x8,
                        ..Default::default()
                    };
                    let err = in_pool(threads, || {
                        jacobian_batch_with_options(&f, &xs, &mut jacs, None, &options)
                    })
                    .unwrap_err();
                    let what = format!(
                        "alone {} together {:?} panic {} threads {threads} grain {grain:?}",
                        f.alone, f.together, f.panic
                    );
                    match err {
                        Error::FunctionPanicked { point, .. } if f.panic => {
                            assert_eq!(point, Some(expected), "{what}")
                        }
                        Error::OutputNotWritten { output: 2, point } if !f.panic => {
                            assert_eq!(point, Some(expected), "{what}")
                        }
                        other => panic!("{what}: {other}"),
                    }
                }
            }
        }
    }
}

/// A NaN or an infinity in one point's input reaches that point's Jacobian and no
/// other: every other point keeps the bits of a clean run.
#[test]
fn non_finite_inputs_stay_in_their_point() {
    let f = SuiteFunction::by_name("trigonometric").unwrap();
    let (m, n) = (f.inputs(), f.outputs());
    let points = 400;
    let clean = f.points(points);
    let mut dirty = clean.clone();
    let poisoned = [
        (17, f64::NAN),
        (18, f64::INFINITY),
        (250, f64::NEG_INFINITY),
    ];
    for (k, v) in poisoned {
        dirty[k * m + 3] = v;
    }
    for threads in [1, 2] {
        let options = BatchOptions {
            grain: Some(16),
            ..Default::default()
        };
        let (clean_jacs, clean_values) = batch(&f, &clean, threads, options);
        let (jacs, values) = batch(&f, &dirty, threads, options);
        for k in 0..points {
            let block = k * n * m..(k + 1) * n * m;
            if poisoned.iter().any(|&(p, _)| p == k) {
                // sin and cos of a NaN or an infinity are NaN: s = sum cos(x_j) is NaN,
                // so every value, and d y_i / d x_3 for every i, is NaN.
                assert!(
                    values[k * n..(k + 1) * n].iter().all(|v| v.is_nan()),
                    "point {k}"
                );
                assert!(
                    (0..n).all(|i| jacs[k * n * m + i * m + 3].is_nan()),
                    "point {k}"
                );
            } else {
                assert_eq!(
                    bits(&jacs[block.clone()]),
                    bits(&clean_jacs[block]),
                    "point {k}"
                );
                assert_eq!(
                    bits(&values[k * n..(k + 1) * n]),
                    bits(&clean_values[k * n..(k + 1) * n])
                );
            }
        }
    }
}

#[test]
fn progress_counts_add_up_to_the_batch() {
    let f = SuiteFunction::by_name("arm7").unwrap();
    let (m, n) = (f.inputs(), f.outputs());
    let points = 1001;
    let xs = f.points(points);
    let mut jacs = vec![0.0; points * n * m];
    for (threads, parallel, asked, mode) in [
        (2, true, 10, Mode::TangentLanes),
        (16, true, 1, Mode::TangentLanes),
        (1, false, 100, Mode::TangentLanes),
        (2, true, 10, Mode::BatchLanes),
        (1, false, 100, Mode::BatchLanes),
    ] {
        let total = AtomicUsize::new(0);
        let calls = Mutex::new(Vec::new());
        let options = BatchOptions {
            parallel,
            mode,
            grain: Some(asked),
            ..Default::default()
        };
        // Batch-lane tasks are whole blocks of 8 points: the grain is rounded up.
        let grain = match mode {
            Mode::BatchLanes => asked.next_multiple_of(8),
            _ => asked,
        };
        in_pool(threads, || {
            jacobian_batch_with_progress(&f, &xs, &mut jacs, None, &options, &|count| {
                total.fetch_add(count, Ordering::Relaxed);
                calls.lock().unwrap().push(count);
                ControlFlow::Continue(())
            })
        })
        .unwrap();
        assert_eq!(total.load(Ordering::Relaxed), points);
        let calls = calls.into_inner().unwrap();
        // One call per task of `grain` points (the last one shorter).
        assert_eq!(calls.len(), points.div_ceil(grain), "threads {threads}");
        assert!(calls.iter().all(|&c| (1..=grain).contains(&c)));
    }
}

/// A progress hook that breaks stops the batch: the call says how many points were
/// done and which prefix is complete, every completed point holds the bits of an
/// uninterrupted run, and no task starts after the break (in a sequential run, exactly
/// the tasks up to the break are done).
#[test]
fn a_breaking_progress_hook_stops_the_batch() {
    for name in ["arm7", "mlp"] {
        let f = SuiteFunction::by_name(name).unwrap();
        let (m, n) = (f.inputs(), f.outputs());
        let points = 2000;
        let xs = f.points(points);
        for (threads, parallel, mode) in [
            (1, false, Mode::TangentLanes),
            (1, false, Mode::BatchLanes),
            (2, true, Mode::TangentLanes),
            (4, true, Mode::BatchLanes),
        ] {
            let clean = BatchOptions {
                mode,
                ..BatchOptions::sequential()
            };
            let (clean_jacs, clean_values) = batch(&f, &xs, 1, clean);
            let options = BatchOptions {
                parallel,
                mode,
                grain: Some(40),
                ..Default::default()
            };
            let reports = AtomicUsize::new(0);
            let counted = AtomicUsize::new(0);
            let mut jacs = vec![f64::NAN; points * n * m];
            let mut values = vec![f64::NAN; points * n];
            let result = in_pool(threads, || {
                jacobian_batch_with_progress(
                    &f,
                    &xs,
                    &mut jacs,
                    Some(&mut values),
                    &options,
                    &|count| {
                        counted.fetch_add(count, Ordering::Relaxed);
                        // Break on the third report.
                        if reports.fetch_add(1, Ordering::Relaxed) == 2 {
                            ControlFlow::Break(())
                        } else {
                            ControlFlow::Continue(())
                        }
                    },
                )
            });
            let what = format!("{name} threads {threads} {mode:?}");
            let Err(Error::Stopped {
                done,
                prefix,
                points: total,
            }) = result
            else {
                panic!("{what}: expected Stopped, got {result:?}");
            };
            assert_eq!(total, points, "{what}");
            assert_eq!(done, counted.load(Ordering::Relaxed), "{what}");
            assert!(
                prefix <= done && done < points,
                "{what}: {done} done, prefix {prefix}"
            );
            // Tasks of 40 points (batch-lane: 40 is a whole number of blocks).
            assert_eq!(done % 40, 0, "{what}: {done} done");
            if !parallel {
                assert_eq!((done, prefix), (120, 120), "{what}");
            } else {
                // The three reported tasks, and whatever ran beside them (how much is up to
                // the scheduler: a worker descheduled between the hook's answer and the
                // stop flag lets the others go on).
                assert!(done >= 120, "{what}: {done} done");
            }
            // Every completed point is intact, at least the prefix; count them all.
            let complete = (0..points)
                .filter(|&k| {
                    let jac = k * n * m..(k + 1) * n * m;
                    let value = k * n..(k + 1) * n;
                    bits(&jacs[jac.clone()]) == bits(&clean_jacs[jac])
                        && bits(&values[value.clone()]) == bits(&clean_values[value])
                })
                .count();
            assert_eq!(complete, done, "{what}");
            for k in 0..prefix {
                let jac = k * n * m..(k + 1) * n * m;
                assert_eq!(
                    bits(&jacs[jac.clone()]),
                    bits(&clean_jacs[jac]),
                    "{what} point {k}"
                );
            }
        }
    }
}

/// A break with the last task has nothing left to stop: the call succeeds.
#[test]
fn a_break_after_the_last_task_is_not_an_error() {
    let f = SuiteFunction::by_name("robertson").unwrap();
    let xs = f.points(100);
    let mut jacs = vec![0.0; 100 * 9];
    let options = BatchOptions {
        grain: Some(100),
        ..BatchOptions::sequential()
    };
    let stop = |_: usize| ControlFlow::Break(());
    jacobian_batch_with_progress(&f, &xs, &mut jacs, None, &options, &stop).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Random batch sizes, grains and thread counts give the sequential run's bits.
    #[test]
    fn any_split_gives_the_sequential_bits(
        points in 1usize..200,
        grain in 1usize..64,
        threads in 1usize..5,
        which in 0usize..7,
    ) {
        let f = SuiteFunction::all().swap_remove(which);
        let xs = f.points(points);
        let (reference, reference_values) = batch(&f, &xs, 1, BatchOptions::sequential());
        let options = BatchOptions { grain: Some(grain), ..Default::default() };
        let (jacs, values) = batch(&f, &xs, threads, options);
        prop_assert_eq!(bits(&jacs), bits(&reference));
        prop_assert_eq!(bits(&values), bits(&reference_values));
    }
}

/// y = x * (mean of 0..100) / 49.5, where the mean is computed by a nested rayon
/// iterator: while a worker waits for it, it may steal another task of the same batch
/// (its workspace slot still held), which must neither deadlock nor change the result.
struct NestedRayon;
impl VectorFn for NestedRayon {
    fn inputs(&self) -> usize {
        1
    }
    fn outputs(&self) -> usize {
        1
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        use rayon::prelude::*;
        let sum: f64 = (0..100).into_par_iter().map(|i| i as f64).sum();
        y[0] = x[0] * R::from_f64(sum / 4950.0);
    }
}

#[test]
fn user_function_running_rayon_itself_works() {
    let points = 2000;
    let xs: Vec<f64> = (0..points).map(|k| k as f64).collect();
    let mut jacs = vec![0.0; points];
    let mut values = vec![0.0; points];
    let options = BatchOptions {
        grain: Some(1),
        ..Default::default()
    };
    in_pool(4, || {
        jacobian_batch_with_options(&NestedRayon, &xs, &mut jacs, Some(&mut values), &options)
    })
    .unwrap();
    assert!(jacs.iter().all(|&d| d == 1.0));
    assert!(values.iter().zip(&xs).all(|(v, x)| v == x));
}
