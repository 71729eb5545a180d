//! Target 2, `batch`: the batch API against the single-point path.

use super::{Finding, PLANNED_PANIC, same_bits};
use crate::batch::{BatchOptions, Mode, Stores, jacobian_batch_with_options};
use crate::error::Error;
use crate::expr::{ByteSource, Program};
use crate::function::VectorFn;
use crate::jacobian::{Element, LaneType, Options, jacobian_with_options};
use crate::lanes::Float;
use crate::real::Real;
use std::sync::OnceLock;

/// The first coordinate of the point where a [`Faulty`] function misbehaves. Not a
/// value the generator makes (its uniform values are multiples of 2^-13), and exact in
/// f32 and f64.
const MARK: f64 = 0.123_456_789_012_345_67;

/// How the user function misbehaves at the marked point.
#[derive(Clone, Copy, Debug)]
enum Fault {
    None,
    /// Panics with [`PLANNED_PANIC`].
    Panic,
    /// Leaves this output unwritten (its poison value stays).
    SkipOutput(usize),
}

/// A program that misbehaves where `x[0]` is [`MARK`].
struct Faulty<'a> {
    program: &'a Program,
    fault: Fault,
}

impl VectorFn for Faulty<'_> {
    fn inputs(&self) -> usize {
        self.program.inputs()
    }
    fn outputs(&self) -> usize {
        self.program.outputs()
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        // A mask, so that in batch-lane mode a block holding the marked point fails.
        let marked = x
            .first()
            .is_some_and(|v| crate::Mask::any(v.eq(R::from_f64(MARK))));
        match self.fault {
            Fault::Panic if marked => panic!("{}", PLANNED_PANIC),
            _ => self.program.eval(x, y),
        }
        if let (Fault::SkipOutput(i), true) = (self.fault, marked)
            && let Some(v) = y.get_mut(i)
        {
            // What eval_checked poisoned y[i] with before the call: as if never written.
            *v = R::poison();
        }
    }
}

/// Rayon pools of 1 to 4 threads, made once per process.
pub(super) fn pool(threads: usize) -> &'static rayon::ThreadPool {
    static POOLS: OnceLock<Vec<rayon::ThreadPool>> = OnceLock::new();
    let pools = POOLS.get_or_init(|| {
        (1..=4)
            .filter_map(|t| rayon::ThreadPoolBuilder::new().num_threads(t).build().ok())
            .collect()
    });
    &pools[(threads - 1).min(pools.len() - 1)]
}

/// A length that is usually right and sometimes a little off.
fn perturb(length: usize, bytes: &mut ByteSource<'_>) -> usize {
    match bytes.below(10) {
        0 => length + 1 + bytes.below(3),
        1 => length.saturating_sub(1 + bytes.below(3)),
        _ => length,
    }
}

/// Target 2: a random program, batch size (0 to 39), slice lengths (mostly right),
/// options (lane type, parallel or not, grain), thread count (1 to 4), points with
/// non-finite coordinates, and sometimes a user function that panics or leaves an
/// output unwritten at one point. The batch call must:
/// * return an error exactly when the arguments are wrong (a length, B = 0, grain 0,
///   a lane type the element type lacks), of a kind that says so;
/// * otherwise return exactly the error the single-point path gives at the lowest point
///   where it fails (`point: Some(k)`), or succeed with every Jacobian and value equal
///   bit for bit to `jacobian_with_options` at that point with the same lane type, in
///   every mode.
///
/// Any panic that escapes is a finding (the fuzz target aborts on it).
#[inline]
pub fn check_batch(data: &[u8]) -> Result<(), Finding> {
    let mut bytes = ByteSource::new(data);
    let program = bytes.program(10);
    if bytes.below(4) == 0 {
        run::<f32>(&program, &mut bytes)
    } else {
        run::<f64>(&program, &mut bytes)
    }
}

fn run<E: Element>(program: &Program, bytes: &mut ByteSource<'_>) -> Result<(), Finding> {
    let (m, n) = (program.inputs(), program.outputs());
    let points = bytes.below(40);
    let marked = bytes.below(points.max(1));
    let fault = match bytes.below(8) {
        0 => Fault::Panic,
        1 => Fault::SkipOutput(bytes.below(n)),
        _ => Fault::None,
    };
    let xs_len = perturb(points * m, bytes);
    let jacs_len = perturb(points * n * m, bytes);
    let values_len = match bytes.below(3) {
        0 => None,
        _ => Some(perturb(points * n, bytes)),
    };
    let lanes = LaneType::ALL[bytes.below(LaneType::ALL.len())];
    let mode = [Mode::Auto, Mode::TangentLanes, Mode::BatchLanes][bytes.below(3)];
    let options = BatchOptions {
        lanes,
        mode,
        parallel: bytes.below(4) != 0,
        grain: match bytes.below(4) {
            0 => None,
            1 => Some(bytes.below(2)),
            _ => Some(1 + bytes.below(8)),
        },
        stores: [Stores::Auto, Stores::Cached, Stores::Streaming][bytes.below(3)],
    };
    let threads = 1 + bytes.below(4);
    let mut xs: Vec<E> = (0..xs_len)
        .map(|_| <E as Float>::from_f64(bytes.coordinate()))
        .collect();
    if !matches!(fault, Fault::None)
        && let Some(v) = xs.get_mut(marked * m)
    {
        *v = <E as Float>::from_f64(MARK);
    }
    let f = Faulty { program, fault };

    let describe = || {
        let xs64: Vec<f64> = xs.iter().map(|v| v.to_f64()).collect();
        format!(
            "{program} with {} B = {points}, xs {xs64:?} (len {xs_len}), jacs len {jacs_len}, \
             values len {values_len:?}, {options:?}, {threads} threads, fault {fault:?} at \
             point {marked}",
            core::any::type_name::<E>()
        )
    };
    let fail = |message: String| Finding {
        check: "batch",
        case: describe(),
        message,
    };

    let mut jacs = vec![<E as Float>::from_f64(0.0); jacs_len];
    let mut values = values_len.map(|len| vec![<E as Float>::from_f64(0.0); len]);
    let result = pool(threads).install(|| {
        jacobian_batch_with_options(&f, &xs, &mut jacs, values.as_deref_mut(), &options)
    });

    let lanes_fit = match lanes {
        LaneType::Auto | LaneType::Scalar => true,
        LaneType::F64x4 | LaneType::F64x8 => E::EPSILON.to_f64() == f64::EPSILON,
        LaneType::F32x8 | LaneType::F32x16 => E::EPSILON.to_f64() != f64::EPSILON,
    };
    // The batch size is what xs holds; `points` only sized the slices.
    let points = xs_len / m;
    let arguments_valid = points > 0
        && xs_len.is_multiple_of(m)
        && jacs_len == points * n * m
        && values_len.is_none_or(|len| len == points * n)
        && options.grain != Some(0)
        && lanes_fit;
    if !arguments_valid {
        return match result {
            Err(
                Error::Length { .. }
                | Error::NotMultiple { .. }
                | Error::ZeroDimension { .. }
                | Error::UnsupportedLanes { .. }
                | Error::InvalidArgument { .. },
            ) => Ok(()),
            other => Err(fail(format!(
                "wrong arguments, yet the batch call gave {other:?}"
            ))),
        };
    }

    // The single-point path, point by point; the first point that fails alone decides
    // the error the batch call must give. Whatever the mode, a point's bits are those
    // of the point alone (the elementary functions have one implementation, which the
    // scalar path runs on one lane).
    let single = Options::with_lanes(lanes);
    let mut expected_jacs = vec![<E as Float>::from_f64(0.0); points * n * m];
    let mut expected_values = vec![<E as Float>::from_f64(0.0); points * n];
    for k in 0..points {
        let x = &xs[k * m..(k + 1) * m];
        let jac = &mut expected_jacs[k * n * m..(k + 1) * n * m];
        let value = &mut expected_values[k * n..(k + 1) * n];
        let alone = jacobian_with_options(&f, x, jac, Some(value), &single);
        if let Err(e) = alone {
            let expected = e.at_point(k);
            return match result {
                Err(got) if got == expected => Ok(()),
                got => Err(fail(format!(
                    "the single-point path fails first at point {k} with {expected:?}; \
                     the batch call gave {got:?}"
                ))),
            };
        }
    }
    if let Err(e) = result {
        return Err(fail(format!(
            "the batch call failed with {e:?}; every point succeeds alone"
        )));
    }
    let compare = |what: &str, expected: &[E], got: &[E], per_point: usize| {
        for (e, (a, b)) in expected.iter().zip(got).enumerate() {
            if !same_bits(a.to_f64(), b.to_f64()) {
                return Err(fail(format!(
                    "point {}: {what} entry {} = {:e} in the batch, {:e} alone",
                    e / per_point,
                    e % per_point,
                    b.to_f64(),
                    a.to_f64()
                )));
            }
        }
        Ok(())
    };
    compare("J", &expected_jacs, &jacs, n * m)?;
    if let Some(values) = &values {
        compare("f", &expected_values, values, n)?;
    }
    Ok(())
}
