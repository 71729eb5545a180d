//! Accuracy and throughput of the batch-lane SIMD elementary functions (src/simd).
//!
//! For every function and sample range (the cases of tests/simd_cases), it measures the
//! maximum and mean error in ulp against the correctly rounded core-math, for each lane
//! type and for std's function, and the throughput in millions of values per second of
//! both lane types, of the scalar `Value` impl (the same kernels on one lane, so its
//! results are those of the lane types) and of std's scalar function. Prints markdown
//! tables.
//!
//! `cargo run --release --example simd_accuracy [samples per case, default 2000000] [name filter]`

#[path = "../tests/simd_cases/mod.rs"]
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

/// One pass of `f` applied to `L`-vectors over a buffer.
fn pass_lanes<L: Value + Lanes>(func: Func, xs: &[L::Elem], ys: &[L::Elem], out: &mut [L::Elem]) {
    for ((xc, yc), oc) in xs
        .chunks_exact(L::WIDTH)
        .zip(ys.chunks_exact(L::WIDTH))
        .zip(out.chunks_exact_mut(L::WIDTH))
    {
        let x = L::from_fn(|i| xc[i]);
        let y = L::from_fn(|i| yc[i]);
        func.apply(black_box(x), black_box(y)).store(oc);
    }
    black_box(out);
}

/// One pass of a scalar function over a buffer.
fn pass_scalar<E: Copy>(f: impl Fn(E, E) -> E, xs: &[E], ys: &[E], out: &mut [E]) {
    for ((&x, &y), o) in xs.iter().zip(ys).zip(out.iter_mut()) {
        *o = f(black_box(x), black_box(y));
    }
    black_box(out);
}

/// Millions of values per second of each pass over a `BUFFER`-value buffer: best of 9
/// rounds of 100 passes, the candidates taking turns within every round, so that a
/// change in the machine's speed (it is shared) affects them alike and their ratios
/// hold better than their absolute figures.
fn race(passes: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    let mut best = vec![f64::INFINITY; passes.len()];
    for _ in 0..9 {
        for (pass, best) in passes.iter_mut().zip(best.iter_mut()) {
            let start = Instant::now();
            for _ in 0..100 {
                pass();
            }
            *best = best.min(start.elapsed().as_secs_f64());
        }
    }
    best.iter()
        .map(|&t| (BUFFER * 100) as f64 / t / 1e6)
        .collect()
}

/// One row's throughputs, raced: the wide lane type `W`, the narrow one `N`, the scalar
/// `Value` impl of their element type and std's function.
fn race_row<W, N>(
    func: Func,
    xs: &[W::Elem],
    ys: &[W::Elem],
    std: fn(Func, W::Elem, W::Elem) -> W::Elem,
) -> Vec<f64>
where
    W: Value + Lanes,
    N: Value + Lanes<Elem = W::Elem>,
    W::Elem: Value,
{
    let mut outs: Vec<Vec<W::Elem>> = (0..4).map(|_| xs.to_vec()).collect();
    let [o0, o1, o2, o3] = &mut outs[..] else {
        unreachable!()
    };
    race(&mut [
        &mut || pass_lanes::<W>(func, xs, ys, o0),
        &mut || pass_lanes::<N>(func, xs, ys, o1),
        &mut || pass_scalar(|x, y| func.apply::<W::Elem>(x, y), xs, ys, o2),
        &mut || pass_scalar(|x, y| std(func, x, y), xs, ys, o3),
    ])
}

macro_rules! std_function {
    ($name:ident, $t:ty) => {
        /// std's function for `func` (what a plain `f64`/`f32` program calls).
        fn $name(func: Func, x: $t, y: $t) -> $t {
            match func {
                Func::Exp => x.exp(),
                Func::Exp2 => x.exp2(),
                Func::ExpM1 => x.exp_m1(),
                Func::Ln => x.ln(),
                Func::Log2 => x.log2(),
                Func::Log10 => x.log10(),
                Func::Ln1p => x.ln_1p(),
                Func::Sqrt => x.sqrt(),
                Func::Cbrt => x.cbrt(),
                Func::Sin => x.sin(),
                Func::Cos => x.cos(),
                Func::Tan => x.tan(),
                Func::SinCosSin => x.sin_cos().0,
                Func::SinCosCos => x.sin_cos().1,
                Func::Asin => x.asin(),
                Func::Acos => x.acos(),
                Func::Atan => x.atan(),
                Func::Atan2 => x.atan2(y),
                Func::Sinh => x.sinh(),
                Func::Cosh => x.cosh(),
                Func::Tanh => x.tanh(),
                Func::Asinh => x.asinh(),
                Func::Acosh => x.acosh(),
                Func::Atanh => x.atanh(),
                Func::Pow => x.powf(y),
                Func::Hypot => x.hypot(y),
                Func::Recip => 1.0 / x,
            }
        }
    };
}
std_function!(std_f64, f64);
std_function!(std_f32, f32);

fn format_stats(s: &Stats) -> String {
    if s.max.is_infinite() {
        format!("**NaN mismatch** at {:e}", s.worst.0)
    } else {
        format!("{}/{:.3}", s.max, s.mean())
    }
}

/// The largest error of std's function in ulp; panics if the scalar `Value` impl ever
/// differs from the lane types (it runs their kernels on one lane).
fn std_max_f64(case: &Case, xs: &[f64], ys: &[f64]) -> f64 {
    let func = case.func;
    xs.iter()
        .zip(ys)
        .map(|(&x, &y)| {
            let lane = func.apply(f64x8::splat(x), f64x8::splat(y)).to_array()[0];
            let ours = func.apply(x, y);
            assert!(ours.to_bits() == lane.to_bits() || (ours.is_nan() && lane.is_nan()));
            ulp_distance_f64(std_f64(func, x, y), func.reference(x, y))
        })
        .fold(0.0, f64::max)
}

fn std_max_f32(case: &Case, xs: &[f32], ys: &[f32]) -> f64 {
    let func = case.func;
    xs.iter()
        .zip(ys)
        .map(|(&x, &y)| {
            let lane = func.apply(f32x16::splat(x), f32x16::splat(y)).to_array()[0];
            let ours = func.apply(x, y);
            assert!(ours.to_bits() == lane.to_bits() || (ours.is_nan() && lane.is_nan()));
            ulp_distance_f32(std_f32(func, x, y), func.reference_f32(x, y))
        })
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
    // The throughput buffer is the first BUFFER samples of each row.
    if count < BUFFER {
        eprintln!("samples per case: at least {BUFFER} (the throughput buffer), got {count}");
        std::process::exit(2);
    }
    // Optional second argument: only the functions whose name contains it.
    let filter = std::env::args().nth(2).unwrap_or_default();
    let selected = |case: &Case| case.func.name().contains(filter.as_str());
    println!("Samples per row: {count}. Error: max/mean ulp vs core-math (correctly rounded).");
    println!("Throughput: Mvalues/s, one core, {BUFFER}-value buffer, best of 9.\n");

    println!(
        "| fn | range | f64x8 = f64x4 = scalar | claimed | std | Mv/s f64x8 | Mv/s f64x4 | Mv/s scalar | Mv/s std | scalar / std |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for case in cases_f64().iter().filter(|c| selected(c)).flat_map(split) {
        let (xs, ys) = samples(&case, count, 2026);
        let s8 = measure_f64::<f64x8>(case.func, &xs, &ys);
        let s4 = measure_f64::<f64x4>(case.func, &xs, &ys);
        assert_eq!(format_stats(&s8), format_stats(&s4));
        let std = std_max_f64(&case, &xs, &ys);
        let (bx, by) = (&xs[..BUFFER], &ys[..BUFFER]);
        let func = case.func;
        let rates = race_row::<f64x8, f64x4>(func, bx, by, std_f64);
        println!(
            "| {} | {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2} |",
            func.name(),
            case.describe(),
            format_stats(&s8),
            case.bound_f64,
            std,
            rates[0],
            rates[1],
            rates[2],
            rates[3],
            rates[2] / rates[3],
        );
    }

    println!(
        "\n| fn | range | f32x16 = f32x8 = scalar | claimed | std | Mv/s f32x16 | Mv/s f32x8 | Mv/s scalar | Mv/s std | scalar / std |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for case in cases_f32().iter().filter(|c| selected(c)).flat_map(split) {
        let (xs, ys) = samples(&case, count, 2027);
        let xs: Vec<f32> = xs.iter().map(|&v| v as f32).collect();
        let ys: Vec<f32> = ys.iter().map(|&v| v as f32).collect();
        let s16 = measure_f32::<f32x16>(case.func, &xs, &ys);
        let s8 = measure_f32::<f32x8>(case.func, &xs, &ys);
        assert_eq!(format_stats(&s16), format_stats(&s8));
        let std = std_max_f32(&case, &xs, &ys);
        let (bx, by) = (&xs[..BUFFER], &ys[..BUFFER]);
        let func = case.func;
        let rates = race_row::<f32x16, f32x8>(func, bx, by, std_f32);
        println!(
            "| {} | {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2} |",
            func.name(),
            case.describe(),
            format_stats(&s16),
            case.bound_f32,
            std,
            rates[0],
            rates[1],
            rates[2],
            rates[3],
            rates[2] / rates[3],
        );
    }
}
