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
//! * from `wide` (measured well in docs/SIMD_MATH.md): `exp`, `sqrt`, `cbrt`,
//!   `asin`, `acos`, `atan`, `atan2`;
//!   `ln` with subnormal inputs rescaled; `sinh`/`cosh` below |x| = 22 (above it
//!   e^|x| / 2, with the window just below overflow recomputed);
//! * our own kernels (module `kernels`): `sin`, `cos`, `sin_cos` and `tan` (Cody-Waite
//!   reduction with a three-part pi/2 and sin/cos series in double-double: 1 ulp, also
//!   next to the zeros of sin and cos, where wide's sin/cos lose relative accuracy
//!   (600 ulp seen at cos(29 pi/2)); tan 1 ulp where a sin/cos quotient reaches 3;
//!   std lane by lane for |x| > 2^30), `exp2` (wide's is off by 1e-12 at
//!   half-integers), `exp_m1` (one final rounding), `tanh` (via
//!   `exp_m1`), `pow`/`powf` (double-double logarithm and exponential, the full IEEE
//!   special-case table), `log2`/`log10` (the double-double logarithm of `pow`: 1 ulp,
//!   exact at powers of two), `ln_1p` (rounding correction), `asinh`/`acosh`/`atanh`/`hypot` (compositions that stay accurate near
//!   ±1 and 0), and `powi` by binary powering (bit for bit as std's `powi`).
//!
//! The f32 lane types evaluate every transcendental function through the f64 kernels
//! (f32x8 as one f64x8, f32x16 as two) and round once to f32: wide's own f32 sine and
//! cosine reach thousands of ulp past |x| = 2^10, and the widened path is within 1 f32
//! ulp everywhere (measured: 0 or 1), at about the f64x8 throughput per value (wide's
//! native f32 kernels would be faster, but not accurate). Lanes with |x| > 2^30 of the
//! f32 trig functions use f32's std functions lane by lane.
//!
//! # Measured accuracy and throughput
//!
//! `cargo run --release --example simd_accuracy 200000` (200,000 samples per row, seeded;
//! 2026-11-30, AMD EPYC Zen 5, 2 shared vCPUs, AVX-512, `-C target-cpu=native`). Error:
//! `max/mean` distance in ulp from the correctly rounded result (core-math), the same for
//! both lane types and for the scalar `Value` impl of `f64`/`f32`, which runs these
//! kernels on one lane so that a point gives the same bits alone and in a batch (the
//! example asserts that). "std": max ulp of std's function, for comparison. Throughput:
//! millions of values per second on one core, 1024-value buffer in L1, best of 9; the
//! machine was shared, so figures vary by about ±30% between runs (ratios within a row
//! less). "scalar / std" is the speed of the scalar path relative to std's function.
//! "claimed" is the bound tests/it/simd_math.rs asserts on 100k samples per function. The
//! ±LU\[1e5,1e22\] trig rows run std lane by lane (all lanes huge); a vector with no huge
//! lane pays only one comparison for the fallback.
//!
//! f64:
//!
//! | fn | range | f64x8 = f64x4 = scalar | claimed | std | Mv/s f64x8 | Mv/s f64x4 | Mv/s scalar | Mv/s std | scalar / std |
//! |---|---|---|---|---|---|---|---|---|---|
//! | exp | U\[-7.45e2,7.097e2\] | 1/0.106 | 1 | 1 | 667 | 470 | 139 | 218 | 0.64 |
//! | exp | U\[-1e0,1e0\] | 1/0.104 | 1 | 1 | 889 | 646 | 158 | 290 | 0.54 |
//! | exp2 | U\[-1.074e3,1.0239e3\] | 1/0.091 | 1 | 1 | 767 | 482 | 135 | 289 | 0.47 |
//! | exp2 | U\[-1e0,1e0\] | 1/0.093 | 1 | 1 | 1126 | 592 | 142 | 360 | 0.39 |
//! | exp_m1 | U\[-1e1,1e1\] | 2/0.055 | 2 | 1 | 998 | 498 | 122 | 163 | 0.74 |
//! | exp_m1 | ±LU\[1e-12,1e0\] | 2/0.009 | 2 | 1 | 985 | 494 | 120 | 293 | 0.41 |
//! | exp_m1 | U\[-5e1,7.097e2\] | 2/0.087 | 2 | 1 | 995 | 492 | 121 | 142 | 0.85 |
//! | ln | LU\[1e-320,1e300\] | 1/0.002 | 1 | 1 | 737 | 497 | 137 | 271 | 0.50 |
//! | ln | U\[5e-1,2e0\] | 1/0.199 | 1 | 1 | 1010 | 612 | 154 | 264 | 0.58 |
//! | log2 | LU\[1e-320,1e300\] | 0/0.000 | 1 | 1 | 279 | 156 | 44 | 271 | 0.16 |
//! | log2 | U\[5e-1,2e0\] | 1/0.000 | 1 | 1 | 355 | 179 | 44 | 285 | 0.16 |
//! | log10 | LU\[1e-320,1e300\] | 0/0.000 | 1 | 1 | 287 | 160 | 43 | 142 | 0.30 |
//! | log10 | U\[5e-1,2e0\] | 1/0.000 | 1 | 2 | 362 | 180 | 45 | 150 | 0.30 |
//! | ln_1p | ±LU\[1e-12,9.99e-1\] | 2/0.289 | 2 | 1 | 846 | 437 | 111 | 294 | 0.38 |
//! | ln_1p | LU\[1e0,1e300\] | 1/0.001 | 2 | 1 | 845 | 439 | 112 | 198 | 0.56 |
//! | ln_1p | U\[-1e0,1e0\] | 1/0.166 | 2 | 1 | 842 | 434 | 113 | 211 | 0.53 |
//! | sqrt | LU\[1e-320,1e300\] | 0/0.000 | 0 | 0 | 1585 | 1112 | 378 | 392 | 0.96 |
//! | cbrt | ±LU\[1e-320,1e300\] | 2/0.287 | 2 | 0 | 603 | 366 | 104 | 85 | 1.22 |
//! | sin | U\[-1e1,1e1\] | 1/0.019 | 2 | 1 | 721 | 364 | 90 | 110 | 0.82 |
//! | sin | U\[-1e5,1e5\] | 1/0.020 | 2 | 1 | 728 | 369 | 90 | 108 | 0.83 |
//! | sin | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 19 | 19 | 4 | 35 | 0.13 |
//! | cos | U\[-1e1,1e1\] | 1/0.021 | 2 | 1 | 722 | 370 | 90 | 111 | 0.81 |
//! | cos | U\[-1e5,1e5\] | 1/0.020 | 2 | 1 | 720 | 371 | 89 | 109 | 0.81 |
//! | cos | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 19 | 18 | 4 | 35 | 0.12 |
//! | sin_cos.0 | U\[-1e1,1e1\] | 1/0.019 | 2 | 1 | 739 | 376 | 91 | 112 | 0.81 |
//! | sin_cos.0 | U\[-1e5,1e5\] | 1/0.019 | 2 | 1 | 744 | 377 | 92 | 111 | 0.83 |
//! | sin_cos.0 | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 18 | 18 | 4 | 34 | 0.13 |
//! | sin_cos.1 | U\[-1e1,1e1\] | 1/0.020 | 2 | 1 | 727 | 370 | 89 | 109 | 0.82 |
//! | sin_cos.1 | U\[-1e5,1e5\] | 1/0.019 | 2 | 1 | 727 | 371 | 90 | 109 | 0.83 |
//! | sin_cos.1 | ±LU\[1e5,1e22\] | 1/0.006 | 2 | 1 | 19 | 18 | 4 | 34 | 0.12 |
//! | tan | U\[-1e1,1e1\] | 1/0.038 | 1 | 1 | 702 | 361 | 90 | 109 | 0.82 |
//! | tan | U\[-1e5,1e5\] | 1/0.038 | 1 | 1 | 692 | 356 | 89 | 98 | 0.90 |
//! | tan | ±LU\[1e5,1e22\] | 1/0.011 | 1 | 1 | 33 | 31 | 7 | 30 | 0.24 |
//! | tan | U\[1.5707962767948966e0,1.5707963767948965e0\] | 0/0.000 | 1 | 0 | 682 | 347 | 86 | 94 | 0.92 |
//! | tan | U\[3.141592603589793e0,3.1415927035897933e0\] | 0/0.000 | 1 | 0 | 692 | 353 | 87 | 111 | 0.78 |
//! | tan | U\[-4.712389030384689e0,-4.71238893038469e0\] | 0/0.000 | 1 | 0 | 695 | 354 | 88 | 96 | 0.91 |
//! | asin | U\[-1e0,1e0\] | 2/0.188 | 2 | 1 | 1036 | 672 | 217 | 246 | 0.88 |
//! | asin | ±(1-LU\[1e-15,1e-1\]) | 1/0.272 | 2 | 1 | 1421 | 894 | 237 | 146 | 1.62 |
//! | acos | U\[-1e0,1e0\] | 1/0.272 | 2 | 1 | 987 | 677 | 210 | 236 | 0.89 |
//! | acos | ±(1-LU\[1e-15,1e-1\]) | 1/0.262 | 2 | 1 | 1351 | 841 | 230 | 122 | 1.89 |
//! | atan | ±LU\[1e-10,1e10\] | 1/0.141 | 1 | 1 | 1170 | 766 | 203 | 123 | 1.66 |
//! | atan2 | x ±LU\[1e-5,1e5\]; y ±LU\[1e-5,1e5\] | 1/0.266 | 2 | 1 | 868 | 453 | 109 | 91 | 1.19 |
//! | sinh | U\[-2e1,2e1\] | 3/0.284 | 3 | 2 | 530 | 304 | 72 | 95 | 0.76 |
//! | sinh | ±LU\[1e-10,1e0\] | 3/0.339 | 3 | 2 | 525 | 300 | 72 | 155 | 0.46 |
//! | sinh | U\[-7.104e2,7.104e2\] | 3/0.098 | 3 | 2 | 528 | 301 | 73 | 184 | 0.39 |
//! | cosh | U\[-2e1,2e1\] | 2/0.267 | 2 | 1 | 537 | 313 | 75 | 198 | 0.38 |
//! | cosh | U\[-7.104e2,7.104e2\] | 1/0.098 | 2 | 2 | 513 | 299 | 74 | 132 | 0.56 |
//! | tanh | U\[-2e1,2e1\] | 2/0.034 | 3 | 2 | 740 | 370 | 91 | 109 | 0.84 |
//! | tanh | ±LU\[1e-10,1e0\] | 2/0.400 | 3 | 2 | 722 | 364 | 91 | 156 | 0.58 |
//! | asinh | ±LU\[1e-10,1e10\] | 2/0.227 | 3 | 1 | 355 | 178 | 44 | 66 | 0.67 |
//! | asinh | ±LU\[1e-300,1e300\] | 2/0.010 | 3 | 1 | 190 | 112 | 36 | 67 | 0.53 |
//! | acosh | 1+LU\[1e-12,1e10\] | 3/0.284 | 3 | 523834 | 389 | 194 | 48 | 172 | 0.28 |
//! | acosh | LU\[1e10,1e300\] | 1/0.000 | 3 | 1 | 361 | 178 | 46 | 210 | 0.22 |
//! | atanh | U\[-1e0,1e0\] | 2/0.244 | 3 | 1332 | 662 | 328 | 80 | 153 | 0.52 |
//! | atanh | ±(1-LU\[1e-15,1e-1\]) | 1/0.021 | 3 | 14828174345505 | 659 | 331 | 80 | 145 | 0.55 |
//! | atanh | ±LU\[1e-10,1e0\] | 2/0.414 | 3 | 93 | 665 | 329 | 80 | 183 | 0.44 |
//! | pow | x LU\[1e-10,1e10\]; y U\[-3e1,3e1\] | 1/0.093 | 1 | 1 | 240 | 120 | 30 | 98 | 0.30 |
//! | pow | x U\[5e-1,2e0\]; y U\[-1e3,1e3\] | 1/0.094 | 1 | 1 | 243 | 121 | 29 | 98 | 0.30 |
//! | pow | x ±LU\[1e-3,1e3\]; y Z\[-60,60\] | 1/0.091 | 1 | 1 | 242 | 121 | 30 | 87 | 0.35 |
//! | pow | x LU\[1e-300,1e300\]; y U\[-1.5e0,1.5e0\] | 1/0.087 | 1 | 1 | 195 | 107 | 29 | 90 | 0.32 |
//! | pow | x 1+LU\[1e-14,1e-2\]; y ±LU\[1e0,1e12\] | 1/0.024 | 1 | 1 | 159 | 88 | 27 | 78 | 0.35 |
//! | hypot | x ±LU\[1e-10,1e10\]; y ±LU\[1e-10,1e10\] | 2/0.264 | 2 | 1 | 1663 | 1014 | 279 | 225 | 1.24 |
//! | hypot | x ±LU\[1e-300,1e300\]; y ±LU\[1e-300,1e300\] | 2/0.011 | 2 | 1 | 579 | 328 | 111 | 298 | 0.37 |
//! | recip | ±LU\[1e-300,1e300\] | 0/0.000 | 0 | 0 | 2359 | 1760 | 478 | 485 | 0.99 |
//!
//! f32 (through the f64 kernels, one rounding to f32; std's f32 asinh overflows for
//! |x| > about 1.8e19, hence its 1e9 ulp):
//!
//! | fn | range | f32x16 = f32x8 = scalar | claimed | std | Mv/s f32x16 | Mv/s f32x8 | Mv/s scalar | Mv/s std | scalar / std |
//! |---|---|---|---|---|---|---|---|---|---|
//! | exp | U\[-1.04e2,8.87e1\] | 0/0.000 | 1 | 1 | 1027 | 932 | 128 | 326 | 0.39 |
//! | exp | U\[-1e0,1e0\] | 0/0.000 | 1 | 1 | 1023 | 938 | 127 | 475 | 0.27 |
//! | exp2 | U\[-1.49e2,1.279e2\] | 0/0.000 | 1 | 1 | 1168 | 1038 | 139 | 315 | 0.44 |
//! | exp_m1 | U\[-1e1,1e1\] | 0/0.000 | 1 | 1 | 1043 | 878 | 117 | 128 | 0.91 |
//! | exp_m1 | ±LU\[1e-7,1e0\] | 0/0.000 | 1 | 1 | 1052 | 882 | 118 | 228 | 0.52 |
//! | exp_m1 | U\[-2e1,8.87e1\] | 0/0.000 | 1 | 1 | 1050 | 875 | 118 | 125 | 0.94 |
//! | ln | LU\[1e-45,3e38\] | 0/0.000 | 1 | 1 | 1192 | 1060 | 153 | 237 | 0.65 |
//! | ln | U\[5e-1,2e0\] | 0/0.000 | 1 | 1 | 1195 | 1065 | 156 | 399 | 0.39 |
//! | log2 | LU\[1e-45,3e38\] | 0/0.000 | 1 | 1 | 394 | 380 | 48 | 264 | 0.18 |
//! | log2 | U\[5e-1,2e0\] | 0/0.000 | 1 | 1 | 389 | 378 | 49 | 403 | 0.12 |
//! | log10 | LU\[1e-45,3e38\] | 0/0.000 | 1 | 2 | 391 | 384 | 48 | 145 | 0.33 |
//! | log10 | U\[5e-1,2e0\] | 0/0.000 | 1 | 2 | 390 | 381 | 49 | 224 | 0.22 |
//! | ln_1p | ±LU\[1e-7,9.99e-1\] | 0/0.000 | 1 | 1 | 970 | 878 | 119 | 232 | 0.51 |
//! | ln_1p | LU\[1e0,3e38\] | 0/0.000 | 1 | 1 | 986 | 888 | 120 | 175 | 0.69 |
//! | sqrt | LU\[1e-45,3e38\] | 0/0.000 | 1 | 0 | 2438 | 1711 | 328 | 328 | 1.00 |
//! | cbrt | ±LU\[1e-45,3e38\] | 0/0.000 | 1 | 0 | 969 | 841 | 115 | 171 | 0.67 |
//! | sin | U\[-1e1,1e1\] | 0/0.000 | 1 | 1 | 779 | 719 | 93 | 385 | 0.24 |
//! | sin | U\[-1e5,1e5\] | 0/0.000 | 1 | 1 | 789 | 737 | 96 | 245 | 0.39 |
//! | sin | ±LU\[1e5,3e38\] | 1/0.011 | 1 | 1 | 217 | 201 | 83 | 242 | 0.34 |
//! | cos | U\[-1e1,1e1\] | 0/0.000 | 1 | 1 | 796 | 715 | 96 | 367 | 0.26 |
//! | cos | U\[-1e5,1e5\] | 0/0.000 | 1 | 1 | 809 | 716 | 96 | 244 | 0.39 |
//! | cos | ±LU\[1e5,3e38\] | 1/0.011 | 1 | 1 | 220 | 199 | 85 | 250 | 0.34 |
//! | tan | U\[-1e1,1e1\] | 0/0.000 | 1 | 1 | 746 | 651 | 87 | 103 | 0.85 |
//! | tan | U\[-1e5,1e5\] | 0/0.000 | 1 | 1 | 753 | 657 | 88 | 96 | 0.92 |
//! | tan | ±LU\[1e5,3e38\] | 1/0.034 | 1 | 1 | 97 | 97 | 12 | 94 | 0.13 |
//! | asin | U\[-1e0,1e0\] | 0/0.000 | 1 | 1 | 1279 | 1078 | 220 | 300 | 0.73 |
//! | asin | ±(1-LU\[1e-7,1e-1\]) | 0/0.000 | 1 | 1 | 1790 | 1629 | 233 | 312 | 0.75 |
//! | acos | U\[-1e0,1e0\] | 0/0.000 | 1 | 1 | 1204 | 1087 | 198 | 248 | 0.80 |
//! | acos | ±(1-LU\[1e-7,1e-1\]) | 0/0.000 | 1 | 1 | 1720 | 1539 | 219 | 227 | 0.97 |
//! | atan | ±LU\[1e-6,1e6\] | 0/0.000 | 1 | 1 | 1563 | 1402 | 199 | 239 | 0.83 |
//! | atan2 | x ±LU\[1e-5,1e5\]; y ±LU\[1e-5,1e5\] | 0/0.000 | 1 | 1 | 944 | 850 | 113 | 118 | 0.96 |
//! | sinh | U\[-8.94e1,8.94e1\] | 0/0.000 | 1 | 2 | 434 | 442 | 60 | 125 | 0.48 |
//! | sinh | ±LU\[1e-6,1e0\] | 0/0.000 | 1 | 2 | 444 | 449 | 61 | 125 | 0.49 |
//! | cosh | U\[-8.94e1,8.94e1\] | 0/0.000 | 1 | 2 | 433 | 447 | 61 | 136 | 0.45 |
//! | tanh | U\[-1e1,1e1\] | 0/0.000 | 1 | 2 | 325 | 595 | 88 | 101 | 0.88 |
//! | tanh | ±LU\[1e-6,1e0\] | 0/0.000 | 1 | 2 | 326 | 595 | 89 | 137 | 0.65 |
//! | asinh | ±LU\[1e-6,3e38\] | 0/0.000 | 1 | 1020169654 | 257 | 375 | 52 | 77 | 0.67 |
//! | acosh | 1+LU\[1e-6,1e6\] | 0/0.000 | 1 | 351 | 485 | 446 | 57 | 290 | 0.20 |
//! | acosh | LU\[1e6,3e38\] | 0/0.000 | 1 | 1020169659 | 481 | 441 | 57 | 277 | 0.20 |
//! | atanh | U\[-1e0,1e0\] | 0/0.000 | 1 | 7575 | 339 | 564 | 86 | 135 | 0.64 |
//! | atanh | ±(1-LU\[1e-7,1e-1\]) | 0/0.000 | 1 | 212581 | 338 | 565 | 86 | 132 | 0.65 |
//! | atanh | ±LU\[1e-6,1e0\] | 0/0.000 | 1 | 183 | 330 | 551 | 84 | 163 | 0.52 |
//! | pow | x LU\[1e-3,1e3\]; y U\[-1.2e1,1.2e1\] | 0/0.000 | 1 | 1 | 246 | 238 | 31 | 243 | 0.13 |
//! | pow | x U\[5e-1,2e0\]; y U\[-1e2,1e2\] | 0/0.000 | 1 | 1 | 247 | 242 | 31 | 248 | 0.12 |
//! | pow | x ±LU\[1e-2,1e2\]; y Z\[-20,20\] | 0/0.000 | 1 | 1 | 246 | 241 | 31 | 224 | 0.14 |
//! | hypot | x ±LU\[1e-5,1e5\]; y ±LU\[1e-5,1e5\] | 0/0.000 | 1 | 0 | 1776 | 1613 | 229 | 399 | 0.57 |
//! | hypot | x ±LU\[1e-30,1e30\]; y ±LU\[1e-30,1e30\] | 0/0.000 | 1 | 0 | 1788 | 1621 | 229 | 399 | 0.57 |
//! | recip | ±LU\[1e-37,1e37\] | 0/0.000 | 1 | 0 | 4011 | 3525 | 500 | 499 | 1.00 |
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

use crate::dual::Tangent;
use crate::lanes::Float;
use crate::real::{Mask, Value};
use core::ops::{BitAnd, BitOr, Not};
use kernels::{kernels_f64x4, kernels_f64x8};
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
                $t::exp(self)
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
const F32_TRIG_LIMIT: f32 = 1073741824.0;

/// `patch_huge` for one f32 lane vector type.
macro_rules! patch_huge {
    ($t:ident) => {
        #[inline(always)]
        fn patch_huge(self, result: Self, f: impl Fn(f32) -> f32) -> Self {
            let huge = self.abs().simd_gt($t::splat(F32_TRIG_LIMIT)) & self.is_finite();
            if !huge.any() {
                return result;
            }
            let (x, mut out, huge) = (self.to_array(), result.to_array(), huge.to_array());
            for i in 0..x.len() {
                if huge[i] != 0.0 {
                    out[i] = f(x[i]);
                }
            }
            $t::new(out)
        }
    };
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
                self.unary(f64x8::exp)
            }
            #[inline(always)]
            fn exp2(self) -> Self {
                self.unary(kernels_f64x8::exp2)
            }
            #[inline(always)]
            fn exp_m1(self) -> Self {
                self.unary(kernels_f64x8::exp_m1)
            }
            #[inline(always)]
            fn ln(self) -> Self {
                self.unary(kernels_f64x8::ln)
            }
            #[inline(always)]
            fn log2(self) -> Self {
                self.unary(kernels_f64x8::log2)
            }
            #[inline(always)]
            fn log10(self) -> Self {
                self.unary(kernels_f64x8::log10)
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
                let s = self.unary(|x| kernels_f64x8::sin_cos_reduced_range(x).0);
                self.patch_huge(s, f32::sin)
            }
            #[inline(always)]
            fn cos(self) -> Self {
                let c = self.unary(|x| kernels_f64x8::sin_cos_reduced_range(x).1);
                self.patch_huge(c, f32::cos)
            }
            #[inline(always)]
            fn sin_cos(self) -> (Self, Self) {
                let (s, c) = self.unary_pair(kernels_f64x8::sin_cos_reduced_range);
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
