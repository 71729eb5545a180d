//! `num_traits::Float` for the tangent-lane dual types, and Jacobians of functions written
//! against `T: num_traits::Float` (feature `num-traits`).
//!
//! `Dual<f64, T, K>` and `Dual<f32, T, K>` (`T` any [`Lanes`] type of that element:
//! `f64x4`, `f64x8`, the scalar `f64`, ...) implement `Float`, `FloatConst`, `Num`
//! (`Zero`, `One`, `+ - * / %`, `from_str_radix`), `NumCast`, `ToPrimitive`,
//! `PartialEq` and `PartialOrd`. The functions with a derivative use the crate's rule
//! table ([`Real`]), so a `Float` method gives exactly what the [`Real`] method of the
//! same name gives.
//!
//! # Conventions
//! * **Comparisons** (`==`, `<`, `partial_cmp`, `max`, `min`, `is_zero`, ...) look at
//!   primal values only: two duals with equal values and different tangents are equal.
//! * **Constants**: `T::from(c)` ([`NumCast`]), `T::zero()`, `T::one()`, `T::PI()`,
//!   `T::epsilon()`, ... have zero tangents. `NumCast::from` of a dual keeps only its
//!   value, as a cast to a plain number would.
//! * **Step functions** `floor`, `ceil`, `round`, `trunc` have derivative 0, `fract` and
//!   `%` derivative 1 in the dividend (`a % b` is `a - q b` with the integer quotient
//!   `q`, so `d(a % b) = da - q db`).
//! * `powf(x, e)` with a constant exponent (all tangents of `e` zero) is [`Value::powf`]
//!   (defined for `x < 0`), otherwise [`Value::pow`].
//!
//! # Differentiating a `Float` function
//! [`Real`] does not imply `Float`, so a [`VectorFn`] cannot call a `Float`-generic
//! function. Write the function as a [`FloatFn`] instead (or let [`float_fn!`](crate::float_fn)
//! write it around an existing `fn f<T: Float>(x: &[T], y: &mut [T])`) and use the entry
//! points here, or [`AsVectorFn`] with the crate's own ones (`check_jacobian`,
//! `taylor_test`, `jacobian_with`, ...).
//!
//! ```
//! use batchjac::interop::num_traits::jacobian;
//! use num_traits::Float;
//!
//! /// Rosenbrock residuals, written for any `Float`.
//! fn rosenbrock<T: Float>(x: &[T], y: &mut [T]) {
//!     y[0] = T::from(10.0).unwrap() * (x[1] - x[0].powi(2));
//!     y[1] = T::one() - x[0];
//! }
//! batchjac::float_fn!(Rosenbrock(2 => 2) = rosenbrock);
//!
//! let mut jac = [0.0; 4];
//! jacobian(&Rosenbrock, &[-1.2, 1.0], &mut jac).unwrap();
//! assert_eq!(jac, [24.0, 10.0, -1.0, 0.0]);
//! ```

use crate::batch::{BatchOptions, Mode};
use crate::dual::Dual;
use crate::error::Error;
use crate::function::VectorFn;
use crate::jacobian::Element;
use crate::lanes::Lanes;
use crate::real::{Real, Value};
use ::num_traits::{Float, FloatConst, Num, NumCast, One, ToPrimitive, Zero};
use core::any::{Any, TypeId};
use core::cmp::Ordering;
use core::num::FpCategory;
use core::ops::{Rem, RemAssign};
use wide::{f32x8, f32x16, f64x4, f64x8};

/// What [`float_fn!`](crate::float_fn) expands to needs; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use ::num_traits::{Float, FloatConst};
}

/// A constant dual (zero tangents), built from the public fields so that it needs no
/// bound beyond [`Lanes`].
#[inline(always)]
fn constant<T: Lanes, const K: usize>(value: T::Elem) -> Dual<T::Elem, T, K> {
    Dual {
        value,
        tangents: [T::zero(); K],
    }
}

/// `num_traits` for `Dual<$e, T, K>`, `T` any lane type of element `$e`.
macro_rules! num_traits_for_dual {
    ($e:ident) => {
        /// Compares primal values only (tangents are ignored).
        impl<T: Lanes<Elem = $e>, const K: usize> PartialEq for Dual<$e, T, K> {
            #[inline(always)]
            fn eq(&self, other: &Self) -> bool {
                self.value == other.value
            }
        }

        /// Orders by primal values only (tangents are ignored).
        impl<T: Lanes<Elem = $e>, const K: usize> PartialOrd for Dual<$e, T, K> {
            #[inline(always)]
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                self.value.partial_cmp(&other.value)
            }
        }

        /// `a % b = a - q b` with `q` the integer quotient: `d(a % b) = da - q db`.
        impl<T: Lanes<Elem = $e>, const K: usize> Rem for Dual<$e, T, K> {
            type Output = Self;
            #[inline(always)]
            fn rem(self, rhs: Self) -> Self {
                let value = self.value % rhs.value;
                // a - r is an exact multiple of b; rounding the quotient removes the
                // division's rounding error (0 when b is infinite and r = a).
                let q = T::splat(((self.value - value) / rhs.value).round());
                Dual {
                    value,
                    tangents: core::array::from_fn(|k| self.tangents[k] - q * rhs.tangents[k]),
                }
            }
        }

        impl<T: Lanes<Elem = $e>, const K: usize> RemAssign for Dual<$e, T, K> {
            #[inline(always)]
            fn rem_assign(&mut self, rhs: Self) {
                *self = *self % rhs;
            }
        }

        impl<T, const K: usize> Zero for Dual<$e, T, K>
        where
            T: Lanes<Elem = $e>,
            Self: Real,
        {
            #[inline(always)]
            fn zero() -> Self {
                constant(0.0)
            }
            /// True if the primal value is zero (tangents are ignored).
            #[inline(always)]
            fn is_zero(&self) -> bool {
                self.value == 0.0
            }
        }

        impl<T, const K: usize> One for Dual<$e, T, K>
        where
            T: Lanes<Elem = $e>,
            Self: Real,
        {
            #[inline(always)]
            fn one() -> Self {
                constant(1.0)
            }
        }

        impl<T, const K: usize> Num for Dual<$e, T, K>
        where
            T: Lanes<Elem = $e>,
            Self: Real,
        {
            type FromStrRadixErr = <$e as Num>::FromStrRadixErr;
            /// A constant parsed as `$e` parses it.
            fn from_str_radix(s: &str, radix: u32) -> Result<Self, Self::FromStrRadixErr> {
                <$e as Num>::from_str_radix(s, radix).map(constant)
            }
        }

        /// Converts the primal value.
        impl<T: Lanes<Elem = $e>, const K: usize> ToPrimitive for Dual<$e, T, K> {
            #[inline(always)]
            fn to_i64(&self) -> Option<i64> {
                ToPrimitive::to_i64(&self.value)
            }
            #[inline(always)]
            fn to_u64(&self) -> Option<u64> {
                ToPrimitive::to_u64(&self.value)
            }
            #[inline(always)]
            fn to_i128(&self) -> Option<i128> {
                ToPrimitive::to_i128(&self.value)
            }
            #[inline(always)]
            fn to_u128(&self) -> Option<u128> {
                ToPrimitive::to_u128(&self.value)
            }
            #[inline(always)]
            fn to_f32(&self) -> Option<f32> {
                ToPrimitive::to_f32(&self.value)
            }
            #[inline(always)]
            fn to_f64(&self) -> Option<f64> {
                ToPrimitive::to_f64(&self.value)
            }
        }

        /// A constant (zero tangents): `T::from(2.5).unwrap()`.
        impl<T: Lanes<Elem = $e>, const K: usize> NumCast for Dual<$e, T, K> {
            #[inline(always)]
            fn from<N: ToPrimitive>(n: N) -> Option<Self> {
                <$e as NumCast>::from(n).map(constant)
            }
        }

        impl<T, const K: usize> FloatConst for Dual<$e, T, K>
        where
            T: Lanes<Elem = $e>,
            Self: Real,
        {
            float_consts!($e: E, FRAC_1_PI, FRAC_1_SQRT_2, FRAC_2_PI, FRAC_2_SQRT_PI, FRAC_PI_2,
                FRAC_PI_3, FRAC_PI_4, FRAC_PI_6, FRAC_PI_8, LN_10, LN_2, LOG10_E, LOG2_E, PI,
                SQRT_2, TAU, LOG10_2, LOG2_10);
        }

        impl<T, const K: usize> Float for Dual<$e, T, K>
        where
            T: Lanes<Elem = $e>,
            Self: Real,
        {
            float_constants! {
                nan: $e::NAN, infinity: $e::INFINITY, neg_infinity: $e::NEG_INFINITY,
                neg_zero: -0.0, min_value: $e::MIN, min_positive_value: $e::MIN_POSITIVE,
                epsilon: $e::EPSILON, max_value: $e::MAX,
            }
            value_predicates!(is_nan, is_infinite, is_finite, is_normal, is_subnormal,
                is_sign_positive, is_sign_negative);
            step_functions!(floor, ceil, round, trunc);
            real_unary!(abs, signum, recip, sqrt, cbrt, exp, exp2, exp_m1, ln, log2, log10,
                ln_1p, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh);
            real_binary!(max, min, hypot, atan2);

            #[inline(always)]
            fn classify(self) -> FpCategory {
                self.value.classify()
            }
            #[inline(always)]
            fn integer_decode(self) -> (u64, i16, i8) {
                Float::integer_decode(self.value)
            }
            /// Derivative 1.
            #[inline(always)]
            fn fract(self) -> Self {
                Dual {
                    value: self.value.fract(),
                    tangents: self.tangents,
                }
            }
            #[inline(always)]
            fn mul_add(self, a: Self, b: Self) -> Self {
                <Self as Value>::mul_add(self, a, b)
            }
            #[inline(always)]
            fn powi(self, n: i32) -> Self {
                <Self as Value>::powi(self, n)
            }
            /// [`Value::powf`] for a constant exponent (all its tangents zero), so that
            /// `x.powf(T::from(2.0).unwrap())` is defined at `x < 0`; [`Value::pow`] otherwise.
            #[inline(always)]
            fn powf(self, n: Self) -> Self {
                let constant_exponent = n
                    .tangents
                    .iter()
                    .all(|t| (0..T::WIDTH).all(|lane| t.lane(lane) == 0.0));
                if constant_exponent {
                    <Self as Value>::powf(self, n.value as f64)
                } else {
                    <Self as Value>::pow(self, n)
                }
            }
            /// `ln(self) / ln(base)`.
            #[inline(always)]
            fn log(self, base: Self) -> Self {
                <Self as Value>::ln(self) / <Self as Value>::ln(base)
            }
            #[inline(always)]
            fn to_degrees(self) -> Self {
                <Self as Value>::scale(self, 180.0 / core::f64::consts::PI)
            }
            #[inline(always)]
            fn to_radians(self) -> Self {
                <Self as Value>::scale(self, core::f64::consts::PI / 180.0)
            }
            /// `self - other` where it is positive, 0 elsewhere (as std's `abs_sub`).
            #[inline(always)]
            fn abs_sub(self, other: Self) -> Self {
                if self.value <= other.value {
                    constant(0.0)
                } else {
                    self - other
                }
            }
            #[inline(always)]
            fn sin_cos(self) -> (Self, Self) {
                <Self as Value>::sin_cos(self)
            }
        }
    };
}

macro_rules! float_consts {
    ($e:ident: $($name:ident),*) => {$(
        #[inline(always)]
        fn $name() -> Self {
            constant(<$e as FloatConst>::$name())
        }
    )*};
}

macro_rules! float_constants {
    ($($name:ident: $value:expr),* $(,)?) => {$(
        #[inline(always)]
        fn $name() -> Self {
            constant($value)
        }
    )*};
}

macro_rules! value_predicates {
    ($($name:ident),*) => {$(
        #[inline(always)]
        fn $name(self) -> bool {
            self.value.$name()
        }
    )*};
}

macro_rules! step_functions {
    ($($name:ident),*) => {$(
        /// Derivative 0.
        #[inline(always)]
        fn $name(self) -> Self {
            constant(self.value.$name())
        }
    )*};
}

macro_rules! real_unary {
    ($($name:ident),*) => {$(
        #[inline(always)]
        fn $name(self) -> Self {
            <Self as Value>::$name(self)
        }
    )*};
}

macro_rules! real_binary {
    ($($name:ident),*) => {$(
        #[inline(always)]
        fn $name(self, other: Self) -> Self {
            <Self as Value>::$name(self, other)
        }
    )*};
}

num_traits_for_dual!(f64);
num_traits_for_dual!(f32);

/// A vector function f: R^m -> R^n written against `num_traits::Float`: the counterpart
/// of [`VectorFn`] for code that already exists in that form. [`float_fn!`](crate::float_fn)
/// writes the impl around a generic function in one line.
///
/// ```
/// use batchjac::interop::num_traits::{jacobian, FloatFn};
/// use num_traits::Float;
///
/// struct Polar;
/// impl FloatFn for Polar {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 2 }
///     fn eval<T: Float>(&self, x: &[T], y: &mut [T]) {
///         let (s, c) = x[1].sin_cos();
///         y[0] = x[0] * c;
///         y[1] = x[0] * s;
///     }
/// }
/// let mut jac = [0.0; 4];
/// jacobian(&Polar, &[2.0, 0.0], &mut jac).unwrap();
/// assert_eq!(jac, [1.0, 0.0, 0.0, 2.0]);
/// ```
pub trait FloatFn: Sync {
    /// The input dimension m.
    fn inputs(&self) -> usize;
    /// The output dimension n.
    fn outputs(&self) -> usize;
    /// Writes f(x) into `y`; `x.len() == m`, `y.len() == n`. Every `y[i]` must be written.
    /// (An impl may drop the `FloatConst` bound: `fn eval<T: Float>(...)`.)
    fn eval<T: Float + FloatConst>(&self, x: &[T], y: &mut [T]);
}

impl<F: FloatFn + ?Sized> FloatFn for &F {
    fn inputs(&self) -> usize {
        (**self).inputs()
    }
    fn outputs(&self) -> usize {
        (**self).outputs()
    }
    fn eval<T: Float + FloatConst>(&self, x: &[T], y: &mut [T]) {
        (**self).eval(x, y)
    }
}

/// Writes a unit struct that implements [`FloatFn`] by calling a generic function
/// `fn f<T: num_traits::Float>(x: &[T], y: &mut [T])` (or `T: Float + FloatConst`):
/// `float_fn!(Name(m => n) = path::to::f)` (a visibility may come first:
/// `float_fn!(pub Name(m => n) = f)`).
///
/// ```
/// use batchjac::interop::num_traits::{jacobian, FloatFn};
/// use num_traits::Float;
///
/// fn softplus<T: Float>(x: &[T], y: &mut [T]) {
///     y[0] = (T::one() + x[0].exp()).ln();
/// }
/// batchjac::float_fn!(Softplus(1 => 1) = softplus);
///
/// assert_eq!((Softplus.inputs(), Softplus.outputs()), (1, 1));
/// let mut jac = [0.0];
/// jacobian(&Softplus, &[0.0], &mut jac).unwrap();
/// assert_eq!(jac[0], 0.5); // the logistic function at 0
/// ```
#[macro_export]
macro_rules! float_fn {
    ($vis:vis $name:ident($m:expr => $n:expr) = $f:path) => {
        #[doc = concat!("[`", stringify!($f), "`] as a `FloatFn` (", stringify!($m),
            " inputs, ", stringify!($n), " outputs).")]
        #[derive(Clone, Copy, Debug, Default)]
        $vis struct $name;
        impl $crate::interop::num_traits::FloatFn for $name {
            fn inputs(&self) -> usize {
                $m
            }
            fn outputs(&self) -> usize {
                $n
            }
            fn eval<
                T: $crate::interop::num_traits::__private::Float
                    + $crate::interop::num_traits::__private::FloatConst,
            >(
                &self,
                x: &[T],
                y: &mut [T],
            ) {
                $f(x, y)
            }
        }
    };
}

/// A [`FloatFn`] as a [`VectorFn`], for the crate's other entry points:
/// [`crate::check_jacobian`], [`crate::taylor_test`], [`crate::jacobian_with`],
/// [`crate::jacobian_batch_with_options`] with [`Mode::TangentLanes`], ...
///
/// It runs the function on `f64`, on [`crate::Scalar`] (plain evaluation, as the
/// verification layer does it) and on the tangent-lane duals that the entry points
/// choose (`Dual<E, L, K>` with `L` the scalar, 4/8-lane (f64) or 8/16-lane (f32) vector
/// and `K` in 1, 2, 4, 8). Any other type panics, which the entry points report as
/// [`Error::FunctionPanicked`]: in particular batch-lane mode ([`Mode::BatchLanes`], one
/// value holding several points) cannot run a `Float` function; the batch functions of
/// this module always use tangent lanes.
///
/// ```
/// use batchjac::interop::num_traits::AsVectorFn;
/// use batchjac::check_jacobian;
/// use num_traits::Float;
///
/// fn square<T: Float>(x: &[T], y: &mut [T]) { y[0] = x[0] * x[0]; }
/// batchjac::float_fn!(Square(1 => 1) = square);
///
/// // A hand-written Jacobian, checked against finite differences of the Float code.
/// let report = check_jacobian(&AsVectorFn(Square), &[3.0], &[6.0]).unwrap();
/// assert!(report.passed());
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct AsVectorFn<F>(pub F);

/// Values per slice that [`eval_as`] copies through stack buffers; longer slices go
/// through heap buffers (an allocation per evaluation).
const STACK_VALUES: usize = 32;

/// Runs `f.eval::<D>` on `x` and `y` if `R` is `D`, and says whether it did. `R` is
/// only known to be `Real`, so the values are copied, one `Any` downcast each, into
/// buffers of `D` (on the stack for up to [`STACK_VALUES`] values per slice) and the
/// outputs copied back: safe code, at the cost of a copy of m + n values per evaluation.
/// `y` is copied in too, so an output the function leaves unwritten keeps its poison.
#[inline]
fn eval_as<F, R, D>(f: &F, x: &[R], y: &mut [R]) -> bool
where
    F: FloatFn + ?Sized,
    R: Copy + 'static,
    D: Float + FloatConst + 'static,
{
    if TypeId::of::<R>() != TypeId::of::<D>() {
        return false;
    }
    let cast = |r: &R| -> D {
        *(r as &dyn Any)
            .downcast_ref::<D>()
            .expect("R is D: equal TypeIds")
    };
    let run = |xd: &mut [D], yd: &mut [D], y: &mut [R]| {
        for (d, r) in xd.iter_mut().zip(x) {
            *d = cast(r);
        }
        for (d, r) in yd.iter_mut().zip(y.iter()) {
            *d = cast(r);
        }
        f.eval::<D>(xd, yd);
        for (r, d) in y.iter_mut().zip(yd.iter()) {
            *(r as &mut dyn Any)
                .downcast_mut::<D>()
                .expect("R is D: equal TypeIds") = *d;
        }
    };
    let (m, n) = (x.len(), y.len());
    if m <= STACK_VALUES && n <= STACK_VALUES {
        let (mut xd, mut yd) = ([D::zero(); STACK_VALUES], [D::zero(); STACK_VALUES]);
        run(&mut xd[..m], &mut yd[..n], y);
    } else {
        run(&mut vec![D::zero(); m], &mut vec![D::zero(); n], y);
    }
    true
}

/// Tries each type in turn: calls `$f.eval::<type>` on the one that `$r` is.
macro_rules! eval_as_one_of {
    ($f:expr, $r:ty, $x:ident, $y:ident; $($t:ty),*) => {$(
        if eval_as::<_, $r, $t>(&$f, $x, $y) {
            return;
        }
    )*};
}

/// The duals `Dual<$e, L, K>` for each lane type `L` listed and K in 1, 2, 4, 8.
macro_rules! eval_as_dual {
    ($f:expr, $r:ty, $x:ident, $y:ident; $e:ty: $($l:ty),*) => {$(
        eval_as_one_of!($f, $r, $x, $y;
            Dual<$e, $l, 1>, Dual<$e, $l, 2>, Dual<$e, $l, 4>, Dual<$e, $l, 8>);
    )*};
}

impl<F: FloatFn> VectorFn for AsVectorFn<F> {
    fn inputs(&self) -> usize {
        self.0.inputs()
    }
    fn outputs(&self) -> usize {
        self.0.outputs()
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        // f64, and `Scalar<E>` (a dual with no tangents: plain evaluation in verify).
        eval_as_one_of!(self.0, R, x, y; f64, Dual<f64, f64, 0>, Dual<f32, f32, 0>);
        eval_as_dual!(self.0, R, x, y; f64: f64x8, f64x4, f64);
        eval_as_dual!(self.0, R, x, y; f32: f32x16, f32x8, f32);
        panic!(
            "AsVectorFn runs a num_traits::Float function on f64, f32 and the tangent-lane \
             duals Dual<f64 or f32, lanes, K> with K in 1, 2, 4, 8, not on {}; for a batch \
             use tangent lanes (Mode::TangentLanes), not batch lanes",
            core::any::type_name::<R>()
        );
    }
}

/// The Jacobian of a [`FloatFn`] at `x` into `jac` (n x m row-major), as
/// [`crate::jacobian()`].
///
/// ```
/// use batchjac::interop::num_traits::jacobian;
/// use num_traits::Float;
///
/// fn norm<T: Float>(x: &[T], y: &mut [T]) { y[0] = x[0].hypot(x[1]); }
/// batchjac::float_fn!(Norm(2 => 1) = norm);
///
/// let mut jac = [0.0; 2];
/// jacobian(&Norm, &[3.0, 4.0], &mut jac).unwrap();
/// assert!((jac[0] - 0.6).abs() < 1e-15 && (jac[1] - 0.8).abs() < 1e-15);
/// ```
pub fn jacobian<F: FloatFn, E: Element>(f: &F, x: &[E], jac: &mut [E]) -> Result<(), Error> {
    crate::jacobian(&AsVectorFn(f), x, jac)
}

/// The Jacobian of a [`FloatFn`] at `x` into `jac` and f(x) into `values`, as
/// [`crate::jacobian_and_value`].
///
/// ```
/// use batchjac::interop::num_traits::jacobian_and_value;
/// use num_traits::Float;
///
/// fn cube<T: Float>(x: &[T], y: &mut [T]) { y[0] = x[0].powi(3); }
/// batchjac::float_fn!(Cube(1 => 1) = cube);
///
/// let (mut jac, mut y) = ([0.0f32], [0.0f32]);
/// jacobian_and_value(&Cube, &[2.0f32], &mut jac, &mut y).unwrap();
/// assert_eq!((jac[0], y[0]), (12.0, 8.0));
/// ```
pub fn jacobian_and_value<F: FloatFn, E: Element>(
    f: &F,
    x: &[E],
    jac: &mut [E],
    values: &mut [E],
) -> Result<(), Error> {
    crate::jacobian_and_value(&AsVectorFn(f), x, jac, values)
}

/// The B Jacobians of a [`FloatFn`] at the points `xs` (B x m row-major) into `jacs`
/// (B x n x m), in parallel, as [`crate::jacobian_batch`] (with tangent lanes).
///
/// ```
/// use batchjac::interop::num_traits::jacobian_batch;
/// use num_traits::Float;
///
/// fn product<T: Float>(x: &[T], y: &mut [T]) { y[0] = x[0] * x[1]; }
/// batchjac::float_fn!(Product(2 => 1) = product);
///
/// let mut jacs = [0.0; 4];
/// jacobian_batch(&Product, &[2.0, 3.0, 4.0, 5.0], &mut jacs).unwrap();
/// assert_eq!(jacs, [3.0, 2.0, 5.0, 4.0]);
/// ```
pub fn jacobian_batch<F: FloatFn, E: Element>(
    f: &F,
    xs: &[E],
    jacs: &mut [E],
) -> Result<(), Error> {
    jacobian_batch_with_options(f, xs, jacs, None, &BatchOptions::default())
}

/// The B Jacobians into `jacs` (B x n x m) and the values into `values` (B x n), as
/// [`crate::jacobian_batch_and_values`] (with tangent lanes).
///
/// ```
/// use batchjac::interop::num_traits::jacobian_batch_and_values;
/// use num_traits::Float;
///
/// fn exp<T: Float>(x: &[T], y: &mut [T]) { y[0] = x[0].exp(); }
/// batchjac::float_fn!(Exp(1 => 1) = exp);
///
/// let (mut jacs, mut values) = ([0.0; 2], [0.0; 2]);
/// jacobian_batch_and_values(&Exp, &[0.0, 1.0], &mut jacs, &mut values).unwrap();
/// assert_eq!(jacs, values);
/// ```
pub fn jacobian_batch_and_values<F: FloatFn, E: Element>(
    f: &F,
    xs: &[E],
    jacs: &mut [E],
    values: &mut [E],
) -> Result<(), Error> {
    jacobian_batch_with_options(f, xs, jacs, Some(values), &BatchOptions::default())
}

/// The B Jacobians with options, as [`crate::jacobian_batch_with_options`]. The mode is
/// always tangent lanes: [`Mode::Auto`] becomes [`Mode::TangentLanes`], and
/// [`Mode::BatchLanes`] is an error (one value holding several points cannot be a
/// `Float`).
///
/// ```
/// use batchjac::interop::num_traits::jacobian_batch_with_options;
/// use batchjac::{BatchOptions, LaneType, Mode};
/// use num_traits::Float;
///
/// fn sum<T: Float>(x: &[T], y: &mut [T]) { y[0] = x[0] + x[1]; }
/// batchjac::float_fn!(Sum(2 => 1) = sum);
///
/// let options = BatchOptions { lanes: LaneType::Scalar, parallel: false, ..Default::default() };
/// let mut jacs = [0.0; 2];
/// jacobian_batch_with_options(&Sum, &[1.0, 2.0], &mut jacs, None, &options).unwrap();
/// assert_eq!(jacs, [1.0, 1.0]);
///
/// let batch_lanes = BatchOptions { mode: Mode::BatchLanes, ..Default::default() };
/// let error = jacobian_batch_with_options(&Sum, &[1.0, 2.0], &mut jacs, None, &batch_lanes);
/// assert!(error.unwrap_err().to_string().contains("tangent"));
/// ```
pub fn jacobian_batch_with_options<F: FloatFn, E: Element>(
    f: &F,
    xs: &[E],
    jacs: &mut [E],
    values: Option<&mut [E]>,
    options: &BatchOptions,
) -> Result<(), Error> {
    if options.mode == Mode::BatchLanes {
        return Err(Error::InvalidArgument {
            message: "mode batch: a num_traits::Float function runs on one point at a time; \
                      expected mode tangent or auto (which means tangent here)"
                .to_string(),
        });
    }
    let options = BatchOptions {
        mode: Mode::TangentLanes,
        ..*options
    };
    crate::jacobian_batch_with_options(&AsVectorFn(f), xs, jacs, values, &options)
}
