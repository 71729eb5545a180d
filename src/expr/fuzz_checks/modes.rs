//! Target 5, `modes`: one answer per point, whichever way it was computed.

use super::{Finding, same_bits};
use crate::batch::{
    BatchOptions, Mode, Stores, jacobian_batch_and_values, jacobian_batch_with_options,
};
use crate::error::Error;
use crate::expr::{ByteSource, Program};
use crate::function::VectorFn;
use crate::jacobian::{
    DualVisitor, Element, LaneType, Options, TangentDual, Workspace, jacobian_and_value,
    jacobian_times, jacobian_with_options, jvp,
};
use crate::lanes::Float;
use crate::sparse::SparseJacobian;

/// Target 5: a random program, a batch of 1 to 20 random points and one position in it.
/// The Jacobian and values of the point at that position, computed by the scalar oracle
/// (`LaneType::Scalar`, one point, tangent lanes), must be the same bits (NaN payloads
/// aside, see [`same_bits`]) as those of every other way to compute them:
///
/// * `jacobian_and_value` and `jacobian_with_options` with every lane type of the
///   element type;
/// * a reused [`Workspace`] (first used at another point) of every lane type;
/// * `jvp` with each unit vector, and `jacobian_times` with the identity seed;
/// * the batch entry points in tangent-lane, batch-lane and automatic mode, with every
///   lane type, sequential or in a pool of 1 to 4 threads with a random grain, the
///   point at its position in the batch;
/// * [`SparseJacobian`] at the point and over the batch, in both modes (the entries of
///   its pattern).
///
/// In f64 and in f32 (the f32 lane types among themselves). The tolerance is zero: every
/// path runs the same IEEE-754 operations on the point, and the elementary functions
/// have one implementation (the SIMD kernels, on one lane for scalar values).
#[inline]
pub fn check_modes(data: &[u8]) -> Result<(), Finding> {
    let mut bytes = ByteSource::new(data);
    // Up to 20 inputs: batch lanes run one pass for m <= 8 (K = m), one pass of
    // K = 16 for 9..=16 and two passes of 16 past that (f64x8, f32x16).
    let program = bytes.program(20);
    let m = program.inputs();
    let points = 1 + bytes.below(20);
    let position = bytes.below(points);
    let mut xs = Vec::with_capacity(points * m);
    for _ in 0..points {
        xs.extend(bytes.point(m));
    }
    let threads = 1 + bytes.below(4);
    let grain = match bytes.below(3) {
        0 => None,
        _ => Some(1 + bytes.below(9)),
    };
    let case = |xs: &[f64]| {
        format!("{program} at point {position} of xs = {xs:?}, {threads} threads, grain {grain:?}")
    };
    let fail = |message: String| Finding {
        check: "modes",
        case: case(&xs),
        message,
    };
    let sparse = SparseJacobian::new(&program)
        .map_err(|e| fail(format!("SparseJacobian::new fails: {e}")))?;
    let setup = Setup {
        program: &program,
        sparse: &sparse,
        position,
        threads,
        grain,
    };
    setup
        .run(&xs, &[LaneType::Auto, LaneType::F64x4, LaneType::F64x8])
        .map_err(&fail)?;
    let xs32: Vec<f32> = xs.iter().map(|&v| v as f32).collect();
    setup
        .run(&xs32, &[LaneType::Auto, LaneType::F32x8, LaneType::F32x16])
        .map_err(fail)
}

struct Setup<'a> {
    program: &'a Program,
    sparse: &'a SparseJacobian,
    position: usize,
    threads: usize,
    grain: Option<usize>,
}

/// A [`Workspace`] of the dual type the lane type selects, used at `other` and then at
/// `x`.
struct Reused<'a, E> {
    program: &'a Program,
    other: &'a [E],
    x: &'a [E],
}

impl<E: Element> DualVisitor<E> for Reused<'_, E> {
    type Output = Result<(Vec<E>, Vec<E>), Error>;
    fn visit<D: TangentDual<Elem = E>>(self) -> Self::Output {
        let (m, n) = (self.program.inputs(), self.program.outputs());
        let zero = <E as Float>::from_f64(0.0);
        let (mut jac, mut values) = (vec![zero; n * m], vec![zero; n]);
        let mut workspace = Workspace::<D>::new(m, n);
        workspace.jacobian(self.program, self.other, &mut jac, Some(&mut values))?;
        workspace.jacobian(self.program, self.x, &mut jac, Some(&mut values))?;
        Ok((jac, values))
    }
}

impl Setup<'_> {
    fn run<E: Element>(&self, xs: &[E], lanes: &[LaneType]) -> Result<(), String> {
        let program = self.program;
        let (m, n) = (program.inputs(), program.outputs());
        let points = xs.len() / m;
        let at = self.position;
        let x = &xs[at * m..(at + 1) * m];
        let zero = <E as Float>::from_f64(0.0);
        let element = core::any::type_name::<E>();

        let (mut expected, mut expected_fx) = (vec![zero; n * m], vec![zero; n]);
        let oracle = Options::with_lanes(LaneType::Scalar);
        if jacobian_with_options(program, x, &mut expected, Some(&mut expected_fx), &oracle)
            .is_err()
        {
            // A program writes every output and never panics: the only error left is a
            // value that carries the poison bits by chance. Nothing to compare then.
            return Ok(());
        }
        // Entry (i, j) of a Jacobian, and the values f(x), against the oracle's.
        let same_entry = |what: &str, i: usize, j: usize, got: E| -> Result<(), String> {
            let (a, b) = (expected[i * m + j].to_f64(), got.to_f64());
            if same_bits(a, b) {
                return Ok(());
            }
            Err(format!(
                "{what} ({element}): J[{i}][{j}] = {b:e}, the scalar oracle gives {a:e}"
            ))
        };
        let same_fx = |what: &str, fx: &[E]| -> Result<(), String> {
            for (i, (a, b)) in expected_fx.iter().zip(fx).enumerate() {
                if !same_bits(a.to_f64(), b.to_f64()) {
                    return Err(format!(
                        "{what} ({element}): f[{i}] = {:e}, the scalar oracle gives {:e}",
                        b.to_f64(),
                        a.to_f64()
                    ));
                }
            }
            Ok(())
        };
        let same = |what: &str, jac: &[E], fx: &[E]| -> Result<(), String> {
            for (k, &got) in jac.iter().enumerate() {
                same_entry(what, k / m, k % m, got)?;
            }
            same_fx(what, fx)
        };
        let failed = |what: &str, e: Error| format!("{what} ({element}) fails: {e}");

        // One point, each single-point entry point.
        let (mut jac, mut fx) = (vec![zero; n * m], vec![zero; n]);
        jacobian_and_value(program, x, &mut jac, &mut fx).map_err(|e| failed("jacobian", e))?;
        same("jacobian_and_value", &jac, &fx)?;
        let other = &xs[((at + 1) % points) * m..][..m];
        for &lane in lanes {
            let what = format!("jacobian_with_options {lane}");
            let options = Options::with_lanes(lane);
            jacobian_with_options(program, x, &mut jac, Some(&mut fx), &options)
                .map_err(|e| failed(&what, e))?;
            same(&what, &jac, &fx)?;

            let what = format!("a reused Workspace {lane}");
            let reused = Reused { program, other, x };
            let (reused_jac, reused_fx) = E::dispatch(lane, m, reused)
                .and_then(|r| r)
                .map_err(|e| failed(&what, e))?;
            same(&what, &reused_jac, &reused_fx)?;

            let what = format!("jacobian_times with the identity seed, {lane}");
            let identity: Vec<E> = (0..m * m)
                .map(|k| <E as Float>::from_f64(if k / m == k % m { 1.0 } else { 0.0 }))
                .collect();
            jacobian_times(program, x, &identity, m, &mut jac, Some(&mut fx), &options)
                .map_err(|e| failed(&what, e))?;
            same(&what, &jac, &fx)?;
        }
        let mut column = vec![zero; n];
        for j in 0..m {
            let unit: Vec<E> = (0..m)
                .map(|k| <E as Float>::from_f64(if k == j { 1.0 } else { 0.0 }))
                .collect();
            jvp(program, x, &unit, &mut column, Some(&mut fx)).map_err(|e| failed("jvp", e))?;
            for (i, &v) in column.iter().enumerate() {
                jac[i * m + j] = v;
            }
        }
        same("jvp with the unit vectors", &jac, &fx)?;

        // The whole batch: the point at its position.
        let pool = super::batch::pool(self.threads);
        let (mut jacs, mut fxs) = (vec![zero; points * n * m], vec![zero; points * n]);
        let row = |jacs: &[E]| jacs[at * n * m..(at + 1) * n * m].to_vec();
        let row_fx = |fxs: &[E]| fxs[at * n..(at + 1) * n].to_vec();
        pool.install(|| jacobian_batch_and_values(program, xs, &mut jacs, &mut fxs))
            .map_err(|e| failed("jacobian_batch_and_values", e))?;
        same("jacobian_batch_and_values", &row(&jacs), &row_fx(&fxs))?;
        for mode in [Mode::TangentLanes, Mode::BatchLanes, Mode::Auto] {
            for &lane in lanes {
                for (parallel, stores) in [(false, Stores::Cached), (true, Stores::Streaming)] {
                    let options = BatchOptions {
                        lanes: lane,
                        mode,
                        parallel,
                        grain: self.grain,
                        stores,
                    };
                    let what = format!("the batch ({options:?})");
                    pool.install(|| {
                        jacobian_batch_with_options(
                            program,
                            xs,
                            &mut jacs,
                            Some(&mut fxs),
                            &options,
                        )
                    })
                    .map_err(|e| failed(&what, e))?;
                    same(&what, &row(&jacs), &row_fx(&fxs))?;
                }
            }
        }

        // The sparse path: its entries are the dense ones at the pattern.
        let sparse = self.sparse;
        let nnz = sparse.nnz();
        let mut values = vec![zero; nnz];
        let sparse_same = |what: &str, values: &[E], fx: &[E]| {
            // Outside the pattern the oracle's entries are zero (or NaN, where a zero
            // tangent met an infinite partial); the pattern's entries must match.
            for i in 0..n {
                let (start, end) = (sparse.row_ptr()[i], sparse.row_ptr()[i + 1]);
                for (k, &j) in (start..end).zip(&sparse.col_idx()[start..end]) {
                    same_entry(what, i, j, values[k])?;
                }
            }
            same_fx(what, fx)
        };
        for &lane in lanes {
            let what = format!("SparseJacobian at the point, {lane}");
            let options = Options::with_lanes(lane);
            sparse
                .jacobian_with_options(program, x, &mut values, Some(&mut fx), &options)
                .map_err(|e| failed(&what, e))?;
            sparse_same(&what, &values, &fx)?;
            for mode in [Mode::TangentLanes, Mode::BatchLanes] {
                let options = BatchOptions {
                    lanes: lane,
                    mode,
                    parallel: true,
                    grain: self.grain,
                    ..Default::default()
                };
                let what = format!("SparseJacobian over the batch ({options:?})");
                let mut all = vec![zero; points * nnz];
                pool.install(|| {
                    sparse.jacobian_batch_with_options(
                        program,
                        xs,
                        &mut all,
                        Some(&mut fxs),
                        &options,
                    )
                })
                .map_err(|e| failed(&what, e))?;
                sparse_same(
                    &what,
                    &all[at * nnz..(at + 1) * nnz],
                    &fxs[at * n..(at + 1) * n],
                )?;
                // The same entries expanded to dense matrices (streamed, or not, as
                // the dense batch above), exactly +0.0 outside the pattern.
                for stores in [Stores::Cached, Stores::Streaming] {
                    let options = BatchOptions { stores, ..options };
                    let what = format!("SparseJacobian dense over the batch ({options:?})");
                    pool.install(|| {
                        sparse.jacobian_batch_dense_with_options(
                            program,
                            xs,
                            &mut jacs,
                            Some(&mut fxs),
                            &options,
                        )
                    })
                    .map_err(|e| failed(&what, e))?;
                    let point = &jacs[at * n * m..(at + 1) * n * m];
                    for i in 0..n {
                        let (start, end) = (sparse.row_ptr()[i], sparse.row_ptr()[i + 1]);
                        let pattern = &sparse.col_idx()[start..end];
                        for (j, &v) in point[i * m..(i + 1) * m].iter().enumerate() {
                            if pattern.binary_search(&j).is_ok() {
                                same_entry(&what, i, j, v)?;
                            } else if Float::to_f64(v).to_bits() != 0 {
                                return Err(format!(
                                    "{what}: J[{i}][{j}] = {:e} outside the pattern, not +0.0",
                                    Float::to_f64(v)
                                ));
                            }
                        }
                    }
                    same_fx(&what, &fxs[at * n..(at + 1) * n])?;
                }
            }
        }
        Ok(())
    }
}
