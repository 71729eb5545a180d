//! The [`Real`] trait: the scalar interface user code is generic over, and the
//! [`Value`] trait beneath it.
//!
//! [`Value`] is the value-type layer: arithmetic, comparisons and the elementary
//! functions of one value type (`f64`, `f32`, a `wide` lane vector or a dual number).
//! [`Real`] is [`Value`] plus the operators with `f64` constants (`x * 10.0`,
//! `x + 1.0`, `x /= 3.0`, ...), which a dual number applies as a scale of its tangents
//! rather than as a full product. Every type that has both implements [`Real`]
//! automatically: `f64`, `f64x4`, `f64x8` and every [`crate::Dual`] (including those
//! over `f32` values).
//!
//! # Constants
//! Write literal constants on the right of an operator: `x * 10.0`, `x - 2.5`,
//! `-x + 1.0`, `y *= 0.5`. A constant on the left (`10.0 * x`, `1.0 - x`) compiles for
//! concrete types but not in generic code: Rust does not let a trait imply
//! `f64: Mul<R>` for the types `R` that implement it (rust-lang/rust#20671). For a
//! constant that is not a literal, or on the left, use [`Value::from_f64`]:
//! `R::from_f64(1.0) - x`.
//!
//! # Plain `f32`
//! `f32` implements [`Value`] but not [`Real`]: Rust's orphan rule forbids
//! `impl Mul<f64> for f32` outside std (and `wide`'s `f32x8`/`f32x16` likewise). Plain
//! f32 evaluation of a [`crate::VectorFn`] uses [`crate::Scalar<f32>`] instead, a dual
//! number with no tangents: a local type, so it can take `f64` constants (rounded to
//! f32, as `R::from_f64` does), and its value is computed by exactly `f32`'s own
//! operations. The f32 lane types are used in dual numbers (`Dual<f32, f32x16, K>`,
//! `Dual<f32x8, f32x8, K>`), which implement [`Real`].
//!
//! # Branching
//! Comparisons return a [`Mask`] and [`Value::select`] picks between two values. For the
//! scalar modes the mask is a `bool`; in batch-lane mode (one value holds several
//! points) it is a per-lane mask. Code written as
//! `R::select(x.lt(y), a, b)` works in every mode. Code that needs a plain `if` may use
//! [`Value::primal`], which is exact whenever [`Value::POINTS`] is 1.
//!
//! Comparisons look at primal values only, so the path a function takes never depends on
//! the tangents, the lane type or the chunk of columns being computed.
//!
//! # One implementation per function
//! The elementary functions of `f64` and `f32` here are not std's: they run the SIMD
//! kernels of [`crate::simd`] on one lane, so a value computed alone and the same value
//! in a lane of a batch are the same bits (the accuracy and speed table is in
//! [`crate::simd`]).
//!
//! ```
//! use batchjac::Value;
//! use wide::f64x8;
//! let x = 0.8125f64;
//! let lanes = Value::exp_m1(f64x8::splat(x)).to_array();
//! assert!(lanes.iter().all(|v| v.to_bits() == Value::exp_m1(x).to_bits()));
//! ```

use core::fmt::Debug;
use core::ops::{
    Add, AddAssign, BitAnd, BitOr, Div, DivAssign, Mul, MulAssign, Neg, Not, Sub, SubAssign,
};

/// The result of comparing [`Value`]s: `bool` in scalar modes, a lane mask when a
/// value holds several points.
///
/// ```
/// use batchjac::Mask;
/// assert!(true.any() && !false.all());
/// ```
pub trait Mask:
    Copy + Send + Sync + Debug + BitAnd<Output = Self> + BitOr<Output = Self> + Not<Output = Self>
{
    /// True if any lane is set.
    ///
    /// ```
    /// use batchjac::{Mask, Value};
    /// use wide::f64x4;
    /// let below = Value::lt(f64x4::from([1.0, 2.0, 3.0, 4.0]), f64x4::splat(2.5));
    /// assert!(below.any()); // points 0 and 1
    /// ```
    fn any(self) -> bool;
    /// True if every lane is set.
    ///
    /// ```
    /// use batchjac::{Mask, Value};
    /// use wide::f64x4;
    /// let x = f64x4::from([1.0, 2.0, 3.0, 4.0]);
    /// assert!(Value::gt(x, f64x4::splat(0.0)).all());
    /// assert!(!Value::gt(x, f64x4::splat(2.5)).all());
    /// ```
    fn all(self) -> bool;
}

impl Mask for bool {
    #[inline(always)]
    fn any(self) -> bool {
        self
    }
    #[inline(always)]
    fn all(self) -> bool {
        self
    }
}

/// The value-type layer: the arithmetic and elementary functions of one value type.
///
/// This is what a [`crate::Dual`]'s value type must provide, and what the lane types
/// provide in batch-lane mode. It is implemented by `f64`, `f32`, `wide`'s `f64x4`,
/// `f64x8`, `f32x8`, `f32x16`, and every [`crate::Dual`]. User functions are written
/// against [`Real`], which adds operators with `f64` constants on top of this trait.
///
/// Method names and meanings follow std's `f64` methods.
///
/// ```
/// use batchjac::Value;
/// fn softplus<V: Value>(x: V) -> V {
///     // ln(1 + e^x), written to avoid overflow for large x: max(x, 0) + ln_1p(e^-|x|)
///     x.max(V::from_f64(0.0)) + (-x.abs()).exp().ln_1p()
/// }
/// assert!((softplus(0.0f32) - 2f32.ln()).abs() < 1e-7);
/// ```
pub trait Value:
    Copy
    + Send
    + Sync
    + Debug
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
{
    /// The comparison result type.
    type Mask: Mask;
    /// How many points one value holds: 1, except in batch-lane mode.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::{f64x4, f64x8};
    /// assert_eq!(<f64 as Value>::POINTS, 1);
    /// assert_eq!(<Dual<f64, f64x8, 2> as Value>::POINTS, 1); // tangent lanes: one point
    /// assert_eq!(<Dual<f64x4, f64x4, 2> as Value>::POINTS, 4); // batch lanes: four points
    /// ```
    const POINTS: usize;

    /// A constant (tangents zero).
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let c = <Dual<f64, f64x4, 1> as Value>::from_f64(1.5);
    /// assert_eq!((c.value, c.tangent(0)), (1.5, 0.0));
    /// assert_eq!(<f32 as Value>::from_f64(0.1), 0.1f32);
    /// ```
    fn from_f64(v: f64) -> Self;
    /// `self * c` for a constant `c`. Cheaper than `self * R::from_f64(c)` for dual
    /// numbers, where a constant's zero tangents would still cost a multiply. For a
    /// [`Real`] type it is the same as `self * c`.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let y = Dual::<f64, f64x4, 1>::unit(3.0, 0).scale(2.5);
    /// assert_eq!((y.value, y.tangent(0)), (7.5, 2.5));
    /// ```
    #[inline(always)]
    fn scale(self, c: f64) -> Self {
        self * Self::from_f64(c)
    }
    /// The primal value as `f64` (of the first point, where a value holds several).
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// assert_eq!(Dual::<f64, f64x4, 1>::unit(2.5, 0).primal(), 2.5);
    /// // A lane vector holds several points: the first one's value.
    /// assert_eq!(f64x4::from([1.0, 2.0, 3.0, 4.0]).primal(), 1.0);
    /// ```
    fn primal(&self) -> f64;
    /// A NaN with a reserved payload, used to detect outputs a function never wrote (for a
    /// dual number: in its value and in every tangent lane). An output a function sets
    /// to it counts as not written.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let p = <f64 as Value>::poison();
    /// assert!(p.is_nan() && Value::is_poison(&p));
    /// let d = <Dual<f64, f64x4, 1> as Value>::poison();
    /// assert!(d.is_poison() && Value::is_poison(&d.tangents[0]));
    /// ```
    fn poison() -> Self;
    /// Marks `self` as not yet written: its primal value becomes [`Value::poison`]. A
    /// dual number keeps its tangents (an output the function writes is replaced whole,
    /// one it does not write is caught by its value), so the check costs one store per
    /// output, not one per tangent lane.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let mut y = Dual::<f64, f64x4, 1>::unit(1.0, 0);
    /// assert!(!y.is_poison());
    /// y.set_poison();
    /// assert!(y.is_poison() && y.value.is_nan());
    /// ```
    #[inline(always)]
    fn set_poison(&mut self) {
        *self = Self::poison();
    }
    /// True if any point's primal value carries the [`Value::poison`] bits.
    ///
    /// ```
    /// use batchjac::Value;
    /// // The NaNs of arithmetic are not the poison.
    /// assert!(!Value::is_poison(&(0.0f64 / 0.0)));
    /// ```
    fn is_poison(&self) -> bool;

    /// `self < rhs` on primal values.
    ///
    /// ```
    /// use batchjac::{Mask, Value};
    /// use wide::f64x4;
    /// assert!(Value::lt(1.0f64, 2.0));
    /// // On a lane vector: one comparison per point.
    /// let below = Value::lt(f64x4::from([1.0, 2.0, 3.0, 4.0]), f64x4::splat(2.5));
    /// assert!(below.any() && !below.all());
    /// ```
    fn lt(self, rhs: Self) -> Self::Mask;
    /// `self <= rhs` on primal values.
    ///
    /// ```
    /// use batchjac::Value;
    /// assert!(Value::le(2.0f64, 2.0));
    /// assert!(!Value::le(2.5f64, 2.0));
    /// ```
    fn le(self, rhs: Self) -> Self::Mask;
    /// `self > rhs` on primal values.
    ///
    /// ```
    /// use batchjac::Value;
    /// assert!(Value::gt(3.0f64, 2.0));
    /// assert!(!Value::gt(2.0f64, 2.0));
    /// ```
    fn gt(self, rhs: Self) -> Self::Mask;
    /// `self >= rhs` on primal values.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// // Only primal values are compared: the tangents play no part.
    /// let x = Dual::<f64, f64x4, 1>::unit(2.0, 0);
    /// assert!(x.ge(Value::from_f64(2.0)));
    /// assert!(!x.ge(Value::from_f64(2.5)));
    /// ```
    fn ge(self, rhs: Self) -> Self::Mask;
    /// `self == rhs` on primal values.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// // A variable equals a constant of the same value: tangents are not compared.
    /// let x = Dual::<f64, f64x4, 1>::unit(1.5, 0);
    /// assert!(Value::eq(x, Value::from_f64(1.5)));
    /// ```
    fn eq(self, rhs: Self) -> Self::Mask;
    /// True where the primal value is NaN.
    ///
    /// ```
    /// use batchjac::{Mask, Value};
    /// use wide::f64x4;
    /// let nan = Value::is_nan(f64x4::from([1.0, f64::NAN, 0.0, 2.0]));
    /// assert!(nan.any() && !nan.all());
    /// assert!(!Value::is_nan(1.0f64));
    /// ```
    fn is_nan(self) -> Self::Mask;
    /// True where the primal value is finite.
    ///
    /// ```
    /// use batchjac::Value;
    /// assert!(Value::is_finite(1e308f64));
    /// assert!(!Value::is_finite(f64::INFINITY) && !Value::is_finite(f64::NAN));
    /// ```
    fn is_finite(self) -> Self::Mask;
    /// `if_true` where `mask` is set, `if_false` elsewhere (value and tangents).
    ///
    /// ```
    /// use batchjac::{jacobian_batch_with_options, BatchOptions, Mode, Real, VectorFn};
    /// /// A leaky ramp, slope 2 above 0 and 1/2 below, written with `select` so that it
    /// /// runs in batch-lane mode too, where one value holds several points.
    /// struct Leaky;
    /// impl VectorFn for Leaky {
    ///     fn inputs(&self) -> usize { 1 }
    ///     fn outputs(&self) -> usize { 1 }
    ///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
    ///         y[0] = R::select(x[0].gt(R::from_f64(0.0)), x[0] * 2.0, x[0] * 0.5);
    ///     }
    /// }
    /// let xs = [-2.0, 1.0, -0.5, 3.0, 0.25, -1.0, 2.0, -4.0];
    /// let mut jacs = [0.0; 8];
    /// let options = BatchOptions { mode: Mode::BatchLanes, ..BatchOptions::default() };
    /// jacobian_batch_with_options(&Leaky, &xs, &mut jacs, None, &options).unwrap();
    /// assert_eq!(jacs, [0.5, 2.0, 0.5, 2.0, 2.0, 0.5, 2.0, 0.5]);
    /// ```
    fn select(mask: Self::Mask, if_true: Self, if_false: Self) -> Self;

    /// 1 / self.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// // d/dx 1/x = -1/x^2
    /// let y = Dual::<f64, f64x4, 1>::unit(4.0, 0).recip();
    /// assert_eq!((y.value, y.tangent(0)), (0.25, -0.0625));
    /// ```
    fn recip(self) -> Self;
    /// Square root. Derivative at 0: +inf (a zero tangent times inf gives NaN).
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(9.0, 0).sqrt();
    /// assert!(close(y.value, 3.0));
    /// assert!(close(y.tangent(0), 1.0 / 6.0));
    /// ```
    fn sqrt(self) -> Self;
    /// Cube root.
    ///
    /// ```
    /// use batchjac::Value;
    /// let y = Value::cbrt(-27.0f64);
    /// assert!((y + 3.0).abs() <= 4.0 * f64::EPSILON * 3.0);
    /// ```
    fn cbrt(self) -> Self;
    /// Integer power.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// assert_eq!(Value::powi(2.0f64, 10), 1024.0);
    /// assert_eq!(Value::powi(2.0f64, -2), 0.25);
    /// // d/dx x^3 = 3 x^2
    /// let y = Dual::<f64, f64x4, 1>::unit(3.0, 0).powi(3);
    /// assert_eq!((y.value, y.tangent(0)), (27.0, 27.0));
    /// ```
    fn powi(self, n: i32) -> Self;
    /// Power with a constant exponent.
    ///
    /// ```
    /// // d/dx x^1.5 = 1.5 x^0.5
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(4.0, 0).powf(1.5);
    /// assert!(close(y.value, 8.0));
    /// assert!(close(y.tangent(0), 3.0));
    /// ```
    fn powf(self, n: f64) -> Self;
    /// Power with a variable exponent, `self^n`.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// // Both base and exponent vary: directions 0 and 1.
    /// let x = Dual::<f64, f64x4, 1>::unit(2.0, 0);
    /// let n = Dual::<f64, f64x4, 1>::unit(3.0, 1);
    /// let y = x.pow(n);
    /// assert!(close(y.value, 8.0));
    /// assert!(close(y.tangent(0), 12.0)); // n x^(n-1)
    /// assert!(close(y.tangent(1), 8.0 * 2f64.ln())); // x^n ln x
    /// ```
    fn pow(self, n: Self) -> Self;
    /// e^self.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(1.0, 0).exp();
    /// assert!(close(y.value, std::f64::consts::E));
    /// assert!(close(y.tangent(0), std::f64::consts::E));
    /// ```
    fn exp(self) -> Self;
    /// 2^self.
    ///
    /// ```
    /// // d/dx 2^x = 2^x ln 2
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(3.0, 0).exp2();
    /// assert!(close(y.value, 8.0));
    /// assert!(close(y.tangent(0), 8.0 * std::f64::consts::LN_2));
    /// ```
    fn exp2(self) -> Self;
    /// e^self - 1, accurate near 0.
    ///
    /// ```
    /// use batchjac::Value;
    /// // exp(x) - 1 would keep only a few digits here.
    /// let x = 1e-10f64;
    /// let y = Value::exp_m1(x);
    /// assert!((y - (x + x * x / 2.0)).abs() <= 4.0 * f64::EPSILON * x);
    /// ```
    fn exp_m1(self) -> Self;
    /// Natural logarithm.
    ///
    /// ```
    /// // d/dx ln x = 1/x
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(4.0, 0).ln();
    /// assert!(close(y.value, 4f64.ln()));
    /// assert!(close(y.tangent(0), 0.25));
    /// ```
    fn ln(self) -> Self;
    /// Base-2 logarithm.
    ///
    /// ```
    /// // d/dx log2 x = 1 / (x ln 2)
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(8.0, 0).log2();
    /// assert!(close(y.value, 3.0));
    /// assert!(close(y.tangent(0), 1.0 / (8.0 * std::f64::consts::LN_2)));
    /// ```
    fn log2(self) -> Self;
    /// Base-10 logarithm.
    ///
    /// ```
    /// use batchjac::Value;
    /// let y = Value::log10(1000.0f64);
    /// assert!((y - 3.0).abs() <= 4.0 * f64::EPSILON * 3.0);
    /// ```
    fn log10(self) -> Self;
    /// ln(1 + self), accurate near 0.
    ///
    /// ```
    /// use batchjac::Value;
    /// // ln(1 + x) would lose most digits of x here.
    /// let x = 1e-10f64;
    /// let y = Value::ln_1p(x);
    /// assert!((y - (x - x * x / 2.0)).abs() <= 4.0 * f64::EPSILON * x);
    /// ```
    fn ln_1p(self) -> Self;
    /// Sine.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(0.5, 0).sin();
    /// assert!(close(y.value, 0.5f64.sin()));
    /// assert!(close(y.tangent(0), 0.5f64.cos()));
    /// ```
    fn sin(self) -> Self;
    /// Cosine.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(0.5, 0).cos();
    /// assert!(close(y.value, 0.5f64.cos()));
    /// assert!(close(y.tangent(0), -0.5f64.sin()));
    /// ```
    fn cos(self) -> Self;
    /// Tangent.
    ///
    /// ```
    /// // d/dx tan x = 1 + tan^2 x
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(0.5, 0).tan();
    /// assert!(close(y.value, 0.5f64.tan()));
    /// assert!(close(y.tangent(0), 1.0 + 0.5f64.tan().powi(2)));
    /// ```
    fn tan(self) -> Self;
    /// Sine and cosine together.
    ///
    /// ```
    /// use batchjac::Value;
    /// let (s, c) = Value::sin_cos(0.7f64);
    /// assert!((s - 0.7f64.sin()).abs() <= 4.0 * f64::EPSILON * s);
    /// assert!((c - 0.7f64.cos()).abs() <= 4.0 * f64::EPSILON * c);
    /// ```
    fn sin_cos(self) -> (Self, Self);
    /// Arcsine.
    ///
    /// ```
    /// // d/dx asin x = 1 / sqrt(1 - x^2)
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(0.5, 0).asin();
    /// assert!(close(y.value, std::f64::consts::FRAC_PI_6));
    /// assert!(close(y.tangent(0), 2.0 / 3f64.sqrt()));
    /// ```
    fn asin(self) -> Self;
    /// Arccosine.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(0.5, 0).acos();
    /// assert!(close(y.value, std::f64::consts::FRAC_PI_3));
    /// assert!(close(y.tangent(0), -2.0 / 3f64.sqrt()));
    /// ```
    fn acos(self) -> Self;
    /// Arctangent.
    ///
    /// ```
    /// // d/dx atan x = 1 / (1 + x^2)
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(1.0, 0).atan();
    /// assert!(close(y.value, std::f64::consts::FRAC_PI_4));
    /// assert!(close(y.tangent(0), 0.5));
    /// ```
    fn atan(self) -> Self;
    /// Four-quadrant arctangent of `self / x`.
    ///
    /// ```
    /// use batchjac::Value;
    /// use std::f64::consts::PI;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// // The point (-1, 1) is in the second quadrant, not the fourth.
    /// assert!(close(Value::atan2(1.0f64, -1.0), 0.75 * PI));
    /// assert!(close(Value::atan2(-1.0f64, -1.0), -0.75 * PI));
    /// ```
    fn atan2(self, x: Self) -> Self;
    /// Hyperbolic sine.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(1.0, 0).sinh();
    /// assert!(close(y.value, 1f64.sinh()));
    /// assert!(close(y.tangent(0), 1f64.cosh()));
    /// ```
    fn sinh(self) -> Self;
    /// Hyperbolic cosine.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(1.0, 0).cosh();
    /// assert!(close(y.value, 1f64.cosh()));
    /// assert!(close(y.tangent(0), 1f64.sinh()));
    /// ```
    fn cosh(self) -> Self;
    /// Hyperbolic tangent.
    ///
    /// ```
    /// // d/dx tanh x = 1 - tanh^2 x
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(0.5, 0).tanh();
    /// assert!(close(y.value, 0.5f64.tanh()));
    /// assert!(close(y.tangent(0), 1.0 - 0.5f64.tanh().powi(2)));
    /// ```
    fn tanh(self) -> Self;
    /// Inverse hyperbolic sine.
    ///
    /// ```
    /// // d/dx asinh x = 1 / sqrt(x^2 + 1)
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(2.0, 0).asinh();
    /// assert!(close(y.value, 2f64.asinh()));
    /// assert!(close(y.tangent(0), 1.0 / 5f64.sqrt()));
    /// ```
    fn asinh(self) -> Self;
    /// Inverse hyperbolic cosine.
    ///
    /// ```
    /// // d/dx acosh x = 1 / sqrt(x^2 - 1)
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(2.0, 0).acosh();
    /// assert!(close(y.value, 2f64.acosh()));
    /// assert!(close(y.tangent(0), 1.0 / 3f64.sqrt()));
    /// ```
    fn acosh(self) -> Self;
    /// Inverse hyperbolic tangent.
    ///
    /// ```
    /// // d/dx atanh x = 1 / (1 - x^2)
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// let y = Dual::<f64, f64x4, 1>::unit(0.5, 0).atanh();
    /// assert!(close(y.value, 0.5f64.atanh()));
    /// assert!(close(y.tangent(0), 4.0 / 3.0));
    /// ```
    fn atanh(self) -> Self;
    /// Absolute value. Derivative convention at 0 (either sign): +1.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let y = Dual::<f64, f64x4, 1>::unit(-2.0, 0).abs();
    /// assert_eq!((y.value, y.tangent(0)), (2.0, -1.0));
    /// // At zero, of either sign, the derivative is taken as +1.
    /// assert_eq!(Dual::<f64, f64x4, 1>::unit(-0.0, 0).abs().tangent(0), 1.0);
    /// ```
    fn abs(self) -> Self;
    /// Sign (+1, -1 or NaN, as std). Derivative 0.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let y = Dual::<f64, f64x4, 1>::unit(-3.0, 0).signum();
    /// assert_eq!((y.value, y.tangent(0)), (-1.0, 0.0));
    /// assert!(Value::signum(f64::NAN).is_nan());
    /// ```
    fn signum(self) -> Self;
    /// Minimum; NaN loses as in std. At a tie the first argument (and its tangents) wins.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// assert_eq!(Value::min(f64::NAN, 2.0), 2.0);
    /// // A tie: the first argument's tangents are kept.
    /// let a = Dual::<f64, f64x4, 1>::unit(1.0, 0);
    /// let b = Dual::<f64, f64x4, 1>::unit(1.0, 1);
    /// let m = a.min(b);
    /// assert_eq!((m.tangent(0), m.tangent(1)), (1.0, 0.0));
    /// ```
    fn min(self, other: Self) -> Self;
    /// Maximum; NaN loses as in std. At a tie the first argument (and its tangents) wins.
    ///
    /// ```
    /// use batchjac::Value;
    /// assert_eq!(Value::max(-1.0f64, 3.0), 3.0);
    /// assert_eq!(Value::max(2.0f64, f64::NAN), 2.0);
    /// ```
    fn max(self, other: Self) -> Self;
    /// sqrt(self^2 + other^2) without undue overflow. Derivative at the origin: 0.
    ///
    /// ```
    /// use batchjac::Value;
    /// let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    /// assert!(close(Value::hypot(3.0f64, 4.0), 5.0));
    /// // The squares would overflow; the result does not.
    /// assert!(close(Value::hypot(3e200f64, 4e200), 5e200));
    /// ```
    fn hypot(self, other: Self) -> Self;
    /// self * a + b.
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// assert_eq!(Value::mul_add(2.0f64, 3.0, 1.0), 7.0);
    /// // d/dx (x a + b) = a
    /// let x = Dual::<f64, f64x4, 1>::unit(2.0, 0);
    /// let y = x.mul_add(Value::from_f64(3.0), Value::from_f64(1.0));
    /// assert_eq!((y.value, y.tangent(0)), (7.0, 3.0));
    /// ```
    fn mul_add(self, a: Self, b: Self) -> Self;
}

/// A real number type that user functions are written against: [`Value`] plus the
/// operators with an `f64` constant on the right (`x * 10.0`, `x + 1.0`, `x - 2.5`,
/// `x / 3.0`, and `+=`, `-=`, `*=`, `/=`).
///
/// Implemented (automatically) by `f64`, `wide`'s `f64x4` and `f64x8`, and every
/// [`crate::Dual`], whose `* c` and `/ c` scale the tangents instead of multiplying by a
/// constant's zero tangents. Not by `f32` (see the [module docs](self): plain f32
/// evaluation uses [`crate::Scalar<f32>`]).
///
/// ```
/// use batchjac::Real;
/// fn softplus<R: Real>(x: R) -> R {
///     // ln(1 + e^x), written to avoid overflow for large x: max(x, 0) + ln_1p(e^-|x|)
///     x.max(R::from_f64(0.0)) + (-x.abs()).exp().ln_1p()
/// }
/// fn logistic<R: Real>(x: R) -> R {
///     ((-x).exp() + 1.0).recip()
/// }
/// assert!((softplus(0.0f64) - 2f64.ln()).abs() < 1e-15);
/// assert_eq!(logistic(0.0f64), 0.5);
/// ```
pub trait Real:
    Value
    + Add<f64, Output = Self>
    + Sub<f64, Output = Self>
    + Mul<f64, Output = Self>
    + Div<f64, Output = Self>
    + AddAssign<f64>
    + SubAssign<f64>
    + MulAssign<f64>
    + DivAssign<f64>
{
}

impl<T> Real for T where
    T: Value
        + Add<f64, Output = T>
        + Sub<f64, Output = T>
        + Mul<f64, Output = T>
        + Div<f64, Output = T>
        + AddAssign<f64>
        + SubAssign<f64>
        + MulAssign<f64>
        + DivAssign<f64>
{
}

/// `Value` for the plain float types. Arithmetic, `sqrt`, `abs` and `mul_add` are
/// IEEE operations, the same in every lane of every type; every other elementary
/// function runs the crate's f64 SIMD kernel (module [`crate::simd`]) on one lane of
/// `f64x4` and takes that lane's result, so a point's value and Jacobian are the same
/// bits whether it was computed alone (tangent lanes, scalar values) or as one lane of
/// a batch (batch lanes): `f64x4`'s kernels give the same bits as `f64x8`'s, and `f32`
/// widens to f64 and rounds the result once to f32, as the f32 lanes do (and takes
/// f32's std sin, cos and tan past |x| = 2^30, as they do).
macro_rules! real_for_float {
    ($t:ty, $k:ident) => {
        impl Value for $t {
            type Mask = bool;
            const POINTS: usize = 1;
            #[inline(always)]
            fn from_f64(v: f64) -> Self {
                v as $t
            }
            #[inline(always)]
            fn primal(&self) -> f64 {
                *self as f64
            }
            #[inline(always)]
            fn poison() -> Self {
                <$t as crate::Float>::poison()
            }
            #[inline(always)]
            fn is_poison(&self) -> bool {
                <$t as crate::Float>::is_poison(*self)
            }
            #[inline(always)]
            fn lt(self, rhs: Self) -> bool {
                self < rhs
            }
            #[inline(always)]
            fn le(self, rhs: Self) -> bool {
                self <= rhs
            }
            #[inline(always)]
            fn gt(self, rhs: Self) -> bool {
                self > rhs
            }
            #[inline(always)]
            fn ge(self, rhs: Self) -> bool {
                self >= rhs
            }
            #[inline(always)]
            fn eq(self, rhs: Self) -> bool {
                self == rhs
            }
            #[inline(always)]
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            #[inline(always)]
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
            #[inline(always)]
            fn select(mask: bool, if_true: Self, if_false: Self) -> Self {
                if mask { if_true } else { if_false }
            }
            #[inline(always)]
            fn recip(self) -> Self {
                1.0 / self
            }
            #[inline(always)]
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            #[inline(always)]
            fn cbrt(self) -> Self {
                WideInF64::cbrt_(self)
            }
            #[inline(always)]
            fn powi(self, n: i32) -> Self {
                crate::simd::kernels_scalar::powi(crate::simd::S(self as f64), n).0 as $t
            }
            #[inline(always)]
            fn powf(self, n: f64) -> Self {
                // The exponent rounded to the element type first, as the lanes do.
                one_lane!(precision $k, $t, pow, self, n as $t)
            }
            #[inline(always)]
            fn pow(self, n: Self) -> Self {
                one_lane!(precision $k, $t, pow, self, n)
            }
            #[inline(always)]
            fn exp(self) -> Self {
                one_lane!(precision $k, $t, exp, self)
            }
            #[inline(always)]
            fn exp2(self) -> Self {
                one_lane!(precision $k, $t, exp2, self)
            }
            #[inline(always)]
            fn exp_m1(self) -> Self {
                one_lane!(kernel $t, exp_m1, self)
            }
            #[inline(always)]
            fn ln(self) -> Self {
                one_lane!(precision $k, $t, ln, self)
            }
            #[inline(always)]
            fn log2(self) -> Self {
                one_lane!(precision $k, $t, log2, self)
            }
            #[inline(always)]
            fn log10(self) -> Self {
                one_lane!(precision $k, $t, log10, self)
            }
            #[inline(always)]
            fn ln_1p(self) -> Self {
                one_lane!(kernel $t, ln_1p, self)
            }
            #[inline(always)]
            fn sin(self) -> Self {
                if self.huge_trig() {
                    <$t>::sin(self)
                } else {
                    crate::simd::$k::sin_cos(crate::simd::S(self as f64)).0.0 as $t
                }
            }
            #[inline(always)]
            fn cos(self) -> Self {
                if self.huge_trig() {
                    <$t>::cos(self)
                } else {
                    crate::simd::$k::sin_cos(crate::simd::S(self as f64)).1.0 as $t
                }
            }
            #[inline(always)]
            fn tan(self) -> Self {
                if self.huge_trig() {
                    <$t>::tan(self)
                } else {
                    one_lane!(kernel $t, tan, self)
                }
            }
            #[inline(always)]
            fn sin_cos(self) -> (Self, Self) {
                if self.huge_trig() {
                    return (<$t>::sin(self), <$t>::cos(self));
                }
                let (s, c) = crate::simd::$k::sin_cos(crate::simd::S(self as f64));
                (s.0 as $t, c.0 as $t)
            }
            #[inline(always)]
            fn asin(self) -> Self {
                WideInF64::asin_(self)
            }
            #[inline(always)]
            fn acos(self) -> Self {
                WideInF64::acos_(self)
            }
            #[inline(always)]
            fn atan(self) -> Self {
                WideInF64::atan_(self)
            }
            #[inline(always)]
            fn atan2(self, x: Self) -> Self {
                one_lane!($t, atan2, self, x)
            }
            #[inline(always)]
            fn sinh(self) -> Self {
                one_lane!(kernel $t, sinh, self)
            }
            #[inline(always)]
            fn cosh(self) -> Self {
                one_lane!(kernel $t, cosh, self)
            }
            #[inline(always)]
            fn tanh(self) -> Self {
                one_lane!(kernel $t, tanh, self)
            }
            #[inline(always)]
            fn asinh(self) -> Self {
                one_lane!(kernel $t, asinh, self)
            }
            #[inline(always)]
            fn acosh(self) -> Self {
                one_lane!(precision $k, $t, acosh, self)
            }
            #[inline(always)]
            fn atanh(self) -> Self {
                one_lane!(kernel $t, atanh, self)
            }
            #[inline(always)]
            fn abs(self) -> Self {
                <$t>::abs(self)
            }
            #[inline(always)]
            fn signum(self) -> Self {
                // As the lane types: +-1 by the sign bit, a NaN returned as it is.
                if self.is_nan() {
                    self
                } else {
                    (1.0 as $t).copysign(self)
                }
            }
            #[inline(always)]
            fn min(self, other: Self) -> Self {
                // As the lane types: NaN loses; at a tie (also -0 vs +0) the first wins.
                if self <= other || other.is_nan() {
                    self
                } else {
                    other
                }
            }
            #[inline(always)]
            fn max(self, other: Self) -> Self {
                if self >= other || other.is_nan() {
                    self
                } else {
                    other
                }
            }
            #[inline(always)]
            fn hypot(self, other: Self) -> Self {
                one_lane!(precision $k, $t, hypot, self, other)
            }
            #[inline(always)]
            fn mul_add(self, a: Self, b: Self) -> Self {
                <$t as crate::Lanes>::mul_add(self, a, b)
            }
        }
    };
}

/// `f(x, ...)` of one value in f64, rounded to `$t`. The `precision` arms call the
/// kernels of module `$k` compiled for one value (`kernels_scalar` for f64,
/// `kernels_f32_scalar` for the f32 functions that have their own: the arithmetic of
/// every lane of the lane types, in scalar registers); the `kernel` arms, the f64 kernels
/// whatever `$t`; the others, `wide`'s functions, which exist only for vectors, on an
/// `f64x4` splat (lane 0 of the result).
macro_rules! one_lane {
    (precision $k:ident, $t:ty, $f:ident, $x:expr) => {
        crate::simd::$k::$f(crate::simd::S($x as f64)).0 as $t
    };
    (precision $k:ident, $t:ty, $f:ident, $x:expr, $y:expr) => {
        crate::simd::$k::$f(crate::simd::S($x as f64), crate::simd::S($y as f64)).0 as $t
    };
    (kernel $t:ty, $f:ident, $x:expr $(, $y:expr)?) => {
        one_lane!(precision kernels_scalar, $t, $f, $x $(, $y)?)
    };
    ($t:ty, $f:ident, $x:expr) => {
        <f64x4 as Value>::$f(f64x4::splat($x as f64)).as_array()[0] as $t
    };
    ($t:ty, $f:ident, $x:expr, $y:expr) => {
        <f64x4 as Value>::$f(f64x4::splat($x as f64), f64x4::splat($y as f64)).as_array()[0] as $t
    };
}

/// Whether a scalar's sin, cos and tan take std's function of its own type: the lanes
/// do past |x| = 2^30 (`crate::simd`: f64's std in the f64 lanes, f32's in the f32
/// lanes), so a single value calls it once instead of running the kernel for nothing.
trait HugeTrig: Copy {
    fn huge_trig(self) -> bool;
}

impl HugeTrig for f64 {
    #[inline(always)]
    fn huge_trig(self) -> bool {
        self.abs() > crate::simd::TRIG_LIMIT && self.is_finite()
    }
}

impl HugeTrig for f32 {
    #[inline(always)]
    fn huge_trig(self) -> bool {
        self.abs() > crate::simd::F32_TRIG_LIMIT && self.is_finite()
    }
}

/// The functions a scalar takes as its lanes do where f64 and f32 differ: f64 runs
/// `wide`'s (on a splat), f32 its own kernels.
trait WideInF64: Copy {
    fn cbrt_(self) -> Self;
    fn asin_(self) -> Self;
    fn acos_(self) -> Self;
    fn atan_(self) -> Self;
}

impl WideInF64 for f64 {
    #[inline(always)]
    fn cbrt_(self) -> Self {
        one_lane!(f64, cbrt, self)
    }
    #[inline(always)]
    fn asin_(self) -> Self {
        one_lane!(f64, asin, self)
    }
    #[inline(always)]
    fn acos_(self) -> Self {
        one_lane!(f64, acos, self)
    }
    #[inline(always)]
    fn atan_(self) -> Self {
        one_lane!(f64, atan, self)
    }
}

impl WideInF64 for f32 {
    #[inline(always)]
    fn cbrt_(self) -> Self {
        one_lane!(precision kernels_f32_scalar, f32, cbrt, self)
    }
    #[inline(always)]
    fn asin_(self) -> Self {
        one_lane!(precision kernels_f32_scalar, f32, asin, self)
    }
    #[inline(always)]
    fn acos_(self) -> Self {
        one_lane!(precision kernels_f32_scalar, f32, acos, self)
    }
    #[inline(always)]
    fn atan_(self) -> Self {
        one_lane!(precision kernels_f32_scalar, f32, atan, self)
    }
}

use wide::f64x4;
// The f64 kernels for f64; for f32, the f32 kernels where there are any.
real_for_float!(f64, kernels_scalar);
real_for_float!(f32, kernels_f32_scalar);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dual::{Dual, Scalar};
    use wide::{f32x8, f32x16, f64x4, f64x8};

    /// Constants written as `f64` literals on the right of each operator.
    fn natural<R: Real>(x: R) -> R {
        let mut y = (x * 10.0 + 1.0 - 2.5) / 3.0 * x;
        y *= 2.0;
        y += 0.5;
        y -= 0.25;
        y /= 4.0;
        y
    }

    /// The same with every constant made by `from_f64` (a full dual operation each).
    fn explicit<R: Real>(x: R) -> R {
        let c = R::from_f64;
        let mut y = (x * c(10.0) + c(1.0) - c(2.5)) / c(3.0) * x;
        y *= c(2.0);
        y += c(0.5);
        y -= c(0.25);
        y /= c(4.0);
        y
    }

    /// Debug output shows every value and tangent to the last bit (positive points:
    /// a zero tangent times a negative value may differ in the sign of zero).
    fn same<R: Real>(x: R) {
        assert_eq!(format!("{:?}", natural(x)), format!("{:?}", explicit(x)));
    }

    #[test]
    fn f64_constants_match_from_f64_in_every_real_type() {
        same(1.7f64);
        same(f64x4::from([0.3, -1.2, 2.5, 7.0]));
        same(f64x8::from([0.3, -1.2, 2.5, 7.0, 1.0, 2.0, -3.0, 0.1]));
        same(Dual::<f64, f64x8, 2>::unit(1.7, 3));
        same(Dual::<f64, f64x4, 1>::unit(0.7, 1));
        same(Dual::<f32, f32x16, 1>::unit(1.7, 5));
        same(Dual::<f32, f32x8, 2>::unit(2.1, 9));
        same(Dual::<f64x8, f64x8, 1> {
            value: f64x8::splat(1.3),
            tangents: [f64x8::splat(1.0)],
        });
        same(Dual::<f32x16, f32x16, 1> {
            value: f32x16::splat(1.3),
            tangents: [f32x16::splat(1.0)],
        });
        same(Scalar::<f32>::from(1.7f32));
        // A literal next to a lane vector is an f64 with both `Mul<Self>` and
        // `Mul<f64>` in scope.
        let v = f64x8::splat(2.0) * 10.0 + 1.0;
        assert_eq!(v.to_array(), [21.0; 8]);
    }

    #[test]
    fn scalar_f32_is_plain_f32() {
        let x = 0.37f32;
        let y = Scalar::<f32>::from(x).sin() * 3.0 + 1.0;
        assert_eq!(y.value.to_bits(), (Value::sin(x) * 3.0 + 1.0).to_bits());
    }
}
