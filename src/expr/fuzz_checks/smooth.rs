//! Is f finite and smooth near a point, so that finite differences and Taylor tests can
//! judge its Jacobian? Decided from plain f64 evaluations of the program only, never
//! from the AD results being judged (a wrong derivative must not make its own case
//! look unverifiable).
//!
//! Three conditions, each a reason to skip when it fails:
//! * every intermediate value is finite and of moderate size (1e-100 .. 1e100 or 0),
//!   and no operation sits on a kink, pole or domain edge (`abs` at 0, a `max` tie,
//!   `sqrt` at 0, a `select` on its boundary, `atan2` on its branch cut, ...);
//! * rounding: a running bound on each output's absolute rounding error (each operation
//!   adds its own rounding and scales the error of its arguments by its derivative,
//!   written here in closed form) stays below [`NOISE`] times the output's size, so
//!   cancellation has not left finite differences measuring rounding noise;
//! * no kink nearby and nearly linear: at `x +- r e_j` for every input j (and along two
//!   diagonals), r = [`RADIUS`] max(1, |x_j|), larger than any finite-difference or
//!   Taylor step the verification layer takes, the program takes the same branch at
//!   every operation (the same signs of every kink and domain-edge argument), stays
//!   finite, and its second difference is small against its first
//!   ([`CURVATURE`]), so the steps see the derivative, not an oscillation;
//! * the same at smaller radii, down to below the verification layer's smallest step,
//!   and the centred slope at each of them within [`CURVATURE`] of the widest one's
//!   (beyond rounding): a singularity that the widest probes straddle without changing
//!   a branch (`x ln sqrt(x^2)` near 0, whose odd symmetry makes its second difference
//!   cancel) shows as a slope that keeps changing as the radius shrinks.

use super::super::{Binary, Expr, Program, Register, Statement, Unary};
use crate::function::VectorFn;

/// Relative radius of the probes around the point.
pub const RADIUS: f64 = 4e-3;
/// Largest rounding-error bound accepted, relative to an output's magnitude.
pub const NOISE: f64 = 1e4 * f64::EPSILON;
/// Largest second difference accepted, relative to the first difference; also the
/// largest relative change accepted between the centred slopes at two radii.
pub const CURVATURE: f64 = 0.1;
/// How many probe radii: [`RADIUS`] and smaller ones, each [`SHRINK`] times the next,
/// down to below the smallest step of the verification layer (about 3e-9 of
/// max(1, |x_j|), the Taylor test's).
pub const PROBE_RADII: usize = 8;
/// The ratio between consecutive probe radii.
pub const SHRINK: f64 = 16.0;

/// Why a point is not judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Smoothness {
    /// An intermediate value is NaN, infinite, or beyond 1e100 or below 1e-100.
    NotFinite,
    /// An operation sits exactly on a kink, pole or domain edge.
    OnKink,
    /// Rounding error is too large against an output.
    Noisy,
    /// A probe within the radius takes another branch or leaves the finite range.
    KinkNearby,
    /// The function curves too much within the radius.
    Curved,
}

impl Smoothness {
    /// A short description.
    pub fn reason(self) -> &'static str {
        match self {
            Smoothness::NotFinite => "an intermediate value is not finite or is extreme",
            Smoothness::OnKink => "an operation sits on a kink or domain edge",
            Smoothness::Noisy => "rounding error too large against an output",
            Smoothness::KinkNearby => "a kink or domain edge lies within the probe radius",
            Smoothness::Curved => "the function curves too much within the probe radius",
        }
    }
}

/// The f64 evaluation of a program with rounding-error bounds and the branch signature.
struct Trace {
    outputs: Vec<f64>,
    noise: Vec<f64>,
    signature: Vec<bool>,
}

const U: f64 = f64::EPSILON / 2.0;
/// Library functions (sin, exp, ...) are within a few ulp, not correctly rounded.
const LIBRARY_ULPS: f64 = 4.0;

struct Walker<'a> {
    x: &'a [f64],
    temps: Vec<(f64, f64)>,
    outputs: Vec<(f64, f64)>,
    signature: Vec<bool>,
}

/// Trigonometric arguments past this magnitude are out of reach of finite differences:
/// the verification layer's steps scale with |x| (about 1e-3 |x| for fourth-order
/// differences), so past |x| ~ 1e3 a step spans a sizeable part of a period, and far
/// past it many periods (a fuzz case with sin at -1.4e28 was judged wrong by both
/// referees while the AD derivative cos(x) was right).
const PERIODIC_MAX: f64 = 1e3;

/// `Curved` when a periodic function's argument is too large for finite differences.
fn periodic_argument(a: f64) -> Result<(), Smoothness> {
    if a.abs() > PERIODIC_MAX {
        Err(Smoothness::Curved)
    } else {
        Ok(())
    }
}

fn moderate(v: f64) -> Result<f64, Smoothness> {
    let a = v.abs();
    if v.is_finite() && (a == 0.0 || (1e-100..=1e100).contains(&a)) {
        Ok(v)
    } else {
        Err(Smoothness::NotFinite)
    }
}

impl Walker<'_> {
    /// Records which side of a kink or edge `v` lies on; exactly on it is `OnKink`.
    fn side(&mut self, v: f64) -> Result<(), Smoothness> {
        if v == 0.0 || v.is_nan() {
            return Err(Smoothness::OnKink);
        }
        self.signature.push(v > 0.0);
        Ok(())
    }

    /// Records the quadrant of (a, b), for the functions singular at the origin.
    fn quadrant(&mut self, a: f64, b: f64) {
        self.signature.push(a > 0.0);
        self.signature.push(b > 0.0);
    }

    fn expr(&mut self, e: &Expr) -> Result<(f64, f64), Smoothness> {
        let read = |set: &[(f64, f64)], i: usize| set.get(i).copied().unwrap_or((f64::NAN, 0.0));
        let (v, err) = match e {
            Expr::Input(i) => (self.x.get(*i).copied().unwrap_or(f64::NAN), 0.0),
            Expr::Temp(i) => read(&self.temps, *i),
            Expr::Output(i) => read(&self.outputs, *i),
            Expr::Const(c) => (*c, 0.0),
            Expr::Unary(f, a) => {
                let (a, ea) = self.expr(a)?;
                self.unary(*f, a, ea)?
            }
            Expr::Binary(f, a, b) => {
                let (a, ea) = self.expr(a)?;
                let (b, eb) = self.expr(b)?;
                self.binary(*f, a, ea, b, eb)?
            }
            Expr::Powi(a, n) => {
                let (a, ea) = self.expr(a)?;
                if *n < 0 {
                    self.side(a)?;
                }
                let r = a.powi(*n);
                // powi multiplies repeatedly: about |n| roundings.
                let rounding = (n.unsigned_abs() as f64 + 1.0) * U * r.abs();
                (
                    r,
                    (*n as f64 * a.powi(n.saturating_sub(1))).abs() * ea + rounding,
                )
            }
            Expr::Powf(a, c) => {
                let (a, ea) = self.expr(a)?;
                // x^c is smooth for x > 0; at and below 0 it has edges unless c is a
                // small natural number.
                if !(c.fract() == 0.0 && *c >= 0.0) {
                    self.side(a)?;
                }
                let r = a.powf(*c);
                (
                    r,
                    (c * a.powf(c - 1.0)).abs() * ea + LIBRARY_ULPS * U * r.abs(),
                )
            }
            Expr::MulAdd(a, b, c) => {
                let (a, ea) = self.expr(a)?;
                let (b, eb) = self.expr(b)?;
                let (c, ec) = self.expr(c)?;
                let r = a.mul_add(b, c);
                (r, b.abs() * ea + a.abs() * eb + ec + U * r.abs())
            }
            Expr::Select {
                compare,
                left,
                right,
                if_true,
                if_false,
            } => {
                let (l, _) = self.expr(left)?;
                let (r, _) = self.expr(right)?;
                // The switching point is l == r; which side we are on is the branch.
                self.side(l - r)?;
                // Only the branch taken reaches the result (select picks value and
                // tangents), so the other one may be anything.
                if compare.apply(l, r) {
                    self.expr(if_true)?
                } else {
                    self.expr(if_false)?
                }
            }
        };
        Ok((moderate(v)?, err))
    }

    fn unary(&mut self, f: Unary, a: f64, ea: f64) -> Result<(f64, f64), Smoothness> {
        use Unary::*;
        // Edges: the argument's position against each kink, pole or domain edge.
        match f {
            Recip | Sqrt | Cbrt | Ln | Log2 | Log10 | Abs | Signum => self.side(a)?,
            Ln1p => self.side(a + 1.0)?,
            Asin | Acos | Atanh => {
                self.side(1.0 - a)?;
                self.side(1.0 + a)?
            }
            Acosh => self.side(a - 1.0)?,
            Tan => self.side(a.cos())?,
            _ => {}
        }
        if matches!(f, Sin | Cos | Tan) {
            periodic_argument(a)?;
        }
        let r = match f {
            Neg => -a,
            Recip => a.recip(),
            Sqrt => a.sqrt(),
            Cbrt => a.cbrt(),
            Exp => a.exp(),
            Exp2 => a.exp2(),
            ExpM1 => a.exp_m1(),
            Ln => a.ln(),
            Log2 => a.log2(),
            Log10 => a.log10(),
            Ln1p => a.ln_1p(),
            Sin => a.sin(),
            Cos => a.cos(),
            Tan => a.tan(),
            Asin => a.asin(),
            Acos => a.acos(),
            Atan => a.atan(),
            Sinh => a.sinh(),
            Cosh => a.cosh(),
            Tanh => a.tanh(),
            Asinh => a.asinh(),
            Acosh => <f64 as crate::Value>::acosh(a),
            Atanh => <f64 as crate::Value>::atanh(a),
            Abs => a.abs(),
            Signum => a.signum(),
        };
        // |f'(a)| in closed form, for the propagated error only.
        let slope = match f {
            Neg | Abs => 1.0,
            Signum => 0.0,
            Recip => 1.0 / (a * a),
            Sqrt => 0.5 / r,
            Cbrt => 1.0 / (3.0 * r * r),
            Exp | ExpM1 => a.exp(),
            Exp2 => core::f64::consts::LN_2 * a.exp2(),
            Ln => 1.0 / a,
            Log2 => 1.0 / (a * core::f64::consts::LN_2),
            Log10 => 1.0 / (a * core::f64::consts::LN_10),
            Ln1p => 1.0 / (1.0 + a),
            Sin => a.cos(),
            Cos => a.sin(),
            Tan => 1.0 + r * r,
            Asin | Acos => 1.0 / ((1.0 - a) * (1.0 + a)).sqrt(),
            Atan => 1.0 / (1.0 + a * a),
            Sinh => a.cosh(),
            Cosh => a.sinh(),
            Tanh => (1.0 - r) * (1.0 + r),
            Asinh => 1.0 / a.hypot(1.0),
            Acosh => 1.0 / ((a - 1.0) * (a + 1.0)).sqrt(),
            Atanh => 1.0 / ((1.0 - a) * (1.0 + a)),
        }
        .abs();
        let own = if matches!(f, Neg | Abs | Signum) {
            0.0
        } else {
            LIBRARY_ULPS * U * r.abs()
        };
        Ok((r, slope * ea + own))
    }

    fn binary(
        &mut self,
        f: Binary,
        a: f64,
        ea: f64,
        b: f64,
        eb: f64,
    ) -> Result<(f64, f64), Smoothness> {
        use Binary::*;
        let r = f.apply(a, b);
        let err = match f {
            Add | Sub => ea + eb + U * r.abs(),
            Mul => b.abs() * ea + a.abs() * eb + U * r.abs(),
            Div => {
                self.side(b)?;
                (ea + r.abs() * eb) / b.abs() + U * r.abs()
            }
            Pow => {
                // a^b with a variable exponent is a real function of (a, b) only for
                // a > 0 (its d/db = a^b ln a); at a < 0 only integer b give values.
                if a <= 0.0 {
                    return Err(Smoothness::OnKink);
                }
                // d/da = b a^(b-1), d/db = a^b ln a.
                (b * a.powf(b - 1.0)).abs() * ea
                    + (r * a.ln()).abs() * eb
                    + LIBRARY_ULPS * U * r.abs()
            }
            Atan2 => {
                // The branch cut is the negative x axis (a = 0, b < 0); the origin is
                // singular. Record the quadrant.
                if a == 0.0 && b <= 0.0 {
                    return Err(Smoothness::OnKink);
                }
                self.quadrant(a, b);
                let h2 = a * a + b * b;
                (b.abs() * ea + a.abs() * eb) / h2 + LIBRARY_ULPS * U * r.abs()
            }
            Min | Max => {
                self.side(a - b)?;
                ea.max(eb)
            }
            Hypot => {
                // Smooth except at the origin, where it is a cone (|a| along an
                // axis). Record the quadrant, as for atan2: a probe that crosses an
                // axis may pass by the cone's tip, whose kink a symmetric second
                // difference can miss (pow(hypot(t, t), t) = (sqrt(2)|t|)^t at
                // t = 1e-8: t ln|t| is odd, so its second difference cancels).
                if a == 0.0 && b == 0.0 {
                    return Err(Smoothness::OnKink);
                }
                self.quadrant(a, b);
                (a.abs() * ea + b.abs() * eb) / r + LIBRARY_ULPS * U * r.abs()
            }
        };
        Ok((r, err))
    }
}

/// Which statements can affect an output: a backward pass keeping the set of
/// registers still to be read. Dead statements may compute anything (a NaN never
/// reaches f), so the guard does not look at them.
fn live_statements(program: &Program) -> Vec<bool> {
    fn reads(e: &Expr, needed: &mut Vec<Register>) {
        match e {
            Expr::Temp(i) => needed.push(Register::Temp(*i)),
            Expr::Output(i) => needed.push(Register::Output(*i)),
            _ => e.children().for_each(|c| reads(c, needed)),
        }
    }
    let mut needed: Vec<Register> = (0..program.outputs()).map(Register::Output).collect();
    let mut live = vec![false; program.statements().len()];
    for (k, s) in program.statements().iter().enumerate().rev() {
        let (targets, e): (&[Register], &Expr) = match s {
            Statement::Assign { target, value } => (core::slice::from_ref(target), value),
            Statement::SinCos { sin, cos, arg } => (&[*sin, *cos][..], arg),
        };
        if targets.iter().any(|t| needed.contains(t)) {
            live[k] = true;
            needed.retain(|r| !targets.contains(r));
            reads(e, &mut needed);
        }
    }
    live
}

fn trace(program: &Program, x: &[f64]) -> Result<Trace, Smoothness> {
    let mut w = Walker {
        x,
        temps: vec![(f64::NAN, 0.0); program.temps()],
        outputs: vec![(f64::NAN, 0.0); program.outputs()],
        signature: Vec::new(),
    };
    let store = |w: &mut Walker<'_>, r: Register, v: (f64, f64)| {
        let slot = match r {
            Register::Temp(i) => w.temps.get_mut(i),
            Register::Output(i) => w.outputs.get_mut(i),
        };
        if let Some(slot) = slot {
            *slot = v;
        }
    };
    let live = live_statements(program);
    for (s, _) in program
        .statements()
        .iter()
        .zip(&live)
        .filter(|(_, live)| **live)
    {
        match s {
            Statement::Assign { target, value } => {
                let v = w.expr(value)?;
                store(&mut w, *target, v);
            }
            Statement::SinCos { sin, cos, arg } => {
                let (a, ea) = w.expr(arg)?;
                periodic_argument(a)?;
                let (s, c) = a.sin_cos();
                let own = LIBRARY_ULPS * U;
                store(&mut w, *sin, (moderate(s)?, c.abs() * ea + own * s.abs()));
                store(&mut w, *cos, (moderate(c)?, s.abs() * ea + own * c.abs()));
            }
        }
    }
    let (outputs, noise) = w.outputs.iter().copied().unzip();
    Ok(Trace {
        outputs,
        noise,
        signature: w.signature,
    })
}

/// `Ok(())` when `program` is finite and smooth near `x` in the sense of the module
/// docs, so that the verification layer can judge its Jacobian there; otherwise why not.
pub fn smoothness(program: &Program, x: &[f64]) -> Result<(), Smoothness> {
    let center = trace(program, x)?;
    for (v, e) in center.outputs.iter().zip(&center.noise) {
        if *e > NOISE * v.abs() {
            return Err(Smoothness::Noisy);
        }
    }
    let m = program.inputs();
    let n = program.outputs();
    let mut directions: Vec<Vec<f64>> = (0..m)
        .map(|j| (0..m).map(|k| if k == j { 1.0 } else { 0.0 }).collect())
        .collect();
    directions.push(vec![1.0; m]);
    directions.push(
        (0..m)
            .map(|k| if k % 2 == 0 { 1.0 } else { -1.0 })
            .collect(),
    );
    let mut plus = vec![0.0; m];
    let mut minus = vec![0.0; m];
    // The widest radius's centred slope and its rounding uncertainty, per output.
    let mut widest = vec![(0.0, 0.0); n];
    for d in &directions {
        for k in 0..PROBE_RADII {
            let radius = RADIUS / SHRINK.powi(k as i32);
            for j in 0..m {
                let r = radius * x[j].abs().max(1.0) * d[j];
                plus[j] = x[j] + r;
                minus[j] = x[j] - r;
            }
            let (p, q) = match (trace(program, &plus), trace(program, &minus)) {
                (Ok(p), Ok(q)) => (p, q),
                _ => return Err(Smoothness::KinkNearby),
            };
            if p.signature != center.signature || q.signature != center.signature {
                return Err(Smoothness::KinkNearby);
            }
            for (i, widest) in widest.iter_mut().enumerate() {
                let (fp, f0, fm) = (p.outputs[i], center.outputs[i], q.outputs[i]);
                let first = (fp - fm).abs();
                let second = (fp - 2.0 * f0 + fm).abs();
                let noise = p.noise[i] + 2.0 * center.noise[i] + q.noise[i];
                if second > CURVATURE * first + noise {
                    return Err(Smoothness::Curved);
                }
                let slope = (fp - fm) / (2.0 * radius);
                let blur = (p.noise[i] + q.noise[i]) / (2.0 * radius);
                if k == 0 {
                    *widest = (slope, blur);
                } else {
                    let (s0, b0) = *widest;
                    if (slope - s0).abs() > CURVATURE * slope.abs().max(s0.abs()) + blur + b0 {
                        return Err(Smoothness::Curved);
                    }
                }
            }
        }
    }
    Ok(())
}
