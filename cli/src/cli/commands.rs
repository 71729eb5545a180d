//! The subcommands. Each returns `Ok(true)` on success, `Ok(false)` when a verification
//! failed (exit code 1), and `Err` for an error of the library.

use super::engine::{Engine, Problem, efficiency, pool};
use super::json::JsonObject;
use super::table::{Align, Table, percent, ratio, si};
use super::timing::{Budget, Throughput};
use batchjac::batch::{BatchOptions, Mode, choose_mode_for, jacobian_batch_with_options};
use batchjac::sparse::choose_sparse_mode;
use batchjac::suite::SuiteFunction;
use batchjac::verify::{BatchReport, check_batch, check_jacobian};
use batchjac::{Error, LaneType, VectorFn};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// Points of each batch checked by the main job's verification: spread over the batch,
/// few enough that finite differences stay a small part of the run.
const VERIFY_SAMPLE: usize = 16;

/// The SIMD instruction sets this binary was compiled for: `wide` chooses its
/// instructions at compile time (`-C target-cpu`), so every figure depends on it.
pub fn simd_target() -> &'static str {
    if cfg!(target_feature = "avx512f") {
        "avx512f"
    } else if cfg!(target_feature = "avx2") {
        "avx2"
    } else if cfg!(target_feature = "sse4.1") {
        "sse4.1"
    } else if cfg!(target_arch = "x86_64") {
        // The x86-64 baseline: what a crate gets without `-C target-cpu`.
        "sse2"
    } else if cfg!(target_arch = "aarch64") {
        "neon"
    } else {
        "scalar"
    }
}

/// Threads of the machine (rayon's default pool size).
fn all_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The CPU model from /proc/cpuinfo, where there is one.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string())
}

/// A progress bar on stderr, only when stderr is a terminal (never in pipes, logs, CI).
fn progress(steps: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(steps as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    bar
}

/// Points `VERIFY_SAMPLE` (or fewer) spread evenly over the batch, with their Jacobians
/// from `problem.jacs`, checked by the verification layer.
fn verify_sample(problem: &Problem) -> Result<BatchReport, Error> {
    let (m, n, batch) = (problem.m, problem.n, problem.batch);
    let count = VERIFY_SAMPLE.min(batch);
    let mut xs = Vec::with_capacity(count * m);
    let mut jacs = Vec::with_capacity(count * n * m);
    for s in 0..count {
        let k = s * batch / count;
        xs.extend_from_slice(&problem.xs[k * m..(k + 1) * m]);
        jacs.extend_from_slice(&problem.jacs[k * n * m..(k + 1) * n * m]);
    }
    check_batch(&problem.function, &xs, &jacs)
}

/// The main job (no subcommand): one table over the whole suite.
pub fn main_job(budget: Budget) -> Result<bool, Error> {
    let threads = all_threads();
    let mut counts = vec![1];
    if threads > 1 {
        counts.push(threads);
    }
    let pools = counts
        .iter()
        .map(|&t| pool(t))
        .collect::<Result<Vec<_>, _>>()?;
    let functions = SuiteFunction::all();
    let total = functions.len();
    println!(
        "batchjac {}: Jacobians of the docs/SUITE.md functions at their batch sizes (f64, lanes auto)",
        env!("CARGO_PKG_VERSION")
    );
    println!(
        "{}; {threads} threads; SIMD compiled for {}; median of {} repeats, {:.2} s per measurement",
        cpu_model(),
        simd_target(),
        budget.repeats,
        budget.seconds
    );
    println!();
    let bar = progress(functions.len() * (counts.len() + 3));
    let all_label = format!("J/s {threads} threads");
    let mut table = Table::new(&[
        ("function", Align::Left),
        ("m", Align::Right),
        ("n", Align::Right),
        ("B", Align::Right),
        ("J/s 1 thread", Align::Right),
        (if threads > 1 { &all_label } else { "" }, Align::Right),
        (if threads > 1 { "efficiency" } else { "" }, Align::Right),
        (if threads > 1 { "best" } else { "" }, Align::Right),
        ("vs central FD", Align::Right),
        ("vs analytic", Align::Right),
        ("worst |AD-FD|/|FD|", Align::Right),
        ("of tol.", Align::Right),
        ("verify", Align::Left),
    ]);
    let mut all_passed = true;
    let mut measured = 0;
    // The dense rates of each function (1 thread, all threads, analytic), for the
    // sparse table.
    let mut dense_rates: Vec<(SuiteFunction, DenseRates)> = Vec::new();
    // One row per function; Ctrl-C ends the loop with the rows finished so far.
    let row_of = |function: SuiteFunction| -> Result<(Vec<String>, bool, DenseRates), Error> {
        let name = function.name();
        let batch = function.batch_size();
        let mut problem = Problem::new(function, batch);
        bar.set_message(format!("{name}: batchjac"));
        let pool_refs: Vec<&rayon::ThreadPool> = pools.iter().collect();
        let batchjac_rates = problem.measure(
            Engine::Batchjac,
            LaneType::Auto,
            Mode::Auto,
            &pool_refs,
            budget,
        )?;
        bar.inc(counts.len() as u64);
        // The batch's Jacobians are in problem.jacs now: verify a sample before the
        // baselines overwrite them.
        bar.set_message(format!("{name}: verifying"));
        let report = verify_sample(&problem)?;
        bar.inc(1);
        // The per-point baselines, one thread each.
        let mut baseline = |engine: Engine, label: &str| -> Result<Throughput, Error> {
            bar.set_message(format!("{name}: {label}"));
            let rate = problem.measure(engine, LaneType::Auto, Mode::Auto, &[&pools[0]], budget)?;
            bar.inc(1);
            Ok(rate[0])
        };
        let analytic = baseline(Engine::Analytic, "analytic")?;
        let central = baseline(Engine::CentralFd, "central differences")?;
        let one = batchjac_rates[0].median;
        let eff = batchjac_rates
            .get(1)
            .map(|r| efficiency(r, threads, &batchjac_rates[0]));
        let row = vec![
            name.to_string(),
            problem.m.to_string(),
            problem.n.to_string(),
            problem.batch.to_string(),
            si(one),
            batchjac_rates
                .get(1)
                .map_or(String::new(), |r| si(r.median)),
            eff.map_or(String::new(), |e| percent(e.0)),
            eff.map_or(String::new(), |e| percent(e.1)),
            ratio(one / central.median),
            ratio(one / analytic.median),
            super::report::worst_relative(&report),
            super::report::worst_of_tolerance(&report),
            super::report::verdict(&report),
        ];
        let rates = DenseRates {
            one,
            all: batchjac_rates.get(1).map(|r| r.median),
            analytic: analytic.median,
        };
        Ok((row, report.passed(), rates))
    };
    for function in functions {
        match row_of(function.clone()) {
            Ok((row, passed, rates)) => {
                table.row(row);
                all_passed &= passed;
                measured += 1;
                dense_rates.push((function, rates));
            }
            Err(_) if super::interrupt::requested() => break,
            Err(e) => return Err(e),
        }
    }
    bar.finish_and_clear();
    print!("{}", table.render());
    if super::interrupt::requested() {
        println!("(interrupted: {measured} of {total} functions measured)");
        return Ok(false);
    }
    println!();
    println!(
        "J/s: Jacobians per second, batchjac::batch over the whole batch into one buffer.\n\
         efficiency: J/s with all threads over (threads x J/s with one), the two timed in\n\
         alternation: of the medians, and (best) of the fastest repetitions.\n\
         vs central FD / vs analytic: batchjac's 1-thread rate over the 1-thread rate of\n\
         verify::fd_jacobian (Scheme::Central) / the hand-written analytic Jacobian, point by\n\
         point, in this run. verify: {VERIFY_SAMPLE} points spread over each batch, checked by\n\
         verify::check_batch (tolerance from the finite differences' own error estimate;\n\
         \"of tol.\" above 1 fails). Full reports: `batchjac verify`."
    );
    let sparse_passed = sparse_table(&dense_rates, &pools, budget)?;
    Ok(all_passed && sparse_passed)
}

/// The main job's dense rates of one function, reused by the sparse table.
struct DenseRates {
    /// batchjac, 1 thread (median J/s).
    one: f64,
    /// batchjac, all threads, where the machine has more than one.
    all: Option<f64>,
    /// The analytic Jacobian, 1 thread.
    analytic: f64,
}

/// The suite functions of the main job's sparse table.
const SPARSE_FUNCTIONS: [&str; 2] = ["ext_rosenbrock", "brusselator"];

/// The main job's second table: batchjac's sparse CSR batch (`batchjac::sparse`) on
/// the sparse suite functions, against the dense rates measured for the first table,
/// and the same batch written as dense matrices (`SparseJacobian::jacobian_batch_dense`)
/// against the analytic Jacobian; one point of each verified (`SparseJacobian::verify`,
/// `verify::check_jacobian`).
/// `Ok(false)` if a verification failed or Ctrl-C stopped the table.
fn sparse_table(
    dense: &[(SuiteFunction, DenseRates)],
    pools: &[rayon::ThreadPool],
    budget: Budget,
) -> Result<bool, Error> {
    let threads = pools.last().map_or(1, |p| p.current_num_threads());
    let all_label = format!("J/s {threads} threads");
    let mut table = Table::new(&[
        ("function", Align::Left),
        ("nnz", Align::Right),
        ("of n x m", Align::Right),
        ("colours", Align::Right),
        ("lower bound", Align::Right),
        ("J/s 1 thread", Align::Right),
        (if threads > 1 { &all_label } else { "" }, Align::Right),
        ("vs dense", Align::Right),
        ("vs analytic", Align::Right),
        ("dense J/s", Align::Right),
        ("vs analytic", Align::Right),
        ("of tol.", Align::Right),
        ("verify", Align::Left),
    ]);
    let pool_refs: Vec<&rayon::ThreadPool> = pools.iter().collect();
    let mut all_passed = true;
    let mut rows = 0;
    let wanted = dense
        .iter()
        .filter(|(f, _)| SPARSE_FUNCTIONS.contains(&f.name()));
    for (function, rates) in wanted {
        let mut problem = Problem::new(function.clone(), function.batch_size());
        let row = (|| -> Result<(Vec<String>, bool), Error> {
            let measured = problem.measure(
                Engine::Sparse,
                LaneType::Auto,
                Mode::Auto,
                &pool_refs,
                budget,
            )?;
            let sj = problem
                .sparse
                .as_ref()
                .expect("measured by the sparse engine");
            // The last timed call computed the whole batch: verify its middle point.
            let (m, nnz) = (problem.m, sj.nnz());
            let (colors, lower_bound) = (sj.colors(), sj.lower_bound());
            let k = problem.batch / 2;
            let at = k * m..(k + 1) * m;
            let report = sj.verify(
                &problem.function,
                &problem.xs[at.clone()],
                &problem.values[k * nnz..(k + 1) * nnz],
            )?;
            // The dense matrices from the same compressed entries, 1 thread (the first
            // pool).
            let dense_rate = problem.measure(
                Engine::SparseDense,
                LaneType::Auto,
                Mode::Auto,
                &pool_refs[..1],
                budget,
            )?[0]
                .median;
            let nm = problem.n * m;
            let dense_report = check_jacobian(
                &problem.function,
                &problem.xs[at],
                &problem.jacs[k * nm..(k + 1) * nm],
            )?;
            let passed = report.passed() && dense_report.passed();
            let worst = [&report, &dense_report]
                .iter()
                .filter_map(|r| r.worst().map(|e| e.severity()))
                .reduce(f64::max);
            let one = measured[0].median;
            let all = measured.get(1).map(|r| r.median);
            let vs_dense = match (all, rates.all) {
                (Some(s), Some(d)) => format!("{} / {}", ratio(one / rates.one), ratio(s / d)),
                _ => ratio(one / rates.one),
            };
            let verdict = if passed {
                format!("pass (point {k})")
            } else {
                format!("FAIL (point {k})")
            };
            Ok((
                vec![
                    function.name().to_string(),
                    nnz.to_string(),
                    percent(nnz as f64 / (problem.n * m) as f64),
                    colors.to_string(),
                    lower_bound.to_string(),
                    si(one),
                    all.map_or(String::new(), si),
                    vs_dense,
                    ratio(one / rates.analytic),
                    si(dense_rate),
                    ratio(dense_rate / rates.analytic),
                    worst.map_or("-".to_string(), |w| format!("{w:.2}")),
                    verdict,
                ],
                passed,
            ))
        })();
        match row {
            Ok((cells, passed)) => {
                if rows == 0 {
                    println!();
                    println!("sparse (CSR): batchjac::sparse, pattern detected and coloured once");
                    println!();
                }
                table.row(cells);
                all_passed &= passed;
                rows += 1;
            }
            Err(_) if super::interrupt::requested() => break,
            Err(e) => return Err(e),
        }
    }
    if rows == 0 {
        return Ok(!super::interrupt::requested());
    }
    print!("{}", table.render());
    if super::interrupt::requested() {
        println!("(interrupted: {rows} sparse rows measured)");
        return Ok(false);
    }
    println!();
    println!(
        "nnz: entries of the detected pattern (of n x m: its share of the dense Jacobian).\n\
         colours: column colours, one tangent direction each; no colouring beats the lower\n\
         bound (the largest row count). J/s: sparse Jacobians per second (CSR values, whole\n\
         batch, mode auto on the colour count). vs dense: sparse over batchjac's dense rate of\n\
         the table above, 1 thread (/ all threads). vs analytic: sparse over the analytic\n\
         Jacobian, 1 thread. dense J/s: the same batch written as dense n x m Jacobians\n\
         (SparseJacobian::jacobian_batch_dense, zeros outside the pattern: what the analytic\n\
         Jacobian writes), 1 thread, and over the analytic Jacobian. verify: the batch's\n\
         middle point, sparse values by SparseJacobian::verify and dense ones by\n\
         verify::check_jacobian."
    );
    Ok(all_passed)
}

/// `batchjac list`.
pub fn list() -> Result<bool, Error> {
    let mut table = Table::new(&[
        ("function", Align::Left),
        ("m", Align::Right),
        ("n", Align::Right),
        ("B", Align::Right),
        ("description", Align::Left),
    ]);
    for f in SuiteFunction::all() {
        table.row(vec![
            f.name().to_string(),
            f.inputs().to_string(),
            f.outputs().to_string(),
            f.batch_size().to_string(),
            f.description().to_string(),
        ]);
    }
    print!("{}", table.render());
    Ok(true)
}

/// What `batchjac bench` measures.
pub struct BenchPlan {
    /// Functions (non-empty).
    pub functions: Vec<SuiteFunction>,
    /// Batch size for all functions; `None`: each one's docs/SUITE.md size.
    pub batch: Option<usize>,
    /// Thread counts; empty: 1 and all.
    pub threads: Vec<usize>,
    /// batchjac's lane types; empty: auto.
    pub lanes: Vec<LaneType>,
    /// Engines; empty: all.
    pub engines: Vec<Engine>,
    /// batchjac's modes (tangent or batch lanes); empty: auto.
    pub modes: Vec<Mode>,
    /// JSON lines instead of a table.
    pub json: bool,
    /// Timing of each measurement.
    pub budget: Budget,
}

/// nnz and colour count of the problem's sparse pattern, for the sparse engine's rows.
fn sparse_sizes(problem: &Problem, engine: Engine) -> Option<(usize, usize)> {
    match (engine, &problem.sparse) {
        (Engine::Sparse | Engine::SparseDense, Some(sj)) => Some((sj.nnz(), sj.colors())),
        _ => None,
    }
}

/// One measurement's JSON line.
fn json_line(
    problem: &Problem,
    threads: usize,
    engine: Engine,
    lanes: Option<LaneType>,
    mode: Option<Mode>,
    rate: &Throughput,
    efficiency: Option<(f64, f64)>,
) -> String {
    JsonObject::new()
        .string("function", problem.function.name())
        .integer("m", problem.m)
        .integer("n", problem.n)
        .integer("batch", problem.batch)
        .integer("threads", threads)
        .string("engine", engine.name())
        .optional_string("lanes", lanes.map(|l| l.name()))
        .optional_string("mode", mode.map(|m| m.name()))
        // The sparse engine's pattern; null for the dense engines.
        .optional_integer("nnz", sparse_sizes(problem, engine).map(|s| s.0))
        .optional_integer("colors", sparse_sizes(problem, engine).map(|s| s.1))
        .object(
            "jacobians_per_s",
            JsonObject::new()
                .number("median", rate.median)
                .number("min", rate.min)
                .number("max", rate.max),
        )
        // null for 1 thread, or where no 1-thread rate was measured.
        .number("efficiency", efficiency.map_or(f64::NAN, |e| e.0))
        .number("efficiency_best", efficiency.map_or(f64::NAN, |e| e.1))
        .integer("repeats", rate.repeats)
        .integer("points_per_call", rate.points)
        .string("simd", simd_target())
        .finish()
}

/// `batchjac bench`.
pub fn bench(plan: &BenchPlan) -> Result<bool, Error> {
    let mut counts = plan.threads.clone();
    if counts.is_empty() {
        counts.push(1);
        if all_threads() > 1 {
            counts.push(all_threads());
        }
    }
    let lanes = if plan.lanes.is_empty() {
        vec![LaneType::Auto]
    } else {
        plan.lanes.clone()
    };
    let engines = if plan.engines.is_empty() {
        vec![Engine::Batchjac, Engine::Analytic, Engine::CentralFd]
    } else {
        plan.engines.clone()
    };
    let modes = if plan.modes.is_empty() {
        vec![Mode::Auto]
    } else {
        plan.modes.clone()
    };
    let pools = counts
        .iter()
        .map(|&t| pool(t))
        .collect::<Result<Vec<_>, _>>()?;
    // Lane types and modes apply to batchjac and sparse only; the baselines are measured
    // once per thread count.
    let configs: Vec<(Engine, Option<LaneType>, Option<Mode>)> = engines
        .iter()
        .flat_map(|&engine| match engine {
            Engine::Batchjac | Engine::Sparse | Engine::SparseDense => lanes
                .iter()
                .flat_map(|&l| modes.iter().map(move |&m| (engine, Some(l), Some(m))))
                .collect(),
            _ => vec![(engine, None, None)],
        })
        .collect();
    let bar = progress(plan.functions.len() * counts.len() * configs.len());
    let mut table = Table::new(&[
        ("function", Align::Left),
        ("m", Align::Right),
        ("n", Align::Right),
        ("B", Align::Right),
        ("threads", Align::Right),
        ("engine", Align::Left),
        ("lanes", Align::Left),
        ("mode", Align::Left),
        ("J/s median", Align::Right),
        ("min", Align::Right),
        ("max", Align::Right),
        ("efficiency", Align::Right),
        ("best", Align::Right),
        ("points/call", Align::Right),
        ("nnz", Align::Right),
        ("colours", Align::Right),
    ]);
    if !plan.json {
        println!(
            "{}; SIMD compiled for {}; median of {} repeats, {:.2} s per measurement",
            cpu_model(),
            simd_target(),
            plan.budget.repeats,
            plan.budget.seconds
        );
    }
    let pool_refs: Vec<&rayon::ThreadPool> = pools.iter().collect();
    // The 1-thread measurement that efficiencies refer to, if one was asked for.
    let single = counts.iter().position(|&t| t == 1);
    for function in &plan.functions {
        let batch = plan.batch.unwrap_or(function.batch_size());
        let mut problem = Problem::new(function.clone(), batch);
        for &(engine, lanes, mode) in &configs {
            bar.set_message(format!("{}: {}", function.name(), engine.name()));
            // All thread counts of one configuration in alternation, so that their
            // ratios come from the same stretch of time.
            let rates = problem.measure(
                engine,
                lanes.unwrap_or_default(),
                mode.unwrap_or_default(),
                &pool_refs,
                plan.budget,
            )?;
            bar.inc(counts.len() as u64);
            // The mode batchjac ran in: Auto resolved as the batch engine (or the sparse
            // batch, on its colour count) resolves it.
            let colors = problem.sparse.as_ref().map_or(0, |sj| sj.colors());
            let mode = mode.map(|mode| match (mode, engine) {
                (Mode::Auto, Engine::Sparse | Engine::SparseDense) => {
                    choose_sparse_mode(colors, batch)
                }
                (Mode::Auto, _) => choose_mode_for(&problem.function, batch),
                (chosen, _) => chosen,
            });
            let sizes = sparse_sizes(&problem, engine);
            for (rate, &threads) in rates.iter().zip(&counts) {
                let eff = single
                    .filter(|_| threads > 1)
                    .map(|s| efficiency(rate, threads, &rates[s]));
                if plan.json {
                    bar.suspend(|| {
                        println!(
                            "{}",
                            json_line(&problem, threads, engine, lanes, mode, rate, eff)
                        )
                    });
                } else {
                    table.row(vec![
                        function.name().to_string(),
                        problem.m.to_string(),
                        problem.n.to_string(),
                        batch.to_string(),
                        threads.to_string(),
                        engine.name().to_string(),
                        lanes.map_or("-", |l| l.name()).to_string(),
                        mode.map_or("-", |m| m.name()).to_string(),
                        si(rate.median),
                        si(rate.min),
                        si(rate.max),
                        eff.map_or("-".to_string(), |e| percent(e.0)),
                        eff.map_or("-".to_string(), |e| percent(e.1)),
                        rate.points.to_string(),
                        sizes.map_or("-".to_string(), |s| s.0.to_string()),
                        sizes.map_or("-".to_string(), |s| s.1.to_string()),
                    ]);
                }
            }
        }
    }
    bar.finish_and_clear();
    if !plan.json {
        print!("{}", table.render());
    }
    Ok(true)
}

/// `batchjac verify`: batchjac's Jacobians at points 0..K of each function, judged by
/// the verification layer.
pub fn verify(
    functions: &[SuiteFunction],
    points: usize,
    perturb: Option<f64>,
) -> Result<bool, Error> {
    let mut all_passed = true;
    for function in functions {
        let (m, n) = (function.inputs(), function.outputs());
        let xs = function.points(points);
        let mut jacs = vec![0.0; points * n * m];
        jacobian_batch_with_options(function, &xs, &mut jacs, None, &BatchOptions::default())?;
        if let Some(relative) = perturb {
            for jac in jacs.chunks_exact_mut(n * m) {
                jac[0] *= 1.0 + relative;
            }
        }
        let report = check_batch(function, &xs, &jacs)?;
        all_passed &= report.passed();
        println!("== {} (m = {m}, n = {n}, {points} points)", function.name());
        println!("{report}");
    }
    Ok(all_passed)
}
