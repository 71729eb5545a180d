//! A single f64 dressed as a one-lane vector, so that the kernel macro of `kernels`
//! compiles for the scalar path too (`kernels_scalar`): the same operations in the same
//! order as on every lane of `f64x4` and `f64x8`, hence the same bits, but in scalar
//! registers, with the bit manipulations (exponents, table indices) on the integer
//! units and the lane masks as plain booleans (a branch or a conditional move instead of
//! a vector blend and a move-mask). Each operation matches `wide`'s lane operation
//! exactly, special values included (see the tests of `crate::simd`, which compare the
//! scalar path with the lane types bit for bit).

use core::ops::{
    Add, AddAssign, BitAnd, BitOr, BitXor, Div, Mul, MulAssign, Neg, Not, Shl, Shr, Sub,
};

/// One f64 with the lane-vector methods the kernels use.
#[derive(Clone, Copy, Debug)]
pub(crate) struct S(pub f64);

/// The bits of an [`S`] (`u64x4`'s role: wrapping integer arithmetic and shifts).
#[derive(Clone, Copy, Debug)]
pub(crate) struct SU(pub u64);

/// The result of comparing [`S`] values (the lane mask of a one-lane vector).
#[derive(Clone, Copy, Debug)]
pub(crate) struct SM(pub bool);

impl S {
    #[inline(always)]
    pub fn splat(v: f64) -> Self {
        S(v)
    }
    #[inline(always)]
    pub fn new(lanes: [f64; 1]) -> Self {
        S(lanes[0])
    }
    #[inline(always)]
    pub fn to_array(self) -> [f64; 1] {
        [self.0]
    }
    /// Fused where `wide` fuses (the hardware has FMA), as `Lanes::mul_add` of f64.
    #[inline(always)]
    pub fn mul_add(self, a: Self, b: Self) -> Self {
        if cfg!(target_feature = "fma") {
            S(self.0.mul_add(a.0, b.0))
        } else {
            S(self.0 * a.0 + b.0)
        }
    }
    #[inline(always)]
    pub fn round_ties_even(self) -> Self {
        S(self.0.round_ties_even())
    }
    #[inline(always)]
    pub fn floor(self) -> Self {
        S(self.0.floor())
    }
    #[inline(always)]
    pub fn abs(self) -> Self {
        S(self.0.abs())
    }
    #[inline(always)]
    pub fn sqrt(self) -> Self {
        S(self.0.sqrt())
    }
    /// `wide`'s `min`: `rhs` unless `self < rhs` or `rhs` is NaN (so a NaN `self`
    /// gives `rhs`, and of two zeros the second wins).
    #[inline(always)]
    pub fn min(self, rhs: Self) -> Self {
        if rhs.0.is_nan() || self.0 < rhs.0 {
            self
        } else {
            rhs
        }
    }
    /// `wide`'s `max`, the mirror of [`S::min`].
    #[inline(always)]
    pub fn max(self, rhs: Self) -> Self {
        if rhs.0.is_nan() || self.0 > rhs.0 {
            self
        } else {
            rhs
        }
    }
    #[inline(always)]
    pub fn copysign(self, sign: Self) -> Self {
        S(self.0.copysign(sign.0))
    }
    #[inline(always)]
    pub fn to_bits(self) -> SU {
        SU(self.0.to_bits())
    }
    #[inline(always)]
    pub fn from_bits(bits: SU) -> Self {
        S(f64::from_bits(bits.0))
    }
    #[inline(always)]
    pub fn simd_lt(self, rhs: Self) -> SM {
        SM(self.0 < rhs.0)
    }
    #[inline(always)]
    pub fn simd_le(self, rhs: Self) -> SM {
        SM(self.0 <= rhs.0)
    }
    #[inline(always)]
    pub fn simd_gt(self, rhs: Self) -> SM {
        SM(self.0 > rhs.0)
    }
    #[inline(always)]
    pub fn simd_ge(self, rhs: Self) -> SM {
        SM(self.0 >= rhs.0)
    }
    #[inline(always)]
    pub fn simd_eq(self, rhs: Self) -> SM {
        SM(self.0 == rhs.0)
    }
    #[inline(always)]
    pub fn simd_ne(self, rhs: Self) -> SM {
        SM(self.0 != rhs.0)
    }
    #[inline(always)]
    pub fn is_nan(self) -> SM {
        SM(self.0.is_nan())
    }
    #[inline(always)]
    pub fn is_finite(self) -> SM {
        SM(self.0.is_finite())
    }
    #[inline(always)]
    pub fn is_sign_negative(self) -> SM {
        SM(self.0.is_sign_negative())
    }
}

impl SM {
    #[inline(always)]
    pub fn select(self, a: S, b: S) -> S {
        if self.0 { a } else { b }
    }
    #[inline(always)]
    pub fn all(self) -> bool {
        self.0
    }
    #[inline(always)]
    pub fn any(self) -> bool {
        self.0
    }
    /// The lane as `wide`'s masks hold it (all bits set or none), for code that reads
    /// mask lanes through their bits.
    #[inline(always)]
    pub fn to_array(self) -> [f64; 1] {
        [f64::from_bits(if self.0 { u64::MAX } else { 0 })]
    }
}

impl SU {
    #[inline(always)]
    pub fn splat(v: u64) -> Self {
        SU(v)
    }
    #[inline(always)]
    pub fn to_array(self) -> [u64; 1] {
        [self.0]
    }
    #[inline(always)]
    pub fn new(lanes: [u64; 1]) -> Self {
        SU(lanes[0])
    }
}

macro_rules! binary {
    ($t:ident, $trait:ident, $method:ident, $op:expr) => {
        impl $trait for $t {
            type Output = Self;
            #[inline(always)]
            fn $method(self, rhs: Self) -> Self {
                $t($op(self.0, rhs.0))
            }
        }
    };
}

binary!(S, Add, add, |a: f64, b: f64| a + b);
binary!(S, Sub, sub, |a: f64, b: f64| a - b);
binary!(S, Mul, mul, |a: f64, b: f64| a * b);
binary!(S, Div, div, |a: f64, b: f64| a / b);
binary!(SU, Add, add, u64::wrapping_add);
binary!(SU, Sub, sub, u64::wrapping_sub);
binary!(SU, BitAnd, bitand, |a: u64, b: u64| a & b);
binary!(SU, BitOr, bitor, |a: u64, b: u64| a | b);
binary!(SU, BitXor, bitxor, |a: u64, b: u64| a ^ b);
binary!(SM, BitAnd, bitand, |a: bool, b: bool| a & b);
binary!(SM, BitOr, bitor, |a: bool, b: bool| a | b);

impl Neg for S {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        S(-self.0)
    }
}

impl Not for SM {
    type Output = Self;
    #[inline(always)]
    fn not(self) -> Self {
        SM(!self.0)
    }
}

impl AddAssign for S {
    #[inline(always)]
    fn add_assign(&mut self, rhs: Self) {
        self.0 += rhs.0;
    }
}

impl MulAssign for S {
    #[inline(always)]
    fn mul_assign(&mut self, rhs: Self) {
        self.0 *= rhs.0;
    }
}

impl Shl<u32> for SU {
    type Output = Self;
    #[inline(always)]
    fn shl(self, n: u32) -> Self {
        SU(self.0 << n)
    }
}

impl Shr<u32> for SU {
    type Output = Self;
    #[inline(always)]
    fn shr(self, n: u32) -> Self {
        SU(self.0 >> n)
    }
}

/// Lane masks from integer lanes: set where the lane is odd.
pub(crate) trait OddLanes {
    /// The mask type of the matching f64 lanes.
    type Mask;
    /// The lanes whose lowest bit is set.
    fn odd_lanes(self) -> Self::Mask;
}

impl OddLanes for SU {
    type Mask = SM;
    #[inline(always)]
    fn odd_lanes(self) -> SM {
        SM(self.0 & 1 != 0)
    }
}

/// `OddLanes` for a `wide` integer vector: 0 - (lane & 1) is all ones or zero.
macro_rules! odd_lanes {
    ($u:ident, $f:ident) => {
        impl OddLanes for wide::$u {
            type Mask = wide::$f;
            #[inline(always)]
            fn odd_lanes(self) -> wide::$f {
                wide::$f::from_bits(wide::$u::splat(0) - (self & wide::$u::splat(1)))
            }
        }
    };
}
odd_lanes!(u64x4, f64x4);
odd_lanes!(u64x8, f64x8);
