//! Jacobians as [`nalgebra`] matrices (feature `nalgebra`).
//!
//! A point is a `DVector` (or an `SVector<E, M>`); the Jacobian comes back as a
//! `DMatrix` (or an `SMatrix<E, N, M>`) with `jac[(i, j)] = d f_i / d x_j`. nalgebra
//! stores matrices column by column; the conversion from the crate's row-major layout
//! is done here, so indexing by `(row, column)` is all a caller needs.
//!
//! ```
//! use batchjac::interop::nalgebra::jacobian;
//! use batchjac::{Real, VectorFn};
//! use nalgebra::{DMatrix, DVector};
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
//! let jac = jacobian(&Polar, &DVector::from_vec(vec![2.0, 0.0])).unwrap();
//! assert_eq!(jac, DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 0.0, 2.0]));
//! assert_eq!(jac[(1, 1)], 2.0); // d y / d theta
//! ```

use crate::error::Error;
use crate::function::VectorFn;
use crate::jacobian::Element;
use ::nalgebra::{DMatrix, DVector, SMatrix, SVector, Scalar};

/// The Jacobian of `f` at `x` as an n x m `DMatrix`, as [`crate::jacobian()`].
///
/// ```
/// use batchjac::interop::nalgebra::jacobian;
/// use batchjac::{Real, VectorFn};
/// use nalgebra::{DMatrix, DVector};
///
/// /// Three outputs of two inputs: the matrix is 3 x 2.
/// struct Lift;
/// impl VectorFn for Lift {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 3 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
///         y[0] = x[0];
///         y[1] = x[1];
///         y[2] = x[0] * x[1];
///     }
/// }
/// let jac = jacobian(&Lift, &DVector::from_vec(vec![2.0, 5.0])).unwrap();
/// assert_eq!(jac, DMatrix::from_row_slice(3, 2, &[1.0, 0.0, 0.0, 1.0, 5.0, 2.0]));
/// assert_eq!(jac[(2, 0)], 5.0); // d y2 / d x0
/// assert!(jacobian(&Lift, &DVector::from_vec(vec![1.0])).is_err()); // 1 value, expected 2
/// ```
pub fn jacobian<F: VectorFn, E: Element + Scalar>(
    f: &F,
    x: &DVector<E>,
) -> Result<DMatrix<E>, Error> {
    let mut jac = vec![E::default(); f.outputs() * f.inputs()];
    crate::jacobian(f, x.as_slice(), &mut jac)?;
    Ok(DMatrix::from_row_slice(f.outputs(), f.inputs(), &jac))
}

/// The Jacobian of `f` at `x` as a `DMatrix` and f(x) as a `DVector`, as
/// [`crate::jacobian_and_value`]: a Gauss-Newton step's two ingredients.
///
/// ```
/// use batchjac::interop::nalgebra::jacobian_and_value;
/// use batchjac::{Real, VectorFn};
/// use nalgebra::DVector;
///
/// /// Residuals of x^2 = 2 and x y = 1.
/// struct Residuals;
/// impl VectorFn for Residuals {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 2 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
///         y[0] = x[0] * x[0] - R::from_f64(2.0);
///         y[1] = x[0] * x[1] - R::from_f64(1.0);
///     }
/// }
/// let mut x = DVector::from_vec(vec![1.0, 1.0]);
/// for _ in 0..8 {
///     let (jac, r) = jacobian_and_value(&Residuals, &x).unwrap();
///     x -= jac.lu().solve(&r).unwrap(); // Newton
/// }
/// assert!((x[0] - 2f64.sqrt()).abs() < 1e-15 && (x[1] - 0.5f64.sqrt()).abs() < 1e-15);
/// ```
pub fn jacobian_and_value<F: VectorFn, E: Element + Scalar>(
    f: &F,
    x: &DVector<E>,
) -> Result<(DMatrix<E>, DVector<E>), Error> {
    let (m, n) = (f.inputs(), f.outputs());
    let mut jac = vec![E::default(); n * m];
    let mut values = vec![E::default(); n];
    crate::jacobian_and_value(f, x.as_slice(), &mut jac, &mut values)?;
    Ok((
        DMatrix::from_row_slice(n, m, &jac),
        DVector::from_vec(values),
    ))
}

/// The Jacobian of `f` at `x` with sizes fixed at compile time: `SVector<E, M>` in,
/// `SMatrix<E, N, M>` out. `f.inputs()` must be `M` and `f.outputs()` `N` (else an
/// [`Error::InvalidArgument`] says which).
///
/// ```
/// use batchjac::interop::nalgebra::jacobian_static;
/// use batchjac::{Real, VectorFn};
/// use nalgebra::{Matrix2x3, SMatrix, Vector3};
///
/// struct Spherical;
/// impl VectorFn for Spherical {
///     fn inputs(&self) -> usize { 3 }
///     fn outputs(&self) -> usize { 2 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
///         y[0] = x[0].hypot(x[1]).hypot(x[2]); // radius
///         y[1] = x[1].atan2(x[0]); // azimuth
///     }
/// }
/// let jac: SMatrix<f64, 2, 3> = jacobian_static(&Spherical, &Vector3::new(0.0, 3.0, 4.0)).unwrap();
/// assert!((jac - Matrix2x3::new(0.0, 0.6, 0.8, -1.0 / 3.0, 0.0, 0.0)).amax() < 1e-15);
///
/// // N = 3 rows for a function of 2 outputs is refused.
/// let e = jacobian_static::<_, f64, 3, 3>(&Spherical, &Vector3::new(0.0, 3.0, 4.0)).unwrap_err();
/// assert_eq!(e.to_string(), "f has 2 outputs, expected N = 3 (the SMatrix's rows)");
/// ```
pub fn jacobian_static<F: VectorFn, E: Element + Scalar, const M: usize, const N: usize>(
    f: &F,
    x: &SVector<E, M>,
) -> Result<SMatrix<E, N, M>, Error> {
    let (m, n) = (f.inputs(), f.outputs());
    if n != N || m != M {
        let message = if n != N {
            format!("f has {n} outputs, expected N = {N} (the SMatrix's rows)")
        } else {
            format!("f has {m} inputs, expected M = {M} (the SVector's length)")
        };
        return Err(Error::InvalidArgument { message });
    }
    let mut jac = vec![E::default(); N * M];
    crate::jacobian(f, x.as_slice(), &mut jac)?;
    Ok(SMatrix::from_row_slice(&jac))
}
