//! Batch-lane value math: [`Value`] for the lane vectors `f64x4`, `f64x8`, `f32x8` and
//! `f32x16`, where each lane holds a different point.
//!
//! With these impls, `Dual<f64x8, f64x8, K>` is a batch-lane dual number: its value and
//! each of its `K` tangents are vectors over 8 points, and the rule table of
//! [`crate::dual`] applies unchanged (through the [`Tangent`] impls here). Comparisons
//! return a per-lane [`LaneMask`]; [`Value::select`] blends lane by lane.
//!
//! # Elementary functions
//! Every function of [`Value`] is evaluated in SIMD, accurate to a few ulp over its whole
//! domain, with std's special values (0, -0, ±inf, NaN, subnormals):
//!
//! * from `wide` (measured well in docs/SIMD_MATH.md): `sqrt`, `cbrt`,
//!   `asin`, `acos`, `atan`, `atan2`;
//! * our own kernels (module `kernels`): `exp` (Cody-Waite reduction and the Taylor
//!   polynomial of e^r - 1, one rounding in 1 + (e^r - 1): 1 ulp, mean 0.09 against
//!   wide's 0.11), `sin`, `cos`, `sin_cos` and `tan` (Cody-Waite
//!   reduction with a three-part pi/2 and sin/cos series in double-double: 1 ulp, also
//!   next to the zeros of sin and cos, where wide's sin/cos lose relative accuracy
//!   (600 ulp seen at cos(29 pi/2)); tan 1 ulp where a sin/cos quotient reaches 3;
//!   std lane by lane for |x| > 2^30), `exp2` (wide's is off by 1e-12 at
//!   half-integers), `exp_m1` (one final rounding), `tanh` (via
//!   `exp_m1`), `sinh` and `cosh` (from `exp_m1` and `exp` with one division up to
//!   |x| = 22, e^|x| / 2 past it, finite up to the true overflow: 2 and 1 ulp), `ln`
//!   (table-driven, without a division: a 128-row table of 1/m approximations and
//!   their logarithms, a degree-9 series and error-free sums give ln x as a
//!   double-double with about 2^-66 relative error, rounded once for `ln`),
//!   `pow`/`powf` (that double-double logarithm and a double-double exponential, the
//!   full IEEE special-case table), `log2`/`log10` (the same
//!   logarithm times the constant in double-double: 1 ulp, exact at powers of two),
//!   `ln_1p` (the logarithm of 1 + x as a double-double, so the rounding of 1 + x
//!   costs nothing), `asinh`/`acosh`/`atanh`/`hypot` (compositions that stay accurate
//!   near ±1 and 0), and `powi` by binary powering (bit for bit as std's `powi`).
//!
//! Each kernel has a fast side for regular arguments and a general side for the rest
//! (special values, subnormal results, the far ranges of the compositions). A vector
//! evaluates only the sides its lanes need, with one branch: a vector whose lanes are
//! all regular, and always a single value on the scalar path, never pays for the
//! special values. A lane's result comes from its own side whatever the other lanes
//! hold, so its bits do not depend on them (tests/it/simd_math.rs checks mixed vectors
//! lane by lane against the value alone). Long polynomials are evaluated by Estrin's
//! scheme, which shortens the chain of dependent multiply-adds a single value waits on.
//!
//! The f32 lane types evaluate in f64 and round once to f32 (wide's own f32 sine and
//! cosine reach thousands of ulp past |x| = 2^10). `exp`, `exp2`, `ln`, `log2`, `log10`,
//! `sin`, `cos` and `sin_cos` have f32 kernels of their own for that: f64 arithmetic
//! aimed at f32's precision, not f64's (near-minimax polynomials from
//! scripts/f32_poly.py, a one-step reduction, no double-double, and no special-value
//! side, since every f32 is a normal f64), about 2^-34 relative error before the
//! rounding: within 1 f32 ulp, and the correctly rounded f32 except where the exact
//! value lies within about 2^-10 ulp of a rounding boundary. The other functions run
//! the f64 kernels (f32x8 as one f64x8, f32x16 as two). Lanes with |x| > 2^30 of the
//! f32 trig functions use f32's std functions lane by lane.
//!
//! The scalar `Value` impls of `f64` and `f32` run the same kernels compiled for a single
//! value (`kernels_scalar`, `kernels_f32_scalar`): the operations of one lane, in order,
//! in scalar registers, with the exponent and table-index bit work on the integer units
//! and lane masks as booleans, so that a point gives the same bits alone and in a batch.
//!
//! # Measured accuracy and throughput
//!
//! `cargo run --release --example simd_accuracy 200000` (200,000 samples per row, seeded;
//! 2026-12-02, AMD EPYC, 2 shared vCPUs, AVX2 and FMA, `-C target-cpu=native`). Error:
//! `max/mean` distance in ulp from the correctly rounded result (core-math), the same for
//! both lane types and for the scalar `Value` impl of `f64`/`f32`, which runs these
//! kernels on one lane so that a point gives the same bits alone and in a batch (the
//! example asserts that). "std": max ulp of std's function, for comparison. Throughput:
//! millions of values per second on one core, 1024-value buffer in L1, best of 9
//! rounds, the four columns of a row measured in turns within each round, on a machine
//! without AVX-512 (f64x8 is two AVX registers there). The machine was shared and its
//! speed varied by up to 2x within minutes: absolute figures vary by about ±30% between
//! runs and a row's ratio still by up to ±30% (recip, the same IEEE division on both
//! sides, read 0.96 for f64 and 0.86 for f32 in this run, 0.60 to 1.16 in others).
//! "scalar / std" is the speed of the scalar path relative to std's function. The sinh
//! and cosh rows come from later runs after changes to those kernels (the f64 sinh rows
//! from `... simd_accuracy 200000 sinh`; the cosh rows, f64 and f32, from the full run
//! of 2026-12-02 after cosh's fast side grew from |x| <= 22 to |x| < 708, same bits).
//! "claimed" is the bound tests/it/simd_math.rs asserts on 100k samples per function. The
//! ±LU\[1e5,1e22\] trig rows run std lane by lane (all lanes huge); a vector with no huge
//! lane pays only one comparison for the fallback.
//!
//! f64:
//!
//! | fn | range | f64x8 = f64x4 = scalar | claimed | std | Mv/s f64x8 | Mv/s f64x4 | Mv/s scalar | Mv/s std | scalar / std |
//! |---|---|---|---|---|---|---|---|---|---|
//! | exp | U\[-7.45e2,7.097e2\] | 1/0.092 | 1 | 1 | 236 | 248 | 76 | 72 | 1.06 |
//! | exp | U\[-1e0,1e0\] | 1/0.092 | 1 | 1 | 415 | 295 | 89 | 86 | 1.03 |
//! | exp2 | U\[-1.074e3,1.0239e3\] | 1/0.090 | 1 | 1 | 459 | 395 | 142 | 144 | 0.99 |
//! | exp2 | U\[-1e0,1e0\] | 1/0.093 | 1 | 1 | 469 | 325 | 96 | 109 | 0.89 |
//! | exp_m1 | U\[-1e1,1e1\] | 2/0.056 | 2 | 1 | 300 | 262 | 64 | 48 | 1.35 |
//! | exp_m1 | ±LU\[1e-12,1e0\] | 2/0.010 | 2 | 1 | 348 | 268 | 74 | 91 | 0.81 |
//! | exp_m1 | U\[-5e1,7.097e2\] | 2/0.088 | 2 | 1 | 180 | 149 | 37 | 43 | 0.85 |
//! | ln | LU\[1e-320,1e300\] | 0/0.000 | 1 | 1 | 197 | 173 | 63 | 85 | 0.74 |
//! | ln | U\[5e-1,2e0\] | 0/0.000 | 1 | 1 | 330 | 273 | 109 | 153 | 0.72 |
//! | ln | 1+LU\[1e-16,1e-2\] | 0/0.000 | 1 | 0 | 329 | 277 | 110 | 159 | 0.69 |
//! | ln | 1-LU\[1e-16,1e-2\] | 0/0.000 | 1 | 1 | 269 | 213 | 77 | 88 | 0.88 |
//! | log2 | LU\[1e-320,1e300\] | 0/0.000 | 1 | 1 | 163 | 156 | 48 | 85 | 0.56 |
//! | log2 | U\[5e-1,2e0\] | 0/0.000 | 1 | 1 | 175 | 146 | 48 | 75 | 0.64 |
//! | log2 | 1+LU\[1e-16,1e-2\] | 0/0.000 | 1 | 1 | 295 | 246 | 81 | 185 | 0.44 |
//! | log2 | 1-LU\[1e-16,1e-2\] | 0/0.000 | 1 | 1 | 295 | 248 | 81 | 188 | 0.43 |
//! | log10 | LU\[1e-320,1e300\] | 0/0.000 | 1 | 1 | 230 | 208 | 77 | 88 | 0.88 |
//! | log10 | U\[5e-1,2e0\] | 0/0.000 | 1 | 2 | 295 | 248 | 81 | 89 | 0.92 |
//! | log10 | 1+LU\[1e-16,1e-2\] | 0/0.000 | 1 | 2 | 260 | 169 | 69 | 70 | 0.99 |
//! | log10 | 1-LU\[1e-16,1e-2\] | 0/0.000 | 1 | 2 | 239 | 195 | 72 | 65 | 1.10 |
//! | ln_1p | ±LU\[1e-12,9.99e-1\] | 1/0.000 | 1 | 1 | 207 | 183 | 60 | 86 | 0.70 |
//! | ln_1p | LU\[1e0,1e300\] | 0/0.000 | 1 | 1 | 253 | 208 | 66 | 64 | 1.02 |
//! | ln_1p | U\[-1e0,1e0\] | 0/0.000 | 1 | 1 | 255 | 188 | 71 | 71 | 1.00 |
//! | sqrt | LU\[1e-320,1e300\] | 0/0.000 | 0 | 0 | 674 | 536 | 210 | 215 | 0.97 |
//! | cbrt | ±LU\[1e-320,1e300\] | 2/0.287 | 2 | 0 | 269 | 175 | 51 | 29 | 1.73 |
//! | sin | U\[-1e1,1e1\] | 1/0.020 | 2 | 1 | 248 | 189 | 51 | 53 | 0.98 |
//! | sin | U\[-1e5,1e5\] | 1/0.021 | 2 | 1 | 214 | 190 | 49 | 52 | 0.94 |
//! | sin | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 14 | 14 | 14 | 14 | 1.05 |
//! | cos | U\[-1e1,1e1\] | 1/0.022 | 2 | 1 | 223 | 236 | 51 | 53 | 0.96 |
//! | cos | U\[-1e5,1e5\] | 1/0.021 | 2 | 1 | 217 | 189 | 49 | 50 | 0.98 |
//! | cos | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 14 | 14 | 14 | 13 | 1.05 |
//! | sin_cos.0 | U\[-1e1,1e1\] | 1/0.020 | 2 | 1 | 200 | 191 | 48 | 55 | 0.88 |
//! | sin_cos.0 | U\[-1e5,1e5\] | 1/0.021 | 2 | 1 | 200 | 188 | 49 | 50 | 0.98 |
//! | sin_cos.0 | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 7 | 8 | 16 | 15 | 1.10 |
//! | sin_cos.1 | U\[-1e1,1e1\] | 1/0.021 | 2 | 1 | 211 | 193 | 52 | 58 | 0.90 |
//! | sin_cos.1 | U\[-1e5,1e5\] | 1/0.021 | 2 | 1 | 213 | 190 | 46 | 50 | 0.94 |
//! | sin_cos.1 | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 9 | 9 | 17 | 17 | 1.02 |
//! | tan | U\[-1e1,1e1\] | 1/0.040 | 1 | 1 | 221 | 213 | 53 | 65 | 0.82 |
//! | tan | U\[-1e5,1e5\] | 1/0.040 | 1 | 1 | 224 | 213 | 53 | 52 | 1.03 |
//! | tan | ±LU\[1e5,1e22\] | 1/0.011 | 1 | 1 | 16 | 16 | 16 | 16 | 1.04 |
//! | tan | U\[1.5707962767948966e0,1.5707963767948965e0\] | 0/0.000 | 1 | 0 | 228 | 221 | 55 | 55 | 1.01 |
//! | tan | U\[3.141592603589793e0,3.1415927035897933e0\] | 0/0.000 | 1 | 0 | 229 | 217 | 54 | 81 | 0.67 |
//! | tan | U\[-4.712389030384689e0,-4.71238893038469e0\] | 0/0.000 | 1 | 0 | 231 | 219 | 55 | 55 | 1.00 |
//! | asin | U\[-1e0,1e0\] | 2/0.188 | 2 | 1 | 424 | 332 | 119 | 121 | 0.98 |
//! | asin | ±(1-LU\[1e-15,1e-1\]) | 1/0.272 | 2 | 1 | 553 | 468 | 119 | 54 | 2.20 |
//! | acos | U\[-1e0,1e0\] | 1/0.272 | 2 | 1 | 212 | 192 | 66 | 60 | 1.10 |
//! | acos | ±(1-LU\[1e-15,1e-1\]) | 1/0.262 | 2 | 1 | 309 | 284 | 81 | 42 | 1.94 |
//! | atan | ±LU\[1e-10,1e10\] | 1/0.141 | 1 | 1 | 259 | 233 | 58 | 62 | 0.93 |
//! | atan2 | x ±LU\[1e-5,1e5\]; y ±LU\[1e-5,1e5\] | 1/0.266 | 2 | 1 | 185 | 150 | 38 | 30 | 1.27 |
//! | sinh | U\[-2e1,2e1\] | 2/0.263 | 2 | 2 | 245 | 197 | 55 | 31 | 1.80 |
//! | sinh | ±LU\[1e-10,1e0\] | 2/0.338 | 2 | 2 | 249 | 200 | 56 | 49 | 1.16 |
//! | sinh | U\[-7.104e2,7.104e2\] | 2/0.099 | 2 | 2 | 146 | 127 | 41 | 50 | 0.83 |
//! | cosh | U\[-2e1,2e1\] | 1/0.254 | 1 | 1 | 342 | 249 | 76 | 65 | 1.16 |
//! | cosh | U\[-7.104e2,7.104e2\] | 1/0.100 | 1 | 2 | 317 | 229 | 72 | 58 | 1.25 |
//! | tanh | U\[-2e1,2e1\] | 2/0.034 | 3 | 2 | 159 | 130 | 41 | 31 | 1.32 |
//! | tanh | ±LU\[1e-10,1e0\] | 2/0.401 | 3 | 2 | 219 | 162 | 42 | 48 | 0.88 |
//! | asinh | ±LU\[1e-10,1e10\] | 1/0.132 | 1 | 1 | 106 | 97 | 29 | 23 | 1.28 |
//! | asinh | ±LU\[1e-300,1e300\] | 1/0.005 | 1 | 1 | 16 | 18 | 29 | 31 | 0.95 |
//! | acosh | 1+LU\[1e-12,1e10\] | 2/0.197 | 2 | 523834 | 67 | 75 | 33 | 56 | 0.59 |
//! | acosh | LU\[1e10,1e300\] | 1/0.000 | 2 | 1 | 235 | 191 | 54 | 62 | 0.87 |
//! | atanh | U\[-1e0,1e0\] | 1/0.158 | 2 | 1332 | 153 | 135 | 42 | 44 | 0.94 |
//! | atanh | ±(1-LU\[1e-15,1e-1\]) | 1/0.019 | 2 | 14828174345505 | 153 | 146 | 40 | 43 | 0.94 |
//! | atanh | ±LU\[1e-10,1e0\] | 2/0.269 | 2 | 93 | 145 | 128 | 40 | 59 | 0.68 |
//! | pow | x LU\[1e-10,1e10\]; y U\[-3e1,3e1\] | 1/0.093 | 1 | 1 | 114 | 95 | 28 | 35 | 0.82 |
//! | pow | x U\[5e-1,2e0\]; y U\[-1e3,1e3\] | 1/0.092 | 1 | 1 | 112 | 94 | 28 | 34 | 0.83 |
//! | pow | x ±LU\[1e-3,1e3\]; y Z\[-60,60\] | 1/0.091 | 1 | 1 | 43 | 42 | 19 | 31 | 0.61 |
//! | pow | x LU\[1e-300,1e300\]; y U\[-1.5e0,1.5e0\] | 1/0.087 | 1 | 1 | 86 | 86 | 28 | 33 | 0.85 |
//! | pow | x 1+LU\[1e-14,1e-2\]; y ±LU\[1e0,1e12\] | 1/0.025 | 1 | 1 | 44 | 50 | 22 | 33 | 0.68 |
//! | hypot | x ±LU\[1e-10,1e10\]; y ±LU\[1e-10,1e10\] | 2/0.264 | 2 | 1 | 403 | 299 | 79 | 59 | 1.33 |
//! | hypot | x ±LU\[1e-300,1e300\]; y ±LU\[1e-300,1e300\] | 2/0.011 | 2 | 1 | 207 | 173 | 60 | 84 | 0.72 |
//! | recip | ±LU\[1e-300,1e300\] | 0/0.000 | 0 | 0 | 939 | 625 | 210 | 218 | 0.96 |
//!
//! f32 (through the f64 kernels, one rounding to f32; std's f32 asinh overflows for
//! |x| > about 1.8e19, hence its 1e9 ulp):
//!
//! | fn | range | f32x16 = f32x8 = scalar | claimed | std | Mv/s f32x16 | Mv/s f32x8 | Mv/s scalar | Mv/s std | scalar / std |
//! |---|---|---|---|---|---|---|---|---|---|
//! | exp | U\[-1.04e2,8.87e1\] | 0/0.000 | 1 | 1 | 374 | 306 | 77 | 123 | 0.63 |
//! | exp | U\[-1e0,1e0\] | 0/0.000 | 1 | 1 | 422 | 344 | 86 | 131 | 0.66 |
//! | exp2 | U\[-1.49e2,1.279e2\] | 0/0.000 | 1 | 1 | 455 | 347 | 69 | 129 | 0.53 |
//! | exp_m1 | U\[-1e1,1e1\] | 0/0.000 | 1 | 1 | 290 | 305 | 54 | 42 | 1.27 |
//! | exp_m1 | ±LU\[1e-7,1e0\] | 0/0.000 | 1 | 1 | 296 | 320 | 58 | 60 | 0.96 |
//! | exp_m1 | U\[-2e1,8.87e1\] | 0/0.000 | 1 | 1 | 117 | 117 | 46 | 38 | 1.22 |
//! | ln | LU\[1e-45,3e38\] | 0/0.000 | 1 | 1 | 218 | 162 | 57 | 100 | 0.57 |
//! | ln | U\[5e-1,2e0\] | 0/0.000 | 1 | 1 | 179 | 195 | 73 | 111 | 0.66 |
//! | log2 | LU\[1e-45,3e38\] | 0/0.000 | 1 | 1 | 161 | 161 | 51 | 106 | 0.49 |
//! | log2 | U\[5e-1,2e0\] | 0/0.000 | 1 | 1 | 163 | 160 | 46 | 115 | 0.40 |
//! | log10 | LU\[1e-45,3e38\] | 0/0.000 | 1 | 2 | 164 | 161 | 47 | 58 | 0.81 |
//! | log10 | U\[5e-1,2e0\] | 0/0.000 | 1 | 2 | 155 | 150 | 48 | 59 | 0.80 |
//! | ln_1p | ±LU\[1e-7,9.99e-1\] | 0/0.000 | 1 | 1 | 244 | 213 | 78 | 120 | 0.65 |
//! | ln_1p | LU\[1e0,3e38\] | 0/0.000 | 1 | 1 | 251 | 219 | 79 | 90 | 0.88 |
//! | sqrt | LU\[1e-45,3e38\] | 0/0.000 | 1 | 0 | 1398 | 1218 | 233 | 249 | 0.94 |
//! | cbrt | ±LU\[1e-45,3e38\] | 0/0.000 | 1 | 0 | 241 | 206 | 48 | 66 | 0.72 |
//! | sin | U\[-1e1,1e1\] | 0/0.000 | 1 | 1 | 212 | 185 | 43 | 96 | 0.45 |
//! | sin | U\[-1e5,1e5\] | 0/0.000 | 1 | 1 | 222 | 183 | 40 | 76 | 0.52 |
//! | sin | ±LU\[1e5,3e38\] | 1/0.011 | 1 | 1 | 80 | 69 | 65 | 83 | 0.78 |
//! | cos | U\[-1e1,1e1\] | 0/0.000 | 1 | 1 | 233 | 215 | 47 | 110 | 0.43 |
//! | cos | U\[-1e5,1e5\] | 0/0.000 | 1 | 1 | 238 | 216 | 45 | 87 | 0.51 |
//! | cos | ±LU\[1e5,3e38\] | 1/0.011 | 1 | 1 | 109 | 97 | 106 | 135 | 0.79 |
//! | tan | U\[-1e1,1e1\] | 0/0.000 | 1 | 1 | 217 | 197 | 45 | 61 | 0.73 |
//! | tan | U\[-1e5,1e5\] | 0/0.000 | 1 | 1 | 174 | 170 | 36 | 34 | 1.06 |
//! | tan | ±LU\[1e5,3e38\] | 1/0.034 | 1 | 1 | 49 | 46 | 46 | 38 | 1.19 |
//! | asin | U\[-1e0,1e0\] | 0/0.000 | 1 | 1 | 269 | 231 | 68 | 87 | 0.77 |
//! | asin | ±(1-LU\[1e-7,1e-1\]) | 0/0.000 | 1 | 1 | 320 | 313 | 66 | 83 | 0.79 |
//! | acos | U\[-1e0,1e0\] | 0/0.000 | 1 | 1 | 365 | 325 | 106 | 131 | 0.81 |
//! | acos | ±(1-LU\[1e-7,1e-1\]) | 0/0.000 | 1 | 1 | 479 | 448 | 116 | 126 | 0.92 |
//! | atan | ±LU\[1e-6,1e6\] | 0/0.000 | 1 | 1 | 428 | 367 | 94 | 134 | 0.70 |
//! | atan2 | x ±LU\[1e-5,1e5\]; y ±LU\[1e-5,1e5\] | 0/0.000 | 1 | 1 | 305 | 270 | 60 | 64 | 0.94 |
//! | sinh | U\[-8.94e1,8.94e1\] | 0/0.000 | 1 | 2 | 86 | 77 | 51 | 47 | 1.10 |
//! | sinh | ±LU\[1e-6,1e0\] | 0/0.000 | 1 | 2 | 205 | 182 | 48 | 40 | 1.18 |
//! | cosh | U\[-8.94e1,8.94e1\] | 0/0.000 | 1 | 2 | 447 | 431 | 105 | 115 | 0.91 |
//! | tanh | U\[-1e1,1e1\] | 0/0.000 | 1 | 2 | 215 | 242 | 64 | 51 | 1.26 |
//! | tanh | ±LU\[1e-6,1e0\] | 0/0.000 | 1 | 2 | 214 | 240 | 64 | 78 | 0.82 |
//! | asinh | ±LU\[1e-6,3e38\] | 0/0.000 | 1 | 1020169654 | 141 | 132 | 36 | 41 | 0.88 |
//! | acosh | 1+LU\[1e-6,1e6\] | 0/0.000 | 1 | 351 | 184 | 171 | 49 | 135 | 0.36 |
//! | acosh | LU\[1e6,3e38\] | 0/0.000 | 1 | 1020169659 | 102 | 94 | 67 | 132 | 0.51 |
//! | atanh | U\[-1e0,1e0\] | 0/0.000 | 1 | 7575 | 196 | 180 | 54 | 69 | 0.79 |
//! | atanh | ±(1-LU\[1e-7,1e-1\]) | 0/0.000 | 1 | 212581 | 197 | 182 | 44 | 41 | 1.06 |
//! | atanh | ±LU\[1e-6,1e0\] | 0/0.000 | 1 | 183 | 196 | 185 | 56 | 87 | 0.64 |
//! | pow | x LU\[1e-3,1e3\]; y U\[-1.2e1,1.2e1\] | 0/0.000 | 1 | 1 | 126 | 111 | 32 | 73 | 0.44 |
//! | pow | x U\[5e-1,2e0\]; y U\[-1e2,1e2\] | 0/0.000 | 1 | 1 | 125 | 112 | 33 | 73 | 0.45 |
//! | pow | x ±LU\[1e-2,1e2\]; y Z\[-20,20\] | 0/0.000 | 1 | 1 | 53 | 49 | 22 | 66 | 0.33 |
//! | hypot | x ±LU\[1e-5,1e5\]; y ±LU\[1e-5,1e5\] | 0/0.000 | 1 | 0 | 532 | 435 | 93 | 124 | 0.75 |
//! | hypot | x ±LU\[1e-30,1e30\]; y ±LU\[1e-30,1e30\] | 0/0.000 | 1 | 0 | 718 | 652 | 148 | 220 | 0.67 |
//! | recip | ±LU\[1e-37,1e37\] | 0/0.000 | 1 | 0 | 2419 | 2345 | 366 | 424 | 0.86 |
//!
//! # Calling the functions on lane types
//!
//! `wide`'s types have inherent methods with the same names (`exp`, `min`, `select`,
//! ...), which Rust prefers to trait methods: on a concrete lane type call these as
//! `Value::exp_m1(x)`; generic code (`R: Real`, as every [`crate::VectorFn`]) gets them
//! automatically. `f64x4` and `f64x8` also implement [`crate::Real`] (`wide` has their
//! operators with `f64`); `f32x8` and `f32x16` implement [`Value`] only.
//!
//! ```
//! use batchjac::Real;
//! use wide::f64x4;
//! /// ReLU written once, lane by lane in batch-lane mode.
//! fn relu<R: Real>(x: R) -> R {
//!     let zero = R::from_f64(0.0);
//!     R::select(x.gt(zero), x, zero)
//! }
//! let x = f64x4::new([0.0, 1.0, -2.0, 1e-3]);
//! assert_eq!(relu(x).to_array(), [0.0, 1.0, 0.0, 1e-3]);
//! let y = batchjac::Value::exp_m1(x);
//! assert_eq!(y.to_array()[0], 0.0);
//! assert!((y.to_array()[1] - (core::f64::consts::E - 1.0)).abs() < 1e-15);
//! ```

mod kernels;
mod log_table;
mod scalar;
pub(crate) use kernels::constants::TRIG_LIMIT;
pub(crate) use kernels::{kernels_f32_scalar, kernels_scalar};
pub(crate) use scalar::S;

use crate::dual::Tangent;
use crate::lanes::Float;
use crate::real::{Mask, Value};
use core::ops::{BitAnd, BitOr, Not};
use kernels::{kernels_f32_f64x8, kernels_f64x4, kernels_f64x8};
use wide::{f32x8, f32x16, f64x4, f64x8};

/// A per-lane comparison result for a lane vector type `T` (each lane all ones or all
/// zeros, as `wide`'s comparisons return).
///
/// ```
/// use batchjac::{Mask, Value};
/// use wide::f64x4;
/// let m = Value::lt(f64x4::new([1.0, 2.0, 3.0, 4.0]), f64x4::splat(2.5));
/// assert!(m.any() && !m.all());
/// assert!((!m).any());
/// ```
#[derive(Clone, Copy, Debug)]
pub struct LaneMask<T>(pub T);

impl<T: BitAnd<Output = T>> BitAnd for LaneMask<T> {
    type Output = Self;
    #[inline(always)]
    fn bitand(self, rhs: Self) -> Self {
        LaneMask(self.0 & rhs.0)
    }
}

impl<T: BitOr<Output = T>> BitOr for LaneMask<T> {
    type Output = Self;
    #[inline(always)]
    fn bitor(self, rhs: Self) -> Self {
        LaneMask(self.0 | rhs.0)
    }
}

impl<T: Not<Output = T>> Not for LaneMask<T> {
    type Output = Self;
    #[inline(always)]
    fn not(self) -> Self {
        LaneMask(!self.0)
    }
}

/// The elementary functions of one lane vector type (crate-internal: the `Value` impls
/// below are written once against it).
trait LaneMath: Sized {
    fn exp(self) -> Self;
    fn exp2(self) -> Self;
    fn exp_m1(self) -> Self;
    fn ln(self) -> Self;
    fn log2(self) -> Self;
    fn log10(self) -> Self;
    fn ln_1p(self) -> Self;
    fn cbrt(self) -> Self;
    fn pow(self, y: Self) -> Self;
    fn powi(self, n: i32) -> Self;
    fn sin(self) -> Self;
    fn cos(self) -> Self;
    fn sin_cos(self) -> (Self, Self);
    fn tan(self) -> Self;
    fn asin(self) -> Self;
    fn acos(self) -> Self;
    fn atan(self) -> Self;
    fn atan2(self, x: Self) -> Self;
    fn sinh(self) -> Self;
    fn cosh(self) -> Self;
    fn tanh(self) -> Self;
    fn asinh(self) -> Self;
    fn acosh(self) -> Self;
    fn atanh(self) -> Self;
    fn hypot(self, y: Self) -> Self;
}

/// `LaneMath` for an f64 lane vector: wide's kernels where they measure well, ours
/// elsewhere.
macro_rules! lane_math_f64 {
    ($t:ident, $k:ident) => {
        impl LaneMath for $t {
            #[inline(always)]
            fn exp(self) -> Self {
                $k::exp(self)
            }
            #[inline(always)]
            fn exp2(self) -> Self {
                $k::exp2(self)
            }
            #[inline(always)]
            fn exp_m1(self) -> Self {
                $k::exp_m1(self)
            }
            #[inline(always)]
            fn ln(self) -> Self {
                $k::ln(self)
            }
            #[inline(always)]
            fn log2(self) -> Self {
                $k::log2(self)
            }
            #[inline(always)]
            fn log10(self) -> Self {
                $k::log10(self)
            }
            #[inline(always)]
            fn ln_1p(self) -> Self {
                $k::ln_1p(self)
            }
            #[inline(always)]
            fn cbrt(self) -> Self {
                $t::cbrt(self)
            }
            #[inline(always)]
            fn pow(self, y: Self) -> Self {
                $k::pow(self, y)
            }
            #[inline(always)]
            fn powi(self, n: i32) -> Self {
                $k::powi(self, n)
            }
            #[inline(always)]
            fn sin(self) -> Self {
                $k::sin(self)
            }
            #[inline(always)]
            fn cos(self) -> Self {
                $k::cos(self)
            }
            #[inline(always)]
            fn sin_cos(self) -> (Self, Self) {
                $k::sin_cos(self)
            }
            #[inline(always)]
            fn tan(self) -> Self {
                $k::tan(self)
            }
            #[inline(always)]
            fn asin(self) -> Self {
                $t::asin(self)
            }
            #[inline(always)]
            fn acos(self) -> Self {
                $t::acos(self)
            }
            #[inline(always)]
            fn atan(self) -> Self {
                $t::atan(self)
            }
            #[inline(always)]
            fn atan2(self, x: Self) -> Self {
                $t::atan2(self, x)
            }
            #[inline(always)]
            fn sinh(self) -> Self {
                $k::sinh(self)
            }
            #[inline(always)]
            fn cosh(self) -> Self {
                $k::cosh(self)
            }
            #[inline(always)]
            fn tanh(self) -> Self {
                $k::tanh(self)
            }
            #[inline(always)]
            fn asinh(self) -> Self {
                $k::asinh(self)
            }
            #[inline(always)]
            fn acosh(self) -> Self {
                $k::acosh(self)
            }
            #[inline(always)]
            fn atanh(self) -> Self {
                $k::atanh(self)
            }
            #[inline(always)]
            fn hypot(self, y: Self) -> Self {
                $k::hypot(self, y)
            }
        }
    };
}
lane_math_f64!(f64x4, kernels_f64x4);
lane_math_f64!(f64x8, kernels_f64x8);

/// An f32 lane vector evaluated through f64x8 (`PARTS` f64x8 vectors).
trait Widen: Sized + Copy {
    /// Applies an f64x8 function to the widened lanes and rounds back to f32.
    fn unary(self, f: impl Fn(f64x8) -> f64x8) -> Self;
    /// The same for a function with two results.
    fn unary_pair(self, f: impl Fn(f64x8) -> (f64x8, f64x8)) -> (Self, Self);
    /// Replaces the lanes with |x| > 2^30 by `f` of the lane (f32's std trig: accurate
    /// and, for f32, fast, where the f64 fallback would be slow).
    fn patch_huge(self, result: Self, f: impl Fn(f32) -> f32) -> Self;
    /// The same for a function of two arguments.
    fn binary(self, other: Self, f: impl Fn(f64x8, f64x8) -> f64x8) -> Self;
}

#[inline(always)]
fn widen(lanes: [f32; 8]) -> f64x8 {
    f64x8::new(lanes.map(f64::from))
}

#[inline(always)]
fn narrow(v: f64x8) -> [f32; 8] {
    // `as` rounds to nearest (and to inf past f32::MAX), one rounding of the f64 result.
    v.to_array().map(|x| x as f32)
}

/// The f32 lanes beyond which the f64 trig kernels would need their scalar fallback.
pub(crate) const F32_TRIG_LIMIT: f32 = 1073741824.0;

/// `patch_huge` for one f32 lane vector type.
macro_rules! patch_huge {
    ($t:ident) => {
        #[inline(always)]
        fn patch_huge(self, result: Self, f: impl Fn(f32) -> f32) -> Self {
            let huge = self.abs().simd_gt($t::splat(F32_TRIG_LIMIT)) & self.is_finite();
            if !huge.any() {
                return result;
            }
            let huge = huge.to_array().map(|h| h.to_bits() != 0);
            $t::new(patch_lanes(self.to_array(), result.to_array(), huge, f))
        }
    };
}

/// `out` with the lanes where `replace` is set taken from `f` of the lane of `x`: the
/// rare path of the trig functions past |x| = 2^30 (std's function of the lane's type,
/// for the f64 kernels and the f32 lane types alike), out of line so that it is
/// compiled once per crate rather than into every use of a trig function.
#[cold]
#[inline(never)]
fn patch_lanes<T: Copy, const N: usize>(
    x: [T; N],
    mut out: [T; N],
    replace: [bool; N],
    f: impl Fn(T) -> T,
) -> [T; N] {
    for i in 0..N {
        if replace[i] {
            out[i] = f(x[i]);
        }
    }
    out
}

impl Widen for f32x8 {
    patch_huge!(f32x8);
    #[inline(always)]
    fn unary_pair(self, f: impl Fn(f64x8) -> (f64x8, f64x8)) -> (Self, Self) {
        let (a, b) = f(widen(self.to_array()));
        (f32x8::new(narrow(a)), f32x8::new(narrow(b)))
    }
    #[inline(always)]
    fn unary(self, f: impl Fn(f64x8) -> f64x8) -> Self {
        f32x8::new(narrow(f(widen(self.to_array()))))
    }
    #[inline(always)]
    fn binary(self, other: Self, f: impl Fn(f64x8, f64x8) -> f64x8) -> Self {
        f32x8::new(narrow(f(widen(self.to_array()), widen(other.to_array()))))
    }
}

/// The two halves of an f32x16, widened.
#[inline(always)]
fn halves(v: f32x16) -> (f64x8, f64x8) {
    let a = v.to_array();
    let low: [f32; 8] = core::array::from_fn(|i| a[i]);
    let high: [f32; 8] = core::array::from_fn(|i| a[i + 8]);
    (widen(low), widen(high))
}

#[inline(always)]
fn join(low: f64x8, high: f64x8) -> f32x16 {
    let (low, high) = (narrow(low), narrow(high));
    f32x16::new(core::array::from_fn(|i| {
        if i < 8 { low[i] } else { high[i - 8] }
    }))
}

impl Widen for f32x16 {
    patch_huge!(f32x16);
    #[inline(always)]
    fn unary_pair(self, f: impl Fn(f64x8) -> (f64x8, f64x8)) -> (Self, Self) {
        let (low, high) = halves(self);
        let ((a0, b0), (a1, b1)) = (f(low), f(high));
        (join(a0, a1), join(b0, b1))
    }
    #[inline(always)]
    fn unary(self, f: impl Fn(f64x8) -> f64x8) -> Self {
        let (low, high) = halves(self);
        join(f(low), f(high))
    }
    #[inline(always)]
    fn binary(self, other: Self, f: impl Fn(f64x8, f64x8) -> f64x8) -> Self {
        let ((a0, a1), (b0, b1)) = (halves(self), halves(other));
        join(f(a0, b0), f(a1, b1))
    }
}

/// `LaneMath` for an f32 lane vector: every function through the f64x8 kernels.
macro_rules! lane_math_f32 {
    ($t:ident) => {
        impl LaneMath for $t {
            #[inline(always)]
            fn exp(self) -> Self {
                self.unary(kernels_f32_f64x8::exp)
            }
            #[inline(always)]
            fn exp2(self) -> Self {
                self.unary(kernels_f32_f64x8::exp2)
            }
            #[inline(always)]
            fn exp_m1(self) -> Self {
                self.unary(kernels_f64x8::exp_m1)
            }
            #[inline(always)]
            fn ln(self) -> Self {
                self.unary(kernels_f32_f64x8::ln)
            }
            #[inline(always)]
            fn log2(self) -> Self {
                self.unary(kernels_f32_f64x8::log2)
            }
            #[inline(always)]
            fn log10(self) -> Self {
                self.unary(kernels_f32_f64x8::log10)
            }
            #[inline(always)]
            fn ln_1p(self) -> Self {
                self.unary(kernels_f64x8::ln_1p)
            }
            #[inline(always)]
            fn cbrt(self) -> Self {
                self.unary(f64x8::cbrt)
            }
            #[inline(always)]
            fn pow(self, y: Self) -> Self {
                self.binary(y, kernels_f64x8::pow)
            }
            #[inline(always)]
            fn powi(self, n: i32) -> Self {
                // In f64 and rounded once: more accurate than std's f32 powi, which
                // rounds at every product.
                self.unary(|x| kernels_f64x8::powi(x, n))
            }
            #[inline(always)]
            fn sin(self) -> Self {
                let s = self.unary(|x| kernels_f32_f64x8::sin_cos(x).0);
                self.patch_huge(s, f32::sin)
            }
            #[inline(always)]
            fn cos(self) -> Self {
                let c = self.unary(|x| kernels_f32_f64x8::sin_cos(x).1);
                self.patch_huge(c, f32::cos)
            }
            #[inline(always)]
            fn sin_cos(self) -> (Self, Self) {
                let (s, c) = self.unary_pair(kernels_f32_f64x8::sin_cos);
                (self.patch_huge(s, f32::sin), self.patch_huge(c, f32::cos))
            }
            #[inline(always)]
            fn tan(self) -> Self {
                let t = self.unary(kernels_f64x8::tan_reduced_range);
                self.patch_huge(t, f32::tan)
            }
            #[inline(always)]
            fn asin(self) -> Self {
                self.unary(f64x8::asin)
            }
            #[inline(always)]
            fn acos(self) -> Self {
                self.unary(f64x8::acos)
            }
            #[inline(always)]
            fn atan(self) -> Self {
                self.unary(f64x8::atan)
            }
            #[inline(always)]
            fn atan2(self, x: Self) -> Self {
                self.binary(x, f64x8::atan2)
            }
            #[inline(always)]
            fn sinh(self) -> Self {
                self.unary(kernels_f64x8::sinh)
            }
            #[inline(always)]
            fn cosh(self) -> Self {
                self.unary(kernels_f64x8::cosh)
            }
            #[inline(always)]
            fn tanh(self) -> Self {
                self.unary(kernels_f64x8::tanh)
            }
            #[inline(always)]
            fn asinh(self) -> Self {
                self.unary(kernels_f64x8::asinh)
            }
            #[inline(always)]
            fn acosh(self) -> Self {
                self.unary(kernels_f64x8::acosh)
            }
            #[inline(always)]
            fn atanh(self) -> Self {
                self.unary(kernels_f64x8::atanh)
            }
            #[inline(always)]
            fn hypot(self, y: Self) -> Self {
                self.binary(y, kernels_f64x8::hypot)
            }
        }
    };
}
lane_math_f32!(f32x8);
lane_math_f32!(f32x16);

/// `Mask`, `Value` and `Tangent` for one lane vector type `$t` of elements `$e`.
macro_rules! real_for_lanes {
    ($t:ident, $e:ident, $width:literal) => {
        impl Mask for LaneMask<$t> {
            #[inline(always)]
            fn any(self) -> bool {
                self.0.any()
            }
            #[inline(always)]
            fn all(self) -> bool {
                self.0.all()
            }
        }

        impl Value for $t {
            type Mask = LaneMask<$t>;
            const POINTS: usize = $width;

            #[inline(always)]
            fn from_f64(v: f64) -> Self {
                $t::splat(v as $e)
            }
            #[inline(always)]
            fn primal(&self) -> f64 {
                self.to_array()[0] as f64
            }
            #[inline(always)]
            fn poison() -> Self {
                $t::splat(<$e as Float>::poison())
            }
            #[inline(always)]
            fn is_poison(&self) -> bool {
                // The pattern is a NaN: one vector test rules it out in the usual case.
                self.is_nan().any() && self.to_array().iter().any(|v| v.is_poison())
            }
            #[inline(always)]
            fn lt(self, rhs: Self) -> Self::Mask {
                LaneMask(self.simd_lt(rhs))
            }
            #[inline(always)]
            fn le(self, rhs: Self) -> Self::Mask {
                LaneMask(self.simd_le(rhs))
            }
            #[inline(always)]
            fn gt(self, rhs: Self) -> Self::Mask {
                LaneMask(self.simd_gt(rhs))
            }
            #[inline(always)]
            fn ge(self, rhs: Self) -> Self::Mask {
                LaneMask(self.simd_ge(rhs))
            }
            #[inline(always)]
            fn eq(self, rhs: Self) -> Self::Mask {
                LaneMask(self.simd_eq(rhs))
            }
            #[inline(always)]
            fn is_nan(self) -> Self::Mask {
                LaneMask($t::is_nan(self))
            }
            #[inline(always)]
            fn is_finite(self) -> Self::Mask {
                LaneMask($t::is_finite(self))
            }
            #[inline(always)]
            fn select(mask: Self::Mask, if_true: Self, if_false: Self) -> Self {
                mask.0.select(if_true, if_false)
            }
            #[inline(always)]
            fn recip(self) -> Self {
                $t::ONE / self
            }
            #[inline(always)]
            fn sqrt(self) -> Self {
                $t::sqrt(self)
            }
            #[inline(always)]
            fn cbrt(self) -> Self {
                LaneMath::cbrt(self)
            }
            #[inline(always)]
            fn powi(self, n: i32) -> Self {
                LaneMath::powi(self, n)
            }
            #[inline(always)]
            fn powf(self, n: f64) -> Self {
                LaneMath::pow(self, $t::splat(n as $e))
            }
            #[inline(always)]
            fn pow(self, n: Self) -> Self {
                LaneMath::pow(self, n)
            }
            #[inline(always)]
            fn exp(self) -> Self {
                LaneMath::exp(self)
            }
            #[inline(always)]
            fn exp2(self) -> Self {
                LaneMath::exp2(self)
            }
            #[inline(always)]
            fn exp_m1(self) -> Self {
                LaneMath::exp_m1(self)
            }
            #[inline(always)]
            fn ln(self) -> Self {
                LaneMath::ln(self)
            }
            #[inline(always)]
            fn log2(self) -> Self {
                LaneMath::log2(self)
            }
            #[inline(always)]
            fn log10(self) -> Self {
                LaneMath::log10(self)
            }
            #[inline(always)]
            fn ln_1p(self) -> Self {
                LaneMath::ln_1p(self)
            }
            #[inline(always)]
            fn sin(self) -> Self {
                LaneMath::sin(self)
            }
            #[inline(always)]
            fn cos(self) -> Self {
                LaneMath::cos(self)
            }
            #[inline(always)]
            fn tan(self) -> Self {
                LaneMath::tan(self)
            }
            #[inline(always)]
            fn sin_cos(self) -> (Self, Self) {
                LaneMath::sin_cos(self)
            }
            #[inline(always)]
            fn asin(self) -> Self {
                LaneMath::asin(self)
            }
            #[inline(always)]
            fn acos(self) -> Self {
                LaneMath::acos(self)
            }
            #[inline(always)]
            fn atan(self) -> Self {
                LaneMath::atan(self)
            }
            #[inline(always)]
            fn atan2(self, x: Self) -> Self {
                LaneMath::atan2(self, x)
            }
            #[inline(always)]
            fn sinh(self) -> Self {
                LaneMath::sinh(self)
            }
            #[inline(always)]
            fn cosh(self) -> Self {
                LaneMath::cosh(self)
            }
            #[inline(always)]
            fn tanh(self) -> Self {
                LaneMath::tanh(self)
            }
            #[inline(always)]
            fn asinh(self) -> Self {
                LaneMath::asinh(self)
            }
            #[inline(always)]
            fn acosh(self) -> Self {
                LaneMath::acosh(self)
            }
            #[inline(always)]
            fn atanh(self) -> Self {
                LaneMath::atanh(self)
            }
            #[inline(always)]
            fn abs(self) -> Self {
                $t::abs(self)
            }
            #[inline(always)]
            fn signum(self) -> Self {
                // std: +-1 by the sign bit (also for +-0 and +-inf), NaN stays NaN.
                let one = $t::ONE.copysign(self);
                $t::is_nan(self).select(self, one)
            }
            #[inline(always)]
            fn min(self, other: Self) -> Self {
                // NaN loses (std); at a tie the first argument wins (as the duals).
                let take_self = self.simd_le(other) | $t::is_nan(other);
                take_self.select(self, other)
            }
            #[inline(always)]
            fn max(self, other: Self) -> Self {
                let take_self = self.simd_ge(other) | $t::is_nan(other);
                take_self.select(self, other)
            }
            #[inline(always)]
            fn hypot(self, other: Self) -> Self {
                LaneMath::hypot(self, other)
            }
            #[inline(always)]
            fn mul_add(self, a: Self, b: Self) -> Self {
                $t::mul_add(self, a, b)
            }
        }

        /// Batch-lane tangents: a tangent vector holds one direction for each of the
        /// value's points, so scaling and selecting are lane by lane.
        impl Tangent<$t> for $t {
            #[inline(always)]
            fn broadcast(v: $t) -> Self {
                v
            }
            #[inline(always)]
            fn select(mask: LaneMask<$t>, a: Self, b: Self) -> Self {
                mask.0.select(a, b)
            }
        }
    };
}
real_for_lanes!(f64x4, f64, 4);
real_for_lanes!(f64x8, f64, 8);
real_for_lanes!(f32x8, f32, 8);
real_for_lanes!(f32x16, f32, 16);
