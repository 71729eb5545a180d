//! Multi-lane dual numbers: a value and `K` lane vectors of tangents.
//!
//! `Dual<V, T, K>` carries the value `V` and `K` vectors of type `T`, so
//! `K * T::WIDTH` directional derivatives travel through the program together. Every
//! operation applies the chain rule to all directions at once.
//!
//! * Tangent-lane mode: `V = f64`, `T = f64x8` (or any [`Lanes`] type); the value is
//!   broadcast when it scales a tangent.
//! * One-lane scalar oracle: `V = T = f64` (or `f32`), used as the reference in tests.
//! * Batch-lane mode (value and tangents are lane vectors over points) plugs in through
//!   [`Tangent`] without changing the rule table.
//!
//! The rules live in one table (`elementary_rules!` below): each elementary function is
//! one line, its value then its derivative, as in a calculus table.
//!
//! # Conventions where a function is not differentiable
//! * `abs` at 0 (either sign): derivative +1.
//! * `min`/`max` at a tie: the first argument and its tangents are returned; a NaN
//!   argument loses (as std's `min`/`max`).
//! * `sqrt` at 0: derivative +inf, so a nonzero tangent becomes inf and a zero tangent
//!   becomes NaN (IEEE 0 * inf). `cbrt` at 0 likewise.
//! * `hypot` at the origin: derivative 0 in both arguments. `atan2` at the origin: NaN.
//! * `signum`: derivative 0 everywhere (also at 0).
//! * `pow(x, e)` with a variable exponent: at `x = 0` the `d/de` term is taken as 0 (the
//!   limit of `x^e ln x` for `e > 0`); at `x < 0` it is NaN (not a real number). Use
//!   `powi` or `powf` for constant exponents.

use crate::lanes::{Float, Lanes};
use crate::real::Value;
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// `[e(0), ..., e(K - 1)]` for the `[T; K]` tangents of the operators below, written as
/// a plain loop: `core::array::from_fn` instantiates its machinery once per closure,
/// that is per operator and dual type, some 400 copies in the `it` test crate (the same
/// machine code after optimisation, far more to optimise). `T` and `K` are the names at
/// the call site.
macro_rules! tangents {
    (|$k:ident| $e:expr) => {{
        let mut out = [T::zero(); K];
        for $k in 0..K {
            out[$k] = $e;
        }
        out
    }};
}

/// How tangent lanes of type `Self` are scaled by, and selected with, values of type `V`.
///
/// For a scalar value (`V = f64`) the value is broadcast to every lane; for batch-lane
/// mode (`V` itself a lane vector) it is used lane by lane.
///
/// ```
/// use batchjac::Tangent;
/// use wide::f64x4;
/// let scale = <f64x4 as Tangent<f64>>::broadcast(2.5);
/// assert_eq!(scale.to_array(), [2.5; 4]);
/// let (a, b) = (f64x4::splat(1.0), f64x4::splat(-1.0));
/// assert_eq!(<f64x4 as Tangent<f64>>::select(false, a, b).to_array(), [-1.0; 4]);
/// ```
pub trait Tangent<V: Value>: Lanes {
    /// The lane vector that multiplies a tangent by `v`.
    ///
    /// ```
    /// use batchjac::Tangent;
    /// use wide::{f64x4, f64x8};
    /// // A scalar value is copied to every lane; a lane-vector value is used as it is.
    /// assert_eq!(<f64x8 as Tangent<f64>>::broadcast(0.5).to_array(), [0.5; 8]);
    /// let v = f64x4::from([1.0, 2.0, 3.0, 4.0]);
    /// assert_eq!(<f64x4 as Tangent<f64x4>>::broadcast(v).to_array(), v.to_array());
    /// ```
    fn broadcast(v: V) -> Self;
    /// `a` where `mask` is set, `b` elsewhere.
    ///
    /// ```
    /// use batchjac::{Tangent, Value};
    /// use wide::f64x4;
    /// let mask = Value::lt(f64x4::from([1.0, 5.0, 2.0, 7.0]), f64x4::splat(3.0));
    /// let (a, b) = (f64x4::splat(1.0), f64x4::splat(-1.0));
    /// assert_eq!(<f64x4 as Tangent<f64x4>>::select(mask, a, b).to_array(), [1.0, -1.0, 1.0, -1.0]);
    /// ```
    fn select(mask: V::Mask, a: Self, b: Self) -> Self;
}

impl<L: Lanes<Elem = f64>> Tangent<f64> for L {
    #[inline(always)]
    fn broadcast(v: f64) -> Self {
        L::splat(v)
    }
    #[inline(always)]
    fn select(mask: bool, a: Self, b: Self) -> Self {
        if mask { a } else { b }
    }
}

impl<L: Lanes<Elem = f32>> Tangent<f32> for L {
    #[inline(always)]
    fn broadcast(v: f32) -> Self {
        L::splat(v)
    }
    #[inline(always)]
    fn select(mask: bool, a: Self, b: Self) -> Self {
        if mask { a } else { b }
    }
}

/// Plain (derivative-free) evaluation in element type `E`: a dual number with no
/// tangents, whose value is computed by exactly `E`'s own operations.
///
/// It exists for `f32`: a [`crate::VectorFn`] is generic over [`crate::Real`], which
/// needs `f64`-constant operators that Rust's orphan rule forbids implementing for
/// `f32` outside std (see [`crate::real`]). `Scalar<f32>` is a local type, so it has
/// them. The finite-difference and Taylor checks evaluate through `Scalar<E>` for f32
/// and f64 alike (for f64 its values are bit for bit those of plain `f64`).
///
/// ```
/// use batchjac::{Real, Scalar};
/// fn f<R: Real>(x: R) -> R { x * 10.0 + 1.0 }
/// assert_eq!(f(Scalar::<f32>::from(0.5f32)).value, 6.0f32);
/// ```
pub type Scalar<E> = Dual<E, E, 0>;

impl<E: Float + Value + Tangent<E>> From<E> for Dual<E, E, 0> {
    #[inline(always)]
    fn from(value: E) -> Self {
        Dual {
            value,
            tangents: [],
        }
    }
}

/// A dual number: value `V` plus `K` lane vectors of tangents (`K * T::WIDTH` directions).
///
/// ```
/// use batchjac::{Dual, Value};
/// use wide::f64x4;
/// // x = 2 with tangent direction 0, then f(x) = 10 x^3 + 1: f' = 120.
/// let x = Dual::<f64, f64x4, 1>::unit(2.0, 0);
/// let y = x.powi(3) * 10.0 + 1.0;
/// assert_eq!(y.value, 81.0);
/// assert_eq!(y.tangent(0), 120.0);
/// assert_eq!(y.tangent(1), 0.0);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Dual<V, T, const K: usize> {
    /// The primal value.
    pub value: V,
    /// The tangents: direction `d` is lane `d % T::WIDTH` of `tangents[d / T::WIDTH]`.
    pub tangents: [T; K],
}

impl<V: Value, T: Tangent<V>, const K: usize> Dual<V, T, K> {
    /// Number of directions carried: `K * T::WIDTH`.
    ///
    /// ```
    /// use batchjac::Dual;
    /// use wide::{f32x8, f64x8};
    /// assert_eq!(Dual::<f64, f64x8, 2>::DIRECTIONS, 16);
    /// assert_eq!(Dual::<f32, f32x8, 1>::DIRECTIONS, 8);
    /// ```
    pub const DIRECTIONS: usize = K * T::WIDTH;

    /// A constant: all tangents zero.
    ///
    /// ```
    /// use batchjac::Dual;
    /// use wide::f64x4;
    /// let c = Dual::<f64, f64x4, 1>::constant(3.0);
    /// let x = Dual::<f64, f64x4, 1>::unit(2.0, 0);
    /// assert_eq!(c.tangent(0), 0.0);
    /// assert_eq!((c * x).tangent(0), 3.0); // d(3 x)/dx
    /// ```
    #[inline(always)]
    pub fn constant(value: V) -> Self {
        Dual {
            value,
            tangents: [T::zero(); K],
        }
    }

    /// Applies the chain rule for a unary function with value `value` and derivative
    /// `derivative` at `self.value`.
    #[inline(always)]
    fn chain(self, value: V, derivative: V) -> Self {
        let d = T::broadcast(derivative);
        Dual {
            value,
            tangents: tangents!(|k| self.tangents[k] * d),
        }
    }

    /// The chain rule for a binary function: `t = da * a.t + db * b.t`.
    #[inline(always)]
    fn chain2(a: Self, b: Self, value: V, da: V, db: V) -> Self {
        let (da, db) = (T::broadcast(da), T::broadcast(db));
        Dual {
            value,
            tangents: tangents!(|k| a.tangents[k].mul_add(da, b.tangents[k] * db)),
        }
    }
}

impl<E, T, const K: usize> Dual<E, T, K>
where
    E: Float + Value,
    T: Tangent<E> + Lanes<Elem = E>,
{
    /// A variable with tangent 1 in direction `direction` and 0 in every other one (no
    /// direction is set when `direction >= DIRECTIONS`).
    ///
    /// ```
    /// use batchjac::Dual;
    /// use wide::f64x4;
    /// let x = Dual::<f64, f64x4, 2>::unit(1.5, 5);
    /// let tangents: Vec<f64> = (0..8).map(|d| x.tangent(d)).collect();
    /// assert_eq!(tangents, [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    /// assert_eq!(x.value, 1.5);
    /// ```
    #[inline(always)]
    pub fn unit(value: E, direction: usize) -> Self {
        let mut tangents = [T::zero(); K];
        if direction < Self::DIRECTIONS {
            let (k, lane) = (direction / T::WIDTH, direction % T::WIDTH);
            let one = <E as Float>::from_f64(1.0);
            tangents[k] = T::from_fn(|i| if i == lane { one } else { E::default() });
        }
        Dual { value, tangents }
    }

    /// A variable whose tangent in direction `d` is `seed[d]` (zero past `seed.len()`).
    ///
    /// ```
    /// use batchjac::Dual;
    /// use wide::f64x4;
    /// // x = 2 moving at rates 1 and -3 in two directions: x^2 moves at 4 and -12.
    /// let x = Dual::<f64, f64x4, 1>::seeded(2.0, &[1.0, -3.0]);
    /// let y = x * x;
    /// assert_eq!((y.tangent(0), y.tangent(1), y.tangent(2)), (4.0, -12.0, 0.0));
    /// ```
    #[inline(always)]
    pub fn seeded(value: E, seed: &[E]) -> Self {
        let tangents = core::array::from_fn(|k| {
            T::from_fn(|lane| seed.get(k * T::WIDTH + lane).copied().unwrap_or_default())
        });
        Dual { value, tangents }
    }

    /// The tangent in direction `d` (`d < DIRECTIONS`).
    ///
    /// ```
    /// use batchjac::{Dual, Value};
    /// use wide::f64x4;
    /// let y = Dual::<f64, f64x4, 1>::unit(0.0, 1).exp(); // d(e^x)/dx at 0 in direction 1
    /// assert_eq!((y.tangent(0), y.tangent(1)), (0.0, 1.0));
    /// ```
    #[inline(always)]
    pub fn tangent(&self, d: usize) -> E {
        self.tangents[d / T::WIDTH].lane(d % T::WIDTH)
    }

    /// Writes the first `out.len()` directions (at most `DIRECTIONS`) into `out`.
    ///
    /// ```
    /// use batchjac::Dual;
    /// use wide::f64x4;
    /// let y = Dual::<f64, f64x4, 1>::seeded(1.0, &[1.0, 2.0, 3.0]) * 2.0;
    /// let mut out = [0.0; 3];
    /// y.write_tangents(&mut out);
    /// assert_eq!(out, [2.0, 4.0, 6.0]);
    /// ```
    #[inline(always)]
    pub fn write_tangents(&self, out: &mut [E]) {
        for (k, chunk) in out.chunks_mut(T::WIDTH).take(K).enumerate() {
            self.tangents[k].store(chunk);
        }
    }
}

// ---------------------------------------------------------------------------
// Arithmetic operators: the product and quotient rules.

impl<V: Value, T: Tangent<V>, const K: usize> Add for Dual<V, T, K> {
    type Output = Self;
    #[inline(always)]
    fn add(self, rhs: Self) -> Self {
        Dual {
            value: self.value + rhs.value,
            tangents: tangents!(|k| self.tangents[k] + rhs.tangents[k]),
        }
    }
}

impl<V: Value, T: Tangent<V>, const K: usize> Sub for Dual<V, T, K> {
    type Output = Self;
    #[inline(always)]
    fn sub(self, rhs: Self) -> Self {
        Dual {
            value: self.value - rhs.value,
            tangents: tangents!(|k| self.tangents[k] - rhs.tangents[k]),
        }
    }
}

impl<V: Value, T: Tangent<V>, const K: usize> Mul for Dual<V, T, K> {
    type Output = Self;
    /// (a b)' = a' b + a b'
    #[inline(always)]
    fn mul(self, rhs: Self) -> Self {
        Self::chain2(self, rhs, self.value * rhs.value, rhs.value, self.value)
    }
}

impl<V: Value, T: Tangent<V>, const K: usize> Div for Dual<V, T, K> {
    type Output = Self;
    /// (a / b)' = (a' - (a / b) b') / b
    #[inline(always)]
    fn div(self, rhs: Self) -> Self {
        let inv = rhs.value.recip();
        let q = self.value * inv;
        Self::chain2(self, rhs, self.value / rhs.value, inv, -(q * inv))
    }
}

impl<V: Value, T: Tangent<V>, const K: usize> Neg for Dual<V, T, K> {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        Dual {
            value: -self.value,
            tangents: tangents!(|k| -self.tangents[k]),
        }
    }
}

/// Operators with a constant (`f64`, converted to the value type) on either side. A
/// constant has no tangents, so `+` and `-` leave them alone and `*`, `/` scale them.
impl<V: Value, T: Tangent<V>, const K: usize> Add<f64> for Dual<V, T, K> {
    type Output = Self;
    #[inline(always)]
    fn add(self, rhs: f64) -> Self {
        Dual {
            value: self.value + V::from_f64(rhs),
            tangents: self.tangents,
        }
    }
}
impl<V: Value, T: Tangent<V>, const K: usize> Sub<f64> for Dual<V, T, K> {
    type Output = Self;
    #[inline(always)]
    fn sub(self, rhs: f64) -> Self {
        Dual {
            value: self.value - V::from_f64(rhs),
            tangents: self.tangents,
        }
    }
}
impl<V: Value, T: Tangent<V>, const K: usize> Mul<f64> for Dual<V, T, K> {
    type Output = Self;
    #[inline(always)]
    fn mul(self, rhs: f64) -> Self {
        self.scale(rhs)
    }
}
impl<V: Value, T: Tangent<V>, const K: usize> Div<f64> for Dual<V, T, K> {
    type Output = Self;
    /// (a / c)' = a' / c
    #[inline(always)]
    fn div(self, rhs: f64) -> Self {
        let c = V::from_f64(rhs);
        self.chain(self.value / c, c.recip())
    }
}
impl<V: Value, T: Tangent<V>, const K: usize> Add<Dual<V, T, K>> for f64 {
    type Output = Dual<V, T, K>;
    #[inline(always)]
    fn add(self, rhs: Dual<V, T, K>) -> Dual<V, T, K> {
        Dual {
            value: V::from_f64(self) + rhs.value,
            tangents: rhs.tangents,
        }
    }
}
impl<V: Value, T: Tangent<V>, const K: usize> Sub<Dual<V, T, K>> for f64 {
    type Output = Dual<V, T, K>;
    #[inline(always)]
    fn sub(self, rhs: Dual<V, T, K>) -> Dual<V, T, K> {
        Dual {
            value: V::from_f64(self) - rhs.value,
            tangents: tangents!(|k| -rhs.tangents[k]),
        }
    }
}
impl<V: Value, T: Tangent<V>, const K: usize> Mul<Dual<V, T, K>> for f64 {
    type Output = Dual<V, T, K>;
    #[inline(always)]
    fn mul(self, rhs: Dual<V, T, K>) -> Dual<V, T, K> {
        rhs.scale(self)
    }
}
impl<V: Value, T: Tangent<V>, const K: usize> Div<Dual<V, T, K>> for f64 {
    type Output = Dual<V, T, K>;
    /// (c / b)' = -(c / b) b' / b
    #[inline(always)]
    fn div(self, rhs: Dual<V, T, K>) -> Dual<V, T, K> {
        let q = V::from_f64(self) / rhs.value;
        rhs.chain(q, -(q / rhs.value))
    }
}

macro_rules! assign_ops {
    ($($trait:ident $method:ident $op:ident),*) => {$(
        impl<V: Value, T: Tangent<V>, const K: usize> $trait for Dual<V, T, K> {
            #[inline(always)]
            fn $method(&mut self, rhs: Self) {
                *self = (*self).$op(rhs);
            }
        }
        impl<V: Value, T: Tangent<V>, const K: usize> $trait<f64> for Dual<V, T, K> {
            #[inline(always)]
            fn $method(&mut self, rhs: f64) {
                *self = (*self).$op(rhs);
            }
        }
    )*};
}
assign_ops!(AddAssign add_assign add, SubAssign sub_assign sub, MulAssign mul_assign mul, DivAssign div_assign div);

/// The rule table. Each line: `name: |x, y| value, derivative;` where `x` is the
/// argument's value and `y` the function's value, both of type `V`.
macro_rules! elementary_rules {
    ($($name:ident: |$x:ident, $y:ident| $value:expr, $derivative:expr;)*) => {$(
        #[inline(always)]
        fn $name(self) -> Self {
            let $x = self.value;
            let $y = $value;
            let derivative = $derivative;
            self.chain($y, derivative)
        }
    )*};
}

impl<V: Value, T: Tangent<V>, const K: usize> Value for Dual<V, T, K> {
    type Mask = V::Mask;
    const POINTS: usize = V::POINTS;

    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        Self::constant(V::from_f64(v))
    }
    #[inline(always)]
    fn scale(self, c: f64) -> Self {
        let c = V::from_f64(c);
        self.chain(self.value * c, c)
    }
    #[inline(always)]
    fn primal(&self) -> f64 {
        self.value.primal()
    }
    /// The poison pattern in the value and in every tangent lane: the batch-lane loop
    /// for small functions checks an output's first tangent, the other paths its value,
    /// and an output set to `poison()` is caught by both.
    #[inline(always)]
    fn poison() -> Self {
        Dual {
            value: V::poison(),
            tangents: [T::splat(crate::lanes::Float::poison()); K],
        }
    }
    #[inline(always)]
    fn set_poison(&mut self) {
        self.value = V::poison();
    }
    #[inline(always)]
    fn is_poison(&self) -> bool {
        self.value.is_poison()
    }
    #[inline(always)]
    fn lt(self, rhs: Self) -> V::Mask {
        self.value.lt(rhs.value)
    }
    #[inline(always)]
    fn le(self, rhs: Self) -> V::Mask {
        self.value.le(rhs.value)
    }
    #[inline(always)]
    fn gt(self, rhs: Self) -> V::Mask {
        self.value.gt(rhs.value)
    }
    #[inline(always)]
    fn ge(self, rhs: Self) -> V::Mask {
        self.value.ge(rhs.value)
    }
    #[inline(always)]
    fn eq(self, rhs: Self) -> V::Mask {
        self.value.eq(rhs.value)
    }
    #[inline(always)]
    fn is_nan(self) -> V::Mask {
        self.value.is_nan()
    }
    #[inline(always)]
    fn is_finite(self) -> V::Mask {
        self.value.is_finite()
    }
    #[inline(always)]
    fn select(mask: V::Mask, if_true: Self, if_false: Self) -> Self {
        Dual {
            value: V::select(mask, if_true.value, if_false.value),
            tangents: tangents!(|k| T::select(mask, if_true.tangents[k], if_false.tangents[k])),
        }
    }

    elementary_rules! {
        recip:  |x, y| x.recip(),  -(y * y);
        sqrt:   |x, y| x.sqrt(),   (y + y).recip();
        cbrt:   |x, y| x.cbrt(),   (V::from_f64(3.0) * y * y).recip();
        exp:    |x, y| x.exp(),    y;
        exp2:   |x, y| x.exp2(),   y * V::from_f64(core::f64::consts::LN_2);
        exp_m1: |x, y| x.exp_m1(), exp_m1_derivative(x, y);
        ln:     |x, y| x.ln(),     x.recip();
        log2:   |x, y| x.log2(),   (x * V::from_f64(core::f64::consts::LN_2)).recip();
        log10:  |x, y| x.log10(),  (x * V::from_f64(core::f64::consts::LN_10)).recip();
        ln_1p:  |x, y| x.ln_1p(),  (x + V::from_f64(1.0)).recip();
        tan:    |x, y| x.tan(),    y.mul_add(y, V::from_f64(1.0));
        asin:   |x, y| x.asin(),   one_minus_square(x).sqrt().recip();
        acos:   |x, y| x.acos(),   -one_minus_square(x).sqrt().recip();
        atan:   |x, y| x.atan(),   x.mul_add(x, V::from_f64(1.0)).recip();
        sinh:   |x, y| x.sinh(),   x.cosh();
        cosh:   |x, y| x.cosh(),   x.sinh();
        tanh:   |x, y| x.tanh(),   tanh_derivative(x, y);
        asinh:  |x, y| x.asinh(),  x.hypot(V::from_f64(1.0)).recip();
        acosh:  |x, y| x.acosh(),  ((x - V::from_f64(1.0)) * (x + V::from_f64(1.0))).sqrt().recip();
        atanh:  |x, y| x.atanh(),  one_minus_square(x).recip();
        signum: |x, y| x.signum(), V::from_f64(0.0);
    }

    #[inline(always)]
    fn sin(self) -> Self {
        let (s, c) = self.value.sin_cos();
        self.chain(s, c)
    }
    #[inline(always)]
    fn cos(self) -> Self {
        let (s, c) = self.value.sin_cos();
        self.chain(c, -s)
    }
    #[inline(always)]
    fn sin_cos(self) -> (Self, Self) {
        let (s, c) = self.value.sin_cos();
        (self.chain(s, c), self.chain(c, -s))
    }
    #[inline(always)]
    fn powi(self, n: i32) -> Self {
        let x = self.value;
        let derivative = match n {
            0 => V::from_f64(0.0),
            1 => V::from_f64(1.0),
            // n x^(n-1); for n = i32::MIN, n - 1 does not exist as an i32 (it used to
            // wrap to i32::MAX in release builds): x^(n-1) = x^n / x there.
            _ => match n.checked_sub(1) {
                Some(k) => V::from_f64(n as f64) * x.powi(k),
                None => V::from_f64(n as f64) * (x.powi(n) / x),
            },
        };
        self.chain(x.powi(n), derivative)
    }
    #[inline(always)]
    fn powf(self, n: f64) -> Self {
        let x = self.value;
        let derivative = if n == 0.0 {
            V::from_f64(0.0)
        } else {
            V::from_f64(n) * x.powf(n - 1.0)
        };
        self.chain(x.powf(n), derivative)
    }
    /// d(x^e) = e x^(e-1) dx + x^e ln(x) de
    #[inline(always)]
    fn pow(self, exponent: Self) -> Self {
        let (x, e) = (self.value, exponent.value);
        let zero = V::from_f64(0.0);
        let y = x.pow(e);
        let mut dx = e * y / x;
        let mut de = y * x.ln();
        let at_zero = x.eq(zero);
        if crate::real::Mask::any(at_zero) {
            // x^(e-1) directly, since y / x is 0 / 0 there; d/de: the limit 0.
            let direct = V::select(e.eq(zero), zero, e * x.pow(e - V::from_f64(1.0)));
            dx = V::select(at_zero, direct, dx);
            de = V::select(at_zero, zero, de);
        }
        Self::chain2(self, exponent, y, dx, de)
    }
    /// d atan2(y, x) = (x dy - y dx) / (x^2 + y^2)
    #[inline(always)]
    fn atan2(self, x: Self) -> Self {
        let (yv, xv) = (self.value, x.value);
        let inv = xv.mul_add(xv, yv * yv).recip();
        Self::chain2(self, x, yv.atan2(xv), xv * inv, -(yv * inv))
    }
    #[inline(always)]
    fn abs(self) -> Self {
        let positive = self.value.ge(V::from_f64(0.0));
        Dual {
            value: self.value.abs(),
            tangents: tangents!(|k| T::select(positive, self.tangents[k], -self.tangents[k])),
        }
    }
    #[inline(always)]
    fn min(self, other: Self) -> Self {
        let take_self = self.value.le(other.value) | other.value.is_nan();
        Self::select(take_self, self, other)
    }
    #[inline(always)]
    fn max(self, other: Self) -> Self {
        let take_self = self.value.ge(other.value) | other.value.is_nan();
        Self::select(take_self, self, other)
    }
    /// d hypot(a, b) = (a da + b db) / hypot(a, b); 0 at the origin.
    #[inline(always)]
    fn hypot(self, other: Self) -> Self {
        let (a, b) = (self.value, other.value);
        let zero = V::from_f64(0.0);
        let h = a.hypot(b);
        let origin = h.eq(zero);
        let inv = V::select(origin, zero, h.recip());
        Self::chain2(self, other, h, a * inv, b * inv)
    }
    /// (a b + c)' = a' b + a b' + c'
    #[inline(always)]
    fn mul_add(self, a: Self, b: Self) -> Self {
        let (sv, av) = (T::broadcast(self.value), T::broadcast(a.value));
        Dual {
            value: self.value.mul_add(a.value, b.value),
            tangents: tangents!(|k| {
                self.tangents[k].mul_add(av, a.tangents[k].mul_add(sv, b.tangents[k]))
            }),
        }
    }
}

/// 1 - x^2 computed as (1 - x)(1 + x), which keeps relative accuracy near |x| = 1.
#[inline(always)]
fn one_minus_square<V: Value>(x: V) -> V {
    let one = V::from_f64(1.0);
    (one - x) * (one + x)
}

/// tanh' = 1 - y^2 with y = tanh x. Formed from the rounded y, 1 - y^2 carries y's
/// absolute rounding error (eps / 2), which is large relative to the derivative once |y|
/// nears 1: in f32 it is 2e-4 off at x = 5 and 0 (not 5e-8) past x = 9; in f64, 0 past
/// x = 19. Where |y| > 3/4 (1 - y^2 < 7/16, at most a factor 2.3 of lost accuracy below)
/// use 4 e^-2|x| / (1 + e^-2|x|)^2 = (2e / (1 + e^2))^2 with e = e^-|x|: no cancellation,
/// no overflow, a few ulp.
#[inline(always)]
fn tanh_derivative<V: Value>(x: V, y: V) -> V {
    let near_one = one_minus_square(y);
    let saturated = y.abs().gt(V::from_f64(0.75));
    if crate::real::Mask::any(saturated) {
        let e = (-x.abs()).exp();
        let root = (e + e) / e.mul_add(e, V::from_f64(1.0));
        V::select(saturated, root * root, near_one)
    } else {
        near_one
    }
}

/// exp_m1' = e^x = y + 1 with y = e^x - 1. Formed from the rounded y, y + 1 carries y's
/// absolute rounding error where y nears -1 (x well below 0): in f32 it is 4e-4 off at
/// x = -10 and 0 past x = -17. Where x < -1/2 (y + 1 > 0.6 above, so at most a factor
/// 1.7 lost there), use e^x itself.
#[inline(always)]
fn exp_m1_derivative<V: Value>(x: V, y: V) -> V {
    let shifted = y + V::from_f64(1.0);
    let negative = x.lt(V::from_f64(-0.5));
    if crate::real::Mask::any(negative) {
        V::select(negative, x.exp(), shifted)
    } else {
        shifted
    }
}
