//! batchjac against its peers on the docs/SUITE.md functions, in Jacobians per second.
//!
//! - One group per suite function (`peers/<name>`), one thread, the docs/SUITE.md batch size,
//!   all into the same row-major buffer:
//!   - `batchjac-user`: the suite written the way README teaches (bench/benches/peers/
//!     user_suite.rs: natural `x * 10.0` constants, no `scale`, no tuning), default
//!     options (`Mode::Auto`, `LaneType::Auto`);
//!   - `batchjac-user-sparse` (ext_rosenbrock and brusselator, whose Jacobians are
//!     mostly zeros): the same user-style functions through `SparseJacobian`'s dense
//!     output (`jacobian_batch_dense_with_options`), the pattern detected once before
//!     timing;
//!   - `batchjac-tuned`: src/suite.rs (hand-tuned sharing), each function's own type,
//!     same options;
//!   - `num-dual`: the `num-dual` crate's `DualSVec64<M>` (statically sized gradient
//!     duals, hand-seeded: its fastest way to a full Jacobian), written as its users
//!     would (constants on the right, `sin_cos`);
//!
//!   - `num-dual-inline`: the same with `#[inline]` on each function, as README teaches
//!     for batchjac's `eval`. In the default profile (16 codegen units, no LTO) it made
//!     num-dual's robertson 7x faster and its trigonometric, ext_rosenbrock and mlp 2-5x
//!     slower (AVX2), so the ratios take the faster of the two (of four forms for
//!     trigonometric, below);
//!   - trigonometric only: `batchjac-user-arrays`, the user-style function with its
//!     sines and cosines kept in arrays (the form README advises against), and
//!     `num-dual-rows` / `num-dual-rows-inline`, num-dual with the user suite's form
//!     (the peer is the fastest of its four forms);
//!   - `analytic`: the hand-written Jacobians;
//!   - `central-fd`: `verify::fd_jacobian`, on at most 2048 points (0.2 ms per mlp
//!     Jacobian).
//! - Latency (`latency/<name>`): B = 1 and B = 64.
//! - Scaling (`scaling_batch/<name>`, `scaling_threads/<name>`): Jacobians/s against B
//!   (1 .. 2^18) and against the thread count.
//!
//! `cargo bench --bench peers` (all), `cargo bench --bench peers -- peers/arm7` (one).
//! The codegen yardstick: the same with `--profile bench-lto` (fat LTO, one codegen
//! unit), whose figures should match the default profile's.
//! `cargo bench --bench peers -- --turns` times the `peers/` engines in turns instead
//! (no criterion; see `turns`): steadier ratios on a shared machine.
//! Before timing, every engine's Jacobians are compared with the analytic ones, so all
//! compute the same Jacobians.

use batchjac::batch::{BatchOptions, jacobian_batch_with_options};
use batchjac::sparse::SparseJacobian;
use batchjac::suite::{Analytic, SuiteFunction, SuiteVisitor};
use batchjac::verify::{Scheme, fd_jacobian};
use batchjac::{DualVisitor, Element, LaneType, TangentDual, VectorFn, Workspace};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, measurement::WallTime};
use num_dual::DualSVec64;
use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "peers/user_suite.rs"]
mod user_suite;

/// The suite functions written once more, for num-dual's number types, straight from
/// docs/SUITE.md (not from src/suite.rs), with its indices: in `peer` as they are, in
/// `peer_inline` with `#[inline]` on each (as the batchjac user suite's `eval`s have
/// it). Each helps num-dual on some functions and hurts it on others in the default
/// profile, so both are timed and the faster one is the peer.
macro_rules! peer_functions {
    ($($attr:meta)?) => {
    use num_dual::DualNum;

    /// A scalar of num-dual with f64 primal values.
    pub trait Scalar: DualNum<Primitive = f64> + Copy {}
    impl<T: DualNum<Primitive = f64> + Copy> Scalar for T {}

    fn constant<T: Scalar>(value: f64) -> T {
        T::from(value)
    }

    $(#[$attr])?
    pub fn ext_rosenbrock<T: Scalar>(x: &[T], y: &mut [T]) {
        for i in 0..8 {
            let (a, b) = (x[2 * i], x[2 * i + 1]);
            y[2 * i] = (b - a * a) * 10.0;
            y[2 * i + 1] = -a + 1.0;
        }
    }

    $(#[$attr])?
    pub fn trigonometric<T: Scalar>(x: &[T], y: &mut [T]) {
        let mut sin = [constant::<T>(0.0); 16];
        let mut cos = [constant::<T>(0.0); 16];
        let mut s = constant::<T>(0.0);
        for j in 0..16 {
            (sin[j], cos[j]) = x[j].sin_cos();
            s += cos[j];
        }
        for i in 0..16 {
            y[i] = -s + 16.0 + (-cos[i] + 1.0) * (i + 1) as f64 - sin[i];
        }
    }

    /// trigonometric as batchjac's user suite writes it (README's advice for batchjac):
    /// the sum of the cosines, then each row's `sin_cos` where it is used.
    $(#[$attr])?
    pub fn trigonometric_rows<T: Scalar>(x: &[T], y: &mut [T]) {
        let mut s = constant::<T>(0.0);
        for j in 0..16 {
            s += x[j].cos();
        }
        for i in 0..16 {
            let (sin, cos) = x[i].sin_cos();
            y[i] = -s + 16.0 + (-cos + 1.0) * (i + 1) as f64 - sin;
        }
    }

    $(#[$attr])?
    pub fn arm7<T: Scalar>(x: &[T], y: &mut [T]) {
        let mut theta = constant::<T>(0.0);
        let (mut px, mut py) = (constant::<T>(0.0), constant::<T>(0.0));
        for (j, &xj) in x.iter().enumerate().take(7) {
            theta += xj;
            let (s, c) = theta.sin_cos();
            let length = 1.0 / (1.0 + 0.25 * j as f64);
            px += c * length;
            py += s * length;
        }
        y[0] = px;
        y[1] = py;
    }

    /// docs/SUITE.md's network weights, computed from their formulas.
    pub struct MlpWeights {
        w1: Vec<f64>,
        b1: Vec<f64>,
        w2: Vec<f64>,
        b2: Vec<f64>,
    }

    impl MlpWeights {
        pub fn new() -> Self {
            let mut w1 = vec![0.0; 32 * 32];
            for i in 0..32 {
                for j in 0..32 {
                    w1[i * 32 + j] = 0.25 * (1.0 + 0.7 * i as f64 + 1.3 * j as f64).sin();
                }
            }
            let mut w2 = vec![0.0; 4 * 32];
            for k in 0..4 {
                for i in 0..32 {
                    w2[k * 32 + i] = 0.3 * (0.5 + 1.1 * k as f64 + 0.9 * i as f64).cos();
                }
            }
            MlpWeights {
                w1,
                b1: (0..32).map(|i| 0.1 * (i as f64).cos()).collect(),
                w2,
                b2: (0..4).map(|k| 0.05 * k as f64).collect(),
            }
        }

        $(#[$attr])?
        pub fn eval<T: Scalar>(&self, x: &[T], y: &mut [T]) {
            let mut h = [constant::<T>(0.0); 32];
            for (i, hi) in h.iter_mut().enumerate() {
                let mut a = constant::<T>(self.b1[i]);
                for j in 0..32 {
                    a += x[j] * self.w1[i * 32 + j];
                }
                *hi = a.tanh();
            }
            let mut z = [constant::<T>(0.0); 4];
            for (k, zk) in z.iter_mut().enumerate() {
                let mut a = constant::<T>(self.b2[k]);
                for (i, &hi) in h.iter().enumerate() {
                    a += hi * self.w2[k * 32 + i];
                }
                *zk = a;
            }
            // Softmax shifted by the largest logit (compared by primal value).
            let zmax = z
                .iter()
                .skip(1)
                .fold(z[0], |m, &zk| if zk.re() > m.re() { zk } else { m });
            let mut total = constant::<T>(0.0);
            for zk in z.iter_mut() {
                *zk = (*zk - zmax).exp();
                total += *zk;
            }
            for k in 0..4 {
                y[k] = z[k] / total;
            }
        }
    }

    $(#[$attr])?
    pub fn brusselator<T: Scalar>(x: &[T], y: &mut [T]) {
        const N: usize = 8;
        let (a, b, alpha) = (3.4, 1.0, 10.0);
        let (u, v) = x.split_at(N * N);
        for i in 0..N {
            for j in 0..N {
                let idx = i * N + j;
                let neighbours = [
                    ((i + N - 1) % N) * N + j,
                    ((i + 1) % N) * N + j,
                    i * N + (j + N - 1) % N,
                    i * N + (j + 1) % N,
                ];
                let mut lap_u = u[idx] * -4.0;
                let mut lap_v = v[idx] * -4.0;
                for nb in neighbours {
                    lap_u += u[nb];
                    lap_v += v[nb];
                }
                let uuv = u[idx] * u[idx] * v[idx];
                y[idx] = lap_u * alpha + b + uuv - u[idx] * (a + 1.0);
                y[N * N + idx] = lap_v * alpha + u[idx] * a - uuv;
            }
        }
    }

    $(#[$attr])?
    pub fn robertson<T: Scalar>(x: &[T], y: &mut [T]) {
        y[0] = x[0] * -0.04 + x[1] * x[2] * 1e4;
        y[1] = x[0] * 0.04 - x[1] * x[2] * 1e4 - x[1] * x[1] * 3e7;
        y[2] = x[1] * x[1] * 3e7;
    }

    $(#[$attr])?
    pub fn elementary_mix<T: Scalar>(x: &[T], y: &mut [T]) {
        y[0] = x[0].exp() * x[1].sin();
        y[1] = (x[2] * x[2] + 1.0).ln() / (x[3] * x[3] + 1.0).sqrt();
        y[2] = x[0].atan2(x[1] + 2.5);
        y[3] = (x[2] * x[2] + 1.5).powd(x[3]);
        // num-dual has no hypot: sqrt(a^2 + b^2) is what its users write.
        let b = x[2] + 1.0;
        y[4] = (x[0] * x[3]).tanh() + (x[1] * x[1] + 2.0).cbrt();
        y[5] = (x[0] * x[0] + b * b).sqrt() + x[3].asinh() + ((-x[1]).exp() + 1.0).recip();
    }
    };
}

#[allow(clippy::needless_range_loop)]
mod peer {
    peer_functions!();
}

#[allow(clippy::needless_range_loop)]
mod peer_inline {
    peer_functions!(inline);
}

/// The Jacobian at `x` with num-dual: M inputs seeded as `DualSVec64<M>` unit
/// derivatives, one evaluation, the derivative parts read into `jac` (N x M row-major).
fn num_dual_jacobian<const M: usize, const N: usize>(
    eval: &impl Fn(&[DualSVec64<M>], &mut [DualSVec64<M>]),
    x: &[f64],
    jac: &mut [f64],
) {
    let xd: [DualSVec64<M>; M] = std::array::from_fn(|j| DualSVec64::from_re(x[j]).derivative(j));
    let mut yd = [DualSVec64::<M>::from_re(0.0); N];
    eval(&xd, &mut yd);
    for (row, y) in jac.chunks_exact_mut(M).zip(&yd) {
        match &y.eps.0 {
            Some(gradient) => row
                .iter_mut()
                .zip(gradient.iter())
                .for_each(|(r, g)| *r = *g),
            // num-dual's "no derivative" (a constant output).
            None => row.fill(0.0),
        }
    }
}

/// One engine's Jacobians of a suite function over a batch of points (`xs` into `jacs`).
type Batch = Box<dyn Fn(&[f64], &mut [f64])>;

/// One num-dual batch driver: the per-point Jacobian of `$eval` (M = `$m` inputs,
/// N = `$n` outputs) in a loop.
macro_rules! num_dual_loop {
    ($m:literal, $n:literal, $eval:expr) => {{
        let eval = $eval;
        Box::new(move |xs: &[f64], jacs: &mut [f64]| {
            for (x, jac) in xs.chunks_exact($m).zip(jacs.chunks_exact_mut($n * $m)) {
                num_dual_jacobian::<$m, $n>(&eval, x, jac);
            }
        })
    }};
}

/// The num-dual batch driver of a suite function with the functions of module `$peer`.
macro_rules! num_dual_batch_in {
    ($peer:ident, $function:expr) => {
        match $function.name() {
            "ext_rosenbrock" => {
                num_dual_loop!(16, 16, |x: &[_], y: &mut [_]| $peer::ext_rosenbrock(x, y))
            }
            "trigonometric" => {
                num_dual_loop!(16, 16, |x: &[_], y: &mut [_]| $peer::trigonometric(x, y))
            }
            "arm7" => num_dual_loop!(7, 2, |x: &[_], y: &mut [_]| $peer::arm7(x, y)),
            "mlp" => {
                let weights = $peer::MlpWeights::new();
                num_dual_loop!(32, 4, move |x: &[_], y: &mut [_]| weights.eval(x, y))
            }
            "brusselator" => {
                num_dual_loop!(128, 128, |x: &[_], y: &mut [_]| $peer::brusselator(x, y))
            }
            "robertson" => num_dual_loop!(3, 3, |x: &[_], y: &mut [_]| $peer::robertson(x, y)),
            "elementary_mix" => {
                num_dual_loop!(4, 6, |x: &[_], y: &mut [_]| $peer::elementary_mix(x, y))
            }
            other => panic!("no num-dual version of {other}"),
        }
    };
}

/// The num-dual batch driver for a suite function: the per-point Jacobian in a loop,
/// with the functions as written (`inline: false`) or marked `#[inline]`.
fn num_dual_batch(function: &SuiteFunction, inline: bool) -> Batch {
    if inline {
        num_dual_batch_in!(peer_inline, function)
    } else {
        num_dual_batch_in!(peer, function)
    }
}

/// num-dual's trigonometric in the form of batchjac's user suite (`num-dual-rows`,
/// `num-dual-rows-inline`), so that the peer is the faster form for num-dual too.
fn num_dual_rows_batch(inline: bool) -> Batch {
    if inline {
        num_dual_loop!(16, 16, |x: &[_], y: &mut [_]| {
            peer_inline::trigonometric_rows(x, y)
        })
    } else {
        num_dual_loop!(16, 16, |x: &[_], y: &mut [_]| peer::trigonometric_rows(
            x, y
        ))
    }
}

/// Panics unless every Jacobian in `jacs` equals the analytic one to 1e-12 relative to
/// its row's largest entry: the bench must time correct Jacobians.
fn assert_matches_analytic(function: &SuiteFunction, xs: &[f64], jacs: &[f64], who: &str) {
    let (m, n) = (function.inputs(), function.outputs());
    let mut exact = vec![0.0; n * m];
    for (k, (x, jac)) in xs.chunks_exact(m).zip(jacs.chunks_exact(n * m)).enumerate() {
        function.analytic_jacobian(x, &mut exact);
        for (i, (row, exact_row)) in jac.chunks_exact(m).zip(exact.chunks_exact(m)).enumerate() {
            let scale = exact_row
                .iter()
                .fold(f64::MIN_POSITIVE, |a, v| a.max(v.abs()));
            for (j, (a, e)) in row.iter().zip(exact_row).enumerate() {
                assert!(
                    (a - e).abs() <= 1e-12 * scale,
                    "{who} on {} point {k}: J[{i}][{j}] = {a}, analytic {e}",
                    function.name()
                );
            }
        }
    }
}

fn sequential(lanes: LaneType) -> BatchOptions {
    BatchOptions {
        lanes,
        parallel: false,
        ..Default::default()
    }
}

/// Points for central differences: the docs/SUITE.md batch size capped so that mlp (about
/// 0.2 ms per Jacobian) keeps its samples short. Its cost per point does not depend on B.
const FD_BATCH: usize = 2048;

/// `f`'s Jacobians by batchjac, one thread, default options.
fn batchjac_batch<F: VectorFn + 'static>(f: F) -> Batch {
    let options = sequential(LaneType::Auto);
    Box::new(move |xs, jacs| jacobian_batch_with_options(&f, xs, jacs, None, &options).unwrap())
}

/// The user-style version of `suite` (bench/benches/peers/user_suite.rs) through
/// batchjac (`batchjac-user`).
fn user_batch(suite: &SuiteFunction) -> Batch {
    match suite.name() {
        "ext_rosenbrock" => batchjac_batch(user_suite::ExtRosenbrock),
        "trigonometric" => batchjac_batch(user_suite::Trigonometric),
        "arm7" => batchjac_batch(user_suite::Arm7),
        "mlp" => batchjac_batch(user_suite::Mlp::new()),
        "brusselator" => batchjac_batch(user_suite::Brusselator),
        "robertson" => batchjac_batch(user_suite::Robertson),
        "elementary_mix" => batchjac_batch(user_suite::ElementaryMix),
        other => panic!("no user-style version of {other}"),
    }
}

/// src/suite.rs's own type of `suite` through batchjac (`batchjac-tuned`), not the
/// `SuiteFunction` enum, whose `eval` is a `match` over seven functions, too large to
/// inline into the small-function loop (robertson measured 2-3x slower that way).
fn tuned_batch(suite: &SuiteFunction) -> Batch {
    /// [`batchjac_batch`] of the function's own type.
    struct Tuned;
    impl SuiteVisitor for Tuned {
        type Output = Batch;
        fn visit<F: Analytic + Clone + 'static>(self, f: &F) -> Batch {
            batchjac_batch(f.clone())
        }
    }
    suite.visit(Tuned)
}

/// `f` through the sparse path: the pattern detected once (here, outside any timing,
/// as a user makes it once per function), then dense Jacobians from the compressed
/// entries (`SparseJacobian::jacobian_batch_dense_with_options`, default options, one
/// thread), as README teaches for a function with a sparse Jacobian.
fn sparse_batch<F: VectorFn + 'static>(f: F) -> Batch {
    let sj = SparseJacobian::new(&f).expect("sparsity detection");
    let options = sequential(LaneType::Auto);
    Box::new(move |xs, jacs| {
        sj.jacobian_batch_dense_with_options(&f, xs, jacs, None, &options)
            .unwrap()
    })
}

/// The user-style sparse functions through the sparse path (`batchjac-user-sparse`):
/// the two suite functions whose Jacobians are mostly zeros.
fn user_sparse_batch(suite: &SuiteFunction) -> Option<Batch> {
    match suite.name() {
        "ext_rosenbrock" => Some(sparse_batch(user_suite::ExtRosenbrock)),
        "brusselator" => Some(sparse_batch(user_suite::Brusselator)),
        _ => None,
    }
}

/// The hand-written Jacobians of `suite` in a loop (`analytic`).
fn analytic_batch(suite: &SuiteFunction) -> Batch {
    let function = suite.clone();
    let (m, n) = (function.inputs(), function.outputs());
    Box::new(move |xs, jacs| {
        for (x, jac) in xs.chunks_exact(m).zip(jacs.chunks_exact_mut(n * m)) {
            function.analytic_jacobian(x, jac);
        }
    })
}

/// The engines of the ratios for `suite`, each checked against the analytic
/// Jacobians on `xs` (into `jacs`) before it is returned: the bench must time correct
/// Jacobians.
fn checked_engines(
    suite: &SuiteFunction,
    xs: &[f64],
    jacs: &mut [f64],
) -> Vec<(&'static str, Batch)> {
    let mut engines = vec![("batchjac-user", user_batch(suite))];
    if let Some(sparse) = user_sparse_batch(suite) {
        engines.push(("batchjac-user-sparse", sparse));
    }
    if suite.name() == "trigonometric" {
        engines.push((
            "batchjac-user-arrays",
            batchjac_batch(user_suite::TrigonometricArrays),
        ));
    }
    engines.push(("num-dual", num_dual_batch(suite, false)));
    engines.push(("num-dual-inline", num_dual_batch(suite, true)));
    if suite.name() == "trigonometric" {
        engines.push(("num-dual-rows", num_dual_rows_batch(false)));
        engines.push(("num-dual-rows-inline", num_dual_rows_batch(true)));
    }
    engines.push(("batchjac-tuned", tuned_batch(suite)));
    engines.push(("analytic", analytic_batch(suite)));
    for (id, batch) in &engines {
        jacs.fill(f64::NAN);
        batch(xs, jacs);
        assert_matches_analytic(suite, xs, jacs, id);
    }
    engines
}

fn peers(c: &mut Criterion) {
    for function in SuiteFunction::all() {
        let (m, n) = (function.inputs(), function.outputs());
        let batch = function.batch_size();
        let xs = function.points(batch);
        let mut jacs = vec![0.0; batch * n * m];
        let engines = checked_engines(&function, &xs, &mut jacs);
        let mut group = c.benchmark_group(format!("peers/{}", function.name()));
        group.throughput(Throughput::Elements(batch as u64));
        // Interleaved: the engines compared in the ratios run next to each other.
        for (id, engine) in &engines {
            group.bench_function(*id, |b| b.iter(|| engine(black_box(&xs), &mut jacs)));
        }
        let fd_batch = batch.min(FD_BATCH);
        group.throughput(Throughput::Elements(fd_batch as u64));
        group.bench_function("central-fd", |b| {
            b.iter(|| {
                for (x, jac) in black_box(&xs[..fd_batch * m])
                    .chunks_exact(m)
                    .zip(jacs.chunks_exact_mut(n * m))
                {
                    fd_jacobian(&function, x, Scheme::Central, jac, None).unwrap();
                }
            })
        });
        group.finish();
    }
}

/// Times `Workspace::jacobian` at one point with the dual type `LaneType::Auto` picks:
/// the allocation-free path of a solver that needs one Jacobian per iteration.
struct WorkspaceLatency<'a, 'b> {
    bencher: &'a mut criterion::Bencher<'b, WallTime>,
    function: &'a SuiteFunction,
    x: &'a [f64],
    jac: &'a mut [f64],
}

impl DualVisitor<f64> for WorkspaceLatency<'_, '_> {
    type Output = ();
    fn visit<D: TangentDual<Elem = f64>>(self) {
        let (m, n) = (self.function.inputs(), self.function.outputs());
        let mut workspace = Workspace::<D>::new(m, n);
        let (function, x, jac) = (self.function, self.x, self.jac);
        self.bencher.iter(|| {
            workspace
                .jacobian(function, black_box(x), jac, None)
                .unwrap()
        });
    }
}

fn latency(c: &mut Criterion) {
    for function in SuiteFunction::all() {
        let (m, n) = (function.inputs(), function.outputs());
        let num_dual = num_dual_batch(&function, false);
        let mut group = c.benchmark_group(format!("latency/{}", function.name()));
        for batch in [1usize, 64] {
            let xs = function.points(batch);
            let mut jacs = vec![0.0; batch * n * m];
            let options = sequential(LaneType::Auto);
            group.throughput(Throughput::Elements(batch as u64));
            group.bench_with_input(BenchmarkId::new("batchjac", batch), &xs, |b, xs| {
                b.iter(|| {
                    jacobian_batch_with_options(&function, black_box(xs), &mut jacs, None, &options)
                        .unwrap()
                })
            });
            if batch == 1 {
                group.bench_function(BenchmarkId::new("batchjac_workspace", batch), |b| {
                    let visitor = WorkspaceLatency {
                        bencher: b,
                        function: &function,
                        x: &xs,
                        jac: &mut jacs,
                    };
                    f64::dispatch(LaneType::Auto, m, visitor).unwrap()
                });
            }
            group.bench_with_input(BenchmarkId::new("analytic", batch), &xs, |b, xs| {
                b.iter(|| {
                    for (x, jac) in black_box(xs)
                        .chunks_exact(m)
                        .zip(jacs.chunks_exact_mut(n * m))
                    {
                        function.analytic_jacobian(x, jac);
                    }
                })
            });
            group.bench_with_input(BenchmarkId::new("num_dual", batch), &xs, |b, xs| {
                b.iter(|| num_dual(black_box(xs), &mut jacs))
            });
        }
        group.finish();
    }
}

/// Functions of the scaling groups: one compute-bound with small output (arm7), one
/// dense 16 x 16 (trigonometric).
const SCALING: [&str; 2] = ["arm7", "trigonometric"];

fn scaling(c: &mut Criterion) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    for name in SCALING {
        let function = SuiteFunction::by_name(name).unwrap();
        let (m, n) = (function.inputs(), function.outputs());
        let all_xs = function.points(1 << 18);
        let mut all_jacs = vec![0.0; (1 << 18) * n * m];
        let options = BatchOptions::default();

        let mut group = c.benchmark_group(format!("scaling_batch/{name}"));
        for log4 in 0..=9 {
            let batch = 1usize << (2 * log4);
            let (xs, jacs) = (&all_xs[..batch * m], &mut all_jacs[..batch * n * m]);
            group.throughput(Throughput::Elements(batch as u64));
            group.bench_function(BenchmarkId::from_parameter(batch), |b| {
                b.iter(|| {
                    jacobian_batch_with_options(&function, black_box(xs), jacs, None, &options)
                        .unwrap()
                })
            });
        }
        group.finish();

        let mut group = c.benchmark_group(format!("scaling_threads/{name}"));
        let batch = function.batch_size();
        let (xs, jacs) = (&all_xs[..batch * m], &mut all_jacs[..batch * n * m]);
        group.throughput(Throughput::Elements(batch as u64));
        let mut count = 1;
        while count <= threads {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(count)
                .build()
                .unwrap();
            group.bench_function(BenchmarkId::from_parameter(count), |b| {
                pool.install(|| {
                    b.iter(|| {
                        jacobian_batch_with_options(
                            &function,
                            black_box(&*xs),
                            jacs,
                            None,
                            &options,
                        )
                        .unwrap()
                    })
                })
            });
            count = if count == threads {
                count + 1
            } else {
                (2 * count).min(threads)
            };
        }
        group.finish();
    }
}

fn config() -> Criterion {
    // 10 samples of about half a second each group entry: enough for a median with a
    // few per cent spread, and the whole bench in a few minutes on two cores.
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(700))
}

/// `cargo bench --bench peers -- --turns [--rounds R] [--only NAME]`: the engines of the ratios
/// (those of `peers/`) timed in turns instead of one after the other: each round runs
/// every engine once over the suite batch, and each engine keeps its fastest round (at
/// least R rounds, 9 by default, and at least 3 s per function). A shared machine's
/// slow spells then fall on all engines alike, which criterion's one-engine-at-a-time
/// medians do not ensure (robertson's user / num-dual ratio spread 0.68-1.24 over four
/// criterion runs on a 2-vCPU cloud machine). Prints one markdown row per engine.
fn turns(rounds: usize, only: Option<&str>) {
    println!(
        "| function | engine | Jacobians/s | / num-dual (fastest of its forms) | / analytic |"
    );
    println!("| --- | --- | ---: | ---: | ---: |");
    for function in SuiteFunction::all() {
        if only.is_some_and(|name| name != function.name()) {
            continue;
        }
        let (m, n) = (function.inputs(), function.outputs());
        let batch = function.batch_size();
        let xs = function.points(batch);
        let mut jacs = vec![0.0; batch * n * m];
        let engines = checked_engines(&function, &xs, &mut jacs);
        let mut best = vec![f64::INFINITY; engines.len()];
        let start = Instant::now();
        let mut round = 0;
        while round < rounds || start.elapsed() < Duration::from_secs(3) {
            for ((_, engine), best) in engines.iter().zip(&mut best) {
                let t = Instant::now();
                engine(black_box(&xs), &mut jacs);
                *best = best.min(t.elapsed().as_secs_f64());
            }
            round += 1;
        }
        let rate = |id: &str| {
            let at = engines.iter().position(|(e, _)| *e == id).unwrap();
            batch as f64 / best[at]
        };
        let num_dual = engines
            .iter()
            .filter(|(id, _)| id.starts_with("num-dual"))
            .map(|(id, _)| rate(id))
            .fold(0.0, f64::max);
        for (id, _) in &engines {
            println!(
                "| {} | {id} | {:.3e} | {:.2}x | {:.2}x |",
                function.name(),
                rate(id),
                rate(id) / num_dual,
                rate(id) / rate("analytic")
            );
        }
    }
}

criterion_group! {
    name = benches;
    config = config();
    targets = peers, latency, scaling
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--turns") {
        let rounds = match args.iter().position(|a| a == "--rounds") {
            Some(at) => args
                .get(at + 1)
                .and_then(|r| r.parse().ok())
                .expect("--rounds takes a count"),
            None => 9,
        };
        let only = args.iter().position(|a| a == "--only").map(|at| {
            args.get(at + 1)
                .expect("--only takes a function name")
                .as_str()
        });
        turns(rounds, only);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
