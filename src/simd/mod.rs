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
//!   full IEEE special-case table), `log2` (the same reduction with a table of
//!   log2 of the 1/m approximations, summed in base 2: 1 ulp, exact at powers of two),
//!   `log10` (the double-double logarithm times log10(e) in double-double: 1 ulp),
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
//! runs and a row's ratio still by more (recip, the same IEEE division on both sides,
//! read 0.80 for f64 and 0.73 for f32 in this run, 0.54 to 1.22 in the two runs before
//! it). "scalar / std" is the speed of the scalar path relative to std's function. One
//! run of every row, after the logarithm tables with exact sums, the pow, acosh and tan
//! changes and the f32 atan kernel (2026-12-02, sixth session). In it and the two runs
//! before it every row but recip read 0.79x or above; the rows below 0.85 in any of
//! the three:
//! ln on U\[5e-1,2e0\] (0.79 in all three; 0.80-0.94 in runs of earlier builds of the
//! same kernel) and LU\[1e-320,1e300\] (0.81-0.83), f64 log2 (0.80-0.86), acosh next to 1
//! (0.79-0.82), pow with x next to 1 (0.80-0.84), f32 pow with integer y (0.79-0.80),
//! f32 log2 on U\[5e-1,2e0\] (0.82 once) and tan next to pi (0.84-1.28).
//! "claimed" is the bound tests/it/simd_math.rs asserts on 100k samples per function. The
//! ±LU\[1e5,1e22\] trig rows run std lane by lane (all lanes huge); a vector with no huge
//! lane pays only one comparison for the fallback.
//!
//! f64:
//!
//! | fn | range | f64x8 = f64x4 = scalar | claimed | std | Mv/s f64x8 | Mv/s f64x4 | Mv/s scalar | Mv/s std | scalar / std |
//! |---|---|---|---|---|---|---|---|---|---|
//! | exp | U\[-7.45e2,7.097e2\] | 1/0.092 | 1 | 1 | 432 | 400 | 152 | 128 | 1.19 |
//! | exp | U\[-1e0,1e0\] | 1/0.092 | 1 | 1 | 663 | 517 | 174 | 162 | 1.08 |
//! | exp2 | U\[-1.074e3,1.0239e3\] | 1/0.090 | 1 | 1 | 494 | 436 | 162 | 156 | 1.04 |
//! | exp2 | U\[-1e0,1e0\] | 1/0.093 | 1 | 1 | 724 | 547 | 182 | 213 | 0.85 |
//! | exp_m1 | U\[-1e1,1e1\] | 2/0.056 | 2 | 1 | 543 | 445 | 147 | 87 | 1.68 |
//! | exp_m1 | ±LU\[1e-12,1e0\] | 2/0.010 | 2 | 1 | 544 | 444 | 145 | 165 | 0.88 |
//! | exp_m1 | U\[-5e1,7.097e2\] | 2/0.088 | 2 | 1 | 275 | 258 | 87 | 86 | 1.01 |
//! | ln | LU\[1e-320,1e300\] | 0/0.000 | 1 | 1 | 273 | 237 | 122 | 151 | 0.81 |
//! | ln | U\[5e-1,2e0\] | 0/0.000 | 1 | 1 | 367 | 288 | 131 | 164 | 0.79 |
//! | ln | 1+LU\[1e-16,1e-2\] | 0/0.000 | 1 | 0 | 640 | 623 | 217 | 174 | 1.25 |
//! | ln | 1-LU\[1e-16,1e-2\] | 0/0.000 | 1 | 1 | 636 | 614 | 217 | 175 | 1.24 |
//! | log2 | LU\[1e-320,1e300\] | 0/0.000 | 1 | 1 | 251 | 229 | 123 | 153 | 0.80 |
//! | log2 | U\[5e-1,2e0\] | 1/0.000 | 1 | 1 | 366 | 275 | 136 | 159 | 0.86 |
//! | log2 | 1+LU\[1e-16,1e-2\] | 0/0.000 | 1 | 1 | 573 | 431 | 185 | 189 | 0.98 |
//! | log2 | 1-LU\[1e-16,1e-2\] | 0/0.000 | 1 | 1 | 567 | 431 | 183 | 190 | 0.96 |
//! | log10 | LU\[1e-320,1e300\] | 0/0.000 | 1 | 1 | 267 | 229 | 101 | 94 | 1.08 |
//! | log10 | U\[5e-1,2e0\] | 0/0.000 | 1 | 2 | 345 | 275 | 109 | 94 | 1.15 |
//! | log10 | 1+LU\[1e-16,1e-2\] | 0/0.000 | 1 | 2 | 345 | 273 | 108 | 104 | 1.04 |
//! | log10 | 1-LU\[1e-16,1e-2\] | 0/0.000 | 1 | 2 | 332 | 278 | 108 | 105 | 1.03 |
//! | ln_1p | ±LU\[1e-12,9.99e-1\] | 0/0.000 | 1 | 1 | 128 | 143 | 174 | 172 | 1.02 |
//! | ln_1p | LU\[1e0,1e300\] | 0/0.000 | 1 | 1 | 312 | 235 | 100 | 109 | 0.92 |
//! | ln_1p | U\[-1e0,1e0\] | 0/0.000 | 1 | 1 | 277 | 222 | 99 | 108 | 0.91 |
//! | sqrt | LU\[1e-320,1e300\] | 0/0.000 | 0 | 0 | 880 | 774 | 300 | 301 | 0.99 |
//! | cbrt | ±LU\[1e-320,1e300\] | 2/0.287 | 2 | 0 | 312 | 241 | 72 | 49 | 1.47 |
//! | sin | U\[-1e1,1e1\] | 1/0.020 | 2 | 1 | 312 | 264 | 82 | 88 | 0.93 |
//! | sin | U\[-1e5,1e5\] | 1/0.021 | 2 | 1 | 295 | 264 | 82 | 87 | 0.94 |
//! | sin | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 20 | 20 | 20 | 19 | 1.05 |
//! | cos | U\[-1e1,1e1\] | 1/0.022 | 2 | 1 | 312 | 273 | 84 | 87 | 0.97 |
//! | cos | U\[-1e5,1e5\] | 1/0.021 | 2 | 1 | 301 | 266 | 82 | 82 | 1.00 |
//! | cos | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 19 | 19 | 19 | 19 | 1.04 |
//! | sin_cos.0 | U\[-1e1,1e1\] | 1/0.020 | 2 | 1 | 271 | 260 | 80 | 88 | 0.91 |
//! | sin_cos.0 | U\[-1e5,1e5\] | 1/0.021 | 2 | 1 | 275 | 262 | 80 | 86 | 0.93 |
//! | sin_cos.0 | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 9 | 9 | 19 | 18 | 1.05 |
//! | sin_cos.1 | U\[-1e1,1e1\] | 1/0.021 | 2 | 1 | 280 | 262 | 84 | 87 | 0.97 |
//! | sin_cos.1 | U\[-1e5,1e5\] | 1/0.021 | 2 | 1 | 278 | 264 | 84 | 83 | 1.00 |
//! | sin_cos.1 | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 10 | 10 | 19 | 18 | 1.05 |
//! | tan | U\[-1e1,1e1\] | 1/0.040 | 1 | 1 | 264 | 243 | 74 | 71 | 1.05 |
//! | tan | U\[-1e5,1e5\] | 1/0.040 | 1 | 1 | 257 | 241 | 73 | 55 | 1.33 |
//! | tan | ±LU\[1e5,1e22\] | 1/0.011 | 1 | 1 | 17 | 17 | 17 | 16 | 1.06 |
//! | tan | U\[1.5707962767948966e0,1.5707963767948965e0\] | 0/0.000 | 1 | 0 | 262 | 243 | 75 | 58 | 1.30 |
//! | tan | U\[3.141592603589793e0,3.1415927035897933e0\] | 0/0.000 | 1 | 0 | 263 | 244 | 73 | 87 | 0.85 |
//! | tan | U\[-4.712389030384689e0,-4.71238893038469e0\] | 0/0.000 | 1 | 0 | 265 | 245 | 76 | 59 | 1.30 |
//! | asin | U\[-1e0,1e0\] | 2/0.188 | 2 | 1 | 457 | 365 | 127 | 132 | 0.96 |
//! | asin | ±(1-LU\[1e-15,1e-1\]) | 1/0.272 | 2 | 1 | 600 | 480 | 130 | 83 | 1.57 |
//! | acos | U\[-1e0,1e0\] | 1/0.272 | 2 | 1 | 421 | 353 | 129 | 110 | 1.17 |
//! | acos | ±(1-LU\[1e-15,1e-1\]) | 1/0.262 | 2 | 1 | 572 | 471 | 131 | 78 | 1.67 |
//! | atan | ±LU\[1e-10,1e10\] | 1/0.141 | 1 | 1 | 502 | 385 | 109 | 99 | 1.11 |
//! | atan2 | x ±LU\[1e-5,1e5\]; y ±LU\[1e-5,1e5\] | 1/0.266 | 2 | 1 | 320 | 249 | 67 | 66 | 1.01 |
//! | sinh | U\[-2e1,2e1\] | 2/0.263 | 2 | 2 | 387 | 291 | 102 | 54 | 1.87 |
//! | sinh | ±LU\[1e-10,1e0\] | 2/0.338 | 2 | 2 | 390 | 294 | 103 | 91 | 1.13 |
//! | sinh | U\[-7.104e2,7.104e2\] | 2/0.099 | 2 | 2 | 234 | 205 | 102 | 96 | 1.06 |
//! | cosh | U\[-2e1,2e1\] | 1/0.254 | 1 | 1 | 540 | 413 | 144 | 115 | 1.24 |
//! | cosh | U\[-7.104e2,7.104e2\] | 1/0.100 | 1 | 2 | 481 | 384 | 140 | 109 | 1.29 |
//! | tanh | U\[-2e1,2e1\] | 2/0.034 | 3 | 2 | 225 | 209 | 93 | 58 | 1.60 |
//! | tanh | ±LU\[1e-10,1e0\] | 2/0.401 | 3 | 2 | 328 | 274 | 100 | 97 | 1.03 |
//! | asinh | ±LU\[1e-10,1e10\] | 1/0.132 | 1 | 1 | 78 | 68 | 69 | 39 | 1.78 |
//! | asinh | ±LU\[1e-300,1e300\] | 1/0.005 | 1 | 1 | 23 | 22 | 52 | 46 | 1.12 |
//! | acosh | 1+LU\[1e-12,1e10\] | 1/0.181 | 2 | 523834 | 108 | 120 | 87 | 111 | 0.79 |
//! | acosh | LU\[1e10,1e300\] | 1/0.000 | 2 | 1 | 356 | 292 | 130 | 110 | 1.19 |
//! | atanh | U\[-1e0,1e0\] | 1/0.158 | 2 | 1332 | 245 | 194 | 76 | 84 | 0.91 |
//! | atanh | ±(1-LU\[1e-15,1e-1\]) | 1/0.019 | 2 | 14828174345505 | 225 | 196 | 74 | 78 | 0.95 |
//! | atanh | ±LU\[1e-10,1e0\] | 2/0.269 | 2 | 93 | 99 | 105 | 118 | 111 | 1.07 |
//! | pow | x LU\[1e-10,1e10\]; y U\[-3e1,3e1\] | 1/0.093 | 1 | 1 | 144 | 138 | 58 | 61 | 0.96 |
//! | pow | x U\[5e-1,2e0\]; y U\[-1e3,1e3\] | 1/0.092 | 1 | 1 | 143 | 138 | 58 | 61 | 0.95 |
//! | pow | x ±LU\[1e-3,1e3\]; y Z\[-60,60\] | 1/0.091 | 1 | 1 | 202 | 134 | 54 | 59 | 0.91 |
//! | pow | x LU\[1e-300,1e300\]; y U\[-1.5e0,1.5e0\] | 1/0.087 | 1 | 1 | 119 | 118 | 53 | 58 | 0.92 |
//! | pow | x 1+LU\[1e-14,1e-2\]; y ±LU\[1e0,1e12\] | 1/0.025 | 1 | 1 | 100 | 97 | 48 | 59 | 0.81 |
//! | hypot | x ±LU\[1e-10,1e10\]; y ±LU\[1e-10,1e10\] | 1/0.096 | 2 | 1 | 647 | 498 | 168 | 119 | 1.41 |
//! | hypot | x ±LU\[1e-300,1e300\]; y ±LU\[1e-300,1e300\] | 1/0.004 | 2 | 1 | 427 | 326 | 137 | 147 | 0.93 |
//! | recip | ±LU\[1e-300,1e300\] | 0/0.000 | 0 | 0 | 1546 | 1214 | 323 | 404 | 0.80 |
//!
//! f32 (through the f64 kernels, one rounding to f32; std's f32 asinh overflows for
//! |x| > about 1.8e19, hence its 1e9 ulp):
//!
//! | fn | range | f32x16 = f32x8 = scalar | claimed | std | Mv/s f32x16 | Mv/s f32x8 | Mv/s scalar | Mv/s std | scalar / std |
//! |---|---|---|---|---|---|---|---|---|---|
//! | exp | U\[-1.04e2,8.87e1\] | 1/0.000 | 1 | 1 | 777 | 657 | 217 | 231 | 0.94 |
//! | exp | U\[-1e0,1e0\] | 1/0.000 | 1 | 1 | 778 | 659 | 218 | 245 | 0.89 |
//! | exp2 | U\[-1.49e2,1.279e2\] | 1/0.000 | 1 | 1 | 823 | 706 | 227 | 217 | 1.05 |
//! | exp_m1 | U\[-1e1,1e1\] | 0/0.000 | 1 | 1 | 459 | 458 | 128 | 73 | 1.77 |
//! | exp_m1 | ±LU\[1e-7,1e0\] | 0/0.000 | 1 | 1 | 458 | 462 | 127 | 130 | 0.98 |
//! | exp_m1 | U\[-2e1,8.87e1\] | 0/0.000 | 1 | 1 | 208 | 197 | 100 | 74 | 1.36 |
//! | ln | LU\[1e-45,3e38\] | 0/0.000 | 1 | 1 | 648 | 540 | 192 | 153 | 1.25 |
//! | ln | U\[5e-1,2e0\] | 0/0.000 | 1 | 1 | 637 | 531 | 190 | 174 | 1.09 |
//! | log2 | LU\[1e-45,3e38\] | 0/0.000 | 1 | 1 | 641 | 530 | 183 | 152 | 1.20 |
//! | log2 | U\[5e-1,2e0\] | 0/0.000 | 1 | 1 | 647 | 538 | 185 | 176 | 1.05 |
//! | log10 | LU\[1e-45,3e38\] | 0/0.000 | 1 | 2 | 643 | 527 | 183 | 100 | 1.83 |
//! | log10 | U\[5e-1,2e0\] | 0/0.000 | 1 | 2 | 645 | 538 | 184 | 114 | 1.62 |
//! | ln_1p | ±LU\[1e-7,9.99e-1\] | 0/0.000 | 1 | 1 | 95 | 92 | 148 | 128 | 1.16 |
//! | ln_1p | LU\[1e0,3e38\] | 0/0.000 | 1 | 1 | 276 | 240 | 105 | 97 | 1.09 |
//! | sqrt | LU\[1e-45,3e38\] | 0/0.000 | 1 | 0 | 1498 | 1308 | 269 | 266 | 1.01 |
//! | cbrt | ±LU\[1e-45,3e38\] | 1/0.001 | 1 | 0 | 462 | 454 | 108 | 86 | 1.26 |
//! | sin | U\[-1e1,1e1\] | 1/0.000 | 1 | 1 | 642 | 633 | 190 | 194 | 0.98 |
//! | sin | U\[-1e5,1e5\] | 1/0.000 | 1 | 1 | 637 | 629 | 190 | 144 | 1.32 |
//! | sin | ±LU\[1e5,3e38\] | 1/0.011 | 1 | 1 | 144 | 137 | 135 | 141 | 0.96 |
//! | cos | U\[-1e1,1e1\] | 1/0.000 | 1 | 1 | 683 | 644 | 194 | 192 | 1.01 |
//! | cos | U\[-1e5,1e5\] | 1/0.000 | 1 | 1 | 675 | 649 | 194 | 145 | 1.34 |
//! | cos | ±LU\[1e5,3e38\] | 1/0.011 | 1 | 1 | 145 | 142 | 138 | 144 | 0.96 |
//! | tan | U\[-1e1,1e1\] | 0/0.000 | 1 | 1 | 268 | 241 | 73 | 68 | 1.07 |
//! | tan | U\[-1e5,1e5\] | 0/0.000 | 1 | 1 | 267 | 235 | 73 | 58 | 1.27 |
//! | tan | ±LU\[1e5,3e38\] | 1/0.034 | 1 | 1 | 55 | 52 | 56 | 58 | 0.98 |
//! | asin | U\[-1e0,1e0\] | 1/0.000 | 1 | 1 | 398 | 428 | 203 | 162 | 1.25 |
//! | asin | ±(1-LU\[1e-7,1e-1\]) | 1/0.000 | 1 | 1 | 395 | 425 | 189 | 168 | 1.13 |
//! | acos | U\[-1e0,1e0\] | 1/0.000 | 1 | 1 | 637 | 572 | 177 | 140 | 1.27 |
//! | acos | ±(1-LU\[1e-7,1e-1\]) | 1/0.000 | 1 | 1 | 643 | 567 | 189 | 132 | 1.43 |
//! | atan | ±LU\[1e-6,1e6\] | 1/0.000 | 1 | 1 | 373 | 374 | 159 | 139 | 1.14 |
//! | atan2 | x ±LU\[1e-5,1e5\]; y ±LU\[1e-5,1e5\] | 0/0.000 | 1 | 1 | 321 | 280 | 65 | 66 | 0.98 |
//! | sinh | U\[-8.94e1,8.94e1\] | 0/0.000 | 1 | 2 | 108 | 112 | 99 | 79 | 1.25 |
//! | sinh | ±LU\[1e-6,1e0\] | 0/0.000 | 1 | 2 | 245 | 279 | 97 | 72 | 1.35 |
//! | cosh | U\[-8.94e1,8.94e1\] | 0/0.000 | 1 | 2 | 480 | 464 | 133 | 119 | 1.12 |
//! | tanh | U\[-1e1,1e1\] | 0/0.000 | 1 | 2 | 240 | 261 | 97 | 55 | 1.76 |
//! | tanh | ±LU\[1e-6,1e0\] | 0/0.000 | 1 | 2 | 241 | 266 | 98 | 87 | 1.13 |
//! | asinh | ±LU\[1e-6,3e38\] | 0/0.000 | 1 | 1020169654 | 112 | 105 | 52 | 48 | 1.09 |
//! | acosh | 1+LU\[1e-6,1e6\] | 0/0.000 | 1 | 351 | 456 | 425 | 123 | 146 | 0.84 |
//! | acosh | LU\[1e6,3e38\] | 0/0.000 | 1 | 1020169659 | 465 | 432 | 125 | 145 | 0.86 |
//! | atanh | U\[-1e0,1e0\] | 0/0.000 | 1 | 7575 | 222 | 204 | 70 | 77 | 0.91 |
//! | atanh | ±(1-LU\[1e-7,1e-1\]) | 0/0.000 | 1 | 212581 | 237 | 216 | 71 | 73 | 0.97 |
//! | atanh | ±LU\[1e-6,1e0\] | 0/0.000 | 1 | 183 | 87 | 85 | 97 | 95 | 1.02 |
//! | pow | x LU\[1e-3,1e3\]; y U\[-1.2e1,1.2e1\] | 1/0.000 | 1 | 1 | 291 | 259 | 112 | 129 | 0.87 |
//! | pow | x U\[5e-1,2e0\]; y U\[-1e2,1e2\] | 1/0.000 | 1 | 1 | 291 | 260 | 112 | 129 | 0.87 |
//! | pow | x ±LU\[1e-2,1e2\]; y Z\[-20,20\] | 1/0.000 | 1 | 1 | 268 | 243 | 95 | 119 | 0.80 |
//! | hypot | x ±LU\[1e-5,1e5\]; y ±LU\[1e-5,1e5\] | 0/0.000 | 1 | 0 | 1341 | 1200 | 265 | 238 | 1.11 |
//! | hypot | x ±LU\[1e-30,1e30\]; y ±LU\[1e-30,1e30\] | 0/0.000 | 1 | 0 | 1341 | 1201 | 264 | 238 | 1.11 |
//! | recip | ±LU\[1e-37,1e37\] | 0/0.000 | 1 | 0 | 2651 | 1968 | 294 | 404 | 0.73 |
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
