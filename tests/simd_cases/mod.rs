//! Accuracy cases for the batch-lane elementary functions (src/simd), shared by
//! tests/it/simd_math.rs (about 100k samples per function) and examples/simd_accuracy.rs
//! (millions): each function, the sample ranges of docs/SIMD_MATH.md, the correctly
//! rounded reference (core-math) and the claimed ulp bound.

#![allow(dead_code)]

use batchjac::{Lanes, Value};

#[path = "../splitmix/mod.rs"]
mod splitmix;
/// The tests' deterministic generator (SplitMix64), so failures reproduce.
pub use splitmix::SplitMix as Rng;

/// One part of a sample distribution.
#[derive(Clone, Copy, Debug)]
pub enum Dist {
    /// Uniform on [a, b].
    U(f64, f64),
    /// Log-uniform on [a, b], a > 0.
    LU(f64, f64),
    /// Log-uniform on [a, b] with a random sign.
    PmLU(f64, f64),
    /// ±(1 - LU[a, b]): close to ±1 from inside.
    NearOne(f64, f64),
    /// 1 + LU[a, b]: close to 1 from above.
    AboveOne(f64, f64),
    /// 1 - LU[a, b]: close to 1 from below.
    BelowOne(f64, f64),
    /// Integers uniform on [a, b].
    Int(f64, f64),
}

impl Dist {
    pub fn sample(self, rng: &mut Rng) -> f64 {
        let log_uniform =
            |rng: &mut Rng, a: f64, b: f64| (a.ln() + rng.unit() * (b.ln() - a.ln())).exp();
        let sign = |rng: &mut Rng| if rng.next_u64() & 1 == 0 { 1.0 } else { -1.0 };
        match self {
            Dist::U(a, b) => a + rng.unit() * (b - a),
            Dist::LU(a, b) => log_uniform(rng, a, b),
            Dist::PmLU(a, b) => sign(rng) * log_uniform(rng, a, b),
            Dist::NearOne(a, b) => sign(rng) * (1.0 - log_uniform(rng, a, b)),
            Dist::AboveOne(a, b) => 1.0 + log_uniform(rng, a, b),
            Dist::BelowOne(a, b) => 1.0 - log_uniform(rng, a, b),
            Dist::Int(a, b) => (a + rng.unit() * (b - a)).round(),
        }
    }
    pub fn describe(self) -> String {
        match self {
            Dist::U(a, b) => format!("U[{a:e},{b:e}]"),
            Dist::LU(a, b) => format!("LU[{a:e},{b:e}]"),
            Dist::PmLU(a, b) => format!("±LU[{a:e},{b:e}]"),
            Dist::NearOne(a, b) => format!("±(1-LU[{a:e},{b:e}])"),
            Dist::AboveOne(a, b) => format!("1+LU[{a:e},{b:e}]"),
            Dist::BelowOne(a, b) => format!("1-LU[{a:e},{b:e}]"),
            Dist::Int(a, b) => format!("Z[{a},{b}]"),
        }
    }
}

/// The functions of `Real` that are checked against core-math.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Exp,
    Exp2,
    ExpM1,
    Ln,
    Log2,
    Log10,
    Ln1p,
    Sqrt,
    Cbrt,
    Sin,
    Cos,
    Tan,
    SinCosSin,
    SinCosCos,
    Asin,
    Acos,
    Atan,
    Atan2,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
    Pow,
    Hypot,
    Recip,
}

impl Func {
    pub fn name(self) -> &'static str {
        match self {
            Func::Exp => "exp",
            Func::Exp2 => "exp2",
            Func::ExpM1 => "exp_m1",
            Func::Ln => "ln",
            Func::Log2 => "log2",
            Func::Log10 => "log10",
            Func::Ln1p => "ln_1p",
            Func::Sqrt => "sqrt",
            Func::Cbrt => "cbrt",
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::SinCosSin => "sin_cos.0",
            Func::SinCosCos => "sin_cos.1",
            Func::Asin => "asin",
            Func::Acos => "acos",
            Func::Atan => "atan",
            Func::Atan2 => "atan2",
            Func::Sinh => "sinh",
            Func::Cosh => "cosh",
            Func::Tanh => "tanh",
            Func::Asinh => "asinh",
            Func::Acosh => "acosh",
            Func::Atanh => "atanh",
            Func::Pow => "pow",
            Func::Hypot => "hypot",
            Func::Recip => "recip",
        }
    }

    pub fn binary(self) -> bool {
        matches!(self, Func::Atan2 | Func::Pow | Func::Hypot)
    }

    /// Applies the function through `Real` (for a binary function `x` is the first
    /// argument: `atan2(y = x, x = y)`, `pow(base = x, exponent = y)`).
    pub fn apply<R: Value>(self, x: R, y: R) -> R {
        match self {
            Func::Exp => x.exp(),
            Func::Exp2 => x.exp2(),
            Func::ExpM1 => x.exp_m1(),
            Func::Ln => x.ln(),
            Func::Log2 => x.log2(),
            Func::Log10 => x.log10(),
            Func::Ln1p => x.ln_1p(),
            Func::Sqrt => x.sqrt(),
            Func::Cbrt => x.cbrt(),
            Func::Sin => x.sin(),
            Func::Cos => x.cos(),
            Func::Tan => x.tan(),
            Func::SinCosSin => x.sin_cos().0,
            Func::SinCosCos => x.sin_cos().1,
            Func::Asin => x.asin(),
            Func::Acos => x.acos(),
            Func::Atan => x.atan(),
            Func::Atan2 => x.atan2(y),
            Func::Sinh => x.sinh(),
            Func::Cosh => x.cosh(),
            Func::Tanh => x.tanh(),
            Func::Asinh => x.asinh(),
            Func::Acosh => x.acosh(),
            Func::Atanh => x.atanh(),
            Func::Pow => x.pow(y),
            Func::Hypot => x.hypot(y),
            Func::Recip => x.recip(),
        }
    }

    /// The correctly rounded f64 result.
    pub fn reference(self, x: f64, y: f64) -> f64 {
        use core_math as cm;
        match self {
            Func::Exp => cm::exp(x),
            Func::Exp2 => cm::exp2(x),
            Func::ExpM1 => cm::expm1(x),
            Func::Ln => cm::log(x),
            Func::Log2 => cm::log2(x),
            Func::Log10 => cm::log10(x),
            Func::Ln1p => cm::log1p(x),
            Func::Sqrt => x.sqrt(),
            Func::Cbrt => cm::cbrt(x),
            Func::Sin | Func::SinCosSin => cm::sin(x),
            Func::Cos | Func::SinCosCos => cm::cos(x),
            Func::Tan => cm::tan(x),
            Func::Asin => cm::asin(x),
            Func::Acos => cm::acos(x),
            Func::Atan => cm::atan(x),
            Func::Atan2 => cm::atan2(x, y),
            Func::Sinh => cm::sinh(x),
            Func::Cosh => cm::cosh(x),
            Func::Tanh => cm::tanh(x),
            Func::Asinh => cm::asinh(x),
            Func::Acosh => cm::acosh(x),
            Func::Atanh => cm::atanh(x),
            Func::Pow => cm::pow(x, y),
            Func::Hypot => cm::hypot(x, y),
            Func::Recip => 1.0 / x,
        }
    }

    /// The correctly rounded f32 result.
    pub fn reference_f32(self, x: f32, y: f32) -> f32 {
        use core_math as cm;
        match self {
            Func::Exp => cm::expf(x),
            Func::Exp2 => cm::exp2f(x),
            Func::ExpM1 => cm::expm1f(x),
            Func::Ln => cm::logf(x),
            Func::Log2 => cm::log2f(x),
            Func::Log10 => cm::log10f(x),
            Func::Ln1p => cm::log1pf(x),
            Func::Sqrt => x.sqrt(),
            Func::Cbrt => cm::cbrtf(x),
            Func::Sin | Func::SinCosSin => cm::sinf(x),
            Func::Cos | Func::SinCosCos => cm::cosf(x),
            Func::Tan => cm::tanf(x),
            Func::Asin => cm::asinf(x),
            Func::Acos => cm::acosf(x),
            Func::Atan => cm::atanf(x),
            Func::Atan2 => cm::atan2f(x, y),
            Func::Sinh => cm::sinhf(x),
            Func::Cosh => cm::coshf(x),
            Func::Tanh => cm::tanhf(x),
            Func::Asinh => cm::asinhf(x),
            Func::Acosh => cm::acoshf(x),
            Func::Atanh => cm::atanhf(x),
            Func::Pow => cm::powf(x, y),
            Func::Hypot => cm::hypotf(x, y),
            Func::Recip => 1.0 / x,
        }
    }
}

/// One accuracy case: a function, its argument distributions (a mixture: each sample
/// picks one part at random) and the claimed bounds in ulp.
#[derive(Clone, Debug)]
pub struct Case {
    pub func: Func,
    /// Parts of the distribution of x (and of y, for binary functions, paired by index).
    pub x: Vec<Dist>,
    pub y: Vec<Dist>,
    /// Claimed maximum error in f64 ulp (f64x4, f64x8).
    pub bound_f64: f64,
    /// Claimed maximum error in f32 ulp (f32x8, f32x16).
    pub bound_f32: f64,
    /// true: the ranges are for f32 (the f32 table), false: for f64.
    pub f32_ranges: bool,
}

impl Case {
    pub fn describe(&self) -> String {
        let x: Vec<String> = self.x.iter().map(|d| d.describe()).collect();
        if self.func.binary() {
            let y: Vec<String> = self.y.iter().map(|d| d.describe()).collect();
            format!("x {}; y {}", x.join("+"), y.join("+"))
        } else {
            x.join("+")
        }
    }

    pub fn sample(&self, rng: &mut Rng) -> (f64, f64) {
        let part = (rng.next_u64() % self.x.len() as u64) as usize;
        let x = self.x[part].sample(rng);
        let y = if self.func.binary() {
            self.y[part].sample(rng)
        } else {
            0.0
        };
        (x, y)
    }
}

fn case(func: Func, x: &[Dist], y: &[Dist], bound_f64: f64) -> Case {
    Case {
        func,
        x: x.to_vec(),
        y: y.to_vec(),
        bound_f64,
        bound_f32: 1.0,
        f32_ranges: false,
    }
}

/// The f64 cases (ranges of docs/SIMD_MATH.md, widened to cover subnormals and the
/// ends of each domain). Bounds: the measured maximum over 2M samples, rounded up.
pub fn cases_f64() -> Vec<Case> {
    use Dist::*;
    use Func::*;
    use core::f64::consts::{FRAC_PI_2, PI};
    let trig = [U(-10.0, 10.0), U(-1e5, 1e5), PmLU(1e5, 1e22)];
    // Next to 1 the logarithm's table gives way to its series alone (c = 1).
    let log_ranges = [
        LU(1e-320, 1e300),
        U(0.5, 2.0),
        AboveOne(1e-16, 1e-2),
        BelowOne(1e-16, 1e-2),
    ];
    vec![
        case(Exp, &[U(-745.0, 709.7), U(-1.0, 1.0)], &[], 1.0),
        case(Exp2, &[U(-1074.0, 1023.9), U(-1.0, 1.0)], &[], 1.0),
        case(
            ExpM1,
            &[U(-10.0, 10.0), PmLU(1e-12, 1.0), U(-50.0, 709.7)],
            &[],
            2.0,
        ),
        case(Ln, &log_ranges, &[], 1.0),
        case(Log2, &log_ranges, &[], 1.0),
        case(Log10, &log_ranges, &[], 1.0),
        case(
            Ln1p,
            &[PmLU(1e-12, 0.999), LU(1.0, 1e300), U(-1.0, 1.0)],
            &[],
            1.0,
        ),
        case(Sqrt, &[LU(1e-320, 1e300)], &[], 0.0),
        case(Cbrt, &[PmLU(1e-320, 1e300)], &[], 2.0),
        case(Sin, &trig, &[], 2.0),
        case(Cos, &trig, &[], 2.0),
        case(SinCosSin, &trig, &[], 2.0),
        case(SinCosCos, &trig, &[], 2.0),
        // Own kernel; the last two parts sit next to the poles at pi/2 and 3 pi/2 (and
        // the zero at pi), where the reduction must keep r to double-double accuracy.
        case(
            Tan,
            &[
                trig[0],
                trig[1],
                trig[2],
                U(FRAC_PI_2 - 5e-8, FRAC_PI_2 + 5e-8),
                U(PI - 5e-8, PI + 5e-8),
                U(-3.0 * FRAC_PI_2 - 5e-8, -3.0 * FRAC_PI_2 + 5e-8),
            ],
            &[],
            1.0,
        ),
        case(Asin, &[U(-1.0, 1.0), NearOne(1e-15, 0.1)], &[], 2.0),
        case(Acos, &[U(-1.0, 1.0), NearOne(1e-15, 0.1)], &[], 2.0),
        case(Atan, &[PmLU(1e-10, 1e10)], &[], 1.0),
        case(Atan2, &[PmLU(1e-5, 1e5)], &[PmLU(1e-5, 1e5)], 2.0),
        case(
            Sinh,
            &[U(-20.0, 20.0), PmLU(1e-10, 1.0), U(-710.4, 710.4)],
            &[],
            2.0,
        ),
        case(Cosh, &[U(-20.0, 20.0), U(-710.4, 710.4)], &[], 1.0),
        case(Tanh, &[U(-20.0, 20.0), PmLU(1e-10, 1.0)], &[], 3.0),
        case(Asinh, &[PmLU(1e-10, 1e10), PmLU(1e-300, 1e300)], &[], 1.0),
        case(Acosh, &[AboveOne(1e-12, 1e10), LU(1e10, 1e300)], &[], 2.0),
        case(
            Atanh,
            &[U(-1.0, 1.0), NearOne(1e-15, 0.1), PmLU(1e-10, 1.0)],
            &[],
            2.0,
        ),
        case(
            Pow,
            &[
                LU(1e-10, 1e10),
                U(0.5, 2.0),
                PmLU(1e-3, 1e3),
                LU(1e-300, 1e300),
                AboveOne(1e-14, 1e-2),
            ],
            &[
                U(-30.0, 30.0),
                U(-1000.0, 1000.0),
                Int(-60.0, 60.0),
                U(-1.5, 1.5),
                PmLU(1.0, 1e12),
            ],
            1.0,
        ),
        case(
            Hypot,
            &[PmLU(1e-10, 1e10), PmLU(1e-300, 1e300)],
            &[PmLU(1e-10, 1e10), PmLU(1e-300, 1e300)],
            2.0,
        ),
        case(Recip, &[PmLU(1e-300, 1e300)], &[], 0.0),
    ]
}

/// The f32 cases: every function goes through the f64 kernels and rounds once, so the
/// claim is 1 f32 ulp throughout.
pub fn cases_f32() -> Vec<Case> {
    use Dist::*;
    use Func::*;
    let trig = [U(-10.0, 10.0), U(-1e5, 1e5), PmLU(1e5, 3e38)];
    let f32_case = |func: Func, x: &[Dist], y: &[Dist]| Case {
        func,
        x: x.to_vec(),
        y: y.to_vec(),
        bound_f64: 0.0,
        bound_f32: 1.0,
        f32_ranges: true,
    };
    vec![
        f32_case(Exp, &[U(-104.0, 88.7), U(-1.0, 1.0)], &[]),
        f32_case(Exp2, &[U(-149.0, 127.9)], &[]),
        f32_case(
            ExpM1,
            &[U(-10.0, 10.0), PmLU(1e-7, 1.0), U(-20.0, 88.7)],
            &[],
        ),
        f32_case(Ln, &[LU(1e-45, 3e38), U(0.5, 2.0)], &[]),
        f32_case(Log2, &[LU(1e-45, 3e38), U(0.5, 2.0)], &[]),
        f32_case(Log10, &[LU(1e-45, 3e38), U(0.5, 2.0)], &[]),
        f32_case(Ln1p, &[PmLU(1e-7, 0.999), LU(1.0, 3e38)], &[]),
        f32_case(Sqrt, &[LU(1e-45, 3e38)], &[]),
        f32_case(Cbrt, &[PmLU(1e-45, 3e38)], &[]),
        f32_case(Sin, &trig, &[]),
        f32_case(Cos, &trig, &[]),
        f32_case(Tan, &trig, &[]),
        f32_case(Asin, &[U(-1.0, 1.0), NearOne(1e-7, 0.1)], &[]),
        f32_case(Acos, &[U(-1.0, 1.0), NearOne(1e-7, 0.1)], &[]),
        f32_case(Atan, &[PmLU(1e-6, 1e6)], &[]),
        f32_case(Atan2, &[PmLU(1e-5, 1e5)], &[PmLU(1e-5, 1e5)]),
        f32_case(Sinh, &[U(-89.4, 89.4), PmLU(1e-6, 1.0)], &[]),
        f32_case(Cosh, &[U(-89.4, 89.4)], &[]),
        f32_case(Tanh, &[U(-10.0, 10.0), PmLU(1e-6, 1.0)], &[]),
        f32_case(Asinh, &[PmLU(1e-6, 3e38)], &[]),
        f32_case(Acosh, &[AboveOne(1e-6, 1e6), LU(1e6, 3e38)], &[]),
        f32_case(
            Atanh,
            &[U(-1.0, 1.0), NearOne(1e-7, 0.1), PmLU(1e-6, 1.0)],
            &[],
        ),
        f32_case(
            Pow,
            &[LU(1e-3, 1e3), U(0.5, 2.0), PmLU(1e-2, 1e2)],
            &[U(-12.0, 12.0), U(-100.0, 100.0), Int(-20.0, 20.0)],
        ),
        f32_case(
            Hypot,
            &[PmLU(1e-5, 1e5), PmLU(1e-30, 1e30)],
            &[PmLU(1e-5, 1e5), PmLU(1e-30, 1e30)],
        ),
        f32_case(Recip, &[PmLU(1e-37, 1e37)], &[]),
    ]
}

/// Distance in representable values between two floats, as i64 ordering keys
/// (0 if both are NaN; infinite if exactly one is).
pub fn ulp_distance_f64(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return if a.is_nan() && b.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    let key = |v: f64| {
        let bits = v.to_bits() as i64;
        if bits < 0 { i64::MIN - bits } else { bits }
    };
    (key(a) as i128 - key(b) as i128).unsigned_abs() as f64
}

/// The f32 counterpart of [`ulp_distance_f64`].
pub fn ulp_distance_f32(a: f32, b: f32) -> f64 {
    if a.is_nan() || b.is_nan() {
        return if a.is_nan() && b.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    let key = |v: f32| {
        let bits = v.to_bits() as i32;
        if bits < 0 { i32::MIN - bits } else { bits }
    };
    (key(a) as i64 - key(b) as i64).unsigned_abs() as f64
}

/// Error statistics of one case on one lane type.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    pub max: f64,
    pub sum: f64,
    pub count: usize,
    /// Arguments of the worst sample.
    pub worst: (f64, f64),
}

impl Stats {
    pub fn mean(&self) -> f64 {
        self.sum / self.count.max(1) as f64
    }
    fn add(&mut self, error: f64, x: f64, y: f64) {
        if self.count == 0 || error > self.max {
            self.max = error;
            self.worst = (x, y);
        }
        self.sum += error;
        self.count += 1;
    }
}

/// Evaluates `func` on lane type `L` (f64 elements) over `xs`/`ys` and measures the ulp
/// error of every lane against core-math.
pub fn measure_f64<L>(func: Func, xs: &[f64], ys: &[f64]) -> Stats
where
    L: Value + Lanes<Elem = f64>,
{
    let mut stats = Stats::default();
    for (xc, yc) in xs.chunks_exact(L::WIDTH).zip(ys.chunks_exact(L::WIDTH)) {
        let x = L::from_fn(|i| xc[i]);
        let y = L::from_fn(|i| yc[i]);
        let result = func.apply(x, y);
        for i in 0..L::WIDTH {
            let reference = func.reference(xc[i], yc[i]);
            stats.add(ulp_distance_f64(result.lane(i), reference), xc[i], yc[i]);
        }
    }
    stats
}

/// The f32 counterpart of [`measure_f64`] (against core-math's f32 functions).
pub fn measure_f32<L>(func: Func, xs: &[f32], ys: &[f32]) -> Stats
where
    L: Value + Lanes<Elem = f32>,
{
    let mut stats = Stats::default();
    for (xc, yc) in xs.chunks_exact(L::WIDTH).zip(ys.chunks_exact(L::WIDTH)) {
        let x = L::from_fn(|i| xc[i]);
        let y = L::from_fn(|i| yc[i]);
        let result = func.apply(x, y);
        for i in 0..L::WIDTH {
            let reference = func.reference_f32(xc[i], yc[i]);
            stats.add(
                ulp_distance_f32(result.lane(i), reference),
                xc[i] as f64,
                yc[i] as f64,
            );
        }
    }
    stats
}

/// `count` samples of a case (a multiple of 16 so every lane type sees them all).
pub fn samples(case: &Case, count: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let count = count.div_ceil(16) * 16;
    let mut rng = Rng(seed ^ (case.func as u64).wrapping_mul(0x1234_5678_9ABC_DEF1));
    (0..count).map(|_| case.sample(&mut rng)).unzip()
}
