//! A control for parallel-efficiency figures: how well does the machine itself scale?
//!
//! Each thread runs twelve independent chains of f64x8 fused multiply-adds (no memory
//! traffic, no synchronisation: nothing in the program can keep it from scaling), so
//! T_t / (t T_1) here is the efficiency the cores deliver at that moment. On a dedicated
//! machine it is about 100% up to the number of physical cores; on a shared virtual
//! machine it drops whenever another tenant's work lands on the same physical cores,
//! and a batch-engine efficiency measured in the same minutes cannot be expected to do
//! better.
//!
//! ```sh
//! cargo run --release -p batchjac-tools --example core_scaling -- 1,2 10        # one call per 0.2 s run
//! cargo run --release -p batchjac-tools --example core_scaling -- 1,2 10 2      # calls of 2 ms
//! ```
//!
//! Arguments: thread counts (comma-separated, default 1 and all threads), rounds
//! (default 10) and the length of one call in milliseconds (default 200). Each count
//! has a rayon pool of its own; a call hands one equal share of FMAs to each of the
//! pool's threads (the batch engine's pattern: a call wakes the pool, the pool works,
//! the caller waits for the slowest share), and a timed run of about 0.2 s makes as many
//! calls as fit. Short calls expose what it costs to wake sleeping threads (on a
//! virtual machine, a halted virtual CPU). The counts take turns in every round; the
//! table gives, per count, the median and best rate of the rounds and the efficiency of
//! each against the 1-thread median and best.

mod common;

use rayon::prelude::*;
use std::time::Instant;
use wide::f64x8;

/// Independent FMA chains per thread: more than the FMA latency (4 cycles) times the
/// FMA units per core (2), so that the loop is bound by throughput, not latency.
const CHAINS: usize = 12;

/// One thread's work: `iterations` rounds of `CHAINS` FMAs. Returns a sum of the
/// chains, so that the optimiser must compute them.
fn fma_chains(iterations: u64) -> f64 {
    let a = f64x8::splat(0.999_999_9);
    let b = f64x8::splat(1e-9);
    let mut chains = [f64x8::splat(1.0); CHAINS];
    for _ in 0..iterations {
        for c in chains.iter_mut() {
            *c = c.mul_add(a, b);
        }
    }
    chains.iter().map(|c| c.reduce_add()).sum()
}

/// Vector FMAs per second of `calls` calls on `pool`, each giving every thread of the
/// pool `iterations` rounds.
fn rate(pool: &rayon::ThreadPool, calls: u64, iterations: u64) -> f64 {
    let threads = pool.current_num_threads();
    let start = Instant::now();
    let mut sum = 0.0;
    for _ in 0..calls {
        sum += pool.install(|| {
            (0..threads)
                .into_par_iter()
                .map(|_| fma_chains(iterations))
                .sum::<f64>()
        });
    }
    let seconds = start.elapsed().as_secs_f64();
    assert!(sum.is_finite());
    (calls * threads as u64 * iterations * CHAINS as u64) as f64 / seconds
}

fn main() {
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut args = std::env::args().skip(1);
    let counts: Vec<usize> = match args.next() {
        Some(list) => list
            .split(',')
            .map(|t| match t.trim().parse() {
                Ok(n) if n > 0 => n,
                _ => {
                    eprintln!("thread counts must be positive integers, got {t:?}");
                    std::process::exit(2);
                }
            })
            .collect(),
        None if all > 1 => vec![1, all],
        None => vec![1],
    };
    let rounds: usize = match args.next().map(|r| r.parse()) {
        None => 10,
        Some(Ok(r)) if r > 0 => r,
        Some(_) => {
            eprintln!("rounds must be a positive integer");
            std::process::exit(2);
        }
    };
    let call_ms: f64 = match args.next().map(|c| c.parse::<f64>()) {
        None => 200.0,
        Some(Ok(c)) if c > 0.0 && c <= 200.0 => c,
        Some(_) => {
            eprintln!("the call length must be a number of milliseconds in (0, 200]");
            std::process::exit(2);
        }
    };
    let pools: Vec<rayon::ThreadPool> = counts
        .iter()
        .map(|&t| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .expect("a rayon pool")
        })
        .collect();
    // Calibrate one thread: rounds per call of `call_ms`, calls per timed run of 0.2 s.
    let probe = 1_000_000;
    let rounds_per_second =
        rate(&pools[0], 1, probe) / (pools[0].current_num_threads() * CHAINS) as f64;
    let iterations = ((call_ms / 1e3 * rounds_per_second) as u64).max(1);
    let calls = (200.0 / call_ms).round().max(1.0) as u64;
    let mut rates = vec![Vec::with_capacity(rounds); counts.len()];
    for _ in 0..rounds {
        for (k, pool) in pools.iter().enumerate() {
            rates[k].push(rate(pool, calls, iterations));
        }
    }
    let summary: Vec<(f64, f64)> = rates
        .iter_mut()
        .map(|r| {
            let best = r.iter().copied().fold(0.0, f64::max);
            (common::median(r), best)
        })
        .collect();
    let one = counts.iter().position(|&t| t == 1).map(|k| summary[k]);
    println!(
        "f64x8 FMA throughput, {rounds} rounds of ~0.2 s per thread count, counts in turn, \
         {calls} call(s) of ~{call_ms} ms per run"
    );
    println!("threads  G FMA/s median  G FMA/s best  efficiency (median)  efficiency (best)");
    for (&t, &(med, best)) in counts.iter().zip(&summary) {
        let (e_med, e_best) = match one {
            Some((one_med, one_best)) if t > 1 => (
                format!("{:.0}%", 100.0 * med / (t as f64 * one_med)),
                format!("{:.0}%", 100.0 * best / (t as f64 * one_best)),
            ),
            _ => ("-".to_string(), "-".to_string()),
        };
        println!(
            "{t:>7}  {:>14.2}  {:>12.2}  {e_med:>19}  {e_best:>17}",
            med / 1e9,
            best / 1e9
        );
    }
}
