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
//! * from `wide` (measured well in docs/SIMD_MATH.md): `sqrt`, `cbrt`, `asin` and
//!   `acos` and `atan` (f64; f32 has its own, below), `atan2`;
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
//! `sin`, `cos`, `sin_cos`, `pow`, `acosh`, `hypot`, `cbrt`, `asin`, `acos` and `atan` have f32
//! kernels of their own for that: f64 arithmetic aimed at f32's precision, not f64's
//! (near-minimax polynomials from scripts/f32_poly.py, a one-step reduction, no
//! double-double, and, pow aside, no special-value side, since every f32 is a normal
//! f64; pow computes 2^(y log2|x|) with a 64-row table for the exponential; atan
//! reduces |x| to |z| <= tan(pi/8) with one division), about
//! 2^-34 relative error before the rounding: within 1 f32 ulp, and the correctly
//! rounded f32 except where the exact value lies within about 2^-10 ulp of a rounding
//! boundary. The other functions run the f64 kernels (f32x8 as one f64x8, f32x16 as
//! two). Lanes with |x| > 2^30 of the f32 trig functions use f32's std functions lane
//! by lane.
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
//! both lane types and for the scalar `Value` impl of `f64`/`f32`, which runs the same
//! kernels on one value so that a point gives the same bits alone and in a batch (the
//! example asserts that). "std": max ulp of std's function, for comparison. Throughput:
//! millions of values per second on one core, 1024-value buffer in L1, best of 9
//! rounds, the four columns of a row measured in turns within each round, on a machine
//! without AVX-512 (f64x8 is two AVX registers there). The machine was shared and its
//! speed varied by up to 2x within minutes: absolute figures vary by about ±30% between
//! runs and a row's ratio still by up to ±30% (recip, the same IEEE division on both
//! sides, read 1.33 for f64 and 0.92 for f32 in this run, 0.69 and 0.90 for f64 in two others).
//! "scalar / std" is the speed of the scalar path relative to std's function. One run
//! of every row, after the logarithm tables with exact sums, the pow and acosh changes
//! and the f32 atan kernel (2026-12-02, sixth session). Two more runs of the same
//! command put every row at 0.79x or above except where a single run dipped (recip and
//! sqrt, which call the same instruction as std, read 0.69 and 0.79 once); the rows
//! nearest 0.8 were tan next to pi (0.79-0.80), f64 log2 on LU\[1e-320,1e300\]
//! (0.80-0.81), acosh next to 1 (0.80-0.81) and pow with x next to 1 (0.80-0.81).
//! "claimed" is the bound tests/it/simd_math.rs asserts on 100k samples per function. The
//! ±LU\[1e5,1e22\] trig rows run std lane by lane (all lanes huge); a vector with no huge
//! lane pays only one comparison for the fallback.
//!
//! f64:
//!
//! | fn | range | f64x8 = f64x4 = scalar | claimed | std | Mv/s f64x8 | Mv/s f64x4 | Mv/s scalar | Mv/s std | scalar / std |
//! |---|---|---|---|---|---|---|---|---|---|
//! | exp | U\[-7.45e2,7.097e2\] | 1/0.092 | 1 | 1 | 434 | 395 | 148 | 122 | 1.22 |
//! | exp | U\[-1e0,1e0\] | 1/0.092 | 1 | 1 | 660 | 517 | 173 | 154 | 1.12 |
//! | exp2 | U\[-1.074e3,1.0239e3\] | 1/0.090 | 1 | 1 | 494 | 437 | 164 | 148 | 1.10 |
//! | exp2 | U\[-1e0,1e0\] | 1/0.093 | 1 | 1 | 730 | 548 | 181 | 202 | 0.90 |
//! | exp_m1 | U\[-1e1,1e1\] | 2/0.056 | 2 | 1 | 533 | 447 | 144 | 87 | 1.65 |
//! | exp_m1 | ±LU\[1e-12,1e0\] | 2/0.010 | 2 | 1 | 533 | 446 | 144 | 159 | 0.91 |
//! | exp_m1 | U\[-5e1,7.097e2\] | 2/0.088 | 2 | 1 | 276 | 253 | 86 | 85 | 1.02 |
//! | ln | LU\[1e-320,1e300\] | 0/0.000 | 1 | 1 | 274 | 238 | 120 | 132 | 0.91 |
//! | ln | U\[5e-1,2e0\] | 0/0.000 | 1 | 1 | 369 | 289 | 130 | 139 | 0.94 |
//! | ln | 1+LU\[1e-16,1e-2\] | 0/0.000 | 1 | 0 | 645 | 608 | 216 | 160 | 1.35 |
//! | ln | 1-LU\[1e-16,1e-2\] | 0/0.000 | 1 | 1 | 637 | 614 | 216 | 162 | 1.33 |
//! | log2 | LU\[1e-320,1e300\] | 0/0.000 | 1 | 1 | 251 | 227 | 124 | 153 | 0.81 |
//! | log2 | U\[5e-1,2e0\] | 1/0.000 | 1 | 1 | 370 | 275 | 135 | 157 | 0.86 |
//! | log2 | 1+LU\[1e-16,1e-2\] | 0/0.000 | 1 | 1 | 572 | 430 | 184 | 179 | 1.03 |
//! | log2 | 1-LU\[1e-16,1e-2\] | 0/0.000 | 1 | 1 | 570 | 427 | 184 | 180 | 1.02 |
//! | log10 | LU\[1e-320,1e300\] | 0/0.000 | 1 | 1 | 264 | 229 | 102 | 94 | 1.08 |
//! | log10 | U\[5e-1,2e0\] | 0/0.000 | 1 | 2 | 342 | 276 | 108 | 95 | 1.14 |
//! | log10 | 1+LU\[1e-16,1e-2\] | 0/0.000 | 1 | 2 | 343 | 276 | 109 | 104 | 1.04 |
//! | log10 | 1-LU\[1e-16,1e-2\] | 0/0.000 | 1 | 2 | 341 | 275 | 109 | 105 | 1.04 |
//! | ln_1p | ±LU\[1e-12,9.99e-1\] | 0/0.000 | 1 | 1 | 128 | 143 | 171 | 167 | 1.02 |
//! | ln_1p | LU\[1e0,1e300\] | 0/0.000 | 1 | 1 | 315 | 239 | 101 | 112 | 0.90 |
//! | ln_1p | U\[-1e0,1e0\] | 0/0.000 | 1 | 1 | 286 | 227 | 100 | 111 | 0.91 |
//! | sqrt | LU\[1e-320,1e300\] | 0/0.000 | 0 | 0 | 880 | 772 | 300 | 301 | 1.00 |
//! | cbrt | ±LU\[1e-320,1e300\] | 2/0.287 | 2 | 0 | 312 | 243 | 73 | 49 | 1.49 |
//! | sin | U\[-1e1,1e1\] | 1/0.020 | 2 | 1 | 301 | 264 | 83 | 89 | 0.93 |
//! | sin | U\[-1e5,1e5\] | 1/0.021 | 2 | 1 | 318 | 266 | 83 | 87 | 0.95 |
//! | sin | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 20 | 20 | 20 | 19 | 1.05 |
//! | cos | U\[-1e1,1e1\] | 1/0.022 | 2 | 1 | 308 | 273 | 84 | 87 | 0.96 |
//! | cos | U\[-1e5,1e5\] | 1/0.021 | 2 | 1 | 306 | 272 | 84 | 85 | 0.99 |
//! | cos | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 20 | 20 | 20 | 19 | 1.05 |
//! | sin_cos.0 | U\[-1e1,1e1\] | 1/0.020 | 2 | 1 | 278 | 265 | 83 | 89 | 0.92 |
//! | sin_cos.0 | U\[-1e5,1e5\] | 1/0.021 | 2 | 1 | 278 | 266 | 83 | 87 | 0.95 |
//! | sin_cos.0 | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 10 | 10 | 19 | 18 | 1.05 |
//! | sin_cos.1 | U\[-1e1,1e1\] | 1/0.021 | 2 | 1 | 282 | 266 | 84 | 87 | 0.96 |
//! | sin_cos.1 | U\[-1e5,1e5\] | 1/0.021 | 2 | 1 | 282 | 265 | 85 | 85 | 1.00 |
//! | sin_cos.1 | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 10 | 10 | 19 | 18 | 1.05 |
//! | tan | U\[-1e1,1e1\] | 1/0.040 | 1 | 1 | 245 | 235 | 69 | 72 | 0.96 |
//! | tan | U\[-1e5,1e5\] | 1/0.040 | 1 | 1 | 244 | 236 | 69 | 58 | 1.20 |
//! | tan | ±LU\[1e5,1e22\] | 1/0.011 | 1 | 1 | 17 | 17 | 17 | 16 | 1.08 |
//! | tan | U\[1.5707962767948966e0,1.5707963767948965e0\] | 0/0.000 | 1 | 0 | 245 | 233 | 68 | 60 | 1.15 |
//! | tan | U\[3.141592603589793e0,3.1415927035897933e0\] | 0/0.000 | 1 | 0 | 245 | 234 | 70 | 88 | 0.79 |
//! | tan | U\[-4.712389030384689e0,-4.71238893038469e0\] | 0/0.000 | 1 | 0 | 245 | 235 | 68 | 60 | 1.14 |
//! | asin | U\[-1e0,1e0\] | 2/0.188 | 2 | 1 | 460 | 371 | 127 | 123 | 1.03 |
//! | asin | ±(1-LU\[1e-15,1e-1\]) | 1/0.272 | 2 | 1 | 604 | 471 | 134 | 85 | 1.58 |
//! | acos | U\[-1e0,1e0\] | 1/0.272 | 2 | 1 | 430 | 346 | 127 | 106 | 1.20 |
//! | acos | ±(1-LU\[1e-15,1e-1\]) | 1/0.262 | 2 | 1 | 575 | 456 | 133 | 82 | 1.63 |
//! | atan | ±LU\[1e-10,1e10\] | 1/0.141 | 1 | 1 | 501 | 382 | 108 | 98 | 1.10 |
//! | atan2 | x ±LU\[1e-5,1e5\]; y ±LU\[1e-5,1e5\] | 1/0.266 | 2 | 1 | 322 | 248 | 67 | 63 | 1.06 |
//! | sinh | U\[-2e1,2e1\] | 2/0.263 | 2 | 2 | 392 | 294 | 103 | 55 | 1.86 |
//! | sinh | ±LU\[1e-10,1e0\] | 2/0.338 | 2 | 2 | 392 | 294 | 102 | 88 | 1.17 |
//! | sinh | U\[-7.104e2,7.104e2\] | 2/0.099 | 2 | 2 | 238 | 210 | 104 | 85 | 1.23 |
//! | cosh | U\[-2e1,2e1\] | 1/0.254 | 1 | 1 | 537 | 413 | 144 | 102 | 1.41 |
//! | cosh | U\[-7.104e2,7.104e2\] | 1/0.100 | 1 | 2 | 488 | 385 | 142 | 96 | 1.48 |
//! | tanh | U\[-2e1,2e1\] | 2/0.034 | 3 | 2 | 228 | 209 | 92 | 56 | 1.63 |
//! | tanh | ±LU\[1e-10,1e0\] | 2/0.401 | 3 | 2 | 339 | 276 | 101 | 88 | 1.14 |
//! | asinh | ±LU\[1e-10,1e10\] | 1/0.132 | 1 | 1 | 79 | 67 | 70 | 39 | 1.78 |
//! | asinh | ±LU\[1e-300,1e300\] | 1/0.005 | 1 | 1 | 23 | 22 | 51 | 46 | 1.11 |
//! | acosh | 1+LU\[1e-12,1e10\] | 1/0.181 | 2 | 523834 | 101 | 115 | 88 | 109 | 0.81 |
//! | acosh | LU\[1e10,1e300\] | 1/0.000 | 2 | 1 | 346 | 291 | 130 | 108 | 1.20 |
//! | atanh | U\[-1e0,1e0\] | 1/0.158 | 2 | 1332 | 220 | 188 | 74 | 83 | 0.89 |
//! | atanh | ±(1-LU\[1e-15,1e-1\]) | 1/0.019 | 2 | 14828174345505 | 224 | 183 | 74 | 81 | 0.92 |
//! | atanh | ±LU\[1e-10,1e0\] | 2/0.269 | 2 | 93 | 98 | 103 | 119 | 110 | 1.08 |
//! | pow | x LU\[1e-10,1e10\]; y U\[-3e1,3e1\] | 1/0.093 | 1 | 1 | 146 | 139 | 58 | 62 | 0.94 |
//! | pow | x U\[5e-1,2e0\]; y U\[-1e3,1e3\] | 1/0.092 | 1 | 1 | 147 | 139 | 58 | 62 | 0.95 |
//! | pow | x ±LU\[1e-3,1e3\]; y Z\[-60,60\] | 1/0.091 | 1 | 1 | 192 | 133 | 54 | 59 | 0.91 |
//! | pow | x LU\[1e-300,1e300\]; y U\[-1.5e0,1.5e0\] | 1/0.087 | 1 | 1 | 120 | 119 | 54 | 59 | 0.92 |
//! | pow | x 1+LU\[1e-14,1e-2\]; y ±LU\[1e0,1e12\] | 1/0.025 | 1 | 1 | 100 | 97 | 47 | 60 | 0.80 |
//! | hypot | x ±LU\[1e-10,1e10\]; y ±LU\[1e-10,1e10\] | 1/0.096 | 2 | 1 | 649 | 497 | 164 | 120 | 1.37 |
//! | hypot | x ±LU\[1e-300,1e300\]; y ±LU\[1e-300,1e300\] | 1/0.004 | 2 | 1 | 417 | 328 | 133 | 141 | 0.94 |
//! | recip | ±LU\[1e-300,1e300\] | 0/0.000 | 0 | 0 | 1544 | 1228 | 359 | 270 | 1.33 |
//!
//! f32 (through the f64 kernels, one rounding to f32; std's f32 asinh overflows for
//! |x| > about 1.8e19, hence its 1e9 ulp):
//!
//! | fn | range | f32x16 = f32x8 = scalar | claimed | std | Mv/s f32x16 | Mv/s f32x8 | Mv/s scalar | Mv/s std | scalar / std |
//! |---|---|---|---|---|---|---|---|---|---|
//! | exp | U\[-1.04e2,8.87e1\] | 1/0.000 | 1 | 1 | 776 | 653 | 220 | 233 | 0.95 |
//! | exp | U\[-1e0,1e0\] | 1/0.000 | 1 | 1 | 781 | 657 | 220 | 248 | 0.89 |
//! | exp2 | U\[-1.49e2,1.279e2\] | 1/0.000 | 1 | 1 | 845 | 750 | 236 | 222 | 1.06 |
//! | exp_m1 | U\[-1e1,1e1\] | 0/0.000 | 1 | 1 | 465 | 478 | 131 | 74 | 1.76 |
//! | exp_m1 | ±LU\[1e-7,1e0\] | 0/0.000 | 1 | 1 | 467 | 481 | 130 | 133 | 0.98 |
//! | exp_m1 | U\[-2e1,8.87e1\] | 0/0.000 | 1 | 1 | 210 | 195 | 101 | 74 | 1.37 |
//! | ln | LU\[1e-45,3e38\] | 0/0.000 | 1 | 1 | 657 | 544 | 195 | 146 | 1.34 |
//! | ln | U\[5e-1,2e0\] | 0/0.000 | 1 | 1 | 657 | 545 | 195 | 180 | 1.09 |
//! | log2 | LU\[1e-45,3e38\] | 0/0.000 | 1 | 1 | 651 | 538 | 188 | 159 | 1.18 |
//! | log2 | U\[5e-1,2e0\] | 0/0.000 | 1 | 1 | 649 | 538 | 188 | 190 | 0.99 |
//! | log10 | LU\[1e-45,3e38\] | 0/0.000 | 1 | 2 | 626 | 532 | 182 | 99 | 1.83 |
//! | log10 | U\[5e-1,2e0\] | 0/0.000 | 1 | 2 | 627 | 532 | 185 | 120 | 1.54 |
//! | ln_1p | ±LU\[1e-7,9.99e-1\] | 0/0.000 | 1 | 1 | 95 | 91 | 150 | 131 | 1.15 |
//! | ln_1p | LU\[1e0,3e38\] | 0/0.000 | 1 | 1 | 277 | 241 | 105 | 98 | 1.07 |
//! | sqrt | LU\[1e-45,3e38\] | 0/0.000 | 1 | 0 | 1544 | 1309 | 198 | 208 | 0.95 |
//! | cbrt | ±LU\[1e-45,3e38\] | 1/0.001 | 1 | 0 | 465 | 462 | 110 | 109 | 1.01 |
//! | sin | U\[-1e1,1e1\] | 1/0.000 | 1 | 1 | 606 | 624 | 176 | 166 | 1.06 |
//! | sin | U\[-1e5,1e5\] | 1/0.000 | 1 | 1 | 605 | 625 | 176 | 144 | 1.23 |
//! | sin | ±LU\[1e5,3e38\] | 1/0.011 | 1 | 1 | 145 | 142 | 138 | 144 | 0.96 |
//! | cos | U\[-1e1,1e1\] | 1/0.000 | 1 | 1 | 631 | 640 | 176 | 156 | 1.13 |
//! | cos | U\[-1e5,1e5\] | 1/0.000 | 1 | 1 | 631 | 641 | 177 | 138 | 1.28 |
//! | cos | ±LU\[1e5,3e38\] | 1/0.011 | 1 | 1 | 148 | 142 | 125 | 139 | 0.90 |
//! | tan | U\[-1e1,1e1\] | 0/0.000 | 1 | 1 | 242 | 214 | 67 | 67 | 0.99 |
//! | tan | U\[-1e5,1e5\] | 0/0.000 | 1 | 1 | 242 | 217 | 67 | 58 | 1.15 |
//! | tan | ±LU\[1e5,3e38\] | 1/0.034 | 1 | 1 | 55 | 52 | 57 | 58 | 0.98 |
//! | asin | U\[-1e0,1e0\] | 1/0.000 | 1 | 1 | 403 | 414 | 181 | 148 | 1.23 |
//! | asin | ±(1-LU\[1e-7,1e-1\]) | 1/0.000 | 1 | 1 | 403 | 414 | 187 | 151 | 1.24 |
//! | acos | U\[-1e0,1e0\] | 1/0.000 | 1 | 1 | 676 | 588 | 184 | 143 | 1.29 |
//! | acos | ±(1-LU\[1e-7,1e-1\]) | 1/0.000 | 1 | 1 | 671 | 587 | 186 | 132 | 1.41 |
//! | atan | ±LU\[1e-6,1e6\] | 1/0.000 | 1 | 1 | 387 | 372 | 160 | 126 | 1.27 |
//! | atan2 | x ±LU\[1e-5,1e5\]; y ±LU\[1e-5,1e5\] | 0/0.000 | 1 | 1 | 325 | 284 | 64 | 67 | 0.96 |
//! | sinh | U\[-8.94e1,8.94e1\] | 0/0.000 | 1 | 2 | 102 | 106 | 99 | 77 | 1.28 |
//! | sinh | ±LU\[1e-6,1e0\] | 0/0.000 | 1 | 2 | 242 | 282 | 98 | 73 | 1.34 |
//! | cosh | U\[-8.94e1,8.94e1\] | 0/0.000 | 1 | 2 | 450 | 454 | 124 | 108 | 1.14 |
//! | tanh | U\[-1e1,1e1\] | 0/0.000 | 1 | 2 | 234 | 261 | 88 | 55 | 1.59 |
//! | tanh | ±LU\[1e-6,1e0\] | 0/0.000 | 1 | 2 | 234 | 260 | 88 | 86 | 1.01 |
//! | asinh | ±LU\[1e-6,3e38\] | 0/0.000 | 1 | 1020169654 | 108 | 101 | 52 | 48 | 1.08 |
//! | acosh | 1+LU\[1e-6,1e6\] | 0/0.000 | 1 | 351 | 435 | 429 | 126 | 149 | 0.85 |
//! | acosh | LU\[1e6,3e38\] | 0/0.000 | 1 | 1020169659 | 435 | 429 | 128 | 146 | 0.88 |
//! | atanh | U\[-1e0,1e0\] | 0/0.000 | 1 | 7575 | 211 | 196 | 70 | 77 | 0.91 |
//! | atanh | ±(1-LU\[1e-7,1e-1\]) | 0/0.000 | 1 | 212581 | 223 | 207 | 71 | 74 | 0.95 |
//! | atanh | ±LU\[1e-6,1e0\] | 0/0.000 | 1 | 183 | 86 | 84 | 95 | 96 | 0.99 |
//! | pow | x LU\[1e-3,1e3\]; y U\[-1.2e1,1.2e1\] | 1/0.000 | 1 | 1 | 288 | 257 | 111 | 126 | 0.88 |
//! | pow | x U\[5e-1,2e0\]; y U\[-1e2,1e2\] | 1/0.000 | 1 | 1 | 288 | 257 | 112 | 128 | 0.88 |
//! | pow | x ±LU\[1e-2,1e2\]; y Z\[-20,20\] | 1/0.000 | 1 | 1 | 262 | 238 | 95 | 118 | 0.80 |
//! | hypot | x ±LU\[1e-5,1e5\]; y ±LU\[1e-5,1e5\] | 0/0.000 | 1 | 0 | 1243 | 1192 | 249 | 190 | 1.31 |
//! | hypot | x ±LU\[1e-30,1e30\]; y ±LU\[1e-30,1e30\] | 0/0.000 | 1 | 0 | 1243 | 1194 | 249 | 190 | 1.31 |
//! | recip | ±LU\[1e-37,1e37\] | 0/0.000 | 1 | 0 | 2924 | 2623 | 249 | 270 | 0.92 |
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

mod exp2_table;
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
                self.unary(kernels_f32_f64x8::cbrt)
            }
            #[inline(always)]
            fn pow(self, y: Self) -> Self {
                self.binary(y, kernels_f32_f64x8::pow)
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
                self.unary(kernels_f32_f64x8::asin)
            }
            #[inline(always)]
            fn acos(self) -> Self {
                self.unary(kernels_f32_f64x8::acos)
            }
            #[inline(always)]
            fn atan(self) -> Self {
                self.unary(kernels_f32_f64x8::atan)
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
                self.unary(kernels_f32_f64x8::acosh)
            }
            #[inline(always)]
            fn atanh(self) -> Self {
                self.unary(kernels_f64x8::atanh)
            }
            #[inline(always)]
            fn hypot(self, y: Self) -> Self {
                self.binary(y, kernels_f32_f64x8::hypot)
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

#[cfg(test)]
mod tests {
    use super::kernels::constants::LN2_HI;
    use super::log_table::{LOG_TABLE, LOG2_TABLE};

    /// The logarithm tables hold what the kernels' exact sums assume: in each row
    /// `[c, f, hi, lo]`, hi a multiple of 2^-32 (ln) or 2^-42 (log2), like k LN2_HI
    /// (or k), lo at most half that step, hi + lo rounding to f; both tables share c;
    /// f within an ulp of -ln c from std and of -ln c / ln 2 from the ln table.
    #[test]
    fn log_tables_split_exactly() {
        let is_multiple = |v: f64, bits: i32| {
            let scaled = v * 2f64.powi(bits);
            scaled == scaled.round()
        };
        assert!(is_multiple(LN2_HI, 32));
        assert!(!is_multiple(LN2_HI, 31));
        let ulps = |a: f64, b: f64| (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs();
        for (i, (ln_row, log2_row)) in LOG_TABLE.iter().zip(&LOG2_TABLE).enumerate() {
            for (row, bits) in [(ln_row, 32), (log2_row, 42)] {
                let [_, f, hi, lo] = *row;
                assert!(
                    is_multiple(hi, bits),
                    "row {i}: {hi:e} not a multiple of 2^-{bits}"
                );
                assert!(lo.abs() <= 2f64.powi(-bits - 1), "row {i}: low part {lo:e}");
                assert_eq!(hi + lo, f, "row {i}");
            }
            let c = ln_row[0];
            assert_eq!(c, log2_row[0], "row {i}");
            if c == 1.0 {
                assert_eq!(ln_row[1..], [0.0; 3], "row {i}");
                assert_eq!(log2_row[1..], [0.0; 3], "row {i}");
            } else {
                assert!(ulps(ln_row[1], -c.ln()) <= 1, "row {i}: -ln c");
                let log2 = ln_row[1] / core::f64::consts::LN_2;
                assert!(ulps(log2_row[1], log2) <= 2, "row {i}: -log2 c");
            }
        }
    }
}
