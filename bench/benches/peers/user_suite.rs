#![allow(clippy::needless_range_loop, clippy::new_without_default)]

//! The docs/SUITE.md functions written the way README teaches a new user: one struct per
//! function implementing `VectorFn` straight from the definitions, constants as `f64`
//! literals on the right (`x * 10.0`), `#[inline]` on `eval` (README's advice), no
//! `scale`, no hand-tuned sharing.
//!
//! The sharing that is here is what the num-dual peer of bench/benches/peers.rs also does,
//! and what anyone writing the formula would: `sin_cos` where both are needed. README's
//! advice to compute an elementary function where its result is used rather than keep
//! duals in arrays is followed by `Trigonometric`; `TrigonometricArrays` is the same
//! function with its sines and cosines in arrays (the num-dual peer's form), timed
//! beside it. Beside src/suite.rs (tuned) it shows what the library gives code that
//! nobody has tuned for it.

use batchjac::{Real, VectorFn};

/// Extended Rosenbrock, m = n = 16.
pub struct ExtRosenbrock;

impl VectorFn for ExtRosenbrock {
    fn inputs(&self) -> usize {
        16
    }
    fn outputs(&self) -> usize {
        16
    }
    #[inline]
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        for i in 0..8 {
            y[2 * i] = (x[2 * i + 1] - x[2 * i] * x[2 * i]) * 10.0;
            y[2 * i + 1] = -x[2 * i] + 1.0;
        }
    }
}

/// More-Garbow-Hillstrom trigonometric function, m = n = 16, as README advises: the sum
/// of the cosines in one loop, each row's `sin_cos` where the row uses it.
pub struct Trigonometric;

impl VectorFn for Trigonometric {
    fn inputs(&self) -> usize {
        16
    }
    fn outputs(&self) -> usize {
        16
    }
    #[inline]
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        let mut s = R::from_f64(0.0);
        for j in 0..16 {
            s += x[j].cos();
        }
        for i in 0..16 {
            let (sin, cos) = x[i].sin_cos();
            y[i] = -s + 16.0 + (-cos + 1.0) * (i + 1) as f64 - sin;
        }
    }
}

/// The same function with each sine and cosine computed once into arrays (the num-dual
/// peer's form, and a natural first version): in batch lanes each array holds 16 duals
/// of 8 points x 17 lanes (17 KiB), zero-filled and then written again.
pub struct TrigonometricArrays;

impl VectorFn for TrigonometricArrays {
    fn inputs(&self) -> usize {
        16
    }
    fn outputs(&self) -> usize {
        16
    }
    #[inline]
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        let mut sin = [R::from_f64(0.0); 16];
        let mut cos = [R::from_f64(0.0); 16];
        let mut s = R::from_f64(0.0);
        for j in 0..16 {
            (sin[j], cos[j]) = x[j].sin_cos();
            s += cos[j];
        }
        for i in 0..16 {
            y[i] = -s + 16.0 + (-cos[i] + 1.0) * (i + 1) as f64 - sin[i];
        }
    }
}

/// Planar 7-link arm, m = 7, n = 2.
pub struct Arm7;

impl VectorFn for Arm7 {
    fn inputs(&self) -> usize {
        7
    }
    fn outputs(&self) -> usize {
        2
    }
    #[inline]
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        let mut theta = R::from_f64(0.0);
        let (mut px, mut py) = (R::from_f64(0.0), R::from_f64(0.0));
        for j in 0..7 {
            theta += x[j];
            let (s, c) = theta.sin_cos();
            let length = 1.0 / (1.0 + 0.25 * j as f64);
            px += c * length;
            py += s * length;
        }
        y[0] = px;
        y[1] = py;
    }
}

/// tanh hidden layer and softmax, m = 32, hidden 32, n = 4.
pub struct Mlp {
    w1: Vec<f64>,
    b1: Vec<f64>,
    w2: Vec<f64>,
    b2: Vec<f64>,
}

impl Mlp {
    pub fn new() -> Self {
        let mut w1 = vec![0.0; 32 * 32];
        for i in 0..32 {
            for j in 0..32 {
                w1[i * 32 + j] = 0.25 * (1.0 + 0.7 * i as f64 + 1.3 * j as f64).sin();
            }
        }
        let mut w2 = vec![0.0; 4 * 32];
        for k in 0..4 {
            for i in 0..32 {
                w2[k * 32 + i] = 0.3 * (0.5 + 1.1 * k as f64 + 0.9 * i as f64).cos();
            }
        }
        Mlp {
            w1,
            b1: (0..32).map(|i| 0.1 * (i as f64).cos()).collect(),
            w2,
            b2: (0..4).map(|k| 0.05 * k as f64).collect(),
        }
    }
}

impl VectorFn for Mlp {
    fn inputs(&self) -> usize {
        32
    }
    fn outputs(&self) -> usize {
        4
    }
    #[inline]
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        let mut h = [R::from_f64(0.0); 32];
        for i in 0..32 {
            let mut a = R::from_f64(self.b1[i]);
            for j in 0..32 {
                a += x[j] * self.w1[i * 32 + j];
            }
            h[i] = a.tanh();
        }
        let mut z = [R::from_f64(0.0); 4];
        for k in 0..4 {
            let mut a = R::from_f64(self.b2[k]);
            for i in 0..32 {
                a += h[i] * self.w2[k * 32 + i];
            }
            z[k] = a;
        }
        let zmax = z[0].max(z[1]).max(z[2]).max(z[3]);
        let mut total = R::from_f64(0.0);
        for zk in z.iter_mut() {
            *zk = (*zk - zmax).exp();
            total += *zk;
        }
        for k in 0..4 {
            y[k] = z[k] / total;
        }
    }
}

/// 2-D Brusselator on an 8 x 8 periodic grid, m = n = 128.
pub struct Brusselator;

impl VectorFn for Brusselator {
    fn inputs(&self) -> usize {
        128
    }
    fn outputs(&self) -> usize {
        128
    }
    #[inline]
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        const N: usize = 8;
        let (a, b, alpha) = (3.4, 1.0, 10.0);
        let (u, v) = x.split_at(N * N);
        for i in 0..N {
            for j in 0..N {
                let idx = i * N + j;
                let up = ((i + N - 1) % N) * N + j;
                let down = ((i + 1) % N) * N + j;
                let left = i * N + (j + N - 1) % N;
                let right = i * N + (j + 1) % N;
                let lap_u = u[up] + u[down] + u[left] + u[right] - u[idx] * 4.0;
                let lap_v = v[up] + v[down] + v[left] + v[right] - v[idx] * 4.0;
                let uuv = u[idx] * u[idx] * v[idx];
                y[idx] = lap_u * alpha + b + uuv - u[idx] * (a + 1.0);
                y[N * N + idx] = lap_v * alpha + u[idx] * a - uuv;
            }
        }
    }
}

/// Robertson's kinetics, m = n = 3.
pub struct Robertson;

impl VectorFn for Robertson {
    fn inputs(&self) -> usize {
        3
    }
    fn outputs(&self) -> usize {
        3
    }
    #[inline]
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] = x[0] * -0.04 + x[1] * x[2] * 1e4;
        y[1] = x[0] * 0.04 - x[1] * x[2] * 1e4 - x[1] * x[1] * 3e7;
        y[2] = x[1] * x[1] * 3e7;
    }
}

/// Many elementary functions, m = 4, n = 6.
pub struct ElementaryMix;

impl VectorFn for ElementaryMix {
    fn inputs(&self) -> usize {
        4
    }
    fn outputs(&self) -> usize {
        6
    }
    #[inline]
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        y[0] = x[0].exp() * x[1].sin();
        y[1] = (x[2] * x[2] + 1.0).ln() / (x[3] * x[3] + 1.0).sqrt();
        y[2] = x[0].atan2(x[1] + 2.5);
        y[3] = (x[2] * x[2] + 1.5).pow(x[3]);
        y[4] = (x[0] * x[3]).tanh() + (x[1] * x[1] + 2.0).cbrt();
        y[5] = x[0].hypot(x[2] + 1.0) + x[3].asinh() + ((-x[1]).exp() + 1.0).recip();
    }
}
