//! f64 lane-vector kernels, written once as a macro and instantiated for `f64x4` and
//! `f64x8` (and for `f64x4` splats, the scalar path's). The f32 lane types evaluate
//! through these after widening (see the parent module's docs for why and what it
//! costs).
//!
//! Every kernel handles its special values with lane blends (`select`) at the end, so the
//! polynomial paths never branch.

/// Constants shared by the kernels (f64).
pub(crate) mod constants {
    /// ln 2 split so that `k * LN2_HI` is exact for |k| < 2^20 (32 significant bits).
    pub const LN2_HI: f64 = 0.6931471803691238;
    /// ln 2 - LN2_HI.
    pub const LN2_LO: f64 = 1.9082149292705877e-10;
    /// ln 2 - (ln 2 rounded to f64): the tail of the f64 constant `LN_2`.
    pub const LN2_TAIL: f64 = 2.3190468138462996e-17;
    /// 1/ln 2 - (1/ln 2 rounded to f64): the tail of `LOG2_E`.
    pub const LOG2_E_TAIL: f64 = 2.0355273740931033e-17;
    /// 1/ln 10 - (1/ln 10 rounded to f64): the tail of `LOG10_E`.
    pub const LOG10_E_TAIL: f64 = 1.098319650216765e-17;
    /// Trig arguments past this (2^30) use std lane by lane: the three-part reduction
    /// is exact to about 2^41 (docs/SIMD_MATH.md), this leaves a margin.
    pub const TRIG_LIMIT: f64 = 1073741824.0;
    /// 2^1022, the largest power of two whose reciprocal is a normal double.
    pub const TWO_1022: f64 = 4.49423283715579e307;
    /// 2^-500: below it a square is subnormal (or nearly).
    pub const TWO_M500: f64 = 3.054936363499605e-151;
    /// The logarithms' short path near 1 (`ln_1p_small`): |r| below 2^-7.
    pub const SMALL_LOG_ARGUMENT: f64 = 0.0078125;
    /// 2^-510: `hypot`'s floor for a scaled argument.
    pub const TWO_M510: f64 = 2.983336292480083e-154;
    /// 2^54, the factor that makes a subnormal normal.
    pub const TWO_54: f64 = 18014398509481984.0;
    /// 2^52 + 1023: adding it to an integer-valued j in [-1023, 1024] puts j + 1023
    /// into the low mantissa bits.
    pub const EXPONENT_MAGIC: f64 = 4503599627371519.0;
    /// pi/2 as a sum of three doubles (the first two are the f64 value and its tail):
    /// for |x| <= 2^30, `x - k P1` is exact, so the reduction loses nothing.
    pub const PIO2_1: f64 = core::f64::consts::FRAC_PI_2;
    /// pi/2 - PIO2_1 rounded.
    pub const PIO2_2: f64 = 6.123233995736766e-17;
    /// pi/2 - PIO2_1 - PIO2_2 rounded.
    pub const PIO2_3: f64 = -1.4973849048591698e-33;
    /// Taylor coefficients (-1)^n / (2n+1)! for n = 1..=10: sin r = r + r^3 S(r^2); the
    /// first omitted term is below 2^-70 relative on |r| <= pi/4 + a little.
    pub const SIN_TAYLOR: [f64; 10] = [
        -0.16666666666666666,
        0.008333333333333333,
        -0.0001984126984126984,
        2.7557319223985893e-06,
        -2.505210838544172e-08,
        1.6059043836821613e-10,
        -7.647163731819816e-13,
        2.8114572543455206e-15,
        -8.22063524662433e-18,
        1.9572941063391263e-20,
    ];
    /// Taylor coefficients (-1)^n / (2n)! for n = 2..=11: cos r = 1 - r^2/2 + r^4 C(r^2).
    pub const COS_TAYLOR: [f64; 10] = [
        0.041666666666666664,
        -0.001388888888888889,
        2.48015873015873e-05,
        -2.755731922398589e-07,
        2.08767569878681e-09,
        -1.1470745597729725e-11,
        4.779477332387385e-14,
        -1.5619206968586225e-16,
        4.110317623312165e-19,
        -8.896791392450574e-22,
    ];
    /// Taylor coefficients 1/n! for n = 2..=13 of (e^r - 1 - r) / r^2; on |r| <= ln2/2
    /// the truncation error is below 2^-56 relative.
    pub const EXPM1_TAYLOR: [f64; 12] = [
        0.5,
        0.16666666666666666,
        0.041666666666666664,
        0.008333333333333333,
        0.001388888888888889,
        0.0001984126984126984,
        2.48015873015873e-05,
        2.7557319223985893e-06,
        2.755731922398589e-07,
        2.505210838544172e-08,
        2.08767569878681e-09,
        1.6059043836821613e-10,
    ];
    /// (ln 2)^n / n! for n = 2..=13: 2^r = 1 + r ln2 + r^2 P(r); on |r| <= 1/2 the
    /// truncation error is below 2^-56 relative.
    pub const EXP2_TAYLOR: [f64; 12] = [
        0.24022650695910072,
        0.05550410866482158,
        0.009618129107628477,
        0.0013333558146428443,
        0.0001540353039338161,
        1.5252733804059841e-05,
        1.321548679014431e-06,
        1.01780860092397e-07,
        7.054911620801123e-09,
        4.4455382718708116e-10,
        2.5678435993488206e-11,
        1.3691488853904128e-12,
    ];
    /// (-1)^j / (j + 3) for j = 0..=6: ln(1 + r) = r - r^2/2 + r^3 P(r); with
    /// |r| < 2^-7 the first omitted term (r^10 / 10) is below 2^-66 relative.
    pub const LOG1P_SERIES: [f64; 7] = [
        0.3333333333333333,
        -0.25,
        0.2,
        -0.16666666666666666,
        0.14285714285714285,
        -0.125,
        0.1111111111111111,
    ];
}

/// `$fast()` where the lane mask `$ok` holds, `$general()` elsewhere, each evaluated only
/// if some lane needs it: when `$ok` holds in every lane or in none (always so for a
/// single value on the scalar path) one branch replaces the work of the other side.
/// `$fast` must be right wherever `$ok` holds and `$general` wherever it does not; a
/// lane takes the same side whatever its neighbours, so its bits never depend on the
/// other lanes. `$fast` and `$general` are closures (or references to them); `$fast`
/// may be named twice, so it must be a literal or a `Copy` value.
///
/// Only the fast side is inlined where the kernel is: the rest is a cold function
/// (`not_all_fast` of the kernel module, named where the macro is used), compiled once
/// per kernel and crate instead of once per use (a user's `eval` is compiled for a
/// dozen or more dual types, each inlining every kernel it calls), so the general sides
/// cost code size and build time once, and a call only when some lane needs them.
///
/// A macro rather than a function so that the closures handed to the cold call are
/// built inside its branch: built before it (as arguments of a function), their
/// captured vectors were stored to the stack on every call, fast side or not (about
/// 8 instructions per call of ln_1p).
macro_rules! dispatch {
    ($ok:expr, $fast:expr, $general:expr $(,)?) => {{
        let ok = $ok;
        if ok.all() {
            ($fast)()
        } else {
            not_all_fast(ok, $fast, $general)
        }
    }};
}

/// `dispatch!` with a second fast side: `$fast()` where `$ok` holds in every lane, else
/// `$second()` where `$ok2` (evaluated only then) holds in every lane, else the cold
/// `$general()`. For a function with two regular ranges (acosh and asinh near 1 and
/// far out): a single value in the second range, as on the scalar path, takes its
/// formula inline instead of through the cold call.
/// `$second` must give the bits that `$general` gives wherever `$ok2` holds (in
/// practice: the same code).
macro_rules! dispatch2 {
    ($ok:expr, $fast:expr, $ok2:expr, $second:expr, $general:expr $(,)?) => {{
        let ok = $ok;
        if ok.all() {
            ($fast)()
        } else if ($ok2).all() {
            ($second)()
        } else {
            not_all_fast(ok, $fast, $general)
        }
    }};
}

/// Instantiates the f64 kernels for one lane vector type `$f` with unsigned bits `$u`.
macro_rules! f64_kernels {
    ($module:ident, $f:ident, $u:ident, $m:ident, $uniform:literal) => {
        /// f64 kernels for one lane vector type.
        #[allow(dead_code)]
        pub(crate) mod $module {
            #[allow(unused_imports)]
            use super::super::scalar::{S, SM, SU};
            use super::constants::*;
            use crate::simd::exp2_table::EXP2_TABLE;
            use crate::simd::log_table::{LOG_TABLE, LOG2_TABLE};
            use core::f64::consts::{LN_2, LOG2_E, LOG10_E};
            #[allow(unused_imports)]
            use wide::{f64x4, f64x8, u64x4, u64x8};

            #[inline(always)]
            pub(crate) fn splat(v: f64) -> $f {
                $f::splat(v)
            }

            /// Horner evaluation of `c[0] + c[1] z + ...`.
            #[inline(always)]
            fn horner(z: $f, c: &[f64]) -> $f {
                let mut acc = splat(c[c.len() - 1]);
                for &coefficient in c[..c.len() - 1].iter().rev() {
                    acc = acc.mul_add(z, splat(coefficient));
                }
                acc
            }

            /// Estrin evaluation of `c[0] + c[1] z + ...`: the same polynomial as
            /// [`horner`] with a dependency chain of about log2(len) multiply-adds
            /// instead of len (what a single value's latency, the scalar path, pays).
            #[inline(always)]
            pub(crate) fn estrin(z: $f, c: &[f64]) -> $f {
                let mut terms = [splat(0.0); 16];
                let mut len = c.len().div_ceil(2);
                for (i, pair) in c.chunks(2).enumerate() {
                    terms[i] = if pair.len() == 2 {
                        z.mul_add(splat(pair[1]), splat(pair[0]))
                    } else {
                        splat(pair[0])
                    };
                }
                let mut power = z * z;
                while len > 1 {
                    let half = len.div_ceil(2);
                    for i in 0..half {
                        terms[i] = if 2 * i + 1 < len {
                            terms[2 * i + 1].mul_add(power, terms[2 * i])
                        } else {
                            terms[2 * i]
                        };
                    }
                    len = half;
                    power = power * power;
                }
                terms[0]
            }

            /// The part of `dispatch!` for lanes that are not all on the fast side.
            #[cold]
            #[inline(never)]
            pub(crate) fn not_all_fast(
                ok: $m,
                fast: impl FnOnce() -> $f,
                general: impl FnOnce() -> $f,
            ) -> $f {
                if ok.any() {
                    ok.select(fast(), general())
                } else {
                    general()
                }
            }

            /// 2^j for integer-valued `j` in [-1022, 1023], built from its exponent bits.
            #[inline(always)]
            pub(crate) fn pow2(j: $f) -> $f {
                let biased = (j + splat(EXPONENT_MAGIC)).to_bits();
                $f::from_bits(biased << 52u32)
            }

            /// The exponent field of `bits` (sign bit clear) minus the bias, as a float:
            /// k for a normal 2^k m, the inverse of [`pow2`].
            #[inline(always)]
            pub(crate) fn unbiased_exponent(bits: $u) -> $f {
                $f::from_bits((bits >> 52u32) | $u::splat(0x4330_0000_0000_0000))
                    - splat(EXPONENT_MAGIC)
            }

            /// `v * 2^k` for integer-valued `k` in [-1100, 1100] and `v` in [0.5, 2]:
            /// the first product is exact, so only the second rounds (also into the
            /// subnormal range) or overflows.
            #[inline(always)]
            fn scale(v: $f, k: $f) -> $f {
                let k1 = (k * splat(0.5)).floor();
                v * pow2(k1) * pow2(k - k1)
            }

            /// e^(r + r_lo) - 1 for |r| <= ln2/2 + a little, |r_lo| tiny.
            #[inline(always)]
            fn expm1_reduced(r: $f, r_lo: $f) -> $f {
                let p = estrin(r, &EXPM1_TAYLOR);
                let em1 = (r * r).mul_add(p, r);
                // e^(r + r_lo) - 1 = em1 + r_lo (1 + em1) to first order in r_lo.
                r_lo.mul_add(em1, r_lo) + em1
            }

            /// Cody-Waite reduction of a double-double `y_hi + y_lo`: returns `k` and
            /// `r + r_lo = y - k ln2` with |r| <= ln2/2 (plus rounding).
            #[inline(always)]
            fn reduce(y_hi: $f, y_lo: $f) -> ($f, $f, $f) {
                let k = (y_hi * splat(LOG2_E)).round_ties_even();
                // k * LN2_HI is exact and y_hi - k LN2_HI cancels exactly (Sterbenz).
                let r_hi = (-k).mul_add(splat(LN2_HI), y_hi);
                let c = y_lo - k * splat(LN2_LO);
                let r = r_hi + c;
                // TwoSum: either term may be the larger when y is close to k ln2.
                let bb = r - r_hi;
                let r_lo = (r_hi - (r - bb)) + (c - bb);
                (k, r, r_lo)
            }

            /// e^(hi + lo) for a double-double argument with |hi| <= 760: within 1 ulp,
            /// overflowing to inf and rounding once into the subnormals.
            #[inline(always)]
            fn exp_double_double(hi: $f, lo: $f) -> $f {
                let (k, r, r_lo) = reduce(hi, lo);
                scale(expm1_reduced(r, r_lo) + splat(1.0), k)
            }

            /// `k` and `1 + (e^r - 1)` rounded once, for x = k ln2 + r (Cody-Waite with
            /// the exact product k LN2_HI, |k| <= 1100): e^x = that times 2^k.
            #[inline(always)]
            fn exp_reduced(x: $f) -> ($f, $f) {
                let k = (x * splat(LOG2_E)).round_ties_even();
                let r = (-k).mul_add(splat(LN2_LO), (-k).mul_add(splat(LN2_HI), x));
                let em1 = (r * r).mul_add(estrin(r, &EXPM1_TAYLOR), r);
                (k, em1 + splat(1.0))
            }

            /// `m 2^k` for `(k, m) = reduced(x)`: one exact product where
            /// |x| < `fast_limit` (2^k and the result normal); elsewhere `scale` on x
            /// clamped to ±`clamp` (past which the result is 0 or inf whatever the
            /// rest) rounds once into the subnormals or overflows, and NaN stays.
            #[inline(always)]
            fn scaled_exponential(
                x: $f,
                fast_limit: f64,
                clamp: f64,
                reduced: impl Fn($f) -> ($f, $f),
            ) -> $f {
                dispatch!(
                    x.abs().simd_lt(splat(fast_limit)),
                    || {
                        let (k, m) = reduced(x);
                        m * pow2(k)
                    },
                    || {
                        let (k, m) = reduced(x.max(splat(-clamp)).min(splat(clamp)));
                        x.is_nan().select(x, scale(m, k))
                    },
                )
            }

            /// e^x: within 1 ulp.
            #[inline(always)]
            pub fn exp(x: $f) -> $f {
                scaled_exponential(x, 708.0, 760.0, exp_reduced)
            }

            /// e^x - 1: one final rounding in
            /// `fma(2^k, e^r - 1, 2^k - 1)`, since `2^k - 1` is exact for |k| <= 53.
            #[inline(always)]
            pub fn exp_m1(x: $f) -> $f {
                // Keep -0 (the polynomial gives +0).
                let keep_zero = |result: $f| x.simd_eq(splat(0.0)).select(x, result);
                // |x| <= 36: k <= 52, neither clamp nor `scale` takes part.
                dispatch!(
                    x.abs().simd_le(splat(36.0)),
                    || {
                        let (k, r, r_lo) = reduce(x, splat(0.0));
                        let two_k = pow2(k);
                        keep_zero(two_k.mul_add(expm1_reduced(r, r_lo), two_k - splat(1.0)))
                    },
                    || {
                        // Past -45 the result is -1 to double precision; past 720 it
                        // overflows.
                        let xc = x.max(splat(-45.0)).min(splat(720.0));
                        let (k, r, r_lo) = reduce(xc, splat(0.0));
                        let em1r = expm1_reduced(r, r_lo);
                        let two_k = pow2(k.min(splat(53.0)));
                        let small = two_k.mul_add(em1r, two_k - splat(1.0));
                        let large = scale(em1r + splat(1.0), k);
                        let result = keep_zero(k.simd_gt(splat(53.0)).select(large, small));
                        // NaN payloads.
                        x.is_nan().select(x, result)
                    },
                )
            }

            /// tanh x = t / (t + 2) with t = e^(2|x|) - 1, sign of x; 1 past |x| = 22.
            #[inline(always)]
            pub fn tanh(x: $f) -> $f {
                let a = x.abs();
                let t = exp_m1((a + a).min(splat(44.0)));
                let magnitude = t / (t + splat(2.0));
                let magnitude = a.simd_gt(splat(22.0)).select(splat(1.0), magnitude);
                let magnitude = x.is_nan().select(x, magnitude);
                magnitude.copysign(x)
            }

            /// The rows of a logarithm table (src/simd/log_table.rs) at each lane's
            /// index (below 128), column by column: c, the function of c rounded, and
            /// the function of c as a double-double. Columns a caller does not use
            /// are not read.
            #[inline(always)]
            pub(crate) fn log_table_rows(table: &[[f64; 4]; 128], index: $u) -> [$f; 4] {
                let lanes = index.to_array();
                if $uniform {
                    // All lanes hold the same value: one row, read once.
                    return table[(lanes[0] & 127) as usize].map(splat);
                }
                let rows = lanes.map(|i| table[(i & 127) as usize]);
                core::array::from_fn(|column| $f::new(rows.map(|row| row[column])))
            }

            /// The bits of 2^(i/64) for i the low 6 bits of each lane of `index` (the f32
            /// pow kernel's exponential table).
            #[inline(always)]
            pub(crate) fn exp2_table_bits(index: $u) -> $u {
                let lanes = index.to_array();
                if $uniform {
                    // All lanes hold the same value: one row, read once.
                    return $u::splat(EXP2_TABLE[(lanes[0] & 63) as usize].to_bits());
                }
                $u::new(lanes.map(|i| EXP2_TABLE[(i & 63) as usize].to_bits()))
            }

            /// The table reduction of a positive normal finite x = 2^k m (m in
            /// [0.6875, 1.375)) with one of the logarithm tables: `(k, r, row, exponent
            /// bits of x's 2^k)`, with the table's row for m (`[c, f, f_hi, f_lo]`, c
            /// near 1/m, f the function of c) and r = m c - 1 exact (|r| < 2^-7).
            #[inline(always)]
            pub(crate) fn ln_table_reduce(x: $f, table: &[[f64; 4]; 128]) -> ($f, $f, [$f; 4], $u) {
                let bits = x.to_bits();
                // Adding 0.625 to the mantissa carries into the exponent for m >= 1.375.
                let t = bits + $u::splat(0x000A_0000_0000_0000);
                let exponent_bits = t & $u::splat(0x7FF0_0000_0000_0000);
                let k = unbiased_exponent(t);
                let m = $f::from_bits(bits - exponent_bits + $u::splat(0x3FF0_0000_0000_0000));
                let row = log_table_rows(table, (t >> 45u32) & $u::splat(127));
                (k, m.mul_add(row[0], splat(-1.0)), row, exponent_bits)
            }

            /// ln(1 + r) as an unrounded double-double `(s, lo)` for 2^-500 < |r| <
            /// 2^-7 (or r = 0): r - r^2/2 by an exact product and a Fast2Sum (|r| >
            /// r^2/2), plus r^3 P(r) (Taylor to r^9, first omitted term below 2^-63 of
            /// r). No table and no exponent: the short path of `ln` next to 1 and of
            /// `ln_1p` near 0, as accurate as [`ln_parts`].
            #[inline(always)]
            fn ln_1p_small(r: $f) -> ($f, $f) {
                let r2 = r * r;
                let h = splat(-0.5) * r2;
                let h_lo = splat(-0.5) * r.mul_add(r, -r2);
                let s = r + h;
                let e = (r - s) + h;
                (s, (r2 * r).mul_add(estrin(r, &LOG1P_SERIES), h_lo + e))
            }

            /// Lanes where `ln_1p_small` applies to r (|r| < 2^-7, and r = 0 or |r| >
            /// 2^-500, so that no square is subnormal).
            #[inline(always)]
            fn small_argument(r: $f) -> $m {
                let a = r.abs();
                a.simd_lt(splat(SMALL_LOG_ARGUMENT))
                    & (a.simd_gt(splat(TWO_M500)) | a.simd_eq(splat(0.0)))
            }

            /// ln(x + low) as a double-double `(hi, lo)` with `hi` = `hi + lo` rounded
            /// and a relative error below about 2^-66, for positive normal finite `x`
            /// (`low`, if given, below ulp(x) in size, and then x below 2^1022;
            /// `k_adjust`, if given, an integer added to the exponent of `x`: a
            /// subnormal is passed as x 2^54 and -54).
            ///
            /// Table-driven, with no division: x = 2^k m with m in [0.6875, 1.375),
            /// the table (src/simd/log_table.rs, from scripts/log_table.py) gives for m's
            /// interval a c near 1/m with 8 significant bits and -ln c, so
            /// ln x = k ln2 - ln c + ln(1 + r) with r = m c - 1 exact (one fused
            /// multiply-add) and |r| < 2^-7; ln(1 + r) = r - r^2/2 + r^3 P(r), Taylor
            /// to r^9 (first omitted term below 2^-66 relative). The two intervals next
            /// to m = 1 have c = 1, so near x = 1 nothing cancels. The sums are
            /// error-free (Fast2Sum and TwoSum) up to the last few terms.
            #[inline(always)]
            fn ln_parts(x: $f, low: Option<$f>, k_adjust: Option<$f>) -> ($f, $f) {
                let (k, r, [c, _, t_hi, t_lo], exponent_bits) = ln_table_reduce(x, &LOG_TABLE);
                let k = match k_adjust {
                    Some(adjust) => k + adjust,
                    None => k,
                };
                // k ln2 + (-ln c): k LN2_HI and t_hi are multiples of 2^-32 below 2^10
                // in size, so the product and the sum are both exact.
                let s1 = k * splat(LN2_HI) + t_hi;
                // + r: Fast2Sum, as s1 = 0 (k = 0, c = 1) or |s1| >= |r|: |k ln2 - ln c|
                // >= 0.32 for k != 0, and for k = 0 the table keeps |r| <= 0.52 |ln c|
                // wherever c != 1 (checked on 200,000 points of m's range).
                let s2 = s1 + r;
                let e2 = r - (s2 - s1);
                // - r^2/2, exact as a double-double; Fast2Sum, as |s2| > r^2/2: s2 = r
                // where c = 1 and k = 0, |s2| >= 2^-8.1 elsewhere.
                let r2 = r * r;
                let half_r2 = splat(-0.5) * r2;
                let half_r2_lo = splat(-0.5) * r.mul_add(r, -r2);
                let s3 = s2 + half_r2;
                let e3 = half_r2 - (s3 - s2);
                let series = r2 * r * estrin(r, &LOG1P_SERIES);
                let mut lo = series + half_r2_lo + (e2 + e3) + k.mul_add(splat(LN2_LO), t_lo);
                if let Some(low) = low {
                    // ln(1 + r + r_lo) = ln(1 + r) + r_lo (1 - r) to well below 2^-66,
                    // r_lo = low c 2^-k (2^-k from the exponent bits: 2046 - biased k,
                    // a normal double for k below 1023).
                    let inverse_scale =
                        $f::from_bits($u::splat(0x7FE0_0000_0000_0000) - exponent_bits);
                    let r_lo = low * c * inverse_scale;
                    lo += (-r).mul_add(r_lo, r_lo);
                }
                let hi = s3 + lo;
                (hi, lo - (hi - s3))
            }

            /// [`ln_parts`] for positive finite `x`, subnormals included; lanes that are
            /// not positive and finite get ln 1 = 0.
            #[inline(always)]
            fn ln_parts_positive(x: $f) -> ($f, $f) {
                let positive = x.simd_gt(splat(0.0)) & x.simd_lt(splat(f64::INFINITY));
                let subnormal = x.simd_lt(splat(f64::MIN_POSITIVE));
                let scaled = subnormal.select(x * splat(TWO_54), x);
                let adjust = subnormal.select(splat(-54.0), splat(0.0));
                ln_parts(positive.select(scaled, splat(1.0)), None, Some(adjust))
            }

            /// ln x for the special values: -inf at ±0, inf at inf, NaN below 0 and at NaN.
            #[inline(always)]
            pub(crate) fn ln_special(x: $f) -> $f {
                let inf = splat(f64::INFINITY);
                let at_inf = x.simd_eq(inf).select(inf, splat(f64::NAN));
                x.simd_eq(splat(0.0)).select(-inf, at_inf)
            }

            /// `f` of the double-double ln x: normal x on the fast side, subnormals on
            /// the general one, and ln's special values (which `f` must keep: -inf, inf
            /// and NaN stay as they are) for x <= 0, inf and NaN.
            #[inline(always)]
            fn of_ln(x: $f, f: impl Fn(($f, $f)) -> $f + Copy) -> $f {
                dispatch!(
                    x.simd_ge(splat(f64::MIN_POSITIVE)) & x.simd_lt(splat(f64::INFINITY)),
                    move || f(ln_parts(x, None, None)),
                    move || {
                        let positive = x.simd_gt(splat(0.0)) & x.simd_lt(splat(f64::INFINITY));
                        positive.select(f(ln_parts_positive(x)), ln_special(x))
                    },
                )
            }

            /// Natural logarithm ([`ln_parts`] rounded: within 0.51 ulp; next to 1,
            /// where x - 1 is exact, [`ln_1p_small`] of x - 1, as accurate and shorter).
            #[inline(always)]
            pub fn ln(x: $f) -> $f {
                let r = x - splat(1.0);
                let near = small_argument(r);
                let small = move || {
                    let (s, lo) = ln_1p_small(r);
                    s + lo
                };
                dispatch2!(
                    near,
                    small,
                    x.simd_ge(splat(f64::MIN_POSITIVE)) & x.simd_lt(splat(f64::INFINITY)) & !near,
                    move || ln_parts(x, None, None).0,
                    move || near.select(small(), of_ln(x, |(hi, _)| hi)),
                )
            }

            /// ln(x) times a double-double constant `c_hi + c_lo`, from the
            /// double-double logarithm: one final rounding, so log2/log10 stay within
            /// 1 ulp and log2 is exact at powers of two.
            #[inline(always)]
            fn scaled_ln(x: $f, c_hi: f64, c_lo: f64) -> $f {
                of_ln(x, move |(hi, lo)| {
                    let product = hi * splat(c_hi);
                    let product_lo = hi.mul_add(splat(c_hi), -product)
                        + hi.mul_add(splat(c_lo), lo * splat(c_hi));
                    product + product_lo
                })
            }

            /// Base-2 logarithm: for normal x, log2 x = k + log2(1/c) + log2(1 + r)
            /// summed in the base-2 domain (log2(1/c) from a table of its own) with
            /// error-free sums on the way, so k
            /// (exact at powers of two) needs no product by 1/ln2 and the polynomial
            /// needs no double-double (within 1 ulp: the rounding of the r^2 term is
            /// below 2^-61 of the result); ln's special values and subnormals as
            /// [`scaled_ln`]; next to 1, [`ln_1p_small`] of x - 1 times 1/ln2.
            #[inline(always)]
            pub fn log2(x: $f) -> $f {
                let r = x - splat(1.0);
                let near = small_argument(r);
                // Next to 1: ln(1 + r) as a double-double times 1/ln2 as one.
                let small = move || {
                    let (s, lo) = ln_1p_small(r);
                    let p = s * splat(LOG2_E);
                    let p_err = s.mul_add(splat(LOG2_E), -p)
                        + s.mul_add(splat(LOG2_E_TAIL), lo * splat(LOG2_E));
                    p + p_err
                };
                dispatch2!(
                    near,
                    small,
                    x.simd_ge(splat(f64::MIN_POSITIVE)) & x.simd_lt(splat(f64::INFINITY)) & !near,
                    move || {
                        let (k, r, [_, _, t_hi, t_lo], _) = ln_table_reduce(x, &LOG2_TABLE);
                        // k + log2(1/c): exact, as k and t_hi are multiples of 2^-42
                        // below 2^11 in size.
                        let a = k + t_hi;
                        // r / ln2 as a double-double, added by Fast2Sum: exact, as a is
                        // 0 (c = 1, k = 0) or has an exponent at least rl's (|rl| <
                        // 2^-6.5 <= |a| where k != 0; where k = 0, |a| = |ln c| / ln2
                        // >= 0.0112 and |rl| <= 0.0113 share the exponent -7).
                        let rl = r * splat(LOG2_E);
                        let rl_err = r.mul_add(splat(LOG2_E), -rl) + r * splat(LOG2_E_TAIL);
                        let s = a + rl;
                        let s_err = rl - (s - a);
                        // (ln(1 + r) - r) / ln2 = (-r^2/2 + r^3 P(r)) / ln2.
                        let tail = (r * r * splat(LOG2_E))
                            * r.mul_add(estrin(r, &LOG1P_SERIES), splat(-0.5));
                        s + (tail + (rl_err + s_err) + t_lo)
                    },
                    move || near.select(small(), scaled_ln(x, LOG2_E, LOG2_E_TAIL)),
                )
            }

            /// Base-10 logarithm.
            #[inline(always)]
            pub fn log10(x: $f) -> $f {
                scaled_ln(x, LOG10_E, LOG10_E_TAIL)
            }

            /// ln(1 + x) as the logarithm of the double-double u + (x - (u - 1)), u =
            /// 1 + x rounded: the second term restores what rounding u lost.
            #[inline(always)]
            pub fn ln_1p(x: $f) -> $f {
                let u = splat(1.0) + x;
                let value = move || ln_parts(u, Some(x - (u - splat(1.0))), None).0;
                // -1 < x < 1e300 and |x| >= 1e-300: u normal and finite, x not tiny.
                let ok = x.simd_gt(splat(-1.0))
                    & x.simd_lt(splat(1e300))
                    & x.abs().simd_ge(splat(1e-300));
                // Near 0 (not 0 itself: -0 stays), the series of ln(1 + x) directly.
                let small_lanes = small_argument(x) & x.simd_ne(splat(0.0));
                let small = move || {
                    let (s, lo) = ln_1p_small(x);
                    s + lo
                };
                dispatch2!(small_lanes, small, ok & !small_lanes, value, move || {
                    // u = 0 (x = -1), u < 0, u = inf and NaN: ln's special values; past
                    // 1e300, ln u (the low part is below 2^-60 of the result there, and
                    // 2^-k, past k = 1023, no longer a normal double).
                    let near = u.simd_gt(splat(0.0)) & u.simd_lt(splat(1e300));
                    let value = near.select(value(), ln(u));
                    // Keep -0 and tiny x exactly.
                    let tiny = x.abs().simd_lt(splat(1e-300));
                    small_lanes.select(small(), tiny.select(x, value))
                })
            }

            /// True where y is an integer (finite).
            #[inline(always)]
            pub(crate) fn is_integer(y: $f) -> $m {
                y.floor().simd_eq(y)
            }

            /// A value with the sign of x^y (magnitudes aside) where x > 0 or y is an
            /// integer: with y's parity p = y - 2 floor(y/2) (0 or 1, exactly, for an
            /// integer y), p x + (1 - p) |x| has x's sign for odd y and is positive
            /// for even y and wherever x is (never zero for nonzero x, never
            /// overflowing). Found without a branch: on the scalar path a select on
            /// the sign would be one, mispredicted with random signs.
            #[inline(always)]
            pub(crate) fn sign_of_power(x: $f, ax: $f, y: $f) -> $f {
                let parity = (y * splat(0.5)).floor().mul_add(splat(-2.0), y);
                parity.mul_add(x, (splat(1.0) - parity) * ax)
            }

            /// y ln|x| as a double-double, from ln|x| as one (`pow`).
            #[inline(always)]
            fn y_times_ln(y: $f, (l_hi, l_lo): ($f, $f)) -> ($f, $f) {
                let y_hi = y * l_hi;
                (y_hi, y.mul_add(l_hi, -y_hi) + y * l_lo)
            }

            /// e^(y_hi + y_lo) for `pow`'s double-double y ln|x|, of any size (NaN
            /// included): below 708 in size (2^k and the result normal) one product by
            /// 2^k, the bits of [`exp_double_double`]'s two exact scalings there;
            /// beyond, through it, clamped to +-760 (past which the result is inf or 0
            /// whatever the low part) so that the reduction stays in range (NaN stays
            /// NaN, as 0 inf).
            #[inline(always)]
            fn exp_of_power((y_hi, y_lo): ($f, $f)) -> $f {
                dispatch!(
                    y_hi.abs().simd_lt(splat(708.0)),
                    move || {
                        let (k, r, r_lo) = reduce(y_hi, y_lo);
                        (expm1_reduced(r, r_lo) + splat(1.0)) * pow2(k)
                    },
                    move || {
                        let clamped = y_hi.abs().simd_gt(splat(760.0)) | y_hi.is_nan();
                        exp_double_double(
                            clamped.select(splat(760.0).copysign(y_hi), y_hi),
                            clamped.select(splat(0.0), y_lo),
                        )
                    },
                )
            }

            /// x^y with the C99/IEEE special cases of std's `powf` (sketch B): ln|x| in
            /// double-double, y ln|x| by an exact product, then e^(hi + lo).
            ///
            /// Three sides, each taken only if some lane needs it: positive normal x
            /// with finite y (no sign and no integer test: the common case, with the
            /// fewest instructions on the scalar path); normal x with finite y, x
            /// negative only with an integer y (the sign from y's parity, without a
            /// branch); the cold rest (subnormal x, zeros, infinities, NaN, negative x
            /// with a non-integer y). A lane gets the same bits from every side that
            /// accepts it.
            #[inline(always)]
            pub fn pow(x: $f, y: $f) -> $f {
                let zero = splat(0.0);
                let one = splat(1.0);
                let inf = splat(f64::INFINITY);
                let ax = x.abs();
                let finite_y = y.abs().simd_lt(inf);
                let magnitude = move || exp_of_power(y_times_ln(y, ln_parts(ax, None, None)));
                let normal = ax.simd_ge(splat(f64::MIN_POSITIVE)) & ax.simd_lt(inf);
                if (normal & x.simd_gt(zero) & finite_y).all() {
                    return magnitude();
                }
                // Where x is negative, y is an integer here.
                let signed = move || magnitude().copysign(sign_of_power(x, ax, y));
                let y_integer = is_integer(y);
                let ok = normal & finite_y & (x.simd_gt(zero) | y_integer);
                dispatch!(ok, signed, move || {
                    let flip = x.is_sign_negative() & y_integer & !is_integer(y * splat(0.5));
                    // Finite nonzero x, subnormals included.
                    let magnitude = exp_of_power(y_times_ln(y, ln_parts_positive(ax)));
                    let general = flip.select(-magnitude, magnitude);
                    // Negative finite x with a non-integer finite y: not a real number.
                    let general =
                        (x.simd_lt(zero) & !y_integer & finite_y).select(splat(f64::NAN), general);
                    // y = +-inf (x finite, nonzero): |x| = 1 gives 1; growth or decay otherwise.
                    let y_inf = y.abs().simd_eq(inf);
                    // (Mask lanes are all-ones bit patterns, NaN as floats: combine them with
                    // & and |, never compare them.)
                    let grows =
                        (ax.simd_gt(one) & y.simd_gt(zero)) | (ax.simd_lt(one) & y.simd_lt(zero));
                    let inf_case = ax.simd_eq(one).select(one, grows.select(inf, zero));
                    let result = y_inf.select(inf_case, general);
                    // x = +-0 or +-inf: 0 or inf by the sign of y (and of ln|x|), odd y keeps
                    // the sign of x.
                    let x_zero = ax.simd_eq(zero);
                    let x_edge = x_zero | ax.simd_eq(inf);
                    let to_inf = (x_zero & y.simd_lt(zero)) | (!x_zero & y.simd_gt(zero));
                    let edge_magnitude = to_inf.select(inf, zero);
                    let edge = flip.select(-edge_magnitude, edge_magnitude);
                    let result = x_edge.select(edge, result);
                    let result = (x.is_nan() | y.is_nan()).select(x + y, result);
                    (y.simd_eq(zero) | x.simd_eq(one)).select(one, result)
                })
            }

            /// x^n by binary powering (the algorithm of compiler-rt's `__powidf2`, which
            /// std's `powi` calls), so lanes agree bit for bit with std.
            #[inline(always)]
            pub fn powi(x: $f, n: i32) -> $f {
                let mut base = x;
                let mut exponent = n.unsigned_abs();
                let mut acc = splat(1.0);
                loop {
                    if exponent & 1 == 1 {
                        acc *= base;
                    }
                    exponent >>= 1;
                    if exponent == 0 {
                        break;
                    }
                    base *= base;
                }
                if n < 0 { splat(1.0) / acc } else { acc }
            }

            /// asinh x = sign(x) ln_1p(a + a^2 / (1 + sqrt(1 + a^2))), a = |x|; ln(2a)
            /// past 1e150 where a^2 would overflow.
            #[inline(always)]
            pub fn asinh(x: $f) -> $f {
                let a = x.abs();
                let a2 = a * a;
                let near = move || ln_1p(a + a2 / (splat(1.0) + (splat(1.0) + a2).sqrt()));
                let far = move || ln(a) + splat(LN_2);
                let magnitude = dispatch2!(
                    a.simd_le(splat(1e150)),
                    near,
                    // Far and finite: ln's fast side, the bits of `far` (a is normal).
                    a.simd_gt(splat(1e150)) & a.simd_lt(splat(f64::INFINITY)),
                    move || ln_parts(a, None, None).0 + splat(LN_2),
                    move || {
                        let far_lanes = a.simd_gt(splat(1e150));
                        dispatch!(far_lanes, far, || far_lanes.select(far(), near()))
                    },
                );
                magnitude.copysign(x)
            }

            /// acosh x = ln(x + s) with s = sqrt(x^2 - 1) = sqrt(t^2 + 2t), t = x - 1
            /// (exact near 1, so s carries its two roundings only), through the
            /// double-double u + (s - (u - x)), u = x + s rounded (Fast2Sum: x > s), so
            /// that the sum's rounding costs nothing; ln(2x) past 2^28.
            #[inline(always)]
            pub fn acosh(x: $f) -> $f {
                let t = x - splat(1.0);
                let near = move || {
                    let s = t.mul_add(t, t + t).sqrt();
                    let u = x + s;
                    ln_parts(u, Some(s - (u - x)), None).0
                };
                let ok = x.simd_ge(splat(1.0)) & x.simd_le(splat(268435456.0));
                let far = move || ln(x) + splat(LN_2);
                dispatch2!(
                    ok,
                    near,
                    // Far and finite: ln's fast side, the bits of `far` (x is normal).
                    x.simd_gt(splat(268435456.0)) & x.simd_lt(splat(f64::INFINITY)),
                    move || ln_parts(x, None, None).0 + splat(LN_2),
                    move || {
                        let far_lanes = x.simd_gt(splat(268435456.0));
                        let value = dispatch!(far_lanes, far, || far_lanes.select(far(), near()));
                        x.simd_lt(splat(1.0)).select(splat(f64::NAN), value)
                    },
                )
            }

            /// atanh x = sign(x) ln_1p(2a / (1 - a)) / 2, a = |x| (1 - a exact near 1).
            #[inline(always)]
            pub fn atanh(x: $f) -> $f {
                let a = x.abs();
                let magnitude = splat(0.5) * ln_1p((a + a) / (splat(1.0) - a));
                magnitude.copysign(x)
            }

            /// sqrt(x^2 + y^2) as written (y^2 rounded, x^2 + y^2 by one fused
            /// multiply-add, the root: within 1 ulp) on x and y scaled by the power of
            /// two 2^(1023 - E), E the biased exponent of max(|x|, |y|) clamped to
            /// [1, 2045], so that the larger lies in [2^-52, 4) and neither square
            /// overflows (a square that underflows is below 2^-1000 of the other), and
            /// the result scaled back by 2^(E - 1023); both scalings are exact. An
            /// argument that would scale below 2^-510 counts as 2^-510 (no subnormal
            /// scaling or square). No
            /// branch: one formula for every lane. inf if either is infinite (even with
            /// a NaN), as std.
            #[inline(always)]
            pub fn hypot(x: $f, y: $f) -> $f {
                let m = x.abs().max(y.abs());
                let clamped = m.max(splat(f64::MIN_POSITIVE)).min(splat(TWO_1022));
                let e = clamped.to_bits() & $u::splat(0x7FF0_0000_0000_0000);
                let scale = $f::from_bits($u::splat(0x7FE0_0000_0000_0000) - e);
                // Scaled, at least 2^-510, so that neither the scaling nor a square
                // is subnormal (slow on most hardware): the larger is at least 2^-52
                // after scaling, so 2^-1020 in place of a smaller square is far below
                // its ulp. (The floor 2^-510 / scale is itself subnormal where the
                // larger is below 2^-512.)
                let unscale = $f::from_bits(e);
                let floor = unscale * splat(TWO_M510);
                let xs = x.abs().max(floor) * scale;
                let ys = y.abs().max(floor) * scale;
                let value = xs.mul_add(xs, ys * ys).sqrt() * unscale;
                // inf if either is infinite, else NaN if either is NaN.
                let inf = splat(f64::INFINITY);
                let infinite = x.abs().simd_eq(inf) | y.abs().simd_eq(inf);
                let special = infinite.select(inf, x + y);
                (infinite | x.is_nan() | y.is_nan()).select(special, value)
            }

            /// e^a / 2 for a > 22, where e^-a no longer matters: exp's fast side halved
            /// (exactly) below 708; above, where e^a overflows before e^a / 2 does (up to
            /// a = 710.48), e^(a - ln2) with a - ln2 as a double-double.
            #[inline(always)]
            fn half_exp(a: $f) -> $f {
                dispatch!(
                    a.simd_lt(splat(708.0)),
                    move || {
                        let (k, m) = exp_reduced(a);
                        m * pow2(k - splat(1.0))
                    },
                    move || {
                        // Fast2Sum (a > ln2): one rounding, finite up to the true overflow.
                        let hi = a - splat(LN_2);
                        let lo = ((a - hi) - splat(LN_2)) - splat(LN2_TAIL);
                        exp_double_double(hi.min(splat(760.0)), lo)
                    },
                )
            }

            /// |sinh| or cosh at a = |x|: `near` below `fast_limit` (at least 22; `near`
            /// must be right up to there), e^a / 2 past 22 and `fast_limit` (alone when
            /// every lane is past, as a scalar always is), inf at inf, NaN at NaN.
            #[inline(always)]
            fn hyperbolic_magnitude(a: $f, fast_limit: f64, near: impl Fn() -> $f) -> $f {
                // Past the limit through the cold call: a second fast side there
                // (`dispatch2!`, e^a / 2 inline) made a single sinh past 22 twice as fast
                // but one below 22, the common case, 17-25% slower (same instruction
                // count).
                dispatch!(a.simd_lt(splat(fast_limit)), &near, || {
                    let inf = splat(f64::INFINITY);
                    let large = a.simd_gt(splat(22.0)) & a.simd_lt(inf);
                    let value =
                        dispatch!(large, || half_exp(a), || large.select(half_exp(a), near()));
                    a.simd_eq(inf).select(inf, value)
                })
            }

            /// Hyperbolic sine: sign(x) (E + E / (E + 1)) / 2 with E = e^|x| - 1 (no
            /// cancellation near 0, one division) up to |x| = 22, e^|x| / 2 past it.
            #[inline(always)]
            pub fn sinh(x: $f) -> $f {
                let a = x.abs();
                // e^a - 1 for a <= 36 (exp_m1's fast side).
                let near = || {
                    let (k, r, r_lo) = reduce(a, splat(0.0));
                    let two_k = pow2(k);
                    let e = two_k.mul_add(expm1_reduced(r, r_lo), two_k - splat(1.0));
                    splat(0.5) * (e + e / (e + splat(1.0)))
                };
                hyperbolic_magnitude(a, 22.0, near).copysign(x)
            }

            /// Hyperbolic cosine: (e^|x| + e^-|x|) / 2 (two positive terms, one division)
            /// below |x| = 708 (which is e^|x| / 2 itself past 22), e^|x| / 2 by
            /// `half_exp` beyond.
            #[inline(always)]
            pub fn cosh(x: $f) -> $f {
                let a = x.abs();
                // e^a for a < 708 (exp's fast side).
                let near = || {
                    let (k, m) = exp_reduced(a);
                    let e = m * pow2(k);
                    splat(0.5) * e + splat(0.5) / e
                };
                // `near` is e^a / 2 itself from 22 to 708: 0.5 e is half_exp's exact
                // m 2^(k-1), and 0.5 / e < 2^-32 is below half its ulp (>= 2^-22), so
                // the sum rounds back to it. Same bits, without the cold call.
                hyperbolic_magnitude(a, 708.0, near)
            }

            /// 2^x = 2^k 2^r, k = round(x), r = x - k exact, 2^r from its Taylor series
            /// (wide's exp2 is off by 1e-12 relative at half-integers).
            #[inline(always)]
            pub fn exp2(x: $f) -> $f {
                // 2^k times 2^r rounded once, r = x - k exact: 2^r - 1 = r ln2 (with
                // the tail of ln2) + r^2 P(r), the product r ln2 not rounded apart.
                let reduced = |xc: $f| {
                    let k = xc.round_ties_even();
                    let r = xc - k;
                    let small = (r * r).mul_add(estrin(r, &EXP2_TAYLOR), r * splat(LN2_TAIL));
                    (k, r.mul_add(splat(LN_2), small) + splat(1.0))
                };
                scaled_exponential(x, 1022.0, 1100.0, reduced)
            }

            /// Lanes that need the scalar fallback of the trig functions.
            #[inline(always)]
            fn huge_trig_arguments(x: $f) -> $m {
                x.abs().simd_gt(splat(TRIG_LIMIT)) & x.is_finite()
            }

            /// `simd` with its lanes where |x| > 2^30 replaced by `f` of their x (one
            /// comparison when there is none).
            #[inline(always)]
            fn with_huge_lanes(x: $f, simd: $f, f: impl Fn(f64) -> f64) -> $f {
                let huge = huge_trig_arguments(x);
                if huge.any() {
                    let huge = huge.to_array().map(|h| h.to_bits() != 0);
                    return $f::new(super::super::patch_lanes(
                        x.to_array(),
                        simd.to_array(),
                        huge,
                        f,
                    ));
                }
                simd
            }

            /// Sine and cosine.
            #[inline(always)]
            pub fn sin_cos(x: $f) -> ($f, $f) {
                let (s, c) = sin_cos_reduced_range(x);
                (
                    with_huge_lanes(x, s, f64::sin),
                    with_huge_lanes(x, c, f64::cos),
                )
            }

            /// Sine (std for the lanes with |x| > 2^30 only).
            #[inline(always)]
            pub fn sin(x: $f) -> $f {
                with_huge_lanes(x, sin_cos_reduced_range(x).0, f64::sin)
            }

            /// Cosine (std for the lanes with |x| > 2^30 only).
            #[inline(always)]
            pub fn cos(x: $f) -> $f {
                with_huge_lanes(x, sin_cos_reduced_range(x).1, f64::cos)
            }

            /// sin and cos of the reduced argument: `k` with r + r_lo = x - k pi/2
            /// (Cody-Waite with a three-part pi/2, the product k PIO2_2 kept exact with
            /// an FMA, so r + r_lo is accurate also where x is next to a multiple of
            /// pi/2 and r is tiny), and sin(r + r_lo), cos(r + r_lo) as double-doubles
            /// from their Taylor series. Valid for |x| <= 2^30.
            #[inline(always)]
            fn reduced_sin_cos(x: $f) -> ($f, ($f, $f), ($f, $f)) {
                let k = (x * splat(core::f64::consts::FRAC_2_PI)).round_ties_even();
                // Exact: x and k PIO2_1 are multiples of ulp(x) (|x| >= 1) and close.
                let r1 = (-k).mul_add(splat(PIO2_1), x);
                let p_hi = k * splat(PIO2_2);
                let p_lo = k.mul_add(splat(PIO2_2), -p_hi);
                let r = r1 - p_hi;
                // TwoSum: r1 may be smaller than p_hi when x is close to k pi/2.
                let bb = r - r1;
                let r_lo = ((r1 - (r - bb)) - (p_hi + bb)) - p_lo - k * splat(PIO2_3);
                let z = r * r;
                let z_err = r.mul_add(r, -z);
                // sin(r + r_lo) = r + r^3 S(z) + r_lo (to first order) as hi + lo.
                let sin_tail = (r * z).mul_add(estrin(z, &SIN_TAYLOR), r_lo);
                let sin_hi = r + sin_tail;
                let sin_lo = (r - sin_hi) + sin_tail;
                // cos(r + r_lo) = (1 - z/2) + z^2 C(z) - r r_lo, with 1 - z/2 exact
                // (Fast2Sum) and the rounding of z added back.
                let half = z * splat(0.5);
                let one_minus = splat(1.0) - half;
                let one_minus_err = (splat(1.0) - one_minus) - half;
                let cos_tail = (z * z).mul_add(estrin(z, &COS_TAYLOR), one_minus_err)
                    - (z_err * splat(0.5) + r * r_lo);
                let cos_hi = one_minus + cos_tail;
                let cos_lo = (one_minus - cos_hi) + cos_tail;
                (k, (sin_hi, sin_lo), (cos_hi, cos_lo))
            }

            /// Sine and cosine without the fallback, valid for |x| <= 2^30 (the f32
            /// lane types patch huge lanes with f32's own std functions): the reduced
            /// sine and cosine, swapped and negated by the quadrant k mod 4, and each
            /// rounded once from its double-double (about 1 ulp, also next to the zeros).
            #[inline(always)]
            pub fn sin_cos_reduced_range(x: $f) -> ($f, $f) {
                let (k, (sin_hi, sin_lo), (cos_hi, cos_lo)) = reduced_sin_cos(x);
                // k mod 4 from k/4's fraction: 0, 1/4, 1/2 or 3/4 (exact for |k| < 2^52).
                let quarter = k * splat(0.25);
                let q = (quarter - quarter.floor()) * splat(4.0);
                let odd = q.simd_eq(splat(1.0)) | q.simd_eq(splat(3.0));
                // sin x: q 0: sin r, 1: cos r, 2: -sin r, 3: -cos r; cos x: q 0: cos r,
                // 1: -sin r, 2: -cos r, 3: sin r.
                let s = odd.select(cos_hi + cos_lo, sin_hi + sin_lo);
                let c = odd.select(sin_hi + sin_lo, cos_hi + cos_lo);
                let s_negative = q.simd_ge(splat(2.0));
                let c_negative = q.simd_eq(splat(1.0)) | q.simd_eq(splat(2.0));
                let s = s_negative.select(-s, s);
                let c = c_negative.select(-c, c);
                // +-0 keeps its sign in sin; inf and NaN give NaN through k.
                (x.simd_eq(splat(0.0)).select(x, s), c)
            }

            /// Tangent for |x| <= 2^30 (own kernel, about 1 ulp; a sin/cos quotient
            /// reaches 3): the reduced sine and cosine of `reduced_sin_cos` and their
            /// quotient (-cos/sin for odd k) corrected by its residual.
            #[inline(always)]
            pub fn tan_reduced_range(x: $f) -> $f {
                let (k, (sin_hi, sin_lo), (cos_hi, cos_lo)) = reduced_sin_cos(x);
                // Odd k: tan(r + pi/2) = -cos r / sin r.
                let odd = (k * splat(0.5)).floor().simd_ne(k * splat(0.5));
                let (num_hi, num_lo) = (odd.select(-cos_hi, sin_hi), odd.select(-cos_lo, sin_lo));
                let (den_hi, den_lo) = (odd.select(sin_hi, cos_hi), odd.select(sin_lo, cos_lo));
                // One division: q = num_hi / den_hi through the reciprocal (within
                // about 1.5 ulp), then the residual's correction, which the same
                // reciprocal scales with a relative error far below an ulp of q.
                let inverse = splat(1.0) / den_hi;
                let q = num_hi * inverse;
                let residual = (-q).mul_add(den_hi, num_hi) + ((-q).mul_add(den_lo, num_lo));
                let value = residual.mul_add(inverse, q);
                // +-0 keeps its sign; inf and NaN give NaN through k.
                x.simd_eq(splat(0.0)).select(x, value)
            }

            /// Tangent.
            #[inline(always)]
            pub fn tan(x: $f) -> $f {
                with_huge_lanes(x, tan_reduced_range(x), f64::tan)
            }
        }
    };
}

f64_kernels!(kernels_f64x4, f64x4, u64x4, f64x4, false);
f64_kernels!(kernels_f64x8, f64x8, u64x8, f64x8, false);
// The scalar path: one f64 as a one-lane vector (`super::scalar`), where a table lookup
// reads one row. The arithmetic is the same code, so the bits are those of the lane
// types.
f64_kernels!(kernels_scalar, S, SU, SM, true);

/// Constants of the f32 kernels.
pub(crate) mod constants_f32 {
    /// 1.5 2^52: adding it to an integer-valued k (|k| < 2^51) puts k's two's
    /// complement into the low mantissa bits.
    pub const ROUND_MAGIC: f64 = 6755399441055744.0;
    /// sin r = r + r^3 S(r^2) on |r| <= pi/4 (a little more): near-minimax (Lawson's
    /// weighted least squares, scripts/f32_poly.py),
    /// relative error below 2^-37.
    pub const SIN: [f64; 4] = [
        -0.16666666641425978,
        0.008333329362234514,
        -0.0001983932712489552,
        2.718237184609596e-06,
    ];
    /// cos r = 1 - r^2/2 + r^4 C(r^2) on |r| <= pi/4: relative error below 2^-42.
    pub const COS: [f64; 5] = [
        -0.5,
        0.041666666619105217,
        -0.0013888883467146017,
        2.4799451525856832e-05,
        -2.720504457227348e-07,
    ];
    /// e^r = 1 + r + r^2 E(r) on |r| <= ln2/2: relative error below 2^-34.
    pub const EXP: [f64; 6] = [
        0.5000000068040824,
        0.16666665864594524,
        0.041666293624817184,
        0.008333497668599676,
        0.0013944759163410337,
        0.0001979024860287256,
    ];
    /// 2^r = 1 + r ln2 + r^2 F(r) on |r| <= 1/2: relative error below 2^-34.
    pub const EXP2: [f64; 6] = [
        0.24022651020919658,
        0.05550410600978195,
        0.009618043332951486,
        0.0013333820022455247,
        0.00015465371680856824,
        1.5213595285663589e-05,
    ];
    /// ln(1 + r) = r + r^2 Q(r) on |r| <= 2^-7: relative error below 2^-41.5 (pow's
    /// log2 is the same logarithm, scaled).
    pub const LN: [f64; 4] = [
        -0.4999999998051912,
        0.3333333331107959,
        -0.2500127415865555,
        0.2000120114823595,
    ];
    /// cbrt(m) = C(m - 1.5) on m in [1, 2]: relative error below 2^-16.7, squared by
    /// the Newton step that follows.
    pub const CBRT: [f64; 5] = [
        1.1447103490104473,
        0.25428324700838845,
        -0.056353156550517494,
        0.02246798042545229,
        -0.010603677152443269,
    ];
    /// asin s = s + s^3 P(s^2) on s in [0, 1/2]: relative error below 2^-35.8.
    pub const ASIN: [f64; 7] = [
        0.16666667180260233,
        0.07499948898438542,
        0.04465997181657508,
        0.030112530456184904,
        0.024604677587291575,
        0.007509583788923274,
        0.03464619319777723,
    ];
    /// atan z = z + z^3 P(z^2) on |z| <= tan(pi/8): relative error below 2^-40.2.
    pub const ATAN: [f64; 7] = [
        -0.3333333329571853,
        0.1999999432556271,
        -0.14285423595787533,
        0.1110400346974117,
        -0.08996837027850259,
        0.06991205691113306,
        -0.037924142154878875,
    ];
    /// tan(pi/8) and tan(3pi/8), the f32 arctangent's reduction thresholds.
    pub const TAN_PI_8: f64 = 0.41421356237309503;
    pub const TAN_3PI_8: f64 = 2.414213562373095;
    /// 2^(1/3) and 2^(2/3), rounded to f64.
    pub const CBRT_2: f64 = 1.2599210498948732;
    pub const CBRT_4: f64 = 1.5874010519681994;
    /// log2(1 + r) = r P(r) on |r| <= 2^-7 (the logarithm of log2 and pow): relative
    /// error below 2^-41.5.
    pub const POW_LOG2: [f64; 5] = [
        1.4426950408889647,
        -0.7213475201634227,
        0.48089834656188535,
        -0.3606921426291273,
        0.28855738393511854,
    ];
    /// 2^r = 1 + r Q(r) on |r| <= 1/128 (pow's exponential, after the table): relative
    /// error below 2^-36.8.
    pub const POW_EXP2: [f64; 3] = [0.6931471805682093, 0.24022699426384939, 0.05550398512319984];
    /// 1.5 2^46: adding it to |w| < 2^45 rounds w to a multiple of 1/64 and puts 64 times
    /// that multiple, in two's complement, into the low mantissa bits.
    pub const EXP2_SHIFT: f64 = 105553116266496.0;
}

/// Instantiates the f32 kernels over an f64 lane type (`f64x8` for the f32 lane types,
/// widened; `S` for a single f32): each takes f32 values held exactly in f64 and returns
/// an f64 that the caller rounds once to f32. The f64 kernels of module `$base` aim at
/// f64's precision, far more than an f32 result can show; these aim at about 2^-34
/// relative error before that rounding (shorter polynomials, a one-part reduction, no
/// double-double), so a result is the correctly rounded f32 except where the exact
/// value lies within about 2^-10 ulp of a rounding boundary, and then 1 ulp off.
/// Every f32, subnormals included, is a normal f64, and every result before rounding
/// is finite and normal in f64 (arguments are clamped where the f32 result is 0 or inf
/// anyway), so no kernel needs a general side for its arguments; pow has one for its
/// special values (zeros, infinities, NaN, negative bases), to keep them off the
/// common path.
macro_rules! f32_kernels {
    ($module:ident, $base:ident, $f:ident, $u:ident, $m:ident) => {
        /// f32 kernels in f64 for one lane type.
        #[allow(dead_code)]
        pub(crate) mod $module {
            #[allow(unused_imports)]
            use super::super::scalar::{S, SM, SU};
            use super::constants::{PIO2_1, PIO2_2, PIO2_3};
            use super::constants_f32::*;
            use super::$base::{
                estrin, exp2_table_bits, is_integer, ln_special, ln_table_reduce, not_all_fast,
                pow2, sign_of_power, splat, unbiased_exponent,
            };
            use crate::simd::log_table::LOG_TABLE;
            use crate::simd::scalar::OddLanes;
            use core::f64::consts::{
                FRAC_2_PI, FRAC_PI_2, FRAC_PI_4, LN_2, LOG2_E, LOG10_2, LOG10_E, PI,
            };
            #[allow(unused_imports)]
            use wide::{f64x4, f64x8, u64x4, u64x8};

            /// `p 2^k` for `k, p = reduced(x clamped to [lo, hi])`, NaN kept: the
            /// clamp keeps 2^k normal in f64 where the f32 result is already 0 or inf.
            #[inline(always)]
            fn exponential(x: $f, lo: f64, hi: f64, reduced: impl Fn($f) -> ($f, $f)) -> $f {
                let (k, p) = reduced(x.max(splat(lo)).min(splat(hi)));
                x.is_nan().select(x, p * pow2(k))
            }

            /// `k` and e^r for x = k ln2 + r: k = round(x / ln2), r = x - k ln2 (one
            /// rounding; the tail of ln2 times |k| <= 152 is below 2^-48), e^r by its
            /// polynomial.
            #[inline(always)]
            fn exp_reduced(x: $f) -> ($f, $f) {
                let k = (x * splat(LOG2_E)).round_ties_even();
                let r = (-k).mul_add(splat(LN_2), x);
                (k, (r * r).mul_add(estrin(r, &EXP), r) + splat(1.0))
            }

            /// e^x.
            #[inline(always)]
            pub fn exp(x: $f) -> $f {
                exponential(x, -104.0, 89.0, exp_reduced)
            }

            /// 2^x: k = round(x), r = x - k exact, 2^r by its polynomial (exact at
            /// integers).
            #[inline(always)]
            pub fn exp2(x: $f) -> $f {
                exponential(x, -151.0, 129.0, |x| {
                    let k = x.round_ties_even();
                    let r = x - k;
                    (
                        k,
                        (r * r).mul_add(estrin(r, &EXP2), r * splat(LN_2)) + splat(1.0),
                    )
                })
            }

            /// The table reduction of positive finite x = 2^k m as `(k, t, r)` (the f64
            /// kernels' table: c near 1/m with t = -ln c, and r = m c - 1 exact, |r| <
            /// 2^-7), so that ln x = k ln2 + t + ln(1 + r).
            #[inline(always)]
            fn ln_reduced(x: $f) -> ($f, $f, $f) {
                let (k, r, [_, t, _, _], _) = ln_table_reduce(x, &LOG_TABLE);
                (k, t, r)
            }

            /// ln(1 + r) = r + r^2 Q(r) (`LN`, 2^-41.5 relative) for the reduced r.
            #[inline(always)]
            fn ln_1p_reduced(r: $f) -> $f {
                (r * r).mul_add(estrin(r, &LN), r)
            }

            /// `f(k, t, r)` of [`ln_reduced`] for positive finite x, ln's special values
            /// elsewhere (where the reduction reads garbage bits of x, and its result
            /// is not taken): those on the cold side, so that a positive finite x, on
            /// the scalar path, pays one branch for them instead of their comparisons
            /// and blends.
            #[inline(always)]
            fn of_ln(x: $f, f: impl Fn(($f, $f, $f)) -> $f + Copy) -> $f {
                dispatch!(
                    x.simd_gt(splat(0.0)) & x.simd_lt(splat(f64::INFINITY)),
                    move || f(ln_reduced(x)),
                    move || ln_special(x),
                )
            }

            /// Natural logarithm: (k ln2 + t + r) + r^2 Q(r), the last multiply-add
            /// waiting for the polynomial only (k ln2 + t in one rounding; where k = 0
            /// and c = 1, next to 1, that sum is r exactly).
            #[inline(always)]
            pub fn ln(x: $f) -> $f {
                of_ln(x, |(k, t, r)| {
                    (r * r).mul_add(estrin(r, &LN), r + k.mul_add(splat(LN_2), t))
                })
            }

            /// log2 x = k - log2 c + log2(1 + r) from [`ln_reduced`]'s parts: (k + t /
            /// ln2 + r P0) + r^2 (P1 + ...) with log2(1 + r) = r P(r) (`POW_LOG2`, about
            /// 2^-41.5 relative); exactly k at 2^k (where r = t = 0). Where the
            /// polynomial's part matters (x near 1, k = 0 and c = 1) nothing cancels.
            #[inline(always)]
            fn log2_reduced((k, t, r): ($f, $f, $f)) -> $f {
                let head = r.mul_add(splat(POW_LOG2[0]), t.mul_add(splat(LOG2_E), k));
                (r * r).mul_add(estrin(r, &POW_LOG2[1..]), head)
            }

            /// Base-2 logarithm ([`log2_reduced`]).
            #[inline(always)]
            pub fn log2(x: $f) -> $f {
                of_ln(x, log2_reduced)
            }

            /// Base-10 logarithm: (k log10(2) + t log10(e)) + ln(1 + r) log10(e).
            #[inline(always)]
            pub fn log10(x: $f) -> $f {
                of_ln(x, |(k, t, r)| {
                    ln_1p_reduced(r).mul_add(
                        splat(LOG10_E),
                        k.mul_add(splat(LOG10_2), t * splat(LOG10_E)),
                    )
                })
            }

            /// log2 of positive finite x ([`log2_reduced`] without the special values).
            #[inline(always)]
            fn log2_positive(x: $f) -> $f {
                log2_reduced(ln_reduced(x))
            }

            /// 2^w for w in [-152, 129]: j = round(64 w) (by [`EXP2_SHIFT`]), r = w -
            /// j/64 exact (|r| <= 1/128), 2^(j/64) from the table with floor(j/64)
            /// added to its exponent field, times 1 + r Q(r) (`POW_EXP2`, 2^-36.8).
            #[inline(always)]
            fn exp2_by_table(w: $f) -> $f {
                let shifted = w + splat(EXP2_SHIFT);
                let r = w - (shifted - splat(EXP2_SHIFT));
                let bits = shifted.to_bits();
                // The low 52 bits are 2^51 + j: shifted right by 6 that is 2^45 +
                // floor(j/64), whose low 12 bits, moved to the exponent field, add
                // floor(j/64) to it (the rest shifts out).
                let scale = $f::from_bits(exp2_table_bits(bits) + ((bits >> 6u32) << 52u32));
                // r Q(r) as r c0 + r^2 (c1 + c2 r): two multiply-adds deep after r^2.
                let rq = (r * r).mul_add(
                    r.mul_add(splat(POW_EXP2[2]), splat(POW_EXP2[1])),
                    r * splat(POW_EXP2[0]),
                );
                scale.mul_add(rq, scale)
            }

            /// x^y with the special values of std's `powf`: 2^(y log2|x|) by
            /// [`log2_positive`] and [`exp2_by_table`], negated for a negative x and
            /// an odd y. y log2|x| is clamped to [-152, 129], past which the f32
            /// result is 0 or inf anyway; its error is at most about 152 times
            /// log2's (2^-41.5), so the result is within about 2^-34 before its
            /// rounding to f32.
            ///
            /// Three sides, each taken only if some lane needs it: positive finite x
            /// with finite y (no sign to find: the common case, with the fewest
            /// instructions on the scalar path); finite nonzero x with finite y, x
            /// negative only with an integer y (the sign from y's parity); the cold
            /// rest (zeros, infinities, NaN, negative x with a non-integer y), where
            /// ln's special values (-inf at 0, inf at inf) give 0 and inf through the
            /// same exponential. A lane gets the same bits from every side that
            /// accepts it.
            #[inline(always)]
            pub fn pow(x: $f, y: $f) -> $f {
                let zero = splat(0.0);
                let one = splat(1.0);
                let inf = splat(f64::INFINITY);
                let ax = x.abs();
                let finite_y = y.abs().simd_lt(inf);
                let magnitude = |w: $f| exp2_by_table(w.max(splat(-152.0)).min(splat(129.0)));
                let positive = move || magnitude(y * log2_positive(ax));
                if (x.simd_gt(zero) & x.simd_lt(inf) & finite_y).all() {
                    return positive();
                }
                // Where x is negative, y is an integer here.
                let signed = move || positive().copysign(sign_of_power(x, ax, y));
                let y_integer = is_integer(y);
                let finite_x = ax.simd_gt(zero) & ax.simd_lt(inf);
                let ok = finite_x & finite_y & (x.simd_gt(zero) | y_integer);
                dispatch!(ok, signed, move || {
                    let flip = x.is_sign_negative() & y_integer & !is_integer(y * splat(0.5));
                    let w = y * finite_x.select(log2_positive(ax), ln_special(ax));
                    let m = w.is_nan().select(w, magnitude(w));
                    let value = flip.select(-m, m);
                    // 1 for y = 0, x = 1, and |x| = 1 with y = +-inf (0 times inf
                    // above); NaN for a negative finite x with a non-integer y (inf is
                    // an integer here).
                    let to_one =
                        y.simd_eq(zero) | x.simd_eq(one) | (ax.simd_eq(one) & y.abs().simd_eq(inf));
                    let to_nan = x.simd_lt(zero) & x.simd_gt(-inf) & !y_integer;
                    let special = to_one.select(one, splat(f64::NAN));
                    (to_one | to_nan).select(special, value)
                })
            }

            /// acosh x = ln(x + sqrt(x^2 - 1)): for f32 x, x^2 - 1 is exact in f64 next
            /// to 1 (and never overflows), so the logarithm's argument has an error
            /// near 2^-52 and the result (at least 2^-11.5 for x > 1) about 2^-40
            /// before its rounding. NaN below 1 (also where x^2 - 1 >= 0, x <= -1),
            /// inf at inf.
            #[inline(always)]
            pub fn acosh(x: $f) -> $f {
                let value = ln(x + x.mul_add(x, splat(-1.0)).sqrt());
                x.simd_lt(splat(1.0)).select(splat(f64::NAN), value)
            }

            /// Cube root: |x| = 2^(3q + r) m with m in [1, 2) and r in {0, 1, 2}; y =
            /// cbrt(m) 2^(r/3) from a degree-4 polynomial in m - 1.5 and a table of
            /// 2^(r/3), one Newton step on t = 2^r m (exact) that squares y's relative
            /// error (2^-16.7 to about 2^-33), then times 2^q with x's sign. Every f32
            /// is a normal f64, so the exponent field is the exponent; 0 and inf
            /// (exponent fields 0 and 2047) come out as about 2^-341 and 2^341, which
            /// round to f32's 0 and inf with x's sign. NaN is x itself.
            #[inline(always)]
            pub fn cbrt(x: $f) -> $f {
                let a = x.abs();
                let bits = a.to_bits();
                let e = unbiased_exponent(bits);
                // floor(e / 3) for the integer e: (e + 1/2) / 3 is at least 1/6 from
                // an integer, far more than the product's rounding.
                let q = ((e + splat(0.5)) * splat(1.0 / 3.0)).floor();
                let r = q.mul_add(splat(-3.0), e);
                let m = $f::from_bits(
                    (bits & $u::splat(0x000F_FFFF_FFFF_FFFF)) | $u::splat(0x3FF0_0000_0000_0000),
                );
                let t = m * pow2(r);
                let c = r.simd_eq(splat(1.0)).select(splat(CBRT_2), splat(1.0));
                let c = r.simd_eq(splat(2.0)).select(splat(CBRT_4), c);
                let y = estrin(m - splat(1.5), &CBRT) * c;
                let y2 = y * y;
                let y = y - y2.mul_add(y, -t) / (y2 * splat(3.0));
                x.is_nan().select(x, (y * pow2(q)).copysign(x))
            }

            /// The common part of asin and acos: `(r, far)` with r = asin s = s + s z
            /// P(z), z in [0, 1/4], where s = |x| and z = x^2 for |x| <= 1/2 (`far`
            /// false), and z = (1 - |x|) / 2 (exact), s = sqrt(z) past it, so that
            /// asin|x| = pi/2 - 2 r there. NaN past |x| = 1 (the root of a negative
            /// z) and for NaN.
            #[inline(always)]
            fn asin_parts(x: $f) -> ($f, $m) {
                let a = x.abs();
                let far = a.simd_gt(splat(0.5));
                let z = far.select((splat(1.0) - a) * splat(0.5), a * a);
                let s = far.select(z.sqrt(), a);
                (s.mul_add(z * estrin(z, &ASIN), s), far)
            }

            /// Arcsine: r, or pi/2 - 2 r past |x| = 1/2 (at least pi/6 there), with x's
            /// sign.
            #[inline(always)]
            pub fn asin(x: $f) -> $f {
                let (r, far) = asin_parts(x);
                far.select(r.mul_add(splat(-2.0), splat(FRAC_PI_2)), r)
                    .copysign(x)
            }

            /// Arccosine: pi/2 - asin x for |x| <= 1/2 (at least pi/3), 2 r past 1/2
            /// and pi - 2 r below -1/2.
            #[inline(always)]
            pub fn acos(x: $f) -> $f {
                let (r, far) = asin_parts(x);
                let near = splat(FRAC_PI_2) - r.copysign(x);
                let far_value = x
                    .simd_lt(splat(0.0))
                    .select(r.mul_add(splat(-2.0), splat(PI)), r * splat(2.0));
                far.select(far_value, near)
            }

            /// Arctangent: |x| reduced by one division to |z| <= tan(pi/8), z = -1/|x|
            /// past tan(3pi/8) (atan |x| = pi/2 + atan z), (|x| - 1)/(|x| + 1) past
            /// tan(pi/8) (pi/4 + atan z), |x| itself below; atan z = z + z^3 P(z^2)
            /// (`ATAN`); x's sign. Exact operands for the division (an f32 value plus or
            /// minus 1 is exact in f64), so z carries one rounding; NaN stays NaN, +-inf
            /// gives +-pi/2 (z = -0), and +-0 stays.
            #[inline(always)]
            pub fn atan(x: $f) -> $f {
                let a = x.abs();
                let one = splat(1.0);
                let far = a.simd_gt(splat(TAN_3PI_8));
                let mid = a.simd_gt(splat(TAN_PI_8));
                let numerator = far.select(-one, mid.select(a - one, a));
                let denominator = far.select(a, mid.select(a + one, one));
                let offset = far.select(splat(FRAC_PI_2), mid.select(splat(FRAC_PI_4), splat(0.0)));
                let z = numerator / denominator;
                let z2 = z * z;
                (offset + z.mul_add(z2 * estrin(z2, &ATAN), z)).copysign(x)
            }

            /// sqrt(x^2 + y^2) directly: for f32 values the squares are exact in f64
            /// and neither overflows nor underflows, so one rounding of the sum and
            /// one of the root; inf if either is infinite (even with a NaN), as std.
            #[inline(always)]
            pub fn hypot(x: $f, y: $f) -> $f {
                let inf = splat(f64::INFINITY);
                let value = x.mul_add(x, y * y).sqrt();
                (x.abs().simd_eq(inf) | y.abs().simd_eq(inf)).select(inf, value)
            }

            /// Sine and cosine for |x| <= 2^30 (the caller takes f32's std past that):
            /// r = x - k pi/2 (exact first step, then the two tails of pi/2), sin r and
            /// cos r by their polynomials, swapped and negated by k mod 4.
            #[inline(always)]
            pub fn sin_cos(x: $f) -> ($f, $f) {
                let k = (x * splat(FRAC_2_PI)).round_ties_even();
                let r1 = (-k).mul_add(splat(PIO2_1), x);
                let r = (-k).mul_add(splat(PIO2_2), r1) - k * splat(PIO2_3);
                let z = r * r;
                let sin_r = (r * z).mul_add(estrin(z, &SIN), r);
                let cos_r = z.mul_add(estrin(z, &COS), splat(1.0));
                // k mod 4 in the low bits (k is an integer below 2^51 in size; inf and
                // NaN give NaN through r, whatever these bits say).
                let q = (k + splat(ROUND_MAGIC)).to_bits();
                let odd = q.odd_lanes();
                // sin x: q 0: sin r, 1: cos r, 2: -sin r, 3: -cos r; cos x: q 0: cos r,
                // 1: -sin r, 2: -cos r, 3: sin r. Signs by flipping the sign bit.
                let sin_sign = (q & $u::splat(2)) << 62u32;
                let cos_sign = ((q + $u::splat(1)) & $u::splat(2)) << 62u32;
                let s = $f::from_bits(odd.select(cos_r, sin_r).to_bits() ^ sin_sign);
                let c = $f::from_bits(odd.select(sin_r, cos_r).to_bits() ^ cos_sign);
                // +-0 keeps its sign in sin.
                (x.simd_eq(splat(0.0)).select(x, s), c)
            }
        }
    };
}

f32_kernels!(kernels_f32_f64x8, kernels_f64x8, f64x8, u64x8, f64x8);
f32_kernels!(kernels_f32_scalar, kernels_scalar, S, SU, SM);
