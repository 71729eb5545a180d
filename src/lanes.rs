//! SIMD storage of tangent directions.
//!
//! [`Lanes`] is one trait over `wide`'s `f64x4`, `f64x8`, `f32x8` and `f32x16`, plus the
//! one-lane scalars `f64` and `f32`. The scalars are the reference oracle: every property
//! test compares the SIMD lane types against them.
//!
//! ```
//! use batchjac::Lanes;
//! use wide::f64x8;
//! // The same generic code on a SIMD type and on its one-lane scalar oracle.
//! fn sum_of_lanes<L: Lanes>(v: L) -> f64
//! where
//!     L::Elem: Into<f64>,
//! {
//!     (0..L::WIDTH).map(|i| v.lane(i).into()).sum()
//! }
//! assert_eq!(sum_of_lanes(<f64x8 as Lanes>::from_fn(|i| i as f64)), 28.0);
//! assert_eq!(sum_of_lanes(2.5f64), 2.5);
//! ```

use core::fmt::{Debug, Display};
use core::ops::{Add, Div, Mul, Neg, Sub};
use wide::{f32x8, f32x16, f64x4, f64x8};

/// A floating-point element type: `f64` or `f32`.
///
/// ```
/// use batchjac::Float;
/// assert_eq!(<f32 as Float>::from_f64(0.5), 0.5f32);
/// assert_eq!(2.0f32.to_f64(), 2.0);
/// ```
pub trait Float:
    Copy
    + Send
    + Sync
    + Debug
    + Display
    + Default
    + PartialOrd
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// Machine epsilon (the distance from 1 to the next larger float).
    ///
    /// ```
    /// use batchjac::Float;
    /// let eps = <f64 as Float>::EPSILON;
    /// assert!(1.0 + eps > 1.0 && 1.0 + eps / 2.0 == 1.0);
    /// assert_eq!(<f32 as Float>::EPSILON, f32::EPSILON);
    /// ```
    const EPSILON: Self;
    /// A name for messages and reports: `"f64"` or `"f32"`.
    ///
    /// ```
    /// use batchjac::Float;
    /// assert_eq!((<f64 as Float>::NAME, <f32 as Float>::NAME), ("f64", "f32"));
    /// ```
    const NAME: &'static str;
    /// Converts from `f64`, rounding to nearest.
    ///
    /// ```
    /// use batchjac::Float;
    /// // 0.1 is not exact in either type: f32 keeps the nearest f32.
    /// assert_eq!(<f32 as Float>::from_f64(0.1), 0.1f32);
    /// assert_ne!(<f32 as Float>::from_f64(0.1) as f64, 0.1);
    /// ```
    fn from_f64(v: f64) -> Self;
    /// Converts to `f64` (exact).
    ///
    /// ```
    /// use batchjac::Float;
    /// let x = 0.1f32;
    /// assert_eq!(<f32 as Float>::from_f64(x.to_f64()), x); // round trip
    /// ```
    fn to_f64(self) -> f64;
    /// A quiet NaN with a payload that arithmetic never produces from non-NaN
    /// inputs; it marks outputs that a user function has not written.
    ///
    /// ```
    /// use batchjac::Float;
    /// let p = <f64 as Float>::poison();
    /// assert!(p.is_nan() && p.is_poison());
    /// assert!(!f64::NAN.is_poison());
    /// ```
    fn poison() -> Self;
    /// Whether `self` carries exactly the bits of [`Float::poison`].
    ///
    /// ```
    /// use batchjac::Float;
    /// assert!(<f32 as Float>::poison().is_poison());
    /// let zero = std::hint::black_box(0.0f32);
    /// assert!(!(zero / zero).is_poison() && !1.0f32.is_poison());
    /// ```
    fn is_poison(self) -> bool;
}

impl Float for f64 {
    const EPSILON: Self = f64::EPSILON;
    const NAME: &'static str = "f64";
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn poison() -> Self {
        f64::from_bits(POISON_F64)
    }
    #[inline(always)]
    fn is_poison(self) -> bool {
        self.to_bits() == POISON_F64
    }
}

impl Float for f32 {
    const EPSILON: Self = f32::EPSILON;
    const NAME: &'static str = "f32";
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v as f32
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn poison() -> Self {
        f32::from_bits(POISON_F32)
    }
    #[inline(always)]
    fn is_poison(self) -> bool {
        self.to_bits() == POISON_F32
    }
}

/// Quiet NaN, sign bit set, payload `0xBAD_0BAD_0BAD`: NaNs made by arithmetic on
/// non-NaN operands carry the default payload (all zero), so this pattern means "never
/// written".
const POISON_F64: u64 = 0xFFF8_0BAD_0BAD_0BAD;
/// The f32 counterpart of [`POISON_F64`].
const POISON_F32: u32 = 0xFFC0_0BAD;

/// A vector of `WIDTH` tangent lanes of one element type.
///
/// ```
/// use batchjac::Lanes;
/// use wide::f64x4;
/// let t = <f64x4 as Lanes>::from_fn(|i| i as f64);
/// assert_eq!(t.lane(3), 3.0);
/// assert_eq!(<f64x4 as Lanes>::WIDTH, 4);
/// ```
pub trait Lanes:
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
{
    /// The element type of one lane.
    type Elem: Float;
    /// Number of lanes.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::{f32x16, f64x8};
    /// assert_eq!((<f64 as Lanes>::WIDTH, <f64x8 as Lanes>::WIDTH, <f32x16 as Lanes>::WIDTH), (1, 8, 16));
    /// ```
    const WIDTH: usize;
    /// The name used in reports and on the command line, e.g. `"f64x8"`.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f64x8;
    /// assert_eq!(<f64x8 as Lanes>::NAME, "f64x8");
    /// assert_eq!(<f64 as Lanes>::NAME, "scalar-f64");
    /// ```
    const NAME: &'static str;
    /// All lanes equal to `e`.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f64x4;
    /// assert_eq!(<f64x4 as Lanes>::splat(1.5).to_array(), [1.5; 4]);
    /// ```
    fn splat(e: Self::Elem) -> Self;
    /// All lanes zero.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f32x8;
    /// assert_eq!(<f32x8 as Lanes>::zero().to_array(), [0.0f32; 8]);
    /// ```
    #[inline(always)]
    fn zero() -> Self {
        Self::splat(Self::Elem::default())
    }
    /// `self * a + b`, fused into one rounding where the target has FMA (as `wide`
    /// does), two roundings otherwise.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f64x4;
    /// let x = <f64x4 as Lanes>::from_fn(|i| i as f64);
    /// let y = Lanes::mul_add(x, f64x4::splat(2.0), f64x4::splat(1.0));
    /// assert_eq!(y.to_array(), [1.0, 3.0, 5.0, 7.0]);
    /// ```
    fn mul_add(self, a: Self, b: Self) -> Self;
    /// Lane `i` (`i < WIDTH`).
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f64x4;
    /// let v = f64x4::from([1.0, 2.0, 3.0, 4.0]);
    /// assert_eq!((v.lane(0), v.lane(3)), (1.0, 4.0));
    /// assert_eq!(Lanes::lane(7.0f64, 0), 7.0); // a scalar has one lane
    /// ```
    fn lane(self, i: usize) -> Self::Elem;
    /// Builds a vector from `f(0), ..., f(WIDTH - 1)`.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f64x4;
    /// let v = <f64x4 as Lanes>::from_fn(|i| (i * i) as f64);
    /// assert_eq!(v.to_array(), [0.0, 1.0, 4.0, 9.0]);
    /// ```
    fn from_fn(f: impl FnMut(usize) -> Self::Elem) -> Self;
    /// Writes the first `min(WIDTH, out.len())` lanes into `out`.
    ///
    /// ```
    /// use batchjac::Lanes;
    /// use wide::f64x4;
    /// let v = f64x4::from([1.0, 2.0, 3.0, 4.0]);
    /// let mut short = [0.0; 2];
    /// v.store(&mut short);
    /// assert_eq!(short, [1.0, 2.0]);
    /// let mut long = [9.0; 6];
    /// v.store(&mut long);
    /// assert_eq!(long, [1.0, 2.0, 3.0, 4.0, 9.0, 9.0]); // the rest is left alone
    /// ```
    fn store(self, out: &mut [Self::Elem]);
}

macro_rules! scalar_lanes {
    ($t:ty, $name:literal) => {
        impl Lanes for $t {
            type Elem = $t;
            const WIDTH: usize = 1;
            const NAME: &'static str = $name;
            #[inline(always)]
            fn splat(e: $t) -> Self {
                e
            }
            #[inline(always)]
            fn mul_add(self, a: Self, b: Self) -> Self {
                // Match wide: fused only where the hardware fuses; a software fma
                // would be orders of magnitude slower.
                if cfg!(target_feature = "fma") {
                    <$t>::mul_add(self, a, b)
                } else {
                    self * a + b
                }
            }
            #[inline(always)]
            fn lane(self, _i: usize) -> $t {
                self
            }
            #[inline(always)]
            fn from_fn(mut f: impl FnMut(usize) -> $t) -> Self {
                f(0)
            }
            #[inline(always)]
            fn store(self, out: &mut [$t]) {
                if let Some(first) = out.first_mut() {
                    *first = self;
                }
            }
        }
    };
}
scalar_lanes!(f64, "scalar-f64");
scalar_lanes!(f32, "scalar-f32");

macro_rules! simd_lanes {
    ($t:ty, $e:ty, $w:literal, $name:literal) => {
        impl Lanes for $t {
            type Elem = $e;
            const WIDTH: usize = $w;
            const NAME: &'static str = $name;
            #[inline(always)]
            fn splat(e: $e) -> Self {
                <$t>::splat(e)
            }
            #[inline(always)]
            fn mul_add(self, a: Self, b: Self) -> Self {
                <$t>::mul_add(self, a, b)
            }
            #[inline(always)]
            fn lane(self, i: usize) -> $e {
                self.as_array()[i]
            }
            #[inline(always)]
            fn from_fn(mut f: impl FnMut(usize) -> $e) -> Self {
                <$t>::new(core::array::from_fn(|i| f(i)))
            }
            #[inline(always)]
            fn store(self, out: &mut [$e]) {
                let lanes = self.as_array();
                let n = out.len().min($w);
                out[..n].copy_from_slice(&lanes[..n]);
            }
        }
    };
}
simd_lanes!(f64x4, f64, 4, "f64x4");
simd_lanes!(f64x8, f64, 8, "f64x8");
simd_lanes!(f32x8, f32, 8, "f32x8");
simd_lanes!(f32x16, f32, 16, "f32x16");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poison_is_not_produced_by_arithmetic() {
        let zero = std::hint::black_box(0.0f64);
        assert!(!(f64::NAN + 1.0).is_poison());
        assert!(!(zero / zero).is_poison());
        assert!(!(f64::INFINITY - f64::INFINITY).is_poison());
        assert!(f64::poison().is_nan() && f64::poison().is_poison());
        assert!(!(zero as f32 / zero as f32).is_poison());
        assert!(f32::poison().is_nan() && f32::poison().is_poison());
    }

    #[test]
    fn store_writes_a_prefix() {
        let v = <f64x8 as Lanes>::from_fn(|i| i as f64 + 1.0);
        let mut out = [0.0; 3];
        v.store(&mut out);
        assert_eq!(out, [1.0, 2.0, 3.0]);
        let mut long = [0.0; 10];
        v.store(&mut long);
        assert_eq!(long[7], 8.0);
        assert_eq!(long[8], 0.0);
    }
}
