//! The yardstick suite of docs/SUITE.md: seven vector functions, each with a
//! hand-written analytic Jacobian, the fixed points every figure is measured at, and the
//! batch sizes for throughput.
//!
//! ```
//! use batchjac::suite::{Analytic, SuiteFunction};
//! use batchjac::{jacobian, VectorFn};
//! let f = SuiteFunction::by_name("arm7").unwrap();
//! let mut x = vec![0.0; f.inputs()];
//! f.point(0, &mut x);
//! let (mut ad, mut exact) = (vec![0.0; 14], vec![0.0; 14]);
//! jacobian(&f, &x, &mut ad).unwrap();
//! f.analytic_jacobian(&x, &mut exact);
//! assert!(ad.iter().zip(&exact).all(|(a, e)| (a - e).abs() < 1e-14));
//! ```

use crate::function::VectorFn;
use crate::real::Real;

/// A suite function with a hand-written Jacobian: the analytic baseline of the
/// benchmarks and the exact reference of the accuracy tests.
///
/// ```
/// use batchjac::suite::Analytic;
/// use batchjac::{jacobian, Real, VectorFn};
/// /// f(x) = x0 e^x1
/// struct F;
/// impl VectorFn for F {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[1].exp(); }
/// }
/// impl Analytic for F {
///     fn analytic_jacobian(&self, x: &[f64], jac: &mut [f64]) {
///         jac.copy_from_slice(&[x[1].exp(), x[0] * x[1].exp()]);
///     }
/// }
/// let x = [3.0, 0.5];
/// let (mut ad, mut exact) = ([0.0; 2], [0.0; 2]);
/// jacobian(&F, &x, &mut ad).unwrap();
/// F.analytic_jacobian(&x, &mut exact);
/// assert!(ad.iter().zip(&exact).all(|(a, e)| (a - e).abs() <= 1e-14 * e.abs()));
/// ```
pub trait Analytic: VectorFn {
    /// Writes the Jacobian at `x` (length m) into `jac` (n x m, row-major).
    ///
    /// ```
    /// use batchjac::suite::{Analytic, ExtRosenbrock};
    /// let mut jac = [0.0; 256];
    /// ExtRosenbrock.analytic_jacobian(&[2.0; 16], &mut jac);
    /// // Rows 0 and 1: 10 (x1 - x0^2) and 1 - x0.
    /// assert_eq!((jac[0], jac[1]), (-40.0, 10.0));
    /// assert_eq!((jac[16], jac[17]), (-1.0, 0.0));
    /// ```
    fn analytic_jacobian(&self, x: &[f64], jac: &mut [f64]);
}

/// Point k of docs/SUITE.md: `x[j] = base[j] + 0.5 sin(12.9898 (k + 1) + 78.233 (j + 1))`.
fn suite_point(k: usize, base: impl Fn(usize) -> f64, x: &mut [f64]) {
    for (j, xj) in x.iter_mut().enumerate() {
        *xj = base(j) + 0.5 * (12.9898 * (k + 1) as f64 + 78.233 * (j + 1) as f64).sin();
    }
}

/// Extended Rosenbrock residuals (More, Garbow, Hillstrom 1981, problem 21); m = n = 16.
///
/// ```
/// use batchjac::suite::{Analytic, ExtRosenbrock};
/// use batchjac::jacobian;
/// let x = [0.5; 16];
/// let (mut ad, mut exact) = ([0.0; 256], [0.0; 256]);
/// jacobian(&ExtRosenbrock, &x, &mut ad).unwrap();
/// ExtRosenbrock.analytic_jacobian(&x, &mut exact);
/// assert_eq!(ad, exact);
/// assert_eq!(exact.iter().filter(|v| **v != 0.0).count(), 24); // 3 per pair of rows
/// ```
#[derive(Clone, Copy, Debug, Default)]
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
            let (a, b) = (x[2 * i], x[2 * i + 1]);
            y[2 * i] = (b - a * a) * 10.0;
            y[2 * i + 1] = R::from_f64(1.0) - a;
        }
    }
}

impl Analytic for ExtRosenbrock {
    fn analytic_jacobian(&self, x: &[f64], jac: &mut [f64]) {
        jac.fill(0.0);
        for i in 0..8 {
            let row = 2 * i * 16;
            jac[row + 2 * i] = -20.0 * x[2 * i];
            jac[row + 2 * i + 1] = 10.0;
            jac[row + 16 + 2 * i] = -1.0;
        }
    }
}

/// The trigonometric function (More, Garbow, Hillstrom problem 26); m = n = 16.
///
/// ```
/// use batchjac::suite::{Analytic, Trigonometric};
/// use batchjac::jacobian;
/// let x: Vec<f64> = (0..16).map(|j| 0.1 * j as f64).collect();
/// let (mut ad, mut exact) = ([0.0; 256], [0.0; 256]);
/// jacobian(&Trigonometric, &x, &mut ad).unwrap();
/// Trigonometric.analytic_jacobian(&x, &mut exact);
/// assert!(ad.iter().zip(&exact).all(|(a, e)| (a - e).abs() < 1e-13));
/// ```
#[derive(Clone, Copy, Debug, Default)]
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
        for &xj in x {
            s += xj.cos();
        }
        for (i, (yi, &xi)) in y.iter_mut().zip(x).enumerate() {
            let (sin, cos) = xi.sin_cos();
            *yi = -s + 16.0 + (R::from_f64(1.0) - cos) * (i + 1) as f64 - sin;
        }
    }
}

impl Analytic for Trigonometric {
    fn analytic_jacobian(&self, x: &[f64], jac: &mut [f64]) {
        for i in 0..16 {
            for j in 0..16 {
                jac[i * 16 + j] = x[j].sin();
            }
            let (s, c) = x[i].sin_cos();
            jac[i * 16 + i] += (i + 1) as f64 * s - c;
        }
    }
}

/// Link lengths of [`Arm7`]: l[j] = 1 / (1 + 0.25 j).
fn arm_length(j: usize) -> f64 {
    1.0 / (1.0 + 0.25 * j as f64)
}

/// Planar 7-link arm forward kinematics; m = 7, n = 2.
///
/// ```
/// use batchjac::suite::{Analytic, Arm7};
/// use batchjac::{jacobian, VectorFn};
/// // Straight out along the x axis: the tip is at the sum of the link lengths.
/// let mut tip = [0.0; 2];
/// Arm7.eval(&[0.0; 7], &mut tip);
/// let reach: f64 = (0..7).map(|j| 1.0 / (1.0 + 0.25 * j as f64)).sum();
/// assert!((tip[0] - reach).abs() < 1e-15 && tip[1] == 0.0);
/// let x = [0.3; 7];
/// let (mut ad, mut exact) = ([0.0; 14], [0.0; 14]);
/// jacobian(&Arm7, &x, &mut ad).unwrap();
/// Arm7.analytic_jacobian(&x, &mut exact);
/// assert!(ad.iter().zip(&exact).all(|(a, e)| (a - e).abs() < 1e-14));
/// ```
#[derive(Clone, Copy, Debug, Default)]
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
        for (j, &xj) in x.iter().enumerate() {
            theta += xj;
            let (s, c) = theta.sin_cos();
            px += c * arm_length(j);
            py += s * arm_length(j);
        }
        y[0] = px;
        y[1] = py;
    }
}

impl Analytic for Arm7 {
    fn analytic_jacobian(&self, x: &[f64], jac: &mut [f64]) {
        let mut theta = 0.0;
        let mut terms = [(0.0, 0.0); 7];
        for j in 0..7 {
            theta += x[j];
            let (s, c) = theta.sin_cos();
            terms[j] = (arm_length(j) * s, arm_length(j) * c);
        }
        // d theta_j / d x_k = 1 for j >= k: suffix sums.
        let (mut sum_s, mut sum_c) = (0.0, 0.0);
        for k in (0..7).rev() {
            sum_s += terms[k].0;
            sum_c += terms[k].1;
            jac[k] = -sum_s;
            jac[7 + k] = sum_c;
        }
    }
}

/// A one-hidden-layer tanh network with softmax output; m = 32, hidden 32, n = 4.
///
/// ```
/// use batchjac::suite::{Analytic, Mlp};
/// use batchjac::jacobian;
/// let f = Mlp::new();
/// let x: Vec<f64> = (0..32).map(|j| (j as f64 * 0.7).sin()).collect();
/// let (mut ad, mut exact) = (vec![0.0; 4 * 32], vec![0.0; 4 * 32]);
/// jacobian(&f, &x, &mut ad).unwrap();
/// f.analytic_jacobian(&x, &mut exact);
/// assert!(ad.iter().zip(&exact).all(|(a, e)| (a - e).abs() < 1e-13));
/// ```
#[derive(Clone, Debug)]
pub struct Mlp {
    w1: Vec<f64>,
    b1: Vec<f64>,
    w2: Vec<f64>,
    b2: Vec<f64>,
}

const MLP_IN: usize = 32;
const MLP_HIDDEN: usize = 32;
const MLP_OUT: usize = 4;

impl Default for Mlp {
    fn default() -> Self {
        Self::new()
    }
}

impl Mlp {
    /// The network with the weights of docs/SUITE.md.
    ///
    /// ```
    /// use batchjac::suite::Mlp;
    /// use batchjac::{jacobian, VectorFn};
    /// let f = Mlp::new();
    /// assert_eq!((f.inputs(), f.outputs()), (32, 4));
    /// // The outputs are probabilities: they sum to 1, so every column of J sums to 0.
    /// let x = [0.1; 32];
    /// let mut y = [0.0; 4];
    /// f.eval(&x, &mut y);
    /// assert!((y.iter().sum::<f64>() - 1.0).abs() < 1e-14);
    /// let mut jac = vec![0.0; 4 * 32];
    /// jacobian(&f, &x, &mut jac).unwrap();
    /// assert!((0..32).all(|j| (0..4).map(|i| jac[i * 32 + j]).sum::<f64>().abs() < 1e-14));
    /// ```
    pub fn new() -> Self {
        let mut w1 = vec![0.0; MLP_HIDDEN * MLP_IN];
        for i in 0..MLP_HIDDEN {
            for j in 0..MLP_IN {
                w1[i * MLP_IN + j] = 0.25 * (1.0 + 0.7 * i as f64 + 1.3 * j as f64).sin();
            }
        }
        let b1 = (0..MLP_HIDDEN).map(|i| 0.1 * (i as f64).cos()).collect();
        let mut w2 = vec![0.0; MLP_OUT * MLP_HIDDEN];
        for k in 0..MLP_OUT {
            for i in 0..MLP_HIDDEN {
                w2[k * MLP_HIDDEN + i] = 0.3 * (0.5 + 1.1 * k as f64 + 0.9 * i as f64).cos();
            }
        }
        let b2 = (0..MLP_OUT).map(|k| 0.05 * k as f64).collect();
        Mlp { w1, b1, w2, b2 }
    }

    /// Hidden activations h and logits z at x (plain f64).
    fn forward(&self, x: &[f64]) -> ([f64; MLP_HIDDEN], [f64; MLP_OUT]) {
        let mut h = [0.0; MLP_HIDDEN];
        for (i, hi) in h.iter_mut().enumerate() {
            let row = &self.w1[i * MLP_IN..(i + 1) * MLP_IN];
            let a: f64 = row.iter().zip(x).map(|(w, xj)| w * xj).sum::<f64>() + self.b1[i];
            *hi = a.tanh();
        }
        let mut z = [0.0; MLP_OUT];
        for (k, zk) in z.iter_mut().enumerate() {
            let row = &self.w2[k * MLP_HIDDEN..(k + 1) * MLP_HIDDEN];
            *zk = row.iter().zip(&h).map(|(w, hi)| w * hi).sum::<f64>() + self.b2[k];
        }
        (h, z)
    }
}

impl VectorFn for Mlp {
    fn inputs(&self) -> usize {
        MLP_IN
    }
    fn outputs(&self) -> usize {
        MLP_OUT
    }
    #[inline]
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        let mut h = [R::from_f64(0.0); MLP_HIDDEN];
        for (i, hi) in h.iter_mut().enumerate() {
            let row = &self.w1[i * MLP_IN..(i + 1) * MLP_IN];
            let mut a = R::from_f64(self.b1[i]);
            for (&w, &xj) in row.iter().zip(x) {
                a += xj * w;
            }
            *hi = a.tanh();
        }
        let mut z = [R::from_f64(0.0); MLP_OUT];
        for (k, zk) in z.iter_mut().enumerate() {
            let row = &self.w2[k * MLP_HIDDEN..(k + 1) * MLP_HIDDEN];
            let mut a = R::from_f64(self.b2[k]);
            for (&w, &hi) in row.iter().zip(&h) {
                a += hi * w;
            }
            *zk = a;
        }
        let zmax = z.iter().skip(1).fold(z[0], |m, &zk| m.max(zk));
        let mut total = R::from_f64(0.0);
        for zk in z.iter_mut() {
            *zk = (*zk - zmax).exp();
            total += *zk;
        }
        let inv = total.recip();
        for (yk, &ek) in y.iter_mut().zip(&z) {
            *yk = ek * inv;
        }
    }
}

impl Analytic for Mlp {
    // Matrix products written with explicit indices, as in the formula.
    #[allow(clippy::needless_range_loop)]
    fn analytic_jacobian(&self, x: &[f64], jac: &mut [f64]) {
        let (h, z) = self.forward(x);
        let zmax = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = z.iter().map(|zk| (zk - zmax).exp()).collect();
        let total: f64 = e.iter().sum();
        let p: Vec<f64> = e.iter().map(|ek| ek / total).collect();
        // dy/dx = (diag(p) - p p^T) W2 diag(1 - h^2) W1.
        let mut a = [[0.0; MLP_HIDDEN]; MLP_OUT]; // W2 diag(1 - h^2)
        for k in 0..MLP_OUT {
            for i in 0..MLP_HIDDEN {
                a[k][i] = self.w2[k * MLP_HIDDEN + i] * (1.0 - h[i] * h[i]);
            }
        }
        let mut dz = [[0.0; MLP_IN]; MLP_OUT]; // dz/dx = a W1
        for k in 0..MLP_OUT {
            for i in 0..MLP_HIDDEN {
                let aki = a[k][i];
                let row = &self.w1[i * MLP_IN..(i + 1) * MLP_IN];
                for j in 0..MLP_IN {
                    dz[k][j] += aki * row[j];
                }
            }
        }
        for k in 0..MLP_OUT {
            for j in 0..MLP_IN {
                let mean: f64 = (0..MLP_OUT).map(|l| p[l] * dz[l][j]).sum();
                jac[k * MLP_IN + j] = p[k] * (dz[k][j] - mean);
            }
        }
    }
}

/// Grid size of [`Brusselator`].
const GRID: usize = 8;

/// 2-D Brusselator reaction-diffusion right-hand side on a periodic 8 x 8 grid;
/// m = n = 128.
///
/// ```
/// use batchjac::suite::{Analytic, Brusselator};
/// use batchjac::jacobian;
/// // u = 1 and v = 3 in every cell.
/// let x: Vec<f64> = (0..128).map(|j| if j < 64 { 1.0 } else { 3.0 }).collect();
/// let (mut ad, mut exact) = (vec![0.0; 128 * 128], vec![0.0; 128 * 128]);
/// jacobian(&Brusselator, &x, &mut ad).unwrap();
/// Brusselator.analytic_jacobian(&x, &mut exact);
/// assert!(ad.iter().zip(&exact).all(|(a, e)| (a - e).abs() < 1e-12));
/// // Each row: the cell's u and v and its four neighbours.
/// assert_eq!(exact.iter().filter(|v| **v != 0.0).count(), 128 * 6);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Brusselator;

impl Brusselator {
    const A: f64 = 3.4;
    const B: f64 = 1.0;
    const ALPHA: f64 = 10.0;

    /// The four periodic neighbours of grid cell (i, j), as flat indices.
    fn neighbours(i: usize, j: usize) -> [usize; 4] {
        let up = (i + GRID - 1) % GRID;
        let down = (i + 1) % GRID;
        let left = (j + GRID - 1) % GRID;
        let right = (j + 1) % GRID;
        [
            up * GRID + j,
            down * GRID + j,
            i * GRID + left,
            i * GRID + right,
        ]
    }
}

impl VectorFn for Brusselator {
    fn inputs(&self) -> usize {
        2 * GRID * GRID
    }
    fn outputs(&self) -> usize {
        2 * GRID * GRID
    }
    #[inline]
    fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
        let cells = GRID * GRID;
        let (u, v) = x.split_at(cells);
        for i in 0..GRID {
            for j in 0..GRID {
                let idx = i * GRID + j;
                let nb = Self::neighbours(i, j);
                let lap_u = u[nb[0]] + u[nb[1]] + u[nb[2]] + u[nb[3]] - u[idx] * 4.0;
                let lap_v = v[nb[0]] + v[nb[1]] + v[nb[2]] + v[nb[3]] - v[idx] * 4.0;
                let uuv = u[idx] * u[idx] * v[idx];
                y[idx] = lap_u * Self::ALPHA + Self::B + uuv - u[idx] * (Self::A + 1.0);
                y[cells + idx] = lap_v * Self::ALPHA + u[idx] * Self::A - uuv;
            }
        }
    }
}

impl Analytic for Brusselator {
    fn analytic_jacobian(&self, x: &[f64], jac: &mut [f64]) {
        let cells = GRID * GRID;
        let m = 2 * cells;
        jac.fill(0.0);
        for i in 0..GRID {
            for j in 0..GRID {
                let idx = i * GRID + j;
                let (u, v) = (x[idx], x[cells + idx]);
                let (ru, rv) = (idx * m, (cells + idx) * m);
                for nb in Self::neighbours(i, j) {
                    jac[ru + nb] += Self::ALPHA;
                    jac[rv + cells + nb] += Self::ALPHA;
                }
                jac[ru + idx] += -4.0 * Self::ALPHA + 2.0 * u * v - (Self::A + 1.0);
                jac[ru + cells + idx] += u * u;
                jac[rv + idx] += Self::A - 2.0 * u * v;
                jac[rv + cells + idx] += -4.0 * Self::ALPHA - u * u;
            }
        }
    }
}

/// Robertson's stiff chemical kinetics right-hand side; m = n = 3.
///
/// ```
/// use batchjac::suite::{Analytic, Robertson};
/// use batchjac::jacobian;
/// let x = [1.0, 1.0, 1.0];
/// let (mut ad, mut exact) = ([0.0; 9], [0.0; 9]);
/// jacobian(&Robertson, &x, &mut ad).unwrap();
/// Robertson.analytic_jacobian(&x, &mut exact);
/// assert_eq!(ad, exact);
/// assert_eq!(exact[4], -1e4 - 6e7); // entries from 0.04 to 6e7
/// ```
#[derive(Clone, Copy, Debug, Default)]
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
        let slow = x[0] * 0.04;
        let mid = x[1] * x[2] * 1e4;
        let fast = x[1] * x[1] * 3e7;
        y[0] = mid - slow;
        y[1] = slow - mid - fast;
        y[2] = fast;
    }
}

impl Analytic for Robertson {
    fn analytic_jacobian(&self, x: &[f64], jac: &mut [f64]) {
        jac.copy_from_slice(&[
            -0.04,
            1e4 * x[2],
            1e4 * x[1],
            0.04,
            -1e4 * x[2] - 6e7 * x[1],
            -1e4 * x[1],
            0.0,
            6e7 * x[1],
            0.0,
        ]);
    }
}

/// A mix of elementary functions, every one smooth on the domain; m = 4, n = 6.
///
/// ```
/// use batchjac::suite::{Analytic, ElementaryMix};
/// use batchjac::jacobian;
/// let x = [0.2, -0.4, 0.6, 0.8];
/// let (mut ad, mut exact) = ([0.0; 24], [0.0; 24]);
/// jacobian(&ElementaryMix, &x, &mut ad).unwrap();
/// ElementaryMix.analytic_jacobian(&x, &mut exact);
/// assert!(ad.iter().zip(&exact).all(|(a, e)| (a - e).abs() < 1e-13));
/// ```
#[derive(Clone, Copy, Debug, Default)]
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

impl Analytic for ElementaryMix {
    fn analytic_jacobian(&self, x: &[f64], jac: &mut [f64]) {
        let (x0, x1, x2, x3) = (x[0], x[1], x[2], x[3]);
        jac.fill(0.0);
        let e0 = x0.exp();
        let (s1, c1) = x1.sin_cos();
        jac[0] = e0 * s1;
        jac[1] = e0 * c1;

        let p = 1.0 + x2 * x2;
        let q = 1.0 + x3 * x3;
        jac[4 + 2] = 2.0 * x2 / p / q.sqrt();
        jac[4 + 3] = -p.ln() * x3 / (q * q.sqrt());

        let b = x1 + 2.5;
        let r2 = x0 * x0 + b * b;
        jac[8] = b / r2;
        jac[8 + 1] = -x0 / r2;

        let base = 1.5 + x2 * x2;
        let power = base.powf(x3);
        jac[12 + 2] = x3 * power / base * 2.0 * x2;
        jac[12 + 3] = power * base.ln();

        let t = (x0 * x3).tanh();
        let c = (2.0 + x1 * x1).cbrt();
        jac[16] = (1.0 - t * t) * x3;
        jac[16 + 3] = (1.0 - t * t) * x0;
        jac[16 + 1] = 2.0 * x1 / (3.0 * c * c);

        let h = x0.hypot(x2 + 1.0);
        let sigma = 1.0 / (1.0 + (-x1).exp());
        jac[20] = x0 / h;
        jac[20 + 2] = (x2 + 1.0) / h;
        jac[20 + 3] = 1.0 / q.sqrt();
        jac[20 + 1] = sigma * (1.0 - sigma);
    }
}

/// An operation run with a suite function's own type, by [`SuiteFunction::visit`].
pub trait SuiteVisitor {
    /// What the operation returns.
    type Output;
    /// Runs the operation with `f`, one of the seven suite function types.
    fn visit<F: Analytic + Clone + 'static>(self, f: &F) -> Self::Output;
}

/// Generates [`SuiteFunction`]: one variant per suite function, dispatching by `match`.
macro_rules! suite_functions {
    ($($variant:ident($ty:ty, $make:expr): $name:literal, $batch:literal, $base:expr,
        $description:literal;)*) => {
        /// One of the seven suite functions (docs/SUITE.md order).
        ///
        /// ```
        /// use batchjac::suite::{Analytic, SuiteFunction};
        /// use batchjac::{jacobian, VectorFn};
        /// // AD agrees with every hand-written Jacobian at the suite's first point.
        /// for f in SuiteFunction::all() {
        ///     let (m, n) = (f.inputs(), f.outputs());
        ///     let mut x = vec![0.0; m];
        ///     f.point(0, &mut x);
        ///     let (mut ad, mut exact) = (vec![0.0; n * m], vec![0.0; n * m]);
        ///     jacobian(&f, &x, &mut ad).unwrap();
        ///     f.analytic_jacobian(&x, &mut exact);
        ///     for (a, e) in ad.iter().zip(&exact) {
        ///         assert!((a - e).abs() <= 1e-12 * e.abs().max(1.0), "{}", f.name());
        ///     }
        /// }
        /// ```
        #[derive(Clone, Debug)]
        pub enum SuiteFunction {
            $(
                #[doc = $description]
                $variant($ty),
            )*
        }

        impl SuiteFunction {
            /// All seven, in docs/SUITE.md order.
            ///
            /// ```
            /// use batchjac::suite::SuiteFunction;
            /// let names: Vec<&str> = SuiteFunction::all().iter().map(|f| f.name()).collect();
            /// assert_eq!(names.len(), 7);
            /// assert_eq!((names[0], names[6]), ("ext_rosenbrock", "elementary_mix"));
            /// ```
            pub fn all() -> Vec<SuiteFunction> {
                vec![$(SuiteFunction::$variant($make)),*]
            }
            /// Runs `visitor` with this function's own type (`ExtRosenbrock`, ...,
            /// `ElementaryMix`) instead of the enum. Generic code called through it (a
            /// batch of Jacobians, say) is compiled for that type, whose `eval` the
            /// batch loops can inline; the enum's `eval`, a match over seven functions,
            /// is too large for that, and small functions such as robertson run several
            /// times slower through it.
            ///
            /// ```
            /// use batchjac::batch::jacobian_batch;
            /// use batchjac::suite::{Analytic, SuiteFunction, SuiteVisitor};
            /// /// The Jacobians of a batch of points, through the function's own type.
            /// struct Batch<'a>(&'a [f64]);
            /// impl SuiteVisitor for Batch<'_> {
            ///     type Output = Vec<f64>;
            ///     fn visit<F: Analytic + Clone + 'static>(self, f: &F) -> Vec<f64> {
            ///         let mut jacs = vec![0.0; self.0.len() / f.inputs() * f.outputs() * f.inputs()];
            ///         jacobian_batch(f, self.0, &mut jacs).unwrap();
            ///         jacs
            ///     }
            /// }
            /// let f = SuiteFunction::by_name("robertson").unwrap();
            /// let xs = f.points(20);
            /// let mut through_enum = vec![0.0; 20 * 9];
            /// jacobian_batch(&f, &xs, &mut through_enum).unwrap();
            /// assert_eq!(f.visit(Batch(&xs)), through_enum); // the same bits
            /// ```
            pub fn visit<V: SuiteVisitor>(&self, visitor: V) -> V::Output {
                match self { $(SuiteFunction::$variant(f) => visitor.visit(f)),* }
            }
            /// The suite name, e.g. `"ext_rosenbrock"`.
            ///
            /// ```
            /// use batchjac::suite::{Arm7, SuiteFunction};
            /// assert_eq!(SuiteFunction::Arm7(Arm7).name(), "arm7");
            /// ```
            pub fn name(&self) -> &'static str {
                match self { $(SuiteFunction::$variant(_) => $name),* }
            }
            /// A one-line description.
            ///
            /// ```
            /// use batchjac::suite::SuiteFunction;
            /// let f = SuiteFunction::by_name("robertson").unwrap();
            /// assert!(f.description().contains("m = n = 3"));
            /// ```
            pub fn description(&self) -> &'static str {
                match self { $(SuiteFunction::$variant(_) => $description),* }
            }
            /// The batch size B of docs/SUITE.md's throughput table.
            ///
            /// ```
            /// use batchjac::suite::SuiteFunction;
            /// assert_eq!(SuiteFunction::by_name("mlp").unwrap().batch_size(), 8192);
            /// ```
            pub fn batch_size(&self) -> usize {
                match self { $(SuiteFunction::$variant(_) => $batch),* }
            }
            /// The base point's coordinate j.
            ///
            /// ```
            /// use batchjac::suite::SuiteFunction;
            /// let f = SuiteFunction::by_name("ext_rosenbrock").unwrap();
            /// assert_eq!((f.base(0), f.base(1)), (-1.2, 1.0)); // the classic start (-1.2, 1)
            /// ```
            pub fn base(&self, j: usize) -> f64 {
                match self { $(SuiteFunction::$variant(_) => ($base)(j)),* }
            }
        }

        impl VectorFn for SuiteFunction {
            fn inputs(&self) -> usize {
                match self { $(SuiteFunction::$variant(f) => f.inputs()),* }
            }
            fn outputs(&self) -> usize {
                match self { $(SuiteFunction::$variant(f) => f.outputs()),* }
            }
            #[inline]
            fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
                match self { $(SuiteFunction::$variant(f) => f.eval(x, y)),* }
            }
        }

        impl Analytic for SuiteFunction {
            fn analytic_jacobian(&self, x: &[f64], jac: &mut [f64]) {
                match self { $(SuiteFunction::$variant(f) => f.analytic_jacobian(x, jac)),* }
            }
        }
    };
}

suite_functions! {
    ExtRosenbrock(ExtRosenbrock, ExtRosenbrock): "ext_rosenbrock", 65536,
        |j: usize| if j.is_multiple_of(2) { -1.2 } else { 1.0 },
        "Extended Rosenbrock residuals, m = n = 16 (sparse, store-bound)";
    Trigonometric(Trigonometric, Trigonometric): "trigonometric", 16384,
        |_j: usize| 1.0 / 16.0,
        "More-Garbow-Hillstrom trigonometric function, m = n = 16 (dense)";
    Arm7(Arm7, Arm7): "arm7", 65536,
        |_j: usize| 0.3,
        "Planar 7-link arm forward kinematics, m = 7, n = 2";
    Mlp(Mlp, Mlp::new()): "mlp", 8192,
        |_j: usize| 0.0,
        "tanh hidden layer + softmax, m = 32, hidden 32, n = 4";
    Brusselator(Brusselator, Brusselator): "brusselator", 512,
        |j: usize| if j < GRID * GRID { 1.0 } else { 3.0 },
        "2-D Brusselator on an 8 x 8 periodic grid, m = n = 128 (sparse)";
    Robertson(Robertson, Robertson): "robertson", 262144,
        |_j: usize| 1.0,
        "Robertson stiff chemical kinetics, m = n = 3 (entries 0.04 to 6e7)";
    ElementaryMix(ElementaryMix, ElementaryMix): "elementary_mix", 262144,
        |_j: usize| 0.2,
        "exp, sin, ln, sqrt, atan2, pow, tanh, cbrt, hypot, asinh: m = 4, n = 6";
}

impl SuiteFunction {
    /// The suite function called `name`, if any.
    ///
    /// ```
    /// use batchjac::suite::SuiteFunction;
    /// use batchjac::VectorFn;
    /// assert_eq!(SuiteFunction::by_name("brusselator").unwrap().inputs(), 128);
    /// assert!(SuiteFunction::by_name("rosenbrock").is_none());
    /// ```
    pub fn by_name(name: &str) -> Option<SuiteFunction> {
        SuiteFunction::all().into_iter().find(|f| f.name() == name)
    }

    /// Writes point `k` of docs/SUITE.md into `x` (length m).
    ///
    /// ```
    /// use batchjac::suite::SuiteFunction;
    /// let f = SuiteFunction::by_name("arm7").unwrap();
    /// let mut x = [0.0; 7];
    /// f.point(5, &mut x);
    /// // Within 0.5 of the base point, coordinate by coordinate.
    /// assert!(x.iter().enumerate().all(|(j, xj)| (xj - f.base(j)).abs() <= 0.5));
    /// ```
    pub fn point(&self, k: usize, x: &mut [f64]) {
        suite_point(k, |j| self.base(j), x);
    }

    /// Points `0..count`, row-major (count x m).
    ///
    /// ```
    /// use batchjac::suite::SuiteFunction;
    /// let f = SuiteFunction::by_name("robertson").unwrap();
    /// let xs = f.points(4); // 4 x 3, row-major
    /// let mut x = [0.0; 3];
    /// f.point(2, &mut x);
    /// assert_eq!(xs[6..9], x);
    /// ```
    pub fn points(&self, count: usize) -> Vec<f64> {
        let m = self.inputs();
        let mut xs = vec![0.0; count * m];
        for (k, x) in xs.chunks_mut(m).enumerate() {
            self.point(k, x);
        }
        xs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Central differences of the plain f64 evaluation: an independent check that each
    /// hand-written Jacobian matches its function (AD is checked in tests/).
    #[test]
    fn analytic_jacobians_match_central_differences() {
        for f in SuiteFunction::all() {
            let (m, n) = (f.inputs(), f.outputs());
            let mut x = vec![0.0; m];
            f.point(3, &mut x);
            let mut jac = vec![0.0; n * m];
            f.analytic_jacobian(&x, &mut jac);
            let (mut yp, mut ym) = (vec![0.0; n], vec![0.0; n]);
            for j in 0..m {
                let h = 1e-6 * x[j].abs().max(1.0);
                let mut xp = x.clone();
                xp[j] += h;
                let mut xm = x.clone();
                xm[j] -= h;
                f.eval(&xp, &mut yp);
                f.eval(&xm, &mut ym);
                for i in 0..n {
                    let fd = (yp[i] - ym[i]) / (xp[j] - xm[j]);
                    let scale = jac[i * m..(i + 1) * m]
                        .iter()
                        .fold(1.0f64, |a, v| a.max(v.abs()));
                    assert!(
                        (fd - jac[i * m + j]).abs() <= 1e-6 * scale,
                        "{} J[{i}][{j}]: analytic {} vs central difference {fd}",
                        f.name(),
                        jac[i * m + j]
                    );
                }
            }
        }
    }

    #[test]
    fn points_follow_the_suite_formula() {
        let f = SuiteFunction::by_name("ext_rosenbrock").unwrap();
        let xs = f.points(2);
        let expected = -1.2 + 0.5 * (12.9898 * 2.0 + 78.233 * 1.0f64).sin();
        assert_eq!(xs[16], expected);
        assert_eq!(SuiteFunction::all().len(), 7);
        assert!(SuiteFunction::by_name("nope").is_none());
    }
}
