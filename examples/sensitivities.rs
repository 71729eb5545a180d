//! Sensitivities of an ODE solution at 10,000 parameter points with `jacobian_batch`,
//! written to a CSV file and read back.
//!
//! The model is logistic growth, x' = r x (1 - x / K), x(0) = x0, integrated by a
//! classical Runge-Kutta scheme (RK4, 200 steps to t = 5) written once against `Real`.
//! For each parameter point p = (r, K, x0) the batch gives x(1), x(2), x(5) and their
//! 3 x 3 Jacobian d x(t) / d p: the forward sensitivities of the discretised solution.
//! The CSV (one row per point: the parameters, the three values, the nine
//! sensitivities) goes to the path given as the first argument, or to
//! `batchjac_sensitivities.csv` in the system's temporary directory. The example reads
//! one row back and checks it against a single-point Jacobian (bitwise) and against the
//! closed-form solution's derivatives (to the scheme's accuracy); it exits non-zero if a
//! check fails.
//!
//! `cargo run --release --example sensitivities [output.csv]`

use batchjac::{Real, VectorFn, jacobian_and_value, jacobian_batch_and_values};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

/// The times at which the solution is reported.
const TIMES: [f64; 3] = [1.0, 2.0, 5.0];
/// RK4 steps per unit of time.
const STEPS_PER_UNIT: usize = 40;

/// p = (r, K, x0) -> (x(1), x(2), x(5)) of the logistic equation, by RK4.
struct LogisticGrowth;

impl VectorFn for LogisticGrowth {
    fn inputs(&self) -> usize {
        3
    }
    fn outputs(&self) -> usize {
        TIMES.len()
    }
    fn eval<R: Real>(&self, p: &[R], y: &mut [R]) {
        let (r, k) = (p[0], p[1]);
        let rhs = |x: R| r * x * (R::from_f64(1.0) - x / k);
        let dt = 1.0 / STEPS_PER_UNIT as f64;
        let mut x = p[2];
        let mut t_steps = 0;
        for (out, &t) in y.iter_mut().zip(&TIMES) {
            while t_steps < (t * STEPS_PER_UNIT as f64).round() as usize {
                let k1 = rhs(x);
                let k2 = rhs(x + k1.scale(dt / 2.0));
                let k3 = rhs(x + k2.scale(dt / 2.0));
                let k4 = rhs(x + k3.scale(dt));
                x += (k1 + k2.scale(2.0) + k3.scale(2.0) + k4).scale(dt / 6.0);
                t_steps += 1;
            }
            *out = x;
        }
    }
}

/// The exact solution x(t) and its derivatives (d/dr, d/dK, d/dx0).
fn closed_form(p: &[f64], t: f64) -> (f64, [f64; 3]) {
    let (r, k, x0) = (p[0], p[1], p[2]);
    let e = (-r * t).exp();
    let d = x0 + (k - x0) * e;
    let d2 = d * d;
    (
        k * x0 / d,
        [
            k * x0 * (k - x0) * t * e / d2,
            x0 * x0 * (1.0 - e) / d2,
            k * k * e / d2,
        ],
    )
}

/// Parameter point `i` of `count`: r in [0.5, 1.5], K in [5, 15], x0 in [0.5, 2], spread
/// by three incommensurate strides.
fn parameters(i: usize, count: usize) -> [f64; 3] {
    let u = |stride: usize| ((i * stride) % count) as f64 / count as f64;
    [0.5 + u(1), 5.0 + 10.0 * u(7919), 0.5 + 1.5 * u(104_729)]
}

fn main() {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("batchjac_sensitivities.csv"));
    let (points, m, n) = (10_000, 3, TIMES.len());

    let xs: Vec<f64> = (0..points).flat_map(|i| parameters(i, points)).collect();
    let mut jacs = vec![0.0; points * n * m];
    let mut values = vec![0.0; points * n];
    let start = Instant::now();
    jacobian_batch_and_values(&LogisticGrowth, &xs, &mut jacs, &mut values)
        .expect("dimensions match");
    println!(
        "{points} points: values and 3 x 3 sensitivities of an RK4 solution (200 RK4 steps \
         per point) in {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );

    let mut out = BufWriter::new(File::create(&path).expect("the CSV file can be created"));
    let mut header = vec!["r".to_string(), "K".to_string(), "x0".to_string()];
    header.extend(TIMES.iter().map(|t| format!("x_t{t}")));
    for t in TIMES {
        header.extend(["r", "K", "x0"].iter().map(|p| format!("dx_t{t}/d{p}")));
    }
    writeln!(out, "{}", header.join(",")).unwrap();
    for k in 0..points {
        let row: Vec<String> = xs[k * m..(k + 1) * m]
            .iter()
            .chain(&values[k * n..(k + 1) * n])
            .chain(&jacs[k * n * m..(k + 1) * n * m])
            .map(|v| v.to_string()) // shortest text that parses back to the same f64
            .collect();
        writeln!(out, "{}", row.join(",")).unwrap();
    }
    out.flush().unwrap();
    println!(
        "wrote {} ({} columns, {points} rows)",
        path.display(),
        header.len()
    );

    // Read one row back and check it.
    let check_row = 1234;
    let line = BufReader::new(File::open(&path).expect("the CSV file can be read"))
        .lines()
        .nth(1 + check_row)
        .expect("the row is there")
        .unwrap();
    let row: Vec<f64> = line.split(',').map(|s| s.parse().unwrap()).collect();
    let (p, row_values, row_jac) = (&row[..3], &row[3..6], &row[6..]);
    let mut failed = Vec::new();

    let (mut one_jac, mut one_values) = ([0.0; 9], [0.0; 3]);
    jacobian_and_value(&LogisticGrowth, p, &mut one_jac, &mut one_values).unwrap();
    if row_jac != one_jac || row_values != one_values {
        failed.push(format!(
            "row {check_row} differs from the single-point Jacobian: {row_jac:?} vs {one_jac:?}"
        ));
    }

    println!("row {check_row}: p = (r, K, x0) = {p:?}");
    let mut worst: f64 = 0.0;
    for (i, &t) in TIMES.iter().enumerate() {
        let (x, grad) = closed_form(p, t);
        println!(
            "  x({t}) = {:.9} (exact {x:.9}), d x({t}) / d p = {:.6?} (exact {:.6?})",
            row_values[i],
            &row_jac[i * 3..i * 3 + 3],
            grad
        );
        worst = worst.max((row_values[i] - x).abs() / x.abs());
        for j in 0..3 {
            let scale = grad[j].abs().max(1e-3);
            worst = worst.max((row_jac[i * 3 + j] - grad[j]).abs() / scale);
        }
    }
    println!("largest relative difference from the closed form: {worst:.2e} (RK4 with dt = 0.025)");
    if worst > 1e-6 {
        failed.push(format!(
            "difference from the closed form {worst:e}, expected below 1e-6"
        ));
    }

    if failed.is_empty() {
        println!("ok: the row read back equals the single-point result and the exact solution");
    } else {
        for f in &failed {
            eprintln!("FAILED: {f}");
        }
        std::process::exit(1);
    }
}
