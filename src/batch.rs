//! Many Jacobians at once: B points in, B Jacobians out, in parallel over rayon.
//!
//! `xs` holds B points row-major (B x m); `jacs` receives B Jacobians row-major
//! (B x n x m: `jacs[(k * n + i) * m + j] = d f_i / d x_j at point k`); `values`, if
//! given, receives f(x_k) (B x n).
//!
//! # Parallelism
//! The points are cut into tasks of `grain` consecutive points (chosen automatically:
//! about eight tasks per thread, and no task so small that scheduling costs more than
//! the work). The tasks run in the caller's rayon pool, so `ThreadPool::install` sets the
//! thread count. Each worker thread makes one [`Workspace`] on its first task and reuses
//! it for every later task of the call, so the heap allocations of a call are bounded
//! by the thread count: they do not grow with B, and none happens per point.
//!
//! # Determinism
//! Every point is computed by the same code with the same dual type, whatever task or
//! thread computes it, so the bits of every Jacobian are the same for any thread count
//! and any grain.
//!
//! # Errors and non-finite inputs
//! Lengths and dimensions are checked before any work. If the user function panics or
//! leaves an output unwritten at some points, the call returns the error of the lowest
//! such point k (`point: Some(k)`), whatever the thread count; the contents of `jacs`
//! and `values` are then unspecified. A NaN or infinite input coordinate is not an
//! error: it propagates by IEEE arithmetic into that point's Jacobian (and value) only,
//! since no state is carried from one point to the next.

use crate::batch_lane::{LaneBlockVisitor, LaneBlockWorkspace, PointLanes};
use crate::error::{Error, check_len};
use crate::function::{BatchDims, VectorFn, check_batch_dimensions};
use crate::jacobian::{DualVisitor, Element, LaneType, TangentDual, Workspace};
use rayon::prelude::*;
use std::ops::ControlFlow;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// How the lanes of a SIMD vector are used.
///
/// ```
/// use batchjac::{jacobian_batch_with_options, BatchOptions, Mode, Real, VectorFn};
/// struct Polar;
/// impl VectorFn for Polar {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 2 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
///         y[0] = x[0] * x[1].cos();
///         y[1] = x[0] * x[1].sin();
///     }
/// }
/// let xs: Vec<f64> = (0..20).map(|k| 0.1 * k as f64).collect(); // 10 points (r, theta)
/// let mut by_mode = Vec::new();
/// for mode in [Mode::TangentLanes, Mode::BatchLanes] {
///     let mut jacs = vec![0.0; 40];
///     let options = BatchOptions { mode, ..BatchOptions::default() };
///     jacobian_batch_with_options(&Polar, &xs, &mut jacs, None, &options).unwrap();
///     by_mode.push(jacs);
/// }
/// assert_eq!(by_mode[0], by_mode[1]); // the same bits, whatever the lanes hold
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Chosen from the function and B by [`choose_mode_for`] (the default).
    #[default]
    Auto,
    /// Lanes hold tangent directions of one point; the value is a scalar
    /// (`Dual<f64, f64x8, K>`): best when m fills the lanes.
    TangentLanes,
    /// Lanes hold different points; the value and each tangent are lane vectors
    /// (`Dual<f64x8, f64x8, K>`), so elementary functions run in SIMD: best for small m.
    /// Branching user code must use [`crate::Value::select`], not `if` on
    /// [`crate::Value::primal`].
    BatchLanes,
}

impl Mode {
    /// The name used on the command line: `auto`, `tangent` or `batch`.
    ///
    /// ```
    /// use batchjac::Mode;
    /// assert_eq!(Mode::TangentLanes.name(), "tangent");
    /// assert_eq!(Mode::BatchLanes.to_string(), "batch");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Mode::Auto => "auto",
            Mode::TangentLanes => "tangent",
            Mode::BatchLanes => "batch",
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Mode {
    type Err = Error;
    /// Parses `auto`, `tangent` or `batch`.
    ///
    /// ```
    /// use batchjac::batch::Mode;
    /// assert_eq!("batch".parse::<Mode>().unwrap(), Mode::BatchLanes);
    /// assert!("lanes".parse::<Mode>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Error> {
        [Mode::Auto, Mode::TangentLanes, Mode::BatchLanes]
            .into_iter()
            .find(|mode| mode.name() == s)
            .ok_or_else(|| Error::InvalidArgument {
                message: format!("unknown mode {s:?}; expected one of auto, tangent, batch"),
            })
    }
}

/// The largest m for which [`Mode::Auto`] picks batch-lane mode whatever the function
/// does. Measured on the suite (README, "Batch-lane mode"): batch lanes win for
/// robertson (m = 3), elementary_mix (4) and arm7 (7); past 8 inputs it depends on the
/// work per Jacobian entry ([`choose_mode_for`]).
///
/// ```
/// use batchjac::batch::{choose_mode, Mode, BATCH_LANES_MAX_M};
/// assert_eq!(choose_mode(BATCH_LANES_MAX_M, 64), Mode::BatchLanes);
/// assert_eq!(choose_mode(BATCH_LANES_MAX_M + 1, 64), Mode::TangentLanes);
/// ```
pub const BATCH_LANES_MAX_M: usize = 8;

/// The mode [`Mode::Auto`] resolves to for m inputs and B points: batch lanes when m is
/// at most [`BATCH_LANES_MAX_M`] and the batch fills at least one vector of 8 points,
/// tangent lanes otherwise.
///
/// ```
/// use batchjac::batch::{choose_mode, Mode};
/// assert_eq!(choose_mode(3, 262_144), Mode::BatchLanes);
/// assert_eq!(choose_mode(32, 8192), Mode::TangentLanes);
/// assert_eq!(choose_mode(3, 1), Mode::TangentLanes);
/// ```
pub fn choose_mode(m: usize, points: usize) -> Mode {
    if m <= BATCH_LANES_MAX_M && points >= 8 {
        Mode::BatchLanes
    } else {
        Mode::TangentLanes
    }
}

/// The largest m for which [`Mode::Auto`] picks batch lanes for a function that does
/// enough work per Jacobian entry ([`choose_mode_for`]). Batch lanes carry up to 16
/// directions per pass, so m = 32 takes two passes; measured on the suite, batch lanes
/// win for mlp (m = 32, 1.7x) and trigonometric (16, 1.7x), and lose for
/// ext_rosenbrock (16, 0.5x: three operations per output, bound by writing the
/// Jacobian, which tangent lanes do in one contiguous run per point).
pub const BATCH_LANES_WORK_MAX_M: usize = 32;

/// What one elementary function (`exp`, `sin`, `tanh`, ... computed by a polynomial
/// kernel) weighs against one arithmetic operation in [`choose_mode_for`]'s count: a
/// scalar kernel call per point in tangent lanes against a few vector operations.
const ELEMENTARY_WEIGHT: u64 = 8;

/// The mode [`Mode::Auto`] resolves to for `f` and a batch of B = `points` points:
/// [`choose_mode`]'s rule by m, and for 8 < m <= [`BATCH_LANES_WORK_MAX_M`] batch
/// lanes when `f` does at least half an operation per Jacobian entry, counting an
/// elementary function as 8 arithmetic operations. The count comes from one evaluation
/// of `f` on a value type that carries nothing (no numbers are computed); a function
/// that reads a value to decide what to do ([`crate::Value::primal`],
/// [`crate::Mask::any`]) cannot be counted and gets tangent lanes. Both modes give the
/// same bits, so the choice changes only the speed.
///
/// ```
/// use batchjac::batch::{choose_mode_for, Mode};
/// use batchjac::suite::SuiteFunction;
/// let mode = |name| {
///     let f = SuiteFunction::by_name(name).unwrap();
///     choose_mode_for(&f, f.batch_size())
/// };
/// assert_eq!(mode("robertson"), Mode::BatchLanes); // m = 3
/// assert_eq!(mode("trigonometric"), Mode::BatchLanes); // 16 sin_cos for 256 entries
/// assert_eq!(mode("mlp"), Mode::BatchLanes); // ~1200 operations for 128 entries
/// assert_eq!(mode("ext_rosenbrock"), Mode::TangentLanes); // 40 operations, 256 entries
/// assert_eq!(mode("brusselator"), Mode::TangentLanes); // m = 128
/// ```
pub fn choose_mode_for<F: VectorFn>(f: &F, points: usize) -> Mode {
    let m = f.inputs();
    let by_m = choose_mode(m, points);
    if by_m == Mode::BatchLanes || m > BATCH_LANES_WORK_MAX_M || points < 8 {
        return by_m;
    }
    let entries = (f.outputs() as u64).saturating_mul(m as u64);
    match crate::cost::op_counts(f) {
        Some(c)
            if c.arithmetic
                .saturating_add(ELEMENTARY_WEIGHT.saturating_mul(c.elementary))
                .saturating_mul(2)
                >= entries =>
        {
            Mode::BatchLanes
        }
        _ => Mode::TangentLanes,
    }
}

/// Options of the batch entry points.
///
/// ```
/// use batchjac::{BatchOptions, LaneType};
/// let options = BatchOptions { lanes: LaneType::F64x4, parallel: false, ..Default::default() };
/// assert_eq!(options.grain, None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchOptions {
    /// Which lane type carries the directions, or the points in batch-lane mode
    /// ([`LaneType::Auto`] by default).
    pub lanes: LaneType,
    /// Tangent lanes or batch lanes ([`Mode::Auto`] by default).
    pub mode: Mode,
    /// `true` (the default): tasks run in the current rayon pool; `false`: all points run
    /// sequentially on the calling thread.
    pub parallel: bool,
    /// Points per task (and per progress report; in batch-lane mode rounded up to a whole
    /// number of SIMD blocks); `None` (the default) chooses it from
    /// B, the thread count and the size of one Jacobian. `Some(0)` is an error.
    pub grain: Option<usize>,
    /// How the Jacobians are written to `jacs` ([`Stores::Auto`] by default: streaming
    /// stores for outputs larger than the caches, written in large enough pieces).
    pub stores: Stores,
}

/// How a dense batch writes its Jacobians. Either way every entry gets the same bits;
/// only the speed differs, and whether the Jacobians are left in the caches.
///
/// ```
/// use batchjac::batch::{jacobian_batch_with_options, BatchOptions, Stores};
/// use batchjac::suite::SuiteFunction;
/// let f = SuiteFunction::by_name("ext_rosenbrock").unwrap(); // m = n = 16
/// let xs = f.points(100);
/// let mut by_stores = Vec::new();
/// for stores in [Stores::Cached, Stores::Streaming] {
///     let mut jacs = vec![0.0; 100 * 256];
///     let options = BatchOptions { stores, ..Default::default() };
///     jacobian_batch_with_options(&f, &xs, &mut jacs, None, &options).unwrap();
///     by_stores.push(jacs);
/// }
/// assert_eq!(by_stores[0], by_stores[1]);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Stores {
    /// [`Stores::Streaming`] when the batch's Jacobians take at least
    /// [`STREAMING_MIN_BYTES`] and each piece streamed at once (one point's Jacobian in
    /// tangent lanes; in batch lanes a block of points', or when one pass holds all m
    /// directions, a run of whole blocks of up to 4 KiB) at least
    /// [`STREAMING_MIN_PIECE`]; [`Stores::Cached`] otherwise (the default).
    #[default]
    Auto,
    /// Plain stores: the last Jacobians written stay in the caches, for code that reads
    /// them right away.
    Cached,
    /// Each point's Jacobian (a block's or a run of blocks', in batch-lane mode) is
    /// computed into a small buffer and copied to its place with non-temporal stores,
    /// whole cache lines at a
    /// time (on every x86_64 target; a plain copy elsewhere): memory is written without
    /// first being read into the caches, which is what limits a batch whose output is
    /// larger than the caches. Streaming stores are fenced before the call returns.
    Streaming,
}

/// The output size (B x n x m entries, in bytes) from which [`Stores::Auto`] streams:
/// 16 MiB, past the caches a core can count on (the development machine's L2 is 1 MiB
/// per core; its L3, 32 MiB, is shared).
pub const STREAMING_MIN_BYTES: usize = 16 << 20;

/// The smallest piece [`Stores::Auto`] streams: 4 KiB on targets with AVX-512F, 1 KiB
/// on the others. Each piece is computed into a small cached buffer and copied out, its
/// partial cache lines at either end with plain stores; below some size the copy and the
/// partial lines cost more than streaming saves. Where that size lies depends on how
/// much dearer a plain store to memory is than a streaming one, which the two machines
/// measured with `cargo bench --bench batch -- stores/` (docs/RESULTS.md) differ on: on
/// an AMD Zen 5 with AVX-512 streaming gained on trigonometric (16 KiB blocks) and
/// brusselator (128 KiB points), lost on ext_rosenbrock (2 KiB points) and robertson
/// (576-byte blocks) and was even on elementary_mix (1.5 KiB blocks); on an AMD EPYC
/// with AVX2 only, it gained on ext_rosenbrock (1.13x to 1.69x over three runs) and
/// elementary_mix (1.29x) too, was even on arm7 (896-byte blocks) and lost on
/// robertson. The target's AVX-512F is what tells the two apart at compile time.
/// Since then a one-pass batch in batch lanes streams runs of whole blocks of up to
/// 4 KiB: robertson's 576-byte blocks go seven at a time (4032 bytes), past the 1 KiB
/// of targets without AVX-512F, where it measured 1.3x the cached stores' speed on the
/// AVX2 EPYC; with AVX-512F that is still under 4 KiB, and it is not streamed (not
/// measured there).
pub const STREAMING_MIN_PIECE: usize =
    if cfg!(all(target_arch = "x86_64", target_feature = "avx512f")) {
        4 << 10
    } else {
        1 << 10
    };

impl Stores {
    /// Whether a batch whose Jacobians take `bytes` bytes, written in pieces of `piece`
    /// bytes, streams.
    ///
    /// ```
    /// use batchjac::batch::{Stores, STREAMING_MIN_BYTES, STREAMING_MIN_PIECE};
    /// assert!(Stores::Auto.streams(STREAMING_MIN_BYTES, STREAMING_MIN_PIECE));
    /// assert!(!Stores::Auto.streams(STREAMING_MIN_BYTES - 1, STREAMING_MIN_PIECE));
    /// assert!(!Stores::Auto.streams(usize::MAX, STREAMING_MIN_PIECE - 1));
    /// assert!(Stores::Streaming.streams(0, 0) && !Stores::Cached.streams(usize::MAX, usize::MAX));
    /// ```
    pub fn streams(self, bytes: usize, piece: usize) -> bool {
        match self {
            Stores::Auto => bytes >= STREAMING_MIN_BYTES && piece >= STREAMING_MIN_PIECE,
            Stores::Cached => false,
            Stores::Streaming => true,
        }
    }
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            lanes: LaneType::Auto,
            mode: Mode::Auto,
            parallel: true,
            grain: None,
            stores: Stores::Auto,
        }
    }
}

impl BatchOptions {
    /// Sequential options: every point on the calling thread, lanes chosen from m.
    ///
    /// ```
    /// use batchjac::{jacobian_batch_with_options, BatchOptions, Real, VectorFn};
    /// struct Square;
    /// impl VectorFn for Square {
    ///     fn inputs(&self) -> usize { 1 }
    ///     fn outputs(&self) -> usize { 1 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0]; }
    /// }
    /// let options = BatchOptions::sequential();
    /// assert!(!options.parallel);
    /// let xs = [1.0, 2.0, 3.0];
    /// let mut jacs = [0.0; 3];
    /// jacobian_batch_with_options(&Square, &xs, &mut jacs, None, &options).unwrap();
    /// assert_eq!(jacs, [2.0, 4.0, 6.0]);
    /// ```
    pub fn sequential() -> Self {
        BatchOptions {
            parallel: false,
            ..Default::default()
        }
    }

    /// Default options with the given lane type.
    ///
    /// ```
    /// use batchjac::{jacobian_batch_with_options, BatchOptions, Error, LaneType, Real, VectorFn};
    /// struct Square;
    /// impl VectorFn for Square {
    ///     fn inputs(&self) -> usize { 1 }
    ///     fn outputs(&self) -> usize { 1 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0]; }
    /// }
    /// let options = BatchOptions::with_lanes(LaneType::F64x4);
    /// assert!(options.parallel && options.lanes == LaneType::F64x4);
    /// let mut jacs = [0.0; 2];
    /// jacobian_batch_with_options(&Square, &[1.0, 2.0], &mut jacs, None, &options).unwrap();
    /// assert_eq!(jacs, [2.0, 4.0]);
    /// // f32 lanes do not hold f64 points.
    /// let f32_lanes = BatchOptions::with_lanes(LaneType::F32x8);
    /// let err = jacobian_batch_with_options(&Square, &[1.0, 2.0], &mut jacs, None, &f32_lanes);
    /// assert!(matches!(err, Err(Error::UnsupportedLanes { .. })));
    /// ```
    pub fn with_lanes(lanes: LaneType) -> Self {
        BatchOptions {
            lanes,
            ..Default::default()
        }
    }
}

/// Tasks per thread aimed at by the automatic grain: enough that a thread which falls
/// behind (another process on its core, a slower point) is balanced by the others.
const TASKS_PER_THREAD: usize = 8;

/// The least Jacobian entries a task of the automatic grain writes. About 4096 entries
/// take a few microseconds even for the cheapest suite function (ext_rosenbrock), well
/// above rayon's cost of a task (well under a microsecond).
const MIN_TASK_ENTRIES: usize = 4096;

/// The automatic grain: about `TASKS_PER_THREAD` tasks per thread, each writing at least
/// `MIN_TASK_ENTRIES` entries (at least one point).
fn auto_grain(points: usize, entries_per_point: usize, threads: usize) -> usize {
    let balanced = points.div_ceil(TASKS_PER_THREAD * threads.max(1));
    let worthwhile = MIN_TASK_ENTRIES.div_ceil(entries_per_point.max(1));
    balanced.max(worthwhile).clamp(1, points.max(1))
}

/// The B Jacobians of `f` at the points `xs` (B x m row-major) into `jacs` (B x n x m),
/// in parallel in the current rayon pool.
///
/// Every entry costs a direction here, zeros included. For a Jacobian that is mostly
/// zeros, [`crate::sparse::SparseJacobian::jacobian_batch_dense`] writes the same
/// matrices with one direction per colour of its pattern (ext_rosenbrock: 2 instead
/// of 16; brusselator: 8 instead of 128).
///
/// ```
/// use batchjac::{jacobian_batch, Real, VectorFn};
/// struct Polar;
/// impl VectorFn for Polar {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 2 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
///         y[0] = x[0] * x[1].cos();
///         y[1] = x[0] * x[1].sin();
///     }
/// }
/// let xs = [2.0, 0.0, 3.0, 0.0]; // two points (r, theta)
/// let mut jacs = [0.0; 8];
/// jacobian_batch(&Polar, &xs, &mut jacs).unwrap();
/// assert_eq!(jacs, [1.0, 0.0, 0.0, 2.0, 1.0, 0.0, 0.0, 3.0]);
/// ```
pub fn jacobian_batch<F: VectorFn, E: Element>(
    f: &F,
    xs: &[E],
    jacs: &mut [E],
) -> Result<(), Error> {
    jacobian_batch_with_options(f, xs, jacs, None, &BatchOptions::default())
}

/// The B Jacobians into `jacs` (B x n x m) and the B values f(x_k) into `values` (B x n).
///
/// ```
/// use batchjac::{jacobian_batch_and_values, Real, VectorFn};
/// struct Square;
/// impl VectorFn for Square {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0]; }
/// }
/// let (mut jacs, mut values) = ([0.0; 3], [0.0; 3]);
/// jacobian_batch_and_values(&Square, &[1.0, 2.0, 3.0], &mut jacs, &mut values).unwrap();
/// assert_eq!((jacs, values), ([2.0, 4.0, 6.0], [1.0, 4.0, 9.0]));
/// ```
pub fn jacobian_batch_and_values<F: VectorFn, E: Element>(
    f: &F,
    xs: &[E],
    jacs: &mut [E],
    values: &mut [E],
) -> Result<(), Error> {
    jacobian_batch_with_options(f, xs, jacs, Some(values), &BatchOptions::default())
}

/// The B Jacobians with options (lane type, parallel or not, grain), and the values
/// f(x_k) into `values` (B x n) if given.
///
/// ```
/// use batchjac::{jacobian_batch_with_options, BatchOptions, LaneType, Real, VectorFn};
/// struct Product;
/// impl VectorFn for Product {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[1]; }
/// }
/// let options =
///     BatchOptions { lanes: LaneType::Scalar, parallel: false, grain: Some(1), ..Default::default() };
/// let mut jacs = [0.0; 4];
/// jacobian_batch_with_options(&Product, &[2.0, 3.0, 4.0, 5.0], &mut jacs, None, &options)
///     .unwrap();
/// assert_eq!(jacs, [3.0, 2.0, 5.0, 4.0]);
/// ```
pub fn jacobian_batch_with_options<F: VectorFn, E: Element>(
    f: &F,
    xs: &[E],
    jacs: &mut [E],
    values: Option<&mut [E]>,
    options: &BatchOptions,
) -> Result<(), Error> {
    run_dispatched(f, xs, jacs, values, options, &|_| ControlFlow::Continue(()))
}

/// [`jacobian_batch_with_options`] that also calls `progress(count)` each time a task has
/// finished `count` more points (from whichever worker thread finished it), so a caller
/// can drive a progress bar over a long batch, and stop it. The counts of a successful
/// call add up to B. Without a hook ([`jacobian_batch_with_options`]) nothing is called.
///
/// # Stopping
/// When `progress` returns [`ControlFlow::Break`], no task starts after that; the tasks
/// already running finish, and the call returns [`Error::Stopped`] with the number of
/// points done and the prefix `0..prefix` of points that are all complete. The
/// Jacobians (and values) of every completed point are written in full, the others are
/// unspecified. A break that comes with the last task, when nothing is left to stop,
/// is not an error.
///
/// ```
/// use batchjac::{jacobian_batch_with_progress, BatchOptions, Error, Real, VectorFn};
/// use std::ops::ControlFlow;
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// struct Square;
/// impl VectorFn for Square {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0]; }
/// }
/// let xs = vec![3.0; 1000];
/// let mut jacs = vec![0.0; 1000];
/// let done = AtomicUsize::new(0);
/// let options = BatchOptions { grain: Some(100), ..Default::default() };
/// jacobian_batch_with_progress(&Square, &xs, &mut jacs, None, &options, &|count| {
///     done.fetch_add(count, Ordering::Relaxed);
///     ControlFlow::Continue(())
/// })
/// .unwrap();
/// assert_eq!(done.load(Ordering::Relaxed), 1000);
///
/// // Stop after the first task: sequentially, exactly its 200 points are done.
/// let options = BatchOptions { grain: Some(200), ..BatchOptions::sequential() };
/// let stop = |_count: usize| ControlFlow::Break(());
/// jacs.fill(0.0);
/// let error = jacobian_batch_with_progress(&Square, &xs, &mut jacs, None, &options, &stop);
/// assert_eq!(error, Err(Error::Stopped { done: 200, prefix: 200, points: 1000 }));
/// assert!(jacs[..200].iter().all(|&j| j == 6.0) && jacs[200..].iter().all(|&j| j == 0.0));
/// ```
pub fn jacobian_batch_with_progress<F: VectorFn, E: Element>(
    f: &F,
    xs: &[E],
    jacs: &mut [E],
    values: Option<&mut [E]>,
    options: &BatchOptions,
    progress: &(dyn Fn(usize) -> ControlFlow<()> + Sync),
) -> Result<(), Error> {
    run_dispatched(f, xs, jacs, values, options, progress)
}

/// The B Jacobians with the dual type `D` chosen at compile time (lane type and number
/// of lane vectors K, hence the chunk width `D::DIRECTIONS`); `options.lanes` is ignored.
///
/// ```
/// use batchjac::{jacobian_batch_with, BatchOptions, Dual, Real, VectorFn};
/// use wide::f64x4;
/// struct Cube;
/// impl VectorFn for Cube {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0].powi(3); }
/// }
/// let mut jacs = [0.0; 2];
/// jacobian_batch_with::<Dual<f64, f64x4, 2>, _>(
///     &Cube, &[1.0, 2.0], &mut jacs, None, &BatchOptions::default(),
/// )
/// .unwrap();
/// assert_eq!(jacs, [3.0, 12.0]);
/// ```
pub fn jacobian_batch_with<D: TangentDual, F: VectorFn>(
    f: &F,
    xs: &[D::Elem],
    jacs: &mut [D::Elem],
    values: Option<&mut [D::Elem]>,
    options: &BatchOptions,
) -> Result<(), Error> {
    let shape = check_batch_args(f, xs, jacs, values.as_deref(), options)?;
    let (m, n) = (shape.m, shape.n);
    let make = || Workspace::<D>::new(m, n);
    let progress = |_| ControlFlow::Continue(());
    run::<Workspace<D>, F, _>(f, shape, xs, jacs, values, options, &progress, &make)
}

/// Dimensions of a checked batch call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shape {
    /// Inputs.
    pub m: usize,
    /// Outputs.
    pub n: usize,
    /// Points.
    pub points: usize,
    /// Entries one point writes into the output: n m for a dense Jacobian, nnz for a
    /// sparse one.
    pub out: usize,
}

/// Checks dimensions, lengths and the grain; returns the shape.
fn check_batch_args<F: VectorFn, E>(
    f: &F,
    xs: &[E],
    jacs: &[E],
    values: Option<&[E]>,
    options: &BatchOptions,
) -> Result<Shape, Error> {
    let BatchDims {
        m,
        n,
        points,
        entries,
    } = check_batch_dimensions(f, xs.len())?;
    check_len("jacs (B * n * m)", jacs.len(), entries)?;
    if let Some(values) = values {
        check_len("values (B * n)", values.len(), points * n)?;
    }
    if options.grain == Some(0) {
        return Err(Error::InvalidArgument {
            message: "grain is 0; a task must hold at least one point".to_string(),
        });
    }
    Ok(Shape {
        m,
        n,
        points,
        out: n * m,
    })
}

/// The progress hook as the drivers take it: one `dyn` type for every caller's closure,
/// so a hook costs no extra instance of the drivers (it is called once per task).
pub(crate) type Progress<'a> = &'a (dyn Fn(usize) -> ControlFlow<()> + Sync);

/// Checks the arguments and runs the batch with the dual type `options.lanes` selects.
fn run_dispatched<F: VectorFn, E: Element>(
    f: &F,
    xs: &[E],
    jacs: &mut [E],
    values: Option<&mut [E]>,
    options: &BatchOptions,
    progress: Progress<'_>,
) -> Result<(), Error> {
    let shape = check_batch_args(f, xs, jacs, values.as_deref(), options)?;
    let mode = match options.mode {
        Mode::Auto => choose_mode_for(f, shape.points),
        chosen => chosen,
    };
    let visitor = BatchVisitor {
        f,
        shape,
        xs,
        jacs,
        values,
        options,
        progress,
    };
    match mode {
        Mode::BatchLanes => E::dispatch_points(options.lanes, shape.m, visitor)?,
        _ => E::dispatch(options.lanes, shape.m, visitor)?,
    }
}

struct BatchVisitor<'a, F, E> {
    f: &'a F,
    shape: Shape,
    xs: &'a [E],
    jacs: &'a mut [E],
    values: Option<&'a mut [E]>,
    options: &'a BatchOptions,
    progress: Progress<'a>,
}

impl<F: VectorFn, E: Element> DualVisitor<E> for BatchVisitor<'_, F, E> {
    type Output = Result<(), Error>;
    fn visit<D: TangentDual<Elem = E>>(self) -> Self::Output {
        let (m, n) = (self.shape.m, self.shape.n);
        run::<Workspace<D>, F, _>(
            self.f,
            self.shape,
            self.xs,
            self.jacs,
            self.values,
            self.options,
            self.progress,
            &|| Workspace::new(m, n),
        )
    }
}

/// A value on cache lines of its own: each thread locks its workspace slot once per
/// task, and neighbouring slots on one line would bounce it between cores (128 bytes:
/// adjacent-line prefetch pairs 64-byte lines on x86).
#[repr(align(128))]
struct CacheLine<T>(T);

/// The points of one task, `first..first + count`, with their slices of the output.
pub(crate) struct Task<'a, E> {
    /// The task's first point in the batch.
    pub first: usize,
    /// The task's points (count x m).
    pub xs: &'a [E],
    /// What the task's points write (count x `Shape::out`).
    pub jacs: &'a mut [E],
    /// Their values (count x n), if asked for.
    pub values: Option<&'a mut [E]>,
}

/// One worker's reusable buffers and the loop over the points of one task: tangent-lane
/// ([`Workspace`]) or batch-lane ([`LaneBlockWorkspace`]) for dense Jacobians, and the
/// compressed engines of [`crate::sparse`]. [`run`] makes one per worker with the
/// closure it is given.
pub(crate) trait Engine: Sized + Send {
    /// The element type of the data.
    type Elem: Element;
    /// Points per SIMD block. Task boundaries are multiples of it, so the block a point
    /// is computed in (and so its bits) never depends on the split into tasks.
    const ALIGN: usize;
    /// How the next tasks write their Jacobians ([`Stores`]; `bytes`: the whole
    /// batch's); engines that do not stream ignore it.
    fn set_stores(&mut self, _stores: Stores, _bytes: usize) {}
    /// Runs the points of `task` in order. On success returns the number of points; on
    /// failure the lowest failing point and its error, attributed to that point.
    fn run_task<F: VectorFn>(
        &mut self,
        f: &F,
        shape: Shape,
        task: Task<'_, Self::Elem>,
    ) -> Result<usize, (usize, Error)>;
}

impl<D: TangentDual> Engine for Workspace<D> {
    type Elem = D::Elem;
    const ALIGN: usize = 1;
    fn set_stores(&mut self, stores: Stores, bytes: usize) {
        // One point's Jacobian is streamed at once.
        let piece = self.entries() * size_of::<D::Elem>();
        self.stream = stores.streams(bytes, piece);
    }
    #[inline(never)]
    fn run_task<F: VectorFn>(
        &mut self,
        f: &F,
        shape: Shape,
        task: Task<'_, D::Elem>,
    ) -> Result<usize, (usize, Error)> {
        let Shape { m, n, .. } = shape;
        let Task {
            first,
            xs,
            jacs,
            mut values,
        } = task;
        let count = xs.len() / m;
        // One panic guard around the whole task (a guard per point keeps `f.eval` out
        // of line); after a panic the points are rerun one at a time, each guarded, so
        // the error names the lowest point that panics. Both runs go through the same
        // loop, so `f.eval` is compiled into it once.
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.points_unguarded(f, xs, jacs, values.as_deref_mut())
        }));
        let payload = match run {
            Ok(Ok(())) => return Ok(count),
            Ok(Err((p, e))) => return Err((first + p, e.at_point(first + p))),
            Err(payload) => payload,
        };
        for p in 0..count {
            let rerun = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.points_unguarded(
                    f,
                    &xs[p * m..(p + 1) * m],
                    &mut jacs[p * n * m..(p + 1) * n * m],
                    None,
                )
            }));
            let error = match rerun {
                Ok(Ok(())) => continue,
                Ok(Err((_, e))) => e,
                Err(payload) => Error::FunctionPanicked {
                    point: None,
                    message: crate::error::panic_message(&*payload),
                },
            };
            return Err((first + p, error.at_point(first + p)));
        }
        // No point panics on its own (a function with state): name the task's first.
        Err((
            first,
            Error::FunctionPanicked {
                point: Some(first),
                message: crate::error::panic_message(&*payload),
            },
        ))
    }
}

impl<P: PointLanes, const K: usize> Engine for LaneBlockWorkspace<P, K>
where
    P::Elem: Element,
{
    type Elem = P::Elem;
    const ALIGN: usize = P::WIDTH;
    fn set_stores(&mut self, stores: Stores, bytes: usize) {
        // A run of whole blocks of WIDTH points is streamed at once (one block, or
        // several small ones in a one-pass batch: `streamed_blocks`).
        let piece = self.streamed_entries() * size_of::<P::Elem>();
        self.stream = stores.streams(bytes, piece);
    }
    #[inline(never)]
    fn run_task<F: VectorFn>(
        &mut self,
        f: &F,
        shape: Shape,
        task: Task<'_, P::Elem>,
    ) -> Result<usize, (usize, Error)> {
        let Task {
            first,
            xs,
            jacs,
            values,
        } = task;
        match self.jacobian_points(f, xs, jacs, values) {
            Ok(()) => Ok(xs.len() / shape.m),
            Err(error) => {
                // jacobian_points names points relative to the task.
                let relative = match &error {
                    Error::OutputNotWritten { point, .. }
                    | Error::FunctionPanicked { point, .. } => point.unwrap_or(0),
                    _ => 0,
                };
                Err((first + relative, error.at_point(first + relative)))
            }
        }
    }
}

/// The same call runs in batch-lane mode when dispatched over point lanes.
impl<F: VectorFn, E: Element> LaneBlockVisitor<E> for BatchVisitor<'_, F, E> {
    type Output = Result<(), Error>;
    fn visit<P: PointLanes<Elem = E>, const K: usize>(self) -> Self::Output {
        let (m, n) = (self.shape.m, self.shape.n);
        run::<LaneBlockWorkspace<P, K>, F, _>(
            self.f,
            self.shape,
            self.xs,
            self.jacs,
            self.values,
            self.options,
            self.progress,
            &|| LaneBlockWorkspace::new(m, n),
        )
    }
}

/// The batch with engine `W`, made by `make` once per worker; arguments already
/// checked. Point k reads `xs[k m..(k + 1) m]` and writes `jacs[k out..(k + 1) out]`
/// (`out` = `shape.out`) and `values[k n..(k + 1) n]`.
///
/// Code size: this is instantiated once per engine and function, and the hot loop lives
/// in [`Engine::run_task`], which is called (never inlined) from one place here; the
/// bookkeeping of failures, stops and progress ([`Ledger`]) is not generic at all, and
/// the parallel plumbing ([`for_each_task`]) depends on the element type only.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run<W, F, M>(
    f: &F,
    shape: Shape,
    xs: &[W::Elem],
    jacs: &mut [W::Elem],
    values: Option<&mut [W::Elem]>,
    options: &BatchOptions,
    progress: Progress<'_>,
    make: &M,
) -> Result<(), Error>
where
    W: Engine,
    F: VectorFn,
    M: Fn() -> W + Sync,
{
    let Shape {
        m, n, points, out, ..
    } = shape;
    let threads = if options.parallel {
        rayon::current_num_threads()
    } else {
        1
    };
    let grain = options
        .grain
        .unwrap_or_else(|| auto_grain(points, out, threads))
        .next_multiple_of(W::ALIGN);
    let parallel = threads > 1 && grain < points;
    let bytes = points
        .saturating_mul(out)
        .saturating_mul(size_of::<W::Elem>());

    // One workspace slot per thread of the pool, filled on the thread's first task
    // (sequentially, one on the stack: no allocation but the workspace's). `try_lock` can
    // only fail if the user function itself runs rayon work on this thread that steals
    // another of our tasks while the slot is held: that task then makes its own
    // workspace rather than deadlock.
    let caller: CacheLine<Mutex<Option<W>>> = CacheLine(Mutex::new(None));
    let slots: Vec<CacheLine<Mutex<Option<W>>>> = if parallel {
        (0..threads).map(|_| CacheLine(Mutex::new(None))).collect()
    } else {
        Vec::new()
    };
    let ledger = Ledger::new(progress);

    let execute = |t: usize, jacs: &mut [W::Elem], values: Option<&mut [W::Elem]>| {
        let first = t * grain;
        if !ledger.begin(first) {
            return;
        }
        let count = jacs.len() / out;
        let task = Task {
            first,
            xs: &xs[first * m..(first + count) * m],
            jacs,
            values,
        };
        let slot = if parallel {
            rayon::current_thread_index().and_then(|i| slots.get(i))
        } else {
            Some(&caller)
        };
        let mut fresh = None;
        let mut guard = slot.and_then(|s| match s.0.try_lock() {
            Ok(guard) => Some(guard),
            // A poisoned slot cannot happen (user panics are caught inside the task),
            // but its workspace would be as good as new: every buffer is rewritten.
            Err(std::sync::TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        });
        let workspace = match guard.as_deref_mut() {
            Some(slot) => slot.get_or_insert_with(make),
            None => fresh.insert(make()),
        };
        workspace.set_stores(options.stores, bytes);
        // The one call site of the hot loop.
        let result = workspace.run_task(f, shape, task);
        if options.stores != Stores::Cached {
            // Streamed entries are weakly ordered: make them visible before the task
            // counts as done (and before another thread returns to the caller).
            crate::lanes::store_fence();
        }
        drop(guard);
        ledger.finish(first, result);
    };
    for_each_task(parallel, jacs, values, grain * out, grain * n, &execute);
    ledger.outcome(parallel, points)
}

/// What the tasks of one batch call share besides their data: the lowest failure, the
/// stop by the progress hook, and the count of points done. Nothing here depends on the
/// engine or the function, so it is compiled once, not once per instance of [`run`].
struct Ledger<'a> {
    progress: Progress<'a>,
    /// The lowest failing point so far (`usize::MAX`: none). A task whose first point
    /// lies above it cannot change the answer and is skipped; every task below it runs,
    /// so the error returned is that of the lowest failing point, as in a sequential run.
    lowest_failure: AtomicUsize,
    failure: Mutex<Option<(usize, Error)>>,
    /// Set once the progress hook breaks; every task that starts later is skipped, and
    /// the lowest skipped task's first point ends the complete prefix.
    stopped: AtomicBool,
    lowest_skipped: AtomicUsize,
    done: AtomicUsize,
}

impl<'a> Ledger<'a> {
    fn new(progress: Progress<'a>) -> Self {
        Ledger {
            progress,
            lowest_failure: AtomicUsize::new(usize::MAX),
            failure: Mutex::new(None),
            stopped: AtomicBool::new(false),
            lowest_skipped: AtomicUsize::new(usize::MAX),
            done: AtomicUsize::new(0),
        }
    }

    /// Whether the task whose first point is `first` is to run.
    fn begin(&self, first: usize) -> bool {
        if first > self.lowest_failure.load(Ordering::Relaxed) {
            return false;
        }
        if self.stopped.load(Ordering::Relaxed) {
            self.lowest_skipped.fetch_min(first, Ordering::Relaxed);
            return false;
        }
        true
    }

    /// Records what the task that began at `first` returned (`Engine::run_task`'s
    /// result) and reports its points to the progress hook.
    #[inline(never)]
    fn finish(&self, first: usize, result: Result<usize, (usize, Error)>) {
        match result {
            Ok(count) => {
                self.done.fetch_add(count, Ordering::Relaxed);
                if (self.progress)(count).is_break() {
                    self.stopped.store(true, Ordering::Relaxed);
                }
            }
            Err((point, error)) => {
                // The call fails whatever the hook says.
                let _ = (self.progress)(point - first);
                self.lowest_failure.fetch_min(point, Ordering::Relaxed);
                let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
                if failure.as_ref().is_none_or(|(k, _)| point < *k) {
                    *failure = Some((point, error));
                }
            }
        }
    }

    /// The call's result once every task has run or been skipped.
    fn outcome(self, parallel: bool, points: usize) -> Result<(), Error> {
        if let Some((_, error)) = self.failure.into_inner().unwrap_or_else(|e| e.into_inner()) {
            return Err(error);
        }
        let done = self.done.into_inner();
        if done < points {
            // Only a stop leaves points undone without a failure: sequentially the points
            // up to the stop are done, in parallel those below the lowest skipped task.
            let prefix = if parallel {
                self.lowest_skipped.into_inner().min(points)
            } else {
                done
            };
            return Err(Error::Stopped {
                done,
                prefix,
                points,
            });
        }
        Ok(())
    }
}

/// What [`for_each_task`] calls per task: the task's index, its Jacobians and values.
type TaskFn<'a, E> = dyn Fn(usize, &mut [E], Option<&mut [E]>) + Sync + 'a;

/// Calls `execute(t, jacs_t, values_t)` for every task t: the t-th chunk of
/// `jac_chunk` entries of `jacs` and of `value_chunk` entries of `values`. In order on
/// the calling thread, or in parallel over rayon. Generic over the element type only,
/// so the rayon machinery is compiled once per element type, not once per engine and
/// function (a dynamic call per task costs nothing next to a task's points).
fn for_each_task<E: Send>(
    parallel: bool,
    jacs: &mut [E],
    values: Option<&mut [E]>,
    jac_chunk: usize,
    value_chunk: usize,
    execute: &TaskFn<'_, E>,
) {
    match (parallel, values) {
        (false, Some(values)) => jacs
            .chunks_mut(jac_chunk)
            .zip(values.chunks_mut(value_chunk))
            .enumerate()
            .for_each(|(t, (jacs, values))| execute(t, jacs, Some(values))),
        (false, None) => jacs
            .chunks_mut(jac_chunk)
            .enumerate()
            .for_each(|(t, jacs)| execute(t, jacs, None)),
        (true, Some(values)) => jacs
            .par_chunks_mut(jac_chunk)
            .zip(values.par_chunks_mut(value_chunk))
            .enumerate()
            .for_each(|(t, (jacs, values))| execute(t, jacs, Some(values))),
        (true, None) => jacs
            .par_chunks_mut(jac_chunk)
            .enumerate()
            .for_each(|(t, jacs)| execute(t, jacs, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::auto_grain;

    #[test]
    fn auto_grain_balances_and_bounds_tasks() {
        // Large batch of cheap points: about 8 tasks per thread.
        let g = auto_grain(262_144, 9, 2);
        assert_eq!(g, 262_144usize.div_ceil(16));
        // Tiny Jacobians in a small batch: tasks hold at least 4096 entries.
        let g = auto_grain(1000, 9, 16);
        assert!(g * 9 >= 4096, "grain {g}");
        // Huge Jacobians: one point per task is enough work.
        assert_eq!(auto_grain(512, 16_384, 64), 1);
        // Never more than the batch.
        assert_eq!(auto_grain(3, 1, 1), 3);
        assert_eq!(auto_grain(1, 1, 1), 1);
    }
}
