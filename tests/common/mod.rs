//! Shared helpers of the integration tests: the `for_lane_types!` macro, the table of
//! elementary functions with their closed-form derivatives and domains, a central
//! finite-difference reference with an error bound, ulp distances, and a small random
//! program generator (expression trees over the whole `Real` set).
//!
//! Every reference here is independent of the dual code under test: closed forms are
//! written with std's `f64` methods, finite differences evaluate plain `f64`.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use batchjac::{Dual, Element, LaneType, Lanes, Real, Tangent, TangentDual, Value, VectorFn};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Runs one test body for every lane type: the one-lane scalar oracles (`f64`, `f32`)
/// and wide's `f64x4`, `f64x8`, `f32x8`, `f32x16`. Inside the body `E` is the element
/// type and `L` the lane type; dual types are written `Dual<E, L, K>`.
///
/// ```ignore
/// for_lane_types! {
///     fn my_property<E, L>() { let x = Dual::<E, L, 2>::unit(E::from_f64(1.0), 0); ... }
/// }
/// ```
macro_rules! for_lane_types {
    ($(#[$attr:meta])* fn $name:ident<$E:ident, $L:ident>() $body:block) => {
        $(#[$attr])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[test]
            fn scalar_f64() {
                #[allow(dead_code)]
                type $E = f64;
                #[allow(dead_code)]
                type $L = f64;
                $body
            }
            #[test]
            fn f64x4() {
                #[allow(dead_code)]
                type $E = f64;
                #[allow(dead_code)]
                type $L = wide::f64x4;
                $body
            }
            #[test]
            fn f64x8() {
                #[allow(dead_code)]
                type $E = f64;
                #[allow(dead_code)]
                type $L = wide::f64x8;
                $body
            }
            #[test]
            fn scalar_f32() {
                #[allow(dead_code)]
                type $E = f32;
                #[allow(dead_code)]
                type $L = f32;
                $body
            }
            #[test]
            fn f32x8() {
                #[allow(dead_code)]
                type $E = f32;
                #[allow(dead_code)]
                type $L = wide::f32x8;
                $body
            }
            #[test]
            fn f32x16() {
                #[allow(dead_code)]
                type $E = f32;
                #[allow(dead_code)]
                type $L = wide::f32x16;
                $body
            }
        }
    };
}

/// The [`LaneType`] that selects lane type `L` at run time.
pub fn lane_type<L: Lanes>() -> LaneType {
    match L::NAME {
        "scalar-f64" | "scalar-f32" => LaneType::Scalar,
        "f64x4" => LaneType::F64x4,
        "f64x8" => LaneType::F64x8,
        "f32x8" => LaneType::F32x8,
        "f32x16" => LaneType::F32x16,
        other => panic!("unknown lane type {other}"),
    }
}

/// `v` rounded to the element type `E`.
pub fn elem<E: Element>(v: f64) -> E {
    <E as batchjac::Float>::from_f64(v)
}

/// Machine epsilon of `E` as f64.
pub fn eps<E: Element>() -> f64 {
    <E as batchjac::Float>::EPSILON.to_f64()
}

/// A proptest runner with `cases` cases and no failure persistence (the runner is used
/// inside generic functions, where proptest cannot locate a source file to persist to).
pub fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Runs `test` on `strategy` and panics with `context` and proptest's minimal failing
/// case if it fails.
pub fn check<S: Strategy>(
    context: &str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    if let Err(e) = runner(cases).run(&strategy, test) {
        panic!("{context}: {e}");
    }
}

// One copy of the generator in the test binary: simd_cases (which the simd_accuracy
// example also includes) carries it.
pub use crate::simd_cases::Rng as SplitMix;

impl SplitMix {
    /// `len` values uniform in [lo, hi), rounded to `E`.
    pub fn vec<E: Element>(&mut self, len: usize, lo: f64, hi: f64) -> Vec<E> {
        (0..len).map(|_| elem::<E>(self.uniform(lo, hi))).collect()
    }
}

/// The distance from `got` to the correctly rounded `exact`, in units of the last place
/// of `exact` (f64).
pub fn ulps_f64(got: f64, exact: f64) -> f64 {
    if got == exact || (got.is_nan() && exact.is_nan()) {
        return 0.0;
    }
    let a = exact.abs();
    let ulp = if a == 0.0 {
        f64::from_bits(1)
    } else {
        f64::from_bits(a.to_bits() + 1) - a
    };
    (got - exact).abs() / ulp
}

/// [`ulps_f64`] for f32.
pub fn ulps_f32(got: f32, exact: f32) -> f64 {
    if got == exact || (got.is_nan() && exact.is_nan()) {
        return 0.0;
    }
    let a = exact.abs();
    let ulp = if a == 0.0 {
        f32::from_bits(1)
    } else {
        f32::from_bits(a.to_bits() + 1) - a
    };
    ((got as f64) - (exact as f64)).abs() / ulp as f64
}

/// Central difference `(f(x + h) - f(x - h)) / 2h` of a plain f64 function with an
/// error bound from the step-size analysis.
///
/// h = eps^(1/3) max(1, |x|) balances the two error terms: truncation `h^2 |f'''| / 6`
/// and rounding `eps |f| / h`. The truncation term is estimated from the same
/// difference at 2h (whose truncation error is 4 times larger: D(2h) - D(h) = 3 c h^2),
/// the rounding term from the magnitude of the function values (each evaluation is
/// within 1 ulp, x +- h is exact). The bound returned is twice their sum, plus the
/// rounding of the division itself.
pub fn central_difference(f: impl Fn(f64) -> f64, x: f64) -> (f64, f64) {
    central_difference_with_magnitude(f, x, 0.0)
}

/// [`central_difference`] for a function whose evaluation rounds intermediate values of
/// magnitude up to `magnitude` (larger than |f| where they cancel, as in a b + c): the
/// rounding term then scales with that magnitude rather than with |f|.
pub fn central_difference_with_magnitude(
    f: impl Fn(f64) -> f64,
    x: f64,
    magnitude: f64,
) -> (f64, f64) {
    let h0 = f64::EPSILON.cbrt() * x.abs().max(1.0);
    // Make x +- h exactly representable, so the step in the denominator is the step taken.
    let h = (x + h0) - x;
    let (fp, fm) = (f(x + h), f(x - h));
    let (fp2, fm2) = (f(x + 2.0 * h), f(x - 2.0 * h));
    let d1 = (fp - fm) / (2.0 * h);
    let d2 = (fp2 - fm2) / (4.0 * h);
    let truncation = (d2 - d1).abs() / 3.0;
    let magnitude = magnitude
        .max(fp.abs())
        .max(fm.abs())
        .max(fp2.abs())
        .max(fm2.abs());
    let rounding = 2.0 * f64::EPSILON * magnitude / h;
    (
        d1,
        2.0 * (truncation + rounding) + 4.0 * f64::EPSILON * d1.abs(),
    )
}

// ---------------------------------------------------------------------------------------
// The table of unary elementary functions.

/// A unary elementary operation of the `Real` set, or an operator with a constant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Unary {
    Neg,
    Recip,
    Sqrt,
    Cbrt,
    Powi(i32),
    Powf(f64),
    Exp,
    Exp2,
    ExpM1,
    Ln,
    Log2,
    Log10,
    Ln1p,
    Sin,
    Cos,
    Tan,
    /// The sine half of `sin_cos`.
    SinCosSin,
    /// The cosine half of `sin_cos`.
    SinCosCos,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
    Abs,
    Signum,
    /// `x.scale(c)`.
    Scale(f64),
    /// `x + c`, `x - c`, `c - x`, `x * c`, `c * x`, `x / c`, `c / x` with an f64 constant.
    AddConst(f64),
    SubConst(f64),
    ConstSub(f64),
    MulConst(f64),
    ConstMul(f64),
    DivConst(f64),
    ConstDiv(f64),
    /// `x += c`, `x -= c`, `x *= c`, `x /= c`.
    AddAssignConst(f64),
    SubAssignConst(f64),
    MulAssignConst(f64),
    DivAssignConst(f64),
}

impl Unary {
    /// Every operation of the table (several exponents and constants per operator).
    pub fn all() -> Vec<Unary> {
        vec![
            Unary::Neg,
            Unary::Recip,
            Unary::Sqrt,
            Unary::Cbrt,
            Unary::Powi(0),
            Unary::Powi(1),
            Unary::Powi(2),
            Unary::Powi(5),
            Unary::Powi(-3),
            Unary::Powf(2.5),
            Unary::Powf(-0.75),
            Unary::Powf(0.0),
            Unary::Exp,
            Unary::Exp2,
            Unary::ExpM1,
            Unary::Ln,
            Unary::Log2,
            Unary::Log10,
            Unary::Ln1p,
            Unary::Sin,
            Unary::Cos,
            Unary::Tan,
            Unary::SinCosSin,
            Unary::SinCosCos,
            Unary::Asin,
            Unary::Acos,
            Unary::Atan,
            Unary::Sinh,
            Unary::Cosh,
            Unary::Tanh,
            Unary::Asinh,
            Unary::Acosh,
            Unary::Atanh,
            Unary::Abs,
            Unary::Signum,
            Unary::Scale(-1.75),
            Unary::AddConst(1.25),
            Unary::SubConst(0.5),
            Unary::ConstSub(2.0),
            Unary::MulConst(-3.0),
            Unary::ConstMul(0.625),
            Unary::DivConst(-1.5),
            Unary::ConstDiv(3.0),
            Unary::AddAssignConst(0.75),
            Unary::SubAssignConst(-2.5),
            Unary::MulAssignConst(1.5),
            Unary::DivAssignConst(0.8),
        ]
    }

    /// An interval of the domain where the function is smooth and well conditioned in
    /// both f64 and f32, with room for the finite-difference steps.
    pub fn domain(self) -> (f64, f64) {
        match self {
            Unary::Recip | Unary::Powi(-3) | Unary::ConstDiv(_) => (0.1, 8.0),
            Unary::Sqrt | Unary::Powf(_) => (0.01, 50.0),
            Unary::Cbrt => (0.05, 30.0),
            Unary::Ln | Unary::Log2 | Unary::Log10 => (0.01, 50.0),
            Unary::Ln1p => (-0.9, 20.0),
            Unary::Exp | Unary::Exp2 => (-8.0, 8.0),
            // Far enough below 0 that exp_m1 x is within f32 rounding of -1.
            Unary::ExpM1 => (-30.0, 8.0),
            Unary::Sinh | Unary::Cosh => (-6.0, 6.0),
            // Past |x| = 9, tanh x rounds to +-1 in f32; past 19 in f64.
            Unary::Tanh => (-30.0, 30.0),
            Unary::Tan => (-1.4, 1.4),
            Unary::Asin | Unary::Acos | Unary::Atanh => (-0.99, 0.99),
            Unary::Acosh => (1.01, 30.0),
            Unary::Sin | Unary::Cos | Unary::SinCosSin | Unary::SinCosCos => (-10.0, 10.0),
            _ => (-6.0, 6.0),
        }
    }

    /// Applies the operation with the `Real` interface (constants with `from_f64`).
    pub fn apply_real<R: Value>(self, x: R) -> R {
        let c = |v: f64| R::from_f64(v);
        match self {
            Unary::Neg => -x,
            Unary::Recip => x.recip(),
            Unary::Sqrt => x.sqrt(),
            Unary::Cbrt => x.cbrt(),
            Unary::Powi(n) => x.powi(n),
            Unary::Powf(p) => x.powf(p),
            Unary::Exp => x.exp(),
            Unary::Exp2 => x.exp2(),
            Unary::ExpM1 => x.exp_m1(),
            Unary::Ln => x.ln(),
            Unary::Log2 => x.log2(),
            Unary::Log10 => x.log10(),
            Unary::Ln1p => x.ln_1p(),
            Unary::Sin => x.sin(),
            Unary::Cos => x.cos(),
            Unary::Tan => x.tan(),
            Unary::SinCosSin => x.sin_cos().0,
            Unary::SinCosCos => x.sin_cos().1,
            Unary::Asin => x.asin(),
            Unary::Acos => x.acos(),
            Unary::Atan => x.atan(),
            Unary::Sinh => x.sinh(),
            Unary::Cosh => x.cosh(),
            Unary::Tanh => x.tanh(),
            Unary::Asinh => x.asinh(),
            Unary::Acosh => x.acosh(),
            Unary::Atanh => x.atanh(),
            Unary::Abs => x.abs(),
            Unary::Signum => x.signum(),
            Unary::Scale(k) => x.scale(k),
            Unary::AddConst(k) | Unary::AddAssignConst(k) => x + c(k),
            Unary::SubConst(k) | Unary::SubAssignConst(k) => x - c(k),
            Unary::ConstSub(k) => c(k) - x,
            Unary::MulConst(k) | Unary::MulAssignConst(k) => x * c(k),
            Unary::ConstMul(k) => c(k) * x,
            Unary::DivConst(k) | Unary::DivAssignConst(k) => x / c(k),
            Unary::ConstDiv(k) => c(k) / x,
        }
    }

    /// Applies the operation to a dual number, using the dual's own operators with a
    /// plain `f64` constant where the operation has one.
    pub fn apply_dual<E, L, const K: usize>(self, x: Dual<E, L, K>) -> Dual<E, L, K>
    where
        E: Element,
        L: Tangent<E> + Lanes<Elem = E>,
    {
        match self {
            Unary::AddConst(k) => x + k,
            Unary::SubConst(k) => x - k,
            Unary::ConstSub(k) => k - x,
            Unary::MulConst(k) => x * k,
            Unary::ConstMul(k) => k * x,
            Unary::DivConst(k) => x / k,
            Unary::ConstDiv(k) => k / x,
            Unary::AddAssignConst(k) => {
                let mut y = x;
                y += k;
                y
            }
            Unary::SubAssignConst(k) => {
                let mut y = x;
                y -= k;
                y
            }
            Unary::MulAssignConst(k) => {
                let mut y = x;
                y *= k;
                y
            }
            Unary::DivAssignConst(k) => {
                let mut y = x;
                y /= k;
                y
            }
            other => other.apply_real(x),
        }
    }

    /// The closed-form derivative at `x`, from a table of derivatives, in f64.
    pub fn derivative(self, x: f64) -> f64 {
        use core::f64::consts::{LN_2, LN_10};
        match self {
            Unary::Neg => -1.0,
            Unary::Recip => -1.0 / (x * x),
            Unary::Sqrt => 0.5 / x.sqrt(),
            Unary::Cbrt => 1.0 / (3.0 * x.cbrt().powi(2)),
            Unary::Powi(0) => 0.0,
            Unary::Powi(n) => n as f64 * x.powi(n - 1),
            Unary::Powf(0.0) => 0.0,
            Unary::Powf(p) => p * x.powf(p - 1.0),
            Unary::Exp | Unary::ExpM1 => x.exp(),
            Unary::Exp2 => LN_2 * x.exp2(),
            Unary::Ln => 1.0 / x,
            Unary::Log2 => 1.0 / (x * LN_2),
            Unary::Log10 => 1.0 / (x * LN_10),
            Unary::Ln1p => 1.0 / (1.0 + x),
            Unary::Sin | Unary::SinCosSin => x.cos(),
            Unary::Cos | Unary::SinCosCos => -x.sin(),
            Unary::Tan => 1.0 / x.cos().powi(2),
            // 1 - x^2 as (1 - x)(1 + x): exact factors, no cancellation near |x| = 1.
            Unary::Asin => 1.0 / ((1.0 - x) * (1.0 + x)).sqrt(),
            Unary::Acos => -1.0 / ((1.0 - x) * (1.0 + x)).sqrt(),
            Unary::Atan => 1.0 / (1.0 + x * x),
            Unary::Sinh => x.cosh(),
            Unary::Cosh => x.sinh(),
            Unary::Tanh => 1.0 / x.cosh().powi(2),
            Unary::Asinh => 1.0 / (x * x + 1.0).sqrt(),
            Unary::Acosh => 1.0 / ((x - 1.0) * (x + 1.0)).sqrt(),
            Unary::Atanh => 1.0 / ((1.0 - x) * (1.0 + x)),
            Unary::Abs => x.signum(),
            Unary::Signum => 0.0,
            Unary::Scale(k)
            | Unary::MulConst(k)
            | Unary::ConstMul(k)
            | Unary::MulAssignConst(k) => k,
            Unary::AddConst(_) | Unary::SubConst(_) | Unary::AddAssignConst(_) => 1.0,
            Unary::SubAssignConst(_) => 1.0,
            Unary::ConstSub(_) => -1.0,
            Unary::DivConst(k) | Unary::DivAssignConst(k) => 1.0 / k,
            Unary::ConstDiv(k) => -k / (x * x),
        }
    }

    /// An absolute error allowance (relative to the largest derivative on the domain)
    /// for rules that round intermediate values larger than the derivative. None do
    /// now: tanh' and exp_m1', once formed from the rounded result y (1 - y^2 and y + 1,
    /// with eps of absolute error where |tanh x| and -exp_m1 x near 1), no longer are.
    pub fn absolute_allowance(self) -> f64 {
        0.0
    }

    /// The f64 function used by the finite-difference reference.
    pub fn value_f64(self, x: f64) -> f64 {
        self.apply_real(x)
    }
}

// ---------------------------------------------------------------------------------------
// Binary operations.

/// A binary operation of the `Real` set with two dual operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binary {
    Add,
    Sub,
    Mul,
    Div,
    AddAssign,
    SubAssign,
    MulAssign,
    DivAssign,
    Pow,
    Atan2,
    Hypot,
    Min,
    Max,
}

impl Binary {
    /// Every binary operation.
    pub const ALL: [Binary; 13] = [
        Binary::Add,
        Binary::Sub,
        Binary::Mul,
        Binary::Div,
        Binary::AddAssign,
        Binary::SubAssign,
        Binary::MulAssign,
        Binary::DivAssign,
        Binary::Pow,
        Binary::Atan2,
        Binary::Hypot,
        Binary::Min,
        Binary::Max,
    ];

    /// Domains of the two operands (smooth and well conditioned there).
    pub fn domain(self) -> ((f64, f64), (f64, f64)) {
        match self {
            Binary::Div | Binary::DivAssign => ((-5.0, 5.0), (0.2, 5.0)),
            Binary::Pow => ((0.1, 6.0), (-2.5, 2.5)),
            Binary::Atan2 | Binary::Hypot => ((0.2, 5.0), (-5.0, 5.0)),
            _ => ((-5.0, 5.0), (-5.0, 5.0)),
        }
    }

    /// Applies the operation with the `Real` interface.
    pub fn apply<R: Value>(self, a: R, b: R) -> R {
        match self {
            Binary::Add => a + b,
            Binary::Sub => a - b,
            Binary::Mul => a * b,
            Binary::Div => a / b,
            Binary::AddAssign => {
                let mut y = a;
                y += b;
                y
            }
            Binary::SubAssign => {
                let mut y = a;
                y -= b;
                y
            }
            Binary::MulAssign => {
                let mut y = a;
                y *= b;
                y
            }
            Binary::DivAssign => {
                let mut y = a;
                y /= b;
                y
            }
            Binary::Pow => a.pow(b),
            Binary::Atan2 => a.atan2(b),
            Binary::Hypot => a.hypot(b),
            Binary::Min => a.min(b),
            Binary::Max => a.max(b),
        }
    }

    /// The closed-form partial derivatives (d/da, d/db) at (a, b), in f64.
    pub fn partials(self, a: f64, b: f64) -> (f64, f64) {
        match self {
            Binary::Add | Binary::AddAssign => (1.0, 1.0),
            Binary::Sub | Binary::SubAssign => (1.0, -1.0),
            Binary::Mul | Binary::MulAssign => (b, a),
            Binary::Div | Binary::DivAssign => (1.0 / b, -a / (b * b)),
            Binary::Pow => (b * a.powf(b - 1.0), a.powf(b) * a.ln()),
            Binary::Atan2 => {
                let r2 = a * a + b * b;
                (b / r2, -a / r2)
            }
            Binary::Hypot => {
                let h = (a * a + b * b).sqrt();
                (a / h, b / h)
            }
            Binary::Min => {
                if a <= b {
                    (1.0, 0.0)
                } else {
                    (0.0, 1.0)
                }
            }
            Binary::Max => {
                if a >= b {
                    (1.0, 0.0)
                } else {
                    (0.0, 1.0)
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Random programs: expression trees over the whole Real set.

/// A guarded unary operation of a random program: each is total on the reals (the
/// argument is first mapped into the function's domain), so random compositions stay
/// finite and smooth almost everywhere.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op1 {
    Neg,
    Sin,
    Cos,
    SinCos,
    Atan,
    Tanh,
    Asinh,
    Abs,
    Signum,
    Scale,
    Cbrt,
    /// exp, exp2, exp_m1, sinh, cosh of atan(a) (bounded argument).
    Exp,
    Exp2,
    ExpM1,
    Sinh,
    Cosh,
    /// tan(0.9 atan(a)).
    Tan,
    /// ln, log2, log10, sqrt, recip, powi, powf of 1 + a^2; ln_1p of a^2.
    Ln,
    Log2,
    Log10,
    Ln1p,
    Sqrt,
    Recip,
    Powi,
    Powf,
    /// asin, acos, atanh of 0.9 tanh(a); acosh of 1.25 + a^2.
    Asin,
    Acos,
    Atanh,
    Acosh,
}

impl Op1 {
    /// Every guarded unary operation.
    pub const ALL: [Op1; 29] = [
        Op1::Neg,
        Op1::Sin,
        Op1::Cos,
        Op1::SinCos,
        Op1::Atan,
        Op1::Tanh,
        Op1::Asinh,
        Op1::Abs,
        Op1::Signum,
        Op1::Scale,
        Op1::Cbrt,
        Op1::Exp,
        Op1::Exp2,
        Op1::ExpM1,
        Op1::Sinh,
        Op1::Cosh,
        Op1::Tan,
        Op1::Ln,
        Op1::Log2,
        Op1::Log10,
        Op1::Ln1p,
        Op1::Sqrt,
        Op1::Recip,
        Op1::Powi,
        Op1::Powf,
        Op1::Asin,
        Op1::Acos,
        Op1::Atanh,
        Op1::Acosh,
    ];

    /// Applies the guarded operation.
    pub fn apply<R: Value>(self, a: R) -> R {
        let c = |v: f64| R::from_f64(v);
        let one_plus_square = || a * a + c(1.0);
        let squashed = || a.tanh() * c(0.9);
        match self {
            Op1::Neg => -a,
            Op1::Sin => a.sin(),
            Op1::Cos => a.cos(),
            Op1::SinCos => {
                let (s, co) = a.sin_cos();
                s - co * c(0.5)
            }
            Op1::Atan => a.atan(),
            Op1::Tanh => a.tanh(),
            Op1::Asinh => a.asinh(),
            Op1::Abs => a.abs(),
            Op1::Signum => a.signum(),
            Op1::Scale => a.scale(-1.5),
            Op1::Cbrt => a.cbrt(),
            Op1::Exp => a.atan().exp(),
            Op1::Exp2 => a.atan().exp2(),
            Op1::ExpM1 => a.atan().exp_m1(),
            Op1::Sinh => a.atan().sinh(),
            Op1::Cosh => a.atan().cosh(),
            Op1::Tan => (a.atan() * c(0.9)).tan(),
            Op1::Ln => one_plus_square().ln(),
            Op1::Log2 => one_plus_square().log2(),
            Op1::Log10 => one_plus_square().log10(),
            Op1::Ln1p => (a * a).ln_1p(),
            Op1::Sqrt => one_plus_square().sqrt(),
            Op1::Recip => one_plus_square().recip(),
            Op1::Powi => one_plus_square().powi(-2),
            Op1::Powf => one_plus_square().powf(0.75),
            Op1::Asin => squashed().asin(),
            Op1::Acos => squashed().acos(),
            Op1::Atanh => squashed().atanh(),
            Op1::Acosh => (a * a + c(1.25)).acosh(),
        }
    }
}

/// A binary operation of a random program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op2 {
    Add,
    Sub,
    Mul,
    /// a / (0.5 + b^2).
    Div,
    AddAssign,
    MulAssign,
    /// (0.5 + a^2)^tanh(b).
    Pow,
    Atan2,
    Hypot,
    Min,
    Max,
}

impl Op2 {
    /// Every binary operation.
    pub const ALL: [Op2; 11] = [
        Op2::Add,
        Op2::Sub,
        Op2::Mul,
        Op2::Div,
        Op2::AddAssign,
        Op2::MulAssign,
        Op2::Pow,
        Op2::Atan2,
        Op2::Hypot,
        Op2::Min,
        Op2::Max,
    ];

    /// Applies the guarded operation.
    pub fn apply<R: Value>(self, a: R, b: R) -> R {
        let c = |v: f64| R::from_f64(v);
        match self {
            Op2::Add => a + b,
            Op2::Sub => a - b,
            Op2::Mul => a * b,
            Op2::Div => a / (b * b + c(0.5)),
            Op2::AddAssign => {
                let mut y = a;
                y += b;
                y
            }
            Op2::MulAssign => {
                let mut y = a;
                y *= b;
                y
            }
            Op2::Pow => (a * a + c(0.5)).pow(b.tanh()),
            Op2::Atan2 => a.atan2(b),
            Op2::Hypot => a.hypot(b),
            Op2::Min => a.min(b),
            Op2::Max => a.max(b),
        }
    }
}

/// An expression tree over the inputs.
#[derive(Clone, Debug)]
pub enum Expr {
    Input(usize),
    Const(f64),
    Unary(Op1, Box<Expr>),
    Binary(Op2, Box<Expr>, Box<Expr>),
    /// a * b + c with `mul_add`.
    MulAdd(Box<[Expr; 3]>),
    /// select(a < b, c, d): a branch through the mask API.
    Select(Box<[Expr; 4]>),
}

impl Expr {
    /// Evaluates the tree.
    pub fn eval<R: Value>(&self, x: &[R]) -> R {
        match self {
            Expr::Input(j) => x[*j],
            Expr::Const(v) => R::from_f64(*v),
            Expr::Unary(op, a) => op.apply(a.eval(x)),
            Expr::Binary(op, a, b) => op.apply(a.eval(x), b.eval(x)),
            Expr::MulAdd(abc) => abc[0].eval(x).mul_add(abc[1].eval(x), abc[2].eval(x)),
            Expr::Select(abcd) => R::select(
                abcd[0].eval(x).lt(abcd[1].eval(x)),
                abcd[2].eval(x),
                abcd[3].eval(x),
            ),
        }
    }
}

/// Random expression trees over `m` inputs (depth at most 4).
pub fn expr_strategy(m: usize) -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        4 => (0..m).prop_map(Expr::Input),
        1 => (-2.0..2.0f64).prop_map(Expr::Const),
    ];
    leaf.prop_recursive(4, 40, 4, |inner| {
        prop_oneof![
            4 => (prop::sample::select(Op1::ALL.to_vec()), inner.clone())
                .prop_map(|(op, a)| Expr::Unary(op, Box::new(a))),
            4 => (prop::sample::select(Op2::ALL.to_vec()), inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| Expr::Binary(op, Box::new(a), Box::new(b))),
            1 => (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, c)| Expr::MulAdd(Box::new([a, b, c]))),
            1 => (inner.clone(), inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, c, d)| Expr::Select(Box::new([a, b, c, d]))),
        ]
    })
}

/// Random expression trees whose root branches: max, min, abs or select.
pub fn branching_expr_strategy(m: usize) -> impl Strategy<Value = Expr> {
    (
        0..4usize,
        expr_strategy(m),
        expr_strategy(m),
        expr_strategy(m),
    )
        .prop_map(|(kind, a, b, c)| match kind {
            0 => Expr::Binary(Op2::Max, Box::new(a), Box::new(b)),
            1 => Expr::Binary(Op2::Min, Box::new(a), Box::new(b)),
            2 => Expr::Binary(
                Op2::Add,
                Box::new(Expr::Unary(Op1::Abs, Box::new(a))),
                Box::new(b),
            ),
            _ => Expr::Select(Box::new([a, b.clone(), c, b])),
        })
}

/// A vector function made of one expression tree per output.
#[derive(Clone, Debug)]
pub struct Program {
    pub inputs: usize,
    pub outputs: Vec<Expr>,
}

impl VectorFn for Program {
    fn inputs(&self) -> usize {
        self.inputs
    }
    fn outputs(&self) -> usize {
        self.outputs.len()
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        for (yi, e) in y.iter_mut().zip(&self.outputs) {
            *yi = e.eval(x);
        }
    }
}

/// A random program with m in `inputs`, n in `outputs`, and a point x in [-2, 2]^m.
pub fn program_and_point(
    inputs: core::ops::RangeInclusive<usize>,
    outputs: core::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = (Program, Vec<f64>)> {
    inputs.prop_flat_map(move |m| {
        (
            prop::collection::vec(expr_strategy(m), outputs.clone()),
            prop::collection::vec(-2.0..2.0f64, m),
        )
            .prop_map(move |(outputs, x)| (Program { inputs: m, outputs }, x))
    })
}

/// Like [`program_and_point`], every output branching at its root.
pub fn branching_program_and_point(
    inputs: core::ops::RangeInclusive<usize>,
    outputs: core::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = (Program, Vec<f64>)> {
    inputs.prop_flat_map(move |m| {
        (
            prop::collection::vec(branching_expr_strategy(m), outputs.clone()),
            prop::collection::vec(-2.0..2.0f64, m),
        )
            .prop_map(move |(outputs, x)| (Program { inputs: m, outputs }, x))
    })
}

/// `g(f(x))`: the composition of two vector functions (f's outputs feed g's inputs).
pub struct Composed<'a, F, G> {
    pub f: &'a F,
    pub g: &'a G,
}

impl<F: VectorFn, G: VectorFn> VectorFn for Composed<'_, F, G> {
    fn inputs(&self) -> usize {
        self.f.inputs()
    }
    fn outputs(&self) -> usize {
        self.g.outputs()
    }
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        let mut middle = vec![R::from_f64(0.0); self.f.outputs()];
        self.f.eval(x, &mut middle);
        self.g.eval(&middle, y);
    }
}

// ---------------------------------------------------------------------------------------
// Small linear algebra and comparisons.

/// C = A B for row-major A (r x s) and B (s x t), accumulated in f64.
pub fn matmul(a: &[f64], b: &[f64], r: usize, s: usize, t: usize) -> Vec<f64> {
    let mut c = vec![0.0; r * t];
    for i in 0..r {
        for k in 0..s {
            for j in 0..t {
                c[i * t + j] += a[i * s + k] * b[k * t + j];
            }
        }
    }
    c
}

/// |A| |B|: the magnitude against which the rounding error of A B is measured.
pub fn abs_matmul(a: &[f64], b: &[f64], r: usize, s: usize, t: usize) -> Vec<f64> {
    let abs_a: Vec<f64> = a.iter().map(|v| v.abs()).collect();
    let abs_b: Vec<f64> = b.iter().map(|v| v.abs()).collect();
    matmul(&abs_a, &abs_b, r, s, t)
}

/// Bitwise equality, treating every NaN as equal to every NaN (the payload of a NaN is
/// not part of the result's meaning).
pub fn same_bits<E: Element>(a: E, b: E) -> bool {
    let (a, b) = (a.to_f64(), b.to_f64());
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

/// The Jacobian of `f` at `x` with the dual type `D` (which must carry element `E`).
pub fn jacobian_by<D, F>(f: &F, x: &[D::Elem]) -> Vec<D::Elem>
where
    D: TangentDual,
    F: VectorFn,
{
    let mut jac = vec![D::Elem::default(); f.inputs() * f.outputs()];
    batchjac::jacobian_with::<D, F>(f, x, &mut jac, None).expect("jacobian");
    jac
}

/// Converts a slice to element type `E`.
pub fn to_elem<E: Element>(x: &[f64]) -> Vec<E> {
    x.iter().map(|&v| elem::<E>(v)).collect()
}

/// Converts a slice of `E` to f64.
pub fn to_f64<E: Element>(x: &[E]) -> Vec<f64> {
    x.iter().map(|v| v.to_f64()).collect()
}

/// True if every value is finite.
pub fn all_finite(x: &[f64]) -> bool {
    x.iter().all(|v| v.is_finite())
}

/// Error allowed between two roundings of the same linear tangent map, in units of eps:
/// a random program of depth 4 chains up to ~16 rules, each a few ulp, and the tangents
/// of two branches of a tree may cancel (y0 y1 - y1 y0 has an exactly zero derivative
/// for unit seeds, but leaves a residue of eps times its terms for other seeds). The
/// error is therefore measured against the matrices' largest entries as well as
/// against the entry's own |A| |B|; a wrong rule errs at the size of the entries.
pub const LINEAR_ULPS: f64 = 4096.0;

/// Checks `got` (r x t) against the product `a b` (a: r x s, b: s x t) within
/// [`LINEAR_ULPS`] eps of (|a| |b|)_ij plus the scale of the largest entries.
pub fn assert_matrix_product(
    what: &str,
    got: &[f64],
    a: &[f64],
    b: &[f64],
    (r, s, t): (usize, usize, usize),
    e: f64,
) -> Result<(), TestCaseError> {
    let exact = matmul(a, b, r, s, t);
    let magnitude = abs_matmul(a, b, r, s, t);
    let max_abs = |m: &[f64]| m.iter().fold(0.0f64, |acc, v| acc.max(v.abs()));
    // The residue of a cancellation inside the program that `a` linearises scales with
    // the seeds `b` times that program's internal partials, which we take to be of the
    // order of its largest Jacobian entry, or 1 where the Jacobian cancels to zero
    // (atan2(y, y) has partials +-1/2y that cancel exactly for unit seeds only).
    let largest = max_abs(&magnitude)
        .max(max_abs(got))
        .max(max_abs(b) * max_abs(a).max(1.0));
    for k in 0..r * t {
        let tolerance = LINEAR_ULPS * e * (magnitude[k] + largest);
        prop_assert!(
            (got[k] - exact[k]).abs() <= tolerance,
            "{what}[{}][{}]: {} vs product {} (tolerance {tolerance:e})",
            k / t,
            k % t,
            got[k],
            exact[k]
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Sparse Jacobians: comparisons with the dense ones.

use batchjac::batch::{BatchOptions, Mode};
use batchjac::sparse::SparseJacobian;

/// Equal bits, or both NaN.
pub fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// The dense Jacobian of one point as a sparse one: the entries at the pattern.
pub fn gather(sj: &SparseJacobian, dense: &[f64]) -> Vec<f64> {
    let (m, mut out) = (sj.inputs(), Vec::with_capacity(sj.nnz()));
    for i in 0..sj.outputs() {
        for k in sj.row_ptr()[i]..sj.row_ptr()[i + 1] {
            out.push(dense[i * m + sj.col_idx()[k]]);
        }
    }
    out
}

/// Every entry of `dense` (n x m) that is finite and nonzero lies in the pattern.
pub fn assert_pattern_holds(sj: &SparseJacobian, dense: &[f64], context: &str) {
    let m = sj.inputs();
    for i in 0..sj.outputs() {
        let row = &sj.col_idx()[sj.row_ptr()[i]..sj.row_ptr()[i + 1]];
        for j in 0..m {
            let v = dense[i * m + j];
            if v != 0.0 && v.is_finite() {
                assert!(
                    row.binary_search(&j).is_ok(),
                    "{context}: J[{i}][{j}] = {v} is not in the detected pattern {row:?}"
                );
            }
        }
    }
}

/// Sequential batch options in `mode`.
pub fn sequential_in(mode: Mode) -> BatchOptions {
    BatchOptions {
        mode,
        parallel: false,
        ..Default::default()
    }
}
