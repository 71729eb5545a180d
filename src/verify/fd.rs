//! Finite-difference Jacobians with a step rule and an error estimate per entry.
//!
//! The details (step rule, error estimate) are in the docs of [`super`].

use crate::dual::{Scalar, Tangent};
use crate::error::{Error, check_len};
use crate::function::{VectorFn, check_dimensions, eval_checked};
use crate::lanes::Float;
use crate::real::Value;
use core::fmt;
use core::str::FromStr;

/// A finite-difference scheme.
///
/// ```
/// use batchjac::verify::Scheme;
/// assert_eq!(Scheme::Central.order(), 2);
/// // (3 eps)^(1/3) max(1, |x_j|) ~ 8.7e-6 max(1, |x_j|):
/// assert!((Scheme::Central.step(1.0f64) - (3.0 * f64::EPSILON).cbrt()).abs() < 1e-20);
/// assert_eq!(Scheme::Central.step(-3.0f64), 3.0 * Scheme::Central.step(0.5f64));
/// assert_eq!("fourth".parse::<Scheme>().unwrap(), Scheme::FourthOrder);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// One-sided, (f(x+h) - f(x)) / h: first order.
    Forward,
    /// (f(x+h) - f(x-h)) / 2h: second order.
    Central,
    /// Fourth-order central difference (Richardson extrapolation of two central
    /// differences): the default of the checks.
    #[default]
    FourthOrder,
}

impl Scheme {
    /// Every scheme, lowest order first.
    ///
    /// ```
    /// use batchjac::verify::Scheme;
    /// assert_eq!(Scheme::ALL.map(Scheme::order), [1, 2, 4]);
    /// ```
    pub const ALL: [Scheme; 3] = [Scheme::Forward, Scheme::Central, Scheme::FourthOrder];

    /// The order p of the truncation error, O(h^p).
    ///
    /// ```
    /// use batchjac::verify::Scheme;
    /// assert_eq!(Scheme::FourthOrder.order(), 4);
    /// ```
    pub fn order(self) -> u32 {
        match self {
            Scheme::Forward => 1,
            Scheme::Central => 2,
            Scheme::FourthOrder => 4,
        }
    }

    /// The scheme's name: `"forward"`, `"central"` or `"fourth"`.
    ///
    /// ```
    /// use batchjac::verify::Scheme;
    /// assert_eq!(Scheme::FourthOrder.name(), "fourth");
    /// assert_eq!(Scheme::Forward.to_string(), "forward");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Forward => "forward",
            Scheme::Central => "central",
            Scheme::FourthOrder => "fourth",
        }
    }

    /// The step for coordinate value `x_j`: `(c eps)^(1/(p+1)) max(1, |x_j|)` with the
    /// scheme's constant c (4, 3, 11.25; see the module docs for why).
    ///
    /// ```
    /// use batchjac::verify::Scheme;
    /// // (4 eps)^(1/2) = 2^-25 in f64; the step grows with |x_j| past 1.
    /// let h = Scheme::Forward.step(0.0f64);
    /// assert!((h - 2f64.powi(-25)).abs() < 1e-22);
    /// assert_eq!(Scheme::Forward.step(-8.0f64), 8.0 * h);
    /// // f32's larger epsilon calls for a larger step.
    /// assert!(f64::from(Scheme::Central.step(1.0f32)) > 100.0 * Scheme::Central.step(1.0f64));
    /// ```
    pub fn step<E: Float>(self, x_j: E) -> E {
        E::from_f64(self.step_for(x_j.to_f64(), E::EPSILON.to_f64()))
    }

    fn step_for(self, x_j: f64, eps: f64) -> f64 {
        // Minimises truncation + rounding, C h^p |f^(p+1)| + G eps |f| / h, with the
        // scheme's own C and G (forward 1/2 and 2, central 1/6 and 1, fourth order 1/30
        // and 3/2) and |f^(p+1)| ~ |f|: h^(p+1) = (G / (p C)) eps.
        let (p, c) = match self {
            Scheme::Forward => (2.0, 4.0),
            Scheme::Central => (3.0, 3.0),
            Scheme::FourthOrder => (5.0, 11.25),
        };
        (c * eps).powf(1.0 / p) * x_j.abs().max(1.0)
    }

    /// The stencil's node multiples k (nodes `x + k h`), the node 0 (x itself) first:
    /// the prefix of length [`Scheme::value_nodes`] is what the derivative alone
    /// needs, the rest serves the error estimate.
    fn nodes(self) -> &'static [i32] {
        match self {
            Scheme::Forward => &[0, 1, 2],
            Scheme::Central => &[0, -1, 1, -2, 2],
            Scheme::FourthOrder => &[0, -2, -1, 1, 2, -4, 4],
        }
    }

    fn value_nodes(self) -> usize {
        match self {
            Scheme::Forward => 2,
            Scheme::Central => 3,
            Scheme::FourthOrder => 5,
        }
    }

    /// Indices into [`Scheme::nodes`] of the formula at step h and of the same formula
    /// at step 2h (the error estimate's second step).
    fn formulas(self) -> (&'static [usize], &'static [usize]) {
        match self {
            Scheme::Forward => (&[0, 1], &[0, 2]),
            Scheme::Central => (&[1, 0, 2], &[3, 0, 4]),
            Scheme::FourthOrder => (&[1, 2, 0, 3, 4], &[5, 1, 0, 4, 6]),
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Scheme {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "forward" => Ok(Scheme::Forward),
            "central" => Ok(Scheme::Central),
            "fourth" | "fourth-order" | "fourth_order" => Ok(Scheme::FourthOrder),
            _ => Err(Error::InvalidArgument {
                message: format!("unknown scheme {s:?}, expected forward, central or fourth"),
            }),
        }
    }
}

/// The raw finite-difference results for one entry (i, j), all in f64.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Entry {
    /// The derivative D(h).
    pub value: f64,
    /// `sum |w_k|` of the formula's weights: how much evaluation noise reaches D.
    pub gain: f64,
    /// The two-step truncation estimate `|D(2h) - D(h)| / (2^p - 1)`.
    pub truncation: f64,
    /// The empirical noise sample of f_i along e_j (normalised divided difference).
    pub noise: f64,
    /// `max |f_i|` over the stencil.
    pub magnitude: f64,
    /// Second differences at h and 2h, `(f(x+kh) - 2 f(x) + f(x-kh)) / kh`.
    pub curvature: [f64; 2],
    /// Every stencil value of f_i and the derivative are finite.
    pub finite: bool,
    /// Truncation plus rounding estimate (after `finish`).
    pub error: f64,
    /// One-sided differences disagree in a way smooth functions cannot (after `finish`).
    pub kink: bool,
}

/// A second difference `|J(h)|` must exceed this many times its own noise level
/// (`4 sigma / h`) before a kink is considered: below it, the ratio test reads noise.
const KINK_SIGNIFICANCE: f64 = 1e3;

/// Reusable buffers for finite-difference Jacobians of one function: made once,
/// then [`FdWorkspace::jacobian`] allocates nothing.
///
/// ```
/// use batchjac::verify::{FdWorkspace, Scheme};
/// use batchjac::{Real, VectorFn};
/// struct Cube;
/// impl VectorFn for Cube {
///     fn inputs(&self) -> usize { 1 }
///     fn outputs(&self) -> usize { 1 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) { y[0] = x[0] * x[0] * x[0]; }
/// }
/// let mut ws = FdWorkspace::<f64>::new(&Cube, Scheme::Central).unwrap();
/// let (mut jac, mut err) = ([0.0], [0.0]);
/// for x in [0.5, 1.0, 2.0] {
///     ws.jacobian(&Cube, &[x], &mut jac, Some(&mut err)).unwrap();
///     assert!((jac[0] - 3.0 * x * x).abs() <= err[0]);
/// }
/// ```
#[derive(Clone, Debug)]
pub struct FdWorkspace<E> {
    scheme: Scheme,
    m: usize,
    n: usize,
    /// The point being perturbed, as plain values ([`Scalar`]: f32 has no `Real` impl
    /// of its own).
    x: Vec<Scalar<E>>,
    /// One evaluation's output.
    y: Vec<Scalar<E>>,
    /// f at every node of one column, node-major (`nodes x n`); node 0 is x, the
    /// same for every column.
    fk: Vec<f64>,
    /// The actual offsets `(x_j + k h + jitter) - x_j` of one column's nodes.
    offsets: Vec<f64>,
    /// One column's derivative weights at step h and at step 2h (see
    /// [`interpolant_slope_weights`]).
    weights: [[f64; 5]; 2],
    /// The step h_j of every column.
    steps: Vec<f64>,
    /// n x m row-major.
    entries: Vec<Entry>,
    /// One column's divided-difference weights, unit 2-norm, one row per view of the
    /// noise (all nodes, then all nodes but one, where at least four remain).
    noise_weights: Vec<f64>,
}

impl<E: Float + Value + Tangent<E>> FdWorkspace<E> {
    /// Buffers for `f` (m inputs, n outputs) and `scheme`.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::{FdWorkspace, Scheme};
    /// let f = Program::parse("y0 = x0 * x1").unwrap();
    /// let mut ws = FdWorkspace::<f32>::new(&f, Scheme::Central).unwrap();
    /// let mut jac = [0.0f32; 2];
    /// ws.jacobian(&f, &[2.0, 3.0], &mut jac, None).unwrap();
    /// assert!((jac[0] - 3.0).abs() < 1e-3 && (jac[1] - 2.0).abs() < 1e-3);
    /// ```
    pub fn new<F: VectorFn>(f: &F, scheme: Scheme) -> Result<Self, Error> {
        let (m, n) = check_dimensions(f)?;
        let nodes = scheme.nodes();
        Ok(FdWorkspace {
            scheme,
            m,
            n,
            x: vec![Scalar::from(<E as Float>::from_f64(0.0)); m],
            y: vec![Scalar::from(<E as Float>::from_f64(0.0)); n],
            fk: vec![0.0; nodes.len() * n],
            offsets: vec![0.0; nodes.len()],
            weights: [[0.0; 5]; 2],
            steps: vec![0.0; m],
            entries: vec![Entry::default(); n * m],
            noise_weights: vec![0.0; noise_views(scheme) * nodes.len()],
        })
    }

    /// The scheme these buffers serve.
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::{FdWorkspace, Scheme};
    /// let f = Program::parse("y0 = x0").unwrap();
    /// let ws = FdWorkspace::<f64>::new(&f, Scheme::Forward).unwrap();
    /// assert_eq!(ws.scheme(), Scheme::Forward);
    /// ```
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The finite-difference Jacobian of `f` at `x` into `jac` (n x m row-major) and,
    /// when `error` is given, the estimated absolute error of each entry into it
    /// (infinite where a stencil value was not finite).
    ///
    /// ```
    /// use batchjac::expr::Program;
    /// use batchjac::verify::{FdWorkspace, Scheme};
    /// let f = Program::parse("y0 = sin(x0)").unwrap();
    /// let mut ws = FdWorkspace::<f64>::new(&f, Scheme::FourthOrder).unwrap();
    /// let (mut jac, mut err) = ([0.0], [0.0]);
    /// ws.jacobian(&f, &[1.0], &mut jac, Some(&mut err)).unwrap();
    /// assert!((jac[0] - 1f64.cos()).abs() < 1e-11 && err[0] < 1e-10);
    /// // The buffers fit one shape: a function with two inputs is refused.
    /// let g = Program::parse("y0 = x0 * x1").unwrap();
    /// assert!(ws.jacobian(&g, &[1.0, 2.0], &mut [0.0; 2], None).is_err());
    /// ```
    pub fn jacobian<F: VectorFn>(
        &mut self,
        f: &F,
        x: &[E],
        jac: &mut [E],
        error: Option<&mut [E]>,
    ) -> Result<(), Error> {
        self.check_lengths(f, x)?;
        check_len("jac", jac.len(), self.n * self.m)?;
        if let Some(error) = error {
            check_len("error", error.len(), self.n * self.m)?;
            self.estimate_unchecked(f, x)?;
            for ((entry, d), e) in self.entries.iter().zip(jac.iter_mut()).zip(error) {
                *d = <E as Float>::from_f64(entry.value);
                *e = <E as Float>::from_f64(entry.error);
            }
        } else {
            self.evaluate_columns(f, x, self.scheme.value_nodes())?;
            for (entry, d) in self.entries.iter().zip(jac.iter_mut()) {
                *d = <E as Float>::from_f64(entry.value);
            }
        }
        Ok(())
    }

    pub(crate) fn check_lengths<F: VectorFn>(&self, f: &F, x: &[E]) -> Result<(), Error> {
        let (m, n) = check_dimensions(f)?;
        if (m, n) != (self.m, self.n) {
            return Err(Error::InvalidArgument {
                message: format!(
                    "the workspace was made for m = {}, n = {}, the function has m = {m}, n = {n}",
                    self.m, self.n
                ),
            });
        }
        check_len("x", x.len(), m)
    }

    /// Every entry with its error estimate and kink test, for the full stencil.
    /// Lengths are the caller's to check.
    pub(crate) fn estimate_unchecked<F: VectorFn>(&mut self, f: &F, x: &[E]) -> Result<(), Error> {
        self.evaluate_columns(f, x, self.scheme.nodes().len())?;
        self.finish();
        Ok(())
    }

    /// n x m entries of the last [`FdWorkspace::estimate_unchecked`].
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Evaluates f at x and at the first `used` nodes of every column, and fills the
    /// per-entry raw results (value and rounding gain; with the full stencil also
    /// truncation, noise, magnitude and curvature).
    fn evaluate_columns<F: VectorFn>(&mut self, f: &F, x: &[E], used: usize) -> Result<(), Error> {
        let (m, n) = (self.m, self.n);
        let scheme = self.scheme;
        let nodes = &scheme.nodes()[..used];
        let full = used == scheme.nodes().len();
        let (at_h, at_2h) = scheme.formulas();
        for (plain, &x_j) in self.x.iter_mut().zip(x) {
            *plain = Scalar::from(x_j);
        }
        eval_checked(f, &self.x, &mut self.y)?;
        for (f0, y) in self.fk[..n].iter_mut().zip(&self.y) {
            *f0 = y.value.to_f64();
        }
        self.offsets[0] = 0.0;
        let eps = E::EPSILON.to_f64();
        for (j, &x_j) in x.iter().enumerate() {
            let h = scheme.step_for(x_j.to_f64(), eps);
            self.steps[j] = h;
            let unit = eps * x_j.to_f64().abs().max(1.0);
            for (node, &k) in nodes.iter().enumerate().skip(1) {
                let offset = f64::from(k) * h + jitter(j, node) * unit;
                let t = x_j + <E as Float>::from_f64(offset);
                self.offsets[node] = t.to_f64() - x_j.to_f64();
                self.x[j] = Scalar::from(t);
                eval_checked(f, &self.x, &mut self.y)?;
                for (fk, y) in self.fk[node * n..(node + 1) * n].iter_mut().zip(&self.y) {
                    *fk = y.value.to_f64();
                }
            }
            self.x[j] = Scalar::from(x_j);
            interpolant_slope_weights(&self.offsets, at_h, &mut self.weights[0]);
            let gain: f64 = self.weights[0][..at_h.len()].iter().map(|w| w.abs()).sum();
            if full {
                interpolant_slope_weights(&self.offsets, at_2h, &mut self.weights[1]);
                // The divided difference over all nodes and, where that leaves at
                // least four nodes, over all nodes but one: several views of the same
                // noise vector, so that one that happens to be nearly orthogonal to
                // it does not hide it.
                let count = self.offsets.len();
                for (c, w) in self.noise_weights.chunks_mut(count).enumerate() {
                    let skip = c.checked_sub(1);
                    divided_difference_weights(&self.offsets, h, skip, w);
                }
            }
            for i in 0..n {
                let mut values = [0.0; 7];
                for (node, v) in values[..used].iter_mut().enumerate() {
                    *v = self.fk[node * n + i];
                }
                // The weights sum to 0, so differences from f(x) give the same
                // result, except that an f_i not depending on x_j gives exactly 0.
                let apply = |weights: &[f64], indices: &[usize]| -> f64 {
                    indices
                        .iter()
                        .zip(weights)
                        .map(|(&k, w)| w * (values[k] - values[0]))
                        .sum()
                };
                let value = apply(&self.weights[0], at_h);
                let entry = &mut self.entries[i * m + j];
                // `finite` and the error terms are set below (full stencil) or unused.
                *entry = Entry {
                    value,
                    gain,
                    ..Entry::default()
                };
                if !full {
                    continue;
                }
                let twice_h = apply(&self.weights[1], at_2h);
                let ratio = f64::from(1u32 << scheme.order()) - 1.0;
                entry.truncation = (twice_h - value).abs() / ratio;
                let sample = self
                    .noise_weights
                    .chunks(values[..used].len())
                    .map(|w| {
                        let dd: f64 = w
                            .iter()
                            .zip(&values)
                            .map(|(w, v)| w * (v - values[0]))
                            .sum();
                        dd.abs()
                    })
                    .fold(0.0, f64::max);
                entry.noise = sample;
                entry.magnitude = values[..used].iter().fold(0.0, |a: f64, v| a.max(v.abs()));
                entry.finite =
                    values[..used].iter().all(|v| v.is_finite()) && entry.truncation.is_finite();
                if scheme != Scheme::Forward {
                    // The right slope minus the left slope over the nodes -+kh, (b - a)/2
                    // times the second divided difference f[a, 0, b]: about k h f'' for
                    // smooth f, the jump of f' at a kink between a and b.
                    let (o, f0) = (&self.offsets, values[0]);
                    let curvature =
                        |a: usize, b: usize| (values[b] - f0) / o[b] - (values[a] - f0) / o[a];
                    // Node indices of -h, +h, -2h, +2h.
                    let [m1, p1, m2, p2] = match scheme {
                        Scheme::Central => [1, 2, 3, 4],
                        _ => [2, 3, 1, 4],
                    };
                    entry.curvature = [curvature(m1, p1), curvature(m2, p2)];
                }
            }
        }
        Ok(())
    }

    /// Row noise levels, rounding terms, error estimates and kink flags.
    fn finish(&mut self) {
        let (m, eps) = (self.m, E::EPSILON.to_f64());
        for row in self.entries.chunks_mut(m) {
            // The noise level of f_i: at least the rounding of f_i itself and of the
            // intermediate terms sum_j |x_j d f_i/d x_j| (x^2 in 10 (y - x^2), say,
            // whose rounding survives when the result is small), and at least what
            // the divided differences saw.
            let (mut sigma_model, mut sigma_seen, mut conditioning) = (0.0f64, 0.0f64, 0.0);
            for (entry, x_j) in row.iter().zip(&self.x) {
                if entry.finite {
                    sigma_model = sigma_model.max(eps * entry.magnitude);
                    sigma_seen = sigma_seen.max(entry.noise);
                    conditioning += (x_j.value.to_f64() * entry.value).abs();
                }
            }
            let sigma_model = sigma_model.max(eps * conditioning);
            let sigma = sigma_model.max(sigma_seen);
            for (entry, &h) in row.iter_mut().zip(&self.steps) {
                if !entry.finite {
                    entry.error = f64::INFINITY;
                    entry.kink = false;
                    continue;
                }
                entry.error = entry.truncation + sigma * entry.gain;
                // Smooth f: J(h) ~ h f'', so J(2h) ~ 2 J(h). A kink at (or within h of)
                // x: J(2h) ~ J(h) (the jump of f'); a jump of f: J(2h) ~ J(h) / 2.
                let [c1, c2] = entry.curvature;
                // Measured against the model noise only: a kink inflates the divided
                // differences that estimate the noise, and would hide itself.
                let significant = c1.abs() > KINK_SIGNIFICANCE * 4.0 * sigma_model / h;
                let ratio = c2 / c1;
                entry.kink =
                    self.scheme != Scheme::Forward && significant && (0.25..=1.5).contains(&ratio);
            }
        }
    }
}

/// The weights `w` with `sum_k w_k f(o[k])` = the slope at 0 of the polynomial that
/// interpolates f at the nodes `o[indices]` (one of them 0): the standard formulas
/// when the nodes are exactly `k h`, and still exact for polynomials of degree
/// `< indices.len()` when rounding or jitter moved them.
fn interpolant_slope_weights(o: &[f64], indices: &[usize], w: &mut [f64]) {
    // The nodes in units of a power of two u near the largest offset: the products
    // below reach u^4, which would overflow (or underflow) in plain units at |x_j|
    // past about 1e77; scaling by a power of two is exact, so the weights are the
    // same bits as in plain units wherever those stay in range.
    let largest = indices.iter().fold(0.0f64, |a, &k| a.max(o[k].abs()));
    let u = f64::from_bits(largest.to_bits() & 0x7FF0_0000_0000_0000);
    let t = |k: usize| o[k] / u;
    // d/dt at 0 of the Lagrange basis polynomial L_a(t) = prod_{b != a} (t - t_b) / (t_a - t_b).
    for (slot, &a) in w.iter_mut().zip(indices) {
        let mut denominator = 1.0;
        let mut derivative = 0.0;
        for &b in indices.iter().filter(|&&b| b != a) {
            denominator *= t(a) - t(b);
            let mut term = 1.0;
            for &c in indices.iter().filter(|&&c| c != a && c != b) {
                term *= -t(c);
            }
            derivative += term;
        }
        *slot = derivative / denominator / u;
    }
}

/// Weights of the divided difference over all nodes but `skip` (`offsets` in units of
/// `h`), scaled to unit 2-norm, into `w` (0 at `skip`): applied to f at the nodes it
/// annihilates every polynomial of degree below the number of nodes used, so for
/// smooth f what remains is mostly the evaluation noise, with unit gain.
fn divided_difference_weights(offsets: &[f64], h: f64, skip: Option<usize>, w: &mut [f64]) {
    let used = |b: usize| Some(b) != skip;
    for (a, wa) in w.iter_mut().enumerate() {
        *wa = 0.0;
        if !used(a) {
            continue;
        }
        let mut product = 1.0;
        for (_, ob) in offsets
            .iter()
            .enumerate()
            .filter(|&(b, _)| b != a && used(b))
        {
            product *= (offsets[a] - ob) / h;
        }
        *wa = 1.0 / product;
    }
    let norm = w.iter().map(|v| v * v).sum::<f64>().sqrt();
    w.iter_mut().for_each(|v| *v /= norm);
}

/// How many divided differences look at the noise of one column: over all nodes, and
/// for stencils of five or more nodes also over each set of all nodes but one.
fn noise_views(scheme: Scheme) -> usize {
    let nodes = scheme.nodes().len();
    if nodes >= 5 { 1 + nodes } else { 1 }
}

/// A deterministic pseudo-random integer in [-4096, 4096] for node `node` of column `j`:
/// the node's offset from `k h`, in units of `eps max(1, |x_j|)`.
///
/// Why: on an exact arithmetic progression of nodes the rounding errors of f fall on
/// a sawtooth that is locally linear in k (the fractional position of f(x + k h)
/// between floats advances by the same amount each step), which every difference
/// formula takes for slope and no difference-based noise estimate can see. A few
/// hundred ulps of jitter scatter those rounding errors, so the noise estimate sees
/// them; the formulas use the actual offsets, so the jitter itself costs nothing.
fn jitter(j: usize, node: usize) -> f64 {
    let mut state = ((j as u64) << 8) ^ node as u64;
    (super::splitmix64(&mut state) % 8193) as f64 - 4096.0
}

/// The finite-difference Jacobian of `f` at `x` into `jac` (n x m row-major), by
/// `scheme` with the step rule of the module docs, in f64 or f32. With `error`, also
/// the estimated absolute error of each entry (truncation from two steps plus
/// rounding; infinite where a stencil value was not finite).
///
/// Evaluates f only through [`VectorFn`] on plain floats; allocates its buffers per
/// call (use [`FdWorkspace`] to reuse them).
///
/// ```
/// use batchjac::verify::{fd_jacobian, Scheme};
/// use batchjac::{Real, VectorFn};
/// struct Polar;
/// impl VectorFn for Polar {
///     fn inputs(&self) -> usize { 2 }
///     fn outputs(&self) -> usize { 2 }
///     fn eval<R: Real>(&self, x: &[R], y: &mut [R]) {
///         y[0] = x[0] * x[1].cos();
///         y[1] = x[0] * x[1].sin();
///     }
/// }
/// let x = [2.0, 0.5f64];
/// let exact = [0.5f64.cos(), -2.0 * 0.5f64.sin(), 0.5f64.sin(), 2.0 * 0.5f64.cos()];
/// let (mut jac, mut err) = ([0.0; 4], [0.0; 4]);
/// fd_jacobian(&Polar, &x, Scheme::FourthOrder, &mut jac, Some(&mut err)).unwrap();
/// for k in 0..4 {
///     assert!((jac[k] - exact[k]).abs() < 1e-11);
///     assert!((jac[k] - exact[k]).abs() <= err[k]);
/// }
/// ```
pub fn fd_jacobian<F: VectorFn, E: Float + Value + Tangent<E>>(
    f: &F,
    x: &[E],
    scheme: Scheme,
    jac: &mut [E],
    error: Option<&mut [E]>,
) -> Result<(), Error> {
    FdWorkspace::new(f, scheme)?.jacobian(f, x, jac, error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_balance_truncation_and_rounding() {
        // f = exp near 0: every derivative is about f, as the rule assumes, so the
        // error at the rule's step is close to the best over a fine scan of steps.
        for scheme in Scheme::ALL {
            let error_at = |h: f64| {
                // The plain formula at step h, averaged over a few points to smooth the
                // rounding noise.
                let mut total = 0.0;
                for k in 0..16 {
                    let x = 0.01 * f64::from(k);
                    let f = |t: f64| (x + t).exp();
                    let d = match scheme {
                        Scheme::Forward => (f(h) - f(0.0)) / h,
                        Scheme::Central => (f(h) - f(-h)) / (2.0 * h),
                        Scheme::FourthOrder => {
                            (8.0 * (f(h) - f(-h)) - (f(2.0 * h) - f(-2.0 * h))) / (12.0 * h)
                        }
                    };
                    total += (d - x.exp()).abs();
                }
                total
            };
            let rule = scheme.step(0.0f64);
            let best = (0..200)
                .map(|k| rule * 2f64.powf(f64::from(k - 100) / 25.0))
                .map(error_at)
                .fold(f64::INFINITY, f64::min);
            // Within a factor 4: the rule assumes a rounding error of eps |f| per value,
            // the worst case, while the typical one is a third of that.
            assert!(
                error_at(rule) <= 4.0 * best,
                "{scheme}: {} vs {best}",
                error_at(rule)
            );
        }
        let h32: f32 = Scheme::Central.step(1.0f32);
        assert!((h32 - (3.0 * f32::EPSILON).cbrt()).abs() < 1e-9);
    }

    /// Nodes near k h (moved as rounding and jitter move them), 0 exactly.
    fn perturbed_offsets(scheme: Scheme, h: f64) -> Vec<f64> {
        scheme
            .nodes()
            .iter()
            .enumerate()
            .map(|(a, &k)| f64::from(k) * h * (1.0 + 1e-3 * a as f64))
            .collect()
    }

    #[test]
    fn noise_weights_annihilate_polynomials() {
        for scheme in Scheme::ALL {
            let h = 0.25;
            let offsets = perturbed_offsets(scheme, h);
            for skip in core::iter::once(None).chain((0..offsets.len()).map(Some)) {
                let mut w = vec![0.0; offsets.len()];
                divided_difference_weights(&offsets, h, skip, &mut w);
                let norm: f64 = w.iter().map(|v| v * v).sum();
                assert!((norm - 1.0).abs() < 1e-14);
                let used = offsets.len() - usize::from(skip.is_some());
                for degree in 0..used as i32 - 1 {
                    let sum: f64 = w
                        .iter()
                        .zip(&offsets)
                        .map(|(w, &t)| w * (t + 0.5).powi(degree))
                        .sum();
                    assert!(
                        sum.abs() < 1e-12,
                        "{scheme} {skip:?}: degree {degree} gives {sum}"
                    );
                }
            }
        }
    }

    #[test]
    fn slope_weights_differentiate_polynomials_exactly() {
        for scheme in Scheme::ALL {
            let offsets = perturbed_offsets(scheme, 0.125);
            let (at_h, at_2h) = scheme.formulas();
            for indices in [at_h, at_2h] {
                let mut w = [0.0; 5];
                interpolant_slope_weights(&offsets, indices, &mut w);
                // p(t) = (t + 0.5)^d has p'(0) = d 0.5^(d-1).
                for degree in 1..indices.len() as i32 {
                    let slope: f64 = indices
                        .iter()
                        .zip(&w)
                        .map(|(&k, w)| w * (offsets[k] + 0.5).powi(degree))
                        .sum();
                    let exact = f64::from(degree) * 0.5f64.powi(degree - 1);
                    assert!(
                        (slope - exact).abs() < 1e-10,
                        "{scheme} degree {degree}: {slope}"
                    );
                }
            }
        }
        // Exact nodes give the textbook weights.
        let offsets = [0.0, -1.0, 1.0, -2.0, 2.0];
        let mut w = [0.0; 5];
        interpolant_slope_weights(&offsets, &[1, 2, 0, 3, 4], &mut w);
        let textbook = [-8.0 / 12.0, 8.0 / 12.0, 0.0, 1.0 / 12.0, -1.0 / 12.0];
        for (a, b) in w.iter().zip(textbook) {
            assert!((a - b).abs() < 1e-15, "{w:?}");
        }
    }

    #[test]
    fn jitter_is_small_and_deterministic() {
        let all: Vec<f64> = (0..100)
            .flat_map(|j| (0..6).map(move |k| jitter(j, k)))
            .collect();
        assert!(all.iter().all(|v| v.abs() <= 4096.0 && v.fract() == 0.0));
        assert_eq!(jitter(3, 2), jitter(3, 2));
        assert!(all.iter().any(|&v| v != all[0]));
    }
}
