//! Batch Jacobians from and into [`ndarray`] arrays (feature `ndarray`).
//!
//! Points are the rows of an `ArrayView2` (B x m); the Jacobians fill an
//! `ArrayViewMut3` (B x n x m: `jacs[[k, i, j]] = d f_i / d x_j` at point k) and the
//! values an `ArrayViewMut2` (B x n). Arrays in standard (row-major, contiguous) layout
//! are read and written in place; any other layout (transposed, sliced with a step,
//! Fortran order) is copied into a contiguous buffer, and the results are copied back.
//! A shape that does not fit `f` is an [`Error::InvalidArgument`] that gives the
//! expected and the given shape.
//!
//! ```
//! use batchjac::interop::ndarray::jacobians;
//! use batchjac::{Real, VectorFn};
//! use ndarray::array;
//!
//! struct Polar;
//! impl VectorFn for Polar {
//!     fn inputs(&self) -> usize { 2 }
//!     fn outputs(&self) -> usize { 2 }
//!     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
//!         y[0] = x[0] * x[1].cos();
//!         y[1] = x[0] * x[1].sin();
//!     }
//! }
//! let points = array![[2.0, 0.0], [3.0, 0.0]]; // (r, theta) per row
//! let jacs = jacobians(&Polar, points.view()).unwrap();
//! assert_eq!(jacs.shape(), &[2, 2, 2]);
//! assert_eq!(jacs[[1, 1, 1]], 3.0); // d y / d theta = r cos theta at point 1
//! ```
//!
//! (Sparse Jacobians into ndarray will come with the sparse module.)

use crate::batch::BatchOptions;
use crate::error::Error;
use crate::function::VectorFn;
use crate::jacobian::Element;
use ::ndarray::{Array2, Array3, ArrayView1, ArrayView2, ArrayViewMut2, ArrayViewMut3, Dimension};
use std::borrow::Cow;

/// `Err` saying that `what` has shape `given`, expected `expected` (`names` spells the
/// expected shape's dimensions, e.g. `"[B, n, m]"`).
fn check_shape(what: &str, given: &[usize], expected: &[usize], names: &str) -> Result<(), Error> {
    if given == expected {
        Ok(())
    } else {
        Err(Error::InvalidArgument {
            message: format!("{what} has shape {given:?}, expected {names} = {expected:?}"),
        })
    }
}

/// The elements of `a` in logical (row-major) order: borrowed when the layout is already
/// that, copied otherwise.
fn contiguous<'a, E: Element, D: Dimension>(a: &'a ::ndarray::ArrayView<'a, E, D>) -> Cow<'a, [E]> {
    match a.as_slice() {
        Some(slice) => Cow::Borrowed(slice),
        None => Cow::Owned(a.iter().copied().collect()),
    }
}

/// Runs `fill` on a row-major buffer for `out`: `out`'s own memory when it is in standard
/// layout, a buffer copied back into `out` otherwise.
fn write_through<E: Element, D: Dimension>(
    out: &mut ::ndarray::ArrayViewMut<'_, E, D>,
    fill: impl FnOnce(&mut [E]) -> Result<(), Error>,
) -> Result<(), Error> {
    if let Some(slice) = out.as_slice_mut() {
        return fill(slice);
    }
    let mut buffer = vec![E::default(); out.len()];
    fill(&mut buffer)?;
    let shaped = ::ndarray::ArrayView::from_shape(out.raw_dim(), &buffer)
        .expect("the buffer has out's length");
    out.assign(&shaped);
    Ok(())
}

/// The Jacobian of `f` at the point `x` (length m) as an n x m array, as
/// [`crate::jacobian()`].
///
/// ```
/// use batchjac::interop::ndarray::jacobian;
/// use batchjac::{Real, VectorFn};
/// use ndarray::array;
///
/// struct Product;
/// impl VectorFn for Product {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[1]; }
/// }
/// let jac = jacobian(&Product, array![2.0, 3.0].view()).unwrap();
/// assert_eq!(jac, array![[3.0, 2.0]]);
/// ```
pub fn jacobian<F: VectorFn, E: Element>(f: &F, x: ArrayView1<'_, E>) -> Result<Array2<E>, Error> {
    let (m, n) = (f.inputs(), f.outputs());
    check_shape("x", x.shape(), &[m], "[m]")?;
    let mut jac = Array2::from_elem((n, m), E::default());
    let x = contiguous(&x);
    let slice = jac
        .as_slice_mut()
        .expect("a new array is in standard layout");
    crate::jacobian(f, &x, slice)?;
    Ok(jac)
}

/// The B Jacobians of `f` at the rows of `xs` (B x m) as a new B x n x m array, in
/// parallel, as [`crate::jacobian_batch`].
///
/// ```
/// use batchjac::interop::ndarray::jacobians;
/// use batchjac::{Real, VectorFn};
/// use ndarray::array;
///
/// struct Square;
/// impl VectorFn for Square {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0]; }
/// }
/// let jacs = jacobians(&Square, array![[1.0], [2.0], [3.0]].view()).unwrap();
/// assert_eq!(jacs.into_raw_vec_and_offset().0, vec![2.0, 4.0, 6.0]);
/// ```
pub fn jacobians<F: VectorFn, E: Element>(
    f: &F,
    xs: ArrayView2<'_, E>,
) -> Result<Array3<E>, Error> {
    let mut jacs = Array3::from_elem((xs.nrows(), f.outputs(), f.inputs()), E::default());
    jacobian_batch(f, xs, jacs.view_mut())?;
    Ok(jacs)
}

/// The B Jacobians of `f` at the rows of `xs` (B x m) into `jacs` (B x n x m), in
/// parallel, as [`crate::jacobian_batch`].
///
/// ```
/// use batchjac::interop::ndarray::jacobian_batch;
/// use batchjac::{Real, VectorFn};
/// use ndarray::{array, Array3};
///
/// struct Sum;
/// impl VectorFn for Sum {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] + x[1].powi(2); }
/// }
/// let xs = array![[1.0, 2.0], [5.0, -1.0]];
/// let mut jacs = Array3::zeros((2, 1, 2));
/// jacobian_batch(&Sum, xs.view(), jacs.view_mut()).unwrap();
/// assert_eq!(jacs, array![[[1.0, 4.0]], [[1.0, -2.0]]]);
///
/// // The wrong shape says what it should be.
/// let mut wrong = Array3::zeros((2, 2, 1));
/// let e = jacobian_batch(&Sum, xs.view(), wrong.view_mut()).unwrap_err();
/// assert_eq!(e.to_string(), "jacs has shape [2, 2, 1], expected [B, n, m] = [2, 1, 2]");
/// ```
pub fn jacobian_batch<F: VectorFn, E: Element>(
    f: &F,
    xs: ArrayView2<'_, E>,
    jacs: ArrayViewMut3<'_, E>,
) -> Result<(), Error> {
    jacobian_batch_with_options(f, xs, jacs, None, &BatchOptions::default())
}

/// The B Jacobians into `jacs` (B x n x m) and the values f(x_k) into `values` (B x n),
/// as [`crate::jacobian_batch_and_values`].
///
/// ```
/// use batchjac::interop::ndarray::jacobian_batch_and_values;
/// use batchjac::{Real, VectorFn};
/// use ndarray::{array, Array2, Array3};
///
/// struct Exp;
/// impl VectorFn for Exp {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0].exp(); }
/// }
/// let xs = array![[0.0], [1.0]];
/// let (mut jacs, mut values) = (Array3::zeros((2, 1, 1)), Array2::zeros((2, 1)));
/// jacobian_batch_and_values(&Exp, xs.view(), jacs.view_mut(), values.view_mut()).unwrap();
/// assert_eq!(jacs.into_shape_with_order((2, 1)).unwrap(), values);
/// ```
pub fn jacobian_batch_and_values<F: VectorFn, E: Element>(
    f: &F,
    xs: ArrayView2<'_, E>,
    jacs: ArrayViewMut3<'_, E>,
    values: ArrayViewMut2<'_, E>,
) -> Result<(), Error> {
    jacobian_batch_with_options(f, xs, jacs, Some(values), &BatchOptions::default())
}

/// The B Jacobians with options, and the values into `values` (B x n) if given, as
/// [`crate::jacobian_batch_with_options`]. Any layout works: here the points are the
/// columns of an m x B array, passed transposed.
///
/// ```
/// use batchjac::interop::ndarray::jacobian_batch_with_options;
/// use batchjac::{BatchOptions, Real, VectorFn};
/// use ndarray::{array, Array3};
///
/// struct Product;
/// impl VectorFn for Product {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[1]; }
/// }
/// let columns = array![[2.0, 4.0], [3.0, 5.0]]; // points (2, 3) and (4, 5)
/// let mut jacs = Array3::zeros((2, 1, 2));
/// let options = BatchOptions::sequential();
/// jacobian_batch_with_options(&Product, columns.t(), jacs.view_mut(), None, &options).unwrap();
/// assert_eq!(jacs, array![[[3.0, 2.0]], [[5.0, 4.0]]]);
/// ```
pub fn jacobian_batch_with_options<F: VectorFn, E: Element>(
    f: &F,
    xs: ArrayView2<'_, E>,
    mut jacs: ArrayViewMut3<'_, E>,
    values: Option<ArrayViewMut2<'_, E>>,
    options: &BatchOptions,
) -> Result<(), Error> {
    let (m, n, points) = (f.inputs(), f.outputs(), xs.nrows());
    check_shape("xs", xs.shape(), &[points, m], "[B, m]")?;
    check_shape("jacs", jacs.shape(), &[points, n, m], "[B, n, m]")?;
    if let Some(values) = &values {
        check_shape("values", values.shape(), &[points, n], "[B, n]")?;
    }
    let xs = contiguous(&xs);
    match values {
        None => write_through(&mut jacs, |jacs| {
            crate::jacobian_batch_with_options(f, &xs, jacs, None, options)
        }),
        Some(mut values) => write_through(&mut jacs, |jacs| {
            write_through(&mut values, |values| {
                crate::jacobian_batch_with_options(f, &xs, jacs, Some(values), options)
            })
        }),
    }
}
