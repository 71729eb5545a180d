//! Compressed evaluation: J S for the colour seed matrix S, decompressed into CSR, in
//! tangent-lane and batch-lane mode, run over rayon by the dense batch driver
//! ([`crate::batch::run`]) with engines that write nnz entries per point.
//!
//! S (m x p) has `S[j][c] = 1` iff `colour(j) == c`. It is never stored: seeding input j
//! with the unit tangent in direction `colour(j)` (minus the pass's first colour) is
//! row j of S. After the pass, direction c of output i holds the sum of
//! `d f_i / d x_j` over the columns j of colour c; at most one of them is in row i's
//! pattern, and the others do not reach output i at all, so the sum is that entry,
//! computed by the same operations on the same values as dense direction j: the
//! compressed entries equal the dense ones bit for bit, mode for mode.

use crate::batch::{Engine, Shape, Task};
use crate::batch_lane::{
    BlockEval, PointLanes, check_and_repoison, flush_partial_tile, flush_tile, for_each_block,
    load_block, poison_values,
};
use crate::dual::Dual;
use crate::error::{Error, panic_message};
use crate::function::{VectorFn, eval_checked};
use crate::jacobian::TangentDual;
use crate::lanes::Float;

use super::SparseJacobian;

/// Tangent-lane engine: the directions of one point carry the colours.
pub(crate) struct TangentEngine<'a, D: TangentDual> {
    sj: &'a SparseJacobian,
    x: Vec<D>,
    y: Vec<D>,
    /// One output's tangents of a pass, staged for the gather into CSR order.
    staged: Vec<<D as TangentDual>::Elem>,
}

impl<'a, D: TangentDual> TangentEngine<'a, D> {
    pub(crate) fn new(sj: &'a SparseJacobian) -> Self {
        TangentEngine {
            sj,
            x: vec![D::from_f64(0.0); sj.m],
            y: vec![D::from_f64(0.0); sj.n],
            staged: vec![<D::Elem as Float>::from_f64(0.0); D::DIRECTIONS],
        }
    }

    /// The nnz entries of one point into `out` (CSR order), f(x) into `values`.
    #[inline]
    pub(crate) fn point<F: VectorFn>(
        &mut self,
        f: &F,
        x: &[D::Elem],
        out: &mut [D::Elem],
        values: Option<&mut [D::Elem]>,
    ) -> Result<(), Error> {
        let sj = self.sj;
        let p = sj.color_count;
        for c0 in (0..p).step_by(D::DIRECTIONS) {
            for ((xd, &xv), &c) in self.x.iter_mut().zip(x).zip(&sj.colors) {
                *xd = D::unit(xv, c.wrapping_sub(c0));
            }
            eval_checked(f, &self.x, &mut self.y)?;
            let width = D::DIRECTIONS.min(p - c0);
            let staged = &mut self.staged[..width];
            for (i, yd) in self.y.iter().enumerate() {
                let (lo, hi) = (sj.row_ptr[i], sj.row_ptr[i + 1]);
                if lo == hi {
                    continue;
                }
                yd.write_tangents(staged);
                for (o, &c) in out[lo..hi].iter_mut().zip(&sj.slot[lo..hi]) {
                    let d = (c as usize).wrapping_sub(c0);
                    if d < width {
                        *o = staged[d];
                    }
                }
            }
        }
        if let Some(values) = values {
            for (v, yd) in values.iter_mut().zip(&self.y) {
                *v = yd.value();
            }
        }
        Ok(())
    }
}

impl<D: TangentDual> Engine for TangentEngine<'_, D> {
    type Elem = D::Elem;
    const ALIGN: usize = 1;
    #[inline(never)]
    fn run_task<F: VectorFn>(
        &mut self,
        f: &F,
        shape: Shape,
        task: Task<'_, D::Elem>,
    ) -> Result<usize, (usize, Error)> {
        let Shape { m, n, out, .. } = shape;
        let Task {
            first,
            xs,
            jacs,
            mut values,
        } = task;
        let count = xs.len() / m;
        for (k, (x, o)) in xs
            .chunks_exact(m)
            .zip(jacs.chunks_exact_mut(out))
            .enumerate()
        {
            let value = values.as_deref_mut().map(|v| &mut v[k * n..(k + 1) * n]);
            self.point(f, x, o, value)
                .map_err(|e| (first + k, e.at_point(first + k)))?;
        }
        Ok(count)
    }
}

/// Batch-lane engine: the lanes hold `P::WIDTH` points, `K` colours per pass.
pub(crate) struct LaneEngine<'a, P, const K: usize> {
    sj: &'a SparseJacobian,
    x: Vec<Dual<P, P, K>>,
    y: Vec<Dual<P, P, K>>,
    /// The pass (first colour) whose unit tangents `x` holds, if any.
    seeded: Option<usize>,
}

impl<'a, P: PointLanes, const K: usize> LaneEngine<'a, P, K>
where
    P::Elem: crate::jacobian::Element,
{
    pub(crate) fn new(sj: &'a SparseJacobian) -> Self {
        let zero = Dual::constant(P::zero());
        LaneEngine {
            sj,
            x: vec![zero; sj.m],
            y: vec![zero; sj.n],
            seeded: None,
        }
    }

    /// Every point of `xs` (`points * m`; `out` `points * nnz`, `values`
    /// `points * n`) in blocks of `P::WIDTH` aligned at the first point. On failure the
    /// points are rerun one at a time so the error names the lowest failing point
    /// (relative to `xs`), as the dense batch-lane driver does.
    fn points<F: VectorFn>(
        &mut self,
        f: &F,
        xs: &[P::Elem],
        out: &mut [P::Elem],
        mut values: Option<&mut [P::Elem]>,
    ) -> Result<(), (usize, Error)> {
        let (m, nnz) = (self.sj.m, self.sj.nnz());
        let points = xs.len() / m;
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.blocks_unguarded(f, xs, out, values.as_deref_mut())
        }));
        let (from, error) = match run {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(failure)) => failure,
            Err(payload) => (
                0,
                Error::FunctionPanicked {
                    point: None,
                    message: panic_message(&*payload),
                },
            ),
        };
        for k in from..points {
            let one = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.blocks_unguarded(
                    f,
                    &xs[k * m..(k + 1) * m],
                    &mut out[k * nnz..(k + 1) * nnz],
                    None,
                )
            }))
            .unwrap_or_else(|payload| {
                Err((
                    0,
                    Error::FunctionPanicked {
                        point: None,
                        message: panic_message(&*payload),
                    },
                ))
            });
            if let Err((_, error)) = one {
                return Err((k, error.at_point(k)));
            }
        }
        Err((from, error.at_point(from)))
    }

    /// The points of `xs` in blocks of `P::WIDTH` aligned at its first point, without a
    /// panic guard; on failure the failing block's first point (relative to `xs`) and
    /// its error.
    #[inline]
    fn blocks_unguarded<F: VectorFn>(
        &mut self,
        f: &F,
        xs: &[P::Elem],
        out: &mut [P::Elem],
        values: Option<&mut [P::Elem]>,
    ) -> Result<(), (usize, Error)> {
        self.blocks(&|x, y| f.eval(x, y), xs, out, values)
    }

    /// [`Self::blocks_unguarded`] with the user's function behind a reference, so that
    /// the block machinery is compiled once per engine type, not once per function (as
    /// the dense batch-lane driver does). Never inlined: the first run and the reruns
    /// share it.
    #[inline(never)]
    fn blocks(
        &mut self,
        eval: BlockEval<'_, P, K>,
        xs: &[P::Elem],
        out: &mut [P::Elem],
        values: Option<&mut [P::Elem]>,
    ) -> Result<(), (usize, Error)> {
        let (m, n, nnz) = (self.sj.m, self.sj.n, self.sj.nnz());
        // A panic may have left outputs written: every block expects poison.
        poison_values(&mut self.y);
        for_each_block::<P>(m, n, nnz, xs, out, values, |xs, count, out, values| {
            if count == P::WIDTH {
                self.block::<true>(eval, xs, P::WIDTH, out, values)
            } else {
                self.partial_block(eval, xs, count, out, values)
            }
        })
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
        out: &mut [P::Elem],
        values: Option<&mut [P::Elem]>,
    ) -> Result<(), Error> {
        self.block::<false>(eval, xs, count, out, values)
    }

    #[inline(always)]
    fn block<const FULL: bool>(
        &mut self,
        eval: BlockEval<'_, P, K>,
        xs: &[P::Elem],
        count: usize,
        out: &mut [P::Elem],
        values: Option<&mut [P::Elem]>,
    ) -> Result<(), Error> {
        let sj = self.sj;
        let count = if FULL { P::WIDTH } else { count };
        let (m, nnz, p) = (sj.m, sj.nnz(), sj.color_count);
        let xs = &xs[..count * m];
        let out = &mut out[..count * nnz];
        load_block::<P, _, FULL>(xs, &mut self.x, count, |xd, v| xd.value = v);
        let mut values = values;
        for c0 in (0..p).step_by(K) {
            self.seed(c0);
            // The outputs hold the poison pattern here (set at the start of the task
            // and after every check below), so one left unwritten is seen.
            eval(&self.x, &mut self.y);
            let last_pass = c0 + K >= p;
            check_and_repoison(
                &mut self.y,
                count,
                values.as_deref_mut().filter(|_| last_pass),
            )?;
            if p <= K {
                self.store_entries(out, count);
            } else {
                self.store_pass_entries(c0, out, count);
            }
        }
        Ok(())
    }

    /// Seeds the tangents of the pass that starts at colour `c0`: input j gets the
    /// unit tangent in direction `colour(j) - c0`, zeros if that is not in the pass.
    /// The seeds depend on the pass only, so a one-pass colouring seeds once per
    /// engine, not once per block.
    #[inline(always)]
    fn seed(&mut self, c0: usize) {
        if self.seeded == Some(c0) {
            return;
        }
        let one = P::splat(<P::Elem as Float>::from_f64(1.0));
        for (xd, &c) in self.x.iter_mut().zip(&self.sj.colors) {
            let d = c.wrapping_sub(c0);
            xd.tangents = core::array::from_fn(|t| if t == d { one } else { P::zero() });
        }
        self.seeded = Some(c0);
    }

    /// One pass held every colour: the nonzeros in CSR order, through register
    /// transposes ([`flush_tile`]).
    #[inline(always)]
    fn store_entries(&self, out: &mut [P::Elem], count: usize) {
        let sj = self.sj;
        let nnz = sj.nnz();
        let w = P::WIDTH;
        let mut tile = [P::zero(); 16];
        let tile = &mut tile[..w];
        let (mut fill, mut start) = (0, 0);
        for (i, yd) in self.y.iter().enumerate() {
            for &c in &sj.slot[sj.row_ptr[i]..sj.row_ptr[i + 1]] {
                // `% K` is the identity in a one-pass colouring; it spares the check.
                tile[fill] = yd.tangents[c as usize % K];
                fill += 1;
                if fill == w {
                    flush_tile(tile, out, nnz, start, count);
                    start += w;
                    fill = 0;
                }
            }
        }
        flush_partial_tile(&tile[..fill], out, nnz, start, count);
    }

    /// A pass of several: the entries whose colour is in this pass, lane by lane.
    #[inline(always)]
    fn store_pass_entries(&self, c0: usize, out: &mut [P::Elem], count: usize) {
        let sj = self.sj;
        let (nnz, p) = (sj.nnz(), sj.color_count);
        let width = K.min(p - c0);
        for (i, yd) in self.y.iter().enumerate() {
            for k in sj.row_ptr[i]..sj.row_ptr[i + 1] {
                let d = (sj.slot[k] as usize).wrapping_sub(c0);
                if d < width {
                    let v = yd.tangents[d];
                    for point in 0..count {
                        out[point * nnz + k] = v.lane(point);
                    }
                }
            }
        }
    }
}

impl<P: PointLanes, const K: usize> Engine for LaneEngine<'_, P, K>
where
    P::Elem: crate::jacobian::Element,
{
    type Elem = P::Elem;
    const ALIGN: usize = P::WIDTH;
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
        match self.points(f, xs, jacs, values) {
            Ok(()) => Ok(xs.len() / shape.m),
            Err((k, error)) => Err((first + k, error.at_point(first + k))),
        }
    }
}
