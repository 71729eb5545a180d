//! A time-boxed throughput harness: a warm-up that also estimates the cost of one
//! point, then `repeats` timed repetitions of about equal length, summarised by
//! median, minimum and maximum (docs/SUITE.md: median of at least 5 repetitions after a
//! warm-up).

use std::time::{Duration, Instant};

/// How long to measure and how often.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Total seconds of timed repetitions per measurement (the warm-up comes on top).
    pub seconds: f64,
    /// Number of timed repetitions.
    pub repeats: usize,
}

/// Throughput of one measurement in Jacobians per second.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Throughput {
    /// Median over the repetitions.
    pub median: f64,
    /// Slowest repetition.
    pub min: f64,
    /// Fastest repetition.
    pub max: f64,
    /// Number of timed repetitions.
    pub repeats: usize,
    /// Points per call of the work: the whole batch, or a prefix where one pass over the
    /// whole batch would not fit the budget.
    pub points: usize,
}

/// Whether a measurement must process the whole batch in every call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extent {
    /// Every call computes all B Jacobians into one buffer (docs/SUITE.md's definition of
    /// throughput; used for batchjac).
    WholeBatch,
    /// A prefix of the batch may stand for it when a pass over the whole batch would
    /// exceed the budget: for per-point baselines (finite differences, analytic) whose
    /// cost per point does not depend on B.
    Prefix,
}

/// The warm-up stops doubling the number of points once a call takes this long: long
/// enough to estimate the cost per point well above timer resolution.
const WARM_UP_CALL: Duration = Duration::from_millis(20);

/// Measures `variants` ways of doing the same work, `work(v, points)` for v in
/// `0..variants`, which computes the Jacobians of points `0..points` (`points <= batch`) (the same batch on 1, 2, 16 threads, say), and returns the throughput
/// of each. The timed repetitions take turns (v = 0, 1, ..., then again), so that a
/// shared machine whose speed drifts (other tenants on the host) slows every variant
/// alike instead of the one that happened to run during the slow spell: ratios of the
/// results, parallel efficiency above all, come from the same stretch of time.
pub fn measure_alternating<E>(
    batch: usize,
    extent: Extent,
    budget: Budget,
    variants: usize,
    mut work: impl FnMut(usize, usize) -> Result<(), E>,
) -> Result<Vec<Throughput>, E> {
    let repeats = budget.repeats.max(1);
    let per_repeat = budget.seconds / repeats as f64;
    let mut plans = Vec::with_capacity(variants);
    for v in 0..variants {
        plans.push(warm_up(batch, extent, per_repeat, |points| {
            work(v, points)
        })?);
    }
    let mut rates = vec![Vec::with_capacity(repeats); variants];
    for _ in 0..repeats {
        for (v, &(points, calls)) in plans.iter().enumerate() {
            let start = Instant::now();
            for _ in 0..calls {
                work(v, points)?;
            }
            let elapsed = start.elapsed().as_secs_f64().max(f64::MIN_POSITIVE);
            rates[v].push((points * calls) as f64 / elapsed);
        }
    }
    Ok(rates
        .into_iter()
        .zip(&plans)
        .map(|(mut rates, &(points, _))| {
            rates.sort_by(f64::total_cmp);
            let median = if repeats % 2 == 1 {
                rates[repeats / 2]
            } else {
                0.5 * (rates[repeats / 2 - 1] + rates[repeats / 2])
            };
            Throughput {
                median,
                min: rates[0],
                max: rates[repeats - 1],
                repeats,
                points,
            }
        })
        .collect())
}

/// The warm-up of one variant: caches, branch predictors, page faults of the output
/// buffers, rayon's threads. Doubling the point count keeps a slow baseline from
/// spending seconds here. Returns the points per call and the calls per repetition that
/// fill `per_repeat` seconds.
fn warm_up<E>(
    batch: usize,
    extent: Extent,
    per_repeat: f64,
    mut work: impl FnMut(usize) -> Result<(), E>,
) -> Result<(usize, usize), E> {
    let mut points = 1.min(batch);
    let mut seconds_per_point;
    loop {
        let start = Instant::now();
        work(points)?;
        let elapsed = start.elapsed();
        seconds_per_point = elapsed.as_secs_f64() / points as f64;
        if points == batch || elapsed >= WARM_UP_CALL {
            break;
        }
        points = (2 * points).min(batch);
    }
    Ok(match extent {
        Extent::WholeBatch => {
            if points < batch {
                // The timed calls must not be the first to touch the whole output.
                work(batch)?;
            }
            let calls = (per_repeat / (seconds_per_point * batch as f64)).round();
            (batch, (calls as usize).max(1))
        }
        Extent::Prefix => {
            let fit = (per_repeat / seconds_per_point).floor() as usize;
            if fit >= batch {
                let calls = (per_repeat / (seconds_per_point * batch as f64)).round();
                (batch, (calls as usize).max(1))
            } else {
                (fit.max(1), 1)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;

    /// A workload of known cost (a sleep per point) gives the known rate: the harness
    /// counts points and seconds correctly. Sleeps only overshoot, so the measured rate
    /// may be lower but never higher than 1 / (cost per point).
    #[test]
    fn known_cost_gives_known_rate() {
        let per_point = Duration::from_micros(500);
        let budget = Budget {
            seconds: 0.1,
            repeats: 5,
        };
        for extent in [Extent::WholeBatch, Extent::Prefix] {
            let mut largest = 0;
            let result = measure_alternating(40, extent, budget, 1, |_, points| {
                largest = largest.max(points);
                std::thread::sleep(per_point * points as u32);
                Ok::<(), Infallible>(())
            })
            .unwrap()[0];
            let exact = 1.0 / per_point.as_secs_f64();
            assert!(result.max <= exact * 1.001, "{result:?}");
            assert!(result.median > 0.5 * exact, "{result:?}");
            assert!(result.min <= result.median && result.median <= result.max);
            assert_eq!(result.repeats, 5);
            assert!(largest <= 40);
        }
    }

    /// A prefix measurement of an expensive workload stays near its budget instead of
    /// running the whole batch.
    #[test]
    fn prefix_respects_budget() {
        let budget = Budget {
            seconds: 0.05,
            repeats: 5,
        };
        let start = Instant::now();
        let result = measure_alternating(1_000_000, Extent::Prefix, budget, 1, |_, points| {
            std::thread::sleep(Duration::from_micros(100) * points as u32);
            Ok::<(), Infallible>(())
        })
        .unwrap()[0];
        assert!(result.points < 1_000_000);
        // Budget plus the doubling warm-up (at most about 2 x 20 ms), with slack for a
        // loaded machine.
        assert!(
            start.elapsed() < Duration::from_millis(600),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn errors_propagate() {
        let result = measure_alternating(
            10,
            Extent::WholeBatch,
            Budget {
                seconds: 0.01,
                repeats: 3,
            },
            2,
            |v, _| if v == 1 { Err("boom") } else { Ok(()) },
        );
        assert_eq!(result, Err("boom"));
    }

    /// Two variants of known, different cost: each gets its own rate, and the timed
    /// repetitions take turns (after the warm-ups, the calls alternate 0, 1, 0, 1, ...).
    #[test]
    fn variants_alternate_and_keep_their_rates() {
        let costs = [Duration::from_micros(400), Duration::from_micros(1200)];
        let budget = Budget {
            seconds: 0.2,
            repeats: 4,
        };
        let mut order = Vec::new();
        let rates = measure_alternating(20, Extent::WholeBatch, budget, 2, |v, points| {
            order.push(v);
            std::thread::sleep(costs[v] * points as u32);
            Ok::<(), Infallible>(())
        })
        .unwrap();
        assert_eq!(rates.len(), 2);
        for (rate, cost) in rates.iter().zip(costs) {
            let exact = 1.0 / cost.as_secs_f64();
            assert!(rate.max <= exact * 1.001, "{rate:?}");
            assert!(rate.median > 0.5 * exact, "{rate:?}");
            assert_eq!(rate.points, 20);
        }
        // The warm-up calls of variant 0 all come before those of variant 1; the timed
        // ones switch variant at least once per repetition.
        let first_one = order.iter().position(|&v| v == 1).unwrap();
        let warm_ones = order[first_one..].iter().position(|&v| v == 0).unwrap();
        let timed = &order[first_one + warm_ones..];
        let switches = timed.windows(2).filter(|w| w[0] != w[1]).count();
        assert!(switches >= 2 * budget.repeats - 1, "{order:?}");
    }
}
