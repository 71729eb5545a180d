//! Accuracy and throughput of the batch-lane SIMD elementary functions (src/simd).
//!
//! For every function and sample range (the cases of tests/it/simd_cases), it measures the
//! maximum and mean error in ulp against the correctly rounded core-math, for each lane
//! type and for the scalar `Real` impl (std; the crate's accurate acosh/atanh), and the
//! throughput in millions of values per second of the widest lane type and of the scalar
//! functions called lane by lane. Prints markdown tables.
//!
//! `cargo run --release --example simd_accuracy [samples per case, default 2000000] [name filter]`

#[path = "../tests/it/simd_cases/mod.rs"]
mod simd_cases;

use batchjac::{Lanes, Value};
use simd_cases::{
    Case, Func, Stats, cases_f32, cases_f64, measure_f32, measure_f64, samples, ulp_distance_f32,
    ulp_distance_f64,
};
use std::hint::black_box;
use std::time::Instant;
use wide::{f32x8, f32x16, f64x4, f64x8};

/// Values in the throughput buffer (stays in L1).
const BUFFER: usize = 1024;

/// Millions of values per second of `f` applied to `L`-vectors over a buffer: best of 9
/// rounds of 100 passes.
fn throughput<L: Value + Lanes>(func: Func, xs: &[L::Elem], ys: &[L::Elem]) -> f64 {
    let mut out = vec![xs[0]; xs.len()];
    let mut best = f64::INFINITY;
    for _ in 0..9 {
        let start = Instant::now();
        for _ in 0..100 {
            for ((xc, yc), oc) in xs
                .chunks_exact(L::WIDTH)
                .zip(ys.chunks_exact(L::WIDTH))
                .zip(out.chunks_exact_mut(L::WIDTH))
            {
                let x = L::from_fn(|i| xc[i]);
                let y = L::from_fn(|i| yc[i]);
                func.apply(black_box(x), black_box(y)).store(oc);
            }
            black_box(&mut out);
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    (xs.len() * 100) as f64 / best / 1e6
}

fn format_stats(s: &Stats) -> String {
    if s.max.is_infinite() {
        format!("**NaN mismatch** at {:e}", s.worst.0)
    } else {
        format!("{}/{:.3}", s.max, s.mean())
    }
}

fn scalar_max_f64(case: &Case, xs: &[f64], ys: &[f64]) -> f64 {
    xs.iter()
        .zip(ys)
        .map(|(&x, &y)| ulp_distance_f64(case.func.apply(x, y), case.func.reference(x, y)))
        .fold(0.0, f64::max)
}

fn scalar_max_f32(case: &Case, xs: &[f32], ys: &[f32]) -> f64 {
    xs.iter()
        .zip(ys)
        .map(|(&x, &y)| ulp_distance_f32(case.func.apply(x, y), case.func.reference_f32(x, y)))
        .fold(0.0, f64::max)
}

/// One row per part of a case's mixture (throughput depends on the range, e.g. the
/// scalar fallback of sin for huge arguments).
fn split(case: &Case) -> Vec<Case> {
    (0..case.x.len())
        .map(|part| Case {
            x: vec![case.x[part]],
            y: if case.func.binary() {
                vec![case.y[part]]
            } else {
                vec![]
            },
            ..case.clone()
        })
        .collect()
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2_000_000);
    // Optional second argument: only the functions whose name contains it.
    let filter = std::env::args().nth(2).unwrap_or_default();
    let selected = |case: &Case| case.func.name().contains(filter.as_str());
    println!("Samples per row: {count}. Error: max/mean ulp vs core-math (correctly rounded).");
    println!("Throughput: Mvalues/s, one core, {BUFFER}-value buffer, best of 9.\n");

    println!(
        "| fn | range | f64x8 | f64x4 | claimed | scalar (std) | Mv/s f64x8 | Mv/s f64x4 | Mv/s scalar |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for case in cases_f64().iter().filter(|c| selected(c)).flat_map(split) {
        let (xs, ys) = samples(&case, count, 2026);
        let s8 = measure_f64::<f64x8>(case.func, &xs, &ys);
        let s4 = measure_f64::<f64x4>(case.func, &xs, &ys);
        let scalar = scalar_max_f64(&case, &xs, &ys);
        let (bx, by) = (&xs[..BUFFER], &ys[..BUFFER]);
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.0} | {:.0} | {:.0} |",
            case.func.name(),
            case.describe(),
            format_stats(&s8),
            format_stats(&s4),
            case.bound_f64,
            scalar,
            throughput::<f64x8>(case.func, bx, by),
            throughput::<f64x4>(case.func, bx, by),
            throughput::<f64>(case.func, bx, by),
        );
    }

    println!(
        "\n| fn | range | f32x16 | f32x8 | claimed | scalar (std) | Mv/s f32x16 | Mv/s f32x8 | Mv/s scalar |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for case in cases_f32().iter().filter(|c| selected(c)).flat_map(split) {
        let (xs, ys) = samples(&case, count, 2027);
        let xs: Vec<f32> = xs.iter().map(|&v| v as f32).collect();
        let ys: Vec<f32> = ys.iter().map(|&v| v as f32).collect();
        let s16 = measure_f32::<f32x16>(case.func, &xs, &ys);
        let s8 = measure_f32::<f32x8>(case.func, &xs, &ys);
        let scalar = scalar_max_f32(&case, &xs, &ys);
        let (bx, by) = (&xs[..BUFFER], &ys[..BUFFER]);
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.0} | {:.0} | {:.0} |",
            case.func.name(),
            case.describe(),
            format_stats(&s16),
            format_stats(&s8),
            case.bound_f32,
            scalar,
            throughput::<f32x16>(case.func, bx, by),
            throughput::<f32x8>(case.func, bx, by),
            throughput::<f32>(case.func, bx, by),
        );
    }
}
