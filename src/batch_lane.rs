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
use crate::real::Value;

/// A lane vector that can hold one coordinate of several points: the value type of a
/// batch-lane dual (`f64x4`, `f64x8`, `f32x8`, `f32x16`).
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
pub struct LaneBlockWorkspace<P, const K: usize> {
    x: Vec<Dual<P, P, K>>,
    y: Vec<Dual<P, P, K>>,
}

impl<P: PointLanes, const K: usize> LaneBlockWorkspace<P, K>
where
    P::Elem: Element,
{
    /// Buffers for a function with `m` inputs and `n` outputs.
    pub fn new(m: usize, n: usize) -> Self {
        let zero = Dual::constant(P::zero());
        LaneBlockWorkspace {
            x: vec![zero; m],
            y: vec![zero; n],
        }
    }

    /// Jacobians (and values) of `count` points (1 ..= `P::WIDTH`): `xs` holds
    /// `count * m` coordinates, `jacs` receives `count * n * m` entries, `values`
    /// `count * n`. Lengths are the caller's to check. A panic of the user function is
    /// returned as an error naming the block's first point (`point: Some(0)`, relative
    /// to the block); an unwritten output names the first point that lacks it.
    pub fn jacobian_block<F: VectorFn>(
        &mut self,
        f: &F,
        xs: &[P::Elem],
        count: usize,
        jacs: &mut [P::Elem],
        values: Option<&mut [P::Elem]>,
    ) -> Result<(), Error> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.jacobian_block_uncaught(f, xs, count, jacs, values)
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
    /// panics or leaves an output unwritten, the points are rerun one at a time to name
    /// the lowest one that fails (relative to `xs`). Lengths are the caller's to check.
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
        let width = P::WIDTH;
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for start in (0..points).step_by(width) {
                let count = width.min(points - start);
                let block_values = values
                    .as_deref_mut()
                    .map(|v| &mut v[start * n..(start + count) * n]);
                let result = self.jacobian_block_uncaught(
                    f,
                    &xs[start * m..(start + count) * m],
                    count,
                    &mut jacs[start * n * m..(start + count) * n * m],
                    block_values,
                );
                if let Err(error) = result {
                    return Err((start, error));
                }
            }
            Ok(())
        }));
        let (from, error) = match run {
            Ok(Ok(())) => return Ok(()),
            Ok(Err((start, error))) => (start, error),
            Err(payload) => (
                0,
                Error::FunctionPanicked {
                    point: Some(0),
                    message: panic_message(&*payload),
                },
            ),
        };
        // A block failed: rerun its points (for a panic, every point from the start) one
        // at a time, so the error names exactly the lowest point that fails on its own.
        for k in from..points {
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

    /// [`LaneBlockWorkspace::jacobian_block`] without catching a panic of the user
    /// function: the caller catches once around many blocks, which lets `f.eval` inline
    /// into this loop.
    #[inline]
    pub(crate) fn jacobian_block_uncaught<F: VectorFn>(
        &mut self,
        f: &F,
        xs: &[P::Elem],
        count: usize,
        jacs: &mut [P::Elem],
        values: Option<&mut [P::Elem]>,
    ) -> Result<(), Error> {
        if count == P::WIDTH {
            // Full block: constant trip counts let the compiler unroll gathers and scatters.
            self.block::<F, true>(f, xs, P::WIDTH, jacs, values)
        } else {
            self.block::<F, false>(f, xs, count, jacs, values)
        }
    }

    #[inline(always)]
    fn block<F: VectorFn, const FULL: bool>(
        &mut self,
        f: &F,
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
        let last = count - 1;
        let one = P::splat(<P::Elem as crate::Float>::from_f64(1.0));
        // One vector's lanes, staged for the scatter into the points' Jacobians.
        let mut lanes = [<P::Elem as Default>::default(); 16];
        for c0 in (0..m).step_by(K) {
            for (j, xd) in self.x.iter_mut().enumerate() {
                let value = if FULL {
                    P::from_fn(|lane| xs[lane * m + j])
                } else {
                    P::from_fn(|lane| xs[lane.min(last) * m + j])
                };
                let tangents = core::array::from_fn(|d| if c0 + d == j { one } else { P::zero() });
                *xd = Dual { value, tangents };
            }
            // Only the values need the poison: an output the function writes is replaced
            // whole, and one it does not write is caught by its value.
            for yd in self.y.iter_mut() {
                yd.value = P::poison();
            }
            f.eval(&self.x, &mut self.y);
            for (i, yd) in self.y.iter().enumerate() {
                if yd.value.is_poison() {
                    let lane = (0..count)
                        .find(|&k| crate::Float::is_poison(yd.value.lane(k)))
                        .unwrap_or(0);
                    return Err(Error::OutputNotWritten {
                        output: i,
                        point: Some(lane),
                    });
                }
            }
            let width = K.min(m - c0);
            for (i, yd) in self.y.iter().enumerate() {
                for (d, t) in yd.tangents[..width].iter().enumerate() {
                    t.store(&mut lanes[..P::WIDTH]);
                    let column = i * m + c0 + d;
                    for (k, &entry) in lanes[..count].iter().enumerate() {
                        jacs[k * nm + column] = entry;
                    }
                }
            }
        }
        if let Some(values) = values {
            for (i, yd) in self.y.iter().enumerate() {
                for k in 0..count {
                    values[k * n + i] = yd.value.lane(k);
                }
            }
        }
        Ok(())
    }
}

/// A computation generic over the batch-lane workspace type, run by
/// [`dispatch_lane_block`].
pub trait LaneBlockVisitor<E: Element> {
    /// What the computation returns.
    type Output;
    /// Runs the computation with point lanes `P` and `K` directions per pass.
    fn visit<P: PointLanes<Elem = E>, const K: usize>(self) -> Self::Output
    where
        E: Element;
}

/// Runs `visitor` with K = m for m up to 8 (one pass over the directions) and K = 8
/// otherwise (passes of 8 directions), for point lanes `P`.
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
        _ => visitor.visit::<P, 8>(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::SuiteFunction;
    use crate::{LaneType, Options, jacobian_with_options};

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
