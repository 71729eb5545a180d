//! The batch engine against plain threads: is a parallel-efficiency shortfall the
//! engine's or the machine's?
//!
//! For one suite function at its docs/SUITE.md batch size (or a given one), three ways to
//! compute the batch's Jacobians are timed in turns: the sequential engine on one
//! thread; the rayon engine (`jacobian_batch`) in a pool of T threads; and T plain
//! `std::thread`s, each running the sequential engine on its own contiguous share of the
//! points and timing itself (no rayon, no tasks, nothing shared but the read-only
//! input). The plain threads are the best any scheduling of this work can do on the
//! machine at that moment, so if the engine's efficiency T_rayon / (T x T_1) falls
//! short of theirs, the engine is at fault; if both fall short together, the cores are.
//!
//! ```sh
//! cargo run --release -p batchjac-tools --example plain_threads -- arm7 2 8
//! ```
//!
//! Arguments: suite function (default arm7), threads T (default all), rounds (default
//! 8), batch size (default docs/SUITE.md's).

mod common;

use batchjac::VectorFn;
use batchjac::batch::{BatchOptions, jacobian_batch_with_options};
use batchjac::suite::SuiteFunction;
use std::time::Instant;

/// Target length of one timed run of each variant.
const RUN_SECONDS: f64 = 0.3;

fn usage(message: &str) -> ! {
    eprintln!("{message}\nusage: plain_threads [FUNCTION] [THREADS] [ROUNDS] [BATCH]");
    std::process::exit(2);
}

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "arm7".to_string());
    let f = SuiteFunction::by_name(&name).unwrap_or_else(|| usage("unknown suite function"));
    let mut number = |default: usize| -> usize {
        match args.next().map(|a| a.parse::<usize>()) {
            None => default,
            Some(Ok(v)) if v > 0 => v,
            Some(_) => usage("THREADS, ROUNDS and BATCH must be positive integers"),
        }
    };
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = number(all);
    let rounds = number(8);
    let batch = number(f.batch_size());
    let (m, n) = (f.inputs(), f.outputs());
    let xs = f.points(batch);
    let mut jacs = vec![0.0; batch * n * m];
    let sequential = BatchOptions::sequential();
    let parallel = BatchOptions::default();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a pool");

    // Calls per run from one warm call of the sequential engine.
    let start = Instant::now();
    jacobian_batch_with_options(&f, &xs, &mut jacs, None, &sequential).expect("a batch");
    let per_call = start.elapsed().as_secs_f64();
    let calls = ((RUN_SECONDS / per_call).round() as usize).max(1);

    // Contiguous shares of the points, one per plain thread.
    let share = batch.div_ceil(threads);
    let (mut single, mut rayon_rates, mut plain_rates) = (vec![], vec![], vec![]);
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..calls {
            one.install(|| jacobian_batch_with_options(&f, &xs, &mut jacs, None, &sequential))
                .expect("a batch");
        }
        single.push((calls * batch) as f64 / start.elapsed().as_secs_f64());

        let start = Instant::now();
        for _ in 0..calls {
            pool.install(|| jacobian_batch_with_options(&f, &xs, &mut jacs, None, &parallel))
                .expect("a batch");
        }
        rayon_rates.push((calls * batch) as f64 / start.elapsed().as_secs_f64());

        let start = Instant::now();
        std::thread::scope(|s| {
            for (xs, jacs) in xs.chunks(share * m).zip(jacs.chunks_mut(share * n * m)) {
                let (f, sequential) = (&f, &sequential);
                s.spawn(move || {
                    for _ in 0..calls {
                        jacobian_batch_with_options(f, xs, jacs, None, sequential)
                            .expect("a batch");
                    }
                });
            }
        });
        plain_rates.push((calls * batch) as f64 / start.elapsed().as_secs_f64());
    }
    let t = threads as f64;
    let (single, rayon_rate, plain) = (
        common::median(&mut single),
        common::median(&mut rayon_rates),
        common::median(&mut plain_rates),
    );
    println!(
        "{name}, B = {batch}, {threads} threads, {rounds} rounds of {calls} call(s) per variant \
         (medians, Jacobians/s)"
    );
    println!(
        "  sequential engine, 1 thread          {:>8.2}M",
        single / 1e6
    );
    println!(
        "  rayon engine, {threads} threads               {:>8.2}M  efficiency {:.0}%",
        rayon_rate / 1e6,
        100.0 * rayon_rate / (t * single)
    );
    println!(
        "  {threads} plain threads, sequential shares  {:>8.2}M  efficiency {:.0}%",
        plain / 1e6,
        100.0 * plain / (t * single)
    );
}
