//! Gradient descent on a logistic regression, with the derivative read as the best local
//! linear approximation: f(v + h) ≈ f(v) + J(v) h.
//!
//! The loss L(v) of a logistic model with parameters v = (w0, w1, b) on 200 synthetic
//! labelled points is one `VectorFn` (3 inputs, 1 output); its 1 x 3 Jacobian is the
//! gradient. The example
//! 1. shows at one point that the linear model's error |L(v + h) - L(v) - J h| shrinks
//!    like |h|^2 (halving h divides it by 4), while any other slope leaves an error that
//!    shrinks only like |h|: that is what makes J *the* derivative;
//! 2. takes the step the linear model suggests, h = -eta J^T (the steepest descent of
//!    the model), compares the predicted and the actual decrease, and runs 100 such steps,
//!    printing the loss as it falls.
//!
//! It exits non-zero if the observed order is not about 2, the loss does not decrease
//! at every step, or the model classifies fewer than 90% of the points correctly.
//!
//! `cargo run --release --example gradient_descent`

use batchjac::{Real, VectorFn, evaluate, jacobian_and_value};

/// Mean logistic loss of the model sigma(w . x + b) on labelled points (label +1 or -1):
/// L = mean softplus(-label (w . x + b)).
struct LogisticLoss {
    points: Vec<[f64; 2]>,
    labels: Vec<f64>,
}

/// softplus(z) = ln(1 + e^z), as max(z, 0) + ln_1p(e^-|z|): no overflow for large |z|.
fn softplus<R: Real>(z: R) -> R {
    z.max(R::from_f64(0.0)) + (-z.abs()).exp().ln_1p()
}

impl VectorFn for LogisticLoss {
    fn inputs(&self) -> usize {
        3
    }
    fn outputs(&self) -> usize {
        1
    }
    fn eval<R: Real>(&self, v: &[R], y: &mut [R]) {
        let (w0, w1, b) = (v[0], v[1], v[2]);
        let mut sum = R::from_f64(0.0);
        for (x, &label) in self.points.iter().zip(&self.labels) {
            let score = w0 * R::from_f64(x[0]) + w1 * R::from_f64(x[1]) + b;
            sum += softplus(-(score * R::from_f64(label)));
        }
        y[0] = sum * R::from_f64(1.0 / self.points.len() as f64);
    }
}

impl LogisticLoss {
    fn value(&self, v: &[f64]) -> f64 {
        let mut y = [0.0];
        evaluate(self, v, &mut y).expect("the loss writes its output");
        y[0]
    }

    /// The loss and its gradient (the 1 x 3 Jacobian).
    fn value_and_gradient(&self, v: &[f64]) -> (f64, [f64; 3]) {
        let (mut grad, mut y) = ([0.0; 3], [0.0]);
        jacobian_and_value(self, v, &mut grad, &mut y).expect("dimensions match");
        (y[0], grad)
    }

    fn accuracy(&self, v: &[f64]) -> f64 {
        let right = self
            .points
            .iter()
            .zip(&self.labels)
            .filter(|(x, label)| (v[0] * x[0] + v[1] * x[1] + v[2]) * **label > 0.0)
            .count();
        right as f64 / self.points.len() as f64
    }
}

/// A deterministic pseudo-random number in [0, 1) (splitmix64).
fn uniform(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

/// Two overlapping clouds: label +1 around (1, 1), label -1 around (-1, -0.5).
fn data() -> LogisticLoss {
    let mut state = 7;
    let (mut points, mut labels) = (Vec::new(), Vec::new());
    for k in 0..200 {
        let label = if k % 2 == 0 { 1.0 } else { -1.0 };
        let center = if label > 0.0 {
            [1.0, 1.0]
        } else {
            [-1.0, -0.5]
        };
        let jitter = [uniform(&mut state) - 0.5, uniform(&mut state) - 0.5];
        points.push([center[0] + 2.0 * jitter[0], center[1] + 2.0 * jitter[1]]);
        labels.push(label);
    }
    LogisticLoss { points, labels }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn main() {
    let loss = data();
    let mut failed = Vec::new();

    // 1. The linear approximation at v0 along a direction d, h = t d.
    let v0 = [0.5, -0.3, 0.1];
    let d = [0.6, -0.48, 0.64]; // a unit vector
    let (l0, grad) = loss.value_and_gradient(&v0);
    let slope = dot(&grad, &d);
    println!("linear approximation at v0 = {v0:?} along d = {d:?}: J d = {slope:.6}");
    println!(
        "{:>10} {:>14} {:>8} {:>20}",
        "|h|", "error with J", "ratio", "error with J + 0.01"
    );
    let mut previous: Option<f64> = None;
    let mut ratios = Vec::new();
    for k in 1..=12 {
        let t = 0.5f64.powi(k);
        let moved: Vec<f64> = v0.iter().zip(&d).map(|(v, di)| v + t * di).collect();
        let lt = loss.value(&moved);
        let error = (lt - l0 - t * slope).abs();
        let error_wrong = (lt - l0 - t * (slope + 0.01)).abs();
        let ratio = previous.map(|p| p / error);
        if let Some(r) = ratio {
            ratios.push(r);
        }
        let shown = ratio.map_or(String::from("-"), |r| format!("{r:.2}"));
        println!("{t:>10.3e} {error:>14.3e} {shown:>8} {error_wrong:>20.3e}");
        previous = Some(error);
    }
    // Halving h divides the error by 4 (order 2) until rounding of L (about 1e-16)
    // dominates; the steps 2..7 are well clear of it.
    let order = (ratios[1..7].iter().map(|r| r.log2()).sum::<f64>() / 6.0).abs();
    println!("observed order of the linear model's error: {order:.3} (2 for the derivative)");
    if !(1.9..=2.1).contains(&order) {
        failed.push(format!("observed order {order:.3}, expected about 2"));
    }

    // 2. Gradient descent: h = -eta J^T, the linear model's predicted change -eta |J|^2.
    let eta = 1.0;
    let mut v = [0.0, 0.0, 0.0];
    let (mut l, mut g) = loss.value_and_gradient(&v);
    println!("\ngradient descent, step eta = {eta}");
    println!(
        "{:>5} {:>12} {:>28} {:>9}",
        "step", "loss", "|gradient|", "accuracy"
    );
    for step in 1..=100 {
        let predicted = -eta * dot(&g, &g);
        for (vi, gi) in v.iter_mut().zip(&g) {
            *vi -= eta * gi;
        }
        let (next, next_g) = loss.value_and_gradient(&v);
        if step == 1 {
            println!(
                "first step: the linear model predicts a change of {predicted:.5}, actual {:.5}",
                next - l
            );
        }
        if next >= l {
            failed.push(format!("the loss rose at step {step}: {l} -> {next}"));
        }
        (l, g) = (next, next_g);
        if step % 10 == 0 {
            let norm = dot(&g, &g).sqrt();
            println!(
                "{step:>5} {l:>12.6} {norm:>28.3e} {:>8.1}%",
                100.0 * loss.accuracy(&v)
            );
        }
    }
    let accuracy = loss.accuracy(&v);
    println!(
        "final parameters w = ({:.3}, {:.3}), b = {:.3}",
        v[0], v[1], v[2]
    );
    if accuracy < 0.9 {
        failed.push(format!("accuracy {accuracy}, expected at least 0.9"));
    }

    if failed.is_empty() {
        println!(
            "ok: error of order 2, loss decreasing at every step, accuracy {:.1}%",
            100.0 * accuracy
        );
    } else {
        for f in &failed {
            eprintln!("FAILED: {f}");
        }
        std::process::exit(1);
    }
}
