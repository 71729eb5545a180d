//! Batch-lane mode: SIMD lanes hold different points, not different directions.
//!
//! In tangent-lane mode a small m leaves most tangent lanes empty and every
//! transcendental runs once per point on a scalar. Here the value of a dual is a lane
//! vector over `P::WIDTH` points and each of its `K` tangents is a lane vector too:
//! `Dual<P, P, K>`. The same user [`VectorFn`] runs unchanged (branching code must use
//! [`crate::Value::select`]); the elementary functions run in SIMD through `P`'s [`crate::Value`]
//! implementation (src/simd.rs).
//!
//! Points are grouped in blocks of `P::WIDTH` consecutive points starting at point 0, so
//! a point's block, and therefore its Jacobian, does not depend on how a batch is split
//! among threads. The last block of a batch whose size is not a multiple of the width is
//! padded with copies of its last point; only the real points are written.

use crate::dual::{Dual, Tangent};
use crate::error::{Error, panic_message};
use crate::function::VectorFn;
use crate::jacobian::Element;
use crate::lanes::Lanes;
use crate::real::{Mask, Value};

/// A lane vector that can hold one coordinate of several points: the value type of a
/// batch-lane dual (`f64x4`, `f64x8`, `f32x8`, `f32x16`).
///
/// ```
/// use batchjac::batch_lane::{LaneBlockWorkspace, PointLanes};
/// use batchjac::{Element, Real, VectorFn};
/// use wide::{f32x8, f64x4};
/// struct Square;
/// impl VectorFn for Square {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0]; }
/// }
///
/// /// d(x^2)/dx at up to one block of points, for any point-lane type.
/// fn slopes<P: PointLanes>(xs: &[P::Elem]) -> Vec<P::Elem>
/// where
///     P::Elem: Element,
/// {
///     let mut workspace = LaneBlockWorkspace::<P, 1>::new(1, 1);
///     let mut jacs = vec![P::Elem::default(); xs.len()];
///     workspace.jacobian_block(&Square, xs, xs.len(), &mut jacs, None).unwrap();
///     jacs
/// }
/// assert_eq!(slopes::<f64x4>(&[1.0, 2.0, 3.0]), [2.0, 4.0, 6.0]);
/// assert_eq!(slopes::<f32x8>(&[0.5; 8]), [1.0f32; 8]);
/// ```
pub trait PointLanes: Value + Lanes + Tangent<Self>
where
    Self::Elem: Element,
{
}

impl<P> PointLanes for P
where
    P: Value + Lanes + Tangent<P>,
    P::Elem: Element,
{
}

/// Reusable buffers for one worker in batch-lane mode: `K` directions per pass over a
/// block of `P::WIDTH` points.
///
/// ```
/// use batchjac::batch_lane::LaneBlockWorkspace;
/// use batchjac::{Real, VectorFn};
/// use wide::f64x4;
/// struct Polar;
/// impl VectorFn for Polar {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 2 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
///         y[0] = x[0] * x[1].cos();
///         y[1] = x[0] * x[1].sin();
///     }
/// }
///
/// // Three points (r, theta) in one block of four lanes; both directions in one pass.
/// let mut workspace = LaneBlockWorkspace::<f64x4, 2>::new(2, 2);
/// let xs = [2.0, 0.0, 3.0, 0.0, 4.0, 0.0];
/// let (mut jacs, mut values) = ([0.0; 12], [0.0; 6]);
/// workspace.jacobian_block(&Polar, &xs, 3, &mut jacs, Some(&mut values)).unwrap();
/// assert_eq!(values, [2.0, 0.0, 3.0, 0.0, 4.0, 0.0]);
/// assert_eq!(jacs[4..8], [1.0, 0.0, 0.0, 3.0]); // the second point's Jacobian
/// ```
pub struct LaneBlockWorkspace<P: Lanes, const K: usize> {
    x: Vec<Dual<P, P, K>>,
    y: Vec<Dual<P, P, K>>,
    /// The pass (first direction) whose unit tangents `x` holds, if any.
    seeded: Option<usize>,
    /// The batch driver's choice for the current task ([`crate::batch::Stores`]): each
    /// full block's Jacobians are computed into `staging` and streamed to their place.
    pub(crate) stream: bool,
    /// One full block's Jacobians (WIDTH x n x m) when streaming; empty until needed.
    staging: Vec<P::Elem>,
    /// WIDTH entries on their way to the transpose when one pass writes a whole
    /// Jacobian: filled by a running index, so it lives in memory anyway; here it is
    /// not zeroed again for every block (and needs no allocation: WIDTH <= 16).
    tile: [P; 16],
    /// The outputs' tangents one after the other (n x K) for [`Self::block_exact`]
    /// when K is not a multiple of WIDTH: entry e of a point's Jacobian is lane point
    /// of `flat[e]`. Empty until needed.
    flat: Vec<P>,
}

impl<P: PointLanes, const K: usize> LaneBlockWorkspace<P, K>
where
    P::Elem: Element,
{
    /// Entries of one Jacobian, n x m.
    pub(crate) fn entries(&self) -> usize {
        self.x.len() * self.y.len()
    }

    /// How many full blocks go to memory at once when streaming: in a one-pass batch
    /// (m = K, at least a tile of entries), as many as fit in [`STREAM_RUN_BYTES`]
    /// (at least one); otherwise one. The staging buffer holds that many blocks.
    pub(crate) fn streamed_blocks(&self) -> usize {
        let block = P::WIDTH * self.entries() * core::mem::size_of::<P::Elem>();
        if self.x.len() == K && self.entries() >= P::WIDTH {
            (STREAM_RUN_BYTES / block).max(1)
        } else {
            1
        }
    }

    /// The entries streamed at once: [`Self::streamed_blocks`] blocks of `WIDTH` points.
    pub(crate) fn streamed_entries(&self) -> usize {
        self.streamed_blocks() * P::WIDTH * self.entries()
    }

    /// The staging buffer, taken out of the workspace (put it back after the batch),
    /// sized for a run of [`Self::streamed_entries`] when streaming.
    fn take_staging(&mut self) -> Vec<P::Elem> {
        let mut staging = core::mem::take(&mut self.staging);
        if self.stream {
            staging.resize(self.streamed_entries(), P::Elem::default());
        }
        staging
    }

    /// Buffers for a function with `m` inputs and `n` outputs.
    ///
    /// ```
    /// use batchjac::batch_lane::LaneBlockWorkspace;
    /// use batchjac::{Real, VectorFn};
    /// use wide::f64x8;
    /// struct Polar;
    /// impl VectorFn for Polar {
    ///     fn inputs(&self) -> usize { 2 }
    ///     fn outputs(&self) -> usize { 2 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
    ///         y[0] = x[0] * x[1].cos();
    ///         y[1] = x[0] * x[1].sin();
    ///     }
    /// }
    ///
    /// // K = 1: one direction per pass, so two passes for m = 2.
    /// let mut workspace = LaneBlockWorkspace::<f64x8, 1>::new(2, 2);
    /// let mut jac = [0.0; 4];
    /// workspace.jacobian_block(&Polar, &[2.0, 0.0], 1, &mut jac, None).unwrap();
    /// assert_eq!(jac, [1.0, 0.0, 0.0, 2.0]);
    /// ```
    pub fn new(m: usize, n: usize) -> Self {
        let zero = Dual::constant(P::zero());
        LaneBlockWorkspace {
            x: vec![zero; m],
            y: vec![zero; n],
            seeded: None,
            stream: false,
            staging: Vec::new(),
            tile: [P::zero(); 16],
            flat: Vec::new(),
        }
    }

    /// Jacobians (and values) of `count` points (1 ..= `P::WIDTH`): `xs` holds
    /// `count * m` coordinates, `jacs` receives `count * n * m` entries, `values`
    /// `count * n`. Lengths are the caller's to check. A panic of the user function is
    /// returned as an error naming the block's first point (`point: Some(0)`, relative
    /// to the block); an unwritten output names the first point that lacks it.
    ///
    /// ```
    /// use batchjac::batch_lane::LaneBlockWorkspace;
    /// use batchjac::{Error, Real, VectorFn};
    /// use wide::f64x4;
    /// /// Forgets to write its second output.
    /// struct Forgetful;
    /// impl VectorFn for Forgetful {
    ///     fn inputs(&self) -> usize { 1 }
    ///     fn outputs(&self) -> usize { 2 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0]; }
    /// }
    /// let mut workspace = LaneBlockWorkspace::<f64x4, 1>::new(1, 2);
    /// let mut jacs = [0.0; 4];
    /// let err = workspace.jacobian_block(&Forgetful, &[1.0, 2.0], 2, &mut jacs, None);
    /// assert_eq!(err, Err(Error::OutputNotWritten { output: 1, point: Some(0) }));
    /// ```
    pub fn jacobian_block<F: VectorFn>(
        &mut self,
        f: &F,
        xs: &[P::Elem],
        count: usize,
        jacs: &mut [P::Elem],
        values: Option<&mut [P::Elem]>,
    ) -> Result<(), Error> {
        let (m, n) = (self.x.len(), self.y.len());
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.blocks_unguarded(f, &xs[..count * m], &mut jacs[..count * n * m], values)
                .map_err(|(_, error)| error)
        }))
        .unwrap_or_else(|payload| {
            Err(Error::FunctionPanicked {
                point: Some(0),
                message: panic_message(&*payload),
            })
        })
    }

    /// Jacobians (and values) of every point in `xs` (`points * m` coordinates; `jacs`
    /// `points * n * m`, `values` `points * n`), in blocks of `P::WIDTH` points aligned
    /// at the first point. One panic guard covers all blocks; if the user function
    /// panics or leaves an output unwritten, the first failing block's points are rerun
    /// one at a time to name the lowest one that fails on its own, or the block's first
    /// point if none does (a function whose failure depends on several points of a
    /// block); points relative to `xs`. Lengths are the caller's to check.
    ///
    /// ```
    /// use batchjac::batch_lane::LaneBlockWorkspace;
    /// use batchjac::{Real, VectorFn};
    /// use wide::f64x4;
    /// struct Square;
    /// impl VectorFn for Square {
    ///     fn inputs(&self) -> usize { 1 }
    ///     fn outputs(&self) -> usize { 1 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0]; }
    /// }
    ///
    /// let xs: Vec<f64> = (0..10).map(f64::from).collect(); // 10 points: blocks of 4, 4 and 2
    /// let (mut jacs, mut values) = (vec![0.0; 10], vec![0.0; 10]);
    /// let mut workspace = LaneBlockWorkspace::<f64x4, 1>::new(1, 1);
    /// workspace.jacobian_points(&Square, &xs, &mut jacs, Some(&mut values)).unwrap();
    /// for (k, x) in xs.iter().enumerate() {
    ///     assert_eq!((jacs[k], values[k]), (2.0 * x, x * x));
    /// }
    /// ```
    #[inline]
    pub fn jacobian_points<F: VectorFn>(
        &mut self,
        f: &F,
        xs: &[P::Elem],
        jacs: &mut [P::Elem],
        mut values: Option<&mut [P::Elem]>,
    ) -> Result<(), Error> {
        let (m, n) = (self.x.len(), self.y.len());
        let points = xs.len() / m;
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.blocks_unguarded(f, xs, jacs, values.as_deref_mut())
        }));
        let w = P::WIDTH;
        let (mut from, mut error, panicked) = match run {
            Ok(Ok(())) => return Ok(()),
            Ok(Err((start, error))) => (start, error, false),
            Err(payload) => (
                0,
                Error::FunctionPanicked {
                    point: Some(0),
                    message: panic_message(&*payload),
                },
                true,
            ),
        };
        if panicked {
            // Which block panicked is not known: rerun the blocks from the start, each
            // guarded, up to the first that fails.
            for start in (0..points).step_by(w) {
                let count = w.min(points - start);
                let result = self.jacobian_block(
                    f,
                    &xs[start * m..(start + count) * m],
                    count,
                    &mut jacs[start * n * m..(start + count) * n * m],
                    None,
                );
                if let Err(block_error) = result {
                    (from, error) = (start, block_error);
                    break;
                }
            }
        }
        // The failing block's points one at a time: the error names the lowest that fails
        // on its own. Only that block's: which block fails first does not depend on how
        // the batch is split into tasks, but a later point's own failure would.
        for k in from..(from + w).min(points) {
            let result = self.jacobian_block(
                f,
                &xs[k * m..(k + 1) * m],
                1,
                &mut jacs[k * n * m..(k + 1) * n * m],
                None,
            );
            if let Err(error) = result {
                return Err(error.at_point(k));
            }
        }
        // The failure needs several points in one block; name the block's first point.
        Err(error.at_point(from))
    }

    /// The points of `xs` in blocks of `P::WIDTH` aligned at its first point, without a
    /// panic guard; on failure the first point of the failing block (relative to `xs`)
    /// and its error (which names the point within the block).
    #[inline]
    fn blocks_unguarded<F: VectorFn>(
        &mut self,
        f: &F,
        xs: &[P::Elem],
        jacs: &mut [P::Elem],
        values: Option<&mut [P::Elem]>,
    ) -> Result<(), (usize, Error)> {
        let (m, n) = (self.x.len(), self.y.len());
        // One closure for both paths (the inlined path's partial block uses it): each
        // instance is one more copy of `eval` to compile.
        let eval = |x: &[Dual<P, P, K>], y: &mut [Dual<P, P, K>]| f.eval(x, y);
        // `Self::INLINED` first: a constant after monomorphisation, so the inlined path
        // is not even compiled for the other lane types and pass widths.
        // The function's own sizes too: the inlined path takes n from `f.outputs()`, a
        // constant once inlined (a workspace made for other sizes takes the shared path).
        if Self::INLINED
            && m == K
            && n <= INLINED_MAX_OUTPUTS
            && n * m >= P::WIDTH
            && (f.inputs(), f.outputs()) == (m, n)
        {
            return self.blocks_inlined(f, &eval, xs, jacs, values);
        }
        self.blocks(&eval, xs, jacs, values)
    }

    /// Whether small one-pass functions take [`Self::blocks_inlined`] with this lane
    /// type and pass width: K <= [`INLINED_MAX_INPUTS`], on the 512-bit lane types
    /// (f64x8, f32x16: the ones [`crate::LaneType::Auto`] picks for batch lanes), so
    /// that each function compiles one more copy of its `eval` per pass width there
    /// and nowhere else.
    const INLINED: bool =
        K <= INLINED_MAX_INPUTS && P::WIDTH * core::mem::size_of::<P::Elem>() == 64;

    /// The blocks of a small function (m = K <= [`INLINED_MAX_INPUTS`] inputs, n <=
    /// [`INLINED_MAX_OUTPUTS`] outputs, at least `WIDTH` entries): each full block's
    /// duals are locals of this loop, compiled once per function with its `eval`
    /// inlined, the unit tangents constants. The compiler then keeps the duals in
    /// registers, where [`Self::blocks`] reads and writes them in the workspace behind
    /// a call (robertson, one thread, AVX2: 72.6 -> 31.1 instructions per point, about
    /// twice the Jacobians per second, the same bits; 21.6 with n a constant and the
    /// values not computed when not asked for). The last, partial
    /// block goes through [`Self::blocks`]' path, with `eval`: `f` behind a reference.
    #[inline(never)]
    fn blocks_inlined<F: VectorFn>(
        &mut self,
        f: &F,
        eval: BlockEval<'_, P, K>,
        xs: &[P::Elem],
        jacs: &mut [P::Elem],
        values: Option<&mut [P::Elem]>,
    ) -> Result<(), (usize, Error)> {
        // `f.outputs()` (equal to the workspace's n, see `blocks_unguarded`) rather than
        // the workspace's length: inlined, it is a constant, and so are the output
        // checks, the choice of stores and the blocks' sizes (robertson: 30.8 -> 27.4
        // instructions per point, callgrind).
        let n = f.outputs();
        let mut staging = self.take_staging();
        let staging_used = if self.stream {
            Some(&mut staging[..])
        } else {
            None
        };
        let mut flat = core::mem::take(&mut self.flat);
        flat.resize(n * K, P::zero());
        // The loop compiled twice, with and without values: without, the outputs'
        // values are dead code (the checks read a tangent) and the compiler drops them
        // (robertson, with the one-test check below: 27.4 -> 21.6 instructions per
        // point; num-dual's loop about 25).
        let result = match values {
            None => full_blocks_exact::<P, K>(xs, jacs, None, n, staging_used, |xs, out, _| {
                block_inlined::<P, F, K>(f, xs, n, out, None, &mut flat)
            }),
            Some(values) => full_blocks_exact::<P, K>(
                xs,
                jacs,
                Some(values),
                n,
                staging_used,
                |xs, out, values| block_inlined::<P, F, K>(f, xs, n, out, values, &mut flat),
            ),
        }
        .and_then(|rest| self.rest_exact(eval, rest));
        self.staging = staging;
        self.flat = flat;
        result
    }

    /// [`Self::blocks_unguarded`] with the user's function behind a reference: the
    /// loads, the transposes and the stores are compiled once per lane type and pass
    /// width, not once more for every function, and each function compiles only its
    /// `eval` (inlined into the closure) per lane type and pass width. The indirect
    /// call per block and pass costs what a direct call of a non-inlined `eval` would
    /// (callgrind, robertson: 30.5 M instructions with `eval` inlined, 30.2 M without):
    /// with the duals in the workspace, inlining alone gains nothing. Small one-pass
    /// functions take [`Self::blocks_inlined`] instead, whose duals are locals.
    #[inline(never)]
    fn blocks(
        &mut self,
        eval: BlockEval<'_, P, K>,
        xs: &[P::Elem],
        jacs: &mut [P::Elem],
        values: Option<&mut [P::Elem]>,
    ) -> Result<(), (usize, Error)> {
        let (m, n) = (self.x.len(), self.y.len());
        // A panic may have left outputs written: every block expects poison.
        poison_values(&mut self.y);
        let mut staging = self.take_staging();
        // One pass of exactly m directions over at least a tile of entries: the path
        // with every trip count known (see `block_exact`), in a loop of its own.
        let result = if m == K && n * m >= P::WIDTH {
            // `flat` only where the outputs' tangents are not whole tiles (see
            // `block_exact`).
            let mut flat = core::mem::take(&mut self.flat);
            if !K.is_multiple_of(P::WIDTH) {
                flat.resize(n * m, P::zero());
            }
            let result = self.blocks_exact(eval, xs, jacs, values, &mut staging, &mut flat);
            self.flat = flat;
            result
        } else {
            for_each_block::<P>(m, n, n * m, xs, jacs, values, |xs, count, jacs, values| {
                // Full block: constant trip counts let the compiler unroll gathers and
                // scatters.
                if count == P::WIDTH {
                    // Into the (cached) staging buffer, then streamed to its place, or
                    // straight to its place: one call, so the full-block path is
                    // compiled once.
                    let stream = self.stream;
                    let out = if stream { &mut staging[..] } else { &mut *jacs };
                    self.block::<true>(eval, xs, P::WIDTH, out, values)?;
                    if stream {
                        crate::lanes::stream_copy(jacs, &staging);
                    }
                    Ok(())
                } else {
                    self.partial_block(eval, xs, count, jacs, values)
                }
            })
        };
        self.staging = staging;
        result
    }

    /// The blocks of [`Self::blocks`] when one pass holds exactly the m directions and a
    /// Jacobian has at least `WIDTH` entries (see [`Self::block_exact`]): the full
    /// blocks in a loop over exact chunks of the inputs and outputs
    /// ([`full_blocks_exact`]), with the seeding out of it, then the last,
    /// partial block if any. Per block of robertson (m = n = 3, f64x8) the general block
    /// loop spent about 166 instructions on slicing, bounds checks and reloads
    /// (callgrind, with the lane-by-lane remainder of [`Self::block_exact`]: 81.9 -> 75.1
    /// instructions per point).
    #[inline(always)]
    fn blocks_exact(
        &mut self,
        eval: BlockEval<'_, P, K>,
        xs: &[P::Elem],
        jacs: &mut [P::Elem],
        values: Option<&mut [P::Elem]>,
        staging: &mut [P::Elem],
        flat: &mut [P],
    ) -> Result<(), (usize, Error)> {
        let n = self.y.len();
        let staging = if self.stream { Some(staging) } else { None };
        self.seed(0);
        let rest = full_blocks_exact::<P, K>(xs, jacs, values, n, staging, |xs, out, values| {
            self.block_exact(eval, xs, out, values, flat)
        })?;
        self.rest_exact(eval, rest)
    }

    /// The last, partial block of a one-pass batch (m = K) after its full blocks
    /// ([`full_blocks_exact`]), through the shared block path.
    #[inline(always)]
    fn rest_exact(
        &mut self,
        eval: BlockEval<'_, P, K>,
        rest: Option<ExactRest<'_, P::Elem>>,
    ) -> Result<(), (usize, Error)> {
        let Some(ExactRest {
            first,
            xs,
            jacs,
            values,
        }) = rest
        else {
            return Ok(());
        };
        // A panic in an earlier call may have left the workspace's outputs written: the
        // block path expects poison.
        poison_values(&mut self.y);
        self.partial_block(eval, xs, xs.len() / K, jacs, values)
            .map_err(|error| (first, error))
    }

    /// A full block when one pass holds exactly the m directions (`m == K`, so every
    /// trip count but n is a constant) and a Jacobian has at least `WIDTH` entries: the
    /// inputs loaded for m = K, one evaluation (the unit tangents seeded by the
    /// caller), one check of all outputs, and the entries transposed and stored in
    /// groups of `WIDTH`: straight from each output's tangents when K is a multiple of
    /// `WIDTH`; otherwise from the outputs' tangents copied one after the other into
    /// `flat` (the order of a point's Jacobian; [`store_flat`]). Small Jacobians
    /// (robertson: 3 x 3) spent most of a block in the general path's bookkeeping;
    /// reading each entry as
    /// `y[e / K].tangents[e % K]` cost a division and a bounds check per entry
    /// (callgrind, robertson: 116 -> 84 instructions per point with `flat`).
    #[inline(always)]
    fn block_exact(
        &mut self,
        eval: BlockEval<'_, P, K>,
        xs: &[P::Elem],
        jacs: &mut [P::Elem],
        values: Option<&mut [P::Elem]>,
        flat: &mut [P],
    ) -> Result<(), Error> {
        let w = P::WIDTH;
        let n = self.y.len();
        let nm = n * K;
        let xs = &xs[..w * K];
        let jacs = &mut jacs[..w * nm];
        load_block::<P, _, true>(xs, &mut self.x[..K], w, |xd, v| xd.value = v);
        eval(&self.x, &mut self.y);
        check_and_repoison(&mut self.y, w, values)?;
        if K.is_multiple_of(w) {
            // Every output's tangents are whole tiles: straight from the duals to the
            // transposes (trigonometric: K = 16; a copy through `flat` was a 1 KiB
            // memcpy per output).
            for (i, yd) in self.y.iter().enumerate() {
                for c in (0..K).step_by(w) {
                    let mut tile = [P::zero(); 16];
                    tile[..w].copy_from_slice(&yd.tangents[c..c + w]);
                    flush_tile(&mut tile[..w], jacs, nm, i * K + c, w);
                }
            }
            return Ok(());
        }
        // The tangents in the order of a point's Jacobian (copies of K vectors per
        // output, no index arithmetic per entry), then each tile a window of them.
        let flat = &mut flat[..nm];
        for (to, yd) in flat.chunks_exact_mut(K).zip(&self.y) {
            to.copy_from_slice(&yd.tangents);
        }
        store_flat(flat, jacs);
        Ok(())
    }

    /// The last block of a task with fewer than `WIDTH` points (at most one per task):
    /// out of line, so that the block loop inlines only the full-block path.
    #[cold]
    #[inline(never)]
    fn partial_block(
        &mut self,
        eval: BlockEval<'_, P, K>,
        xs: &[P::Elem],
        count: usize,
        jacs: &mut [P::Elem],
        values: Option<&mut [P::Elem]>,
    ) -> Result<(), Error> {
        self.block::<false>(eval, xs, count, jacs, values)
    }

    #[inline(always)]
    fn block<const FULL: bool>(
        &mut self,
        eval: BlockEval<'_, P, K>,
        xs: &[P::Elem],
        count: usize,
        jacs: &mut [P::Elem],
        values: Option<&mut [P::Elem]>,
    ) -> Result<(), Error> {
        let count = if FULL { P::WIDTH } else { count };
        let (m, n) = (self.x.len(), self.y.len());
        let nm = n * m;
        // Exact-length views: the compiler then drops the bounds checks in the loops.
        let xs = &xs[..count * m];
        let jacs = &mut jacs[..count * nm];
        load_block::<P, _, FULL>(xs, &mut self.x, count, |xd, v| xd.value = v);
        let mut values = values;
        for c0 in (0..m).step_by(K) {
            self.seed(c0);
            // The outputs hold the poison pattern here (set at the start of the task and
            // after every check below): an output the function writes is replaced
            // whole, one it does not write is caught by its value.
            eval(&self.x, &mut self.y);
            let last_pass = c0 + K >= m;
            check_and_repoison(
                &mut self.y,
                count,
                values.as_deref_mut().filter(|_| last_pass),
            )?;
            if K >= m && m % P::WIDTH != 0 {
                // One pass: every entry, in the order of a point's Jacobian.
                let w = P::WIDTH;
                let tile = &mut self.tile[..w];
                let (mut fill, mut start) = (0, 0);
                for yd in &self.y {
                    for &t in &yd.tangents[..m] {
                        tile[fill] = t;
                        fill += 1;
                        if fill == w {
                            flush_tile(tile, jacs, nm, start, count);
                            start += w;
                            fill = 0;
                        }
                    }
                }
                flush_partial_tile(&tile[..fill], jacs, nm, start, count);
            } else {
                // Each output's `width` columns of this pass (all m when one pass
                // holds them): whole tiles go straight from the dual to the transpose
                // (no fill count, so no tile in memory), the rest (fewer than WIDTH,
                // only with passes) lane by lane.
                let width = K.min(m - c0);
                let w = P::WIDTH;
                let whole = width - width % w;
                for (i, yd) in self.y.iter().enumerate() {
                    for c in (0..whole).step_by(w) {
                        let mut tile = [P::zero(); 16];
                        let tile = &mut tile[..w];
                        tile.copy_from_slice(&yd.tangents[c..c + w]);
                        flush_tile(tile, jacs, nm, i * m + c0 + c, count);
                    }
                    for (d, t) in yd.tangents[whole..width].iter().enumerate() {
                        let column = i * m + c0 + whole + d;
                        for k in 0..count {
                            jacs[k * nm + column] = t.lane(k);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Seeds the unit tangents of the pass that starts at direction `c0`. They depend
    /// on the pass only: with one pass (`K >= m`) once per workspace, not per block;
    /// between passes only the previous pass's ones are cleared and the new ones set.
    #[inline(always)]
    fn seed(&mut self, c0: usize) {
        let m = self.x.len();
        let one = P::splat(<P::Elem as crate::Float>::from_f64(1.0));
        match self.seeded {
            Some(seeded) if seeded == c0 => return,
            Some(previous) => {
                for j in previous..m.min(previous + K) {
                    self.x[j].tangents[j - previous] = P::zero();
                }
            }
            None => {
                for xd in self.x.iter_mut() {
                    xd.tangents = [P::zero(); K];
                }
            }
        }
        for j in c0..m.min(c0 + K) {
            self.x[j].tangents[j - c0] = one;
        }
        self.seeded = Some(c0);
    }
}

/// The bytes of Jacobians a one-pass batch streams at once, in whole blocks (at least
/// one; see [`LaneBlockWorkspace::streamed_blocks`]). Robertson (576-byte blocks) one
/// block at a time streamed at 1.05-1.13x the cached stores' speed, in runs of 4 or 8
/// blocks (2.3 or 4.6 KiB) at 1.25-1.45x, in runs of 16 (9.2 KiB) or 32 at 0.7-1.0x
/// (262,144 points, one thread, AVX2, a throwaway program timing the stores in turns).
pub(crate) const STREAM_RUN_BYTES: usize = 4096;

/// The most inputs for which a full block of a one-pass function (m = K) runs in a loop
/// compiled for the function, its duals in locals ([`LaneBlockWorkspace`]'s inlined
/// path); beyond it the duals are too large to stay in registers and the shared block
/// driver is as fast (trigonometric and ext_rosenbrock, m = 16, lost 30-70% that way).
pub(crate) const INLINED_MAX_INPUTS: usize = 8;

/// The most outputs for the inlined path (see [`INLINED_MAX_INPUTS`]): its outputs are
/// a local array of this many duals, of which the function writes the first n.
pub(crate) const INLINED_MAX_OUTPUTS: usize = 8;

/// One full block of the inlined path: the inputs' duals built here with constant unit
/// tangents, `f.eval` on locals, every output checked through its first tangent, which
/// starts as the poison pattern (and its values written, if asked), then the entries
/// stored by [`store_outputs`] compiled for this n. Every
/// index into the local arrays is a constant (the checks are written out for each
/// output up to [`INLINED_MAX_OUTPUTS`] with a test of `i < n`), so the compiler can
/// keep them in registers.
#[inline(always)]
fn block_inlined<P: PointLanes, F: VectorFn, const K: usize>(
    f: &F,
    xs: &[P::Elem],
    n: usize,
    jacs: &mut [P::Elem],
    values: Option<&mut [P::Elem]>,
    flat: &mut [P],
) -> Result<(), Error>
where
    P::Elem: Element,
{
    let w = P::WIDTH;
    let one = P::splat(<P::Elem as crate::Float>::from_f64(1.0));
    let mut x = [Dual::constant(P::zero()); K];
    for (j, xd) in x.iter_mut().enumerate() {
        xd.tangents[j] = one;
    }
    load_block::<P, _, true>(&xs[..w * K], &mut x, w, |xd, v| xd.value = v);
    // Outputs start as the poison dual (the pattern in the value and every tangent);
    // the checks below read the first tangent, which is stored anyway: the function
    // replaces a dual whole, and its values need not be computed when they are not
    // asked for.
    let mut y = [<Dual<P, P, K> as Value>::poison(); INLINED_MAX_OUTPUTS];
    f.eval(&x, &mut y[..n]);
    // Written out for each index (a loop with this body is not unrolled, and an index
    // that is not a constant keeps `y` in memory).
    macro_rules! each_output {
        ($body:ident; $($i:literal)*) => {$(
            if $i < n {
                $body!($i);
            }
        )*};
    }
    const _: () = assert!(INLINED_MAX_OUTPUTS == 8);
    // One test for all outputs in the usual case: the poison pattern is a NaN, and a
    // sum is a NaN if any of its terms is. Only then each output's exact test (a NaN
    // the function computed is not the poison).
    let mut probe = y[0].tangents[0];
    macro_rules! add_to_probe {
        ($i:literal) => {
            if $i > 0 {
                probe += y[$i].tangents[0];
            }
        };
    }
    each_output!(add_to_probe; 0 1 2 3 4 5 6 7);
    if (!<P as Value>::eq(probe, probe)).any() {
        macro_rules! check {
            ($i:literal) => {
                if y[$i].tangents[0].is_poison() {
                    return Err(unwritten($i, y[$i].tangents[0], w));
                }
            };
        }
        each_output!(check; 0 1 2 3 4 5 6 7);
    }
    if let Some(values) = values {
        macro_rules! write_values {
            ($i:literal) => {
                for k in 0..w {
                    values[k * n + $i] = y[$i].value.lane(k);
                }
            };
        }
        each_output!(write_values; 0 1 2 3 4 5 6 7);
    }
    // The smallest Jacobians (K <= 4 inputs, n <= 4 outputs), whose time goes to moving
    // entries: stores compiled for each n, every entry's place in `y` a constant
    // (robertson: 40 -> 30 instructions per point). The others through `flat`, whose
    // copy is small beside their `eval`; compiling the stores for every n there would
    // cost compile time for little (a third of the inlined path's).
    if SmallStores::<K>::YES && n <= 4 {
        match n {
            1 => store_outputs::<P, K, 1>(&y, jacs),
            2 => store_outputs::<P, K, 2>(&y, jacs),
            3 => store_outputs::<P, K, 3>(&y, jacs),
            _ => store_outputs::<P, K, 4>(&y, jacs),
        }
        return Ok(());
    }
    macro_rules! each_copy {
        ($($i:literal)*) => {$(
            if $i < n {
                flat[$i * K..($i + 1) * K].copy_from_slice(&y[$i].tangents);
            }
        )*};
    }
    each_copy!(0 1 2 3 4 5 6 7);
    store_flat(&flat[..n * K], jacs);
    Ok(())
}

/// Whether [`block_inlined`] compiles its stores for each n with K inputs (an
/// associated constant, so that the other branch is not compiled at all).
struct SmallStores<const K: usize>;

impl<const K: usize> SmallStores<K> {
    const YES: bool = K <= 4;
}

/// A full block's Jacobians (`WIDTH` x N x K entries into `jacs`) from the tangents of
/// its N outputs, through [`store_tiles`]. Entry e of a point's Jacobian is
/// `y[e / K].tangents[e % K]`, a constant place for constant N and K.
#[inline(always)]
fn store_outputs<P: Lanes, const K: usize, const N: usize>(
    y: &[Dual<P, P, K>; INLINED_MAX_OUTPUTS],
    jacs: &mut [P::Elem],
) {
    store_tiles::<P>(N * K, jacs, |first, tile| {
        for (r, t) in tile.iter_mut().enumerate() {
            let e = first + r;
            *t = y[e / K].tangents[e % K];
        }
    });
}

/// The error for output `i` of a block of `count` points left unwritten (`value`
/// holds the poison pattern in some lane): names the first such lane.
#[cold]
#[inline(never)]
fn unwritten<P: Lanes>(i: usize, value: P, count: usize) -> Error
where
    P::Elem: crate::Float,
{
    let lane = (0..count)
        .find(|&k| crate::Float::is_poison(value.lane(k)))
        .unwrap_or(0);
    Error::OutputNotWritten {
        output: i,
        point: Some(lane),
    }
}

/// A user function evaluated on a block's duals, behind a reference: the block drivers
/// are compiled once per lane type and pass width, not once per function.
pub(crate) type BlockEval<'a, P, const K: usize> =
    &'a dyn Fn(&[Dual<P, P, K>], &mut [Dual<P, P, K>]);

/// Sets every output value of a batch-lane block to the poison pattern ("not written").
pub(crate) fn poison_values<P: Value, const K: usize>(y: &mut [Dual<P, P, K>]) {
    for yd in y.iter_mut() {
        yd.value = P::poison();
    }
}

/// After an evaluation whose outputs held the poison pattern: checks every output of
/// the block's `count` points, writes its values (`values`, `n` per point) if given,
/// and poisons it again for the next evaluation, in one pass over the outputs (a loop
/// that exits early is not turned into scatters by the vectoriser). An unwritten
/// output is an error naming it and its first lane; all outputs are poisoned again.
#[inline(always)]
pub(crate) fn check_and_repoison<P: PointLanes, const K: usize>(
    y: &mut [Dual<P, P, K>],
    count: usize,
    mut values: Option<&mut [P::Elem]>,
) -> Result<(), Error>
where
    P::Elem: Element,
{
    let n = y.len();
    for i in 0..n {
        let value = y[i].value;
        if value.is_poison() {
            poison_values(y);
            return Err(unwritten(i, value, count));
        }
        if let Some(values) = values.as_deref_mut() {
            for k in 0..count {
                values[k * n + i] = value.lane(k);
            }
        }
        y[i].value = P::poison();
    }
    Ok(())
}

/// Loads the values of the inputs of one block: `count` points of `xs` (`count * m`,
/// point k at `xs[k * m..]`) into lane vectors, lane k = point k, points past `count`
/// repeating the last one; `set(&mut x[j], v)` receives input j's vector. `WIDTH` inputs at a
/// time: one contiguous load per point (reading past input `m` into the next point
/// where the slice allows, zeros where it ends; those lanes are dropped) and one register
/// transpose, instead of `WIDTH` strided element loads per input.
#[inline(always)]
pub(crate) fn load_block<P: Lanes, D, const FULL: bool>(
    xs: &[P::Elem],
    x: &mut [D],
    count: usize,
    set: impl Fn(&mut D, P),
) {
    let m = x.len();
    let w = P::WIDTH;
    let last = count - 1;
    let point = |lane: usize| if FULL { lane } else { lane.min(last) };
    let mut tile = [P::zero(); 16];
    let tile = &mut tile[..w];
    let whole = m / w * w;
    for j0 in (0..whole).step_by(w) {
        for (lane, v) in tile.iter_mut().enumerate() {
            let from = &xs[point(lane) * m + j0..][..w];
            *v = P::from_fn(|i| from[i]);
        }
        P::transpose(tile);
        for (xd, &v) in x[j0..j0 + w].iter_mut().zip(tile.iter()) {
            set(xd, v);
        }
    }
    if FULL && m < w {
        // Fewer inputs than lanes: each input's vector straight from its strided
        // elements (m loads per point, no transpose of mostly unused rows).
        for (j, xd) in x.iter_mut().enumerate() {
            set(xd, P::from_fn(|lane| xs[lane * m + j]));
        }
        return;
    }
    if whole < m {
        // The last m % WIDTH inputs: a full-width load per point where the slice has
        // room (the extra lanes hold the next point's inputs and are dropped).
        for (lane, v) in tile.iter_mut().enumerate() {
            let from = &xs[point(lane) * m + whole..];
            *v = match from.get(..w) {
                Some(from) => P::from_fn(|i| from[i]),
                None => P::from_fn(|i| from.get(i).copied().unwrap_or_default()),
            };
        }
        P::transpose(tile);
        for (xd, &v) in x[whole..].iter_mut().zip(tile.iter()) {
            set(xd, v);
        }
    }
}

/// Writes `WIDTH` consecutive Jacobian entries of a block (`tile`, one lane vector per
/// entry, lane k = point k) to `count` points whose outputs start `stride` apart in
/// `out`, at offset `start` of each: one register transpose, then one contiguous store
/// per point. The caller keeps the fill count in a local, so the tile stays in
/// registers.
#[inline(always)]
pub(crate) fn flush_tile<P: Lanes>(
    tile: &mut [P],
    out: &mut [P::Elem],
    stride: usize,
    start: usize,
    count: usize,
) {
    let w = P::WIDTH;
    P::transpose(tile);
    // Row by row, each store's bounds checked against its point's row, whose length is
    // `stride` for every row (one check the compiler hoists; with `chunks_mut` the last
    // row may be shorter, and robertson paid a compare and a branch per row).
    for (v, row) in tile[..count].iter().zip(out.chunks_exact_mut(stride)) {
        v.store(&mut row[start..start + w]);
    }
}

/// The last `tile.len() < WIDTH` entries of a block's Jacobians, lane by lane (see
/// [`flush_tile`]).
#[inline(always)]
pub(crate) fn flush_partial_tile<P: Lanes>(
    tile: &[P],
    out: &mut [P::Elem],
    stride: usize,
    start: usize,
    count: usize,
) {
    for (r, v) in tile.iter().enumerate() {
        for point in 0..count {
            out[point * stride + start + r] = v.lane(point);
        }
    }
}

/// What [`full_blocks_exact`] leaves: the points past the last full block (fewer
/// than `WIDTH`), starting at point `first` of the batch.
struct ExactRest<'a, E> {
    first: usize,
    xs: &'a [E],
    jacs: &'a mut [E],
    values: Option<&'a mut [E]>,
}

/// The full blocks of a one-pass batch (m = K inputs, `n` outputs) in a loop over
/// exact chunks of the inputs and outputs: `block(xs, out, values)` computes one
/// block's Jacobians into `out`, their place in `jacs` or, when streaming (`staging`
/// given), the staging buffer, from which each run of as many blocks as it holds
/// ([`LaneBlockWorkspace::streamed_blocks`]) is then streamed to its place. On
/// failure, the failing block's first point and the error; otherwise the points left
/// over, if any.
///
/// The blocks run in one loop over all of them, or when streaming a run at a time
/// with the copy after each: either way the same inner loop, which knows nothing of
/// the staging buffer (robertson: 21.6 -> 19.9 instructions per point, callgrind).
#[inline(always)]
fn full_blocks_exact<'a, P: Lanes, const K: usize>(
    xs: &'a [P::Elem],
    jacs: &'a mut [P::Elem],
    mut values: Option<&'a mut [P::Elem]>,
    n: usize,
    mut staging: Option<&mut [P::Elem]>,
    mut block: impl FnMut(&[P::Elem], &mut [P::Elem], Option<&mut [P::Elem]>) -> Result<(), Error>,
) -> Result<Option<ExactRest<'a, P::Elem>>, (usize, Error)> {
    let w = P::WIDTH;
    let nm = n * K;
    let points = xs.len() / K;
    let full = points - points % w;
    let (jacs, rest_jacs) = jacs[..points * nm].split_at_mut(full * nm);
    let blocks = full / w;
    let per_run = match staging.as_deref() {
        Some(staging) => (staging.len() / (w * nm)).max(1),
        None => blocks.max(1),
    };
    let mut first = 0;
    while first < blocks {
        let count = per_run.min(blocks - first);
        let (from, to) = (first * w, (first + count) * w);
        let here = &mut jacs[from * nm..to * nm];
        let out = match staging.as_deref_mut() {
            Some(staging) => &mut staging[..count * w * nm],
            None => &mut *here,
        };
        let mut run_values = values.as_deref_mut().map(|v| &mut v[from * n..to * n]);
        let run = xs[from * K..to * K]
            .chunks_exact(w * K)
            .zip(out.chunks_exact_mut(w * nm));
        for (b, (xs, out)) in run.enumerate() {
            let values = run_values
                .as_deref_mut()
                .map(|v| &mut v[b * w * n..(b + 1) * w * n]);
            block(xs, out, values).map_err(|error| ((first + b) * w, error))?;
        }
        if let Some(staging) = staging.as_deref() {
            crate::lanes::stream_copy(here, &staging[..count * w * nm]);
        }
        first += count;
    }
    Ok((full < points).then(|| ExactRest {
        first: full,
        xs: &xs[full * K..points * K],
        jacs: rest_jacs,
        values: values.map(|v| &mut v[full * n..points * n]),
    }))
}

/// A full block's Jacobians from its tangents in the order of a point's Jacobian
/// (`flat`: nm >= `WIDTH` lane vectors, entry e of point k is lane k of `flat[e]`) into
/// `jacs` (`WIDTH` x nm), through [`store_tiles`].
#[inline(always)]
fn store_flat<P: Lanes>(flat: &[P], jacs: &mut [P::Elem]) {
    store_tiles::<P>(flat.len(), jacs, |first, tile| {
        tile.copy_from_slice(&flat[first..first + tile.len()]);
    });
}

/// A full block's Jacobians (`WIDTH` x nm entries, nm >= `WIDTH`) into `jacs`, where
/// `fill(e, tile)` gives entries e, e + 1, ... of a point's Jacobian as lane vectors
/// (lane k: point k): in groups of `WIDTH` through register transposes. The last
/// `nm % WIDTH` entries, if any, go lane by lane when they are at most a quarter of a
/// tile (robertson's ninth entry: about 18 instructions instead of a second transpose's
/// 79 on AVX2), otherwise as a last group overlapping the one before it (its entries
/// are stored twice, with the same bits).
#[inline(always)]
fn store_tiles<P: Lanes>(nm: usize, jacs: &mut [P::Elem], fill: impl Fn(usize, &mut [P])) {
    let w = P::WIDTH;
    let rest = nm % w;
    let whole = nm - rest;
    for first in (0..whole).step_by(w) {
        let mut tile = [P::zero(); 16];
        fill(first, &mut tile[..w]);
        flush_tile(&mut tile[..w], jacs, nm, first, w);
    }
    match rest {
        0 => {}
        rest if 4 * rest <= w => {
            for e in whole..nm {
                let mut v = [P::zero()];
                fill(e, &mut v);
                let mut lanes = [P::Elem::default(); 16];
                v[0].store(&mut lanes[..w]);
                for (row, &lane) in jacs.chunks_exact_mut(nm).zip(&lanes[..w]) {
                    row[e] = lane;
                }
            }
        }
        _ => {
            let first = nm - w;
            let mut tile = [P::zero(); 16];
            fill(first, &mut tile[..w]);
            flush_tile(&mut tile[..w], jacs, nm, first, w);
        }
    }
}

#[inline(always)]
pub(crate) fn for_each_block<P: Lanes>(
    m: usize,
    n: usize,
    out_len: usize,
    xs: &[P::Elem],
    out: &mut [P::Elem],
    mut values: Option<&mut [P::Elem]>,
    mut block: impl FnMut(
        &[P::Elem],
        usize,
        &mut [P::Elem],
        Option<&mut [P::Elem]>,
    ) -> Result<(), Error>,
) -> Result<(), (usize, Error)> {
    let points = xs.len() / m;
    let width = P::WIDTH;
    for start in (0..points).step_by(width) {
        let count = width.min(points - start);
        let block_values = values
            .as_deref_mut()
            .map(|v| &mut v[start * n..(start + count) * n]);
        let xs = &xs[start * m..(start + count) * m];
        let out = &mut out[start * out_len..(start + count) * out_len];
        block(xs, count, out, block_values).map_err(|error| (start, error))?;
    }
    Ok(())
}

/// A computation generic over the batch-lane workspace type, run by
/// [`dispatch_lane_block`].
///
/// ```
/// use batchjac::batch_lane::{dispatch_lane_block, LaneBlockVisitor, PointLanes};
/// use batchjac::Lanes;
/// use wide::f64x4;
/// /// Reports the lane width and the directions per pass it is run with.
/// struct Shape;
/// impl LaneBlockVisitor<f64> for Shape {
///     type Output = (usize, usize);
///     fn visit<P: PointLanes<Elem = f64>, const K: usize>(self) -> (usize, usize) {
///         (P::WIDTH, K)
///     }
/// }
/// assert_eq!(dispatch_lane_block::<f64x4, _>(3, Shape), (4, 3));
/// ```
pub trait LaneBlockVisitor<E: Element> {
    /// What the computation returns.
    type Output;
    /// Runs the computation with point lanes `P` and `K` directions per pass.
    ///
    /// ```
    /// use batchjac::batch_lane::{dispatch_lane_block, LaneBlockVisitor, PointLanes};
    /// use batchjac::Lanes;
    /// use wide::f64x8;
    /// /// Points per block times directions per pass.
    /// struct Entries;
    /// impl LaneBlockVisitor<f64> for Entries {
    ///     type Output = usize;
    ///     fn visit<P: PointLanes<Elem = f64>, const K: usize>(self) -> usize {
    ///         P::WIDTH * K
    ///     }
    /// }
    /// assert_eq!(dispatch_lane_block::<f64x8, _>(2, Entries), 16);
    /// assert_eq!(dispatch_lane_block::<f64x8, _>(20, Entries), 128); // passes of 16
    /// ```
    fn visit<P: PointLanes<Elem = E>, const K: usize>(self) -> Self::Output
    where
        E: Element;
}

/// Runs `visitor` with K = m for m up to 8 (one pass over the directions) and K = 16
/// otherwise (one pass up to 16 directions, a direction beyond m seeded with zeros and
/// not written; passes of 16 past that), for point lanes `P`. Sixteen directions per
/// pass measured faster than 8 on the suite's m = 16 and 32 (trigonometric 2.9M ->
/// 4.3M/s, mlp 0.70M -> 0.91M/s: each pass repeats the values' work) and than 32 on
/// mlp (0.39M/s: each value then carries 33 vectors, 2 KiB).
///
/// ```
/// use batchjac::batch_lane::{dispatch_lane_block, LaneBlockVisitor, PointLanes};
/// use wide::f32x16;
/// /// The directions per pass it is run with.
/// struct Directions;
/// impl LaneBlockVisitor<f32> for Directions {
///     type Output = usize;
///     fn visit<P: PointLanes<Elem = f32>, const K: usize>(self) -> usize { K }
/// }
/// assert_eq!(dispatch_lane_block::<f32x16, _>(5, Directions), 5);
/// assert_eq!(dispatch_lane_block::<f32x16, _>(20, Directions), 16); // passes of 16
/// ```
pub fn dispatch_lane_block<P, V>(m: usize, visitor: V) -> V::Output
where
    P: PointLanes,
    P::Elem: Element,
    V: LaneBlockVisitor<P::Elem>,
{
    match m {
        1 => visitor.visit::<P, 1>(),
        2 => visitor.visit::<P, 2>(),
        3 => visitor.visit::<P, 3>(),
        4 => visitor.visit::<P, 4>(),
        5 => visitor.visit::<P, 5>(),
        6 => visitor.visit::<P, 6>(),
        7 => visitor.visit::<P, 7>(),
        8 => visitor.visit::<P, 8>(),
        _ => visitor.visit::<P, 16>(),
    }
}

/// Runs `visitor` with K the power of two that covers m up to 8 (1, 2, 4 or 8; passes of
/// 8 past that), for point lanes `P`: the batch-lane dispatch of the lane types that are
/// not the default (`Scalar` and the narrow vector), which keeps the compiled drivers per
/// function to 4 instead of 8. A direction beyond m is seeded with zeros and not written;
/// it changes no bits of the others.
///
/// ```
/// use batchjac::batch_lane::{dispatch_lane_block_pow2, LaneBlockVisitor, PointLanes};
/// use wide::f64x4;
/// /// The directions per pass it is run with.
/// struct Directions;
/// impl LaneBlockVisitor<f64> for Directions {
///     type Output = usize;
///     fn visit<P: PointLanes<Elem = f64>, const K: usize>(self) -> usize { K }
/// }
/// assert_eq!(dispatch_lane_block_pow2::<f64x4, _>(2, Directions), 2);
/// assert_eq!(dispatch_lane_block_pow2::<f64x4, _>(3, Directions), 4);
/// assert_eq!(dispatch_lane_block_pow2::<f64x4, _>(5, Directions), 8);
/// assert_eq!(dispatch_lane_block_pow2::<f64x4, _>(20, Directions), 8);
/// ```
pub fn dispatch_lane_block_pow2<P, V>(m: usize, visitor: V) -> V::Output
where
    P: PointLanes,
    P::Elem: Element,
    V: LaneBlockVisitor<P::Elem>,
{
    match m {
        0 | 1 => visitor.visit::<P, 1>(),
        2 => visitor.visit::<P, 2>(),
        3 | 4 => visitor.visit::<P, 4>(),
        _ => visitor.visit::<P, 8>(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::SuiteFunction;
    use crate::{LaneType, Options, jacobian_with_options};

    /// m inputs, n outputs: products, a sine, a negation (a -0.0 tangent) and
    /// constants, so that every entry of the Jacobian is computed.
    struct Mixed {
        m: usize,
        n: usize,
        /// The output left unwritten, if any.
        skip: Option<usize>,
    }

    impl VectorFn for Mixed {
        fn inputs(&self) -> usize {
            self.m
        }
        fn outputs(&self) -> usize {
            self.n
        }
        fn eval<R: crate::Real>(&self, x: &[R], y: &mut [R]) {
            let m = self.m;
            for i in (0..self.n).filter(|&i| Some(i) != self.skip) {
                let (a, b, c) = (x[i % m], x[(i + 1) % m], x[(i + 2) % m]);
                y[i] = a * b * (i + 1) as f64 + c.sin() - (-a) * 0.5 - 1.5;
            }
        }
    }

    /// Full blocks of a small one-pass function (the inlined path) against the same
    /// points one at a time (the shared block path): the same bits, values included,
    /// for every m <= 8 and n <= 8 with at least a tile of entries, in f64 and f32.
    #[test]
    fn inlined_blocks_match_the_block_path() {
        fn check<P: PointLanes, const M: usize>(n: usize)
        where
            P::Elem: Element,
        {
            let m = M;
            let f = Mixed { m, n, skip: None };
            // Two full blocks and a partial one.
            let points = 2 * P::WIDTH + 3;
            let xs: Vec<P::Elem> = (0..points * m)
                .map(|i| crate::Float::from_f64(0.37 * i as f64 - 2.0))
                .collect();
            let mut workspace = LaneBlockWorkspace::<P, M>::new(m, n);
            let zero = P::Elem::default();
            let (mut jacs, mut values) = (vec![zero; points * n * m], vec![zero; points * n]);
            workspace
                .jacobian_points(&f, &xs, &mut jacs, Some(&mut values))
                .unwrap();
            // Through the staging buffer and the streaming copy: the same entries.
            workspace.stream = true;
            let mut streamed = vec![zero; points * n * m];
            workspace
                .jacobian_points(&f, &xs, &mut streamed, None)
                .unwrap();
            workspace.stream = false;
            let bits = |v: &[P::Elem]| {
                v.iter()
                    .map(|&e| crate::Float::to_f64(e).to_bits())
                    .collect::<Vec<_>>()
            };
            assert_eq!(bits(&jacs), bits(&streamed), "m {m} n {n} streamed");
            // Without values and without streaming: the loop compiled without values.
            let mut plain = vec![zero; points * n * m];
            workspace
                .jacobian_points(&f, &xs, &mut plain, None)
                .unwrap();
            assert_eq!(bits(&jacs), bits(&plain), "m {m} n {n} no values");
            for k in 0..points {
                let (mut jac, mut value) = (vec![zero; n * m], vec![zero; n]);
                workspace
                    .jacobian_block(&f, &xs[k * m..(k + 1) * m], 1, &mut jac, Some(&mut value))
                    .unwrap();
                let what = format!("m {m} n {n} width {} point {k}", P::WIDTH);
                assert_eq!(
                    bits(&jacs[k * n * m..(k + 1) * n * m]),
                    bits(&jac),
                    "{what}"
                );
                assert_eq!(bits(&values[k * n..(k + 1) * n]), bits(&value), "{what}");
            }
        }
        macro_rules! each_m {
            ($p:ty: $($m:literal)*) => {$(
                for n in 1..=INLINED_MAX_OUTPUTS {
                    if n * $m >= <$p as Lanes>::WIDTH {
                        check::<$p, $m>(n);
                    }
                }
            )*};
        }
        each_m!(wide::f64x8: 1 2 3 4 5 6 7 8);
        each_m!(wide::f32x16: 2 4 8);
    }

    /// An output left unwritten in a full block of the inlined path is named, with the
    /// first point that lacks it, as the shared path names it.
    #[test]
    fn inlined_blocks_name_an_unwritten_output() {
        for (m, with_values) in [(3, false), (1, false), (3, true)] {
            let f = Mixed {
                m,
                n: 8,
                skip: Some(5),
            };
            let xs = vec![0.5; 20 * m];
            let mut jacs = vec![0.0; 20 * 8 * m];
            let mut values = vec![0.0; 20 * 8];
            let values = with_values.then_some(&mut values[..]);
            let result = if m == 3 {
                LaneBlockWorkspace::<wide::f64x8, 3>::new(m, 8)
                    .jacobian_points(&f, &xs, &mut jacs, values)
            } else {
                LaneBlockWorkspace::<wide::f64x8, 1>::new(m, 8)
                    .jacobian_points(&f, &xs, &mut jacs, values)
            };
            assert_eq!(
                result,
                Err(Error::OutputNotWritten {
                    output: 5,
                    point: Some(0)
                }),
                "m {m} values {with_values}"
            );
        }
    }

    /// Streaming a one-pass batch in runs of several blocks: the same bits as the cached
    /// stores, and an output left unwritten in a block in the middle of a run is named
    /// at its point (the run's first block plus the block's place in it).
    #[test]
    fn streamed_runs_match_and_name_the_failing_point() {
        /// Leaves output 1 unwritten where a block's first point has x0 > 100.
        struct FailsPast100;
        impl VectorFn for FailsPast100 {
            fn inputs(&self) -> usize {
                3
            }
            fn outputs(&self) -> usize {
                3
            }
            fn eval<R: crate::Real>(&self, x: &[R], y: &mut [R]) {
                y[0] = x[0] * x[1];
                if x[0].primal() <= 100.0 {
                    y[1] = x[1].sin() * x[2];
                }
                y[2] = x[2] * x[2] - x[0] * 0.5;
            }
        }
        let (m, n, w) = (3, 3, 8);
        let points = 20 * w + 5;
        let mut xs: Vec<f64> = (0..points * m).map(|i| 0.01 * i as f64 - 1.0).collect();
        let mut workspace = LaneBlockWorkspace::<wide::f64x8, 3>::new(m, n);
        assert!(workspace.streamed_blocks() > 2, "runs of several blocks");
        let (mut streamed, mut cached) = (vec![0.0; points * n * m], vec![0.0; points * n * m]);
        for (stream, jacs) in [(true, &mut streamed), (false, &mut cached)] {
            workspace.stream = stream;
            workspace
                .jacobian_points(&FailsPast100, &xs, jacs, None)
                .unwrap();
        }
        let bits = |v: &[f64]| v.iter().map(|e| e.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&streamed), bits(&cached));
        // Block 9 (points 72..80), the third block of the second run of 7.
        xs[72 * m] = 1000.0;
        let mut workspace = LaneBlockWorkspace::<wide::f64x8, 3>::new(m, n);
        workspace.stream = true;
        let mut jacs = vec![0.0; points * n * m];
        assert_eq!(
            workspace.jacobian_points(&FailsPast100, &xs, &mut jacs, None),
            Err(Error::OutputNotWritten {
                output: 1,
                point: Some(72)
            })
        );
    }

    /// An output the function sets to `R::poison()` counts as not written on both
    /// block paths: the inlined loop (which checks its first tangent) and the shared
    /// driver (its value; f64x4 does not take the inlined loop).
    #[test]
    fn outputs_set_to_poison_count_as_unwritten() {
        struct PoisonsOne;
        impl VectorFn for PoisonsOne {
            fn inputs(&self) -> usize {
                3
            }
            fn outputs(&self) -> usize {
                3
            }
            fn eval<R: crate::Real>(&self, x: &[R], y: &mut [R]) {
                y[0] = x[0] * x[1];
                y[1] = R::poison();
                y[2] = x[2] * 2.0;
            }
        }
        let xs = vec![0.5; 20 * 3];
        let mut jacs = vec![0.0; 20 * 9];
        let unwritten = Err(Error::OutputNotWritten {
            output: 1,
            point: Some(0),
        });
        assert_eq!(
            LaneBlockWorkspace::<wide::f64x8, 3>::new(3, 3).jacobian_points(
                &PoisonsOne,
                &xs,
                &mut jacs,
                None
            ),
            unwritten
        );
        assert_eq!(
            LaneBlockWorkspace::<wide::f64x4, 3>::new(3, 3).jacobian_points(
                &PoisonsOne,
                &xs,
                &mut jacs,
                None
            ),
            unwritten
        );
    }

    /// The inlined path's one test for all outputs fires on any NaN: an output whose
    /// derivative is a NaN the function computed is written, not an error.
    #[test]
    fn inlined_blocks_accept_computed_nans() {
        struct NanFirst;
        impl VectorFn for NanFirst {
            fn inputs(&self) -> usize {
                3
            }
            fn outputs(&self) -> usize {
                3
            }
            fn eval<R: crate::Real>(&self, x: &[R], y: &mut [R]) {
                y[0] = x[0].sqrt(); // x[0] < 0: a NaN value and NaN derivatives
                y[1] = x[1] * x[2];
                y[2] = x[2] * 2.0;
            }
        }
        let points = 16;
        let xs: Vec<f64> = (0..points).flat_map(|k| [-1.0, k as f64, 2.0]).collect();
        let mut jacs = vec![0.0; points * 9];
        LaneBlockWorkspace::<wide::f64x8, 3>::new(3, 3)
            .jacobian_points(&NanFirst, &xs, &mut jacs, None)
            .unwrap();
        for (k, jac) in jacs.chunks_exact(9).enumerate() {
            assert!(jac[..3].iter().all(|e| e.is_nan()), "point {k}");
            assert_eq!(jac[3..], [0.0, 2.0, k as f64, 0.0, 0.0, 2.0], "point {k}");
        }
    }

    /// With one-lane "point vectors" (P = f64) the batch-lane driver must reproduce the
    /// scalar tangent-lane Jacobian: same operations on the same values.
    #[test]
    fn one_lane_blocks_match_the_scalar_oracle() {
        struct Check<'a>(&'a SuiteFunction);
        impl LaneBlockVisitor<f64> for Check<'_> {
            type Output = ();
            fn visit<P: PointLanes<Elem = f64>, const K: usize>(self) {
                let f = self.0;
                let (m, n) = (f.inputs(), f.outputs());
                let mut workspace = LaneBlockWorkspace::<P, K>::new(m, n);
                let mut x = vec![0.0; m];
                for k in 0..8 {
                    f.point(k, &mut x);
                    let (mut lane, mut scalar) = (vec![0.0; n * m], vec![0.0; n * m]);
                    let (mut v_lane, mut v_scalar) = (vec![0.0; n], vec![0.0; n]);
                    let width = P::WIDTH;
                    assert_eq!(width, 1);
                    workspace
                        .jacobian_block(f, &x, 1, &mut lane, Some(&mut v_lane))
                        .unwrap();
                    let options = Options::with_lanes(LaneType::Scalar);
                    jacobian_with_options(f, &x, &mut scalar, Some(&mut v_scalar), &options)
                        .unwrap();
                    assert_eq!(v_lane, v_scalar, "{} values at point {k}", f.name());
                    for (e, (a, b)) in lane.iter().zip(&scalar).enumerate() {
                        let scale = b.abs().max(1.0);
                        assert!(
                            (a - b).abs() <= 4.0 * f64::EPSILON * scale,
                            "{} entry {e} at point {k}: {a} vs {b}",
                            f.name()
                        );
                    }
                }
            }
        }
        for f in SuiteFunction::all() {
            dispatch_lane_block::<f64, _>(f.inputs(), Check(&f));
        }
    }
}
