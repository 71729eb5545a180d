//! [`VectorFn`]: a vector function f: R^m -> R^n, written once against [`Real`].
//!
//! ```
//! use batchjac::{jacobian, Real, VectorFn};
//! /// f(x) = x0 * x1, one output of two inputs.
//! struct Product;
//! impl VectorFn for Product {
//!     fn inputs(&self) -> usize { 2 }
//!     fn outputs(&self) -> usize { 1 }
//!     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[1]; }
//! }
//! let mut jac = [0.0; 2];
//! jacobian(&Product, &[3.0, 5.0], &mut jac).unwrap();
//! assert_eq!(jac, [5.0, 3.0]);
//! ```

use crate::error::{Error, check_len, check_nonzero, panic_message};
use crate::real::Real;

/// A vector function f: R^m -> R^n.
///
/// One generic `eval` serves plain evaluation (`R = f64` or `f32`), finite differences
/// and every AD mode (`R` a dual type). `eval` must write every `y[i]`; an output left
/// unwritten is reported as [`Error::OutputNotWritten`]. What `y` holds when `eval` is
/// called is unspecified: read an output only after writing it.
///
/// Mark `eval` `#[inline]`: the batch loops are compiled in your crate, and a build
/// with several codegen units (Cargo's release default) may otherwise put your
/// function in another unit, where it cannot be inlined. A small function (at most 8
/// inputs and 8 outputs) in batch-lane mode then runs with its duals in registers
/// (robertson, 3 x 3: about twice the Jacobians per second).
///
/// ```
/// use batchjac::{Real, VectorFn};
/// struct Polar;
/// impl VectorFn for Polar {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 2 }
///     #[inline]
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
///         let (s, c) = x[1].sin_cos();
///         y[0] = x[0] * c;
///         y[1] = x[0] * s;
///     }
/// }
/// let mut y = [0.0; 2];
/// Polar.eval(&[2.0, 0.0], &mut y);
/// assert_eq!(y, [2.0, 0.0]);
/// ```
pub trait VectorFn: Sync {
    /// The input dimension m.
    ///
    /// ```
    /// use batchjac::{Real, VectorFn};
    /// /// Three inputs summed into one output.
    /// struct Sum3;
    /// impl VectorFn for Sum3 {
    ///     fn inputs(&self) -> usize { 3 }
    ///     fn outputs(&self) -> usize { 1 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] + x[1] + x[2]; }
    /// }
    /// assert_eq!(Sum3.inputs(), 3);
    /// ```
    fn inputs(&self) -> usize;
    /// The output dimension n.
    ///
    /// ```
    /// use batchjac::{Real, VectorFn};
    /// /// Three inputs summed into one output.
    /// struct Sum3;
    /// impl VectorFn for Sum3 {
    ///     fn inputs(&self) -> usize { 3 }
    ///     fn outputs(&self) -> usize { 1 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] + x[1] + x[2]; }
    /// }
    /// assert_eq!(Sum3.outputs(), 1);
    /// // A reference is a VectorFn too.
    /// assert_eq!((&Sum3).outputs(), 1);
    /// ```
    fn outputs(&self) -> usize;
    /// Writes f(x) into `y`; `x.len() == m`, `y.len() == n`.
    ///
    /// ```
    /// use batchjac::{Dual, Real, VectorFn};
    /// use wide::f64x4;
    /// struct Cube;
    /// impl VectorFn for Cube {
    ///     fn inputs(&self) -> usize { 1 }
    ///     fn outputs(&self) -> usize { 1 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0] * x[0]; }
    /// }
    /// // Plain evaluation with f64, and with a dual number for the derivative 3 x^2.
    /// let mut y = [0.0];
    /// Cube.eval(&[2.0], &mut y);
    /// assert_eq!(y, [8.0]);
    /// let mut yd = [Dual::<f64, f64x4, 1>::constant(0.0)];
    /// Cube.eval(&[Dual::unit(2.0, 0)], &mut yd);
    /// assert_eq!((yd[0].value, yd[0].tangent(0)), (8.0, 12.0));
    /// ```
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]);
}

impl<F: VectorFn + ?Sized> VectorFn for &F {
    fn inputs(&self) -> usize {
        (**self).inputs()
    }
    fn outputs(&self) -> usize {
        (**self).outputs()
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        (**self).eval(x, y)
    }
}

/// Checks that `f` has nonzero dimensions.
pub(crate) fn check_dimensions<F: VectorFn>(f: &F) -> Result<(usize, usize), Error> {
    let (m, n) = (f.inputs(), f.outputs());
    check_nonzero("f.inputs() (m)", m)?;
    check_nonzero("f.outputs() (n)", n)?;
    Ok((m, n))
}

/// The dimensions of a batch call: `f`'s m and n and the number of points in `xs`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BatchDims {
    /// Inputs.
    pub m: usize,
    /// Outputs.
    pub n: usize,
    /// Points B.
    pub points: usize,
    /// Entries of the B Jacobians, B n m.
    pub entries: usize,
}

/// Checks a batch of `xs_len` coordinates (B x m row-major) for `f`: nonzero dimensions,
/// a whole number of points, at least one, and B n m within `usize`.
pub(crate) fn check_batch_dimensions<F: VectorFn>(
    f: &F,
    xs_len: usize,
) -> Result<BatchDims, Error> {
    let (m, n) = check_dimensions(f)?;
    if !xs_len.is_multiple_of(m) {
        return Err(Error::NotMultiple {
            what: "xs",
            given: xs_len,
            multiple_of: m,
            dimension: "m",
        });
    }
    let points = xs_len / m;
    check_nonzero("the batch size B (xs.len() / m)", points)?;
    let entries = points
        .checked_mul(n)
        .and_then(|bn| bn.checked_mul(m))
        .ok_or_else(|| Error::InvalidArgument {
            message: format!("B * n * m overflows usize (B = {points}, n = {n}, m = {m})"),
        })?;
    Ok(BatchDims {
        m,
        n,
        points,
        entries,
    })
}

/// Runs `f.eval(x, y)` with `y` poisoned first, catching a panic of the user function
/// and reporting any output it did not write. Lengths are the caller's to check.
#[inline]
pub(crate) fn eval_checked<F: VectorFn, R: Real>(f: &F, x: &[R], y: &mut [R]) -> Result<(), Error> {
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| eval_unguarded(f, x, y)));
    match run {
        Ok(result) => result,
        Err(payload) => Err(Error::FunctionPanicked {
            point: None,
            message: panic_message(&*payload),
        }),
    }
}

/// [`eval_checked`] without catching a panic: for callers that catch once around many
/// points, so that `f.eval` inlines into their loop. Only the outputs' values are
/// poisoned and scanned (see [`crate::Value::set_poison`]).
#[inline(always)]
pub(crate) fn eval_unguarded<F: VectorFn, R: Real>(
    f: &F,
    x: &[R],
    y: &mut [R],
) -> Result<(), Error> {
    for v in y.iter_mut() {
        v.set_poison();
    }
    f.eval(x, y);
    match y.iter().position(|v| v.is_poison()) {
        Some(output) => Err(Error::OutputNotWritten {
            output,
            point: None,
        }),
        None => Ok(()),
    }
}

/// Evaluates f(x) with every check of the Jacobian entry points: lengths, nonzero
/// dimensions, unwritten outputs and panics become an [`Error`].
///
/// ```
/// use batchjac::{evaluate, Real, VectorFn};
/// struct Square;
/// impl VectorFn for Square {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0]; }
/// }
/// let mut y = [0.0];
/// evaluate(&Square, &[3.0], &mut y).unwrap();
/// assert_eq!(y[0], 9.0);
/// assert!(evaluate(&Square, &[3.0, 1.0], &mut y).is_err());
/// ```
pub fn evaluate<F: VectorFn, R: Real>(f: &F, x: &[R], y: &mut [R]) -> Result<(), Error> {
    let (m, n) = check_dimensions(f)?;
    check_len("x", x.len(), m)?;
    check_len("y", y.len(), n)?;
    eval_checked(f, x, y)
}
